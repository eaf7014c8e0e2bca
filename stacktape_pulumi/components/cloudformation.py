"""`cloudformationResources`: each one a `stacktape:index:CloudformationResource` around one aws-native resource.

One component per CloudFormation resource, not one for the section: a cloudformationResource may
read a resource's `$ResourceParam` and a resource may read its `$CfResourceParam`, so they are
created interleaved, in the reference graph's order (`StackPlan.build_order`).

The child is a generic `pulumi.CustomResource` of the aws-native type token: every CloudFormation
type works without loading its SDK class. Its inputs are the `Properties` with names as aws-native
spells them (`aws.cloudformation.to_inputs`), directives, `Ref` and `Fn::GetAtt` resolved to
Outputs; its outputs are the type's read-only properties (CloudFormation's attributes), declared
as `None` inputs so the SDK gives the resource an Output for each. It uses the stack's aws-native
provider, pinned to the installed pulumi-aws-native version (the plugin `pulumi up` installs).
`DependsOn` → `depends_on`; `DeletionPolicy: Retain` → `retain_on_delete`.
AWS: whatever the type is, through Cloud Control.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pulumi

from stacktape_pulumi.aws.cloudformation import (
    REF,
    attributes,
    aws_native_token,
    aws_native_version,
    find_attribute,
    resource_schema,
    to_inputs,
)
from stacktape_pulumi.checks.cloudformation import GET_ATT, get_att_target, is_intrinsic
from stacktape_pulumi.components.context import StackContext
from stacktape_pulumi.config.models.cloudformation import CloudformationResource as Definition
from stacktape_pulumi.errors import StacktapeError

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping

KIND = "CloudformationResource"


class CloudformationResource(pulumi.ComponentResource):
    """A raw CloudFormation resource, created by Pulumi's aws-native provider (Cloud Control)."""

    resource: pulumi.CustomResource
    """The aws-native resource."""

    def __init__(self, name: str, definition: Definition, *, context: StackContext,
                 opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__(f"stacktape:index:{KIND}", name, None, opts)
        self._context = context
        schema = resource_schema(definition.Type)
        token = aws_native_token(definition.Type)
        if schema is None or token is None:  # `validate` refuses both first; Python callers meet this
            raise StacktapeError(f"cloudformationResource '{name}': type {definition.Type} cannot be built")
        self._schema: Mapping[str, Any] = schema
        self.type_name = definition.Type
        inputs = to_inputs(schema, self._resolve(definition.Properties or {}))
        outputs = {a.path[0]: None for a in attributes(schema) if a.path and a.path[0] not in inputs}
        self.resource = pulumi.CustomResource(token, name, {**inputs, **outputs}, opts=pulumi.ResourceOptions(
            parent=self, provider=context.aws_native_provider(), version=aws_native_version(),
            depends_on=[self._dependency(target) for target in definition.depends_on()],
            retain_on_delete=True if definition.DeletionPolicy == "Retain" else None))
        context.cloudformation_resources[name] = self
        self.register_outputs({})

    def attribute(self, wanted: str) -> pulumi.Output[Any]:
        """An attribute (`aws.cloudformation.find_attribute`): `Ref` is the Cloud Control identifier."""
        found = find_attribute(self._schema, wanted)
        if found is None:
            known = ", ".join(a.name for a in attributes(self._schema))
            raise StacktapeError(f"{self.type_name} has no attribute '{wanted}'; attributes: {known}")
        if not found.path:
            return self.resource.id
        output: pulumi.Output[Any] = getattr(self.resource, found.path[0])
        for key in found.path[1:]:
            output = output.apply(_member(key))
        return output

    def _dependency(self, target: str) -> pulumi.Resource:
        built = self._context.cloudformation_resources.get(target)
        if built is not None:
            return built.resource
        component: pulumi.Resource = self._context.component(target, pulumi.Resource)
        return component

    def _resolve(self, value: Any) -> Any:
        """`value` with directives, `Ref` and `Fn::GetAtt` as Outputs (secrets as secret Outputs)."""
        if is_intrinsic(value):
            function, payload = next(iter(value.items()))
            return self._intrinsic(str(function), payload)
        if isinstance(value, dict):
            return {key: self._resolve(item) for key, item in value.items()}
        if isinstance(value, list):
            return [self._resolve(item) for item in value]
        if isinstance(value, str):
            return self._context.output_value(value)
        return value

    def _intrinsic(self, function: str, payload: Any) -> pulumi.Output[Any]:
        if function == REF and payload == "AWS::Region":
            return self._context.region
        if function == REF and payload == "AWS::AccountId":
            return self._context.caller_identity().account_id
        if function == REF and payload == "AWS::Partition":
            return self._context.partition().partition
        if function == REF and payload == "AWS::URLSuffix":
            return self._context.partition().dns_suffix
        if function == REF:
            return self._context.cf_resource_param(str(payload), REF)
        target = get_att_target(payload) if function == GET_ATT else None
        if target is None:  # `validate` refuses the rest
            raise StacktapeError(f"intrinsic function {function} is not supported yet")
        return self._context.cf_resource_param(*target)


def _member(key: str) -> Callable[[Any], Any]:
    """Reads `key` of a nested attribute (`Endpoint.Address`) once its object is known."""
    return lambda value: value.get(key) if isinstance(value, dict) else None
