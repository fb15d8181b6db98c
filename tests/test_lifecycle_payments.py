"""Who pays a claim and how much: amounts and rounding (72, 89, 93.1), non-levy and levy
employers (73-75, 92-95), transfers (108, 109, 119, 120), learning support (35.2.1) and
audit recoveries (54).

BASE (tests/helpers.py) starts 2026-05-04 with 60 planned hours, price and funding rate
£1500 (milestone 1 £450, milestone 2 £1050), for a non-levy employer funded by a reservation.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from tests.helpers import claim, delivered, event, paid, proposal, refused, run

M1, M2, LS = "milestone_1", "milestone_2", "learning_support"


def audit(date: str, evidenced: float, successful: bool = True) -> dict[str, Any]:
    return event(date, "audit", evidenced_hours=evidenced, successful_outcome=successful)


M1_EVENTS = [delivered("2026-05-20", 60), claim("2026-05-21", M1)]
M2_EVENTS = [
    event("2026-07-20", "skills_test_passed"),
    event("2026-07-21", "plan_signed_off"),
    claim("2026-07-22", M2),
]
BOTH = [*M1_EVENTS, *M2_EVENTS]


def levy(balance: str) -> dict[str, Any]:
    return {
        "employer.levy_payer": True,
        "employer.funding": "levy",
        "employer.levy_balance": balance,
    }


def transfer(
    sender_balance: str | None, levy_payer: bool = False, levy_balance: str = "0.00"
) -> dict[str, Any]:
    return {
        "employer.funding": "transfer",
        "employer.transfer.approved_on": "2026-04-01",
        "employer.transfer.accepted_on": "2026-04-15",
        "employer.transfer.sender_balance": sender_balance,
        "employer.levy_payer": levy_payer,
        "employer.levy_balance": levy_balance,
    }


def money_sum(payments: list[dict[str, str]], part: str) -> str:
    return str(sum((Decimal(p[part]) for p in payments), Decimal("0.00")))


# 72, 89: milestone 1 is 30% and milestone 2 the rest of min(price, funding rate), in pence,
# rounded half up; 93.1: the employer pays any price above the rate


@pytest.mark.parametrize(
    ("rate", "price", "m1", "m2"),
    [
        ("1500.00", "1500.00", "450.00", "1050.00"),
        ("1000.01", "1000.01", "300.00", "700.01"),  # 30000.3p rounds down
        ("1000.05", "1000.05", "300.02", "700.03"),  # 30001.5p rounds half up
        ("1000.02", "1000.02", "300.01", "700.01"),  # 30000.6p rounds up
        ("0.05", "0.05", "0.02", "0.03"),  # 1.5p rounds half up
        ("0.01", "0.01", "0.00", "0.01"),  # 0.3p rounds down
        ("1500.00", "1000.00", "300.00", "700.00"),  # price below the rate: the price
        ("1500.00", "1499.99", "450.00", "1049.99"),  # 44999.7p rounds up
        ("1500.00", "2000.00", "450.00", "1050.00"),  # price above the rate: the rate
        ("1000.01", "1500.00", "300.00", "700.01"),
    ],
)
def test_milestone_amounts_add_up_to_the_capped_price(
    rate: str, price: str, m1: str, m2: str
) -> None:
    result = run(BOTH, {"unit.funding_rate": rate, "plan.price": price})
    assert [paid("2026-05-21", M1, m1), paid("2026-07-22", M2, m2)] == result["payments"]
    assert Decimal(m1) + Decimal(m2) == min(Decimal(rate), Decimal(price))
    assert str(min(Decimal(rate), Decimal(price))) == result["totals"]["government"]


@pytest.mark.parametrize(
    ("price", "after_m1", "after_m2"),
    [
        ("1500.00", "0.00", "0.00"),  # at the rate: nothing above it
        ("1499.99", "0.00", "0.00"),  # below the rate
        ("1500.01", "0.00", "0.01"),  # 1p above: 0.3p rounds to 0 on milestone 1
        ("1500.02", "0.01", "0.02"),  # 0.6p rounds to 1p
        ("2000.00", "150.00", "500.00"),  # 30% then the rest of £500
        ("2000.01", "150.00", "500.01"),
    ],
)
def test_employer_above_rate_accumulates_with_the_milestones(
    price: str, after_m1: str, after_m2: str
) -> None:
    changes = {"plan.price": price}
    assert after_m1 == run(M1_EVENTS, changes)["totals"]["employer_above_rate"]
    result = run(BOTH, changes)
    assert after_m2 == result["totals"]["employer_above_rate"]
    # the part above the rate is the employer's own business with the provider, not a
    # payment of the funding
    if Decimal(price) >= Decimal("1500.00"):
        assert [paid("2026-05-21", M1, "450.00"), paid("2026-07-22", M2, "1050.00")] == result[
            "payments"
        ]


def test_refused_milestone_adds_nothing_above_the_rate() -> None:
    result = run(
        [delivered("2026-05-20", 17.99), claim("2026-05-21", M1)], {"plan.price": "2000.00"}
    )
    assert "0.00" == result["totals"]["employer_above_rate"]


def test_learner_total_is_the_plan_learner_contribution() -> None:
    assert "0.00" == run(BOTH)["totals"]["learner"]
    assert "25.00" == run(BOTH, {"plan.learner_contribution": "25.00"})["totals"]["learner"]


# 92: a non-levy employer's start is paid in full by government


def test_non_levy_start_is_paid_by_government_in_full() -> None:
    result = run(BOTH)
    assert [paid("2026-05-21", M1, "450.00"), paid("2026-07-22", M2, "1050.00")] == result[
        "payments"
    ]
    assert {
        "government": "1500.00",
        "employer_account": "0.00",
        "employer_direct": "0.00",
        "employer_above_rate": "0.00",
        "learner": "0.00",
    } == result["totals"]


# 73-75, 93: a levy payer's account pays what it can; the rest is 95% government, 5% employer


@pytest.mark.parametrize(
    ("balance", "m1", "m2"),
    [
        (
            "5000.00",
            paid("2026-05-21", M1, "0.00", "450.00"),
            paid("2026-07-22", M2, "0.00", "1050.00"),
        ),
        (
            "1500.00",
            paid("2026-05-21", M1, "0.00", "450.00"),
            paid("2026-07-22", M2, "0.00", "1050.00"),
        ),
        (
            "1499.99",
            paid("2026-05-21", M1, "0.00", "450.00"),  # 1p short: 0.05p -> 0
            paid("2026-07-22", M2, "0.01", "1049.99", "0.00"),
        ),
        (
            "1000.00",
            paid("2026-05-21", M1, "0.00", "450.00"),  # £500 short
            paid("2026-07-22", M2, "475.00", "550.00", "25.00"),
        ),
        (
            "450.00",
            paid("2026-05-21", M1, "0.00", "450.00"),
            paid("2026-07-22", M2, "997.50", "0.00", "52.50"),
        ),
        (
            "0.00",
            paid("2026-05-21", M1, "427.50", "0.00", "22.50"),
            paid("2026-07-22", M2, "997.50", "0.00", "52.50"),
        ),
    ],
    ids=["plenty", "exact", "one-penny-short", "partial", "m1-only", "zero"],
)
def test_levy_payer_account_then_co_investment(
    balance: str, m1: dict[str, str], m2: dict[str, str]
) -> None:
    assert [m1, m2] == run(BOTH, levy(balance))["payments"]


@pytest.mark.parametrize(
    ("balance", "government", "account", "direct"),
    [
        ("449.91", "0.09", "449.91", "0.00"),  # 5% of 9p = 0.45p rounds down
        ("449.90", "0.09", "449.90", "0.01"),  # 5% of 10p = 0.5p rounds half up
        ("449.89", "0.10", "449.89", "0.01"),  # 5% of 11p = 0.55p rounds up
        ("449.70", "0.28", "449.70", "0.02"),  # 5% of 30p = 1.5p rounds half up
        ("449.99", "0.01", "449.99", "0.00"),  # 5% of 1p = 0.05p
        ("400.00", "47.50", "400.00", "2.50"),
    ],
)
def test_levy_co_investment_rounds_the_employer_five_percent_half_up(
    balance: str, government: str, account: str, direct: str
) -> None:
    result = run(M1_EVENTS, levy(balance))
    assert [paid("2026-05-21", M1, government, account, direct)] == result["payments"]


def test_levy_balance_change_funds_later_milestones() -> None:
    events = [
        *M1_EVENTS,
        event("2026-06-01", "levy_balance_changed", levy_balance="1050.00"),
        *M2_EVENTS,
    ]
    assert [
        paid("2026-05-21", M1, "427.50", "0.00", "22.50"),
        paid("2026-07-22", M2, "0.00", "1050.00"),
    ] == run(events, levy("0.00"))["payments"]


def test_levy_balance_change_to_zero_stops_account_payments() -> None:
    events = [
        *M1_EVENTS,
        event("2026-06-01", "levy_balance_changed", levy_balance="0.00"),
        *M2_EVENTS,
    ]
    assert [
        paid("2026-05-21", M1, "0.00", "450.00"),
        paid("2026-07-22", M2, "997.50", "0.00", "52.50"),
    ] == run(events, levy("5000.00"))["payments"]


# 108, 109, 119, 120: transfers pay from the sender first, then the receiver's own levy


TRANSFER_CASES = {
    "unlimited-sender": (
        transfer(None),
        [paid("2026-05-21", M1, "0.00", "450.00"), paid("2026-07-22", M2, "0.00", "1050.00")],
    ),
    "sender-exactly-enough": (
        transfer("1500.00"),
        [paid("2026-05-21", M1, "0.00", "450.00"), paid("2026-07-22", M2, "0.00", "1050.00")],
    ),
    "sender-partial-then-levy-receiver": (
        transfer("600.00", levy_payer=True, levy_balance="1000.00"),
        [paid("2026-05-21", M1, "0.00", "450.00"), paid("2026-07-22", M2, "0.00", "1050.00")],
    ),  # 150 sender + 900 own account
    "sender-partial-levy-receiver-partial": (
        transfer("600.00", levy_payer=True, levy_balance="500.00"),
        [
            paid("2026-05-21", M1, "0.00", "450.00"),
            paid("2026-07-22", M2, "380.00", "650.00", "20.00"),
        ],
    ),  # 150 + 500, then 95/5
    # 92, 122: a non-levy receiver whose sender runs out is funded by government in full
    "sender-exhausted-non-levy-receiver": (
        transfer("450.00"),
        [
            paid("2026-05-21", M1, "0.00", "450.00"),
            paid("2026-07-22", M2, "1050.00", "0.00"),
        ],
    ),
    "sender-empty-non-levy-receiver": (
        transfer("0.00"),
        [
            paid("2026-05-21", M1, "450.00", "0.00"),
            paid("2026-07-22", M2, "1050.00", "0.00"),
        ],
    ),
    "non-levy-receiver-balance-ignored": (
        transfer("450.00", levy_payer=False, levy_balance="5000.00"),
        [
            paid("2026-05-21", M1, "0.00", "450.00"),
            paid("2026-07-22", M2, "1050.00", "0.00"),
        ],
    ),
    # 119: a levy-paying receiver co-invests once its own funds are exhausted too
    "sender-and-levy-receiver-both-empty": (
        transfer("0.00", levy_payer=True, levy_balance="0.00"),
        [
            paid("2026-05-21", M1, "427.50", "0.00", "22.50"),
            paid("2026-07-22", M2, "997.50", "0.00", "52.50"),
        ],
    ),
}


def test_every_transfer_receiver_co_invests_under_the_other_reading(tmp_path: Path) -> None:
    strict = proposal(tmp_path, '[interpretations]\ntransfer_shortfall = "always_co_invest"\n')
    result = run(BOTH, transfer("450.00"), strict)
    assert [
        paid("2026-05-21", M1, "0.00", "450.00"),
        paid("2026-07-22", M2, "997.50", "0.00", "52.50"),
    ] == result["payments"]


@pytest.mark.parametrize(
    ("changes", "expected"), list(TRANSFER_CASES.values()), ids=list(TRANSFER_CASES)
)
def test_transfer_payers(changes: dict[str, Any], expected: list[dict[str, str]]) -> None:
    result = run(BOTH, changes)
    assert [] == result["failed_paragraphs"]
    assert expected == result["payments"]


def test_transfer_sender_funds_are_drawn_down_over_the_milestones() -> None:
    """The sender's £1000 pays milestone 1 in full and £550 of milestone 2; government pays
    the rest of it for a non-levy receiver (92, 122)."""
    result = run(BOTH, transfer("1000.00"))
    assert [
        paid("2026-05-21", M1, "0.00", "450.00"),
        paid("2026-07-22", M2, "500.00", "550.00"),
    ] == result["payments"]


# 75, 94.1: a levy start whose employer stops paying the levy keeps drawing on the funds
# still in its account; co-investment applies only to what the account cannot cover


def _stops_paying_levy(balance: str) -> list[dict[str, Any]]:
    return [
        *M1_EVENTS,
        event("2026-06-01", "levy_status_changed", levy_payer=False),
        event("2026-06-01", "levy_balance_changed", levy_balance=balance),
        *M2_EVENTS,
    ]


LEVY_START = {
    "employer.levy_payer": True,
    "employer.funding": "levy",
    "employer.levy_balance": "450.00",
}


@pytest.mark.parametrize(
    ("balance", "m2"),
    [
        ("2000.00", paid("2026-07-22", M2, "0.00", "1050.00")),
        ("1050.00", paid("2026-07-22", M2, "0.00", "1050.00")),
        ("1049.99", paid("2026-07-22", M2, "0.01", "1049.99", "0.00")),
        ("50.00", paid("2026-07-22", M2, "950.00", "50.00", "50.00")),
        ("0.00", paid("2026-07-22", M2, "997.50", "0.00", "52.50")),
    ],
)
def test_a_levy_start_keeps_drawing_on_its_account_after_the_levy_stops(
    balance: str, m2: dict[str, str]
) -> None:
    result = run(_stops_paying_levy(balance), LEVY_START)
    assert [paid("2026-05-21", M1, "0.00", "450.00"), m2] == result["payments"]


def test_the_account_pays_only_while_the_levy_is_paid_under_the_other_reading(
    tmp_path: Path,
) -> None:
    strict = proposal(
        tmp_path, '[interpretations]\naccount_after_levy_change = "current_status_only"\n'
    )
    result = run(_stops_paying_levy("2000.00"), LEVY_START, strict)
    assert paid("2026-07-22", M2, "997.50", "0.00", "52.50") == result["payments"][-1]


# 94.1, 95: a non-levy start whose employer becomes a levy payer


def _becomes_levy_payer(balance: str) -> list[dict[str, Any]]:
    return [
        *M1_EVENTS,
        event("2026-06-01", "levy_status_changed", levy_payer=True),
        event("2026-06-01", "levy_balance_changed", levy_balance=balance),
        *M2_EVENTS,
    ]


@pytest.mark.parametrize(
    ("balance", "m2"),
    [
        ("2000.00", paid("2026-07-22", M2, "0.00", "1050.00")),  # 95: funds pay
        ("1050.00", paid("2026-07-22", M2, "0.00", "1050.00")),
        ("1049.99", paid("2026-07-22", M2, "0.01", "1049.99")),  # 94.1: no 5%
        ("500.00", paid("2026-07-22", M2, "550.00", "500.00")),
        ("0.00", paid("2026-07-22", M2, "1050.00", "0.00")),
    ],
)
def test_new_levy_payer_account_pays_later_milestones_without_co_investment(
    balance: str, m2: dict[str, str]
) -> None:
    result = run(_becomes_levy_payer(balance))
    assert [paid("2026-05-21", M1, "450.00"), m2] == result["payments"]


def test_levy_status_change_is_not_backdated_to_milestones_already_paid() -> None:
    result = run(_becomes_levy_payer("2000.00"))
    assert "450.00" == result["totals"]["government"]
    assert "1050.00" == result["totals"]["employer_account"]


def test_balance_without_levy_status_is_not_used_for_a_non_levy_start() -> None:
    events = [
        *M1_EVENTS,
        event("2026-06-01", "levy_balance_changed", levy_balance="2000.00"),
        *M2_EVENTS,
    ]
    assert [paid("2026-05-21", M1, "450.00"), paid("2026-07-22", M2, "1050.00")] == run(events)[
        "payments"
    ]


def test_levy_start_that_stops_paying_the_levy_keeps_its_co_investment_terms() -> None:
    """94.1: only starts from the date of change qualify for the full contribution."""
    events = [*M1_EVENTS, event("2026-06-01", "levy_status_changed", levy_payer=False), *M2_EVENTS]
    assert [
        paid("2026-05-21", M1, "427.50", "0.00", "22.50"),
        paid("2026-07-22", M2, "997.50", "0.00", "52.50"),
    ] == run(events, levy("0.00"))["payments"]


# 35.2.1: learning support is never deducted from the employer's account


def test_learning_support_is_paid_by_government_even_for_a_levy_payer_with_funds() -> None:
    changes = {**levy("450.00"), "learner.learning_difficulty_or_disability": True}
    events = [delivered("2026-05-20", 60), claim("2026-05-21", LS), claim("2026-05-22", M1)]
    result = run(events, changes)
    # the account still holds all £450 for milestone 1
    assert [paid("2026-05-21", LS, "150.00"), paid("2026-05-22", M1, "0.00", "450.00")] == result[
        "payments"
    ]


def test_learning_support_for_a_transfer_is_paid_by_government() -> None:
    changes = {**transfer(None), "learner.learning_difficulty_or_disability": True}
    result = run([delivered("2026-05-20", 18), claim("2026-05-21", LS)], changes)
    assert [paid("2026-05-21", LS, "150.00")] == result["payments"]


# 54: audits recover milestones the evidence does not support


@pytest.mark.parametrize(("evidenced", "recovered"), [(17.99, True), (18, False), (60, False)])
def test_audit_recovers_milestone_1_below_its_share_of_hours(
    evidenced: float, recovered: bool
) -> None:
    result = run([*M1_EVENTS, audit("2026-06-01", evidenced)])
    recovery = [paid("2026-06-01", M1, "-450.00")] if recovered else []
    assert [paid("2026-05-21", M1, "450.00"), *recovery] == result["payments"]
    assert ("0.00" if recovered else "450.00") == result["totals"]["government"]


@pytest.mark.parametrize(
    ("evidenced", "successful", "recovered"),
    [(59.99, True, True), (60, True, False), (60, False, True), (18, False, True)],
)
def test_audit_recovers_milestone_2_without_all_hours_or_a_successful_outcome(
    evidenced: float, successful: bool, recovered: bool
) -> None:
    result = run([*BOTH, audit("2026-08-01", evidenced, successful)])
    recovery = [paid("2026-08-01", M2, "-1050.00")] if recovered else []
    assert [
        paid("2026-05-21", M1, "450.00"),
        paid("2026-07-22", M2, "1050.00"),
        *recovery,
    ] == result["payments"]
    assert ("450.00" if recovered else "1500.00") == result["totals"]["government"]
    assert ("in_learning" if recovered else "completed") == result["status"]


def test_audit_recovers_both_milestones_at_once() -> None:
    result = run([*BOTH, audit("2026-08-01", 17.99)])
    assert [
        paid("2026-05-21", M1, "450.00"),
        paid("2026-07-22", M2, "1050.00"),
        paid("2026-08-01", M1, "-450.00"),
        paid("2026-08-01", M2, "-1050.00"),
    ] == result["payments"]
    assert {
        "government": "0.00",
        "employer_account": "0.00",
        "employer_direct": "0.00",
        "employer_above_rate": "0.00",
        "learner": "0.00",
    } == result["totals"]


def test_audit_recovers_nothing_that_was_not_paid() -> None:
    result = run([delivered("2026-05-20", 10), audit("2026-06-01", 0, successful=False)])
    assert [] == result["payments"]


def test_audit_recovery_negates_every_payer_part() -> None:
    result = run([*BOTH, audit("2026-08-01", 17.99)], levy("1000.00"))
    assert [
        paid("2026-05-21", M1, "0.00", "450.00"),
        paid("2026-07-22", M2, "475.00", "550.00", "25.00"),
        paid("2026-08-01", M1, "0.00", "-450.00"),
        paid("2026-08-01", M2, "-475.00", "-550.00", "-25.00"),
    ] == result["payments"]
    assert "0.00" == result["totals"]["employer_account"]
    assert "0.00" == result["totals"]["employer_direct"]


def test_recovered_milestone_is_not_paid_again() -> None:
    result = run([*M1_EVENTS, audit("2026-06-01", 17.99), claim("2026-06-02", M1)])
    assert [paid("2026-05-21", M1, "450.00"), paid("2026-06-01", M1, "-450.00")] == result[
        "payments"
    ]
    assert [refused("2026-06-02", M1, "91")] == result["refused"]


def test_recovered_milestone_2_is_not_paid_again() -> None:
    result = run([*BOTH, audit("2026-08-01", 60, successful=False), claim("2026-08-02", M2)])
    assert [refused("2026-08-02", M2, "91")] == result["refused"]
    assert "in_learning" == result["status"]


def test_proposal_making_recovered_milestones_reclaimable_pays_them_again(tmp_path: Path) -> None:
    ruleset = proposal(tmp_path, "[interpretations]\nrecovered_milestone_reclaimable = true\n")
    events = [
        *M1_EVENTS,
        audit("2026-06-01", 17.99),
        claim("2026-06-02", M1),
        claim("2026-06-03", M1),
    ]
    result = run(events, ruleset=ruleset)
    assert [
        paid("2026-05-21", M1, "450.00"),
        paid("2026-06-01", M1, "-450.00"),
        paid("2026-06-02", M1, "450.00"),
    ] == result["payments"]
    # a milestone held (paid, not recovered) is still paid only once
    assert [refused("2026-06-03", M1, "91")] == result["refused"]
    assert "450.00" == result["totals"]["government"]


def test_recovery_returns_account_funds_for_a_reclaim(tmp_path: Path) -> None:
    ruleset = proposal(tmp_path, "[interpretations]\nrecovered_milestone_reclaimable = true\n")
    events = [*M1_EVENTS, audit("2026-06-01", 17.99), claim("2026-06-02", M1)]
    result = run(events, levy("450.00"), ruleset)
    assert [
        paid("2026-05-21", M1, "0.00", "450.00"),
        paid("2026-06-01", M1, "0.00", "-450.00"),
        paid("2026-06-02", M1, "0.00", "450.00"),
    ] == result["payments"]


# Totals are the sums of the payments (recoveries included)


TOTALS_CASES = {
    "non-levy": ({}, BOTH),
    "levy-partial": (levy("1000.00"), BOTH),
    "levy-zero-half-penny": (levy("449.90"), BOTH),
    "transfer-partial": (transfer("600.00", levy_payer=True, levy_balance="500.00"), BOTH),
    "odd-pence": ({"unit.funding_rate": "1000.05", "plan.price": "1000.05"}, BOTH),
    "with-support-and-recovery": (
        {**levy("700.00"), "learner.learning_difficulty_or_disability": True},
        [*BOTH, claim("2026-07-23", LS), audit("2026-08-01", 59.99)],
    ),
    "new-levy-payer": ({}, _becomes_levy_payer("700.00")),
}


@pytest.mark.parametrize(("changes", "events"), list(TOTALS_CASES.values()), ids=list(TOTALS_CASES))
def test_totals_equal_the_sum_of_payments(
    changes: dict[str, Any], events: list[dict[str, Any]]
) -> None:
    result = run(events, changes)
    assert result["payments"]
    for part in ("government", "employer_account", "employer_direct"):
        assert money_sum(result["payments"], part) == result["totals"][part]


@pytest.mark.parametrize(
    ("changes", "events"), list(TOTALS_CASES.values())[:5], ids=list(TOTALS_CASES)[:5]
)
def test_both_milestones_from_all_payers_add_up_to_the_capped_price(
    changes: dict[str, Any], events: list[dict[str, Any]]
) -> None:
    totals = run(events, changes)["totals"]
    paid_total = sum(
        Decimal(totals[k]) for k in ("government", "employer_account", "employer_direct")
    )
    cap = min(
        Decimal(changes.get("unit.funding_rate", "1500.00")),
        Decimal(changes.get("plan.price", "1500.00")),
    )
    assert cap == paid_total
