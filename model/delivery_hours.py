"""Delivery hours agreed at the start (paragraphs 46 and 48)."""

from __future__ import annotations

from typing import Any

from model.facts import Facts
from model.money import HOURS_SCALE
from model.registry import rule
from model.ruleset import Ruleset
from model.values import Backend


@rule("46")
def published_hours_in_range(f: Facts, p: Ruleset, b: Backend) -> Any:
    """The unit's published minimum of delivery hours lies between 30 and 140."""
    return b.and_(f.published_min_hours >= p.hours.min_published_hours * HOURS_SCALE,
                  f.published_min_hours <= p.hours.max_published_hours * HOURS_SCALE)


@rule("48.1", cites=("46.1", "48"))
def planned_hours_cover_published(f: Facts, p: Ruleset, b: Backend) -> Any:
    """The provider's planned hours must be at least the unit's published minimum."""
    return f.planned_hours >= f.published_min_hours
