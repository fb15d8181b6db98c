"""Hypothesis state machines over the concrete simulator.

`LifecycleMachine` keeps its rules to the domain's events (deliver, claim, pass the skills
test, sign off, extend, take leave, leave employment, withdraw, restart, change levy status or
funds, audit), drives several learners' units at once (each restart is another enrolment of
the same learner) and checks every invariant after every step. `AgreementMachine` runs the
same steps and asks Z3 whether the transition relation, built from the same rules, gives the
same next state.

When an invariant fails, the learner's scenario so far (start and events) is recorded before
the failure is raised, so the runner can save the shrunk example as a counterexample file.
"""

from __future__ import annotations

import datetime as dt
import typing
from typing import Any, ClassVar

import attrs
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    precondition,
    rule,
)

from model import scenario as sc
from model.evaluate import start
from model.lifecycle import OUTPUT_FIELDS, StepOutput, transition
from model.money import Money
from model.ruleset import Ruleset, official
from model.scenario import Scenario
from model.state import STATE_FIELDS, EventFacts, State, event_facts
from model.structure import Hours
from model.values import PYTHON
from properties.invariants import INVARIANTS
from properties.replay import Violation, check_state
from properties.strategies import eligible_starts

LEARNERS_AT_ONCE = 3


def _driven(machine_and_place: tuple[Any, int]) -> Learner:
    machine, place = machine_and_place
    learner: Learner = machine.active[place % len(machine.active)]
    return learner


A_LEARNER = st.tuples(st.runner(), st.integers(0, LEARNERS_AT_ONCE - 1)).map(_driven)
"""One of the learners the machine is driving, by its place (`st.runner()` is the machine):
cheaper for Hypothesis to draw, and to shrink, than a `Bundle` reference."""


@attrs.define
class Learner:
    """One learner's unit as the machine has driven it so far: the scenario, and the
    simulator's state after its last event (stepped incrementally, not re-run)."""

    start: Scenario
    day: dt.date
    state: State
    step: tuple[State, EventFacts, StepOutput, State] | None = None
    events: list[Any] = attrs.field(factory=list)

    @property
    def scenario(self) -> Scenario:
        """The start with the events so far (built when asked: only a failure needs it)."""
        return attrs.evolve(self.start, events=list(self.events))

    def add(self, event: Any, ruleset: Ruleset) -> None:
        self.events.append(event)
        facts = event_facts(event)
        after, output = transition(self.state, facts, ruleset, PYTHON)
        self.step = (self.state, facts, output, after)
        self.state = after


@attrs.define
class Failure:
    """The latest invariant failure (Hypothesis shrinks, so the last one is the smallest)."""

    invariant: str
    scenario: Scenario
    violation: Violation


class LifecycleMachine(RuleBasedStateMachine):
    """Many learners' lifecycles on the simulator, invariants after every step."""

    ruleset: ClassVar[Ruleset] = official()
    failures: ClassVar[list[Failure]] = []
    ignore: ClassVar[frozenset[str]] = frozenset()
    runs: ClassVar[list[int]] = []
    steps: ClassVar[list[int]] = [0]  # events applied, across runs (for throughput figures)

    def __init__(self) -> None:
        super().__init__()
        type(self).runs.append(1)
        self.active: list[Learner] = []
        self.last: Learner | None = None

    @initialize(start=eligible_starts())
    def first_learner(self, start: Scenario) -> None:
        self._enrol(start)

    @precondition(lambda self: len(self.active) < LEARNERS_AT_ONCE)
    @rule(start=eligible_starts())
    def enrol(self, start: Scenario) -> None:
        self._enrol(start)

    def _enrol(self, scenario: Scenario) -> Learner:
        _, state = start(scenario, self.ruleset)
        learner = Learner(start=scenario, day=scenario.plan.start_date, state=state)
        self.active.append(learner)
        self.last = learner
        return learner

    def _on(self, learner: Learner, gap: int, make: Any) -> None:
        learner.day = learner.day + dt.timedelta(days=gap)
        learner.add(make(learner.day), self.ruleset)
        type(self).steps[0] += 1
        self.last = learner

    @rule(learner=A_LEARNER, gap=st.integers(0, 30), share=st.integers(1, 100),
          recorded=st.integers(0, 30), kit=st.booleans())
    def deliver(self, learner: Learner, gap: int, share: int, recorded: int, kit: bool) -> None:
        planned = learner.start.plan.planned_hours
        hours = max(planned * share // 100, 1)
        self._on(learner, gap, lambda day: sc.Delivered(
            date=day, hours=Hours(hours), recorded_hours=Hours(hours * recorded // 100),
            kit_day=kit))

    @rule(learner=A_LEARNER, gap=st.integers(0, 30), share=st.sampled_from([30, 100]))
    def deliver_up_to(self, learner: Learner, gap: int, share: int) -> None:
        """Deliver just the hours that bring counted delivery to a milestone's share."""
        plan = learner.start.plan
        counted = learner.state.delivered
        needed = max(-(-plan.planned_hours * share // 100) - counted, 1)
        self._on(learner, gap, lambda day: sc.Delivered(date=day, hours=Hours(needed)))

    @rule(learner=A_LEARNER, gap=st.integers(0, 3))
    def progress(self, learner: Learner, gap: int) -> None:
        """The provider takes the next step of a normal unit: deliver to 30%, claim milestone
        1 (and learning support), deliver the rest, test and sign off, claim milestone 2."""
        state = learner.state
        planned = learner.start.plan.planned_hours
        if state.delivered * 10 < planned * 3:
            self.deliver_up_to(learner, gap, 30)
        elif not state.m1_claimed:
            self.claim(learner, gap, "milestone_1", None)
        elif state.ldd and not state.ls_claimed:
            self.claim(learner, gap, "learning_support", 5_000)
        elif state.delivered < planned:
            self.deliver_up_to(learner, gap, 100)
        elif not (state.skills_passed and state.signed_employer):
            self.complete_plan(learner, gap)
        else:
            self.claim(learner, gap, "milestone_2", None)

    @rule(learner=A_LEARNER, gap=st.integers(0, 30))
    def complete_plan(self, learner: Learner, gap: int) -> None:
        """The skills test passed and the plan signed off by all three, on one day."""
        self._on(learner, gap, lambda day: sc.SkillsTestPassed(date=day))
        self._on(learner, 0, lambda day: sc.PlanSignedOff(date=day))

    @rule(learner=A_LEARNER, gap=st.integers(0, 30),
          item=st.sampled_from(typing.get_args(sc.ClaimItem)),
          cost=st.one_of(st.none(), st.sampled_from([0, 5_000, 20_000])))
    def claim(self, learner: Learner, gap: int, item: Any, cost: int | None) -> None:
        self._on(learner, gap, lambda day: sc.Claim(
            date=day, item=item, cost=None if cost is None else Money(cost)))

    @rule(learner=A_LEARNER, gap=st.integers(0, 30))
    def pass_skills_test(self, learner: Learner, gap: int) -> None:
        self._on(learner, gap, lambda day: sc.SkillsTestPassed(date=day))

    @rule(learner=A_LEARNER, gap=st.integers(0, 30),
          by=st.lists(st.sampled_from(typing.get_args(sc.Signatory)), min_size=1, max_size=3,
                      unique=True))
    def sign_off(self, learner: Learner, gap: int, by: list[Any]) -> None:
        self._on(learner, gap, lambda day: sc.PlanSignedOff(date=day, by=by))

    @rule(learner=A_LEARNER, gap=st.integers(0, 30), weeks=st.integers(-2, 14))
    def extend(self, learner: Learner, gap: int, weeks: int) -> None:
        end = learner.start.plan.planned_end_date
        self._on(learner, gap, lambda day: sc.Extended(date=day,
                                                       to=end + dt.timedelta(weeks=weeks)))

    @rule(learner=A_LEARNER, gap=st.integers(0, 30),
          kind=st.sampled_from(typing.get_args(sc.LeaveKind)))
    def start_leave(self, learner: Learner, gap: int, kind: Any) -> None:
        self._on(learner, gap, lambda day: sc.LeaveStarted(date=day, kind=kind))

    @rule(learner=A_LEARNER, gap=st.integers(0, 90))
    def end_leave(self, learner: Learner, gap: int) -> None:
        self._on(learner, gap, lambda day: sc.LeaveEnded(date=day))

    @rule(learner=A_LEARNER, gap=st.integers(0, 30))
    def leave_employment(self, learner: Learner, gap: int) -> None:
        self._on(learner, gap, lambda day: sc.EmploymentEnded(date=day, reason="resignation"))

    @rule(learner=A_LEARNER, gap=st.integers(0, 30))
    def withdraw(self, learner: Learner, gap: int) -> None:
        self._on(learner, gap, lambda day: sc.Withdrawn(date=day))

    @rule(learner=A_LEARNER, gap=st.integers(0, 60),
          employer=st.one_of(st.none(), st.builds(
              lambda levy, balance: sc.Employer(levy_payer=levy, levy_balance=Money(balance),
                                                funding="levy" if levy else "reservation"),
              st.booleans(), st.integers(0, 200_000))),
          provider_changed=st.booleans())
    def restart(self, learner: Learner, gap: int, employer: Any, provider_changed: bool) -> None:
        """Another enrolment of the same learner, possibly with a new employer or provider."""
        self._on(learner, gap, lambda day: sc.Restarted(date=day, employer=employer,
                                                        provider_changed=provider_changed))

    @rule(learner=A_LEARNER, gap=st.integers(0, 30), levy=st.booleans())
    def change_levy_status(self, learner: Learner, gap: int, levy: bool) -> None:
        self._on(learner, gap, lambda day: sc.LevyStatusChanged(date=day, levy_payer=levy))

    @rule(learner=A_LEARNER, gap=st.integers(0, 30), balance=st.integers(0, 300_000))
    def change_levy_balance(self, learner: Learner, gap: int, balance: int) -> None:
        self._on(learner, gap, lambda day: sc.LevyBalanceChanged(date=day,
                                                                 levy_balance=Money(balance)))

    @rule(learner=A_LEARNER, gap=st.integers(0, 30), share=st.integers(0, 110),
          successful=st.booleans())
    def audit(self, learner: Learner, gap: int, share: int, successful: bool) -> None:
        planned = learner.start.plan.planned_hours
        self._on(learner, gap, lambda day: sc.Audit(
            date=day, evidenced_hours=Hours(planned * share // 100),
            successful_outcome=successful))

    @precondition(lambda self: len(self.active) > 1)
    @rule(learner=A_LEARNER)
    def finish(self, learner: Learner) -> None:
        """Stop driving a learner (keeps the number of learners at once small; one is always
        being driven)."""
        self.active.remove(learner)

    @invariant()
    def invariants_hold(self) -> None:
        learner = self.last
        if learner is None:
            return
        found = [v for v in self._violations(learner) if v.invariant not in self.ignore]
        if found:
            first = found[0]
            type(self).failures.append(Failure(invariant=first.invariant,
                                               scenario=learner.scenario, violation=first))
            raise AssertionError(f"{first.invariant} violated: {first.detail}")


    @staticmethod
    def _violations(learner: Learner) -> list[Violation]:
        """Every invariant on the learner's latest step (or its start)."""
        found = []
        step = len(learner.events)
        for inv in INVARIANTS:
            if learner.step is None:
                hit = check_state(inv, learner.state, None, None, learner.state, step=0)
            else:
                before, facts, output, after = learner.step
                hit = check_state(inv, before, facts, output, after, step=step)
            if hit is not None:
                found.append(hit)
        return found


class AgreementMachine(LifecycleMachine):
    """The same steps, each also computed by the Z3 transition relation; they must agree."""

    symbolic: ClassVar[Any] = None

    @invariant()
    def z3_agrees(self) -> None:
        learner = self.last
        if learner is None or learner.step is None:
            return
        from model.symbolic_lifecycle import SymbolicStep

        cls = type(self)
        if cls.symbolic is None or cls.symbolic[0] is not self.ruleset:
            cls.symbolic = (self.ruleset, SymbolicStep(self.ruleset))
        before, facts, output, expected = learner.step
        symbolic = cls.symbolic[1]
        if symbolic.agrees(before, facts, expected, output):
            return
        got = symbolic.evaluate(before, facts)
        want = {f.name: getattr(expected, f.name) for f in STATE_FIELDS}
        want |= {"output." + n: getattr(output, n) for n in OUTPUT_FIELDS}
        differences = {name: (value, got[name]) for name, value in want.items()
                       if got[name] != value}
        raise AssertionError(f"simulator and Z3 disagree on {learner.events[-1]}: "
                             f"{differences or 'the relation did not reduce to true'}")


def machine_for(ruleset: Ruleset, agreement: bool = False,
                ignore: frozenset[str] = frozenset()) -> type[LifecycleMachine]:
    """A machine class bound to a ruleset, with its own failure log and run count; invariants
    in `ignore` (already found violated) are not checked."""
    base = AgreementMachine if agreement else LifecycleMachine
    return type(f"{base.__name__}_{ruleset.hash}", (base,),
                {"ruleset": ruleset, "failures": [], "ignore": ignore, "runs": [],
                 "steps": [0]})
