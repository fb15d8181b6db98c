"""The two backends agree: every rule gives the same verdict on plain Python values and as a
Z3 term evaluated on the same facts (Hypothesis generates the scenarios)."""

from __future__ import annotations

import z3
from hypothesis import given

from aurules.model.evaluate import check_start
from aurules.model.facts import derive
from aurules.model.rulebook import start_rules
from aurules.model.ruleset import official
from aurules.model.scenario import Scenario
from aurules.model.symbolic.start import RuleTerms, rule_term, symbolic_facts
from aurules.model.values import PYTHON, round_half_up
from aurules.model.values_z3 import Z3
from aurules.properties.strategies import scenarios
from tests.helpers import scenario

TERMS = RuleTerms(official())


@given(scenarios())
def test_every_rule_gives_the_same_verdict_in_python_and_z3(generated: Scenario) -> None:
    facts = derive(generated, official())
    for result in check_start(generated, official()):
        assert result.passed == TERMS.value(result.rule, facts), result.rule.where


def test_z3_verdict_differs_when_a_rule_fails() -> None:
    # A check of the check: a failing rule is false in both backends, not just equal.
    failing = scenario({"learner.sandwich_placement": True})
    facts = derive(failing, official())
    verdicts = {r.rule.name: TERMS.value(r.rule, facts) for r in check_start(failing, official())}
    assert verdicts["not_sandwich_placement"] is False
    assert all(v for name, v in verdicts.items() if name != "not_sandwich_placement")


def test_every_rule_builds_a_z3_boolean_over_named_facts() -> None:
    facts = symbolic_facts()
    for rule in start_rules():
        term = rule_term(rule, facts, official())
        assert isinstance(term, z3.BoolRef), rule.where
        assert not z3.is_true(z3.simplify(term)), f"{rule.where} is trivially true"


def test_rounding_half_up_agrees_between_backends() -> None:
    from aurules.model.money import Rate

    rate = Rate(3, 10)
    amount = z3.Int("amount")
    term = round_half_up(Z3, amount, rate)
    for pence in [0, 1, 2, 5, 15, 149_999, 150_000, 150_001, 333_333]:
        expected = round_half_up(PYTHON, pence, rate)
        actual = z3.simplify(z3.substitute(term, (amount, z3.IntVal(pence)))).as_long()
        assert expected == actual
    assert 45_000 == round_half_up(PYTHON, 150_000, rate)
    assert 2 == round_half_up(PYTHON, 5, rate)  # 1.5 pence rounds half up
    assert 1 == round_half_up(PYTHON, 4, rate)  # 1.2 pence rounds down
