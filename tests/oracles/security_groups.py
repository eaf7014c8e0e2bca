"""Security-group ingress: tasks never admit the world; load balancers admit it only on listener ports.

Rules come from three places: a group's inline `ingress`, `aws:vpc/securityGroupIngressRule`
resources and `aws:ec2/securityGroupRule` resources of type `ingress`. A rule is linked to its
group by the recorded property dependency on `securityGroupId` (or, for a literal ID, by the ID
the canned world gives that group).

* Task groups (`<workload>-sg`, or any group in an ECS service's `networkConfiguration`): no
  ingress from 0.0.0.0/0 or ::/0; no CIDR ingress at all (DESIGN: tasks admit traffic only from
  the load balancer / VPC link / workloads security group); and a source-group rule may open
  only ports some container of the service's task definition maps.
* Load-balancer groups (in an `aws:lb/loadBalancer` `securityGroups`): the world only over TCP on
  ports that one of that load balancer's listeners listens on.
* Database groups (in an `aws:rds/instance` or `aws:rds/cluster` `vpcSecurityGroupIds`): the world only
  over TCP on the database's port, and only when the database is publicly accessible (accessibilityMode
  `internet`, the reference's default; docs/decisions.md).
* Any other group: no ingress from the world.
"""

import ipaddress
import json
from dataclasses import dataclass
from typing import Any

from oracles import OPAQUE, Finding, custom, finding
from stacktape_pulumi.engine import RecordedResource, Recording
from stacktape_pulumi.engine.canned import CannedWorld

ORACLE = "security-groups"
SG = "aws:ec2/securityGroup:SecurityGroup"
INGRESS_RULE = "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule"
SG_RULE = "aws:ec2/securityGroupRule:SecurityGroupRule"
SERVICE = "aws:ecs/service:Service"
TASK_DEFINITION = "aws:ecs/taskDefinition:TaskDefinition"
LOAD_BALANCER = "aws:lb/loadBalancer:LoadBalancer"
LISTENER = "aws:lb/listener:Listener"
DB_INSTANCE = "aws:rds/instance:Instance"
DB_CLUSTER = "aws:rds/cluster:Cluster"
DB_CLUSTER_INSTANCE = "aws:rds/clusterInstance:ClusterInstance"
ALL_PORTS = (0, 65535)


@dataclass(frozen=True)
class Rule:
    """One ingress permission: protocol, port range and either CIDRs or a source group."""

    origin: RecordedResource  # the group (inline rule) or the rule resource
    where: str
    protocol: str
    ports: tuple[int, int]
    cidrs: tuple[str, ...]
    source_group: bool


def is_world(cidr: str) -> bool:
    try:
        return ipaddress.ip_network(cidr, strict=False).prefixlen == 0
    except ValueError:
        return False


def _protocol(value: Any) -> str:
    text = str(value).lower()
    return {"6": "tcp", "17": "udp", "all": "-1"}.get(text, text)


def _ports(protocol: str, low: Any, high: Any) -> tuple[int, int]:
    if protocol == "-1" or low is None:
        return ALL_PORTS
    try:
        return int(low), int(high if high is not None else low)
    except (TypeError, ValueError):
        return ALL_PORTS


class Graph:
    """Recorded resources with the links security-group rules need."""

    def __init__(self, recording: Recording) -> None:
        self.resources = custom(recording)
        self.urns = {r.urn: r for r in self.resources}
        world = CannedWorld()
        self.ids: dict[str, RecordedResource] = {}
        for r in self.resources:
            if r.type in (SG, LOAD_BALANCER, TASK_DEFINITION, DB_CLUSTER):
                resource_id, state = world.new_resource(r.type, r.name, dict(r.inputs), r.urn)
                self.ids[resource_id] = r
                if isinstance(state.get("arn"), str):
                    self.ids[state["arn"]] = r

    def linked(self, resource: RecordedResource, key: str, type_: str) -> list[RecordedResource]:
        """Resources of `type_` an input refers to: through property dependencies, else by literal ID/ARN."""
        found = [self.urns[u] for u in resource.property_dependencies.get(key, []) if u in self.urns
                 and self.urns[u].type == type_]
        if found:
            return found
        text = json.dumps(resource.inputs.get(key))
        return [r for ident, r in self.ids.items() if r.type == type_ and f'"{ident}"' in text]


def rules_by_group(graph: Graph) -> tuple[dict[str, list[Rule]], list[Finding]]:
    rules: dict[str, list[Rule]] = {}
    orphans: list[Finding] = []
    for r in graph.resources:
        if r.type == SG:
            for i, item in enumerate(r.inputs.get("ingress") or []):
                protocol = _protocol(item.get("protocol"))
                cidrs = tuple(item.get("cidrBlocks") or []) + tuple(item.get("ipv6CidrBlocks") or [])
                rules.setdefault(r.urn, []).append(Rule(
                    r, f"ingress[{i}]", protocol, _ports(protocol, item.get("fromPort"), item.get("toPort")),
                    cidrs, bool(item.get("securityGroups") or item.get("self"))))
            continue
        if r.type == INGRESS_RULE:
            protocol = _protocol(r.inputs.get("ipProtocol"))
            cidrs = tuple(c for c in (r.inputs.get("cidrIpv4"), r.inputs.get("cidrIpv6")) if c)
            source = bool(r.inputs.get("referencedSecurityGroupId"))
        elif r.type == SG_RULE and r.inputs.get("type") == "ingress":
            protocol = _protocol(r.inputs.get("protocol"))
            cidrs = tuple(r.inputs.get("cidrBlocks") or []) + tuple(r.inputs.get("ipv6CidrBlocks") or [])
            source = bool(r.inputs.get("sourceSecurityGroupId") or r.inputs.get("self"))
        else:
            continue
        rule = Rule(r, "rule", protocol, _ports(protocol, r.inputs.get("fromPort"), r.inputs.get("toPort")),
                    cidrs, source)
        groups = graph.linked(r, "securityGroupId", SG)
        if not groups and any(is_world(c) for c in cidrs):
            orphans.append(finding(ORACLE, "world-ingress", r, "admits the world into a security group this "
                                   "stack does not create", r.inputs.get("securityGroupId", "")))
        for group in groups:
            rules.setdefault(group.urn, []).append(rule)
    return rules, orphans


def container_ports(task_definition: RecordedResource) -> set[int] | None:
    """Ports the task's containers map (None when the definitions are masked)."""
    raw = task_definition.inputs.get("containerDefinitions")
    if not isinstance(raw, str) or raw in OPAQUE:
        return None
    try:
        definitions = json.loads(raw)
    except ValueError:
        return None
    return {int(m["containerPort"]) for d in definitions if isinstance(d, dict)
            for m in d.get("portMappings") or [] if isinstance(m, dict) and isinstance(m.get("containerPort"), int)}


def check(recording: Recording) -> list[Finding]:
    graph = Graph(recording)
    rules, found = rules_by_group(graph)
    task_ports: dict[str, set[int] | None] = {}  # group urn → ports its services' containers map
    for service in (r for r in graph.resources if r.type == SERVICE):
        ports: set[int] | None = set()
        for td in graph.linked(service, "taskDefinition", TASK_DEFINITION):
            mapped = container_ports(td)
            ports = None if mapped is None or ports is None else ports | mapped
        for group in graph.linked(service, "networkConfiguration", SG):
            known = task_ports.get(group.urn, set())
            task_ports[group.urn] = None if ports is None or known is None else known | ports
    for group in (r for r in graph.resources if r.type == SG and r.name.endswith("-sg")):
        task_ports.setdefault(group.urn, None)
    listener_ports: dict[str, set[int]] = {}  # group urn → ports its load balancers listen on
    lb_listeners: dict[str, set[int]] = {}
    for listener in (r for r in graph.resources if r.type == LISTENER):
        port = listener.inputs.get("port")
        for lb in graph.linked(listener, "loadBalancerArn", LOAD_BALANCER):
            if isinstance(port, int):
                lb_listeners.setdefault(lb.urn, set()).add(port)
    for lb in (r for r in graph.resources if r.type == LOAD_BALANCER):
        for group in graph.linked(lb, "securityGroups", SG):
            listener_ports.setdefault(group.urn, set()).update(lb_listeners.get(lb.urn, set()))
    database_ports = public_database_ports(graph)
    for group in (r for r in graph.resources if r.type == SG):
        for rule in rules.get(group.urn, []):
            if group.urn in database_ports:
                found += database_rule(group, rule, database_ports[group.urn])
            elif group.urn in task_ports:
                found += task_rule(group, rule, task_ports[group.urn])
            elif group.urn in listener_ports:
                found += load_balancer_rule(group, rule, listener_ports[group.urn])
            elif any(is_world(c) for c in rule.cidrs):
                found.append(_finding("world-ingress", group, rule, "admits the world into a security group that "
                                      "is neither a task's nor a load balancer's"))
    return found


def public_database_ports(graph: Graph) -> dict[str, set[int]]:
    """Database group urn → the ports of the publicly accessible databases using it (empty: none is public)."""
    public_instances = [i for i in graph.resources
                        if i.type == DB_CLUSTER_INSTANCE and i.inputs.get("publiclyAccessible")]
    public_clusters = {c.urn for i in public_instances for c in graph.linked(i, "clusterIdentifier", DB_CLUSTER)}
    ports: dict[str, set[int]] = {}
    for db in (r for r in graph.resources if r.type in (DB_INSTANCE, DB_CLUSTER)):
        public = bool(db.inputs.get("publiclyAccessible")) or db.urn in public_clusters
        for group in graph.linked(db, "vpcSecurityGroupIds", SG):
            known = ports.setdefault(group.urn, set())
            if public and isinstance(db.inputs.get("port"), int):
                known.add(int(db.inputs["port"]))
    return ports


def database_rule(group: RecordedResource, rule: Rule, public_ports: set[int]) -> list[Finding]:
    if not any(is_world(c) for c in rule.cidrs):
        return []
    if rule.protocol == "tcp" and rule.ports[0] == rule.ports[1] and rule.ports[0] in public_ports:
        return []
    return [_finding("db-world-ingress", group, rule, f"the world may reach a database only over TCP on the port of "
                     f"a publicly accessible database {sorted(public_ports) or '(none is public)'}")]


def _finding(code: str, group: RecordedResource, rule: Rule, message: str) -> Finding:
    origin = "" if rule.origin is group else f" (rule {rule.origin.name})"
    ports = "all ports" if rule.ports == ALL_PORTS else f"{rule.protocol} {rule.ports[0]}-{rule.ports[1]}"
    return Finding(ORACLE, code, group.urn, group.type, group.name,
                   f"{rule.where}{origin}: {ports}: {message}", f"{rule.ports[0]}-{rule.ports[1]}")


def task_rule(group: RecordedResource, rule: Rule, ports: set[int] | None) -> list[Finding]:
    if any(is_world(c) for c in rule.cidrs):
        return [_finding("task-world-ingress", group, rule, f"a task security group admits {', '.join(rule.cidrs)}")]
    if rule.cidrs:
        return [_finding("task-cidr-ingress", group, rule, f"a task security group admits CIDRs "
                         f"{', '.join(rule.cidrs)}; tasks admit only source security groups")]
    if ports is not None and rule.source_group:
        low, high = rule.ports
        if rule.ports == ALL_PORTS or not all(p in ports for p in range(low, high + 1)):
            return [_finding("task-port-not-mapped", group, rule, f"opens ports no container maps "
                             f"(mapped: {sorted(ports) or 'none'})")]
    return []


def load_balancer_rule(group: RecordedResource, rule: Rule, listeners: set[int]) -> list[Finding]:
    if not any(is_world(c) for c in rule.cidrs):
        return []
    low, high = rule.ports
    if rule.protocol == "tcp" and rule.ports != ALL_PORTS and all(p in listeners for p in range(low, high + 1)):
        return []
    return [_finding("lb-world-ingress", group, rule, f"the world may reach a load balancer only over TCP on its "
                     f"listener ports {sorted(listeners) or '(none)'}")]
