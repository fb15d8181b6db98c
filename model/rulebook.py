"""The rule book: every rule module imported, so that their rules register, and the
questions the engines ask of the registry (every rule, the start rules, the guards of a claim
or action), answered over all of them.

The rule modules import only `aurules.model.registry` (to register) and the types and glue
they stand on, never this module, so registration has no import cycle.
"""

from __future__ import annotations

from typing import Any

import attrs

from aurules.model.errors import BadInput
from aurules.model.expressions import Context, close_match
from aurules.model.proposal import RuleSpec
from aurules.model.registry import Rule, registered
from aurules.model.rules import (  # noqa: F401 - imported for their registrations
    access,
    audits,
    change_of_circumstance,
    co_investment,
    delivery_hours,
    eligibility,
    employment,
    funding_route,
    learning_support,
    milestones,
    parental_leave,
    programme,
    reservations,
    transfers,
    withdrawal,
)
from aurules.model.vocabulary import LIFECYCLE


def all_rules(ruleset: Any = None) -> tuple[Rule, ...]:
    """Every rule, guard and effect in force: the registered ones in paragraph order (less any
    a proposal disables or replaces), then the proposal's own rules in file order."""
    if ruleset is None or ruleset.structure.empty:
        return registered()
    return _book(ruleset).rules


def start_rules(ruleset: Any = None) -> tuple[Rule, ...]:
    """Every start-of-unit rule in force under `ruleset` (the official ones when None)."""
    if ruleset is None or ruleset.structure.empty:
        return _official_starts()
    return _book(ruleset).starts


def guards(item: str, ruleset: Any = None) -> tuple[Rule, ...]:
    """The conditions of a claim or action `item` in force under `ruleset`."""
    if ruleset is not None and not ruleset.structure.empty:
        return _book(ruleset).guards.get(item, ())
    rules = registered()
    cached = _GUARDS.get(item)
    if cached is None or cached[0] is not rules:
        cached = _GUARDS[item] = (
            rules,
            tuple(r for r in rules if r.kind == "guard" and item in r.items),
        )
    return cached[1]


def check_rules(ruleset: Any) -> None:
    """Raise BadInput when a proposal's `replaces` or `disable` names no rule it can act on
    (or its rules clash with the official ones); nothing for the official ruleset."""
    if not ruleset.structure.empty:
        _book(ruleset)


_GUARDS: dict[str, tuple[tuple[Rule, ...], tuple[Rule, ...]]] = {}
LIFECYCLE_NAMES = frozenset(name for name, *_ in LIFECYCLE)
_STARTS: list[Any] = [None, ()]


def _official_starts() -> tuple[Rule, ...]:
    rules = registered()
    if _STARTS[0] is not rules:
        _STARTS[0], _STARTS[1] = rules, tuple(r for r in rules if r.kind == "start")
    starts: tuple[Rule, ...] = _STARTS[1]
    return starts


@attrs.frozen
class Book:
    """The rules in force under one proposal."""

    rules: tuple[Rule, ...]
    starts: tuple[Rule, ...]
    guards: dict[str, tuple[Rule, ...]]


_BOOKS: dict[int, tuple[Any, Book]] = {}


def _book(ruleset: Any) -> Book:
    structure = ruleset.structure
    cached = _BOOKS.get(id(structure))
    if cached is not None and cached[0] is structure:
        return cached[1]
    book = _build(ruleset)
    _BOOKS[id(structure)] = (structure, book)
    return book


def _build(ruleset: Any) -> Book:
    official = registered()
    by_name = {r.name: r for r in official}
    structure, source = ruleset.structure, ruleset.source or ruleset.id
    conditions = [r.name for r in official if r.kind != "effect"]
    for name in structure.disabled:
        rule = by_name.get(name)
        if rule is None:
            raise BadInput(
                source,
                "disable.rules",
                f"no rule is named {name!r}" + close_match(name, conditions),
            )
        if rule.kind == "effect":
            raise BadInput(
                source,
                "disable.rules",
                f"{name!r} is an effect, not a condition: it cannot be switched off",
            )
    replacing: dict[str, Rule] = {}
    extra: list[Rule] = []
    for spec in structure.rules:
        where = f"rules.{spec.name}"
        if spec.name in by_name and spec.replaces != spec.name:
            raise BadInput(
                source,
                f"{where}.name",
                f"{spec.name!r} is an official rule's name; to change "
                f"it write replaces = {spec.name!r}",
            )
        items = spec.items
        if spec.replaces is not None:
            old = by_name.get(spec.replaces)
            if old is None:
                raise BadInput(
                    source,
                    f"{where}.replaces",
                    f"no rule is named {spec.replaces!r}" + close_match(spec.replaces, conditions),
                )
            wanted = "start" if spec.kind == "start" else "guard"
            if old.kind != wanted:
                what = (
                    "a start rule"
                    if old.kind == "start"
                    else f"{'a claim condition' if old.kind == 'guard' else 'an effect'}"
                )
                raise BadInput(
                    source,
                    f"{where}.replaces",
                    f"{spec.replaces!r} is {what}; a {spec.kind} rule cannot replace it",
                )
            if spec.replaces in structure.disabled:
                raise BadInput(source, f"{where}.replaces", f"{spec.replaces!r} is also disabled")
            if spec.replaces in replacing:
                raise BadInput(source, f"{where}.replaces", f"two rules replace {spec.replaces!r}")
            items = items or old.items
        if spec.kind == "claim" and not items:
            raise BadInput(
                source,
                f"{where}.items",
                "a claim rule needs items (milestone_1, milestone_2, "
                "learning_support) or a claim condition it replaces",
            )
        rule = _rule(spec, items, ruleset.id)
        if spec.replaces is not None:
            replacing[spec.replaces] = rule
        else:
            extra.append(rule)
    rules = [replacing.get(r.name, r) for r in official if r.name not in structure.disabled] + extra
    guards: dict[str, tuple[Rule, ...]] = {}
    for rule in rules:
        if rule.kind == "guard":
            for item in rule.items:
                guards[item] = (*guards.get(item, ()), rule)
    return Book(
        rules=tuple(rules),
        starts=tuple(r for r in rules if r.kind == "start"),
        guards=guards,
    )


def _rule(spec: RuleSpec, items: tuple[str, ...], proposal: str) -> Rule:
    holds = spec.holds
    needs_facts = any(n not in LIFECYCLE_NAMES and not n.startswith("params.") for n in holds.names)
    if spec.kind == "start":

        def function(f: Any, p: Any, b: Any) -> Any:
            return holds(Context(facts=f, params=p, b=b))

    else:

        def function(s: Any, e: Any, p: Any, b: Any) -> Any:  # type: ignore[misc]
            if p.binding is None and needs_facts:
                raise RuntimeError(f"claim rule {spec.name} run without the learner's facts")
            return holds(Context(facts=p.binding, state=s, event=e, params=p, b=b))

    return Rule(
        name=spec.name,
        kind="start" if spec.kind == "start" else "guard",
        paragraphs=(spec.paragraph,),
        cites=(),
        interpretations=(),
        module=f"proposal {proposal}",
        function=function,
        template=spec.summary,
        items=items,
        expression=holds.text,
    )
