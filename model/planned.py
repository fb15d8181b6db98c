"""The planned funding split: what each milestone pays, and who pays it, if the plan goes as
it stands at the start (72, 89, 92 to 95, 108, 109, 119, 120).

No new rule is written here. The plan is run through the lifecycle (`model.lifecycle
.transition`) as six events on the planned end date: every planned hour delivered, the
skills test passed, the plan signed off by all three, both milestones claimed, then learning
support claimed (paid only for a learner with a learning difficulty or disability, 31 to
35). Whatever the rules then pay is the planned split: the same definitions as the simulator, on any
backend, so a population (NumPy) gets exactly what `evaluate` reports per scenario.
"""

from __future__ import annotations

from typing import Any

import attrs

from aurules.model.lifecycle import transition
from aurules.model.ruleset import Ruleset
from aurules.model.state import EVENT_FIELDS, EVENT_KINDS, ITEMS, EventFacts, State
from aurules.model.values import Backend

_QUIET = {f.name: (False if f.metadata["kind"] == "bool" else 0) for f in EVENT_FIELDS}


def _event(kind: str, day: Any, **values: Any) -> EventFacts:
    return EventFacts(**{**_QUIET, "kind": EVENT_KINDS[kind], "day": day, **values})


def planned_events(s: State) -> list[EventFacts]:
    """The plan as events, all on the planned end date."""
    day = s.planned_end_day
    return [
        _event("delivered", day, hours=s.planned_hours),
        _event("skills_test_passed", day),
        _event("plan_signed_off", day, by_provider=True, by_learner=True, by_employer=True),
        _event("claim", day, item=ITEMS["milestone_1"]),
        _event("claim", day, item=ITEMS["milestone_2"]),
        _event("claim", day, item=ITEMS["learning_support"]),
    ]


@attrs.frozen(kw_only=True)
class PlannedSplit:
    """Pence per milestone and payer (values, or arrays of them for a population)."""

    m1_government: Any
    m1_account: Any
    m1_direct: Any
    m2_government: Any
    m2_account: Any
    m2_direct: Any
    above_rate: Any
    ls_government: Any = 0
    ls_account: Any = 0
    ls_direct: Any = 0
    """Learning support (the fixed amount, for a learner with a learning difficulty or
    disability), by payer."""

    @property
    def government(self) -> Any:
        return self.m1_government + self.m2_government + self.ls_government

    @property
    def employer_account(self) -> Any:
        return self.m1_account + self.m2_account + self.ls_account

    @property
    def employer_direct(self) -> Any:
        return self.m1_direct + self.m2_direct + self.ls_direct


def planned_reads(ruleset: Ruleset) -> set[str]:
    """Every parameter and interpretation (`section.key`) that eligibility or the planned
    split can depend on: the start rules and the planned events built as Z3 terms over free
    facts (so every branch is built), with the ruleset's reads logged."""
    import z3

    from aurules.model.parameters import declared
    from aurules.model.rulebook import start_rules
    from aurules.model.state import initial_state
    from aurules.model.symbolic.start import symbolic_facts
    from aurules.model.values import Reading
    from aurules.model.values_z3 import Z3

    facts = symbolic_facts(ruleset)
    log: dict[str, Any] = {}
    reading: Any = Reading(ruleset.bind(facts, Z3), log)
    eligible = z3.And(
        [z3.BoolVal(True), *(rule(facts, reading, Z3) for rule in start_rules(ruleset))]
    )
    planned_split(initial_state(facts, eligible, Z3), reading, Z3)
    keys = {info.key for info in declared()}
    return {key for key in log if key in keys} | DERIVE_READS


def lifecycle_reads(ruleset: Ruleset) -> set[str]:
    """Every parameter and interpretation that a replayed lifecycle can depend on: those of
    `planned_reads`, and those the transition reads for any event (every kind's effect
    built as Z3 terms over a free state and event) and the final status."""
    from aurules.model.parameters import declared
    from aurules.model.rules.change_of_circumstance import withdrawal_deadline
    from aurules.model.symbolic.lifecycle import symbolic_event, symbolic_state
    from aurules.model.symbolic.start import symbolic_facts
    from aurules.model.values import Reading
    from aurules.model.values_z3 import Z3

    log: dict[str, Any] = {}
    reading: Any = Reading(ruleset.bind(symbolic_facts(ruleset), Z3), log)
    state = symbolic_state("reads.")
    transition(state, symbolic_event("reads."), reading, Z3)
    withdrawal_deadline(state, state.last_day, reading, Z3)
    keys = {info.key for info in declared()}
    return planned_reads(ruleset) | {key for key in log if key in keys}


DERIVE_READS = {"interpretations.age"}
"""Read when the facts are derived from a scenario (whole years of age), before any rule."""


def planned_split(initial: State, ruleset: Ruleset, b: Backend) -> PlannedSplit:
    """The planned split for a learner (or every row) from the state on the start date."""
    state = initial
    support: Any = None
    for event in planned_events(state):
        state, output = transition(state, event, ruleset, b)
        support = output  # the last event is the learning support claim
    return PlannedSplit(
        ls_government=support.government,
        ls_account=support.employer_account,
        ls_direct=support.employer_direct,
        m1_government=state.m1_government,
        m1_account=state.m1_account,
        m1_direct=state.m1_direct,
        m2_government=state.m2_government,
        m2_account=state.m2_account,
        m2_direct=state.m2_direct,
        above_rate=state.total_above_rate,
    )
