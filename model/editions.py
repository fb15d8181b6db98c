"""Editions: several rulesets in force one after another (`--rules 2026-04,2026-08.toml`).

Each ruleset says the period it governs (`valid_from`, `valid_to`); the periods of the
rulesets given together must not overlap. A scenario or population row is evaluated under the
one whose period holds its start date, and a start no period holds is bad input. Gaps between
periods are allowed here and reported by `aurules check` (`rulesets_cover_dates`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import attrs

from aurules.model.errors import BadInput
from aurules.model.ruleset import Ruleset


@attrs.frozen
class Editions:
    """Rulesets in force one after another, in date order."""

    rulesets: tuple[Ruleset, ...]

    @property
    def id(self) -> str:
        return "+".join(r.id for r in self.rulesets)

    @property
    def title(self) -> str:
        return "; ".join(f"{r.title} ({r.valid_from} to {r.valid_to})" for r in self.rulesets)

    def summary(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "title": self.title,
            "hash": "+".join(r.hash for r in self.rulesets),
            "source": ",".join(r.source for r in self.rulesets),
            "editions": [r.summary() for r in self.rulesets],
        }

    @property
    def new_facts(self) -> tuple[Any, ...]:
        """The new facts of every edition, each once."""
        from aurules.model.proposal import added_facts

        return added_facts(*self.rulesets)

    def covers(self, days: Any) -> Any:
        """Which of these day numbers (a NumPy array) some edition's period holds."""
        import numpy as np

        out = np.zeros(len(days), dtype=bool)
        for ruleset in self.rulesets:
            out |= ruleset.holds_days(days)
        return out

    def covering(self, day: dt.date) -> Ruleset | None:
        """The ruleset whose period holds `day`, if any."""
        return next((r for r in self.rulesets if r.valid_from <= day <= r.valid_to), None)

    def choose(self, start: dt.date, source: str) -> Ruleset:
        """The ruleset for a start on `start`, or BadInput naming `source`."""
        ruleset = self.covering(start)
        if ruleset is None:
            raise BadInput(source, "plan.start_date", uncovered(start, self))
        return ruleset


def uncovered(start: dt.date, editions: Editions) -> str:
    periods = ", ".join(f"{r.id} from {r.valid_from} to {r.valid_to}" for r in editions.rulesets)
    return f"{start} is in no period of the rulesets given ({periods})"


def is_several(ref: str | None) -> bool:
    """Whether a `--rules` value names several rulesets (commas, and not one file's name)."""
    return ref is not None and "," in ref and not Path(ref).exists()


def load_editions(ref: str, load: Callable[[str], Ruleset]) -> Editions:
    """The comma-separated rulesets of `ref`, loaded with `load`, checked not to overlap."""
    parts = [part.strip() for part in ref.split(",")]
    if any(not part for part in parts):
        raise BadInput("--rules", "", f"{ref!r} has an empty ruleset name between commas")
    rulesets = tuple(sorted((load(part) for part in parts), key=lambda r: r.valid_from))
    overlaps = overlap_problems(rulesets)
    if overlaps:
        raise BadInput("--rules", "", overlaps[0])
    return Editions(rulesets)


def overlap_problems(rulesets: Sequence[Ruleset]) -> list[str]:
    """Each pair of rulesets whose periods overlap, as a readable problem."""
    out = []
    for index, first in enumerate(rulesets):
        for second in rulesets[index + 1 :]:
            start = max(first.valid_from, second.valid_from)
            end = min(first.valid_to, second.valid_to)
            if start <= end:
                out.append(
                    f"rulesets {first.id} ({first.valid_from} to {first.valid_to}) and "
                    f"{second.id} ({second.valid_from} to {second.valid_to}) overlap from "
                    f"{start} to {end}"
                )
    return out


def gap_problems(rulesets: Sequence[Ruleset]) -> list[str]:
    """Days between the first and the last period that no ruleset governs."""
    ordered = sorted(rulesets, key=lambda r: r.valid_from)
    out = []
    reach = ordered[0].valid_to if ordered else None
    for ruleset in ordered[1:]:
        assert reach is not None
        if ruleset.valid_from > reach + dt.timedelta(days=1):
            first_gap = reach + dt.timedelta(days=1)
            last_gap = ruleset.valid_from - dt.timedelta(days=1)
            out.append(f"{first_gap} to {last_gap}: no ruleset applies (a gap before {ruleset.id})")
        reach = max(reach, ruleset.valid_to)
    return out
