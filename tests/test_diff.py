"""`aurules diff` over the start-of-unit facts: the right groups, witnesses that really differ
under both rulesets, and no false differences."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from aurules.differences.start import diff
from aurules.model.evaluate import evaluate
from aurules.model.ruleset import load_ruleset, official
from aurules.model.scenario import Scenario

PROPOSALS = Path(__file__).resolve().parent.parent / "examples" / "proposals"


def _groups(name: str) -> list[tuple[str, str, str]]:
    groups = diff(official(), load_ruleset(str(PROPOSALS / f"{name}.toml")))
    return [(g.rule, g.direction, g.verdict) for g in groups]


def test_lowering_the_minimum_age_makes_18_year_olds_newly_eligible() -> None:
    groups = diff(official(), load_ruleset(str(PROPOSALS / "min-age-18.toml")))
    assert [("minimum_age", "newly eligible", "differs")] == [
        (g.rule, g.direction, g.verdict) for g in groups
    ]
    witness = groups[0].witness
    assert witness is not None
    assert ("age_years",) == groups[0].changed
    assert "2008-05-04" == witness["learner"]["date_of_birth"]  # 18 on the start date


def test_every_witness_differs_when_evaluated_under_both_rulesets() -> None:
    proposal = load_ruleset(str(PROPOSALS / "inclusive-duration.toml"))
    groups = diff(official(), proposal)
    assert {("planned_duration", "newly eligible"), ("planned_duration", "newly ineligible")} == {
        (g.rule, g.direction) for g in groups
    }
    for group in groups:
        assert group.witness is not None
        scenario = Scenario.from_data(group.witness)
        assert evaluate(scenario, official()).eligible != evaluate(scenario, proposal).eligible


def test_identical_rulesets_have_no_differences() -> None:
    assert [] == diff(official(), official())


def test_a_lifecycle_only_change_shows_no_start_of_unit_difference() -> None:
    assert [] == _groups("extension-12-weeks")


def test_diff_command_exit_codes() -> None:
    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "aurules", "diff", *args],
            capture_output=True,
            text=True,
            check=False,
        )

    differs = run("2026-04", str(PROPOSALS / "min-age-18.toml"), "--limit", "2")
    assert 1 == differs.returncode
    assert "newly eligible (22.1" in differs.stdout
    assert 0 == run("2026-04", "2026-04", "--limit", "2").returncode
    missing = run("2026-04", "nope.toml")
    assert 2 == missing.returncode
    assert 1 == len(missing.stderr.strip().splitlines())


def test_a_larger_milestone_2_share_changes_milestone_2_payments() -> None:
    from aurules.differences.lifecycle import lifecycle_diff

    proposal = load_ruleset(str(PROPOSALS / "milestone-2-share-80.toml"))
    groups = lifecycle_diff(official(), proposal, depth=4)
    assert "government" in {g.output for g in groups}
    for group in groups:
        assert "differs" == group.verdict
        assert group.witness is not None and group.base_outcome and group.proposal_outcome
        assert group.base_outcome != group.proposal_outcome  # payments, or the part above
        scenario = Scenario.from_data(group.witness)  # the rate in the totals
        assert (
            evaluate(scenario, official()).to_data()
            == group.base_outcome
            != evaluate(scenario, proposal).to_data()
        )
    # The government's payment differs for the minimal learner on a normal completion: the
    # witness keeps the base scenario's unit, plan and employer, with whole hours.
    government = next(g for g in groups if g.output == "government")
    assert government.witness is not None
    assert {"published_min_hours": 60, "funding_rate": "1500.00"} == government.witness["unit"]
    assert "1500.00" == government.witness["plan"]["price"]
    assert all(e.get("recorded_hours", 0) == 0 for e in government.witness["events"])


def test_longer_extensions_are_found_as_an_extension_accepted_only_by_the_proposal() -> None:
    from aurules.differences.lifecycle import lifecycle_diff

    proposal = load_ruleset(str(PROPOSALS / "extension-12-weeks.toml"))
    groups = {g.output: g for g in lifecycle_diff(official(), proposal, depth=1)}
    assert ["extension_refused"] == list(groups)
    assert ("differs", "extended") == (
        groups["extension_refused"].verdict,
        groups["extension_refused"].event,
    )


def test_a_start_only_change_has_no_lifecycle_difference() -> None:
    from aurules.differences.lifecycle import lifecycle_diff

    assert [] == lifecycle_diff(
        official(), load_ruleset(str(PROPOSALS / "min-age-18.toml")), depth=3
    )


def test_an_earlier_first_day_makes_earlier_starts_newly_eligible(tmp_path: Path) -> None:
    path = tmp_path / "earlier.toml"
    path.write_text('extends = "2026-04"\nid = "earlier"\nvalid_from = "2026-04-01"\n')
    groups = diff(official(), load_ruleset(str(path)))
    assert [("starts_while_rules_apply", "newly eligible", "differs")] == [
        (g.rule, g.direction, g.verdict) for g in groups
    ]
    assert groups[0].witness is not None
    assert "2026-04-27" == groups[0].witness["plan"]["start_date"]
