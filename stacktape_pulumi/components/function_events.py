"""Function events that bring traffic to a Lambda function: HTTP API routes and load balancer rules.

AWS: API Gateway v2 (Lambda proxy integration, routes), Elastic Load Balancing v2 (Lambda target
group, attachment, listener rule), Lambda (invoke permissions scoped to the API or the target
group). The event sources (queues, topics, buses, streams, buckets, schedules, log groups) are wired by
`function_sources`; `kafka-topic` and `cloudwatch-alarm` are rejected by the config model.
"""

from __future__ import annotations  # see stacktape_pulumi/components/__init__.py

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol

import pulumi
import pulumi_aws as aws

from stacktape_pulumi.aws.naming import suffixed
from stacktape_pulumi.components import function_sources as sources
from stacktape_pulumi.components.application_load_balancer import ApplicationLoadBalancer
from stacktape_pulumi.components.http_api_gateway import HttpApiGateway
from stacktape_pulumi.components.traffic_events import listener_rule_conditions

if TYPE_CHECKING:
    from stacktape_pulumi.components.context import StackContext

# API Gateway waits at most 30 s for an integration; the reference leaves a second of headroom.
MAX_INTEGRATION_TIMEOUT_SECONDS = 29
# Lambda answers after its own timeout; half a second more lets its error response through.
TIMEOUT_HEADROOM_SECONDS = 0.5


def integration_timeout_ms(function_timeout: int) -> int:
    """`min(timeout + 0.5 s, 29 s)` in milliseconds: 20 → 20500, 60 → 29000."""
    return round(min(function_timeout + TIMEOUT_HEADROOM_SECONDS, MAX_INTEGRATION_TIMEOUT_SECONDS) * 1000)


class EventFunction(Protocol):
    """What a function event's handler may read of the function component (which imports the handlers)."""

    @property
    def resource_name(self) -> str: ...

    @property
    def context(self) -> StackContext: ...

    @property
    def function(self) -> aws.lambda_.Function: ...

    @property
    def role(self) -> aws.iam.Role: ...

    @property
    def props(self) -> Any: ...

    @property
    def timeout(self) -> int: ...

    @property
    def target_arn(self) -> pulumi.Output[str]: ...

    @property
    def qualifier(self) -> pulumi.Output[str] | None: ...

    def child_opts(self, **kwargs: Any) -> pulumi.ResourceOptions: ...


@dataclass(frozen=True)
class FunctionEventSite:
    """Where a function event sits: the function component, the event model and its index."""

    function: EventFunction
    event: Any
    index: int


FunctionEventHandler = Callable[[FunctionEventSite], None]


# ---- http-api-gateway -------------------------------------------------------------------

def http_api_gateway_event(site: FunctionEventSite) -> None:
    """A route of an HTTP API to the function, through one Lambda proxy integration per gateway."""
    function, props = site.function, site.event.properties
    ctx = function.context
    gateway = ctx.component(props.httpApiGatewayName, HttpApiGateway)
    payload_format = props.payloadFormat or gateway.payload_format
    integration = ctx.once(f"lambda-integration:{function.resource_name}:{props.httpApiGatewayName}",
                           lambda: _lambda_integration(function, gateway, props.httpApiGatewayName, payload_format))
    gateway.add_route(function, props.method, props.path, integration, props.authorizer)


def _lambda_integration(function: EventFunction, gateway: HttpApiGateway, gateway_name: str,
                        payload_format: str) -> aws.apigatewayv2.Integration:
    prefix = f"{function.resource_name}-{gateway_name}"
    integration = aws.apigatewayv2.Integration(
        f"{prefix}-integration",
        api_id=gateway.api.id,
        integration_type="AWS_PROXY",
        integration_method="POST",  # Lambda is always invoked with POST
        integration_uri=function.target_arn,
        payload_format_version=payload_format,
        timeout_milliseconds=integration_timeout_ms(function.timeout),
        opts=function.child_opts())
    aws.lambda_.Permission(
        f"{prefix}-invoke-permission",
        action="lambda:InvokeFunction",
        function=function.function.name,
        qualifier=function.qualifier,
        principal="apigateway.amazonaws.com",
        # Any route and stage of this API, and nothing else.
        source_arn=pulumi.Output.concat(gateway.api.execution_arn, "/*"),
        opts=function.child_opts())
    return integration


# ---- application-load-balancer ----------------------------------------------------------

def application_load_balancer_event(site: FunctionEventSite) -> None:
    """A listener rule forwarding matching requests to the function's Lambda target group on that load balancer."""
    function, props = site.function, site.event.properties
    ctx = function.context
    lb_name = props.loadBalancerName
    lb = ctx.component(lb_name, ApplicationLoadBalancer)
    listener_port = props.listenerPort if props.listenerPort is not None else lb.default_listener_port
    listener = lb.listener(listener_port)
    group = ctx.once(f"lambda-target-group:{function.resource_name}:{lb_name}",
                     lambda: _lambda_target_group(function, lb_name))
    aws.lb.ListenerRule(
        f"{function.resource_name}-{lb_name}-{listener_port}-{props.priority}-rule",
        listener_arn=listener.arn,
        priority=props.priority,
        actions=[aws.lb.ListenerRuleActionArgs(type="forward", target_group_arn=group.arn)],
        conditions=listener_rule_conditions(props),
        tags=ctx.tags,
        opts=function.child_opts())


def _lambda_target_group(function: EventFunction, lb_name: str) -> aws.lb.TargetGroup:
    """One Lambda target group per (function, load balancer); the function is registered once invocable."""
    ctx = function.context
    prefix = f"{function.resource_name}-{lb_name}"
    group = aws.lb.TargetGroup(
        f"{prefix}-target-group",
        name=suffixed("target-group", {"targetType": "lambda"}, ctx.stack_name, lb_name, function.resource_name),
        target_type="lambda",
        tags=ctx.tags,
        opts=function.child_opts())
    permission = aws.lambda_.Permission(
        f"{prefix}-invoke-permission",
        action="lambda:InvokeFunction",
        function=function.function.name,
        qualifier=function.qualifier,
        principal="elasticloadbalancing.amazonaws.com",
        source_arn=group.arn,
        opts=function.child_opts())
    # Registering a Lambda target fails unless the load balancer may already invoke it.
    aws.lb.TargetGroupAttachment(
        f"{prefix}-target", target_group_arn=group.arn, target_id=function.target_arn,
        opts=function.child_opts(depends_on=[permission]))
    return group


# The function event types built, and their handlers (the config model rejects the other documented ones).
FUNCTION_EVENT_HANDLERS: dict[str, FunctionEventHandler] = {
    "http-api-gateway": http_api_gateway_event,
    "application-load-balancer": application_load_balancer_event,
    "schedule": sources.schedule_event,
    "event-bus": sources.event_bus_event,
    "sqs": sources.sqs_event,
    "sns": sources.sns_event,
    "dynamo-db-stream": sources.dynamo_db_stream_event,
    "kinesis-stream": sources.kinesis_stream_event,
    "s3": sources.s3_event,
    "cloudwatch-log": sources.cloudwatch_log_event,
}
