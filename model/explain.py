"""`aurules explain`: the outcome for a person.

Every start-of-unit rule with its paragraph, pass or fail, the facts and parameters it read
(with where each fact came from in the scenario), the interpretations it depends on; then,
for an ineligible scenario, the minimal reasons found by Z3 as unsat cores over tracked
paragraphs and facts.
"""

from __future__ import annotations

from typing import Any

from model.evaluate import check_start, evaluate, failed_paragraphs
from model.facts import Facts, derive, field_of, path_of, show_fact
from model.money import Money, Rate
from model.outcome import Outcome
from model.ruleset import Ruleset
from model.scenario import Scenario


def show_param(value: Any) -> str:
    if isinstance(value, Money):
        return f"£{value}"
    if isinstance(value, Rate):
        return str(value)
    if isinstance(value, bool):
        return "true" if value else "false"
    if hasattr(value, "isoformat"):
        return str(value.isoformat())
    return str(value)


def explanation(scenario: Scenario, ruleset: Ruleset, source: str = "") -> dict[str, Any]:
    """The explanation as data (used for `--format json` and by the text renderer)."""
    results = check_start(scenario, ruleset)
    outcome = evaluate(scenario, ruleset)
    data: dict[str, Any] = {
        "scenario": source,
        "ruleset": ruleset.summary(),
        "outcome": outcome.to_data(),
        "rules": [
            {"paragraphs": list(r.rule.paragraphs), "rule": r.rule.where,
             "passed": r.passed, "summary": r.rule.summary,
             "facts": {path_of(k): show_fact(k, v) for k, v in r.facts_read.items()},
             "ruleset": {k: show_param(v) for k, v in r.params_read.items()},
             "interpretations": {name: show_param(getattr(ruleset.interpretations, name))
                                 for name in r.rule.interpretations}}
            for r in results
        ],
    }
    if failed_paragraphs(results):
        data["why"] = _why(derive(scenario, ruleset), ruleset)
    return data


def _why(facts: Facts, ruleset: Ruleset) -> dict[str, Any]:
    from model.symbolic import unsat_cores

    cores = unsat_cores(facts, ruleset)
    return {
        "verdict": cores.verdict,
        "detail": cores.detail,
        "minimal_paragraphs": list(cores.reasons[0].paragraphs) if cores.reasons else [],
        "reasons": [
            {"paragraphs": list(reason.paragraphs),
             "facts": {path: show_fact(field_of(path), getattr(facts, field_of(path)))
                       for path in reason.facts}}
            for reason in cores.reasons
        ],
    }


def render_text(data: dict[str, Any]) -> str:
    """The explanation for a terminal."""
    outcome: dict[str, Any] = data["outcome"]
    ruleset = data["ruleset"]
    lines = [f"Scenario {data['scenario']} under ruleset {ruleset['id']} "
             f"({ruleset['title']}, hash {ruleset['hash']})"]
    if outcome["eligible"]:
        lines.append(f"Outcome: eligible; status {outcome['status']}")
    else:
        lines.append(f"Outcome: NOT eligible; failed paragraphs "
                     f"{', '.join(outcome['failed_paragraphs'])}; status {outcome['status']}")
    lines += ["", "Rules checked at the start of the unit:"]
    for rule in data["rules"]:
        mark = "pass" if rule["passed"] else "FAIL"
        lines.append(f"  {mark}  {', '.join(rule['paragraphs']):<8} {rule['summary']}")
        if rule["facts"]:
            lines.append(f"{'':16}facts: " + "; ".join(f"{k} = {v}"
                                                       for k, v in rule["facts"].items()))
        params = {k: v for k, v in rule["ruleset"].items() if not k.startswith("interpretations.")}
        if params:
            lines.append(f"{'':16}ruleset: " + "; ".join(f"{k} = {v}" for k, v in params.items()))
        for name, choice in rule["interpretations"].items():
            lines.append(f"{'':16}interpretation {name} = {choice}")
    if "why" in data:
        why = data["why"]
        lines += ["", "Why not eligible (Z3 unsat cores: each reason is a minimal set of "
                  "paragraphs and facts that cannot all hold):"]
        if why["verdict"] == "unknown":
            lines.append(f"  unknown: {why['detail']}")
        for number, reason in enumerate(why["reasons"], 1):
            facts = "; ".join(f"{k} = {v}" for k, v in reason["facts"].items())
            lines.append(f"  {number}. {', '.join(reason['paragraphs'])}: {facts}")
        lines.append(f"  Minimal set of paragraphs: {', '.join(why['minimal_paragraphs'])}")
    lines += ["", "Payments: " + (_payments(outcome) or "none")]
    return "\n".join(lines)


def _payments(outcome: dict[str, Any]) -> str:
    return "; ".join(f"{p['date']} {p['item']}" for p in outcome["payments"])


__all__ = ["Outcome", "explanation", "render_text"]
