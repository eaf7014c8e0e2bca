"""Validate-time checks of what building needs: files that must exist, options not supported, CLIs, EC2 sizes.

Container packaging (per packaging type, a preflight), function packaging (the Lambda
buildpack's own checks, `lambda_packaging.packaging_problems`) and the EC2 instance types of a
workload's capacity. `validate` runs them without importing the components that build the
images (their AWS and Docker SDK classes take seconds to import);
`stacktape_pulumi.checks.support` says which packaging types this version builds.
"""

import os
import shutil
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from stacktape_pulumi.checks.support import PACKAGING_TYPES
from stacktape_pulumi.config.loader import SourceMap
from stacktape_pulumi.config.models.root import StacktapeConfig
from stacktape_pulumi.config.models.workload import WORKLOAD_TYPE
from stacktape_pulumi.errors import ConfigIssue, KeyPath, Problem

# `fn(packaging properties as written, the config file's directory)`: problems below `properties`.
Preflight = Callable[[Mapping[str, Any], Path], list[Problem]]


@dataclass(frozen=True)
class ExternalTool:
    """A CLI a packaging type runs, and how to get it."""

    command: str
    install: str

    def missing(self) -> bool:
        return shutil.which(self.command) is None

    def message(self, packaging_type: str) -> str:
        return f"packaging type '{packaging_type}' needs the `{self.command}` CLI, which is not on PATH"


REQUIRED_TOOLS: dict[str, ExternalTool] = {
    "nixpacks": ExternalTool(
        "nixpacks", "install it with `curl -sSL https://nixpacks.com/install.sh | bash` or `brew install nixpacks` "
                    "(https://nixpacks.com/docs/install)"),
    "external-buildpack": ExternalTool(
        "pack", "install the Cloud Native Buildpacks CLI with `brew install buildpacks/tap/pack` or from "
                "https://buildpacks.io/docs/for-platform-operators/how-to/integrate-ci/pack/"),
}


def packaging_issues(packaging_type: str, properties: Mapping[str, Any], config_dir: Path,
                     ) -> list[Problem] | None:
    """What `validate` reports for one container's packaging, at paths below `packaging`.

    None when this version does not build the type (the caller reports "not supported yet"),
    unless a tool it needs is missing: then that, which is what the user can act on.
    """
    tool = REQUIRED_TOOLS.get(packaging_type)
    if tool is not None and tool.missing():
        return [Problem(("type",), tool.message(packaging_type), tool.install)]
    if packaging_type not in PACKAGING_TYPES:
        return None
    check = PREFLIGHTS.get(packaging_type)
    found = check(properties, config_dir) if check else []
    return [Problem(("properties", *issue.path), issue.message, issue.hint) for issue in found]


# uv installs into Python 3.8 and newer; older versions are end of life.
UNSUPPORTED_PYTHON_VERSIONS = (2.7, 3.6, 3.7)


def _is_directive(value: Any) -> bool:
    return isinstance(value, str) and value.startswith("$")


def _missing(config_dir: Path, value: Any, key: str, what: str, *, directory: bool = False) -> list[Problem]:
    if not isinstance(value, str) or _is_directive(value):
        return []
    path = config_dir / value
    if path.is_dir() if directory else path.is_file():
        return []
    return [Problem((key,), f"{what} '{value}' does not exist",
                           f"paths are relative to the config file's directory ({config_dir})")]


def _check_buildpack(props: Mapping[str, Any], config_dir: Path) -> list[Problem]:
    # The image modules load for configs that build images, not for every validate.
    from stacktape_pulumi.images.dockerfiles import OTHER_LANGUAGES, SUPPORTED_LANGUAGES, entry_parts, language_of
    entry = props.get("entryfilePath")
    if not isinstance(entry, str) or _is_directive(entry):
        return []
    path, _ = entry_parts(entry)
    language = language_of(entry)
    if language is None:
        ext = os.path.splitext(path)[1].lower()
        name = OTHER_LANGUAGES.get(ext, f"'{ext or path}'")
        return [Problem(("entryfilePath",),
                               f"{name} entry files are not supported by stacktape-image-buildpack yet; "
                               f"supported: {SUPPORTED_LANGUAGES}",
                               "use packaging type custom-dockerfile with your own Dockerfile")]
    issues = _missing(config_dir, path, "entryfilePath", "entry file")
    lsc = props.get("languageSpecificConfig") or {}
    where = ("languageSpecificConfig",)
    if language == "node":
        if lsc.get("emitTsDecoratorMetadata"):
            issues.append(Problem((*where, "emitTsDecoratorMetadata"),
                                         "emitTsDecoratorMetadata is not supported yet (esbuild does not emit "
                                         "decorator metadata)",
                                         "compile with tsc in a custom-dockerfile packaging"))
        if lsc.get("outputSourceMapsTo"):
            issues.append(Problem((*where, "outputSourceMapsTo"),
                                         "outputSourceMapsTo is not supported for images: the source maps stay in "
                                         "the image, where `node --enable-source-maps` uses them"))
        issues += [Problem((*where, *i.path), i.message, i.hint)
                   for i in _missing(config_dir, lsc.get("tsConfigPath"), "tsConfigPath", "tsconfig")]
    if language == "python":
        if lsc.get("pythonVersion") in UNSUPPORTED_PYTHON_VERSIONS:
            issues.append(Problem((*where, "pythonVersion"),
                                         f"pythonVersion {lsc['pythonVersion']} is not supported by the image "
                                         "buildpack; supported: 3.8 and newer"))
        issues += [Problem((*where, *i.path), i.message, i.hint)
                   for i in _missing(config_dir, lsc.get("packageManagerFile"), "packageManagerFile",
                                     "package manager file")]
    return issues


def _check_custom_dockerfile(props: Mapping[str, Any], config_dir: Path) -> list[Problem]:
    context = props.get("buildContextPath")
    issues = _missing(config_dir, context, "buildContextPath", "build context directory", directory=True)
    if issues or not isinstance(context, str) or _is_directive(context):
        return issues
    dockerfile = props.get("dockerfilePath") or "Dockerfile"
    if not (config_dir / context / dockerfile).is_file():
        key = "dockerfilePath" if props.get("dockerfilePath") else "buildContextPath"
        issues.append(Problem((key,), f"Dockerfile '{dockerfile}' does not exist in '{context}'",
                                     "dockerfilePath is relative to buildContextPath; default 'Dockerfile'"))
    return issues


def _check_nixpacks(props: Mapping[str, Any], config_dir: Path) -> list[Problem]:
    return _missing(config_dir, props.get("sourceDirectoryPath"), "sourceDirectoryPath", "source directory",
                    directory=True)


def _check_external_buildpack(props: Mapping[str, Any], config_dir: Path) -> list[Problem]:
    from stacktape_pulumi.images.pack import COMMAND_HINT, COMMAND_NOT_SUPPORTED
    issues = _missing(config_dir, props.get("sourceDirectoryPath"), "sourceDirectoryPath", "source directory",
                      directory=True)
    if props.get("command"):
        issues.append(Problem(("command",), COMMAND_NOT_SUPPORTED, COMMAND_HINT))
    return issues



PREFLIGHTS: Mapping[str, Preflight] = {
    "stacktape-image-buildpack": _check_buildpack,
    "custom-dockerfile": _check_custom_dockerfile,
    "nixpacks": _check_nixpacks,
    "external-buildpack": _check_external_buildpack,
}
"""The validate-time checks of each packaging type (run only for the types this version builds)."""


def workload_packaging_issues(data: dict[str, Any], source: SourceMap) -> list[ConfigIssue]:
    """Every workload's instance types and container packaging, located."""
    config_dir = Path(source.file).parent.resolve()
    issues: list[ConfigIssue] = []
    for name, resource in (data.get("resources") or {}).items():
        if resource.get("type") != WORKLOAD_TYPE:
            continue
        base = ("resources", name, "properties")
        props = resource.get("properties") or {}
        issues += instance_type_issues(props.get("resources") or {}, (*base, "resources"), source)
        for ci, container in enumerate(props.get("containers") or []):
            where = (*base, "containers", ci, "packaging")
            packaging = container.get("packaging") or {}
            ptype = packaging.get("type")
            found = packaging_issues(str(ptype), packaging.get("properties") or {}, config_dir)
            if found is None:
                issues.append(source.issue((*where, "type"),
                                           f"packaging type '{ptype}' is not supported yet; supported: "
                                           f"{', '.join(sorted(PACKAGING_TYPES))}"))
            issues += [source.locate(problem, where) for problem in found or []]
    return issues


def instance_type_issues(resources: dict[str, Any], path: KeyPath, source: SourceMap) -> list[ConfigIssue]:
    """EC2 capacity known before deploying: listed types, what ECS runs, one AMI, memory that fits (e114)."""
    names = resources.get("instanceTypes") or []
    if not names or not all(isinstance(name, str) for name in names):
        return []  # Fargate, or the config model reports it
    # The instance tables load for EC2 workloads only.
    from stacktape_pulumi.aws.instances import MemoryTooLarge, capacity_refusals, smallest_instance, task_memory
    specs, refusals = capacity_refusals(names)
    issues = [source.issue((*path, "instanceTypes") if index is None else (*path, "instanceTypes", index),
                           refusal.message, refusal.hint) for index, refusal in refusals]
    memory = resources.get("memory")
    if issues or not specs or not isinstance(memory, int | float):
        return issues
    try:
        task_memory(smallest_instance(specs), int(memory))
    except MemoryTooLarge as exc:
        issues.append(source.issue((*path, "memory"), str(exc),
                                   f"lower memory to at most {exc.available} or list a larger instance type"))
    return issues


def function_packaging_issues(config: StacktapeConfig, source: SourceMap) -> list[ConfigIssue]:
    """What the functions' packaging needs from this machine and the file system (entry files, esbuild, go)."""
    functions = {name: resource for name, resource in config.resources.items() if resource.type == "function"}
    if not functions:
        return []
    # Imported only for a config with functions: lambda_packaging (with poetry-core and packaging for
    # Python dependency locks) costs ~0.05 s to import, which a `validate` without functions would pay.
    from stacktape_pulumi.lambda_packaging import packaging_problems

    config_dir = Path(source.file).parent.resolve()
    return [source.locate(problem, ("resources", name, "properties"))
            for name, resource in functions.items()
            for problem in packaging_problems(resource.properties.packaging, resource.properties.runtime,
                                              config_dir, resource.properties.architecture)]
