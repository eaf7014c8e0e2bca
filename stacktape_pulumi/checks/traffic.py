"""Workload events: settings AWS would reject, and the creation order Service Connect needs."""

import re
from collections.abc import Iterator
from typing import Any

from stacktape_pulumi.config.models.workload import WORKLOAD_TYPE, MultiContainerWorkloadProps
from stacktape_pulumi.errors import KeyPath, Problem

TCP_HEALTH_CHECK = ("loadBalancerHealthCheck.healthCheckProtocol TCP is for network load balancers; application "
                    "load balancer target groups check over HTTP")


# The target group health check's defaults (the model's docstrings; the load balancer wiring builds with
# them too) and ELB's rules for them: the path
# starts with "/" (CreateTargetGroup's HealthCheckPath, 1-1024 characters), and a check must time out
# before the next one starts ("Health check timeout must be smaller than the interval").
DEFAULT_HEALTH_CHECK_INTERVAL = 5
DEFAULT_HEALTH_CHECK_TIMEOUT = 4
MAX_HEALTH_CHECK_PATH = 1024
LOAD_BALANCER_EVENTS = ("application-load-balancer", "network-load-balancer")
# A Service Connect client alias (ECS API reference, ServiceConnectClientAlias.dnsName): lower-case
# letters, digits, '_', '-' and '.', not starting with '-' (the model bounds its length, 127).
SERVICE_CONNECT_ALIAS = re.compile(r"[a-z0-9_.][a-z0-9_.-]*")
# Amazon ECS's quota "target groups per service" (not adjustable).
MAX_SERVICE_TARGET_GROUPS = 5


def target_group_problems(name: str, props: MultiContainerWorkloadProps) -> list[Problem]:
    """An ECS service takes at most 5 target groups: one per (ALB, container port), one per NLB event."""
    groups: set[tuple[str, str, int]] = set()
    for index, container in enumerate(props.containers):
        for event_index, event in enumerate(container.events or []):
            if event.type == "application-load-balancer":
                key = ("alb", event.properties.loadBalancerName, event.properties.containerPort)
            elif event.type == "network-load-balancer":
                key = ("nlb", event.properties.loadBalancerName, event.properties.listenerPort)
            else:
                continue
            if key in groups:
                continue
            groups.add(key)
            if len(groups) == MAX_SERVICE_TARGET_GROUPS + 1:
                return [Problem(("containers", index, "events", event_index),
                                f"{name} needs more than {MAX_SERVICE_TARGET_GROUPS} target groups (one per "
                                "application load balancer and container port, one per network-load-balancer "
                                f"listener); Amazon ECS allows {MAX_SERVICE_TARGET_GROUPS} per service",
                                hint="send several listeners or paths to fewer target groups, or split the "
                                     "containers into two workloads", at_key=True)]
    return []


def workload_traffic_problems(name: str, props: MultiContainerWorkloadProps | None) -> list[Problem]:
    """Event settings AWS would reject or that would do nothing: the containers' load-balancer health checks."""
    problems: list[Problem] = target_group_problems(name, props) if props is not None else []
    for index, container in enumerate(props.containers if props is not None else []):
        problems += _alias_problems(index, container.events or [])
        check = container.loadBalancerHealthCheck
        if check is None:
            continue
        at = ("containers", index, "loadBalancerHealthCheck")
        if not any(event.type in LOAD_BALANCER_EVENTS for event in container.events or []):
            problems.append(Problem(at, f"loadBalancerHealthCheck of container \"{container.name}\" has no effect: "
                                        "the container has no load balancer event",
                                    hint="add an application-load-balancer or network-load-balancer event to the "
                                         "container, or remove loadBalancerHealthCheck", at_key=True))
            continue
        if check.healthCheckProtocol == "TCP" and any(event.type == "application-load-balancer"
                                                       for event in container.events or []):
            problems.append(Problem((*at, "healthCheckProtocol"), TCP_HEALTH_CHECK,
                                    hint="remove healthCheckProtocol or set HTTP"))
        path = check.healthcheckPath
        if path is not None and (not path.startswith("/") or len(path) > MAX_HEALTH_CHECK_PATH):
            problems.append(Problem((*at, "healthcheckPath"),
                                    f"healthcheckPath {path!r} must start with \"/\" and be at most "
                                    f"{MAX_HEALTH_CHECK_PATH} characters (Elastic Load Balancing refuses it)",
                                    hint=f"e.g. \"/{path.lstrip('/')[:64]}\""))
        interval = check.healthcheckInterval or DEFAULT_HEALTH_CHECK_INTERVAL
        timeout = check.healthcheckTimeout or DEFAULT_HEALTH_CHECK_TIMEOUT
        if timeout >= interval:
            problems.append(Problem((*at, "healthcheckTimeout" if check.healthcheckTimeout else "healthcheckInterval"),
                                    f"healthcheckTimeout ({timeout} s) must be less than healthcheckInterval "
                                    f"({interval} s): Elastic Load Balancing refuses a health check that does not "
                                    "time out before the next one starts",
                                    hint=f"set healthcheckTimeout to at most {interval - 1} or raise "
                                         "healthcheckInterval (defaults: interval 5, timeout 4)"))
    return problems


def _alias_problems(index: int, events: list[Any]) -> list[Problem]:
    return [Problem(("containers", index, "events", event_index, "properties", "alias"),
                    f"alias {event.properties.alias!r} is not a name Service Connect accepts: lower-case letters, "
                    "digits, '_', '-' and '.', not starting with '-'",
                    hint=f"e.g. {re.sub(r'[^a-z0-9_.-]+', '-', event.properties.alias.lower()).lstrip('-') or 'api'!r}")
            for event_index, event in enumerate(events)
            if event.type == "service-connect" and event.properties.alias is not None
            and not SERVICE_CONNECT_ALIAS.fullmatch(event.properties.alias)]


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

