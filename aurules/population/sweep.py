"""`aurules impact BASE --sweep SECTION.KEY=V1,V2,...`: one parameter through many values.

Each value makes a variant of BASE (its TOML data with that one key set, checked as a
proposal file is). Every variant runs over the same population in one pass: the facts are
derived once per chunk, and the start rules and planned split that do not read the swept key
are evaluated once for all variants (`evaluate_variants`); with event histories each variant
replays the lifecycles. The result is one `Tally` per value against BASE (and lifecycle sums
with events), drawn as a curve: spend by payer and eligible learners against the value.

The partitions of the work (population chunks times variants) can run on a Dask cluster
(`aurules.population.cluster`) with the same results: every partition's sums are exact
integers, added in the same order.
"""

from __future__ import annotations

import copy
import difflib
from collections.abc import Iterable
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import attrs

from aurules.model.errors import BadInput
from aurules.model.population.lifecycle import EventTable, replay
from aurules.model.population.outcome import evaluate_variants
from aurules.model.population.table import Population
from aurules.model.ruleset import Ruleset, resolved_data, ruleset_from_data
from aurules.population.impact import PAYERS, Lifecycles, Tally, pieces, unread_note

MAX_VARIANTS = 200
"""A sweep of more values than this is refused (a typo in a range, most likely)."""


@attrs.frozen
class Variant:
    """One value of a sweep: its text as given, and the variant ruleset's data and name (the
    data travels to other processes; `ruleset` builds it there)."""

    value: str
    data: dict[str, Any]
    name: str

    def ruleset(self) -> Ruleset:
        return _built(self.name, self.data)


_CACHE: dict[str, Ruleset] = {}


def _built(name: str, data: dict[str, Any]) -> Ruleset:
    """A variant's ruleset, built once per process."""
    if name not in _CACHE:
        _CACHE[name] = ruleset_from_data(data, name)
    return _CACHE[name]


@attrs.frozen
class Sweep:
    """What to sweep: the base, the key and its variants."""

    base_ref: str
    base_data: dict[str, Any]
    base_name: str
    key: str
    variants: tuple[Variant, ...]

    def base(self) -> Ruleset:
        return _built(self.base_name, self.base_data)


def parse_sweep(text: str, base_ref: str) -> Sweep:
    """`SECTION.KEY=V1,V2,...` or `SECTION.KEY=FROM:TO:STEP` against the base ruleset."""
    from aurules.model.parameters import declared

    source = "--sweep"
    key, equals, values = text.partition("=")
    key = key.strip()
    if not equals or not values.strip():
        raise BadInput(source, "", f"expected SECTION.KEY=V1,V2,... or =FROM:TO:STEP, got {text!r}")
    keys = [info.key for info in declared()]
    if key not in keys:
        close = difflib.get_close_matches(key, keys, n=1)
        hint = f" (did you mean {close[0]}?)" if close else " (`aurules params` lists them)"
        raise BadInput(source, key, f"unknown parameter{hint}")
    data, name = resolved_data(base_ref)
    section, field = key.split(".", 1)
    current = data.get(section, {}).get(field)
    texts = _values(values.strip(), current, source, key)
    variants = []
    for value in texts:
        changed = copy.deepcopy(data)
        changed.setdefault(section, {})[field] = _typed(value, current, source, key)
        changed["id"] = f"{data.get('id', name)}[{key}={value}]"
        variant_name = f"{name} with {key}={value}"
        try:
            ruleset_from_data(changed, variant_name)
        except BadInput as exc:
            raise BadInput(source, key, f"{value}: {exc.problem}") from None
        variants.append(Variant(value=value, data=changed, name=variant_name))
    return Sweep(
        base_ref=base_ref,
        base_data=data,
        base_name=name,
        key=key,
        variants=tuple(variants),
    )


def _values(text: str, current: Any, source: str, key: str) -> list[str]:
    """The values a sweep's text lists, or its range spelt out."""
    if ":" in text and not _is_text(current):
        parts = text.split(":")
        if len(parts) != 3:
            raise BadInput(source, key, f"a range is FROM:TO:STEP, got {text!r}")
        try:
            low, high, step = (Decimal(p.strip()) for p in parts)
        except InvalidOperation:
            raise BadInput(
                source, key, f"a range is three numbers FROM:TO:STEP, got {text!r}"
            ) from None
        if not all(d.is_finite() and abs(d) < 10**12 for d in (low, high, step)):
            raise BadInput(source, key, f"a range is three finite numbers, got {text!r}")
        if step <= 0 or high < low:
            raise BadInput(source, key, "a range needs FROM <= TO and a STEP above 0")
        try:
            count = int((high - low) / step) + 1
        except ArithmeticError:  # a step so small the count overflows
            raise BadInput(source, key, f"the range has more than {MAX_VARIANTS} values") from None
        if count > MAX_VARIANTS:
            raise BadInput(source, key, f"{count} values is more than {MAX_VARIANTS}")
        places = max(-min(d.as_tuple().exponent for d in (low, high, step)), 0)  # type: ignore[operator]
        return [f"{low + step * i:.{places}f}" for i in range(count)]
    out = [part.strip() for part in text.split(",")]
    if any(not part for part in out):
        raise BadInput(source, key, f"an empty value in {text!r}")
    if len(out) > MAX_VARIANTS:
        raise BadInput(source, key, f"{len(out)} values is more than {MAX_VARIANTS}")
    if len(set(out)) != len(out):
        raise BadInput(source, key, "a value is given twice")
    return out


def _is_text(current: Any) -> bool:
    """Whether a parameter is a word (an interpretation), not a number written as text."""
    if not isinstance(current, str):
        return False
    try:
        Decimal(current)
    except InvalidOperation:
        return True
    return False


def _typed(value: str, current: Any, source: str, key: str) -> Any:
    """The value as the ruleset file writes it: a whole number where the key is one, true
    or false for a flag, else the text (the loader checks it)."""
    if isinstance(current, bool):
        if value not in ("true", "false"):
            raise BadInput(source, key, f"{value}: expected true or false")
        return value == "true"
    if isinstance(current, int):
        try:
            return int(value)
        except ValueError:
            raise BadInput(source, key, f"{value}: expected a whole number") from None
    return value


@attrs.define
class Point:
    """The sums of one variant against the base."""

    value: str
    tally: Tally = attrs.field(factory=Tally)
    lifecycle: Lifecycles | None = None

    def merge(self, other: Point) -> None:
        self.tally.merge(other.tally)
        if other.lifecycle is not None:
            if self.lifecycle is None:
                self.lifecycle = Lifecycles()
            self.lifecycle.merge(other.lifecycle)


def run_part(
    pop: Population,
    events: EventTable | None,
    base: Ruleset,
    variants: list[Ruleset],
    values: list[str],
) -> list[Point]:
    """One chunk of learners under the base and every variant: a point per variant."""
    outcomes = evaluate_variants(pop, [base, *variants])
    points = []
    if events is None:
        base_out = outcomes[0]
        for value, out in zip(values, outcomes[1:], strict=True):
            point = Point(value=value)
            point.tally.add(base_out, out)
            points.append(point)
        return points
    points = [Point(value=value, lifecycle=Lifecycles()) for value in values]
    for piece, piece_events in pieces(pop, events):  # bounded memory per replay
        assert piece_events is not None
        base_life = replay(piece, piece_events, base)
        for point, variant in zip(points, variants, strict=True):
            life = replay(piece, piece_events, variant)
            point.tally.add(base_life, life)
            assert point.lifecycle is not None
            point.lifecycle.add(base_life, life)
    return points


@attrs.define
class SweepResult:
    """Every variant's sums, in the order of the values."""

    sweep: Sweep
    source: str
    label: str
    points: list[Point]
    bad_rows: int = 0
    unread: bool = False
    """The figures do not read the swept key (see `unread_key`)."""

    @property
    def lifecycles(self) -> bool:
        """Whether the figures are replayed lifecycles (the population came with events)."""
        return any(p.lifecycle is not None for p in self.points)

    def to_data(self) -> dict[str, Any]:
        base = self.sweep.base()
        first = self.points[0].tally if self.points else Tally()
        return {
            "base": base.summary(),
            "sweep": {"key": self.sweep.key, "values": [p.value for p in self.points]},
            "population": {
                "file": self.source,
                "label": self.label,
                "synthetic": "SYNTHETIC" in self.label,
                "rows": first.learners,
                "bad_rows_skipped": self.bad_rows,
            },
            "lifecycles": self.lifecycles,
            "not_in_these_figures": {
                "changes": [self.sweep.key],
                "note": unread_note(self.lifecycles),
            }
            if self.unread
            else {"changes": [], "note": ""},
            "points": [
                {
                    "value": p.value,
                    **p.tally.to_data(),
                    **({"lifecycle": p.lifecycle.to_data()} if p.lifecycle is not None else {}),
                }
                for p in self.points
            ],
        }


def unread_key(sweep: Sweep, lifecycles: bool) -> bool:
    """Whether neither eligibility nor the planned split (nor, with `lifecycles`, the
    replayed lifecycle) reads the swept key: its figures cannot change."""
    from aurules.model.planned import lifecycle_reads, planned_reads

    base = sweep.base()
    reads = lifecycle_reads(base) if lifecycles else planned_reads(base)
    return sweep.key not in reads


def sweep_parts(
    sweep: Sweep,
    parts: Iterable[Population | tuple[Population, EventTable]],
    *,
    source: str,
    label: str = "",
) -> SweepResult:
    """Every chunk through every variant in this process."""
    base = sweep.base()
    variants = [v.ruleset() for v in sweep.variants]
    values = [v.value for v in sweep.variants]
    points = [Point(value=value) for value in values]
    for part in parts:
        pop, events = part if isinstance(part, tuple) else (part, None)
        for total, point in zip(points, run_part(pop, events, base, variants, values), strict=True):
            total.merge(point)
    return SweepResult(sweep=sweep, source=source, label=label, points=points)


def text(result: SweepResult) -> str:
    """The sweep as a table: one line per value."""
    from aurules.population.report import NAMES, population_lines, pounds

    life = result.lifecycles
    what = "paid over the lifecycles" if life else "planned spend"
    lines = [
        f"sweep of {result.sweep.key} over {len(result.points)} values against "
        f"{result.sweep.base().id} on {result.points[0].tally.learners:,} learners "
        f"({result.source})"
        if result.points
        else "sweep: no values",
    ]
    lines += population_lines(result.label, result.bad_rows)
    lines += [
        "",
        f"{'value':<14}{'eligible':>10}{'Δ eligible':>12}"
        + "".join(f"{NAMES[p]:>22}" for p in PAYERS[:3]),
    ]
    for point in result.points:
        t = point.tally
        lines.append(
            f"{point.value[:13]:<14}{t.eligible_proposal:>10,}"
            f"{t.eligible_proposal - t.eligible_base:>+12,}"
            + "".join(f"{pounds(t.spend_proposal[p]):>22}" for p in PAYERS[:3])
        )
    if result.points:
        t = result.points[0].tally
        lines.append(
            f"{'(base)':<14}{t.eligible_base:>10,}{'':>12}"
            + "".join(f"{pounds(t.spend_base[p]):>22}" for p in PAYERS[:3])
        )
    lines += ["", f"figures: {what} under each value (see `aurules impact`)."]
    if result.unread:
        lines += ["", f"NOT IN THESE FIGURES: {result.sweep.key}: {unread_note(life)}."]
    return "\n".join(lines)


def chart(result: SweepResult, path: str | Path) -> None:
    """A PNG: spend by payer against the value (left) and eligible learners (right)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from aurules.model.atomic import atomic_path
    from aurules.population.report import NAMES

    labels = [p.value for p in result.points]
    numeric = all(_is_number(v) for v in labels)
    xs: list[Any] = [float(v) for v in labels] if numeric else list(range(len(labels)))
    figure, (left, right) = plt.subplots(1, 2, figsize=(12, 4.8))
    for payer in PAYERS[:3]:
        left.plot(
            xs,
            [p.tally.spend_proposal[payer] / 100 for p in result.points],
            marker="o",
            label=NAMES[payer],
        )
    life = result.lifecycles
    left.set_title(("Paid over the lifecycles" if life else "Planned spend") + " (£)")
    left.set_xlabel(result.sweep.key)
    left.legend()
    left.yaxis.set_major_formatter(matplotlib.ticker.FuncFormatter(lambda v, _: f"£{v:,.0f}"))
    right.plot(xs, [p.tally.eligible_proposal for p in result.points], marker="o", color="black")
    right.set_title("Eligible learners")
    right.set_xlabel(result.sweep.key)
    if not numeric:
        for axes in (left, right):
            axes.set_xticks(xs, labels, rotation=30, ha="right")
    title = f"Sweep of {result.sweep.key} against {result.sweep.base().id}"
    if "SYNTHETIC" in result.label:
        title += " (SYNTHETIC population)"
    figure.suptitle(title)
    figure.tight_layout()
    with atomic_path(path) as temporary:
        figure.savefig(temporary, format="png", dpi=110)
    plt.close(figure)


def _is_number(text: str) -> bool:
    try:
        Decimal(text)
    except InvalidOperation:
        return False
    return True
