"""HttpApiGateway and `http-api-gateway` container events: exact child inputs through the offline engine."""

import json
from collections.abc import Callable
from typing import Any

import pulumi
import pytest

from stacktape_pulumi import MultiContainerWorkload, StackContext
from stacktape_pulumi.components.base import ArgsError
from stacktape_pulumi.components.http_api_gateway import (
    HttpApiGateway,
    access_log_format,
    cors_methods,
    route_key,
    route_slug,
)
from stacktape_pulumi.engine import Recording, run_offline
from stacktape_pulumi.errors import StacktapeError
from tests.traffic_support import (
    ACCOUNT,
    INGRESS,
    RECORD,
    SERVICE,
    SG,
    TAGS,
    canned,
    tree,
    workload,
    workload_children,
    zone_id,
)

API = "aws:apigatewayv2/api:Api"
STAGE = "aws:apigatewayv2/stage:Stage"
ROUTE = "aws:apigatewayv2/route:Route"
INTEGRATION = "aws:apigatewayv2/integration:Integration"
AUTHORIZER = "aws:apigatewayv2/authorizer:Authorizer"

def http(method: str, path: str, port: int = 80, gateway: str = "gw", extra: str = "") -> str:
    return (f"{{type: http-api-gateway, properties: {{httpApiGatewayName: {gateway}, method: '{method}', "
            f"path: '{path}', containerPort: {port}{extra}}}}}")


# ---- pure decisions ---------------------------------------------------------------------

@pytest.mark.parametrize(("method", "path", "key", "slug"), [
    ("*", "*", "$default", "default"),
    ("*", "$default", "$default", "default"),
    ("*", "/api/{proxy+}", "ANY /api/{proxy+}", "any-api-proxy"),
    ("GET", "/x/{proxy+}", "GET /x/{proxy+}", "get-x-proxy"),
    ("POST", "/users/{id}", "POST /users/{id}", "post-users-id"),
])
def test_route_keys(method: str, path: str, key: str, slug: str) -> None:
    assert route_key(method, path) == key
    assert route_slug(key) == slug


@pytest.mark.parametrize(("allowed", "routes", "expected"), [
    (["GET"], ["POST"], ["GET"]),
    (None, ["POST", "GET"], ["GET", "OPTIONS", "POST"]),
    (None, ["GET", "*"], ["*"]),
    (None, None, ["*"]),
])
def test_cors_methods(allowed: list[str] | None, routes: list[str] | None, expected: list[str]) -> None:
    assert cors_methods(allowed, routes) == expected


@pytest.mark.parametrize(("fmt", "expected"), [
    ("JSON", '{"requestId":"$context.requestId","ip":"$context.identity.sourceIp",'
             '"requestTime":"$context.requestTime","httpMethod":"$context.httpMethod",'
             '"routeKey":"$context.routeKey","status":"$context.status","protocol":"$context.protocol",'
             '"responseLength":"$context.responseLength"}'),
    ("CLF", '$context.identity.sourceIp - - [$context.requestTime] "$context.httpMethod $context.routeKey '
            '$context.protocol" $context.status $context.responseLength $context.requestId'),
    ("CSV", "$context.requestId,$context.identity.sourceIp,$context.requestTime,$context.httpMethod,"
            "$context.routeKey,$context.status,$context.protocol,$context.responseLength"),
    ("XML", '<request id="$context.requestId"><ip>$context.identity.sourceIp</ip>'
            "<requestTime>$context.requestTime</requestTime><httpMethod>$context.httpMethod</httpMethod>"
            "<routeKey>$context.routeKey</routeKey><status>$context.status</status>"
            "<protocol>$context.protocol</protocol><responseLength>$context.responseLength</responseLength>"
            "</request>"),
])
def test_access_log_formats(fmt: str, expected: str) -> None:
    assert access_log_format(fmt) == expected


# ---- the gateway ------------------------------------------------------------------------

GATEWAY = """
resources:
  gw:
    type: http-api-gateway
    properties:
      cors:
        enabled: true
        allowedOrigins: ['https://app.example.com']
        allowedHeaders: [Content-Type, X-Request-Id]
        allowedMethods: [GET, POST]
        allowCredentials: true
        exposedResponseHeaders: [X-Total-Count]
        maxAge: 300
      logging:
        format: CLF
        retentionDays: 14
      customDomains:
        - domainName: api.example.com
"""


def test_gateway_with_cors_access_logs_and_custom_domain(preview: Callable[[str], Recording]) -> None:
    rec = preview(GATEWAY)
    api = canned(rec, API, "gw-api")
    assert rec.one(API, "gw-api").inputs == {
        "name": "stacktape-dev-gw",
        "protocolType": "HTTP",
        "corsConfiguration": {
            "allowOrigins": ["https://app.example.com"],
            "allowMethods": ["GET", "POST"],
            "allowHeaders": ["Content-Type", "X-Request-Id"],
            "allowCredentials": True,
            "exposeHeaders": ["X-Total-Count"],
            "maxAge": 300,
        },
        "tags": TAGS,
    }
    log_group_name = "/aws/vendedlogs/stacktape-dev/api-gateway/gw/access-logs"
    assert rec.one("aws:cloudwatch/logGroup:LogGroup", "gw-access-logs").inputs == {
        "name": log_group_name, "retentionInDays": 14, "tags": TAGS}
    assert rec.one(STAGE, "gw-stage").inputs == {
        "apiId": api["id"],
        "name": "$default",
        "autoDeploy": True,
        "accessLogSettings": {"destinationArn": f"arn:aws:logs:us-east-1:{ACCOUNT}:log-group:{log_group_name}",
                              "format": access_log_format("CLF")},
        "tags": TAGS,
    }
    certificate = canned(rec, "aws:acm/certificate:Certificate", "gw-api-example-com-certificate")
    assert rec.one("aws:acm/certificate:Certificate").inputs == {
        "domainName": "api.example.com", "validationMethod": "DNS", "tags": TAGS}
    option = certificate["domainValidationOptions"][0]
    zone = zone_id("example.com")
    assert rec.one(RECORD, "gw-api-example-com-certificate-validation-record").inputs == {
        "zoneId": zone,
        "name": option["resourceRecordName"],
        "type": "CNAME",
        "records": [option["resourceRecordValue"]],
        "ttl": 60,
        "allowOverwrite": True,
    }
    assert rec.one("aws:acm/certificateValidation:CertificateValidation").inputs == {
        "certificateArn": certificate["arn"],
        "validationRecordFqdns": [option["resourceRecordName"].rstrip(".")],
    }
    assert rec.one("aws:apigatewayv2/domainName:DomainName", "gw-api-example-com-domain").inputs == {
        "domainName": "api.example.com",
        "domainNameConfiguration": {"certificateArn": certificate["arn"], "endpointType": "REGIONAL",
                                    "securityPolicy": "TLS_1_2"},
        "tags": TAGS,
    }
    domain = canned(rec, "aws:apigatewayv2/domainName:DomainName", "gw-api-example-com-domain")
    stage = canned(rec, STAGE, "gw-stage")
    assert rec.one("aws:apigatewayv2/apiMapping:ApiMapping").inputs == {
        "apiId": api["id"], "domainName": domain["id"], "stage": stage["id"]}
    target = domain["domainNameConfiguration"]
    assert rec.one(RECORD, "gw-api-example-com-alias").inputs == {
        "zoneId": zone,
        "name": "api.example.com",
        "type": "A",
        "aliases": [{"name": target["targetDomainName"], "zoneId": target["hostedZoneId"],
                     "evaluateTargetHealth": False}],
    }
    assert rec.one("stacktape:index:HttpApiGateway", "gw").outputs == {
        "arn": api["arn"],
        "id": api["id"],
        "url": "https://api.example.com",
        "domain": "api.example.com",
        "customDomains": "api.example.com",
        "customDomainUrl": "https://api.example.com",
        "customDomainUrls": "https://api.example.com",
        "canonicalDomain": target["targetDomainName"],
    }
    # Nothing routes to the gateway: no VPC link, no namespace.
    assert rec.by_type("aws:apigatewayv2/vpcLink:VpcLink") == []
    assert rec.by_type("aws:servicediscovery/privateDnsNamespace:PrivateDnsNamespace") == []


def test_own_certificate_and_dns_managed_elsewhere(preview: Callable[[str], Recording]) -> None:
    rec = preview("""
        resources:
          gw:
            type: http-api-gateway
            properties:
              logging: {disabled: true}
              customDomains:
                - domainName: api.example.org
                  customCertificateArn: arn:aws:acm:us-east-1:123456789012:certificate/own
                  disableDnsRecordCreation: true
                - domainName: www.example.org
                  customCertificateArn: arn:aws:acm:us-east-1:123456789012:certificate/own
        """)
    assert rec.by_type("aws:acm/certificate:Certificate") == []
    assert rec.by_type("aws:cloudwatch/logGroup:LogGroup") == []
    assert "accessLogSettings" not in rec.one(STAGE).inputs
    assert [r.inputs["name"] for r in rec.by_type(RECORD)] == ["www.example.org"]
    configs = [r.inputs["domainNameConfiguration"]["certificateArn"]
               for r in rec.by_type("aws:apigatewayv2/domainName:DomainName")]
    assert configs == ["arn:aws:acm:us-east-1:123456789012:certificate/own"] * 2
    outputs = rec.one("stacktape:index:HttpApiGateway").outputs or {}
    assert outputs["customDomains"] == "api.example.org, www.example.org"
    assert outputs["customDomainUrls"] == "https://api.example.org, https://www.example.org"


def test_cors_defaults_use_the_routes_methods(preview: Callable[[str], Recording]) -> None:
    rec = preview("resources:\n  gw:\n    type: http-api-gateway\n    properties: {cors: {enabled: true}}\n"
                  + workload("api", f"[{http('GET', '/a')}, {http('POST', '/b')}]"))
    assert rec.one(API).inputs["corsConfiguration"] == {
        "allowOrigins": ["*"],
        "allowMethods": ["GET", "OPTIONS", "POST"],
        "allowHeaders": ["Content-Type", "X-Amz-Date", "Authorization", "X-Api-Key", "X-Amz-Security-Token",
                         "X-Amz-User-Agent"],
    }


# ---- containers behind the gateway ------------------------------------------------------

CONTAINERS = ("resources:\n  gw:\n    type: http-api-gateway\n"
              + workload("api", f"[{http('*', '*', 3000)}, {http('*', '/api/{proxy+}', 3000)}, "
                                f"{http('GET', '/x/{proxy+}', 3000)}]"))


def test_containers_behind_a_gateway(preview: Callable[[str], Recording]) -> None:
    rec = preview(CONTAINERS)
    api = canned(rec, API, "gw-api")
    vpc = canned(rec, "aws:ec2/vpc:Vpc", "stacktape-dev-network-vpc")
    namespace = canned(rec, "aws:servicediscovery/privateDnsNamespace:PrivateDnsNamespace",
                       "stacktape-dev-private-namespace")
    assert rec.one("aws:servicediscovery/privateDnsNamespace:PrivateDnsNamespace").inputs == {
        "name": "stacktape-dev-private-namespace",
        "description": "Service discovery of stack stacktape-dev",
        "vpc": vpc["id"],
        "tags": TAGS,
    }
    assert rec.one("aws:servicediscovery/service:Service", "api-discovery-service").inputs == {
        "name": "api-http-api",
        "dnsConfig": {"namespaceId": namespace["id"], "routingPolicy": "MULTIVALUE",
                      "dnsRecords": [{"ttl": 60, "type": "SRV"}]},
        "healthCheckCustomConfig": {},
        "tags": TAGS,
    }
    subnets = [canned(rec, "aws:ec2/subnet:Subnet", f"stacktape-dev-network-public-subnet-{i}")["id"]
               for i in range(3)]
    link_group = canned(rec, SG, "gw-vpc-link-security-group")
    assert rec.one(SG, "gw-vpc-link-security-group").inputs == {
        "description": "VPC link of HTTP API gw in stack stacktape-dev",
        "vpcId": vpc["id"],
        "egress": [{"protocol": "-1", "fromPort": 0, "toPort": 0, "cidrBlocks": ["172.16.0.0/16"],
                    "description": "to tasks in the stack VPC"}],
        "tags": TAGS,
    }
    assert rec.one("aws:apigatewayv2/vpcLink:VpcLink", "gw-vpc-link").inputs == {
        "name": "stacktape-dev-gw-vpc-link", "subnetIds": subnets, "securityGroupIds": [link_group["id"]],
        "tags": TAGS}
    workload_group = canned(rec, SG, "api-sg")
    assert rec.one(INGRESS, "api-ingress-http-api-gw-3000").inputs == {
        "securityGroupId": workload_group["id"],
        "referencedSecurityGroupId": link_group["id"],
        "ipProtocol": "tcp", "fromPort": 3000, "toPort": 3000,
        "description": "from http api gateway gw to 3000",
        "tags": TAGS,
    }
    discovery = canned(rec, "aws:servicediscovery/service:Service", "api-discovery-service")
    link = canned(rec, "aws:apigatewayv2/vpcLink:VpcLink", "gw-vpc-link")
    assert rec.one(INTEGRATION).inputs == {
        "apiId": api["id"],
        "integrationType": "HTTP_PROXY",
        "integrationMethod": "ANY",
        "integrationUri": discovery["arn"],
        "connectionType": "VPC_LINK",
        "connectionId": link["id"],
        "payloadFormatVersion": "1.0",
    }
    integration = canned(rec, INTEGRATION, "api-gw-integration")
    routes = {r.name: r.inputs for r in rec.by_type(ROUTE)}
    assert routes == {
        f"api-gw-{slug}-route": {"apiId": api["id"], "routeKey": key, "target": f"integrations/{integration['id']}"}
        for slug, key in (("default", "$default"), ("any-api-proxy", "ANY /api/{proxy+}"),
                          ("get-x-proxy", "GET /x/{proxy+}"))
    }
    workload_urn = rec.one("stacktape:index:MultiContainerWorkload", "api").urn
    assert all(r.parent == workload_urn for r in rec.by_type(ROUTE))
    service = rec.one(SERVICE, "api-service").inputs
    assert service["serviceRegistries"] == {"registryArn": discovery["arn"], "containerName": "web",
                                            "containerPort": 3000}
    assert service["networkConfiguration"]["securityGroups"] == [workload_group["id"]]
    assert "serviceConnectConfiguration" not in service
    assert "loadBalancers" not in service
    assert rec.one("stacktape:index:HttpApiGateway").outputs == {
        "arn": api["arn"], "id": api["id"], "url": api["apiEndpoint"],
        "domain": api["apiEndpoint"].removeprefix("https://")}


def test_two_workloads_share_the_gateway_link(preview: Callable[[str], Recording]) -> None:
    rec = preview("resources:\n  gw:\n    type: http-api-gateway\n"
                  + workload("one", f"[{http('GET', '/one')}]") + workload("two", f"[{http('GET', '/two', 8080)}]"))
    assert len(rec.by_type("aws:apigatewayv2/vpcLink:VpcLink")) == 1
    assert len(rec.by_type("aws:servicediscovery/privateDnsNamespace:PrivateDnsNamespace")) == 1
    assert sorted(r.name for r in rec.by_type(INTEGRATION)) == ["one-gw-integration", "two-gw-integration"]
    assert sorted(r.name for r in rec.by_type(INGRESS)) == ["one-ingress-http-api-gw-80",
                                                           "two-ingress-http-api-gw-8080"]


# ---- authorizers (Python door: no function or user pool resource type yet) ----------------

def _authorized_program(authorizer: dict[str, Any], register: dict[str, dict[str, str]]) -> Callable[[], None]:
    def program() -> None:
        ctx = StackContext()
        for resource, params in register.items():
            ctx.register_component(resource, object(), {k: pulumi.Output.from_input(v) for k, v in params.items()})
        HttpApiGateway("gw", context=ctx)
        MultiContainerWorkload("api", {
            "resources": {"cpu": 0.25, "memory": 512},
            "containers": [{
                "name": "web",
                "packaging": {"type": "prebuilt-image", "properties": {"image": "nginx"}},
                "events": [{"type": "http-api-gateway", "properties": {
                    "http_api_gateway_name": "gw", "method": "GET", "path": "/private", "container_port": 80,
                    "authorizer": authorizer}}],  # type: ignore[typeddict-item]
            }],
        }, context=ctx)

    return program


FUNCTION_ARN = f"arn:aws:lambda:us-east-1:{ACCOUNT}:function:stacktape-dev-auth"


def test_lambda_authorizer() -> None:
    rec = run_offline(_authorized_program(
        {"type": "lambda", "properties": {"function_name": "auth", "identity_sources": ["$request.header.X-Key"],
                                          "cache_result_seconds": 300}},
        {"auth": {"arn": FUNCTION_ARN}}))
    api = canned(rec, API, "gw-api")
    assert rec.one(AUTHORIZER).inputs == {
        "apiId": api["id"],
        "name": "stacktape-dev-api-gw-get-private",
        "authorizerType": "REQUEST",
        "authorizerUri": ("arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/"
                          f"{FUNCTION_ARN}/invocations"),
        "authorizerPayloadFormatVersion": "2.0",
        "identitySources": ["$request.header.X-Key"],
        "enableSimpleResponses": True,
        "authorizerResultTtlInSeconds": 300,
    }
    authorizer = canned(rec, AUTHORIZER, "api-gw-get-private-authorizer")
    assert rec.one("aws:lambda/permission:Permission", "api-gw-get-private-authorizer-permission").inputs == {
        "action": "lambda:InvokeFunction",
        "function": FUNCTION_ARN,
        "principal": "apigateway.amazonaws.com",
        "sourceArn": f"{api['executionArn']}/authorizers/{authorizer['id']}",
    }
    route = rec.one(ROUTE).inputs
    assert route["authorizationType"] == "CUSTOM"
    assert route["authorizerId"] == authorizer["id"]
    assert route["routeKey"] == "GET /private"


def test_lambda_authorizer_with_iam_response_and_defaults() -> None:
    rec = run_offline(_authorized_program({"type": "lambda", "properties": {"function_name": "auth",
                                                                            "iam_response": True}},
                                          {"auth": {"arn": FUNCTION_ARN}}))
    inputs = rec.one(AUTHORIZER).inputs
    assert inputs["enableSimpleResponses"] is False
    assert inputs["identitySources"] == []
    assert inputs["authorizerResultTtlInSeconds"] == 0


def test_cognito_authorizer_is_a_jwt_authorizer_of_the_pool() -> None:
    rec = run_offline(_authorized_program({"type": "cognito", "properties": {"user_pool_name": "users"}},
                                          {"users": {"id": "us-east-1_AbC", "clientId": "client123"}}))
    api = canned(rec, API, "gw-api")
    assert rec.one(AUTHORIZER).inputs == {
        "apiId": api["id"],
        "name": "stacktape-dev-api-gw-get-private",
        "authorizerType": "JWT",
        "identitySources": ["$request.header.Authorization"],
        "jwtConfiguration": {"audiences": ["client123"],
                             "issuer": "https://cognito-idp.us-east-1.amazonaws.com/us-east-1_AbC"},
    }
    assert rec.one(ROUTE).inputs["authorizationType"] == "JWT"
    assert rec.by_type("aws:lambda/permission:Permission") == []


def test_cognito_authorizer_without_a_pool_is_an_error() -> None:
    with pytest.raises(StacktapeError, match="the cognito authorizer needs user pool 'users'"):
        run_offline(_authorized_program({"type": "cognito", "properties": {"user_pool_name": "users"}}, {}))


def test_python_args_are_checked_like_the_yaml() -> None:
    with pytest.raises(ArgsError, match=r"HttpApiGateway 'gw': logging.format"):
        run_offline(lambda: HttpApiGateway("gw", {"logging": {"format": "YAML"}}))  # type: ignore[arg-type, typeddict-item]
    with pytest.raises(StacktapeError, match=r"HttpApiGateway 'gw': cdn: cdn is not supported yet"):
        run_offline(lambda: HttpApiGateway("gw", {"cdn": {"enabled": True}}))  # type: ignore[arg-type]


def test_event_before_its_gateway_is_an_error() -> None:
    def program() -> None:
        MultiContainerWorkload("api", {
            "resources": {"cpu": 0.25, "memory": 512},
            "containers": [{"name": "web", "packaging": {"type": "prebuilt-image", "properties": {"image": "nginx"}},
                            "events": [json.loads(
                                '{"type": "http-api-gateway", "properties": {"httpApiGatewayName": "gw", '
                                '"method": "GET", "path": "/", "containerPort": 80}}')]}],
        })

    with pytest.raises(StacktapeError, match="resource 'gw' must be created before the resources that use it"):
        run_offline(program)


# ---- located errors ---------------------------------------------------------------------

def test_located_errors(config_errors: Callable[[str], list[str]]) -> None:
    assert config_errors("""
        resources:
          gw:
            type: http-api-gateway
            properties:
              cors: {enabled: true, allowCredentials: true}
              logging:
                logForwarding: {type: datadog, properties: {apiKey: abc}}
              cdn: {enabled: true}
              customDomains:
                - domainName: api.example.com
                  disableDnsRecordCreation: true
        """) == [
        "stacktape.yml:5:47: resources.gw.properties.cors.allowCredentials: allowCredentials cannot be used with "
        "the origin '*' (API Gateway rejects it) (hint: list the allowed origins in cors.allowedOrigins)",
        "stacktape.yml:7:61: resources.gw.properties.logging.logForwarding.properties.apiKey: apiKey must not be "
        "written in the config: Firehose sends it with every request, and a literal would be stored in plaintext "
        "in the file, the Pulumi state and every preview; allowed: $Secret('name'), $Secret('name.jsonKey') or "
        "$SsmParam('name') (from Python: a pulumi.Output) (hint: store it in Secrets Manager and write apiKey: "
        "$Secret('<secret name>'))",
        "stacktape.yml:8:7: resources.gw.properties.cdn: cdn is not supported yet (hint: put CloudFront in front "
        "of the API with pulumi_aws.cloudfront)",
        "stacktape.yml:11:37: resources.gw.properties.customDomains[0].disableDnsRecordCreation: custom domain "
        "api.example.com sets disableDnsRecordCreation but no customCertificateArn: without DNS records in Route 53 "
        "the ACM certificate cannot be validated (hint: set customCertificateArn to a certificate you validated "
        "yourself, or remove disableDnsRecordCreation)",
    ]


# ---- the seed page's examples -----------------------------------------------------------

# The seed page (multi-container-workloads) builds its containers with stacktape-image-buildpack;
# these keep its structure with prebuilt images, and cpu 2 with 4096 MiB (2048 is not a Fargate size).
SEED_GATEWAY = """
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
            type: prebuilt-image
            properties:
              image: public.ecr.aws/docker/library/node:22-alpine
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
"""

SEED_FRONTEND_BACKEND = """
resources:
  myApiGateway:
    type: http-api-gateway
  myApp:
    type: multi-container-workload
    properties:
      containers:
        - name: frontend
          packaging:
            type: prebuilt-image
            properties:
              image: public.ecr.aws/nginx/nginx:1.27
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
            type: prebuilt-image
            properties:
              image: public.ecr.aws/docker/library/node:22-alpine
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
"""

def expected_workload(name: str, gateway: str, routes: list[str], containers: list[str],
                      port: int) -> list[tuple[str, str]]:
    return sorted([
        *workload_children(name, containers),
        ("aws:servicediscovery/service:Service", f"{name}-discovery-service"),
        (INTEGRATION, f"{name}-{gateway}-integration"),
        (INGRESS, f"{name}-ingress-http-api-{gateway}-{port}"),
        *[(ROUTE, f"{name}-{gateway}-{slug}-route") for slug in routes],
    ])


def expected_gateway(name: str) -> list[tuple[str, str]]:
    return sorted([(API, f"{name}-api"), (STAGE, f"{name}-stage"),
                   ("aws:cloudwatch/logGroup:LogGroup", f"{name}-access-logs"),
                   (SG, f"{name}-vpc-link-security-group"), ("aws:apigatewayv2/vpcLink:VpcLink", f"{name}-vpc-link")])


SEED_HTTP_EVENT = """
resources:
  myApiGateway:
    type: http-api-gateway
  myApp:
    type: multi-container-workload
    properties:
      containers:
        - name: api-container
          packaging:
            type: prebuilt-image
            properties:
              image: public.ecr.aws/nginx/nginx:1.27
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
"""

# The seed page's dependsOn example names a container `backend` that it calls `api-container`.
SEED_DEPENDS_ON = """
resources:
  myApiGateway:
    type: http-api-gateway
  myMultiContainerWorkload:
    type: multi-container-workload
    properties:
      containers:
        - name: frontend-container
          packaging:
            type: prebuilt-image
            properties:
              image: public.ecr.aws/nginx/nginx:1.27
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
            type: prebuilt-image
            properties:
              image: public.ecr.aws/docker/library/node:22-alpine
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
"""

# The seed page's scaling example routes to a gateway it does not define; it is added here.
SEED_SCALING = """
resources:
  myApiGateway:
    type: http-api-gateway
  myContainerWorkload:
    type: multi-container-workload
    properties:
      containers:
        - name: container-1
          packaging:
            type: prebuilt-image
            properties:
              image: public.ecr.aws/nginx/nginx:1.27
          events:
            - type: http-api-gateway
              properties:
                httpApiGatewayName: myApiGateway
                containerPort: 80
                method: '*'
                path: '*'
        - name: container-2
          packaging:
            type: prebuilt-image
            properties:
              image: public.ecr.aws/docker/library/node:22-alpine
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
"""


@pytest.mark.parametrize(("config", "gateway", "name", "routes", "containers", "port"), [
    (SEED_GATEWAY, "mainGateway", "apiServer", ["any-proxy"], ["api-container"], 3000),
    (SEED_HTTP_EVENT, "myApiGateway", "myApp", ["get-my-path"], ["api-container"], 80),
    (SEED_DEPENDS_ON, "myApiGateway", "myMultiContainerWorkload", ["default"],
     ["api-container", "frontend-container"], 80),
    (SEED_FRONTEND_BACKEND, "myApiGateway", "myApp", ["get-my-path"], ["backend", "frontend"], 80),
    (SEED_SCALING, "myApiGateway", "myContainerWorkload", ["default"], ["container-1", "container-2"], 80),
], ids=["gateway", "http-event", "depends-on", "frontend-backend", "scaling"])
def test_seed_examples(preview: Callable[[str], Recording], config_errors: Callable[[str], list[str]], config: str,
                       gateway: str, name: str, routes: list[str], containers: list[str], port: int) -> None:
    assert config_errors(config) == []
    rec = preview(config)
    assert tree(rec, gateway) == expected_gateway(gateway)
    assert tree(rec, name) == expected_workload(name, gateway, routes, containers, port)
    # Only the routed port opens, and only to the gateway's VPC link.
    link_group = canned(rec, SG, f"{gateway}-vpc-link-security-group")["id"]
    assert [(r.inputs["fromPort"], r.inputs["referencedSecurityGroupId"]) for r in rec.by_type(INGRESS)] == [
        (port, link_group)]
