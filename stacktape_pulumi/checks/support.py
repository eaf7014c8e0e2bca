"""What this version builds, and "not supported yet" for the rest, where `validate` reads it without the components.

The types below are the one list of the container packaging types and workload event types
this version builds; the components' dispatch tables (`components.packaging.IMAGE_BUILDERS`,
`components.workload_events.EVENT_HANDLERS`) are keyed by them, and tests/test_checks_support.py
checks that they cover every one. The
resource types are the config model's `SUPPORTED_RESOURCE_TYPES`, derived from its union: every
type the model accepts has a component. Pure: importing the components would pull in the AWS
SDK's resource classes, seconds of work `validate` does not need.
"""

from typing import Any, Literal, get_args

from stacktape_pulumi.config.loader import SourceMap
from stacktape_pulumi.config.models.root import SUPPORTED_RESOURCE_TYPES
from stacktape_pulumi.config.models.workload import WORKLOAD_TYPE
from stacktape_pulumi.errors import ConfigIssue

PackagingType = Literal[
    "prebuilt-image",
    "custom-dockerfile",
    "stacktape-image-buildpack",
    "nixpacks",
    "external-buildpack",
]
"""A container packaging type with an image builder (a type for the builders' registry keys)."""
PACKAGING_TYPES: tuple[PackagingType, ...] = get_args(PackagingType)

WorkloadEventType = Literal[
    "workload-internal",
    "http-api-gateway",
    "application-load-balancer",
    "service-connect",
    "network-load-balancer",
]
"""A container event type of multi-container workloads with a handler (the event handlers' registry keys)."""
WORKLOAD_EVENT_TYPES: tuple[WorkloadEventType, ...] = get_args(WorkloadEventType)


def _not_supported(what: str, value: Any, supported: tuple[str, ...]) -> str:
    return f"{what} '{value}' is not supported yet; supported: {', '.join(sorted(supported))}"


def unsupported_resource_types(data: dict[str, Any], source: SourceMap) -> list[ConfigIssue]:
    """Resources of a type the reference knows and this version does not build."""
    return [source.issue(("resources", name, "type"),
                         _not_supported("resource type", resource.get("type"), SUPPORTED_RESOURCE_TYPES))
            for name, resource in (data.get("resources") or {}).items()
            if resource.get("type") not in SUPPORTED_RESOURCE_TYPES]


def unsupported_event_types(data: dict[str, Any], source: SourceMap) -> list[ConfigIssue]:
    """Container events of a type no workload event handler builds."""
    issues: list[ConfigIssue] = []
    for name, resource in (data.get("resources") or {}).items():
        if resource.get("type") != WORKLOAD_TYPE:
            continue
        for ci, container in enumerate((resource.get("properties") or {}).get("containers") or []):
            for ei, event in enumerate(container.get("events") or []):
                etype = event.get("type")
                if etype not in WORKLOAD_EVENT_TYPES:
                    issues.append(source.issue(
                        ("resources", name, "properties", "containers", ci, "events", ei, "type"),
                        _not_supported("event type", etype, WORKLOAD_EVENT_TYPES)))
    return issues
