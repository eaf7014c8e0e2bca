"""Helpers for the traffic tests (gateways, load balancers, Service Connect): canned IDs, small configs, trees."""

from typing import Any

from stacktape_pulumi.engine import Recording
from stacktape_pulumi.engine.canned import CannedWorld

ACCOUNT = "123456789012"
TAGS = {"stp:project-name": "stacktape", "stp:stack-name": "stacktape-dev", "stp:stage": "dev"}
SG = "aws:ec2/securityGroup:SecurityGroup"
INGRESS = "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule"
SERVICE = "aws:ecs/service:Service"
RECORD = "aws:route53/record:Record"


def canned(rec: Recording, type_: str, name: str) -> dict[str, Any]:
    """The output state the offline engine gave a recorded resource (its `id` included)."""
    resource = rec.one(type_, name)
    resource_id, state = CannedWorld().new_resource(type_, name, dict(resource.inputs), resource.urn)
    return {**state, "id": resource_id}


def zone_id(zone: str) -> str:
    """The ID the offline engine answers `route53.getZone` with."""
    found: str = CannedWorld().invoke("aws:route53/getZone:getZone", {"name": zone})["zoneId"]
    return found


def workload(name: str, events: str, extra: str = "", container: str = "web") -> str:
    """A one-container Fargate workload (flow style, under `resources:`) with the given `events` list."""
    return (f"  {name}:\n    type: multi-container-workload\n    properties:\n"
            f"      resources: {{cpu: 0.25, memory: 512}}\n      containers:\n"
            f"        - name: {container}\n"
            f"          packaging: {{type: prebuilt-image, properties: {{image: nginx}}}}\n"
            f"          events: {events}\n{extra}")


def tree(rec: Recording, parent: str) -> list[tuple[str, str]]:
    """(type, name) of the children of the component named `parent`, sorted."""
    component = next(r for r in rec.resources if r.name == parent and not r.custom)
    return sorted((r.type, r.name) for r in rec.children(component))


def workload_children(name: str, containers: list[str]) -> list[tuple[str, str]]:
    """The children every Fargate workload has (before its events add theirs)."""
    return [("aws:appautoscaling/policy:Policy", f"{name}-scaling-cpu"),
            ("aws:appautoscaling/policy:Policy", f"{name}-scaling-memory"),
            ("aws:appautoscaling/target:Target", f"{name}-scaling-target"),
            *[("aws:cloudwatch/logGroup:LogGroup", f"{name}-{container}-logs") for container in containers],
            (SG, f"{name}-sg"),
            ("aws:ecs/cluster:Cluster", f"{name}-cluster"),
            (SERVICE, f"{name}-service"),
            ("aws:ecs/taskDefinition:TaskDefinition", f"{name}-task-definition"),
            ("aws:iam/role:Role", f"{name}-execution-role"),
            ("aws:iam/role:Role", f"{name}-task-role")]
