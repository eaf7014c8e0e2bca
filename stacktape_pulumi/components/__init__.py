"""One `pulumi.ComponentResource` per resource type, the stack context they share, and how YAML builds them.

The component classes are imported on first use (PEP 562), so that importing a building block
of this package (the stack context, the base) does not import every component and with them
every AWS service's SDK module. The table from YAML type to component is `build.COMPONENTS_BY_TYPE`.

The component modules postpone their annotations (`from __future__ import annotations`): an
annotation such as `bucket: aws.s3.Bucket` would otherwise import that AWS service's module
(`pulumi_aws.s3` alone takes ~0.25 s) in every process, also when the stack has no bucket. Pulumi's
schema inference reads the annotations as objects; `schema.registry.component_classes` evaluates
them for it.
"""

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from stacktape_pulumi.components.application_load_balancer import ApplicationLoadBalancer
    from stacktape_pulumi.components.bucket import Bucket
    from stacktape_pulumi.components.dynamo_db_table import DynamoDbTable
    from stacktape_pulumi.components.event_bus import EventBus
    from stacktape_pulumi.components.function import Function
    from stacktape_pulumi.components.http_api_gateway import HttpApiGateway
    from stacktape_pulumi.components.sns_topic import SnsTopic
    from stacktape_pulumi.components.sqs_queue import SqsQueue
    from stacktape_pulumi.components.workload import MultiContainerWorkload

_EXPORTS = {
    "ApplicationLoadBalancer": "application_load_balancer",
    "Bucket": "bucket",
    "DynamoDbTable": "dynamo_db_table",
    "EventBus": "event_bus",
    "Function": "function",
    "HttpApiGateway": "http_api_gateway",
    "MultiContainerWorkload": "workload",
    "SnsTopic": "sns_topic",
    "SqsQueue": "sqs_queue",
}

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


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'stacktape_pulumi.components' has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{module}"), name)
    globals()[name] = value  # later lookups skip this function
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})
