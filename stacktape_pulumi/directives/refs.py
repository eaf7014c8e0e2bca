"""What a `$Secret` or `$SsmParam` directive names, shared by the Pulumi resolution and the script runner.

Pure: `stacktape-pulumi script:run` resolves these without loading the Pulumi SDK.
"""

from dataclasses import dataclass

from stacktape_pulumi.errors import StacktapeError


class DirectiveResolutionError(StacktapeError):
    """A directive that cannot be resolved at runtime."""


@dataclass(frozen=True)
class SecretRef:
    """`$Secret('name')` or `$Secret('name.key')`: a Secrets Manager secret, optionally one JSON key."""

    name: str
    key: str | None = None

    @classmethod
    def parse(cls, reference: str) -> "SecretRef":
        """Split on the first '.': secret names cannot contain a dot, JSON keys can."""
        name, dot, key = reference.partition(".")
        if not name or (dot and not key):
            raise DirectiveResolutionError(
                f"$Secret needs 'secret-name' or 'secret-name.jsonKey', got {reference!r}")
        return cls(name, key if dot else None)


@dataclass(frozen=True)
class SsmParamRef:
    """`$SsmParam('name')`: an SSM Parameter Store parameter."""

    name: str
