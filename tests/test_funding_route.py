"""Boundary tests for the funding route (71) and learner contributions (96)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.helpers import failed, outcome, proposal

TRANSFER_IN_PLACE = {
    "employer.funding": "transfer",
    "employer.transfer.approved_on": "2026-04-01",
    "employer.transfer.accepted_on": "2026-04-15",
}


# 71: levy funds only for a levy payer; a non-levy employer reserves funds or receives a
# transfer


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({"employer.levy_payer": False, "employer.funding": "levy"}, ["71"]),
        ({"employer.levy_payer": True, "employer.funding": "levy"}, []),
        (
            {
                "employer.levy_payer": True,
                "employer.funding": "levy",
                "employer.levy_balance": "100000.00",
            },
            [],
        ),
        ({"employer.levy_payer": False, "employer.funding": "reservation"}, []),
        ({"employer.levy_payer": False, **TRANSFER_IN_PLACE}, []),
        ({"employer.levy_payer": True, **TRANSFER_IN_PLACE}, []),  # levy payers may receive
    ],
    ids=[
        "non_levy_levy",
        "levy_levy_no_balance",
        "levy_levy_balance",
        "non_levy_reservation",
        "non_levy_transfer",
        "levy_transfer",
    ],
)
def test_funding_route_must_be_available_to_the_employer(
    changes: dict[str, Any], expected: list[str]
) -> None:
    assert expected == failed(changes)


def test_non_levy_employer_using_levy_funds_with_a_balance_still_fails_71() -> None:
    assert ["71"] == failed({"employer.funding": "levy", "employer.levy_balance": "5000.00"})


# 96: the learner must not be asked to contribute


@pytest.mark.parametrize(
    ("contribution", "expected_failed", "expected_learner_total"),
    [
        ("0.00", [], "0.00"),
        ("0", [], "0.00"),
        ("0.01", ["96"], "0.01"),
        ("1500.00", ["96"], "1500.00"),
    ],
)
def test_learner_contribution_above_zero_is_a_breach(
    contribution: str, expected_failed: list[str], expected_learner_total: str
) -> None:
    result = outcome({"plan.learner_contribution": contribution})
    assert expected_failed == result["failed_paragraphs"]
    assert expected_learner_total == result["totals"]["learner"]


def test_learner_contribution_is_a_breach_for_a_levy_payer_too() -> None:
    changes = {
        "employer.levy_payer": True,
        "employer.funding": "levy",
        "plan.learner_contribution": "0.01",
    }
    assert ["96"] == failed(changes)


def test_both_funding_route_and_learner_contribution_failures_are_reported() -> None:
    assert ["71", "96"] == failed(
        {"employer.funding": "levy", "plan.learner_contribution": "10.00"}
    )


# Proposals. Paragraphs 71 and 96 have no numeric parameter; a proposal changing the
# funding parameters (co-investment share, learning support) must not move them.


def test_funding_parameters_proposal_does_not_move_71_or_96(tmp_path: Path) -> None:
    rules = proposal(
        tmp_path,
        '[funding]\ngovernment_coinvestment_share = "0.90"\nlearning_support_amount = "200.00"\n',
    )
    assert ["71"] == failed({"employer.funding": "levy"}, rules)
    assert [] == failed({"employer.levy_payer": True, "employer.funding": "levy"}, rules)
    assert ["96"] == failed({"plan.learner_contribution": "0.01"}, rules)
    assert [] == failed({"plan.learner_contribution": "0.00"}, rules)
