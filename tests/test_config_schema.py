"""The config file's JSON Schema: drift, the `schema` command, and what it accepts and rejects."""

import json
import re
import textwrap
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml
from jsonschema import Draft202012Validator
from jsonschema.exceptions import ValidationError
from pydantic import Field

from stacktape_pulumi.cli import main
from stacktape_pulumi.config.models.common import StrictModel
from stacktape_pulumi.config.models.root import StacktapeConfig
from stacktape_pulumi.errors import ConfigError
from stacktape_pulumi.load import load_config
from stacktape_pulumi.schema.config_schema import CONFIG_SCHEMA_PATH, DIALECT, config_schema, render_config_schema
from stacktape_pulumi.schema.field_docs import DocumentedJsonSchema, field_description

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures"
EXAMPLES = sorted((ROOT / "programs" / "examples").glob("*.yml"))
BROKEN = sorted((FIXTURES / "broken").glob("*.yml"))
CONFIG_ERRORS = sorted((FIXTURES / "config-errors").glob("*.yml"))
SCHEMA_LINE = "# yaml-language-server: $schema=../../schema/stacktape-config.schema.json"


@pytest.fixture(scope="module")
def validator() -> Draft202012Validator:
    document = json.loads(CONFIG_SCHEMA_PATH.read_text())
    Draft202012Validator.check_schema(document)
    return Draft202012Validator(document)


def _errors(validator: Draft202012Validator, data: Any) -> list[ValidationError]:
    return sorted(validator.iter_errors(data), key=lambda e: list(e.absolute_path))


def _where(error: ValidationError) -> str:
    return ".".join(str(part) for part in error.absolute_path) or "(root)"


def _leaves(error: ValidationError) -> list[ValidationError]:
    """The errors behind an `anyOf` failure (an optional value: its kind, or null), as an editor shows them."""
    if not error.context:
        return [error]
    return [leaf for inner in error.context for leaf in _leaves(inner)]


def _header(path: Path) -> dict[str, str]:
    """`# key: value` lines at the top of a fixture."""
    found: dict[str, str] = {}
    for line in path.read_text().splitlines():
        match = re.match(r"^# ([a-z-]+): (.*)$", line)
        if not line.startswith("#"):
            break
        if match:
            found[match.group(1)] = match.group(2)
    return found


# ---- the document and the command -------------------------------------------------------------

def test_committed_schema_is_up_to_date() -> None:
    assert CONFIG_SCHEMA_PATH.read_text() == render_config_schema(), (
        f"{CONFIG_SCHEMA_PATH.name} is stale: run `python -m stacktape_pulumi.schema` and commit the result")


def test_schema_command_prints_the_schema(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    target = tmp_path / "stacktape.schema.json"
    assert main(["schema", "--output", str(target)]) == 0
    printed = capsys.readouterr().out
    assert printed == CONFIG_SCHEMA_PATH.read_text() == target.read_text()
    assert json.loads(printed)["$schema"] == DIALECT == "https://json-schema.org/draft/2020-12/schema"


def test_schema_command_reports_an_unwritable_output(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    assert main(["schema", "--output", str(tmp_path / "missing" / "x.json")]) == 2
    assert "cannot write" in capsys.readouterr().err


def _container_defs(document: dict[str, Any]) -> dict[str, Any]:
    defs: dict[str, Any] = document["$defs"]
    return defs


def test_schema_carries_descriptions_defaults_enums_and_limits() -> None:
    defs = _container_defs(config_schema())
    check = defs["ContainerHealthCheck"]["properties"]["intervalSeconds"]
    assert check["description"] == "Seconds between checks. Default 30 (ECS), range 5-300."
    bounded = [branch for branch in check["anyOf"] if branch.get("type") == "integer"]
    assert bounded == [{"type": "integer", "minimum": 5, "maximum": 300}]
    essential = defs["Container"]["properties"]["essential"]
    assert essential["default"] is True
    condition = defs["ContainerDependency"]["properties"]["condition"]
    assert ["START", "COMPLETE", "SUCCESS", "HEALTHY"] in [branch.get("enum") for branch in condition["anyOf"]]
    assert defs["Container"]["additionalProperties"] is False


# ---- what it accepts -------------------------------------------------------------------------

@pytest.mark.parametrize("example", EXAMPLES, ids=[p.stem for p in EXAMPLES])
def test_examples_are_valid_and_point_editors_at_the_schema(validator: Draft202012Validator, example: Path) -> None:
    assert example.read_text().splitlines()[0] == SCHEMA_LINE
    assert (example.parent / SCHEMA_LINE.split("$schema=")[1]).resolve() == CONFIG_SCHEMA_PATH
    assert [(_where(e), e.message) for e in _errors(validator, yaml.safe_load(example.read_text()))] == []


@pytest.mark.parametrize("fixture", BROKEN, ids=[p.stem for p in BROKEN])
def test_broken_fixtures_are_structurally_valid(validator: Draft202012Validator, fixture: Path) -> None:
    # These configs are well-formed; what is wrong with them (IAM, names, secrets, AWS rules) is found later.
    assert [(_where(e), e.message) for e in _errors(validator, yaml.safe_load(fixture.read_text()))] == []


def test_directives_are_accepted_for_scalar_values(validator: Draft202012Validator,
                                                         write_config: Callable[[str], Path]) -> None:
    data = yaml.safe_load(textwrap.dedent("""
        resources:
          api:
            type: multi-container-workload
            properties:
              resources: {cpu: $Var().cpu, memory: $Var().memory}
              scaling: {minInstances: $Var().min, maxInstances: 4}
              enableRemoteSessions: $CliArgs().exec
              containers:
                - name: web
                  stopTimeout: $CliArgs().stopTimeout
                  packaging: {type: prebuilt-image, properties: {image: $Var().image}}
        """))
    assert _errors(validator, data) == []
    # A whole object from a directive passes `validate` but not the editor's check (see config_schema._value).
    data["resources"]["api"]["properties"]["scaling"] = "$Var().scaling"
    assert [_where(e) for e in _errors(validator, data)] == ["resources.api.properties.scaling"]
    data["resources"]["api"]["properties"]["scaling"] = {"minInstances": 1}
    data["resources"]["api"]["properties"]["containers"][0]["stopTimeout"] = "thirty"
    assert [_where(e) for e in _errors(validator, data)] == ["resources.api.properties.containers.0.stopTimeout"]


# ---- what it rejects -------------------------------------------------------------------------

@pytest.mark.parametrize("fixture", CONFIG_ERRORS, ids=[p.stem for p in CONFIG_ERRORS])
def test_config_error_fixtures(validator: Draft202012Validator, fixture: Path) -> None:
    header = _header(fixture)
    with pytest.raises(ConfigError) as raised:
        load_config(fixture)
    assert header["validate-says"] in raised.value.render()
    errors = _errors(validator, yaml.safe_load(fixture.read_text()))
    if header["config-error"] == "structural":
        leaves = [leaf for error in errors for leaf in _leaves(error)]
        assert header["schema-error-at"] in [_where(e) for e in leaves], [(_where(e), e.message) for e in leaves]
    else:
        # Cross-field rules are beyond a JSON Schema: the editor accepts the file, `validate` does not.
        assert header["config-error"].startswith("cross-field")
        assert errors == []


# ---- field descriptions: read from the docstrings when a schema is made, not at import ----------------------

class _Documented(StrictModel):
    size: int = 1
    """How big.

    In bytes."""
    name: str = Field("x", description="Given explicitly.")


class _Redeclared(_Documented):
    size: int = 2
    colour: str = "red"
    """Its colour."""


def test_field_descriptions_follow_pydantics_docstring_rules() -> None:
    assert field_description(_Documented, "size") == "How big.\n\nIn bytes."
    assert field_description(_Documented, "name") == "Given explicitly."
    # A field redeclared without a docstring is undocumented; an inherited one keeps its own.
    assert field_description(_Redeclared, "size") is None
    assert field_description(_Redeclared, "colour") == "Its colour."
    assert field_description(_Redeclared, "name") == "Given explicitly."


def test_json_schema_descriptions_sit_where_pydantic_puts_them() -> None:
    properties = _Redeclared.model_json_schema(schema_generator=DocumentedJsonSchema)["properties"]
    assert properties == {
        "size": {"default": 2, "title": "Size", "type": "integer"},
        "name": {"default": "x", "description": "Given explicitly.", "title": "Name", "type": "string"},
        "colour": {"default": "red", "description": "Its colour.", "title": "Colour", "type": "string"},
    }
    assert list(properties["colour"]) == ["default", "description", "title", "type"]


def test_models_leave_docstring_collection_to_the_schema_generators() -> None:
    # pydantic would re-read every model class's source at import (~0.1 s of each `validate`).
    assert StrictModel.model_config.get("use_attribute_docstrings") is None
    assert StacktapeConfig.model_fields["resources"].description is None
