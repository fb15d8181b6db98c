"""Access traces: the scenario format of the account access model, and its simulator.

An access scenario names the people, PAYE schemes and accounts at the start, then the actions
people attempt, in date order. Its outcome says, for each action, whether it was allowed or
denied and which paragraphs or guide scenarios decided it, and shows the accounts at the end.

    {"kind": "access",
     "people": [{"name": "Ann"}, {"name": "Pat", "kind": "provider_staff"}],
     "paye_schemes": [{"ref": "123/AB456", "employer": "Acme Ltd"}],
     "accounts": [{"id": "acme", "paye": ["123/AB456"], "team": {"Ann": "owner"}}],
     "actions": [{"date": "2026-05-01", "type": "invite", "actor": "Ann", "account": "acme",
                  "person": "Pat", "role": "viewer"}]}
"""

from __future__ import annotations

import datetime as dt
import typing
from typing import Any, Literal

import attrs

from aurules.model.access_state import (
    ACCOUNTS,
    ACTIONS,
    KINDS_OF_PERSON,
    PEOPLE,
    ROLES,
    SCHEMES,
    AccessAction,
    AccessState,
    ActionType,
    Decision,
)
from aurules.model.access_transition import access_step
from aurules.model.calendar import day_number
from aurules.model.errors import BadInput
from aurules.model.registry import paragraph_key
from aurules.model.rulebook import guards
from aurules.model.ruleset import Ruleset
from aurules.model.scenario import doc
from aurules.model.structure import make_converter, structure
from aurules.model.values import PYTHON

PersonKind = Literal["employer_staff", "provider_staff", "employer_provider_staff", "stranger"]
Role = Literal["viewer", "transactor", "owner"]
assert typing.get_args(PersonKind) == KINDS_OF_PERSON.names


@attrs.frozen(kw_only=True)
class Person:
    """Someone who may try to use an account."""

    name: str = doc("Unique name.")
    kind: PersonKind = doc("Whom they work for.", default="employer_staff")
    own_login: bool = doc("Has their own login to the service (access-0).", default=True)
    departed: bool = doc("Has already left the organisation.", default=False)


@attrs.frozen(kw_only=True)
class Scheme:
    """A PAYE scheme."""

    ref: str = doc("PAYE reference.")
    employer: str = doc("The employer operating it (76.1).", default="")


@attrs.frozen(kw_only=True)
class Account:
    """An employer's apprenticeship service account at the start."""

    id: str = doc("Unique id.")
    public_body: bool = doc("A public body's account (76.1).", default=False)
    paye: list[str] = doc("PAYE references attached.", factory=list)
    team: dict[str, Role] = doc("Members by name, with their role.", factory=dict)
    previous_owners: list[str] = doc(
        "People who were owners before (for the helpdesk).", factory=list
    )
    provider_permission: bool = doc("The provider may enter learner details (79).", default=False)


@attrs.frozen(kw_only=True)
class Attempt:
    """An action someone attempts."""

    date: dt.date
    type: ActionType = doc("What is attempted.")
    actor: str = doc("Who attempts it.")
    account: str | None = doc(
        "Which account (for the helpdesk: found by the PAYE reference).", default=None
    )
    person: str | None = doc("Who is acted upon (invite, change_role, remove_user).", default=None)
    role: Role | None = doc("Role offered or set.", default=None)
    paye: str | None = doc(
        "PAYE reference (create_account, add_paye, remove_paye, helpdesk_request).", default=None
    )
    names: list[str] = doc("Names offered to the helpdesk as the previous owner.", factory=list)
    public_body: bool = doc("create_account: the account is a public body's.", default=False)


@attrs.frozen(kw_only=True)
class AccessScenario:
    """An access trace."""

    kind: Literal["access"] = doc("Marks an access scenario.")
    people: list[Person] = doc("Everyone involved.", factory=list)
    paye_schemes: list[Scheme] = doc("Every PAYE scheme involved.", factory=list)
    accounts: list[Account] = doc("Accounts at the start.", factory=list)
    actions: list[Attempt] = doc("Actions in date order.", factory=list)

    @classmethod
    def from_data(cls, data: object, source: str) -> AccessScenario:
        scenario = structure(_CONVERTER, data, cls, source)
        World.of(scenario, source)  # checks every name and the slot limits
        return scenario


_CONVERTER = make_converter()


@attrs.frozen
class World:
    """Slot numbers for the names of a scenario."""

    people: dict[str, int]
    schemes: dict[str, int]
    accounts: dict[str, int]

    @classmethod
    def of(cls, scenario: AccessScenario, source: str) -> World:
        people = _slots([p.name for p in scenario.people], PEOPLE, "people", source)
        schemes = _slots([s.ref for s in scenario.paye_schemes], SCHEMES, "paye_schemes", source)
        names = [a.id for a in scenario.accounts]
        created = [
            a.account
            for a in scenario.actions
            if a.type == "create_account" and a.account and a.account not in names
        ]
        accounts = _slots([*names, *dict.fromkeys(created)], ACCOUNTS, "accounts", source)
        world = cls(people, schemes, accounts)
        world._check(scenario, source)
        return world

    def _check(self, scenario: AccessScenario, source: str) -> None:
        for i, account in enumerate(scenario.accounts):
            for ref in account.paye:
                self._known(self.schemes, ref, f"accounts[{i}].paye", source)
            for name in [*account.team, *account.previous_owners]:
                self._known(self.people, name, f"accounts[{i}].team", source)
        previous: dt.date | None = None
        for i, action in enumerate(scenario.actions):
            where = f"actions[{i}]"
            if previous is not None and action.date < previous:
                raise BadInput(
                    source,
                    f"{where}.date",
                    f"{action.date} is before the previous "
                    f"action's date {previous} (actions must be in date order)",
                )
            previous = action.date
            self._known(self.people, action.actor, f"{where}.actor", source)
            needs = _NEEDS.get(action.type, ())
            for field in needs:
                if getattr(action, field) is None:
                    raise BadInput(source, f"{where}.{field}", f"required for {action.type}")
            if action.account is not None:
                self._known(self.accounts, action.account, f"{where}.account", source)
            if action.person is not None:
                self._known(self.people, action.person, f"{where}.person", source)
            if action.paye is not None:
                self._known(self.schemes, action.paye, f"{where}.paye", source)

    @staticmethod
    def _known(slots: dict[str, int], name: str, field: str, source: str) -> None:
        if name not in slots:
            raise BadInput(source, field, f"{name!r} is not named in the scenario")


_NEEDS: dict[str, tuple[str, ...]] = {
    "create_account": ("account", "paye"),
    "add_paye": ("account", "paye"),
    "remove_paye": ("account", "paye"),
    "invite": ("account", "person", "role"),
    "accept_invitation": ("account",),
    "change_role": ("account", "person", "role"),
    "remove_user": ("account", "person"),
    "log_in": ("account",),
    "grant_provider_permission": ("account",),
    "enter_learner_details": ("account",),
    "approve_learner_details": ("account",),
    "release_funding": ("account",),
    "authorise_payment": ("account",),
    "helpdesk_request": ("paye",),
}


def _slots(names: list[str], limit: int, field: str, source: str) -> dict[str, int]:
    if len(names) != len(set(names)):
        raise BadInput(source, field, "names must be unique")
    if len(names) > limit:
        raise BadInput(source, field, f"at most {limit} are modelled, got {len(names)}")
    return {name: index for index, name in enumerate(names)}


def initial_access_state(scenario: AccessScenario, world: World) -> AccessState:
    """The state at the start (concrete)."""

    def table(value: Any, rows: int) -> list[list[Any]]:
        return [[value] * ACCOUNTS for _ in range(rows)]

    paye_in, role, ever = table(False, SCHEMES), table(0, PEOPLE), table(False, PEOPLE)
    exists, public, permission = [False] * ACCOUNTS, [False] * ACCOUNTS, [False] * ACCOUNTS
    for account in scenario.accounts:
        a = world.accounts[account.id]
        exists[a], public[a], permission[a] = True, account.public_body, account.provider_permission
        for ref in account.paye:
            paye_in[world.schemes[ref]][a] = True
        for name, code in account.team.items():
            role[world.people[name]][a] = ROLES[code]
            ever[world.people[name]][a] = code == "owner"
        for name in account.previous_owners:
            ever[world.people[name]][a] = True
    employers = {s.employer for s in scenario.paye_schemes}
    employer_code = {name: i for i, name in enumerate(sorted(employers))}
    scheme_employer = [0] * SCHEMES
    for scheme in scenario.paye_schemes:
        scheme_employer[world.schemes[scheme.ref]] = employer_code[scheme.employer]
    people = {p.name: p for p in scenario.people}
    slot_people = [people.get(name) for name in sorted(world.people, key=lambda n: world.people[n])]
    pad = PEOPLE - len(slot_people)
    return AccessState(
        exists=tuple(exists),
        public_body=tuple(public),
        paye_in=tuple(tuple(r) for r in paye_in),
        scheme_employer=tuple(scheme_employer),
        role=tuple(tuple(r) for r in role),
        invited=tuple((0,) * ACCOUNTS for _ in range(PEOPLE)),
        invited_day=tuple((0,) * ACCOUNTS for _ in range(PEOPLE)),
        ever_owner=tuple(tuple(r) for r in ever),
        own_login=tuple([p.own_login for p in slot_people if p] + [False] * pad),
        departed=tuple([p.departed for p in slot_people if p] + [False] * pad),
        kind=tuple(
            [KINDS_OF_PERSON[p.kind] for p in slot_people if p]
            + [KINDS_OF_PERSON["stranger"]] * pad
        ),
        provider_permission=tuple(permission),
        details_entered=(False,) * ACCOUNTS,
        details_approved=(False,) * ACCOUNTS,
        funding_released=(False,) * ACCOUNTS,
    )


def action_facts(action: Attempt, world: World, state: AccessState) -> AccessAction:
    """An attempt as integer facts; the helpdesk finds the account by the PAYE reference."""
    scheme = world.schemes.get(action.paye or "", 0)
    account = world.accounts.get(action.account or "", 0)
    if action.type == "helpdesk_request":
        holding = [a for a in range(ACCOUNTS) if state.paye_in[scheme][a]]
        account = holding[0] if holding else 0
    return AccessAction(
        kind=ACTIONS[action.type],
        day=day_number(action.date),
        actor=world.people[action.actor],
        account=account,
        person=world.people.get(action.person or "", 0),
        role=ROLES[action.role] if action.role else 0,
        scheme=scheme,
        names=tuple(any(world.people.get(n) == p for n in action.names) for p in range(PEOPLE)),
        public_body=action.public_body,
    )


@attrs.frozen(kw_only=True)
class AccessStep:
    index: int
    attempt: Attempt
    before: AccessState
    after: AccessState
    decision: Decision
    paragraphs: list[str]


def run_access(
    scenario: AccessScenario, ruleset: Ruleset, source: str = "<access>"
) -> tuple[list[AccessStep], World]:
    """Every attempt through the access rules, in order."""
    world = World.of(scenario, source)
    state = initial_access_state(scenario, world)
    steps = []
    for index, attempt in enumerate(scenario.actions):
        facts = action_facts(attempt, world, state)
        after, decision = access_step(state, facts, ruleset, PYTHON)
        failing = [g for g in guards(attempt.type, ruleset) if not decision.conditions[g.name]]
        deciding = failing if failing else list(guards(attempt.type, ruleset))
        paragraphs = sorted({p for g in deciding for p in g.paragraphs}, key=paragraph_key)
        steps.append(
            AccessStep(
                index=index,
                attempt=attempt,
                before=state,
                after=after,
                decision=decision,
                paragraphs=paragraphs,
            )
        )
        state = after
    return steps, world


def access_outcome(
    scenario: AccessScenario, ruleset: Ruleset, source: str = "<access>"
) -> dict[str, Any]:
    """The outcome: each action allowed or denied with its deciding paragraphs, and the
    accounts at the end."""
    steps, world = run_access(scenario, ruleset, source)
    final = steps[-1].after if steps else initial_access_state(scenario, world)
    names = {slot: name for name, slot in world.people.items()}
    refs = {slot: ref for ref, slot in world.schemes.items()}
    actions = []
    for step in steps:
        failing = [
            g for g in guards(step.attempt.type, ruleset) if not step.decision.conditions[g.name]
        ]
        actions.append(
            {
                "index": step.index,
                "date": step.attempt.date.isoformat(),
                "type": step.attempt.type,
                "actor": step.attempt.actor,
                "allowed": bool(step.decision.allowed),
                "paragraphs": step.paragraphs,
                "reason": "; ".join(g.summary_under(ruleset) for g in failing) if failing else "",
            }
        )
    accounts = []
    for account_id, a in world.accounts.items():
        if not final.exists[a]:
            continue
        accounts.append(
            {
                "id": account_id,
                "paye": sorted(
                    refs[k] for k in range(SCHEMES) if k in refs and final.paye_in[k][a]
                ),
                "team": {
                    names[p]: ROLES.name(final.role[p][a])
                    for p in range(PEOPLE)
                    if p in names and final.role[p][a]
                },
                "departed_owners": sorted(
                    names[p]
                    for p in range(PEOPLE)
                    if p in names and final.role[p][a] == ROLES["owner"] and final.departed[p]
                ),
                "provider_permission": bool(final.provider_permission[a]),
                "learner_details": (
                    "approved"
                    if final.details_approved[a]
                    else "entered"
                    if final.details_entered[a]
                    else "none"
                ),
                "funding_released": bool(final.funding_released[a]),
            }
        )
    return {"kind": "access", "actions": actions, "accounts": accounts}


def render_access(outcome: dict[str, Any]) -> str:
    """An access outcome for a person: each action and what decided it, then the accounts."""
    lines = ["Actions:"]
    for action in outcome["actions"]:
        verdict = "allowed" if action["allowed"] else "DENIED"
        lines.append(
            f"  {action['date']}  {action['actor']:<10} {action['type']:<26} "
            f"{verdict:<8} ({', '.join(action['paragraphs'])})"
        )
        if action["reason"]:
            lines.append(f"{'':14}{action['reason']}")
    lines.append("Accounts at the end:")
    for account in outcome["accounts"]:
        team = ", ".join(f"{name} ({role})" for name, role in account["team"].items())
        lines.append(
            f"  {account['id']}: PAYE {', '.join(account['paye']) or 'none'}; team "
            f"{team or 'none'}; learner details {account['learner_details']}; "
            f"funding released {str(account['funding_released']).lower()}"
        )
    return "\n".join(lines)
