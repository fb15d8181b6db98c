"""The rules as Z3 terms: symbolic facts, explanations by unsat core, rule health checks and
the backend agreement check.

Facts become Z3 constants named by their path (`learner.age_years`), so models and cores
print legibly; each rule is tracked by a literal named for its paragraphs (`p22_1__...`),
so an unsat core is a list of paragraphs. Every query runs under a deterministic resource
limit; `unknown` is reported as such, never as a pass.
"""

from __future__ import annotations

import time
from collections.abc import Iterable
from typing import Any, Literal

import attrs
import z3

from aurules.model.facts import FACT_FIELDS, Facts
from aurules.model.money import SHARE_WHOLE
from aurules.model.registry import Rule
from aurules.model.rulebook import start_rules
from aurules.model.ruleset import Ruleset
from aurules.model.values_z3 import Z3

RLIMIT = 5_000_000
"""Deterministic resource limit per query (Z3's rlimit counts work, not seconds)."""

MAX_AGE = 120
"""Upper bound on a learner's age in symbolic searches (a modelling bound, not a rule)."""

Verdict = Literal["sat", "unsat", "unknown"]


def symbolic_facts(ruleset: Ruleset | None = None) -> Facts:
    """Facts as Z3 constants named by path (with a proposal's new facts, by theirs)."""
    values: dict[str, Any] = {}
    for field in FACT_FIELDS:
        path = field.metadata["path"]
        values[field.name] = z3.Bool(path) if field.metadata["kind"] == "bool" else z3.Int(path)
    values["extra"] = {
        new.path: z3.Bool(new.path) if new.type.kind == "bool" else z3.Int(new.path)
        for new in (ruleset.structure.facts if ruleset is not None else ())
    }
    return Facts(**values)


def new_fact_domain(facts: Facts, ruleset: Ruleset | None) -> list[Any]:
    """What a proposal's new facts can be: whole numbers not negative, options in range,
    shares at most 1."""
    return new_facts_domain(facts, ruleset.structure.facts if ruleset is not None else ())


def new_facts_domain(facts: Facts, new_facts: Iterable[Any]) -> list[Any]:
    """`new_fact_domain` for these declarations of new facts."""
    out = []
    for new in new_facts:
        term = facts.extra.get(new.path)
        if term is None or new.type.kind == "bool":
            continue
        out.append(term >= 0)
        if new.type.kind == "enum":
            out.append(term < len(new.type.options))
        if new.written_type == "share":
            out.append(term <= SHARE_WHOLE)
    return out


def domain(facts: Facts, ruleset: Ruleset | None = None) -> list[Any]:
    """What every real scenario satisfies: enumeration codes in range, counts of days, hours,
    months and pence not negative, shares at most 1. Age may be negative (born after the
    start), down to -1, and stops at a human lifespan."""
    out = [facts.age_years >= -1, facts.age_years <= MAX_AGE]
    for field in FACT_FIELDS:
        if field.metadata["kind"] != "int" or field.name == "age_years":
            continue
        term = getattr(facts, field.name)
        out.append(term >= 0)
        codes = field.metadata["codes"]
        if codes is not None:
            out.append(term < len(codes.names))
    out.append(facts.share_in_england <= SHARE_WHOLE)
    return out + new_fact_domain(facts, ruleset)


def rule_term(rule: Rule, facts: Facts, ruleset: Ruleset) -> Any:
    """The rule as a Z3 boolean over the given facts (the ruleset bound to them)."""
    bound = ruleset.bind(facts, Z3) if ruleset.binding is None else ruleset
    term = rule(facts, bound, Z3)
    return term if isinstance(term, z3.BoolRef) else z3.BoolVal(bool(term))


def fact_equalities(concrete: Facts, symbolic: Facts) -> dict[str, Any]:
    """`path == value` for every fact, keyed by path."""
    out = {}
    for field in FACT_FIELDS:
        term = getattr(symbolic, field.name)
        value = getattr(concrete, field.name)
        out[field.metadata["path"]] = term == (
            z3.BoolVal(value) if isinstance(value, bool) else z3.IntVal(value)
        )
    for path, term in symbolic.extra.items():
        value = concrete.extra[path]
        out[path] = term == (z3.BoolVal(value) if isinstance(value, bool) else z3.IntVal(value))
    return out


def limited_solver() -> z3.Solver:
    """A solver with the deterministic work limit and minimised unsat cores."""
    solver = z3.Solver()
    solver.set("rlimit", RLIMIT)
    solver.set("core.minimize", True)
    return solver


@attrs.frozen(kw_only=True)
class Reason:
    """One minimal reason a scenario is ineligible: the rules (paragraphs) and the facts that
    together cannot hold."""

    rules: tuple[Rule, ...]
    facts: tuple[str, ...]

    @property
    def paragraphs(self) -> tuple[str, ...]:
        return tuple(p for r in self.rules for p in r.paragraphs)


@attrs.frozen(kw_only=True)
class CoreResult:
    """Every independent minimal reason, or `unknown` with Z3's reason."""

    verdict: Verdict
    reasons: tuple[Reason, ...] = ()
    detail: str = ""


def unsat_cores(
    concrete: Facts, ruleset: Ruleset, rules: Iterable[Rule] | None = None
) -> CoreResult:
    """Minimal unsat cores of (facts, rules): each core is a smallest set of paragraphs and
    facts that cannot all hold. After each core its rules are set aside and the search goes
    on, so every independent reason is found (one per failing group of rules)."""
    rules = tuple(rules or start_rules(ruleset))
    symbolic = symbolic_facts(ruleset)
    solver = limited_solver()
    literals: dict[str, tuple[Any, Rule | None]] = {}
    for path, equality in fact_equalities(concrete, symbolic).items():
        literal = z3.Bool(f"fact:{path}")
        solver.add(z3.Implies(literal, equality))
        literals[f"fact:{path}"] = (literal, None)
    for rule in rules:
        literal = z3.Bool(rule.label)
        solver.add(z3.Implies(literal, rule_term(rule, symbolic, ruleset)))
        literals[rule.label] = (literal, rule)
    active = dict(literals)
    reasons: list[Reason] = []
    while True:
        answer = solver.check(*[lit for lit, _ in active.values()])
        if answer == z3.sat:
            return CoreResult(verdict="unsat" if reasons else "sat", reasons=tuple(reasons))
        if answer == z3.unknown:
            return CoreResult(
                verdict="unknown", reasons=tuple(reasons), detail=solver.reason_unknown()
            )
        core = [str(lit) for lit in solver.unsat_core()]
        core_rules = tuple(r for name in core if (r := literals[name][1]) is not None)
        core_facts = tuple(
            sorted(name.removeprefix("fact:") for name in core if name.startswith("fact:"))
        )
        reasons.append(Reason(rules=core_rules, facts=core_facts))
        if not core_rules:  # the facts alone are contradictory: cannot happen for real input
            return CoreResult(
                verdict="unknown", reasons=tuple(reasons), detail="facts contradict each other"
            )
        for rule in core_rules:
            active.pop(rule.label, None)


@attrs.frozen(kw_only=True)
class Health:
    """Whether a rule can both pass and fail under a ruleset, with witnesses."""

    rule: Rule
    can_pass: Verdict
    can_fail: Verdict
    pass_witness: dict[str, Any] = attrs.field(factory=dict)
    fail_witness: dict[str, Any] = attrs.field(factory=dict)
    seconds: float = 0.0

    @property
    def verdict(self) -> str:
        if "unknown" in (self.can_pass, self.can_fail):
            return "unknown"
        if self.can_pass == "unsat":
            return "dead (never passes)"
        if self.can_fail == "unsat":
            return "always true (never fails)"
        return "ok"


def witness_of(solver: z3.Solver, term: Any) -> dict[str, str]:
    """The model's values of the facts the term mentions, by path."""
    from z3 import z3util

    model = solver.model()
    names = {str(v) for v in z3util.get_vars(term)}
    return {str(d): str(model[d]) for d in model.decls() if str(d) in names}


def rule_health(ruleset: Ruleset, rules: Iterable[Rule] | None = None) -> list[Health]:
    """For each rule: is there a real-looking scenario that passes it, and one that fails it?"""
    facts = symbolic_facts(ruleset)
    base = domain(facts, ruleset)
    out = []
    for rule in rules or start_rules(ruleset):
        started = time.perf_counter()
        term = rule_term(rule, facts, ruleset)
        verdicts: list[tuple[Verdict, dict[str, Any]]] = []
        for goal in (term, z3.Not(term)):
            solver = limited_solver()
            solver.add(*base, goal)
            answer = solver.check()
            verdict: Verdict = (
                "sat" if answer == z3.sat else "unsat" if answer == z3.unsat else "unknown"
            )
            verdicts.append((verdict, witness_of(solver, term) if verdict == "sat" else {}))
        (can_pass, pass_witness), (can_fail, fail_witness) = verdicts
        out.append(
            Health(
                rule=rule,
                can_pass=can_pass,
                can_fail=can_fail,
                pass_witness=pass_witness,
                fail_witness=fail_witness,
                seconds=time.perf_counter() - started,
            )
        )
    return out


class RuleTerms:
    """Each rule's Z3 term over symbolic facts, built once, for checking many concrete
    scenarios against the Python backend."""

    def __init__(self, ruleset: Ruleset) -> None:
        self.ruleset = ruleset
        self.symbolic = symbolic_facts(ruleset)
        self.terms = {
            rule.name: rule_term(rule, self.symbolic, ruleset) for rule in start_rules(ruleset)
        }

    def value(self, rule: Rule, concrete: Facts) -> bool | None:
        """The rule's Z3 verdict on concrete facts (None if Z3 does not reduce it)."""
        pairs = []
        for field in FACT_FIELDS:
            value = getattr(concrete, field.name)
            pairs.append(
                (
                    getattr(self.symbolic, field.name),
                    z3.BoolVal(value) if isinstance(value, bool) else z3.IntVal(value),
                )
            )
        for path, term in self.symbolic.extra.items():
            value = concrete.extra[path]
            pairs.append((term, z3.BoolVal(value) if isinstance(value, bool) else z3.IntVal(value)))
        reduced = z3.simplify(z3.substitute(self.terms[rule.name], *pairs))
        if z3.is_true(reduced):
            return True
        if z3.is_false(reduced):
            return False
        return None


@attrs.frozen(kw_only=True)
class WhyNot:
    """The smallest change to the facts that makes every start rule pass."""

    verdict: Verdict
    changes: tuple[tuple[str, Any, Any], ...] = ()  # (fact field, now, would be)
    detail: str = ""


def why_not(concrete: Facts, ruleset: Ruleset) -> WhyNot:
    """Z3 optimisation: keep as many facts as they are while every start rule passes. The
    facts that must change (fewest first) say what would make the learner eligible."""
    symbolic = symbolic_facts(ruleset)
    optimizer = z3.Optimize()
    optimizer.set("rlimit", RLIMIT * 4)
    optimizer.add(*domain(symbolic, ruleset))
    optimizer.add(*[rule_term(rule, symbolic, ruleset) for rule in start_rules(ruleset)])
    equalities = fact_equalities(concrete, symbolic)
    for equality in equalities.values():
        optimizer.add_soft(equality)
    distance = []
    for field in FACT_FIELDS:
        now = getattr(concrete, field.name)
        if not isinstance(now, bool):
            term = getattr(symbolic, field.name)
            distance.append(z3.If(term >= now, term - now, now - term))
    optimizer.minimize(z3.Sum(distance))  # then, the nearest values (thresholds exactly)
    answer = optimizer.check()
    if answer != z3.sat:
        reason = optimizer.reason_unknown() if answer == z3.unknown else "no eligible facts"
        return WhyNot(verdict="unknown" if answer == z3.unknown else "unsat", detail=reason)
    model = optimizer.model()
    changes = []
    for field in FACT_FIELDS:
        now = getattr(concrete, field.name)
        value = model.eval(getattr(symbolic, field.name), model_completion=True)
        then = z3.is_true(value) if isinstance(now, bool) else value.as_long()
        if then != now:
            changes.append((field.name, now, then))
    for path, term in symbolic.extra.items():
        now = concrete.extra[path]
        value = model.eval(term, model_completion=True)
        then = z3.is_true(value) if isinstance(now, bool) else value.as_long()
        if then != now:
            changes.append((path, now, then))
    return WhyNot(verdict="sat", changes=tuple(changes))
