"""MC/DC fixtures for the lifecycle's claim conditions, found by bounded model checking.

For every guard of every claim item (milestone 1, milestone 2, learning support), Z3 unrolls
the transition relation from the initial states of `properties.proofs` and looks for the
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

from model.evaluate import evaluate
from model.lifecycle import ITEM_NAMES
from model.registry import Rule, guards, paragraph_key
from model.ruleset import Ruleset
from model.scenario import Scenario
from model.state import EVENT_FIELDS, EVENT_KINDS, ITEMS
from model.values_z3 import tracked
from properties.lifecycle_diff import compact
from properties.proofs import RLIMIT, Unrolling, event_wishes, scenario_from_model

MAX_EVENTS = 5
"""The longest sequence searched: a repeated milestone 2 claim needs five events."""

NEAREST_RLIMIT = RLIMIT // 10
"""Work limit of the search for the passing partner (a nicety: without it, no partner)."""


def _last_claim(unrolling: Unrolling, k: int, item: str) -> Any:
    event = unrolling.events[k - 1]
    return z3.And(event.kind == EVENT_KINDS["claim"], event.item == ITEMS[item])


def _results(unrolling: Unrolling, k: int, item: str) -> dict[str, Any]:
    return {g.name: unrolling.outputs[k - 1].guard_results[f"{item}:{g.name}"]
            for g in guards(item)}


def _free_terms(unrolling: Unrolling, k: int) -> list[Any]:
    """Every free start fact and the first k events' fields."""
    from properties.proofs import VARIED

    terms = [getattr(unrolling.init.facts, name) for name in VARIED]
    return terms + [getattr(e, f.name) for e in unrolling.events[:k] for f in EVENT_FIELDS]


def _optimised(unrolling: Unrolling, goal: Any, soft: list[tuple[Any, int]], k: int
               ) -> Any | None:
    """A model of the goal meeting as many soft constraints (with weights) as Z3 can, then,
    to make the answer unique whatever the solver's internal state, the lexicographically
    least values of every free fact and event field in a fixed order. None when the goal has
    no model in budget."""
    optimizer = z3.Optimize()
    optimizer.set("rlimit", NEAREST_RLIMIT)
    optimizer.add(unrolling.solver.assertions())
    optimizer.add(goal)
    for index, (term, weight) in enumerate(soft):
        optimizer.add_soft(term, weight * TIE_BREAK + index)  # distinct: no ties
    for term in _key_terms(unrolling, k):
        optimizer.minimize(z3.If(term, 1, 0) if z3.is_bool(term) else term)
    if optimizer.check() == z3.sat:
        return optimizer.model()
    return None


def _key_terms(unrolling: Unrolling, k: int) -> list[Any]:
    """The values a witness is read by, in the order ties are broken: each event's kind,
    date and amounts, then the free start facts. The other event fields are pinned to 0
    unless their kind uses them (`event_domain`), or are settled by the soft wishes."""
    from properties.proofs import VARIED

    keys = ("kind", "day", "item", "hours", "recorded", "cost", "to_day", "evidenced")
    terms = [getattr(e, name) for e in unrolling.events[:k] for name in keys]
    return terms + [getattr(unrolling.init.facts, name) for name in VARIED]


TIE_BREAK = 1000
"""Soft constraint weights are multiples of this plus their index, so no two weigh the same."""


def _readable(unrolling: Unrolling, k: int) -> list[tuple[Any, int]]:
    """Soft wishes for a witness an analyst can read: the start facts of the base scenario
    (weighted above the rest), then whole hours and pounds."""
    base = unrolling.init.base_values
    wishes = [(term == value, 4) for term, value in base]
    wishes += [(w, 1) for w in unrolling.init.round_values()]
    return wishes + [(w, 1) for w in event_wishes(unrolling.events[:k])]


def guard_fixtures(ruleset: Ruleset, paragraph: str | None = None
                   ) -> list[tuple[tuple[str, ...], str, dict[str, Any], dict[str, Any]]]:
    """(paragraphs, description, scenario data, outcome) for each confirmed fixture."""
    wanted = [(item, g) for item in ITEM_NAMES for g in guards(item)
              if paragraph is None or paragraph in g.paragraphs]
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
            paid = z3.And(_last_claim(unrolling, k, item), *_results(unrolling, k, item).values())
            if item not in payable and solver.check(tracked(
                    solver, paid, f"fx.paid.{item}.{k}")) == z3.sat:
                payable[item] = k
        for item, g in list(pending):
            if k < payable.get(item, MAX_EVENTS + 1):
                continue  # a refusal shorter than any payment has no passing partner
            results = _results(unrolling, k, item)
            alone = z3.And(_last_claim(unrolling, k, item), z3.Not(results[g.name]),
                           *[v for name, v in results.items() if name != g.name])
            if solver.check(tracked(solver, alone, f"fx.{item}.{g.name}.{k}")) != z3.sat:
                continue  # none this short (or Z3 gave up): try a longer sequence
            pending.remove((item, g))
            model = _optimised(unrolling, alone, _readable(unrolling, k), k)
            if model is None:
                continue
            refused = _confirmed(model, unrolling, k, item, g=g, ruleset=ruleset, paid=False)
            if refused is None:
                continue
            out.append((g.paragraphs, _describe(item, g, k, refused[0], paid=False), *refused))
            paid = z3.And(_last_claim(unrolling, k, item), *results.values())
            near = [(t == model.eval(t, model_completion=True), 1)
                    for t in _free_terms(unrolling, k)]
            partner = _optimised(unrolling, paid, near, k)
            if partner is None:
                continue
            confirmed = _confirmed(partner, unrolling, k, item, g=g, ruleset=ruleset,
                                   paid=True)
            if confirmed is not None and confirmed[0] != refused[0]:
                out.append((g.paragraphs, _describe(item, g, k, confirmed[0], paid=True),
                            *confirmed))
    return out


def _confirmed(model: Any, unrolling: Unrolling, k: int, item: str, *, g: Rule,
               ruleset: Ruleset, paid: bool) -> tuple[dict[str, Any], dict[str, Any]] | None:
    """The model as scenario data and its outcome, when the simulator agrees: the last
    claim refused by exactly this guard's paragraphs, or paid."""
    data = compact(scenario_from_model(model, unrolling, k))
    outcome = evaluate(Scenario.from_data(data, "<guard fixture>"), ruleset).to_data()
    last = data["events"][-1]["date"]
    if paid:
        ok = any(p["item"] == item and p["date"] == last and not p["government"].startswith("-")
                 for p in outcome["payments"])
        ok = ok and not any(r["item"] == item and r["date"] == last
                            for r in outcome["refused"])
    else:
        # An ineligible learner's claim is refused with the start paragraphs that failed
        # (or 21.3 after a restart), as `evaluate` reports it.
        expected = (outcome["failed_paragraphs"] or ["21.3"] if g.name == "eligible_learner"
                    else sorted(g.paragraphs, key=paragraph_key))
        ok = bool(outcome["refused"]) and outcome["refused"][-1] == {
            "date": last, "item": item, "paragraphs": expected}
    return (data, outcome) if ok else None


def _describe(item: str, g: Rule, k: int, data: dict[str, Any], *, paid: bool) -> str:
    what = item.replace("_", " ")
    kinds = ", ".join(e["type"] for e in data["events"])
    if paid:
        return (f"{g.summary} The nearest sequence that meets it: {what} paid "
                f"({kinds}).")
    return (f"{g.summary} The shortest sequence where it alone refuses {what} "
            f"({k} event{'s' if k > 1 else ''}: {kinds}).")
