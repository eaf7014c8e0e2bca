"""`volumeMounts` of workload containers (and so of services): refused, as the function's are.

Nothing builds EFS volumes yet: with an `efs-filesystem` resource named, the reference check
already fails (that type is not supported), but an `efsFilesystemName` written as a directive
(`$StackOutput(...)`) passed `validate` and the task ran without its volume. Found by
tests/test_no_ignored_keys.py.
"""

from typing import Any

from stacktape_pulumi.errors import Problem


def container_volume_mount_problems(name: str, props: Any) -> list[Problem]:
    """Every container of a `multi-container-workload` (its `properties`) that asks for volumes."""
    del name  # the checks table's signature
    return [Problem(("containers", index, "volumeMounts"), "volumeMounts are not supported yet", at_key=True,
                    hint="mount EFS with pulumi_aws.efs and a task definition of your own, or remove volumeMounts")
            for index, container in enumerate(props.containers if props is not None else [])
            if container.volumeMounts]
