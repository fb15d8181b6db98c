"""Population files: CSV and Parquet, one row per learner, columns named by scenario paths.

Reading is vectorised (pyarrow) and streams in chunks, so a file of millions of rows never
sits in memory whole. Every cell is checked the way the scenario parser checks JSON: a cell
the fast path does not recognise is handed to the very parser `evaluate` uses, so the two
accept the same values and give the same reasons. An empty cell takes the contract's default
(null for the nullable fields); a required field's cell must not be empty.

A bad cell is reported as `FILE: row N, COLUMN: problem` (N counts data rows from 1, the
header and a `#` label line not counted). Without `skip_bad` the first bad row is a
`BadInput`; with it, bad rows are left out and listed.
"""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
from collections.abc import Callable, Iterable, Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import attrs
import numpy as np

from aurules.model.calendar import day_number, parse_iso_date
from aurules.model.calendar_numpy import EPOCH
from aurules.model.coverage import uncovered_start
from aurules.model.errors import BadInput, FieldError
from aurules.model.money import NUMERAL, Money, parse_hours, parse_share
from aurules.model.population.table import BY_PATH, COLUMNS, REQUIRED, SECTIONS, Column, Population
from aurules.model.ruleset import Ruleset
from aurules.model.scenario import parse_count
from aurules.model.structure import LARGEST_DIGITS

CHUNK = 65_536
"""Rows per chunk: large enough for NumPy to run at full speed, small enough for the cache."""

LABEL_KEY = b"aurules.label"
"""Parquet metadata key (and, for CSV, a first line starting `#`) holding a file's label."""

FORMATS = ("csv", "parquet")


@attrs.frozen
class BadRow:
    """One refused row: its number, the first faulty column and the problem."""

    row: int
    column: str
    problem: str
    file: str | None = None
    """The file the row is in, when not the population file (an events file)."""

    def line(self, source: str) -> str:
        return f"{self.file or source}: row {self.row}, {self.column}: {self.problem}"


def settle(bad: list[BadRow], source: str, skip_bad: bool, bad_rows: list[BadRow] | None) -> None:
    """Bad rows found in a chunk: the first raises `BadInput`, or with `skip_bad` all are
    kept in `bad_rows` (the chunk is used without them)."""
    if bad and not skip_bad:
        raise BadInput(source, f"row {bad[0].row}, {bad[0].column}", bad[0].problem)
    if bad_rows is not None:
        bad_rows.extend(bad)


def covered_rows(
    parts: Iterable[Population],
    source: str,
    rulesets: tuple[Ruleset, ...],
    *,
    skip_bad: bool = False,
    bad_rows: list[BadRow] | None = None,
) -> Iterator[Population]:
    """The rows whose start every ruleset covers: a start after one's last day is a bad row
    (`plan.start_date`), as `evaluate` refuses it; with editions, a start in none of their
    periods."""
    from aurules.model.editions import Editions, uncovered

    single = [r for r in rulesets if not isinstance(r, Editions)]
    several = [r for r in rulesets if isinstance(r, Editions)]
    last = min((day_number(r.valid_to) for r in single), default=None)
    for part in parts:
        start = np.asarray(part.values["plan.start_date"])
        late = start > last if last is not None else np.zeros(part.size, dtype=bool)
        for editions in several:
            late = late | ~editions.covers(start)
        if not late.any():
            yield part
            continue
        bad = [
            BadRow(
                int(part.rows[i]),
                "plan.start_date",
                _uncovered(dt.date.fromordinal(int(start[i])), single, several, uncovered),
            )
            for i in np.flatnonzero(late)
        ]
        settle(bad, source, skip_bad, bad_rows)
        yield part.take(~late)


def rows_for(
    base: Any,
    proposal: Any,
    path: str,
    *,
    skip_bad: bool = False,
    bad_rows: list[BadRow] | None = None,
) -> tuple[Header, tuple[Column, ...], Iterator[Population]]:
    """A population file read for comparing two rulesets: its header, the columns of their
    new facts, and its rows chunk by chunk, those whose start neither covers left out as bad
    rows (read lazily, as the chunks are taken)."""
    from aurules.model.population.table import fact_columns

    added = fact_columns(base, proposal)
    header = read_header(path, added)
    parts = read_population(path, skip_bad=skip_bad, bad_rows=bad_rows, added=added)
    covered = covered_rows(parts, path, (base, proposal), skip_bad=skip_bad, bad_rows=bad_rows)
    return header, added, covered


def _uncovered(day: dt.date, single: list[Any], several: list[Any], why: Any) -> str:
    """Why no ruleset in use covers a start on `day`."""
    problem = uncovered_start(day, *single) if single else None
    if problem is not None:
        return problem
    editions = next(e for e in several if e.covering(day) is None)
    return str(why(day, editions))


@attrs.frozen(kw_only=True)
class Header:
    """What a file says before its rows: its columns, size (if known) and label."""

    columns: tuple[str, ...]
    rows: int | None
    label: str


def file_format(path: str | Path) -> str:
    """`csv` or `parquet`, by the file's extension."""
    suffix = Path(path).suffix.lower()
    if suffix == ".csv":
        return "csv"
    if suffix in (".parquet", ".pq"):
        return "parquet"
    raise BadInput(str(path), "", "a population file must end in .csv or .parquet")


# --- reading ------------------------------------------------------------------------------


SCENARIO_PREFIXES = (*(name + "." for name, _ in SECTIONS), "events")
"""A column starting with one of these must be a scenario field; any other column (an id,
a region, a cohort) is an extra: not read by the rules, carried into `impact --rows` and
usable with `impact --by`."""


def is_extra(name: str) -> bool:
    return not name.startswith(SCENARIO_PREFIXES)


def _check_columns(
    source: str, names: list[str], added: tuple[Column, ...] = ()
) -> tuple[str, ...]:
    seen: set[str] = set()
    known = {*BY_PATH, *(c.path for c in added)}
    for name in names:
        if name in seen:
            raise BadInput(source, name, "column appears twice")
        seen.add(name)
        if not name:
            raise BadInput(source, "", "a column has no name")
        if name not in known and not is_extra(name):
            import difflib

            close = difflib.get_close_matches(name, sorted(known), n=1)
            hint = (
                f" (did you mean {close[0]}?)"
                if close
                else " (`aurules population --columns` lists them)"
            )
            raise BadInput(source, name, f"unknown column{hint}")
    missing = [p for p in REQUIRED if p not in seen]
    if missing:
        raise BadInput(
            source,
            missing[0],
            "required column is missing"
            + (f" (also {', '.join(missing[1:])})" if len(missing) > 1 else ""),
        )
    return tuple(names)


def _check_types(source: str, schema: Any, added: tuple[Column, ...]) -> None:
    """Refuse a Parquet column whose type cannot hold its field: a list, struct or map, a
    duration, binary data, or a number where a date belongs."""
    import pyarrow as pa

    kinds = pa.types
    text = (kinds.is_string, kinds.is_large_string, kinds.is_null)
    numbers = (*text, kinds.is_integer, kinds.is_floating, kinds.is_decimal)
    allowed = {
        "date": (*text, kinds.is_date, kinds.is_timestamp),
        "bool": (*text, kinds.is_boolean),
        "enum": (*text, kinds.is_dictionary),
    }
    columns = {**BY_PATH, **{c.path: c for c in added}}
    for field in schema:
        column = columns.get(field.name)
        checks = (
            allowed.get(column.kind, numbers)
            if column is not None
            else (*numbers, *allowed["date"], kinds.is_boolean, kinds.is_dictionary)
        )
        if not any(check(field.type) for check in checks):
            what = f"a {column.kind} field" if column is not None else "text"
            raise BadInput(
                source,
                field.name,
                f"a Parquet column of type {field.type} cannot be read as {what}",
            )


def parquet_file(source: str) -> Any:
    """A Parquet file opened for its schema and batches, or BadInput."""
    import pyarrow.parquet as pq

    try:
        return pq.ParquetFile(source)
    except Exception as exc:  # pyarrow raises several types for a file that is not Parquet
        raise BadInput(source, "", f"not a Parquet file ({exc})") from None


def read_header(path: str | Path, added: tuple[Column, ...] = ()) -> Header:
    """The file's columns (checked), row count where the format knows it, and label."""
    source = str(path)
    kind = file_format(path)
    if not Path(path).is_file():
        raise BadInput(source, "", "no such file")
    if kind == "parquet":
        meta = parquet_file(source)
        schema = meta.schema_arrow
        _check_types(source, schema, added)
        label = (schema.metadata or {}).get(LABEL_KEY, b"").decode("utf-8", "replace")
        return Header(
            columns=_check_columns(source, list(schema.names), added),
            rows=meta.metadata.num_rows,
            label=label,
        )
    label, names = _csv_head(source)
    return Header(columns=_check_columns(source, names, added), rows=None, label=label)


def _csv_head(source: str) -> tuple[str, list[str]]:
    try:
        with open(source, encoding="utf-8-sig", newline="") as handle:
            first = handle.readline()
            label = ""
            if first.startswith("#"):
                label, first = first[1:].strip(), handle.readline()
    except UnicodeDecodeError:
        raise BadInput(source, "", "not UTF-8 text") from None
    except OSError as exc:
        raise BadInput(source, "", f"cannot be read ({exc})") from None
    if not first.strip():
        raise BadInput(source, "", "no header row (the first line names the columns)")
    names = next(csv.reader([first]))
    return label, [n.strip() for n in names]


def read_population(
    path: str | Path,
    *,
    skip_bad: bool = False,
    chunk: int = CHUNK,
    bad_rows: list[BadRow] | None = None,
    added: tuple[Column, ...] = (),
) -> Iterator[Population]:
    """The file's rows, chunk by chunk. A bad row raises `BadInput`, or with `skip_bad` is
    left out and appended to `bad_rows`. `added` are a proposal's new fact columns
    (`aurules.model.population.table.fact_columns`)."""
    source = str(path)
    header = read_header(path, added)
    batches = (
        _parquet_batches(source, chunk)
        if file_format(path) == "parquet"
        else _csv_batches(source, header, chunk)
    )
    first_row = 1
    for batch in batches:
        pop, bad = convert(batch, header.columns, first_row, added)
        first_row += batch.num_rows
        settle(bad, source, skip_bad, bad_rows)
        if pop.size:
            yield pop


def read_all(
    path: str | Path,
    *,
    skip_bad: bool = False,
    bad_rows: list[BadRow] | None = None,
    added: tuple[Column, ...] = (),
) -> Population:
    """The whole file as one population (for small files and tests)."""
    from aurules.model.population.table import concatenate, from_scenarios

    parts = list(read_population(path, skip_bad=skip_bad, bad_rows=bad_rows, added=added))
    return concatenate(parts) if parts else from_scenarios([])


def _parquet_batches(source: str, chunk: int) -> Iterator[Any]:
    import pyarrow as pa
    import pyarrow.parquet as pq

    try:
        yield from pq.ParquetFile(source).iter_batches(batch_size=chunk)
    except (pa.ArrowInvalid, OSError) as exc:
        raise BadInput(source, "", f"cannot be read as Parquet ({exc})") from None


def _csv_batches(source: str, header: Header, chunk: int) -> Iterator[Any]:
    import pyarrow as pa
    import pyarrow.csv as pacsv

    read = pacsv.ReadOptions(  # the header's names as checked (stripped of spaces)
        skip_rows=2 if header.label else 1,
        column_names=list(header.columns),
        block_size=chunk * 256,
        use_threads=True,
    )
    convert = pacsv.ConvertOptions(
        column_types=dict.fromkeys(header.columns, pa.string()),
        strings_can_be_null=True,
        null_values=[""],
    )
    try:
        reader = pacsv.open_csv(source, read_options=read, convert_options=convert)
        for batch in reader:
            for start in range(0, batch.num_rows, chunk):
                yield batch.slice(start, chunk)
    except pa.ArrowInvalid as exc:
        row = _ragged_row(source, header)
        if row is not None:
            raise BadInput(
                source,
                f"row {row[0]}",
                f"{row[1]} cells (the header has {len(header.columns)}): wrong number of cells",
            ) from None
        detail = str(exc).splitlines()[0]
        raise BadInput(source, "", f"not a readable CSV file ({detail})") from None


def _ragged_row(source: str, header: Header) -> tuple[int, int] | None:
    """The first data row whose number of cells differs from the header's (found by
    reading the file again, on the error path only)."""
    with open(source, encoding="utf-8-sig", newline="") as handle:
        if header.label:
            handle.readline()
        rows = csv.reader(handle)
        next(rows, None)
        for number, cells in enumerate(rows, start=1):
            if cells and len(cells) != len(header.columns):
                return number, len(cells)
    return None


# --- converting one chunk -----------------------------------------------------------------

_NUMERIC = {
    "money": r"^[0-9]{1,12}(\.[0-9]{1,2})?$",
    "hours": r"^[0-9]{1,12}(\.[0-9]{1,2})?$",
    "share": r"^(0(\.[0-9]{1,6})?|1(\.0{1,6})?|\.[0-9]{1,6})$",
    "count": r"^[0-9]{1,12}$",
}
_SCALE = {"money": 100, "hours": 100, "share": 1_000_000, "count": 1}


def convert(
    batch: Any, names: tuple[str, ...], first_row: int, added: tuple[Column, ...] = ()
) -> tuple[Population, list[BadRow]]:
    """One chunk of cells as a population, and its bad rows (each with its first bad
    column, in file order). Columns the file lacks take their defaults."""
    size = batch.num_rows
    values: dict[str, Any] = {}
    present: dict[str, Any] = {}
    bad = np.zeros(size, dtype=bool)
    first_problem: dict[int, tuple[str, str]] = {}
    for column in (*COLUMNS, *added):
        if column.path in names:
            array, given, problems = _column(column, batch.column(column.path))
        else:
            array, given, problems = _default(column, size), np.zeros(size, bool), {}
        values[column.path] = array
        if column.nullable:
            present[column.path] = given
        for index, problem in problems.items():
            bad[index] = True
            first_problem.setdefault(index, (column.path, problem))
    rows = np.arange(first_row, first_row + size, dtype=np.int64)
    bad_rows = [BadRow(int(rows[i]), *first_problem[i]) for i in sorted(first_problem)]
    extras = {name: _extra(batch.column(name)) for name in names if is_extra(name)}
    pop = Population(values=values, present=present, rows=rows, extras=extras, added=added)
    return (pop.take(~bad) if bad.any() else pop), bad_rows


def _extra(cells: Any) -> Any:
    """An extra column as text (empty for a missing cell)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    if not pa.types.is_string(cells.type) and not pa.types.is_large_string(cells.type):
        cells = pc.cast(cells, pa.string())
    return np.asarray(cells.fill_null("").to_numpy(zero_copy_only=False), dtype=object)


def _default(column: Column, size: int) -> Any:
    dtype = bool if column.kind == "bool" else np.int64
    return np.full(size, column.default, dtype=dtype)


def _column(column: Column, cells: Any) -> tuple[Any, Any, dict[int, str]]:
    """A column's values, where it was given, and its problems by row position. The whole
    chunk is converted at once where it can be; cells that resist go through `_slow`."""
    import pyarrow as pa
    import pyarrow.compute as pc

    if isinstance(cells, pa.ChunkedArray):
        cells = cells.combine_chunks()
    typed = _typed(column, cells)
    if typed is None:
        if not pa.types.is_string(cells.type) and not pa.types.is_large_string(cells.type):
            cells = pc.cast(cells, pa.string())
        cells = pc.if_else(pc.equal(cells, ""), pa.scalar(None, cells.type), cells)
        given = np.asarray(cells.is_valid(), dtype=bool)
        values, ok = _text(column, cells, given)
    else:
        values, given, ok = typed
    problems: dict[int, str] = {}
    if column.required:
        problems.update((int(i), "required value is missing") for i in np.flatnonzero(~given))
    slow = np.flatnonzero(given & ~ok)
    if slow.size and not values.flags.writeable:  # a view of Arrow's memory: copy to fill in
        values = values.copy()
    for index in slow:  # the scenario parser decides
        try:
            text = str(cells[int(index)].as_py()).strip()
        except (OverflowError, ValueError):  # a native date Python's calendar cannot hold
            problems[int(index)] = _far_date()
            continue
        value, problem = _slow(column, text)
        if problem:
            problems[int(index)] = problem
        else:
            values[index] = value
    dtype = bool if column.kind == "bool" else np.int64
    return np.where(given, values, column.default).astype(dtype), given, problems


def _typed(column: Column, cells: Any) -> tuple[Any, Any, Any] | None:
    """Values of a natively typed (Parquet) column whose type fits the field: dates, booleans,
    whole numbers (pounds for money) and floats; None for text and other types."""
    import pyarrow as pa
    import pyarrow.compute as pc

    kind, kinds = column.kind, pa.types
    given = np.asarray(cells.is_valid(), dtype=bool)
    if kind == "date" and (kinds.is_date(cells.type) or kinds.is_timestamp(cells.type)):
        dates = pc.cast(cells, pa.date32())
        ok = np.ones(len(cells), bool)
        if kinds.is_timestamp(cells.type):  # only midnight is a date; other times are refused
            ok = np.asarray(pc.equal(pc.cast(dates, cells.type), cells).fill_null(True))
        days = np.asarray(pc.cast(dates, pa.int32()).fill_null(0)).astype(np.int64) + EPOCH
        return days, given, ok & _handled(days)
    if kind == "bool" and kinds.is_boolean(cells.type):
        return np.asarray(cells.fill_null(False)), given, np.ones(len(cells), bool)
    if kind in _SCALE and (kinds.is_integer(cells.type) or kinds.is_floating(cells.type)):
        # unchecked: a whole number too large for a float still compares as too large below
        numbers = np.asarray(pc.cast(cells, pa.float64(), safe=False).fill_null(0))
        scaled = numbers * _SCALE[kind]
        whole = np.rint(scaled)
        ok = (np.abs(scaled - whole) < 1e-6) & (numbers >= 0) & (numbers < 10**LARGEST_DIGITS)
        if kind == "share":
            ok &= numbers <= 1
        return np.where(ok, whole, 0).astype(np.int64), given, ok
    return None


def _far_date() -> str:
    from aurules.model.calendar import FIRST_HANDLED, LAST_HANDLED

    return f"a date outside the dates the model handles ({FIRST_HANDLED} to {LAST_HANDLED})"


def _handled(days: Any) -> Any:
    """Which day numbers are within the dates the model handles (the others go cell by cell
    to the parser, which says why it refuses them)."""
    from aurules.model.calendar import FIRST_HANDLED, LAST_HANDLED

    return (days >= FIRST_HANDLED.toordinal()) & (days <= LAST_HANDLED.toordinal())


def _text(column: Column, cells: Any, given: Any) -> tuple[Any, Any]:
    """Values of text cells and which of them the vectorised path accepted."""
    import pyarrow as pa
    import pyarrow.compute as pc

    size = len(cells)
    if column.kind == "enum":
        codes = np.asarray(pc.index_in(cells, pa.array(column.codes)).fill_null(-1))
        return codes, codes >= 0
    if column.kind in ("date", "bool"):
        target = pa.date32() if column.kind == "date" else pa.bool_()
        try:
            converted = pc.cast(cells, target)
        except pa.ArrowInvalid:  # some cell is not a date (or boolean): cell by cell
            return np.zeros(size, np.int64), np.zeros(size, bool)
        if column.kind == "bool":
            return np.asarray(converted.fill_null(False)), np.ones(size, bool)
        days = np.asarray(pc.cast(converted, pa.int32()).fill_null(0)).astype(np.int64) + EPOCH
        return days, _handled(days)
    ok = np.asarray(pc.match_substring_regex(cells, _NUMERIC[column.kind]).fill_null(False))
    safe = pc.if_else(pa.array(ok), cells, "0")
    if column.kind == "count":
        return np.asarray(pc.cast(safe, pa.int64())).copy(), ok
    floats = np.asarray(pc.cast(safe, pa.float64()))
    return np.rint(floats * _SCALE[column.kind]).astype(np.int64), ok


def _slow(column: Column, text: str) -> tuple[int, str]:
    """A cell the fast path did not take, through the scenario parser's own checks."""
    if column.kind == "bool":
        lower = text.lower()
        if lower in ("true", "1", "false", "0"):
            return lower in ("true", "1"), ""
        return 0, f"expected true or false, got {text!r}"
    if column.kind == "enum":
        if text in column.codes:
            return column.codes.index(text), ""
        choices = ", ".join(repr(c) for c in column.codes)
        return 0, f"expected one of {choices}, got {text!r}"
    parsers: dict[str, Callable[[str], int]] = {
        "date": lambda t: parse_iso_date(t).toordinal(),
        "money": lambda t: Money.parse(t).pence,
        "hours": lambda t: parse_hours(_number(t, "a number of hours")),
        "share": lambda t: parse_share(_number(t, "a share between 0 and 1")),
        "count": lambda t: parse_count(_number(t, "a whole number")),
    }
    try:
        return parsers[column.kind](text), ""
    except (FieldError, ValueError) as exc:
        return 0, str(exc)


def _number(text: str, what: str) -> Decimal:
    if not NUMERAL.fullmatch(text):
        raise FieldError(f"expected {what}, got {text!r}")
    return Decimal(text)


# --- writing ------------------------------------------------------------------------------


def decimal_text(values: Any, places: int, *, trim: bool) -> Any:
    import pyarrow as pa
    import pyarrow.compute as pc

    scale = 10**places
    whole = pc.cast(pa.array(values // scale), pa.string())
    part = pc.utf8_lpad(pc.cast(pa.array(values % scale), pa.string()), places, "0")
    text = pc.binary_join_element_wise(whole, part, ".")
    return pc.utf8_rtrim(pc.utf8_rtrim(text, "0"), ".") if trim else text


def _arrow_column(column: Column, pop: Population) -> Any:
    import pyarrow as pa

    values = pop.values[column.path]
    mask = ~pop.present[column.path] if column.nullable else None
    if column.kind == "date":
        return pa.array(values - EPOCH, type=pa.int32(), mask=mask).cast(pa.date32())
    if column.kind == "bool":
        return pa.array(values, type=pa.bool_(), mask=mask)
    if column.kind == "enum":
        return pa.array(np.asarray(column.codes, dtype=object)[values], type=pa.string(), mask=mask)
    if column.kind == "count":
        return pa.array(values, type=pa.int64(), mask=mask)
    places = {"money": 2, "hours": 2, "share": 6}[column.kind]
    text = decimal_text(values, places, trim=column.kind != "money")
    return (
        text
        if mask is None
        else pa.array(
            [None if m else t for m, t in zip(mask, text.to_pylist(), strict=True)], pa.string()
        )
    )


class TableSink:
    """A file of Arrow tables written one after another, atomically: rows go to a temporary
    file beside the target, renamed into place by `commit` (a failure leaves no file)."""

    def __init__(self, path: str | Path, label: str = "") -> None:
        from aurules.model.atomic import atomic_path

        self.kind = file_format(path)
        self.target = Path(path)
        self.label = label
        self.place = atomic_path(self.target)
        self.temporary = self.place.__enter__()
        self.out = open(self.temporary, "wb")  # noqa: SIM115 (closed by commit or abort)
        if label and self.kind == "csv":
            self.out.write(f"# {label}\n".encode())
        self.writer: Any = None

    def write(self, table: Any) -> None:
        """Append rows; a write that fails (a full disk) is BadInput naming the file, and
        the caller's `abort` then removes what was written."""
        from aurules.model.atomic import cannot_write

        try:
            if self.writer is None:
                self.writer = _writer(self.kind, self.out, table.schema, self.label)
            self.writer.write_table(table)
        except OSError as exc:
            raise cannot_write(self.target, exc) from None

    def commit(self) -> None:
        """Finish the file and give it its name (or BadInput, the file removed)."""
        from aurules.model.atomic import cannot_write

        try:
            if self.writer is not None:
                self.writer.close()
            self.out.close()
        except OSError as exc:
            self.writer = None
            self.abort()
            raise cannot_write(self.target, exc) from None
        self.place.__exit__(None, None, None)  # renamed into place

    def abort(self) -> None:
        if self.writer is not None:  # closed first, so nothing writes to a closed file later
            with contextlib.suppress(Exception):
                self.writer.close()
            self.writer = None
        self.out.close()
        error = RuntimeError("aborted")
        self.place.__exit__(RuntimeError, error, None)  # removed, nothing renamed


def write_population(
    parts: Iterable[Population], path: str | Path, *, columns: tuple[str, ...], label: str = ""
) -> int:
    """Write populations, chunk by chunk, to one file with the given columns, atomically,
    with an optional label line (CSV) or metadata entry (Parquet). Returns the rows written."""
    import pyarrow as pa

    sink = TableSink(path, label)
    rows = 0
    try:
        for pop in parts:
            sink.write(pa.table({name: _arrow_column(BY_PATH[name], pop) for name in columns}))
            rows += pop.size
        sink.commit()
    except BaseException:
        sink.abort()
        raise
    return rows


def _writer(kind: str, out: Any, schema: Any, label: str) -> Any:
    if kind == "parquet":
        import pyarrow.parquet as pq

        metadata = {LABEL_KEY: label.encode()} if label else {}
        return pq.ParquetWriter(out, schema.with_metadata(metadata))
    import pyarrow.csv as pacsv

    return pacsv.CSVWriter(out, schema, write_options=pacsv.WriteOptions(quoting_style="needed"))
