"""Rule summaries in the ruleset's own numbers.

A rule's docstring gives the rules' wording of each number it reads as a link to the
parameter, `[sixteen weeks](duration.max_planned_days)`. The catalogue and the official
ruleset show the wording ("sixteen weeks"); under a ruleset whose value differs, the value
itself is shown with its unit ("140 days"), so an explanation never quotes a number the
ruleset being explained does not use.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from aurules.model.money import Money, Rate

LINK = re.compile(r"\[([^\]]+)\]\(([a-z_][a-z0-9_]*(?:\.[a-z_][a-z0-9_]*)?)\)")
"""`[wording](section.key)` (or `[wording](valid_from)`)."""


def plain(text: str) -> str:
    """The text with every link replaced by its wording (the rules' own words)."""
    return LINK.sub(lambda m: m.group(1), text)


def under(text: str, ruleset: Any, official: Any) -> str:
    """The text in `ruleset`'s numbers: a link keeps its wording where the ruleset's value is
    the official one, and shows the ruleset's value otherwise."""

    banded = {band.key: band for band in ruleset.structure.bands} if ruleset.binding is None else {}

    def replace(match: re.Match[str]) -> str:
        wording, key = match.group(1), match.group(2)
        if key in banded:  # by a fact: every band's value
            band = banded[key]
            parts = [
                f"{shown(b.value, key, bare=_bare(wording))} below {b.below_data}"
                if b.below is not None
                else f"{shown(b.value, key, bare=_bare(wording))} otherwise"
                for b in band.bands
            ]
            return f"({band.by}: {', '.join(parts)})"
        value = value_of(ruleset, key)
        if value == value_of(official, key):
            return wording
        return shown(value, key, bare=_bare(wording))

    return LINK.sub(replace, text)


def keys(text: str) -> list[str]:
    """The parameters a text links to."""
    return [m.group(2) for m in LINK.finditer(text)]


def value_of(ruleset: Any, key: str) -> Any:
    """A ruleset's value for `section.key` (or a top-level key such as `valid_from`)."""
    value = ruleset
    for part in key.split("."):
        value = getattr(value, part)
    return value


def _bare(wording: str) -> bool:
    return bool(re.fullmatch(r"[£\d.,%]+", wording))


def shown(value: Any, key: str, *, bare: bool = False) -> str:
    """A value as a person reads it, with its unit unless `bare` (the wording is a number)."""
    if isinstance(value, dt.date):
        return f"{value.day} {value:%B %Y}"
    if isinstance(value, Money):
        return f"£{value}"
    if isinstance(value, Rate):
        percent = value.num * 100 / value.den
        return f"{percent:g}%"
    if bare:
        return str(value)
    return f"{value} {_unit(key)}{'' if value == 1 else 's'}"


def _unit(key: str) -> str:
    from aurules.model.parameters import declared

    for info in declared():
        if info.key == key:
            return str(info.unit)
    return ""
