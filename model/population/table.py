"""A population: many learners' start-of-unit facts as columns, one row per learner.

Columns are named by the scenario's dotted paths (`learner.date_of_birth`, `plan.price`,
`employer.transfer.accepted_on`, ...) and typed by the scenario classes themselves, so a
population row is exactly a scenario without events. Inside, every column is an int64 or bool
array in the model's units (day numbers, pence, hundredths of an hour, millionths of a share,
enumeration codes); a nullable column also has a mask of the rows where it is given.
Absent values take the contract's defaults; the required fields have none.
"""

from __future__ import annotations

import datetime as dt
import typing
from collections.abc import Iterable, Iterator
from typing import Any

import attrs
import numpy as np

from aurules.model.money import Money
from aurules.model.scenario import Employer, Learner, Plan, Scenario, Unit
from aurules.model.structure import Hours, Share


@attrs.frozen(kw_only=True)
class Column:
    """One column of a population file: a scenario field."""

    path: str
    kind: str
    """date, bool, money, hours, share, count (a whole number) or enum."""
    nullable: bool
    required: bool
    default: Any
    """The value (in the model's units) a row takes when the cell is empty; 0 for null."""
    codes: tuple[str, ...] = ()
    doc: str = ""


def _kind(hint: Any) -> tuple[str, bool, tuple[str, ...]]:
    args = typing.get_args(hint)
    nullable = type(None) in args
    if nullable:
        (hint,) = [a for a in args if a is not type(None)]
    if typing.get_origin(hint) is typing.Literal:
        return "enum", nullable, tuple(typing.get_args(hint))
    kinds = {dt.date: "date", bool: "bool", Money: "money", Hours: "hours", Share: "share"}
    return kinds.get(hint, "count"), nullable, ()


def _internal(kind: str, value: Any, codes: tuple[str, ...]) -> Any:
    if value is None:
        return 0
    if kind == "date":
        return value.toordinal()
    if kind == "money":
        return value.pence
    if kind == "enum":
        return codes.index(value)
    return value


def _columns(prefix: str, cls: type) -> Iterator[Column]:
    hints = typing.get_type_hints(cls)
    for field in attrs.fields(cls):
        hint = hints[field.name]
        if attrs.has(hint) and hint is not Money:
            yield from _columns(f"{prefix}{field.name}.", hint)
            continue
        kind, nullable, codes = _kind(hint)
        required = field.default is attrs.NOTHING
        default = None if required else field.default
        yield Column(
            path=prefix + field.name,
            kind=kind,
            nullable=nullable,
            required=required,
            default=0 if required else _internal(kind, default, codes),
            codes=codes,
            doc=field.metadata.get("doc", ""),
        )


SECTIONS: tuple[tuple[str, type], ...] = (
    ("learner", Learner),
    ("unit", Unit),
    ("plan", Plan),
    ("employer", Employer),
)
COLUMNS: tuple[Column, ...] = tuple(c for name, cls in SECTIONS for c in _columns(name + ".", cls))
BY_PATH: dict[str, Column] = {c.path: c for c in COLUMNS}
REQUIRED: tuple[str, ...] = tuple(c.path for c in COLUMNS if c.required)

_NEW_KINDS = {"int": "count"}


def fact_columns(*rulesets: Any) -> tuple[Column, ...]:
    """Columns for the new facts of these rulesets (`learner.care_leaver`): optional, each
    with its proposal's default. Two rulesets declaring one fact must agree on it."""
    from aurules.model.proposal import added_facts

    return fact_columns_of(added_facts(*rulesets))


def fact_columns_of(new_facts: Iterable[Any]) -> tuple[Column, ...]:
    """Columns for these new facts (see `fact_columns`)."""
    out: list[Column] = []
    for new in new_facts:
        kind = new.written_type
        codes: tuple[str, ...] = kind if isinstance(kind, tuple) else ()
        out.append(
            Column(
                path=new.path,
                kind="enum" if codes else _NEW_KINDS.get(kind, kind),
                nullable=False,
                required=False,
                default=new.default,
                codes=codes,
                doc=new.description,
            )
        )
    return tuple(out)


@attrs.frozen(kw_only=True, eq=False)
class Population:
    """Learners as columns. `rows` are the 1-based row numbers in the source file (bad rows
    skipped leave gaps); `present` masks the rows where a nullable column is given."""

    values: dict[str, Any]
    present: dict[str, Any]
    rows: Any
    extras: dict[str, Any] = attrs.field(factory=dict)
    """Columns that are not scenario fields (ids, regions...), as text, row by row."""
    added: tuple[Column, ...] = ()
    """A proposal's new facts among `values` (see `fact_columns`)."""

    @property
    def size(self) -> int:
        return len(self.rows)

    def take(self, index: Any) -> Population:
        """The rows at `index` (a boolean mask or positions)."""
        return Population(
            values={k: v[index] for k, v in self.values.items()},
            present={k: v[index] for k, v in self.present.items()},
            rows=self.rows[index],
            extras={k: v[index] for k, v in self.extras.items()},
            added=self.added,
        )

    def given(self, path: str) -> Any:
        """Where a nullable column is given (all rows for the others)."""
        return self.present.get(path, np.ones(self.size, dtype=bool))

    def row_data(self, position: int) -> dict[str, Any]:
        """One row as scenario data in the contract's JSON form (no events)."""
        data: dict[str, Any] = {}
        for column in (*COLUMNS, *self.added):
            if column.nullable and not self.present[column.path][position]:
                value: Any = None
            else:
                value = _external(column, self.values[column.path][position].item())
            node = data
            *parents, leaf = column.path.split(".")
            for name in parents:
                node = node.setdefault(name, {})
            node[leaf] = value
        return data

    def scenario(self, position: int, new_facts: Iterable[Any] = ()) -> Scenario:
        """One row as a scenario (no events); `new_facts` are the proposal's declarations of
        the added columns."""
        return Scenario.from_data(
            self.row_data(position), f"<row {self.rows[position]}>", new_facts
        )


def _external(column: Column, value: Any) -> Any:
    from decimal import Decimal

    if column.kind == "date":
        return dt.date.fromordinal(value).isoformat()
    if column.kind == "money":
        return str(Money(value))
    if column.kind == "hours":
        return Decimal(value) / 100
    if column.kind == "share":
        return Decimal(value) / 1_000_000
    if column.kind == "enum":
        return column.codes[value]
    if column.kind == "bool":
        return bool(value)
    return value


def _value(scenario: Scenario, path: str) -> Any:
    node: Any = scenario
    for name in path.split("."):
        node = getattr(node, name)
    return node


def from_scenarios(scenarios: Iterable[Scenario], new_facts: Iterable[Any] = ()) -> Population:
    """A population of the given scenarios' start facts (their events are ignored), with
    columns for a proposal's `new_facts` (their defaults where a scenario has none)."""
    items = list(scenarios)
    declared = tuple(new_facts)
    values: dict[str, Any] = {}
    present: dict[str, Any] = {}
    for column in COLUMNS:
        raw = [_value(s, column.path) for s in items]
        dtype = bool if column.kind == "bool" else np.int64
        values[column.path] = np.array(
            [_internal(column.kind, v, column.codes) for v in raw], dtype=dtype
        )
        if column.nullable:
            present[column.path] = np.array([v is not None for v in raw], dtype=bool)
    for new in declared:
        values[new.path] = np.array(
            [
                new.parse(s.new_facts[new.path]) if new.path in s.new_facts else new.default
                for s in items
            ],
            dtype=bool if new.type.kind == "bool" else np.int64,
        )
    return Population(
        values=values,
        present=present,
        rows=np.arange(1, len(items) + 1, dtype=np.int64),
        added=fact_columns_of(declared),
    )


def concatenate(parts: list[Population]) -> Population:
    """One population of several, in order."""
    return Population(
        values={k: np.concatenate([p.values[k] for p in parts]) for k in parts[0].values},
        present={k: np.concatenate([p.present[k] for p in parts]) for k in parts[0].present},
        rows=np.concatenate([p.rows for p in parts]),
        extras={k: np.concatenate([p.extras[k] for p in parts]) for k in parts[0].extras},
        added=parts[0].added,
    )
