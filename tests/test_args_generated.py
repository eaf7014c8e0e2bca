"""The generated component args (`stacktape_pulumi/args.py`): drift, names, shapes and the Python door."""

import ast
import json
import pkgutil
import re
import typing
from enum import Enum
from typing import Annotated, Any, Literal, NotRequired, get_args, get_origin, get_type_hints, is_typeddict

import pytest
from pulumi.provider.experimental.analyzer import Analyzer, is_input, unwrap_input
from pydantic import BaseModel, Field

import stacktape_pulumi.args as generated
import stacktape_pulumi.config.models as models_package
from stacktape_pulumi.components.base import ArgsError, validate_args
from stacktape_pulumi.config.models.common import StrictModel
from stacktape_pulumi.config.models.workload import MultiContainerWorkloadProps
from stacktape_pulumi.engine import run_offline
from stacktape_pulumi.schema.gen_args import (
    GENERATED_PATH,
    REGENERATE,
    ArgsBuilder,
    GeneratorError,
    generate,
    member_name,
    python_literal,
    render,
)
from stacktape_pulumi.schema.naming import camel, python_name
from stacktape_pulumi.schema.registry import ComponentSpec, component_specs

ARGS_TYPES = [value for value in vars(generated).values() if is_typeddict(value)]
ENUMS = [value for value in vars(generated).values()
         if isinstance(value, type) and issubclass(value, Enum) and value.__module__ == generated.__name__]


def test_args_module_is_up_to_date() -> None:
    assert GENERATED_PATH.read_text() == generate(), f"{GENERATED_PATH.name} is stale: run `{REGENERATE}`"


def test_every_resource_type_has_its_args() -> None:
    for spec in component_specs():
        assert is_typeddict(getattr(generated, spec.args_name, None)), spec.args_name


def test_the_module_is_what_the_inference_needs() -> None:
    source = GENERATED_PATH.read_text()
    tree = ast.parse(source)
    # Postponed annotations would hide the real types from Pulumi's schema inference.
    assert not any(isinstance(node, ast.ImportFrom) and node.module == "__future__" for node in tree.body)
    for node in ast.walk(tree):
        if isinstance(node, ast.AnnAssign):
            for part in ast.walk(node.annotation):
                assert not isinstance(part, ast.BinOp), ast.unparse(node)
                forbidden = isinstance(part, ast.Name) and part.id in ("Literal", "Union", "Optional")
                assert not forbidden, ast.unparse(node)


def _schema_parts(annotation: Any) -> list[Any]:
    """What the inference reads of an annotation: an `Input[T]` union counts as its `T`."""
    if is_input(annotation):
        return _schema_parts(unwrap_input(annotation))
    return [annotation, *(part for arg in get_args(annotation) for part in _schema_parts(arg))]


@pytest.mark.parametrize("args_type", ARGS_TYPES, ids=lambda t: t.__name__)
def test_fields_are_schema_safe(args_type: Any) -> None:
    for name, annotation in get_type_hints(args_type, include_extras=True).items():
        for part in _schema_parts(annotation):
            origin = get_origin(part)
            assert origin not in (Literal, typing.Union, Annotated), f"{args_type.__name__}.{name}: {part}"
            if origin is dict:
                assert get_args(part)[0] is str, f"{args_type.__name__}.{name}"


@pytest.mark.parametrize("args_type", [*ARGS_TYPES, *ENUMS], ids=lambda t: t.__name__)
def test_every_field_carries_a_docstring_the_inference_reads(args_type: Any) -> None:
    analyzer = Analyzer("stacktape")
    assert (args_type.__doc__ or "").strip(), args_type.__name__
    if is_typeddict(args_type):
        for name in get_type_hints(args_type):
            assert analyzer.get_docstring(args_type, name), f"{args_type.__name__}.{name}"


def _model_keys() -> set[str]:
    """Every YAML key of every config model."""
    keys: set[str] = set()
    for info in pkgutil.iter_modules(models_package.__path__):
        module = __import__(f"{models_package.__name__}.{info.name}", fromlist=["_"])
        for value in vars(module).values():
            if isinstance(value, type) and issubclass(value, BaseModel):
                keys.update(field.alias or name for name, field in value.model_fields.items())
    return keys


# The reference's own snake_case keys (PostgreSQL and MySQL parameter names in `engineSpecificOptions`): their
# Python name is the key, their schema name its camelCase, which `validate_args` maps back like `detail-type`.
SNAKE_CASE_KEYS = ["log_connections", "log_disconnections", "log_lock_waits", "log_min_duration_statement",
                   "log_statement", "long_query_time", "server_audit_events"]


def test_every_yaml_key_round_trips_through_its_python_name() -> None:
    keys = sorted(_model_keys())
    broken = [key for key in keys if key.isidentifier() and key not in SNAKE_CASE_KEYS
              and camel(python_name(key)) != key]
    assert broken == []
    assert sorted(key for key in keys if re.fullmatch(r"[a-z]+(_[a-z]+)+", key)) == SNAKE_CASE_KEYS
    assert [python_name(key) for key in SNAKE_CASE_KEYS] == SNAKE_CASE_KEYS


@pytest.mark.parametrize(("yaml_key", "python", "schema"), [
    ("minInstances", "min_instances", "minInstances"),
    ("healthcheckPath", "healthcheck_path", "healthcheckPath"),
    ("nixPkgs", "nix_pkgs", "nixPkgs"),
    ("s3Bucket", "s3_bucket", "s3Bucket"),
    ("usePrivateSubnetsWithNAT", "usePrivateSubnetsWithNAT", "usePrivateSubnetsWithNAT"),
    ("Sid", "Sid", "Sid"),
    ("Effect", "Effect", "Effect"),
    ("Condition", "Condition", "Condition"),
    ("detail-type", "detail_type", "detailType"),
    ("from", "from_", "from"),
])
def test_python_and_schema_names(yaml_key: str, python: str, schema: str) -> None:
    assert (python_name(yaml_key), camel(python_name(yaml_key))) == (python, schema)


@pytest.mark.parametrize("text", [
    "plain", 'ends with a quote "/"', 'has """ inside', "a backslash \\n stays", "two\nlines", "`{braces}`",
])
def test_docstrings_are_read_back_exactly(text: str) -> None:
    literal = python_literal(text)
    assert "\n" not in literal
    assert ast.literal_eval(literal) == text


@pytest.mark.parametrize(("value", "name"), [
    ("prebuilt-image", "PREBUILT_IMAGE"), ("GreaterThanThreshold", "GREATER_THAN_THRESHOLD"), ("*", "ANY"),
    ("1.0", "V1_0"), ("x86_64", "X86_64"), (0.25, "V0_25"), (90, "V90"),
])
def test_enum_member_names(value: str | float, name: str) -> None:
    assert member_name(value) == name


def test_closed_sets_become_enums_with_their_values() -> None:
    assert [m.value for m in generated.FargateCpu] == [0.25, 0.5, 1.0, 2.0, 4.0, 8.0, 16.0]
    assert [m.value for m in generated.ContainerDependencyCondition] == ["START", "COMPLETE", "SUCCESS", "HEALTHY"]
    assert issubclass(generated.ContainerDependencyCondition, str)
    hints = get_type_hints(generated.ContainerPackaging)
    assert hints["type"] is generated.ContainerPackagingType
    assert hints["properties"] is generated.ContainerPackagingProperties


def test_optional_fields_are_not_required() -> None:
    args = generated.MultiContainerWorkloadArgs
    assert args.__required_keys__ == {"containers", "resources"}
    assert "use_private_subnets_with_nat" not in get_type_hints(args)
    assert {"usePrivateSubnetsWithNAT", "enable_remote_sessions", "iam_role_statements"} <= args.__optional_keys__


def test_resource_types_with_optional_properties_have_empty_args() -> None:
    for spec in component_specs():
        constant = f"EMPTY_{''.join('_' + c if c.isupper() else c for c in spec.class_name).lstrip('_').upper()}_ARGS"
        if spec.props_optional and not getattr(generated, spec.args_name).__required_keys__:
            assert getattr(generated, constant) == {}, constant


# ---- the generator's rules, on small models -------------------------------------------------

class _Cat(StrictModel):
    """A cat."""

    type: Literal["cat"]
    properties: "_CatProps"


class _CatProps(StrictModel):
    """How the cat behaves."""

    lives: Annotated[int, Field(ge=1, le=9)]
    """Lives left."""
    sound: str = "meow"
    """What it says."""


class _Dog(StrictModel):
    """A dog."""

    type: Literal["dog"]
    properties: "_DogProps | None" = None


class _DogProps(StrictModel):
    """How the dog behaves."""

    sound: Literal["woof", "wuff"]
    """What it says."""
    lives: float | None = None
    """Lives left (dogs count differently)."""


_Cat.model_rebuild()
_Dog.model_rebuild()


class _PetsProps(StrictModel):
    """Pets of a house."""

    pets: list[Annotated[_Cat | _Dog, Field(discriminator="type")]]
    """The pets."""
    labels: dict[str, str] | None = None
    """Free-form labels."""
    anything: str | int | bool | None = None
    """A scalar of several kinds."""


class _Undocumented(StrictModel):
    """Missing a field docstring."""

    name: str


def _spec(props: type[BaseModel], name: str = "House", optional: bool = False) -> ComponentSpec:
    return ComponentSpec(resource_type=name.lower(), class_name=name, props=props, props_optional=optional)


def _declarations(props: type[BaseModel]) -> dict[str, Any]:
    builder = ArgsBuilder()
    builder.add_component(_spec(props))
    return builder.declarations


def test_discriminated_unions_merge_their_variants() -> None:
    declarations = _declarations(_PetsProps)
    pet = declarations["HousePet"]
    assert [(f.name, f.type, f.required) for f in pet.fields] == [
        ("type", "HousePetTypeValue", True), ("properties", "HousePetProperties", False)]
    kinds = declarations["HousePetType"]
    assert [(m.name, m.value, m.doc) for m in kinds.members] == [("CAT", "cat", "A cat."), ("DOG", "dog", "A dog.")]
    merged = {f.name: f for f in declarations["HousePetProperties"].fields}
    # int and float merge to float; a string and a Literal set to Any; the docs say which kind says what.
    assert (merged["lives"].type, merged["lives"].required) == ("float", False)
    assert merged["lives"].doc == "`cat`: Lives left.\n`dog`: Lives left (dogs count differently)."
    assert merged["sound"].type == "Any"
    house = {f.name: f for f in declarations["HouseArgs"].fields}
    assert (house["pets"].type, house["labels"].type, house["anything"].type) == (
        "list[HousePet]", "dict[str, str]", "Any")


def test_rendered_args_compile_and_keep_docstrings() -> None:
    source = render(_declarations(_PetsProps).values())
    namespace: dict[str, Any] = {}
    exec(compile(source, "<args>", "exec"), namespace)
    assert namespace["HouseArgs"].__required_keys__ == {"pets"}
    assert namespace["HousePetType"].DOG == "dog"


def test_missing_field_docstrings_are_named() -> None:
    builder = ArgsBuilder()
    builder.add_component(_spec(_Undocumented))
    assert builder.missing_docs == [f"{__name__}._Undocumented.name"]
    with pytest.raises(GeneratorError, match=r"_Undocumented\.name"):
        generate([_spec(_Undocumented)])


# ---- the Python door ------------------------------------------------------------------------

TYPED_ARGS: generated.MultiContainerWorkloadArgs = {
    "resources": {"cpu": generated.FargateCpu.V0_5, "memory": 1024},
    "scaling": {"min_instances": 1, "max_instances": 2},
    "usePrivateSubnetsWithNAT": False,
    "iam_role_statements": [{
        "Sid": "Read", "Effect": generated.IamRoleStatementEffect.ALLOW, "Action": ["s3:GetObject"],
        "Resource": ["arn:aws:s3:::bucket/*"],
        "Condition": {"StringEquals": {"aws:ResourceTag/team_name": "platform"}},
    }],
    "containers": [{
        "name": "web",
        "packaging": {"type": generated.ContainerPackagingType.PREBUILT_IMAGE,
                      "properties": {"image": "nginx:1.27", "entry_point": ["nginx"]}},
        "depends_on": [],
        "events": [{"type": generated.ContainerEventType.WORKLOAD_INTERNAL, "properties": {"container_port": 80}}],
    }],
}


def test_typed_python_args_validate_like_the_yaml() -> None:
    props = validate_args("MultiContainerWorkload", "api", TYPED_ARGS, MultiContainerWorkloadProps)
    statement = props.iamRoleStatements[0] if props.iamRoleStatements else None
    assert statement is not None
    assert statement.Effect == "Allow"
    # User data inside a free-form map keeps its keys (no snake → camel renaming there).
    assert statement.Condition == {"StringEquals": {"aws:ResourceTag/team_name": "platform"}}
    assert props.resources.cpu == 0.5
    assert props.containers[0].packaging.type == "prebuilt-image"
    assert props.containers[0].packaging.properties.entryPoint == ["nginx"]


def test_enum_members_and_plain_values_build_the_same_children() -> None:
    from stacktape_pulumi.components.workload import MultiContainerWorkload

    plain = json.loads(json.dumps(TYPED_ARGS, default=lambda member: member.value))  # enum members → values
    with_enums = run_offline(lambda: MultiContainerWorkload("api", TYPED_ARGS)).to_json()  # type: ignore[arg-type]
    with_values = run_offline(lambda: MultiContainerWorkload("api", plain)).to_json()  # type: ignore[arg-type]
    assert with_enums == with_values


def test_bad_python_args_name_the_yaml_path() -> None:
    bad = {**TYPED_ARGS, "scaling": {"min_instancs": 1}}
    with pytest.raises(ArgsError) as raised:
        validate_args("MultiContainerWorkload", "api", bad, MultiContainerWorkloadProps)
    assert "MultiContainerWorkload 'api': scaling.minInstancs: unknown key 'minInstancs'" in str(raised.value)


def test_annotations_are_plain_typeddicts_for_mypy() -> None:
    hints = get_type_hints(generated.Container, include_extras=True)
    assert hints["essential"] == NotRequired[bool]


@pytest.mark.parametrize("key", ["detail_type", "detailType", "detail-type"])
def test_keys_that_are_no_identifiers_arrive_under_any_spelling(key: str) -> None:
    from stacktape_pulumi.config.models.event_bus import EventBusIntegrationPattern

    pattern = validate_args("EventBusIntegrationPattern", "rule", {key: ["OrderPlaced"]}, EventBusIntegrationPattern)
    assert pattern.detail_type == ["OrderPlaced"]
