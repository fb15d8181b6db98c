"""Temporal coverage of the official rulesets (after Catala's coverage test): for every start
date in their span, exactly one shipped official ruleset applies."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from aurules.model.errors import BadInput
from aurules.model.ruleset import Ruleset, load_ruleset, packaged_ids
from aurules.model.scenario import Scenario


def coverage_problems(rulesets: Sequence[Ruleset] | None = None) -> list[str]:
    """Overlaps and gaps among the periods of `rulesets` (default: the shipped official
    ones), as readable problems (empty when each day from the first to the last has exactly
    one ruleset)."""
    from aurules.model.editions import gap_problems, overlap_problems

    chosen = list(rulesets) if rulesets is not None else [load_ruleset(i) for i in packaged_ids()]
    return overlap_problems(chosen) + gap_problems(chosen)


def uncovered_start(start: dt.date, *rulesets: Ruleset) -> str | None:
    """Why no ruleset in use covers a start on `start` (after the last day of one of them),
    naming the rulesets known; None when every one of them covers it or it is before their
    first day (paragraph 3 refuses such a start)."""
    late = [r for r in rulesets if start > r.valid_to]
    if not late:
        return None
    known = ", ".join(
        f"{r.id} from {r.valid_from} to {r.valid_to}"
        for r in (load_ruleset(i) for i in packaged_ids())
    )
    return (
        f"{start} is after the last day of ruleset {late[0].id} ({late[0].valid_to}): no "
        f"ruleset known covers it (known: {known})"
    )


def require_covered(scenario: Scenario, ruleset: Ruleset, source: str) -> None:
    """Refuse, as bad input naming `source`, a scenario that starts after the ruleset's last
    day."""
    problem = uncovered_start(scenario.plan.start_date, ruleset)
    if problem is not None:
        raise BadInput(source, "plan.start_date", problem)
