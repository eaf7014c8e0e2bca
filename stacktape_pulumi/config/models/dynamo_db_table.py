"""The `dynamo-db-table` resource: a DynamoDB table (reference `dynamo-db-tables.d.ts`).

Two properties go beyond the reference, which can only add them through CloudFormation
overrides: `timeToLiveAttribute` (TTL) and `localSecondaryIndexes` (docs/decisions.md).
"""

import re
from typing import TYPE_CHECKING, Annotated, Literal, Self

from pydantic import Field, model_validator

from stacktape_pulumi.config.models.common import StrictModel
from stacktape_pulumi.config.models.shared import (
    NonEmptyStr,
    Overrides,
    PositiveInt,
    Problems,
    duplicates,
)

if TYPE_CHECKING:
    from stacktape_pulumi.errors import KeyPath

TABLE_TYPE = "dynamo-db-table"
# DynamoDB limits: index names, indexes per table, projected attributes across all indexes.
INDEX_NAME = re.compile(r"^[a-zA-Z0-9_.-]{3,255}$")
MAX_GLOBAL_INDEXES = 20
MAX_LOCAL_INDEXES = 5
MAX_PROJECTED_ATTRIBUTES = 100
# Target tracking on DynamoDB capacity accepts 20-90 % utilization.
ScalingTarget = Annotated[int, Field(ge=20, le=90)]


class DynamoDbAttribute(StrictModel):
    """A key attribute."""

    name: NonEmptyStr
    """Attribute name (e.g. `userId`)."""
    type: Literal["string", "number", "binary"]
    """Attribute type."""


class DynamoDbTablePrimaryKey(StrictModel):
    """The primary key (cannot change after creation)."""

    partitionKey: DynamoDbAttribute
    """Partition (hash) key."""
    sortKey: DynamoDbAttribute | None = None
    """Sort (range) key, for composite keys."""


class DynamoDbTableGlobalSecondaryIndex(StrictModel):
    """A global secondary index."""

    name: NonEmptyStr
    """Index name (3-255 of letters, digits, `_`, `-`, `.`)."""
    partitionKey: DynamoDbAttribute
    """Partition key of the index."""
    sortKey: DynamoDbAttribute | None = None
    """Sort key of the index."""
    projections: list[NonEmptyStr] | None = None
    """Non-key attributes copied into the index. Default none (keys only)."""


class DynamoDbTableLocalSecondaryIndex(StrictModel):
    """A local secondary index (stacktape-pulumi extension): the table's partition key, another sort key."""

    name: NonEmptyStr
    """Index name (3-255 of letters, digits, `_`, `-`, `.`)."""
    sortKey: DynamoDbAttribute
    """Sort key of the index."""
    projections: list[NonEmptyStr] | None = None
    """Non-key attributes copied into the index. Default none (keys only)."""


class DynamoDbCapacityScaling(StrictModel):
    """Auto-scaling of provisioned capacity."""

    minUnits: PositiveInt
    """Capacity never scales below this."""
    maxUnits: PositiveInt
    """Capacity never scales above this."""
    keepUtilizationUnder: ScalingTarget
    """Target utilization percentage, range 20-90."""


class DynamoDbProvisionedThroughput(StrictModel):
    """Provisioned capacity (instead of on-demand)."""

    readUnits: PositiveInt
    """Read capacity units."""
    writeUnits: PositiveInt
    """Write capacity units."""
    writeScaling: DynamoDbCapacityScaling | None = None
    """Auto-scale write capacity."""
    readScaling: DynamoDbCapacityScaling | None = None
    """Auto-scale read capacity."""


class DevModeConfig(StrictModel):
    """Stacktape dev-mode settings; stacktape-pulumi has no dev mode, so they have no effect."""

    remote: bool = False
    """Use the deployed table in dev mode. Default false."""


class DynamoDbTableProps(StrictModel):
    """Properties of a table."""

    primaryKey: DynamoDbTablePrimaryKey
    """The primary key."""
    provisionedThroughput: DynamoDbProvisionedThroughput | None = None
    """Provisioned capacity. Default on-demand (pay per request)."""
    enablePointInTimeRecovery: bool = False
    """Continuous backups, restorable to any second of the last 35 days. Default false."""
    streamType: Literal["KEYS_ONLY", "NEW_IMAGE", "OLD_IMAGE", "NEW_AND_OLD_IMAGES"] | None = None
    """Stream item changes with this view. Default no stream."""
    secondaryIndexes: list[DynamoDbTableGlobalSecondaryIndex] | None = None
    """Global secondary indexes."""
    localSecondaryIndexes: list[DynamoDbTableLocalSecondaryIndex] | None = None
    """Local secondary indexes (extension; need a sort key on the table; creation-time only)."""
    timeToLiveAttribute: NonEmptyStr | None = None
    """Number attribute holding an expiry time in epoch seconds; expired items are deleted (extension)."""
    dev: DevModeConfig | None = None
    """Stacktape dev mode (no effect here)."""

    @model_validator(mode="after")
    def _table_is_consistent(self) -> Self:
        problems = Problems()
        globals_ = self.secondaryIndexes or []
        locals_ = self.localSecondaryIndexes or []
        if len(globals_) > MAX_GLOBAL_INDEXES:
            problems.add(f"{len(globals_)} secondary indexes; DynamoDB allows at most {MAX_GLOBAL_INDEXES}.",
                         ("secondaryIndexes",))
        if len(locals_) > MAX_LOCAL_INDEXES:
            problems.add(f"{len(locals_)} local secondary indexes; DynamoDB allows at most {MAX_LOCAL_INDEXES}.",
                         ("localSecondaryIndexes",))
        if locals_ and self.primaryKey.sortKey is None:
            problems.add("Local secondary indexes need a table with a sort key.",
                         ("localSecondaryIndexes",), hint="add primaryKey.sortKey, or use secondaryIndexes",
                         at_key=True)
        indexes: list[tuple[str, int, str]] = [("secondaryIndexes", i, ix.name) for i, ix in enumerate(globals_)]
        indexes += [("localSecondaryIndexes", i, ix.name) for i, ix in enumerate(locals_)]
        for key, index, index_name in indexes:
            if not INDEX_NAME.match(index_name):
                problems.add(f"Index name '{index_name}' is not valid: use 3-255 letters, digits, '_', '-' or '.'.",
                             (key, index, "name"))
        for first, again in duplicates([ix[2] for ix in indexes]):
            key, index, index_name = indexes[again]
            problems.add(f"Two indexes are named '{index_name}'.", (key, index, "name"),
                         hint=f"the first is {indexes[first][0]}[{indexes[first][1]}]")
        projected = {p for ix in globals_ for p in ix.projections or []}
        projected |= {p for ix in locals_ for p in ix.projections or []}
        if len(projected) > MAX_PROJECTED_ATTRIBUTES:
            problems.add(f"The indexes project {len(projected)} distinct attributes; DynamoDB allows at most "
                         f"{MAX_PROJECTED_ATTRIBUTES}.", ("secondaryIndexes",))
        self._check_attribute_types(problems)
        self._check_scaling(problems)
        problems.raise_if_any(type(self).__name__)
        return self

    def _check_attribute_types(self, problems: Problems) -> None:
        """One attribute has one type across the table's and its indexes' keys."""
        seen: dict[str, str] = {}
        keys: list[tuple[KeyPath, DynamoDbAttribute]] = [(("primaryKey", "partitionKey"),
                                                          self.primaryKey.partitionKey)]
        if self.primaryKey.sortKey is not None:
            keys.append((("primaryKey", "sortKey"), self.primaryKey.sortKey))
        for index, gsi in enumerate(self.secondaryIndexes or []):
            keys.append((("secondaryIndexes", index, "partitionKey"), gsi.partitionKey))
            if gsi.sortKey is not None:
                keys.append((("secondaryIndexes", index, "sortKey"), gsi.sortKey))
        for index, lsi in enumerate(self.localSecondaryIndexes or []):
            keys.append((("localSecondaryIndexes", index, "sortKey"), lsi.sortKey))
        for path, attribute in keys:
            known = seen.setdefault(attribute.name, attribute.type)
            if known != attribute.type:
                problems.add(f"Attribute '{attribute.name}' is used as a {known} key elsewhere; one attribute has "
                             "one type.", (*path, "type"), hint=f"use type {known}")

    def _check_scaling(self, problems: Problems) -> None:
        throughput = self.provisionedThroughput
        if throughput is None:
            return
        for key in ("readScaling", "writeScaling"):
            scaling: DynamoDbCapacityScaling | None = getattr(throughput, key)
            if scaling is not None and scaling.maxUnits < scaling.minUnits:
                problems.add(f"maxUnits ({scaling.maxUnits}) must be at least minUnits ({scaling.minUnits}).",
                             ("provisionedThroughput", key, "maxUnits"))


class DynamoDbTable(StrictModel):
    """A `dynamo-db-table` resource."""

    type: Literal["dynamo-db-table"]
    properties: DynamoDbTableProps
    overrides: Overrides = None
    """Not supported: use Pulumi transforms to change child resources."""
