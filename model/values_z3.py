"""The Z3 backend of the value layer (imported only when a proof, core or diff needs it)."""

from __future__ import annotations

from typing import Any

import z3

# Z3 otherwise answers Ctrl-C by cancelling the query in progress (an `unknown` that a
# bounded fallback may then turn into a pass) and swallows the interrupt. Without its own
# handler, Python's stays: the query finishes (each is bounded by its work limit) and the
# interrupt is raised as KeyboardInterrupt, which the command line reports as exit 130.
z3.set_param("ctrl_c", False)


class Z3Backend:
    """Z3 terms: BoolRef and ArithRef over Int."""

    name = "z3"

    def and_(self, *terms: Any) -> Any:
        return z3.And(*terms) if terms else z3.BoolVal(True)

    def or_(self, *terms: Any) -> Any:
        return z3.Or(*terms) if terms else z3.BoolVal(False)

    def not_(self, term: Any) -> Any:
        return z3.Not(term)

    def implies(self, premise: Any, conclusion: Any) -> Any:
        return z3.Implies(premise, conclusion)

    def ite(self, condition: Any, then: Any, otherwise: Any) -> Any:
        return z3.If(condition, then, otherwise)

    def min_(self, a: Any, b: Any) -> Any:
        return z3.If(a <= b, a, b)

    def max_(self, a: Any, b: Any) -> Any:
        return z3.If(a >= b, a, b)

    def floor_div(self, a: Any, divisor: int) -> Any:
        # Z3's integer division rounds towards minus infinity for a positive divisor.
        return a / divisor

    def is_one_of(self, term: Any, codes: tuple[int, ...]) -> Any:
        return z3.Or(*[term == c for c in codes]) if codes else z3.BoolVal(False)


Z3 = Z3Backend()


def constant(name: str, kind: str) -> Any:
    """A Z3 constant for a fact of kind "bool" or "int", named by its path."""
    return z3.Bool(name) if kind == "bool" else z3.Int(name)


def tracked(solver: z3.Solver, condition: Any, name: str) -> Any:
    """A literal that, when assumed, asserts `condition` (so one solver can try many
    conditions without retracting anything)."""
    literal = z3.Bool(name)
    solver.add(z3.Implies(literal, condition))
    return literal


def check_within(solver: z3.Solver, rlimit: int, *assumptions: Any) -> Any:
    """`solver.check` under a deterministic resource limit."""
    solver.set("rlimit", rlimit)
    return solver.check(*assumptions)
