"""Pure decisions for ECS task definitions: sizes, port mappings, health checks, env values.

No resources are created here; every function is table-tested.
"""

from __future__ import annotations  # see stacktape_pulumi/components/__init__.py

import json
from typing import Any

CONTAINER_LOG_PREFIX = "ecs"


def task_cpu(vcpu: float) -> str:
    """vCPU → the task's CPU units as ECS wants them (a string): 0.25 → "256"."""
    return str(int(vcpu * 1024))


def stringify(value: Any) -> str:
    """Container environment values are strings: booleans as `true`/`false`, numbers without `.0`."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, (dict, list)):
        return json.dumps(value, separators=(",", ":"))
    return str(value)


# Linux's first privileged port; below it a non-root process needs the sysctl lowered (a network-namespaced
# sysctl: ECS sets it per task in awsvpc mode, Fargate platform 1.4.0 and later, and per container in bridge mode).
PRIVILEGED_PORTS_BELOW = 1024
UNPRIVILEGED_PORT_START = "net.ipv4.ip_unprivileged_port_start"


def low_port_controls(ports: list[int]) -> list[dict[str, str]]:
    """`systemControls` letting a non-root process bind `ports`: the threshold lowered to the lowest one below 1024."""
    low = [port for port in ports if port < PRIVILEGED_PORTS_BELOW]
    return [{"namespace": UNPRIVILEGED_PORT_START, "value": str(min(low))}] if low else []


def port_name(port: int) -> str:
    return f"port-{port}"


def port_mappings(events: list[Any], *, fargate: bool) -> list[dict[str, Any]]:
    """One mapping per unique containerPort across a container's events, first event's protocol wins.

    On Fargate (awsvpc) the host port equals the container port; on EC2 (bridge) it is 0,
    a dynamic host port.
    """
    seen: dict[int, dict[str, Any]] = {}
    for event in events:
        port = int(event.properties.containerPort)
        if port in seen:
            continue
        mapping: dict[str, Any] = {
            "containerPort": port,
            "hostPort": port if fargate else 0,
            "protocol": "tcp",
            "name": port_name(port),
        }
        protocol = getattr(event.properties, "protocol", None) if event.type == "service-connect" else None
        if protocol:
            mapping["appProtocol"] = protocol
        seen[port] = mapping
    return [seen[p] for p in seen]


def health_check(check: Any) -> dict[str, Any] | None:
    """ECS container health check from `internalHealthCheck`: only the fields the user set (AWS defaults apply)."""
    if check is None:
        return None
    result: dict[str, Any] = {"command": list(check.healthCheckCommand)}
    for source, target in (("intervalSeconds", "interval"), ("timeoutSeconds", "timeout"),
                           ("retries", "retries"), ("startPeriodSeconds", "startPeriod")):
        value = getattr(check, source, None)
        if value is not None:
            result[target] = int(value)
    return result


def secret_value_from(arn: str, key: str | None) -> str:
    """ECS `valueFrom` for a Secrets Manager secret, optionally one JSON key: `<arn>:<key>::`."""
    return f"{arn}:{key}::" if key else arn
