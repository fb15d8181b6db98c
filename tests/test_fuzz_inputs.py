"""A fuzz test of our own: Hypothesis mutates valid inputs (a scenario, a proposal, a
population file, a counterexample) and runs the command line in process; every run ends in
exit 0 (accepted), 1 or 3 (a verdict) or 2 with exactly one line on stderr, never 70 (an
internal error)."""

from __future__ import annotations

import copy
import json
import math
from pathlib import Path
from typing import Any

from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from aurules.cli.main import main
from aurules.model.scenario import MINIMAL

ROOT = Path(__file__).resolve().parent.parent
JUNK = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(10**20), 10**20),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=12),
    st.lists(st.integers(), max_size=3),
    st.dictionaries(st.text(max_size=5), st.integers(), max_size=2),
    st.sampled_from(["2026-02-30", "0000-01-01", "9999-12-31", "1e9", "-1", "", " 60", "£5"]),
)
SETTINGS = settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


def _paths(data: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    if isinstance(data, dict):
        return [p for k, v in data.items() for p in [(*prefix, k), *_paths(v, (*prefix, k))]]
    if isinstance(data, list):
        return [p for i, v in enumerate(data) for p in [(*prefix, i), *_paths(v, (*prefix, i))]]
    return []


@st.composite
def mutated(draw: Any, base: Any) -> Any:
    """`base` with a few leaves replaced, removed or added."""
    data = copy.deepcopy(base)
    for _ in range(draw(st.integers(1, 3))):
        paths = _paths(data)
        if not paths:
            break
        path = draw(st.sampled_from(paths))
        *parents, last = path
        node = data
        for key in parents:
            node = node[key]
        action = draw(st.sampled_from(["replace", "remove", "add"]))
        if action == "replace":
            node[last] = draw(JUNK)
        elif action == "remove" and isinstance(node, dict):
            node.pop(last, None)
        elif isinstance(node, dict):
            node[draw(st.text(min_size=1, max_size=8))] = draw(JUNK)
    return data


def _run(args: list[str]) -> Any:
    result = CliRunner().invoke(main, args, catch_exceptions=False)
    assert result.exit_code in (0, 1, 2, 3), (args, result.output)
    if result.exit_code == 2:
        lines = result.stderr.strip().splitlines()
        assert len(lines) == 1, lines
    return result


SCENARIO = {
    **MINIMAL,
    "events": [
        {"date": "2026-05-11", "type": "delivered", "hours": 18},
        {"date": "2026-05-12", "type": "claim", "item": "milestone_1"},
    ],
}


@SETTINGS
@given(mutated(SCENARIO))
def test_mutated_scenarios_never_reach_an_internal_error(tmp_path: Path, data: Any) -> None:
    path = tmp_path / "s.json"
    path.write_text(json.dumps(data, allow_nan=True))
    _run(["evaluate", str(path)])


PROPOSAL = {
    "id": "p",
    "extends": "2026-04",
    "eligibility": {"min_age": 18},
    "funding": {
        "government_coinvestment_share": {
            "by": "age_at_start",
            "bands": [{"below": 25, "value": "1.00"}, {"value": "0.75"}],
        }
    },
    "facts": {"learner": {"care_leaver": {"type": "bool", "default": False}}},
    "rules": [
        {
            "name": "r",
            "paragraph": "P1",
            "kind": "start",
            "holds": "age_at_start >= 16 or learner.care_leaver",
        }
    ],
    "disable": {"rules": ["not_on_other_programme"]},
}


def _toml(value: Any) -> str:
    """A TOML value (inline tables and arrays), or raise ValueError for what TOML lacks."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        raise ValueError
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return (
            repr(value)
            if isinstance(value, int) or abs(value) != float("inf")
            else ("inf" if value > 0 else "-inf")
        )
    if isinstance(value, str):
        return json.dumps(value)
    if isinstance(value, list):
        return "[" + ", ".join(_toml(v) for v in value) + "]"
    return "{" + ", ".join(f"{json.dumps(str(k))} = {_toml(v)}" for k, v in value.items()) + "}"


@SETTINGS
@given(mutated(PROPOSAL))
def test_mutated_proposals_never_reach_an_internal_error(tmp_path: Path, data: Any) -> None:
    try:
        text = "\n".join(f"{json.dumps(str(k))} = {_toml(v)}" for k, v in data.items())
    except ValueError:
        return  # not expressible in TOML
    path = tmp_path / "p.toml"
    path.write_text(text)
    scenario = tmp_path / "s.json"
    scenario.write_text(json.dumps(MINIMAL))
    _run(["evaluate", str(scenario), "--rules", str(path)])


@SETTINGS
@given(mutated(json.loads((ROOT / "counterexamples" / "3590b1c56456.json").read_text())))
def test_mutated_counterexamples_never_reach_an_internal_error(tmp_path: Path, data: Any) -> None:
    folder = tmp_path / "cx"
    folder.mkdir(exist_ok=True)
    (folder / "x.json").write_text(json.dumps(data, allow_nan=True))
    _run(["replay", str(folder)])
    _run(["explain", str(folder / "x.json")])


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
    {"row": "1", "date": "2026-05-11", "type": "delivered", "hours": "18", "item": "", "by": ""},
    {
        "row": "1",
        "date": "2026-05-12",
        "type": "claim",
        "hours": "",
        "item": "milestone_1",
        "by": "",
    },
    {
        "row": "2",
        "date": "2026-05-12",
        "type": "plan_signed_off",
        "hours": "",
        "item": "",
        "by": "provider;learner",
    },
    {"row": "3", "date": "2026-05-13", "type": "withdrawn", "hours": "", "item": "", "by": ""},
]
CELLS = st.one_of(
    st.text(max_size=10),
    st.sampled_from(
        [
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
        ]
    ),
)


@st.composite
def mutated_rows(draw: Any, rows: list[dict[str, str]]) -> tuple[list[str], list[list[str]]]:
    """The rows as a CSV table with a few cells changed, a column dropped or one added."""
    names = list(rows[0])
    table = [[row[name] for name in names] for row in rows]
    for _ in range(draw(st.integers(1, 3))):
        action = draw(st.sampled_from(["cell", "cell", "cell", "drop", "add", "header"]))
        if action == "cell":
            table[draw(st.integers(0, len(table) - 1))][draw(st.integers(0, len(names) - 1))] = (
                draw(CELLS)
            )
        elif action == "drop" and len(names) > 1:
            gone = draw(st.integers(0, len(names) - 1))
            names.pop(gone)
            for row in table:
                row.pop(gone)
        elif action == "add":
            names.append(draw(st.text(min_size=1, max_size=8)))
            for row in table:
                row.append(draw(CELLS))
        else:
            names[draw(st.integers(0, len(names) - 1))] = draw(st.text(max_size=12))
    return names, table


def _csv(path: Path, names: list[str], table: list[list[str]]) -> None:
    import csv

    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(names)
        writer.writerows(table)


@SETTINGS
@given(mutated_rows(POPULATION))
def test_mutated_population_files_never_reach_an_internal_error(
    tmp_path: Path, data: tuple[list[str], list[list[str]]]
) -> None:
    _csv(tmp_path / "pop.csv", *data)
    _run(["impact", "2026-04", "2026-04", "--population", str(tmp_path / "pop.csv")])
    _run(["impact", "2026-04", "2026-04", "--population", str(tmp_path / "pop.csv"), "--skip-bad"])


@SETTINGS
@given(mutated_rows(EVENTS))
def test_mutated_event_files_never_reach_an_internal_error(
    tmp_path: Path, data: tuple[list[str], list[list[str]]]
) -> None:
    names = list(POPULATION[0])
    _csv(tmp_path / "pop.csv", names, [[row[n] for n in names] for row in POPULATION])
    _csv(tmp_path / "events.csv", *data)
    args = [
        "impact",
        "2026-04",
        "2026-04",
        "--population",
        str(tmp_path / "pop.csv"),
        "--events",
        str(tmp_path / "events.csv"),
    ]
    _run(args)
    _run([*args, "--skip-bad", "--rows", str(tmp_path / "rows.csv")])
