"""A script's environment: the caller's, its `connectTo` variables, its own `environment`, `--env` last.

Directive values are read when the script runs: `$ResourceParam` from the deployed stack's
outputs (each resource's params, exported under its name by `components.build`), `$Secret` from
Secrets Manager and `$SsmParam` from Parameter Store through the callbacks of `ScriptSources`.
Every value is fetched at most once per run, and only if some script needs it.
"""

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from stacktape_pulumi.checks.connect_targets import env_var_name
from stacktape_pulumi.checks.scripts import SCRIPT_ENV_PARAMS
from stacktape_pulumi.config.models.scripts import LocalScriptProps, Scripts
from stacktape_pulumi.directives.parser import Directive, DirectiveSyntaxError, Literal, Node, parse
from stacktape_pulumi.directives.refs import SecretRef
from stacktape_pulumi.directives.registry import FORMATTING, heading
from stacktape_pulumi.directives.values import follow_path, format_template, path_error_message, stringify
from stacktape_pulumi.scripts import ScriptError

StackOutputs = Callable[[], Mapping[str, Any]]
SecretReader = Callable[[str], str]
ParameterReader = Callable[[str], str]


@dataclass
class ScriptSources:
    """Where a script's directives read from; each source is asked at most once per name."""

    stack_outputs: StackOutputs
    read_secret: SecretReader
    read_parameter: ParameterReader
    _outputs: Mapping[str, Any] | None = field(default=None, init=False)
    _secrets: dict[str, str] = field(default_factory=dict, init=False)
    _parameters: dict[str, str] = field(default_factory=dict, init=False)

    def outputs(self) -> Mapping[str, Any]:
        if self._outputs is None:
            self._outputs = self.stack_outputs()
        return self._outputs

    def secret(self, name: str) -> str:
        if name not in self._secrets:
            self._secrets[name] = self.read_secret(name)
        return self._secrets[name]

    def parameter(self, name: str) -> str:
        if name not in self._parameters:
            self._parameters[name] = self.read_parameter(name)
        return self._parameters[name]

    def params_of(self, resource: str) -> Mapping[str, Any]:
        """Every param of a deployed resource."""
        params = self.outputs().get(resource)
        if not isinstance(params, Mapping):
            raise ScriptError(f"resource '{resource}' has no outputs in the deployed stack: deploy the stack "
                              "(stacktape-pulumi up) before running a script that reads it")
        return params

    def param(self, resource: str, param: str) -> Any:
        """A deployed resource's param, as `$ResourceParam` reads it."""
        params = self.params_of(resource)
        if param not in params:
            raise ScriptError(f"resource '{resource}' has no param '{param}' in the deployed stack; its params: "
                              f"{', '.join(sorted(params)) or 'none'}")
        return params[param]


def script_environment(scripts: Scripts, resource_types: Mapping[str, str], name: str, sources: ScriptSources,
                       base: Mapping[str, str], overrides: Mapping[str, str]) -> dict[str, str]:
    """The environment script `name` runs with (`base` is the caller's, `overrides` the `--env` values)."""
    props = _props(scripts, name)
    env = dict(base)
    env.update(connect_variables(props, resource_types, sources))
    for index, variable in enumerate(props.environment or []):
        where = f"scripts.{name}.properties.environment[{index}] ({variable.name})"
        try:
            env[variable.name] = stringify(_value(variable.value, sources))
        except ScriptError as exc:
            raise ScriptError(f"{where}: {exc}") from None
    env.update(overrides)
    return env


def connect_variables(props: LocalScriptProps, resource_types: Mapping[str, str],
                      sources: ScriptSources) -> dict[str, str]:
    """The `STP_<NAME>_<PARAM>` variables of the script's `connectTo`, from the deployed stack.

    A param the resource registers only with some settings (a table's stream ARN) is injected when
    the deployed resource has it, as workloads get it when the resource's config has it.
    """
    found: dict[str, str] = {}
    for target in props.connectTo or []:
        for param in SCRIPT_ENV_PARAMS.get(resource_types.get(target, ""), ()):
            if param in sources.params_of(target):
                found[env_var_name(target, param)] = stringify(sources.param(target, param))
    return found


def _props(scripts: Scripts, name: str) -> LocalScriptProps:
    if name not in scripts:
        raise ScriptError(f"no script named '{name}' in the config; scripts: {', '.join(sorted(scripts)) or 'none'}")
    return scripts[name].properties


def _value(value: Any, sources: ScriptSources) -> Any:
    if not isinstance(value, str):
        return value
    try:
        directive = parse(value)
    except DirectiveSyntaxError as exc:  # validate reports it first; a Python caller may not have
        raise ScriptError(str(exc)) from None
    return value if directive is None else _evaluate(directive, sources)


def _evaluate(node: Node, sources: ScriptSources) -> Any:
    if isinstance(node, Literal):
        return node.value
    result = _directive(node, sources)
    if not node.path:
        return result
    outcome = follow_path(result, node.path)
    if not outcome.found:
        raise ScriptError(path_error_message(heading(node), node.path, outcome.reached))
    return outcome.value


def _directive(node: Directive, sources: ScriptSources) -> Any:
    args = [_evaluate(arg, sources) for arg in node.args]
    if node.name == "ResourceParam":
        return sources.param(str(args[0]), str(args[1]))
    if node.name == "Secret":
        ref = SecretRef.parse(str(args[0]))
        text = sources.secret(ref.name)
        return text if ref.key is None else _json_key(ref, text)
    if node.name == "SsmParam":
        return sources.parameter(str(args[0]))
    if node.name in FORMATTING:
        try:
            return format_template(str(args[0]), args[1:])
        except ValueError as exc:
            raise ScriptError(f"{heading(node)}: {exc}") from None
    raise ScriptError(f"{heading(node)} cannot be resolved when a script runs")


def _json_key(ref: SecretRef, text: str) -> Any:
    try:
        data = json.loads(text)
    except ValueError:
        raise ScriptError(f"secret '{ref.name}' is not a JSON object, so it has no key '{ref.key}'") from None
    if not isinstance(data, Mapping) or ref.key not in data:
        keys = ", ".join(sorted(data)) if isinstance(data, Mapping) else "none"
        raise ScriptError(f"secret '{ref.name}' has no key '{ref.key}'; its keys: {keys}")
    return data[ref.key]
