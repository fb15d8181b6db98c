"""The planned funding split: what each milestone pays, and who pays it, if the plan goes as
it stands at the start (72, 89, 92 to 95, 108, 109, 119, 120).

No new rule is written here. The plan is run through the lifecycle (`model.lifecycle
.transition`) as five events on the planned end date: every planned hour delivered, the
skills test passed, the plan signed off by all three, then both milestones claimed. Whatever
the rules then pay is the planned split: the same definitions as the simulator, on any
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

    @property
    def government(self) -> Any:
        return self.m1_government + self.m2_government

    @property
    def employer_account(self) -> Any:
        return self.m1_account + self.m2_account

    @property
    def employer_direct(self) -> Any:
        return self.m1_direct + self.m2_direct


def planned_split(initial: State, ruleset: Ruleset, b: Backend) -> PlannedSplit:
    """The planned split for a learner (or every row) from the state on the start date."""
    state = initial
    for event in planned_events(state):
        state, _ = transition(state, event, ruleset, b)
    return PlannedSplit(
        m1_government=state.m1_government,
        m1_account=state.m1_account,
        m1_direct=state.m1_direct,
        m2_government=state.m2_government,
        m2_account=state.m2_account,
        m2_direct=state.m2_direct,
        above_rate=state.total_above_rate,
    )
