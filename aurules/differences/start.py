"""`aurules diff`: which learners get a different outcome under two rulesets.

Z3 searches the start-of-unit facts (the minimal scenario with the facts of
`model.symbolic.reconstruct.FREE` free) for learners that are eligible under one ruleset and not the
other. Differences are grouped by the rule whose verdict changes and the direction
(newly eligible / newly ineligible); each group's witness is the learner fewest facts away
from the minimal scenario (Z3 optimisation), rebuilt as a scenario and confirmed by
evaluating it under both rulesets. A witness that does not confirm is reported as unknown.

Lifecycle differences are searched by `aurules.differences.lifecycle`. Not yet searched: the
reservation and transfer windows (their month arithmetic is not expressed in Z3 yet).
"""

from __future__ import annotations

from typing import Any

import attrs
import z3

from aurules.model.calendar import day_number
from aurules.model.evaluate import evaluate
from aurules.model.facts import Facts, derive
from aurules.model.proposal import added_facts
from aurules.model.registry import Rule
from aurules.model.rulebook import start_rules
from aurules.model.ruleset import Ruleset
from aurules.model.scenario import MINIMAL, Scenario
from aurules.model.symbolic.reconstruct import FREE
from aurules.model.symbolic.start_space import nearest, scenario_for, start_space
from aurules.model.values_z3 import Z3


@attrs.frozen(kw_only=True)
class Group:
    """One kind of difference, with a confirmed witness."""

    rule: str
    paragraphs: tuple[str, ...]
    direction: str  # "newly eligible" or "newly ineligible"
    verdict: str  # "differs" or "unknown"
    witness: dict[str, Any] | None = None
    changed: tuple[str, ...] = ()
    base_outcome: dict[str, Any] | None = None
    proposal_outcome: dict[str, Any] | None = None
    detail: str = ""
    cause: str = ""
    """The change of the proposal that makes it differ."""


def _outcome_key(outcome: dict[str, Any]) -> tuple[Any, ...]:
    return outcome["eligible"], tuple(outcome["failed_paragraphs"])


def diff(base: Ruleset, proposal: Ruleset) -> list[Group]:
    """Every group of learners whose eligibility differs, with a witness each."""
    minimal = Scenario.from_data(MINIMAL)
    new_facts = added_facts(base, proposal)
    base_facts = derive(minimal, base)
    facts, constraints = start_space(
        base_facts, min(day_number(base.valid_to), day_number(proposal.valid_to)), new_facts
    )
    bound_base, bound_prop = base.bind(facts, Z3), proposal.bind(facts, Z3)
    base_rules = {r.name: r for r in start_rules(base)}
    prop_rules = {r.name: r for r in start_rules(proposal)}
    rules = base_rules | prop_rules  # a rule only one side has holds on the other
    eligible_base = z3.And([r(facts, bound_base, Z3) for r in base_rules.values()])
    eligible_prop = z3.And([r(facts, bound_prop, Z3) for r in prop_rules.values()])
    groups = []
    for name, rule in rules.items():
        before = base_rules[name](facts, bound_base, Z3) if name in base_rules else True
        after = prop_rules[name](facts, bound_prop, Z3) if name in prop_rules else True
        for direction, flip in (
            ("newly eligible", z3.And(eligible_prop, z3.Not(eligible_base), z3.Not(before), after)),
            (
                "newly ineligible",
                z3.And(eligible_base, z3.Not(eligible_prop), before, z3.Not(after)),
            ),
        ):
            group = _search(
                rule,
                direction,
                flip,
                facts=facts,
                constraints=constraints,
                base_facts=base_facts,
                base=base,
                proposal=proposal,
                new_facts=new_facts,
            )
            if group is not None:
                groups.append(group)
    return groups


def _search(
    rule: Rule,
    direction: str,
    flip: Any,
    *,
    facts: Facts,
    constraints: list[Any],
    base_facts: Facts,
    base: Ruleset,
    proposal: Ruleset,
    new_facts: tuple[Any, ...] = (),
) -> Group | None:
    target = {name: getattr(base_facts, name) for name in FREE}
    target |= {new.path: new.default for new in new_facts}
    answer, values = nearest(facts, constraints, flip, target)
    if answer == "unsat":
        return None
    if answer == "unknown":
        return Group(
            rule=rule.name,
            paragraphs=rule.paragraphs,
            direction=direction,
            verdict="unknown",
            detail=values["reason"],
        )
    changed = tuple(n for n in values if values[n] != target[n])
    data = scenario_for(values, target, new_facts)
    scenario = Scenario.from_data(data, "<diff witness>", new_facts)
    under_base = evaluate(scenario, base).to_data()
    under_prop = evaluate(scenario, proposal).to_data()
    confirmed = _outcome_key(under_base) != _outcome_key(under_prop)
    return Group(
        rule=rule.name,
        paragraphs=rule.paragraphs,
        direction=direction,
        verdict="differs" if confirmed else "unknown",
        witness=data,
        changed=changed,
        base_outcome=under_base,
        proposal_outcome=under_prop,
        detail="" if confirmed else "the rebuilt witness does not differ",
    )
