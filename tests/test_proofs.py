"""The Z3 checks can fail: a weakened rule is caught with a counterexample, an invariant that
does not hold is never reported proved, and a solver that gives up is reported unknown."""

from __future__ import annotations

import pytest

from aurules.model.ruleset import official
from aurules.model.scenario import Scenario
from aurules.properties import proofs
from aurules.properties.invariant import Invariant
from aurules.properties.invariants import INVARIANTS
from aurules.properties.proofs import bounded_check, check_invariants, induction
from aurules.properties.replay import first_violation
from aurules.properties.runner import Report, Row
from tests.helpers import weaken


@pytest.mark.parametrize(
    ("guard", "invariant"),
    [
        ("milestone_1_hours_reached", "paid_only_when_due"),
        ("milestone_1_not_claimed_before", "milestone_paid_at_most_once"),
        ("learning_support_not_paid_before", "learning_support_once"),
        ("not_withdrawn", "nothing_after_withdrawal"),
        ("no_learner_contribution", "learner_never_pays"),
        ("planned_duration", "duration_within_limit"),
    ],
)
def test_a_weakened_rule_is_caught_with_a_replayable_counterexample(
    monkeypatch: pytest.MonkeyPatch, guard: str, invariant: str
) -> None:
    weaken(monkeypatch, guard)
    verdict = check_invariants(official(), depth=12)[invariant]
    assert "violated" == verdict.verdict
    assert verdict.scenario is not None
    assert first_violation(Scenario.from_data(verdict.scenario), official(), invariant)


def test_an_invariant_that_does_not_hold_is_not_proved() -> None:
    false = Invariant(
        name="no_hours_ever",
        paragraphs=(),
        meaning="Nothing is delivered.",
        over="state",
        predicate=lambda s, b: s.delivered == 0,
    )
    proved, note = induction(official(), [false])
    assert set() == proved
    assert "no_hours_ever" in note
    verdict = bounded_check(official(), [false], depth=3)["no_hours_ever"]
    assert ("violated", 1) == (verdict.verdict, verdict.depth)


def test_a_solver_that_gives_up_is_reported_unknown(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(proofs, "RLIMIT", 1)
    verdicts = check_invariants(official(), depth=2)
    assert {"unknown"} == {v.verdict for v in verdicts.values()}
    report = Report(
        ruleset={},
        profile="ci",
        seed=0,
        rows=[
            Row(name=n, paragraphs=[], method="z3 bmc", verdict=f"unknown ({v.detail})")
            for n, v in verdicts.items()
        ],
    )
    assert 3 == report.exit_code


def test_exit_code_is_violated_over_unknown_over_holds() -> None:
    holds = Row(name="a", paragraphs=[], method="z3", verdict="proved")
    unknown = Row(name="b", paragraphs=[], method="z3", verdict="unknown (timeout)")
    violated = Row(name="c", paragraphs=[], method="z3", verdict="violated")
    assert 0 == Report(ruleset={}, profile="ci", seed=0, rows=[holds]).exit_code
    assert 3 == Report(ruleset={}, profile="ci", seed=0, rows=[holds, unknown]).exit_code
    assert 1 == Report(ruleset={}, profile="ci", seed=0, rows=[holds, unknown, violated]).exit_code


def test_every_invariant_names_its_paragraphs_except_well_formedness() -> None:
    assert "well_formed" == INVARIANTS[0].name
    assert [] == [inv.name for inv in INVARIANTS[1:] if not inv.paragraphs]
