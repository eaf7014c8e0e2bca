"""The seam "packaging → image URI": how each container packaging type becomes an image reference."""

from collections.abc import Callable
from typing import Any

import pulumi

from stacktape_pulumi.context import StackContext
from stacktape_pulumi.errors import StacktapeError

ImageBuilder = Callable[[StackContext, str, Any], pulumi.Input[str]]

IMAGE_BUILDERS: dict[str, ImageBuilder] = {}


def image_builder(packaging_type: str) -> Callable[[ImageBuilder], ImageBuilder]:
    def register(fn: ImageBuilder) -> ImageBuilder:
        IMAGE_BUILDERS[packaging_type] = fn
        return fn

    return register


@image_builder("prebuilt-image")
def _prebuilt(ctx: StackContext, workload: str, container: Any) -> pulumi.Input[str]:
    image: pulumi.Input[str] = ctx.resolver.resolve(container.packaging.properties.image)
    return image


def image_uri(ctx: StackContext, workload: str, container: Any) -> pulumi.Input[str]:
    """The image of a container, built and pushed first where the packaging type needs it."""
    builder = IMAGE_BUILDERS.get(container.packaging.type)
    if builder is None:
        raise StacktapeError(
            f"MultiContainerWorkload '{workload}': container '{container.name}': packaging type "
            f"'{container.packaging.type}' is not supported yet; supported: {', '.join(sorted(IMAGE_BUILDERS))}")
    return builder(ctx, workload, container)
