"""Hand-built edges of the lifecycle: each milestone at exactly its share of hours and 0.01
hours short (72.1, 72.2), a recovered milestone claimed again (91, 54.1), the withdrawal
deadline (131), the extension limit (130), the last KIT and SPLIT days (132 to 134), learning
support claimed twice (35.1), when hours count (50.1, 50.3, 55, 137), audits (54.1, 54.2),
an employer that becomes a levy payer (95, 94.1) and restarts (128, 21.3).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from aurules.edges.parts import (
    DAY,
    END,
    HOUR,
    PLANNED,
    RATE,
    START,
    Edge,
    claim_edge,
    completed,
    fraction,
    half_up,
    hours_reaching,
    hours_value,
    iso,
    pounds,
    scenario_with,
)
from aurules.model.glue import DAYS_PER_WEEK
from aurules.model.ruleset import Ruleset


def _lifecycle_edges(p: Ruleset) -> Iterator[Edge]:
    start = START
    end = END
    planned = PLANNED
    need = hours_reaching(p.milestones.milestone_1_hours_share, planned)
    day = start + 7 * DAY
    events: list[dict[str, Any]]
    for hours, ok in ((need, True), (need - 1, False)):
        events = [
            {"date": iso(day), "type": "delivered", "hours": hours_value(hours)},
            {"date": iso(day), "type": "claim", "item": "milestone_1"},
        ]
        yield claim_edge(
            ("72.1",),
            (
                f"Milestone 1 claimed after {hours_value(hours)} "
                f"of {hours_value(planned)} planned hours "
                f"({'exactly' if ok else '0.01 hours short of'} the share that earns it)."
            ),
            events,
            "milestone_1",
            paid=ok,
            refused_by="72.1",
        )

    every = hours_reaching(p.milestones.milestone_2_hours_share, planned)
    for hours, ok in ((every, True), (every - 1, False)):
        events = [
            *completed(day, day, hours),
            {"date": iso(day), "type": "claim", "item": "milestone_2"},
        ]
        yield claim_edge(
            ("72.2",),
            (
                f"Milestone 2 claimed after {hours_value(hours)} "
                f"of {hours_value(planned)} planned hours, "
                f"the skills test passed and the plan signed off "
                f"({'exactly' if ok else '0.01 hours short of'} the share that earns it; "
                f"{'so' if ok else 'so the learning is not complete and'} the sign-off "
                f"{'counts' if ok else 'does not count either (63)'})."
            ),
            events,
            "milestone_2",
            paid=ok,
            refused_by=("63", "72.2"),
        )

    for tested, ok in ((True, True), (False, False)):
        events = [
            {"date": iso(day), "type": "delivered", "hours": hours_value(planned)},
            *([{"date": iso(day + DAY), "type": "skills_test_passed"}] if tested else []),
            {"date": iso(day + DAY), "type": "plan_signed_off"},
            {"date": iso(day + DAY), "type": "claim", "item": "milestone_2"},
        ]
        yield claim_edge(
            ("61",),
            (
                f"All {hours_value(planned)} planned hours delivered and the plan signed off by "
                f"all three, the skills test {'passed' if ok else 'not passed'}: milestone 2 "
                f"{'is paid' if ok else 'is refused, and the sign-off does not count (63)'}."
            ),
            events,
            "milestone_2",
            paid=ok,
            refused_by=("61", "63"),
        )

    reclaimable = p.interpretations.recovered_milestone_reclaimable
    events = [
        {"date": iso(day), "type": "delivered", "hours": hours_value(need)},
        {"date": iso(day), "type": "claim", "item": "milestone_1"},
        {"date": iso(day + DAY), "type": "audit", "evidenced_hours": hours_value(need - 1)},
        {"date": iso(day + 2 * DAY), "type": "claim", "item": "milestone_1"},
    ]
    yield Edge(
        paragraphs=("91", "54.1"),
        description=(
            "Milestone 1 paid, recovered by an audit that finds 0.01 hours too few, then claimed "
            f"again: {'paid again' if reclaimable else 'refused, as a milestone is paid once'} "
            f"(recovered_milestone_reclaimable = {str(reclaimable).lower()})."
        ),
        scenario=scenario_with(events=events),
        paid=("milestone_1", "milestone_1", "milestone_1")
        if reclaimable
        else ("milestone_1", "milestone_1"),
        refused=() if reclaimable else (("milestone_1", ("91",)),),
    )

    deadline = end + p.duration.withdraw_after_weeks * DAYS_PER_WEEK * DAY
    for reached, ok in ((deadline, True), (deadline + DAY, False)):
        events = [
            *completed(start + 7 * DAY, reached, planned),
            {"date": iso(deadline + DAY), "type": "claim", "item": "milestone_2"},
        ]
        yield claim_edge(
            ("131",),
            (
                f"Milestone 2 reached (the plan signed off after the learning is complete) on "
                f"{reached:%d %B %Y}, {'the day of' if ok else 'the day after'} the withdrawal "
                f"deadline (the planned end plus {p.duration.withdraw_after_weeks} weeks), and "
                f"claimed the day after the deadline: "
                f"{'paid, as it was reached in time' if ok else 'refused, as it was reached late'}."
            ),
            events,
            "milestone_2",
            paid=ok,
            refused_by="131",
        )

    paid_late = p.interpretations.claims_after_withdrawal_deadline == "paid_if_earned_before"
    need = hours_reaching(p.milestones.milestone_1_hours_share, planned)
    events = [
        {"date": iso(start + 7 * DAY), "type": "delivered", "hours": hours_value(need)},
        {"date": iso(deadline + DAY), "type": "claim", "item": "milestone_1"},
    ]
    yield claim_edge(
        ("131", "125"),
        (
            f"Milestone 1 earned ({hours_value(need)} hours) well before the withdrawal deadline, "
            f"claimed the day after it without milestone 2: "
            + (
                "paid, as it was earned before the deadline"
                if paid_late
                else "refused, as nothing is paid after the deadline"
            )
            + f" (claims_after_withdrawal_deadline = "
            f"{p.interpretations.claims_after_withdrawal_deadline})."
        ),
        events,
        "milestone_1",
        paid=paid_late,
        refused_by="131",
    )

    limit = end + p.duration.max_extension_weeks * DAYS_PER_WEEK * DAY
    for to, ok in ((limit, True), (limit + DAY, False)):
        late = min(limit, deadline)  # training after the original end, counted only if extended
        events = [
            {"date": iso(start + 7 * DAY), "type": "extended", "to": iso(to)},
            *completed(late, late, planned),
            {"date": iso(late), "type": "claim", "item": "milestone_2"},
        ]
        yield claim_edge(
            ("130",),
            (
                f"The end extended to {to:%d %B %Y}, {'exactly' if ok else 'a day beyond'} "
                f"{p.duration.max_extension_weeks} weeks after the planned end: "
                f"{'accepted, so' if ok else 'refused, so none of'} the hours delivered on "
                f"{late:%d %B %Y} {'count' if ok else 'counts'} for milestone 2 (and the "
                f"sign-off {'counts' if ok else 'does not, as the learning is not complete'})."
            ),
            events,
            "milestone_2",
            paid=ok,
            refused_by=("63", "72.2"),
        )

    leave = start + 2 * DAY
    allowances = (
        ("maternity", "KIT", p.parental_leave.kit_days, ("132", "133")),
        ("shared_parental", "SPLIT", p.parental_leave.split_days, ("134",)),
    )
    for kind, name, allowance, paragraphs in allowances:
        # hundredths of an hour on each day: the roundest that leaves room for one day more
        per_day = next((h for h in (HOUR, 50, 25, 10, 5, 1) if (allowance + 1) * h <= need), 0)
        for extra, ok in ((0, True), (1, False)):
            before = need - (allowance + extra) * per_day  # hours before the leave
            if per_day < 1 or before < 0:
                break
            events = [
                {"date": iso(start + DAY), "type": "delivered", "hours": hours_value(before)},
                {"date": iso(leave), "type": "leave_started", "kind": kind},
            ]
            events += [
                {
                    "date": iso(leave + (i + 1) * DAY),
                    "type": "delivered",
                    "hours": hours_value(per_day),
                    "kit_day": True,
                }
                for i in range(allowance + extra)
            ]
            back = leave + (allowance + extra + 1) * DAY
            events += [
                {"date": iso(back), "type": "leave_ended"},
                {"date": iso(back), "type": "claim", "item": "milestone_1"},
            ]
            yield claim_edge(
                paragraphs,
                (
                    f"{allowance + extra} {name} days of {hours_value(per_day)} "
                    f"hour{'' if per_day == HOUR else 's'} in "
                    f"{kind.replace('_', ' ')} leave: "
                    f"{'all count' if ok else f'only {allowance} count'}, so milestone 1's share "
                    f"of hours is {'reached' if ok else 'not reached'} by "
                    f"{hours_value(need)} hours."
                ),
                events,
                "milestone_1",
                paid=ok,
                refused_by="72.1",
            )

    events = [
        {"date": iso(start + 7 * DAY), "type": "delivered", "hours": hours_value(need)},
        {"date": iso(start + 7 * DAY), "type": "claim", "item": "milestone_1"},
        {
            "date": iso(start + 8 * DAY),
            "type": "claim",
            "item": "learning_support",
            "cost": "90.00",
        },
        {
            "date": iso(start + 9 * DAY),
            "type": "claim",
            "item": "learning_support",
            "cost": "90.00",
        },
    ]
    yield Edge(
        paragraphs=("35.1",),
        description=(
            "Learning support claimed twice for a learner with a learning difficulty: paid once, "
            "the second claim refused."
        ),
        scenario=scenario_with(learner={"learning_difficulty_or_disability": True}, events=events),
        paid=("milestone_1", "learning_support"),
        refused=(("learning_support", ("35.1",)),),
    )


def _timing_edges(p: Ruleset) -> Iterator[Edge]:
    """When delivered hours count: not before the learning start (50.1), before the training
    plan is signed only once it is signed by the claim (55), and during maternity leave only on
    a KIT day (137); and
    who may claim after a restart: a new employer that makes the learner ineligible stops
    every claim (21.3)."""
    start = START
    planned = PLANNED
    need = hours_reaching(p.milestones.milestone_1_hours_share, planned)
    claim_day = start + 14 * DAY
    claim: dict[str, Any] = {"date": iso(claim_day), "type": "claim", "item": "milestone_1"}
    events: list[dict[str, Any]]
    for day, ok in ((start, True), (start - DAY, False)):
        events = [{"date": iso(day), "type": "delivered", "hours": hours_value(need)}, claim]
        yield claim_edge(
            ("50.1",),
            (
                f"{hours_value(need)} hours delivered on {day:%d %B %Y}, "
                f"{'the learning start date' if ok else 'the day before the learning start'}: "
                f"they {'count' if ok else 'do not count'} towards milestone 1."
            ),
            events,
            "milestone_1",
            paid=ok,
            refused_by="72.1",
        )
    signed = start + 7 * DAY
    for claimed, ok in ((signed, True), (signed - DAY, False)):
        events = [
            {"date": iso(signed - 2 * DAY), "type": "delivered", "hours": hours_value(need)},
            {"date": iso(claimed), "type": "claim", "item": "milestone_1"},
        ]
        verdict = (
            "paid, as the signed plan is in place by the claim"
            if ok
            else "refused, as the signed plan is not yet in place"
        )
        yield Edge(
            paragraphs=("55",),
            description=(
                f"The training plan signed on {signed:%d %B %Y}, {hours_value(need)} hours "
                f"delivered two days before (they count once it is signed) and milestone 1 "
                f"claimed {'that day' if ok else 'the day before'}: {verdict}."
            ),
            scenario=scenario_with(plan={"training_plan_signed_on": iso(signed)}, events=events),
            paid=("milestone_1",) if ok else (),
            refused=() if ok else (("milestone_1", ("55",)),),
        )
    leave = start + DAY
    for kit, ok in ((True, True), (False, False)):
        events = [
            {"date": iso(start), "type": "delivered", "hours": hours_value(need - HOUR)},
            {"date": iso(leave), "type": "leave_started", "kind": "maternity"},
            {"date": iso(leave + DAY), "type": "delivered", "hours": 1, "kit_day": kit},
            {"date": iso(leave + 2 * DAY), "type": "leave_ended"},
            claim,
        ]
        yield claim_edge(
            ("137",),
            (
                f"One hour delivered during maternity leave on {'a KIT day' if kit else 'a day '}"
                f"{'' if kit else 'that is not a KIT day'}: it "
                f"{'counts' if ok else 'does not count'}"
                f", so milestone 1's {hours_value(need)} hours are {'' if ok else 'not '}reached."
            ),
            events,
            "milestone_1",
            paid=ok,
            refused_by="72.1",
        )
    for relationship, ok in (("direct", True), ("none", False)):
        events = [
            {"date": iso(start), "type": "delivered", "hours": hours_value(need)},
            {"date": iso(start + DAY), "type": "employment_ended", "reason": "redundancy"},
            {
                "date": iso(start + 7 * DAY),
                "type": "restarted",
                "employer": {"relationship": relationship, "funding": "reservation"},
            },
            claim,
        ]
        yield claim_edge(
            ("21.3",),
            (
                f"Re-employed after redundancy by an employer whose relationship to the learner is "
                f"'{relationship}': the learner is {'still' if ok else 'no longer'} eligible, so "
                f"milestone 1 is {'paid' if ok else 'refused'}."
            ),
            events,
            "milestone_1",
            paid=ok,
            refused_by=("21", "21.3"),
        )


def _evidence_edges(p: Ruleset) -> Iterator[Edge]:
    """Recordings count up to their share of planned hours (50.3); an audit recovers
    milestone 1 when the evidence falls short of its share of hours (54.1)."""
    start = START
    planned = PLANNED
    need = hours_reaching(p.milestones.milestone_1_hours_share, planned)
    exact_room = fraction(p.hours.max_recorded_share) * planned  # hundredths that may be
    room = exact_room.numerator // exact_room.denominator  # recorded, rounded down
    day = start + 7 * DAY
    if room + HOUR <= need:
        for recorded, ok in ((room, True), (room + HOUR, False)):
            events: list[dict[str, Any]] = [
                {
                    "date": iso(day),
                    "type": "delivered",
                    "hours": hours_value(need),
                    "recorded_hours": hours_value(recorded),
                },
                {"date": iso(day), "type": "claim", "item": "milestone_1"},
            ]
            yield claim_edge(
                ("50.3",),
                (
                    f"{hours_value(need)} hours delivered, {hours_value(recorded)} "
                    f"of them by recording: "
                    f"{'all count' if ok else f'only {hours_value(room)} recorded hours count'} "
                    f"(the share of planned hours that may be recorded), so milestone 1 is "
                    f"{'paid' if ok else 'refused'}."
                ),
                events,
                "milestone_1",
                paid=ok,
                refused_by="72.1",
            )
    m1 = half_up(RATE * fraction(p.milestones.milestone_1_share))
    for evidenced, ok in ((need, True), (need - 1, False)):
        events = [
            {"date": iso(day), "type": "delivered", "hours": hours_value(need)},
            {"date": iso(day), "type": "claim", "item": "milestone_1"},
            {"date": iso(day + DAY), "type": "audit", "evidenced_hours": hours_value(evidenced)},
        ]
        payments = [("milestone_1", pounds(m1), "0.00", "0.00")]
        if not ok:
            payments.append(("milestone_1", "-" + pounds(m1), "0.00", "0.00"))
        verdict = (
            "enough, so nothing is recovered" if ok else "short of its share, so it is recovered"
        )
        yield Edge(
            paragraphs=("54.1",),
            description=(
                f"An audit finds evidence of {hours_value(evidenced)} "
                f"hours after milestone 1 was paid: "
                f"{verdict}."
            ),
            scenario=scenario_with(events=events),
            amounts=tuple(payments),
        )


def _change_edges(p: Ruleset) -> Iterator[Edge]:
    """Changes during the unit: an employer that becomes a levy payer pays later milestones
    from its funds, with government paying the rest in full as the start was not a levy
    payer's (95, 94.1); a milestone 2 audit without a successful outcome recovers it (54.2);
    after a restart with a new employer milestone 1 is not paid again, and the hours already
    delivered count towards milestone 2 (128, 91)."""
    if p.interpretations.coinvestment_split != "account_then_95_5":
        return
    start = START
    planned = PLANNED
    rate = RATE
    first = fraction(p.milestones.milestone_1_share)
    m1 = half_up(rate * first)
    need = hours_reaching(p.milestones.milestone_1_hours_share, planned)
    day = start + 7 * DAY
    for funds in (2 * m1, m1 // 3):
        events = [
            {"date": iso(start + DAY), "type": "levy_status_changed", "levy_payer": True},
            {
                "date": iso(start + DAY),
                "type": "levy_balance_changed",
                "levy_balance": pounds(funds),
            },
            {"date": iso(day), "type": "delivered", "hours": hours_value(need)},
            {"date": iso(day), "type": "claim", "item": "milestone_1"},
        ]
        account = min(funds, m1)
        paid = (
            f"milestone 1 (£{pounds(m1)}) comes from the account"
            if account == m1
            else f"milestone 1 takes £{pounds(account)} from the account and government pays "
            f"the rest (£{pounds(m1 - account)}) in full, the change not being backdated"
        )
        yield Edge(
            paragraphs=("95", "94.1"),
            description=(
                f"A non-levy start whose employer becomes a levy payer with £{pounds(funds)}: "
                f"{paid}."
            ),
            scenario=scenario_with(events=events),
            amounts=(("milestone_1", pounds(m1 - account), pounds(account), "0.00"),),
        )
    if p.interpretations.milestone_rounding == "cumulative_half_up":
        m2 = half_up(rate * (first + fraction(p.milestones.milestone_2_share))) - m1
        for successful in (True, False):
            events = [
                *completed(day, day, planned),
                {"date": iso(day), "type": "claim", "item": "milestone_2"},
                {
                    "date": iso(day + DAY),
                    "type": "audit",
                    "evidenced_hours": hours_value(planned),
                    "successful_outcome": successful,
                },
            ]
            payments = [("milestone_2", pounds(m2), "0.00", "0.00")]
            if not successful:
                payments.append(("milestone_2", "-" + pounds(m2), "0.00", "0.00"))
            yield Edge(
                paragraphs=("54.2",),
                description=(
                    f"An audit after milestone 2 (£{pounds(m2)}) finds every hour evidenced "
                    f"{'with' if successful else 'but no'} successful outcome: "
                    f"{'nothing is recovered' if successful else 'milestone 2 is recovered'}."
                ),
                scenario=scenario_with(events=events),
                amounts=tuple(payments),
            )
    later = day + 14 * DAY
    events = [
        {"date": iso(day), "type": "delivered", "hours": hours_value(need)},
        {"date": iso(day), "type": "claim", "item": "milestone_1"},
        {"date": iso(day + DAY), "type": "employment_ended", "reason": "redundancy"},
        {
            "date": iso(later),
            "type": "restarted",
            "employer": {"relationship": "direct", "funding": "reservation"},
        },
        {"date": iso(later), "type": "claim", "item": "milestone_1"},
        *completed(later + DAY, later + DAY, planned - need),
        {"date": iso(later + DAY), "type": "claim", "item": "milestone_2"},
    ]
    yield Edge(
        paragraphs=("128", "91"),
        description=(
            "Re-employed by a new employer after redundancy: milestone 1, paid before, is refused "
            f"when claimed again; the {hours_value(need)} hours already delivered and "
            f"{hours_value(planned - need)} more complete the unit and milestone 2 is paid."
        ),
        scenario=scenario_with(events=events),
        paid=("milestone_1", "milestone_2"),
        refused=(("milestone_1", ("91",)),),
    )


LIFECYCLE_EDGES = (_lifecycle_edges, _timing_edges, _evidence_edges, _change_edges)
