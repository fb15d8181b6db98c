"""Building scenarios for tests: a minimal eligible scenario plus dotted-path changes.

failed({"learner.date_of_birth": "2007-05-05"})  ->  ["22.1"]
"""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import attrs

from aurules.model.evaluate import check_start, evaluate
from aurules.model.ruleset import Ruleset, load_ruleset, official
from aurules.model.scenario import MINIMAL, Scenario

BASE: dict[str, Any] = MINIMAL
"""The contract's minimal scenario: an eligible learner on the happy path."""


def data(changes: dict[str, Any] | None = None) -> dict[str, Any]:
    """BASE with each `"a.b.c": value` change applied (a value of DELETE removes the key)."""
    out = copy.deepcopy(BASE)
    for path, value in (changes or {}).items():
        *parents, last = path.split(".")
        node = out
        for key in parents:
            node = node.setdefault(key, {})
        if value is DELETE:
            node.pop(last, None)
        else:
            node[last] = value
    return out


DELETE = object()


def scenario(changes: dict[str, Any] | None = None) -> Scenario:
    return Scenario.from_data(data(changes), "<test>")


def outcome(
    changes: dict[str, Any] | None = None, ruleset: Ruleset | None = None
) -> dict[str, Any]:
    return evaluate(scenario(changes), ruleset or official()).to_data()


def failed(changes: dict[str, Any] | None = None, ruleset: Ruleset | None = None) -> list[str]:
    """The failed paragraphs of BASE with the changes."""
    result: list[str] = outcome(changes, ruleset)["failed_paragraphs"]
    return result


def rule_passes(
    rule_name: str, changes: dict[str, Any] | None = None, ruleset: Ruleset | None = None
) -> bool:
    """Whether one named rule passes on BASE with the changes."""
    for result in check_start(scenario(changes), ruleset or official()):
        if result.rule.name == rule_name:
            return result.passed
    raise KeyError(rule_name)


SPEC_EVENTS: list[dict[str, Any]] = [
    {"date": "2026-05-20", "type": "delivered", "hours": 18, "recorded_hours": 0, "kit_day": False},
    {"date": "2026-05-21", "type": "claim", "item": "milestone_1"},
    {"date": "2026-07-20", "type": "skills_test_passed"},
    {"date": "2026-07-21", "type": "plan_signed_off", "by": ["provider", "learner", "employer"]},
    {"date": "2026-07-22", "type": "claim", "item": "milestone_2"},
]
"""The events of the contract's example scenario (spec/interface.md)."""


# Events and expected outcome entries, written as they appear in scenario and outcome JSON.


def event(date: str, type_: str, /, **fields: Any) -> dict[str, Any]:
    return {"date": date, "type": type_, **fields}


def delivered(
    date: str, hours: float, recorded: float = 0, kit_day: bool = False
) -> dict[str, Any]:
    return event(date, "delivered", hours=hours, recorded_hours=recorded, kit_day=kit_day)


def claim(date: str, item: str, cost: str | None = None) -> dict[str, Any]:
    return event(date, "claim", item=item, **({} if cost is None else {"cost": cost}))


def paid(
    date: str, item: str, government: str, account: str = "0.00", direct: str = "0.00"
) -> dict[str, str]:
    return {
        "date": date,
        "item": item,
        "government": government,
        "employer_account": account,
        "employer_direct": direct,
    }


def refused(date: str, item: str, *paragraphs: str) -> dict[str, Any]:
    return {"date": date, "item": item, "paragraphs": list(paragraphs)}


def run(
    events: list[dict[str, Any]],
    changes: dict[str, Any] | None = None,
    ruleset: Ruleset | None = None,
) -> dict[str, Any]:
    """The outcome of BASE with the changes and these events."""
    return outcome({**(changes or {}), "events": events}, ruleset)


def proposal(tmp_path: Path, body: str) -> Ruleset:
    """A proposal that extends the official ruleset and changes only `body`'s keys."""
    path = tmp_path / "proposal.toml"
    path.write_text(f'extends = "2026-04"\nid = "test-proposal"\n{body}', encoding="utf-8")
    return load_ruleset(str(path))


def weaken(monkeypatch: Any, name: str) -> None:
    """Replace the registered rule or guard `name` by one that always passes."""
    from aurules.model import registry, rulebook

    rulebook.all_rules()  # every rule module registered
    weakened = [
        attrs.evolve(r, function=lambda *a: True) if r.name == name else r for r in registry._RULES
    ]
    assert weakened != registry._RULES, f"no rule named {name}"
    monkeypatch.setattr(registry, "_RULES", weakened)
