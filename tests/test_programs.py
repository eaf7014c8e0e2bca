"""The bundled programs: every example config, the `pulumi up` program, Automation API, Python components."""

import importlib.util
import runpy
import shutil
from pathlib import Path
from types import ModuleType

import pulumi
import pytest

from stacktape_pulumi import inline_program
from stacktape_pulumi.engine import run_offline
from stacktape_pulumi.engine.preview import preview_config
from stacktape_pulumi.load import load_config

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = sorted((ROOT / "programs" / "examples").glob("*.yml"))


def load_module(path: Path) -> ModuleType:
    spec = importlib.util.spec_from_file_location(path.stem, path)
    assert spec
    assert spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize("example", EXAMPLES, ids=[p.name for p in EXAMPLES])
def test_every_example_validates_and_previews(example: Path) -> None:
    rec = preview_config(load_config(example))
    assert rec.by_type("aws:ecs/service:Service") or rec.resources


def test_the_pulumi_up_program_deploys_the_configured_file() -> None:
    rec = run_offline(lambda: runpy.run_path(str(ROOT / "programs" / "__main__.py")),  # type: ignore[arg-type]
                      project="stacktape-pulumi", stack="staging",
                      config={"stacktape-pulumi:config": "programs/examples/multi-container.yml",
                              "aws:region": "eu-west-1"})
    cluster = rec.one("aws:ecs/cluster:Cluster", "webApp-cluster")
    assert cluster.inputs["name"] == "stacktape-pulumi-staging-webApp-cluster"
    task = rec.one("aws:ecs/taskDefinition:TaskDefinition")
    assert '"STAGE","value":"staging"' in task.inputs["containerDefinitions"]
    assert '"awslogs-region":"eu-west-1"' in task.inputs["containerDefinitions"]


def test_a_bad_config_stops_the_program_with_located_errors(tmp_path: Path) -> None:
    bad = tmp_path / "stacktape.yml"
    bad.write_text("resources:\n  api:\n    type: multi-container-workloads\n")
    with pytest.raises(pulumi.RunError) as err:
        run_offline(inline_program(bad))
    assert str(err.value) == (
        f"{bad}:3:11: resources.api.type: unsupported type 'multi-container-workloads'; supported: "
        "multi-container-workload, http-api-gateway, application-load-balancer, function, bucket, dynamo-db-table, "
        "sqs-queue, sns-topic, event-bus (hint: did you mean 'multi-container-workload'?)")


def test_automation_inline_program_builds_the_stack_offline() -> None:
    rec = run_offline(inline_program(ROOT / "programs" / "examples" / "multi-container.yml"), stack="dev")
    assert rec.one("aws:ecs/service:Service", "webApp-service")


@pytest.mark.skipif(shutil.which("pulumi") is None, reason="the pulumi CLI is not installed here")
@pytest.mark.needs_pulumi_cli
def test_automation_api_selects_a_local_stack(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PULUMI_BACKEND_URL", f"file://{tmp_path}")
    monkeypatch.setenv("PULUMI_CONFIG_PASSPHRASE", "offline-test")
    automation = load_module(ROOT / "programs" / "automation.py")
    stack = automation.select_stack(str(ROOT / "programs" / "examples" / "multi-container.yml"), "ci", "eu-west-1")
    assert stack.get_config("aws:region").value == "eu-west-1"
    preview = stack.preview()
    assert preview.change_summary


def test_python_components_example() -> None:
    module_path = ROOT / "programs" / "python_components.py"
    rec = run_offline(lambda: load_module(module_path))  # type: ignore[arg-type]
    task = rec.one("aws:ecs/taskDefinition:TaskDefinition", "api-task-definition")
    assert task.inputs["runtimePlatform"]["cpuArchitecture"] == "ARM64"
    assert '"name":"DB_PASSWORD","valueFrom":"arn:aws:secretsmanager:' in task.inputs["containerDefinitions"]
    assert set(rec.stack_outputs) == {"serviceName"}
