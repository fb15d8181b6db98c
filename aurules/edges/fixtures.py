"""`aurules fixtures`: edge-case scenarios with their expected outcomes, for test teams.

For every start-of-unit rule, Z3 finds (1) the learner nearest the minimal scenario for whom
that rule alone fails (every other rule passes: the condition changes the outcome on its own,
MC/DC style), and (2) the nearest learner back across the threshold, for whom every rule
passes. Both are rebuilt as scenarios, evaluated, and kept only when the evaluation confirms
what Z3 said. Each fixture is `{"id", "paragraphs", "description", "ruleset", "scenario",
"expected"}` with a content-hash id. Deterministic for a ruleset (no randomness is used, so
no seed is needed).

Beside them come the hand-built edges of `aurules.edges.hand_built` (birthdays on the start date and
on 29 February, the ruleset's first and last days, 16 weeks and a day, reservation and
transfer month ends, milestone thresholds, deadlines, extensions, KIT days), each confirmed
against the outcome its construction states, and the lifecycle guards' own MC/DC fixtures
from `aurules.edges.claims`.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

import z3

from aurules.model.calendar import day_number
from aurules.model.evaluate import evaluate
from aurules.model.facts import derive
from aurules.model.registry import paragraph_key
from aurules.model.rulebook import start_rules
from aurules.model.ruleset import Ruleset
from aurules.model.scenario import MINIMAL, Scenario
from aurules.model.symbolic.reconstruct import FREE
from aurules.model.values_z3 import Z3


def fixture(
    paragraphs: tuple[str, ...],
    description: str,
    data: dict[str, Any],
    ruleset: Ruleset,
    expected: dict[str, Any],
) -> dict[str, Any]:
    """A fixture record in the contract's format, its id the hash of its content."""
    body = {
        "paragraphs": list(paragraphs),
        "description": description,
        "ruleset": {"id": ruleset.id, "hash": ruleset.hash},
        "scenario": data,
        "expected": expected,
    }
    text = json.dumps(body, sort_keys=True, separators=(",", ":"))
    return {"id": hashlib.sha256(text.encode()).hexdigest()[:12], **body}


def fixtures(ruleset: Ruleset, paragraph: str | None = None) -> list[dict[str, Any]]:
    """Every fixture (or those for `paragraph`): start rules, then the edges."""
    found, _ = fixtures_and_problems(ruleset, paragraph)
    return found


def fixtures_and_problems(
    ruleset: Ruleset, paragraph: str | None = None, progress: Any = None
) -> tuple[list[dict[str, Any]], list[str]]:
    """The fixtures, and the edges left out because their evaluation disagrees with their
    construction (each a readable line; none on the official ruleset). `progress(stage)` is
    told when each stage starts."""
    from aurules.edges.claims import guard_fixtures  # the lifecycle's BMC lives there
    from aurules.edges.hand_built import date_edges

    say = progress or (lambda stage: None)
    say("start rules: each failing alone, and back across its threshold (Z3)")
    found = start_fixtures(ruleset, paragraph)
    say("date and count edges")
    kept, problems = date_edges(ruleset)
    for edge, outcome in kept:
        if paragraph is None or paragraph in edge.paragraphs:
            found.append(
                fixture(edge.paragraphs, edge.description, edge.scenario, ruleset, outcome)
            )
    say("claim conditions: each refusing a claim alone (Z3 over event sequences)")
    for paragraphs, description, data, outcome in guard_fixtures(ruleset, paragraph):
        found.append(fixture(paragraphs, description, data, ruleset, outcome))
    return _unique(found), problems


def _unique(found: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The first fixture of each scenario (the start search and the edges can meet)."""
    seen: set[str] = set()
    out = []
    for item in found:
        key = json.dumps(item["scenario"], sort_keys=True)
        if key not in seen:
            seen.add(key)
            out.append(item)
    return out


def start_fixtures(ruleset: Ruleset, paragraph: str | None = None) -> list[dict[str, Any]]:
    """Boundary fixtures for every start rule (or those encoding `paragraph`)."""
    from aurules.model.symbolic.start_space import nearest, scenario_for, start_space

    minimal = Scenario.from_data(MINIMAL)
    new_facts = ruleset.structure.facts
    base_facts = derive(minimal, ruleset)
    facts, constraints = start_space(base_facts, day_number(ruleset.valid_to), new_facts)
    bound = ruleset.bind(facts, Z3)
    rules = list(start_rules(ruleset))
    base = {name: getattr(base_facts, name) for name in FREE}
    base |= {new.path: new.default for new in new_facts}
    names = list(base)
    out = []
    for rule in rules:
        if paragraph is not None and paragraph not in (*rule.paragraphs, *rule.cites):
            continue
        others = [r(facts, bound, Z3) for r in rules if r is not rule]
        this = rule(facts, bound, Z3)
        answer, failing = nearest(facts, constraints, z3.And(z3.Not(this), *others), base)
        if answer != "sat":
            continue  # the rule cannot fail alone (or Z3 gave up): no fixture for it
        fail_data = scenario_for(failing, base, new_facts)
        fail_outcome = evaluate(
            Scenario.from_data(fail_data, "<fixture>", new_facts), ruleset
        ).to_data()
        if fail_outcome["failed_paragraphs"] != sorted(rule.paragraphs, key=paragraph_key):
            continue  # the rebuilt scenario does not isolate the rule: not a fixture
        changed = _inputs(n for n in names if failing[n] != base[n])
        out.append(
            fixture(
                rule.paragraphs,
                f"{rule.summary_under(ruleset)} Fails on its own when {changed} "
                f"{'change' if ',' in changed else 'changes'} from the minimal scenario.",
                fail_data,
                ruleset,
                fail_outcome,
            )
        )
        answer, passing = nearest(facts, constraints, z3.And(this, *others), failing)
        if answer != "sat":
            continue
        pass_data = scenario_for(passing, base, new_facts)
        pass_outcome = evaluate(
            Scenario.from_data(pass_data, "<fixture>", new_facts), ruleset
        ).to_data()
        if not pass_outcome["eligible"] or pass_data == fail_data:
            continue
        moved = _inputs(n for n in names if passing[n] != failing[n])
        out.append(
            fixture(
                rule.paragraphs,
                f"{rule.summary_under(ruleset)} Passes just across the threshold: "
                f"{moved} moved back as little as possible.",
                pass_data,
                ruleset,
                pass_outcome,
            )
        )
    return out


def _inputs(names: Any) -> str:
    """The scenario fields behind these facts, as a person writes them (`start_day` is
    `plan.start_date`; a proposal's new fact is its own path)."""
    import attrs

    from aurules.model.facts import Facts

    fields = attrs.fields_dict(Facts)
    out: list[str] = []
    for name in names:
        sources = name if name not in fields else str(fields[name].metadata["sources"])
        out += [s.strip() for s in sources.split(",")]
    return ", ".join(dict.fromkeys(out))


def coverage(
    found: list[dict[str, Any]], ruleset: Ruleset | None = None
) -> tuple[dict[str, int], dict[str, int]]:
    """Fixtures per paragraph: of the start rules, and of the lifecycle's claim conditions
    and effects (funding rules only), every encoded paragraph listed, 0 where none (the
    rules in force under `ruleset`, a proposal's own among them)."""
    from aurules.model.rulebook import all_rules

    counts: dict[str, int] = {}
    for item in found:
        for paragraph in item["paragraphs"]:
            counts[paragraph] = counts.get(paragraph, 0) + 1
    start = {p for r in start_rules(ruleset) for p in r.paragraphs}
    lifecycle = {
        p
        for r in all_rules(ruleset)
        if r.kind != "start" and r.module != "aurules.model.rules.access"
        for p in r.paragraphs
    } - start
    return (
        {p: counts.get(p, 0) for p in sorted(start, key=paragraph_key)},
        {p: counts.get(p, 0) for p in sorted(lifecycle, key=paragraph_key)},
    )


def write_fixtures(found: list[dict[str, Any]], folder: str, fmt: str) -> list[str]:
    """Write fixtures atomically: one JSON file each (named by id), or one JSON-lines or CSV
    file. Returns the paths written."""
    from pathlib import Path

    from aurules.model.atomic import write_text

    root = Path(folder)  # made by the first file written (and removed if it fails)

    def atomic(path: Path, text: str) -> str:
        return str(write_text(path, text))

    if fmt == "json":
        return [atomic(root / f"{f['id']}.json", json.dumps(f, indent=2) + "\n") for f in found]
    if fmt == "jsonl":
        return [atomic(root / "fixtures.jsonl", "".join(json.dumps(f) + "\n" for f in found))]
    from aurules.expectations.files import csv_text

    return [atomic(root / "fixtures.csv", csv_text(found))]
