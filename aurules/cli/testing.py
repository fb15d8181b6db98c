"""`aurules test`: run scenario files with expected outcomes against the model (registered on
the main command group by `aurules.cli.main`)."""

from __future__ import annotations

import datetime as dt
import sys
from collections import defaultdict
from pathlib import Path
from typing import Any

import click

from aurules.cli.common import EXIT_OK, EXIT_VIOLATED, guarded, load_rules


@click.command(name="test")
@click.argument("paths", nargs=-1, required=True, metavar="PATH...")
@click.option(
    "--rules",
    "rules",
    metavar="FILE|ID[,...]",
    default=None,
    help="Ruleset id or TOML file, or several comma-separated editions (default: the "
    "official ruleset 2026-04).",
)
@click.option("--update", is_flag=True, help="Rewrite the expected outcomes that differ.")
@click.option(
    "--format", "fmt", type=click.Choice(["text", "junit"]), default="text", show_default=True
)
@guarded
def test_command(paths: tuple[str, ...], rules: str | None, update: bool, fmt: str) -> None:
    """Run every scenario file or fixture under PATH (files, or folders searched for .json,
    .jsonl and .csv as `aurules fixtures` writes them, or a scenario X.json beside its
    X.outcome.json) against its expected outcome. Each difference is printed; exit 1 if any
    case differs. --update rewrites the expectations instead."""
    from aurules.expectations.files import found_files, read_cases, write_expected
    from aurules.expectations.run import run_case

    given = load_rules(rules, several=True)
    files = found_files(list(paths))
    cases = [case for path in files for case in read_cases(path)]
    started = dt.datetime.now(dt.UTC)
    results = [run_case(case, given) for case in cases]
    failed = [r for r in results if not r.passed]
    if update and failed:
        by_file: dict[Path, dict[str, dict[str, Any]]] = defaultdict(dict)
        for result in failed:
            by_file[result.case.source][result.case.where] = result.updated
        for path, updates in by_file.items():
            write_expected(path, updates)
    if fmt == "junit":
        click.echo(junit(results, started))
    else:
        for result in failed:
            state = "UPDATED" if update else "FAIL"
            click.echo(f"{state} {result.case.label} [{result.case.name}] under {result.ruleset}")
            if result.case.description:
                click.echo(f"     {result.case.description}")
            recorded = result.case.recorded_under
            if recorded and recorded.get("id") not in (None, result.ruleset):
                click.echo(f"     (recorded under ruleset {recorded.get('id')})")
            for line in result.differences:
                click.echo(f"     {line}")
        verb = "updated" if update else "failed"
        click.echo(
            f"{len(results)} cases in {len(files)} files: {len(results) - len(failed)} passed, "
            f"{len(failed)} {verb}"
        )
    sys.exit(EXIT_VIOLATED if failed and not update else EXIT_OK)


def junit(results: list[Any], started: dt.datetime) -> str:
    """The results as JUnit XML: a `testsuites` root, one suite per file, one case each."""
    from xml.etree import ElementTree as ET

    root = ET.Element(
        "testsuites",
        name="aurules test",
        tests=str(len(results)),
        failures=str(sum(not r.passed for r in results)),
        errors="0",
    )
    by_file: dict[str, list[Any]] = defaultdict(list)
    for result in results:
        by_file[str(result.case.source)].append(result)
    for source, mine in by_file.items():
        suite = ET.SubElement(
            root,
            "testsuite",
            name=source,
            tests=str(len(mine)),
            failures=str(sum(not r.passed for r in mine)),
            errors="0",
            skipped="0",
            timestamp=started.replace(microsecond=0, tzinfo=None).isoformat(),
        )
        for result in mine:
            case = ET.SubElement(
                suite,
                "testcase",
                classname=source,
                name=f"{result.case.name}{f' ({result.case.where})' if result.case.where else ''}",
            )
            if not result.passed:
                failure = ET.SubElement(
                    case,
                    "failure",
                    message=f"{result.case.name} differs under {result.ruleset}: "
                    + "; ".join(result.differences[:3]),
                )
                failure.text = "\n".join(result.differences)
    return ET.tostring(root, encoding="unicode")
