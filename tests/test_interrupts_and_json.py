"""An interrupt is not a verdict (exit 130, one line); JSON with a key given twice and standard
input that is not UTF-8 are bad input (exit 2, one line)."""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest


@pytest.mark.parametrize("seconds", [3, 10])  # in the proofs, and in the state machines
def test_an_interrupted_check_exits_130_and_says_so(tmp_path: Path, seconds: int) -> None:
    process = subprocess.Popen(
        [sys.executable, "-m", "aurules", "check", "--save", str(tmp_path / "cx")],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    time.sleep(seconds)
    process.send_signal(signal.SIGINT)
    _, err = process.communicate(timeout=120)
    assert process.returncode == 130
    assert err.strip().splitlines() == ["aurules: interrupted"]


def test_a_json_key_given_twice_is_refused() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "aurules", "evaluate", "-"],
        input='{"learner": {"date_of_birth": "2000-01-01", "date_of_birth": "2001-01-01"}}',
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 2
    assert done.stderr.strip() == (
        "aurules: <stdin>: date_of_birth: appears twice in one object (JSON keys must differ)"
    )


def test_standard_input_that_is_not_utf8_is_refused() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "aurules", "evaluate", "-"],
        input=b"\xff\xfe{}",
        capture_output=True,
        check=False,
    )
    assert done.returncode == 2
    assert done.stderr.decode().strip().startswith("aurules: <stdin>: not UTF-8 text")


def test_usage_errors_are_one_line_with_exit_2() -> None:
    for args, words in (
        (["evaluate"], "Missing argument"),
        (["nosuch"], "No such command"),
        (["population", "--seed", "-1", "--size", "3", "--out", "x.csv"], "--seed"),
        (["check", "--profile", "huge"], "--profile"),
    ):
        done = subprocess.run(
            [sys.executable, "-m", "aurules", *args], capture_output=True, text=True, check=False
        )
        assert done.returncode == 2, args
        lines = done.stderr.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith("aurules: ") and words in lines[0], lines


def test_dates_outside_the_handled_range_are_refused(tmp_path: Path) -> None:
    import copy
    import json

    from aurules.model.scenario import MINIMAL

    data = copy.deepcopy(MINIMAL)
    data["plan"]["planned_end_date"] = "9999-12-31"
    data["employer"] = {"reservation": {"made_on": "0001-01-01"}}
    scenario = tmp_path / "s.json"
    scenario.write_text(json.dumps(data))
    done = subprocess.run(
        [sys.executable, "-m", "aurules", "evaluate", str(scenario)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 2
    assert "outside the dates the model handles" in done.stderr
    population = tmp_path / "p.csv"
    population.write_text(
        "learner.date_of_birth,unit.published_min_hours,unit.funding_rate,plan.start_date,"
        "plan.planned_end_date,plan.planned_hours,plan.price\n"
        "0001-01-01,60,1500,2026-05-04,2026-07-27,60,1500\n"
    )
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "aurules",
            "impact",
            "2026-04",
            "2026-04",
            "--population",
            str(population),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 2
    assert "row 1, learner.date_of_birth" in done.stderr


def test_a_counterexample_file_of_the_wrong_shape_is_refused(tmp_path: Path) -> None:
    import json

    saved = sorted((Path(__file__).resolve().parent.parent / "counterexamples").glob("*.json"))[0]
    good = json.loads(saved.read_text())
    for key, value, words in (
        ("ruleset", None, "expected an object"),
        ("invariant", [], "expected an invariant's name"),
        ("extra", 1, "unknown field"),
        ("seed", True, "expected a whole number"),
    ):
        folder = tmp_path / key
        folder.mkdir()
        (folder / "x.json").write_text(json.dumps({**good, key: value}))
        done = subprocess.run(
            [sys.executable, "-m", "aurules", "replay", str(folder)],
            capture_output=True,
            text=True,
            check=False,
        )
        assert done.returncode == 2, (key, done.stderr)
        assert f"x.json: {key}: {words}" in done.stderr


def test_rulesets_that_broke_the_reader_are_bad_input(tmp_path: Path) -> None:
    head = 'id = "x"\nextends = "2026-04"\n'
    for name, body, words in (
        ("digits", "[eligibility]\nmin_age = " + "9" * 5000 + "\n", "not valid TOML"),
        ("deep", "z = " + "[" * 3000 + "]" * 3000 + "\n", "nested too deeply"),
        ("places", '[milestones]\nmilestone_1_share = "0.300000000001"\n', "more than 6 decimal"),
    ):
        path = tmp_path / f"{name}.toml"
        path.write_text(head + body)
        done = subprocess.run(
            [sys.executable, "-m", "aurules", "params", "--rules", str(path)],
            capture_output=True,
            text=True,
            check=False,
        )
        assert done.returncode == 2, (name, done.stderr)
        assert len(done.stderr.strip().splitlines()) == 1 and words in done.stderr, name


def test_an_unknown_check_is_reported_as_unknown_never_as_a_pass(tmp_path: Path) -> None:
    import json
    import os
    from xml.etree import ElementTree as ET

    from aurules.properties.runner import Report, Row, render

    env = {**os.environ, "AURULES_Z3_RLIMIT": "1"}  # every lifecycle Z3 query gives up
    done = subprocess.run(
        [sys.executable, "-m", "aurules", "check", "--save", str(tmp_path), "--format", "json"],
        capture_output=True,
        text=True,
        check=False,
        env=env,
    )
    assert done.returncode == 3, done.stderr
    data = json.loads(done.stdout)
    rows = [Row(**row) for row in data["invariants"]]
    unknown = [r for r in rows if r.status == "unknown"]
    assert unknown
    assert not [r for r in rows if r.status == "violated"]
    report = Report(ruleset=data["ruleset"], profile=data["profile"], seed=data["seed"], rows=rows)
    assert report.exit_code == 3
    assert "(unknown: " in render(report, "text")
    suite = ET.fromstring(render(report, "junit"))
    cases = {c.get("name"): c for c in suite.iter("testcase")}
    for row in unknown:
        if row.method != "replay":
            case = cases[f"{row.name} [{row.method}]"]
            assert case.find("skipped") is not None and case.find("failure") is None
    assert suite.get("failures") == "0"
