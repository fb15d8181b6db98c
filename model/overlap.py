"""Rules that disagree about the same fact: the overlap half of the rule health checks.

Each start rule on its own can pass and fail (`symbolic.rule_health`); that says nothing of
two rules together. Two rules that read a common fact *disagree* when no learner satisfies
both: each is alive, but any value of the fact that one accepts the other refuses, so no one
is ever eligible (a proposal that raised the minimum published hours above the maximum
planned hours, say). For every pair of start rules sharing a fact, Z3 looks for a learner
both accept (within the facts' domain); a pair with none is a conflict, reported with the
facts they share and a witness for each side (a learner the one accepts and the other
refuses). Then every rule together must be satisfiable: some learner is eligible at all;
when not, the unsat core names the rules that cannot hold together. A rule that cannot pass
on its own is left to its own `health.<rule>` row, not repeated here.

The lifecycle counterpart (the guards of one claim can all hold, so the claim is payable) is
`aurules.edges.claims.payable`, found by bounded model checking.
"""

from __future__ import annotations

import itertools
import time
from collections.abc import Iterable
from typing import Any

import attrs
import z3
from z3 import z3util

from aurules.model.registry import Rule
from aurules.model.rulebook import start_rules
from aurules.model.ruleset import Ruleset
from aurules.model.symbolic.start import (
    Verdict,
    domain,
    limited_solver,
    rule_term,
    symbolic_facts,
    witness_of,
)


@attrs.frozen(kw_only=True)
class Conflict:
    """Two rules (or a set) that no learner satisfies together."""

    rules: tuple[Rule, ...]
    facts: tuple[str, ...]
    witnesses: tuple[dict[str, str], ...] = ()

    @property
    def paragraphs(self) -> tuple[str, ...]:
        return tuple(p for r in self.rules for p in r.paragraphs)

    def describe(self) -> str:
        names = " and ".join(f"{r.name} ({', '.join(r.paragraphs)})" for r in self.rules)
        text = f"no learner satisfies {names} together"
        if self.facts:
            text += f"; they disagree about {', '.join(self.facts)}"
        for rule, witness in zip(self.rules, self.witnesses, strict=False):
            text += f"; {rule.name} alone accepts {witness}"
        return text


@attrs.frozen(kw_only=True)
class Overlaps:
    """The verdict on every pair of rules sharing a fact, and on all rules together."""

    pairs_checked: int
    conflicts: tuple[Conflict, ...]
    jointly: Verdict  # "sat": some learner passes every rule
    unknown: tuple[str, ...] = ()  # the pairs (or "all") Z3 gave up on
    seconds: float = 0.0


def _reads(term: Any) -> set[str]:
    return {str(v) for v in z3util.get_vars(term)}


def overlaps(ruleset: Ruleset, rules: Iterable[Rule] | None = None) -> Overlaps:
    """Check every pair of rules that share a fact, then all rules together."""
    started = time.perf_counter()
    facts = symbolic_facts(ruleset)
    base = domain(facts, ruleset)
    chosen = list(rules or start_rules(ruleset))
    terms = {r.name: rule_term(r, facts, ruleset) for r in chosen}
    reads = {name: _reads(term) for name, term in terms.items()}
    conflicts: list[Conflict] = []
    unknown: list[str] = []
    checked = 0
    alive = {r.name for r in chosen if _satisfiable(base, terms[r.name])}
    for a, b in itertools.combinations(chosen, 2):
        shared = reads[a.name] & reads[b.name]
        if not shared or not {a.name, b.name} <= alive:
            continue  # rules over different facts cannot disagree; a dead rule is its own row
        checked += 1
        solver = limited_solver()
        solver.add(*base, terms[a.name], terms[b.name])
        answer = solver.check()
        if answer == z3.unknown:
            unknown.append(f"{a.name}/{b.name}")
        elif answer == z3.unsat:
            conflicts.append(
                Conflict(
                    rules=(a, b),
                    facts=tuple(sorted(shared)),
                    witnesses=tuple(
                        _alone(base, terms[x.name], terms[y.name]) for x, y in ((a, b), (b, a))
                    ),
                )
            )
    jointly = _jointly(base, chosen, terms, conflicts, unknown)
    return Overlaps(
        pairs_checked=checked,
        conflicts=tuple(conflicts),
        jointly=jointly,
        unknown=tuple(unknown),
        seconds=time.perf_counter() - started,
    )


def _satisfiable(base: list[Any], term: Any) -> bool:
    solver = limited_solver()
    solver.add(*base, term)
    return bool(solver.check() != z3.unsat)


def _alone(base: list[Any], accepted: Any, refused: Any) -> dict[str, str]:
    """A learner the first rule accepts and the second refuses (empty if Z3 finds none)."""
    solver = limited_solver()
    solver.add(*base, accepted, z3.Not(refused))
    return witness_of(solver, z3.And(accepted, refused)) if solver.check() == z3.sat else {}


def _jointly(
    base: list[Any],
    chosen: list[Rule],
    terms: dict[str, Any],
    conflicts: list[Conflict],
    unknown: list[str],
) -> Verdict:
    """Whether some learner passes every rule; when none does and no pair explains it, the
    unsat core of rules is recorded as a conflict of its own."""
    solver = limited_solver()
    solver.add(*base)
    literals = {r.label: r for r in chosen}
    for rule in chosen:
        solver.add(z3.Implies(z3.Bool(rule.label), terms[rule.name]))
    answer = solver.check(*[z3.Bool(label) for label in literals])
    if answer == z3.unknown:
        unknown.append("all")
        return "unknown"
    if answer == z3.sat:
        return "sat"
    core = tuple(literals[str(c)] for c in solver.unsat_core())
    if len(core) > 1 and not any(set(c.rules) <= set(core) for c in conflicts):
        conflicts.append(Conflict(rules=core, facts=()))
    return "unsat"
