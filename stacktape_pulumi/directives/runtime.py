"""Runtime resolution of directives into Pulumi values.

After `resolve_local`, the only directive strings left in a config are runtime ones.
`RuntimeResolver.resolve` turns them into values a component can use:

* exactly `$Secret('name')` / `$Secret('name.key')` → `SecretRef` and exactly
  `$SsmParam('name')` → `SsmParamRef`, so a container can reference them with ECS
  `valueFrom` instead of carrying the value;
* every other runtime directive → a `pulumi.Output`: `$ResourceParam`, `$CfResourceParam` and
  `$StackOutput`/`$CfStackOutput` come from callbacks (a trailing path is applied to the
  value), `$CfFormat`/`$Format` format `{}` placeholders once their values are known, and
  a format that includes a secret or SSM parameter is a secret Output.

Resolution never looks up anything itself: the component supplies the callbacks.
"""

from collections.abc import Callable
from typing import Any

import pulumi

from stacktape_pulumi.directives.custom import CustomDirective, CustomDirectiveError
from stacktape_pulumi.directives.parser import (
    Directive,
    DirectiveSyntaxError,
    Literal,
    Node,
    directives_in,
    parse,
    walk,
)
from stacktape_pulumi.directives.refs import DirectiveResolutionError, SecretRef, SsmParamRef
from stacktape_pulumi.directives.registry import CUSTOM_CALL, FORMATTING, contains_runtime, heading, validate
from stacktape_pulumi.directives.values import follow_path, format_template, path_error_message

# Directives whose value is confidential: a format that includes one is a secret Output.
CONFIDENTIAL = frozenset({"Secret", "SsmParam"})


ResourceParamCallback = Callable[[str, str], pulumi.Output[Any]]
SecretValueCallback = Callable[[SecretRef], pulumi.Output[str]]
SsmValueCallback = Callable[[SsmParamRef], pulumi.Output[str]]
StackOutputCallback = Callable[[str, str], pulumi.Output[Any]]
CfResourceParamCallback = Callable[[str, str], pulumi.Output[Any]]


def _no_cloudformation_resources(name: str, attribute: str) -> pulumi.Output[Any]:
    raise DirectiveResolutionError(f"$CfResourceParam('{name}', '{attribute}'): this stack has no "
                                   "cloudformationResources (they exist only in a config's stack)")


def find_runtime(value: Any) -> list[Directive]:
    """The runtime directive strings inside `value`, parsed, in document order."""
    return [directive for directive in directives_in(value) if contains_runtime(directive)]


def resource_references(value: Any) -> set[str]:
    """Names of the resources that `$ResourceParam` anywhere inside `value` refers to."""
    names: set[str] = set()
    for directive in directives_in(value):
        for node in walk(directive):
            if node.name == "ResourceParam" and node.args and isinstance(first := node.args[0], Literal):
                names.add(str(first.value))
    return names


def _apply_path(output: pulumi.Output[Any], directive: Directive) -> pulumi.Output[Any]:
    if not directive.path:
        return output

    def follow(value: Any) -> Any:
        outcome = follow_path(value, directive.path)
        if not outcome.found:
            message = path_error_message(heading(directive), directive.path, outcome.reached)
            raise DirectiveResolutionError(message)
        return outcome.value

    return output.apply(follow)


class RuntimeResolver:
    """Turns runtime directive strings into `pulumi.Output`s, `SecretRef`s and `SsmParamRef`s."""

    def __init__(self, resource_param: ResourceParamCallback, secret_value: SecretValueCallback,
                 ssm_value: SsmValueCallback, stack_output: StackOutputCallback,
                 cf_resource_param: CfResourceParamCallback = _no_cloudformation_resources) -> None:
        self.resource_param = resource_param
        self.cf_resource_param = cf_resource_param
        self.secret_value = secret_value
        self.ssm_value = ssm_value
        self.stack_output = stack_output

    def resolve(self, value: Any) -> Any:
        """A copy of `value` with every runtime directive string resolved; other values unchanged."""
        if isinstance(value, dict):
            return {key: self.resolve(item) for key, item in value.items()}
        if isinstance(value, list):
            return [self.resolve(item) for item in value]
        if isinstance(value, str):
            return self.resolve_text(value)
        return value

    def resolve_text(self, text: str) -> Any:
        try:
            directive = parse(text)
        except DirectiveSyntaxError as exc:
            raise DirectiveResolutionError(f"Malformed directive {text!r}: {exc.message} "
                                           f"(at character {exc.offset + 1}).") from None
        if directive is None:
            return text
        problems = validate(directive)
        if problems:
            raise DirectiveResolutionError(f"{text}: " + " ".join(problem.message for problem in problems))
        if not contains_runtime(directive):
            raise DirectiveResolutionError(
                f"{text} is a local directive; resolve_local must resolve it before runtime resolution.")
        if directive.name == "Secret":
            return SecretRef.parse(self.literal(directive, 0))
        if directive.name == "SsmParam":
            return SsmParamRef(self.literal(directive, 0))
        return self.output(directive)

    def output(self, directive: Directive) -> pulumi.Output[Any]:
        """The value of a runtime directive as an Output."""
        name = directive.name
        result: pulumi.Output[Any]
        if name == "ResourceParam":
            result = self.resource_param(self.literal(directive, 0), self.literal(directive, 1))
        elif name == "CfResourceParam":
            result = self.cf_resource_param(self.literal(directive, 0), self.literal(directive, 1))
        elif name in ("StackOutput", "CfStackOutput"):
            result = self.stack_output(self.literal(directive, 0), self.literal(directive, 1))
        elif name == "Secret":
            result = self.secret_value(SecretRef.parse(self.literal(directive, 0)))
        elif name == "SsmParam":
            result = self.ssm_value(SsmParamRef(self.literal(directive, 0)))
        elif name in FORMATTING:
            result = self.format(directive)
        elif name == CUSTOM_CALL:
            result = self.custom(directive)
        else:
            raise DirectiveResolutionError(
                f"{heading(directive)} is a local directive; resolve_local must resolve it before runtime "
                "resolution.")
        return _apply_path(result, directive)

    def format(self, directive: Directive) -> pulumi.Output[Any]:
        template = self.literal(directive, 0)
        parts = [self.argument(arg) for arg in directive.args[1:]]
        shown = heading(directive)

        def render(values: list[Any]) -> str:
            try:
                return format_template(template, values)
            except (TypeError, ValueError) as exc:
                raise DirectiveResolutionError(f"{shown}: {exc}") from None

        formatted: pulumi.Output[Any] = pulumi.Output.all(*parts).apply(render)
        if any(node.name in CONFIDENTIAL for node in walk(directive)):
            # The callbacks should already return secret Outputs; this makes it certain.
            formatted = pulumi.Output.secret(formatted)
        return formatted

    def custom(self, directive: Directive) -> pulumi.Output[Any]:
        """A custom directive with runtime arguments, called once they are known."""
        definition = CustomDirective.from_reference(self.literal(directive, 0), self.literal(directive, 1))
        parts = [self.argument(arg) for arg in directive.args[2:]]

        def call(values: list[Any]) -> Any:
            try:
                return definition.call(values)
            except CustomDirectiveError as exc:
                raise DirectiveResolutionError(str(exc)) from None

        called: pulumi.Output[Any] = pulumi.Output.all(*parts).apply(call)
        if any(node.name in CONFIDENTIAL for node in walk(directive)):
            called = pulumi.Output.secret(called)
        return called

    def argument(self, node: Node) -> pulumi.Output[Any]:
        if isinstance(node, Literal):
            return pulumi.Output.from_input(node.value)
        return self.output(node)

    def literal(self, directive: Directive, index: int) -> str:
        """Argument `index`, which must be a literal string once local directives are resolved."""
        arg = directive.args[index]
        if isinstance(arg, Literal) and isinstance(arg.value, str):
            return arg.value
        raise DirectiveResolutionError(
            f"Argument {index + 1} of {heading(directive)} must be a string known before deployment.")

    def references(self, value: Any) -> set[str]:
        """Names of the resources that `$ResourceParam` anywhere inside `value` refers to."""
        return resource_references(value)
