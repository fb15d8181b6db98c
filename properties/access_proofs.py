"""Z3 checks of the access invariants over the access model's transition relation (built
from the same guards and effects as the simulator), in a bounded world of
`ACCOUNTS` accounts, `SCHEMES` PAYE schemes and `PEOPLE` people.

As for the lifecycle: Houdini induction gives `proved`; what it cannot prove is checked by
bounded model checking from every well-formed world that satisfies the state invariants and
that a scenario can describe (no pending invitations or learner records at the start), with
the shortest counterexample turned back into an access scenario and replayed.
"""

from __future__ import annotations

import datetime as dt
import time
from typing import Any

import attrs
import z3

from aurules.model.access_state import (
    ACCOUNTS,
    ACTIONS,
    KINDS_OF_PERSON,
    PEOPLE,
    ROLES,
    SCHEMES,
    AccessAction,
    AccessState,
)
from aurules.model.access_transition import access_step
from aurules.model.ruleset import Ruleset
from aurules.model.symbolic.unrolling import RLIMIT
from aurules.model.values_z3 import Z3, check_within, constant, tracked
from aurules.properties.access_invariants import ACCESS_INVARIANTS
from aurules.properties.invariant import Invariant
from aurules.properties.verdict import Verdict, proved_else_bounded

SHAPES: dict[str, tuple[str, tuple[int, ...]]] = {
    "exists": ("bool", (ACCOUNTS,)),
    "public_body": ("bool", (ACCOUNTS,)),
    "paye_in": ("bool", (SCHEMES, ACCOUNTS)),
    "scheme_employer": ("int", (SCHEMES,)),
    "role": ("int", (PEOPLE, ACCOUNTS)),
    "invited": ("int", (PEOPLE, ACCOUNTS)),
    "invited_day": ("int", (PEOPLE, ACCOUNTS)),
    "ever_owner": ("bool", (PEOPLE, ACCOUNTS)),
    "own_login": ("bool", (PEOPLE,)),
    "departed": ("bool", (PEOPLE,)),
    "kind": ("int", (PEOPLE,)),
    "provider_permission": ("bool", (ACCOUNTS,)),
    "details_entered": ("bool", (ACCOUNTS,)),
    "details_approved": ("bool", (ACCOUNTS,)),
    "funding_released": ("bool", (ACCOUNTS,)),
}


FIRST_DAY = dt.date(2026, 5, 3)
"""Day 1 of a witness's actions is 4 May 2026 (only the gaps between days matter)."""


def symbolic_access_state(tag: str) -> AccessState:
    fields = {}
    for name, (sort, shape) in SHAPES.items():
        if len(shape) == 1:
            fields[name] = tuple(constant(f"{tag}.{name}[{i}]", sort) for i in range(shape[0]))
        else:
            fields[name] = tuple(
                tuple(constant(f"{tag}.{name}[{i}][{j}]", sort) for j in range(shape[1]))
                for i in range(shape[0])
            )
    return AccessState(**fields)


def symbolic_action(tag: str) -> AccessAction:
    return AccessAction(
        kind=z3.Int(f"{tag}.kind"),
        day=z3.Int(f"{tag}.day"),
        actor=z3.Int(f"{tag}.actor"),
        account=z3.Int(f"{tag}.account"),
        person=z3.Int(f"{tag}.person"),
        role=z3.Int(f"{tag}.role"),
        scheme=z3.Int(f"{tag}.scheme"),
        names=tuple(z3.Bool(f"{tag}.names[{p}]") for p in range(PEOPLE)),
        public_body=z3.Bool(f"{tag}.public_body"),
    )


def _flat(value: Any) -> list[Any]:
    return [x for row in value for x in _flat(row)] if isinstance(value, tuple) else [value]


def _equal(x: AccessState, y: AccessState) -> Any:
    return z3.And(
        [
            a == b
            for f in attrs.fields(AccessState)
            for a, b in zip(_flat(getattr(x, f.name)), _flat(getattr(y, f.name)), strict=True)
        ]
    )


def action_domain(a: AccessAction, s: AccessState, previous_day: Any) -> Any:
    """What `action_facts` produces: slots in range, the helpdesk's account found by the
    PAYE reference, dates in order."""
    holds = z3.Or(
        *[
            z3.And(
                a.scheme == k,
                s.paye_in[k][c],
                a.account == c,
                *[z3.Not(s.paye_in[k][d]) for d in range(c)],
            )
            for k in range(SCHEMES)
            for c in range(ACCOUNTS)
        ]
    )
    nobody = z3.And(
        *[z3.Implies(a.scheme == k, z3.Not(z3.Or(*s.paye_in[k]))) for k in range(SCHEMES)]
    )
    return z3.And(
        a.kind >= 0,
        a.kind < len(ACTIONS.names),
        a.day >= 1,
        a.day >= previous_day,
        a.day <= previous_day + 400,
        a.actor >= 0,
        a.actor < PEOPLE,
        a.person >= 0,
        a.person < PEOPLE,
        a.account >= 0,
        a.account < ACCOUNTS,
        a.scheme >= 0,
        a.scheme < SCHEMES,
        a.role >= 0,
        a.role <= ROLES["owner"],
        z3.Implies(
            a.kind == ACTIONS["helpdesk_request"], z3.Or(holds, z3.And(nobody, a.account == 0))
        ),
        # an action names an account a scenario can name: one that exists, or a new one
        z3.Implies(
            z3.And(
                a.kind != ACTIONS["create_account"],
                a.kind != ACTIONS["helpdesk_request"],
                a.kind != ACTIONS["leave_organisation"],
            ),
            z3.Or(*[z3.And(a.account == c, s.exists[c]) for c in range(ACCOUNTS)]),
        ),
    )


def start_domain(s: AccessState) -> Any:
    """A world a scenario can describe: no pending invitations or learner records, accounts
    exist in the first slots, kinds in range."""
    out = [e >= 0 for e in s.scheme_employer]
    out += [z3.And(k >= 0, k < len(KINDS_OF_PERSON.names)) for k in s.kind]
    for a in range(ACCOUNTS):
        out += [
            z3.Not(s.details_entered[a]),
            z3.Not(s.details_approved[a]),
            z3.Not(s.funding_released[a]),
        ]
        for p in range(PEOPLE):
            out += [s.invited[p][a] == 0, s.invited_day[p][a] == 0]
    for a in range(1, ACCOUNTS):
        out.append(z3.Implies(s.exists[a], s.exists[a - 1]))
    return z3.And(*out)


def _holds(
    inv: Invariant, before: AccessState, action: AccessAction, decision: Any, after: AccessState
) -> Any:
    if inv.over == "state":
        return inv.predicate(after, Z3)
    return inv.predicate(before, action, decision, after, Z3)


def _check(solver: z3.Solver, *assumptions: Any) -> Any:
    return check_within(solver, RLIMIT, *assumptions)


def induction(ruleset: Ruleset, invariants: list[Invariant]) -> set[str]:
    """Houdini over the state invariants; step invariants proved from the inductive set."""
    state, action = symbolic_access_state("pre"), symbolic_action("act")
    after, decision = access_step(state, action, ruleset, Z3)
    day = z3.Int("pre.day")
    domain = action_domain(action, state, day)
    candidates = {inv.name: inv for inv in invariants if inv.over == "state"}
    while True:
        solver = z3.Solver()
        solver.add(domain, *[c.predicate(state, Z3) for c in candidates.values()])
        broken = None
        for name, candidate in candidates.items():
            if _check(solver, z3.Not(candidate.predicate(after, Z3))) != z3.unsat:
                broken = name
                break
        if broken is None:
            break
        del candidates[broken]
    proved = set(candidates)
    solver = z3.Solver()
    solver.add(domain, *[c.predicate(state, Z3) for c in candidates.values()])
    for inv in invariants:
        if (
            inv.over == "step"
            and _check(solver, z3.Not(inv.predicate(state, action, decision, after, Z3)))
            == z3.unsat
        ):
            proved.add(inv.name)
    return proved


def bounded(ruleset: Ruleset, invariants: list[Invariant], depth: int) -> dict[str, Verdict]:
    """Bounded model checking from good, describable worlds; shortest witnesses."""
    first = symbolic_access_state("w0")
    solver = z3.Solver()
    solver.add(
        start_domain(first),
        *[inv.predicate(first, Z3) for inv in ACCESS_INVARIANTS if inv.over == "state"],
    )
    states, actions, decisions = [first], [], []
    verdicts: dict[str, Verdict] = {}
    pending = list(invariants)
    started = time.perf_counter()
    day: Any = z3.IntVal(1)
    for k in range(1, depth + 1):
        action = symbolic_action(f"a{k - 1}")
        nxt = symbolic_access_state(f"w{k}")
        after, decision = access_step(states[-1], action, ruleset, Z3)
        solver.add(action_domain(action, states[-1], day), _equal(nxt, after))
        day = action.day
        states.append(nxt)
        actions.append(action)
        decisions.append(decision)
        for inv in list(pending):
            bad = z3.Not(_holds(inv, states[-2], action, decision, nxt))
            answer = _check(solver, tracked(solver, bad, f"bad.{inv.name}.{k}"))
            if answer == z3.unsat:
                continue
            pending.remove(inv)
            if answer == z3.unknown:
                verdicts[inv.name] = Verdict(
                    invariant=inv.name,
                    method="z3 bmc",
                    verdict="unknown",
                    depth=k,
                    seconds=time.perf_counter() - started,
                    detail=solver.reason_unknown(),
                )
                continue
            scenario = scenario_from_model(solver.model(), states[0], actions)
            verdicts[inv.name] = Verdict(
                invariant=inv.name,
                method="z3 bmc",
                verdict="violated",
                depth=k,
                step=k,
                seconds=time.perf_counter() - started,
                scenario=scenario,
                detail=f"found by z3 after {k} action(s)",
            )
    for inv in pending:
        verdicts[inv.name] = Verdict(
            invariant=inv.name,
            method="z3 bmc",
            verdict=f"holds to depth {depth}",
            depth=depth,
            seconds=time.perf_counter() - started,
        )
    return verdicts


def scenario_from_model(
    model: Any, start: AccessState, actions: list[AccessAction]
) -> dict[str, Any]:
    """A Z3 model as an access scenario in the public format."""

    def v(term: Any) -> Any:
        result = model.eval(term, model_completion=True)
        return z3.is_true(result) if z3.is_bool(result) else result.as_long()

    people = [f"P{p}" for p in range(PEOPLE)]
    schemes = [f"{100 + k}/S{k}" for k in range(SCHEMES)]
    accounts = [f"A{a}" for a in range(ACCOUNTS)]
    data: dict[str, Any] = {
        "kind": "access",
        "people": [
            {
                "name": people[p],
                "kind": KINDS_OF_PERSON.name(v(start.kind[p])),
                "own_login": v(start.own_login[p]),
                "departed": v(start.departed[p]),
            }
            for p in range(PEOPLE)
        ],
        "paye_schemes": [
            {"ref": schemes[k], "employer": f"E{v(start.scheme_employer[k])}"}
            for k in range(SCHEMES)
        ],
        "accounts": [],
        "actions": [],
    }
    for a in range(ACCOUNTS):
        if not v(start.exists[a]):
            continue
        data["accounts"].append(
            {
                "id": accounts[a],
                "public_body": v(start.public_body[a]),
                "paye": [schemes[k] for k in range(SCHEMES) if v(start.paye_in[k][a])],
                "team": {
                    people[p]: ROLES.name(v(start.role[p][a]))
                    for p in range(PEOPLE)
                    if v(start.role[p][a]) > 0
                },
                "previous_owners": [
                    people[p]
                    for p in range(PEOPLE)
                    if v(start.ever_owner[p][a]) and v(start.role[p][a]) != ROLES["owner"]
                ],
                "provider_permission": v(start.provider_permission[a]),
            }
        )
    for action in actions:
        kind = ACTIONS.name(v(action.kind))
        entry: dict[str, Any] = {
            "date": (FIRST_DAY + dt.timedelta(days=v(action.day))).isoformat(),
            "type": kind,
            "actor": people[v(action.actor)],
            "account": accounts[v(action.account)],
        }
        if kind in ("invite", "change_role", "remove_user"):
            entry["person"] = people[v(action.person)]
        if kind in ("invite", "change_role"):
            role = v(action.role)
            entry["role"] = ROLES.name(role) if role else "viewer"
        if kind in ("create_account", "add_paye", "remove_paye", "helpdesk_request"):
            entry["paye"] = schemes[v(action.scheme)]
        if kind == "create_account":
            entry["public_body"] = v(action.public_body)
        if kind in ("helpdesk_request", "leave_organisation"):
            entry.pop("account")
            entry["names"] = [people[p] for p in range(PEOPLE) if v(action.names[p])]
        data["actions"].append(entry)
    return data


def check_access(ruleset: Ruleset, depth: int) -> dict[str, Verdict]:
    """Every access invariant: proved by induction where possible, else bounded."""
    return proved_else_bounded(
        ACCESS_INVARIANTS,
        lambda: (induction(ruleset, ACCESS_INVARIANTS), ""),
        lambda rest: bounded(ruleset, rest, depth),
    )
