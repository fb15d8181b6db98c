"""The lifecycle half of `aurules diff`: event sequences whose payments, refusals or
recoveries differ between two rulesets, for a learner eligible under both.

Both rulesets' transition relations are unrolled over the same start facts and the same
events (one solver, state constants tagged per ruleset). For each output of a step (claim
paid, each payer's amount, the above-rate part, recoveries, extension refused), iterative
deepening finds the shortest sequence whose last step is the first to differ there; the
witness is rebuilt as a scenario and confirmed by evaluating it under both rulesets.
"""

from __future__ import annotations

from typing import Any

import attrs
import z3

from aurules.model.evaluate import evaluate, run
from aurules.model.lifecycle import OUTPUT_FIELDS
from aurules.model.proposal import added_facts
from aurules.model.ruleset import Ruleset
from aurules.model.scenario import MINIMAL, Scenario
from aurules.model.state import EVENT_KINDS
from aurules.model.symbolic.unrolling import (
    RLIMIT,
    VARIED,
    Unrolling,
    event_wishes,
    scenario_from_model,
)
from aurules.model.values_z3 import tracked


@attrs.frozen(kw_only=True)
class LifecycleGroup:
    output: str
    verdict: str  # "differs" or "unknown"
    depth: int
    event: str = ""
    witness: dict[str, Any] | None = None
    base_outcome: dict[str, Any] | None = None
    proposal_outcome: dict[str, Any] | None = None
    detail: str = ""
    behaviour: str = ""
    """What differs, in words ("milestone_1 claim: paid or refused")."""
    cause: str = ""
    """The change of the proposal that makes it differ."""


def _trace(scenario: Scenario, ruleset: Ruleset) -> list[tuple[Any, ...]]:
    """What each step paid, refused or recovered (extensions included), concretely."""
    return [
        tuple(getattr(step.output, n) for n in OUTPUT_FIELDS)
        for step in run(scenario, ruleset).steps
    ]


def lifecycle_diff(base: Ruleset, proposal: Ruleset, depth: int = 4) -> list[LifecycleGroup]:
    """Every step output that can differ within `depth` events, with a witness each."""
    solver = z3.Solver()
    solver.set("rlimit", RLIMIT)
    left, right = Unrolling(base, "b.", solver), Unrolling(proposal, "p.", solver)
    solver.add(left.init.eligible, right.init.eligible)
    found: list[LifecycleGroup] = []
    pending = list(OUTPUT_FIELDS)
    same_so_far: list[Any] = []
    for k in range(1, depth + 1):
        left.extend()
        right.extend()
        out_b, out_p = left.outputs[-1], right.outputs[-1]
        terms = {name: getattr(out_b, name) != getattr(out_p, name) for name in pending}
        literals = {name: tracked(solver, term, f"d.{name}.{k}") for name, term in terms.items()}
        while pending:
            # One question for every output still pending: can any differ at this depth?
            # Only the outputs a model shows differing are then reported one by one.
            either = tracked(
                solver, z3.Or([literals[n] for n in pending]), f"any.{k}.{len(pending)}"
            )
            answer = solver.check(*same_so_far, either)
            if answer == z3.unsat:
                break
            if answer == z3.sat:
                model = solver.model()
                shown = [
                    n for n in pending if z3.is_true(model.eval(terms[n], model_completion=True))
                ]
                for name in shown:
                    pending.remove(name)
                    found.append(
                        _group(
                            solver,
                            [*same_so_far, literals[name]],
                            model,
                            (left, base, proposal),
                            name=name,
                            k=k,
                        )
                    )
                continue
            for name in list(pending):  # unknown: ask about each output on its own
                answer = solver.check(*same_so_far, literals[name])
                if answer == z3.unsat:
                    continue
                pending.remove(name)
                if answer == z3.unknown:
                    found.append(
                        LifecycleGroup(
                            output=name, verdict="unknown", depth=k, detail=solver.reason_unknown()
                        )
                    )
                else:
                    found.append(
                        _group(
                            solver,
                            [*same_so_far, literals[name]],
                            solver.model(),
                            (left, base, proposal),
                            name=name,
                            k=k,
                        )
                    )
            break
        # later depths look for differences that first appear later
        same_so_far.append(
            tracked(
                solver,
                z3.And([getattr(out_b, n) == getattr(out_p, n) for n in OUTPUT_FIELDS]),
                f"same.{k}",
            )
        )
    return found


def _group(
    solver: z3.Solver,
    assumptions: list[Any],
    first: Any,
    context: tuple[Unrolling, Ruleset, Ruleset],
    *,
    name: str,
    k: int,
) -> LifecycleGroup:
    """The group for an output that differs after k events: a readable witness (from `first`
    when no rounder one is in budget), rebuilt as a scenario and evaluated under both."""
    left, base, proposal = context
    model = _rounded(solver, assumptions, left, k, first)
    kind = model.eval(left.events[k - 1].kind, model_completion=True).as_long()
    new_facts = added_facts(base, proposal)
    data = compact(scenario_from_model(model, left, k, new_facts))
    scenario = Scenario.from_data(data, "<diff witness>", new_facts)
    confirmed = _trace(scenario, base) != _trace(scenario, proposal)
    plain = _without_unused_transfer(data)
    if confirmed and plain is not data:
        simpler = Scenario.from_data(plain, "<diff witness>", new_facts)
        if _trace(simpler, base) != _trace(simpler, proposal):
            data, scenario = plain, simpler
    return LifecycleGroup(
        output=name,
        verdict="differs" if confirmed else "unknown",
        depth=k,
        event=EVENT_KINDS.name(kind),
        witness=data,
        base_outcome=evaluate(scenario, base).to_data(),
        proposal_outcome=evaluate(scenario, proposal).to_data(),
        detail="" if confirmed else "the rebuilt witness does not differ",
    )


def _rounded(
    solver: z3.Solver, assumptions: list[Any], unrolling: Unrolling, k: int, first: Any
) -> Any:
    """A model of the difference an analyst can read, from the first of these that Z3 finds
    within its budget: the base scenario's start facts with round values, then those facts
    alone (both with the larger budget: with the start fixed the search is over the events
    only, and a small budget made the first stage fail or pass by what Z3 had done before);
    the same two with the employer's facts free (a difference in who pays
    needs a levy payer or a transfer); round values alone (whole hours and pounds, no
    recordings); else `first`, the model the difference was found with. Readability is a
    nicety, the difference is the result, so the budgets are small."""
    base = [term == value for term, value in unrolling.init.base_values]
    plan = [
        term == value
        for name, (term, value) in zip(VARIED, unrolling.init.base_values, strict=True)
        if name not in EMPLOYER
    ]
    rounds = [*unrolling.init.round_values(), *event_wishes(unrolling.events[:k])]
    stages = (
        ([*base, *rounds], BASE_RLIMIT),
        (base, BASE_RLIMIT),
        ([*plan, *rounds], ROUNDING_RLIMIT),
        (plan, BASE_RLIMIT),
        (rounds, ROUNDING_RLIMIT),
    )
    for stage, (wishes, budget) in enumerate(stages):
        literal = tracked(solver, z3.And(*wishes), f"round.{stage}.{k}.{len(assumptions)}")
        solver.set("rlimit", budget)
        readable = solver.check(*assumptions, literal) == z3.sat
        solver.set("rlimit", RLIMIT)
        if readable:
            if stage < 2:  # every start fact as the base scenario's already
                return solver.model()
            return _fewest_changes(solver, [*assumptions, literal], unrolling, k)
    return first


def _fewest_changes(solver: z3.Solver, assumptions: list[Any], unrolling: Unrolling, k: int) -> Any:
    """A model that keeps as many start facts as the base scenario's as it can (greedily, one
    fact at a time): the witness then sets only what the difference needs (no transfer, levy
    balance or LDD flag it does not use)."""
    kept: list[Any] = []
    solver.set("rlimit", ROUNDING_RLIMIT)
    try:
        for index, (term, value) in enumerate(unrolling.init.base_values):
            literal = tracked(solver, term == value, f"keep.{index}.{k}.{len(assumptions)}")
            if solver.check(*assumptions, *kept, literal) == z3.sat:
                kept.append(literal)
        answer = solver.check(*assumptions, *kept)
    finally:
        solver.set("rlimit", RLIMIT)
    if answer != z3.sat:
        solver.check(*assumptions)
    return solver.model()


EMPLOYER = ("levy_payer", "levy_balance", "funding", "has_sender_balance", "sender_balance")
"""The start facts of the employer and its funding (free in the middle stages of `_rounded`)."""
ROUNDING_RLIMIT = RLIMIT // 60
BASE_RLIMIT = RLIMIT // 6


def _without_unused_transfer(data: dict[str, Any]) -> dict[str, Any]:
    """The witness without its transfer's details when it is not funded by a transfer (the
    initial states keep a transfer at hand so that any route can be chosen); the same data
    when there is nothing to drop."""
    employer = data.get("employer", {})
    if employer.get("funding") == "transfer" or "transfer" not in employer:
        return data
    out = {**data, "employer": {k: v for k, v in employer.items() if k != "transfer"}}
    if not out["employer"]:
        del out["employer"]
    return out


def compact(data: dict[str, Any]) -> dict[str, Any]:
    """Scenario data without the fields that equal their defaults (the required ones stay)."""
    defaults = Scenario.from_data(MINIMAL).to_data()

    def strip(value: Any, default: Any, keep: Any) -> Any:
        if isinstance(value, dict) and isinstance(default, dict):
            out = {}
            for key, item in value.items():
                kept = keep.get(key) if isinstance(keep, dict) else None
                if key in default and item == default[key] and kept is None:
                    continue
                out[key] = strip(item, default.get(key), kept)
            return out
        return value

    return strip(data, defaults, MINIMAL)
