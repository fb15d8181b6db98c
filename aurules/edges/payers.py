"""Hand-built edges of who pays and how much, worked out from the rules' shares in exact
fractions: government for a non-levy start (92), a levy payer's account (73), the 95 / 5
split of what it cannot pay (74, 75, 93), a transfer's sender first (108, 109, 119, 120), the
employer's part above the rate (93.1), learning support never from the account (35.2.1) and
odd pence between the milestones (72, 89, `milestone_rounding`).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from aurules.edges.parts import (
    DAY,
    PLANNED,
    RATE,
    START,
    Edge,
    fraction,
    half_up,
    hours_reaching,
    hours_value,
    iso,
    pounds,
    scenario_with,
)
from aurules.model.ruleset import Ruleset


def _payer_edges(p: Ruleset) -> Iterator[Edge]:
    """Who pays milestone 1 of the minimal unit (price = funding rate = £1,500), worked out
    here from the rules' shares: government for a non-levy start (92); a levy payer's account
    when it holds enough (73); the 95 / 5 split of what the account cannot pay (74, 75, 93,
    the employer's 5% rounded half up); a transfer's sender first, then government in full for a
    non-levy receiver (109, 122) and co-investment for a levy-paying one (119); the employer's
    share of a price above the rate (93.1); learning support never from the account
    (35.2.1). Only under the official co-investment reading."""
    if p.interpretations.coinvestment_split != "account_then_95_5":
        return
    start = START
    planned = PLANNED
    rate = RATE
    m1 = half_up(rate * fraction(p.milestones.milestone_1_share))
    share = fraction(p.funding.government_coinvestment_share)
    need = hours_reaching(p.milestones.milestone_1_hours_share, planned)
    day = start + 7 * DAY
    claim = [
        {"date": iso(day), "type": "delivered", "hours": hours_value(need)},
        {"date": iso(day), "type": "claim", "item": "milestone_1"},
    ]

    def split(remainder: int) -> tuple[int, int]:  # (government, employer)
        employer = half_up(remainder * (1 - share))
        return remainder - employer, employer

    def edge(
        paragraphs: tuple[str, ...],
        description: str,
        employer: dict[str, Any],
        account: int,
        remainder_split: bool,
    ) -> Edge:
        rest = m1 - account
        government, direct = split(rest) if remainder_split else (rest, 0)
        return Edge(
            paragraphs=paragraphs,
            description=description,
            scenario=scenario_with(employer=employer, events=claim),
            amounts=(("milestone_1", pounds(government), pounds(account), pounds(direct)),),
        )

    yield edge(
        ("92",),
        f"A non-levy employer's start: government pays all of milestone 1 (£{pounds(m1)}).",
        {},
        0,
        remainder_split=False,
    )
    levy = {"levy_payer": True, "funding": "levy"}
    yield edge(
        ("73",),
        f"A levy payer whose account holds £{pounds(2 * m1)}: milestone 1 "
        f"(£{pounds(m1)}) comes from the account.",
        {**levy, "levy_balance": pounds(2 * m1)},
        m1,
        remainder_split=True,
    )
    government, direct = split(m1)
    yield edge(
        ("74", "93"),
        f"A levy payer with an empty account co-invests milestone 1: "
        f"government £{pounds(government)}, employer £{pounds(direct)}.",
        {**levy, "levy_balance": "0.00"},
        0,
        remainder_split=True,
    )
    still_used = p.interpretations.account_after_levy_change == "funds_still_used"
    levy_stopped = [
        {"date": iso(day), "type": "levy_status_changed", "levy_payer": False},
        *claim,
    ]
    government, direct = (m1, 0) if still_used else split(m1)
    yield Edge(
        paragraphs=("75", "94.1"),
        description=(
            f"A levy payer's start whose account holds £{pounds(2 * m1)}, the employer no longer "
            "paying the levy when milestone 1 is claimed: "
            + (
                "the funds still in the account pay it (account_after_levy_change = "
                "funds_still_used)."
                if still_used
                else "the account no longer pays, so milestone 1 is co-invested "
                "(account_after_levy_change = current_status_only)."
            )
        ),
        scenario=scenario_with(
            employer={**levy, "levy_balance": pounds(2 * m1)}, events=levy_stopped
        ),
        amounts=(
            ("milestone_1", "0.00", pounds(m1), "0.00")
            if still_used
            else ("milestone_1", pounds(government), "0.00", pounds(direct)),
        ),
    )
    held = m1 // 3
    yield edge(
        ("75",),
        f"A levy payer whose account holds £{pounds(held)}: the account pays "
        "that and the rest of milestone 1 is co-invested.",
        {**levy, "levy_balance": pounds(held)},
        held,
        remainder_split=True,
    )
    transfer = {
        "funding": "transfer",
        "transfer": {
            "approved_on": iso(start - 20 * DAY),
            "accepted_on": iso(start - 10 * DAY),
            "sender_balance": pounds(held),
        },
    }
    everyone = p.interpretations.transfer_shortfall == "always_co_invest"
    yield edge(
        ("109", "92"),
        f"A transfer to a non-levy employer whose sender has £{pounds(held)} left: the sender "
        "pays that first and the rest of milestone 1 is "
        + (
            "co-invested (transfer_shortfall = always_co_invest)."
            if everyone
            else "paid by government in full (92, 122)."
        ),
        transfer,
        held,
        remainder_split=everyone,
    )
    yield edge(
        ("119",),
        f"A transfer to a levy payer with an empty account, whose sender has £{pounds(held)} "
        "left: the sender pays that first and the rest of milestone 1 is co-invested.",
        {**transfer, "levy_payer": True, "levy_balance": "0.00"},
        held,
        remainder_split=True,
    )
    price = rate + rate // 5
    above = half_up((price - rate) * fraction(p.milestones.milestone_1_share))
    yield Edge(
        paragraphs=("93.1",),
        description=(
            f"A price of £{pounds(price)} against a funding rate of £{pounds(rate)}: milestone 1 "
            f"is paid on the rate and the employer pays £{pounds(above)} of the excess directly."
        ),
        scenario=scenario_with(plan={"price": pounds(price)}, events=claim),
        amounts=(("milestone_1", pounds(m1), "0.00", "0.00"),),
        above_rate=pounds(above),
    )
    support = p.funding.learning_support_amount.pence
    events = [*claim, {"date": iso(day + DAY), "type": "claim", "item": "learning_support"}]
    yield Edge(
        paragraphs=("35.2.1",),
        description=(
            f"Learning support for a levy payer with funds: £{pounds(support)} from government, "
            "never from the account (milestone 1 is)."
        ),
        scenario=scenario_with(
            learner={"learning_difficulty_or_disability": True},
            employer={**levy, "levy_balance": pounds(2 * m1)},
            events=events,
        ),
        amounts=(
            ("milestone_1", "0.00", pounds(m1), "0.00"),
            ("learning_support", pounds(support), "0.00", "0.00"),
        ),
    )


def _amount_edges(p: Ruleset) -> Iterator[Edge]:
    """How the two milestones split a price with odd pence (72, 89, `milestone_rounding`),
    and a transfer that covers a milestone in full (108) or, its sender running short, with
    a levy-paying receiver's own funds (120)."""
    if p.interpretations.coinvestment_split != "account_then_95_5":
        return
    start = START
    planned = PLANNED
    first, second = (
        fraction(p.milestones.milestone_1_share),
        fraction(p.milestones.milestone_2_share),
    )
    price = RATE * 2 // 3 + 5  # odd pence
    m1 = half_up(price * first)
    m2 = (
        half_up(price * (first + second)) - m1
        if p.interpretations.milestone_rounding == "cumulative_half_up"
        else half_up(price * second)
    )
    day = start + 7 * DAY
    events: list[dict[str, Any]] = [
        {"date": iso(day), "type": "delivered", "hours": hours_value(planned)},
        {"date": iso(day), "type": "claim", "item": "milestone_1"},
        {"date": iso(day + DAY), "type": "skills_test_passed"},
        {"date": iso(day + DAY), "type": "plan_signed_off"},
        {"date": iso(day + DAY), "type": "claim", "item": "milestone_2"},
    ]
    yield Edge(
        paragraphs=("72", "89"),
        description=(
            f"A price of £{pounds(price)} (below the funding rate) paid in two milestones, "
            f"rounded {p.interpretations.milestone_rounding.replace('_', ' ')}: £{pounds(m1)} "
            f"and £{pounds(m2)}."
        ),
        scenario=scenario_with(plan={"price": pounds(price)}, events=events),
        amounts=(
            ("milestone_1", pounds(m1), "0.00", "0.00"),
            ("milestone_2", pounds(m2), "0.00", "0.00"),
        ),
    )
    rate = RATE
    m1 = half_up(rate * first)
    need = hours_reaching(p.milestones.milestone_1_hours_share, planned)
    claim = [
        {"date": iso(day), "type": "delivered", "hours": hours_value(need)},
        {"date": iso(day), "type": "claim", "item": "milestone_1"},
    ]
    transfer = {"approved_on": iso(start - 20 * DAY), "accepted_on": iso(start - 10 * DAY)}
    yield Edge(
        paragraphs=("108",),
        description=(
            f"A transfer whose sender has £{pounds(2 * m1)}: milestone 1 (£{pounds(m1)}) is paid "
            "in full from the transferred funds."
        ),
        scenario=scenario_with(
            employer={
                "funding": "transfer",
                "transfer": {**transfer, "sender_balance": pounds(2 * m1)},
            },
            events=claim,
        ),
        amounts=(("milestone_1", "0.00", pounds(m1), "0.00"),),
    )
    held = m1 // 3
    yield Edge(
        paragraphs=("120",),
        description=(
            f"A levy-paying receiver with £{pounds(2 * m1)} whose sender has only £{pounds(held)}: "
            f"the sender pays £{pounds(held)} and the receiver's own funds the rest of "
            f"milestone 1 (£{pounds(m1)} from the account in all)."
        ),
        scenario=scenario_with(
            employer={
                "levy_payer": True,
                "levy_balance": pounds(2 * m1),
                "funding": "transfer",
                "transfer": {**transfer, "sender_balance": pounds(held)},
            },
            events=claim,
        ),
        amounts=(("milestone_1", "0.00", pounds(m1), "0.00"),),
    )


PAYER_EDGES = (_payer_edges, _amount_edges)
