"""Readable, deterministic witnesses from an unrolled lifecycle (Z3 optimisation).

A witness is what an analyst reads, so it should sit near the base scenario (the minimal
learner, whole hours and pounds) and be the same every run. `optimised` asks Z3 for a model of
a goal that meets as many weighted soft wishes as it can, then breaks every remaining tie by
the lexicographically least values of the key event fields and start facts, so the answer
does not depend on the solver's internal state (terms created earlier in the process, the
order of hash tables). Used by the claim-condition fixtures, the lifecycle diff and the
claim why-not.
"""

from __future__ import annotations

from typing import Any

import z3

from aurules.model.state import EVENT_FIELDS
from aurules.model.symbolic.unrolling import RLIMIT, VARIED, Unrolling, event_wishes

TIE_BREAK = 1000
"""Base weight of the soft constraints (above the number of facts, so fewer changes always
win; the small increments make ties come out the same every run)."""

NEAREST_RLIMIT = RLIMIT // 10
"""Work limit of one witness search (a nicety: without a model in budget, none is given)."""


def free_terms(unrolling: Unrolling, k: int) -> list[Any]:
    """Every free start fact and the first k events' fields."""
    terms = [getattr(unrolling.init.facts, name) for name in VARIED]
    return terms + [getattr(e, f.name) for e in unrolling.events[:k] for f in EVENT_FIELDS]


def optimised(unrolling: Unrolling, goal: Any, soft: list[tuple[Any, int]], k: int) -> Any | None:
    """A model of the goal meeting as many soft constraints (with weights) as Z3 can, then,
    to make the answer unique whatever the solver's internal state, the lexicographically
    least values of the key event fields and start facts (`key_terms`). None when the goal
    has no model in budget."""
    optimizer = z3.Optimize()
    optimizer.set("rlimit", NEAREST_RLIMIT)
    optimizer.add(unrolling.solver.assertions())
    optimizer.add(goal)
    for index, (term, weight) in enumerate(soft):
        optimizer.add_soft(term, weight * TIE_BREAK + index)  # distinct: no ties
    for term in key_terms(unrolling, k):
        optimizer.minimize(z3.If(term, 1, 0) if z3.is_bool(term) else term)
    if optimizer.check() == z3.sat:
        return optimizer.model()
    return None


def key_terms(unrolling: Unrolling, k: int) -> list[Any]:
    """The values a witness is read by, in the order ties are broken: each event's kind,
    date and amounts, then its other fields (those its kind does not use are pinned to 0 by
    `event_domain`), then the free start facts."""
    first = ("kind", "day", "item", "hours", "recorded", "cost", "to_day", "evidenced")
    keys = (*first, *(f.name for f in EVENT_FIELDS if f.name not in first))
    terms = [getattr(e, name) for e in unrolling.events[:k] for name in keys]
    return terms + [getattr(unrolling.init.facts, name) for name in VARIED]


def readable(unrolling: Unrolling, k: int) -> list[tuple[Any, int]]:
    """Soft wishes for a witness an analyst can read: the start facts of the base scenario
    (weighted above the rest), then whole hours and pounds."""
    base = unrolling.init.base_values
    wishes = [(term == value, 4) for term, value in base]
    wishes += [(w, 1) for w in unrolling.init.round_values()]
    return wishes + [(w, 1) for w in event_wishes(unrolling.events[:k])]
