"""Validate-time checks of container packaging: files that must exist, options not supported, CLIs needed.

`validate` runs them without importing the components that build the images (their AWS and
Docker SDK classes take seconds to import); `stacktape_pulumi.checks.support` says which packaging
types this version builds.
"""

import os
import shutil
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from stacktape_pulumi.checks.support import PACKAGING_TYPES
from stacktape_pulumi.images.dockerfiles import OTHER_LANGUAGES, SUPPORTED_LANGUAGES, entry_parts, language_of
from stacktape_pulumi.images.pack import COMMAND_HINT, COMMAND_NOT_SUPPORTED

KeyPath = tuple[str | int, ...]


@dataclass(frozen=True)
class PackagingIssue:
    """A problem found before building, at a key path below the packaging's `properties`."""

    path: KeyPath
    message: str
    hint: str | None = None


# `fn(packaging properties as written, the config file's directory)`.
Preflight = Callable[[Mapping[str, Any], Path], list[PackagingIssue]]
PREFLIGHTS: dict[str, Preflight] = {}


def preflight(packaging_type: str) -> Callable[[Preflight], Preflight]:
    """Register the validate-time checks of a packaging type (run only for the types this version builds)."""

    def register(fn: Preflight) -> Preflight:
        PREFLIGHTS[packaging_type] = fn
        return fn

    return register


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
                     ) -> list[PackagingIssue] | None:
    """What `validate` reports for one container's packaging, at paths below `packaging`.

    None when this version does not build the type (the caller reports "not supported yet"),
    unless a tool it needs is missing: then that, which is what the user can act on.
    """
    tool = REQUIRED_TOOLS.get(packaging_type)
    if tool is not None and tool.missing():
        return [PackagingIssue(("type",), tool.message(packaging_type), tool.install)]
    if packaging_type not in PACKAGING_TYPES:
        return None
    check = PREFLIGHTS.get(packaging_type)
    found = check(properties, config_dir) if check else []
    return [PackagingIssue(("properties", *issue.path), issue.message, issue.hint) for issue in found]


# uv installs into Python 3.8 and newer; older versions are end of life.
UNSUPPORTED_PYTHON_VERSIONS = (2.7, 3.6, 3.7)


def _is_directive(value: Any) -> bool:
    return isinstance(value, str) and value.startswith("$")


def _missing(config_dir: Path, value: Any, key: str, what: str, *, directory: bool = False) -> list[PackagingIssue]:
    if not isinstance(value, str) or _is_directive(value):
        return []
    path = config_dir / value
    if path.is_dir() if directory else path.is_file():
        return []
    return [PackagingIssue((key,), f"{what} '{value}' does not exist",
                           f"paths are relative to the config file's directory ({config_dir})")]


@preflight("stacktape-image-buildpack")
def _check_buildpack(props: Mapping[str, Any], config_dir: Path) -> list[PackagingIssue]:
    entry = props.get("entryfilePath")
    if not isinstance(entry, str) or _is_directive(entry):
        return []
    path, _ = entry_parts(entry)
    language = language_of(entry)
    if language is None:
        ext = os.path.splitext(path)[1].lower()
        name = OTHER_LANGUAGES.get(ext, f"'{ext or path}'")
        return [PackagingIssue(("entryfilePath",),
                               f"{name} entry files are not supported by stacktape-image-buildpack yet; "
                               f"supported: {SUPPORTED_LANGUAGES}",
                               "use packaging type custom-dockerfile with your own Dockerfile")]
    issues = _missing(config_dir, path, "entryfilePath", "entry file")
    lsc = props.get("languageSpecificConfig") or {}
    where = ("languageSpecificConfig",)
    if language == "node":
        if lsc.get("emitTsDecoratorMetadata"):
            issues.append(PackagingIssue((*where, "emitTsDecoratorMetadata"),
                                         "emitTsDecoratorMetadata is not supported yet (esbuild does not emit "
                                         "decorator metadata)",
                                         "compile with tsc in a custom-dockerfile packaging"))
        if lsc.get("outputSourceMapsTo"):
            issues.append(PackagingIssue((*where, "outputSourceMapsTo"),
                                         "outputSourceMapsTo is not supported for images: the source maps stay in "
                                         "the image, where `node --enable-source-maps` uses them"))
        issues += [PackagingIssue((*where, *i.path), i.message, i.hint)
                   for i in _missing(config_dir, lsc.get("tsConfigPath"), "tsConfigPath", "tsconfig")]
    if language == "python":
        if lsc.get("pythonVersion") in UNSUPPORTED_PYTHON_VERSIONS:
            issues.append(PackagingIssue((*where, "pythonVersion"),
                                         f"pythonVersion {lsc['pythonVersion']} is not supported by the image "
                                         "buildpack; supported: 3.8 and newer"))
        issues += [PackagingIssue((*where, *i.path), i.message, i.hint)
                   for i in _missing(config_dir, lsc.get("packageManagerFile"), "packageManagerFile",
                                     "package manager file")]
    return issues


@preflight("custom-dockerfile")
def _check_custom_dockerfile(props: Mapping[str, Any], config_dir: Path) -> list[PackagingIssue]:
    context = props.get("buildContextPath")
    issues = _missing(config_dir, context, "buildContextPath", "build context directory", directory=True)
    if issues or not isinstance(context, str) or _is_directive(context):
        return issues
    dockerfile = props.get("dockerfilePath") or "Dockerfile"
    if not (config_dir / context / dockerfile).is_file():
        key = "dockerfilePath" if props.get("dockerfilePath") else "buildContextPath"
        issues.append(PackagingIssue((key,), f"Dockerfile '{dockerfile}' does not exist in '{context}'",
                                     "dockerfilePath is relative to buildContextPath; default 'Dockerfile'"))
    return issues


@preflight("nixpacks")
def _check_nixpacks(props: Mapping[str, Any], config_dir: Path) -> list[PackagingIssue]:
    return _missing(config_dir, props.get("sourceDirectoryPath"), "sourceDirectoryPath", "source directory",
                    directory=True)


@preflight("external-buildpack")
def _check_external_buildpack(props: Mapping[str, Any], config_dir: Path) -> list[PackagingIssue]:
    issues = _missing(config_dir, props.get("sourceDirectoryPath"), "sourceDirectoryPath", "source directory",
                      directory=True)
    if props.get("command"):
        issues.append(PackagingIssue(("command",), COMMAND_NOT_SUPPORTED, COMMAND_HINT))
    return issues

