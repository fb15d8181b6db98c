"""One `aurules diff` run: the start-of-unit groups and the lifecycle groups found between two
rulesets, what was searched, and the exit code they give. The CLI prints it as text or JSON;
the Python API returns its data."""

from __future__ import annotations

from typing import Any

import attrs

from aurules.differences.lifecycle import LifecycleGroup, lifecycle_diff
from aurules.differences.start import Group, diff
from aurules.model.ruleset import Ruleset


@attrs.frozen(kw_only=True)
class DiffReport:
    """Every difference found between `base` and `proposal` within the bound `searched`."""

    base: Ruleset
    proposal: Ruleset
    searched: str
    groups: list[Group]
    lifecycle_groups: list[LifecycleGroup]

    def to_data(self) -> dict[str, Any]:
        """As `aurules diff --format json` prints it."""
        return {
            "base": self.base.summary(),
            "proposal": self.proposal.summary(),
            "searched": self.searched,
            "groups": [_plain(g) for g in self.groups],
            "lifecycle_groups": [_plain(g) for g in self.lifecycle_groups],
        }

    @property
    def exit_code(self) -> int:
        """1 when some group differs, else 3 when a search was unknown, else 0."""
        verdicts = {g.verdict for g in self.groups} | {h.verdict for h in self.lifecycle_groups}
        if "differs" in verdicts:
            return 1
        return 3 if "unknown" in verdicts else 0


def _plain(group: Group | LifecycleGroup) -> dict[str, Any]:
    """A group as JSON data (tuples as lists, as they print)."""
    return attrs.asdict(
        group, value_serializer=lambda _, __, v: list(v) if isinstance(v, tuple) else v
    )


def diff_report(base: Ruleset, proposal: Ruleset, limit: int) -> DiffReport:
    """Search the start-of-unit facts, and lifecycles of up to `limit` events."""
    start = diff(base, proposal)
    lifecycle = lifecycle_diff(base, proposal, limit) if limit else []
    searched = (
        f"start-of-unit facts, and lifecycles of up to {limit} events from the minimal "
        "scenario's start date (reservation and transfer windows not searched)"
    )
    return DiffReport(
        base=base, proposal=proposal, searched=searched, groups=start, lifecycle_groups=lifecycle
    )
