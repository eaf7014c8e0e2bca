"""Container rules ECS's RegisterTaskDefinition enforces (`checks.containers`): exact located text."""

import textwrap
from collections.abc import Callable

import pytest

from stacktape_pulumi.checks.containers import is_image_reference

Errors = Callable[[str], list[str]]


def workload(*containers: str) -> str:
    """A Fargate workload `app` with the given containers (YAML list items, written at column 0)."""
    body = "".join(textwrap.indent(textwrap.dedent(container).strip("\n") + "\n", " " * 8)
                   for container in containers)
    return ("resources:\n  app:\n    type: multi-container-workload\n    properties:\n"
            "      resources: {cpu: 0.25, memory: 512}\n      containers:\n" + body)


def container(name: str, extra: str = "", image: str = "public.ecr.aws/nginx/nginx:1.27") -> str:
    """One container item with a prebuilt image; `extra` is YAML at the item's key indentation."""
    lines = f"- name: {name}\n  packaging: {{type: prebuilt-image, properties: {{image: \"{image}\"}}}}\n"
    return lines + textwrap.indent(textwrap.dedent(extra).strip("\n"), "  ")


HEALTH_CHECK = "internalHealthCheck: {healthCheckCommand: ['CMD-SHELL', 'curl -f http://localhost/ || exit 1']}"


def test_correct_multi_container_workload_passes(config_errors: Errors) -> None:
    text = workload(
        container("web", f"""
            dependsOn:
              - {{containerName: migrate, condition: SUCCESS}}
              - {{containerName: init, condition: COMPLETE}}
            {HEALTH_CHECK}
            """),
        container("log_router", """
            essential: false
            dependsOn:
              - {containerName: web, condition: HEALTHY}
              - {containerName: init, condition: START}
            internalHealthCheck: {healthCheckCommand: ['CMD', 'true']}
            """, image="registry.example.com:5000/team/fluent-bit:3.0@sha256:" + "0" * 64),
        container("init", "essential: false", image="busybox"),
        container("migrate", "essential: false", image="$SsmParam('/images/migrate')"),
    )
    assert config_errors(text) == []


# --- essential ------------------------------------------------------------------------------


def test_at_least_one_container_is_essential(config_errors: Errors) -> None:
    text = workload(container("first", "essential: false"), container("second", "essential: false"))
    assert config_errors(text) == [
        "stacktape.yml:9:22: resources.app.properties.containers[0].essential: Error in multi-container-workload "
        "app: no container is essential. ECS requires at least one essential container in a task definition "
        "(essential defaults to true; every container here sets essential: false). (hint: remove essential: "
        "false from the main container, e.g. \"first\")"
    ]


# --- how many -------------------------------------------------------------------------------


def test_a_task_holds_at_most_ten_containers(config_errors: Errors) -> None:
    assert config_errors(workload(*(container(f"c{i}") for i in range(10)))) == []
    assert config_errors(workload(*(container(f"c{i}") for i in range(11)))) == [
        "stacktape.yml:27:17: resources.app.properties.containers[10].name: Error in multi-container-workload app: "
        "11 containers; an ECS task definition holds at most 10 (Amazon ECS service quota \"Containers per task "
        "definition\"). (hint: move some containers into another workload; they can reach each other through "
        "Service Connect)"
    ]


# --- names ----------------------------------------------------------------------------------


def test_container_name_uses_the_ecs_alphabet(config_errors: Errors) -> None:
    text = workload(container("web.app"),
                    container("worker", "dependsOn: [{containerName: web.app, condition: START}]"))
    assert config_errors(text) == [
        "stacktape.yml:7:17: resources.app.properties.containers[0].name: Error in multi-container-workload app: "
        "container name \"web.app\" is not allowed. ECS container names are 1-255 letters (A-Z, a-z), numbers, "
        "hyphens (-) and underscores (_). (hint: rename the container, e.g. \"web-app\", and the dependsOn "
        "entries naming it)"
    ]


def test_duplicate_container_names_are_reported_once_by_the_model(config_errors: Errors) -> None:
    assert config_errors(workload(container("web"), container("web"))) == [
        "stacktape.yml:9:17: resources.app.properties.containers[1].name: Conflict within container names of "
        "multi-container-workload \"app\". Two or more containers are using the same name \"web\""
    ]


# --- dependsOn ------------------------------------------------------------------------------


def test_missing_and_self_dependencies_are_reported_once_by_the_model(config_errors: Errors) -> None:
    text = workload(container("web", """
        dependsOn:
          - {containerName: web, condition: START}
          - {containerName: wroker, condition: START}
        """), container("worker"))
    assert config_errors(text) == [
        "stacktape.yml:10:31: resources.app.properties.containers[0].dependsOn[0].containerName: Conflict "
        "within container dependencies of multi-container-workload \"app\". Container with name \"web\" depends "
        "on itself",
        "stacktape.yml:11:31: resources.app.properties.containers[0].dependsOn[1].containerName: Conflict "
        "within container dependencies of multi-container-workload \"app\". Container with name \"web\" depends "
        "on non-existent container \"wroker\" (hint: did you mean 'worker'?)",
    ]


def test_dependency_cycle_is_reported_at_its_first_entry(config_errors: Errors) -> None:
    text = workload(
        container("web", "dependsOn: [{containerName: api, condition: START}]"),
        container("cache", "dependsOn: [{containerName: web, condition: START}]"),
        container("api", """
            dependsOn:
              - {containerName: cache, condition: START}
              - {containerName: web, condition: START}
            """),
    )
    assert config_errors(text) == [
        "stacktape.yml:9:39: resources.app.properties.containers[0].dependsOn[0].containerName: Error in "
        "multi-container-workload app: container dependency cycle web → api → cache → web. ECS starts a "
        "container only after the containers it dependsOn, so dependsOn entries must not form a cycle. (hint: "
        "remove or change one dependsOn entry of the cycle)",
        "stacktape.yml:9:39: resources.app.properties.containers[0].dependsOn[0].containerName: Error in "
        "multi-container-workload app: container dependency cycle web → api → web. ECS starts a container only "
        "after the containers it dependsOn, so dependsOn entries must not form a cycle. (hint: remove or change "
        "one dependsOn entry of the cycle)",
    ]


def test_complete_and_success_need_a_non_essential_dependency(config_errors: Errors) -> None:
    text = workload(container("web", "dependsOn: [{containerName: migrate, condition: SUCCESS}]"),
                    container("migrate"))
    assert config_errors(text) == [
        "stacktape.yml:9:59: resources.app.properties.containers[0].dependsOn[0].condition: Error in "
        "multi-container-workload app: container \"web\" depends on \"migrate\" with condition SUCCESS, but "
        "\"migrate\" is essential. ECS allows conditions COMPLETE and SUCCESS only on a non-essential container; "
        "allowed conditions on \"migrate\": START. (hint: set essential: false on \"migrate\" if it runs to "
        "completion, or use condition START)"
    ]


def test_healthy_needs_a_health_check_on_the_dependency(config_errors: Errors) -> None:
    text = workload(container("web", "dependsOn: [{containerName: proxy, condition: HEALTHY}]"),
                    container("proxy", "essential: false"))
    assert config_errors(text) == [
        "stacktape.yml:9:57: resources.app.properties.containers[0].dependsOn[0].condition: Error in "
        "multi-container-workload app: container \"web\" depends on \"proxy\" with condition HEALTHY, but "
        "\"proxy\" has no internalHealthCheck. ECS allows condition HEALTHY only on a container with a health "
        "check; allowed conditions on \"proxy\": START, COMPLETE, SUCCESS. (hint: add internalHealthCheck to "
        "\"proxy\", or use condition START, COMPLETE or SUCCESS)"
    ]


# --- health check ---------------------------------------------------------------------------


def test_health_check_command_starts_with_cmd_or_cmd_shell(config_errors: Errors) -> None:
    text = workload(container("web", "internalHealthCheck: {healthCheckCommand: ['curl -f http://localhost/']}"))
    assert config_errors(text) == [
        "stacktape.yml:9:54: resources.app.properties.containers[0].internalHealthCheck.healthCheckCommand[0]: "
        "Error in multi-container-workload app: healthCheckCommand of container \"web\" starts with \"curl -f "
        "http://localhost/\". ECS requires the first element to be CMD (run the rest directly) or CMD-SHELL (run "
        "it with the container's shell). (hint: put CMD-SHELL first to run the command in the container's "
        "shell: [\"CMD-SHELL\", \"curl -f http://localhost/\"], or CMD to run the executable directly)"
    ]


# --- image ----------------------------------------------------------------------------------


def test_prebuilt_image_is_a_docker_reference(config_errors: Errors) -> None:
    text = workload(container("web", image="nginx latest"))
    assert config_errors(text) == [
        "stacktape.yml:8:65: resources.app.properties.containers[0].packaging.properties.image: Error in "
        "multi-container-workload app: image \"nginx latest\" of container \"web\" is not a valid Docker image "
        "reference. A reference is [registry-host[:port]/]repository[:tag][@digest]: a repository of lower-case "
        "components (letters, digits, separated by '.', '_', '__' or '-') joined by '/', at most 255 characters "
        "with the host; a tag of 1-128 letters, digits, '_', '.' and '-' not starting with '.' or '-'; a digest "
        "like sha256:<hex>; no whitespace. (hint: an image reference contains no whitespace (e.g. nginx:1.27, "
        "public.ecr.aws/docker/library/busybox:1.36 or registry.example.com:5000/team/api@sha256:<hex>))"
    ]


@pytest.mark.parametrize("image", [
    "nginx", "nginx:1.27", "public.ecr.aws/docker/library/python:3.12-slim", "localhost:5000/a/b:v1",
    "123456789012.dkr.ecr.us-east-1.amazonaws.com/app@sha256:" + "a" * 64, "[::1]:5000/x:Y", "a__b/c--d:_x",
    "Registry.Example.com/team/api:2.3.1",
])
def test_docker_references(image: str) -> None:
    assert is_image_reference(image)


@pytest.mark.parametrize("image", [
    "nginx latest", " nginx", "Nginx", "team/Api", "nginx:", ":1", "nginx:.x", "a//b", "-a", "a-", "foo_/bar",
    "a@sha256:abc", "nginx:" + "a" * 129, "a" * 256, "foo:bar:baz", "nginx\t", "nginx:é1",
])
def test_not_docker_references(image: str) -> None:
    assert not is_image_reference(image)
