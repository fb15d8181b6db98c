"""What an invariant is: a named statement of intent over states (or steps) with its
paragraphs and a one-line meaning, written over the value layer so that it is checked on
concrete runs (Hypothesis, replay) and as a Z3 formula (proofs, bounded model checking).

An invariant is declared once, as a function: its name is the function's name and its meaning
the first paragraph of its docstring, so neither is repeated as a string.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Literal

import attrs

Over = Literal["state", "step"]
Predicate = Callable[..., Any]


@attrs.frozen(kw_only=True)
class Invariant:
    """A named statement of intent with its paragraphs and a one-line meaning.

    A *state* invariant `(state, b) -> bool` must hold in every reachable state; a *step*
    invariant `(before, event, output, after, b) -> bool` must hold for every step."""

    name: str
    paragraphs: tuple[str, ...]
    meaning: str
    over: Over
    predicate: Predicate = attrs.field(repr=False)

    def holds(self, before: Any, event: Any, output: Any, after: Any, b: Any) -> Any:
        """The invariant on one step (a state invariant looks only at `after`)."""
        if self.over == "state":
            return self.predicate(after, b)
        if event is None or output is None:
            return True  # the initial state has no step
        return self.predicate(before, event, output, after, b)


def declared(predicate: Predicate, paragraphs: tuple[str, ...], over: Over) -> Invariant:
    """The invariant a function declares: named by the function, meaning its docstring."""
    doc = (predicate.__doc__ or "").strip()
    if not doc:
        raise ValueError(f"invariant {predicate.__name__} needs a docstring saying what it means")
    meaning = " ".join(doc.split("\n\n")[0].split())
    return Invariant(
        name=predicate.__name__,
        paragraphs=paragraphs,
        meaning=meaning,
        over=over,
        predicate=predicate,
    )


def collect_into(
    invariants: list[Invariant],
) -> Callable[[tuple[str, ...], Over], Callable[[Predicate], Predicate]]:
    """A decorator `@invariant(paragraphs, over)` that declares into `invariants`."""

    def invariant(paragraphs: tuple[str, ...], over: Over) -> Callable[[Predicate], Predicate]:
        def register(predicate: Predicate) -> Predicate:
            invariants.append(declared(predicate, paragraphs, over))
            return predicate

        return register

    return invariant
