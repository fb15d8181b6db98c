"""Every file the tools write is created whole (never half-written) with the mode any new file
gets under the umask (0644 under the usual 022), not a temporary file's 0600."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from aurules.model.atomic import MODE, atomic_path, write_text
from aurules.properties.counterexamples import save


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def run(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "aurules", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        check=False,
    )


def test_the_mode_follows_the_umask() -> None:
    mask = os.umask(0)
    os.umask(mask)
    assert MODE == 0o666 & ~mask


def test_written_files_get_the_umask_mode(tmp_path: Path) -> None:
    assert mode(write_text(tmp_path / "a.txt", "x")) == MODE
    saved = save({"invariant": "x", "scenario": {}}, tmp_path / "cx")
    assert mode(saved) == MODE


def test_a_failed_write_leaves_nothing(tmp_path: Path) -> None:
    target = tmp_path / "b.txt"
    with pytest.raises(RuntimeError), atomic_path(target) as temporary:
        temporary.write_text("half")
        raise RuntimeError("stop")
    assert list(tmp_path.iterdir()) == []


def test_an_existing_file_is_not_replaced_when_asked_not_to(tmp_path: Path) -> None:
    target = write_text(tmp_path / "c.txt", "first")
    write_text(target, "second", replace=False)
    assert target.read_text() == "first"
    assert [p.name for p in tmp_path.iterdir()] == ["c.txt"]


def test_the_tools_write_readable_files(tmp_path: Path) -> None:
    if MODE & 0o044 != 0o044:
        pytest.skip("the umask hides files from others")
    assert (
        run(
            "fixtures", "--paragraph", "22.1", "--out", "fx", "--format", "json", cwd=tmp_path
        ).returncode
        == 0
    )
    assert run("population", "--size", "50", "--out", "pop.csv", cwd=tmp_path).returncode == 0
    proposal = Path(__file__).resolve().parent.parent / "examples/proposals/min-age-18.toml"
    done = run(
        "impact",
        "2026-04",
        str(proposal),
        "--population",
        "pop.csv",
        "--chart",
        "c.png",
        "--rows",
        "rows.csv",
        cwd=tmp_path,
    )
    assert done.returncode == 0, done.stderr
    written = [
        *tmp_path.joinpath("fx").iterdir(),
        tmp_path / "pop.csv",
        tmp_path / "rows.csv",
        tmp_path / "c.png",
    ]
    for path in written:
        assert mode(path) == MODE, path


def test_an_unwritable_place_is_bad_input_not_an_internal_error(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    done = run("population", "--size", "5", "--out", str(blocker / "pop.csv"), cwd=tmp_path)
    assert done.returncode == 2
    assert done.stderr.strip().startswith(f"aurules: {blocker / 'pop.csv'}: cannot be written")
    folder = tmp_path / "folder.csv"
    folder.mkdir()
    done = run("population", "--size", "5", "--out", str(folder), cwd=tmp_path)
    assert done.returncode == 2
    assert "is a folder" in done.stderr


def test_parquet_columns_of_the_wrong_type_are_refused(tmp_path: Path) -> None:
    import datetime as dt

    import pyarrow as pa
    import pyarrow.parquet as pq

    base = {
        "learner.date_of_birth": pa.array([dt.date(2000, 1, 1)]),
        "unit.published_min_hours": pa.array([60]),
        "unit.funding_rate": pa.array([1500]),
        "plan.start_date": pa.array([dt.date(2026, 5, 4)]),
        "plan.planned_end_date": pa.array([dt.date(2026, 7, 27)]),
        "plan.planned_hours": pa.array([60]),
        "plan.price": pa.array([1500]),
    }
    for name, extra, words in (
        ("list", {"region": pa.array([[1, 2]])}, "region: a Parquet column of type list"),
        ("duration", {"plan.price": pa.array([dt.timedelta(days=1)])}, "plan.price: a Parquet"),
        ("struct", {"unit.funding_rate": pa.array([{"a": 1}])}, "unit.funding_rate: a Parquet"),
    ):
        path = tmp_path / f"{name}.parquet"
        pq.write_table(pa.table({**base, **extra}), path)
        done = run("impact", "2026-04", "2026-04", "--population", str(path), cwd=tmp_path)
        assert done.returncode == 2, (name, done.stderr)
        assert words in done.stderr, name
