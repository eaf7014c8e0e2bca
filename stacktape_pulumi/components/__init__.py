"""One `pulumi.ComponentResource` per resource type; importing this registers their YAML builders."""

from typing import Any, cast

from stacktape_pulumi.args import MultiContainerWorkloadArgs
from stacktape_pulumi.components import deployments as _deployments  # noqa: F401  (registers its handler)
from stacktape_pulumi.components import function_events as _function_events  # noqa: F401  (registers handlers)
from stacktape_pulumi.components import images as _images  # noqa: F401  (registers the image builders)
from stacktape_pulumi.components import traffic_events as _traffic_events  # noqa: F401  (registers event handlers)
from stacktape_pulumi.components.application_load_balancer import ApplicationLoadBalancer
from stacktape_pulumi.components.bucket import Bucket
from stacktape_pulumi.components.dynamo_db_table import DynamoDbTable
from stacktape_pulumi.components.event_bus import EventBus
from stacktape_pulumi.components.function import Function
from stacktape_pulumi.components.http_api_gateway import HttpApiGateway
from stacktape_pulumi.components.sns_topic import SnsTopic
from stacktape_pulumi.components.sqs_queue import SqsQueue
from stacktape_pulumi.components.workload import MultiContainerWorkload
from stacktape_pulumi.config.models.workload import MultiContainerWorkloadProps
from stacktape_pulumi.context import StackContext
from stacktape_pulumi.stack import component_builder


@component_builder("multi-container-workload")
def _build_workload(name: str, resource: Any, ctx: StackContext) -> MultiContainerWorkload:
    # `args` is typed as the generated TypedDict (the provider's schema); the YAML path hands over the
    # props model it already validated, which `validate_args` takes as is.
    props: MultiContainerWorkloadProps = resource.properties
    return MultiContainerWorkload(name, cast(MultiContainerWorkloadArgs, props), context=ctx)


@component_builder("http-api-gateway")
def _build_http_api_gateway(name: str, resource: Any, ctx: StackContext) -> HttpApiGateway:
    return HttpApiGateway(name, resource.properties, context=ctx)


@component_builder("application-load-balancer")
def _build_application_load_balancer(name: str, resource: Any, ctx: StackContext) -> ApplicationLoadBalancer:
    return ApplicationLoadBalancer(name, resource.properties, context=ctx)


@component_builder("function")
def _build_function(name: str, resource: Any, ctx: StackContext) -> Function:
    return Function(name, resource.properties, context=ctx)


@component_builder("bucket")
def _build_bucket(name: str, resource: Any, ctx: StackContext) -> Bucket:
    return Bucket(name, resource.properties, context=ctx)


@component_builder("dynamo-db-table")
def _build_dynamo_db_table(name: str, resource: Any, ctx: StackContext) -> DynamoDbTable:
    return DynamoDbTable(name, resource.properties, context=ctx)


@component_builder("sqs-queue")
def _build_sqs_queue(name: str, resource: Any, ctx: StackContext) -> SqsQueue:
    return SqsQueue(name, resource.properties, context=ctx)


@component_builder("sns-topic")
def _build_sns_topic(name: str, resource: Any, ctx: StackContext) -> SnsTopic:
    return SnsTopic(name, resource.properties, context=ctx)


@component_builder("event-bus")
def _build_event_bus(name: str, resource: Any, ctx: StackContext) -> EventBus:
    return EventBus(name, resource.properties, context=ctx)


__all__ = [
    "ApplicationLoadBalancer",
    "Bucket",
    "DynamoDbTable",
    "EventBus",
    "Function",
    "HttpApiGateway",
    "MultiContainerWorkload",
    "SnsTopic",
    "SqsQueue",
]
