"""The whole load pipeline: YAML → local directives → models → checks → plan (references, creation order).

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
from stacktape_pulumi.errors import ConfigError, ConfigIssue
from stacktape_pulumi.plan import check_references, creation_order, find_references

DEFAULT_STAGE = "dev"
DEFAULT_REGION = "us-east-1"


@dataclass
class LoadedConfig:
    """A config that passed every check, with the order its resources are created in."""

    path: Path
    config: StacktapeConfig
    data: dict[str, Any]
    source: SourceMap
    order: list[str]
    stage: str
    region: str
    cli_args: dict[str, str] = field(default_factory=dict)


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
    issues = run_checks(config, data, source)
    resources = data.get("resources") or {}
    refs, directive_issues = find_references(resources, source)
    issues += directive_issues
    issues += [i for i in check_references(refs, resources, source) if not _duplicate(i, issues)]
    if issues:
        raise ConfigError(issues)
    order, cycle = creation_order(list(resources), refs, source)
    if cycle:
        raise ConfigError(cycle)
    return LoadedConfig(config_path, config, data, source, order, stage, region, dict(cli_args or {}))


def _duplicate(issue: ConfigIssue, issues: list[ConfigIssue]) -> bool:
    return any(i.file == issue.file and i.line == issue.line and i.col == issue.col for i in issues)
