"""Stacktape-style YAML configs built as Pulumi components on AWS.

Public API: the components and their args, config loading, and the program helpers.

The names are imported on first use (PEP 562), so `stacktape-pulumi --help` and the modules
that need neither Pulumi nor the AWS SDK (errors, the YAML loader) load without them.
"""

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from stacktape_pulumi.components.context import StackContext, current_context, use_context
    from stacktape_pulumi.components.workload import MultiContainerWorkload
    from stacktape_pulumi.errors import ConfigError, ConfigIssue, StacktapeError
    from stacktape_pulumi.load import LoadedConfig, load_config
    from stacktape_pulumi.plan import StackSettings
    from stacktape_pulumi.program import deploy, inline_program

_EXPORTS = {
    "ConfigError": "stacktape_pulumi.errors",
    "ConfigIssue": "stacktape_pulumi.errors",
    "LoadedConfig": "stacktape_pulumi.load",
    "MultiContainerWorkload": "stacktape_pulumi.components.workload",
    "StackContext": "stacktape_pulumi.components.context",
    "StackSettings": "stacktape_pulumi.plan",
    "StacktapeError": "stacktape_pulumi.errors",
    "current_context": "stacktape_pulumi.components.context",
    "deploy": "stacktape_pulumi.program",
    "inline_program": "stacktape_pulumi.program",
    "load_config": "stacktape_pulumi.load",
    "use_context": "stacktape_pulumi.components.context",
}

__all__ = [
    "ConfigError",
    "ConfigIssue",
    "LoadedConfig",
    "MultiContainerWorkload",
    "StackContext",
    "StackSettings",
    "StacktapeError",
    "current_context",
    "deploy",
    "inline_program",
    "load_config",
    "use_context",
]


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'stacktape_pulumi' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value  # later lookups skip this function
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})
