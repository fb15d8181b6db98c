"""Reading and writing files of scenarios with their expected outcomes, in every form the
tools write them:

- a fixture as JSON (`aurules fixtures --format json`): `{"id", "paragraphs", "description",
  "ruleset", "scenario", "expected"}`;
- fixtures as JSON lines (`--format jsonl`), one per line;
- fixtures as CSV (`--format csv`): one row each, the outcome in columns (`eligible`,
  `failed_paragraphs`, `status`, and `payments`, `refused`, `totals`, `planned` as JSON);
- a scenario `X.json` beside its outcome `X.outcome.json` (as in `examples/access/`).

Each becomes `Case`s; `write_expected` puts new expectations back in the same form.
"""

from __future__ import annotations

import csv
import io
import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import attrs

from aurules.model.atomic import write_text
from aurules.model.errors import BadInput
from aurules.model.scenario import plain_numbers, read_json

CSV_COLUMNS = (
    "id",
    "paragraphs",
    "description",
    "eligible",
    "failed_paragraphs",
    "status",
    "payments",
    "refused",
    "totals",
    "planned",
    "scenario",
)
"""The CSV form of a fixture: the outcome's parts in columns (lists and amounts as JSON)."""
JSON_PARTS = ("payments", "refused", "totals", "planned")
OUTCOME_SUFFIX = ".outcome.json"


@attrs.frozen(kw_only=True)
class Case:
    """One scenario and what it is expected to give."""

    source: Path
    where: str
    """Where in the file: "" for a whole file, "line 3", "row 2"."""
    name: str
    """The fixture's id, or the file's name."""
    description: str
    paragraphs: tuple[str, ...]
    scenario: Any
    expected: dict[str, Any]
    recorded_under: dict[str, Any] = attrs.field(factory=dict)

    @property
    def label(self) -> str:
        return f"{self.source}{f' ({self.where})' if self.where else ''}"


def found_files(paths: list[str]) -> list[Path]:
    """The files named, and in the folders named every `*.json`, `*.jsonl` and `*.csv` (an
    outcome file beside its scenario is read with it), in name order."""
    out: list[Path] = []
    for given in paths:
        path = Path(given)
        if path.is_dir():
            out += sorted(
                p
                for p in _walk(path)
                if p.suffix in (".json", ".jsonl", ".csv")
                and not p.name.endswith(OUTCOME_SUFFIX)
                and not p.name.startswith(".")
            )
        elif path.is_file():
            out.append(path)
        else:
            raise BadInput(str(path), "", "no such file or folder")
    return list(dict.fromkeys(out))


def _walk(folder: Path) -> Iterator[Path]:
    """Every file under a folder; a folder that cannot be read is bad input (one line)."""

    def refuse(exc: OSError) -> None:
        raise BadInput(str(exc.filename or folder), "", f"cannot be read ({exc.strerror or exc})")

    for root, _, names in os.walk(folder, onerror=refuse):
        for name in names:
            yield Path(root) / name


def read_cases(path: Path) -> list[Case]:
    """Every case in one file."""
    if path.suffix == ".csv":
        return _csv_cases(path)
    text = _text(path)
    if path.suffix == ".jsonl":
        cases = []
        for number, line in enumerate(text.splitlines(), start=1):
            if line.strip():
                cases.append(_fixture(_json(line, path, f"line {number}"), path, f"line {number}"))
        return cases
    data = _json(text, path, "")
    if isinstance(data, dict) and "scenario" in data and "expected" in data:
        return [_fixture(data, path, "")]
    outcome = path.with_name(path.name.removesuffix(".json") + OUTCOME_SUFFIX)
    if not outcome.is_file():
        raise BadInput(
            str(path),
            "",
            "neither a fixture (with scenario and expected) nor a scenario with its expected "
            f"outcome beside it ({outcome.name})",
        )
    expected = _json(_text(outcome), outcome, "")
    if not isinstance(expected, dict):
        raise BadInput(str(outcome), "", "expected an outcome object")
    return [
        Case(
            source=path,
            where="",
            name=path.name,
            description="",
            paragraphs=(),
            scenario=data,
            expected=expected,
        )
    ]


def _text(path: Path) -> str:
    try:
        return path.read_text("utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise BadInput(str(path), "", f"cannot be read ({exc})") from None


def _json(text: str, path: Path, where: str) -> Any:
    """JSON as every input is read (exact decimals, a key once), errors naming `where`."""
    try:
        return read_json(text, str(path))
    except BadInput as exc:
        raise BadInput(str(path), where or exc.field, exc.problem) from None


def _fixture(data: Any, path: Path, where: str) -> Case:
    if not isinstance(data, dict):
        raise BadInput(str(path), where, "expected a fixture object")
    for key in ("scenario", "expected"):
        if key not in data:
            raise BadInput(
                str(path), f"{where}: {key}" if where else key, "required field is missing"
            )
    if not isinstance(data["expected"], dict):
        raise BadInput(str(path), "expected", "expected an outcome object")
    return Case(
        source=path,
        where=where,
        name=str(data.get("id") or path.name),
        description=str(data.get("description", "")),
        paragraphs=tuple(str(p) for p in data.get("paragraphs", [])),
        scenario=data["scenario"],
        expected=plain_numbers(data["expected"], str(path)),
        recorded_under=dict(data["ruleset"]) if isinstance(data.get("ruleset"), dict) else {},
    )


def _csv_cases(path: Path) -> list[Case]:
    rows = list(csv.DictReader(io.StringIO(_text(path))))
    cases = []
    for number, row in enumerate(rows, start=2):
        where = f"row {number}"
        if not row.get("scenario"):
            raise BadInput(str(path), f"{where}: scenario", "required value is missing")
        expected: dict[str, Any] = {}
        if row.get("eligible"):
            flag = row["eligible"].strip().lower()
            if flag not in ("true", "false"):
                raise BadInput(
                    str(path),
                    f"{where}: eligible",
                    f"expected true or false, got {row['eligible']!r}",
                )
            expected["eligible"] = flag == "true"
        if "failed_paragraphs" in row and row["failed_paragraphs"] is not None:
            expected["failed_paragraphs"] = row["failed_paragraphs"].split()
        if row.get("status"):
            expected["status"] = row["status"]
        for part in JSON_PARTS:
            if row.get(part):
                expected[part] = _json(row[part], path, f"{where}: {part}")
        cases.append(
            Case(
                source=path,
                where=where,
                name=row.get("id") or f"{path.name} {where}",
                description=row.get("description", ""),
                paragraphs=tuple((row.get("paragraphs") or "").split()),
                scenario=_json(row["scenario"], path, f"{where}: scenario"),
                expected=plain_numbers(expected, str(path)),
            )
        )
    return cases


def write_expected(path: Path, updates: dict[str, dict[str, Any]]) -> None:
    """Rewrite `path` with new expected outcomes for the cases named in `updates` (by
    `where`, "" for a whole file), in the file's own form; everything else is kept."""
    if path.suffix == ".csv":
        reader = csv.DictReader(io.StringIO(_text(path)))
        columns = list(reader.fieldnames or CSV_COLUMNS)
        columns += [c for c in CSV_COLUMNS if c not in columns]
        rows = []
        for number, row in enumerate(reader, start=2):
            if f"row {number}" in updates:
                row.update(expected_columns(updates[f"row {number}"]))
            rows.append(row)
        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, fieldnames=columns, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
        write_text(path, buffer.getvalue())
        return
    if path.suffix == ".jsonl":
        out = []
        for number, line in enumerate(_text(path).splitlines(), start=1):
            if f"line {number}" in updates and line.strip():
                data = json.loads(line)
                data["expected"] = updates[f"line {number}"]
                out.append(json.dumps(data))
            else:
                out.append(line)
        write_text(path, "\n".join(out) + "\n")
        return
    data = json.loads(_text(path))
    if isinstance(data, dict) and "scenario" in data and "expected" in data:
        data["expected"] = updates[""]
        write_text(path, json.dumps(data, indent=2) + "\n")
        return
    outcome = path.with_name(path.name.removesuffix(".json") + OUTCOME_SUFFIX)
    write_text(outcome, json.dumps(updates[""], indent=2) + "\n")


def expected_columns(expected: dict[str, Any]) -> dict[str, str]:
    """An outcome in the CSV columns (booleans lowercase, lists and amounts as JSON)."""
    out = {
        "eligible": "true" if expected.get("eligible") else "false",
        "failed_paragraphs": " ".join(expected.get("failed_paragraphs", [])),
        "status": str(expected.get("status", "")),
    }
    out |= {part: json.dumps(expected[part]) if part in expected else "" for part in JSON_PARTS}
    return out


def csv_text(fixtures: list[dict[str, Any]]) -> str:
    """Fixtures as CSV (`CSV_COLUMNS`)."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=CSV_COLUMNS, lineterminator="\n")
    writer.writeheader()
    for f in fixtures:
        writer.writerow(
            {
                "id": f.get("id", ""),
                "paragraphs": " ".join(f.get("paragraphs", [])),
                "description": f.get("description", ""),
                **expected_columns(f["expected"]),
                "scenario": json.dumps(f["scenario"]),
            }
        )
    return buffer.getvalue()
