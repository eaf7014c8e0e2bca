"""Stacktape-style YAML configs built as Pulumi components on AWS.

Public API: every component and its typed args (`Bucket`, `BucketArgs`, …), the stack context and
its settings, config loading, and the program helpers. Deploying through the Automation API is
`stacktape_pulumi.automation`.

The names are imported on first use (PEP 562), so `stacktape-pulumi --help` and the modules
that need neither Pulumi nor the AWS SDK (errors, the YAML loader) load without them.
"""

from typing import TYPE_CHECKING

from stacktape_pulumi.lazy import lazy_exports

if TYPE_CHECKING:
    from stacktape_pulumi.args import (
        ApplicationLoadBalancerArgs,
        BucketArgs,
        DynamoDbTableArgs,
        EfsFilesystemArgs,
        EventBusArgs,
        FunctionArgs,
        HttpApiGatewayArgs,
        MultiContainerWorkloadArgs,
        NetworkLoadBalancerArgs,
        PrivateServiceArgs,
        RelationalDatabaseArgs,
        SnsTopicArgs,
        SqsQueueArgs,
        WebServiceArgs,
        WorkerServiceArgs,
    )
    from stacktape_pulumi.components.application_load_balancer import ApplicationLoadBalancer
    from stacktape_pulumi.components.bucket import Bucket
    from stacktape_pulumi.components.context import StackContext, current_context, use_context
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
    from stacktape_pulumi.errors import ConfigError, ConfigIssue, StacktapeError
    from stacktape_pulumi.load import LoadedConfig, load_config
    from stacktape_pulumi.plan import StackPlan, StackSettings
    from stacktape_pulumi.program import deploy, inline_program

_EXPORTS = {
    "ApplicationLoadBalancer": "stacktape_pulumi.components.application_load_balancer",
    "ApplicationLoadBalancerArgs": "stacktape_pulumi.args",
    "Bucket": "stacktape_pulumi.components.bucket",
    "BucketArgs": "stacktape_pulumi.args",
    "ConfigError": "stacktape_pulumi.errors",
    "ConfigIssue": "stacktape_pulumi.errors",
    "DynamoDbTable": "stacktape_pulumi.components.dynamo_db_table",
    "DynamoDbTableArgs": "stacktape_pulumi.args",
    "EventBus": "stacktape_pulumi.components.event_bus",
    "EventBusArgs": "stacktape_pulumi.args",
    "Function": "stacktape_pulumi.components.function",
    "FunctionArgs": "stacktape_pulumi.args",
    "HttpApiGateway": "stacktape_pulumi.components.http_api_gateway",
    "HttpApiGatewayArgs": "stacktape_pulumi.args",
    "LoadedConfig": "stacktape_pulumi.load",
    "MultiContainerWorkload": "stacktape_pulumi.components.workload",
    "MultiContainerWorkloadArgs": "stacktape_pulumi.args",
    "NetworkLoadBalancer": "stacktape_pulumi.components.network_load_balancer",
    "NetworkLoadBalancerArgs": "stacktape_pulumi.args",
    "PrivateService": "stacktape_pulumi.components.services",
    "PrivateServiceArgs": "stacktape_pulumi.args",
    "RelationalDatabase": "stacktape_pulumi.components.relational_database",
    "RelationalDatabaseArgs": "stacktape_pulumi.args",
    "SnsTopic": "stacktape_pulumi.components.sns_topic",
    "SnsTopicArgs": "stacktape_pulumi.args",
    "EfsFilesystem": "stacktape_pulumi.components.efs_filesystem",
    "EfsFilesystemArgs": "stacktape_pulumi.args",
    "SqsQueue": "stacktape_pulumi.components.sqs_queue",
    "SqsQueueArgs": "stacktape_pulumi.args",
    "StackContext": "stacktape_pulumi.components.context",
    "StackPlan": "stacktape_pulumi.plan",
    "StackSettings": "stacktape_pulumi.plan",
    "StacktapeError": "stacktape_pulumi.errors",
    "WebService": "stacktape_pulumi.components.services",
    "WebServiceArgs": "stacktape_pulumi.args",
    "WorkerService": "stacktape_pulumi.components.services",
    "WorkerServiceArgs": "stacktape_pulumi.args",
    "current_context": "stacktape_pulumi.components.context",
    "deploy": "stacktape_pulumi.program",
    "inline_program": "stacktape_pulumi.program",
    "load_config": "stacktape_pulumi.load",
    "use_context": "stacktape_pulumi.components.context",
}

__all__ = [
    "ApplicationLoadBalancer",
    "ApplicationLoadBalancerArgs",
    "Bucket",
    "BucketArgs",
    "ConfigError",
    "ConfigIssue",
    "DynamoDbTable",
    "DynamoDbTableArgs",
    "EfsFilesystem",
    "EfsFilesystemArgs",
    "EventBus",
    "EventBusArgs",
    "Function",
    "FunctionArgs",
    "HttpApiGateway",
    "HttpApiGatewayArgs",
    "LoadedConfig",
    "MultiContainerWorkload",
    "MultiContainerWorkloadArgs",
    "NetworkLoadBalancer",
    "NetworkLoadBalancerArgs",
    "PrivateService",
    "PrivateServiceArgs",
    "RelationalDatabase",
    "RelationalDatabaseArgs",
    "SnsTopic",
    "SnsTopicArgs",
    "SqsQueue",
    "SqsQueueArgs",
    "StackContext",
    "StackPlan",
    "StackSettings",
    "StacktapeError",
    "WebService",
    "WebServiceArgs",
    "WorkerService",
    "WorkerServiceArgs",
    "current_context",
    "deploy",
    "inline_program",
    "load_config",
    "use_context",
]


__getattr__, __dir__ = lazy_exports(__name__, _EXPORTS, globals())
