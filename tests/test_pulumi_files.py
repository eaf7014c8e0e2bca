"""Every Pulumi file the repository ships parses as YAML and follows Pulumi's own rules for it.

- Project files (`Pulumi.yaml`): Pulumi's published JSON schema (tests/data/pulumi-project.schema.json).
- Plugin manifests (`PulumiPlugin.yaml`): Pulumi reads them into `PluginProject`, whose one required field is
  `runtime`, of the same shape as a project's `runtime` (checked with that part of the schema).
- Stack files (`Pulumi.<stack>.yaml`): Pulumi reads them into `ProjectStack`: `config`, `environment` and the
  secrets-provider fields (`secretsprovider`, `encryptedkey`, `encryptionsalt`).
"""

import json
import subprocess
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
PROJECT_SCHEMA: dict[str, Any] = json.loads((ROOT / "tests" / "data" / "pulumi-project.schema.json").read_text())
STACK_FILE_KEYS = {"config", "environment", "secretsprovider", "encryptedkey", "encryptionsalt"}


def _pulumi_files() -> list[Path]:
    tracked = subprocess.run(["git", "ls-files", "*Pulumi*.yaml"], cwd=ROOT, capture_output=True, text=True,
                             check=True).stdout.split()
    return sorted(ROOT / name for name in tracked)


FILES = _pulumi_files()
IDS = [str(path.relative_to(ROOT)) for path in FILES]


def _problems(path: Path, document: Any) -> list[str]:
    if path.name == "Pulumi.yaml":
        validator = jsonschema.Draft202012Validator(PROJECT_SCHEMA)
        return [f"{'.'.join(map(str, e.absolute_path)) or '<root>'}: {e.message}"
                for e in validator.iter_errors(document)]
    if path.name == "PulumiPlugin.yaml":
        if not isinstance(document, dict) or "runtime" not in document:
            return ["a plugin manifest needs 'runtime'"]
        runtime_schema = {**PROJECT_SCHEMA["properties"]["runtime"], "$defs": PROJECT_SCHEMA["$defs"]}
        return [f"runtime: {e.message}" for e in jsonschema.Draft202012Validator(runtime_schema).iter_errors(
            document["runtime"])]
    if not isinstance(document, dict):
        return ["a stack file is a mapping"]
    problems = [f"unknown key '{key}'" for key in sorted(set(document) - STACK_FILE_KEYS)]
    if not isinstance(document.get("config", {}), dict):
        problems.append("config: must be a mapping")
    return problems


def test_the_repository_ships_its_pulumi_files() -> None:
    assert IDS == ["Pulumi.yaml", "PulumiPlugin.yaml", "programs/pulumi-yaml/Pulumi.dev.yaml",
                   "programs/pulumi-yaml/Pulumi.yaml"]


@pytest.mark.parametrize("path", FILES, ids=IDS)
def test_pulumi_file_parses_and_follows_pulumis_schema(path: Path) -> None:
    document = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert _problems(path, document) == []


def test_an_unquoted_colon_in_a_value_is_caught() -> None:
    # The root Pulumi.yaml once had this line unquoted, and no Pulumi command could read it.
    with pytest.raises(yaml.YAMLError, match="mapping values are not allowed here"):
        yaml.safe_load("name: x\ndescription: Deploys a config (default: a.yml) with Pulumi.\nruntime: python\n")


def test_the_schema_refuses_what_pulumi_refuses() -> None:
    project = Path("Pulumi.yaml")
    assert _problems(project, {"name": "x"}) == ["<root>: 'runtime' is a required property"]
    assert _problems(project, {"name": "x", "runtime": {"name": "python", "toolchain": "pip"}}) == [
        "runtime: {'name': 'python', 'toolchain': 'pip'} is not valid under any of the given schemas"]
    assert _problems(Path("PulumiPlugin.yaml"), {"main": "x"}) == ["a plugin manifest needs 'runtime'"]
    assert _problems(Path("Pulumi.dev.yaml"), {"config": {}, "stackConfig": {}}) == ["unknown key 'stackConfig'"]
