"""The built-in directives: kind, arguments, and the static checks every parsed directive gets.

Local directives resolve when the config is loaded; runtime directives become
`pulumi.Output`s when resources are built. `$Format` is local unless one of its values is
runtime, in which case it is formatted at runtime like `$CfFormat` (the reference rejects
that; accepting it is deliberate).

A directive's problems are `errors.Problem`s with an empty key path: they are about the
directive itself, and the caller knows where in the config the directive is written.

A config's custom directives (`directives:`) are known while it is loaded (`custom_directives`):
each is local, takes any arguments, and becomes the hidden runtime directive `$CustomDirective`
when one of them is runtime (`directives.custom`).
"""

from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from difflib import get_close_matches
from enum import Enum
from typing import Any

from stacktape_pulumi.directives.parser import Directive, Literal, Node, render, walk
from stacktape_pulumi.directives.values import (
    describe_value,
    format_mismatch_message,
    is_scalar,
    path_error_message,
    placeholder_count,
)
from stacktape_pulumi.errors import Problem


class Kind(Enum):
    LOCAL = "local"
    RUNTIME = "runtime"


class ArgType(Enum):
    STRING = "a string"
    SCALAR = "a string, number or boolean"
    ANY = "any value"


@dataclass(frozen=True)
class Param:
    """One argument of a directive."""

    label: str
    type: ArgType = ArgType.STRING
    choices: tuple[str, ...] = ()
    # Whether the argument may be the (runtime) result of a runtime directive.
    runtime_ok: bool = False
    # Extra check of a value of the right type; returns a message or None.
    check: Callable[[Any], str | None] | None = None


@dataclass(frozen=True)
class DirectiveSpec:
    name: str
    kind: Kind
    required: tuple[Param, ...] = ()
    optional: tuple[Param, ...] = ()
    rest: Param | None = None  # any number of further arguments
    # A string result has no properties: a trailing path is rejected before resolving.
    returns_string: bool = False

    def param(self, index: int) -> Param | None:
        params = self.required + self.optional
        if index < len(params):
            return params[index]
        return self.rest

    def arity_problem(self, count: int) -> Problem | None:
        low = len(self.required)
        high = None if self.rest else low + len(self.optional)
        if count >= low and (high is None or count <= high):
            return None
        labels = [p.label for p in self.required + self.optional]
        if self.rest:
            labels.append(f"{self.rest.label}...")
        listed = f" ({', '.join(labels)})" if labels else ""
        if high is None:
            takes = f"at least {_count(low)}"
        elif high == 0:
            return Problem((), f"${self.name} takes no arguments, got {count}")
        elif low == high:
            takes = _count(low)
        else:
            takes = f"{low} or {high} arguments" if high == low + 1 else f"{low} to {high} arguments"
        return Problem((), f"${self.name} takes {takes}{listed}, got {count}")


def _count(number: int) -> str:
    return f"{number} argument" if number == 1 else f"{number} arguments"


def _check_secret_reference(value: Any) -> str | None:
    name, dot, key = str(value).partition(".")
    if not name or (dot and not key):
        return f"must be 'secret-name' or 'secret-name.jsonKey', got {describe_value(value)}"
    return None


def _check_not_empty(value: Any) -> str | None:
    return "must not be empty" if value == "" else None


GIT_INFO_PROPERTIES = ("commit", "branch", "username", "gitUrl")

_TEMPLATE = Param("template")
_VALUES = Param("values", ArgType.SCALAR, runtime_ok=True)

BUILTINS: Mapping[str, DirectiveSpec] = {
    spec.name: spec
    for spec in (
        DirectiveSpec("Stage", Kind.LOCAL, returns_string=True),
        DirectiveSpec("Region", Kind.LOCAL, returns_string=True),
        DirectiveSpec("Var", Kind.LOCAL, optional=(Param("variable name", check=_check_not_empty),)),
        DirectiveSpec("Format", Kind.LOCAL, required=(_TEMPLATE,), rest=_VALUES, returns_string=True),
        DirectiveSpec("File", Kind.LOCAL, required=(Param("file path", check=_check_not_empty),)),
        DirectiveSpec("FileRaw", Kind.LOCAL, required=(Param("file path", check=_check_not_empty),),
                      returns_string=True),
        DirectiveSpec("GitInfo", Kind.LOCAL, required=(Param("property", choices=GIT_INFO_PROPERTIES),),
                      returns_string=True),
        DirectiveSpec("CliArgs", Kind.LOCAL, required=(Param("argument name", check=_check_not_empty),),
                      optional=(Param("default value", ArgType.ANY),)),
        DirectiveSpec("This", Kind.LOCAL),
        DirectiveSpec("ResourceParam", Kind.RUNTIME,
                      required=(Param("resource name", check=_check_not_empty),
                                Param("parameter name", check=_check_not_empty))),
        DirectiveSpec("CfResourceParam", Kind.RUNTIME,
                      required=(Param("logical name", check=_check_not_empty),
                                Param("attribute", check=_check_not_empty))),
        DirectiveSpec("Secret", Kind.RUNTIME, required=(Param("secret name", check=_check_secret_reference),),
                      returns_string=True),
        DirectiveSpec("SsmParam", Kind.RUNTIME, required=(Param("parameter name", check=_check_not_empty),),
                      returns_string=True),
        DirectiveSpec("CfFormat", Kind.RUNTIME, required=(_TEMPLATE,), rest=_VALUES, returns_string=True),
        DirectiveSpec("StackOutput", Kind.RUNTIME,
                      required=(Param("stack name", check=_check_not_empty),
                                Param("output name", check=_check_not_empty))),
        DirectiveSpec("CfStackOutput", Kind.RUNTIME,
                      required=(Param("stack name", check=_check_not_empty),
                                Param("output name", check=_check_not_empty))),
    )
}

FORMATTING = frozenset({"Format", "CfFormat"})

_ANY_ARGUMENTS = Param("arguments", ArgType.ANY, runtime_ok=True)
# A custom directive with a runtime argument, as the runtime resolution calls it:
# $CustomDirective('<name>', '<absolute file>:<function>', arguments...). Not listed to users.
CUSTOM_CALL = "CustomDirective"
HIDDEN: Mapping[str, DirectiveSpec] = {
    CUSTOM_CALL: DirectiveSpec(CUSTOM_CALL, Kind.RUNTIME, required=(Param("directive name"), Param("function")),
                               rest=_ANY_ARGUMENTS),
}
# The custom directives of the config being loaded; None when it has no `directives` section.
_CUSTOM: ContextVar[Mapping[str, DirectiveSpec] | None] = ContextVar("custom_directives", default=None)


@contextmanager
def custom_directives(names: Iterable[str] | None) -> Iterator[None]:
    """Make a config's custom directive names known to every check while it is loaded."""
    specs = None if names is None else {name: DirectiveSpec(name, Kind.LOCAL, rest=_ANY_ARGUMENTS) for name in names}
    token = _CUSTOM.set(specs)
    try:
        yield
    finally:
        _CUSTOM.reset(token)


def spec_of(name: str) -> DirectiveSpec | None:
    """The built-in, hidden or custom directive of that name."""
    return BUILTINS.get(name) or HIDDEN.get(name) or (_CUSTOM.get() or {}).get(name)


def is_custom(name: str) -> bool:
    """Is `name` one of the loading config's custom directives?"""
    return name in (_CUSTOM.get() or {})


def unknown_problem(name: str) -> Problem:
    listed = ", ".join(f"${known}" for known in sorted(BUILTINS))
    custom = _CUSTOM.get()
    known = [*BUILTINS, *(custom or {})]
    close = get_close_matches(name, known, n=1, cutoff=0.6)
    message = f"Unknown directive ${name}. Built-in directives: {listed}."
    if custom is not None:
        defined = ", ".join(f"${known}" for known in sorted(custom)) or "none"
        message += f" Custom directives of this config (its 'directives' section): {defined}."
    return Problem((), message, f"did you mean ${close[0]}?" if close else
                   "define a custom directive in the top-level 'directives' section ({name, filePath})"
                   if custom is None else f"add ${name} to the 'directives' section")


def contains_runtime(node: Node) -> bool:
    """Whether any directive in `node` is a runtime directive (so `node` resolves at runtime)."""
    return first_runtime(node) is not None


def first_runtime(node: Node) -> Directive | None:
    """The outermost runtime directive in `node`, if any."""
    for directive in walk(node):
        spec = spec_of(directive.name)
        if spec is not None and spec.kind is Kind.RUNTIME:
            return directive
    return None


def heading(directive: Directive) -> str:
    """The directive as shown in messages: its canonical text without the trailing path."""
    return render(Directive(directive.name, directive.args))


def check_arg(spec: DirectiveSpec, index: int, value: Any) -> Problem | None:
    """Type and value check of argument `index` (0-based) once its value is known."""
    param = spec.param(index)
    if param is None:
        return None
    where = f"${spec.name} argument {index + 1} ({param.label})"
    if param.type is ArgType.STRING and not isinstance(value, str):
        return Problem((), f"{where} must be a string, got {describe_value(value)}")
    if param.type is ArgType.SCALAR and not is_scalar(value):
        return Problem((), f"{where} must be {ArgType.SCALAR.value}, got {describe_value(value)}")
    if param.choices and value not in param.choices:
        allowed = ", ".join(repr(choice) for choice in param.choices)
        close = get_close_matches(str(value), list(param.choices), n=1)
        return Problem((), f"{where} must be one of {allowed}, got {describe_value(value)}",
                       f"did you mean {close[0]!r}?" if close else None)
    if param.check is not None and (message := param.check(value)) is not None:
        return Problem((), f"{where} {message}")
    return None


def runtime_dependency_problem(spec: DirectiveSpec, index: int, runtime: Directive) -> Problem | None:
    """The problem with argument `index` of `spec` being the result of runtime directive `runtime`."""
    param = spec.param(index)
    if param is None or param.runtime_ok:
        return None
    if spec.kind is Kind.LOCAL:
        return Problem((), f"Non-runtime directive ${spec.name} can't be dependent on a result of runtime "
                       f"directive ${runtime.name}.")
    return Problem((), f"${spec.name} argument {index + 1} ({param.label}) must be known before deployment, "
                   f"so it can't be the result of runtime directive ${runtime.name}.")


def validate(directive: Directive) -> list[Problem]:
    """Every static problem in `directive` and the directives nested in it."""
    return list(_problems(directive))


def _problems(directive: Directive) -> Iterator[Problem]:
    spec = spec_of(directive.name)
    if spec is None:
        yield unknown_problem(directive.name)
    else:
        arity = spec.arity_problem(len(directive.args))
        if arity is not None:
            yield arity
        for index, arg in enumerate(directive.args):
            if isinstance(arg, Literal):
                problem = check_arg(spec, index, arg.value)
            elif (runtime := first_runtime(arg)) is not None:
                problem = runtime_dependency_problem(spec, index, runtime)
            else:
                problem = None
            if problem is not None:
                yield problem
        if (spec.name in FORMATTING and arity is None and directive.args
                and isinstance(template := directive.args[0], Literal) and isinstance(template.value, str)):
            placeholders = placeholder_count(template.value)
            if placeholders != len(directive.args) - 1:
                yield Problem((), format_mismatch_message(spec.name, placeholders, len(directive.args) - 1))
        if directive.path and spec.returns_string:
            yield Problem((), path_error_message(heading(directive), directive.path, 0),
                          f"${spec.name} returns a string, which has no properties")
    for arg in directive.args:
        if isinstance(arg, Directive):
            yield from _problems(arg)
