"""The root of a config file: `StacktapeConfig` (reference `_root.d.ts`, `__helpers.d.ts`).

Top-level sections that stacktape-pulumi does not implement (hooks, scripts, custom
directives, deploymentConfig, providerConfig, cloudformationResources) are rejected with
a located message saying what to use instead, rather than as unknown keys.
"""

import re
from typing import Annotated, Any, Literal, Self, get_args

from pydantic import AfterValidator, Field, ValidatorFunctionWrapHandler, field_validator, model_validator
from pydantic.json_schema import SkipJsonSchema

from stacktape_pulumi.config.models.application_load_balancer import ApplicationLoadBalancer
from stacktape_pulumi.config.models.bucket import Bucket
from stacktape_pulumi.config.models.common import StrictModel, located_error
from stacktape_pulumi.config.models.dynamo_db_table import DynamoDbTable
from stacktape_pulumi.config.models.event_bus import EventBus
from stacktape_pulumi.config.models.function import Function
from stacktape_pulumi.config.models.http_api_gateway import HttpApiGateway
from stacktape_pulumi.config.models.relational_database import RelationalDatabase
from stacktape_pulumi.config.models.service import PrivateService, WebService, WorkerService
from stacktape_pulumi.config.models.shared import (
    RESOURCE_NAME,
    CloudformationTag,
    NonEmptyStr,
    Problems,
    rejecting,
)
from stacktape_pulumi.config.models.sns_topic import SnsTopic
from stacktape_pulumi.config.models.sqs_queue import SqsQueue
from stacktape_pulumi.config.models.workload import MultiContainerWorkload

Resource = Annotated[
    MultiContainerWorkload | HttpApiGateway | ApplicationLoadBalancer | Function | Bucket | DynamoDbTable | SqsQueue
    | SnsTopic | EventBus | WebService | PrivateService | WorkerService | RelationalDatabase,
    Field(discriminator="type"),
]

# The one list of resource types: each member of the union declares its `type` as a Literal.
SUPPORTED_RESOURCE_TYPES: tuple[str, ...] = tuple(
    str(name) for model in get_args(get_args(Resource)[0]) for name in get_args(model.model_fields["type"].annotation))

_RESOURCE_NAME_PATTERN = re.compile(r"^[a-zA-Z0-9]+$")
# The reference allows up to 45 stack tags: AWS allows 50 per resource and stacks add their own.
MAX_STACK_TAGS = 45


def _resource_name(name: str) -> str:
    # pydantic validates each key right before its value: remember it for the value's messages.
    RESOURCE_NAME.set(name)
    if not _RESOURCE_NAME_PATTERN.match(name):
        raise located_error(
            f"Resource name \"{name}\" is not valid. Each resource name must be alphanumeric.",
            hint="use only letters and digits, e.g. myApi",
            at_key=True,
        )
    return name


ResourceName = Annotated[str, AfterValidator(_resource_name)]


Hooks = Annotated[SkipJsonSchema[Any], AfterValidator(rejecting(
    "'hooks' are not supported by stacktape-pulumi",
    "run commands before or after `pulumi up` in your shell or CI, or use the Pulumi Automation API",
))]
Scripts = Annotated[SkipJsonSchema[Any], AfterValidator(rejecting(
    "'scripts' are not supported by stacktape-pulumi",
    "run scripts with your own tooling, or as command.local.Command resources (pulumi-command)",
))]
Directives = Annotated[SkipJsonSchema[Any], AfterValidator(rejecting(
    "custom 'directives' are not supported by stacktape-pulumi",
    "the built-in directives work; compute other values in your Pulumi program",
))]
DeploymentConfig = Annotated[SkipJsonSchema[Any], AfterValidator(rejecting(
    "'deploymentConfig' is not supported by stacktape-pulumi",
    "use Pulumi's own controls: the `protect` resource option, `pulumi up` options and stack settings",
))]
ProviderConfig = Annotated[SkipJsonSchema[Any], AfterValidator(rejecting(
    "'providerConfig' is not supported by stacktape-pulumi",
    "MongoDB Atlas and Upstash resources are not supported; use their Pulumi providers directly",
))]
CloudformationResources = Annotated[SkipJsonSchema[Any], AfterValidator(rejecting(
    "'cloudformationResources' are not supported by stacktape-pulumi",
    "declare extra AWS resources with pulumi_aws in your Pulumi program",
))]


class StackOutput(StrictModel):
    """A custom stack output."""

    name: NonEmptyStr
    """Output name."""
    value: str
    """Output value, typically a directive like `$ResourceParam('myApi', 'url')`."""
    description: str | None = None
    """Human-readable description."""
    export: bool = False
    """Export the output for other stacks. Default false."""


class VpcReuseConfig(StrictModel):
    """Use an existing VPC instead of creating one."""

    projectName: NonEmptyStr | None = None
    """Project of the stack whose VPC is shared; with stage, not with vpcId."""
    stage: NonEmptyStr | None = None
    """Stage of the stack whose VPC is shared; with projectName, not with vpcId."""
    vpcId: NonEmptyStr | None = None
    """ID of the VPC to use (private CIDR, at least 3 public subnets); not with projectName/stage."""

    @model_validator(mode="after")
    def _one_method(self) -> Self:
        by_stack = self.projectName is not None and self.stage is not None
        partial_stack = (self.projectName is None) != (self.stage is None)
        if partial_stack or by_stack == (self.vpcId is not None):
            problems = Problems()
            problems.add(
                "Invalid stackConfig.vpc.reuseVpc configuration. Specify either vpcId or both "
                "projectName and stage, but not both methods.",
                at_key=True,
            )
            problems.raise_if_any(type(self).__name__)
        return self


class NatSettings(StrictModel):
    """NAT gateways of the private subnets."""

    availabilityZones: Literal[1, 2, 3] = 2
    """Availability zones that get a NAT gateway, range 1-3. Default 2."""


class VpcSettings(StrictModel):
    """VPC of the stack."""

    reuseVpc: VpcReuseConfig | None = None
    """Reuse an existing VPC. Default: the stack creates its own."""
    nat: NatSettings | None = None
    """NAT gateways (used when a workload sets usePrivateSubnetsWithNAT)."""


class StackConfig(StrictModel):
    """Stack-wide settings."""

    outputs: list[StackOutput] | None = None
    """Custom outputs."""
    tags: Annotated[list[CloudformationTag], Field(max_length=MAX_STACK_TAGS)] | None = None
    """Tags applied to every resource, at most 45."""
    disableStackInfoSaving: bool = False
    """Do not save stack info to a local file after deploy. Default false."""
    stackInfoDirectory: str | None = None
    """Directory of the stack info file. Default ".stacktape-stack-info/"."""
    vpc: VpcSettings | None = None
    """VPC reuse and NAT settings."""


class StacktapeConfig(StrictModel):
    """A whole config file."""

    serviceName: Annotated[str, Field(pattern=r"^[a-zA-Z][-a-zA-Z0-9]*$")] | None = None
    """Deprecated: the project name. Letters, digits and dashes, starting with a letter."""
    variables: dict[str, Any] | None = None
    """Values reusable with `$Var().name`."""
    stackConfig: StackConfig | None = None
    """Stack-wide settings."""
    resources: dict[ResourceName, Resource]
    """The stack's resources by name."""
    hooks: Hooks = None
    """Not supported: run commands around `pulumi up` instead."""
    scripts: Scripts = None
    """Not supported: use your own tooling or pulumi-command."""
    directives: Directives = None
    """Not supported: only the built-in directives exist."""
    deploymentConfig: DeploymentConfig = None
    """Not supported: use Pulumi's own controls."""
    providerConfig: ProviderConfig = None
    """Not supported: use the third-party Pulumi providers."""
    cloudformationResources: CloudformationResources = None
    """Not supported: declare extra resources with pulumi_aws."""

    @field_validator("resources", mode="wrap")
    @classmethod
    def _scope_resource_names(cls, value: Any, handler: ValidatorFunctionWrapHandler) -> Any:
        # The current resource name must not leak into a later, unrelated validation.
        token = RESOURCE_NAME.set(None)
        try:
            return handler(value)
        finally:
            RESOURCE_NAME.reset(token)
