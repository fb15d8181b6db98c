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
    precondition,
    rule,
)

from aurules.model import scenario as sc
from aurules.model.evaluate import start
from aurules.model.facts import derive
from aurules.model.lifecycle import OUTPUT_FIELDS, StepOutput, transition
from aurules.model.money import Money
from aurules.model.ruleset import Ruleset, official
from aurules.model.scenario import Scenario
from aurules.model.state import STATE_FIELDS, EventFacts, State, event_facts
from aurules.model.structure import Hours
from aurules.model.values import PYTHON
from aurules.properties.invariants import INVARIANTS
from aurules.properties.replay import Violation, check_state
from aurules.properties.strategies import eligible_starts, for_ruleset

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
    rules: Ruleset | None = None
    """The ruleset bound to this learner's start facts (bands, claim rules)."""
    facts: Any = None
    """The learner's start facts."""

    @property
    def scenario(self) -> Scenario:
        """The start with the events so far (built when asked: only a failure needs it)."""
        return attrs.evolve(self.start, events=list(self.events))

    def add(self, event: Any, ruleset: Ruleset) -> None:
        self.events.append(event)
        facts = event_facts(event)
        after, output = transition(self.state, facts, self.rules or ruleset, PYTHON)
        self.step = (self.state, facts, output, after)
        self.state = after


@attrs.define
class Failure:
    """The latest invariant failure (Hypothesis shrinks, so the last one is the smallest)."""

    invariant: str
    scenario: Scenario
    violation: Violation


@attrs.frozen
class Ints:
    """A whole-number parameter from `low` to `high`."""

    low: int
    high: int

    @property
    def size(self) -> int:
        return self.high - self.low + 1

    def strategy(self) -> st.SearchStrategy[int]:
        return st.integers(self.low, self.high)

    def pick(self, index: int) -> int:
        return self.low + index


@attrs.frozen
class Choice:
    """A parameter taking one of a few values."""

    values: tuple[Any, ...]

    @property
    def size(self) -> int:
        return len(self.values)

    def strategy(self) -> st.SearchStrategy[Any]:
        return st.sampled_from(self.values)

    def pick(self, index: int) -> Any:
        return self.values[index]


GAP, FLAG = Ints(0, 30), Choice((False, True))
SIGNATORIES = typing.get_args(sc.Signatory)

EVENTS: dict[str, dict[str, Ints | Choice]] = {
    "progress": {"gap": Ints(0, 3)},
    "deliver": {"gap": GAP, "share": Ints(1, 100), "recorded": Ints(0, 30), "kit": FLAG},
    "deliver_up_to": {"gap": GAP, "share": Choice((30, 100))},
    "complete_plan": {"gap": GAP},
    "claim": {
        "gap": GAP,
        "item": Choice(typing.get_args(sc.ClaimItem)),
        "cost": Choice((None, 0, 5_000, 20_000)),
    },
    "pass_skills_test": {"gap": GAP},
    "sign_off": {
        "gap": GAP,
        "by": Choice(
            tuple(
                tuple(who for bit, who in enumerate(SIGNATORIES) if mask >> bit & 1)
                for mask in range(1, 2 ** len(SIGNATORIES))
            )
        ),
    },
    "extend": {"gap": GAP, "weeks": Ints(-2, 14)},
    "start_leave": {"gap": GAP, "kind": Choice(typing.get_args(sc.LeaveKind))},
    "end_leave": {"gap": Ints(0, 90)},
    "leave_employment": {"gap": GAP},
    "withdraw": {"gap": GAP},
    "restart": {
        "gap": Ints(0, 60),
        "employer": Choice((None, "levy", "reservation")),
        "balance": Ints(0, 200_000),
        "provider_changed": FLAG,
        "plan_weeks": Choice((None, 4, 16, 17)),
    },
    "change_levy_status": {"gap": GAP, "levy": FLAG},
    "change_levy_balance": {"gap": GAP, "balance": Ints(0, 300_000)},
    "audit": {"gap": GAP, "share": Ints(0, 110), "successful": FLAG},
}
"""The domain events a machine can apply, each with its parameters' domains: the same table
gives the rules' strategies and the decoding of a burst's compact event codes."""


class Driver:
    """Applies domain events to the learners being driven and checks every step: every
    invariant (and, with `agreement`, the Z3 transition relation) after every event."""

    ruleset: ClassVar[Ruleset] = official()
    failures: ClassVar[list[Failure]] = []
    ignore: ClassVar[frozenset[str]] = frozenset()
    runs: ClassVar[list[int]] = []
    steps: ClassVar[list[int]] = [0]  # events applied, across runs (for throughput figures)
    agreement: ClassVar[bool] = False
    symbolic: ClassVar[Any] = None
    disagreements: ClassVar[list[str]] = []  # each step where Z3 and the simulator differ

    def __init__(self) -> None:
        super().__init__()
        type(self).runs.append(1)
        self.active: list[Learner] = []
        self.last: Learner | None = None

    def _enrol(self, scenario: Scenario) -> Learner:
        scenario = for_ruleset(scenario, self.ruleset)
        _, state = start(scenario, self.ruleset)
        facts = derive(scenario, self.ruleset)
        bound = self.ruleset.bind(facts, PYTHON)
        learner = Learner(
            start=scenario, day=scenario.plan.start_date, state=state, rules=bound, facts=facts
        )
        self.active.append(learner)
        self.last = learner
        self._check(learner)
        return learner

    def _on(self, learner: Learner, gap: int, make: Any) -> None:
        learner.day = learner.day + dt.timedelta(days=gap)
        learner.add(make(learner.day), self.ruleset)
        type(self).steps[0] += 1
        self.last = learner
        self._check(learner)

    def _check(self, learner: Learner) -> None:
        found = [v for v in self._violations(learner) if v.invariant not in self.ignore]
        if found:
            first = found[0]
            type(self).failures.append(
                Failure(invariant=first.invariant, scenario=learner.scenario, violation=first)
            )
            raise AssertionError(f"{first.invariant} violated: {first.detail}")
        if self.agreement and learner.step is not None:
            self._agrees(learner)

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

    def _agrees(self, learner: Learner) -> None:
        """The Z3 transition relation, with the step's state, event, next state and output
        substituted, must reduce to true."""
        from aurules.model.symbolic.lifecycle import SymbolicStep

        assert learner.step is not None
        cls = type(self)
        if cls.symbolic is None or cls.symbolic[0] is not self.ruleset:
            cls.symbolic = (self.ruleset, SymbolicStep(self.ruleset))
        before, facts, output, expected = learner.step
        symbolic = cls.symbolic[1]
        if symbolic.agrees(before, facts, expected, output, learner.facts):
            return
        got = symbolic.evaluate(before, facts, learner.facts)
        want = {f.name: getattr(expected, f.name) for f in STATE_FIELDS}
        want |= {"output." + n: getattr(output, n) for n in OUTPUT_FIELDS}
        differences = {
            name: (value, got[name]) for name, value in want.items() if got[name] != value
        }
        message = (
            f"simulator and Z3 disagree on {learner.events[-1]}: "
            f"{differences or 'the relation did not reduce to true'}"
        )
        cls.disagreements.append(message)
        raise AssertionError(message)

    # the domain events

    def deliver(self, learner: Learner, gap: int, share: int, recorded: int, kit: bool) -> None:
        planned = learner.start.plan.planned_hours
        hours = max(planned * share // 100, 1)
        self._on(
            learner,
            gap,
            lambda day: sc.Delivered(
                date=day,
                hours=Hours(hours),
                recorded_hours=Hours(hours * recorded // 100),
                kit_day=kit,
            ),
        )

    def deliver_up_to(self, learner: Learner, gap: int, share: int) -> None:
        """Deliver just the hours that bring counted delivery to a milestone's share."""
        plan = learner.start.plan
        counted = learner.state.delivered
        needed = max(-(-plan.planned_hours * share // 100) - counted, 1)
        self._on(learner, gap, lambda day: sc.Delivered(date=day, hours=Hours(needed)))

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

    def complete_plan(self, learner: Learner, gap: int) -> None:
        """The skills test passed and the plan signed off by all three, on one day."""
        self._on(learner, gap, lambda day: sc.SkillsTestPassed(date=day))
        self._on(learner, 0, lambda day: sc.PlanSignedOff(date=day))

    def claim(self, learner: Learner, gap: int, item: Any, cost: int | None) -> None:
        self._on(
            learner,
            gap,
            lambda day: sc.Claim(
                date=day,
                item=item,
                cost=None if cost is None or item != "learning_support" else Money(cost),
            ),
        )

    def pass_skills_test(self, learner: Learner, gap: int) -> None:
        self._on(learner, gap, lambda day: sc.SkillsTestPassed(date=day))

    def sign_off(self, learner: Learner, gap: int, by: tuple[Any, ...]) -> None:
        self._on(learner, gap, lambda day: sc.PlanSignedOff(date=day, by=list(by)))

    def extend(self, learner: Learner, gap: int, weeks: int) -> None:
        end = learner.start.plan.planned_end_date
        self._on(
            learner, gap, lambda day: sc.Extended(date=day, to=end + dt.timedelta(weeks=weeks))
        )

    def start_leave(self, learner: Learner, gap: int, kind: Any) -> None:
        """Leave begins, ending first a leave still running (one leave at a time)."""
        if learner.state.leave != 0:
            self.end_leave(learner, 0)
        self._on(learner, gap, lambda day: sc.LeaveStarted(date=day, kind=kind))

    def end_leave(self, learner: Learner, gap: int) -> None:
        self._on(learner, gap, lambda day: sc.LeaveEnded(date=day))

    def leave_employment(self, learner: Learner, gap: int) -> None:
        self._on(learner, gap, lambda day: sc.EmploymentEnded(date=day, reason="resignation"))

    def withdraw(self, learner: Learner, gap: int) -> None:
        self._on(learner, gap, lambda day: sc.Withdrawn(date=day))

    def restart(  # noqa: PLR0917 - an event's parameters come positionally from EVENTS
        self,
        learner: Learner,
        gap: int,
        employer: str | None,
        balance: int,
        provider_changed: bool,
        plan_weeks: int | None,
    ) -> None:
        """Another enrolment of the same learner, possibly with a new employer (a levy payer
        with a balance, or a non-levy employer with a reservation) or provider, and possibly
        a new training plan of `plan_weeks` weeks from the restart."""
        new = (
            None
            if employer is None
            else sc.Employer(
                levy_payer=employer == "levy",
                levy_balance=Money(balance),
                funding="levy" if employer == "levy" else "reservation",
            )
        )
        self._on(
            learner,
            gap,
            lambda day: sc.Restarted(
                date=day,
                employer=new,
                provider_changed=provider_changed,
                planned_end_date=None
                if plan_weeks is None
                else day + dt.timedelta(weeks=plan_weeks),
            ),
        )

    def change_levy_status(self, learner: Learner, gap: int, levy: bool) -> None:
        self._on(learner, gap, lambda day: sc.LevyStatusChanged(date=day, levy_payer=levy))

    def change_levy_balance(self, learner: Learner, gap: int, balance: int) -> None:
        self._on(
            learner, gap, lambda day: sc.LevyBalanceChanged(date=day, levy_balance=Money(balance))
        )

    def audit(self, learner: Learner, gap: int, share: int, successful: bool) -> None:
        planned = learner.start.plan.planned_hours
        self._on(
            learner,
            gap,
            lambda day: sc.Audit(
                date=day,
                evidenced_hours=Hours(planned * share // 100),
                successful_outcome=successful,
            ),
        )


def _event_rule(name: str) -> Any:
    """A Hypothesis rule applying one domain event, its parameters drawn from their domains."""
    strategies: dict[str, st.SearchStrategy[Any]] = {"learner": A_LEARNER}
    strategies |= {param: domain.strategy() for param, domain in EVENTS[name].items()}
    decorate: Any = rule  # its overloads cannot see that no key is `target`
    return decorate(**strategies)(getattr(Driver, name))


class LifecycleMachine(Driver, RuleBasedStateMachine):
    """Many learners' lifecycles on the simulator: one rule per domain event, every invariant
    checked after every event."""

    @initialize(start=eligible_starts())
    def first_learner(self, start: Scenario) -> None:
        self._enrol(start)

    @precondition(lambda self: len(self.active) < LEARNERS_AT_ONCE)
    @rule(start=eligible_starts())
    def enrol(self, start: Scenario) -> None:
        self._enrol(start)

    @precondition(lambda self: len(self.active) > 1)
    @rule(learner=A_LEARNER)
    def finish(self, learner: Learner) -> None:
        """Stop driving a learner (keeps the number of learners at once small; one is always
        being driven)."""
        self.active.remove(learner)


for _name in EVENTS:  # one rule per domain event, named after it
    setattr(LifecycleMachine, _name, _event_rule(_name))


class AgreementMachine(LifecycleMachine):
    """The same steps, each also checked against the Z3 transition relation."""

    agreement = True


BURST = 16
"""Most events in one burst."""

EVENT_CODES = st.lists(st.integers(0, 2**48 - 1), min_size=1, max_size=BURST)
"""A burst: each event one whole number, read as a mixed-radix numeral (the event's kind,
then each parameter's position in its domain), so 0 is the simplest event (progress the
unit, same day) and shrinking a number towards 0 simplifies its event."""


def decode(code: int) -> tuple[str, dict[str, Any]]:
    """The domain event and parameters a burst's code stands for."""
    names = tuple(EVENTS)
    code, kind = divmod(code, len(names))
    name = names[kind]
    params = {}
    for param, domain in EVENTS[name].items():
        code, index = divmod(code, domain.size)
        params[param] = domain.pick(index)
    return name, params


class BurstMachine(Driver, RuleBasedStateMachine):
    """The same events in bursts: up to three learners enrolled at the start, then one rule
    that draws up to BURST compact event codes for a learner and applies them one by one,
    every invariant (and the Z3 agreement) checked after every event. Far fewer draws per
    event than one rule per event, so more events per second; the events, the checks after
    each and the counterexamples are the same."""

    @initialize(starts=st.lists(eligible_starts(), min_size=1, max_size=LEARNERS_AT_ONCE))
    def learners(self, starts: list[Scenario]) -> None:
        """The learners this run drives, all enrolled at once (their restarts are their
        further enrolments)."""
        for scenario in starts:
            self._enrol(scenario)

    @rule(learner=A_LEARNER, codes=EVENT_CODES)
    def burst(self, learner: Learner, codes: list[int]) -> None:
        for code in codes:
            name, params = decode(code)
            getattr(self, name)(learner, **params)


def machine_for(
    ruleset: Ruleset,
    agreement: bool = False,
    ignore: frozenset[str] = frozenset(),
    burst: bool = False,
) -> type[LifecycleMachine] | type[BurstMachine]:
    """A machine class bound to a ruleset, with its own failure log and run count; invariants
    in `ignore` (already found violated) are not checked. `burst` drives the events in
    bursts (`BurstMachine`); `agreement` also checks every step against Z3."""
    base: type[LifecycleMachine] | type[BurstMachine] = BurstMachine if burst else LifecycleMachine
    name = f"{base.__name__}{'Agreement' if agreement else ''}_{ruleset.hash}"
    return type(
        name,
        (base,),
        {
            "ruleset": ruleset,
            "failures": [],
            "ignore": ignore,
            "runs": [],
            "steps": [0],
            "agreement": agreement,
            "symbolic": None,
            "disagreements": [],
        },
    )
