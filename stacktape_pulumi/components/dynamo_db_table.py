"""`dynamo-db-table`: a DynamoDB table with its keys, indexes, stream, TTL, backups and capacity scaling.

AWS: DynamoDB (table), Application Auto Scaling (scalable targets and target-tracking policies
for provisioned capacity).
"""

from __future__ import annotations  # see stacktape_pulumi/components/__init__.py

from typing import TYPE_CHECKING, Any

import pulumi
import pulumi_aws as aws

from stacktape_pulumi.aws.naming import fit
from stacktape_pulumi.components.base import StacktapeComponent
from stacktape_pulumi.components.context import StackContext
from stacktape_pulumi.config.models.dynamo_db_table import (
    DynamoDbAttribute,
    DynamoDbCapacityScaling,
    DynamoDbTableProps,
)

if TYPE_CHECKING:  # annotations only: `schema.registry` evaluates them with stacktape_pulumi.args
    from stacktape_pulumi.args import DynamoDbTableArgs

KIND = "DynamoDbTable"
NAME_LIMIT = 255
ATTRIBUTE_TYPES = {"string": "S", "number": "N", "binary": "B"}


# ---- pure decisions ---------------------------------------------------------------------

def key_attributes(props: DynamoDbTableProps) -> list[aws.dynamodb.TableAttributeArgs]:
    """Every key attribute of the table and its indexes, once each, in order of first use.

    DynamoDB refuses attribute definitions that no key uses, so only key attributes appear.
    """
    keys: list[DynamoDbAttribute] = [props.primaryKey.partitionKey]
    if props.primaryKey.sortKey is not None:
        keys.append(props.primaryKey.sortKey)
    for gsi in props.secondaryIndexes or []:
        keys += [gsi.partitionKey, *([gsi.sortKey] if gsi.sortKey else [])]
    keys += [lsi.sortKey for lsi in props.localSecondaryIndexes or []]
    unique = {key.name: ATTRIBUTE_TYPES[key.type] for key in keys}
    return [aws.dynamodb.TableAttributeArgs(name=name, type=type_) for name, type_ in unique.items()]


def projection(attributes: list[str] | None) -> dict[str, Any]:
    """Keys only, or keys plus the listed attributes (`INCLUDE`)."""
    if attributes:
        return {"projection_type": "INCLUDE", "non_key_attributes": list(attributes)}
    return {"projection_type": "KEYS_ONLY"}


def global_indexes(props: DynamoDbTableProps) -> list[aws.dynamodb.TableGlobalSecondaryIndexArgs]:
    """The global secondary indexes; with provisioned capacity each gets the table's units."""
    throughput = props.provisionedThroughput
    indexes = []
    for gsi in props.secondaryIndexes or []:
        schema = [aws.dynamodb.TableGlobalSecondaryIndexKeySchemaArgs(attribute_name=gsi.partitionKey.name,
                                                                       key_type="HASH")]
        if gsi.sortKey is not None:
            schema.append(aws.dynamodb.TableGlobalSecondaryIndexKeySchemaArgs(attribute_name=gsi.sortKey.name,
                                                                               key_type="RANGE"))
        indexes.append(aws.dynamodb.TableGlobalSecondaryIndexArgs(
            name=gsi.name, key_schemas=schema, **projection(gsi.projections),
            read_capacity=throughput.readUnits if throughput else None,
            write_capacity=throughput.writeUnits if throughput else None))
    return indexes


def local_indexes(props: DynamoDbTableProps) -> list[aws.dynamodb.TableLocalSecondaryIndexArgs]:
    return [aws.dynamodb.TableLocalSecondaryIndexArgs(name=lsi.name, range_key=lsi.sortKey.name,
                                                      **projection(lsi.projections))
            for lsi in props.localSecondaryIndexes or []]


# ---- the component ----------------------------------------------------------------------

class DynamoDbTable(StacktapeComponent[DynamoDbTableProps]):
    """A DynamoDB table: on-demand unless provisioned, with optional stream, TTL, indexes and PITR."""

    table: aws.dynamodb.Table
    """The DynamoDB table."""
    params: dict[str, pulumi.Output[Any]]
    """The values `$ResourceParam('<name>', '<param>')` reads: name, arn, streamArn (with a stream)."""

    @property
    def arn(self) -> pulumi.Output[str]:
        """The table's ARN."""
        return self.table.arn

    def __init__(self, name: str, args: DynamoDbTableArgs,
                 opts: pulumi.ResourceOptions | None = None, *, context: StackContext | None = None) -> None:
        super().__init__(KIND, "dynamo-db-table", name, args, DynamoDbTableProps, opts, context)
        props = self.props

        self.table = self._create_table()
        self._create_scaling()
        self.params = {"name": self.table.name, "arn": self.table.arn}
        if props.streamType:
            self.params["streamArn"] = self.table.stream_arn
        self.publish(self.params)

    def _create_table(self) -> aws.dynamodb.Table:
        props = self.props
        throughput = props.provisionedThroughput
        key = props.primaryKey
        # Scaling owns the table's capacity once created.
        scaled = [field for field, scaling in (("readCapacity", throughput and throughput.readScaling),
                                               ("writeCapacity", throughput and throughput.writeScaling))
                  if scaling]
        return aws.dynamodb.Table(
            f"{self.resource_name}-table",
            # Auto-named by Pulumi (`<name>-table-<random>`): a new key schema replaces a table, and the
            # new one is created before the old one is deleted. Readers get the name from `name`.
            billing_mode="PROVISIONED" if throughput else "PAY_PER_REQUEST",
            read_capacity=throughput.readUnits if throughput else None,
            write_capacity=throughput.writeUnits if throughput else None,
            hash_key=key.partitionKey.name,
            range_key=key.sortKey.name if key.sortKey else None,
            attributes=key_attributes(props),
            global_secondary_indexes=global_indexes(props) or None,
            local_secondary_indexes=local_indexes(props) or None,
            stream_enabled=bool(props.streamType),
            stream_view_type=props.streamType,
            point_in_time_recovery=aws.dynamodb.TablePointInTimeRecoveryArgs(
                enabled=props.enablePointInTimeRecovery),
            ttl=(aws.dynamodb.TableTtlArgs(attribute_name=props.timeToLiveAttribute, enabled=True)
                 if props.timeToLiveAttribute else None),
            tags=self.context.tags,
            opts=self.child_opts(ignore_changes=scaled or None))

    def _create_scaling(self) -> None:
        throughput = self.props.provisionedThroughput
        if throughput is None:
            return
        for unit, scaling in (("Read", throughput.readScaling), ("Write", throughput.writeScaling)):
            if scaling is not None:
                self._scale(unit, scaling)

    def _scale(self, unit: str, scaling: DynamoDbCapacityScaling) -> None:
        """Application Auto Scaling of the table's read or write capacity (target tracking)."""
        key = unit.lower()
        target = aws.appautoscaling.Target(
            f"{self.resource_name}-{key}-scaling-target", min_capacity=scaling.minUnits, max_capacity=scaling.maxUnits,
            resource_id=pulumi.Output.concat("table/", self.table.name),
            scalable_dimension=f"dynamodb:table:{unit}CapacityUnits", service_namespace="dynamodb",
            tags=self.context.tags, opts=self.child_opts())
        metric = f"DynamoDB{unit}CapacityUtilization"
        aws.appautoscaling.Policy(
            f"{self.resource_name}-{key}-scaling",
            name=fit(f"{self.context.stack_name}-{self.resource_name}-{metric}", NAME_LIMIT),
            policy_type="TargetTrackingScaling",
            resource_id=target.resource_id, scalable_dimension=target.scalable_dimension,
            service_namespace=target.service_namespace,
            target_tracking_scaling_policy_configuration=_target_tracking(float(scaling.keepUtilizationUnder), metric),
            opts=self.child_opts())


def _target_tracking(target: float,
                     metric: str) -> aws.appautoscaling.PolicyTargetTrackingScalingPolicyConfigurationArgs:
    """Keep a predefined metric at `target` percent."""
    scaling = aws.appautoscaling
    specification = scaling.PolicyTargetTrackingScalingPolicyConfigurationPredefinedMetricSpecificationArgs
    return scaling.PolicyTargetTrackingScalingPolicyConfigurationArgs(
        target_value=target, predefined_metric_specification=specification(predefined_metric_type=metric))
