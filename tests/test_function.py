"""The `function` component: exact inputs of every child, through the offline engine."""

import base64
import hashlib
import json
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from stacktape_pulumi.components.function import Function, destination_statement
from stacktape_pulumi.components.function_events import integration_timeout_ms
from stacktape_pulumi.engine import Recording, run_offline
from stacktape_pulumi.engine.canned import CannedWorld
from stacktape_pulumi.engine.preview import preview_config
from stacktape_pulumi.errors import StacktapeError
from stacktape_pulumi.load import load_config
from tests.lambda_support import esbuild_binary, make_wheel, offline_requirements, with_esbuild, write

__all__ = ["esbuild_binary", "with_esbuild"]  # fixtures used below

ACCOUNT = "123456789012"
TAGS = {"stp:project-name": "stacktape", "stp:stack-name": "stacktape-dev", "stp:stage": "dev"}
LOG_GROUP_ARN = f"arn:aws:logs:us-east-1:{ACCOUNT}:log-group:/aws/lambda/stacktape-dev-api"
FUNCTION_ARN = f"arn:aws:lambda:us-east-1:{ACCOUNT}:function:stacktape-dev-api"
ROLE_ARN = f"arn:aws:iam::{ACCOUNT}:role/stacktape-dev-api-us-east-1"

Preview = Callable[[str], Recording]


def zip_hash(path: str) -> str:
    return base64.b64encode(hashlib.sha256(Path(path).read_bytes()).digest()).decode()


def assume_lambda() -> str:
    return json.dumps({"Version": "2012-10-17", "Statement": [{
        "Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"}, "Action": "sts:AssumeRole"}]})


def policy(rec: Recording, name: str) -> Any:
    return json.loads(rec.one("aws:iam/rolePolicy:RolePolicy", name).inputs["policy"])


def function_inputs(rec: Recording, name: str = "api") -> dict[str, Any]:
    inputs: dict[str, Any] = rec.one("aws:lambda/function:Function", f"{name}-function").inputs
    return inputs


PYTHON_FUNCTION = """
resources:
  api:
    type: function
    properties:
      packaging:
        type: stacktape-lambda-buildpack
        properties: {entryfilePath: src/app/handler.py}
      environment:
        - {name: STAGE, value: dev}
        - {name: RETRIES, value: 3}
        - {name: DEBUG, value: false}
"""


def python_project(root: Path) -> None:
    write(root, {"src/app/__init__.py": "",
                 "src/app/handler.py": "import tinydep\n\ndef handler(e, c):\n    return 1\n"})
    make_wheel(root / "wheels", "tinydep", "1.0", {"tinydep/__init__.py": "X = 1\n"})
    (root / "requirements.txt").write_text(offline_requirements(root / "wheels", "tinydep==1.0"))


def test_python_buildpack_function_children(preview: Preview, tmp_path: Path) -> None:
    python_project(tmp_path)
    rec = preview(PYTHON_FUNCTION)
    inputs = function_inputs(rec)
    archive = inputs["code"]["fileArchive"]
    assert Path(archive).parent == tmp_path / ".stacktape" / "lambda"
    assert inputs == {
        "name": "stacktape-dev-api",
        "role": ROLE_ARN,
        "code": {"fileArchive": archive},
        "sourceCodeHash": zip_hash(archive),
        "handler": "app.handler.handler",
        "runtime": "python3.13",
        "architectures": ["x86_64"],
        "memorySize": 1024,
        "timeout": 20,
        "environment": {"variables": {"STAGE": "dev", "RETRIES": "3", "DEBUG": "false"}},
        "loggingConfig": {"logFormat": "Text", "logGroup": "/aws/lambda/stacktape-dev-api"},
        "publish": False,
        "tags": TAGS,
    }
    with zipfile.ZipFile(archive) as zipped:
        assert sorted(zipped.namelist()) == [
            "app/__init__.py", "app/handler.py",
            "tinydep-1.0.dist-info/INSTALLER", "tinydep-1.0.dist-info/METADATA", "tinydep-1.0.dist-info/RECORD",
            "tinydep-1.0.dist-info/REQUESTED", "tinydep-1.0.dist-info/WHEEL", "tinydep/__init__.py"]
    assert rec.one("aws:iam/role:Role", "api-role").inputs == {
        "name": "stacktape-dev-api-us-east-1", "assumeRolePolicy": assume_lambda(), "tags": TAGS}
    log_group = rec.one("aws:cloudwatch/logGroup:LogGroup", "api-log-group")
    assert log_group.inputs == {"name": "/aws/lambda/stacktape-dev-api", "retentionInDays": 90, "tags": TAGS}
    logging = rec.one("aws:iam/rolePolicy:RolePolicy", "api-allow-cloudwatch-logging")
    assert logging.inputs["role"] == "stacktape-dev-api-us-east-1"
    assert logging.inputs["name"] == "allow-cloudwatch-logging"
    assert policy(rec, "api-allow-cloudwatch-logging") == {"Version": "2012-10-17", "Statement": [{
        "Effect": "Allow", "Action": ["logs:CreateLogStream", "logs:PutLogEvents"],
        "Resource": [LOG_GROUP_ARN, f"{LOG_GROUP_ARN}:*"]}]}
    function = rec.one("aws:lambda/function:Function")
    assert {log_group.urn, logging.urn} <= set(function.dependencies)
    assert [r.type for r in rec.children(rec.one("stacktape:index:Function", "api"))] == [
        "aws:cloudwatch/logGroup:LogGroup", "aws:iam/role:Role", "aws:iam/rolePolicy:RolePolicy",
        "aws:lambda/function:Function"]
    assert rec.stack_outputs["api"] == {"arn": FUNCTION_ARN, "name": "stacktape-dev-api", "logGroupArn": LOG_GROUP_ARN}


def test_unchanged_function_keeps_its_code_hash(preview: Preview, tmp_path: Path) -> None:
    python_project(tmp_path)
    first = function_inputs(preview(PYTHON_FUNCTION))
    second = function_inputs(preview(PYTHON_FUNCTION))
    assert (first["code"], first["sourceCodeHash"]) == (second["code"], second["sourceCodeHash"])
    (tmp_path / "src/app/handler.py").write_text("def handler(e, c):\n    return 2\n")
    assert function_inputs(preview(PYTHON_FUNCTION))["sourceCodeHash"] != first["sourceCodeHash"]


def test_every_setting(preview: Preview, tmp_path: Path) -> None:
    write(tmp_path, {"handler.py": "def main(e, c): pass\n"})
    rec = preview("""
resources:
  api:
    type: function
    properties:
      packaging:
        type: stacktape-lambda-buildpack
        properties: {entryfilePath: handler.py, handlerFunction: main}
      runtime: python3.12
      architecture: arm64
      memory: 2048
      timeout: 60
      storage: 4096
      reservedConcurrency: 7
      layers: ['arn:aws:lambda:us-east-1:123456789012:layer:a:1', 'arn:aws:lambda:us-east-1:123456789012:layer:b:2']
      tags: [{name: team, value: payments}]
      logging: {retentionDays: 14}
      iamRoleStatements:
        - Action: ['s3:GetObject']
          Resource: ['arn:aws:s3:::assets/*']
""")
    inputs = function_inputs(rec)
    assert {k: v for k, v in inputs.items() if k not in ("code", "sourceCodeHash", "loggingConfig", "role")} == {
        "name": "stacktape-dev-api",
        "handler": "handler.main",
        "runtime": "python3.12",
        "architectures": ["arm64"],
        "memorySize": 2048,
        "timeout": 60,
        "ephemeralStorage": {"size": 4096},
        "reservedConcurrentExecutions": 7,
        "layers": ["arn:aws:lambda:us-east-1:123456789012:layer:a:1",
                   "arn:aws:lambda:us-east-1:123456789012:layer:b:2"],
        "publish": False,
        "tags": {**TAGS, "team": "payments"},
    }
    assert rec.one("aws:cloudwatch/logGroup:LogGroup").inputs["retentionInDays"] == 14
    assert policy(rec, "api-custom-iam-role-statements") == {"Version": "2012-10-17", "Statement": [{
        "Effect": "Allow", "Action": ["s3:GetObject"], "Resource": ["arn:aws:s3:::assets/*"]}]}


def test_logging_disabled_creates_no_log_group_or_log_permission(preview: Preview, tmp_path: Path) -> None:
    write(tmp_path, {"handler.py": ""})
    rec = preview("""
resources:
  api:
    type: function
    properties:
      packaging: {type: stacktape-lambda-buildpack, properties: {entryfilePath: handler.py}}
      logging: {disabled: true}
""")
    assert rec.by_type("aws:cloudwatch/logGroup:LogGroup") == []
    assert rec.by_type("aws:iam/rolePolicy:RolePolicy") == []
    assert "loggingConfig" not in function_inputs(rec)
    assert "logGroupArn" not in rec.stack_outputs["api"]


def test_secrets_are_secret_outputs_never_plaintext(tmp_path: Path, write_config: Callable[[str], Path]) -> None:
    write(tmp_path, {"handler.py": ""})
    world = CannedWorld(secret_values={"db": json.dumps({"password": "SENTINEL-PASSWORD"}),
                                       "token": "SENTINEL-TOKEN"})
    rec = preview_config(load_config(write_config("""
resources:
  api:
    type: function
    properties:
      packaging: {type: stacktape-lambda-buildpack, properties: {entryfilePath: handler.py}}
      environment:
        - {name: DB_PASSWORD, value: "$Secret('db.password')"}
        - {name: TOKEN, value: "$Secret('token')"}
        - {name: PLAIN, value: visible}
""")), world=world)
    function = rec.one("aws:lambda/function:Function")
    # Lambda has no `valueFrom`: the variables are a secret Output, masked as a whole by the engine.
    assert function.inputs["environment"] == "[secret]"
    assert function.secret_inputs == ["environment"]
    assert "SENTINEL" not in rec.dumps()


def test_offline_preview_answers_the_json_keys_the_config_reads(tmp_path: Path,
                                                                  write_config: Callable[[str], Path]) -> None:
    # Without a seeded world the canned secret is `{"value": ...}`: reading `.password` used to fail the preview.
    write(tmp_path, {"handler.py": ""})
    world = CannedWorld(secret_values={"token": "set-by-the-caller"})
    rec = preview_config(load_config(write_config("""
resources:
  api:
    type: function
    properties:
      packaging: {type: stacktape-lambda-buildpack, properties: {entryfilePath: handler.py}}
      environment:
        - {name: DB_PASSWORD, value: "$Secret('db.password')"}
        - {name: DB_USER, value: "$Format('{}', $Secret('db.username'))"}
        - {name: TOKEN, value: "$Secret('token')"}
""")), world=world)
    assert rec.one("aws:lambda/function:Function").inputs["environment"] == "[secret]"
    assert world.secret_values == {
        "token": "set-by-the-caller",
        "db": json.dumps({"password": "offline-secret-db.password", "username": "offline-secret-db.username"}),
    }


def test_custom_artifact_zip_and_directory(preview: Preview, tmp_path: Path) -> None:
    with zipfile.ZipFile(tmp_path / "build.zip", "w") as archive:
        archive.writestr("index.js", "exports.handler = async () => 1;")
    write(tmp_path, {"dist/main.py": "def run(e, c): pass\n", "dist/lib/util.py": ""})
    rec = preview("""
resources:
  zipped:
    type: function
    properties:
      packaging: {type: custom-artifact, properties: {packagePath: build.zip, handler: 'index.js:handler'}}
      runtime: nodejs22.x
  folder:
    type: function
    properties:
      packaging: {type: custom-artifact, properties: {packagePath: dist, handler: 'main.py:run'}}
      runtime: python3.12
""")
    zipped = function_inputs(rec, "zipped")
    assert zipped["code"] == {"fileArchive": str(tmp_path / "build.zip")}
    assert (zipped["handler"], zipped["runtime"], zipped["sourceCodeHash"]) == (
        "index.handler", "nodejs22.x", zip_hash(str(tmp_path / "build.zip")))
    folder = function_inputs(rec, "folder")
    path = folder["code"]["fileArchive"]
    assert (folder["handler"], folder["runtime"], folder["sourceCodeHash"]) == ("main.run", "python3.12",
                                                                                 zip_hash(path))
    with zipfile.ZipFile(path) as archive:
        assert sorted(archive.namelist()) == ["lib/util.py", "main.py"]


def test_typescript_function_bundled_by_esbuild(preview: Preview, tmp_path: Path, with_esbuild: Path) -> None:
    write(tmp_path, {"src/api.ts": "import { ok } from './ok';\nexport default async () => ok();\n",
                     "src/ok.ts": "export const ok = () => ({ statusCode: 200 });\n"})
    rec = preview("""
resources:
  api:
    type: function
    properties:
      packaging: {type: stacktape-lambda-buildpack, properties: {entryfilePath: src/api.ts}}
      environment:
        - {name: NODE_OPTIONS, value: '--max-old-space-size=512'}
""")
    inputs = function_inputs(rec)
    assert (inputs["handler"], inputs["runtime"]) == ("index.default", "nodejs24.x")
    assert inputs["environment"] == {"variables": {
        "NODE_OPTIONS": "--max-old-space-size=512 --enable-source-maps"}}
    with zipfile.ZipFile(inputs["code"]["fileArchive"]) as archive:
        assert sorted(archive.namelist()) == ["index.js", "index.js.map"]


URL = """
resources:
  api:
    type: function
    properties:
      packaging: {type: stacktape-lambda-buildpack, properties: {entryfilePath: handler.py}}
      url:
        enabled: true
        responseStreamEnabled: true
        cors:
          enabled: true
          allowedOrigins: ['https://example.com']
          allowedMethods: [GET, POST]
          allowedHeaders: [Content-Type]
          allowCredentials: true
          exposedResponseHeaders: [X-Request-Id]
          maxAge: 600
"""


def test_function_url_with_cors_is_public_through_two_scoped_permissions(preview: Preview, tmp_path: Path) -> None:
    write(tmp_path, {"handler.py": ""})
    rec = preview(URL)
    assert rec.one("aws:lambda/functionUrl:FunctionUrl", "api-url").inputs == {
        "functionName": "stacktape-dev-api",
        "authorizationType": "NONE",
        "invokeMode": "RESPONSE_STREAM",
        "cors": {"allowOrigins": ["https://example.com"], "allowMethods": ["GET", "POST"],
                 "allowHeaders": ["Content-Type"], "allowCredentials": True, "exposeHeaders": ["X-Request-Id"],
                 "maxAge": 600},
    }
    permissions = {p.name: p.inputs for p in rec.by_type("aws:lambda/permission:Permission")}
    assert permissions == {
        "api-url-public-access": {"action": "lambda:InvokeFunctionUrl", "function": "stacktape-dev-api",
                                  "principal": "*", "functionUrlAuthType": "NONE"},
        "api-url-public-invoke": {"action": "lambda:InvokeFunction", "function": "stacktape-dev-api",
                                  "principal": "*", "invokedViaFunctionUrl": True},
    }
    url = rec.stack_outputs["api"]["url"]
    assert url.startswith("https://")
    assert url.endswith(".lambda-url.us-east-1.on.aws/")


def test_iam_function_url_gets_no_public_permission(preview: Preview, tmp_path: Path) -> None:
    write(tmp_path, {"handler.py": ""})
    rec = preview(URL.replace("        enabled: true\n        responseStreamEnabled: true",
                              "        enabled: true\n        authMode: AWS_IAM"))
    url = rec.one("aws:lambda/functionUrl:FunctionUrl").inputs
    assert (url["authorizationType"], url["invokeMode"]) == ("AWS_IAM", "BUFFERED")
    assert rec.by_type("aws:lambda/permission:Permission") == []


def test_default_url_cors_allows_any_origin_and_method(preview: Preview, tmp_path: Path) -> None:
    write(tmp_path, {"handler.py": ""})
    rec = preview(URL.split("        cors:")[0] + "        cors: {enabled: true}\n")
    assert rec.one("aws:lambda/functionUrl:FunctionUrl").inputs["cors"] == {
        "allowOrigins": ["*"], "allowMethods": ["*"],
        "allowHeaders": ["Content-Type", "X-Amz-Date", "Authorization", "X-Api-Key", "X-Amz-Security-Token",
                         "X-Amz-User-Agent"]}


def test_vpc_function(preview: Preview, tmp_path: Path) -> None:
    write(tmp_path, {"handler.py": ""})
    rec = preview("""
resources:
  api:
    type: function
    properties:
      packaging: {type: stacktape-lambda-buildpack, properties: {entryfilePath: handler.py}}
      joinDefaultVpc: true
""")
    sg = rec.one("aws:ec2/securityGroup:SecurityGroup", "api-security-group")
    assert sg.inputs == {
        "description": "Security group associated with api in stack stacktape-dev",
        "vpcId": sg.inputs["vpcId"],
        "egress": [{"protocol": "-1", "fromPort": 0, "toPort": 0, "cidrBlocks": ["0.0.0.0/0"],
                    "description": "all outbound"}],
        "tags": TAGS,
    }
    assert "ingress" not in sg.inputs
    assert sg.inputs["vpcId"].startswith("vpc-")
    subnets = [rec.one("aws:ec2/subnet:Subnet", f"stacktape-dev-network-public-subnet-{i}") for i in range(3)]
    function = rec.one("aws:lambda/function:Function")
    vpc_config = function.inputs["vpcConfig"]
    assert vpc_config["securityGroupIds"] == [vpc_config["securityGroupIds"][0]]
    assert vpc_config["securityGroupIds"][0].startswith("sg-")
    assert len(vpc_config["subnetIds"]) == 3
    assert {s.urn for s in subnets} <= set(function.dependencies)
    eni = rec.one("aws:iam/rolePolicy:RolePolicy", "api-allow-vpc-network-interfaces")
    assert eni.inputs["name"] == "allow-vpc-network-interfaces"
    assert policy(rec, "api-allow-vpc-network-interfaces")["Statement"] == [{
        "Effect": "Allow",
        "Action": ["ec2:CreateNetworkInterface", "ec2:DescribeNetworkInterfaces", "ec2:DescribeSubnets",
                   "ec2:DeleteNetworkInterface", "ec2:AssignPrivateIpAddresses", "ec2:UnassignPrivateIpAddresses"],
        "Resource": ["*"]}]
    assert eni.urn in function.dependencies


def test_provisioned_concurrency_publishes_a_version_behind_an_alias(preview: Preview, tmp_path: Path) -> None:
    write(tmp_path, {"handler.py": ""})
    rec = preview("""
resources:
  api:
    type: function
    properties:
      packaging: {type: stacktape-lambda-buildpack, properties: {entryfilePath: handler.py}}
      provisionedConcurrency: 5
      url: {enabled: true}
      destinations:
        onSuccess: 'arn:aws:sqs:us-east-1:123456789012:done'
        onFailure: 'arn:aws:sns:us-east-1:123456789012:failed'
""")
    assert function_inputs(rec)["publish"] is True
    assert rec.one("aws:lambda/alias:Alias", "api-alias").inputs == {
        "name": "stp-live", "functionName": "stacktape-dev-api", "functionVersion": "1"}
    assert rec.one("aws:lambda/provisionedConcurrencyConfig:ProvisionedConcurrencyConfig").inputs == {
        "functionName": "stacktape-dev-api", "qualifier": "stp-live", "provisionedConcurrentExecutions": 5}
    # Everything that invokes the function invokes the warm alias.
    assert rec.one("aws:lambda/functionUrl:FunctionUrl").inputs["qualifier"] == "stp-live"
    assert {p.inputs["qualifier"] for p in rec.by_type("aws:lambda/permission:Permission")} == {"stp-live"}
    assert rec.one("aws:lambda/functionEventInvokeConfig:FunctionEventInvokeConfig").inputs == {
        "functionName": "stacktape-dev-api", "qualifier": "stp-live",
        "destinationConfig": {"onSuccess": {"destination": "arn:aws:sqs:us-east-1:123456789012:done"},
                              "onFailure": {"destination": "arn:aws:sns:us-east-1:123456789012:failed"}}}
    assert policy(rec, "api-allow-destinations")["Statement"] == [
        {"Effect": "Allow", "Action": ["sqs:SendMessage"], "Resource": ["arn:aws:sqs:us-east-1:123456789012:done"]},
        {"Effect": "Allow", "Action": ["sns:Publish"], "Resource": ["arn:aws:sns:us-east-1:123456789012:failed"]},
    ]


@pytest.mark.parametrize(("arn", "action"), [
    ("arn:aws:sqs:us-east-1:1:q", "sqs:SendMessage"),
    ("arn:aws:sns:us-east-1:1:t", "sns:Publish"),
    ("arn:aws:events:us-east-1:1:event-bus/b", "events:PutEvents"),
    ("arn:aws:lambda:us-east-1:1:function:f", "lambda:InvokeFunction"),
])
def test_destination_statements(arn: str, action: str) -> None:
    assert destination_statement(arn) == {"Effect": "Allow", "Action": [action], "Resource": [arn]}


def test_destination_of_another_kind_is_refused() -> None:
    with pytest.raises(StacktapeError, match="is not the ARN of an SQS queue"):
        destination_statement("arn:aws:s3:::bucket")


# --- events ---------------------------------------------------------------------------------


@pytest.mark.parametrize(("timeout", "millis"), [(1, 1500), (20, 20500), (28, 28500), (29, 29000), (900, 29000)])
def test_integration_timeout(timeout: int, millis: int) -> None:
    assert integration_timeout_ms(timeout) == millis


def test_function_behind_the_http_api(preview: Preview, tmp_path: Path) -> None:
    write(tmp_path, {"handler.py": ""})
    rec = preview("""
resources:
  gw:
    type: http-api-gateway
    properties: {payloadFormat: '2.0'}
  api:
    type: function
    properties:
      packaging: {type: stacktape-lambda-buildpack, properties: {entryfilePath: handler.py}}
      timeout: 10
      events:
        - type: http-api-gateway
          properties: {httpApiGatewayName: gw, method: GET, path: '/items/{id}'}
        - type: http-api-gateway
          properties: {httpApiGatewayName: gw, method: '*', path: '*'}
""")
    api_id = rec.one("aws:apigatewayv2/stage:Stage").inputs["apiId"]
    integration = rec.one("aws:apigatewayv2/integration:Integration", "api-gw-integration")
    assert integration.inputs == {
        "apiId": api_id, "integrationType": "AWS_PROXY", "integrationMethod": "POST",
        "integrationUri": FUNCTION_ARN, "payloadFormatVersion": "2.0", "timeoutMilliseconds": 10500}
    routes = {r.name: r.inputs for r in rec.by_type("aws:apigatewayv2/route:Route")}
    integration_id = routes["api-gw-get-items-id-route"]["target"].removeprefix("integrations/")
    assert routes == {
        "api-gw-get-items-id-route": {"apiId": api_id, "routeKey": "GET /items/{id}",
                                      "target": f"integrations/{integration_id}"},
        "api-gw-default-route": {"apiId": api_id, "routeKey": "$default", "target": f"integrations/{integration_id}"},
    }
    assert rec.one("aws:lambda/permission:Permission", "api-gw-invoke-permission").inputs == {
        "action": "lambda:InvokeFunction", "function": "stacktape-dev-api", "principal": "apigateway.amazonaws.com",
        "sourceArn": f"arn:aws:execute-api:us-east-1:{ACCOUNT}:{api_id}/*"}
    function = rec.one("stacktape:index:Function", "api")
    assert {r.name for r in rec.children(function)} >= {"api-gw-integration", "api-gw-get-items-id-route",
                                                        "api-gw-invoke-permission"}


def test_function_behind_the_load_balancer(preview: Preview, tmp_path: Path) -> None:
    write(tmp_path, {"handler.py": ""})
    rec = preview("""
resources:
  lb:
    type: application-load-balancer
  api:
    type: function
    properties:
      packaging: {type: stacktape-lambda-buildpack, properties: {entryfilePath: handler.py}}
      events:
        - type: application-load-balancer
          properties: {loadBalancerName: lb, priority: 3, paths: ['/api/*'], methods: [GET]}
""")
    group = rec.one("aws:lb/targetGroup:TargetGroup", "api-lb-target-group")
    assert group.inputs == {"name": "stacktape-dev-lb-api-c8220d", "targetType": "lambda", "tags": TAGS}
    group_arn = rec.one("aws:lb/listenerRule:ListenerRule").inputs["actions"][0]["targetGroupArn"]
    permission = rec.one("aws:lambda/permission:Permission", "api-lb-invoke-permission")
    assert permission.inputs == {"action": "lambda:InvokeFunction", "function": "stacktape-dev-api",
                                 "principal": "elasticloadbalancing.amazonaws.com", "sourceArn": group_arn}
    attachment = rec.one("aws:lb/targetGroupAttachment:TargetGroupAttachment", "api-lb-target")
    assert attachment.inputs == {"targetGroupArn": group_arn, "targetId": FUNCTION_ARN}
    assert permission.urn in attachment.dependencies
    listener = rec.one("aws:lb/listener:Listener", "lb-listener-80")
    rule = rec.one("aws:lb/listenerRule:ListenerRule", "api-lb-80-3-rule")
    assert rule.inputs == {
        "listenerArn": rule.inputs["listenerArn"], "priority": 3,
        "actions": [{"type": "forward", "targetGroupArn": group_arn}],
        "conditions": [{"pathPattern": {"values": ["/api/*"]}}, {"httpRequestMethod": {"values": ["GET"]}}],
        "tags": TAGS}
    assert listener.urn in rule.dependencies


def test_param_references_between_functions(preview: Preview, tmp_path: Path) -> None:
    write(tmp_path, {"handler.py": ""})
    rec = preview("""
resources:
  target:
    type: function
    properties:
      packaging: {type: stacktape-lambda-buildpack, properties: {entryfilePath: handler.py}}
      url: {enabled: true}
  caller:
    type: function
    properties:
      packaging: {type: stacktape-lambda-buildpack, properties: {entryfilePath: handler.py}}
      environment:
        - {name: TARGET_URL, value: "$ResourceParam('target', 'url')"}
        - {name: TARGET_NAME, value: "$ResourceParam('target', 'name')"}
""")
    env = function_inputs(rec, "caller")["environment"]["variables"]
    assert env["TARGET_NAME"] == "stacktape-dev-target"
    assert env["TARGET_URL"] == rec.stack_outputs["target"]["url"]


def test_connect_to_grants_exactly_the_target_and_injects_its_params(preview: Preview, tmp_path: Path) -> None:
    write(tmp_path, {"handler.py": ""})
    rec = preview("""
resources:
  target:
    type: function
    properties:
      packaging: {type: stacktape-lambda-buildpack, properties: {entryfilePath: handler.py}}
  api:
    type: function
    properties:
      packaging: {type: stacktape-lambda-buildpack, properties: {entryfilePath: handler.py}}
      connectTo: [target]
""")
    target_arn = f"arn:aws:lambda:us-east-1:{ACCOUNT}:function:stacktape-dev-target"
    access = rec.one("aws:iam/rolePolicy:RolePolicy", "api-custom-allow-access-to-policy-statements")
    assert (access.inputs["role"], access.inputs["name"]) == ("stacktape-dev-api-us-east-1",
                                                              "custom-allow-access-to-policy-statements")
    assert policy(rec, "api-custom-allow-access-to-policy-statements")["Statement"] == [{
        "Effect": "Allow", "Action": ["lambda:InvokeFunction"], "Resource": [target_arn]}]
    assert function_inputs(rec)["environment"] == {"variables": {
        "STP_TARGET_ARN": target_arn,
        "STP_TARGET_LOG_GROUP_ARN": f"arn:aws:logs:us-east-1:{ACCOUNT}:log-group:/aws/lambda/stacktape-dev-target"}}
    assert access.urn in rec.one("aws:lambda/function:Function", "api-function").dependencies


# --- refused configs ------------------------------------------------------------------------


def test_features_not_built_yet_are_located_errors(config_errors: Callable[[str], list[str]],
                                                   tmp_path: Path) -> None:
    write(tmp_path, {"handler.py": "", "other.py": ""})
    errors = config_errors("""
resources:
  api:
    type: function
    properties:
      packaging: {type: stacktape-lambda-buildpack, properties: {entryfilePath: handler.py}}
      deployment: {strategy: AllAtOnce}
      reservedConcurrency: 2
      provisionedConcurrency: 3
      logging:
        logForwarding: {type: datadog, properties: {apiKey: k}}
""")
    assert errors == [
        "stacktape.yml:6:7: resources.api.properties.deployment: gradual deployments of functions (CodeDeploy "
        "traffic shifting) are not supported yet",
        "stacktape.yml:8:31: resources.api.properties.provisionedConcurrency: provisionedConcurrency 3 is more "
        "than reservedConcurrency 2 (hint: Lambda cannot keep more instances warm than the function may run at "
        "once)",
        "stacktape.yml:10:61: resources.api.properties.logging.logForwarding.properties.apiKey: apiKey must not be "
        "written in the config: Firehose sends it with every request, and a literal would be stored in plaintext "
        "in the file, the Pulumi state and every preview; allowed: $Secret('name'), $Secret('name.jsonKey') or "
        "$SsmParam('name') (from Python: a pulumi.Output) (hint: store it in Secrets Manager and write apiKey: "
        "$Secret('<secret name>'))",
    ]


def test_environments_lambda_would_refuse(config_errors: Callable[[str], list[str]], tmp_path: Path) -> None:
    write(tmp_path, {"handler.py": ""})
    big = "x" * 4100
    errors = config_errors(f"""
resources:
  api:
    type: function
    properties:
      packaging: {{type: stacktape-lambda-buildpack, properties: {{entryfilePath: handler.py}}}}
      environment:
        - {{name: AWS_REGION, value: eu-west-1}}
        - {{name: X, value: '1'}}
        - {{name: my-var, value: '2'}}
        - {{name: BIG, value: {big}}}
        - {{name: LATER, value: "$Secret('large')"}}
""")
    assert errors == [
        "stacktape.yml:6:7: resources.api.properties.environment: the environment holds 4131 bytes; Lambda allows "
        "4 KB (4096 bytes) for all of a function's variables together (hint: move large values to a secret or "
        "parameter and read it at run time)",
        "stacktape.yml:7:18: resources.api.properties.environment[0].name: environment variable AWS_REGION is "
        "reserved: Lambda sets it itself (hint: choose another name; the function can read Lambda's value at run "
        "time)",
        "stacktape.yml:8:18: resources.api.properties.environment[1].name: environment variable name 'X' is not one "
        "Lambda accepts: a letter, then at least one letter, digit or underscore (hint: e.g. 'X_VAR')",
        "stacktape.yml:9:18: resources.api.properties.environment[2].name: environment variable name 'my-var' is "
        "not one Lambda accepts: a letter, then at least one letter, digit or underscore (hint: e.g. 'my_var')",
    ]


def test_alarm_and_kafka_events_are_refused_with_a_clear_message(config_errors: Callable[[str], list[str]],
                                                                 tmp_path: Path) -> None:
    write(tmp_path, {"handler.py": ""})
    errors = config_errors("""
resources:
  api:
    type: function
    properties:
      packaging: {type: stacktape-lambda-buildpack, properties: {entryfilePath: handler.py}}
      events:
        - type: cloudwatch-alarm
          properties: {alarmName: a}
""")
    assert errors == ["stacktape.yml:7:17: resources.api.properties.events[0].type: function event type "
                      "'cloudwatch-alarm' is not supported yet; supported: application-load-balancer, cloudwatch-log, "
                      "dynamo-db-stream, event-bus, http-api-gateway, kinesis-stream, s3, schedule, sns, sqs"]


def test_missing_entry_file_and_unsupported_language(config_errors: Callable[[str], list[str]]) -> None:
    errors = config_errors("""
resources:
  a:
    type: function
    properties:
      packaging: {type: stacktape-lambda-buildpack, properties: {entryfilePath: src/missing.py}}
  b:
    type: function
    properties:
      packaging: {type: stacktape-lambda-buildpack, properties: {entryfilePath: main.rb}}
""")
    assert errors[0].startswith("stacktape.yml:5:81: resources.a.properties.packaging.properties.entryfilePath: "
                                "entry file 'src/missing.py' does not exist (hint: paths are relative to the config "
                                "file's directory")
    assert errors[1] == ("stacktape.yml:9:81: resources.b.properties.packaging.properties.entryfilePath: Ruby "
                         "functions are not supported by the Lambda buildpack yet (hint: use Python (.py), "
                         "JavaScript, TypeScript or Go (.go), or package the code yourself with custom-artifact)")


# --- the Python door ------------------------------------------------------------------------


def test_python_args_build_the_same_children_as_yaml(preview: Preview, tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    write(tmp_path, {"handler.py": ""})
    from_yaml = preview("""
resources:
  api:
    type: function
    properties:
      packaging: {type: stacktape-lambda-buildpack, properties: {entryfilePath: handler.py}}
      memory: 512
      url: {enabled: true, auth_mode: AWS_IAM}
""".replace("auth_mode", "authMode"))
    monkeypatch.chdir(tmp_path)  # a program's relative paths start at its working directory
    from_python = run_offline(lambda: Function("api", {  # type: ignore[arg-type]
        "packaging": {"type": "stacktape-lambda-buildpack", "properties": {"entryfile_path": "handler.py"}},
        "memory": 512, "url": {"enabled": True, "auth_mode": "AWS_IAM"}}))

    def comparable(rec: Recording) -> list[tuple[str, str, Any]]:
        return [(r.type, r.name, r.inputs) for r in sorted(rec.resources, key=lambda r: r.urn)
                if r.type != "pulumi:pulumi:Stack"]

    assert comparable(from_python) == comparable(from_yaml)


def test_python_args_problems_name_the_field(tmp_path: Path) -> None:
    with pytest.raises(StacktapeError, match="Function 'api': provisionedConcurrency: provisionedConcurrency 9 is "
                                             "more than reservedConcurrency 1"):
        run_offline(lambda: Function("api", {  # type: ignore[arg-type]
            "packaging": {"type": "custom-artifact", "properties": {"package_path": str(tmp_path),
                                                                    "handler": "a.py:h"}},
            "runtime": "python3.12", "reserved_concurrency": 1, "provisioned_concurrency": 9}))
