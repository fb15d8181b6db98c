"""Every example proposal gives the check result recorded beside it (examples/proposals/
expected.toml), and each violation's witness replays as violating under the proposal and as
holding under the official ruleset."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from aurules.model.ruleset import load_ruleset, official
from aurules.properties.access_proofs import check_access
from aurules.properties.invariants import INVARIANTS
from aurules.properties.proofs import check_invariants
from aurules.properties.replay_files import replay_record

FOLDER = Path(__file__).resolve().parent.parent / "examples" / "proposals"
EXPECTED = tomllib.loads((FOLDER / "expected.toml").read_text())


def test_every_proposal_has_an_expected_result() -> None:
    files = {p.stem for p in FOLDER.glob("*.toml") if p.name != "expected.toml"}
    assert files == set(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_proposal_gives_its_expected_check_result(name: str) -> None:
    ruleset = load_ruleset(str(FOLDER / f"{name}.toml"))
    verdicts = check_invariants(ruleset, depth=12)
    access = check_access(ruleset, depth=8)
    everything = {**verdicts, **access}
    violated = sorted(n for n, v in everything.items() if v.verdict == "violated")
    assert sorted(EXPECTED[name]["violated"]) == violated
    unknown = [n for n, v in everything.items() if v.verdict.startswith("unknown")]
    assert [] == unknown
    for invariant in EXPECTED[name]["violated"]:
        witness = everything[invariant].scenario
        assert witness is not None
        record = {"invariant": invariant, "scenario": witness}
        assert replay_record(record, ruleset, "<witness>") is not None
        assert replay_record(record, official(), "<witness>") is None


def test_the_official_ruleset_proves_every_invariant() -> None:
    verdicts = check_invariants(official(), depth=12)
    assert {inv.name: "proved" for inv in INVARIANTS} == {n: v.verdict for n, v in verdicts.items()}
