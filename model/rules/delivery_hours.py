"""Delivery hours: agreed at the start (46, 48.1) and counted as they are delivered (48, 50.1,
50.3, 55, 137)."""

from __future__ import annotations

from typing import Any

from aurules.model.facts import Facts
from aurules.model.glue import share_floor
from aurules.model.money import HOURS_SCALE
from aurules.model.registry import effect, rule
from aurules.model.rules.parental_leave import (
    keeping_in_touch_allows,
    leave_days_until,
    use_keeping_in_touch_day,
)
from aurules.model.ruleset import Ruleset
from aurules.model.state import EventFacts, State
from aurules.model.values import Backend, replace


@rule("46")
def published_hours_in_range(f: Facts, p: Ruleset, b: Backend) -> Any:
    """The unit's published minimum of delivery hours lies between
    [30](hours.min_published_hours) and [140](hours.max_published_hours)."""
    return b.and_(
        f.published_min_hours >= p.hours.min_published_hours * HOURS_SCALE,
        f.published_min_hours <= p.hours.max_published_hours * HOURS_SCALE,
    )


@rule("48.1", cites=("46.1", "48"))
def planned_hours_cover_published(f: Facts, p: Ruleset, b: Backend) -> Any:
    """The provider's planned hours must be at least the unit's published minimum."""
    return f.planned_hours >= f.published_min_hours


# Delivery during the unit (the lifecycle): which hours count towards the milestones.


@effect("50.1", "48", cites=("44", "44.1", "127", "125"), interpretations=("withdrawal_deadline",))
def delivery_counts(s: State, e: EventFacts, p: Ruleset, b: Backend) -> Any:
    """Delivered hours count only for an eligible learner in employment and not withdrawn,
    on or after the start date, up to the planned end date as extended and no later than the
    withdrawal deadline (131), and during parental leave only on keeping-in-touch days (137).
    Hours delivered before the training plan is signed count too: the plan is agreed before
    training and the signed version must be in place by the first milestone claim (55), which
    that claim's own condition checks."""
    return b.and_(*delivery_conditions(s, e, p, b).values())


def delivery_conditions(s: State, e: EventFacts, p: Ruleset, b: Backend) -> dict[str, Any]:
    """Each condition of `delivery_counts`, named as a person reads it when it fails (explain
    says why a delivery did not count)."""
    from aurules.model.rules.change_of_circumstance import withdrawal_deadline

    return {
        "the learner is not eligible (21)": s.eligible,
        "employment has ended (127)": s.employed,
        "the learner has withdrawn (125)": b.not_(s.withdrawn),
        "the restart's plan is outside 129's limits (129)": s.plan_valid,
        "before the learning start date (50.1)": e.day >= s.start_day,
        "after the planned end date, as extended (50.1, 130)": e.day <= s.planned_end_day,
        "after the withdrawal deadline (131)": e.day <= withdrawal_deadline(s, e.day, p, b),
        "during parental leave, not on a KIT or SPLIT day within the allowance (137)": (
            keeping_in_touch_allows(s, e, p, b)
        ),
    }


@effect("50.3")
def counted_recorded_hours(s: State, e: EventFacts, p: Ruleset, b: Backend) -> Any:
    """Hours caught up by recording count only up to [20%](hours.max_recorded_share) of planned
    hours over the whole unit."""
    room = share_floor(b, s.planned_hours, p.hours.max_recorded_share) - s.recorded
    return b.min_(e.recorded, b.max_(room, 0))


@effect("55", cites=("48", "50.1", "50.3", "137"))
def delivered(s: State, e: EventFacts, p: Ruleset, b: Backend) -> State:
    """A delivery adds its counted hours (live hours, plus recordings within their share)."""
    counts = delivery_counts(s, e, p, b)
    recorded = counted_recorded_hours(s, e, p, b)
    added = (e.hours - e.recorded) + recorded
    return replace(
        s,
        **use_keeping_in_touch_day(s, e, counts, b),
        delivered=s.delivered + b.ite(counts, added, 0),
        recorded=s.recorded + b.ite(counts, recorded, 0),
        last_counted_day=b.ite(b.and_(counts, added > 0), e.day, s.last_counted_day),
        leave_at_last_count=b.ite(
            b.and_(counts, added > 0), leave_days_until(s, e.day, b), s.leave_at_last_count
        ),
    )
