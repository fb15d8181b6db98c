"""Changes of circumstance during the unit: extensions (130), the withdrawal deadline (131),
parental leave and KIT / SPLIT days (131-137), withdrawal, end of employment and restarts
(125, 127, 128), and the learner's status.

BASE (tests/helpers.py) starts 2026-05-04 with planned end 2026-07-27 and 60 planned hours
(30% = 18 h). Eight weeks after the planned end is 2026-09-21: the latest extended end date
(130) and the withdrawal deadline (131), both moved by maternity, adoption or shared
parental leave. Whether a delivery counts is observed through milestone 1: an 18-hour
delivery followed by a claim the same day is paid only if those hours counted.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from aurules.model.ruleset import Ruleset
from tests.helpers import claim, delivered, event, paid, proposal, refused, run

M1, M2 = "milestone_1", "milestone_2"
DEADLINE = "2026-09-21"
DAY_AFTER_DEADLINE = "2026-09-22"


def extended(date: str, to: str) -> dict[str, Any]:
    return event(date, "extended", to=to)


def leave(start: str, end: str | None, kind: str = "maternity") -> list[dict[str, Any]]:
    events = [event(start, "leave_started", kind=kind)]
    if end is not None:
        events.append(event(end, "leave_ended"))
    return events


def counts(
    before: list[dict[str, Any]],
    date: str,
    changes: dict[str, Any] | None = None,
    ruleset: Ruleset | None = None,
    kit_day: bool = False,
) -> bool:
    """Whether 18 hours delivered on `date` after `before` count (milestone 1 is paid)."""
    result = run([*before, delivered(date, 18, kit_day=kit_day), claim(date, M1)], changes, ruleset)
    return bool(result["payments"])


def m1_paid(events: list[dict[str, Any]], changes: dict[str, Any] | None = None) -> bool:
    result = run([*events, claim("2026-07-27", M1)], changes)
    return bool(result["payments"])


FULL = [
    delivered("2026-05-20", 60),
    event("2026-05-21", "skills_test_passed"),
    event("2026-05-21", "plan_signed_off"),
]


# 50.1: training counts between the start date and the planned end date


@pytest.mark.parametrize(
    ("date", "expected"), [("2026-05-04", True), ("2026-07-27", True), ("2026-07-28", False)]
)
def test_hours_count_up_to_the_planned_end_date(date: str, expected: bool) -> None:
    assert expected == counts([], date)


# 130: extensions up to eight weeks beyond the original planned end date


@pytest.mark.parametrize(
    ("to", "date", "expected"),
    [
        ("2026-08-10", "2026-08-10", True),
        ("2026-08-10", "2026-08-11", False),
        (DEADLINE, DEADLINE, True),  # the limit itself is accepted
        (DEADLINE, "2026-08-10", True),
        (DAY_AFTER_DEADLINE, "2026-08-10", False),  # refused: the end stays 2026-07-27
        (DAY_AFTER_DEADLINE, "2026-07-27", True),
    ],
)
def test_extension_moves_the_end_date_within_eight_weeks(
    to: str, date: str, expected: bool
) -> None:
    assert expected == counts([extended("2026-07-20", to)], date)


def test_hours_after_the_original_end_count_only_when_extended() -> None:
    assert not counts([], "2026-08-10")
    assert counts([extended("2026-07-20", "2026-08-31")], "2026-08-10")


def test_extension_can_be_agreed_after_the_original_end_date() -> None:
    assert counts([extended("2026-08-01", "2026-08-31")], "2026-08-10")


def test_second_extension_is_limited_by_the_original_end_date_not_the_extended_one() -> None:
    assert counts(
        [extended("2026-07-20", "2026-08-31"), extended("2026-08-20", DEADLINE)], DEADLINE
    )
    # refused: the end stays 2026-09-10
    assert not counts(
        [extended("2026-07-20", "2026-09-10"), extended("2026-09-01", DAY_AFTER_DEADLINE)],
        "2026-09-15",
    )


@pytest.mark.parametrize(
    ("to", "date", "expected"),
    [
        ("2026-05-03", "2026-05-05", True),  # before the start: refused, end unchanged
        ("2026-05-04", "2026-05-04", True),  # accepted: the end moves to the start date
        ("2026-05-04", "2026-05-05", False),
    ],
)
def test_extension_cannot_end_before_the_start(to: str, date: str, expected: bool) -> None:
    assert expected == counts([extended("2026-05-04", to)], date)


def test_extension_limit_moves_with_parental_leave() -> None:
    ten_days = leave("2026-06-01", "2026-06-11")  # deadline and limit: 2026-10-01
    assert counts([*ten_days, extended("2026-07-20", "2026-10-01")], "2026-10-01")
    assert not counts([*ten_days, extended("2026-07-20", "2026-10-02")], "2026-08-10")
    assert counts([*ten_days, extended("2026-07-20", "2026-10-01")], "2026-08-10")


def test_extended_end_beyond_the_withdrawal_deadline_still_stops_at_the_deadline(
    tmp_path: Path,
) -> None:
    """A proposal allowing 12 weeks of extension but withdrawal after 8: hours after the
    deadline do not count even within the extended plan."""
    ruleset = proposal(tmp_path, "[duration]\nmax_extension_weeks = 12\n")
    before = [extended("2026-07-20", "2026-10-19")]
    assert counts(before, DEADLINE, ruleset=ruleset)
    assert not counts(before, DAY_AFTER_DEADLINE, ruleset=ruleset)


# 131: the withdrawal deadline and the must_withdraw status


@pytest.mark.parametrize(
    ("last", "status"), [(DEADLINE, "in_learning"), (DAY_AFTER_DEADLINE, "must_withdraw")]
)
def test_learner_without_milestone_2_must_be_withdrawn_after_the_deadline(
    last: str, status: str
) -> None:
    result = run(
        [delivered("2026-05-20", 18), claim("2026-05-21", M1), event(last, "skills_test_passed")]
    )
    assert status == result["status"]


def test_extension_does_not_move_the_withdrawal_deadline() -> None:
    result = run(
        [extended("2026-07-20", DEADLINE), event(DAY_AFTER_DEADLINE, "skills_test_passed")]
    )
    assert "must_withdraw" == result["status"]


def test_completed_learner_is_not_asked_to_withdraw_after_the_deadline() -> None:
    result = run(
        [
            *FULL,
            claim("2026-07-22", M2),
            event("2026-12-01", "levy_balance_changed", levy_balance="0.00"),
        ]
    )
    assert "completed" == result["status"]


# 132-137: maternity, adoption and shared parental leave


def _kit_days(n: int, kind: str, hours_each: float = 1) -> list[dict[str, Any]]:
    """Leave from 2026-05-05, then n deliveries on distinct KIT days: the first n-1 of
    `hours_each`, the last bringing the total to 18 hours."""
    events = leave("2026-05-05", None, kind)
    for i in range(n - 1):
        events.append(delivered(f"2026-05-{6 + i:02d}", hours_each, kit_day=True))
    events.append(delivered(f"2026-05-{6 + n - 1:02d}", 18 - hours_each * (n - 1), kit_day=True))
    return events


@pytest.mark.parametrize("kind", ["maternity", "adoption"])
@pytest.mark.parametrize(("days", "expected"), [(9, True), (10, True), (11, False)])
def test_up_to_ten_kit_days_count_in_maternity_and_adoption_leave(
    kind: str, days: int, expected: bool
) -> None:
    assert expected == m1_paid(_kit_days(days, kind))


@pytest.mark.parametrize(("days", "expected"), [(19, True), (20, True), (21, False)])
def test_up_to_twenty_split_days_count_in_shared_parental_leave(days: int, expected: bool) -> None:
    assert expected == m1_paid(_kit_days(days, "shared_parental", hours_each=0.5))


def test_eleventh_kit_day_hours_are_lost_but_earlier_days_count() -> None:
    """Ten 1-hour KIT days count (10 h); the 11th day's 8 hours do not; 8 more hours after
    the leave reach 18."""
    events = [*_kit_days(11, "maternity"), event("2026-06-01", "leave_ended")]
    assert not m1_paid([*events, delivered("2026-06-02", 7.99)])
    assert m1_paid([*events, delivered("2026-06-02", 8)])


def test_two_deliveries_on_one_kit_date_use_one_kit_day() -> None:
    events = leave("2026-05-05", None)
    events.append(delivered("2026-05-06", 1, kit_day=True))
    events.append(delivered("2026-05-06", 1, kit_day=True))  # same date: same day
    for i in range(8):
        events.append(delivered(f"2026-05-{7 + i:02d}", 1, kit_day=True))
    # 10 h on 9 distinct dates (2026-05-06 to 2026-05-14): one more KIT day is left
    events.append(delivered("2026-05-15", 8, kit_day=True))
    assert m1_paid(events)
    # an eleventh distinct date would not count
    assert not m1_paid(
        [
            *events[:-1],
            delivered("2026-05-15", 1, kit_day=True),
            delivered("2026-05-16", 7, kit_day=True),
        ]
    )


def test_deliveries_on_non_kit_days_during_leave_do_not_count() -> None:
    events = [*leave("2026-05-05", None), delivered("2026-05-06", 18)]
    assert not m1_paid(events)


@pytest.mark.parametrize("kind", ["maternity", "adoption", "shared_parental"])
def test_deliveries_count_normally_after_the_leave_ends(kind: str) -> None:
    before = leave("2026-05-05", "2026-05-20", kind)
    assert counts(before, "2026-05-20")
    assert not counts(leave("2026-05-05", None, kind), "2026-05-20")


def test_kit_flag_outside_leave_changes_nothing() -> None:
    assert counts([], "2026-05-20", kit_day=True)


def test_paternity_leave_changes_nothing_for_delivery() -> None:
    assert counts(leave("2026-05-05", None, "paternity"), "2026-05-20")


@pytest.mark.parametrize(
    ("leave_events", "deadline"),
    [
        ([], DEADLINE),
        (leave("2026-06-01", "2026-06-11"), "2026-10-01"),  # 10 days
        (leave("2026-06-01", "2026-06-11", "adoption"), "2026-10-01"),
        (leave("2026-06-01", "2026-06-11", "shared_parental"), "2026-10-01"),
        (leave("2026-06-01", "2026-06-11", "paternity"), DEADLINE),  # no effect
        (
            [*leave("2026-06-01", "2026-06-04"), *leave("2026-06-10", "2026-06-17", "adoption")],
            "2026-10-01",
        ),  # 3 + 7
    ],
    ids=["no-leave", "maternity", "adoption", "shared-parental", "paternity", "two-leaves"],
)
def test_withdrawal_deadline_moves_by_the_length_of_the_leave(
    leave_events: list[dict[str, Any]], deadline: str
) -> None:
    import datetime as dt

    after = (dt.date.fromisoformat(deadline) + dt.timedelta(days=1)).isoformat()
    done = [delivered("2026-05-20", 60), event("2026-05-21", "skills_test_passed")]
    reached = run([*done, *leave_events, event(deadline, "plan_signed_off"), claim(after, M2)])
    late = run([*done, *leave_events, event(after, "plan_signed_off"), claim(after, M2)])
    assert [paid(after, M2, "1050.00")] == reached["payments"]  # reached in time, paid later
    assert [refused(after, M2, "131")] == late["refused"]
    assert (
        "in_learning"
        == run([*FULL, *leave_events, event(deadline, "skills_test_passed")])["status"]
    )
    assert (
        "must_withdraw" == run([*FULL, *leave_events, event(after, "skills_test_passed")])["status"]
    )


def test_running_leave_moves_the_deadline_up_to_the_event_date() -> None:
    running = leave("2026-09-01", None)
    result = run([*FULL, *running, claim("2026-11-15", M2)])
    assert [paid("2026-11-15", M2, "1050.00")] == result["payments"]
    assert "in_learning" == run([*running, event("2026-12-31", "skills_test_passed")])["status"]


@pytest.mark.parametrize(
    ("start", "status"), [(DEADLINE, "in_learning"), (DAY_AFTER_DEADLINE, "must_withdraw")]
)
def test_leave_starting_after_the_deadline_does_not_rescue_the_learner(
    start: str, status: str
) -> None:
    assert status == run(leave(start, None))["status"]


def test_kit_days_after_the_original_deadline_count_while_leave_runs() -> None:
    """Leave from 2026-07-01: by 2026-09-30 the deadline and the extension limit have moved
    by 91 days (the limit counts the leave up to the extension's date)."""
    events = [*leave("2026-07-01", None), extended("2026-09-30", "2026-10-01")]
    assert counts(events, "2026-10-01", kit_day=True)
    assert not counts(events, "2026-10-01", kit_day=False)
    early = [*leave("2026-07-01", None), extended("2026-07-02", "2026-10-01")]  # limit 09-22
    assert not counts(early, "2026-10-01", kit_day=True)


# 125, 127, 128: withdrawal, end of employment and restarts


@pytest.mark.parametrize("stop", ["withdrawn", "employment_ended"])
def test_deliveries_after_stopping_do_not_count(stop: str) -> None:
    assert not counts([event("2026-05-10", stop)], "2026-05-20")


@pytest.mark.parametrize("stop", ["withdrawn", "employment_ended"])
def test_deliveries_count_again_after_a_restart(stop: str) -> None:
    assert counts([event("2026-05-10", stop), event("2026-05-15", "restarted")], "2026-05-20")


def test_restart_keeps_the_hours_already_delivered() -> None:
    events = [
        delivered("2026-05-06", 10),
        event("2026-05-07", "employment_ended"),
        delivered("2026-05-08", 10),
        event("2026-05-10", "restarted"),
        delivered("2026-05-11", 8),
    ]
    assert m1_paid(events)  # 10 + 8; the 10 while unemployed lost
    assert not m1_paid([*events[:-1], delivered("2026-05-11", 7.99)])


def test_restart_clears_both_withdrawal_and_end_of_employment() -> None:
    result = run(
        [
            delivered("2026-05-06", 18),
            event("2026-05-07", "employment_ended"),
            event("2026-05-07", "withdrawn"),
            claim("2026-05-08", M1),
            event("2026-05-10", "restarted"),
            claim("2026-05-11", M1),
        ]
    )
    assert [refused("2026-05-08", M1, "125", "127")] == result["refused"]
    assert [paid("2026-05-11", M1, "450.00")] == result["payments"]
    assert "in_learning" == result["status"]


def _restart_with(
    employer: dict[str, Any], changes: dict[str, Any] | None = None
) -> dict[str, Any]:
    return run(
        [
            delivered("2026-05-20", 60),
            claim("2026-05-21", M1),
            event("2026-05-25", "employment_ended", reason="resignation"),
            event("2026-06-01", "restarted", employer=employer),
            event("2026-06-02", "skills_test_passed"),
            event("2026-06-02", "plan_signed_off"),
            claim("2026-06-03", M2),
        ],
        changes,
    )


LEVY_START = {
    "employer.levy_payer": True,
    "employer.funding": "levy",
    "employer.levy_balance": "0.00",
}


@pytest.mark.parametrize(
    ("changes", "employer", "m2"),
    [
        (
            {},
            {"levy_payer": True, "levy_balance": "5000.00", "funding": "levy"},
            paid("2026-06-03", M2, "0.00", "1050.00"),
        ),
        (
            {},
            {"levy_payer": True, "levy_balance": "1000.00", "funding": "levy"},
            paid("2026-06-03", M2, "47.50", "1000.00", "2.50"),
        ),
        (
            {},
            {"levy_payer": True, "levy_balance": "0.00", "funding": "levy"},
            paid("2026-06-03", M2, "997.50", "0.00", "52.50"),
        ),
        (
            LEVY_START,
            {"levy_payer": False, "funding": "reservation"},
            paid("2026-06-03", M2, "1050.00"),
        ),
        (
            LEVY_START,
            {"levy_payer": False, "levy_balance": "5000.00", "funding": "reservation"},
            paid("2026-06-03", M2, "1050.00"),
        ),
    ],
    ids=[
        "to-levy-with-funds",
        "to-levy-partial",
        "to-levy-empty",
        "to-non-levy",
        "to-non-levy-balance-ignored",
    ],
)
def test_restart_with_a_new_employer_applies_its_levy_status_balance_and_route(
    changes: dict[str, Any], employer: dict[str, Any], m2: dict[str, str]
) -> None:
    result = _restart_with(employer, changes)
    assert [] == result["refused"]
    assert m2 == result["payments"][-1]


def test_restart_without_a_new_employer_keeps_the_old_one() -> None:
    result = run(
        [
            delivered("2026-05-20", 60),
            event("2026-05-25", "withdrawn"),
            event("2026-06-01", "restarted", provider_changed=True),
            claim("2026-06-03", M1),
        ],
        {**LEVY_START, "employer.levy_balance": "450.00"},
    )
    assert [paid("2026-06-03", M1, "0.00", "450.00")] == result["payments"]


def test_restart_with_a_new_transfer_employer_is_paid_from_the_transfer() -> None:
    employer = {
        "levy_payer": False,
        "funding": "transfer",
        "transfer": {
            "approved_on": "2026-04-01",
            "accepted_on": "2026-04-15",
            "sender_balance": None,
        },
    }
    result = _restart_with(employer)
    assert paid("2026-06-03", M2, "0.00", "1050.00") == result["payments"][-1]


def test_restart_with_an_employer_that_does_not_employ_the_learner_stops_funding() -> None:
    """21.3: a new employer must employ the learner (23)."""
    result = run(
        [
            delivered("2026-05-20", 18),
            event("2026-05-25", "employment_ended"),
            event("2026-06-01", "restarted", employer={"relationship": "none"}),
            claim("2026-06-02", M1),
        ]
    )
    assert [] == result["payments"]
    assert [refused("2026-06-02", M1, "21", "21.3")] == result["refused"]


# Status


def test_status_ineligible_whatever_happens() -> None:
    assert (
        "ineligible"
        == run([*FULL, claim("2026-07-22", M2)], {"learner.date_of_birth": "2010-01-01"})["status"]
    )


@pytest.mark.parametrize(
    ("events", "status"),
    [
        ([], "in_learning"),
        ([delivered("2026-05-20", 18), claim("2026-05-21", M1)], "in_learning"),
        ([*FULL, claim("2026-07-22", M2)], "completed"),
        ([*FULL, claim("2026-07-22", M2), event("2026-07-23", "withdrawn")], "completed"),
        ([*FULL, claim("2026-07-22", M2), event("2026-07-23", "employment_ended")], "completed"),
        ([event("2026-05-10", "withdrawn")], "withdrawn"),
        ([event("2026-05-10", "employment_ended"), event("2026-05-10", "withdrawn")], "withdrawn"),
        ([event("2026-05-10", "employment_ended")], "must_withdraw"),
        (
            [event("2026-05-10", "employment_ended"), event("2026-05-12", "restarted")],
            "in_learning",
        ),
        ([event("2026-05-10", "withdrawn"), event("2026-05-12", "restarted")], "in_learning"),
        ([event(DAY_AFTER_DEADLINE, "skills_test_passed")], "must_withdraw"),
        (
            [
                *FULL,
                claim("2026-07-22", M2),
                event("2026-08-01", "audit", evidenced_hours=59, successful_outcome=True),
            ],
            "in_learning",
        ),
        (
            [
                *FULL,
                claim("2026-07-22", M2),
                event(DAY_AFTER_DEADLINE, "audit", evidenced_hours=59, successful_outcome=True),
            ],
            "must_withdraw",
        ),
    ],
    ids=[
        "no-events",
        "milestone-1",
        "completed",
        "completed-then-withdrawn",
        "completed-then-left-job",
        "withdrawn",
        "withdrawn-and-left-job",
        "left-job",
        "left-job-restarted",
        "withdrawn-restarted",
        "after-deadline",
        "milestone-2-recovered",
        "milestone-2-recovered-after-deadline",
    ],
)
def test_status_values(events: list[dict[str, Any]], status: str) -> None:
    assert status == run(events)["status"]


# 128, 129, 130, 131: a restart agrees a new training plan; delivery, extension and the
# withdrawal deadline count from it, and it is held to 129's limits


AWAY = [
    delivered("2026-05-20", 18),
    claim("2026-05-21", M1),
    event("2026-06-01", "withdrawn"),
]
"""Milestone 1 paid, then a withdrawal; the original plan ends 2026-07-27 (deadline
2026-09-21)."""


def _finish(day: str, hours: float = 42) -> list[dict[str, Any]]:
    return [
        delivered(day, hours),
        event(day, "skills_test_passed"),
        event(day, "plan_signed_off"),
        claim(day, M2),
    ]


def test_a_learner_restarting_months_later_with_a_new_plan_completes() -> None:
    restart = event("2026-11-02", "restarted", planned_end_date="2027-01-25")
    result = run([*AWAY, restart, *_finish("2027-01-20")])
    assert [paid("2026-05-21", M1, "450.00"), paid("2027-01-20", M2, "1050.00")] == result[
        "payments"
    ]
    assert "completed" == result["status"]


def test_without_a_new_plan_the_time_away_counts_against_the_old_deadline() -> None:
    result = run([*AWAY, event("2026-11-02", "restarted"), *_finish("2027-01-20")])
    assert [paid("2026-05-21", M1, "450.00")] == result["payments"]
    assert "must_withdraw" == result["status"]


@pytest.mark.parametrize(
    ("end", "counted"), [("2027-02-22", True), ("2027-02-23", False)]
)  # 16 weeks after the restart on 2026-11-02 is 2027-02-22
def test_the_restart_plan_is_held_to_sixteen_weeks(end: str, counted: bool) -> None:
    restart = event("2026-11-02", "restarted", planned_end_date=end)
    result = run([*AWAY, restart, *_finish("2027-01-20")])
    if counted:
        assert paid("2027-01-20", M2, "1050.00") == result["payments"][-1]
    else:
        assert [refused("2027-01-20", M2, "63", "72.2", "129")] == result["refused"]


def test_the_restart_plans_hours_are_held_to_129_too() -> None:
    restart = event("2026-11-02", "restarted", planned_end_date="2027-01-25", planned_hours=141)
    result = run([*AWAY, restart, claim("2026-11-03", M2)])
    assert "129" in result["refused"][-1]["paragraphs"]


def test_extension_and_deadline_count_from_the_restart_plan() -> None:
    restart = event("2026-11-02", "restarted", planned_end_date="2027-01-04")
    allowed = run([*AWAY, restart, extended("2026-12-01", "2027-03-01"), *_finish("2027-02-26")])
    assert paid("2027-02-26", M2, "1050.00") == allowed["payments"][-1]  # 8 weeks later
    beyond = run([*AWAY, restart, extended("2026-12-01", "2027-03-02"), *_finish("2027-02-26")])
    assert [] == [p for p in beyond["payments"] if p["item"] == M2]
    # the restart plan's withdrawal deadline: 2027-01-04 + 8 weeks = 2027-03-01
    done = [delivered("2027-01-02", 42), event("2027-01-03", "skills_test_passed")]
    on_time = run(
        [*AWAY, restart, *done, event("2027-03-01", "plan_signed_off"), claim("2027-03-05", M2)]
    )
    assert paid("2027-03-05", M2, "1050.00") == on_time["payments"][-1]
    late = run(
        [*AWAY, restart, *done, event("2027-03-02", "plan_signed_off"), claim("2027-03-05", M2)]
    )
    assert [refused("2027-03-05", M2, "131")] == late["refused"]


def test_new_planned_hours_set_what_milestone_2_needs() -> None:
    restart = event("2026-11-02", "restarted", planned_end_date="2027-01-25", planned_hours=80)
    short = run([*AWAY, restart, *_finish("2027-01-20", 42)])  # 60 of 80
    assert "72.2" in short["refused"][-1]["paragraphs"]
    enough = run([*AWAY, restart, *_finish("2027-01-20", 62)])  # 80 of 80
    assert paid("2027-01-20", M2, "1050.00") == enough["payments"][-1]


def test_milestone_1_paid_before_a_restart_is_not_paid_again() -> None:
    restart = event("2026-11-02", "restarted", planned_end_date="2027-01-25")
    result = run([*AWAY, restart, delivered("2026-11-10", 18), claim("2026-11-11", M1)])
    assert [refused("2026-11-11", M1, "91")] == result["refused"]


# 85, 86.2, 88, 111, 115, 116: a restart's new reservation or transfer meets the same windows
# against the restart date (2026-06-01) as a first start does


@pytest.mark.parametrize(
    ("reservation", "funded"),
    [
        ({"made_on": "2026-05-20", "start_date": "2026-04-01"}, True),  # April serves Apr-Jun
        ({"made_on": "2026-03-20", "start_date": "2026-03-01"}, False),  # March expired in May
        ({"made_on": "2026-06-30", "start_date": "2026-06-01"}, True),  # same calendar month
        ({"made_on": "2026-07-01", "start_date": "2026-06-01"}, False),  # made after the month
    ],
    ids=["in-window", "expired", "made-in-the-month", "backdated"],
)
def test_a_restart_funded_by_a_reservation_meets_its_windows(
    reservation: dict[str, Any], funded: bool
) -> None:
    employer = {"levy_payer": False, "funding": "reservation", "reservation": reservation}
    result = _restart_with(employer)
    if funded:
        assert paid("2026-06-03", M2, "1050.00") == result["payments"][-1]
    else:
        assert [refused("2026-06-03", M2, "21", "21.3")] == result["refused"]


@pytest.mark.parametrize(
    ("approved", "accepted", "funded"),
    [
        ("2026-04-01", "2026-04-15", True),
        ("2026-05-01", "2026-06-01", False),  # accepted on the restart date, not before (111)
        ("2026-03-01", "2026-04-15", False),  # accepted 45 days after approval (115)
        ("2026-02-20", "2026-02-27", False),  # accepted more than 3 months before (116)
    ],
    ids=["in-window", "accepted-on-the-day", "accepted-late", "used-late"],
)
def test_a_restart_funded_by_a_transfer_meets_its_windows(
    approved: str, accepted: str, funded: bool
) -> None:
    employer = {
        "levy_payer": False,
        "funding": "transfer",
        "transfer": {"approved_on": approved, "accepted_on": accepted},
    }
    result = _restart_with(employer)
    if funded:
        assert paid("2026-06-03", M2, "0.00", "1050.00") == result["payments"][-1]
    else:
        assert [refused("2026-06-03", M2, "21", "21.3")] == result["refused"]
