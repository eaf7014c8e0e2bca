"""EFS `volumeMounts` of a workload's containers: task volumes, mount points, access, permissions, ingress.

Each (filesystem, rootDirectory) a workload mounts becomes one EFS access point (which creates the
directory on first mount, so a task never fails on a missing root directory) and one task volume
mounted with TLS and IAM authorization; the task role may mount and write through exactly those
access points; the filesystem's group admits the workload's group on NFS; and the service waits for
the filesystem's mount targets.
"""

from __future__ import annotations  # see stacktape_pulumi/components/__init__.py

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import pulumi_aws as aws

from stacktape_pulumi.aws import iam
from stacktape_pulumi.components.efs_filesystem import NFS_PORT, EfsFilesystem

if TYPE_CHECKING:
    import pulumi

    from stacktape_pulumi.components.base import StacktapeComponent

CLIENT_ACTIONS = ("elasticfilesystem:ClientMount", "elasticfilesystem:ClientWrite")
# Directories an access point creates: any container user may write (generated images run as non-root
# users, prebuilt ones often as root); the filesystem admits only this stack's mounting workloads.
DIRECTORY_OWNER = 0
DIRECTORY_PERMISSIONS = "777"


@dataclass
class WorkloadVolumes:
    """What the workload's task definition, task role and service need for its EFS mounts."""

    volumes: list[aws.ecs.TaskDefinitionVolumeArgs] = field(default_factory=list)
    mount_points: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    statements: list[iam.Statement] = field(default_factory=list)
    depends_on: list[pulumi.Resource] = field(default_factory=list)


def plan_volumes(owner: StacktapeComponent[Any], containers: list[Any],
                 security_group_id: pulumi.Input[str]) -> WorkloadVolumes:
    """Access points, volumes and mount points for every EFS mount of `containers`."""
    found = WorkloadVolumes()
    volume_names: dict[tuple[str, str], str] = {}
    filesystems: dict[str, EfsFilesystem] = {}
    for container in containers:
        for mount in container.volumeMounts or []:
            props = mount.properties
            root = props.rootDirectory or "/"
            key = (props.efsFilesystemName, root)
            if key not in volume_names:
                filesystem = filesystems.get(props.efsFilesystemName) or owner.context.component(
                    props.efsFilesystemName, EfsFilesystem)
                if props.efsFilesystemName not in filesystems:
                    filesystems[props.efsFilesystemName] = filesystem
                    # A task mounts only once the mount targets exist and admit it.
                    found.depends_on += [*filesystem.mount_targets, admit(owner, filesystem, security_group_id)]
                volume_names[key] = f"{props.efsFilesystemName}-{len(volume_names)}"
                point = access_point(owner, filesystem, root, len(volume_names) - 1)
                found.volumes.append(aws.ecs.TaskDefinitionVolumeArgs(
                    name=volume_names[key],
                    efs_volume_configuration=aws.ecs.TaskDefinitionVolumeEfsVolumeConfigurationArgs(
                        file_system_id=filesystem.filesystem.id, transit_encryption="ENABLED",
                        authorization_config=aws.ecs.TaskDefinitionVolumeEfsVolumeConfigurationAuthorizationConfigArgs(
                            access_point_id=point.id, iam="ENABLED"))))
                found.statements.append(client_statement(filesystem, point))
            found.mount_points.setdefault(container.name, []).append(
                {"sourceVolume": volume_names[key], "containerPath": props.mountPath, "readOnly": False})
    return found


def client_statement(filesystem: EfsFilesystem, point: aws.efs.AccessPoint) -> iam.Statement:
    """Mount and write the filesystem, only through `point`."""
    return iam.statement(CLIENT_ACTIONS, [filesystem.filesystem.arn],
                         condition={"StringEquals": {"elasticfilesystem:AccessPointArn": point.arn}})


def access_point(owner: StacktapeComponent[Any], filesystem: EfsFilesystem, root: str,
                  index: int) -> aws.efs.AccessPoint:
    directory = aws.efs.AccessPointRootDirectoryArgs(
        path=root, creation_info=None if root == "/" else aws.efs.AccessPointRootDirectoryCreationInfoArgs(
            owner_uid=DIRECTORY_OWNER, owner_gid=DIRECTORY_OWNER, permissions=DIRECTORY_PERMISSIONS))
    return aws.efs.AccessPoint(
        f"{owner.resource_name}-{filesystem.resource_name}-access-point-{index}",
        file_system_id=filesystem.filesystem.id, root_directory=directory, tags=owner.tags,
        opts=owner.child_opts())


def admit(owner: StacktapeComponent[Any], filesystem: EfsFilesystem,
           security_group_id: pulumi.Input[str]) -> aws.vpc.SecurityGroupIngressRule:
    return aws.vpc.SecurityGroupIngressRule(
        f"{owner.resource_name}-to-{filesystem.resource_name}-nfs", security_group_id=filesystem.security_group.id,
        referenced_security_group_id=security_group_id, ip_protocol="tcp", from_port=NFS_PORT, to_port=NFS_PORT,
        description=f"NFS from {owner.resource_name}", tags=owner.tags, opts=owner.child_opts())


@dataclass
class FunctionMount:
    """What a function's one EFS mount needs: its access point, role statement and what Lambda must wait for."""

    access_point: aws.efs.AccessPoint
    mount_path: str
    statements: list[iam.Statement]
    depends_on: list[pulumi.Resource]


def plan_function_mount(owner: StacktapeComponent[Any], mount: Any,
                        security_group_id: pulumi.Input[str]) -> FunctionMount:
    """The access point (Lambda mounts EFS only through one), NFS ingress and permission of a function's mount."""
    props = mount.properties
    filesystem = owner.context.component(props.efsFilesystemName, EfsFilesystem)
    point = access_point(owner, filesystem, props.rootDirectory or "/", 0)
    # Lambda checks at creation that a mount target in the function's zones admits it.
    depends: list[pulumi.Resource] = [*filesystem.mount_targets, admit(owner, filesystem, security_group_id)]
    return FunctionMount(point, props.mountPath, [client_statement(filesystem, point)], depends)
