"""Every example proposal gives the check result recorded beside it (examples/proposals/
expected.toml), and each violation's witness replays as violating under the proposal and as
holding under the official ruleset."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from model.ruleset import load_ruleset, official
from model.scenario import Scenario
from properties.invariants import INVARIANTS
from properties.proofs import check_invariants
from properties.replay import first_violation

FOLDER = Path(__file__).resolve().parent.parent / "examples" / "proposals"
EXPECTED = tomllib.loads((FOLDER / "expected.toml").read_text())


def test_every_proposal_has_an_expected_result() -> None:
    files = {p.stem for p in FOLDER.glob("*.toml") if p.name != "expected.toml"}
    assert files == set(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_proposal_gives_its_expected_check_result(name: str) -> None:
    ruleset = load_ruleset(str(FOLDER / f"{name}.toml"))
    verdicts = check_invariants(ruleset, depth=12)
    violated = sorted(n for n, v in verdicts.items() if v.verdict == "violated")
    assert sorted(EXPECTED[name]["violated"]) == violated
    unknown = [n for n, v in verdicts.items() if v.verdict.startswith("unknown")]
    assert [] == unknown
    for invariant in EXPECTED[name]["violated"]:
        witness = verdicts[invariant].scenario
        assert witness is not None
        scenario = Scenario.from_data(witness)
        assert first_violation(scenario, ruleset, invariant) is not None
        assert first_violation(scenario, official(), invariant) is None


def test_the_official_ruleset_proves_every_invariant() -> None:
    verdicts = check_invariants(official(), depth=12)
    assert {inv.name: "proved" for inv in INVARIANTS} == {n: v.verdict
                                                         for n, v in verdicts.items()}
