"""The Python API returns the same data as the command line's JSON, takes scenarios and
rulesets in every documented form, and raises BadInput with the CLI's line."""

from __future__ import annotations

import json
import subprocess
import sys
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

import aurules
from aurules.model.ruleset import Ruleset
from aurules.model.scenario import Scenario
from aurules.properties import runner
from tests.helpers import SPEC_EVENTS, data

ROOT = Path(__file__).resolve().parents[1]
PROPOSALS = ROOT / "examples" / "proposals"


def cli_json(cwd: Path, *args: str) -> Any:
    result = subprocess.run(
        [sys.executable, "-m", "aurules", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode in (0, 1), result.stderr
    return json.loads(result.stdout)


def spec_scenario() -> dict[str, Any]:
    return data({"events": SPEC_EVENTS})


def test_evaluate_takes_data_a_path_or_a_scenario_and_matches_the_cli(tmp_path: Path) -> None:
    path = tmp_path / "scenario.json"
    path.write_text(json.dumps(spec_scenario()), "utf-8")
    expected = cli_json(tmp_path, "evaluate", str(path))
    assert expected == aurules.evaluate(spec_scenario())
    assert expected == aurules.evaluate(path)
    assert expected == aurules.evaluate(str(path), "2026-04")
    assert expected == aurules.evaluate(Scenario.from_data(spec_scenario()), aurules.load_ruleset())


def test_evaluate_reads_python_floats_as_the_decimals_they_print_as() -> None:
    floats = {
        "learner.weekly_hours": 37.5,
        "learner.share_of_hours_in_england": 0.5,
        "plan.planned_hours": 60.25,
    }
    decimals = {key: Decimal(repr(value)) for key, value in floats.items()}
    as_float = aurules.evaluate(data(floats))
    assert aurules.evaluate(data(decimals)) == as_float
    assert as_float["eligible"]


def test_evaluate_under_a_proposal_by_path_or_object() -> None:
    path = PROPOSALS / "min-age-18.toml"
    eighteen = data({"learner.date_of_birth": "2008-01-15"})
    assert ["22.1"] == aurules.evaluate(eighteen)["failed_paragraphs"]
    assert [] == aurules.evaluate(eighteen, path)["failed_paragraphs"]
    proposal = aurules.load_ruleset(str(path))
    assert isinstance(proposal, Ruleset)
    assert proposal is aurules.load_ruleset(proposal)
    assert [] == aurules.evaluate(eighteen, proposal)["failed_paragraphs"]


def test_explain_matches_the_clis_json(tmp_path: Path) -> None:
    path = tmp_path / "scenario.json"
    scenario = data({"learner.date_of_birth": "2008-06-01"})
    path.write_text(json.dumps(scenario), "utf-8")
    expected = cli_json(tmp_path, "explain", str(path), "--format", "json")
    assert expected == aurules.explain(path)
    failing = [r["rule"] for r in aurules.explain(scenario)["rules"] if not r["passed"]]
    assert ["model.rules.eligibility.minimum_age"] == failing


def test_an_access_trace_is_evaluated_as_the_cli_does(tmp_path: Path) -> None:
    trace = ROOT / "examples" / "access" / "viewer-invites.json"
    assert cli_json(tmp_path, "evaluate", str(trace)) == aurules.evaluate(trace)


def test_rules_match_the_cli(tmp_path: Path) -> None:
    assert cli_json(tmp_path, "rules", "--format", "json") == aurules.rules()
    encoded = aurules.rules(status="encoded")
    assert encoded == cli_json(tmp_path, "rules", "--format", "json", "--status", "encoded")
    assert all(not e["where"].startswith("aurules.") for e in encoded)


def test_diff_matches_the_cli(tmp_path: Path) -> None:
    proposal = str(PROPOSALS / "min-age-18.toml")
    expected = cli_json(tmp_path, "diff", "2026-04", proposal, "--limit", "0", "--format", "json")
    found = aurules.diff("2026-04", proposal, limit=0)
    assert 1 == found.pop("exit_code")
    assert expected == found


def test_fixtures_of_a_paragraph_match_the_cli(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "aurules", "fixtures", "--paragraph", "46"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
    )
    expected = [json.loads(line) for line in result.stdout.splitlines()]
    assert expected
    assert expected == aurules.fixtures(paragraph="46")


def test_check_returns_the_reports_data_and_saves_nowhere_by_default(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    seen: list[str] = []

    def fake(ruleset: Ruleset, *, profile: str, seed: int, save: str) -> runner.Report:
        seen.append(save)
        row = runner.Row(
            name="learner_never_pays",
            paragraphs=["96"],
            method="replay",
            verdict="violated",
            seconds=0.0,
        )
        return runner.Report(ruleset=ruleset.summary(), profile=profile, seed=seed, rows=[row])

    monkeypatch.setattr(runner, "run_checks", fake)
    monkeypatch.chdir(tmp_path)
    report = aurules.check(seed=7)
    assert 1 == report["exit_code"]
    assert 7 == report["seed"]
    assert ["learner_never_pays"] == [row["name"] for row in report["invariants"]]
    assert not Path(seen[0]).exists()  # a temporary folder, gone afterwards
    assert [] == list(tmp_path.iterdir())  # nothing written in the working directory
    aurules.check(save=tmp_path / "found")
    assert str(tmp_path / "found") == seen[1]


@pytest.mark.parametrize(
    ("call", "fragment"),
    [
        (lambda: aurules.evaluate({"learner": {}}), "learner.date_of_birth: required field"),
        (lambda: aurules.evaluate("no-such-file.json"), "no-such-file.json"),
        (lambda: aurules.evaluate(data(), "no-such-ruleset"), "no-such-ruleset"),
        (lambda: aurules.evaluate(42), "expected scenario data"),  # type: ignore[arg-type]
        (lambda: aurules.load_ruleset(3.5), "expected a ruleset id"),  # type: ignore[arg-type]
        (lambda: aurules.check(profile="fast"), "profile"),
        (lambda: aurules.diff(None, "2026-04", limit=13), "limit"),
        (lambda: aurules.replay("no-such-folder"), "no such folder"),
    ],
)
def test_bad_input_raises_badinput_naming_the_problem(call: Any, fragment: str) -> None:
    with pytest.raises(aurules.BadInput, match=None) as caught:
        call()
    assert fragment in str(caught.value)


def test_replay_says_which_saved_counterexamples_still_violate() -> None:
    results = aurules.replay(ROOT / "counterexamples")
    assert results
    assert not any(r["violated"] for r in results)
    under = aurules.replay(ROOT / "counterexamples", PROPOSALS / "extension-12-weeks.toml")
    assert any(r["violated"] and r["invariant"] == "duration_within_limit" for r in under)
