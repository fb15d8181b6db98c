"""Programme eligibility: when the rules apply, approved provision, planned duration and
single-provider delivery (paragraphs 3, 10 to 12, 25, 39, 50, 124, 129)."""

from __future__ import annotations

from typing import Any

from aurules.model.calendar import day_number
from aurules.model.facts import Facts
from aurules.model.money import HOURS_SCALE
from aurules.model.registry import rule
from aurules.model.ruleset import Ruleset
from aurules.model.values import Backend


@rule("3")
def starts_while_rules_apply(f: Facts, p: Ruleset, b: Backend) -> Any:
    """These rules govern units starting from their first day (28 April 2026) to the last day
    of the ruleset (31 July 2026)."""
    return b.and_(f.start_day >= day_number(p.valid_from), f.start_day <= day_number(p.valid_to))


@rule("10", "25", cites=("11", "12"))
def approved_provider_and_unit(f: Facts, p: Ruleset, b: Backend) -> Any:
    """Only a provider approved on the register for this unit, delivering an approved unit,
    is funded."""
    return f.provider_approved


def planned_days(f: Facts, p: Ruleset) -> Any:
    """Planned duration in days under interpretation `duration_days`."""
    days = f.planned_end_day - f.start_day
    return days + 1 if p.interpretations.duration_days == "inclusive" else days


@rule("39", "129", interpretations=("duration_days",))
def planned_duration(f: Facts, p: Ruleset, b: Backend) -> Any:
    """The planned duration must be between one and sixteen weeks.

    Interpretation: `duration_days` (planned end date minus start date, in days).
    """
    days = planned_days(f, p)
    return b.and_(days >= p.duration.min_planned_days, days <= p.duration.max_planned_days)


@rule("129", cites=("39",))
def planned_hours_in_range(f: Facts, p: Ruleset, b: Backend) -> Any:
    """The planned delivery hours must be between 30 and 140."""
    return b.and_(
        f.planned_hours >= p.duration.min_planned_hours * HOURS_SCALE,
        f.planned_hours <= p.duration.max_planned_hours * HOURS_SCALE,
    )


@rule("50", "124")
def not_subcontracted(f: Facts, p: Ruleset, b: Backend) -> Any:
    """The provider delivers all training itself: no subcontracting."""
    return b.not_(f.subcontracted)
