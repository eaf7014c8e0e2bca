"""`volumeMounts` of workload containers (and so of services): what ECS would refuse when mounting.

That each mount names an `efs-filesystem` of the stack is the reference graph's rule
(`cross_resource`); a name written as a directive cannot be checked or built, so it is refused.
"""

from typing import Any

from stacktape_pulumi.errors import Problem


def container_volume_mount_problems(name: str, props: Any) -> list[Problem]:
    """Every container of a `multi-container-workload` (its `properties`): one volume per path, stack filesystems."""
    del name  # the checks table's signature
    problems: list[Problem] = []
    for index, container in enumerate(props.containers if props is not None else []):
        seen: set[str] = set()
        for mount_index, mount in enumerate(container.volumeMounts or []):
            where = ("containers", index, "volumeMounts", mount_index, "properties")
            path = mount.properties.mountPath.rstrip("/")
            if path in seen:
                problems.append(Problem((*where, "mountPath"), f"container '{container.name}' mounts two volumes at "
                                        f"'{mount.properties.mountPath}'", hint="give each mount its own mountPath"))
            seen.add(path)
            if mount.properties.efsFilesystemName.startswith("$"):
                problems.append(Problem((*where, "efsFilesystemName"), "efsFilesystemName must name an "
                                        "efs-filesystem resource of the stack, not a directive",
                                        hint="declare the filesystem as a resource of type efs-filesystem"))
    return problems
