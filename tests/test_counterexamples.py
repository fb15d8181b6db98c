"""Every saved counterexample replays: it holds under the official ruleset (or the model has
regressed) and still violates its invariant under the ruleset it was found under (or the
model has changed and the file must be looked at). Files are well formed and named by their
content hash."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from aurules.model.errors import BadInput
from aurules.model.ruleset import load_ruleset, official
from aurules.properties.counterexamples import content_id, save
from aurules.properties.replay_files import REQUIRED, load_record, replay_file

ROOT = Path(__file__).resolve().parent.parent
FILES = sorted((ROOT / "counterexamples").glob("*.json"))


def test_there_are_saved_counterexamples_to_replay() -> None:
    assert FILES, "counterexamples/ should hold the example proposals' counterexamples"


@pytest.mark.parametrize("path", FILES, ids=[p.stem for p in FILES])
def test_saved_counterexample_is_well_formed_and_named_by_its_content(path: Path) -> None:
    record = load_record(path)
    assert set(REQUIRED) <= set(record)
    assert path.stem == record["id"] == content_id(record)


@pytest.mark.parametrize("path", FILES, ids=[p.stem for p in FILES])
def test_saved_counterexample_holds_under_the_official_ruleset(path: Path) -> None:
    assert not replay_file(path, official()).violated


@pytest.mark.parametrize("path", FILES, ids=[p.stem for p in FILES])
def test_saved_counterexample_still_violates_under_its_own_ruleset(path: Path) -> None:
    source = load_record(path)["ruleset"].get("source", "")
    if not source or not (ROOT / source).is_file():
        pytest.skip(f"its ruleset {source!r} is not in the repository")
    # The proposal file may have been re-hashed since (new keys in the official ruleset it
    # extends); what matters is that its scenario still breaks the invariant under it.
    ruleset = load_ruleset(str(ROOT / source))
    assert replay_file(path, ruleset).violated


def test_saving_is_idempotent_and_never_overwrites(tmp_path: Path) -> None:
    record = {
        "invariant": "learner_never_pays",
        "paragraphs": ["96"],
        "ruleset": {},
        "found_by": "test",
        "seed": 0,
        "scenario": {},
        "violation": {"step": 0, "detail": ""},
    }
    first = save(record, tmp_path)
    stamp = first.stat().st_mtime_ns
    again = save(record, tmp_path)
    assert first == again
    assert stamp == again.stat().st_mtime_ns
    other = save({**record, "seed": 1}, tmp_path)
    assert other != first
    assert 2 == len(list(tmp_path.glob("*.json")))
    assert [] == [p for p in tmp_path.iterdir() if p.name.startswith(".tmp-")]
    assert json.loads(first.read_text())["id"] == first.stem


def test_parallel_writers_of_the_same_counterexample_leave_one_complete_file(
    tmp_path: Path,
) -> None:
    from concurrent.futures import ThreadPoolExecutor

    record = {
        "invariant": "learner_never_pays",
        "paragraphs": ["96"],
        "ruleset": {},
        "found_by": "test",
        "seed": 7,
        "scenario": {},
        "violation": {"step": 0, "detail": "x"},
    }
    with ThreadPoolExecutor(8) as pool:
        paths = list(pool.map(lambda _: save(record, tmp_path), range(32)))
    assert 1 == len(set(paths))
    assert ["id"] == [k for k in json.loads(paths[0].read_text()) if k == "id"]
    assert 1 == len(os.listdir(tmp_path))


def test_a_malformed_counterexample_file_is_bad_input(tmp_path: Path) -> None:
    path = tmp_path / "bad.json"
    path.write_text('{"id": "x"}')
    with pytest.raises(BadInput) as info:
        load_record(path)
    assert "invariant: required field is missing" in str(info.value)
