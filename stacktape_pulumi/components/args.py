"""Component args from Python: snake_case keys → the YAML's camelCase, validated by the same models."""

import re
from collections.abc import Mapping
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from stacktape_pulumi.config.loader import SourceMap
from stacktape_pulumi.config.validate import issues_from_validation
from stacktape_pulumi.errors import StacktapeError

Model = TypeVar("Model", bound=BaseModel)

# Keys below these are user data (IAM condition operators, free-form maps), never renamed.
_OPAQUE_KEYS = {"Condition", "condition", "variables", "buildArgs"}


class ArgsError(StacktapeError):
    """Bad component args from Python: every problem, each with its field path."""


def camel(key: str) -> str:
    """`min_instances` → `minInstances`; keys without underscores are kept as given."""
    if "_" not in key:
        return key
    head, *rest = key.split("_")
    return head + "".join(part[:1].upper() + part[1:] for part in rest)


def camelize(value: Any) -> Any:
    """Rename mapping keys recursively (not inside opaque user-data keys)."""
    if isinstance(value, Mapping):
        return {camel(str(k)): (v if k in _OPAQUE_KEYS else camelize(v)) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [camelize(v) for v in value]
    return value


def snake(key: str) -> str:
    return re.sub(r"(?<!^)(?=[A-Z])", "_", key).lower()


def validate_args(kind: str, name: str, args: Mapping[str, Any] | BaseModel, model: type[Model]) -> Model:
    """Validate Python args with the YAML models; raise `ArgsError` naming every bad field."""
    if isinstance(args, model):
        return args
    if isinstance(args, BaseModel):
        args = args.model_dump(exclude_none=True)
    data = camelize(dict(args))
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        issues = issues_from_validation(exc, data, SourceMap(f"<{kind} {name}>"), root=model)
        lines = [f"{kind} '{name}': {issue.path}: {issue.message}" + (f" (hint: {issue.hint})" if issue.hint else "")
                 for issue in sorted(issues, key=lambda i: i.path)]
        raise ArgsError("\n".join(lines)) from None
