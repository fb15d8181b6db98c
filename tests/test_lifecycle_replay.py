"""The vectorised lifecycle replay (NumPy, every learner at once) agrees with the simulator
(`evaluate`, one learner at a time) event for event: every payment and recovery to the
penny, every refusal with its paragraphs, every final status, under the official ruleset
and every example proposal."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from aurules.model.evaluate import run
from aurules.model.facts import derive
from aurules.model.lifecycle import claim_asks
from aurules.model.population.lifecycle import PAYERS, from_event_lists, replay
from aurules.model.population.table import from_scenarios
from aurules.model.rules.change_of_circumstance import withdrawal_deadline
from aurules.model.ruleset import Ruleset, load_ruleset, official
from aurules.model.scenario import Scenario
from aurules.model.state import EVENT_KINDS, event_facts
from aurules.model.values import PYTHON
from aurules.properties.strategies import for_ruleset, lifecycles

PROPOSALS = sorted(
    p
    for p in (Path(__file__).resolve().parent.parent / "examples" / "proposals").glob("*.toml")
    if p.name != "expected.toml"
)


def agree(scenarios: list[Scenario], ruleset: Ruleset) -> None:
    """Replay the learners together and compare every event with the simulator's run."""
    new_facts = ruleset.structure.facts
    pop = from_scenarios(scenarios, new_facts)
    events = from_event_lists([s.events for s in scenarios])
    out = replay(pop, events, ruleset)
    statuses = out.status_names()
    refused_text = out.refused_text()
    totals = {payer: out.totals(payer) for payer in PAYERS}
    position = 0
    for learner, scenario in enumerate(scenarios):
        trace = run(scenario, ruleset)
        bound = ruleset.bind(derive(scenario, ruleset), PYTHON)
        assert trace.outcome.eligible == bool(out.start.eligible[learner])
        for step in trace.steps:
            got_paid = [
                (step.event.item, *(int(out.payment[p][position]) for p in PAYERS))
                for _ in [0]
                if out.paid[position]
            ]
            got_recovered = [
                (item, *(-int(amount[p][position]) for p in PAYERS))
                for item, flag, amount in zip(
                    ("milestone_1", "milestone_2"), out.recovered, out.recovered_amount, strict=True
                )
                if flag[position]
            ]
            expected = [
                (p.item, p.government.pence, p.employer_account.pence, p.employer_direct.pence)
                for p in step.payments
            ]
            assert expected == got_paid + got_recovered, (learner, step.index, step.event)
            want = tuple(step.refusal.paragraphs) if step.refusal else None
            assert want == out.refused_paragraphs[position], (learner, step.index)
            if step.refusal is not None:  # what it would have paid, on the Python backend
                asks = claim_asks(step.before, event_facts(step.event), bound, PYTHON)
                assert asks == tuple(int(out.asked[p][position]) for p in PAYERS)
            assert (step.refusal is not None) == bool(out.refused[position])
            position += 1
        outcome = trace.outcome
        assert outcome.status == statuses[learner], (learner, scenario.to_data())
        for payer in PAYERS:
            assert getattr(outcome.totals, payer).pence == totals[payer][learner]
        assert (
            ";".join(f"{r.item}:{','.join(r.paragraphs)}" for r in outcome.refused)
            == refused_text[learner]
        )
        for name in ("total_government", "m1_times", "m2_times", "balance", "withdrawn"):
            assert getattr(trace.final, name) == out.final[name][learner], name
        final = trace.final
        late = final.last_day > withdrawal_deadline(final, final.last_day, bound, PYTHON)
        on_unit = outcome.eligible and not final.m2_held and not final.withdrawn
        assert (on_unit and late) == bool(out.past_deadline[learner])
    assert position == events.size


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(lifecycles(), min_size=1, max_size=12))
def test_replay_agrees_with_the_simulator_under_the_official_rules(
    scenarios: list[Scenario],
) -> None:
    agree(scenarios, official())


@pytest.mark.parametrize("path", PROPOSALS, ids=[p.stem for p in PROPOSALS])
def test_replay_agrees_with_the_simulator_under_every_example_proposal(path: Path) -> None:
    ruleset = load_ruleset(str(path))

    @settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(st.lists(lifecycles(), min_size=1, max_size=8))
    def check(scenarios: list[Scenario]) -> None:
        agree([for_ruleset(s, ruleset) for s in scenarios], ruleset)

    check()


def test_learners_without_events_and_empty_populations() -> None:
    scenarios = [s for s in [from_data_minimal()]]
    agree(scenarios, official())
    out = replay(from_scenarios([]), from_event_lists([]), official())
    assert 0 == out.size
    assert 0 == len(out.refused_text())


def from_data_minimal() -> Scenario:
    from aurules.model.scenario import MINIMAL

    return Scenario.from_data(MINIMAL)


def test_a_learner_event_order_is_kept_when_learners_are_interleaved() -> None:
    """Events of several learners mixed together in the table are each learner's history in
    table order (as in a file whose rows are not grouped by learner)."""
    from tests.helpers import claim, delivered, scenario

    one = scenario({"events": [delivered("2026-05-04", 30), claim("2026-05-05", "milestone_1")]})
    two = scenario({"events": [claim("2026-05-04", "milestone_1"), delivered("2026-05-05", 30)]})
    pop = from_scenarios([one, two])
    table = from_event_lists([one.events, two.events])
    mixed = np.array([0, 2, 1, 3])  # one's first, two's first, one's second, two's second
    out = replay(pop, table.take(mixed), official())
    assert [
        "",
        "milestone_1:" + ",".join(run(two, official()).outcome.refused[0].paragraphs),
    ] == list(out.refused_text())


def test_a_claim_cites_its_own_items_eligibility_guard(tmp_path: Path) -> None:
    """A proposal whose eligibility guard covers the milestones only: a learning support
    claim of an ineligible learner is refused for its own conditions, not for 21."""
    from tests.helpers import claim, delivered, proposal, scenario

    ruleset = proposal(
        tmp_path,
        """
        [[rules]]
        name = "eligible_learner"
        replaces = "eligible_learner"
        kind = "claim"
        items = ["milestone_1", "milestone_2"]
        paragraph = "21"
        summary = "Milestones are paid only to a learner who meets the residency criteria."
        holds = "learner.residency_eligible"
        """,
    )
    learner = scenario(
        {
            "learner.residency_eligible": False,
            "learner.learning_difficulty_or_disability": True,
            "events": [
                delivered("2026-05-10", 30),
                claim("2026-05-11", "milestone_1"),
                claim("2026-05-12", "learning_support"),
            ],
        }
    )
    agree([learner, scenario()], ruleset)
    assert run(learner, ruleset).outcome.refused[1].paragraphs[0] != "21"


@pytest.mark.parametrize("path", [None, *PROPOSALS], ids=["official", *[p.stem for p in PROPOSALS]])
def test_replay_agrees_with_the_simulator_on_synthetic_histories(path: Path | None) -> None:
    """Synthetic learners and histories (every kind of event the generator makes: leave,
    extensions, withdrawals, restarts, audits), replayed together, against `evaluate` on each
    learner's scenario."""
    import json

    from aurules.population.histories import Assumptions, event_data, event_table, histories
    from aurules.population.synthetic import generate

    ruleset = official() if path is None else load_ruleset(str(path))
    pop = next(generate(120, 11, ruleset))
    made = histories(
        pop, 11, 0, Assumptions(withdraw=0.5, restart=0.5, leave=0.3, extend=0.3, audit=0.4)
    )
    table = event_table(made, pop)
    assert {"leave_started", "extended", "withdrawn", "restarted", "audit"} <= {
        EVENT_KINDS.name(int(k)) for k in made.kind
    }
    by_learner: dict[int, list[dict[str, object]]] = {}
    for index in range(made.size):
        by_learner.setdefault(int(table.learner[index]), []).append(event_data(made, index))
    scenarios = []
    for position in range(pop.size):
        data = pop.row_data(position)
        data["events"] = by_learner.get(position, [])
        scenarios.append(Scenario.from_data(json.loads(json.dumps(data, default=float))))
    agree(scenarios, ruleset)
