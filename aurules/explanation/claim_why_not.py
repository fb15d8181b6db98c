"""Why-not for a refused claim: the smallest change to the scenario that would get it paid.

The scenario's lifecycle is unrolled as Z3 terms up to the refused claim: the free start facts
of `properties.proofs.VARIED` (plan, price, funding, signing date...) and every field of every
event up to the claim are symbolic, the other start facts stay the scenario's, each event
keeps its kind and the claim its item. Z3 optimisation then keeps as many of the scenario's
values as it can (one soft constraint each, distinct weights so ties break the same way every
run), then moves the rest as little as possible, subject to the claim being paid. The changes
are the answer ("events[0].hours: 17 h -> 18 h"); the changed scenario is rebuilt and
evaluated, and the answer is given only when the simulator pays the claim too.
"""

from __future__ import annotations

from typing import Any

import attrs
import z3

from aurules.model.evaluate import evaluate
from aurules.model.facts import path_of, show_fact
from aurules.model.ruleset import Ruleset
from aurules.model.scenario import Scenario
from aurules.model.state import EVENT_FIELDS, event_facts, show_value
from aurules.model.symbolic.lifecycle import python_value
from aurules.model.symbolic.unrolling import RLIMIT, VARIED, Unrolling, scenario_from_model
from aurules.model.symbolic.witness import TIE_BREAK

MAX_CLAIM_INDEX = 20
"""Claims after this many events are not searched (the unrolling grows with each event)."""


@attrs.frozen(kw_only=True)
class ClaimWhyNot:
    """`sat` with the changes (path, now, would be), `unsat` (no change of the free facts and
    event values pays it), `unknown` (Z3 gave up, or the rebuilt scenario was not paid)."""

    verdict: str
    changes: tuple[tuple[str, str, str], ...] = ()
    detail: str = ""


def claim_why_not(scenario: Scenario, ruleset: Ruleset, index: int) -> ClaimWhyNot:
    """The smallest change that pays the claim at `scenario.events[index]`."""
    if index >= MAX_CLAIM_INDEX:
        return ClaimWhyNot(
            verdict="unknown",
            detail=f"not searched: the claim comes after {MAX_CLAIM_INDEX} events",
        )
    base = attrs.evolve(scenario, events=[])
    unrolling = Unrolling(ruleset, base=base)
    actual = [event_facts(e) for e in scenario.events[: index + 1]]
    for _ in actual:
        unrolling.extend()
    optimizer = z3.Optimize()
    optimizer.set("rlimit", RLIMIT)
    optimizer.add(unrolling.solver.assertions())
    claim = unrolling.events[index]
    optimizer.add(
        *[e.kind == a.kind for e, a in zip(unrolling.events, actual, strict=True)],
        claim.item == actual[index].item,
        unrolling.outputs[index].claim_paid,
    )
    pairs: list[tuple[str, Any, Any]] = []  # (display name, term, value now)
    facts_now = unrolling.init.base_values
    for name, (term, value) in zip(VARIED, facts_now, strict=True):
        pairs.append((f"fact:{name}", term, value))
    for j, (event, now) in enumerate(zip(unrolling.events, actual, strict=True)):
        for field in EVENT_FIELDS:
            if field.name == "kind":
                continue
            value = getattr(now, field.name)
            pairs.append(
                (
                    f"events[{j}].{field.name}",
                    getattr(event, field.name),
                    z3.BoolVal(value) if isinstance(value, bool) else z3.IntVal(value),
                )
            )
    distance = []
    for weight, (_, term, value) in enumerate(pairs):
        optimizer.add_soft(term == value, TIE_BREAK + weight)
        if not z3.is_bool(term):
            distance.append(z3.If(term >= value, term - value, value - term))
    optimizer.minimize(z3.Sum(distance))
    answer = optimizer.check()
    if answer == z3.unknown:
        return ClaimWhyNot(verdict="unknown", detail=optimizer.reason_unknown())
    if answer == z3.unsat:
        return ClaimWhyNot(
            verdict="unsat",
            detail="no change of the plan, funding or event "
            "values pays this claim with the same events in the same order",
        )
    model = optimizer.model()
    rebuilt = Scenario.from_data(
        scenario_from_model(model, unrolling, index + 1), "<why-not>", ruleset.structure.facts
    )
    paid = evaluate(rebuilt, ruleset).to_data()["payments"]
    last = rebuilt.events[index].date.isoformat()
    if not any(
        p["date"] == last and p["item"] == scenario.events[index].item  # type: ignore[union-attr]
        for p in paid
    ):
        return ClaimWhyNot(verdict="unknown", detail="the changed scenario is not paid")
    changes = []
    for name, term, value in pairs:
        then = model.eval(term, model_completion=True)
        if z3.is_true(z3.simplify(then == value)):
            continue
        changes.append(_shown(name, value, then))
    return ClaimWhyNot(verdict="sat", changes=tuple(changes))


def _shown(name: str, now: Any, then: Any) -> tuple[str, str, str]:
    """(path, now, would be) as a person reads them."""
    if name.startswith("fact:"):
        fact = name.removeprefix("fact:")
        return (
            path_of(fact),
            show_fact(fact, python_value(now)),
            show_fact(fact, python_value(then)),
        )
    field = name.rsplit(".", 1)[1]
    key = "event.day_day" if field == "day" else "event." + field  # days show as dates
    return (name, show_value(key, python_value(now)), show_value(key, python_value(then)))
