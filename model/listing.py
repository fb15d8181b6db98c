"""What `aurules params` and `aurules facts` list: every parameter of a ruleset (with its
bands) and every name a proposal's expressions may read."""

from __future__ import annotations

from typing import Any

from aurules.model.expressions import FUNCTIONS
from aurules.model.parameters import declared
from aurules.model.ruleset import Ruleset
from aurules.model.vocabulary import claim_names, param_names


def _show(value: Any) -> Any:
    return value if isinstance(value, bool | int) else str(value)


def parameter_rows(ruleset: Ruleset) -> list[dict[str, Any]]:
    """One row per parameter and interpretation, in declaration order."""
    bands = {b.key: b for b in ruleset.structure.bands}
    rows: list[dict[str, Any]] = []
    for info in declared():
        section, name = info.key.split(".")
        value = getattr(getattr(ruleset, section), name)
        row: dict[str, Any] = {
            "key": info.key,
            "value": _show(value),
            "unit": info.unit,
            "paragraph": info.paragraph,
            "description": info.description,
        }
        banding = bands.get(info.key)
        if banding is not None:
            row["value"] = None
            row["by"] = banding.by
            row["bands"] = [
                {"below": b.below_data, "value": _show(b.value)}
                if b.below is not None
                else {"value": _show(b.value)}
                for b in banding.bands
            ]
            parts = [
                f"<{b['below']}: {b['value']}" if "below" in b else f"else {b['value']}"
                for b in row["bands"]
            ]
            row["bands_text"] = f"by {banding.by}: " + ", ".join(parts)
        rows.append(row)
    return rows


def fact_rows(ruleset: Ruleset) -> list[dict[str, Any]]:
    """Every name an expression may read under `ruleset`, then the functions."""
    names = {**claim_names(ruleset.structure.facts), **param_names(ruleset)}
    new = {f.path for f in ruleset.structure.facts}
    rows = []
    for name, entry in names.items():
        where = "claim" if entry.claim_only else "any"
        rows.append(
            {
                "name": name,
                "type": str(entry.type) if entry.type.kind != "enum" else "choice",
                "options": list(entry.type.options),
                "where": where,
                "new": name in new,
                "meaning": entry.meaning,
            }
        )
    for function, meaning in FUNCTIONS.items():
        rows.append(
            {
                "name": f"{function}(...)",
                "type": "function",
                "options": [],
                "where": "any",
                "new": False,
                "meaning": meaning,
            }
        )
    return rows
