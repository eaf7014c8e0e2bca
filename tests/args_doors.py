"""The same resource properties through each door: YAML config, Python args, provider inputs.

The converters follow the generated TypedDicts (`stacktape_pulumi.args`), which is what a Python
caller types against and what the provider schema is inferred from; a YAML key the args do not
cover fails the conversion loudly.
"""

import json
from collections.abc import Callable, Mapping
from enum import Enum
from functools import cache
from pathlib import Path
from typing import Any, get_args, get_origin, get_type_hints, is_typeddict

import pulumi
from google.protobuf import struct_pb2

import stacktape_pulumi.args as generated
from stacktape_pulumi.components.context import StackContext, use_context
from stacktape_pulumi.directives.references import secret_references
from stacktape_pulumi.engine import Recording, run_offline
from stacktape_pulumi.engine.canned import CannedWorld
from stacktape_pulumi.engine.sdk import deserialize_properties
from stacktape_pulumi.load import LoadedConfig
from stacktape_pulumi.plan import stack_config_settings
from stacktape_pulumi.provider import StacktapeProvider, create_provider
from stacktape_pulumi.schema.naming import camel, python_name
from stacktape_pulumi.schema.registry import ComponentSpec, component_classes, component_specs

Rename = Callable[[str], str]


def _convert(value: Any, hint: Any, rename: Rename, enums: bool) -> Any:
    if is_typeddict(hint) and isinstance(value, Mapping):
        fields = get_type_hints(hint)
        converted = {}
        for key, item in value.items():
            name = python_name(str(key))
            if name not in fields:
                raise KeyError(f"{hint.__name__} has no field {name!r} for the YAML key {key!r}")
            converted[rename(str(key))] = _convert(item, fields[name], rename, enums)
        return converted
    if isinstance(hint, type) and issubclass(hint, Enum):
        return hint(value) if enums else value
    origin = get_origin(hint)
    if origin is list and isinstance(value, list):
        return [_convert(item, get_args(hint)[0], rename, enums) for item in value]
    if origin is dict and isinstance(value, Mapping):
        return {key: _convert(item, get_args(hint)[1], rename, enums) for key, item in value.items()}
    return value


def spec_of(resource_type: str) -> ComponentSpec:
    return next(spec for spec in component_specs() if spec.resource_type == resource_type)


def args_type(spec: ComponentSpec) -> Any:
    return getattr(generated, spec.args_name)


def python_args(properties: Mapping[str, Any], spec: ComponentSpec) -> Any:
    """What a Python caller writes: snake_case fields, enum members."""
    return _convert(properties, args_type(spec), python_name, enums=True)


def provider_inputs(properties: Mapping[str, Any], spec: ComponentSpec) -> Any:
    """What another Pulumi language sends: the schema's (camelCase) names, plain values."""
    return _convert(properties, args_type(spec), lambda key: camel(python_name(key)), enums=False)


def over_the_wire(inputs: Mapping[str, Any]) -> dict[str, Any]:
    """`inputs` as the SDK deserializes them from the engine's request: every number a double."""
    struct = struct_pb2.Struct()
    struct.update(dict(inputs))
    wired: dict[str, Any] = deserialize_properties(struct)
    return wired


def properties(loaded: LoadedConfig, name: str) -> dict[str, Any]:
    """A resource's `properties` after local directives, as the YAML path validates them."""
    resource = loaded.data["resources"][name]
    props: dict[str, Any] = resource.get("properties") or {}
    return props


def run_stack(loaded: LoadedConfig, build: Callable[[str, ComponentSpec, StackContext], None]) -> Recording:
    """Run `build` for every resource in creation order, in a stack context made from the config and its plan."""
    settings = stack_config_settings(loaded.config.stackConfig)
    settings.base_dir = loaded.path.parent.resolve()

    def program() -> None:
        ctx = StackContext(settings, plan=loaded.plan)
        restore = use_context(ctx)
        try:
            for name in loaded.order:
                build(name, spec_of(loaded.config.resources[name].type), ctx)
        finally:
            restore()

    return run_offline(program, project=loaded.config.serviceName or "stacktape", stack=loaded.stage,
                       config={"aws:region": loaded.region}, world=canned_world(loaded),
                       asset_root=loaded.path.parent.resolve())


def canned_world(loaded: LoadedConfig) -> CannedWorld:
    """The world the YAML preview answers from: the config's JSON secret keys exist (`$Secret('db.password')`)."""
    world = CannedWorld(region=loaded.region)
    world.answer_secrets(secret_references(loaded.data).secrets)
    return world


def python_door(loaded: LoadedConfig) -> Recording:
    """Every resource built by calling its component with Python args."""

    def build(name: str, spec: ComponentSpec, ctx: StackContext) -> None:
        component_classes()[spec.class_name](name, python_args(properties(loaded, name), spec))

    return run_stack(loaded, build)


@cache
def shared_provider() -> StacktapeProvider:
    """One provider for the test session: the schema inference behind it takes seconds."""
    return create_provider()


def provider_door(loaded: LoadedConfig, spelled_out: Mapping[str, Mapping[str, Any]] | None = None) -> Recording:
    """Every resource built through the provider's `construct`, as the engine would drive it.

    Inputs arrive as the engine sends them, and the provider makes its stack context itself, the
    way it does under `pulumi up`: from the stack config `stacktape:stackConfig` (the YAML's
    `stackConfig`), with relative paths resolved against the working directory (run this from the
    config's directory). `spelled_out` adds properties per resource (what YAML derives from other
    resources and a provider caller writes out).
    """
    provider = shared_provider()
    provider.stack_context = provider._shared_context
    provider._contexts.clear()  # one context per Pulumi stack; each offline run is a new one
    config = {"aws:region": loaded.region}
    if loaded.data.get("stackConfig") is not None:
        config["stacktape:stackConfig"] = json.dumps(loaded.data["stackConfig"])

    def program() -> None:
        for name in loaded.order:
            spec = spec_of(loaded.config.resources[name].type)
            props = _merged(properties(loaded, name), (spelled_out or {}).get(name, {}))
            inputs = over_the_wire(provider_inputs(props, spec))
            provider.construct(name, spec.token, inputs, pulumi.ResourceOptions())

    return run_offline(program, project=loaded.config.serviceName or "stacktape", stack=loaded.stage,
                       config=config, world=canned_world(loaded),
                       asset_root=loaded.path.parent.resolve())


def _merged(base: Mapping[str, Any], extra: Mapping[str, Any]) -> dict[str, Any]:
    merged = dict(base)
    for key, value in extra.items():
        old = merged.get(key)
        merged[key] = _merged(old, value) if isinstance(old, Mapping) and isinstance(value, Mapping) else value
    return merged


def example_files(root: Path) -> list[Path]:
    return sorted((root / "programs" / "examples").glob("*.yml"))
