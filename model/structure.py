"""Structuring JSON and TOML data into the model's attrs classes, with exact, friendly errors.

One cattrs converter serves rulesets and scenarios. Its hooks are strict where Python is
lenient: a boolean is not a number, 5.7 is not a whole number, a date must exist, money has at
most two decimal places. Any failure becomes a single `BadInput(file, field.path, problem)`.
"""

from __future__ import annotations

import datetime as dt
import types
import typing
from collections.abc import Callable
from decimal import Decimal
from typing import Any, NewType, TypeVar

import cattrs
import cattrs.cols
from cattrs.errors import ClassValidationError, ForbiddenExtraKeysError, IterableValidationError

from aurules.model.calendar import handled, parse_iso_date
from aurules.model.errors import BadInput, FieldError
from aurules.model.money import Money, Rate, parse_hours, parse_share, show

T = TypeVar("T")

Hours = NewType("Hours", int)
"""Hours in hundredths of an hour (18.5 h is 1850)."""

Share = NewType("Share", int)
"""A share of working time in millionths (0.5 is 500000)."""


LARGEST_DIGITS = 15
"""No whole number in a scenario or ruleset reaches 10**15."""


def _int(value: object, _: type) -> int:
    if isinstance(value, bool) or not isinstance(value, int | Decimal | float):
        raise FieldError(f"expected a whole number, got {show(value)}")
    number = Decimal(value)
    if not number.is_finite():
        raise FieldError(f"expected a whole number, got {show(value)}")
    if number and number.adjusted() >= LARGEST_DIGITS:  # checked before int() builds it
        raise FieldError(f"{show(value)} is too large")
    if value != int(value):
        raise FieldError(f"expected a whole number, got {show(value)}")
    return int(value)


def _list_factory(kind: Any, converter: cattrs.Converter) -> Callable[[Any, Any], Any]:
    """Lists must be JSON arrays (cattrs would iterate a string or an object)."""
    inner = cattrs.cols.list_structure_factory(kind, converter)

    def structure(value: object, target: Any) -> Any:
        if not isinstance(value, list):
            raise FieldError(f"expected a list, got {show(value)}")
        return inner(value, target)

    return structure


def _bool(value: object, _: type) -> bool:
    if not isinstance(value, bool):
        raise FieldError(f"expected true or false, got {show(value)}")
    return value


def _str(value: object, _: type) -> str:
    if not isinstance(value, str):
        raise FieldError(f"expected a string, got {show(value)}")
    return value


def _date(value: object, _: type) -> dt.date:
    return read_date(value)


def read_date(value: object) -> dt.date:
    """A date as a scenario, ruleset or proposal gives it (ISO text, or a TOML date), within
    the dates the model handles; raises FieldError."""
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        try:
            return handled(value)  # TOML has native dates
        except ValueError as exc:
            raise FieldError(str(exc)) from None
    if not isinstance(value, str):
        raise FieldError(f"expected a date YYYY-MM-DD, got {show(value)}")
    try:
        return parse_iso_date(value)
    except ValueError as exc:
        raise FieldError(str(exc)) from None


def _literal(value: object, kind: Any) -> object:
    allowed = typing.get_args(kind)
    if value not in allowed or isinstance(value, bool) != any(isinstance(a, bool) for a in allowed):
        choices = ", ".join(show(a) for a in allowed)
        raise FieldError(f"expected one of {choices}, got {show(value)}")
    return value


def _optional_hook(converter: cattrs.Converter) -> tuple[Callable[[Any], bool], Callable[..., Any]]:
    def is_optional(kind: Any) -> bool:
        args = typing.get_args(kind)
        return typing.get_origin(kind) in (typing.Union, types.UnionType) and type(None) in args

    def structure(value: object, kind: Any) -> object:
        if value is None:
            return None
        inner = [a for a in typing.get_args(kind) if a is not type(None)]
        target: Any = inner[0] if len(inner) == 1 else typing.Union[*inner]
        return converter.structure(value, target)

    return is_optional, structure


def make_converter() -> cattrs.Converter:
    """The strict converter shared by every loader."""
    converter = cattrs.Converter(forbid_extra_keys=True, detailed_validation=True)
    converter.register_structure_hook(int, _int)
    converter.register_structure_hook(bool, _bool)
    converter.register_structure_hook(str, _str)
    converter.register_structure_hook(dt.date, _date)
    converter.register_structure_hook(Money, lambda v, _: Money.parse(v))
    converter.register_structure_hook(Rate, lambda v, _: Rate.parse(v))
    converter.register_structure_hook(Hours, lambda v, _: Hours(parse_hours(v)))
    converter.register_structure_hook(Share, lambda v, _: Share(parse_share(v)))
    converter.register_structure_hook_func(
        lambda kind: typing.get_origin(kind) is typing.Literal, _literal
    )
    converter.register_structure_hook_func(*_optional_hook(converter))
    converter.register_structure_hook_factory(
        lambda kind: typing.get_origin(kind) is list, _list_factory
    )
    converter.register_unstructure_hook(Money, str)
    converter.register_unstructure_hook(Rate, str)
    converter.register_unstructure_hook(dt.date, dt.date.isoformat)
    return converter


def _problem(exc: BaseException, _kind: Any) -> str:
    if isinstance(exc, FieldError):
        return str(exc)
    if isinstance(exc, ForbiddenExtraKeysError):
        names = ", ".join(sorted(exc.extra_fields))
        return f"unknown field {names}" if len(exc.extra_fields) == 1 else f"unknown fields {names}"
    if isinstance(exc, KeyError):
        return "required field is missing"
    if isinstance(exc, TypeError | AttributeError):
        return "expected an object with named fields"
    return str(exc) or type(exc).__name__


def _dotted(path: str) -> str:
    """cattrs' `$.learner.date_of_birth` / `$.events[2].hours` as `learner.date_of_birth` /
    `events[2].hours`."""
    return path.removeprefix("$").removeprefix(".")


def structure(
    converter: cattrs.Converter, data: object, kind: type[T], source: str, prefix: str = ""
) -> T:
    """`data` as an instance of `kind`, or BadInput naming the first faulty field."""
    try:
        return converter.structure(data, kind)
    except (ClassValidationError, IterableValidationError) as exc:
        message = cattrs.transform_error(exc, path="$", format_exception=_problem)[0]
        problem, _, path = message.rpartition(" @ ")
        field = _dotted(path)
        if problem.startswith("unknown field"):
            name = problem.split(" ", 2)[2]
            field = f"{field}.{name}" if field and "," not in name else (field or name)
        full = ".".join(p for p in (prefix, field) if p)
        raise BadInput(source, full, problem) from None
    except FieldError as exc:
        raise BadInput(source, prefix, str(exc)) from None
