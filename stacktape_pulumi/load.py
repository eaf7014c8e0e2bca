"""The whole load pipeline: YAML → local directives → models → checks → plan.

Every stage reports all of its located issues at once; nothing is built unless all pass.
"""

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from stacktape_pulumi.checks import run_checks
from stacktape_pulumi.checks.scripts import script_issues
from stacktape_pulumi.config.loader import SourceMap, load_yaml_file
from stacktape_pulumi.config.models.root import StacktapeConfig
from stacktape_pulumi.config.models.scripts import ScriptsSection
from stacktape_pulumi.config.validate import issues_from_validation
from stacktape_pulumi.directives.custom import parse_definitions
from stacktape_pulumi.directives.local import LocalContext, resolve_local
from stacktape_pulumi.directives.registry import BUILTINS
from stacktape_pulumi.errors import ConfigError
from stacktape_pulumi.plan import StackPlan, plan_stack

DEFAULT_STAGE = "dev"
DIRECTIVES_KEY = "directives"
DEFAULT_REGION = "us-east-1"


@dataclass
class LoadedConfig:
    """A config that passed every check, with its stack plan (creation order, derived values)."""

    path: Path
    config: StacktapeConfig
    data: dict[str, Any]
    source: SourceMap
    plan: StackPlan
    stage: str
    region: str
    cli_args: dict[str, str] = field(default_factory=dict)

    @property
    def order(self) -> list[str]:
        """The resources in creation order."""
        return list(self.plan.order)

    @property
    def project_name(self) -> str | None:
        """The config's `serviceName`, the Pulumi project name when set."""
        return self.config.serviceName

    @property
    def scripts(self) -> "LoadedScripts":
        """The config's scripts and hooks (checked with the rest)."""
        section = ScriptsSection(scripts=self.config.scripts, hooks=self.config.hooks)
        types = {name: str(resource.type) for name, resource in self.config.resources.items()}
        return LoadedScripts(self.path, section, types, self.project_name, self.stage, self.region,
                             dict(self.cli_args))


@dataclass
class LoadedScripts:
    """A config's scripts and hooks, checked, with what running them needs (the rest may not validate yet)."""

    path: Path
    section: ScriptsSection
    resource_types: dict[str, str]
    project_name: str | None
    stage: str
    region: str
    cli_args: dict[str, str] = field(default_factory=dict)


def _read(config_path: Path, stage: str, region: str, cli_args: dict[str, str] | None,
          ) -> tuple[dict[str, Any], SourceMap]:
    """YAML with positions, local directives resolved."""
    loaded = load_yaml_file(config_path)
    source = loaded.source
    if not isinstance(loaded.data, dict):
        raise ConfigError([source.issue((), "the config must be a mapping with a 'resources' key")])
    raw = loaded.data
    config_dir = config_path.parent.resolve()
    # Custom directives are needed to resolve the rest, so their section is checked first.
    custom, problems = parse_definitions(raw.get(DIRECTIVES_KEY), config_dir, tuple(BUILTINS))
    if problems:
        raise ConfigError([source.issue((DIRECTIVES_KEY, *problem.path), problem.message, problem.hint)
                           for problem in problems])
    variables = raw.get("variables") if isinstance(raw.get("variables"), dict) else {}
    local = LocalContext(stage=stage, region=region, config_dir=config_dir, variables=variables or {},
                         cli_args=dict(cli_args or {}), raw_config=raw,
                         custom=custom if DIRECTIVES_KEY in raw else None)
    return resolve_local(raw, source, local), source


def load_scripts(path: str | Path, *, stage: str = DEFAULT_STAGE, region: str = DEFAULT_REGION,
                 cli_args: dict[str, str] | None = None) -> LoadedScripts:
    """Load and check only the `scripts` and `hooks` of a config file; raise `ConfigError` for their issues."""
    config_path = Path(path)
    data, source = _read(config_path, stage, region, cli_args)
    try:
        section = ScriptsSection.model_validate(data)
    except ValidationError as exc:
        raise ConfigError(issues_from_validation(exc, data, source, root=ScriptsSection)) from None
    issues = script_issues(section, data, source)
    if issues:
        raise ConfigError(issues)
    resources = data.get("resources") if isinstance(data.get("resources"), dict) else {}
    types = {str(name): str(resource.get("type")) for name, resource in (resources or {}).items()
             if isinstance(resource, dict)}
    project = data.get("serviceName")
    return LoadedScripts(config_path, section, types, project if isinstance(project, str) else None, stage, region,
                         dict(cli_args or {}))


def load_config(path: str | Path, *, stage: str = DEFAULT_STAGE, region: str = DEFAULT_REGION,
                cli_args: dict[str, str] | None = None) -> LoadedConfig:
    """Load and check a config file; raise `ConfigError` with every located issue found."""
    config_path = Path(path)
    data, source = _read(config_path, stage, region, cli_args)
    try:
        config = StacktapeConfig.model_validate(data, context={"config_dir": config_path.parent.resolve()})
    except ValidationError as exc:
        raise ConfigError(issues_from_validation(exc, data, source, root=StacktapeConfig)) from None
    checked = run_checks(config, data, source)
    if checked.issues:
        raise ConfigError(checked.issues)
    plan = plan_stack(checked.expanded, checked.order, checked.build_order)
    return LoadedConfig(config_path, config, data, source, plan, stage, region, dict(cli_args or {}))
