"""Check a `Construct` request's inputs against the component's schema, before the SDK maps them.

The SDK's mapping (`ComponentProvider.map_inputs`) keeps only the properties the schema names, so
a misspelt key would vanish without a word, and it turns every integer property into `int(value)`,
so `2.5` would silently become `2`. This check runs first and reports, all at once:

- unknown keys, with the closest known key and the allowed ones;
- non-whole numbers for integer properties (numbers cross the wire as doubles: `2.0` is fine);
- object and list inputs that arrive as Outputs (values depending on other resources, or secrets):
  the SDK would replace them by `{}`; these components take plain values and reference other
  resources with directives such as `$ResourceParam('db', 'host')`.

Whole numbers where the schema allows anything (environment values) become ints, as the YAML
would have them, so `8080` is the string `"8080"` in a container, not `"8080.0"`.
"""

from collections.abc import Mapping
from dataclasses import dataclass, field
from difflib import get_close_matches
from typing import Any

import pulumi
from pulumi.errors import InputPropertiesError, InputPropertyErrorDetails
from pulumi.provider.experimental.analyzer import PropertyDefinition, PropertyType, TypeDefinition


@dataclass
class _Check:
    component: str
    name: str
    types: Mapping[str, TypeDefinition]
    problems: list[InputPropertyErrorDetails] = field(default_factory=list)

    def problem(self, path: str, reason: str) -> None:
        self.problems.append({"property_path": path, "reason": reason})

    def object(self, value: Mapping[str, Any], properties: Mapping[str, PropertyDefinition],
               path: str) -> dict[str, Any]:
        checked: dict[str, Any] = {}
        for key, item in value.items():
            where = f"{path}.{key}" if path else str(key)
            prop = properties.get(str(key))
            if prop is None:
                close = get_close_matches(str(key), list(properties), n=1)
                hint = f" (did you mean '{close[0]}'?)" if close else ""
                self.problem(where, f"unknown input '{key}'{hint}; allowed: {', '.join(properties)}")
                continue
            checked[str(key)] = self.value(item, prop, where)
        return checked

    def value(self, value: Any, prop: PropertyDefinition, path: str) -> Any:
        if value is None:
            return None
        if isinstance(value, pulumi.Output):
            if self._structured(prop):
                self.problem(path, "is an Output (it depends on another resource or is a secret); this input "
                             "takes plain values: reference stack resources with directives such as "
                             "$ResourceParam('db', 'host') and secrets with $Secret('name')")
            return value
        if prop.ref:
            type_def = self._type(prop.ref)
            if type_def is None:  # pulumi.json#/Any and friends: any value
                return whole_numbers(value)
            if type_def.enum:
                return whole_numbers(value)
            if isinstance(value, Mapping):
                return self.object(value, type_def.properties, path)
            return value
        if prop.type == PropertyType.ARRAY and prop.items is not None and isinstance(value, list):
            items = prop.items
            return [self.value(item, items, f"{path}[{index}]") for index, item in enumerate(value)]
        if prop.type == PropertyType.OBJECT and prop.additional_properties is not None \
                and isinstance(value, Mapping):
            values = prop.additional_properties
            return {key: self.value(item, values, f"{path}.{key}") for key, item in value.items()}
        if prop.type == PropertyType.INTEGER and isinstance(value, float):
            if not value.is_integer():
                self.problem(path, f"must be a whole number, got {value:g}")
                return value
            return int(value)
        return value

    def _type(self, ref: str) -> TypeDefinition | None:
        # Local refs look like `#/types/stacktape:index:ContainerArgs`; others (Any, aws resources) are opaque.
        if ref.startswith("/") or ":" not in ref:
            return None
        return self.types.get(ref.rsplit(":", 1)[-1])

    def _structured(self, prop: PropertyDefinition) -> bool:
        if prop.type in (PropertyType.ARRAY, PropertyType.OBJECT):
            return True
        type_def = self._type(prop.ref) if prop.ref else None
        return type_def is not None and not type_def.enum


def whole_numbers(value: Any) -> Any:
    """Whole floats → ints, deeply (the engine carries every number as a double)."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, Mapping):
        return {key: whole_numbers(item) for key, item in value.items()}
    if isinstance(value, list):
        return [whole_numbers(item) for item in value]
    return value


def check_inputs(component: str, name: str, inputs: Mapping[str, Any], properties: Mapping[str, PropertyDefinition],
                 types: Mapping[str, TypeDefinition]) -> dict[str, Any]:
    """The inputs with whole numbers normalized; raise `InputPropertiesError` listing every problem."""
    check = _Check(component, name, types)
    checked = check.object(inputs, properties, "")
    if check.problems:
        lines = [f"{component} '{name}': {p['property_path']}: {p['reason']}" for p in check.problems]
        raise InputPropertiesError("\n".join(lines), check.problems)
    return checked
