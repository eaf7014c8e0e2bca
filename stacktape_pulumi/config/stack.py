"""A config as the stack-wide checks see it: every service expanded, the types and owners of its resources.

`config.services` expands services; most stacks have none, and for them the checks take the config as
written (`as_written`) without importing the expansion and the gateway, load balancer and service
models it builds from.
"""

from dataclasses import dataclass
from typing import Any

from stacktape_pulumi.config.loader import SourceMap
from stacktape_pulumi.config.models.root import RESOURCE_MODELS, StacktapeConfig

# The service types are the resource types whose models live in `config.models.service`.
SERVICE_TYPES = frozenset(resource_type for resource_type, (module, _) in RESOURCE_MODELS.items()
                          if module == "service")


@dataclass(frozen=True)
class ExpandedStack:
    """A config with every service replaced by its workload and nested resources, for the stack-wide checks."""

    config: StacktapeConfig
    data: dict[str, Any]
    source: SourceMap
    # Every resource's type as written (a service keeps its own type), nested resources' types too.
    types: dict[str, str]
    # Nested resource name → the service it belongs to.
    owners: dict[str, str]


def has_services(config: StacktapeConfig) -> bool:
    """Whether `config` has a service to expand (`config.services.expand_stack`)."""
    return any(resource.type in SERVICE_TYPES for resource in config.resources.values())


def as_written(config: StacktapeConfig, data: dict[str, Any], source: SourceMap) -> ExpandedStack:
    """A stack without services: nothing to expand."""
    return ExpandedStack(config, data, source, {name: resource.type for name, resource in config.resources.items()},
                         {})
