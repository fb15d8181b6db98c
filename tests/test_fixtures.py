"""Fixtures: every one evaluates to its expected outcome; each failing fixture isolates its
rule (MC/DC); the set is deterministic and covers most start-of-unit paragraphs."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from model.evaluate import evaluate
from model.fixtures import fixtures
from model.ruleset import official
from model.scenario import Scenario

FIXTURES = fixtures(official())


@pytest.mark.parametrize("fixture", FIXTURES, ids=[f["id"] for f in FIXTURES])
def test_fixture_evaluates_to_its_expected_outcome(fixture: dict[str, object]) -> None:
    scenario = Scenario.from_data(fixture["scenario"], fixture["id"])  # type: ignore[arg-type]
    assert fixture["expected"] == evaluate(scenario, official()).to_data()


def test_each_failing_fixture_fails_only_its_own_paragraphs() -> None:
    for fixture in FIXTURES:
        expected = fixture["expected"]
        if not expected["eligible"]:
            assert fixture["paragraphs"] == expected["failed_paragraphs"], fixture["id"]


def test_fixtures_are_deterministic() -> None:
    assert [f["id"] for f in FIXTURES] == [f["id"] for f in fixtures(official())]


def test_fixtures_come_in_failing_and_passing_pairs_for_most_paragraphs() -> None:
    covered = {p for f in FIXTURES for p in f["paragraphs"]}
    assert {"24.3", "27"} == {
        "3", "10", "21.1", "22.1", "22.2", "22.3", "22.4", "22.5", "23", "24.1", "24.2",
        "24.3", "24.4", "24.5", "24.6", "24.7", "25", "26.1", "27", "27.1.2", "28", "29",
        "30", "39", "46", "48.1", "50", "71", "84", "85", "88", "96", "111", "115", "116",
        "124", "129"} - covered
    # 24.3 and 27 cannot fail alone (a director without a line manager also fails 28; a
    # short contract also fails 22.2).


def test_fixtures_command_writes_json_files(tmp_path: Path) -> None:
    result = subprocess.run([sys.executable, "-m", "aurules", "fixtures", "--paragraph", "22.1",
                             "--out", str(tmp_path), "--format", "json"],
                            capture_output=True, text=True, check=False)
    assert 0 == result.returncode, result.stderr
    files = sorted(tmp_path.glob("*.json"))
    assert 2 == len(files)
    assert "22.1:2" in result.stderr
    for path in files:
        fixture = json.loads(path.read_text())
        assert {"id", "paragraphs", "description", "ruleset", "scenario", "expected"} == set(
            fixture)
        assert path.stem == fixture["id"]


def test_the_first_day_the_rules_apply_is_a_boundary_pair() -> None:
    starts = {f["expected"]["eligible"]: f["scenario"]["plan"]["start_date"]
              for f in FIXTURES if f["paragraphs"] == ["3"]}
    assert {False: "2026-04-27", True: "2026-04-28"} == starts


def test_a_reservation_serves_starts_from_the_first_day_of_its_month() -> None:
    starts = {f["expected"]["eligible"]: f["scenario"]["plan"]["start_date"]
              for f in FIXTURES if f["paragraphs"] == ["88"]}
    assert {False: "2026-04-30", True: "2026-05-01"} == starts
