"""Small value types with unit discipline: money in whole pence, rates as exact fractions,
hours in hundredths, shares in millionths.

Rulesets and scenarios write money in pounds ("1500.00" or 1500) with at most 2 decimal
places; inside the model it is always an integer number of pence, so the Z3, Python and
NumPy backends compute the same thing exactly.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from fractions import Fraction

import attrs

from aurules.model.errors import FieldError

NUMERAL = re.compile(r"-?[0-9]+(\.[0-9]+)?", re.ASCII)
LARGEST_DIGITS = 12
"""No amount, hours or share in a scenario or ruleset reaches 10**12."""


def _decimal(value: object, what: str, *, strings: bool = True) -> Decimal:
    """A JSON/TOML number (or, where allowed, a plain decimal string such as "1500.00") as an
    exact Decimal. Booleans are not numbers; exponents, spaces and other digits are refused."""
    if isinstance(value, bool) or not isinstance(value, int | float | str | Decimal):
        raise FieldError(f"expected {what}, got {_show(value)}")
    if isinstance(value, str) and (not strings or not NUMERAL.fullmatch(value)):
        raise FieldError(f"expected {what}, got {_show(value)}")
    try:
        number = Decimal(str(value))
    except (InvalidOperation, ArithmeticError):
        raise FieldError(f"expected {what}, got {_show(value)}") from None
    if not number.is_finite():
        raise FieldError(f"expected {what}, got {_show(value)}")
    if number and number.adjusted() >= LARGEST_DIGITS:  # no context arithmetic: no overflow
        raise FieldError(f"{_show(value)} is too large")
    return number


def _show(value: object) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return repr(value)
    if isinstance(value, dict):
        return "an object"
    if isinstance(value, list):
        return "a list"
    return str(value)


def scaled(
    value: object, places: int, what: str, *, negative_ok: bool = False, strings: bool = True
) -> int:
    """`value` times 10**places as an exact integer; refuses more decimal places than that."""
    number = _decimal(value, what, strings=strings)
    exponent = number.as_tuple().exponent
    assert isinstance(exponent, int)  # finite numbers have an integer exponent
    if number != number.to_integral_value() and -exponent > places:
        raise FieldError(f"{_show(value)} has more than {places} decimal places")
    if number < 0 and not negative_ok:
        raise FieldError(f"{_show(value)} is negative")
    return int(number.scaleb(places))


@attrs.frozen(order=True)
class Money:
    """An amount of money in whole pence."""

    pence: int

    @classmethod
    def parse(cls, value: object, *, negative_ok: bool = False) -> Money:
        """Pounds as a decimal string or number with at most 2 decimal places."""
        return cls(
            scaled(value, 2, 'an amount in pounds such as "1500.00"', negative_ok=negative_ok)
        )

    def __str__(self) -> str:
        return format_pence(self.pence)


def format_pence(pence: int) -> str:
    """Pence as pounds with exactly two decimals: 45000 -> "450.00", -5 -> "-0.05"."""
    sign = "-" if pence < 0 else ""
    whole, part = divmod(abs(pence), 100)
    return f"{sign}{whole}.{part:02d}"


RATE_PLACES = 6
"""A proportion in a ruleset has at most six decimal places (as a scenario's shares): enough
for any rule, and its products with amounts stay well within 64-bit integers."""


@attrs.frozen
class Rate:
    """An exact proportion, e.g. 0.30 as 3/10. Rules compare with integer cross-multiplication
    (`x * den >= total * num`) so that every backend stays in integer arithmetic."""

    num: int
    den: int

    @classmethod
    def parse(cls, value: object) -> Rate:
        """A decimal string ("0.30") or number between 0 and 1 inclusive."""
        number = _decimal(value, 'a proportion such as "0.30"')
        if number < 0 or number > 1:
            raise FieldError(f"{_show(value)} is not a proportion between 0 and 1")
        exponent = number.normalize().as_tuple().exponent  # 0.300000 has one place
        if isinstance(exponent, int) and -exponent > RATE_PLACES:
            raise FieldError(f"{_show(value)} has more than {RATE_PLACES} decimal places")
        fraction = Fraction(number)
        return cls(fraction.numerator, fraction.denominator)

    def __str__(self) -> str:
        return str(Decimal(self.num) / Decimal(self.den))

    def as_fraction(self) -> Fraction:
        return Fraction(self.num, self.den)


HOURS_PLACES = 2
HOURS_SCALE = 10**HOURS_PLACES
"""Hours are recorded to the hundredth of an hour (0.01 h = 36 seconds)."""

SHARE_PLACES = 6
"""Shares of working time are recorded to the millionth."""
SHARE_WHOLE = 10**SHARE_PLACES
"""A share of 1 (all working hours), in millionths: a unit, not a threshold."""


def parse_hours(value: object) -> int:
    """Non-negative hours with at most 2 decimal places, as hundredths of an hour."""
    return scaled(value, HOURS_PLACES, "a number of hours", strings=False)


def format_hours(centi: int) -> str:
    whole, part = divmod(centi, 100)
    return f"{whole}" if part == 0 else f"{whole}.{part:02d}".rstrip("0")


def parse_share(value: object) -> int:
    """A share between 0 and 1 with at most 6 decimal places, in millionths."""
    millionths = scaled(value, SHARE_PLACES, "a share between 0 and 1", strings=False)
    if millionths > 10**SHARE_PLACES:
        raise FieldError(f"{_show(value)} is more than 1")
    return millionths


def show(value: object) -> str:
    """A JSON value as a user would write it, for error messages."""
    return _show(value)
