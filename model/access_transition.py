"""The account access model's transition: an action is decided by all its guards and, once
allowed, changes the state by its effect (`aurules.model.rules.access`). As in the lifecycle,
one definition runs on plain values (the simulator) and as Z3 terms (the proofs)."""

from __future__ import annotations

from typing import Any

import attrs

from aurules.model.access_state import ACTIONS, AccessAction, AccessState, Decision
from aurules.model.rulebook import guards
from aurules.model.rules.access import effect_of
from aurules.model.ruleset import Ruleset
from aurules.model.values import Backend


def decide(s: AccessState, a: AccessAction, p: Ruleset, b: Backend, name: str) -> Decision:
    """Every guard of the action `name` and whether all hold."""
    conditions = {g.name: g(s, a, p, b) for g in guards(name, p)}
    return Decision(allowed=b.and_(*conditions.values()), conditions=conditions)


def _select(b: Backend, condition: Any, then: Any, otherwise: Any) -> Any:
    if isinstance(then, tuple):
        return tuple(_select(b, condition, x, y) for x, y in zip(then, otherwise, strict=True))
    return b.ite(condition, then, otherwise)


def _choose(b: Backend, condition: Any, then: AccessState, otherwise: AccessState) -> AccessState:
    return AccessState(
        **{
            f.name: _select(b, condition, getattr(then, f.name), getattr(otherwise, f.name))
            for f in attrs.fields(AccessState)
        }
    )


def access_step(
    s: AccessState, a: AccessAction, p: Ruleset, b: Backend
) -> tuple[AccessState, Decision]:
    """The next state and the decision, for any action (concrete: only its own kind runs;
    symbolic: every kind, merged on the action's kind)."""
    if isinstance(a.kind, int):
        name = ACTIONS.name(a.kind)
        decision = decide(s, a, p, b, name)
        after = effect_of(name, s, a, b) if decision.allowed else s
        return after, decision
    after, allowed = s, b.not_(True)
    conditions: dict[str, Any] = {}
    for name in ACTIONS.names:
        is_kind = a.kind == ACTIONS[name]
        decision = decide(s, a, p, b, name)
        conditions.update({f"{name}:{k}": v for k, v in decision.conditions.items()})
        after = _choose(b, b.and_(is_kind, decision.allowed), effect_of(name, s, a, b), after)
        allowed = b.or_(allowed, b.and_(is_kind, decision.allowed))
    return after, Decision(allowed=allowed, conditions=conditions)
