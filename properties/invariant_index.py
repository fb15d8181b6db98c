"""Every invariant, the lifecycle's then the account access model's, and lookup by name (for
the runner and the replay of saved counterexamples)."""

from __future__ import annotations

from aurules.properties.access_invariants import ACCESS_INVARIANTS
from aurules.properties.invariant import Invariant
from aurules.properties.invariants import INVARIANTS


def all_invariants() -> list[Invariant]:
    """The lifecycle's invariants, then the account access model's."""
    return [*INVARIANTS, *ACCESS_INVARIANTS]


def by_name(name: str) -> Invariant:
    """The invariant called `name` (KeyError if there is none)."""
    for item in all_invariants():
        if item.name == name:
            return item
    raise KeyError(name)
