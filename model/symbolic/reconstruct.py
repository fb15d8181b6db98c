"""From facts back to a scenario: the inverse of `model.facts.derive`, for witnesses that Z3
finds over start-of-unit facts (diffs, and later fixtures).

Each free fact is written into the minimal scenario's fields; derived facts that are not free
stay at the minimal scenario's values. Z3 treats facts as independent, so a witness is only
trusted after `derive` of the rebuilt scenario gives back the facts that mattered (callers
re-evaluate the scenario concretely).
"""

from __future__ import annotations

import copy
import datetime as dt
from typing import Any

from aurules.model.calendar import anniversary
from aurules.model.facts import EMPLOYMENT, FUNDING, RELATIONSHIP
from aurules.model.money import SHARE_WHOLE, format_pence
from aurules.model.scenario import MINIMAL

BOOLEAN_FIELDS = {
    "residency_eligible": "learner.residency_eligible",
    "director_or_psc": "learner.director_or_psc",
    "separate_line_manager": "learner.separate_line_manager",
    "in_account_paye_scheme": "learner.in_account_paye_scheme",
    "paid_apprentice_rate": "learner.paid_apprentice_rate",
    "student_loan_funded": "learner.student_loan_funded",
    "duplicate_funding": "learner.duplicate_funding",
    "on_apprenticeship": "learner.on_apprenticeship",
    "on_other_unit": "learner.on_other_unit",
    "adult_skills_fund_conflict": "learner.adult_skills_fund_conflict",
    "other_dfe_funding": "learner.other_dfe_funding",
    "sandwich_placement": "learner.sandwich_placement",
    "ldd": "learner.learning_difficulty_or_disability",
    "levy_payer": "employer.levy_payer",
    "provider_approved": "unit.provider_approved",
    "subcontracted": "plan.subcontracted",
}
FREE = (
    *BOOLEAN_FIELDS,
    "age_years",
    "employment",
    "relationship",
    "funding",
    "has_release_date",
    "release_years_after_start",
    "has_contract_end",
    "contract_end_day",
    "has_right_to_work_end",
    "right_to_work_end_day",
    "share_in_england",
    "prior_learning_hours",
    "planned_hours",
    "published_min_hours",
    "price",
    "funding_rate",
    "learner_contribution",
    "levy_balance",
    "has_sender_levy_declared",
    "sender_levy_declared",
    "sender_allowance_used",
    "planned_end_day",
    "start_day",
    "reservation_start_day",
    "has_reservation_made_on",
    "reservation_made_month",
    "has_transfer_approved",
    "transfer_approved_day",
    "has_transfer_accepted",
    "transfer_accepted_day",
)
"""Facts a witness may change; derived calendar facts (month indices, whole months between
dates) follow their dates, and the rest keep the minimal scenario's values."""


def _set(data: dict[str, Any], path: str, value: Any) -> None:
    *parents, last = path.split(".")
    node = data
    for key in parents:
        node = node.setdefault(key, {})
    node[last] = value


def _date(day: int) -> str:
    return dt.date.fromordinal(day).isoformat()


def _hours(centi: int) -> int | float:
    return centi // 100 if centi % 100 == 0 else centi / 100


def scenario_data(values: dict[str, Any]) -> dict[str, Any]:
    """Scenario data for the minimal scenario with these fact values (by fact field name)."""
    data = copy.deepcopy(MINIMAL)
    start = dt.date.fromisoformat(data["plan"]["start_date"])
    if "start_day" in values:
        start = dt.date.fromordinal(values["start_day"])
        _set(data, "plan.start_date", start.isoformat())
    for name, path in BOOLEAN_FIELDS.items():
        if name in values:
            _set(data, path, bool(values[name]))
    if "age_years" in values:
        _set(data, "learner.date_of_birth", anniversary(start, -values["age_years"]).isoformat())
    for name, path, codes in (
        ("employment", "learner.employment", EMPLOYMENT),
        ("relationship", "employer.relationship", RELATIONSHIP),
        ("funding", "employer.funding", FUNDING),
    ):
        if name in values:
            _set(data, path, codes.name(values[name]))
    if values.get("has_release_date"):
        years = values.get("release_years_after_start", 0)
        _set(data, "learner.release_date", anniversary(start, years).isoformat())
    for flag, day, path in (
        ("has_contract_end", "contract_end_day", "learner.contract_end_date"),
        ("has_right_to_work_end", "right_to_work_end_day", "learner.right_to_work_end_date"),
    ):
        if values.get(flag):
            _set(data, path, _date(values[day]))
    if "share_in_england" in values:
        share = values["share_in_england"] / SHARE_WHOLE
        _set(data, "learner.share_of_hours_in_england", share)
    for name, path in (
        ("prior_learning_hours", "learner.prior_learning_hours"),
        ("planned_hours", "plan.planned_hours"),
    ):
        if name in values:
            _set(data, path, _hours(values[name]))
    if "published_min_hours" in values:
        _set(data, "unit.published_min_hours", values["published_min_hours"] // 100)
    for name, path in (
        ("price", "plan.price"),
        ("funding_rate", "unit.funding_rate"),
        ("learner_contribution", "plan.learner_contribution"),
        ("levy_balance", "employer.levy_balance"),
    ):
        if name in values:
            _set(data, path, format_pence(values[name]))
    if values.get("has_sender_levy_declared"):
        declared = format_pence(values.get("sender_levy_declared", 0))
        _set(data, "employer.transfer.sender_levy_declared", declared)
    if "sender_allowance_used" in values:
        used = format_pence(values["sender_allowance_used"])
        _set(data, "employer.transfer.sender_allowance_used", used)
    if "planned_end_day" in values:
        _set(data, "plan.planned_end_date", _date(values["planned_end_day"]))
    if "reservation_start_day" in values:
        _set(data, "employer.reservation.start_date", _date(values["reservation_start_day"]))
    if values.get("has_reservation_made_on"):
        year, month0 = divmod(values["reservation_made_month"], 12)
        _set(data, "employer.reservation.made_on", dt.date(year, month0 + 1, 1).isoformat())
    for flag, day, path in (
        ("has_transfer_approved", "transfer_approved_day", "employer.transfer.approved_on"),
        ("has_transfer_accepted", "transfer_accepted_day", "employer.transfer.accepted_on"),
    ):
        if values.get(flag):
            _set(data, path, _date(values[day]))
    return data
