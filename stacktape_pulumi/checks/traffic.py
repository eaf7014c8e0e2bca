"""Workload events: settings AWS would reject, and the creation order Service Connect needs."""

from collections.abc import Iterator
from typing import Any

from stacktape_pulumi.config.models.workload import WORKLOAD_TYPE, MultiContainerWorkloadProps
from stacktape_pulumi.errors import KeyPath, Problem

TCP_HEALTH_CHECK = ("loadBalancerHealthCheck.healthCheckProtocol TCP is for network load balancers; application "
                    "load balancer target groups check over HTTP")


def workload_traffic_problems(name: str, props: MultiContainerWorkloadProps | None) -> list[Problem]:
    """Event settings AWS would reject: a TCP health check on an application load balancer target group."""
    problems: list[Problem] = []
    for index, container in enumerate(props.containers if props is not None else []):
        check = container.loadBalancerHealthCheck
        uses_alb = any(event.type == "application-load-balancer" for event in container.events or [])
        if uses_alb and check is not None and check.healthCheckProtocol == "TCP":
            problems.append(Problem(("containers", index, "loadBalancerHealthCheck", "healthCheckProtocol"),
                                         TCP_HEALTH_CHECK, hint="remove healthCheckProtocol or set HTTP"))
    return problems


def clients_after_services(resources: dict[str, Any]) -> Iterator[tuple[str, str, KeyPath]]:
    """Workloads exposing no Service Connect port are created after every workload that exposes one."""
    servers: dict[str, KeyPath] = {}
    workloads: list[str] = []
    for name, resource in resources.items():
        if not isinstance(resource, dict) or resource.get("type") != WORKLOAD_TYPE:
            continue
        workloads.append(name)
        props = resource.get("properties") or {}
        for ci, container in enumerate(props.get("containers") or []):
            for ei, event in enumerate(container.get("events") or []):
                if isinstance(event, dict) and event.get("type") == "service-connect":
                    servers.setdefault(name, ("resources", name, "properties", "containers", ci, "events", ei))
    for client in workloads:
        if client not in servers:
            for server, path in servers.items():
                yield client, server, path

