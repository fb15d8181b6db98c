"""Rule code contains no funding number: every threshold, share, amount and duration comes
from the ruleset. Lists every offending literal, not just the first."""

from __future__ import annotations

import ast
import inspect
from importlib import import_module

from aurules.model.rulebook import all_rules

ALLOWED = {0, 1}
"""0 and 1 are arithmetic identities (e.g. counting both ends of a range), not parameters."""

UNIT_CONSTANTS = {"DAYS_PER_WEEK"}
"""Module constants that convert units; they state no policy."""


def _offenders(module_name: str) -> list[str]:
    return _offenders_in(inspect.getsource(import_module(module_name)), module_name)


def _offenders_in(source: str, module_name: str) -> list[str]:
    tree = ast.parse(source)
    unit_lines = {
        node.lineno
        for node in ast.walk(tree)
        if isinstance(node, ast.Assign)
        and any(isinstance(t, ast.Name) and t.id in UNIT_CONSTANTS for t in node.targets)
    }
    return [
        f"{module_name}:{node.lineno}: {node.value!r}"
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant)
        and isinstance(node.value, int | float)
        and not isinstance(node.value, bool)
        and node.value not in ALLOWED
        and node.lineno not in unit_lines
    ]


def test_rule_modules_contain_no_funding_numbers() -> None:
    modules = sorted({rule.module for rule in all_rules()})
    assert [] == [o for m in modules for o in _offenders(m)]


def test_the_check_catches_a_literal_threshold() -> None:
    # A check of the check: a hard-coded 19 is reported; a unit constant is not.
    source = "DAYS_PER_WEEK = 7\ndef minimum_age(f, p, b):\n    return f.age_years >= 19\n"
    assert ["m:3: 19"] == _offenders_in(source, "m")
