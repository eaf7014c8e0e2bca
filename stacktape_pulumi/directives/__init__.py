"""Stacktape directives: `$Name(args).path` strings in a config.

`parser` turns a string into an AST, `registry` knows the built-ins, `local` resolves
load-time directives over a whole config, `runtime` turns the rest into Pulumi values. The
package exports only the Pulumi-free part, so `validate` never loads Pulumi: import the
runtime resolver from `stacktape_pulumi.directives.runtime`.
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

__all__ = [
    "BUILTINS",
    "Directive",
    "DirectiveSpec",
    "DirectiveSyntaxError",
    "Kind",
    "Literal",
    "LocalContext",
    "Node",
    "contains_runtime",
    "is_directive",
    "parse",
    "render",
    "resolve_local",
    "validate",
]
