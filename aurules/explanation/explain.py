"""`aurules explain`: the outcome for a person.

Every start-of-unit rule with its paragraph, pass or fail, the facts and parameters it read
(with where each fact came from in the scenario), the interpretations it depends on; then,
for an ineligible scenario, the minimal reasons found by Z3 as unsat cores over tracked
paragraphs and facts and the smallest change that would make the learner eligible; for each
refused claim of an eligible learner, the smallest change that would have it paid.
"""

from __future__ import annotations

from typing import Any

import attrs

from aurules.model.evaluate import Step, failed_paragraphs, run
from aurules.model.facts import Facts, derive, field_of, path_of, show_fact
from aurules.model.lifecycle import guard_rule
from aurules.model.money import Money, Rate, format_pence
from aurules.model.outcome import Outcome
from aurules.model.rules.milestones import learning_complete
from aurules.model.ruleset import Ruleset, official
from aurules.model.scenario import (
    Claim,
    Delivered,
    Extended,
    PlanSignedOff,
    Restarted,
    Scenario,
)
from aurules.model.state import State, event_facts, show_value
from aurules.model.values import PYTHON
from aurules.model.wording import shown, under


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
    trace = run(scenario, ruleset)
    results, outcome = trace.start, trace.outcome
    data: dict[str, Any] = {
        "scenario": source,
        "ruleset": ruleset.summary(),
        "outcome": outcome.to_data(),
        "rules": [
            {
                "paragraphs": list(r.rule.paragraphs),
                "rule": r.rule.where,
                "passed": r.passed,
                "summary": r.rule.summary_under(ruleset),
                **({"holds": r.rule.expression} if r.rule.expression else {}),
                "facts": {
                    _fact_path(k): _show_fact(k, v, ruleset) for k, v in r.facts_read.items()
                },
                "ruleset": {k: show_param(v) for k, v in r.params_read.items()},
                "interpretations": {
                    name: show_param(getattr(ruleset.interpretations, name))
                    for name in r.rule.interpretations
                },
            }
            for r in results
        ],
    }
    if failed_paragraphs(results):
        data["why"] = _why(derive(scenario, ruleset), ruleset)
    data["timeline"] = [_step(step, ruleset) for step in trace.steps]
    if not failed_paragraphs(results):
        _claims_why_not(scenario, ruleset, data["timeline"])
    return data


def _claims_why_not(scenario: Scenario, ruleset: Ruleset, timeline: list[dict[str, Any]]) -> None:
    """For each refused claim of an eligible learner, the smallest change to the plan,
    funding or events that would have it paid (Z3 optimisation over the unrolled lifecycle).
    Bounded: one search per distinct refusal (item and paragraphs), at most WHY_NOT_SEARCHES
    of them and WHY_NOT_SECONDS in all; a refusal not searched says so."""
    import time

    started = time.perf_counter()
    searched: set[tuple[str, tuple[str, ...]]] = set()
    for step in timeline:
        claim = step.get("claim")
        if claim is None or claim["paid"]:
            continue
        key = (claim["item"], tuple(claim["refused_with"]))
        over = len(searched) >= WHY_NOT_SEARCHES or time.perf_counter() - started > WHY_NOT_SECONDS
        if key in searched or over:
            reason = (
                "the same refusal is searched at its first claim"
                if key in searched
                else ("not searched: the search budget of this explanation is spent")
            )
            claim["why_not"] = {"verdict": "not searched", "detail": reason, "changes": []}
            continue
        searched.add(key)
        from aurules.explanation.claim_why_not import claim_why_not  # Z3: only for a refused claim

        flip = claim_why_not(scenario, ruleset, step["index"])
        claim["why_not"] = {
            "verdict": flip.verdict,
            "detail": flip.detail,
            "changes": [
                {"fact": path, "from": now, "to": then} for path, now, then in flip.changes
            ],
        }


WHY_NOT_SEARCHES = 5
WHY_NOT_SECONDS = 5.0
"""How many refused claims one explanation searches for a change that pays them, and for how
long at most (each search is a Z3 optimisation over the unrolled lifecycle)."""


def _changes(before: State, after: State) -> dict[str, str]:
    skip = {"last_day"}
    return {
        f.name: f"{show_value(f.name, getattr(before, f.name))} -> "
        f"{show_value(f.name, getattr(after, f.name))}"
        for f in attrs.fields(State)
        if f.name not in skip and getattr(before, f.name) != getattr(after, f.name)
    }


def _step(step: Step, ruleset: Ruleset) -> dict[str, Any]:
    """One event: what it changed, and for a claim every guard and how the amount was made."""
    event = step.event
    data: dict[str, Any] = {
        "index": step.index,
        "date": event.date.isoformat(),
        "type": event.type,
        "changes": _changes(step.before, step.after),
    }
    if isinstance(event, Claim):
        data["claim"] = {
            "item": event.item,
            "paid": bool(step.output.claim_paid),
            "guards": [
                {
                    "paragraphs": list(guard_rule(key, ruleset).paragraphs),
                    "guard": guard_rule(key, ruleset).where,
                    "summary": guard_rule(key, ruleset).summary_under(ruleset),
                    **(
                        {"holds": guard_rule(key, ruleset).expression}
                        if guard_rule(key, ruleset).expression
                        else {}
                    ),
                    "passed": bool(passed),
                    "values": _guard_values(guard_rule(key, ruleset), step, ruleset),
                }
                for key, passed in step.output.guard_results.items()
                if key.startswith(event.item + ":")
            ],
            "refused_with": step.refusal.paragraphs if step.refusal else [],
        }
        if step.output.claim_paid:
            data["claim"]["amount"] = _amount(step, ruleset)
    notes = _notes(step, ruleset)
    if notes:
        data["note"] = "; ".join(notes)
    data["payments"] = [
        p
        for p in Outcome(
            eligible=True, failed_paragraphs=[], payments=list(step.payments)
        ).to_data()["payments"]
    ]
    return data


def _notes(step: Step, ruleset: Ruleset) -> list[str]:
    """Why an event changed less than it says: hours that do not count, a sign-off before the
    learning is complete, a restart whose new funding or plan fails, a refused extension."""
    from aurules.model.rulebook import all_rules
    from aurules.model.rules.change_of_circumstance import new_arrangement_checks
    from aurules.model.rules.delivery_hours import delivery_conditions

    event, notes = step.event, []
    if isinstance(event, Delivered):
        conditions = delivery_conditions(step.before, event_facts(event), ruleset, PYTHON)
        failing = [reason for reason, holds in conditions.items() if not holds]
        if failing:
            notes.append("these hours do not count: " + "; ".join(failing))
    if isinstance(event, PlanSignedOff) and not learning_complete(step.before, ruleset, PYTHON):
        notes.append(
            "sign-off before the learning is complete (all the planned hours and the skills "
            "test): recorded and ignored (63, 64); signing again once it is complete counts"
        )
    if isinstance(event, Restarted) and event.employer is not None:
        checks = new_arrangement_checks(event_facts(event), ruleset, PYTHON)
        rules = {r.name: r for r in all_rules()}
        failing = [
            f"{rules[name].summary_under(ruleset)} ({', '.join(rules[name].paragraphs)})"
            for name, holds in checks.items()
            if not holds
        ]
        if failing:
            notes.append(
                "the new employer's funding fails at the restart date: " + "; ".join(failing)
            )
    if isinstance(event, Restarted) and not step.after.plan_valid:
        limits = under(RESTART_PLAN_LIMITS, ruleset, official())
        notes.append(
            f"the restart's training plan is outside 129's limits ({limits}, in the rules): "
            "nothing is paid and no training counts until it is"
        )
    if isinstance(event, Extended) and step.output.extension_refused:
        notes.append("extension refused: beyond the limit of 130 (or learner not in training)")
    return notes


RESTART_PLAN_LIMITS = (
    "[one](duration.min_planned_days) to [sixteen weeks](duration.max_planned_days), "
    "[30](duration.min_planned_hours) to [140](duration.max_planned_hours) hours"
)
"""129's limits of a plan, in the rules' words linked to the ruleset's values."""


def _amount(step: Step, ruleset: Ruleset) -> dict[str, str]:
    """How a paid claim's amount was computed, for a person."""
    s, out, item = step.before, step.output, step.event.item  # type: ignore[union-attr]
    if item == "learning_support":
        fixed = ruleset.funding.learning_support_amount
        how = (
            f"the authorised cost above the fixed £{fixed} (35.3)"
            if out.government != fixed.pence
            else f"the fixed amount £{fixed} (35.1)"
        )
        return {
            "rule": f"{how}, paid by government, never from the account (35.2.1)",
            "government": f"£{format_pence(out.government)}",
        }
    shares = ruleset.milestones
    share = shares.milestone_1_share if item == "milestone_1" else shares.milestone_2_share
    total = out.government + out.employer_account + out.employer_direct
    return {
        "cap": f"min(price, funding rate) = £{format_pence(s.cap)} (72, 89)",
        "share": f"{share} of the cap, rounding "
        f"{ruleset.interpretations.milestone_rounding} = £{format_pence(total)}",
        "payers": (
            f"account £{format_pence(out.employer_account)}, government "
            f"£{format_pence(out.government)}, employer co-investment "
            f"£{format_pence(out.employer_direct)} (coinvestment_split = "
            f"{ruleset.interpretations.coinvestment_split}, government share "
            f"{ruleset.funding.government_coinvestment_share})"
        ),
        "above_rate": f"employer pays £{format_pence(out.above_rate)} above the funding rate "
        "directly (93.1)",
    }


def _fact_path(name: str) -> str:
    """A fact's path: a field name's (`age_years` -> `learner.age_years`); a proposal's new
    fact is named by its path already (`learner.care_leaver`, logged as `extra.<path>`)."""
    name = name.removeprefix("extra.")
    return name if "." in name else path_of(name)


def _show_fact(name: str, value: Any, ruleset: Ruleset) -> str:
    """A fact's value as a person reads it, a proposal's new facts as a scenario writes
    them."""
    path = name.removeprefix("extra.")
    if "." not in path:
        return show_fact(name, value)
    new = ruleset.structure.fact(path)
    shown = new.to_data(value) if new is not None else value
    if isinstance(shown, bool):
        return "true" if shown else "false"
    return str(shown)


def _guard_values(rule: Any, step: Any, ruleset: Ruleset) -> str:
    """The numbers that decided a claim condition, as a person reads them: for a share of
    the planned hours, "15 h of 60 h = 25%, needs 30%"; otherwise each state value and
    parameter it read."""
    from aurules.model.state import event_facts, show_value
    from aurules.model.values import PYTHON, Reading

    state_read: dict[str, Any] = {}
    event_read: dict[str, Any] = {}
    params_read: dict[str, Any] = {}
    rule(
        Reading(step.before, state_read),
        Reading(event_facts(step.event), event_read),
        Reading(ruleset, params_read),
        PYTHON,
    )
    shares = [k for k in params_read if k.endswith("_hours_share")]
    if shares and "delivered" in state_read and "planned_hours" in state_read:
        delivered, planned = state_read["delivered"], state_read["planned_hours"]
        share = params_read[shares[0]]
        done = f"{delivered * 100 / planned:.4g}%" if planned else "no planned hours"
        return (
            f"{show_value('delivered', delivered)} of {show_value('planned_hours', planned)} "
            f"= {done}, needs {shown(share, shares[0])}"
        )
    parts = [f"{name} = {show_value(name, value)}" for name, value in state_read.items()]
    parts += [
        f"event.{name} = {show_value('event.' + name, value)}" for name, value in event_read.items()
    ]
    parts += [f"{key} = {show_param(value)}" for key, value in params_read.items()]
    return "; ".join(parts)


def _why(facts: Facts, ruleset: Ruleset) -> dict[str, Any]:
    from aurules.model.symbolic.start import unsat_cores, why_not

    cores = unsat_cores(facts, ruleset)
    flip = why_not(facts, ruleset)
    return {
        "why_not": {
            "verdict": flip.verdict,
            "detail": flip.detail,
            "changes": [
                {
                    "fact": _fact_path(name),
                    "from": _show_fact(name, now, ruleset),
                    "to": _show_fact(name, then, ruleset),
                    "input": name
                    if "." in name
                    else str(attrs.fields_dict(Facts)[name].metadata["sources"]),
                }
                for name, now, then in flip.changes
            ],
        },
        "verdict": cores.verdict,
        "detail": cores.detail,
        "minimal_paragraphs": list(cores.reasons[0].paragraphs) if cores.reasons else [],
        "reasons": [
            {
                "paragraphs": list(reason.paragraphs),
                "facts": {
                    path: _show_fact(path, facts.extra[path], ruleset)
                    if path in facts.extra
                    else show_fact(field_of(path), getattr(facts, field_of(path)))
                    for path in reason.facts
                },
            }
            for reason in cores.reasons
        ],
    }


def counterexample_summary(
    record: dict[str, Any], scenario: Scenario, ruleset: Ruleset
) -> dict[str, Any]:
    """What a saved counterexample says, and whether (and how) its scenario breaks its
    invariant under the ruleset in use."""
    from aurules.properties.replay import sentence

    invariant = str(record.get("invariant"))
    found = record.get("ruleset", {}) if isinstance(record.get("ruleset"), dict) else {}
    try:
        words = sentence(scenario, ruleset, invariant)
    except KeyError:  # not a lifecycle invariant (a backend disagreement)
        words = str(record.get("violation", {}).get("detail", ""))
    return {
        "invariant": invariant,
        "found_under": found.get("id"),
        "still_violated": bool(words),
        "violation": words
        or f"under {ruleset.id} this scenario does not break {invariant} (it did under "
        f"{found.get('id')})",
    }


def only_failures(data: dict[str, Any]) -> dict[str, Any]:
    """The explanation with only the rules and claim conditions that failed."""
    out = dict(data)
    out["rules"] = [r for r in data["rules"] if not r["passed"]]
    out["timeline"] = [_failed_guards(step) for step in data.get("timeline", [])]
    return out


def _failed_guards(step: dict[str, Any]) -> dict[str, Any]:
    claim = step.get("claim")
    if claim is None:
        return step
    return {**step, "claim": {**claim, "guards": [g for g in claim["guards"] if not g["passed"]]}}


def render_text(data: dict[str, Any]) -> str:
    """The explanation for a terminal."""
    outcome: dict[str, Any] = data["outcome"]
    ruleset = data["ruleset"]
    lines = [
        f"Scenario {data['scenario']} under ruleset {ruleset['id']} "
        f"({ruleset['title']}, hash {ruleset['hash']})"
    ]
    if "counterexample" in data:
        found = data["counterexample"]
        lines += [
            f"Counterexample of {found['invariant']} (found under {found['found_under']}): "
            f"{found['violation']}",
            "",
        ]
    if outcome["eligible"]:
        lines.append(f"Outcome: eligible; status {outcome['status']}")
    else:
        lines.append(
            f"Outcome: NOT eligible; failed paragraphs "
            f"{', '.join(outcome['failed_paragraphs'])}; status {outcome['status']}"
        )
    lines += ["", "Rules checked at the start of the unit:"]
    for rule in data["rules"]:
        mark = "pass" if rule["passed"] else "FAIL"
        lines.append(f"  {mark}  {', '.join(rule['paragraphs']):<8} {rule['summary']}")
        if "holds" in rule:
            lines.append(f"{'':16}holds when: {rule['holds']}")
        if rule["facts"]:
            lines.append(
                f"{'':16}facts: " + "; ".join(f"{k} = {v}" for k, v in rule["facts"].items())
            )
        params = {k: v for k, v in rule["ruleset"].items() if not k.startswith("interpretations.")}
        if params:
            lines.append(f"{'':16}ruleset: " + "; ".join(f"{k} = {v}" for k, v in params.items()))
        for name, choice in rule["interpretations"].items():
            lines.append(f"{'':16}interpretation {name} = {choice}")
    if "why" in data:
        why = data["why"]
        lines += [
            "",
            "Why not eligible (each reason is a smallest set of rules and facts that cannot "
            "all hold together, found by the Z3 solver):",
        ]
        if why["verdict"] == "unknown":
            lines.append(f"  unknown: {why['detail']}")
        for number, reason in enumerate(why["reasons"], 1):
            facts = "; ".join(f"{k} = {v}" for k, v in reason["facts"].items())
            lines.append(f"  {number}. {', '.join(reason['paragraphs'])}: {facts}")
        lines.append(f"  Minimal set of paragraphs: {', '.join(why['minimal_paragraphs'])}")
        flip = why["why_not"]
        lines += [
            "",
            "Smallest change that would make the learner eligible (the fewest facts changed, "
            "found by the Z3 solver):",
        ]
        if flip["verdict"] != "sat":
            lines.append(f"  none found ({flip['verdict']}: {flip['detail']})")
        for change in flip["changes"]:
            lines.append(
                f"  {change['fact']}: {change['from']} -> {change['to']} (input: {change['input']})"
            )
    if data["timeline"]:
        lines += ["", "Timeline:"]
        for step in data["timeline"]:
            lines += _render_step(step)
    totals = outcome["totals"]
    lines += ["", "Totals: " + ", ".join(f"{k} £{v}" for k, v in totals.items())]
    planned = outcome["planned"]
    lines += [
        "Planned (the plan as it stands at the start, both milestones reached, learning "
        "support for a learner with a learning difficulty or disability): "
        + "; ".join(
            f"{item} " + ", ".join(f"{k} £{v}" for k, v in planned[item].items())
            for item in ("milestone_1", "milestone_2", "learning_support")
        )
        + f"; employer above rate £{planned['employer_above_rate']}"
    ]
    return "\n".join(lines)


def _render_step(step: dict[str, Any]) -> list[str]:
    lines = [f"  {step['date']}  {step['type']}"]
    claim = step.get("claim")
    if claim:
        verdict = (
            "PAID" if claim["paid"] else ("REFUSED (" + ", ".join(claim["refused_with"]) + ")")
        )
        lines[0] += f" {claim['item']}: {verdict}"
        for guard in claim["guards"]:
            mark = "pass" if guard["passed"] else "FAIL"
            lines.append(f"{'':14}{mark}  {', '.join(guard['paragraphs']):<6} {guard['summary']}")
            if guard.get("values"):
                lines.append(f"{'':28}{guard['values']}")
        for key, text in claim.get("amount", {}).items():
            lines.append(f"{'':14}{key}: {text}")
        flip = claim.get("why_not")
        if flip is not None:
            if flip["verdict"] == "sat":
                lines.append(
                    f"{'':14}would be paid with the smallest change (found by the Z3 solver, "
                    "confirmed by evaluation):"
                )
                lines += [f"{'':16}{c['fact']}: {c['from']} -> {c['to']}" for c in flip["changes"]]
            elif flip["verdict"] == "not searched":
                lines.append(f"{'':14}not searched for a change that pays it: {flip['detail']}")
            else:
                lines.append(
                    f"{'':14}no change found that pays it ({flip['verdict']}: {flip['detail']})"
                )
    if step.get("note"):
        lines.append(f"{'':14}{step['note']}")
    for name, change in step["changes"].items():
        lines.append(f"{'':14}{name}: {change}")
    for payment in step["payments"]:
        lines.append(
            f"{'':14}payment {payment['item']}: government £{payment['government']}, "
            f"account £{payment['employer_account']}, employer "
            f"£{payment['employer_direct']}"
        )
    return lines


__all__ = ["Outcome", "explanation", "render_text"]
