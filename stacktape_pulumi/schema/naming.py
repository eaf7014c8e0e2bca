"""Names shared by the generated args, the provider schema and `validate_args`.

One place decides how a YAML key is spelled in Python (`python_name`) and in the Pulumi schema
(`camel`, the same rule as Pulumi's schema inference), so the three doors agree on every name.
"""

import keyword
import re
import types
from typing import Annotated, Any, Union, get_args, get_origin

_WORD_BOUNDARY = re.compile(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])")


def camel(key: str) -> str:
    """`min_instances` → `minInstances`; keys without underscores are kept as given.

    The same rule as Pulumi's schema inference (`pulumi.provider.experimental.util.camel_case`),
    so a TypedDict field and its schema property name always agree.
    """
    if "_" not in key:
        return key
    head, *rest = key.split("_")
    return head + "".join(part[:1].upper() + part[1:] for part in rest)


def snake(key: str) -> str:
    """`minInstances` → `min_instances`, `usePrivateSubnetsWithNAT` → `use_private_subnets_with_nat`."""
    return _WORD_BOUNDARY.sub("_", key.replace("-", "_")).lower()


def python_name(yaml_key: str) -> str:
    """The args field name of a YAML key: snake_case when `camel` maps it back exactly, else the key itself.

    `minInstances` → `min_instances`; `usePrivateSubnetsWithNAT` and the IAM keys `Sid`, `Effect`,
    `Action`, `Resource`, `Condition` stay as written, because their snake_case would come back as
    `usePrivateSubnetsWithNat` / `sid`. A key that is no identifier (`detail-type`) becomes one
    (`detail_type`); its schema name is then `detailType`, which `validate_args` maps back.
    """
    if not yaml_key.isidentifier():
        name = snake(re.sub(r"\W", "_", yaml_key))
    else:
        name = snake(yaml_key)
        if camel(name) != yaml_key:
            name = yaml_key
    # `camel("from_")` is `from`: a trailing underscore keeps keywords usable as TypedDict fields.
    return f"{name}_" if keyword.iskeyword(name) else name


def strip_annotated(annotation: Any) -> Any:
    """`Annotated[T, ...]` → `T` (repeatedly)."""
    while get_origin(annotation) is Annotated:
        annotation = get_args(annotation)[0]
    return annotation


def union_members(annotation: Any) -> list[Any]:
    """The members of a (possibly nested, possibly Annotated) union, without None; `[T]` for a plain `T`."""
    annotation = strip_annotated(annotation)
    if get_origin(annotation) in (Union, types.UnionType):
        return [member for arg in get_args(annotation) for member in union_members(arg)]
    return [] if annotation is type(None) else [annotation]
