"""`aurules impact --events`: event histories beside a population file, replayed under both
rulesets, learner by learner equal to `aurules evaluate` on the scenario the row and its
events make; bad event files refused with file, row and column; synthetic histories."""

from __future__ import annotations

import csv
import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from aurules.cli.main import main as cli
from aurules.model.evaluate import evaluate
from aurules.model.population.table import COLUMNS
from aurules.model.ruleset import load_ruleset, official
from aurules.model.scenario import Scenario
from aurules.properties.strategies import lifecycles

PROPOSALS = Path(__file__).resolve().parent.parent / "examples" / "proposals"
ACTING_LATER = [
    "extension-12-weeks",
    "claims-after-deadline-refused",
    "recovered-milestones-reclaimable",
    "long-unit-milestone-1",
    "milestone-1-at-20-percent-hours",
]


def _cells(prefix: str, data: dict[str, Any], out: dict[str, str]) -> dict[str, str]:
    """Scenario JSON flattened to CSV cells by path (lists joined by `;`, null left empty)."""
    for key, value in data.items():
        if isinstance(value, dict):
            _cells(f"{prefix}{key}.", value, out)
        elif isinstance(value, list):
            out[prefix + key] = ";".join(value)
        elif isinstance(value, bool):
            out[prefix + key] = "true" if value else "false"
        elif isinstance(value, float):  # 3e-05 is not a CSV number: write 0.00003
            out[prefix + key] = format(Decimal(str(value)), "f")
        elif value is not None:
            out[prefix + key] = str(value)
    return out


def write_files(
    folder: Path, scenarios: list[Scenario], shuffle: bool = False
) -> tuple[Path, Path]:
    """A population CSV (one row per scenario) and an events CSV (one row per event), written
    from the scenarios' JSON as a user would write them."""
    population, events = folder / "pop.csv", folder / "events.csv"
    names = [c.path for c in COLUMNS]
    with population.open("w", newline="") as handle:
        writer = csv.DictWriter(handle, names)
        writer.writeheader()
        for scenario in scenarios:
            data = scenario.to_data()
            data.pop("events")
            writer.writerow(_cells("", data, {}))
    rows = [
        {"row": str(number), **_cells("", event, {})}
        for number, scenario in enumerate(scenarios, 1)
        for event in scenario.to_data()["events"]
    ]
    if shuffle:  # learners interleaved (round robin), each learner's events still in order
        place: dict[str, int] = {}
        keyed = []
        for r in rows:
            place[r["row"]] = place.get(r["row"], -1) + 1
            keyed.append((place[r["row"]], int(r["row"]), r))
        rows = [r for _, _, r in sorted(keyed, key=lambda k: k[:2])]
    columns = [
        "row",
        "date",
        "type",
        *sorted({k for r in rows for k in r} - {"row", "date", "type"}),
    ]
    with events.open("w", newline="") as handle:
        writer = csv.DictWriter(handle, columns)
        writer.writeheader()
        writer.writerows(rows)
    return population, events


def impact_rows(base: str, proposal: str, population: Path, events: Path, *extra: str) -> Any:
    out = population.parent / "rows.csv"
    result = CliRunner().invoke(
        cli,
        [
            "impact",
            base,
            proposal,
            "--population",
            str(population),
            "--events",
            str(events),
            "--rows",
            str(out),
            "--format",
            "json",
            *extra,
        ],
    )
    return result, (list(csv.DictReader(out.open())) if out.exists() else [])


def expected_row(outcome: Any) -> dict[str, str]:
    return {
        "status": outcome.status,
        "paid_government": str(outcome.totals.government),
        "paid_employer_account": str(outcome.totals.employer_account),
        "paid_employer_direct": str(outcome.totals.employer_direct),
        "refused": ";".join(f"{r.item}:{','.join(r.paragraphs)}" for r in outcome.refused),
    }


def got_row(row: dict[str, str], tag: str) -> dict[str, str]:
    names = (
        "status",
        "paid_government",
        "paid_employer_account",
        "paid_employer_direct",
        "refused",
    )
    return {name: row[f"{name}_{tag}"] for name in names}


@pytest.mark.parametrize("name", ACTING_LATER)
def test_rows_equal_evaluate_learner_by_learner(name: str, tmp_path_factory: Any) -> None:
    proposal_path = str(PROPOSALS / f"{name}.toml")
    proposal = load_ruleset(proposal_path)

    @settings(max_examples=6, deadline=None, suppress_health_check=list(HealthCheck))
    @given(st.lists(lifecycles(), min_size=1, max_size=15), st.booleans())
    def check(drawn: list[Scenario], shuffle: bool) -> None:
        scenarios = [s for s in drawn if s.plan.start_date <= official().valid_to]
        if not scenarios:
            return
        folder = tmp_path_factory.mktemp("life")
        population, events = write_files(folder, scenarios, shuffle)
        result, rows = impact_rows("2026-04", proposal_path, population, events)
        assert 0 == result.exit_code, result.output
        assert len(scenarios) == len(rows)
        for row, scenario in zip(rows, scenarios, strict=True):
            assert expected_row(evaluate(scenario, official())) == got_row(row, "base")
            assert expected_row(evaluate(scenario, proposal)) == got_row(row, "proposal")
        data = json.loads(result.stdout)
        life = data["lifecycle"]
        assert sum(len(s.events) for s in scenarios) == life["events"]
        statuses = [evaluate(s, proposal).status for s in scenarios]
        assert {k: statuses.count(k) for k in life["status"]["proposal"]} == life["status"][
            "proposal"
        ]

    check()


def test_parquet_events_give_the_same_rows(tmp_path: Path) -> None:
    import pyarrow.csv as pacsv
    import pyarrow.parquet as pq

    from tests.helpers import claim, delivered, scenario

    learners = [
        scenario(
            {
                "events": [
                    delivered("2026-05-04", 30),
                    claim("2026-05-05", "milestone_1"),
                    {"date": "2026-05-06", "type": "plan_signed_off", "by": ["provider"]},
                ]
            }
        ),
        scenario({"events": [claim("2026-05-04", "milestone_1")]}),
    ]
    population, events = write_files(tmp_path, learners)
    _, from_csv = impact_rows("2026-04", "2026-04", population, events)
    table = pacsv.read_csv(events, convert_options=pacsv.ConvertOptions(strings_can_be_null=True))
    pq.write_table(table, tmp_path / "events.parquet")
    result, from_parquet = impact_rows(
        "2026-04", "2026-04", population, tmp_path / "events.parquet"
    )
    assert 0 == result.exit_code, result.output
    assert from_csv == from_parquet
    assert "milestone_1:72.1" in from_parquet[1]["refused_base"]


BAD = [
    (
        "row,date,type,hours\n1,2026-05-04,delivered,\n",
        "row 1, hours: required for a delivered event",
    ),
    (
        "row,date,type,hours\n1,2026-05-04,claim,3\n",
        "row 1, hours: hours is not a field of a claim",
    ),
    ("row,date,type\n1,2026-05-04,dance\n", "row 1, type: expected one of"),
    ("row,date,type,hours\n1,2026-05-04,delivered,0\n", "row 1, hours: hours must be more than 0"),
    (
        "row,date,type,item,cost\n1,2026-05-04,claim,milestone_1,10\n",
        "row 1, cost: a cost is given",
    ),
    (
        "row,date,type\n1,2026-05-04,withdrawn\n1,2026-05-01,withdrawn\n",
        "row 2, date: 2026-05-01 is before",
    ),
    (
        "row,date,type,kind\n1,2026-05-04,leave_started,maternity\n1,2026-05-05,leave_started,adoption\n",
        "row 2, type: leave_started while the leave started on 2026-05-04",
    ),
    ("row,date,type\n3,2026-05-04,withdrawn\n", "row 1, row: no learner in row 3"),
    ("row,date,type\n0,2026-05-04,withdrawn\n", "row 1, row: rows are numbered from 1"),
    ("row,date,type,by\n1,2026-05-04,plan_signed_off,boss\n", "row 1, by: expected names from"),
    ("row,date,type,colour\n1,2026-05-04,withdrawn,red\n", "colour: unknown column"),
    ("row,type\n1,withdrawn\n", "date: required column is missing"),
    ("row,date,type,to\n1,2026-05-04,extended,2026-13-01\n", "row 1, to:"),
    (
        "row,date,type,employer.relationship\n1,2026-05-04,restarted,cousin\n",
        "row 1, employer.relationship: expected one of",
    ),
]


@pytest.mark.parametrize(("text", "message"), BAD, ids=[m for _, m in BAD])
def test_bad_event_files_are_one_line_with_file_row_and_column(
    tmp_path: Path, text: str, message: str
) -> None:
    from tests.helpers import scenario

    population, _ = write_files(tmp_path, [scenario(), scenario()])
    events = tmp_path / "bad.csv"
    events.write_text(text)
    result = CliRunner().invoke(
        cli,
        ["impact", "2026-04", "2026-04", "--population", str(population), "--events", str(events)],
    )
    assert 2 == result.exit_code, result.output
    lines = result.stderr.strip().splitlines()
    assert 1 == len(lines), lines
    assert lines[0].startswith(f"aurules: {events}: "), lines[0]
    assert message in lines[0]


def test_skip_bad_leaves_out_the_learner_with_a_bad_event(tmp_path: Path) -> None:
    from tests.helpers import scenario

    population, _ = write_files(tmp_path, [scenario(), scenario(), scenario()])
    events = tmp_path / "events.csv"
    events.write_text(
        "row,date,type,hours\n1,2026-05-04,delivered,10\n2,2026-05-04,delivered,0\n"
        "3,2026-05-04,delivered,5\n"
    )
    result, rows = impact_rows("2026-04", "2026-04", population, events, "--skip-bad")
    assert 0 == result.exit_code, result.output
    assert ["1", "3"] == [r["row"] for r in rows]
    assert f"{events}: row 2, hours: hours must be more than 0" in result.stderr
    assert 1 == json.loads(result.stdout)["population"]["bad_rows_skipped"]


def test_synthetic_histories_are_labelled_deterministic_and_agree_with_evaluate(
    tmp_path: Path,
) -> None:
    from aurules.population.files import read_all

    runner = CliRunner()
    for name in ("a", "b"):
        result = runner.invoke(
            cli,
            [
                "population",
                "--size",
                "300",
                "--seed",
                "5",
                "--out",
                str(tmp_path / f"{name}.csv"),
                "--events",
                str(tmp_path / f"{name}-events.parquet"),
                "--withdraw",
                "0.3",
            ],
        )
        assert 0 == result.exit_code, result.output
    import pyarrow.parquet as pq

    one = pq.read_table(tmp_path / "a-events.parquet")
    assert one.equals(pq.read_table(tmp_path / "b-events.parquet"))
    label = pq.read_schema(tmp_path / "a-events.parquet").metadata[b"aurules.label"].decode()
    assert "SYNTHETIC" in label and '"withdraw": 0.3' in label and '"pace": 1.0' in label
    result, rows = impact_rows(
        "2026-04",
        str(PROPOSALS / "extension-12-weeks.toml"),
        tmp_path / "a.csv",
        tmp_path / "a-events.parquet",
    )
    assert 0 == result.exit_code, result.output
    pop = read_all(tmp_path / "a.csv")
    by_row: dict[int, list[dict[str, Any]]] = {}
    for event in one.to_pylist():
        data = {k: v for k, v in event.items() if v is not None and k != "row"}
        data["date"] = data["date"].isoformat()
        if "to" in data:
            data["to"] = data["to"].isoformat()
        for key in ("hours", "evidenced_hours"):
            if key in data:
                data[key] = float(data[key])
        by_row.setdefault(event["row"], []).append(data)
    statuses = set()
    for position, row in enumerate(rows):
        assert int(row["row"]) == int(pop.rows[position])
        data = pop.row_data(position)
        data["events"] = by_row.get(int(row["row"]), [])
        scenario = Scenario.from_data(json.loads(json.dumps(data, default=float)))
        assert expected_row(evaluate(scenario, official())) == got_row(row, "base")
        statuses.add(row["status_base"])
    assert {"completed", "withdrawn", "in_learning", "ineligible"} <= statuses


def test_a_file_sorted_but_for_a_late_row_is_read_whole_and_every_event_attached(
    tmp_path: Path,
) -> None:
    """The order is decided before any learner is handed out: an events file in row order
    except for one late row of an early learner is sorted whole, even when the population
    comes in several chunks."""
    from aurules.model.population.lifecycle import replay
    from aurules.population.events import in_row_order, with_events
    from aurules.population.files import read_population
    from tests.helpers import scenario

    population, _ = write_files(tmp_path, [scenario() for _ in range(5)])
    events = tmp_path / "late.csv"
    events.write_text(
        "row,date,type,hours\n1,2026-05-04,delivered,10\n3,2026-05-04,delivered,10\n"
        "5,2026-05-04,delivered,10\n1,2026-05-05,delivered,5\n"
    )
    assert not in_row_order(str(events))
    import pyarrow as pa
    import pyarrow.csv as pacsv
    import pyarrow.parquet as pq

    names = population.read_text().splitlines()[0].split(",")
    table = pacsv.read_csv(
        population,
        convert_options=pacsv.ConvertOptions(
            column_types=dict.fromkeys(names, pa.string()), strings_can_be_null=True
        ),
    )
    pq.write_table(table, tmp_path / "pop.parquet")  # read two learners at a time
    parts = read_population(tmp_path / "pop.parquet", chunk=2)
    chunks = list(with_events(parts, str(events), population="p"))
    assert 3 == len(chunks)
    delivered = {
        int(pop.rows[i]): int(replay(pop, table, official()).final["delivered"][i])
        for pop, table in chunks
        for i in range(pop.size)
    }
    assert {1: 1500, 2: 0, 3: 1000, 4: 0, 5: 1000} == delivered


def test_skip_bad_also_leaves_out_events_naming_no_learner(tmp_path: Path) -> None:
    from tests.helpers import scenario

    population, _ = write_files(tmp_path, [scenario(), scenario()])
    events = tmp_path / "events.csv"
    events.write_text("row,date,type\n1,2026-05-04,withdrawn\n7,2026-05-04,withdrawn\n")
    result, rows = impact_rows("2026-04", "2026-04", population, events, "--skip-bad")
    assert 0 == result.exit_code, result.output
    assert f"{events}: row 2, row: no learner in row 7" in result.stderr
    assert ["withdrawn", "in_learning"] == [r["status_base"] for r in rows]


def test_a_parquet_flag_at_its_default_on_other_event_types_is_accepted(tmp_path: Path) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    from tests.helpers import scenario

    population, _ = write_files(tmp_path, [scenario()])
    table = pa.table(
        {
            "row": [1, 1],
            "date": ["2026-05-04", "2026-05-05"],
            "type": ["delivered", "withdrawn"],
            "hours": [10.0, None],
            "kit_day": [False, False],  # a non-nullable column as pandas writes it
        }
    )
    pq.write_table(table, tmp_path / "e.parquet")
    result, rows = impact_rows("2026-04", "2026-04", population, tmp_path / "e.parquet")
    assert 0 == result.exit_code, result.output
    assert "withdrawn" == rows[0]["status_base"]
    pq.write_table(table.set_column(4, "kit_day", pa.array([False, True])), tmp_path / "f.parquet")
    result, _ = impact_rows("2026-04", "2026-04", population, tmp_path / "f.parquet")
    assert 2 == result.exit_code
    assert "row 2, kit_day: kit_day is not a field of a withdrawn event" in result.stderr


def test_an_empty_population_with_events_reports_lifecycle_figures(tmp_path: Path) -> None:
    population, _ = write_files(tmp_path, [])
    events = tmp_path / "events.csv"
    events.write_text("row,date,type\n")
    result, _ = impact_rows(
        "2026-04", str(PROPOSALS / "extension-12-weeks.toml"), population, events
    )
    assert 0 == result.exit_code, result.output
    data = json.loads(result.stdout)
    assert 0 == data["lifecycle"]["events"]
    assert [] == data["not_in_these_figures"]["changes"]  # lifecycles read the extension
