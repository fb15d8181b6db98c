"""The access invariants: proved on the official model, and each caught with a replayable
counterexample when the rule that protects it is weakened (e.g. letting a Transactor
invite)."""

from __future__ import annotations

import pytest

from aurules.model.access_scenario import AccessScenario
from aurules.model.ruleset import official
from aurules.properties.access_invariants import ACCESS_INVARIANTS
from aurules.properties.access_proofs import check_access
from aurules.properties.access_replay import access_violations
from tests.helpers import weaken


def test_every_access_invariant_is_proved_on_the_official_model() -> None:
    verdicts = check_access(official(), depth=4)
    assert {inv.name: "proved" for inv in ACCESS_INVARIANTS} == {
        n: v.verdict for n, v in verdicts.items()
    }


@pytest.mark.parametrize(
    ("guard", "invariant"),
    [
        ("actor_is_owner", "only_owners_change_the_team"),
        ("paye_not_in_another_account", "paye_scheme_in_one_account"),
        ("paye_not_in_use", "paye_scheme_in_one_account"),
        ("helpdesk_checks", "orphaned_account_reached_only_via_helpdesk"),
        ("authorised_by_the_employer", "no_third_party_authorises_payments"),
        ("details_approved", "funding_only_after_employer_approval"),
        ("invitee_not_provider_staff", "no_provider_staff_in_employer_account"),
        ("acts_with_own_login", "every_user_has_own_login"),
        ("account_still_has_an_owner", "orphaned_account_reached_only_via_helpdesk"),
    ],
)
def test_a_weakened_access_rule_is_caught_with_a_replayable_counterexample(
    monkeypatch: pytest.MonkeyPatch, guard: str, invariant: str
) -> None:
    weaken(monkeypatch, guard)
    verdict = check_access(official(), depth=6)[invariant]
    assert "violated" == verdict.verdict
    assert verdict.scenario is not None
    scenario = AccessScenario.from_data(verdict.scenario, "<witness>")
    assert invariant in {v.invariant for v in access_violations(scenario, official())}
    monkeypatch.undo()
    assert invariant not in {v.invariant for v in access_violations(scenario, official())}
