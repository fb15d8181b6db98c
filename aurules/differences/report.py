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
    """Search the start-of-unit facts, and lifecycles of up to `limit` events. Groups are
    changes in behaviour (a rule and direction; a claim's payability or amount; a recovery or
    an extension), each with its cause: of a proposal that changes several things, each
    change is searched on its own (the base with that change alone), then all together for
    what only their combination does."""
    changes = single_changes(base, proposal)
    runs = changes if len(changes) > 1 else []
    runs = [*runs, ("all changes together" if runs else _only(changes), proposal)]
    start: list[Group] = []
    lifecycle: list[LifecycleGroup] = []
    seen_start: set[tuple[str, str]] = set()
    seen_life: set[str] = set()
    for cause, changed in runs:
        for group in diff(base, changed):
            key = (group.rule, group.direction)
            if key not in seen_start:
                seen_start.add(key)
                start.append(attrs.evolve(group, cause=cause))
        for found in lifecycle_diff(base, changed, limit) if limit else []:
            named = attrs.evolve(found, behaviour=behaviour(found), cause=cause)
            if named.behaviour not in seen_life:
                seen_life.add(named.behaviour)
                if changed is not proposal:  # confirm under the whole proposal too
                    named = _confirmed(named, base, proposal)
                lifecycle.append(named)
    searched = (
        f"start-of-unit facts, and lifecycles of up to {limit} events from the minimal "
        "scenario's start date (reservation and transfer windows not searched)"
        + (f"; each of {len(changes)} changes on its own, then together" if runs[:-1] else "")
    )
    return DiffReport(
        base=base, proposal=proposal, searched=searched, groups=start, lifecycle_groups=lifecycle
    )


def _only(changes: list[tuple[str, Ruleset]]) -> str:
    return changes[0][0] if changes else "no change"


def single_changes(base: Ruleset, proposal: Ruleset) -> list[tuple[str, Ruleset]]:
    """Each thing the proposal changes, as (what, the base with that change alone): every
    parameter and interpretation set differently, and its structure (bands, new facts and
    rules) as one."""
    banded = {band.key for band in proposal.structure.bands}
    out: list[tuple[str, Ruleset]] = []
    for path, _, _ in proposal.changed_from(base):
        if path in banded:
            continue
        section, key = path.split(".")
        part = attrs.evolve(
            getattr(base, section), **{key: getattr(getattr(proposal, section), key)}
        )
        out.append((path, attrs.evolve(base, id=f"{base.id}+{path}", **{section: part})))
    structure = proposal.structure
    if not structure.empty:
        parts = [f"bands on {b.key} by {b.by}" for b in structure.bands]
        parts += [
            f"rule {r.name}" + (f" replacing {r.replaces}" if r.replaces else "")
            for r in structure.rules
        ]
        parts += [f"{r} switched off" for r in structure.disabled]
        parts += [f"new fact {f.path}" for f in structure.facts]
        sections: dict[str, dict[str, Any]] = {}
        for band in structure.bands:
            sections.setdefault(band.section, {})[band.name] = getattr(
                getattr(proposal, band.section), band.name
            )
        evolved = {
            name: attrs.evolve(getattr(base, name), **values) for name, values in sections.items()
        }
        out.append(
            (
                "; ".join(parts),
                attrs.evolve(base, id=f"{base.id}+structure", structure=structure, **evolved),
            )
        )
    return out


OUTPUT_BEHAVIOUR = {
    "claim_paid": "paid or refused",
    "claim_refused": "paid or refused",
    "government": "amount or payer",
    "employer_account": "amount or payer",
    "employer_direct": "amount or payer",
    "above_rate": "amount or payer",
    "recovered_m1": "recovery at audit",
    "recovered_m2": "recovery at audit",
    "extension_refused": "extension allowed or refused",
}


def behaviour(group: LifecycleGroup) -> str:
    """What a lifecycle difference is, in words: "milestone_1 claim: paid or refused"."""
    kind = OUTPUT_BEHAVIOUR.get(group.output, group.output)
    events = (group.witness or {}).get("events", [])
    last = events[group.depth - 1] if 0 < group.depth <= len(events) else {}
    if last.get("type") == "claim":
        return f"{last.get('item')} claim: {kind}"
    return f"{group.event or last.get('type', 'event')}: {kind}"


def _confirmed(group: LifecycleGroup, base: Ruleset, proposal: Ruleset) -> LifecycleGroup:
    """A group found with one change alone, its witness evaluated under the whole proposal."""
    from aurules.model.evaluate import evaluate
    from aurules.model.scenario import Scenario

    if group.witness is None:
        return group
    scenario = Scenario.from_data(group.witness, "<diff witness>", proposal.new_facts)
    return attrs.evolve(group, proposal_outcome=evaluate(scenario, proposal).to_data())
