"""The space of start-of-unit learners near the minimal scenario, as Z3 terms, and the
nearest learner in it that meets a goal.

`aurules diff` searches it for learners whose eligibility differs between two rulesets, and
`aurules fixtures` for each start rule's MC/DC pair. The facts of
`aurules.model.symbolic.reconstruct.FREE` are free; the others keep the minimal scenario's
values; the calendar facts (months of dates, whole months between them) are tied to their
dates by a table of month boundaries. The nearest learner is the one fewest facts away, then
closest in value, with ties broken the same way every run (`TIE_BREAK`), and is rebuilt as a
scenario by `scenario_for`.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import z3

from aurules.model.calendar import add_months, day_number, month_index
from aurules.model.facts import FACT_FIELDS, Facts
from aurules.model.symbolic.reconstruct import FREE, scenario_data
from aurules.model.symbolic.start import RLIMIT, domain, new_facts_domain, symbolic_facts
from aurules.model.symbolic.witness import TIE_BREAK

HORIZON = (730_000, 741_000)
"""Day numbers a witness's dates stay within (1999 to 2029)."""
MAX_RELEASE_YEARS = 100
"""A release date stays within a century of the start (keeps witnesses readable)."""


def start_space(
    base: Facts, last_day: int = HORIZON[1], new_facts: tuple[Any, ...] = ()
) -> tuple[Facts, list[Any]]:
    """Facts with `FREE` symbolic and the rest fixed to `base` (the minimal scenario's), and
    the constraints that keep them a real learner: in their domains, dates within `HORIZON`,
    the calendar facts tied to their dates. A start stays on or before `last_day` (the last
    day of the rulesets searched): a later one is covered by no ruleset, so it is bad input,
    not a learner."""
    free = symbolic_facts()
    values: dict[str, Any] = {}
    linked = {
        "start_month",
        "reservation_start_month",
        "reservation_months_to_start",
        "transfer_months_to_start",
    }  # derived from dates, constrained by _calendar
    for field in FACT_FIELDS:
        if field.name in FREE or field.name in linked:
            values[field.name] = getattr(free, field.name)
        else:
            value = getattr(base, field.name)
            values[field.name] = z3.BoolVal(value) if isinstance(value, bool) else z3.IntVal(value)
    extra = {
        new.path: z3.Bool(new.path) if new.type.kind == "bool" else z3.Int(new.path)
        for new in new_facts
    }
    facts = Facts(**values, extra=extra)

    def dated(flag: Any, day: Any) -> Any:  # a date in range when given, else 0
        return z3.If(flag, z3.And(day >= HORIZON[0], day <= HORIZON[1]), day == 0)

    constraints = [
        *domain(facts),
        facts.published_min_hours % 100 == 0,
        facts.start_day >= HORIZON[0],
        facts.start_day <= min(HORIZON[1], last_day),
        facts.planned_end_day >= HORIZON[0],
        facts.planned_end_day <= HORIZON[1],
        dated(facts.has_contract_end, facts.contract_end_day),
        dated(facts.has_right_to_work_end, facts.right_to_work_end_day),
        z3.If(
            facts.has_release_date,
            facts.release_years_after_start <= MAX_RELEASE_YEARS,
            facts.release_years_after_start == 0,
        ),
        facts.age_years >= 0,
        z3.Implies(z3.Not(facts.has_sender_levy_declared), facts.sender_levy_declared == 0),
        *_calendar(facts),
        *_new_fact_domain(facts, new_facts),
    ]
    return facts, constraints


def _new_fact_domain(facts: Facts, new_facts: tuple[Any, ...]) -> list[Any]:
    """The new facts' domains, dates within START_YEARS."""
    dates = [_in_years(facts.extra[n.path]) for n in new_facts if n.type.kind == "date"]
    return [*new_facts_domain(facts, new_facts), *dates]


def _calendar(f: Facts) -> list[Any]:
    """The calendar facts derived from dates, tied to their dates: months of the start and
    of the reservation's start, the reservation's month made, and the whole months from a
    reservation's start or a transfer's acceptance to the learner's start (days of the month
    up to 28 there, so that adding months never lands on a shorter month's end)."""
    start_first, reservation_first, accepted_first, accepted_month = (
        z3.Int("diff.start_first"),
        z3.Int("diff.reservation_first"),
        z3.Int("diff.accepted_first"),
        z3.Int("diff.accepted_month"),
    )
    start_dom = f.start_day - start_first + 1

    def months_needed(day: Any, month: Any, first: Any) -> Any:
        later_in_month = start_dom > day - first + 1
        return z3.If(f.start_day <= day, 0, f.start_month - month + z3.If(later_in_month, 1, 0))

    return [
        month_of(f.start_day, f.start_month, start_first),
        month_of(f.reservation_start_day, f.reservation_start_month, reservation_first),
        f.reservation_start_day - reservation_first + 1 <= SAFE_DAY_OF_MONTH,
        f.reservation_months_to_start
        == months_needed(f.reservation_start_day, f.reservation_start_month, reservation_first),
        z3.If(
            f.has_reservation_made_on,
            z3.And(
                f.reservation_made_month >= month_index(dt.date(START_YEARS[0], 1, 1)),
                f.reservation_made_month <= month_index(dt.date(START_YEARS[1], 12, 1)),
            ),
            f.reservation_made_month == 0,
        ),
        z3.If(
            f.has_transfer_approved,
            _in_years(f.transfer_approved_day),
            f.transfer_approved_day == 0,
        ),
        z3.If(
            f.has_transfer_accepted,
            z3.And(
                month_of(f.transfer_accepted_day, accepted_month, accepted_first),
                f.transfer_accepted_day - accepted_first + 1 <= SAFE_DAY_OF_MONTH,
                f.transfer_months_to_start
                == months_needed(f.transfer_accepted_day, accepted_month, accepted_first),
            ),
            z3.And(f.transfer_accepted_day == 0, f.transfer_months_to_start == 0),
        ),
    ]


SAFE_DAY_OF_MONTH = 28
"""Days of the month from which adding calendar months never needs clamping."""


def _in_years(day: Any) -> Any:
    return z3.And(
        day >= day_number(dt.date(START_YEARS[0], 1, 1)),
        day <= day_number(dt.date(START_YEARS[1], 12, 31)),
    )


START_YEARS = (2025, 2027)
"""A witness's start date falls in these years (the rulesets in view are 2026's)."""


def month_of(day: Any, month: Any, first_day: Any) -> Any:
    """`month` is the calendar month index of `day`, a date within START_YEARS, and
    `first_day` the first day of that month: a table of month boundaries from the concrete
    calendar (linear constraints, cheap for Z3)."""
    cases = []
    for year in range(START_YEARS[0], START_YEARS[1] + 1):
        for number in range(1, 13):
            first = dt.date(year, number, 1)
            last = add_months(first, 1) - dt.timedelta(days=1)
            cases.append(
                z3.And(
                    day >= day_number(first),
                    day <= day_number(last),
                    month == month_index(first),
                    first_day == day_number(first),
                )
            )
    return z3.Or(*cases)


def scenario_for(
    values: dict[str, Any], base: dict[str, Any], new_facts: tuple[Any, ...] = ()
) -> dict[str, Any]:
    """Scenario data for the changed facts (a flag and the value it qualifies together),
    with a proposal's new facts where they differ from their defaults."""
    added = {new.path: new for new in new_facts}
    changed = {n: v for n, v in values.items() if v != base[n] and n not in added}
    for group in PAIRED:
        if any(n in changed for n in group):
            changed |= {n: values[n] for n in group}
    data = scenario_data(changed)
    for path, new in added.items():
        if path in values and values[path] != new.default:
            data.setdefault(new.section, {})[new.field] = new.to_data(values[path])
    return data


PAIRED = (
    ("has_sender_levy_declared", "sender_levy_declared"),
    ("start_day", "reservation_start_day"),  # a null reservation date follows the start
    ("has_release_date", "release_years_after_start"),
    ("has_reservation_made_on", "reservation_made_month"),
    ("has_transfer_approved", "transfer_approved_day"),
    ("has_transfer_accepted", "transfer_accepted_day"),
    ("has_contract_end", "contract_end_day"),
    ("has_right_to_work_end", "right_to_work_end_day"),
)


def nearest(
    facts: Facts, constraints: list[Any], goal: Any, target: dict[str, Any]
) -> tuple[str, dict[str, Any]]:
    """("sat", free fact values) satisfying `goal`, fewest changed from `target`, then
    nearest; ("unsat", {}) if none exists; ("unknown", {"reason": ...}) if Z3 gave up."""
    optimizer = z3.Optimize()
    optimizer.set("rlimit", RLIMIT * 4)
    optimizer.add(*constraints, goal)
    distance = []
    names = (*FREE, *facts.extra)
    for index, name in enumerate(names):
        term = facts.extra[name] if name in facts.extra else getattr(facts, name)
        value = target[name]
        # weights keep "fewest facts changed" first and break ties the same way every run
        optimizer.add_soft(
            term == (z3.BoolVal(value) if isinstance(value, bool) else value),
            weight=TIE_BREAK + index,
        )
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
    for name in names:
        term = facts.extra[name] if name in facts.extra else getattr(facts, name)
        value = model.eval(term, model_completion=True)
        out[name] = z3.is_true(value) if z3.is_bool(value) else value.as_long()
    return "sat", out
