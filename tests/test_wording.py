"""Rule summaries quote the rules' own words under the official ruleset and the ruleset's own
values under any other (`aurules.model.wording`)."""

from __future__ import annotations

from pathlib import Path

import aurules
from aurules.model.rulebook import all_rules
from aurules.model.ruleset import official
from aurules.model.wording import keys, plain, under, value_of
from tests.helpers import data, proposal


def test_every_link_in_a_summary_names_a_ruleset_value() -> None:
    missing = []
    for rule in all_rules():
        for key in keys(rule.template):
            try:
                value_of(official(), key)
            except AttributeError:
                missing.append(f"{rule.name}: {key}")
    assert [] == missing


def test_under_the_official_ruleset_a_summary_is_the_rules_wording() -> None:
    for rule in all_rules():
        assert rule.summary == rule.summary_under(official()), rule.name
        assert "](" not in rule.summary, rule.name


def test_a_changed_value_is_shown_with_its_unit(tmp_path: Path) -> None:
    longer = proposal(
        tmp_path,
        '[duration]\nmax_planned_days = 140\n[milestones]\nmilestone_1_hours_share = "0.25"\n',
    )
    rules = {r.name: r for r in all_rules()}
    assert "between one week and 140 days" in rules["planned_duration"].summary_under(longer)
    assert "(25%)" in rules["milestone_1_hours_reached"].summary_under(longer)
    assert "sixteen weeks" in rules["planned_duration"].summary


def test_plain_and_under_on_a_text() -> None:
    text = "at most [eight weeks](duration.max_extension_weeks) and [20%](hours.max_recorded_share)"
    assert "at most eight weeks and 20%" == plain(text)
    assert "at most eight weeks and 20%" == under(text, official(), official())


def test_explain_quotes_the_proposals_numbers(tmp_path: Path) -> None:
    longer = proposal(tmp_path, "[duration]\nmax_planned_days = 140\n")
    learner = data({"plan.planned_end_date": "2026-09-14"})  # 133 days
    explained = aurules.explain(learner, longer)
    summaries = {r["rule"]: r["summary"] for r in explained["rules"]}
    assert "140 days" in summaries["model.rules.programme.planned_duration"]
    official_summaries = {r["rule"]: r["summary"] for r in aurules.explain(learner)["rules"]}
    assert "sixteen weeks" in official_summaries["model.rules.programme.planned_duration"]
