"""Boundary tests for employment arrangements (paragraphs 27-30 of the funding rules).

BASE starts on 2026-05-04 with a planned end date of 2026-07-27.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.helpers import failed, proposal

CLOSED_ESTATE_OK = {
    "learner.employment": "prisoner_closed_estate",
    "learner.release_date": "2027-01-01",
}


# 27: a contract of employment long enough to complete the unit (22.2 as well)


@pytest.mark.parametrize(
    ("contract_end_date", "expected"),
    [
        ("2026-07-26", ["22.2", "27"]),
        ("2026-07-27", []),
        ("2026-07-28", []),
        ("2026-06-01", ["22.2", "27"]),
        (None, []),
    ],
)
def test_fixed_term_contract_ending_before_the_planned_end_fails_27_and_22_2(
    contract_end_date: str | None, expected: list[str]
) -> None:
    assert expected == failed({"learner.contract_end_date": contract_end_date})


@pytest.mark.parametrize(
    "exempt",
    [
        {"learner.employment": "office_holder"},
        {"learner.employment": "prisoner_on_rotl"},
        CLOSED_ESTATE_OK,
    ],
    ids=["office_holder", "prisoner_on_rotl", "prisoner_closed_estate"],
)
def test_office_holders_and_prisoners_are_exempt_from_27_but_not_from_22_2(
    exempt: dict[str, Any],
) -> None:
    assert [] == failed(exempt)
    assert ["22.2"] == failed({**exempt, "learner.contract_end_date": "2026-07-26"})
    assert [] == failed({**exempt, "learner.contract_end_date": "2026-07-27"})
    assert ["22.2"] == failed({**exempt, "learner.right_to_work_end_date": "2026-07-26"})


def test_employee_with_a_short_right_to_work_fails_only_22_2() -> None:
    assert ["22.2"] == failed({"learner.right_to_work_end_date": "2026-07-26"})


# 27.1.2: a prisoner in the closed estate whose release date is within 2 years (of the start)


@pytest.mark.parametrize(
    ("release_date", "expected"),
    [
        ("2026-06-01", []),
        ("2027-05-04", []),
        ("2028-05-03", []),
        ("2028-05-04", []),  # exactly 2 years after the start
        ("2028-05-05", ["27.1.2"]),  # 2 years and a day
        ("2030-01-01", ["27.1.2"]),
        (None, ["27.1.2"]),  # no release date
    ],
)
def test_closed_estate_prisoner_released_within_2_years_of_the_start_is_eligible(
    release_date: str | None, expected: list[str]
) -> None:
    assert expected == failed(
        {"learner.employment": "prisoner_closed_estate", "learner.release_date": release_date}
    )


def test_closed_estate_window_runs_from_the_start_date() -> None:
    changes = {
        "learner.employment": "prisoner_closed_estate",
        "learner.release_date": "2028-06-01",
        "plan.start_date": "2026-06-01",
        "plan.planned_end_date": "2026-07-27",
    }
    assert [] == failed(changes)
    changes["plan.start_date"] = "2026-05-31"
    assert ["27.1.2"] == failed(changes)


@pytest.mark.parametrize("release_date", [None, "2035-01-01"])
def test_prisoner_on_release_on_temporary_licence_is_eligible(release_date: str | None) -> None:
    assert [] == failed(
        {"learner.employment": "prisoner_on_rotl", "learner.release_date": release_date}
    )


# 28, 29, 30


def test_learner_without_a_separate_line_manager_fails_28() -> None:
    assert ["28"] == failed({"learner.separate_line_manager": False})


def test_learner_outside_the_account_paye_scheme_fails_29() -> None:
    assert ["29"] == failed({"learner.in_account_paye_scheme": False})


def test_employer_paying_the_apprentice_rate_fails_30() -> None:
    assert ["30"] == failed({"learner.paid_apprentice_rate": True})


def test_each_employment_arrangement_failure_is_reported() -> None:
    changes = {
        "learner.separate_line_manager": False,
        "learner.in_account_paye_scheme": False,
        "learner.paid_apprentice_rate": True,
        "learner.contract_end_date": "2026-07-26",
    }
    assert ["22.2", "27", "28", "29", "30"] == failed(changes)


# Proposals move the boundaries


def test_closed_estate_release_years_proposal_moves_the_boundary(tmp_path: Path) -> None:
    rules = proposal(tmp_path, "[eligibility]\nclosed_estate_release_within_years = 3\n")
    closed = {"learner.employment": "prisoner_closed_estate"}
    assert ["27.1.2"] == failed({**closed, "learner.release_date": "2029-05-04"})
    assert [] == failed({**closed, "learner.release_date": "2029-05-04"}, rules)
    assert ["27.1.2"] == failed({**closed, "learner.release_date": "2029-05-05"}, rules)


def test_closed_estate_release_within_1_year_proposal(tmp_path: Path) -> None:
    rules = proposal(tmp_path, "[eligibility]\nclosed_estate_release_within_years = 1\n")
    closed = {"learner.employment": "prisoner_closed_estate"}
    assert [] == failed({**closed, "learner.release_date": "2027-05-04"}, rules)
    assert ["27.1.2"] == failed({**closed, "learner.release_date": "2027-05-05"}, rules)
