"""Maternity, adoption and shared parental leave (paragraphs 131 to 137).

During such leave only training on the learner's keeping-in-touch days counts: up to 10 KIT
days in maternity or adoption leave, up to 20 SPLIT days in shared parental leave; any
training on a day uses the whole day (136.1). The leave moves the withdrawal deadline back by
its length (131). Paternity leave (135) changes nothing: training is arranged around it.
"""

from __future__ import annotations

from typing import Any

from aurules.model.registry import effect
from aurules.model.ruleset import Ruleset
from aurules.model.state import LEAVE, EventFacts, State
from aurules.model.values import Backend, replace

QUALIFYING = (LEAVE["maternity"], LEAVE["adoption"], LEAVE["shared_parental"])


def on_qualifying_leave(s: State, b: Backend) -> Any:
    """On maternity, adoption or shared parental leave now."""
    return b.is_one_of(s.leave, QUALIFYING)


@effect("131", cites=("139",))
def leave_days_until(s: State, day: Any, b: Backend) -> Any:
    """Days of maternity, adoption or shared parental leave so far, counting a leave still
    running up to `day`: they move the withdrawal deadline back."""
    running = b.ite(on_qualifying_leave(s, b), b.max_(day - s.leave_start_day, 0), 0)
    return s.leave_days + running


@effect("132", "133", "134", "137", cites=("52", "136.1"))
def keeping_in_touch_allows(s: State, e: EventFacts, p: Ruleset, b: Backend) -> Any:
    """Outside qualifying leave any delivery day may count; during it only a KIT or SPLIT day
    within the allowance (a second delivery on the same day uses no further day)."""
    shared = s.leave == LEAVE["shared_parental"]
    allowance = b.ite(shared, p.parental_leave.split_days, p.parental_leave.kit_days)
    used = b.ite(shared, s.split_used, s.kit_used)
    new_day = e.day != s.last_kit_day
    within = used + b.ite(new_day, 1, 0) <= allowance
    return b.or_(b.not_(on_qualifying_leave(s, b)), b.and_(e.kit_day, within))


def use_keeping_in_touch_day(s: State, e: EventFacts, counted: Any, b: Backend) -> dict[str, Any]:
    """After a counted delivery during qualifying leave, one more KIT/SPLIT day is used (the
    changed fields)."""
    uses = b.and_(counted, on_qualifying_leave(s, b), e.day != s.last_kit_day)
    shared = s.leave == LEAVE["shared_parental"]
    return {
        "kit_used": s.kit_used + b.ite(b.and_(uses, b.not_(shared)), 1, 0),
        "split_used": s.split_used + b.ite(b.and_(uses, shared), 1, 0),
        "last_kit_day": b.ite(uses, e.day, s.last_kit_day),
    }


@effect("131", cites=("132", "133", "134", "135"))
def leave_started(s: State, e: EventFacts, p: Ruleset, b: Backend) -> State:
    """Leave begins with its own allowance of KIT / SPLIT days. A leave cannot start while
    another is running (a scenario saying so is bad input); should one reach the rules, it
    changes nothing, so the running leave's allowance is not renewed."""
    running = s.leave != LEAVE["none"]

    def keep(field: str, new: Any) -> Any:
        return b.ite(running, getattr(s, field), new)

    return replace(
        s,
        leave=keep("leave", e.leave_kind),
        leave_start_day=keep("leave_start_day", e.day),
        leave_days=keep("leave_days", leave_days_until(s, e.day, b)),
        kit_used=keep("kit_used", 0),
        split_used=keep("split_used", 0),
        last_kit_day=keep("last_kit_day", 0),
    )


@effect("131", cites=("139",))
def leave_ended(s: State, e: EventFacts, p: Ruleset, b: Backend) -> State:
    """Leave ends; the learner returns to work and training."""
    return replace(
        s, leave=LEAVE["none"], leave_start_day=0, leave_days=leave_days_until(s, e.day, b)
    )
