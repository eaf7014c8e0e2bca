"""The `function` resource: an AWS Lambda function (behaviour notes §1.6, §2.14).

Every documented event type is modelled (HTTP ones here, the others in `function_events`) but
`kafka-topic` and `cloudwatch-alarm`, which get a located "not supported yet" error instead of
a generic unknown-type error.
"""

import zipfile
from pathlib import Path
from typing import Annotated, Any, Literal, Self

from pydantic import BeforeValidator, Field, ValidationInfo, model_validator

from stacktape_pulumi.config.models.common import EnvironmentVar, OutputValue, StrictModel, located_error
from stacktape_pulumi.config.models.function_events import (
    CloudwatchLogIntegration,
    DynamoDbIntegration,
    FunctionEventBusIntegration,
    KinesisIntegration,
    S3Integration,
    ScheduleIntegration,
    SnsIntegration,
    SqsIntegration,
)
from stacktape_pulumi.config.models.shared import (
    ApplicationLoadBalancerIntegrationProps,
    BuildpackSharedProps,
    CdnConfiguration,
    CloudformationTag,
    CorsConfig,
    EfsMountProps,
    HttpApiIntegrationProps,
    LambdaAlarm,
    NonEmptyStr,
    NonNegativeInt,
    Overrides,
    PositiveInt,
    Problems,
    ResourceAccessProps,
    ResourceLogging,
    context_value,
    current_resource_name,
    is_directive,
)

SUPPORTED_FUNCTION_EVENT_TYPES = (
    "application-load-balancer", "cloudwatch-log", "dynamo-db-stream", "event-bus", "http-api-gateway",
    "kinesis-stream", "s3", "schedule", "sns", "sqs",
)
# Documented by the reference but not implemented here yet.
UNSUPPORTED_FUNCTION_EVENT_TYPES = ("kafka-topic", "cloudwatch-alarm")
MAX_LAYERS = 5

LambdaRuntime = Literal[
    "nodejs24.x", "nodejs22.x", "nodejs20.x", "nodejs18.x",
    "python3.13", "python3.12", "python3.11", "python3.10", "python3.9", "python3.8",
    "ruby3.3",
    "java21", "java17", "java11", "java8.al2", "java8",
    "provided.al2", "provided.al2023",
    "dotnet8", "dotnet7", "dotnet6",
]


# --- Packaging --------------------------------------------------------------------------


class StacktapeLambdaBuildpackProps(BuildpackSharedProps):
    """Code bundled from source by the Stacktape Lambda buildpack."""

    handlerFunction: str | None = None
    """Exported handler name. Default `default` (JS/TS) or `handler` (Python, Ruby, PHP)."""


class StacktapeLambdaBuildpackPackaging(StrictModel):
    """Bundle the function from source."""

    type: Literal["stacktape-lambda-buildpack"]
    properties: StacktapeLambdaBuildpackProps


class CustomArtifactProps(StrictModel):
    """A pre-built deployment package."""

    packagePath: NonEmptyStr
    """Zip file, file or directory (zipped automatically), relative to the config file."""
    handler: str | None = None
    """Handler as `{filePath}:{functionName}`, e.g. `index.js:default`. Required."""


class CustomArtifactPackaging(StrictModel):
    """Deploy a pre-built package."""

    type: Literal["custom-artifact"]
    properties: CustomArtifactProps


LambdaPackaging = Annotated[
    StacktapeLambdaBuildpackPackaging | CustomArtifactPackaging, Field(discriminator="type")
]


# --- Events -----------------------------------------------------------------------------


class FunctionHttpApiEvent(StrictModel):
    """Invoke the function for matching HTTP API requests."""

    type: Literal["http-api-gateway"]
    properties: HttpApiIntegrationProps


class FunctionAlbEvent(StrictModel):
    """Invoke the function for matching load balancer requests."""

    type: Literal["application-load-balancer"]
    properties: ApplicationLoadBalancerIntegrationProps


def _reject_unsupported_event(value: Any) -> Any:
    # Documented types that are not implemented get their own message; anything else
    # falls through to the union, which suggests the closest supported type.
    if isinstance(value, dict) and value.get("type") in UNSUPPORTED_FUNCTION_EVENT_TYPES:
        raise located_error(
            f"function event type '{value['type']}' is not supported yet; supported: "
            f"{', '.join(SUPPORTED_FUNCTION_EVENT_TYPES)}",
            subpath=("type",),
        )
    return value


FunctionEvent = Annotated[
    Annotated[FunctionHttpApiEvent | FunctionAlbEvent | ScheduleIntegration | SqsIntegration | SnsIntegration
              | FunctionEventBusIntegration | KinesisIntegration | DynamoDbIntegration | S3Integration
              | CloudwatchLogIntegration, Field(discriminator="type")],
    BeforeValidator(_reject_unsupported_event),
]


# --- Other properties -------------------------------------------------------------------


class LambdaEfsMountProps(EfsMountProps):
    """An EFS filesystem mounted into the function."""

    @model_validator(mode="after")
    def _under_mnt(self) -> Self:
        # Lambda only mounts file systems below /mnt/.
        if not self.mountPath.startswith("/mnt/") or self.mountPath == "/mnt/":
            problems = Problems()
            problems.add(f"mountPath '{self.mountPath}' must be a directory below /mnt/ (for example "
                         "/mnt/data).", ("mountPath",))
            problems.raise_if_any(type(self).__name__)
        return self


class LambdaEfsMount(StrictModel):
    """`{type: efs, properties}` volume mount."""

    type: Literal["efs"]
    properties: LambdaEfsMountProps


class S3FilesMountProps(StrictModel):
    """An S3 Files access point mounted into the function."""

    accessPointArn: NonEmptyStr
    """ARN of the S3 Files access point."""
    mountPath: NonEmptyStr
    """Path where the volume appears (below /mnt/)."""


class S3FilesMount(StrictModel):
    """`{type: s3files, properties}` volume mount."""

    type: Literal["s3files"]
    properties: S3FilesMountProps


LambdaVolumeMount = Annotated[LambdaEfsMount | S3FilesMount, Field(discriminator="type")]


class LambdaDestinations(StrictModel):
    """Where asynchronous invocation results go."""

    onSuccess: str | None = None
    """ARN receiving successful results (SQS, SNS, EventBridge bus or Lambda)."""
    onFailure: str | None = None
    """ARN receiving failures."""


class LambdaUrlConfig(StrictModel):
    """A function URL."""

    enabled: bool
    """Enable the URL."""
    cors: CorsConfig | None = None
    """CORS of the URL."""
    authMode: Literal["AWS_IAM", "NONE"] = "NONE"
    """Who may call the URL. Default NONE (public)."""
    responseStreamEnabled: bool = False
    """Stream responses (RESPONSE_STREAM invoke mode). Default false."""


LambdaDeploymentStrategy = Literal[
    "Canary10Percent5Minutes",
    "Canary10Percent10Minutes",
    "Canary10Percent15Minutes",
    "Canary10Percent30Minutes",
    "Linear10PercentEvery1Minute",
    "Linear10PercentEvery2Minutes",
    "Linear10PercentEvery3Minutes",
    "Linear10PercentEvery10Minutes",
    "AllAtOnce",
]


class LambdaDeployment(StrictModel):
    """Gradual traffic shifting between function versions."""

    strategy: LambdaDeploymentStrategy
    """How traffic shifts to the new version."""
    beforeAllowTrafficFunction: NonEmptyStr | None = None
    """Function resource run before traffic shifts."""
    afterTrafficShiftFunction: NonEmptyStr | None = None
    """Function resource run after all traffic shifted."""


class FunctionProps(ResourceAccessProps):
    """Properties of a function."""

    packaging: LambdaPackaging
    """How the code is packaged."""
    events: list[FunctionEvent] | None = None
    """What invokes the function."""
    environment: list[EnvironmentVar] | None = None
    """Environment variables (values stringified)."""
    runtime: LambdaRuntime | None = None
    """Runtime. Default from the entry file extension (buildpack); required for custom-artifact."""
    architecture: Literal["x86_64", "arm64"] | None = None
    """CPU architecture. Default x86_64."""
    memory: Annotated[int, Field(ge=128, le=10240)] | None = None
    """MiB, range 128-10240. Default 1024."""
    timeout: Annotated[int, Field(ge=1, le=900)] | None = None
    """Seconds, range 1-900. Default 20 (the reference's code; its docs say 10)."""
    joinDefaultVpc: bool = False
    """Run in the stack's VPC (no direct internet access). Default false."""
    tags: Annotated[list[CloudformationTag], Field(max_length=50)] | None = None
    """Extra tags, at most 50."""
    destinations: LambdaDestinations | None = None
    """Destinations of asynchronous invocation results."""
    logging: ResourceLogging | None = None
    """CloudWatch logging. Default enabled, 90 days."""
    provisionedConcurrency: PositiveInt | None = None
    """Pre-initialized instances (creates a version and an alias)."""
    reservedConcurrency: NonNegativeInt | None = None
    """Concurrency reserved for (and capping) the function."""
    layers: list[NonEmptyStr | OutputValue] | None = None
    """Layer ARNs, at most 5."""
    deployment: LambdaDeployment | None = None
    """Gradual deployment between versions."""
    alarms: list[LambdaAlarm] | None = None
    """Alarms on the function."""
    disabledGlobalAlarms: list[NonEmptyStr] | None = None
    """Global alarms not applied to this function."""
    url: LambdaUrlConfig | None = None
    """Function URL."""
    cdn: CdnConfiguration | None = None
    """CloudFront in front of the function (forces a URL)."""
    storage: Annotated[int, Field(ge=512, le=10240)] | None = None
    """`/tmp` size in MiB, range 512-10240. Default 512 (AWS)."""
    volumeMounts: list[LambdaVolumeMount] | None = None
    """Persistent volumes; requires joinDefaultVpc."""

    @model_validator(mode="after")
    def _function_is_consistent(self, info: ValidationInfo) -> Self:
        name = current_resource_name(info)
        problems = Problems()
        if isinstance(self.packaging, CustomArtifactPackaging):
            self._check_custom_artifact(name, self.packaging.properties, info, problems)
        if self.layers is not None and len(self.layers) > MAX_LAYERS:
            problems.add(
                f"Lambda function {name} has {len(self.layers)} layers; a Lambda function can use at most "
                f"{MAX_LAYERS} layers.",
                ("layers",),
            )
        if self.volumeMounts and not self.joinDefaultVpc:
            problems.add(
                f"Error in function {name}: When using volumeMounts, the property joinDefaultVpc must be "
                "set to true.",
                ("volumeMounts",),
                hint="Be aware that a Lambda function joined to a VPC cannot access the internet.",
                at_key=True,
            )
        problems.raise_if_any(type(self).__name__)
        return self

    def _check_custom_artifact(self, name: str, props: CustomArtifactProps, info: ValidationInfo,
                               problems: Problems) -> None:
        where = ("packaging", "properties")
        if props.handler is None:
            problems.add(
                f"Lambda function {name} must have handler property specified when using custom-artifact "
                "packaging type.",
                where,
                at_key=True,
            )
        else:
            file, _, function = props.handler.rpartition(":")
            if not file or not function:
                problems.add(
                    f"Handler property of lambda function {name} has invalid format.",
                    (*where, "handler"),
                    hint="write it as <file path>:<function name>, e.g. handler.py:handler",
                )
        if self.runtime is None:
            problems.add(
                f"Lambda function {name} must set runtime when using custom-artifact packaging type.",
                ("packaging",),
                at_key=True,
            )
        config_dir = context_value(info, "config_dir")
        # Without a config directory (args built in code) there is nothing to resolve against.
        if config_dir is not None and not is_directive(props.packagePath):
            resolved = Path(config_dir) / props.packagePath
            if not resolved.exists():
                problems.add(f"Lambda function {name}: packagePath '{props.packagePath}' does not exist.",
                             (*where, "packagePath"),
                             hint=f"paths are relative to the config file's directory ({config_dir})")
            elif resolved.is_file() and resolved.suffix.lower() == ".zip" and not zipfile.is_zipfile(resolved):
                # Deployed as it is: Lambda would refuse it at `pulumi up`.
                problems.add(f"Lambda function {name}: packagePath '{props.packagePath}' is not a valid zip file.",
                             (*where, "packagePath"),
                             hint="build the archive first (a beforeDeploy hook runs only at stacktape-pulumi up; "
                                  "run it with stacktape-pulumi script:run before validating)")


class Function(StrictModel):
    """A `function` resource."""

    type: Literal["function"]
    properties: FunctionProps
    overrides: Overrides = None
    """Not supported: use Pulumi transforms to change child resources."""
