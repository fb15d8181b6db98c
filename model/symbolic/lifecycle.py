"""The lifecycle's transition as Z3 terms, built from the same definitions as the simulator.

`SymbolicStep` builds, once per ruleset, the next state and step output of `transition` over
a symbolic state and event. Substituting concrete values and simplifying must give exactly
what the simulator computed; the agreement checks and the bounded model checker both stand
on this.

Two ways to ask Z3. `evaluate` substitutes the state and event and reads every next-state
and output field back (for reports and tests). `agrees` is the fast question the agreement
machine asks on every step: with the state, the event *and the simulator's next state and
output* substituted, does the relation simplify to true? The relation is a conjunction of
`next.field == term` equations, so it is true exactly when every field agrees; only when it
is not does the caller need `evaluate` to say which fields differ. `agrees` goes through
Z3's C API with arrays prepared once per event kind, which makes it several times faster
than building the substitution through the Python wrappers.
"""

from __future__ import annotations

from typing import Any

import z3
from z3 import z3core

from aurules.model.facts import FACT_FIELDS, Facts
from aurules.model.lifecycle import OUTPUT_FIELDS, transition
from aurules.model.ruleset import Ruleset
from aurules.model.state import EVENT_FIELDS, EVENT_KINDS, STATE_FIELDS, EventFacts, State
from aurules.model.symbolic.start import symbolic_facts
from aurules.model.values_z3 import Z3, constant


def symbolic_state(prefix: str = "") -> State:
    """A state of Z3 constants named `<prefix><field>`."""
    return State(**{f.name: constant(prefix + f.name, f.metadata["kind"]) for f in STATE_FIELDS})


def symbolic_event(prefix: str = "") -> EventFacts:
    """An event of Z3 constants named `<prefix>event.<field>`."""
    return EventFacts(
        **{f.name: constant(prefix + f.metadata["path"], f.metadata["kind"]) for f in EVENT_FIELDS}
    )


def _value(value: Any) -> Any:
    return z3.BoolVal(value) if isinstance(value, bool) else z3.IntVal(value)


class SymbolicStep:
    """The transition relation over one symbolic state and event."""

    def __init__(self, ruleset: Ruleset) -> None:
        self.state = symbolic_state()
        self.event = symbolic_event()
        # a proposal's bands and claim rules read the learner's start facts: constants too
        self.facts = symbolic_facts(ruleset) if ruleset.structure.needs_binding else None
        self._fact_terms = _fact_values(self.facts) if self.facts is not None else []
        bound = ruleset.bind(self.facts, Z3) if self.facts is not None else ruleset
        after, output = transition(self.state, self.event, bound, Z3)
        self.after = after
        self.output = output
        names = [f.name for f in STATE_FIELDS] + ["output." + n for n in OUTPUT_FIELDS]
        terms = [getattr(after, f.name) for f in STATE_FIELDS] + [
            _term(getattr(output, n)) for n in OUTPUT_FIELDS
        ]
        self._names = names
        self._outs = [
            constant("next." + n, "bool" if z3.is_bool(t) else "int")
            for n, t in zip(names, terms, strict=True)
        ]
        # One conjunction over a shared DAG: a single substitution evaluates every field.
        self._all = z3.And([o == t for o, t in zip(self._outs, terms, strict=True)])
        # The same relation with the event's kind fixed, once per kind: the if-then-else on
        # the kind falls away, so each step substitutes into a much smaller term.
        self._by_kind = {
            code: z3.simplify(z3.substitute(self._all, (self.event.kind, z3.IntVal(code))))
            for code in range(len(EVENT_KINDS.names))
        }
        # For `agrees`: every constant of the relation, in a fixed order, as a C array.
        self._inputs = (
            [getattr(self.state, f.name) for f in STATE_FIELDS]
            + [getattr(self.event, f.name) for f in EVENT_FIELDS]
            + self._outs
            + self._fact_terms
        )
        self._from = (z3core.Ast * len(self._inputs))(*[c.as_ast() for c in self._inputs])
        self._ctx = self._all.ctx
        self._kinds = tuple(z3.is_bool(c) for c in self._inputs)
        self._keep: list[Any] = []  # the value terms behind the cached ASTs, kept alive
        self._ints: dict[int, Any] = {}
        truth = {flag: z3.BoolVal(flag) for flag in (False, True)}
        self._keep += truth.values()
        self._bools = {flag: term.as_ast() for flag, term in truth.items()}

    def _int_ast(self, value: int) -> Any:
        ast = self._ints.get(value)
        if ast is None:
            term = z3.IntVal(int(value))
            self._keep.append(term)
            ast = self._ints[int(value)] = term.as_ast()
        return ast

    def agrees(
        self, state: State, event: EventFacts, after: State, output: Any, facts: Any = None
    ) -> bool:
        """True when the relation holds of the simulator's step: the next state `after` and
        step output `output` are what the Z3 terms give for `state` and `event` (and, under a
        proposal whose rules read them, the learner's start `facts`)."""
        relation = self._by_kind.get(event.kind, self._all)
        values = [getattr(state, f.name) for f in STATE_FIELDS]
        values += [getattr(event, f.name) for f in EVENT_FIELDS]
        values += [getattr(after, f.name) for f in STATE_FIELDS]
        values += [getattr(output, n) for n in OUTPUT_FIELDS]
        if self._fact_terms:
            if facts is None:
                return False  # the relation needs the learner's facts to reduce
            values += _fact_values(facts)
        ints, bools, make = self._ints, self._bools, self._int_ast
        to = (z3core.Ast * len(values))(
            *[
                bools[bool(v)] if is_bool else (ints.get(v) or make(v))
                for v, is_bool in zip(values, self._kinds, strict=True)
            ]
        )
        ctx = self._ctx.ref()
        substituted = z3core.Z3_substitute(ctx, relation.as_ast(), len(values), self._from, to)
        z3core.Z3_inc_ref(ctx, substituted)
        try:
            reduced = z3core.Z3_simplify(ctx, substituted)
            z3core.Z3_inc_ref(ctx, reduced)
            try:
                verdict = z3core.Z3_get_bool_value(ctx, reduced)
            finally:
                z3core.Z3_dec_ref(ctx, reduced)
        finally:
            z3core.Z3_dec_ref(ctx, substituted)
        if verdict == z3.Z3_L_UNDEF:  # not reduced to true or false: cannot be agreement
            return False
        return bool(verdict == z3.Z3_L_TRUE)

    def pairs(self, state: State, event: EventFacts, facts: Any = None) -> list[tuple[Any, Any]]:
        """Substitution pairs binding the symbolic state and event (and start facts, where
        the relation reads them) to concrete values."""
        out = [(getattr(self.state, f.name), _value(getattr(state, f.name))) for f in STATE_FIELDS]
        out += [(getattr(self.event, f.name), _value(getattr(event, f.name))) for f in EVENT_FIELDS]
        if self._fact_terms and facts is not None:
            out += [
                (term, _value(value))
                for term, value in zip(self._fact_terms, _fact_values(facts), strict=True)
            ]
        return out

    def evaluate(self, state: State, event: EventFacts, facts: Any = None) -> dict[str, Any]:
        """Every next-state field and output field, as Python values, for concrete inputs."""
        relation = self._by_kind.get(event.kind, self._all)
        reduced = z3.simplify(z3.substitute(relation, *self.pairs(state, event, facts)))
        values: dict[str, Any] = {}
        for conjunct in reduced.children() if z3.is_and(reduced) else [reduced]:
            if z3.is_eq(conjunct):
                left, right = conjunct.children()
                if not z3.is_const(left) or not str(left).startswith("next."):
                    left, right = right, left
                values[str(left)] = python_value(right)
            elif z3.is_not(conjunct):  # a boolean output simplified to `not next.x`
                values[str(conjunct.children()[0])] = False
            elif z3.is_const(conjunct):  # `next.x` alone: true
                values[str(conjunct)] = True
            else:
                raise ValueError(f"did not reduce to a value: {conjunct}")
        return {name: values[f"next.{name}"] for name in self._names}


def _fact_values(facts: Facts) -> list[Any]:
    """Every start fact of `facts` in a fixed order (terms or values alike)."""
    return [getattr(facts, f.name) for f in FACT_FIELDS] + list(facts.extra.values())


def _term(value: Any) -> Any:
    return value if isinstance(value, z3.ExprRef) else _value(value)


def python_value(term: Any) -> Any:
    """A Z3 boolean or integer value as a Python bool or int."""
    if z3.is_true(term):
        return True
    if z3.is_false(term):
        return False
    if z3.is_int_value(term):
        return term.as_long()
    raise ValueError(f"did not reduce to a value: {term}")
