"""Bad input, in process: every kind of faulty scenario or ruleset is refused with one
`BadInput` whose text is `"<file>: <field.path>: <problem>"` (spec/interface.md, "Bad input").

Scenarios go through `Scenario.from_json(text, "x.json")`, rulesets through `load_ruleset(path)`
on TOML files written to tmp_path. The command-line side (exit code 2, one line on stderr) is in
tests/test_cli.py.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from aurules.model.errors import BadInput
from aurules.model.ruleset import load_ruleset, official
from aurules.model.scenario import EVENT_TYPES, Scenario
from tests.helpers import DELETE, SPEC_EVENTS, data

SOURCE = "x.json"
KNOWN_EVENTS = ", ".join(EVENT_TYPES)
OFFICIAL_TOML = (
    Path(__file__).resolve().parents[1] / "model" / "rulesets" / "2026-04.toml"
).read_text("utf-8")

DELIVERED = {"date": "2026-05-20", "type": "delivered", "hours": 18}
"""A valid first event; each event case puts its faulty event second, at events[1]."""

"""The events of the contract's example scenario."""


def refused(text: str) -> BadInput:
    """The BadInput raised for this scenario text (fails the test if none is raised)."""
    with pytest.raises(BadInput) as info:
        Scenario.from_json(text, SOURCE)
    return info.value


def with_event(event: dict[str, Any]) -> dict[str, Any]:
    return {"events": [DELIVERED, event]}


# --- the baseline is valid -------------------------------------------------------------------


def test_base_and_contract_example_parse() -> None:
    """The error cases below are one change away from scenarios that parse."""
    Scenario.from_json(json.dumps(data()), SOURCE)
    scenario = Scenario.from_json(json.dumps(data({"events": SPEC_EVENTS})), SOURCE)
    assert len(scenario.events) == len(SPEC_EVENTS)
    assert Scenario.from_data(scenario.to_data(), SOURCE) == scenario
    Scenario.from_json(
        json.dumps(data(with_event({"date": "2026-05-21", "type": "withdrawn"}))), SOURCE
    )


# --- the whole file --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        pytest.param(
            "{bad",
            "not valid JSON (line 1 column 2: Expecting property name enclosed in double quotes)",
            id="malformed",
        ),
        pytest.param("", "not valid JSON (line 1 column 1: Expecting value)", id="empty"),
        pytest.param(
            '{"learner": {',
            "not valid JSON (line 1 column 14: Expecting property name enclosed in double quotes)",
            id="truncated",
        ),
        pytest.param("[]", "expected a JSON object, got a list", id="top-level-list"),
        pytest.param("3", "expected a JSON object, got 3", id="top-level-number"),
        pytest.param('"scenario"', "expected a JSON object, got 'scenario'", id="top-level-string"),
        pytest.param("null", "expected a JSON object, got null", id="top-level-null"),
    ],
)
def test_whole_file_problems(text: str, problem: str) -> None:
    exc = refused(text)
    assert (exc.source, exc.field) == (SOURCE, "")
    assert str(exc) == f"{SOURCE}: {problem}"


# --- one field -------------------------------------------------------------------------------

FIELD_CASES = [
    # missing required fields
    pytest.param(
        {"learner.date_of_birth": DELETE},
        "learner.date_of_birth",
        "required field is missing",
        id="missing-date_of_birth",
    ),
    pytest.param(
        {"unit.funding_rate": DELETE},
        "unit.funding_rate",
        "required field is missing",
        id="missing-funding_rate",
    ),
    pytest.param(
        {"plan.start_date": DELETE},
        "plan.start_date",
        "required field is missing",
        id="missing-start_date",
    ),
    pytest.param({"plan": DELETE}, "plan", "required field is missing", id="missing-plan"),
    # unknown fields
    pytest.param({"x": 1}, "x", "unknown field x", id="unknown-top-level"),
    pytest.param({"learner.x": 1}, "learner.x", "unknown field x", id="unknown-learner"),
    pytest.param(
        {"employer.reservation.x": 1},
        "employer.reservation.x",
        "unknown field x",
        id="unknown-reservation",
    ),
    pytest.param(
        {"learner.x": 1, "learner.y": 2}, "learner", "unknown fields x, y", id="two-unknown"
    ),
    # wrong types
    pytest.param(
        {"learner.residency_eligible": "true"},
        "learner.residency_eligible",
        "expected true or false, got 'true'",
        id="string-for-bool",
    ),
    pytest.param(
        {"employer.levy_payer": 1},
        "employer.levy_payer",
        "expected true or false, got 1",
        id="number-for-bool",
    ),
    pytest.param(
        {"learner.date_of_birth": 20000115},
        "learner.date_of_birth",
        "expected a date YYYY-MM-DD, got 20000115",
        id="number-for-date",
    ),
    pytest.param(
        {"learner.date_of_birth": None},
        "learner.date_of_birth",
        "expected a date YYYY-MM-DD, got null",
        id="null-for-required-date",
    ),
    pytest.param(
        {"unit.published_min_hours": True},
        "unit.published_min_hours",
        "expected a whole number, got true",
        id="bool-for-int",
    ),
    pytest.param(
        {"unit.published_min_hours": "60"},
        "unit.published_min_hours",
        "expected a whole number, got '60'",
        id="string-for-int",
    ),
    pytest.param(
        {"learner": []}, "learner", "expected an object with named fields", id="list-for-object"
    ),
    pytest.param(
        {"employer.reservation": []},
        "employer.reservation",
        "expected an object with named fields",
        id="list-for-nested-object",
    ),
    pytest.param(
        {"employer": None}, "employer", "expected an object with named fields", id="null-for-object"
    ),
    pytest.param(
        {"plan.price": True},
        "plan.price",
        'expected an amount in pounds such as "1500.00", got true',
        id="bool-for-money",
    ),
    pytest.param(
        {"plan.price": "abc"},
        "plan.price",
        "expected an amount in pounds such as \"1500.00\", got 'abc'",
        id="word-for-money",
    ),
    pytest.param(
        {"learner.employment": "freelancer"},
        "learner.employment",
        "expected one of 'employee', 'sole_trader', 'ir35_worker', 'office_holder', "
        "'prisoner_on_rotl', 'prisoner_closed_estate', got 'freelancer'",
        id="unknown-enum",
    ),
    pytest.param(
        {"employer.relationship": True},
        "employer.relationship",
        "expected one of 'direct', 'connected_company', 'pooled_paye', 'none', got true",
        id="bool-for-enum",
    ),
    # dates that do not exist or are not ISO
    pytest.param(
        {"plan.start_date": "2026-02-30"},
        "plan.start_date",
        "'2026-02-30' is not a real date",
        id="date-feb-30",
    ),
    pytest.param(
        {"plan.start_date": "2026-13-01"},
        "plan.start_date",
        "'2026-13-01' is not a real date",
        id="date-month-13",
    ),
    pytest.param(
        {"plan.start_date": "2026-5-4"},
        "plan.start_date",
        "'2026-5-4' is not a date in the form YYYY-MM-DD",
        id="date-not-padded",
    ),
    pytest.param(
        {"plan.start_date": "yesterday"},
        "plan.start_date",
        "'yesterday' is not a date in the form YYYY-MM-DD",
        id="date-word",
    ),
    pytest.param(
        {"plan.start_date": "2026-05-04T00:00"},
        "plan.start_date",
        "'2026-05-04T00:00' is not a date in the form YYYY-MM-DD",
        id="date-time",
    ),
    pytest.param(
        {"employer.reservation.made_on": "2025-02-29"},
        "employer.reservation.made_on",
        "'2025-02-29' is not a real date",
        id="date-optional-nested",
    ),
    # numbers out of range or too precise
    pytest.param(
        {"plan.planned_hours": -1}, "plan.planned_hours", "-1 is negative", id="negative-hours"
    ),
    pytest.param(
        {"learner.weekly_hours": -0.5},
        "learner.weekly_hours",
        "-0.5 is negative",
        id="negative-weekly-hours",
    ),
    pytest.param(
        {"plan.price": "-5.00"}, "plan.price", "'-5.00' is negative", id="negative-money-string"
    ),
    pytest.param({"plan.price": -5}, "plan.price", "-5 is negative", id="negative-money-number"),
    pytest.param(
        {"employer.transfer.sender_balance": "-1"},
        "employer.transfer.sender_balance",
        "'-1' is negative",
        id="negative-optional-money",
    ),
    pytest.param(
        {"unit.published_min_hours": -1},
        "unit.published_min_hours",
        "-1 is negative",
        id="negative-count",
    ),
    pytest.param(
        {"plan.price": "1500.001"},
        "plan.price",
        "'1500.001' has more than 2 decimal places",
        id="money-3-places",
    ),
    pytest.param(
        {"plan.price": 1500.001},
        "plan.price",
        "1500.001 has more than 2 decimal places",
        id="money-number-3-places",
    ),
    pytest.param(
        {"learner.weekly_hours": 18.123},
        "learner.weekly_hours",
        "18.123 has more than 2 decimal places",
        id="hours-3-places",
    ),
    pytest.param(
        {"unit.published_min_hours": 60.5},
        "unit.published_min_hours",
        "expected a whole number, got 60.5",
        id="fraction-for-whole-number",
    ),
    pytest.param(
        {"learner.share_of_hours_in_england": 1.5},
        "learner.share_of_hours_in_england",
        "1.5 is more than 1",
        id="share-above-1",
    ),
    pytest.param(
        {"learner.share_of_hours_in_england": -0.1},
        "learner.share_of_hours_in_england",
        "-0.1 is negative",
        id="share-negative",
    ),
]


@pytest.mark.parametrize(("changes", "field", "problem"), FIELD_CASES)
def test_field_problems(changes: dict[str, Any], field: str, problem: str) -> None:
    exc = refused(json.dumps(data(changes)))
    assert (exc.source, exc.field, exc.problem) == (SOURCE, field, problem)
    assert str(exc) == f"{SOURCE}: {field}: {problem}"


# --- events ----------------------------------------------------------------------------------

EVENT_CASES = [
    pytest.param(
        with_event({"date": "2026-05-21", "type": "teleported"}),
        "events[1]",
        f"unknown event type 'teleported' (known: {KNOWN_EVENTS})",
        id="unknown-type",
    ),
    pytest.param(
        with_event({"date": "2026-05-21", "type": 3}),
        "events[1]",
        f"unknown event type 3 (known: {KNOWN_EVENTS})",
        id="number-type",
    ),
    pytest.param(
        with_event({"date": "2026-05-21"}),
        "events[1]",
        f"event has no type (known: {KNOWN_EVENTS})",
        id="missing-type",
    ),
    pytest.param(
        with_event({"type": "withdrawn"}),
        "events[1].date",
        "required field is missing",
        id="missing-date",
    ),
    pytest.param(
        with_event({"date": "2026-06-31", "type": "withdrawn"}),
        "events[1].date",
        "'2026-06-31' is not a real date",
        id="impossible-date",
    ),
    pytest.param(
        with_event({"date": "2026-05-19", "type": "claim", "item": "milestone_1"}),
        "events[1].date",
        "2026-05-19 is before the previous event's date 2026-05-20 (events must be in date order)",
        id="out-of-order",
    ),
    pytest.param(
        with_event({"date": "2026-05-21", "type": "delivered", "hours": 0}),
        "events[1].hours",
        "hours must be more than 0",
        id="hours-zero",
    ),
    pytest.param(
        with_event({"date": "2026-05-21", "type": "delivered", "hours": -3}),
        "events[1].hours",
        "-3 is negative",
        id="hours-negative",
    ),
    pytest.param(
        with_event({"date": "2026-05-21", "type": "delivered", "hours": 5, "recorded_hours": -1}),
        "events[1].recorded_hours",
        "-1 is negative",
        id="recorded-hours-negative",
    ),
    pytest.param(
        with_event({"date": "2026-05-21", "type": "claim", "item": "milestone_3"}),
        "events[1].item",
        "expected one of 'milestone_1', 'milestone_2', 'learning_support', got 'milestone_3'",
        id="unknown-claim-item",
    ),
    pytest.param(
        with_event(
            {"date": "2026-05-21", "type": "claim", "item": "learning_support", "cost": "1.001"}
        ),
        "events[1].cost",
        "'1.001' has more than 2 decimal places",
        id="cost-3-places",
    ),
    pytest.param(
        with_event({"date": "2026-05-21", "type": "withdrawn", "why": "moved"}),
        "events[1].why",
        "unknown field why",
        id="unknown-field",
    ),
    pytest.param(
        with_event({"date": "2026-05-21", "type": "leave_started", "kind": "holiday"}),
        "events[1].kind",
        "expected one of 'maternity', 'adoption', 'shared_parental', 'paternity', got 'holiday'",
        id="unknown-leave-kind",
    ),
    pytest.param(
        with_event({"date": "2026-05-21", "type": "plan_signed_off", "by": ["boss"]}),
        "events[1].by[0]",
        "expected one of 'provider', 'learner', 'employer', got 'boss'",
        id="unknown-signatory",
    ),
    pytest.param(
        with_event({"date": "2026-05-21", "type": "restarted", "employer": {"x": 1}}),
        "events[1].employer.x",
        "unknown field x",
        id="unknown-field-in-new-employer",
    ),
    pytest.param(
        with_event({"date": "2026-05-21", "type": "employment_ended", "reason": 3}),
        "events[1].reason",
        "expected a string, got 3",
        id="number-for-string",
    ),
    pytest.param(
        with_event({"date": "2026-05-21", "type": "levy_balance_changed", "levy_balance": "-1"}),
        "events[1].levy_balance",
        "'-1' is negative",
        id="negative-balance",
    ),
    pytest.param(
        {"events": [DELIVERED, 3]},
        "events[1]",
        "expected an event object, got 3",
        id="event-not-object",
    ),
    pytest.param(
        with_event({"date": "2026-05-21", "type": "delivered", "hours": 5, "recorded_hours": 5.5}),
        "events[1].recorded_hours",
        "5.5 recorded hours is more than the 5 hours delivered (recordings are part of them)",
        id="recorded-above-hours",
    ),
    pytest.param(
        with_event({"date": "2026-05-21", "type": "claim", "item": "milestone_1", "cost": "10"}),
        "events[1].cost",
        "a cost is given only with a learning_support claim, not with milestone_1",
        id="cost-on-a-milestone-claim",
    ),
    pytest.param(
        with_event(
            {"date": "2026-05-21", "type": "claim", "item": "milestone_2", "authorised": True}
        ),
        "events[1].authorised",
        "only a learning_support claim is authorised (35.3), not milestone_2",
        id="authorised-milestone-claim",
    ),
    pytest.param(
        {
            "events": [
                {"date": "2026-05-20", "type": "leave_started", "kind": "maternity"},
                {"date": "2026-05-25", "type": "leave_started", "kind": "adoption"},
            ]
        },
        "events[1].type",
        "leave_started while the leave started on 2026-05-20 is still running "
        "(end it with a leave_ended event first)",
        id="leave-started-during-leave",
    ),
]


def test_recorded_hours_equal_to_the_hours_and_a_second_leave_after_the_first_are_fine() -> None:
    events = [
        {"date": "2026-05-20", "type": "delivered", "hours": 5, "recorded_hours": 5},
        {"date": "2026-05-20", "type": "leave_started", "kind": "maternity"},
        {"date": "2026-05-25", "type": "leave_ended"},
        {"date": "2026-05-26", "type": "leave_started", "kind": "adoption"},
        {"date": "2026-05-27", "type": "claim", "item": "learning_support", "cost": "10"},
    ]
    assert 5 == len(Scenario.from_json(json.dumps(data({"events": events})), SOURCE).events)


@pytest.mark.parametrize(("changes", "field", "problem"), EVENT_CASES)
def test_event_problems(changes: dict[str, Any], field: str, problem: str) -> None:
    exc = refused(json.dumps(data(changes)))
    assert (exc.source, exc.field, exc.problem) == (SOURCE, field, problem)
    assert str(exc) == f"{SOURCE}: {field}: {problem}"


# --- reading files ---------------------------------------------------------------------------


def test_missing_file(tmp_path: Path) -> None:
    path = tmp_path / "nope.json"
    with pytest.raises(BadInput) as info:
        Scenario.from_file(path)
    assert str(info.value) == f"{path}: no such file"


def test_file_that_is_not_utf8(tmp_path: Path) -> None:
    path = tmp_path / "latin.json"
    path.write_bytes(b"\xff\xfe{}")
    with pytest.raises(BadInput) as info:
        Scenario.from_file(path)
    assert str(info.value).startswith(f"{path}: cannot be read (")


def test_from_file_names_the_file(tmp_path: Path) -> None:
    path = tmp_path / "s.json"
    path.write_text(json.dumps(data({"learner.x": 1})), "utf-8")
    with pytest.raises(BadInput) as info:
        Scenario.from_file(path)
    assert str(info.value) == f"{path}: learner.x: unknown field x"


# --- problems found once, kept as regression tests ---------------------------------------------


@pytest.mark.parametrize(
    "value", [{}, "", "abc", {"a": 1}], ids=["object", "empty-string", "string", "object-with-key"]
)
def test_events_must_be_a_list(value: object) -> None:
    exc = refused(json.dumps(data({"events": value})))
    assert exc.field == "events"


def test_hours_as_string_is_a_wrong_type() -> None:
    exc = refused(json.dumps(data({"plan.planned_hours": "60"})))
    assert exc.field == "plan.planned_hours"


def test_date_needs_ascii_digits() -> None:
    exc = refused(json.dumps(data({"plan.start_date": "\uff12\uff10\uff12\uff16-05-04"})))
    assert exc.field == "plan.start_date"


def test_deeply_nested_json() -> None:
    exc = refused("[" * 100_000 + "]" * 100_000)
    assert exc.source == SOURCE


def test_enormous_hours_has_a_readable_problem() -> None:
    text = json.dumps(data()).replace('"planned_hours": 60', '"planned_hours": 1e999999999')
    exc = refused(text)
    assert exc.field == "plan.planned_hours"
    assert "<class" not in exc.problem
    assert "Overflow" not in exc.problem


# =============================================================================================
# Rulesets
# =============================================================================================

PROPOSAL = 'id = "proposal"\nextends = "2026-04"\n'


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, "utf-8")
    return path


def ruleset_refused(path: Path) -> BadInput:
    with pytest.raises(BadInput) as info:
        load_ruleset(str(path))
    return info.value


def without_key(key: str) -> str:
    """The official ruleset's text with the line setting `key` deleted."""
    text, count = re.subn(rf"^{re.escape(key)} *=.*\n", "", OFFICIAL_TOML, flags=re.MULTILINE)
    assert count == 1, key
    return text


def flat(parameters: dict[str, Any]) -> dict[str, Any]:
    out = {}
    for section, values in parameters.items():
        if isinstance(values, dict):
            out.update({f"{section}.{k}": v for k, v in values.items()})
        else:
            out[section] = values
    return out


RULESET_CASES = [
    pytest.param(
        "id = \n", "", "not valid TOML (Invalid value (at line 1, column 6))", id="malformed"
    ),
    pytest.param(PROPOSAL + "foo = 1\n", "foo", "unknown field foo", id="unknown-top-level"),
    pytest.param(
        PROPOSAL + "[eligibility]\nfoo = 1\n",
        "eligibility.foo",
        "unknown field foo",
        id="unknown-in-section",
    ),
    pytest.param(PROPOSAL + "[foo]\nbar = 1\n", "foo", "unknown field foo", id="unknown-section"),
    pytest.param(
        PROPOSAL + 'source = "x"\n', "source", "unknown field source", id="internal-field-source"
    ),
    pytest.param(
        without_key("min_age"),
        "eligibility.min_age",
        "required field is missing",
        id="missing-min_age",
    ),
    pytest.param(
        without_key("milestone_2_share"),
        "milestones.milestone_2_share",
        "required field is missing",
        id="missing-milestone_2_share",
    ),
    pytest.param(
        without_key("age"),
        "interpretations.age",
        "required field is missing",
        id="missing-interpretation",
    ),
    pytest.param(
        without_key("valid_to"), "valid_to", "required field is missing", id="missing-valid_to"
    ),
    pytest.param(
        PROPOSAL + '[eligibility]\nmin_age = "19"\n',
        "eligibility.min_age",
        "expected a whole number, got '19'",
        id="string-for-int",
    ),
    pytest.param(
        PROPOSAL + "[eligibility]\nmin_age = 19.5\n",
        "eligibility.min_age",
        "expected a whole number, got 19.5",
        id="fraction-for-int",
    ),
    pytest.param(
        PROPOSAL + "[eligibility]\nmin_age = true\n",
        "eligibility.min_age",
        "expected a whole number, got true",
        id="bool-for-int",
    ),
    pytest.param(
        PROPOSAL + '[milestones]\nmilestone_1_share = "abc"\n',
        "milestones.milestone_1_share",
        "expected a proportion such as \"0.30\", got 'abc'",
        id="word-for-share",
    ),
    pytest.param(
        PROPOSAL + '[milestones]\nmilestone_1_share = "1.5"\n',
        "milestones.milestone_1_share",
        "'1.5' is not a proportion between 0 and 1",
        id="share-above-1",
    ),
    pytest.param(
        PROPOSAL + '[funding]\nlearning_support_amount = "150.001"\n',
        "funding.learning_support_amount",
        "'150.001' has more than 2 decimal places",
        id="money-3-places",
    ),
    pytest.param(
        PROPOSAL + "eligibility = 3\n",
        "eligibility",
        "expected an object with named fields",
        id="number-for-section",
    ),
    pytest.param(
        PROPOSAL + "title = 3\n", "title", "expected a string, got 3", id="number-for-title"
    ),
    pytest.param(
        PROPOSAL + 'valid_from = "2026-02-30"\n',
        "valid_from",
        "'2026-02-30' is not a real date",
        id="impossible-date",
    ),
    pytest.param(
        PROPOSAL + "[eligibility]\nmin_age = -1\n",
        "eligibility.min_age",
        "-1 is negative",
        id="negative-int",
    ),
    pytest.param(
        PROPOSAL + '[funding]\nlearning_support_amount = "-1.00"\n',
        "funding.learning_support_amount",
        "'-1.00' is negative",
        id="negative-money",
    ),
    pytest.param(
        PROPOSAL + '[interpretations]\nage = "whenever"\n',
        "interpretations.age",
        "expected one of 'calendar_birthday', 'calendar_birthday_feb28', got 'whenever'",
        id="interpretation-not-a-choice",
    ),
    pytest.param(
        PROPOSAL + '[interpretations]\nrecovered_milestone_reclaimable = "no"\n',
        "interpretations.recovered_milestone_reclaimable",
        "expected true or false, got 'no'",
        id="interpretation-wrong-type",
    ),
    pytest.param(
        'extends = "2026-04"\n[eligibility]\nmin_age = 18\n',
        "id",
        "required field is missing (a proposal needs its own id)",
        id="proposal-without-id",
    ),
    pytest.param(
        'id = "proposal"\nextends = 3\n',
        "extends",
        "expected a ruleset id or path as a string",
        id="extends-not-a-string",
    ),
]


@pytest.mark.parametrize(("text", "field", "problem"), RULESET_CASES)
def test_ruleset_problems(tmp_path: Path, text: str, field: str, problem: str) -> None:
    path = write(tmp_path, "p.toml", text)
    exc = ruleset_refused(path)
    assert (exc.source, exc.field, exc.problem) == (str(path), field, problem)
    expected = f"{path}: {field}: {problem}" if field else f"{path}: {problem}"
    assert str(exc) == expected


def test_missing_ruleset_file(tmp_path: Path) -> None:
    path = tmp_path / "missing.toml"
    exc = ruleset_refused(path)
    assert str(exc).startswith(f"{path}: no such file or ruleset id (known ids: ")
    assert "2026-04" in str(exc)


def test_extends_missing_file(tmp_path: Path) -> None:
    path = write(tmp_path, "p.toml", 'id = "proposal"\nextends = "nope.toml"\n')
    exc = ruleset_refused(path)
    assert "nope.toml" in str(exc)
    assert "no such file" in exc.problem


def test_extends_missing_file_names_the_proposal_and_field(tmp_path: Path) -> None:
    path = write(tmp_path, "p.toml", 'id = "proposal"\nextends = "nope.toml"\n')
    exc = ruleset_refused(path)
    assert (exc.source, exc.field) == (str(path), "extends")
    assert "nope.toml" in exc.problem


def test_extends_cycle(tmp_path: Path) -> None:
    a = write(tmp_path, "a.toml", 'id = "a"\nextends = "b.toml"\n')
    b = write(tmp_path, "b.toml", 'id = "b"\nextends = "a.toml"\n')
    exc = ruleset_refused(a)
    assert (exc.source, exc.field) == (str(a), "extends")
    assert str(exc) == (f"{a}: extends: ruleset extends itself (a cycle: {a} -> {b} -> {a})")


def test_extends_itself(tmp_path: Path) -> None:
    path = write(tmp_path, "p.toml", 'id = "p"\nextends = "p.toml"\n')
    exc = ruleset_refused(path)
    assert (exc.source, exc.field) == (str(path), "extends")
    assert "cycle" in exc.problem


def test_full_ruleset_without_extends_loads(tmp_path: Path) -> None:
    path = write(tmp_path, "copy.toml", OFFICIAL_TOML.replace('id = "2026-04"', 'id = "copy"'))
    ruleset = load_ruleset(str(path))
    assert ruleset.id == "copy"
    assert ruleset.parameters() == official().parameters()


def test_proposal_differs_only_in_the_key_it_sets(tmp_path: Path) -> None:
    path = write(tmp_path, "p.toml", PROPOSAL + "[eligibility]\nmin_age = 18\n")
    proposal = load_ruleset(str(path))
    assert proposal.id == "proposal"
    assert proposal.title == official().title
    base, changed = flat(official().parameters()), flat(proposal.parameters())
    assert base.keys() == changed.keys()
    assert {k for k in base if base[k] != changed[k]} == {"eligibility.min_age"}
    assert proposal.eligibility.min_age == 18
    assert proposal.hash != official().hash


def test_extends_is_relative_to_the_proposals_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "proposals"
    write(
        folder,
        "base.toml",
        OFFICIAL_TOML.replace('id = "2026-04"', 'id = "base"').replace(
            "max_extension_weeks = 8", "max_extension_weeks = 10"
        ),
    )
    write(
        folder, "p.toml", 'id = "p"\nextends = "base.toml"\n[duration]\nwithdraw_after_weeks = 12\n'
    )
    write(
        folder / "deeper",
        "q.toml",
        'id = "q"\nextends = "../p.toml"\n[eligibility]\nmin_age = 21\n',
    )
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    p = load_ruleset(str(folder / "p.toml"))
    assert (p.duration.max_extension_weeks, p.duration.withdraw_after_weeks) == (10, 12)
    q = load_ruleset(str(folder / "deeper" / "q.toml"))
    assert (q.id, q.eligibility.min_age) == ("q", 21)
    assert (q.duration.max_extension_weeks, q.duration.withdraw_after_weeks) == (10, 12)
    assert q.milestones == official().milestones
