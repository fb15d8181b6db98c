"""The lifecycle's transition unrolled from symbolic initial states, one event per step.

The proofs (bounded model checking), the lifecycle diff, the claim-condition fixtures and the
why-not search for a refused claim all search event sequences over it, and turn a Z3 model
back into a scenario in the public format (`scenario_from_model`).

Initial states: the minimal scenario's learner starting on its start date, with the plan
(end date, hours), the unit (published hours, funding rate), the price, the employer (levy
status and funds, funding route, a transfer sender's funds), the training plan's signing date,
learning difficulty and the learner's contribution all free (`VARIED`). Every query runs
under a deterministic resource limit (`RLIMIT`).
"""

from __future__ import annotations

import datetime as dt
import os
from typing import Any

import z3

from aurules.model.facts import FACT_FIELDS, FUNDING, RELATIONSHIP, Facts, derive
from aurules.model.glue import DAYS_PER_WEEK
from aurules.model.lifecycle import transition
from aurules.model.money import format_pence
from aurules.model.rulebook import guards, start_rules
from aurules.model.ruleset import Ruleset
from aurules.model.scenario import MINIMAL, Scenario, shifted
from aurules.model.state import (
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
from aurules.model.symbolic.lifecycle import symbolic_event, symbolic_state
from aurules.model.symbolic.start import new_fact_domain, symbolic_facts
from aurules.model.values_z3 import Z3

RLIMIT = int(os.environ.get("AURULES_Z3_RLIMIT") or 60_000_000)
"""Deterministic work limit per query (Z3 resource units, not seconds). $AURULES_Z3_RLIMIT
sets another (a tiny one makes the lifecycle's Z3 checks answer unknown: the tests use it to
show that unknown is reported as unknown, exit 3, never as a pass)."""

VARIED = (
    "planned_end_day",
    "planned_hours",
    "published_min_hours",
    "price",
    "funding_rate",
    "levy_payer",
    "levy_balance",
    "funding",
    "has_sender_balance",
    "sender_balance",
    "ldd",
    "has_plan_signed_on",
    "plan_signed_day",
    "learner_contribution",
)
"""Start facts left free in the initial states; the others are the minimal scenario's."""

PLAUSIBLE_PRICE = 1_000_000
"""£10,000 in pence: witnesses prefer prices and funding rates no larger (a readability wish)."""
PLAUSIBLE_FUNDS = 10_000_000
"""£100,000 in pence: the same for account and sender funds."""

HORIZON_DAYS = 400
"""Events fall within this many days of the start (keeps witnesses readable)."""


def base_scenario(ruleset: Ruleset | None = None) -> Scenario:
    """The fixed part of the initial states: the minimal scenario, with a transfer approved
    20 and accepted 10 days before the start so that any funding route can be chosen (moved
    into `ruleset`'s period when it governs later starts)."""
    data = {
        **MINIMAL,
        "employer": {"transfer": {"approved_on": "2026-04-14", "accepted_on": "2026-04-24"}},
    }
    scenario = Scenario.from_data(data, "<base>")
    if ruleset is None:
        return scenario
    start = scenario.plan.start_date
    return shifted(scenario, ruleset.shift_from(start, start))


def fresh_state(tag: str) -> State:
    """A state of fresh Z3 constants named under `tag`."""
    return symbolic_state(f"{tag}.")


def fresh_event(tag: str) -> EventFacts:
    """An event of fresh Z3 constants named under `tag`."""
    return symbolic_event(f"{tag}.")


def state_equal(target: State, source: State) -> Any:
    """Every field of the two states equal."""
    return z3.And([getattr(target, f.name) == getattr(source, f.name) for f in STATE_FIELDS])


class InitialStates:
    """Symbolic initial states: free facts over the base scenario's facts."""

    def __init__(self, ruleset: Ruleset, base: Scenario | None = None) -> None:
        """`base` fixes the facts that are not free (default: `base_scenario()`)."""
        self.ruleset = ruleset
        self.base = base or base_scenario(ruleset)
        concrete = derive(self.base, ruleset)
        free = symbolic_facts(ruleset)
        values: dict[str, Any] = {
            f.name: (
                getattr(free, f.name) if f.name in VARIED else _z3_value(getattr(concrete, f.name))
            )
            for f in FACT_FIELDS
        }
        self.facts = Facts(**values, extra=free.extra)
        self.bound = ruleset.bind(self.facts, Z3)
        """The ruleset bound to these facts (bands and claim rules read them)."""
        self.base_values = [
            (getattr(free, name), _z3_value(getattr(concrete, name))) for name in VARIED
        ]
        """Each free fact beside its value in the base scenario (for witnesses near it)."""
        self.eligible = z3.And([rule(self.facts, self.bound, Z3) for rule in start_rules(ruleset)])
        self.state = initial_state(self.facts, self.eligible, Z3)
        f = self.facts
        self.constraints = [
            f.planned_end_day >= 1,
            f.planned_hours >= 0,
            f.published_min_hours >= 0,
            f.published_min_hours % 100 == 0,
            f.price >= 0,
            f.funding_rate >= 0,
            f.levy_balance >= 0,
            f.funding >= 0,
            f.funding < len(FUNDING.names),
            f.sender_balance >= 0,
            z3.Implies(z3.Not(f.has_sender_balance), f.sender_balance == 0),
            f.plan_signed_day >= 0,
            z3.Implies(
                f.has_plan_signed_on,
                z3.And(
                    f.plan_signed_day >= f.start_day - HORIZON_DAYS,
                    f.plan_signed_day <= f.start_day + HORIZON_DAYS,
                ),
            ),
            z3.Implies(z3.Not(f.has_plan_signed_on), f.plan_signed_day == 0),
            f.learner_contribution >= 0,
            *new_fact_domain(f, ruleset),
        ]

    def round_values(self) -> list[Any]:
        """Soft wishes for a readable witness: whole hours and whole pounds, and amounts of
        a size a unit has (a price and funding rate up to £10,000, funds up to £100,000)."""
        f = self.facts
        start = f.start_day
        return [
            f.planned_hours % 100 == 0,
            f.price % 10_000 == 0,
            f.funding_rate % 10_000 == 0,
            f.price > 0,
            f.funding_rate > 0,
            f.planned_hours <= 14_000,
            f.price <= PLAUSIBLE_PRICE,
            f.funding_rate <= PLAUSIBLE_PRICE,
            f.levy_balance <= PLAUSIBLE_FUNDS,
            f.sender_balance <= PLAUSIBLE_FUNDS,
            f.planned_end_day - start >= 4 * DAYS_PER_WEEK,
            f.levy_balance % 10_000 == 0,
            f.sender_balance % 10_000 == 0,
            z3.Not(f.has_plan_signed_on),
        ]


def _z3_value(value: Any) -> Any:
    return z3.BoolVal(value) if isinstance(value, bool) else z3.IntVal(value)


class Unrolling:
    """The transition unrolled from the initial states, one event per step, with fresh
    constants for every state and event."""

    def __init__(
        self,
        ruleset: Ruleset,
        tag: str = "",
        solver: z3.Solver | None = None,
        base: Scenario | None = None,
    ) -> None:
        """`tag` prefixes the state constants, so that two unrollings (two rulesets) can share
        one solver, the start facts and the events; `base` is the scenario whose fixed facts
        the initial states keep."""
        self.tag = tag
        self.init = InitialStates(ruleset, base)
        self.ruleset = self.init.bound
        self.solver = solver if solver is not None else z3.Solver()
        self.solver.set("rlimit", RLIMIT)
        self.solver.add(*self.init.constraints)
        self.states: list[State] = [fresh_state(f"{tag}s0")]
        self.solver.add(state_equal(self.states[0], self.init.state))
        self.events: list[EventFacts] = []
        self.outputs: list[Any] = []

    @property
    def depth(self) -> int:
        return len(self.events)

    def extend(self) -> None:
        """Add one more event."""
        k = self.depth
        before = self.states[-1]
        event = fresh_event(f"e{k}")
        after = fresh_state(f"{self.tag}s{k + 1}")
        next_state, output = transition(before, event, self.ruleset, Z3)
        start = self.init.state.start_day
        self.solver.add(
            event_domain(event, Z3),
            event.day >= before.last_day - (0 if k else 3),
            event.day <= start + HORIZON_DAYS,
            event.to_day <= start + HORIZON_DAYS,
            z3.Implies(event.kind == EVENT_KINDS["delivered"], event.hours <= 100_000),
            # a restart's new employer has no reservation or transfer dates (what a witness
            # scenario can say): its reservation starts on the restart date
            *self._plain_new_arrangement(event),
            # no leave starts while one is running: such a scenario is bad input
            z3.Implies(event.kind == EVENT_KINDS["leave_started"], before.leave == LEAVE["none"]),
            state_equal(after, next_state),
        )
        self.events.append(event)
        self.outputs.append(output)
        self.states.append(after)

    @staticmethod
    def _plain_new_arrangement(e: EventFacts) -> list[Any]:
        new_employer = z3.And(e.kind == EVENT_KINDS["restarted"], e.new_employer)
        plain = [
            z3.Not(e.new_has_reservation_made_on),
            e.new_reservation_made_month == 0,
            e.new_reservation_start_day == e.day,
            e.new_reservation_start_month == e.new_start_month,
            e.new_reservation_months_to_start == 0,
            z3.Not(e.new_has_transfer_approved),
            z3.Not(e.new_has_transfer_accepted),
            e.new_transfer_approved_day == 0,
            e.new_transfer_accepted_day == 0,
            e.new_transfer_months_to_start == 0,
        ]
        return [z3.Implies(new_employer, z3.And(*plain))]

    def last_claim(self, k: int, item: str) -> Any:
        """The k-th event is a claim of `item`."""
        event = self.events[k - 1]
        return z3.And(event.kind == EVENT_KINDS["claim"], event.item == ITEMS[item])

    def guard_results(self, k: int, item: str) -> dict[str, Any]:
        """Each guard of `item` (by name) on the k-th event."""
        return {
            g.name: self.outputs[k - 1].guard_results[f"{item}:{g.name}"]
            for g in guards(item, self.ruleset)
        }


def event_wishes(events: list[EventFacts]) -> list[Any]:
    """Soft wishes for readable events: whole hours and pounds, no recorded hours, no stated
    costs, no KIT days, extensions that do not move the end earlier, restarts without a new
    plan."""
    out = []
    for e in events:
        out += [
            e.hours % 100 == 0,
            e.recorded == 0,
            e.evidenced % 100 == 0,
            z3.Implies(e.kind == EVENT_KINDS["extended"], e.to_day >= e.day),
            z3.Not(e.has_cost),
            z3.Not(e.authorised),
            z3.Not(e.kit_day),
            e.levy_balance % 100 == 0,
            e.new_balance % 100 == 0,
            z3.Not(e.new_plan),
            z3.Not(e.has_new_hours),
            e.new_planned_hours % 100 == 0,
        ]
    return out


def scenario_from_model(
    model: Any, unrolling: Unrolling, k: int, new_facts: tuple[Any, ...] | None = None
) -> dict[str, Any]:
    """A Z3 model of the first k steps as scenario data in the public format, with the
    values of a proposal's new facts (the unrolling's own, unless `new_facts` says)."""

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
    plan["training_plan_signed_on"] = (
        _date(value(f.plan_signed_day)) if value(f.has_plan_signed_on) else None
    )
    employer = data["employer"]
    employer["levy_payer"] = value(f.levy_payer)
    employer["levy_balance"] = format_pence(value(f.levy_balance))
    employer["funding"] = FUNDING.name(value(f.funding))
    transfer["sender_balance"] = (
        format_pence(value(f.sender_balance)) if value(f.has_sender_balance) else None
    )
    data["events"] = [
        _event_data({fl.name: value(getattr(event, fl.name)) for fl in EVENT_FIELDS})
        for event in unrolling.events[:k]
    ]
    for new in unrolling.init.bound.structure.facts if new_facts is None else new_facts:
        term = z3.Bool(new.path) if new.type.kind == "bool" else z3.Int(new.path)
        data.setdefault(new.section, {})[new.field] = new.to_data(value(term))
    return data


def _date(day: int) -> str:
    return dt.date.fromordinal(max(day, 1)).isoformat()


def _hours(centi: int) -> int | float:
    return centi // 100 if centi % 100 == 0 else centi / 100


def _event_data(e: dict[str, Any]) -> dict[str, Any]:
    kind = EVENT_KINDS.name(e["kind"])
    out: dict[str, Any] = {"date": _date(e["day"]), "type": kind}
    if kind == "delivered":
        out.update(
            hours=_hours(e["hours"]), recorded_hours=_hours(e["recorded"]), kit_day=e["kit_day"]
        )
    elif kind == "claim":
        out["item"] = ITEMS.name(e["item"])
        if e["has_cost"]:
            out["cost"] = format_pence(e["cost"])
        if e["authorised"]:
            out["authorised"] = True
    elif kind == "plan_signed_off":
        out["by"] = [
            who
            for who, flag in (
                ("provider", e["by_provider"]),
                ("learner", e["by_learner"]),
                ("employer", e["by_employer"]),
            )
            if flag
        ]
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
    if kind == "restarted" and e["new_plan"]:
        out["planned_end_date"] = _date(e["new_end_day"])
    if kind == "restarted" and e["has_new_hours"]:
        out["planned_hours"] = _hours(e["new_planned_hours"])
    if kind == "restarted" and e["new_employer"]:
        out["employer"] = {
            "levy_payer": e["new_levy_payer"],
            "levy_balance": format_pence(e["new_balance"]),
            "funding": FUNDING.name(e["new_funding"]),
            "relationship": RELATIONSHIP.name(e["new_relationship"]),
        }
        if e["new_has_sender_balance"]:
            out["employer"]["transfer"] = {"sender_balance": format_pence(e["new_sender_balance"])}
    return out
