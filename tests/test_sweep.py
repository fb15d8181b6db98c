"""`aurules impact BASE --sweep KEY=VALUES`: each value's figures equal an impact run of a
proposal file setting that value; ranges spelt out; bad sweeps refused in one line; the
same sweep on a Dask LocalCluster gives the same JSON as in-process."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from aurules.cli.main import main

SIZE = "400"


@pytest.fixture(scope="module")
def files(tmp_path_factory: Any) -> tuple[Path, Path]:
    folder = tmp_path_factory.mktemp("sweep")
    population, events = folder / "pop.csv", folder / "events.parquet"
    result = CliRunner().invoke(
        main,
        [
            "population",
            "--size",
            SIZE,
            "--seed",
            "3",
            "--out",
            str(population),
            "--events",
            str(events),
            "--audit",
            "0.3",
            "--extend",
            "0.3",
        ],
    )
    assert 0 == result.exit_code, result.output
    return population, events


def run(*args: str) -> Any:
    result = CliRunner().invoke(main, ["impact", *args, "--format", "json"])
    assert 0 == result.exit_code, result.output
    return json.loads(result.stdout)


def proposal(folder: Path, key: str, value: str) -> str:
    section, name = key.split(".")
    written = value if value.isdigit() else f'"{value}"'
    path = folder / f"{name}-{value}.toml"
    path.write_text(f'extends = "2026-04"\nid = "p"\n[{section}]\n{name} = {written}\n')
    return str(path)


@pytest.mark.parametrize(
    ("key", "values", "with_events"),
    [
        ("funding.government_coinvestment_share", ["0.85", "0.95", "1.00"], False),
        ("eligibility.min_age", ["16", "19"], False),
        ("funding.learning_support_amount", ["100.00", "150.00", "400.00"], False),
        ("milestones.milestone_2_share", ["0.60", "0.70"], False),
        ("duration.max_extension_weeks", ["4", "12"], True),
        ("milestones.milestone_1_hours_share", ["0.20", "0.40"], True),
    ],
)
def test_each_value_equals_an_impact_of_that_proposal(
    files: tuple[Path, Path], tmp_path: Path, key: str, values: list[str], with_events: bool
) -> None:
    population, events = files
    extra = ["--events", str(events)] if with_events else []
    swept = run(
        "2026-04", "--sweep", f"{key}={','.join(values)}", "--population", str(population), *extra
    )
    assert values == swept["sweep"]["values"]
    for value, point in zip(values, swept["points"], strict=True):
        alone = run(
            "2026-04", proposal(tmp_path, key, value), "--population", str(population), *extra
        )
        assert alone["eligible"] == point["eligible"], value
        assert alone["spend"] == point["spend"], value
        assert alone["newly_ineligible"]["count"] == point["newly_ineligible"], value
        if with_events:
            assert alone["lifecycle"] == point["lifecycle"], value


def test_a_range_is_spelt_out_and_the_curve_drawn(files: tuple[Path, Path], tmp_path: Path) -> None:
    population, _ = files
    chart = tmp_path / "curve.png"
    result = CliRunner().invoke(
        main,
        [
            "impact",
            "2026-04",
            "--sweep",
            "funding.government_coinvestment_share=0.80:1.00:0.05",
            "--population",
            str(population),
            "--chart",
            str(chart),
        ],
    )
    assert 0 == result.exit_code, result.output
    for value in ("0.80", "0.85", "0.90", "0.95", "1.00"):
        assert f"\n{value} " in result.stdout
    assert chart.read_bytes().startswith(b"\x89PNG")
    data = run(
        "2026-04",
        "--sweep",
        "funding.government_coinvestment_share=0.80:1.00:0.05",
        "--population",
        str(population),
    )
    direct = [
        int(p["spend"]["employer_direct"]["proposal"].replace(".", "")) for p in data["points"]
    ]
    assert direct == sorted(direct, reverse=True) and direct[-1] == 0  # the employer pays less


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--sweep", "funding.nope=1"], "unknown parameter"),
        (["--sweep", "duration.max_extension_weeks"], "expected SECTION.KEY=V1,V2"),
        (["--sweep", "duration.max_extension_weeks=x"], "x: expected a whole number"),
        (["--sweep", "funding.government_coinvestment_share=2"], "not a proportion"),
        (["--sweep", "duration.max_extension_weeks=1:1000000:1"], "more than 200"),
        (["--sweep", "duration.max_extension_weeks=5:1:1"], "FROM <= TO"),
        (["--sweep", "duration.max_extension_weeks=4,4"], "given twice"),
        (["--scheduler", "dask"], "give --sweep as well"),
        (["--sweep", "duration.max_extension_weeks=4", "--scheduler", "spark"], "expected dask"),
        (["--sweep", "duration.max_extension_weeks=4", "--rows", "x.csv"], "not a sweep"),
    ],
)
def test_bad_sweeps_are_one_line(files: tuple[Path, Path], args: list[str], message: str) -> None:
    population, _ = files
    result = CliRunner().invoke(main, ["impact", "2026-04", *args, "--population", str(population)])
    assert 2 == result.exit_code, result.output
    lines = result.stderr.strip().splitlines()
    assert 1 == len(lines) and message in lines[0], lines


def test_a_sweep_on_a_dask_local_cluster_equals_the_in_process_sweep(
    files: tuple[Path, Path],
) -> None:
    pytest.importorskip("dask.distributed")
    population, events = files
    args = [
        "2026-04",
        "--sweep",
        "duration.max_extension_weeks=4,8,12",
        "--population",
        str(population),
        "--events",
        str(events),
    ]
    in_process = run(*args)
    on_cluster = run(*args, "--scheduler", "dask")
    assert in_process == on_cluster
    assert 3 == len(on_cluster["points"])


def test_a_key_the_figures_do_not_read_is_named(files: tuple[Path, Path]) -> None:
    population, _ = files
    result = CliRunner().invoke(
        main,
        [
            "impact",
            "2026-04",
            "--sweep",
            "access.invitation_expiry_days=1,30",
            "--population",
            str(population),
            "--format",
            "json",
        ],
    )
    assert 0 == result.exit_code, result.output
    assert ["access.invitation_expiry_days"] == json.loads(result.stdout)["not_in_these_figures"][
        "changes"
    ]
    assert "access.invitation_expiry_days" in result.stderr


@pytest.mark.parametrize(
    ("sweep", "message"),
    [
        ("funding.government_coinvestment_share=0:1:NaN", "three finite numbers"),
        ("funding.government_coinvestment_share=0:Infinity:1", "three finite numbers"),
        ("funding.government_coinvestment_share=0:1:1e-1000000", "more than 200 values"),
    ],
)
def test_odd_ranges_are_one_line(files: tuple[Path, Path], sweep: str, message: str) -> None:
    population, _ = files
    result = CliRunner().invoke(
        main, ["impact", "2026-04", "--sweep", sweep, "--population", str(population)]
    )
    assert 2 == result.exit_code and message in result.stderr, result.output


def test_a_scheduler_address_that_is_not_one_is_bad_input(files: tuple[Path, Path]) -> None:
    pytest.importorskip("dask.distributed")
    population, _ = files
    result = CliRunner().invoke(
        main,
        [
            "impact",
            "2026-04",
            "--sweep",
            "duration.max_extension_weeks=4",
            "--population",
            str(population),
            "--scheduler",
            "dask=foo",
        ],
    )
    assert 2 == result.exit_code
    assert "cannot reach the Dask scheduler at foo" in result.stderr
