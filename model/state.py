"""The lifecycle's state and events as integer facts (the prologue of the transition system).

A `State` holds everything the rules need to decide the next event: the learner's plan,
delivered hours, leave, signatures, what has been claimed and paid, and the employer's
funds. An `EventFacts` is one scenario event flattened to integers and booleans. Like
`Facts`, both are generic in their values: plain ints and bools for the simulator, Z3 terms
for the symbolic transition relation. Money is pence, hours hundredths, dates day numbers.
"""

from __future__ import annotations

import typing
from typing import Any

import attrs

from aurules.model.calendar import day_number
from aurules.model.facts import (
    ARRANGEMENT,
    FUNDING,
    RELATIONSHIP,
    Codes,
    Facts,
    arrangement_facts,
    fact,
)
from aurules.model.scenario import (
    Audit,
    Claim,
    ClaimItem,
    Delivered,
    EmploymentEnded,
    Event,
    Extended,
    LeaveEnded,
    LeaveKind,
    LeaveStarted,
    LevyBalanceChanged,
    LevyStatusChanged,
    PlanSignedOff,
    Restarted,
    SkillsTestPassed,
    Withdrawn,
)
from aurules.model.values import Backend

EVENT_KINDS = Codes(
    (
        "delivered",
        "claim",
        "skills_test_passed",
        "plan_signed_off",
        "extended",
        "leave_started",
        "leave_ended",
        "employment_ended",
        "withdrawn",
        "restarted",
        "levy_status_changed",
        "levy_balance_changed",
        "audit",
    )
)
CLAIM_ITEMS: tuple[str, ...] = typing.get_args(ClaimItem)
"""Every item a claim may name (milestone 1, milestone 2, learning support)."""
ITEMS = Codes(("none", *CLAIM_ITEMS))
LEAVE = Codes(("none", *typing.get_args(LeaveKind)))


def _f(path: str, kind: str, doc: str, codes: Codes | None = None) -> Any:
    return fact(path, kind, "", doc, codes)


@attrs.frozen(kw_only=True)
class State:
    """One learner's unit between two events."""

    eligible: Any = _f("eligible", "bool", "Every start-of-unit rule passed.")
    start_day: Any = _f("start_day", "int", "Learning start date.")
    original_end_day: Any = _f("original_end_day", "int", "Planned end date at the start.")
    planned_end_day: Any = _f("planned_end_day", "int", "Planned end date, as extended.")
    planned_hours: Any = _f("planned_hours", "int", "Planned delivery hours (hundredths).")
    cap: Any = _f("cap", "int", "min(price, funding rate) in pence (72, 89).")
    excess: Any = _f("excess", "int", "Price above the funding rate in pence (93.1).")
    plan_signed_day: Any = _f("plan_signed_day", "int", "Training plan signed (55).")
    ldd: Any = _f("ldd", "bool", "Learning difficulty or disability (31).")
    delivered: Any = _f("delivered", "int", "Counted delivery hours (hundredths).")
    recorded: Any = _f("recorded", "int", "Counted hours caught up by recording (50.3).")
    last_counted_day: Any = _f("last_counted_day", "int", "Last day with counted delivery.")
    leave_at_last_count: Any = _f(
        "leave_at_last_count", "int", "Days of qualifying leave up to the last counted delivery."
    )
    employed: Any = _f("employed", "bool", "Employment continues (127).")
    withdrawn: Any = _f("withdrawn", "bool", "Withdrawn and not restarted (125).")
    leave: Any = _f("leave", "int", "Current leave kind.", LEAVE)
    leave_start_day: Any = _f("leave_start_day", "int", "When the current leave began.")
    leave_days: Any = _f(
        "leave_days", "int", "Days of finished maternity, adoption or shared parental leave."
    )
    kit_used: Any = _f("kit_used", "int", "KIT days used for training (132, 133).")
    split_used: Any = _f("split_used", "int", "SPLIT days used for training (134).")
    last_kit_day: Any = _f("last_kit_day", "int", "Last KIT/SPLIT day used (one per date).")
    skills_passed: Any = _f("skills_passed", "bool", "Skills test passed (61).")
    signed_provider: Any = _f("signed_provider", "bool", "Provider signed off (63.1).")
    signed_learner: Any = _f("signed_learner", "bool", "Learner signed off (63.2).")
    signed_employer: Any = _f("signed_employer", "bool", "Employer signed off (63.3).")
    m2_reached_late: Any = _f(
        "m2_reached_late",
        "bool",
        "Milestone 2 was reached (the last sign-off) after the withdrawal deadline (131).",
    )
    m1_claimed: Any = _f("m1_claimed", "bool", "Milestone 1 paid at some point (91).")
    m2_claimed: Any = _f("m2_claimed", "bool", "Milestone 2 paid at some point (91).")
    ls_claimed: Any = _f("ls_claimed", "bool", "Learning support paid (35.1).")
    m1_times: Any = _f("m1_times", "int", "Times milestone 1 was paid.")
    m2_times: Any = _f("m2_times", "int", "Times milestone 2 was paid.")
    ls_times: Any = _f("ls_times", "int", "Times learning support was paid.")
    m1_held: Any = _f("m1_held", "bool", "Milestone 1 paid and not recovered.")
    m2_held: Any = _f("m2_held", "bool", "Milestone 2 paid and not recovered.")
    m1_government: Any = _f("m1_government", "int", "Government part of milestone 1.")
    m1_account: Any = _f("m1_account", "int", "Account part of milestone 1.")
    m1_direct: Any = _f("m1_direct", "int", "Employer co-investment in milestone 1.")
    m2_government: Any = _f("m2_government", "int", "Government part of milestone 2.")
    m2_account: Any = _f("m2_account", "int", "Account part of milestone 2.")
    m2_direct: Any = _f("m2_direct", "int", "Employer co-investment in milestone 2.")
    m1_from_sender: Any = _f("m1_from_sender", "int", "Of m1's account part, from the sender.")
    m2_from_sender: Any = _f("m2_from_sender", "int", "Of m2's account part, from the sender.")
    start_levy: Any = _f("start_levy", "bool", "Levy payer at the start (94.1).")
    levy_payer: Any = _f("levy_payer", "bool", "Levy payer now (95).")
    balance: Any = _f("balance", "int", "Funds in the employer's account (pence).")
    funding: Any = _f("funding", "int", "Funding route.", FUNDING)
    relationship: Any = _f("relationship", "int", "Employer relationship (23).", RELATIONSHIP)
    sender_balance: Any = _f("sender_balance", "int", "Transfer sender's funds (pence).")
    sender_unlimited: Any = _f("sender_unlimited", "bool", "Sender's funds not limited.")
    total_government: Any = _f("total_government", "int", "Paid by government (pence).")
    total_account: Any = _f("total_account", "int", "Taken from accounts (pence).")
    total_direct: Any = _f("total_direct", "int", "Employer co-investment (pence).")
    total_above_rate: Any = _f("total_above_rate", "int", "Employer above the rate (pence).")
    learner_paid: Any = _f("learner_paid", "int", "Asked of the learner (pence, 96).")
    last_day: Any = _f("last_day", "int", "Date of the latest event.")
    restarts: Any = _f("restarts", "int", "Number of restarts.")
    plan_valid: Any = _f(
        "plan_valid", "bool", "The latest restart's training plan is within 129's limits."
    )
    paid_while_stopped: Any = _f(
        "paid_while_stopped", "bool", "A payment was made while withdrawn or out of employment."
    )


@attrs.frozen(kw_only=True)
class EventFacts:
    """One event as integers and booleans (fields a kind does not use are 0 or false)."""

    kind: Any = _f("event.kind", "int", "Event type.", EVENT_KINDS)
    day: Any = _f("event.day", "int", "Event date.")
    hours: Any = _f("event.hours", "int", "Hours delivered (hundredths).")
    recorded: Any = _f("event.recorded", "int", "Of which by recording (hundredths).")
    kit_day: Any = _f("event.kit_day", "bool", "On a KIT/SPLIT day.")
    item: Any = _f("event.item", "int", "Claimed item.", ITEMS)
    cost: Any = _f("event.cost", "int", "Cost of adjustments (pence).")
    has_cost: Any = _f("event.has_cost", "bool", "A cost was given.")
    authorised: Any = _f(
        "event.authorised", "bool", "Learning support above the amount authorised (35.3)."
    )
    by_provider: Any = _f("event.by_provider", "bool", "Signed by the provider.")
    by_learner: Any = _f("event.by_learner", "bool", "Signed by the learner.")
    by_employer: Any = _f("event.by_employer", "bool", "Signed by the employer.")
    to_day: Any = _f("event.to_day", "int", "New planned end date.")
    leave_kind: Any = _f("event.leave_kind", "int", "Kind of leave.", LEAVE)
    levy_payer: Any = _f("event.levy_payer", "bool", "New levy status.")
    levy_balance: Any = _f("event.levy_balance", "int", "New balance (pence).")
    evidenced: Any = _f("event.evidenced", "int", "Evidenced hours (hundredths).")
    successful: Any = _f("event.successful", "bool", "Successful outcome evidenced.")
    new_employer: Any = _f("event.new_employer", "bool", "A restart names a new employer.")
    new_levy_payer: Any = _f("event.new_levy_payer", "bool", "New employer pays the levy.")
    new_balance: Any = _f("event.new_balance", "int", "New employer's balance (pence).")
    new_funding: Any = _f("event.new_funding", "int", "New employer's route.", FUNDING)
    new_relationship: Any = _f(
        "event.new_relationship", "int", "New employer relationship.", RELATIONSHIP
    )
    new_has_sender_balance: Any = _f(
        "event.new_has_sender_balance",
        "bool",
        "New employer's transfer sender's funds are limited.",
    )
    new_sender_balance: Any = _f(
        "event.new_sender_balance", "int", "New employer's transfer sender's funds (pence)."
    )
    new_start_month: Any = _f(
        "event.new_start_month", "int", "The new employer's start month at the restart."
    )
    new_has_reservation_made_on: Any = _f(
        "event.new_has_reservation_made_on",
        "bool",
        "The new employer's has reservation made on at the restart.",
    )
    new_reservation_made_month: Any = _f(
        "event.new_reservation_made_month",
        "int",
        "The new employer's reservation made month at the restart.",
    )
    new_reservation_start_month: Any = _f(
        "event.new_reservation_start_month",
        "int",
        "The new employer's reservation start month at the restart.",
    )
    new_reservation_start_day: Any = _f(
        "event.new_reservation_start_day",
        "int",
        "The new employer's reservation start day at the restart.",
    )
    new_reservation_months_to_start: Any = _f(
        "event.new_reservation_months_to_start",
        "int",
        "The new employer's reservation months to start at the restart.",
    )
    new_has_transfer_approved: Any = _f(
        "event.new_has_transfer_approved",
        "bool",
        "The new employer's has transfer approved at the restart.",
    )
    new_transfer_approved_day: Any = _f(
        "event.new_transfer_approved_day",
        "int",
        "The new employer's transfer approved day at the restart.",
    )
    new_has_transfer_accepted: Any = _f(
        "event.new_has_transfer_accepted",
        "bool",
        "The new employer's has transfer accepted at the restart.",
    )
    new_transfer_accepted_day: Any = _f(
        "event.new_transfer_accepted_day",
        "int",
        "The new employer's transfer accepted day at the restart.",
    )
    new_transfer_months_to_start: Any = _f(
        "event.new_transfer_months_to_start",
        "int",
        "The new employer's transfer months to start at the restart.",
    )
    new_plan: Any = _f("event.new_plan", "bool", "A restart agrees a new planned end date.")
    new_end_day: Any = _f("event.new_end_day", "int", "The restart plan's planned end date.")
    has_new_hours: Any = _f("event.has_new_hours", "bool", "A restart sets new planned hours.")
    new_planned_hours: Any = _f(
        "event.new_planned_hours", "int", "The restart plan's planned hours (hundredths)."
    )


STATE_FIELDS = attrs.fields(State)
EVENT_FIELDS = attrs.fields(EventFacts)


def initial_state(facts: Facts, eligible: Any, b: Backend) -> State:
    """The state on the start date, from the start facts (any backend)."""
    cap = b.min_(facts.price, facts.funding_rate)
    return State(
        eligible=eligible,
        start_day=facts.start_day,
        original_end_day=facts.planned_end_day,
        planned_end_day=facts.planned_end_day,
        planned_hours=facts.planned_hours,
        cap=cap,
        excess=b.max_(facts.price - cap, 0),
        plan_signed_day=b.ite(facts.has_plan_signed_on, facts.plan_signed_day, facts.start_day),
        ldd=facts.ldd,
        delivered=0,
        recorded=0,
        last_counted_day=facts.start_day,
        leave_at_last_count=0,
        employed=True,
        withdrawn=False,
        leave=LEAVE["none"],
        leave_start_day=0,
        leave_days=0,
        kit_used=0,
        split_used=0,
        last_kit_day=0,
        skills_passed=False,
        signed_provider=False,
        signed_learner=False,
        signed_employer=False,
        m2_reached_late=False,
        m1_claimed=False,
        m2_claimed=False,
        ls_claimed=False,
        m1_times=0,
        m2_times=0,
        ls_times=0,
        m1_held=False,
        m2_held=False,
        m1_government=0,
        m1_account=0,
        m1_direct=0,
        m2_government=0,
        m2_account=0,
        m2_direct=0,
        m1_from_sender=0,
        m2_from_sender=0,
        start_levy=facts.levy_payer,
        levy_payer=facts.levy_payer,
        balance=facts.levy_balance,
        funding=facts.funding,
        relationship=facts.relationship,
        sender_balance=facts.sender_balance,
        sender_unlimited=b.not_(facts.has_sender_balance),
        total_government=0,
        total_account=0,
        total_direct=0,
        total_above_rate=0,
        learner_paid=facts.learner_contribution,
        last_day=facts.start_day,
        restarts=0,
        plan_valid=True,
        paid_while_stopped=False,
    )


_NO_EVENT = {f.name: False if f.metadata["kind"] == "bool" else 0 for f in EVENT_FIELDS}
"""Every event field at its "not used" value: 0, or false for a flag."""


def event_facts(event: Event) -> EventFacts:
    """A parsed scenario event as integer facts (concrete)."""
    values: dict[str, Any] = dict(_NO_EVENT)
    values["kind"] = EVENT_KINDS[event.type]
    values["day"] = day_number(event.date)
    if isinstance(event, Delivered):
        values.update(hours=event.hours, recorded=event.recorded_hours, kit_day=event.kit_day)
    elif isinstance(event, Claim):
        values.update(
            item=ITEMS[event.item],
            has_cost=event.cost is not None,
            cost=event.cost.pence if event.cost is not None else 0,
            authorised=event.authorised,
        )
    elif isinstance(event, PlanSignedOff):
        values.update(
            by_provider="provider" in event.by,
            by_learner="learner" in event.by,
            by_employer="employer" in event.by,
        )
    elif isinstance(event, Extended):
        values.update(to_day=day_number(event.to))
    elif isinstance(event, LeaveStarted):
        values.update(leave_kind=LEAVE[event.kind])
    elif isinstance(event, LevyStatusChanged):
        values.update(levy_payer=event.levy_payer)
    elif isinstance(event, LevyBalanceChanged):
        values.update(levy_balance=event.levy_balance.pence)
    elif isinstance(event, Audit):
        values.update(evidenced=event.evidenced_hours, successful=event.successful_outcome)
    elif isinstance(event, Restarted):
        if event.planned_end_date is not None:
            values.update(new_plan=True, new_end_day=day_number(event.planned_end_date))
        if event.planned_hours is not None:
            values.update(has_new_hours=True, new_planned_hours=event.planned_hours)
        if event.employer is not None:
            employer = event.employer
            sender = employer.transfer.sender_balance
            values.update(
                new_employer=True,
                new_levy_payer=employer.levy_payer,
                new_balance=employer.levy_balance.pence,
                new_funding=FUNDING[employer.funding],
                new_relationship=RELATIONSHIP[employer.relationship],
                new_has_sender_balance=sender is not None,
                new_sender_balance=sender.pence if sender is not None else 0,
                **{f"new_{k}": v for k, v in arrangement_facts(employer, event.date).items()},
            )
    else:
        assert isinstance(event, SkillsTestPassed | LeaveEnded | EmploymentEnded | Withdrawn)
    return EventFacts(**values)


_HOURS = {
    "delivered",
    "recorded",
    "planned_hours",
    "event.hours",
    "event.recorded",
    "event.evidenced",
    "event.new_planned_hours",
}
_PENCE = {
    "cap",
    "excess",
    "balance",
    "sender_balance",
    "learner_paid",
    "event.cost",
    "event.levy_balance",
    "event.new_balance",
    "government",
    "employer_account",
    "employer_direct",
    "above_rate",
}


def show_value(name: str, value: Any) -> str:
    """A concrete state or event value as a person reads it."""
    import datetime as dt

    from aurules.model.money import format_hours, format_pence

    field = {f.name: f for f in (*STATE_FIELDS, *EVENT_FIELDS)}.get(name.removeprefix("event."))
    codes = field.metadata["codes"] if field is not None else None
    if isinstance(value, bool):
        return "true" if value else "false"
    if not isinstance(value, int):
        return str(value)
    if codes is not None:
        return str(codes.name(value))
    if name.endswith(("_day", ".day")):
        return dt.date.fromordinal(value).isoformat() if value > 0 else "none"
    if name in _HOURS:
        return f"{format_hours(value)} h"
    if name in _PENCE or (
        name.startswith(("m1_", "m2_", "total_"))
        and not name.endswith(("_times", "_claimed", "_held"))
    ):
        return f"£{format_pence(value)}"
    return str(value)


EVENT_USES: dict[str, tuple[str, ...]] = {
    "hours": ("delivered",),
    "recorded": ("delivered",),
    "kit_day": ("delivered",),
    "item": ("claim",),
    "cost": ("claim",),
    "has_cost": ("claim",),
    "authorised": ("claim",),
    "by_provider": ("plan_signed_off",),
    "by_learner": ("plan_signed_off",),
    "by_employer": ("plan_signed_off",),
    "to_day": ("extended",),
    "leave_kind": ("leave_started",),
    "levy_payer": ("levy_status_changed",),
    "levy_balance": ("levy_balance_changed",),
    "evidenced": ("audit",),
    "successful": ("audit",),
    "new_employer": ("restarted",),
    "new_levy_payer": ("restarted",),
    "new_balance": ("restarted",),
    "new_funding": ("restarted",),
    "new_relationship": ("restarted",),
    "new_has_sender_balance": ("restarted",),
    "new_sender_balance": ("restarted",),
    **{f"new_{name}": ("restarted",) for name in ARRANGEMENT},
    "new_plan": ("restarted",),
    "new_end_day": ("restarted",),
    "has_new_hours": ("restarted",),
    "new_planned_hours": ("restarted",),
}
"""The event kinds that use each event field (every other kind leaves it at 0 or false)."""


def fields_of_kind(kind: str) -> tuple[str, ...]:
    """The event fields an event of `kind` may set (beside its kind and day)."""
    return tuple(name for name, kinds in EVENT_USES.items() if kind in kinds)


def event_domain(e: EventFacts, b: Backend) -> Any:
    """What `event_facts` produces for any real event: codes in range, amounts not negative,
    delivered hours positive with recordings within them, and every field a kind does not
    use left at 0 or false (so a symbolic event always maps back to a scenario event)."""
    kind = e.kind

    def only(names: tuple[str, ...], field: str) -> Any:
        value = getattr(e, field)
        unused = b.not_(value) if field in _BOOL_EVENT_FIELDS else value == 0
        return b.implies(b.not_(b.is_one_of(kind, tuple(EVENT_KINDS[n] for n in names))), unused)

    uses = EVENT_USES
    delivered = kind == EVENT_KINDS["delivered"]
    claim = kind == EVENT_KINDS["claim"]
    leave = kind == EVENT_KINDS["leave_started"]
    restart = kind == EVENT_KINDS["restarted"]
    return b.and_(
        kind >= 0,
        kind < len(EVENT_KINDS.names),
        e.day >= 1,
        b.implies(delivered, b.and_(e.hours > 0, e.recorded >= 0, e.recorded <= e.hours)),
        b.implies(
            claim,
            b.and_(
                e.item >= 1,
                e.item < len(ITEMS.names),
                e.cost >= 0,
                b.implies(b.not_(e.has_cost), e.cost == 0),
                b.implies(e.has_cost, e.item == ITEMS["learning_support"]),
                b.implies(e.authorised, e.item == ITEMS["learning_support"]),
            ),
        ),
        b.implies(leave, b.and_(e.leave_kind >= 1, e.leave_kind < len(LEAVE.names))),
        e.to_day >= 0,
        e.levy_balance >= 0,
        e.evidenced >= 0,
        e.new_balance >= 0,
        e.new_sender_balance >= 0,
        b.implies(b.not_(e.new_has_sender_balance), e.new_sender_balance == 0),
        e.new_end_day >= 0,
        b.implies(b.not_(e.new_plan), e.new_end_day == 0),
        e.new_planned_hours >= 0,
        b.implies(b.not_(e.has_new_hours), e.new_planned_hours == 0),
        e.new_funding >= 0,
        e.new_funding < len(FUNDING.names),
        e.new_relationship >= 0,
        e.new_relationship < len(RELATIONSHIP.names),
        b.implies(
            b.and_(restart, b.not_(e.new_employer)),
            b.and_(
                b.not_(e.new_levy_payer),
                e.new_balance == 0,
                e.new_funding == 0,
                e.new_relationship == 0,
                b.not_(e.new_has_sender_balance),
                *[
                    b.not_(v) if name.startswith("has_") else v == 0
                    for name in ARRANGEMENT
                    for v in [getattr(e, f"new_{name}")]
                ],
            ),
        ),
        *[only(names, field) for field, names in uses.items()],
    )


_BOOL_EVENT_FIELDS = {f.name for f in EVENT_FIELDS if f.metadata["kind"] == "bool"}
