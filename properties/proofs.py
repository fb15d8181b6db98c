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

Initial states: the minimal scenario's learner starting on its start date, with the plan
(end date, hours), the unit (published hours, funding rate), the price, the employer (levy
status and funds, funding route, a transfer sender's funds), the training plan's signing date,
learning difficulty and the learner's contribution all free. Every query runs under a
deterministic resource limit (`rlimit`); `unknown` is reported with Z3's reason.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable
from typing import Any

import attrs
import z3

from model.facts import FACT_FIELDS, FUNDING, Facts, derive
from model.glue import DAYS_PER_WEEK, milestone_amounts
from model.lifecycle import transition
from model.money import format_pence
from model.registry import start_rules
from model.ruleset import Ruleset
from model.scenario import MINIMAL, Scenario
from model.state import (
    EVENT_FIELDS,
    EVENT_KINDS,
    ITEMS,
    LEAVE,
    STATE_FIELDS,
    EventFacts,
    State,
    event_domain,
    initial_state,
)
from model.symbolic import symbolic_facts
from model.symbolic_lifecycle import symbolic_event, symbolic_state
from model.values_z3 import Z3, check_within, tracked
from properties.invariants import INVARIANTS, Invariant

RLIMIT = 60_000_000
"""Deterministic work limit per query (Z3 resource units, not seconds)."""

VARIED = ("planned_end_day", "planned_hours", "published_min_hours", "price", "funding_rate",
          "levy_payer", "levy_balance", "funding", "has_sender_balance", "sender_balance",
          "ldd", "has_plan_signed_on", "plan_signed_day", "learner_contribution")
"""Start facts left free in the initial states; the others are the minimal scenario's."""

PLAUSIBLE_PRICE = 1_000_000
"""£10,000 in pence: witnesses prefer prices and funding rates no larger (a readability wish)."""
PLAUSIBLE_FUNDS = 10_000_000
"""£100,000 in pence: the same for account and sender funds."""

HORIZON_DAYS = 400
"""Events fall within this many days of the start (keeps witnesses readable)."""


def base_scenario() -> Scenario:
    """The fixed part of the initial states: the minimal scenario, with a transfer approved
    20 and accepted 10 days before the start so that any funding route can be chosen."""
    data = {**MINIMAL, "employer": {"transfer": {"approved_on": "2026-04-14",
                                                 "accepted_on": "2026-04-24"}}}
    return Scenario.from_data(data, "<base>")


LEMMAS: list[tuple[str, Callable[[State, Ruleset, Any], Any]]] = [
    ("eligible start within the planned duration",
     lambda s, p, b: b.implies(s.eligible, s.original_end_day - s.start_day
                               <= p.duration.max_planned_days)),
    ("counted delivery within the withdrawal deadline",
     lambda s, p, b: b.or_(s.last_counted_day == s.start_day, b.and_(
         s.original_end_day - s.start_day <= p.duration.max_planned_days,
         s.last_counted_day <= s.original_end_day
         + p.duration.withdraw_after_weeks * DAYS_PER_WEEK + s.leave_at_last_count))),
    ("milestone 1 held is its amount",
     lambda s, p, b: b.implies(s.m1_held, s.m1_government + s.m1_account + s.m1_direct
                               == milestone_amounts(s.cap, p, b)[0])),
    ("milestone 2 held is its amount",
     lambda s, p, b: b.implies(s.m2_held, s.m2_government + s.m2_account + s.m2_direct
                               == milestone_amounts(s.cap, p, b)[1])),
]
"""Strengthening lemmas for induction. They may read the ruleset (they describe how these
rules behave, not what policy intends) and are proved along with the invariants."""


@attrs.frozen(kw_only=True)
class Verdict:
    """The Z3 verdict on one invariant."""

    invariant: str
    method: str
    verdict: str
    depth: int | None
    seconds: float
    scenario: dict[str, Any] | None = None
    step: int | None = None
    detail: str = ""


def _check(solver: z3.Solver, *assumptions: Any) -> Any:
    return check_within(solver, RLIMIT, *assumptions)


def _fresh_state(tag: str) -> State:
    return symbolic_state(f"{tag}.")


def _fresh_event(tag: str) -> EventFacts:
    return symbolic_event(f"{tag}.")


def _state_equal(target: State, source: State) -> Any:
    return z3.And([getattr(target, f.name) == getattr(source, f.name) for f in STATE_FIELDS])


class InitialStates:
    """Symbolic initial states: free facts over the base scenario's facts."""

    def __init__(self, ruleset: Ruleset, base: Scenario | None = None) -> None:
        """`base` fixes the facts that are not free (default: `base_scenario()`)."""
        self.ruleset = ruleset
        self.base = base or base_scenario()
        concrete = derive(self.base, ruleset)
        free = symbolic_facts()
        values = {f.name: (getattr(free, f.name) if f.name in VARIED
                           else _z3_value(getattr(concrete, f.name))) for f in FACT_FIELDS}
        self.facts = Facts(**values)
        self.base_values = [(getattr(free, name), _z3_value(getattr(concrete, name)))
                            for name in VARIED]
        """Each free fact beside its value in the base scenario (for witnesses near it)."""
        self.eligible = z3.And([rule(self.facts, ruleset, Z3) for rule in start_rules()])
        self.state = initial_state(self.facts, self.eligible, Z3)
        f = self.facts
        self.constraints = [
            f.planned_end_day >= 1, f.planned_hours >= 0, f.published_min_hours >= 0,
            f.published_min_hours % 100 == 0, f.price >= 0, f.funding_rate >= 0,
            f.levy_balance >= 0, f.funding >= 0, f.funding < len(FUNDING.names),
            f.sender_balance >= 0, z3.Implies(z3.Not(f.has_sender_balance),
                                              f.sender_balance == 0),
            f.plan_signed_day >= 0,
            z3.Implies(f.has_plan_signed_on, z3.And(
                f.plan_signed_day >= f.start_day - HORIZON_DAYS,
                f.plan_signed_day <= f.start_day + HORIZON_DAYS)),
            z3.Implies(z3.Not(f.has_plan_signed_on), f.plan_signed_day == 0),
            f.learner_contribution >= 0,
        ]

    def round_values(self) -> list[Any]:
        """Soft wishes for a readable witness: whole hours and whole pounds, and amounts of
        a size a unit has (a price and funding rate up to £10,000, funds up to £100,000)."""
        f = self.facts
        start = f.start_day
        return [f.planned_hours % 100 == 0, f.price % 10_000 == 0, f.funding_rate % 10_000 == 0,
                f.price > 0, f.funding_rate > 0, f.planned_hours <= 14_000,
                f.price <= PLAUSIBLE_PRICE, f.funding_rate <= PLAUSIBLE_PRICE,
                f.levy_balance <= PLAUSIBLE_FUNDS, f.sender_balance <= PLAUSIBLE_FUNDS,
                f.planned_end_day - start >= 4 * DAYS_PER_WEEK,
                f.levy_balance % 10_000 == 0, f.sender_balance % 10_000 == 0,
                z3.Not(f.has_plan_signed_on)]


def _z3_value(value: Any) -> Any:
    return z3.BoolVal(value) if isinstance(value, bool) else z3.IntVal(value)


class Unrolling:
    """The transition unrolled from the initial states, one event per step, with fresh
    constants for every state and event."""

    def __init__(self, ruleset: Ruleset, tag: str = "", solver: z3.Solver | None = None,
                 base: Scenario | None = None) -> None:
        """`tag` prefixes the state constants, so that two unrollings (two rulesets) can share
        one solver, the start facts and the events; `base` is the scenario whose fixed facts
        the initial states keep."""
        self.ruleset = ruleset
        self.tag = tag
        self.init = InitialStates(ruleset, base)
        self.solver = solver if solver is not None else z3.Solver()
        self.solver.set("rlimit", RLIMIT)
        self.solver.add(*self.init.constraints)
        self.states: list[State] = [_fresh_state(f"{tag}s0")]
        self.solver.add(_state_equal(self.states[0], self.init.state))
        self.events: list[EventFacts] = []
        self.outputs: list[Any] = []

    @property
    def depth(self) -> int:
        return len(self.events)

    def extend(self) -> None:
        """Add one more event."""
        k = self.depth
        before = self.states[-1]
        event = _fresh_event(f"e{k}")
        after = _fresh_state(f"{self.tag}s{k + 1}")
        next_state, output = transition(before, event, self.ruleset, Z3)
        start = self.init.state.start_day
        self.solver.add(event_domain(event, Z3), event.day >= before.last_day - (
            0 if k else 3), event.day <= start + HORIZON_DAYS,
            event.to_day <= start + HORIZON_DAYS,
            z3.Implies(event.kind == EVENT_KINDS["delivered"], event.hours <= 100_000),
            _state_equal(after, next_state))
        self.events.append(event)
        self.outputs.append(output)
        self.states.append(after)

    def violation(self, invariant: Invariant, k: int) -> Any:
        """The invariant fails after k events (k = 0: in the initial state)."""
        after = self.states[k]
        if invariant.over == "state":
            return z3.Not(invariant.predicate(after, Z3))
        if k == 0:
            return z3.BoolVal(False)
        return z3.Not(invariant.predicate(self.states[k - 1], self.events[k - 1],
                                          self.outputs[k - 1], after, Z3))


def bounded_check(ruleset: Ruleset, invariants: list[Invariant], depth: int,
                  unrolling: Unrolling | None = None) -> dict[str, Verdict]:
    """Bounded model checking of each invariant up to `depth` events."""
    unrolling = unrolling or Unrolling(ruleset)
    verdicts: dict[str, Verdict] = {}
    started = {inv.name: time.perf_counter() for inv in invariants}
    pending = list(invariants)
    for k in range(depth + 1):
        while unrolling.depth < k:
            unrolling.extend()
        for inv in list(pending):
            bad = unrolling.violation(inv, k)
            answer = _check(unrolling.solver, tracked(unrolling.solver, bad, f"bad.{inv.name}"
                                                       f".{k}"))
            if answer == z3.unsat:
                continue
            pending.remove(inv)
            seconds = time.perf_counter() - started[inv.name]
            if answer == z3.unknown:
                verdicts[inv.name] = Verdict(
                    invariant=inv.name, method="z3 bmc", verdict="unknown", depth=k,
                    seconds=seconds, detail=unrolling.solver.reason_unknown())
                continue
            scenario, step, detail = _witness(unrolling, inv, k, bad)
            verdicts[inv.name] = Verdict(invariant=inv.name, method="z3 bmc",
                                         verdict="violated", depth=k, seconds=seconds,
                                         scenario=scenario, step=step, detail=detail)
    for inv in pending:
        verdicts[inv.name] = Verdict(invariant=inv.name, method="z3 bmc",
                                     verdict=f"holds to depth {depth}", depth=depth,
                                     seconds=time.perf_counter() - started[inv.name])
    return verdicts


def _witness(unrolling: Unrolling, inv: Invariant, k: int, bad: Any
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


def event_wishes(events: list[EventFacts]) -> list[Any]:
    out = []
    for e in events:
        out += [e.hours % 100 == 0, e.recorded == 0, e.evidenced % 100 == 0,
                z3.Implies(e.kind == EVENT_KINDS["extended"], e.to_day >= e.day),
                z3.Not(e.has_cost), z3.Not(e.kit_day), e.levy_balance % 100 == 0,
                e.new_balance % 100 == 0]
    return out


def scenario_from_model(model: Any, unrolling: Unrolling, k: int) -> dict[str, Any]:
    """A Z3 model of the first k steps as scenario data in the public format."""

    def value(term: Any) -> Any:
        result = model.eval(term, model_completion=True)
        return z3.is_true(result) if z3.is_bool(result) else result.as_long()

    f = unrolling.init.facts
    data = unrolling.init.base.to_data()
    transfer = data["employer"]["transfer"]
    data["learner"]["learning_difficulty_or_disability"] = value(f.ldd)
    data["unit"]["published_min_hours"] = value(f.published_min_hours) // 100
    data["unit"]["funding_rate"] = format_pence(value(f.funding_rate))
    plan = data["plan"]
    plan["planned_end_date"] = _date(value(f.planned_end_day))
    plan["planned_hours"] = _hours(value(f.planned_hours))
    plan["price"] = format_pence(value(f.price))
    plan["learner_contribution"] = format_pence(value(f.learner_contribution))
    plan["training_plan_signed_on"] = (_date(value(f.plan_signed_day))
                                       if value(f.has_plan_signed_on) else None)
    employer = data["employer"]
    employer["levy_payer"] = value(f.levy_payer)
    employer["levy_balance"] = format_pence(value(f.levy_balance))
    employer["funding"] = FUNDING.name(value(f.funding))
    transfer["sender_balance"] = (format_pence(value(f.sender_balance))
                                  if value(f.has_sender_balance) else None)
    data["events"] = [_event_data({fl.name: value(getattr(event, fl.name))
                                   for fl in EVENT_FIELDS})
                      for event in unrolling.events[:k]]
    return data


def _date(day: int) -> str:
    return dt.date.fromordinal(max(day, 1)).isoformat()


def _hours(centi: int) -> int | float:
    return centi // 100 if centi % 100 == 0 else centi / 100


def _event_data(e: dict[str, Any]) -> dict[str, Any]:
    kind = EVENT_KINDS.name(e["kind"])
    out: dict[str, Any] = {"date": _date(e["day"]), "type": kind}
    if kind == "delivered":
        out.update(hours=_hours(e["hours"]), recorded_hours=_hours(e["recorded"]),
                   kit_day=e["kit_day"])
    elif kind == "claim":
        out["item"] = ITEMS.name(e["item"])
        if e["has_cost"]:
            out["cost"] = format_pence(e["cost"])
    elif kind == "plan_signed_off":
        out["by"] = [who for who, flag in (("provider", e["by_provider"]),
                                           ("learner", e["by_learner"]),
                                           ("employer", e["by_employer"])) if flag]
    elif kind == "extended":
        out["to"] = _date(e["to_day"])
    elif kind == "leave_started":
        out["kind"] = LEAVE.name(e["leave_kind"])
    elif kind == "levy_status_changed":
        out["levy_payer"] = e["levy_payer"]
    elif kind == "levy_balance_changed":
        out["levy_balance"] = format_pence(e["levy_balance"])
    elif kind == "audit":
        out.update(evidenced_hours=_hours(e["evidenced"]), successful_outcome=e["successful"])
    elif kind == "restarted" and e["new_employer"]:
        from model.facts import RELATIONSHIP

        out["employer"] = {"levy_payer": e["new_levy_payer"],
                           "levy_balance": format_pence(e["new_balance"]),
                           "funding": FUNDING.name(e["new_funding"]),
                           "relationship": RELATIONSHIP.name(e["new_relationship"])}
        if e["new_has_sender_balance"]:
            out["employer"]["transfer"] = {
                "sender_balance": format_pence(e["new_sender_balance"])}
    return out


def induction(ruleset: Ruleset, invariants: list[Invariant]) -> tuple[set[str], str]:
    """Houdini: the invariants (and lemmas) proved inductive, and a note on why the others
    were dropped. Step invariants count as proved when the inductive set implies them."""
    init = InitialStates(ruleset)
    state, event = _fresh_state("pre"), _fresh_event("ev")
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


def _not_inductive(candidates: dict[str, Callable[[State], Any]], state: State, after: State,
                   step_domain: Any) -> str | None:
    """Remove and name one candidate that a step from a state satisfying all can break."""
    solver = z3.Solver()
    solver.add(step_domain, *[c(state) for c in candidates.values()])
    for name, candidate in candidates.items():
        answer = _check(solver, tracked(solver, z3.Not(candidate(after)), f"step.{name}"))
        if answer != z3.unsat:
            del candidates[name]
            return f"{name} ({'not inductive' if answer == z3.sat else 'unknown'})"
    return None


def _not_initial(candidates: dict[str, Callable[[State], Any]], init: InitialStates
                 ) -> str | None:
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


def _lemma_predicate(lemma: Callable[[State, Ruleset, Any], Any], ruleset: Ruleset
                     ) -> Callable[[State], Any]:
    return lambda s: lemma(s, ruleset, Z3)


def check_invariants(ruleset: Ruleset, depth: int) -> dict[str, Verdict]:
    """Every invariant: `proved` by induction where possible, else bounded to `depth`."""
    started = time.perf_counter()
    proved, note = induction(ruleset, INVARIANTS)
    induction_seconds = time.perf_counter() - started
    verdicts = {name: Verdict(invariant=name, method="z3 induction", verdict="proved",
                              depth=None, seconds=induction_seconds / max(len(proved), 1))
                for name in proved}
    rest = [inv for inv in INVARIANTS if inv.name not in proved]
    if rest:
        bounded = bounded_check(ruleset, rest, depth)
        for name, verdict in bounded.items():
            verdicts[name] = attrs.evolve(verdict, detail=verdict.detail or note)
    return verdicts


