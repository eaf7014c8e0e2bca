"""The seam between a workload and the things that send it traffic.

Each container event type has a handler that adds to a `ServiceWiring`: load balancer
attachments, service registries, a Service Connect configuration, security-group ingress
from a source group, and resources the ECS service must wait for. The workload component
applies the wiring generically; no event type is special-cased inside it.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pulumi
import pulumi_aws as aws


@dataclass(frozen=True)
class Ingress:
    """Allow TCP `from_port`-`to_port` into the workload from one source security group."""

    source_security_group_id: pulumi.Input[str]
    from_port: int
    to_port: int
    description: str
    key: str  # stable logical-name suffix, unique per workload


@dataclass
class ServiceWiring:
    load_balancers: list[aws.ecs.ServiceLoadBalancerArgs] = field(default_factory=list)
    service_registries: list[aws.ecs.ServiceServiceRegistriesArgs] = field(default_factory=list)
    service_connect: aws.ecs.ServiceServiceConnectConfigurationArgs | None = None
    ingress: list[Ingress] = field(default_factory=list)
    depends_on: list[pulumi.Resource] = field(default_factory=list)

    def allow(self, rule: Ingress) -> None:
        if all(r.key != rule.key for r in self.ingress):
            self.ingress.append(rule)


@dataclass
class EventSite:
    """Where an event sits: the workload, its container, and the event model."""

    workload: Any  # the MultiContainerWorkload component (typed loosely to avoid an import cycle)
    container: Any
    event: Any
    fargate: bool


EventHandler = Callable[[EventSite, ServiceWiring], None]

EVENT_HANDLERS: dict[str, EventHandler] = {}


def event_handler(event_type: str) -> Callable[[EventHandler], EventHandler]:
    """Register the handler for one container event type."""

    def register(fn: EventHandler) -> EventHandler:
        EVENT_HANDLERS[event_type] = fn
        return fn

    return register


@event_handler("workload-internal")
def _workload_internal(site: EventSite, wiring: ServiceWiring) -> None:
    """Only a port mapping: the task's other containers reach it over localhost; nothing opens in the SG."""
