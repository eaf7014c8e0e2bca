"""`web-service`, `private-service`, `worker-service`: one container, built by the workload machinery.

Each service expands (`config.services`) into a multi-container workload and, for web and private
services, the HTTP API or load balancer that brings traffic to it; the service component builds
those with the `MultiContainerWorkload`, `HttpApiGateway`, `ApplicationLoadBalancer` and
`NetworkLoadBalancer` components as its children, named like the service (AWS names as an equally
named workload's), and known to the stack by the reference's name chains (`web.containerWorkload`,
`web.httpApiGateway`, …).
"""

from __future__ import annotations  # see stacktape_pulumi/components/__init__.py

from typing import TYPE_CHECKING, Any, cast

import pulumi

from stacktape_pulumi.components.application_load_balancer import ApplicationLoadBalancer
from stacktape_pulumi.components.base import StacktapeComponent, nested_as
from stacktape_pulumi.components.context import StackContext
from stacktape_pulumi.components.http_api_gateway import HttpApiGateway
from stacktape_pulumi.components.network_load_balancer import NetworkLoadBalancer
from stacktape_pulumi.components.workload import MultiContainerWorkload
from stacktape_pulumi.config.models.service import (
    PRIVATE_SERVICE_TYPE,
    WEB_SERVICE_TYPE,
    WORKER_SERVICE_TYPE,
    PrivateServiceProps,
    SimpleServiceProps,
    WebServiceProps,
    WorkerServiceProps,
)
from stacktape_pulumi.config.services import ExpansionError, expand_service, nested_name
from stacktape_pulumi.errors import StacktapeError, format_path

if TYPE_CHECKING:  # annotations only: `schema.registry` evaluates them with stacktape_pulumi.args
    from stacktape_pulumi.args import PrivateServiceArgs, WebServiceArgs, WorkerServiceArgs

WORKLOAD_PART = "containerWorkload"
NESTED_COMPONENTS: dict[str, type[Any]] = {
    "http-api-gateway": HttpApiGateway,
    "application-load-balancer": ApplicationLoadBalancer,
    "network-load-balancer": NetworkLoadBalancer,
}


class _Service(StacktapeComponent[Any]):
    """What the three service types share: expand, build the parts, publish the parts' params as one."""

    # Parts are properties, not annotations: Pulumi's schema inference reads annotations as outputs,
    # and a component is no output type.
    params: dict[str, pulumi.Output[Any]]
    _workload: MultiContainerWorkload
    _parts: dict[str, Any]

    @property
    def workload(self) -> MultiContainerWorkload:
        """The ECS workload running the service's container (and its side containers)."""
        return self._workload

    def _part(self, resource_type: str) -> Any:
        return self._parts.get(resource_type)

    def _build(self, service_type: str) -> dict[str, Any]:
        """Build the nested parts (by type) and the workload."""
        name = self.resource_name
        expansion = expand_service(name, service_type, cast("SimpleServiceProps", self.props))
        try:
            workload_props, nested_props = expansion.models()
        except ExpansionError as exc:  # the checks refuse these first; kept for a direct caller of _build
            raise StacktapeError("\n".join(f"{self.kind} '{name}': {format_path(p.path)}: {p.message}"
                                           for p in exc.problems)) from None
        parts: dict[str, Any] = {}
        # The traffic source first: the workload's events attach to it.
        for part in expansion.nested:
            component = NESTED_COMPONENTS[part.type]
            with nested_as(part.name):
                parts[part.type] = component(name, nested_props[part.name],
                                             opts=self.child_opts(), context=self.context)
        with nested_as(nested_name(name, WORKLOAD_PART)):
            # A checked props model, passed as is (the components accept one in place of args).
            self._workload = MultiContainerWorkload(name, cast("Any", workload_props), opts=self.child_opts(),
                                                   context=self.context)
        self._parts = parts
        return parts



class WebService(_Service):
    """One container with a public endpoint: its own HTTP API (default), application or network load balancer."""

    params: dict[str, pulumi.Output[Any]]
    """The values `$ResourceParam('<name>', '<param>')` reads: the workload's (clusterArn, serviceArn, ...) and
    its HTTP API's or load balancer's (url, domain, ...)."""

    @property
    def http_api_gateway(self) -> HttpApiGateway | None:
        """The service's HTTP API (http-api-gateway load balancing)."""
        return cast("HttpApiGateway | None", self._part("http-api-gateway"))

    @property
    def load_balancer(self) -> ApplicationLoadBalancer | None:
        """The service's application load balancer (application-load-balancer load balancing)."""
        return cast("ApplicationLoadBalancer | None", self._part("application-load-balancer"))

    @property
    def network_load_balancer(self) -> NetworkLoadBalancer | None:
        """The service's network load balancer (network-load-balancer load balancing)."""
        return cast("NetworkLoadBalancer | None", self._part("network-load-balancer"))

    def __init__(self, name: str, args: WebServiceArgs, opts: pulumi.ResourceOptions | None = None, *,
                 context: StackContext | None = None) -> None:
        """Validate `args` (the YAML's `properties`, or a `WebServiceProps`) and create the service."""
        super().__init__("WebService", WEB_SERVICE_TYPE, name, args, WebServiceProps, opts, context)
        self._build(WEB_SERVICE_TYPE)
        front: HttpApiGateway | ApplicationLoadBalancer | NetworkLoadBalancer | None = (
            self.http_api_gateway or self.load_balancer or self.network_load_balancer)
        self.params = {**self.workload.params, **(front.params if front is not None else {})}
        self.publish(self.params)



class PrivateService(_Service):
    """One container reachable only inside the stack: Service Connect (default) or an internal load balancer."""

    params: dict[str, pulumi.Output[Any]]
    """The values `$ResourceParam('<name>', '<param>')` reads: address (`host:port`), the workload's
    (clusterArn, serviceArn, ...) and its load balancer's."""

    @property
    def load_balancer(self) -> ApplicationLoadBalancer | None:
        """The internal application load balancer (application-load-balancer load balancing)."""
        return cast("ApplicationLoadBalancer | None", self._part("application-load-balancer"))

    def __init__(self, name: str, args: PrivateServiceArgs, opts: pulumi.ResourceOptions | None = None, *,
                 context: StackContext | None = None) -> None:
        """Validate `args` (the YAML's `properties`, or a `PrivateServiceProps`) and create the service."""
        super().__init__("PrivateService", PRIVATE_SERVICE_TYPE, name, args, PrivateServiceProps, opts, context)
        self._build(PRIVATE_SERVICE_TYPE)
        port = cast("PrivateServiceProps", self.props).port
        params = dict(self.workload.params)
        if self.load_balancer is not None:
            params.update(self.load_balancer.params)
            params["address"] = pulumi.Output.concat(self.load_balancer.load_balancer.dns_name, f":{port}")
        else:
            # Service Connect: the alias is the service's name, lower-cased (as the reference).
            params["address"] = pulumi.Output.from_input(f"{name.lower()}:{port}")
        self.params = params
        self.publish(self.params)



class WorkerService(_Service):
    """One container with no ingress at all: background workers and queue consumers."""

    params: dict[str, pulumi.Output[Any]]
    """The values `$ResourceParam('<name>', '<param>')` reads: the workload's (clusterArn, serviceArn, ...)."""

    def __init__(self, name: str, args: WorkerServiceArgs, opts: pulumi.ResourceOptions | None = None, *,
                 context: StackContext | None = None) -> None:
        """Validate `args` (the YAML's `properties`, or a `WorkerServiceProps`) and create the service."""
        super().__init__("WorkerService", WORKER_SERVICE_TYPE, name, args, WorkerServiceProps, opts, context)
        self._build(WORKER_SERVICE_TYPE)
        self.params = dict(self.workload.params)
        self.publish(self.params)

