"""How a start is paid for, and what the learner may be asked for (paragraphs 71 and 96)."""

from __future__ import annotations

from typing import Any

from aurules.model.facts import FUNDING, Facts
from aurules.model.registry import rule
from aurules.model.ruleset import Ruleset
from aurules.model.values import Backend


@rule("71")
def funding_route_available(f: Facts, p: Ruleset, b: Backend) -> Any:
    """Every start is funded through the service: levy funds only for a levy payer; a
    non-levy employer reserves funds or receives a transfer."""
    return b.implies(f.funding == FUNDING["levy"], f.levy_payer)


@rule("96", cites=("96.1",))
def no_learner_contribution(f: Facts, p: Ruleset, b: Backend) -> Any:
    """Neither provider nor employer may ask the learner to pay towards eligible costs."""
    return f.learner_contribution <= 0
