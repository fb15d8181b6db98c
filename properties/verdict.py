"""The Z3 verdict on an invariant, and the way both sets of invariants (the lifecycle's and
the account access model's) are checked: proved by induction where possible, the rest model
checked to a bound."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import attrs

from aurules.properties.invariant import Invariant


@attrs.frozen(kw_only=True)
class Verdict:
    """The Z3 verdict on one invariant."""

    invariant: str
    method: str
    verdict: str
    depth: int | None
    seconds: float
    scenario: dict[str, Any] | None = None
    step: int | None = None
    detail: str = ""


def proved_else_bounded(
    invariants: list[Invariant],
    induction: Callable[[], tuple[set[str], str]],
    bounded: Callable[[list[Invariant]], dict[str, Verdict]],
) -> dict[str, Verdict]:
    """`proved` for every invariant `induction` proves (its time shared among them), and the
    bounded verdict for the rest, with the note on why induction dropped them."""
    started = time.perf_counter()
    proved, note = induction()
    seconds = time.perf_counter() - started
    verdicts = {
        name: Verdict(
            invariant=name,
            method="z3 induction",
            verdict="proved",
            depth=None,
            seconds=seconds / max(len(proved), 1),
        )
        for name in proved
    }
    rest = [inv for inv in invariants if inv.name not in proved]
    if rest:
        for name, verdict in bounded(rest).items():
            verdicts[name] = attrs.evolve(verdict, detail=verdict.detail or note)
    return verdicts
