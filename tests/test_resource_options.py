"""Resource options reach every child, shared stack parts included; two regions in one program.

Run under the offline engine, which records each registration's provider, protect, retainOnDelete,
deletedWith, aliases and transforms, and each invoke's provider; invokes through a provider are
answered in that provider's region.
"""

import json
from pathlib import Path
from typing import Any

import pulumi
import pulumi_aws as aws
import pytest
from args_doors import canned_world, example_files, properties, python_args, run_stack

from stacktape_pulumi import MultiContainerWorkload
from stacktape_pulumi.components.context import StackContext
from stacktape_pulumi.engine import RecordedResource, Recording, run_offline
from stacktape_pulumi.load import load_config
from stacktape_pulumi.program import deploy
from stacktape_pulumi.schema.registry import ComponentSpec, component_classes

ROOT = Path(__file__).resolve().parent.parent
STACK = "stacktape:index:Stack"
ROOT_STACK = "pulumi:pulumi:Stack"
TASK_DEFINITION = "aws:ecs/taskDefinition:TaskDefinition"
WEST = "urn:pulumi:dev::stacktape::pulumi:providers:aws::west"

# An explicit provider is a resource of the program; so are the components that hold no AWS resource themselves.
NOT_AWS = ("pulumi:", "stacktape:", "docker-build:", "command:")


def workload_args(events: list[dict[str, Any]] | None = None, secret: bool = False) -> Any:
    container: dict[str, Any] = {
        "name": "web", "packaging": {"type": "prebuilt-image", "properties": {"image": "nginx:1.27"}},
        "events": events or [{"type": "service-connect", "properties": {"containerPort": 80}}]}
    if secret:
        container["environment"] = [{"name": "DB_PASSWORD", "value": "$Secret('app-db.password')"}]
    return {"resources": {"cpu": 0.5, "memory": 1024}, "containers": [container]}


def aws_resources(rec: Recording) -> list[RecordedResource]:
    return [r for r in rec.resources if not r.type.startswith(NOT_AWS)]


def providers_of(resources: list[RecordedResource]) -> set[str]:
    """Provider URNs (without the provider's ID) of `resources`; "" is the default provider."""
    return {r.provider.rsplit("::", 1)[0] for r in resources}


def log_regions(rec: Recording) -> list[str]:
    return [definition["logConfiguration"]["options"]["awslogs-region"]
            for task in rec.by_type(TASK_DEFINITION)
            for definition in json.loads(task.inputs["containerDefinitions"])]


def build_with(opts: Any, loaded: Any) -> Recording:
    """Every resource of `loaded` through the Python door, each component with the options `opts()` returns."""

    def build(name: str, spec: ComponentSpec, ctx: StackContext) -> None:
        component_classes()[spec.class_name](name, python_args(properties(loaded, name), spec), opts=opts())

    return run_stack(loaded, build)


@pytest.mark.parametrize("example", example_files(ROOT), ids=lambda path: path.stem)
def test_every_resource_and_invoke_of_an_example_follows_an_explicit_provider(
        example: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(example.parent)
    loaded = load_config(example)
    west: list[aws.Provider] = []

    def opts() -> pulumi.ResourceOptions:
        if not west:
            west.append(aws.Provider("west", region="eu-west-1"))
        return pulumi.ResourceOptions(provider=west[0])

    rec = build_with(opts, loaded)
    aws_parts = [r for r in aws_resources(rec) if not r.type.startswith("aws-native:")]
    assert aws_parts
    assert providers_of(aws_parts) == {WEST}, example
    assert rec.invokes
    assert {i.provider.rsplit("::", 1)[0] for i in rec.invokes} == {WEST}
    # The shared parts sit under the stack component, named after the provider.
    assert [r.name for r in rec.by_type(STACK)] == ["stacktape-dev-west"]
    assert all(r.parent != rec.one(ROOT_STACK).urn for r in aws_parts)
    assert set(log_regions(rec)) <= {"eu-west-1"}
    for native in rec.by_type("pulumi:providers:aws-native"):
        assert native.inputs["region"] == "eu-west-1"
    for role in rec.by_type("aws:iam/role:Role"):
        assert role.inputs["name"].endswith("-eu-west-1")


def test_shared_parts_and_invokes_follow_the_component_provider() -> None:
    def program() -> None:
        west = aws.Provider("west", region="eu-west-1")
        MultiContainerWorkload("api", workload_args(secret=True), opts=pulumi.ResourceOptions(provider=west))

    rec = run_offline(program)
    stack = rec.one(STACK, "stacktape-dev-west")
    assert stack.parent == rec.one(ROOT_STACK).urn
    network = rec.one("stacktape:index:StackNetwork", "stacktape-dev-west-network")
    assert network.parent == stack.urn
    shared = sorted((r.type, r.name) for r in rec.children(stack))
    assert shared == [("aws:ec2/securityGroup:SecurityGroup", "stacktape-dev-west-service-connect-clients"),
                      ("aws:servicediscovery/privateDnsNamespace:PrivateDnsNamespace",
                       "stacktape-dev-west-private-namespace"),
                      ("stacktape:index:StackNetwork", "stacktape-dev-west-network")]
    assert providers_of(aws_resources(rec)) == {WEST}
    assert sorted((i.token, i.provider.rsplit("::", 1)[0]) for i in rec.invokes) == [
        ("aws:index/getAvailabilityZones:getAvailabilityZones", WEST),
        ("aws:index/getRegion:getRegion", WEST),
        ("aws:secretsmanager/getSecret:getSecret", WEST),
    ]
    assert log_regions(rec) == ["eu-west-1"]
    assert [r.inputs["availabilityZone"] for r in rec.by_type("aws:ec2/subnet:Subnet")] == \
        ["eu-west-1a", "eu-west-1b", "eu-west-1c"]
    assert sorted(r.inputs["name"] for r in rec.by_type("aws:iam/role:Role")) == \
        ["stacktape-dev-api-eu-west-1", "stacktape-dev-api-exec-eu-west-1"]


def test_protect_retain_deleted_with_transforms_and_aliases_reach_every_child() -> None:
    seen: list[str] = []

    def transformation(args: pulumi.ResourceTransformationArgs) -> None:
        seen.append(args.name)

    def transform(args: pulumi.ResourceTransformArgs) -> None:
        return None

    def program() -> None:
        keeper = aws.s3.BucketV2("keeper")
        MultiContainerWorkload("api", workload_args(), opts=pulumi.ResourceOptions(
            protect=True, retain_on_delete=True, deleted_with=keeper, transformations=[transformation],
            transforms=[transform], aliases=[pulumi.Alias(name="old-api")]))

    rec = run_offline(program)
    keeper = rec.one("aws:s3/bucketV2:BucketV2", "keeper")
    component = rec.one("stacktape:index:MultiContainerWorkload", "api")
    stack = rec.one(STACK, "stacktape-dev")
    children = [r for r in rec.resources if r.urn not in (keeper.urn, rec.one(ROOT_STACK).urn)]
    assert len(children) > 20
    for child in children:
        assert (child.protect, child.retain_on_delete, child.deleted_with) == \
            (True, True, keeper.urn), child.name
        # The engine runs a resource's transforms on its descendants, and derives their aliases from its own.
        holders = {r.urn for r in [child, *rec.ancestors(child)] if r.transforms}
        assert holders & {component.urn, stack.urn}, child.name
    assert len(component.transforms) == len(stack.transforms) == 1
    assert sorted(seen) == sorted(r.name for r in children)
    assert component.aliases == ["name=old-api"]
    # The shared parts' own alias: where they were before they had a parent, so deployed stacks keep them.
    assert {r.name: r.aliases for r in rec.children(stack)} == {
        "stacktape-dev-network": ["noParent=True"], "stacktape-dev-private-namespace": ["noParent=True"],
        "stacktape-dev-service-connect-clients": ["noParent=True"]}
    assert stack.aliases == []


def test_the_component_that_first_needs_a_shared_part_gives_its_options() -> None:
    def program() -> None:
        # The first needs the VPC (a shared part): the stack component takes its (default) options.
        MultiContainerWorkload("first", workload_args())
        MultiContainerWorkload("api", workload_args(), opts=pulumi.ResourceOptions(protect=True))

    rec = run_offline(program)
    assert rec.one(STACK).protect is False
    assert rec.one("aws:ec2/vpc:Vpc").protect is False
    assert rec.one(TASK_DEFINITION, "api-task-definition").protect is True
    assert rec.one(TASK_DEFINITION, "first-task-definition").protect is False


def test_two_regions_in_one_program_each_with_its_shared_parts() -> None:
    def program() -> None:
        MultiContainerWorkload("east-api", workload_args(secret=True))
        west = aws.Provider("west", region="eu-west-1")
        MultiContainerWorkload("west-api", workload_args(secret=True), opts=pulumi.ResourceOptions(provider=west))

    rec = run_offline(program)
    east_stack, west_stack = rec.one(STACK, "stacktape-dev"), rec.one(STACK, "stacktape-dev-west")

    def under(stack: RecordedResource) -> list[RecordedResource]:
        return [r for r in aws_resources(rec) if stack in rec.ancestors(r)]

    assert providers_of(under(east_stack)) == {""}
    assert providers_of(under(west_stack)) == {WEST}
    assert sorted(r.name for r in rec.by_type("aws:ec2/vpc:Vpc")) == \
        ["stacktape-dev-network-vpc", "stacktape-dev-west-network-vpc"]
    assert sorted(r.name for r in rec.by_type("aws:servicediscovery/privateDnsNamespace:PrivateDnsNamespace")) == \
        ["stacktape-dev-private-namespace", "stacktape-dev-west-private-namespace"]
    regions = {r.name: r.inputs["availabilityZone"] for r in rec.by_type("aws:ec2/subnet:Subnet")}
    assert regions["stacktape-dev-network-public-subnet-0"] == "us-east-1a"
    assert regions["stacktape-dev-west-network-public-subnet-0"] == "eu-west-1a"
    by_task = {task.name: json.loads(task.inputs["containerDefinitions"])[0]["logConfiguration"]["options"]
               ["awslogs-region"] for task in rec.by_type(TASK_DEFINITION)}
    assert by_task == {"east-api-task-definition": "us-east-1", "west-api-task-definition": "eu-west-1"}
    assert sorted(r.inputs["name"] for r in rec.by_type("aws:iam/role:Role")) == [
        "stacktape-dev-east-api-exec-us-east-1", "stacktape-dev-east-api-us-east-1",
        "stacktape-dev-west-api-eu-west-1", "stacktape-dev-west-api-exec-eu-west-1"]
    invokes = sorted((i.token, i.provider.rsplit("::", 1)[0]) for i in rec.invokes)
    assert invokes == sorted([(token, provider) for provider in ("", WEST) for token in (
        "aws:index/getAvailabilityZones:getAvailabilityZones", "aws:index/getRegion:getRegion",
        "aws:secretsmanager/getSecret:getSecret")])
    secrets = {r.name: json.loads(r.inputs["policy"])["Statement"][0]["Resource"]
               for r in rec.by_type("aws:iam/rolePolicy:RolePolicy") if r.name.endswith("-execution-secrets")}
    assert {name: [arn.split(":")[3] for arn in arns] for name, arns in secrets.items()} == {
        "east-api-execution-secrets": ["us-east-1"], "west-api-execution-secrets": ["eu-west-1"]}


def test_the_yaml_door_puts_every_resource_under_the_options_it_is_given(monkeypatch: pytest.MonkeyPatch) -> None:
    example = ROOT / "programs" / "examples" / "web-service-database.yml"
    monkeypatch.chdir(example.parent)

    def program() -> None:
        west = aws.Provider("west", region="eu-west-1")
        deploy(example, hooks_run_here=True, opts=pulumi.ResourceOptions(provider=west, protect=True))

    loaded = load_config(example)
    rec = run_offline(program, stack=loaded.stage, world=canned_world(loaded))
    assert providers_of(aws_resources(rec)) == {WEST}
    assert {i.provider.rsplit("::", 1)[0] for i in rec.invokes} == {WEST}
    stack = rec.one(STACK, "stacktape-dev-west")
    assert stack.parent == rec.one(ROOT_STACK).urn
    assert all(r.protect for r in rec.resources if r.type not in (ROOT_STACK, "pulumi:providers:aws"))
    assert set(log_regions(rec)) == {"eu-west-1"}
