"""The `aurules` command group and its commands (the population commands are in
`aurules.cli.population`).

Exit codes (the public contract): 0 success / all hold; 1 some check violated; 2 bad input
(one line on stderr naming the file, the field and the problem; never a traceback);
3 some check unknown and none violated; 70 an internal error (a bug: one line, or the
traceback with AURULES_DEBUG=1). Heavy modules (z3, hypothesis) are imported inside
the commands that need them, so `aurules --help` stays fast.
"""

from __future__ import annotations

import json
import sys
import time
from typing import Any

import click

from aurules.api import DIFF_MAX_LIMIT
from aurules.cli.common import (
    EXIT_OK,
    EXIT_VIOLATED,
    RULES_OPTION,
    OneLineErrors,
    for_start,
    guarded,
    load_rules,
    print_json,
    read_record,
    read_scenario,
)
from aurules.cli.population import impact_command, population_command
from aurules.cli.testing import test_command
from aurules.model.coverage import require_covered
from aurules.model.errors import BadInput


@click.group(cls=OneLineErrors, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="aurules")
def main() -> None:
    """A formal, property-tested model of England's apprenticeship unit funding rules
    (April to 31 July 2026): evaluate and explain scenarios, list the paragraph catalogue,
    and check the rules with Z3 and Hypothesis.

    Exit codes: 0 ok, 1 a check is violated, 2 bad input, 3 a check is unknown."""


@main.command()
@click.argument("scenario", metavar="SCENARIO.json")
@RULES_OPTION
@guarded
def evaluate(scenario: str, rules: str | None) -> None:
    """Run one scenario through the rules and print its outcome as JSON ("-" reads stdin)."""
    from aurules.model.evaluate import evaluate as run

    ruleset = load_rules(rules, several=True)
    parsed = read_scenario(scenario, ruleset)
    ruleset = for_start(ruleset, parsed, scenario)
    if getattr(parsed, "kind", None) == "access":
        from aurules.model.access_scenario import access_outcome

        print_json(access_outcome(parsed, ruleset, scenario))
        return
    require_covered(parsed, ruleset, "<stdin>" if scenario == "-" else scenario)
    print_json(run(parsed, ruleset).to_data())


@main.command()
@click.argument("scenario", metavar="SCENARIO.json")
@RULES_OPTION
@click.option(
    "--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True
)
@click.option(
    "--failed-only", is_flag=True, help="Show only the rules and claim conditions that failed."
)
@guarded
def explain(scenario: str, rules: str | None, fmt: str, failed_only: bool) -> None:
    """Explain a scenario's outcome: every rule with its paragraph, pass or fail and the values
    that decided it; for an ineligible scenario, the smallest sets of rules and facts that
    cannot hold together, and the smallest change that would make it eligible. SCENARIO.json
    may also be a saved counterexample: its invariant and how the scenario breaks it come
    first."""
    from aurules.explanation.explain import (
        counterexample_summary,
        explanation,
        only_failures,
        render_text,
    )

    ruleset = load_rules(rules, several=True)
    parsed, record = read_record(scenario, ruleset)
    ruleset = for_start(ruleset, parsed, scenario)
    if getattr(parsed, "kind", None) == "access":
        from aurules.model.access_scenario import access_outcome, render_access

        outcome = access_outcome(parsed, ruleset, scenario)
        click.echo(json.dumps(outcome, indent=2) if fmt == "json" else render_access(outcome))
        return
    require_covered(parsed, ruleset, "<stdin>" if scenario == "-" else scenario)
    data = explanation(parsed, ruleset, scenario)
    if record is not None:
        data = {"counterexample": counterexample_summary(record, parsed, ruleset), **data}
    if failed_only:
        data = only_failures(data)
    if fmt == "json":
        print_json(data)
    else:
        click.echo(render_text(data))


@main.command(name="rules")
@click.option(
    "--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True
)
@click.option(
    "--status",
    type=click.Choice(["encoded", "process-only", "out-of-scope"]),
    default=None,
    help="Only paragraphs with this status.",
)
@RULES_OPTION
@guarded
def rules_command(fmt: str, status: str | None, rules: str | None) -> None:
    """The catalogue: every paragraph of the funding rules and the access guide, its status,
    where it is encoded, and a one-line summary; with --rules a proposal, its own rules
    (status `proposal`) and the official rules it switches off or replaces."""
    from aurules.model.catalogue import catalogue, counts

    entries = [e for e in catalogue() if status is None or e.status == status]
    added: list[dict[str, Any]] = []
    if rules is not None:
        ruleset = load_rules(rules)
        structure = ruleset.structure
        added = [
            {
                "paragraph": r.paragraph,
                "status": "proposal",
                "summary": r.summary,
                "where": f"proposal {ruleset.id}: {r.name}"
                + (f" (replaces {r.replaces})" if r.replaces else ""),
                "holds": r.holds.text,
            }
            for r in structure.rules
        ]
        added += [
            {
                "paragraph": "",
                "status": "switched off",
                "summary": f"{name} is switched off by {ruleset.id}",
                "where": "",
                "holds": "",
            }
            for name in structure.disabled
        ]
    if fmt == "json":
        print_json([e.to_data() for e in entries] + added)
        return
    for entry in entries:
        click.echo(f"{entry.paragraph:<10} {entry.status:<13} {entry.summary}")
        if entry.where:
            click.echo(f"{'':24}where: {entry.where}")
        elif entry.reason:
            click.echo(f"{'':24}why not: {entry.reason}")
    for extra in added:
        click.echo(f"{extra['paragraph']:<10} {extra['status']:<13} {extra['summary']}")
        if extra["where"]:
            click.echo(f"{'':24}where: {extra['where']}; holds when: {extra['holds']}")
    summary = ", ".join(f"{n} {s}" for s, n in counts().items())
    click.echo(f"\n{len(entries)} paragraphs shown ({summary} in all)")


@main.command()
@click.argument("name", type=click.Choice(["scenario", "outcome", "ruleset", "access"]))
@RULES_OPTION
@guarded
def schema(name: str, rules: str | None) -> None:
    """Print the JSON Schema of a file format (`access`: an access trace); a scenario's under
    a proposal (`--rules`) includes the fields it adds."""
    from aurules.model.schema import document

    print_json(document(name, load_rules(rules) if rules else None))


@main.command()
@RULES_OPTION
@click.option(
    "--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True
)
@guarded
def params(rules: str | None, fmt: str) -> None:
    """Every parameter of a ruleset: key, value (or bands), unit, paragraph and meaning."""
    from aurules.model.listing import parameter_rows

    rows = parameter_rows(load_rules(rules))
    if fmt == "json":
        print_json(rows)
        return
    for row in rows:
        value = row["value"] if "bands" not in row else row["bands_text"]
        click.echo(
            f"{row['key']:<46} {value!s:<24} {row['unit']:<7} {row['paragraph']:<10} "
            f"{row['description']}"
        )


@main.command()
@RULES_OPTION
@click.option(
    "--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True
)
@guarded
def facts(rules: str | None, fmt: str) -> None:
    """Every name a proposal's expressions may read: start facts (scenario fields, derived
    facts, the proposal's new facts), lifecycle quantities (claim rules only) and the
    functions, each with its type and meaning."""
    from aurules.model.listing import fact_rows

    rows = fact_rows(load_rules(rules))
    if fmt == "json":
        print_json(rows)
        return
    for row in rows:
        click.echo(f"{row['name']:<44} {row['type']:<10} {row['where']:<6} {row['meaning']}")


@main.command()
@RULES_OPTION
@click.option(
    "--profile",
    type=click.Choice(["ci", "dev", "deep"]),
    default="ci",
    show_default=True,
    help="Hypothesis profile (number of generated examples).",
)
@click.option(
    "--seed",
    type=int,
    default=0,
    show_default=True,
    help="Seed for generated examples (same seed, same result).",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json", "junit"]),
    default="text",
    show_default=True,
)
@click.option(
    "--save",
    "save",
    metavar="DIR",
    default="counterexamples",
    show_default=True,
    help="Folder for counterexamples found.",
)
@guarded
def check(rules: str | None, profile: str, seed: int, fmt: str, save: str) -> None:
    """Prove or test every invariant of the lifecycle and of account access on a ruleset
    (Z3 induction or bounded model checking, Hypothesis state machines, replay of saved
    counterexamples), plus rule health, backend agreement, catalogue and ruleset coverage.
    One row per check and method; counterexamples found are saved in --save."""
    from aurules.properties.runner import check_expectation, render, run_checks

    given = load_rules(rules, several=True)
    for ruleset in given.rulesets:
        check_expectation(ruleset)
    reports = [
        run_checks(
            ruleset,
            profile=profile,
            seed=seed,
            save=save,
            progress=fmt == "text" and sys.stderr.isatty(),
            editions=given.rulesets,
        )
        for ruleset in given.rulesets
    ]
    if len(reports) == 1:
        click.echo(render(reports[0], fmt))
    elif fmt == "json":
        print_json([json.loads(render(report, fmt)) for report in reports])
    else:  # text and JUnit: one after the other
        click.echo("\n\n".join(render(report, fmt) for report in reports))
    codes = {report.exit_code for report in reports}
    sys.exit(1 if 1 in codes else 3 if 3 in codes else 0)


@main.command(name="diff")
@click.argument("base", metavar="BASE")
@click.argument("proposal", metavar="PROPOSAL")
@click.option(
    "--limit",
    type=click.IntRange(0, DIFF_MAX_LIMIT),
    default=4,
    show_default=True,
    help="Longest event sequence searched for lifecycle differences.",
)
@click.option(
    "--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True
)
@guarded
def diff_command(base: str, proposal: str, limit: int, fmt: str) -> None:
    """Find learners whose outcome differs between two rulesets (ids or files): eligibility at
    the start, and payments, refusals and recoveries over up to --limit events. Each group
    has a small witness scenario, confirmed by evaluating it under both. Exit 0 if none
    differs within the bound, 1 if some do, 3 if a search was unknown."""
    from aurules.differences.report import diff_report

    report = diff_report(
        load_rules(base, what="BASE"), load_rules(proposal, what="PROPOSAL"), limit
    )
    base_id, proposal_id = report.base.id, report.proposal.id
    if fmt == "json":
        print_json(report.to_data())
    else:
        click.echo(f"{base_id} -> {proposal_id}; searched: {report.searched}")
        if not report.groups and not report.lifecycle_groups:
            click.echo("no difference within the bound")
        for g in report.groups:
            click.echo(f"\n{g.direction} ({', '.join(g.paragraphs)}, {g.rule}): {g.verdict}")
            click.echo(f"  caused by: {g.cause}")
            click.echo(f"  witness changes: {', '.join(g.changed) or 'nothing'}")
            _echo_witness(
                g.witness, g.base_outcome, g.proposal_outcome, base_id, proposal_id, detail=g.detail
            )
        for h in report.lifecycle_groups:
            click.echo(
                f"\nlifecycle: {h.behaviour or h.output} differs after {h.depth} event(s): "
                f"{h.verdict}"
            )
            click.echo(f"  caused by: {h.cause}")
            _echo_witness(
                h.witness, h.base_outcome, h.proposal_outcome, base_id, proposal_id, detail=h.detail
            )
    sys.exit(report.exit_code)


def _echo_witness(
    witness: Any, base: Any, proposal: Any, base_id: str, proposal_id: str, *, detail: str
) -> None:
    if witness is not None:
        click.echo(f"  witness: {json.dumps(witness)}")
        for label, outcome in ((base_id, base), (proposal_id, proposal)):
            if outcome is None:
                continue
            failed = ", ".join(outcome["failed_paragraphs"]) or "none"
            paid = "; ".join(
                f"{p['item']} gov {p['government']} acct {p['employer_account']}"
                f" direct {p['employer_direct']}"
                for p in outcome["payments"]
            )
            above = outcome["totals"]["employer_above_rate"]
            extra = f"; employer above the rate {above}" if above != "0.00" else ""
            click.echo(
                f"  under {label}: eligible {str(outcome['eligible']).lower()}, failed "
                f"{failed}, status {outcome['status']}, payments: {paid or 'none'}"
                f"{extra}"
            )
    if detail:
        click.echo(f"  {detail}")


@main.command(name="fixtures")
@RULES_OPTION
@click.option("--paragraph", default=None, help="Only fixtures for this paragraph.")
@click.option("--count", type=click.IntRange(1), default=None, help="At most this many.")
@click.option(
    "--out", "out", metavar="DIR", default=None, help="Write here (default: JSON lines on stdout)."
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["json", "jsonl", "csv"]),
    default="jsonl",
    show_default=True,
    help="json: one file per fixture; jsonl or csv: one file.",
)
@guarded
def fixtures_command(
    rules: str | None, paragraph: str | None, count: int | None, out: str | None, fmt: str
) -> None:
    """Edge-case scenarios with their expected outcomes: for each start rule, the learner
    nearest the minimal scenario whom that rule alone makes ineligible, and the nearest
    eligible learner back across its threshold. A coverage table goes to stderr."""
    from aurules.edges.fixtures import fixtures_and_problems, write_fixtures

    ruleset = load_rules(rules)
    if paragraph is not None:
        _check_paragraph(paragraph, ruleset)
    started = time.perf_counter()

    def progress(stage: str) -> None:  # on a terminal only
        if sys.stderr.isatty():
            click.echo(f"fixtures: {stage}... ({time.perf_counter() - started:.0f} s)", err=True)

    found, problems = fixtures_and_problems(ruleset, paragraph, progress)
    found = found[:count]
    for problem in problems:
        click.echo(
            f"aurules: edge left out (its outcome is not the one built for): {problem}", err=True
        )
    if out is None:
        for fixture in found:
            click.echo(json.dumps(fixture))
    else:
        write_fixtures(found, out, fmt)
    _coverage(found, paragraph, ruleset)


def _check_paragraph(paragraph: str, ruleset: Any = None) -> None:
    """--paragraph must name a paragraph the funding model encodes (one line, exit 2)."""
    from aurules.edges.fixtures import coverage
    from aurules.model.catalogue import catalogue

    start, lifecycle = coverage([], ruleset)
    if paragraph in start or paragraph in lifecycle:
        return
    entry = next((e for e in catalogue() if e.paragraph == paragraph), None)
    problem = (
        f"paragraph {paragraph} is {entry.status}, not encoded: it has no fixtures"
        if entry is not None
        else f"there is no paragraph {paragraph} in the funding rules (see `aurules rules`)"
    )
    raise BadInput("--paragraph", "", problem)


def _coverage(
    found: list[dict[str, Any]], paragraph: str | None = None, ruleset: Any = None
) -> None:
    from aurules.edges.fixtures import coverage

    start, lifecycle = coverage(found, ruleset)
    for title, table in (("start-of-unit", start), ("lifecycle", lifecycle)):
        counts = {p: n for p, n in table.items() if paragraph in (None, p)}
        if not counts:
            continue
        cells = " ".join(f"{p}:{n}" for p, n in counts.items())
        click.echo(f"coverage (fixtures per {title} paragraph): {cells}", err=True)


@main.command(name="report")
@click.argument("proposal", metavar="PROPOSAL")
@click.option(
    "--base",
    "base",
    metavar="FILE|ID",
    default=None,
    help="The ruleset compared with (default: the official one).",
)
@click.option(
    "--population", metavar="FILE", default=None, help="Add the impact on this population."
)
@click.option("--out", "out", metavar="FILE.html", required=True, help="Where to write the page.")
@click.option(
    "--profile", type=click.Choice(["ci", "dev", "deep"]), default="ci", show_default=True
)
@click.option(
    "--limit",
    type=click.IntRange(0, 12),
    default=4,
    show_default=True,
    help="Events searched by the lifecycle diff.",
)
@guarded
def report_command(
    proposal: str, base: str | None, population: str | None, out: str, profile: str, limit: int
) -> None:
    """One self-contained HTML page about a proposal: what it changes, the check rows, the
    differences with their witnesses and timelines, the impact on a population (with
    --population) and the fixtures' coverage. No script and no network: open it anywhere."""
    from pathlib import Path

    from aurules.differences.report import diff_report
    from aurules.edges.fixtures import coverage, fixtures
    from aurules.model.atomic import write_text
    from aurules.pages.report import page
    from aurules.properties.runner import run_checks

    if Path(out).suffix.lower() not in (".html", ".htm"):
        raise BadInput(out, "", "the report is an HTML file: give a name ending in .html")
    base_rules = load_rules(base, what="--base")
    proposal_rules = load_rules(proposal, what="PROPOSAL")
    result = None
    if population is not None:
        result = _impact_for_report(base_rules, proposal_rules, population)
    stages = [
        (
            "check",
            lambda: run_checks(
                proposal_rules,
                profile=profile,
                seed=0,
                save=str(Path(out).parent / "counterexamples"),
            ),
        ),
        ("diff", lambda: diff_report(base_rules, proposal_rules, limit)),
        ("fixtures", lambda: fixtures(proposal_rules)),
    ]
    done: dict[str, Any] = {}
    for name, stage in stages:
        click.echo(f"report: {name}...", err=True)
        done[name] = stage()
    found = done["fixtures"]
    text = page(
        base_rules,
        proposal_rules,
        check=done["check"],
        diff=done["diff"],
        impact=result,
        fixtures=(coverage(found, proposal_rules), len(found)),
    )
    write_text(out, text)
    click.echo(f"wrote {out}", err=True)


def _impact_for_report(base: Any, proposal: Any, population: str) -> Any:
    from aurules.population.files import rows_for
    from aurules.population.impact import impact

    header, _, parts = rows_for(base, proposal, population)
    return impact(base, proposal, parts, source=population, label=header.label)


@main.command()
@click.argument("scenario", metavar="FILE")
@RULES_OPTION
@click.option("--out", "out", metavar="FILE.svg|FILE.png", required=True, help="Where to draw.")
@guarded
def timeline(scenario: str, rules: str | None, out: str) -> None:
    """Draw a scenario's lifecycle (or a saved counterexample's, with the event that breaks
    its invariant marked): dates and events, hours delivered against the milestone marks,
    payments by payer, the planned end and the withdrawal deadline. SVG or PNG by --out."""
    from pathlib import Path

    from aurules.explanation.explain import counterexample_summary
    from aurules.explanation.timeline import FORMATS, breaking_event, draw

    if Path(out).suffix.lower() not in FORMATS:
        raise BadInput(out, "", "the picture is an .svg or a .png file")
    ruleset = load_rules(rules, several=True)
    parsed, record = read_record(scenario, ruleset)
    if getattr(parsed, "kind", None) == "access":
        raise BadInput(scenario, "", "an access trace has no lifecycle to draw")
    ruleset = for_start(ruleset, parsed, scenario)
    require_covered(parsed, ruleset, "<stdin>" if scenario == "-" else scenario)
    step, caption = None, ""
    if record is not None:
        step = breaking_event(record, parsed, ruleset)
        caption = counterexample_summary(record, parsed, ruleset)["violation"]
    path = draw(parsed, ruleset, out, breaking_step=step, caption=caption)
    click.echo(f"drew {len(parsed.events)} events to {path}")


@main.command()
@click.argument("folder", metavar="[DIR]", default="counterexamples")
@RULES_OPTION
@click.option(
    "--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True
)
@click.option(
    "--explain",
    "explained",
    is_flag=True,
    help="Say for each still violated how: which event, on which date, breaks it.",
)
@guarded
def replay(folder: str, rules: str | None, fmt: str, explained: bool) -> None:
    """Replay saved counterexamples (default folder: counterexamples/) under a ruleset and say,
    for each, whether it still violates its invariant. Exit 1 if any does."""
    from pathlib import Path

    from aurules.properties.replay_files import replay_folder, violation_sentence

    if not Path(folder).is_dir():
        raise BadInput(folder, "", "no such folder of counterexamples")
    ruleset = load_rules(rules)
    results = replay_folder(folder, ruleset)
    how = {r.path: violation_sentence(r, ruleset) for r in results if explained and r.violated}
    if fmt == "json":
        print_json(
            {
                "ruleset": ruleset.summary(),
                "counterexamples": [
                    {
                        "file": str(r.path),
                        "invariant": r.invariant,
                        "still_violated": r.violated,
                        "found_under": r.record["ruleset"],
                        "detail": r.detail,
                        **({"skipped": r.skipped} if r.skipped else {}),
                        **({"sentence": how[r.path]} if r.path in how else {}),
                    }
                    for r in results
                ],
            }
        )
    else:
        for r in results:
            verdict = "STILL VIOLATED" if r.violated else "skipped" if r.skipped else "holds"
            found = r.record["ruleset"].get("id", "?")
            click.echo(f"{r.path}  {r.invariant:<30} {verdict:<15} (found under {found})")
            if r.path in how:
                click.echo(f"    {how[r.path]}")
        still = sum(r.violated for r in results)
        click.echo(
            f"{len(results)} counterexamples replayed under {ruleset.id}: {still} still "
            "violate their invariant"
        )
    sys.exit(EXIT_VIOLATED if any(r.violated for r in results) else EXIT_OK)


main.add_command(population_command)
main.add_command(impact_command)
main.add_command(test_command)

if __name__ == "__main__":
    main()
