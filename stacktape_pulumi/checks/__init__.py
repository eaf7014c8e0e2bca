"""Every rule `validate` runs beyond the models, by subject; `run_checks` is the one entry point.

A config can be valid to the models and still ask for something a component cannot build (an
HTTPS listener without a certificate, `cdn` not supported yet), or break a rule only several
resources together can (rule priorities, routes, `connectTo` targets). Each check reports an
`errors.Problem` at a key path, or a located `ConfigIssue` directly. The modules:

- `cross_resource` walks the stack once and hands each part to its subject: `references` (the
  stack seen by these checks, and "does this name a resource of that type"), `connect_to`,
  `environment`, `deployments`, `containers`, and the events, queues and topics parts of the
  resource-type modules below;
- one module per resource type: `bucket`, `function`, `gateway` (http-api-gateway),
  `load_balancer`, `sqs_queue`, `sns_topic`, `traffic` (workload events); `domains` is shared.
  What a component would refuse is tabled by type in `registry` (`RESOURCE_CHECKS`), with the
  creation-order preferences (`ORDERING_RULES`, read by the plan);
- `packaging`: what building needs from this machine (files, CLIs) and EC2 instance types;
- `support`: "not supported yet", and the one table of the packaging and event types built;
- `connect_targets`: the `connectTo` facts the checks share with the connection wiring;
- `scripts`: the names, connectTo targets and files of `scripts` and `hooks`;
- `resource_params`: the params `$ResourceParam` reads, for types whose params are a fixed list.

`graph` is the reference graph: dangling references, cycles and the creation order the plan
(`stacktape_pulumi.plan`) starts from.
Nothing here imports Pulumi: `validate` must not pay for the SDK. Components run the checks of
their type on Python args through `raise_for`, so Python users get the same refusals.
"""

from dataclasses import dataclass, field
from typing import Any

from stacktape_pulumi.checks.cloudformation import check_cloudformation, is_node, node
from stacktape_pulumi.checks.cross_resource import check_stack
from stacktape_pulumi.checks.graph import Reference, check_references, creation_order, find_references
from stacktape_pulumi.checks.packaging import function_packaging_issues, workload_packaging_issues
from stacktape_pulumi.checks.registry import raise_for, resource_problems
from stacktape_pulumi.checks.resource_params import resource_param_issues
from stacktape_pulumi.checks.scripts import script_issues
from stacktape_pulumi.checks.support import unsupported_event_types, unsupported_resource_types
from stacktape_pulumi.config.loader import SourceMap
from stacktape_pulumi.config.models.root import StacktapeConfig
from stacktape_pulumi.config.stack import ExpandedStack, as_written, has_services
from stacktape_pulumi.errors import ConfigIssue


@dataclass(frozen=True)
class CheckedConfig:
    """What the checks found: every located issue, and when there is none, the creation order."""

    issues: list[ConfigIssue]
    order: list[str]
    # The config with every service expanded (what the stack plan is derived from).
    expanded: StacktapeConfig
    # `order` with the cloudformationResources (`checks.cloudformation.node` names) where they are created.
    build_order: list[str] = field(default_factory=list)


def run_checks(config: StacktapeConfig, data: dict[str, Any], source: SourceMap) -> CheckedConfig:
    """Every rule of a config that passed the models (`data`: the mapping it was validated from).

    Each resource's own rules run on the config as written; the stack-wide ones on the config with
    every service expanded into its workload and nested resources (`config.services`), their issues
    located at the service keys the user wrote.
    """
    stack = _expanded(config, data, source)
    issues = check_stack(stack.config, stack.source, stack.data, stack.types)
    issues += function_packaging_issues(config, source)
    issues += unsupported_resource_types(data, source)
    issues += workload_packaging_issues(stack.data, stack.source)
    issues += unsupported_event_types(stack.data, stack.source)
    issues += resource_problems(config, source)
    issues += script_issues(config, data, source)
    # A rule of the reading resource (a stream event's streamArn) says it more precisely, once.
    issues += [i for i in resource_param_issues(config, data, source) if not _same_place(i, issues)]
    resources = stack.data.get("resources") or {}
    refs, directive_issues = find_references(resources, stack.source)
    issues += directive_issues
    # A typed reference (an event's gateway, a connectTo target) is reported once, by its own rule.
    issues += [i for i in check_references(refs, resources, stack.source) if not _same_place(i, issues)]
    cloudformation = check_cloudformation(data, resources, stack.owners, stack.source)
    issues += cloudformation.issues
    if issues:
        return CheckedConfig(issues, [], stack.config)
    # A service's nested resources are created by the service: their references are the service's.
    owned = [Reference(stack.owners.get(r.source, r.source), stack.owners.get(r.target, r.target), r.path)
             for r in refs]
    # Ordering needs a graph whose every edge is valid: a cycle is looked for only then.
    owned += [Reference(stack.owners.get(r.source, r.source), stack.owners.get(r.target, r.target), r.path)
              for r in cloudformation.edges]
    nodes = [*config.resources, *(node(name) for name in config.cloudformationResources or {})]
    build_order, cycle = creation_order(nodes, owned, stack.source)
    order = [name for name in build_order if not is_node(name)]
    return CheckedConfig(cycle, order, stack.config, build_order)


def _expanded(config: StacktapeConfig, data: dict[str, Any], source: SourceMap) -> ExpandedStack:
    if not has_services(config):
        return as_written(config, data, source)
    # The expansion, with the gateway, load balancer and service models it builds, loads for stacks with services.
    from stacktape_pulumi.config.services import expand_stack
    return expand_stack(config, data, source)


def _same_place(issue: ConfigIssue, issues: list[ConfigIssue]) -> bool:
    return any(i.file == issue.file and i.line == issue.line and i.col == issue.col for i in issues)


__all__ = ["CheckedConfig", "raise_for", "run_checks"]
