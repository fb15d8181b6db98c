"""Calendar arithmetic at the edges: 29 February, month ends, year ends."""

from __future__ import annotations

import datetime as dt

import pytest

from aurules.model.calendar import (
    add_months,
    anniversary,
    month_index,
    months_needed,
    parse_iso_date,
    whole_years,
    years_needed,
)

D = dt.date


@pytest.mark.parametrize(
    ("born", "on", "expected"),
    [
        (D(2007, 5, 4), D(2026, 5, 4), 19),  # birthday on the day
        (D(2007, 5, 5), D(2026, 5, 4), 18),  # birthday tomorrow
        (D(2007, 5, 3), D(2026, 5, 4), 19),
        (D(2004, 2, 29), D(2023, 2, 28), 18),  # leap-day birthday, common year: 1 March
        (D(2004, 2, 29), D(2023, 3, 1), 19),
        (D(2004, 2, 29), D(2024, 2, 29), 20),
        (D(2026, 6, 1), D(2026, 5, 4), -1),  # not yet born
    ],
)
def test_age_in_whole_years_by_calendar_birthday(born: dt.date, on: dt.date, expected: int) -> None:
    assert expected == whole_years(born, on)


def test_leap_day_birthday_on_28_february_reading() -> None:
    assert 19 == whole_years(D(2004, 2, 29), D(2023, 2, 28), "february_28")
    assert D(2023, 2, 28) == anniversary(D(2004, 2, 29), 19, "february_28")
    assert D(2023, 3, 1) == anniversary(D(2004, 2, 29), 19)


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (D(2026, 1, 31), 1, D(2026, 2, 28)),
        (D(2028, 1, 31), 1, D(2028, 2, 29)),
        (D(2026, 1, 31), 3, D(2026, 4, 30)),
        (D(2026, 11, 15), 3, D(2027, 2, 15)),
        (D(2026, 5, 4), 0, D(2026, 5, 4)),
    ],
)
def test_add_calendar_months_clamps_to_month_end(
    day: dt.date, months: int, expected: dt.date
) -> None:
    assert expected == add_months(day, months)


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [
        (D(2026, 2, 1), D(2026, 5, 1), 3),
        (D(2026, 2, 1), D(2026, 5, 2), 4),
        (D(2026, 1, 31), D(2026, 4, 30), 3),
        (D(2026, 1, 31), D(2026, 5, 1), 4),
        (D(2026, 5, 4), D(2026, 5, 4), 0),
        (D(2026, 5, 4), D(2026, 5, 1), 0),
    ],
)
def test_months_needed_is_the_least_whole_number_of_months(
    start: dt.date, end: dt.date, expected: int
) -> None:
    assert expected == months_needed(start, end)
    assert end <= add_months(start, expected)
    if expected > 0:
        assert end > add_months(start, expected - 1)


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [
        (D(2026, 5, 4), D(2028, 5, 4), 2),
        (D(2026, 5, 4), D(2028, 5, 5), 3),
        (D(2026, 5, 4), D(2026, 5, 5), 1),
        (D(2024, 2, 29), D(2026, 3, 1), 2),
        (D(2024, 2, 29), D(2026, 3, 2), 3),
    ],
)
def test_years_needed_is_the_least_whole_number_of_years(
    start: dt.date, end: dt.date, expected: int
) -> None:
    assert expected == years_needed(start, end)


def test_month_index_is_consecutive_across_a_year_end() -> None:
    assert 1 == month_index(D(2027, 1, 1)) - month_index(D(2026, 12, 31))


@pytest.mark.parametrize(
    "text", ["2026-02-30", "2026-13-01", "2026-5-4", "yesterday", "2026-05-04T00:00", ""]
)
def test_parse_iso_date_refuses_what_is_not_a_real_date(text: str) -> None:
    with pytest.raises(ValueError, match=r"not a (real )?date"):
        parse_iso_date(text)
