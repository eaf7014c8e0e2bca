"""Which secrets and SSM parameters a config's runtime directives read (without resolving anything)."""

from dataclasses import dataclass, field
from typing import Any

from stacktape_pulumi.directives.parser import Literal, directives_in, walk


@dataclass
class SecretReferences:
    """Secret names with the JSON keys read from each (None: the whole value), and SSM parameter names."""

    secrets: dict[str, set[str | None]] = field(default_factory=dict)
    parameters: set[str] = field(default_factory=set)


def secret_references(data: Any) -> SecretReferences:
    """Every `$Secret('name')`, `$Secret('name.key')` and `$SsmParam('name')` below `data`, nested ones too."""
    found = SecretReferences()
    for directive in directives_in(data):
        for node in walk(directive):
            first = node.args[0] if node.args else None
            if not isinstance(first, Literal) or not isinstance(first.value, str):
                continue
            if node.name == "Secret":
                name, dot, key = first.value.partition(".")
                found.secrets.setdefault(name, set()).add(key if dot else None)
            elif node.name == "SsmParam":
                found.parameters.add(first.value)
    return found
