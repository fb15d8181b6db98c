"""`model.facts.derive` for a whole population: the same facts, as arrays.

Each fact is computed exactly as `derive` computes it for one scenario, with the calendar of
`model.calendar_numpy`; a test compares the two row by row.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from aurules.model import calendar_numpy as cal
from aurules.model.facts import Facts, leap_day_rule
from aurules.model.money import HOURS_SCALE
from aurules.model.population.table import Population
from aurules.model.ruleset import Ruleset


def derive_table(pop: Population, ruleset: Ruleset) -> Facts:
    """The facts of every row, under a ruleset's calendar interpretations."""
    v, given = pop.values, pop.given
    leap = leap_day_rule(ruleset)
    start_days = v["plan.start_date"]
    start = cal.Dates(start_days)

    def or_zero(path: str, values: Any) -> Any:
        """0 where the nullable date `path` is not given (as `derive` does)."""
        return np.where(given(path), values, 0)

    def filled(path: str) -> Any:
        """A nullable date, with the start date standing in where it is not given (so the
        calendar never sees day 0); results are masked back with `or_zero`."""
        return cal.Dates(np.where(given(path), v[path], start_days))

    reservation_start = filled("employer.reservation.start_date")
    release, made_on = filled("learner.release_date"), filled("employer.reservation.made_on")
    accepted = filled("employer.transfer.accepted_on")
    return Facts(
        age_years=cal.whole_years(v["learner.date_of_birth"], start, leap),
        residency_eligible=v["learner.residency_eligible"],
        employment=v["learner.employment"],
        has_release_date=given("learner.release_date"),
        release_years_after_start=or_zero(
            "learner.release_date", cal.years_needed(start, release, leap)
        ),
        has_contract_end=given("learner.contract_end_date"),
        contract_end_day=or_zero("learner.contract_end_date", v["learner.contract_end_date"]),
        has_right_to_work_end=given("learner.right_to_work_end_date"),
        right_to_work_end_day=or_zero(
            "learner.right_to_work_end_date", v["learner.right_to_work_end_date"]
        ),
        director_or_psc=v["learner.director_or_psc"],
        separate_line_manager=v["learner.separate_line_manager"],
        share_in_england=v["learner.share_of_hours_in_england"],
        in_account_paye_scheme=v["learner.in_account_paye_scheme"],
        paid_apprentice_rate=v["learner.paid_apprentice_rate"],
        student_loan_funded=v["learner.student_loan_funded"],
        duplicate_funding=v["learner.duplicate_funding"],
        on_apprenticeship=v["learner.on_apprenticeship"],
        on_other_unit=v["learner.on_other_unit"],
        adult_skills_fund_conflict=v["learner.adult_skills_fund_conflict"],
        other_dfe_funding=v["learner.other_dfe_funding"],
        sandwich_placement=v["learner.sandwich_placement"],
        prior_learning_hours=v["learner.prior_learning_hours"],
        relationship=v["employer.relationship"],
        levy_payer=v["employer.levy_payer"],
        funding=v["employer.funding"],
        has_reservation_made_on=given("employer.reservation.made_on"),
        reservation_made_month=or_zero("employer.reservation.made_on", made_on.month_index),
        reservation_start_month=reservation_start.month_index,
        reservation_start_day=reservation_start.days,
        reservation_months_to_start=cal.months_needed(reservation_start, start),
        has_transfer_approved=given("employer.transfer.approved_on"),
        transfer_approved_day=or_zero(
            "employer.transfer.approved_on", v["employer.transfer.approved_on"]
        ),
        has_transfer_accepted=given("employer.transfer.accepted_on"),
        transfer_accepted_day=or_zero("employer.transfer.accepted_on", accepted.days),
        transfer_months_to_start=or_zero(
            "employer.transfer.accepted_on", cal.months_needed(accepted, start)
        ),
        levy_balance=v["employer.levy_balance"],
        has_sender_levy_declared=given("employer.transfer.sender_levy_declared"),
        sender_levy_declared=or_zero(
            "employer.transfer.sender_levy_declared", v["employer.transfer.sender_levy_declared"]
        ),
        sender_allowance_used=v["employer.transfer.sender_allowance_used"],
        has_sender_balance=given("employer.transfer.sender_balance"),
        sender_balance=or_zero(
            "employer.transfer.sender_balance", v["employer.transfer.sender_balance"]
        ),
        ldd=v["learner.learning_difficulty_or_disability"],
        published_min_hours=v["unit.published_min_hours"] * HOURS_SCALE,
        provider_approved=v["unit.provider_approved"],
        funding_rate=v["unit.funding_rate"],
        start_day=start_days,
        start_month=start.month_index,
        planned_end_day=v["plan.planned_end_date"],
        planned_hours=v["plan.planned_hours"],
        price=v["plan.price"],
        subcontracted=v["plan.subcontracted"],
        has_plan_signed_on=given("plan.training_plan_signed_on"),
        plan_signed_day=or_zero("plan.training_plan_signed_on", v["plan.training_plan_signed_on"]),
        learner_contribution=v["plan.learner_contribution"],
        extra={
            new.path: v[new.path]
            if new.path in v
            else np.full(pop.size, new.default, dtype=bool if new.type.kind == "bool" else np.int64)
            for new in ruleset.structure.facts
        },
    )
