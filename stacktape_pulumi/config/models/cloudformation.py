"""`cloudformationResources`: raw CloudFormation resources (reference `_root.d.ts`, `Default`).

Each is built as one resource of Pulumi's aws-native (Cloud Control) provider. The keys a
template may give a resource and this tool cannot honour are refused with a located "not
supported yet" rather than accepted and ignored: `Condition`, `Metadata`, `CreationPolicy`,
`UpdatePolicy`, `UpdateReplacePolicy`, and the deletion policies other than Delete and Retain.
`Type` and `Properties` are checked against AWS's registry schemas by `checks.cloudformation`.
"""

import re
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, Field
from pydantic.json_schema import SkipJsonSchema

from stacktape_pulumi.config.models.common import StrictModel, located_error
from stacktape_pulumi.config.models.shared import rejecting

# CloudFormation's rule for logical IDs.
_LOGICAL_NAME = re.compile(r"^[A-Za-z0-9]+$")


def _logical_name(name: str) -> str:
    if not _LOGICAL_NAME.match(name):
        raise located_error(f"CloudFormation logical name \"{name}\" is not valid: it must be alphanumeric.",
                            hint="use only letters and digits, e.g. NotificationTopic", at_key=True)
    return name


LogicalName = Annotated[str, AfterValidator(_logical_name)]


def _refuse(key: str, hint: str) -> AfterValidator:
    return AfterValidator(rejecting(f"'{key}' of a CloudFormation resource is not supported yet", hint))


class CloudformationResource(StrictModel):
    """A CloudFormation resource, built through Pulumi's aws-native (Cloud Control) provider."""

    Type: Annotated[str, Field(min_length=1)]
    """The CloudFormation type, e.g. `AWS::SNS::Topic`."""
    Properties: dict[str, Any] | None = None
    """The type's properties as CloudFormation names them; directives and `Ref`/`Fn::GetAtt` to other
    cloudformationResources are accepted in values."""
    DependsOn: list[Annotated[str, Field(min_length=1)]] | Annotated[str, Field(min_length=1)] | None = None
    """Create this resource after these cloudformationResources or resources."""
    DeletionPolicy: Literal["Delete", "Retain"] | None = None
    """`Retain` keeps the AWS resource when it leaves the stack (Pulumi's `retainOnDelete`). Default Delete."""
    UpdateReplacePolicy: Annotated[SkipJsonSchema[Any], _refuse(
        "UpdateReplacePolicy", "remove it: a replaced resource is deleted (DeletionPolicy: Retain keeps it)")] = None
    Condition: Annotated[SkipJsonSchema[Any], _refuse(
        "Condition", "remove it: stacktape-pulumi has no template conditions")] = None
    Metadata: Annotated[SkipJsonSchema[Any], _refuse(
        "Metadata", "remove it: Cloud Control has no template metadata")] = None
    CreationPolicy: Annotated[SkipJsonSchema[Any], _refuse(
        "CreationPolicy", "remove it: Cloud Control waits for the resource itself")] = None
    UpdatePolicy: Annotated[SkipJsonSchema[Any], _refuse("UpdatePolicy", "remove it")] = None

    def depends_on(self) -> list[str]:
        """`DependsOn` as a list."""
        if self.DependsOn is None:
            return []
        return [self.DependsOn] if isinstance(self.DependsOn, str) else list(self.DependsOn)
