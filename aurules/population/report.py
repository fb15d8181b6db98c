"""`aurules impact` for a person: a text table and a chart (PNG) readable at a glance."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from aurules.model.atomic import atomic_path
from aurules.model.money import format_pence
from aurules.model.population.outcome import TableOutcome
from aurules.model.population.table import Population
from aurules.model.registry import paragraph_key
from aurules.population.impact import PAYERS, Impact, Lifecycles, Tally, show_key, unread_note

NAMES = {
    "government": "government",
    "employer_account": "employer account",
    "employer_direct": "employer direct",
    "employer_above_rate": "employer above rate",
}


def pounds(pence: int, *, sign: bool = False) -> str:
    """£1,234.56 (with + or - when `sign`)."""
    text = format_pence(abs(pence))
    whole, part = text.split(".")
    body = f"£{int(whole):,}.{part}"
    if sign:
        return ("+" if pence > 0 else "-" if pence < 0 else " ") + body
    return ("-" if pence < 0 else "") + body


def population_lines(label: str, bad_rows: int) -> list[str]:
    """The lines under a report's title: the population's label, the bad rows skipped."""
    return [
        *([f"population: {label}"] if label else []),
        *([f"bad rows skipped: {bad_rows:,}"] if bad_rows else []),
    ]


def _paragraphs(counts: dict[str, int]) -> str:
    items = sorted((p for p in counts if counts[p]), key=paragraph_key)
    return ", ".join(f"{p}: {counts[p]:,}" for p in items)


def text(result: Impact) -> str:
    """The impact as a few aligned blocks of text."""
    total = result.total
    lines = [
        f"impact of {result.proposal.id} against {result.base.id} on "
        f"{total.learners:,} learners ({result.source})"
    ]
    lines += population_lines(result.label, result.bad_rows)
    lines += [
        "",
        f"eligible            {total.eligible_base:>12,} -> {total.eligible_proposal:,}"
        f" ({total.eligible_proposal - total.eligible_base:+,})",
        f"newly eligible      {total.newly_eligible:>12,}"
        + (
            f"   failed under the base: {_paragraphs(result.newly_eligible_by)}"
            if total.newly_eligible
            else ""
        ),
        f"newly ineligible    {total.newly_ineligible:>12,}"
        + (
            f"   fail under the proposal: {_paragraphs(result.newly_ineligible_by)}"
            if total.newly_ineligible
            else ""
        ),
        "",
        f"{'paid (lifecycles)' if result.lifecycle else 'planned spend':<20}"
        f"{'base':>20}{'proposal':>20}{'change':>20}",
    ]
    for payer in PAYERS:
        lines.append(
            f"{NAMES[payer]:<20}{pounds(total.spend_base[payer]):>20}"
            f"{pounds(total.spend_proposal[payer]):>20}"
            f"{pounds(total.change(payer), sign=True):>20}"
        )
    if result.by is not None:
        lines += [
            "",
            f"by {result.by}",
            f"{'value':<28}{'learners':>10}{'newly elig.':>12}{'newly inelig.':>14}"
            + "".join(f"{'Δ ' + NAMES[p]:>22}" for p in PAYERS[:3]),
        ]
        for key, tally in result.shown_groups():
            lines.append(_group_line(show_key(result.by, key, result.added), tally))
    if result.lifecycle is not None:
        lines += ["", *lifecycle_lines(result.lifecycle)]
    lines += [
        "",
        "paid (lifecycles): what every learner's events paid under each ruleset, audits' "
        "recoveries taken off (see `evaluate`'s `totals`); above rate: the employer's part "
        "of claims above the funding rate."
        if result.lifecycle is not None
        else "planned spend: both milestones and learning support (for learners with a "
        "learning difficulty or disability) as the plan stands at the start, for eligible "
        "learners (see `evaluate`'s `planned`).",
    ]
    if result.unread:
        lines += [
            "",
            f"NOT IN THESE FIGURES: {', '.join(result.unread)}: "
            f"{unread_note(result.lifecycle is not None)}.",
        ]
    return "\n".join(lines)


def lifecycle_lines(life: Lifecycles) -> list[str]:
    """The lifecycle block of the text report."""
    from aurules.population.impact import CLAIMED, LIFECYCLE_PAYERS, RECOVERABLE

    def total(table: dict[str, dict[str, dict[str, int]]], tag: str, item: str) -> int:
        return sum(table[tag][item][payer] for payer in LIFECYCLE_PAYERS)

    lines = [
        f"{f'over {life.events:,} events':<34}{'base':>14}{'proposal':>20}{'change':>20}",
    ]
    for label, table, items in (
        ("paid", life.paid, CLAIMED),
        ("recovered", life.recovered, RECOVERABLE),
        ("refused", life.refused_amount, CLAIMED),
    ):
        for item in items:
            b, p = total(table, "base", item), total(table, "proposal", item)
            name = f"{label} {item.replace('_', ' ')}"
            lines.append(f"{name:<28}{pounds(b):>20}{pounds(p):>20}{pounds(p - b, sign=True):>20}")
    for item in CLAIMED:
        b, p = life.refused["base"][item], life.refused["proposal"][item]
        name = f"claims refused: {item.replace('_', ' ')}"
        lines.append(f"{name:<34}{b:>14,}{p:>20,}{p - b:>+20,}")
    lines.append(
        f"{'claims newly refused':<34}{life.newly_refused:>14,}"
        + (f"   by: {_paragraphs(life.newly_refused_by)}" if life.newly_refused else "")
    )
    lines.append(
        f"{'claims newly paid':<34}{life.newly_paid:>14,}"
        + (
            f"   refused under the base by: {_paragraphs(life.newly_paid_by)}"
            if life.newly_paid
            else ""
        )
    )
    b, p = life.past_deadline["base"], life.past_deadline["proposal"]
    lines.append(f"{'on the unit past the deadline':<34}{b:>14,}{p:>20,}{p - b:>+20,}")
    for status, label in (
        ("completed", "completed"),
        ("withdrawn", "withdrawn"),
        ("must_withdraw", "must withdraw (past deadline...)"),
        ("in_learning", "in learning"),
    ):
        b, p = life.status["base"][status], life.status["proposal"][status]
        lines.append(f"{label:<34}{b:>14,}{p:>20,}{p - b:>+20,}")
    return lines


def _group_line(name: str, tally: Tally) -> str:
    return (
        f"{name[:27]:<28}{tally.learners:>10,}{tally.newly_eligible:>12,}"
        f"{tally.newly_ineligible:>14,}"
        + "".join(f"{pounds(tally.change(p), sign=True):>22}" for p in PAYERS[:3])
    )


def chart(result: Impact, path: str | Path) -> None:
    """A PNG: planned spend under both rulesets by payer, and the learners whose eligibility
    changes (by paragraph, or by group with `--by`). Written atomically."""

    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    figure, (spend_axes, people_axes) = plt.subplots(1, 2, figsize=(13, 5.5))
    total = result.total
    names = [NAMES[p] for p in PAYERS]
    positions = range(len(PAYERS))
    width = 0.38
    spend_axes.bar(
        [x - width / 2 for x in positions],
        [total.spend_base[p] / 100 for p in PAYERS],
        width,
        label=f"base {result.base.id}",
        color="#9aa5b1",
    )
    spend_axes.bar(
        [x + width / 2 for x in positions],
        [total.spend_proposal[p] / 100 for p in PAYERS],
        width,
        label=f"proposal {result.proposal.id}",
        color="#1f6feb",
    )
    for x, payer in zip(positions, PAYERS, strict=True):
        change = total.change(payer)
        top = max(total.spend_base[payer], total.spend_proposal[payer]) / 100
        spend_axes.annotate(
            whole_pounds(change),
            (x, top),
            ha="center",
            va="bottom",
            fontsize=9,
            color="#b42318" if change < 0 else "#067647" if change else "#555",
        )
    spend_axes.set_xticks(list(positions), names, fontsize=9)
    what = "paid over the lifecycles" if result.lifecycle is not None else "planned spend"
    spend_axes.set_ylabel(f"{what} (£)")
    spend_axes.yaxis.set_major_formatter(matplotlib.ticker.FuncFormatter(lambda v, _: f"£{v:,.0f}"))
    spend_axes.set_title(f"{what[0].upper()}{what[1:]} by payer")
    spend_axes.legend(fontsize=9)
    _people(people_axes, result)
    title = (
        f"{result.proposal.title or result.proposal.id} ({result.proposal.id}) against "
        f"{result.base.id}: {total.learners:,} learners"
    )
    if result.synthetic:
        title += "  (SYNTHETIC population, not real learners)"
    figure.suptitle(title, fontsize=12, color="#b42318" if result.synthetic else "black")
    figure.tight_layout()
    try:
        with atomic_path(path) as temporary:
            figure.savefig(temporary, dpi=110, format="png")
    finally:
        plt.close(figure)


def _people(axes: Any, result: Impact) -> None:
    """Newly eligible (right, green) and newly ineligible (left, red) learners."""
    if result.by is not None:
        rows = [
            (show_key(result.by, key, result.added), t.newly_eligible, t.newly_ineligible)
            for key, t in result.shown_groups()
        ]
        axes.set_title(f"Learners whose eligibility changes, by {result.by}")
    else:
        eligible, ineligible = result.newly_eligible_by_rule, result.newly_ineligible_by_rule
        keys = sorted(
            set(eligible) | set(ineligible), key=lambda k: paragraph_key(k.split(",")[0].split()[0])
        )
        rows = [(f"¶ {k}", eligible[k], ineligible[k]) for k in keys]
        axes.set_title("Learners whose eligibility changes, by rule")
    rows = [r for r in rows if r[1] or r[2]]
    life = result.lifecycle
    labels_ = (
        "newly eligible",
        "newly ineligible",
        "learners (ineligible to the left, eligible to the right)",
    )
    if not rows and life is not None and (life.newly_paid or life.newly_refused):
        # eligibility is unchanged but claims are not: show those, by paragraph
        keys = sorted(set(life.newly_paid_by) | set(life.newly_refused_by), key=paragraph_key)
        rows = [(f"¶ {k}", life.newly_paid_by[k], life.newly_refused_by[k]) for k in keys]
        axes.set_title("Claims whose outcome changes, by paragraph refusing them")
        labels_ = ("newly paid", "newly refused", "claims (refused to the left, paid to the right)")
    if len(rows) > CHART_ROWS:  # no silent truncation: the rest summed in one bar
        rest = rows[CHART_ROWS - 1 :]
        rows = [
            *rows[: CHART_ROWS - 1],
            (f"other ({len(rest)})", sum(r[1] for r in rest), sum(r[2] for r in rest)),
        ]
    rows = rows or [("(no change)", 0, 0)]
    labels = [r[0] for r in rows]
    positions = list(range(len(rows)))
    axes.barh(positions, [r[1] for r in rows], color="#067647", label=labels_[0])
    axes.barh(positions, [-r[2] for r in rows], color="#b42318", label=labels_[1])
    axes.set_yticks(positions, labels, fontsize=8)
    axes.invert_yaxis()
    axes.axvline(0, color="#333", linewidth=0.8)
    axes.xaxis.set_major_formatter(
        __import__("matplotlib").ticker.FuncFormatter(lambda v, _: f"{abs(v):,.0f}")
    )
    axes.set_xlabel(labels_[2])
    axes.legend(fontsize=9, loc="lower right")


CHART_ROWS = 30
"""Bars the chart's right panel shows; more are summed in a last bar, "other (N)"."""


def whole_pounds(pence: int) -> str:
    """A change in whole pounds with its sign, as a chart label: +£5,050, -£3,618, £0."""
    pounds_ = round(pence / 100)
    sign = "+" if pounds_ > 0 else "-" if pounds_ < 0 else ""
    return f"{sign}£{abs(pounds_):,}"


def failed_text(outcome: TableOutcome) -> Any:
    """Each row's failed paragraphs as `evaluate` lists them, joined by spaces (computed once
    per distinct pattern of failing rules, not once per row)."""
    import numpy as np

    rules = list(outcome.failed)
    pattern = np.zeros(outcome.size, dtype=np.uint64)
    for bit, rule in enumerate(rules):
        pattern |= outcome.failed[rule].astype(np.uint64) << np.uint64(bit)
    texts = {}
    for value in np.unique(pattern):  # a few dozen patterns, whatever the size
        ids = {
            p for bit, rule in enumerate(rules) if int(value) >> bit & 1 for p in rule.paragraphs
        }
        texts[int(value)] = " ".join(sorted(ids, key=paragraph_key))
    distinct = np.unique(pattern)
    lookup = np.array([texts[int(v)] for v in distinct], dtype=object)
    return lookup[np.searchsorted(distinct, pattern)]


def row_table(pop: Population, base: Any, proposal: Any) -> Any:
    """Each row's outcome under both rulesets, as an Arrow table: the row number, the file's
    extra columns, then eligibility, failed paragraphs and planned spend by payer (pounds),
    `_base` and `_proposal`. With replayed lifecycles (`LifecycleOutcome`) also each
    learner's `status_`, what its lifecycle paid by payer (`paid_government_` ...,
    recoveries taken off) and its refused claims (`refused_`: `item:paragraph,...;...`)."""
    import pyarrow as pa

    from aurules.model.population.lifecycle import PAYERS as PAID_BY
    from aurules.model.population.lifecycle import LifecycleOutcome
    from aurules.population.files import decimal_text
    from aurules.population.impact import spend

    columns: dict[str, Any] = {"row": pa.array(pop.rows)}
    for name, values in pop.extras.items():  # the file's own ids, regions...
        columns[name] = pa.array(values, pa.string())
    for name, outcome in (("base", base), ("proposal", proposal)):
        start = outcome.start if isinstance(outcome, LifecycleOutcome) else outcome
        columns[f"eligible_{name}"] = pa.array(start.eligible)
        columns[f"failed_paragraphs_{name}"] = pa.array(failed_text(start), pa.string())
        for payer in PAYERS:
            columns[f"{payer}_{name}"] = decimal_text(spend(start, payer), 2, trim=False)
        if isinstance(outcome, LifecycleOutcome):
            columns[f"status_{name}"] = pa.array(outcome.status_names(), pa.string())
            for payer in PAID_BY:
                columns[f"paid_{payer}_{name}"] = signed_pounds(outcome.totals(payer))
            columns[f"refused_{name}"] = pa.array(outcome.refused_text(), pa.string())
    return pa.table(columns)


def signed_pounds(pence: Any) -> Any:
    """Pence as pounds text with two places, a minus sign for negative amounts."""
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc

    from aurules.population.files import decimal_text

    values = np.asarray(pence, dtype=np.int64)
    text = decimal_text(np.abs(values), 2, trim=False)
    return pc.if_else(pa.array(values < 0), pc.binary_join_element_wise("-", text, ""), text)
