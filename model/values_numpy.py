"""The NumPy backend of the value layer: every rule, unchanged, over a whole table of learners.

A fact is a one-dimensional array (one entry per learner) or a scalar shared by every row;
the connectives broadcast. Imported only by the population tools, so that `evaluate` and
`check` start without NumPy.
"""

from __future__ import annotations

from functools import reduce
from typing import Any

import numpy as np


def _is_scalar_bool(term: Any) -> bool:
    return isinstance(term, bool | np.bool_)


def _is_zero(term: Any) -> bool:
    return isinstance(term, int | np.integer) and not isinstance(term, bool) and term == 0


class NumpyBackend:
    """NumPy arrays: bool and int64, element by element."""

    name = "numpy"

    def and_(self, *terms: Any) -> Any:
        if not terms:
            return True
        if any(_is_scalar_bool(t) and not t for t in terms):
            return False
        arrays = [t for t in terms if not _is_scalar_bool(t)]
        return reduce(np.logical_and, arrays) if arrays else True

    def or_(self, *terms: Any) -> Any:
        if not terms:
            return False
        if any(_is_scalar_bool(t) and t for t in terms):
            return True
        arrays = [t for t in terms if not _is_scalar_bool(t)]
        return reduce(np.logical_or, arrays) if arrays else False

    def not_(self, term: Any) -> Any:
        if _is_scalar_bool(term):
            return not term
        return np.logical_not(term)

    def implies(self, premise: Any, conclusion: Any) -> Any:
        return self.or_(self.not_(premise), conclusion)

    def ite(self, condition: Any, then: Any, otherwise: Any) -> Any:
        """Row by row if-then-else. Done with arithmetic where the branches allow: `np.where`
        on a condition that varies from row to row is several times slower (the processor
        cannot predict its branches)."""
        if _is_scalar_bool(condition):  # the same branch for every row
            return then if condition else otherwise
        if np.asarray(condition).dtype.kind != "b":
            return np.where(condition, then, otherwise)
        then_kind, other_kind = np.asarray(then).dtype.kind, np.asarray(otherwise).dtype.kind
        if then_kind == other_kind == "b":
            return (condition & then) | (~condition & otherwise)
        if then_kind in "iu" and other_kind in "iu":
            if _is_zero(otherwise):
                return then * condition
            if _is_zero(then):
                return otherwise * ~condition
            return otherwise + (then - otherwise) * condition
        return np.where(condition, then, otherwise)

    def min_(self, a: Any, b: Any) -> Any:
        return np.minimum(a, b)

    def max_(self, a: Any, b: Any) -> Any:
        return np.maximum(a, b)

    def floor_div(self, a: Any, divisor: int) -> Any:
        return a // divisor

    def is_one_of(self, term: Any, codes: tuple[int, ...]) -> Any:
        if not codes:
            return False
        return np.isin(term, codes)


NUMPY = NumpyBackend()
