"""Pydantic models of the config file, one module per resource type.

The names are imported on first use (PEP 562): `validate` loads the models of the resource types a
config uses (`root.RESOURCE_MODELS`), and importing one model module must not import them all.
"""

from typing import TYPE_CHECKING

from stacktape_pulumi.lazy import lazy_exports

if TYPE_CHECKING:
    from stacktape_pulumi.config.models.application_load_balancer import (
        ApplicationLoadBalancer,
        ApplicationLoadBalancerListener,
        ApplicationLoadBalancerProps,
    )
    from stacktape_pulumi.config.models.bucket import Bucket, BucketProps
    from stacktape_pulumi.config.models.dynamo_db_table import DynamoDbTable, DynamoDbTableProps
    from stacktape_pulumi.config.models.event_bus import EventBus, EventBusProps
    from stacktape_pulumi.config.models.function import (
        CustomArtifactPackaging,
        Function,
        FunctionAlbEvent,
        FunctionHttpApiEvent,
        FunctionProps,
        StacktapeLambdaBuildpackPackaging,
    )
    from stacktape_pulumi.config.models.http_api_gateway import HttpApiGateway, HttpApiGatewayProps
    from stacktape_pulumi.config.models.root import (
        SUPPORTED_RESOURCE_TYPES,
        Resource,
        StackConfig,
        StacktapeConfig,
    )
    from stacktape_pulumi.config.models.shared import (
        ApplicationLoadBalancerIntegrationProps,
        HttpApiIntegrationProps,
        IamRoleStatement,
    )
    from stacktape_pulumi.config.models.sns_topic import SnsTopic, SnsTopicProps
    from stacktape_pulumi.config.models.sqs_queue import SqsQueue, SqsQueueProps
    from stacktape_pulumi.config.models.workload import (
        FARGATE_MEMORY_BY_CPU,
        Container,
        ContainerAlbEvent,
        ContainerHttpApiEvent,
        ContainerNlbEvent,
        ContainerWorkloadDeployment,
        ContainerWorkloadResources,
        ContainerWorkloadScaling,
        MultiContainerWorkload,
        MultiContainerWorkloadProps,
        ServiceConnectEvent,
        WorkloadInternalEvent,
    )

_EXPORTS = {
    "ApplicationLoadBalancer": "stacktape_pulumi.config.models.application_load_balancer",
    "ApplicationLoadBalancerIntegrationProps": "stacktape_pulumi.config.models.shared",
    "ApplicationLoadBalancerListener": "stacktape_pulumi.config.models.application_load_balancer",
    "ApplicationLoadBalancerProps": "stacktape_pulumi.config.models.application_load_balancer",
    "Bucket": "stacktape_pulumi.config.models.bucket",
    "BucketProps": "stacktape_pulumi.config.models.bucket",
    "Container": "stacktape_pulumi.config.models.workload",
    "ContainerAlbEvent": "stacktape_pulumi.config.models.workload",
    "ContainerHttpApiEvent": "stacktape_pulumi.config.models.workload",
    "ContainerNlbEvent": "stacktape_pulumi.config.models.workload",
    "ContainerWorkloadDeployment": "stacktape_pulumi.config.models.workload",
    "ContainerWorkloadResources": "stacktape_pulumi.config.models.workload",
    "ContainerWorkloadScaling": "stacktape_pulumi.config.models.workload",
    "CustomArtifactPackaging": "stacktape_pulumi.config.models.function",
    "DynamoDbTable": "stacktape_pulumi.config.models.dynamo_db_table",
    "DynamoDbTableProps": "stacktape_pulumi.config.models.dynamo_db_table",
    "EventBus": "stacktape_pulumi.config.models.event_bus",
    "EventBusProps": "stacktape_pulumi.config.models.event_bus",
    "FARGATE_MEMORY_BY_CPU": "stacktape_pulumi.config.models.workload",
    "Function": "stacktape_pulumi.config.models.function",
    "FunctionAlbEvent": "stacktape_pulumi.config.models.function",
    "FunctionHttpApiEvent": "stacktape_pulumi.config.models.function",
    "FunctionProps": "stacktape_pulumi.config.models.function",
    "HttpApiGateway": "stacktape_pulumi.config.models.http_api_gateway",
    "HttpApiGatewayProps": "stacktape_pulumi.config.models.http_api_gateway",
    "HttpApiIntegrationProps": "stacktape_pulumi.config.models.shared",
    "IamRoleStatement": "stacktape_pulumi.config.models.shared",
    "MultiContainerWorkload": "stacktape_pulumi.config.models.workload",
    "MultiContainerWorkloadProps": "stacktape_pulumi.config.models.workload",
    "Resource": "stacktape_pulumi.config.models.root",
    "SUPPORTED_RESOURCE_TYPES": "stacktape_pulumi.config.models.root",
    "ServiceConnectEvent": "stacktape_pulumi.config.models.workload",
    "SnsTopic": "stacktape_pulumi.config.models.sns_topic",
    "SnsTopicProps": "stacktape_pulumi.config.models.sns_topic",
    "SqsQueue": "stacktape_pulumi.config.models.sqs_queue",
    "SqsQueueProps": "stacktape_pulumi.config.models.sqs_queue",
    "StackConfig": "stacktape_pulumi.config.models.root",
    "StacktapeConfig": "stacktape_pulumi.config.models.root",
    "StacktapeLambdaBuildpackPackaging": "stacktape_pulumi.config.models.function",
    "WorkloadInternalEvent": "stacktape_pulumi.config.models.workload",
}

__all__ = [
    "FARGATE_MEMORY_BY_CPU",
    "SUPPORTED_RESOURCE_TYPES",
    "ApplicationLoadBalancer",
    "ApplicationLoadBalancerIntegrationProps",
    "ApplicationLoadBalancerListener",
    "ApplicationLoadBalancerProps",
    "Bucket",
    "BucketProps",
    "Container",
    "ContainerAlbEvent",
    "ContainerHttpApiEvent",
    "ContainerNlbEvent",
    "ContainerWorkloadDeployment",
    "ContainerWorkloadResources",
    "ContainerWorkloadScaling",
    "CustomArtifactPackaging",
    "DynamoDbTable",
    "DynamoDbTableProps",
    "EventBus",
    "EventBusProps",
    "Function",
    "FunctionAlbEvent",
    "FunctionHttpApiEvent",
    "FunctionProps",
    "HttpApiGateway",
    "HttpApiGatewayProps",
    "HttpApiIntegrationProps",
    "IamRoleStatement",
    "MultiContainerWorkload",
    "MultiContainerWorkloadProps",
    "Resource",
    "ServiceConnectEvent",
    "SnsTopic",
    "SnsTopicProps",
    "SqsQueue",
    "SqsQueueProps",
    "StackConfig",
    "StacktapeConfig",
    "StacktapeLambdaBuildpackPackaging",
    "WorkloadInternalEvent",
]


__getattr__, __dir__ = lazy_exports(__name__, _EXPORTS, globals())
