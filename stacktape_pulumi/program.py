"""Entry points for real Pulumi programs (`pulumi up`, Automation API inline programs)."""

from collections.abc import Callable
from pathlib import Path

import pulumi

from stacktape_pulumi.checks.scripts import unrun_hooks_warning
from stacktape_pulumi.components.build import build_stack
from stacktape_pulumi.components.context import StackContext
from stacktape_pulumi.errors import ConfigError, StacktapeError
from stacktape_pulumi.load import DEFAULT_REGION, load_config


def deploy(config_path: str | Path, *, cli_args: dict[str, str] | None = None,
           hooks_run_here: bool = False, opts: pulumi.ResourceOptions | None = None) -> StackContext:
    """Build the stack described by a config file inside the running Pulumi program.

    The stage is the Pulumi stack name and the region the `aws:region` config value, so
    `$Stage()` and `$Region()` agree with where Pulumi deploys. Config errors stop the
    program with their located messages and no Python traceback. `opts` go to every component and
    the stack's shared parts (an explicit provider, protect …); `$Region()` stays the `aws:region`
    config value, so give a provider for another region with a stack whose config names that region.
    """
    region = pulumi.Config("aws").get("region") or DEFAULT_REGION
    try:
        loaded = load_config(config_path, stage=pulumi.get_stack(), region=region, cli_args=cli_args)
        if not hooks_run_here and (warning := unrun_hooks_warning(loaded.config.hooks)):
            pulumi.log.warn(warning)
        return build_stack(loaded.config, loaded.plan, stage=pulumi.get_stack(),
                           base_dir=loaded.path.parent.resolve(), opts=opts)
    except ConfigError as exc:
        raise pulumi.RunError(exc.render()) from None
    except StacktapeError as exc:
        raise pulumi.RunError(str(exc)) from None


def inline_program(config_path: str | Path, *, cli_args: dict[str, str] | None = None,
                   hooks_run_here: bool = False) -> Callable[[], None]:
    """A Pulumi Automation API inline program that deploys `config_path` (`hooks_run_here`: see `deploy`)."""
    path = Path(config_path).resolve()

    def program() -> None:
        deploy(path, cli_args=cli_args, hooks_run_here=hooks_run_here)

    return program
