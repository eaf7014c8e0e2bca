"""The stack builder: references, cycles, creation order, $ResourceParam Outputs, stack outputs."""

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from stacktape_pulumi.engine import Recording
from stacktape_pulumi.load import load_config

Preview = Callable[[str], Recording]


def workload(name: str, env: dict[str, str] | None = None) -> str:
    env_lines = "".join(f"\n            - {{name: {k}, value: \"{v}\"}}" for k, v in (env or {}).items())
    return f"""
  {name}:
    type: multi-container-workload
    properties:
      resources: {{cpu: 0.25, memory: 512}}
      containers:
        - name: main
          packaging: {{type: prebuilt-image, properties: {{image: 'nginx:1.27'}}}}
          environment:
            - {{name: SELF, value: {name}}}{env_lines}
"""


def test_resource_param_orders_creation_and_becomes_an_output(preview: Preview,
                                                              write_config: Callable[[str], Path]) -> None:
    text = "resources:" + workload("front", {"BACK_SG": "$ResourceParam('back', 'securityGroupId')"}) + workload("back")
    assert load_config(write_config(text)).order == ["back", "front"]
    rec = preview(text)
    front = rec.one("aws:ecs/taskDefinition:TaskDefinition", "front-task-definition")
    back_sg = rec.one("aws:ec2/securityGroup:SecurityGroup", "back-sg")
    env = json.loads(front.inputs["containerDefinitions"])[0]["environment"]
    assert env[1]["name"] == "BACK_SG"
    assert env[1]["value"].startswith("sg-")
    assert back_sg.urn in front.property_dependencies["containerDefinitions"]


def test_reference_cycle_is_reported_with_its_path(config_errors: Callable[[str], list[str]]) -> None:
    text = ("resources:" + workload("a", {"B": "$ResourceParam('b', 'serviceName')"})
            + workload("b", {"C": "$ResourceParam('c', 'serviceName')"})
            + workload("c", {"A": "$CfFormat('x-{}', $ResourceParam('a', 'serviceName'))"}))
    assert config_errors(text) == [
        "stacktape.yml:11:32: resources.a.properties.containers[0].environment[1].value: reference cycle: "
        "a → b → c → a (hint: break the cycle: one of these resources must not need the other)"]


def test_unknown_resource_in_resource_param(config_errors: Callable[[str], list[str]]) -> None:
    text = "resources:" + workload("front", {"X": "$ResourceParam('bak', 'serviceName')"}) + workload("back")
    assert config_errors(text) == [
        "stacktape.yml:11:32: resources.front.properties.containers[0].environment[1].value: Referenced resource "
        "with name bak could not be resolved in the config (referenced from front). (hint: did you mean 'back'?)"]


def test_malformed_runtime_directive_is_located(config_errors: Callable[[str], list[str]]) -> None:
    text = "resources:" + workload("front", {"X": "$ResourceParam('back', 'serviceName'"}) + workload("back")
    errors = config_errors(text)
    assert len(errors) == 1
    assert errors[0].startswith("stacktape.yml:11:32: resources.front.properties.containers[0].environment[1].value: ")


def test_unknown_param_fails_the_preview_with_the_available_params(preview: Preview) -> None:
    from stacktape_pulumi.errors import StacktapeError

    text = "resources:" + workload("front", {"X": "$ResourceParam('back', 'url')"}) + workload("back")
    with pytest.raises(StacktapeError, match="resource 'back' has no referenceable parameter 'url'; available: "
                                             "clusterArn, securityGroupId, serviceArn, serviceName, taskRoleArn"):
        preview(text)


def test_stack_outputs_and_resource_params_are_exported(preview: Preview) -> None:
    text = """
stackConfig:
  outputs:
    - name: backService
      value: $ResourceParam('back', 'serviceName')
    - name: stageName
      value: $Stage()
resources:""" + workload("back")
    rec = preview(text)
    assert rec.stack_outputs["stageName"] == "dev"
    assert rec.stack_outputs["backService"].startswith("back-service-")
    assert set(rec.stack_outputs["back"]) == {"clusterArn", "securityGroupId", "serviceArn", "serviceName",
                                              "taskRoleArn"}


def test_stack_tags_reach_every_taggable_resource(preview: Preview) -> None:
    rec = preview("stackConfig:\n  tags:\n    - {name: team, value: core}\nresources:" + workload("back"))
    tagged = [r for r in rec.resources if "tags" in r.inputs]
    assert len(tagged) >= 10
    for r in tagged:
        assert r.inputs["tags"]["team"] == "core", r.name
        assert r.inputs["tags"]["stp:stage"] == "dev", r.name


def test_valid_but_unbuilt_features_are_located_errors(config_errors: Callable[[str], list[str]],
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    """`validate` refuses what the build cannot do yet, at the node that asks for it."""
    from stacktape_pulumi.checks import packaging, support

    # As if this version built only prebuilt images and workload-internal events.
    monkeypatch.setattr(packaging, "PACKAGING_TYPES", ("prebuilt-image",))
    monkeypatch.setattr(support, "WORKLOAD_EVENT_TYPES", ("workload-internal",))
    text = "resources:" + workload("back").replace(
        "packaging: {type: prebuilt-image, properties: {image: 'nginx:1.27'}}",
        "packaging: {type: custom-dockerfile, properties: {buildContextPath: .}}\n"
        "          events:\n            - {type: service-connect, properties: {containerPort: 80}}")
    assert config_errors(text) == [
        "stacktape.yml:8:29: resources.back.properties.containers[0].packaging.type: packaging type "
        "'custom-dockerfile' is not supported yet; supported: prebuilt-image",
        "stacktape.yml:10:22: resources.back.properties.containers[0].events[0].type: event type "
        "'service-connect' is not supported yet; supported: workload-internal",
    ]
