"""Reservations of funds by non-levy employers (paragraphs 84 to 88)."""

from __future__ import annotations

from typing import Any

from aurules.model.facts import FUNDING, Facts
from aurules.model.registry import rule
from aurules.model.ruleset import Ruleset
from aurules.model.values import Backend


def _reserved(f: Facts) -> Any:
    return f.funding == FUNDING["reservation"]


@rule("84")
def reservation_by_non_levy_employer(f: Facts, p: Ruleset, b: Backend) -> Any:
    """Reservations are the route for employers who do not pay the levy."""
    return b.implies(_reserved(f), b.not_(f.levy_payer))


@rule("85", interpretations=("reservation_window",))
def reservation_not_backdated(f: Facts, p: Ruleset, b: Backend) -> Any:
    """Funds must be reserved before the start or in the start's calendar month, never
    backdated to an earlier month. A reservation with no date was made before the start."""
    return b.implies(
        b.and_(_reserved(f), f.has_reservation_made_on), f.reservation_made_month <= f.start_month
    )


@rule("88", interpretations=("reservation_window",))
def reservation_in_window(f: Facts, p: Ruleset, b: Backend) -> Any:
    """A reservation expires unless used within its window after its start date.

    Interpretation: `reservation_window` (official: from the first day of the reservation's
    start month to the last day of the month `expiry_months - 1` months later, so a May
    reservation serves May, June and July starts).
    """
    months = p.reservations.expiry_months
    if p.interpretations.reservation_window == "months_from_start_date":
        within = b.and_(
            f.start_day >= f.reservation_start_day, f.reservation_months_to_start <= months
        )
    else:
        within = b.and_(
            f.start_month >= f.reservation_start_month,
            f.start_month <= f.reservation_start_month + months - 1,
        )
    return b.implies(_reserved(f), within)
