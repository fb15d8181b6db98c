"""Rule health beyond one rule at a time: rules that disagree about a shared fact, rules that
cannot all hold together, and claim conditions that are dead or always true."""

from __future__ import annotations

from typing import Any

import pytest

from aurules.model.overlap import overlaps
from aurules.model.registry import Rule
from aurules.model.rulebook import guards
from aurules.model.ruleset import official
from aurules.properties import guard_health as health_checks
from aurules.properties import runner
from aurules.properties.guard_health import GuardHealth, guard_health


def _rule(name: str, predicate: Any) -> Rule:
    return Rule(
        name=name,
        kind="start",
        paragraphs=(name,),
        cites=(),
        interpretations=(),
        module="tests",
        function=lambda f, p, b: predicate(f, b),
        template=f"test rule {name}",
    )


def test_no_two_official_start_rules_disagree_and_some_learner_passes_them_all() -> None:
    found = overlaps(official())
    assert () == found.conflicts
    assert "sat" == found.jointly
    assert found.pairs_checked >= 30


def test_two_rules_that_no_learner_satisfies_together_are_a_conflict_with_witnesses() -> None:
    old = _rule("90.1", lambda f, b: f.age_years >= 30)
    young = _rule("90.2", lambda f, b: f.age_years <= 20)
    found = overlaps(official(), [old, young])
    assert 1 == len(found.conflicts)
    conflict = found.conflicts[0]
    assert ("90.1", "90.2") == conflict.paragraphs
    assert ("learner.age_years",) == conflict.facts
    assert int(conflict.witnesses[0]["learner.age_years"]) >= 30
    assert int(conflict.witnesses[1]["learner.age_years"]) <= 20
    assert "unsat" == found.jointly


def test_rules_that_agree_in_pairs_but_not_all_together_are_reported_by_their_core() -> None:
    a = _rule("91.1", lambda f, b: b.or_(f.age_years >= 30, f.has_contract_end))
    c = _rule("91.2", lambda f, b: f.age_years <= 20)
    d = _rule("91.3", lambda f, b: b.not_(f.has_contract_end))
    found = overlaps(official(), [a, c, d])
    assert "unsat" == found.jointly
    assert 1 == len(found.conflicts)
    assert {"91.1", "91.2", "91.3"} == set(found.conflicts[0].paragraphs)


def test_every_official_claim_is_payable_and_every_condition_can_refuse() -> None:
    health = guard_health(official())
    assert {"milestone_1": 2, "milestone_2": 4, "learning_support": 2} == health.payable
    assert all(k is not None and k > 0 for k in health.refusing.values()), health.refusing
    assert 1 == health.refusing[("milestone_1", "milestone_1_hours_reached")]
    assert 3 == health.refusing[("milestone_1", "milestone_1_not_claimed_before")]


def test_a_claim_never_paid_or_a_condition_never_refusing_is_a_violated_row(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    refusing = {
        (item, g.name): 1
        for item in ("milestone_1", "milestone_2", "learning_support")
        for g in guards(item)
    }
    refusing[("milestone_2", "skills_test_passed")] = None
    fake = GuardHealth(
        payable={"milestone_1": 2, "milestone_2": None, "learning_support": -1},
        refusing=refusing,
        seconds=0.0,
    )
    monkeypatch.setattr(health_checks, "guard_health", lambda ruleset: fake)
    paid, refuse = runner._guard_health_rows(official())
    assert ("violated", "never paid within 5 events: milestone_2") == (paid.verdict, paid.detail)
    assert "violated" == refuse.verdict
    assert "milestone_2:skills_test_passed" in refuse.detail


def test_the_official_rules_pass_the_overlap_and_claim_rows() -> None:
    rows = [runner._overlap_row(official()), *runner._guard_health_rows(official())]
    assert ["proved", "proved", "proved"] == [r.verdict for r in rows]
