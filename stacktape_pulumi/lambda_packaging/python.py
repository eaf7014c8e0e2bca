"""The Lambda buildpack for Python: the entry's package plus its dependencies, built for Lambda's platform.

Sources: when the entry file sits in a package (a directory with `__init__.py`), the topmost
such package is packaged whole and the handler is its dotted module path
(`app/api/handler.py` → `app.api.handler.handler`); a loose module is packaged with its
sibling modules and sibling packages. `includeFiles` add files (at their path relative to the
config directory), `excludeFiles` remove them.

Dependencies: `languageSpecificConfig.packageManagerFile`, else the nearest `requirements.txt`,
`Pipfile` or `pyproject.toml` from the entry's directory up to the config directory (in that
order within one directory). Pipenv and Poetry projects are read with their lock files when
present (python_locks.py). They are installed
by pip **for the function, not for this machine**: `--platform manylinux_2_X_<arch>` for the
glibc of the runtime's Amazon Linux, `--python-version` of the runtime, `--only-binary=:all:`
(a package without a matching wheel is an error, never a wheel compiled for the build host).
Installed dependencies are cached by (dependency spec, Python version, platform, exclusions).
"""

import hashlib
import os
import shutil
import subprocess
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from stacktape_pulumi.lambda_packaging.archive import Entry, entries_digest, file_entry, tree_entries
from stacktape_pulumi.lambda_packaging.artifacts import SCHEME, LambdaArtifact, PackagingError, store
from stacktape_pulumi.lambda_packaging.files import (
    ALWAYS_SKIPPED,
    included_files,
    skipped,
    without_excluded,
)
from stacktape_pulumi.lambda_packaging.python_locks import (
    PIPFILE,
    PIPFILE_LOCK,
    POETRY_LOCK,
    is_poetry_project,
    read_toml,
    requirements_from_pipfile,
    requirements_from_poetry,
)
from stacktape_pulumi.lambda_packaging.runtimes import DEFAULT_HANDLER_FUNCTIONS, PYTHON, python_version

# Within one directory: an explicit requirements list first (what the project exported for deploying),
# then a Pipfile (which exists only to declare dependencies), then pyproject.toml (often tool settings only).
DEPENDENCY_FILES = ("requirements.txt", PIPFILE, "pyproject.toml")
PIP_ARCHITECTURES = {"x86_64": "x86_64", "arm64": "aarch64"}
# glibc of the runtime's OS: Amazon Linux 2023 (python3.12+) has 2.34, Amazon Linux 2 has 2.26.
AL2023_GLIBC = 34
AL2_GLIBC = 26
OLDEST_MANYLINUX = 17
PIP_TIMEOUT_SECONDS = 900
DEPENDENCIES_DIR = "python-dependencies"
# First line of a requirements text pinned from a lock file: the lock is the whole resolution, so pip
# installs exactly it (`--no-deps`) rather than re-resolving with markers judged for this machine.
LOCKED_MARK = "# pinned from a lock file: installed with --no-deps\n"


@dataclass(frozen=True)
class PythonSources:
    """The function's own code: the directory it is packaged from, the handler module, the files."""

    root: Path
    module: str
    entries: dict[str, Entry]


def python_sources(entry: Path) -> PythonSources:
    """The entry's topmost package (or the loose module with its siblings) as archive entries."""
    top = entry.parent
    if (top / "__init__.py").is_file():
        while (top.parent / "__init__.py").is_file() and top.parent != top:
            top = top.parent
        root = top.parent
        entries = tree_entries(top, prefix=f"{top.name}/", skip=ALWAYS_SKIPPED)
    else:
        root = top
        entries = {}
        for child in sorted(root.iterdir()):
            if child.name in ALWAYS_SKIPPED:
                continue
            if child.is_file() and child.suffix == ".py":
                entries[child.name] = file_entry(child.name, child)
            elif child.is_dir() and (child / "__init__.py").is_file():
                entries.update(tree_entries(child, prefix=f"{child.name}/", skip=ALWAYS_SKIPPED))
    entries = {name: e for name, e in entries.items() if not skipped(Path(name))}
    module = ".".join(entry.relative_to(root).with_suffix("").parts)
    return PythonSources(root, module, entries)


def find_dependency_file(entry: Path, base_dir: Path, explicit: str | None) -> Path | None:
    """`packageManagerFile`, else the nearest requirements.txt / Pipfile / pyproject.toml up to the config directory."""
    if explicit:
        path = (base_dir / explicit).resolve()
        if not path.is_file():
            raise PackagingError(f"packageManagerFile '{explicit}' does not exist (looked for {path})")
        return path
    directory = entry.parent.resolve()
    stop = base_dir.resolve()
    while True:
        for name in DEPENDENCY_FILES:
            candidate = directory / name
            if candidate.is_file():
                return candidate
        if directory == stop or directory.parent == directory or stop not in directory.parents:
            return None
        directory = directory.parent


def requirements_from_pyproject(path: Path, extras: Sequence[str] = (), groups: Sequence[str] = ()) -> list[str]:
    """`[project].dependencies`, plus the named optional-dependency extras and dependency groups (PEP 735)."""
    data = read_toml(path)
    project = data.get("project")
    if not isinstance(project, dict):
        raise PackagingError(f"{path} has no [project] table; list the function's dependencies in "
                             "[project].dependencies or in a requirements.txt")
    requirements = [str(r) for r in project.get("dependencies") or []]
    optional = project.get("optional-dependencies") or {}
    for extra in extras:
        if extra not in optional:
            raise PackagingError(f"{path} has no optional dependency group '{extra}'; groups: "
                                 f"{', '.join(sorted(optional)) or 'none'}")
        requirements += [str(r) for r in optional[extra]]
    declared = data.get("dependency-groups") or {}
    for group in groups:
        requirements += _group(declared, group, path, ())
    return requirements


def _group(declared: dict[str, Any], group: str, path: Path, seen: tuple[str, ...]) -> list[str]:
    if group not in declared:
        raise PackagingError(f"{path} has no dependency group '{group}'")
    if group in seen:
        raise PackagingError(f"{path}: dependency group '{group}' includes itself")
    found: list[str] = []
    for item in declared[group]:
        if isinstance(item, dict) and "include-group" in item:
            found += _group(declared, str(item["include-group"]), path, (*seen, group))
        else:
            found.append(str(item))
    return found


def platform_tags(runtime: str, architecture: str) -> list[str]:
    """pip `--platform` tags for the runtime's Amazon Linux on `architecture`, newest glibc first."""
    arch = PIP_ARCHITECTURES[architecture]
    major, minor = (int(part) for part in python_version(runtime).split("."))
    glibc = AL2023_GLIBC if (major, minor) >= (3, 12) else AL2_GLIBC
    tags = [f"manylinux_2_{version}_{arch}" for version in range(glibc, OLDEST_MANYLINUX - 1, -1)]
    # pip expands this legacy alias to manylinux2010 and manylinux1 wheels too.
    return [*tags, f"manylinux2014_{arch}"]


def pip_command(requirements: Path, target: Path, runtime: str, architecture: str, *,
                no_deps: bool = False) -> list[str]:
    """The pip invocation installing `requirements` for the function's Python and platform into `target`."""
    command = [sys.executable, "-m", "pip", "install", "--target", str(target), "--implementation", "cp",
               "--python-version", python_version(runtime), "--only-binary=:all:", "--no-compile",
               "--disable-pip-version-check", "--no-warn-script-location", "--quiet"]
    if no_deps:
        command.append("--no-deps")
    for tag in platform_tags(runtime, architecture):
        command += ["--platform", tag]
    return [*command, "--requirement", str(requirements)]


def _normalize(name: str) -> str:
    return name.lower().replace("_", "-").replace(".", "-")


def remove_distributions(target: Path, names: Sequence[str]) -> None:
    """Delete the installed files of distributions `names` (by their `.dist-info/RECORD`)."""
    wanted = {_normalize(n) for n in names}
    for info in sorted(target.glob("*.dist-info")):
        dist = _normalize(info.name.removesuffix(".dist-info").rsplit("-", 1)[0])
        if dist not in wanted:
            continue
        record = info / "RECORD"
        for line in record.read_text("utf-8").splitlines() if record.is_file() else []:
            relative = line.split(",", 1)[0]
            path = (target / relative).resolve()
            if relative and target.resolve() in path.parents and path.is_file():
                path.unlink()
        shutil.rmtree(info, ignore_errors=True)
    for directory in sorted((p for p in target.rglob("*") if p.is_dir()), key=lambda p: len(p.parts), reverse=True):
        if not any(directory.iterdir()):
            directory.rmdir()


def install_dependencies(function: str, spec: str, spec_dir: Path, runtime: str, architecture: str,
                         excluded: Sequence[str], cache: Path) -> tuple[Path, str]:
    """Installed dependencies (cached) for a requirements text; returns the directory and its cache key."""
    key = hashlib.sha256("\x00".join([SCHEME, spec, runtime, architecture, *sorted(excluded)]).encode()).hexdigest()
    target = cache / DEPENDENCIES_DIR / key[:32]
    if (target / ".complete").is_file():
        return target, key
    partial = target.with_name(f"{target.name}.{os.getpid()}.partial")
    shutil.rmtree(partial, ignore_errors=True)
    partial.mkdir(parents=True)
    requirements = partial.parent / f"{target.name}.{os.getpid()}.requirements.txt"
    requirements.write_text(spec, "utf-8")
    try:
        command = pip_command(requirements, partial, runtime, architecture, no_deps=spec.startswith(LOCKED_MARK))
        result = subprocess.run(command, cwd=spec_dir,
                                capture_output=True, text=True, timeout=PIP_TIMEOUT_SECONDS, check=False)
    finally:
        requirements.unlink(missing_ok=True)
    if result.returncode != 0:
        shutil.rmtree(partial, ignore_errors=True)
        detail = (result.stderr or result.stdout).strip().splitlines()[-8:]
        raise PackagingError(
            f"function '{function}': installing its Python dependencies for {runtime} on {architecture} failed:\n"
            + "\n".join(f"  {line}" for line in detail)
            + f"\n(hint: only wheels for manylinux/{PIP_ARCHITECTURES[architecture]} and Python "
              f"{python_version(runtime)} can be installed for Lambda; pin versions that publish such wheels)")
    shutil.rmtree(partial / "bin", ignore_errors=True)  # console scripts with this machine's interpreter path
    for cache_dir in list(partial.rglob("__pycache__")):
        shutil.rmtree(cache_dir, ignore_errors=True)
    remove_distributions(partial, excluded)
    (partial / ".complete").write_text(key, "utf-8")
    shutil.rmtree(target, ignore_errors=True)
    os.replace(partial, target)
    return target, key


def dependency_spec(function: str, dependency_file: Path | None, extras: Sequence[str], groups: Sequence[str],
                    excluded: Sequence[str], runtime: str, architecture: str) -> str | None:
    """The requirements text to install: a requirements.txt as written, else pinned lines from the project files."""
    if dependency_file is None:
        return None
    lines: list[str] | None = None
    lock: Path | None = None
    if dependency_file.name == PIPFILE:
        lines = requirements_from_pipfile(dependency_file, runtime, architecture)
        lock = dependency_file.with_name(PIPFILE_LOCK)
    elif dependency_file.name.endswith(".toml"):
        data = read_toml(dependency_file)
        poetry = is_poetry_project(data, dependency_file)
        lines = (requirements_from_poetry(dependency_file, data, runtime, architecture, extras, groups) if poetry
                 else requirements_from_pyproject(dependency_file, extras, groups))
        lock = dependency_file.with_name(POETRY_LOCK) if poetry else None
    if lines is not None:
        wanted = {_normalize(n) for n in excluded}
        lines = [r for r in lines if _normalize(_requirement_name(r)) not in wanted]
        header = LOCKED_MARK if lock is not None and lock.is_file() else ""
        return header + "\n".join(lines) + "\n" if lines else None
    if dependency_file.suffix != ".txt":
        raise PackagingError(f"function '{function}': dependency file {dependency_file.name} is not supported; "
                             "use a requirements.txt, a Pipfile or a pyproject.toml")
    text = dependency_file.read_text("utf-8")
    meaningful = [line for line in text.splitlines() if line.strip() and not line.lstrip().startswith("#")]
    return text if meaningful else None


def _requirement_name(requirement: str) -> str:
    name = requirement.strip()
    for separator in ("[", "<", ">", "=", "!", "~", ";", " ", "@"):
        name = name.split(separator, 1)[0]
    return name


def package_python(function: str, props: Any, runtime: str, architecture: str, *, base_dir: Path,
                   cache: Path) -> LambdaArtifact:
    """Build (or find in the cache) the deployment package of a Python buildpack function."""
    entry = (base_dir / props.entryfilePath).resolve()
    if not entry.is_file():
        raise PackagingError(f"function '{function}': entryfilePath '{props.entryfilePath}' does not exist "
                             f"(looked for {entry})")
    config = props.languageSpecificConfig
    sources = python_sources(entry)
    entries = {**sources.entries, **included_files(base_dir, props.includeFiles or [])}
    entries = without_excluded(entries, base_dir, props.excludeFiles or [])
    if sources.module.replace(".", "/") + ".py" not in entries:
        raise PackagingError(f"function '{function}': excludeFiles removes the entry file {props.entryfilePath}")
    excluded = list(props.excludeDependencies or [])
    dependency_file = find_dependency_file(entry, base_dir, config.packageManagerFile if config else None)
    spec = dependency_spec(function, dependency_file, (config.uvOptionalDependencies or []) if config else [],
                           (config.uvWithGroups or []) if config else [], excluded, runtime, architecture)
    dependency_key = ""
    # The key covers the function's own files; installed dependencies are covered by their cache key.
    own = entries
    if spec is not None and dependency_file is not None:
        installed, dependency_key = install_dependencies(function, spec, dependency_file.parent, runtime,
                                                         architecture, excluded, cache)
        # The function's own files win over a dependency file of the same name.
        entries = {**tree_entries(installed, skip=(".complete", "__pycache__")), **entries}
    handler = f"{sources.module}.{props.handlerFunction or DEFAULT_HANDLER_FUNCTIONS[PYTHON]}"
    key = entries_digest(own, SCHEME, "python", runtime, architecture, dependency_key)
    return store(cache, function, key, entries, handler=handler, runtime=runtime)
