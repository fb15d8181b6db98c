"""The employer account access rules (funding rules 76 to 81 and the access guide).

Each condition of an action is a guard registered with its paragraphs (funding rules) or guide
scenario (`access-0`: every user has their own login; `access-1` to `access-3`: the guide's
three scenarios). An action is allowed when all its guards hold, else denied with the
paragraphs of every failing guard; an allowed action's effect changes the state. As in the
lifecycle, one definition runs on plain values (the simulator) and as Z3 terms (the proofs).

The service's own behaviour, from its public code, fills in what the texts leave to it: roles
are Owner, Transactor and Viewer; only Owners invite and change the team; an invitation
expires after `access.invitation_expiry_days` (8); an Owner cannot change their own role or
remove themselves; a PAYE scheme attached to one account cannot be added to another, and
creating an account with it fails ("these details are already in use").
"""

from __future__ import annotations

from typing import Any

from aurules.model.access_state import (
    ACTIONS,
    KINDS_OF_PERSON,
    PEOPLE,
    ROLES,
    SCHEMES,
    AccessAction,
    AccessState,
)
from aurules.model.registry import guard
from aurules.model.ruleset import Ruleset
from aurules.model.values import Backend, pick, put, put2, replace

OWNER, TRANSACTOR = ROLES["owner"], ROLES["transactor"]
PROVIDER_STAFF = KINDS_OF_PERSON["provider_staff"]
TEAM_ACTIONS = ("invite", "change_role", "remove_user")
OWNER_ONLY = ("add_paye", "remove_paye", *TEAM_ACTIONS, "grant_provider_permission")
TEAM_ACTION_CODES = tuple(ACTIONS[name] for name in TEAM_ACTIONS)


def role_of(s: AccessState, person: Any, account: Any, b: Backend) -> Any:
    return pick(b, pick(b, s.role, person), account)


def active(s: AccessState, person: Any, b: Backend) -> Any:
    """Still with the organisation and signing in with their own login."""
    return b.and_(b.not_(pick(b, s.departed, person)), pick(b, s.own_login, person))


def active_owner_exists(s: AccessState, account: Any, b: Backend) -> Any:
    """Some owner of the account is still with the organisation."""
    return b.or_(
        *[b.and_(role_of(s, p, account, b) == OWNER, b.not_(s.departed[p])) for p in range(PEOPLE)]
    )


def scheme_in_any_account(s: AccessState, scheme: Any, b: Backend) -> Any:
    return b.or_(*pick(b, s.paye_in, scheme))


ALL_BUT_LEAVING = tuple(
    n
    for n in ACTIONS.names
    if n not in ("leave_organisation", "release_funding", "accept_invitation", "helpdesk_request")
)


@guard("access-0", items=("accept_invitation", "helpdesk_request"), cites=("access-2",))
def still_with_the_organisation_to_get_a_login(
    s: AccessState, a: AccessAction, p: Ruleset, b: Backend
) -> Any:
    """Someone added by an owner or by the helpdesk gets their own login; they must still be
    with the organisation."""
    return b.not_(pick(b, s.departed, a.actor))


@guard("access-2", items=("leave_organisation",))
def still_with_the_organisation(s: AccessState, a: AccessAction, p: Ruleset, b: Backend) -> Any:
    """Someone still with the organisation can leave it; their logins stop working."""
    return b.not_(pick(b, s.departed, a.actor))


@guard("access-0", items=ALL_BUT_LEAVING, cites=("access-1", "78.2.3"))
def acts_with_own_login(s: AccessState, a: AccessAction, p: Ruleset, b: Backend) -> Any:
    """A person acts only through their own login and only while with the organisation."""
    return active(s, a.actor, b)


@guard("78.2.2", items=OWNER_ONLY, cites=("78.2", "access-2"), interpretations=("team_managed_by",))
def actor_is_owner(s: AccessState, a: AccessAction, p: Ruleset, b: Backend) -> Any:
    """Only an owner of the account manages its PAYE schemes, its team and its providers.

    Interpretation: `team_managed_by` (official: owners only; a proposal may let transactors
    manage the team too).
    """
    role = role_of(s, a.actor, a.account, b)
    allowed = role == OWNER
    if p.interpretations.team_managed_by == "owners_and_transactors":
        allowed = b.or_(allowed, b.and_(role == TRANSACTOR, b.is_one_of(a.kind, TEAM_ACTION_CODES)))
    return b.and_(pick(b, s.exists, a.account), allowed)


@guard("access-3", "76", items=("create_account",))
def paye_not_in_use(s: AccessState, a: AccessAction, p: Ruleset, b: Backend) -> Any:
    """A new account cannot use a PAYE scheme already registered: "these details are already
    in use"."""
    return b.and_(
        b.not_(scheme_in_any_account(s, a.scheme, b)), b.not_(pick(b, s.exists, a.account))
    )


@guard("78.2.1", "79", items=("create_account",))
def not_provider_staff(s: AccessState, a: AccessAction, p: Ruleset, b: Backend) -> Any:
    """Someone acting for a training provider does not get into an employer's account."""
    return pick(b, s.kind, a.actor) != PROVIDER_STAFF


@guard("access-2", "access-3", "78.2.1", items=("helpdesk_request",))
def caller_from_the_organisation(s: AccessState, a: AccessAction, p: Ruleset, b: Backend) -> Any:
    """The helpdesk route is for someone within the employer's organisation: not a provider's
    staff, not a stranger."""
    return b.is_one_of(
        pick(b, s.kind, a.actor),
        (KINDS_OF_PERSON["employer_staff"], KINDS_OF_PERSON["employer_provider_staff"]),
    )


@guard("76", items=("add_paye",), cites=("14.3",))
def paye_not_in_another_account(s: AccessState, a: AccessAction, p: Ruleset, b: Backend) -> Any:
    """A PAYE scheme is added to one account only."""
    return b.not_(scheme_in_any_account(s, a.scheme, b))


@guard("76.1", items=("add_paye",))
def public_body_one_employer(s: AccessState, a: AccessAction, p: Ruleset, b: Backend) -> Any:
    """A public body's account holds the PAYE schemes of one employer only."""
    employer = pick(b, s.scheme_employer, a.scheme)
    same = [
        b.implies(pick(b, s.paye_in[k], a.account), s.scheme_employer[k] == employer)
        for k in range(SCHEMES)
    ]
    return b.implies(pick(b, s.public_body, a.account), b.and_(*same))


@guard("78.1", items=("remove_paye",))
def paye_is_attached(s: AccessState, a: AccessAction, p: Ruleset, b: Backend) -> Any:
    """Only a scheme attached to the account can be removed from it."""
    return pick(b, pick(b, s.paye_in, a.scheme), a.account)


@guard("78.2.1", "79", items=("invite",))
def invitee_not_provider_staff(s: AccessState, a: AccessAction, p: Ruleset, b: Backend) -> Any:
    """Provider staff are never invited into an employer's account."""
    return pick(b, s.kind, a.person) != PROVIDER_STAFF


@guard("78.2", items=("invite", "change_role"))
def role_is_real(s: AccessState, a: AccessAction, p: Ruleset, b: Backend) -> Any:
    """A role is Viewer, Transactor or Owner."""
    return b.and_(a.role >= ROLES["viewer"], a.role <= OWNER)


@guard("78.2.2", items=("accept_invitation",), cites=("access-0",))
def invitation_valid(s: AccessState, a: AccessAction, p: Ruleset, b: Backend) -> Any:
    """An invitation is accepted by the person invited, within the expiry period ([8
    days](access.invitation_expiry_days))."""
    sent = role_of_invitation(s, a.actor, a.account, b)
    day = pick(b, pick(b, s.invited_day, a.actor), a.account)
    return b.and_(sent > 0, a.day - day <= p.access.invitation_expiry_days)


@guard("access-2", items=("accept_invitation",))
def account_still_has_an_owner(s: AccessState, a: AccessAction, p: Ruleset, b: Backend) -> Any:
    """An invitation is honoured only while an owner of the account is still with the
    organisation; once every owner has left, the way in is the helpdesk (access-2).

    A modelling choice: the guide does not say what happens to pending invitations.
    """
    return active_owner_exists(s, a.account, b)


def role_of_invitation(s: AccessState, person: Any, account: Any, b: Backend) -> Any:
    return pick(b, pick(b, s.invited, person), account)


@guard("78.2.3", items=("change_role", "remove_user"))
def not_oneself(s: AccessState, a: AccessAction, p: Ruleset, b: Backend) -> Any:
    """An owner cannot change their own role or remove themselves."""
    return a.person != a.actor


@guard("78.2.3", items=("change_role", "remove_user"))
def person_is_member(s: AccessState, a: AccessAction, p: Ruleset, b: Backend) -> Any:
    """Only a member of the team can have their role changed or be removed."""
    return role_of(s, a.person, a.account, b) > 0


@guard("access-1", items=("log_in",))
def member_of_account(s: AccessState, a: AccessAction, p: Ruleset, b: Backend) -> Any:
    """Signing in reaches an account only for a member of its team."""
    return b.and_(pick(b, s.exists, a.account), role_of(s, a.actor, a.account, b) > 0)


@guard("79", items=("enter_learner_details",))
def provider_has_permission(s: AccessState, a: AccessAction, p: Ruleset, b: Backend) -> Any:
    """Learner details are entered by the employer's own owners or transactors, or by a
    provider that the employer has given permission, from its own provider account."""
    provider = b.and_(
        pick(b, s.provider_permission, a.account),
        b.is_one_of(
            pick(b, s.kind, a.actor), (PROVIDER_STAFF, KINDS_OF_PERSON["employer_provider_staff"])
        ),
    )
    employer = b.and_(
        role_of(s, a.actor, a.account, b) >= TRANSACTOR, pick(b, s.kind, a.actor) != PROVIDER_STAFF
    )
    return b.and_(pick(b, s.exists, a.account), b.or_(provider, employer))


@guard("79", "81", items=("approve_learner_details",))
def employer_approves(s: AccessState, a: AccessAction, p: Ruleset, b: Backend) -> Any:
    """The employer (an owner or transactor) reviews and approves learner details entered."""
    return b.and_(
        pick(b, s.details_entered, a.account), role_of(s, a.actor, a.account, b) >= TRANSACTOR
    )


@guard("81", items=("release_funding",), cites=("81.1",))
def details_approved(s: AccessState, a: AccessAction, p: Ruleset, b: Backend) -> Any:
    """Payments to the provider are made only once the employer has approved the details."""
    return pick(b, s.details_approved, a.account)


@guard("80", items=("authorise_payment",))
def authorised_by_the_employer(s: AccessState, a: AccessAction, p: Ruleset, b: Backend) -> Any:
    """Only the employer's own owners and transactors authorise payments; no third party."""
    return b.and_(
        role_of(s, a.actor, a.account, b) >= TRANSACTOR, pick(b, s.kind, a.actor) != PROVIDER_STAFF
    )


def previous_user(s: AccessState, person: int, account: Any, p: Ruleset, b: Backend) -> Any:
    """Whether `person` is someone whose name the helpdesk accepts for `account`: a previous
    owner, or (interpretation `helpdesk_names`, official `previous_user`) any previous user of
    the account, who has left the organisation."""
    owner = pick(b, s.ever_owner[person], account)
    if p.interpretations.helpdesk_names == "previous_user":
        owner = b.or_(owner, pick(b, s.role[person], account) > 0)
    return b.and_(owner, s.departed[person])


@guard("access-2", "access-3", items=("helpdesk_request",), interpretations=("helpdesk_names",))
def helpdesk_checks(s: AccessState, a: AccessAction, p: Ruleset, b: Backend) -> Any:
    """The helpdesk gives access to an account whose owners have all left, to a caller with
    the account's PAYE reference and the name of a previous user of the account (several
    candidate names may be offered).

    Interpretation: `helpdesk_names` (official `previous_user`: scenario 3 asks for the name of
    the previous account user, an owner or not; `previous_owner`: only a previous owner's name,
    as scenario 2 asks).
    """
    account = a.account
    named_owner = b.or_(
        *[b.and_(a.names[k], previous_user(s, k, account, p, b)) for k in range(PEOPLE)]
    )
    return b.and_(
        pick(b, s.exists, account),
        pick(b, pick(b, s.paye_in, a.scheme), account),
        b.not_(active_owner_exists(s, account, b)),
        named_owner,
    )


def _make_owner(s: AccessState, person: Any, account: Any, b: Backend) -> dict[str, Any]:
    return {
        "role": put2(b, s.role, person, account, OWNER),
        "ever_owner": put2(b, s.ever_owner, person, account, True),
    }


def effect_of(name: str, s: AccessState, a: AccessAction, b: Backend) -> AccessState:
    """What the action `name` changes once allowed."""
    change: dict[str, Any] = {}
    if name == "create_account":
        change = {
            "exists": put(b, s.exists, a.account, True),
            "public_body": put(b, s.public_body, a.account, a.public_body),
            "paye_in": put2(b, s.paye_in, a.scheme, a.account, True),
            **_make_owner(s, a.actor, a.account, b),
        }
    elif name == "add_paye":
        change = {"paye_in": put2(b, s.paye_in, a.scheme, a.account, True)}
    elif name == "remove_paye":
        change = {"paye_in": put2(b, s.paye_in, a.scheme, a.account, False)}
    elif name == "invite":
        change = {
            "invited": put2(b, s.invited, a.person, a.account, a.role),
            "invited_day": put2(b, s.invited_day, a.person, a.account, a.day),
        }
    elif name == "accept_invitation":
        offered = role_of_invitation(s, a.actor, a.account, b)
        change = {
            "role": put2(b, s.role, a.actor, a.account, offered),
            "invited": put2(b, s.invited, a.actor, a.account, 0),
            "own_login": put(b, s.own_login, a.actor, True),
            "ever_owner": put2(b, s.ever_owner, a.actor, a.account, True, when=offered == OWNER),
        }
    elif name == "change_role":
        change = {
            "role": put2(b, s.role, a.person, a.account, a.role),
            "ever_owner": put2(b, s.ever_owner, a.person, a.account, True, when=a.role == OWNER),
        }
    elif name == "remove_user":
        change = {"role": put2(b, s.role, a.person, a.account, 0)}
    elif name == "leave_organisation":
        departed = put(b, s.departed, a.actor, True)
        # once every owner of an account has left, its pending invitations lapse (access-2)
        orphaned = [
            b.not_(active_owner_exists(replace(s, departed=departed), c, b))
            for c in range(len(s.exists))
        ]
        change = {
            "departed": departed,
            "invited": tuple(
                tuple(b.ite(orphaned[c], 0, cell) for c, cell in enumerate(row))
                for row in s.invited
            ),
        }
    elif name == "grant_provider_permission":
        change = {"provider_permission": put(b, s.provider_permission, a.account, True)}
    elif name == "enter_learner_details":
        # new details need the employer's approval again before funding is released (81)
        change = {
            "details_entered": put(b, s.details_entered, a.account, True),
            "details_approved": put(b, s.details_approved, a.account, False),
            "funding_released": put(b, s.funding_released, a.account, False),
        }
    elif name == "approve_learner_details":
        change = {"details_approved": put(b, s.details_approved, a.account, True)}
    elif name == "release_funding":
        change = {"funding_released": put(b, s.funding_released, a.account, True)}
    elif name == "helpdesk_request":
        change = {
            **_make_owner(s, a.actor, a.account, b),
            "own_login": put(b, s.own_login, a.actor, True),
        }
    return replace(s, **change)
