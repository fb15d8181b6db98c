"""Boundary tests for reservations of funds (84-88).

Official reading (spec, `reservation_window = "calendar_months"`): a reservation serves starts
from the first day of the month of its start date to the last day of the second month after
it; it must be made before the start or within the start's calendar month (85).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.helpers import failed, proposal

MONTHS_FROM_START_DATE = '[interpretations]\nreservation_window = "months_from_start_date"\n'


def end_for(start_date: str) -> str:
    """A planned end date 4 weeks after a start in May to July 2026 (keeps 39/129 happy)."""
    return {
        "04": "2026-06-01",
        "05": "2026-06-29",
        "06": "2026-07-27",
        "07": "2026-08-28",
        "08": "2026-09-25",
    }[start_date[5:7]]


def starting(
    start_date: str, reservation_start: str | None, made_on: str | None = None
) -> dict[str, str | None]:
    return {
        "plan.start_date": start_date,
        "plan.planned_end_date": end_for(start_date),
        "employer.reservation.start_date": reservation_start,
        "employer.reservation.made_on": made_on,
    }


# 84: reservations are for employers who do not pay the levy


def test_levy_payer_using_a_reservation_fails_84() -> None:
    assert ["84"] == failed({"employer.levy_payer": True, "employer.funding": "reservation"})


def test_non_levy_employer_using_a_reservation_passes() -> None:
    assert [] == failed({"employer.levy_payer": False, "employer.funding": "reservation"})


# 85: made before the start, or in the start's calendar month (never backdated to a previous
# month). BASE starts on 2026-05-04.


@pytest.mark.parametrize(
    ("made_on", "expected"),
    [
        (None, []),  # null: made before the start
        ("2026-03-15", []),  # made before the start, in an earlier month
        ("2026-04-30", []),
        ("2026-05-01", []),
        ("2026-05-03", []),  # the day before the start
        ("2026-05-04", []),  # on the start date
        ("2026-05-05", []),  # after the start, same calendar month
        ("2026-05-31", []),  # last day of the start's month
        ("2026-06-01", ["85"]),  # next month: backdated to the start's month
        ("2026-07-15", ["85"]),
    ],
)
def test_reservation_made_before_the_start_or_in_its_month_is_not_backdated(
    made_on: str | None, expected: list[str]
) -> None:
    assert expected == failed({"employer.reservation.made_on": made_on})


def test_reservation_made_in_august_for_a_31_july_start_is_backdated() -> None:
    assert [] == failed(starting("2026-07-31", None, "2026-07-31"))
    assert ["85"] == failed(starting("2026-07-31", None, "2026-08-01"))


# 88: with the spec's window, a reservation with start date 2026-05-15 serves starts from
# 2026-05-01 to 2026-07-31


@pytest.mark.parametrize(
    ("start_date", "expected"),
    [
        ("2026-04-30", ["88"]),  # the month before the reservation's month
        ("2026-05-01", []),  # first day of the reservation's month
        ("2026-05-04", []),
        ("2026-05-15", []),  # the reservation's start date
        ("2026-06-30", []),
        ("2026-07-31", []),  # last day of the second month after
        ("2026-08-01", ["88"]),  # expired (a start the ruleset does not cover: bad input)
    ],
)
def test_reservation_serves_its_month_and_the_two_after(
    start_date: str, expected: list[str]
) -> None:
    assert expected == failed(starting(start_date, "2026-05-15"))


def test_june_reservation_cannot_serve_a_may_start() -> None:
    assert ["88"] == failed(starting("2026-05-04", "2026-06-01"))
    assert ["88"] == failed(starting("2026-05-31", "2026-06-01"))
    assert [] == failed(starting("2026-06-01", "2026-06-01"))


@pytest.mark.parametrize(
    ("reservation_start", "start_date", "expected"),
    [
        ("2026-04-30", "2026-04-30", []),
        ("2026-04-30", "2026-06-30", []),  # month end to month end, last day of window
        ("2026-04-30", "2026-07-01", ["88"]),
        ("2026-04-30", "2026-07-30", ["88"]),
        ("2026-04-01", "2026-06-30", []),
        ("2026-04-01", "2026-07-01", ["88"]),
        ("2026-05-31", "2026-07-31", []),
        ("2026-07-31", "2026-07-31", []),
        ("2026-05-31", "2026-05-01", []),  # same month, before the reservation's day
    ],
)
def test_reservation_window_at_month_ends(
    reservation_start: str, start_date: str, expected: list[str]
) -> None:
    assert expected == failed(starting(start_date, reservation_start))


def test_reservation_made_on_and_window_failures_are_both_reported() -> None:
    assert ["85", "88"] == failed(starting("2026-07-01", "2026-04-15", "2026-08-03"))


# Interpretation: reservation_window = "months_from_start_date" (up to the reservation's start
# date plus expiry_months months)


@pytest.mark.parametrize(
    ("reservation_start", "start_date", "official", "from_start_date"),
    [
        ("2026-04-30", "2026-06-30", [], []),
        ("2026-04-30", "2026-07-29", ["88"], []),
        ("2026-04-30", "2026-07-30", ["88"], []),  # 30 April + 3 months
        ("2026-04-30", "2026-07-31", ["88"], ["88"]),
        ("2026-04-28", "2026-07-28", ["88"], []),  # 28 April + 3 months
        ("2026-04-28", "2026-07-29", ["88"], ["88"]),
        ("2026-05-15", "2026-07-31", [], []),
        ("2026-05-15", "2026-05-20", [], []),
    ],
)
def test_months_from_start_date_interpretation_moves_the_expiry(
    tmp_path: Path,
    reservation_start: str,
    start_date: str,
    official: list[str],
    from_start_date: list[str],
) -> None:
    rules = proposal(tmp_path, MONTHS_FROM_START_DATE)
    changes = starting(start_date, reservation_start)
    assert official == failed(changes)
    assert from_start_date == failed(changes, rules)


# Proposals move the boundaries


def test_expiry_months_proposal_moves_the_window_end(tmp_path: Path) -> None:
    two = proposal(tmp_path, "[reservations]\nexpiry_months = 2\n")
    assert [] == failed(starting("2026-07-15", "2026-05-15"))
    assert ["88"] == failed(starting("2026-07-15", "2026-05-15"), two)
    assert [] == failed(starting("2026-06-30", "2026-05-15"), two)


def test_longer_expiry_months_proposal_serves_a_later_start(tmp_path: Path) -> None:
    four = proposal(tmp_path, "[reservations]\nexpiry_months = 4\n")
    assert ["88"] == failed(starting("2026-07-01", "2026-04-30"))
    assert [] == failed(starting("2026-07-31", "2026-04-30"), four)


# A reservation's dates only matter when the start is funded by the reservation


@pytest.mark.parametrize(
    ("funding", "levy_payer"),
    [("levy", True), ("transfer", False)],
)
def test_reservation_dates_do_not_matter_when_funded_another_way(
    funding: str, levy_payer: bool
) -> None:
    changes = {
        **starting("2026-05-04", "2026-07-01", "2026-06-15"),
        "employer.funding": funding,
        "employer.levy_payer": levy_payer,
        "employer.transfer.approved_on": "2026-04-01",
        "employer.transfer.accepted_on": "2026-04-15",
    }
    assert [] == failed(changes)
