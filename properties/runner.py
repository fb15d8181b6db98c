"""The runner behind `aurules check`: one row per check, with its paragraphs, method,
verdict, effort and time, and the counterexample file when one was found.

Checks so far (the invariants of the lifecycle join as they land):
- `health.<rule>`: Z3 finds a scenario that passes the rule and one that fails it, so no rule
  is dead or always true under the ruleset (a proposal that makes one so is reported).
- `backends_agree`: on Hypothesis-generated scenarios, every rule gives the same verdict on
  the Python backend and as a Z3 term; a disagreement is saved as a counterexample.
- `catalogue_complete`: every paragraph has a status, and the statuses agree with the code.
- `rulesets_cover_dates`: each start date has exactly one official ruleset.
"""

from __future__ import annotations

import contextlib
import json
import sys
import time
from typing import Any
from xml.etree import ElementTree as ET

import attrs

from model.ruleset import Ruleset

HOLDING = ("proved", "holds")


@attrs.define(kw_only=True)
class Row:
    """One check's result."""

    name: str
    paragraphs: list[str]
    method: str
    verdict: str
    depth: int | None = None
    runs: int | None = None
    seconds: float = 0.0
    counterexample: str | None = None
    detail: str = ""

    @property
    def status(self) -> str:
        if self.verdict.startswith(HOLDING):
            return "holds"
        if self.verdict.startswith("unknown"):
            return "unknown"
        return "violated"

    def to_data(self) -> dict[str, Any]:
        return {"name": self.name, "paragraphs": self.paragraphs, "method": self.method,
                "verdict": self.verdict, "depth": self.depth, "runs": self.runs,
                "seconds": round(self.seconds, 3), "counterexample": self.counterexample,
                "detail": self.detail}


@attrs.define(kw_only=True)
class Report:
    ruleset: dict[str, str]
    profile: str
    seed: int
    rows: list[Row]

    @property
    def exit_code(self) -> int:
        statuses = {row.status for row in self.rows}
        if "violated" in statuses:
            return 1
        if "unknown" in statuses:
            return 3
        return 0


def _health_rows(ruleset: Ruleset) -> list[Row]:
    from model.symbolic import rule_health

    rows = []
    for health in rule_health(ruleset):
        verdict = health.verdict
        detail = ""
        if verdict == "ok":
            verdict = "proved"
        elif verdict != "unknown":
            witness = health.fail_witness or health.pass_witness
            detail = f"{verdict}" + (f"; witness {witness}" if witness else "")
            verdict = "violated"
        rows.append(Row(name=f"health.{health.rule.name}", paragraphs=list(health.rule.paragraphs),
                        method="z3", verdict=verdict, detail=detail,
                        seconds=health.seconds))
    return rows


def _agreement_row(ruleset: Ruleset, profile: str, seed: int, save: str) -> Row:
    from hypothesis import given, settings
    from hypothesis import seed as seeded

    from model.evaluate import check_start
    from model.facts import derive
    from model.symbolic import RuleTerms
    from properties import profiles
    from properties.counterexamples import save as save_counterexample
    from properties.strategies import scenarios

    profiles.load(profile)
    terms = RuleTerms(ruleset)
    runs = 0
    found: list[tuple[Any, str]] = []

    @seeded(seed)
    @settings(derandomize=profile == "ci")
    @given(scenarios())
    def agree(scenario: Any) -> None:
        nonlocal runs
        runs += 1
        facts = derive(scenario, ruleset)
        for result in check_start(scenario, ruleset):
            symbolic = terms.value(result.rule, facts)
            if symbolic != result.passed:
                message = (f"rule {result.rule.where} ({', '.join(result.rule.paragraphs)}): "
                           f"python says {result.passed}, z3 says {symbolic}")
                found.append((scenario, message))
                raise AssertionError(message)

    started = time.perf_counter()
    with contextlib.suppress(AssertionError):  # the failure is recorded in `found`
        agree()
    seconds = time.perf_counter() - started
    if not found:
        return Row(name="backends_agree", paragraphs=[], method="hypothesis+z3",
                   verdict=f"holds on {runs} runs", runs=runs, seconds=seconds)
    scenario, message = found[-1]  # the last failure is Hypothesis' shrunk example
    path = save_counterexample({
        "invariant": "backends_agree", "paragraphs": [],
        "ruleset": {"id": ruleset.id, "hash": ruleset.hash},
        "found_by": "hypothesis", "seed": seed, "scenario": scenario.to_data(),
        "violation": {"step": 0, "detail": message},
    }, save)
    return Row(name="backends_agree", paragraphs=[], method="hypothesis+z3",
               verdict="violated", runs=runs, seconds=seconds, counterexample=str(path),
               detail=message)


def _catalogue_row() -> Row:
    from model.catalogue import problems

    started = time.perf_counter()
    found = problems()
    return Row(name="catalogue_complete", paragraphs=[], method="static",
               verdict="violated" if found else "proved", detail="; ".join(found[:5]),
               seconds=time.perf_counter() - started)


def _coverage_row() -> Row:
    from model.coverage import coverage_problems

    started = time.perf_counter()
    found = coverage_problems()
    return Row(name="rulesets_cover_dates", paragraphs=["3"], method="static",
               verdict="violated" if found else "proved", detail="; ".join(found[:5]),
               seconds=time.perf_counter() - started)


def run_checks(ruleset: Ruleset, *, profile: str = "ci", seed: int = 0,
               save: str = "counterexamples", progress: bool = False) -> Report:
    """Run every check on a ruleset."""
    rows: list[Row] = []
    steps = [("rule health (z3)", lambda: _health_rows(ruleset)),
             ("backend agreement (hypothesis + z3)",
              lambda: [_agreement_row(ruleset, profile, seed, save)]),
             ("catalogue", lambda: [_catalogue_row()]),
             ("ruleset coverage", lambda: [_coverage_row()])]
    for number, (label, step) in enumerate(steps, 1):
        if progress:
            print(f"[{number}/{len(steps)}] {label}...", file=sys.stderr, flush=True)
        rows.extend(step())
    return Report(ruleset=ruleset.summary(), profile=profile, seed=seed, rows=rows)


def render(report: Report, fmt: str) -> str:
    """The report as text, JSON or JUnit XML."""
    if fmt == "json":
        return json.dumps({"ruleset": report.ruleset, "profile": report.profile,
                           "seed": report.seed,
                           "invariants": [row.to_data() for row in report.rows]}, indent=2)
    if fmt == "junit":
        return _junit(report)
    return _text(report)


def _text(report: Report) -> str:
    from model.catalogue import counts

    header = f"{'check':<44} {'paragraphs':<12} {'method':<14} {'verdict':<20} {'s':>6}  file"
    lines = [f"ruleset {report.ruleset['id']} ({report.ruleset['hash']}), profile "
             f"{report.profile}, seed {report.seed}", "", header, "-" * len(header)]
    for row in report.rows:
        lines.append(f"{row.name:<44} {', '.join(row.paragraphs):<12} {row.method:<14} "
                     f"{row.verdict:<20} {row.seconds:>6.2f}  {row.counterexample or ''}")
        if row.detail and row.status != "holds":
            lines.append(f"{'':4}{row.detail}")
    tally = {s: sum(1 for r in report.rows if r.status == s)
             for s in ("holds", "violated", "unknown")}
    catalogue = ", ".join(f"{n} {s}" for s, n in counts().items())
    lines += ["", f"{len(report.rows)} checks: {tally['holds']} hold, {tally['violated']} "
              f"violated, {tally['unknown']} unknown", f"catalogue: {catalogue}"]
    return "\n".join(lines)


def _junit(report: Report) -> str:
    suite = ET.Element("testsuite", name=f"aurules check {report.ruleset['id']}",
                       tests=str(len(report.rows)),
                       failures=str(sum(r.status == "violated" for r in report.rows)),
                       skipped=str(sum(r.status == "unknown" for r in report.rows)))
    for row in report.rows:
        case = ET.SubElement(suite, "testcase", classname="aurules.check", name=row.name,
                             time=f"{row.seconds:.3f}")
        if row.status == "violated":
            failure = ET.SubElement(case, "failure", message=row.verdict)
            failure.text = row.detail + (f"\ncounterexample: {row.counterexample}"
                                         if row.counterexample else "")
        elif row.status == "unknown":
            ET.SubElement(case, "skipped", message=row.verdict)
    return ET.tostring(suite, encoding="unicode")
