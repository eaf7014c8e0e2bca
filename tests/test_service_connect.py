"""`service-connect` events, client-only workloads, their ordering, and tasks never admitting the world."""

import ipaddress
import json
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from stacktape_pulumi import MultiContainerWorkload, StackContext
from stacktape_pulumi.engine import Recording, run_offline
from stacktape_pulumi.load import load_config
from tests.traffic_support import INGRESS, SERVICE, SG, TAGS, canned, tree, workload_children

if TYPE_CHECKING:
    from stacktape_pulumi.args import Container, ContainerEvent

NAMESPACE = "aws:servicediscovery/privateDnsNamespace:PrivateDnsNamespace"
CLIENTS = "stacktape-dev-service-connect-clients"


SERVICES = """
resources:
  frontend:
    type: multi-container-workload
    properties:
      resources: {cpu: 0.25, memory: 512}
      containers:
        - name: web
          packaging: {type: prebuilt-image, properties: {image: nginx}}
  users:
    type: multi-container-workload
    properties:
      resources: {cpu: 0.5, memory: 1024}
      containers:
        - name: api
          packaging: {type: prebuilt-image, properties: {image: 'example/users:1'}}
          events:
            - type: service-connect
              properties: {containerPort: 8080, alias: users-api}
            - type: service-connect
              properties: {containerPort: 50051, protocol: grpc}
            - type: service-connect
              properties: {containerPort: 8080, alias: ignored}
        - name: metrics
          packaging: {type: prebuilt-image, properties: {image: 'example/metrics:1'}}
          events:
            - type: service-connect
              properties: {containerPort: 9100, protocol: http}
"""


def test_two_ports_a_custom_alias_and_grpc(preview: Callable[[str], Recording]) -> None:
    rec = preview(SERVICES)
    namespace = canned(rec, NAMESPACE, "stacktape-dev-private-namespace")
    users = rec.one(SERVICE, "users-service").inputs
    assert users["serviceConnectConfiguration"] == {
        "enabled": True,
        "namespace": namespace["arn"],
        "services": [
            {"portName": "port-8080", "discoveryName": "users-api",
             "clientAlias": [{"port": 8080, "dnsName": "users-api"}]},
            {"portName": "port-50051", "discoveryName": "users-api",
             "clientAlias": [{"port": 50051, "dnsName": "users-api"}]},
            {"portName": "port-9100", "discoveryName": "users-metrics",
             "clientAlias": [{"port": 9100, "dnsName": "users-metrics"}]},
        ],
    }
    clients = canned(rec, SG, CLIENTS)
    assert rec.one(SG, CLIENTS).inputs == {
        "description": "Workloads of stack stacktape-dev that may call its Service Connect services",
        "vpcId": canned(rec, "aws:ec2/vpc:Vpc", "stacktape-dev-network-vpc")["id"],
        "tags": TAGS,
    }
    users_group = canned(rec, SG, "users-sg")["id"]
    assert users["networkConfiguration"]["securityGroups"] == [users_group, clients["id"]]
    ingress = {r.name: r.inputs for r in rec.by_type(INGRESS)}
    assert ingress == {
        f"users-ingress-service-connect-{port}": {
            "securityGroupId": users_group, "referencedSecurityGroupId": clients["id"], "ipProtocol": "tcp",
            "fromPort": port, "toPort": port, "description": f"service connect port {port}", "tags": TAGS}
        for port in (8080, 50051, 9100)
    }
    task = rec.one("aws:ecs/taskDefinition:TaskDefinition", "users-task-definition")
    mappings = [d["portMappings"] for d in json.loads(task.inputs["containerDefinitions"])]
    assert mappings == [
        [{"containerPort": 8080, "hostPort": 8080, "protocol": "tcp", "name": "port-8080"},
         {"containerPort": 50051, "hostPort": 50051, "protocol": "tcp", "name": "port-50051", "appProtocol": "grpc"}],
        [{"containerPort": 9100, "hostPort": 9100, "protocol": "tcp", "name": "port-9100", "appProtocol": "http"}],
    ]


def test_client_only_workload_comes_after_the_services(preview: Callable[[str], Recording]) -> None:
    rec = preview(SERVICES)
    frontend = rec.one(SERVICE, "frontend-service")
    namespace = canned(rec, NAMESPACE, "stacktape-dev-private-namespace")
    assert frontend.inputs["serviceConnectConfiguration"] == {"enabled": True, "namespace": namespace["arn"]}
    assert frontend.inputs["networkConfiguration"]["securityGroups"] == [
        canned(rec, SG, "frontend-sg")["id"], canned(rec, SG, CLIENTS)["id"]]
    assert rec.one(SERVICE, "users-service").urn in frontend.dependencies
    # Declared first, built after the service it may call.
    names = [r.name for r in rec.by_type("stacktape:index:MultiContainerWorkload")]
    assert names == ["users", "frontend"]
    assert rec.by_type(INGRESS)[0].name.startswith("users-")
    assert not [r for r in rec.by_type(INGRESS) if r.name.startswith("frontend-")]


def test_ordering_never_makes_a_cycle(write_config: Callable[[str], Path]) -> None:
    """A service that references its client keeps the reference's order; the soft edge is dropped."""
    loaded = load_config(write_config(SERVICES.replace(
        "          packaging: {type: prebuilt-image, properties: {image: 'example/users:1'}}",
        "          packaging: {type: prebuilt-image, properties: {image: 'example/users:1'}}\n"
        "          environment:\n"
        "            - {name: FRONTEND, value: \"$ResourceParam('frontend', 'serviceName')\"}")))
    assert loaded.order == ["frontend", "users"]
    assert load_config(write_config(SERVICES)).order == ["users", "frontend"]


def test_python_door_clients_follow_the_services_already_built() -> None:
    def program() -> None:
        ctx = StackContext()
        # Plain values where the generated args have enums: the README promises both work.
        container: Container = {
            "name": "c", "packaging": {"type": "prebuilt-image", "properties": {"image": "nginx"}}}
        event: ContainerEvent = {"type": "service-connect", "properties": {"container_port": 80}}
        MultiContainerWorkload("server", {
            "resources": {"cpu": 0.25, "memory": 512}, "containers": [{**container, "events": [event]}],
        }, context=ctx)
        MultiContainerWorkload("client", {"resources": {"cpu": 0.25, "memory": 512}, "containers": [container]},
                               context=ctx)

    rec = run_offline(program)
    client = rec.one(SERVICE, "client-service")
    assert client.inputs["serviceConnectConfiguration"]["enabled"] is True
    assert "services" not in client.inputs["serviceConnectConfiguration"]
    assert rec.one(SERVICE, "server-service").urn in client.dependencies
    services = rec.one(SERVICE, "server-service").inputs["serviceConnectConfiguration"]["services"]
    assert services == [{"portName": "port-80", "discoveryName": "server-c",
                         "clientAlias": [{"port": 80, "dnsName": "server-c"}]}]


def test_stack_without_service_connect_has_no_namespace(preview: Callable[[str], Recording]) -> None:
    rec = preview(SERVICES.split("  users:")[0])
    assert rec.by_type(NAMESPACE) == []
    assert "serviceConnectConfiguration" not in rec.one(SERVICE).inputs
    assert len(rec.one(SERVICE).inputs["networkConfiguration"]["securityGroups"]) == 1


# ---- no task admits the world -----------------------------------------------------------

EVERYTHING = """
resources:
  gw:
    type: http-api-gateway
  lb:
    type: application-load-balancer
    properties:
      listeners:
        - {protocol: HTTP, port: 80}
        - {protocol: HTTP, port: 8080, whitelistIps: ['0.0.0.0/0']}
  internalLb:
    type: application-load-balancer
    properties: {interface: internal}
  api:
    type: multi-container-workload
    properties:
      resources: {cpu: 0.25, memory: 512}
      containers:
        - name: web
          packaging: {type: prebuilt-image, properties: {image: nginx}}
          loadBalancerHealthCheck: {healthCheckPort: 9000}
          events:
            - type: http-api-gateway
              properties: {httpApiGatewayName: gw, method: '*', path: '*', containerPort: 80}
            - type: application-load-balancer
              properties: {loadBalancerName: lb, listenerPort: 8080, priority: 1, paths: ['*'], containerPort: 80}
            - type: application-load-balancer
              properties: {loadBalancerName: internalLb, priority: 1, paths: ['*'], containerPort: 80}
            - type: service-connect
              properties: {containerPort: 3000}
            - type: workload-internal
              properties: {containerPort: 9000}
  worker:
    type: multi-container-workload
    properties:
      resources: {cpu: 0.25, memory: 512}
      containers:
        - name: job
          packaging: {type: prebuilt-image, properties: {image: busybox}}
"""


def task_groups(rec: Recording) -> dict[str, str]:
    """Security group ID → name, for every group on an ECS service's tasks."""
    ids = {canned(rec, SG, g.name)["id"]: g.name for g in rec.by_type(SG)}
    return {group: ids[group] for service in rec.by_type(SERVICE)
            for group in service.inputs["networkConfiguration"]["securityGroups"]}


def test_no_security_group_admits_the_world_to_a_task(preview: Callable[[str], Recording]) -> None:
    rec = preview(EVERYTHING)
    tasks = task_groups(rec)
    assert set(tasks.values()) == {"api-sg", "worker-sg", CLIENTS}
    opened: list[tuple[str, str]] = []
    for rule in rec.by_type(INGRESS):
        group = rule.inputs["securityGroupId"]
        if group in tasks:
            # Tasks admit source groups only: no CIDR at all, so never 0.0.0.0/0 or ::/0.
            assert "cidrIpv4" not in rule.inputs, rule.name
            assert "cidrIpv6" not in rule.inputs, rule.name
            assert rule.inputs["referencedSecurityGroupId"] not in tasks or \
                tasks[rule.inputs["referencedSecurityGroupId"]] == CLIENTS
            opened.append((tasks[group], rule.name))
    for group in rec.by_type(SG):
        rules = group.inputs.get("ingress") or []
        if canned(rec, SG, group.name)["id"] in tasks:
            assert rules == [], group.name
        for rule in rules:  # load balancers: the world only on their listener ports
            world = [c for c in rule.get("cidrBlocks", []) + rule.get("ipv6CidrBlocks", [])
                     if ipaddress.ip_network(c).prefixlen == 0]
            assert not world or (group.name == "lb-security-group" and rule["fromPort"] in (80, 8080)), group.name
    assert sorted(opened) == [
        ("api-sg", "api-ingress-alb-internalLb-80"),
        ("api-sg", "api-ingress-alb-internalLb-9000"),
        ("api-sg", "api-ingress-alb-lb-80"),
        ("api-sg", "api-ingress-alb-lb-9000"),
        ("api-sg", "api-ingress-http-api-gw-80"),
        ("api-sg", "api-ingress-service-connect-3000"),
    ]


# ---- the seed page's example ------------------------------------------------------------

# As on the seed page, with prebuilt images instead of the buildpack and 4096 MiB (cpu 2 has no 2048).
SEED_SERVICE_CONNECT = """
resources:
  internalService:
    type: multi-container-workload
    properties:
      containers:
        - name: api
          packaging:
            type: prebuilt-image
            properties:
              image: public.ecr.aws/docker/library/node:22-alpine
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
            type: prebuilt-image
            properties:
              image: public.ecr.aws/docker/library/node:22-alpine
      resources:
        cpu: 2
        memory: 4096
"""


def test_seed_service_connect(preview: Callable[[str], Recording]) -> None:
    rec = preview(SEED_SERVICE_CONNECT)
    shared = sorted((r.type, r.name) for r in rec.resources if r.parent == rec.one("stacktape:index:Stack").urn
                    and r.custom)
    # No stack-wide execution role: each workload has its own.
    assert shared == sorted([(NAMESPACE, "stacktape-dev-private-namespace"), (SG, CLIENTS)])

    assert tree(rec, "internalService") == sorted(
        [*workload_children("internalService", ["api"]), (INGRESS, "internalService-ingress-service-connect-3000")])
    assert tree(rec, "publicService") == sorted(workload_children("publicService", ["api"]))
    # The seed page's address: internalservice-api:3000.
    services = rec.one(SERVICE, "internalService-service").inputs["serviceConnectConfiguration"]["services"]
    assert services == [{"portName": "port-3000", "discoveryName": "internalservice-api",
                         "clientAlias": [{"port": 3000, "dnsName": "internalservice-api"}]}]
    public = rec.one(SERVICE, "publicService-service")
    assert rec.one(SERVICE, "internalService-service").urn in public.dependencies


@pytest.mark.parametrize(("alias", "expected"), [
    ("Users.API", "alias 'Users.API' is not a name Service Connect accepts: lower-case letters, digits, '_', '-' "
                  "and '.', not starting with '-' (hint: e.g. 'users.api')"),
    ("-users", "alias '-users' is not a name Service Connect accepts: lower-case letters, digits, '_', '-' and '.', "
               "not starting with '-' (hint: e.g. 'users')"),
    ("users api", "alias 'users api' is not a name Service Connect accepts: lower-case letters, digits, '_', '-' "
                  "and '.', not starting with '-' (hint: e.g. 'users-api')"),
])
def test_an_alias_service_connect_refuses_is_a_located_error(config_errors: Callable[[str], list[str]], alias: str,
                                                            expected: str) -> None:
    assert config_errors(f"""
        resources:
          users:
            type: multi-container-workload
            properties:
              resources: {{cpu: 0.25, memory: 512}}
              containers:
                - name: api
                  packaging: {{type: prebuilt-image, properties: {{image: nginx}}}}
                  events:
                    - type: service-connect
                      properties: {{containerPort: 8080, alias: '{alias}'}}
        """) == [f"stacktape.yml:11:56: resources.users.properties.containers[0].events[0].properties.alias: "
                 f"{expected}"]


def test_a_dotted_lower_case_alias_passes(config_errors: Callable[[str], list[str]]) -> None:
    assert config_errors("""
        resources:
          users:
            type: multi-container-workload
            properties:
              resources: {cpu: 0.25, memory: 512}
              containers:
                - name: api
                  packaging: {type: prebuilt-image, properties: {image: nginx}}
                  events:
                    - type: service-connect
                      properties: {containerPort: 8080, alias: users.internal_v2}
        """) == []
