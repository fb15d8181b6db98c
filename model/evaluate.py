"""Running a scenario through the rules on the plain-Python backend.

`check_start` evaluates every start-of-unit rule and records, for each, the facts and
parameters it read (so `explain` can show the values that decided it). `evaluate` turns that
into the contract's outcome. The lifecycle (events, claims, payments) builds on this.
"""

from __future__ import annotations

from typing import Any

import attrs

from model.facts import Facts, derive
from model.money import Money, Rate
from model.outcome import Outcome, Totals
from model.registry import Rule, paragraph_key, start_rules
from model.ruleset import Ruleset
from model.scenario import Scenario
from model.values import PYTHON


@attrs.frozen(kw_only=True)
class RuleResult:
    """One rule's verdict on one scenario and what it looked at."""

    rule: Rule
    passed: bool
    facts_read: dict[str, Any]
    params_read: dict[str, Any]


class _Reading:
    """A read-only view that logs every attribute read (facts by field name, parameters by
    dotted key)."""

    def __init__(self, target: Any, log: dict[str, Any], prefix: str = "") -> None:
        self._target, self._log, self._prefix = target, log, prefix

    def __getattr__(self, name: str) -> Any:
        value = getattr(self._target, name)
        key = self._prefix + name
        if attrs.has(type(value)) and not isinstance(value, Money | Rate):
            return _Reading(value, self._log, key + ".")
        self._log[key] = value
        return value


def run_rule(rule: Rule, facts: Facts, ruleset: Ruleset) -> RuleResult:
    """Evaluate one rule on concrete facts, logging what it read."""
    facts_read: dict[str, Any] = {}
    params_read: dict[str, Any] = {}
    passed = rule(_Reading(facts, facts_read), _Reading(ruleset, params_read), PYTHON)
    return RuleResult(rule=rule, passed=bool(passed), facts_read=facts_read,
                      params_read=params_read)


def check_start(scenario: Scenario, ruleset: Ruleset) -> list[RuleResult]:
    """Every start-of-unit rule's verdict on the scenario."""
    facts = derive(scenario, ruleset)
    return [run_rule(rule, facts, ruleset) for rule in start_rules()]


def failed_paragraphs(results: list[RuleResult]) -> list[str]:
    """Sorted, unique paragraph ids of the failed rules."""
    ids = {p for r in results if not r.passed for p in r.rule.paragraphs}
    return sorted(ids, key=paragraph_key)


def evaluate(scenario: Scenario, ruleset: Ruleset) -> Outcome:
    """The outcome of a scenario: eligibility at the start; payments and refusals once the
    lifecycle is modelled."""
    results = check_start(scenario, ruleset)
    failed = failed_paragraphs(results)
    return Outcome(
        eligible=not failed,
        failed_paragraphs=failed,
        totals=Totals(learner=scenario.plan.learner_contribution),
        status="ineligible" if failed else "in_learning",
    )
