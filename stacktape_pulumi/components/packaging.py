"""The seam "packaging → image URI": the table of how each container packaging type becomes an image reference.

`IMAGE_BUILDERS`: `fn(ctx, workload, container, target)` → the image reference for the task
definition (building and pushing it first where the type needs that; the builders are in
`images`). What `validate` checks before building (files, options, external CLIs) is in
`stacktape_pulumi.checks.packaging`, and the types built are declared in
`stacktape_pulumi.checks.support` (a test keeps it equal to this table).
"""

from __future__ import annotations  # see stacktape_pulumi/components/__init__.py

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import pulumi

from stacktape_pulumi.components.context import StackContext
from stacktape_pulumi.components.images import (
    ImageTarget,
    custom_dockerfile_image,
    external_buildpack_image,
    planned_image,
)
from stacktape_pulumi.errors import StacktapeError

if TYPE_CHECKING:
    from stacktape_pulumi.checks.support import PackagingType

ImageBuilder = Callable[[StackContext, str, Any, ImageTarget], pulumi.Input[str]]


def prebuilt_image(ctx: StackContext, workload: str, container: Any, target: ImageTarget) -> pulumi.Input[str]:
    """The image as given (directives resolved): nothing to build."""
    image: pulumi.Input[str] = ctx.resolver.resolve(container.packaging.properties.image)
    return image


# Keyed by the one list of the packaging types this version builds (checks.support.PackagingType).
IMAGE_BUILDERS: dict[PackagingType, ImageBuilder] = {
    "prebuilt-image": prebuilt_image,
    # Plans needing only the properties: generated (buildpack) or written by a tool (nixpacks).
    "stacktape-image-buildpack": planned_image,
    "nixpacks": planned_image,
    "custom-dockerfile": custom_dockerfile_image,
    "external-buildpack": external_buildpack_image,
}


def image_uri(ctx: StackContext, workload: str, container: Any, target: ImageTarget | None = None,
              ) -> pulumi.Input[str]:
    """The image of a container, built and pushed first where the packaging type needs it."""
    builder = IMAGE_BUILDERS.get(container.packaging.type)
    if builder is None:
        raise StacktapeError(
            f"MultiContainerWorkload '{workload}': container '{container.name}': packaging type "
            f"'{container.packaging.type}' is not supported yet; supported: {', '.join(sorted(IMAGE_BUILDERS))}")
    return builder(ctx, workload, container, target or ImageTarget())
