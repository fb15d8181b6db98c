"""The paragraph catalogue: every paragraph of the funding rules and of the access guide, with
its status (`encoded`, `process-only`, `out-of-scope`), where it lives, and a summary.

Summaries, statuses and reasons are data (`model/catalogue.toml`); `where` is computed from
the rule registry, so it cannot drift from the code. `problems()` lists every disagreement
between the two (a test keeps it empty).
"""

from __future__ import annotations

import tomllib
from importlib import resources
from typing import Literal

import attrs

from aurules.model.parameters import declared
from aurules.model.registry import paragraph_key
from aurules.model.rulebook import all_rules

Status = Literal["encoded", "process-only", "out-of-scope"]
STATUSES: tuple[str, ...] = ("encoded", "process-only", "out-of-scope")


@attrs.frozen(kw_only=True)
class Entry:
    """One paragraph of the catalogue."""

    paragraph: str
    status: Status
    where: str
    summary: str
    reason: str = ""
    parameters: tuple[str, ...] = ()

    def to_data(self) -> dict[str, object]:
        data: dict[str, object] = {
            "paragraph": self.paragraph,
            "status": self.status,
            "where": self.where,
            "summary": self.summary,
        }
        if self.reason:
            data["reason"] = self.reason
        if self.parameters:
            data["parameters"] = list(self.parameters)
        return data


def _raw() -> list[dict[str, str]]:
    text = resources.files("aurules.model").joinpath("catalogue.toml").read_text("utf-8")
    rows: list[dict[str, str]] = tomllib.loads(text)["paragraph"]
    return rows


def encoded_where() -> dict[str, list[str]]:
    """Paragraph id -> the rules that encode or rely on it."""
    out: dict[str, list[str]] = {}
    for rule in all_rules():
        for paragraph in (*rule.paragraphs, *rule.cites):
            out.setdefault(paragraph, []).append(rule.where)
    return out


def _parameters_by_paragraph() -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for info in declared():
        for paragraph in info.paragraph.split(","):
            out.setdefault(paragraph.strip(), []).append(info.key)
    return out


def catalogue() -> list[Entry]:
    """Every paragraph, in text order."""
    where = encoded_where()
    params = _parameters_by_paragraph()
    entries = []
    for row in _raw():
        paragraph = row["id"]
        entries.append(
            Entry(
                paragraph=paragraph,
                status=row["status"],  # type: ignore[arg-type]
                where=", ".join(where.get(paragraph, [])),
                summary=row["summary"],
                reason=row.get("reason", ""),
                parameters=tuple(params.get(paragraph, [])),
            )
        )
    return entries


def problems() -> list[str]:
    """Every inconsistency between the catalogue data and the code (empty when sound)."""
    out = []
    entries = catalogue()
    ids = [e.paragraph for e in entries]
    seen: set[str] = set()
    for paragraph in ids:
        if paragraph in seen:
            out.append(f"{paragraph}: listed twice")
        seen.add(paragraph)
    if ids != sorted(ids, key=paragraph_key):
        out.append("paragraphs are not in text order")
    for entry in entries:
        if entry.status not in STATUSES:
            out.append(f"{entry.paragraph}: unknown status {entry.status!r}")
        if not entry.summary.strip():
            out.append(f"{entry.paragraph}: no summary")
        if entry.status == "encoded" and not entry.where:
            out.append(f"{entry.paragraph}: marked encoded but no rule cites it")
        if entry.status != "encoded" and entry.where:
            out.append(
                f"{entry.paragraph}: rules cite it ({entry.where}) but it is marked {entry.status}"
            )
        if entry.status != "encoded" and not entry.reason:
            out.append(f"{entry.paragraph}: {entry.status} without a reason")
    for paragraph in encoded_where():
        if paragraph not in seen:
            out.append(f"{paragraph}: cited by a rule but missing from the catalogue")
    for paragraph in _parameters_by_paragraph():
        if paragraph not in seen:
            out.append(f"{paragraph}: a parameter cites it but it is missing from the catalogue")
    return out


def counts() -> dict[str, int]:
    """Number of paragraphs per status."""
    out = dict.fromkeys(STATUSES, 0)
    for entry in catalogue():
        out[entry.status] += 1
    return out
