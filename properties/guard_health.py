"""Claim conditions that cannot refuse and claims that cannot be paid, by bounded model
checking (`health.claims_payable`, `health.guards_can_refuse` in `aurules check`).

Z3 unrolls the lifecycle from the initial states of `aurules.model.symbolic.unrolling` up to
`MAX_EVENTS` events and asks, for each claim item, after how many events a claim of it can
first be paid (every guard holding), and for each guard, after how many it can first refuse
one. A claim no sequence pays is dead; a guard that never refuses is always true (within the
bound).
"""

from __future__ import annotations

import time
from typing import Any

import attrs
import z3

from aurules.model.lifecycle import ITEM_NAMES
from aurules.model.rulebook import guards
from aurules.model.ruleset import Ruleset
from aurules.model.symbolic.unrolling import Unrolling
from aurules.model.values_z3 import tracked

MAX_EVENTS = 5
"""The longest sequence searched: a repeated milestone 2 claim needs five events."""


@attrs.frozen(kw_only=True)
class GuardHealth:
    """Within `MAX_EVENTS` events: after how many each claim can first be paid (every guard
    holding), and each guard first refuse a claim (alone or not); None: not within bound;
    -1: Z3 gave up."""

    payable: dict[str, int | None]
    refusing: dict[tuple[str, str], int | None]
    seconds: float


def guard_health(ruleset: Ruleset) -> GuardHealth:
    """Dead and always-true claim conditions, by bounded model checking: a claim no sequence
    pays is dead; a guard no sequence makes refuse is always true (within the bound)."""
    started = time.perf_counter()
    unrolling = Unrolling(ruleset)
    solver = unrolling.solver
    payable: dict[str, int | None] = dict.fromkeys(ITEM_NAMES)
    refusing: dict[tuple[str, str], int | None] = {
        (item, g.name): None for item in ITEM_NAMES for g in guards(item, ruleset)
    }
    for k in range(1, MAX_EVENTS + 1):
        unrolling.extend()
        for item in ITEM_NAMES:
            claim = unrolling.last_claim(k, item)
            results = unrolling.guard_results(k, item)
            if payable[item] is None:
                payable[item] = _first(
                    solver, z3.And(claim, *results.values()), k, f"hp.{item}.{k}"
                )
            for name, value in results.items():
                if refusing[(item, name)] is None:
                    refusing[(item, name)] = _first(
                        solver, z3.And(claim, z3.Not(value)), k, f"hr.{item}.{name}.{k}"
                    )
    return GuardHealth(payable=payable, refusing=refusing, seconds=time.perf_counter() - started)


def _first(solver: z3.Solver, goal: Any, k: int, tag: str) -> int | None:
    answer = solver.check(tracked(solver, goal, tag))
    return k if answer == z3.sat else -1 if answer == z3.unknown else None
