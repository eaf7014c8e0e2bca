"""The tables of the rules `validate` runs beyond the models: checks per resource type, and ordering rules.

Both are plain tables (no registration by import): `validate` runs them through
`checks.run_checks`, plan.py reads the ordering rules, and the components run the checks of their
type on Python args through `raise_for`, so a Python user gets the same refusals as a YAML user
without any component naming a rule.
"""

from collections.abc import Callable, Iterator, Mapping
from typing import Any

from stacktape_pulumi.checks.bucket import bucket_problems
from stacktape_pulumi.checks.function import function_problems
from stacktape_pulumi.checks.function_events import dead_letter_queues_after_functions, functions_after_their_sources
from stacktape_pulumi.checks.gateway import gateway_problems
from stacktape_pulumi.checks.load_balancer import load_balancer_problems
from stacktape_pulumi.checks.log_forwarding import container_log_forwarding_problems
from stacktape_pulumi.checks.network_load_balancer import network_load_balancer_problems
from stacktape_pulumi.checks.relational_database import database_problems
from stacktape_pulumi.checks.services import service_problems
from stacktape_pulumi.checks.sqs_queue import queue_problems, queues_after_their_sources
from stacktape_pulumi.checks.traffic import clients_after_services, workload_traffic_problems
from stacktape_pulumi.checks.volume_mounts import container_volume_mount_problems
from stacktape_pulumi.config.loader import SourceMap
from stacktape_pulumi.config.models.bucket import BUCKET_TYPE
from stacktape_pulumi.config.models.network_load_balancer import NLB_TYPE
from stacktape_pulumi.config.models.relational_database import DATABASE_TYPE
from stacktape_pulumi.config.models.service import SERVICE_TYPES
from stacktape_pulumi.config.models.sqs_queue import QUEUE_TYPE
from stacktape_pulumi.config.models.workload import WORKLOAD_TYPE
from stacktape_pulumi.errors import ConfigIssue, KeyPath, Problem, StacktapeError, format_path

# `fn(resource name, properties model or None)`: what the component would refuse to build, at key
# paths below the resource's `properties`.
ResourceCheck = Callable[[str, Any], list[Problem]]

def _service_check(service_type: str) -> ResourceCheck:
    """A service's rules and those of the workload, HTTP API or load balancer it expands into."""
    def check(name: str, props: Any) -> list[Problem]:
        return service_problems(name, service_type, props, problems_of)
    return check


RESOURCE_CHECKS: Mapping[str, tuple[ResourceCheck, ...]] = {
    BUCKET_TYPE: (bucket_problems,),
    "function": (function_problems,),
    "http-api-gateway": (gateway_problems,),
    "application-load-balancer": (load_balancer_problems,),
    NLB_TYPE: (network_load_balancer_problems,),
    QUEUE_TYPE: (queue_problems,),
    WORKLOAD_TYPE: (workload_traffic_problems, container_log_forwarding_problems, container_volume_mount_problems),
    **{service_type: (_service_check(service_type),) for service_type in SERVICE_TYPES},
    DATABASE_TYPE: (database_problems,),
}

# `fn(resources) -> (source, target, path)`: "create `source` after `target`" where no reference says so
# (e.g. Service Connect clients after the services they call). An edge that would close a cycle is
# dropped: an ordering preference never turns a valid config into a cycle error.
OrderingRule = Callable[[dict[str, Any]], Iterator[tuple[str, str, KeyPath]]]

ORDERING_RULES: tuple[OrderingRule, ...] = (queues_after_their_sources, clients_after_services,
                                            functions_after_their_sources, dead_letter_queues_after_functions)


def problems_of(resource_type: str, name: str, props: Any) -> list[Problem]:
    """What the checks of `resource_type` find in one resource's properties (a model, or None)."""
    return [problem for check in RESOURCE_CHECKS.get(resource_type, ()) for problem in check(name, props)]


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
