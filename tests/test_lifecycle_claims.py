"""Claims during the unit: when milestone 1, milestone 2 and learning support are paid or
refused (31, 35, 55, 61, 63, 72.1, 72.2, 91, 125, 127, 131).

BASE (tests/helpers.py): an eligible learner starting 2026-05-04, planned end 2026-07-27,
60 planned hours (30% = 18 h), price and funding rate £1500 (milestone 1 £450, milestone 2
£1050), a non-levy employer funded by reservation, so government pays everything (92).
The withdrawal deadline is 2026-07-27 + 8 weeks = 2026-09-21 (131).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.helpers import SPEC_EVENTS, claim, delivered, event, paid, proposal, refused, run

M1, M2, LS = "milestone_1", "milestone_2", "learning_support"


def signed_off(date: str, *by: str) -> dict[str, Any]:
    return event(date, "plan_signed_off", by=list(by or ("provider", "learner", "employer")))


def completed(date: str) -> list[dict[str, Any]]:
    """Skills test passed and the plan signed off by all three on `date` (61, 63)."""
    return [event(date, "skills_test_passed"), signed_off(date)]


M1_PAID = paid("2026-05-21", M1, "450.00")


# 72.1: milestone 1 once 30% of the planned hours are delivered (18 of 60)


@pytest.mark.parametrize(
    ("hours", "is_paid"),
    [(17.99, False), (18, True), (18.01, True), (0.01, False), (60, True)],
)
def test_milestone_1_needs_its_share_of_planned_hours(hours: float, is_paid: bool) -> None:
    result = run([delivered("2026-05-20", hours), claim("2026-05-21", M1)])
    assert ([M1_PAID] if is_paid else []) == result["payments"]
    assert ([] if is_paid else [refused("2026-05-21", M1, "72.1")]) == result["refused"]


@pytest.mark.parametrize(("hours", "is_paid"), [(29.99, False), (30, True)])
def test_milestone_1_threshold_with_100_planned_hours_is_30_hours(
    hours: float, is_paid: bool
) -> None:
    result = run(
        [delivered("2026-05-20", hours), claim("2026-05-21", M1)], {"plan.planned_hours": 100}
    )
    assert ([M1_PAID] if is_paid else []) == result["payments"]
    assert ([] if is_paid else [refused("2026-05-21", M1, "72.1")]) == result["refused"]


@pytest.mark.parametrize(
    ("parts", "is_paid"),
    [
        ([10.5, 7.49], False),
        ([10.5, 7.5], True),
        ([0.25, 0.25, 17.5], True),
        ([0.01] * 3 + [17.96], False),
        ([0.01] * 3 + [17.97], True),
    ],
)
def test_fractional_hours_add_up_exactly_towards_milestone_1(
    parts: list[float], is_paid: bool
) -> None:
    events = [delivered(f"2026-05-{10 + i:02d}", h) for i, h in enumerate(parts)]
    result = run([*events, claim("2026-05-21", M1)])
    assert ([M1_PAID] if is_paid else []) == result["payments"]


def test_hours_delivered_after_the_claim_do_not_pay_it() -> None:
    result = run(
        [
            delivered("2026-05-20", 17),
            claim("2026-05-21", M1),
            delivered("2026-05-22", 1),
            claim("2026-05-23", M1),
        ]
    )
    assert [refused("2026-05-21", M1, "72.1")] == result["refused"]
    assert [paid("2026-05-23", M1, "450.00")] == result["payments"]


# 50.3: recorded hours count up to floor(20% of planned hours) = 12 of 60 in total


@pytest.mark.parametrize(
    ("recorded", "live", "is_paid"),
    [
        (12, 5.99, False),  # 12 + 5.99 = 17.99
        (12, 6, True),  # 12 + 6 = 18
        (13, 5.99, False),  # 13 recorded count as 12: 17.99
        (13, 6, True),  # 12 + 6 = 18
        (18, 0, False),  # a fully recorded 30% counts as 12
        (18, 5.99, False),
        (18, 6, True),
    ],
)
def test_recorded_hours_count_up_to_twenty_percent_of_planned(
    recorded: float, live: float, is_paid: bool
) -> None:
    events = [delivered("2026-05-10", recorded, recorded=recorded)]
    if live:
        events.append(delivered("2026-05-11", live))
    result = run([*events, claim("2026-05-21", M1)])
    assert ([M1_PAID] if is_paid else []) == result["payments"]


def test_recorded_hours_cap_applies_across_deliveries() -> None:
    """7 + 6 = 13 recorded hours over two sessions count as 12; the live part of each
    delivery (hours - recorded_hours) always counts."""
    events = [
        delivered("2026-05-10", 9, recorded=7),
        delivered("2026-05-11", 6, recorded=6),
        delivered("2026-05-12", 2.99),
    ]
    # live 2 + 0 + 2.99, recorded min(13, 12) = 12: 16.99
    assert [refused("2026-05-21", M1, "72.1")] == run([*events, claim("2026-05-21", M1)])["refused"]
    assert [M1_PAID] == run([*events, delivered("2026-05-13", 1.01), claim("2026-05-21", M1)])[
        "payments"
    ]


def test_recorded_hours_within_the_cap_count_in_full_alongside_live_hours() -> None:
    events = [delivered("2026-05-10", 18, recorded=12), claim("2026-05-21", M1)]
    assert [M1_PAID] == run(events)["payments"]


# 55: the plan is agreed before training; the signed version must be in place by the claim


def test_hours_delivered_before_the_plan_is_signed_count_once_it_is_signed() -> None:
    changes = {"plan.training_plan_signed_on": "2026-05-10"}
    before = run([delivered("2026-05-09", 18), claim("2026-05-11", M1)], changes)
    on_the_day = run([delivered("2026-05-10", 18), claim("2026-05-11", M1)], changes)
    assert [paid("2026-05-11", M1, "450.00")] == before["payments"]
    assert [paid("2026-05-11", M1, "450.00")] == on_the_day["payments"]


def test_claim_before_the_plan_is_signed_is_refused_and_paid_once_it_is() -> None:
    changes = {"plan.training_plan_signed_on": "2026-05-10"}
    result = run(
        [delivered("2026-05-08", 18), claim("2026-05-09", M1), claim("2026-05-10", M1)], changes
    )
    assert [refused("2026-05-09", M1, "55")] == result["refused"]
    assert [paid("2026-05-10", M1, "450.00")] == result["payments"]


def test_claim_before_the_signature_and_the_hours_fails_both() -> None:
    changes = {"plan.training_plan_signed_on": "2026-05-10"}
    result = run(
        [claim("2026-05-09", M1), delivered("2026-05-10", 18), claim("2026-05-10", M1)], changes
    )
    assert [refused("2026-05-09", M1, "55", "72.1")] == result["refused"]
    assert [paid("2026-05-10", M1, "450.00")] == result["payments"]


def test_null_signing_date_means_signed_on_the_start_date() -> None:
    result = run([delivered("2026-05-04", 18), claim("2026-05-04", M1)])
    assert [paid("2026-05-04", M1, "450.00")] == result["payments"]


def test_hours_before_the_start_date_do_not_count() -> None:
    result = run([delivered("2026-05-03", 18), claim("2026-05-04", M1)])
    assert [refused("2026-05-04", M1, "72.1")] == result["refused"]


# 72.2, 61, 63: milestone 2 needs all hours, the skills test and the plan signed off by all


def _m2_events(
    hours: float = 60,
    skills: bool = True,
    by: tuple[str, ...] = ("provider", "learner", "employer"),
    claim_on: str = "2026-07-22",
) -> list[dict[str, Any]]:
    events = [delivered("2026-05-20", hours)]
    if skills:
        events.append(event("2026-07-20", "skills_test_passed"))
    if by:
        events.append(signed_off("2026-07-21", *by))
    return [*events, claim(claim_on, M2)]


M2_PAID = paid("2026-07-22", M2, "1050.00")


@pytest.mark.parametrize(
    ("hours", "is_paid"), [(59.99, False), (60, True), (60.01, True), (80, True)]
)
def test_milestone_2_needs_all_planned_hours(hours: float, is_paid: bool) -> None:
    result = run(_m2_events(hours))
    assert ([M2_PAID] if is_paid else []) == result["payments"]
    # a sign-off before all the hours are delivered does not count either (63)
    assert ([] if is_paid else [refused("2026-07-22", M2, "63", "72.2")]) == result["refused"]


def test_milestone_2_needs_the_skills_test_passed() -> None:
    """Without the test the learning is not complete, so the sign-off does not count (63)."""
    assert [refused("2026-07-22", M2, "61", "63")] == run(_m2_events(skills=False))["refused"]


# 63, 64: the sign-off confirms that the plan was delivered, so it counts only after the
# learning is complete (all the planned hours and the skills test)


def test_a_sign_off_before_the_hours_are_complete_is_ignored_and_signing_again_counts() -> None:
    early = [
        delivered("2026-05-20", 30),
        event("2026-05-21", "skills_test_passed"),
        signed_off("2026-05-22", "provider", "learner", "employer"),
        delivered("2026-06-20", 30),
    ]
    ignored = run([*early, claim("2026-06-21", M2)])
    assert [refused("2026-06-21", M2, "63")] == ignored["refused"]
    again = run(
        [
            *early,
            signed_off("2026-06-21", "provider", "learner", "employer"),
            claim("2026-06-22", M2),
        ]
    )
    assert [paid("2026-06-22", M2, "1050.00")] == again["payments"]


def test_a_sign_off_before_the_skills_test_is_ignored() -> None:
    events = [
        delivered("2026-05-20", 60),
        signed_off("2026-05-21", "provider", "learner", "employer"),
        event("2026-05-22", "skills_test_passed"),
        claim("2026-05-23", M2),
    ]
    assert [refused("2026-05-23", M2, "63")] == run(events)["refused"]


def test_a_sign_off_on_the_day_the_learning_completes_counts() -> None:
    events = [
        delivered("2026-05-20", 60),
        event("2026-05-21", "skills_test_passed"),
        signed_off("2026-05-21", "provider", "learner", "employer"),
        claim("2026-05-21", M2),
    ]
    assert [paid("2026-05-21", M2, "1050.00")] == run(events)["payments"]


def test_only_the_signatures_made_after_completion_count() -> None:
    events = [
        delivered("2026-05-20", 59),
        event("2026-05-20", "skills_test_passed"),
        signed_off("2026-05-21", "provider"),
        delivered("2026-05-22", 1),
        signed_off("2026-05-23", "learner", "employer"),
        claim("2026-05-24", M2),
    ]
    assert [refused("2026-05-24", M2, "63")] == run(events)["refused"]


@pytest.mark.parametrize(
    "by",
    [("learner", "employer"), ("provider", "employer"), ("provider", "learner"), ("provider",), ()],
    ids=["no-provider", "no-learner", "no-employer", "provider-only", "unsigned"],
)
def test_milestone_2_needs_the_plan_signed_off_by_all_three(by: tuple[str, ...]) -> None:
    result = run(_m2_events(by=by))
    assert [] == result["payments"]
    assert [refused("2026-07-22", M2, "63")] == result["refused"]


def test_sign_off_signatures_accumulate_over_several_events() -> None:
    events = [
        delivered("2026-05-20", 60),
        event("2026-07-20", "skills_test_passed"),
        signed_off("2026-07-20", "provider"),
        signed_off("2026-07-21", "learner"),
        claim("2026-07-21", M2),
        signed_off("2026-07-22", "employer"),
        claim("2026-07-22", M2),
    ]
    result = run(events)
    assert [refused("2026-07-21", M2, "63")] == result["refused"]
    assert [M2_PAID] == result["payments"]


def test_milestone_2_lists_every_failing_guard_sorted() -> None:
    result = run([delivered("2026-05-20", 30), claim("2026-07-22", M2)])
    assert [refused("2026-07-22", M2, "61", "63", "72.2")] == result["refused"]


def test_milestone_2_does_not_need_milestone_1_claimed_first() -> None:
    assert [M2_PAID] == run(_m2_events())["payments"]


# 91, 128: a milestone is paid once, across withdrawals, restarts and new employers


def test_milestone_1_claimed_twice_is_refused_the_second_time() -> None:
    result = run([delivered("2026-05-20", 18), claim("2026-05-21", M1), claim("2026-05-22", M1)])
    assert [M1_PAID] == result["payments"]
    assert [refused("2026-05-22", M1, "91")] == result["refused"]


def test_milestone_2_claimed_twice_is_refused_the_second_time() -> None:
    result = run([*_m2_events(), claim("2026-07-23", M2)])
    assert [M2_PAID] == result["payments"]
    assert [refused("2026-07-23", M2, "91")] == result["refused"]


def test_milestone_1_is_not_paid_again_after_withdrawal_and_restart() -> None:
    result = run(
        [
            delivered("2026-05-20", 18),
            claim("2026-05-21", M1),
            event("2026-05-25", "withdrawn"),
            event("2026-06-01", "restarted"),
            claim("2026-06-02", M1),
        ]
    )
    assert [M1_PAID] == result["payments"]
    assert [refused("2026-06-02", M1, "91")] == result["refused"]


NEW_LEVY_EMPLOYER = {
    "relationship": "direct",
    "levy_payer": True,
    "levy_balance": "5000.00",
    "funding": "levy",
}


def test_milestone_1_is_not_paid_again_after_a_restart_with_a_new_employer() -> None:
    result = run(
        [
            delivered("2026-05-20", 18),
            claim("2026-05-21", M1),
            event("2026-05-25", "employment_ended", reason="redundancy"),
            event("2026-06-01", "restarted", employer=NEW_LEVY_EMPLOYER, provider_changed=True),
            claim("2026-06-02", M1),
        ]
    )
    assert [M1_PAID] == result["payments"]
    assert [refused("2026-06-02", M1, "91")] == result["refused"]


def test_milestone_2_after_a_restart_is_paid_once_on_the_hours_already_delivered() -> None:
    result = run(
        [
            delivered("2026-05-20", 40),
            claim("2026-05-21", M1),
            event("2026-05-25", "withdrawn"),
            event("2026-06-01", "restarted"),
            delivered("2026-06-02", 20),
            *completed("2026-06-03"),
            claim("2026-06-04", M2),
            claim("2026-06-05", M2),
        ]
    )
    assert [M1_PAID, paid("2026-06-04", M2, "1050.00")] == result["payments"]
    assert [refused("2026-06-05", M2, "91")] == result["refused"]


# 125, 127: nothing is paid after a withdrawal or the end of employment


@pytest.mark.parametrize(("stop", "paragraph"), [("withdrawn", "125"), ("employment_ended", "127")])
def test_no_milestone_1_after_stopping(stop: str, paragraph: str) -> None:
    result = run([delivered("2026-05-20", 18), event("2026-05-21", stop), claim("2026-05-21", M1)])
    assert [] == result["payments"]
    assert [refused("2026-05-21", M1, paragraph)] == result["refused"]


@pytest.mark.parametrize(("stop", "paragraph"), [("withdrawn", "125"), ("employment_ended", "127")])
def test_no_milestone_2_after_stopping(stop: str, paragraph: str) -> None:
    events = _m2_events()
    result = run([*events[:-1], event("2026-07-22", stop), events[-1]])
    assert [refused("2026-07-22", M2, paragraph)] == result["refused"]


def test_claim_the_day_before_stopping_is_paid() -> None:
    result = run(
        [delivered("2026-05-20", 18), claim("2026-05-21", M1), event("2026-05-22", "withdrawn")]
    )
    assert [M1_PAID] == result["payments"]


def test_withdrawn_and_out_of_employment_lists_both_paragraphs() -> None:
    result = run(
        [
            delivered("2026-05-20", 18),
            event("2026-05-21", "employment_ended"),
            event("2026-05-21", "withdrawn"),
            claim("2026-05-22", M1),
        ]
    )
    assert [refused("2026-05-22", M1, "125", "127")] == result["refused"]


def test_restart_after_withdrawal_allows_claims_again() -> None:
    result = run(
        [
            delivered("2026-05-20", 18),
            event("2026-05-21", "withdrawn"),
            claim("2026-05-22", M1),
            event("2026-06-01", "restarted"),
            claim("2026-06-02", M1),
        ]
    )
    assert [refused("2026-05-22", M1, "125")] == result["refused"]
    assert [paid("2026-06-02", M1, "450.00")] == result["payments"]


# 131: milestone 2 must be reached by the withdrawal deadline (2026-09-21); once reached,
# it is paid whenever it is claimed


@pytest.mark.parametrize("claim_on", ["2026-09-20", "2026-09-21", "2026-09-22", "2027-01-10"])
def test_milestone_2_reached_before_the_deadline_is_paid_when_claimed_after_it(
    claim_on: str,
) -> None:
    result = run(_m2_events(claim_on=claim_on))
    assert [paid(claim_on, M2, "1050.00")] == result["payments"]


@pytest.mark.parametrize(("signed_on", "is_paid"), [("2026-09-21", True), ("2026-09-22", False)])
def test_milestone_2_reached_after_the_deadline_is_refused(signed_on: str, is_paid: bool) -> None:
    events = [
        delivered("2026-05-20", 60),
        event("2026-07-20", "skills_test_passed"),
        signed_off(signed_on, "provider", "learner", "employer"),
        claim("2026-09-25", M2),
    ]
    result = run(events)
    assert ([paid("2026-09-25", M2, "1050.00")] if is_paid else []) == result["payments"]
    assert ([] if is_paid else [refused("2026-09-25", M2, "131")]) == result["refused"]


# 131, 125: a learner past the deadline without milestone 2 is due to be withdrawn; what was
# earned before the deadline (milestone 1, learning support) is paid when claimed after it
# (interpretation `claims_after_withdrawal_deadline`), or, under the other reading, refused


LATE_M1 = [delivered("2026-05-20", 18), claim("2026-09-22", M1)]
LATE_LS = [delivered("2026-05-20", 18), claim("2026-09-22", LS, cost="90.00")]


def test_milestone_1_and_learning_support_earned_before_the_deadline_are_paid_after_it() -> None:
    ldd = {"learner.learning_difficulty_or_disability": True}
    assert [paid("2026-09-22", M1, "450.00")] == run(LATE_M1)["payments"]
    assert [paid("2026-09-22", LS, "150.00")] == run(LATE_LS, ldd)["payments"]


def test_claims_after_the_deadline_are_refused_under_the_refused_reading(tmp_path: Path) -> None:
    ldd = {"learner.learning_difficulty_or_disability": True}
    strict = proposal(tmp_path, '[interpretations]\nclaims_after_withdrawal_deadline = "refused"\n')
    assert [refused("2026-09-22", M1, "131")] == run(LATE_M1, None, strict)["refused"]
    assert [refused("2026-09-22", LS, "131")] == run(LATE_LS, ldd, strict)["refused"]
    on_the_day = [delivered("2026-05-20", 18), claim("2026-09-21", M1)]
    assert [paid("2026-09-21", M1, "450.00")] == run(on_the_day, None, strict)["payments"]


def test_a_plan_signed_only_after_the_deadline_earns_nothing_claimable_after_it() -> None:
    changes = {"plan.training_plan_signed_on": "2026-09-22"}
    result = run([delivered("2026-05-20", 18), claim("2026-09-23", M1)], changes)
    assert [refused("2026-09-23", M1, "131")] == result["refused"]


# 31-35: learning support


LDD = {"learner.learning_difficulty_or_disability": True}
LS_PAID = paid("2026-05-21", LS, "150.00")


def test_learning_support_paid_once_milestone_1_is_reached() -> None:
    result = run([delivered("2026-05-20", 18), claim("2026-05-21", LS, cost="90.00")], LDD)
    assert [LS_PAID] == result["payments"]
    assert [] == result["refused"]


@pytest.mark.parametrize(("hours", "is_paid"), [(17.99, False), (18, True)])
def test_learning_support_needs_milestone_1_hours(hours: float, is_paid: bool) -> None:
    result = run([delivered("2026-05-20", hours), claim("2026-05-21", LS)], LDD)
    assert ([LS_PAID] if is_paid else []) == result["payments"]
    assert ([] if is_paid else [refused("2026-05-21", LS, "35.2")]) == result["refused"]


def test_learning_support_after_milestone_1_paid() -> None:
    result = run(
        [delivered("2026-05-20", 18), claim("2026-05-21", M1), claim("2026-05-22", LS)], LDD
    )
    assert [M1_PAID, paid("2026-05-22", LS, "150.00")] == result["payments"]


def test_learning_support_before_the_plan_is_signed_is_refused() -> None:
    """Milestone 1 is reached only with the plan signed (55); hours before it do not count."""
    changes = {**LDD, "plan.training_plan_signed_on": "2026-05-15"}
    result = run(
        [
            delivered("2026-05-14", 18),
            claim("2026-05-14", LS),
            delivered("2026-05-15", 18),
            claim("2026-05-15", LS),
        ],
        changes,
    )
    assert [refused("2026-05-14", LS, "35.2")] == result["refused"]
    assert [paid("2026-05-15", LS, "150.00")] == result["payments"]


def test_learning_support_only_for_a_learning_difficulty_or_disability() -> None:
    result = run([delivered("2026-05-20", 18), claim("2026-05-21", LS, cost="90.00")])
    assert [] == result["payments"]
    assert [refused("2026-05-21", LS, "31")] == result["refused"]


@pytest.mark.parametrize(
    ("cost", "is_paid"),
    [("0.00", False), ("0.01", True), ("150.00", True), (None, True)],
)
def test_learning_support_stated_cost_of_zero_is_refused(cost: str | None, is_paid: bool) -> None:
    result = run([delivered("2026-05-20", 18), claim("2026-05-21", LS, cost=cost)], LDD)
    assert ([LS_PAID] if is_paid else []) == result["payments"]
    assert ([] if is_paid else [refused("2026-05-21", LS, "35")]) == result["refused"]


def test_learning_support_is_a_fixed_150_for_costs_up_to_it() -> None:
    result = run([delivered("2026-05-20", 18), claim("2026-05-21", LS, cost="149.99")], LDD)
    assert [LS_PAID] == result["payments"]
    assert "150.00" == result["totals"]["government"]


def test_learning_support_paid_once_per_learner() -> None:
    result = run(
        [delivered("2026-05-20", 18), claim("2026-05-21", LS), claim("2026-05-22", LS)], LDD
    )
    assert [LS_PAID] == result["payments"]
    assert [refused("2026-05-22", LS, "35.1")] == result["refused"]


def test_learning_support_once_even_across_a_restart() -> None:
    result = run(
        [
            delivered("2026-05-20", 18),
            claim("2026-05-21", LS),
            event("2026-05-22", "withdrawn"),
            event("2026-05-25", "restarted"),
            claim("2026-05-26", LS),
        ],
        LDD,
    )
    assert [LS_PAID] == result["payments"]
    assert [refused("2026-05-26", LS, "35.1")] == result["refused"]


@pytest.mark.parametrize(("stop", "paragraph"), [("withdrawn", "125"), ("employment_ended", "127")])
def test_no_learning_support_after_stopping(stop: str, paragraph: str) -> None:
    result = run(
        [delivered("2026-05-20", 18), event("2026-05-21", stop), claim("2026-05-21", LS)], LDD
    )
    assert [refused("2026-05-21", LS, paragraph)] == result["refused"]


def test_learning_support_refusal_lists_every_failing_paragraph_sorted() -> None:
    result = run([delivered("2026-05-20", 5), claim("2026-05-21", LS, cost="0.00")])
    assert [refused("2026-05-21", LS, "31", "35", "35.2")] == result["refused"]


def test_paragraphs_sort_numerically_not_as_text() -> None:
    result = run(
        [
            delivered("2026-05-20", 18),
            claim("2026-05-21", LS),
            event("2026-05-22", "withdrawn"),
            claim("2026-05-23", LS),
        ],
        LDD,
    )
    assert [refused("2026-05-23", LS, "35.1", "125")] == result["refused"]


# Ineligible learners: claims refused with the failed start paragraphs


def test_ineligible_learner_claims_list_the_failed_start_paragraphs() -> None:
    """The refusal cites 21 and why the learner is ineligible, not the conditions that fail
    only as its consequence (no hours count for an ineligible learner, so 72.1 fails too)."""
    result = run(
        [delivered("2026-05-20", 18), claim("2026-05-21", M1)],
        {"learner.date_of_birth": "2010-01-01"},
    )
    assert [] == result["payments"]
    assert [refused("2026-05-21", M1, "21", "22.1")] == result["refused"]
    assert "ineligible" == result["status"]


def test_ineligible_learner_with_several_failures_lists_them_all() -> None:
    result = run(
        [claim("2026-05-21", M2)],
        {"learner.date_of_birth": "2010-01-01", "learner.residency_eligible": False},
    )
    assert [refused("2026-05-21", M2, "21", "21.1", "22.1")] == result["refused"]


# The contract's example scenario (spec/interface.md), and the full happy path


ZERO_TOTALS = {
    "government": "0.00",
    "employer_account": "0.00",
    "employer_direct": "0.00",
    "employer_above_rate": "0.00",
    "learner": "0.00",
}
PLANNED = {
    "milestone_1": {"government": "450.00", "employer_account": "0.00", "employer_direct": "0.00"},
    "milestone_2": {"government": "1050.00", "employer_account": "0.00", "employer_direct": "0.00"},
    "learning_support": {
        "government": "0.00",
        "employer_account": "0.00",
        "employer_direct": "0.00",
    },
    "employer_above_rate": "0.00",
}
"""The plan as it stands at the start: the same whatever the events (`model.planned`)."""


def test_spec_example_scenario_pays_milestone_1_and_refuses_milestone_2_on_hours() -> None:
    """The example delivers 18 of 60 hours: enough for milestone 1, not for milestone 2; its
    sign-off, made before the learning is complete, does not count either (63)."""
    expected = {
        "eligible": True,
        "failed_paragraphs": [],
        "payments": [M1_PAID],
        "refused": [refused("2026-07-22", M2, "63", "72.2")],
        "totals": {**ZERO_TOTALS, "government": "450.00"},
        "status": "in_learning",
        "planned": PLANNED,
    }
    assert expected == run(SPEC_EVENTS)


def test_spec_example_with_all_hours_delivered_completes_with_the_full_rate() -> None:
    events = [*SPEC_EVENTS[:2], delivered("2026-06-15", 42), *SPEC_EVENTS[2:]]
    expected = {
        "eligible": True,
        "failed_paragraphs": [],
        "payments": [M1_PAID, M2_PAID],
        "refused": [],
        "totals": {**ZERO_TOTALS, "government": "1500.00"},
        "status": "completed",
        "planned": PLANNED,
    }
    assert expected == run(events)


def test_no_events_is_in_learning_with_nothing_paid() -> None:
    expected = {
        "eligible": True,
        "failed_paragraphs": [],
        "payments": [],
        "refused": [],
        "totals": ZERO_TOTALS,
        "status": "in_learning",
        "planned": PLANNED,
    }
    assert expected == run([])


# 35.3: adjustments costing more than £150 are paid at cost with an authorised claim


@pytest.mark.parametrize(
    ("cost", "authorised", "paid_amount", "refused_with"),
    [
        ("150.00", False, "150.00", None),  # at the amount: the fixed payment
        ("90.00", True, "150.00", None),  # below it: the fixed payment, authorised or not
        ("150.01", True, "150.01", None),  # above it, authorised: at cost
        ("420.00", True, "420.00", None),
        ("150.01", False, None, "35.3"),  # above it without authorisation: refused
    ],
)
def test_learning_support_above_the_amount_needs_an_authorised_claim(
    cost: str, authorised: bool, paid_amount: str | None, refused_with: str | None
) -> None:
    support = {**claim("2026-05-21", LS, cost=cost), "authorised": authorised}
    result = run([delivered("2026-05-20", 18), support], LDD)
    if paid_amount is None:
        assert [refused("2026-05-21", LS, str(refused_with))] == result["refused"]
    else:
        assert [paid("2026-05-21", LS, paid_amount)] == result["payments"]


def test_an_authorised_claim_is_still_paid_once() -> None:
    support = {**claim("2026-05-21", LS, cost="400.00"), "authorised": True}
    again = {**claim("2026-05-22", LS, cost="400.00"), "authorised": True}
    result = run([delivered("2026-05-20", 18), support, again], LDD)
    assert [paid("2026-05-21", LS, "400.00")] == result["payments"]
    assert [refused("2026-05-22", LS, "35.1")] == result["refused"]
