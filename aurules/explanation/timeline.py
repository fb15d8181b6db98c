"""`aurules timeline`: a learner's lifecycle drawn as a picture (SVG or PNG).

Top: the hours counted against the milestone marks (milestone 1's and milestone 2's share of
the planned hours), each event a dot on its date, the planned end, the extended end and the
withdrawal deadline as vertical lines. Bottom: each payment by payer (government, account,
employer) as stacked bars, recoveries below zero. For a counterexample, the event that breaks
its invariant is marked in red and the sentence saying how is the caption.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from aurules.model.atomic import atomic_path
from aurules.model.evaluate import run
from aurules.model.money import HOURS_SCALE
from aurules.model.rules.change_of_circumstance import withdrawal_deadline
from aurules.model.ruleset import Ruleset
from aurules.model.scenario import Scenario
from aurules.model.values import PYTHON

PAYER_COLOURS = {"government": "#1f6feb", "account": "#2da44e", "employer": "#bf8700"}
FORMATS = (".svg", ".png")


def draw(
    scenario: Scenario,
    ruleset: Ruleset,
    path: str | Path,
    *,
    breaking_step: int | None = None,
    caption: str = "",
) -> Path:
    """Draw the scenario's lifecycle under `ruleset` to `path` (.svg or .png), atomically;
    `breaking_step` (1-based) marks the event that breaks an invariant."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.dates as mdates
    import matplotlib.pyplot as plt

    trace = run(scenario, ruleset)
    days = [scenario.plan.start_date] + [step.event.date for step in trace.steps]
    hours = [trace.initial.delivered / HOURS_SCALE] + [
        step.after.delivered / HOURS_SCALE for step in trace.steps
    ]
    planned = trace.initial.planned_hours / HOURS_SCALE
    figure, (top, bottom) = plt.subplots(
        2, 1, figsize=(11, 6.5), sharex=True, gridspec_kw={"height_ratios": [3, 2]}
    )
    top.step(days, hours, where="post", color="#24292f", label="hours counted")
    _marks(top, ruleset, planned, days[0])
    ends = _deadlines(top, bottom, trace, ruleset, planned)
    _events(top, trace, hours, breaking_step)
    _payments(bottom, trace)
    last = max(days + ends)
    margin = dt.timedelta(days=max(14, (last - days[0]).days // 4))
    top.set_xlim(days[0] - dt.timedelta(days=3), last + margin)
    top.set_ylabel("hours counted")
    top.set_ylim(0, max(planned, *hours) * 1.25 + 1)
    top.set_title(f"Lifecycle under {ruleset.id}: {len(trace.steps)} events", fontsize=11)
    bottom.set_ylabel("paid (£)")
    bottom.yaxis.set_major_formatter(plt.FuncFormatter(lambda v, _: f"£{v:,.0f}"))
    bottom.xaxis.set_major_formatter(mdates.DateFormatter("%Y-%m-%d"))
    figure.autofmt_xdate()
    if caption:
        figure.text(0.01, 0.005, _wrapped(caption), fontsize=8, color="#cf222e", va="bottom")
        figure.subplots_adjust(bottom=0.2)
    target = Path(path)
    try:
        with atomic_path(target) as temporary:
            figure.savefig(temporary, format=target.suffix.lstrip("."), dpi=110)
    finally:
        plt.close(figure)
    return target


def _marks(axes: Any, ruleset: Ruleset, planned: float, first: dt.date) -> None:
    """The milestones' shares of the planned hours, as dotted lines."""
    for name, share in (
        ("milestone 1", ruleset.milestones.milestone_1_hours_share),
        ("milestone 2", ruleset.milestones.milestone_2_hours_share),
    ):
        mark = planned * share.num / share.den
        axes.axhline(mark, color="#8250df", linestyle=":", linewidth=1)
        axes.annotate(
            f"{name}: {share.num * 100 / share.den:g}% = {mark:g} h",
            (first, mark),
            textcoords="offset points",
            xytext=(2, 3),
            fontsize=8,
            color="#8250df",
        )


def _deadlines(top: Any, bottom: Any, trace: Any, ruleset: Ruleset, planned: float) -> list[Any]:
    """The planned end, the extended end and the withdrawal deadline as vertical lines; the
    dates drawn."""
    final = trace.final
    deadline = int(withdrawal_deadline(final, final.last_day, ruleset, PYTHON))
    drawn: list[dt.date] = []
    for name, day, colour in (
        ("planned end", dt.date.fromordinal(final.original_end_day), "#57606a"),
        ("extended end", dt.date.fromordinal(final.planned_end_day), "#57606a"),
        ("withdrawal deadline", dt.date.fromordinal(deadline), "#cf222e"),
    ):
        if day in drawn:
            continue
        drawn.append(day)
        for axes in (top, bottom):
            axes.axvline(day, color=colour, linestyle="--", linewidth=1)
        top.annotate(
            name,
            (day, planned),
            rotation=90,
            fontsize=8,
            color=colour,
            xytext=(-10, -70),
            textcoords="offset points",
        )
    return drawn


def _events(axes: Any, trace: Any, hours: list[float], breaking_step: int | None) -> None:
    """Each event a dot on its date, labelled; the breaking one red."""
    for index, step in enumerate(trace.steps, start=1):
        breaks = index == breaking_step
        colour = "#cf222e" if breaks else ("#57606a" if step.refusal is None else "#9a6700")
        label = step.event.type.replace("_", " ")
        if step.event.type == "claim":
            label = f"claim {step.event.item.replace('_', ' ')}"
            label += " (refused)" if step.refusal is not None else ""
        axes.plot(step.event.date, hours[index], "o", color=colour, markersize=8 if breaks else 5)
        axes.annotate(
            f"{index}. {label}" + ("  <- breaks the invariant" if breaks else ""),
            (step.event.date, hours[index]),
            textcoords="offset points",
            xytext=(4, 6 + 9 * (index % 3)),
            fontsize=8,
            color=colour,
        )


def _payments(axes: Any, trace: Any) -> None:
    """Each payment by payer as stacked bars; recoveries below zero."""
    for step in trace.steps:
        stacked = {True: 0.0, False: 0.0}  # paid above zero, recovered below it
        for payment in step.payments:
            for payer, pence in (
                ("government", payment.government.pence),
                ("account", payment.employer_account.pence),
                ("employer", payment.employer_direct.pence),
            ):
                if pence == 0:
                    continue
                side = pence > 0
                axes.bar(
                    step.event.date,
                    pence / 100,
                    bottom=stacked[side],
                    width=1.5,
                    color=PAYER_COLOURS[payer],
                    label=payer,
                )
                stacked[side] += pence / 100
    handles, labels = axes.get_legend_handles_labels()
    unique = dict(zip(labels, handles, strict=True))
    if unique:
        axes.legend(unique.values(), unique.keys(), fontsize=8, loc="upper left")
    axes.axhline(0, color="#24292f", linewidth=0.8)


def _wrapped(text: str, width: int = 150) -> str:
    import textwrap

    return "\n".join(textwrap.wrap(text, width))


def breaking_event(record: dict[str, Any], scenario: Scenario, ruleset: Ruleset) -> int | None:
    """The 1-based event at which a counterexample's scenario breaks its invariant under
    `ruleset`, or None."""
    from aurules.properties.replay import violations

    invariant = record.get("invariant")
    hit = next((v for v in violations(run(scenario, ruleset)) if v.invariant == invariant), None)
    return hit.step if hit is not None and hit.step > 0 else None
