"""ApplicationLoadBalancer and `application-load-balancer` container events: exact child inputs, offline."""

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from stacktape_pulumi.checks.load_balancer import cidr
from stacktape_pulumi.components.application_load_balancer import (
    ApplicationLoadBalancer,
    plan_listeners,
    url,
)
from stacktape_pulumi.components.load_balancing import ListenerPlan
from stacktape_pulumi.config.models.application_load_balancer import ApplicationLoadBalancerProps, LbRedirectProps
from stacktape_pulumi.engine import Recording, run_offline
from stacktape_pulumi.errors import StacktapeError
from tests.traffic_support import (
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

LB = "aws:lb/loadBalancer:LoadBalancer"
LISTENER = "aws:lb/listener:Listener"
RULE = "aws:lb/listenerRule:ListenerRule"
TARGET_GROUP = "aws:lb/targetGroup:TargetGroup"
NOT_FOUND = {"type": "fixed-response",
             "fixedResponse": {"contentType": "text/plain", "messageBody": "Not found", "statusCode": "404"}}
VPC_EGRESS = [{"protocol": "-1", "fromPort": 0, "toPort": 0, "cidrBlocks": ["172.16.0.0/16"],
               "description": "to targets in the stack VPC"}]


def alb(priority: int, port: int = 80, lb: str = "lb", extra: str = "paths: ['*']") -> str:
    return (f"{{type: application-load-balancer, properties: {{loadBalancerName: {lb}, priority: {priority}, "
            f"containerPort: {port}, {extra}}}}}")


# ---- pure decisions ---------------------------------------------------------------------

@pytest.mark.parametrize(("props", "plans"), [
    ({}, [ListenerPlan(80, "HTTP")]),
    ({"customDomains": ["app.example.com"]},
     [ListenerPlan(443, "HTTPS"),
      ListenerPlan(80, "HTTP", redirect=LbRedirectProps(statusCode="HTTP_301", protocol="HTTPS", port=443))]),
    ({"listeners": [{"protocol": "HTTPS", "port": 8443, "customCertificateArns": ["arn:a"],
                     "whitelistIps": ["10.1.2.3", "192.168.0.0/16"]}]},
     [ListenerPlan(8443, "HTTPS", ("10.1.2.3/32", "192.168.0.0/16"), ("arn:a",))]),
])
def test_listener_plans(props: dict[str, Any], plans: list[ListenerPlan]) -> None:
    assert plan_listeners(ApplicationLoadBalancerProps.model_validate(props)) == plans


@pytest.mark.parametrize(("given", "expected"), [
    ("203.0.113.7", "203.0.113.7/32"), ("203.0.113.0/24", "203.0.113.0/24"), ("2001:db8::1", "2001:db8::1/128"),
])
def test_whitelist_entries_become_cidrs(given: str, expected: str) -> None:
    assert cidr(given) == expected


@pytest.mark.parametrize(("protocol", "port", "expected"), [
    ("HTTP", 80, "http://h"), ("HTTPS", 443, "https://h"), ("HTTPS", 8443, "https://h:8443"),
    ("HTTP", 443, "http://h:443"),
])
def test_urls(protocol: str, port: int, expected: str) -> None:
    assert url(protocol, "h", port) == expected


# ---- the load balancer ------------------------------------------------------------------

def test_default_listener_without_domains_is_http_80(preview: Callable[[str], Recording]) -> None:
    rec = preview("resources:\n  lb:\n    type: application-load-balancer\n")
    vpc = canned(rec, "aws:ec2/vpc:Vpc", "stacktape-dev-network-vpc")
    assert rec.one(SG, "lb-security-group").inputs == {
        "description": "Load balancer lb in stack stacktape-dev",
        "vpcId": vpc["id"],
        "ingress": [{"protocol": "tcp", "fromPort": 80, "toPort": 80, "cidrBlocks": ["0.0.0.0/0"],
                     "description": "listener 80 from anywhere"}],
        "egress": VPC_EGRESS,
        "tags": TAGS,
    }
    subnets = [canned(rec, "aws:ec2/subnet:Subnet", f"stacktape-dev-network-public-subnet-{i}")["id"]
               for i in range(3)]
    group = canned(rec, SG, "lb-security-group")
    assert rec.one(LB).inputs == {
        "name": "stacktape-dev-lb-661aab",  # the hash of internet-facing + application
        "loadBalancerType": "application",
        "internal": False,
        "ipAddressType": "ipv4",
        "subnets": subnets,
        "securityGroups": [group["id"]],
        "tags": TAGS,
    }
    balancer = canned(rec, LB, "lb-load-balancer")
    assert [r.name for r in rec.by_type(LISTENER)] == ["lb-listener-80"]
    assert rec.one(LISTENER).inputs == {
        "loadBalancerArn": balancer["arn"], "port": 80, "protocol": "HTTP", "defaultActions": [NOT_FOUND],
        "tags": TAGS}
    listener = canned(rec, LISTENER, "lb-listener-80")
    assert rec.one("stacktape:index:ApplicationLoadBalancer").outputs == {
        "arn": balancer["arn"],
        "canonicalDomain": balancer["dnsName"],
        "domain": balancer["dnsName"],
        "url": f"http://{balancer['dnsName']}",
        "port80": listener["arn"],
    }
    assert rec.by_type("aws:acm/certificate:Certificate") == []
    assert rec.by_type(RECORD) == []


def test_default_listeners_with_domains_are_https_and_a_redirect(preview: Callable[[str], Recording]) -> None:
    rec = preview("""
        resources:
          lb:
            type: application-load-balancer
            properties:
              customDomains:
                - app.example.com
                - domainName: www.example.com
                  customCertificateArn: arn:aws:acm:us-east-1:123456789012:certificate/www
        """)
    assert [rule["fromPort"] for rule in rec.one(SG).inputs["ingress"]] == [443, 80]
    balancer = canned(rec, LB, "lb-load-balancer")
    certificate = canned(rec, "aws:acm/certificate:Certificate", "lb-app-example-com-certificate")
    assert rec.one(LISTENER, "lb-listener-443").inputs == {
        "loadBalancerArn": balancer["arn"],
        "port": 443,
        "protocol": "HTTPS",
        "sslPolicy": "ELBSecurityPolicy-TLS13-1-2-2021-06",
        "certificateArn": certificate["arn"],
        "defaultActions": [NOT_FOUND],
        "tags": TAGS,
    }
    https = canned(rec, LISTENER, "lb-listener-443")
    assert rec.one("aws:lb/listenerCertificate:ListenerCertificate").inputs == {
        "listenerArn": https["arn"], "certificateArn": "arn:aws:acm:us-east-1:123456789012:certificate/www"}
    assert rec.one(LISTENER, "lb-listener-80").inputs == {
        "loadBalancerArn": balancer["arn"],
        "port": 80,
        "protocol": "HTTP",
        "defaultActions": [{"type": "redirect",
                            "redirect": {"statusCode": "HTTP_301", "protocol": "HTTPS", "port": "443"}}],
        "tags": TAGS,
    }
    aliases = {r.name: r.inputs for r in rec.by_type(RECORD) if r.name.endswith("-alias")}
    assert aliases == {
        f"lb-{key}-example-com-alias": {
            "zoneId": zone_id("example.com"), "name": f"{key}.example.com", "type": "A",
            "aliases": [{"name": balancer["dnsName"], "zoneId": balancer["zoneId"], "evaluateTargetHealth": False}]}
        for key in ("app", "www")
    }
    outputs = rec.one("stacktape:index:ApplicationLoadBalancer").outputs or {}
    assert outputs == {
        "arn": balancer["arn"],
        "canonicalDomain": balancer["dnsName"],
        "domain": "app.example.com",
        "url": "https://app.example.com",
        "customDomains": "app.example.com,www.example.com",
        "port443": https["arn"],
        "port80": canned(rec, LISTENER, "lb-listener-80")["arn"],
    }


CUSTOM_LISTENERS = """
resources:
  lb:
    type: application-load-balancer
    properties:
      listeners:
        - protocol: HTTPS
          port: 8443
          customCertificateArns:
            - arn:aws:acm:us-east-1:123456789012:certificate/one
            - arn:aws:acm:us-east-1:123456789012:certificate/two
          whitelistIps: ['203.0.113.7', '198.51.100.0/24', '2001:db8::/64']
        - protocol: HTTP
          port: 8080
          defaultAction:
            type: redirect
            properties:
              statusCode: HTTP_302
              protocol: HTTPS
              port: 8443
              host: 'secure.#{host}'
              path: '/new/#{path}'
              query: '#{query}&from=8080'
"""


def test_custom_listeners_with_redirect_and_whitelists(preview: Callable[[str], Recording]) -> None:
    rec = preview(CUSTOM_LISTENERS)
    assert rec.one(SG).inputs["ingress"] == [
        {"protocol": "tcp", "fromPort": 8443, "toPort": 8443, "cidrBlocks": ["203.0.113.7/32"],
         "description": "listener 8443 from 203.0.113.7/32"},
        {"protocol": "tcp", "fromPort": 8443, "toPort": 8443, "cidrBlocks": ["198.51.100.0/24"],
         "description": "listener 8443 from 198.51.100.0/24"},
        {"protocol": "tcp", "fromPort": 8443, "toPort": 8443, "ipv6CidrBlocks": ["2001:db8::/64"],
         "description": "listener 8443 from 2001:db8::/64"},
        {"protocol": "tcp", "fromPort": 8080, "toPort": 8080, "cidrBlocks": ["0.0.0.0/0"],
         "description": "listener 8080 from anywhere"},
    ]
    balancer = canned(rec, LB, "lb-load-balancer")
    assert rec.one(LISTENER, "lb-listener-8443").inputs == {
        "loadBalancerArn": balancer["arn"], "port": 8443, "protocol": "HTTPS",
        "sslPolicy": "ELBSecurityPolicy-TLS13-1-2-2021-06",
        "certificateArn": "arn:aws:acm:us-east-1:123456789012:certificate/one",
        "defaultActions": [NOT_FOUND], "tags": TAGS}
    assert rec.one("aws:lb/listenerCertificate:ListenerCertificate", "lb-listener-8443-certificate-1").inputs == {
        "listenerArn": canned(rec, LISTENER, "lb-listener-8443")["arn"],
        "certificateArn": "arn:aws:acm:us-east-1:123456789012:certificate/two"}
    assert rec.one(LISTENER, "lb-listener-8080").inputs == {
        "loadBalancerArn": balancer["arn"], "port": 8080, "protocol": "HTTP",
        "defaultActions": [{"type": "redirect", "redirect": {
            "statusCode": "HTTP_302", "protocol": "HTTPS", "port": "8443", "host": "secure.#{host}",
            "path": "/new/#{path}", "query": "#{query}&from=8080"}}],
        "tags": TAGS}
    outputs = rec.one("stacktape:index:ApplicationLoadBalancer").outputs or {}
    assert outputs["url"] == f"https://{balancer['dnsName']}:8443"
    assert sorted(outputs) == ["arn", "canonicalDomain", "domain", "port8080", "port8443", "url"]


def test_an_internal_load_balancer_admits_only_the_stacks_workloads_and_vpc_functions(
        preview: Callable[[str], Recording], tmp_path: Path) -> None:
    alone = preview("resources:\n  lb:\n    type: application-load-balancer\n    properties: {interface: internal}\n")
    # No client in the stack: nobody, and never the VPC's CIDR.
    assert alone.one(SG, "lb-security-group").inputs["ingress"] == []
    assert alone.one(LB).inputs["internal"] is True
    (tmp_path / "h.py").write_text("def handler(event, context):\n    return None\n")
    function = ("    type: function\n    properties:\n      runtime: python3.12\n"
                "      packaging: {type: custom-artifact, properties: {packagePath: h.py, handler: h.py:handler}}\n")
    rec = preview("resources:\n  lb:\n    type: application-load-balancer\n    properties: {interface: internal}\n"
                  "  inVpc:\n" + function + "      joinDefaultVpc: true\n  outside:\n" + function
                  + "  worker:\n    type: worker-service\n    properties:\n"
                  "      packaging: {type: prebuilt-image, properties: {image: nginx}}\n"
                  "      resources: {cpu: 0.25, memory: 512}\n")
    in_vpc = rec.one("aws:lambda/function:Function", "inVpc-function").inputs["vpcConfig"]["securityGroupIds"][0]
    worker = rec.stack_outputs["worker"]["securityGroupId"]
    ingress = rec.one(SG, "lb-security-group").inputs["ingress"]
    assert ingress == [{"protocol": "tcp", "fromPort": 80, "toPort": 80, "securityGroups": [in_vpc, worker],
                        "description": "listener 80 from the stack's workloads and functions"}]


# ---- events -----------------------------------------------------------------------------

EVERY_CONDITION = """
resources:
  lb:
    type: application-load-balancer
    properties:
      listeners:
        - {protocol: HTTP, port: 80}
        - {protocol: HTTP, port: 8080}
  api:
    type: multi-container-workload
    properties:
      resources: {cpu: 0.25, memory: 512}
      containers:
        - name: web
          packaging: {type: prebuilt-image, properties: {image: nginx}}
          events:
            - type: application-load-balancer
              properties:
                loadBalancerName: lb
                listenerPort: 8080
                containerPort: 3000
                priority: 7
                paths: ['/api/*', '/v2/*']
                methods: [GET, POST]
                hosts: ['api.example.com', '*.example.org']
                headers:
                  - {headerName: X-Tenant, values: [acme, globex]}
                  - {headerName: X-Beta, values: ['1']}
                queryParams:
                  - {paramName: version, values: ['2', '3']}
                  - {paramName: debug, values: ['true']}
                sourceIps: ['203.0.113.0/24']
            - type: application-load-balancer
              properties: {loadBalancerName: lb, listenerPort: 80, containerPort: 3000, priority: 7, paths: ['*']}
"""


def test_event_with_every_condition_type(preview: Callable[[str], Recording]) -> None:
    rec = preview(EVERY_CONDITION)
    group = canned(rec, TARGET_GROUP, "api-lb-3000-target-group")
    assert rec.one(RULE, "api-lb-8080-7-rule").inputs == {
        "listenerArn": canned(rec, LISTENER, "lb-listener-8080")["arn"],
        "priority": 7,
        "actions": [{"type": "forward", "targetGroupArn": group["arn"]}],
        "conditions": [
            {"pathPattern": {"values": ["/api/*", "/v2/*"]}},
            {"httpHeader": {"httpHeaderName": "X-Tenant", "values": ["acme", "globex"]}},
            {"httpHeader": {"httpHeaderName": "X-Beta", "values": ["1"]}},
            {"httpRequestMethod": {"values": ["GET", "POST"]}},
            {"hostHeader": {"values": ["api.example.com", "*.example.org"]}},
            {"sourceIp": {"values": ["203.0.113.0/24"]}},
            {"queryStrings": [{"key": "version", "value": "2"}, {"key": "version", "value": "3"}]},
            {"queryStrings": [{"key": "debug", "value": "true"}]},
        ],
        "tags": TAGS,
    }
    # Both rules share the one target group of (load balancer, container port).
    assert rec.one(RULE, "api-lb-80-7-rule").inputs["listenerArn"] == canned(rec, LISTENER, "lb-listener-80")["arn"]
    assert [r.name for r in rec.by_type(TARGET_GROUP)] == ["api-lb-3000-target-group"]
    assert rec.one(TARGET_GROUP).inputs == {
        # Ends in the hash of port, protocol, target type and VPC: a new one is a new name.
        "name": "stacktape-dev-api-lb-3000-5fa124",
        "port": 3000,
        "protocol": "HTTP",
        "targetType": "ip",
        "vpcId": canned(rec, "aws:ec2/vpc:Vpc", "stacktape-dev-network-vpc")["id"],
        "deregistrationDelay": 5,
        "healthCheck": {"path": "/", "interval": 5, "timeout": 4, "healthyThreshold": 2, "protocol": "HTTP"},
        "tags": TAGS,
    }
    service = rec.one(SERVICE, "api-service")
    assert service.inputs["loadBalancers"] == [{"containerName": "web", "containerPort": 3000,
                                                "targetGroupArn": group["arn"]}]
    rules = {r.urn for r in rec.by_type(RULE)}
    assert rules <= set(service.dependencies)
    assert rec.one(INGRESS).inputs == {
        "securityGroupId": canned(rec, SG, "api-sg")["id"],
        "referencedSecurityGroupId": canned(rec, SG, "lb-security-group")["id"],
        "ipProtocol": "tcp", "fromPort": 3000, "toPort": 3000,
        "description": "from load balancer lb to 3000",
        "tags": TAGS,
    }


HEALTH_CHECK = """          loadBalancerHealthCheck:
            healthcheckPath: /healthz
            healthcheckInterval: 30
            healthcheckTimeout: 10
            healthCheckPort: 9090
"""


def test_two_workloads_share_one_load_balancer_with_health_check_overrides(
        preview: Callable[[str], Recording]) -> None:
    api_event = alb(10, 8080, extra="paths: ['/api/*']")
    rec = preview("resources:\n  lb:\n    type: application-load-balancer\n"
                  + workload("web", f"[{alb(100)}]") + workload("api", f"[{api_event}]", HEALTH_CHECK))
    assert len(rec.by_type(LB)) == 1
    listener = canned(rec, LISTENER, "lb-listener-80")["arn"]
    assert {r.name: (r.inputs["listenerArn"], r.inputs["priority"]) for r in rec.by_type(RULE)} == {
        "web-lb-80-100-rule": (listener, 100), "api-lb-80-10-rule": (listener, 10)}
    assert rec.one(TARGET_GROUP, "api-lb-8080-target-group").inputs["healthCheck"] == {
        "path": "/healthz", "interval": 30, "timeout": 10, "healthyThreshold": 2, "protocol": "HTTP", "port": "9090"}
    assert rec.one(TARGET_GROUP, "web-lb-80-target-group").inputs["healthCheck"] == {
        "path": "/", "interval": 5, "timeout": 4, "healthyThreshold": 2, "protocol": "HTTP"}
    lb_group = canned(rec, SG, "lb-security-group")["id"]
    ingress = {r.name: (r.inputs["securityGroupId"], r.inputs["referencedSecurityGroupId"], r.inputs["fromPort"],
                        r.inputs["description"]) for r in rec.by_type(INGRESS)}
    web, api = canned(rec, SG, "web-sg")["id"], canned(rec, SG, "api-sg")["id"]
    assert ingress == {
        "web-ingress-alb-lb-80": (web, lb_group, 80, "from load balancer lb to 80"),
        "api-ingress-alb-lb-8080": (api, lb_group, 8080, "from load balancer lb to 8080"),
        "api-ingress-alb-lb-9090": (api, lb_group, 9090, "health checks from load balancer lb to 9090"),
    }


def test_events_on_default_https_listener(preview: Callable[[str], Recording]) -> None:
    rec = preview("resources:\n  lb:\n    type: application-load-balancer\n"
                  "    properties: {customDomains: [app.example.com]}\n" + workload("web", f"[{alb(1)}]"))
    assert rec.one(RULE).inputs["listenerArn"] == canned(rec, LISTENER, "lb-listener-443")["arn"]


def test_python_door_checks_listeners() -> None:
    with pytest.raises(StacktapeError, match=r"ApplicationLoadBalancer 'lb': listeners\[0\].protocol: HTTPS listener "
                                             r"443 of load balancer lb has no certificate"):
        run_offline(lambda: ApplicationLoadBalancer("lb", {"listeners": [{"protocol": "HTTPS", "port": 443}]}))  # type: ignore[arg-type]


# ---- located errors ---------------------------------------------------------------------

def test_located_errors(config_errors: Callable[[str], list[str]]) -> None:
    text = """
        resources:
          lb:
            type: application-load-balancer
            properties:
              alarms:
                - trigger: {type: application-load-balancer-error-rate, properties: {thresholdPercent: 5}}
              listeners:
                - protocol: HTTPS
                  port: 443
                  whitelistIps: ['10.0.0.300']
                  defaultAction:
                    type: redirect
                    properties: {statusCode: HTTP_301, protocol: HTTP}
          app:
            type: multi-container-workload
            properties:
              resources: {cpu: 0.25, memory: 512}
              containers:
                - name: web
                  packaging: {type: prebuilt-image, properties: {image: nginx}}
                  loadBalancerHealthCheck: {healthCheckProtocol: TCP}
                  events:
                    - type: application-load-balancer
                      properties:
                        {loadBalancerName: lb, listenerPort: 443, priority: 1, paths: ['*'], containerPort: 80}
        """
    assert config_errors(text) == [
        "stacktape.yml:5:7: resources.lb.properties.alarms: alarms are not supported yet (hint: create CloudWatch "
        "alarms with pulumi_aws.cloudwatch.MetricAlarm)",
        "stacktape.yml:8:21: resources.lb.properties.listeners[0].protocol: HTTPS listener 443 of load balancer lb "
        "has no certificate (hint: set customCertificateArns on the listener, or customDomains on the load balancer)",
        "stacktape.yml:10:26: resources.lb.properties.listeners[0].whitelistIps[0]: '10.0.0.300' is not an IP "
        "address or CIDR block (hint: for example 203.0.113.7 or 203.0.113.0/24)",
        "stacktape.yml:13:58: resources.lb.properties.listeners[0].defaultAction.properties.protocol: listener 443 "
        "cannot redirect HTTPS to HTTP (hint: use protocol HTTPS)",
        "stacktape.yml:21:58: resources.app.properties.containers[0].loadBalancerHealthCheck.healthCheckProtocol: "
        "loadBalancerHealthCheck.healthCheckProtocol TCP is for network load balancers; application load balancer "
        "target groups check over HTTP (hint: remove healthCheckProtocol or set HTTP)",
    ]


def test_domain_without_dns_needs_its_own_certificate_only_for_https(
        config_errors: Callable[[str], list[str]]) -> None:
    domains = "customDomains: [{domainName: app.example.com, disableDnsRecordCreation: true}]"
    assert config_errors(f"resources:\n  lb:\n    type: application-load-balancer\n    properties: {{{domains}}}\n") \
        == ["stacktape.yml:4:90: resources.lb.properties.customDomains[0].disableDnsRecordCreation: custom domain "
            "app.example.com sets disableDnsRecordCreation but no customCertificateArn: without DNS records in "
            "Route 53 the ACM certificate cannot be validated (hint: set customCertificateArn to a certificate you "
            "validated yourself, or remove disableDnsRecordCreation)"]
    http_only = f"{{{domains}, listeners: [{{protocol: HTTP, port: 80}}]}}"
    assert config_errors(f"resources:\n  lb:\n    type: application-load-balancer\n    properties: {http_only}\n") == []


# ---- the seed page's example ------------------------------------------------------------

# As on the seed page, with a prebuilt image instead of the buildpack and 4096 MiB (cpu 2 has no 2048).
SEED_LOAD_BALANCER = """
resources:
  myLoadBalancer:
    type: application-load-balancer
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
            - type: application-load-balancer
              properties:
                loadBalancerName: myLoadBalancer
                containerPort: 80
                priority: 1
                paths: ['*']
      resources:
        cpu: 2
        memory: 4096
"""


def test_seed_load_balancer_event(preview: Callable[[str], Recording]) -> None:
    rec = preview(SEED_LOAD_BALANCER)
    assert tree(rec, "myLoadBalancer") == sorted([
        (SG, "myLoadBalancer-security-group"), (LB, "myLoadBalancer-load-balancer"),
        (LISTENER, "myLoadBalancer-listener-80")])
    assert tree(rec, "myApp") == sorted([
        *workload_children("myApp", ["api-container"]),
        (RULE, "myApp-myLoadBalancer-80-1-rule"),
        (TARGET_GROUP, "myApp-myLoadBalancer-80-target-group"),
        (INGRESS, "myApp-ingress-alb-myLoadBalancer-80"),
    ])
    # Shortened to 25 characters to leave room for the hash of the inputs that replace a target group.
    assert rec.one(TARGET_GROUP).inputs["name"] == "stacktape-dev-myAp-dcf919-c447d2"


# ---- test listeners opened on request -----------------------------------------------------

def test_test_listener_opens_once_on_request_with_its_ingress_and_output() -> None:
    def program() -> None:
        lb = ApplicationLoadBalancer("lb", {})
        assert lb.test_listener(8080) is lb.test_listener(8080)
        assert lb.test_listener(80) is lb.listener(80)  # an existing listener serves as it is

    rec = run_offline(program)
    assert canned(rec, LISTENER, "lb-listener-8080") is not None
    assert rec.one(LISTENER, "lb-listener-8080").inputs["port"] == 8080
    ingress = rec.one(SG, "lb-security-group").inputs["ingress"]
    assert [(rule["fromPort"], rule["description"]) for rule in ingress] == [
        (80, "listener 80 from anywhere"), (8080, "listener 8080 from anywhere")]
    assert set(rec.named("lb").outputs or {}) >= {"port80", "port8080"}


def test_custom_listeners_open_no_test_listener() -> None:
    def program() -> None:
        # A plain protocol value, as the README allows (the generated args type it as an enum).
        listeners = [{"protocol": "HTTP", "port": 80}]
        ApplicationLoadBalancer("lb", {"listeners": listeners}).test_listener(8080)  # type: ignore[typeddict-item]

    with pytest.raises(StacktapeError, match="ApplicationLoadBalancer 'lb' has no listener on port 8080; "
                                             "listener ports: 80"):
        run_offline(program)


def test_a_complete_load_balancer_opens_no_test_listener() -> None:
    """After the program body (a later provider call) the ingress and outputs are final: the ask is refused."""
    refused: list[str] = []

    def ask_late(lb: ApplicationLoadBalancer) -> None:
        try:
            lb.test_listener(8080)
        except StacktapeError as exc:
            refused.append(str(exc))

    def program() -> None:
        lb = ApplicationLoadBalancer("lb", {})
        lb.load_balancer.arn.apply(lambda _: ask_late(lb))

    run_offline(program)
    assert refused == ["ApplicationLoadBalancer 'lb' was complete before a test listener on port 8080 was asked for"]


LB_HEALTH_CHECK_CONFIG = """
    resources:
      lb:
        type: application-load-balancer
      app:
        type: multi-container-workload
        properties:
          resources: {cpu: 0.25, memory: 512}
          containers:
            - name: web
              packaging: {type: prebuilt-image, properties: {image: nginx}}
              loadBalancerHealthCheck: {HEALTH_CHECK}
              events:
                - type: application-load-balancer
                  properties: {loadBalancerName: lb, priority: 1, paths: ['*'], containerPort: 80}
            - name: worker
              packaging: {type: prebuilt-image, properties: {image: nginx}}
              loadBalancerHealthCheck: {healthcheckPath: /health}
    """


@pytest.mark.parametrize(("health_check", "expected"), [
    ("{healthcheckPath: health}",
     "stacktape.yml:11:54: resources.app.properties.containers[0].loadBalancerHealthCheck.healthcheckPath: "
     "healthcheckPath 'health' must start with \"/\" and be at most 1024 characters (Elastic Load Balancing "
     "refuses it) (hint: e.g. \"/health\")"),
    ("{healthcheckTimeout: 10, healthcheckInterval: 10}",
     "stacktape.yml:11:57: resources.app.properties.containers[0].loadBalancerHealthCheck.healthcheckTimeout: "
     "healthcheckTimeout (10 s) must be less than healthcheckInterval (10 s): Elastic Load Balancing refuses a "
     "health check that does not time out before the next one starts (hint: set healthcheckTimeout to at most 9 "
     "or raise healthcheckInterval (defaults: interval 5, timeout 4))"),
    ("{healthcheckTimeout: 6}",
     "stacktape.yml:11:57: resources.app.properties.containers[0].loadBalancerHealthCheck.healthcheckTimeout: "
     "healthcheckTimeout (6 s) must be less than healthcheckInterval (5 s): Elastic Load Balancing refuses a "
     "health check that does not time out before the next one starts (hint: set healthcheckTimeout to at most 4 "
     "or raise healthcheckInterval (defaults: interval 5, timeout 4))"),
], ids=["path-without-slash", "timeout-equal-interval", "timeout-over-default-interval"])
def test_load_balancer_health_checks_elb_would_refuse(config_errors: Callable[[str], list[str]], health_check: str,
                                                      expected: str) -> None:
    assert config_errors(LB_HEALTH_CHECK_CONFIG.replace("{HEALTH_CHECK}", health_check)) == [
        expected,
        "stacktape.yml:17:11: resources.app.properties.containers[1].loadBalancerHealthCheck: "
        "loadBalancerHealthCheck of container \"worker\" has no effect: the container has no load balancer event "
        "(hint: add an application-load-balancer or network-load-balancer event to the container, or remove "
        "loadBalancerHealthCheck)",
    ]


def test_a_valid_load_balancer_health_check_passes(config_errors: Callable[[str], list[str]]) -> None:
    text = LB_HEALTH_CHECK_CONFIG.replace("{HEALTH_CHECK}", "{healthcheckPath: /up, healthcheckTimeout: 9, "
                                                            "healthcheckInterval: 10}")
    assert config_errors(text.replace("              loadBalancerHealthCheck: {healthcheckPath: /health}\n", "")) == []
