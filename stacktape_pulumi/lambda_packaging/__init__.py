"""Lambda deployment packages from a function's `packaging`: deterministic, content-hashed, cached zips.

`package_function` builds (or finds in the cache) the zip of one function and returns it with
its `sourceCodeHash`, handler, runtime and the environment variables the package needs.
`packaging_problems` is what `validate` reports before anything is built.
"""

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from stacktape_pulumi.errors import KeyPath, Problem
from stacktape_pulumi.lambda_packaging.artifacts import LambdaArtifact, PackagingError, cache_root
from stacktape_pulumi.lambda_packaging.custom import package_custom_artifact
from stacktape_pulumi.lambda_packaging.go import INSTALL_HINT, find_go, find_module_root, missing_go_message, package_go
from stacktape_pulumi.lambda_packaging.javascript import (
    INSTALL_COMMAND,
    find_esbuild,
    missing_esbuild_message,
    package_javascript,
)
from stacktape_pulumi.lambda_packaging.python import dependency_spec, find_dependency_file, package_python
from stacktape_pulumi.lambda_packaging.runtimes import (
    GO,
    JAVASCRIPT,
    LAMBDA_NODE_VERSIONS,
    LAMBDA_PYTHON_VERSIONS,
    OTHER_EXTENSIONS,
    PYTHON,
    default_runtime,
    language_of,
    runtime_language,
)

if TYPE_CHECKING:
    from collections.abc import Sequence

BUILDPACK = "stacktape-lambda-buildpack"
CUSTOM_ARTIFACT = "custom-artifact"
DEFAULT_ARCHITECTURE = "x86_64"

# languageSpecificConfig keys the Lambda buildpack honours, per language.
LANGUAGE_OPTIONS = {
    PYTHON: ("packageManagerFile", "packageManager", "uvOptionalDependencies", "uvWithGroups", "pythonVersion"),
    JAVASCRIPT: ("tsConfigPath", "dependenciesToExcludeFromBundle", "outputModuleFormat", "nodeVersion",
                 "disableSourceMaps", "outputSourceMapsTo", "dependenciesToExcludeFromDeploymentPackage"),
    GO: (),  # the reference's GoLanguageSpecificConfig is empty
}
LANGUAGE_NAMES = {PYTHON: "Python", JAVASCRIPT: "JavaScript/TypeScript", GO: "Go"}
RUNTIME_FAMILIES = {PYTHON: "a python", JAVASCRIPT: "a nodejs", GO: "the provided.al2023 (or provided.al2)"}
SUPPORTED_ENTRIES = "Python (.py), JavaScript, TypeScript or Go (.go)"


@dataclass(frozen=True)
class PackagedFunction:
    """A function's package and what the function must be configured with to run it."""

    artifact: LambdaArtifact
    environment: dict[str, str] = field(default_factory=dict)


def resolve_runtime(packaging: Any, runtime: str | None) -> str | None:
    """The function's runtime: `runtime`, else the buildpack's default for the entry file's language."""
    if runtime is not None or packaging.type != BUILDPACK:
        return runtime
    language = language_of(packaging.properties.entryfilePath)
    if language is None:
        return None
    config = packaging.properties.languageSpecificConfig
    return default_runtime(language, node_version=config.nodeVersion if config else None,
                           python_version=config.pythonVersion if config else None)


def package_function(function: str, packaging: Any, runtime: str | None, architecture: str | None, *,
                     base_dir: Path) -> PackagedFunction:
    """Package one function's code (building it when its inputs changed since the cached artifact)."""
    cache = cache_root(base_dir)
    if packaging.type == CUSTOM_ARTIFACT:
        props = packaging.properties
        if runtime is None or props.handler is None:
            raise PackagingError(f"function '{function}': custom-artifact packaging needs `handler` and `runtime`")
        return PackagedFunction(package_custom_artifact(function, props.packagePath, props.handler, runtime,
                                                        base_dir=base_dir, cache=cache))
    props = packaging.properties
    language = language_of(props.entryfilePath)
    resolved = resolve_runtime(packaging, runtime)
    if language is None or resolved is None:
        raise PackagingError(f"function '{function}': the Lambda buildpack cannot bundle '{props.entryfilePath}' "
                             f"yet; supported entry files: {SUPPORTED_ENTRIES}")
    if runtime_language(resolved) != language:
        raise PackagingError(f"function '{function}': runtime {resolved} cannot run the {LANGUAGE_NAMES[language]} "
                             f"entry file {props.entryfilePath}")
    if language == PYTHON:
        return PackagedFunction(package_python(function, props, resolved, architecture or DEFAULT_ARCHITECTURE,
                                               base_dir=base_dir, cache=cache))
    if language == GO:
        return PackagedFunction(package_go(function, props, resolved, architecture or DEFAULT_ARCHITECTURE,
                                           base_dir=base_dir, cache=cache))
    artifact, environment = package_javascript(function, props, resolved, base_dir=base_dir, cache=cache)
    return PackagedFunction(artifact, environment)


def packaging_problems(packaging: Any, runtime: str | None, config_dir: Path,
                       architecture: str | None = None) -> list[Problem]:
    """What the packaging of a valid function config asks for that cannot be built here, located."""
    if packaging.type != BUILDPACK:
        return []
    props = packaging.properties
    where: KeyPath = ("packaging", "properties")
    language = language_of(props.entryfilePath)
    if language is None:
        suffix = Path(props.entryfilePath).suffix.lower()
        named = OTHER_EXTENSIONS.get(suffix)
        what = f"{named} functions are" if named else f"entry files with extension '{suffix}' are"
        return [Problem((*where, "entryfilePath"),
                                 f"{what} not supported by the Lambda buildpack yet",
                                 f"use {SUPPORTED_ENTRIES}, or package the code yourself with custom-artifact")]
    problems: list[Problem] = []
    entry = config_dir / props.entryfilePath
    if not entry.is_file():
        problems.append(Problem((*where, "entryfilePath"),
                                         f"entry file '{props.entryfilePath}' does not exist",
                                         f"paths are relative to the config file's directory ({config_dir})"))
    resolved = resolve_runtime(packaging, runtime)
    if resolved is not None and runtime_language(resolved) != language:
        problems.append(Problem(("runtime",),
                                         f"runtime {resolved} cannot run the {LANGUAGE_NAMES[language]} entry file "
                                         f"{props.entryfilePath}",
                                         f"use {RUNTIME_FAMILIES[language]} runtime or remove runtime"))
    problems += _language_option_problems(props.languageSpecificConfig, language, where)
    if language == JAVASCRIPT and find_esbuild(config_dir) is None:
        problems.append(Problem(("packaging", "type"), missing_esbuild_message("", config_dir)
                                         .removeprefix("function '': "), f"run `{INSTALL_COMMAND}`"))
    if language == GO:
        problems += _go_problems(props, entry, config_dir, where)
    if language == PYTHON and entry.is_file() and resolved is not None and runtime_language(resolved) == PYTHON:
        problems += _python_dependency_problems(props, entry, resolved, architecture or DEFAULT_ARCHITECTURE,
                                                config_dir, where)
    return problems


def _python_dependency_problems(props: Any, entry: Path, runtime: str, architecture: str, config_dir: Path,
                                where: KeyPath) -> list[Problem]:
    """The dependency file read as packaging will (lock files, Python constraint), short of installing."""
    config = props.languageSpecificConfig
    explicit = config.packageManagerFile if config else None
    try:
        found = find_dependency_file(entry, config_dir, explicit)
        dependency_spec("", found, (config.uvOptionalDependencies or []) if config else [],
                        (config.uvWithGroups or []) if config else [], props.excludeDependencies or [], runtime,
                        architecture)
    except PackagingError as exc:
        key = ("languageSpecificConfig", "packageManagerFile") if explicit else ("entryfilePath",)
        return [Problem((*where, *key), str(exc).removeprefix("function '': "),
                        "the function's dependencies are read from this file when it is packaged")]
    return []


def _go_problems(props: Any, entry: Path, config_dir: Path, where: KeyPath) -> list[Problem]:
    """What a Go function needs here: a module to build, the compiler; keys that mean nothing for a binary."""
    problems = []
    if props.handlerFunction is not None:
        problems.append(Problem((*where, "handlerFunction"),
                                "handlerFunction does not apply to Go functions: Lambda runs the `bootstrap` "
                                "binary, whose main() starts the handler (lambda.Start)", "remove handlerFunction"))
    if props.excludeDependencies:
        problems.append(Problem((*where, "excludeDependencies"),
                                "excludeDependencies does not apply to Go functions: dependencies are compiled "
                                "into the binary", "remove excludeDependencies"))
    if entry.is_file() and find_module_root(entry, config_dir) is None:
        problems.append(Problem((*where, "entryfilePath"),
                                f"no go.mod next to {props.entryfilePath} or above it (up to {config_dir})",
                                "run `go mod init <module>` in the function's directory"))
    if find_go() is None:
        problems.append(Problem(("packaging", "type"), missing_go_message(), INSTALL_HINT))
    return problems


def _language_option_problems(config: Any, language: str, where: KeyPath) -> list[Problem]:
    if config is None:
        return []
    allowed: Sequence[str] = LANGUAGE_OPTIONS[language]
    problems = []
    for key, value in config.model_dump(exclude_none=True).items():
        if key == "minify" and language == PYTHON and value is False:
            continue  # the code is shipped as written: not minifying is what happens anyway
        if key not in allowed:
            problems.append(Problem(
                (*where, "languageSpecificConfig", key),
                f"languageSpecificConfig.{key} is not supported for {LANGUAGE_NAMES[language]} Lambda functions",
                f"supported: {', '.join(allowed)}"))
        elif key == "nodeVersion" and value not in LAMBDA_NODE_VERSIONS:
            problems.append(Problem(
                (*where, "languageSpecificConfig", key), f"Lambda has no Node.js {value} runtime",
                f"supported: {', '.join(str(v) for v in LAMBDA_NODE_VERSIONS)}"))
        elif key == "pythonVersion" and f"{value:g}" not in LAMBDA_PYTHON_VERSIONS:
            problems.append(Problem(
                (*where, "languageSpecificConfig", key), f"Lambda has no Python {value:g} runtime",
                f"supported: {', '.join(LAMBDA_PYTHON_VERSIONS)}"))
    return problems


__all__ = [
    "BUILDPACK",
    "CUSTOM_ARTIFACT",
    "LambdaArtifact",
    "PackagedFunction",
    "PackagingError",
    "package_function",
    "packaging_problems",
    "resolve_runtime",
]
