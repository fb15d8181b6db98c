"""Boundary tests for delivery hours: the published minimum between 30 and 140 hours (46)
and planned hours at least the published minimum (48.1).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.helpers import failed, proposal

# 46: the published minimum is between 30 and 140 delivery hours. Planned hours equal the
# published minimum so that 48.1 holds.


@pytest.mark.parametrize(
    ("published", "expected"),
    [
        (1, ["46"]),
        (29, ["46"]),
        (30, []),
        (31, []),
        (60, []),
        (139, []),
        (140, []),
        (141, ["46", "129"]),
        (200, ["46", "129"]),
    ],
)
def test_published_minimum_between_30_and_140_hours_is_fundable(
    published: int, expected: list[str]
) -> None:
    """Planned hours cover the published minimum (48.1), and are at least 30 (129)."""
    planned = max(published, 30)
    assert expected == failed(
        {"unit.published_min_hours": published, "plan.planned_hours": planned}
    )


def test_published_minimum_out_of_range_fails_46_even_with_more_planned_hours() -> None:
    assert ["46"] == failed({"unit.published_min_hours": 29, "plan.planned_hours": 60})


# 48.1: planned hours at least equal to, but can be more than, the published minimum


@pytest.mark.parametrize(
    ("planned", "expected"),
    [
        (1, ["48.1", "129"]),
        (30, ["48.1"]),
        (59, ["48.1"]),
        (59.99, ["48.1"]),
        (60, []),
        (60.01, []),
        (61, []),
        (140, []),
    ],
)
def test_planned_hours_at_least_the_published_minimum(planned: float, expected: list[str]) -> None:
    assert expected == failed({"plan.planned_hours": planned})


@pytest.mark.parametrize(
    ("published", "planned", "expected"),
    [
        (30, 29.99, ["48.1", "129"]),
        (30, 30, []),
        (140, 139.99, ["48.1"]),
        (140, 140, []),
        (29, 28, ["46", "48.1", "129"]),
        (141, 140, ["46", "48.1"]),
    ],
)
def test_planned_hours_against_published_minimum_at_the_range_ends(
    published: int, planned: float, expected: list[str]
) -> None:
    assert expected == failed(
        {"unit.published_min_hours": published, "plan.planned_hours": planned}
    )


# Proposals move the boundaries


def test_min_published_hours_proposal_moves_the_lower_boundary(tmp_path: Path) -> None:
    rules = proposal(tmp_path, "[hours]\nmin_published_hours = 20\n")
    assert ["46"] == failed({"unit.published_min_hours": 29})
    assert [] == failed({"unit.published_min_hours": 29}, rules)
    assert [] == failed({"unit.published_min_hours": 20}, rules)
    assert ["46"] == failed({"unit.published_min_hours": 19}, rules)


def test_max_published_hours_proposal_moves_the_upper_boundary(tmp_path: Path) -> None:
    rules = proposal(
        tmp_path, "[hours]\nmax_published_hours = 150\n[duration]\nmax_planned_hours = 160\n"
    )
    changes = {"unit.published_min_hours": 141, "plan.planned_hours": 141}
    assert ["46", "129"] == failed(changes)
    assert [] == failed(changes, rules)
    assert [] == failed({"unit.published_min_hours": 150, "plan.planned_hours": 150}, rules)
    assert ["46"] == failed({"unit.published_min_hours": 151, "plan.planned_hours": 151}, rules)


# 129: the planned delivery hours lie between 30 and 140


@pytest.mark.parametrize(
    ("planned", "expected"),
    [
        (29.99, ["48.1", "129"]),  # below the published minimum too
        (30, []),
        (140, []),
        (140.01, ["129"]),
        (200, ["129"]),
    ],
)
def test_planned_hours_between_30_and_140(planned: float, expected: list[str]) -> None:
    assert expected == failed({"unit.published_min_hours": 30, "plan.planned_hours": planned})


def test_a_proposal_moves_the_planned_hours_range(tmp_path: Path) -> None:
    wider = proposal(tmp_path, "[duration]\nmax_planned_hours = 160\n")
    assert [] == failed({"plan.planned_hours": 160}, wider)
    assert ["129"] == failed({"plan.planned_hours": 160.01}, wider)
