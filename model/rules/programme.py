"""Programme eligibility: when the rules apply, approved provision, planned duration and
hours, and single-provider delivery (paragraphs 3, 10 to 12, 25, 39, 50, 124, 129); a
restart's new plan is held to the same limits of 129."""

from __future__ import annotations

from typing import Any

from aurules.model.calendar import day_number
from aurules.model.facts import Facts
from aurules.model.money import HOURS_SCALE
from aurules.model.registry import guard, rule
from aurules.model.ruleset import Ruleset
from aurules.model.state import CLAIM_ITEMS, EventFacts, State
from aurules.model.values import Backend


@rule("3")
def starts_while_rules_apply(f: Facts, p: Ruleset, b: Backend) -> Any:
    """These rules govern units starting on or after their first day ([28 April
    2026](valid_from)).

    Paragraph 3 sets only a first day; a start after the ruleset's last day is not a failure of
    3 but a start no ruleset known covers, refused as bad input (`coverage.uncovered_start`).
    """
    return f.start_day >= day_number(p.valid_from)


@rule("10", "25", cites=("11", "12"))
def approved_provider_and_unit(f: Facts, p: Ruleset, b: Backend) -> Any:
    """Only a provider approved on the register for this unit, delivering an approved unit,
    is funded."""
    return f.provider_approved


def planned_days(f: Facts, p: Ruleset) -> Any:
    """Planned duration in days under interpretation `duration_days`."""
    return plan_days(f.start_day, f.planned_end_day, p)


def plan_days(start_day: Any, end_day: Any, p: Ruleset) -> Any:
    """A plan's duration in days, from its start to its planned end (`duration_days`)."""
    days = end_day - start_day
    return days + 1 if p.interpretations.duration_days == "inclusive" else days


def duration_within_limits(start_day: Any, end_day: Any, p: Ruleset, b: Backend) -> Any:
    """A plan from `start_day` to `end_day` lasts between one and sixteen weeks (39, 129)."""
    days = plan_days(start_day, end_day, p)
    return b.and_(days >= p.duration.min_planned_days, days <= p.duration.max_planned_days)


def hours_within_limits(planned_hours: Any, p: Ruleset, b: Backend) -> Any:
    """A plan's delivery hours lie between 30 and 140 (129)."""
    return b.and_(
        planned_hours >= p.duration.min_planned_hours * HOURS_SCALE,
        planned_hours <= p.duration.max_planned_hours * HOURS_SCALE,
    )


@rule("39", "129", interpretations=("duration_days",))
def planned_duration(f: Facts, p: Ruleset, b: Backend) -> Any:
    """The planned duration must be between [one week](duration.min_planned_days) and
    [sixteen weeks](duration.max_planned_days).

    Interpretation: `duration_days` (planned end date minus start date, in days).
    """
    return duration_within_limits(f.start_day, f.planned_end_day, p, b)


@guard("129", items=CLAIM_ITEMS, cites=("128",), interpretations=("duration_days",))
def restart_plan_within_limits(s: State, e: EventFacts, p: Ruleset, b: Backend) -> Any:
    """A restart agrees a new training plan; it must last between [one
    week](duration.min_planned_days) and [sixteen weeks](duration.max_planned_days) and plan
    between [30](duration.min_planned_hours) and [140](duration.max_planned_hours) delivery hours,
    as a first plan must. Until one does, nothing is
    paid and no training counts."""
    return s.plan_valid


@rule("129", cites=("39",))
def planned_hours_in_range(f: Facts, p: Ruleset, b: Backend) -> Any:
    """The planned delivery hours must be between [30](duration.min_planned_hours) and
    [140](duration.max_planned_hours)."""
    return hours_within_limits(f.planned_hours, p, b)


@rule("50", "124")
def not_subcontracted(f: Facts, p: Ruleset, b: Backend) -> Any:
    """The provider delivers all training itself: no subcontracting."""
    return b.not_(f.subcontracted)
