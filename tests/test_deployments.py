"""Gradual deployments of workloads with ECS-native strategies: exact inputs of the service, rules and roles."""

import http.server
import importlib.util
import json
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pulumi_aws as aws
import pytest

from stacktape_pulumi.components.deployments import STRATEGIES, deployment_configuration
from stacktape_pulumi.engine import Recording
from tests.lambda_support import esbuild_binary, with_esbuild, write

__all__ = ["esbuild_binary", "with_esbuild"]  # fixtures used below

ROOT = Path(__file__).resolve().parent.parent
ACCOUNT = "123456789012"
TAGS = {"stp:project-name": "stacktape", "stp:stack-name": "stacktape-dev", "stp:stage": "dev"}
HOOK_ARN = f"arn:aws:lambda:us-east-1:{ACCOUNT}:function:stacktape-dev-hook"
CHECK_ARN = f"arn:aws:lambda:us-east-1:{ACCOUNT}:function:stacktape-dev-check"
LB_ROLE_ARN = f"arn:aws:iam::{ACCOUNT}:role/stacktape-dev-ecs-lb-us-east-1"
HOOKS_ROLE_ARN = f"arn:aws:iam::{ACCOUNT}:role/stacktape-dev-app-hooks-us-east-1"

Preview = Callable[[str], Recording]


def workload(deployment: str, *, lb: str = "lb: {type: application-load-balancer}", events: str | None = None) -> str:
    events = events or "[{type: application-load-balancer, properties: {loadBalancerName: lb, containerPort: 80, " \
                       "priority: 5, paths: ['/app/*'], hosts: [example.com]}}]"
    return f"""
resources:
  {lb}
  hook:
    type: function
    properties:
      packaging: {{type: stacktape-lambda-buildpack, properties: {{entryfilePath: hook.py}}}}
  check:
    type: function
    properties:
      packaging: {{type: stacktape-lambda-buildpack, properties: {{entryfilePath: hook.py}}}}
  app:
    type: multi-container-workload
    properties:
      resources: {{cpu: 0.25, memory: 512}}
      containers:
        - name: web
          packaging: {{type: prebuilt-image, properties: {{image: 'nginx:1.27'}}}}
          events: {events}
      deployment: {deployment}
"""


@pytest.fixture
def hook_file(tmp_path: Path) -> Path:
    path = tmp_path / "hook.py"
    path.write_text("def handler(event, context):\n    return {'hookStatus': 'SUCCEEDED'}\n")
    return path


# --- the strategy table ---------------------------------------------------------------------

EXPECTED_CONFIGURATIONS: dict[str, dict[str, Any]] = {
    "Canary10Percent5Minutes": {"strategy": "CANARY", "bakeTimeInMinutes": "0",
                                "canaryConfiguration": {"canaryPercent": 10, "canaryBakeTimeInMinutes": "5"}},
    "Canary10Percent15Minutes": {"strategy": "CANARY", "bakeTimeInMinutes": "0",
                                 "canaryConfiguration": {"canaryPercent": 10, "canaryBakeTimeInMinutes": "15"}},
    "Linear10PercentEvery1Minutes": {"strategy": "LINEAR", "bakeTimeInMinutes": "0",
                                     "linearConfiguration": {"stepPercent": 10, "stepBakeTimeInMinutes": "1"}},
    "Linear10PercentEvery3Minutes": {"strategy": "LINEAR", "bakeTimeInMinutes": "0",
                                     "linearConfiguration": {"stepPercent": 10, "stepBakeTimeInMinutes": "3"}},
    "AllAtOnce": {"strategy": "BLUE_GREEN", "bakeTimeInMinutes": "0"},
}


def test_every_strategy_of_the_reference_is_mapped() -> None:
    assert set(STRATEGIES) == set(EXPECTED_CONFIGURATIONS)
    config = deployment_configuration("Linear10PercentEvery3Minutes", [])
    assert isinstance(config.linear_configuration, aws.ecs.ServiceDeploymentConfigurationLinearConfigurationArgs)
    assert (config.strategy, config.linear_configuration.step_percent, config.canary_configuration,
            config.lifecycle_hooks) == ("LINEAR", 10.0, None, None)


def hooks() -> list[dict[str, Any]]:
    return [
        {"hookTargetArn": HOOK_ARN, "roleArn": HOOKS_ROLE_ARN, "lifecycleStages": ["POST_TEST_TRAFFIC_SHIFT"]},
        {"hookTargetArn": CHECK_ARN, "roleArn": HOOKS_ROLE_ARN, "lifecycleStages": ["POST_PRODUCTION_TRAFFIC_SHIFT"]},
    ]


@pytest.mark.parametrize("strategy", list(EXPECTED_CONFIGURATIONS))
def test_strategy_with_both_hooks_and_the_test_listener(preview: Preview, hook_file: Path, strategy: str) -> None:
    rec = preview(workload(f"{{strategy: {strategy}, beforeAllowTrafficFunction: hook, "
                           "afterTrafficShiftFunction: check}"))
    groups = {g.name: g for g in rec.by_type("aws:lb/targetGroup:TargetGroup")}
    primary, alternate = groups["app-lb-80-target-group"], groups["app-lb-80-alternate-target-group"]
    assert alternate.inputs == {**primary.inputs, "name": "stacktape-dev-app--8deae8-c447d2"}
    primary_arn = f"arn:aws:elasticloadbalancing:us-east-1:{ACCOUNT}:targetgroup/stacktape-dev-app-lb-80-c447d2/"
    rules = {r.name: r for r in rec.by_type("aws:lb/listenerRule:ListenerRule")}
    production, test = rules["app-lb-80-5-rule"], rules["app-lb-8080-5-test-rule"]
    [forward] = production.inputs["actions"]
    [(primary_group, alternate_group)] = [forward["forward"]["targetGroups"]]
    assert primary_group["arn"].startswith(primary_arn)
    assert primary_group["weight"] == 100
    assert alternate_group["arn"].startswith(primary_arn.replace("app-lb-80-c447d2/", "app--8deae8-c447d2/"))
    assert alternate_group["weight"] == 0
    conditions = [{"pathPattern": {"values": ["/app/*"]}}, {"hostHeader": {"values": ["example.com"]}}]
    listeners = {lst.name: lst for lst in rec.by_type("aws:lb/listener:Listener")}
    assert production.inputs == {"listenerArn": production.inputs["listenerArn"], "priority": 5,
                                 "actions": [forward], "conditions": conditions, "tags": TAGS}
    # The test rule is a copy of the production rule on the test listener.
    assert test.inputs == {**production.inputs, "listenerArn": test.inputs["listenerArn"]}
    assert listeners["lb-listener-80"].urn in production.dependencies
    assert listeners["lb-listener-8080"].urn in test.dependencies
    assert listeners["lb-listener-8080"].inputs == {**listeners["lb-listener-80"].inputs, "port": 8080}
    ingress = rec.one("aws:ec2/securityGroup:SecurityGroup", "lb-security-group").inputs["ingress"]
    assert [rule["fromPort"] for rule in ingress] == [80, 8080]

    service = rec.one("aws:ecs/service:Service")
    assert service.inputs["deploymentConfiguration"] == {**EXPECTED_CONFIGURATIONS[strategy], "lifecycleHooks": hooks()}
    [entry] = service.inputs["loadBalancers"]
    assert entry == {
        "containerName": "web", "containerPort": 80, "targetGroupArn": primary_group["arn"],
        "advancedConfiguration": {"alternateTargetGroupArn": alternate_group["arn"],
                                  "productionListenerRule": entry["advancedConfiguration"]["productionListenerRule"],
                                  "testListenerRule": entry["advancedConfiguration"]["testListenerRule"],
                                  "roleArn": LB_ROLE_ARN}}
    advanced = entry["advancedConfiguration"]
    assert advanced["productionListenerRule"] != advanced["testListenerRule"]
    assert all(arn.startswith(f"arn:aws:elasticloadbalancing:us-east-1:{ACCOUNT}:listener-rule/")
               for arn in (advanced["productionListenerRule"], advanced["testListenerRule"]))
    # The circuit breaker keeps rolling back failed deployments; no CodeDeploy anywhere.
    assert service.inputs["deploymentCircuitBreaker"] == {"enable": True, "rollback": True}
    assert "deploymentController" not in service.inputs
    assert not [r for r in rec.resources if r.type.startswith("aws:codedeploy")]

    lb_role = rec.one("aws:iam/role:Role", "stacktape-dev-ecs-load-balancers-role")
    assert lb_role.inputs == {"name": "stacktape-dev-ecs-lb-us-east-1", "assumeRolePolicy": json.dumps(
        {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Service": "ecs.amazonaws.com"},
                                                 "Action": "sts:AssumeRole"}]}), "tags": TAGS}
    attachment = rec.one("aws:iam/rolePolicyAttachment:RolePolicyAttachment",
                         "stacktape-dev-ecs-load-balancers-role-managed")
    assert attachment.inputs == {
        "role": "stacktape-dev-ecs-lb-us-east-1",
        "policyArn": "arn:aws:iam::aws:policy/AmazonECSInfrastructureRolePolicyForLoadBalancers"}
    hooks_role = rec.one("aws:iam/role:Role", "app-deployment-hooks-role")
    assert hooks_role.inputs == {**lb_role.inputs, "name": "stacktape-dev-app-hooks-us-east-1"}
    invoke = rec.one("aws:iam/rolePolicy:RolePolicy", "app-invoke-deployment-hooks")
    assert (invoke.inputs["role"], invoke.inputs["name"]) == ("stacktape-dev-app-hooks-us-east-1",
                                                              "invoke-deployment-hooks")
    # ECS may invoke exactly the two hook functions.
    assert json.loads(invoke.inputs["policy"]) == {"Version": "2012-10-17", "Statement": [{
        "Effect": "Allow", "Action": ["lambda:InvokeFunction"], "Resource": [HOOK_ARN, CHECK_ARN]}]}
    assert {attachment.urn, invoke.urn, test.urn, production.urn} <= set(service.dependencies)


def test_without_a_before_hook_there_is_no_test_traffic(preview: Preview, hook_file: Path) -> None:
    rec = preview(workload("{strategy: AllAtOnce, afterTrafficShiftFunction: check}"))
    assert sorted(lst.inputs["port"] for lst in rec.by_type("aws:lb/listener:Listener")) == [80]
    assert [r.name for r in rec.by_type("aws:lb/listenerRule:ListenerRule")] == ["app-lb-80-5-rule"]
    service = rec.one("aws:ecs/service:Service").inputs
    assert "testListenerRule" not in service["loadBalancers"][0]["advancedConfiguration"]
    assert service["deploymentConfiguration"]["lifecycleHooks"] == hooks()[1:]


def test_without_hooks_ecs_gets_no_hook_role(preview: Preview, hook_file: Path) -> None:
    rec = preview(workload("{strategy: Canary10Percent15Minutes}"))
    assert "lifecycleHooks" not in rec.one("aws:ecs/service:Service").inputs["deploymentConfiguration"]
    assert [r.name for r in rec.by_type("aws:iam/role:Role") if "hooks" in r.name] == []


def test_custom_listeners_use_the_named_test_listener(preview: Preview, hook_file: Path) -> None:
    lb = ("lb: {type: application-load-balancer, properties: {listeners: [{protocol: HTTP, port: 80}, "
          "{protocol: HTTP, port: 9000}]}}")
    events = ("[{type: application-load-balancer, properties: {loadBalancerName: lb, listenerPort: 80, "
              "containerPort: 80, priority: 5, paths: ['*']}}]")
    rec = preview(workload("{strategy: AllAtOnce, beforeAllowTrafficFunction: hook, testListenerPort: 9000}",
                           lb=lb, events=events))
    assert sorted(lst.inputs["port"] for lst in rec.by_type("aws:lb/listener:Listener")) == [80, 9000]
    test = rec.one("aws:lb/listenerRule:ListenerRule", "app-lb-9000-5-test-rule")
    assert rec.one("aws:lb/listener:Listener", "lb-listener-9000").urn in test.dependencies


def test_service_connect_clients_keep_working_under_deployment(preview: Preview, hook_file: Path) -> None:
    config = workload("{strategy: AllAtOnce}") + """
  backend:
    type: multi-container-workload
    properties:
      resources: {cpu: 0.25, memory: 512}
      containers:
        - name: api
          packaging: {type: prebuilt-image, properties: {image: 'api:1'}}
          events: [{type: service-connect, properties: {containerPort: 3000}}]
"""
    rec = preview(config)
    service = rec.one("aws:ecs/service:Service", "app-service").inputs
    assert service["serviceConnectConfiguration"]["enabled"] is True
    assert service["deploymentConfiguration"]["strategy"] == "BLUE_GREEN"


# --- refused configs ------------------------------------------------------------------------


def test_a_hook_naming_a_non_function_resource_is_a_located_error(config_errors: Callable[[str], list[str]],
                                                                  hook_file: Path) -> None:
    errors = config_errors(workload("{strategy: AllAtOnce, beforeAllowTrafficFunction: lb}"))
    assert errors == [
        "stacktape.yml:19:69: resources.app.properties.deployment.beforeAllowTrafficFunction: Referenced resource "
        "with name lb of type function could not be resolved in the config (referenced from "
        "app(multi-container-workload)). (hint: Referenced resource does not have the correct type (function); lb "
        "is of type application-load-balancer)"]


@pytest.mark.parametrize(("source", "call"), [
    ("import boto3\n\ndef handler(event, context):\n"
     "    boto3.client('codedeploy').put_lifecycle_event_hook_execution_status(\n"
     "        deploymentId=event['DeploymentId'], lifecycleEventHookExecutionId=event['LifecycleEventHookExecutionId'],"
     "\n        status='Succeeded')\n", "put_lifecycle_event_hook_execution_status"),
    ("const { PutLifecycleEventHookExecutionStatusCommand } = require('@aws-sdk/client-codedeploy');\n",
     "PutLifecycleEventHookExecutionStatus"),
], ids=["python", "javascript"])
def test_a_hook_written_for_codedeploy_is_told_to_answer_ecs(config_errors: Callable[[str], list[str]],
                                                             hook_file: Path, source: str, call: str) -> None:
    hook_file.write_text(source)
    assert config_errors(workload("{strategy: AllAtOnce, afterTrafficShiftFunction: hook}")) == [
        "stacktape.yml:19:68: resources.app.properties.deployment.afterTrafficShiftFunction: hook function hook "
        f"reports to CodeDeploy ({call} in hook.py), but stacktape-pulumi deploys with ECS's own strategies: the "
        "hook is an ECS lifecycle hook, nothing reads CodeDeploy's answer, and the deployment waits for the hook "
        "until it fails. (hint: remove the CodeDeploy call and return the verdict instead: return "
        "{\"hookStatus\": \"SUCCEEDED\"} (or \"FAILED\"); see programs/hooks/smoke_test.py)"]


def test_deployment_preconditions_are_located_errors(config_errors: Callable[[str], list[str]],
                                                     hook_file: Path) -> None:
    no_alb = "[{type: workload-internal, properties: {containerPort: 80}}]"
    assert config_errors(workload("{strategy: AllAtOnce}", events=no_alb)) == [
        "stacktape.yml:19:7: resources.app.properties.deployment: Error in multi-container-workload app: The compute "
        "resource must use application-load-balancer event integration to use deployment."]
    two_rules = ("[{type: application-load-balancer, properties: {loadBalancerName: lb, containerPort: 80, "
                 "priority: 5, paths: ['/a']}}, {type: application-load-balancer, properties: {loadBalancerName: lb, "
                 "containerPort: 80, priority: 6, paths: ['/b']}}]")
    assert config_errors(workload("{strategy: AllAtOnce}", events=two_rules)) == [
        "stacktape.yml:18:138: resources.app.properties.containers[0].events[1]: Error in multi-container-workload "
        "app: a workload with deployment can have only one application-load-balancer event: ECS shifts the traffic "
        "of exactly one listener rule. (hint: merge the events' conditions into one event, or remove deployment)"]
    two_ports = two_rules.replace("containerPort: 80, priority: 6", "containerPort: 81, priority: 6")
    [error] = config_errors(workload("{strategy: AllAtOnce}", events=two_ports))
    assert "Only one container of compute resource can be targeted by exactly one application-load-balancer " \
           "listener when using deployment property." in error


def test_test_listener_port_rules(config_errors: Callable[[str], list[str]], hook_file: Path) -> None:
    assert config_errors(workload("{strategy: AllAtOnce, beforeAllowTrafficFunction: hook, testListenerPort: 80}")) \
        == ["stacktape.yml:19:93: resources.app.properties.deployment.testListenerPort: Error in "
            "multi-container-workload app: test traffic cannot use port 80: it is a production listener of "
            "application-load-balancer lb. (hint: choose another testListenerPort (default 8080))"]
    lb = "lb: {type: application-load-balancer, properties: {listeners: [{protocol: HTTP, port: 80}]}}"
    events = ("[{type: application-load-balancer, properties: {loadBalancerName: lb, listenerPort: 80, "
              "containerPort: 80, priority: 5, paths: ['*']}}]")
    [missing] = config_errors(workload("{strategy: AllAtOnce, beforeAllowTrafficFunction: hook}", lb=lb,
                                       events=events))
    assert "You need to specify testListenerPort when using beforeAllowTrafficFunction and load balancer with " \
           "custom listeners (hint: listener ports of lb: 80)" in missing
    absent = config_errors(workload("{strategy: AllAtOnce, beforeAllowTrafficFunction: hook, testListenerPort: 81}",
                                    lb=lb, events=events))
    assert absent == ["stacktape.yml:19:93: resources.app.properties.deployment.testListenerPort: Error in "
                      "multi-container-workload resource app.",
                      "Referenced application-load-balancer lb does NOT have listener on port 81. (hint: listener "
                      "ports of lb: 80)"]


# --- the seed page's examples (multi-container-workloads.txt) -------------------------------
# As on the page, except `memory: 4096`: the page's `cpu: 2, memory: 2048` is not a Fargate size (2 vCPU
# take 4096-16384 MiB), which the reference rejects too.

SEED_CONTAINER = """
  myApp:
    type: multi-container-workload
    properties:
      containers:
        - name: api-container
          packaging:
            type: stacktape-image-buildpack
            properties:
              entryfilePath: src/index.ts
          events:
            - type: application-load-balancer
              properties:
                loadBalancerName: myLoadBalancer
                containerPort: 80
                priority: 1
                paths: ['*']
      resources:
        cpu: 2
        memory: 4096
      deployment:
        strategy: Canary10Percent5Minutes
"""
SEED_STRATEGY = "resources:\n  myLoadBalancer:\n    type: application-load-balancer" + SEED_CONTAINER
SEED_HOOKS = SEED_STRATEGY + """        afterTrafficShiftFunction: validateDeployment
  validateDeployment:
    type: function
    properties:
      packaging:
        type: stacktape-lambda-buildpack
        properties:
          entryfilePath: src/validate-deployment.ts
"""
SEED_TEST_LISTENER = SEED_STRATEGY + """        beforeAllowTrafficFunction: testDeployment
  testDeployment:
    type: function
    properties:
      packaging:
        type: stacktape-lambda-buildpack
        properties:
          entryfilePath: src/test-deployment.ts
      environment:
        - name: LB_DOMAIN
          value: $ResourceParam('myLoadBalancer', 'domain')
        - name: TEST_LISTENER_PORT
          value: 8080
"""
SEED_SOURCES = {
    "src/index.ts": "import http from 'http';\nhttp.createServer((_, res) => res.end('ok')).listen(80);\n",
    "src/validate-deployment.ts": "export default async () => ({ hookStatus: 'SUCCEEDED' });\n",
    "src/test-deployment.ts": "export default async () => ({ hookStatus: 'SUCCEEDED' });\n",
}


@pytest.fixture
def seed_sources(tmp_path: Path) -> None:
    write(tmp_path, SEED_SOURCES)


def test_seed_deployment_strategy_example(preview: Preview, seed_sources: None) -> None:
    rec = preview(SEED_STRATEGY)
    service = rec.one("aws:ecs/service:Service").inputs
    assert service["deploymentConfiguration"] == EXPECTED_CONFIGURATIONS["Canary10Percent5Minutes"]
    assert "testListenerRule" not in service["loadBalancers"][0]["advancedConfiguration"]


def test_seed_hook_functions_example(preview: Preview, seed_sources: None, with_esbuild: Path) -> None:
    rec = preview(SEED_HOOKS)
    hooks = rec.one("aws:ecs/service:Service").inputs["deploymentConfiguration"]["lifecycleHooks"]
    assert hooks == [{"hookTargetArn": f"arn:aws:lambda:us-east-1:{ACCOUNT}:function:stacktape-dev-validateDeployment",
                      "roleArn": f"arn:aws:iam::{ACCOUNT}:role/stacktape-dev-myApp-hooks-us-east-1",
                      "lifecycleStages": ["POST_PRODUCTION_TRAFFIC_SHIFT"]}]
    assert rec.one("aws:lambda/function:Function").inputs["handler"] == "index.default"


def test_seed_test_listener_example(preview: Preview, seed_sources: None, with_esbuild: Path) -> None:
    rec = preview(SEED_TEST_LISTENER)
    assert sorted(lst.inputs["port"] for lst in rec.by_type("aws:lb/listener:Listener")) == [80, 8080]
    rule = rec.one("aws:lb/listenerRule:ListenerRule", "myApp-myLoadBalancer-8080-1-test-rule")
    assert rule.inputs["conditions"] == [{"pathPattern": {"values": ["*"]}}]
    variables = rec.one("aws:lambda/function:Function").inputs["environment"]["variables"]
    dns_name = rec.one("aws:lb/loadBalancer:LoadBalancer").name
    assert variables["TEST_LISTENER_PORT"] == "8080"
    assert variables["LB_DOMAIN"].endswith(".us-east-1.elb.amazonaws.com")
    assert dns_name


# --- the example hook -----------------------------------------------------------------------


def load_hook() -> ModuleType:
    path = ROOT / "programs" / "hooks" / "smoke_test.py"
    spec = importlib.util.spec_from_file_location("smoke_test", path)
    assert spec
    assert spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture
def server() -> Iterator[str]:
    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            self.send_response(200 if self.path == "/ok" else 503)
            self.end_headers()

        def log_message(self, *args: Any) -> None:
            pass

    httpd = http.server.HTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()


def test_example_hook_answers_the_ecs_contract(server: str, monkeypatch: pytest.MonkeyPatch) -> None:
    hook = load_hook()
    event = {"lifecycleStage": "POST_TEST_TRAFFIC_SHIFT", "executionDetails": {}}
    monkeypatch.setenv("RETRY_SECONDS", "0")
    monkeypatch.setenv("TEST_URL", f"{server}/ok")
    assert hook.handler(event, None) == {"hookStatus": "SUCCEEDED"}
    monkeypatch.setenv("TEST_URL", f"{server}/broken")
    monkeypatch.setenv("ATTEMPTS", "2")
    assert hook.handler(event, None) == {"hookStatus": "FAILED"}
