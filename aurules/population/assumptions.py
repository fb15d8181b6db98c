"""The stated assumptions behind SYNTHETIC event histories (`aurules.population.histories`
draws them; the command line makes an option of each). Kept apart from the drawing, which
needs NumPy, so that `aurules --help` starts without it."""

from __future__ import annotations

import json
from typing import Any

import attrs


def _assumed(default: float, help_text: str, most: float = 1) -> Any:
    """An assumption: its default, its meaning and its largest value (the command line's
    options are made from these)."""
    return attrs.field(default=default, metadata={"help": help_text, "most": most})


@attrs.frozen(kw_only=True)
class Assumptions:
    """The stated assumptions behind synthetic histories (see the module's docstring)."""

    pace: float = _assumed(
        1.0, "Hours delivered by the planned end, as a share of the planned hours.", 3
    )
    complete: float = _assumed(
        0.6, "Share of learners completing (skills test, sign-off, milestone 2)."
    )
    withdraw: float = _assumed(0.2, "Share of the others withdrawing part way.")
    restart: float = _assumed(0.2, "Share of those withdrawing who restart and complete.")
    leave: float = _assumed(0.03, "Share taking maternity leave part way.")
    extend: float = _assumed(0.05, "Share extending the planned end by 1 to 8 weeks.")
    audit: float = _assumed(0.05, "Share audited after their last claim or withdrawal.")

    def label(self, seed: int) -> str:
        return (
            "SYNTHETIC event histories (made-up, not real data) made by `aurules population "
            "--events` " + json.dumps({"seed": seed, **attrs.asdict(self)})
        )
