"""Which secrets and SSM parameters a config's runtime directives read (without resolving anything)."""

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from stacktape_pulumi.directives.parser import DirectiveSyntaxError, Literal, parse, walk


@dataclass
class SecretReferences:
    """Secret names with the JSON keys read from each (None: the whole value), and SSM parameter names."""

    secrets: dict[str, set[str | None]] = field(default_factory=dict)
    parameters: set[str] = field(default_factory=set)


def _strings(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)


def secret_references(data: Any) -> SecretReferences:
    """Every `$Secret('name')`, `$Secret('name.key')` and `$SsmParam('name')` below `data`, nested ones too."""
    found = SecretReferences()
    for text in _strings(data):
        if not text.startswith("$"):
            continue
        try:
            directive = parse(text)
        except DirectiveSyntaxError:
            continue  # validation reports it; nothing is read from a malformed directive
        for node in walk(directive) if directive is not None else ():
            first = node.args[0] if node.args else None
            if not isinstance(first, Literal) or not isinstance(first.value, str):
                continue
            if node.name == "Secret":
                name, dot, key = first.value.partition(".")
                found.secrets.setdefault(name, set()).add(key if dot else None)
            elif node.name == "SsmParam":
                found.parameters.add(first.value)
    return found
