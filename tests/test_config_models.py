"""Config models: one test per validation rule, asserting the exact located message."""

import ast
import inspect
import subprocess
import sys
import textwrap
import zipfile
from pathlib import Path
from typing import get_args

import pytest
from pydantic import ValidationError

from stacktape_pulumi.config.loader import load_yaml_file
from stacktape_pulumi.config.models import (
    FARGATE_MEMORY_BY_CPU,
    SUPPORTED_RESOURCE_TYPES,
    FunctionProps,
    MultiContainerWorkloadProps,
    SqsQueue,
    StacktapeConfig,
)
from stacktape_pulumi.config.models import root as root_module
from stacktape_pulumi.config.models.root import RESOURCE_MODELS, resource_model
from tests.issues_support import config_issues


# A Fargate workload with one container; tests append events or change one property.
def workload(events: str = "", extra: str = "", resources: str = "cpu: 0.25\n        memory: 512") -> str:
    return f"""
resources:
  app:
    type: multi-container-workload
    properties:
      resources:
        {resources}
      containers:
        - name: web
          packaging:
            type: prebuilt-image
            properties:
              image: nginx
{textwrap.indent(textwrap.dedent(events).strip(), " " * 10) if events else ""}
{textwrap.indent(textwrap.dedent(extra).strip(), " " * 6) if extra else ""}
"""


# --- Valid configs ----------------------------------------------------------------------

# The examples of the product page (multi-container-workloads.txt) that use only the
# supported types, re-indented. The page's examples use `cpu: 2, memory: 2048`, which the
# reference itself rejects (2 vCPU needs 4096-16384 MiB): memory is 4096 here. The
# dependsOn example names a container `backend` that does not exist (renamed to match),
# and the scaling example uses `myApiGateway` without defining it (added).
PRODUCT_PAGE_EXAMPLES = {
    "basic-usage": """
        resources:
          mainGateway:
            type: http-api-gateway
          apiServer:
            type: multi-container-workload
            properties:
              resources:
                cpu: 2
                memory: 4096
              scaling:
                minInstances: 1
                maxInstances: 5
              containers:
                - name: api-container
                  packaging:
                    type: stacktape-image-buildpack
                    properties:
                      entryfilePath: src/main.ts
                  environment:
                    - name: PORT
                      value: 3000
                  events:
                    - type: http-api-gateway
                      properties:
                        method: '*'
                        path: /{proxy+}
                        containerPort: 3000
                        httpApiGatewayName: mainGateway
        """,
    "depends-on": """
        resources:
          myApiGateway:
            type: http-api-gateway
          myMultiContainerWorkload:
            type: multi-container-workload
            properties:
              containers:
                - name: frontend-container
                  packaging:
                    type: stacktape-image-buildpack
                    properties:
                      entryfilePath: src/client/index.ts
                  dependsOn:
                    - containerName: api-container
                      condition: START
                  environment:
                    - name: PORT
                      value: 80
                    - name: API_COINTAINER_PORT
                      value: 3000
                  events:
                    - type: http-api-gateway
                      properties:
                        httpApiGatewayName: myApiGateway
                        containerPort: 80
                        path: '*'
                        method: '*'
                - name: api-container
                  packaging:
                    type: stacktape-image-buildpack
                    properties:
                      entryfilePath: src/server/index.ts
                  environment:
                    - name: PORT
                      value: 3000
                  events:
                    - type: workload-internal
                      properties:
                        containerPort: 3000
              resources:
                cpu: 2
                memory: 4096
        """,
    "healthcheck": """
        resources:
          myContainerWorkload:
            type: multi-container-workload
            properties:
              containers:
                - name: api-container
                  packaging:
                    type: stacktape-image-buildpack
                    properties:
                      entryfilePath: src/index.ts
                  internalHealthCheck:
                    healthCheckCommand: ['CMD-SHELL', 'curl -f http://localhost/ || exit 1']
                    intervalSeconds: 20
                    timeoutSeconds: 5
                    startPeriodSeconds: 150
                    retries: 2
              resources:
                cpu: 2
                memory: 4096
        """,
    "http-api-event": """
        resources:
          myApiGateway:
            type: http-api-gateway
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
                    - type: http-api-gateway
                      properties:
                        httpApiGatewayName: myApiGateway
                        containerPort: 80
                        path: '/my-path'
                        method: GET
              resources:
                cpu: 2
                memory: 4096
        """,
    "alb-event": """
        resources:
          myLoadBalancer:
            type: application-load-balancer
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
        """,
    "workload-internal": """
        resources:
          myApiGateway:
            type: http-api-gateway
          myApp:
            type: multi-container-workload
            properties:
              containers:
                - name: frontend
                  packaging:
                    type: stacktape-image-buildpack
                    properties:
                      entryfilePath: src/frontend/index.ts
                  dependsOn:
                    - containerName: backend
                      condition: START
                  environment:
                    - name: PORT
                      value: 80
                    - name: BACKEND_PORT
                      value: 3000
                  events:
                    - type: http-api-gateway
                      properties:
                        httpApiGatewayName: myApiGateway
                        containerPort: 80
                        path: /my-path
                        method: GET
                - name: backend
                  packaging:
                    type: stacktape-image-buildpack
                    properties:
                      entryfilePath: src/backend/index.ts
                  environment:
                    - name: PORT
                      value: 3000
                  events:
                    - type: workload-internal
                      properties:
                        containerPort: 3000
              resources:
                cpu: 2
                memory: 4096
        """,
    "service-connect": """
        resources:
          internalService:
            type: multi-container-workload
            properties:
              containers:
                - name: api
                  packaging:
                    type: stacktape-image-buildpack
                    properties:
                      entryfilePath: src/private/index.ts
                  events:
                    - type: service-connect
                      properties:
                        containerPort: 3000
              resources:
                cpu: 2
                memory: 4096
          publicService:
            type: multi-container-workload
            properties:
              containers:
                - name: api
                  packaging:
                    type: stacktape-image-buildpack
                    properties:
                      entryfilePath: src/public/index.ts
              resources:
                cpu: 2
                memory: 4096
        """,
    "fargate": """
        resources:
          myContainerWorkload:
            type: multi-container-workload
            properties:
              containers:
                - name: api-container
                  packaging:
                    type: stacktape-image-buildpack
                    properties:
                      entryfilePath: src/index.ts
              resources:
                cpu: 0.25
                memory: 512
        """,
    "ec2": """
        resources:
          myContainerWorkload:
            type: multi-container-workload
            properties:
              containers:
                - name: api-container
                  packaging:
                    type: stacktape-image-buildpack
                    properties:
                      entryfilePath: src/index.ts
              resources:
                instanceTypes:
                  - c5.large
        """,
    "scaling": """
        resources:
          myApiGateway:
            type: http-api-gateway
          myContainerWorkload:
            type: multi-container-workload
            properties:
              containers:
                - name: container-1
                  packaging:
                    type: stacktape-image-buildpack
                    properties:
                      entryfilePath: src/cont1/index.ts
                  events:
                    - type: http-api-gateway
                      properties:
                        httpApiGatewayName: myApiGateway
                        containerPort: 80
                        method: '*'
                        path: '*'
                - name: container-2
                  packaging:
                    type: stacktape-image-buildpack
                    properties:
                      entryfilePath: src/cont1/index.ts
                  events:
                    - type: workload-internal
                      properties:
                        containerPort: 3000
              resources:
                cpu: 0.5
                memory: 1024
              scaling:
                minInstances: 1
                maxInstances: 5
                scalingPolicy:
                  keepAvgMemoryUtilizationUnder: 80
                  keepAvgCpuUtilizationUnder: 80
        """,
    # The page's iamRoleStatements example, with its `cloudformationResources`.
    "iam-role-statements": """
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
        """,
    "deployment": """
        resources:
          myLoadBalancer:
            type: application-load-balancer
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
        """,
    "hook-functions": """
        resources:
          myLoadBalancer:
            type: application-load-balancer
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
                afterTrafficShiftFunction: validateDeployment
          validateDeployment:
            type: function
            properties:
              packaging:
                type: stacktape-lambda-buildpack
                properties:
                  entryfilePath: src/validate-deployment.ts
        """,
    "test-traffic-listener": """
        resources:
          myLoadBalancer:
            type: application-load-balancer
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
                beforeAllowTrafficFunction: testDeployment
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
        """,
}


@pytest.mark.parametrize("name", sorted(PRODUCT_PAGE_EXAMPLES))
def test_product_page_examples_are_valid(tmp_path: Path, name: str) -> None:
    assert config_issues(tmp_path, PRODUCT_PAGE_EXAMPLES[name]) == []


def test_product_page_basic_usage_verbatim_fails_the_fargate_memory_rule(tmp_path: Path, cfg: str) -> None:
    text = PRODUCT_PAGE_EXAMPLES["basic-usage"].replace("memory: 4096", "memory: 2048")
    assert config_issues(tmp_path, text) == [
        f"{cfg}:9:17: resources.apiServer.properties.resources.memory: Error in resources of container "
        "compute "
        "resource apiServer. Memory value '2048' is not compatible with CPU value '2'.\n"
        "Allowed memory values for this CPU setting are: "
        "4096,5120,6144,7168,8192,9216,10240,11264,12288,13312,14336,15360,16384"
    ]


def test_full_property_tree_is_accepted(tmp_path: Path) -> None:
    zipfile.ZipFile(tmp_path / "dist.zip", "w").close()
    text = """
        serviceName: my-service
        variables:
          size: 512
        stackConfig:
          tags:
            - name: team
              value: core
          outputs:
            - name: ApiUrl
              value: $ResourceParam('gw', 'url')
              description: the API
              export: true
          vpc:
            nat:
              availabilityZones: 1
          disableStackInfoSaving: true
        resources:
          gw:
            type: http-api-gateway
            properties:
              payloadFormat: '2.0'
              cors:
                enabled: true
                allowedOrigins: ['https://example.com']
                allowedMethods: [GET, POST]
                maxAge: 600
              logging:
                format: CLF
                retentionDays: 14
                logForwarding:
                  type: datadog
                  properties:
                    apiKey: $Secret('dd.key')
              customDomains:
                - domainName: api.example.com
              alarms:
                - trigger:
                    type: http-api-gateway-latency
                    properties:
                      thresholdMilliseconds: 500
                      statistic: p95
                  evaluation:
                    period: 120
                  notificationTargets:
                    - type: email
                      properties:
                        sender: a@example.com
                        recipient: b@example.com
          lb:
            type: application-load-balancer
            properties:
              interface: internet
              customDomains: [lb.example.com]
              listeners:
                - protocol: HTTP
                  port: 80
                  defaultAction:
                    type: redirect
                    properties:
                      statusCode: HTTP_301
                      protocol: HTTPS
                - protocol: HTTPS
                  port: 443
                  whitelistIps: [10.0.0.0/8]
                - protocol: HTTPS
                  port: 8443
              cdn:
                enabled: true
                listenerPort: 443
                cachingOptions:
                  cacheMethods: [GET, HEAD]
                  defaultTTL: 60
                routeRewrites:
                  - path: /api/*
                    routeTo:
                      type: http-api-gateway
                      properties:
                        httpApiGatewayName: gw
              alarms:
                - trigger:
                    type: application-load-balancer-unhealthy-targets
                    properties:
                      thresholdPercent: 10
                      onlyIncludeTargets: [app]
          app:
            type: multi-container-workload
            properties:
              resources:
                cpu: 1
                memory: 4096
                architecture: arm64
              scaling:
                minInstances: 2
                maxInstances: 4
                scalingPolicy:
                  keepAvgCpuUtilizationUnder: 60
              enableRemoteSessions: true
              usePrivateSubnetsWithNAT: true
              connectTo: [worker, aws:ses]
              iamRoleStatements:
                - Sid: Read
                  Effect: Deny
                  Action: ['s3:GetObject']
                  Resource: ['*']
                  Condition:
                    Bool:
                      aws:SecureTransport: 'false'
              deployment:
                strategy: Linear10PercentEvery1Minutes
                beforeAllowTrafficFunction: worker
                testListenerPort: 8443
              containers:
                - name: web
                  essential: true
                  packaging:
                    type: custom-dockerfile
                    properties:
                      buildContextPath: .
                      dockerfilePath: Dockerfile
                      buildArgs:
                        - argName: VERSION
                          value: '1'
                      entryPoint: [/entry.sh]
                  logging:
                    retentionDays: 30
                    logForwarding:
                      type: http-endpoint
                      properties:
                        endpointUrl: https://logs.example.com
                        retryDuration: 60
                  stopTimeout: 30
                  internalHealthCheck:
                    healthCheckCommand: [CMD-SHELL, exit 0]
                    intervalSeconds: 300
                    timeoutSeconds: 60
                    retries: 10
                    startPeriodSeconds: 0
                  loadBalancerHealthCheck:
                    healthcheckPath: /health
                    healthcheckInterval: 10
                    healthcheckTimeout: 5
                    healthCheckProtocol: HTTP
                  volumeMounts: []
                  events:
                    - type: application-load-balancer
                      properties:
                        loadBalancerName: lb
                        listenerPort: 443
                        containerPort: 8080
                        priority: 50000
                        hosts: ['*.example.com']
                        headers:
                          - headerName: X-Env
                            values: [prod]
                        queryParams:
                          - paramName: v
                            values: ['2']
                        sourceIps: [0.0.0.0/0]
                - name: sidecar
                  essential: false
                  dependsOn:
                    - containerName: web
                      condition: HEALTHY
                  packaging:
                    type: nixpacks
                    properties:
                      sourceDirectoryPath: sidecar
                      phases:
                        - name: build
                          cmds: [make]
                  events:
                    - type: workload-internal
                      properties:
                        containerPort: 9000
                - name: buildpack
                  packaging:
                    type: external-buildpack
                    properties:
                      sourceDirectoryPath: other
                      buildpacks: [paketo-buildpacks/nodejs]
                - name: py
                  packaging:
                    type: stacktape-image-buildpack
                    properties:
                      entryfilePath: app/main.py:app
                      languageSpecificConfig:
                        pythonVersion: 3.12
                        runAppAs: ASGI
          worker:
            type: function
            properties:
              packaging:
                type: custom-artifact
                properties:
                  packagePath: dist.zip
                  handler: index.js:handler
              runtime: nodejs22.x
              architecture: arm64
              memory: 10240
              timeout: 900
              storage: 10240
              joinDefaultVpc: true
              reservedConcurrency: 0
              provisionedConcurrency: 1
              layers: [arn:1, arn:2, arn:3, arn:4, arn:5]
              tags:
                - name: a
                  value: b
              destinations:
                onFailure: arn:aws:sqs:us-east-1:123456789012:dlq
              url:
                enabled: true
                authMode: AWS_IAM
                cors:
                  enabled: true
              deployment:
                strategy: Linear10PercentEvery1Minute
              alarms:
                - trigger:
                    type: lambda-error-rate
                    properties:
                      thresholdPercent: 5
              volumeMounts:
                - type: efs
                  properties:
                    efsFilesystemName: $Var().fs
                    mountPath: /mnt/data
              events:
                - type: http-api-gateway
                  properties:
                    httpApiGatewayName: gw
                    method: GET
                    path: /jobs/{id}
                    authorizer:
                      type: lambda
                      properties:
                        functionName: worker
                        cacheResultSeconds: 300
                - type: application-load-balancer
                  properties:
                    loadBalancerName: lb
                    listenerPort: 8443
                    priority: 7
                    paths: [/jobs]
        """
    assert config_issues(tmp_path, text) == []


def test_defaults_are_reference_constants_or_none_for_component_defaults(tmp_path: Path) -> None:
    path = tmp_path / "stacktape.yml"
    path.write_text(textwrap.dedent(workload()).lstrip("\n"))
    config = StacktapeConfig.model_validate(load_yaml_file(path).data)
    app = config.resources["app"]
    assert app.type == "multi-container-workload"
    props = app.properties
    container = props.containers[0]
    assert (container.essential, container.stopTimeout, container.logging) == (True, None, None)
    assert (props.enableRemoteSessions, props.usePrivateSubnetsWithNAT, props.scaling) == (False, False, None)
    assert props.resources.architecture is None


def test_exports() -> None:
    assert SUPPORTED_RESOURCE_TYPES == (
        "multi-container-workload", "http-api-gateway", "application-load-balancer", "function", "bucket",
        "dynamo-db-table", "sqs-queue", "sns-topic", "event-bus", "web-service", "private-service",
        "worker-service", "relational-database", "efs-filesystem", "network-load-balancer",
    )
    assert FARGATE_MEMORY_BY_CPU[0.25] == (512, 1024, 2048)
    assert FARGATE_MEMORY_BY_CPU[0.5] == (1024, 2048, 3072, 4096)
    assert FARGATE_MEMORY_BY_CPU[1] == (2048, 3072, 4096, 5120, 6144, 7168, 8192)
    assert (FARGATE_MEMORY_BY_CPU[2][0], FARGATE_MEMORY_BY_CPU[2][-1], len(FARGATE_MEMORY_BY_CPU[2])) == (
        4096, 16384, 13)
    assert (FARGATE_MEMORY_BY_CPU[4][0], FARGATE_MEMORY_BY_CPU[4][-1], len(FARGATE_MEMORY_BY_CPU[4])) == (
        8192, 30720, 23)
    assert FARGATE_MEMORY_BY_CPU[8] == tuple(range(16384, 61441, 4096))
    assert FARGATE_MEMORY_BY_CPU[16] == tuple(range(32768, 122881, 8192))


# --- Root -------------------------------------------------------------------------------


def test_unknown_resource_type_suggests_the_closest(tmp_path: Path, cfg: str) -> None:
    text = """
        resources:
          app:
            type: multi-container-workloads
        """
    assert config_issues(tmp_path, text) == [
        f"{cfg}:3:11: resources.app.type: unsupported type 'multi-container-workloads'; supported: "
        "multi-container-workload, http-api-gateway, application-load-balancer, function, bucket, dynamo-db-table, "
        "sqs-queue, sns-topic, event-bus, web-service, private-service, worker-service, relational-database, "
        "efs-filesystem, network-load-balancer "
        "(hint: did you mean 'multi-container-workload'?)"
    ]


def test_missing_resource_type_lists_the_types(tmp_path: Path, cfg: str) -> None:
    text = """
        resources:
          app:
            properties: {}
        """
    assert config_issues(tmp_path, text) == [
        f"{cfg}:2:3: resources.app: missing required key 'type' (hint: allowed values: multi-container-workload, "
        "http-api-gateway, application-load-balancer, function, bucket, dynamo-db-table, sqs-queue, sns-topic, "
        "event-bus, web-service, private-service, worker-service, relational-database, efs-filesystem, "
        "network-load-balancer)"
    ]


def test_each_resource_type_is_its_models_type_literal() -> None:
    # RESOURCE_MODELS names each type's model by module and class: the names must stay the models'.
    for resource_type in RESOURCE_MODELS:
        model = resource_model(resource_type)
        assert get_args(model.model_fields["type"].annotation) == (resource_type,)
    assert tuple(RESOURCE_MODELS) == SUPPORTED_RESOURCE_TYPES


def test_the_union_type_checkers_see_holds_every_resource_model() -> None:
    # `Resource` is a union only for type checkers (under TYPE_CHECKING): its members must be the models.
    tree = ast.parse(inspect.getsource(root_module))
    [union] = [node.value for branch in ast.walk(tree)
               if isinstance(branch, ast.If) and getattr(branch.test, "id", None) == "TYPE_CHECKING"
               for node in branch.body if isinstance(node, ast.Assign)
               and [getattr(target, "id", None) for target in node.targets] == ["Resource"]]
    names = {node.id for node in ast.walk(union) if isinstance(node, ast.Name)} - {"Annotated", "Field"}
    assert names == {name for _, name in RESOURCE_MODELS.values()}


@pytest.mark.parametrize(("value", "message"), [
    ("5", "wrong type (a number): input should be a valid dictionary or object to extract fields from"),
    ("null", "wrong type (empty): input should be a valid dictionary or object to extract fields from"),
])
def test_a_resource_that_is_no_mapping_is_a_type_error(tmp_path: Path, cfg: str, value: str, message: str) -> None:
    assert config_issues(tmp_path, f"resources:\n  web: {value}\n") == [f"{cfg}:2:8: resources.web: {message}"]


@pytest.mark.parametrize("value", ["5", "[1]"])
def test_a_type_that_is_no_string_is_unsupported(tmp_path: Path, cfg: str, value: str) -> None:
    issues = config_issues(tmp_path, f"resources:\n  web:\n    type: {value}\n")
    assert issues == [f"{cfg}:3:11: resources.web.type: unsupported type '{value}'; supported: "
                      f"{', '.join(SUPPORTED_RESOURCE_TYPES)}"]


def test_an_unknown_key_of_a_resource_lists_its_types_keys(tmp_path: Path, cfg: str) -> None:
    text = """
        resources:
          q:
            type: sqs-queue
            bogus: 1
        """
    assert config_issues(tmp_path, text) == [
        f"{cfg}:4:5: resources.q.bogus: unknown key 'bogus' (hint: allowed keys: overrides, properties, type)"]


def test_a_resource_model_instance_is_accepted_from_python() -> None:
    queue = SqsQueue(type="sqs-queue")
    config = StacktapeConfig(resources={"q": queue})
    assert config.resources["q"] is queue


def test_models_load_by_the_resource_types_a_config_uses() -> None:
    # Validating a config of queues imports the queue's models, not those of the other types.
    script = ("import sys\n"
              "from stacktape_pulumi.config.models.root import StacktapeConfig\n"
              "StacktapeConfig.model_validate({'resources': {'q': {'type': 'sqs-queue'}}})\n"
              "prefix = 'stacktape_pulumi.config.models.'\n"
              "print(sorted(m.removeprefix(prefix) for m in sys.modules if m.startswith(prefix)))\n")
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    assert done.stdout.splitlines()[-1] == str(sorted(
        ["cloudformation", "common", "event_bus", "provider_config", "root", "scripts", "shared", "sqs_queue"]))


def test_a_value_no_union_member_accepts_is_one_issue(tmp_path: Path, cfg: str) -> None:
    text = """
        resources:
          web:
            type: multi-container-workload
            properties:
              resources: {cpu: 0.25, memory: 512}
              containers:
                - name: web
                  packaging: {type: prebuilt-image, properties: {image: nginx}}
                  environment:
                    - {name: MAP, value: {a: 1}}
                    - {name: LIST, value: [1]}
        """
    assert config_issues(tmp_path, text) == [
        f"{cfg}:10:34: resources.web.properties.containers[0].environment[0].value: wrong type (a mapping): "
        "expected a string, an integer, a number or a boolean",
        f"{cfg}:11:35: resources.web.properties.containers[0].environment[1].value: wrong type (a list): "
        "expected a string, an integer, a number or a boolean",
    ]


def test_resource_name_must_be_alphanumeric(tmp_path: Path, cfg: str) -> None:
    text = """
        resources:
          my-api:
            type: http-api-gateway
        """
    assert config_issues(tmp_path, text) == [
        f"{cfg}:2:3: resources.my-api: Resource name \"my-api\" is not valid. Each resource name must be "
        "alphanumeric. (hint: use only letters and digits, e.g. myApi)"
    ]


@pytest.mark.parametrize(("key", "message", "hint"), [
    ("deploymentConfig", "'deploymentConfig' is not supported by stacktape-pulumi",
     "use Pulumi's own controls: the `protect` resource option, `pulumi up` options and stack settings"),
])
def test_unsupported_top_level_sections_are_rejected(tmp_path: Path, cfg: str, key: str, message: str,
                                                     hint: str) -> None:
    text = f"""
        resources: {{}}
        {key}:
          something: 1
        """
    assert config_issues(tmp_path, text) == [f"{cfg}:2:1: {key}: {message} (hint: {hint})"]


def test_overrides_are_an_unknown_key(tmp_path: Path, cfg: str) -> None:
    text = """
        resources:
          gw:
            type: http-api-gateway
            overrides:
              GwApi:
                Properties.Name: x
        """
    assert config_issues(tmp_path, text) == [
        f"{cfg}:4:5: resources.gw.overrides: unknown key 'overrides' (hint: stacktape-pulumi has no "
        "CloudFormation "
        "overrides; change child resources with Pulumi transforms (pulumi.ResourceOptions(transforms=[...])))"
    ]


def test_unknown_key_suggests_the_closest(tmp_path: Path, cfg: str) -> None:
    text = workload(extra="enableRemoteSesions: true")
    assert config_issues(tmp_path, text) == [
        f"{cfg}:15:7: resources.app.properties.enableRemoteSesions: unknown key 'enableRemoteSesions' "
        "(hint: did you mean 'enableRemoteSessions'?)"
    ]


def test_reuse_vpc_needs_exactly_one_method(tmp_path: Path, cfg: str) -> None:
    text = """
        stackConfig:
          vpc:
            reuseVpc:
              vpcId: vpc-123
              projectName: other
              stage: prod
        resources: {}
        """
    assert config_issues(tmp_path, text) == [
        f"{cfg}:3:5: stackConfig.vpc.reuseVpc: Invalid stackConfig.vpc.reuseVpc configuration. Specify "
        "either "
        "vpcId or both projectName and stage, but not both methods."
    ]


def test_stack_tags_are_limited(tmp_path: Path, cfg: str) -> None:
    tags = "".join(f"\n    - name: t{i}\n      value: v" for i in range(46))
    text = f"stackConfig:\n  tags:{tags}\nresources: {{}}\n"
    assert config_issues(tmp_path, text) == [
        f"{cfg}:3:5: stackConfig.tags: List should have at most 45 items after validation, not 46"
    ]


def test_tags_cannot_hold_runtime_directives(tmp_path: Path, cfg: str) -> None:
    text = """
        stackConfig:
          tags:
            - {name: secret, value: "$Secret('token')"}
            - {name: "$ResourceParam('q', 'arn')", value: x}
            - {name: stage, value: dev}
        resources: {}
        """
    tail = ("it is sent to AWS as plain text, so a $Secret would be published and a $ResourceParam would never "
            "resolve (hint: use a literal, or a directive resolved when the config loads ($Stage(), $Var(), "
            "$Format(...)))")
    assert config_issues(tmp_path, text) == [
        f"{cfg}:3:29: stackConfig.tags[0].value: a tag cannot hold a runtime directive ($Secret('token')): {tail}",
        f"{cfg}:4:14: stackConfig.tags[1].name: a tag cannot hold a runtime directive ($ResourceParam('q', 'arn')): "
        f"{tail}",
    ]
    rules = """
        resources:
          files:
            type: bucket
            properties:
              cors: {enabled: true, corsRules: [{allowedOrigins: ["$Secret('origin')"]}]}
        """
    assert config_issues(tmp_path, rules) == [
        f"{cfg}:5:59: resources.files.properties.cors.corsRules[0].allowedOrigins[0]: a CORS origin cannot hold a "
        f"runtime directive ($Secret('origin')): {tail}",
    ]
    (tmp_path / "h.py").write_text("")
    condition = """
        resources:
          lb: {type: application-load-balancer}
          fn:
            type: function
            properties:
              runtime: python3.12
              packaging: {type: custom-artifact, properties: {packagePath: h.py, handler: h.py:handler}}
              events:
                - type: application-load-balancer
                  properties:
                    loadBalancerName: lb
                    priority: 1
                    headers: [{headerName: x-key, values: ["$Secret('key')"]}]
        """
    assert config_issues(tmp_path, condition) == [
        f"{cfg}:13:52: resources.fn.properties.events[0].properties.headers[0].values[0]: a rule condition cannot "
        f"hold a runtime directive ($Secret('key')): {tail}",
    ]


def test_stack_tag_value_length(tmp_path: Path, cfg: str) -> None:
    text = f"""
        stackConfig:
          tags:
            - name: owner
              value: {"x" * 257}
        resources: {{}}
        """
    assert config_issues(tmp_path, text) == [
        f"{cfg}:4:14: stackConfig.tags[0].value: String should have at most 256 characters"
    ]


# --- Multi-container workload: resources and scaling ------------------------------------


def test_fargate_memory_must_match_cpu(tmp_path: Path, cfg: str) -> None:
    text = workload(resources="cpu: 0.5\n        memory: 512")
    assert config_issues(tmp_path, text) == [
        f"{cfg}:7:17: resources.app.properties.resources.memory: Error in resources of container compute "
        "resource app. Memory value '512' is not compatible with CPU value '0.5'.\n"
        "Allowed memory values for this CPU setting are: 1024,2048,3072,4096"
    ]


def test_cpu_must_be_a_fargate_value(tmp_path: Path, cfg: str) -> None:
    text = workload(resources="cpu: 3\n        memory: 4096")
    assert config_issues(tmp_path, text) == [
        f"{cfg}:6:14: resources.app.properties.resources.cpu: invalid value 3; allowed values: "
        "0.25, 0.5, 1, 2, 4, 8 or 16"
    ]


def test_fargate_needs_cpu_and_memory(tmp_path: Path, cfg: str) -> None:
    text = workload(resources="cpu: 1")
    assert config_issues(tmp_path, text) == [
        f"{cfg}:5:7: resources.app.properties.resources: Error in multi-container-workload app: When "
        "configuring "
        "resources you must choose one of:\n"
        "1. Specify cpu and memory properties only (FARGATE launch type will be used).\n"
        "2. Specify instanceTypes property (EC2 launch type will be used). You can optionally also configure "
        "cpu and memory"
    ]


def test_architecture_is_fargate_only(tmp_path: Path, cfg: str) -> None:
    text = workload(resources="instanceTypes: [t3.medium]\n        architecture: arm64")
    assert config_issues(tmp_path, text) == [
        f"{cfg}:7:23: resources.app.properties.resources.architecture: Error in multi-container-workload "
        "app. "
        "Property architecture cannot be used when instanceTypes is specified. (hint: architecture applies "
        "to "
        "the Fargate launch type only; with instanceTypes the architecture comes from the instance type)"
    ]


def test_warm_pool_needs_exactly_one_instance_type(tmp_path: Path, cfg: str) -> None:
    text = workload(resources="instanceTypes: [t3.medium, t3.large]\n        enableWarmPool: true")
    assert config_issues(tmp_path, text) == [
        f"{cfg}:7:25: resources.app.properties.resources.enableWarmPool: Error in multi-container-workload "
        "app. "
        "Property enableWarmPool can only be used when you specify exactly one instance type in "
        "instanceTypes. "
        "Warm pools are not supported with mixed instance types."
    ]


def test_max_instances_at_least_min_instances(tmp_path: Path, cfg: str) -> None:
    text = workload(extra="scaling:\n  minInstances: 3\n  maxInstances: 2")
    assert config_issues(tmp_path, text) == [
        f"{cfg}:17:23: resources.app.properties.scaling.maxInstances: Error in multi-container-workload app: "
        "When configuring scaling you must specify maxInstances property(it also must be higher or equal to "
        "minInstances)."
    ]


def test_min_instances_is_at_least_one(tmp_path: Path, cfg: str) -> None:
    text = workload(extra="scaling:\n  minInstances: 0")
    assert config_issues(tmp_path, text) == [
        f"{cfg}:16:23: resources.app.properties.scaling.minInstances: 0 is out of range: input should be "
        "greater than or equal to 1"
    ]


# --- Multi-container workload: containers ----------------------------------------------


def two_containers(first: str = "", second: str = "", names: tuple[str, str] = ("web", "worker"),
                   extra: str = "") -> str:
    def container(name: str, body: str) -> str:
        lines = (f"- name: {name}\n  packaging:\n    type: prebuilt-image\n    properties:\n"
                 "      image: nginx\n")
        return textwrap.indent(lines + textwrap.indent(textwrap.dedent(body).strip(), "  "), " " * 8)

    return (
        "resources:\n  app:\n    type: multi-container-workload\n    properties:\n"
        "      resources:\n        cpu: 0.25\n        memory: 512\n      containers:\n"
        f"{container(names[0], first)}\n{container(names[1], second)}\n"
        + textwrap.indent(textwrap.dedent(extra).strip(), " " * 6)
    )


def test_container_names_are_unique(tmp_path: Path, cfg: str) -> None:
    assert config_issues(tmp_path, two_containers(names=("web", "web"))) == [
        f"{cfg}:15:17: resources.app.properties.containers[1].name: Conflict within container names of "
        "multi-container-workload \"app\". Two or more containers are using the same name \"web\""
    ]


def test_depends_on_names_an_existing_container(tmp_path: Path, cfg: str) -> None:
    text = two_containers(first="dependsOn:\n  - containerName: wroker\n    condition: START")
    assert config_issues(tmp_path, text) == [
        f"{cfg}:15:30: resources.app.properties.containers[0].dependsOn[0].containerName: Conflict within "
        "container dependencies of multi-container-workload \"app\". Container with name \"web\" depends on "
        "non-existent container \"wroker\" (hint: did you mean 'worker'?)"
    ]


def test_container_cannot_depend_on_itself(tmp_path: Path, cfg: str) -> None:
    text = two_containers(first="dependsOn:\n  - containerName: web\n    condition: HEALTHY")
    assert config_issues(tmp_path, text) == [
        f"{cfg}:15:30: resources.app.properties.containers[0].dependsOn[0].containerName: Conflict within "
        "container dependencies of multi-container-workload \"app\". Container with name \"web\" depends on "
        "itself"
    ]


def test_container_port_belongs_to_one_container(tmp_path: Path, cfg: str) -> None:
    internal = "events:\n  - type: workload-internal\n    properties:\n      containerPort: 3000"
    text = two_containers(first=internal, second=internal)
    assert config_issues(tmp_path, text) == [
        f"{cfg}:26:32: resources.app.properties.containers[1].events[0].properties.containerPort: Port "
        "overlap "
        "detected within multi-container-workload app. Container web and container worker are using the same "
        "port number 3000. Each container port mapped using 'events' must be unique withing the "
        "multi-container-workload."
    ]


def test_http_api_events_use_one_container_port(tmp_path: Path, cfg: str) -> None:
    events = """
        events:
          - type: http-api-gateway
            properties: {httpApiGatewayName: gw, method: GET, path: /a, containerPort: 80}
          - type: http-api-gateway
            properties: {httpApiGatewayName: gw, method: GET, path: /b, containerPort: 81}
        """
    assert config_issues(tmp_path, workload(events=events)) == [
        f"{cfg}:18:90: resources.app.properties.containers[0].events[1].properties.containerPort: All "
        "http-api-gateway event integrations in multi-container-workload app must use the same container "
        "port. "
        "(hint: an ECS service has one Cloud Map registry; route through one entry container, or use "
        "application-load-balancer events)"
    ]


def test_container_http_api_payload_format_is_1_0(tmp_path: Path, cfg: str) -> None:
    events = """
        events:
          - type: http-api-gateway
            properties:
              httpApiGatewayName: gw
              method: GET
              path: /a
              containerPort: 80
              payloadFormat: '2.0'
        """
    assert config_issues(tmp_path, workload(events=events)) == [
        f"{cfg}:21:32: resources.app.properties.containers[0].events[0].properties.payloadFormat: Error in "
        "multi-container-workload \"app\". multi-container-workload http-api-gateway events only support "
        "payload "
        "format version \"1.0\". (hint: set payloadFormat to \"1.0\" or remove it)"
    ]


def test_alb_event_needs_a_condition(tmp_path: Path, cfg: str) -> None:
    events = """
        events:
          - type: application-load-balancer
            properties:
              loadBalancerName: lb
              containerPort: 80
              priority: 1
        """
    assert config_issues(tmp_path, workload(events=events)) == [
        f"{cfg}:17:17: resources.app.properties.containers[0].events[0].properties: Error in workload: app. "
        "At least one of the \"paths\", \"headers\", \"hosts\", \"methods\", \"queryParams\" or "
        "\"sourceIps\" "
        "properties must be present when using loadBalancer event integration. (hint: for example paths: "
        "['*'])"
    ]


def test_default_route_only_with_any_method(tmp_path: Path, cfg: str) -> None:
    events = """
        events:
          - type: http-api-gateway
            properties:
              httpApiGatewayName: gw
              method: GET
              path: $default
              containerPort: 80
        """
    assert config_issues(tmp_path, workload(events=events)) == [
        f"{cfg}:18:25: resources.app.properties.containers[0].events[0].properties.method: Error in compute "
        "resource app. HttpApi event: If you specify path \"*\" (\"$default\") the only allowed method is "
        "\"*\" "
        "(ANY)"
    ]


def test_unknown_container_event_type_suggests_the_closest(tmp_path: Path, cfg: str) -> None:
    events = """
        events:
          - type: service-conect
            properties:
              containerPort: 80
        """
    assert config_issues(tmp_path, workload(events=events)) == [
        f"{cfg}:15:21: resources.app.properties.containers[0].events[0].type: unsupported type "
        "'service-conect'; "
        "supported: http-api-gateway, application-load-balancer, workload-internal, service-connect, "
        "network-load-balancer (hint: did you mean 'service-connect'?)"
    ]


def test_unknown_packaging_type_suggests_the_closest(tmp_path: Path, cfg: str) -> None:
    text = workload().replace("type: prebuilt-image", "type: prebuilt-images")
    assert config_issues(tmp_path, text) == [
        f"{cfg}:11:19: resources.app.properties.containers[0].packaging.type: unsupported type "
        "'prebuilt-images'; supported: stacktape-image-buildpack, external-buildpack, nixpacks, "
        "custom-dockerfile, prebuilt-image (hint: did you mean 'prebuilt-image'?)"
    ]


def test_log_retention_is_an_allowed_value(tmp_path: Path, cfg: str) -> None:
    text = workload(events="logging:\n  retentionDays: 10")
    assert config_issues(tmp_path, text) == [
        f"{cfg}:15:28: resources.app.properties.containers[0].logging.retentionDays: invalid value 10; "
        "allowed "
        "values: 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1827 or 3653 "
        "(hint: did you mean '180'?)"
    ]


@pytest.mark.parametrize(("body", "where", "message"), [
    ("stopTimeout: 1", "14:24: resources.app.properties.containers[0].stopTimeout",
     "1 is out of range: input should be greater than or equal to 2"),
    ("stopTimeout: 121", "14:24: resources.app.properties.containers[0].stopTimeout",
     "121 is out of range: input should be less than or equal to 120"),
    ("internalHealthCheck: {healthCheckCommand: [x], intervalSeconds: 4}",
     "14:75: resources.app.properties.containers[0].internalHealthCheck.intervalSeconds",
     "4 is out of range: input should be greater than or equal to 5"),
    ("internalHealthCheck: {healthCheckCommand: [x], timeoutSeconds: 61}",
     "14:74: resources.app.properties.containers[0].internalHealthCheck.timeoutSeconds",
     "61 is out of range: input should be less than or equal to 60"),
    ("internalHealthCheck: {healthCheckCommand: [x], retries: 11}",
     "14:67: resources.app.properties.containers[0].internalHealthCheck.retries",
     "11 is out of range: input should be less than or equal to 10"),
    ("internalHealthCheck: {healthCheckCommand: [x], startPeriodSeconds: 301}",
     "14:78: resources.app.properties.containers[0].internalHealthCheck.startPeriodSeconds",
     "301 is out of range: input should be less than or equal to 300"),
    ("events: [{type: workload-internal, properties: {containerPort: 65536}}]",
     "14:74: resources.app.properties.containers[0].events[0].properties.containerPort",
     "65536 is out of range: input should be less than or equal to 65535"),
    ("events: [{type: application-load-balancer, properties: {loadBalancerName: lb, containerPort: 80, "
     "priority: 50001, paths: ['*']}}]",
     "14:118: resources.app.properties.containers[0].events[0].properties.priority",
     "50001 is out of range: input should be less than or equal to 50000"),
])
def test_container_ranges(tmp_path: Path, cfg: str, body: str, where: str, message: str) -> None:
    assert config_issues(tmp_path, workload(events=body)) == [f"{cfg}:{where}: {message}"]


# --- Multi-container workload: deployment ------------------------------------------------


def test_deployment_needs_an_alb_event(tmp_path: Path, cfg: str) -> None:
    text = workload(extra="deployment:\n  strategy: AllAtOnce")
    assert config_issues(tmp_path, text) == [
        f"{cfg}:15:7: resources.app.properties.deployment: Error in multi-container-workload app: The "
        "compute "
        "resource must use application-load-balancer event integration to use deployment."
    ]


def test_deployment_excludes_service_connect(tmp_path: Path, cfg: str) -> None:
    events = """
        events:
          - type: application-load-balancer
            properties: {loadBalancerName: lb, containerPort: 80, priority: 1, paths: ['*']}
          - type: service-connect
            properties: {containerPort: 80}
        """
    text = workload(events=events, extra="deployment:\n  strategy: AllAtOnce")
    assert config_issues(tmp_path, text) == [
        f"{cfg}:19:7: resources.app.properties.deployment: Error in multi-container-workload app: Property "
        "\"deployment\" cannot be used when using \"service-connect\" events."
    ]


def test_deployment_targets_one_container_port_and_listener(tmp_path: Path, cfg: str) -> None:
    alb = "events:\n  - type: application-load-balancer\n    properties: {{loadBalancerName: lb, " \
          "containerPort: {port}, priority: {priority}, paths: ['*']}}"
    text = two_containers(first=alb.format(port=80, priority=1), second=alb.format(port=81, priority=2),
                          extra="deployment:\n  strategy: Canary10Percent5Minutes")
    assert config_issues(tmp_path, text) == [
        f"{cfg}:23:15: resources.app.properties.containers[1].events[0]: Error in multi-container-workload "
        "app: "
        "Only one container of compute resource can be targeted by exactly one application-load-balancer "
        "listener when using deployment property."
    ]


def test_container_deployment_strategy_spelling(tmp_path: Path, cfg: str) -> None:
    events = """
        events:
          - type: application-load-balancer
            properties: {loadBalancerName: lb, containerPort: 80, priority: 1, paths: ['*']}
        """
    text = workload(events=events, extra="deployment:\n  strategy: Linear10PercentEvery1Minute")
    assert config_issues(tmp_path, text) == [
        f"{cfg}:18:19: resources.app.properties.deployment.strategy: invalid value "
        "'Linear10PercentEvery1Minute'; allowed values: 'Canary10Percent5Minutes', "
        "'Canary10Percent15Minutes', "
        "'Linear10PercentEvery1Minutes', 'Linear10PercentEvery3Minutes' or 'AllAtOnce' "
        "(hint: did you mean 'Linear10PercentEvery1Minutes'?)"
    ]


# --- Application load balancer -----------------------------------------------------------


def test_listener_ports_are_unique(tmp_path: Path, cfg: str) -> None:
    text = """
        resources:
          lb:
            type: application-load-balancer
            properties:
              listeners:
                - protocol: HTTP
                  port: 80
                - protocol: HTTPS
                  port: 80
        """
    assert config_issues(tmp_path, text) == [
        f"{cfg}:9:17: resources.lb.properties.listeners[1].port: Error in load-balancer lb. Two or more "
        "listeners are using the same port \"80\". (hint: Each listener must use unique port)"
    ]


def test_cdn_needs_an_internet_facing_load_balancer(tmp_path: Path, cfg: str) -> None:
    text = """
        resources:
          lb:
            type: application-load-balancer
            properties:
              interface: internal
              cdn:
                enabled: true
        """
    assert config_issues(tmp_path, text) == [
        f"{cfg}:6:7: resources.lb.properties.cdn: Error in application-load-balancer lb. A CDN cannot be "
        "used "
        "with an internal load balancer (interface: internal)."
    ]


# --- Function ---------------------------------------------------------------------------


def function(props: str, extra: str = "") -> str:
    body = textwrap.dedent(props).strip() + "\n" + textwrap.dedent(extra).strip()
    return "resources:\n  fn:\n    type: function\n    properties:\n" + textwrap.indent(body, " " * 6) + "\n"


CUSTOM_ARTIFACT = """
    packaging:
      type: custom-artifact
      properties:
        packagePath: dist.zip
        handler: index.js:handler
    runtime: nodejs22.x
    """


def test_custom_artifact_package_path_exists(tmp_path: Path, cfg: str) -> None:
    assert config_issues(tmp_path, function(CUSTOM_ARTIFACT)) == [
        f"{cfg}:8:24: resources.fn.properties.packaging.properties.packagePath: Lambda function fn: "
        "packagePath "
        f"'dist.zip' does not exist. (hint: paths are relative to the config file's directory ({tmp_path}))"
    ]


def test_a_zip_package_path_must_be_a_zip(tmp_path: Path, cfg: str) -> None:
    (tmp_path / "dist.zip").write_text("")
    assert config_issues(tmp_path, function(CUSTOM_ARTIFACT)) == [
        f"{cfg}:8:24: resources.fn.properties.packaging.properties.packagePath: Lambda function fn: packagePath "
        "'dist.zip' is not a valid zip file. (hint: build the archive first (a beforeDeploy hook runs only at "
        "stacktape-pulumi up; run it with stacktape-pulumi script:run before validating))"
    ]


def test_package_path_is_not_checked_without_a_config_dir() -> None:
    props = {"packaging": {"type": "custom-artifact", "properties": {"packagePath": "missing.zip",
                                                                     "handler": "index.js:handler"}},
             "runtime": "nodejs22.x"}
    assert FunctionProps.model_validate(props).runtime == "nodejs22.x"


def test_custom_artifact_needs_a_handler(tmp_path: Path, cfg: str) -> None:
    zipfile.ZipFile(tmp_path / "dist.zip", "w").close()
    text = function(CUSTOM_ARTIFACT.replace("        handler: index.js:handler\n", ""))
    assert config_issues(tmp_path, text) == [
        f"{cfg}:7:9: resources.fn.properties.packaging.properties: Lambda function fn must have handler "
        "property "
        "specified when using custom-artifact packaging type."
    ]


def test_custom_artifact_handler_format(tmp_path: Path, cfg: str) -> None:
    zipfile.ZipFile(tmp_path / "dist.zip", "w").close()
    text = function(CUSTOM_ARTIFACT.replace("index.js:handler", "index.handler"))
    assert config_issues(tmp_path, text) == [
        f"{cfg}:9:20: resources.fn.properties.packaging.properties.handler: Handler property of lambda "
        "function "
        "fn has invalid format. (hint: write it as <file path>:<function name>, e.g. handler.py:handler)"
    ]


def test_custom_artifact_needs_a_runtime(tmp_path: Path, cfg: str) -> None:
    zipfile.ZipFile(tmp_path / "dist.zip", "w").close()
    text = function(CUSTOM_ARTIFACT.replace("    runtime: nodejs22.x\n", ""))
    assert config_issues(tmp_path, text) == [
        f"{cfg}:5:7: resources.fn.properties.packaging: Lambda function fn must set runtime when using "
        "custom-artifact packaging type."
    ]


def test_runtime_is_a_lambda_runtime(tmp_path: Path, cfg: str) -> None:
    zipfile.ZipFile(tmp_path / "dist.zip", "w").close()
    text = function(CUSTOM_ARTIFACT.replace("nodejs22.x", "nodejs22"))
    assert config_issues(tmp_path, text) == [
        f"{cfg}:10:16: resources.fn.properties.runtime: invalid value 'nodejs22'; allowed values: "
        "'nodejs24.x', "
        "'nodejs22.x', 'nodejs20.x', 'nodejs18.x', 'python3.13', 'python3.12', 'python3.11', 'python3.10', "
        "'python3.9', 'python3.8', 'ruby3.3', 'java21', 'java17', 'java11', 'java8.al2', 'java8', "
        "'provided.al2', 'provided.al2023', 'dotnet8', 'dotnet7' or 'dotnet6' (hint: did you mean "
        "'nodejs22.x'?)"
    ]


def test_at_most_five_layers(tmp_path: Path, cfg: str) -> None:
    zipfile.ZipFile(tmp_path / "dist.zip", "w").close()
    text = function(CUSTOM_ARTIFACT, "layers: [a, b, c, d, e, f]")
    assert config_issues(tmp_path, text) == [
        f"{cfg}:11:15: resources.fn.properties.layers: Lambda function fn has 6 layers; a Lambda function "
        "can use "
        "at most 5 layers."
    ]


@pytest.mark.parametrize(("body", "where", "message"), [
    ("memory: 127", "11:15: resources.fn.properties.memory",
     "127 is out of range: input should be greater than or equal to 128"),
    ("memory: 10241", "11:15: resources.fn.properties.memory",
     "10241 is out of range: input should be less than or equal to 10240"),
    ("timeout: 0", "11:16: resources.fn.properties.timeout",
     "0 is out of range: input should be greater than or equal to 1"),
    ("timeout: 901", "11:16: resources.fn.properties.timeout",
     "901 is out of range: input should be less than or equal to 900"),
    ("storage: 511", "11:16: resources.fn.properties.storage",
     "511 is out of range: input should be greater than or equal to 512"),
    ("storage: 10241", "11:16: resources.fn.properties.storage",
     "10241 is out of range: input should be less than or equal to 10240"),
])
def test_function_ranges(tmp_path: Path, cfg: str, body: str, where: str, message: str) -> None:
    zipfile.ZipFile(tmp_path / "dist.zip", "w").close()
    assert config_issues(tmp_path, function(CUSTOM_ARTIFACT, body)) == [f"{cfg}:{where}: {message}"]


def test_volume_mounts_need_the_vpc(tmp_path: Path, cfg: str) -> None:
    zipfile.ZipFile(tmp_path / "dist.zip", "w").close()
    mounts = "volumeMounts:\n  - type: efs\n    properties: {efsFilesystemName: fs, mountPath: /mnt/data}"
    assert config_issues(tmp_path, function(CUSTOM_ARTIFACT, mounts)) == [
        f"{cfg}:11:7: resources.fn.properties.volumeMounts: Error in function fn: When using volumeMounts, "
        "the "
        "property joinDefaultVpc must be set to true. (hint: Be aware that a Lambda function joined to a VPC "
        "cannot access the internet.)"
    ]


def test_lambda_efs_mount_path_is_under_mnt(tmp_path: Path, cfg: str) -> None:
    zipfile.ZipFile(tmp_path / "dist.zip", "w").close()
    mounts = "joinDefaultVpc: true\nvolumeMounts:\n  - type: efs\n    properties:\n" \
             "      efsFilesystemName: fs\n      mountPath: /data"
    assert config_issues(tmp_path, function(CUSTOM_ARTIFACT, mounts)) == [
        f"{cfg}:16:24: resources.fn.properties.volumeMounts[0].properties.mountPath: mountPath '/data' must "
        "be a directory below /mnt/ (for example /mnt/data)."
    ]


def test_documented_but_unimplemented_function_events(tmp_path: Path, cfg: str) -> None:
    zipfile.ZipFile(tmp_path / "dist.zip", "w").close()
    events = "events:\n  - type: kafka-topic\n    properties:\n      topic: orders"
    assert config_issues(tmp_path, function(CUSTOM_ARTIFACT, events)) == [
        f"{cfg}:12:17: resources.fn.properties.events[0].type: function event type 'kafka-topic' is not "
        "supported yet; supported: application-load-balancer, cloudwatch-log, dynamo-db-stream, event-bus, "
        "http-api-gateway, kinesis-stream, s3, schedule, sns, sqs"
    ]


def test_unknown_function_event_type_suggests_the_closest(tmp_path: Path, cfg: str) -> None:
    zipfile.ZipFile(tmp_path / "dist.zip", "w").close()
    events = "events:\n  - type: http-api-gatway\n    properties: {}"
    assert config_issues(tmp_path, function(CUSTOM_ARTIFACT, events)) == [
        f"{cfg}:12:17: resources.fn.properties.events[0].type: unsupported type 'http-api-gatway'; "
        "supported: http-api-gateway, application-load-balancer, schedule, sqs, sns, event-bus, kinesis-stream, "
        "dynamo-db-stream, s3, cloudwatch-log (hint: did you mean 'http-api-gateway'?)"
    ]


def test_lambda_deployment_strategy_spelling(tmp_path: Path, cfg: str) -> None:
    zipfile.ZipFile(tmp_path / "dist.zip", "w").close()
    text = function(CUSTOM_ARTIFACT, "deployment:\n  strategy: Linear10PercentEvery1Minutes")
    assert config_issues(tmp_path, text) == [
        f"{cfg}:12:19: resources.fn.properties.deployment.strategy: invalid value "
        "'Linear10PercentEvery1Minutes'; "
        "allowed values: 'Canary10Percent5Minutes', 'Canary10Percent10Minutes', 'Canary10Percent15Minutes', "
        "'Canary10Percent30Minutes', 'Linear10PercentEvery1Minute', 'Linear10PercentEvery2Minutes', "
        "'Linear10PercentEvery3Minutes', 'Linear10PercentEvery10Minutes' or 'AllAtOnce' "
        "(hint: did you mean 'Linear10PercentEvery10Minutes'?)"
    ]


# --- Whole files and the component path ---------------------------------------------------


def test_every_error_of_a_file_is_reported(tmp_path: Path, cfg: str) -> None:
    text = """
        resources:
          gw:
            type: http-api-gatway
          app:
            type: multi-container-workload
            properties:
              resources:
                cpu: 1
                memory: 1024
              containers:
                - name: web
                  packaging:
                    type: prebuilt-image
                    properties:
                      image: nginx
                  stopTimeout: 500
          lb:
            type: application-load-balancer
            properties:
              listeners:
                - protocol: HTTP
                  port: 80
                - protocol: HTTPS
                  port: 80
        hooks: {beforeDev: []}
        """
    assert config_issues(tmp_path, text) == [
        f"{cfg}:3:11: resources.gw.type: unsupported type 'http-api-gatway'; supported: "
        "multi-container-workload, "
        "http-api-gateway, application-load-balancer, function, bucket, dynamo-db-table, sqs-queue, sns-topic, "
        "event-bus, web-service, private-service, worker-service, relational-database, efs-filesystem, "
        "network-load-balancer (hint: did "
        "you mean "
        "'http-api-gateway'?)",
        f"{cfg}:9:17: resources.app.properties.resources.memory: Error in resources of container compute "
        "resource app. Memory value '1024' is not compatible with CPU value '1'.\n"
        "Allowed memory values for this CPU setting are: 2048,3072,4096,5120,6144,7168,8192",
        f"{cfg}:16:24: resources.app.properties.containers[0].stopTimeout: 500 is out of range: input should "
        "be "
        "less than or equal to 120",
        f"{cfg}:24:17: resources.lb.properties.listeners[1].port: Error in load-balancer lb. Two or more "
        "listeners are using the same port \"80\". (hint: Each listener must use unique port)",
        f"{cfg}:25:9: hooks.beforeDev: this hook is not supported yet: stacktape-pulumi has no bucket-sync or "
        "dev-mode command (hint: use beforeDeploy, afterDeploy, beforeDelete or afterDelete)",
    ]


def test_several_checks_of_one_resource_are_reported_together(tmp_path: Path, cfg: str) -> None:
    internal = "events:\n  - type: workload-internal\n    properties:\n      containerPort: 3000"
    text = two_containers(first=internal, second=internal, names=("web", "web"))
    assert config_issues(tmp_path, text) == [
        f"{cfg}:18:17: resources.app.properties.containers[1].name: Conflict within container names of "
        "multi-container-workload \"app\". Two or more containers are using the same name \"web\"",
        f"{cfg}:26:32: resources.app.properties.containers[1].events[0].properties.containerPort: Port "
        "overlap "
        "detected within multi-container-workload app. Container web and container web are using the same "
        "port "
        "number 3000. Each container port mapped using 'events' must be unique withing the "
        "multi-container-workload.",
    ]


def test_props_validated_alone_take_the_name_from_the_context() -> None:
    props = {"resources": {"cpu": 1, "memory": 512},
             "containers": [{"name": "web",
                             "packaging": {"type": "prebuilt-image", "properties": {"image": "x"}}}]}
    with pytest.raises(ValidationError) as info:
        MultiContainerWorkloadProps.model_validate(props, context={"resource_name": "api"})
    error = info.value.errors()[0]
    assert error["loc"] == ("resources",)
    assert error["ctx"] is not None
    assert error["ctx"]["subpath"] == ["memory"]
    assert error["msg"].startswith("Error in resources of container compute resource api. Memory value '512'")


def test_iam_actions_need_their_service_prefix(tmp_path: Path, cfg: str) -> None:
    text = """
        resources:
          app:
            type: multi-container-workload
            properties:
              resources: {cpu: 0.25, memory: 512}
              containers:
                - name: web
                  packaging: {type: prebuilt-image, properties: {image: nginx}}
              iamRoleStatements:
                - Action: ['s3:Get*', '*', 'execute-api:Invoke', 'GetObject', 'S3:PutObject']
                  Resource: ['*']
        """
    assert config_issues(tmp_path, text) == [
        f"{cfg}:10:58: resources.app.properties.iamRoleStatements[0].Action[3]: 'GetObject' is not an IAM "
        "action: actions are written service:action, or \"*\" (hint: write the service prefix, e.g. s3:GetObject, "
        "dynamodb:Query or sqs:SendMessage)",
        f"{cfg}:10:71: resources.app.properties.iamRoleStatements[0].Action[4]: 'S3:PutObject' is not an IAM "
        "action: actions are written service:action, or \"*\" (hint: did you mean 's3:PutObject'? (service "
        "prefixes are lower case))",
    ]


def route_issues(tmp_path: Path, method: str, path: str) -> list[str]:
    """The issues of a function with one HTTP API route `method path`."""
    text = f"""
        resources:
          api:
            type: http-api-gateway
          app:
            type: function
            properties:
              packaging:
                type: custom-artifact
                properties: {{packagePath: handler.zip, handler: "handler.py:handler"}}
              runtime: python3.13
              events:
                - type: http-api-gateway
                  properties: {{httpApiGatewayName: api, method: '{method}', path: '{path}'}}
        """
    zipfile.ZipFile(tmp_path / "handler.zip", "w").close()
    return config_issues(tmp_path, text)


@pytest.mark.parametrize(("path", "expected"), [
    ("orders", "route path 'orders' must start with \"/\" (API Gateway route keys are `METHOD /path`) "
               "(hint: write '/orders')"),
    ("/files/{key+}/meta", "route path '/files/{key+}/meta': the greedy path variable {key+} must be the last "
                           "segment of the path (hint: end the path with it, e.g. '/files/{key+}')"),
])
def test_http_api_route_paths_api_gateway_would_refuse(tmp_path: Path, cfg: str, path: str, expected: str) -> None:
    assert route_issues(tmp_path, "GET", path) == [
        f"{cfg}:13:70: resources.app.properties.events[0].properties.path: {expected}"]


@pytest.mark.parametrize("path", ["/", "/orders", "/orders/{id}", "/files/{key+}", "*", "$default"])
def test_http_api_route_paths_api_gateway_accepts(tmp_path: Path, path: str) -> None:
    assert route_issues(tmp_path, "*" if path in ("*", "$default") else "GET", path) == []
