"""A SYNTHETIC population: made-up learners with plausible, documented distributions.

The numbers below are assumptions chosen to look like a year of apprenticeship-unit starts
and to exercise every rule; they are not statistics of real learners. Every file made here
carries a label saying so (a `#` first line in CSV, metadata in Parquet), and `aurules
impact` repeats the label in its output and chart.

Distributions (each row drawn on its own; `seed` fixes them all; the README's population
section has the same list as a table):

- plan.start_date: uniform over the ruleset's window (`valid_from` to `valid_to`).
- learner.date_of_birth: age at the start 16-18 for 15%, 19-24 for 35%, 25-64 for 50%
  (uniform within each band), birthday uniform over the year.
- plan.planned_end_date: start + 7 to 112 days for 92%, + 113 to 180 days for 8%.
- unit.published_min_hours: 30 to 140 whole hours; 2% 20 to 29.
- plan.planned_hours: published + 0 to 40 h; 3% 1 to 10 h below published.
- unit.funding_rate: £500 to £3,000 in steps of £50; plan.price: rate x 0.8 to 1.2, to £10.
- employer.levy_payer 30%; employer.funding: levy payers levy 85% / transfer 15%, others
  reservation 90% / transfer 10%; employer.levy_balance: levy payers log-normal with median
  £15,000 (10% £0), others £0.
- employer.reservation.made_on: 30% given, 0 to 90 days before the start;
  employer.reservation.start_date: 20% given, start - 60 to + 120 days.
- transfers: approved 10 to 60 days before the start, accepted 0 to 10 days later but before
  the start (3% accepted 1 to 20 days after it); sender_balance: half unlimited (empty),
  half £0 to £5,000.
- learner.employment: employee 95%, each other kind 1%; learner.contract_end_date: 15% given,
  start + 30 to 700 days; learner.share_of_hours_in_england: 1 for 95%, else 0.30 to 1;
  learner.prior_learning_hours: 10% given, 0 to 60% of planned hours.
- plan.training_plan_signed_on: 10% given, start - 10 to + 20 days;
  plan.learner_contribution: £0 for 99%, else £50 to £200.
- booleans: the chance of true is in `BOOLEANS`.
- learner.release_date, learner.right_to_work_end_date and learner.weekly_hours are not
  written (always at their defaults).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import numpy as np

from aurules.model.population.table import BY_PATH, COLUMNS, Population
from aurules.model.ruleset import Ruleset

PENCE = 100
"""Pence in a pound."""


def label_of(size: int, seed: int) -> str:
    """The label every synthetic population carries."""
    return (
        "SYNTHETIC population (made-up learners, not real data) made by `aurules "
        "population` " + json.dumps({"size": size, "seed": seed})
    )


def _chance(rng: np.random.Generator, p: float, n: int) -> Any:
    return rng.random(n) < p


def _between(rng: np.random.Generator, low: int, high: int, n: int) -> Any:
    """Whole numbers from low to high inclusive."""
    return rng.integers(low, high + 1, n, dtype=np.int64)


def generate(size: int, seed: int, ruleset: Ruleset, chunk: int = 65_536) -> Iterator[Population]:
    """`size` synthetic learners, chunk by chunk; the same for a size, seed and ruleset."""
    for index, start in enumerate(range(0, size, chunk)):
        n = min(chunk, size - start)
        rng = np.random.default_rng([seed, index])
        yield _chunk(rng, n, ruleset, first_row=start + 1)


def _chunk(rng: np.random.Generator, n: int, ruleset: Ruleset, first_row: int) -> Population:
    v: dict[str, Any] = {}
    present: dict[str, Any] = {}
    start = _between(rng, ruleset.valid_from.toordinal(), ruleset.valid_to.toordinal(), n)
    v["plan.start_date"] = start
    band = rng.random(n)
    age = np.where(
        band < 0.15,
        _between(rng, 16, 18, n),
        np.where(band < 0.50, _between(rng, 19, 24, n), _between(rng, 25, 64, n)),
    )
    v["learner.date_of_birth"] = start - age * 36525 // 100 - _between(rng, 0, 364, n)
    long = _chance(rng, 0.08, n)
    v["plan.planned_end_date"] = start + np.where(
        long, _between(rng, 113, 180, n), _between(rng, 7, 112, n)
    )
    published = np.where(_chance(rng, 0.02, n), _between(rng, 20, 29, n), _between(rng, 30, 140, n))
    v["unit.published_min_hours"] = published
    extra = _between(rng, 0, 4000, n)
    v["plan.planned_hours"] = np.maximum(
        published * 100 + np.where(_chance(rng, 0.03, n), -_between(rng, 100, 1000, n), extra), 0
    )
    rate = _between(rng, 10, 60, n) * 50 * PENCE
    v["unit.funding_rate"] = rate
    v["plan.price"] = np.rint(rate * rng.uniform(0.8, 1.2, n) / 1000).astype(np.int64) * 1000
    levy = _chance(rng, 0.30, n)
    v["employer.levy_payer"] = levy
    funding = BY_PATH["employer.funding"].codes
    transfer = np.where(levy, _chance(rng, 0.15, n), _chance(rng, 0.10, n))
    v["employer.funding"] = np.where(
        transfer,
        funding.index("transfer"),
        np.where(levy, funding.index("levy"), funding.index("reservation")),
    )
    balance = np.rint(rng.lognormal(np.log(15_000), 1.0, n) * PENCE).astype(np.int64)
    v["employer.levy_balance"] = np.where(levy & ~_chance(rng, 0.10, n), balance, 0)
    _maybe(
        v,
        present,
        "employer.reservation.made_on",
        _chance(rng, 0.30, n),
        start - _between(rng, 0, 90, n),
    )
    _maybe(
        v,
        present,
        "employer.reservation.start_date",
        _chance(rng, 0.20, n),
        start + _between(rng, -60, 120, n),
    )
    approved = start - _between(rng, 10, 60, n)
    accepted = np.where(
        _chance(rng, 0.03, n),
        start + _between(rng, 1, 20, n),
        np.minimum(approved + _between(rng, 0, 10, n), start - 1),
    )
    _maybe(v, present, "employer.transfer.approved_on", transfer, approved)
    _maybe(v, present, "employer.transfer.accepted_on", transfer, accepted)
    _maybe(
        v,
        present,
        "employer.transfer.sender_balance",
        transfer & _chance(rng, 0.5, n),
        _between(rng, 0, 5000, n) * PENCE,
    )
    kinds = BY_PATH["learner.employment"].codes
    other = _chance(rng, 0.05, n)
    v["learner.employment"] = np.where(other, _between(rng, 1, len(kinds) - 1, n), 0)
    _maybe(
        v,
        present,
        "learner.contract_end_date",
        _chance(rng, 0.15, n),
        start + _between(rng, 30, 700, n),
    )
    v["learner.share_of_hours_in_england"] = np.where(
        _chance(rng, 0.95, n), 1_000_000, _between(rng, 300_000, 1_000_000, n)
    )
    v["learner.prior_learning_hours"] = np.where(
        _chance(rng, 0.10, n), v["plan.planned_hours"] * _between(rng, 0, 60, n) // 100, 0
    )
    _maybe(
        v,
        present,
        "plan.training_plan_signed_on",
        _chance(rng, 0.10, n),
        start + _between(rng, -10, 20, n),
    )
    v["plan.learner_contribution"] = np.where(
        _chance(rng, 0.01, n), _between(rng, 50, 200, n) * PENCE, 0
    )
    for path, p in BOOLEANS.items():
        v[path] = _chance(rng, p, n)
    for column in COLUMNS:  # the rest at their defaults
        if column.path not in v:
            v[column.path] = np.full(
                n, column.default, dtype=bool if column.kind == "bool" else np.int64
            )
        if column.nullable and column.path not in present:
            present[column.path] = np.zeros(n, dtype=bool)
    return Population(
        values=v, present=present, rows=np.arange(first_row, first_row + n, dtype=np.int64)
    )


def _maybe(v: dict[str, Any], present: dict[str, Any], path: str, given: Any, values: Any) -> None:
    v[path] = np.where(given, values, 0)
    present[path] = np.asarray(given, dtype=bool)


BOOLEANS = {
    "learner.residency_eligible": 0.98,
    "learner.director_or_psc": 0.02,
    "learner.separate_line_manager": 0.97,
    "learner.in_account_paye_scheme": 0.98,
    "learner.paid_apprentice_rate": 0.03,
    "learner.student_loan_funded": 0.01,
    "learner.duplicate_funding": 0.01,
    "learner.on_apprenticeship": 0.02,
    "learner.on_other_unit": 0.02,
    "learner.adult_skills_fund_conflict": 0.01,
    "learner.other_dfe_funding": 0.01,
    "learner.sandwich_placement": 0.01,
    "learner.learning_difficulty_or_disability": 0.12,
    "unit.provider_approved": 0.99,
    "plan.subcontracted": 0.05,
}

WRITTEN: tuple[str, ...] = tuple(
    c.path
    for c in COLUMNS
    if c.path
    not in ("learner.release_date", "learner.right_to_work_end_date", "learner.weekly_hours")
)
"""Columns a synthetic file holds (the others are always at their defaults)."""
