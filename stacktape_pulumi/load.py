"""The whole load pipeline: YAML → local directives → models → checks → plan.

Every stage reports all of its located issues at once; nothing is built unless all pass.
"""

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from stacktape_pulumi.checks import run_checks
from stacktape_pulumi.config.loader import SourceMap, load_yaml_file
from stacktape_pulumi.config.models.root import StacktapeConfig
from stacktape_pulumi.config.validate import issues_from_validation
from stacktape_pulumi.directives.local import LocalContext, resolve_local
from stacktape_pulumi.errors import ConfigError
from stacktape_pulumi.plan import StackPlan, plan_stack

DEFAULT_STAGE = "dev"
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


def load_config(path: str | Path, *, stage: str = DEFAULT_STAGE, region: str = DEFAULT_REGION,
                cli_args: dict[str, str] | None = None) -> LoadedConfig:
    """Load and check a config file; raise `ConfigError` with every located issue found."""
    config_path = Path(path)
    loaded = load_yaml_file(config_path)
    source = loaded.source
    if not isinstance(loaded.data, dict):
        raise ConfigError([source.issue((), "the config must be a mapping with a 'resources' key")])
    raw = loaded.data
    variables = raw.get("variables") if isinstance(raw.get("variables"), dict) else {}
    local = LocalContext(stage=stage, region=region, config_dir=config_path.parent.resolve(),
                         variables=variables or {}, cli_args=dict(cli_args or {}), raw_config=raw)
    data = resolve_local(raw, source, local)
    try:
        config = StacktapeConfig.model_validate(data, context={"config_dir": config_path.parent.resolve()})
    except ValidationError as exc:
        raise ConfigError(issues_from_validation(exc, data, source, root=StacktapeConfig)) from None
    checked = run_checks(config, data, source)
    if checked.issues:
        raise ConfigError(checked.issues)
    plan = plan_stack(checked.expanded, checked.order)
    return LoadedConfig(config_path, config, data, source, plan, stage, region, dict(cli_args or {}))
