"""The rule registry: each rule is a small function tagged with the paragraphs it encodes.

`@rule("22.1", cites=("21.2",), interpretations=("age",))` registers a function
`(facts, ruleset, backend) -> boolean term` whose value is true when the rule is satisfied.
`paragraphs` are the ids reported in `failed_paragraphs` when the rule fails; `cites` are
paragraphs the rule also relies on (for the catalogue and explanations). The catalogue's
`where` column and the `encoded` status come from here, so they cannot drift from the code.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, Literal

import attrs

RuleFunction = Callable[..., Any]


Kind = Literal["start", "guard", "effect"]


@attrs.frozen(kw_only=True)
class Rule:
    """A registered rule: a start-of-unit condition (`start`, over facts), a condition on an
    event (`guard`, over state and event: a failing guard refuses a claim with its
    paragraphs) or an effect (`effect`: how an event changes the state or what it pays)."""

    name: str
    kind: Kind
    paragraphs: tuple[str, ...]
    cites: tuple[str, ...]
    interpretations: tuple[str, ...]
    module: str
    function: RuleFunction = attrs.field(repr=False)
    template: str
    """The summary with links to the parameters it quotes (`[eight](duration.x)`)."""
    items: tuple[str, ...] = ()
    expression: str = ""
    """A proposal's rule: the condition as the proposal writes it (`holds`)."""

    @property
    def summary(self) -> str:
        """The docstring's first paragraph in the rules' own words."""
        from aurules.model.wording import plain

        return plain(self.template)

    @property
    def where(self) -> str:
        """Where the rule is written, as the catalogue shows it (`model.rules.milestones.…`:
        the module path inside the `aurules` package, without its prefix)."""
        return f"{self.module.removeprefix('aurules.')}.{self.name}"

    def summary_under(self, ruleset: Any) -> str:
        """The summary in `ruleset`'s numbers (see `aurules.model.wording`)."""
        from aurules.model.ruleset import official
        from aurules.model.wording import under

        return under(self.template, ruleset, official())

    @property
    def label(self) -> str:
        """The tracking name of the rule in Z3 (`p22_1`), so an unsat core reads as paragraphs."""
        return "p" + "_".join(self.paragraphs).replace(".", "_") + f"__{self.name}"

    def __call__(self, *args: Any) -> Any:
        return self.function(*args)


_RULES: list[Rule] = []


def _register(
    kind: Kind,
    paragraphs: tuple[str, ...],
    cites: tuple[str, ...],
    interpretations: tuple[str, ...],
    items: tuple[str, ...] = (),
) -> Callable[[RuleFunction], RuleFunction]:
    if not paragraphs:
        raise ValueError("a rule needs at least one paragraph")

    def register(function: RuleFunction) -> RuleFunction:
        doc = (function.__doc__ or "").strip()
        if not doc:
            raise ValueError(f"rule {function.__name__} needs a docstring summarising it")
        _RULES.append(
            Rule(
                name=function.__name__,
                kind=kind,
                paragraphs=paragraphs,
                cites=cites,
                interpretations=interpretations,
                module=function.__module__,
                function=function,
                template=" ".join(doc.split("\n\n")[0].split()),
                items=items,
            )
        )
        return function

    return register


def rule(
    *paragraphs: str, cites: tuple[str, ...] = (), interpretations: tuple[str, ...] = ()
) -> Callable[[RuleFunction], RuleFunction]:
    """Register a start-of-unit rule `(facts, ruleset, backend) -> bool` under its paragraphs."""
    return _register("start", paragraphs, cites, interpretations)


def guard(
    *paragraphs: str,
    items: tuple[str, ...],
    cites: tuple[str, ...] = (),
    interpretations: tuple[str, ...] = (),
) -> Callable[[RuleFunction], RuleFunction]:
    """Register a condition of claims for `items`, `(state, event, ruleset, backend) -> bool`;
    when it is false the claim is refused with these paragraphs."""
    return _register("guard", paragraphs, cites, interpretations, items)


def effect(
    *paragraphs: str, cites: tuple[str, ...] = (), interpretations: tuple[str, ...] = ()
) -> Callable[[RuleFunction], RuleFunction]:
    """Register an effect or amount (any signature) as encoding these paragraphs."""
    return _register("effect", paragraphs, cites, interpretations)


def registered() -> tuple[Rule, ...]:
    """Every rule registered so far, in paragraph order (sorted once per change of the
    registry). Ask `aurules.model.rulebook`, which imports every rule module first."""
    key = (id(_RULES), len(_RULES))
    if _SORTED[0] != key:
        _SORTED[0] = key
        _SORTED[1] = tuple(sorted(_RULES, key=lambda r: paragraph_key(r.paragraphs[0])))
    return _SORTED[1]


_SORTED: list[Any] = [None, ()]


@functools.cache
def paragraph_key(paragraph: str) -> tuple[int, ...]:
    """Sort key for ids like "24.3.1" (numeric) and "access-2" (after the funding rules)."""
    if paragraph.startswith("access-") and paragraph[7:].isdigit():
        return (10_000, int(paragraph.split("-")[1]))
    parts = paragraph.split(".")
    if all(part.isdigit() for part in parts):
        return tuple(int(part) for part in parts)
    return (20_000, *(ord(c) for c in paragraph))  # a proposal's own ids, after the text's
