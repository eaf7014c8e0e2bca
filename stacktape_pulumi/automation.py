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

import json
import os
import shutil
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from enum import Enum
from pathlib import Path
from typing import Any

from pulumi import automation as auto

from stacktape_pulumi.errors import ConfigError, StacktapeError
from stacktape_pulumi.load import LoadedConfig, LoadedScripts, load_config, load_scripts
from stacktape_pulumi.program import inline_program
from stacktape_pulumi.scripts.aws_values import parameter_reader, secret_reader
from stacktape_pulumi.scripts.environment import ScriptSources, StackOutputs
from stacktape_pulumi.scripts.hooks import ScriptSession

# The offline preview's project name when the config has no serviceName: both doors give the same names.
DEFAULT_PROJECT = "stacktape"
DEFAULT_STACK_INFO_DIR = ".stacktape-stack-info"
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
    def of(cls, loaded: "Target") -> "StackName":
        return cls(loaded.project_name or DEFAULT_PROJECT, loaded.stage)


# A validated config, or just its scripts and hooks (when beforeDeploy hooks must run before it validates).
Target = LoadedConfig | LoadedScripts


def select_stack(loaded: Target) -> auto.Stack:
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


def script_session(scripts: LoadedScripts, echo: OutputPrinter = print, *,
                   overrides: Mapping[str, str] | None = None, stack_outputs: StackOutputs | None = None,
                   ) -> ScriptSession:
    """Runs a config's scripts with the deployed stack's values (fetched through the CLI only when read)."""
    sources = ScriptSources(stack_outputs or (lambda: stack_values(select_stack(scripts))),
                            secret_reader(scripts.region), parameter_reader(scripts.region))
    return ScriptSession(scripts.section, scripts.resource_types, scripts.path.parent.resolve(), sources,
                         dict(os.environ), echo, dict(overrides or {}))


def stack_values(stack: auto.Stack) -> dict[str, Any]:
    """The stack's outputs with secret values in clear: what scripts read (never printed)."""
    return {key: value.value for key, value in stack.outputs().items()}


def up(loaded: LoadedConfig, on_output: OutputPrinter = print, *, hooks: bool = True,
       before_deploy_done: bool = False) -> dict[str, Any]:
    """`pulumi up`: create or update every resource, between the hooks; the stack outputs (secrets masked)."""
    return _up(select_stack(loaded), loaded, on_output, hooks=hooks, before_deploy_done=before_deploy_done)


def _up(stack: auto.Stack, loaded: LoadedConfig, on_output: OutputPrinter, *, hooks: bool,
        before_deploy_done: bool) -> dict[str, Any]:
    if hooks and not before_deploy_done:
        script_session(loaded.scripts, on_output, stack_outputs=lambda: stack_values(stack)).run_hook("beforeDeploy")
    result = stack.up(on_output=on_output)
    shown = _plain(result.outputs)
    save_stack_info(loaded, shown)
    if hooks:
        deployed = {key: value.value for key, value in result.outputs.items()}
        script_session(loaded.scripts, on_output, stack_outputs=lambda: deployed).run_hook("afterDeploy")
    return shown


def save_stack_info(loaded: LoadedConfig, outputs: Mapping[str, Any]) -> Path | None:
    """Write the deployed resources' params and custom outputs (secrets masked) to
    `<stackInfoDirectory>/<project>-<stage>.json` beside the config, as the reference does after a deploy;
    nothing with `stackConfig.disableStackInfoSaving`."""
    settings = loaded.config.stackConfig
    if settings is not None and settings.disableStackInfoSaving:
        return None
    directory = loaded.path.parent / ((settings.stackInfoDirectory if settings else None) or DEFAULT_STACK_INFO_DIR)
    name = StackName.of(loaded)
    target = directory / f"{name.project}-{name.stack}.json"
    directory.mkdir(parents=True, exist_ok=True)
    partial = target.with_suffix(".json.tmp")
    partial.write_text(json.dumps(outputs, indent=2, sort_keys=True, default=str) + "\n", encoding="utf-8")
    partial.replace(target)  # readers never see half a file
    return target


def up_config(path: str | Path, *, stage: str, region: str, cli_args: dict[str, str] | None = None,
              on_output: OutputPrinter = print) -> dict[str, Any]:
    """Validate a config file and `up` it. A config whose only issues are files it names that do not
    exist yet (a Lambda archive its beforeDeploy hook builds, say) gets those hooks run first, and is
    validated again."""
    try:
        loaded = load_config(path, stage=stage, region=region, cli_args=cli_args)
    except ConfigError as invalid:
        if not all(issue.names_an_unbuilt_file() for issue in invalid.issues):
            raise
        try:
            scripts = load_scripts(path, stage=stage, region=region, cli_args=cli_args)
        except ConfigError:
            raise invalid from None
        if scripts.section.hooks is None or not scripts.section.hooks.beforeDeploy:
            raise
        stack = select_stack(scripts)  # no hook runs unless Pulumi can
        script_session(scripts, on_output, stack_outputs=lambda: stack_values(stack)).run_hook("beforeDeploy")
        loaded = load_config(path, stage=stage, region=region, cli_args=cli_args)
        return _up(stack, loaded, on_output, hooks=True, before_deploy_done=True)
    return up(loaded, on_output)


def preview(loaded: LoadedConfig, on_output: OutputPrinter = print) -> dict[str, int]:
    """`pulumi preview` against the real backend and AWS: the change summary."""
    result = select_stack(loaded).preview(on_output=on_output)
    return {op.value if isinstance(op, Enum) else str(op): count for op, count in result.change_summary.items()}


def destroy(loaded: LoadedConfig, on_output: OutputPrinter = print, *, hooks: bool = True) -> None:
    """`pulumi destroy`: delete every resource of the stack, between the hooks."""
    stack = select_stack(loaded)
    if hooks:
        script_session(loaded.scripts, on_output, stack_outputs=lambda: stack_values(stack)).run_hook("beforeDelete")
    stack.destroy(on_output=on_output)
    if hooks:
        script_session(loaded.scripts, on_output, stack_outputs=lambda: {}).run_hook("afterDelete")


def outputs(loaded: LoadedConfig) -> dict[str, Any]:
    """The deployed stack's outputs (secrets masked)."""
    return _plain(select_stack(loaded).outputs())


def _plain(found: auto.OutputMap) -> dict[str, Any]:
    return {key: "[secret]" if value.secret else value.value for key, value in sorted(found.items())}
