"""The integer facts the rules reason over, derived concretely from a scenario.

This is the model's prologue (in Catala's sense): the state types the rules read. Every
calendar question (age on a date, months between dates, whether a date is within N years) is
answered here in plain Python; the rules, and so Z3, see only integers and booleans:
day numbers, month indices, whole years, hundredths of an hour, pence, codes for enumerations.

Each fact names the scenario fields it comes from, so an explanation can point back at the
input, and the Z3 constant for a fact is named by its path (`learner.age_years`).
"""

from __future__ import annotations

import datetime as dt
import typing
from typing import Any

import attrs

from aurules.model.calendar import (
    LeapDayRule,
    day_number,
    month_index,
    months_needed,
    whole_years,
    years_needed,
)
from aurules.model.money import HOURS_SCALE
from aurules.model.scenario import Employer, Employment, FundingRoute, Relationship, Scenario

if typing.TYPE_CHECKING:  # annotations only: the ruleset reads facts' names for proposals
    from aurules.model.ruleset import Ruleset


@attrs.frozen
class Codes:
    """An enumeration as integer codes (Z3 sees the code; people see the name)."""

    names: tuple[str, ...]

    def __getitem__(self, name: str) -> int:
        return self.names.index(name)

    def name(self, code: int) -> str:
        return self.names[code]


EMPLOYMENT = Codes(typing.get_args(Employment))
RELATIONSHIP = Codes(typing.get_args(Relationship))
FUNDING = Codes(typing.get_args(FundingRoute))


def fact(path: str, kind: str, sources: str, doc: str, codes: Codes | None = None) -> Any:
    """A fact field: `kind` is "int" or "bool"; an enumeration is an "int" with `codes`."""
    return attrs.field(
        metadata={"path": path, "kind": kind, "sources": sources, "doc": doc, "codes": codes}
    )


@attrs.frozen(kw_only=True)
class Facts:
    """Facts about one learner's unit at its start. Values are Python ints/bools, Z3 terms
    or NumPy arrays, depending on who built the instance."""

    # learner
    age_years: Any = fact(
        "learner.age_years",
        "int",
        "learner.date_of_birth, plan.start_date",
        "Age in whole years on the learning start date.",
    )
    residency_eligible: Any = fact(
        "learner.residency_eligible",
        "bool",
        "learner.residency_eligible",
        "Meets residency criteria.",
    )
    employment: Any = fact(
        "learner.employment", "int", "learner.employment", "Kind of employment.", EMPLOYMENT
    )
    has_release_date: Any = fact(
        "learner.has_release_date", "bool", "learner.release_date", "A release date is known."
    )
    release_years_after_start: Any = fact(
        "learner.release_years_after_start",
        "int",
        "learner.release_date, plan.start_date",
        "Least whole number of years k with release date <= start + k years.",
    )
    has_contract_end: Any = fact(
        "learner.has_contract_end",
        "bool",
        "learner.contract_end_date",
        "The contract is fixed-term.",
    )
    contract_end_day: Any = fact(
        "learner.contract_end_day",
        "int",
        "learner.contract_end_date",
        "Day number the contract ends.",
    )
    has_right_to_work_end: Any = fact(
        "learner.has_right_to_work_end",
        "bool",
        "learner.right_to_work_end_date",
        "The right to work ends.",
    )
    right_to_work_end_day: Any = fact(
        "learner.right_to_work_end_day",
        "int",
        "learner.right_to_work_end_date",
        "Day number the right to work ends.",
    )
    director_or_psc: Any = fact(
        "learner.director_or_psc",
        "bool",
        "learner.director_or_psc",
        "Shareholder, director or person of significant control.",
    )
    separate_line_manager: Any = fact(
        "learner.separate_line_manager",
        "bool",
        "learner.separate_line_manager",
        "Has a separate line manager.",
    )
    share_in_england: Any = fact(
        "learner.share_in_england",
        "int",
        "learner.share_of_hours_in_england",
        "Millionths of working hours spent in England.",
    )
    in_account_paye_scheme: Any = fact(
        "learner.in_account_paye_scheme",
        "bool",
        "learner.in_account_paye_scheme",
        "In the account's PAYE scheme.",
    )
    paid_apprentice_rate: Any = fact(
        "learner.paid_apprentice_rate",
        "bool",
        "learner.paid_apprentice_rate",
        "Paid the apprentice minimum wage rate.",
    )
    student_loan_funded: Any = fact(
        "learner.student_loan_funded", "bool", "learner.student_loan_funded", "Student loan pays."
    )
    duplicate_funding: Any = fact(
        "learner.duplicate_funding",
        "bool",
        "learner.duplicate_funding",
        "Training is funded twice.",
    )
    on_apprenticeship: Any = fact(
        "learner.on_apprenticeship", "bool", "learner.on_apprenticeship", "On an apprenticeship."
    )
    on_other_unit: Any = fact(
        "learner.on_other_unit", "bool", "learner.on_other_unit", "On another apprenticeship unit."
    )
    adult_skills_fund_conflict: Any = fact(
        "learner.adult_skills_fund_conflict",
        "bool",
        "learner.adult_skills_fund_conflict",
        "Conflicting Adult Skills Fund training.",
    )
    other_dfe_funding: Any = fact(
        "learner.other_dfe_funding", "bool", "learner.other_dfe_funding", "Other DfE funding."
    )
    sandwich_placement: Any = fact(
        "learner.sandwich_placement",
        "bool",
        "learner.sandwich_placement",
        "On a sandwich placement.",
    )
    prior_learning_hours: Any = fact(
        "learner.prior_learning_hours",
        "int",
        "learner.prior_learning_hours",
        "Hundredths of planned hours covered by prior learning.",
    )
    # employer and funding route
    relationship: Any = fact(
        "employer.relationship",
        "int",
        "employer.relationship",
        "How the learner is employed.",
        RELATIONSHIP,
    )
    levy_payer: Any = fact(
        "employer.levy_payer", "bool", "employer.levy_payer", "The employer pays the levy."
    )
    funding: Any = fact("employer.funding", "int", "employer.funding", "Funding route.", FUNDING)
    has_reservation_made_on: Any = fact(
        "reservation.has_made_on",
        "bool",
        "employer.reservation.made_on",
        "The reservation's date is known.",
    )
    reservation_made_month: Any = fact(
        "reservation.made_month",
        "int",
        "employer.reservation.made_on",
        "Month index the reservation was made in.",
    )
    reservation_start_month: Any = fact(
        "reservation.start_month",
        "int",
        "employer.reservation.start_date, plan.start_date",
        "Month index of the reservation's start date.",
    )
    reservation_start_day: Any = fact(
        "reservation.start_day",
        "int",
        "employer.reservation.start_date, plan.start_date",
        "Day number of the reservation's start date.",
    )
    reservation_months_to_start: Any = fact(
        "reservation.months_to_start",
        "int",
        "employer.reservation.start_date, plan.start_date",
        "Least whole number of months k with learner start <= reservation start + k months.",
    )
    has_transfer_approved: Any = fact(
        "transfer.has_approved_on", "bool", "employer.transfer.approved_on", "The sender approved."
    )
    transfer_approved_day: Any = fact(
        "transfer.approved_day",
        "int",
        "employer.transfer.approved_on",
        "Day number of the approval.",
    )
    has_transfer_accepted: Any = fact(
        "transfer.has_accepted_on",
        "bool",
        "employer.transfer.accepted_on",
        "The receiver accepted.",
    )
    transfer_accepted_day: Any = fact(
        "transfer.accepted_day",
        "int",
        "employer.transfer.accepted_on",
        "Day number of the acceptance.",
    )
    transfer_months_to_start: Any = fact(
        "transfer.months_to_start",
        "int",
        "employer.transfer.accepted_on, plan.start_date",
        "Least whole number of months k with learner start <= acceptance + k months.",
    )
    levy_balance: Any = fact(
        "employer.levy_balance",
        "int",
        "employer.levy_balance",
        "Funds in the employer's account at the start (pence).",
    )
    has_sender_balance: Any = fact(
        "transfer.has_sender_balance",
        "bool",
        "employer.transfer.sender_balance",
        "The sender's funds are limited.",
    )
    sender_balance: Any = fact(
        "transfer.sender_balance",
        "int",
        "employer.transfer.sender_balance",
        "The sender's funds at the start (pence).",
    )
    has_sender_levy_declared: Any = fact(
        "transfer.has_sender_levy_declared",
        "bool",
        "employer.transfer.sender_levy_declared",
        "The sender's levy declared last year is known.",
    )
    sender_levy_declared: Any = fact(
        "transfer.sender_levy_declared",
        "int",
        "employer.transfer.sender_levy_declared",
        "The sender's levy declared last year, English percentage applied (pence).",
    )
    sender_allowance_used: Any = fact(
        "transfer.sender_allowance_used",
        "int",
        "employer.transfer.sender_allowance_used",
        "The sender's allowance already committed this year (pence).",
    )
    ldd: Any = fact(
        "learner.ldd",
        "bool",
        "learner.learning_difficulty_or_disability",
        "Has a learning difficulty or disability.",
    )
    # unit and plan
    published_min_hours: Any = fact(
        "unit.published_min_hours",
        "int",
        "unit.published_min_hours",
        "Hundredths of the published minimum delivery hours.",
    )
    provider_approved: Any = fact(
        "unit.provider_approved", "bool", "unit.provider_approved", "Approved provider and unit."
    )
    funding_rate: Any = fact(
        "unit.funding_rate", "int", "unit.funding_rate", "Funding rate in pence."
    )
    start_day: Any = fact(
        "plan.start_day", "int", "plan.start_date", "Day number of the learning start date."
    )
    start_month: Any = fact(
        "plan.start_month", "int", "plan.start_date", "Month index of the learning start date."
    )
    planned_end_day: Any = fact(
        "plan.planned_end_day",
        "int",
        "plan.planned_end_date",
        "Day number of the planned end date.",
    )
    planned_hours: Any = fact(
        "plan.planned_hours", "int", "plan.planned_hours", "Hundredths of planned delivery hours."
    )
    price: Any = fact("plan.price", "int", "plan.price", "Price in pence.")
    subcontracted: Any = fact(
        "plan.subcontracted", "bool", "plan.subcontracted", "Delivery is subcontracted."
    )
    has_plan_signed_on: Any = fact(
        "plan.has_signed_on",
        "bool",
        "plan.training_plan_signed_on",
        "The training plan's signing date is given.",
    )
    plan_signed_day: Any = fact(
        "plan.signed_day",
        "int",
        "plan.training_plan_signed_on",
        "Day number the training plan was signed.",
    )
    learner_contribution: Any = fact(
        "plan.learner_contribution",
        "int",
        "plan.learner_contribution",
        "Pence asked of the learner.",
    )
    extra: Any = attrs.field(factory=dict, metadata={"kind": "extra"})
    """A proposal's new facts by path (`learner.care_leaver`), in the model's units."""


FACT_FIELDS: tuple[attrs.Attribute[Any], ...] = tuple(
    f for f in attrs.fields(Facts) if f.name != "extra"
)
"""The official facts (every field but `extra`)."""


def leap_day_rule(ruleset: Ruleset) -> LeapDayRule:
    """Interpretation `age`: where a 29 February birthday falls in a common year."""
    if ruleset.interpretations.age == "calendar_birthday_feb28":
        return "february_28"
    return "march_1"


ARRANGEMENT = (
    "start_month",
    "has_reservation_made_on",
    "reservation_made_month",
    "reservation_start_month",
    "reservation_start_day",
    "reservation_months_to_start",
    "has_transfer_approved",
    "transfer_approved_day",
    "has_transfer_accepted",
    "transfer_accepted_day",
    "transfer_months_to_start",
)
"""The calendar facts of a funding arrangement (reservation, transfer) against a start date,
which the window rules (85, 88, 111, 115, 116) read: at the learning start, and at a restart
with a new employer."""


def arrangement_facts(employer: Employer, start: dt.date) -> dict[str, Any]:
    """The `ARRANGEMENT` facts of an employer's reservation and transfer for a start on
    `start`."""
    reservation_start = employer.reservation.start_date or start
    made_on = employer.reservation.made_on
    approved, accepted = employer.transfer.approved_on, employer.transfer.accepted_on
    return {
        "start_month": month_index(start),
        "has_reservation_made_on": made_on is not None,
        "reservation_made_month": month_index(made_on) if made_on else 0,
        "reservation_start_month": month_index(reservation_start),
        "reservation_start_day": day_number(reservation_start),
        "reservation_months_to_start": months_needed(reservation_start, start),
        "has_transfer_approved": approved is not None,
        "transfer_approved_day": day_number(approved) if approved else 0,
        "has_transfer_accepted": accepted is not None,
        "transfer_accepted_day": day_number(accepted) if accepted else 0,
        "transfer_months_to_start": months_needed(accepted, start) if accepted else 0,
    }


def derive(scenario: Scenario, ruleset: Ruleset) -> Facts:
    """The concrete facts of a scenario under a ruleset's calendar interpretations."""
    learner, employer, unit, plan = (
        scenario.learner,
        scenario.employer,
        scenario.unit,
        scenario.plan,
    )
    leap = leap_day_rule(ruleset)
    start = plan.start_date
    return Facts(
        **arrangement_facts(employer, start),
        age_years=whole_years(learner.date_of_birth, start, leap),
        residency_eligible=learner.residency_eligible,
        employment=EMPLOYMENT[learner.employment],
        has_release_date=learner.release_date is not None,
        release_years_after_start=(
            years_needed(start, learner.release_date, leap) if learner.release_date else 0
        ),
        has_contract_end=learner.contract_end_date is not None,
        contract_end_day=day_number(learner.contract_end_date) if learner.contract_end_date else 0,
        has_right_to_work_end=learner.right_to_work_end_date is not None,
        right_to_work_end_day=day_number(learner.right_to_work_end_date)
        if learner.right_to_work_end_date
        else 0,
        director_or_psc=learner.director_or_psc,
        separate_line_manager=learner.separate_line_manager,
        share_in_england=learner.share_of_hours_in_england,
        in_account_paye_scheme=learner.in_account_paye_scheme,
        paid_apprentice_rate=learner.paid_apprentice_rate,
        student_loan_funded=learner.student_loan_funded,
        duplicate_funding=learner.duplicate_funding,
        on_apprenticeship=learner.on_apprenticeship,
        on_other_unit=learner.on_other_unit,
        adult_skills_fund_conflict=learner.adult_skills_fund_conflict,
        other_dfe_funding=learner.other_dfe_funding,
        sandwich_placement=learner.sandwich_placement,
        prior_learning_hours=learner.prior_learning_hours,
        relationship=RELATIONSHIP[employer.relationship],
        levy_payer=employer.levy_payer,
        funding=FUNDING[employer.funding],
        levy_balance=employer.levy_balance.pence,
        has_sender_levy_declared=employer.transfer.sender_levy_declared is not None,
        sender_levy_declared=(
            employer.transfer.sender_levy_declared.pence
            if employer.transfer.sender_levy_declared is not None
            else 0
        ),
        sender_allowance_used=employer.transfer.sender_allowance_used.pence,
        has_sender_balance=employer.transfer.sender_balance is not None,
        sender_balance=(
            employer.transfer.sender_balance.pence
            if employer.transfer.sender_balance is not None
            else 0
        ),
        ldd=learner.learning_difficulty_or_disability,
        published_min_hours=unit.published_min_hours * HOURS_SCALE,
        provider_approved=unit.provider_approved,
        funding_rate=unit.funding_rate.pence,
        start_day=day_number(start),
        planned_end_day=day_number(plan.planned_end_date),
        planned_hours=plan.planned_hours,
        price=plan.price.pence,
        subcontracted=plan.subcontracted,
        has_plan_signed_on=plan.training_plan_signed_on is not None,
        plan_signed_day=(
            day_number(plan.training_plan_signed_on) if plan.training_plan_signed_on else 0
        ),
        learner_contribution=plan.learner_contribution.pence,
        extra={
            new.path: new.parse(scenario.new_facts[new.path])
            if new.path in scenario.new_facts
            else new.default
            for new in ruleset.structure.facts
        },
    )


HOURS_FACTS = frozenset({"prior_learning_hours", "published_min_hours", "planned_hours"})
"""Facts in hundredths of an hour."""
PENCE_FACTS = frozenset(
    {
        "funding_rate",
        "price",
        "learner_contribution",
        "levy_balance",
        "sender_balance",
        "sender_levy_declared",
        "sender_allowance_used",
    }
)
"""Facts in pence."""


def show_fact(field_name: str, value: Any) -> str:
    """A concrete fact as a person reads it: day numbers as dates, month indices as
    YYYY-MM, hundredths of hours as hours, pence as pounds, codes as names."""
    import datetime as dt

    from aurules.model.money import SHARE_WHOLE, format_hours, format_pence

    field = attrs.fields_dict(Facts)[field_name]
    codes = field.metadata["codes"]
    if isinstance(value, bool):
        return "true" if value else "false"
    if not isinstance(value, int):
        return str(value)
    if codes is not None:
        return codes.name(value)
    if field_name.endswith("_day"):
        return dt.date.fromordinal(value).isoformat() if value > 0 else "none"
    if field_name.endswith("_month"):
        if value == 0:
            return "none"
        year, month0 = divmod(value, 12)
        return f"{year:04d}-{month0 + 1:02d}"
    if field_name in HOURS_FACTS:
        return f"{format_hours(value)} h"
    if field_name in PENCE_FACTS:
        return f"£{format_pence(value)}"
    if field_name == "share_in_england":
        return f"{value / SHARE_WHOLE:g}"
    return str(value)


def path_of(field_name: str) -> str:
    """A fact's dotted path (`age_years` -> `learner.age_years`)."""
    return str(attrs.fields_dict(Facts)[field_name].metadata["path"])


def field_of(path: str) -> str:
    """A fact's field name from its dotted path."""
    for field in FACT_FIELDS:
        if field.metadata["path"] == path:
            return field.name
    raise KeyError(path)
