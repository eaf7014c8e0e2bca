"""The reference graph of a config: who needs whom, dangling references, cycles and the creation order.

The graph has an edge `a → b` when resource `a` needs `b` to exist first: a `$ResourceParam`
to `b`, an event targeting gateway or load balancer `b`, a hook or authorizer function `b`,
or `connectTo: [b]`; the ordering rules of `registry.ORDERING_RULES` add "create after" edges
where no reference says so. A reference to no resource, and a cycle (reported with its path),
are located errors before any resource exists.
"""

from collections.abc import Iterator
from dataclasses import dataclass
from difflib import get_close_matches
from typing import Any

from stacktape_pulumi.checks.connect_targets import SES_MACRO
from stacktape_pulumi.checks.registry import ordering_rules
from stacktape_pulumi.config.loader import SourceMap
from stacktape_pulumi.directives.parser import DirectiveSyntaxError, parse
from stacktape_pulumi.errors import ConfigIssue, KeyPath

# Keys whose string value (or list of strings) names another resource of the stack.
REFERENCE_KEYS = ("httpApiGatewayName", "loadBalancerName", "functionName", "beforeAllowTrafficFunction",
                  "afterTrafficShiftFunction", "connectTo", "efsFilesystemName")


@dataclass(frozen=True)
class Reference:
    source: str
    target: str
    path: KeyPath  # where the reference is written


def ordering_edges(resources: dict[str, Any], refs: list[Reference]) -> list[Reference]:
    """The edges of every ordering rule that keep the reference graph acyclic."""
    graph: dict[str, set[str]] = {}
    for ref in refs:
        graph.setdefault(ref.source, set()).add(ref.target)
    edges: list[Reference] = []
    for rule in ordering_rules(resources):
        for source, target, path in rule(resources):
            if source == target or _reaches(graph, target, source):
                continue
            graph.setdefault(source, set()).add(target)
            edges.append(Reference(source, target, path))
    return edges


def _reaches(graph: dict[str, set[str]], start: str, goal: str) -> bool:
    seen: set[str] = set()
    todo = [start]
    while todo:
        node = todo.pop()
        if node == goal:
            return True
        if node not in seen:
            seen.add(node)
            todo.extend(graph.get(node, ()))
    return False


def walk_strings(value: Any, path: KeyPath, key: str = "") -> Iterator[tuple[KeyPath, str, Any]]:
    """Every (path, owning key, string) below `value`, in document order; list items report the key
    that holds the list."""
    # A stack, not nested generators: each string would otherwise pass through one generator per level.
    todo: list[tuple[Any, KeyPath, str]] = [(value, path, key)]
    while todo:
        node, node_path, node_key = todo.pop()
        if isinstance(node, str):
            yield node_path, node_key, node
        elif isinstance(node, dict):
            todo.extend(reversed([(child, (*node_path, child_key), str(child_key))
                                  for child_key, child in node.items()]))
        elif isinstance(node, list):
            todo.extend(reversed([(child, (*node_path, index), node_key) for index, child in enumerate(node)]))


def _directive_references(node: Any) -> Iterator[str]:
    if getattr(node, "name", None) == "ResourceParam" and node.args:
        first = node.args[0]
        if isinstance(getattr(first, "value", None), str):
            yield first.value
    for arg in getattr(node, "args", ()):
        yield from _directive_references(arg)


def find_references(resources: dict[str, Any], source: SourceMap) -> tuple[list[Reference], list[ConfigIssue]]:
    """All references between resources, and located issues for malformed runtime directives."""
    refs: list[Reference] = []
    issues: list[ConfigIssue] = []
    for name, resource in resources.items():
        for path, key, text in walk_strings(resource, ("resources", name)):
            if key in REFERENCE_KEYS:
                refs.append(Reference(name, text, path))
            if not text.startswith("$"):
                continue
            try:
                node = parse(text)
            except DirectiveSyntaxError as exc:
                issues.append(source.issue(path, str(exc)))
                continue
            for target in _directive_references(node):
                refs.append(Reference(name, target, path))
    refs += ordering_edges(resources, [r for r in refs if r.target in resources])
    return refs, issues


def check_references(refs: list[Reference], resources: dict[str, Any], source: SourceMap) -> list[ConfigIssue]:
    """`$ResourceParam` targets must exist (typed references are checked by `checks.references`)."""
    issues = []
    names = sorted(resources)
    for ref in refs:
        if ref.target not in resources and ref.target != SES_MACRO:
            close = get_close_matches(ref.target, names, n=1)
            hint = f"did you mean '{close[0]}'?" if close else f"resources: {', '.join(names)}"
            issues.append(source.issue(
                ref.path, f"Referenced resource with name {ref.target} could not be resolved in the config "
                          f"(referenced from {ref.source}).", hint))
    return issues


def creation_order(names: list[str], refs: list[Reference], source: SourceMap) -> tuple[list[str], list[ConfigIssue]]:
    """Resources in dependency order (stable: config order among independent ones), or the cycle."""
    deps: dict[str, list[Reference]] = {n: [] for n in names}
    for ref in refs:
        if ref.target in deps and ref.source in deps and ref.target != ref.source:
            deps[ref.source].append(ref)
    order: list[str] = []
    state: dict[str, int] = {}  # 1 visiting, 2 done
    stack: list[str] = []
    for start in names:
        cycle = _visit(start, deps, state, stack, order)
        if cycle:
            first = next(r for r in deps[cycle[0]] if r.target == cycle[1])
            text = " → ".join(cycle)
            return [], [source.issue(first.path, f"reference cycle: {text}",
                                     "break the cycle: one of these resources must not need the other")]
    return order, []


def _visit(name: str, deps: dict[str, list[Reference]], state: dict[str, int], stack: list[str],
           order: list[str]) -> list[str] | None:
    if state.get(name) == 2:
        return None
    if state.get(name) == 1:
        return [*stack[stack.index(name):], name]
    state[name] = 1
    stack.append(name)
    for ref in deps[name]:
        cycle = _visit(ref.target, deps, state, stack, order)
        if cycle:
            return cycle
    stack.pop()
    state[name] = 2
    order.append(name)
    return None
