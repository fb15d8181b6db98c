"""Boundary tests for programme rules: when the rules apply (3), approved provider and unit
(10-12, 25), planned duration (39, 129) and no subcontracting (50, 124).
"""

from __future__ import annotations

from pathlib import Path

import pytest

import aurules
from tests.helpers import data, failed, proposal

# 3: the rules apply to starts from 28 April 2026; a start after the ruleset's last day (31 July
# 2026) is covered by no ruleset: bad input at the command line and the API, not a failure of 3


@pytest.mark.parametrize(
    ("start_date", "planned_end_date", "expected"),
    [
        ("2026-04-27", "2026-07-27", ["3"]),
        ("2026-04-28", "2026-07-27", []),
        ("2026-04-29", "2026-07-27", []),
        ("2026-07-30", "2026-08-28", []),
        ("2026-07-31", "2026-08-28", []),
        ("2025-12-01", "2026-01-05", ["3"]),
    ],
)
def test_units_starting_from_28_april_2026_are_funded_under_these_rules(
    start_date: str, planned_end_date: str, expected: list[str]
) -> None:
    assert expected == failed(
        {"plan.start_date": start_date, "plan.planned_end_date": planned_end_date}
    )


# 10, 25: an approved provider on an approved unit


def test_unapproved_provider_or_unit_fails_10_and_25() -> None:
    assert ["10", "25"] == failed({"unit.provider_approved": False})


def test_approved_provider_and_unit_passes() -> None:
    assert [] == failed({"unit.provider_approved": True})


# 39, 129: planned duration between one and sixteen weeks (official: end - start in days,
# 7 <= d <= 112). BASE starts on 2026-05-04.


@pytest.mark.parametrize(
    ("planned_end_date", "days", "expected"),
    [
        ("2026-05-04", 0, ["39", "129"]),
        ("2026-05-10", 6, ["39", "129"]),
        ("2026-05-11", 7, []),
        ("2026-05-12", 8, []),
        ("2026-08-23", 111, []),
        ("2026-08-24", 112, []),
        ("2026-08-25", 113, ["39", "129"]),
        ("2026-05-03", -1, ["39", "129"]),  # end before start
        ("2026-04-01", -33, ["39", "129"]),
    ],
)
def test_planned_duration_between_one_and_sixteen_weeks(
    planned_end_date: str, days: int, expected: list[str]
) -> None:
    assert expected == failed({"plan.planned_end_date": planned_end_date})


@pytest.mark.parametrize(
    ("planned_end_date", "expected"),
    [
        ("2026-05-09", ["39", "129"]),  # end - start = 5: 6 days counting both ends
        ("2026-05-10", []),  # end - start = 6: 7 days counting both ends
        ("2026-08-23", []),  # end - start = 111: 112 counting both ends
        ("2026-08-24", ["39", "129"]),  # end - start = 112: 113 counting both ends
        ("2026-05-03", ["39", "129"]),
    ],
)
def test_inclusive_duration_interpretation_counts_both_ends(
    tmp_path: Path, planned_end_date: str, expected: list[str]
) -> None:
    rules = proposal(tmp_path, '[interpretations]\nduration_days = "inclusive"\n')
    assert expected == failed({"plan.planned_end_date": planned_end_date}, rules)


def test_duration_limit_applies_across_month_and_rules_window_ends() -> None:
    # a start on the last valid day with the longest planned duration
    assert [] == failed({"plan.start_date": "2026-07-31", "plan.planned_end_date": "2026-11-20"})
    assert ["39", "129"] == failed(
        {"plan.start_date": "2026-07-31", "plan.planned_end_date": "2026-11-21"}
    )


# 50, 124: no subcontracting


def test_subcontracted_delivery_fails_50_and_124() -> None:
    assert ["50", "124"] == failed({"plan.subcontracted": True})


def test_delivery_by_the_provider_itself_passes() -> None:
    assert [] == failed({"plan.subcontracted": False})


# Proposals move the boundaries


def test_max_planned_days_proposal_moves_the_upper_boundary(tmp_path: Path) -> None:
    rules = proposal(tmp_path, "[duration]\nmax_planned_days = 140\n")
    assert ["39", "129"] == failed({"plan.planned_end_date": "2026-08-25"})
    assert [] == failed({"plan.planned_end_date": "2026-08-25"}, rules)
    assert [] == failed({"plan.planned_end_date": "2026-09-21"}, rules)  # 140 days
    assert ["39", "129"] == failed({"plan.planned_end_date": "2026-09-22"}, rules)


def test_min_planned_days_proposal_moves_the_lower_boundary(tmp_path: Path) -> None:
    rules = proposal(tmp_path, "[duration]\nmin_planned_days = 14\n")
    assert [] == failed({"plan.planned_end_date": "2026-05-11"})
    assert ["39", "129"] == failed({"plan.planned_end_date": "2026-05-17"}, rules)  # 13 days
    assert [] == failed({"plan.planned_end_date": "2026-05-18"}, rules)  # 14 days


def test_valid_from_proposal_moves_the_first_start_date(tmp_path: Path) -> None:
    rules = proposal(tmp_path, 'valid_from = "2026-04-20"\n')
    assert [] == failed({"plan.start_date": "2026-04-27"}, rules)
    assert [] == failed({"plan.start_date": "2026-04-20"}, rules)
    assert ["3"] == failed({"plan.start_date": "2026-04-19"}, rules)


def test_a_start_after_the_last_day_is_not_a_failure_of_3() -> None:
    assert [] == failed({"plan.start_date": "2026-08-01", "plan.planned_end_date": "2026-08-28"})


def test_a_start_after_the_last_day_is_bad_input_naming_the_rulesets_known() -> None:
    late = data({"plan.start_date": "2026-08-01", "plan.planned_end_date": "2026-08-28"})
    with pytest.raises(aurules.BadInput) as caught:
        aurules.evaluate(late)
    assert (
        "<scenario>: plan.start_date: 2026-08-01 is after the last day of ruleset 2026-04 "
        "(2026-07-31): no ruleset known covers it (known: 2026-04 from 2026-04-28 to "
        "2026-07-31)"
    ) == str(caught.value)
    with pytest.raises(aurules.BadInput):
        aurules.explain(late)
    on_the_last_day = data({"plan.start_date": "2026-07-31", "plan.planned_end_date": "2026-08-28"})
    assert aurules.evaluate(on_the_last_day)["eligible"]


def test_a_later_last_day_in_a_proposal_covers_the_start(tmp_path: Path) -> None:
    longer = proposal(tmp_path, 'valid_to = "2026-08-31"\n')
    late = data({"plan.start_date": "2026-08-01", "plan.planned_end_date": "2026-08-28"})
    assert aurules.evaluate(late, longer)["eligible"]
