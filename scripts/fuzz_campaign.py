"""A fuzzing campaign over the command line: `python scripts/fuzz_campaign.py [COUNT] [SEED]`.

Mutations of valid inputs (scenarios, access traces, proposals, population and events files
in CSV and Parquet, counterexample files) and of command-line arguments run through the
command line in process. Every run must end in exit 0, 1 or 3 (a result), 2 with exactly one
line on stderr (bad input) or 130; an exit 70 (an internal error) or a 2 with several lines
is a finding. Prints the count of runs by input kind and exit code, and each distinct
finding with an input that shows it (written under `fuzz-findings/`). Deterministic for a
seed. Not part of the test suite (`tests/test_fuzz_inputs.py` is its fast cousin there).
"""

from __future__ import annotations

import contextlib
import copy
import csv
import json
import math
import os
import random
import sys
import tempfile
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from click.testing import CliRunner

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from aurules.cli.main import main  # noqa: E402
from aurules.model.scenario import MINIMAL  # noqa: E402

JUNK: list[Any] = [
    None,
    True,
    False,
    0,
    -1,
    1,
    10**20,
    -(10**20),
    1.5,
    1e308,
    float("inf"),
    float("nan"),
    "",
    " ",
    "x",
    "2026-02-30",
    "0000-01-01",
    "9999-12-31",
    "1e9",
    "-1",
    " 60",
    "£5",
    "0.0000001",
    "18446744073709551616",
    "milestone_3",
    "\ufeff",
    "a;b",
    '"',
    "\n",
    "\x00",
    [],
    [1],
    {},
    {"a": 1},
    "2026-05-04T00:00",
    "true ",
    "NaN",
    "١٢",
    "9" * 400,
]
CELLS = [
    "",
    " ",
    "2026-02-30",
    "0000-01-01",
    "9999-12-31",
    "-1",
    "1e9",
    "0.001",
    "true ",
    "NaN",
    "inf",
    "18446744073709551616",
    "milestone_3",
    "\ufeff1",
    "a;b",
    '"',
    "\n",
    "x" * 300,
    "1.005",
    "2026-05-04 ",
    "١",
    "-0",
    "+1",
    "0x10",
    "1_000",
    "TRUE",
    "yes",
]


def leaves(data: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    if isinstance(data, dict):
        return [p for k, v in data.items() for p in [(*prefix, k), *leaves(v, (*prefix, k))]]
    if isinstance(data, list):
        return [p for i, v in enumerate(data) for p in [(*prefix, i), *leaves(v, (*prefix, i))]]
    return []


def mutate(rng: random.Random, base: Any) -> Any:
    data = copy.deepcopy(base)
    for _ in range(rng.randint(1, 4)):
        paths = leaves(data)
        if not paths:
            break
        *parents, last = rng.choice(paths)
        node = data
        for key in parents:
            node = node[key]
        action = rng.choice(["replace", "replace", "remove", "add", "deepen"])
        if action == "deepen":  # a marker `dumps` spells out as arrays nested that deep
            node[last] = f"__DEEP_{rng.choice([2, 50, 3000])}__"
            break
        if action == "replace":
            node[last] = copy.deepcopy(rng.choice(JUNK))
        elif action == "remove" and isinstance(node, dict):
            node.pop(last, None)
        elif action == "add" and isinstance(node, dict):
            node[rng.choice(["x", "extra", "events", "type", "id", ""])] = rng.choice(JUNK)
    return data


def dumps(data: Any) -> str:
    """JSON text, with each deep-nesting marker spelt out as `[[[...1...]]]`."""
    import re

    text = json.dumps(data, allow_nan=True)
    return re.sub(r'"__DEEP_(\d+)__"', lambda m: "[" * int(m[1]) + "1" + "]" * int(m[1]), text)


def mutate_rows(
    rng: random.Random, rows: list[dict[str, str]]
) -> tuple[list[str], list[list[str]]]:
    names = list(rows[0])
    table = [[row[n] for n in names] for row in rows]
    for _ in range(rng.randint(1, 4)):
        action = rng.choice(["cell", "cell", "cell", "drop", "add", "header", "dup", "ragged"])
        if action == "cell":
            table[rng.randrange(len(table))][rng.randrange(len(names))] = rng.choice(CELLS)
        elif action == "drop" and len(names) > 1:
            gone = rng.randrange(len(names))
            names.pop(gone)
            for row in table:
                row.pop(gone)
        elif action == "add":
            names.append(rng.choice(["x", "learner.nope", "employer.x", " row", "hours", "by"]))
            for row in table:
                row.append(rng.choice(CELLS))
        elif action == "header":
            names[rng.randrange(len(names))] = rng.choice(["", " ", "row", "date", "plan.price "])
        elif action == "dup":
            table.append(list(rng.choice(table)))
        elif action == "ragged":
            rng.choice(table).append("1")
    return names, table


def write_csv(path: Path, names: list[str], table: list[list[str]]) -> None:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(names)
        writer.writerows(table)


def write_parquet(path: Path, names: list[str], table: list[list[str]], rng: random.Random) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    if len(set(names)) != len(names):
        names = [f"{n}{i}" if names.index(n) != i else n for i, n in enumerate(names)]
    columns = {}
    exotic = rng.randrange(len(names)) if rng.random() < 0.15 else -1
    for i, name in enumerate(names):
        cells = [row[i] if i < len(row) else "" for row in table]
        kind = rng.choice(["text", "text", "native", "native", "native"])
        if kind == "native":
            kind = _native(name, cells)
        if i == exotic:
            kind = rng.choice(["float", "bool", "date", "list", "binary", "int"])
        try:
            if kind == "int":
                columns[name] = pa.array(
                    [int(c) if c.strip().lstrip("-").isdigit() else None for c in cells], pa.int64()
                )
            elif kind == "float":
                columns[name] = pa.array(
                    [rng.choice([1.5, -2.0, 1e30, float("nan")]) for _ in cells]
                )
            elif kind == "bool":
                columns[name] = pa.array([rng.random() < 0.5 for _ in cells])
            elif kind == "bool-cells":
                columns[name] = pa.array([{"true": True, "false": False}.get(c) for c in cells])
            elif kind == "date-cells":
                import datetime as dt

                def day(c: str) -> Any:
                    try:
                        return dt.date.fromisoformat(c)
                    except ValueError:
                        return None

                columns[name] = pa.array([day(c) for c in cells], pa.date32())
            elif kind == "date":
                columns[name] = pa.array(
                    [rng.randint(-800_000, 3_000_000) for _ in cells], pa.date32()
                )
            elif kind == "list":
                columns[name] = pa.array([[1] for _ in cells])
            elif kind == "binary":
                columns[name] = pa.array([b"\xff\xfe" for _ in cells], pa.binary())
            else:
                columns[name] = pa.array(cells, pa.string())
        except (pa.ArrowInvalid, OverflowError, ValueError):
            columns[name] = pa.array(cells, pa.string())
    pq.write_table(pa.table(columns), path)


def _native(name: str, cells: list[str]) -> str:
    """The Parquet type a tool would give a column of these cells."""
    if all(c in ("true", "false", "") for c in cells):
        return "bool-cells"
    if all(len(c) == 10 and c[4] == "-" for c in cells if c):
        return "date-cells"
    if all(c.isdigit() for c in cells if c):
        return "int"
    return "text"


def toml_value(value: Any) -> str:
    """A TOML value (inline tables and arrays); ValueError for what TOML lacks."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        raise ValueError
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        if isinstance(value, float) and abs(value) == float("inf"):
            return "inf" if value > 0 else "-inf"
        return repr(value)
    if isinstance(value, str):
        return json.dumps(value)
    if isinstance(value, list):
        return "[" + ", ".join(toml_value(v) for v in value) + "]"
    return (
        "{" + ", ".join(f"{json.dumps(str(k))} = {toml_value(v)}" for k, v in value.items()) + "}"
    )


POPULATION = [
    {
        "learner.date_of_birth": "2000-01-15",
        "unit.published_min_hours": "60",
        "unit.funding_rate": "1500.00",
        "plan.start_date": "2026-05-04",
        "plan.planned_end_date": "2026-07-27",
        "plan.planned_hours": "60",
        "plan.price": "1500.00",
        "employer.levy_payer": "true",
        "employer.funding": "levy",
        "employer.levy_balance": "9000.00",
        "region": "north",
    }
] * 3
EVENTS = [
    {
        "row": "1",
        "date": "2026-05-11",
        "type": "delivered",
        "hours": "18",
        "item": "",
        "by": "",
        "kind": "",
        "employer.relationship": "",
    },
    {
        "row": "1",
        "date": "2026-05-12",
        "type": "claim",
        "hours": "",
        "item": "milestone_1",
        "by": "",
        "kind": "",
        "employer.relationship": "",
    },
    {
        "row": "2",
        "date": "2026-05-12",
        "type": "plan_signed_off",
        "hours": "",
        "item": "",
        "by": "provider;learner",
        "kind": "",
        "employer.relationship": "",
    },
    {
        "row": "2",
        "date": "2026-05-13",
        "type": "leave_started",
        "hours": "",
        "item": "",
        "by": "",
        "kind": "maternity",
        "employer.relationship": "",
    },
    {
        "row": "3",
        "date": "2026-05-13",
        "type": "restarted",
        "hours": "",
        "item": "",
        "by": "",
        "kind": "",
        "employer.relationship": "direct",
    },
]
SCENARIO = {
    **MINIMAL,
    "events": [
        {"date": "2026-05-11", "type": "delivered", "hours": 18},
        {"date": "2026-05-12", "type": "claim", "item": "milestone_1"},
        {"date": "2026-05-20", "type": "restarted", "employer": {"relationship": "direct"}},
    ],
}
ARGS = [
    ["evaluate"],
    ["check", "--profile"],
    ["impact", "2026-04"],
    ["population", "--size", "-3"],
    ["population", "--seed", "-1", "--size", "2", "--out", "x.csv"],
    ["diff", "2026-04"],
    ["fixtures", "--format", "xml"],
    ["replay", "/nonexistent"],
    ["rules", "--status", "x"],
    ["impact", "2026-04", "--sweep", "x"],
    ["impact", "2026-04", "--sweep", "duration.x=1"],
    ["impact", "2026-04", "--scheduler", "dask"],
    ["schema", "nope"],
    ["timeline", "x"],
    ["test"],
    ["params", "--rules", ""],
    ["facts", "--rules", "a,,b"],
    ["explain", "-"],
]


def one(rng: random.Random, folder: Path, kind: str) -> tuple[list[str], str | None]:
    """Arguments for one run of `kind` (and the stdin text, if any)."""
    if kind == "scenario":
        (folder / "s.json").write_text(dumps(mutate(rng, SCENARIO)))
        return [
            rng.choice(["evaluate", "explain", "timeline"]),
            str(folder / "s.json"),
            *(["--out", str(folder / "t.svg")] if rng.random() < 0.3 else []),
        ], None
    if kind == "stdin":
        text = dumps(mutate(rng, SCENARIO))
        if rng.random() < 0.3:
            text = text.encode().replace(b"2026", b"\xff\xfe")[:200].decode("latin-1")
        return ["evaluate", "-"], text
    if kind == "proposal":
        data = mutate(
            rng,
            {
                "id": "p",
                "extends": "2026-04",
                "eligibility": {"min_age": 18},
                "funding": {"government_coinvestment_share": "0.90"},
                "rules": [
                    {"name": "r", "paragraph": "P1", "kind": "start", "holds": "age_at_start >= 16"}
                ],
            },
        )
        lines = []
        for key, value in data.items():
            try:
                text = toml_value(value)
            except ValueError:
                continue
            if "__DEEP_" in text:
                depth = int(text.split("__DEEP_")[1].split("__")[0])
                text = text.replace(f'"__DEEP_{depth}__"', "[" * depth + "1" + "]" * depth)
            lines.append(f"{json.dumps(str(key))} = {text}")
        (folder / "p.toml").write_text("\n".join(lines))
        (folder / "s.json").write_text(json.dumps(MINIMAL))
        return [
            rng.choice(["evaluate", "explain"]),
            str(folder / "s.json"),
            "--rules",
            str(folder / "p.toml"),
        ], None
    if kind in ("population-csv", "population-parquet"):
        names, table = mutate_rows(rng, POPULATION)
        path = folder / ("pop.csv" if kind.endswith("csv") else "pop.parquet")
        if kind.endswith("csv"):
            write_csv(path, names, table)
        else:
            write_parquet(path, names, table, rng)
        extra = rng.choice(
            [[], ["--skip-bad"], ["--by", "region"], ["--rows", str(folder / "r.csv")]]
        )
        return ["impact", "2026-04", "2026-04", "--population", str(path), *extra], None
    if kind in ("events-csv", "events-parquet"):
        write_csv(folder / "pop.csv", list(POPULATION[0]), [list(r.values()) for r in POPULATION])
        names, table = mutate_rows(rng, EVENTS)
        path = folder / ("ev.csv" if kind.endswith("csv") else "ev.parquet")
        if kind.endswith("csv"):
            write_csv(path, names, table)
        else:
            write_parquet(path, names, table, rng)
        extra = rng.choice([[], ["--skip-bad"], ["--rows", str(folder / "r.parquet")]])
        return [
            "impact",
            "2026-04",
            "2026-04",
            "--population",
            str(folder / "pop.csv"),
            "--events",
            str(path),
            *extra,
        ], None
    if kind == "counterexample":
        saved = sorted((ROOT / "counterexamples").glob("*.json"))
        data = mutate(rng, json.loads(rng.choice(saved).read_text()))
        (folder / "cx").mkdir(exist_ok=True)
        (folder / "cx" / "x.json").write_text(dumps(data))
        return [
            rng.choice(["replay", "explain"]),
            str(folder / "cx") if rng.random() < 0.5 else str(folder / "cx" / "x.json"),
        ], None
    if kind == "access":
        trace = {
            "kind": "access",
            "events": [{"type": rng.choice(["invite", "accept", "x"]), "user": rng.choice(JUNK)}],
        }
        (folder / "a.json").write_text(dumps(mutate(rng, trace)))
        return ["evaluate", str(folder / "a.json")], None
    args = list(rng.choice(ARGS))
    for _ in range(rng.randint(0, 2)):
        args.insert(
            rng.randint(1, len(args)),
            rng.choice(
                [
                    "--format",
                    "json",
                    "--rules",
                    "2026-04,",
                    "-x",
                    "\n",
                    "--limit",
                    "-5",
                    "--out",
                    "/",
                ]
            ),
        )
    return args, None


KINDS = [
    "scenario",
    "stdin",
    "proposal",
    "population-csv",
    "population-parquet",
    "events-csv",
    "events-parquet",
    "counterexample",
    "access",
    "arguments",
]


@contextlib.contextmanager
def _inside(folder: str, home: Path) -> Iterator[None]:
    """Work in `folder` (a relative --out among the mutated arguments lands there, not in
    the tree), then back in `home`."""
    os.chdir(folder)
    try:
        yield
    finally:
        os.chdir(home)


def main_campaign(count: int, seed: int) -> int:
    rng = random.Random(seed)
    runner = CliRunner()
    tally: Counter[tuple[str, int]] = Counter()
    findings: dict[str, tuple[str, list[str]]] = {}
    out = ROOT / "fuzz-findings"
    home = Path.cwd()
    with tempfile.TemporaryDirectory() as root, _inside(root, home):
        for number in range(count):
            kind = KINDS[number % len(KINDS)]
            folder = Path(root) / str(number % 50)
            folder.mkdir(exist_ok=True)
            args, stdin = one(rng, folder, kind)
            result = runner.invoke(main, args, input=stdin, catch_exceptions=True)
            code = result.exit_code
            if result.exception is not None and not isinstance(result.exception, SystemExit):
                code = 99  # escaped the command line's guard entirely
            tally[(kind, code)] += 1
            lines = result.stderr.strip().splitlines() if code == 2 else []
            bad = code in (70, 99) or (code == 2 and len(lines) != 1)
            if bad:
                message = (result.stderr.strip().splitlines() or [repr(result.exception)])[-1]
                key = f"{kind}: {message.split(':', 3)[-1][:90]}"
                if key not in findings:
                    findings[key] = (message, args)
                    out.mkdir(exist_ok=True)
                    target = out / f"finding-{len(findings)}"
                    target.mkdir(exist_ok=True)
                    for item in folder.iterdir():
                        if item.is_file():
                            (target / item.name).write_bytes(item.read_bytes())
                    (target / "args.json").write_text(json.dumps(args))
    print(f"{count} inputs, seed {seed}")
    for kind in KINDS:
        codes = {code: n for (k, code), n in sorted(tally.items()) if k == kind}
        print(f"  {kind:<20} {codes}")
    internal = sum(n for (_, code), n in tally.items() if code in (70, 99))
    print(f"internal errors (exit 70 or escaped): {internal}; distinct findings: {len(findings)}")
    for key, (message, args) in findings.items():
        print(f"  {key}\n      {message}\n      args: {args}")
    return 1 if findings else 0


if __name__ == "__main__":
    sys.exit(
        main_campaign(
            int(sys.argv[1]) if len(sys.argv) > 1 else 10_000,
            int(sys.argv[2]) if len(sys.argv) > 2 else 1,
        )
    )
