"""`web-service`, `private-service`, `worker-service`: what each builds, and every rule located at the key written."""

import json
from collections.abc import Callable
from typing import Any

import pytest

from stacktape_pulumi import StackContext, WebService, WorkerService
from stacktape_pulumi.engine import Recording, run_offline
from stacktape_pulumi.errors import StacktapeError
from tests.traffic_support import INGRESS, SERVICE, SG, TAGS, canned

Preview = Callable[[str], Recording]
Errors = Callable[[str], list[str]]
TASK = "aws:ecs/taskDefinition:TaskDefinition"
ROUTE = "aws:apigatewayv2/route:Route"
RULE = "aws:lb/listenerRule:ListenerRule"
TARGET_GROUP = "aws:lb/targetGroup:TargetGroup"
LISTENER = "aws:lb/listener:Listener"
NGINX = "packaging: {type: prebuilt-image, properties: {image: nginx}}"
SMALL = "resources: {cpu: 0.25, memory: 512}"


def service(name: str, kind: str, extra: str = "") -> str:
    return (f"  {name}:\n    type: {kind}\n    properties:\n      {NGINX}\n      {SMALL}\n"
            + "".join(f"      {line}\n" for line in extra.strip("\n").splitlines()))


def config(*resources: str) -> str:
    return "resources:\n" + "".join(resources)


def containers(rec: Recording, workload: str) -> list[dict[str, Any]]:
    task = rec.one(TASK, f"{workload}-task-definition")
    found: list[dict[str, Any]] = json.loads(task.inputs["containerDefinitions"])
    return found


def component_tree(rec: Recording, name: str) -> list[tuple[str, str]]:
    """(type, name) of the components directly below the service component `name`."""
    top = next(r for r in rec.resources if r.name == name and not r.custom and r.type.startswith("stacktape:index:")
               and r.type.endswith("Service"))
    return [(r.type, r.name) for r in rec.children(top) if not r.custom]


def log_configuration(workload: str, container: str) -> dict[str, Any]:
    return {"logDriver": "awslogs", "options": {
        "awslogs-region": "us-east-1", "awslogs-group": f"/stp/stacktape-dev/ecs/{workload}/{container}/process-logs",
        "awslogs-stream-prefix": "ecs"}}


# ---- web-service ---------------------------------------------------------------------------------

WEB = config(service("web", "web-service", """
environment:
  - {name: GREETING, value: hello}
cors: {enabled: true, allowedOrigins: ['https://example.com']}
sideContainers:
  - containerType: run-on-init
    name: migrate
    packaging: {type: prebuilt-image, properties: {image: 'example/migrate:1'}}
  - containerType: always-running
    name: agent
    packaging: {type: prebuilt-image, properties: {image: 'example/agent:1'}}
    dependsOn: [{containerName: service-container, condition: START}]
"""))


def test_web_service_is_a_workload_behind_its_own_http_api(preview: Preview) -> None:
    rec = preview(WEB)
    assert component_tree(rec, "web") == [("stacktape:index:HttpApiGateway", "web"),
                                          ("stacktape:index:MultiContainerWorkload", "web")]
    assert containers(rec, "web") == [
        {"name": "service-container", "image": "nginx", "essential": True,
         "environment": [{"name": "GREETING", "value": "hello"}, {"name": "PORT", "value": "3000"},
                         {"name": "HOST", "value": "0.0.0.0"}],
         "portMappings": [{"containerPort": 3000, "hostPort": 3000, "protocol": "tcp", "name": "port-3000"}],
         "stopTimeout": 2,
         # The agent depends on the main container itself, so only the init container gates the start.
         "dependsOn": [{"containerName": "migrate", "condition": "SUCCESS"}],
         "logConfiguration": log_configuration("web", "service-container")},
        {"name": "migrate", "image": "example/migrate:1", "essential": False, "environment": [], "portMappings": [],
         "stopTimeout": 2, "logConfiguration": log_configuration("web", "migrate")},
        {"name": "agent", "image": "example/agent:1", "essential": True, "environment": [], "portMappings": [],
         "stopTimeout": 2, "dependsOn": [{"containerName": "service-container", "condition": "START"}],
         "logConfiguration": log_configuration("web", "agent")},
    ]
    api = rec.one("aws:apigatewayv2/api:Api", "web-api")
    assert api.inputs == {
        "name": "stacktape-dev-web", "protocolType": "HTTP", "tags": TAGS,
        "corsConfiguration": {"allowOrigins": ["https://example.com"], "allowMethods": ["*"], "allowHeaders": [
            "Content-Type", "X-Amz-Date", "Authorization", "X-Api-Key", "X-Amz-Security-Token", "X-Amz-User-Agent"]}}
    # One `$default` route: every method and path, `/` included.
    [route] = rec.by_type(ROUTE)
    assert route.inputs["routeKey"] == "$default"
    assert route.inputs["apiId"] == canned(rec, "aws:apigatewayv2/api:Api", "web-api")["id"]
    registry = canned(rec, "aws:servicediscovery/service:Service", "web-discovery-service")
    assert rec.one(SERVICE, "web-service").inputs["serviceRegistries"] == {
        "registryArn": registry["arn"], "containerName": "service-container", "containerPort": 3000}
    vpc_link_group = canned(rec, SG, "web-vpc-link-security-group")
    assert [r.inputs for r in rec.by_type(INGRESS)] == [{
        "securityGroupId": canned(rec, SG, "web-sg")["id"], "referencedSecurityGroupId": vpc_link_group["id"],
        "ipProtocol": "tcp", "fromPort": 3000, "toPort": 3000,
        "description": "from http api gateway web.httpApiGateway to 3000", "tags": TAGS}]
    outputs = rec.stack_outputs["web"]
    assert set(outputs) == {"arn", "id", "url", "domain", "clusterArn", "serviceArn", "serviceName",
                            "securityGroupId", "taskRoleArn"}
    assert outputs["url"] == canned(rec, "aws:apigatewayv2/api:Api", "web-api")["apiEndpoint"]


def test_web_service_behind_its_own_application_load_balancer(preview: Preview) -> None:
    rec = preview(config(service("web", "web-service", """
loadBalancing:
  type: application-load-balancer
  properties: {healthcheckPath: /health, healthcheckInterval: 10}
""")))
    assert component_tree(rec, "web") == [("stacktape:index:ApplicationLoadBalancer", "web"),
                                          ("stacktape:index:MultiContainerWorkload", "web")]
    # No custom domain, so no certificate: the load balancer listens on HTTP 80 (docs/decisions.md).
    [listener] = rec.by_type(LISTENER)
    assert (listener.inputs["port"], listener.inputs["protocol"]) == (80, "HTTP")
    [group] = rec.by_type(TARGET_GROUP)
    assert group.inputs["port"] == 3000
    assert group.inputs["healthCheck"]["path"] == "/health"
    assert group.inputs["healthCheck"]["interval"] == 10
    assert group.inputs["healthCheck"]["timeout"] == 4
    [rule] = rec.by_type(RULE)
    assert rule.inputs["priority"] == 3
    assert rule.inputs["conditions"] == [{"pathPattern": {"values": ["*"]}}]
    assert rule.inputs["listenerArn"] == canned(rec, LISTENER, listener.name)["arn"]
    assert rec.by_type(ROUTE) == []


def test_web_service_rules_are_located_at_the_keys_written(config_errors: Errors) -> None:
    assert config_errors(config(service("web", "web-service", """
environment:
  - {name: PORT, value: '8080'}
deployment: {strategy: AllAtOnce}
loadBalancing: {type: network-load-balancer, properties: {ports: [{port: 443}]}}
"""))) == [
        "stacktape.yml:9:7: resources.web.properties.deployment: When using deployment property, you must use "
        "load balancing type \"application-load-balancer\". (hint: set loadBalancing: {type: "
        "application-load-balancer})",
    ]
    assert config_errors(config(service("web", "web-service", """
environment:
  - {name: PORT, value: '8080'}
"""))) == [
        "stacktape.yml:8:31: resources.web.properties.environment[0].value: web-service web sets PORT=3000 for its "
        "container (the port of its traffic); PORT='8080' would make the container listen where no traffic "
        "arrives (hint: remove it (the service sets PORT=3000))"]


def test_rules_of_the_expansion_point_at_the_service_keys(config_errors: Errors) -> None:
    # A target group health check AWS refuses (a load balancer rule), and a name the workload rules refuse.
    assert config_errors(config(service("web", "web-service", """
loadBalancing: {type: application-load-balancer, properties: {healthcheckTimeout: 6}}
"""))) == [
        "stacktape.yml:7:89: resources.web.properties.loadBalancing.properties.healthcheckTimeout: "
        "healthcheckTimeout (6 s) must be less than healthcheckInterval (5 s): Elastic Load Balancing refuses a "
        "health check that does not time out before the next one starts (hint: set healthcheckTimeout to at most 4 "
        "or raise healthcheckInterval (defaults: interval 5, timeout 4))"]
    assert config_errors(config(service("web", "worker-service", """
sideContainers:
  - {containerType: always-running, name: service-container, packaging: {type: prebuilt-image, properties: {image: x}}}
"""))) == [
        "stacktape.yml:8:49: resources.web.properties.sideContainers[0].name: Conflict within container names of "
        "multi-container-workload \"web\". Two or more containers are using the same name \"service-container\""]


def test_cors_and_a_firewall_need_the_matching_load_balancing(config_errors: Errors) -> None:
    errors = config_errors(config(service("web", "web-service", """
loadBalancing: {type: application-load-balancer}
cors: {enabled: true}
""")))
    assert errors == [
        "stacktape.yml:8:7: resources.web.properties.cors: web-service web: cors applies to http-api-gateway load "
        "balancing only (an application load balancer passes your application's CORS headers through) (hint: "
        "remove cors and answer CORS in the application, or use http-api-gateway load balancing)"]


# ---- private-service -----------------------------------------------------------------------------


def test_private_service_is_reachable_through_service_connect_at_its_name(preview: Preview) -> None:
    # The client is written first: it is still created after the service it calls.
    rec = preview(config(service("front", "worker-service", "connectTo: [users]"),
                         service("users", "private-service", "port: 8080\nprotocol: grpc")))
    namespace = canned(rec, "aws:servicediscovery/privateDnsNamespace:PrivateDnsNamespace",
                       "stacktape-dev-private-namespace")
    assert rec.one(SERVICE, "users-service").inputs["serviceConnectConfiguration"] == {
        "enabled": True, "namespace": namespace["arn"],
        "services": [{"portName": "port-8080", "discoveryName": "users",
                      "clientAlias": [{"port": 8080, "dnsName": "users"}]}]}
    [users] = containers(rec, "users")
    assert users["environment"] == [{"name": "PORT", "value": "8080"}, {"name": "HOST", "value": "0.0.0.0"}]
    assert rec.stack_outputs["users"]["address"] == "users:8080"
    # connectTo a private service: its address, and no IAM statement.
    [front] = containers(rec, "front")
    assert front["environment"] == [{"name": "STP_USERS_ADDRESS", "value": "users:8080"}]
    assert [r.name for r in rec.by_type("aws:iam/rolePolicy:RolePolicy") if r.name.startswith("front")] == []
    # The caller is a Service Connect client; the service admits only the clients' group, never a CIDR.
    clients = canned(rec, SG, "stacktape-dev-service-connect-clients")["id"]
    assert rec.one(SERVICE, "front-service").inputs["serviceConnectConfiguration"] == {
        "enabled": True, "namespace": namespace["arn"]}
    assert [(r.inputs["referencedSecurityGroupId"], r.inputs["fromPort"]) for r in rec.by_type(INGRESS)] == [
        (clients, 8080)]
    registered = [r.name for r in rec.by_type(SERVICE)]
    assert registered == ["users-service", "front-service"]


def test_private_service_behind_an_internal_load_balancer(preview: Preview) -> None:
    rec = preview(config(service("users", "private-service",
                                 "port: 8080\nloadBalancing: {type: application-load-balancer}")))
    balancer = rec.one("aws:lb/loadBalancer:LoadBalancer", "users-load-balancer")
    assert balancer.inputs["internal"] is True
    [listener] = rec.by_type(LISTENER)
    assert (listener.inputs["port"], listener.inputs["protocol"]) == (8080, "HTTP")
    [rule] = rec.by_type(RULE)
    assert (rule.inputs["priority"], rule.inputs["conditions"]) == (3, [{"pathPattern": {"values": ["*"]}}])
    dns = canned(rec, "aws:lb/loadBalancer:LoadBalancer", "users-load-balancer")["dnsName"]
    assert rec.stack_outputs["users"]["address"] == f"{dns}:8080"


# ---- worker-service ------------------------------------------------------------------------------


def test_worker_service_has_no_ingress_no_port_and_no_load_balancer(preview: Preview) -> None:
    rec = preview(config(service("jobs", "worker-service", "scaling: {minInstances: 2, maxInstances: 4}")))
    [main] = containers(rec, "jobs")
    assert (main["name"], main["portMappings"], main["environment"]) == ("service-container", [], [])
    assert rec.by_type(INGRESS) == []
    inputs = rec.one(SERVICE, "jobs-service").inputs
    assert "loadBalancers" not in inputs
    assert "serviceRegistries" not in inputs
    assert inputs["desiredCount"] == 2
    assert rec.one("aws:appautoscaling/target:Target", "jobs-scaling-target").inputs["maxCapacity"] == 4


def test_connect_to_a_web_or_worker_service_is_refused(config_errors: Errors) -> None:
    errors = config_errors(config(service("web", "web-service"),
                                  service("jobs", "worker-service", "connectTo: [web]")))
    assert errors == [
        "stacktape.yml:12:19: resources.jobs.properties.connectTo[0]: Error in resource jobs. ConnectTo section "
        "contains resource \"web\" of type \"web-service\". Resource type \"web-service\" cannot be scoped by "
        "connectTo. (hint: connectTo grants access to functions, workloads and data resources; route traffic with "
        "events instead)"]


# ---- the Python door -----------------------------------------------------------------------------


def test_python_args_build_what_yaml_builds(preview: Preview) -> None:
    from_yaml = preview(config(service("jobs", "worker-service")))

    def program() -> None:
        WorkerService("jobs", {"packaging": {"type": "prebuilt-image",
                                             "properties": {"image": "nginx"}},
                               "resources": {"cpu": 0.25, "memory": 512}},
                      context=StackContext())

    from_python = run_offline(program)
    assert sorted((r.type, r.name, json.dumps(r.inputs, sort_keys=True)) for r in from_python.resources) == \
        sorted((r.type, r.name, json.dumps(r.inputs, sort_keys=True)) for r in from_yaml.resources)


def test_python_args_meet_the_same_rules() -> None:
    def program() -> None:
        WebService("web", {"packaging": {"type": "prebuilt-image",
                                         "properties": {"image": "nginx"}},
                           "resources": {"cpu": 0.25, "memory": 512},
                           "environment": [{"name": "HOST", "value": "127.0.0.1"}]})

    with pytest.raises(StacktapeError) as err:
        run_offline(program)
    assert str(err.value) == (
        "WebService 'web': environment[0].value: web-service web sets HOST=0.0.0.0 for its container (every "
        "interface, so traffic can reach it); HOST='127.0.0.1' would make the container listen where no traffic "
        "arrives (hint: remove it (the service sets HOST=0.0.0.0))")
