"""Dockerfiles generated for `stacktape-image-buildpack`, one recipe per language.

Every recipe is multi-stage: a build stage with the toolchain (esbuild, uv, Go) and a final
stage with only the runtime and the app, run as a non-root user. Base images come from the
Docker official images mirror on Amazon ECR Public (no Docker Hub rate limits when building
on AWS), and distroless for Go. Supported languages (by entry file extension):

- JavaScript / TypeScript (`.ts .tsx .mts .cts .js .jsx .mjs .cjs`): bundled with esbuild,
  source maps on, Node.js `nodeVersion` (default 24) on Alpine, or Debian slim with
  `requiresGlibcBinaries`.
- Python (`.py`, `file.py:callable` with `runAppAs`): slim Debian Python `pythonVersion`
  (default 3.9, as the reference), dependencies from requirements.txt, pyproject.toml (+ uv.lock),
  poetry.lock or Pipfile installed into a virtualenv by uv; started as a module when the entry
  lies in a package, else as a file; gunicorn (WSGI) or uvicorn (ASGI) with `runAppAs`.
- Go (`.go`): static binary (CGO off) on distroless static, or with cgo on distroless base
  with `requiresGlibcBinaries`.

Java, Ruby, PHP and .NET entries are rejected at validate time with a located error.
"""

import json
import posixpath
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from stacktape_pulumi.errors import StacktapeError

MIRROR = "public.ecr.aws/docker/library"
DISTROLESS = "gcr.io/distroless"
ESBUILD_VERSION = "0.28.2"
UV_VERSION = "0.13.9"
GUNICORN_VERSION = "27.0.1"
UVICORN_VERSION = "0.54.0"
POETRY_VERSION = "2.5.1"
POETRY_EXPORT_VERSION = "1.10.1"
PIPENV_VERSION = "2026.10.3"
GO_VERSION = "1.25"
ALPINE_VERSION = "3.22"
DEFAULT_NODE_VERSION = 24
DEFAULT_PYTHON_VERSION = 3.9
NODE_UID = 1000  # the `node` user of the official Node.js images
APP_UID = 10001
DISTROLESS_NONROOT_UID = 65532
# Packaging types whose images run as a non-root user: the Dockerfiles generated here (USER above), and
# Cloud Native Buildpacks images (`pack`, the Paketo builders run the app as their `cnb` user). Such a
# process cannot bind a port below 1024 unless the task lowers `net.ipv4.ip_unprivileged_port_start`.
NON_ROOT_PACKAGING_TYPES = frozenset({"stacktape-image-buildpack", "external-buildpack"})

NODE_EXTENSIONS = (".ts", ".tsx", ".mts", ".cts", ".js", ".jsx", ".mjs", ".cjs")
LANGUAGES = {**{ext: "node" for ext in NODE_EXTENSIONS}, ".py": "python", ".go": "go"}
OTHER_LANGUAGES = {".java": "Java", ".kt": "Kotlin", ".rb": "Ruby", ".php": "PHP", ".cs": ".NET",
                   ".csproj": ".NET", ".fs": ".NET", ".rs": "Rust", ".ex": "Elixir", ".exs": "Elixir"}
SUPPORTED_LANGUAGES = "JavaScript/TypeScript (.ts .tsx .mts .cts .js .jsx .mjs .cjs), Python (.py), Go (.go)"

# Never part of a generated image's build context (BuildKit semantics: anchored at the root).
DEFAULT_IGNORES = (
    ".git",
    ".stacktape",
    "**/node_modules",
    "**/__pycache__",
    "**/*.pyc",
    "**/.venv",
    "**/.DS_Store",
)


def entry_parts(entryfile: str) -> tuple[str, str | None]:
    """`app/main.py:app` → (`app/main.py`, `app`); the callable is only for Python's runAppAs."""
    path, sep, handler = entryfile.rpartition(":")
    if sep and path.endswith(".py") and handler.isidentifier():
        return path, handler
    return entryfile, None


def language_of(entryfile: str) -> str | None:
    """`node`, `python` or `go` for a supported entry file, else None."""
    path, _ = entry_parts(entryfile)
    return LANGUAGES.get(posixpath.splitext(path)[1].lower())


def json_list(items: Sequence[str]) -> str:
    """Dockerfile exec/JSON form, e.g. `["node", "index.js"]`."""
    return json.dumps(list(items))


@dataclass(frozen=True)
class CopyGroup:
    """One `COPY` of context files into the final image, keeping their relative paths."""

    sources: tuple[str, ...]
    destination: str

    def line(self) -> str:
        return f"COPY {json_list([*self.sources, self.destination])}"


def copy_groups(matched: Sequence[str], files: Sequence[str]) -> list[CopyGroup]:
    """The fewest `COPY` lines bringing `matched` files (context-relative) into `/app`.

    A directory whose every file is matched is copied whole; the other files are grouped by
    their directory (one COPY can copy several files into one destination directory).
    """
    chosen = set(matched)
    if not chosen:
        return []
    # A directory is "whole" when no file below it is left out.
    partial: set[str] = set()
    for path in files:
        if path not in chosen:
            parts = path.split("/")
            partial.update("/".join(parts[:i]) for i in range(1, len(parts)))
    groups: dict[str, list[str]] = {}
    whole: list[str] = []
    for path in sorted(chosen):
        parts = path.split("/")
        top = next(("/".join(parts[:i]) for i in range(1, len(parts)) if "/".join(parts[:i]) not in partial), None)
        if top is not None:
            if top not in whole:
                whole.append(top)
            continue
        parent = posixpath.dirname(path)
        groups.setdefault(parent, []).append(path)
    result = [CopyGroup((d,), f"./{d}/") for d in whole]
    for parent, paths in sorted(groups.items()):
        result.append(CopyGroup(tuple(paths), f"./{parent}/" if parent else "./"))
    return result


@dataclass
class BuildpackSpec:
    """What a generated Dockerfile depends on, read from the packaging properties and the sources."""

    entryfile: str  # relative to the build context (POSIX)
    requires_glibc: bool = False
    custom_commands: list[str] = field(default_factory=list)
    exclude_dependencies: list[str] = field(default_factory=list)
    includes: list[CopyGroup] = field(default_factory=list)
    # JavaScript / TypeScript
    node_version: int = DEFAULT_NODE_VERSION
    tsconfig: str | None = None
    external_dependencies: list[str] = field(default_factory=list)
    deployment_exclusions: list[str] = field(default_factory=list)
    module_format: str = "cjs"
    source_maps: bool = True
    # Python
    python_version: float = DEFAULT_PYTHON_VERSION
    package_manager_file: str | None = None
    use_uv: bool = False
    uv_extras: list[str] = field(default_factory=list)
    uv_groups: list[str] = field(default_factory=list)
    uv_without_groups: list[str] = field(default_factory=list)
    uv_only_groups: list[str] = field(default_factory=list)
    run_app_as: str | None = None


class Dockerfile:
    """A small line builder so the recipes read top to bottom."""

    def __init__(self, header: Sequence[str]) -> None:
        self.lines = [f"# {line}" if line else "#" for line in header]

    def add(self, *lines: str) -> "Dockerfile":
        self.lines.extend(lines)
        return self

    def stage(self, line: str) -> "Dockerfile":
        self.lines.append("")
        self.lines.append(line)
        return self

    def text(self) -> str:
        return "\n".join(self.lines) + "\n"


def _existing(root: Path, directory: str, names: Sequence[str]) -> list[str]:
    return [posixpath.join(directory, n) if directory else n for n in names if (root / directory / n).is_file()]


def nearest_with(root: Path, start: str, names: Sequence[str]) -> str | None:
    """The closest directory from `start` up to the context root holding one of `names` ("" = root)."""
    current = start
    while True:
        if any((root / current / name).is_file() for name in names):
            return current
        if not current:
            return None
        current = posixpath.dirname(current)


def _run_custom(dockerfile: Dockerfile, spec: BuildpackSpec) -> None:
    for command in spec.custom_commands:
        dockerfile.add(f"RUN {command}")


# ---- JavaScript / TypeScript ---------------------------------------------------------------

NODE_LOCKFILES = (("package-lock.json", "npm"), ("npm-shrinkwrap.json", "npm"), ("yarn.lock", "yarn"),
                  ("pnpm-lock.yaml", "pnpm"))


def _node_install(manager: str, root: Path, project: str, *, production: bool) -> str:
    if manager == "yarn":
        berry = (root / project / ".yarnrc.yml").is_file()
        if berry:
            return "corepack enable && yarn workspaces focus --all --production" if production \
                else "corepack enable && yarn install --immutable"
        return "corepack enable && yarn install --frozen-lockfile" + (" --production" if production else "")
    if manager == "pnpm":
        return "corepack enable && pnpm install --frozen-lockfile" + (" --prod" if production else "")
    if manager == "npm":
        return "npm ci" + (" --omit=dev" if production else "")
    return "npm install --no-audit --no-fund" + (" --omit=dev" if production else "")


def node_dockerfile(root: Path, spec: BuildpackSpec, header: Sequence[str]) -> str:
    """Bundle the entry with esbuild in a build stage; run the bundle on a slim Node.js image."""
    base = f"{MIRROR}/node:{spec.node_version}-{'bookworm-slim' if spec.requires_glibc else 'alpine'}"
    entry_dir = posixpath.dirname(spec.entryfile)
    project = nearest_with(root, entry_dir, ("package.json",))
    manifests: list[str] = []
    manager = "none"
    if project is not None:
        for lockfile, name in NODE_LOCKFILES:
            if (root / project / lockfile).is_file():
                manager = name
                manifests = _existing(root, project, ("package.json", lockfile, ".npmrc", ".yarnrc.yml",
                                                      "pnpm-workspace.yaml"))
                break
        else:
            manifests = _existing(root, project, ("package.json", ".npmrc"))
    workdir = f"/src/{project}" if project else "/src"
    out_name = "index.mjs" if spec.module_format == "esm" else "index.js"
    externals = sorted(set(spec.external_dependencies) | set(spec.exclude_dependencies))
    bundle = ["esbuild", posixpath.relpath(spec.entryfile, project or "."), "--bundle", "--platform=node",
              f"--target=node{spec.node_version}", f"--format={spec.module_format}", "--keep-names",
              f"--outfile=/out/{out_name}"]
    if spec.source_maps:
        bundle.append("--sourcemap")
    if spec.tsconfig:
        bundle.append(f"--tsconfig={posixpath.relpath(spec.tsconfig, project or '.')}")
    if spec.module_format == "esm":
        # Bundled CommonJS dependencies call require(); ESM output has none unless we create it.
        bundle.append("--banner:js=import { createRequire } from 'node:module'; "
                      "const require = createRequire(import.meta.url);")
    if "*" in spec.external_dependencies:
        bundle.append("--packages=external")
    bundle += [f"--external:{dep}" for dep in externals if dep != "*"]

    # The bundler runs on the build machine's platform: its output is platform-independent.
    df = Dockerfile(header).stage(f"FROM --platform=$BUILDPLATFORM {base} AS build")
    df.add(f"RUN npm install --global --no-audit --no-fund esbuild@{ESBUILD_VERSION}", f"WORKDIR {workdir}")
    if manifests:
        install = _node_install(manager, root, project or "", production=False)
        df.add(f"COPY {json_list([*manifests, './'])}", f"RUN {install}")
    df.add("COPY . /src", f"RUN {json_list(bundle)}")

    installs_runtime_deps = bool(spec.external_dependencies) and bool(manifests)
    if installs_runtime_deps:
        # Dependencies kept out of the bundle are installed for the target platform (native addons).
        install = _node_install(manager, root, project or "", production=True)
        removed = sorted(set(spec.exclude_dependencies) | set(spec.deployment_exclusions))
        if removed:
            install += " && rm -rf " + " ".join(f"node_modules/{dep}" for dep in removed)
        df.stage(f"FROM {base} AS deps").add("WORKDIR /deps", f"COPY {json_list([*manifests, './'])}",
                                             f"RUN {install}")

    df.stage(f"FROM {base}").add("ENV NODE_ENV=production", "WORKDIR /app", "COPY --from=build /out/ ./")
    if installs_runtime_deps:
        df.add("COPY --from=deps /deps/node_modules ./node_modules")
    df.add(*(group.line() for group in spec.includes))
    _run_custom(df, spec)
    command = ["node", "--enable-source-maps", out_name] if spec.source_maps else ["node", out_name]
    df.add(f"USER {NODE_UID}:{NODE_UID}", f"CMD {json_list(command)}")
    return df.text()


# ---- Python --------------------------------------------------------------------------------

PYTHON_MANIFESTS = ("poetry.lock", "uv.lock", "Pipfile.lock", "Pipfile", "requirements.txt", "pyproject.toml")


@dataclass(frozen=True)
class PythonDependencies:
    """How a Python project declares its dependencies: `pip` | `uv` | `uv-lock` | `poetry` | `pipenv` | `none`."""

    kind: str
    directory: str  # the project directory, relative to the context ("" = root)
    files: tuple[str, ...] = ()


def python_dependencies(root: Path, spec: BuildpackSpec) -> PythonDependencies:
    """Find the dependency manifest: `packageManagerFile`, else the nearest one above the entry file."""
    if spec.package_manager_file:
        manifest = spec.package_manager_file
        directory = posixpath.dirname(manifest)
        name = posixpath.basename(manifest)
    else:
        found = nearest_with(root, posixpath.dirname(entry_parts(spec.entryfile)[0]), PYTHON_MANIFESTS)
        if found is None:
            return PythonDependencies("none", "")
        directory = found
        name = next(n for n in PYTHON_MANIFESTS if (root / found / n).is_file())
    has = {n for n in ("pyproject.toml", "poetry.lock", "uv.lock", "Pipfile", "Pipfile.lock")
           if (root / directory / n).is_file()}
    if name in ("Pipfile", "Pipfile.lock"):
        return PythonDependencies("pipenv", directory, tuple(_existing(root, directory, ("Pipfile", "Pipfile.lock"))))
    if name == "requirements.txt" or (name.endswith(".txt") and not spec.use_uv):
        return PythonDependencies("pip", directory, (posixpath.join(directory, name) if directory else name,))
    if "poetry.lock" in has and not spec.use_uv:
        return PythonDependencies("poetry", directory, tuple(_existing(root, directory, ("pyproject.toml",
                                                                                         "poetry.lock"))))
    if "uv.lock" in has:
        return PythonDependencies("uv-lock", directory, tuple(_existing(root, directory, ("pyproject.toml",
                                                                                          "uv.lock"))))
    return PythonDependencies("uv", directory, tuple(_existing(root, directory, ("pyproject.toml",))))


def _uv_group_flags(spec: BuildpackSpec) -> list[str]:
    flags = [f"--extra {e}" for e in spec.uv_extras]
    flags += [f"--group {g}" for g in spec.uv_groups]
    flags += [f"--no-group {g}" for g in spec.uv_without_groups]
    flags += [f"--only-group {g}" for g in spec.uv_only_groups]
    return flags


def python_install(deps: PythonDependencies, spec: BuildpackSpec) -> list[str]:
    """RUN lines installing the dependencies into /opt/venv (uv is the installer for every format)."""
    install = "uv pip install --no-cache --python /opt/venv/bin/python"
    names = [posixpath.basename(f) for f in deps.files]
    match deps.kind:
        case "pip":
            return [f"RUN {install} -r {names[0]}"]
        case "uv":
            return [f"RUN {' '.join([install, '-r pyproject.toml', *[f'--extra {e}' for e in spec.uv_extras]])}"]
        case "uv-lock":
            export = " ".join(["uv export --frozen --no-dev --no-emit-project --no-hashes", *_uv_group_flags(spec),
                               "-o /tmp/requirements.txt"])
            return [f"RUN {export} && {install} -r /tmp/requirements.txt"]
        case "poetry":
            return [f"RUN pip install --no-cache-dir poetry=={POETRY_VERSION} "
                    f"poetry-plugin-export=={POETRY_EXPORT_VERSION}",
                    "RUN poetry export --only main --without-hashes -f requirements.txt -o /tmp/requirements.txt "
                    f"&& {install} -r /tmp/requirements.txt"]
        case "pipenv":
            lock = "" if "Pipfile.lock" in names else "pipenv lock && "
            return [f"RUN pip install --no-cache-dir pipenv=={PIPENV_VERSION}",
                    f"RUN {lock}pipenv requirements > /tmp/requirements.txt && {install} -r /tmp/requirements.txt"]
    return []


def python_command(root: Path, spec: BuildpackSpec, project: str) -> list[str]:
    """How the container starts: a WSGI/ASGI server, `python -m package.module`, or `python file.py`."""
    path, handler = entry_parts(spec.entryfile)
    relative = posixpath.relpath(path, project or ".")
    module_parts = posixpath.splitext(relative)[0].split("/")
    packages = all((root / project / "/".join(module_parts[:i]) / "__init__.py").is_file()
                   for i in range(1, len(module_parts)))
    module = ".".join(module_parts)
    if spec.run_app_as == "WSGI":
        return ["sh", "-c", f"exec gunicorn --bind 0.0.0.0:${{PORT:-8000}} {module}:{handler or 'app'}"]
    if spec.run_app_as == "ASGI":
        return ["sh", "-c", f"exec uvicorn --host 0.0.0.0 --port ${{PORT:-8000}} {module}:{handler or 'app'}"]
    if len(module_parts) > 1 and packages:
        return ["python", "-m", module]
    return ["python", relative]


def python_version_tag(version: float) -> str:
    text = f"{version:.2f}".rstrip("0")
    return text if "." in text and not text.endswith(".") else f"{version:.1f}"


def python_dockerfile(root: Path, spec: BuildpackSpec, header: Sequence[str]) -> str:
    """Install dependencies into a virtualenv in a build stage; copy it and the sources to slim Python."""
    base = f"{MIRROR}/python:{python_version_tag(spec.python_version)}-slim-bookworm"
    deps = python_dependencies(root, spec)
    df = Dockerfile(header).stage(f"FROM {base} AS build")
    df.add(f"RUN pip install --no-cache-dir uv=={UV_VERSION} && python -m venv --without-pip /opt/venv",
           f"WORKDIR /src/{deps.directory}" if deps.directory else "WORKDIR /src")
    if deps.files:
        df.add(f"COPY {json_list([*deps.files, './'])}")
    df.add(*python_install(deps, spec))
    if spec.run_app_as == "WSGI":
        df.add(f"RUN uv pip install --no-cache --python /opt/venv/bin/python gunicorn=={GUNICORN_VERSION}")
    elif spec.run_app_as == "ASGI":
        df.add(f"RUN uv pip install --no-cache --python /opt/venv/bin/python uvicorn=={UVICORN_VERSION}")
    if spec.exclude_dependencies:
        df.add("RUN uv pip uninstall --python /opt/venv/bin/python " + " ".join(sorted(spec.exclude_dependencies)))

    df.stage(f"FROM {base}")
    df.add('ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PATH="/opt/venv/bin:$PATH"',
           f"RUN useradd --system --uid {APP_UID} --no-create-home --shell /usr/sbin/nologin app",
           "COPY --from=build /opt/venv /opt/venv",
           "WORKDIR /app",
           "COPY . .")
    _run_custom(df, spec)
    if deps.directory:
        df.add(f"WORKDIR /app/{deps.directory}")
    df.add(f"USER {APP_UID}:{APP_UID}", f"CMD {json_list(python_command(root, spec, deps.directory))}")
    return df.text()


# ---- Go ------------------------------------------------------------------------------------


def go_dockerfile(root: Path, spec: BuildpackSpec, header: Sequence[str]) -> str:
    """Compile a static binary (cgo with `requiresGlibcBinaries`) and run it on distroless, non-root."""
    entry_dir = posixpath.dirname(spec.entryfile)
    module = nearest_with(root, entry_dir, ("go.mod",))
    if module is None:
        target = spec.entryfile
        workdir = "/src"
    else:
        rel = posixpath.relpath(entry_dir or ".", module or ".")
        target = "." if rel == "." else f"./{rel}"
        workdir = f"/src/{module}" if module else "/src"
    if spec.requires_glibc:
        # cgo needs the target's C toolchain, so this build runs on the target platform.
        build_from = f"FROM {MIRROR}/golang:{GO_VERSION}-bookworm AS build"
        env = "CGO_ENABLED=1"
        runtime = f"{MIRROR}/debian:bookworm-slim" if spec.custom_commands else f"{DISTROLESS}/base-debian12:nonroot"
    else:
        # A pure-Go binary cross-compiles natively: no emulation for arm64 images.
        build_from = f"FROM --platform=$BUILDPLATFORM {MIRROR}/golang:{GO_VERSION}-alpine AS build"
        env = "CGO_ENABLED=0 GOOS=$TARGETOS GOARCH=$TARGETARCH"
        runtime = (f"{MIRROR}/alpine:{ALPINE_VERSION}" if spec.custom_commands
                   else f"{DISTROLESS}/static-debian12:nonroot")

    df = Dockerfile(header).stage(build_from).add(f"WORKDIR {workdir}")
    if module is not None:
        df.add(f"COPY {json_list([*_existing(root, module, ('go.mod', 'go.sum')), './'])}", "RUN go mod download")
    df.add("COPY . /src")
    if not spec.requires_glibc:
        df.add("ARG TARGETOS", "ARG TARGETARCH")
    df.add(f'RUN {env} go build -trimpath -ldflags="-s -w" -o /out/app {target}')

    df.stage(f"FROM {runtime}").add("WORKDIR /app", "COPY --from=build /out/app /app/app")
    df.add(*(group.line() for group in spec.includes))
    uid = DISTROLESS_NONROOT_UID
    if spec.custom_commands:
        # Custom commands need a shell, which distroless has not: a minimal distribution instead.
        uid = APP_UID
        if spec.requires_glibc:
            df.add(f"RUN useradd --system --uid {uid} --no-create-home --shell /usr/sbin/nologin app")
        else:
            df.add(f"RUN adduser -D -H -u {uid} app")
        _run_custom(df, spec)
    df.add(f"USER {uid}:{uid}", f"CMD {json_list(['/app/app'])}")
    return df.text()


def generate_dockerfile(root: Path, spec: BuildpackSpec, header: Sequence[str] = ()) -> str:
    """The Dockerfile for `spec.entryfile` under the build context `root`."""
    language = language_of(spec.entryfile)
    if language == "node":
        return node_dockerfile(root, spec, header)
    if language == "python":
        return python_dockerfile(root, spec, header)
    if language == "go":
        return go_dockerfile(root, spec, header)
    raise StacktapeError(f"entry file '{spec.entryfile}': language not supported; supported: {SUPPORTED_LANGUAGES}")
