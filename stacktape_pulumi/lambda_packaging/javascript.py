"""The Lambda buildpack for JavaScript and TypeScript: one file bundled by esbuild.

The entry and everything it imports become `index.js` (`index.mjs` for
`outputModuleFormat: esm`) targeting the runtime's Node.js version, with an external source
map (`index.js.map`, and `NODE_OPTIONS=--enable-source-maps`) unless `disableSourceMaps`, or
written to `outputSourceMapsTo` instead of being shipped. `excludeDependencies` stay out of the
bundle and out of the package (provided by a layer or the runtime);
`dependenciesToExcludeFromBundle` stay out of the bundle and are copied, with their own
dependencies, from `node_modules` into the package (`*`: every dependency of the nearest
package.json). esbuild is the npm package; it is looked up in `$STACKTAPE_ESBUILD`, the
`node_modules/.bin` and `.stacktape/tools/node_modules/.bin` directories from the config directory
upwards, then `PATH`.
"""

import json
import os
import shutil
import subprocess
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from stacktape_pulumi.lambda_packaging.archive import Entry, entries_digest, tree_entries
from stacktape_pulumi.lambda_packaging.artifacts import SCHEME, LambdaArtifact, PackagingError, slug, store
from stacktape_pulumi.lambda_packaging.files import included_files, without_excluded
from stacktape_pulumi.lambda_packaging.runtimes import DEFAULT_HANDLER_FUNCTIONS, JAVASCRIPT, node_major

ESBUILD_ENV = "STACKTAPE_ESBUILD"
ESBUILD_VERSION = "0.24"
TOOLS_DIR = Path(".stacktape") / "tools"
INSTALL_COMMAND = f"npm install --no-save --prefix {TOOLS_DIR.as_posix()} esbuild@{ESBUILD_VERSION}"
BUNDLES_DIR = "bundles"
ESBUILD_TIMEOUT_SECONDS = 300
SOURCE_MAPS_OPTION = "--enable-source-maps"
# ESM bundles may contain CommonJS code calling `require`; give it one.
ESM_REQUIRE_BANNER = "import { createRequire as __stpCreateRequire } from 'module';" \
                     "const require = __stpCreateRequire(import.meta.url);"


def esbuild_candidates(base_dir: Path) -> list[Path]:
    """Where esbuild is looked for, in order (before `PATH`)."""
    found: list[Path] = []
    for directory in [base_dir.resolve(), *base_dir.resolve().parents]:
        found += [directory / "node_modules" / ".bin" / "esbuild",
                  directory / TOOLS_DIR / "node_modules" / ".bin" / "esbuild"]
    return found


def find_esbuild(base_dir: Path) -> Path | None:
    """The esbuild binary to bundle with, or None when it is not installed."""
    configured = os.environ.get(ESBUILD_ENV)
    if configured:
        return Path(configured) if Path(configured).is_file() else None
    for candidate in esbuild_candidates(base_dir):
        if candidate.is_file():
            return candidate
    on_path = shutil.which("esbuild")
    return Path(on_path) if on_path else None


def missing_esbuild_message(function: str, base_dir: Path) -> str:
    return (f"function '{function}': bundling JavaScript/TypeScript needs esbuild (the npm package), which is not "
            f"installed. Install it in {base_dir} with `{INSTALL_COMMAND}` (or add esbuild to your project's "
            f"devDependencies), or set {ESBUILD_ENV} to the esbuild binary")


def esbuild_command(esbuild: Path, entry: Path, outfile: Path, runtime: str, *, esm: bool, source_maps: bool,
                    externals: Iterable[str], all_packages_external: bool, tsconfig: Path | None) -> list[str]:
    """The esbuild invocation bundling `entry` into `outfile` for the runtime's Node.js."""
    command = [str(esbuild), str(entry), "--bundle", "--platform=node", f"--target=node{node_major(runtime)}",
               f"--format={'esm' if esm else 'cjs'}", f"--outfile={outfile}", "--log-level=warning",
               "--charset=utf8", "--legal-comments=none"]
    if source_maps:
        command.append("--sourcemap")
    if esm:
        command.append(f"--banner:js={ESM_REQUIRE_BANNER}")
    if all_packages_external:
        command.append("--packages=external")
    command += [f"--external:{name}" for name in sorted(set(externals))]
    if tsconfig is not None:
        command.append(f"--tsconfig={tsconfig}")
    return command


def nearest_package_json(start: Path) -> Path | None:
    for directory in [start, *start.parents]:
        candidate = directory / "package.json"
        if candidate.is_file():
            return candidate
    return None


def _package_json(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text("utf-8"))
    except (OSError, ValueError) as exc:
        raise PackagingError(f"cannot read {path}: {exc}") from None
    return data if isinstance(data, dict) else {}


def _dependencies(package_json: Path) -> list[str]:
    data = _package_json(package_json)
    names: list[str] = []
    for key in ("dependencies", "optionalDependencies"):
        section = data.get(key)
        if isinstance(section, dict):
            names += [str(n) for n in section]
    return names


def resolve_package(name: str, start: Path) -> Path | None:
    """`node_modules/<name>` as Node.js would find it from `start` (nearest first)."""
    for directory in [start, *start.parents]:
        candidate = directory / "node_modules" / name
        if (candidate / "package.json").is_file():
            return candidate
    return None


def node_package_entries(names: Sequence[str], start: Path, left_out: Sequence[str]) -> dict[str, Entry]:
    """The packages `names` and their dependencies from `node_modules`, under `node_modules/` in the package."""
    entries: dict[str, Entry] = {}
    copied: set[Path] = set()
    todo = [(name, start) for name in names]
    while todo:
        name, origin = todo.pop(0)
        if name in left_out:
            continue
        directory = resolve_package(name, origin)
        if directory is None:
            raise PackagingError(f"dependency '{name}' is not installed (no node_modules/{name} from {origin} "
                                 "upwards); run your package manager's install first")
        if directory in copied or any(parent in copied for parent in directory.parents):
            continue  # already included, possibly nested inside a copied package
        copied.add(directory)
        entries.update(tree_entries(directory, prefix=f"node_modules/{name}/", skip=(".bin",)))
        todo += [(dependency, directory) for dependency in _dependencies(directory / "package.json")]
    return entries


def package_javascript(function: str, props: Any, runtime: str, *, base_dir: Path, cache: Path
                       ) -> tuple[LambdaArtifact, dict[str, str]]:
    """Bundle a JS/TS buildpack function; returns the artifact and environment variables it needs."""
    entry = (base_dir / props.entryfilePath).resolve()
    if not entry.is_file():
        raise PackagingError(f"function '{function}': entryfilePath '{props.entryfilePath}' does not exist "
                             f"(looked for {entry})")
    esbuild = find_esbuild(base_dir)
    if esbuild is None:
        raise PackagingError(missing_esbuild_message(function, base_dir))
    config = props.languageSpecificConfig
    esm = bool(config and config.outputModuleFormat == "esm")
    maps_to = config.outputSourceMapsTo if config else None
    source_maps = not (config and config.disableSourceMaps)
    bundle_externals = list(config.dependenciesToExcludeFromBundle or []) if config else []
    all_external = "*" in bundle_externals
    package_json = nearest_package_json(entry.parent)
    if all_external:
        if package_json is None:
            raise PackagingError(f"function '{function}': dependenciesToExcludeFromBundle '*' needs a package.json "
                                 f"in {entry.parent} or above")
        bundle_externals = _dependencies(package_json)
    excluded = list(props.excludeDependencies or [])
    tsconfig = (base_dir / config.tsConfigPath).resolve() if config and config.tsConfigPath else None

    out_dir = cache / BUNDLES_DIR / slug(function)
    shutil.rmtree(out_dir, ignore_errors=True)
    out_dir.mkdir(parents=True)
    outfile = out_dir / ("index.mjs" if esm else "index.js")
    command = esbuild_command(esbuild, entry, outfile, runtime, esm=esm, source_maps=source_maps,
                              externals=[*bundle_externals, *excluded], all_packages_external=all_external,
                              tsconfig=tsconfig)
    try:
        result = subprocess.run(command, cwd=base_dir, capture_output=True, text=True,
                                timeout=ESBUILD_TIMEOUT_SECONDS, check=False)
    except OSError as exc:
        raise PackagingError(f"function '{function}': cannot run esbuild ({esbuild}): {exc}") from None
    if result.returncode != 0:
        detail = "\n".join(f"  {line}" for line in (result.stderr or result.stdout).strip().splitlines()[-20:])
        raise PackagingError(f"function '{function}': esbuild could not bundle {props.entryfilePath}:\n{detail}")

    entries = tree_entries(out_dir)
    environment: dict[str, str] = {}
    if source_maps and maps_to:
        # Kept locally for the user's error tracker; not shipped.
        destination = (base_dir / maps_to).resolve()
        destination.mkdir(parents=True, exist_ok=True)
        for name in [n for n in entries if n.endswith(".map")]:
            shutil.copyfile(out_dir / name, destination / f"{slug(function)}-{name}")
            del entries[name]
    elif source_maps:
        environment["NODE_OPTIONS"] = SOURCE_MAPS_OPTION
    left_out = list(config.dependenciesToExcludeFromDeploymentPackage or []) if config else []
    if bundle_externals:
        entries.update(node_package_entries(bundle_externals, entry.parent, [*left_out, *excluded]))
    entries.update(without_excluded(included_files(base_dir, props.includeFiles or []), base_dir,
                                    props.excludeFiles or []))
    handler = f"index.{props.handlerFunction or DEFAULT_HANDLER_FUNCTIONS[JAVASCRIPT]}"
    key = entries_digest(entries, SCHEME, "javascript", runtime)
    return store(cache, function, key, entries, handler=handler, runtime=runtime), environment
