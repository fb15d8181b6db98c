"""Properties any faithful model of the lifecycle satisfies, on random event sequences, and the
agreement of the simulator with the Z3 transition relation built from the same rules."""

from __future__ import annotations

import json
from collections import Counter

from hypothesis import given, settings

from aurules.model.evaluate import evaluate, run
from aurules.model.lifecycle import OUTPUT_FIELDS
from aurules.model.ruleset import official
from aurules.model.scenario import Scenario
from aurules.model.state import STATE_FIELDS, event_facts
from aurules.model.symbolic.lifecycle import SymbolicStep
from aurules.properties.strategies import lifecycles

STEP = SymbolicStep(official())


def _pence(text: str) -> int:
    return round(float(text) * 100)


@given(lifecycles(max_events=8))
@settings(max_examples=40)
def test_each_step_of_the_simulator_agrees_with_the_z3_transition(scenario: Scenario) -> None:
    for step in run(scenario, official()).steps:
        symbolic = STEP.evaluate(step.before, event_facts(step.event))
        expected = {f.name: getattr(step.after, f.name) for f in STATE_FIELDS}
        expected |= {"output." + n: getattr(step.output, n) for n in OUTPUT_FIELDS}
        assert expected == symbolic, step.event


@given(lifecycles())
def test_the_learner_never_pays_for_an_eligible_start(scenario: Scenario) -> None:
    outcome = evaluate(scenario, official()).to_data()
    if outcome["eligible"]:
        assert "0.00" == outcome["totals"]["learner"]


@given(lifecycles())
def test_totals_are_the_sums_of_the_payments(scenario: Scenario) -> None:
    outcome = evaluate(scenario, official()).to_data()
    for payer in ("government", "employer_account", "employer_direct"):
        paid = sum(_pence(p[payer]) for p in outcome["payments"])
        assert _pence(outcome["totals"][payer]) == paid, payer


@given(lifecycles())
def test_the_same_scenario_always_gives_the_same_outcome(scenario: Scenario) -> None:
    first = evaluate(scenario, official()).to_data()
    again = evaluate(
        Scenario.from_data(json.loads(json.dumps(scenario.to_data()))), official()
    ).to_data()
    assert first == again


@given(lifecycles())
def test_each_milestone_is_paid_at_most_once_and_never_to_an_ineligible_learner(
    scenario: Scenario,
) -> None:
    outcome = evaluate(scenario, official()).to_data()
    positive = Counter(
        p["item"]
        for p in outcome["payments"]
        if any(_pence(p[k]) > 0 for k in ("government", "employer_account", "employer_direct"))
    )
    assert all(count <= 1 for count in positive.values()), positive
    if not outcome["eligible"]:
        assert [] == outcome["payments"]


@given(lifecycles())
def test_milestones_held_add_up_to_the_capped_price_exactly(scenario: Scenario) -> None:
    final = run(scenario, official()).final
    if final.m1_held and final.m2_held:
        total = sum(
            getattr(final, f"m{i}_{part}")
            for i in (1, 2)
            for part in ("government", "account", "direct")
        )
        assert final.cap == total


@given(lifecycles())
def test_accounts_never_go_below_zero_and_support_never_comes_from_them(scenario: Scenario) -> None:
    result = run(scenario, official())
    for step in result.steps:
        assert step.after.balance >= 0
        assert step.after.sender_balance >= 0
    for payment in result.outcome.payments:
        if payment.item == "learning_support":
            assert (0, 0) == (payment.employer_account.pence, payment.employer_direct.pence)


@given(lifecycles(max_events=6))
@settings(max_examples=20)
def test_the_fast_agreement_check_accepts_each_step_and_rejects_any_changed_field(
    scenario: Scenario,
) -> None:
    import attrs

    for step in run(scenario, official()).steps:
        facts = event_facts(step.event)
        assert STEP.agrees(step.before, facts, step.after, step.output)
        field = STATE_FIELDS[step.index % len(STATE_FIELDS)]
        value = getattr(step.after, field.name)
        changed = (not value) if isinstance(value, bool) else value + 1
        wrong = attrs.evolve(step.after, **{field.name: changed})
        assert not STEP.agrees(step.before, facts, wrong, step.output), field.name
        output = attrs.evolve(step.output, government=step.output.government + 1)
        assert not STEP.agrees(step.before, facts, step.after, output)
