"""The seam "packaging → image URI": how each container packaging type becomes an image reference.

`IMAGE_BUILDERS`: `fn(ctx, workload, container, target)` → the image reference for the task
definition (building and pushing it first where the type needs that). What `validate` checks
before building (files, options, external CLIs) is in `stacktape_pulumi.checks.packaging`, and the
types built are declared in `stacktape_pulumi.checks.support` (a test keeps it equal to this registry).
"""

from __future__ import annotations  # see stacktape_pulumi/components/__init__.py

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pulumi

from stacktape_pulumi.components.context import StackContext
from stacktape_pulumi.errors import StacktapeError


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
