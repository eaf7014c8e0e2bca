"""Container rules of ECS's RegisterTaskDefinition that validate checks before anything deploys.

The workload model already rejects duplicate container names and `dependsOn` entries naming
a missing container or the container itself; these checks cover what ECS rejects beyond that:
a task without an essential container, container names outside ECS's alphabet, `dependsOn`
cycles, conditions the dependency cannot meet (COMPLETE/SUCCESS on an essential container,
HEALTHY without a health check), health check commands not starting with CMD or CMD-SHELL,
and prebuilt image references that are not Docker references. Each issue is located at the
key at fault.
"""

import re

from stacktape_pulumi.config.loader import SourceMap
from stacktape_pulumi.config.models.shared import is_directive
from stacktape_pulumi.config.models.workload import (
    WORKLOAD_TYPE,
    Container,
    MultiContainerWorkloadProps,
    PrebuiltImagePackaging,
)
from stacktape_pulumi.errors import ConfigIssue, KeyPath

# ECS container names: "Up to 255 letters (uppercase and lowercase), numbers, underscores, and hyphens".
CONTAINER_NAME = re.compile(r"[A-Za-z0-9_-]{1,255}")
CONTAINER_NAME_RULE = "1-255 letters (A-Z, a-z), numbers, hyphens (-) and underscores (_)"

# The first element of an ECS health check command.
HEALTH_CHECK_PREFIXES = ("CMD", "CMD-SHELL")

# The Docker reference grammar (github.com/distribution/reference, regexp.go):
#   reference := name [ ":" tag ] [ "@" digest ];  name := [domain "/"] path-component ["/" path-component]*
_ALPHANUMERIC = r"[a-z0-9]+"
_SEPARATOR = r"(?:[._]|__|-+)"
_PATH_COMPONENT = rf"{_ALPHANUMERIC}(?:{_SEPARATOR}{_ALPHANUMERIC})*"
_DOMAIN_COMPONENT = r"(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])"
_HOST = rf"(?:{_DOMAIN_COMPONENT}(?:\.{_DOMAIN_COMPONENT})*|\[[a-fA-F0-9:]+\])"
_DOMAIN = rf"{_HOST}(?::[0-9]+)?"
_NAME = rf"(?:{_DOMAIN}/)?{_PATH_COMPONENT}(?:/{_PATH_COMPONENT})*"
_TAG = r"[\w][\w.-]{0,127}"
_DIGEST = r"[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}"
IMAGE_REFERENCE = re.compile(rf"(?P<name>{_NAME})(?::(?P<tag>{_TAG}))?(?:@(?P<digest>{_DIGEST}))?", re.ASCII)
# Docker's limit on the name (registry host and repository path) of a reference.
IMAGE_NAME_MAX_LENGTH = 255
# A fixed Amazon ECS quota ("Containers per task definition", Amazon ECS service quotas page of the
# ECS developer guide; it cannot be raised).
MAX_CONTAINERS_PER_TASK = 10
IMAGE_RULE = (
    "A reference is [registry-host[:port]/]repository[:tag][@digest]: a repository of lower-case "
    "components (letters, digits, separated by '.', '_', '__' or '-') joined by '/', at most "
    f"{IMAGE_NAME_MAX_LENGTH} characters with the host; a tag of 1-128 letters, digits, '_', '.' and '-' "
    "not starting with '.' or '-'; a digest like sha256:<hex>; no whitespace."
)
IMAGE_EXAMPLES = ("e.g. nginx:1.27, public.ecr.aws/docker/library/busybox:1.36 or "
                  "registry.example.com:5000/team/api@sha256:<hex>")


def check_containers(owner: str, props: MultiContainerWorkloadProps, base: KeyPath,
                     source: SourceMap) -> list[ConfigIssue]:
    """Every container problem ECS would reject in workload `owner` (properties at `base`), located."""
    return _ContainerChecker(owner, props, base, source).run()


def is_image_reference(image: str) -> bool:
    """Whether `image` is a Docker image reference (the name at most 255 characters)."""
    match = IMAGE_REFERENCE.fullmatch(image)
    return match is not None and len(match["name"]) <= IMAGE_NAME_MAX_LENGTH


class _ContainerChecker:
    def __init__(self, owner: str, props: MultiContainerWorkloadProps, base: KeyPath, source: SourceMap) -> None:
        self.owner = owner
        self.containers = props.containers
        self.base = base
        self.source = source
        self.where = f"Error in {WORKLOAD_TYPE} {owner}:"
        self.by_name: dict[str, Container] = {}
        for container in self.containers:
            self.by_name.setdefault(container.name, container)
        self.issues: list[ConfigIssue] = []

    def run(self) -> list[ConfigIssue]:
        self._count()
        self._essential()
        for index, container in enumerate(self.containers):
            self._name(index, container)
            self._conditions(index, container)
            self._health_check_command(index, container)
            self._image(index, container)
        self._cycles()
        return self.issues

    def _path(self, index: int, *rest: str | int) -> KeyPath:
        return (*self.base, "containers", index, *rest)

    def _add(self, path: KeyPath, message: str, hint: str) -> None:
        self.issues.append(self.source.issue(path, message, hint))

    def _count(self) -> None:
        if len(self.containers) <= MAX_CONTAINERS_PER_TASK:
            return
        self._add(self._path(MAX_CONTAINERS_PER_TASK, "name"),
                  f"{self.where} {len(self.containers)} containers; an ECS task definition holds at most "
                  f"{MAX_CONTAINERS_PER_TASK} (Amazon ECS service quota \"Containers per task definition\").",
                  "move some containers into another workload; they can reach each other through Service "
                  "Connect")

    def _essential(self) -> None:
        if any(container.essential for container in self.containers):
            return
        first = self.containers[0].name
        self._add(self._path(0, "essential"),
                  f"{self.where} no container is essential. ECS requires at least one essential container in "
                  "a task definition (essential defaults to true; every container here sets essential: false).",
                  f"remove essential: false from the main container, e.g. \"{first}\"")

    def _name(self, index: int, container: Container) -> None:
        name = container.name
        if CONTAINER_NAME.fullmatch(name):
            return
        suggestion = re.sub(r"[^A-Za-z0-9_-]+", "-", name).strip("-")[:255] or "app"
        hint = f"rename the container, e.g. \"{suggestion}\""
        if any(dep.containerName == name for other in self.containers for dep in other.dependsOn or []):
            hint += ", and the dependsOn entries naming it"
        self._add(self._path(index, "name"),
                  f"{self.where} container name \"{name}\" is not allowed. ECS container names are "
                  f"{CONTAINER_NAME_RULE}.",
                  hint)

    def _conditions(self, index: int, container: Container) -> None:
        """The dependency can reach the condition: COMPLETE/SUCCESS need non-essential, HEALTHY a health check."""
        for dep_index, dependency in enumerate(container.dependsOn or []):
            target = self.by_name.get(dependency.containerName)
            if target is None or target is container:
                continue  # the model reports missing containers and self-dependencies
            condition = dependency.condition
            allowed = ["START", *(["COMPLETE", "SUCCESS"] if not target.essential else []),
                       *(["HEALTHY"] if target.internalHealthCheck is not None else [])]
            if condition in allowed:
                continue
            intro = (f"{self.where} container \"{container.name}\" depends on \"{target.name}\" with condition "
                     f"{condition}, but \"{target.name}\"")
            if condition == "HEALTHY":
                message = (f"{intro} has no internalHealthCheck. ECS allows condition HEALTHY only on a "
                           "container with a health check")
                hint = f"add internalHealthCheck to \"{target.name}\", or use condition {_one_of(allowed)}"
            else:
                message = (f"{intro} is essential. ECS allows conditions COMPLETE and SUCCESS only on a "
                           "non-essential container")
                hint = (f"set essential: false on \"{target.name}\" if it runs to completion, or use condition "
                        f"{_one_of(allowed)}")
            self._add(self._path(index, "dependsOn", dep_index, "condition"),
                      f"{message}; allowed conditions on \"{target.name}\": {', '.join(allowed)}.", hint)

    def _health_check_command(self, index: int, container: Container) -> None:
        check = container.internalHealthCheck
        if check is None:
            return
        command = check.healthCheckCommand
        first = command[0]
        if first in HEALTH_CHECK_PREFIXES or is_directive(first):
            return
        if first.upper() in HEALTH_CHECK_PREFIXES:
            hint = f"write {first.upper()} in upper case"
        else:
            import json  # for this hint only: the validate of a config without the mistake skips it

            shell = json.dumps(["CMD-SHELL", " ".join(command)])
            hint = (f"put CMD-SHELL first to run the command in the container's shell: {shell}, or CMD to run "
                    "the executable directly")
        self._add(self._path(index, "internalHealthCheck", "healthCheckCommand", 0),
                  f"{self.where} healthCheckCommand of container \"{container.name}\" starts with \"{first}\". "
                  "ECS requires the first element to be CMD (run the rest directly) or CMD-SHELL (run it with "
                  "the container's shell).",
                  hint)

    def _image(self, index: int, container: Container) -> None:
        packaging = container.packaging
        if not isinstance(packaging, PrebuiltImagePackaging):
            return
        image = packaging.properties.image
        # An Output (from Python) is checked by the component's args validation once its value is known.
        if not isinstance(image, str) or image.startswith("$") or is_image_reference(image):
            return
        self._add(self._path(index, "packaging", "properties", "image"),
                  f"{self.where} image \"{image}\" of container \"{container.name}\" is not a valid Docker image "
                  f"reference. {IMAGE_RULE}",
                  _image_hint(image))

    def _cycles(self) -> None:
        """Each `dependsOn` cycle once, from the container written first, at its first entry of the cycle."""
        position = {container.name: index for index, container in reversed(list(enumerate(self.containers)))}
        edges: dict[int, list[tuple[int, int]]] = {}
        for index, container in enumerate(self.containers):
            edges[index] = [(position[dep.containerName], dep_index)
                            for dep_index, dep in enumerate(container.dependsOn or [])
                            if dep.containerName in position and position[dep.containerName] != index]
        state: dict[int, int] = {}  # 1 on the DFS stack, 2 done
        stack: list[int] = []
        found: set[frozenset[tuple[int, int]]] = set()

        def visit(node: int) -> None:
            state[node] = 1
            stack.append(node)
            for target, _ in edges[node]:
                if state.get(target) == 1:
                    self._cycle(stack[stack.index(target):], edges, found)
                elif target not in state:
                    visit(target)
            stack.pop()
            state[node] = 2

        for start in edges:
            if start not in state:
                visit(start)

    def _cycle(self, members: list[int], edges: dict[int, list[tuple[int, int]]],
               found: set[frozenset[tuple[int, int]]]) -> None:
        start = members.index(min(members))
        cycle = members[start:] + members[:start]
        steps = list(zip(cycle, [*cycle[1:], cycle[0]], strict=True))
        key = frozenset(steps)
        if key in found:
            return
        found.add(key)
        first, second = steps[0]
        dep_index = next(dep_index for target, dep_index in edges[first] if target == second)
        names = [self.containers[index].name for index in [*cycle, cycle[0]]]
        self._add(self._path(first, "dependsOn", dep_index, "containerName"),
                  f"{self.where} container dependency cycle {' → '.join(names)}. ECS starts a container only "
                  "after the containers it dependsOn, so dependsOn entries must not form a cycle.",
                  "remove or change one dependsOn entry of the cycle")


def _image_hint(image: str) -> str:
    """What is most likely wrong with an image reference that does not parse."""
    if image.strip() != image and is_image_reference(image.strip()):
        return f"remove the surrounding whitespace: \"{image.strip()}\""
    if any(char.isspace() for char in image):
        return f"an image reference contains no whitespace ({IMAGE_EXAMPLES})"
    lowered = _lower_repository(image)
    if lowered != image and is_image_reference(lowered):
        return f"repository names are lower case: \"{lowered}\""
    match = IMAGE_REFERENCE.fullmatch(image)
    if match is not None:
        return (f"the name (registry host and repository) is {len(match['name'])} characters; Docker allows "
                f"at most {IMAGE_NAME_MAX_LENGTH}")
    return IMAGE_EXAMPLES


def _lower_repository(image: str) -> str:
    """`image` with its name (not its tag or digest) in lower case."""
    name, at, digest = image.partition("@")
    slash = name.rfind("/")
    colon = name.find(":", slash + 1)
    if colon < 0:
        return name.lower() + at + digest
    return name[:colon].lower() + name[colon:] + at + digest


def _one_of(values: list[str]) -> str:
    """`A`, `A or B`, `A, B or C`."""
    return values[0] if len(values) == 1 else f"{', '.join(values[:-1])} or {values[-1]}"
