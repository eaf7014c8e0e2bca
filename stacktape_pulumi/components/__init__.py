"""One `pulumi.ComponentResource` per resource type; importing this registers their YAML builders.

The component modules postpone their annotations (`from __future__ import annotations`): an
annotation such as `bucket: aws.s3.Bucket` would otherwise import that AWS service's module
(`pulumi_aws.s3` alone takes ~0.25 s) in every process, also when the stack has no bucket. Pulumi's
schema inference reads the annotations as objects; `schema.registry.component_classes` evaluates
them for it.
"""

from typing import Any

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
from stacktape_pulumi.context import StackContext
from stacktape_pulumi.stack import ComponentBuilder, component_builder

# YAML type → component. Each is built from the props model validation already produced (the
# components' `validate_args` accepts a model as is), with the stack's context.
COMPONENTS_BY_TYPE: dict[str, type[Any]] = {
    "multi-container-workload": MultiContainerWorkload,
    "http-api-gateway": HttpApiGateway,
    "application-load-balancer": ApplicationLoadBalancer,
    "function": Function,
    "bucket": Bucket,
    "dynamo-db-table": DynamoDbTable,
    "sqs-queue": SqsQueue,
    "sns-topic": SnsTopic,
    "event-bus": EventBus,
}


def _builder(component: type[Any]) -> ComponentBuilder:
    def build(name: str, resource: Any, ctx: StackContext) -> Any:
        # A YAML resource may leave `properties` out; the components take that as empty args.
        props = resource.properties if resource.properties is not None else {}
        return component(name, props, context=ctx)

    return build


for _type, _component in COMPONENTS_BY_TYPE.items():
    component_builder(_type)(_builder(_component))


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
