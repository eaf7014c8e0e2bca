"""Custom directives: `directives: [{name, filePath}]` at the top of a config, called as `$Name(args)`.

A Python file's function (`file.py:function`, default `main`) is called in this process; a
JavaScript or TypeScript file's export (`file.js:name`, default the `default` export) is called
through Node, its arguments and result passed as JSON. With arguments known before deployment a
custom directive is resolved at load time, like `$Format`; with a runtime argument
(`$MyDirective($ResourceParam('db', 'host'))`) it is rewritten to the hidden runtime directive
`$CustomDirective('<name>', '<absolute file>:<function>', args…)`, which the runtime resolution
calls once the arguments are known (so the call needs no config to find the file).
"""

import hashlib
import importlib.util
import re
import shutil
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from stacktape_pulumi.directives.interpreters import InterpreterMissing, node_command
from stacktape_pulumi.errors import Problem, StacktapeError

PYTHON_FILES = (".py",)
NODE_FILES = (".js", ".mjs", ".cjs", ".ts", ".mts", ".cts")
NAME_PATTERN = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
NODE_TIMEOUT_SECONDS = 60
# Runs one export of a module with JSON arguments and prints its (awaited) result as JSON.
_NODE_CALL = """
const [file, exportName, argsJson] = process.argv.slice(-3);
const { pathToFileURL } = require('node:url');
(async () => {
  const module = await import(pathToFileURL(file).href);
  const fn = exportName ? (module[exportName] ?? module.default?.[exportName]) : module.default;
  if (typeof fn !== 'function') {
    throw new Error(exportName ? `no exported function '${exportName}'` : 'no default export function');
  }
  const result = await fn(...JSON.parse(argsJson));
  process.stdout.write(JSON.stringify(result === undefined ? null : result));
})().catch((error) => {
  process.stderr.write(String(error && error.message ? error.message : error));
  process.exit(1);
});
"""


class CustomDirectiveError(StacktapeError):
    """A custom directive that cannot be loaded, or that failed."""


@dataclass(frozen=True)
class CustomDirective:
    """A custom directive's name and the function it calls."""

    name: str
    file: Path
    function: str | None  # None: the file's default (`main` in Python, the default export in JS)

    @property
    def reference(self) -> str:
        """`<absolute file>:<function>`, what the hidden runtime directive carries."""
        return f"{self.file}:{self.function or ''}"

    @classmethod
    def from_reference(cls, name: str, reference: str) -> "CustomDirective":
        file, _, function = reference.rpartition(":")
        return cls(name, Path(file), function or None)

    def call(self, args: Sequence[Any]) -> Any:
        """The directive's value for `args`; a CustomDirectiveError says what went wrong."""
        if self.file.suffix in PYTHON_FILES:
            function = python_function(self.file, self.function or "main")
            try:
                return function(*args)
            except Exception as exc:  # the user's code may raise anything: report it at the call site
                raise CustomDirectiveError(f"${self.name} raised {type(exc).__name__}: {exc}") from None
        return _call_node(self, args)


def parse_definitions(raw: Any, config_dir: Path, builtins: Sequence[str],
                      ) -> tuple[dict[str, CustomDirective], list[Problem]]:
    """The `directives` section checked: names, files, functions. Problems at paths below `directives`."""
    found: dict[str, CustomDirective] = {}
    problems: list[Problem] = []
    if raw is None:
        return found, problems
    if not isinstance(raw, list):
        return found, [Problem((), "directives must be a list of {name, filePath}")]
    for index, item in enumerate(raw):
        if not isinstance(item, Mapping):
            problems.append(Problem((index,), "a custom directive is a mapping {name, filePath}"))
            continue
        name, file_path = item.get("name"), item.get("filePath")
        if not isinstance(name, str) or not NAME_PATTERN.match(name):
            problems.append(Problem((index, "name"), f"custom directive name {name!r} is not valid: letters, "
                                                     "digits and '_', not starting with a digit",
                                    "e.g. MyCustomDirective, used as $MyCustomDirective('input')"))
            continue
        if name in builtins:
            problems.append(Problem((index, "name"), f"custom directive ${name} has the name of a built-in "
                                                     "directive", "choose another name"))
            continue
        if name in found:
            problems.append(Problem((index, "name"), f"custom directive ${name} is defined twice"))
            continue
        if not isinstance(file_path, str) or not file_path:
            problems.append(Problem((index, "filePath"), "filePath must be '<file>' or '<file>:<function>'"))
            continue
        definition, problem = _definition(name, file_path, config_dir)
        if problem is not None:
            problems.append(Problem((index, "filePath"), problem.message, problem.hint))
        else:
            found[name] = definition
    return found, problems


def _definition(name: str, file_path: str, config_dir: Path) -> tuple[CustomDirective, Problem | None]:
    # `C:\\x.py` is not a concern (POSIX only); a ':' splits the file from its function.
    file, colon, function = file_path.partition(":")
    definition = CustomDirective(name, (config_dir / file).resolve(), function if colon else None)
    if definition.file.suffix not in PYTHON_FILES + NODE_FILES:
        return definition, Problem((), f"custom directive file '{file}' is not a Python, JavaScript or "
                                       f"TypeScript file; allowed extensions: {', '.join(PYTHON_FILES + NODE_FILES)}")
    if not definition.file.is_file():
        return definition, Problem((), f"custom directive file '{file}' does not exist (looked for "
                                       f"{definition.file})", "paths are relative to the config file's directory")
    if colon and not NAME_PATTERN.match(function):
        return definition, Problem((), f"'{function}' is not a function name", "write it as file.py:function_name")
    if definition.file.suffix in PYTHON_FILES:
        try:
            python_function(definition.file, definition.function or "main")
        except CustomDirectiveError as exc:
            return definition, Problem((), str(exc))
    else:
        try:
            node_command(str(definition.file), shutil.which)
        except InterpreterMissing as exc:
            return definition, Problem((), f"custom directive ${name}: {exc}")
    return definition, None


_MODULES: dict[tuple[Path, int], Any] = {}


def python_function(file: Path, function: str) -> Callable[..., Any]:
    """`function` of the Python file (imported once per file version)."""
    try:
        version = file.stat().st_mtime_ns
    except OSError as exc:
        raise CustomDirectiveError(f"cannot read custom directive file {file}: {exc.strerror}") from None
    key = (file, version)
    if key not in _MODULES:
        digest = hashlib.sha256(str(file).encode()).hexdigest()[:12]
        spec = importlib.util.spec_from_file_location(f"stacktape_custom_directive_{digest}", file)
        if spec is None or spec.loader is None:
            raise CustomDirectiveError(f"cannot import custom directive file {file}")
        module = importlib.util.module_from_spec(spec)
        try:
            spec.loader.exec_module(module)
        except Exception as exc:  # the user's module may raise anything while importing
            raise CustomDirectiveError(f"importing {file.name} raised {type(exc).__name__}: {exc}") from None
        _MODULES[key] = module
    found = getattr(_MODULES[key], function, None)
    if not callable(found):
        defined = sorted(name for name, value in vars(_MODULES[key]).items()
                         if callable(value) and not name.startswith("_") and getattr(value, "__module__", None)
                         == _MODULES[key].__name__)
        raise CustomDirectiveError(f"{file.name} has no function '{function}'; its functions: "
                                   f"{', '.join(defined) or 'none'}")
    return found  # type: ignore[no-any-return]


def _call_node(directive: CustomDirective, args: Sequence[Any]) -> Any:
    # Imported here, as in `directives.local`: `validate` of a config that calls no JavaScript directive
    # does not load them (the other modules here are loaded by pydantic and argparse anyway).
    import json
    import subprocess

    try:
        command = node_command(str(directive.file), shutil.which)
        encoded = json.dumps(list(args))
    except InterpreterMissing as exc:
        raise CustomDirectiveError(f"${directive.name}: {exc}") from None
    except TypeError:
        raise CustomDirectiveError(f"${directive.name}: its arguments must be JSON values") from None
    try:
        done = subprocess.run([*command, "-e", _NODE_CALL, "--", str(directive.file), directive.function or "",
                               encoded], capture_output=True, text=True, timeout=NODE_TIMEOUT_SECONDS, check=False,
                              cwd=directive.file.parent)
    except subprocess.TimeoutExpired:
        raise CustomDirectiveError(f"${directive.name} gave no answer in {NODE_TIMEOUT_SECONDS} s") from None
    if done.returncode != 0:
        detail = done.stderr.strip().splitlines()[-1] if done.stderr.strip() else f"exit code {done.returncode}"
        raise CustomDirectiveError(f"${directive.name} failed: {detail}")
    try:
        return json.loads(done.stdout)
    except ValueError:
        raise CustomDirectiveError(f"${directive.name} returned no JSON value") from None

