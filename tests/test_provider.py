"""The multi-language provider: golden schema, GetSchema over gRPC, construct equivalence, input checks."""

import json
import re
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import grpc
import pulumi
import pulumi_aws as aws
import pytest
import yaml
from args_doors import example_files, provider_door, provider_inputs, python_door, shared_provider, spec_of
from google.protobuf import empty_pb2
from pulumi.errors import InputPropertiesError
from pulumi.provider.experimental.analyzer import Analyzer
from pulumi.provider.experimental.component import ComponentProvider
from pulumi.runtime.proto import provider_pb2, provider_pb2_grpc

from stacktape_pulumi.components.base import ArgsError, validate_args
from stacktape_pulumi.components.context import StackContext
from stacktape_pulumi.config.models.workload import MultiContainerWorkloadProps
from stacktape_pulumi.engine import Recording, run_offline
from stacktape_pulumi.engine.preview import preview_config
from stacktape_pulumi.load import load_config
from stacktape_pulumi.provider import SCHEMA_PATH, create_provider, package_version, render_schema, schema_document
from stacktape_pulumi.schema.field_docs import attribute_docstrings
from stacktape_pulumi.schema.registry import PACKAGE, component_specs, hosting
from tests.module_support import load_module

ROOT = Path(__file__).resolve().parent.parent
REGENERATE = "run `python -m stacktape_pulumi.schema` and commit the result"
WORKLOAD = "stacktape:index:MultiContainerWorkload"
PULUMI_YAML_PROGRAM = ROOT / "programs" / "pulumi-yaml" / "Pulumi.yaml"
# Versions of other packages (`/aws/v7.51.1/schema.json`) follow the installed pulumi-aws, not our interface.
_DEPENDENCY_VERSION = re.compile(r"^/(?P<name>[a-z0-9-]+)/v[^/]+/")


def _normalized(document: Any) -> Any:
    if isinstance(document, dict):
        result = {key: _normalized(value) for key, value in document.items()}
        if isinstance(result.get("$ref"), str):
            result["$ref"] = _DEPENDENCY_VERSION.sub(r"/\g<name>/v*/", result["$ref"])
        if "dependencies" in result and isinstance(result["dependencies"], list):
            result["dependencies"] = [{**dep, "version": "*"} for dep in result["dependencies"]]
        return result
    if isinstance(document, list):
        return [_normalized(item) for item in document]
    return document


@pytest.fixture(scope="module")
def schema() -> dict[str, Any]:
    return schema_document(shared_provider())


def _minimal_workload(**container: Any) -> dict[str, Any]:
    return {
        "resources": {"cpu": 0.25, "memory": 512},
        "containers": [{"name": "web", "packaging": {"type": "prebuilt-image", "properties": {"image": "nginx:1.27"}},
                        **container}],
    }


def _construct(inputs: dict[str, Any] | Callable[[], dict[str, Any]], name: str = "api",
               token: str = WORKLOAD) -> Recording:
    """Construct one component through the provider; `inputs` may be made inside the program (Outputs)."""

    def program() -> None:
        ctx = StackContext()
        provider = shared_provider()
        provider.stack_context = lambda: ctx
        values = inputs() if callable(inputs) else inputs
        provider.construct(name, token, values, pulumi.ResourceOptions())

    return run_offline(program)


# ---- the schema --------------------------------------------------------------------------

def test_golden_schema_is_up_to_date(schema: dict[str, Any]) -> None:
    committed = json.loads(SCHEMA_PATH.read_text())
    assert _normalized(schema) == _normalized(committed), f"{SCHEMA_PATH.name} is stale: {REGENERATE}"


def test_golden_schema_is_rendered_canonically() -> None:
    text = SCHEMA_PATH.read_text()
    assert text == render_schema(json.loads(text))


def test_schema_names_the_package_and_its_version(schema: dict[str, Any]) -> None:
    assert (schema["name"], schema["version"]) == (PACKAGE, package_version())
    assert set(schema["resources"]) == {f"{PACKAGE}:index:{c.__name__}" for c in hosting().components}
    assert WORKLOAD in schema["resources"]


def test_every_resource_type_is_hosted() -> None:
    found = hosting()
    # On failure the dict says why a type fell out: no class, args not annotated, or the inference's error.
    assert found.skipped == {}
    assert [c.__name__ for c in found.components] == [spec.class_name for spec in component_specs()]


def _documented(prop: dict[str, Any], where: str) -> list[str]:
    missing = [] if prop.get("description") else [where]
    for key in ("items", "additionalProperties"):
        if isinstance(prop.get(key), dict):
            missing += _documented(prop[key], f"{where}.{key}")
    return missing


def test_every_input_and_output_is_documented(schema: dict[str, Any]) -> None:
    missing: list[str] = []
    for token, resource in schema["resources"].items():
        assert resource.get("description"), token
        for section in ("inputProperties", "properties"):
            for name, prop in resource.get(section, {}).items():
                missing += _documented(prop, f"{token}.{section}.{name}")
    for token, type_ in schema["types"].items():
        assert type_.get("description"), token
        for name, prop in type_.get("properties", {}).items():
            missing += _documented(prop, f"{token}.{name}")
    assert missing == []


def _ref(schema: dict[str, Any], prop: dict[str, Any]) -> dict[str, Any]:
    token = prop["$ref"].removeprefix("#/types/")
    found: dict[str, Any] = schema["types"][token]
    return found


def test_closed_sets_are_enums(schema: dict[str, Any]) -> None:
    inputs = schema["resources"][WORKLOAD]["inputProperties"]
    resources = _ref(schema, inputs["resources"])
    cpu = _ref(schema, resources["properties"]["cpu"])
    assert (cpu["type"], [v["value"] for v in cpu["enum"]]) == ("number", [0.25, 0.5, 1, 2, 4, 8, 16])
    container = _ref(schema, inputs["containers"]["items"])
    condition = _ref(schema, _ref(schema, container["properties"]["dependsOn"]["items"])["properties"]["condition"])
    assert [v["value"] for v in condition["enum"]] == ["START", "COMPLETE", "SUCCESS", "HEALTHY"]
    # No string property of any type is a closed set in disguise: every `type` discriminator is an enum.
    for token, type_ in schema["types"].items():
        if "type" in type_.get("properties", {}):
            assert "$ref" in type_["properties"]["type"], token


def test_discriminated_unions_have_the_design_shape(schema: dict[str, Any]) -> None:
    container = _ref(schema, schema["resources"][WORKLOAD]["inputProperties"]["containers"]["items"])
    packaging = _ref(schema, container["properties"]["packaging"])
    assert sorted(packaging["required"]) == ["properties", "type"]
    kinds = _ref(schema, packaging["properties"]["type"])
    assert [v["value"] for v in kinds["enum"]] == [
        "stacktape-image-buildpack", "external-buildpack", "nixpacks", "custom-dockerfile", "prebuilt-image"]
    assert all(v["description"] for v in kinds["enum"])
    merged = _ref(schema, packaging["properties"]["properties"])
    assert "required" not in merged  # every variant's property is optional in the merged shape
    expected = {"image", "buildContextPath", "entryfilePath", "sourceDirectoryPath", "startCmd"}
    assert expected <= set(merged["properties"])


def test_iam_statement_keys_keep_their_case(schema: dict[str, Any]) -> None:
    statement = _ref(schema, schema["resources"][WORKLOAD]["inputProperties"]["iamRoleStatements"]["items"])
    assert set(statement["properties"]) == {"Sid", "Effect", "Action", "Resource", "Condition"}
    assert statement["required"] == ["Resource"]
    inputs = schema["resources"][WORKLOAD]["inputProperties"]
    assert {"usePrivateSubnetsWithNAT", "enableRemoteSessions", "iamRoleStatements"} <= set(inputs)


# ---- GetSchema over gRPC, as the engine asks -----------------------------------------------

def test_get_schema_over_grpc(schema: dict[str, Any], tmp_path: Path) -> None:
    # As the engine runs the plugin: the manifest's entry, the engine's address as the first argument;
    # the port is the first line on stdout.
    entry = ROOT / yaml.safe_load((ROOT / "PulumiPlugin.yaml").read_text())["main"]
    process = subprocess.Popen([sys.executable, str(entry), "127.0.0.1:1"],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=tmp_path)
    try:
        assert process.stdout is not None
        port = int(process.stdout.readline().decode().strip())
        with grpc.insecure_channel(f"127.0.0.1:{port}") as channel:
            grpc.channel_ready_future(channel).result(timeout=60)
            stub = provider_pb2_grpc.ResourceProviderStub(channel)
            response = stub.GetSchema(provider_pb2.GetSchemaRequest(version=0), timeout=60)
            info = stub.GetPluginInfo(empty_pb2.Empty(), timeout=60)
    finally:
        process.terminate()
        process.wait(timeout=30)
    assert json.loads(response.schema) == schema
    assert info.version == package_version()


# ---- construct: the same children through every door ---------------------------------------

def _example_params() -> list[Any]:
    return [pytest.param(path, id=path.stem) for path in example_files(ROOT)]


# What YAML derives from other resources and a provider caller writes out: each construct sees its own
# inputs and the components built before it. A gateway's CORS methods default to its routes' methods
# (routes come later: written out as `cors.allowedMethods`); a gradual deployment's test listener is
# opened by the load balancer when asked, unless an earlier provider call built it (written out as `listeners`).
SPELLED_OUT: dict[str, dict[str, dict[str, Any]]] = {
    "function-http-api": {"api": {"cors": {"allowedMethods": ["GET", "OPTIONS"]}}},
    "canary-deployment": {"lb": {"listeners": [{"port": 80, "protocol": "HTTP"}, {"port": 8080, "protocol": "HTTP"}]}},
}


@pytest.mark.parametrize("example", _example_params())
def test_construct_matches_the_yaml_and_python_paths(example: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # From the config's directory, as a program next to its sources: relative paths mean the same in every door.
    monkeypatch.chdir(example.parent)
    loaded = load_config(example)
    from_yaml = preview_config(loaded).to_json()["resources"]
    from_python = python_door(loaded).to_json()["resources"]
    from_provider = provider_door(loaded, SPELLED_OUT.get(example.stem)).to_json()["resources"]
    assert from_yaml, example
    assert from_python == from_yaml
    assert from_provider == from_yaml


def test_provider_gateway_cors_methods_default_to_any(monkeypatch: pytest.MonkeyPatch) -> None:
    example = ROOT / "programs" / "examples" / "function-http-api.yml"
    monkeypatch.chdir(example.parent)
    loaded = load_config(example)
    from_yaml = {r["urn"]: r for r in preview_config(loaded).to_json()["resources"]}
    from_provider = {r["urn"]: r for r in provider_door(loaded).to_json()["resources"]}
    differ = [urn for urn in from_yaml if from_yaml[urn] != from_provider.get(urn)]
    assert differ == ["urn:pulumi:dev::stacktape::stacktape:index:HttpApiGateway$aws:apigatewayv2/api:Api::api-api"]
    assert from_yaml[differ[0]]["inputs"]["corsConfiguration"]["allowMethods"] == ["GET", "OPTIONS"]
    assert from_provider[differ[0]]["inputs"]["corsConfiguration"]["allowMethods"] == ["*"]


def test_provider_derives_the_test_listener_as_yaml_does(monkeypatch: pytest.MonkeyPatch) -> None:
    """Constructed in one program body, the load balancer opens the test listener a deployment asks for.

    (A load balancer constructed by an earlier provider call is complete: README §5.)
    """
    example = ROOT / "programs" / "examples" / "canary-deployment.yml"
    monkeypatch.chdir(example.parent)
    loaded = load_config(example)
    from_yaml = {r["urn"]: r for r in preview_config(loaded).to_json()["resources"]}
    from_provider = {r["urn"]: r for r in provider_door(loaded).to_json()["resources"]}
    assert from_provider == from_yaml
    listener = ("urn:pulumi:dev::stacktape::stacktape:index:ApplicationLoadBalancer$aws:lb/listener:Listener::"
                "lb-listener-8080")
    assert from_provider[listener]["inputs"]["port"] == 8080


def test_provider_stack_config_comes_from_the_stack_config() -> None:
    tags = {"name": "team", "value": "payments"}
    with pytest.raises(InputPropertiesError, match=re.escape(
            "provider config 'stacktape:stackConfig': tags[0].nam: unknown key 'nam' (hint: did you mean 'name'?)")):
        _construct_with_config(_minimal_workload(), {"tags": [{"nam": "team", "value": "payments"}]})
    rec = _construct_with_config(_minimal_workload(), {"tags": [tags], "vpc": {"reuseVpc": {"vpcId": "vpc-0abc"}}})
    assert rec.by_type("aws:ec2/vpc:Vpc") == []
    assert rec.one("aws:ecs/cluster:Cluster").inputs["tags"]["team"] == "payments"
    with pytest.raises(InputPropertiesError, match="outputs: a program exports its own outputs"):
        _construct_with_config(_minimal_workload(), {"outputs": [{"name": "x", "value": "y"}]})


def _construct_with_config(inputs: dict[str, Any], stack_config: dict[str, Any]) -> Recording:
    provider = shared_provider()

    def program() -> None:
        provider.stack_context = provider._shared_context
        provider._contexts.clear()
        provider.construct("api", WORKLOAD, inputs, pulumi.ResourceOptions())

    return run_offline(program, config={"stacktape:stackConfig": json.dumps(stack_config)})


def test_integers_may_arrive_as_whole_floats() -> None:
    inputs = _minimal_workload(stopTimeout=30.0, environment=[{"name": "PORT", "value": 8080.0}])
    recording = _construct(inputs)
    definition = json.loads(recording.one("aws:ecs/taskDefinition:TaskDefinition").inputs["containerDefinitions"])
    assert definition[0]["stopTimeout"] == 30
    assert {"name": "PORT", "value": "8080"} in definition[0]["environment"]


def test_non_whole_integers_are_rejected() -> None:
    with pytest.raises(InputPropertiesError) as raised:
        _construct(_minimal_workload(stopTimeout=2.5))
    assert raised.value.errors == [{"property_path": "containers[0].stopTimeout",
                                    "reason": "must be a whole number, got 2.5"}]


def test_unknown_input_keys_are_rejected_by_name() -> None:
    inputs = _minimal_workload(enviroment=[])
    inputs["scailng"] = {"minInstances": 1}
    with pytest.raises(InputPropertiesError) as raised:
        _construct(inputs)
    paths = {error["property_path"]: error["reason"] for error in raised.value.errors or []}
    assert set(paths) == {"containers[0].enviroment", "scailng"}
    assert paths["scailng"].startswith("unknown input 'scailng' (did you mean 'scaling'?); allowed: ")
    assert "did you mean 'environment'?" in paths["containers[0].enviroment"]
    assert "MultiContainerWorkload 'api': scailng: unknown input 'scailng'" in str(raised.value)


@pytest.mark.parametrize(("token", "inputs", "path", "reason"), [
    ("stacktape:index:HttpApiGateway", {"cors": {"enabled": True, "allowOrigin": ["*"]}},
     "cors.allowOrigin", "unknown input 'allowOrigin' (did you mean 'allowedOrigins'?)"),
    ("stacktape:index:SqsQueue", {"fifoEnabld": True},
     "fifoEnabld", "unknown input 'fifoEnabld' (did you mean 'fifoEnabled'?)"),
])
def test_unknown_keys_are_rejected_on_every_component(token: str, inputs: dict[str, Any], path: str,
                                                      reason: str) -> None:
    with pytest.raises(InputPropertiesError) as raised:
        _construct(inputs, name="x", token=token)
    paths = {error["property_path"]: error["reason"] for error in raised.value.errors or []}
    assert list(paths) == [path]
    assert paths[path].startswith(reason)


def test_lists_of_enum_values_arrive_as_values() -> None:
    # The SDK's input mapping treats a list of enum references as a list of objects (each "GET" became {}).
    rec = _construct({"cors": {"enabled": True, "allowedMethods": ["GET", "OPTIONS"]}}, name="gw",
                     token="stacktape:index:HttpApiGateway")
    assert rec.one("aws:apigatewayv2/api:Api").inputs["corsConfiguration"]["allowMethods"] == ["GET", "OPTIONS"]
    with pytest.raises(InputPropertiesError, match=re.escape(
            "HttpApiGateway 'gw': cors.allowedMethods[0]: invalid value 'FETCH'; allowed values: 'GET'")):
        _construct({"cors": {"enabled": True, "allowedMethods": ["FETCH"]}}, name="gw",
                   token="stacktape:index:HttpApiGateway")


def test_unknown_keys_stop_before_the_sdk_maps_inputs(monkeypatch: pytest.MonkeyPatch) -> None:
    mapped: list[str] = []
    original = ComponentProvider.construct

    def spy(self: ComponentProvider, name: str, *args: Any, **kwargs: Any) -> Any:
        mapped.append(name)
        return original(self, name, *args, **kwargs)

    monkeypatch.setattr(ComponentProvider, "construct", spy)
    with pytest.raises(InputPropertiesError):
        _construct({**_minimal_workload(), "unknownKey": True})
    assert mapped == []
    _construct(_minimal_workload())
    assert mapped == ["api"]


def test_object_inputs_that_are_outputs_are_rejected() -> None:
    def inputs() -> dict[str, Any]:
        # As the engine delivers a value that depends on another resource: wrapped in an Output.
        plain = _minimal_workload()
        return {**plain, "containers": pulumi.Output.from_input(plain["containers"])}

    with pytest.raises(InputPropertiesError) as raised:
        _construct(inputs)
    assert [e["property_path"] for e in raised.value.errors or []] == ["containers"]
    assert "takes plain values" in str(raised.value)


def test_string_inputs_take_outputs() -> None:
    def inputs() -> dict[str, Any]:
        # An ECR repository's URL, as a program in another language hands it over: an Output in place.
        repository = aws.ecr.Repository("images")
        plain = _minimal_workload()
        plain["containers"][0]["packaging"]["properties"]["image"] = repository.repository_url
        return plain

    recorded = _construct(inputs).one("aws:ecs/taskDefinition:TaskDefinition")
    definition = json.loads(recorded.inputs["containerDefinitions"])
    assert definition[0]["image"] == "123456789012.dkr.ecr.us-east-1.amazonaws.com/images-99c486f"


def test_inputs_users_compute_are_not_plain(schema: dict[str, Any]) -> None:
    types = schema["types"]
    assert "plain" not in types["stacktape:index:ContainerPackagingProperties"]["properties"]["image"]
    assert "plain" not in types["stacktape:index:IamRoleStatement"]["properties"]["Resource"]["items"]
    assert "plain" not in types["stacktape:index:EnvironmentVar"]["properties"]["value"]
    # What decides which resources exist stays plain: an Output of it would arrive unknown in a preview.
    assert types["stacktape:index:ContainerPackaging"]["properties"]["type"]["plain"] is True


@pytest.mark.parametrize(("change", "message"), [
    ({"resources": {"cpu": 3, "memory": 512}},
     "resources.cpu: invalid value 3; allowed values: 0.25, 0.5, 1, 2, 4, 8 or 16"),
    ({"resources": {"cpu": 0.25, "memory": 512, "architecture": "arm"}},
     "resources.architecture: invalid value 'arm'; allowed values: 'x86_64' or 'arm64' (hint: did you mean 'arm64'?)"),
    ({"containers": [{"name": "web", "packaging": {"type": "prebuilt-imag", "properties": {"image": "nginx"}}}]},
     "containers[0].packaging.type: unsupported type 'prebuilt-imag'; supported: stacktape-image-buildpack, "
     "external-buildpack, nixpacks, custom-dockerfile, prebuilt-image (hint: did you mean 'prebuilt-image'?)"),
    ({"containers": [{"name": "web"}]}, "containers[0]: missing required key 'packaging'"),
])
def test_bad_inputs_get_the_yaml_doors_message(change: dict[str, Any], message: str) -> None:
    inputs = {**_minimal_workload(), **change}
    with pytest.raises(ArgsError) as python_door:
        validate_args("MultiContainerWorkload", "api", inputs, MultiContainerWorkloadProps)
    with pytest.raises(InputPropertiesError) as provider_door:
        _construct(inputs)
    assert str(provider_door.value) == str(python_door.value) == f"MultiContainerWorkload 'api': {message}"


def test_config_errors_are_input_errors_without_a_traceback() -> None:
    inputs = _minimal_workload()
    inputs["resources"] = {"cpu": 0.25, "memory": 4096}
    with pytest.raises(InputPropertiesError) as raised:
        _construct(inputs)
    message = str(raised.value)
    assert message.startswith("MultiContainerWorkload 'api': resources.memory: Error in resources")
    assert "Traceback" not in message


def test_components_of_one_program_share_the_stack() -> None:
    def program() -> None:
        provider = create_provider()
        for name in ("first", "second"):
            provider.construct(name, WORKLOAD, _minimal_workload(), pulumi.ResourceOptions())

    recording = run_offline(program)
    assert len(recording.by_type("aws:ec2/vpc:Vpc")) == 1
    assert len(recording.by_type("stacktape:index:MultiContainerWorkload")) == 2


# ---- the Pulumi YAML program and the plugin manifest ---------------------------------------

def _pulumi_yaml() -> dict[str, Any]:
    document: dict[str, Any] = yaml.safe_load(PULUMI_YAML_PROGRAM.read_text())
    return document


def test_plugin_manifest_runs_the_provider() -> None:
    manifest = yaml.safe_load((ROOT / "PulumiPlugin.yaml").read_text())
    assert manifest["runtime"]["name"] == "python"
    # The directory the python language host runs (its `__main__.py`); the gRPC test starts it the same way.
    assert (ROOT / manifest["main"]).resolve() == (ROOT / "stacktape_pulumi" / "provider").resolve()
    assert (ROOT / manifest["main"] / "__main__.py").is_file()


def test_pulumi_yaml_program_uses_the_provider(schema: dict[str, Any]) -> None:
    program = _pulumi_yaml()
    assert program["runtime"] == "yaml"
    assert (PULUMI_YAML_PROGRAM.parent / program["packages"][PACKAGE]).resolve() == ROOT
    types = {resource["type"] for resource in program["resources"].values()}
    assert types <= set(schema["resources"])


def _interpolated(value: Any, stack: str) -> Any:
    if isinstance(value, str):
        return value.replace("${pulumi.stack}", stack)
    if isinstance(value, dict):
        return {key: _interpolated(item, stack) for key, item in value.items()}
    if isinstance(value, list):
        return [_interpolated(item, stack) for item in value]
    return value


def test_pulumi_yaml_program_mirrors_the_multi_container_example() -> None:
    example = load_config(ROOT / "programs" / "examples" / "multi-container.yml")
    program = _pulumi_yaml()
    resource = program["resources"]["webApp"]
    assert resource["type"] == WORKLOAD
    spec = spec_of("multi-container-workload")
    # `${pulumi.stack}` is Pulumi YAML's `$Stage()`; everything else is the example's properties, as written.
    from_program = _interpolated(resource["properties"], example.stage)
    assert from_program == provider_inputs(example.data["resources"]["webApp"]["properties"], spec)
    # The example's stackConfig is the stack's provider config.
    stack_file = yaml.safe_load((PULUMI_YAML_PROGRAM.parent / f"Pulumi.{example.stage}.yaml").read_text())
    assert stack_file["config"]["stacktape:stackConfig"] == example.data["stackConfig"]


@pytest.mark.skipif(shutil.which("pulumi") is None, reason="the pulumi CLI is not installed here")
@pytest.mark.needs_pulumi_cli
def test_pulumi_cli_reads_the_schema_from_the_plugin(schema: dict[str, Any]) -> None:
    done = subprocess.run(["pulumi", "package", "get-schema", str(ROOT)], capture_output=True, text=True,
                          timeout=600, check=False, cwd=ROOT)
    assert done.returncode == 0, done.stderr
    assert _normalized(json.loads(done.stdout)) == _normalized(schema)


DOCSTRING_SOURCE = '''
class Args(TypedDict):
    first: str
    """The first."""
    second: NotRequired[int]
    third: str
    """The third."""


class Color(Enum):
    RED = "red"
    """Warm."""
    A = B = "both"
    """Two targets: not a documented attribute."""
'''


def test_attribute_docstrings_follow_the_analyzers_own_rule(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    expected = {"Args": {"first": "The first.", "third": "The third."}, "Color": {"RED": "Warm."}}
    assert attribute_docstrings(DOCSTRING_SOURCE) == expected
    # The SDK's analyzer, reading the same classes from their source, finds the same docstrings.
    path = tmp_path / "docstring_sample.py"
    path.write_text("from enum import Enum\nfrom typing import NotRequired, TypedDict\n" + DOCSTRING_SOURCE)
    module = load_module(path)
    monkeypatch.setitem(sys.modules, module.__name__, module)
    sdk = Analyzer(PACKAGE)
    for class_name, attributes in expected.items():
        for attribute in ("first", "second", "third", "RED", "A"):
            assert sdk.get_docstring(getattr(module, class_name), attribute) == attributes.get(attribute)


def test_a_component_the_inference_rejects_is_skipped_with_the_reason(monkeypatch: pytest.MonkeyPatch) -> None:
    original = Analyzer.analyze

    def analyze(self: Analyzer, components: list[type[pulumi.ComponentResource]]) -> Any:
        if any(component.__name__ == "EventBus" for component in components):
            raise Exception("unsupported annotation 'dict[int, str]'")
        return original(self, components)

    monkeypatch.setattr(Analyzer, "analyze", analyze)
    found = hosting.__wrapped__()  # uncached: the real result stays cached for the other tests
    assert found.skipped == {"event-bus": "Pulumi's schema inference rejects EventBus: Exception: unsupported "
                                          "annotation 'dict[int, str]'"}
    assert sorted(c.__name__ for c in found.components) == sorted(
        spec.class_name for spec in component_specs() if spec.class_name != "EventBus")
