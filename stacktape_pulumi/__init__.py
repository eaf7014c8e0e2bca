"""Stacktape-style YAML configs built as Pulumi components on AWS.

Public API: the components and their args, config loading, and the program helpers.
"""

from stacktape_pulumi.components.workload import MultiContainerWorkload
from stacktape_pulumi.context import StackContext, StackSettings, current_context, use_context
from stacktape_pulumi.errors import ConfigError, ConfigIssue, StacktapeError
from stacktape_pulumi.program import deploy, inline_program
from stacktape_pulumi.project import LoadedConfig, load_config

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
