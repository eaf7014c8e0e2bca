"""`stacktape-pulumi validate | preview`: exit codes, located errors, the preview --json contract."""

import json
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from stacktape_pulumi.cli import main
from stacktape_pulumi.engine.offline import RecordedResource, Recording
from stacktape_pulumi.engine.tree import render_tree, short_type

EXAMPLES = Path(__file__).resolve().parent.parent / "programs" / "examples"

VALID = """
resources:
  api:
    type: multi-container-workload
    properties:
      resources: {cpu: 0.25, memory: 512}
      containers:
        - name: web
          packaging: {type: prebuilt-image, properties: {image: 'nginx:1.27'}}
          environment:
            - {name: WHO, value: "$CliArgs('who', 'nobody')"}
            - {name: PASSWORD, value: "$Secret('db.password')"}
"""


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_validate_ok_prints_nothing(capsys: pytest.CaptureFixture[str], write_config: Callable[[str], Path]) -> None:
    assert run(capsys, "validate", str(write_config(VALID))) == (0, "", "")


def test_validate_reports_every_located_error(capsys: pytest.CaptureFixture[str],
                                              write_config: Callable[[str], Path]) -> None:
    path = write_config(VALID.replace("cpu: 0.25", "cpu: 3").replace("name: web", "name: web\n          stopTimout: 3"))
    code, out, err = run(capsys, "validate", str(path))
    assert (code, out) == (1, "")
    assert err.splitlines() == [
        f"{path}:5:24: resources.api.properties.resources.cpu: invalid value 3; "
        "allowed values: 0.25, 0.5, 1, 2, 4, 8 or 16",
        f"{path}:8:11: resources.api.properties.containers[0].stopTimout: unknown key 'stopTimout' "
        "(hint: did you mean 'stopTimeout'?)",
    ]


def test_yaml_syntax_error_is_located(capsys: pytest.CaptureFixture[str], write_config: Callable[[str], Path]) -> None:
    path = write_config("resources:\n  api: [unclosed\n")
    code, _, err = run(capsys, "validate", str(path))
    assert code == 1
    assert err == (f"{path}:3:1: YAML syntax error: expected ',' or ']', but got '<stream end>' "
                   "(hint: check indentation, quotes and the ':' after each key)\n")


def test_missing_file_is_a_config_error(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, _, err = run(capsys, "validate", str(tmp_path / "nope.yml"))
    assert (code, err) == (1, f"{tmp_path / 'nope.yml'}:1:1: cannot read the config file: No such file or directory\n")


@pytest.mark.parametrize("argv", [[], ["frobnicate", "x.yml"], ["preview"], ["validate", "x.yml", "--bogus"]])
def test_usage_errors_exit_2(capsys: pytest.CaptureFixture[str], argv: list[str]) -> None:
    assert main(argv) == 2


def test_bad_cli_args_after_double_dash_exit_2(capsys: pytest.CaptureFixture[str],
                                               write_config: Callable[[str], Path]) -> None:
    code, _, err = run(capsys, "validate", str(write_config(VALID)), "--", "positional")
    assert code == 2
    assert "unexpected argument 'positional'" in err


@pytest.mark.parametrize("command", ["validate", "preview"])
def test_help(capsys: pytest.CaptureFixture[str], command: str) -> None:
    code, out, _ = run(capsys, command, "--help")
    assert code == 0
    assert "CONFIG" in out
    assert "--stage" in out
    assert "--region" in out
    assert ("--json" in out) == (command == "preview")


def test_preview_tree(capsys: pytest.CaptureFixture[str], write_config: Callable[[str], Path]) -> None:
    code, out, err = run(capsys, "preview", str(write_config(VALID)))
    lines = out.splitlines()
    assert (code, err) == (0, "")
    rows = [line for line in lines if line.startswith(" +   ")]
    assert lines[:3] == ["Previewing update (dev), offline:", "", lines[2]]
    assert lines[2].split() == ["Type", "Name", "Plan"]
    assert [row.split() for row in rows[:2]] == [["+", "pulumi:pulumi:Stack", "stacktape-dev", "create"],
                                                 ["+", "├─", "stacktape:index:MultiContainerWorkload", "api", "create"]]
    assert ["+", "│", "├─", "aws:ecs:Service", "api-service", "create"] in [row.split() for row in rows]
    assert lines[-2:] == ["Resources:", f"    + {len(rows)} to create"]


def test_preview_json_contract_and_cli_args(capsys: pytest.CaptureFixture[str],
                                            write_config: Callable[[str], Path]) -> None:
    path = str(write_config(VALID))
    code, out, _ = run(capsys, "preview", path, "--json", "--stage", "prod", "--region", "eu-west-1",
                       "--", "--who", "alice")
    assert code == 0
    doc = json.loads(out)
    assert set(doc) == {"resources", "outputs"}
    urns = [r["urn"] for r in doc["resources"]]
    assert urns == sorted(urns)
    assert len(urns) == len(set(urns))
    for resource in doc["resources"]:
        assert set(resource) - {"outputs"} == {"urn", "type", "name", "parent", "custom", "inputs", "secretInputs",
                                               "dependencies"}
        assert resource["parent"] is None or resource["parent"].startswith("urn:pulumi:prod::stacktape::")
    task = next(r for r in doc["resources"] if r["type"] == "aws:ecs/taskDefinition:TaskDefinition")
    container = json.loads(task["inputs"]["containerDefinitions"])[0]
    assert container["environment"] == [{"name": "WHO", "value": "alice"}]
    assert container["secrets"][0]["valueFrom"].startswith("arn:aws:secretsmanager:eu-west-1:")
    cluster_arn = "arn:aws:ecs:eu-west-1:123456789012:cluster/stacktape-prod-api-cluster"
    assert doc["outputs"]["api"]["clusterArn"] == cluster_arn


def test_preview_json_is_byte_identical_across_processes() -> None:
    example = str(EXAMPLES / "multi-container.yml")
    command = [sys.executable, "-m", "stacktape_pulumi.cli", "preview", example, "--json"]
    first = subprocess.run(command, capture_output=True, check=True, timeout=120).stdout
    second = subprocess.run(command, capture_output=True, check=True, timeout=120).stdout
    assert first == second
    assert first.startswith(b'{\n  "outputs"')


def test_help_loads_neither_pulumi_nor_the_aws_sdk() -> None:
    script = ("import sys\nfrom stacktape_pulumi.cli import main\n"
              "try:\n    main(['--help'])\nexcept SystemExit:\n    pass\n"
              "print(sorted(m for m in ('pulumi', 'pulumi_aws', 'pydantic') if m in sys.modules))\n")
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[-1] == "[]"


def test_package_exports_load_on_first_use() -> None:
    import stacktape_pulumi

    for name in stacktape_pulumi.__all__:
        assert getattr(stacktape_pulumi, name).__name__ == name
    with pytest.raises(AttributeError, match="module 'stacktape_pulumi' has no attribute 'MultiContainerWorkloads'"):
        _ = stacktape_pulumi.MultiContainerWorkloads


def test_tree_types_and_outputs_read_as_pulumi_prints_them() -> None:
    assert short_type("aws:ecs/taskDefinition:TaskDefinition") == "aws:ecs:TaskDefinition"
    assert short_type("stacktape:index:Bucket") == "stacktape:index:Bucket"
    assert short_type("pulumi:pulumi:Stack") == "pulumi:pulumi:Stack"

    def resource(urn: str, type_: str, parent: str | None) -> RecordedResource:
        return RecordedResource(urn=urn, type=type_, name=urn, parent=parent, custom=True, inputs={},
                                secret_inputs=[], dependencies=[], property_dependencies={})

    recording = Recording(resources=[resource("s", "pulumi:pulumi:Stack", None),
                                     resource("b", "stacktape:index:Bucket", "s"),
                                     resource("b1", "aws:s3/bucketV2:BucketV2", "b"),
                                     resource("q", "aws:sqs/queue:Queue", "s")],
                          stack_outputs={"b": {"arn": "arn:aws:s3:::b", "name": "b"}, "count": 2})
    assert render_tree(recording, stage="prod") == "\n".join([
        "Previewing update (prod), offline:",
        "",
        "     Type                       Name  Plan",
        " +   pulumi:pulumi:Stack        s     create",
        " +   ├─ stacktape:index:Bucket  b     create",
        " +   │  └─ aws:s3:BucketV2      b1    create",
        " +   └─ aws:sqs:Queue           q     create",
        "",
        "Outputs:",
        "    b: {",
        '        arn : "arn:aws:s3:::b"',
        '        name: "b"',
        "    }",
        "    count: 2",
        "",
        "Resources:",
        "    + 4 to create",
        ""])


def test_every_component_and_its_args_are_exported_at_the_top() -> None:
    import stacktape_pulumi
    from stacktape_pulumi.components.build import COMPONENTS_BY_TYPE

    for component in COMPONENTS_BY_TYPE.values():
        assert getattr(stacktape_pulumi, component.__name__) is component
        assert getattr(stacktape_pulumi, f"{component.__name__}Args").__name__ == f"{component.__name__}Args"
