"""Audits of delivery evidence (paragraph 54): a milestone whose conditions the evidence does
not support is recovered, as a negative payment from the payers that paid it."""

from __future__ import annotations

from typing import Any

from aurules.model.registry import effect
from aurules.model.ruleset import Ruleset
from aurules.model.state import EventFacts, State
from aurules.model.values import Backend, share_at_least


@effect("54.1", cites=("54",))
def milestone_1_recovered(s: State, e: EventFacts, p: Ruleset, b: Backend) -> Any:
    """Milestone 1 is recovered when the evidence shows less than its share
    ([30%](milestones.milestone_1_hours_share)) of planned hours delivered."""
    return b.and_(
        s.m1_held,
        b.not_(share_at_least(e.evidenced, s.planned_hours, p.milestones.milestone_1_hours_share)),
    )


@effect("54.2", cites=("54", "64"))
def milestone_2_recovered(s: State, e: EventFacts, p: Ruleset, b: Backend) -> Any:
    """Milestone 2 is recovered when the evidence shows less than all planned hours delivered
    or no successful outcome."""
    return b.and_(
        s.m2_held,
        b.or_(
            b.not_(
                share_at_least(e.evidenced, s.planned_hours, p.milestones.milestone_2_hours_share)
            ),
            b.not_(e.successful),
        ),
    )
