"""CloudFormation resource types as AWS's own registry schemas describe them, and as Pulumi's aws-native names them.

Pure and Pulumi-free (`validate` reads it): both packages are read as data, never imported.

* The schemas are the CloudFormation registry schemas cfn-lint ships (`cfnlint/data/schemas`): a
  per-region map `providers/<region>.json` from type name to a file in `resources/`. Importing
  `cfnlint` would load its linter; `importlib.util.find_spec` only locates the package.
* Pulumi's aws-native provider (Cloud Control) builds each CloudFormation type as one resource.
  Its token is not a mechanical rewrite of the type name (`AWS::EC2::VPC` → `aws-native:ec2:Vpc`,
  `AWS::RDS::DBInstance` → `aws-native:rds:DbInstance`), so it is looked up in the table of
  classes the installed `pulumi_aws_native` package registers (its `__init__.py`), by module and
  case-insensitive name. A type with no aws-native resource cannot be built.
* Property names: aws-native's inputs are the schema's names in lower camel case with every acronym
  title-cased (`DBInstanceIdentifier` → `dbInstanceIdentifier`, `ConsoleURLs` → `consoleUrls`,
  `GraphQLApi` → `graphQlApi`), and a top-level `Id` or `Urn` prefixed with `aws` (Pulumi reserves
  those). tests/test_cloudformation_resources.py checks this against the SDK's own getters.
"""

import importlib.metadata
import importlib.util
import json
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

# The schemas of this region decide which types exist (types available elsewhere only are rare).
SCHEMA_REGION = "us-east-1"
AWS_NATIVE_PACKAGE = "pulumi-aws-native"
# Top-level property names Pulumi reserves for every resource; aws-native prefixes them with `aws`.
RESERVED_TOP_LEVEL = frozenset({"id", "urn"})
# `$CfResourceParam(name, 'Ref')` and `Ref: name`: the resource's physical id (its primaryIdentifier).
REF = "Ref"

_REGISTER = re.compile(r'_utilities\.register\(\s*resource_modules="""(.*?)"""', re.DOTALL)
# Words of a CloudFormation name: a plural acronym (`URLs`), an acronym (`DB` of `DBInstance`), a word, digits.
_WORDS = re.compile(r"[A-Z]{2,}s(?=[A-Z0-9]|$)|[A-Z]+(?=[A-Z][a-z]|[0-9]|$)|[A-Z]?[a-z]+|[0-9]+|.")


def _package_dir(name: str) -> Path:
    spec = importlib.util.find_spec(name)
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError(f"the package {name} is not installed (a dependency of stacktape-pulumi)")
    return Path(next(iter(spec.submodule_search_locations)))


@cache
def _schema_files() -> dict[str, str]:
    directory = _package_dir("cfnlint") / "data" / "schemas" / "providers"
    files: dict[str, str] = json.loads((directory / f"{SCHEMA_REGION}.json").read_text(encoding="utf-8"))
    return files


def resource_types() -> list[str]:
    """Every CloudFormation resource type of the schemas, sorted."""
    return sorted(_schema_files())


@cache
def resource_schema(type_name: str) -> Mapping[str, Any] | None:
    """The registry schema of `type_name`, or None for a type that does not exist."""
    file = _schema_files().get(type_name)
    if file is None:
        return None
    path = _package_dir("cfnlint") / "data" / "schemas" / "resources" / f"{file}.json"
    schema: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return schema


@cache
def _aws_native_tokens() -> dict[tuple[str, str], str]:
    text = (_package_dir("pulumi_aws_native") / "__init__.py").read_text(encoding="utf-8")
    found = _REGISTER.search(text)
    if found is None:
        raise RuntimeError("pulumi_aws_native/__init__.py has no resource table: an unexpected package layout")
    tokens: dict[tuple[str, str], str] = {}
    for module in json.loads(found.group(1)):
        for token in module["classes"]:
            _, mod, name = token.split(":")
            tokens[(mod, name.lower())] = token
    return tokens


def aws_native_token(type_name: str) -> str | None:
    """The aws-native type token building `type_name` (`AWS::SNS::Topic` → `aws-native:sns:Topic`), if any."""
    parts = type_name.split("::")
    if len(parts) != 3:
        return None
    return _aws_native_tokens().get((parts[1].lower(), parts[2].lower()))


def cloudformation_type(token: str) -> str | None:
    """The CloudFormation type an aws-native token builds (the inverse of `aws_native_token`)."""
    return _types_by_token().get(token)


@cache
def _types_by_token() -> dict[str, str]:
    return {token: name for name in resource_types() if (token := aws_native_token(name)) is not None}


def aws_native_version() -> str:
    """The installed pulumi-aws-native version: the plugin version its resources are registered with."""
    return importlib.metadata.version(AWS_NATIVE_PACKAGE)


def input_name(name: str, *, top_level: bool = False) -> str:
    """aws-native's name of CloudFormation property `name` (see the module docstring)."""
    words = _WORDS.findall(name)
    camel = "".join([words[0].lower(), *(word[:1].upper() + word[1:].lower() for word in words[1:])]) if words else name
    if top_level and camel in RESERVED_TOP_LEVEL:
        return "aws" + camel.capitalize()
    return camel


def resolve(schema: Mapping[str, Any], node: Mapping[str, Any]) -> Mapping[str, Any]:
    """`node` with its local `$ref` (`#/definitions/...`) followed."""
    seen = 0
    while isinstance(node, Mapping) and isinstance(ref := node.get("$ref"), str) and ref.startswith("#/") and seen < 32:
        target: Any = schema
        for part in ref[2:].split("/"):
            target = target.get(part, {}) if isinstance(target, Mapping) else {}
        node = target
        seen += 1
    return node


def object_properties(schema: Mapping[str, Any], node: Mapping[str, Any]) -> dict[str, Mapping[str, Any]]:
    """The named properties an object node may have (of every `oneOf`/`anyOf`/`allOf` branch); {} when free-form."""
    node = resolve(schema, node)
    found: dict[str, Mapping[str, Any]] = dict(node.get("properties") or {})
    for key in ("oneOf", "anyOf", "allOf"):
        for branch in node.get(key) or []:
            for name, child in object_properties(schema, branch).items():
                found.setdefault(name, child)
    return found


def item_schema(schema: Mapping[str, Any], node: Mapping[str, Any]) -> Mapping[str, Any]:
    """The schema of a list node's items (of its first `oneOf`/`anyOf`/`allOf` branch that is a list)."""
    node = resolve(schema, node)
    items = node.get("items")
    if isinstance(items, Mapping):
        return items
    for key in ("oneOf", "anyOf", "allOf"):
        for branch in node.get(key) or []:
            if found := item_schema(schema, branch):
                return found
    return {}


def to_inputs(schema: Mapping[str, Any], value: Any, node: Mapping[str, Any] | None = None,
              *, top_level: bool = True) -> Any:
    """CloudFormation `Properties` → aws-native inputs: keys the schema names renamed (free-form JSON kept)."""
    node = schema if node is None else node
    if isinstance(value, Mapping):
        named = object_properties(schema, node)
        if not named:
            return dict(value)  # free-form (a policy document, a map of tags): keys are data
        return {input_name(key, top_level=top_level) if key in named else key:
                to_inputs(schema, item, named.get(key, {}), top_level=False) for key, item in value.items()}
    if isinstance(value, list):
        return [to_inputs(schema, item, item_schema(schema, node), top_level=False) for item in value]
    return value


def pointer_names(pointer: str) -> tuple[str, ...]:
    """`/properties/Endpoint/Address` → ("Endpoint", "Address")."""
    parts = pointer.split("/")[2:] if pointer.startswith("/properties/") else []
    return tuple(part for part in parts if part != "*")


@dataclass(frozen=True)
class Attribute:
    """What `$CfResourceParam(name, attribute)` or `Fn::GetAtt` reads: `Ref`, or a read-only property."""

    name: str  # as the schema spells it, dotted when nested (`Endpoint.Address`); `Ref` for the id
    path: tuple[str, ...]  # aws-native output names, outermost first; () for the id


def attributes(schema: Mapping[str, Any]) -> list[Attribute]:
    """`Ref` and every read-only property (CloudFormation's GetAtt attributes), in schema order."""
    found = [Attribute(REF, ())]
    for pointer in schema.get("readOnlyProperties") or []:
        if "/*" in pointer:
            continue  # inside a list's items: not an attribute GetAtt can read
        names = pointer_names(pointer)
        if names:
            path = (input_name(names[0], top_level=True), *(input_name(name) for name in names[1:]))
            found.append(Attribute(".".join(names), path))
    return found


def find_attribute(schema: Mapping[str, Any], wanted: str) -> Attribute | None:
    """The attribute `wanted` names: exactly; else case-insensitively; else, for `Arn`, the one `…Arn` attribute.

    The reference's examples read an SNS topic's `Arn`, which the schema calls `TopicArn`.
    """
    known = attributes(schema)
    exact = [attribute for attribute in known if attribute.name == wanted]
    if exact:
        return exact[0]
    folded = [attribute for attribute in known if attribute.name.lower() == wanted.lower()]
    if len(folded) == 1:
        return folded[0]
    if wanted.lower() == "arn":
        arns = [a for a in known if "." not in a.name and a.name.lower().endswith("arn")]
        if len(arns) == 1:
            return arns[0]
    return None


def read_only_names(schema: Mapping[str, Any]) -> set[str]:
    """Top-level properties AWS sets: a config may not."""
    return {names[0] for pointer in schema.get("readOnlyProperties") or [] if len(names := pointer_names(pointer)) == 1}


def primary_identifier(schema: Mapping[str, Any]) -> list[tuple[str, ...]]:
    """The properties whose values, joined by `|`, are the resource's Cloud Control identifier."""
    return [pointer_names(pointer) for pointer in schema.get("primaryIdentifier") or []]


def walk_properties(schema: Mapping[str, Any]) -> Iterator[tuple[str, Mapping[str, Any]]]:
    """(name, property schema) of every top-level property."""
    yield from (schema.get("properties") or {}).items()
