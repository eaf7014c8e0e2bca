"""One `pulumi.ComponentResource` per resource type; importing this registers their YAML builders."""

from typing import Any

from stacktape_pulumi.components.workload import MultiContainerWorkload
from stacktape_pulumi.context import StackContext
from stacktape_pulumi.stack import component_builder


@component_builder("multi-container-workload")
def _build_workload(name: str, resource: Any, ctx: StackContext) -> MultiContainerWorkload:
    return MultiContainerWorkload(name, resource.properties, context=ctx)


__all__ = ["MultiContainerWorkload"]
