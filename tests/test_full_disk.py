"""A disk that fills while a file is written: every writer ends with exit 2 and one line
naming the file, and leaves nothing behind (no file, no temporary file, no folder it made).

The disk fills for real: the command runs in a child process whose file size limit
(RLIMIT_FSIZE) is 4 KiB, with SIGXFSZ ignored, so a write past it fails in the kernel as a
write to a full disk does (EFBIG there, ENOSPC here: the same OSError in the same place)."""

from __future__ import annotations

import resource
import signal
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
LIMIT = 4096


def _small_disk() -> None:
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_FSIZE, (LIMIT, LIMIT))


def run_on_small_disk(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "aurules", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        preexec_fn=_small_disk,
        check=False,
    )


@pytest.fixture(scope="module")
def population(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("disk")
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "aurules",
            "population",
            "--size",
            "300",
            "--out",
            str(folder / "pop.csv"),
            "--events",
            str(folder / "events.csv"),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert 0 == done.returncode, done.stderr
    return folder


def _left(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.rglob("*"))


@pytest.mark.parametrize(
    ("name", "args"),
    [
        ("population-csv", ["population", "--size", "2000", "--out", "{out}/new/deeper/p.csv"]),
        ("population-parquet", ["population", "--size", "20000", "--out", "{out}/p.parquet"]),
        (
            "population-events",
            ["population", "--size", "2000", "--out", "{out}/p.csv", "--events", "{out}/e.csv"],
        ),
        (
            "impact-rows",
            [
                "impact",
                "2026-04",
                "2026-04",
                "--population",
                "{pop}/pop.csv",
                "--rows",
                "{out}/rows.csv",
            ],
        ),
        (
            "impact-rows-events",
            [
                "impact",
                "2026-04",
                "2026-04",
                "--population",
                "{pop}/pop.csv",
                "--events",
                "{pop}/events.csv",
                "--rows",
                "{out}/rows.csv",
            ],
        ),
        (
            "impact-chart",
            [
                "impact",
                "2026-04",
                "2026-04",
                "--population",
                "{pop}/pop.csv",
                "--chart",
                "{out}/c.png",
            ],
        ),
        (
            "sweep-chart",
            [
                "impact",
                "2026-04",
                "--sweep",
                "duration.max_extension_weeks=4,8",
                "--population",
                "{pop}/pop.csv",
                "--chart",
                "{out}/s.png",
            ],
        ),
        ("fixtures", ["fixtures", "--paragraph", "91", "--out", "{out}/fx", "--format", "jsonl"]),
    ],
)
def test_a_full_disk_is_one_line_and_leaves_nothing(
    population: Path, tmp_path: Path, name: str, args: list[str]
) -> None:
    out = tmp_path / "out"
    out.mkdir()
    given = [a.format(out=out, pop=population) for a in args]
    done = run_on_small_disk(*given, cwd=tmp_path)
    assert 2 == done.returncode, (name, done.stderr)
    lines = done.stderr.strip().splitlines()
    assert 1 == len(lines), lines
    assert lines[0].startswith(f"aurules: {out}") and "cannot be written" in lines[0], lines
    assert [] == _left(out), name  # no file, no temporary file, no folder made for it
