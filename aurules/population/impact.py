"""Population impact of a rule change: who becomes eligible or ineligible, for which
paragraphs, and what the planned spend of government, employers' accounts and employers
directly becomes, optionally broken down by a column.

Both rulesets run over every row on the NumPy backend (`model.population.outcome`), chunk by
chunk, and only the sums are kept, so memory stays flat whatever the file's size.
"""

from __future__ import annotations

import itertools
from collections import Counter
from collections.abc import Callable, Iterable
from typing import Any

import attrs
import numpy as np

from aurules.model.errors import BadInput
from aurules.model.facts import FACT_FIELDS, Facts, show_fact
from aurules.model.money import format_hours, format_pence
from aurules.model.population.facts import derive_table
from aurules.model.population.lifecycle import (
    STATUSES,
    EventTable,
    LifecycleOutcome,
    replay_rows,
)
from aurules.model.population.outcome import evaluate_rows
from aurules.model.population.table import BY_PATH, Column, Population
from aurules.model.registry import paragraph_key
from aurules.model.ruleset import Ruleset
from aurules.model.state import ITEMS

PAYERS = ("government", "employer_account", "employer_direct", "employer_above_rate")
"""The planned spend, by who pays (the last is the employer's share above the funding rate)."""

_SPLIT_OF = {
    "government": "government",
    "employer_account": "employer_account",
    "employer_direct": "employer_direct",
    "employer_above_rate": "above_rate",
}

MAX_GROUPS = 60
"""A breakdown shows at most this many values (the largest groups); the rest are summed."""


def spend(outcome: Any, payer: str) -> Any:
    """Each row's spend by a payer (pence): the planned split of a start-of-unit outcome, or
    what a replayed lifecycle paid (recoveries taken off)."""
    if isinstance(outcome, LifecycleOutcome):
        if payer == "employer_above_rate":
            return outcome.final["total_above_rate"]
        return outcome.totals(payer)
    return getattr(outcome.split, _SPLIT_OF[payer])


def eligible(outcome: Any) -> Any:
    """Each row's eligibility at the start (either kind of outcome)."""
    return outcome.start.eligible if isinstance(outcome, LifecycleOutcome) else outcome.eligible


@attrs.define
class Tally:
    """Sums for one group of learners."""

    learners: int = 0
    eligible_base: int = 0
    eligible_proposal: int = 0
    newly_eligible: int = 0
    newly_ineligible: int = 0
    spend_base: dict[str, int] = attrs.field(factory=lambda: dict.fromkeys(PAYERS, 0))
    spend_proposal: dict[str, int] = attrs.field(factory=lambda: dict.fromkeys(PAYERS, 0))

    def add(self, base: Any, proposal: Any) -> None:
        """Add a chunk's rows (start-of-unit or lifecycle outcomes)."""
        eb, ep = eligible(base), eligible(proposal)
        self.learners += base.size
        self.eligible_base += int(eb.sum())
        self.eligible_proposal += int(ep.sum())
        self.newly_eligible += int((ep & ~eb).sum())
        self.newly_ineligible += int((eb & ~ep).sum())
        for payer in PAYERS:
            self.spend_base[payer] += int(spend(base, payer).sum(dtype=np.int64))
            self.spend_proposal[payer] += int(spend(proposal, payer).sum(dtype=np.int64))

    def merge(self, other: Tally) -> None:
        """Add another tally's sums to this one."""
        for name in (
            "learners",
            "eligible_base",
            "eligible_proposal",
            "newly_eligible",
            "newly_ineligible",
        ):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        for payer in PAYERS:
            self.spend_base[payer] += other.spend_base[payer]
            self.spend_proposal[payer] += other.spend_proposal[payer]

    def change(self, payer: str) -> int:
        return self.spend_proposal[payer] - self.spend_base[payer]

    def to_data(self) -> dict[str, Any]:
        return {
            "learners": self.learners,
            "eligible": {"base": self.eligible_base, "proposal": self.eligible_proposal},
            "newly_eligible": self.newly_eligible,
            "newly_ineligible": self.newly_ineligible,
            "spend": {
                p: {
                    "base": format_pence(self.spend_base[p]),
                    "proposal": format_pence(self.spend_proposal[p]),
                    "change": format_pence(self.change(p)),
                }
                for p in PAYERS
            },
        }


CLAIMED = ("milestone_1", "milestone_2", "learning_support")
"""The items a claim pays, in the order reports list them."""
RECOVERABLE = ("milestone_1", "milestone_2")
TAGS = ("base", "proposal")


def _by_item(items: tuple[str, ...]) -> dict[str, dict[str, dict[str, int]]]:
    return {tag: {item: dict.fromkeys(LIFECYCLE_PAYERS, 0) for item in items} for tag in TAGS}


@attrs.define
class Lifecycles:
    """Sums over replayed lifecycles under both rulesets: what claims paid and audits
    recovered, by item and payer; claims refused by item and paragraph; claims newly
    refused (paid under the base) and newly paid (refused under the base), by the paragraphs
    that refuse them; learners by final status."""

    events: int = 0
    paid: dict[str, dict[str, dict[str, int]]] = attrs.field(factory=lambda: _by_item(CLAIMED))
    recovered: dict[str, dict[str, dict[str, int]]] = attrs.field(
        factory=lambda: _by_item(RECOVERABLE)
    )
    refused: dict[str, Counter[str]] = attrs.field(factory=lambda: {t: Counter() for t in TAGS})
    refused_by: dict[str, Counter[str]] = attrs.field(factory=lambda: {t: Counter() for t in TAGS})
    newly_refused: int = 0
    newly_refused_by: Counter[str] = attrs.field(factory=Counter)
    newly_paid: int = 0
    newly_paid_by: Counter[str] = attrs.field(factory=Counter)
    status: dict[str, Counter[str]] = attrs.field(factory=lambda: {t: Counter() for t in TAGS})
    refused_amount: dict[str, dict[str, dict[str, int]]] = attrs.field(
        factory=lambda: _by_item(CLAIMED)
    )
    """What the refused claims would have paid had their conditions held, by item and payer."""
    past_deadline: dict[str, int] = attrs.field(factory=lambda: dict.fromkeys(TAGS, 0))
    """Learners still on the unit after their withdrawal deadline."""

    def add(self, base: LifecycleOutcome, proposal: LifecycleOutcome) -> None:
        """Add a chunk's lifecycles (the same learners and events under both)."""
        self.events += base.events.size
        items = base.events.column("item")
        for tag, out in zip(TAGS, (base, proposal), strict=True):
            for item in CLAIMED:
                of_item = items == ITEMS[item]
                paid = out.paid & of_item
                for payer in LIFECYCLE_PAYERS:
                    self.paid[tag][item][payer] += int(out.payment[payer][paid].sum())
                self.refused[tag][item] += int((out.refused & of_item).sum())
                refused = out.refused & of_item
                for payer in LIFECYCLE_PAYERS:
                    self.refused_amount[tag][item][payer] += int(out.asked[payer][refused].sum())
            for item, amount in zip(RECOVERABLE, out.recovered_amount, strict=True):
                for payer in LIFECYCLE_PAYERS:
                    self.recovered[tag][item][payer] += int(amount[payer].sum())
            _count_paragraphs(self.refused_by[tag], out.refused_paragraphs[out.refused])
            self.past_deadline[tag] += int(np.count_nonzero(out.past_deadline))
            counts = np.bincount(out.status, minlength=len(STATUSES))
            for name, number in zip(STATUSES, counts, strict=True):
                self.status[tag][name] += int(number)
        newly_refused = proposal.refused & base.paid
        newly_paid = proposal.paid & base.refused
        self.newly_refused += int(newly_refused.sum())
        self.newly_paid += int(newly_paid.sum())
        _count_paragraphs(self.newly_refused_by, proposal.refused_paragraphs[newly_refused])
        _count_paragraphs(self.newly_paid_by, base.refused_paragraphs[newly_paid])

    def merge(self, other: Lifecycles) -> None:
        """Add another chunk's sums to these."""
        self.events += other.events
        for tag in TAGS:
            self.past_deadline[tag] += other.past_deadline[tag]
            for mine, theirs in (
                (self.paid, other.paid),
                (self.recovered, other.recovered),
                (self.refused_amount, other.refused_amount),
            ):
                for item, parts in theirs[tag].items():
                    for payer, value in parts.items():
                        mine[tag][item][payer] += value
            self.refused[tag].update(other.refused[tag])
            self.refused_by[tag].update(other.refused_by[tag])
            self.status[tag].update(other.status[tag])
        self.newly_refused += other.newly_refused
        self.newly_paid += other.newly_paid
        self.newly_refused_by.update(other.newly_refused_by)
        self.newly_paid_by.update(other.newly_paid_by)

    def to_data(self) -> dict[str, Any]:
        def money(table: dict[str, dict[str, dict[str, int]]]) -> dict[str, Any]:
            out: dict[str, Any] = {
                tag: {
                    item: {payer: format_pence(v) for payer, v in parts.items()}
                    for item, parts in table[tag].items()
                }
                for tag in TAGS
            }
            out["change"] = {
                item: {
                    payer: format_pence(table["proposal"][item][payer] - table["base"][item][payer])
                    for payer in LIFECYCLE_PAYERS
                }
                for item in table["base"]
            }
            return out

        def paragraphs(counter: Counter[str]) -> dict[str, int]:
            return {p: counter[p] for p in sorted(counter, key=paragraph_key) if counter[p]}

        return {
            "events": self.events,
            "paid": money(self.paid),
            "recovered": money(self.recovered),
            "refused_amount": money(self.refused_amount),
            "past_deadline": {
                **{tag: self.past_deadline[tag] for tag in TAGS},
                "change": self.past_deadline["proposal"] - self.past_deadline["base"],
            },
            "refused": {
                tag: {
                    "count": sum(self.refused[tag].values()),
                    "by_item": {item: self.refused[tag][item] for item in CLAIMED},
                    "by_paragraph": paragraphs(self.refused_by[tag]),
                }
                for tag in TAGS
            },
            "newly_refused": {
                "count": self.newly_refused,
                "by_paragraph": paragraphs(self.newly_refused_by),
            },
            "newly_paid": {
                "count": self.newly_paid,
                "by_paragraph": paragraphs(self.newly_paid_by),
            },
            "status": {tag: {name: self.status[tag][name] for name in STATUSES} for tag in TAGS},
        }


LIFECYCLE_PAYERS = ("government", "employer_account", "employer_direct")
"""Who a lifecycle's payments come from."""


def _count_paragraphs(counter: Counter[str], refusals: Any) -> None:
    """Count each paragraph of these refusals (tuples; counted once per distinct tuple)."""
    for paragraphs, number in Counter(refusals.tolist()).items():
        for paragraph in paragraphs:
            counter[paragraph] += number


@attrs.define
class Impact:
    """The impact of a proposal on a population."""

    base: Ruleset
    proposal: Ruleset
    source: str
    label: str
    total: Tally = attrs.field(factory=Tally)
    newly_eligible_by: Counter[str] = attrs.field(factory=Counter)
    """Rows newly eligible, by each paragraph that failed them under the base."""
    newly_ineligible_by: Counter[str] = attrs.field(factory=Counter)
    """Rows newly ineligible, by each paragraph that fails them under the proposal."""
    by: str | None = None
    groups: dict[Any, Tally] = attrs.field(factory=dict)
    bad_rows: int = 0
    added: tuple[Column, ...] = ()
    """The proposal's new fact columns seen in the population."""
    newly_eligible_by_rule: Counter[str] = attrs.field(factory=Counter)
    """Rows newly eligible, by each rule that failed them under the base (`39, 129
    planned_duration`: a rule of two paragraphs counts once)."""
    newly_ineligible_by_rule: Counter[str] = attrs.field(factory=Counter)
    unread: list[str] = attrs.field(factory=list)
    """What the proposal changes that the planned figures do not read (see `unread`)."""
    lifecycle: Lifecycles | None = None
    """With event histories: what the lifecycles paid, refused and recovered."""

    @property
    def synthetic(self) -> bool:
        return "SYNTHETIC" in self.label

    def add(self, pop: Population, events: EventTable | None = None) -> tuple[Any, Any]:
        """Fold one chunk of learners in (with their events: whole lifecycles); returns its
        outcomes under both rulesets (`TableOutcome`, or `LifecycleOutcome` with events)."""
        base: Any
        proposal: Any
        if events is not None:
            base = replay_rows(pop, events, self.base)
            proposal = replay_rows(pop, events, self.proposal)
            if self.lifecycle is None:
                self.lifecycle = Lifecycles()
            self.lifecycle.add(base, proposal)
            start_base, start_proposal = base.start, proposal.start
        else:
            base, proposal = evaluate_rows(pop, self.base), evaluate_rows(pop, self.proposal)
            start_base, start_proposal = base, proposal
        self.added = pop.added
        self.total.add(base, proposal)
        newly_eligible = start_proposal.eligible & ~start_base.eligible
        newly_ineligible = start_base.eligible & ~start_proposal.eligible
        for paragraph, rows in start_base.paragraph_failures().items():
            self.newly_eligible_by[paragraph] += int((rows & newly_eligible).sum())
        for paragraph, rows in start_proposal.paragraph_failures().items():
            self.newly_ineligible_by[paragraph] += int((rows & newly_ineligible).sum())
        for rule, rows in start_base.failed.items():
            self.newly_eligible_by_rule[_rule_label(rule)] += int((rows & newly_eligible).sum())
        for rule, rows in start_proposal.failed.items():
            self.newly_ineligible_by_rule[_rule_label(rule)] += int((rows & newly_ineligible).sum())
        if self.by is not None:
            self._add_groups(group_keys(pop, self.by, self.base.rulesets[0]), base, proposal)
        return base, proposal

    def _add_groups(self, keys: Any, base: Any, proposal: Any) -> None:
        """Every group's sums at once (exact integer sums by group index)."""
        distinct, index = np.unique(keys, return_inverse=True)

        def sums(values: Any) -> list[int]:
            out = np.zeros(len(distinct), dtype=np.int64)
            np.add.at(out, index, np.asarray(values, dtype=np.int64))
            return [int(v) for v in out]

        eb, ep = eligible(base), eligible(proposal)
        counts = {
            "learners": sums(np.ones(len(keys), np.int64)),
            "eligible_base": sums(eb),
            "eligible_proposal": sums(ep),
            "newly_eligible": sums(ep & ~eb),
            "newly_ineligible": sums(eb & ~ep),
        }
        spent = {
            payer: (sums(spend(base, payer)), sums(spend(proposal, payer))) for payer in PAYERS
        }
        for position, key in enumerate(distinct):
            name = key.item() if isinstance(key, np.generic) else key
            part = Tally(
                **{field: values[position] for field, values in counts.items()},
                spend_base={p: spent[p][0][position] for p in PAYERS},
                spend_proposal={p: spent[p][1][position] for p in PAYERS},
            )
            self.groups.setdefault(name, Tally()).merge(part)

    def to_data(self) -> dict[str, Any]:
        """JSON data (money as pounds strings)."""

        def counts(counter: Counter[str]) -> dict[str, int]:
            return {p: counter[p] for p in sorted(counter, key=paragraph_key) if counter[p]}

        data: dict[str, Any] = {
            "base": self.base.summary(),
            "proposal": self.proposal.summary(),
            "not_in_these_figures": {
                "changes": self.unread,
                "note": unread_note(self.lifecycle is not None),
            }
            if self.unread
            else {"changes": [], "note": ""},
            "population": {
                "file": self.source,
                "label": self.label,
                "synthetic": self.synthetic,
                "rows": self.total.learners,
                "bad_rows_skipped": self.bad_rows,
            },
            **self.total.to_data(),
        }
        data["newly_eligible"] = {
            "count": self.total.newly_eligible,
            "by_paragraph": counts(self.newly_eligible_by),
            "by_rule": {k: v for k, v in sorted(self.newly_eligible_by_rule.items()) if v},
        }
        data["newly_ineligible"] = {
            "count": self.total.newly_ineligible,
            "by_paragraph": counts(self.newly_ineligible_by),
            "by_rule": {k: v for k, v in sorted(self.newly_ineligible_by_rule.items()) if v},
        }
        if self.lifecycle is not None:
            data["lifecycle"] = self.lifecycle.to_data()
        if self.by is not None:
            data["by"] = {
                "column": self.by,
                "groups": [
                    {"value": show_key(self.by, key, self.added), **tally.to_data()}
                    for key, tally in self.shown_groups()
                ],
            }
        return data

    def shown_groups(self) -> list[tuple[Any, Tally]]:
        """The breakdown in key order: the largest MAX_GROUPS groups, then the rest summed
        under the key None."""
        items = sorted(self.groups.items(), key=lambda kv: -kv[1].learners)
        shown = sorted(items[:MAX_GROUPS], key=lambda kv: kv[0])
        if len(items) > MAX_GROUPS:
            rest = Tally()
            for _, tally in items[MAX_GROUPS:]:
                rest.merge(tally)
            shown.append((None, rest))
        return shown


def impact(
    base: Ruleset,
    proposal: Ruleset,
    parts: Iterable[Population | tuple[Population, EventTable]],
    *,
    source: str,
    label: str = "",
    by: str | None = None,
    each: Callable[[Population, Any, Any], None] | None = None,
    lifecycles: bool = False,
) -> Impact:
    """Fold every chunk of a population into an Impact (`each` sees every chunk's
    outcomes, e.g. to write them row by row). `by` is a scenario column, a fact or one of
    the population's extra columns."""
    result = Impact(
        base=base,
        proposal=proposal,
        source=source,
        label=label,
        by=by,
        unread=unread(base, proposal, lifecycles=lifecycles),
        lifecycle=Lifecycles() if lifecycles else None,
    )
    for part in parts:
        pop, events = part if isinstance(part, tuple) else (part, None)
        if events is not None and result.lifecycle is None:
            result.lifecycle = Lifecycles()
            result.unread = unread(base, proposal, lifecycles=True)
        for piece, piece_events in pieces(pop, events):
            outcomes = result.add(piece, piece_events)
            if each is not None:
                each(piece, *outcomes)
    return result


REPLAY_EVENTS = 131_072
"""Events replayed at once: a chunk of learners with more is replayed in pieces of whole
learners (the per-event arrays of both rulesets then stay small; the speed is the same)."""


def pieces(
    pop: Population, events: EventTable | None, limit: int = REPLAY_EVENTS
) -> list[tuple[Population, EventTable | None]]:
    """The chunk as runs of consecutive learners with at most about `limit` events each."""
    if events is None or events.size <= limit:
        return [(pop, events)]
    counts = np.cumsum(np.bincount(events.learner, minlength=pop.size))
    cuts = np.searchsorted(counts, np.arange(limit, int(counts[-1]), limit), side="right")
    bounds = [0, *sorted({int(c) for c in cuts if 0 < c < pop.size}), pop.size]
    out: list[tuple[Population, EventTable | None]] = []
    for first, last in itertools.pairwise(bounds):
        mask = np.zeros(pop.size, dtype=bool)
        mask[first:last] = True
        out.append((pop.take(mask), events.of_learners(mask)))
    return out


def _rule_label(rule: Any) -> str:
    return f"{', '.join(rule.paragraphs)} {rule.name}"


UNREAD_NOTE = (
    "the planned figures (eligibility and the planned split of both milestones and learning "
    "support) do not read these, so they show no change here; their effect is on lifecycles "
    "(extensions, deadlines, recoveries: see `aurules diff`) or on account access"
)
UNREAD_LIFECYCLE_NOTE = (
    "neither eligibility, the planned split nor the replayed lifecycles read these, so they "
    "show no change here; their effect is on account access or on nothing this model pays"
)


def unread_note(lifecycles: bool) -> str:
    """What the "NOT IN THESE FIGURES" line says, for planned or lifecycle figures."""
    return UNREAD_LIFECYCLE_NOTE if lifecycles else UNREAD_NOTE


def unread(base: Any, proposal: Any, *, lifecycles: bool = False) -> list[str]:
    """The parameters and interpretations the proposal sets differently from the base that
    neither eligibility nor the planned split reads (with `lifecycles`: nor the replayed
    lifecycle) (editions: each against the base edition of the same period, where there is
    one)."""
    from aurules.model.planned import lifecycle_reads, planned_reads

    out: list[str] = []
    for edition in proposal.rulesets:
        other = next(
            (r for r in base.rulesets if r.valid_from == edition.valid_from), base.rulesets[0]
        )
        changed = _changed_keys(other, edition)
        if changed:
            reads = lifecycle_reads(edition) if lifecycles else planned_reads(edition)
            out += [key for key in changed if key not in reads and key not in out]
    return out


def _changed_keys(base: Ruleset, proposal: Ruleset) -> list[str]:
    out = [key for key, _, _ in proposal.changed_from(base)]
    banded = {band.key for band in proposal.structure.bands}
    return [*out, *sorted(banded - set(out))]


# --- breakdown keys -----------------------------------------------------------------------

_FACT_PATHS = {f.metadata["path"]: f.name for f in FACT_FIELDS}
BAND = {"money": 50_000, "hours": 1_000, "share": 100_000}
"""Numeric columns are grouped in bands: £500, 10 hours, 0.1 of a share."""


def check_by(by: str, source: str, extras: Iterable[str] = (), added: Iterable[str] = ()) -> None:
    """`by` must name a scenario column, a fact, a proposal's new fact or an extra column
    of the file."""
    names = [*BY_PATH, *_FACT_PATHS, *added, *extras]
    if by not in names:
        import difflib

        close = difflib.get_close_matches(by, names, n=1)
        hint = f" (did you mean {close[0]}?)" if close else ""
        raise BadInput(
            source,
            "",
            f"unknown column {by!r}{hint}; give a population column "
            "such as employer.funding, a fact such as learner.age_years or one of "
            "the file's own extra columns",
        )


def group_keys(pop: Population, by: str, ruleset: Ruleset) -> Any:
    """Each row's group: its value of a column (dates by month, numbers in bands, an empty
    nullable cell as -1), of a fact, or of an extra column (its text)."""
    if by in pop.extras:
        return pop.extras[by]
    added = {c.path: c for c in pop.added}
    if by in BY_PATH or by in added:
        column = added.get(by) or BY_PATH[by]
        values = pop.values[by]
        if column.kind == "date":
            from aurules.model.calendar_numpy import month_index

            values = np.where(values > 0, month_index(np.maximum(values, 1)), 0)
        elif column.kind in BAND:
            values = values // BAND[column.kind] * BAND[column.kind]
        values = values.astype(np.int64)
        if column.nullable:
            values = np.where(pop.present[by], values, -1)
        return values
    facts: Facts = derive_table(pop, ruleset)
    return np.asarray(getattr(facts, _FACT_PATHS[by]), dtype=np.int64)


def show_key(by: str, key: Any, added: Iterable[Column] = ()) -> str:
    """A group's key as a person reads it."""
    if key is None:
        return "(other values)"
    if isinstance(key, str):  # an extra column
        return key or "(empty)"
    if by in _FACT_PATHS:
        name = _FACT_PATHS[by]
        kind = attrs.fields_dict(Facts)[name].metadata["kind"]
        return show_fact(name, bool(key) if kind == "bool" else int(key))
    column = BY_PATH.get(by) or next((c for c in added if c.path == by), None)
    if column is None:
        return str(key)
    if column.nullable and key == -1:
        return "(empty)"
    if column.kind == "date":
        year, month0 = divmod(int(key), 12)
        return f"{year:04d}-{month0 + 1:02d}"
    if column.kind == "enum":
        return column.codes[int(key)]
    if column.kind == "bool":
        return "true" if key else "false"
    if column.kind == "money":
        return f"£{format_pence(int(key))} to £{format_pence(int(key) + BAND['money'] - 1)}"
    if column.kind == "hours":
        return f"{format_hours(int(key))} to {format_hours(int(key) + BAND['hours'] - 1)} h"
    if column.kind == "share":
        low = int(key) / 1_000_000
        return f"{low:.1f} to {low + 0.1:.1f}"
    return str(int(key))
