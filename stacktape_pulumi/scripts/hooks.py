"""Run a script by name, or every script a lifecycle hook names, with the deployed stack's values."""

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from stacktape_pulumi.config.models.scripts import ScriptsSection
from stacktape_pulumi.scripts import ScriptError
from stacktape_pulumi.scripts.environment import ScriptSources, script_environment
from stacktape_pulumi.scripts.runner import Printer, run_script

# Variables CI services set (GitHub Actions, GitLab CI, CircleCI, Travis, Buildkite: CI; CodeBuild its own).
CI_VARIABLES = ("CI", "CODEBUILD_BUILD_ID")


def is_ci(env: Mapping[str, str]) -> bool:
    """Does this process run in CI? (`CI=false` or `CI=0` says it does not.)"""
    return any(env.get(name, "").strip().lower() not in ("", "false", "0") for name in CI_VARIABLES)


@dataclass
class ScriptSession:
    """What running a config's scripts needs: its scripts and hooks, the types of its resources (for
    `connectTo`), where it lives, where values come from and the caller's environment."""

    section: ScriptsSection
    resource_types: Mapping[str, str]
    config_dir: Path
    sources: ScriptSources
    base_env: Mapping[str, str]
    echo: Printer
    overrides: Mapping[str, str] = field(default_factory=dict)

    def run(self, name: str) -> None:
        """Run script `name`."""
        scripts = self.section.scripts or {}
        env = script_environment(scripts, self.resource_types, name, self.sources, self.base_env, self.overrides)
        run_script(name, scripts[name].properties, self.config_dir, env, self.echo)

    def run_hook(self, hook: str) -> None:
        """Run, in order, every script hook `hook` names, skipping those marked for the other kind of machine."""
        ci = is_ci(self.base_env)
        for entry in getattr(self.section.hooks, hook, None) or []:
            if (entry.skipOnCI and ci) or (entry.skipOnLocal and not ci):
                reason = "skipOnCI: this is CI" if ci else "skipOnLocal: this is not CI"
                self.echo(f"{hook} hook: skipping script '{entry.scriptName}' ({reason})")
                continue
            self.echo(f"{hook} hook: script '{entry.scriptName}'")
            try:
                self.run(entry.scriptName)
            except ScriptError as exc:
                raise ScriptError(f"{hook} hook failed: {exc}") from None

