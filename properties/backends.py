"""The three backends on one learner: the start rules run as plain Python, reduced from their
Z3 terms and vectorised with NumPy must give the same verdict. The `backends_agree` check
draws learners for it, and a saved disagreement replays through it."""

from __future__ import annotations

from typing import Any

from aurules.model.evaluate import check_start
from aurules.model.facts import derive
from aurules.model.population.outcome import evaluate_table
from aurules.model.population.table import from_scenarios
from aurules.model.ruleset import Ruleset
from aurules.model.scenario import Scenario
from aurules.model.symbolic.start import RuleTerms

NAME = "backends_agree"
"""The name a disagreement is saved and replayed under."""


def disagreement(scenario: Scenario, ruleset: Ruleset, terms: RuleTerms | None = None) -> str:
    """The first start rule on which the backends disagree about `scenario`, as a sentence
    ("" when they agree). `terms` are the rules' Z3 terms, built once by a caller that checks
    many learners."""
    terms = terms or RuleTerms(ruleset)
    facts = derive(scenario, ruleset)
    table = evaluate_table(from_scenarios([scenario], ruleset.new_facts), ruleset)
    for result in check_start(scenario, ruleset):
        symbolic = terms.value(result.rule, facts)
        vectorised = not bool(table.failed[result.rule][0])
        if symbolic != result.passed or vectorised != result.passed:
            return (
                f"rule {result.rule.where} ({', '.join(result.rule.paragraphs)}): "
                f"python says {result.passed}, z3 says {symbolic}, numpy says {vectorised}"
            )
    return ""


def replayed(scenario: Scenario, ruleset: Ruleset) -> Any:
    """A saved disagreement replayed: an object with `detail` when it still disagrees."""
    detail = disagreement(scenario, ruleset)
    return _Disagreement(detail) if detail else None


class _Disagreement:
    invariant = NAME

    def __init__(self, detail: str) -> None:
        self.detail = detail
