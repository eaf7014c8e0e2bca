"""The registries of the rules `validate` runs beyond the models: per-resource checks and ordering rules.

Each rule module of `stacktape_pulumi.checks` registers here by resource type; `validate` runs
them without importing the components, and each component runs the checks of its type on its
Python args (`raise_build_problems`).
"""

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from stacktape_pulumi.config.loader import KeyPath, SourceMap, format_path
from stacktape_pulumi.errors import ConfigIssue, StacktapeError


@dataclass(frozen=True)
class BuildProblem:
    """Valid config a component cannot build, at a key path below the resource's `properties`."""

    path: KeyPath
    message: str
    hint: str | None = None
    at_key: bool = False


# `fn(resource name, properties model or None)`: what the component would refuse to build.
ResourceCheck = Callable[[str, Any], list[BuildProblem]]
RESOURCE_CHECKS: dict[str, list[ResourceCheck]] = {}


def resource_check(resource_type: str) -> Callable[[ResourceCheck], ResourceCheck]:
    """Register a check run by `validate` on every resource of a type, so it refuses what the build would."""

    def register(fn: ResourceCheck) -> ResourceCheck:
        RESOURCE_CHECKS.setdefault(resource_type, []).append(fn)
        return fn

    return register


def build_problems(config: Any, source: SourceMap) -> list[ConfigIssue]:
    """Located issues from every registered resource check."""
    issues = []
    for name, resource in config.resources.items():
        base = ("resources", name, "properties")
        for check in RESOURCE_CHECKS.get(resource.type, []):
            for problem in check(name, getattr(resource, "properties", None)):
                issues.append(source.issue((*base, *problem.path), problem.message, problem.hint,
                                           at_key=problem.at_key))
    return issues


def raise_build_problems(kind: str, name: str, problems: list[BuildProblem]) -> None:
    """The Python door of the same checks: one error naming every problem by its property path."""
    if problems:
        raise StacktapeError("\n".join(
            f"{kind} '{name}': {format_path(p.path)}: {p.message}" + (f" (hint: {p.hint})" if p.hint else "")
            for p in problems))


# `fn(resources) -> (source, target, path)`: "create `source` after `target`" where no reference says so
# (e.g. Service Connect clients after the services they call). An edge that would close a cycle is
# dropped: an ordering preference never turns a valid config into a cycle error.
OrderingRule = Callable[[dict[str, Any]], Iterator[tuple[str, str, KeyPath]]]
ORDERING_RULES: list[OrderingRule] = []


def ordering_rule(fn: OrderingRule) -> OrderingRule:
    """Register a rule adding "create after" edges to the creation order."""
    ORDERING_RULES.append(fn)
    return fn

