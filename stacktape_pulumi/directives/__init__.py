"""Stacktape directives: `$Name(args).path` strings in a config.

`parser` turns a string into an AST, `registry` knows the built-ins, `local` resolves
load-time directives over a whole config, `runtime` turns the rest into Pulumi values.
"""

from stacktape_pulumi.directives.local import LocalContext, resolve_local
from stacktape_pulumi.directives.parser import (
    Directive,
    DirectiveSyntaxError,
    Literal,
    Node,
    is_directive,
    parse,
    render,
)
from stacktape_pulumi.directives.registry import BUILTINS, DirectiveSpec, Kind, contains_runtime, validate
from stacktape_pulumi.directives.runtime import (
    DirectiveResolutionError,
    RuntimeResolver,
    SecretRef,
    SsmParamRef,
    find_runtime,
    resource_references,
)

__all__ = [
    "BUILTINS",
    "Directive",
    "DirectiveResolutionError",
    "DirectiveSpec",
    "DirectiveSyntaxError",
    "Kind",
    "Literal",
    "LocalContext",
    "Node",
    "RuntimeResolver",
    "SecretRef",
    "SsmParamRef",
    "contains_runtime",
    "find_runtime",
    "is_directive",
    "parse",
    "render",
    "resolve_local",
    "resource_references",
    "validate",
]
