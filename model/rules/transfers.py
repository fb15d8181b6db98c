"""Starts funded by a levy transfer from another employer (paragraphs 106, 111, 115, 116)."""

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


@rule("106", cites=("106.1", "108", "109"))
def transfer_within_allowance(f: Facts, p: Ruleset, b: Backend) -> Any:
    """A sender may transfer up to [50%](transfers.allowance_share) of the levy it declared in
    the previous tax year, with the [10%](transfers.top_up_share) government top-up; the unit's
    cost up to the funding rate (108), with what the sender has already committed (109), must
    fit within that allowance. Where the levy declared is not known, it is not checked."""
    share, top_up = p.transfers.allowance_share, p.transfers.top_up_share
    committed = b.min_(f.price, f.funding_rate) + f.sender_allowance_used
    allowance = f.sender_levy_declared * share.num * (top_up.den + top_up.num)
    return b.implies(
        b.and_(_transferred(f), f.has_sender_levy_declared),
        committed * share.den * top_up.den <= allowance,
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
