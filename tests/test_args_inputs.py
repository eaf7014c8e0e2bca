"""What a Python program hands the components beyond plain values: Outputs and component objects.

The rules (docs/decisions.md, "Outputs in component args"): an Output goes where the models accept
one (`OutputValue`: an image, an IAM statement's `Resource`, environment values, credentials), is
threaded into the child resources unchanged, and its value is checked against the field's own rules
once known; a component object stands for its name where a resource's name goes.
"""

import json
from typing import Any

import pulumi
import pulumi_aws as aws
import pytest

from stacktape_pulumi import ApplicationLoadBalancer, Bucket, Function, MultiContainerWorkload, SqsQueue
from stacktape_pulumi.args import ContainerEvent, IamRoleStatement, MultiContainerWorkloadArgs
from stacktape_pulumi.components.base import ArgsError
from stacktape_pulumi.engine import Recording, run_offline

# The offline engine's answer for the repository below (account, region and Pulumi's autonaming suffix).
REPOSITORY_URL = "123456789012.dkr.ecr.us-east-1.amazonaws.com/images-99c486f"
TASK_DEFINITION = "aws:ecs/taskDefinition:TaskDefinition"


def _workload(image: Any = "nginx:1.27", *, events: list[ContainerEvent] | None = None,
              **extra: Any) -> MultiContainerWorkloadArgs:
    args: MultiContainerWorkloadArgs = {
        "resources": {"cpu": 0.25, "memory": 512},
        "containers": [{"name": "web", "packaging": {"type": "prebuilt-image", "properties": {"image": image}},
                        "events": events or []}],
    }
    return {**args, **extra}  # type: ignore[typeddict-item]


def _containers(recording: Recording) -> list[dict[str, Any]]:
    definitions: list[dict[str, Any]] = json.loads(recording.one(TASK_DEFINITION).inputs["containerDefinitions"])
    return definitions


def test_an_image_output_reaches_the_task_definition() -> None:
    def program() -> None:
        repository = aws.ecr.Repository("images")
        MultiContainerWorkload("api", _workload(repository.repository_url))

    recording = run_offline(program)
    assert recording.one("aws:ecr/repository:Repository", "images") is not None
    assert _containers(recording)[0]["image"] == REPOSITORY_URL


def test_an_iam_resource_output_reaches_the_role_policy() -> None:
    def program() -> None:
        bucket = Bucket("photos", {})
        statement: IamRoleStatement = {"Action": ["s3:GetObject"], "Resource": [bucket.arn, "arn:aws:s3:::x"]}
        MultiContainerWorkload("api", _workload(iam_role_statements=[statement]))

    policy = run_offline(program).one("aws:iam/rolePolicy:RolePolicy", "api-custom-iam-role-statements")
    assert json.loads(policy.inputs["policy"]) == {"Version": "2012-10-17", "Statement": [{
        "Effect": "Allow", "Action": ["s3:GetObject"],
        "Resource": ["arn:aws:s3:::stacktape-dev-photos-edf473b35860b85d90f61b81bd", "arn:aws:s3:::x"]}]}


def test_a_component_object_stands_for_its_name_in_connect_to() -> None:
    def program(by_object: bool) -> None:
        bucket = Bucket("photos", {})
        MultiContainerWorkload("api", _workload(connect_to=[bucket if by_object else "photos"]))

    by_object = run_offline(lambda: program(True))
    assert by_object.to_json() == run_offline(lambda: program(False)).to_json()
    assert {"name": "STP_PHOTOS_NAME", "value": "stacktape-dev-photos-edf473b35860b85d90f61b81bd"} in \
        _containers(by_object)[0]["environment"]


def test_a_component_object_stands_for_its_name_as_a_load_balancer() -> None:
    def program(by_object: bool) -> None:
        lb = ApplicationLoadBalancer("lb", {})
        event: ContainerEvent = {"type": "application-load-balancer", "properties": {
            "load_balancer_name": lb if by_object else "lb", "container_port": 80, "priority": 1, "paths": ["*"]}}
        MultiContainerWorkload("api", _workload(events=[event]))

    by_object = run_offline(lambda: program(True))
    assert by_object.to_json() == run_offline(lambda: program(False)).to_json()
    assert len(by_object.by_type("aws:lb/listenerRule:ListenerRule")) == 1


def test_a_component_object_where_no_name_goes_is_a_type_error() -> None:
    def program() -> None:
        MultiContainerWorkload("api", _workload(Bucket("photos", {})))

    with pytest.raises(ArgsError) as raised:
        run_offline(program)
    assert str(raised.value) == ("MultiContainerWorkload 'api': containers[0].packaging.properties.image: "
                                 "wrong type (Bucket): input should be a valid string")


@pytest.mark.parametrize(("args", "message"), [
    (_workload(pulumi.Output.from_input("")),
     "containers[0].packaging.properties.image: String should have at least 1 character"),
    (_workload(iam_role_statements=[{"Resource": [pulumi.Output.from_input(3)]}]),
     "iamRoleStatements[0].Resource[0]: wrong type (a number): input should be a valid string"),
])
def test_an_output_is_checked_by_the_fields_rules_once_known(args: MultiContainerWorkloadArgs, message: str) -> None:
    with pytest.raises(ArgsError) as raised:
        run_offline(lambda: _build(args))
    assert str(raised.value) == f"MultiContainerWorkload 'api': {message}"


def _build(args: MultiContainerWorkloadArgs) -> None:
    MultiContainerWorkload("api", args)


def test_a_known_output_is_checked_like_the_literal() -> None:
    with pytest.raises(ArgsError) as literal:
        run_offline(lambda: _build(_workload("")))
    with pytest.raises(ArgsError) as output:
        run_offline(lambda: _build(_workload(pulumi.Output.from_input(""))))
    assert str(output.value) == str(literal.value)


def test_a_secret_output_stays_secret() -> None:
    def program() -> None:
        MultiContainerWorkload("api", _workload(pulumi.Output.secret("registry.example.com/app:1")))

    recorded = run_offline(program).one(TASK_DEFINITION)
    assert recorded.secret_inputs == ["containerDefinitions"]


def test_components_have_typed_outputs_beside_their_params() -> None:
    seen: dict[str, list[Any]] = {}

    def program() -> None:
        bucket, queue = Bucket("photos", {}), SqsQueue("jobs", {})
        pulumi.Output.all(bucket.arn, bucket.params["arn"], queue.arn, queue.url, queue.params["url"]).apply(
            lambda values: seen.setdefault("values", values))

    run_offline(program)
    assert seen["values"] == ["arn:aws:s3:::stacktape-dev-photos-edf473b35860b85d90f61b81bd"] * 2 + [
        "arn:aws:sqs:us-east-1:123456789012:stacktape-dev-jobs",
        "https://sqs.us-east-1.amazonaws.com/123456789012/stacktape-dev-jobs",
        "https://sqs.us-east-1.amazonaws.com/123456789012/stacktape-dev-jobs"]


def test_a_certificate_output_reaches_the_https_listener() -> None:
    def program() -> None:
        certificate = aws.acm.Certificate("cert", domain_name="example.com", validation_method="DNS")
        ApplicationLoadBalancer("lb", {"listeners": [
            {"protocol": "HTTPS", "port": 443, "custom_certificate_arns": [certificate.arn]}]})

    listener = run_offline(program).one("aws:lb/listener:Listener", "lb-listener-443")
    assert listener.inputs["certificateArn"] == "arn:aws:acm:us-east-1:123456789012:certificate/07925bef4277cd177"


def test_a_layer_output_reaches_the_function() -> None:
    def program() -> None:
        layer = aws.lambda_.LayerVersion("layer", layer_name="deps", code=pulumi.FileArchive("."))
        Function("fn", {"packaging": {"type": "custom-artifact", "properties": {
            "package_path": "programs/hooks/smoke_test.py", "handler": "smoke_test.py:handler"}},
            "runtime": "python3.12", "layers": [layer.arn, "arn:aws:lambda:us-east-1:123456789012:layer:x:1"]})

    function = run_offline(program).one("aws:lambda/function:Function")
    assert function.inputs["layers"] == ["arn:aws:lambda:us-east-1:123456789012:layerversion/layer-fd66931",
                                         "arn:aws:lambda:us-east-1:123456789012:layer:x:1"]
