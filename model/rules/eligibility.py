"""Learner eligibility (paragraphs 21 to 24 and 26.1): who may be funded at the start.

Each function is one paragraph or clause; it returns true when the learner satisfies it.
"""

from __future__ import annotations

from typing import Any

from aurules.model.facts import EMPLOYMENT, RELATIONSHIP, Facts
from aurules.model.money import SHARE_WHOLE
from aurules.model.registry import guard, rule
from aurules.model.ruleset import Ruleset
from aurules.model.state import CLAIM_ITEMS, EventFacts, State
from aurules.model.values import Backend, share_at_least, share_below


@rule("21.1", cites=("21",))
def residency(f: Facts, p: Ruleset, b: Backend) -> Any:
    """The learner must meet the residency criteria of the main funding rules' Annex A."""
    return f.residency_eligible


@rule("22.1", cites=("21.2", "22"), interpretations=("age",))
def minimum_age(f: Facts, p: Ruleset, b: Backend) -> Any:
    """The learner must be at least [19](eligibility.min_age) years old on the day learning
    originally starts.

    Interpretation: `age` (whole years by calendar birthday; 29 February birthdays).
    """
    return f.age_years >= p.eligibility.min_age


@rule("22.2")
def time_available(f: Facts, p: Ruleset, b: Backend) -> Any:
    """The learner must have time to finish: no known end to their contract or right to work
    (e.g. a visa) before the planned end date."""
    return b.and_(
        b.implies(f.has_contract_end, f.contract_end_day >= f.planned_end_day),
        b.implies(f.has_right_to_work_end, f.right_to_work_end_day >= f.planned_end_day),
    )


@rule("22.3")
def no_student_loan(f: Facts, p: Ruleset, b: Backend) -> Any:
    """A student loan must not pay for the unit."""
    return b.not_(f.student_loan_funded)


@rule("22.4")
def no_duplicate_funding(f: Facts, p: Ruleset, b: Backend) -> Any:
    """No funding for training or assessment the learner already received from elsewhere."""
    return b.not_(f.duplicate_funding)


@rule("22.5", cites=("22.5.1",))
def mostly_in_england(f: Facts, p: Ruleset, b: Backend) -> Any:
    """At least [half](eligibility.min_share_of_hours_in_england) of the learner's working
    hours must be in England."""
    return share_at_least(
        f.share_in_england, SHARE_WHOLE, p.eligibility.min_share_of_hours_in_england
    )


@rule("23", cites=("23.1", "14.3"))
def employed_by_account_holder(f: Facts, p: Ruleset, b: Backend) -> Any:
    """Funds pay only for learners employed by the employer, a connected company or charity,
    or (23.1) an organisation in the employer's pooled PAYE scheme."""
    return f.relationship != RELATIONSHIP["none"]


@rule("24.1", cites=("24",))
def not_sole_trader(f: Facts, p: Ruleset, b: Backend) -> Any:
    """A self-employed sole trader cannot be funded."""
    return f.employment != EMPLOYMENT["sole_trader"]


@rule("24.2", cites=("24",))
def not_ir35_worker(f: Facts, p: Ruleset, b: Backend) -> Any:
    """Someone working under IR35 cannot be funded (office holders, 27.1, are not IR35 here)."""
    return f.employment != EMPLOYMENT["ir35_worker"]


@rule("24.3", cites=("24",))
def director_has_line_manager(f: Facts, p: Ruleset, b: Backend) -> Any:
    """A shareholder, director or person of significant control needs a separate line manager
    acting as the employer."""
    return b.implies(f.director_or_psc, f.separate_line_manager)


@rule("24.4", cites=("24",))
def not_on_other_programme(f: Facts, p: Ruleset, b: Backend) -> Any:
    """The learner must not be on an apprenticeship or another apprenticeship unit."""
    return b.not_(b.or_(f.on_apprenticeship, f.on_other_unit))


@rule("24.5", cites=("24", "24.5.1", "24.5.2", "24.5.3"))
def no_adult_skills_fund_conflict(f: Facts, p: Ruleset, b: Backend) -> Any:
    """No Adult Skills Fund training that repeats, conflicts with, or takes working hours
    from the unit."""
    return b.not_(f.adult_skills_fund_conflict)


@rule("24.6", cites=("24",))
def no_other_dfe_funding(f: Facts, p: Ruleset, b: Backend) -> Any:
    """No other direct or indirect DfE funding during the unit."""
    return b.not_(f.other_dfe_funding)


@rule("24.7", cites=("24",))
def not_sandwich_placement(f: Facts, p: Ruleset, b: Backend) -> Any:
    """No part of the unit may be taken on a degree's sandwich placement."""
    return b.not_(f.sandwich_placement)


@rule("26.1")
def prior_learning_below_majority(f: Facts, p: Ruleset, b: Backend) -> Any:
    """Prior learning overlapping the majority of the unit
    ([half](eligibility.max_prior_learning_share) of the planned hours or more) makes the
    learner ineligible."""
    return share_below(
        f.prior_learning_hours, f.planned_hours, p.eligibility.max_prior_learning_share
    )


@guard("21", items=CLAIM_ITEMS)
def eligible_learner(s: State, e: EventFacts, p: Ruleset, b: Backend) -> Any:
    """Funding is claimed only for a learner eligible at the start (and still eligible after a
    change of employer). A refusal lists the failed start paragraphs."""
    return s.eligible
