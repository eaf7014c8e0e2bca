"""What the cross-resource checks share: the stack's resources by name and type, and one located-issue list.

A reference written as a directive is left alone here: it resolves later and the directive
machinery checks it. The reference graph, dangling `$ResourceParam`s and cycles are the plan's
(`stacktape_pulumi.plan`).
"""

from dataclasses import dataclass, field
from typing import Any

from stacktape_pulumi.config.loader import SourceMap
from stacktape_pulumi.config.models.root import StacktapeConfig
from stacktape_pulumi.config.models.shared import did_you_mean, is_directive
from stacktape_pulumi.errors import ConfigIssue, KeyPath

# Types a config may reference but stacktape-pulumi cannot build (so no resource can match).
UNSUPPORTED_REFERENCE_TYPES = (
    "user-auth-pool", "web-app-firewall",
)


@dataclass
class StackView:
    """A config that passed the models, seen by the checks that need several of its resources."""

    config: StacktapeConfig
    source: SourceMap
    # The mapping the config was validated from (after local directives): keys as written.
    data: dict[str, Any]
    types: dict[str, str] = field(init=False)
    issues: list[ConfigIssue] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.types = {name: resource.type for name, resource in self.config.resources.items()}

    def add(self, path: KeyPath, message: str, hint: str | None = None, *, at_key: bool = False) -> None:
        self.issues.append(self.source.issue(path, message, hint, at_key=at_key))

    def line_of(self, path: KeyPath) -> int:
        """The line a value is written on, for hints that point at an earlier definition."""
        return self.source.value_position(path).line

    def reference(self, target: str, expected: str, owner: str, owner_type: str, path: KeyPath) -> bool:
        """Whether `target` names a resource of type `expected`; records e36 otherwise."""
        if is_directive(target):
            return False
        actual = self.types.get(target)
        if actual == expected:
            return True
        if expected in UNSUPPORTED_REFERENCE_TYPES:
            hint: str | None = f"'{expected}' resources are not supported by stacktape-pulumi yet"
        elif actual is not None:
            hint = (f"Referenced resource does not have the correct type ({expected}); {target} is of type "
                    f"{actual}")
        else:
            candidates = [name for name, rtype in self.types.items() if rtype == expected]
            hint = did_you_mean(target, candidates)
            if hint is None:
                hint = (f"{expected} resources: {', '.join(candidates)}" if candidates
                        else f"no {expected} resource is defined")
        self.add(path,
                 f"Referenced resource with name {target} of type {expected} could not be resolved in the "
                 f"config (referenced from {owner}({owner_type})).",
                 hint)
        return False
