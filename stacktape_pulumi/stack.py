"""From a validated config to a Pulumi stack: registry, reference graph, creation order, outputs.

The graph has an edge `a → b` when resource `a` needs `b` to exist first: a `$ResourceParam`
to `b`, an event targeting gateway or load balancer `b`, a hook or authorizer function `b`,
or `connectTo: [b]`. A cycle is reported with its path before any resource exists.
"""

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from difflib import get_close_matches
from typing import Any, Protocol

import pulumi

from stacktape_pulumi.config.loader import KeyPath, SourceMap
from stacktape_pulumi.context import StackContext, StackSettings, use_context
from stacktape_pulumi.directives.parser import DirectiveSyntaxError, parse
from stacktape_pulumi.errors import ConfigIssue

# Keys whose string value (or list of strings) names another resource of the stack.
REFERENCE_KEYS = ("httpApiGatewayName", "loadBalancerName", "functionName", "beforeAllowTrafficFunction",
                  "afterTrafficShiftFunction", "connectTo")


class BuiltComponent(Protocol):
    params: dict[str, pulumi.Output[Any]]


ComponentBuilder = Callable[[str, Any, StackContext], BuiltComponent]
COMPONENT_BUILDERS: dict[str, ComponentBuilder] = {}


def component_builder(resource_type: str) -> Callable[[ComponentBuilder], ComponentBuilder]:
    """Register how a YAML resource type becomes a component."""

    def register(fn: ComponentBuilder) -> ComponentBuilder:
        COMPONENT_BUILDERS[resource_type] = fn
        return fn

    return register


@dataclass(frozen=True)
class Reference:
    source: str
    target: str
    path: KeyPath  # where the reference is written


def walk_strings(value: Any, path: KeyPath, key: str = "") -> Iterator[tuple[KeyPath, str, Any]]:
    """Every (path, owning key, string) below `value`; list items report the key that holds the list."""
    if isinstance(value, str):
        yield path, key, value
    elif isinstance(value, dict):
        for child_key, child in value.items():
            yield from walk_strings(child, (*path, child_key), str(child_key))
    elif isinstance(value, list):
        for index, child in enumerate(value):
            yield from walk_strings(child, (*path, index), key)


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
    return refs, issues


def check_references(refs: list[Reference], resources: dict[str, Any], source: SourceMap) -> list[ConfigIssue]:
    """`$ResourceParam` targets must exist (typed references are checked by config.checks)."""
    issues = []
    names = sorted(resources)
    for ref in refs:
        if ref.target not in resources and ref.target != "aws:ses":
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


def stack_settings(config: Any) -> StackSettings:
    """`stackConfig` → the settings shared resources are created with."""
    stack_config = getattr(config, "stackConfig", None)
    tags = {t.name: str(t.value) for t in (getattr(stack_config, "tags", None) or [])}
    vpc = getattr(stack_config, "vpc", None)
    reuse = getattr(vpc, "reuseVpc", None) if vpc else None
    nat = getattr(vpc, "nat", None) if vpc else None
    private = any(getattr(getattr(r, "properties", None), "usePrivateSubnetsWithNAT", False)
                  for r in config.resources.values())
    return StackSettings(
        tags=tags,
        reuse_vpc_id=getattr(reuse, "vpcId", None) if reuse else None,
        nat_zones=(getattr(nat, "availabilityZones", None) or 2) if nat else 2,
        private_subnets=bool(private),
    )


def build_stack(config: Any, order: list[str], *, project: str | None = None,
                stage: str | None = None) -> StackContext:
    """Create every resource's component in `order` inside the running Pulumi program; export outputs."""
    # Importing the components registers their builders.
    import stacktape_pulumi.components  # noqa: F401

    ctx = StackContext(stack_settings(config), project=project, stage=stage)
    restore = use_context(ctx)
    try:
        for name in order:
            resource = config.resources[name]
            # Components register themselves (and their params) with the context.
            COMPONENT_BUILDERS[resource.type](name, resource, ctx)
        for name in order:
            if ctx.params.get(name):
                pulumi.export(name, ctx.params[name])
        stack_config = getattr(config, "stackConfig", None)
        for output in (getattr(stack_config, "outputs", None) or []):
            pulumi.export(output.name, ctx.output_value(output.value))
    finally:
        restore()
    return ctx
