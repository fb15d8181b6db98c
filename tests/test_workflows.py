"""The workflows of issue 15 as a user runs them: honest impact figures, explanations in the
ruleset's numbers, counterexamples a person can read (explain, replay --explain, timeline)."""

from __future__ import annotations

import copy
import json
import subprocess
import sys
from pathlib import Path

import aurules
from aurules.model.ruleset import load_ruleset
from aurules.model.scenario import MINIMAL, Scenario
from aurules.properties.counterexamples import save
from aurules.properties.replay import sentence

ROOT = Path(__file__).resolve().parent.parent
RECLAIMABLE = ROOT / "examples" / "proposals" / "recovered-milestones-reclaimable.toml"


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "aurules", *args], capture_output=True, text=True, check=False
    )


def proposal(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "p.toml"
    path.write_text('id = "p"\ntitle = "p"\nextends = "2026-04"\n' + body)
    return path


def test_the_planned_split_includes_learning_support() -> None:
    data = copy.deepcopy(MINIMAL)
    data["learner"]["learning_difficulty_or_disability"] = True
    planned = aurules.evaluate(data)["planned"]
    assert planned["learning_support"]["government"] == "150.00"
    assert aurules.evaluate(MINIMAL)["planned"]["learning_support"]["government"] == "0.00"


def test_impact_of_a_learning_support_change_is_not_zero(tmp_path: Path) -> None:
    population = tmp_path / "pop.csv"
    assert run("population", "--size", "400", "--out", str(population)).returncode == 0
    path = proposal(tmp_path, '[funding]\nlearning_support_amount = "200.00"\n')
    done = run("impact", "2026-04", str(path), "--population", str(population), "--format", "json")
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    assert float(data["spend"]["government"]["change"]) > 0
    assert data["not_in_these_figures"]["changes"] == []


def test_impact_names_a_change_its_figures_do_not_read(tmp_path: Path) -> None:
    population = tmp_path / "pop.csv"
    assert run("population", "--size", "100", "--out", str(population)).returncode == 0
    path = proposal(tmp_path, "[duration]\nmax_extension_weeks = 12\n")
    done = run("impact", "2026-04", str(path), "--population", str(population))
    assert done.returncode == 0
    assert "duration.max_extension_weeks" in done.stderr
    assert "NOT IN THESE FIGURES: duration.max_extension_weeks" in done.stdout


def _claim_at(hours: int) -> dict[str, object]:
    data = copy.deepcopy(MINIMAL)
    data["events"] = [
        {"date": "2026-05-11", "type": "delivered", "hours": hours},
        {"date": "2026-05-12", "type": "claim", "item": "milestone_1"},
    ]
    return data


def test_explain_shows_the_numbers_a_claim_condition_decided_on(tmp_path: Path) -> None:
    path = proposal(tmp_path, '[milestones]\nmilestone_1_hours_share = "0.25"\n')
    explained = aurules.explain(_claim_at(15), path)
    guard = next(
        g
        for step in explained["timeline"]
        if "claim" in step
        for g in step["claim"]["guards"]
        if g["paragraphs"] == ["72.1"]
    )
    assert guard["passed"] is True
    assert guard["values"] == "15 h of 60 h = 25%, needs 25%"
    assert "(25%)" in guard["summary"]
    refused = aurules.explain(_claim_at(15))
    guard = next(
        g
        for step in refused["timeline"]
        if "claim" in step
        for g in step["claim"]["guards"]
        if g["paragraphs"] == ["72.1"]
    )
    assert (guard["passed"], guard["values"]) == (False, "15 h of 60 h = 25%, needs 30%")


def test_explain_under_a_longer_plan_quotes_its_own_limit(tmp_path: Path) -> None:
    path = proposal(tmp_path, "[duration]\nmax_planned_days = 140\n")
    scenario = tmp_path / "s.json"
    scenario.write_text(json.dumps(MINIMAL))
    done = run("explain", str(scenario), "--rules", str(path))
    assert "140 days" in done.stdout
    assert "sixteen weeks" not in done.stdout
    failed = run("explain", str(scenario), "--rules", str(path), "--failed-only")
    assert "pass " not in failed.stdout
    assert "unsat core" not in done.stdout


def _counterexample(tmp_path: Path) -> Path:
    """milestone 1 paid, recovered at audit and paid again (allowed by the proposal)."""
    data = copy.deepcopy(MINIMAL)
    data["events"] = [
        {"date": "2026-05-11", "type": "delivered", "hours": 18},
        {"date": "2026-05-12", "type": "claim", "item": "milestone_1"},
        {"date": "2026-06-01", "type": "audit", "evidenced_hours": 0},
        {"date": "2026-06-02", "type": "claim", "item": "milestone_1"},
    ]
    record = {
        "invariant": "milestone_paid_at_most_once",
        "paragraphs": ["91"],
        "ruleset": {"id": "recovered-milestones-reclaimable", "hash": "x"},
        "found_by": "hand",
        "seed": 0,
        "scenario": data,
        "violation": {"step": 4, "detail": "a state dump"},
    }
    return save(record, tmp_path / "cx")


def test_a_counterexample_says_in_a_sentence_how_it_breaks_its_invariant(tmp_path: Path) -> None:
    path = _counterexample(tmp_path)
    scenario = Scenario.from_data(json.loads(path.read_text())["scenario"])
    words = sentence(scenario, load_ruleset(str(RECLAIMABLE)), "milestone_paid_at_most_once")
    assert words.startswith("milestone 1 paid a second time on 2026-06-02 (event 4 of 4): £450.00")
    assert "milestone_paid_at_most_once" in words
    explained = run("explain", str(path), "--rules", str(RECLAIMABLE))
    assert explained.returncode == 0, explained.stderr
    assert "Counterexample of milestone_paid_at_most_once" in explained.stdout
    assert "paid a second time on 2026-06-02" in explained.stdout
    replayed = run("replay", str(path.parent), "--rules", str(RECLAIMABLE), "--explain")
    assert replayed.returncode == 1
    assert "paid a second time on 2026-06-02" in replayed.stdout


def test_timeline_draws_a_counterexample(tmp_path: Path) -> None:
    path = _counterexample(tmp_path)
    for suffix in ("svg", "png"):
        out = tmp_path / f"t.{suffix}"
        done = run("timeline", str(path), "--rules", str(RECLAIMABLE), "--out", str(out))
        assert done.returncode == 0, done.stderr
        assert out.stat().st_size > 1000
    svg = (tmp_path / "t.svg").read_text()
    assert "breaks the invariant" in svg
    assert "withdrawal deadline" in svg
    assert run("timeline", str(path), "--out", str(tmp_path / "t.gif")).returncode == 2


def test_a_four_change_proposal_shows_each_change_in_its_own_group(tmp_path: Path) -> None:
    path = proposal(
        tmp_path,
        "[eligibility]\nmin_age = 18\n"
        '[funding]\nlearning_support_amount = "200.00"\ngovernment_coinvestment_share = "0.9"\n'
        "[duration]\nmax_extension_weeks = 12\n",
    )
    report = aurules.diff("2026-04", path)
    causes = {g["cause"] for g in report["groups"]} | {
        g["cause"] for g in report["lifecycle_groups"]
    }
    assert {
        "eligibility.min_age",
        "funding.learning_support_amount",
        "funding.government_coinvestment_share",
        "duration.max_extension_weeks",
    } <= causes
    behaviours = [g["behaviour"] for g in report["lifecycle_groups"]]
    assert len(behaviours) == len(set(behaviours))  # one group per behaviour, not per field
    for group in report["lifecycle_groups"]:
        assert group["verdict"] == "differs"
        employer = group["witness"].get("employer", {})
        if employer.get("funding") != "transfer":
            assert "transfer" not in employer  # only what the difference needs
