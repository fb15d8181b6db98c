"""The lifecycle as a transition system: one step per scenario event.

`transition(state, event, ruleset, backend)` is written once over the value layer. On the
Python backend the event's kind is a concrete code and only that kind's effect runs (the
simulator); on the Z3 backend every kind's effect is built and the results are merged with
if-then-else on the symbolic kind (the transition relation for proofs). Guards and effects
live in the rule modules of `aurules.model.rules` (`milestones`, `learning_support`,
`co_investment`, `delivery_hours`, `parental_leave`, `withdrawal`, `employment`,
`change_of_circumstance`, `audits`).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import attrs

from aurules.model.registry import Rule
from aurules.model.rulebook import guards
from aurules.model.rules.audits import milestone_1_recovered, milestone_2_recovered
from aurules.model.rules.change_of_circumstance import (
    extended,
    extension_allowed,
    levy_balance_changed,
    levy_status_changed,
    restarted,
)
from aurules.model.rules.co_investment import split_payment
from aurules.model.rules.delivery_hours import delivered
from aurules.model.rules.employment import employment_ended
from aurules.model.rules.learning_support import learning_support_amount
from aurules.model.rules.milestones import (
    milestone_amount,
    plan_signed_off,
    skills_test_recorded,
)
from aurules.model.rules.parental_leave import leave_ended, leave_started
from aurules.model.rules.withdrawal import withdrawn
from aurules.model.ruleset import Ruleset
from aurules.model.state import EVENT_KINDS, ITEMS, STATE_FIELDS, EventFacts, State
from aurules.model.values import Backend, replace


@attrs.frozen(kw_only=True)
class StepOutput:
    """What one step paid or refused (zero / false where the event does nothing of the kind).

    `government`, `employer_account` and `employer_direct` are the claim's payment; a
    recovery's amounts are the recovered milestone's parts, taken from the state before."""

    claim_paid: Any
    claim_refused: Any
    government: Any
    employer_account: Any
    employer_direct: Any
    above_rate: Any
    recovered_m1: Any
    recovered_m2: Any
    extension_refused: Any
    guard_results: dict[str, Any] = attrs.field(factory=dict, eq=False)


NOTHING = StepOutput(
    claim_paid=False,
    claim_refused=False,
    government=0,
    employer_account=0,
    employer_direct=0,
    above_rate=0,
    recovered_m1=False,
    recovered_m2=False,
    extension_refused=False,
)
OUTPUT_FIELDS = [f.name for f in attrs.fields(StepOutput) if f.name != "guard_results"]

ITEM_NAMES = ("milestone_1", "milestone_2", "learning_support")


def claim(s: State, e: EventFacts, p: Ruleset, b: Backend) -> tuple[State, StepOutput]:
    """A claim is paid when every guard of its item holds, else refused (72, 35, 91, 125...)."""
    results: dict[str, Any] = {}
    allowed: dict[str, Any] = {}
    for item in ITEM_NAMES:
        checks = [(g, g(s, e, p, b)) for g in guards(item, p)]
        results.update({f"{item}:{g.name}": value for g, value in checks})
        allowed[item] = b.and_(*[value for _, value in checks])
    is_m1, is_m2, is_ls = (e.item == ITEMS[name] for name in ITEM_NAMES)
    ok = b.or_(
        b.and_(is_m1, allowed["milestone_1"]),
        b.and_(is_m2, allowed["milestone_2"]),
        b.and_(is_ls, allowed["learning_support"]),
    )
    pay_milestone = b.and_(ok, b.or_(is_m1, is_m2))
    pay_support = b.and_(ok, is_ls)
    amount, above = milestone_amount(s, is_m1, p, b)
    split = split_payment(s, amount, p, b)
    support = learning_support_amount(e, p, b)
    government = b.ite(pay_milestone, split.government, b.ite(pay_support, support, 0))
    account = b.ite(pay_milestone, split.employer_account, 0)
    direct = b.ite(pay_milestone, split.employer_direct, 0)
    paid_1, paid_2 = b.and_(pay_milestone, is_m1), b.and_(pay_milestone, is_m2)
    after = replace(
        s,
        balance=s.balance - b.ite(pay_milestone, split.from_account, 0),
        sender_balance=s.sender_balance
        - b.ite(b.and_(pay_milestone, b.not_(s.sender_unlimited)), split.from_sender, 0),
        m1_claimed=b.or_(s.m1_claimed, paid_1),
        m2_claimed=b.or_(s.m2_claimed, paid_2),
        ls_claimed=b.or_(s.ls_claimed, pay_support),
        m1_times=s.m1_times + b.ite(paid_1, 1, 0),
        m2_times=s.m2_times + b.ite(paid_2, 1, 0),
        ls_times=s.ls_times + b.ite(pay_support, 1, 0),
        m1_held=b.or_(s.m1_held, paid_1),
        m2_held=b.or_(s.m2_held, paid_2),
        m1_government=b.ite(paid_1, split.government, s.m1_government),
        m1_account=b.ite(paid_1, split.employer_account, s.m1_account),
        m1_direct=b.ite(paid_1, split.employer_direct, s.m1_direct),
        m1_from_sender=b.ite(paid_1, split.from_sender, s.m1_from_sender),
        m2_government=b.ite(paid_2, split.government, s.m2_government),
        m2_account=b.ite(paid_2, split.employer_account, s.m2_account),
        m2_direct=b.ite(paid_2, split.employer_direct, s.m2_direct),
        m2_from_sender=b.ite(paid_2, split.from_sender, s.m2_from_sender),
        total_government=s.total_government + government,
        total_account=s.total_account + account,
        total_direct=s.total_direct + direct,
        total_above_rate=s.total_above_rate + b.ite(pay_milestone, above, 0),
        paid_while_stopped=b.or_(
            s.paid_while_stopped, b.and_(ok, b.or_(s.withdrawn, b.not_(s.employed)))
        ),
    )
    return after, StepOutput(
        claim_paid=ok,
        claim_refused=b.not_(ok),
        government=government,
        employer_account=account,
        employer_direct=direct,
        above_rate=b.ite(pay_milestone, above, 0),
        recovered_m1=False,
        recovered_m2=False,
        extension_refused=False,
        guard_results=results,
    )


def claim_asks(s: State, e: EventFacts, p: Ruleset, b: Backend) -> tuple[Any, Any, Any]:
    """What a claim would pay (government, employer account, employer direct) had every
    condition held, as things stand: the milestone's split or the learning support amount,
    by the same rules `claim` pays with. Reported for refused claims ("refused amounts")."""
    is_m1, is_m2 = e.item == ITEMS["milestone_1"], e.item == ITEMS["milestone_2"]
    amount, _ = milestone_amount(s, is_m1, p, b)
    split = split_payment(s, amount, p, b)
    support = learning_support_amount(e, p, b)
    milestone = b.or_(is_m1, is_m2)
    return (
        b.ite(milestone, split.government, b.ite(e.item == ITEMS["learning_support"], support, 0)),
        b.ite(milestone, split.employer_account, 0),
        b.ite(milestone, split.employer_direct, 0),
    )


def audit(s: State, e: EventFacts, p: Ruleset, b: Backend) -> tuple[State, StepOutput]:
    """An audit recovers each milestone its evidence does not support (54)."""
    rec_1 = milestone_1_recovered(s, e, p, b)
    rec_2 = milestone_2_recovered(s, e, p, b)

    def back(flag: Any, amount: Any) -> Any:
        return b.ite(flag, amount, 0)

    own_account = back(rec_1, s.m1_account - s.m1_from_sender) + back(
        rec_2, s.m2_account - s.m2_from_sender
    )
    to_sender = back(rec_1, s.m1_from_sender) + back(rec_2, s.m2_from_sender)
    after = replace(
        s,
        m1_held=b.and_(s.m1_held, b.not_(rec_1)),
        m2_held=b.and_(s.m2_held, b.not_(rec_2)),
        balance=s.balance + own_account,
        sender_balance=s.sender_balance + b.ite(s.sender_unlimited, 0, to_sender),
        total_government=s.total_government
        - back(rec_1, s.m1_government)
        - back(rec_2, s.m2_government),
        total_account=s.total_account - back(rec_1, s.m1_account) - back(rec_2, s.m2_account),
        total_direct=s.total_direct - back(rec_1, s.m1_direct) - back(rec_2, s.m2_direct),
    )
    return after, replace(NOTHING, recovered_m1=rec_1, recovered_m2=rec_2)


def _only(
    effect: Callable[[State, EventFacts, Ruleset, Backend], State],
) -> Callable[[State, EventFacts, Ruleset, Backend], tuple[State, StepOutput]]:
    def step(s: State, e: EventFacts, p: Ruleset, b: Backend) -> tuple[State, StepOutput]:
        return effect(s, e, p, b), NOTHING

    return step


def _extended(s: State, e: EventFacts, p: Ruleset, b: Backend) -> tuple[State, StepOutput]:
    return extended(s, e, p, b), replace(
        NOTHING, extension_refused=b.not_(extension_allowed(s, e, p, b))
    )


EFFECTS: dict[str, Callable[[State, EventFacts, Ruleset, Backend], tuple[State, StepOutput]]] = {
    "delivered": _only(delivered),
    "claim": claim,
    "skills_test_passed": _only(skills_test_recorded),
    "plan_signed_off": _only(plan_signed_off),
    "extended": _extended,
    "leave_started": _only(leave_started),
    "leave_ended": _only(leave_ended),
    "employment_ended": _only(employment_ended),
    "withdrawn": _only(withdrawn),
    "restarted": _only(restarted),
    "levy_status_changed": _only(levy_status_changed),
    "levy_balance_changed": _only(levy_balance_changed),
    "audit": audit,
}
assert tuple(EFFECTS) == EVENT_KINDS.names


def transition(s: State, e: EventFacts, p: Ruleset, b: Backend) -> tuple[State, StepOutput]:
    """The next state and what the step paid, for any event."""
    if isinstance(e.kind, int):  # concrete: run the one effect
        after, output = EFFECTS[EVENT_KINDS.names[e.kind]](s, e, p, b)
    else:  # symbolic: every effect, merged on the event's kind
        branches = [(e.kind == EVENT_KINDS[name], fn(s, e, p, b)) for name, fn in EFFECTS.items()]
        after = _merge_states(branches, b)
        output = _merge_outputs(branches, b)
    return replace(after, last_day=e.day), output


def _merge_states(branches: list[tuple[Any, tuple[State, StepOutput]]], b: Backend) -> State:
    values = {}
    for field in STATE_FIELDS:
        term = getattr(branches[-1][1][0], field.name)
        for condition, (state, _) in reversed(branches[:-1]):
            term = b.ite(condition, getattr(state, field.name), term)
        values[field.name] = term
    return State(**values)


def _merge_outputs(branches: list[tuple[Any, tuple[State, StepOutput]]], b: Backend) -> StepOutput:
    values = {}
    for name in OUTPUT_FIELDS:
        term = getattr(branches[-1][1][1], name)
        for condition, (_, output) in reversed(branches[:-1]):
            term = b.ite(condition, getattr(output, name), term)
        values[name] = term
    guard_results = next(out.guard_results for _, (_, out) in branches if out.guard_results)
    return StepOutput(**values, guard_results=guard_results)


def guard_rule(key: str, ruleset: Ruleset | None = None) -> Rule:
    """The guard behind a `guard_results` key (`item:name`) under `ruleset`."""
    item, name = key.split(":")
    return next(g for g in guards(item, ruleset) if g.name == name)
