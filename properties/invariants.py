"""The funding rules' intent, stated as invariants apart from the rules.

Each invariant is a plain predicate, written over the value layer so that it is checked on
concrete runs (Hypothesis, replay) and as a Z3 formula (proofs, bounded model checking):

- a *state* invariant `(state, b) -> bool` must hold in every reachable state;
- a *step* invariant `(before, event, output, after, b) -> bool` must hold for every step.

Each invariant's name is its function's name and its meaning the docstring's first paragraph.

Where the policy's intent is fixed, the invariant says so itself and never reads the
ruleset: 16 + 8 weeks is the bound on the active duration, 30% and 100% of planned hours are
when milestones are due, 95% / 5% is the co-investment split, whatever a proposal sets.
The first invariant, `well_formed`, is the sanity of the state itself (TLA+'s TypeOK).
"""

from __future__ import annotations

from typing import Any

from aurules.model.lifecycle import StepOutput
from aurules.model.money import Rate
from aurules.model.state import ITEMS, LEAVE, EventFacts, State
from aurules.model.values import Backend, round_half_up, share_at_least
from aurules.properties.invariant import Invariant, collect_into

WEEK = 7
MAX_ACTIVE_DAYS = (16 + 8) * WEEK
"""16 weeks of planned duration (129) plus 8 weeks beyond it (130, 131): policy intent."""
MILESTONE_1_HOURS = Rate(3, 10)
"""Milestone 1 is due at 30% of planned hours (72.1): policy intent."""
MILESTONE_2_HOURS = Rate(1, 1)
"""Milestone 2 is due at all planned hours (72.2): policy intent."""
EMPLOYER_COINVESTMENT = Rate(5, 100)
"""Where the employer co-invests, it pays 5% and government 95% (74, 93): policy intent."""

INVARIANTS: list[Invariant] = []
invariant = collect_into(INVARIANTS)


@invariant((), "state")
def well_formed(s: State, b: Backend) -> Any:
    """Counters, amounts and codes are in range and consistent."""
    return b.and_(
        s.delivered >= 0,
        s.recorded >= 0,
        s.recorded <= s.delivered,
        s.m1_times >= 0,
        s.m2_times >= 0,
        s.ls_times >= 0,
        b.implies(s.m1_held, s.m1_claimed),
        b.implies(s.m2_held, s.m2_claimed),
        s.m1_claimed == (s.m1_times >= 1),
        s.m2_claimed == (s.m2_times >= 1),
        s.ls_claimed == (s.ls_times >= 1),
        s.balance >= 0,
        s.sender_balance >= 0,
        s.leave >= 0,
        s.leave < len(LEAVE.names),
        s.leave_days >= 0,
        s.kit_used >= 0,
        s.split_used >= 0,
        s.last_counted_day >= s.start_day,
        s.leave_at_last_count >= 0,
        s.planned_hours >= 0,
        s.cap >= 0,
        s.excess >= 0,
        s.learner_paid >= 0,
        s.total_above_rate >= 0,
        s.m1_from_sender >= 0,
        s.m1_account >= s.m1_from_sender,
        s.m2_from_sender >= 0,
        s.m2_account >= s.m2_from_sender,
    )


@invariant(("91", "128"), "state")
def milestone_paid_at_most_once(s: State, b: Backend) -> Any:
    """Each milestone of a learner's unit is paid at most once, across withdrawals, restarts
    and changes of employer or provider."""
    return b.and_(s.m1_times <= 1, s.m2_times <= 1)


@invariant(("96",), "state")
def learner_never_pays(s: State, b: Backend) -> Any:
    """A funded learner is never asked to pay anything."""
    return b.implies(s.eligible, s.learner_paid == 0)


@invariant(("129", "130", "131"), "state")
def duration_within_limit(s: State, b: Backend) -> Any:
    """Counted training ends within 16 + 8 weeks of the start, parental leave aside."""
    return s.last_counted_day - s.start_day - s.leave_at_last_count <= MAX_ACTIVE_DAYS


@invariant(("72", "89", "93.1"), "state")
def milestones_within_cap(s: State, b: Backend) -> Any:
    """Milestone payments from all payers add up to at most min(price, funding rate)."""
    held_1 = b.ite(s.m1_held, s.m1_government + s.m1_account + s.m1_direct, 0)
    held_2 = b.ite(s.m2_held, s.m2_government + s.m2_account + s.m2_direct, 0)
    return held_1 + held_2 <= s.cap


@invariant(("55", "72.1", "72.2", "35.2"), "step")
def paid_only_when_due(
    before: State, e: EventFacts, out: StepOutput, after: State, b: Backend
) -> Any:
    """Every payment's conditions held on its date: signed plan and 30% of hours for milestone
    1; all hours, a passed test and full sign-off for milestone 2; milestone 1 reached for
    learning support."""
    reached_1 = b.and_(
        share_at_least(before.delivered, before.planned_hours, MILESTONE_1_HOURS),
        before.plan_signed_day <= e.day,
    )
    due = {
        "milestone_1": reached_1,
        "milestone_2": b.and_(
            share_at_least(before.delivered, before.planned_hours, MILESTONE_2_HOURS),
            before.skills_passed,
            before.signed_provider,
            before.signed_learner,
            before.signed_employer,
        ),
        "learning_support": b.and_(b.or_(before.m1_claimed, reached_1), before.ldd),
    }
    return b.implies(
        out.claim_paid,
        b.and_(
            before.eligible,
            *[b.implies(e.item == ITEMS[item], condition) for item, condition in due.items()],
        ),
    )


@invariant(("125", "127"), "step")
def nothing_after_withdrawal(
    before: State, e: EventFacts, out: StepOutput, after: State, b: Backend
) -> Any:
    """Nothing is paid, and no training counts, after a withdrawal or the end of employment,
    until a restart."""
    stopped = b.or_(before.withdrawn, b.not_(before.employed))
    return b.implies(stopped, b.and_(b.not_(out.claim_paid), after.delivered == before.delivered))


@invariant(("35.1",), "state")
def learning_support_once(s: State, b: Backend) -> Any:
    """Learning support is paid at most once per learner per unit."""
    return s.ls_times <= 1


@invariant(("74", "93"), "step")
def coinvestment_split(
    before: State, e: EventFacts, out: StepOutput, after: State, b: Backend
) -> Any:
    """Where the employer co-invests (a levy payer's start, for what its own funds and any
    transfer cannot cover), it pays 5% and government 95% of that part."""
    shared = out.government + out.employer_direct
    milestone = b.or_(e.item == ITEMS["milestone_1"], e.item == ITEMS["milestone_2"])
    co_investing = before.start_levy
    return b.implies(
        b.and_(out.claim_paid, milestone, co_investing),
        b.and_(
            out.government >= 0,
            out.employer_direct == round_half_up(b, shared, EMPLOYER_COINVESTMENT),
        ),
    )
