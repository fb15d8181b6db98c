"""Saved counterexamples: one pretty-printed JSON file each, named by a short content hash,
written atomically, never overwritten, safe with parallel writers.

A file is `{"id", "invariant", "paragraphs", "ruleset": {"id", "hash"}, "found_by", "seed",
"scenario", "violation": {"step", "detail"}}`; its `scenario` replays through
`aurules evaluate`.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

from aurules.model.atomic import write_text

ID_LENGTH = 12


def content_id(record: dict[str, Any]) -> str:
    """A short hash of everything but the id itself."""
    body = {k: v for k, v in record.items() if k != "id"}
    text = json.dumps(body, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()[:ID_LENGTH]


def save(record: dict[str, Any], folder: str | Path) -> Path:
    """Write `record` as `<folder>/<id>.json` unless an identical file exists; returns the
    path. The file appears complete or not at all (write to a temporary file, then link it
    into place, which fails rather than replaces if the name is taken)."""
    record = {"id": content_id(record), **{k: v for k, v in record.items() if k != "id"}}
    target = Path(folder) / f"{record['id']}.json"  # the folder is made by write_text
    if target.exists():
        return target  # same content, same name: already saved
    text = json.dumps(record, indent=2, ensure_ascii=False) + "\n"
    # linked into place, never replacing: if a parallel writer saved the same content first,
    # its file stays
    return write_text(target, text, replace=False)


def load_all(folder: str | Path) -> list[tuple[Path, dict[str, Any]]]:
    """Every saved counterexample in a folder, sorted by file name."""
    out = []
    for path in sorted(Path(folder).glob("*.json")):
        out.append((path, json.loads(path.read_text("utf-8"))))
    return out
