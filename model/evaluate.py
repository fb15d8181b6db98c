"""Running a scenario through the rules on the plain-Python backend (the simulator).

`check_start` evaluates every start-of-unit rule and records, for each, the facts and
parameters it read (so `explain` can show the values that decided it). `run` then steps the
lifecycle through every event (`model.lifecycle.transition`), collecting payments and
refusals; `evaluate` returns the contract's outcome.
"""

from __future__ import annotations

from typing import Any

import attrs

from aurules.model.facts import Facts, derive
from aurules.model.lifecycle import StepOutput, guard_rule, transition
from aurules.model.money import Money
from aurules.model.outcome import (
    STATUSES,
    MilestoneSplit,
    Outcome,
    Payment,
    Planned,
    Refusal,
    Totals,
)
from aurules.model.planned import PlannedSplit, planned_split
from aurules.model.registry import Rule, paragraph_key
from aurules.model.rulebook import start_rules
from aurules.model.rules.change_of_circumstance import withdrawal_deadline
from aurules.model.ruleset import Ruleset
from aurules.model.scenario import Claim, Event, Scenario
from aurules.model.state import State, event_facts, initial_state
from aurules.model.values import PYTHON, Backend, Reading


@attrs.frozen(kw_only=True)
class RuleResult:
    """One rule's verdict on one scenario and what it looked at."""

    rule: Rule
    passed: bool
    facts_read: dict[str, Any]
    params_read: dict[str, Any]


def run_rule(rule: Rule, facts: Facts, ruleset: Ruleset) -> RuleResult:
    """Evaluate one rule on concrete facts, logging what it read."""
    facts_read: dict[str, Any] = {}
    params_read: dict[str, Any] = {}
    passed = rule(Reading(facts, facts_read), Reading(ruleset, params_read), PYTHON)
    return RuleResult(
        rule=rule, passed=bool(passed), facts_read=facts_read, params_read=params_read
    )


def check_start(scenario: Scenario, ruleset: Ruleset) -> list[RuleResult]:
    """Every start-of-unit rule's verdict on the scenario."""
    return start(scenario, ruleset)[0]


def failed_paragraphs(results: list[RuleResult]) -> list[str]:
    """Sorted, unique paragraph ids of the failed rules."""
    ids = {p for r in results if not r.passed for p in r.rule.paragraphs}
    return sorted(ids, key=paragraph_key)


@attrs.frozen(kw_only=True)
class Step:
    """One event of a run: the state before and after, and what it paid or refused."""

    index: int
    event: Event
    before: State
    after: State
    output: StepOutput
    payments: tuple[Payment, ...]
    refusal: Refusal | None


@attrs.frozen(kw_only=True)
class Run:
    """A scenario run through the rules: the start checks, every step, the outcome."""

    start: list[RuleResult]
    initial: State
    steps: list[Step]
    outcome: Outcome

    @property
    def final(self) -> State:
        return self.steps[-1].after if self.steps else self.initial


def refusal_paragraphs(
    guard_results: dict[str, Any], item: str, failed: list[str], ruleset: Ruleset
) -> list[str]:
    """The paragraphs a refused claim of `item` cites, from each guard's result (`item:name`
    keys, as `StepOutput.guard_results`) and the start paragraphs the learner failed."""
    ids: set[str] = set()
    failing = [
        guard_rule(key, ruleset)
        for key, passed in guard_results.items()
        if not passed and key.startswith(item + ":")
    ]
    if any(rule.name == "eligible_learner" for rule in failing):
        # an ineligible learner's claim is refused for that reason alone: the other conditions
        # fail only as its consequence (no delivery counts for an ineligible learner)
        failing = [rule for rule in failing if rule.name == "eligible_learner"]
    for rule in failing:
        ids.update(guard_refusal(rule, failed))
    return sorted(ids, key=paragraph_key)


def guard_refusal(rule: Rule, failed: list[str]) -> tuple[str, ...]:
    """The paragraphs a failing guard refuses a claim with: its own, except that an
    ineligible learner's claim is refused citing 21 and the start paragraphs that failed (or
    21.3 when the learner became ineligible at a restart)."""
    if rule.name == "eligible_learner":
        return ("21", *(failed or ["21.3"]))
    return rule.paragraphs


def _payments(event: Event, before: State, output: StepOutput) -> tuple[Payment, ...]:
    out = []
    if isinstance(event, Claim) and output.claim_paid:
        out.append(
            Payment(
                date=event.date,
                item=event.item,
                government=Money(output.government),
                employer_account=Money(output.employer_account),
                employer_direct=Money(output.employer_direct),
            )
        )
    if output.recovered_m1:
        out.append(
            Payment(
                date=event.date,
                item="milestone_1",
                government=Money(-before.m1_government),
                employer_account=Money(-before.m1_account),
                employer_direct=Money(-before.m1_direct),
            )
        )
    if output.recovered_m2:
        out.append(
            Payment(
                date=event.date,
                item="milestone_2",
                government=Money(-before.m2_government),
                employer_account=Money(-before.m2_account),
                employer_direct=Money(-before.m2_direct),
            )
        )
    return tuple(out)


def status(final: State, eligible: bool, ruleset: Ruleset) -> str:
    """Where the learner stands after the last event."""
    return STATUSES[status_code(final, eligible, ruleset, PYTHON)]


def status_code(final: State, eligible: Any, ruleset: Ruleset, b: Backend) -> Any:
    """The final status as a code into `STATUSES` (any backend): ineligible at the start;
    else completed (milestone 2 held), withdrawn, must withdraw (out of work, ineligible
    after a restart, or past the withdrawal deadline, 131), or in learning."""
    code = {name: STATUSES.index(name) for name in STATUSES}
    return b.ite(
        b.not_(eligible),
        code["ineligible"],
        b.ite(
            final.m2_held,
            code["completed"],
            b.ite(
                final.withdrawn,
                code["withdrawn"],
                b.ite(must_withdraw(final, ruleset, b), code["must_withdraw"], code["in_learning"]),
            ),
        ),
    )


def must_withdraw(final: State, ruleset: Ruleset, b: Backend) -> Any:
    """Out of work, ineligible after a restart, or the last event after the withdrawal
    deadline: the learner must be withdrawn (unless completed or withdrawn already)."""
    deadline = withdrawal_deadline(final, final.last_day, ruleset, b)
    return b.or_(b.not_(final.employed), b.not_(final.eligible), final.last_day > deadline)


def start(scenario: Scenario, ruleset: Ruleset) -> tuple[list[RuleResult], State]:
    """The start-of-unit verdicts and the state on the start date."""
    facts = derive(scenario, ruleset)
    bound = ruleset.bind(facts, PYTHON)
    results = [run_rule(rule, facts, bound) for rule in start_rules(ruleset)]
    return results, initial_state(facts, not failed_paragraphs(results), PYTHON)


def run(scenario: Scenario, ruleset: Ruleset) -> Run:
    """Run a scenario: start-of-unit checks, then every event in order."""
    results, state = start(scenario, ruleset)
    ruleset = ruleset.bind(derive(scenario, ruleset), PYTHON)
    failed = failed_paragraphs(results)
    first = state
    steps: list[Step] = []
    payments: list[Payment] = []
    refused: list[Refusal] = []
    for index, event in enumerate(scenario.events):
        after, output = transition(state, event_facts(event), ruleset, PYTHON)
        paid = _payments(event, state, output)
        refusal = None
        if isinstance(event, Claim) and output.claim_refused:
            refusal = Refusal(
                date=event.date,
                item=event.item,
                paragraphs=refusal_paragraphs(output.guard_results, event.item, failed, ruleset),
            )
            refused.append(refusal)
        payments.extend(paid)
        steps.append(
            Step(
                index=index,
                event=event,
                before=state,
                after=after,
                output=output,
                payments=paid,
                refusal=refusal,
            )
        )
        state = after
    final = steps[-1].after if steps else first
    outcome = Outcome(
        eligible=not failed,
        failed_paragraphs=failed,
        payments=payments,
        refused=refused,
        totals=Totals(
            government=Money(final.total_government),
            employer_account=Money(final.total_account),
            employer_direct=Money(final.total_direct),
            employer_above_rate=Money(final.total_above_rate),
            learner=Money(final.learner_paid),
        ),
        status=status(final, not failed, ruleset),  # type: ignore[arg-type]
        planned=planned(planned_split(first, ruleset, PYTHON)),
    )
    return Run(start=results, initial=first, steps=steps, outcome=outcome)


def planned(split: PlannedSplit) -> Planned:
    """The outcome's `planned` part from a planned split."""
    return Planned(
        milestone_1=MilestoneSplit(
            government=Money(split.m1_government),
            employer_account=Money(split.m1_account),
            employer_direct=Money(split.m1_direct),
        ),
        milestone_2=MilestoneSplit(
            government=Money(split.m2_government),
            employer_account=Money(split.m2_account),
            employer_direct=Money(split.m2_direct),
        ),
        learning_support=MilestoneSplit(
            government=Money(split.ls_government),
            employer_account=Money(split.ls_account),
            employer_direct=Money(split.ls_direct),
        ),
        employer_above_rate=Money(split.above_rate),
    )


def evaluate(scenario: Scenario, ruleset: Ruleset) -> Outcome:
    """The outcome of a scenario (see `run` for the full trace)."""
    return run(scenario, ruleset).outcome
