"""NetworkLoadBalancer, `network-load-balancer` container events and web-service NLB load balancing: exact child
inputs, offline, and every rule located at the key written."""

import json
from collections.abc import Callable
from typing import Any

import pytest

from stacktape_pulumi import MultiContainerWorkload, NetworkLoadBalancer, StackContext
from stacktape_pulumi.components.load_balancing import ListenerPlan
from stacktape_pulumi.components.network_load_balancer import plan_nlb_listeners
from stacktape_pulumi.config.models.network_load_balancer import NetworkLoadBalancerProps
from stacktape_pulumi.engine import Recording, run_offline
from stacktape_pulumi.errors import StacktapeError
from tests.traffic_support import INGRESS, RECORD, SERVICE, SG, TAGS, canned, workload, zone_id

Preview = Callable[[str], Recording]
Errors = Callable[[str], list[str]]
LB = "aws:lb/loadBalancer:LoadBalancer"
LISTENER = "aws:lb/listener:Listener"
TARGET_GROUP = "aws:lb/targetGroup:TargetGroup"
CERTIFICATE = "arn:aws:acm:us-east-1:123456789012:certificate/mqtt"
VPC_EGRESS = [{"protocol": "-1", "fromPort": 0, "toPort": 0, "cidrBlocks": ["172.16.0.0/16"],
               "description": "to targets in the stack VPC"}]
HEALTH_TCP = {"protocol": "TCP", "interval": 5, "timeout": 4, "healthyThreshold": 2}


def nlb_event(listener: int, container: int, lb: str = "broker") -> str:
    return (f"{{type: network-load-balancer, properties: {{loadBalancerName: {lb}, listenerPort: {listener}, "
            f"containerPort: {container}}}}}")


BROKER = f"""
resources:
  broker:
    type: network-load-balancer
    properties:
      listeners:
        - protocol: TCP
          port: 1883
          whitelistIps: ['203.0.113.7', '2001:db8::/64']
        - protocol: TLS
          port: 8883
          customCertificateArns: [{CERTIFICATE}, arn:aws:acm:us-east-1:123456789012:certificate/two]
{workload("mqtt", f"[{nlb_event(1883, 1883)}, {nlb_event(8883, 1883)}]")}"""


# ---- pure decisions ---------------------------------------------------------------------

def test_listener_plans() -> None:
    props = NetworkLoadBalancerProps.model_validate({"listeners": [
        {"protocol": "TCP", "port": 7777, "whitelistIps": ["10.1.2.3"]},
        {"protocol": "TLS", "port": 443, "customCertificateArns": ["arn:a"]}]})
    assert plan_nlb_listeners(props) == [ListenerPlan(7777, "TCP", ("10.1.2.3/32",)),
                                         ListenerPlan(443, "TLS", (), ("arn:a",))]


# ---- the load balancer and its events -----------------------------------------------------

def test_network_load_balancer_and_tcp_targets(preview: Preview) -> None:
    rec = preview(BROKER)
    vpc = canned(rec, "aws:ec2/vpc:Vpc", "stacktape-dev-network-vpc")
    assert rec.one(SG, "broker-security-group").inputs == {
        "description": "Network load balancer broker in stack stacktape-dev",
        "vpcId": vpc["id"],
        "ingress": [
            {"protocol": "tcp", "fromPort": 1883, "toPort": 1883, "cidrBlocks": ["203.0.113.7/32"],
             "description": "listener 1883 from 203.0.113.7/32"},
            {"protocol": "tcp", "fromPort": 1883, "toPort": 1883, "ipv6CidrBlocks": ["2001:db8::/64"],
             "description": "listener 1883 from 2001:db8::/64"},
            {"protocol": "tcp", "fromPort": 8883, "toPort": 8883, "cidrBlocks": ["0.0.0.0/0"],
             "description": "listener 8883 from anywhere"}],
        "egress": VPC_EGRESS,
        "tags": TAGS,
    }
    subnets = [canned(rec, "aws:ec2/subnet:Subnet", f"stacktape-dev-network-public-subnet-{i}")["id"]
               for i in range(3)]
    group = canned(rec, SG, "broker-security-group")
    assert rec.one(LB).inputs == {
        "name": "stacktape-dev-broker-be7d1e",  # the hash of internet-facing + network
        "loadBalancerType": "network",
        "internal": False,
        "ipAddressType": "ipv4",
        "subnets": subnets,
        "securityGroups": [group["id"]],
        "tags": TAGS,
    }
    balancer = canned(rec, LB, "broker-load-balancer")
    assert balancer["arn"].startswith("arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/net/")
    targets = {port: canned(rec, TARGET_GROUP, f"mqtt-broker-{port}-target-group") for port in (1883, 8883)}
    for port in (1883, 8883):
        assert rec.one(TARGET_GROUP, f"mqtt-broker-{port}-target-group").inputs == {
            # Shortened to make room for the hash of port, protocol, target type and VPC.
            "name": {1883: "stacktape-dev-mqtt-c0a31a-52ee72", 8883: "stacktape-dev-mqtt-786dbe-52ee72"}[port],
            "port": 1883,
            "protocol": "TCP",
            "targetType": "ip",
            "vpcId": vpc["id"],
            "deregistrationDelay": 5,
            "healthCheck": HEALTH_TCP,
            "tags": TAGS,
        }
    assert rec.one(LISTENER, "broker-listener-1883").inputs == {
        "loadBalancerArn": balancer["arn"], "port": 1883, "protocol": "TCP",
        "defaultActions": [{"type": "forward", "targetGroupArn": targets[1883]["arn"]}], "tags": TAGS}
    assert rec.one(LISTENER, "broker-listener-8883").inputs == {
        "loadBalancerArn": balancer["arn"], "port": 8883, "protocol": "TLS",
        "sslPolicy": "ELBSecurityPolicy-TLS13-1-2-2021-06", "certificateArn": CERTIFICATE,
        "defaultActions": [{"type": "forward", "targetGroupArn": targets[8883]["arn"]}], "tags": TAGS}
    tls = canned(rec, LISTENER, "broker-listener-8883")
    assert rec.one("aws:lb/listenerCertificate:ListenerCertificate").inputs == {
        "listenerArn": tls["arn"], "certificateArn": "arn:aws:acm:us-east-1:123456789012:certificate/two"}
    # The tasks admit the container port from the load balancer's group only (one rule for both listeners).
    task_group = canned(rec, SG, "mqtt-sg")
    assert [(r.name, r.inputs) for r in rec.by_type(INGRESS)] == [("mqtt-ingress-nlb-broker-1883", {
        "securityGroupId": task_group["id"], "referencedSecurityGroupId": group["id"], "ipProtocol": "tcp",
        "fromPort": 1883, "toPort": 1883, "description": "from network load balancer broker to 1883",
        "tags": TAGS})]
    service = rec.one(SERVICE)
    assert service.inputs["loadBalancers"] == [
        {"containerName": "web", "containerPort": 1883, "targetGroupArn": targets[port]["arn"]}
        for port in (1883, 8883)]
    listeners = {r.urn for r in rec.by_type(LISTENER)}
    assert listeners <= set(service.dependencies)
    assert rec.one("stacktape:index:NetworkLoadBalancer").outputs == {
        "arn": balancer["arn"], "canonicalDomain": balancer["dnsName"], "domain": balancer["dnsName"]}


def test_internal_nlb_with_domain_tls_and_http_health_check(preview: Preview) -> None:
    rec = preview(f"""
resources:
  broker:
    type: network-load-balancer
    properties:
      interface: internal
      customDomains: [mqtt.example.com]
      listeners:
        - {{protocol: TLS, port: 8883}}
{workload("mqtt", f"[{nlb_event(8883, 1883)}]", '''          loadBalancerHealthCheck:
            healthCheckProtocol: HTTP
            healthcheckPath: /health
            healthCheckPort: 8080
''')}""")
    assert rec.one(LB).inputs["internal"] is True
    # Internal: the stack's workloads (here the one behind it) by security group, never the VPC's CIDR.
    assert rec.one(SG, "broker-security-group").inputs["ingress"] == [
        {"protocol": "tcp", "fromPort": 8883, "toPort": 8883,
         "securityGroups": [rec.stack_outputs["mqtt"]["securityGroupId"]],
         "description": "listener 8883 from the stack's workloads and functions"}]
    certificate = canned(rec, "aws:acm/certificate:Certificate", "broker-mqtt-example-com-certificate")
    assert rec.one(LISTENER).inputs["certificateArn"] == certificate["arn"]
    balancer = canned(rec, LB, "broker-load-balancer")
    alias = rec.one(RECORD, "broker-mqtt-example-com-alias").inputs
    assert alias == {"zoneId": zone_id("example.com"), "name": "mqtt.example.com", "type": "A",
                     "aliases": [{"name": balancer["dnsName"], "zoneId": balancer["zoneId"],
                                  "evaluateTargetHealth": False}]}
    assert rec.one(TARGET_GROUP).inputs["healthCheck"] == {
        "protocol": "HTTP", "path": "/health", "interval": 5, "timeout": 4, "healthyThreshold": 2, "port": "8080"}
    assert sorted((r.inputs["fromPort"], r.inputs["description"]) for r in rec.by_type(INGRESS)) == [
        (1883, "from network load balancer broker to 1883"),
        (8080, "health checks from network load balancer broker to 8080")]
    assert all("cidrIpv4" not in r.inputs for r in rec.by_type(INGRESS))
    assert rec.one("stacktape:index:NetworkLoadBalancer").outputs == {
        "arn": balancer["arn"], "canonicalDomain": balancer["dnsName"], "domain": "mqtt.example.com",
        "customDomains": "mqtt.example.com"}


def test_ec2_workloads_get_instance_targets_and_ephemeral_ports(preview: Preview) -> None:
    rec = preview(f"""
resources:
  broker:
    type: network-load-balancer
    properties:
      listeners: [{{protocol: TCP, port: 1883}}]
  mqtt:
    type: multi-container-workload
    properties:
      resources: {{instanceTypes: [c5.large]}}
      containers:
        - name: web
          packaging: {{type: prebuilt-image, properties: {{image: nginx}}}}
          events: [{nlb_event(1883, 1883)}]
""")
    assert rec.one(TARGET_GROUP).inputs["targetType"] == "instance"
    assert [(r.inputs["fromPort"], r.inputs["toPort"]) for r in rec.by_type(INGRESS)
            if r.name.startswith("mqtt-ingress-nlb")] == [(32768, 65535)]


def _python_workload(name: str, listener_port: int, ctx: StackContext) -> None:
    MultiContainerWorkload(name, {
        "resources": {"cpu": 0.25, "memory": 512},
        "containers": [{"name": "web", "packaging": {"type": "prebuilt-image",
                                                     "properties": {"image": "nginx:1.27"}},
                        "events": [{"type": "network-load-balancer", "properties": {
                            "load_balancer_name": "broker", "listener_port": listener_port, "container_port": 80}}]}],
    }, context=ctx)


@pytest.mark.parametrize(("ports", "error"), [
    ((1883, 1883), "NetworkLoadBalancer 'broker': listener 1883 already forwards to a target group (a network load "
                   "balancer listener has one target)"),
    ((1884,), "NetworkLoadBalancer 'broker' has no listener on port 1884; listener ports: 1883"),
])
def test_python_door_refuses_what_validate_would(ports: tuple[int, ...], error: str) -> None:
    """The Python door runs no cross-resource checks: the component refuses a taken or missing listener itself."""
    def program() -> None:
        ctx = StackContext()
        # Plain protocol values, as the README allows (the generated args type them as an enum).
        NetworkLoadBalancer("broker", {"listeners": [{"protocol": "TCP", "port": 1883}]},
                            context=ctx)
        for index, port in enumerate(ports):
            _python_workload(f"app{index}", port, ctx)

    with pytest.raises(StacktapeError) as raised:
        run_offline(program)
    assert str(raised.value) == error


# ---- web-service ----------------------------------------------------------------------------

def test_web_service_with_network_load_balancing(preview: Preview) -> None:
    rec = preview("""
resources:
  game:
    type: web-service
    properties:
      packaging: {type: prebuilt-image, properties: {image: nginx}}
      resources: {cpu: 0.25, memory: 512}
      customDomains: [{domainName: game.example.com}]
      loadBalancing:
        type: network-load-balancer
        properties:
          healthcheckInterval: 10
          ports:
            - {port: 7777, protocol: TCP}
            - {port: 443, containerPort: 7778}
""")
    listeners = {r.name: r.inputs for r in rec.by_type(LISTENER)}
    certificate = canned(rec, "aws:acm/certificate:Certificate", "game-game-example-com-certificate")
    targets = {port: canned(rec, TARGET_GROUP, f"game-game-{port}-target-group")["arn"] for port in (7777, 443)}
    balancer = canned(rec, LB, "game-load-balancer")
    assert listeners == {
        "game-listener-7777": {"loadBalancerArn": balancer["arn"], "port": 7777, "protocol": "TCP", "tags": TAGS,
                               "defaultActions": [{"type": "forward", "targetGroupArn": targets[7777]}]},
        # TLS is the reference's default protocol of a port.
        "game-listener-443": {"loadBalancerArn": balancer["arn"], "port": 443, "protocol": "TLS", "tags": TAGS,
                              "sslPolicy": "ELBSecurityPolicy-TLS13-1-2-2021-06",
                              "certificateArn": certificate["arn"],
                              "defaultActions": [{"type": "forward", "targetGroupArn": targets[443]}]},
    }
    assert sorted((r.inputs["port"], r.inputs["healthCheck"]["interval"]) for r in rec.by_type(TARGET_GROUP)) == [
        (7777, 10), (7778, 10)]
    assert rec.one(SERVICE).inputs["loadBalancers"] == [
        {"containerName": "service-container", "containerPort": 7777, "targetGroupArn": targets[7777]},
        {"containerName": "service-container", "containerPort": 7778, "targetGroupArn": targets[443]}]
    # No PORT: the container listens on the ports it chose (as the reference).
    task = json.loads(rec.one("aws:ecs/taskDefinition:TaskDefinition").inputs["containerDefinitions"])
    assert task[0]["environment"] == [{"name": "HOST", "value": "0.0.0.0"}]
    outputs: dict[str, Any] = next(r for r in rec.resources if r.type == "stacktape:index:WebService").outputs or {}
    assert {key: outputs[key] for key in ("arn", "canonicalDomain", "domain", "customDomains")} == {
        "arn": balancer["arn"], "canonicalDomain": balancer["dnsName"], "domain": "game.example.com",
        "customDomains": "game.example.com"}


# ---- located errors -------------------------------------------------------------------------

def test_listener_and_event_rules(config_errors: Errors) -> None:
    text = f"""
resources:
  broker:
    type: network-load-balancer
    properties:
      listeners:
        - protocol: TLS
          port: 1883
        - protocol: TCP
          port: 9000
          customCertificateArns: [{CERTIFICATE}]
        - protocol: TCP
          port: 9001
          whitelistIps: [nope]
{workload("mqtt", f"[{nlb_event(1884, 1883)}, {nlb_event(1883, 1883)}, {nlb_event(1883, 1883, 'brokr')}]")}
{workload("other", f"[{nlb_event(1883, 1884)}]")}"""
    assert config_errors(text) == [
        "stacktape.yml:6:21: resources.broker.properties.listeners[0].protocol: TLS listener 1883 of "
        "network-load-balancer broker has no certificate (hint: set customDomains (or customCertificateArns "
        "on a network-load-balancer listener), or use protocol TCP (allowed: TCP, TLS))",
        "stacktape.yml:9:17: resources.broker.properties.listeners[1].port: Listener 9000 of network-load-balancer "
        "broker has no target: no network-load-balancer event names it, and a network load balancer listener must "
        "forward to one. (hint: add a network-load-balancer event with loadBalancerName broker and listenerPort 9000 "
        "to a container, or remove the listener)",
        "stacktape.yml:10:11: resources.broker.properties.listeners[1].customCertificateArns: TCP listener 9000 of "
        "network-load-balancer broker does not terminate TLS: its customCertificateArns would be ignored (hint: use "
        "protocol TLS, or remove customCertificateArns)",
        "stacktape.yml:12:17: resources.broker.properties.listeners[2].port: Listener 9001 of network-load-balancer "
        "broker has no target: no network-load-balancer event names it, and a network load balancer listener must "
        "forward to one. (hint: add a network-load-balancer event with loadBalancerName broker and listenerPort 9001 "
        "to a container, or remove the listener)",
        "stacktape.yml:13:26: resources.broker.properties.listeners[2].whitelistIps[0]: 'nope' is not an IP address "
        "or CIDR block (hint: for example 203.0.113.7 or 203.0.113.0/24)",
        "stacktape.yml:21:103: resources.mqtt.properties.containers[0].events[0].properties.listenerPort: Error in "
        "multi-container-workload resource mqtt.",
        "Referenced network-load-balancer broker does NOT have listener on port 1884. (hint: listener ports of "
        "broker: 1883, 9000, 9001)",
        "stacktape.yml:21:305: resources.mqtt.properties.containers[0].events[2].properties.loadBalancerName: "
        "Referenced resource with name brokr of type network-load-balancer could not be resolved in the config "
        "(referenced from mqtt(multi-container-workload)). (hint: did you mean 'broker'?)",
        "stacktape.yml:30:103: resources.other.properties.containers[0].events[0].properties.listenerPort: Listener "
        "1883 of network-load-balancer broker already forwards to mqtt: a network load balancer listener has one "
        "target (it has no rules to choose between several). (hint: add a listener on another port to broker for "
        "this event; the other event is at line 21)",
    ]


@pytest.mark.parametrize(("listeners", "expected"), [
    ("[{protocol: TCP, port: 80}, {protocol: TCP, port: 80}]",
     "stacktape.yml:5:68: resources.broker.properties.listeners[1].port: Error in load-balancer broker. Two or more "
     "listeners are using the same port \"80\". (hint: Each listener must use unique port)"),
    ("[{protocol: UDP, port: 80}]",
     "stacktape.yml:5:30: resources.broker.properties.listeners[0].protocol: invalid value 'UDP'; allowed values: "
     "'TCP' or 'TLS'"),
    ("[]",
     "stacktape.yml:5:18: resources.broker.properties.listeners: List should have at least 1 item after "
     "validation, not 0"),
])
def test_listener_model_rules(config_errors: Errors, listeners: str, expected: str) -> None:
    text = f"""
resources:
  broker:
    type: network-load-balancer
    properties:
      listeners: {listeners}
"""
    assert config_errors(text) == [expected]


def test_web_service_nlb_rules(config_errors: Errors) -> None:
    text = """
resources:
  game:
    type: web-service
    properties:
      packaging: {type: prebuilt-image, properties: {image: nginx}}
      resources: {cpu: 0.25, memory: 512}
      cdn: {enabled: true}
      alarms:
        - trigger: {type: application-load-balancer-error-rate, properties: {thresholdPercent: 5}}
      loadBalancing:
        type: network-load-balancer
        properties:
          ports:
            - {port: 7777}
            - {port: 7777, protocol: TCP}
"""
    assert config_errors(text) == [
        "stacktape.yml:7:7: resources.game.properties.cdn: web-service game: cdn cannot be used with "
        "network-load-balancer load balancing (hint: remove cdn, or use application-load-balancer or "
        "http-api-gateway load balancing)",
        "stacktape.yml:8:7: resources.game.properties.alarms: web-service game: alarms are not supported with "
        "network-load-balancer load balancing (the reference defines application-load-balancer and "
        "http-api-gateway alarms only) (hint: remove alarms, or use application-load-balancer or http-api-gateway "
        "load balancing)",
    ]
    valid_cdn = text.replace("      cdn: {enabled: true}\n", "").replace(
        "      alarms:\n        - trigger: {type: application-load-balancer-error-rate, properties: "
        "{thresholdPercent: 5}}\n", "")
    assert config_errors(valid_cdn) == [
        "stacktape.yml:12:22: resources.game.properties.loadBalancing.properties.ports[1].port: Error in "
        "load-balancer game. Two or more listeners are using the same port \"7777\". (hint: Each listener must use "
        "unique port)"]
    one_port = valid_cdn.replace("            - {port: 7777, protocol: TCP}\n", "")
    # TLS is the default protocol of a port: it needs customDomains.
    assert config_errors(one_port) == [
        "stacktape.yml:11:15: resources.game.properties.loadBalancing.properties.ports[0].protocol: TLS listener "
        "7777 of network-load-balancer game has no certificate (hint: set customDomains (or customCertificateArns "
        "on a network-load-balancer listener), or use protocol TCP (allowed: TCP, TLS))"]


def test_private_service_has_no_network_load_balancing(config_errors: Errors) -> None:
    """The reference's private-service load balancing is service-connect or application-load-balancer only."""
    text = """
resources:
  api:
    type: private-service
    properties:
      packaging: {type: prebuilt-image, properties: {image: nginx}}
      resources: {cpu: 0.25, memory: 512}
      loadBalancing: {type: network-load-balancer}
"""
    assert config_errors(text) == [
        "stacktape.yml:7:29: resources.api.properties.loadBalancing.type: invalid value 'network-load-balancer'; "
        "allowed values: 'service-connect' or 'application-load-balancer' (hint: did you mean "
        "'application-load-balancer'?)"]


def test_an_ecs_service_takes_at_most_five_target_groups(config_errors: Errors) -> None:
    ports = "".join(f"            - {{port: {7000 + i}, protocol: TCP}}\n" for i in range(1, 7))
    text = f"""
resources:
  game:
    type: web-service
    properties:
      packaging: {{type: prebuilt-image, properties: {{image: nginx}}}}
      resources: {{cpu: 0.25, memory: 512}}
      loadBalancing:
        type: network-load-balancer
        properties:
          ports:
{ports}"""
    assert config_errors(text) == [
        "stacktape.yml:16:15: resources.game.properties.loadBalancing.properties.ports[5]: game needs more than 5 "
        "target groups (one per application load balancer and container port, one per network-load-balancer "
        "listener); Amazon ECS allows 5 per service (hint: send several listeners or paths to fewer target groups, "
        "or split the containers into two workloads)"]
    assert config_errors(text.replace("            - {port: 7006, protocol: TCP}\n", "")) == []


@pytest.mark.parametrize(("listeners", "expected"), [(4, []), (5, [
    "stacktape.yml:15:684: resources.app.properties.containers[0].events[6]: app needs more than 5 target groups "
    "(one per application load balancer and container port, one per network-load-balancer listener); Amazon ECS "
    "allows 5 per service (hint: send several listeners or paths to fewer target groups, or split the containers "
    "into two workloads)"])])
def test_alb_events_on_one_container_port_share_a_target_group(config_errors: Errors, listeners: int,
                                                               expected: list[str]) -> None:
    ports = range(1, listeners + 1)
    alb = "{{type: application-load-balancer, properties: {{loadBalancerName: lb, containerPort: 80, priority: {}, " \
          "paths: ['/{}']}}}}"
    events = [alb.format(1, "a"), alb.format(2, "b"), *(nlb_event(port, 80) for port in ports)]
    text = f"""
resources:
  lb:
    type: application-load-balancer
  broker:
    type: network-load-balancer
    properties:
      listeners: [{", ".join(f"{{protocol: TCP, port: {port}}}" for port in ports)}]
{workload("app", f"[{', '.join(events)}]")}"""
    assert config_errors(text) == expected

