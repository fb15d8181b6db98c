"""Checking the access invariants on a concrete access trace (Hypothesis, replay)."""

from __future__ import annotations

from typing import Any

from aurules.model.access_scenario import (
    AccessScenario,
    action_facts,
    initial_access_state,
    run_access,
)
from aurules.model.ruleset import Ruleset
from aurules.model.values import PYTHON
from aurules.properties.access_invariants import ACCESS_INVARIANTS
from aurules.properties.replay import Violation


def access_violations(
    scenario: AccessScenario, ruleset: Ruleset, source: str = "<access>"
) -> list[Violation]:
    """The first violation of each access invariant (step 0: the starting world)."""
    steps, world = run_access(scenario, ruleset, source)
    found: dict[str, Violation] = {}
    start = initial_access_state(scenario, world)
    for inv in ACCESS_INVARIANTS:
        if inv.over == "state" and not inv.predicate(start, PYTHON):
            found[inv.name] = Violation(
                invariant=inv.name, step=0, detail=f"{inv.meaning} Broken at the start."
            )
    for step in steps:
        action = action_facts(step.attempt, world, step.before)
        for inv in ACCESS_INVARIANTS:
            if inv.name in found:
                continue
            ok: Any = (
                inv.predicate(step.after, PYTHON)
                if inv.over == "state"
                else inv.predicate(step.before, action, step.decision, step.after, PYTHON)
            )
            if not ok:
                found[inv.name] = Violation(
                    invariant=inv.name,
                    step=step.index + 1,
                    detail=f"{inv.meaning} Broken by action {step.index} "
                    f"({step.attempt.type} by {step.attempt.actor}).",
                )
    return list(found.values())
