"""Where a learner withdraws from training (paragraphs 125 and 126): nothing more is paid
and no training counts after the withdrawal, until a restart (128)."""

from __future__ import annotations

from typing import Any

from aurules.model.registry import effect, guard
from aurules.model.ruleset import Ruleset
from aurules.model.state import CLAIM_ITEMS, EventFacts, State
from aurules.model.values import Backend, replace


@guard("125", items=CLAIM_ITEMS)
def not_withdrawn(s: State, e: EventFacts, p: Ruleset, b: Backend) -> Any:
    """Nothing is paid after a withdrawal, until a restart."""
    return b.not_(s.withdrawn)


@effect("125")
def withdrawn(s: State, e: EventFacts, p: Ruleset, b: Backend) -> State:
    """After a withdrawal no further funds or additional payments are made."""
    return replace(s, withdrawn=True)
