"""Z3 checks of the invariants over the lifecycle's transition relation.

Two methods, both built from the same rule definitions as the simulator:

- **Induction (Houdini).** The state invariants, the well-formedness invariant and a few
  ruleset-aware strengthening lemmas are candidates. Any candidate that a single step from a
  state satisfying all candidates can break is dropped, until the rest is inductive; if the
  initial states satisfy it, every remaining candidate is `proved` for all depths, and every
  step invariant implied by it is `proved` too.
- **Bounded model checking.** From the initial states, the transition is unrolled one event at
  a time up to a stated depth; at each depth Z3 looks for a violation. The first depth that
  has one gives a counterexample with the fewest events; it is rounded (whole hours and
  pounds where possible), turned back into a scenario, replayed on the simulator to confirm it,
  and returned.

The initial states and the unrolling are `aurules.model.symbolic.unrolling`'s. Every query
runs under a deterministic resource limit (`rlimit`); `unknown` is reported with Z3's reason.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import z3

from aurules.model.glue import DAYS_PER_WEEK, milestone_amounts
from aurules.model.lifecycle import transition
from aurules.model.ruleset import Ruleset
from aurules.model.state import (
    State,
    event_domain,
)
from aurules.model.symbolic.unrolling import (
    RLIMIT,
    InitialStates,
    Unrolling,
    event_wishes,
    fresh_event,
    fresh_state,
    scenario_from_model,
)
from aurules.model.values_z3 import Z3, check_within, tracked
from aurules.properties.invariant import Invariant
from aurules.properties.invariants import INVARIANTS
from aurules.properties.verdict import Verdict, proved_else_bounded

LEMMAS: list[tuple[str, Callable[[State, Ruleset, Any], Any]]] = [
    (
        "eligible plan (the start's, or a valid restart's) within the planned duration",
        lambda s, p, b: b.implies(
            b.and_(s.eligible, s.plan_valid),
            s.original_end_day - s.start_day <= p.duration.max_planned_days,
        ),
    ),
    (
        "counted delivery within the withdrawal deadline",
        lambda s, p, b: b.or_(
            s.last_counted_day == s.start_day,
            b.and_(
                s.original_end_day - s.start_day <= p.duration.max_planned_days,
                s.last_counted_day
                <= s.original_end_day
                + p.duration.withdraw_after_weeks * DAYS_PER_WEEK
                + s.leave_at_last_count,
            ),
        ),
    ),
    (
        "milestone 1 held is its amount",
        lambda s, p, b: b.implies(
            s.m1_held,
            s.m1_government + s.m1_account + s.m1_direct == milestone_amounts(s.cap, p, b)[0],
        ),
    ),
    (
        "milestone 2 held is its amount",
        lambda s, p, b: b.implies(
            s.m2_held,
            s.m2_government + s.m2_account + s.m2_direct == milestone_amounts(s.cap, p, b)[1],
        ),
    ),
]
"""Strengthening lemmas for induction. They may read the ruleset (they describe how these
rules behave, not what policy intends) and are proved along with the invariants."""


def _check(solver: z3.Solver, *assumptions: Any) -> Any:
    return check_within(solver, RLIMIT, *assumptions)


def violation(unrolling: Unrolling, invariant: Invariant, k: int) -> Any:
    """The invariant fails after k events (k = 0: in the initial state)."""
    after = unrolling.states[k]
    if invariant.over == "state":
        return z3.Not(invariant.predicate(after, Z3))
    if k == 0:
        return z3.BoolVal(False)
    return z3.Not(
        invariant.predicate(
            unrolling.states[k - 1], unrolling.events[k - 1], unrolling.outputs[k - 1], after, Z3
        )
    )


def bounded_check(
    ruleset: Ruleset, invariants: list[Invariant], depth: int, unrolling: Unrolling | None = None
) -> dict[str, Verdict]:
    """Bounded model checking of each invariant up to `depth` events."""
    unrolling = unrolling or Unrolling(ruleset)
    verdicts: dict[str, Verdict] = {}
    started = {inv.name: time.perf_counter() for inv in invariants}
    pending = list(invariants)
    for k in range(depth + 1):
        while unrolling.depth < k:
            unrolling.extend()
        for inv in list(pending):
            bad = violation(unrolling, inv, k)
            answer = _check(unrolling.solver, tracked(unrolling.solver, bad, f"bad.{inv.name}.{k}"))
            if answer == z3.unsat:
                continue
            pending.remove(inv)
            seconds = time.perf_counter() - started[inv.name]
            if answer == z3.unknown:
                verdicts[inv.name] = Verdict(
                    invariant=inv.name,
                    method="z3 bmc",
                    verdict="unknown",
                    depth=k,
                    seconds=seconds,
                    detail=unrolling.solver.reason_unknown(),
                )
                continue
            scenario, step, detail = _witness(unrolling, inv, k, bad)
            verdicts[inv.name] = Verdict(
                invariant=inv.name,
                method="z3 bmc",
                verdict="violated",
                depth=k,
                seconds=seconds,
                scenario=scenario,
                step=step,
                detail=detail,
            )
    for inv in pending:
        verdicts[inv.name] = Verdict(
            invariant=inv.name,
            method="z3 bmc",
            verdict=f"holds to depth {depth}",
            depth=depth,
            seconds=time.perf_counter() - started[inv.name],
        )
    return verdicts


def _witness(
    unrolling: Unrolling, inv: Invariant, k: int, bad: Any
) -> tuple[dict[str, Any], int, str]:
    """The model as a scenario, with as many round values as Z3 can keep (whole hours and
    pounds, no recordings, no stated costs): a readable witness an analyst can check."""
    optimizer = z3.Optimize()
    optimizer.set("rlimit", RLIMIT)
    optimizer.add(unrolling.solver.assertions())
    optimizer.add(z3.Bool(f"bad.{inv.name}.{k}"))
    for wish in [*unrolling.init.round_values(), *event_wishes(unrolling.events[:k])]:
        optimizer.add_soft(wish)
    if optimizer.check() == z3.sat:
        model = optimizer.model()
    else:  # fall back on the plain model
        _check(unrolling.solver, z3.Bool(f"bad.{inv.name}.{k}"))
        model = unrolling.solver.model()
    scenario = scenario_from_model(model, unrolling, k)
    return scenario, k, f"found by z3 after {k} event(s)"


def induction(ruleset: Ruleset, invariants: list[Invariant]) -> tuple[set[str], str]:
    """Houdini: the invariants (and lemmas) proved inductive, and a note on why the others
    were dropped. Step invariants count as proved when the inductive set implies them."""
    init = InitialStates(ruleset)
    ruleset = init.bound  # bands and claim rules read the learner's (symbolic) start facts
    state, event = fresh_state("pre"), fresh_event("ev")
    after, output = transition(state, event, ruleset, Z3)
    step_domain = z3.And(event_domain(event, Z3), event.day >= state.last_day)
    candidates: dict[str, Callable[[State], Any]] = {
        inv.name: _state_predicate(inv) for inv in invariants if inv.over == "state"
    }
    for name, lemma in LEMMAS:
        candidates[f"lemma: {name}"] = _lemma_predicate(lemma, ruleset)
    dropped: list[str] = []
    while True:  # Houdini: drop what one step can break, then what the start breaks; repeat
        broken = _not_inductive(candidates, state, after, step_domain)
        if broken is not None:
            dropped.append(broken)
            continue
        failing = _not_initial(candidates, init)
        if failing is None:
            break
        dropped.append(failing)
    proved = {name for name in candidates if not name.startswith("lemma: ")}
    solver = z3.Solver()
    solver.add(step_domain, *[c(state) for c in candidates.values()])
    for inv in invariants:
        if inv.over != "step":
            continue
        bad = z3.Not(inv.predicate(state, event, output, after, Z3))
        if _check(solver, tracked(solver, bad, f"stepinv.{inv.name}")) == z3.unsat:
            proved.add(inv.name)
    return proved, "; ".join(dropped)


def _not_inductive(
    candidates: dict[str, Callable[[State], Any]], state: State, after: State, step_domain: Any
) -> str | None:
    """Remove and name one candidate that a step from a state satisfying all can break."""
    solver = z3.Solver()
    solver.add(step_domain, *[c(state) for c in candidates.values()])
    for name, candidate in candidates.items():
        answer = _check(solver, tracked(solver, z3.Not(candidate(after)), f"step.{name}"))
        if answer != z3.unsat:
            del candidates[name]
            return f"{name} ({'not inductive' if answer == z3.sat else 'unknown'})"
    return None


def _not_initial(candidates: dict[str, Callable[[State], Any]], init: InitialStates) -> str | None:
    """Remove and name one candidate that some initial state breaks."""
    base = z3.Solver()
    base.add(*init.constraints)
    for name, candidate in candidates.items():
        answer = _check(base, tracked(base, z3.Not(candidate(init.state)), f"init.{name}"))
        if answer != z3.unsat:
            del candidates[name]
            return f"{name} ({'fails initially' if answer == z3.sat else 'unknown initially'})"
    return None


def _state_predicate(inv: Invariant) -> Callable[[State], Any]:
    return lambda s: inv.predicate(s, Z3)


def _lemma_predicate(
    lemma: Callable[[State, Ruleset, Any], Any], ruleset: Ruleset
) -> Callable[[State], Any]:
    return lambda s: lemma(s, ruleset, Z3)


def check_invariants(ruleset: Ruleset, depth: int) -> dict[str, Verdict]:
    """Every invariant: `proved` by induction where possible, else bounded to `depth`."""
    return proved_else_bounded(
        INVARIANTS,
        lambda: induction(ruleset, INVARIANTS),
        lambda rest: bounded_check(ruleset, rest, depth),
    )
