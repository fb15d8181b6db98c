"""MC/DC fixtures for the lifecycle's claim conditions, found by bounded model checking.

For every guard of every claim item (milestone 1, milestone 2, learning support), Z3 unrolls
the transition relation from the initial states of
`aurules.model.symbolic.unrolling` and looks for the
shortest event sequence whose last event is a claim of that item that this guard alone
refuses (every other guard of the item holds: the condition changes the outcome on its own).
Then it looks for the nearest sequence of the same length whose claim is paid: every start
fact and event field kept as in the refused one where Z3 can (soft constraints), so the pair
differs in as little as possible. Both are rebuilt as scenarios, evaluated on the simulator,
and kept only when the evaluation confirms them (the refusal names exactly the guard's
paragraphs; the claim is paid). Deterministic: the same ruleset gives the same fixtures.
"""

from __future__ import annotations

from typing import Any

import z3

from aurules.differences.lifecycle import compact
from aurules.model.evaluate import evaluate, guard_refusal
from aurules.model.lifecycle import ITEM_NAMES
from aurules.model.registry import Rule, paragraph_key
from aurules.model.rulebook import guards
from aurules.model.ruleset import Ruleset
from aurules.model.scenario import Scenario
from aurules.model.symbolic.unrolling import Unrolling, scenario_from_model
from aurules.model.symbolic.witness import free_terms, optimised, readable
from aurules.model.values_z3 import tracked
from aurules.properties.guard_health import MAX_EVENTS


def guard_fixtures(
    ruleset: Ruleset, paragraph: str | None = None
) -> list[tuple[tuple[str, ...], str, dict[str, Any], dict[str, Any]]]:
    """(paragraphs, description, scenario data, outcome) for each confirmed fixture."""
    wanted = [
        (item, g)
        for item in ITEM_NAMES
        for g in guards(item, ruleset)
        if paragraph is None or paragraph in g.paragraphs
    ]
    if not wanted:
        return []
    unrolling = Unrolling(ruleset)
    solver = unrolling.solver
    out: list[tuple[tuple[str, ...], str, dict[str, Any], dict[str, Any]]] = []
    pending = list(wanted)
    payable: dict[str, int] = {}  # the fewest events after which each item can be paid
    for k in range(1, MAX_EVENTS + 1):
        unrolling.extend()
        for item in ITEM_NAMES:
            paid = z3.And(unrolling.last_claim(k, item), *unrolling.guard_results(k, item).values())
            if (
                item not in payable
                and solver.check(tracked(solver, paid, f"fx.paid.{item}.{k}")) == z3.sat
            ):
                payable[item] = k
        for item, g in list(pending):
            if k < payable.get(item, MAX_EVENTS + 1):
                continue  # a refusal shorter than any payment has no passing partner
            results = unrolling.guard_results(k, item)
            alone = z3.And(
                unrolling.last_claim(k, item),
                z3.Not(results[g.name]),
                *[v for name, v in results.items() if name != g.name],
            )
            if solver.check(tracked(solver, alone, f"fx.{item}.{g.name}.{k}")) != z3.sat:
                continue  # none this short (or Z3 gave up): try a longer sequence
            pending.remove((item, g))
            model = optimised(unrolling, alone, readable(unrolling, k), k)
            if model is None:
                continue
            refused = _confirmed(model, unrolling, k, item, g=g, ruleset=ruleset, paid=False)
            if refused is None:
                continue
            out.append(
                (g.paragraphs, _describe(item, g, k, refused[0], ruleset, paid=False), *refused)
            )
            paid = z3.And(unrolling.last_claim(k, item), *results.values())
            near = [
                (t == model.eval(t, model_completion=True), 1) for t in free_terms(unrolling, k)
            ]
            partner = optimised(unrolling, paid, near, k)
            if partner is None:
                continue
            confirmed = _confirmed(partner, unrolling, k, item, g=g, ruleset=ruleset, paid=True)
            if confirmed is not None and confirmed[0] != refused[0]:
                out.append(
                    (
                        g.paragraphs,
                        _describe(item, g, k, confirmed[0], ruleset, paid=True),
                        *confirmed,
                    )
                )
    return out


def _confirmed(
    model: Any, unrolling: Unrolling, k: int, item: str, *, g: Rule, ruleset: Ruleset, paid: bool
) -> tuple[dict[str, Any], dict[str, Any]] | None:
    """The model as scenario data and its outcome, when the simulator agrees: the last
    claim refused by exactly this guard's paragraphs, or paid."""
    data = compact(scenario_from_model(model, unrolling, k))
    outcome = evaluate(
        Scenario.from_data(data, "<guard fixture>", ruleset.structure.facts), ruleset
    ).to_data()
    last = data["events"][-1]["date"]
    if paid:
        ok = any(
            p["item"] == item and p["date"] == last and not p["government"].startswith("-")
            for p in outcome["payments"]
        )
        ok = ok and not any(r["item"] == item and r["date"] == last for r in outcome["refused"])
    else:
        expected = sorted(guard_refusal(g, outcome["failed_paragraphs"]), key=paragraph_key)
        ok = bool(outcome["refused"]) and outcome["refused"][-1] == {
            "date": last,
            "item": item,
            "paragraphs": expected,
        }
    return (data, outcome) if ok else None


def _describe(
    item: str, g: Rule, k: int, data: dict[str, Any], ruleset: Ruleset, *, paid: bool
) -> str:
    what = item.replace("_", " ")
    summary = g.summary_under(ruleset)
    kinds = ", ".join(e["type"] for e in data["events"])
    if paid:
        return f"{summary} The nearest sequence that meets it: {what} paid ({kinds})."
    return (
        f"{summary} The shortest sequence where it alone refuses {what} "
        f"({k} event{'s' if k > 1 else ''}: {kinds})."
    )
