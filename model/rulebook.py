"""The rule book: every rule module imported, so that their rules register, and the
questions the engines ask of the registry (every rule, the start rules, the guards of a claim
or action), answered over all of them.

The rule modules import only `aurules.model.registry` (to register) and the types and glue
they stand on, never this module, so registration has no import cycle.
"""

from __future__ import annotations

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


def all_rules() -> tuple[Rule, ...]:
    """Every registered rule, guard and effect, in paragraph order."""
    return registered()


def start_rules() -> tuple[Rule, ...]:
    """Every start-of-unit rule, in paragraph order."""
    return tuple(r for r in registered() if r.kind == "start")


def guards(item: str) -> tuple[Rule, ...]:
    """The conditions of a claim or action `item`, in paragraph order."""
    rules = registered()
    cached = _GUARDS.get(item)
    if cached is None or cached[0] is not rules:
        cached = _GUARDS[item] = (
            rules,
            tuple(r for r in rules if r.kind == "guard" and item in r.items),
        )
    return cached[1]


_GUARDS: dict[str, tuple[tuple[Rule, ...], tuple[Rule, ...]]] = {}
