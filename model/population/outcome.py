"""Every learner of a population through the start-of-unit rules and the planned split, at
once, on the NumPy backend: the same rule definitions as `evaluate`, over columns.

For each row: eligibility, the rules (and so paragraphs) that failed, and the planned split
(`model.planned`). A test checks every row against `evaluate` on the row's scenario, to the
penny.
"""

from __future__ import annotations

import math
from typing import Any

import attrs
import numpy as np

from aurules.model.facts import leap_day_rule
from aurules.model.planned import PlannedSplit, planned_split
from aurules.model.population.facts import derive_table
from aurules.model.population.table import Population
from aurules.model.registry import Rule, paragraph_key
from aurules.model.rulebook import start_rules
from aurules.model.ruleset import Ruleset
from aurules.model.state import initial_state
from aurules.model.values_numpy import NUMPY


@attrs.frozen(kw_only=True, eq=False)
class TableOutcome:
    """What the rules make of every row: `failed` maps each start rule to the rows it fails."""

    size: int
    eligible: Any
    failed: dict[Rule, Any]
    split: PlannedSplit

    def paragraph_failures(self) -> dict[str, Any]:
        """Each paragraph some rule failed under, with the rows where one of its rules
        failed (the rows whose `failed_paragraphs` list it), in paragraph order."""
        out: dict[str, Any] = {}
        for rule, rows in self.failed.items():
            if not rows.any():
                continue
            for paragraph in rule.paragraphs:
                out[paragraph] = out[paragraph] | rows if paragraph in out else rows
        return {p: out[p] for p in sorted(out, key=paragraph_key)}

    def failed_paragraphs(self, position: int) -> list[str]:
        """One row's failed paragraphs, as `evaluate` lists them."""
        ids = {p for rule, rows in self.failed.items() if rows[position] for p in rule.paragraphs}
        return sorted(ids, key=paragraph_key)


def _full(value: Any, size: int, dtype: Any) -> Any:
    """A rule's result as one entry per row (a rule that reads only the ruleset gives one
    value for all)."""
    array = np.asarray(value, dtype=dtype)
    return np.broadcast_to(array, (size,)) if array.ndim == 0 else array


def evaluate_rows(pop: Population, rules: Any) -> TableOutcome:
    """Every row under `rules`: one ruleset, or editions (`aurules.model.editions`), each
    row under the one whose period holds its start date (rows no period holds are left
    ineligible with no rule failed: callers filter them out first, as bad rows)."""
    if len(rules.rulesets) == 1:
        return evaluate_table(pop, rules.rulesets[0])
    start = np.asarray(pop.values["plan.start_date"])
    eligible = np.zeros(pop.size, dtype=bool)
    failed: dict[Rule, Any] = {}
    split = {name: np.zeros(pop.size, dtype=np.int64) for name in attrs.fields_dict(PlannedSplit)}
    for ruleset in rules.rulesets:
        rows = ruleset.holds_days(start)
        if not rows.any():
            continue
        part = evaluate_table(pop.take(rows), ruleset)
        eligible[rows] = part.eligible
        for rule, failing in part.failed.items():
            failed.setdefault(rule, np.zeros(pop.size, dtype=bool))[rows] = failing
        for name, column in split.items():
            column[rows] = getattr(part.split, name)
    return TableOutcome(
        size=pop.size, eligible=eligible, failed=failed, split=PlannedSplit(**split)
    )


def evaluate_table(pop: Population, ruleset: Ruleset) -> TableOutcome:
    """Every row through the start rules and the planned split."""
    facts = derive_table(pop, ruleset)
    bound = ruleset.bind(facts, NUMPY)
    eligible = np.ones(pop.size, dtype=bool)
    failed = {}
    for rule in start_rules(ruleset):
        passed = _full(rule(facts, bound, NUMPY), pop.size, bool)
        np.logical_and(eligible, passed, out=eligible)
        failed[rule] = ~passed
    raw = planned_split(initial_state(facts, eligible, NUMPY), bound, NUMPY)
    split = PlannedSplit(
        **{
            name: _full(getattr(raw, name), pop.size, np.int64)
            for name in attrs.fields_dict(PlannedSplit)
        }
    )
    return TableOutcome(size=pop.size, eligible=eligible, failed=failed, split=split)


def evaluate_variants(pop: Population, rulesets: list[Ruleset]) -> list[TableOutcome]:
    """`evaluate_table` for several rulesets that differ only in parameter values (a sweep),
    sharing what they share: the facts are derived once per calendar interpretation, and a
    rule (or the planned split) that reads none of the parameters the rulesets set
    differently is evaluated once for all of them (its reads are logged as `explain` logs
    them)."""
    from aurules.model.values import Reading

    first = rulesets[0]
    differing = {key for r in rulesets[1:] for key, _, _ in r.changed_from(first)}
    facts_of: dict[Any, Any] = {}
    bound = []
    for ruleset in rulesets:
        key = leap_day_rule(ruleset)
        if key not in facts_of:
            facts_of[key] = derive_table(pop, ruleset)
        bound.append(ruleset.bind(facts_of[key], NUMPY))
    facts = [facts_of[leap_day_rule(r)] for r in rulesets]
    eligible = [np.ones(pop.size, dtype=bool) for _ in rulesets]
    failed: list[dict[Rule, Any]] = [{} for _ in rulesets]
    for index, rule in enumerate(start_rules(first)):
        log: dict[str, Any] = {}
        result = _full(rule(facts[0], Reading(bound[0], log), NUMPY), pop.size, bool)
        shared = not differing & set(log) and all(f is facts[0] for f in facts)
        for number, ruleset in enumerate(rulesets):
            own = list(start_rules(ruleset))[index]
            passed = (
                result
                if shared or number == 0
                else _full(own(facts[number], bound[number], NUMPY), pop.size, bool)
            )
            np.logical_and(eligible[number], passed, out=eligible[number])
            failed[number][own] = ~passed
    outcomes = []
    split_log: dict[str, Any] = {}
    reading: Any = Reading(bound[0], split_log)
    first_split = planned_split(initial_state(facts[0], eligible[0], NUMPY), reading, NUMPY)
    together = None
    if differing & set(split_log) and all(np.array_equal(e, eligible[0]) for e in eligible):
        stacked = _stacked(rulesets, differing)
        if stacked is not None:  # every value at once, along a new first axis
            together = planned_split(initial_state(facts[0], eligible[0], NUMPY), stacked, NUMPY)
    for number in range(len(rulesets)):
        same = not differing & set(split_log) and np.array_equal(eligible[number], eligible[0])
        if together is not None:
            raw = together
        elif number == 0 or same:
            raw = first_split
        else:
            raw = planned_split(
                initial_state(facts[number], eligible[number], NUMPY), bound[number], NUMPY
            )
        split = PlannedSplit(
            **{
                name: _variant(getattr(raw, name), number, pop.size, together is not None)
                for name in attrs.fields_dict(PlannedSplit)
            }
        )
        outcomes.append(
            TableOutcome(
                size=pop.size, eligible=eligible[number], failed=failed[number], split=split
            )
        )
    return outcomes


def _variant(value: Any, number: int, size: int, stacked: bool) -> Any:
    """One ruleset's column of a result computed for several at once (a 2-D array has one
    row per ruleset; a 1-D one is the same for all)."""
    array = np.asarray(value)
    if stacked and array.ndim > 1:
        array = array[number]
    return _full(array, size, np.int64)


def _stacked(rulesets: list[Ruleset], differing: set[str]) -> Ruleset | None:
    """The first ruleset with the one parameter the rulesets differ in holding every
    ruleset's value along a new first axis (NumPy broadcasts each rule over them all), or
    None where that cannot be done (several keys, banded rulesets, a value that is not a
    number, a proportion or an amount)."""
    from aurules.model.money import Money, Rate

    if len(differing) != 1 or any(r.structure.needs_binding for r in rulesets):
        return None
    (key,) = differing
    section, field = key.split(".", 1)
    if section == "interpretations":
        return None
    values = [getattr(getattr(r, section), field) for r in rulesets]
    column = (len(values), 1)
    stacked: Any
    if all(isinstance(v, Rate) for v in values):
        den = math.lcm(*(v.den for v in values))
        nums: Any = np.array([v.num * (den // v.den) for v in values]).reshape(column)
        stacked = Rate(nums, den)
    elif all(isinstance(v, Money) for v in values):
        pence: Any = np.array([v.pence for v in values]).reshape(column)
        stacked = Money(pence)
    elif all(isinstance(v, int) and not isinstance(v, bool) for v in values):
        stacked = np.array(values).reshape(column)
    else:
        return None
    part = attrs.evolve(getattr(rulesets[0], section), **{field: stacked})
    return attrs.evolve(rulesets[0], **{section: part})
