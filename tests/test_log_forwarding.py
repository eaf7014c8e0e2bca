"""`logging.logForwarding`: exact children through the offline engine, located errors, the Python door."""

import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pulumi
import pytest

from stacktape_pulumi.args import LogForwardingType
from stacktape_pulumi.components.http_api_gateway import HttpApiGateway
from stacktape_pulumi.components.log_forwarding import DATADOG_URL, Delivery, delivery, endpoint_name
from stacktape_pulumi.components.services import WebService
from stacktape_pulumi.config.models.shared import DatadogLogForwardingProps
from stacktape_pulumi.engine import Recording, run_offline
from stacktape_pulumi.engine.canned import CannedWorld
from stacktape_pulumi.engine.preview import preview_config
from stacktape_pulumi.errors import StacktapeError
from stacktape_pulumi.load import load_config
from tests.lambda_support import write
from tests.naming_support import log_backup_bucket

ACCOUNT = "123456789012"
TAGS = {"stp:project-name": "stacktape", "stp:stack-name": "stacktape-dev", "stp:stage": "dev"}
STREAM = "aws:kinesis/firehoseDeliveryStream:FirehoseDeliveryStream"
FILTER = "aws:cloudwatch/logSubscriptionFilter:LogSubscriptionFilter"
ROLE = "aws:iam/role:Role"
POLICY = "aws:iam/rolePolicy:RolePolicy"
BUCKET = log_backup_bucket("api", "MultiContainerWorkload")
BUCKET_ARN = f"arn:aws:s3:::{BUCKET}"
FIREHOSE_ROLE_ARN = f"arn:aws:iam::{ACCOUNT}:role/stacktape-dev-api-logs-firehose-us-east-1"

Preview = Callable[[str], Recording]
Errors = Callable[[str], list[str]]

WORKLOAD = """
resources:
  api:
    type: multi-container-workload
    properties:
      resources: {cpu: 0.25, memory: 512}
      containers:
        - name: app
          packaging: {type: prebuilt-image, properties: {image: nginx}}
          logging:
            logForwarding:
              type: http-endpoint
              properties:
                endpointUrl: https://logs.example.com/in
                gzipEncodingEnabled: true
                parameters: {env: prod, team: "$Stage()"}
                retryDuration: 120
        - name: side
          packaging: {type: prebuilt-image, properties: {image: nginx}}
          logging:
            logForwarding: {type: highlight, properties: {projectId: ab12}}
        - name: quiet
          packaging: {type: prebuilt-image, properties: {image: nginx}}
"""


def policy(rec: Recording, name: str) -> Any:
    return json.loads(rec.one(POLICY, name).inputs["policy"])


def trust(rec: Recording, name: str) -> Any:
    return json.loads(rec.one(ROLE, name).inputs["assumeRolePolicy"])


def test_container_forwarding_children(preview: Preview) -> None:
    rec = preview(WORKLOAD)
    backup = {"bucketArn": BUCKET_ARN, "bufferingInterval": 300, "bufferingSize": 5, "roleArn": FIREHOSE_ROLE_ARN}
    assert rec.one(STREAM, "api-app-log-delivery-stream").inputs == {
        "name": "stacktape-dev-api-app",
        "destination": "http_endpoint",
        "serverSideEncryption": {"enabled": True, "keyType": "AWS_OWNED_CMK"},
        "httpEndpointConfiguration": {
            "url": "https://logs.example.com/in",
            "name": "logs.example.com/in",
            "bufferingSize": 1,
            "bufferingInterval": 60,
            "retryDuration": 120,
            "roleArn": FIREHOSE_ROLE_ARN,
            "s3BackupMode": "FailedDataOnly",
            "s3Configuration": {**backup, "prefix": "api-app/"},
            "requestConfiguration": {"contentEncoding": "GZIP", "commonAttributes": [
                {"name": "env", "value": "prod"}, {"name": "team", "value": "dev"}]},
        },
        "tags": TAGS,
    }
    # highlight.io: its intake, the project as a common attribute, always gzip, the reference's 300 s.
    assert rec.one(STREAM, "api-side-log-delivery-stream").inputs["httpEndpointConfiguration"] == {
        "url": "https://pub.highlight.io/v1/logs/firehose",
        "name": "pub.highlight.io/v1/logs/firehose",
        "bufferingSize": 1,
        "bufferingInterval": 60,
        "retryDuration": 300,
        "roleArn": FIREHOSE_ROLE_ARN,
        "s3BackupMode": "FailedDataOnly",
        "s3Configuration": {**backup, "prefix": "api-side/"},
        "requestConfiguration": {"contentEncoding": "GZIP",
                                 "commonAttributes": [{"name": "x-highlight-project", "value": "ab12"}]},
    }
    stream_arn = f"arn:aws:firehose:us-east-1:{ACCOUNT}:deliverystream/stacktape-dev-api-app"
    assert rec.one(FILTER, "api-app-log-subscription").inputs == {
        "name": "stacktape-dev-api-app-log-forwarding",
        "logGroup": "/stp/stacktape-dev/ecs/api/app/process-logs",
        "filterPattern": "",
        "destinationArn": stream_arn,
        "roleArn": f"arn:aws:iam::{ACCOUNT}:role/stacktape-dev-api-app-logs-sub-us-east-1",
    }
    assert trust(rec, "api-app-log-subscription-role") == {"Version": "2012-10-17", "Statement": [{
        "Effect": "Allow", "Principal": {"Service": "logs.amazonaws.com"}, "Action": "sts:AssumeRole",
        "Condition": {"StringLike": {"aws:SourceArn": f"arn:aws:logs:us-east-1:{ACCOUNT}:*"}}}]}
    assert policy(rec, "api-app-log-subscription-put-records") == {"Version": "2012-10-17", "Statement": [{
        "Effect": "Allow", "Action": ["firehose:PutRecord"], "Resource": [stream_arn]}]}
    assert trust(rec, "api-log-firehose-role") == {"Version": "2012-10-17", "Statement": [{
        "Effect": "Allow", "Principal": {"Service": "firehose.amazonaws.com"}, "Action": "sts:AssumeRole",
        "Condition": {"StringEquals": {"sts:ExternalId": ACCOUNT}}}]}
    assert policy(rec, "api-log-firehose-backup") == {"Version": "2012-10-17", "Statement": [{
        "Effect": "Allow",
        "Action": ["s3:AbortMultipartUpload", "s3:GetBucketLocation", "s3:GetObject", "s3:ListBucket",
                   "s3:ListBucketMultipartUploads", "s3:PutObject"],
        "Resource": [BUCKET_ARN, f"{BUCKET_ARN}/*"]}]}
    assert rec.one("aws:s3/bucket:Bucket").inputs == {"bucketPrefix": "stacktape-dev-api-logs-", "forceDestroy": True,
                                                      "tags": TAGS}
    assert rec.one("aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock").inputs == {
        "bucket": BUCKET, "blockPublicAcls": True, "ignorePublicAcls": True, "blockPublicPolicy": True,
        "restrictPublicBuckets": True}
    assert rec.one("aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration"
                   ).inputs == {"bucket": BUCKET,
                                "rules": [{"applyServerSideEncryptionByDefault": {"sseAlgorithm": "AES256"}}]}
    # One stream, role and filter per forwarded group; the container that forwards nothing has none.
    assert sorted(r.name for r in rec.by_type(STREAM)) == ["api-app-log-delivery-stream",
                                                           "api-side-log-delivery-stream"]
    assert sorted(r.name for r in rec.by_type(FILTER)) == ["api-app-log-subscription", "api-side-log-subscription"]
    assert [r.name for r in rec.by_type(ROLE) if "log" in r.name] == [
        "api-log-firehose-role", "api-app-log-subscription-role", "api-side-log-subscription-role"]


def test_children_wait_for_the_permissions_they_use(preview: Preview) -> None:
    rec = preview(WORKLOAD)
    stream = rec.one(STREAM, "api-app-log-delivery-stream")
    assert rec.one(POLICY, "api-log-firehose-backup").urn in stream.dependencies
    subscription = rec.one(FILTER, "api-app-log-subscription")
    assert rec.one(POLICY, "api-app-log-subscription-put-records").urn in subscription.dependencies
    workload = rec.one("stacktape:index:MultiContainerWorkload", "api")
    assert stream.parent == workload.urn
    assert subscription.parent == workload.urn


def test_datadog_key_is_a_secret_never_plaintext(tmp_path: Path, write_config: Callable[[str], Path]) -> None:
    write(tmp_path, {"handler.py": ""})
    world = CannedWorld(secret_values={"dd": json.dumps({"key": "SENTINEL-DATADOG-KEY"})})
    rec = preview_config(load_config(write_config("""
resources:
  api:
    type: function
    properties:
      packaging: {type: stacktape-lambda-buildpack, properties: {entryfilePath: handler.py}}
      logging:
        logForwarding: {type: datadog, properties: {apiKey: "$Secret('dd.key')"}}
""")), world=world)
    stream = rec.one(STREAM, "api-log-delivery-stream")
    assert stream.inputs["httpEndpointConfiguration"] == "[secret]"
    assert stream.secret_inputs == ["httpEndpointConfiguration"]
    assert rec.one(FILTER).inputs["logGroup"] == "/aws/lambda/stacktape-dev-api"
    assert "SENTINEL" not in rec.dumps()


def test_datadog_delivery_settings() -> None:
    # The masked part of the datadog stream: the reference's intake, 4 MB batches, 60 s of retries.
    key = "$Secret('dd.key')"
    assert delivery(DatadogLogForwardingProps(apiKey=key)) == Delivery(DATADOG_URL, 4, 60, True, key, {})
    assert delivery(DatadogLogForwardingProps(apiKey=key, endpointUrl="https://http-intake.logs.datadoghq.eu/v1/x")
                    ).url == "https://http-intake.logs.datadoghq.eu/v1/x"
    assert endpoint_name("https://" + "a" * 300) == "a" * 249 + "-" + endpoint_name("https://" + "a" * 300)[-6:]


def test_http_api_access_logs_are_forwarded(preview: Preview) -> None:
    rec = preview("""
resources:
  gw:
    type: http-api-gateway
    properties:
      logging:
        logForwarding: {type: http-endpoint, properties: {endpointUrl: "https://a.example.com"}}
""")
    assert rec.one(FILTER).inputs["logGroup"] == "/aws/vendedlogs/stacktape-dev/api-gateway/gw/access-logs"
    config = rec.one(STREAM, "gw-log-delivery-stream").inputs["httpEndpointConfiguration"]
    # Without parameters no common attributes (the reference crashed here), no gzip, 300 s of retries.
    assert config["requestConfiguration"] == {"contentEncoding": "NONE"}
    assert config["retryDuration"] == 300


def test_a_web_service_forwards_its_container_logs_not_its_api_access_logs(preview: Preview) -> None:
    rec = preview("""
resources:
  web:
    type: web-service
    properties:
      packaging: {type: prebuilt-image, properties: {image: nginx}}
      resources: {cpu: 0.25, memory: 512}
      logging:
        logForwarding: {type: highlight, properties: {projectId: p1}}
""")
    assert [r.inputs["logGroup"] for r in rec.by_type(FILTER)] == [
        "/stp/stacktape-dev/ecs/web/service-container/process-logs"]


# ---- the Python door ----------------------------------------------------------------------

def test_python_output_keys_are_made_secret() -> None:
    def program() -> None:
        key = pulumi.Output.from_input("SENTINEL-PLAIN-OUTPUT")  # not secret: the build makes it one
        HttpApiGateway("gw", {"logging": {"log_forwarding": {"type": LogForwardingType.DATADOG,
                                                                  "properties": {"api_key": key}}}})

    rec = run_offline(program)
    assert rec.one(STREAM).inputs["httpEndpointConfiguration"] == "[secret]"
    assert "SENTINEL" not in rec.dumps()


def test_python_service_args_forward_with_a_secret_key() -> None:
    def program() -> None:
        key = pulumi.Output.from_input("SENTINEL-SERVICE-KEY")
        WebService("web", {"packaging": {"type": "prebuilt-image", "properties": {"image": "nginx"}},
                           "resources": {"cpu": 0.25, "memory": 512},
                           "logging": {"log_forwarding": {"type": LogForwardingType.DATADOG,
                                                          "properties": {"api_key": key}}}})

    rec = run_offline(program)
    stream = rec.one(STREAM)
    assert stream.name == "web-service-container-log-delivery-stream"
    assert stream.inputs["httpEndpointConfiguration"] == "[secret]"
    assert rec.one(FILTER).inputs["logGroup"] == "/stp/stacktape-dev/ecs/web/service-container/process-logs"
    assert "SENTINEL" not in rec.dumps()


def test_python_literal_keys_are_refused() -> None:
    def program() -> None:
        HttpApiGateway("gw", {"logging": {"log_forwarding": {
            "type": LogForwardingType.HTTP_ENDPOINT,
            "properties": {"endpoint_url": "http://x.example.com", "access_key": "k"}}}})

    with pytest.raises(StacktapeError) as err:
        run_offline(program)
    assert str(err.value).splitlines() == [
        "HttpApiGateway 'gw': logging.logForwarding.properties.endpointUrl: endpointUrl 'http://x.example.com' "
        "must be an https:// URL of at most 1000 characters: Firehose delivers only to HTTPS endpoints "
        "(hint: e.g. 'https://x.example.com')",
        "HttpApiGateway 'gw': logging.logForwarding.properties.accessKey: accessKey must not be written in the "
        "config: Firehose sends it with every request, and a literal would be stored in plaintext in the file, "
        "the Pulumi state and every preview; allowed: $Secret('name'), $Secret('name.jsonKey') or "
        "$SsmParam('name') (from Python: a pulumi.Output) (hint: store it in Secrets Manager and write "
        "accessKey: $Secret('<secret name>'))",
    ]


# ---- located errors -----------------------------------------------------------------------

LITERAL_KEY = ("must not be written in the config: Firehose sends it with every request, and a literal would be "
               "stored in plaintext in the file, the Pulumi state and every preview; allowed: $Secret('name'), "
               "$Secret('name.jsonKey') or $SsmParam('name') (from Python: a pulumi.Output)")


def test_located_errors(config_errors: Errors) -> None:
    many = ", ".join(f"p{i}: v" for i in range(51))
    assert config_errors(f"""
resources:
  api:
    type: multi-container-workload
    properties:
      resources: {{cpu: 0.25, memory: 512}}
      containers:
        - name: app
          packaging: {{type: prebuilt-image, properties: {{image: nginx}}}}
          logging:
            logForwarding:
              type: datadog
              properties: {{apiKey: abc123, endpointUrl: "http://x.example.com"}}
        - name: muted
          packaging: {{type: prebuilt-image, properties: {{image: nginx}}}}
          logging:
            disabled: true
            logForwarding: {{type: highlight, properties: {{projectId: p1}}}}
  gw:
    type: http-api-gateway
    properties:
      logging:
        logForwarding:
          type: http-endpoint
          properties:
            endpointUrl: https://e.example.com
            accessKey: "$Format('{{}}', 'plain')"
            parameters: {{{many}}}
  gw2:
    type: http-api-gateway
    properties:
      logging:
        logForwarding:
          type: http-endpoint
          properties:
            endpointUrl: https://e.example.com
            parameters: {{" ": v, long: "{'x' * 1025}"}}
""") == [
        "stacktape.yml:12:36: resources.api.properties.containers[0].logging.logForwarding.properties.apiKey: "
        f"apiKey {LITERAL_KEY} (hint: store it in Secrets Manager and write apiKey: $Secret('<secret name>'))",
        "stacktape.yml:12:57: resources.api.properties.containers[0].logging.logForwarding.properties.endpointUrl: "
        "endpointUrl 'http://x.example.com' must be an https:// URL of at most 1000 characters: Firehose "
        "delivers only to HTTPS endpoints (hint: e.g. 'https://x.example.com')",
        "stacktape.yml:17:13: resources.api.properties.containers[1].logging.logForwarding: logForwarding "
        "forwards the log group that logging.disabled: true removes (hint: remove disabled: true, or remove "
        "logForwarding)",
        "stacktape.yml:26:24: resources.gw.properties.logging.logForwarding.properties.accessKey: "
        f"accessKey {LITERAL_KEY} (hint: store it in Secrets Manager and write accessKey: $Secret('<secret name>'))",
        "stacktape.yml:27:13: resources.gw.properties.logging.logForwarding.properties.parameters: parameters has "
        "51 entries; Firehose allows at most 50 common attributes (hint: merge or drop some)",
        "stacktape.yml:36:26: resources.gw2.properties.logging.logForwarding.properties.parameters. : parameter "
        "name ' ' must have 1 to 256 characters, not all blank (hint: use a short non-blank name)",
        "stacktape.yml:36:40: resources.gw2.properties.logging.logForwarding.properties.parameters.long: the value "
        "of parameter 'long' has 1025 characters; Firehose allows at most 1024 (hint: shorten it)",
    ]


def test_model_limits_are_located(config_errors: Errors) -> None:
    assert config_errors("""
resources:
  gw:
    type: http-api-gateway
    properties:
      logging:
        logForwarding:
          type: http-endpoint
          properties: {endpointUrl: "https://e.example.com", retryDuration: 7201}
  gw2:
    type: http-api-gateway
    properties:
      logging:
        logForwarding: {type: splunk, properties: {}}
""") == [
        "stacktape.yml:8:77: resources.gw.properties.logging.logForwarding.properties.retryDuration: 7201 is out "
        "of range: input should be less than or equal to 7200",
        "stacktape.yml:13:31: resources.gw2.properties.logging.logForwarding.type: unsupported type 'splunk'; "
        "supported: http-endpoint, highlight, datadog",
    ]


def test_secret_directives_are_accepted(config_errors: Errors) -> None:
    assert config_errors("""
resources:
  gw:
    type: http-api-gateway
    properties:
      logging:
        logForwarding:
          type: http-endpoint
          properties:
            endpointUrl: $Format('https://{}.example.com', $Stage())
            accessKey: $Format('Bearer {}', $Secret('token'))
  gw2:
    type: http-api-gateway
    properties:
      logging:
        logForwarding: {type: datadog, properties: {apiKey: "$SsmParam('/dd/key')"}}
""") == []


def test_long_names_fit_what_firehose_and_iam_accept(preview: Preview) -> None:
    container = "a-very-long-container-name-that-keeps-going"
    rec = preview(f"""
resources:
  aVeryLongWorkloadNameThatKeepsGoingAndGoing:
    type: multi-container-workload
    properties:
      resources: {{cpu: 0.25, memory: 512}}
      containers:
        - name: {container}
          packaging: {{type: prebuilt-image, properties: {{image: nginx}}}}
          logging:
            logForwarding: {{type: highlight, properties: {{projectId: p1}}}}
""")
    name = rec.one(STREAM).inputs["name"]
    assert len(name) == 64  # botocore DeliveryStreamName: 1-64 of [a-zA-Z0-9_.-]
    assert re.fullmatch(r"[a-zA-Z0-9_.-]+", name)
    # Shortened with a stable hash of the full name, so two long names stay distinct.
    assert re.fullmatch(r"stacktape-dev-aVeryLongWorkloadNameThatKeepsGoingAndGoing-[0-9a-f]{6}", name)
    assert all(len(role.inputs["name"]) <= 64 for role in rec.by_type(ROLE))


def test_a_blank_highlight_project_is_located(config_errors: Errors) -> None:
    assert config_errors("""
resources:
  gw:
    type: http-api-gateway
    properties:
      logging:
        logForwarding: {type: highlight, properties: {projectId: "  "}}
""") == [
        "stacktape.yml:6:66: resources.gw.properties.logging.logForwarding.properties.projectId: projectId must not "
        "be blank (hint: copy the project ID from the highlight.io console)",
    ]
