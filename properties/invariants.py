"""The funding rules' intent, stated as invariants apart from the rules.

Each invariant is a plain predicate, written over the value layer so that it is checked on
concrete runs (Hypothesis, replay) and as a Z3 formula (proofs, bounded model checking):

- a *state* invariant `(state, b) -> bool` must hold in every reachable state;
- a *step* invariant `(before, event, output, after, b) -> bool` must hold for every step.

Where the policy's intent is fixed, the invariant says so itself and never reads the
ruleset: 16 + 8 weeks is the bound on the active duration, 30% and 100% of planned hours are
when milestones are due, 95% / 5% is the co-investment split, whatever a proposal sets.
The first invariant, `well_formed`, is the sanity of the state itself (TLA+'s TypeOK).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Literal

import attrs

from model.facts import FUNDING
from model.lifecycle import StepOutput
from model.money import Rate
from model.state import ITEMS, LEAVE, EventFacts, State
from model.values import Backend, round_half_up, share_at_least

WEEK = 7
MAX_ACTIVE_DAYS = (16 + 8) * WEEK
"""16 weeks of planned duration (129) plus 8 weeks beyond it (130, 131): policy intent."""
MILESTONE_1_HOURS = Rate(3, 10)
"""Milestone 1 is due at 30% of planned hours (72.1): policy intent."""
MILESTONE_2_HOURS = Rate(1, 1)
"""Milestone 2 is due at all planned hours (72.2): policy intent."""
EMPLOYER_COINVESTMENT = Rate(5, 100)
"""Where the employer co-invests, it pays 5% and government 95% (74, 93): policy intent."""

Over = Literal["state", "step"]


@attrs.frozen(kw_only=True)
class Invariant:
    """A named statement of intent with its paragraphs and a one-line meaning."""

    name: str
    paragraphs: tuple[str, ...]
    meaning: str
    over: Over
    predicate: Callable[..., Any] = attrs.field(repr=False)

    def holds(self, before: State, event: EventFacts | None, output: StepOutput | None,
              after: State, b: Backend) -> Any:
        """The invariant on one step (a state invariant looks only at `after`)."""
        if self.over == "state":
            return self.predicate(after, b)
        if event is None or output is None:
            return True  # the initial state has no step
        return self.predicate(before, event, output, after, b)


INVARIANTS: list[Invariant] = []


def invariant(name: str, paragraphs: tuple[str, ...], meaning: str, over: Over
              ) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    def register(predicate: Callable[..., Any]) -> Callable[..., Any]:
        INVARIANTS.append(Invariant(name=name, paragraphs=paragraphs, meaning=meaning,
                                    over=over, predicate=predicate))
        return predicate

    return register


@invariant("well_formed", (), "Counters, amounts and codes are in range and consistent.",
           "state")
def well_formed(s: State, b: Backend) -> Any:
    return b.and_(
        s.delivered >= 0, s.recorded >= 0, s.recorded <= s.delivered,
        s.m1_times >= 0, s.m2_times >= 0, s.ls_times >= 0,
        b.implies(s.m1_held, s.m1_claimed), b.implies(s.m2_held, s.m2_claimed),
        s.m1_claimed == (s.m1_times >= 1), s.m2_claimed == (s.m2_times >= 1),
        s.ls_claimed == (s.ls_times >= 1),
        s.balance >= 0, s.sender_balance >= 0,
        s.leave >= 0, s.leave < len(LEAVE.names), s.leave_days >= 0,
        s.kit_used >= 0, s.split_used >= 0, s.last_counted_day >= s.start_day,
        s.leave_at_last_count >= 0, s.planned_hours >= 0, s.cap >= 0, s.excess >= 0,
        s.learner_paid >= 0, s.total_above_rate >= 0,
        s.m1_from_sender >= 0, s.m1_account >= s.m1_from_sender,
        s.m2_from_sender >= 0, s.m2_account >= s.m2_from_sender,
    )


@invariant("milestone_paid_at_most_once", ("91", "128"),
           "Each milestone of a learner's unit is paid at most once, across withdrawals, "
           "restarts and changes of employer or provider.", "state")
def milestone_paid_at_most_once(s: State, b: Backend) -> Any:
    return b.and_(s.m1_times <= 1, s.m2_times <= 1)


@invariant("learner_never_pays", ("96",),
           "A funded learner is never asked to pay anything.", "state")
def learner_never_pays(s: State, b: Backend) -> Any:
    return b.implies(s.eligible, s.learner_paid == 0)


@invariant("duration_within_limit", ("129", "130", "131"),
           "Counted training ends within 16 + 8 weeks of the start, parental leave aside.",
           "state")
def duration_within_limit(s: State, b: Backend) -> Any:
    return s.last_counted_day - s.start_day - s.leave_at_last_count <= MAX_ACTIVE_DAYS


@invariant("milestones_within_cap", ("72", "89", "93.1"),
           "Milestone payments from all payers add up to at most min(price, funding rate).",
           "state")
def milestones_within_cap(s: State, b: Backend) -> Any:
    held_1 = b.ite(s.m1_held, s.m1_government + s.m1_account + s.m1_direct, 0)
    held_2 = b.ite(s.m2_held, s.m2_government + s.m2_account + s.m2_direct, 0)
    return held_1 + held_2 <= s.cap


@invariant("paid_only_when_due", ("55", "72.1", "72.2", "35.2"),
           "Every payment's conditions held on its date: signed plan and 30% of hours for "
           "milestone 1; all hours, a passed test and full sign-off for milestone 2; "
           "milestone 1 reached for learning support.", "step")
def paid_only_when_due(before: State, e: EventFacts, out: StepOutput, after: State,
                       b: Backend) -> Any:
    reached_1 = b.and_(share_at_least(before.delivered, before.planned_hours,
                                      MILESTONE_1_HOURS), before.plan_signed_day <= e.day)
    due = {
        "milestone_1": reached_1,
        "milestone_2": b.and_(
            share_at_least(before.delivered, before.planned_hours, MILESTONE_2_HOURS),
            before.skills_passed, before.signed_provider, before.signed_learner,
            before.signed_employer),
        "learning_support": b.and_(b.or_(before.m1_claimed, reached_1), before.ldd),
    }
    return b.implies(out.claim_paid, b.and_(
        before.eligible,
        *[b.implies(e.item == ITEMS[item], condition) for item, condition in due.items()]))


@invariant("nothing_after_withdrawal", ("125", "127"),
           "Nothing is paid, and no training counts, after a withdrawal or the end of "
           "employment, until a restart.", "step")
def nothing_after_withdrawal(before: State, e: EventFacts, out: StepOutput, after: State,
                             b: Backend) -> Any:
    stopped = b.or_(before.withdrawn, b.not_(before.employed))
    return b.implies(stopped, b.and_(b.not_(out.claim_paid), after.delivered == before.delivered))


@invariant("learning_support_once", ("35.1",),
           "Learning support is paid at most once per learner per unit.", "state")
def learning_support_once(s: State, b: Backend) -> Any:
    return s.ls_times <= 1


@invariant("coinvestment_split", ("74", "93"),
           "Where the employer co-invests (a levy payer's start, or a transfer, that its funds "
           "cannot cover), it pays 5% and government 95% of that part.", "step")
def coinvestment_split(before: State, e: EventFacts, out: StepOutput, after: State,
                       b: Backend) -> Any:
    shared = out.government + out.employer_direct
    milestone = b.or_(e.item == ITEMS["milestone_1"], e.item == ITEMS["milestone_2"])
    co_investing = b.or_(before.start_levy, before.funding == FUNDING["transfer"])
    return b.implies(
        b.and_(out.claim_paid, milestone, co_investing),
        b.and_(out.government >= 0,
               out.employer_direct == round_half_up(b, shared, EMPLOYER_COINVESTMENT)),
    )


def all_invariants() -> list[Invariant]:
    """The lifecycle's invariants, then the account access model's."""
    from properties.access_invariants import ACCESS_INVARIANTS

    return [*INVARIANTS, *ACCESS_INVARIANTS]


def by_name(name: str) -> Invariant:
    for item in all_invariants():
        if item.name == name:
            return item
    raise KeyError(name)
