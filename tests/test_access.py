"""The employer account access model (funding rules 76 to 81 and the access guide).

Ids: `access-0` is the guide's opening principle (each user has their own unique login),
`access-1` to `access-3` its Scenarios 1, 2 and 3. The tests cover:

(a) every example trace in examples/access/ evaluates to its sibling `.outcome.json`;
(b) each guard of model/access.py, allowed and denied, with the exact paragraphs reported;
(c) bad access traces through the command line (exit 2, one line on stderr, no traceback);
(d) `aurules explain` on an example;
(e) no access invariant is broken on any example trace.
"""

from __future__ import annotations

import copy
import json
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from aurules.model.access_scenario import AccessScenario, access_outcome
from aurules.model.ruleset import official
from aurules.properties.access_replay import access_violations

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples" / "access"
TRACES = sorted(p for p in EXAMPLES.glob("*.json") if not p.name.endswith(".outcome.json"))

ACME, ACME_2, BETA = "123/AB456", "789/EF012", "456/CD789"
"""Acme Ltd's scheme (attached to `acme`), a second Acme Ltd scheme (attached nowhere) and
Beta Ltd's scheme (attached nowhere unless a test says so)."""

BASE: dict[str, Any] = {
    "kind": "access",
    "people": [
        {"name": "Ann"},
        {"name": "Tom"},
        {"name": "Vic"},
        {"name": "Cat"},
        {"name": "Pat", "kind": "provider_staff"},
    ],
    "paye_schemes": [
        {"ref": ACME, "employer": "Acme Ltd"},
        {"ref": ACME_2, "employer": "Acme Ltd"},
        {"ref": BETA, "employer": "Beta Ltd"},
    ],
    "accounts": [
        {
            "id": "acme",
            "paye": [ACME],
            "team": {"Ann": "owner", "Tom": "transactor", "Vic": "viewer"},
        }
    ],
}
"""Acme's account: Ann owner, Tom transactor, Vic viewer; Cat is Acme staff without a role;
Pat works for a training provider."""

NO_ACCOUNT = ("leave_organisation", "helpdesk_request")

# Paragraphs reported when each action is allowed (every guard's paragraphs).
CREATE_OK = ["76", "78.2.1", "79", "access-0", "access-3"]
ADD_PAYE_OK = ["76", "76.1", "78.2.2", "access-0"]
REMOVE_PAYE_OK = ["78.1", "78.2.2", "access-0"]
INVITE_OK = ["78.2", "78.2.1", "78.2.2", "79", "access-0"]
ACCEPT_OK = ["78.2.2", "access-0", "access-2"]
CHANGE_ROLE_OK = ["78.2", "78.2.2", "78.2.3", "access-0"]
REMOVE_USER_OK = ["78.2.2", "78.2.3", "access-0"]
LOG_IN_OK = ["access-0", "access-1"]
HELPDESK_OK = ["78.2.1", "access-0", "access-2", "access-3"]
OWNER_ONLY_OK = ["78.2.2", "access-0"]


def act(type_: str, actor: str, on: str = "2026-05-01", **fields: Any) -> dict[str, Any]:
    """One attempted action; the account is `acme` unless given (none for leaving and the
    helpdesk, which finds the account by its PAYE reference)."""
    action = {"date": on, "type": type_, "actor": actor, **fields}
    if type_ not in NO_ACCOUNT:
        action.setdefault("account", "acme")
    return action


def outcome(*actions: dict[str, Any], **changes: Any) -> dict[str, Any]:
    """The outcome of BASE (top-level keys replaced by `changes`) with these actions."""
    data = {**copy.deepcopy(BASE), **changes, "actions": list(actions)}
    return access_outcome(AccessScenario.from_data(data, "<test>"), official())


def verdict(*actions: dict[str, Any], **changes: Any) -> tuple[bool, list[str]]:
    """Whether the last action was allowed, and the paragraphs that decided it."""
    last = outcome(*actions, **changes)["actions"][-1]
    return last["allowed"], last["paragraphs"]


def team(*actions: dict[str, Any], account: str = "acme", **changes: Any) -> dict[str, str]:
    """An account's team at the end."""
    accounts = {a["id"]: a for a in outcome(*actions, **changes)["accounts"]}
    result: dict[str, str] = accounts[account]["team"]
    return result


def people(*extra: dict[str, Any], drop: str = "") -> list[dict[str, Any]]:
    """BASE's people without `drop`, with `extra` replacing the one of the same name or
    appended (the model has 5 slots for people)."""
    by_name = {p["name"]: p for p in BASE["people"] if p["name"] != drop}
    by_name.update({p["name"]: p for p in extra})
    return list(by_name.values())


def acme(**changes: Any) -> dict[str, Any]:
    """BASE's account `acme` with some fields replaced."""
    return {**copy.deepcopy(BASE["accounts"][0]), **changes}


ANN_LEAVES = act("leave_organisation", "Ann")


# --- (a) every example evaluates to its recorded outcome --------------------------------------


def test_there_are_five_to_seven_examples_each_with_an_outcome() -> None:
    assert 5 <= len(TRACES) <= 7
    for trace in TRACES:
        assert trace.with_suffix(".outcome.json").is_file(), trace.name


@pytest.mark.parametrize("trace", TRACES, ids=lambda p: p.stem)
def test_example_evaluates_to_its_outcome(trace: Path) -> None:
    scenario = AccessScenario.from_data(json.loads(trace.read_text("utf-8")), str(trace))
    expected = json.loads(trace.with_suffix(".outcome.json").read_text("utf-8"))
    assert expected == access_outcome(scenario, official(), str(trace))


# --- (b) access-0 and access-1: own login, signing in ------------------------------------------


def test_member_with_own_login_signs_in() -> None:
    assert (True, LOG_IN_OK) == verdict(act("log_in", "Vic"))


def test_non_member_cannot_sign_in() -> None:
    assert (False, ["access-1"]) == verdict(act("log_in", "Cat"))


def test_sign_in_to_an_account_that_was_never_created() -> None:
    assert (False, ["access-1"]) == verdict(
        act("create_account", "Pat", account="beta", paye=BETA),
        act("log_in", "Pat", account="beta"),
    )


def test_someone_using_another_persons_login_is_refused() -> None:
    """Eve has no login of her own (she would be using Ann's): access-0."""
    assert (False, ["access-0", "access-1"]) == verdict(
        act("log_in", "Eve"), people=people({"name": "Eve", "own_login": False}, drop="Pat")
    )


def test_invitation_gives_someone_without_a_login_their_own_login() -> None:
    assert (True, ACCEPT_OK) == verdict(
        act("invite", "Ann", person="Eve", role="viewer"),
        act("accept_invitation", "Eve", on="2026-05-02"),
        people=people({"name": "Eve", "own_login": False}, drop="Pat"),
    )


# --- (b) invitations (78.2.1, 78.2.2, access-2) ----------------------------------------------

INVITE_CAT = act("invite", "Ann", person="Cat", role="transactor")


@pytest.mark.parametrize(
    ("on", "expected"),
    [
        pytest.param("2026-05-01", (True, ACCEPT_OK), id="same-day"),
        pytest.param("2026-05-09", (True, ACCEPT_OK), id="day-8"),
        pytest.param("2026-05-10", (False, ["78.2.2"]), id="day-9-expired"),
        pytest.param("2026-06-30", (False, ["78.2.2"]), id="weeks-later"),
    ],
)
def test_invitation_expires_after_8_days(on: str, expected: tuple[bool, list[str]]) -> None:
    assert expected == verdict(INVITE_CAT, act("accept_invitation", "Cat", on=on))


def test_accepting_gives_the_role_offered() -> None:
    assert {"Ann": "owner", "Tom": "transactor", "Vic": "viewer", "Cat": "transactor"} == team(
        INVITE_CAT, act("accept_invitation", "Cat", on="2026-05-02")
    )


def test_expired_invitation_can_be_sent_again() -> None:
    assert (True, ACCEPT_OK) == verdict(
        INVITE_CAT,
        act("accept_invitation", "Cat", on="2026-05-10"),
        act("invite", "Ann", on="2026-05-10", person="Cat", role="viewer"),
        act("accept_invitation", "Cat", on="2026-05-11"),
    )


def test_no_invitation_no_way_in() -> None:
    assert (False, ["78.2.2"]) == verdict(act("accept_invitation", "Cat"))


def test_an_invitation_is_taken_up_only_by_the_person_invited() -> None:
    assert (False, ["78.2.2"]) == verdict(INVITE_CAT, act("accept_invitation", "Vic"))


def test_owner_invites() -> None:
    assert (True, INVITE_OK) == verdict(INVITE_CAT)


@pytest.mark.parametrize("actor", ["Tom", "Vic", "Cat"], ids=["transactor", "viewer", "non-member"])
def test_only_an_owner_invites(actor: str) -> None:
    assert (False, ["78.2.2"]) == verdict(act("invite", actor, person="Cat", role="viewer"))


def test_owner_of_another_account_cannot_invite_into_this_one() -> None:
    accounts = [acme(), {"id": "beta", "paye": [BETA], "team": {"Cat": "owner"}}]
    assert (False, ["78.2.2"]) == verdict(
        act("invite", "Cat", person="Cat", role="owner"), accounts=accounts
    )


def test_provider_staff_cannot_be_invited() -> None:
    assert (False, ["78.2.1", "79"]) == verdict(act("invite", "Ann", person="Pat", role="viewer"))


def test_provider_staff_cannot_take_up_an_invitation_never_sent() -> None:
    assert (False, ["78.2.2"]) == verdict(
        act("invite", "Ann", person="Pat", role="owner"), act("accept_invitation", "Pat")
    )


def test_employer_provider_staff_can_be_invited() -> None:
    """79: providers stay out "unless operating as an employer-provider"."""
    assert (True, ACCEPT_OK) == verdict(
        act("invite", "Ann", person="Cat", role="transactor"),
        act("accept_invitation", "Cat"),
        people=people({"name": "Cat", "kind": "employer_provider_staff"}),
    )


def test_pending_invitation_honoured_while_another_owner_remains() -> None:
    assert (True, ACCEPT_OK) == verdict(
        INVITE_CAT,
        ANN_LEAVES,
        act("accept_invitation", "Cat", on="2026-05-02"),
        accounts=[acme(team={"Ann": "owner", "Tom": "owner"})],
    )


def test_pending_invitation_not_honoured_once_every_owner_has_left() -> None:
    """The model's choice (guard account_still_has_an_owner): the way in is then the
    helpdesk (access-2); the invitation lapsed when the last owner left."""
    assert (False, ["78.2.2", "access-2"]) == verdict(
        INVITE_CAT, ANN_LEAVES, act("accept_invitation", "Cat", on="2026-05-02")
    )


# --- (b) changing and removing the team (78.2, 78.2.2, 78.2.3) --------------------------------


def test_owner_changes_anothers_role() -> None:
    change = act("change_role", "Ann", person="Vic", role="transactor")
    assert (True, CHANGE_ROLE_OK) == verdict(change)
    assert "transactor" == team(change)["Vic"]


def test_owner_removes_another_user() -> None:
    remove = act("remove_user", "Ann", person="Tom")
    assert (True, REMOVE_USER_OK) == verdict(remove)
    assert "Tom" not in team(remove)
    assert (False, ["access-1"]) == verdict(remove, act("log_in", "Tom"))


def test_owner_cannot_change_their_own_role() -> None:
    assert (False, ["78.2.3"]) == verdict(act("change_role", "Ann", person="Ann", role="viewer"))


def test_owner_cannot_remove_themselves() -> None:
    assert (False, ["78.2.3"]) == verdict(act("remove_user", "Ann", person="Ann"))


def test_another_owner_can_change_an_owners_role() -> None:
    assert (True, CHANGE_ROLE_OK) == verdict(
        act("change_role", "Tom", person="Ann", role="viewer"),
        accounts=[acme(team={"Ann": "owner", "Tom": "owner"})],
    )


@pytest.mark.parametrize(
    "action",
    [
        act("change_role", "Ann", person="Cat", role="viewer"),
        act("remove_user", "Ann", person="Cat"),
    ],
    ids=["change_role", "remove_user"],
)
def test_only_members_have_their_role_changed_or_are_removed(action: dict[str, Any]) -> None:
    assert (False, ["78.2.3"]) == verdict(action)


@pytest.mark.parametrize(
    "action",
    [
        act("change_role", "Tom", person="Vic", role="owner"),
        act("remove_user", "Tom", person="Vic"),
        act("change_role", "Vic", person="Tom", role="viewer"),
        act("remove_user", "Vic", person="Ann"),
    ],
    ids=["transactor-changes", "transactor-removes", "viewer-changes", "viewer-removes"],
)
def test_only_owners_change_the_team(action: dict[str, Any]) -> None:
    assert (False, ["78.2.2"]) == verdict(action)


def test_viewer_cannot_make_themselves_owner() -> None:
    assert (False, ["78.2.2", "78.2.3"]) == verdict(
        act("change_role", "Vic", person="Vic", role="owner")
    )


# --- (b) leaving: a departed owner's actions (access-0, access-2) ------------------------------


def test_leaving_once() -> None:
    assert (True, ["access-2"]) == verdict(ANN_LEAVES)
    assert (False, ["access-2"]) == verdict(
        ANN_LEAVES, act("leave_organisation", "Ann", on="2026-05-02")
    )


DEPARTED_OWNER_ACTIONS = [
    act("log_in", "Ann"),
    act("invite", "Ann", person="Cat", role="owner"),
    act("change_role", "Ann", person="Tom", role="owner"),
    act("remove_user", "Ann", person="Tom"),
    act("add_paye", "Ann", paye=ACME_2),
    act("remove_paye", "Ann", paye=ACME),
    act("grant_provider_permission", "Ann"),
    act("authorise_payment", "Ann"),
    act("create_account", "Ann", account="acme-2", paye=ACME_2),
    act("helpdesk_request", "Ann", paye=ACME, names=["Ann"]),
]


@pytest.mark.parametrize("action", DEPARTED_OWNER_ACTIONS, ids=lambda a: a["type"])
def test_departed_owner_is_refused_by_access_0(action: dict[str, Any]) -> None:
    """Each action would be allowed for Ann before she left; afterwards only access-0 fails."""
    if action["type"] != "helpdesk_request":  # (the helpdesk only once the owner has left)
        assert verdict(action)[0]
    assert (False, ["access-0"]) == verdict(ANN_LEAVES, {**action, "date": "2026-05-02"})


def test_departed_owner_cannot_approve_learner_details() -> None:
    assert (False, ["access-0"]) == verdict(
        act("enter_learner_details", "Pat"),
        ANN_LEAVES,
        act("approve_learner_details", "Ann", on="2026-05-02"),
        accounts=[acme(provider_permission=True)],
    )


def test_person_departed_at_the_start_is_refused() -> None:
    assert (False, ["access-0"]) == verdict(
        act("authorise_payment", "Tom"), people=people({"name": "Tom", "departed": True})
    )


# --- (b) the helpdesk (access-2, access-3) ---------------------------------------------------


def helpdesk(actor: str, *names: str, paye: str = ACME) -> dict[str, Any]:
    return act("helpdesk_request", actor, on="2026-05-02", paye=paye, names=list(names))


def test_helpdesk_with_right_paye_and_several_names_including_the_owner() -> None:
    call = helpdesk("Tom", "Alan Smith", "Ann", "Jo Bloggs")
    assert (True, HELPDESK_OK) == verdict(ANN_LEAVES, call)
    assert "owner" == team(ANN_LEAVES, call)["Tom"]


def test_helpdesk_for_staff_without_a_role() -> None:
    assert (True, HELPDESK_OK) == verdict(ANN_LEAVES, helpdesk("Cat", "Ann"))


def test_helpdesk_accepts_a_previous_owner_named_in_the_account() -> None:
    assert (True, HELPDESK_OK) == verdict(
        ANN_LEAVES,
        helpdesk("Cat", "Olga"),
        people=people({"name": "Olga", "departed": True}, drop="Pat"),
        accounts=[acme(previous_owners=["Olga"])],
    )


@pytest.mark.parametrize(
    "names",
    [
        pytest.param(["Alan Smith"], id="wrong-name"),
        pytest.param(["Alan Smith", "Jo Bloggs"], id="several-wrong-names"),
        pytest.param([], id="no-name"),
        pytest.param(["Vic"], id="a-current-viewer"),
        pytest.param(["Tom"], id="the-caller-himself"),
    ],
)
def test_helpdesk_without_a_previous_owners_name(names: list[str]) -> None:
    assert (False, ["access-2", "access-3"]) == verdict(ANN_LEAVES, helpdesk("Tom", *names))


TOM_LEAVES = act("leave_organisation", "Tom")


def test_helpdesk_accepts_a_previous_users_name_as_scenario_3_asks() -> None:
    """Scenario 3: "the name of the previous account user". Tom (a transactor) and Ann (the
    owner) have both left; Cat names Tom only."""
    call = helpdesk("Cat", "Tom")
    assert (True, HELPDESK_OK) == verdict(ANN_LEAVES, TOM_LEAVES, call)
    assert "owner" == team(ANN_LEAVES, TOM_LEAVES, call)["Cat"]


def test_only_a_previous_owners_name_under_the_previous_owner_reading(tmp_path: Path) -> None:
    path = tmp_path / "owners.toml"
    path.write_text(
        'extends = "2026-04"\nid = "owners"\n[interpretations]\nhelpdesk_names = '
        '"previous_owner"\n',
        "utf-8",
    )
    from aurules.model.ruleset import load_ruleset

    data = {**copy.deepcopy(BASE), "actions": [ANN_LEAVES, TOM_LEAVES, helpdesk("Cat", "Tom")]}
    last = access_outcome(AccessScenario.from_data(data, "<test>"), load_ruleset(str(path)))
    assert (False, ["access-2", "access-3"]) == (
        last["actions"][-1]["allowed"],
        last["actions"][-1]["paragraphs"],
    )


def test_a_user_still_with_the_organisation_is_not_a_previous_user() -> None:
    """Vic, a viewer still there, is no previous user: naming Vic does not open the account."""
    assert (False, ["access-2", "access-3"]) == verdict(ANN_LEAVES, helpdesk("Cat", "Vic"))


def test_helpdesk_refuses_while_the_owner_is_still_there() -> None:
    assert (False, ["access-2", "access-3"]) == verdict(helpdesk("Tom", "Ann"))


def test_helpdesk_refuses_while_another_owner_is_still_there() -> None:
    assert (False, ["access-2", "access-3"]) == verdict(
        ANN_LEAVES,
        helpdesk("Vic", "Ann"),
        accounts=[acme(team={"Ann": "owner", "Tom": "owner", "Vic": "viewer"})],
    )


@pytest.mark.parametrize("paye", [ACME_2, BETA], ids=["same-employer", "other-employer"])
def test_helpdesk_refuses_a_scheme_not_attached_to_any_account(paye: str) -> None:
    assert (False, ["access-2", "access-3"]) == verdict(
        ANN_LEAVES, helpdesk("Tom", "Ann", paye=paye)
    )


def test_helpdesk_refuses_the_paye_of_an_account_whose_owner_is_present() -> None:
    """Acme's owner has left, but the caller gives Beta's PAYE: Beta's owner is still there."""
    accounts = [acme(), {"id": "beta", "paye": [BETA], "team": {"Cat": "owner"}}]
    assert (False, ["access-2", "access-3"]) == verdict(
        ANN_LEAVES, helpdesk("Tom", "Ann", paye=BETA), accounts=accounts
    )


def test_provider_staff_cannot_use_the_helpdesk_to_get_in() -> None:
    assert (False, ["78.2.1", "access-2", "access-3"]) == verdict(
        ANN_LEAVES, helpdesk("Pat", "Ann")
    )


def test_stranger_with_a_wrong_name_is_refused() -> None:
    assert (False, ["78.2.1", "access-2", "access-3"]) == verdict(
        ANN_LEAVES,
        helpdesk("Sam", "Alan Smith"),
        people=people({"name": "Sam", "kind": "stranger"}, drop="Pat"),
    )


# --- (b) PAYE schemes (76, 76.1, 78.1, access-3) ---------------------------------------------


def test_create_account_with_a_free_scheme() -> None:
    create = act("create_account", "Cat", account="beta", paye=BETA)
    assert (True, CREATE_OK) == verdict(create)
    assert {"Cat": "owner"} == team(create, account="beta")


def test_create_account_with_a_scheme_in_use_fails_details_already_in_use() -> None:
    assert (False, ["76", "access-3"]) == verdict(
        act("create_account", "Cat", account="acme-2", paye=ACME)
    )


def test_create_account_reusing_an_existing_account_id() -> None:
    assert (False, ["76", "access-3"]) == verdict(
        act("create_account", "Cat", account="acme", paye=BETA)
    )


def test_provider_staff_cannot_create_an_account() -> None:
    assert (False, ["78.2.1", "79"]) == verdict(
        act("create_account", "Pat", account="beta", paye=BETA)
    )


def test_provider_staff_creating_an_account_with_a_scheme_in_use() -> None:
    assert (False, ["76", "78.2.1", "79", "access-3"]) == verdict(
        act("create_account", "Pat", account="acme-2", paye=ACME)
    )


def test_owner_adds_a_free_scheme() -> None:
    assert (True, ADD_PAYE_OK) == verdict(act("add_paye", "Ann", paye=ACME_2))


def test_connected_company_scheme_added_to_an_ordinary_account() -> None:
    """76: an employer may add a connected company's scheme; only public bodies (76.1) are
    limited to one employer."""
    assert (True, ADD_PAYE_OK) == verdict(act("add_paye", "Ann", paye=BETA))


def test_scheme_of_another_account_cannot_be_added() -> None:
    accounts = [acme(), {"id": "beta", "paye": [BETA], "team": {"Cat": "owner"}}]
    assert (False, ["76"]) == verdict(act("add_paye", "Ann", paye=BETA), accounts=accounts)
    assert (False, ["76"]) == verdict(
        act("add_paye", "Cat", account="beta", paye=ACME), accounts=accounts
    )


def test_scheme_already_attached_cannot_be_added_again() -> None:
    assert (False, ["76"]) == verdict(act("add_paye", "Ann", paye=ACME))


@pytest.mark.parametrize("actor", ["Tom", "Vic", "Pat"])
def test_only_an_owner_adds_a_scheme(actor: str) -> None:
    assert (False, ["78.2.2"]) == verdict(act("add_paye", actor, paye=ACME_2))


PUBLIC_BODY = {
    "paye_schemes": [
        {"ref": ACME, "employer": "Shire Council"},
        {"ref": ACME_2, "employer": "Shire Council"},
        {"ref": BETA, "employer": "Vale Council"},
    ],
    "accounts": [acme(public_body=True)],
}


def test_public_body_adds_another_scheme_of_the_same_employer() -> None:
    assert (True, ADD_PAYE_OK) == verdict(act("add_paye", "Ann", paye=ACME_2), **PUBLIC_BODY)


def test_public_body_cannot_add_another_employers_scheme() -> None:
    assert (False, ["76.1"]) == verdict(act("add_paye", "Ann", paye=BETA), **PUBLIC_BODY)


def test_public_body_created_then_limited_to_its_employer() -> None:
    """A public body's account made by create_account is bound by 76.1 too."""
    actions = [
        act("create_account", "Cat", account="vale", paye=BETA, public_body=True),
        act("add_paye", "Cat", account="vale", paye=ACME_2),
    ]
    data = {**PUBLIC_BODY, "accounts": [acme()]}
    assert (True, CREATE_OK) == verdict(actions[0], **data)
    assert (False, ["76.1"]) == verdict(*actions, **data)


def test_owner_removes_a_scheme_no_longer_operated() -> None:
    remove = act("remove_paye", "Ann", paye=ACME)
    assert (True, REMOVE_PAYE_OK) == verdict(remove)
    assert [] == outcome(remove)["accounts"][0]["paye"]


def test_removed_scheme_can_then_be_registered_by_its_new_employer() -> None:
    assert (True, CREATE_OK) == verdict(
        act("remove_paye", "Ann", paye=ACME),
        act("create_account", "Cat", on="2026-05-02", account="newco", paye=ACME),
    )


@pytest.mark.parametrize("paye", [ACME_2, BETA])
def test_only_an_attached_scheme_is_removed(paye: str) -> None:
    assert (False, ["78.1"]) == verdict(act("remove_paye", "Ann", paye=paye))


def test_scheme_of_another_account_is_not_removed_from_this_one() -> None:
    accounts = [acme(), {"id": "beta", "paye": [BETA], "team": {"Cat": "owner"}}]
    assert (False, ["78.1"]) == verdict(act("remove_paye", "Ann", paye=BETA), accounts=accounts)


@pytest.mark.parametrize("actor", ["Tom", "Vic"])
def test_only_an_owner_removes_a_scheme(actor: str) -> None:
    assert (False, ["78.2.2"]) == verdict(act("remove_paye", actor, paye=ACME))


# --- (b) learner details, approval, funding and payments (79, 80, 81) -------------------------

PERMITTED = {"accounts": [acme(provider_permission=True)]}
ENTER = act("enter_learner_details", "Pat")
APPROVE = act("approve_learner_details", "Tom", on="2026-05-02")
RELEASE = act("release_funding", "Pat", on="2026-05-03")


def test_owner_grants_the_provider_permission() -> None:
    assert (True, OWNER_ONLY_OK) == verdict(act("grant_provider_permission", "Ann"))


@pytest.mark.parametrize("actor", ["Tom", "Vic", "Pat"])
def test_only_an_owner_grants_the_provider_permission(actor: str) -> None:
    assert (False, ["78.2.2"]) == verdict(act("grant_provider_permission", actor))


def test_provider_enters_learner_details_only_with_permission() -> None:
    assert (False, ["79"]) == verdict(ENTER)
    assert (True, ["79", "access-0"]) == verdict(ENTER, **PERMITTED)
    assert (True, ["79", "access-0"]) == verdict(act("grant_provider_permission", "Ann"), ENTER)


def test_employer_provider_enters_learner_details_with_permission() -> None:
    assert (True, ["79", "access-0"]) == verdict(
        act("enter_learner_details", "Cat"),
        people=people({"name": "Cat", "kind": "employer_provider_staff"}),
        **PERMITTED,
    )


@pytest.mark.parametrize("actor", ["Ann", "Tom"], ids=["owner", "transactor"])
def test_owner_or_transactor_approves_learner_details(actor: str) -> None:
    assert (True, ["79", "81", "access-0"]) == verdict(
        ENTER, {**APPROVE, "actor": actor}, **PERMITTED
    )


@pytest.mark.parametrize("actor", ["Vic", "Pat", "Cat"], ids=["viewer", "provider", "non-member"])
def test_others_cannot_approve_learner_details(actor: str) -> None:
    assert (False, ["79", "81"]) == verdict(ENTER, {**APPROVE, "actor": actor}, **PERMITTED)


def test_nothing_to_approve_before_details_are_entered() -> None:
    assert (False, ["79", "81"]) == verdict(APPROVE, **PERMITTED)


def test_funding_released_only_after_approval() -> None:
    assert (False, ["81"]) == verdict(RELEASE, **PERMITTED)
    assert (False, ["81"]) == verdict(ENTER, RELEASE, **PERMITTED)
    assert (True, ["81"]) == verdict(ENTER, APPROVE, RELEASE, **PERMITTED)
    final = outcome(ENTER, APPROVE, RELEASE, **PERMITTED)["accounts"][0]
    assert ("approved", True) == (final["learner_details"], final["funding_released"])


def test_details_entered_after_approval_need_approval_again() -> None:
    assert (False, ["81"]) == verdict(
        ENTER,
        APPROVE,
        RELEASE,
        act("enter_learner_details", "Pat", on="2026-06-01"),
        act("release_funding", "Pat", on="2026-06-02"),
        **PERMITTED,
    )


@pytest.mark.parametrize("actor", ["Ann", "Tom"], ids=["owner", "transactor"])
def test_owner_or_transactor_authorises_payments(actor: str) -> None:
    assert (True, ["80", "access-0"]) == verdict(act("authorise_payment", actor))


@pytest.mark.parametrize("actor", ["Vic", "Cat", "Pat"], ids=["viewer", "non-member", "provider"])
def test_no_one_else_authorises_payments(actor: str) -> None:
    assert (False, ["80"]) == verdict(act("authorise_payment", actor))


def test_provider_staff_on_the_team_still_cannot_authorise_payments() -> None:
    """Even if provider staff were (wrongly) given a role, no third party authorises payments."""
    assert (False, ["80"]) == verdict(
        act("authorise_payment", "Pat"), accounts=[acme(team={"Ann": "owner", "Pat": "transactor"})]
    )


# --- (c) bad input through the command line ---------------------------------------------------

VALID = json.loads((EXAMPLES / "viewer-invites.json").read_text("utf-8"))


def _change(function: Callable[[dict[str, Any]], None]) -> dict[str, Any]:
    data = copy.deepcopy(VALID)
    function(data)
    return data


BAD = [
    pytest.param(
        lambda d: d["actions"][1].update(colour="red"), "actions[1].colour", id="unknown-field"
    ),
    pytest.param(
        lambda d: d["actions"][1].update(actor="Zed"), "actions[1].actor", id="actor-not-named"
    ),
    pytest.param(
        lambda d: d["actions"][1].update(account="nowhere"),
        "actions[1].account",
        id="account-not-named",
    ),
    pytest.param(
        lambda d: d["actions"][1].update(person="Zed"), "actions[1].person", id="person-not-named"
    ),
    pytest.param(
        lambda d: d["actions"][2].update(date="2026-04-30"),
        "actions[2].date",
        id="out-of-date-order",
    ),
    pytest.param(lambda d: d["people"].append({"name": "Zed"}), "people", id="more-than-5-people"),
    pytest.param(
        lambda d: d["actions"][1].pop("person"), "actions[1].person", id="invite-without-person"
    ),
    pytest.param(
        lambda d: d["actions"][1].pop("role"), "actions[1].role", id="invite-without-role"
    ),
    pytest.param(
        lambda d: d["actions"].append(
            {"date": "2026-06-01", "type": "helpdesk_request", "actor": "Cat", "names": ["Ann"]}
        ),
        "actions[15].paye",
        id="helpdesk-without-paye",
    ),
    pytest.param(
        lambda d: d["actions"][1].update(type="hack"), "actions[1].type", id="unknown-action-type"
    ),
    pytest.param(
        lambda d: d["actions"][1].update(role="admin"), "actions[1].role", id="unknown-role"
    ),
    pytest.param(
        lambda d: d["accounts"][0]["team"].update(Zed="owner"),
        "accounts[0].team",
        id="team-member-not-named",
    ),
    pytest.param(
        lambda d: d["paye_schemes"].extend({"ref": f"{n}/X"} for n in range(3)),
        "paye_schemes",
        id="more-than-3-schemes",
    ),
    pytest.param(
        lambda d: d["actions"].extend(
            {
                "date": "2026-06-01",
                "type": "create_account",
                "actor": "Cat",
                "account": f"new{n}",
                "paye": "123/AB456",
            }
            for n in range(3)
        ),
        "accounts",
        id="more-than-3-accounts",
    ),
]


@pytest.mark.parametrize(("change", "field"), BAD)
def test_bad_access_trace_is_one_line_and_exit_2(
    change: Callable[[dict[str, Any]], None], field: str, tmp_path: Path
) -> None:
    path = tmp_path / "trace.json"
    path.write_text(json.dumps(_change(change)), "utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "aurules", "evaluate", str(path)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
    )
    assert 2 == result.returncode
    assert "" == result.stdout
    lines = result.stderr.splitlines()
    assert 1 == len(lines), result.stderr
    assert lines[0].startswith(f"aurules: {path}: {field}: "), lines[0]
    assert "Traceback" not in result.stderr


def test_the_unchanged_trace_is_valid(tmp_path: Path) -> None:
    """Each bad trace above is one change away from this one, which evaluates."""
    path = tmp_path / "trace.json"
    path.write_text(json.dumps(VALID), "utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "aurules", "evaluate", str(path)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
    )
    assert (0, "") == (result.returncode, result.stderr)
    assert "access" == json.loads(result.stdout)["kind"]


# --- (d) the command line on an example ------------------------------------------------------


def test_explain_shows_denied_with_its_paragraphs() -> None:
    path = EXAMPLES / "provider-tries-to-join.json"
    result = subprocess.run(
        [sys.executable, "-m", "aurules", "explain", str(path)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
    )
    assert (0, "") == (result.returncode, result.stderr)
    invite = next(line for line in result.stdout.splitlines() if " invite " in line)
    assert "Ann" in invite
    assert "DENIED" in invite
    assert invite.endswith("(78.2.1, 79)")
    assert "Provider staff are never invited into an employer's account." in result.stdout
    helpdesk_lines = [line for line in result.stdout.splitlines() if "helpdesk_request" in line]
    assert ["DENIED", "DENIED"] == [line.split()[3] for line in helpdesk_lines]


def test_evaluate_prints_exactly_the_recorded_outcome() -> None:
    path = EXAMPLES / "guide-scenario-2-owner-left.json"
    result = subprocess.run(
        [sys.executable, "-m", "aurules", "evaluate", str(path)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
    )
    assert (0, "") == (result.returncode, result.stderr)
    assert path.with_suffix(".outcome.json").read_text("utf-8") == result.stdout


# --- (e) the invariants hold on every example ------------------------------------------------


@pytest.mark.parametrize("trace", TRACES, ids=lambda p: p.stem)
def test_no_access_invariant_broken_on_example(trace: Path) -> None:
    scenario = AccessScenario.from_data(json.loads(trace.read_text("utf-8")), str(trace))
    assert [] == access_violations(scenario, official(), str(trace))


def test_invariant_check_is_not_vacuous() -> None:
    """Provider staff on an employer's team at the start is reported."""
    data = {**copy.deepcopy(BASE), "accounts": [acme(team={"Ann": "owner", "Pat": "viewer"})]}
    found = access_violations(AccessScenario.from_data(data, "<test>"), official())
    assert ["no_provider_staff_in_employer_account"] == [v.invariant for v in found]


# --- behaviours settled after review ------------------------------------------------------------


def test_stranger_with_the_paye_reference_and_the_right_name_is_still_refused() -> None:
    """The helpdesk route is for someone within the organisation (access-2, access-3)."""
    assert (False, ["78.2.1", "access-2", "access-3"]) == verdict(
        ANN_LEAVES,
        helpdesk("Sam", "Ann"),
        people=people({"name": "Sam", "kind": "stranger"}, drop="Pat"),
    )


def test_the_employers_own_transactor_may_enter_learner_details() -> None:
    assert (True, ["79", "access-0"]) == verdict(act("enter_learner_details", "Tom"))


def test_a_lapsed_invitation_is_not_revived_when_the_helpdesk_restores_an_owner() -> None:
    assert (False, ["78.2.2"]) == verdict(
        INVITE_CAT,
        ANN_LEAVES,
        helpdesk("Tom", "Ann"),
        act("accept_invitation", "Cat", on="2026-05-03"),
    )
