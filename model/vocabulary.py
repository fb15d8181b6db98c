"""The names a proposal's expressions may read, with their types and meanings.

Three families, all listed by `aurules facts`:

- **start facts**: the scenario's fields by dotted path (`learner.employment`,
  `plan.planned_hours`), a few derived facts (`age_at_start`, `planned_days`,
  `levy_balance`), every other derived fact by its path (`reservation.months_to_start`), and
  the proposal's own new facts (`learner.care_leaver`);
- **lifecycle quantities** (claim rules only): the state when a claim is made
  (`delivered_hours`, `claim_date`, `skills_test_passed`, ...);
- **parameters**: `params.<section>.<key>` of the ruleset in use (bands resolved).

Each name reads a value-layer term from a `Context`, so the same compiled expression runs on
Python values, Z3 terms and NumPy columns.
"""

from __future__ import annotations

import typing
from collections.abc import Iterable
from typing import Any

import attrs

from aurules.model.expressions import (
    BOOL,
    DATE,
    HOURS,
    INT,
    MONEY,
    NUMBER,
    Context,
    Getter,
    Name,
    Type,
)
from aurules.model.facts import FACT_FIELDS, HOURS_FACTS, PENCE_FACTS
from aurules.model.money import HOURS_SCALE, SHARE_WHOLE, Money, Rate
from aurules.model.parameters import SECTIONS, Interpretations

PENCE = 100

SCENARIO_FIELDS = {
    "learner.residency_eligible": "residency_eligible",
    "learner.employment": "employment",
    "learner.director_or_psc": "director_or_psc",
    "learner.separate_line_manager": "separate_line_manager",
    "learner.share_of_hours_in_england": "share_in_england",
    "learner.in_account_paye_scheme": "in_account_paye_scheme",
    "learner.paid_apprentice_rate": "paid_apprentice_rate",
    "learner.student_loan_funded": "student_loan_funded",
    "learner.duplicate_funding": "duplicate_funding",
    "learner.on_apprenticeship": "on_apprenticeship",
    "learner.on_other_unit": "on_other_unit",
    "learner.adult_skills_fund_conflict": "adult_skills_fund_conflict",
    "learner.other_dfe_funding": "other_dfe_funding",
    "learner.sandwich_placement": "sandwich_placement",
    "learner.prior_learning_hours": "prior_learning_hours",
    "learner.learning_difficulty_or_disability": "ldd",
    "employer.relationship": "relationship",
    "employer.levy_payer": "levy_payer",
    "employer.funding": "funding",
    "employer.levy_balance": "levy_balance",
    "unit.published_min_hours": "published_min_hours",
    "unit.provider_approved": "provider_approved",
    "unit.funding_rate": "funding_rate",
    "plan.start_date": "start_day",
    "plan.planned_end_date": "planned_end_day",
    "plan.planned_hours": "planned_hours",
    "plan.price": "price",
    "plan.subcontracted": "subcontracted",
    "plan.learner_contribution": "learner_contribution",
}
"""Scenario fields an expression reads by their own path, and the fact that holds each."""


def _fact_type(field: attrs.Attribute[Any]) -> tuple[Type, int]:
    codes = field.metadata["codes"]
    if field.metadata["kind"] == "bool":
        return BOOL, 1
    if codes is not None:
        return Type("enum", tuple(codes.names)), 1
    if field.name.endswith("_day"):
        return DATE, 1
    if field.name in HOURS_FACTS:
        return HOURS, HOURS_SCALE
    if field.name in PENCE_FACTS:
        return MONEY, PENCE
    if field.name == "share_in_england":
        return NUMBER, SHARE_WHOLE
    return INT, 1


def _fact_getter(name: str) -> Getter:
    return lambda ctx: getattr(ctx.facts, name)


def _planned_days(ctx: Context) -> Any:
    days = ctx.facts.planned_end_day - ctx.facts.start_day
    return days + 1 if ctx.params.interpretations.duration_days == "inclusive" else days


def start_names(new_facts: Iterable[Any] = ()) -> dict[str, Name]:
    """Every start fact by name (scenario fields, derived facts, the proposal's new facts)."""
    fields = {f.name: f for f in FACT_FIELDS}
    out: dict[str, Name] = {}
    for path, field_name in SCENARIO_FIELDS.items():
        field = fields[field_name]
        kind, scale = _fact_type(field)
        meaning = str(field.metadata["doc"])
        out[path] = Name(
            name=path, type=kind, scale=scale, meaning=meaning, get=_fact_getter(field_name)
        )
    out["age_at_start"] = Name(
        name="age_at_start",
        type=INT,
        scale=1,
        meaning="Age in whole years on the learning start date (interpretation `age`).",
        get=_fact_getter("age_years"),
    )
    out["planned_days"] = Name(
        name="planned_days",
        type=INT,
        scale=1,
        meaning="Planned duration in days (interpretation `duration_days`).",
        get=_planned_days,
    )
    out["levy_balance"] = Name(
        name="levy_balance",
        type=MONEY,
        scale=PENCE,
        meaning="Funds in the employer's account: at the start in a start rule, when the "
        "claim is made in a claim rule.",
        get=_fact_getter("levy_balance"),
    )
    for field in FACT_FIELDS:
        path = str(field.metadata["path"])
        if path in out:
            continue
        kind, scale = _fact_type(field)
        out[path] = Name(
            name=path,
            type=kind,
            scale=scale,
            meaning=f"{field.metadata['doc']} (derived from {field.metadata['sources']})",
            get=_fact_getter(field.name),
        )
    for new in new_facts:
        out[new.path] = Name(
            name=new.path,
            type=new.type,
            scale=new.scale,
            meaning=new.description or "A fact the proposal adds.",
            get=_extra_getter(new.path),
        )
    return out


def _extra_getter(path: str) -> Getter:
    return lambda ctx: ctx.facts.extra[path]


def _state(name: str) -> Getter:
    return lambda ctx: getattr(ctx.state, name)


def _signed_off(ctx: Context) -> Any:
    s = ctx.state
    return ctx.b.and_(s.signed_provider, s.signed_learner, s.signed_employer)


LIFECYCLE: tuple[tuple[str, Type, int, str, Getter], ...] = (
    ("claim_date", DATE, 1, "The date of the claim.", lambda ctx: ctx.event.day),
    (
        "days_since_start",
        INT,
        1,
        "Days from the learning start date to the claim.",
        lambda ctx: ctx.event.day - ctx.state.start_day,
    ),
    ("delivered_hours", HOURS, HOURS_SCALE, "Delivery hours counted so far.", _state("delivered")),
    (
        "recorded_hours",
        HOURS,
        HOURS_SCALE,
        "Of the counted hours, those caught up by recording (50.3).",
        _state("recorded"),
    ),
    (
        "current_planned_hours",
        HOURS,
        HOURS_SCALE,
        "Planned delivery hours now (a restart may agree new ones).",
        _state("planned_hours"),
    ),
    (
        "current_planned_end_date",
        DATE,
        1,
        "Planned end date now, as extended or restarted.",
        _state("planned_end_day"),
    ),
    ("skills_test_passed", BOOL, 1, "The skills test is passed (61).", _state("skills_passed")),
    ("signed_off", BOOL, 1, "Provider, learner and employer have signed off (63).", _signed_off),
    ("employed", BOOL, 1, "Employment continues (127).", _state("employed")),
    ("withdrawn", BOOL, 1, "Withdrawn and not restarted (125).", _state("withdrawn")),
    ("on_leave", BOOL, 1, "On leave now.", lambda ctx: ctx.state.leave != 0),
    ("milestone_1_paid", BOOL, 1, "Milestone 1 is paid and not recovered.", _state("m1_held")),
    ("milestone_2_paid", BOOL, 1, "Milestone 2 is paid and not recovered.", _state("m2_held")),
    ("levy_payer_now", BOOL, 1, "The employer pays the levy now (95).", _state("levy_payer")),
    (
        "levy_balance",
        MONEY,
        PENCE,
        "Funds in the employer's account when the claim is made.",
        _state("balance"),
    ),
)


def claim_names(new_facts: Iterable[Any] = ()) -> dict[str, Name]:
    """The start facts and the lifecycle quantities a claim rule may read."""
    out = start_names(new_facts)
    for name, kind, scale, meaning, get in LIFECYCLE:
        out[name] = Name(
            name=name, type=kind, scale=scale, meaning=meaning, get=get, claim_only=True
        )
    return out


def _param_getter(section: str, key: str, attribute: str | None) -> Getter:
    if attribute is None:
        return lambda ctx: getattr(getattr(ctx.params, section), key)
    return lambda ctx: getattr(getattr(getattr(ctx.params, section), key), attribute)


def _choice_getter(key: str, options: tuple[Any, ...]) -> Getter:
    return lambda ctx: options.index(getattr(ctx.params.interpretations, key))


def param_names(ruleset: Any) -> dict[str, Name]:
    """`params.<section>.<key>` for every parameter and interpretation of `ruleset`."""
    out: dict[str, Name] = {}
    for section, cls in SECTIONS.items():
        values = getattr(ruleset, section)
        for field in attrs.fields(cls):
            value = getattr(values, field.name)
            path = f"params.{section}.{field.name}"
            meaning = str(field.metadata["description"])
            if isinstance(value, Rate):
                kind, scale, get = NUMBER, value.den, _param_getter(section, field.name, "num")
            elif isinstance(value, Money):
                kind, scale = MONEY, PENCE
                get = _param_getter(section, field.name, "pence")
            else:
                kind = HOURS if field.metadata["unit"] == "hour" else INT
                scale, get = 1, _param_getter(section, field.name, None)
            out[path] = Name(name=path, type=kind, scale=scale, meaning=meaning, get=get)
    hints = typing.get_type_hints(Interpretations)
    for field in attrs.fields(Interpretations):
        path = f"params.interpretations.{field.name}"
        meaning = str(field.metadata["description"])
        if hints[field.name] is bool:
            out[path] = Name(
                name=path,
                type=BOOL,
                scale=1,
                meaning=meaning,
                get=_param_getter("interpretations", field.name, None),
            )
            continue
        options = typing.get_args(hints[field.name])
        out[path] = Name(
            name=path,
            type=Type("enum", tuple(str(o) for o in options)),
            scale=1,
            meaning=meaning,
            get=_choice_getter(field.name, options),
        )
    return out
