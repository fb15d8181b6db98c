"""Event histories beside a population file: one row per event, CSV or Parquet.

Columns: `row` (the learner's 1-based row in the population file), `date`, `type`, and the
event's fields under their scenario names (`hours`, `recorded_hours`, `kit_day`, `item`,
`cost`, `authorised`, `kind`, `reason`, `to`, `levy_payer`, `levy_balance`,
`evidenced_hours`, `successful_outcome`, `provider_changed`, `planned_end_date`,
`planned_hours`, `by` as a `;`-joined list, a restart's new employer as `employer.<field>`).
An empty cell is the field's default; a learner's events are taken in file order.

Every cell is checked as the scenario parser checks an event (the same conversions as
population files, `aurules.population.files`), and each learner's history as a scenario's
events are checked: in date order, no leave started while another runs. A bad event is
reported as `FILE: row N, COLUMN: problem` (N counting the events file's data rows); with
`skip_bad` its learner is left out, with all its events.

Files whose events are grouped by learner row in increasing order (as `aurules population
--events` writes them) stream chunk by chunk beside the population; any other order is read
whole and sorted (stable: each learner's events keep their file order).
"""

from __future__ import annotations

import datetime as dt
import typing
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import attrs
import numpy as np

from aurules.model.errors import BadInput
from aurules.model.population.lifecycle import EventTable
from aurules.model.population.table import BY_PATH, Column, Population
from aurules.model.scenario import EVENT_TYPES, LeaveKind, Signatory, parse_event
from aurules.model.state import CLAIM_ITEMS, EVENT_FIELDS, EVENT_KINDS, ITEMS, LEAVE, event_facts
from aurules.population.files import (
    CHUNK,
    BadRow,
    Header,
    _column,
    _csv_batches,
    _csv_head,
    _parquet_batches,
    file_format,
    parquet_file,
    settle,
)

SIGNATORIES: tuple[str, ...] = typing.get_args(Signatory)
_TEXT = ("reason", "by")
"""Columns read as text: a free reason, and the `;`-joined signatories."""


def _event_columns() -> dict[str, Column]:
    """Every event field as a column (kinds from the scenario's event classes)."""
    hours = Column(path="", kind="hours", nullable=True, required=False, default=0)
    columns = {
        "row": Column(path="row", kind="count", nullable=False, required=True, default=0),
        "date": Column(path="date", kind="date", nullable=False, required=True, default=0),
        "type": Column(
            path="type",
            kind="enum",
            nullable=False,
            required=True,
            default=0,
            codes=EVENT_KINDS.names,
        ),
        "hours": attrs.evolve(hours, path="hours"),
        "recorded_hours": attrs.evolve(hours, path="recorded_hours"),
        "evidenced_hours": attrs.evolve(hours, path="evidenced_hours"),
        "planned_hours": attrs.evolve(hours, path="planned_hours"),
        "item": Column(
            path="item", kind="enum", nullable=True, required=False, default=0, codes=CLAIM_ITEMS
        ),
        "kind": Column(
            path="kind",
            kind="enum",
            nullable=True,
            required=False,
            default=0,
            codes=typing.get_args(LeaveKind),
        ),
    }
    for name in ("cost", "levy_balance"):
        columns[name] = Column(path=name, kind="money", nullable=True, required=False, default=0)
    for name in ("to", "planned_end_date"):
        columns[name] = Column(path=name, kind="date", nullable=True, required=False, default=0)
    for name in ("kit_day", "authorised", "levy_payer", "provider_changed"):
        columns[name] = Column(path=name, kind="bool", nullable=True, required=False, default=0)
    columns["successful_outcome"] = Column(
        path="successful_outcome", kind="bool", nullable=True, required=False, default=1
    )
    for path, column in BY_PATH.items():
        if path.startswith("employer."):
            columns[path] = attrs.evolve(column, nullable=True, required=False)
    return columns


COLUMNS = _event_columns()
"""Every column an events file may have, by name (`by` and `reason` are text besides)."""
KNOWN = (*COLUMNS, *_TEXT)


def _fields_of(kind: str) -> tuple[set[str], set[str]]:
    """The columns an event type has, and those it requires."""
    has: set[str] = set()
    needs: set[str] = set()
    for field in attrs.fields(EVENT_TYPES[kind]):
        if field.name in ("date", "type"):
            continue
        names = (
            [c for c in COLUMNS if c.startswith("employer.")]
            if field.name == "employer"
            else [field.name]
        )
        has.update(names)
        if field.default is attrs.NOTHING:
            needs.update(names)
    return has, needs


FIELDS_OF = {kind: _fields_of(kind) for kind in EVENT_KINDS.names}
"""For each event type: (its columns, its required columns)."""


@attrs.frozen(kw_only=True, eq=False)
class EventChunk:
    """Events read from a file, not yet joined to their learners: `learner_rows` are the
    population rows they name, `file_rows` their own rows."""

    learner_rows: Any
    file_rows: Any
    facts: dict[str, Any]

    @property
    def size(self) -> int:
        return len(self.file_rows)

    def take(self, index: Any) -> EventChunk:
        return EventChunk(
            learner_rows=self.learner_rows[index],
            file_rows=self.file_rows[index],
            facts={k: v[index] for k, v in self.facts.items()},
        )


def _join_chunks(parts: list[EventChunk]) -> EventChunk:
    if len(parts) == 1:
        return parts[0]
    names = {name for part in parts for name in part.facts}
    facts = {}
    for name in names:
        columns = [
            part.facts[name] if name in part.facts else _empty(name, part.size) for part in parts
        ]
        facts[name] = np.concatenate(columns)
    return EventChunk(
        learner_rows=np.concatenate([p.learner_rows for p in parts]),
        file_rows=np.concatenate([p.file_rows for p in parts]),
        facts=facts,
    )


_BOOL_FIELDS = {f.name for f in EVENT_FIELDS if f.metadata["kind"] == "bool"}


def _empty(name: str, size: int) -> Any:
    """A column of events that do not use the field (no restart object for `restart`)."""
    if name == "restart":
        return np.full(size, None, dtype=object)
    return np.zeros(size, dtype=_dtype(name))


def _dtype(name: str) -> Any:
    return bool if name in _BOOL_FIELDS else np.int64


def read_events_header(path: str | Path) -> Header:
    """The events file's columns (checked: known names, `row`, `date` and `type` present)."""
    source = str(path)
    kind = _format(path)
    if not Path(path).is_file():
        raise BadInput(source, "", "no such file")
    if kind == "parquet":
        meta = parquet_file(source)
        names = list(meta.schema_arrow.names)
        schema = meta.schema_arrow
        rows: int | None = meta.metadata.num_rows
        label = ""
    else:
        label, names = _csv_head(source)
        rows, schema = None, None
    seen: set[str] = set()
    for name in names:
        if name in seen:
            raise BadInput(source, name, "column appears twice")
        seen.add(name)
        if name not in KNOWN:
            import difflib

            close = difflib.get_close_matches(name, KNOWN, n=1)
            hint = (
                f" (did you mean {close[0]}?)"
                if close
                else " (`aurules population --columns` lists them)"
            )
            raise BadInput(source, name, f"unknown column{hint}")
    missing = [name for name in ("row", "date", "type") if name not in seen]
    if missing:
        raise BadInput(source, missing[0], "required column is missing")
    if schema is not None:  # known names first: an unknown column is named as such
        _check_types(source, schema)
    return Header(columns=tuple(names), rows=rows, label=label)


def _format(path: str | Path) -> str:
    try:
        return file_format(path)
    except BadInput:
        raise BadInput(str(path), "", "an events file must end in .csv or .parquet") from None


def _check_types(source: str, schema: Any) -> None:
    """Refuse Parquet columns whose type cannot hold their field (lists, structs, maps,
    binary data, durations; numbers where a date belongs)."""
    import pyarrow as pa

    kinds = pa.types
    text = (kinds.is_string, kinds.is_large_string, kinds.is_null, kinds.is_dictionary)
    for field in schema:
        column = COLUMNS.get(field.name)
        kind = column.kind if column is not None else "text"
        allowed = {
            "date": (*text, kinds.is_date, kinds.is_timestamp),
            "bool": (*text, kinds.is_boolean),
            "enum": text,
            "text": text,
        }.get(kind, (*text, kinds.is_integer, kinds.is_floating, kinds.is_decimal))
        if not any(check(field.type) for check in allowed):
            raise BadInput(
                source,
                field.name,
                f"a Parquet column of type {field.type} cannot be read as a {kind} field",
            )


def read_events(
    path: str | Path, *, chunk: int = CHUNK
) -> Iterator[tuple[EventChunk, list[BadRow], list[int]]]:
    """The file's events chunk by chunk, each with its bad rows (left out of the chunk) and
    the learner rows those name (where their `row` cell could be read)."""
    source = str(path)
    header = read_events_header(path)
    batches = (
        _parquet_batches(source, chunk)
        if _format(path) == "parquet"
        else _csv_batches(source, header, chunk)
    )
    first_row = 1
    for batch in batches:
        yield convert_events(batch, header.columns, first_row, source)
        first_row += batch.num_rows


def convert_events(
    batch: Any, names: tuple[str, ...], first_row: int, source: str
) -> tuple[EventChunk, list[BadRow], list[int]]:
    """One chunk of event cells as event facts, its bad rows (first problem of each), and
    the learner rows of the bad ones (where the `row` cell itself is good)."""
    size = batch.num_rows
    problems: dict[int, tuple[str, str]] = {}

    def problem(mask: Any, column: str, text: Any) -> None:
        for index in np.flatnonzero(mask):
            message = text(int(index)) if callable(text) else text
            problems.setdefault(int(index), (column, message))

    values: dict[str, Any] = {}
    given: dict[str, Any] = {}
    texts: dict[str, Any] = {}
    for name in names:
        if name in _TEXT:
            texts[name] = _text_cells(batch.column(name))
            given[name] = texts[name] != ""
            continue
        array, present, found = _column(COLUMNS[name], batch.column(name))
        values[name], given[name] = array, present
        for index, message in found.items():
            problems.setdefault(index, (name, message))
    types = values["type"]
    typed = np.array([i not in problems or problems[i][0] != "type" for i in range(size)])
    for name in names:
        if name in ("row", "date", "type"):
            continue
        allowed = np.isin(
            types, [EVENT_KINDS[k] for k, (has, _) in FIELDS_OF.items() if name in has]
        )
        stray = given[name] & ~allowed & typed
        if name in COLUMNS and COLUMNS[name].kind == "bool":  # a flag at its default (a
            stray &= values[name] != COLUMNS[name].default  # non-null Parquet column) is fine
        problem(
            stray,
            name,
            lambda i, name=name: (
                f"{name} is not a field of {_a(EVENT_KINDS.name(int(types[i])))} "
                f"event ({_owners(name)})"
            ),
        )
    for kind, (_, needs) in FIELDS_OF.items():
        of_kind = (types == EVENT_KINDS[kind]) & typed
        for name in sorted(needs):
            absent = of_kind & ~given[name] if name in given else of_kind
            problem(absent, name, f"required for {_a(kind)} event")
    row = values["row"]
    _check_cells(values, given, types, problem)
    signers = _signatories(texts.get("by"), size, problem)
    facts = _facts(values, given, signers, size)
    restart = np.flatnonzero((types == EVENT_KINDS["restarted"]) & typed)
    for index in map(int, restart):
        if index in problems:
            continue
        data = _restart_data(index, names, values, given)
        try:
            event = parse_event(data, source)
        except BadInput as exc:
            problems.setdefault(index, (exc.field or "type", exc.problem))
            continue
        # a restart's many fields (its new employer's arrangement) are kept as one object
        # per restart, not as dozens of columns that are zero for every other event
        facts.setdefault("restart", np.full(size, None, dtype=object))[index] = event_facts(event)
    bad = np.zeros(size, dtype=bool)
    bad[list(problems)] = True
    file_rows = np.arange(first_row, first_row + size, dtype=np.int64)
    bad_rows = [BadRow(int(file_rows[i]), *problems[i], file=source) for i in sorted(problems)]
    chunk = EventChunk(learner_rows=row, file_rows=file_rows, facts=facts)
    learners = [
        int(row[i]) for i in sorted(problems) if problems[i][0] != "row" and given["row"][i]
    ]
    return (chunk.take(~bad) if bad.any() else chunk), bad_rows, learners


def _check_cells(values: dict[str, Any], given: dict[str, Any], types: Any, problem: Any) -> None:
    """Checks across one row's cells, as `Scenario` checks an event: a learner row from 1,
    delivered hours more than 0 and recordings within them, a cost or an authorisation only
    with a learning support claim."""
    size = len(types)
    row = values["row"]
    problem(given["row"] & (row < 1), "row", "rows are numbered from 1 (the first learner)")
    is_delivered = types == EVENT_KINDS["delivered"]
    hours = values.get("hours", np.zeros(size, np.int64))
    recorded = values.get("recorded_hours", np.zeros(size, np.int64))
    problem(
        is_delivered & given.get("hours", False) & (hours <= 0),
        "hours",
        "hours must be more than 0",
    )
    problem(
        is_delivered & (recorded > hours) & (hours > 0),
        "recorded_hours",
        "recorded hours are more than the hours delivered (recordings are part of them)",
    )
    items = values.get("item", np.zeros(size, np.int64))
    not_support = (types == EVENT_KINDS["claim"]) & (items != CLAIM_ITEMS.index("learning_support"))
    for name, why in (
        ("cost", "a cost is given only with a learning_support claim"),
        ("authorised", "only a learning_support claim is authorised (35.3)"),
    ):
        if name in given:
            flag = given[name] if name == "cost" else values[name]
            problem(not_support & flag, name, why)


def _a(kind: str) -> str:
    """The event type with its article: "a claim", "an audit"."""
    return f"{'an' if kind[0] in 'aeiou' else 'a'} {kind}"


def _owners(name: str) -> str:
    kinds = [k for k, (has, _) in FIELDS_OF.items() if name in has]
    return f"it belongs to {' and '.join(kinds)} events" if kinds else "no event has it"


def _text_cells(cells: Any) -> Any:
    import pyarrow as pa
    import pyarrow.compute as pc

    if isinstance(cells, pa.ChunkedArray):
        cells = cells.combine_chunks()
    if not pa.types.is_string(cells.type) and not pa.types.is_large_string(cells.type):
        cells = pc.cast(cells, pa.string())
    return np.asarray(
        pc.utf8_trim_whitespace(cells).fill_null("").to_numpy(zero_copy_only=False), dtype=object
    )


def _signatories(cells: Any, size: int, problem: Any) -> dict[str, Any]:
    """`by` as three flags (an empty cell: all three sign, the contract's default)."""
    flags = {name: np.ones(size, dtype=bool) for name in SIGNATORIES}
    if cells is None:
        return flags
    for index in np.flatnonzero(cells != ""):
        names = [part.strip() for part in str(cells[index]).split(";")]
        wrong = [n for n in names if n not in SIGNATORIES]
        if wrong:
            choices = ", ".join(SIGNATORIES)
            problem(
                np.arange(size) == index,
                "by",
                f"expected names from {choices} joined by ';', got {wrong[0]!r}",
            )
            continue
        for name in SIGNATORIES:
            flags[name][index] = name in names
    return flags


def _facts(
    values: dict[str, Any], given: dict[str, Any], by: dict[str, Any], size: int
) -> dict[str, Any]:
    """The event facts (`aurules.model.state.EventFacts` fields) of every row at once, as
    `event_facts` makes them for one event; a restart's are filled in row by row after."""
    types = values["type"]

    def of(kind: str) -> Any:
        return types == EVENT_KINDS[kind]

    def value(name: str) -> Any:
        return values.get(
            name,
            np.full(
                size,
                COLUMNS[name].default,
                dtype=np.int64 if COLUMNS[name].kind != "bool" else bool,
            ),
        )

    claim, delivered = of("claim"), of("delivered")
    signed = of("plan_signed_off")
    return {
        "kind": types,
        "day": values["date"],
        "hours": np.where(delivered, value("hours"), 0),
        "recorded": np.where(delivered, value("recorded_hours"), 0),
        "kit_day": delivered & value("kit_day"),
        "item": np.where(claim, value("item") + 1, 0),
        "has_cost": claim & given.get("cost", np.zeros(size, bool)),
        "cost": np.where(claim, value("cost"), 0),
        "authorised": claim & value("authorised"),
        "by_provider": signed & by["provider"],
        "by_learner": signed & by["learner"],
        "by_employer": signed & by["employer"],
        "to_day": np.where(of("extended"), value("to"), 0),
        "leave_kind": np.where(of("leave_started"), value("kind") + 1, 0),
        "levy_payer": of("levy_status_changed") & value("levy_payer"),
        "levy_balance": np.where(of("levy_balance_changed"), value("levy_balance"), 0),
        "evidenced": np.where(of("audit"), value("evidenced_hours"), 0),
        "successful": of("audit") & value("successful_outcome"),
    }


def _restart_data(
    index: int, names: tuple[str, ...], values: dict[str, Any], given: dict[str, Any]
) -> dict[str, Any]:
    """A restart row as scenario event data (the parser then checks it as in JSON)."""
    from aurules.model.population.table import _external

    data: dict[str, Any] = {
        "type": "restarted",
        "date": dt.date.fromordinal(int(values["date"][index])).isoformat(),
    }
    for name in names:
        if name in ("row", "date", "type") or name in _TEXT or not given[name][index]:
            continue
        value = _external(COLUMNS[name], values[name][index].item())
        if name.startswith("employer."):
            node = data.setdefault("employer", {})
            *parents, leaf = name.removeprefix("employer.").split(".")
            for part in parents:
                node = node.setdefault(part, {})
            node[leaf] = value
        else:
            data[name] = value
    return data


assert ITEMS.names[1:] == CLAIM_ITEMS and LEAVE.names[1:] == typing.get_args(LeaveKind)


class _Stream:
    """The events file's chunks in learner-row order: streamed while the file is in that
    order, read whole and sorted (stably) from the first row that is not."""

    def __init__(self, path: str, skip_bad: bool, bad_rows: list[BadRow] | None) -> None:
        self.source = path
        self.chunks = read_events(path)
        self.skip_bad, self.bad_rows = skip_bad, bad_rows
        self.buffer: list[EventChunk] = []
        self.highest = 0
        self.done = False
        self.bad_learners: set[int] = set()
        """Learner rows with a bad event (left out with `skip_bad`)."""
        if not in_row_order(path):  # decided before any learner is handed out
            self._sort_whole(None)

    def _pull(self) -> bool:
        """Read one more chunk into the buffer; False at the end of the file."""
        chunk_and_bad = next(self.chunks, None)
        if chunk_and_bad is None:
            self.done = True
            return False
        chunk, bad, learners = chunk_and_bad
        settle(bad, self.source, self.skip_bad, self.bad_rows)
        self.bad_learners.update(learners)
        if chunk.size:
            rows = chunk.learner_rows
            if rows[0] < self.highest or (rows[1:] < rows[:-1]).any():
                self._sort_whole(chunk)
                return False
            self.highest = int(rows[-1])
            self.buffer.append(chunk)
        return True

    def _sort_whole(self, chunk: EventChunk | None) -> None:
        """The rest of the file read at once and every event sorted by learner row."""
        parts = [*self.buffer, *([chunk] if chunk is not None else [])]
        while True:
            item = next(self.chunks, None)
            if item is None:
                break
            more, bad, learners = item
            settle(bad, self.source, self.skip_bad, self.bad_rows)
            self.bad_learners.update(learners)
            parts.append(more)
        if not parts:
            self.buffer, self.done = [], True
            return
        whole = _join_chunks(parts)
        order = np.argsort(whole.learner_rows, kind="stable")
        self.buffer = [whole.take(order)]
        self.highest = int(whole.learner_rows[order[-1]]) if whole.size else 0
        self.done = True

    def upto(self, last: int) -> EventChunk | None:
        """Every event of learner rows up to `last` not yet taken."""
        while not self.done and self.highest <= last:
            self._pull()
        if not self.buffer:
            return None
        whole = _join_chunks(self.buffer)
        cut = int(np.searchsorted(whole.learner_rows, last, side="right"))
        self.buffer = [whole.take(slice(cut, None))] if cut < whole.size else []
        return whole.take(slice(0, cut)) if cut else None


def in_row_order(path: str) -> bool:
    """Whether the file's `row` cells (those that are whole numbers) never decrease: read
    from the `row` column alone, before the events are."""
    import pyarrow as pa
    import pyarrow.compute as pc

    source = str(path)
    try:
        if _format(path) == "parquet":
            import pyarrow.parquet as pq

            cells = pq.read_table(source, columns=["row"]).column("row")
        else:
            import pyarrow.csv as pacsv

            header = read_events_header(path)
            read = pacsv.ReadOptions(
                skip_rows=2 if header.label else 1, column_names=list(header.columns)
            )
            convert = pacsv.ConvertOptions(
                include_columns=["row"], column_types={"row": pa.string()}
            )
            cells = pacsv.read_csv(source, read_options=read, convert_options=convert).column("row")
    except (pa.ArrowInvalid, OSError):
        return False  # the stream reports what is wrong with the file
    cells = pc.cast(cells, pa.string()).combine_chunks()
    whole = pc.match_substring_regex(pc.utf8_trim_whitespace(cells), "^[0-9]{1,15}$")
    numbers = np.asarray(
        pc.cast(pc.utf8_trim_whitespace(pc.filter(cells, whole.fill_null(False))), pa.int64())
    )
    return bool(numbers.size < 2 or (numbers[1:] >= numbers[:-1]).all())


def with_events(
    parts: Iterator[Population],
    path: str,
    *,
    population: str,
    skip_bad: bool = False,
    bad_rows: list[BadRow] | None = None,
) -> Iterator[tuple[Population, EventTable]]:
    """Each chunk of learners with its events. A learner with a bad event (or a history out of
    date order, or a leave started during another) is bad input, or with `skip_bad` left out
    and listed; an event naming no learner of the population is bad input."""
    stream = _Stream(path, skip_bad, bad_rows)
    skipped: set[int] = set()  # population rows left out as bad (their events go with them)
    last = 0
    for pop in parts:
        if bad_rows is not None:
            skipped.update(b.row for b in bad_rows if b.file is None)
        if not pop.size:
            continue
        last = int(pop.rows[-1])
        events = stream.upto(last)
        table, drop = _attach(pop, events, stream, skipped, population)
        if drop.any():
            yield pop.take(~drop), table.of_learners(~drop)
        else:
            yield pop, table
    if bad_rows is not None:
        skipped.update(b.row for b in bad_rows if b.file is None)
    rest = stream.upto(np.iinfo(np.int64).max)
    if rest is not None:
        unknown = [i for i in range(rest.size) if int(rest.learner_rows[i]) not in skipped]
        _no_learner(stream, rest, unknown, f"{population} (its last row read is {last})")


def _attach(
    pop: Population,
    events: EventChunk | None,
    stream: _Stream,
    skipped: set[int],
    population: str,
) -> tuple[EventTable, Any]:
    """The chunk's events as an event table over its learners, and the learners to leave
    out (a bad event, with `skip_bad`)."""
    drop = (
        np.isin(
            pop.rows,
            np.fromiter(stream.bad_learners, dtype=np.int64, count=len(stream.bad_learners)),
        )
        if stream.bad_learners
        else np.zeros(pop.size, dtype=bool)
    )
    if events is None or not events.size:
        return _empty_table(), drop
    position = np.searchsorted(pop.rows, events.learner_rows)
    position = np.minimum(position, pop.size - 1)
    found = pop.rows[position] == events.learner_rows
    if not found.all():
        missing = np.flatnonzero(~found)
        unknown = [int(i) for i in missing if int(events.learner_rows[i]) not in skipped]
        _no_learner(stream, events, unknown, population)
        events = events.take(found)
        position = position[found]
    problems = _history_problems(position, events)
    if problems:
        bad = [
            BadRow(int(events.file_rows[i]), column, text, file=stream.source)
            for i, column, text in problems
        ]
        settle(bad, stream.source, stream.skip_bad, stream.bad_rows)
        drop = drop.copy()
        drop[[position[i] for i, _, _ in problems]] = True
    table = EventTable(learner=position.astype(np.int64), facts=events.facts, rows=events.file_rows)
    return table, drop


def _no_learner(stream: _Stream, events: EventChunk, unknown: list[int], population: str) -> None:
    """Events naming no learner of the population: bad rows (left out with `skip_bad`)."""
    bad = [
        BadRow(
            int(events.file_rows[i]),
            "row",
            f"no learner in row {int(events.learner_rows[i])} of {population}",
            file=stream.source,
        )
        for i in unknown
    ]
    settle(bad, stream.source, stream.skip_bad, stream.bad_rows)


def _empty_table() -> EventTable:
    return EventTable(
        learner=np.zeros(0, dtype=np.int64),
        facts={"kind": np.zeros(0, dtype=np.int64), "day": np.zeros(0, dtype=np.int64)},
        rows=np.zeros(0, dtype=np.int64),
    )


def _history_problems(learner: Any, events: EventChunk) -> list[tuple[int, str, str]]:
    """Each learner's history checked as a scenario's events are: in date order, and no
    leave started while another is running. (event index, column, problem), first per
    learner."""
    out: list[tuple[int, str, str]] = []
    day = events.facts["day"]
    same = learner[1:] == learner[:-1]  # events are grouped by learner, in file order
    early = np.flatnonzero(same & (day[1:] < day[:-1])) + 1
    for i in early:
        out.append(
            (
                int(i),
                "date",
                f"{dt.date.fromordinal(int(day[i]))} is before the previous event's date "
                f"{dt.date.fromordinal(int(day[i - 1]))} "
                "(a learner's events must be in date order)",
            )
        )
    kinds = events.facts["kind"]
    leave = np.flatnonzero(
        (kinds == EVENT_KINDS["leave_started"]) | (kinds == EVENT_KINDS["leave_ended"])
    )
    started = kinds[leave] == EVENT_KINDS["leave_started"]
    twice = (
        np.flatnonzero(started[1:] & started[:-1] & (learner[leave[1:]] == learner[leave[:-1]])) + 1
    )
    for j in twice:
        out.append(
            (
                int(leave[j]),
                "type",
                f"leave_started while the leave started on "
                f"{dt.date.fromordinal(int(day[leave[j - 1]]))} is still running "
                "(end it with a leave_ended event first)",
            )
        )
    return sorted(out)
