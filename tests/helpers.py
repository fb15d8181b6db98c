"""Building scenarios for tests: a minimal eligible scenario plus dotted-path changes.

    failed({"learner.date_of_birth": "2007-05-05"})  ->  ["22.1"]
"""

from __future__ import annotations

import copy
from typing import Any

from model.evaluate import check_start, evaluate
from model.ruleset import Ruleset, official
from model.scenario import MINIMAL, Scenario

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


def outcome(changes: dict[str, Any] | None = None, ruleset: Ruleset | None = None
            ) -> dict[str, Any]:
    return evaluate(scenario(changes), ruleset or official()).to_data()


def failed(changes: dict[str, Any] | None = None, ruleset: Ruleset | None = None) -> list[str]:
    """The failed paragraphs of BASE with the changes."""
    result: list[str] = outcome(changes, ruleset)["failed_paragraphs"]
    return result


def rule_passes(rule_name: str, changes: dict[str, Any] | None = None,
                ruleset: Ruleset | None = None) -> bool:
    """Whether one named rule passes on BASE with the changes."""
    for result in check_start(scenario(changes), ruleset or official()):
        if result.rule.name == rule_name:
            return result.passed
    raise KeyError(rule_name)
