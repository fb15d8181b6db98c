"""Rulesets: loading TOML, resolving `extends`, validating, hashing.

A ruleset is referred to by id (`2026-04`, a file shipped in `model/rulesets/`) or by path.
A proposal names its base with `extends = "<id or path>"` and lists only what it changes;
tables merge key by key. Every key is declared in `model.parameters`; an unknown key, a
missing key or a value of the wrong type is `BadInput` naming the file and the key.
"""

from __future__ import annotations

import datetime as dt
import difflib
import hashlib
import json
import os
import tomllib
from importlib import resources
from pathlib import Path
from typing import Any

import attrs

from aurules.model.errors import BadInput
from aurules.model.expressions import Context
from aurules.model.parameters import (
    Access,
    DeliveryHours,
    Duration,
    Eligibility,
    Funding,
    Interpretations,
    Milestones,
    ParentalLeave,
    Reservations,
    Transfers,
)
from aurules.model.proposal import STRUCTURAL_KEYS, Structure, read_structure, take_bands
from aurules.model.structure import make_converter, structure

OFFICIAL_ID = "2026-04"


@attrs.frozen(kw_only=True)
class Ruleset:
    """A complete, validated set of parameters and interpretations."""

    id: str
    title: str
    valid_from: dt.date
    valid_to: dt.date
    eligibility: Eligibility
    duration: Duration
    hours: DeliveryHours
    milestones: Milestones
    funding: Funding
    reservations: Reservations
    transfers: Transfers
    parental_leave: ParentalLeave
    access: Access
    interpretations: Interpretations
    structure: Structure = attrs.field(factory=Structure, repr=False, metadata={"internal": True})
    """What a proposal changes beyond numbers (new facts and rules, bands); empty for the
    official ruleset."""
    source: str = attrs.field(default="", eq=False, repr=False)
    binding: Any = attrs.field(default=None, eq=False, repr=False, metadata={"internal": True})
    """The learner's start facts, in a ruleset bound to one learner (or a population, or
    symbolic facts) by `bind`: claim rules read them, and banded parameters hold their values
    for those facts."""

    def parameters(self) -> dict[str, Any]:
        """The parameter values as plain JSON data (no id, title or source); a proposal's
        structural tables under `structure`."""
        data = _CONVERTER.unstructure(attrs.evolve(self, structure=Structure(), binding=None))
        for key in ("id", "title", "source", "structure", "binding"):
            data.pop(key, None)
        if self.structure.data:
            data["structure"] = self.structure.data
        return dict(data)

    @property
    def new_facts(self) -> tuple[Any, ...]:
        """The scenario fields this ruleset adds (a proposal's `[facts]`)."""
        return self.structure.facts

    @property
    def rulesets(self) -> tuple[Ruleset, ...]:
        """This ruleset as the one edition of itself (see `aurules.model.editions`)."""
        return (self,)

    def changed_from(self, base: Ruleset) -> list[tuple[str, Any, Any]]:
        """Each parameter and interpretation this ruleset sets differently from `base`, as
        (`section.key`, base's value, this one's), as JSON data, in declaration order."""
        before, after = base.parameters(), self.parameters()
        return [
            (f"{section}.{key}", before[section].get(key), value)
            for section, values in after.items()
            if isinstance(values, dict)
            and isinstance(before.get(section), dict)
            and section != "structure"
            for key, value in values.items()
            if before[section].get(key) != value
        ]

    def bind(self, facts: Any, b: Any) -> Ruleset:
        """This ruleset for the learner(s) with these start facts: banded parameters take
        their band's value (a term on symbolic backends) and claim rules can read the facts.
        Without bands or claim rules it is the ruleset itself."""
        if not self.structure.needs_binding:
            return self
        context = Context(facts=facts, params=self, b=b)
        changes: dict[str, dict[str, Any]] = {}
        for band in self.structure.bands:
            changes.setdefault(band.section, {})[band.name] = band.resolve(context)
        sections = {
            section: attrs.evolve(getattr(self, section), **values)
            for section, values in changes.items()
        }
        return attrs.evolve(self, binding=facts, **sections)

    @property
    def hash(self) -> str:
        """A short hash of the parameters: two rulesets with the same hash behave the same."""
        text = json.dumps(self.parameters(), sort_keys=True, separators=(",", ":"))
        return hashlib.sha256(text.encode()).hexdigest()[:16]

    def summary(self) -> dict[str, str]:
        return {"id": self.id, "title": self.title, "hash": self.hash, "source": self.source}

    def applies_on(self, day: dt.date) -> bool:
        return self.valid_from <= day <= self.valid_to

    def holds_days(self, days: Any) -> Any:
        """Which of these day numbers (an array) fall in this ruleset's period."""
        return (days >= self.valid_from.toordinal()) & (days <= self.valid_to.toordinal())

    def shift_from(self, first: dt.date, last: dt.date) -> int:
        """Days to move learners made for starts from `first` to `last` (the official
        period) so that they start in this ruleset's period: 0 when it holds them."""
        if self.valid_from <= first and last <= self.valid_to:
            return 0
        return (self.valid_from - first).days


_CONVERTER = make_converter()


def packaged_ids() -> list[str]:
    """Ids of the rulesets shipped with the package."""
    folder = resources.files("aurules.model.rulesets")
    return sorted(
        p.name.removesuffix(".toml") for p in folder.iterdir() if p.name.endswith(".toml")
    )


def _read_toml(ref: str, relative_to: Path | None) -> tuple[dict[str, Any], str, Path | None]:
    """(data, display name, folder for relative `extends`) of a ruleset reference."""
    if "\x00" in ref:  # no file name holds one (and Path refuses it with a ValueError)
        raise BadInput(repr(ref), "", "a ruleset id or file name cannot contain a NUL")
    if ref in packaged_ids() and not Path(ref).exists():
        text = resources.files("aurules.model.rulesets").joinpath(f"{ref}.toml").read_text("utf-8")
        name, folder = f"ruleset {ref}", None
    else:
        path = Path(ref)
        if relative_to is not None and not path.is_absolute():
            path = relative_to / path
        name, folder = str(path), path.parent
        try:
            text = path.read_text("utf-8")
        except FileNotFoundError:
            known = ", ".join(packaged_ids())
            raise BadInput(
                str(path), "", f"no such file or ruleset id (known ids: {known})"
            ) from None
        except (OSError, UnicodeDecodeError) as exc:
            raise BadInput(str(path), "", f"cannot be read ({exc})") from None
    try:
        return tomllib.loads(text), name, folder
    except tomllib.TOMLDecodeError as exc:
        raise BadInput(name, "", f"not valid TOML ({exc})") from None
    except RecursionError:
        raise BadInput(name, "", "not valid TOML (nested too deeply)") from None
    except ValueError as exc:  # e.g. an integer of thousands of digits
        raise BadInput(name, "", f"not valid TOML ({exc})") from None


def _merge(base: dict[str, Any], overlay: dict[str, Any]) -> dict[str, Any]:
    out = dict(base)
    for key, value in overlay.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = _merge(out[key], value)
        else:
            out[key] = value
    return out


def _resolve(
    ref: str, relative_to: Path | None, seen: tuple[str, ...]
) -> tuple[dict[str, Any], str]:
    data, name, folder = _read_toml(ref, relative_to)
    if name in seen:
        raise BadInput(
            name, "extends", "ruleset extends itself (a cycle: " + " -> ".join((*seen, name)) + ")"
        )
    base_ref = data.pop("extends", None)
    if base_ref is None:
        return data, name
    if not isinstance(base_ref, str):
        raise BadInput(name, "extends", "expected a ruleset id or path as a string")
    if "\x00" in base_ref:
        raise BadInput(
            name, "extends", f"{base_ref!r}: a ruleset id or file name cannot contain a NUL"
        )
    if "id" not in data:
        raise BadInput(name, "id", "required field is missing (a proposal needs its own id)")
    try:
        base, _ = _resolve(base_ref, folder, (*seen, name))
    except BadInput as exc:
        if exc.field == "extends" or exc.source == name:
            raise
        raise BadInput(
            name,
            "extends",
            f"{base_ref!r}: {exc.source}: {exc.field + ': ' if exc.field else ''}{exc.problem}",
        ) from None
    merged = _merge(base, data)
    # a proposal that extends a proposal adds its rules and disabled rules to the base's
    if isinstance(base.get("rules"), list) and isinstance(data.get("rules"), list):
        merged["rules"] = [*base["rules"], *data["rules"]]
    base_off = (
        base.get("disable", {}).get("rules") if isinstance(base.get("disable"), dict) else None
    )
    off = data.get("disable", {}).get("rules") if isinstance(data.get("disable"), dict) else None
    if isinstance(base_off, list) and isinstance(off, list):
        merged["disable"]["rules"] = [*base_off, *off]
    return merged, name


def _check_values(ruleset: Ruleset, name: str) -> None:
    """Checks no type can express: whole numbers not negative, ranges the right way round."""
    for section, values in ruleset.parameters().items():
        if not isinstance(values, dict):
            continue
        for key, value in values.items():
            if isinstance(value, int) and not isinstance(value, bool) and value < 0:
                raise BadInput(name, f"{section}.{key}", f"{value} is negative")
    pairs = [
        ("valid_to", ruleset.valid_from, ruleset.valid_to),
        (
            "duration.max_planned_days",
            ruleset.duration.min_planned_days,
            ruleset.duration.max_planned_days,
        ),
        (
            "hours.max_published_hours",
            ruleset.hours.min_published_hours,
            ruleset.hours.max_published_hours,
        ),
    ]
    for key, low, high in pairs:
        if low > high:  # type: ignore[operator]
            raise BadInput(name, key, f"is less than its lower bound ({low})")
    if ruleset.funding.learning_support_amount.pence < 0:
        raise BadInput(name, "funding.learning_support_amount", "is negative")


def load_ruleset(ref: str | None = None) -> Ruleset:
    """The ruleset with this id or path (the default one when `ref` is None)."""
    return ruleset_from_data(*resolved_data(ref))


def resolved_data(ref: str | None = None) -> tuple[dict[str, Any], str]:
    """A ruleset's TOML data with everything it extends merged in, and its display name."""
    return _resolve(ref or os.environ.get(DEFAULT_VARIABLE) or OFFICIAL_ID, None, ())


def ruleset_from_data(data: dict[str, Any], name: str) -> Ruleset:
    """A ruleset from resolved TOML data (`resolved_data`), checked as a file is: the data
    can travel (to another process, a cluster's workers) where the file cannot."""
    import copy

    data = copy.deepcopy(data)
    for key in ("source", "structure", "binding"):
        if key in data:
            raise BadInput(name, key, f"unknown field {key}")
    tables = {key: data.pop(key) for key in STRUCTURAL_KEYS if key in data}
    bands = take_bands(data, name)
    try:
        ruleset = structure(_CONVERTER, data, Ruleset, name)
    except BadInput as exc:
        raise _suggest(exc) from None
    ruleset = attrs.evolve(ruleset, source=name)
    _check_values(ruleset, name)
    if tables or bands:
        ruleset = attrs.evolve(ruleset, structure=read_structure(tables, bands, ruleset, name))
    return ruleset


def _suggest(exc: BadInput) -> BadInput:
    """An unknown key's error with the closest declared key (`funding.goverment_share` ->
    did you mean `funding.government_coinvestment_share`?)."""
    if not exc.problem.startswith("unknown field") or "," in exc.problem:
        return exc
    from aurules.model.parameters import declared

    keys = [info.key for info in declared()]
    keys += ["id", "title", "valid_from", "valid_to", "extends", *STRUCTURAL_KEYS]
    section, _, name = exc.field.rpartition(".")
    candidates = {k.rpartition(".")[2]: k for k in keys if k.rpartition(".")[0] == section}
    close = difflib.get_close_matches(name, list(candidates), n=1, cutoff=0.6)
    hint = f" (did you mean {candidates[close[0]]!r}?)" if close else ""
    return BadInput(exc.source, exc.field, exc.problem + hint)


DEFAULT_VARIABLE = "AURULES_DEFAULT_RULESET"
"""Environment variable naming another default ruleset (id or path), used by the mutation
score to run the test suite against a mutant; unset, the default is the official ruleset."""


def official() -> Ruleset:
    """The default ruleset (the official one unless $AURULES_DEFAULT_RULESET says otherwise),
    cached."""
    global _OFFICIAL  # noqa: PLW0603 - a process-wide cache of an immutable value
    if _OFFICIAL is None:
        _OFFICIAL = load_ruleset(os.environ.get(DEFAULT_VARIABLE) or OFFICIAL_ID)
    return _OFFICIAL


_OFFICIAL: Ruleset | None = None
