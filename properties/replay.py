"""Checking invariants on concrete runs: the simulator's trace, step by step.

Used by the Hypothesis state machines, by `aurules replay` and by the test that replays every
saved counterexample. A violation names the step (the number of events processed when it
appears; 0 is the start) and, in its detail, the values the invariant read.
"""

from __future__ import annotations

from typing import Any

import attrs

from aurules.model.evaluate import Run, run
from aurules.model.ruleset import Ruleset
from aurules.model.scenario import Scenario
from aurules.model.state import State, show_value
from aurules.model.values import PYTHON, Reading
from aurules.properties.invariant import Invariant
from aurules.properties.invariants import INVARIANTS


@attrs.frozen(kw_only=True)
class Violation:
    invariant: str
    step: int
    detail: str


def _detail(inv: Invariant, log: dict[str, Any]) -> str:
    values = ", ".join(
        f"{key} = {show_value(key.split('.')[-1], value)}" for key, value in log.items()
    )
    return f"{inv.meaning} Values: {values}"


def check_state(
    inv: Invariant, before: State, event: Any, output: Any, after: State, *, step: int
) -> Violation | None:
    """One invariant on one step (or on the initial state when `event` is None). The
    predicate runs first on the plain values; only when it fails is it run again through a
    `Reading`, to log the values it read for the violation's detail."""
    if inv.over == "state":
        ok = inv.predicate(after, PYTHON)
    elif event is None:
        return None
    else:
        ok = inv.predicate(before, event, output, after, PYTHON)
    if ok:
        return None
    log: dict[str, Any] = {}
    if inv.over == "state":
        ok = inv.predicate(Reading(after, log, "state."), PYTHON)
    elif event is None:
        return None
    else:
        ok = inv.predicate(
            Reading(before, log, "before."),
            event,
            Reading(output, log, "output."),
            Reading(after, log, "after."),
            PYTHON,
        )
    return None if ok else Violation(invariant=inv.name, step=step, detail=_detail(inv, log))


def violations(trace: Run, invariants: list[Invariant] | None = None) -> list[Violation]:
    """The first violation of each invariant in a run."""
    from aurules.model.state import event_facts

    found: dict[str, Violation] = {}
    chosen = invariants or INVARIANTS
    for inv in chosen:
        hit = check_state(inv, trace.initial, None, None, trace.initial, step=0)
        if hit:
            found[inv.name] = hit
    for step in trace.steps:
        facts = event_facts(step.event)
        for inv in chosen:
            if inv.name in found:
                continue
            hit = check_state(inv, step.before, facts, step.output, step.after, step=step.index + 1)
            if hit:
                found[inv.name] = hit
    return list(found.values())


def first_violation(scenario: Scenario, ruleset: Ruleset, invariant: str) -> Violation | None:
    """Whether the scenario violates the named invariant under the ruleset."""
    for violation in violations(run(scenario, ruleset)):
        if violation.invariant == invariant:
            return violation
    return None
