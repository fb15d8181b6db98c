"""The employer account access model's state and actions as integer facts (its prologue).

The model has a fixed number of slots: accounts, PAYE schemes and people (a scenario uses as
many as it names; Z3 checks a bounded world of the same shape). Tables are tuples indexed by
slot, so the same guard and effect definitions run on plain values and as Z3 terms.

Roles follow the service: 0 none, 1 viewer, 2 transactor, 3 owner. A person is an employer's
staff, a training provider's staff, an employer-provider's staff (a levy payer that is also a
provider, 79) or a stranger.
"""

from __future__ import annotations

import typing
from typing import Any, Literal

import attrs

from aurules.model.facts import Codes

ROLES = Codes(("none", "viewer", "transactor", "owner"))
KINDS_OF_PERSON = Codes(("employer_staff", "provider_staff", "employer_provider_staff", "stranger"))
ActionType = Literal[
    "create_account",
    "add_paye",
    "remove_paye",
    "invite",
    "accept_invitation",
    "change_role",
    "remove_user",
    "leave_organisation",
    "log_in",
    "grant_provider_permission",
    "enter_learner_details",
    "approve_learner_details",
    "release_funding",
    "authorise_payment",
    "helpdesk_request",
]
"""Every action an access trace may attempt (its JSON `type`)."""
ACTIONS = Codes(typing.get_args(ActionType))

ACCOUNTS, SCHEMES, PEOPLE = 3, 3, 5
"""Slots: the largest world a scenario may describe, and the world Z3 checks."""

Table = tuple[tuple[Any, ...], ...]
"""A table indexed [person][account] (or [scheme][account])."""


@attrs.frozen(kw_only=True)
class AccessState:
    """Who may do what in which account."""

    exists: tuple[Any, ...]  # [account] the account has been created
    public_body: tuple[Any, ...]  # [account] 76.1
    paye_in: Table  # [scheme][account] the scheme is attached
    scheme_employer: tuple[Any, ...]  # [scheme] which employer operates it (76.1)
    role: Table  # [person][account] role code
    invited: Table  # [person][account] role offered, 0 if none
    invited_day: Table  # [person][account] day the invitation was sent
    ever_owner: Table  # [person][account] was an owner at some time
    own_login: tuple[Any, ...]  # [person] has their own login (access-0)
    departed: tuple[Any, ...]  # [person] has left the organisation
    kind: tuple[Any, ...]  # [person] kind of person
    provider_permission: tuple[Any, ...]  # [account] provider may enter learner details (79)
    details_entered: tuple[Any, ...]  # [account] learner details awaiting approval (79)
    details_approved: tuple[Any, ...]  # [account] employer approved the details (79, 81)
    funding_released: tuple[Any, ...]  # [account] funding released to the provider (81)


@attrs.frozen(kw_only=True)
class AccessAction:
    """One attempted action, as integers and booleans."""

    kind: Any  # ACTIONS code
    day: Any
    actor: Any  # person slot
    account: Any  # account slot
    person: Any  # person slot acted upon (invite, change_role, remove_user)
    role: Any  # role code offered or set
    scheme: Any  # PAYE scheme slot
    names: tuple[Any, ...]  # [person] names offered to the helpdesk
    public_body: Any  # create_account: a public body's account


@attrs.frozen(kw_only=True)
class Decision:
    """Whether an action was allowed, and each condition's verdict (name -> bool)."""

    allowed: Any
    conditions: dict[str, Any] = attrs.field(factory=dict)
