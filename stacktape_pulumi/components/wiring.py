"""The seam between a workload and the things that send it traffic.

Each container event type has a handler that adds to a `ServiceWiring`: load balancer
attachments, service registries, a Service Connect configuration, security-group ingress
from a source group, and resources the ECS service must wait for. The workload component
applies the wiring generically; no event type is special-cased inside it. Handlers see the
workload only through `TrafficTarget`, the typed part of it they may read. Which handler serves
which event type is the table in `workload_events`.
"""

from __future__ import annotations  # see stacktape_pulumi/components/__init__.py

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol

import pulumi_aws as aws

if TYPE_CHECKING:
    import pulumi

    from stacktape_pulumi.components.application_load_balancer import ApplicationLoadBalancer
    from stacktape_pulumi.components.context import StackContext
    from stacktape_pulumi.config.models.workload import Container, MultiContainerWorkloadProps


class TrafficTarget(Protocol):
    """A workload that events send traffic to: what its event and workload handlers may read of it.

    The workload component satisfies it; the handlers need not import the component (which imports them).
    """

    @property
    def resource_name(self) -> str: ...

    @property
    def props(self) -> MultiContainerWorkloadProps: ...

    @property
    def context(self) -> StackContext: ...

    @property
    def service(self) -> aws.ecs.Service:
        """The ECS service (exists once the workload's own handlers ran: read it from later workloads)."""
        ...

    def child_opts(self, **kwargs: Any) -> pulumi.ResourceOptions: ...


@dataclass(frozen=True)
class Ingress:
    """Allow TCP `from_port`-`to_port` into the workload from one source security group."""

    source_security_group_id: pulumi.Input[str]
    from_port: int
    to_port: int
    description: str
    key: str  # stable logical-name suffix, unique per workload


@dataclass(frozen=True)
class TrafficRule:
    """A listener rule sending a gradually deployed workload its traffic, with the target group pair ECS shifts."""

    load_balancer: ApplicationLoadBalancer
    listener_port: int
    priority: int
    conditions: list[aws.lb.ListenerRuleConditionArgs]
    rule: aws.lb.ListenerRule
    target_group: aws.lb.TargetGroup
    alternate_target_group: aws.lb.TargetGroup
    container_name: str
    container_port: int


def forward_actions(target_group_arn: pulumi.Input[str],
                    alternate_target_group_arn: pulumi.Input[str] | None = None) -> list[aws.lb.ListenerRuleActionArgs]:
    """Forward to a target group; with an alternate one, all weight on the first (ECS shifts it when deploying)."""
    if alternate_target_group_arn is None:
        return [aws.lb.ListenerRuleActionArgs(type="forward", target_group_arn=target_group_arn)]
    return [aws.lb.ListenerRuleActionArgs(type="forward", forward=aws.lb.ListenerRuleActionForwardArgs(
        target_groups=[aws.lb.ListenerRuleActionForwardTargetGroupArgs(arn=target_group_arn, weight=100),
                       aws.lb.ListenerRuleActionForwardTargetGroupArgs(arn=alternate_target_group_arn, weight=0)]))]


# ECS owns the weights of a gradually deployed workload's rules (it shifts them while deploying).
GRADUAL_RULE_IGNORE_CHANGES = ["actions"]


@dataclass
class ServiceWiring:
    load_balancers: list[aws.ecs.ServiceLoadBalancerArgs] = field(default_factory=list)
    service_registries: list[aws.ecs.ServiceServiceRegistriesArgs] = field(default_factory=list)
    service_connect: aws.ecs.ServiceServiceConnectConfigurationArgs | None = None
    ingress: list[Ingress] = field(default_factory=list)
    depends_on: list[pulumi.Resource] = field(default_factory=list)
    # Security groups the tasks carry besides the workload's own (e.g. a stack-wide clients group).
    security_groups: list[pulumi.Input[str]] = field(default_factory=list)
    # Set before the event handlers run when the workload deploys gradually (ECS blue/green): a
    # load balancer event then creates an alternate target group, forwards with `forward_actions`
    # (weights ECS shifts) and records its rule in `traffic_rules`.
    gradual: bool = False
    traffic_rules: list[TrafficRule] = field(default_factory=list)
    # The service's `deploymentConfiguration` (strategy, bake times, lifecycle hooks), if not rolling.
    deployment: aws.ecs.ServiceDeploymentConfigurationArgs | None = None
    # Service properties another controller changes after creation (ECS swaps blue/green target groups).
    ignore_changes: list[str] = field(default_factory=list)

    def allow(self, rule: Ingress) -> None:
        if all(r.key != rule.key for r in self.ingress):
            self.ingress.append(rule)


@dataclass
class EventSite:
    """Where an event sits: the workload, its container, and the event model."""

    workload: TrafficTarget
    container: Container
    event: Any  # the member of the event union the handler's table key names
    fargate: bool


# `fn(site, wiring)`: one container event's part of the wiring.
EventHandler = Callable[[EventSite, ServiceWiring], None]

# `fn(workload, wiring)`: run for every workload after its event handlers, whatever events it has
# (stack-wide wiring such as Service Connect clients, gradual deployments).
WorkloadHandler = Callable[[TrafficTarget, ServiceWiring], None]


def workload_internal_event(site: EventSite, wiring: ServiceWiring) -> None:
    """Only a port mapping: the task's other containers reach it over localhost; nothing opens in the SG."""
