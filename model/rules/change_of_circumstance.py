"""Changes of circumstance: restart, extension and the withdrawal deadline (paragraphs 21.3,
128, 130, 131), and changes of the employer's levy status and funds (75, 94.1, 95). A
withdrawal (125) and the end of employment (127) have their own modules.
"""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any, cast

from aurules.model.facts import ARRANGEMENT, FUNDING, RELATIONSHIP, Facts
from aurules.model.glue import DAYS_PER_WEEK
from aurules.model.registry import effect, guard
from aurules.model.rules.parental_leave import leave_days_until
from aurules.model.rules.programme import duration_within_limits, hours_within_limits
from aurules.model.rules.reservations import (
    reservation_by_non_levy_employer,
    reservation_in_window,
    reservation_not_backdated,
)
from aurules.model.rules.transfers import (
    transfer_accepted_in_time,
    transfer_in_place_before_start,
    transfer_used_in_time,
)
from aurules.model.ruleset import Ruleset
from aurules.model.state import LEAVE, EventFacts, State
from aurules.model.values import Backend, replace


@effect("131", interpretations=("withdrawal_deadline",))
def withdrawal_deadline(s: State, day: Any, p: Ruleset, b: Backend) -> Any:
    """A learner without milestone 2 must be withdrawn after the original planned end date plus
    [eight weeks](duration.withdraw_after_weeks), moved back by maternity, adoption or shared
    parental leave.

    Interpretation: `withdrawal_deadline` (original planned end + withdraw_after_weeks,
    moved by the leave taken up to `day`).
    """
    return (
        s.original_end_day
        + p.duration.withdraw_after_weeks * DAYS_PER_WEEK
        + leave_days_until(s, day, b)
    )


@guard("131", items=("milestone_2",), interpretations=("withdrawal_deadline",))
def reached_by_withdrawal_deadline(s: State, e: EventFacts, p: Ruleset, b: Backend) -> Any:
    """Milestone 2 must be reached (the last sign-off after the learning is complete) by the
    withdrawal deadline: the original planned end plus [eight
    weeks](duration.withdraw_after_weeks), moved by parental leave. Reached in time, it is paid
    when claimed later.

    The weeks are the ruleset's `duration.withdraw_after_weeks`.
    """
    return b.not_(s.m2_reached_late)


@guard(
    "131",
    items=("milestone_1", "learning_support"),
    cites=("125",),
    interpretations=("withdrawal_deadline", "claims_after_withdrawal_deadline"),
)
def claimable_after_withdrawal_deadline(s: State, e: EventFacts, p: Ruleset, b: Backend) -> Any:
    """A learner past the withdrawal deadline without milestone 2 is due to be withdrawn; a
    claim for milestone 1 or learning support made after the deadline is paid only for what
    was earned before it (the signed plan in place by the deadline; hours after it never
    count).

    Interpretation: `claims_after_withdrawal_deadline` (official: `paid_if_earned_before`; or
    `refused`: nothing is paid once the deadline has passed without milestone 2).
    """
    deadline = withdrawal_deadline(s, e.day, p, b)
    in_time = b.or_(e.day <= deadline, b.and_(s.m2_claimed, b.not_(s.m2_reached_late)))
    if p.interpretations.claims_after_withdrawal_deadline == "refused":
        return in_time
    return b.or_(in_time, s.plan_signed_day <= deadline)


@effect("130")
def latest_extended_end(s: State, day: Any, p: Ruleset, b: Backend) -> Any:
    """The planned end date may move at most [eight weeks](duration.max_extension_weeks)
    beyond the original one; parental leave moves that limit too (131)."""
    return (
        s.original_end_day
        + p.duration.max_extension_weeks * DAYS_PER_WEEK
        + leave_days_until(s, day, b)
    )


def extension_allowed(s: State, e: EventFacts, p: Ruleset, b: Backend) -> Any:
    """An extension must not move the end earlier than the start nor past the limit."""
    return b.and_(e.to_day >= s.start_day, e.to_day <= latest_extended_end(s, e.day, p, b))


@effect("130", cites=("57",))
def extended(s: State, e: EventFacts, p: Ruleset, b: Backend) -> State:
    """An agreed extension moves the planned end date (within the limit of 130)."""
    return replace(
        s, planned_end_day=b.ite(extension_allowed(s, e, p, b), e.to_day, s.planned_end_day)
    )


@effect(
    "128",
    "21.3",
    cites=(
        *("86.2", "91", "23", "71", "84", "85", "88"),
        *("111", "115", "116", "129", "130", "131"),
    ),
    interpretations=("duration_days",),
)
def restarted(s: State, e: EventFacts, p: Ruleset, b: Backend) -> State:
    """A restart continues from the hours already delivered, possibly with a new employer whose
    levy status, funds and route then apply; eligibility changes only with the employer (21.3):
    the employer must employ the learner (23), its route must fit its levy status (71, 84)
    and a reservation or transfer must meet its windows against the restart date as at a
    first start (85, 88, 111, 115, 116; `new_arrangement_checks`). A restart may agree a new
    training plan (a planned end date, and planned hours): from then on delivery, extension
    (130) and the withdrawal deadline (131) count from that plan, which is held to 129's
    limits as a first plan is. Milestones already claimed stay claimed (91, 128)."""
    fits = b.and_(
        e.new_relationship != RELATIONSHIP["none"],
        b.implies(e.new_funding == FUNDING["levy"], e.new_levy_payer),
        *new_arrangement_checks(e, p, b).values(),
    )
    new = e.new_employer
    planned_hours = b.ite(e.has_new_hours, e.new_planned_hours, s.planned_hours)
    new_plan_ok = b.and_(
        duration_within_limits(e.day, e.new_end_day, p, b), hours_within_limits(planned_hours, p, b)
    )
    running_leave = s.leave != LEAVE["none"]
    return replace(
        s,
        # a new plan: delivery, extension (130) and the withdrawal deadline (131) count from it
        start_day=b.ite(e.new_plan, e.day, s.start_day),
        original_end_day=b.ite(e.new_plan, e.new_end_day, s.original_end_day),
        planned_end_day=b.ite(e.new_plan, e.new_end_day, s.planned_end_day),
        planned_hours=planned_hours,
        plan_valid=b.ite(
            e.new_plan, new_plan_ok, b.and_(s.plan_valid, hours_within_limits(planned_hours, p, b))
        ),
        last_counted_day=b.ite(e.new_plan, e.day, s.last_counted_day),
        leave_days=b.ite(e.new_plan, 0, s.leave_days),
        leave_at_last_count=b.ite(e.new_plan, 0, s.leave_at_last_count),
        leave_start_day=b.ite(b.and_(e.new_plan, running_leave), e.day, s.leave_start_day),
        withdrawn=False,
        employed=True,
        restarts=s.restarts + 1,
        eligible=b.and_(s.eligible, b.implies(new, fits)),
        levy_payer=b.ite(new, e.new_levy_payer, s.levy_payer),
        start_levy=b.ite(new, e.new_levy_payer, s.start_levy),
        balance=b.ite(new, e.new_balance, s.balance),
        funding=b.ite(new, e.new_funding, s.funding),
        relationship=b.ite(new, e.new_relationship, s.relationship),
        sender_unlimited=b.ite(new, b.not_(e.new_has_sender_balance), s.sender_unlimited),
        sender_balance=b.ite(new, e.new_sender_balance, s.sender_balance),
    )


def new_arrangement_checks(e: EventFacts, p: Ruleset, b: Backend) -> dict[str, Any]:
    """The funding rules of a restart's new employer, each by name: a reservation made by a
    non-levy employer, not backdated and within its window (84 to 88), or a transfer in place
    before the restart, accepted in time and used in time (111, 115, 116), all against the
    restart date as for a first start; a reservation may fund a restart after a change of
    employer (86.2)."""
    view = cast(
        Facts,
        SimpleNamespace(
            funding=e.new_funding,
            levy_payer=e.new_levy_payer,
            start_day=e.day,
            **{name: getattr(e, f"new_{name}") for name in ARRANGEMENT},
        ),
    )
    return {rule.__name__: rule(view, p, b) for rule in RESTART_FUNDING_RULES}


RESTART_FUNDING_RULES = (
    reservation_by_non_levy_employer,
    reservation_not_backdated,
    reservation_in_window,
    transfer_in_place_before_start,
    transfer_accepted_in_time,
    transfer_used_in_time,
)
"""The start rules of a funding arrangement, applied again to a restart's new employer."""


@effect("94.1", "95")
def levy_status_changed(s: State, e: EventFacts, p: Ruleset, b: Backend) -> State:
    """A change of levy status is not backdated: a new levy payer's funds pay later
    milestones (95), but the start keeps its co-investment terms (94.1)."""
    return replace(s, levy_payer=e.levy_payer)


@effect("75")
def levy_balance_changed(s: State, e: EventFacts, p: Ruleset, b: Backend) -> State:
    """The funds in the employer's account change (declarations, other spending)."""
    return replace(s, balance=e.levy_balance)
