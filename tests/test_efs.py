"""`efs-filesystem` and container `volumeMounts`: the filesystem, its mount targets, the task's volumes, access
points, permissions and NFS ingress, and the located errors."""

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from stacktape_pulumi.engine import Recording

FS = "arn:aws:elasticfilesystem:us-east-1:123456789012:file-system/"
WORKLOAD = """
  app:
    type: multi-container-workload
    properties:
      resources: {{cpu: 0.25, memory: 512}}
      containers:
        - name: web
          packaging: {{type: prebuilt-image, properties: {{image: nginx}}}}
          volumeMounts:
{mounts}"""


def config(filesystem: str = "{}", mounts: str = "") -> str:
    lines = mounts or ("- {type: efs, properties: {efsFilesystemName: media, rootDirectory: /uploads, "
                       "mountPath: /data}}\n- {type: efs, properties: {efsFilesystemName: media, mountPath: /all}}")
    indented = "".join(f"            {line}\n" for line in lines.splitlines())
    return (f"resources:\n  media:\n    type: efs-filesystem\n    properties: {filesystem}\n"
            + WORKLOAD.format(mounts=indented))


def inputs(rec: Recording, type_: str, name: str) -> dict[str, Any]:
    found = {k: v for k, v in rec.one(type_, name).inputs.items() if k != "tags"}
    return found


def test_the_filesystem_its_mount_targets_and_what_the_task_gets(preview: Callable[[str], Recording]) -> None:
    rec = preview(config("{backupEnabled: true}"))
    filesystem = rec.one("aws:efs/fileSystem:FileSystem", "media-filesystem")
    fs_id = rec.stack_outputs["media"]["arn"].removeprefix(FS)
    assert {k: v for k, v in filesystem.inputs.items() if k != "tags"} == {
        "encrypted": True, "performanceMode": "generalPurpose", "throughputMode": "elastic"}
    assert filesystem.inputs["tags"]["Name"] == "stacktape-dev-media"
    assert inputs(rec, "aws:efs/backupPolicy:BackupPolicy", "media-backup-policy") == {
        "fileSystemId": fs_id, "backupPolicy": {"status": "ENABLED"}}
    group = rec.one("aws:ec2/securityGroup:SecurityGroup", "media-sg")
    assert group.inputs["egress"] == []
    assert "ingress" not in group.inputs
    targets = rec.by_type("aws:efs/mountTarget:MountTarget")
    assert sorted(t.name for t in targets) == [f"media-mount-target-{i}" for i in range(3)]
    # One per zone, in the public subnets the (public) tasks run in.
    subnets = rec.one("aws:ecs/service:Service").inputs["networkConfiguration"]["subnets"]
    assert sorted(t.inputs["subnetId"] for t in targets) == sorted(subnets)
    assert len(set(subnets)) == 3
    points = [inputs(rec, "aws:efs/accessPoint:AccessPoint", f"app-media-access-point-{i}") for i in range(2)]
    assert points == [
        {"fileSystemId": fs_id, "rootDirectory": {"path": "/uploads", "creationInfo": {
            "ownerUid": 0, "ownerGid": 0, "permissions": "777"}}},
        {"fileSystemId": fs_id, "rootDirectory": {"path": "/"}},
    ]
    task = rec.one("aws:ecs/taskDefinition:TaskDefinition").inputs
    point_ids = [volume["efsVolumeConfiguration"]["authorizationConfig"]["accessPointId"]
                 for volume in task["volumes"]]
    assert len(set(point_ids)) == 2
    assert task["volumes"] == [
        {"name": f"media-{i}", "efsVolumeConfiguration": {
            "fileSystemId": fs_id, "transitEncryption": "ENABLED",
            "authorizationConfig": {"accessPointId": point_ids[i], "iam": "ENABLED"}}} for i in range(2)]
    assert json.loads(task["containerDefinitions"])[0]["mountPoints"] == [
        {"sourceVolume": "media-0", "containerPath": "/data", "readOnly": False},
        {"sourceVolume": "media-1", "containerPath": "/all", "readOnly": False}]
    point_arns = [f"arn:aws:elasticfilesystem:us-east-1:123456789012:access-point/{point}" for point in point_ids]
    assert json.loads(inputs(rec, "aws:iam/rolePolicy:RolePolicy", "app-efs-access")["policy"])["Statement"] == [
        {"Effect": "Allow", "Action": ["elasticfilesystem:ClientMount", "elasticfilesystem:ClientWrite"],
         "Resource": [f"{FS}{fs_id}"], "Condition": {"StringEquals": {"elasticfilesystem:AccessPointArn": arn}}}
        for arn in point_arns]
    app_group = rec.stack_outputs["app"]["securityGroupId"]
    mount_group = targets[0].inputs["securityGroups"][0]
    assert {t.inputs["securityGroups"][0] for t in targets} == {mount_group}
    assert inputs(rec, "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule", "app-to-media-nfs") == {
        "securityGroupId": mount_group, "referencedSecurityGroupId": app_group, "ipProtocol": "tcp",
        "fromPort": 2049, "toPort": 2049, "description": "NFS from app"}
    waits = rec.one("aws:ecs/service:Service").dependencies
    assert {t.urn for t in targets} <= set(waits)
    assert rec.one("aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule", "app-to-media-nfs").urn in waits


def test_provisioned_throughput(preview: Callable[[str], Recording]) -> None:
    rec = preview(config("{throughputMode: provisioned, provisionedThroughputInMibps: 64}"))
    assert inputs(rec, "aws:efs/fileSystem:FileSystem", "media-filesystem")["provisionedThroughputInMibps"] == 64
    assert rec.by_type("aws:efs/backupPolicy:BackupPolicy") == []


def test_located_errors(config_errors: Callable[[str], list[str]]) -> None:
    assert config_errors(config("{throughputMode: provisioned}", mounts=(
        "- {type: efs, properties: {efsFilesystemName: media, rootDirectory: uploads, mountPath: data}}\n"
        "- {type: efs, properties: {efsFilesystemName: media, rootDirectory: /a/b/c/d/e, mountPath: /x}}"))) == [
        "stacktape.yml:4:34: resources.media.properties.throughputMode: throughputMode 'provisioned' needs "
        "provisionedThroughputInMibps (hint: add provisionedThroughputInMibps (1-3414), or use throughputMode: "
        "elastic)",
        "stacktape.yml:14:81: resources.app.properties.containers[0].volumeMounts[0].properties.rootDirectory: "
        "rootDirectory 'uploads' is not a directory EFS accepts: '/' or one to four directories below it, at most "
        "100 characters, no '.' names or $#<>;`|&?{}^* characters (hint: e.g. /uploads or /app/media)",
        "stacktape.yml:14:101: resources.app.properties.containers[0].volumeMounts[0].properties.mountPath: "
        "mountPath 'data' must be an absolute path below '/' (hint: e.g. /data)",
        "stacktape.yml:15:81: resources.app.properties.containers[0].volumeMounts[1].properties.rootDirectory: "
        "rootDirectory '/a/b/c/d/e' is not a directory EFS accepts: '/' or one to four directories below it, at "
        "most 100 characters, no '.' names or $#<>;`|&?{}^* characters (hint: e.g. /uploads or /app/media)",
    ]
    assert config_errors(config(mounts=(
        "- {type: efs, properties: {efsFilesystemName: media, mountPath: /x}}\n"
        "- {type: efs, properties: {efsFilesystemName: queue, mountPath: /x/}}")) + "  queue: {type: sqs-queue}\n") == [
        "stacktape.yml:15:59: resources.app.properties.containers[0].volumeMounts[1].properties.efsFilesystemName: "
        "Referenced resource with name queue of type efs-filesystem could not be resolved in the config "
        "(referenced from app(multi-container-workload)). (hint: Referenced resource does not have the correct type "
        "(efs-filesystem); queue is of type sqs-queue)",
        "stacktape.yml:15:77: resources.app.properties.containers[0].volumeMounts[1].properties.mountPath: "
        "container 'web' mounts two volumes at '/x/' (hint: give each mount its own mountPath)",
    ]


FUNCTION = """
  fn:
    type: function
    properties:
      packaging: {{type: custom-artifact, properties: {{packagePath: h.py, handler: h.py:handler}}}}
      runtime: python3.12
      joinDefaultVpc: {vpc}
      volumeMounts:
{mounts}"""


def function_config(mounts: str, vpc: str = "true") -> str:
    indented = "".join(f"        {line}\n" for line in mounts.splitlines())
    return "resources:\n  media:\n    type: efs-filesystem\n" + FUNCTION.format(vpc=vpc, mounts=indented)


def test_a_function_mounts_through_an_access_point(preview: Callable[[str], Recording], tmp_path: Path) -> None:
    (tmp_path / "h.py").write_text("def handler(event, context):\n    return None\n")
    rec = preview(function_config(
        "- {type: efs, properties: {efsFilesystemName: media, rootDirectory: /models, mountPath: /mnt/models}}"))
    point = rec.one("aws:efs/accessPoint:AccessPoint", "fn-media-access-point-0")
    assert point.inputs["rootDirectory"] == {"path": "/models", "creationInfo": {
        "ownerUid": 0, "ownerGid": 0, "permissions": "777"}}
    function = rec.one("aws:lambda/function:Function")
    config = function.inputs["fileSystemConfig"]
    assert config["localMountPath"] == "/mnt/models"
    assert config["arn"].startswith("arn:aws:elasticfilesystem:us-east-1:123456789012:access-point/fsap-")
    fs_arn = rec.stack_outputs["media"]["arn"]
    assert json.loads(rec.one("aws:iam/rolePolicy:RolePolicy", "fn-efs-access").inputs["policy"])["Statement"] == [
        {"Effect": "Allow", "Action": ["elasticfilesystem:ClientMount", "elasticfilesystem:ClientWrite"],
         "Resource": [fs_arn], "Condition": {"StringEquals": {"elasticfilesystem:AccessPointArn": config["arn"]}}}]
    rule = rec.one("aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule", "fn-to-media-nfs")
    assert (rule.inputs["fromPort"], rule.inputs["toPort"], rule.inputs["referencedSecurityGroupId"]) == (
        2049, 2049, function.inputs["vpcConfig"]["securityGroupIds"][0])
    waits = set(function.dependencies)
    assert {t.urn for t in rec.by_type("aws:efs/mountTarget:MountTarget")} | {rule.urn} <= waits


def test_function_mount_errors(config_errors: Callable[[str], list[str]], tmp_path: Path) -> None:
    (tmp_path / "h.py").write_text("def handler(event, context):\n    return None\n")
    assert config_errors(function_config(
        "- {type: efs, properties: {efsFilesystemName: media, mountPath: /mnt/a}}\n"
        "- {type: s3files, properties: {accessPointArn: 'arn:aws:s3:::x', mountPath: /mnt/b}}")) == [
        "stacktape.yml:13:11: resources.fn.properties.volumeMounts[1]: a Lambda function mounts at most 1 file "
        "system; this one lists 2 (hint: mount one filesystem and use subdirectories of it)",
        "stacktape.yml:13:18: resources.fn.properties.volumeMounts[1].type: s3files volume mounts are not "
        "supported yet (hint: mount an efs-filesystem of the stack (type: efs))",
    ]
