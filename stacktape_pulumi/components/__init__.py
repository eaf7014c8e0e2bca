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

from typing import TYPE_CHECKING

from stacktape_pulumi.lazy import lazy_exports

if TYPE_CHECKING:
    from stacktape_pulumi.components.application_load_balancer import ApplicationLoadBalancer
    from stacktape_pulumi.components.bucket import Bucket
    from stacktape_pulumi.components.dynamo_db_table import DynamoDbTable
    from stacktape_pulumi.components.efs_filesystem import EfsFilesystem
    from stacktape_pulumi.components.event_bus import EventBus
    from stacktape_pulumi.components.function import Function
    from stacktape_pulumi.components.http_api_gateway import HttpApiGateway
    from stacktape_pulumi.components.network_load_balancer import NetworkLoadBalancer
    from stacktape_pulumi.components.relational_database import RelationalDatabase
    from stacktape_pulumi.components.services import PrivateService, WebService, WorkerService
    from stacktape_pulumi.components.sns_topic import SnsTopic
    from stacktape_pulumi.components.sqs_queue import SqsQueue
    from stacktape_pulumi.components.workload import MultiContainerWorkload

_EXPORTS = {
    "ApplicationLoadBalancer": "stacktape_pulumi.components.application_load_balancer",
    "Bucket": "stacktape_pulumi.components.bucket",
    "DynamoDbTable": "stacktape_pulumi.components.dynamo_db_table",
    "EventBus": "stacktape_pulumi.components.event_bus",
    "Function": "stacktape_pulumi.components.function",
    "HttpApiGateway": "stacktape_pulumi.components.http_api_gateway",
    "MultiContainerWorkload": "stacktape_pulumi.components.workload",
    "NetworkLoadBalancer": "stacktape_pulumi.components.network_load_balancer",
    "PrivateService": "stacktape_pulumi.components.services",
    "RelationalDatabase": "stacktape_pulumi.components.relational_database",
    "WebService": "stacktape_pulumi.components.services",
    "WorkerService": "stacktape_pulumi.components.services",
    "SnsTopic": "stacktape_pulumi.components.sns_topic",
    "EfsFilesystem": "stacktape_pulumi.components.efs_filesystem",
    "SqsQueue": "stacktape_pulumi.components.sqs_queue",
}

__all__ = [
    "ApplicationLoadBalancer",
    "Bucket",
    "DynamoDbTable",
    "EfsFilesystem",
    "EventBus",
    "Function",
    "HttpApiGateway",
    "MultiContainerWorkload",
    "NetworkLoadBalancer",
    "PrivateService",
    "RelationalDatabase",
    "SnsTopic",
    "SqsQueue",
    "WebService",
    "WorkerService",
]


__getattr__, __dir__ = lazy_exports(__name__, _EXPORTS, globals())
