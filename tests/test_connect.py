"""connectTo: `STP_*` names, and the exact policy and variables every target type grants a workload and a function."""

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pulumi
import pytest
from parliament import analyze_policy_string

from stacktape_pulumi.checks.connect_targets import NOT_CONNECTABLE_TYPES, env_var_name, injected_names, split_words
from stacktape_pulumi.components import connect
from stacktape_pulumi.components.bucket import Bucket
from stacktape_pulumi.components.connect import resolve_connections
from stacktape_pulumi.components.context import StackContext
from stacktape_pulumi.components.workload import MultiContainerWorkload
from stacktape_pulumi.engine import Recording, run_offline
from stacktape_pulumi.errors import StacktapeError
from stacktape_pulumi.load import load_config
from tests.naming_support import bucket as offline_bucket
from tests.naming_support import table as offline_table

ACCOUNT = "123456789012"
REGION = "us-east-1"
PHOTOS = offline_bucket("photosBucket")
PHOTOS_ARN = f"arn:aws:s3:::{PHOTOS}"
TABLE_ARN = f"arn:aws:dynamodb:{REGION}:{ACCOUNT}:table/{offline_table('usersTable')}"
STREAM_ARN = f"{TABLE_ARN}/stream/2026-01-01T00:00:00.000"
QUEUE_ARN = f"arn:aws:sqs:{REGION}:{ACCOUNT}:stacktape-dev-jobQueue"
QUEUE_URL = f"https://sqs.{REGION}.amazonaws.com/{ACCOUNT}/stacktape-dev-jobQueue"
TOPIC_ARN = f"arn:aws:sns:{REGION}:{ACCOUNT}:stacktape-dev-notifications"
BUS_ARN = f"arn:aws:events:{REGION}:{ACCOUNT}:event-bus/stacktape-dev-myEventBus"
ARCHIVE_ARN = f"arn:aws:cloudwatch:{REGION}:{ACCOUNT}:eventarchive/stacktape-dev-myEventBus"
WORKER_ARN = f"arn:aws:lambda:{REGION}:{ACCOUNT}:function:stacktape-dev-worker"
WORKER_LOGS_ARN = f"arn:aws:logs:{REGION}:{ACCOUNT}:log-group:/aws/lambda/stacktape-dev-worker"

Preview = Callable[[str], Recording]


# ---- names ------------------------------------------------------------------------------

@pytest.mark.parametrize(("resource", "param", "expected"), [
    # The reference's examples.
    ("myDatabase", "connectionString", "STP_MY_DATABASE_CONNECTION_STRING"),
    ("myEventBus", "arn", "STP_MY_EVENT_BUS_ARN"),
    ("db", "readReplica0Port", "STP_DB_READ_REPLICA0_PORT"),
    ("apiV2", "url", "STP_API_V2_URL"),
    ("myAPIKey", "arn", "STP_MY_API_KEY_ARN"),
    ("svc.containerWorkload", "address", "STP_SVC_CONTAINER_WORKLOAD_ADDRESS"),
    # Digits stay attached to the word before them; a capital after a digit starts a word.
    ("bucket2", "name", "STP_BUCKET2_NAME"),
    ("s3Bucket", "arn", "STP_S3_BUCKET_ARN"),
    ("v2Api", "url", "STP_V2_API_URL"),
    ("table1Backup", "streamArn", "STP_TABLE1_BACKUP_STREAM_ARN"),
    ("2fa", "arn", "STP_2FA_ARN"),
    ("myAPI2Key", "arn", "STP_MY_API2_KEY_ARN"),
    # Acronyms: a run of capitals ends before the capital that starts a lower-case word.
    ("DBTable", "name", "STP_DB_TABLE_NAME"),
    ("HTTPServer", "logGroupArn", "STP_HTTP_SERVER_LOG_GROUP_ARN"),
    ("API", "url", "STP_API_URL"),
    ("ABCDef", "arn", "STP_ABC_DEF_ARN"),
    # Dots (nested names, anywhere) and other separators split like underscores; runs collapse.
    ("a.b.c", "arn", "STP_A_B_C_ARN"),
    ("web..api", "url", "STP_WEB_API_URL"),
    ("photos-bucket", "name", "STP_PHOTOS_BUCKET_NAME"),
    ("already_snake", "archiveArn", "STP_ALREADY_SNAKE_ARCHIVE_ARN"),
    ("photos", "arn", "STP_PHOTOS_ARN"),
])
def test_env_var_name(resource: str, param: str, expected: str) -> None:
    assert env_var_name(resource, param) == expected


@pytest.mark.parametrize(("text", "words"), [
    ("", []),
    ("readReplica0Port", ["read", "Replica0", "Port"]),
    ("myAPIKey", ["my", "API", "Key"]),
    ("XMLHttpRequest2", ["XML", "Http", "Request2"]),
    ("  lead..trail__", ["lead", "trail"]),
    ("ÄpfelBäume", ["Äpfel", "Bäume"]),
])
def test_split_words(text: str, words: list[str]) -> None:
    assert split_words(text) == words


# ---- every target type, for a workload and for a function --------------------------------

TARGETS = """
resources:
  photosBucket:
    type: bucket
  usersTable:
    type: dynamo-db-table
    properties:
      primaryKey: {partitionKey: {name: id, type: string}}
      streamType: NEW_AND_OLD_IMAGES
  jobQueue:
    type: sqs-queue
  notifications:
    type: sns-topic
  myEventBus:
    type: event-bus
    properties:
      archivation: {enabled: true}
  worker:
    type: function
    properties:
      packaging:
        type: custom-artifact
        properties: {packagePath: handler.py, handler: 'handler.py:handler'}
      runtime: python3.12
  api:
    type: multi-container-workload
    properties:
      resources: {cpu: 0.25, memory: 512}
      containers:
        - name: web
          packaging: {type: prebuilt-image, properties: {image: 'nginx:1.27'}}
"""
CONNECT_TO = "[photosBucket, usersTable, jobQueue, notifications, myEventBus, worker, api, aws:ses]"
SOURCES = f"""
  app:
    type: multi-container-workload
    properties:
      resources: {{cpu: 0.25, memory: 512}}
      connectTo: {CONNECT_TO}
      containers:
        - name: web
          packaging: {{type: prebuilt-image, properties: {{image: 'nginx:1.27'}}}}
          environment:
            - {{name: PORT, value: 8080}}
        - name: sidecar
          packaging: {{type: prebuilt-image, properties: {{image: 'busybox:1'}}}}
  fn:
    type: function
    properties:
      packaging:
        type: custom-artifact
        properties: {{packagePath: handler.py, handler: 'handler.py:handler'}}
      runtime: python3.12
      environment:
        - {{name: MODE, value: fast}}
      connectTo: {CONNECT_TO}
"""


def allow(actions: list[str], resources: list[str]) -> dict[str, Any]:
    return {"Effect": "Allow", "Action": actions, "Resource": resources}


def expected_statements(service_arn: str) -> list[dict[str, Any]]:
    return [
        allow(["s3:GetBucketLocation", "s3:ListBucket"], [PHOTOS_ARN]),
        allow(["s3:AbortMultipartUpload", "s3:DeleteObject", "s3:DeleteObjectTagging", "s3:GetObject",
               "s3:GetObjectTagging", "s3:ListMultipartUploadParts", "s3:PutObject", "s3:PutObjectTagging"],
              [f"{PHOTOS_ARN}/*"]),
        allow(["dynamodb:BatchGetItem", "dynamodb:BatchWriteItem", "dynamodb:ConditionCheckItem",
               "dynamodb:DeleteItem", "dynamodb:DescribeTable", "dynamodb:GetItem", "dynamodb:PutItem",
               "dynamodb:Query", "dynamodb:Scan", "dynamodb:UpdateItem"], [TABLE_ARN]),
        allow(["dynamodb:Query", "dynamodb:Scan"], [f"{TABLE_ARN}/index/*"]),
        allow(["dynamodb:DescribeStream"], [f"{TABLE_ARN}/stream/*"]),
        allow(["sqs:ChangeMessageVisibility", "sqs:DeleteMessage", "sqs:GetQueueAttributes", "sqs:GetQueueUrl",
               "sqs:PurgeQueue", "sqs:ReceiveMessage", "sqs:SendMessage"], [QUEUE_ARN]),
        allow(["sns:ConfirmSubscription", "sns:GetTopicAttributes", "sns:ListSubscriptionsByTopic", "sns:Publish",
               "sns:Subscribe"], [TOPIC_ARN]),
        allow(["events:PutEvents"], [BUS_ARN]),
        allow(["lambda:InvokeFunction"], [WORKER_ARN]),
        allow(["ecs:DescribeServices", "ecs:UpdateService"], [service_arn]),
        allow(["ses:SendBulkTemplatedEmail", "ses:SendEmail", "ses:SendRawEmail", "ses:SendTemplatedEmail"],
              [f"arn:aws:ses:{REGION}:{ACCOUNT}:identity/*", f"arn:aws:ses:{REGION}:{ACCOUNT}:configuration-set/*",
               f"arn:aws:ses:{REGION}:{ACCOUNT}:template/*"]),
    ]


INJECTED = {
    "STP_PHOTOS_BUCKET_NAME": PHOTOS,
    "STP_PHOTOS_BUCKET_ARN": PHOTOS_ARN,
    "STP_USERS_TABLE_NAME": offline_table("usersTable"),
    "STP_USERS_TABLE_ARN": TABLE_ARN,
    "STP_USERS_TABLE_STREAM_ARN": STREAM_ARN,
    "STP_JOB_QUEUE_ARN": QUEUE_ARN,
    "STP_JOB_QUEUE_URL": QUEUE_URL,
    "STP_JOB_QUEUE_NAME": "stacktape-dev-jobQueue",
    "STP_NOTIFICATIONS_ARN": TOPIC_ARN,
    "STP_NOTIFICATIONS_NAME": "stacktape-dev-notifications",
    "STP_MY_EVENT_BUS_ARN": BUS_ARN,
    "STP_MY_EVENT_BUS_ARCHIVE_ARN": ARCHIVE_ARN,
    "STP_WORKER_ARN": WORKER_ARN,
    "STP_WORKER_LOG_GROUP_ARN": WORKER_LOGS_ARN,
}


@pytest.fixture
def connected(preview: Preview, tmp_path: Path) -> Recording:
    (tmp_path / "handler.py").write_text("def handler(event, context):\n    return None\n")
    return preview(TARGETS + SOURCES)


def connect_policy(rec: Recording, owner: str) -> dict[str, Any]:
    policy = rec.one("aws:iam/rolePolicy:RolePolicy", f"{owner}-custom-allow-access-to-policy-statements")
    assert policy.inputs["name"] == "custom-allow-access-to-policy-statements"
    document: dict[str, Any] = json.loads(policy.inputs["policy"])
    return document


def test_workload_gets_exact_statements_for_every_target_type(connected: Recording) -> None:
    service_arn = connected.stack_outputs["api"]["serviceArn"]
    assert service_arn.startswith(f"arn:aws:ecs:{REGION}:{ACCOUNT}:service/stacktape-dev-api-cluster/api-service-")
    policy = connected.one("aws:iam/rolePolicy:RolePolicy", "app-custom-allow-access-to-policy-statements")
    assert policy.inputs["role"] == "stacktape-dev-app-us-east-1"
    assert connect_policy(connected, "app") == {"Version": "2012-10-17",
                                                "Statement": expected_statements(service_arn)}


def test_function_gets_the_same_statements(connected: Recording) -> None:
    service_arn = connected.stack_outputs["api"]["serviceArn"]
    policy = connected.one("aws:iam/rolePolicy:RolePolicy", "fn-custom-allow-access-to-policy-statements")
    assert policy.inputs["role"] == "stacktape-dev-fn-us-east-1"
    assert connect_policy(connected, "fn") == {"Version": "2012-10-17", "Statement": expected_statements(service_arn)}


def test_every_container_of_the_workload_gets_the_variables(connected: Recording) -> None:
    task = connected.one("aws:ecs/taskDefinition:TaskDefinition", "app-task-definition")
    web, sidecar = json.loads(task.inputs["containerDefinitions"])
    injected = [{"name": name, "value": value} for name, value in INJECTED.items()]
    assert web["environment"] == [{"name": "PORT", "value": "8080"}, *injected]
    assert sidecar["environment"] == injected


def test_function_gets_the_variables(connected: Recording) -> None:
    function = connected.one("aws:lambda/function:Function", "fn-function")
    assert function.inputs["environment"] == {"variables": {"MODE": "fast", **INJECTED}}


def test_workload_target_injects_nothing_and_targets_without_connectto_get_no_policy(connected: Recording) -> None:
    assert not any(name.startswith("STP_API_") for name in INJECTED)
    policies = {r.name for r in connected.by_type("aws:iam/rolePolicy:RolePolicy")}
    assert {"api-custom-allow-access-to-policy-statements",
            "worker-custom-allow-access-to-policy-statements"}.isdisjoint(policies)


def test_parliament_finds_nothing_in_the_connect_policies(connected: Recording) -> None:
    for owner in ("app", "fn"):
        text = connected.one("aws:iam/rolePolicy:RolePolicy", f"{owner}-custom-allow-access-to-policy-statements")
        assert analyze_policy_string(text.inputs["policy"]).findings == []


def test_validation_predicts_exactly_the_injected_names(tmp_path: Path) -> None:
    (tmp_path / "handler.py").write_text("def handler(event, context):\n    return None\n")
    path = tmp_path / "stacktape.yml"
    path.write_text(TARGETS + SOURCES)
    config = load_config(path).config
    predicted = [name for target in CONNECT_TO.strip("[]").split(", ") if target in config.resources
                 for name in injected_names(target, config.resources[target])]
    assert predicted == list(INJECTED)


def test_conditional_params_are_injected_only_when_registered(preview: Preview) -> None:
    rec = preview("""
        resources:
          plain:
            type: dynamo-db-table
            properties:
              primaryKey: {partitionKey: {name: id, type: number}}
          bus:
            type: event-bus
          app:
            type: multi-container-workload
            properties:
              resources: {cpu: 0.25, memory: 512}
              connectTo: [plain, bus]
              containers:
                - name: web
                  packaging: {type: prebuilt-image, properties: {image: 'nginx:1.27'}}
        """)
    (web,) = json.loads(rec.one("aws:ecs/taskDefinition:TaskDefinition").inputs["containerDefinitions"])
    assert [var["name"] for var in web["environment"]] == ["STP_PLAIN_NAME", "STP_PLAIN_ARN", "STP_BUS_ARN"]
    statements = connect_policy(rec, "app")["Statement"]
    assert [s["Resource"] for s in statements] == [
        [f"arn:aws:dynamodb:{REGION}:{ACCOUNT}:table/{offline_table('plain')}"],
        [f"arn:aws:dynamodb:{REGION}:{ACCOUNT}:table/{offline_table('plain')}/index/*"],
        [f"arn:aws:events:{REGION}:{ACCOUNT}:event-bus/stacktape-dev-bus"],
    ]


# ---- the seed page's examples -------------------------------------------------------------

def test_connect_to_example_previews_with_exact_policies() -> None:
    loaded = load_config(Path(__file__).resolve().parent.parent / "programs" / "examples" / "connect-to.yml")
    from stacktape_pulumi.engine.preview import preview_config

    rec = preview_config(loaded)
    bucket = offline_bucket("photosBucket")
    assert connect_policy(rec, "myContainerWorkload")["Statement"] == [
        allow(["s3:GetBucketLocation", "s3:ListBucket"], [f"arn:aws:s3:::{bucket}"]),
        allow(["s3:AbortMultipartUpload", "s3:DeleteObject", "s3:DeleteObjectTagging", "s3:GetObject",
               "s3:GetObjectTagging", "s3:ListMultipartUploadParts", "s3:PutObject", "s3:PutObjectTagging"],
              [f"arn:aws:s3:::{bucket}/*"]),
        allow(["ses:SendBulkTemplatedEmail", "ses:SendEmail", "ses:SendRawEmail", "ses:SendTemplatedEmail"],
              [f"arn:aws:ses:{REGION}:{ACCOUNT}:identity/*", f"arn:aws:ses:{REGION}:{ACCOUNT}:configuration-set/*",
               f"arn:aws:ses:{REGION}:{ACCOUNT}:template/*"]),
    ]
    custom = rec.one("aws:iam/rolePolicy:RolePolicy", "notifierWorkload-custom-iam-role-statements")
    assert json.loads(custom.inputs["policy"])["Statement"] == [
        allow(["sns:Publish"], [f"arn:aws:sns:{REGION}:{ACCOUNT}:stacktape-dev-notificationTopic"])]
    for name in ("myContainerWorkload-custom-allow-access-to-policy-statements",
                 "notifierWorkload-custom-iam-role-statements"):
        policy = rec.one("aws:iam/rolePolicy:RolePolicy", name).inputs["policy"]
        assert analyze_policy_string(policy).findings == []
    task = rec.one("aws:ecs/taskDefinition:TaskDefinition", "myContainerWorkload-task-definition")
    (container,) = json.loads(task.inputs["containerDefinitions"])
    assert container["environment"] == [{"name": "STP_PHOTOS_BUCKET_NAME", "value": bucket},
                                        {"name": "STP_PHOTOS_BUCKET_ARN", "value": f"arn:aws:s3:::{bucket}"}]
    assert not rec.by_type("aws:iam/rolePolicy:RolePolicy") or not any(
        r.name == "notifierWorkload-custom-allow-access-to-policy-statements"
        for r in rec.by_type("aws:iam/rolePolicy:RolePolicy"))


# ---- validation ----------------------------------------------------------------------------

def test_user_variable_named_like_an_injected_one_is_a_located_error(config_errors: Callable[[str], list[str]]
                                                                     ) -> None:
    assert config_errors("""
        resources:
          jobQueue:
            type: sqs-queue
          app:
            type: multi-container-workload
            properties:
              resources: {cpu: 0.25, memory: 512}
              connectTo: [jobQueue, aws:ses]
              containers:
                - name: web
                  packaging: {type: prebuilt-image, properties: {image: 'nginx:1.27'}}
                  environment:
                    - {name: STP_JOB_QUEUE_URL, value: mine}
                    - {name: STP_JOB_QUEUE_STREAM_ARN, value: not-injected}
        """) == [
        "stacktape.yml:13:22: resources.app.properties.containers[0].environment[0].name: environment variable "
        "'STP_JOB_QUEUE_URL' has the same name as a variable injected by connectTo 'jobQueue' (hint: connectTo "
        "sets STP_JOB_QUEUE_URL itself; rename or remove this variable)",
    ]


def test_gateways_and_load_balancers_cannot_be_connected_to(config_errors: Callable[[str], list[str]]) -> None:
    assert config_errors("""
        resources:
          gw:
            type: http-api-gateway
          app:
            type: multi-container-workload
            properties:
              resources: {cpu: 0.25, memory: 512}
              connectTo: [gw]
              containers:
                - name: web
                  packaging: {type: prebuilt-image, properties: {image: 'nginx:1.27'}}
        """) == [
        "stacktape.yml:8:19: resources.app.properties.connectTo[0]: Error in resource app. ConnectTo section "
        "contains resource \"gw\" of type \"http-api-gateway\". Resource type \"http-api-gateway\" cannot be scoped "
        "by connectTo. (hint: connectTo grants access to functions, workloads and data resources; route traffic "
        "with events instead)",
    ]


# ---- the Python door -----------------------------------------------------------------------

class HttpApiGateway(pulumi.ComponentResource):
    """Stands in for the real gateway: components/connect.py recognizes components by class name."""

    def __init__(self, name: str) -> None:
        super().__init__("test:index:HttpApiGateway", name)


def test_python_door_replaces_same_named_variables_and_rejects_gateways() -> None:
    def program() -> None:
        ctx = StackContext()
        Bucket("photos", {}, context=ctx)
        MultiContainerWorkload("app", {
            "resources": {"cpu": 0.25, "memory": 512},
            "connect_to": ["photos"],
            "containers": [{"name": "web", "packaging": {"type": "prebuilt-image",
                                                         "properties": {"image": "nginx:1.27"}},
                            "environment": [{"name": "STP_PHOTOS_ARN", "value": "user"},
                                            {"name": "KEEP", "value": "x"}]}],
        }, context=ctx)
        ctx.register_component("gw", HttpApiGateway("gw"), {})
        with pytest.raises(StacktapeError) as error:
            resolve_connections(ctx, ["gw"], owner="app")
        assert str(error.value) == (
            "Error in resource app. ConnectTo section contains resource \"gw\" of type \"http-api-gateway\". "
            "Resource type \"http-api-gateway\" cannot be scoped by connectTo.")
        with pytest.raises(StacktapeError, match="must be created before"):
            resolve_connections(ctx, ["later"], owner="app")

    rec = run_offline(program)
    (web,) = json.loads(rec.one("aws:ecs/taskDefinition:TaskDefinition").inputs["containerDefinitions"])
    bucket = offline_bucket("photos")
    assert web["environment"] == [{"name": "KEEP", "value": "x"},
                                  {"name": "STP_PHOTOS_NAME", "value": bucket},
                                  {"name": "STP_PHOTOS_ARN", "value": f"arn:aws:s3:::{bucket}"}]


def test_duplicate_targets_grant_once() -> None:
    statements = connect.bucket_statements({"arn": "arn:aws:s3:::b"}, "b")
    assert statements == [allow(["s3:GetBucketLocation", "s3:ListBucket"], ["arn:aws:s3:::b"]),
                          allow(list(connect.OBJECT_ACTIONS), ["arn:aws:s3:::b/*"])]

    def program() -> None:
        ctx = StackContext()
        Bucket("b", {}, context=ctx)
        assert len(resolve_connections(ctx, ["b", "b", "aws:ses", "aws:ses"]).statements) == 3

    run_offline(program)


def test_the_checks_and_the_wiring_agree_on_what_connectTo_cannot_scope() -> None:
    # validate reads checks.connect_targets; components/connect.py grants no statements to the same types.
    unscoped = tuple(kind.resource_type for kind in connect.TARGET_KINDS.values() if kind.statements is None)
    assert unscoped == NOT_CONNECTABLE_TYPES
