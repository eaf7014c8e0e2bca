"""`$ResourceParam` names checked by `validate`, and the fixed param lists checked against the components."""

from collections.abc import Callable
from pathlib import Path

import pytest

from stacktape_pulumi.checks.resource_params import CLOSED_PARAMS
from stacktape_pulumi.engine.preview import preview_config
from stacktape_pulumi.load import load_config

ROOT = Path(__file__).resolve().parent.parent
CONFIGS = [*sorted((ROOT / "programs" / "examples").glob("*.yml")),
           *sorted((ROOT / "tests" / "fixtures" / "valid").glob("*.yml"))]
FUNCTION = ("packaging: {type: custom-artifact, properties: {packagePath: h.py, handler: h.py:handler}}\n"
            "      runtime: python3.12")


def reader(*values: str) -> str:
    variables = "".join(f"        - {{name: V{index}, value: \"{value}\"}}\n" for index, value in enumerate(values))
    return ("resources:\n  queue: {type: sqs-queue}\n  table:\n    type: dynamo-db-table\n    properties:\n"
            "      primaryKey: {partitionKey: {name: id, type: string}}\n"
            f"  fn:\n    type: function\n    properties:\n      {FUNCTION}\n      environment:\n{variables}")


@pytest.fixture(autouse=True)
def handler(tmp_path: Path) -> None:
    (tmp_path / "h.py").write_text("def handler(event, context):\n    return None\n")


def test_params_a_resource_does_not_publish_are_located(config_errors: Callable[[str], list[str]]) -> None:
    assert config_errors(reader("$ResourceParam('queue', 'hostname')", "$ResourceParam('table', 'Arn')",
                                "$Format('{}', $ResourceParam('table', 'streamArn'))",
                                "$ResourceParam('fn', 'url')", "$ResourceParam('queue', 'url')")) == [
        "stacktape.yml:13:29: resources.fn.properties.environment[0].value: resource 'queue' (sqs-queue) has no "
        "param 'hostname'; its params: arn, url, name (hint: did you mean 'name'?)",
        "stacktape.yml:14:29: resources.fn.properties.environment[1].value: resource 'table' (dynamo-db-table) has "
        "no param 'Arn'; its params: name, arn, streamArn (hint: did you mean 'arn'?)",
        "stacktape.yml:15:29: resources.fn.properties.environment[2].value: resource 'table' publishes "
        "'streamArn' only when streamType is set (hint: configure it on 'table', or read another param)",
        "stacktape.yml:16:29: resources.fn.properties.environment[3].value: resource 'fn' publishes 'url' only "
        "when url.enabled is true (hint: configure it on 'fn', or read another param)",
    ]


@pytest.mark.parametrize("path", CONFIGS, ids=lambda path: path.name)
def test_the_lists_hold_every_param_the_components_publish(path: Path) -> None:
    loaded = load_config(path)
    outputs = preview_config(loaded).stack_outputs
    for name, resource in loaded.config.resources.items():
        if resource.type in CLOSED_PARAMS and name in outputs:
            assert set(outputs[name]) <= set(CLOSED_PARAMS[resource.type]), (name, sorted(outputs[name]))
