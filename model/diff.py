"""`aurules diff`: which learners get a different outcome under two rulesets.

Z3 searches the start-of-unit facts (the minimal scenario with the facts of
`model.reconstruct.FREE` free) for learners that are eligible under one ruleset and not the
other. Differences are grouped by the rule whose verdict changes and the direction
(newly eligible / newly ineligible); each group's witness is the learner fewest facts away
from the minimal scenario (Z3 optimisation), rebuilt as a scenario and confirmed by
evaluating it under both rulesets. A witness that does not confirm is reported as unknown.

Lifecycle differences are searched by `properties.lifecycle_diff`. Not yet searched: the
reservation and transfer windows (their month arithmetic is not expressed in Z3 yet).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import attrs
import z3

from model.calendar import add_months, day_number, month_index
from model.evaluate import evaluate
from model.facts import FACT_FIELDS, Facts, derive
from model.reconstruct import FREE, scenario_data
from model.registry import Rule, start_rules
from model.ruleset import Ruleset
from model.scenario import MINIMAL, Scenario
from model.symbolic import RLIMIT, domain, symbolic_facts
from model.values_z3 import Z3

TIE_BREAK = 1000
"""Base weight of the soft constraints (above the number of facts, so fewer changes always
win; the small increments make ties come out the same every run)."""

HORIZON = (730_000, 741_000)
"""Day numbers a witness's dates stay within (1999 to 2029)."""
MAX_RELEASE_YEARS = 100
"""A release date stays within a century of the start (keeps witnesses readable)."""


@attrs.frozen(kw_only=True)
class Group:
    """One kind of difference, with a confirmed witness."""

    rule: str
    paragraphs: tuple[str, ...]
    direction: str  # "newly eligible" or "newly ineligible"
    verdict: str  # "differs" or "unknown"
    witness: dict[str, Any] | None = None
    changed: tuple[str, ...] = ()
    base_outcome: dict[str, Any] | None = None
    proposal_outcome: dict[str, Any] | None = None
    detail: str = ""


def _facts(base: Facts) -> tuple[Facts, list[Any]]:
    """Facts with FREE symbolic and the rest fixed to the minimal scenario's values."""
    free = symbolic_facts()
    values = {}
    linked = {"start_month", "reservation_start_month", "reservation_months_to_start",
              "transfer_months_to_start"}  # derived from dates, constrained by _calendar
    for field in FACT_FIELDS:
        if field.name in FREE or field.name in linked:
            values[field.name] = getattr(free, field.name)
        else:
            value = getattr(base, field.name)
            values[field.name] = z3.BoolVal(value) if isinstance(value, bool) else z3.IntVal(value)
    facts = Facts(**values)
    def dated(flag: Any, day: Any) -> Any:  # a date in range when given, else 0
        return z3.If(flag, z3.And(day >= HORIZON[0], day <= HORIZON[1]), day == 0)

    constraints = [*domain(facts), facts.published_min_hours % 100 == 0,
                   facts.start_day >= HORIZON[0], facts.start_day <= HORIZON[1],
                   facts.planned_end_day >= HORIZON[0], facts.planned_end_day <= HORIZON[1],
                   dated(facts.has_contract_end, facts.contract_end_day),
                   dated(facts.has_right_to_work_end, facts.right_to_work_end_day),
                   z3.If(facts.has_release_date,
                         facts.release_years_after_start <= MAX_RELEASE_YEARS,
                         facts.release_years_after_start == 0),
                   facts.age_years >= 0,
                   *_calendar(facts)]
    return facts, constraints


def _calendar(f: Facts) -> list[Any]:
    """The calendar facts derived from dates, tied to their dates: months of the start and
    of the reservation's start, the reservation's month made, and the whole months from a
    reservation's start or a transfer's acceptance to the learner's start (days of the month
    up to 28 there, so that adding months never lands on a shorter month's end)."""
    start_first, reservation_first, accepted_first, accepted_month = (
        z3.Int("diff.start_first"), z3.Int("diff.reservation_first"),
        z3.Int("diff.accepted_first"), z3.Int("diff.accepted_month"))
    start_dom = f.start_day - start_first + 1

    def months_needed(day: Any, month: Any, first: Any) -> Any:
        later_in_month = start_dom > day - first + 1
        return z3.If(f.start_day <= day, 0,
                     f.start_month - month + z3.If(later_in_month, 1, 0))

    return [
        _month_of(f.start_day, f.start_month, start_first),
        _month_of(f.reservation_start_day, f.reservation_start_month, reservation_first),
        f.reservation_start_day - reservation_first + 1 <= SAFE_DAY_OF_MONTH,
        f.reservation_months_to_start == months_needed(f.reservation_start_day,
                                                       f.reservation_start_month,
                                                       reservation_first),
        z3.If(f.has_reservation_made_on,
              z3.And(f.reservation_made_month >= month_index(dt.date(START_YEARS[0], 1, 1)),
                     f.reservation_made_month <= month_index(dt.date(START_YEARS[1], 12, 1))),
              f.reservation_made_month == 0),
        z3.If(f.has_transfer_approved, _in_years(f.transfer_approved_day),
              f.transfer_approved_day == 0),
        z3.If(f.has_transfer_accepted, z3.And(
            _month_of(f.transfer_accepted_day, accepted_month, accepted_first),
            f.transfer_accepted_day - accepted_first + 1 <= SAFE_DAY_OF_MONTH,
            f.transfer_months_to_start == months_needed(f.transfer_accepted_day,
                                                        accepted_month, accepted_first)),
              z3.And(f.transfer_accepted_day == 0, f.transfer_months_to_start == 0)),
    ]


SAFE_DAY_OF_MONTH = 28
"""Days of the month from which adding calendar months never needs clamping."""


def _in_years(day: Any) -> Any:
    return z3.And(day >= day_number(dt.date(START_YEARS[0], 1, 1)),
                  day <= day_number(dt.date(START_YEARS[1], 12, 31)))


START_YEARS = (2025, 2027)
"""A witness's start date falls in these years (the rulesets in view are 2026's)."""


def _month_of(day: Any, month: Any, first_day: Any) -> Any:
    """`month` is the calendar month index of `day`, a date within START_YEARS, and
    `first_day` the first day of that month: a table of month boundaries from the concrete
    calendar (linear constraints, cheap for Z3)."""
    cases = []
    for year in range(START_YEARS[0], START_YEARS[1] + 1):
        for number in range(1, 13):
            first = dt.date(year, number, 1)
            last = add_months(first, 1) - dt.timedelta(days=1)
            cases.append(z3.And(day >= day_number(first), day <= day_number(last),
                                month == month_index(first), first_day == day_number(first)))
    return z3.Or(*cases)


def _outcome_key(outcome: dict[str, Any]) -> tuple[Any, ...]:
    return outcome["eligible"], tuple(outcome["failed_paragraphs"])


def diff(base: Ruleset, proposal: Ruleset) -> list[Group]:
    """Every group of learners whose eligibility differs, with a witness each."""
    minimal = Scenario.from_data(MINIMAL)
    base_facts = derive(minimal, base)
    facts, constraints = _facts(base_facts)
    rules = {r.name: r for r in start_rules()}
    eligible_base = z3.And([r(facts, base, Z3) for r in rules.values()])
    eligible_prop = z3.And([r(facts, proposal, Z3) for r in rules.values()])
    groups = []
    for rule in rules.values():
        before, after = rule(facts, base, Z3), rule(facts, proposal, Z3)
        for direction, flip in (("newly eligible", z3.And(eligible_prop, z3.Not(eligible_base),
                                                         z3.Not(before), after)),
                                ("newly ineligible", z3.And(eligible_base,
                                                            z3.Not(eligible_prop), before,
                                                            z3.Not(after)))):
            group = _search(rule, direction, flip, facts=facts, constraints=constraints,
                            base_facts=base_facts, base=base, proposal=proposal)
            if group is not None:
                groups.append(group)
    return groups


def scenario_for(values: dict[str, Any], base: dict[str, Any]) -> dict[str, Any]:
    """Scenario data for the changed facts (a flag and the value it qualifies together)."""
    changed = {n: v for n, v in values.items() if v != base[n]}
    for group in PAIRED:
        if any(n in changed for n in group):
            changed |= {n: values[n] for n in group}
    return scenario_data(changed)


PAIRED = (("start_day", "reservation_start_day"),  # a null reservation date follows the start
          ("has_release_date", "release_years_after_start"),
          ("has_reservation_made_on", "reservation_made_month"),
          ("has_transfer_approved", "transfer_approved_day"),
          ("has_transfer_accepted", "transfer_accepted_day"),
          ("has_contract_end", "contract_end_day"),
          ("has_right_to_work_end", "right_to_work_end_day"))


def nearest(facts: Facts, constraints: list[Any], goal: Any, target: dict[str, Any]
            ) -> tuple[str, dict[str, Any]]:
    """("sat", free fact values) satisfying `goal`, fewest changed from `target`, then
    nearest; ("unsat", {}) if none exists; ("unknown", {"reason": ...}) if Z3 gave up."""
    optimizer = z3.Optimize()
    optimizer.set("rlimit", RLIMIT * 4)
    optimizer.add(*constraints, goal)
    distance = []
    for index, name in enumerate(FREE):
        term, value = getattr(facts, name), target[name]
        # weights keep "fewest facts changed" first and break ties the same way every run
        optimizer.add_soft(term == (z3.BoolVal(value) if isinstance(value, bool) else value),
                           weight=TIE_BREAK + index)
        if not isinstance(value, bool):
            distance.append(z3.If(term >= value, term - value, value - term))
    optimizer.minimize(z3.Sum(distance))
    answer = optimizer.check()
    if answer == z3.unsat:
        return "unsat", {}
    if answer == z3.unknown:
        return "unknown", {"reason": optimizer.reason_unknown()}
    model = optimizer.model()
    out = {}
    for name in FREE:
        value = model.eval(getattr(facts, name), model_completion=True)
        out[name] = z3.is_true(value) if z3.is_bool(value) else value.as_long()
    return "sat", out


def _search(rule: Rule, direction: str, flip: Any, *, facts: Facts, constraints: list[Any],
            base_facts: Facts, base: Ruleset, proposal: Ruleset) -> Group | None:
    target = {name: getattr(base_facts, name) for name in FREE}
    answer, values = nearest(facts, constraints, flip, target)
    if answer == "unsat":
        return None
    if answer == "unknown":
        return Group(rule=rule.name, paragraphs=rule.paragraphs, direction=direction,
                     verdict="unknown", detail=values["reason"])
    changed = tuple(n for n in FREE if values[n] != getattr(base_facts, n))
    data = scenario_for(values, target)
    scenario = Scenario.from_data(data, "<diff witness>")
    under_base = evaluate(scenario, base).to_data()
    under_prop = evaluate(scenario, proposal).to_data()
    confirmed = _outcome_key(under_base) != _outcome_key(under_prop)
    return Group(rule=rule.name, paragraphs=rule.paragraphs, direction=direction,
                 verdict="differs" if confirmed else "unknown",
                 witness=data, changed=changed, base_outcome=under_base,
                 proposal_outcome=under_prop,
                 detail="" if confirmed else "the rebuilt witness does not differ")
