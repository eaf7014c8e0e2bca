"""Turn pydantic validation errors into located `ConfigIssue`s.

Pydantic reports locations as tuples that may contain union tags (`multi-container-workload`,
`function-after[...]`) which are not keys of the YAML. Walking the data along the location
and skipping elements that are not present recovers the real key path.
"""

from difflib import get_close_matches
from types import UnionType
from typing import Annotated, Any, Union, get_args, get_origin

from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from stacktape_pulumi.config.loader import SourceMap
from stacktape_pulumi.config.models.common import STACKTAPE_ERROR
from stacktape_pulumi.config.models.root import (
    RESOURCE_MODELS,
    SUPPORTED_RESOURCE_TYPES,
    ResourceByType,
    resource_model,
)
from stacktape_pulumi.errors import ConfigIssue, KeyPath


def data_path(data: Any, loc: tuple[int | str, ...]) -> KeyPath:
    """The key path of `loc` inside `data`, dropping union tags pydantic inserts."""
    path: list[str | int] = []
    node = data
    for index, elem in enumerate(loc):
        if isinstance(node, dict) and elem in node:
            path.append(elem)
            node = node[elem]
        elif isinstance(node, list) and isinstance(elem, int) and 0 <= elem < len(node):
            path.append(elem)
            node = node[elem]
        elif elem == "[key]":
            continue  # pydantic's marker for an error in a mapping key; the key is already the leaf
        elif isinstance(node, dict) and isinstance(elem, str) and index < len(loc) - 1:
            continue  # a union tag such as 'multi-container-workload' or 'function-after[...]'
        elif isinstance(node, list) and isinstance(elem, str):
            continue
        else:
            # A key that is not in the data (missing field, or unknown field); keep it as the leaf.
            path.append(elem)
            node = None
    return tuple(path)


def issues_from_validation(exc: ValidationError, data: Any, source: SourceMap,
                           prefix: KeyPath = (), root: Any = None) -> list[ConfigIssue]:
    """Located issues for every pydantic error (deduplicated, stable order)."""
    issues: dict[tuple[str, str], ConfigIssue] = {}
    # One issue per value that no member of a plain union accepted, not one per member.
    by_value: dict[tuple[int | str, ...], list[ErrorDetails]] = {}
    for err in _without_output_alternative(exc.errors(include_url=False), data):
        if _is_union_member_type_error(err, data):
            by_value.setdefault(tuple(err["loc"])[:-1], []).append(err)
        else:
            issue = _issue(err, data, source, prefix, root)
            issues.setdefault((issue.path, issue.message), issue)
    for member_errors in by_value.values():
        issue = _union_type_issue(member_errors, data, source, prefix)
        issues.setdefault((issue.path, issue.message), issue)
    return sorted(issues.values(), key=ConfigIssue.sort_key)


# What each pydantic type error expected, in words (the Python-only `is_instance_of`, e.g. an Output, has none).
_EXPECTED = {
    "string_type": "a string", "int_type": "an integer", "int_parsing": "an integer", "int_from_float": "an integer",
    "float_type": "a number", "float_parsing": "a number", "bool_type": "a boolean", "bool_parsing": "a boolean",
    "list_type": "a list", "dict_type": "a mapping", "model_type": "a mapping", "model_attributes_type": "a mapping",
}


def _without_output_alternative(errors: list[ErrorDetails], data: Any) -> list[ErrorDetails]:
    """`errors` without the Output alternative of a union that a plain value failed (`NonEmptyStr | OutputValue`).

    A plain value was meant for the plain members: "not an Output" says nothing to a YAML author, and
    when one member is left, its error is the value's own (at the field, without the member's tag).
    """
    def output_alternative(err: ErrorDetails) -> bool:
        return err["type"] == "is_instance_of" and (err.get("ctx") or {}).get("class") == "Output"

    siblings: dict[tuple[int | str, ...], int] = {}
    for err in errors:
        if _is_union_member(err, data):
            siblings[tuple(err["loc"])[:-1]] = siblings.get(tuple(err["loc"])[:-1], 0) + 1
    kept: list[ErrorDetails] = []
    for err in errors:
        loc = tuple(err["loc"])
        if not _is_union_member(err, data) or not any(output_alternative(e) for e in errors
                                                      if tuple(e["loc"])[:-1] == loc[:-1]):
            kept.append(err)
        elif not output_alternative(err):
            # The one plain member left: its error stands at the field itself.
            kept.append({**err, "loc": loc[:-1]} if siblings[loc[:-1]] == 2 else err)
    return kept


def _is_union_member(err: ErrorDetails, data: Any) -> bool:
    """Whether the last element of an error's location is a union member's tag, not a key of the data."""
    loc = tuple(err["loc"])
    if not loc or not isinstance(loc[-1], str):
        return False
    value = _resolve(data, data_path(data, loc[:-1]))
    return not (isinstance(value, dict) and loc[-1] in value)


def _is_union_member_type_error(err: ErrorDetails, data: Any) -> bool:
    """A type error whose last location element is a union member's tag (`str`, `int`, ...), not a key."""
    loc = tuple(err["loc"])
    if not loc or not isinstance(loc[-1], str) or not (err["type"] in _EXPECTED or err["type"] == "is_instance_of"):
        return False
    value = _resolve(data, data_path(data, loc[:-1]))
    return not (isinstance(value, dict) and loc[-1] in value)


def _union_type_issue(errors: list[ErrorDetails], data: Any, source: SourceMap, prefix: KeyPath) -> ConfigIssue:
    path = data_path(data, tuple(errors[0]["loc"])[:-1])
    value = _resolve(data, path)
    expected = list(dict.fromkeys(_EXPECTED[e["type"]] for e in errors if e["type"] in _EXPECTED))
    wanted = ", ".join(expected[:-1]) + f" or {expected[-1]}" if len(expected) > 1 else "".join(expected)
    return source.issue((*prefix, *path), f"wrong type ({_type_name(value)}): expected {wanted or 'another type'}")


def _allowed_from_literal(err: ErrorDetails) -> str | None:
    ctx = err.get("ctx") or {}
    expected = ctx.get("expected")
    return str(expected) if expected else None


def _issue(err: ErrorDetails, data: Any, source: SourceMap, prefix: KeyPath, root: Any) -> ConfigIssue:
    loc = tuple(err["loc"])
    path = data_path(data, loc)
    ctx = err.get("ctx") or {}
    kind = err["type"]
    full: KeyPath = (*prefix, *path)
    if kind == STACKTAPE_ERROR:
        sub = tuple(ctx.get("subpath") or ())
        full = (*full, *sub)
        return source.issue(full, err["msg"], ctx.get("hint") or None, at_key=bool(ctx.get("at_key")))
    if kind == "extra_forbidden":
        key = path[-1] if path else "?"
        allowed = _allowed_keys(err, root, data)
        hint = None
        if allowed:
            close = get_close_matches(str(key), allowed, n=1)
            hint = f"did you mean '{close[0]}'?" if close else f"allowed keys: {', '.join(sorted(allowed))}"
        return source.issue(full, f"unknown key '{key}'", hint, at_key=True)
    if kind in {"union_tag_invalid", "union_tag_not_found"}:
        tags = [t.strip().strip("'") for t in str(ctx.get("expected_tags", "")).split(",") if t.strip()]
        discriminator = str(ctx.get("discriminator", "type")).strip("'")
        tag = ctx.get("tag")
        if kind == "union_tag_not_found" or tag is None:
            tags = tags or _union_tags(root, loc, data)
            return source.issue(full, f"missing required key '{discriminator}'",
                                f"allowed values: {', '.join(tags)}" if tags else None, at_key=True)
        close = get_close_matches(str(tag), tags, n=1)
        hint = f"did you mean '{close[0]}'?" if close else None
        return source.issue((*full, discriminator),
                            f"unsupported {discriminator} '{tag}'; supported: {', '.join(tags)}", hint)
    if kind == "missing":
        key = path[-1] if path else "?"
        return source.issue(full[:-1], f"missing required key '{key}'", None, at_key=True)
    if kind in {"literal_error", "enum"}:
        value = _resolve(data, path)
        expected = _allowed_from_literal(err)
        hint = None
        if expected:
            options = [o.strip().strip("'") for o in expected.replace(" or ", ",").split(",")]
            close = get_close_matches(str(value), [o for o in options if o], n=1)
            hint = f"did you mean '{close[0]}'?" if close else None
        return source.issue(full, f"invalid value {value!r}; allowed values: {expected}", hint)
    value = _resolve(data, path)
    message = err["msg"]
    if kind in {"greater_than_equal", "less_than_equal", "greater_than", "less_than"}:
        message = f"{value!r} is out of range: {message[0].lower()}{message[1:]}"
    elif kind.endswith("_type") or kind.endswith("_parsing"):
        message = f"wrong type ({_type_name(value)}): {message[0].lower()}{message[1:]}"
    return source.issue(full, message)


def _type_name(value: Any) -> str:
    return {dict: "a mapping", list: "a list", str: "a string", bool: "a boolean", int: "a number",
            float: "a number", type(None): "empty"}.get(type(value), type(value).__name__)


def _resolve(data: Any, path: KeyPath) -> Any:
    node = data
    for elem in path:
        try:
            node = node[elem]
        except (KeyError, IndexError, TypeError):
            return None
    return node


def model_at(root: Any, loc: tuple[int | str, ...], data: Any = None) -> type[BaseModel] | None:
    """The model class that validates the mapping at `loc` of `data` (`loc` may contain union tags)."""
    current = _annotation_at(root, loc, data)
    return None if current is None else _as_model(current)


def _annotation_at(root: Any, loc: tuple[int | str, ...], data: Any) -> Any:
    """The annotation that validates the value at `loc`, or None when the walk leaves the models."""
    current: Any = root
    node = data
    for elem in loc:
        current = _step(_by_type(current, node), elem)
        if current is None:
            return None
        node = _child(node, elem)
    return _by_type(current, node)


def _by_type(annotation: Any, node: Any) -> Any:
    """A resource annotation (validated by the model of the value's `type`) as that model."""
    if _is_by_type(annotation):
        tag = node.get("type") if isinstance(node, dict) else None
        return resource_model(tag) if isinstance(tag, str) and tag in RESOURCE_MODELS else annotation
    return annotation


def _is_by_type(annotation: Any) -> bool:
    return get_origin(annotation) is Annotated and any(meta is ResourceByType for meta in get_args(annotation)[1:])


def _child(node: Any, elem: int | str) -> Any:
    """The value at `elem` below `node`; a union tag (no key of the data) leaves the walk where it is."""
    if isinstance(node, dict) and elem in node:
        return node[elem]
    if isinstance(node, list) and isinstance(elem, int) and 0 <= elem < len(node):
        return node[elem]
    return node if isinstance(elem, str) else None


def _unwrap(annotation: Any) -> list[Any]:
    """The alternatives of an annotation, with Annotated/Optional/Union peeled off."""
    origin = get_origin(annotation)
    if origin is Annotated:
        return _unwrap(get_args(annotation)[0])
    if origin in (Union, UnionType):
        out: list[Any] = []
        for arg in get_args(annotation):
            out.extend(_unwrap(arg))
        return out
    return [annotation]


def _as_model(annotation: Any) -> type[BaseModel] | None:
    models = [a for a in _unwrap(annotation) if isinstance(a, type) and issubclass(a, BaseModel)]
    return models[0] if len(models) == 1 else None


def _step(current: Any, elem: int | str) -> Any:
    options = _unwrap(current)
    for option in options:
        if isinstance(option, type) and issubclass(option, BaseModel) and elem in option.model_fields:
            return option.model_fields[str(elem)].annotation
        origin = get_origin(option)
        if origin is list and isinstance(elem, int):
            return get_args(option)[0]
        if origin is dict and isinstance(elem, str):
            return get_args(option)[1]
    # A union tag: pick the variant whose `type` literal (or class name) is the tag.
    for option in options:
        if isinstance(option, type) and issubclass(option, BaseModel):
            tag_field = option.model_fields.get("type")
            tags = get_args(tag_field.annotation) if tag_field else ()
            if elem in tags or elem == option.__name__:
                return option
    if len(options) > 1 or (options and get_origin(options[0]) in (list, dict)):
        return None
    return current


def _union_tags(root: Any, loc: tuple[int | str, ...], data: Any) -> list[str]:
    """The `type` values of the union members that validate the value at `loc` (for a missing `type`)."""
    current = _annotation_at(root, loc, data)
    if current is None:
        return []
    if _is_by_type(current):
        return list(SUPPORTED_RESOURCE_TYPES)
    tags: list[str] = []
    for option in _unwrap(current):
        if isinstance(option, type) and issubclass(option, BaseModel) and "type" in option.model_fields:
            tags += [str(tag) for tag in get_args(_unwrap(option.model_fields["type"].annotation)[0])]
    return tags


def _allowed_keys(err: ErrorDetails, root: Any, data: Any) -> list[str]:
    model = model_at(root, tuple(err["loc"])[:-1], data)
    return sorted(model.model_fields) if model else []
