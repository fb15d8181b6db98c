"""The calendar of `model.calendar`, over arrays of dates (one per learner).

Dates are day numbers (`datetime.date.toordinal()`), as the facts hold them. Each function
answers the same question as its namesake in `model.calendar`, for every row at once; a test
compares the two on random dates, 29 February and month ends included.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from aurules.model.calendar import LeapDayRule

EPOCH = 719_163
"""`datetime.date(1970, 1, 1).toordinal()`: NumPy counts days from 1970."""

Array = Any


def civil(days: Array) -> tuple[Array, Array, Array]:
    """Year, month (1-12) and day of month of each day number, for any date (integer
    arithmetic: H. Hinnant's `civil_from_days`)."""
    z = np.asarray(days, dtype=np.int64) - EPOCH + 719_468
    era = z // 146_097
    doe = z - era * 146_097
    yoe = (doe - doe // 1460 + doe // 36_524 - doe // 146_096) // 365
    doy = doe - (365 * yoe + yoe // 4 - yoe // 100)
    mp = (5 * doy + 2) // 153
    day = doy - (153 * mp + 2) // 5 + 1
    month = np.where(mp < 10, mp + 3, mp - 9)
    year = yoe + era * 400 + (month <= 2)
    return year, month, day


TABLE_FIRST = 693_596
"""`datetime.date(1900, 1, 1).toordinal()`: dates from here on for 300 years are looked up."""
TABLE_DAYS = 109_573
_Y, _M, _D = civil(np.arange(TABLE_FIRST, TABLE_FIRST + TABLE_DAYS, dtype=np.int64))
_PACKED = (_Y << 9 | _M << 5 | _D).astype(np.int64)
"""Year, month and day of each day in the table, packed in one number (one lookup)."""


def split(days: Array) -> tuple[Array, Array, Array]:
    """Year, month (1-12) and day of month of each day number: looked up for 1900 to 2199
    (about 40 times quicker), computed by `civil` if any date falls outside."""
    offset = np.asarray(days, dtype=np.int64) - TABLE_FIRST
    if offset.size and (offset.min() < 0 or offset.max() >= TABLE_DAYS):
        return civil(days)
    packed = _PACKED[offset]
    return packed >> 9, packed >> 5 & 15, packed & 31


def day_numbers(year: Array, month: Array, day: Array) -> Array:
    """The day number of each (year, month, day); the day must exist in its month
    (`days_from_civil`)."""
    month = np.asarray(month, dtype=np.int64)
    y = np.asarray(year, dtype=np.int64) - (month <= 2)
    era = y // 400
    yoe = y - era * 400
    doy = (153 * np.where(month > 2, month - 3, month + 9) + 2) // 5 + np.asarray(day) - 1
    doe = yoe * 365 + yoe // 4 - yoe // 100 + doy
    return era * 146_097 + doe - 719_468 + EPOCH


_DAYS = np.array([0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31], dtype=np.int64)


def days_in_month(year: Array, month: Array) -> Array:
    """How many days each (year, month) has."""
    return _DAYS[month] + ((month == 2) & is_leap(year))


def month_index(days: Array) -> Array:
    """Months since the start of year 0 (`model.calendar.month_index`)."""
    year, month, _ = split(days)
    return year * 12 + month - 1


def is_leap(year: Array) -> Array:
    """Whether each year has a 29 February (looked up for 1900 to 2199)."""
    year = np.asarray(year, dtype=np.int64)
    offset = year - 1900
    if offset.size and offset.min() >= 0 and offset.max() < _LEAP.size:
        return _LEAP[offset]
    return _is_leap(year)


def _is_leap(year: Array) -> Array:
    return (year % 4 == 0) & ((year % 100 != 0) | (year % 400 == 0))


_LEAP = _is_leap(np.arange(1900, 2200, dtype=np.int64))


def _anniversary(
    month: Array, day: Array, year: Array, leap_day: LeapDayRule
) -> tuple[Array, Array]:
    """Month and day of an anniversary of (month, day) in `year`: a 29 February moves to
    1 March (or 28 February) in a common year."""
    moved = (month == 2) & (day == 29) & ~is_leap(year)
    if leap_day == "march_1":
        return np.where(moved, 3, month), np.where(moved, 1, day)
    return month, np.where(moved, 28, day)


class Dates:
    """Day numbers with their year, month and day of month worked out once (a fact
    derivation asks several questions of the same column)."""

    def __init__(self, days: Array) -> None:
        self.days = np.asarray(days, dtype=np.int64)
        self.year, self.month, self.day = split(self.days)
        self.month_index = self.year * 12 + self.month - 1


def dates(days: Dates | Array) -> Dates:
    return days if isinstance(days, Dates) else Dates(days)


def whole_years(born: Dates | Array, on: Dates | Array, leap_day: LeapDayRule = "march_1") -> Array:
    """Birthdays reached by `on` (`model.calendar.whole_years`)."""
    born, on = dates(born), dates(on)
    month, day = _anniversary(born.month, born.day, on.year, leap_day)
    later = (month > on.month) | ((month == on.month) & (day > on.day))
    return on.year - born.year - later


def years_needed(
    start: Dates | Array, end: Dates | Array, leap_day: LeapDayRule = "march_1"
) -> Array:
    """The least k >= 0 with end <= start + k years (`model.calendar.years_needed`)."""
    start, end = dates(start), dates(end)
    k = whole_years(start, end, leap_day)
    month, day = _anniversary(start.month, start.day, start.year + k, leap_day)
    reached = day_numbers(start.year + k, month, day) >= end.days
    return np.where(end.days <= start.days, 0, np.where(reached, k, k + 1))


def months_needed(start: Dates | Array, end: Dates | Array) -> Array:
    """The least k >= 0 with end <= start + k calendar months, a day of month past the end of
    a shorter month clamped to its last day (`model.calendar.months_needed`)."""
    start, end = dates(start), dates(end)
    k = end.month_index - start.month_index
    landed = np.minimum(start.day, days_in_month(end.year, end.month))
    return np.where(end.days <= start.days, 0, np.where(landed >= end.day, k, k + 1))
