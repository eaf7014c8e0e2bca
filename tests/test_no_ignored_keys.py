"""No config key is silently ignored: each one is read by the build or the checks, or refused.

A practical proxy, walking every model reachable from the resource types' models (`resource_models`):
each field's YAML key must be named somewhere in `stacktape_pulumi` outside the models and the files generated
from them (components, checks, config/services.py, packaging ...), unless

- it sits below a key that is refused as a whole with "not supported yet" (`REFUSED`, each
  checked to be refused in the source), or
- it is in `ALLOWED` with the reason it has no effect of its own.

The key tuples config/services.py hands on to a service's nested resources do not count as reading.

A new key that nothing reads fails here: build it, refuse it, or say in `ALLOWED` why not.
"""

import re
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import Any, get_args

from pydantic import BaseModel

from stacktape_pulumi.config.models.root import resource_models
from stacktape_pulumi.schema.naming import strip_annotated

PACKAGE = Path(__file__).resolve().parent.parent / "stacktape_pulumi"
# The models themselves, and what is generated from them (they name every key by construction).
NOT_READERS = ("config/models/", "schema/", "args.py", "provider/")

# (model, key) → where the key as a whole is refused with "not supported yet"; nothing below it is walked.
REFUSED: dict[tuple[str, str], str] = {
    ("HttpApiGatewayProps", "cdn"): "checks/gateway.py",
    ("HttpApiGatewayProps", "alarms"): "checks/gateway.py",
    ("ApplicationLoadBalancerProps", "cdn"): "checks/gateway.py",
    ("ApplicationLoadBalancerProps", "alarms"): "checks/gateway.py",
    ("FunctionProps", "cdn"): "checks/function.py",
    ("FunctionProps", "alarms"): "checks/function.py",
    ("S3FilesMount", "properties"): "checks/function.py",  # s3files mounts are refused by their type
    ("BucketProps", "cdn"): "checks/bucket.py",
    ("BucketProps", "directoryUpload"): "checks/bucket.py",
    ("RelationalDatabaseProps", "disabledGlobalAlarms"): "config/models/relational_database.py",
    ("ApplicationLoadBalancerProps", "useFirewall"): "checks/load_balancer.py",
    ("WebServiceProps", "useFirewall"): "checks/load_balancer.py",
    # Services: refused by the checks of the workload, HTTP API or load balancer they expand into.
    ("WebServiceProps", "cdn"): "checks/gateway.py",
    ("WebServiceProps", "alarms"): "checks/gateway.py",
}

# (model, key) → why the key needs no reader of its own.
ALLOWED: dict[tuple[str, str], str] = {
    # Options of languages whose entry files both buildpacks refuse ("not supported ... yet",
    # checks/packaging.py and lambda_packaging.language_of); the Lambda buildpack also refuses any
    # option of another language by name (lambda_packaging._language_option_problems).
    **{("LanguageSpecificConfig", key): "an option of Java, Ruby, PHP or .NET, whose entry files are refused"
       for key in ("javaVersion", "useMaven", "rubyVersion", "phpVersion", "projectFile", "dotnetVersion")},
    # This version creates no global (stack-wide) alarms, so there is nothing to disable: accepting the key
    # keeps reference configs valid, and it changes nothing.
    # Aurora Serverless v1 is refused as an engine type (AWS no longer creates it); its other keys share names
    # with read keys of the v2 engine.
    ("AuroraServerlessEngineProperties", "pauseAfterSeconds"): "a property of the refused Serverless v1 engine",
    **{(model, "disabledGlobalAlarms"): "no global alarms exist to disable"
       for model in ("HttpApiGatewayProps", "ApplicationLoadBalancerProps", "FunctionProps", "SqsQueueProps",
                     "WebServiceProps")},
}
# config/services.py passes these keys on to the nested resources unread: naming a key there is no reading.
PASS_THROUGH = re.compile(r"^_[A-Z_]+_KEYS = .*$", re.MULTILINE)


def _models(annotation: Any) -> list[type[BaseModel]]:
    """The models `annotation` holds directly (through unions, lists, dicts and Annotated)."""
    target = strip_annotated(annotation)
    if isinstance(target, type) and issubclass(target, BaseModel):
        return [target]
    return [model for arg in get_args(target) for model in _models(arg)]


def walked_keys() -> dict[tuple[str, str], str]:
    """(model, key) of every field reachable from `Resource` outside the refused keys → a path to it."""
    found: dict[tuple[str, str], str] = {}
    queue: list[tuple[type[BaseModel], str]] = [(model, model.__name__) for model in resource_models()]
    seen: set[type[BaseModel]] = set()
    while queue:
        model, where = queue.pop()
        if model in seen:
            continue
        seen.add(model)
        for name, field in model.model_fields.items():
            key = field.alias or name
            found.setdefault((model.__name__, key), f"{where}.{key}")
            if (model.__name__, key) not in REFUSED:
                queue += [(inner, f"{where}.{key}") for inner in _models(field.annotation)]
    return found


@cache
def readers() -> str:
    return "\n".join(PASS_THROUGH.sub("", path.read_text()) for path in sorted(PACKAGE.rglob("*.py"))
                     if not path.relative_to(PACKAGE).as_posix().startswith(NOT_READERS))


def test_every_key_is_read_refused_or_allowed() -> None:
    # A refused key is checked by the next test: refused where the table says.
    unread = sorted(where for (model, key), where in walked_keys().items()
                    if (model, key) not in ALLOWED and (model, key) not in REFUSED
                    and not re.search(rf"\b{re.escape(key)}\b", readers()))
    assert unread == []


def test_the_walk_reaches_nested_keys() -> None:
    # The walk is only as good as its reach: keys deep below resources, and the log forwarding ones.
    keys = walked_keys()
    assert ("HttpEndpointLogForwardingProps", "retryDuration") in keys
    assert ("DatadogLogForwardingProps", "apiKey") in keys
    assert ("ContainerDependency", "condition") in keys
    assert ("CdnConfiguration", "cachingOptions") not in keys  # below a refused key


def test_refused_keys_are_refused_where_the_table_says() -> None:
    for (model, key), module in REFUSED.items():
        text = (PACKAGE / module).read_text()
        # The key named as a key ("cdn") or in its own refusal ("cdn is not supported yet").
        assert f'"{key}"' in text or re.search(rf"\b{re.escape(key)}\b[^\n]*not supported yet", text), (model, key)
        assert "not supported yet" in text, (model, key)


def test_allowed_and_refused_entries_are_current() -> None:
    # An entry for a key that no longer exists, or that is now read, is a stale excuse.
    keys = walked_keys()
    assert [entry for entry in ALLOWED if entry not in keys] == []
    assert [entry for entry in ALLOWED if re.search(rf"\b{re.escape(entry[1])}\b", readers())] == []
    assert [entry for entry in REFUSED if entry not in keys] == []


def test_volume_mounts_of_a_filesystem_named_by_a_directive_are_refused(
        config_errors: Callable[[str], list[str]]) -> None:
    # The ignored key this test found: a directive filesystem name passed `validate`, and no volume was built.
    # Volumes are built now, from efs-filesystem resources of the stack; a directive names none.
    assert config_errors("""
resources:
  api:
    type: multi-container-workload
    properties:
      resources: {cpu: 0.25, memory: 512}
      containers:
        - name: app
          packaging: {type: prebuilt-image, properties: {image: nginx}}
          volumeMounts:
            - type: efs
              properties: {efsFilesystemName: "$StackOutput('storage', 'fs')", mountPath: /data}
  worker:
    type: worker-service
    properties:
      packaging: {type: prebuilt-image, properties: {image: nginx}}
      resources: {cpu: 0.25, memory: 512}
      volumeMounts:
        - type: efs
          properties: {efsFilesystemName: "$StackOutput('storage', 'fs')", mountPath: /data}
""") == [
        "stacktape.yml:11:47: resources.api.properties.containers[0].volumeMounts[0].properties.efsFilesystemName: "
        "efsFilesystemName must name an efs-filesystem resource of the stack, not a directive (hint: declare the "
        "filesystem as a resource of type efs-filesystem)",
        "stacktape.yml:19:43: resources.worker.properties.volumeMounts[0].properties.efsFilesystemName: "
        "efsFilesystemName must name an efs-filesystem resource of the stack, not a directive (hint: declare the "
        "filesystem as a resource of type efs-filesystem)",
    ]


def test_a_firewall_named_by_a_directive_is_refused(config_errors: Callable[[str], list[str]]) -> None:
    # The other ignored key this test found: `useFirewall: $StackOutput(...)` passed and attached nothing.
    assert config_errors("""
resources:
  lb:
    type: application-load-balancer
    properties:
      useFirewall: "$StackOutput('security', 'webAcl')"
""") == [
        "stacktape.yml:5:7: resources.lb.properties.useFirewall: useFirewall is not supported yet (hint: attach a "
        "WAFv2 web ACL with pulumi_aws.wafv2.WebAclAssociation)",
    ]
