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
        schema = type_schema(hints[field.name], output)
        if field.metadata.get("doc"):
            schema = {"description": field.metadata["doc"], **schema}
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


def document(name: str) -> dict[str, Any]:
    """The named schema as a complete JSON Schema document."""
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
    if name == "ruleset":
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


def _without_required(schema: Any) -> Any:
    """A copy of a schema with no `required` lists (for a proposal's partial sections)."""
    if isinstance(schema, dict):
        return {k: _without_required(v) for k, v in schema.items() if k != "required"}
    if isinstance(schema, list):
        return [_without_required(v) for v in schema]
    return schema


SCHEMAS = ("scenario", "outcome", "ruleset", "access")
