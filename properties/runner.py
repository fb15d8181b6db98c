"""The runner behind `aurules check`: one row per check and method, with its paragraphs,
verdict, effort (depth or runs) and time, and the counterexample file when one was found.

- every invariant of `properties.invariants`, three ways: `z3` (proved by induction, or bounded
  model checking to the profile's depth), `hypothesis` (the lifecycle state machine over many
  learners) and `replay` (saved counterexamples for it, replayed under this ruleset; a row only
  when some exist);
- `health.<rule>` (Z3): each start rule can both pass and fail under the ruleset;
  `health.rules_agree` (Z3): no two start rules that read a common fact disagree about it (no
  learner satisfies both), and some learner passes them all; `health.claims_payable` and
  `health.guards_can_refuse` (Z3 bounded model checking): every claim can be paid, and every
  claim condition can refuse one, within a few events;
- `backends_agree` (Hypothesis + Z3): start rules give the same verdicts on both backends, and
  the lifecycle's simulator matches its Z3 transition relation step by step;
- `catalogue_complete` and `rulesets_cover_dates` (static).

Every violation found is minimised (Hypothesis shrinking; Z3's fewest events and round
values), replayed on the simulator to confirm it, and saved as a counterexample file.
"""

from __future__ import annotations

import contextlib
import json
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from xml.etree import ElementTree as ET

import attrs

from aurules.model.ruleset import Ruleset

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
        return {
            "name": self.name,
            "paragraphs": self.paragraphs,
            "method": self.method,
            "verdict": self.verdict,
            "depth": self.depth,
            "runs": self.runs,
            "seconds": round(self.seconds, 3),
            "counterexample": self.counterexample,
            "detail": self.detail,
        }


@attrs.define(kw_only=True)
class Report:
    ruleset: dict[str, str]
    profile: str
    seed: int
    rows: list[Row]
    expected: tuple[str, ...] | None = None
    """The invariants the proposal says it breaks (`[expect] violated`), or None."""

    def to_data(self) -> dict[str, Any]:
        """The report as `aurules check --format json` prints it."""
        data: dict[str, Any] = {
            "ruleset": self.ruleset,
            "profile": self.profile,
            "seed": self.seed,
            "invariants": [row.to_data() for row in self.rows],
        }
        if self.expected is not None:
            data["expected_violated"] = list(self.expected)
            data["as_expected"] = self.as_expected
        return data

    @property
    def violated(self) -> list[str]:
        """The names of the checks violated, each once, in report order."""
        return list(dict.fromkeys(r.name for r in self.rows if r.status == "violated"))

    @property
    def as_expected(self) -> bool:
        """Whether exactly the expected invariants are violated (no expectation: none)."""
        return set(self.violated) == set(self.expected or ())

    @property
    def exit_code(self) -> int:
        """1 when the violations are not the expected ones (none, without `[expect]`), else
        3 if a check is unknown, else 0."""
        if not self.as_expected:
            return 1
        if any(row.status == "unknown" for row in self.rows):
            return 3
        return 0


@contextlib.contextmanager
def _recorded_failures(log: list[Any]) -> Iterator[None]:
    """Let a Hypothesis run fail quietly when its failure was recorded in `log` (one
    AssertionError, or several distinct ones in an ExceptionGroup); anything else is a bug
    and propagates."""
    try:
        yield
    except (AssertionError, ExceptionGroup):
        if not log:
            raise


def _health_rows(ruleset: Ruleset) -> list[Row]:
    from aurules.model.symbolic.start import rule_health

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
        rows.append(
            Row(
                name=f"health.{health.rule.name}",
                paragraphs=list(health.rule.paragraphs),
                method="z3",
                verdict=verdict,
                detail=detail,
                seconds=health.seconds,
            )
        )
    return rows


def _overlap_row(ruleset: Ruleset) -> Row:
    from aurules.model.overlap import overlaps
    from aurules.model.registry import paragraph_key

    found = overlaps(ruleset)
    paragraphs = sorted({p for c in found.conflicts for p in c.paragraphs}, key=paragraph_key)
    if found.conflicts:
        verdict, detail = "violated", "; ".join(c.describe() for c in found.conflicts)
    elif found.unknown:
        verdict, detail = "unknown", f"Z3 gave up on {', '.join(found.unknown)}"
    else:
        verdict, detail = "proved", ""
    return Row(
        name="health.rules_agree",
        paragraphs=paragraphs,
        method="z3",
        verdict=verdict,
        runs=found.pairs_checked,
        seconds=found.seconds,
        detail=detail
        or f"{found.pairs_checked} pairs of rules sharing a fact, and all "
        "rules together, are satisfiable",
    )


def _guard_health_rows(ruleset: Ruleset) -> list[Row]:
    from aurules.model.registry import paragraph_key
    from aurules.model.rulebook import guards
    from aurules.properties.guard_health import MAX_EVENTS, guard_health

    health = guard_health(ruleset)
    share = health.seconds / 2

    def verdict_of(found: list[tuple[str, int | None]], what: str) -> tuple[str, str]:
        missing = [name for name, k in found if k is None]
        gave_up = [name for name, k in found if k == -1]
        if missing:
            return "violated", f"{what} within {MAX_EVENTS} events: {', '.join(missing)}"
        if gave_up:
            return "unknown", f"Z3 gave up on {', '.join(gave_up)}"
        return "proved", ""

    paid, paid_detail = verdict_of(list(health.payable.items()), "never paid")
    refuse, refuse_detail = verdict_of(
        [(f"{item}:{name}", k) for (item, name), k in health.refusing.items()],
        "never refuses a claim",
    )
    paragraphs = sorted(
        {p for item in health.payable for g in guards(item, ruleset) for p in g.paragraphs},
        key=paragraph_key,
    )
    return [
        Row(
            name="health.claims_payable",
            paragraphs=paragraphs,
            method="z3 bmc",
            verdict=paid,
            depth=MAX_EVENTS,
            seconds=share,
            detail=paid_detail,
        ),
        Row(
            name="health.guards_can_refuse",
            paragraphs=paragraphs,
            method="z3 bmc",
            verdict=refuse,
            depth=MAX_EVENTS,
            seconds=share,
            detail=refuse_detail,
        ),
    ]


def _agreement_row(ruleset: Ruleset, profile: str, seed: int, save: str) -> Row:
    from hypothesis import given, settings
    from hypothesis import seed as seeded

    from aurules.model.symbolic.start import RuleTerms
    from aurules.properties import profiles
    from aurules.properties.backends import disagreement
    from aurules.properties.counterexamples import save as save_counterexample
    from aurules.properties.strategies import for_ruleset, scenarios

    profiles.load(profile)
    terms = RuleTerms(ruleset)
    runs = 0
    found: list[tuple[Any, str]] = []

    @seeded(seed)
    @settings(derandomize=False, database=None)
    @given(scenarios())
    def agree(scenario: Any) -> None:
        nonlocal runs
        runs += 1
        scenario = for_ruleset(scenario, ruleset)
        message = disagreement(scenario, ruleset, terms)
        if message:
            found.append((scenario, message))
            raise AssertionError(message)

    started = time.perf_counter()
    with _recorded_failures(found):
        agree()
    seconds = time.perf_counter() - started
    if not found:
        return Row(
            name="backends_agree",
            paragraphs=[],
            method="hypothesis+z3",
            verdict=f"holds on {runs} runs",
            runs=runs,
            seconds=seconds,
        )
    scenario, message = found[-1]  # the last failure is Hypothesis' shrunk example
    path = save_counterexample(
        {
            "invariant": "backends_agree",
            "paragraphs": [],
            "ruleset": {"id": ruleset.id, "hash": ruleset.hash},
            "found_by": "hypothesis",
            "seed": seed,
            "scenario": scenario.to_data(),
            "violation": {"step": 0, "detail": message},
        },
        save,
    )
    return Row(
        name="backends_agree",
        paragraphs=[],
        method="hypothesis+z3",
        verdict="violated",
        runs=runs,
        seconds=seconds,
        counterexample=str(path),
        detail=message,
    )


def _catalogue_row() -> Row:
    from aurules.model.catalogue import problems

    started = time.perf_counter()
    found = problems()
    return Row(
        name="catalogue_complete",
        paragraphs=[],
        method="static",
        verdict="violated" if found else "proved",
        detail="; ".join(found[:5]),
        seconds=time.perf_counter() - started,
    )


def _coverage_row(editions: tuple[Ruleset, ...] = ()) -> Row:
    """Gaps and overlaps among the periods of the editions checked together (of the
    shipped official rulesets when one ruleset is checked)."""
    from aurules.model.coverage import coverage_problems

    started = time.perf_counter()
    found = coverage_problems(editions if len(editions) > 1 else None)
    return Row(
        name="rulesets_cover_dates",
        paragraphs=["3"],
        method="static",
        verdict="violated" if found else "proved",
        detail="; ".join(found[:5]),
        seconds=time.perf_counter() - started,
    )


DEPTH = {"ci": 12, "dev": 12, "deep": 20}
"""Bounded model checking depth (events) per profile, for invariants induction cannot prove."""
ACCESS_DEPTH = {"ci": 8, "dev": 8, "deep": 12}
"""Bounded model checking depth (actions) for access invariants induction cannot prove."""
MACHINE_STEPS = {"ci": 30, "dev": 40, "deep": 60}
MACHINE_EXAMPLES = {"ci": 300, "dev": 500, "deep": 5000}


def _record(
    ruleset: Ruleset,
    invariant: str,
    found_by: str,
    seed: int,
    *,
    scenario: dict[str, Any],
    step: int,
    detail: str,
) -> dict[str, Any]:
    from aurules.model.scenario import is_access
    from aurules.properties.invariant_index import by_name

    inv = by_name(invariant)
    violation: dict[str, Any] = {"step": step, "detail": detail}
    if not is_access(scenario):
        from aurules.model.scenario import Scenario
        from aurules.properties.replay import sentence

        words = sentence(
            Scenario.from_data(scenario, "<counterexample>", ruleset.new_facts), ruleset, invariant
        )
        if words:
            violation["sentence"] = words
    return {
        "invariant": invariant,
        "paragraphs": list(inv.paragraphs),
        "description": f"{inv.meaning} Violated under ruleset {ruleset.id} after {step} event(s).",
        "ruleset": {"id": ruleset.id, "hash": ruleset.hash, "source": ruleset.source},
        "found_by": found_by,
        "seed": seed,
        "scenario": scenario,
        "violation": violation,
    }


def _z3_rows(ruleset: Ruleset, profile: str, seed: int, save: str) -> list[Row]:
    from aurules.properties.invariants import INVARIANTS
    from aurules.properties.proofs import check_invariants
    from aurules.properties.replay_files import replay_record

    return _verdict_rows(
        ruleset,
        seed,
        save,
        INVARIANTS,
        verdicts=check_invariants(ruleset, DEPTH[profile]),
        replay=replay_record,
    )


def _access_z3_rows(ruleset: Ruleset, profile: str, seed: int, save: str) -> list[Row]:
    from aurules.properties.access_invariants import ACCESS_INVARIANTS
    from aurules.properties.access_proofs import check_access
    from aurules.properties.replay_files import replay_record

    return _verdict_rows(
        ruleset,
        seed,
        save,
        ACCESS_INVARIANTS,
        verdicts=check_access(ruleset, ACCESS_DEPTH[profile]),
        replay=replay_record,
    )


def _verdict_rows(
    ruleset: Ruleset,
    seed: int,
    save: str,
    invariants: list[Any],
    *,
    verdicts: dict[str, Any],
    replay: Any,
) -> list[Row]:
    """Rows for Z3 verdicts; each witness is replayed on the simulator, then saved."""
    from aurules.properties.counterexamples import save as save_counterexample

    rows = []
    for inv in invariants:
        verdict = verdicts[inv.name]
        row = Row(
            name=inv.name,
            paragraphs=list(inv.paragraphs),
            method=verdict.method,
            verdict=verdict.verdict
            if verdict.verdict != "unknown"
            else f"unknown ({verdict.detail})",
            depth=verdict.depth,
            seconds=verdict.seconds,
            detail=verdict.detail,
        )
        if verdict.verdict == "violated" and verdict.scenario is not None:
            record = {"invariant": inv.name, "scenario": verdict.scenario}
            confirmed = replay(record, ruleset, "<z3 witness>")
            if confirmed is None:
                row.verdict = "unknown (the Z3 witness does not replay on the simulator)"
            else:
                path = save_counterexample(
                    _record(
                        ruleset,
                        inv.name,
                        "z3",
                        seed,
                        scenario=verdict.scenario,
                        step=confirmed.step,
                        detail=confirmed.detail,
                    ),
                    save,
                )
                row.counterexample, row.detail = str(path), confirmed.detail
        rows.append(row)
    return rows


def _access_hypothesis_rows(ruleset: Ruleset, profile: str, seed: int, save: str) -> list[Row]:
    from aurules.properties.access_invariants import ACCESS_INVARIANTS
    from aurules.properties.access_machine import access_machine_for

    return _machine_rows(
        ruleset,
        profile,
        seed,
        save,
        invariants=ACCESS_INVARIANTS,
        make=lambda ignore: access_machine_for(ruleset, ignore),
    )


def _hypothesis_rows(ruleset: Ruleset, profile: str, seed: int, save: str) -> list[Row]:
    from aurules.properties.invariants import INVARIANTS
    from aurules.properties.machines import machine_for

    return _machine_rows(
        ruleset,
        profile,
        seed,
        save,
        invariants=INVARIANTS,
        make=lambda ignore: machine_for(ruleset, ignore=ignore),
    )


def _machine_rows(
    ruleset: Ruleset, profile: str, seed: int, save: str, *, invariants: list[Any], make: Any
) -> list[Row]:
    from hypothesis import seed as seeded
    from hypothesis import settings
    from hypothesis.stateful import get_state_machine_test

    from aurules.properties import profiles
    from aurules.properties.counterexamples import save as save_counterexample

    profiles.load(profile)
    found: dict[str, tuple[Any, str]] = {}
    runs = 0
    started = time.perf_counter()
    for _ in invariants:  # after each violation, look again for the others
        machine = make(frozenset(found))
        test = get_state_machine_test(
            machine,
            settings=settings(
                derandomize=False,
                max_examples=MACHINE_EXAMPLES[profile],
                stateful_step_count=MACHINE_STEPS[profile],
                database=None,
                deadline=None,
            ),
        )
        with _recorded_failures(machine.failures):
            seeded(seed)(test)()
        runs += len(machine.runs)
        if not machine.failures:
            break
        failure = machine.failures[-1]  # the last failure is the shrunk one
        path = save_counterexample(
            _record(
                ruleset,
                failure.invariant,
                "hypothesis",
                seed,
                scenario=failure.scenario.to_data(),
                step=failure.violation.step,
                detail=failure.violation.detail,
            ),
            save,
        )
        found[failure.invariant] = (path, failure.violation.detail)
    seconds = time.perf_counter() - started
    rows = []
    for inv in invariants:
        if inv.name in found:
            path, detail = found[inv.name]
            rows.append(
                Row(
                    name=inv.name,
                    paragraphs=list(inv.paragraphs),
                    method="hypothesis",
                    verdict="violated",
                    runs=runs,
                    seconds=seconds / len(invariants),
                    counterexample=str(path),
                    detail=detail,
                )
            )
        else:
            rows.append(
                Row(
                    name=inv.name,
                    paragraphs=list(inv.paragraphs),
                    method="hypothesis",
                    verdict=f"holds on {runs} runs",
                    runs=runs,
                    seconds=seconds / len(invariants),
                )
            )
    return rows


def _replay_rows(ruleset: Ruleset, folders: list[str]) -> list[Row]:
    from aurules.properties.backends import NAME as BACKENDS
    from aurules.properties.invariant_index import all_invariants
    from aurules.properties.replay_files import replay_folder

    results = [r for folder in dict.fromkeys(folders) for r in replay_folder(folder, ruleset)]
    results = [r for r in results if not r.skipped]
    rows = []
    named = [(inv.name, inv.paragraphs) for inv in all_invariants()] + [(BACKENDS, ())]
    for name, paragraphs in named:
        mine = [r for r in results if r.invariant == name]
        if not mine:
            continue
        still = [r for r in mine if r.violated]
        rows.append(
            Row(
                name=name,
                paragraphs=list(paragraphs),
                method="replay",
                verdict="violated" if still else f"holds on {len(mine)} saved",
                runs=len(mine),
                seconds=sum(r.seconds for r in mine),
                counterexample=str(still[0].path) if still else None,
                detail=still[0].detail if still else "",
            )
        )
    return rows


def _lifecycle_agreement_row(ruleset: Ruleset, profile: str, seed: int) -> Row:
    from hypothesis import given, settings
    from hypothesis import seed as seeded

    from aurules.model.evaluate import run
    from aurules.model.facts import derive
    from aurules.model.state import event_facts
    from aurules.model.symbolic.lifecycle import SymbolicStep
    from aurules.properties import profiles
    from aurules.properties.strategies import for_ruleset, lifecycles

    profiles.load(profile)
    symbolic = SymbolicStep(ruleset)
    runs, problems = 0, []

    @seeded(seed)
    @settings(derandomize=False, database=None)
    @given(lifecycles(max_events=8))
    def agree(scenario: Any) -> None:
        nonlocal runs
        runs += 1
        scenario = for_ruleset(scenario, ruleset)
        facts = derive(scenario, ruleset) if ruleset.structure.needs_binding else None
        for step in run(scenario, ruleset).steps:
            if not symbolic.agrees(
                step.before, event_facts(step.event), step.after, step.output, facts
            ):
                problems.append(f"step {step.index} ({step.event.type}) differs")
                raise AssertionError(problems[-1])

    started = time.perf_counter()
    with _recorded_failures(problems):
        agree()
    return Row(
        name="lifecycle_agrees_with_z3",
        paragraphs=[],
        method="hypothesis+z3",
        verdict="violated" if problems else f"holds on {runs} runs",
        runs=runs,
        seconds=time.perf_counter() - started,
        detail=problems[-1] if problems else "",
    )


def _machine_agreement_row(ruleset: Ruleset, profile: str, seed: int) -> Row:
    """The burst state machine (several learners, long lifecycles with restarts and leave)
    with the Z3 agreement check after every event (the invariants have their own rows)."""
    from hypothesis import seed as seeded
    from hypothesis import settings
    from hypothesis.stateful import get_state_machine_test

    from aurules.properties import profiles
    from aurules.properties.invariants import INVARIANTS
    from aurules.properties.machines import machine_for

    profiles.load(profile)
    machine = machine_for(
        ruleset, agreement=True, burst=True, ignore=frozenset(inv.name for inv in INVARIANTS)
    )
    test = get_state_machine_test(
        machine,
        settings=settings(
            derandomize=False,
            max_examples=MACHINE_EXAMPLES[profile] // 6,
            stateful_step_count=MACHINE_STEPS[profile],
            database=None,
            deadline=None,
        ),
    )
    started = time.perf_counter()
    with _recorded_failures(machine.disagreements):
        seeded(seed)(test)()
    runs, events = len(machine.runs), machine.steps[0]
    problem = machine.disagreements[-1] if machine.disagreements else ""
    return Row(
        name="lifecycle_machine_agrees_with_z3",
        paragraphs=[],
        method="hypothesis+z3",
        verdict="violated" if problem else f"holds on {runs} runs",
        runs=runs,
        seconds=time.perf_counter() - started,
        detail=problem or f"{events} events, each checked",
    )


def check_expectation(ruleset: Ruleset) -> None:
    """BadInput when the ruleset's `[expect] violated` names an invariant that does not
    exist (with the closest name)."""
    from aurules.model.errors import BadInput
    from aurules.model.expressions import close_match
    from aurules.properties.invariant_index import all_invariants

    names = [inv.name for inv in all_invariants()]
    for name in ruleset.structure.expect_violated or ():
        if name not in names:
            raise BadInput(
                ruleset.source or ruleset.id,
                "expect.violated",
                f"no invariant is named {name!r}{close_match(name, names)}",
            )


def run_checks(
    ruleset: Ruleset,
    *,
    profile: str = "ci",
    seed: int = 0,
    save: str = "counterexamples",
    progress: bool = False,
    editions: tuple[Ruleset, ...] = (),
) -> Report:
    """Run every check on a ruleset (one of `editions`, when several are checked together:
    the coverage check then looks at their periods)."""
    rows: list[Row] = []
    steps = [
        ("invariants (z3)", lambda: _z3_rows(ruleset, profile, seed, save)),
        (
            "invariants (hypothesis state machine)",
            lambda: _hypothesis_rows(ruleset, profile, seed, save),
        ),
        ("access invariants (z3)", lambda: _access_z3_rows(ruleset, profile, seed, save)),
        (
            "access invariants (hypothesis state machine)",
            lambda: _access_hypothesis_rows(ruleset, profile, seed, save),
        ),
        ("saved counterexamples", lambda: _replay_rows(ruleset, [save])),
        ("rule health (z3)", lambda: _health_rows(ruleset)),
        (
            "rule overlaps and claim conditions (z3)",
            lambda: [_overlap_row(ruleset), *_guard_health_rows(ruleset)],
        ),
        (
            "backend agreement (hypothesis + z3)",
            lambda: [_agreement_row(ruleset, profile, seed, save)],
        ),
        (
            "lifecycle agreement (hypothesis + z3)",
            lambda: [
                _lifecycle_agreement_row(ruleset, profile, seed),
                _machine_agreement_row(ruleset, profile, seed),
            ],
        ),
        ("catalogue", lambda: [_catalogue_row()]),
        ("ruleset coverage", lambda: [_coverage_row(editions)]),
    ]
    for number, (label, step) in enumerate(steps, 1):
        if progress:
            print(f"[{number}/{len(steps)}] {label}...", file=sys.stderr, flush=True)
        rows.extend(step())
    return Report(
        ruleset=ruleset.summary(),
        profile=profile,
        seed=seed,
        rows=rows,
        expected=ruleset.structure.expect_violated,
    )


def render(report: Report, fmt: str) -> str:
    """The report as text, JSON or JUnit XML."""
    if fmt == "json":
        return json.dumps(report.to_data(), indent=2)
    if fmt == "junit":
        return _junit(report)
    return _text(report)


def _short(paragraphs: list[str], width: int = 22) -> str:
    """The paragraphs for the text table: all of them when they fit, else the first few
    and how many more (JSON and JUnit always list them all)."""
    text = ", ".join(paragraphs)
    if len(text) <= width:
        return text
    shown: list[str] = []
    for paragraph in paragraphs:
        more = f" +{len(paragraphs) - len(shown) - 1}"
        if len(", ".join([*shown, paragraph])) + len(more) > width:
            break
        shown.append(paragraph)
    return f"{', '.join(shown)} +{len(paragraphs) - len(shown)}"


def _text(report: Report) -> str:
    """The report as a table (rich, plain text: no colour, so it reads the same in a log)."""
    import io

    from rich.box import SIMPLE_HEAD
    from rich.console import Console
    from rich.table import Table

    from aurules.model.catalogue import counts

    table = Table(box=SIMPLE_HEAD, show_edge=False, pad_edge=False)
    for name, justify in (
        ("check", "left"),
        ("paragraphs", "left"),
        ("method", "left"),
        ("verdict", "left"),
        ("s", "right"),
        ("counterexample", "left"),
    ):
        table.add_column(name, justify=justify, no_wrap=name != "paragraphs")  # type: ignore[arg-type]
    for row in report.rows:
        table.add_row(
            row.name,
            _short(row.paragraphs),
            row.method,
            row.verdict,
            f"{row.seconds:.2f}",
            row.counterexample or "",
        )
    buffer = io.StringIO()
    Console(file=buffer, width=200, color_system=None, soft_wrap=True).print(table)
    tally = {
        s: sum(1 for r in report.rows if r.status == s) for s in ("holds", "violated", "unknown")
    }
    catalogue = ", ".join(f"{n} {s}" for s, n in counts().items())
    closing = (
        f"{len(report.rows)} checks: {tally['holds']} hold, {tally['violated']} violated, "
        f"{tally['unknown']} unknown"
    )
    if report.violated:
        closing += f" (violated: {', '.join(report.violated)})"
    unknown = list(dict.fromkeys(r.name for r in report.rows if r.status == "unknown"))
    if unknown:
        closing += f" (unknown: {', '.join(unknown)})"
    details = [
        f"{row.name} [{row.method}]: {_readable(row)}"
        for row in report.rows
        if row.detail and row.status != "holds"
    ]
    lines = [
        f"ruleset {report.ruleset['id']} ({report.ruleset['hash']}), profile "
        f"{report.profile}, seed {report.seed}",
        "",
        buffer.getvalue().rstrip(),
        *(["", "details:", *details] if details else []),
        "",
        closing,
        f"catalogue: {catalogue}",
    ]
    if report.expected is not None:
        expected = ", ".join(report.expected) or "none"
        if report.as_expected:
            lines.append(f"expected violations ({expected}): as expected")
        else:
            missing = sorted(set(report.expected) - set(report.violated))
            extra = [n for n in report.violated if n not in report.expected]
            parts = [f"not violated: {', '.join(missing)}"] if missing else []
            parts += [f"violated unexpectedly: {', '.join(extra)}"] if extra else []
            lines.append(f"expected violations ({expected}): NOT as expected; {'; '.join(parts)}")
    return "\n".join(lines)


def _junit(report: Report) -> str:
    """JUnit XML under a `testsuites` root. The saved counterexamples replayed (which vary
    with the folder) are one test case, so names and counts stay the same from run to run; a
    failure's message names the invariant, its paragraphs and the saved file."""
    import datetime as dt

    fixed = [row for row in report.rows if row.method != "replay"]
    replayed = [row for row in report.rows if row.method == "replay"]
    cases = len(fixed) + 1
    failures = sum(r.status == "violated" for r in fixed) + any(
        r.status == "violated" for r in replayed
    )
    skipped = sum(r.status == "unknown" for r in fixed)
    stamp = dt.datetime.now(dt.UTC).replace(microsecond=0, tzinfo=None).isoformat()
    root = ET.Element(
        "testsuites",
        name="aurules check",
        tests=str(cases),
        failures=str(failures),
        errors="0",
        skipped=str(skipped),
    )
    suite = ET.SubElement(
        root,
        "testsuite",
        name=f"aurules check {report.ruleset['id']}",
        tests=str(cases),
        failures=str(failures),
        errors="0",
        skipped=str(skipped),
        timestamp=stamp,
        time=f"{sum(r.seconds for r in report.rows):.3f}",
    )
    for row in fixed:
        case = ET.SubElement(
            suite,
            "testcase",
            classname=f"aurules.check.{row.method}",
            name=f"{row.name} [{row.method}]",
            time=f"{row.seconds:.3f}",
        )
        if row.status == "violated":
            _failure(case, row)
        elif row.status == "unknown":
            ET.SubElement(case, "skipped", message=f"{row.name}: {row.verdict}")
    case = ET.SubElement(
        suite,
        "testcase",
        classname="aurules.check.replay",
        name="saved counterexamples [replay]",
        time=f"{sum(r.seconds for r in replayed):.3f}",
    )
    for row in replayed:
        if row.status == "violated":
            _failure(case, row)
            break
    return ET.tostring(root, encoding="unicode")


def _readable(row: Row) -> str:
    """A violated row's detail, led by the saved counterexample's sentence (which event, on
    which date, broke the invariant and how) where there is one."""
    if row.counterexample:
        try:
            saved = json.loads(Path(row.counterexample).read_text("utf-8"))
        except (OSError, ValueError):
            return row.detail
        words = saved.get("violation", {}).get("sentence") if isinstance(saved, dict) else None
        if words:
            values = row.detail.partition("Values: ")[2]
            return f"{words}." + (f" Values: {values}" if values else "")
    return row.detail


def _failure(case: Any, row: Row) -> None:
    where = f" ({', '.join(row.paragraphs)})" if row.paragraphs else ""
    saved = f"; counterexample {row.counterexample}" if row.counterexample else ""
    failure = ET.SubElement(
        case, "failure", message=f"{row.name}{where} violated ({row.method}){saved}"
    )
    failure.text = _readable(row) + (
        f"\ncounterexample: {row.counterexample}" if row.counterexample else ""
    )
