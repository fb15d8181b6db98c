"""Hypothesis strategies for scenarios, all in one module.

Values cluster around the rules' thresholds (ages near 19, durations near 7 and 112 days,
shares near one half, dates near the ruleset's first and last days, month ends for
reservations, 42 days for transfers) so that the boundaries are exercised, while every field
of the start-of-unit format can vary.
"""

from __future__ import annotations

import datetime as dt
import typing

from hypothesis import strategies as st

from model.money import Money
from model.scenario import (
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
)
from model.structure import Hours, Share

FIRST_DAY = dt.date(2026, 4, 28)
LAST_DAY = dt.date(2026, 7, 31)


def mostly(value: bool) -> st.SearchStrategy[bool]:
    """A boolean that takes the happy-path value four times in five."""
    return st.sampled_from([value, value, value, value, not value])


def near(day: dt.date, spread: int = 3) -> st.SearchStrategy[dt.date]:
    return st.integers(-spread, spread).map(lambda k: day + dt.timedelta(days=k))


def start_dates() -> st.SearchStrategy[dt.date]:
    return st.one_of(
        near(FIRST_DAY), near(LAST_DAY),
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
        st.sampled_from([dt.date(2004, 2, 29), dt.date(2007, 2, 28), dt.date(2007, 3, 1),
                         dt.date(2008, 2, 29)]),
    )


@st.composite
def scenarios(draw: st.DrawFn) -> Scenario:
    """A start-of-unit scenario (no events) with every field free to vary."""
    start = draw(start_dates())
    days = draw(st.one_of(st.sampled_from([5, 6, 7, 8, 111, 112, 113]), st.integers(7, 112),
                          st.integers(-3, 140)))
    end = start + dt.timedelta(days=days)
    published = draw(st.one_of(st.sampled_from([29, 30, 31, 139, 140, 141]),
                               st.integers(30, 140), st.integers(0, 200)))
    planned = draw(st.one_of(st.just(published * 100),
                             st.integers(max(published - 2, 0) * 100, (published + 20) * 100)))
    price = draw(st.integers(0, 400_000))
    learner = Learner(
        date_of_birth=draw(_birth(start)),
        residency_eligible=draw(mostly(True)),
        employment=draw(st.one_of(st.just("employee"),
                                  st.sampled_from(typing.get_args(Employment)))),
        release_date=draw(st.one_of(st.none(), _offset(start, -30, 3 * 366))),
        contract_end_date=draw(st.one_of(st.none(), optional_near(end, -5, 5))),
        right_to_work_end_date=draw(st.one_of(st.none(), optional_near(end, -5, 5))),
        director_or_psc=draw(mostly(False)),
        separate_line_manager=draw(mostly(True)),
        weekly_hours=Hours(draw(st.integers(0, 6000))),
        share_of_hours_in_england=Share(draw(st.one_of(
            st.sampled_from([499_999, 500_000, 500_001, 1_000_000]),
            st.integers(0, 1_000_000)))),
        in_account_paye_scheme=draw(mostly(True)),
        paid_apprentice_rate=draw(mostly(False)),
        student_loan_funded=draw(mostly(False)),
        duplicate_funding=draw(mostly(False)),
        on_apprenticeship=draw(mostly(False)),
        on_other_unit=draw(mostly(False)),
        adult_skills_fund_conflict=draw(mostly(False)),
        other_dfe_funding=draw(mostly(False)),
        sandwich_placement=draw(mostly(False)),
        prior_learning_hours=Hours(draw(st.one_of(
            st.just(0), st.just(planned // 2), st.just(max(planned // 2 - 1, 0)),
            st.integers(0, max(planned, 1))))),
        learning_difficulty_or_disability=draw(st.booleans()),
    )
    reservation_start = draw(st.one_of(st.none(), _offset(start, -120, 40)))
    levy_payer = draw(st.booleans())
    employer = Employer(
        relationship=draw(st.one_of(st.just("direct"),
                                   st.sampled_from(typing.get_args(Relationship)))),
        levy_payer=levy_payer,
        levy_balance=Money(draw(st.integers(0, 500_000))),
        funding=draw(st.one_of(st.just("levy" if levy_payer else "reservation"),
                               st.sampled_from(typing.get_args(FundingRoute)))),
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
    unit = Unit(published_min_hours=Count(published),
                funding_rate=Money(draw(st.integers(0, 400_000))),
                provider_approved=draw(mostly(True)))
    plan = Plan(
        start_date=start, planned_end_date=end, planned_hours=Hours(planned), price=Money(price),
        training_plan_signed_on=draw(st.one_of(st.none(), _offset(start, -10, 10))),
        subcontracted=draw(mostly(False)),
        learner_contribution=Money(draw(st.sampled_from([0, 0, 0, 0, 0, 0, 1, 5000]))),
    )
    return Scenario(learner=learner, unit=unit, plan=plan, employer=employer)
