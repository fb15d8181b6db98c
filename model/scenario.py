"""The scenario format of the public contract: attrs classes with the contract's defaults.

A minimal scenario (date of birth, unit hours and rate, plan dates, hours and price)
describes an eligible learner on the happy path; every other field defaults as documented in
`spec/interface.md` and the README. `Scenario.from_json` is the only way in from a file: it
returns a scenario or raises `BadInput` naming the file, the field path and the problem.
"""

from __future__ import annotations

import datetime as dt
import json
import typing
from collections.abc import Iterable
from decimal import Decimal
from pathlib import Path
from typing import Any, Literal, NewType

import attrs

from aurules.model.errors import BadInput, FieldError
from aurules.model.money import Money, format_hours, show
from aurules.model.structure import Hours, Share, make_converter, structure

Count = NewType("Count", int)
"""A non-negative whole number (e.g. published minimum delivery hours)."""

Employment = Literal[
    "employee",
    "sole_trader",
    "ir35_worker",
    "office_holder",
    "prisoner_on_rotl",
    "prisoner_closed_estate",
]
Relationship = Literal["direct", "connected_company", "pooled_paye", "none"]
FundingRoute = Literal["levy", "reservation", "transfer"]
ClaimItem = Literal["milestone_1", "milestone_2", "learning_support"]
LeaveKind = Literal["maternity", "adoption", "shared_parental", "paternity"]
Signatory = Literal["provider", "learner", "employer"]


MINIMAL: dict[str, Any] = {
    "learner": {"date_of_birth": "2000-01-15"},
    "unit": {"published_min_hours": 60, "funding_rate": "1500.00"},
    "plan": {
        "start_date": "2026-05-04",
        "planned_end_date": "2026-07-27",
        "planned_hours": 60,
        "price": "1500.00",
    },
}
"""The contract's minimal scenario: only the required fields; an eligible learner."""


def doc(text: str, **kwargs: Any) -> Any:
    """An attrs field with a description (used by the JSON Schema and `explain`)."""
    metadata = {"doc": text}
    return attrs.field(metadata=metadata, **kwargs)


@attrs.frozen(kw_only=True)
class Learner:
    """Facts about the learner at the start of the unit."""

    date_of_birth: dt.date = doc("Date of birth (21.2, 22.1).")
    residency_eligible: bool = doc("Meets the residency criteria (21.1).", default=True)
    employment: Employment = doc("Kind of employment (24.1, 24.2, 27, 27.1).", default="employee")
    release_date: dt.date | None = doc(
        "Release date, prisoners in the closed estate only (27.1.2).", default=None
    )
    contract_end_date: dt.date | None = doc(
        "End of a fixed-term contract; null if open-ended (22.2, 27).", default=None
    )
    right_to_work_end_date: dt.date | None = doc(
        "End of the right to work, e.g. visa expiry (22.2).", default=None
    )
    director_or_psc: bool = doc(
        "Shareholder, director or person of significant control (24.3).", default=False
    )
    separate_line_manager: bool = doc(
        "Has a separate, identifiable line manager (24.3, 28).", default=True
    )
    weekly_hours: Hours = doc("Normal weekly working hours (39, 41).", default=Hours(3750))
    share_of_hours_in_england: Share = doc(
        "Share of working hours spent in England, 0 to 1 (22.5).", default=Share(1_000_000)
    )
    in_account_paye_scheme: bool = doc(
        "In the PAYE scheme declared in the account (29).", default=True
    )
    paid_apprentice_rate: bool = doc(
        "Paid the apprentice rate of the minimum wage (30).", default=False
    )
    student_loan_funded: bool = doc("A student loan pays for the unit (22.3).", default=False)
    duplicate_funding: bool = doc(
        "Training duplicates funding from another source (22.4).", default=False
    )
    on_apprenticeship: bool = doc("Already on an apprenticeship (24.4).", default=False)
    on_other_unit: bool = doc("Already on another apprenticeship unit (24.4).", default=False)
    adult_skills_fund_conflict: bool = doc(
        "Adult Skills Fund training that conflicts (24.5).", default=False
    )
    other_dfe_funding: bool = doc("Other DfE funding during the unit (24.6).", default=False)
    sandwich_placement: bool = doc("On a degree's sandwich placement (24.7).", default=False)
    prior_learning_hours: Hours = doc(
        "Planned hours already covered by prior learning (26.1).", default=Hours(0)
    )
    learning_difficulty_or_disability: bool = doc(
        "Has a learning difficulty or disability (31-35).", default=False
    )


@attrs.frozen(kw_only=True)
class Reservation:
    """A reservation of funds by a non-levy employer (84-88)."""

    made_on: dt.date | None = doc("When it was made; null: before the start (85).", default=None)
    start_date: dt.date | None = doc(
        "The start date it was made for; null: the learner's start date (88).", default=None
    )


@attrs.frozen(kw_only=True)
class Transfer:
    """A levy transfer from a sending employer (106-121)."""

    approved_on: dt.date | None = doc("Approved by the sender (111, 115).", default=None)
    accepted_on: dt.date | None = doc("Accepted by the receiver (111, 115, 116).", default=None)
    sender_balance: Money | None = doc(
        "Sender's funds at the start; null: enough for the whole unit (108, 119, 120).",
        default=None,
    )
    sender_levy_declared: Money | None = doc(
        "Levy the sender declared in the previous tax year, English percentage applied, which "
        "sets its transfer allowance (106, 106.1); null: not known, the allowance not checked.",
        default=None,
    )
    sender_allowance_used: Money = doc(
        "Of the sender's allowance this year, already committed to other transfers (106, 109).",
        default=Money(0),
    )


@attrs.frozen(kw_only=True)
class Employer:
    """The employer and how the unit is funded."""

    relationship: Relationship = doc(
        "How the learner is employed by the account holder (23, 23.1).", default="direct"
    )
    levy_payer: bool = doc("Pays the levy (73, 74, 92, 93).", default=False)
    levy_balance: Money = doc("Funds in the account at the start.", default=Money(0))
    funding: FundingRoute = doc("How the start is funded (71).", default="reservation")
    reservation: Reservation = doc("Reservation details (84-88).", factory=Reservation)
    transfer: Transfer = doc("Transfer details (106-121).", factory=Transfer)


@attrs.frozen(kw_only=True)
class Unit:
    """The apprenticeship unit as published."""

    published_min_hours: Count = doc("Published minimum delivery hours, 30 to 140 (46).")
    funding_rate: Money = doc("The unit's funding rate (glossary).")
    provider_approved: bool = doc(
        "Provider approved to deliver this approved unit (10-12, 25).", default=True
    )


@attrs.frozen(kw_only=True)
class Plan:
    """The training plan and the contract for services."""

    start_date: dt.date = doc("Learning start date (3, 21.2).")
    planned_end_date: dt.date = doc("Learning planned end date (39, 129).")
    planned_hours: Hours = doc("Planned delivery hours (48.1).")
    price: Money = doc("Agreed price excluding VAT (89).")
    training_plan_signed_on: dt.date | None = doc(
        "When the plan was signed; null: on the start date (55).", default=None
    )
    subcontracted: bool = doc("Delivery subcontracted (50, 124).", default=False)
    learner_contribution: Money = doc(
        "Money asked of the learner; anything above 0 breaches 96.", default=Money(0)
    )


# Events (the lifecycle). Each has a date and a type; the lifecycle gives them meaning.


@attrs.frozen(kw_only=True)
class Delivered:
    """Delivery hours received (44-50, 137)."""

    date: dt.date
    type: Literal["delivered"] = "delivered"
    hours: Hours = doc("Hours delivered, more than 0.")
    recorded_hours: Hours = doc("Of which caught up by recording (50.3).", default=Hours(0))
    kit_day: bool = doc("Delivered on a KIT or SPLIT day (132-137).", default=False)


@attrs.frozen(kw_only=True)
class Claim:
    """A claim for a milestone or for learning support."""

    date: dt.date
    type: Literal["claim"] = "claim"
    item: ClaimItem = doc("What is claimed.")
    cost: Money | None = doc("Cost of reasonable adjustments (learning support, 35).", default=None)
    authorised: bool = doc(
        "Learning support above the fixed amount, authorised on a claim form (35.3): paid at "
        "its cost.",
        default=False,
    )


@attrs.frozen(kw_only=True)
class SkillsTestPassed:
    """The learner passed the skills test (60, 61)."""

    date: dt.date
    type: Literal["skills_test_passed"] = "skills_test_passed"


@attrs.frozen(kw_only=True)
class PlanSignedOff:
    """The training plan signed off as delivered (63, 64)."""

    date: dt.date
    type: Literal["plan_signed_off"] = "plan_signed_off"
    by: list[Signatory] = doc("Who signed.", factory=lambda: ["provider", "learner", "employer"])


@attrs.frozen(kw_only=True)
class Extended:
    """The planned end date moved (130)."""

    date: dt.date
    type: Literal["extended"] = "extended"
    to: dt.date = doc("The new planned end date.")


@attrs.frozen(kw_only=True)
class LeaveStarted:
    """Parental leave began (131-137)."""

    date: dt.date
    type: Literal["leave_started"] = "leave_started"
    kind: LeaveKind = doc("Kind of leave.")


@attrs.frozen(kw_only=True)
class LeaveEnded:
    """Parental leave ended."""

    date: dt.date
    type: Literal["leave_ended"] = "leave_ended"


@attrs.frozen(kw_only=True)
class EmploymentEnded:
    """Employment ended (127)."""

    date: dt.date
    type: Literal["employment_ended"] = "employment_ended"
    reason: str = doc("Why, e.g. resignation, dismissal, redundancy.", default="")


@attrs.frozen(kw_only=True)
class Withdrawn:
    """The learner withdrew (125)."""

    date: dt.date
    type: Literal["withdrawn"] = "withdrawn"


@attrs.frozen(kw_only=True)
class Restarted:
    """The learner restarted, possibly with a new employer or provider (128)."""

    date: dt.date
    type: Literal["restarted"] = "restarted"
    employer: Employer | None = doc("The new employer, if it changed.", default=None)
    provider_changed: bool = doc("Whether the provider changed.", default=False)
    planned_end_date: dt.date | None = doc(
        "The restart's new training plan: its planned end date, from which delivery, extension "
        "(130) and the withdrawal deadline (131) count (default: the plan as it stands).",
        default=None,
    )
    planned_hours: Hours | None = doc(
        "The new plan's planned delivery hours (default: unchanged).", default=None
    )


@attrs.frozen(kw_only=True)
class LevyStatusChanged:
    """The employer became, or stopped being, a levy payer (94.1, 95)."""

    date: dt.date
    type: Literal["levy_status_changed"] = "levy_status_changed"
    levy_payer: bool = doc("The new status.")


@attrs.frozen(kw_only=True)
class LevyBalanceChanged:
    """The funds in the employer's account changed."""

    date: dt.date
    type: Literal["levy_balance_changed"] = "levy_balance_changed"
    levy_balance: Money = doc("The new balance.")


@attrs.frozen(kw_only=True)
class Audit:
    """An audit of the evidence (54)."""

    date: dt.date
    type: Literal["audit"] = "audit"
    evidenced_hours: Hours = doc("Delivery hours the evidence supports.")
    successful_outcome: bool = doc("Whether a successful outcome is evidenced.", default=True)


Event = (
    Delivered
    | Claim
    | SkillsTestPassed
    | PlanSignedOff
    | Extended
    | LeaveStarted
    | LeaveEnded
    | EmploymentEnded
    | Withdrawn
    | Restarted
    | LevyStatusChanged
    | LevyBalanceChanged
    | Audit
)

EVENT_TYPES: dict[str, type] = {
    str(attrs.fields(cls).type.default): cls
    for cls in (
        Delivered,
        Claim,
        SkillsTestPassed,
        PlanSignedOff,
        Extended,
        LeaveStarted,
        LeaveEnded,
        EmploymentEnded,
        Withdrawn,
        Restarted,
        LevyStatusChanged,
        LevyBalanceChanged,
        Audit,
    )
}


@attrs.frozen(kw_only=True)
class Scenario:
    """One learner's unit: the facts at the start and the events that follow."""

    learner: Learner
    unit: Unit
    plan: Plan
    employer: Employer = attrs.field(factory=Employer)
    events: list[Event] = attrs.field(factory=list)
    new_facts: dict[str, Any] = attrs.field(factory=dict, metadata={"internal": True})
    """Values of fields a proposal adds (`learner.care_leaver`), as the scenario wrote them;
    the ruleset's declarations read them (`aurules.model.proposal.NewFact`)."""

    @classmethod
    def from_json(
        cls, text: str, source: str = "<scenario>", new_facts: Iterable[Any] = ()
    ) -> Scenario:
        """Parse JSON text; raises BadInput (file, field path, problem). `new_facts` are a
        proposal's declared fields, accepted beside the contract's."""
        return cls.from_data(read_json(text, source), source, new_facts)

    @classmethod
    def from_data(
        cls, data: object, source: str = "<scenario>", new_facts: Iterable[Any] = ()
    ) -> Scenario:
        if not isinstance(data, dict):
            raise BadInput(source, "", f"expected a JSON object, got {show(data)}")
        if "new_facts" in data:
            raise BadInput(source, "new_facts", "unknown field new_facts")
        data, values = _take_new_facts(data, new_facts, source)
        scenario = structure(_CONVERTER, data, cls, source)
        _check_events(scenario, source)
        return attrs.evolve(scenario, new_facts=values) if values else scenario

    @classmethod
    def from_file(cls, path: str | Path, new_facts: Iterable[Any] = ()) -> Scenario:
        return cls.from_json(read_text(path), str(path), new_facts)

    def to_data(self) -> dict[str, Any]:
        """Plain JSON data in the contract's format (round-trips through `from_data`)."""
        data: dict[str, Any] = to_data(self)
        data.pop("new_facts", None)
        for path, value in self.new_facts.items():
            section, field = path.split(".", 1)
            data.setdefault(section, {})[field] = value
        return data


def shifted(scenario: Scenario, days: int, new_facts: Iterable[Any] = ()) -> Scenario:
    """The scenario with every date moved by `days` (ages, durations and gaps kept): a
    learner of one ruleset's period moved into another's."""
    if days == 0:
        return scenario
    return Scenario.from_data(
        _shift(scenario.to_data(), dt.timedelta(days=days)), "<shifted>", new_facts
    )


def _shift(data: Any, delta: dt.timedelta) -> Any:
    if isinstance(data, dict):
        return {key: _shift(value, delta) for key, value in data.items()}
    if isinstance(data, list):
        return [_shift(value, delta) for value in data]
    if isinstance(data, str) and len(data) == len("2026-01-01") and data[4] == "-":
        try:
            return (dt.date.fromisoformat(data) + delta).isoformat()
        except ValueError:
            return data
    return data


def _take_new_facts(
    data: dict[str, Any], new_facts: Iterable[Any], source: str
) -> tuple[dict[str, Any], dict[str, Any]]:
    """`data` without a proposal's fields, and their checked values by path."""
    values: dict[str, Any] = {}
    out = data
    for new in new_facts:
        part = data.get(new.section)
        if not isinstance(part, dict) or new.field not in part:
            continue
        if out is data:
            out = dict(data)
        if out[new.section] is part:
            out[new.section] = part = dict(part)
        value = part.pop(new.field)
        try:
            new.parse(value)
        except FieldError as exc:
            raise BadInput(source, new.path, str(exc)) from None
        values[new.path] = _number(value) if isinstance(value, Decimal) else value
    return out, values


def read_text(path: str | Path) -> str:
    """A file's text, or BadInput naming it."""
    try:
        return Path(path).read_text("utf-8")
    except FileNotFoundError:
        raise BadInput(str(path), "", "no such file") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise BadInput(str(path), "", f"cannot be read ({exc})") from None


def read_json(text: str, source: str) -> Any:
    """JSON text as data (decimals exact), or BadInput with the line and column."""
    try:
        return json.loads(text, parse_float=Decimal, object_pairs_hook=_unique_keys)
    except _DuplicateKey as exc:
        raise BadInput(
            source, exc.key, "appears twice in one object (JSON keys must differ)"
        ) from None
    except json.JSONDecodeError as exc:
        raise BadInput(
            source, "", f"not valid JSON (line {exc.lineno} column {exc.colno}: {exc.msg})"
        ) from None
    except RecursionError:
        raise BadInput(source, "", "not valid JSON (nested too deeply)") from None
    except ValueError as exc:  # e.g. an integer literal with too many digits
        raise BadInput(source, "", f"not valid JSON ({exc})") from None


def plain_numbers(value: Any, source: str, max_places: int | None = None) -> Any:
    """JSON data read by `read_json` with its decimals as plain numbers (int where whole,
    else float). With `max_places`, a number with more decimal places is BadInput rather
    than rounded to the nearest binary float."""
    if isinstance(value, Decimal):
        exponent = value.normalize().as_tuple().exponent
        if max_places is not None and isinstance(exponent, int) and -exponent > max_places:
            raise BadInput(source, "", f"{value} has more than {max_places} decimal places")
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, dict):
        return {key: plain_numbers(item, source, max_places) for key, item in value.items()}
    if isinstance(value, list):
        return [plain_numbers(item, source, max_places) for item in value]
    return value


class _DuplicateKey(ValueError):
    def __init__(self, key: str) -> None:
        super().__init__(key)
        self.key = key


def _unique_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    """A JSON object, refusing a key given twice (json's default keeps the last silently)."""
    out: dict[str, Any] = {}
    for key, value in pairs:
        if key in out:
            raise _DuplicateKey(key)
        out[key] = value
    return out


def is_access(data: object) -> bool:
    """Whether scenario data is an access trace (`"kind": "access"`)."""
    return isinstance(data, dict) and data.get("kind") == "access"


def _check_events(scenario: Scenario, source: str) -> None:
    """Checks across events: date order, positive hours, recordings within the hours
    delivered, a cost only on a learning support claim, and no leave started while another is
    still running."""
    previous: dt.date | None = None
    leave_since: dt.date | None = None
    for index, event in enumerate(scenario.events):
        if previous is not None and event.date < previous:
            raise BadInput(
                source,
                f"events[{index}].date",
                f"{event.date} is before the previous event's date {previous} "
                "(events must be in date order)",
            )
        previous = event.date
        if isinstance(event, Delivered) and event.hours <= 0:
            raise BadInput(source, f"events[{index}].hours", "hours must be more than 0")
        if isinstance(event, Delivered) and event.recorded_hours > event.hours:
            raise BadInput(
                source,
                f"events[{index}].recorded_hours",
                f"{format_hours(event.recorded_hours)} recorded hours is more than the "
                f"{format_hours(event.hours)} hours delivered (recordings are part of them)",
            )
        if isinstance(event, Claim) and event.cost is not None and event.item != "learning_support":
            raise BadInput(
                source,
                f"events[{index}].cost",
                f"a cost is given only with a learning_support claim, not with {event.item}",
            )
        if isinstance(event, Claim) and event.authorised and event.item != "learning_support":
            raise BadInput(
                source,
                f"events[{index}].authorised",
                f"only a learning_support claim is authorised (35.3), not {event.item}",
            )
        if isinstance(event, LeaveStarted):
            if leave_since is not None:
                raise BadInput(
                    source,
                    f"events[{index}].type",
                    f"leave_started while the leave started on {leave_since} is still running "
                    "(end it with a leave_ended event first)",
                )
            leave_since = event.date
        elif isinstance(event, LeaveEnded):
            leave_since = None


def _structure_event(value: object, _: object) -> object:
    if not isinstance(value, dict):
        raise FieldError(f"expected an event object, got {show(value)}")
    kind = value.get("type")
    if kind not in EVENT_TYPES:
        known = ", ".join(EVENT_TYPES)
        raise FieldError(
            f"unknown event type {show(kind)} (known: {known})"
            if "type" in value
            else f"event has no type (known: {known})"
        )
    return _CONVERTER.structure(value, EVENT_TYPES[str(kind)])


def parse_event(data: dict[str, Any], source: str = "<event>") -> Event:
    """One event's data, read as a scenario's event is (BadInput names the field)."""
    return structure(_CONVERTER, data, EVENT_TYPES[str(data.get("type"))], source)


def parse_count(value: object) -> Count:
    """A non-negative whole number, checked as in a JSON scenario (raises FieldError)."""
    number = _CONVERTER.structure(value, int)
    if number < 0:
        raise FieldError(f"{number} is negative")
    return Count(number)


def _unstructure_hours(value: int) -> int | float:
    return _number(Decimal(value) / 100)


_CONVERTER = make_converter()
_CONVERTER.register_structure_hook(Event, _structure_event)
_CONVERTER.register_structure_hook(Count, lambda value, _: parse_count(value))


def to_data(value: Any) -> Any:
    """Any scenario part as plain JSON data (money as "0.00" strings, dates ISO)."""
    return _unstructure(value)


def _unstructure(value: Any) -> Any:
    if isinstance(value, Money):
        return str(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    if attrs.has(type(value)):
        out = {}
        for field in attrs.fields(type(value)):
            item = getattr(value, field.name)
            if _is(field.type, Hours) and item is not None:
                out[field.name] = _unstructure_hours(item)
            elif _is(field.type, Share) and item is not None:
                out[field.name] = _number(Decimal(item) / 1_000_000)
            else:
                out[field.name] = _unstructure(item)
        return out
    if isinstance(value, list):
        return [_unstructure(v) for v in value]
    return value


def _is(kind: Any, new_type: Any) -> bool:
    """Whether a field's type (a string before `attrs.resolve_types`, a type after) is
    `new_type` or an optional one."""
    name = new_type.__name__
    if isinstance(kind, str):
        return kind.replace(" ", "") in (name, f"{name}|None", f"None|{name}")
    return kind is new_type or new_type in typing.get_args(kind)


def _number(value: Decimal) -> int | float:
    return int(value) if value == value.to_integral_value() else float(value)
