"""Boundary tests for learner eligibility (paragraphs 21-26 of the funding rules).

Expected results come from the rules text and the interpretations named in the interface
spec. BASE starts on 2026-05-04 with a planned end of 2026-07-27 and 60 planned hours.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from aurules.model.ruleset import load_ruleset
from tests.helpers import failed, proposal, rule_passes

# 21.1 residency


def test_minimal_scenario_is_eligible() -> None:
    assert [] == failed({})


def test_learner_not_meeting_residency_criteria_fails_21_1() -> None:
    assert ["21.1"] == failed({"learner.residency_eligible": False})


# 22.1 with 21.2: aged 19 or older on the learning start date (2026-05-04)


@pytest.mark.parametrize(
    ("date_of_birth", "expected"),
    [
        ("2007-05-04", []),  # 19th birthday on the start date
        ("2007-05-03", []),  # 19th birthday the day before the start
        ("2007-05-05", ["22.1"]),  # 19th birthday the day after the start: still 18
        ("2000-01-15", []),
        ("2004-02-29", []),  # leap-day birthday, 22 on the start date
        ("2008-02-29", ["22.1"]),  # leap-day birthday, 18 on the start date
        ("2010-01-01", ["22.1"]),
    ],
)
def test_learner_aged_19_on_the_start_date_is_eligible(
    date_of_birth: str, expected: list[str]
) -> None:
    assert expected == failed({"learner.date_of_birth": date_of_birth})


@pytest.mark.parametrize(
    ("start_date", "expected"),
    [
        ("2026-05-14", ["22.1"]),  # the day before the 19th birthday
        ("2026-05-15", []),  # the 19th birthday
        ("2026-05-16", []),  # the day after
    ],
)
def test_age_is_taken_on_the_learning_start_date(start_date: str, expected: list[str]) -> None:
    assert expected == failed(
        {"learner.date_of_birth": "2007-05-15", "plan.start_date": start_date}
    )


# A 29 February birthday in a common year. Starts are only valid from 28 April to 31 July
# 2026, so the age rule alone is checked (paragraph 3 would fail on a February start).


@pytest.mark.parametrize(
    ("start_date", "expected"),
    [
        ("2023-02-27", False),
        ("2023-02-28", False),  # official: the birthday falls on 1 March in a common year
        ("2023-03-01", True),
        ("2024-02-29", True),  # leap year: the birthday itself
    ],
)
def test_leap_day_birthday_falls_on_1_march_in_a_common_year(
    start_date: str, expected: bool
) -> None:
    changes = {"learner.date_of_birth": "2004-02-29", "plan.start_date": start_date}
    assert expected == rule_passes("minimum_age", changes)


def test_leap_day_birthday_and_a_february_start_also_fails_paragraph_3() -> None:
    changes = {
        "learner.date_of_birth": "2004-02-29",
        "plan.start_date": "2023-02-28",
        "plan.planned_end_date": "2023-03-28",
    }
    assert ["3", "22.1"] == failed(changes)


@pytest.mark.parametrize(
    ("start_date", "expected"),
    [
        ("2023-02-27", False),
        ("2023-02-28", True),  # feb28 reading: the birthday falls on 28 February
        ("2023-03-01", True),
    ],
)
def test_feb28_interpretation_moves_a_leap_day_birthday_to_28_february(
    tmp_path: Path, start_date: str, expected: bool
) -> None:
    rules = proposal(tmp_path, '[interpretations]\nage = "calendar_birthday_feb28"\n')
    changes = {"learner.date_of_birth": "2004-02-29", "plan.start_date": start_date}
    assert expected == rule_passes("minimum_age", changes, rules)


@pytest.mark.parametrize(
    ("start_date", "official_passes", "feb28_passes"),
    [
        ("2026-02-27", False, False),
        ("2026-02-28", False, True),
        ("2026-03-01", True, True),
    ],
)
def test_leap_day_birthday_2008_with_min_age_18(
    tmp_path: Path, start_date: str, official_passes: bool, feb28_passes: bool
) -> None:
    official_18 = proposal(tmp_path, "[eligibility]\nmin_age = 18\n")
    changes = {"learner.date_of_birth": "2008-02-29", "plan.start_date": start_date}
    assert official_passes == rule_passes("minimum_age", changes, official_18)
    feb28_path = tmp_path / "feb28.toml"
    feb28_path.write_text(
        'extends = "2026-04"\nid = "feb28"\n[eligibility]\nmin_age = 18\n'
        '[interpretations]\nage = "calendar_birthday_feb28"\n',
        encoding="utf-8",
    )
    assert feb28_passes == rule_passes("minimum_age", changes, load_ruleset(str(feb28_path)))


def test_age_interpretation_does_not_matter_for_other_birthdays(tmp_path: Path) -> None:
    rules = proposal(tmp_path, '[interpretations]\nage = "calendar_birthday_feb28"\n')
    assert ["22.1"] == failed({"learner.date_of_birth": "2007-05-05"}, rules)
    assert [] == failed({"learner.date_of_birth": "2007-05-04"}, rules)


# 22.2: able to complete in the time available (planned end date 2026-07-27).
# A fixed-term contract shorter than the unit also fails 27 (employment long enough).


@pytest.mark.parametrize(
    ("contract_end_date", "expected"),
    [
        ("2026-07-26", ["22.2", "27"]),  # ends the day before the planned end
        ("2026-07-27", []),  # ends on the planned end date
        ("2026-07-28", []),  # ends the day after
        ("2026-05-04", ["22.2", "27"]),  # ends on the start date
        (None, []),  # open-ended
    ],
)
def test_contract_must_last_until_the_planned_end_date(
    contract_end_date: str | None, expected: list[str]
) -> None:
    assert expected == failed({"learner.contract_end_date": contract_end_date})


@pytest.mark.parametrize(
    ("right_to_work_end_date", "expected"),
    [
        ("2026-07-26", ["22.2"]),  # visa expires the day before the planned end
        ("2026-07-27", []),  # expires on the planned end date
        ("2026-07-28", []),  # expires the day after
        (None, []),
    ],
)
def test_right_to_work_must_last_until_the_planned_end_date(
    right_to_work_end_date: str | None, expected: list[str]
) -> None:
    assert expected == failed({"learner.right_to_work_end_date": right_to_work_end_date})


def test_time_available_follows_the_planned_end_date() -> None:
    changes = {
        "plan.planned_end_date": "2026-06-30",
        "learner.right_to_work_end_date": "2026-06-30",
    }
    assert [] == failed(changes)
    changes["plan.planned_end_date"] = "2026-07-01"
    assert ["22.2"] == failed(changes)


# 22.3, 22.4


def test_learner_using_a_student_loan_fails_22_3() -> None:
    assert ["22.3"] == failed({"learner.student_loan_funded": True})


def test_learner_with_duplicate_funding_fails_22_4() -> None:
    assert ["22.4"] == failed({"learner.duplicate_funding": True})


# 22.5: at least 50% of working hours in England


@pytest.mark.parametrize(
    ("share", "expected"),
    [
        (0.5, []),
        (0.499999, ["22.5"]),
        (0.500001, []),
        (1, []),
        (1.0, []),
        (0, ["22.5"]),
        (0.25, ["22.5"]),
    ],
)
def test_learner_spending_at_least_half_their_hours_in_england_is_eligible(
    share: float, expected: list[str]
) -> None:
    assert expected == failed({"learner.share_of_hours_in_england": share})


# 23, 23.1: employed by the account holder, a connected company, or within pooled PAYE


@pytest.mark.parametrize(
    ("relationship", "expected"),
    [
        ("direct", []),
        ("connected_company", []),
        ("pooled_paye", []),
        ("none", ["23"]),
    ],
)
def test_learner_must_be_employed_by_the_account_holder_or_connected_or_pooled(
    relationship: str, expected: list[str]
) -> None:
    assert expected == failed({"employer.relationship": relationship})


# 24.1 to 24.7


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({"learner.employment": "sole_trader"}, ["24.1"]),
        ({"learner.employment": "ir35_worker"}, ["24.2"]),
        ({"learner.on_apprenticeship": True}, ["24.4"]),
        ({"learner.on_other_unit": True}, ["24.4"]),
        ({"learner.on_apprenticeship": True, "learner.on_other_unit": True}, ["24.4"]),
        ({"learner.adult_skills_fund_conflict": True}, ["24.5"]),
        ({"learner.other_dfe_funding": True}, ["24.6"]),
        ({"learner.sandwich_placement": True}, ["24.7"]),
    ],
)
def test_individuals_not_eligible_to_be_funded(
    changes: dict[str, Any], expected: list[str]
) -> None:
    assert expected == failed(changes)


@pytest.mark.parametrize(
    ("director", "line_manager", "expected"),
    [
        (False, True, []),
        (True, True, []),  # a director with a separate line manager is fine
        (True, False, ["24.3", "28"]),  # no separate line manager: 24.3 and 28
        (False, False, ["28"]),  # not a director: only 28
    ],
)
def test_director_needs_a_separate_line_manager(
    director: bool, line_manager: bool, expected: list[str]
) -> None:
    assert expected == failed(
        {"learner.director_or_psc": director, "learner.separate_line_manager": line_manager}
    )


def test_every_exclusion_at_once_reports_each_paragraph() -> None:
    changes = {
        "learner.residency_eligible": False,
        "learner.student_loan_funded": True,
        "learner.duplicate_funding": True,
        "learner.share_of_hours_in_england": 0,
        "learner.on_other_unit": True,
        "learner.adult_skills_fund_conflict": True,
        "learner.other_dfe_funding": True,
        "learner.sandwich_placement": True,
    }
    expected = ["21.1", "22.3", "22.4", "22.5", "24.4", "24.5", "24.6", "24.7"]
    assert expected == failed(changes)


# 26.1: prior learning overlapping 50% or more of the planned hours makes a learner ineligible


@pytest.mark.parametrize(
    ("prior_hours", "planned_hours", "expected"),
    [
        (0, 60, []),
        (29.99, 60, []),
        (30, 60, ["26.1"]),  # exactly 50% of planned hours
        (30.01, 60, ["26.1"]),
        (60, 60, ["26.1"]),
        (30.49, 61, []),  # just under half of 61
        (30.5, 61, ["26.1"]),  # exactly half of 61
        (37.49, 74.99, []),  # fractional planned hours
        (37.5, 74.99, ["26.1"]),  # 37.5 > 74.99 / 2
    ],
)
def test_prior_learning_below_half_the_planned_hours_is_eligible(
    prior_hours: float, planned_hours: float, expected: list[str]
) -> None:
    assert expected == failed(
        {"learner.prior_learning_hours": prior_hours, "plan.planned_hours": planned_hours}
    )


# Proposals move the boundaries


def test_min_age_18_proposal_makes_an_18_year_old_eligible(tmp_path: Path) -> None:
    rules = proposal(tmp_path, "[eligibility]\nmin_age = 18\n")
    assert ["22.1"] == failed({"learner.date_of_birth": "2007-05-05"})
    assert [] == failed({"learner.date_of_birth": "2007-05-05"}, rules)
    assert [] == failed({"learner.date_of_birth": "2008-05-04"}, rules)
    assert ["22.1"] == failed({"learner.date_of_birth": "2008-05-05"}, rules)


def test_min_share_in_england_proposal_moves_the_boundary(tmp_path: Path) -> None:
    rules = proposal(tmp_path, '[eligibility]\nmin_share_of_hours_in_england = "0.75"\n')
    assert [] == failed({"learner.share_of_hours_in_england": 0.6})
    assert ["22.5"] == failed({"learner.share_of_hours_in_england": 0.6}, rules)
    assert ["22.5"] == failed({"learner.share_of_hours_in_england": 0.749999}, rules)
    assert [] == failed({"learner.share_of_hours_in_england": 0.75}, rules)


def test_max_prior_learning_share_proposal_moves_the_boundary(tmp_path: Path) -> None:
    rules = proposal(tmp_path, '[eligibility]\nmax_prior_learning_share = "0.25"\n')
    assert [] == failed({"learner.prior_learning_hours": 15})
    assert ["26.1"] == failed({"learner.prior_learning_hours": 15}, rules)
    assert [] == failed({"learner.prior_learning_hours": 14.99}, rules)
