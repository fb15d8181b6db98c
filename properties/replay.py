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


ITEM_WORDS = {
    "milestone_1": "milestone 1",
    "milestone_2": "milestone 2",
    "learning_support": "learning support",
}
ORDINALS = ("", "", " a second time", " a third time")


def sentence(scenario: Scenario, ruleset: Ruleset, invariant: str) -> str:
    """In one sentence, which event on which date broke the invariant and how ("milestone 1
    paid a second time on 2026-09-14 after the restart of 2026-09-07: £450.00 again; breaks
    milestone_paid_at_most_once: ..."); "" when the scenario does not break it."""
    from aurules.properties.invariant_index import by_name

    trace = run(scenario, ruleset)
    hit = next((v for v in violations(trace) if v.invariant == invariant), None)
    if hit is None:
        return ""
    meaning = by_name(invariant).meaning.rstrip(".")
    if hit.step == 0:
        return (
            f"at the start ({scenario.plan.start_date}) the learner breaks {invariant}: {meaning}"
        )
    step = trace.steps[hit.step - 1]
    event = step.event
    earlier = [s.event for s in trace.steps[: hit.step - 1]]
    what, amount = _happened(step, earlier)
    restarts = [e for e in earlier if e.type == "restarted"]
    after = f" after the restart of {restarts[-1].date}" if restarts else ""
    return (
        f"{what} on {event.date}{after} (event {hit.step} of {len(trace.steps)}){amount}; "
        f"this breaks {invariant}: {meaning}"
    )


def _happened(step: Any, earlier: list[Any]) -> tuple[str, str]:
    """What one event did, in words, and the amount it paid (", £450.00 again")."""
    from aurules.model.money import Money

    event = step.event
    if event.type == "claim":
        item = ITEM_WORDS.get(event.item, event.item)
        if step.payments:
            paid = [p for p in step.payments if p.item == event.item]
            total = sum(
                (p.government.pence + p.employer_account.pence + p.employer_direct.pence)
                for p in paid
            )
            before = sum(1 for e in earlier if e.type == "claim" and e.item == event.item)
            times = ORDINALS[min(before + 1, len(ORDINALS) - 1)] if before else ""
            return f"{item} paid{times}", f": £{Money(total)}{' again' if before else ''}"
        if step.refusal is not None:
            return f"{item} refused ({', '.join(step.refusal.paragraphs)})", ""
        return f"a claim for {item}", ""
    if event.type == "delivered":
        return f"{event.hours} h delivered", ""
    return event.type.replace("_", " "), ""
