"""Temporal coverage of the official rulesets (after Catala's coverage test): for every start
date in their span, exactly one shipped official ruleset applies."""

from __future__ import annotations

import datetime as dt

from aurules.model.ruleset import load_ruleset, packaged_ids


def coverage_problems() -> list[str]:
    """Dates with no ruleset or with two, as readable problems (empty when covered)."""
    rulesets = [load_ruleset(i) for i in packaged_ids()]
    first = min(r.valid_from for r in rulesets)
    last = max(r.valid_to for r in rulesets)
    out = []
    day = first
    while day <= last:
        applying = [r.id for r in rulesets if r.applies_on(day)]
        if len(applying) != 1:
            out.append(f"{day}: {len(applying)} rulesets apply ({', '.join(applying)})")
        day += dt.timedelta(days=1)
    return out
