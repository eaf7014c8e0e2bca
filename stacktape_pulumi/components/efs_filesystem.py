"""`efs-filesystem`: an encrypted EFS filesystem with a mount target in each zone of the stack VPC.

Its security group admits nothing by itself: each workload that mounts it adds one NFS rule from
its own group (`components.volumes`), so only the stack's mounting workloads reach it.
AWS: EFS (filesystem, mount targets, backup policy), EC2 (security group).
"""

from __future__ import annotations  # see stacktape_pulumi/components/__init__.py

from typing import TYPE_CHECKING, Any

import pulumi
import pulumi_aws as aws

from stacktape_pulumi.aws.security_groups import group_description
from stacktape_pulumi.components.base import StacktapeComponent
from stacktape_pulumi.components.context import StackContext
from stacktape_pulumi.config.models.efs_filesystem import EFS_FILESYSTEM_TYPE, EfsFilesystemProps

if TYPE_CHECKING:  # annotations only: `schema.registry` evaluates them with stacktape_pulumi.args
    from stacktape_pulumi.args import EfsFilesystemArgs

KIND = "EfsFilesystem"
NFS_PORT = 2049


class EfsFilesystem(StacktapeComponent[EfsFilesystemProps]):
    """Shared file storage that containers of the stack mount with `volumeMounts`."""

    filesystem: aws.efs.FileSystem
    """The EFS filesystem (encrypted at rest)."""
    security_group: aws.ec2.SecurityGroup
    """The group of its mount targets: no rule of its own; mounting workloads add theirs."""
    mount_targets: list[aws.efs.MountTarget]
    """One mount target per zone of the stack VPC: tasks mount only once these exist."""
    params: dict[str, pulumi.Output[Any]]
    """The values `$ResourceParam('<name>', '<param>')` reads: arn."""

    def __init__(self, name: str, args: EfsFilesystemArgs = {},  # noqa: B006 (read only)
                 opts: pulumi.ResourceOptions | None = None, *, context: StackContext | None = None) -> None:
        super().__init__(KIND, EFS_FILESYSTEM_TYPE, name, args, EfsFilesystemProps, opts, context)
        props = self.props
        self.filesystem = aws.efs.FileSystem(
            f"{name}-filesystem", encrypted=True, performance_mode="generalPurpose",
            throughput_mode=props.throughputMode,
            provisioned_throughput_in_mibps=props.provisionedThroughputInMibps,
            tags={**self.tags, "Name": self.context.name("efs", name)}, opts=self.child_opts())
        if props.backupEnabled:
            aws.efs.BackupPolicy(f"{name}-backup-policy", file_system_id=self.filesystem.id,
                                 backup_policy=aws.efs.BackupPolicyBackupPolicyArgs(status="ENABLED"),
                                 opts=self.child_opts())
        network = self.context.network()
        # No egress and no inline ingress: NFS is answered on the connection the client opened.
        self.security_group = aws.ec2.SecurityGroup(
            f"{name}-sg",
            description=group_description(f"EFS mount targets of {name} in stack {self.context.stack_name}"),
            vpc_id=network.vpc_id, egress=[], tags=self.tags, opts=self.child_opts())
        # The public subnets exist in every stack network, one per zone; a mount target serves its whole zone.
        self.mount_targets = [
            aws.efs.MountTarget(f"{name}-mount-target-{index}", file_system_id=self.filesystem.id,
                                subnet_id=subnet, security_groups=[self.security_group.id],
                                opts=self.child_opts())
            for index, subnet in enumerate(network.subnets(False))]
        self.params = {"arn": self.filesystem.arn}
        self.publish(self.params)
