"""Pydantic models of the config file, one module per resource type."""

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
