"""The NumPy backend agrees with the per-scenario Python path, row for row and to the penny:
the vectorised calendar against `model.calendar`, the vectorised facts and start rules
against `evaluate`, and the planned split against what the simulator pays when the plan's
events actually happen."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import hypothesis.strategies as st
import numpy as np
import pytest
from hypothesis import given, settings

from aurules.model import calendar as cal
from aurules.model import calendar_numpy as caln
from aurules.model.evaluate import evaluate
from aurules.model.planned import planned_events
from aurules.model.population.outcome import TableOutcome, evaluate_table
from aurules.model.population.table import COLUMNS, from_scenarios
from aurules.model.ruleset import Ruleset, load_ruleset, official
from aurules.model.scenario import Claim, Delivered, PlanSignedOff, Scenario, SkillsTestPassed
from aurules.model.state import EVENT_KINDS, ITEMS
from aurules.population.synthetic import generate
from aurules.properties.strategies import eligible_starts, scenarios

ROOT = Path(__file__).resolve().parent.parent
PROPOSALS = sorted((ROOT / "examples" / "proposals").glob("*.toml"))
RULESETS = [official(), *(load_ruleset(str(p)) for p in PROPOSALS if p.name != "expected.toml")]
LEARNERS = st.one_of(scenarios(), eligible_starts())
DATES = st.dates(dt.date(1900, 1, 1), dt.date(2150, 12, 31))


def _row(outcome: TableOutcome, i: int) -> tuple[object, ...]:
    split = outcome.split
    return (
        bool(outcome.eligible[i]),
        outcome.failed_paragraphs(i),
        *(
            int(getattr(split, name)[i])
            for name in (
                "m1_government",
                "m1_account",
                "m1_direct",
                "m2_government",
                "m2_account",
                "m2_direct",
                "above_rate",
            )
        ),
    )


def _expected(scenario: Scenario, ruleset: Ruleset) -> tuple[object, ...]:
    out = evaluate(scenario, ruleset)
    m1, m2 = out.planned.milestone_1, out.planned.milestone_2
    return (
        out.eligible,
        out.failed_paragraphs,
        m1.government.pence,
        m1.employer_account.pence,
        m1.employer_direct.pence,
        m2.government.pence,
        m2.employer_account.pence,
        m2.employer_direct.pence,
        out.planned.employer_above_rate.pence,
    )


@given(
    st.lists(DATES, min_size=1, max_size=40),
    st.lists(DATES, min_size=1, max_size=40),
    st.sampled_from(["march_1", "february_28"]),
)
def test_vectorised_calendar_agrees_with_the_calendar(
    first: list[dt.date], second: list[dt.date], leap: cal.LeapDayRule
) -> None:
    size = min(len(first), len(second))
    a, b = first[:size], second[:size]
    days_a = np.array([d.toordinal() for d in a])
    days_b = np.array([d.toordinal() for d in b])
    assert [cal.whole_years(x, y, leap) for x, y in zip(a, b, strict=True)] == list(
        caln.whole_years(days_a, days_b, leap)
    )
    assert [cal.years_needed(x, y, leap) for x, y in zip(a, b, strict=True)] == list(
        caln.years_needed(days_a, days_b, leap)
    )
    assert [cal.months_needed(x, y) for x, y in zip(a, b, strict=True)] == list(
        caln.months_needed(days_a, days_b)
    )
    assert [cal.month_index(x) for x in a] == list(caln.month_index(days_a))


def test_calendar_edges_29_february_and_month_ends() -> None:
    born = np.array([dt.date(2008, 2, 29).toordinal()] * 3)
    on = np.array([dt.date(2026, d[0], d[1]).toordinal() for d in ((2, 28), (3, 1), (2, 27))])
    assert [17, 18, 17] == list(caln.whole_years(born, on, "march_1"))
    assert [18, 18, 17] == list(caln.whole_years(born, on, "february_28"))
    start = np.array([dt.date(2026, 1, 31).toordinal()] * 2)
    end = np.array([dt.date(2026, 2, 28).toordinal(), dt.date(2026, 3, 1).toordinal()])
    assert [1, 2] == list(caln.months_needed(start, end))
    outside = np.array([dt.date(1, 1, 1).toordinal(), dt.date(9999, 12, 31).toordinal()])
    assert ([1, 9999], [1, 12], [1, 31]) == tuple(list(x) for x in caln.split(outside))


@settings(max_examples=40)
@given(st.lists(LEARNERS, min_size=1, max_size=25), st.sampled_from(RULESETS))
def test_every_row_matches_evaluate_to_the_penny(
    learners: list[Scenario], ruleset: Ruleset
) -> None:
    outcome = evaluate_table(from_scenarios(learners), ruleset)
    for i, learner in enumerate(learners):
        assert _expected(learner, ruleset) == _row(outcome, i), (ruleset.id, i)


@pytest.mark.parametrize("ruleset", RULESETS, ids=lambda r: r.id)
def test_synthetic_rows_match_evaluate_and_cover_every_payer(ruleset: Ruleset) -> None:
    # A wide spread of learners (the generator's), so the comparison is not vacuous:
    # eligible and not, accounts, transfers, co-investment and prices above the rate.
    pop = next(generate(600, seed=11, ruleset=ruleset))  # starts in its own period
    outcome = evaluate_table(pop, ruleset)
    for i in range(pop.size):
        assert _expected(pop.scenario(i), ruleset) == _row(outcome, i), (ruleset.id, i)
    split = outcome.split
    assert 0 < outcome.eligible.sum() < pop.size
    for amounts in (split.m1_account, split.m2_direct, split.above_rate, split.m1_government):
        assert (amounts > 0).any()
    assert len(outcome.paragraph_failures()) >= 10


@settings(max_examples=60)
@given(eligible_starts())
def test_the_planned_split_is_what_the_plan_s_events_pay(learner: Scenario) -> None:
    # `planned` is not a second model of payment: it is the simulator's own payments for
    # the plan's five events, written out as a scenario.
    out = evaluate(learner, official())
    day = learner.plan.planned_end_date
    hours = learner.plan.planned_hours
    if hours <= 0:
        return
    events = [
        Delivered(date=day, hours=hours),
        SkillsTestPassed(date=day),
        PlanSignedOff(date=day),
        Claim(date=day, item="milestone_1"),
        Claim(date=day, item="milestone_2"),
    ]
    ran = evaluate(
        Scenario(
            learner=learner.learner,
            unit=learner.unit,
            plan=learner.plan,
            employer=learner.employer,
            events=events,
        ),
        official(),
    )
    paid = {p.item: p for p in ran.payments}
    for item, planned in (
        ("milestone_1", out.planned.milestone_1),
        ("milestone_2", out.planned.milestone_2),
    ):
        payment = paid.get(item)
        got = (
            (payment.government, payment.employer_account, payment.employer_direct)
            if payment
            else (0, 0, 0)
        )
        assert tuple(getattr(x, "pence", x) for x in got) == (
            planned.government.pence,
            planned.employer_account.pence,
            planned.employer_direct.pence,
        )
    assert ran.totals.employer_above_rate == out.planned.employer_above_rate


def test_the_planned_events_are_the_documented_six() -> None:
    from aurules.model.facts import derive
    from aurules.model.state import initial_state
    from aurules.model.values import PYTHON

    learner = Scenario.from_data(
        {
            "learner": {"date_of_birth": "2000-01-15"},
            "unit": {"published_min_hours": 60, "funding_rate": "1500"},
            "plan": {
                "start_date": "2026-05-04",
                "planned_end_date": "2026-07-27",
                "planned_hours": 60,
                "price": "1500",
            },
        }
    )
    state = initial_state(derive(learner, official()), True, PYTHON)
    kinds = [EVENT_KINDS.name(e.kind) for e in planned_events(state)]
    assert [
        "delivered",
        "skills_test_passed",
        "plan_signed_off",
        "claim",
        "claim",
        "claim",
    ] == kinds
    items = [ITEMS.name(e.item) for e in planned_events(state) if e.kind == EVENT_KINDS["claim"]]
    assert ["milestone_1", "milestone_2", "learning_support"] == items
    assert 45_000 == evaluate(learner, official()).planned.milestone_1.government.pence


def test_columns_are_the_scenario_s_start_fields() -> None:
    paths = {c.path for c in COLUMNS}
    assert {
        "learner.date_of_birth",
        "plan.price",
        "employer.transfer.sender_balance",
        "employer.reservation.made_on",
        "unit.funding_rate",
    } <= paths
    assert not any(p.startswith("events") for p in paths)
    required = {c.path for c in COLUMNS if c.required}
    assert {
        "learner.date_of_birth",
        "unit.published_min_hours",
        "unit.funding_rate",
        "plan.start_date",
        "plan.planned_end_date",
        "plan.planned_hours",
        "plan.price",
    } == required


def test_the_numpy_if_then_else_matches_where_for_every_kind_of_branch() -> None:
    from aurules.model.values_numpy import NUMPY

    rng = np.random.default_rng(0)
    condition = rng.random(500) < 0.5
    ints, other = rng.integers(-(10**12), 10**12, 500), rng.integers(-5, 5, 500)
    flags, more = rng.random(500) < 0.3, rng.random(500) < 0.6
    for then, otherwise in [
        (ints, other),
        (ints, 0),
        (0, other),
        (7, -3),
        (flags, more),
        (True, flags),
        (flags, False),
        (ints, flags),
        (2, True),
    ]:
        expected = np.where(condition, then, otherwise)
        got = NUMPY.ite(condition, then, otherwise)
        assert np.array_equal(expected, np.broadcast_to(got, expected.shape)), (then, otherwise)
    assert 5 == NUMPY.ite(True, 5, ints) and NUMPY.ite(np.False_, 5, 6) == 6
