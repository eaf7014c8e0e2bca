"""The component base every resource type builds on, and its args: validated by the YAML's models.

`StacktapeComponent` holds what every component does alike: validate its args into the props
model, pick the stack context, give its children `parent=self`, and at the end register its
params with the context and as its outputs. It exposes what other components may read —
`resource_name`, `props`, `context` — as typed, read-only properties (properties, not class
annotations: Pulumi's schema inference reads a component's annotations as its outputs).

Args from Python and the provider arrive with snake_case keys; `validate_args` renames them to
the YAML's keys and validates them with the same models. The renaming follows the pydantic
model, not a fixed list: a key is renamed only where the model
has that field (so user data such as IAM `Condition` operators, tag maps and `variables` keep their
keys), enum members become their values, and the result is validated exactly like the YAML.

Python args may also hold what only a program has (docs/decisions.md, "Outputs in component args"):
a component object where a resource's name goes (`RESOURCE_NAME_KEYS`) stands for that name, and a
`pulumi.Output` where the models accept one (`OutputValue`) passes validation as it is and is
checked against the field's own rules once its value is known.
"""

import asyncio
import contextvars
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from enum import Enum
from functools import cache
from types import UnionType
from typing import Any, Generic, Literal, Protocol, TypeVar, Union, get_args, get_origin

import pulumi
from pydantic import BaseModel, TypeAdapter, ValidationError

from stacktape_pulumi.checks.registry import raise_for
from stacktape_pulumi.components.context import StackContext, current_context
from stacktape_pulumi.components.stack import cascade_options
from stacktape_pulumi.config.loader import SourceMap
from stacktape_pulumi.config.models.common import RESOURCE_NAME_KEYS, Output
from stacktape_pulumi.config.validate import issues_from_validation
from stacktape_pulumi.errors import ConfigIssue, KeyPath, StacktapeError
from stacktape_pulumi.schema.naming import camel, python_name, snake, strip_annotated, union_members

Model = TypeVar("Model", bound=BaseModel)
PropsT = TypeVar("PropsT", bound=BaseModel)
T = TypeVar("T")

__all__ = ["ArgsError", "ResourceOwner", "StacktapeComponent", "after_body", "camel", "nested_as", "python_name",
           "snake", "to_model_keys", "validate_args"]

# The name the next component constructed registers under, when a component builds another as its part.
_NESTED_NAME: contextvars.ContextVar[str | None] = contextvars.ContextVar("stacktape_nested_name", default=None)


@contextmanager
def nested_as(stack_name: str) -> Iterator[None]:
    """Register the component constructed inside as `stack_name` (e.g. `web.httpApiGateway`).

    A web service builds its workload and HTTP API with those components, under the service's own
    name (their AWS names are the service's, as the reference's); the stack knows them by the
    reference's name chains instead, so they never take the service's place. A context variable,
    not a constructor argument: the constructors' signatures are the components' public args.
    """
    token = _NESTED_NAME.set(stack_name)
    try:
        yield
    finally:
        _NESTED_NAME.reset(token)


class ArgsError(StacktapeError):
    """Bad component args from Python: every problem, each with its field path."""


@cache
def _field_keys(model: type[BaseModel]) -> dict[str, tuple[str, Any]]:
    """Every spelling a field of `model` may arrive in → (its YAML key, its annotation)."""
    keys: dict[str, tuple[str, Any]] = {}
    for name, field in model.model_fields.items():
        yaml_key = field.alias or name
        py_name = python_name(yaml_key)
        # `snake(yaml_key)` too: `use_private_subnets_with_nat` is what Python hands write for a key
        # whose args field keeps its YAML spelling (`usePrivateSubnetsWithNAT`, see `python_name`).
        for spelling in (yaml_key, py_name, camel(py_name), snake(yaml_key)):
            keys.setdefault(spelling, (yaml_key, field.annotation))
    return keys


def _is_model(annotation: Any) -> bool:
    return isinstance(annotation, type) and issubclass(annotation, BaseModel)


def _variant(models: list[type[BaseModel]], value: Mapping[str, Any]) -> type[BaseModel] | None:
    """The union member `value` is meant as: by its `type`, else the one knowing most of its keys."""
    kind = value.get("type")
    kind = kind.value if isinstance(kind, Enum) else kind
    for model in models:
        field = model.model_fields.get("type")
        if field is not None and get_origin(strip_annotated(field.annotation)) is Literal \
                and kind in get_args(strip_annotated(field.annotation)):
            return model
    if any("type" in model.model_fields for model in models):
        return None  # a discriminated union with an unknown type: pydantic reports it
    return max(models, key=lambda model: sum(str(key) in _field_keys(model) for key in value))


def to_model_keys(value: Any, annotation: Any) -> Any:
    """`value` with mapping keys renamed to the YAML keys of `annotation`'s models, enums as values."""
    if isinstance(value, Enum):
        return value.value
    parts = union_members(annotation)
    if len(parts) != 1:
        models = [part for part in parts if _is_model(part)]
        if isinstance(value, Mapping) and models:
            chosen = _variant(models, value)
            return to_model_keys(value, chosen) if chosen else _plain_keys(value)
        sequences = [part for part in parts if get_origin(part) in (list, tuple)]
        if isinstance(value, list | tuple) and sequences:
            return to_model_keys(value, sequences[0])
        return _plain_keys(value)
    target = parts[0] if parts else Any
    if _is_model(target) and isinstance(value, Mapping):
        keys = _field_keys(target)
        renamed: dict[str, Any] = {}
        for key, item in value.items():
            # An unknown key keeps its camelCase spelling so pydantic's "did you mean" names the YAML key.
            yaml_key, item_annotation = keys.get(str(key), (camel(str(key)), Any))
            if yaml_key in RESOURCE_NAME_KEYS:
                item = _component_names(item)
            renamed[yaml_key] = to_model_keys(item, item_annotation)
        return renamed
    origin = get_origin(target)
    if origin in (list, tuple) and isinstance(value, list | tuple):
        item_type = (get_args(target) or (Any,))[0]
        return [to_model_keys(item, item_type) for item in value]
    if origin is dict and isinstance(value, Mapping):
        item_type = (get_args(target) or (Any, Any))[-1]
        return {key: to_model_keys(item, item_type) for key, item in value.items()}
    return _plain_keys(value) if target is not Any else _enum_values(value)


def _component_names(value: Any) -> Any:
    """A resource name, or a list of them, with each component object replaced by the name it has in the stack."""
    if isinstance(value, StacktapeComponent):
        return value.stack_name
    if isinstance(value, list | tuple):
        return [_component_names(item) for item in value]
    return value


def _plain_keys(value: Any) -> Any:
    """Without a model to follow (an unknown union member): camelCase every key, as a best effort."""
    if isinstance(value, Mapping):
        return {camel(str(key)): _plain_keys(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_plain_keys(item) for item in value]
    return _enum_values(value)


def _enum_values(value: Any) -> Any:
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, Mapping):
        return {key: _enum_values(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_enum_values(item) for item in value]
    return value


def validate_args(kind: str, name: str, args: Mapping[str, Any] | BaseModel, model: type[Model]) -> Model:
    """Validate Python or provider args with the YAML models; raise `ArgsError` naming every bad field.

    `args` is a props model instance (the YAML path), or a mapping with snake_case or camelCase
    keys and enum members or plain values (Python callers and the multi-language provider).
    """
    if isinstance(args, model):
        return args
    if isinstance(args, BaseModel):
        args = args.model_dump(exclude_none=True, by_alias=True)
    data = to_model_keys(dict(args), model)
    try:
        props = model.model_validate(data)
    except ValidationError as exc:
        raise _args_error(kind, name, issues_from_validation(exc, data, SourceMap(f"<{kind} {name}>"), root=model)) \
            from None
    _check_outputs_when_known(props, (), kind, name)
    return props


def _args_error(kind: str, name: str, issues: list[ConfigIssue]) -> ArgsError:
    lines = [f"{kind} '{name}': {issue.path}: {issue.message}" + (f" (hint: {issue.hint})" if issue.hint else "")
             for issue in sorted(issues, key=lambda i: i.path)]
    return ArgsError("\n".join(lines))


def _check_outputs_when_known(props: BaseModel, path: KeyPath, kind: str, name: str) -> None:
    """Replace each Output in `props` by one that checks its value against the field's rules once known.

    An Output's value is unknown while the program runs (it may be unknown during a whole preview),
    so the models let it through; its value, when it arrives, meets the same rules a literal would
    have (`NonEmptyStr` …), and a bad one fails the resource using it with the field's path.
    """
    for field_name, info in type(props).model_fields.items():
        value = getattr(props, field_name)
        checked = _checked(value, info.annotation, (*path, info.alias or field_name), kind, name)
        if checked is not value:
            setattr(props, field_name, checked)


def _checked(value: Any, annotation: Any, path: KeyPath, kind: str, name: str) -> Any:
    if isinstance(value, BaseModel):
        _check_outputs_when_known(value, path, kind, name)
        return value
    if isinstance(value, list):
        item_type = _item_annotation(annotation)
        items = [_checked(item, item_type, (*path, index), kind, name) for index, item in enumerate(value)]
        return items if any(new is not old for new, old in zip(items, value, strict=True)) else value
    if isinstance(value, pulumi.Output):
        known = [member for member in _union_args(annotation) if strip_annotated(member) is not Output]
        if not known:
            return value
        form: Any = known[0] if len(known) == 1 else Union[tuple(known)]
        rule: TypeAdapter[Any] = TypeAdapter(form)

        def check(resolved: Any) -> Any:
            try:
                rule.validate_python(resolved)
            except ValidationError as exc:
                raise _args_error(kind, name, issues_from_validation(
                    exc, resolved, SourceMap(f"<{kind} {name}>"), prefix=path)) from None
            return resolved

        return value.apply(check)
    return value


def _union_args(annotation: Any) -> tuple[Any, ...]:
    """The members of a union annotation (keeping each member's constraints), or the annotation alone."""
    annotation = strip_annotated(annotation)
    return get_args(annotation) if get_origin(annotation) in (Union, UnionType) else (annotation,)


def _item_annotation(annotation: Any) -> Any:
    """What a list field holds: `Annotated[list[T], …] | None` → `T`."""
    for member in _union_args(annotation):
        if get_origin(strip_annotated(member)) in (list, tuple):
            return (get_args(strip_annotated(member)) or (Any,))[0]
    return Any


class ResourceOwner(Protocol):
    """A component other components may create resources under (routes, integrations, rules of its events)."""

    @property
    def resource_name(self) -> str: ...

    def child_opts(self, **kwargs: Any) -> pulumi.ResourceOptions: ...


class StacktapeComponent(pulumi.ComponentResource, Generic[PropsT]):
    """A resource of the config as one Pulumi component: `stacktape:index:<kind>` named like the resource.

    A subclass calls `super().__init__` first (validated props, context), creates its resources with
    `child_opts()`, and ends with `publish(params)`.
    """

    params: dict[str, pulumi.Output[Any]]

    def __init__(self, kind: str, resource_type: str, name: str, args: Mapping[str, Any] | BaseModel,
                 model: type[PropsT], opts: pulumi.ResourceOptions | None, context: StackContext | None) -> None:
        opts = cascade_options(opts)
        super().__init__(f"stacktape:index:{kind}", name, None, opts)
        self._kind = kind
        self._resource_name = name
        # Taken by this component only: its own parts register under their own names.
        self._stack_name = _NESTED_NAME.get() or name
        _NESTED_NAME.set(None)
        self._props = validate_args(kind, name, args, model)
        if not isinstance(args, model):
            # Python and provider args meet the checks `validate` runs on YAML here; the YAML door hands
            # over props models that `load.load_config` has checked already.
            raise_for(resource_type, kind, name, self._props)
        self._context = context or current_context(opts)
        # The stack's shared parts follow the options of the component that first needs one; a part of
        # another component (a web service's workload) has that component's options already.
        if opts is None or not isinstance(opts.parent, StacktapeComponent):
            self._context.offer_options(opts)

    @property
    def kind(self) -> str:
        """The component type without its package prefix, as error messages name it (e.g. `SqsQueue`)."""
        return self._kind

    @property
    def resource_name(self) -> str:
        """The resource's name in the config, which is also its Pulumi name."""
        return self._resource_name

    @property
    def stack_name(self) -> str:
        """The name the stack knows it by (`$ResourceParam`, events, `connectTo`): its own, or a service's part's."""
        return self._stack_name

    @property
    def props(self) -> PropsT:
        """The validated properties."""
        return self._props

    @property
    def context(self) -> StackContext:
        """The stack this component belongs to."""
        return self._context

    @property
    def tags(self) -> dict[str, str]:
        """The tags every taggable resource of the stack carries."""
        return self._context.tags

    def child_opts(self, **kwargs: Any) -> pulumi.ResourceOptions:
        """Options of a resource owned by this component (also for event wiring created on its behalf)."""
        return pulumi.ResourceOptions(parent=self, **kwargs)

    def publish(self, params: dict[str, pulumi.Output[Any]]) -> None:
        """The closing step: `params` become `$ResourceParam` values, the stack's view of it, and its outputs."""
        self.share(params)
        self.register_outputs(dict(params))

    def share(self, params: dict[str, pulumi.Output[Any]]) -> None:
        """Let the stack's other components find this one and `$ResourceParam` read `params` (outputs come later)."""
        self.params = params
        self._context.register_component(self._stack_name, self, params)


def after_body(compute: Callable[[], T]) -> pulumi.Output[T]:
    """An Output of what `compute()` returns once the program body has run.

    Pulumi runs a program's body (and a provider's `construct`) synchronously inside its event loop,
    and sends registrations only afterwards; a callback scheduled now runs once the body is done.
    For inputs other components may still add to while it runs, e.g. a load balancer's ingress for
    the test listeners deployments ask for.
    """
    loop = asyncio.get_event_loop()
    value: asyncio.Future[T] = loop.create_future()
    known: asyncio.Future[bool] = loop.create_future()
    secret: asyncio.Future[bool] = loop.create_future()

    def settle() -> None:
        try:
            value.set_result(compute())
        except Exception as exc:  # handed to whoever awaits the Output
            value.set_exception(exc)
        known.set_result(True)
        secret.set_result(False)

    loop.call_soon(settle)
    return pulumi.Output(set(), value, known, secret)
