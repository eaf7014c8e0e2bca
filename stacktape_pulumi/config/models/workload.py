"""The `multi-container-workload` resource: containers on ECS (Fargate or EC2).

Property tree and checks follow behaviour notes §1.1, §2.3 and §5. Checks that need
only this resource's own config live here as model validators; checks that need other
resources (gateways, load balancers, functions) live in `config/checks.py`.
"""

from itertools import pairwise
from typing import TYPE_CHECKING, Annotated, Literal, Self

from pydantic import Field, ValidationInfo, model_validator

from stacktape_pulumi.config.models.common import EnvironmentVar, OutputValue, Port, StrictModel
from stacktape_pulumi.config.models.shared import (
    ApplicationLoadBalancerIntegrationProps,
    BuildpackSharedProps,
    EfsMount,
    HttpApiIntegrationProps,
    NonEmptyStr,
    Overrides,
    Percent,
    PositiveInt,
    Problems,
    ResourceAccessProps,
    ResourceLogging,
    current_resource_name,
    did_you_mean,
    duplicates,
    format_number,
)

WORKLOAD_TYPE = "multi-container-workload"
# Test traffic of a gradual deployment reaches the new tasks on this listener port by default.
DEFAULT_TEST_LISTENER_PORT = 8080

# Memory (MiB) that Fargate accepts for each vCPU value (behaviour notes §2.3).
FARGATE_MEMORY_BY_CPU: dict[float, tuple[int, ...]] = {
    0.25: (512, 1024, 2048),
    0.5: (1024, 2048, 3072, 4096),
    1: tuple(range(2048, 8192 + 1, 1024)),
    2: tuple(range(4096, 16384 + 1, 1024)),
    4: tuple(range(8192, 30720 + 1, 1024)),
    8: tuple(range(16384, 61440 + 1, 4096)),
    16: tuple(range(32768, 122880 + 1, 8192)),
}

if TYPE_CHECKING:
    # mypy has no float literal types; pydantic validates the Literal below.
    FargateCpu = float
else:
    FargateCpu = Literal[0.25, 0.5, 1, 2, 4, 8, 16]


# --- Packaging --------------------------------------------------------------------------


class StacktapeImageBuildpackProps(BuildpackSharedProps):
    """Image built from source by the Stacktape buildpack."""

    requiresGlibcBinaries: bool = False
    """Use a glibc base image instead of musl (Alpine). Default false."""
    customDockerBuildCommands: list[str] | None = None
    """Extra `RUN` commands in the generated Dockerfile."""


class StacktapeImageBuildpackPackaging(StrictModel):
    """Build the image from source with the Stacktape buildpack."""

    type: Literal["stacktape-image-buildpack"]
    properties: StacktapeImageBuildpackProps


class ExternalBuildpackProps(StrictModel):
    """Image built with Cloud Native Buildpacks."""

    sourceDirectoryPath: NonEmptyStr
    """Source directory, relative to the config file."""
    builder: str | None = None
    """Builder image. Default "paketobuildpacks/builder-jammy-base"."""
    buildpacks: list[str] | None = None
    """Buildpacks to use. Default detected."""
    command: list[str] | None = None
    """Container command (overrides CMD)."""


class ExternalBuildpackPackaging(StrictModel):
    """Build the image with an external buildpack."""

    type: Literal["external-buildpack"]
    properties: ExternalBuildpackProps


class NixpacksPhase(StrictModel):
    """A Nixpacks build phase."""

    name: NonEmptyStr
    """Phase name."""
    cmds: list[str] | None = None
    """Shell commands."""
    nixPkgs: list[str] | None = None
    """Nix packages."""
    nixLibs: list[str] | None = None
    """Nix libraries."""
    nixOverlay: list[str] | None = None
    """Nix overlay files."""
    nixpkgsArchive: str | None = None
    """Nixpkgs archive."""
    aptPkgs: list[str] | None = None
    """APT packages."""
    cacheDirectories: list[str] | None = None
    """Directories cached between builds."""
    onlyIncludeFiles: list[str] | None = None
    """Only these files are included in the phase."""


class NixpacksProps(StrictModel):
    """Image built with Nixpacks."""

    sourceDirectoryPath: NonEmptyStr
    """Source directory, relative to the config file."""
    buildImage: str | None = None
    """Base image of the build."""
    providers: list[str] | None = None
    """Nixpacks providers."""
    startCmd: str | None = None
    """Start command (overrides the detected one)."""
    startRunImage: str | None = None
    """Base image of the runtime."""
    startOnlyIncludeFiles: list[str] | None = None
    """Only these files are in the runtime image."""
    phases: list[NixpacksPhase] | None = None
    """Build phases."""


class NixpacksPackaging(StrictModel):
    """Build the image with Nixpacks."""

    type: Literal["nixpacks"]
    properties: NixpacksProps


class DockerBuildArg(StrictModel):
    """A `docker build --build-arg`."""

    argName: NonEmptyStr
    """Argument name."""
    value: str
    """Argument value."""


class CustomDockerfileProps(StrictModel):
    """Image built from your Dockerfile."""

    buildContextPath: NonEmptyStr
    """Build context directory, relative to the config file."""
    dockerfilePath: str | None = None
    """Dockerfile path, relative to buildContextPath. Default "Dockerfile"."""
    buildArgs: list[DockerBuildArg] | None = None
    """Build arguments."""
    command: list[str] | None = None
    """Container command (overrides CMD)."""
    entryPoint: list[str] | None = None
    """Container entry point (overrides ENTRYPOINT)."""


class CustomDockerfilePackaging(StrictModel):
    """Build the image from a Dockerfile."""

    type: Literal["custom-dockerfile"]
    properties: CustomDockerfileProps


class PrebuiltImageProps(StrictModel):
    """An existing image."""

    image: NonEmptyStr | OutputValue
    """Image name or URL (from Python, an Output too, e.g. an ECR repository's `repository_url`)."""
    command: list[str] | None = None
    """Container command (overrides CMD)."""
    entryPoint: list[str] | None = None
    """Container entry point (overrides ENTRYPOINT)."""
    repositoryCredentialsSecretArn: str | None = None
    """Secrets Manager ARN of `{username, password}` for a private registry."""


class PrebuiltImagePackaging(StrictModel):
    """Use a pre-built image."""

    type: Literal["prebuilt-image"]
    properties: PrebuiltImageProps


ContainerPackaging = Annotated[
    StacktapeImageBuildpackPackaging
    | ExternalBuildpackPackaging
    | NixpacksPackaging
    | CustomDockerfilePackaging
    | PrebuiltImagePackaging,
    Field(discriminator="type"),
]


# --- Events -----------------------------------------------------------------------------


class ContainerAlbIntegrationProps(ApplicationLoadBalancerIntegrationProps):
    """ALB listener rule forwarding to a container port."""

    containerPort: Port
    """Container port receiving the traffic."""


class ContainerAlbEvent(StrictModel):
    """Route matching requests of an application load balancer to the container."""

    type: Literal["application-load-balancer"]
    properties: ContainerAlbIntegrationProps


class ContainerHttpApiIntegrationProps(HttpApiIntegrationProps):
    """HTTP API route forwarding to a container port."""

    containerPort: Port
    """Container port receiving the traffic."""


class ContainerHttpApiEvent(StrictModel):
    """Route matching requests of an HTTP API Gateway to the container."""

    type: Literal["http-api-gateway"]
    properties: ContainerHttpApiIntegrationProps


class ContainerNlbIntegrationProps(StrictModel):
    """NLB listener forwarding to a container port."""

    containerPort: Port
    """Container port receiving the traffic."""
    loadBalancerName: NonEmptyStr
    """Name of the network-load-balancer resource."""
    listenerPort: Port
    """Listener port."""


class ContainerNlbEvent(StrictModel):
    """Forward a network load balancer listener to the container."""

    type: Literal["network-load-balancer"]
    properties: ContainerNlbIntegrationProps


class ServiceConnectIntegrationProps(StrictModel):
    """A port reachable by the stack's other workloads."""

    containerPort: Port
    """Container port to open."""
    alias: Annotated[str, Field(min_length=1, max_length=127)] | None = None
    """DNS alias. Default `<workload>-<container>` lower-cased."""
    protocol: Literal["http", "http2", "grpc"] | None = None
    """Application protocol (for metrics)."""


class ServiceConnectEvent(StrictModel):
    """Open the port to other workloads of the stack (ECS Service Connect)."""

    type: Literal["service-connect"]
    properties: ServiceConnectIntegrationProps


class WorkloadInternalIntegrationProps(StrictModel):
    """A port reachable by the workload's other containers."""

    containerPort: Port
    """Container port to open."""


class WorkloadInternalEvent(StrictModel):
    """Open the port to the other containers of this workload."""

    type: Literal["workload-internal"]
    properties: WorkloadInternalIntegrationProps


ContainerEvent = Annotated[
    ContainerHttpApiEvent
    | ContainerAlbEvent
    | WorkloadInternalEvent
    | ServiceConnectEvent
    | ContainerNlbEvent,
    Field(discriminator="type"),
]


# --- Container --------------------------------------------------------------------------


class ContainerDependency(StrictModel):
    """Start after another container of the workload reaches a state."""

    containerName: NonEmptyStr
    """Name of the container depended on."""
    condition: Literal["START", "COMPLETE", "SUCCESS", "HEALTHY"]
    """State the dependency must reach."""


class ContainerHealthCheck(StrictModel):
    """Command run inside the container to decide its health."""

    healthCheckCommand: Annotated[list[NonEmptyStr], Field(min_length=1)]
    """Command, e.g. `["CMD-SHELL", "curl -f http://localhost/ || exit 1"]`; exit 0 is healthy."""
    intervalSeconds: Annotated[int, Field(ge=5, le=300)] | None = None
    """Seconds between checks. Default 30 (ECS), range 5-300."""
    timeoutSeconds: Annotated[int, Field(ge=2, le=60)] | None = None
    """Seconds before a check fails. Default 5 (ECS), range 2-60."""
    retries: Annotated[int, Field(ge=1, le=10)] | None = None
    """Consecutive failures before unhealthy. Default 3 (ECS), range 1-10."""
    startPeriodSeconds: Annotated[int, Field(ge=0, le=300)] | None = None
    """Grace period before failures count, range 0-300. Default none."""


class LoadBalancerHealthCheck(StrictModel):
    """Health check of the load balancer target group."""

    healthcheckPath: str | None = None
    """Path pinged by the load balancer. Default "/"."""
    healthcheckInterval: Annotated[int, Field(ge=5, le=300)] | None = None
    """Seconds between checks. Default 5, range 5-300."""
    healthcheckTimeout: Annotated[int, Field(ge=2, le=120)] | None = None
    """Seconds before a check fails. Default 4, range 2-120."""
    healthCheckProtocol: Literal["HTTP", "TCP"] | None = None
    """Protocol. Default HTTP for ALB, TCP for NLB."""
    healthCheckPort: Port | None = None
    """Port. Default the traffic port."""


class Container(StrictModel):
    """One container of a multi-container workload."""

    name: NonEmptyStr
    """Unique container name within the workload."""
    packaging: ContainerPackaging
    """How the image is built or which image is used."""
    essential: bool = True
    """The whole workload instance is replaced when this container stops. Default true."""
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
    events: list[ContainerEvent] | None = None
    """Traffic sources routed to container ports."""
    loadBalancerHealthCheck: LoadBalancerHealthCheck | None = None
    """Target group health check (ALB/NLB events only)."""


# --- Workload ---------------------------------------------------------------------------


class ContainerWorkloadResources(StrictModel):
    """CPU, memory and compute engine (Fargate when no instanceTypes, else EC2)."""

    cpu: FargateCpu | None = None
    """vCPUs. Required with memory on Fargate."""
    memory: PositiveInt | None = None
    """MiB. Fargate: one of the values allowed for cpu. EC2: default from the smallest instance type."""
    instanceTypes: Annotated[list[NonEmptyStr], Field(min_length=1)] | None = None
    """EC2 instance types (first preferred); presence selects the EC2 launch type."""
    enableWarmPool: bool = False
    """Keep pre-initialized EC2 instances; exactly one instance type. Default false."""
    architecture: Literal["x86_64", "arm64"] | None = None
    """Fargate CPU architecture. Default x86_64 (not allowed with instanceTypes)."""

    @model_validator(mode="after")
    def _compute_engine(self, info: ValidationInfo) -> Self:
        name = current_resource_name(info)
        problems = Problems()
        if self.instanceTypes is None:
            if self.cpu is None or self.memory is None:
                problems.add(
                    f"Error in {WORKLOAD_TYPE} {name}: When configuring resources you must choose one of:\n"
                    "1. Specify cpu and memory properties only (FARGATE launch type will be used).\n"
                    "2. Specify instanceTypes property (EC2 launch type will be used). You can optionally "
                    "also configure cpu and memory",
                    at_key=True,
                )
            elif self.memory not in FARGATE_MEMORY_BY_CPU[self.cpu]:
                allowed = ",".join(str(value) for value in FARGATE_MEMORY_BY_CPU[self.cpu])
                problems.add(
                    f"Error in resources of container compute resource {name}. Memory value "
                    f"'{self.memory}' is not compatible with CPU value '{format_number(self.cpu)}'.\n"
                    f"Allowed memory values for this CPU setting are: {allowed}",
                    ("memory",),
                )
        elif self.architecture is not None:
            problems.add(
                f"Error in {WORKLOAD_TYPE} {name}. Property architecture cannot be used when instanceTypes "
                "is specified.",
                ("architecture",),
                hint="architecture applies to the Fargate launch type only; with instanceTypes the "
                "architecture comes from the instance type",
            )
        if self.enableWarmPool and (self.instanceTypes is None or len(self.instanceTypes) != 1):
            problems.add(
                f"Error in {WORKLOAD_TYPE} {name}. Property enableWarmPool can only be used when you specify "
                "exactly one instance type in instanceTypes. Warm pools are not supported with mixed "
                "instance types.",
                ("enableWarmPool",),
            )
        problems.raise_if_any(type(self).__name__)
        return self


class ScalingPolicy(StrictModel):
    """Target-tracking thresholds; scale out if any is exceeded, in only when all are below."""

    keepAvgCpuUtilizationUnder: Percent | None = None
    """Average CPU % target. Default 80."""
    keepAvgMemoryUtilizationUnder: Percent | None = None
    """Average memory % target. Default 80."""


class ContainerWorkloadScaling(StrictModel):
    """Horizontal scaling of the workload."""

    minInstances: PositiveInt | None = None
    """Minimum running instances (0 is not supported). Default 1."""
    maxInstances: PositiveInt | None = None
    """Maximum running instances; at least minInstances. Default 1."""
    scalingPolicy: ScalingPolicy | None = None
    """When to scale. Default CPU 80 % and memory 80 %."""

    @model_validator(mode="after")
    def _max_at_least_min(self, info: ValidationInfo) -> Self:
        # Unset values take the defaults (1) before the comparison, as in the reference.
        minimum = self.minInstances or 1
        maximum = self.maxInstances or 1
        if maximum < minimum:
            problems = Problems()
            problems.add(
                f"Error in {WORKLOAD_TYPE} {current_resource_name(info)}: When configuring scaling you must "
                "specify maxInstances property(it also must be higher or equal to minInstances).",
                ("maxInstances",) if self.maxInstances is not None else (),
                at_key=self.maxInstances is None,
            )
            problems.raise_if_any(type(self).__name__)
        return self


ContainerDeploymentStrategy = Literal[
    "Canary10Percent5Minutes",
    "Canary10Percent15Minutes",
    "Linear10PercentEvery1Minutes",
    "Linear10PercentEvery3Minutes",
    "AllAtOnce",
]


class ContainerWorkloadDeployment(StrictModel):
    """Gradual (blue/green) traffic shifting on deploy; needs an ALB event."""

    strategy: ContainerDeploymentStrategy
    """How traffic shifts to the new version."""
    beforeAllowTrafficFunction: NonEmptyStr | None = None
    """Function resource run before traffic shifts (smoke tests)."""
    afterTrafficShiftFunction: NonEmptyStr | None = None
    """Function resource run after all traffic shifted."""
    testListenerPort: Port | None = None
    """ALB listener port for test traffic; needed with beforeAllowTrafficFunction and custom listeners.
    Default 8080 (created on load balancers with default listeners)."""


class MultiContainerWorkloadProps(ResourceAccessProps):
    """Properties of a multi-container workload."""

    containers: Annotated[list[Container], Field(min_length=1)]
    """Containers sharing the workload's compute and scaling."""
    resources: ContainerWorkloadResources
    """CPU, memory and compute engine."""
    scaling: ContainerWorkloadScaling | None = None
    """Scaling. Default 1 instance, CPU and memory targets 80 %."""
    deployment: ContainerWorkloadDeployment | None = None
    """Gradual deployment; requires an application-load-balancer event."""
    enableRemoteSessions: bool = False
    """Allow interactive sessions (ECS Exec). Default false."""
    usePrivateSubnetsWithNAT: bool = False
    """Run in private subnets behind NAT gateways (static egress IPs). Default false."""

    @model_validator(mode="after")
    def _containers_are_consistent(self, info: ValidationInfo) -> Self:
        name = current_resource_name(info)
        problems = Problems()
        self._check_names(name, problems)
        self._check_ports(name, problems)
        self._check_http_api_events(name, problems)
        self._check_deployment(name, problems)
        problems.raise_if_any(type(self).__name__)
        return self

    def _check_names(self, name: str, problems: Problems) -> None:
        names = [container.name for container in self.containers]
        for _, index in duplicates(names):
            problems.add(
                f"Conflict within container names of {WORKLOAD_TYPE} \"{name}\". Two or more containers are "
                f"using the same name \"{names[index]}\"",
                ("containers", index, "name"),
            )
        for index, container in enumerate(self.containers):
            for dep_index, dependency in enumerate(container.dependsOn or []):
                where = ("containers", index, "dependsOn", dep_index, "containerName")
                prefix = (f"Conflict within container dependencies of {WORKLOAD_TYPE} \"{name}\". "
                          f"Container with name \"{container.name}\"")
                target = dependency.containerName
                if target == container.name:
                    problems.add(f"{prefix} depends on itself", where)
                elif target not in names:
                    problems.add(f"{prefix} depends on non-existent container \"{target}\"", where,
                                 hint=did_you_mean(target, names))

    def _check_ports(self, name: str, problems: Problems) -> None:
        # Every event opens a tcp port mapping; a port may belong to one container only.
        ports: list[dict[int, int]] = []
        for container in self.containers:
            first_event: dict[int, int] = {}
            for event_index, event in enumerate(container.events or []):
                first_event.setdefault(event.properties.containerPort, event_index)
            ports.append(first_event)
        containers = self.containers
        for later in range(len(containers)):
            for earlier in range(later):
                for port in ports[earlier]:
                    if port not in ports[later]:
                        continue
                    first, second = containers[earlier].name, containers[later].name
                    problems.add(
                        f"Port overlap detected within {WORKLOAD_TYPE} {name}. Container {first} and "
                        f"container {second} are using the same port number {port}. Each container port "
                        f"mapped using 'events' must be unique withing the {WORKLOAD_TYPE}.",
                        ("containers", later, "events", ports[later][port], "properties", "containerPort"),
                    )

    def _check_http_api_events(self, name: str, problems: Problems) -> None:
        # One Cloud Map service registry per ECS service: every HTTP API event targets one port.
        first_port: int | None = None
        for index, container in enumerate(self.containers):
            for event_index, event in enumerate(container.events or []):
                if not isinstance(event, ContainerHttpApiEvent):
                    continue
                where = ("containers", index, "events", event_index, "properties")
                port = event.properties.containerPort
                if first_port is None:
                    first_port = port
                elif port != first_port:
                    problems.add(
                        f"All http-api-gateway event integrations in {WORKLOAD_TYPE} {name} must use the "
                        "same container port.",
                        (*where, "containerPort"),
                        hint="an ECS service has one Cloud Map registry; route through one entry container, "
                        "or use application-load-balancer events",
                    )
                if event.properties.payloadFormat not in (None, "1.0"):
                    problems.add(
                        f"Error in {WORKLOAD_TYPE} \"{name}\". {WORKLOAD_TYPE} http-api-gateway events only "
                        "support payload format version \"1.0\".",
                        (*where, "payloadFormat"),
                        hint="set payloadFormat to \"1.0\" or remove it",
                    )

    def _check_deployment(self, name: str, problems: Problems) -> None:
        if self.deployment is None:
            return
        alb_events = [
            (index, event_index, event)
            for index, container in enumerate(self.containers)
            for event_index, event in enumerate(container.events or [])
            if isinstance(event, ContainerAlbEvent)
        ]
        if not alb_events:
            problems.add(
                f"Error in {WORKLOAD_TYPE} {name}: The compute resource must use application-load-balancer "
                "event integration to use deployment.",
                ("deployment",),
                at_key=True,
            )
        uses_service_connect = any(
            isinstance(event, ServiceConnectEvent)
            for container in self.containers
            for event in container.events or []
        )
        if uses_service_connect:
            problems.add(
                f"Error in {WORKLOAD_TYPE} {name}: Property \"deployment\" cannot be used when using "
                "\"service-connect\" events.",
                ("deployment",),
                at_key=True,
            )
        for (prev_index, _, prev), (index, event_index, event) in pairwise(alb_events):
            if (prev_index != index or prev.properties.containerPort != event.properties.containerPort
                    or prev.properties.listenerPort != event.properties.listenerPort):
                problems.add(
                    f"Error in {WORKLOAD_TYPE} {name}: Only one container of compute resource can be "
                    "targeted by exactly one application-load-balancer listener when using deployment "
                    "property.",
                    ("containers", index, "events", event_index),
                )
                break


class MultiContainerWorkload(StrictModel):
    """A `multi-container-workload` resource."""

    type: Literal["multi-container-workload"]
    properties: MultiContainerWorkloadProps
    overrides: Overrides = None
    """Not supported: use Pulumi transforms to change child resources."""
