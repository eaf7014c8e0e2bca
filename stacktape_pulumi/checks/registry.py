"""The tables of the rules `validate` runs beyond the models: checks per resource type, and ordering rules.

Both are plain tables (no registration by import): `validate` runs them through
`checks.run_checks`, plan.py reads the ordering rules, and the components run the checks of their
type on Python args through `raise_for`, so a Python user gets the same refusals as a YAML user
without any component naming a rule.
"""

import importlib
from collections.abc import Callable, Iterator, Mapping
from functools import cache
from typing import Any

from stacktape_pulumi.config.loader import SourceMap
from stacktape_pulumi.errors import ConfigIssue, KeyPath, Problem, StacktapeError, format_path

# `fn(resource name, properties model or None)`: what the component would refuse to build, at key
# paths below the resource's `properties`.
ResourceCheck = Callable[[str, Any], list[Problem]]

# The tables name each rule as `module:function` below `stacktape_pulumi.checks`: a rule's module (and
# the models it imports) loads when a config first has a resource of its type, so `validate` of a
# stack of workloads does not import the checks and models of functions, databases or buckets.
RESOURCE_CHECKS: Mapping[str, tuple[str, ...]] = {
    "bucket": ("bucket:bucket_problems",),
    "function": ("function:function_problems",),
    "http-api-gateway": ("gateway:gateway_problems",),
    "application-load-balancer": ("load_balancer:load_balancer_problems",),
    "network-load-balancer": ("network_load_balancer:network_load_balancer_problems",),
    "sqs-queue": ("sqs_queue:queue_problems",),
    "multi-container-workload": ("traffic:workload_traffic_problems",
                                 "log_forwarding:container_log_forwarding_problems",
                                 "volume_mounts:container_volume_mount_problems"),
    # A service's rules and those of the workload, HTTP API or load balancer it expands into.
    "web-service": ("services:web_service_problems",),
    "private-service": ("services:private_service_problems",),
    "worker-service": ("services:worker_service_problems",),
    "relational-database": ("relational_database:database_problems",),
}

# `fn(resources) -> (source, target, path)`: "create `source` after `target`" where no reference says so
# (e.g. Service Connect clients after the services they call). An edge that would close a cycle is
# dropped: an ordering preference never turns a valid config into a cycle error. Each rule is keyed by
# the type of the resources it orders (every edge's source is one), and runs only when the stack has one.
OrderingRule = Callable[[dict[str, Any]], Iterator[tuple[str, str, KeyPath]]]

ORDERING_RULES: tuple[tuple[str, str], ...] = (
    ("sqs-queue", "sqs_queue:queues_after_their_sources"),
    ("multi-container-workload", "traffic:clients_after_services"),
    ("function", "function_events:functions_after_their_sources"),
    ("function", "function_events:dead_letter_queues_after_functions"),
)


@cache
def rule(name: str) -> Callable[..., Any]:
    """The function `module:function` names below `stacktape_pulumi.checks` (its module imported on first use)."""
    module, function = name.split(":")
    found: Callable[..., Any] = getattr(importlib.import_module(f"{__package__}.{module}"), function)
    return found


def ordering_rules(resources: dict[str, Any]) -> list[OrderingRule]:
    """The ordering rules that apply to `resources` (the data, by name), in the order of `ORDERING_RULES`."""
    types = {resource.get("type") for resource in resources.values() if isinstance(resource, dict)}
    return [rule(name) for resource_type, name in ORDERING_RULES if resource_type in types]


def problems_of(resource_type: str, name: str, props: Any) -> list[Problem]:
    """What the checks of `resource_type` find in one resource's properties (a model, or None)."""
    return [problem for check in RESOURCE_CHECKS.get(resource_type, ()) for problem in rule(check)(name, props)]


def resource_problems(config: Any, source: SourceMap) -> list[ConfigIssue]:
    """Located issues from the checks of every resource's type."""
    return [source.locate(problem, ("resources", name, "properties"))
            for name, resource in config.resources.items()
            for problem in problems_of(resource.type, name, getattr(resource, "properties", None))]


def raise_for(resource_type: str, kind: str, name: str, props: Any) -> None:
    """The Python door of the same checks: one error naming every problem by its property path."""
    problems = problems_of(resource_type, name, props)
    if problems:
        raise StacktapeError("\n".join(
            f"{kind} '{name}': {format_path(p.path)}: {p.message}" + (f" (hint: {p.hint})" if p.hint else "")
            for p in problems))
