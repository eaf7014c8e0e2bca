"""Load-time resolution of local directives over a whole loaded config.

`resolve_local` returns a copy of the data in which every local directive string is
replaced by its value. A string whose directive tree contains a runtime directive stays a
string for `RuntimeResolver`; local directives nested inside it are resolved and the string
is re-rendered in canonical form (unchanged strings are kept exactly as written), so the
runtime stage never needs the stage, variables or files.

`$Var` accepts both spellings: `$Var().name` (the reference's: a path on the variables
object) and `$Var('name')` (the one its docs show). Variables are resolved before use, so
they may use other directives; a cycle between variables is an error. Every problem is a
located `ConfigIssue`; all of them are raised together as one `ConfigError`.
"""

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from difflib import get_close_matches
from pathlib import Path
from typing import Any, NoReturn

from stacktape_pulumi.config.loader import SourceMap, load_yaml_text
from stacktape_pulumi.directives.custom import CustomDirective, CustomDirectiveError
from stacktape_pulumi.directives.parser import (
    Directive,
    DirectiveSyntaxError,
    Literal,
    Node,
    is_directive,
    parse,
    render,
)
from stacktape_pulumi.directives.registry import (
    CUSTOM_CALL,
    DirectiveSpec,
    check_arg,
    contains_runtime,
    custom_directives,
    first_runtime,
    heading,
    is_custom,
    runtime_dependency_problem,
    spec_of,
    validate,
)
from stacktape_pulumi.directives.values import (
    follow_path,
    format_mismatch_message,
    format_template,
    path_error_message,
    placeholder_count,
)
from stacktape_pulumi.errors import ConfigError, ConfigIssue, KeyPath, Problem

# A directive whose result is a directive string is resolved again; a chain this long is a loop.
MAX_RESULT_DEPTH = 20
VARIABLES_KEY = "variables"
GIT_TIMEOUT_SECONDS = 30
FILE_EXTENSIONS = (".env", ".json", ".yml", ".yaml", ".ini")
# The git query behind each `$GitInfo` property (registry.GIT_INFO_PROPERTIES), and the usual
# reason it fails inside a repository.
GIT_COMMANDS: Mapping[str, tuple[str, ...]] = {
    "commit": ("rev-parse", "HEAD"),
    "branch": ("rev-parse", "--abbrev-ref", "HEAD"),
    "username": ("config", "user.name"),
    "gitUrl": ("config", "--get", "remote.origin.url"),
}
GIT_FAILURES: Mapping[str, str] = {
    "commit": "the repository has no commits yet",
    "branch": "the repository has no commits yet",
    "username": "git has no user.name configured",
    "gitUrl": "the repository has no 'origin' remote",
}


MAX_FILE_BYTES = 16 * 1024 * 1024
# Set to 1 to let $File / $FileRaw read files outside the config file's folder.
ALLOW_OUTSIDE_FILES = "STACKTAPE_ALLOW_FILES_OUTSIDE_PROJECT"


@dataclass
class LocalContext:
    """What local directives read.

    `variables` is the config's raw `variables` mapping and `raw_config` the raw config for
    `$This()`; when left None they are taken from the data passed to `resolve_local`.
    """

    stage: str
    region: str
    config_dir: Path
    variables: Mapping[str, Any] | None = None
    cli_args: Mapping[str, str] = field(default_factory=dict)
    raw_config: Any = None
    # The config's custom directives (`directives.custom.parse_definitions`); None without a section.
    custom: Mapping[str, CustomDirective] | None = None


@dataclass(frozen=True)
class _Runtime:
    """A value that is known only at runtime: the (partly resolved) runtime directive."""

    directive: Directive


def _spec(name: str) -> DirectiveSpec:
    spec = spec_of(name)
    if spec is None:  # validate() refuses unknown names before anything is resolved
        raise AssertionError(f"${name} is not a known directive")
    return spec


class _Failed(Exception):
    """An issue has been recorded; unwind to the config value being resolved."""


def parse_env_file(text: str) -> list[dict[str, str]]:
    """`NAME=value` lines as `[{name, value}]`; raises ValueError naming the bad line."""
    entries: dict[str, str] = {}
    for number, line in enumerate(text.splitlines(), start=1):
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            continue
        if stripped.startswith("export "):
            stripped = stripped[len("export "):].lstrip()
        name, equals, value = stripped.partition("=")
        name = name.strip()
        if not equals or not name or any(char.isspace() for char in name):
            raise ValueError(f"line {number} is not NAME=value")
        value = value.strip()
        if value[:1] in ("'", '"'):
            quote = value[0]
            end = value.find(quote, 1)
            if end == -1:
                raise ValueError(f"line {number} has an unterminated {quote} quote")
            rest = value[end + 1:].strip()
            if rest and not rest.startswith("#"):
                raise ValueError(f"line {number} has text after the closing quote")
            value = value[1:end]
            if quote == '"':
                value = value.replace("\\n", "\n")
        else:
            comment = value.find(" #")
            if comment != -1:
                value = value[:comment].rstrip()
        entries[name] = value
    return [{"name": name, "value": value} for name, value in entries.items()]


def _parse_ini(text: str, file: str) -> dict[str, dict[str, str]]:
    import configparser  # see `_LocalResolver.parse_file`

    parser = configparser.ConfigParser(interpolation=None)
    # ConfigParser lower-cases keys by default; config paths are case-sensitive.
    parser.optionxform = str  # type: ignore[assignment,method-assign]
    parser.read_string(text, source=file)
    result = {section: dict(parser.items(section)) for section in parser.sections()}
    if parser.defaults():
        result[parser.default_section] = dict(parser.defaults())
    return result


class _LocalResolver:
    def __init__(self, data: Any, source: SourceMap, ctx: LocalContext) -> None:
        self.source = source
        self.ctx = ctx
        self.issues: dict[ConfigIssue, None] = {}  # ordered and de-duplicated
        raw_variables = ctx.variables
        if raw_variables is None and isinstance(data, Mapping):
            raw_variables = data.get(VARIABLES_KEY)
        self.raw_variables = raw_variables
        self.variables: Mapping[str, Any] = raw_variables if isinstance(raw_variables, Mapping) else {}
        self.raw_config = data if ctx.raw_config is None else ctx.raw_config
        self.resolved_variables: dict[str, Any] = {}
        self.failed_variables: set[str] = set()
        self.variable_stack: list[str] = []
        self.git_answers: dict[str, str | Problem] = {}

    # -- issues ---------------------------------------------------------------------------

    def record(self, path: KeyPath, message: str, hint: str | None = None) -> None:
        self.issues[self.source.issue(path, message, hint)] = None

    def fail(self, path: KeyPath, message: str, hint: str | None = None) -> NoReturn:
        self.record(path, message, hint)
        raise _Failed

    def fail_with(self, path: KeyPath, problem: Problem) -> NoReturn:
        self.fail(path, problem.message, problem.hint)

    # -- walking the data -----------------------------------------------------------------

    def walk(self, value: Any, path: KeyPath, failures: list[KeyPath]) -> Any:
        """A copy of `value` with local directives resolved; failed strings are kept as written."""
        if isinstance(value, Mapping):
            result: dict[Any, Any] = {}
            for key, item in value.items():
                if not path and key == VARIABLES_KEY and item is self.raw_variables:
                    result[key] = self.all_variables_lenient()
                else:
                    result[key] = self.walk(item, (*path, key), failures)
            return result
        if isinstance(value, list):
            return [self.walk(item, (*path, index), failures) for index, item in enumerate(value)]
        if isinstance(value, str) and is_directive(value):
            try:
                resolved = self.resolve_text(value, path, 0)
            except _Failed:
                failures.append(path)
                return value
            if isinstance(resolved, _Runtime):
                return value if resolved.directive == parse(value) else render(resolved.directive)
            return resolved
        return value

    # -- variables ------------------------------------------------------------------------

    def all_variables_lenient(self) -> dict[str, Any]:
        """Every variable resolved; a failed one keeps its raw value (its issue is recorded)."""
        result: dict[str, Any] = {}
        for name, raw in self.variables.items():
            try:
                result[name] = self.variable(name, (VARIABLES_KEY, name))
            except _Failed:
                result[name] = raw
        return result

    def variable(self, name: str, used_at: KeyPath) -> Any:
        if name in self.resolved_variables:
            return self.resolved_variables[name]
        if name in self.failed_variables:
            raise _Failed
        if name in self.variable_stack:
            cycle = [*self.variable_stack[self.variable_stack.index(name):], name]
            self.fail(used_at, f"Variables reference each other in a cycle: {' -> '.join(cycle)}.")
        if name not in self.variables:
            self.fail_with(used_at, self.missing_variable(name))
        self.variable_stack.append(name)
        failures: list[KeyPath] = []
        try:
            value = self.walk(self.variables[name], (VARIABLES_KEY, name), failures)
        finally:
            self.variable_stack.pop()
        if failures:
            self.failed_variables.add(name)
            raise _Failed
        self.resolved_variables[name] = value
        return value

    def missing_variable(self, name: str) -> Problem:
        if not self.variables:
            return Problem((), f'Variable "{name}" is not defined: the config has no variables.',
                           "define it under the top-level 'variables' section")
        defined = ", ".join(str(known) for known in self.variables)
        close = get_close_matches(name, [str(known) for known in self.variables], n=1)
        return Problem((), f'Variable "{name}" is not defined. Defined variables: {defined}.',
                       f'did you mean "{close[0]}"?' if close else None)

    # -- directives -----------------------------------------------------------------------

    def resolve_text(self, text: str, path: KeyPath, depth: int) -> Any:
        """The value of directive string `text`, or `_Runtime` when it resolves at runtime."""
        try:
            directive = parse(text)
        except DirectiveSyntaxError as exc:
            origin = f" {text!r} (the result of another directive)" if depth else ""
            self.fail(path, f"Malformed directive{origin}: {exc.message} (at character {exc.offset + 1}).",
                      exc.hint)
        if directive is None:
            return text
        problems = validate(directive)
        if problems:
            for problem in problems:
                self.record(path, problem.message, problem.hint)
            raise _Failed
        if contains_runtime(directive):
            return _Runtime(self.substitute(directive, path, depth))
        return self.evaluate(directive, path, depth)

    def substitute(self, directive: Directive, path: KeyPath, depth: int) -> Directive:
        """`directive` (which contains a runtime directive) with its local parts resolved."""
        args: list[Node] = []
        for index, arg in enumerate(directive.args):
            if isinstance(arg, Literal):
                args.append(arg)
            elif contains_runtime(arg):
                args.append(self.substitute(arg, path, depth))
            else:
                args.append(self.runtime_argument(directive, index, self.evaluate(arg, path, depth), path))
        return self.runtime_call(Directive(directive.name, tuple(args), directive.path), path)

    def runtime_call(self, directive: Directive, path: KeyPath) -> Directive:
        """A custom directive with runtime arguments as the hidden `$CustomDirective` the runtime can call."""
        if not is_custom(directive.name):
            return directive
        for arg in directive.args:
            if isinstance(arg, Literal) and not isinstance(arg.value, str | int | float | bool):
                self.fail(path, f"${directive.name} has a runtime argument, so its other arguments must be strings, "
                                "numbers or booleans")
        definition = (self.ctx.custom or {})[directive.name]
        return Directive(CUSTOM_CALL, (Literal(directive.name), Literal(definition.reference), *directive.args),
                         directive.path)

    def runtime_argument(self, owner: Directive, index: int, value: Any, path: KeyPath) -> Node:
        """The resolved value of a local argument of `owner`, as a node of a runtime directive."""
        spec = _spec(owner.name)
        if isinstance(value, _Runtime):
            runtime = first_runtime(value.directive) or value.directive
            problem = runtime_dependency_problem(spec, index, runtime)
            if problem is not None:
                self.fail_with(path, problem)
            return value.directive
        problem = check_arg(spec, index, value)
        if problem is not None:
            self.fail_with(path, problem)
        # Every argument a runtime directive accepts is a string or a scalar, as just checked.
        return Literal(value)

    def evaluate(self, directive: Directive, path: KeyPath, depth: int) -> Any:
        """Value of a directive that validated and contains no runtime directive in its text."""
        if depth > MAX_RESULT_DEPTH:
            self.fail(path, f"Directive results are nested more than {MAX_RESULT_DEPTH} levels deep while "
                            f"resolving {heading(directive)}; a directive probably refers to itself.")
        spec = _spec(directive.name)
        values: list[Any] = []
        runtime = False
        for index, arg in enumerate(directive.args):
            if isinstance(arg, Literal):
                values.append(arg.value)
                continue
            value = self.evaluate(arg, path, depth)
            if isinstance(value, _Runtime):
                # A local directive produced a runtime directive (e.g. a variable holding one).
                inner = first_runtime(value.directive) or value.directive
                problem = runtime_dependency_problem(spec, index, inner)
                if problem is not None:
                    self.fail_with(path, problem)
                runtime = True
            elif (problem := check_arg(spec, index, value)) is not None:
                self.fail_with(path, problem)
            values.append(value)
        if runtime:
            # Only $Format and custom directives accept runtime values: they are resolved at runtime.
            nodes = tuple(self.runtime_argument(directive, index, value, path)
                          for index, value in enumerate(values))
            return _Runtime(self.runtime_call(Directive(directive.name, nodes, directive.path), path))
        result, followed = self.call(directive, values, path)
        remaining = directive.path[followed:]
        if remaining:
            outcome = follow_path(result, remaining, lambda value: self.expand(value, path, depth))
            if not outcome.found:
                reached = followed + outcome.reached
                self.fail(path, path_error_message(heading(directive), directive.path, reached))
            result = outcome.value
        if isinstance(result, str) and is_directive(result):
            return self.resolve_text(result, path, depth + 1)
        return result

    def expand(self, value: Any, path: KeyPath, depth: int) -> Any:
        """An intermediate value on a property path: a directive string is resolved first."""
        if isinstance(value, str) and is_directive(value):
            return self.resolve_text(value, path, depth + 1)
        return value

    def call(self, directive: Directive, values: list[Any], path: KeyPath) -> tuple[Any, int]:
        """The directive's own result and how many segments of its path it already followed."""
        name = directive.name
        if name == "Stage":
            return self.ctx.stage, 0
        if name == "Region":
            return self.ctx.region, 0
        if name == "Var":
            if values:
                return self.variable(values[0], path), 0
            if directive.path:
                return self.variable(directive.path[0], path), 1
            return {key: self.variable(key, path) for key in self.variables}, 0
        if name == "Format":
            template, rest = values[0], values[1:]
            if placeholder_count(template) != len(rest):
                self.fail(path, format_mismatch_message("Format", placeholder_count(template), len(rest)))
            return format_template(template, rest), 0
        if name == "File":
            return self.parse_file(directive, values[0], path), 0
        if name == "FileRaw":
            return self.read_file(directive, values[0], path), 0
        if name == "GitInfo":
            return self.git_info(directive, values[0], path), 0
        if name == "CliArgs":
            return self.cli_arg(directive, values, path), 0
        if name == "This":
            return self.raw_config, 0
        if is_custom(name):
            try:
                return (self.ctx.custom or {})[name].call(values), 0
            except CustomDirectiveError as exc:
                self.fail(path, str(exc))
        raise AssertionError(f"local directive ${name} has no implementation")

    # -- files ----------------------------------------------------------------------------

    def read_file(self, directive: Directive, file: str, path: KeyPath) -> str:
        full = self.ctx.config_dir / file
        used = f"used by {heading(directive)}"
        # Symlinks and `..` resolved first: a config must not read /etc/passwd or ~/.aws/credentials into a
        # resource unless its user says so.
        project = self.ctx.config_dir.resolve()
        if not full.resolve().is_relative_to(project) and os.environ.get(ALLOW_OUTSIDE_FILES) != "1":
            self.fail(path, f'"{file}" {used} is outside the project folder ({project}).',
                      f"move the file into the project, or set {ALLOW_OUTSIDE_FILES}=1 to allow files outside it")
        # Only regular files of bounded size: a FIFO would block and /dev/zero would never end.
        if full.exists() and not full.is_dir() and not full.is_file():
            self.fail(path, f'"{file}" {used} is not a regular file.')
        if full.is_file() and full.stat().st_size > MAX_FILE_BYTES:
            self.fail(path, f'File "{file}" {used} is larger than {MAX_FILE_BYTES // (1024 * 1024)} MiB.')
        try:
            return full.read_text(encoding="utf-8")
        except FileNotFoundError:
            self.fail(path, f'File "{file}" {used} does not exist (looked for {full}).')
        except IsADirectoryError:
            self.fail(path, f'"{file}" {used} is a directory, not a file.')
        except UnicodeDecodeError:
            self.fail(path, f'File "{file}" {used} is not UTF-8 text.')
        except OSError as exc:
            self.fail(path, f'Cannot read file "{file}" {used}: {exc.strerror}.')

    def parse_file(self, directive: Directive, file: str, path: KeyPath) -> Any:
        lower = Path(file).name.lower()
        # Dotenv files by name as well as by extension: `.env.staging`, `.env.local` (as the reference reads them).
        kind = ".env" if lower.startswith(".env") else next(
            (ext for ext in FILE_EXTENSIONS if lower == ext or lower.endswith(ext)), None)
        if kind is None:
            self.fail(path, f'$File can\'t parse "{file}": supported file types are '
                            f"{', '.join(FILE_EXTENSIONS)} (and files named .env.*).",
                      f"use {render(Directive('FileRaw', (Literal(file),)))} to read the file as text")
        text = self.read_file(directive, file, path)
        if kind not in (".env", ".json", ".ini"):
            return self.parse_yaml(directive, file, text, path)
        # Imported when a file is read, as subprocess when git is asked: `validate` of a config that
        # reads no such file does not load them (with subprocess's own imports, ~5 ms).
        import configparser
        import json

        try:
            if kind == ".env":
                return parse_env_file(text)
            if kind == ".json":
                return json.loads(text)
            return _parse_ini(text, file)
        except RecursionError:
            reason = "it nests too deeply"
        except json.JSONDecodeError as exc:
            reason = f"{exc.msg} at line {exc.lineno} column {exc.colno}"
        except configparser.Error as exc:
            reason = str(exc).splitlines()[0]
        except ValueError as exc:
            reason = str(exc)
        label = {".env": "a .env file", ".json": "JSON", ".ini": "an INI file"}[kind]
        self.fail(path, f'Cannot parse "{file}" (used by {heading(directive)}) as {label}: {reason}.')

    def parse_yaml(self, directive: Directive, file: str, text: str, path: KeyPath) -> Any:
        """YAML with the config's own limits (depth, aliases, size); its issues located in that file."""
        try:
            return load_yaml_text(text, str(self.ctx.config_dir / file)).data
        except ConfigError as exc:
            for issue in exc.issues:
                self.issues[issue] = None
            self.fail(path, f'Cannot parse "{file}" (used by {heading(directive)}) as YAML: see the issues in it.')

    # -- git and CLI ----------------------------------------------------------------------

    def git_info(self, directive: Directive, prop: str, path: KeyPath) -> str:
        if prop not in self.git_answers:
            self.git_answers[prop] = self.ask_git(directive, prop)
        answer = self.git_answers[prop]
        if isinstance(answer, Problem):
            self.fail_with(path, answer)
        return answer

    def ask_git(self, directive: Directive, prop: str) -> str | Problem:
        where = heading(directive)
        folder = self.ctx.config_dir
        if not folder.is_dir():
            return Problem((), f'{where} needs a git repository, but "{folder}" is not a directory.')
        import subprocess  # see `parse_file`

        def run(*args: str) -> subprocess.CompletedProcess[str]:
            return subprocess.run(["git", *args], cwd=folder, capture_output=True, text=True,
                                  timeout=GIT_TIMEOUT_SECONDS, check=False)

        try:
            inside = run("rev-parse", "--is-inside-work-tree")
            if inside.returncode != 0 or inside.stdout.strip() != "true":
                return Problem((), f'{where} needs a git repository, but "{folder}" is not inside one.')
            answer = run(*GIT_COMMANDS[prop])
        except FileNotFoundError:
            return Problem((), f"{where} needs the git command, which is not installed.")
        except subprocess.TimeoutExpired:
            return Problem((), f"{where} failed: git did not answer within {GIT_TIMEOUT_SECONDS} seconds.")
        except OSError as exc:
            return Problem((), f"{where} failed: cannot run git ({exc.strerror}).")
        value = answer.stdout.strip()
        if answer.returncode != 0 or not value:
            return Problem((), f"{where} failed: {GIT_FAILURES[prop]}.")
        return value

    def cli_arg(self, directive: Directive, values: list[Any], path: KeyPath) -> Any:
        name = values[0]
        if name in self.ctx.cli_args:
            return self.ctx.cli_args[name]
        if len(values) > 1:
            return values[1]
        passed = ", ".join(sorted(self.ctx.cli_args)) or "none"
        self.fail(path, f'CLI argument "{name}" was not passed and {heading(directive)} has no default '
                        f"value. Passed CLI arguments: {passed}.",
                  f"pass it after '--' (-- --{name}=value) or give a default as the second argument")


def resolve_local(data: Any, source: SourceMap, ctx: LocalContext) -> Any:
    """A copy of `data` with every local directive resolved; raises `ConfigError` listing all problems."""
    resolver = _LocalResolver(data, source, ctx)
    with custom_directives(ctx.custom.keys() if ctx.custom is not None else None):
        resolver.all_variables_lenient()
        result = resolver.walk(data, (), [])
    if resolver.issues:
        raise ConfigError(list(resolver.issues))
    return result
