"""Running cases against the model and saying, in a line per difference, how an outcome
differs from what was expected (`aurules test`)."""

from __future__ import annotations

from typing import Any

import attrs

from aurules.expectations.files import Case


@attrs.frozen(kw_only=True)
class Result:
    """A case's outcome under the ruleset used, and how it differs from the expected one."""

    case: Case
    ruleset: str
    actual: dict[str, Any]
    differences: tuple[str, ...]

    @property
    def passed(self) -> bool:
        return not self.differences

    @property
    def updated(self) -> dict[str, Any]:
        """The expectation rewritten from the outcome: the same parts as before (all of them
        for a full outcome), with today's values."""
        return {key: self.actual.get(key) for key in self.case.expected} or self.actual


def run_case(case: Case, rules: Any) -> Result:
    """The case evaluated under `rules` (a ruleset, or editions: the one of its start)."""
    from aurules.model.access_scenario import AccessScenario, access_outcome
    from aurules.model.coverage import require_covered
    from aurules.model.editions import Editions
    from aurules.model.evaluate import evaluate
    from aurules.model.scenario import Scenario, is_access

    source = f"{case.label}: scenario"
    if is_access(case.scenario):
        ruleset = rules.rulesets[0]
        trace = AccessScenario.from_data(case.scenario, source)
        actual = access_outcome(trace, ruleset, source)
    else:
        scenario = Scenario.from_data(case.scenario, source, rules.new_facts)
        ruleset = (
            rules.choose(scenario.plan.start_date, source) if isinstance(rules, Editions) else rules
        )
        require_covered(scenario, ruleset, source)
        actual = evaluate(scenario, ruleset).to_data()
    return Result(
        case=case,
        ruleset=ruleset.id,
        actual=actual,
        differences=tuple(differences(case.expected, actual)),
    )


def differences(expected: Any, actual: Any, path: str = "") -> list[str]:
    """Each place where `actual` is not what `expected` says, as `path: expected X, got Y`.
    Only what the expectation states is compared (a partial expectation checks just its
    parts); lists are compared item by item, with their lengths."""
    if isinstance(expected, dict) and isinstance(actual, dict):
        out = []
        for key, value in expected.items():
            where = f"{path}.{key}" if path else key
            if key not in actual:
                out.append(f"{where}: expected {_show(value)}, but the outcome has no {key}")
            else:
                out += differences(value, actual[key], where)
        return out
    if isinstance(expected, list) and isinstance(actual, list):
        if all(not isinstance(v, dict | list) for v in (*expected, *actual)):
            return (
                []
                if expected == actual
                else [f"{path}: expected {_show(expected)}, got {_show(actual)}"]
            )
        out = []
        for index, (want, got) in enumerate(zip(expected, actual, strict=False)):
            out += differences(want, got, f"{path}[{index}]")
        if len(expected) != len(actual):
            extra = actual[len(expected) :]
            missing = expected[len(actual) :]
            if extra:
                out.append(f"{path}: {len(extra)} more than expected: {_show(extra)}")
            if missing:
                out.append(f"{path}: {len(missing)} missing: {_show(missing)}")
        return out
    if _same(expected, actual):
        return []
    return [f"{path}: expected {_show(expected)}, got {_show(actual)}"]


def _same(expected: Any, actual: Any) -> bool:
    if isinstance(expected, bool) or isinstance(actual, bool):
        return expected is actual
    if isinstance(expected, int | float) and isinstance(actual, str):  # money as a number
        try:
            return abs(float(actual) - float(expected)) < 0.005
        except ValueError:
            return False
    return bool(expected == actual)


def _show(value: Any) -> str:
    import json

    return json.dumps(value, ensure_ascii=False)
