"""`cloudformationResources` (aws-native resources) and `$CfResourceParam`: inputs, order, attributes, errors."""

import importlib
import json
import re
from collections.abc import Callable
from pathlib import Path

import pytest

from stacktape_pulumi.aws.cloudformation import (
    attributes,
    aws_native_token,
    aws_native_version,
    find_attribute,
    input_name,
    resource_schema,
    to_inputs,
)
from stacktape_pulumi.engine import Recording
from stacktape_pulumi.engine.canned import short_hash

Preview = Callable[[str], Recording]
Errors = Callable[[str], list[str]]

ACCOUNT = "123456789012"
REGION = "us-east-1"
TAGS = {"stp:project-name": "stacktape", "stp:stack-name": "stacktape-dev", "stp:stage": "dev"}
# Under the stack component, like every part the stack shares.
PROVIDER_URN = "urn:pulumi:dev::stacktape::stacktape:index:Stack$pulumi:providers:aws-native::stacktape-dev-aws-native"
TOPIC = "aws-native:sns:Topic"

# The product page's iamRoleStatements example (multi-container-workloads.txt), re-indented. As in
# test_config_models, memory is 4096: the page's 2048 is refused by the reference itself for 2 vCPU.
PRODUCT_PAGE = """
    resources:
      myContainerWorkload:
        type: multi-container-workload
        properties:
          containers:
            - name: apiContainer
              packaging:
                type: stacktape-image-buildpack
                properties:
                  entryfilePath: server/index.ts
          iamRoleStatements:
            - Resource:
                - $CfResourceParam('NotificationTopic', 'Arn')
              Effect: 'Allow'
              Action:
                - 'sns:Publish'
          resources:
            cpu: 2
            memory: 4096
    cloudformationResources:
      NotificationTopic:
        Type: 'AWS::SNS::Topic'
    """


def test_product_page_example_grants_publish_on_the_topic(preview: Preview, tmp_path: Path) -> None:
    (tmp_path / "server").mkdir()
    (tmp_path / "server" / "index.ts").write_text("console.log('hi')\n")
    rec = preview(PRODUCT_PAGE)
    topic = rec.one(TOPIC, "NotificationTopic")
    assert topic.inputs == {}
    assert topic.parent == "urn:pulumi:dev::stacktape::stacktape:index:CloudformationResource::NotificationTopic"
    # aws-native names an unnamed topic after its logical name; the offline engine answers with its ARN.
    arn = f"arn:aws:sns:{REGION}:{ACCOUNT}:NotificationTopic-1a67948"
    policy = rec.one("aws:iam/rolePolicy:RolePolicy", "myContainerWorkload-custom-iam-role-statements")
    assert json.loads(policy.inputs["policy"])["Statement"] == [
        {"Effect": "Allow", "Action": ["sns:Publish"], "Resource": [arn]}]
    # The statement reads the topic's Output: the policy waits for the topic.
    assert topic.urn in policy.dependencies


CHILD_INPUTS = """
    resources:
      inbox:
        type: sqs-queue
    stackConfig:
      outputs:
        - name: alertsArn
          value: $CfResourceParam('Alerts', 'TopicArn')
    cloudformationResources:
      Alerts:
        Type: AWS::SNS::Topic
        DeletionPolicy: Retain
        Properties:
          TopicName: $Format('{}-alerts', $Stage())
          DisplayName: Alert Notifications
          FifoTopic: false
          Tags:
            - Key: team
              Value: ops
          DataProtectionPolicy:
            Name: keep-keys
            Version: '2021-06-01'
      InboxSubscription:
        Type: AWS::SNS::Subscription
        DependsOn: [Alerts, inbox]
        Properties:
          TopicArn: {Ref: Alerts}
          Protocol: sqs
          Endpoint: $ResourceParam('inbox', 'arn')
          Region: {Ref: 'AWS::Region'}
      AlertsPolicy:
        Type: AWS::SNS::TopicPolicy
        Properties:
          Topics: [{'Fn::GetAtt': [Alerts, TopicArn]}]
          PolicyDocument:
            Version: '2012-10-17'
            Statement:
              - Effect: Allow
                Principal: {Service: events.amazonaws.com}
                Action: sns:Publish
                Resource: $CfResourceParam('Alerts', 'Arn')
      Token:
        Type: AWS::SecretsManager::Secret
        Properties:
          SecretString: $Secret('upstream.token')
    """


def test_child_inputs_token_names_provider_and_version(preview: Preview) -> None:
    rec = preview(CHILD_INPUTS)
    topic_arn = f"arn:aws:sns:{REGION}:{ACCOUNT}:dev-alerts"
    queue_arn = f"arn:aws:sqs:{REGION}:{ACCOUNT}:stacktape-dev-inbox"
    topic = rec.one(TOPIC, "Alerts")
    # CloudFormation names in camelCase; nested schema objects too (tags), free-form JSON kept as written.
    assert topic.inputs == {"topicName": "dev-alerts", "displayName": "Alert Notifications", "fifoTopic": False,
                            "tags": [{"key": "team", "value": "ops"}],
                            "dataProtectionPolicy": {"Name": "keep-keys", "Version": "2021-06-01"}}
    assert topic.retain_on_delete is True
    children = [r for r in rec.resources if r.type.startswith("aws-native:")]
    assert sorted(r.name for r in children) == ["Alerts", "AlertsPolicy", "InboxSubscription", "Token"]
    for child in children:
        assert child.provider.startswith(PROVIDER_URN + "::")
        assert child.version == aws_native_version()
    provider = rec.one("pulumi:providers:aws-native")
    assert provider.inputs["region"] == REGION
    assert json.loads(provider.inputs["defaultTags"]) == {"tags": TAGS}

    subscription = rec.one("aws-native:sns:Subscription")
    # Ref of a topic is its Cloud Control identifier, its ARN.
    assert subscription.inputs == {"topicArn": topic_arn, "protocol": "sqs", "endpoint": queue_arn,
                                   "region": REGION}
    assert subscription.retain_on_delete is False
    assert topic.urn in subscription.dependencies
    assert "urn:pulumi:dev::stacktape::stacktape:index:SqsQueue$aws:sqs/queue:Queue::inbox-queue" in (
        subscription.dependencies)

    policy = rec.one("aws-native:sns:TopicPolicy")
    assert policy.inputs == {"topics": [topic_arn], "policyDocument": {
        "Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Service": "events.amazonaws.com"},
                                                "Action": "sns:Publish", "Resource": topic_arn}]}}
    assert topic.urn in policy.dependencies

    secret = rec.one("aws-native:secretsmanager:Secret")
    assert secret.inputs == {"secretString": "[secret]"}
    assert secret.secret_inputs == ["secretString"]
    assert rec.stack_outputs["alertsArn"] == topic_arn


def test_cloudformation_resources_are_created_in_reference_order(preview: Preview) -> None:
    rec = preview("""
        resources:
          inbox:
            type: sqs-queue
            properties:
              visibilityTimeoutSeconds: 30
        cloudformationResources:
          Second:
            Type: AWS::SNS::Subscription
            Properties:
              TopicArn: $CfResourceParam('First', 'TopicArn')
              Protocol: sqs
              Endpoint: $ResourceParam('inbox', 'arn')
          First:
            Type: AWS::SNS::Topic
        """)
    order = [r.name for r in rec.resources
             if r.type.startswith("stacktape:index:") and r.type != "stacktape:index:Stack"]
    assert order == ["inbox", "First", "Second"]


def test_attributes_of_a_type() -> None:
    topic = resource_schema("AWS::SNS::Topic")
    assert topic is not None
    assert [a.name for a in attributes(topic)] == ["Ref", "TopicArn"]
    arn = find_attribute(topic, "Arn")
    assert arn is not None
    assert (arn.name, arn.path) == ("TopicArn", ("topicArn",))
    folded = find_attribute(topic, "topicarn")
    assert folded is not None
    assert folded.name == "TopicArn"
    ref = find_attribute(topic, "Ref")
    assert ref is not None
    assert ref.path == ()
    database = resource_schema("AWS::RDS::DBInstance")
    assert database is not None
    address = find_attribute(database, "Endpoint.Address")
    assert address is not None
    assert address.path == ("endpoint", "address")
    # Two ...Arn attributes: `Arn` is ambiguous, so it names none.
    connector = resource_schema("AWS::Lambda::WebFunctionEndpoint")
    assert connector is not None
    assert find_attribute(connector, "Arn") is None


@pytest.mark.parametrize(("cfn", "native"), [
    ("TopicName", "topicName"), ("DBInstanceIdentifier", "dbInstanceIdentifier"), ("ConsoleURLs", "consoleUrls"),
    ("GraphQLApi", "graphQlApi"), ("DisableIMDSV1", "disableImdsv1"), ("Ipv6CidrBlock", "ipv6CidrBlock"),
    ("SSESpecification", "sseSpecification"), ("S3Config", "s3Config"), ("VPC", "vpc"),
])
def test_input_names(cfn: str, native: str) -> None:
    assert input_name(cfn) == native


def test_top_level_id_is_renamed_as_aws_native_does() -> None:
    assert input_name("Id", top_level=True) == "awsId"
    assert input_name("Id") == "id"


@pytest.mark.parametrize("type_name", ["AWS::SNS::Topic", "AWS::RDS::DBInstance", "AWS::AppSync::GraphQLApi",
                                       "AWS::AmazonMQ::Broker", "AWS::AppStream::Fleet", "AWS::EC2::VPC",
                                       "AWS::DynamoDB::Table", "AWS::Lambda::Function", "AWS::IAM::Role"])
def test_input_names_are_the_sdk_getters(type_name: str) -> None:
    """Every top-level property's name is one the installed aws-native SDK class reads (its getters)."""
    token = aws_native_token(type_name)
    assert token is not None
    _, module, name = token.split(":")
    package = importlib.import_module(f"pulumi_aws_native.{module}" + ("_" if module == "lambda" else ""))
    source = Path(importlib.import_module(getattr(package, name).__module__).__file__ or "").read_text()
    getters = set(re.findall(r'@pulumi\.getter\(name="(\w+)"\)', source))
    getters |= set(re.findall(r"@pulumi\.getter\n    def (\w+)\(", source))
    schema = resource_schema(type_name)
    assert schema is not None
    assert {input_name(key, top_level=True) for key in schema["properties"]} - getters == set()


def test_tokens() -> None:
    assert aws_native_token("AWS::SNS::Topic") == "aws-native:sns:Topic"
    assert aws_native_token("AWS::EC2::VPC") == "aws-native:ec2:Vpc"
    assert aws_native_token("AWS::RDS::DBInstance") == "aws-native:rds:DbInstance"
    assert aws_native_token("AWS::SNS::Nothing") is None


def test_to_inputs_follows_the_schema_into_lists_and_definitions() -> None:
    schema = resource_schema("AWS::DynamoDB::Table")
    assert schema is not None
    assert to_inputs(schema, {"KeySchema": [{"AttributeName": "id", "KeyType": "HASH"}],
                              "SSESpecification": {"SSEEnabled": True}}) == {
        "keySchema": [{"attributeName": "id", "keyType": "HASH"}], "sseSpecification": {"sseEnabled": True}}


def test_property_errors_are_located(config_errors: Errors) -> None:
    assert config_errors("""
        resources: {}
        cloudformationResources:
          Topic:
            Type: AWS::SNS::Topic
            Properties:
              TopicNam: x
              TopicArn: y
              FifoTopic: "yes"
              Tags:
                - Key: a
          Logs:
            Type: AWS::Logs::LogGroup
            Properties:
              LogGroupClass: STANDART
          Sub:
            Type: AWS::SNS::Subscription
            Properties:
              TopicArn: {Ref: Topic}
        """) == [
        "stacktape.yml:6:7: cloudformationResources.Topic.Properties.TopicNam: Unknown property 'TopicNam' of "
        "AWS::SNS::Topic; allowed: ArchivePolicy, ContentBasedDeduplication, DataProtectionPolicy, "
        "DeliveryStatusLogging, DisplayName, FifoThroughputScope, FifoTopic, KmsMasterKeyId, MaximumMessageSize, "
        "SignatureVersion, Subscription, Tags, TopicName, TracingConfig. (hint: did you mean 'TopicName'?)",
        "stacktape.yml:7:7: cloudformationResources.Topic.Properties.TopicArn: TopicArn of AWS::SNS::Topic is "
        "read-only: AWS sets it. (hint: remove it; read it with $CfResourceParam('<name>', 'TopicArn'))",
        "stacktape.yml:8:18: cloudformationResources.Topic.Properties.FifoTopic: FifoTopic of AWS::SNS::Topic must "
        "be boolean, got 'yes'.",
        "stacktape.yml:10:11: cloudformationResources.Topic.Properties.Tags[0]: Missing required property 'Value' "
        "of AWS::SNS::Topic Tags[0]. (hint: add Value under Tags[0])",
        "stacktape.yml:14:22: cloudformationResources.Logs.Properties.LogGroupClass: LogGroupClass of "
        "AWS::Logs::LogGroup must be one of STANDARD, INFREQUENT_ACCESS, DELIVERY, got 'STANDART'. (hint: did you "
        "mean 'STANDARD'?)",
        "stacktape.yml:18:7: cloudformationResources.Sub.Properties: Missing required property 'Protocol' of "
        "AWS::SNS::Subscription. (hint: add Protocol under Properties)",
    ]


def test_type_and_template_key_errors_are_located(config_errors: Errors) -> None:
    assert config_errors("""
        resources: {}
        cloudformationResources:
          Topic:
            Type: AWS::SNS::Topik
          Mesh:
            Type: AWS::AppMesh::Mesh
          Kept:
            Type: AWS::SNS::Topic
            DeletionPolicy: Snapshot
            Condition: IsProd
            Metadata: {a: 1}
            UpdateReplacePolicy: Retain
          bad-name:
            Type: AWS::SNS::Topic
        """) == [
        "stacktape.yml:9:21: cloudformationResources.Kept.DeletionPolicy: invalid value 'Snapshot'; allowed values: "
        "'Delete' or 'Retain'",
        "stacktape.yml:10:5: cloudformationResources.Kept.Condition: 'Condition' of a CloudFormation resource is not "
        "supported yet (hint: remove it: stacktape-pulumi has no template conditions)",
        "stacktape.yml:11:5: cloudformationResources.Kept.Metadata: 'Metadata' of a CloudFormation resource is not "
        "supported yet (hint: remove it: Cloud Control has no template metadata)",
        "stacktape.yml:12:5: cloudformationResources.Kept.UpdateReplacePolicy: 'UpdateReplacePolicy' of a "
        "CloudFormation resource is not supported yet (hint: remove it: a replaced resource is deleted "
        "(DeletionPolicy: Retain keeps it))",
        "stacktape.yml:13:3: cloudformationResources.bad-name: CloudFormation logical name \"bad-name\" is not "
        "valid: it must be alphanumeric. (hint: use only letters and digits, e.g. NotificationTopic)",
    ]
    assert config_errors("""
        resources: {}
        cloudformationResources:
          Topic:
            Type: AWS::SNS::Topik
          Mesh:
            Type: AWS::AppMesh::Mesh
          Hook:
            Type: Custom::Seeder
          Sam:
            Type: AWS::Serverless::Function
        """) == [
        "stacktape.yml:4:11: cloudformationResources.Topic.Type: Unknown CloudFormation resource type "
        "'AWS::SNS::Topik'. (hint: did you mean 'AWS::SNS::Topic'?)",
        "stacktape.yml:6:11: cloudformationResources.Mesh.Type: CloudFormation type 'AWS::AppMesh::Mesh' is not "
        "supported yet: Pulumi's aws-native provider (Cloud Control) cannot create it. (hint: declare it with "
        "pulumi_aws in your Pulumi program)",
        "stacktape.yml:8:11: cloudformationResources.Hook.Type: CloudFormation type 'Custom::Seeder' is not "
        "supported yet: Pulumi's aws-native provider (Cloud Control) cannot create custom resources. (hint: build "
        "it with a resource of this config or pulumi_aws in your Pulumi program)",
        "stacktape.yml:10:11: cloudformationResources.Sam.Type: CloudFormation type 'AWS::Serverless::Function' is "
        "not supported yet: Pulumi's aws-native provider (Cloud Control) cannot create SAM types (a template "
        "transform). (hint: build it with a resource of this config or pulumi_aws in your Pulumi program)",
    ]


def test_reference_errors_are_located(config_errors: Errors, tmp_path: Path) -> None:
    (tmp_path / "handler.py").write_text("def handler(event, context):\n    return None\n")
    assert config_errors("""
        resources:
          api:
            type: function
            properties:
              packaging:
                type: stacktape-lambda-buildpack
                properties:
                  entryfilePath: handler.py
              environment:
                - name: TOPIC_A
                  value: $CfResourceParam('Topc', 'Arn')
                - name: TOPIC_B
                  value: $CfResourceParam('Topic', 'Nope')
                - name: TOPIC_C
                  value: $CfResourceParam('api', 'arn')
                - name: TOPIC_D
                  value: $CfResourceParam('StpApiLambdaFunction', 'Arn')
        cloudformationResources:
          Topic:
            Type: AWS::SNS::Topic
            DependsOn: [Missing, Topic]
            Properties:
              DisplayName: {Ref: 'AWS::StackName'}
              KmsMasterKeyId: {'Fn::Sub': 'alias/${AWS::Region}'}
              TopicName: {'Fn::GetAtt': Topic}
        """) == [
        "stacktape.yml:11:18: resources.api.properties.environment[0].value: $CfResourceParam: 'Topc' names no "
        "cloudformationResource of this config. (hint: did you mean 'Topic'?)",
        "stacktape.yml:13:18: resources.api.properties.environment[1].value: $CfResourceParam: AWS::SNS::Topic "
        "'Topic' has no attribute 'Nope'; attributes: Ref, TopicArn.",
        "stacktape.yml:15:18: resources.api.properties.environment[2].value: $CfResourceParam reads "
        "cloudformationResources; 'api' is a resource of this config. (hint: use $ResourceParam('api', "
        "'<parameter>'))",
        "stacktape.yml:17:18: resources.api.properties.environment[3].value: $CfResourceParam: "
        "'StpApiLambdaFunction' names no cloudformationResource of this config. (hint: declare it under "
        "cloudformationResources; the AWS resources stacktape-pulumi creates for `resources` have no "
        "CloudFormation logical names: read their values with $ResourceParam)",
        "stacktape.yml:21:17: cloudformationResources.Topic.DependsOn[0]: DependsOn 'Missing' names no "
        "cloudformationResource or resource of this config. (hint: cloudformationResources: Topic; resources: api)",
        "stacktape.yml:21:26: cloudformationResources.Topic.DependsOn[1]: CloudFormation resource Topic cannot "
        "depend on itself.",
        "stacktape.yml:23:26: cloudformationResources.Topic.Properties.DisplayName.Ref: Ref to pseudo parameter "
        "AWS::StackName is not supported yet; supported: AWS::AccountId, AWS::Partition, AWS::Region, "
        "AWS::URLSuffix.",
        "stacktape.yml:24:35: cloudformationResources.Topic.Properties.KmsMasterKeyId.Fn::Sub: Intrinsic function "
        "Fn::Sub is not supported yet; supported: Ref, Fn::GetAtt (to other cloudformationResources) and "
        "stacktape directives. (hint: use $CfFormat('...{}...', $CfResourceParam('<name>', '<attribute>')))",
        "stacktape.yml:25:33: cloudformationResources.Topic.Properties.TopicName.Fn::GetAtt: Fn::GetAtt takes "
        "[logicalName, attribute] or 'logicalName.attribute', got 'Topic'.",
    ]


def test_a_cycle_through_cloudformation_resources_is_located(config_errors: Errors, tmp_path: Path) -> None:
    (tmp_path / "handler.py").write_text("def handler(event, context):\n    return None\n")
    assert config_errors("""
        resources:
          api:
            type: function
            properties:
              packaging:
                type: stacktape-lambda-buildpack
                properties:
                  entryfilePath: handler.py
              environment:
                - name: TOPIC_ARN
                  value: $CfResourceParam('Topic', 'TopicArn')
        cloudformationResources:
          Topic:
            Type: AWS::SNS::Topic
            DependsOn: api
        """) == [
        "stacktape.yml:11:18: resources.api.properties.environment[0].value: reference cycle: api → "
        "cloudformationResources.Topic → api (hint: break the cycle: one of these resources must not need the "
        "other)",
    ]


def test_schema_patterns_python_cannot_compile_do_not_break_validation(config_errors: Errors) -> None:
    # AWS::ApplicationAutoScaling::ScalingPolicy's PolicyName pattern uses Java's \p{Print}.
    assert config_errors("""
        resources: {}
        cloudformationResources:
          Policy:
            Type: AWS::ApplicationAutoScaling::ScalingPolicy
            Properties:
              PolicyName: scale-out
              PolicyType: TargetTrackingScaling
              ScalingTargetId: target
              Unknown: 1
        """) == [
        "stacktape.yml:9:7: cloudformationResources.Policy.Properties.Unknown: Unknown property 'Unknown' of "
        "AWS::ApplicationAutoScaling::ScalingPolicy; allowed: PolicyName, PolicyType, "
        "PredictiveScalingPolicyConfiguration, ResourceId, ScalableDimension, "
        "ScalingTargetId, ServiceNamespace, StepScalingPolicyConfiguration, "
        "TargetTrackingScalingPolicyConfiguration.",
    ]


def test_nested_attributes_and_formats_read_the_resource_outputs(preview: Preview) -> None:
    rec = preview("""
        resources: {}
        stackConfig:
          outputs:
            - name: dbAddress
              value: $CfResourceParam('Db', 'Endpoint.Address')
            - name: dbUrl
              value: $CfFormat('postgres://{}:{}/app', $CfResourceParam('Db', 'Endpoint.Address'),
                               $CfResourceParam('Db', 'endpoint.port'))
            - name: dbId
              value: $CfResourceParam('Db', 'Ref')
        cloudformationResources:
          Db:
            Type: AWS::RDS::DBInstance
            Properties:
              DBInstanceIdentifier: app-db
              DBInstanceClass: db.t4g.micro
              Engine: postgres
              AllocatedStorage: '20'
        """)
    database = rec.one("aws-native:rds:DbInstance")
    assert database.inputs == {"dbInstanceIdentifier": "app-db", "dbInstanceClass": "db.t4g.micro",
                               "engine": "postgres", "allocatedStorage": "20"}
    # The offline engine's answer: a read-only string attribute is `<name>-<hash of the URN>` (the schema
    # types RDS's Endpoint.Port as a string too).
    suffix = short_hash(database.urn, length=17)
    assert rec.stack_outputs["dbAddress"] == f"address-{suffix}"
    assert rec.stack_outputs["dbUrl"] == f"postgres://address-{suffix}:port-{suffix}/app"
    # Ref is the Cloud Control identifier: the DB instance's primaryIdentifier, DBInstanceIdentifier.
    assert rec.stack_outputs["dbId"] == "app-db"


def test_resource_params_inside_properties_are_checked(config_errors: Errors) -> None:
    assert config_errors("""
        resources:
          inbox:
            type: sqs-queue
        cloudformationResources:
          Subscription:
            Type: AWS::SNS::Subscription
            Properties:
              TopicArn: arn:aws:sns:us-east-1:123456789012:alerts
              Protocol: sqs
              Endpoint: $ResourceParam('inbox', 'Arn')
          Other:
            Type: AWS::SNS::Subscription
            Properties:
              TopicArn: arn:aws:sns:us-east-1:123456789012:alerts
              Protocol: sqs
              Endpoint: $ResourceParam('outbox', 'arn')
        """) == [
        "stacktape.yml:10:17: cloudformationResources.Subscription.Properties.Endpoint: resource 'inbox' "
        "(sqs-queue) has no param 'Arn'; its params: arn, url, name (hint: did you mean 'arn'?)",
        "stacktape.yml:16:17: cloudformationResources.Other.Properties.Endpoint: Referenced resource with name "
        "outbox could not be resolved in the config (referenced from cloudformationResources.Other). (hint: "
        "resources: inbox)",
    ]
