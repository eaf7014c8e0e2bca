"""Host the components as the Pulumi package `stacktape`: schema inference, input checks, construct.

`serve` does what `pulumi.provider.experimental.component_provider_host(components, name="stacktape",
version=...)` does — infer the schema from the components' annotations and serve it with
`pulumi.provider.main` — with `StacktapeProvider` in place of the plain `ComponentProvider` that
function hard-wires, because two things must happen before the SDK maps a `Construct` request's
inputs: unknown keys and non-whole integers are reported (`provider.inputs`), and the component
gets the provider's stack context, so components of one program share the stack's network and
find each other by name (a `$ResourceParam`, an event's `httpApiGatewayName`) as on the YAML path.
"""

import importlib.metadata
import json
from collections.abc import Callable, Mapping
from dataclasses import replace
from typing import Any

import pulumi
from pulumi.errors import InputPropertiesError
from pulumi.provider import main as provider_main
from pulumi.provider.experimental.analyzer import PropertyDefinition
from pulumi.provider.experimental.component import ComponentProvider
from pulumi.provider.experimental.schema import generate_schema
from pulumi.provider.provider import ConstructResult, Provider
from pulumi.provider.server import ComponentInitError

from stacktape_pulumi.components.base import validate_args
from stacktape_pulumi.components.context import StackContext, use_context
from stacktape_pulumi.config.models.root import StackConfig
from stacktape_pulumi.errors import StacktapeError
from stacktape_pulumi.plan import StackSettings, stack_config_settings
from stacktape_pulumi.provider.inputs import check_inputs
from stacktape_pulumi.schema.registry import PACKAGE, PROVIDER_SCHEMA_PATH, analyzer, hosting

DISTRIBUTION = "stacktape-pulumi"
SCHEMA_PATH = PROVIDER_SCHEMA_PATH


def package_version() -> str:
    """The installed version of the `stacktape-pulumi` distribution (the provider's schema version)."""
    return importlib.metadata.version(DISTRIBUTION)


class StacktapeProvider(ComponentProvider):
    """The SDK's component provider, with input checks and one stack context per Pulumi stack."""

    def __init__(self, components: list[type[pulumi.ComponentResource]], version: str,
                 stack_context: Callable[[], StackContext] | None = None,
                 analysis: Mapping[str, Any] | None = None) -> None:
        # `ComponentProvider.__init__`'s work, from the inference `schema.registry.hosting` already ran
        # (with the docstrings read once per module): inferring again would take the provider's
        # start-up from about 1 s to about 13 s.
        self._name = PACKAGE
        self.analyzer = analyzer()
        result = analysis if analysis is not None else self.analyzer.analyze(components)
        self._components = {component.__name__: component for component in components}
        self._component_defs = result["component_definitions"]
        self._type_defs = result["type_definitions"]
        self._external_enum_types = result["external_enum_types"]
        self._dependencies = sorted(result["dependencies"], key=lambda d: f"{d.name}{d.version}")
        schema = generate_schema(PACKAGE, version, None, self._component_defs, self._type_defs, self._dependencies)
        Provider.__init__(self, version, json.dumps(schema.to_json()))
        self.stack_context: Callable[[], StackContext] = stack_context or self._shared_context
        """The stack context each construct runs in (default: one per Pulumi project and stack)."""
        self._contexts: dict[tuple[str, str], StackContext] = {}

    def construct(self, name: str, resource_type: str, inputs: pulumi.Inputs,
                  options: pulumi.ResourceOptions | None = None) -> ConstructResult:
        """Check `inputs`, then construct the component in the stack's context."""
        component = resource_type.rsplit(":", 1)[-1]
        # The definitions the SDK inferred in `__init__` (declared on `ComponentProvider`): the inputs are
        # checked against exactly what its mapping would keep.
        definition = self._component_defs.get(component)
        if definition is not None:
            inputs = check_inputs(component, name, inputs, definition.inputs, self._type_defs)
        try:
            context = self.stack_context()
        except StacktapeError as exc:  # a bad `stacktape:stackConfig`
            raise InputPropertiesError(str(exc)) from None
        restore = use_context(context)
        try:
            return super().construct(name, resource_type, inputs, options)
        except ComponentInitError as exc:
            # A bad config is the caller's mistake: report it as bad inputs, without a traceback.
            if isinstance(exc.inner, StacktapeError):
                raise InputPropertiesError(str(exc.inner)) from None
            raise
        finally:
            restore()

    def map_input_properties(self, inputs: pulumi.Inputs, properties: dict[str, PropertyDefinition],
                             mapping: dict[str, str], component_name: str, property_path: str) -> pulumi.Inputs:
        """The SDK's mapping, leaving enum values and missing inputs to the components' validation.

        The SDK turns an enum value into its Python enum and refuses one outside the set in its own
        words ("Invalid value 3 of type <class 'int'> for enum 'FargateCpu'"), and maps lists and maps
        of enum values item by item as objects (each `"GET"` of `cors.allowedMethods` would arrive as
        `{}`). Kept plain, they meet the components' validation, which checks them against the enum
        and words a bad one exactly as the YAML door does (`resources.cpu: invalid value 3; allowed
        values: …`). A required input that is missing is left to that validation too ("missing
        required key 'containers'", not the SDK's "Missing required input 'containers' on …").
        """
        properties = {name: prop if prop.optional else replace(prop, optional=True)
                      for name, prop in properties.items()}
        raw = dict(inputs) if isinstance(inputs, dict) else {}
        # The SDK would refuse a value outside the enum before the components see it: it maps a valid
        # stand-in, and the value as given takes its place below.
        stand_ins = {name: stand_in for name, prop in properties.items()
                     if name in raw and not isinstance(raw[name], pulumi.Output)
                     and (stand_in := self._enum_stand_in(prop)) is not None}
        mapped = dict(super().map_input_properties({**raw, **stand_ins} if stand_ins else inputs, properties,
                                                   mapping, component_name, property_path))
        for schema_name, prop in properties.items():
            value = raw.get(schema_name)
            element = prop if schema_name in stand_ins else prop.items if isinstance(value, list) \
                else prop.additional_properties if isinstance(value, dict) else None
            if element is not None and element.ref and self._is_enum(element):
                mapped[mapping[schema_name]] = value
        return mapped

    def _enum_stand_in(self, prop: PropertyDefinition) -> Any:
        """A member of the package's own enum `prop` refers to (None when it refers to no such enum)."""
        type_def = self.get_type_definition(prop) if prop.ref else None
        members = type_def.enum if type_def is not None else None
        return members[0].value if members else None

    def _is_enum(self, prop: PropertyDefinition) -> bool:
        type_def = self.get_type_definition(prop)
        return (type_def is not None and bool(type_def.enum)) or prop.ref in self._external_enum_types

    def _shared_context(self) -> StackContext:
        # One program's components share one context: its VPC, namespace, repository and params.
        key = (pulumi.get_project(), pulumi.get_stack())
        if key not in self._contexts:
            self._contexts[key] = StackContext(provider_settings())
        return self._contexts[key]


def provider_settings() -> StackSettings:
    """The stack's `stacktape:stackConfig` config (the YAML's `stackConfig`: tags, VPC reuse, NAT) as settings.

    Checked like the YAML's: a misspelt key or a bad value is an error naming it.
    """
    raw = pulumi.Config(PACKAGE).get_object("stackConfig")
    if raw is None:
        return StackSettings()
    where = f"{PACKAGE}:stackConfig"
    if not isinstance(raw, dict):
        raise StacktapeError(f"provider config '{where}': expected an object like the YAML's stackConfig, "
                             f"got {type(raw).__name__}")
    config = validate_args("provider config", where, raw, StackConfig)
    if config.outputs:
        raise StacktapeError(f"provider config '{where}': outputs: a program exports its own outputs "
                             "(`outputs:` in Pulumi YAML, `export` in TypeScript); remove them here")
    return stack_config_settings(config)


def create_provider(stack_context: Callable[[], StackContext] | None = None) -> StacktapeProvider:
    """The provider for every hosted component (see `schema.registry.hosting`)."""
    hosted = hosting()
    return StacktapeProvider(hosted.components, package_version(), stack_context, hosted.analysis)


def schema_document(provider: StacktapeProvider | None = None) -> dict[str, Any]:
    """The package schema the provider serves (`GetSchema`), as JSON data."""
    schema = (provider or create_provider()).schema
    document: dict[str, Any] = json.loads(schema or "{}")
    return document


def render_schema(document: dict[str, Any]) -> str:
    """The committed form of a schema: sorted keys, two-space indent, one trailing newline."""
    return json.dumps(document, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def serve(args: list[str]) -> None:
    """Serve the provider over gRPC (prints its port on stdout) until the engine stops it."""
    provider_main(create_provider(), args)
