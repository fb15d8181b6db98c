"""Structural proposals: new facts, new and replacing rules, disabled rules, banded
parameters and an expected result, read from a ruleset file (see README, "Structural
proposals").

This module turns the file's tables into checked, compiled values (`Structure`); the rule
book (`aurules.model.rulebook`) puts the proposal's rules in place of or beside the official
ones, and `bind` gives each learner's banded parameters their values. Every problem is a
`BadInput` naming the file, the table (`rules.care_leavers_from_16.holds`) and, inside an
expression, the column.
"""

from __future__ import annotations

import datetime as dt
import math
import re
import typing
from collections.abc import Callable
from decimal import Decimal, InvalidOperation
from fractions import Fraction
from typing import Any

import attrs

from aurules.model.errors import BadInput, FieldError
from aurules.model.expressions import (
    BOOL,
    DATE,
    HOURS,
    INT,
    MONEY,
    NUMBER,
    Compiled,
    Context,
    ExpressionError,
    Type,
    close_match,
    compile_expression,
)
from aurules.model.money import HOURS_SCALE, SHARE_WHOLE, Money, Rate, parse_hours, parse_share
from aurules.model.parameters import SECTIONS
from aurules.model.structure import read_date
from aurules.model.vocabulary import PENCE, claim_names, param_names, start_names

FACT_SECTIONS = ("learner", "employer", "unit", "plan")
FACT_TYPES = ("bool", "int", "hours", "money", "share", "date")
RULE_KINDS = ("start", "claim")
RULE_KEYS = ("name", "paragraph", "summary", "kind", "replaces", "items", "holds")
CLAIM_ITEM_NAMES = ("milestone_1", "milestone_2", "learning_support")
IDENTIFIER = re.compile(r"[a-z][a-z0-9_]*", re.ASCII)
PARAGRAPH = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*", re.ASCII)


@attrs.frozen(kw_only=True)
class NewFact:
    """A scenario field the proposal adds: `path` (`learner.care_leaver`), its type, its
    default, and how a value is read from a scenario or a population cell."""

    path: str
    written_type: Any
    type: Type
    scale: int
    default: Any
    """The default in the model's units (pence, hundredths of an hour, a day number, a
    code)."""
    default_data: Any
    """The default as a scenario would write it (for the schema and files)."""
    description: str

    @property
    def section(self) -> str:
        return self.path.split(".")[0]

    @property
    def field(self) -> str:
        return self.path.split(".", 1)[1]

    def parse(self, value: object) -> Any:
        """A scenario value in the model's units; raises FieldError."""
        return parse_value(self.written_type, value)

    def to_data(self, value: Any) -> Any:
        """The model's value as a scenario writes it."""
        kind = self.written_type
        if isinstance(kind, tuple):
            return kind[value]
        if kind == "money":
            return str(Money(value))
        if kind == "hours":
            return value / HOURS_SCALE if value % HOURS_SCALE else value // HOURS_SCALE
        if kind == "share":
            return value / SHARE_WHOLE
        if kind == "date":
            return dt.date.fromordinal(value).isoformat()
        return value


def parse_value(kind: Any, value: object) -> Any:
    """A value of a declared fact type in the model's units; raises FieldError."""
    if isinstance(kind, tuple):
        if not isinstance(value, str) or value not in kind:
            raise FieldError(f"expected one of {', '.join(map(repr, kind))}, got {value!r}")
        return kind.index(value)
    if kind == "bool":
        if not isinstance(value, bool):
            raise FieldError(f"expected true or false, got {value!r}")
        return value
    if kind == "int":
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise FieldError(f"expected a whole number, 0 or more, got {value!r}")
        return value
    if kind == "hours":
        return parse_hours(value)
    if kind == "money":
        return Money.parse(value).pence
    if kind == "share":
        return parse_share(value)
    if kind == "date":  # as every other date of a scenario or ruleset is read
        return read_date(value).toordinal()
    raise FieldError(f"unknown type {kind!r}")


_FACT_TYPE = {
    "bool": (BOOL, 1),
    "int": (INT, 1),
    "hours": (HOURS, HOURS_SCALE),
    "money": (MONEY, PENCE),
    "share": (NUMBER, SHARE_WHOLE),
    "date": (DATE, 1),
}


@attrs.frozen(kw_only=True)
class Band:
    """One band: applies while the fact is below `below` (None: the last band, no bound)."""

    below: Fraction | None
    value: Any
    below_data: Any = None


@attrs.frozen(kw_only=True)
class Banding:
    """A parameter whose value depends on a start fact: bands tried in order."""

    key: str
    by: str
    bands: tuple[Band, ...]
    by_value: Compiled = attrs.field(eq=False, repr=False)

    @property
    def section(self) -> str:
        return self.key.split(".")[0]

    @property
    def name(self) -> str:
        return self.key.split(".")[1]

    def resolve(self, ctx: Context) -> Any:
        """The parameter's value for the learner in `ctx` (a term on symbolic backends)."""
        term, scale = self.by_value(ctx), self.by_value.scale
        first = self.bands[0].value
        parts: list[tuple[Any, Any]] = []
        for band in self.bands[:-1]:
            assert band.below is not None
            condition = term * band.below.denominator < band.below.numerator * scale
            parts.append((condition, band.value))
        b = ctx.b

        def choose(extract: Callable[[Any], Any]) -> Any:
            out = extract(self.bands[-1].value)
            for condition, value in reversed(parts):
                out = b.ite(condition, extract(value), out)
            return out

        if isinstance(first, Rate):
            return Rate(choose(lambda r: r.num), first.den)
        if isinstance(first, Money):
            return Money(choose(lambda m: m.pence))
        return choose(lambda v: v)


@attrs.frozen(kw_only=True)
class RuleSpec:
    """A proposal's rule as written and compiled."""

    name: str
    paragraph: str
    summary: str
    kind: str
    replaces: str | None
    items: tuple[str, ...]
    holds: Compiled = attrs.field(eq=False, repr=False)


@attrs.frozen(kw_only=True)
class Structure:
    """What a proposal changes beyond numbers. Empty for the official ruleset."""

    facts: tuple[NewFact, ...] = ()
    rules: tuple[RuleSpec, ...] = ()
    disabled: tuple[str, ...] = ()
    bands: tuple[Banding, ...] = ()
    expect_violated: tuple[str, ...] | None = None
    data: dict[str, Any] = attrs.field(factory=dict)
    """The tables as written (JSON-ready), for the ruleset's hash and `params`."""

    @property
    def empty(self) -> bool:
        return not (self.facts or self.rules or self.disabled or self.bands)

    @property
    def needs_binding(self) -> bool:
        """Whether rules need the learner's facts beside the ruleset (bands, claim rules)."""
        return bool(self.bands) or any(r.kind == "claim" for r in self.rules)

    def fact(self, path: str) -> NewFact | None:
        return next((f for f in self.facts if f.path == path), None)


STRUCTURAL_KEYS = ("facts", "rules", "disable", "expect")


def added_facts(*rulesets: Any) -> tuple[NewFact, ...]:
    """The new facts of these rulesets, each once; two rulesets declaring one fact must
    agree on it (BadInput otherwise)."""
    seen: dict[str, NewFact] = {}
    for ruleset in (one for given in rulesets for one in given.rulesets):  # editions too
        for new in ruleset.structure.facts:
            if seen.get(new.path, new) != new:
                raise BadInput(
                    ruleset.source or ruleset.id,
                    f"facts.{new.path}",
                    "declared differently by another ruleset in use (type, default or description)",
                )
            seen[new.path] = new
    return tuple(seen.values())


def _is_band_table(value: object) -> bool:
    return isinstance(value, dict) and ("by" in value or "bands" in value)


def take_bands(data: dict[str, Any], name: str) -> dict[str, dict[str, Any]]:
    """Remove banded parameters from `data` (replacing each with its last band's value so the
    numeric part structures as usual); returns them by key."""
    out: dict[str, dict[str, Any]] = {}
    for section, values in data.items():
        if not isinstance(values, dict) or section in STRUCTURAL_KEYS:
            continue
        for key, value in list(values.items()):
            if not _is_band_table(value):
                continue
            where = f"{section}.{key}"
            if section == "interpretations":
                raise BadInput(name, where, "an interpretation cannot be banded")
            unknown = sorted(set(value) - {"by", "bands"})
            if unknown:
                raise BadInput(name, f"{where}.{unknown[0]}", "unknown field (expected by, bands)")
            bands = value.get("bands")
            if not isinstance(bands, list) or not bands:
                raise BadInput(name, f"{where}.bands", "expected a list of bands")
            last = bands[-1]
            if not isinstance(last, dict) or "value" not in last:
                raise BadInput(
                    name, f"{where}.bands[{len(bands) - 1}].value", "required field is missing"
                )
            values[key] = last["value"]
            out[where] = value
    return out


def read_structure(
    data: dict[str, Any], bands: dict[str, dict[str, Any]], ruleset: Any, name: str
) -> Structure:
    """The checked, compiled structure of a ruleset file (its numeric part already read into
    `ruleset`)."""
    unknown_tables = [k for k in STRUCTURAL_KEYS if k in data and not isinstance(data[k], dict)]
    for key in unknown_tables:
        if key == "rules" and isinstance(data[key], list):
            continue
        raise BadInput(name, key, "expected a table" if key != "rules" else "expected [[rules]]")
    facts = _read_facts(data.get("facts", {}), name)
    params = param_names(ruleset)
    starts = {**start_names(facts), **params}
    claims = {**claim_names(facts), **params}
    banding = tuple(_read_banding(key, spec, ruleset, starts, name) for key, spec in bands.items())
    rules = _read_rules(data.get("rules", []), claims, name)
    disabled = _read_disable(data.get("disable", {}), name)
    expect = _read_expect(data.get("expect"), name)
    raw: dict[str, Any] = {
        key: _jsonable(data[key]) for key in ("facts", "rules", "disable") if key in data
    }
    if bands:
        raw["bands"] = _jsonable(bands)
    return Structure(
        facts=facts,
        rules=rules,
        disabled=disabled,
        bands=banding,
        expect_violated=expect,
        data=raw,
    )


def _jsonable(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_jsonable(v) for v in value]
    if isinstance(value, dt.date | dt.datetime | dt.time):
        return value.isoformat()
    return value


def _table(value: object, name: str, where: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise BadInput(name, where, "expected a table")
    return value


def _read_facts(tables: object, name: str) -> tuple[NewFact, ...]:
    from aurules.model.scenario import Employer, Learner, Plan, Unit

    existing = {"learner": Learner, "employer": Employer, "unit": Unit, "plan": Plan}
    out: list[NewFact] = []
    for section, fields in _table(tables, name, "facts").items():
        if section not in FACT_SECTIONS:
            raise BadInput(
                name,
                f"facts.{section}",
                f"a new fact belongs to one of {', '.join(FACT_SECTIONS)}"
                + close_match(section, list(FACT_SECTIONS)),
            )
        for field, spec in _table(fields, name, f"facts.{section}").items():
            where = f"facts.{section}.{field}"
            if not IDENTIFIER.fullmatch(field):
                raise BadInput(name, where, "a fact's name is lower-case letters, digits and _")
            if field in attrs.fields_dict(existing[section]):
                raise BadInput(name, where, f"{section}.{field} is already a scenario field")
            out.append(_read_fact(section, field, _table(spec, name, where), name, where))
    return tuple(out)


def _read_fact(section: str, field: str, spec: dict[str, Any], name: str, where: str) -> NewFact:
    unknown = sorted(set(spec) - {"type", "default", "description"})
    if unknown:
        raise BadInput(
            name, f"{where}.{unknown[0]}", "unknown field (expected type, default, description)"
        )
    for key in ("type", "default"):
        if key not in spec:
            raise BadInput(name, f"{where}.{key}", "required field is missing")
    written = spec["type"]
    if isinstance(written, list):
        if not written or not all(isinstance(o, str) and o for o in written):
            raise BadInput(name, f"{where}.type", "a choice is a list of option names")
        if len(set(written)) != len(written):
            raise BadInput(name, f"{where}.type", "the options repeat a name")
        kind: Any = tuple(written)
        value_type, scale = Type("enum", kind), 1
    elif isinstance(written, str) and written in _FACT_TYPE:
        kind = written
        value_type, scale = _FACT_TYPE[written]
    else:
        raise BadInput(
            name,
            f"{where}.type",
            f"expected one of {', '.join(FACT_TYPES)} or a list of options, got {written!r}"
            + (close_match(written, list(FACT_TYPES)) if isinstance(written, str) else ""),
        )
    try:
        default = parse_value(kind, spec["default"])
    except FieldError as exc:
        raise BadInput(name, f"{where}.default", str(exc)) from None
    description = spec.get("description", "")
    if not isinstance(description, str):
        raise BadInput(name, f"{where}.description", "expected a string")
    return NewFact(
        path=f"{section}.{field}",
        written_type=kind,
        type=value_type,
        scale=scale,
        default=default,
        default_data=_jsonable(spec["default"]),
        description=description,
    )


def _read_banding(
    key: str, spec: dict[str, Any], ruleset: Any, names: dict[str, Any], name: str
) -> Banding:
    section, _, field = key.partition(".")
    if section not in SECTIONS:
        raise BadInput(
            name, key, "unknown parameter section" + close_match(section, list(SECTIONS))
        )
    current = getattr(getattr(ruleset, section), field)
    by = spec.get("by")
    if not isinstance(by, str):
        raise BadInput(name, f"{key}.by", 'expected the name of a fact, e.g. "age_at_start"')
    known = {n: v for n, v in names.items() if not n.startswith("params.")}
    if by not in known:
        raise BadInput(name, f"{key}.by", f"unknown fact {by!r}" + close_match(by, list(known)))
    by_value = compile_expression(by, known, claim=False)
    if by_value.type.kind not in ("int", "number", "hours", "money", "date"):
        raise BadInput(name, f"{key}.by", f"{by} is {by_value.type}: bands need a number or a date")
    bands: list[Band] = []
    rows = spec["bands"]
    for index, row in enumerate(rows):
        where = f"{key}.bands[{index}]"
        if not isinstance(row, dict):
            raise BadInput(name, where, "expected a table { below = ..., value = ... }")
        unknown = sorted(set(row) - {"below", "value"})
        if unknown:
            raise BadInput(name, f"{where}.{unknown[0]}", "unknown field (expected below, value)")
        if "value" not in row:
            raise BadInput(name, f"{where}.value", "required field is missing")
        last = index == len(rows) - 1
        if last and "below" in row:
            raise BadInput(name, f"{where}.below", "the last band has no bound (it takes the rest)")
        if not last and "below" not in row:
            raise BadInput(name, f"{where}.below", "every band but the last needs a bound")
        below = None if last else _bound(row["below"], by_value.type, name, f"{where}.below")
        if below is not None and bands and bands[-1].below is not None and below <= bands[-1].below:
            raise BadInput(
                name, f"{where}.below", "bands are out of order: each bound must exceed the last"
            )
        value = _band_value(row["value"], current, name, f"{where}.value")
        bands.append(Band(below=below, value=value, below_data=_jsonable(row.get("below"))))
    if isinstance(current, Rate):
        den = math.lcm(*(b.value.den for b in bands))
        bands = [
            attrs.evolve(b, value=Rate(b.value.num * (den // b.value.den), den)) for b in bands
        ]
    return Banding(key=key, by=by, bands=tuple(bands), by_value=by_value)


def _bound(value: object, kind: Type, name: str, where: str) -> Fraction:
    """A band's bound in the scale of its fact."""
    scale = {"hours": HOURS_SCALE, "money": PENCE}.get(kind.kind, 1)
    if kind.kind == "date":
        try:
            return Fraction(parse_value("date", value))
        except FieldError as exc:
            raise BadInput(name, where, str(exc)) from None
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        raise BadInput(name, where, f"expected a number, got {value!r}")
    try:
        number = Fraction(Decimal(str(value)))
    except (InvalidOperation, ValueError):
        raise BadInput(name, where, f"expected a number, got {value!r}") from None
    if kind.kind == "int" and number.denominator != 1:
        raise BadInput(name, where, f"expected a whole number, got {value!r}")
    if kind.kind == "number":
        return number
    return number * scale


def _band_value(value: object, current: Any, name: str, where: str) -> Any:
    try:
        if isinstance(current, Rate):
            return Rate.parse(value)
        if isinstance(current, Money):
            return Money.parse(value)
        if isinstance(value, bool) or not isinstance(value, int):
            raise FieldError(f"expected a whole number, got {value!r}")
        if value < 0:
            raise FieldError(f"{value} is negative")
        return value
    except FieldError as exc:
        raise BadInput(name, where, str(exc)) from None


def _read_rules(rows: object, names: dict[str, Any], name: str) -> tuple[RuleSpec, ...]:
    if not isinstance(rows, list):
        raise BadInput(name, "rules", "expected [[rules]] tables")
    out: list[RuleSpec] = []
    seen: set[str] = set()
    for index, row in enumerate(rows):
        label = row.get("name") if isinstance(row, dict) else None
        named = isinstance(label, str) and IDENTIFIER.fullmatch(label)
        where = f"rules.{label}" if named else f"rules[{index}]"
        if not isinstance(row, dict):
            raise BadInput(name, where, "expected a table")
        unknown = sorted(set(row) - set(RULE_KEYS))
        if unknown:
            raise BadInput(
                name,
                f"{where}.{unknown[0]}",
                "unknown field" + close_match(unknown[0], list(RULE_KEYS)),
            )
        for key in ("name", "paragraph", "kind", "holds"):
            if key not in row:
                raise BadInput(name, f"{where}.{key}", "required field is missing")
        rule_name = row["name"]
        if not isinstance(rule_name, str) or not IDENTIFIER.fullmatch(rule_name):
            raise BadInput(
                name,
                f"{where}.name",
                "a rule's name is lower-case letters, digits and _, starting with a letter",
            )
        if rule_name in seen:
            raise BadInput(name, f"{where}.name", f"two rules are named {rule_name!r}")
        seen.add(rule_name)
        paragraph = row["paragraph"]
        if not isinstance(paragraph, str) or not PARAGRAPH.fullmatch(paragraph):
            raise BadInput(name, f"{where}.paragraph", 'expected an id such as "P1"')
        kind = row["kind"]
        if kind not in RULE_KINDS:
            raise BadInput(name, f"{where}.kind", f'expected "start" or "claim", got {kind!r}')
        summary = row.get("summary", "")
        if not isinstance(summary, str):
            raise BadInput(name, f"{where}.summary", "expected a string")
        replaces = row.get("replaces")
        if replaces is not None and (not isinstance(replaces, str) or not replaces):
            raise BadInput(name, f"{where}.replaces", "expected the name of an official rule")
        items = _read_items(row.get("items"), kind, name, f"{where}.items")
        holds = row["holds"]
        if not isinstance(holds, str):
            raise BadInput(name, f"{where}.holds", "expected an expression in a string")
        try:
            compiled = compile_expression(holds, names, claim=kind == "claim", want=BOOL)
        except ExpressionError as exc:
            raise BadInput(name, f"{where}.holds", str(exc)) from None
        out.append(
            RuleSpec(
                name=rule_name,
                paragraph=paragraph,
                summary=" ".join(summary.split()) or f"Holds when {compiled.text}.",
                kind=kind,
                replaces=replaces,
                items=items,
                holds=compiled,
            )
        )
    return tuple(out)


def _read_items(value: object, kind: str, name: str, where: str) -> tuple[str, ...]:
    if value is None:
        return ()
    if kind == "start":
        raise BadInput(name, where, "items belong to claim rules only")
    if not isinstance(value, list) or not value:
        raise BadInput(name, where, f"expected a list of items: {', '.join(CLAIM_ITEM_NAMES)}")
    for item in value:
        if item not in CLAIM_ITEM_NAMES:
            shown = item if isinstance(item, str) else repr(item)
            raise BadInput(
                name,
                where,
                f"unknown item {shown!r}"
                + (close_match(item, list(CLAIM_ITEM_NAMES)) if isinstance(item, str) else "")
                + f"; items are {', '.join(CLAIM_ITEM_NAMES)}",
            )
    return tuple(dict.fromkeys(typing.cast(list[str], value)))


def _read_disable(table: object, name: str) -> tuple[str, ...]:
    return _names(table, name, "disable", "rules", "rule names")


def _read_expect(table: object, name: str) -> tuple[str, ...] | None:
    if table is None:
        return None
    return _names(table, name, "expect", "violated", "invariant names")


def _names(table: object, name: str, section: str, key: str, what: str) -> tuple[str, ...]:
    """A table with one key holding a list of names (`[disable] rules = [...]`)."""
    spec = _table(table, name, section)
    unknown = sorted(set(spec) - {key})
    if unknown:
        raise BadInput(name, f"{section}.{unknown[0]}", f"unknown field (expected {key})")
    names = spec.get(key, [])
    if not isinstance(names, list) or not all(isinstance(n, str) and n for n in names):
        raise BadInput(name, f"{section}.{key}", f"expected a list of {what}")
    return tuple(dict.fromkeys(names))
