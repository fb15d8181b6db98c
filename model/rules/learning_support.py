"""Learning support (paragraphs 31 to 35): a fixed £150 per learner per unit for reasonable
adjustments that cost something, claimable once milestone 1 is reached, paid by government
and never from the employer's account."""

from __future__ import annotations

from typing import Any

from aurules.model.registry import effect, guard
from aurules.model.rules.milestones import milestone_1_hours_met
from aurules.model.ruleset import Ruleset
from aurules.model.state import EventFacts, State
from aurules.model.values import Backend

LS = ("learning_support",)


@guard("31", items=LS, cites=("31.1", "32", "33"))
def has_learning_difficulty_or_disability(s: State, e: EventFacts, p: Ruleset, b: Backend) -> Any:
    """Learning support is only for a learner with a learning difficulty or disability."""
    return s.ldd


@guard("35", items=LS, cites=("34.2", "34.2.3"))
def cost_incurred(s: State, e: EventFacts, p: Ruleset, b: Backend) -> Any:
    """A claim needs adjustments that cost something: a stated cost of zero is refused (a claim
    with no stated cost is taken as evidenced)."""
    return b.implies(e.has_cost, e.cost > 0)


@guard("35.2", items=LS)
def milestone_1_reached(s: State, e: EventFacts, p: Ruleset, b: Backend) -> Any:
    """Learning support is claimed once milestone 1 is reached: its share of hours delivered
    with the training plan signed, or milestone 1 already paid."""
    return b.or_(s.m1_claimed, b.and_(milestone_1_hours_met(s, p), s.plan_signed_day <= e.day))


@guard("35.1", items=LS)
def learning_support_not_paid_before(s: State, e: EventFacts, p: Ruleset, b: Backend) -> Any:
    """Learning support is one payment per learner per unit."""
    return b.not_(s.ls_claimed)


@guard("35.3", items=LS)
def costs_above_the_amount_authorised(s: State, e: EventFacts, p: Ruleset, b: Backend) -> Any:
    """Adjustments costing more than the fixed amount ([£150](funding.learning_support_amount))
    are claimed at their cost only with the claim authorised on a claim form."""
    return b.implies(above_the_amount(e, p, b), e.authorised)


def above_the_amount(e: EventFacts, p: Ruleset, b: Backend) -> Any:
    """The claim states a cost above the fixed amount of learning support."""
    return b.and_(e.has_cost, e.cost > p.funding.learning_support_amount.pence)


@effect("35.1", "35.2.1", "35.3")
def learning_support_amount(e: EventFacts, p: Ruleset, b: Backend) -> Any:
    """A fixed amount ([£150](funding.learning_support_amount)), or the authorised cost above it
    (35.3), paid by government and never deducted from the employer's account."""
    fixed = p.funding.learning_support_amount.pence
    return b.ite(b.and_(above_the_amount(e, p, b), e.authorised), e.cost, fixed)
