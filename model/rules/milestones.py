"""Claims and the two milestone payments (paragraphs 54, 55, 60 to 64, 72, 89, 91, 93.1, 128).

Each guard is one condition of a claim; a claim is paid when all its guards hold and refused,
with the paragraphs of every failing guard, otherwise. The conditions every claim shares sit
under their own sections: an eligible learner (21, `eligibility`), not withdrawn (125,
`withdrawal`), still employed (127, `employment`) and the withdrawal deadline (131,
`change_of_circumstance`).
"""

from __future__ import annotations

from typing import Any

from aurules.model.glue import milestone_amounts
from aurules.model.registry import effect, guard
from aurules.model.rules.change_of_circumstance import withdrawal_deadline
from aurules.model.ruleset import Ruleset
from aurules.model.state import EventFacts, State
from aurules.model.values import Backend, replace, share_at_least

ALL = ("milestone_1", "milestone_2", "learning_support")
M1, M2 = ("milestone_1",), ("milestone_2",)


@guard("91", items=M1, cites=("128",), interpretations=("recovered_milestone_reclaimable",))
def milestone_1_not_claimed_before(s: State, e: EventFacts, p: Ruleset, b: Backend) -> Any:
    """Milestone 1 is paid once for a learner's unit, across withdrawals, restarts and changes
    of employer or provider.

    Interpretation: `recovered_milestone_reclaimable` (official: false, a recovered milestone
    stays claimed).
    """
    if p.interpretations.recovered_milestone_reclaimable:
        return b.not_(s.m1_held)
    return b.not_(s.m1_claimed)


@guard("91", items=M2, cites=("128",), interpretations=("recovered_milestone_reclaimable",))
def milestone_2_not_claimed_before(s: State, e: EventFacts, p: Ruleset, b: Backend) -> Any:
    """Milestone 2 is paid once for a learner's unit, across restarts and changes."""
    if p.interpretations.recovered_milestone_reclaimable:
        return b.not_(s.m2_held)
    return b.not_(s.m2_claimed)


@guard("55", items=M1)
def training_plan_signed(s: State, e: EventFacts, p: Ruleset, b: Backend) -> Any:
    """The signed training plan must be in place when milestone 1 is claimed."""
    return s.plan_signed_day <= e.day


def milestone_1_hours_met(s: State, p: Ruleset) -> Any:
    """Whether the delivered hours reach milestone 1's share of the planned hours."""
    return share_at_least(s.delivered, s.planned_hours, p.milestones.milestone_1_hours_share)


@guard("72.1", items=M1)
def milestone_1_hours_reached(s: State, e: EventFacts, p: Ruleset, b: Backend) -> Any:
    """Milestone 1 is due once its share of the planned delivery hours
    ([30%](milestones.milestone_1_hours_share)) is completed.

    The share is the ruleset's `milestones.milestone_1_hours_share`.
    """
    return milestone_1_hours_met(s, p)


@guard("72.2", items=M2, cites=("43",))
def milestone_2_hours_reached(s: State, e: EventFacts, p: Ruleset, b: Backend) -> Any:
    """Milestone 2 is due once its share of the planned delivery hours ([all of
    them](milestones.milestone_2_hours_share)) is completed.

    The share is the ruleset's `milestones.milestone_2_hours_share`.
    """
    return milestone_2_hours_met(s, p)


def milestone_2_hours_met(s: State, p: Ruleset) -> Any:
    """Whether the delivered hours reach milestone 2's share of the planned hours."""
    return share_at_least(s.delivered, s.planned_hours, p.milestones.milestone_2_hours_share)


@guard("61", items=M2, cites=("60", "64"))
def skills_test_passed(s: State, e: EventFacts, p: Ruleset, b: Backend) -> Any:
    """Milestone 2 needs the learner to have passed the skills test."""
    return s.skills_passed


@guard("63", items=M2, cites=("63.1", "63.2", "63.3", "64"))
def plan_signed_off_by_all(s: State, e: EventFacts, p: Ruleset, b: Backend) -> Any:
    """Milestone 2 needs the training plan signed off as delivered by the provider, the learner
    and the employer, after the learning is complete."""
    return signed_by_all(s, b)


def learning_complete(s: State, p: Ruleset, b: Backend) -> Any:
    """The learning is complete: milestone 2's share of the planned hours (all of them in the
    rules) delivered and the skills test passed (63, 64)."""
    return b.and_(milestone_2_hours_met(s, p), s.skills_passed)


@effect("61", cites=("60",))
def skills_test_recorded(s: State, e: EventFacts, p: Ruleset, b: Backend) -> State:
    """The learner has passed the skills test."""
    return replace(s, skills_passed=True)


@effect("63", cites=("63.1", "63.2", "63.3", "64", "131"), interpretations=("withdrawal_deadline",))
def plan_signed_off(s: State, e: EventFacts, p: Ruleset, b: Backend) -> State:
    """The provider, the learner and the employer each confirm that the training plan has been
    delivered; a confirmation counts only when made after the learning is complete (all the
    planned hours and the skills test), so one made earlier is recorded and ignored, and
    signing again later counts. Milestone 2 is reached when the last of the three counts; if
    that is after the withdrawal deadline (131), it was reached too late."""
    complete = learning_complete(s, p, b)
    after = replace(
        s,
        signed_provider=b.or_(s.signed_provider, b.and_(complete, e.by_provider)),
        signed_learner=b.or_(s.signed_learner, b.and_(complete, e.by_learner)),
        signed_employer=b.or_(s.signed_employer, b.and_(complete, e.by_employer)),
    )
    reached_now = b.and_(b.not_(signed_by_all(s, b)), signed_by_all(after, b))
    late = e.day > withdrawal_deadline(s, e.day, p, b)
    return replace(after, m2_reached_late=b.or_(s.m2_reached_late, b.and_(reached_now, late)))


def signed_by_all(s: State, b: Backend) -> Any:
    """The plan's delivery confirmed by the provider, the learner and the employer."""
    return b.and_(s.signed_provider, s.signed_learner, s.signed_employer)


@effect(
    "72",
    "72.1",
    "72.2",
    "89",
    "93.1",
    cites=("89.2", "90", "121"),
    interpretations=("milestone_rounding",),
)
def milestone_amount(s: State, item_is_m1: Any, p: Ruleset, b: Backend) -> tuple[Any, Any]:
    """A milestone pays its share of the price capped at the funding rate; the employer pays
    its share of any price above the rate directly (93.1). Returns (amount, above the rate)."""
    m1, m2 = milestone_amounts(s.cap, p, b)
    above_1, above_2 = milestone_amounts(s.excess, p, b)
    return b.ite(item_is_m1, m1, m2), b.ite(item_is_m1, above_1, above_2)
