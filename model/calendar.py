"""Concrete calendar arithmetic.

Z3 never sees a calendar: it works over the integer facts derived here (day numbers, whole
years, month indices). Everything here is plain Python on `datetime.date`, and tested at the
awkward edges (29 February, month ends, year ends).
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from typing import Literal

LeapDayRule = Literal["march_1", "february_28"]
ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", re.ASCII)


def day_number(day: dt.date) -> int:
    """A date as an integer (proleptic Gregorian ordinal), so that differences are days."""
    return day.toordinal()


def month_index(day: dt.date) -> int:
    """Months since the start of year 0: consecutive calendar months differ by exactly 1."""
    return day.year * 12 + day.month - 1


def anniversary(day: dt.date, years: int, leap_day: LeapDayRule = "march_1") -> dt.date:
    """`day` moved on by whole calendar years. A 29 February falls on 1 March (or on
    28 February, by the other reading) in a year with no 29 February."""
    year = day.year + years
    if day.month == 2 and day.day == 29 and not calendar.isleap(year):
        return dt.date(year, 3, 1) if leap_day == "march_1" else dt.date(year, 2, 28)
    return day.replace(year=year)


def whole_years(born: dt.date, on: dt.date, leap_day: LeapDayRule = "march_1") -> int:
    """Age in whole years on a date: the number of birthdays reached by `on` (can be negative
    when `on` is before `born`)."""
    years = on.year - born.year
    if anniversary(born, years, leap_day) > on:
        years -= 1
    return years


def add_months(day: dt.date, months: int) -> dt.date:
    """`day` moved on by calendar months, clamped to the last day of a shorter month
    (31 January + 1 month is 28 or 29 February)."""
    index = month_index(day) + months
    year, month0 = divmod(index, 12)
    last = calendar.monthrange(year, month0 + 1)[1]
    return dt.date(year, month0 + 1, min(day.day, last))


def years_needed(start: dt.date, end: dt.date, leap_day: LeapDayRule = "march_1") -> int:
    """The least whole number of years k >= 0 with end <= start + k years: 'end is within k
    years of start' is then `years_needed(start, end) <= k`."""
    if end <= start:
        return 0
    k = whole_years(start, end, leap_day)
    return k if anniversary(start, k, leap_day) >= end else k + 1


def months_needed(start: dt.date, end: dt.date) -> int:
    """The least whole number of calendar months k >= 0 with end <= start + k months."""
    if end <= start:
        return 0
    k = max(month_index(end) - month_index(start) - 1, 0)
    while add_months(start, k) < end:
        k += 1
    return k


FIRST_HANDLED = dt.date(1900, 1, 1)
LAST_HANDLED = dt.date(2199, 12, 31)
"""The dates a scenario, ruleset or population may give: births from 1900, plans to 2199 (the
vectorised calendar's table; calendar arithmetic stays far from year 9999)."""


def parse_iso_date(text: str) -> dt.date:
    """Strict ISO `YYYY-MM-DD` within the dates handled; raises ValueError with a readable
    reason."""
    if not ISO_DATE.fullmatch(text):
        raise ValueError(f"{text!r} is not a date in the form YYYY-MM-DD")
    year, month, day = (int(p) for p in text.split("-"))
    try:
        return handled(dt.date(year, month, day))
    except ValueError as exc:
        if "outside" in str(exc):
            raise
        raise ValueError(f"{text!r} is not a real date") from None


def handled(day: dt.date) -> dt.date:
    """`day`, or ValueError when it is outside the dates the model handles."""
    if not FIRST_HANDLED <= day <= LAST_HANDLED:
        raise ValueError(
            f"{day.isoformat()!r} is outside the dates the model handles "
            f"({FIRST_HANDLED} to {LAST_HANDLED})"
        )
    return day
