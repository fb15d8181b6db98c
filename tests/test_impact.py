"""`aurules impact`: counts and spend changes equal what `evaluate` says row by row, the
breakdown adds up to the totals, and the command line writes JSON, a chart and per-row
outcomes that match `evaluate`."""

from __future__ import annotations

import csv
import json
import subprocess
import sys
from pathlib import Path

import pytest

from aurules.model.evaluate import evaluate
from aurules.model.population.table import Population
from aurules.model.ruleset import Ruleset, load_ruleset, official
from aurules.population.files import write_population
from aurules.population.impact import PAYERS, Impact, impact
from aurules.population.synthetic import WRITTEN, generate, label_of

ROOT = Path(__file__).resolve().parent.parent
PROPOSALS = ROOT / "examples" / "proposals"
MIN_AGE_18 = load_ruleset(str(PROPOSALS / "min-age-18.toml"))
GOVERNMENT_90 = load_ruleset(str(PROPOSALS / "government-share-90.toml"))
SAMPLE = next(generate(1500, seed=21, ruleset=official()))


def _planned(outcome: object, payer: str) -> int:
    planned = outcome.planned  # type: ignore[attr-defined]
    if payer == "employer_above_rate":
        return int(planned.employer_above_rate.pence)
    parts = (planned.milestone_1, planned.milestone_2, planned.learning_support)
    return sum(getattr(m, payer).pence for m in parts)


def _by_hand(pop: Population, base: Ruleset, proposal: Ruleset) -> dict[str, object]:
    """The impact computed the slow way: `evaluate` on every row's scenario."""
    newly_eligible = newly_ineligible = 0
    change = dict.fromkeys(PAYERS, 0)
    paragraphs: dict[str, int] = {}
    for i in range(pop.size):
        scenario = pop.scenario(i)
        before, after = evaluate(scenario, base), evaluate(scenario, proposal)
        if after.eligible and not before.eligible:
            newly_eligible += 1
            for p in before.failed_paragraphs:
                paragraphs[p] = paragraphs.get(p, 0) + 1
        newly_ineligible += before.eligible and not after.eligible
        for payer in PAYERS:
            change[payer] += _planned(after, payer) - _planned(before, payer)
    return {
        "newly_eligible": newly_eligible,
        "newly_ineligible": newly_ineligible,
        "change": change,
        "paragraphs": paragraphs,
    }


@pytest.mark.parametrize("proposal", [MIN_AGE_18, GOVERNMENT_90], ids=lambda r: r.id)
def test_impact_equals_evaluate_row_by_row(proposal: Ruleset) -> None:
    result = impact(
        official(),
        proposal,
        [SAMPLE.take(slice(0, 700)), SAMPLE.take(slice(700, None))],
        source="sample",
    )
    expected = _by_hand(SAMPLE, official(), proposal)
    assert expected["newly_eligible"] == result.total.newly_eligible
    assert expected["newly_ineligible"] == result.total.newly_ineligible
    assert expected["change"] == {p: result.total.change(p) for p in PAYERS}
    assert expected["paragraphs"] == {k: v for k, v in result.newly_eligible_by.items() if v}


def test_the_known_effects_of_two_proposals() -> None:
    younger = impact(official(), MIN_AGE_18, [SAMPLE], source="sample")
    assert younger.total.newly_eligible > 0 and younger.total.newly_ineligible == 0
    assert {"22.1"} == {k for k, v in younger.newly_eligible_by.items() if v}
    assert younger.total.change("government") > 0
    shifted = impact(official(), GOVERNMENT_90, [SAMPLE], source="sample")
    assert 0 == shifted.total.newly_eligible == shifted.total.newly_ineligible
    assert shifted.total.change("government") < 0 < shifted.total.change("employer_direct")
    assert 0 == shifted.total.change("employer_account")
    assert 0 == sum(shifted.total.change(p) for p in ("government", "employer_direct"))


def test_a_ruleset_against_itself_changes_nothing() -> None:
    same = impact(official(), official(), [SAMPLE], source="sample")
    assert 0 == same.total.newly_eligible == same.total.newly_ineligible
    assert all(0 == same.total.change(p) for p in PAYERS)
    assert same.total.spend_base["government"] > 0


@pytest.mark.parametrize(
    "by",
    [
        "employer.funding",
        "learner.age_years",
        "plan.start_date",
        "plan.price",
        "employer.transfer.sender_balance",
        "learner.date_of_birth",
    ],
)
def test_the_breakdown_adds_up_to_the_totals(by: str) -> None:
    result = impact(
        official(),
        MIN_AGE_18,
        [SAMPLE.take(slice(0, 500)), SAMPLE.take(slice(500, None))],
        source="sample",
        by=by,
    )
    groups = [t for _, t in result.shown_groups()]
    assert SAMPLE.size == sum(t.learners for t in groups)
    assert result.total.newly_eligible == sum(t.newly_eligible for t in groups)
    for payer in PAYERS:
        assert result.total.change(payer) == sum(t.change(payer) for t in groups)
    assert all(isinstance(g["value"], str) for g in result.to_data()["by"]["groups"])


def test_age_breakdown_puts_the_newly_eligible_at_18() -> None:
    result = impact(official(), MIN_AGE_18, [SAMPLE], source="sample", by="learner.age_years")
    changed = {key for key, tally in result.groups.items() if tally.newly_eligible}
    assert {18} == changed


def _csv(folder: Path, header: str, rows: list[str]) -> Path:
    """A population file of these rows under this header."""
    population = folder / "people.csv"
    population.write_text("\n".join([header, *rows]) + "\n")
    return population


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "aurules", *args], capture_output=True, text=True, check=False
    )


def test_the_command_line_json_chart_and_rows(tmp_path: Path) -> None:
    population = tmp_path / "people.parquet"
    made = _run("population", "--size", "400", "--seed", "4", "--out", str(population))
    assert 0 == made.returncode, made.stderr
    chart, rows = tmp_path / "impact.png", tmp_path / "rows.csv"
    run = _run(
        "impact",
        "2026-04",
        str(PROPOSALS / "min-age-18.toml"),
        "--population",
        str(population),
        "--format",
        "json",
        "--chart",
        str(chart),
        "--rows",
        str(rows),
        "--by",
        "employer.funding",
    )
    assert 0 == run.returncode, run.stderr
    data = json.loads(run.stdout)
    assert {
        "base",
        "proposal",
        "population",
        "learners",
        "eligible",
        "newly_eligible",
        "newly_ineligible",
        "spend",
        "by",
    } <= set(data)
    assert data["population"]["synthetic"] is True
    assert 400 == data["learners"]
    assert set(PAYERS) == set(data["spend"])
    assert chart.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    from aurules.population.files import read_all

    pop = read_all(population)
    with rows.open(newline="") as handle:
        table = list(csv.DictReader(handle))
    assert 400 == len(table)
    for i in range(0, 400, 7):
        record = table[i]
        scenario = pop.scenario(i)
        for name, ruleset in (("base", official()), ("proposal", MIN_AGE_18)):
            outcome = evaluate(scenario, ruleset)
            assert str(outcome.eligible).lower() == record[f"eligible_{name}"]
            assert " ".join(outcome.failed_paragraphs) == record[f"failed_paragraphs_{name}"]
            for payer in PAYERS:
                pence = _planned(outcome, payer)
                assert f"{pence // 100}.{pence % 100:02d}" == record[f"{payer}_{name}"]


def test_the_command_line_text_and_its_bad_input(tmp_path: Path) -> None:
    population = tmp_path / "people.csv"
    write_population(
        generate(300, 2, official()), population, columns=WRITTEN, label=label_of(300, 2)
    )
    run = _run(
        "impact",
        "2026-04",
        str(PROPOSALS / "government-share-90.toml"),
        "--population",
        str(population),
    )
    assert 0 == run.returncode, run.stderr
    assert "SYNTHETIC" in run.stdout and "employer direct" in run.stdout
    for args, problem in [
        (("--by", "learner.agee"), "did you mean learner.age_years?"),
        (("--chart", str(tmp_path / "c.svg")), "the chart is a PNG file"),
        (("--rows", str(population)), "would overwrite the population file"),
    ]:
        bad = _run("impact", "2026-04", "2026-04", "--population", str(population), *args)
        assert 2 == bad.returncode
        assert problem in bad.stderr and 1 == len(bad.stderr.strip().splitlines())
    missing = _run("impact", "2026-04", "2026-04", "--population", str(tmp_path / "no.csv"))
    assert 2 == missing.returncode and "no such file" in missing.stderr
    assert not (tmp_path / "c.svg").exists()


def test_population_command_lists_columns_and_refuses_bad_options(tmp_path: Path) -> None:
    listed = _run("population", "--columns")
    assert 0 == listed.returncode and "plan.price" in listed.stdout
    assert 2 == _run("population", "--size", "10").returncode
    bad = _run("population", "--size", "10", "--out", str(tmp_path / "p.xlsx"))
    assert 2 == bad.returncode and "must end in .csv or .parquet" in bad.stderr
    assert not list(tmp_path.iterdir())


def test_impact_object_reports_synthetic_labels() -> None:
    result = Impact(base=official(), proposal=official(), source="x", label=label_of(10, 1))
    assert result.synthetic and result.to_data()["population"]["synthetic"]


def test_extra_columns_are_carried_and_can_break_the_results_down(tmp_path: Path) -> None:
    header = (
        "id,region,learner.date_of_birth,unit.published_min_hours,unit.funding_rate,"
        "plan.start_date,plan.planned_end_date,plan.planned_hours,plan.price"
    )
    rows = [
        "a1,north,2008-01-01,60,1500.00,2026-05-04,2026-07-27,60,1500.00",
        "a2,south,2000-01-15,60,1500.00,2026-05-04,2026-07-27,60,1500.00",
        "a3,north,2007-12-01,60,1000.00,2026-05-04,2026-07-27,60,1500.00",
    ]
    population = _csv(tmp_path, header, rows)
    out = tmp_path / "rows.csv"
    run = _run(
        "impact",
        "2026-04",
        str(PROPOSALS / "min-age-18.toml"),
        "--population",
        str(population),
        "--by",
        "region",
        "--rows",
        str(out),
        "--format",
        "json",
    )
    assert 0 == run.returncode, run.stderr
    groups = {g["value"]: g for g in json.loads(run.stdout)["by"]["groups"]}
    assert {"north", "south"} == set(groups)
    assert 2 == groups["north"]["newly_eligible"] and 0 == groups["south"]["newly_eligible"]
    # 18-year-olds at £1,500 and £1,000 (capped at the rate): 30% + 70% of each, by government
    assert "2500.00" == groups["north"]["spend"]["government"]["change"]
    with out.open(newline="") as handle:
        table = list(csv.DictReader(handle))
    assert ["a1", "a2", "a3"] == [r["id"] for r in table]
    assert ["false", "true", "false"] == [r["eligible_base"] for r in table]
    bad = _run("impact", "2026-04", "2026-04", "--population", str(population), "--by", "regoin")
    assert 2 == bad.returncode and "did you mean region?" in bad.stderr


def _independent_rows(count: int, seed: int) -> list[dict[str, str]]:
    """Learners made with `random` and written as plain text, not by the project's
    generator: the same fields a user's own export would have."""
    import datetime as dt
    import random

    rng = random.Random(seed)
    rows = []
    for _ in range(count):
        start = dt.date(2026, 4, 20) + dt.timedelta(days=rng.randint(0, 102))
        rate = rng.choice([900, 1500, 2250.5, 3000])
        transfer = rng.random() < 0.2
        row = {
            "learner.date_of_birth": (
                start - dt.timedelta(days=rng.randint(16 * 365, 60 * 365))
            ).isoformat(),
            "unit.published_min_hours": str(rng.randint(25, 145)),
            "unit.funding_rate": f"{rate:.2f}",
            "plan.start_date": start.isoformat(),
            "plan.planned_end_date": (start + dt.timedelta(days=rng.randint(3, 130))).isoformat(),
            "plan.planned_hours": str(rng.choice([30, 60, 90.5, 140])),
            "plan.price": f"{rate * rng.choice([0.8, 1, 1.25]):.2f}",
            "employer.levy_payer": rng.choice(["true", "false"]),
            "employer.levy_balance": str(rng.choice([0, 500, 20000])),
            "employer.funding": "transfer" if transfer else rng.choice(["levy", "reservation"]),
            "employer.transfer.approved_on": (start - dt.timedelta(days=30)).isoformat()
            if transfer
            else "",
            "employer.transfer.accepted_on": (
                start - dt.timedelta(days=rng.randint(-5, 25))
            ).isoformat()
            if transfer
            else "",
            "employer.transfer.sender_balance": rng.choice(["", "100.00"]) if transfer else "",
            "learner.learning_difficulty_or_disability": rng.choice(["true", "false"]),
        }
        rows.append(row)
    return rows


def _scenario_of(row: dict[str, str]) -> object:
    """The row as scenario JSON data, built by hand from the text cells."""
    from decimal import Decimal

    from aurules.model.scenario import Scenario

    data: dict[str, object] = {}
    for path, text in row.items():
        if text == "":
            continue
        value: object = text
        if text in ("true", "false"):
            value = text == "true"
        elif path in ("unit.published_min_hours",):
            value = int(text)
        elif path == "plan.planned_hours":
            value = Decimal(text)
        node = data
        *parents, leaf = path.split(".")
        for name in parents:
            node = node.setdefault(name, {})  # type: ignore[assignment]
        node[leaf] = value  # type: ignore[index]
    return Scenario.from_data(data)


def test_an_independently_made_population_matches_evaluate_row_for_row(tmp_path: Path) -> None:
    rows = _independent_rows(250, seed=3)
    population = tmp_path / "export.csv"
    with population.open("w", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    out = tmp_path / "rows.parquet"
    run = _run(
        "impact",
        "2026-04",
        str(PROPOSALS / "min-age-18.toml"),
        "--population",
        str(population),
        "--rows",
        str(out),
        "--format",
        "json",
    )
    assert 0 == run.returncode, run.stderr
    import pyarrow.parquet as pq

    table = pq.read_table(out).to_pylist()
    assert 250 == len(table)
    eligible = 0
    for row, record in zip(rows, table, strict=True):
        scenario = _scenario_of(row)
        for name, ruleset in (("base", official()), ("proposal", MIN_AGE_18)):
            outcome = evaluate(scenario, ruleset)  # type: ignore[arg-type]
            eligible += outcome.eligible
            assert outcome.eligible == record[f"eligible_{name}"]
            assert " ".join(outcome.failed_paragraphs) == record[f"failed_paragraphs_{name}"]
            for payer in PAYERS:
                pence = _planned(outcome, payer)
                assert f"{pence // 100}.{pence % 100:02d}" == record[f"{payer}_{name}"]
    assert 0 < eligible < 500  # both kinds of learner are in the sample


def test_a_start_after_the_rulesets_last_day_is_a_bad_row(tmp_path: Path) -> None:
    header = (
        "learner.date_of_birth,unit.published_min_hours,unit.funding_rate,"
        "plan.start_date,plan.planned_end_date,plan.planned_hours,plan.price"
    )
    rows = [
        "2000-01-15,60,1500.00,2026-05-04,2026-07-27,60,1500.00",
        "2000-01-15,60,1500.00,2026-08-03,2026-09-28,60,1500.00",
        "2000-01-15,60,1500.00,2026-07-31,2026-09-28,60,1500.00",
    ]
    population = _csv(tmp_path, header, rows)
    args = ("impact", "2026-04", str(PROPOSALS / "min-age-18.toml"), "--population")
    refused = _run(*args, str(population), "--format", "json")
    assert 2 == refused.returncode
    assert (
        f"aurules: {population}: row 2, plan.start_date: 2026-08-03 is after the last day of "
        "ruleset 2026-04 (2026-07-31)"
    ) in refused.stderr
    skipped = _run(*args, str(population), "--format", "json", "--skip-bad")
    assert 0 == skipped.returncode, skipped.stderr
    assert 1 == json.loads(skipped.stdout)["population"]["bad_rows_skipped"]
