"""`web-service`, `private-service` and `worker-service`: one container on ECS, the simple way.

Each is a multi-container workload with one main container (the reference's "simple service
container" props) plus optional side containers, and for the web and private services the load
balancing that brings traffic to it. `stacktape_pulumi.config.services` expands them into exactly
that; these models only hold the properties as the reference names them (behaviour notes §1.2,
§1.3, §2.11; config-web-service.md, config-private-service.md, config-worker-service.md).
"""

from typing import Annotated, Literal

from pydantic import Field

from stacktape_pulumi.config.models.common import EnvironmentVar, Port, StrictModel
from stacktape_pulumi.config.models.shared import (
    ApplicationLoadBalancerAlarm,
    CdnConfiguration,
    CorsConfig,
    DomainConfiguration,
    EfsMount,
    HttpApiGatewayAlarm,
    NonEmptyStr,
    Overrides,
    ResourceAccessProps,
    ResourceLogging,
)
from stacktape_pulumi.config.models.workload import (
    ContainerDependency,
    ContainerHealthCheck,
    ContainerPackaging,
    ContainerWorkloadDeployment,
    ContainerWorkloadResources,
    ContainerWorkloadScaling,
)

WEB_SERVICE_TYPE = "web-service"
PRIVATE_SERVICE_TYPE = "private-service"
WORKER_SERVICE_TYPE = "worker-service"
SERVICE_TYPES = (WEB_SERVICE_TYPE, PRIVATE_SERVICE_TYPE, WORKER_SERVICE_TYPE)


class ServiceHelperContainer(StrictModel):
    """A container running beside the service's main container."""

    containerType: Literal["run-on-init", "always-running"]
    """`run-on-init`: runs to completion before the main container starts (e.g. migrations);
    `always-running`: runs as long as the service (e.g. an agent), reachable on localhost."""
    name: NonEmptyStr
    """Unique container name within the service."""
    packaging: ContainerPackaging
    """How the image is built or which image is used."""
    essential: bool | None = None
    """The service instance is replaced when this container stops. Default true for always-running,
    false for run-on-init."""
    logging: ResourceLogging | None = None
    """CloudWatch logging of stdout/stderr. Default enabled, 90 days."""
    dependsOn: list[ContainerDependency] | None = None
    """Containers that must reach a state before this one starts."""
    environment: list[EnvironmentVar] | None = None
    """Environment variables (values stringified)."""
    internalHealthCheck: ContainerHealthCheck | None = None
    """Command-based health check."""
    stopTimeout: Annotated[int, Field(ge=2, le=120)] | None = None
    """Seconds between SIGTERM and SIGKILL. Default 2, range 2-120."""
    volumeMounts: list[EfsMount] | None = None
    """EFS volumes mounted into the container."""


class SimpleServiceProps(ResourceAccessProps):
    """What the three service types share: one container, its compute and its scaling."""

    packaging: ContainerPackaging
    """How the image is built or which image is used."""
    environment: list[EnvironmentVar] | None = None
    """Environment variables; `connectTo` adds `STP_*` variables."""
    logging: ResourceLogging | None = None
    """CloudWatch logging of stdout/stderr. Default enabled, 90 days."""
    resources: ContainerWorkloadResources
    """CPU, memory and compute engine (Fargate, or EC2 with instanceTypes)."""
    scaling: ContainerWorkloadScaling | None = None
    """Scaling. Default 1 instance, CPU and memory targets 80 %."""
    internalHealthCheck: ContainerHealthCheck | None = None
    """Command-based health check of the container."""
    stopTimeout: Annotated[int, Field(ge=2, le=120)] | None = None
    """Seconds between SIGTERM and SIGKILL. Default 2, range 2-120."""
    enableRemoteSessions: bool = False
    """Allow interactive sessions (ECS Exec). Default false."""
    volumeMounts: list[EfsMount] | None = None
    """EFS volumes mounted into the container."""
    sideContainers: list[ServiceHelperContainer] | None = None
    """Helper containers: run-on-init (before the main container) or always-running (beside it)."""
    usePrivateSubnetsWithNAT: bool = False
    """Run in private subnets behind NAT gateways (static egress IPs). Default false."""


# --- web-service ---------------------------------------------------------------------------


class WebServiceHttpApiGatewayLoadBalancing(StrictModel):
    """Traffic through the service's own HTTP API (pay per request)."""

    type: Literal["http-api-gateway"]


class WebServiceAlbLoadBalancingProps(StrictModel):
    """Health check of the service's load balancer target group."""

    healthcheckPath: str | None = None
    """Path the load balancer pings. Default "/"."""
    healthcheckInterval: Annotated[int, Field(ge=5, le=300)] | None = None
    """Seconds between checks. Default 5, range 5-300."""
    healthcheckTimeout: Annotated[int, Field(ge=2, le=120)] | None = None
    """Seconds before a check fails. Default 4, range 2-120."""


class WebServiceAlbLoadBalancing(StrictModel):
    """Traffic through the service's own application load balancer (needed for `deployment`)."""

    type: Literal["application-load-balancer"]
    properties: WebServiceAlbLoadBalancingProps | None = None


class WebServiceNlbLoadBalancingPort(StrictModel):
    """A port the network load balancer exposes."""

    port: Port
    """Public port of the load balancer."""
    protocol: Literal["TCP", "TLS"] | None = None
    """TLS (encrypted) or TCP (raw). Default TLS."""
    containerPort: Port | None = None
    """Container port receiving the traffic. Default `port`."""


class WebServiceNlbLoadBalancingProps(StrictModel):
    """Ports and health check of the service's network load balancer."""

    healthcheckPath: str | None = None
    """Health check path (HTTP health checks only). Default "/"."""
    healthcheckInterval: Annotated[int, Field(ge=5, le=300)] | None = None
    """Seconds between checks. Default 5, range 5-300."""
    healthcheckTimeout: Annotated[int, Field(ge=2, le=120)] | None = None
    """Seconds before a check fails. Default 4, range 2-120."""
    healthCheckProtocol: Literal["HTTP", "TCP"] | None = None
    """TCP (port check) or HTTP (path check). Default TCP."""
    healthCheckPort: Port | None = None
    """Health check port. Default the traffic port."""
    ports: Annotated[list[WebServiceNlbLoadBalancingPort], Field(min_length=1)]
    """Ports the load balancer exposes."""


class WebServiceNlbLoadBalancing(StrictModel):
    """Traffic through the service's own network load balancer (TCP/TLS)."""

    type: Literal["network-load-balancer"]
    properties: WebServiceNlbLoadBalancingProps


WebServiceLoadBalancing = Annotated[
    WebServiceHttpApiGatewayLoadBalancing | WebServiceAlbLoadBalancing | WebServiceNlbLoadBalancing,
    Field(discriminator="type"),
]


class WebServiceProps(SimpleServiceProps):
    """Properties of a web service: one container with a public HTTPS endpoint."""

    cors: CorsConfig | None = None
    """CORS of the service's HTTP API (http-api-gateway load balancing only)."""
    customDomains: list[DomainConfiguration] | None = None
    """Custom domains; DNS records and certificates are created."""
    loadBalancing: WebServiceLoadBalancing | None = None
    """How traffic reaches the container. Default http-api-gateway."""
    cdn: CdnConfiguration | None = None
    """CloudFront in front of the service."""
    alarms: list[HttpApiGatewayAlarm | ApplicationLoadBalancerAlarm] | None = None
    """Alarms on the service's gateway or load balancer."""
    disabledGlobalAlarms: list[NonEmptyStr] | None = None
    """Global alarms not applied to this service."""
    deployment: ContainerWorkloadDeployment | None = None
    """Gradual deployment; requires application-load-balancer load balancing."""
    useFirewall: NonEmptyStr | None = None
    """Name of a web-app-firewall resource (application-load-balancer load balancing)."""


class WebService(StrictModel):
    """A `web-service` resource."""

    type: Literal["web-service"]
    properties: WebServiceProps
    overrides: Overrides = None
    """Not supported: use Pulumi transforms to change child resources."""


# --- private-service -----------------------------------------------------------------------


class PrivateServiceLoadBalancing(StrictModel):
    """How the stack's other resources reach the service."""

    type: Literal["service-connect", "application-load-balancer"]
    """service-connect (container to container) or an internal application load balancer."""


class PrivateServiceProps(SimpleServiceProps):
    """Properties of a private service: one container reachable only inside the stack."""

    port: Port = 3000
    """Port the service listens on; injected as PORT. Default 3000."""
    protocol: Literal["http", "http2", "grpc"] | None = None
    """Application protocol (Service Connect metrics)."""
    loadBalancing: PrivateServiceLoadBalancing | None = None
    """How other resources reach the service. Default service-connect."""


class PrivateService(StrictModel):
    """A `private-service` resource."""

    type: Literal["private-service"]
    properties: PrivateServiceProps
    overrides: Overrides = None
    """Not supported: use Pulumi transforms to change child resources."""


# --- worker-service ------------------------------------------------------------------------


class WorkerServiceProps(SimpleServiceProps):
    """Properties of a worker service: one container with no ingress at all."""


class WorkerService(StrictModel):
    """A `worker-service` resource."""

    type: Literal["worker-service"]
    properties: WorkerServiceProps
    overrides: Overrides = None
    """Not supported: use Pulumi transforms to change child resources."""
