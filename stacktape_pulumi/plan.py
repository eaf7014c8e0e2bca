"""The stack plan: what a whole checked config asks of the stack, decided before any resource exists.

`plan_stack` is pure (no Pulumi): from the validated config and the creation order the checks
found (`checks.graph`), the shared parts the stack needs up front and the values derived from
several resources at once — the private subnets, whether Service Connect is in use (every
workload is then a client), the methods of each HTTP API's routes (its default CORS methods).
The components read it from the stack context; Python and provider users, who build components
one by one, get an empty plan, and each component derives what it can on demand (the first
workload asking for private subnets creates them; the HTTP API's CORS methods default to `*`).

`StackSettings` are what a user sets for the whole stack: the YAML's `stackConfig`, or the
provider's `stacktape:stackConfig`, or `StackSettings(...)` from Python.
"""

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any


@dataclass
class StackSettings:
    """Stack-wide settings a user chooses (from `stackConfig` on the YAML path)."""

    tags: dict[str, str] = field(default_factory=dict)
    reuse_vpc_id: str | None = None
    # `<project>-<stage>` of another stack whose VPC (created by this tool) the stack joins.
    reuse_vpc_of_stack: str | None = None
    nat_zones: int = 2
    # Relative paths in the config (build contexts, entry files) resolve against this; default: cwd.
    base_dir: Path | None = None


@dataclass(frozen=True)
class StackPlan:
    """What the whole config implies for the stack (the YAML door); empty for components built one by one."""

    # Resources in creation order: each after what it references.
    order: tuple[str, ...] = ()
    # `order` with the cloudformationResources (as `cloudformationResources.<name>`) where they are created;
    # empty when the config has none (then it is `order`).
    build_order: tuple[str, ...] = ()
    # Create the private subnets with the VPC; otherwise the first workload that asks creates them.
    private_subnets: bool = False
    # Some workload exposes a Service Connect port: every workload of the stack is a client.
    service_connect: bool = False
    # HTTP API gateway name → the methods its routes use (the default of its CORS `allowedMethods`).
    http_api_methods: Mapping[str, tuple[str, ...]] = field(default_factory=dict)


def plan_stack(config: Any, order: Sequence[str], build_order: Sequence[str] = ()) -> StackPlan:
    """The plan of a config that passed every check, `order` being its creation order (`build_order` with
    its cloudformationResources)."""
    return StackPlan(
        order=tuple(order),
        build_order=tuple(build_order) if tuple(build_order) != tuple(order) else (),
        private_subnets=any(getattr(getattr(r, "properties", None), "usePrivateSubnetsWithNAT", False)
                            for r in config.resources.values()),
        service_connect=any(event.type == "service-connect" for _, event in _events(config)),
        http_api_methods=_http_api_methods(config),
    )


def stack_config_settings(stack_config: Any) -> StackSettings:
    """`stackConfig` (tags, VPC reuse, NAT) → settings."""
    tags = {t.name: str(t.value) for t in (getattr(stack_config, "tags", None) or [])}
    vpc = getattr(stack_config, "vpc", None)
    reuse = getattr(vpc, "reuseVpc", None) if vpc else None
    nat = getattr(vpc, "nat", None) if vpc else None
    of_stack = f"{reuse.projectName}-{reuse.stage}" if reuse and reuse.projectName and reuse.stage else None
    return StackSettings(
        tags=tags,
        reuse_vpc_id=getattr(reuse, "vpcId", None) if reuse else None,
        reuse_vpc_of_stack=of_stack,
        nat_zones=(getattr(nat, "availabilityZones", None) or 2) if nat else 2,
    )


def _events(config: Any) -> Iterator[tuple[str, Any]]:
    """(resource name, event) for every event of every workload container and function."""
    for name, resource in config.resources.items():
        props = getattr(resource, "properties", None)
        for container in getattr(props, "containers", None) or []:
            for event in container.events or []:
                yield name, event
        for event in getattr(props, "events", None) or []:
            yield name, event


def _http_api_methods(config: Any) -> dict[str, tuple[str, ...]]:
    """Per HTTP API gateway, the methods its routes use (the default of its CORS `allowedMethods`)."""
    methods: dict[str, set[str]] = {}
    for _, event in _events(config):
        if event.type == "http-api-gateway":
            methods.setdefault(event.properties.httpApiGatewayName, set()).add(event.properties.method)
    return {gateway: tuple(sorted(found)) for gateway, found in methods.items()}


