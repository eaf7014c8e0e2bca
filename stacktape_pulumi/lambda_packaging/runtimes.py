"""Pure decisions: the language of an entry file, default runtimes, handler strings.

Defaults follow the reference (`src/config/random.ts`): `.js`/`.ts` → `nodejs24.x`,
`.py` → `python3.13`, `.go` → `provided.al2023` (Go runs as a `bootstrap` binary on the OS-only
runtime). The Lambda buildpack here builds Python, JavaScript/TypeScript and Go; other
languages the reference bundles (Ruby, Java, PHP, .NET) are refused with a located
"not supported yet" error.
"""

from pathlib import PurePosixPath

PYTHON = "python"
JAVASCRIPT = "javascript"
GO = "go"

JS_EXTENSIONS = (".js", ".mjs", ".cjs", ".jsx", ".ts", ".mts", ".cts", ".tsx")
PY_EXTENSIONS = (".py",)
GO_EXTENSIONS = (".go",)
# Entry extensions of the reference's buildpack that this version does not bundle.
OTHER_EXTENSIONS = {".rb": "Ruby", ".java": "Java", ".kt": "Kotlin", ".php": "PHP", ".cs": ".NET"}

DEFAULT_RUNTIMES = {JAVASCRIPT: "nodejs24.x", PYTHON: "python3.13", GO: "provided.al2023"}
# The OS-only runtimes a compiled `bootstrap` runs on (Lambda retired the `go1.x` runtime).
PROVIDED_RUNTIMES = ("provided.al2023", "provided.al2")
DEFAULT_HANDLER_FUNCTIONS = {JAVASCRIPT: "default", PYTHON: "handler"}
# Node versions the reference's `nodeVersion` accepts that Lambda also runs.
LAMBDA_NODE_VERSIONS = (18, 20, 22, 24)
LAMBDA_PYTHON_VERSIONS = ("3.8", "3.9", "3.10", "3.11", "3.12", "3.13")


def language_of(entry: str) -> str | None:
    """`python`, `javascript` (JS and TS), `go`, or None for an extension the buildpack does not bundle."""
    suffix = PurePosixPath(entry).suffix.lower()
    if suffix in PY_EXTENSIONS:
        return PYTHON
    if suffix in GO_EXTENSIONS:
        return GO
    if suffix in JS_EXTENSIONS:
        return JAVASCRIPT
    return None


def runtime_language(runtime: str) -> str | None:
    """The language a Lambda runtime runs: `nodejs22.x` → javascript, `python3.12` → python, `provided.al2023` → go."""
    if runtime.startswith("nodejs"):
        return JAVASCRIPT
    if runtime.startswith("python"):
        return PYTHON
    if runtime in PROVIDED_RUNTIMES:
        return GO
    return None


def default_runtime(language: str, *, node_version: int | None = None, python_version: float | None = None) -> str:
    """The runtime of a buildpack function without `runtime`: from languageSpecificConfig, else the default."""
    if language == JAVASCRIPT and node_version in LAMBDA_NODE_VERSIONS:
        return f"nodejs{node_version}.x"
    if language == PYTHON and python_version is not None and f"{python_version:g}" in LAMBDA_PYTHON_VERSIONS:
        return f"python{python_version:g}"
    return DEFAULT_RUNTIMES[language]


def node_major(runtime: str) -> int:
    """`nodejs22.x` → 22 (the esbuild target)."""
    return int(runtime.removeprefix("nodejs").split(".", 1)[0])


def python_version(runtime: str) -> str:
    """`python3.12` → `3.12` (pip's `--python-version`)."""
    return runtime.removeprefix("python")


def custom_artifact_handler(handler: str) -> str:
    """`{file}:{function}` → AWS's `<file without extension>.<function>`: `src/index.js:main` → `src/index.main`.

    Slashes stay: the Node.js and Python runtimes both resolve `dir/module.function`.
    """
    file, _, function = handler.rpartition(":")
    path = PurePosixPath(file.replace("\\", "/").removeprefix("./"))
    stem = path.with_suffix("").as_posix() if path.suffix else path.as_posix()
    return f"{stem}.{function}"
