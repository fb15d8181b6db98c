"""Population files: CSV and Parquet round trips, defaults for absent cells and columns, and
the bad-input rule (one line naming the file, the row and the column; exit 2 unless
--skip-bad, which reports and counts the bad rows)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from aurules.model.errors import BadInput
from aurules.model.population.table import COLUMNS
from aurules.model.ruleset import official
from aurules.population.files import read_all, read_header, write_population
from aurules.population.synthetic import WRITTEN, generate, label_of

HEADER = (
    "learner.date_of_birth,unit.published_min_hours,unit.funding_rate,plan.start_date,"
    "plan.planned_end_date,plan.planned_hours,plan.price"
)
GOOD = "2000-01-15,60,1500.00,2026-05-04,2026-07-27,60,1500.00"


def _csv(tmp_path: Path, *lines: str, header: str = HEADER) -> Path:
    path = tmp_path / "pop.csv"
    path.write_text("\n".join([header, *lines]) + "\n", encoding="utf-8")
    return path


def _bad(path: Path) -> str:
    with pytest.raises(BadInput) as caught:
        read_all(path)
    return str(caught.value)


@pytest.mark.parametrize("suffix", [".csv", ".parquet"])
def test_a_written_population_reads_back_the_same(tmp_path: Path, suffix: str) -> None:
    original = next(generate(3000, seed=5, ruleset=official()))
    path = tmp_path / f"synthetic{suffix}"
    write_population([original], path, columns=WRITTEN, label=label_of(3000, 5))
    again = read_all(path)
    for column in COLUMNS:
        assert np.array_equal(original.values[column.path], again.values[column.path]), column
        if column.nullable:
            assert np.array_equal(original.present[column.path], again.present[column.path])
    assert "SYNTHETIC" in read_header(path).label


def test_the_generator_is_deterministic_for_a_seed(tmp_path: Path) -> None:
    paths = [tmp_path / name for name in ("a.csv", "b.csv", "c.csv")]
    for path, seed in zip(paths, (1, 1, 2), strict=True):
        write_population(
            generate(2000, seed, official()), path, columns=WRITTEN, label=label_of(2000, seed)
        )
    assert paths[0].read_bytes() == paths[1].read_bytes()
    assert paths[0].read_bytes() != paths[2].read_bytes()
    assert paths[0].read_text().startswith("# SYNTHETIC population")


def test_empty_cells_and_absent_columns_take_the_contract_s_defaults(tmp_path: Path) -> None:
    path = _csv(
        tmp_path,
        GOOD + ",,",
        GOOD + ",false,2026-05-01",
        header=HEADER + ",learner.residency_eligible,plan.training_plan_signed_on",
    )
    pop = read_all(path)
    assert [True, False] == list(pop.values["learner.residency_eligible"])
    assert [False, True] == list(pop.present["plan.training_plan_signed_on"])
    assert [False, False] == list(pop.present["employer.transfer.sender_balance"])
    assert [1, 1] == list(pop.values["employer.funding"])  # reservation
    assert pop.scenario(0) == pop.scenario(0).from_data(pop.row_data(0))


def test_a_hand_written_file_reads_as_its_scenarios(tmp_path: Path) -> None:
    path = _csv(
        tmp_path,
        "2000-02-29,30,999.99,2026-04-28, 2026-07-31 ,30.25,0.5,transfer,2026-03-01,2026-03-02,",
        header=HEADER + ",employer.funding,employer.transfer.approved_on,"
        "employer.transfer.accepted_on,employer.transfer.sender_balance",
    )
    data = read_all(path).row_data(0)
    assert "2000-02-29" == data["learner"]["date_of_birth"]
    assert "2026-07-31" == data["plan"]["planned_end_date"]
    assert "999.99" == data["unit"]["funding_rate"]
    assert "0.50" == data["plan"]["price"]
    assert 30.25 == float(data["plan"]["planned_hours"])
    assert "transfer" == data["employer"]["funding"]
    assert data["employer"]["transfer"]["sender_balance"] is None


@pytest.mark.parametrize(
    ("cell", "problem"),
    [
        ("2026-02-30", "is not a real date"),
        ("15/01/2000", "is not a date in the form YYYY-MM-DD"),
    ],
)
def test_a_bad_date_names_the_row_and_column(tmp_path: Path, cell: str, problem: str) -> None:
    path = _csv(tmp_path, GOOD, GOOD.replace("2000-01-15", cell, 1))
    message = _bad(path)
    assert message.startswith(f"{path}: row 2, learner.date_of_birth: ")
    assert problem in message


@pytest.mark.parametrize(
    ("column", "cell", "problem"),
    [
        ("unit.funding_rate", "15,00", "expected an amount in pounds"),
        ("unit.funding_rate", "1.505", "more than 2 decimal places"),
        ("unit.funding_rate", "-5", "is negative"),
        ("plan.planned_hours", "sixty", "expected a number of hours"),
        ("unit.published_min_hours", "60.5", "expected a whole number"),
    ],
)
def test_a_bad_number_names_the_row_and_column(
    tmp_path: Path, column: str, cell: str, problem: str
) -> None:
    names = HEADER.split(",")
    cells = GOOD.split(",")
    cells[names.index(column)] = f'"{cell}"'
    path = _csv(tmp_path, GOOD, GOOD, ",".join(cells))
    message = _bad(path)
    assert message.startswith(f"{path}: row 3, {column}: "), message
    assert problem in message


def test_bad_booleans_enums_and_missing_required_values(tmp_path: Path) -> None:
    path = _csv(tmp_path, GOOD + ",yes", header=HEADER + ",learner.residency_eligible")
    assert "row 1, learner.residency_eligible: expected true or false, got 'yes'" in _bad(path)
    path = _csv(tmp_path, GOOD + ",employed", header=HEADER + ",learner.employment")
    assert "row 1, learner.employment: expected one of 'employee'" in _bad(path)
    path = _csv(tmp_path, GOOD.replace("1500.00", "", 1))
    assert "row 1, unit.funding_rate: required value is missing" in _bad(path)


def test_bad_columns_and_files(tmp_path: Path) -> None:
    assert "unknown column (did you mean plan.price?)" in _bad(
        _csv(tmp_path, GOOD + ",1", header=HEADER + ",plan.prise")
    )
    assert "plan.price: required column is missing" in _bad(
        _csv(tmp_path, GOOD.rsplit(",", 1)[0], header=HEADER.rsplit(",", 1)[0])
    )
    assert "column appears twice" in _bad(
        _csv(tmp_path, GOOD + ",60", header=HEADER + ",plan.planned_hours")
    )
    assert "row 2: 8 cells (the header has 7): wrong number of cells" in _bad(
        _csv(tmp_path, GOOD, GOOD + ",7")
    )
    empty = tmp_path / "empty.csv"
    empty.write_text("")
    assert "no header row" in _bad(empty)
    text = tmp_path / "pop.txt"
    text.write_text(HEADER)
    assert "must end in .csv or .parquet" in _bad(text)
    fake = tmp_path / "fake.parquet"
    fake.write_text(HEADER)
    assert "not a Parquet file" in _bad(fake)


def test_skip_bad_leaves_out_and_lists_the_bad_rows(tmp_path: Path) -> None:
    path = _csv(
        tmp_path,
        GOOD,
        GOOD.replace("60,1500.00", "60,15.000.00", 1),
        GOOD,
        GOOD.replace("2026-05-04", "2026-13-01", 1),
    )
    bad: list = []
    pop = read_all(path, skip_bad=True, bad_rows=bad)
    assert [1, 3] == list(pop.rows)
    assert [(2, "unit.funding_rate"), (4, "plan.start_date")] == [(b.row, b.column) for b in bad]


def test_parquet_typed_columns_read_like_text(tmp_path: Path) -> None:
    import datetime as dt

    table = pa.table(
        {
            "learner.date_of_birth": pa.array([dt.date(2000, 1, 15)], pa.date32()),
            "unit.published_min_hours": pa.array([60], pa.int64()),
            "unit.funding_rate": pa.array([1500.5], pa.float64()),
            "plan.start_date": pa.array(["2026-05-04"]),
            "plan.planned_end_date": pa.array([dt.date(2026, 7, 27)], pa.date32()),
            "plan.planned_hours": pa.array([60], pa.int32()),
            "plan.price": pa.array(["1500.00"]),
            "learner.residency_eligible": pa.array([False]),
        }
    )
    path = tmp_path / "typed.parquet"
    pq.write_table(table, path)
    data = read_all(path).row_data(0)
    assert ("2000-01-15", "1500.50", False) == (
        data["learner"]["date_of_birth"],
        data["unit"]["funding_rate"],
        data["learner"]["residency_eligible"],
    )
    table = table.set_column(2, "unit.funding_rate", pa.array([1500.125]))
    pq.write_table(table, path)
    assert "row 1, unit.funding_rate: '1500.125' has more than 2 decimal places" in _bad(path)


def test_the_command_line_reports_bad_rows_with_exit_2(tmp_path: Path) -> None:
    path = _csv(tmp_path, GOOD, GOOD.replace("2026-07-27", "2026-07-32", 1))
    command = [
        sys.executable,
        "-m",
        "aurules",
        "impact",
        "2026-04",
        "2026-04",
        "--population",
        str(path),
    ]
    run = subprocess.run(command, capture_output=True, text=True, check=False)
    assert 2 == run.returncode
    assert run.stderr.startswith(f"aurules: {path}: row 2, plan.planned_end_date: ")
    assert 1 == len(run.stderr.strip().splitlines())
    run = subprocess.run(
        [*command, "--skip-bad", "--format", "json"], capture_output=True, text=True, check=False
    )
    assert 0 == run.returncode, run.stderr
    assert "row 2, plan.planned_end_date" in run.stderr
    assert '"bad_rows_skipped": 1' in run.stdout


def test_a_spreadsheet_style_file_reads_like_a_plain_one(tmp_path: Path) -> None:
    # a byte-order mark, Windows line ends, Python-style booleans and money as floats
    text = (
        HEADER
        + ",learner.residency_eligible,index\r\n"
        + GOOD.replace("1500.00", "1500.0")
        + ",True,0\r\n"
        + GOOD
        + ",FALSE,1\r\n"
    )
    path = tmp_path / "sheet.csv"
    path.write_bytes(b"\xef\xbb\xbf" + text.encode())
    pop = read_all(path)
    assert [True, False] == list(pop.values["learner.residency_eligible"])
    assert [150_000, 150_000] == list(pop.values["unit.funding_rate"])
    assert ["0", "1"] == list(pop.extras["index"])


def test_parquet_timestamps_are_dates_only_at_midnight(tmp_path: Path) -> None:
    import datetime as dt

    names, cells = HEADER.split(","), GOOD.split(",")
    columns = {n: pa.array([c, c]) for n, c in zip(names, cells, strict=True)}
    columns["plan.start_date"] = pa.array(
        [dt.datetime(2026, 5, 4), dt.datetime(2026, 5, 4)], pa.timestamp("ns")
    )
    path = tmp_path / "stamps.parquet"
    pq.write_table(pa.table(columns), path)
    assert [dt.date(2026, 5, 4).toordinal()] * 2 == list(read_all(path).values["plan.start_date"])
    columns["plan.start_date"] = pa.array(
        [dt.datetime(2026, 5, 4), dt.datetime(2026, 5, 4, 12, 30)], pa.timestamp("ns")
    )
    pq.write_table(pa.table(columns), path)
    message = _bad(path)
    assert "row 2, plan.start_date:" in message and "YYYY-MM-DD" in message
