"""The Lambda buildpack for Go: the entry's package cross-compiled into a static `bootstrap` binary.

The entry file names the `main` package to build (its directory); the build runs in the
nearest directory holding `go.mod`, from the entry's directory up to the config directory.
The binary is built **for the function, not for this machine**: `GOOS=linux`, `GOARCH` from
the function's architecture, `CGO_ENABLED=0` (static: nothing to link on the runtime's OS),
`-trimpath` and `-ldflags=-s -w -buildid=` (no local paths, symbols or build id, so the same
sources and toolchain give the same bytes), `-tags lambda.norpc` (aws-lambda-go without the
RPC mode only the retired `go1.x` runtime used). It runs on `provided.al2023` with handler
`bootstrap`. `includeFiles` are packaged next to it.

Go keeps its own build cache, so the compiler runs on every packaging and the artifact is
keyed by the binary it produced: an unchanged binary finds the cached zip. The `go` CLI is
looked up in `$STACKTAPE_GO`, then `PATH`.
"""

import os
import shutil
import subprocess
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from stacktape_pulumi.lambda_packaging.archive import Entry, entries_digest
from stacktape_pulumi.lambda_packaging.artifacts import SCHEME, LambdaArtifact, PackagingError, slug, store
from stacktape_pulumi.lambda_packaging.files import included_files, without_excluded

GO_ENV = "STACKTAPE_GO"
GOARCH = {"x86_64": "amd64", "arm64": "arm64"}
BINARY = "bootstrap"
HANDLER = "bootstrap"
BUILD_DIR = "go-builds"
GO_TIMEOUT_SECONDS = 900
INSTALL_HINT = ("install Go from https://go.dev/doc/install (or `apt-get install golang-go`, `brew install go`), "
                f"or set {GO_ENV} to the go binary")

# `run(command, cwd, env)`: the compiler boundary, injectable so everything before it is testable without Go.
GoRunner = Callable[[list[str], Path, Mapping[str, str]], "subprocess.CompletedProcess[str]"]


def find_go() -> Path | None:
    """The go binary to compile with, or None when it is not installed."""
    configured = os.environ.get(GO_ENV)
    if configured:
        return Path(configured) if Path(configured).is_file() else None
    on_path = shutil.which("go")
    return Path(on_path) if on_path else None


def missing_go_message() -> str:
    return "packaging Go functions needs the `go` CLI, which is not on PATH"


def find_module_root(entry: Path, base_dir: Path) -> Path | None:
    """The nearest directory holding `go.mod`, from the entry's directory up to the config directory."""
    directory = entry.parent.resolve()
    stop = base_dir.resolve()
    while True:
        if (directory / "go.mod").is_file():
            return directory
        if directory == stop or directory.parent == directory or stop not in directory.parents:
            return None
        directory = directory.parent


def go_environment(architecture: str) -> dict[str, str]:
    """What the build sets on top of this machine's environment: Lambda's OS and CPU, no cgo."""
    return {"GOOS": "linux", "GOARCH": GOARCH[architecture], "CGO_ENABLED": "0"}


def go_build_command(go: Path, package: str, output: Path) -> list[str]:
    """`go build` of `package` (relative to the module root) into `output`, reproducibly."""
    return [str(go), "build", "-trimpath", "-tags", "lambda.norpc", "-ldflags=-s -w -buildid=", "-o", str(output),
            package]


def run_go(command: list[str], cwd: Path, env: Mapping[str, str]) -> "subprocess.CompletedProcess[str]":
    return subprocess.run(command, cwd=cwd, env={**os.environ, **env}, capture_output=True, text=True,
                          timeout=GO_TIMEOUT_SECONDS, check=False)


def package_go(function: str, props: Any, runtime: str, architecture: str, *, base_dir: Path, cache: Path,
               run: GoRunner = run_go) -> LambdaArtifact:
    """Compile (Go's own cache makes an unchanged build quick) and store the `bootstrap` package."""
    entry = (base_dir / props.entryfilePath).resolve()
    if not entry.is_file():
        raise PackagingError(f"function '{function}': entryfilePath '{props.entryfilePath}' does not exist "
                             f"(looked for {entry})")
    module = find_module_root(entry, base_dir)
    if module is None:
        raise PackagingError(f"function '{function}': no go.mod in {entry.parent} or above it up to {base_dir}; "
                             "the Go buildpack builds a module (run `go mod init` and `go get "
                             "github.com/aws/aws-lambda-go`)")
    go = find_go()
    if go is None:
        raise PackagingError(f"function '{function}': {missing_go_message()} ({INSTALL_HINT})")
    output = cache / BUILD_DIR / slug(function) / BINARY
    output.parent.mkdir(parents=True, exist_ok=True)
    output.unlink(missing_ok=True)
    package = "./" + entry.parent.relative_to(module).as_posix()
    result = run(go_build_command(go, package, output), module, go_environment(architecture))
    if result.returncode != 0 or not output.is_file():
        detail = (result.stderr or result.stdout).strip().splitlines()[-12:]
        raise PackagingError(f"function '{function}': `go build` of {props.entryfilePath} for linux/"
                             f"{GOARCH[architecture]} failed:\n" + "\n".join(f"  {line}" for line in detail))
    # The bytes, not the path: the build directory is reused by the next build of this function.
    binary = Entry(BINARY, output.read_bytes(), executable=True)
    entries = {**included_files(base_dir, props.includeFiles or []), BINARY: binary}
    entries = without_excluded(entries, base_dir, props.excludeFiles or [])
    if BINARY not in entries:
        raise PackagingError(f"function '{function}': excludeFiles removes the {BINARY} binary")
    key = entries_digest(entries, SCHEME, "go", runtime, architecture)
    return store(cache, function, key, entries, handler=HANDLER, runtime=runtime)
