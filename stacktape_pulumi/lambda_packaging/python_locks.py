"""Pinned requirements from Poetry and Pipenv projects, read as data: no poetry or pipenv CLI needed.

The files are TOML (`pyproject.toml`, `Pipfile`, `poetry.lock`, read with `tomllib`) and JSON
(`Pipfile.lock`); Poetry's own constraint syntax (`^1.2`, `~1.2`, `python = "^3.11"`, per-
dependency `python`/`platform`/`markers`) is turned into PEP 508 by `poetry-core`, the library
Poetry itself is built on, and markers are evaluated by `packaging` **for the function's
Lambda environment** (Linux, the runtime's Python, the function's CPU), not for this machine:
pip, given `--platform`/`--python-version`, would still judge markers by the interpreter running
it. What comes out is a list of requirement lines without markers for pip (python.py).

- `Pipfile.lock`: its `default` section, already the whole resolved tree (`develop` is dropped).
- `Pipfile` without a lock: `[packages]` as written (`[dev-packages]` dropped).
- `poetry.lock`: the packages reachable from the project's main dependencies (plus the groups in
  `uvWithGroups` and the extras in `uvOptionalDependencies`), walking the lock's own dependency
  edges, each pinned `==` its locked version; dev and other groups are never reached.
- `pyproject.toml` of Poetry without a lock: `[tool.poetry.dependencies]` converted to PEP 508.

Each file's Python requirement (`python` of Poetry, `[requires]` of Pipenv) is checked against
the runtime's version.
"""

import json
import tomllib
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from packaging.markers import InvalidMarker, Marker
from packaging.requirements import InvalidRequirement, Requirement
from packaging.utils import canonicalize_name
from poetry.core.constraints.version import Version, parse_constraint
from poetry.core.constraints.version.exceptions import ParseConstraintError
from poetry.core.factory import Factory
from poetry.core.packages.dependency import Dependency

from stacktape_pulumi.lambda_packaging.artifacts import PackagingError
from stacktape_pulumi.lambda_packaging.runtimes import python_version

PIPFILE = "Pipfile"
PIPFILE_LOCK = "Pipfile.lock"
POETRY_LOCK = "poetry.lock"
MARKER_MACHINES = {"x86_64": "x86_64", "arm64": "aarch64"}
# Sources a wheel index cannot serve: the buildpack installs only wheels from package indexes.
UNINSTALLABLE_SOURCES = ("git", "directory", "file", "url")
MARKER_NAMES = frozenset({"os_name", "sys_platform", "platform_machine", "platform_python_implementation",
                          "platform_release", "platform_system", "platform_version", "python_version",
                          "python_full_version", "implementation_name", "implementation_version"})


def lambda_environment(runtime: str, architecture: str) -> dict[str, str]:
    """PEP 508 marker values of the function's Lambda runtime (patch level unknown: `.0`)."""
    version = python_version(runtime)
    return {
        "implementation_name": "cpython", "implementation_version": f"{version}.0", "os_name": "posix",
        "platform_machine": MARKER_MACHINES[architecture], "platform_python_implementation": "CPython",
        "platform_release": "", "platform_system": "Linux", "platform_version": "",
        "python_full_version": f"{version}.0", "python_version": version, "sys_platform": "linux", "extra": "",
    }


def read_toml(path: Path) -> dict[str, Any]:
    try:
        return tomllib.loads(path.read_text("utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise PackagingError(f"cannot read {path}: {exc}") from None


def _applies(marker: str | None, environment: Mapping[str, str], where: Path) -> bool:
    if not marker:
        return True
    try:
        return Marker(marker).evaluate(dict(environment))
    except InvalidMarker as exc:
        raise PackagingError(f"cannot read {where}: invalid marker {marker!r}: {exc}") from None


def _without_marker(requirement: str, environment: Mapping[str, str], where: Path) -> str | None:
    """`requirement` for pip with its marker decided here: None when it does not apply to Lambda."""
    try:
        parsed = Requirement(requirement)
    except InvalidRequirement as exc:
        raise PackagingError(f"cannot read {where}: {exc}") from None
    if parsed.marker is not None and not parsed.marker.evaluate(dict(environment)):
        return None
    parsed.marker = None
    return str(parsed)


def check_python(constraint: str, source: Path, runtime: str, *, pipenv: bool = False) -> None:
    """Refuse a project whose declared Python the runtime is not (Pipenv: `3.12`; Poetry: `^3.11`)."""
    version = python_version(runtime)
    if pipenv:
        allowed = ".".join(constraint.split(".")[:2]) == version
    else:
        try:
            allowed = parse_constraint(constraint).allows(Version.parse(f"{version}.0"))
        except (ParseConstraintError, ValueError) as exc:
            raise PackagingError(f"cannot read {source}: Python constraint {constraint!r}: {exc}") from None
    if not allowed:
        raise PackagingError(f"{source.name} requires Python {constraint}, but runtime {runtime} runs Python "
                             f"{version}; set `runtime` (or languageSpecificConfig.pythonVersion) to a Python "
                             f"it allows")


# ---- Pipenv -------------------------------------------------------------------------------


def requirements_from_pipfile(path: Path, runtime: str, architecture: str) -> list[str]:
    """Pinned `Pipfile.lock` `default` packages when the lock exists, else the Pipfile's `[packages]`."""
    environment = lambda_environment(runtime, architecture)
    lock = path.with_name(PIPFILE_LOCK)
    if lock.is_file():
        return _from_pipfile_lock(lock, runtime, environment)
    data = read_toml(path)
    _pipenv_python(data.get("requires"), path, runtime)
    lines = []
    for name, spec in (data.get("packages") or {}).items():
        line = _pipfile_requirement(name, spec, path)
        kept = _without_marker(line, environment, path)
        if kept is not None:
            lines.append(kept)
    return lines


def _pipenv_python(requires: Any, source: Path, runtime: str) -> None:
    if isinstance(requires, dict):
        wanted = requires.get("python_version") or requires.get("python_full_version")
        if wanted:
            check_python(str(wanted), source, runtime, pipenv=True)


def _pipfile_requirement(name: str, spec: Any, where: Path) -> str:
    if isinstance(spec, str):
        return name if spec.strip() == "*" else f"{name}{spec}"
    if not isinstance(spec, dict):
        raise PackagingError(f"cannot read {where}: package '{name}' is neither a version string nor a table")
    if any(key in spec for key in ("git", "path", "file")):
        raise PackagingError(f"{where}: package '{name}' comes from a git, path or file source; the Lambda "
                             "buildpack installs only wheels from package indexes")
    extras = f"[{','.join(spec['extras'])}]" if spec.get("extras") else ""
    version = spec.get("version", "*")
    # Pipenv accepts PEP 508 marker names as keys (`sys_platform = "== 'linux'"`) besides `markers`.
    markers = [str(spec["markers"])] if spec.get("markers") else []
    markers += [f"{key} {value}" for key, value in spec.items() if key in MARKER_NAMES]
    line = f"{name}{extras}{'' if version == '*' else version}"
    return f"{line}; {' and '.join(f'({m})' for m in markers)}" if markers else line


def _from_pipfile_lock(lock: Path, runtime: str, environment: Mapping[str, str]) -> list[str]:
    try:
        data = json.loads(lock.read_text("utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise PackagingError(f"cannot read {lock}: {exc}") from None
    if not isinstance(data, dict) or not isinstance(data.get("default", {}), dict):
        raise PackagingError(f"cannot read {lock}: not a Pipfile.lock (no `default` table)")
    meta = data.get("_meta")
    _pipenv_python(meta.get("requires") if isinstance(meta, dict) else None, lock, runtime)
    lines = []
    for name, entry in sorted(data.get("default", {}).items()):
        if not isinstance(entry, dict) or "version" not in entry:
            raise PackagingError(f"{lock}: package '{name}' has no locked version (a git, path or file source?); "
                                 "the Lambda buildpack installs only wheels from package indexes")
        if _applies(entry.get("markers"), environment, lock):
            lines.append(f"{name}{entry['version']}")
    return lines


# ---- Poetry -------------------------------------------------------------------------------


def is_poetry_project(data: Mapping[str, Any], path: Path) -> bool:
    """A pyproject whose dependencies Poetry manages: `[tool.poetry.dependencies]` or a `poetry.lock` beside it."""
    poetry = data.get("tool", {}).get("poetry")
    return isinstance(poetry, dict) and ("dependencies" in poetry or path.with_name(POETRY_LOCK).is_file())


def _dependencies(name: str, spec: Any, where: Path) -> list[Dependency]:
    """Poetry's dependency entry (a constraint, a table, or a list of them for several Pythons)."""
    try:
        return [Factory.create_dependency(name, item) for item in (spec if isinstance(spec, list) else [spec])]
    except (ValueError, TypeError, ParseConstraintError) as exc:
        raise PackagingError(f"cannot read {where}: dependency '{name}': {exc}") from None


def _poetry_roots(data: Mapping[str, Any], path: Path, extras: Sequence[str],
                  groups: Sequence[str]) -> list[Dependency]:
    """The project's main dependencies (both Poetry's table and PEP 621's list), extras and named groups."""
    poetry = data.get("tool", {}).get("poetry", {})
    tables = [poetry.get("dependencies") or {}]
    for group in groups:
        declared = poetry.get("group", {}).get(group)
        if not isinstance(declared, dict):
            raise PackagingError(f"{path} has no Poetry dependency group '{group}'")
        tables.append(declared.get("dependencies") or {})
    roots = [dep for table in tables for name, spec in table.items() if name != "python"
             for dep in _dependencies(name, spec, path)]
    wanted_extras = {canonicalize_name(n) for extra in extras for n in (poetry.get("extras") or {}).get(extra, [])}
    roots = [dep for dep in roots if not dep.is_optional() or canonicalize_name(dep.name) in wanted_extras]
    project = data.get("project") or {}
    pep621 = list(project.get("dependencies") or [])
    for extra in extras:
        pep621 += (project.get("optional-dependencies") or {}).get(extra, [])
    try:
        roots += [Dependency.create_from_pep_508(str(line)) for line in pep621]
    except ValueError as exc:
        raise PackagingError(f"cannot read {path}: {exc}") from None
    return roots


def _poetry_python(data: Mapping[str, Any], path: Path, runtime: str) -> None:
    constraint = data.get("tool", {}).get("poetry", {}).get("dependencies", {}).get("python")
    if isinstance(constraint, str):
        check_python(constraint, path, runtime)
    requires = (data.get("project") or {}).get("requires-python")
    if isinstance(requires, str):
        check_python(requires, path, runtime)


def requirements_from_poetry(path: Path, data: Mapping[str, Any], runtime: str, architecture: str,
                             extras: Sequence[str] = (), groups: Sequence[str] = ()) -> list[str]:
    """Pinned packages of `poetry.lock` reachable from the main dependencies, else those dependencies as PEP 508."""
    environment = lambda_environment(runtime, architecture)
    _poetry_python(data, path, runtime)
    roots = [dep for dep in _poetry_roots(data, path, extras, groups)
             if _applies(_marker(dep), environment, path)]
    lock = path.with_name(POETRY_LOCK)
    if not lock.is_file():
        return [line for dep in roots if (line := _without_marker(dep.to_pep_508(), environment, path))]
    packages = read_toml(lock).get("package")
    if not isinstance(packages, list):
        raise PackagingError(f"cannot read {lock}: no [[package]] entries")
    return _walk_lock(lock, packages, roots, environment)


def _marker(dep: Dependency) -> str | None:
    return None if dep.marker.is_any() else str(dep.marker)


def _walk_lock(lock: Path, packages: list[Any], roots: list[Dependency],
               environment: Mapping[str, str]) -> list[str]:
    by_name: dict[str, list[Mapping[str, Any]]] = {}
    for package in packages:
        by_name.setdefault(canonicalize_name(str(package.get("name", ""))), []).append(package)
    pinned: dict[str, str] = {}
    seen: set[tuple[str, frozenset[str]]] = set()
    queue = list(roots)
    while queue:
        dep = queue.pop(0)
        name = canonicalize_name(dep.name)
        state = (name, frozenset(dep.extras))
        if state in seen:
            continue
        seen.add(state)
        package = _locked(lock, by_name.get(name, []), dep, environment)
        pinned[name] = f"{package['name']}=={package['version']}"
        try:
            wanted_optional = {canonicalize_name(Requirement(item).name) for extra in dep.extras
                               for item in (package.get("extras") or {}).get(extra, [])}
        except InvalidRequirement as exc:
            raise PackagingError(f"cannot read {lock}: extras of '{dep.name}': {exc}") from None
        for child_name, spec in (package.get("dependencies") or {}).items():
            for child in _dependencies(child_name, spec, lock):
                optional = child.is_optional() and canonicalize_name(child.name) not in wanted_optional
                if not optional and _applies(_marker(child), environment, lock):
                    queue.append(child)
    return [pinned[name] for name in sorted(pinned)]


def _locked(lock: Path, candidates: list[Mapping[str, Any]], dep: Dependency,
            environment: Mapping[str, str]) -> Mapping[str, Any]:
    """The locked package for `dep` (Poetry locks several versions of one name for different Pythons)."""
    if not candidates:
        raise PackagingError(f"{lock} has no package '{dep.name}' (is the lock file out of date? run `poetry lock`)")
    try:
        fitting = [c for c in candidates if dep.constraint.allows(Version.parse(str(c.get("version"))))
                   and _applies(c.get("markers") if isinstance(c.get("markers"), str) else None, environment, lock)]
    except ValueError as exc:  # poetry-core's invalid-version error is a ValueError
        raise PackagingError(f"cannot read {lock}: version of '{dep.name}': {exc}") from None
    if not fitting:
        raise PackagingError(f"{lock} locks no version of '{dep.name}' that satisfies {dep.pretty_constraint} "
                             "(is the lock file out of date? run `poetry lock`)")
    package = fitting[0]
    source = package.get("source")
    if isinstance(source, dict) and source.get("type") in UNINSTALLABLE_SOURCES:
        raise PackagingError(f"{lock}: package '{dep.name}' comes from a {source.get('type')} source; the Lambda "
                             "buildpack installs only wheels from package indexes")
    return package
