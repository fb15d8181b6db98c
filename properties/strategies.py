"""Hypothesis strategies for scenarios, all in one module.

Values cluster around the rules' thresholds (ages near 19, durations near 7 and 112 days,
shares near one half, dates near the ruleset's first and last days, month ends for
reservations, 42 days for transfers) so that the boundaries are exercised, while every field
of the start-of-unit format can vary.
"""

from __future__ import annotations

import datetime as dt
import typing
from typing import Any

import attrs
from hypothesis import strategies as st

from aurules.model.money import Money
from aurules.model.scenario import (
    Count,
    Employer,
    Employment,
    FundingRoute,
    Learner,
    Plan,
    Relationship,
    Reservation,
    Scenario,
    Transfer,
    Unit,
    shifted,
)
from aurules.model.structure import Hours, Share

FIRST_DAY = dt.date(2026, 4, 28)
LAST_DAY = dt.date(2026, 7, 31)


def mostly(value: bool) -> st.SearchStrategy[bool]:
    """A boolean that takes the happy-path value four times in five."""
    return st.sampled_from([value, value, value, value, not value])


def near(day: dt.date, spread: int = 3) -> st.SearchStrategy[dt.date]:
    return st.integers(-spread, spread).map(lambda k: day + dt.timedelta(days=k))


def for_ruleset(scenario: Scenario, ruleset: Any) -> Scenario:
    """A drawn scenario made a learner of `ruleset`: moved into its period when it governs
    other starts than the official one (the strategies draw around FIRST_DAY to LAST_DAY),
    and given values for a proposal's new facts. Those values are read off the drawn learner
    (a mixed-radix numeral of its birth date, hours and price), so they vary as Hypothesis
    varies the learner without a draw of their own."""
    new_facts = ruleset.new_facts
    if new_facts:
        code = (
            scenario.learner.date_of_birth.toordinal() * 7919
            + scenario.plan.planned_hours * 104_729
            + scenario.plan.price.pence
        )
        values = {}
        for new in new_facts:
            code, value = _new_fact_value(new, code, scenario.plan.start_date)
            values[new.path] = value
        scenario = attrs.evolve(scenario, new_facts=values)
    return shifted(scenario, ruleset.shift_from(FIRST_DAY, LAST_DAY), new_facts)


NEW_FACT_SPANS = {"int": 200, "hours": 20_000, "money": 500_000, "share": 1_000_001, "date": 731}
"""How many values of each kind of new fact the machines try (hundredths of an hour, pence,
millionths, days around the start)."""


def _new_fact_value(new: Any, code: int, start: dt.date) -> tuple[int, Any]:
    """(the rest of `code`, a value of `new` as a scenario writes it)."""
    kind = new.written_type
    if isinstance(kind, tuple):
        code, index = divmod(code, len(kind))
        return code, kind[index]
    if kind == "bool":
        code, index = divmod(code, 2)
        return code, bool(index)
    code, index = divmod(code, NEW_FACT_SPANS[kind])
    if kind == "date":
        return code, (start + dt.timedelta(days=index - NEW_FACT_SPANS["date"] // 2)).isoformat()
    return code, new.to_data(index)


def start_dates() -> st.SearchStrategy[dt.date]:
    return st.one_of(
        near(FIRST_DAY),
        near(LAST_DAY),
        st.dates(dt.date(2026, 3, 1), dt.date(2026, 9, 30)),
    )


def _offset(base: dt.date, low: int, high: int) -> st.SearchStrategy[dt.date]:
    return st.integers(low, high).map(lambda k: base + dt.timedelta(days=k))


def optional_near(base: dt.date, low: int, high: int) -> st.SearchStrategy[dt.date | None]:
    return st.one_of(st.none(), _offset(base, low, high))


def _birth(start: dt.date) -> st.SearchStrategy[dt.date]:
    def birthday(age: int, shift: int) -> dt.date:
        try:
            anniversary = start.replace(year=start.year - age)
        except ValueError:
            anniversary = start.replace(year=start.year - age, day=28)
        return anniversary + dt.timedelta(days=shift)

    return st.one_of(
        st.builds(birthday, st.integers(17, 21), st.integers(-2, 2)),
        st.builds(birthday, st.integers(15, 70), st.integers(-200, 200)),
        st.sampled_from(
            [dt.date(2004, 2, 29), dt.date(2007, 2, 28), dt.date(2007, 3, 1), dt.date(2008, 2, 29)]
        ),
    )


@st.composite
def scenarios(draw: st.DrawFn) -> Scenario:
    """A start-of-unit scenario (no events) with every field free to vary."""
    start = draw(start_dates())
    days = draw(
        st.one_of(
            st.sampled_from([5, 6, 7, 8, 111, 112, 113]), st.integers(7, 112), st.integers(-3, 140)
        )
    )
    end = start + dt.timedelta(days=days)
    published = draw(
        st.one_of(
            st.sampled_from([29, 30, 31, 139, 140, 141]), st.integers(30, 140), st.integers(0, 200)
        )
    )
    planned = draw(
        st.one_of(
            st.just(published * 100),
            st.integers(max(published - 2, 0) * 100, (published + 20) * 100),
        )
    )
    price = draw(st.integers(0, 400_000))
    learner = Learner(
        date_of_birth=draw(_birth(start)),
        residency_eligible=draw(mostly(True)),
        employment=draw(
            st.one_of(st.just("employee"), st.sampled_from(typing.get_args(Employment)))
        ),
        release_date=draw(st.one_of(st.none(), _offset(start, -30, 3 * 366))),
        contract_end_date=draw(st.one_of(st.none(), optional_near(end, -5, 5))),
        right_to_work_end_date=draw(st.one_of(st.none(), optional_near(end, -5, 5))),
        director_or_psc=draw(mostly(False)),
        separate_line_manager=draw(mostly(True)),
        weekly_hours=Hours(draw(st.integers(0, 6000))),
        share_of_hours_in_england=Share(
            draw(
                st.one_of(
                    st.sampled_from([499_999, 500_000, 500_001, 1_000_000]),
                    st.integers(0, 1_000_000),
                )
            )
        ),
        in_account_paye_scheme=draw(mostly(True)),
        paid_apprentice_rate=draw(mostly(False)),
        student_loan_funded=draw(mostly(False)),
        duplicate_funding=draw(mostly(False)),
        on_apprenticeship=draw(mostly(False)),
        on_other_unit=draw(mostly(False)),
        adult_skills_fund_conflict=draw(mostly(False)),
        other_dfe_funding=draw(mostly(False)),
        sandwich_placement=draw(mostly(False)),
        prior_learning_hours=Hours(
            draw(
                st.one_of(
                    st.just(0),
                    st.just(planned // 2),
                    st.just(max(planned // 2 - 1, 0)),
                    st.integers(0, max(planned, 1)),
                )
            )
        ),
        learning_difficulty_or_disability=draw(st.booleans()),
    )
    reservation_start = draw(st.one_of(st.none(), _offset(start, -120, 40)))
    levy_payer = draw(st.booleans())
    employer = Employer(
        relationship=draw(
            st.one_of(st.just("direct"), st.sampled_from(typing.get_args(Relationship)))
        ),
        levy_payer=levy_payer,
        levy_balance=Money(draw(st.integers(0, 500_000))),
        funding=draw(
            st.one_of(
                st.just("levy" if levy_payer else "reservation"),
                st.sampled_from(typing.get_args(FundingRoute)),
            )
        ),
        reservation=Reservation(
            made_on=draw(st.one_of(st.none(), _offset(start, -90, 40))),
            start_date=reservation_start,
        ),
        transfer=Transfer(
            approved_on=draw(st.one_of(st.none(), _offset(start, -160, 3))),
            accepted_on=draw(st.one_of(st.none(), _offset(start, -110, 3))),
            sender_balance=draw(st.one_of(st.none(), st.integers(0, 400_000).map(Money))),
        ),
    )
    unit = Unit(
        published_min_hours=Count(published),
        funding_rate=Money(draw(st.integers(0, 400_000))),
        provider_approved=draw(mostly(True)),
    )
    plan = Plan(
        start_date=start,
        planned_end_date=end,
        planned_hours=Hours(planned),
        price=Money(price),
        training_plan_signed_on=draw(st.one_of(st.none(), _offset(start, -10, 10))),
        subcontracted=draw(mostly(False)),
        learner_contribution=Money(draw(st.sampled_from([0, 0, 0, 0, 0, 0, 1, 5000]))),
    )
    return Scenario(learner=learner, unit=unit, plan=plan, employer=employer)


# Lifecycles: an eligible start (mostly) and a sequence of events in date order.

EVENT_WEIGHTS = {
    "delivered": 6,
    "claim": 5,
    "skills_test_passed": 1,
    "plan_signed_off": 1,
    "extended": 1,
    "leave_started": 1,
    "leave_ended": 1,
    "employment_ended": 1,
    "withdrawn": 1,
    "restarted": 1,
    "levy_status_changed": 1,
    "levy_balance_changed": 1,
    "audit": 1,
}


_START_DATES = st.dates(dt.date(2026, 4, 28), dt.date(2026, 7, 31))
_PLANNED_DAYS = st.integers(7, 112)
_PUBLISHED = st.integers(30, 140)
_EXTRA_CENTI_HOURS = st.integers(0, 2_000)
_LEVY_ROUTES: st.SearchStrategy[FundingRoute] = st.sampled_from(["levy", "transfer"])
_NON_LEVY_ROUTES: st.SearchStrategy[FundingRoute] = st.sampled_from(["reservation", "transfer"])
_ACCEPTED_BEFORE = st.integers(1, 80)
_APPROVED_BEFORE = st.integers(0, 42)
_SENDER_BALANCE = st.one_of(st.none(), st.integers(0, 300_000).map(Money))
_RATE = st.one_of(st.integers(0, 400_000), st.sampled_from([100_001, 150_000, 5]))
_PRICE = st.integers(0, 400_000)
_BALANCE = st.integers(0, 300_000)
"""The strategies `eligible_starts` draws from, built once (building a strategy on every draw
costs more than the draw)."""


@st.composite
def eligible_starts(draw: st.DrawFn) -> Scenario:
    """A start that passes every start-of-unit rule, with the money and routes varied."""
    start = draw(_START_DATES)
    days = draw(_PLANNED_DAYS)
    published = draw(_PUBLISHED)
    planned = published * 100 + draw(_EXTRA_CENTI_HOURS)
    levy_payer = draw(st.booleans())
    route: FundingRoute = draw(_LEVY_ROUTES if levy_payer else _NON_LEVY_ROUTES)
    transfer = Transfer()
    if route == "transfer":
        accepted = start - dt.timedelta(days=draw(_ACCEPTED_BEFORE))
        approved = accepted - dt.timedelta(days=draw(_APPROVED_BEFORE))
        transfer = Transfer(
            approved_on=approved, accepted_on=accepted, sender_balance=draw(_SENDER_BALANCE)
        )
    rate = draw(_RATE)
    price = rate if draw(st.booleans()) else draw(_PRICE)
    return Scenario(
        learner=Learner(
            date_of_birth=dt.date(1990, 1, 1), learning_difficulty_or_disability=draw(st.booleans())
        ),
        unit=Unit(published_min_hours=Count(published), funding_rate=Money(rate)),
        plan=Plan(
            start_date=start,
            planned_end_date=start + dt.timedelta(days=days),
            planned_hours=Hours(planned),
            price=Money(price),
        ),
        employer=Employer(
            levy_payer=levy_payer,
            funding=route,
            transfer=transfer,
            levy_balance=Money(draw(_BALANCE)),
        ),
    )


def _event(kind: str, day: dt.date, planned: int, end: dt.date) -> st.SearchStrategy[Any]:
    from aurules.model import scenario as s

    if kind == "delivered":
        return st.builds(
            lambda h, r, k: s.Delivered(
                date=day, hours=Hours(h), recorded_hours=Hours(min(r, h)), kit_day=k
            ),
            st.one_of(
                st.sampled_from([planned * 3 // 10, planned, planned // 10]),
                st.integers(1, planned),
            ),
            st.one_of(st.just(0), st.integers(0, planned // 4)),
            st.booleans(),
        )
    if kind == "claim":
        return st.builds(
            lambda item, cost, authorised: s.Claim(
                date=day,
                item=item,
                cost=cost if item == "learning_support" else None,
                authorised=authorised and item == "learning_support",
            ),
            st.sampled_from(["milestone_1", "milestone_2", "learning_support"]),
            st.one_of(st.none(), st.integers(0, 40_000).map(Money)),
            st.booleans(),
        )
    if kind == "plan_signed_off":
        return st.builds(
            lambda by: s.PlanSignedOff(date=day, by=by),
            st.lists(
                st.sampled_from(["provider", "learner", "employer"]),
                min_size=1,
                max_size=3,
                unique=True,
            ),
        )
    if kind == "extended":
        return st.integers(-10, 80).map(
            lambda k: s.Extended(date=day, to=end + dt.timedelta(days=k))
        )
    if kind == "leave_started":
        return st.sampled_from(typing.get_args(s.LeaveKind)).map(
            lambda kind_: s.LeaveStarted(date=day, kind=kind_)
        )
    if kind == "restarted":
        return st.builds(
            lambda employer, changed, days, hours: s.Restarted(
                date=day,
                employer=employer,
                provider_changed=changed,
                planned_end_date=None if days is None else day + dt.timedelta(days=days),
                planned_hours=None if hours is None else Hours(hours),
            ),
            st.one_of(
                st.none(),
                st.builds(
                    lambda levy, balance: Employer(
                        levy_payer=levy,
                        levy_balance=Money(balance),
                        funding="levy" if levy else "reservation",
                    ),
                    st.booleans(),
                    st.integers(0, 200_000),
                ),
            ),
            st.booleans(),
            st.one_of(st.none(), st.integers(-3, 120)),  # a new plan's length in days
            st.one_of(st.none(), st.integers(2_500, 15_000)),  # its planned hours
        )
    if kind == "levy_status_changed":
        return st.booleans().map(lambda v: s.LevyStatusChanged(date=day, levy_payer=v))
    if kind == "levy_balance_changed":
        return st.integers(0, 300_000).map(
            lambda v: s.LevyBalanceChanged(date=day, levy_balance=Money(v))
        )
    if kind == "audit":
        return st.builds(
            lambda h, ok: s.Audit(date=day, evidenced_hours=Hours(h), successful_outcome=ok),
            st.integers(0, planned + 100),
            st.booleans(),
        )
    simple = {
        "skills_test_passed": s.SkillsTestPassed,
        "leave_ended": s.LeaveEnded,
        "employment_ended": s.EmploymentEnded,
        "withdrawn": s.Withdrawn,
    }
    return st.just(simple[kind](date=day))


@st.composite
def lifecycles(
    draw: st.DrawFn, max_events: int = 12, starts: st.SearchStrategy[Scenario] | None = None
) -> Scenario:
    """A scenario with up to `max_events` events in date order, from a little before the
    start to well past the withdrawal deadline."""
    import attrs

    base = draw(
        starts
        if starts is not None
        else st.one_of(eligible_starts(), eligible_starts(), scenarios())
    )
    start, end = base.plan.start_date, base.plan.planned_end_date
    kinds = list(EVENT_WEIGHTS)
    weights = [k for k in kinds for _ in range(EVENT_WEIGHTS[k])]
    count = draw(st.integers(0, max_events))
    offsets = sorted(
        draw(st.lists(st.integers(-3, (end - start).days + 90), min_size=count, max_size=count))
    )
    events = [
        draw(
            _event(
                draw(st.sampled_from(weights)),
                start + dt.timedelta(days=o),
                max(base.plan.planned_hours, 100),
                end,
            )
        )
        for o in offsets
    ]
    if draw(st.booleans()):  # often, weave in the happy path so that payments happen
        events = sorted([*events, *_happy_path(base)], key=lambda e: e.date)
    return attrs.evolve(base, events=_one_leave_at_a_time(events))


def _one_leave_at_a_time(events: list[Any]) -> list[Any]:
    """The events without a leave started while another runs (bad input in a scenario)."""
    from aurules.model import scenario as s

    out, on_leave = [], False
    for event in events:
        if isinstance(event, s.LeaveStarted):
            if on_leave:
                continue
            on_leave = True
        elif isinstance(event, s.LeaveEnded):
            on_leave = False
        out.append(event)
    return out


def _happy_path(base: Scenario) -> list[Any]:
    """Deliver 30%, claim milestone 1 and learning support, deliver the rest, pass the test,
    sign off, claim milestone 2."""
    from aurules.model import scenario as s

    start, end = base.plan.start_date, base.plan.planned_end_date
    middle = start + (end - start) / 2
    planned = base.plan.planned_hours
    first = max(planned * 3 // 10 + 1, 1)
    return [
        s.Delivered(date=start + dt.timedelta(days=1), hours=Hours(first)),
        s.Claim(date=start + dt.timedelta(days=2), item="milestone_1"),
        s.Claim(date=start + dt.timedelta(days=3), item="learning_support"),
        s.Delivered(date=middle, hours=Hours(max(planned - first, 1))),
        s.SkillsTestPassed(date=end),
        s.PlanSignedOff(date=end),
        s.Claim(date=end, item="milestone_2"),
    ]
