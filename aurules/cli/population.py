"""`aurules population` and `aurules impact`: synthetic populations and the population impact
of a rule change (registered on the main command group by `aurules.cli.main`)."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import click

from aurules.cli.common import EXIT_OK, RULES_OPTION, guarded, load_rules, print_json
from aurules.model.errors import BadInput


def _assumption_options(command: Any) -> Any:
    """An option for each assumption of synthetic histories (`histories.Assumptions`: its
    default and meaning are stated once, there)."""
    import attrs

    from aurules.population.assumptions import Assumptions

    for field in reversed(attrs.fields(Assumptions)):
        command = click.option(
            f"--{field.name}",
            type=click.FloatRange(0, field.metadata["most"]),
            default=field.default,
            show_default=True,
            help=field.metadata["help"],
        )(command)
    return command


@click.command(name="population")
@click.option(
    "--size", type=click.IntRange(1, 100_000_000), default=None, help="How many learners."
)
@click.option("--seed", type=click.IntRange(min=0), default=0, show_default=True)
@click.option(
    "--out", "out", metavar="FILE", default=None, help="Where to write: FILE.csv or FILE.parquet."
)
@RULES_OPTION
@click.option(
    "--columns",
    "list_columns",
    is_flag=True,
    help="List the columns a population file (and an events file) may have, and stop.",
)
@click.option(
    "--events",
    "events_out",
    metavar="FILE",
    default=None,
    help="Also write SYNTHETIC event histories of the learners (CSV or Parquet), drawn from "
    "the assumptions below.",
)
@_assumption_options
@guarded
def population_command(
    size: int | None,
    seed: int,
    out: str | None,
    rules: str | None,
    list_columns: bool,
    events_out: str | None,
    **assumptions: float,
) -> None:
    """Write a SYNTHETIC population: made-up learners with plausible, documented
    distributions (the README's population section), start dates in the ruleset's window.
    The file is labelled synthetic (a `#` first line in CSV, metadata in Parquet) and the
    same for a size and seed. With --events, also each learner's history of events, drawn
    from the stated assumptions (each an option; the file's label repeats them)."""
    from aurules.model.population.table import COLUMNS

    if list_columns:
        for column in COLUMNS:
            need = (
                "required"
                if column.required
                else ("empty: null" if column.nullable else "has a default")
            )
            click.echo(f"{column.path:<40} {column.kind:<6} {need:<14} {column.doc}")
        from aurules.population.events import COLUMNS as EVENT_COLUMNS

        click.echo("\nevents file (--events): one row per event")
        for name in (*EVENT_COLUMNS, "reason", "by"):
            click.echo(f"  {name}")
        return
    if size is None or out is None:
        raise BadInput(
            "population",
            "--size" if size is None else "--out",
            "required (or give --columns to list the columns)",
        )
    from aurules.population.files import file_format, write_population
    from aurules.population.synthetic import WRITTEN, generate, label_of

    file_format(out)
    ruleset = load_rules(rules)
    parts = generate(size, seed, ruleset)
    if events_out is None:
        rows = write_population(parts, out, columns=WRITTEN, label=label_of(size, seed))
        click.echo(f"wrote {rows:,} synthetic learners to {out} (seed {seed})", err=True)
        return
    from aurules.population.assumptions import Assumptions
    from aurules.population.histories import write_with_histories

    if Path(events_out).resolve() == Path(out).resolve():
        raise BadInput(events_out, "", "the events file must differ from the population file")
    if Path(events_out).suffix.lower() not in (".csv", ".parquet", ".pq"):
        raise BadInput(events_out, "", "an events file must end in .csv or .parquet")
    rows, events = write_with_histories(
        parts,
        out,
        events_out,
        seed,
        Assumptions(**assumptions),
        label=label_of(size, seed),
        ruleset=ruleset,
    )
    click.echo(
        f"wrote {rows:,} synthetic learners to {out} and {events:,} events to {events_out} "
        f"(seed {seed})",
        err=True,
    )


@click.command(name="impact")
@click.argument("base", metavar="BASE")
@click.argument("proposal", metavar="PROPOSAL", required=False)
@click.option(
    "--population",
    "population",
    metavar="FILE",
    required=True,
    help="Population file: CSV or Parquet, one row per learner.",
)
@click.option(
    "--by",
    "by",
    metavar="COLUMN",
    default=None,
    help="Break the results down by a population column or a fact "
    "(e.g. employer.funding, learner.age_years).",
)
@click.option(
    "--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True
)
@click.option(
    "--chart",
    "chart",
    metavar="FILE.png",
    default=None,
    help="Also draw the impact as a PNG chart.",
)
@click.option(
    "--rows",
    "rows_out",
    metavar="FILE",
    default=None,
    help="Also write each row's outcome under both rulesets (CSV or Parquet).",
)
@click.option(
    "--events",
    "events",
    metavar="FILE",
    default=None,
    help="Event histories of the population's learners (CSV or Parquet, one row per event, "
    "`row` naming the learner): replay whole lifecycles under both rulesets.",
)
@click.option(
    "--sweep",
    "sweep_text",
    metavar="SECTION.KEY=V1,V2,...",
    default=None,
    help="Instead of a PROPOSAL, run BASE with one parameter at each value "
    "(or =FROM:TO:STEP) and report (and with --chart, draw) each against BASE.",
)
@click.option(
    "--scheduler",
    "scheduler",
    metavar="dask[=ADDRESS]",
    default=None,
    help="Run a sweep's partitions (chunks x values) on a Dask cluster: a local one, or the "
    "scheduler at ADDRESS (workers need aurules installed). Same results as in-process.",
)
@click.option(
    "--skip-bad",
    is_flag=True,
    help="Leave out bad rows (reported and counted) instead of stopping at the first.",
)
@guarded
def impact_command(
    base: str,
    proposal: str,
    population: str,
    by: str | None,
    fmt: str,
    chart: str | None,
    rows_out: str | None,
    events: str | None,
    sweep_text: str | None,
    scheduler: str | None,
    skip_bad: bool,
) -> None:
    """How a rule change plays out over a population: learners newly eligible and newly
    ineligible by failed paragraph, and the change in planned spend of government, employers'
    accounts and employers directly (optionally by a column). Rows run on the NumPy backend of
    the same rules as `evaluate`; a row's figures are its `evaluate` outcome's `planned`.

    With --events, every learner's history is replayed under both rulesets: what claims paid
    and audits recovered by item and payer, claims newly refused or paid by paragraph, and
    final statuses; a row's figures are then its `evaluate` outcome's `totals`."""
    from aurules.population.files import BadRow, file_format, is_extra, rows_for
    from aurules.population.impact import check_by, impact

    if sweep_text is not None or scheduler is not None:
        _sweep(
            base,
            proposal,
            population,
            events,
            sweep_text,
            scheduler,
            by,
            rows_out,
            fmt,
            chart,
            skip_bad,
        )
        return
    if proposal is None:
        raise BadInput("impact", "PROPOSAL", "required (or give --sweep SECTION.KEY=V1,V2,...)")
    base_rules = load_rules(base, several=True, what="BASE")
    proposal_rules = load_rules(proposal, several=True, what="PROPOSAL")
    for target in (chart, rows_out):
        for source, what in ((population, "population"), (events, "events")):
            same = target is not None and source is not None and _same(target, source)
            if same:
                raise BadInput(str(target), "", f"would overwrite the {what} file")
    if chart is not None and Path(chart).suffix.lower() != ".png":
        raise BadInput(chart, "", "the chart is a PNG file: give a name ending in .png")
    if rows_out is not None:
        file_format(rows_out)
    bad: list[BadRow] = []
    header, added, parts = rows_for(
        base_rules, proposal_rules, population, skip_bad=skip_bad, bad_rows=bad
    )
    if by is not None:
        check_by(
            by,
            "--by",
            extras=[c for c in header.columns if is_extra(c)],
            added=[c.path for c in added],
        )
    chunks: Iterator[Any] = _with_progress(parts, population, header.rows)
    if events is not None:
        from aurules.population.events import read_events_header, with_events

        read_events_header(events)
        chunks = with_events(chunks, events, population=population, skip_bad=skip_bad, bad_rows=bad)
    writer = _RowWriter(rows_out) if rows_out else None
    try:
        result = impact(
            base_rules,
            proposal_rules,
            chunks,
            source=population,
            label=header.label,
            by=by,
            each=writer,
            lifecycles=events is not None,
        )
    except BaseException:
        if writer is not None:
            writer.sink.abort()
        raise
    if writer is not None:
        writer.sink.commit()
    result.bad_rows = len(bad)
    if chart is not None:  # first: a chart that cannot be written is the one line on stderr
        from aurules.population.report import chart as draw

        draw(result, chart)
    if result.unread:
        from aurules.population.impact import unread_note

        note = unread_note(result.lifecycle is not None)
        click.echo(f"aurules: impact: {', '.join(result.unread)}: {note}", err=True)
    _bad_lines(bad, population)
    if fmt == "json":
        print_json(result.to_data())
    else:
        from aurules.population.report import text

        click.echo(text(result))
    sys.exit(EXIT_OK)


def _sweep(
    base: str,
    proposal: str | None,
    population: str,
    events: str | None,
    sweep_text: str | None,
    scheduler: str | None,
    by: str | None,
    rows_out: str | None,
    fmt: str,
    chart: str | None,
    skip_bad: bool,
) -> None:
    """`impact BASE --sweep KEY=VALUES`: every value against BASE, in one pass."""
    from aurules.population.files import BadRow, rows_for
    from aurules.population.sweep import chart as draw
    from aurules.population.sweep import parse_sweep, sweep_parts, text, unread_key

    if sweep_text is None:
        raise BadInput("--scheduler", "", "runs a sweep's partitions: give --sweep as well")
    for given, name in ((proposal, "PROPOSAL"), (by, "--by"), (rows_out, "--rows")):
        if given is not None:
            raise BadInput("--sweep", name, f"{name} is for one proposal, not a sweep")
    if "," in base:
        raise BadInput("--sweep", "BASE", "a sweep varies one ruleset, not editions")
    if chart is not None and Path(chart).suffix.lower() != ".png":
        raise BadInput(chart, "", "the chart is a PNG file: give a name ending in .png")
    sweep = parse_sweep(sweep_text, base)
    base_rules = load_rules(base, several=True, what="BASE")
    bad: list[BadRow] = []
    header, _, parts = rows_for(base_rules, base_rules, population, skip_bad=skip_bad, bad_rows=bad)
    chunks: Iterator[Any] = _with_progress(parts, population, header.rows)
    if events is not None:
        from aurules.population.events import read_events_header, with_events

        read_events_header(events)
        chunks = with_events(chunks, events, population=population, skip_bad=skip_bad, bad_rows=bad)
    if scheduler is not None:
        from aurules.population.cluster import scheduler_address, sweep_on_dask

        result = sweep_on_dask(
            sweep,
            chunks,
            address=scheduler_address(scheduler),
            source=population,
            label=header.label,
        )
    else:
        result = sweep_parts(sweep, chunks, source=population, label=header.label)
    result.bad_rows = len(bad)
    result.unread = unread_key(sweep, lifecycles=events is not None)
    if chart is not None:  # first: a chart that cannot be written is the one line on stderr
        draw(result, chart)
    if result.unread:
        from aurules.population.impact import unread_note

        note = unread_note(events is not None)
        click.echo(f"aurules: impact: {sweep.key}: {note}", err=True)
    _bad_lines(bad, population)
    if fmt == "json":
        print_json(result.to_data())
    else:
        click.echo(text(result))
    sys.exit(EXIT_OK)


def _bad_lines(bad: list[Any], population: str) -> None:
    """The first 20 bad rows on stderr, and how many more there were."""
    for row in bad[:20]:
        click.echo(row.line(population), err=True)
    if len(bad) > 20:
        click.echo(f"... and {len(bad) - 20:,} more bad rows", err=True)


def _same(one: str, other: str) -> bool:
    return Path(one).resolve() == Path(other).resolve()


def _with_progress(parts: Iterator[Any], source: str, rows: int | None) -> Iterator[Any]:
    """Pass chunks through, drawing a progress bar on stderr when it is a terminal."""
    if not sys.stderr.isatty():
        yield from parts
        return
    if rows is None:
        rows = _count_lines(source)
    with click.progressbar(length=rows, label="learners", file=sys.stderr, show_pos=True) as bar:
        for pop in parts:
            yield pop
            bar.update(pop.size)


def _count_lines(path: str) -> int:
    count = 0
    with open(path, "rb") as handle:
        first = handle.readline()
        count -= 1 if first.startswith(b"#") else 0
        while block := handle.read(1 << 24):
            count += block.count(b"\n")
    return max(count, 0)


class _RowWriter:
    """Each row's outcome under both rulesets, written as the chunks go by."""

    def __init__(self, path: str) -> None:
        from aurules.population.files import TableSink

        self.sink = TableSink(path)

    def __call__(self, pop: Any, base: Any, proposal: Any) -> None:
        from aurules.population.report import row_table

        self.sink.write(row_table(pop, base, proposal))
