"""The bundled programs: every example config, the `pulumi up` program, Automation API, Python components."""

import json
import runpy
from pathlib import Path

import pulumi
import pytest

from stacktape_pulumi import inline_program
from stacktape_pulumi.engine import run_offline
from stacktape_pulumi.engine.canned import completed_prefix
from stacktape_pulumi.engine.preview import preview_config
from stacktape_pulumi.load import load_config
from tests.module_support import load_module

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = sorted((ROOT / "programs" / "examples").glob("*.yml"))


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


def test_pulumi_up_and_the_offline_preview_give_a_config_the_same_names(tmp_path: Path) -> None:
    """Names start with the config's serviceName, not the Pulumi project's (`stacktape-pulumi` at the root)."""
    config = tmp_path / "stacktape.yml"
    config.write_text("serviceName: shop\nresources:\n  orders:\n    type: sqs-queue\n")
    up = run_offline(inline_program(config), project="stacktape-pulumi", stack="prod")
    offline = preview_config(load_config(config, stage="prod"))
    assert up.one("aws:sqs/queue:Queue").inputs["name"] == "shop-prod-orders"
    assert offline.one("aws:sqs/queue:Queue").inputs == up.one("aws:sqs/queue:Queue").inputs


def test_a_bad_config_stops_the_program_with_located_errors(tmp_path: Path) -> None:
    bad = tmp_path / "stacktape.yml"
    bad.write_text("resources:\n  api:\n    type: multi-container-workloads\n")
    with pytest.raises(pulumi.RunError) as err:
        run_offline(inline_program(bad))
    assert str(err.value) == (
        f"{bad}:3:11: resources.api.type: unsupported type 'multi-container-workloads'; supported: "
        "multi-container-workload, http-api-gateway, application-load-balancer, function, bucket, dynamo-db-table, "
        "sqs-queue, sns-topic, event-bus, web-service, private-service, worker-service, relational-database, "
        "efs-filesystem, network-load-balancer "
        "(hint: did you mean 'multi-container-workload'?)")


def test_automation_inline_program_builds_the_stack_offline() -> None:
    rec = run_offline(inline_program(ROOT / "programs" / "examples" / "multi-container.yml"), stack="dev")
    assert rec.one("aws:ecs/service:Service", "webApp-service")


def test_python_components_example() -> None:
    module_path = ROOT / "programs" / "python_components.py"
    rec = run_offline(lambda: load_module(module_path))  # type: ignore[arg-type]
    task = rec.one("aws:ecs/taskDefinition:TaskDefinition", "api-task-definition")
    assert task.inputs["runtimePlatform"]["cpuArchitecture"] == "ARM64"
    assert '"name":"DB_PASSWORD","valueFrom":"arn:aws:secretsmanager:' in task.inputs["containerDefinitions"]
    assert '{"name":"STP_UPLOADS_NAME","value":"stacktape-dev-uploads-' in task.inputs["containerDefinitions"]
    # The bucket's name is S3's completion of its prefix (offline: derived from the URN).
    recorded_bucket = rec.one("aws:s3/bucket:Bucket")
    bucket = completed_prefix(recorded_bucket.inputs["bucketPrefix"], recorded_bucket.urn)
    statements = rec.one("aws:iam/rolePolicy:RolePolicy", "api-custom-iam-role-statements").inputs["policy"]
    assert json.loads(statements)["Statement"] == [{"Effect": "Allow", "Action": ["s3:GetBucketTagging"],
                                                    "Resource": [f"arn:aws:s3:::{bucket}"]}]
    assert set(rec.stack_outputs) == {"serviceName"}
