"""`cloudformationResources` and `$CfResourceParam`: every rule, and the edges they add to the reference graph.

* `Type` must be a CloudFormation type (AWS's registry schemas, as cfn-lint ships them) that Pulumi's
  aws-native provider can build; `Properties` are validated against the type's schema with
  jsonschema: unknown properties, wrong types, values outside an enum, missing required ones, and
  read-only properties (attributes AWS sets) are located errors. A value only known at deployment
  (a runtime directive, `Ref`, `Fn::GetAtt`) is not validated where it stands.
* Intrinsic functions: `Ref` and `Fn::GetAtt` to another cloudformationResource are built (its
  Output); `Ref` to `AWS::Region`, `AWS::AccountId`, `AWS::Partition` and `AWS::URLSuffix` too.
  Every other intrinsic is refused as not supported yet, pointing at the directive that does it.
* `$CfResourceParam(name, attribute)` anywhere in the config must name a cloudformationResource
  and one of its attributes (`aws.cloudformation.find_attribute`: exact, case-insensitive, or the
  single `…Arn` attribute for `Arn`). Naming a resource of `resources` is refused: this tool's
  resources have no CloudFormation logical names; their values are `$ResourceParam`s.
* `DependsOn` names cloudformationResources or resources.

Graph nodes of cloudformationResources are `cloudformationResources.<name>` (a dot: never a resource name).
"""

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from difflib import get_close_matches
from functools import cache
from typing import TYPE_CHECKING, Any

from stacktape_pulumi.checks.graph import Reference, walk_strings
from stacktape_pulumi.config.loader import SourceMap
from stacktape_pulumi.directives.parser import Directive, DirectiveSyntaxError, Literal, parse, walk, well_formed
from stacktape_pulumi.directives.registry import contains_runtime
from stacktape_pulumi.directives.values import describe_value
from stacktape_pulumi.errors import ConfigIssue, KeyPath, Problem

if TYPE_CHECKING:
    from jsonschema.exceptions import ValidationError

# `stacktape_pulumi.aws.cloudformation` (the registry schemas and aws-native's types) is imported by the
# functions that read a schema, not here: its import (importlib.metadata, ~0.015 s) is paid only by
# configs with cloudformationResources or $CfResourceParam, while every `validate` imports this module.
SECTION = "cloudformationResources"
# `aws.cloudformation.REF`, kept here so that recognising an intrinsic imports nothing (a test holds them equal).
REF = "Ref"
NODE_PREFIX = f"{SECTION}."
# Pseudo parameters `Ref` may name: each maps to a value the stack knows.
PSEUDO_PARAMETERS = ("AWS::AccountId", "AWS::Partition", "AWS::Region", "AWS::URLSuffix")
GET_ATT = "Fn::GetAtt"
INTRINSIC_HINTS = {
    "Fn::Sub": "use $CfFormat('...{}...', $CfResourceParam('<name>', '<attribute>'))",
    "Fn::Join": "use $CfFormat('{}{}', ...) with the parts",
    "Fn::ImportValue": "use $CfStackOutput('<stack>', '<output>')",
}


def node(name: str) -> str:
    """The graph node of cloudformationResource `name`."""
    return NODE_PREFIX + name


def is_node(name: str) -> bool:
    return name.startswith(NODE_PREFIX)


def is_intrinsic(value: Any) -> bool:
    """A one-key mapping `{Ref: ...}` or `{Fn::...: ...}`, as CloudFormation reads it."""
    return isinstance(value, Mapping) and len(value) == 1 and (
        (key := str(next(iter(value)))) == REF or key.startswith("Fn::") or key == "Condition")


def get_att_target(payload: Any) -> tuple[str, str] | None:
    """`Fn::GetAtt`'s (logical name, attribute), from `[name, attr]` or `"name.attr"`."""
    if isinstance(payload, list) and len(payload) == 2 and all(isinstance(part, str) for part in payload):
        return payload[0], payload[1]
    if isinstance(payload, str) and "." in payload:
        name, _, attribute = payload.partition(".")
        return name, attribute
    return None


@dataclass
class CloudformationCheck:
    """What the checks found: located issues and the reference graph's edges (nodes as `node()` names)."""

    issues: list[ConfigIssue]
    edges: list[Reference]


def check_cloudformation(data: Mapping[str, Any], resources: Mapping[str, Any], owners: Mapping[str, str],
                         source: SourceMap) -> CloudformationCheck:
    """Every rule of the section and of `$CfResourceParam`; `resources`: the stack's (expanded) resources."""
    section = data.get(SECTION) or {}
    checker = _Checker(section, resources, source)
    for name, resource in section.items():
        checker.resource(name, resource)
    for name, resource in resources.items():
        owner = owners.get(name, name)
        for path, _, text in walk_strings(resource, ("resources", name)):
            checker.directives(owner, path, text)
    stack_config = data.get("stackConfig")
    outputs = stack_config.get("outputs") if isinstance(stack_config, Mapping) else None
    for path, _, text in walk_strings(outputs or [], ("stackConfig", "outputs")):
        checker.directives(None, path, text)
    return CloudformationCheck(checker.issues, checker.edges)


class _Checker:
    def __init__(self, section: Mapping[str, Any], resources: Mapping[str, Any], source: SourceMap) -> None:
        self.section = section
        self.resources = resources
        self.source = source
        self.issues: list[ConfigIssue] = []
        self.edges: list[Reference] = []

    def issue(self, path: KeyPath, message: str, hint: str | None = None, *, at_key: bool = False) -> None:
        self.issues.append(self.source.issue(path, message, hint, at_key=at_key))

    def schema(self, name: str) -> Mapping[str, Any] | None:
        from stacktape_pulumi.aws.cloudformation import resource_schema

        resource = self.section.get(name)
        type_name = resource.get("Type") if isinstance(resource, Mapping) else None
        return resource_schema(type_name) if isinstance(type_name, str) else None

    # ---- one resource ---------------------------------------------------------------------
    def resource(self, name: str, resource: Mapping[str, Any]) -> None:
        from stacktape_pulumi.aws.cloudformation import aws_native_token, resource_schema, resource_types

        base: KeyPath = (SECTION, name)
        type_name = str(resource.get("Type"))
        schema = resource_schema(type_name)
        if type_name.startswith(("Custom::", "AWS::Serverless::")):
            what = "custom resources" if type_name.startswith("Custom::") else "SAM types (a template transform)"
            self.issue((*base, "Type"), f"CloudFormation type '{type_name}' is not supported yet: Pulumi's "
                       f"aws-native provider (Cloud Control) cannot create {what}.",
                       "build it with a resource of this config or pulumi_aws in your Pulumi program")
        elif schema is None:
            close = get_close_matches(type_name, resource_types(), n=1, cutoff=0.8)
            self.issue((*base, "Type"), f"Unknown CloudFormation resource type '{type_name}'.",
                       f"did you mean '{close[0]}'?" if close else
                       "see AWS's CloudFormation resource type reference, e.g. AWS::SNS::Topic")
        elif aws_native_token(type_name) is None:
            self.issue((*base, "Type"), f"CloudFormation type '{type_name}' is not supported yet: Pulumi's "
                       "aws-native provider (Cloud Control) cannot create it.",
                       "declare it with pulumi_aws in your Pulumi program")
        properties = resource.get("Properties") or {}
        if schema is not None:
            for problem in property_problems(type_name, schema, properties):
                self.issue((*base, "Properties", *problem.path), problem.message, problem.hint, at_key=problem.at_key)
        self.dependencies(name, resource.get("DependsOn"), base)
        self.intrinsics(name, properties, (*base, "Properties"))
        for path, _, text in walk_strings(properties, (*base, "Properties")):
            self.directives(node(name), path, text)

    def dependencies(self, name: str, depends_on: Any, base: KeyPath) -> None:
        targets = [depends_on] if isinstance(depends_on, str) else list(depends_on or [])
        for index, target in enumerate(targets):
            path = (*base, "DependsOn") if isinstance(depends_on, str) else (*base, "DependsOn", index)
            if target == name:
                self.issue(path, f"CloudFormation resource {name} cannot depend on itself.")
            elif target in self.section:
                self.edges.append(Reference(node(name), node(target), path))
            elif target in self.resources:
                self.edges.append(Reference(node(name), target, path))
            else:
                self.issue(path, f"DependsOn '{target}' names no cloudformationResource or resource of this config.",
                           self.did_you_mean(target, [*self.section, *self.resources]) or
                           f"cloudformationResources: {', '.join(sorted(self.section))}; "
                           f"resources: {', '.join(sorted(self.resources)) or 'none'}")

    def intrinsics(self, name: str, value: Any, path: KeyPath) -> None:
        if is_intrinsic(value):
            self.intrinsic(name, str(next(iter(value))), next(iter(value.values())), path)
        elif isinstance(value, Mapping):
            for key, item in value.items():
                self.intrinsics(name, item, (*path, key))
        elif isinstance(value, list):
            for index, item in enumerate(value):
                self.intrinsics(name, item, (*path, index))

    def intrinsic(self, name: str, function: str, payload: Any, path: KeyPath) -> None:
        at = (*path, function)
        if function == REF:
            if payload in PSEUDO_PARAMETERS:
                return
            if isinstance(payload, str) and payload.startswith("AWS::"):
                self.issue(at, f"Ref to pseudo parameter {payload} is not supported yet; supported: "
                           f"{', '.join(PSEUDO_PARAMETERS)}.")
            elif isinstance(payload, str):
                self.target(name, payload, REF, at, "Ref")
            else:
                self.issue(at, f"Ref takes a logical name, got {describe_value(payload)}.")
        elif function == GET_ATT:
            target = get_att_target(payload)
            if target is None:
                self.issue(at, f"Fn::GetAtt takes [logicalName, attribute] or 'logicalName.attribute', got "
                           f"{describe_value(payload)}.")
            else:
                self.target(name, target[0], target[1], at, "Fn::GetAtt")
        else:
            self.issue(at, f"Intrinsic function {function} is not supported yet; supported: Ref, Fn::GetAtt "
                       "(to other cloudformationResources) and stacktape directives.",
                       INTRINSIC_HINTS.get(function, "compute the value with a directive ($CfFormat, $ResourceParam, "
                                                     "$CfResourceParam)"))

    # ---- references -----------------------------------------------------------------------
    def directives(self, source_node: str | None, path: KeyPath, text: str) -> None:
        parsed = well_formed(text)
        if parsed is None:
            return
        for directive in walk(parsed):
            if directive.name == "CfResourceParam":
                self.cf_resource_param(source_node, directive, path)
            elif directive.name == "ResourceParam" and source_node is not None and is_node(source_node):
                target = _literal(directive, 0)
                if target is not None:
                    self.resource_param(source_node, target, path)

    def cf_resource_param(self, source_node: str | None, directive: Directive, path: KeyPath) -> None:
        name, attribute = _literal(directive, 0), _literal(directive, 1)
        if name is None or attribute is None:
            return  # arity and argument types are reported where directives are validated
        self.target(source_node, name, attribute, path, "$CfResourceParam")

    def target(self, source: str | None, name: str, attribute: str, path: KeyPath, how: str) -> None:
        """A reference from `source` (a node, or None for a stack output) to attribute `attribute` of `name`."""
        from stacktape_pulumi.aws.cloudformation import attributes, find_attribute

        if name not in self.section:
            if name in self.resources:
                self.issue(path, f"{how} reads cloudformationResources; '{name}' is a resource of this config.",
                           f"use $ResourceParam('{name}', '<parameter>')")
            else:
                self.issue(path, f"{how}: '{name}' names no cloudformationResource of this config.",
                           self.did_you_mean(name, list(self.section)) or
                           "declare it under cloudformationResources; the AWS resources stacktape-pulumi creates for "
                           "`resources` have no CloudFormation logical names: read their values with $ResourceParam")
            return
        source_name = source.removeprefix(NODE_PREFIX) if source else None
        if source_name == name:
            self.issue(path, f"{how}: CloudFormation resource {name} cannot reference itself.")
            return
        schema = self.schema(name)
        if schema is not None and find_attribute(schema, attribute) is None:
            known = ", ".join(a.name for a in attributes(schema))
            close = get_close_matches(attribute, [a.name for a in attributes(schema)], n=1)
            self.issue(path, f"{how}: {self.section[name].get('Type')} '{name}' has no attribute '{attribute}'; "
                       f"attributes: {known}.", f"did you mean '{close[0]}'?" if close else None)
            return
        if source is not None:
            self.edges.append(Reference(source, node(name), path))

    def resource_param(self, source_node: str, target: str, path: KeyPath) -> None:
        if target in self.resources:
            self.edges.append(Reference(source_node, target, path))
        else:
            self.issue(path, f"Referenced resource with name {target} could not be resolved in the config "
                       f"(referenced from {source_node}).", self.did_you_mean(target, list(self.resources)) or
                       f"resources: {', '.join(sorted(self.resources)) or 'none'}")

    @staticmethod
    def did_you_mean(name: str, names: list[str]) -> str | None:
        close = get_close_matches(name, sorted(names), n=1)
        return f"did you mean '{close[0]}'?" if close else None


def _literal(directive: Directive, index: int) -> str | None:
    arg = directive.args[index] if index < len(directive.args) else None
    return arg.value if isinstance(arg, Literal) and isinstance(arg.value, str) else None


# ---- properties against the schema ---------------------------------------------------------
def _dynamic_paths(value: Any, path: tuple[str | int, ...] = ()) -> Iterator[tuple[str | int, ...]]:
    """Where `value` holds something only known at deployment: a runtime directive or an intrinsic."""
    if is_intrinsic(value):
        yield path
    elif isinstance(value, Mapping):
        for key, item in value.items():
            yield from _dynamic_paths(item, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _dynamic_paths(item, (*path, index))
    elif isinstance(value, str) and value.startswith("$"):
        try:
            parsed = parse(value)
        except DirectiveSyntaxError:
            return
        if parsed is not None and contains_runtime(parsed):
            yield path


def property_problems(type_name: str, schema: Mapping[str, Any], properties: Mapping[str, Any]) -> list[Problem]:
    """The problems of `properties` against the type's registry schema (paths below `Properties`)."""
    from stacktape_pulumi.aws.cloudformation import read_only_names

    problems: list[Problem] = []
    read_only = read_only_names(schema)
    for key in properties:
        if key in read_only:
            problems.append(Problem((key,), f"{key} of {type_name} is read-only: AWS sets it.",
                                    f"remove it; read it with $CfResourceParam('<name>', '{key}')", at_key=True))
    dynamic = list(_dynamic_paths(properties))
    validator = _validator(type_name)
    for error in validator.iter_errors(properties):
        at = tuple(error.absolute_path)
        if any(at[:len(d)] == d for d in dynamic):
            continue  # at or below a value known only at deployment
        if error.validator in ("oneOf", "anyOf", "allOf", "not", "if") and any(d[:len(at)] == at for d in dynamic):
            continue  # a branch may fail only because a deployment-time value stands in it
        problems.extend(_problems_of(type_name, schema, error, at))
    return sorted(problems, key=lambda problem: [str(part) for part in problem.path])


def _shown(at: tuple[Any, ...]) -> str:
    return "".join(f"[{part}]" if isinstance(part, int) else f".{part}" for part in at).lstrip(".")


@cache
def _validator(type_name: str) -> Any:
    """A Draft 7 validator of the type's schema, where a pattern Python cannot compile matches anything.

    About 1 % of the schemas' patterns are Java/ECMAScript regular expressions (`\\p{Print}`,
    `[a&&[^b]]`) that `re` refuses, and jsonschema would raise on them instead of validating. Imported
    here: jsonschema takes ~0.13 s to import, which only configs with cloudformationResources pay.
    """
    from jsonschema import Draft7Validator

    from stacktape_pulumi.aws.cloudformation import resource_schema

    return Draft7Validator(_python_patterns(resource_schema(type_name)))


def _python_patterns(node: Any) -> Any:
    if isinstance(node, Mapping):
        copied: dict[str, Any] = {}
        for key, value in node.items():
            if key == "pattern" and isinstance(value, str):
                copied[key] = value if _compiles(value) else ""
            elif key == "patternProperties" and isinstance(value, Mapping):
                copied[key] = {(pattern if _compiles(pattern) else ""): _python_patterns(item)
                               for pattern, item in value.items()}
            else:
                copied[key] = _python_patterns(value)
        return copied
    if isinstance(node, list):
        return [_python_patterns(item) for item in node]
    return node


def _compiles(regex: str) -> bool:
    try:
        re.compile(regex)
    except re.error:
        return False
    return True


def _label(type_name: str, at: tuple[Any, ...]) -> str:
    return f"{_shown(at)} of {type_name}" if at else f"Properties of {type_name}"


def _owner(type_name: str, at: tuple[Any, ...]) -> str:
    return f"{type_name} {_shown(at)}" if at else type_name


def _problems_of(type_name: str, schema: Mapping[str, Any], error: "ValidationError",
                 at: tuple[Any, ...]) -> list[Problem]:
    from stacktape_pulumi.aws.cloudformation import object_properties, read_only_names

    instance = error.instance
    if error.validator == "additionalProperties" and isinstance(instance, Mapping):
        named = set(object_properties(schema, error.schema)) if isinstance(error.schema, Mapping) else set()
        # Read-only properties are reported as such, and are not offered.
        known = sorted(named - (read_only_names(schema) if not at else set()))
        patterns = error.schema.get("patternProperties") or {} if isinstance(error.schema, Mapping) else {}
        unknown = [key for key in instance if key not in named and not _matches_any(str(key), patterns)]
        return [Problem((*at, key), f"Unknown property '{key}' of {_owner(type_name, at)}; allowed: "
                        f"{', '.join(known) or 'none'}.",
                        f"did you mean '{close[0]}'?" if (close := get_close_matches(str(key), known, n=1))
                        else None, at_key=True) for key in unknown]
    if error.validator == "required" and isinstance(instance, Mapping):
        missing = [key for key in error.validator_value if key not in instance]
        return [Problem(at, f"Missing required property '{key}' of {_owner(type_name, at)}.",
                        f"add {key} under {_shown(at) or 'Properties'}", at_key=bool(at))
                for key in missing]
    if error.validator == "type":
        expected = error.validator_value if isinstance(error.validator_value, list) else [error.validator_value]
        return [Problem(at, f"{_label(type_name, at)} must be {' or '.join(map(str, expected))}, got "
                        f"{describe_value(instance)}.")]
    if error.validator == "enum":
        allowed = ", ".join(map(str, error.validator_value))
        close = get_close_matches(str(instance), [str(v) for v in error.validator_value], n=1)
        return [Problem(at, f"{_label(type_name, at)} must be one of {allowed}, got {describe_value(instance)}.",
                        f"did you mean '{close[0]}'?" if close else None)]
    return [Problem(at, f"{_label(type_name, at)}: {error.message}.")]


def _matches_any(key: str, patterns: Mapping[str, Any]) -> bool:
    return any(re.search(pattern, key) for pattern in patterns)
