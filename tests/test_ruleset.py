"""The official ruleset: its values are the rules' own, it covers its dates, and its hash is
stable."""

from __future__ import annotations

from pathlib import Path

from aurules.model.coverage import coverage_problems
from aurules.model.money import Money, Rate
from aurules.model.parameters import declared
from aurules.model.ruleset import OFFICIAL_ID, load_ruleset, official, packaged_ids


def test_official_ruleset_has_the_values_of_the_rules() -> None:
    r = official()
    assert "2026-04" == r.id == OFFICIAL_ID
    assert (19, Rate(1, 2), Rate(1, 2), 2) == (
        r.eligibility.min_age,
        r.eligibility.min_share_of_hours_in_england,
        r.eligibility.max_prior_learning_share,
        r.eligibility.closed_estate_release_within_years,
    )
    assert (7, 112, 8, 8) == (
        r.duration.min_planned_days,
        r.duration.max_planned_days,
        r.duration.max_extension_weeks,
        r.duration.withdraw_after_weeks,
    )
    assert (30, 140, Rate(1, 5)) == (
        r.hours.min_published_hours,
        r.hours.max_published_hours,
        r.hours.max_recorded_share,
    )
    assert (Rate(3, 10), Rate(3, 10), Rate(7, 10), Rate(1, 1)) == (
        r.milestones.milestone_1_share,
        r.milestones.milestone_1_hours_share,
        r.milestones.milestone_2_share,
        r.milestones.milestone_2_hours_share,
    )
    assert (Rate(19, 20), Money(15000)) == (
        r.funding.government_coinvestment_share,
        r.funding.learning_support_amount,
    )
    assert 3 == r.reservations.expiry_months
    assert (6, 3, Rate(1, 2)) == (
        r.transfers.accept_within_weeks,
        r.transfers.use_within_months,
        r.transfers.allowance_share,
    )
    assert (10, 20) == (r.parental_leave.kit_days, r.parental_leave.split_days)
    assert "2026-04-28" == r.valid_from.isoformat()
    assert "2026-07-31" == r.valid_to.isoformat()


def test_every_declared_parameter_is_in_the_official_ruleset() -> None:
    values = official().parameters()
    missing = [
        info.key
        for info in declared()
        if info.key.split(".")[1] not in values[info.key.split(".")[0]]
    ]
    assert [] == missing


def test_each_start_date_has_exactly_one_official_ruleset() -> None:
    assert [] == coverage_problems()
    assert ["2026-04"] == packaged_ids()


def test_a_proposal_changes_only_what_it_lists_and_the_hash(tmp_path: Path) -> None:
    proposal = tmp_path / "p.toml"
    proposal.write_text('extends = "2026-04"\nid = "p"\n[eligibility]\nmin_age = 18\n')
    changed = load_ruleset(str(proposal))
    assert 18 == changed.eligibility.min_age
    assert official().duration == changed.duration
    assert official().title == changed.title
    assert official().hash != changed.hash
    assert "p" == changed.id


def test_hash_depends_on_parameters_not_on_id_or_title(tmp_path: Path) -> None:
    proposal = tmp_path / "same.toml"
    proposal.write_text('extends = "2026-04"\nid = "renamed"\ntitle = "Same numbers"\n')
    assert official().hash == load_ruleset(str(proposal)).hash
