"""The value layer: one vocabulary of operations that every rule is written in.

A rule receives facts, the ruleset and a backend `b`. Comparisons and arithmetic use Python
operators, which Python ints, Z3 terms and NumPy arrays all overload; the connectives that
Python cannot overload (and, or, not, if-then-else, min, floor division) go through `b`.
So one definition runs as plain values (evaluate, explain, Hypothesis), as Z3 terms (proofs,
unsat cores, diffs) and, later, as NumPy arrays (populations).

Backends must not branch on values: a rule that needs a case split uses `b.ite`.
Branching on the *ruleset* (a concrete parameter or interpretation) is fine in every backend.
"""

from __future__ import annotations

from typing import Any, Protocol

from aurules.model.money import Rate


class Backend(Protocol):
    """Operations a rule may use beyond Python's overloaded operators."""

    name: str

    def and_(self, *terms: Any) -> Any: ...
    def or_(self, *terms: Any) -> Any: ...
    def not_(self, term: Any) -> Any: ...
    def implies(self, premise: Any, conclusion: Any) -> Any: ...
    def ite(self, condition: Any, then: Any, otherwise: Any) -> Any: ...
    def min_(self, a: Any, b: Any) -> Any: ...
    def max_(self, a: Any, b: Any) -> Any: ...
    def floor_div(self, a: Any, divisor: int) -> Any: ...
    def is_one_of(self, term: Any, codes: tuple[int, ...]) -> Any: ...


class PythonBackend:
    """Plain Python values: bools and ints."""

    name = "python"

    def and_(self, *terms: Any) -> Any:
        return all(terms)

    def or_(self, *terms: Any) -> Any:
        return any(terms)

    def not_(self, term: Any) -> Any:
        return not term

    def implies(self, premise: Any, conclusion: Any) -> Any:
        return (not premise) or bool(conclusion)

    def ite(self, condition: Any, then: Any, otherwise: Any) -> Any:
        return then if condition else otherwise

    def min_(self, a: Any, b: Any) -> Any:
        return min(a, b)

    def max_(self, a: Any, b: Any) -> Any:
        return max(a, b)

    def floor_div(self, a: Any, divisor: int) -> Any:
        return a // divisor

    def is_one_of(self, term: Any, codes: tuple[int, ...]) -> Any:
        return term in codes


PYTHON = PythonBackend()


def share_at_least(part: Any, whole: Any, rate: Rate) -> Any:
    """part >= rate * whole, exactly, in integer arithmetic."""
    return part * rate.den >= whole * rate.num


def share_below(part: Any, whole: Any, rate: Rate) -> Any:
    """part < rate * whole, exactly."""
    return part * rate.den < whole * rate.num


def round_half_up(b: Backend, amount: Any, rate: Rate) -> Any:
    """rate * amount rounded half up to a whole number (amount and result in pence)."""
    return b.floor_div(amount * (2 * rate.num) + rate.den, 2 * rate.den)


class Reading:
    """A read-only view of an attrs value that logs every attribute read, by dotted name, so
    an explanation can show exactly the facts and parameters a rule looked at."""

    def __init__(self, target: Any, log: dict[str, Any], prefix: str = "") -> None:
        self._target, self._log, self._prefix = target, log, prefix

    def __getattr__(self, name: str) -> Any:
        value = getattr(self._target, name)
        key = self._prefix + name
        cls = type(value)
        nested = _NESTED.get(cls)
        if nested is None:  # decided once per type: a record to descend into, or a value
            import attrs

            nested = _NESTED[cls] = (
                attrs.has(cls) and not isinstance(value, Rate) and not hasattr(value, "pence")
            )
        if nested:
            return Reading(value, self._log, key + ".")
        if cls is dict:  # a proposal's new facts, by path: log each one read
            return _ReadingMap(value, self._log, key + ".")
        self._log[key] = value
        return value


class _ReadingMap:
    """A read-only view of a mapping that logs every key read (`extra.learner.x`)."""

    def __init__(self, target: dict[str, Any], log: dict[str, Any], prefix: str) -> None:
        self._target, self._log, self._prefix = target, log, prefix

    def __getitem__(self, key: str) -> Any:
        value = self._target[key]
        self._log[self._prefix + key] = value
        return value


_NESTED: dict[type, bool] = {}


def pick(b: Backend, items: tuple[Any, ...], index: Any) -> Any:
    """items[index] for a concrete or symbolic index (an if-then-else chain for Z3)."""
    if isinstance(index, int):
        return items[index]
    if isinstance(items[0], tuple):  # a row of a table: pick each column
        return tuple(pick(b, column, index) for column in zip(*items, strict=True))
    out = items[-1]
    for position in range(len(items) - 2, -1, -1):
        out = b.ite(index == position, items[position], out)
    return out


def put(
    b: Backend, items: tuple[Any, ...], index: Any, value: Any, when: Any = True
) -> tuple[Any, ...]:
    """items with items[index] = value where `when` holds (a new tuple)."""
    if isinstance(index, int) and when is True:
        return (*items[:index], value, *items[index + 1 :])
    return tuple(
        b.ite(b.and_(when, index == position), value, old) for position, old in enumerate(items)
    )


def put2(
    b: Backend,
    table: tuple[tuple[Any, ...], ...],
    row: Any,
    column: Any,
    value: Any,
    *,
    when: Any = True,
) -> tuple[tuple[Any, ...], ...]:
    """table with table[row][column] = value where `when` holds."""
    if isinstance(row, int) and isinstance(column, int) and when is True:
        return put(b, table, row, put(b, table[row], column, value))
    return tuple(
        put(b, cells, column, value, b.and_(when, row == r)) for r, cells in enumerate(table)
    )


_FIELDS: dict[type, tuple[str, ...]] = {}


def replace(instance: Any, **changes: Any) -> Any:
    """A copy of a frozen attrs value with some fields changed: `attrs.evolve` without its
    per-call introspection (the simulator makes one per event; the state has no validators
    or converters to honour)."""
    import attrs

    cls = type(instance)
    names = _FIELDS.get(cls)
    if names is None:
        names = _FIELDS[cls] = tuple(f.name for f in attrs.fields(cls))
    copy = object.__new__(cls)
    for name in names:
        object.__setattr__(
            copy, name, changes[name] if name in changes else getattr(instance, name)
        )
    return copy
