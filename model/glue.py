"""The epilogue: modelling choices no paragraph states (rounding, caps in whole units,
ordering), kept apart from the law so an analyst can see which behaviour is which.

Every function here is written over the value layer, like the rules.
"""

from __future__ import annotations

from typing import Any

from aurules.model.money import Rate
from aurules.model.ruleset import Ruleset
from aurules.model.values import Backend, round_half_up


def add_rates(a: Rate, b: Rate) -> Rate:
    """a + b as an exact rate (may exceed 1 when a proposal makes the shares add up to more)."""
    return Rate(a.num * b.den + b.num * a.den, a.den * b.den)


def complement(rate: Rate) -> Rate:
    """1 - rate."""
    return Rate(rate.den - rate.num, rate.den)


def milestone_amounts(base: Any, p: Ruleset, b: Backend) -> tuple[Any, Any]:
    """The two milestone amounts of `base` pence (the capped price, or the excess above it).

    Interpretation `milestone_rounding`: `cumulative_half_up` (official) rounds milestone 1 and
    the running total of both, half up, so that with shares adding to 1 the two add up to
    `base` exactly; `each_half_up` rounds each share on its own.
    """
    share_1, share_2 = p.milestones.milestone_1_share, p.milestones.milestone_2_share
    first = round_half_up(b, base, share_1)
    if p.interpretations.milestone_rounding == "each_half_up":
        return first, round_half_up(b, base, share_2)
    return first, round_half_up(b, base, add_rates(share_1, share_2)) - first


def share_floor(b: Backend, amount: Any, rate: Rate) -> Any:
    """rate * amount rounded down (an allowance that must not be exceeded)."""
    return b.floor_div(amount * rate.num, rate.den)


DAYS_PER_WEEK = 7
