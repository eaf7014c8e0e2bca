"""Shared building blocks of the config models.

Field names are the reference's camelCase names exactly. Every model forbids unknown
keys. Checks that span several fields raise `located_error`, which carries the sub-path
of the offending field so the error points at that YAML node, not at the parent.
"""

import sys
from typing import TYPE_CHECKING, Annotated, Any, Literal, TypeAlias

from pydantic import BaseModel, ConfigDict, Field, InstanceOf, WithJsonSchema
from pydantic_core import PydanticCustomError

from stacktape_pulumi.errors import KeyPath

STACKTAPE_ERROR = "stacktape"


class StrictModel(BaseModel):
    """Base of every config model: unknown keys are errors, values are not coerced loosely."""

    # defer_build: a model's validator is built on first use, once, as part of the root's, instead of
    # every one of the ~180 models building its own at import (validate of the example: 0.45 -> 0.40 s).
    # No use_attribute_docstrings: the field docstrings are read by the schema generators
    # (schema/field_docs.py) when they run, not at every import (another ~0.07 s of CPU per validate).
    model_config = ConfigDict(extra="forbid", frozen=False, validate_default=False, populate_by_name=False,
                              defer_build=True)


def located_error(message: str, *, subpath: KeyPath = (), hint: str | None = None,
                  at_key: bool = False) -> PydanticCustomError:
    """An error for a model validator, located at `subpath` below the model being validated.

    `validate.py` appends `subpath` to pydantic's location, so a check on the `resources`
    object can point at `resources.memory`.
    """
    # The message travels in the context, last, and the template only names it: pydantic-core fills a
    # template by replacing `{key}` for each context key in order (it has no `{{` escape), so text
    # inserted last is never read as a template, whatever braces it holds (`{proxy+}`).
    ctx: dict[str, Any] = {"subpath": list(subpath), "hint": hint or "", "at_key": at_key, "message": message}
    return PydanticCustomError(STACKTAPE_ERROR, "{message}", ctx)


RetentionDays = Literal[1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1827, 3653]
HttpMethod = Literal["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS", "*"]
Port = Annotated[int, Field(ge=1, le=65535)]
class _IsPulumiOutput(type):
    def __instancecheck__(cls, value: object) -> bool:
        # No value can be a pulumi.Output unless pulumi is loaded, so validate never has to load it.
        pulumi = sys.modules.get("pulumi")
        return pulumi is not None and isinstance(value, pulumi.Output)


if TYPE_CHECKING:
    # To type checkers it is the SDK's: a component hands the value on where AWS takes a `pulumi.Input`.
    from pulumi import Output as _SdkOutput

    Output: TypeAlias = _SdkOutput[Any]
else:
    class Output(metaclass=_IsPulumiOutput):
        """Stands for `pulumi.Output` in the models, which stay free of the Pulumi SDK (its import takes ~0.5 s)."""


# Python users may pass a pulumi.Output where the YAML has a directive string: a field whose annotation
# includes this is an Input in the generated args and the provider schema (docs/decisions.md, "Outputs
# in component args").
OutputValue = Annotated[InstanceOf[Output], WithJsonSchema({"type": "string"})]

# Keys whose value (or each item of it) names another resource of the stack. From Python, the
# component object itself may stand there (`load_balancer_name=lb`, `connect_to=[bucket]`); the
# generated args type them so.
RESOURCE_NAME_KEYS = frozenset({
    "httpApiGatewayName", "loadBalancerName", "functionName", "beforeAllowTrafficFunction",
    "afterTrafficShiftFunction", "connectTo", "efsFilesystemName", "sqsQueueName", "targetSqsQueueName",
    "snsTopicName", "eventBusName", "bucketName",
})
EnvValue = str | int | float | bool | OutputValue


class EnvironmentVar(StrictModel):
    """`{name, value}`; values are stringified; directives resolve to Outputs at build time."""

    name: Annotated[str, Field(min_length=1)]
    """Variable name."""
    value: EnvValue
    """Value: a string, number or boolean (stringified), or a directive such as `$Secret('db.password')`."""
