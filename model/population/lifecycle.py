"""Whole lifecycles of a population replayed at once on the NumPy backend.

`replay(pop, events, ruleset)` runs every learner of a population through the start rules
(`evaluate_table`) and then through its events with `aurules.model.lifecycle.transition`, the
very step function the simulator and the proofs use: nothing of the lifecycle is written
again here. Events are grouped by their place in their learner's history and then by kind:
every learner's first event, kind by kind, then every second event, and so on. Within a group
the event kind is one value, so the step runs only that kind's effect (as the simulator does),
over the columns of every learner in the group at once. A learner appears at most once per
group, so the new states are written back without conflict.

What comes out matches `evaluate` event for event (a test checks every payment, refusal with
its paragraphs, recovery and final status, to the penny): per event, the claim's payment or
refusal and an audit's recoveries; per learner, the final state and status.
"""

from __future__ import annotations

import itertools
from typing import Any

import attrs
import numpy as np

from aurules.model.evaluate import refusal_paragraphs, status_code
from aurules.model.facts import Facts
from aurules.model.lifecycle import claim_asks, transition
from aurules.model.outcome import STATUSES
from aurules.model.population.facts import derive_table
from aurules.model.population.outcome import TableOutcome, evaluate_table
from aurules.model.population.table import Population
from aurules.model.registry import paragraph_key
from aurules.model.rulebook import start_rules
from aurules.model.rules.change_of_circumstance import withdrawal_deadline
from aurules.model.ruleset import Ruleset
from aurules.model.state import (
    CLAIM_ITEMS,
    EVENT_FIELDS,
    EVENT_KINDS,
    ITEMS,
    STATE_FIELDS,
    EventFacts,
    State,
    event_facts,
    fields_of_kind,
    initial_state,
)
from aurules.model.values_numpy import NUMPY

PAYERS = ("government", "employer_account", "employer_direct")
"""The parts of a payment, as the outcome names them."""

_BOOL = {f.name for f in (*STATE_FIELDS, *EVENT_FIELDS) if f.metadata["kind"] == "bool"}


_NO_EVENT = {f.name: False if f.name in _BOOL else 0 for f in EVENT_FIELDS if f.name != "kind"}


def _dtype(name: str) -> Any:
    return bool if name in _BOOL else np.int64


@attrs.frozen(kw_only=True, eq=False)
class EventTable:
    """The events of a population's learners as columns.

    `learner` is each event's learner (its 0-based position in the population); a learner's
    events are in their order of occurrence among the rows (the file's order). `facts` holds
    every `EventFacts` field as one array; `rows` are the events' 1-based rows in their file
    (for messages), and `types` their kinds as names are derived from `facts["kind"]`."""

    learner: Any
    facts: dict[str, Any]
    rows: Any

    @property
    def size(self) -> int:
        return len(self.learner)

    def column(self, name: str) -> Any:
        """One `EventFacts` field for every event (its "not used" value where the table
        leaves it out)."""
        if name in self.facts:
            return self.facts[name]
        return np.zeros(self.size, dtype=_dtype(name))

    def take(self, index: Any, learners: Any = None) -> EventTable:
        """The events at `index`; with `learners` (old position -> new), renumbered."""
        learner = self.learner[index]
        return EventTable(
            learner=learner if learners is None else learners[learner],
            facts={k: v[index] for k, v in self.facts.items()},
            rows=self.rows[index],
        )

    def of_learners(self, mask: Any) -> EventTable:
        """The events of the learners in `mask` (a boolean array over the population), with
        learners renumbered as in `Population.take(mask)`."""
        renumber = np.cumsum(mask) - 1
        return self.take(mask[self.learner], renumber)


def from_event_lists(histories: list[list[Any]]) -> EventTable:
    """An event table of parsed scenario events, one list per learner (tests and small
    inputs; files are read column by column)."""
    flat = [(i, event_facts(e)) for i, events in enumerate(histories) for e in events]
    facts = {
        f.name: np.array([getattr(ef, f.name) for _, ef in flat], dtype=_dtype(f.name))
        for f in EVENT_FIELDS
    }
    return EventTable(
        learner=np.array([i for i, _ in flat], dtype=np.int64),
        facts=facts,
        rows=np.arange(1, len(flat) + 1, dtype=np.int64),
    )


@attrs.frozen(kw_only=True, eq=False)
class LifecycleOutcome:
    """Every learner's lifecycle: the start verdicts, what each event paid, refused or
    recovered, and where each learner ends.

    Per event (arrays in the event table's order): `paid` and `refused` for claims, the
    claim's `payment` by payer, `recovered` (milestone 1, milestone 2) and the recovered
    amounts by payer (positive numbers: the amounts taken back), `refused_paragraphs` (a
    tuple for each refused claim, else None). Per learner: `final` state fields, `status`
    codes into `STATUSES`."""

    start: TableOutcome
    events: EventTable
    paid: Any
    refused: Any
    payment: dict[str, Any]
    recovered: tuple[Any, Any]
    recovered_amount: tuple[dict[str, Any], dict[str, Any]]
    refused_paragraphs: Any
    final: dict[str, Any]
    status: Any
    asked: dict[str, Any] = attrs.field(factory=dict)
    """Per claim event, what it would have paid had every condition held (`claim_asks`), by
    payer: for a refused claim, the amount refused."""
    past_deadline: Any = None
    """Per learner: eligible, neither completed nor withdrawn, and its last event after the
    withdrawal deadline (131)."""

    @property
    def size(self) -> int:
        return self.start.size

    def status_names(self) -> Any:
        """Each learner's status by name."""
        return np.asarray(STATUSES, dtype=object)[self.status]

    def totals(self, payer: str) -> Any:
        """Each learner's sum of payments to `payer` (recoveries negative), in pence."""
        n = self.size
        learner = self.events.learner
        paid = np.bincount(learner, weights=self.payment[payer], minlength=n)
        back = sum(
            np.bincount(learner, weights=amount[payer], minlength=n)
            for amount in self.recovered_amount
        )
        return np.rint(paid - back).astype(np.int64)

    def refused_text(self) -> Any:
        """Each learner's refusals as `item:paragraph,paragraph;...` in event order."""
        out = np.full(self.size, "", dtype=object)
        items = np.asarray(ITEMS.names, dtype=object)
        for index in np.flatnonzero(self.refused):
            who = int(self.events.learner[index])
            item = items[self.events.column("item")[index]]
            part = f"{item}:{','.join(self.refused_paragraphs[index])}"
            out[who] = f"{out[who]};{part}" if out[who] else part
        return out


def replay(pop: Population, events: EventTable, ruleset: Ruleset) -> LifecycleOutcome:
    """Every learner of `pop` through the start rules and then its events under `ruleset`."""
    start = evaluate_table(pop, ruleset)
    facts = derive_table(pop, ruleset)
    n, count = pop.size, events.size
    state = _StateColumns(initial_state(facts, start.eligible, NUMPY), n)
    order, cuts = _groups(events.learner, events.facts["kind"], n)
    learner = events.learner[order]
    kinds = events.facts["kind"][order]
    items = events.column("item")[order]
    paid = np.zeros(count, dtype=bool)
    refused = np.zeros(count, dtype=bool)
    payment = {payer: np.zeros(count, dtype=np.int64) for payer in PAYERS}
    recovered = (np.zeros(count, dtype=bool), np.zeros(count, dtype=bool))
    amounts: tuple[dict[str, Any], dict[str, Any]] = (
        {payer: np.zeros(count, dtype=np.int64) for payer in PAYERS},
        {payer: np.zeros(count, dtype=np.int64) for payer in PAYERS},
    )
    guards_failed: dict[str, Any] = {}
    asked = {payer: np.zeros(count, dtype=np.int64) for payer in PAYERS}
    binds = ruleset.structure.needs_binding
    for first, last in itertools.pairwise(cuts):
        group = slice(int(first), int(last))
        who = learner[group]
        kind = int(kinds[first])
        before = state.take(who)
        event = _event(events, order[group], kind)
        rules = ruleset.bind(_take_facts(facts, who), NUMPY) if binds else ruleset
        after, output = transition(before, event, rules, NUMPY)
        state.put(who, before, after)
        if EVENT_KINDS.names[kind] == "claim":
            paid[group] = output.claim_paid
            refused[group] = output.claim_refused
            for payer, value in zip(PAYERS, claim_asks(before, event, rules, NUMPY), strict=True):
                asked[payer][group] = value
            for payer in PAYERS:
                payment[payer][group] = getattr(output, payer)
            for key, result in output.guard_results.items():
                failed = guards_failed.setdefault(key, np.zeros(count, dtype=bool))
                failed[group] = np.logical_not(result)
        elif EVENT_KINDS.names[kind] == "audit":
            for number, (flag, amount) in enumerate(zip(recovered, amounts, strict=True), 1):
                flag[group] = getattr(output, f"recovered_m{number}")
                for payer, part in zip(PAYERS, ("government", "account", "direct"), strict=True):
                    taken = getattr(before, f"m{number}_{part}")
                    amount[payer][group] = np.where(flag[group], taken, 0)

    def back(column: Any) -> Any:  # from group order to the table's order
        out = np.empty_like(column)
        out[order] = column
        return out

    paragraphs = _name_refusals(
        refused,
        guards_failed=guards_failed,
        learner=learner,
        item_codes=items,
        start=start,
        ruleset=ruleset,
    )
    final = state.as_dict()
    status, late = _ending(final, start.eligible, facts, ruleset)
    return LifecycleOutcome(
        start=start,
        events=events,
        paid=back(paid),
        refused=back(refused),
        payment={payer: back(v) for payer, v in payment.items()},
        recovered=(back(recovered[0]), back(recovered[1])),
        recovered_amount=tuple(  # type: ignore[arg-type]
            {payer: back(v) for payer, v in amount.items()} for amount in amounts
        ),
        refused_paragraphs=back(paragraphs),
        final=final,
        status=status,
        asked={payer: back(v) for payer, v in asked.items()},
        past_deadline=late,
    )


def _event(events: EventTable, index: Any, kind: int) -> EventFacts:
    """The events at `index` (all of one kind) as event facts: the fields that kind uses,
    gathered from the table (a restart's from its `restart` objects where the table keeps
    them so), every other field at its "not used" value."""
    name = EVENT_KINDS.names[kind]
    values: dict[str, Any] = {**_NO_EVENT, "kind": kind, "day": events.facts["day"][index]}
    restarts = events.facts.get("restart")
    if name == "restarted" and restarts is not None:
        objects = restarts[index]
        for field in fields_of_kind(name):
            values[field] = np.array([getattr(o, field) for o in objects], dtype=_dtype(field))
        return EventFacts(**values)
    for field in fields_of_kind(name):
        column = events.facts.get(field)
        if column is not None:
            values[field] = column[index]
    return EventFacts(**values)


class _StateColumns:
    """Every learner's state as two matrices (whole numbers, flags), one row per learner:
    a group's states are then two gathers rather than one per field."""

    def __init__(self, init: State, n: int) -> None:
        self.ints = [f.name for f in STATE_FIELDS if f.name not in _BOOL]
        self.flags = [f.name for f in STATE_FIELDS if f.name in _BOOL]
        self.int_matrix = np.empty((n, len(self.ints)), dtype=np.int64)
        self.flag_matrix = np.empty((n, len(self.flags)), dtype=bool)
        for j, name in enumerate(self.ints):
            self.int_matrix[:, j] = getattr(init, name)
        for j, name in enumerate(self.flags):
            self.flag_matrix[:, j] = getattr(init, name)

    def take(self, who: Any) -> State:
        ints, flags = self.int_matrix[who], self.flag_matrix[who]
        values = {name: ints[:, j] for j, name in enumerate(self.ints)}
        values.update({name: flags[:, j] for j, name in enumerate(self.flags)})
        return State(**values)

    def put(self, who: Any, before: State, after: State) -> None:
        """Write back the fields the step changed (an effect leaves most as they were)."""
        for j, name in enumerate(self.ints):
            value = getattr(after, name)
            if value is not getattr(before, name):
                self.int_matrix[who, j] = value
        for j, name in enumerate(self.flags):
            value = getattr(after, name)
            if value is not getattr(before, name):
                self.flag_matrix[who, j] = value

    def as_dict(self) -> dict[str, Any]:
        out = {name: self.int_matrix[:, j].copy() for j, name in enumerate(self.ints)}
        out.update({name: self.flag_matrix[:, j].copy() for j, name in enumerate(self.flags)})
        return out


def _groups(learner: Any, kinds: Any, n: int) -> tuple[Any, Any]:
    """The events in group order (by place in the learner's history, then kind) and the
    bounds of each group in that order."""
    count = len(learner)
    if not count:
        return np.zeros(0, dtype=np.int64), np.zeros(1, dtype=np.int64)
    order = np.argsort(learner, kind="stable")
    by_learner = learner[order]
    sizes = np.bincount(by_learner, minlength=n)
    place = np.empty(count, dtype=np.int64)
    place[order] = np.arange(count) - (np.cumsum(sizes) - sizes)[by_learner]
    key = place * len(EVENT_KINDS.names) + kinds
    ranked = np.argsort(key, kind="stable")
    cuts = np.flatnonzero(np.diff(key[ranked])) + 1
    return ranked, np.concatenate([[0], cuts, [count]])


def _take_facts(facts: Facts, who: Any) -> Facts:
    """The start facts of the learners at positions `who` (for binding a ruleset)."""

    def part(value: Any) -> Any:
        return value[who] if isinstance(value, np.ndarray) and value.ndim == 1 else value

    values = {f.name: part(getattr(facts, f.name)) for f in attrs.fields(Facts) if f.init}
    values["extra"] = {path: part(v) for path, v in facts.extra.items()}
    return Facts(**values)


def _name_refusals(
    refused: Any,
    *,
    guards_failed: dict[str, Any],
    learner: Any,
    item_codes: Any,
    start: TableOutcome,
    ruleset: Ruleset,
) -> Any:
    """Each refused claim's paragraphs (a tuple; None for other events), worked out once per
    distinct cause (the item and the guards that failed; for an ineligible learner, also the
    start rules it failed) by the function the simulator uses."""
    out = np.full(len(refused), None, dtype=object)
    where = np.flatnonzero(refused)
    if not where.size:
        return out
    keys = list(guards_failed)
    failed_guards = np.stack([guards_failed[k][where] for k in keys], axis=1)
    items = item_codes[where]
    learners = learner[where]
    rules = list(start_rules(ruleset))
    failed_start = np.stack([np.asarray(start.failed[r]) for r in rules], axis=1)
    # A claim refused because the learner is not eligible cites 21 and the start
    # paragraphs it failed, whatever else failed (`refusal_paragraphs`): worked out once per
    # pattern of failed start rules. Any other refusal: once per item and failed guards.
    by_eligibility = np.zeros(len(where), dtype=bool)
    for i, key in enumerate(keys):
        item_name, _, guard = key.partition(":")
        if guard == "eligible_learner":  # the claimed item's own guard (a proposal may
            by_eligibility |= failed_guards[:, i] & (items == ITEMS[item_name])  # limit it)
    ineligible = ~np.asarray(start.eligible)[learners]
    patterns = np.where(by_eligibility & ineligible, _dense(_row_ids(failed_start))[learners], -1)
    guard_ids = np.where(by_eligibility, -1, _dense(_row_ids(failed_guards)))
    cause = _dense(patterns) * (len(where) + 1) * len(ITEMS.names) + _dense(
        guard_ids * len(ITEMS.names) + items
    )
    distinct, first, inverse = np.unique(cause, return_index=True, return_inverse=True)
    names = np.empty(len(distinct), dtype=object)
    for row, sample in enumerate(first):
        results = {k: not failed_guards[sample, i] for i, k in enumerate(keys)}
        failed = {
            p
            for rule, flag in zip(rules, failed_start[learners[sample]], strict=True)
            if flag
            for p in rule.paragraphs
        }
        item = ITEMS.name(int(items[sample]))
        names[row] = tuple(
            refusal_paragraphs(results, item, sorted(failed, key=paragraph_key), ruleset)
        )
    out[where] = names[inverse.reshape(-1)]
    return out


def _dense(ids: Any) -> Any:
    """The ids renumbered 0, 1, 2... (so that combining two stays within 64 bits)."""
    return np.unique(ids, return_inverse=True)[1].reshape(-1).astype(np.int64)


_BITS = 62
"""Rows of at most this many flags are numbered by their bits (an int64 stays positive)."""


def _row_ids(matrix: Any) -> Any:
    """A number per row of a boolean matrix, equal for equal rows (an index into its
    distinct rows)."""
    if matrix.shape[1] <= _BITS:
        return matrix.astype(np.int64) @ (np.int64(1) << np.arange(matrix.shape[1], dtype=np.int64))
    packed = np.packbits(matrix, axis=1)
    return np.unique(packed, axis=0, return_inverse=True)[1].reshape(-1)


def _ending(
    state: dict[str, Any], eligible: Any, facts: Facts, ruleset: Ruleset
) -> tuple[Any, Any]:
    """Each learner's status code (`evaluate.status_code`, the simulator's) and whether it
    is still on the unit (eligible, neither completed nor withdrawn) past its withdrawal
    deadline."""
    final = State(**state)
    rules = ruleset.bind(facts, NUMPY) if ruleset.structure.needs_binding else ruleset
    eligible = np.asarray(eligible)
    codes = np.asarray(status_code(final, eligible, rules, NUMPY), dtype=np.int8)
    late = final.last_day > withdrawal_deadline(final, final.last_day, rules, NUMPY)
    return codes, eligible & ~final.m2_held & ~final.withdrawn & late


assert set(CLAIM_ITEMS) <= set(ITEMS.names)


def replay_rows(pop: Population, events: EventTable, rules: Any) -> LifecycleOutcome:
    """`replay` under `rules`: one ruleset, or editions (`aurules.model.editions`), each
    learner under the one whose period holds its start date (as `evaluate_rows`)."""
    if len(rules.rulesets) == 1:
        return replay(pop, events, rules.rulesets[0])
    start_days = np.asarray(pop.values["plan.start_date"])
    parts = []
    for ruleset in rules.rulesets:
        mask = ruleset.holds_days(start_days)
        if mask.any():
            part = replay(pop.take(mask), events.of_learners(mask), ruleset)
            parts.append((np.flatnonzero(mask), np.flatnonzero(mask[events.learner]), part))
    return _merged(pop, events, rules, parts)


def _merged(
    pop: Population, events: EventTable, rules: Any, parts: list[tuple[Any, Any, Any]]
) -> LifecycleOutcome:
    """One outcome of the editions' parts, each learner and event back in its place."""
    from aurules.model.population.outcome import evaluate_rows

    def fill(template: Any, size: int, pick: Any) -> Any:
        out = np.zeros(size, dtype=template.dtype) if template.dtype != object else None
        if out is None:
            out = np.full(size, None, dtype=object)
        for rows, values in pick:
            out[rows] = values
        return out

    n, count = pop.size, events.size

    def per_event(get: Any) -> Any:
        return fill(get(parts[0][2]), count, [(e, get(p)) for _, e, p in parts])

    def per_learner(get: Any) -> Any:
        return fill(get(parts[0][2]), n, [(r, get(p)) for r, _, p in parts])

    first = parts[0][2]
    return LifecycleOutcome(
        start=evaluate_rows(pop, rules),
        events=events,
        paid=per_event(lambda p: p.paid),
        refused=per_event(lambda p: p.refused),
        payment={k: per_event(lambda p, k=k: p.payment[k]) for k in PAYERS},
        recovered=(
            per_event(lambda p: p.recovered[0]),
            per_event(lambda p: p.recovered[1]),
        ),
        recovered_amount=tuple(  # type: ignore[arg-type]
            {k: per_event(lambda p, i=i, k=k: p.recovered_amount[i][k]) for k in PAYERS}
            for i in range(2)
        ),
        refused_paragraphs=per_event(lambda p: p.refused_paragraphs),
        final={k: per_learner(lambda p, k=k: p.final[k]) for k in first.final},
        status=per_learner(lambda p: p.status),
        asked={k: per_event(lambda p, k=k: p.asked[k]) for k in PAYERS},
        past_deadline=per_learner(lambda p: p.past_deadline),
    )
