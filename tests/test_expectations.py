"""`aurules test`: scenario files and fixtures run against their expected outcomes, in every
form the tools write them, with readable differences, JUnit output and --update."""

from __future__ import annotations

import copy
import json
import subprocess
import sys
from pathlib import Path
from xml.etree import ElementTree as ET

import pytest

from aurules.expectations.run import differences
from aurules.model.scenario import MINIMAL

ROOT = Path(__file__).resolve().parent.parent


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "aurules", *args], capture_output=True, text=True, check=False
    )


@pytest.fixture(scope="module")
def fixtures(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The fixtures of paragraph 72.1 and 22.1 in the three forms `fixtures` writes."""
    root = tmp_path_factory.mktemp("fixtures")
    out = {}
    for fmt in ("json", "jsonl", "csv"):
        folder = root / fmt
        for paragraph in ("22.1", "72.1"):
            done = run(
                "fixtures",
                "--paragraph",
                paragraph,
                "--out",
                str(folder / paragraph),
                "--format",
                fmt,
            )
            assert done.returncode == 0, done.stderr
        out[fmt] = folder
    return out


@pytest.mark.parametrize("fmt", ["json", "jsonl", "csv"])
def test_fixtures_as_written_pass(fixtures: dict[str, Path], fmt: str) -> None:
    done = run("test", str(fixtures[fmt]))
    assert done.returncode == 0, done.stdout
    assert " 0 failed" in done.stdout.splitlines()[-1]


def test_csv_fixtures_carry_payments_and_refusals(fixtures: dict[str, Path]) -> None:
    text = next(fixtures["csv"].rglob("*.csv")).read_text()
    header = text.splitlines()[0].split(",")
    for column in ("eligible", "payments", "refused", "totals", "planned", "scenario"):
        assert column in header
    assert "True" not in text and "False" not in text  # booleans lowercase


def test_an_edited_fixture_fails_with_a_readable_difference_and_update_mends_it(
    tmp_path: Path, fixtures: dict[str, Path]
) -> None:
    folder = tmp_path / "fx"
    for path in fixtures["json"].rglob("*.json"):
        (folder / path.name).parent.mkdir(exist_ok=True)
        (folder / path.name).write_text(path.read_text())
    paid = next(
        p
        for p in sorted(folder.glob("*.json"))
        if json.loads(p.read_text())["expected"]["payments"]
    )
    data = json.loads(paid.read_text())
    data["expected"]["payments"][0]["government"] = "1.00"
    paid.write_text(json.dumps(data))
    done = run("test", str(folder))
    assert done.returncode == 1
    assert f"FAIL {paid}" in done.stdout
    assert 'payments[0].government: expected "1.00", got "' in done.stdout
    junit = run("test", str(folder), "--format", "junit")
    root = ET.fromstring(junit.stdout)
    assert root.tag == "testsuites"
    assert root.get("failures") == "1"
    failure = root.find(".//failure")
    assert failure is not None and "payments[0].government" in (failure.text or "")
    assert run("test", str(folder), "--update").returncode == 0
    assert run("test", str(folder)).returncode == 0


def test_a_scenario_beside_its_outcome_file() -> None:
    done = run("test", str(ROOT / "examples" / "access"))
    assert done.returncode == 0, done.stdout


def test_a_partial_expectation_checks_only_what_it_states(tmp_path: Path) -> None:
    scenario = copy.deepcopy(MINIMAL)
    (tmp_path / "s.json").write_text(json.dumps(scenario))
    (tmp_path / "s.outcome.json").write_text(json.dumps({"eligible": True}))
    assert run("test", str(tmp_path)).returncode == 0
    (tmp_path / "s.outcome.json").write_text(json.dumps({"eligible": False}))
    done = run("test", str(tmp_path))
    assert done.returncode == 1
    assert "eligible: expected false, got true" in done.stdout


def test_a_file_that_is_no_case_is_bad_input(tmp_path: Path) -> None:
    (tmp_path / "s.json").write_text(json.dumps(MINIMAL))
    done = run("test", str(tmp_path / "s.json"))
    assert done.returncode == 2
    assert "neither a fixture" in done.stderr
    assert run("test", str(tmp_path / "none")).returncode == 2


def test_differences_name_each_place() -> None:
    expected = {"eligible": True, "payments": [{"government": "1.00"}], "failed_paragraphs": []}
    actual = {
        "eligible": False,
        "payments": [{"government": "2.00"}, {"government": "3.00"}],
        "failed_paragraphs": ["22.1"],
    }
    assert differences(expected, actual) == [
        "eligible: expected true, got false",
        'payments[0].government: expected "1.00", got "2.00"',
        'payments: 1 more than expected: [{"government": "3.00"}]',
        'failed_paragraphs: expected [], got ["22.1"]',
    ]
