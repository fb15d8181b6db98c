"""A Hypothesis state machine over the account access model, with adversarial actors: a
provider trying to join, a viewer inviting, a departed user acting, a stranger calling the
helpdesk with a wrong or guessed name, a second account registering a PAYE scheme already in
use, next to the ordinary business of owners. Every access invariant is checked after every
step; a failure records the trace so far (shrunk by Hypothesis) for saving."""

from __future__ import annotations

import datetime as dt
import typing
from typing import Any, ClassVar

import attrs
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule

from aurules.model.access_scenario import (
    AccessScenario,
    ActionType,
    Attempt,
    World,
    action_facts,
    initial_access_state,
)
from aurules.model.access_state import KINDS_OF_PERSON, PEOPLE, SCHEMES, AccessState
from aurules.model.access_transition import access_step
from aurules.model.ruleset import Ruleset, official
from aurules.model.values import PYTHON
from aurules.properties.access_invariants import ACCESS_INVARIANTS
from aurules.properties.machines import Failure
from aurules.properties.replay import Violation

NAMES = [f"P{p}" for p in range(PEOPLE)]
REFS = [f"{100 + k}/S{k}" for k in range(SCHEMES)]
ACCOUNT_IDS = ["A0", "A1", "A2"]


@st.composite
def worlds(draw: st.DrawFn) -> AccessScenario:
    """People of every kind; one or two accounts with an owner among the employer's staff."""
    kinds = [draw(st.sampled_from(KINDS_OF_PERSON.names)) for _ in range(PEOPLE)]
    kinds[0] = "employer_staff"
    people = [
        {"name": n, "kind": k, "own_login": draw(st.booleans()) if i else True}
        for i, (n, k) in enumerate(zip(NAMES, kinds, strict=True))
    ]
    schemes = [{"ref": r, "employer": draw(st.sampled_from(["E0", "E1"]))} for r in REFS]
    accounts = [
        {"id": "A0", "paye": [REFS[0]], "team": {"P0": "owner"}, "public_body": draw(st.booleans())}
    ]
    if draw(st.booleans()):
        accounts.append({"id": "A1", "paye": [REFS[1]], "team": {"P1": "owner"}})
        people[1].update(kind="employer_staff", own_login=True)
    return AccessScenario.from_data(
        {"kind": "access", "people": people, "paye_schemes": schemes, "accounts": accounts},
        "<world>",
    )


class AccessMachine(RuleBasedStateMachine):
    """Actors attempt actions on a small world; invariants after every step."""

    ruleset: ClassVar[Ruleset] = official()
    failures: ClassVar[list[Failure]] = []
    ignore: ClassVar[frozenset[str]] = frozenset()
    runs: ClassVar[list[int]] = []

    def __init__(self) -> None:
        super().__init__()
        type(self).runs.append(1)
        self.scenario: AccessScenario | None = None
        self.world: World | None = None
        self.state: AccessState | None = None
        self.day = dt.date(2026, 5, 4)
        self.last: tuple[Any, ...] | None = None

    @initialize(world=worlds())
    def start(self, world: AccessScenario) -> None:
        self.scenario = world
        self.world = World.of(world, "<world>")
        self.state = initial_access_state(world, self.world)

    def _attempt(self, gap: int, **fields: Any) -> None:
        assert self.scenario is not None and self.world is not None and self.state is not None
        self.day += dt.timedelta(days=gap)
        attempt = Attempt(date=self.day, **fields)
        if attempt.type == "create_account" and attempt.account not in self.world.accounts:
            scenario = attrs.evolve(self.scenario, actions=[*self.scenario.actions, attempt])
            self.world = World.of(scenario, "<machine>")
        self.scenario = attrs.evolve(self.scenario, actions=[*self.scenario.actions, attempt])
        facts = action_facts(attempt, self.world, self.state)
        after, decision = access_step(self.state, facts, self.ruleset, PYTHON)
        self.last = (self.state, facts, decision, after)
        self.state = after

    @rule(
        gap=st.integers(0, 10),
        kind=st.sampled_from(typing.get_args(ActionType)),
        actor=st.sampled_from(NAMES),
        account=st.sampled_from(ACCOUNT_IDS),
        person=st.sampled_from(NAMES),
        role=st.sampled_from(["viewer", "transactor", "owner"]),
        paye=st.sampled_from(REFS),
        names=st.lists(st.sampled_from([*NAMES, "Zed"]), max_size=3, unique=True),
        public_body=st.booleans(),
    )
    def attempt(
        self,
        *,
        gap: int,
        kind: str,
        actor: str,
        account: str,
        person: str,
        role: str,
        paye: str,
        names: list[str],
        public_body: bool,
    ) -> None:
        """Anyone attempts anything: owners' business and every attack alike."""
        assert self.world is not None
        if kind != "create_account" and account not in self.world.accounts:
            account = "A0"
        self._attempt(
            gap,
            type=kind,
            actor=actor,
            account=account,
            person=person,
            role=role,
            paye=paye,
            names=names,
            public_body=public_body,
        )

    @rule(gap=st.integers(0, 3), actor=st.sampled_from(NAMES))
    def leave(self, gap: int, actor: str) -> None:
        """Someone leaves the organisation (owners leaving makes orphaned accounts)."""
        self._attempt(gap, type="leave_organisation", actor=actor)

    @rule(
        gap=st.integers(0, 3),
        actor=st.sampled_from(NAMES),
        paye=st.sampled_from(REFS),
        names=st.lists(st.sampled_from([*NAMES, "Zed"]), max_size=3, unique=True),
    )
    def call_helpdesk(self, gap: int, actor: str, paye: str, names: list[str]) -> None:
        """Someone calls the helpdesk with a PAYE reference and candidate names."""
        self._attempt(gap, type="helpdesk_request", actor=actor, paye=paye, names=names)

    @invariant()
    def access_invariants_hold(self) -> None:
        if self.last is None or self.scenario is None:
            return
        before, facts, decision, after = self.last
        for inv in ACCESS_INVARIANTS:
            if inv.name in self.ignore:
                continue
            ok = (
                inv.predicate(after, PYTHON)
                if inv.over == "state"
                else inv.predicate(before, facts, decision, after, PYTHON)
            )
            if not ok:
                step = len(self.scenario.actions)
                violation = Violation(
                    invariant=inv.name,
                    step=step,
                    detail=f"{inv.meaning} Broken by action {step - 1}.",
                )
                type(self).failures.append(
                    Failure(
                        invariant=inv.name,
                        scenario=self.scenario,  # type: ignore[arg-type]
                        violation=violation,
                    )
                )
                raise AssertionError(f"{inv.name} violated at action {step - 1}")


def access_machine_for(
    ruleset: Ruleset, ignore: frozenset[str] = frozenset()
) -> type[AccessMachine]:
    return type(
        f"AccessMachine_{ruleset.hash}",
        (AccessMachine,),
        {"ruleset": ruleset, "failures": [], "ignore": ignore, "runs": []},
    )
