"""Every recorded AWS input against the constraints of the botocore request it becomes.

`REQUESTS` maps each Pulumi resource type the package creates to the botocore service and the
create/put operations the AWS provider calls for it. A recorded input is matched to a member of
those operations' input shapes by name (case-insensitively: the engine's camelCase `vpcId` is the
API's `VpcId`), or through the type's `renames` where the names differ (`name` → `RoleName`);
the value is then checked against the member's shape, recursing into structures, lists and maps
where the recorded value has the same shape:

* strings: minimum and maximum length, the pattern (AWS matches the whole value), the enum;
* numbers: the minimum and maximum;
* lists and maps (tags included, whether the API takes a map or a `Key`/`Value` list): item counts.

The checks botocore's `ParamValidator` performs on its own (types, required members) do not fit
here: the provider changes types on the way (booleans to `ENABLED`, maps to attribute lists).
Values masked as "[secret]" / "[unknown]" are skipped. An input that matches no member is not
checked and must be listed, with the reason, in `UNCHECKED` (`tests/test_aws_requests.py` fails
on one that is not), so nothing goes unchecked silently. A type with no AWS request of its own
is listed in `NO_REQUEST` with the reason; the test fails on a type in neither table.
"""

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from botocore.model import ListShape, MapShape, OperationModel, Shape, StructureShape

from oracles import OPAQUE, Finding, custom, finding
from stacktape_pulumi.engine import RecordedResource, Recording

ORACLE = "aws-requests"


@dataclass(frozen=True)
class Request:
    """The botocore operations a resource type's inputs end up in, and inputs whose API name differs.

    `renames` maps a recorded input path (dotted, list items transparent: `healthCheck.path`) to a
    member path below the first operation whose input shape has its first part
    (`HealthCheckPath`, `ChangeBatch.Changes.ResourceRecordSet.Name`).
    """

    service: str
    operations: tuple[str, ...]
    renames: Mapping[str, str] = field(default_factory=dict)


def _actions(recorded: str, member: str) -> dict[str, str]:
    """Listener and rule actions: the provider names each action's configuration without `Config`."""
    return {f"{recorded}__{k}": f"{member}.{v}" for k, v in (
        ("fixedResponse", "FixedResponseConfig"), ("redirect", "RedirectConfig"), ("forward", "ForwardConfig"),
        ("forward.targetGroups.arn", "ForwardConfig.TargetGroups.TargetGroupArn"),
        ("forward.stickiness", "ForwardConfig.TargetGroupStickinessConfig"))}


def _r(service: str, *operations: str, **renames: str) -> Request:
    return Request(service, operations, {k.replace("__", "."): v for k, v in renames.items()})


# Pulumi type → the request the AWS provider (pulumi-aws, i.e. the Terraform provider) sends to create it.
REQUESTS: dict[str, Request] = {
    "aws:acm/certificate:Certificate": _r("acm", "RequestCertificate"),
    "aws:apigatewayv2/api:Api": _r("apigatewayv2", "CreateApi"),
    "aws:apigatewayv2/apiMapping:ApiMapping": _r("apigatewayv2", "CreateApiMapping"),
    "aws:apigatewayv2/authorizer:Authorizer": _r("apigatewayv2", "CreateAuthorizer", identitySources="IdentitySource"),
    "aws:apigatewayv2/domainName:DomainName": _r("apigatewayv2", "CreateDomainName",
                                                 domainNameConfiguration="DomainNameConfigurations"),
    "aws:apigatewayv2/integration:Integration": _r("apigatewayv2", "CreateIntegration",
                                                   timeoutMilliseconds="TimeoutInMillis"),
    "aws:apigatewayv2/route:Route": _r("apigatewayv2", "CreateRoute"),
    "aws:apigatewayv2/stage:Stage": _r("apigatewayv2", "CreateStage", name="StageName"),
    "aws:apigatewayv2/vpcLink:VpcLink": _r("apigatewayv2", "CreateVpcLink"),
    "aws:appautoscaling/policy:Policy": _r("application-autoscaling", "PutScalingPolicy", name="PolicyName"),
    "aws:appautoscaling/target:Target": _r("application-autoscaling", "RegisterScalableTarget"),
    "aws:autoscaling/group:Group": _r("autoscaling", "CreateAutoScalingGroup", name="AutoScalingGroupName",
                                      launchTemplate__id="LaunchTemplate.LaunchTemplateId",
                                      launchTemplate__name="LaunchTemplate.LaunchTemplateName",
                                      protectFromScaleIn="NewInstancesProtectedFromScaleIn"),
    "aws:cloudwatch/eventArchive:EventArchive": _r("events", "CreateArchive", name="ArchiveName"),
    "aws:cloudwatch/eventBus:EventBus": _r("events", "CreateEventBus"),
    "aws:cloudwatch/eventRule:EventRule": _r("events", "PutRule"),
    "aws:cloudwatch/eventTarget:EventTarget": _r("events", "PutTargets", rule="Rule", arn="Targets.Arn",
                                                 input="Targets.Input", inputPath="Targets.InputPath",
                                                 deadLetterConfig="Targets.DeadLetterConfig",
                                                 targetId="Targets.Id", roleArn="Targets.RoleArn"),
    "aws:cloudwatch/logGroup:LogGroup": _r("logs", "CreateLogGroup", "PutRetentionPolicy", name="logGroupName"),
    "aws:cloudwatch/logSubscriptionFilter:LogSubscriptionFilter": _r("logs", "PutSubscriptionFilter",
                                                                     name="filterName", logGroup="logGroupName"),
    "aws:dynamodb/table:Table": _r("dynamodb", "CreateTable", "UpdateContinuousBackups", name="TableName",
                                   pointInTimeRecovery__enabled=(
                                       "PointInTimeRecoverySpecification.PointInTimeRecoveryEnabled"),
                                   attributes="AttributeDefinitions",
                                   attributes__name="AttributeDefinitions.AttributeName",
                                   attributes__type="AttributeDefinitions.AttributeType",
                                   hashKey="KeySchema.AttributeName", rangeKey="KeySchema.AttributeName",
                                   streamViewType="StreamSpecification.StreamViewType",
                                   streamEnabled="StreamSpecification.StreamEnabled"),
    "aws:ec2/eip:Eip": _r("ec2", "AllocateAddress"),
    "aws:ec2/internetGateway:InternetGateway": _r("ec2", "CreateInternetGateway", "AttachInternetGateway"),
    "aws:ec2/launchTemplate:LaunchTemplate": _r(
        "ec2", "CreateLaunchTemplate", name="LaunchTemplateName",
        blockDeviceMappings="LaunchTemplateData.BlockDeviceMappings",
        iamInstanceProfile="LaunchTemplateData.IamInstanceProfile", imageId="LaunchTemplateData.ImageId",
        instanceType="LaunchTemplateData.InstanceType", metadataOptions="LaunchTemplateData.MetadataOptions",
        userData="LaunchTemplateData.UserData", vpcSecurityGroupIds="LaunchTemplateData.SecurityGroupIds",
        tagSpecifications="LaunchTemplateData.TagSpecifications"),
    "aws:ec2/natGateway:NatGateway": _r("ec2", "CreateNatGateway"),
    "aws:ec2/route:Route": _r("ec2", "CreateRoute"),
    "aws:ec2/routeTable:RouteTable": _r("ec2", "CreateRouteTable"),
    "aws:ec2/routeTableAssociation:RouteTableAssociation": _r("ec2", "AssociateRouteTable"),
    "aws:ec2/securityGroup:SecurityGroup": _r("ec2", "CreateSecurityGroup", "AuthorizeSecurityGroupIngress",
                                              name="GroupName", ingress="IpPermissions", egress="IpPermissions",
                                              ingress__protocol="IpPermissions.IpProtocol",
                                              egress__protocol="IpPermissions.IpProtocol",
                                              ingress__cidrBlocks="IpPermissions.IpRanges.CidrIp",
                                              egress__cidrBlocks="IpPermissions.IpRanges.CidrIp",
                                              ingress__description="IpPermissions.IpRanges.Description",
                                              egress__description="IpPermissions.IpRanges.Description",
                                              ingress__securityGroups="IpPermissions.UserIdGroupPairs.GroupId",
                                              egress__securityGroups="IpPermissions.UserIdGroupPairs.GroupId"),
    "aws:ec2/subnet:Subnet": _r("ec2", "CreateSubnet", "ModifySubnetAttribute"),
    "aws:ec2/vpc:Vpc": _r("ec2", "CreateVpc"),
    "aws:ecr/lifecyclePolicy:LifecyclePolicy": _r("ecr", "PutLifecyclePolicy", repository="repositoryName",
                                                  policy="lifecyclePolicyText"),
    "aws:ecr/repository:Repository": _r("ecr", "CreateRepository", name="repositoryName"),
    "aws:ecs/capacityProvider:CapacityProvider": _r("ecs", "CreateCapacityProvider"),
    "aws:ecs/cluster:Cluster": _r("ecs", "CreateCluster", name="clusterName"),
    "aws:ecs/clusterCapacityProviders:ClusterCapacityProviders": _r(
        "ecs", "PutClusterCapacityProviders", clusterName="cluster",
        defaultCapacityProviderStrategies="defaultCapacityProviderStrategy"),
    "aws:ecs/service:Service": _r("ecs", "CreateService", name="serviceName",
                                  capacityProviderStrategies="capacityProviderStrategy",
                                  orderedPlacementStrategies="placementStrategy",
                                  deploymentMaximumPercent="deploymentConfiguration.maximumPercent",
                                  deploymentMinimumHealthyPercent="deploymentConfiguration.minimumHealthyPercent",
                                  deploymentCircuitBreaker="deploymentConfiguration.deploymentCircuitBreaker",
                                  enableEcsManagedTags="enableECSManagedTags",
                                  networkConfiguration__subnets="networkConfiguration.awsvpcConfiguration.subnets",
                                  networkConfiguration__securityGroups=(
                                      "networkConfiguration.awsvpcConfiguration.securityGroups"),
                                  serviceConnectConfiguration__services__clientAlias=(
                                      "serviceConnectConfiguration.services.clientAliases")),
    "aws:ecs/taskDefinition:TaskDefinition": _r("ecs", "RegisterTaskDefinition"),
    "aws:efs/accessPoint:AccessPoint": _r("efs", "CreateAccessPoint"),
    "aws:efs/backupPolicy:BackupPolicy": _r("efs", "PutBackupPolicy"),
    "aws:efs/fileSystem:FileSystem": _r("efs", "CreateFileSystem"),
    "aws:efs/mountTarget:MountTarget": _r("efs", "CreateMountTarget"),
    "aws:iam/instanceProfile:InstanceProfile": _r("iam", "CreateInstanceProfile", "AddRoleToInstanceProfile",
                                                  name="InstanceProfileName", role="RoleName"),
    "aws:iam/role:Role": _r("iam", "CreateRole", name="RoleName", assumeRolePolicy="AssumeRolePolicyDocument"),
    "aws:iam/rolePolicy:RolePolicy": _r("iam", "PutRolePolicy", name="PolicyName", role="RoleName",
                                        policy="PolicyDocument"),
    "aws:iam/rolePolicyAttachment:RolePolicyAttachment": _r("iam", "AttachRolePolicy", role="RoleName"),
    "aws:kinesis/firehoseDeliveryStream:FirehoseDeliveryStream": _r(
        "firehose", "CreateDeliveryStream", name="DeliveryStreamName",
        httpEndpointConfiguration="HttpEndpointDestinationConfiguration",
        httpEndpointConfiguration__url="HttpEndpointDestinationConfiguration.EndpointConfiguration.Url",
        httpEndpointConfiguration__name="HttpEndpointDestinationConfiguration.EndpointConfiguration.Name",
        httpEndpointConfiguration__accessKey="HttpEndpointDestinationConfiguration.EndpointConfiguration.AccessKey",
        httpEndpointConfiguration__s3BackupMode="HttpEndpointDestinationConfiguration.S3BackupMode",
        httpEndpointConfiguration__roleArn="HttpEndpointDestinationConfiguration.RoleARN",
        httpEndpointConfiguration__bufferingInterval="HttpEndpointDestinationConfiguration.BufferingHints"
                                                     ".IntervalInSeconds",
        httpEndpointConfiguration__bufferingSize="HttpEndpointDestinationConfiguration.BufferingHints.SizeInMBs",
        httpEndpointConfiguration__retryDuration="HttpEndpointDestinationConfiguration.RetryOptions.DurationInSeconds",
        httpEndpointConfiguration__requestConfiguration__commonAttributes__name=(
            "HttpEndpointDestinationConfiguration.RequestConfiguration.CommonAttributes.AttributeName"),
        httpEndpointConfiguration__requestConfiguration__commonAttributes__value=(
            "HttpEndpointDestinationConfiguration.RequestConfiguration.CommonAttributes.AttributeValue"),
        httpEndpointConfiguration__s3Configuration__bufferingInterval=(
            "HttpEndpointDestinationConfiguration.S3Configuration.BufferingHints.IntervalInSeconds"),
        httpEndpointConfiguration__s3Configuration__bufferingSize=(
            "HttpEndpointDestinationConfiguration.S3Configuration.BufferingHints.SizeInMBs"),
        serverSideEncryption__keyType="DeliveryStreamEncryptionConfigurationInput.KeyType",
        serverSideEncryption__keyArn="DeliveryStreamEncryptionConfigurationInput.KeyARN"),
    "aws:kinesis/streamConsumer:StreamConsumer": _r("kinesis", "RegisterStreamConsumer", name="ConsumerName"),
    "aws:lambda/alias:Alias": _r("lambda", "CreateAlias"),
    "aws:lambda/eventSourceMapping:EventSourceMapping": _r(
        "lambda", "CreateEventSourceMapping",
        destinationConfig__onFailure__destinationArn="DestinationConfig.OnFailure.Destination"),
    "aws:lambda/function:Function": _r("lambda", "CreateFunction", name="FunctionName"),
    "aws:lambda/functionEventInvokeConfig:FunctionEventInvokeConfig": _r("lambda", "PutFunctionEventInvokeConfig"),
    "aws:lambda/functionUrl:FunctionUrl": _r("lambda", "CreateFunctionUrlConfig", authorizationType="AuthType"),
    "aws:lambda/permission:Permission": _r("lambda", "AddPermission", function="FunctionName"),
    "aws:lambda/provisionedConcurrencyConfig:ProvisionedConcurrencyConfig": _r(
        "lambda", "PutProvisionedConcurrencyConfig"),
    "aws:lb/listener:Listener": _r("elbv2", "CreateListener", **_actions("defaultActions", "DefaultActions"),
                                   certificateArn="Certificates.CertificateArn"),
    "aws:lb/listenerCertificate:ListenerCertificate": _r("elbv2", "AddListenerCertificates",
                                                         certificateArn="Certificates.CertificateArn"),
    "aws:lb/listenerRule:ListenerRule": _r("elbv2", "CreateRule", **_actions("actions", "Actions"),
                                           **{f"conditions__{k}": f"Conditions.{v}" for k, v in (
                                               ("hostHeader", "HostHeaderConfig"), ("httpHeader", "HttpHeaderConfig"),
                                               ("httpRequestMethod", "HttpRequestMethodConfig"),
                                               ("pathPattern", "PathPatternConfig"),
                                               ("queryString", "QueryStringConfig"),
                                               ("sourceIp", "SourceIpConfig"))}),
    "aws:lb/loadBalancer:LoadBalancer": _r("elbv2", "CreateLoadBalancer", loadBalancerType="Type"),
    "aws:lb/targetGroup:TargetGroup": _r("elbv2", "CreateTargetGroup", healthCheck__path="HealthCheckPath",
                                         healthCheck__interval="HealthCheckIntervalSeconds",
                                         healthCheck__timeout="HealthCheckTimeoutSeconds",
                                         healthCheck__healthyThreshold="HealthyThresholdCount",
                                         healthCheck__unhealthyThreshold="UnhealthyThresholdCount",
                                         healthCheck__protocol="HealthCheckProtocol",
                                         healthCheck__port="HealthCheckPort",
                                         healthCheck__enabled="HealthCheckEnabled",
                                         healthCheck__matcher="Matcher.HttpCode"),
    "aws:lb/targetGroupAttachment:TargetGroupAttachment": _r("elbv2", "RegisterTargets",
                                                             targetId="Targets.Id", port="Targets.Port"),
    "aws:rds/cluster:Cluster": _r("rds", "CreateDBCluster", "DeleteDBCluster", clusterIdentifier="DBClusterIdentifier",
                                  enabledCloudwatchLogsExports="EnableCloudwatchLogsExports",
                                  finalSnapshotIdentifier="FinalDBSnapshotIdentifier",
                                  masterPassword="MasterUserPassword", dbSubnetGroupName="DBSubnetGroupName",
                                  serverlessv2ScalingConfiguration="ServerlessV2ScalingConfiguration",
                                  dbClusterParameterGroupName="DBClusterParameterGroupName"),
    "aws:rds/clusterParameterGroup:ClusterParameterGroup": _r(
        "rds", "CreateDBClusterParameterGroup", "ModifyDBClusterParameterGroup",
        name="DBClusterParameterGroupName", family="DBParameterGroupFamily",
        parameters__name="Parameters.ParameterName", parameters__value="Parameters.ParameterValue"),
    "aws:rds/clusterInstance:ClusterInstance": _r("rds", "CreateDBInstance", identifier="DBInstanceIdentifier",
                                                  clusterIdentifier="DBClusterIdentifier",
                                                  instanceClass="DBInstanceClass",
                                                  dbSubnetGroupName="DBSubnetGroupName"),
    "aws:rds/instance:Instance": _r("rds", "CreateDBInstance", "CreateDBInstanceReadReplica", "DeleteDBInstance",
                                    enabledCloudwatchLogsExports="EnableCloudwatchLogsExports",
                                    finalSnapshotIdentifier="FinalDBSnapshotIdentifier",
                                    identifier="DBInstanceIdentifier", instanceClass="DBInstanceClass",
                                    dbName="DBName", username="MasterUsername", password="MasterUserPassword",
                                    dbSubnetGroupName="DBSubnetGroupName", multiAz="MultiAZ",
                                    maintenanceWindow="PreferredMaintenanceWindow",
                                    replicateSourceDb="SourceDBInstanceIdentifier",
                                    parameterGroupName="DBParameterGroupName"),
    "aws:rds/optionGroup:OptionGroup": _r("rds", "CreateOptionGroup", "ModifyOptionGroup", name="OptionGroupName",
                                          options="OptionsToInclude", options__optionName="OptionsToInclude.OptionName",
                                          options__optionSettings="OptionsToInclude.OptionSettings",
                                          options__optionSettings__name="OptionsToInclude.OptionSettings.Name",
                                          options__optionSettings__value="OptionsToInclude.OptionSettings.Value"),
    "aws:rds/parameterGroup:ParameterGroup": _r(
        "rds", "CreateDBParameterGroup", "ModifyDBParameterGroup", name="DBParameterGroupName",
        family="DBParameterGroupFamily", parameters__name="Parameters.ParameterName",
        parameters__value="Parameters.ParameterValue"),
    "aws:rds/subnetGroup:SubnetGroup": _r("rds", "CreateDBSubnetGroup", name="DBSubnetGroupName",
                                          description="DBSubnetGroupDescription"),
    "aws:route53/record:Record": _r("route53", "ChangeResourceRecordSets", zoneId="HostedZoneId",
                                    name="ChangeBatch.Changes.ResourceRecordSet.Name",
                                    type="ChangeBatch.Changes.ResourceRecordSet.Type",
                                    ttl="ChangeBatch.Changes.ResourceRecordSet.TTL",
                                    records="ChangeBatch.Changes.ResourceRecordSet.ResourceRecords.Value",
                                    aliases="ChangeBatch.Changes.ResourceRecordSet.AliasTarget",
                                    aliases__name="ChangeBatch.Changes.ResourceRecordSet.AliasTarget.DNSName",
                                    aliases__zoneId="ChangeBatch.Changes.ResourceRecordSet.AliasTarget.HostedZoneId"),
    "aws:s3/bucket:Bucket": _r("s3", "CreateBucket", "PutBucketTagging", tags="Tagging.TagSet"),
    "aws:s3/bucketCorsConfiguration:BucketCorsConfiguration": _r("s3", "PutBucketCors",
                                                                  corsRules="CORSConfiguration.CORSRules"),
    "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration": _r(
        "s3", "PutBucketLifecycleConfiguration", rules="LifecycleConfiguration.Rules"),
    "aws:s3/bucketNotification:BucketNotification": _r(
        "s3", "PutBucketNotificationConfiguration",
        lambdaFunctions="NotificationConfiguration.LambdaFunctionConfigurations"),
    "aws:s3/bucketPolicy:BucketPolicy": _r("s3", "PutBucketPolicy"),
    "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock": _r(
        "s3", "PutPublicAccessBlock", blockPublicAcls="PublicAccessBlockConfiguration.BlockPublicAcls",
        blockPublicPolicy="PublicAccessBlockConfiguration.BlockPublicPolicy",
        ignorePublicAcls="PublicAccessBlockConfiguration.IgnorePublicAcls",
        restrictPublicBuckets="PublicAccessBlockConfiguration.RestrictPublicBuckets"),
    "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration": _r(
        "s3", "PutBucketEncryption", rules="ServerSideEncryptionConfiguration.Rules"),
    "aws:s3/bucketVersioning:BucketVersioning": _r("s3", "PutBucketVersioning",
                                                   versioningConfiguration="VersioningConfiguration"),
    "aws:scheduler/schedule:Schedule": _r("scheduler", "CreateSchedule"),
    "aws:secretsmanager/secret:Secret": _r("secretsmanager", "CreateSecret", "DeleteSecret"),
    "aws:secretsmanager/secretVersion:SecretVersion": _r("secretsmanager", "PutSecretValue"),
    "aws:servicediscovery/privateDnsNamespace:PrivateDnsNamespace": _r("servicediscovery",
                                                                       "CreatePrivateDnsNamespace"),
    "aws:servicediscovery/service:Service": _r("servicediscovery", "CreateService"),
    "aws:sns/topic:Topic": _r("sns", "CreateTopic"),
    "aws:sns/topicSubscription:TopicSubscription": _r("sns", "Subscribe", topic="TopicArn"),
    "aws:sqs/queue:Queue": _r("sqs", "CreateQueue", name="QueueName"),
    "aws:sqs/queuePolicy:QueuePolicy": _r("sqs", "SetQueueAttributes"),
    "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule": _r(
        "ec2", "AuthorizeSecurityGroupIngress", securityGroupId="GroupId", cidrIpv4="IpPermissions.IpRanges.CidrIp",
        description="IpPermissions.IpRanges.Description",
        referencedSecurityGroupId="IpPermissions.UserIdGroupPairs.GroupId"),
}

# Recorded types that are no AWS request of their own, with the reason.
NO_REQUEST: dict[str, str] = {
    "aws:acm/certificateValidation:CertificateValidation": "a Pulumi-only waiter: it polls ACM until the "
    "certificate is issued and sends no request that creates anything",
    "docker-build:index:Image": "a local Docker build and an ECR push, not an AWS API request",
    "command:local:Command": "a local process (an external buildpack build), not an AWS API request",
}
# Type prefixes with no request table: whole providers.
NO_REQUEST_PREFIXES: dict[str, str] = {
    "pulumi:providers:": "a provider's own configuration, not an AWS resource",
    "aws-native:": "cloudformationResources: the user's CloudFormation properties, checked by `validate` against "
    "AWS's CloudFormation registry schema of the type (checks/cloudformation.py), then sent through Cloud Control",
}


@dataclass(frozen=True)
class Quota:
    """A documented limit botocore's model does not carry: a number's range, or a string's length and pattern."""

    low: int
    high: int
    page: str
    pattern: str = ""  # a string input: the whole value must match


_SQS_PAGE = "https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_SetQueueAttributes.html"
_SERVICE_CONNECT = "https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_ServiceConnectService.html"
_CLIENT_ALIAS = "https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_ServiceConnectClientAlias.html"
DOCUMENTED: dict[str, dict[str, Quota]] = {
    # ECS documents these in prose only: a discovery name is up to 64 lower-case letters, digits, '_'
    # and '-', not starting with '-'; a client alias's DNS name up to 127 of those and '.'.
    "aws:ecs/service:Service": {
        "serviceConnectConfiguration.services.discoveryName": Quota(1, 64, _SERVICE_CONNECT, r"[a-z0-9_][a-z0-9_-]*"),
        "serviceConnectConfiguration.services.clientAlias.dnsName": Quota(1, 127, _CLIENT_ALIAS,
                                                                         r"[a-z0-9_.][a-z0-9_.-]*")},
    # SQS takes these as strings in the `Attributes` map; the API reference gives their ranges.
    "aws:sqs/queue:Queue": {"delaySeconds": Quota(0, 900, _SQS_PAGE),
                            "maxMessageSize": Quota(1024, 1048576, _SQS_PAGE),
                            "messageRetentionSeconds": Quota(60, 1209600, _SQS_PAGE),
                            "receiveWaitTimeSeconds": Quota(0, 20, _SQS_PAGE),
                            "visibilityTimeoutSeconds": Quota(0, 43200, _SQS_PAGE)},
    # `deregistration_delay.timeout_seconds`, a target group attribute (a string in ModifyTargetGroupAttributes).
    "aws:lb/targetGroup:TargetGroup": {"deregistrationDelay": Quota(
        0, 3600, "https://docs.aws.amazon.com/elasticloadbalancing/latest/application/edit-target-group-attributes.html"
                 "#deregistration-delay")},
}

_PROVIDER_ONLY = "provider-only: how the provider behaves (on delete, while waiting), sent to no AWS API"
_BOOL_TO_ENUM = "the provider turns the boolean into the API's enum or attribute structure; both values are valid"
UNCHECKED: dict[str, dict[str, str]] = {
    "aws:autoscaling/group:Group": {
        "forceDelete": _PROVIDER_ONLY,
        "vpcZoneIdentifiers": "joined with ',' into VPCZoneIdentifier (no limit in the model); each is a subnet "
                              "ID the stack's own VPC returned"},
    "aws:ec2/subnet:Subnet": {"mapPublicIpOnLaunch": _BOOL_TO_ENUM},
    "aws:ec2/vpc:Vpc": {"enableDnsHostnames": _BOOL_TO_ENUM, "enableDnsSupport": _BOOL_TO_ENUM},
    "aws:ecr/repository:Repository": {"forceDelete": _PROVIDER_ONLY},
    "aws:ecs/service:Service": {"networkConfiguration.assignPublicIp": _BOOL_TO_ENUM,
                                "waitForSteadyState": _PROVIDER_ONLY},
    "aws:ecs/taskDefinition:TaskDefinition": {
        "containerDefinitions": "a JSON string here, a list in the API: oracles.aws_validity parses it and checks "
                                "it against the same RegisterTaskDefinition model plus ECS's documented rules"},
    "aws:kinesis/firehoseDeliveryStream:FirehoseDeliveryStream": {
        "destination": "the provider's choice of the *DestinationConfiguration member, itself checked",
        "serverSideEncryption.enabled": "the provider sends DeliveryStreamEncryptionConfigurationInput only when true"},
    "aws:lambda/function:Function": {
        "code.fileArchive": "a local archive the provider uploads as Code.ZipFile (bytes)",
        "sourceCodeHash": "provider-only: decides when to upload the code again"},
    "aws:lb/loadBalancer:LoadBalancer": {"internal": _BOOL_TO_ENUM},
    "aws:s3/bucketNotification:BucketNotification": {
        "lambdaFunctions.filterPrefix": "becomes a Filter.Key.FilterRules entry {Name: prefix, Value}: S3 limits "
                                        "the object key (1024 bytes), which the config model bounds",
        "lambdaFunctions.filterSuffix": "becomes a Filter.Key.FilterRules entry {Name: suffix, Value}: S3 limits "
                                        "the object key (1024 bytes), which the config model bounds"},
    "aws:sns/topicSubscription:TopicSubscription": {
        "filterPolicy": "a JSON document in the Attributes map; its shape is checked by checks/sns_topic",
        "redrivePolicy": "a JSON document in the Attributes map naming the dead-letter queue's ARN"},
    "aws:s3/bucket:Bucket": {
        "bucketPrefix": "provider-only: completed with 26 characters into the request's Bucket; oracles.names "
                        "checks it against S3's bucket naming rules",
        "forceDestroy": _PROVIDER_ONLY},
    "aws:route53/record:Record": {"allowOverwrite": "provider-only: UPSERT rather than CREATE in the change batch"},
    "aws:sqs/queue:Queue": {"sqsManagedSseEnabled": "a 'true'/'false' string in the Attributes map"},
    "aws:sqs/queuePolicy:QueuePolicy": {"policy": "the Policy entry of the Attributes map; IAM documents are "
                                                  "checked by oracles.iam_lint"},
}


def no_request_reason(type_: str) -> str | None:
    if type_ in NO_REQUEST:
        return NO_REQUEST[type_]
    return next((reason for prefix, reason in NO_REQUEST_PREFIXES.items() if type_.startswith(prefix)), None)


# ---- the botocore models, loaded once ---------------------------------------------------------


@cache
def operation(service: str, name: str) -> OperationModel:
    return _session().get_service_model(service).operation_model(name)


@cache
def _session() -> Any:
    import botocore.session

    return botocore.session.get_session()


def input_shape(service: str, name: str) -> StructureShape:
    shape = operation(service, name).input_shape
    assert isinstance(shape, StructureShape), f"{service}.{name} has no input structure"
    return shape


def _member(shape: StructureShape, name: str) -> tuple[str, Shape] | None:
    """The member called `name`, ignoring case (the engine camelCases what the API may capitalise)."""
    if name in shape.members:
        return name, shape.members[name]
    lowered = name.lower()
    return next(((key, member) for key, member in shape.members.items() if key.lower() == lowered), None)


def _items(shape: Shape) -> Shape:
    """Lists are transparent in member paths: `Targets.Arn` is the `Arn` of each target."""
    while isinstance(shape, ListShape):
        shape = shape.member
    return shape


def resolve(request: Request, member_path: str) -> tuple[str, Shape] | None:
    """The operation and shape a dotted member path names, from the first operation that has its head."""
    head, *rest = member_path.split(".")
    for op in request.operations:
        found = _member(input_shape(request.service, op), head)
        if found is None:
            continue
        shape = found[1]
        for part in rest:
            inner = _items(shape)
            child = _member(inner, part) if isinstance(inner, StructureShape) else None
            if child is None:
                return None
            shape = child[1]
        return op, shape
    return None


# ---- patterns: botocore keeps the Java regular expressions AWS validates with -------------------


_ASTRAL = re.compile(r"\\u([0-9A-Fa-f]{5,6})")
# Java writes the code points above U+FFFF as a UTF-16 surrogate range; Python as the code points.
_SURROGATES = (r"\uD800\uDC00-\uDBFF\uDFFF", r"\U00010000-\U0010FFFF")
# Java's POSIX classes are ASCII; its Unicode categories have no `re` spelling: letters and digits
# read as `\w` (which adds '_', allowed by every tag pattern that uses them), separators as the
# Unicode space characters.
_JAVA_CLASSES = {r"\p{Print}": r"\x20-\x7e", r"\p{Graph}": r"\x21-\x7e", r"\p{Alnum}": "A-Za-z0-9",
                 r"\p{Punct}": r"!-/:-@\[-`{-~", r"\p{L}": r"\w", r"\p{N}": r"\w",
                 r"\p{Z}": r" \u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000"}
_UNICODE_CLASSES = (r"\p{L}", r"\p{N}", r"\p{Z}")


@cache
def compiled(pattern: str) -> re.Pattern[str] | None:
    """The pattern as Python's `re` reads it, or None when `re` cannot (counted, not guessed).

    Java's `\\w`, `\\d` and `\\s` are ASCII (hence re.ASCII, unless the pattern asks for Unicode
    categories); a code point above U+FFFF is written `\\u10000` in the models, `\\U00010000` for
    Python; the classes Java spells `\\p{…}` become ranges, inside a character class or in their own.
    """
    text = pattern.replace(*_SURROGATES)
    text = _ASTRAL.sub(lambda m: f"\\U{int(m.group(1), 16):08x}", text)
    unicode = any(c in text for c in _UNICODE_CLASSES)
    for java, ranges in _JAVA_CLASSES.items():
        text = _in_classes(text, java, ranges).replace(java, f"[{ranges}]")
    if r"\p{" in text or r"\P{" in text:
        return None
    try:
        return re.compile(text, 0 if unicode else re.ASCII)
    except re.error:
        return None


def _in_classes(text: str, java: str, ranges: str) -> str:
    """`java` replaced by `ranges` wherever it stands inside a `[...]` class."""
    out, depth, i = [], 0, 0
    while i < len(text):
        if text[i] == "\\":
            piece = text[i:i + len(java)] if text.startswith(java, i) and depth else text[i:i + 2]
            out.append(ranges if piece == java else piece)
            i += len(piece)
            continue
        depth += {"[": 1, "]": -1}.get(text[i], 0) if (text[i] == "[" or depth) else 0
        out.append(text[i])
        i += 1
    return "".join(out)


# ---- the check ------------------------------------------------------------------------------------


@dataclass
class Analysis:
    """What one resource's inputs came to: findings, the paths checked, those no member matched."""

    findings: list[Finding] = field(default_factory=list)
    checked: set[str] = field(default_factory=set)
    unchecked: set[str] = field(default_factory=set)
    unreadable_patterns: set[str] = field(default_factory=set)


def check(recording: Recording) -> list[Finding]:
    found: list[Finding] = []
    for resource in custom(recording):
        found += analyse(resource).findings
    return found


def analyse(resource: RecordedResource) -> Analysis:
    result = Analysis()
    request = REQUESTS.get(resource.type)
    if request is None:
        if no_request_reason(resource.type) is None:
            result.findings.append(finding(ORACLE, "no-request", resource, f"{resource.type} has no entry in "
                                           "oracles.aws_requests.REQUESTS (nor NO_REQUEST with a reason)",
                                           resource.type))
        return result
    _Walker(request, resource, result).record(resource.inputs, "")
    return result


class _Walker:
    def __init__(self, request: Request, resource: RecordedResource, result: Analysis) -> None:
        self.request, self.resource, self.result = request, resource, result

    def record(self, inputs: dict[str, Any], prefix: str, parent: StructureShape | None = None) -> None:
        """Match each key of a recorded object to a member (by rename, else by name) and check its value."""
        quotas = DOCUMENTED.get(self.resource.type, {})
        for key, value in inputs.items():
            path = f"{prefix}{key}"
            where = path.replace("[]", "")
            if where in quotas:
                self._quota(value, quotas[where], where)
                continue
            target = self._target(where, key, parent)
            if target is not None:
                self.value(value, target, path)
            elif isinstance(value, dict) and any(r.startswith(f"{where}.") for r in self.request.renames):
                self.record(value, f"{path}.")
            elif isinstance(value, list) and value and all(isinstance(v, dict) for v in value) and any(
                    r.startswith(f"{where}.") for r in self.request.renames):
                for item in value:
                    self.record(item, f"{path}.")
            elif value is not None:
                self.result.unchecked.add(where)

    def _target(self, where: str, key: str, parent: StructureShape | None) -> tuple[str, Shape] | None:
        renamed = self.request.renames.get(where)
        if renamed is not None:
            found = resolve(self.request, renamed)
            assert found is not None, f"{self.resource.type}: rename {where} → {renamed} names no member"
            return renamed, found[1]
        if parent is None and "." not in where:
            found = resolve(self.request, key)
            if found is None and key == "tags":
                # EC2 tags the resource in the create request's TagSpecifications.
                found = resolve(self.request, "TagSpecifications.Tags")
            return (key, found[1]) if found is not None else None
        if parent is not None:
            member = _member(parent, key)
            if member is not None:
                return member[0], member[1]
        return None

    def value(self, value: Any, target: tuple[str, Shape], path: str) -> None:
        member, shape = target
        if value is None or (isinstance(value, str) and value in OPAQUE):
            return
        where = path.replace("[]", "")
        if isinstance(shape, StructureShape) and isinstance(value, dict):
            self.record(value, f"{path}.", shape)
            return
        if isinstance(shape, ListShape):
            inner = shape.member
            if isinstance(value, dict) and _is_tag(inner):
                self._count(len(value), shape, where, "tags")
                assert isinstance(inner, StructureShape)
                key_shape, value_shape = (next(s for n, s in inner.members.items() if n.lower() == k)
                                          for k in ("key", "value"))
                for k, v in value.items():
                    self.value(k, ("Key", key_shape), f"{path}.key")
                    self.value(v, ("Value", value_shape), f"{path}.value")
                return
            items = value if isinstance(value, list) else [value]
            if isinstance(value, list):
                self._count(len(value), shape, where, "items")
            for item in items:
                self.value(item, (member, inner), f"{path}[]")
            return
        if isinstance(shape, MapShape) and isinstance(value, dict):
            self._count(len(value), shape, where, "entries")
            for k, v in value.items():
                self.value(k, (member, shape.key), f"{path}.key")
                self.value(v, (member, shape.value), f"{path}.value")
            return
        if isinstance(value, list):
            # The provider sends each item of this list as its own member (hash and range keys, CIDR blocks …).
            for item in value:
                self.value(item, target, f"{path}[]")
            return
        if shape.type_name in ("integer", "long", "double", "float", "boolean") and isinstance(value, str):
            # The provider's schema types some numbers and flags as strings ("5", "true"); AWS gets the value.
            value = _parsed(value)
        if shape.type_name == "string" and isinstance(value, str):
            self._string(value, shape, where)
            return
        if shape.type_name in ("integer", "long", "double", "float") and isinstance(value, int | float) \
                and not isinstance(value, bool):
            self._number(value, shape, where)
            return
        if shape.type_name == "boolean" and isinstance(value, bool):
            self.result.checked.add(where)
            return
        # The provider converts this value (a boolean to an enum, a JSON document to a structure …).
        self.result.unchecked.add(where)

    def _add(self, code: str, where: str, message: str) -> None:
        self.result.findings.append(finding(ORACLE, code, self.resource, f"{where}: {message}", where))

    def _count(self, count: int, shape: Shape, where: str, what: str) -> None:
        self.result.checked.add(where)
        low, high = shape.metadata.get("min"), shape.metadata.get("max")
        if (low is not None and count < low) or (high is not None and count > high):
            self._add("count", where, f"{count} {what}; {self._op()} allows {_range(low, high)}")

    def _string(self, value: str, shape: Shape, where: str) -> None:
        self.result.checked.add(where)
        low, high = shape.metadata.get("min"), shape.metadata.get("max")
        if (low is not None and len(value) < low) or (high is not None and len(value) > high):
            self._add("length", where, f"{value!r} is {len(value)} characters; {self._op()} allows "
                      f"{_range(low, high)}")
        enum = getattr(shape, "enum", None)
        if enum and value not in enum:
            self._add("enum", where, f"{value!r} is not one of {', '.join(enum)}")
        pattern = shape.metadata.get("pattern")
        if pattern:
            regex = compiled(pattern)
            if regex is None:
                self.result.unreadable_patterns.add(pattern)
            elif not regex.fullmatch(value):
                self._add("pattern", where, f"{value!r} does not match {pattern}")

    def _number(self, value: float, shape: Shape, where: str) -> None:
        self.result.checked.add(where)
        low, high = shape.metadata.get("min"), shape.metadata.get("max")
        if (low is not None and value < low) or (high is not None and value > high):
            self._add("range", where, f"{value:g} is outside {_range(low, high)} ({self._op()})")

    def _quota(self, value: Any, quota: Quota, where: str) -> None:
        self.result.checked.add(where)
        if quota.pattern:
            if not isinstance(value, str) or value in OPAQUE:
                return
            if not quota.low <= len(value) <= quota.high:
                self._add("length", where, f"{value!r} is {len(value)} characters; AWS allows {quota.low}-"
                          f"{quota.high} ({quota.page})")
            if not re.fullmatch(quota.pattern, value):
                self._add("pattern", where, f"{value!r} does not match {quota.pattern} ({quota.page})")
            return
        number = _parsed(value) if isinstance(value, str) else value
        if isinstance(number, int | float) and not isinstance(number, bool) and not quota.low <= number <= quota.high:
            self._add("range", where, f"{number:g} is outside {quota.low}-{quota.high} ({quota.page})")

    def _op(self) -> str:
        return f"{self.request.service} {'/'.join(self.request.operations)}"


def _parsed(text: str) -> Any:
    if text in ("true", "false"):
        return text == "true"
    try:
        return float(text) if "." in text else int(text)
    except ValueError:
        return text


def _is_tag(shape: Shape) -> bool:
    return isinstance(shape, StructureShape) and {n.lower() for n in shape.members} == {"key", "value"}


def _range(low: Any, high: Any) -> str:
    if high is None:
        return f"at least {low}"
    if low is None:
        return f"at most {high}"
    return f"{low}-{high}"
