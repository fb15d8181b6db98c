"""Replaying saved counterexample files: does each still violate its invariant under a
ruleset? Used by `aurules replay`, by `aurules check` and by the regression test."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import attrs

from aurules.model.errors import BadInput
from aurules.model.ruleset import Ruleset
from aurules.model.scenario import Scenario, is_access
from aurules.properties.backends import NAME as BACKENDS
from aurules.properties.backends import replayed
from aurules.properties.invariant_index import all_invariants
from aurules.properties.replay import first_violation

REQUIRED = ("id", "invariant", "paragraphs", "ruleset", "found_by", "seed", "scenario", "violation")
OPTIONAL = {"description"}
SHAPES = (
    ("id", str, "a string"),
    ("invariant", str, "an invariant's name as a string"),
    ("paragraphs", list, "a list of paragraph ids"),
    ("ruleset", dict, "an object with the ruleset's id and hash"),
    ("found_by", str, "a string"),
    ("seed", int, "a whole number"),
    ("scenario", dict, "a scenario object"),
    ("violation", dict, "an object with the step and detail"),
)
"""The type of each field of a counterexample file."""


@attrs.frozen(kw_only=True)
class ReplayResult:
    path: Path
    invariant: str
    violated: bool
    detail: str
    seconds: float
    skipped: str = ""
    """Why the file was not replayed under this ruleset (its scenario sets a field that only
    another proposal declares), or ""."""
    record: dict[str, Any] = attrs.field(eq=False, repr=False)


def load_record(path: Path) -> dict[str, Any]:
    """A counterexample file, checked for the format's fields (BadInput otherwise)."""
    from aurules.model.scenario import plain_numbers, read_json, read_text

    # exact decimals, one key once, nesting and number sizes bounded: as a scenario file
    record = plain_numbers(read_json(read_text(path), str(path)), str(path), MAX_PLACES)
    if not isinstance(record, dict):
        raise BadInput(str(path), "", "expected a counterexample object")
    for key in REQUIRED:
        if key not in record:
            raise BadInput(str(path), key, "required field is missing")
    unknown = sorted(set(record) - set(REQUIRED) - OPTIONAL)
    if unknown:
        raise BadInput(str(path), unknown[0], "unknown field")
    for key, kind, what in SHAPES:
        if not isinstance(record[key], kind) or isinstance(record[key], bool):
            raise BadInput(str(path), key, f"expected {what}")
    names = {inv.name for inv in all_invariants()} | {BACKENDS}
    if record["invariant"] not in names:
        raise BadInput(str(path), "invariant", f"unknown invariant {record['invariant']!r}")
    return record


MAX_PLACES = 6
"""The most decimal places any number of a scenario has (a share of working time)."""


def replay_file(path: Path, ruleset: Ruleset) -> ReplayResult:
    """Replay one file under a ruleset."""
    record = load_record(path)
    started = time.perf_counter()
    try:
        violation = replay_record(record, ruleset, f"{path}: scenario")
    except BadInput as exc:
        foreign = _foreign_field(exc, record, ruleset)
        if not foreign:
            raise
        return ReplayResult(
            path=path,
            invariant=record["invariant"],
            violated=False,
            detail="",
            record=record,
            seconds=time.perf_counter() - started,
            skipped=foreign,
        )
    return ReplayResult(
        path=path,
        invariant=record["invariant"],
        violated=violation is not None,
        detail=violation.detail if violation else "",
        record=record,
        seconds=time.perf_counter() - started,
    )


def replay_record(record: dict[str, Any], ruleset: Ruleset, source: str) -> Any:
    """The first violation of the record's invariant by its scenario, or None."""
    if is_access(record["scenario"]):
        from aurules.model.access_scenario import AccessScenario
        from aurules.properties.access_replay import access_violations

        trace = AccessScenario.from_data(record["scenario"], source)
        found = [
            v
            for v in access_violations(trace, ruleset, source)
            if v.invariant == record["invariant"]
        ]
        return found[0] if found else None
    scenario = Scenario.from_data(record["scenario"], source, ruleset.new_facts)
    if record["invariant"] == BACKENDS:
        return replayed(scenario, ruleset)
    return first_violation(scenario, ruleset, record["invariant"])


def _foreign_field(exc: BadInput, record: dict[str, Any], ruleset: Ruleset) -> str:
    """Why a file found under another ruleset cannot be replayed under this one: its
    scenario sets a field that ruleset declared and this one does not ("" otherwise)."""
    saved_under = (
        record.get("ruleset", {}).get("id") if isinstance(record.get("ruleset"), dict) else None
    )
    if not exc.problem.startswith("unknown field") or saved_under == ruleset.id:
        return ""
    return f"found under {saved_under}, whose field {exc.field} {ruleset.id} does not have"


def violation_sentence(result: ReplayResult, ruleset: Ruleset) -> str:
    """How a replayed file's scenario breaks its invariant under `ruleset`, in a sentence
    (its detail for an access trace or a backend disagreement)."""
    from aurules.properties.replay import sentence

    record = result.record
    if is_access(record["scenario"]) or record["invariant"] == BACKENDS:
        return result.detail
    scenario = Scenario.from_data(record["scenario"], str(result.path), ruleset.new_facts)
    return sentence(scenario, ruleset, record["invariant"]) or result.detail


def replay_folder(folder: str | Path, ruleset: Ruleset) -> list[ReplayResult]:
    """Replay every `*.json` file of a folder (none if the folder does not exist)."""
    root = Path(folder)
    if not root.is_dir():
        return []
    return [replay_file(path, ruleset) for path in sorted(root.glob("*.json"))]
