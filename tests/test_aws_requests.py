"""The botocore request table (oracles.aws_requests): complete, exact, and clean on generated configs.

The table must name every resource type the package can create (found in its source, so a new
type fails here until it is mapped); every input recorded from the examples and fixtures is either
checked against its member's constraints or listed in `UNCHECKED` with a reason. Generated configs
are swept by `test_generated_configs.py`.
"""

import json
import re

import pulumi
import pulumi_aws as aws
import pytest
from oracles import aws_requests, check_recording, custom
from oracles.aws_requests import DOCUMENTED, NO_REQUEST, REQUESTS, UNCHECKED, compiled, input_shape, resolve
from test_oracles import CONFIGS, ROOT, run_for

from stacktape_pulumi.engine import Recording, run_offline

PACKAGE = ROOT / "stacktape_pulumi"


def created_types() -> set[str]:
    """Every pulumi_aws resource type the package's source constructs (`aws.<module>.<Class>(`)."""
    found: set[str] = set()
    for path in PACKAGE.rglob("*.py"):
        for module, name in re.findall(r"\baws\.([a-z0-9_]+)\.([A-Z][A-Za-z0-9]+)\(", path.read_text()):
            cls = getattr(getattr(aws, module), name)
            if isinstance(cls, type) and issubclass(cls, pulumi.CustomResource):
                found.add(cls.pulumi_type)  # type: ignore[attr-defined]
    return found


def test_every_type_the_package_creates_has_a_request() -> None:
    types = created_types()
    assert len(types) >= 80
    missing = sorted(t for t in types if t not in REQUESTS and aws_requests.no_request_reason(t) is None)
    assert not missing, f"map these in oracles.aws_requests.REQUESTS (or NO_REQUEST with a reason): {missing}"


def test_the_table_names_real_operations_and_members() -> None:
    for type_, request in REQUESTS.items():
        for op in request.operations:
            input_shape(request.service, op)
        for recorded, member in request.renames.items():
            assert resolve(request, member) is not None, f"{type_}: {recorded} → {member}"
    for type_ in (*UNCHECKED, *DOCUMENTED):
        assert type_ in REQUESTS, type_
    assert not set(REQUESTS) & set(NO_REQUEST)
    for reasons in UNCHECKED.values():
        assert all(len(reason) >= 20 for reason in reasons.values())


def inputs_of(recording: Recording) -> tuple[dict[str, set[str]], dict[str, set[str]]]:
    checked: dict[str, set[str]] = {}
    unchecked: dict[str, set[str]] = {}
    for resource in custom(recording):
        result = aws_requests.analyse(resource)
        checked.setdefault(resource.type, set()).update(result.checked)
        unchecked.setdefault(resource.type, set()).update(result.unchecked)
        assert not result.unreadable_patterns, result.unreadable_patterns
    return checked, unchecked


def test_every_recorded_input_is_checked_or_listed() -> None:
    """Across the examples and fixtures: the unchecked inputs are exactly `UNCHECKED`, and the coverage is known."""
    checked: dict[str, set[str]] = {}
    unchecked: dict[str, set[str]] = {}
    for path in CONFIGS:
        one_checked, one_unchecked = inputs_of(run_for(path).ok())
        for type_, paths in one_checked.items():
            checked.setdefault(type_, set()).update(paths)
        for type_, paths in one_unchecked.items():
            unchecked.setdefault(type_, set()).update(paths)
    observed = {t: p for t, p in unchecked.items() if p}
    assert observed == {t: set(p) for t, p in UNCHECKED.items()}
    # Every type the package creates is recorded by some config, so each one's inputs are checked here.
    assert created_types() <= set(checked)
    mapped = {t for t in checked if t in REQUESTS}
    assert mapped == set(REQUESTS)
    assert sum(len(checked[t]) for t in mapped) >= 600


# ---- the rules, on a hand-built graph -------------------------------------------------------------


def _graph() -> None:
    trust = json.dumps({"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"}, "Action": "sts:AssumeRole"}]})
    aws.iam.Role("long", name="r" * 65, assume_role_policy=trust)
    aws.iam.Role("spaced", name="has a space", assume_role_policy=trust,
                 tags={f"k{i}": "v" for i in range(51)})
    aws.iam.Role("secret-name", name=pulumi.Output.secret("x" * 99), assume_role_policy=trust)
    aws.lb.TargetGroup("tg", port=80, protocol="HTTPS", vpc_id="vpc-1", target_type="container",
                       health_check=aws.lb.TargetGroupHealthCheckArgs(interval=1, path="/"))
    aws.sqs.Queue("queue", delay_seconds=901)
    aws.sfn.StateMachine("machine", role_arn="arn:aws:iam::123456789012:role/r", definition="{}")


def test_findings_on_a_hand_built_graph() -> None:
    findings = check_recording(run_offline(_graph), only=[aws_requests.ORACLE]).findings
    assert sorted((f.code, f.name, f.subject, f.message) for f in findings) == [
        ("count", "spaced", "tags", "tags: 51 tags; iam CreateRole allows at most 50"),
        ("enum", "tg", "targetType", "targetType: 'container' is not one of instance, ip, lambda, alb"),
        ("length", "long", "name", f"name: '{'r' * 65}' is 65 characters; iam CreateRole allows 1-64"),
        ("no-request", "machine", "aws:sfn/stateMachine:StateMachine", "aws:sfn/stateMachine:StateMachine has no "
         "entry in oracles.aws_requests.REQUESTS (nor NO_REQUEST with a reason)"),
        ("pattern", "spaced", "name", r"name: 'has a space' does not match [\w+=,.@-]+"),
        ("range", "queue", "delaySeconds", "delaySeconds: 901 is outside 0-900 (https://docs.aws.amazon.com/"
         "AWSSimpleQueueService/latest/APIReference/API_SetQueueAttributes.html)"),
        ("range", "tg", "healthCheck.interval", "healthCheck.interval: 1 is outside 5-300 (elbv2 CreateTargetGroup)"),
    ]


def test_service_connect_names_against_the_documented_limits() -> None:
    def program() -> None:
        alias = aws.ecs.ServiceServiceConnectConfigurationServiceClientAliasArgs(port=80, dns_name="Api.x")
        aws.ecs.Service("svc", service_connect_configuration=aws.ecs.ServiceServiceConnectConfigurationArgs(
            enabled=True, services=[aws.ecs.ServiceServiceConnectConfigurationServiceArgs(
                port_name="p80", discovery_name="d" * 65, client_alias=[alias])]))

    findings = check_recording(run_offline(program), only=[aws_requests.ORACLE]).findings
    page = "https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_ServiceConnect"
    assert sorted((f.code, f.message) for f in findings) == [
        ("length", f"serviceConnectConfiguration.services.discoveryName: '{'d' * 65}' is 65 characters; AWS allows "
                   f"1-64 ({page}Service.html)"),
        ("pattern", "serviceConnectConfiguration.services.clientAlias.dnsName: 'Api.x' does not match "
                    rf"[a-z0-9_.][a-z0-9_.-]* ({page}ClientAlias.html)"),
    ]


def test_unlisted_inputs_are_reported() -> None:
    def program() -> None:
        aws.sqs.Queue("queue", fifo_queue=True, name="q.fifo")

    result = aws_requests.analyse(run_offline(program).one("aws:sqs/queue:Queue"))
    assert result.unchecked == {"fifoQueue"}
    assert result.checked == {"name"}


@pytest.mark.parametrize(("pattern", "value", "matches"), [
    (r"[\w+=,.@-]+", "role-é", False),  # Java's \w is ASCII
    (r"\p{Print}+", "policy name", True),
    (r"\p{Print}+", "tab\there", False),
    (r"^([\p{L}\p{Z}\p{N}_.:/=+\-@]*)$", "Ünïcode tag 1", True),
    (r"^([\p{L}\p{Z}\p{N}_.:/=+\-@]*)$", "semi;colon", False),
    (r"[\u0020-\uD7FF\uE000-\uFFFD\uD800\uDC00-\uDBFF\uDFFF\r\n\t]*", "emoji 🙂", True),
    (r"[\u0020-\uD7FF\uE000-\uFFFD\uD800\uDC00-\uDBFF\uDFFF\r\n\t]*", "bell\x07", False),
])
def test_java_patterns_read_as_aws_reads_them(pattern: str, value: str, matches: bool) -> None:
    regex = compiled(pattern)
    assert regex is not None
    assert bool(regex.fullmatch(value)) is matches
