"""What the hand-built edge fixtures are made of (`aurules.edges.hand_built` gathers them).

An `Edge` is one scenario at a boundary with the outcome the boundary implies, stated by
construction from the ruleset's parameters and interpretations; the helpers build scenario
data from the contract's minimal scenario and do the arithmetic of the construction in exact
fractions and whole pence, apart from the model's own code.
"""

from __future__ import annotations

import copy
import datetime as dt
from fractions import Fraction
from typing import Any

import attrs

from aurules.model.money import Money
from aurules.model.ruleset import Ruleset
from aurules.model.scenario import MINIMAL

DAY = dt.timedelta(days=1)


HOUR = 100
"""Hours are counted in hundredths inside the model."""


START = dt.date.fromisoformat(MINIMAL["plan"]["start_date"])
END = dt.date.fromisoformat(MINIMAL["plan"]["planned_end_date"])
PLANNED = MINIMAL["plan"]["planned_hours"] * HOUR
RATE = Money.parse(MINIMAL["unit"]["funding_rate"]).pence
"""The minimal scenario's start and planned end, planned hours (hundredths) and funding rate
(pence): every edge moves away from these."""


@attrs.frozen(kw_only=True)
class Edge:
    """One scenario at a boundary and what the boundary says its outcome must be."""

    paragraphs: tuple[str, ...]
    description: str
    scenario: dict[str, Any]
    failed: tuple[str, ...] = ()  # the start paragraphs that must fail, besides none
    paid: tuple[str, ...] | None = None  # items that must be paid, in order (None: no check)
    refused: tuple[tuple[str, tuple[str, ...]], ...] | None = None  # (item, paragraphs)
    amounts: tuple[tuple[str, str, str, str], ...] | None = None
    """Each payment as (item, government, employer_account, employer_direct), in pounds."""
    above_rate: str | None = None  # totals.employer_above_rate, in pounds


def iso(day: dt.date) -> str:
    """The date as `YYYY-MM-DD`."""
    return day.isoformat()


def scenario_with(**parts: Any) -> dict[str, Any]:
    """The minimal scenario with some parts merged in (one level deep)."""
    data = copy.deepcopy(MINIMAL)
    for key, value in parts.items():
        data[key] = {**data.get(key, {}), **value} if isinstance(value, dict) else value
    return data


def starting(day: dt.date, ruleset: Ruleset, **parts: Any) -> dict[str, Any]:
    """The minimal scenario moved to start on `day` (the same planned length)."""
    length = END - START
    plan = {"start_date": iso(day), "planned_end_date": iso(day + length), **parts.pop("plan", {})}
    return scenario_with(plan=plan, **parts)


def outside_window(day: dt.date, ruleset: Ruleset) -> tuple[str, ...]:
    """("3",) when `day` is before the ruleset's first day (the other fixtures' start rule; a
    start after its last day is bad input, and no fixture has one)."""
    return () if ruleset.valid_from <= day else ("3",)


def hours_value(centi: int) -> int | float:
    """Hundredths of an hour as scenario hours (a whole number when it is one)."""
    return centi // 100 if centi % 100 == 0 else centi / 100


def claim_edge(
    paragraphs: tuple[str, ...],
    description: str,
    events: list[dict[str, Any]],
    item: str,
    *,
    paid: bool,
    refused_by: str | tuple[str, ...],
) -> Edge:
    """An edge whose last claim of `item` is paid, or refused by `refused_by` alone (one
    paragraph, or the paragraphs that fail together)."""
    by = (refused_by,) if isinstance(refused_by, str) else refused_by
    return Edge(
        paragraphs=paragraphs,
        description=description,
        scenario=scenario_with(events=events),
        paid=(item,) if paid else (),
        refused=() if paid else ((item, by),),
    )


def completed(delivered: dt.date, tested: dt.date, planned: int) -> list[dict[str, Any]]:
    """Every planned hour delivered on one day, then the skills test passed and the plan
    signed off by all three on another: all milestone 2 needs but the claim."""
    return [
        {"date": iso(delivered), "type": "delivered", "hours": hours_value(planned)},
        {"date": iso(tested), "type": "skills_test_passed"},
        {"date": iso(tested), "type": "plan_signed_off"},
    ]


def hours_reaching(share: Any, planned: int) -> int:
    """The least hundredths of an hour that reach `share` of `planned` hundredths."""
    exact = fraction(share) * planned
    return -(-exact.numerator // exact.denominator)


def half_up(amount: Fraction) -> int:
    """A non-negative amount of pence rounded half up to a whole penny."""
    return int(amount + Fraction(1, 2))


def pounds(pence: int) -> str:
    """Pence as a scenario's pounds string ("1500.00")."""
    return f"{pence // 100}.{pence % 100:02d}"


def fraction(rate: Any) -> Fraction:
    """A ruleset rate (num / den) as an exact fraction."""
    return Fraction(rate.num, rate.den)
