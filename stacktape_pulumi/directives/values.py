"""Value semantics shared by local and runtime resolution: `{}` formatting and property paths."""

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

PLACEHOLDER = "{}"


def describe_value(value: Any) -> str:
    """A short description of a value for error messages."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, str):
        return repr(value)
    if isinstance(value, Mapping):
        return "a mapping"
    if isinstance(value, Sequence):
        return "a list"
    return f"a {type(value).__name__}"


def is_scalar(value: Any) -> bool:
    return isinstance(value, str | int | float | bool)


def stringify(value: Any) -> str:
    """How a value appears inside formatted text; booleans are written as in YAML."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str | int | float):
        return str(value)
    raise TypeError(f"{describe_value(value)} cannot be formatted into text")


def placeholder_count(template: str) -> int:
    return template.count(PLACEHOLDER)


def format_mismatch_message(name: str, placeholders: int, values: int) -> str:
    return (f"Amount of interpolated expressions and values should be the same in ${name} directive. "
            f"You have {placeholders} interpolated expressions and {values} values.")


def format_template(template: str, values: Sequence[Any]) -> str:
    """Replace each `{}` in order by the next value; the counts must match."""
    parts = template.split(PLACEHOLDER)
    if len(parts) - 1 != len(values):
        raise ValueError(format_mismatch_message("Format", len(parts) - 1, len(values)))
    pieces = [parts[0]]
    for value, part in zip(values, parts[1:], strict=True):
        pieces.append(stringify(value))
        pieces.append(part)
    return "".join(pieces)


@dataclass(frozen=True)
class PathResult:
    """The outcome of following a property path: `found` and the value, or how far it got."""

    found: bool
    value: Any
    reached: int  # how many segments could be followed


def step(value: Any, segment: str) -> tuple[bool, Any]:
    """One path segment: a mapping key, or a list index for a digit segment."""
    if isinstance(value, Mapping):
        if segment in value:
            return True, value[segment]
        # YAML and INI files loaded as data may have integer keys.
        if segment.isdigit() and int(segment) in value:
            return True, value[int(segment)]
        return False, None
    if isinstance(value, list | tuple) and segment.isdigit():
        index = int(segment)
        if index < len(value):
            return True, value[index]
    return False, None


def follow_path(value: Any, path: Sequence[str],
                expand: Callable[[Any], Any] | None = None) -> PathResult:
    """Follow `path` into `value`; `expand` turns intermediate values (directive strings) into data."""
    current = value
    for index, segment in enumerate(path):
        if expand is not None:
            current = expand(current)
        ok, current = step(current, segment)
        if not ok:
            return PathResult(False, None, index)
    return PathResult(True, current, len(path))


def path_error_message(directive_text: str, path: Sequence[str], reached: int) -> str:
    message = (f'Property with path "{".".join(path)}" is not accessible on result of directive '
               f"{directive_text}.")
    if reached:
        message += f' Longest accessible path: "{".".join(path[:reached])}".'
    return message
