"""Employment arrangements between the employer and the learner (paragraphs 27 to 30), and
the end of employment (127)."""

from __future__ import annotations

from typing import Any

from aurules.model.facts import EMPLOYMENT, Facts
from aurules.model.registry import effect, guard, rule
from aurules.model.ruleset import Ruleset
from aurules.model.state import CLAIM_ITEMS, EventFacts, State
from aurules.model.values import Backend, replace

EXEMPT_FROM_CONTRACT = (
    EMPLOYMENT["office_holder"],  # 27.1.1
    EMPLOYMENT["prisoner_on_rotl"],  # 27.1.2
    EMPLOYMENT["prisoner_closed_estate"],  # 27.1.2
)


@rule("27", cites=("27.1", "27.1.1"))
def contract_long_enough(f: Facts, p: Ruleset, b: Backend) -> Any:
    """The learner must be employed on a contract that lasts to the planned end date; office
    holders and prisoners (27.1) are the only exceptions."""
    return b.implies(
        b.and_(b.not_(b.is_one_of(f.employment, EXEMPT_FROM_CONTRACT)), f.has_contract_end),
        f.contract_end_day >= f.planned_end_day,
    )


@rule("27.1.2")
def closed_estate_release_soon(f: Facts, p: Ruleset, b: Backend) -> Any:
    """A prisoner in the closed estate qualifies only with a known release date within [two
    years](eligibility.closed_estate_release_within_years) of the start."""
    return b.implies(
        f.employment == EMPLOYMENT["prisoner_closed_estate"],
        b.and_(
            f.has_release_date,
            f.release_years_after_start <= p.eligibility.closed_estate_release_within_years,
        ),
    )


@rule("28", cites=("16",))
def separate_line_manager(f: Facts, p: Ruleset, b: Backend) -> Any:
    """There must be a separate, identifiable line manager acting as the employer."""
    return f.separate_line_manager


@rule("29")
def in_account_paye_scheme(f: Facts, p: Ruleset, b: Backend) -> Any:
    """The learner must be in the PAYE scheme declared in the apprenticeship service account."""
    return f.in_account_paye_scheme


@rule("30")
def not_paid_apprentice_rate(f: Facts, p: Ruleset, b: Backend) -> Any:
    """The employer pays wages and must not use the apprentice rate of the minimum wage."""
    return b.not_(f.paid_apprentice_rate)


@guard("127", items=CLAIM_ITEMS)
def still_employed(s: State, e: EventFacts, p: Ruleset, b: Backend) -> Any:
    """Nothing is paid once employment has ended, until a restart."""
    return s.employed


@effect("127")
def employment_ended(s: State, e: EventFacts, p: Ruleset, b: Backend) -> State:
    """When employment ends the learner is no longer funded and no training counts, until a
    restart with an employer."""
    return replace(s, employed=False)
