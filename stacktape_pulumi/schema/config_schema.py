"""The JSON Schema (draft 2020-12) of a whole config file, from the pydantic models, for editors.

`StacktapeConfig.model_json_schema()` gives the structure: descriptions (the field docstrings),
defaults, enums, limits and `additionalProperties: false` everywhere. Two things are added so the
schema accepts exactly what `validate` accepts structurally:

- directives: a value may be written as a directive (`containerPort: $Var().appPort`), which is
  resolved before the models see it; every scalar value that is not already any string also
  accepts a `Directive` string (`$Name(...)...`). `type` discriminators stay exact, so editors
  keep completing and checking them;
- discriminated unions become one `if`/`then` per kind (see `_discriminated`), so a mistake is
  reported where it is, not as "not valid under any of the given schemas";
- resource names: the keys of `resources` must be alphanumeric, as the models require.

What a JSON Schema cannot say (cross-field rules such as Fargate cpu/memory pairs, references
between resources) is still checked by `stacktape-pulumi validate`.
"""

import json
from pathlib import Path
from typing import Any

from stacktape_pulumi.config.models.root import _RESOURCE_NAME_PATTERN, StacktapeConfig
from stacktape_pulumi.schema.field_docs import DocumentedJsonSchema

DIALECT = "https://json-schema.org/draft/2020-12/schema"
CONFIG_SCHEMA_PATH = Path(__file__).resolve().parents[2] / "schema" / "stacktape-config.schema.json"
DIRECTIVE = "Directive"
DIRECTIVE_SCHEMA: dict[str, Any] = {
    "type": "string",
    "pattern": r"^\$[A-Za-z_$][\w$]*\(",
    "description": "A directive, resolved before validation: `$Var().name`, `$Stage()`, "
                   "`$ResourceParam('db', 'host')`, `$Secret('name.key')`, `$Format('{}-x', $Stage())`, ...",
}
_DIRECTIVE_REF = {"$ref": f"#/$defs/{DIRECTIVE}"}
# Keywords that describe the value as a whole and stay on the outer schema when it is wrapped.
_ANNOTATIONS = ("title", "description", "default", "examples", "deprecated")
# String constraints a directive would not meet.
_STRICT_STRING = ("pattern", "maxLength", "enum", "const", "format")
_SCALAR_TYPES = ("string", "integer", "number", "boolean")


def config_schema() -> dict[str, Any]:
    """The JSON Schema document of a config file (`$schema` first)."""
    generated = StacktapeConfig.model_json_schema(mode="validation", schema_generator=DocumentedJsonSchema)
    defs: dict[str, Any] = generated.pop("$defs", {})
    root = _object(generated)
    resources = root.get("properties", {}).get("resources")
    if isinstance(resources, dict):
        resources["propertyNames"] = {"pattern": _RESOURCE_NAME_PATTERN.pattern}
    return {
        "$schema": DIALECT,
        **root,
        "title": "stacktape.yml (stacktape-pulumi)",
        "$defs": {**{name: _object(schema) for name, schema in sorted(defs.items())}, DIRECTIVE: DIRECTIVE_SCHEMA},
    }


def render_config_schema(document: dict[str, Any] | None = None) -> str:
    """The committed form: two-space indent, one trailing newline (key order as generated)."""
    return json.dumps(document or config_schema(), indent=2, ensure_ascii=False) + "\n"


def _object(schema: dict[str, Any]) -> dict[str, Any]:
    """A schema with directives allowed in scalar values and discriminated unions as `if`/`then`."""
    result = _discriminated(schema)
    if isinstance(result.get("properties"), dict):
        result["properties"] = {name: _value(value, discriminator=name == "type")
                                for name, value in result["properties"].items()}
    for key in ("items", "additionalProperties", "then"):
        if isinstance(result.get(key), dict):
            result[key] = _value(result[key])
    for key in ("anyOf", "oneOf", "allOf"):
        if isinstance(result.get(key), list):
            result[key] = [_object(item) if isinstance(item, dict) else item for item in result[key]]
    return result


def _discriminated(schema: dict[str, Any]) -> dict[str, Any]:
    """pydantic's `oneOf` + `discriminator` → one `if`/`then` per kind.

    A `oneOf` reports a mistake deep inside one kind as "not valid under any of the given
    schemas" at the union; with `if`/`then` validators and editors point at the mistake itself,
    and an unknown kind is an enum error at its `type`.
    """
    discriminator = schema.get("discriminator")
    if not isinstance(discriminator, dict) or not isinstance(schema.get("oneOf"), list):
        return dict(schema)
    key, mapping = discriminator["propertyName"], discriminator["mapping"]
    rest = {name: value for name, value in schema.items() if name not in ("discriminator", "oneOf")}
    return {
        **rest,
        "type": "object",
        "required": [key],
        "properties": {key: {"enum": list(mapping)}},
        "allOf": [{"if": {"properties": {key: {"const": kind}}, "required": [key]}, "then": {"$ref": ref}}
                  for kind, ref in mapping.items()],
    }


def _value(schema: dict[str, Any], *, discriminator: bool = False) -> dict[str, Any]:
    """A value's schema; a scalar that is not already any string also accepts a directive.

    Objects and lists do not: an `anyOf` around them would report every mistake inside them at
    the object itself. A whole object from a directive (`scaling: $Var().scaling`) still passes
    `validate`; the editor flags it.
    """
    inner = _object(schema)
    if discriminator and ("const" in inner or "enum" in inner):
        return inner
    if not _scalar(inner) or _accepts_any_string(inner):
        return inner
    outer = {key: inner.pop(key) for key in _ANNOTATIONS if key in inner}
    branches = inner.pop("anyOf") if set(inner) == {"anyOf"} else [inner]
    return {**outer, "anyOf": [*branches, _DIRECTIVE_REF]}


def _scalar(schema: dict[str, Any]) -> bool:
    """Whether every value the schema allows (besides null) is a string, number or boolean."""
    branches = [b for b in schema.get("anyOf", [schema]) if isinstance(b, dict) and b != {"type": "null"}]
    return bool(branches) and all(
        branch.get("type") in _SCALAR_TYPES or "enum" in branch or "const" in branch for branch in branches)


def _accepts_any_string(schema: dict[str, Any]) -> bool:
    if set(schema) <= set(_ANNOTATIONS):
        return True  # no constraint at all (`Any`)
    if schema.get("type") == "string" and not any(key in schema for key in _STRICT_STRING):
        return True
    return any(_accepts_any_string(branch) for branch in schema.get("anyOf", []) if isinstance(branch, dict))
