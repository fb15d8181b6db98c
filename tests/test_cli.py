"""The command line as a user runs it: `python -m aurules ...` in a subprocess, in a temporary
folder, checked against the public contract (spec/interface.md): commands, exit codes, the
outcome and catalogue formats, JSON Schemas, and the bad-input rule (exit code 2, one line on
stderr naming the file and the field, no traceback, nothing written).

Subprocesses are slow, so each command is run as few times as possible; the many bad-input
cases are tested in process in tests/test_bad_input.py.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator

from aurules.model.errors import BadInput
from aurules.model.scenario import Scenario
from tests.helpers import DELETE, data

COMMANDS = ("evaluate", "explain", "rules", "check", "schema")
OUTCOME_KEYS = {
    "eligible",
    "failed_paragraphs",
    "payments",
    "refused",
    "totals",
    "status",
    "planned",
}
TOTALS_KEYS = {
    "government",
    "employer_account",
    "employer_direct",
    "employer_above_rate",
    "learner",
}
STATUSES = {"in_learning", "completed", "withdrawn", "must_withdraw", "ineligible"}
CATALOGUE_STATUSES = {"encoded", "process-only", "out-of-scope"}
CHECK_ROW_KEYS = {
    "name",
    "paragraphs",
    "method",
    "verdict",
    "depth",
    "runs",
    "seconds",
    "counterexample",
}

INELIGIBLE = {"learner.date_of_birth": "2008-01-01", "learner.student_loan_funded": True}
"""18 on the start date (22.1) and paid by a student loan (22.3)."""

EIGHTEEN = {"learner.date_of_birth": "2008-01-01"}
"""Only too young (22.1) under the official minimum age of 19."""

EVENTS: list[dict[str, Any]] = [
    {"date": "2026-05-20", "type": "delivered", "hours": 18, "recorded_hours": 0, "kit_day": False},
    {"date": "2026-05-21", "type": "claim", "item": "milestone_1"},
    {"date": "2026-05-22", "type": "claim", "item": "milestone_2"},
    {"date": "2026-06-20", "type": "delivered", "hours": 42},
    {"date": "2026-07-20", "type": "skills_test_passed"},
    {"date": "2026-07-21", "type": "plan_signed_off", "by": ["provider", "learner", "employer"]},
    {"date": "2026-07-22", "type": "claim", "item": "milestone_2"},
]
"""The contract's happy path plus an early (refused) milestone 2 claim."""


def run(cwd: Path, *args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "AURULES_DEBUG"}
    return subprocess.run(
        [sys.executable, "-m", "aurules", *args],
        cwd=cwd,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=900,
        env=env,
        check=False,
    )


def write_json(folder: Path, name: str, value: Any) -> Path:
    path = folder / name
    path.write_text(json.dumps(value), "utf-8")
    return path


def write_text(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text, "utf-8")
    return path


def assert_bad_input(result: subprocess.CompletedProcess[str], *fragments: str) -> None:
    """Exit code 2, nothing on stdout, exactly one line on stderr holding each fragment."""
    assert result.returncode == 2, (result.returncode, result.stderr)
    assert result.stdout == ""
    assert "Traceback" not in result.stderr
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    for fragment in fragments:
        assert fragment in lines[0], (fragment, lines[0])


def validator(schema: dict[str, Any]) -> Draft202012Validator:
    return Draft202012Validator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER)


# --- help and evaluate -----------------------------------------------------------------------


def test_help_lists_the_commands(tmp_path: Path) -> None:
    result = run(tmp_path, "--help")
    assert result.returncode == 0
    for command in COMMANDS:
        assert command in result.stdout


def test_evaluate_prints_the_contracts_outcome(tmp_path: Path) -> None:
    write_json(tmp_path, "base.json", data())
    result = run(tmp_path, "evaluate", "base.json")
    assert result.returncode == 0, result.stderr
    outcome = json.loads(result.stdout)
    assert set(outcome) == OUTCOME_KEYS
    assert set(outcome["totals"]) == TOTALS_KEYS
    assert outcome["eligible"] is True
    assert outcome["status"] == "in_learning"
    assert outcome["failed_paragraphs"] == []
    assert outcome["payments"] == []
    assert outcome["refused"] == []
    assert all(value == "0.00" for value in outcome["totals"].values())
    # the plan as it stands: 30% and 70% of the £1,500 price, all paid by government
    assert {
        "government": "450.00",
        "employer_account": "0.00",
        "employer_direct": "0.00",
    } == outcome["planned"]["milestone_1"]
    assert "1050.00" == outcome["planned"]["milestone_2"]["government"]


def test_evaluate_ineligible(tmp_path: Path) -> None:
    write_json(tmp_path, "young.json", data(INELIGIBLE))
    result = run(tmp_path, "evaluate", "young.json")
    assert result.returncode == 0, result.stderr
    outcome = json.loads(result.stdout)
    assert outcome["eligible"] is False
    assert outcome["status"] == "ineligible"
    assert outcome["failed_paragraphs"] == ["22.1", "22.3"]


def test_evaluate_reads_stdin(tmp_path: Path) -> None:
    result = run(tmp_path, "evaluate", "-", stdin=json.dumps(data(EIGHTEEN)))
    assert result.returncode == 0, result.stderr
    outcome = json.loads(result.stdout)
    assert (outcome["status"], outcome["failed_paragraphs"]) == ("ineligible", ["22.1"])


def test_evaluate_uses_a_proposal(tmp_path: Path) -> None:
    write_json(tmp_path, "eighteen.json", data(EIGHTEEN))
    write_text(
        tmp_path,
        "younger.toml",
        'id = "younger"\nextends = "2026-04"\n[eligibility]\nmin_age = 18\n',
    )
    result = run(tmp_path, "evaluate", "eighteen.json", "--rules", "younger.toml")
    assert result.returncode == 0, result.stderr
    outcome = json.loads(result.stdout)
    assert outcome["eligible"] is True
    assert outcome["failed_paragraphs"] == []
    assert outcome["status"] == "in_learning"


# --- bad input -------------------------------------------------------------------------------

BAD_INPUT_CASES = [
    pytest.param(["evaluate", "nope.json"], {}, ["nope.json", "no such file"], id="missing-file"),
    pytest.param(
        ["evaluate", "bad.json"],
        {"bad.json": "{"},
        ["bad.json", "not valid JSON"],
        id="malformed-json",
    ),
    pytest.param(
        ["evaluate", "bad.json"],
        {"bad.json": data({"learner.x": 1})},
        ["bad.json", "learner.x", "unknown field"],
        id="unknown-field",
    ),
    pytest.param(
        ["evaluate", "bad.json"],
        {"bad.json": data({"plan.start_date": "2026-02-30"})},
        ["bad.json", "plan.start_date", "2026-02-30"],
        id="impossible-date",
    ),
    pytest.param(
        ["evaluate", "bad.json"],
        {
            "bad.json": data(
                {
                    "events": [
                        {"date": "2026-05-21", "type": "withdrawn"},
                        {"date": "2026-05-20", "type": "withdrawn"},
                    ]
                }
            )
        },
        ["bad.json", "events[1].date"],
        id="events-out-of-order",
    ),
    pytest.param(
        ["evaluate", "base.json", "--rules", "p.toml"],
        {"base.json": data(), "p.toml": 'id = "p"\nextends = "2026-04"\n[eligibility]\nfoo = 1\n'},
        ["p.toml", "eligibility.foo", "unknown field"],
        id="bad-ruleset-key",
    ),
    pytest.param(
        ["evaluate", "base.json", "--rules", "missing.toml"],
        {"base.json": data()},
        ["missing.toml", "no such file"],
        id="missing-ruleset",
    ),
    pytest.param(
        ["explain", "bad.json"],
        {"bad.json": data({"plan.price": "1500.001"})},
        ["bad.json", "plan.price", "decimal places"],
        id="explain-money-3-places",
    ),
]


@pytest.mark.parametrize(("args", "files", "fragments"), BAD_INPUT_CASES)
def test_bad_input_exits_2_with_one_line(
    tmp_path: Path, args: list[str], files: dict[str, Any], fragments: list[str]
) -> None:
    for name, content in files.items():
        if isinstance(content, str):
            write_text(tmp_path, name, content)
        else:
            write_json(tmp_path, name, content)
    assert_bad_input(run(tmp_path, *args), *fragments)


def test_bad_stdin_is_named(tmp_path: Path) -> None:
    result = run(tmp_path, "evaluate", "-", stdin=json.dumps(data({"learner.employment": "x"})))
    assert_bad_input(result, "<stdin>", "learner.employment")


def test_deeply_nested_json_is_bad_input(tmp_path: Path) -> None:
    write_text(tmp_path, "deep.json", "[" * 100_000 + "]" * 100_000)
    assert_bad_input(run(tmp_path, "evaluate", "deep.json"), "deep.json")


# --- explain ---------------------------------------------------------------------------------


def test_explain_ineligible(tmp_path: Path) -> None:
    write_json(tmp_path, "young.json", data(INELIGIBLE))
    result = run(tmp_path, "explain", "young.json")
    assert result.returncode == 0, result.stderr
    text = result.stdout
    for fragment in (
        "22.1",
        "22.3",
        "learner.age_years",
        "learner.student_loan_funded",
        "eligibility.min_age",
        "Minimal set of paragraphs",
    ):
        assert fragment in text, fragment


def test_explain_json(tmp_path: Path) -> None:
    write_json(tmp_path, "young.json", data(INELIGIBLE))
    result = run(tmp_path, "explain", "young.json", "--format", "json")
    assert result.returncode == 0, result.stderr
    explanation = json.loads(result.stdout)
    assert {"rules", "why"} <= set(explanation)
    failed = {p for rule in explanation["rules"] if not rule["passed"] for p in rule["paragraphs"]}
    assert failed == {"22.1", "22.3"}


# --- rules -----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def catalogue(tmp_path_factory: pytest.TempPathFactory) -> list[dict[str, Any]]:
    result = run(tmp_path_factory.mktemp("rules"), "rules", "--format", "json")
    assert result.returncode == 0, result.stderr
    rows: list[dict[str, Any]] = json.loads(result.stdout)
    return rows


def test_rules_json_rows(catalogue: list[dict[str, Any]]) -> None:
    required = {"paragraph", "status", "where", "summary"}
    for row in catalogue:
        assert required <= set(row) <= required | {"reason", "parameters"}, row
        assert row["status"] in CATALOGUE_STATUSES, row
        assert row["summary"], row
        if row["status"] == "encoded":
            assert row["where"], row
    ids = [row["paragraph"] for row in catalogue]
    assert len(ids) == len(set(ids))
    for paragraph in ("1", "53.1", "149", "access-0", "access-1", "access-2", "access-3"):
        assert paragraph in ids, paragraph
    assert "70" not in ids
    assert "5.3.1" not in ids


def test_rules_text(tmp_path: Path) -> None:
    result = run(tmp_path, "rules")
    assert result.returncode == 0, result.stderr
    assert "53.1" in result.stdout
    assert "paragraphs shown" in result.stdout


# --- schema ----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def schemas(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict[str, Any]]:
    folder = tmp_path_factory.mktemp("schema")
    out = {}
    for name in ("scenario", "outcome", "ruleset"):
        result = run(folder, "schema", name)
        assert result.returncode == 0, result.stderr
        out[name] = json.loads(result.stdout)
    return out


@pytest.mark.parametrize("name", ["scenario", "outcome", "ruleset"])
def test_schema_is_valid_json_schema(schemas: dict[str, dict[str, Any]], name: str) -> None:
    Draft202012Validator.check_schema(schemas[name])


def test_base_and_evaluate_output_match_the_schemas(
    tmp_path: Path, schemas: dict[str, dict[str, Any]]
) -> None:
    scenario = data({"events": EVENTS})
    validator(schemas["scenario"]).validate(data())
    validator(schemas["scenario"]).validate(scenario)
    write_json(tmp_path, "full.json", scenario)
    result = run(tmp_path, "evaluate", "full.json")
    assert result.returncode == 0, result.stderr
    outcome = json.loads(result.stdout)
    assert outcome["payments"] and outcome["refused"]  # the schema sees every part
    validator(schemas["outcome"]).validate(outcome)


def test_official_ruleset_matches_the_schema(schemas: dict[str, dict[str, Any]]) -> None:
    import tomllib

    path = Path(__file__).resolve().parents[1] / "model" / "rulesets" / "2026-04.toml"
    validator(schemas["ruleset"]).validate(tomllib.loads(path.read_text("utf-8")))


SCHEMA_REJECTS = [
    pytest.param({"learner.residency_eligible": "true"}, id="string-for-bool"),
    pytest.param({"learner.date_of_birth": 20000115}, id="number-for-date"),
    pytest.param({"unit.published_min_hours": True}, id="bool-for-int"),
    pytest.param({"unit.published_min_hours": 60.5}, id="fraction-for-whole-number"),
    pytest.param({"learner": []}, id="list-for-object"),
    pytest.param({"learner.x": 1}, id="unknown-field"),
    pytest.param({"plan": DELETE}, id="missing-plan"),
    pytest.param({"learner.employment": "freelancer"}, id="unknown-enum"),
    pytest.param({"plan.start_date": "2026-5-4"}, id="date-not-padded"),
    pytest.param({"plan.start_date": "2026-02-30"}, id="impossible-date"),
    pytest.param({"plan.planned_hours": -1}, id="negative-hours"),
    pytest.param({"plan.price": "1500.001"}, id="money-3-places"),
    pytest.param({"plan.price": "-5.00"}, id="negative-money"),
    pytest.param({"learner.share_of_hours_in_england": 1.5}, id="share-above-1"),
    pytest.param(
        {"events": [{"date": "2026-05-21", "type": "teleported"}]}, id="unknown-event-type"
    ),
    pytest.param(
        {"events": [{"date": "2026-05-21", "type": "claim", "item": "milestone_3"}]},
        id="unknown-claim-item",
    ),
    pytest.param({"events": [{"type": "withdrawn"}]}, id="event-without-date"),
]


@pytest.mark.parametrize("changes", SCHEMA_REJECTS)
def test_schema_rejects_what_the_parser_rejects(
    schemas: dict[str, dict[str, Any]], changes: dict[str, Any]
) -> None:
    scenario = data(changes)
    with pytest.raises(BadInput):
        Scenario.from_data(scenario, "x.json")
    assert not validator(schemas["scenario"]).is_valid(scenario)


@pytest.mark.parametrize(
    "changes",
    [
        pytest.param({"learner.weekly_hours": 10.2}, id="hours-10.2"),
        pytest.param({"plan.planned_hours": 14.29}, id="hours-14.29"),
        pytest.param({"plan.price": 0.07}, id="price-0.07"),
    ],
)
def test_schema_accepts_what_the_parser_accepts(
    schemas: dict[str, dict[str, Any]], changes: dict[str, Any]
) -> None:
    scenario = data(changes)
    Scenario.from_data(json.loads(json.dumps(scenario)), "x.json")
    validator(schemas["scenario"]).validate(scenario)


@pytest.mark.parametrize("price", [" 15 ", "1e3"])
def test_parser_refuses_money_strings_the_schema_refuses(
    schemas: dict[str, dict[str, Any]], price: str
) -> None:
    scenario = data({"plan.price": price})
    assert not validator(schemas["scenario"]).is_valid(scenario)
    with pytest.raises(BadInput):
        Scenario.from_data(scenario, "x.json")


def test_ruleset_schema_accepts_a_one_key_proposal(schemas: dict[str, dict[str, Any]]) -> None:
    proposal = {"id": "younger", "extends": "2026-04", "eligibility": {"min_age": 18}}
    validator(schemas["ruleset"]).validate(proposal)


# --- check -----------------------------------------------------------------------------------


def check_rows(result: subprocess.CompletedProcess[str]) -> list[dict[str, Any]]:
    report = json.loads(result.stdout)
    rows: list[dict[str, Any]] = report["invariants"] if isinstance(report, dict) else report
    return rows


def _started(cwd: Path, *args: str) -> subprocess.Popen[str]:
    env = {k: v for k, v in os.environ.items() if k != "AURULES_DEBUG"}
    return subprocess.Popen(
        [sys.executable, "-m", "aurules", *args],
        cwd=cwd,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )


def test_check_json_and_junit_on_the_official_ruleset(tmp_path: Path) -> None:
    """Two whole `check` runs, side by side (two processes: the suite's wall time halves on
    two cores), one reporting JSON and one JUnit."""
    (tmp_path / "json").mkdir()
    (tmp_path / "junit").mkdir()
    as_json = _started(tmp_path / "json", "check", "--format", "json", "--save", "found")
    as_junit = _started(tmp_path / "junit", "check", "--format", "junit", "--save", "found")
    out, err = as_json.communicate(timeout=900)
    junit_out, junit_err = as_junit.communicate(timeout=900)
    result = subprocess.CompletedProcess(as_json.args, as_json.returncode, out, err)
    assert result.returncode == 0, (result.stdout, result.stderr)
    rows = check_rows(result)
    assert rows
    for row in rows:
        assert CHECK_ROW_KEYS <= set(row), row
        assert row["verdict"] != "violated", row
    assert len({(row["name"], row["method"]) for row in rows}) == len(rows)

    assert as_junit.returncode == 0, junit_err
    suite = ET.fromstring(junit_out)
    cases = suite.findall(".//testcase")
    assert cases
    assert len({case.get("name") for case in cases}) == len(cases)
    if suite.get("tests") is not None:
        assert int(suite.get("tests", "")) == len(cases)


def test_check_finds_a_dead_minimum_age(tmp_path: Path) -> None:
    write_text(
        tmp_path, "old.toml", 'id = "old"\nextends = "2026-04"\n[eligibility]\nmin_age = 200\n'
    )
    result = run(
        tmp_path,
        "check",
        "--rules",
        "old.toml",
        "--format",
        "json",
        "--save",
        str(tmp_path / "found"),
    )
    assert result.returncode == 1, (result.stdout, result.stderr)
    violated = {row["name"] for row in check_rows(result) if row["verdict"] == "violated"}
    assert "health.minimum_age" in violated


def test_check_missing_ruleset_writes_nothing(tmp_path: Path) -> None:
    save = tmp_path / "found"
    result = run(tmp_path, "check", "--rules", "missing.toml", "--save", str(save))
    assert_bad_input(result, "missing.toml")
    assert not save.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == []


def test_replay_says_which_counterexamples_still_violate(tmp_path: Path) -> None:
    root = Path(__file__).resolve().parent.parent
    folder = root / "counterexamples"
    under_official = run(tmp_path, "replay", str(folder))
    assert 0 == under_official.returncode, under_official.stderr
    assert "still violate" in under_official.stdout
    proposal = root / "examples" / "proposals" / "extension-12-weeks.toml"
    under_proposal = run(
        tmp_path, "replay", str(folder), "--rules", str(proposal), "--format", "json"
    )
    assert 1 == under_proposal.returncode
    rows = json.loads(under_proposal.stdout)["counterexamples"]
    assert any(r["still_violated"] and r["invariant"] == "duration_within_limit" for r in rows)
    missing = run(tmp_path, "replay", str(tmp_path / "nope"))
    assert 2 == missing.returncode
    assert 1 == len(missing.stderr.strip().splitlines())


@pytest.mark.parametrize("command", ["evaluate", "explain"])
def test_a_start_after_the_rulesets_last_day_is_bad_input(tmp_path: Path, command: str) -> None:
    late = data({"plan.start_date": "2026-08-03", "plan.planned_end_date": "2026-09-28"})
    path = write_json(tmp_path, "late.json", late)
    assert_bad_input(
        run(tmp_path, command, str(path)),
        f"{path}: plan.start_date: 2026-08-03 is after the last day of ruleset 2026-04",
        "known: 2026-04 from 2026-04-28 to 2026-07-31",
    )
