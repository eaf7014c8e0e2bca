"""An update touches only what it must: a new image or environment variable changes the task definition and service.

Two offline previews of the same project, before and after one edit, compared by `engine.diff`.
"""

import shutil
from pathlib import Path

from stacktape_pulumi.engine.diff import BlastRadius, blast_radius
from stacktape_pulumi.engine.offline import RecordedResource, Recording
from stacktape_pulumi.engine.preview import preview_config
from stacktape_pulumi.load import load_config

EXAMPLES = Path(__file__).resolve().parent.parent / "programs" / "examples"


def preview(path: Path) -> Recording:
    return preview_config(load_config(path))


def test_changing_one_environment_variable_changes_the_task_definition_and_its_service(tmp_path: Path) -> None:
    config = tmp_path / "stacktape.yml"
    config.write_text((EXAMPLES / "multi-container.yml").read_text())
    before = preview(config)
    config.write_text(config.read_text().replace("value: $Stage()", "value: prod-eu", 1))
    assert blast_radius(before, preview(config)) == BlastRadius(
        added=(), removed=(), changed=("webApp-task-definition",), follow_on=("webApp-service",))


def test_changing_one_containers_source_changes_its_image_task_definition_and_service(tmp_path: Path) -> None:
    shutil.copytree(EXAMPLES, tmp_path / "examples")
    config = tmp_path / "examples" / "custom-dockerfile.yml"
    before = preview(config)
    source = tmp_path / "examples" / "docker" / "server.py"
    source.write_text(source.read_text() + "\n# a new line of application code\n")
    radius = blast_radius(before, preview(config))
    assert radius.changed == ("versionService-task-definition", "versionService-web-image")
    assert radius.touched == ("versionService-service", "versionService-task-definition",
                              "versionService-web-image")


def test_an_unchanged_config_touches_nothing() -> None:
    config = EXAMPLES / "service-connect.yml"
    assert blast_radius(preview(config), preview(config)).touched == ()


def test_a_replaced_resource_passes_the_change_to_what_reads_it() -> None:
    def resource(name: str, type_: str, inputs: dict[str, str], reads: tuple[str, ...] = ()) -> RecordedResource:
        return RecordedResource(urn=name, type=type_, name=name, parent=None, custom=True, inputs=inputs,
                                secret_inputs=[], dependencies=list(reads),
                                property_dependencies={"x": list(reads)} if reads else {})

    task = "aws:ecs/taskDefinition:TaskDefinition"

    def world(image: str) -> Recording:
        return Recording(resources=[resource("td", task, {"image": image}),
                                    resource("td2", task, {"base": "td"}, reads=("td",)),
                                    resource("svc", "aws:ecs/service:Service", {"td": "td2"}, reads=("td2",)),
                                    resource("other", "aws:ecs/service:Service", {"td": "x"})])

    assert blast_radius(world("a"), world("b")) == BlastRadius(
        added=(), removed=(), changed=("td",), follow_on=("svc", "td2"))
