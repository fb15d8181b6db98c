"""JSON Schemas for the scenario, outcome and ruleset formats, generated from the same attrs
classes that parse them (so the published schema cannot drift from the parser)."""

from __future__ import annotations

import datetime as dt
import types
import typing
from typing import Any

import attrs

from aurules.model.money import Money, Rate
from aurules.model.structure import Hours, Share

MONEY_PATTERN = r"^\d+(\.\d{1,2})?$"
SIGNED_MONEY_PATTERN = r"^-?\d+\.\d{2}$"


def _money(output: bool) -> dict[str, Any]:
    if output:
        return {
            "type": "string",
            "pattern": SIGNED_MONEY_PATTERN,
            "description": "Pounds with two decimals; negative for a recovery.",
        }
    return {
        "description": "Pounds, at most 2 decimal places, not negative.",
        "anyOf": [{"type": "string", "pattern": MONEY_PATTERN}, {"type": "number", "minimum": 0}],
    }


def type_schema(kind: Any, output: bool = False) -> dict[str, Any]:
    """The schema of one Python type used in the formats."""
    from aurules.model.scenario import EVENT_TYPES, Count, Event

    if kind is Event:
        return {"oneOf": [class_schema(cls, output) for cls in EVENT_TYPES.values()]}
    if kind is Money:
        return _money(output)
    if kind is Rate:
        return {
            "anyOf": [
                {"type": "string", "pattern": r"^(0(\.\d+)?|1(\.0+)?)$"},
                {"type": "number", "minimum": 0, "maximum": 1},
            ]
        }
    if kind is Hours:
        return {"type": "number", "minimum": 0, "description": "Hours, at most 2 decimal places."}
    if kind is Share:
        return {"type": "number", "minimum": 0, "maximum": 1}
    if kind is Count:
        return {"type": "integer", "minimum": 0}
    if kind is bool:
        return {"type": "boolean"}
    if kind is int:
        return {"type": "integer"}
    if kind is str:
        return {"type": "string"}
    if kind is dt.date:
        return {"type": "string", "format": "date", "pattern": r"^\d{4}-\d{2}-\d{2}$"}
    origin = typing.get_origin(kind)
    args = typing.get_args(kind)
    if origin is typing.Literal:
        return {"enum": list(args)}
    if origin in (typing.Union, types.UnionType):
        return {"anyOf": [type_schema(a, output) for a in args]}
    if origin is list:
        return {"type": "array", "items": type_schema(args[0], output)}
    if origin is dict:
        return {"type": "object", "additionalProperties": type_schema(args[1], output)}
    if kind is type(None):
        return {"type": "null"}
    if attrs.has(kind):
        return class_schema(kind, output)
    raise TypeError(f"no schema for {kind!r}")


def _default(value: Any, kind: Any) -> Any:
    """A field default as it is written in JSON."""
    if isinstance(value, Money):
        return str(value)
    if kind is Hours:
        return value / 100
    if kind is Share:
        return value / 1_000_000
    return value


def class_schema(cls: type, output: bool = False) -> dict[str, Any]:
    """An attrs class as a closed JSON object."""
    hints = typing.get_type_hints(cls)
    properties: dict[str, Any] = {}
    required = []
    for field in attrs.fields(cls):
        if field.metadata.get("internal"):
            continue
        schema = type_schema(hints[field.name], output)
        described = field.metadata.get("doc") or field.metadata.get("description")
        if described:
            unit = field.metadata.get("unit")
            if unit and unit != "choice":
                described = f"{described} ({unit}; paragraph {field.metadata['paragraph']})"
            schema = {"description": described, **schema}
        if field.default is attrs.NOTHING or output:
            required.append(field.name)
        if (
            not output
            and field.default is not attrs.NOTHING
            and not isinstance(field.default, attrs.Factory)  # type: ignore[arg-type]
        ):
            schema["default"] = _default(field.default, hints[field.name])
        properties[field.name] = schema
    body: dict[str, Any] = {
        "type": "object",
        "properties": properties,
        "additionalProperties": False,
    }
    if cls.__doc__:
        body["description"] = cls.__doc__.strip().splitlines()[0]
    if required:
        body["required"] = required
    return body


def document(name: str, ruleset: Any = None) -> dict[str, Any]:
    """The named schema as a complete JSON Schema document; for a scenario under a
    proposal `ruleset`, with the fields the proposal adds."""
    from aurules.model.access_scenario import AccessScenario
    from aurules.model.outcome import Outcome
    from aurules.model.ruleset import Ruleset
    from aurules.model.scenario import Scenario

    kinds = {
        "scenario": (Scenario, False),
        "outcome": (Outcome, True),
        "ruleset": (Ruleset, False),
        "access": (AccessScenario, False),
    }
    cls, output = kinds[name]
    body = class_schema(cls, output)
    if name == "scenario" and ruleset is not None:
        for new in ruleset.structure.facts:
            section = body["properties"][new.section]
            section["properties"][new.field] = _new_fact_schema(new)
    if name == "ruleset":
        _banded(body)
        body["properties"].update(STRUCTURAL_SCHEMA)
        body["properties"].pop("source")
        body["properties"]["extends"] = {
            "type": "string",
            "description": "Id or path of the base ruleset.",
        }
        full = dict(body)
        body = _without_required(body)
        body["required"] = ["id"]
        body["description"] = (
            "A ruleset; with `extends`, only the keys it changes "
            "(all other keys are required without it)."
        )
        body["if"] = {"not": {"required": ["extends"]}}
        body["then"] = {
            "required": full["required"],
            "properties": {
                k: v for k, v in full["properties"].items() if v.get("type") == "object"
            },
        }
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": f"https://aurules.invalid/schema/{name}.json",
        "title": f"aurules {name}",
        **body,
    }


_FACT_SCHEMA: dict[str, dict[str, Any]] = {
    "bool": {"type": "boolean"},
    "int": {"type": "integer", "minimum": 0},
    "hours": {"type": "number", "minimum": 0},
    "money": {"type": ["string", "number"], "pattern": "^[0-9]+(\\.[0-9]{1,2})?$"},
    "share": {"type": "number", "minimum": 0, "maximum": 1},
    "date": {"type": "string", "format": "date"},
}


def _new_fact_schema(new: Any) -> dict[str, Any]:
    kind = new.written_type
    schema = {"enum": list(kind)} if isinstance(kind, tuple) else dict(_FACT_SCHEMA[kind])
    return {
        "description": new.description or "A fact the proposal adds.",
        **schema,
        "default": new.default_data,
    }


_BAND_TABLE = {
    "type": "object",
    "description": "A value that depends on a start fact: bands tried in order, the last "
    "without a bound.",
    "properties": {
        "by": {"type": "string", "description": "A start fact (see `aurules facts`)."},
        "bands": {
            "type": "array",
            "minItems": 1,
            "items": {
                "type": "object",
                "properties": {
                    "below": {
                        "description": "The band applies while the fact is below this.",
                        "type": ["number", "string"],
                    },
                    "value": {"description": "The parameter's value in this band."},
                },
                "required": ["value"],
                "additionalProperties": False,
            },
        },
    },
    "required": ["by", "bands"],
    "additionalProperties": False,
}


def _banded(body: dict[str, Any]) -> None:
    """Let every numeric parameter be written as bands."""
    for section, schema in body["properties"].items():
        if section in ("interpretations",) or schema.get("type") != "object":
            continue
        for key, field in schema.get("properties", {}).items():
            described = {k: v for k, v in field.items() if k == "description"}
            plain = {k: v for k, v in field.items() if k != "description"}
            schema["properties"][key] = {**described, "anyOf": [plain, _BAND_TABLE]}


STRUCTURAL_SCHEMA: dict[str, Any] = {
    "facts": {
        "type": "object",
        "description": "New scenario fields, by section (learner, employer, unit, plan) and "
        "name: type (bool, int, hours, money, share, date or a list of options), default and "
        "description.",
        "propertyNames": {"enum": ["learner", "employer", "unit", "plan"]},
        "additionalProperties": {
            "type": "object",
            "additionalProperties": {
                "type": "object",
                "properties": {
                    "type": {
                        "anyOf": [
                            {"enum": ["bool", "int", "hours", "money", "share", "date"]},
                            {"type": "array", "items": {"type": "string"}, "minItems": 1},
                        ]
                    },
                    "default": {},
                    "description": {"type": "string"},
                },
                "required": ["type", "default"],
                "additionalProperties": False,
            },
        },
    },
    "rules": {
        "type": "array",
        "description": "New rules, or rules that replace official ones by name.",
        "items": {
            "type": "object",
            "properties": {
                "name": {"type": "string", "pattern": "^[a-z][a-z0-9_]*$"},
                "paragraph": {"type": "string", "description": "The proposal's own id."},
                "summary": {"type": "string"},
                "kind": {
                    "enum": ["start", "claim"],
                    "description": "start: fails -> ineligible; claim: fails -> the claim is "
                    "refused.",
                },
                "replaces": {"type": "string", "description": "An official rule's name."},
                "items": {
                    "type": "array",
                    "items": {"enum": ["milestone_1", "milestone_2", "learning_support"]},
                },
                "holds": {
                    "type": "string",
                    "description": "An expression that is true when the rule is met.",
                },
            },
            "required": ["name", "paragraph", "kind", "holds"],
            "additionalProperties": False,
        },
    },
    "disable": {
        "type": "object",
        "properties": {
            "rules": {
                "type": "array",
                "items": {"type": "string"},
                "description": "Official rules switched off, by name.",
            }
        },
        "additionalProperties": False,
    },
    "expect": {
        "type": "object",
        "properties": {
            "violated": {
                "type": "array",
                "items": {"type": "string"},
                "description": "Invariants this proposal is meant to break: `check` exits 0 "
                "when exactly these are violated.",
            }
        },
        "additionalProperties": False,
    },
}


def _without_required(schema: Any) -> Any:
    """A copy of a schema with no `required` lists (for a proposal's partial sections)."""
    if isinstance(schema, dict):
        return {k: _without_required(v) for k, v in schema.items() if k != "required"}
    if isinstance(schema, list):
        return [_without_required(v) for v in schema]
    return schema


SCHEMAS = ("scenario", "outcome", "ruleset", "access")
