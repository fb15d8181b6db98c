"""Boundary tests for levy transfers (111, 115, 116).

Official reading (spec, `transfer_windows`): approved and accepted before the start (111);
accepted within 42 days of approval (115); the start within 3 calendar months of acceptance
(116). BASE starts on 2026-05-04 with a planned end date of 2026-07-27.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.helpers import failed, proposal


def transfer(
    approved_on: str | None, accepted_on: str | None, start_date: str = "2026-05-04"
) -> dict[str, str | None]:
    return {
        "employer.funding": "transfer",
        "employer.transfer.approved_on": approved_on,
        "employer.transfer.accepted_on": accepted_on,
        "plan.start_date": start_date,
    }


# 111: agreed and put in place before the learner starts


@pytest.mark.parametrize(
    ("approved_on", "accepted_on", "expected"),
    [
        ("2026-04-01", "2026-04-15", []),  # both well before the start
        ("2026-05-03", "2026-05-03", []),  # both the day before the start
        ("2026-04-20", "2026-05-03", []),
        ("2026-04-20", "2026-05-04", ["111"]),  # accepted on the start date
        ("2026-05-04", "2026-05-04", ["111"]),  # approved and accepted on the start date
        ("2026-04-20", "2026-05-05", ["111"]),  # accepted after the start
        (None, "2026-04-15", ["111"]),  # no approval
        ("2026-04-01", None, ["111"]),  # never accepted
        (None, None, ["111"]),  # no transfer in place at all
    ],
)
def test_transfer_must_be_in_place_before_the_start(
    approved_on: str | None, accepted_on: str | None, expected: list[str]
) -> None:
    assert expected == failed(transfer(approved_on, accepted_on))


def test_levy_paying_receiver_follows_the_same_transfer_rules() -> None:
    levy = {"employer.levy_payer": True}
    assert [] == failed({**transfer("2026-04-01", "2026-04-15"), **levy})
    assert ["111"] == failed({**transfer("2026-04-01", "2026-05-04"), **levy})


# 115: accepted within 6 weeks (42 days) of approval


@pytest.mark.parametrize(
    ("approved_on", "accepted_on", "expected"),
    [
        ("2026-03-01", "2026-03-01", []),  # accepted on the approval date
        ("2026-03-01", "2026-04-11", []),  # 41 days
        ("2026-03-01", "2026-04-12", []),  # 42 days
        ("2026-03-01", "2026-04-13", ["115"]),  # 43 days
        ("2026-03-25", "2026-05-03", []),  # 39 days
        ("2026-04-10", "2026-04-09", ["115"]),  # accepted before it was approved
    ],
)
def test_transfer_accepted_within_42_days_of_approval(
    approved_on: str, accepted_on: str, expected: list[str]
) -> None:
    assert expected == failed(transfer(approved_on, accepted_on))


# 116: linked to the learner's start within 3 calendar months of acceptance


@pytest.mark.parametrize(
    ("approved_on", "accepted_on", "start_date", "expected"),
    [
        ("2026-01-20", "2026-02-04", "2026-05-04", []),  # exactly 3 months
        ("2026-01-20", "2026-02-04", "2026-05-05", ["116"]),  # a day later
        ("2026-01-20", "2026-01-31", "2026-04-30", []),  # 31 Jan + 3 months: 30 Apr
        ("2026-01-20", "2026-01-31", "2026-05-01", ["116"]),
        ("2026-02-01", "2026-02-28", "2026-05-28", []),  # 28 Feb + 3 months: 28 May
        ("2026-02-01", "2026-02-28", "2026-05-29", ["116"]),
        ("2026-04-01", "2026-04-30", "2026-07-30", []),  # 30 Apr + 3 months: 30 Jul
        ("2026-04-01", "2026-04-30", "2026-07-31", ["116"]),
        ("2026-03-20", "2026-03-31", "2026-06-30", []),  # 31 Mar + 3 months: 30 Jun
        ("2026-03-20", "2026-03-31", "2026-07-01", ["116"]),
    ],
)
def test_transfer_used_within_3_calendar_months_of_acceptance(
    approved_on: str, accepted_on: str, start_date: str, expected: list[str]
) -> None:
    changes = {
        **transfer(approved_on, accepted_on, start_date),
        "plan.planned_end_date": "2026-08-28" if start_date >= "2026-06-01" else "2026-07-27",
    }
    assert expected == failed(changes)


def test_late_acceptance_and_late_use_are_both_reported() -> None:
    changes = transfer("2026-01-01", "2026-02-15", "2026-05-18")  # 45 days; 3 months + 3 days
    assert ["115", "116"] == failed(changes)


def test_transfer_dates_do_not_matter_for_a_reservation() -> None:
    changes = {**transfer("2026-01-01", "2026-05-20"), "employer.funding": "reservation"}
    assert [] == failed(changes)


# Proposals move the boundaries


def test_accept_within_weeks_proposal_moves_the_acceptance_deadline(tmp_path: Path) -> None:
    rules = proposal(tmp_path, "[transfers]\naccept_within_weeks = 8\n")
    assert ["115"] == failed(transfer("2026-03-01", "2026-04-13"))
    assert [] == failed(transfer("2026-03-01", "2026-04-13"), rules)
    assert [] == failed(transfer("2026-03-01", "2026-04-26"), rules)  # 56 days
    assert ["115"] == failed(transfer("2026-03-01", "2026-04-27"), rules)  # 57 days


def test_use_within_months_proposal_moves_the_use_deadline(tmp_path: Path) -> None:
    rules = proposal(tmp_path, "[transfers]\nuse_within_months = 4\n")
    assert ["116"] == failed(transfer("2026-01-20", "2026-02-04", "2026-05-05"))
    assert [] == failed(transfer("2026-01-20", "2026-02-04", "2026-05-05"), rules)
    assert [] == failed(
        transfer("2026-01-20", "2026-01-31", "2026-05-31")
        | {"plan.planned_end_date": "2026-07-27"},
        rules,
    )  # 31 Jan + 4: 31 May
    assert ["116"] == failed(
        transfer("2026-01-10", "2026-01-31", "2026-06-01")
        | {"plan.planned_end_date": "2026-07-27"},
        rules,
    )


# 106, 106.1: the sender transfers up to 50% of last year's levy with the 10% top-up; the unit's
# cost up to the funding rate (108), with what it already committed (109), must fit


def _sender(declared: str | None, used: str = "0.00") -> dict[str, object]:
    return {
        "employer.funding": "transfer",
        "employer.transfer.approved_on": "2026-04-14",
        "employer.transfer.accepted_on": "2026-04-24",
        "employer.transfer.sender_levy_declared": declared,
        "employer.transfer.sender_allowance_used": used,
    }


@pytest.mark.parametrize(
    ("declared", "used", "expected"),
    [
        (None, "0.00", []),  # not known: not checked
        ("2727.28", "0.00", []),  # 50% of 110% is £1,500.00: the whole rate
        ("2727.27", "0.00", ["106"]),  # a penny short
        ("10000.00", "4000.00", []),  # allowance £5,500, £4,000 used: £1,500 left
        ("10000.00", "4000.01", ["106"]),
    ],
)
def test_the_transfer_fits_the_senders_allowance(
    declared: str | None, used: str, expected: list[str]
) -> None:
    assert expected == failed(_sender(declared, used))


def test_the_allowance_counts_the_cost_up_to_the_funding_rate() -> None:
    """A price above the rate: only the rate's worth comes from the transfer (108)."""
    assert [] == failed({**_sender("2727.28"), "plan.price": "2000.00"})


def test_a_proposal_changes_the_allowance_share(tmp_path: Path) -> None:
    smaller = proposal(tmp_path, '[transfers]\nallowance_share = "0.25"\n')
    assert ["106"] == failed(_sender("2727.28"), smaller)
    assert [] == failed(_sender("5454.55"), smaller)
