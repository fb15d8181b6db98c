"""The account access rules' security properties, stated apart from the rules (names fixed by
the contract). State invariants are `(state, b) -> bool`; step invariants are
`(before, action, decision, after, b) -> bool`."""

from __future__ import annotations

from typing import Any

from aurules.model.access_state import (
    ACCOUNTS,
    ACTIONS,
    KINDS_OF_PERSON,
    PEOPLE,
    ROLES,
    SCHEMES,
    AccessAction,
    AccessState,
    Decision,
)
from aurules.model.rules.access import active, active_owner_exists
from aurules.model.values import Backend, pick
from aurules.properties.invariant import Invariant, collect_into

PROVIDER_STAFF = KINDS_OF_PERSON["provider_staff"]
OWNER, TRANSACTOR = ROLES["owner"], ROLES["transactor"]
ACCESS_INVARIANTS: list[Invariant] = []
invariant = collect_into(ACCESS_INVARIANTS)


@invariant((), "state")
def access_well_formed(s: AccessState, b: Backend) -> Any:
    """Roles, kinds and slots are in range; an account that does not exist has no schemes,
    team, invitations, permissions or records; no invitation is pending for provider staff."""
    out = []
    for a in range(ACCOUNTS):
        gone = b.not_(s.exists[a])
        out += [
            b.implies(
                gone,
                b.and_(
                    *[b.not_(s.paye_in[k][a]) for k in range(SCHEMES)],
                    *[s.role[p][a] == 0 for p in range(PEOPLE)],
                    *[s.invited[p][a] == 0 for p in range(PEOPLE)],
                    b.not_(s.details_entered[a]),
                    b.not_(s.provider_permission[a]),
                    b.not_(s.details_approved[a]),
                    b.not_(s.funding_released[a]),
                ),
            )
        ]
        for p in range(PEOPLE):
            out += [
                s.role[p][a] >= 0,
                s.role[p][a] <= OWNER,
                s.invited[p][a] >= 0,
                s.invited[p][a] <= OWNER,
                s.invited_day[p][a] >= 0,
                b.implies(s.role[p][a] == OWNER, s.ever_owner[p][a]),
                b.implies(s.invited[p][a] > 0, s.kind[p] != PROVIDER_STAFF),
            ]
    out += [b.and_(k >= 0, k < len(KINDS_OF_PERSON.names)) for k in s.kind]
    out += [e >= 0 for e in s.scheme_employer]
    return b.and_(*out)


@invariant(("76", "access-3"), "state")
def paye_scheme_in_one_account(s: AccessState, b: Backend) -> Any:
    """A PAYE scheme is attached to at most one account."""
    return b.and_(
        *[
            b.not_(b.and_(s.paye_in[k][a], s.paye_in[k][c]))
            for k in range(SCHEMES)
            for a in range(ACCOUNTS)
            for c in range(a + 1, ACCOUNTS)
        ]
    )


@invariant(("access-0", "78.2"), "state")
def every_user_has_own_login(s: AccessState, b: Backend) -> Any:
    """Everyone on an account's team signs in with their own login."""
    return b.and_(
        *[
            b.implies(s.role[p][a] > 0, s.own_login[p])
            for p in range(PEOPLE)
            for a in range(ACCOUNTS)
        ]
    )


@invariant(("78.2.1", "79"), "state")
def no_provider_staff_in_employer_account(s: AccessState, b: Backend) -> Any:
    """No one acting for a training provider is on an employer's team (an employer-provider's
    own staff act as the employer)."""
    return b.and_(
        *[
            b.implies(s.role[p][a] > 0, s.kind[p] != PROVIDER_STAFF)
            for p in range(PEOPLE)
            for a in range(ACCOUNTS)
        ]
    )


@invariant(("79", "81"), "state")
def funding_only_after_employer_approval(s: AccessState, b: Backend) -> Any:
    """Funding is released only for learner details the employer approved."""
    return b.and_(
        *[
            b.and_(
                b.implies(s.funding_released[a], s.details_approved[a]),
                b.implies(s.details_approved[a], s.details_entered[a]),
            )
            for a in range(ACCOUNTS)
        ]
    )


def _is(action: AccessAction, *names: str) -> list[Any]:
    return [action.kind == ACTIONS[n] for n in names]


@invariant(("78.2.2", "78.2.3"), "step")
def only_owners_change_the_team(
    before: AccessState, action: AccessAction, decision: Decision, after: AccessState, b: Backend
) -> Any:
    """Only an owner of the account, still with the organisation, invites people or changes or
    removes its team, and only an owner issues invitations; an invitation is taken up by the
    person invited with the role offered; other ways in are creating the account and the
    helpdesk."""
    out = []
    team_action = b.or_(*_is(action, "invite", "change_role", "remove_user"))
    for a in range(ACCOUNTS):
        by_owner = b.and_(
            decision.allowed,
            team_action,
            action.account == a,
            active(before, action.actor, b),
            pick(b, before.role, action.actor)[a] == OWNER,
        )
        for p in range(PEOPLE):
            changed = before.role[p][a] != after.role[p][a]
            accepted = b.and_(
                decision.allowed,
                action.kind == ACTIONS["accept_invitation"],
                action.actor == p,
                action.account == a,
                before.invited[p][a] == after.role[p][a],
            )
            created = b.and_(
                decision.allowed,
                action.kind == ACTIONS["create_account"],
                action.account == a,
                b.not_(before.exists[a]),
            )
            helpdesk = b.and_(
                decision.allowed,
                action.kind == ACTIONS["helpdesk_request"],
                action.actor == p,
                action.account == a,
            )
            out.append(b.implies(changed, b.or_(by_owner, accepted, created, helpdesk)))
            issued = b.and_(
                before.invited[p][a] != after.invited[p][a], after.invited[p][a] > 0
            )  # lapsing or taken up is not issuing
            out.append(b.implies(issued, by_owner))
    return b.and_(*out)


@invariant(("80",), "step")
def no_third_party_authorises_payments(
    before: AccessState, action: AccessAction, decision: Decision, after: AccessState, b: Backend
) -> Any:
    """Only the employer's own owners and transactors, still with the organisation, authorise
    payments."""
    authorised = b.and_(decision.allowed, action.kind == ACTIONS["authorise_payment"])
    role = pick(b, pick(b, before.role, action.actor), action.account)
    return b.implies(
        authorised,
        b.and_(
            role >= TRANSACTOR,
            active(before, action.actor, b),
            pick(b, before.kind, action.actor) != PROVIDER_STAFF,
        ),
    )


@invariant(("access-2", "access-3"), "step")
def orphaned_account_reached_only_via_helpdesk(
    before: AccessState, action: AccessAction, decision: Decision, after: AccessState, b: Backend
) -> Any:
    """Into an account whose owners have all left, the only way is the helpdesk, with the
    account's PAYE reference and the correct name of someone who used the account (an owner
    or a member of its team) and has left the organisation."""
    out = []
    for a in range(ACCOUNTS):
        orphaned = b.and_(before.exists[a], b.not_(active_owner_exists(before, a, b)))
        named = b.or_(
            *[
                b.and_(
                    action.names[k],
                    b.or_(before.ever_owner[k][a], before.role[k][a] > 0),
                    before.departed[k],
                )
                for k in range(PEOPLE)
            ]
        )
        via_helpdesk = b.and_(
            decision.allowed,
            action.kind == ACTIONS["helpdesk_request"],
            action.account == a,
            pick(b, before.paye_in, action.scheme)[a],
            named,
        )
        for p in range(PEOPLE):
            gained = after.role[p][a] > before.role[p][a]
            out.append(b.implies(b.and_(orphaned, gained), b.and_(via_helpdesk, action.actor == p)))
    return b.and_(*out)
