"""ECS task definitions as AWS would receive them: botocore's `RegisterTaskDefinition` model plus ECS rules.

The recorded `aws:ecs/taskDefinition:TaskDefinition` inputs are turned back into the request the
AWS provider sends (`containerDefinitions` is a JSON string whose keys are already the API's; the
other inputs use engine camelCase names, converted here to the API's shapes). The request is
checked three ways:

* `botocore.validate.ParamValidator` (required members, unknown members, types, minimums);
* the constraints ParamValidator leaves out: enums and maximum lengths from the same shapes;
* rules the ECS documentation states that no JSON model carries (container names, essential
  containers, `dependsOn` targets and conditions, awsvpc port mappings, health-check ranges,
  `awslogs` options on Fargate, `valueFrom` ARN forms, execution role needs, Fargate sizes).

Values masked as "[secret]" / "[unknown]" are strings, so they stay type-valid where a string is
expected and are skipped by the value rules.
"""

import json
import re
from functools import cache
from typing import Any

from botocore.model import ListShape, MapShape, Shape, StructureShape
from botocore.validate import ParamValidator

from oracles import OPAQUE, SECRET, Finding, custom, finding
from stacktape_pulumi.engine import RecordedResource, Recording

ORACLE = "containers"
TASK_DEFINITION = "aws:ecs/taskDefinition:TaskDefinition"

# Task definition inputs copied to the request unchanged (engine name == API name, same shape).
SAME_SHAPE = ("family", "taskRoleArn", "executionRoleArn", "networkMode", "requiresCompatibilities", "cpu",
              "memory", "pidMode", "ipcMode", "placementConstraints", "inferenceAccelerators",
              "ephemeralStorage", "runtimePlatform", "enableFaultInjection")
# Provider-only inputs with no counterpart in the request.
PROVIDER_ONLY = ("skipDestroy", "trackLatest", "region", "tagsAll", "arn")

CONTAINER_NAME = re.compile(r"[A-Za-z0-9_-]{1,255}")
PORT_NAME = re.compile(r"[a-z0-9_][a-z0-9_-]{0,63}")
IMAGE = re.compile(r"[A-Za-z0-9\-_:./#@]{1,255}")
SECRETS_MANAGER_ARN = re.compile(r"arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:\d{12}:secret:[A-Za-z0-9/_+=.@-]+"
                                 r"(:[^:]*:[^:]*:[^:]*)?")
SSM_ARN = re.compile(r"arn:aws[a-z-]*:ssm:[a-z0-9-]+:\d{12}:parameter/[A-Za-z0-9/_.-]+")
SSM_NAME = re.compile(r"/?[A-Za-z0-9_.-]+(/[A-Za-z0-9_.-]+)*")
# ECS health check limits (ContainerDefinition.healthCheck).
HEALTH_RANGES = {"interval": (5, 300), "timeout": (2, 60), "retries": (1, 10), "startPeriod": (0, 300)}
# Fargate task sizes: CPU units → allowed memory (MiB).
FARGATE_SIZES: dict[int, set[int]] = {
    256: {512, 1024, 2048},
    512: set(range(1024, 4096 + 1, 1024)),
    1024: set(range(2048, 8192 + 1, 1024)),
    2048: set(range(4096, 16384 + 1, 1024)),
    4096: set(range(8192, 30720 + 1, 1024)),
    8192: set(range(16384, 61440 + 1, 4096)),
    16384: set(range(32768, 122880 + 1, 8192)),
}
MAX_STOP_TIMEOUT = 120


@cache
def register_task_definition_shape() -> StructureShape:
    import botocore.session

    model = botocore.session.get_session().get_service_model("ecs")
    shape = model.operation_model("RegisterTaskDefinition").input_shape
    assert isinstance(shape, StructureShape)
    return shape


class Problems:
    def __init__(self, resource: RecordedResource) -> None:
        self.resource = resource
        self.found: list[Finding] = []

    def add(self, code: str, message: str, subject: str = "") -> None:
        self.found.append(finding(ORACLE, code, self.resource, message, subject))


def check(recording: Recording) -> list[Finding]:
    found: list[Finding] = []
    for resource in custom(recording):
        if resource.type == TASK_DEFINITION:
            found += check_task_definition(resource)
    return found


def check_task_definition(resource: RecordedResource) -> list[Finding]:
    problems = Problems(resource)
    request = register_request(resource.inputs, problems)
    if request is None:
        return problems.found
    shape = register_task_definition_shape()
    report = ParamValidator().validate(request, shape)
    if report.has_errors():
        for line in report.generate_report().splitlines():
            if line.strip() and not line.startswith("Parameter validation failed"):
                problems.add("api-model", line.strip())
    for path, message in constraint_errors(request, shape, "RegisterTaskDefinition"):
        problems.add("api-constraint", message, path)
    ecs_rules(request, problems)
    return problems.found


def register_request(inputs: dict[str, Any], problems: Problems) -> dict[str, Any] | None:
    """The `RegisterTaskDefinition` request the provider would send for these recorded inputs."""
    raw = inputs.get("containerDefinitions")
    if raw in OPAQUE:
        # A secret anywhere inside makes the whole JSON string secret: nothing left to check.
        problems.add("opaque-definitions", f"containerDefinitions is {raw}; it cannot be checked (and is hidden "
                     "from every diff): keep secrets in `secrets[].valueFrom`, not in the definition",
                     "containerDefinitions")
        return None
    if not isinstance(raw, str):
        problems.add("api-model", f"containerDefinitions must be a JSON string, got {type(raw).__name__}")
        return None
    try:
        definitions = json.loads(raw)
    except ValueError as exc:
        problems.add("api-model", f"containerDefinitions is not valid JSON: {exc}")
        return None
    request: dict[str, Any] = {"containerDefinitions": definitions}
    for key, value in inputs.items():
        if key == "containerDefinitions" or key in PROVIDER_ONLY:
            continue
        if key in SAME_SHAPE:
            request[key] = value
        elif key == "tags":
            request["tags"] = [{"key": k, "value": v} for k, v in sorted(value.items())]
        elif key == "volumes":
            request["volumes"] = [_volume(v) for v in value]
        elif key == "proxyConfiguration":
            proxy = dict(value)
            props = proxy.pop("properties", None) or {}
            request[key] = {**proxy, **({"properties": [{"name": k, "value": v} for k, v in sorted(props.items())]}
                                        if props else {})}
        else:
            problems.add("unmapped-input", f"task definition input '{key}' has no mapping to the ECS API in this "
                         "oracle; extend oracles/aws_validity.register_request", key)
    return request


def _volume(volume: dict[str, Any]) -> dict[str, Any]:
    result = dict(volume)
    host_path = result.pop("hostPath", None)
    if host_path is not None:
        result["host"] = {"sourcePath": host_path}
    if "configureAtLaunch" in result:
        result["configuredAtLaunch"] = result.pop("configureAtLaunch")
    return result


def constraint_errors(value: Any, shape: Shape, path: str) -> list[tuple[str, str]]:
    """Enum and maximum-length violations (ParamValidator checks neither)."""
    errors: list[tuple[str, str]] = []
    if isinstance(value, str) and value in OPAQUE:
        return errors
    if isinstance(shape, StructureShape) and isinstance(value, dict):
        for key, item in value.items():
            member = shape.members.get(key)
            if member is not None:
                errors += constraint_errors(item, member, f"{path}.{key}")
    elif isinstance(shape, ListShape) and isinstance(value, list):
        if "max" in shape.metadata and len(value) > shape.metadata["max"]:
            errors.append((path, f"{path} has {len(value)} items; at most {shape.metadata['max']} allowed"))
        for i, item in enumerate(value):
            errors += constraint_errors(item, shape.member, f"{path}[{i}]")
    elif isinstance(shape, MapShape) and isinstance(value, dict):
        for key, item in value.items():
            errors += constraint_errors(item, shape.value, f"{path}.{key}")
    elif isinstance(value, str) and shape.type_name == "string":
        enum = getattr(shape, "enum", None)
        if enum and value not in enum:
            errors.append((path, f"{path} is {value!r}; allowed: {', '.join(enum)}"))
        if "max" in shape.metadata and len(value) > shape.metadata["max"]:
            errors.append((path, f"{path} is {len(value)} characters; at most {shape.metadata['max']}"))
    elif (isinstance(value, int) and not isinstance(value, bool) and shape.type_name == "integer"
          and "max" in shape.metadata and value > shape.metadata["max"]):
        errors.append((path, f"{path} is {value}; at most {shape.metadata['max']}"))
    return errors


# ---- ECS rules no JSON model carries ----------------------------------------------------------


def _known(value: Any) -> bool:
    return value is not None and not (isinstance(value, str) and value in OPAQUE)


def _int(value: Any) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def ecs_rules(request: dict[str, Any], problems: Problems) -> None:
    definitions = request.get("containerDefinitions")
    if not isinstance(definitions, list) or not all(isinstance(d, dict) for d in definitions):
        return  # the model check already reported it
    fargate = "FARGATE" in (request.get("requiresCompatibilities") or [])
    awsvpc = request.get("networkMode") == "awsvpc"
    names = [d.get("name") for d in definitions]
    _container_names(names, problems)
    if not any(d.get("essential", True) for d in definitions):
        problems.add("ecs-rule", "no container is essential; ECS requires at least one essential container")
    by_name = {d.get("name"): d for d in definitions}
    for d in definitions:
        _depends_on(d, by_name, problems)
        _health_check(d, problems)
        _stop_timeout(d, problems)
        _environment(d, problems)
        _log_configuration(d, fargate, problems)
        image = d.get("image")
        if _known(image) and (not isinstance(image, str) or not IMAGE.fullmatch(image)):
            problems.add("ecs-rule", f"container '{d.get('name')}': image {image!r} is not 1-255 of "
                         "[A-Za-z0-9-_:./#@]", "image")
    _ports(definitions, awsvpc, problems)
    _dependency_cycle(by_name, problems)
    _execution_role(request, definitions, problems)
    if fargate:
        _fargate(request, definitions, awsvpc, problems)


def _container_names(names: list[Any], problems: Problems) -> None:
    for name in names:
        if not isinstance(name, str) or not CONTAINER_NAME.fullmatch(name):
            problems.add("ecs-rule", f"container name {name!r} must be 1-255 letters, digits, '-' or '_'", "name")
    for name in {n for n in names if names.count(n) > 1}:
        problems.add("ecs-rule", f"container name {name!r} is used more than once in the task", "name")


def _depends_on(definition: dict[str, Any], by_name: dict[Any, dict[str, Any]], problems: Problems) -> None:
    name = definition.get("name")
    for dep in definition.get("dependsOn") or []:
        target_name, condition = dep.get("containerName"), dep.get("condition")
        target = by_name.get(target_name)
        where = f"container '{name}': dependsOn '{target_name}'"
        if target_name == name:
            problems.add("ecs-rule", f"{where}: a container cannot depend on itself", "dependsOn")
        elif target is None:
            problems.add("ecs-rule", f"{where}: no such container in the task", "dependsOn")
        elif condition == "HEALTHY" and not target.get("healthCheck"):
            problems.add("ecs-rule", f"{where}: condition HEALTHY needs a healthCheck on '{target_name}'",
                         "dependsOn")
        elif condition in ("COMPLETE", "SUCCESS") and target.get("essential", True):
            problems.add("ecs-rule", f"{where}: condition {condition} cannot be set on an essential container",
                         "dependsOn")


def _dependency_cycle(by_name: dict[Any, dict[str, Any]], problems: Problems) -> None:
    edges = {name: [d.get("containerName") for d in (c.get("dependsOn") or [])] for name, c in by_name.items()}
    state: dict[Any, int] = {}

    def visit(node: Any, trail: list[Any]) -> list[Any] | None:
        if state.get(node) == 2 or node not in edges:
            return None
        if state.get(node) == 1:
            return [*trail[trail.index(node):], node]
        state[node] = 1
        for nxt in edges[node]:
            if nxt != node and (cycle := visit(nxt, [*trail, node])):
                return cycle
        state[node] = 2
        return None

    for start in edges:
        cycle = visit(start, [])
        if cycle:
            problems.add("ecs-rule", f"dependsOn cycle: {' → '.join(map(str, cycle))}", "dependsOn")
            return


def _health_check(definition: dict[str, Any], problems: Problems) -> None:
    check = definition.get("healthCheck")
    if not isinstance(check, dict):
        return
    name = definition.get("name")
    command = check.get("command")
    if isinstance(command, list) and command and command[0] not in ("CMD", "CMD-SHELL", "NONE", *OPAQUE):
        problems.add("ecs-rule", f"container '{name}': healthCheck.command must start with CMD or CMD-SHELL, "
                     f"got {command[0]!r}", "healthCheck.command")
    for key, (low, high) in HEALTH_RANGES.items():
        value = check.get(key)
        if isinstance(value, int) and not low <= value <= high:
            problems.add("ecs-rule", f"container '{name}': healthCheck.{key} is {value}; allowed {low}-{high}",
                         f"healthCheck.{key}")


def _stop_timeout(definition: dict[str, Any], problems: Problems) -> None:
    value = definition.get("stopTimeout")
    if isinstance(value, int) and not 0 < value <= MAX_STOP_TIMEOUT:
        problems.add("ecs-rule", f"container '{definition.get('name')}': stopTimeout is {value}; "
                     f"ECS allows at most {MAX_STOP_TIMEOUT} seconds", "stopTimeout")


def _environment(definition: dict[str, Any], problems: Problems) -> None:
    name = definition.get("name")
    seen: list[Any] = [e.get("name") for e in definition.get("environment") or [] if isinstance(e, dict)]
    seen += [s.get("name") for s in definition.get("secrets") or [] if isinstance(s, dict)]
    for var in sorted({str(v) for v in seen if seen.count(v) > 1}):
        problems.add("ecs-rule", f"container '{name}': variable {var} is set more than once "
                     "(environment and secrets share one namespace)", var)
    for secret in definition.get("secrets") or []:
        value_from = secret.get("valueFrom") if isinstance(secret, dict) else None
        if not _known(value_from):
            continue
        text = str(value_from)
        if not (SECRETS_MANAGER_ARN.fullmatch(text) or SSM_ARN.fullmatch(text)
                or (not text.startswith("arn:") and SSM_NAME.fullmatch(text))):
            problems.add("ecs-rule", f"container '{name}': secrets {secret.get('name')}: valueFrom {text!r} is "
                         "neither a Secrets Manager ARN (optionally :json-key:stage:version) nor an SSM "
                         "parameter ARN or name", "secrets.valueFrom")


def _log_configuration(definition: dict[str, Any], fargate: bool, problems: Problems) -> None:
    config = definition.get("logConfiguration")
    if not isinstance(config, dict) or config.get("logDriver") != "awslogs":
        return
    options = config.get("options") or {}
    required = ["awslogs-group", "awslogs-region"] + (["awslogs-stream-prefix"] if fargate else [])
    for key in required:
        if not options.get(key):
            problems.add("ecs-rule", f"container '{definition.get('name')}': awslogs needs option {key}"
                         + (" on Fargate" if key == "awslogs-stream-prefix" else ""), key)


def _ports(definitions: list[dict[str, Any]], awsvpc: bool, problems: Problems) -> None:
    used: dict[tuple[Any, Any], Any] = {}
    port_names: dict[Any, Any] = {}
    for d in definitions:
        for mapping in d.get("portMappings") or []:
            if not isinstance(mapping, dict):
                continue
            port, host = mapping.get("containerPort"), mapping.get("hostPort")
            where = f"container '{d.get('name')}': port {port}"
            if awsvpc and host is not None and host != port:
                problems.add("ecs-rule", f"{where}: with awsvpc hostPort must equal containerPort (got {host})",
                             str(port))
            key = (port, mapping.get("protocol", "tcp"))
            if awsvpc and key in used:
                problems.add("ecs-rule", f"{where}: also mapped by container '{used[key]}'; containers of an "
                             "awsvpc task share one network namespace", str(port))
            used.setdefault(key, d.get("name"))
            port_name = mapping.get("name")
            if port_name is not None:
                if not isinstance(port_name, str) or not PORT_NAME.fullmatch(port_name):
                    problems.add("ecs-rule", f"{where}: port name {port_name!r} must be 1-64 of [a-z0-9_-], not "
                                 "starting with '-'", str(port))
                elif port_name in port_names:
                    problems.add("ecs-rule", f"{where}: port name {port_name!r} is used twice in the task",
                                 str(port))
                port_names.setdefault(port_name, port)


def _execution_role(request: dict[str, Any], definitions: list[dict[str, Any]], problems: Problems) -> None:
    if request.get("executionRoleArn"):
        return
    needs = [d.get("name") for d in definitions
             if d.get("secrets") or d.get("repositoryCredentials")
             or (d.get("logConfiguration") or {}).get("logDriver") == "awslogs"
             or ".dkr.ecr." in str(d.get("image", ""))]
    if needs:
        problems.add("ecs-rule", f"containers {needs} use secrets, awslogs, private registry credentials or ECR "
                     "images, which need an executionRoleArn", "executionRoleArn")


def _fargate(request: dict[str, Any], definitions: list[dict[str, Any]], awsvpc: bool, problems: Problems) -> None:
    if not awsvpc:
        problems.add("ecs-rule", "Fargate tasks need networkMode awsvpc", "networkMode")
    cpu, memory = _int(request.get("cpu")), _int(request.get("memory"))
    if cpu is None or memory is None:
        if request.get("cpu") != SECRET and request.get("memory") != SECRET:
            problems.add("ecs-rule", "Fargate tasks need task-level cpu and memory", "cpu")
        return
    allowed = FARGATE_SIZES.get(cpu)
    if allowed is None:
        problems.add("ecs-rule", f"Fargate cpu {cpu} is not one of {sorted(FARGATE_SIZES)}", "cpu")
    elif memory not in allowed:
        problems.add("ecs-rule", f"Fargate memory {memory} is not allowed with cpu {cpu}", "memory")
    for key, total in (("cpu", cpu), ("memory", memory)):
        used = sum(v for d in definitions if isinstance(v := d.get(key), int))
        if used > total:
            problems.add("ecs-rule", f"containers reserve {key} {used}, more than the task's {total}", key)
