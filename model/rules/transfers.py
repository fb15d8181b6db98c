"""Starts funded by a levy transfer from another employer (paragraphs 111, 115, 116)."""

from __future__ import annotations

from typing import Any

from aurules.model.facts import FUNDING, Facts
from aurules.model.glue import DAYS_PER_WEEK
from aurules.model.registry import rule
from aurules.model.ruleset import Ruleset
from aurules.model.values import Backend


def _transferred(f: Facts) -> Any:
    return f.funding == FUNDING["transfer"]


@rule("111", interpretations=("transfer_windows",))
def transfer_in_place_before_start(f: Facts, p: Ruleset, b: Backend) -> Any:
    """A transfer must be approved by the sender and accepted by the receiver before the
    learner starts."""
    return b.implies(
        _transferred(f),
        b.and_(
            f.has_transfer_approved,
            f.has_transfer_accepted,
            f.transfer_approved_day < f.start_day,
            f.transfer_accepted_day < f.start_day,
        ),
    )


@rule("115", interpretations=("transfer_windows",))
def transfer_accepted_in_time(f: Facts, p: Ruleset, b: Backend) -> Any:
    """The receiver must accept within [six weeks](transfers.accept_within_weeks) of the
    sender's approval, and not before it."""
    window = p.transfers.accept_within_weeks * DAYS_PER_WEEK
    return b.implies(
        b.and_(_transferred(f), f.has_transfer_approved, f.has_transfer_accepted),
        b.and_(
            f.transfer_accepted_day >= f.transfer_approved_day,
            f.transfer_accepted_day - f.transfer_approved_day <= window,
        ),
    )


@rule("116", interpretations=("transfer_windows",))
def transfer_used_in_time(f: Facts, p: Ruleset, b: Backend) -> Any:
    """Accepted funds must be linked to the learner's start within [three calendar
    months](transfers.use_within_months) of acceptance."""
    return b.implies(
        b.and_(_transferred(f), f.has_transfer_accepted),
        f.transfer_months_to_start <= p.transfers.use_within_months,
    )
