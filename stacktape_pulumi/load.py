"""The whole load pipeline: YAML → local directives → models → cross-resource checks → creation order.

Every stage reports all of its located issues at once; nothing is built unless all pass.
"""

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from stacktape_pulumi.aws.instances import (
    MemoryTooLarge,
    instance_spec,
    looks_like_instance_type,
    smallest_instance,
    task_memory,
)
from stacktape_pulumi.checks.cross_resource import check_function_packaging, check_stack
from stacktape_pulumi.checks.packaging import packaging_issues
from stacktape_pulumi.checks.registry import build_problems
from stacktape_pulumi.checks.support import PACKAGING_TYPES, WORKLOAD_EVENT_TYPES
from stacktape_pulumi.config.loader import KeyPath, SourceMap, load_yaml_file
from stacktape_pulumi.config.models.root import SUPPORTED_RESOURCE_TYPES, StacktapeConfig
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
    issues: list[ConfigIssue] = list(check_stack(config, source, data))
    issues += check_function_packaging(config, source)
    issues += unsupported_features(data, source)
    issues += build_problems(config, source)
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


def _instance_type_issues(resources: dict[str, Any], path: KeyPath, source: SourceMap) -> list[ConfigIssue]:
    """EC2 sizing known before deploying: type names, and memory that fits the smallest type (e114)."""
    names = resources.get("instanceTypes") or []
    issues = [source.issue((*path, "instanceTypes", i), f"'{n}' is not an EC2 instance type name",
                           "instance types look like family.size, e.g. c5.large or m7g.xlarge")
              for i, n in enumerate(names) if isinstance(n, str) and not looks_like_instance_type(n)]
    specs = [instance_spec(n) for n in names if isinstance(n, str)]
    known = [spec for spec in specs if spec is not None]
    memory = resources.get("memory")
    if issues or not known or len(known) != len(names) or not isinstance(memory, int | float):
        return issues
    try:
        task_memory(smallest_instance(known), int(memory))
    except MemoryTooLarge as exc:
        issues.append(source.issue((*path, "memory"), str(exc),
                                   f"lower memory to at most {exc.available} or list a larger instance type"))
    return issues


def unsupported_features(data: dict[str, Any], source: SourceMap) -> list[ConfigIssue]:
    """Valid reference config this version cannot build yet, located (so `validate` says so too)."""
    issues: list[ConfigIssue] = []
    for name, resource in (data.get("resources") or {}).items():
        rtype = resource.get("type")
        base = ("resources", name)
        if rtype not in SUPPORTED_RESOURCE_TYPES:
            issues.append(source.issue((*base, "type"), f"resource type '{rtype}' is not supported yet; supported: "
                                       f"{', '.join(sorted(SUPPORTED_RESOURCE_TYPES))}"))
            continue
        if rtype != "multi-container-workload":
            continue
        props = resource.get("properties") or {}
        issues += _instance_type_issues(props.get("resources") or {}, (*base, "properties", "resources"), source)
        for ci, container in enumerate(props.get("containers") or []):
            cpath = (*base, "properties", "containers", ci)
            ptype = (container.get("packaging") or {}).get("type")
            found = packaging_issues(str(ptype), (container.get("packaging") or {}).get("properties") or {},
                                     Path(source.file).parent.resolve())
            if found is None:
                issues.append(source.issue((*cpath, "packaging", "type"),
                                           f"packaging type '{ptype}' is not supported yet; supported: "
                                           f"{', '.join(sorted(PACKAGING_TYPES))}"))
            issues += [source.issue((*cpath, "packaging", *i.path), i.message, i.hint) for i in found or []]
            for ei, event in enumerate(container.get("events") or []):
                etype = event.get("type")
                if etype not in WORKLOAD_EVENT_TYPES:
                    issues.append(source.issue((*cpath, "events", ei, "type"),
                                               f"event type '{etype}' is not supported yet; supported: "
                                               f"{', '.join(sorted(WORKLOAD_EVENT_TYPES))}"))
    return issues
