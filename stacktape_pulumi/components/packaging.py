"""The seam "packaging → image URI": how each container packaging type becomes an image reference.

Three registries, one per packaging type:
- `IMAGE_BUILDERS`: `fn(ctx, workload, container, target)` → the image reference for the task
  definition (building and pushing it first where the type needs that).
- `PREFLIGHTS`: checks `validate` runs for a type that has a builder (files that must exist,
  options not supported), so `validate` refuses what the build would.
- `REQUIRED_TOOLS`: external CLIs a type needs (`pack`, `nixpacks`); when one is missing,
  `validate` names it and how to install it.
"""

import shutil
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pulumi

from stacktape_pulumi.context import StackContext
from stacktape_pulumi.errors import StacktapeError

KeyPath = tuple[str | int, ...]


@dataclass(frozen=True)
class ImageTarget:
    """Where the image runs: the workload's CPU architecture, and the component that owns the build."""

    architecture: str | None = None  # "x86_64" (default) or "arm64"
    parent: pulumi.Resource | None = None

    @property
    def platform(self) -> str:
        """The Docker platform of the architecture: `linux/amd64` or `linux/arm64`."""
        return "linux/arm64" if self.architecture == "arm64" else "linux/amd64"


ImageBuilder = Callable[[StackContext, str, Any, ImageTarget], pulumi.Input[str]]

IMAGE_BUILDERS: dict[str, ImageBuilder] = {}


def image_builder(packaging_type: str) -> Callable[[ImageBuilder], ImageBuilder]:
    def register(fn: ImageBuilder) -> ImageBuilder:
        IMAGE_BUILDERS[packaging_type] = fn
        return fn

    return register


@dataclass(frozen=True)
class PackagingIssue:
    """A problem found before building, at a key path below the packaging's `properties`."""

    path: KeyPath
    message: str
    hint: str | None = None


# `fn(packaging properties as written, the config file's directory)`.
Preflight = Callable[[Mapping[str, Any], Path], list[PackagingIssue]]
PREFLIGHTS: dict[str, Preflight] = {}


def preflight(packaging_type: str) -> Callable[[Preflight], Preflight]:
    """Register the validate-time checks of a packaging type (run only while it has a builder)."""

    def register(fn: Preflight) -> Preflight:
        PREFLIGHTS[packaging_type] = fn
        return fn

    return register


@dataclass(frozen=True)
class ExternalTool:
    """A CLI a packaging type runs, and how to get it."""

    command: str
    install: str

    def missing(self) -> bool:
        return shutil.which(self.command) is None

    def message(self, packaging_type: str) -> str:
        return f"packaging type '{packaging_type}' needs the `{self.command}` CLI, which is not on PATH"


REQUIRED_TOOLS: dict[str, ExternalTool] = {}


def packaging_issues(packaging_type: str, properties: Mapping[str, Any], config_dir: Path,
                     ) -> list[PackagingIssue] | None:
    """What `validate` reports for one container's packaging, at paths below `packaging`.

    None when the type has no builder (the caller reports "not supported yet"), unless a
    tool it needs is missing: then that, which is what the user can act on.
    """
    tool = REQUIRED_TOOLS.get(packaging_type)
    if tool is not None and tool.missing():
        return [PackagingIssue(("type",), tool.message(packaging_type), tool.install)]
    if packaging_type not in IMAGE_BUILDERS:
        return None
    check = PREFLIGHTS.get(packaging_type)
    found = check(properties, config_dir) if check else []
    return [PackagingIssue(("properties", *issue.path), issue.message, issue.hint) for issue in found]


@image_builder("prebuilt-image")
def _prebuilt(ctx: StackContext, workload: str, container: Any, target: ImageTarget) -> pulumi.Input[str]:
    image: pulumi.Input[str] = ctx.resolver.resolve(container.packaging.properties.image)
    return image


def image_uri(ctx: StackContext, workload: str, container: Any, target: ImageTarget | None = None,
              ) -> pulumi.Input[str]:
    """The image of a container, built and pushed first where the packaging type needs it."""
    builder = IMAGE_BUILDERS.get(container.packaging.type)
    if builder is None:
        raise StacktapeError(
            f"MultiContainerWorkload '{workload}': container '{container.name}': packaging type "
            f"'{container.packaging.type}' is not supported yet; supported: {', '.join(sorted(IMAGE_BUILDERS))}")
    return builder(ctx, workload, container, target or ImageTarget())
