"""Explanations: the values that decided each rule, and Z3's minimal reasons."""

from __future__ import annotations

import aurules
from aurules.explanation.explain import explanation, render_text
from aurules.model.facts import derive
from aurules.model.ruleset import official
from aurules.model.symbolic.start import unsat_cores
from tests.helpers import data, scenario


def test_eligible_scenario_has_no_unsat_core() -> None:
    result = unsat_cores(derive(scenario(), official()), official())
    assert "sat" == result.verdict
    assert () == result.reasons


def test_core_of_an_underage_learner_is_paragraph_22_1_and_the_age() -> None:
    underage = scenario({"learner.date_of_birth": "2008-01-01"})
    result = unsat_cores(derive(underage, official()), official())
    assert "unsat" == result.verdict
    assert [("22.1",)] == [r.paragraphs for r in result.reasons]
    assert ("learner.age_years",) == result.reasons[0].facts


def test_every_independent_reason_is_found_with_only_the_facts_that_matter() -> None:
    both = scenario({"learner.sandwich_placement": True, "learner.contract_end_date": "2026-07-26"})
    result = unsat_cores(derive(both, official()), official())
    found = {r.paragraphs: r.facts for r in result.reasons}
    assert {("24.7",), ("22.2",), ("27",)} == set(found)
    assert ("learner.sandwich_placement",) == found[("24.7",)]
    # the right-to-work facts do not decide 22.2 here, so the minimal core leaves them out
    assert "learner.right_to_work_end_day" not in found[("22.2",)]
    assert "plan.planned_end_day" in found[("22.2",)]


def test_core_paragraphs_are_always_among_the_failed_paragraphs() -> None:
    many = scenario(
        {
            "learner.residency_eligible": False,
            "plan.subcontracted": True,
            "learner.learning_difficulty_or_disability": True,
        }
    )
    data = explanation(many, official(), "many.json")
    core = {p for reason in data["why"]["reasons"] for p in reason["paragraphs"]}
    assert set(data["outcome"]["failed_paragraphs"]) == core
    assert {"21.1", "50", "124"} == core


def test_explanation_shows_facts_ruleset_values_and_interpretations() -> None:
    text = render_text(
        explanation(scenario({"learner.date_of_birth": "2007-05-05"}), official(), "young.json")
    )
    assert "FAIL  22.1" in text
    assert "learner.age_years = 18" in text
    assert "eligibility.min_age = 19" in text
    assert "interpretation age = calendar_birthday" in text
    assert "Minimal set of paragraphs: 22.1" in text


def test_eligible_explanation_has_no_why_section() -> None:
    data = explanation(scenario(), official(), "ok.json")
    assert "why" not in data
    assert all(rule["passed"] for rule in data["rules"])


def test_why_not_gives_the_smallest_change_that_makes_the_learner_eligible() -> None:
    from aurules.model.symbolic.start import why_not

    young = scenario(
        {"learner.date_of_birth": "2008-01-15", "learner.share_of_hours_in_england": 0.3}
    )
    result = why_not(derive(young, official()), official())
    assert "sat" == result.verdict
    assert [("age_years", 18, 19), ("share_in_england", 300_000, 500_000)] == list(result.changes)


def test_why_not_shows_in_the_explanation() -> None:
    data = explanation(scenario({"plan.subcontracted": True}), official(), "sub.json")
    changes = data["why"]["why_not"]["changes"]
    assert [
        {"fact": "plan.subcontracted", "from": "true", "to": "false", "input": "plan.subcontracted"}
    ] == changes
    assert "Smallest change" in render_text(data)


def _claims(events: list[dict[str, object]], **learner: object) -> list[dict[str, object]]:
    changes: dict[str, object] = {"events": events}
    changes.update({f"learner.{k}": v for k, v in learner.items()})
    data = explanation(scenario(changes), official())
    return [step["claim"] for step in data["timeline"] if "claim" in step]


def test_a_refused_milestone_1_is_paid_with_one_more_hour_delivered() -> None:
    claims = _claims(
        [
            {"date": "2026-05-20", "type": "delivered", "hours": 17},
            {"date": "2026-05-21", "type": "claim", "item": "milestone_1"},
        ]
    )
    flip = claims[0]["why_not"]
    assert "sat" == flip["verdict"]
    assert [{"fact": "events[0].hours", "from": "17 h", "to": "18 h"}] == flip["changes"]


def test_a_learning_support_claim_with_no_cost_is_paid_with_a_penny_of_cost() -> None:
    claims = _claims(
        [
            {"date": "2026-05-20", "type": "delivered", "hours": 18},
            {"date": "2026-05-21", "type": "claim", "item": "learning_support", "cost": "0.00"},
        ],
        learning_difficulty_or_disability=True,
    )
    assert [{"fact": "events[1].cost", "from": "£0.00", "to": "£0.01"}] == claims[0]["why_not"][
        "changes"
    ]


def test_a_claim_that_needs_a_missing_event_has_no_change_of_values() -> None:
    claims = _claims(
        [
            {"date": "2026-05-20", "type": "delivered", "hours": 60},
            {"date": "2026-05-21", "type": "skills_test_passed"},
            {"date": "2026-05-22", "type": "claim", "item": "milestone_2"},
        ]
    )
    assert "unsat" == claims[0]["why_not"]["verdict"]  # nobody signed the plan off (63)


def test_paid_claims_and_ineligible_learners_get_no_claim_why_not() -> None:
    paid = _claims(
        [
            {"date": "2026-05-20", "type": "delivered", "hours": 18},
            {"date": "2026-05-21", "type": "claim", "item": "milestone_1"},
        ]
    )
    assert "why_not" not in paid[0]
    young = _claims(
        [{"date": "2026-05-21", "type": "claim", "item": "milestone_1"}], date_of_birth="2010-01-01"
    )
    assert "why_not" not in young[0]


def test_the_claim_why_not_shows_in_the_text() -> None:
    changes = {
        "events": [
            {"date": "2026-05-20", "type": "delivered", "hours": 17},
            {"date": "2026-05-21", "type": "claim", "item": "milestone_1"},
        ]
    }
    text = render_text(explanation(scenario(changes), official()))
    assert "events[0].hours: 17 h -> 18 h" in text


def test_explain_shows_the_planned_split() -> None:
    text = render_text(explanation(scenario({"plan.price": "1800.00"}), official()))
    assert "Planned (" in text
    assert "milestone_1 government £450.00" in text  # 30% of the £1,500 rate
    assert "employer above rate £300.00" in text  # the £300 above the rate


def _notes(events: list[dict[str, object]]) -> list[tuple[str, str]]:
    explained = aurules.explain(data({"events": events}))
    return [(s["type"], s["note"]) for s in explained["timeline"] if "note" in s]


def test_explain_says_why_hours_did_not_count_and_why_a_sign_off_was_ignored() -> None:
    notes = _notes(
        [
            {"date": "2026-05-03", "type": "delivered", "hours": 10},
            {"date": "2026-05-05", "type": "plan_signed_off"},
        ]
    )
    assert [
        ("delivered", "these hours do not count: before the learning start date (50.1)"),
        (
            "plan_signed_off",
            "sign-off before the learning is complete (all the planned hours and the skills "
            "test): recorded and ignored (63, 64); signing again once it is complete counts",
        ),
    ] == notes


def test_explain_says_why_a_restart_fails_in_the_rulesets_numbers() -> None:
    restart = {
        "date": "2026-06-01",
        "type": "restarted",
        "employer": {"funding": "reservation", "reservation": {"start_date": "2026-03-01"}},
        "planned_end_date": "2026-12-30",
    }
    ((kind, note),) = _notes([{"date": "2026-05-25", "type": "employment_ended"}, restart])
    assert "restarted" == kind
    assert note.startswith("the new employer's funding fails at the restart date: ")
    assert "(88)" in note
    assert note.endswith(
        "the restart's training plan is outside 129's limits (one to sixteen weeks, 30 to 140 "
        "hours, in the rules): nothing is paid and no training counts until it is"
    )
