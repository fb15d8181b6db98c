"""The state machines: invariants after every step on the official ruleset, the simulator
agreeing with the Z3 transition relation, and the burst machine (the same events, drawn as
compact codes) finding what the one-rule-per-event machine finds."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import Phase, settings
from hypothesis.stateful import get_state_machine_test

from aurules.model.ruleset import load_ruleset, official
from aurules.properties.machines import (
    EVENTS,
    BurstMachine,
    Choice,
    Driver,
    Ints,
    decode,
    machine_for,
)
from aurules.properties.replay import first_violation

TestLifecycle = machine_for(official()).TestCase
TestLifecycle.settings = settings(TestLifecycle.settings, stateful_step_count=25)

TestAgreement = machine_for(official(), agreement=True).TestCase
TestAgreement.settings = settings(TestAgreement.settings, max_examples=25, stateful_step_count=15)

TestBurstAgreement = machine_for(official(), agreement=True, burst=True).TestCase
TestBurstAgreement.settings = settings(
    TestBurstAgreement.settings, max_examples=25, stateful_step_count=10
)

PROPOSALS = Path(__file__).resolve().parent.parent / "examples" / "proposals"


def test_code_zero_is_the_simplest_event_and_every_event_and_value_is_reachable() -> None:
    assert ("progress", {"gap": 0}) == decode(0)
    names = tuple(EVENTS)
    for kind, name in enumerate(names):
        assert name == decode(kind)[0]
        assert hasattr(Driver, name)
        # the largest value of every parameter, by the mixed-radix numeral
        code, scale = kind, len(names)
        for domain in EVENTS[name].values():
            code += (domain.size - 1) * scale
            scale *= domain.size
        _, params = decode(code)
        for param, domain in EVENTS[name].items():
            largest = domain.high if isinstance(domain, Ints) else domain.values[-1]
            assert largest == params[param], (name, param)
    assert isinstance(EVENTS["sign_off"]["by"], Choice)
    assert 7 == EVENTS["sign_off"]["by"].size  # every non-empty set of signatories


def test_every_domain_event_is_a_rule_of_the_lifecycle_machine() -> None:
    import inspect

    from hypothesis.stateful import RULE_MARKER

    def rules(cls: type) -> set[str]:
        return {name for name, v in inspect.getmembers(cls) if hasattr(v, RULE_MARKER)}

    assert set(EVENTS) | {"enrol", "finish"} == rules(machine_for(official()))
    assert {"burst"} == rules(BurstMachine)


def test_the_burst_machine_finds_a_broken_invariant_and_records_a_replayable_scenario() -> None:
    proposal = load_ruleset(str(PROPOSALS / "milestone-2-share-80.toml"))
    machine = machine_for(proposal, burst=True)
    test = get_state_machine_test(
        machine,
        settings=settings(
            max_examples=200,
            stateful_step_count=10,
            database=None,
            deadline=None,
            derandomize=True,
            phases=[Phase.generate, Phase.shrink],
        ),
    )
    with pytest.raises(AssertionError):
        test()
    assert machine.failures, "the burst machine did not find the violation"
    failure = machine.failures[-1]
    assert "milestones_within_cap" == failure.invariant
    assert first_violation(failure.scenario, proposal, failure.invariant) is not None
    assert first_violation(failure.scenario, official(), failure.invariant) is None


def test_a_disagreement_with_z3_is_recorded_and_fails_the_run(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # A check of the check: break the symbolic side for claims only and the burst machine
    # must notice, naming the event.
    from aurules.model.state import EVENT_KINDS
    from aurules.model.symbolic.lifecycle import SymbolicStep

    honest = SymbolicStep.agrees

    def broken(  # noqa: PLR0917 - the signature of the method it stands in for
        self: SymbolicStep,
        before: object,
        facts: object,
        after: object,
        output: object,
        start: object = None,
    ) -> bool:
        if facts.kind == EVENT_KINDS["claim"]:  # type: ignore[attr-defined]
            return False
        return honest(self, before, facts, after, output, start)  # type: ignore[arg-type]

    monkeypatch.setattr(SymbolicStep, "agrees", broken)
    machine = machine_for(official(), agreement=True, burst=True)
    test = get_state_machine_test(
        machine,
        settings=settings(
            max_examples=50,
            stateful_step_count=5,
            database=None,
            deadline=None,
            derandomize=True,
            phases=[Phase.generate],
        ),
    )
    with pytest.raises(AssertionError, match="disagree on Claim"):
        test()
    assert machine.disagreements
