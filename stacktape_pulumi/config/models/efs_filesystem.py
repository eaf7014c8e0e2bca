"""The `efs-filesystem` resource: shared file storage mounted by containers (reference `efs-filesystem.d.ts`).

Containers mount it through `volumeMounts` (`config.models.shared.EfsMount`); functions may not
yet (their `volumeMounts` are refused as not supported yet).
"""

from typing import Annotated, Literal, Self

from pydantic import Field, model_validator

from stacktape_pulumi.config.models.common import StrictModel
from stacktape_pulumi.config.models.shared import Overrides, Problems

EFS_FILESYSTEM_TYPE = "efs-filesystem"
# EFS: ProvisionedThroughputInMibps has a minimum of 1.0 (botocore `efs` model); the documented
# maximum for provisioned throughput is 3414 MiB/s (Amazon EFS quotas, "Provisioned throughput").
MAX_PROVISIONED_MIBPS = 3414


class EfsFilesystemProps(StrictModel):
    """Properties of an EFS filesystem."""

    backupEnabled: bool = False
    """Daily automatic backups (AWS Backup, 35-day retention). Default false."""
    throughputMode: Literal["elastic", "provisioned", "bursting"] = "elastic"
    """elastic (default), provisioned (set provisionedThroughputInMibps) or bursting."""
    provisionedThroughputInMibps: Annotated[float, Field(ge=1, le=MAX_PROVISIONED_MIBPS)] | None = None
    """Guaranteed throughput in MiB/s, 1-3414; required exactly when throughputMode is provisioned."""

    @model_validator(mode="after")
    def _throughput(self) -> Self:
        problems = Problems()
        provisioned = self.throughputMode == "provisioned"
        if provisioned and self.provisionedThroughputInMibps is None:
            problems.add("throughputMode 'provisioned' needs provisionedThroughputInMibps", ("throughputMode",),
                         hint="add provisionedThroughputInMibps (1-3414), or use throughputMode: elastic")
        if not provisioned and self.provisionedThroughputInMibps is not None:
            problems.add(f"provisionedThroughputInMibps has no effect with throughputMode '{self.throughputMode}'",
                         ("provisionedThroughputInMibps",), at_key=True,
                         hint="set throughputMode: provisioned, or remove provisionedThroughputInMibps")
        problems.raise_if_any(type(self).__name__)
        return self


class EfsFilesystem(StrictModel):
    """An `efs-filesystem` resource."""

    type: Literal["efs-filesystem"]
    properties: EfsFilesystemProps | None = None
    overrides: Overrides = None
    """Not supported: use Pulumi transforms to change child resources."""
