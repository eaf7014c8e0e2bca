"""`stacktape-pulumi up | destroy | outputs | preview --live`: a config deployed through the Pulumi Automation API.

The config is validated first (the same checks as `validate`), so a mistake is reported as
FILE:LINE:COL before Pulumi starts. The stack is named from the config: Pulumi project
`serviceName` (default `stacktape`, as the offline preview) and Pulumi stack = stage, with
`aws:region` set from `--region`. The program is the same one `pulumi up` runs on a YAML config
(`program.inline_program`). These commands need the Pulumi CLI and, except `outputs`, AWS
credentials; without the CLI they stop with one line saying how to install it.

`up` runs the config's `beforeDeploy` hooks before Pulumi starts and its `afterDeploy` hooks after
a successful update; `destroy` runs `beforeDelete` and `afterDelete` likewise (`hooks=False`
skips them). `script_session` runs any script with the deployed stack's values.
"""

import os
import shutil
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from enum import Enum
from typing import Any

from pulumi import automation as auto

from stacktape_pulumi.errors import StacktapeError
from stacktape_pulumi.load import LoadedConfig
from stacktape_pulumi.program import inline_program
from stacktape_pulumi.scripts.aws_values import parameter_reader, secret_reader
from stacktape_pulumi.scripts.environment import ScriptSources, StackOutputs
from stacktape_pulumi.scripts.hooks import ScriptSession

# The offline preview's project name when the config has no serviceName: both doors give the same names.
DEFAULT_PROJECT = "stacktape"
CLI_MISSING = ("the Pulumi CLI is not installed (no 'pulumi' on PATH): install it from "
               "https://www.pulumi.com/docs/iac/download-install/ or with "
               "python -c 'from pulumi.automation import PulumiCommand; PulumiCommand.install()'")


class PulumiCliMissing(StacktapeError):
    """The Automation API drives the Pulumi CLI, which is not on PATH."""

    def __init__(self) -> None:
        super().__init__(CLI_MISSING)


@dataclass(frozen=True)
class StackName:
    project: str
    stack: str

    @classmethod
    def of(cls, loaded: LoadedConfig) -> "StackName":
        return cls(loaded.config.serviceName or DEFAULT_PROJECT, loaded.stage)


def select_stack(loaded: LoadedConfig) -> auto.Stack:
    """Create or select the config's stack (in the backend the CLI is logged in to), with its region set."""
    if shutil.which("pulumi") is None:
        raise PulumiCliMissing()
    name = StackName.of(loaded)
    try:
        stack = auto.create_or_select_stack(stack_name=name.stack, project_name=name.project,
                                            program=inline_program(loaded.path, cli_args=loaded.cli_args,
                                                                   hooks_run_here=True))
    except FileNotFoundError:  # the CLI went away between the check and the call
        raise PulumiCliMissing() from None
    stack.set_config("aws:region", auto.ConfigValue(value=loaded.region))
    return stack


OutputPrinter = Callable[[str], Any]


def script_session(loaded: LoadedConfig, echo: OutputPrinter = print, *, overrides: Mapping[str, str] | None = None,
                   stack_outputs: StackOutputs | None = None) -> ScriptSession:
    """Runs the config's scripts with the deployed stack's values (fetched through the CLI only when read)."""
    sources = ScriptSources(stack_outputs or (lambda: stack_values(select_stack(loaded))),
                            secret_reader(loaded.region), parameter_reader(loaded.region))
    return ScriptSession(loaded.config, loaded.path.parent.resolve(), sources, dict(os.environ), echo,
                         dict(overrides or {}))


def stack_values(stack: auto.Stack) -> dict[str, Any]:
    """The stack's outputs with secret values in clear: what scripts read (never printed)."""
    return {key: value.value for key, value in stack.outputs().items()}


def up(loaded: LoadedConfig, on_output: OutputPrinter = print, *, hooks: bool = True) -> dict[str, Any]:
    """`pulumi up`: create or update every resource, between the hooks; the stack outputs (secrets masked)."""
    stack = select_stack(loaded)
    if hooks:
        script_session(loaded, on_output, stack_outputs=lambda: stack_values(stack)).run_hook("beforeDeploy")
    result = stack.up(on_output=on_output)
    if hooks:
        deployed = {key: value.value for key, value in result.outputs.items()}
        script_session(loaded, on_output, stack_outputs=lambda: deployed).run_hook("afterDeploy")
    return _plain(result.outputs)


def preview(loaded: LoadedConfig, on_output: OutputPrinter = print) -> dict[str, int]:
    """`pulumi preview` against the real backend and AWS: the change summary."""
    result = select_stack(loaded).preview(on_output=on_output)
    return {op.value if isinstance(op, Enum) else str(op): count for op, count in result.change_summary.items()}


def destroy(loaded: LoadedConfig, on_output: OutputPrinter = print, *, hooks: bool = True) -> None:
    """`pulumi destroy`: delete every resource of the stack, between the hooks."""
    stack = select_stack(loaded)
    if hooks:
        script_session(loaded, on_output, stack_outputs=lambda: stack_values(stack)).run_hook("beforeDelete")
    stack.destroy(on_output=on_output)
    if hooks:
        script_session(loaded, on_output, stack_outputs=lambda: {}).run_hook("afterDelete")


def outputs(loaded: LoadedConfig) -> dict[str, Any]:
    """The deployed stack's outputs (secrets masked)."""
    return _plain(select_stack(loaded).outputs())


def _plain(found: auto.OutputMap) -> dict[str, Any]:
    return {key: "[secret]" if value.secret else value.value for key, value in sorted(found.items())}
