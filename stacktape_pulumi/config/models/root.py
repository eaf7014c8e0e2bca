"""The root of a config file: `StacktapeConfig` (reference `_root.d.ts`, `__helpers.d.ts`).

Top-level sections that stacktape-pulumi does not implement (deploymentConfig) are rejected with
a located message saying what to use instead, rather than as unknown keys.
"""

import importlib
import re
from collections.abc import Mapping
from typing import TYPE_CHECKING, Annotated, Any, Literal, Self, Union

from pydantic import (
    AfterValidator,
    Field,
    GetCoreSchemaHandler,
    GetJsonSchemaHandler,
    TypeAdapter,
    ValidationInfo,
    ValidatorFunctionWrapHandler,
    field_validator,
    model_validator,
)
from pydantic.json_schema import JsonSchemaValue, SkipJsonSchema
from pydantic_core import CoreSchema, PydanticKnownError, core_schema

from stacktape_pulumi.config.models.cloudformation import CloudformationResource, LogicalName
from stacktape_pulumi.config.models.common import StrictModel, located_error
from stacktape_pulumi.config.models.provider_config import ProviderConfig
from stacktape_pulumi.config.models.scripts import Hooks, Scripts
from stacktape_pulumi.config.models.shared import (
    RESOURCE_NAME,
    CloudformationTag,
    NonEmptyStr,
    Problems,
    rejecting,
)

if TYPE_CHECKING:
    from stacktape_pulumi.config.models.application_load_balancer import ApplicationLoadBalancer
    from stacktape_pulumi.config.models.bucket import Bucket
    from stacktape_pulumi.config.models.dynamo_db_table import DynamoDbTable
    from stacktape_pulumi.config.models.efs_filesystem import EfsFilesystem
    from stacktape_pulumi.config.models.event_bus import EventBus
    from stacktape_pulumi.config.models.function import Function
    from stacktape_pulumi.config.models.http_api_gateway import HttpApiGateway
    from stacktape_pulumi.config.models.network_load_balancer import NetworkLoadBalancer
    from stacktape_pulumi.config.models.relational_database import RelationalDatabase
    from stacktape_pulumi.config.models.service import PrivateService, WebService, WorkerService
    from stacktape_pulumi.config.models.sns_topic import SnsTopic
    from stacktape_pulumi.config.models.sqs_queue import SqsQueue
    from stacktape_pulumi.config.models.workload import MultiContainerWorkload

# The one list of resource types, in the order messages list them: YAML `type` → (module below
# config.models, model class). A type's models are imported, and their validator built, when a config
# first uses the type: validate pays for the types it meets, not for all ~250 model classes.
RESOURCE_MODELS: Mapping[str, tuple[str, str]] = {
    "multi-container-workload": ("workload", "MultiContainerWorkload"),
    "http-api-gateway": ("http_api_gateway", "HttpApiGateway"),
    "application-load-balancer": ("application_load_balancer", "ApplicationLoadBalancer"),
    "function": ("function", "Function"),
    "bucket": ("bucket", "Bucket"),
    "dynamo-db-table": ("dynamo_db_table", "DynamoDbTable"),
    "sqs-queue": ("sqs_queue", "SqsQueue"),
    "sns-topic": ("sns_topic", "SnsTopic"),
    "event-bus": ("event_bus", "EventBus"),
    "web-service": ("service", "WebService"),
    "private-service": ("service", "PrivateService"),
    "worker-service": ("service", "WorkerService"),
    "relational-database": ("relational_database", "RelationalDatabase"),
    "efs-filesystem": ("efs_filesystem", "EfsFilesystem"),
    "network-load-balancer": ("network_load_balancer", "NetworkLoadBalancer"),
}
SUPPORTED_RESOURCE_TYPES: tuple[str, ...] = tuple(RESOURCE_MODELS)
_TYPE_KEY = "type"
_MISSING = object()


def resource_model(resource_type: str) -> type[StrictModel]:
    """The model of one resource type (a key of `RESOURCE_MODELS`), its module imported on first use."""
    module, name = RESOURCE_MODELS[resource_type]
    model: type[StrictModel] = getattr(importlib.import_module(f"{__package__}.{module}"), name)
    return model


def resource_models() -> tuple[type[StrictModel], ...]:
    """Every resource type's model, in the order of `RESOURCE_MODELS` (imports them all)."""
    return tuple(resource_model(resource_type) for resource_type in RESOURCE_MODELS)


class ResourceByType:
    """`Resource` at run time: validated by the model of its `type`, looked up when the value is.

    It behaves as pydantic's discriminated union on `type` did, with the same errors (so the same
    messages), but builds no union of every type's validator. Its JSON schema is that union's.
    """

    @classmethod
    def __get_pydantic_core_schema__(cls, source: Any, handler: GetCoreSchemaHandler) -> CoreSchema:
        return core_schema.with_info_plain_validator_function(_validate_resource)

    @classmethod
    def __get_pydantic_json_schema__(cls, schema: CoreSchema, handler: GetJsonSchemaHandler) -> JsonSchemaValue:
        union: Any = Annotated[Union[resource_models()], Field(discriminator=_TYPE_KEY)]
        return handler(TypeAdapter(union).core_schema)


def _validate_resource(value: Any, info: ValidationInfo) -> Any:
    if isinstance(value, dict):
        tag = value.get(_TYPE_KEY, _MISSING)
    elif isinstance(value, StrictModel):
        tag = getattr(value, _TYPE_KEY, _MISSING)
    else:
        raise PydanticKnownError("model_attributes_type")
    discriminator = repr(_TYPE_KEY)
    if tag is _MISSING:
        raise PydanticKnownError("union_tag_not_found", {"discriminator": discriminator})
    if not isinstance(tag, str) or tag not in RESOURCE_MODELS:
        expected = ", ".join(repr(resource_type) for resource_type in RESOURCE_MODELS)
        raise PydanticKnownError("union_tag_invalid",
                                 {"discriminator": discriminator, "tag": str(tag), "expected_tags": expected})
    # A ValidationError raised here keeps its locations, below this value's.
    return resource_model(tag).model_validate(value, context=info.context)


if TYPE_CHECKING:
    Resource = Annotated[
        MultiContainerWorkload | HttpApiGateway | ApplicationLoadBalancer | Function | Bucket | DynamoDbTable
        | SqsQueue | SnsTopic | EventBus | WebService | PrivateService | WorkerService | RelationalDatabase
        | EfsFilesystem | NetworkLoadBalancer,
        Field(discriminator="type"),
    ]
else:
    Resource = Annotated[Any, ResourceByType]

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


DeploymentConfig = Annotated[SkipJsonSchema[Any], AfterValidator(rejecting(
    "'deploymentConfig' is not supported by stacktape-pulumi",
    "use Pulumi's own controls: the `protect` resource option, `pulumi up` options and stack settings",
))]


class DirectiveDefinition(StrictModel):
    """A custom directive (checked and loaded by `directives.custom` before the rest of the config)."""

    name: NonEmptyStr
    """The directive's name: `$<name>(...)` calls it."""
    filePath: NonEmptyStr
    """`<file>:<function>`: a Python function (default `main`) or a JavaScript/TypeScript export (default
    the default export), relative to the config file's directory."""


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
    """Do not save the stack info file after `stacktape-pulumi up`. Default false."""
    stackInfoDirectory: NonEmptyStr | None = None
    """Directory of the stack info file `<project>-<stage>.json`, relative to the config file. Default
    ".stacktape-stack-info/"."""
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
    hooks: Hooks | None = None
    """Scripts `stacktape-pulumi up` and `destroy` run before and after the Pulumi operation."""
    scripts: Scripts | None = None
    """Commands and script files run by `stacktape-pulumi script:run` or by `hooks`."""
    directives: list[DirectiveDefinition] | None = None
    """Custom directives, called as `$<name>(...)` anywhere a directive is accepted."""
    deploymentConfig: DeploymentConfig = None
    """Not supported: use Pulumi's own controls."""
    providerConfig: ProviderConfig | None = None
    """Credentials of MongoDB Atlas and Upstash, for resource types not supported yet (no effect today)."""
    cloudformationResources: dict[LogicalName, CloudformationResource] | None = None
    """Raw CloudFormation resources by logical name, built through Pulumi's aws-native provider."""

    @field_validator("resources", mode="wrap")
    @classmethod
    def _scope_resource_names(cls, value: Any, handler: ValidatorFunctionWrapHandler) -> Any:
        # The current resource name must not leak into a later, unrelated validation.
        token = RESOURCE_NAME.set(None)
        try:
            return handler(value)
        finally:
            RESOURCE_NAME.reset(token)
