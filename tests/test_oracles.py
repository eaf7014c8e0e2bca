"""The oracles over every example and valid fixture, and one broken fixture per defect proving each bites.

Examples (`programs/examples/*.yml`) and fixtures (`tests/fixtures/valid|broken/*.yml`) are
discovered by globbing, so new ones are checked without touching this file. Each config is
previewed once, offline, in a world whose secrets and SSM parameters are sentinels; every oracle
then reads that recording. A broken fixture says in its header what it breaks and which finding
must come out:

    # broken: <what is wrong>
    # expect: <oracle>/<code>
    # inject: <name in INJECTIONS>     (optional: a stack transformation that plants the defect)
    # validate-may-reject: true        (optional: `validate` rejecting it counts as caught too)
"""

import io
import json
import logging
import re
from collections.abc import Callable
from contextlib import redirect_stderr, redirect_stdout
from dataclasses import dataclass, field, replace
from functools import partial
from pathlib import Path
from typing import Any

import pulumi
import pulumi_aws as aws
import pytest
from oracles import Finding, aws_validity, check_recording, iam_lint, names, recording_oracles, security_groups
from oracles import secrets as secrets_oracle
from oracles.allowlist import ALLOWED, KNOWN_DEFECT
from oracles.secrets import Plant, planted_world, sentinel

import stacktape_pulumi.engine.preview
from stacktape_pulumi import cli
from stacktape_pulumi.aws.naming import replacement_suffix
from stacktape_pulumi.engine import Recording, run_offline
from stacktape_pulumi.engine.canned import CannedWorld
from stacktape_pulumi.engine.preview import preview_config
from stacktape_pulumi.errors import ConfigError, StacktapeError
from stacktape_pulumi.load import LoadedConfig, load_config

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = sorted((ROOT / "programs" / "examples").glob("*.yml"))
VALID = sorted((ROOT / "tests" / "fixtures" / "valid").glob("*.yml"))
BROKEN = sorted((ROOT / "tests" / "fixtures" / "broken").glob("*.yml"))
CONFIGS = EXAMPLES + VALID
ORACLES = sorted(recording_oracles())


def config_id(path: Path) -> str:
    return f"{path.parent.name}/{path.name}"


# ---- previews with planted secrets -------------------------------------------------------------

Transform = Callable[[pulumi.ResourceTransformationArgs], pulumi.ResourceTransformationResult | None]


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(f"{record.levelname} {record.name}: {record.getMessage()}")


@dataclass
class PlantedRun:
    """One offline preview in a sentinel world, with everything it printed or logged."""

    loaded: LoadedConfig
    plant: Plant
    recording: Recording | None
    error: BaseException | None
    captured: dict[str, str] = field(default_factory=dict)

    def ok(self) -> Recording:
        assert self.error is None, f"preview failed: {type(self.error).__name__}: {self.error}"
        assert self.recording is not None
        return self.recording


def planted_preview(loaded: LoadedConfig, plant: Plant, transform: Transform | None = None) -> PlantedRun:
    """Preview `loaded` in the plant's world (optionally under a stack transformation), capturing all output."""
    collect = _Collect()
    root = logging.getLogger()
    level = root.level
    root.addHandler(collect)
    root.setLevel(logging.DEBUG)
    out, err = io.StringIO(), io.StringIO()
    recording: Recording | None = None
    error: BaseException | None = None
    # preview_config calls the engine through its module global: wrap that to add the transformation.
    original: Callable[..., Recording] = getattr(stacktape_pulumi.engine.preview, "run_offline")  # noqa: B009

    def with_transform(program: Callable[[], None], **kwargs: Any) -> Recording:
        def wrapped() -> None:
            pulumi.runtime.register_stack_transformation(transform)  # type: ignore[arg-type]
            program()

        return original(wrapped, **kwargs)

    try:
        if transform is not None:
            setattr(stacktape_pulumi.engine.preview, "run_offline", with_transform)  # noqa: B010
        with redirect_stdout(out), redirect_stderr(err):
            recording = preview_config(loaded, world=plant.world)
    except Exception as exc:
        error = exc
    finally:
        setattr(stacktape_pulumi.engine.preview, "run_offline", original)  # noqa: B010
        root.removeHandler(collect)
        root.setLevel(level)
    captured = {"logs": "\n".join(collect.lines), "stdout": out.getvalue(), "stderr": err.getvalue()}
    if error is not None:
        captured["error"] = f"{type(error).__name__}: {error}"
    return PlantedRun(loaded, plant, recording, error, captured)


_RUNS: dict[Path, PlantedRun] = {}


def run_for(path: Path) -> PlantedRun:
    """The planted preview of a config, computed once per test session."""
    if path not in _RUNS:
        loaded = load_config(path)
        _RUNS[path] = planted_preview(loaded, planted_world(loaded.data, loaded.region))
    return _RUNS[path]


# ---- every oracle over every example and valid fixture -------------------------------------------


def test_configs_are_discovered() -> None:
    assert EXAMPLES, "no example configs found in programs/examples"
    assert VALID
    assert BROKEN


@pytest.mark.parametrize("oracle", ORACLES)
@pytest.mark.parametrize("path", CONFIGS, ids=config_id)
def test_oracle_finds_nothing(path: Path, oracle: str) -> None:
    report = check_recording(run_for(path).ok(), only=[oracle])
    assert not report.findings, f"{config_id(path)}:\n{report.render()}"


@pytest.mark.parametrize("path", CONFIGS, ids=config_id)
def test_no_planted_secret_leaks(path: Path) -> None:
    run = run_for(path)
    recording = run.ok()
    leaks = secrets_oracle.check(recording, run.plant.sentinels, run.captured.items())
    assert not leaks, "\n".join(f.render() for f in leaks)


@pytest.mark.parametrize("path", EXAMPLES, ids=config_id)
def test_cli_preview_prints_no_planted_secret(path: Path, monkeypatch: pytest.MonkeyPatch,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    plant = planted_world(load_config(path).data)
    monkeypatch.setattr(stacktape_pulumi.engine.preview, "CannedWorld", partial(
        CannedWorld, secret_values=plant.world.secret_values, ssm_values=plant.world.ssm_values))
    for args in (["preview", str(path), "--json"], ["preview", str(path)]):
        assert cli.main(args) == 0
        out, err = capsys.readouterr()
        leaks = secrets_oracle.find_leaks({"stdout": out, "stderr": err}, plant.sentinels)
        assert not leaks, "\n".join(f.render() for f in leaks)


def test_oracles_are_not_vacuous_on_the_configs() -> None:
    """Across the configs, each oracle had something to look at (guards against renamed types)."""
    recordings = [run_for(p).ok() for p in CONFIGS]
    resources = [r for rec in recordings for r in rec.resources]
    types = {r.type for r in resources}
    assert aws_validity.TASK_DEFINITION in types
    assert sum(len(iam_lint.documents(rec)) for rec in recordings) >= 2 * len(CONFIGS)
    assert any(r.inputs.get("assumeRolePolicy") for r in resources)
    assert security_groups.SG in types
    assert security_groups.SERVICE in types
    assert sum(1 for r in resources if r.type in names.RULES and r.custom) >= 5 * len(CONFIGS)
    assert any(run_for(p).plant.sentinels for p in CONFIGS)


# ---- the allow-list ----------------------------------------------------------------------------------


def test_allowlist_entries_have_reasons() -> None:
    for entry in ALLOWED:
        assert len(entry.reason) >= 20, entry
        assert entry.oracle in {*ORACLES, secrets_oracle.ORACLE}, entry


def test_resource_star_allowlist_names_only_actions_aws_requires_star_for() -> None:
    for entry in ALLOWED:
        if entry.code != "resource-star" or entry.reason.startswith(KNOWN_DEFECT):
            continue
        assert re.fullmatch(r"[a-z0-9-]+:[A-Za-z0-9]+", entry.subject), f"one exact action per entry: {entry}"
        assert iam_lint.needs_star(entry.subject), (
            f"{entry.subject} supports resource-level permissions; scope it instead of allow-listing it")


def test_known_defect_entries_still_match_a_finding() -> None:
    defects = [e for e in ALLOWED if e.reason.startswith(KNOWN_DEFECT)]
    if not defects:
        return
    allowed = [item for p in CONFIGS for item, _ in check_recording(run_for(p).ok()).allowed]
    for entry in defects:
        assert any(entry.matches(item) for item in allowed), f"the defect is fixed; remove the entry: {entry}"


# ---- broken fixtures: every oracle bites -------------------------------------------------------------


def _on(type_: str, name_suffix: str, change: Callable[[dict[str, Any]], None]) -> Transform:
    def transform(args: pulumi.ResourceTransformationArgs) -> pulumi.ResourceTransformationResult | None:
        if args.type_ != type_ or not args.name.endswith(name_suffix):
            return None
        props = dict(args.props)
        change(props)
        return pulumi.ResourceTransformationResult(props, args.opts)

    return transform


def _open_to_world(props: dict[str, Any]) -> None:
    props["ingress"] = [aws.ec2.SecurityGroupIngressArgs(protocol="tcp", from_port=22, to_port=22,
                                                         cidr_blocks=["0.0.0.0/0"], description="ssh")]


def _bad_container_field(props: dict[str, Any]) -> None:
    def spoil(text: str) -> str:
        definitions = json.loads(text)
        definitions[0]["memoryReservation"] = "256"
        definitions[0]["healthcheck"] = {"command": ["CMD", "true"]}
        return json.dumps(definitions)

    props["container_definitions"] = pulumi.Output.from_input(props["container_definitions"]).apply(spoil)


def _long_role_name(props: dict[str, Any]) -> None:
    suffix = "-with-a-suffix-that-pushes-it-past-the-iam-limit-of-64"
    props["name"] = pulumi.Output.from_input(props["name"]).apply(lambda n: f"{n}{suffix}")


def _priority_zero(props: dict[str, Any]) -> None:
    props["priority"] = 0


INJECTIONS: dict[str, Transform] = {
    "listener-rule-priority-zero": _on("aws:lb/listenerRule:ListenerRule", "", _priority_zero),
    "task-sg-world-ingress": _on(security_groups.SG, "-sg", _open_to_world),
    "invalid-container-field": _on(aws_validity.TASK_DEFINITION, "-task-definition", _bad_container_field),
    "long-role-name": _on("aws:iam/role:Role", "-task-role", _long_role_name),
}


def header(path: Path) -> dict[str, str]:
    fields: dict[str, str] = {}
    for line in path.read_text().splitlines():
        if match := re.match(r"#\s*(broken|expect|inject|validate-may-reject):\s*(.+)", line):
            fields[match.group(1)] = match.group(2).strip()
    return fields


def _findings(run: PlantedRun, oracle: str) -> list[Finding]:
    recording = run.ok()
    if oracle == secrets_oracle.ORACLE:
        return secrets_oracle.check(recording, run.plant.sentinels, run.captured.items())
    return check_recording(recording, only=[oracle]).findings


@pytest.mark.parametrize("path", BROKEN, ids=config_id)
def test_broken_fixture_is_caught(path: Path) -> None:
    fields = header(path)
    assert "broken" in fields, f"{path.name} needs '# broken:' and '# expect:' lines"
    assert "expect" in fields, f"{path.name} needs '# broken:' and '# expect:' lines"
    oracle, _, code = fields["expect"].partition("/")
    inject = fields.get("inject")
    assert inject is None or inject in INJECTIONS, f"unknown injection {inject}"
    try:
        loaded = load_config(path)
    except ConfigError:
        assert fields.get("validate-may-reject") == "true", f"{path.name} must load; it tests an oracle"
        return
    plant = planted_world(loaded.data, loaded.region)
    found = _findings(planted_preview(loaded, plant, INJECTIONS[inject] if inject else None), oracle)
    assert any(f.code == code for f in found), f"expected {oracle}/{code}, got:\n" + "\n".join(
        f.render() for f in found)
    if inject:
        # Without the injected defect the same config is clean for that oracle.
        clean = _findings(planted_preview(loaded, planted_world(loaded.data, loaded.region)), oracle)
        assert not [f for f in clean if f.code == code], "\n".join(f.render() for f in clean)


def test_every_defect_named_in_the_issue_has_a_broken_fixture() -> None:
    expected = {header(p).get("expect") for p in BROKEN}
    for need in ("security-groups/task-world-ingress", "iam/resource-star", "secrets/leak", "containers/api-model"):
        assert need in expected
    assert {e.partition("/")[0] for e in expected if e} >= {*ORACLES, secrets_oracle.ORACLE}


# ---- secrets oracle: values from the world, error paths ---------------------------------------------


def _copy_secret_program(mark_secret: bool) -> Callable[[], None]:
    def program() -> None:
        # Offline, invoke results carry no secret mark (the real provider's would): the component must add it.
        value = aws.secretsmanager.get_secret_version_output(secret_id="app-db").secret_string
        aws.cloudwatch.LogGroup("copy", tags={"copy": pulumi.Output.secret(value) if mark_secret else value})

    return program


@pytest.mark.parametrize("mark_secret", [False, True])
def test_secrets_oracle_sees_a_world_value_only_when_unmasked(mark_secret: bool) -> None:
    plant = planted_world({"x": "$Secret('app-db.password')"})
    recording = run_offline(_copy_secret_program(mark_secret), world=plant.world)
    leaks = secrets_oracle.check(recording, plant.sentinels)
    assert bool(leaks) is not mark_secret, "\n".join(f.render() for f in leaks)


def test_secrets_oracle_finds_base64_at_every_alignment() -> None:
    import base64

    value = sentinel("app-db", "password")
    for prefix in ("", "a", "ab", "abc"):
        encoded = base64.b64encode(f"{prefix}{value}!".encode()).decode()
        assert secrets_oracle.find_leaks({"userData": encoded}, {value: "secret app-db.password"})


@pytest.mark.parametrize("secret_value", ['{"password": "stp-sentinel-app-db-password"}',
                                          "stp-sentinel-app-db-whole"])
def test_secret_errors_do_not_echo_the_value(write_config: Callable[[str], Path], secret_value: str) -> None:
    path = write_config("""
        stackConfig:
          outputs:
            - name: leaked
              value: $Secret('app-db.missingKey')
        resources:
          api:
            type: multi-container-workload
            properties:
              resources: {cpu: 0.25, memory: 512}
              containers:
                - name: api
                  packaging: {type: prebuilt-image, properties: {image: public.ecr.aws/nginx/nginx:1.27}}
        """)
    loaded = load_config(path)
    plant = Plant(CannedWorld(secret_values={"app-db": secret_value}),
                  {"stp-sentinel-app-db-password": "secret app-db.password",
                   "stp-sentinel-app-db-whole": "secret app-db"})
    run = planted_preview(loaded, plant)
    assert isinstance(run.error, StacktapeError), run.captured
    assert "missingKey" in str(run.error)
    leaks = secrets_oracle.find_leaks(run.captured, plant.sentinels)
    assert not leaks, "\n".join(f.render() for f in leaks)


# ---- oracle rules on small hand-built graphs ---------------------------------------------------------


def _codes(recording: Recording, oracle: str) -> list[tuple[str, str]]:
    return sorted((f.code, f.name) for f in check_recording(recording, only=[oracle]).findings)


def _lb_graph() -> None:
    lb_sg = aws.ec2.SecurityGroup("lb-sg-group", vpc_id="vpc-1", ingress=[
        aws.ec2.SecurityGroupIngressArgs(protocol="tcp", from_port=443, to_port=443, cidr_blocks=["0.0.0.0/0"]),
        aws.ec2.SecurityGroupIngressArgs(protocol="tcp", from_port=22, to_port=22, ipv6_cidr_blocks=["::/0"]),
    ])
    lb = aws.lb.LoadBalancer("lb", security_groups=[lb_sg.id], subnets=["subnet-1"])
    not_found = aws.lb.ListenerDefaultActionFixedResponseArgs(content_type="text/plain", status_code="404")
    aws.lb.Listener("https", load_balancer_arn=lb.arn, port=443, protocol="HTTPS", default_actions=[
        aws.lb.ListenerDefaultActionArgs(type="fixed-response", fixed_response=not_found)])
    task_sg = aws.ec2.SecurityGroup("tasks", vpc_id="vpc-1")
    aws.vpc.SecurityGroupIngressRule("from-lb", security_group_id=task_sg.id, referenced_security_group_id=lb_sg.id,
                                     ip_protocol="tcp", from_port=8080, to_port=8080)
    aws.vpc.SecurityGroupIngressRule("from-lb-too-wide", security_group_id=task_sg.id,
                                     referenced_security_group_id=lb_sg.id, ip_protocol="-1")
    aws.vpc.SecurityGroupIngressRule("from-v6-world", security_group_id=task_sg.id, cidr_ipv6="::/0",
                                     ip_protocol="tcp", from_port=8080, to_port=8080)
    aws.ec2.SecurityGroupRule("from-office", type="ingress", security_group_id=task_sg.id, protocol="tcp",
                              from_port=8080, to_port=8080, cidr_blocks=["198.51.100.0/24"])
    other = aws.ec2.SecurityGroup("bastion", vpc_id="vpc-1")
    aws.ec2.SecurityGroupRule("ssh-world", type="ingress", security_group_id=other.id, protocol="tcp",
                              from_port=22, to_port=22, cidr_blocks=["0.0.0.0/0"])
    definitions = json.dumps([{"name": "web", "image": "nginx", "essential": True,
                               "portMappings": [{"containerPort": 8080, "hostPort": 8080, "protocol": "tcp"}]}])
    td = aws.ecs.TaskDefinition("td", family="web", container_definitions=definitions, network_mode="awsvpc",
                                requires_compatibilities=["FARGATE"], cpu="256", memory="512")
    aws.ecs.Service("svc", task_definition=td.arn, network_configuration=aws.ecs.ServiceNetworkConfigurationArgs(
        subnets=["subnet-1"], security_groups=[task_sg.id]))


def test_security_group_rules() -> None:
    codes = _codes(run_offline(_lb_graph), security_groups.ORACLE)
    assert codes == [("lb-world-ingress", "lb-sg-group"), ("task-cidr-ingress", "tasks"),
                     ("task-port-not-mapped", "tasks"), ("task-world-ingress", "tasks"),
                     ("world-ingress", "bastion")]


def _database_graph() -> None:
    def world(name: str, group: aws.ec2.SecurityGroup, port: int) -> None:
        aws.vpc.SecurityGroupIngressRule(name, security_group_id=group.id, cidr_ipv4="0.0.0.0/0", ip_protocol="tcp",
                                         from_port=port, to_port=port)

    public, private, cluster_sg = (aws.ec2.SecurityGroup(n, vpc_id="vpc-1") for n in ("public", "private", "aurora"))
    first = pulumi.ResourceOptions(delete_before_replace=True)  # fixed identifiers (the names oracle's rule)
    for name, group, is_public in (("public-db", public, True), ("private-db", private, False)):
        aws.rds.Instance(name, identifier=name, engine="postgres", instance_class="db.t4g.micro", port=5432,
                         allocated_storage=20, vpc_security_group_ids=[group.id], publicly_accessible=is_public,
                         opts=first)
    world("public-on-port", public, 5432)
    world("public-other-port", public, 22)
    world("private-on-port", private, 5432)
    cluster = aws.rds.Cluster("cluster", cluster_identifier="Bad--Id", engine="aurora-postgresql", port=5432,
                              vpc_security_group_ids=[cluster_sg.id], opts=first)
    aws.rds.ClusterInstance("reader", identifier="reader", cluster_identifier=cluster.id, instance_class="db.r6g.large",
                            engine=aws.rds.EngineType.AURORA_POSTGRESQL, publicly_accessible=True, opts=first)
    world("aurora-on-port", cluster_sg, 5432)


def test_database_rules() -> None:
    recording = run_offline(_database_graph)
    assert _codes(recording, security_groups.ORACLE) == [("db-world-ingress", "private"),
                                                         ("db-world-ingress", "public")]
    assert [(f.code, f.name, f.subject) for f in check_recording(recording, only=[names.ORACLE]).findings] == [
        ("limit", "cluster", "clusterIdentifier")]


def _iam_graph() -> None:
    def trust(principal: Any, action: str = "sts:AssumeRole") -> str:
        return json.dumps({"Version": "2012-10-17",
                           "Statement": [{"Effect": "Allow", "Principal": principal, "Action": action}]})

    aws.iam.Role("anyone", assume_role_policy=trust({"AWS": "*"}))
    aws.iam.Role("bad-service", assume_role_policy=trust({"Service": "ecs-tasks"}))
    aws.iam.Role("bad-action", assume_role_policy=trust({"Service": "lambda.amazonaws.com"}, "sts:GetCallerIdentity"))
    role = aws.iam.Role("fine", assume_role_policy=trust({"Service": "lambda.amazonaws.com"}))
    aws.iam.RolePolicy("not-action", role=role.id, policy=json.dumps({"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "NotAction": ["iam:*"], "Resource": "*"}]}))
    aws.iam.RolePolicy("wildcard", role=role.id, policy=json.dumps({"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Action": ["logs:*"], "Resource": "*"},
        {"Effect": "Deny", "Action": ["s3:DeleteObject"], "Resource": "*"}]}))
    aws.iam.Policy("secret-policy", policy=pulumi.Output.secret("{}"))
    aws.iam.RolePolicyAttachment("admin", role=role.name, policy_arn="arn:aws:iam::aws:policy/AdministratorAccess")


def test_iam_rules() -> None:
    codes = _codes(run_offline(_iam_graph), iam_lint.ORACLE)
    assert codes == [("broad-managed-policy", "admin"), ("not-action", "not-action"),
                     ("opaque-policy", "secret-policy"), ("resource-star", "wildcard"),
                     ("trust-action", "bad-action"), ("trust-principal", "anyone"),
                     ("trust-principal", "bad-service")]


def _names_graph() -> None:
    aws.lb.TargetGroup("tg", name="-starts-with-hyphen", port=80, protocol="HTTP", vpc_id="vpc-1")
    aws.ec2.SecurityGroup("sg", name="sg-looks-like-an-id", description="ok", tags={"aws:reserved": "x"})
    aws.cloudwatch.LogGroup("logs", name="/bad name/with spaces")
    aws.lambda_.Function("fn_with_underscores_is_fine", role="arn:aws:iam::123456789012:role/r", runtime="python3.12",
                         handler="index.handler", code=pulumi.AssetArchive({}))
    aws.lb.TargetGroup("target_group_autonamed", port=80, protocol="HTTP", vpc_id="vpc-1")
    # Replaced under one name: a fixed name needs the suffix of what replaces it, or deleteBeforeReplace.
    replacing = {"port": 80, "protocol": "HTTP", "vpcId": "vpc-1"}
    aws.lb.TargetGroup("tg-suffixed", name=f"web-{replacement_suffix(replacing)}", port=80, protocol="HTTP",
                       vpc_id="vpc-1")
    aws.lb.TargetGroup("tg-stale-suffix", name=f"web-{replacement_suffix(replacing)}", port=8080, protocol="HTTP",
                       vpc_id="vpc-1")
    aws.ec2.SecurityGroup("sg-deleted-first", name="fixed", description="ok", vpc_id="vpc-1",
                          opts=pulumi.ResourceOptions(delete_before_replace=True))
    aws.ec2.SecurityGroup("sg-autonamed", description="ok", vpc_id="vpc-1")


def test_name_rules() -> None:
    findings = check_recording(run_offline(_names_graph), only=[names.ORACLE]).findings
    assert sorted((f.code, f.name, f.subject) for f in findings) == [
        ("charset", "target_group_autonamed", "name"), ("limit", "logs", "name"), ("limit", "sg", "name"),
        ("limit", "tg", "name"), ("replace", "sg", "name"), ("replace", "tg", "name"),
        ("replace", "tg-stale-suffix", "name"), ("tags", "sg", "aws:reserved")]


def test_a_replaced_name_rule_says_what_replaces_the_resource() -> None:
    findings = check_recording(run_offline(_names_graph), only=[names.ORACLE]).findings
    (stale,) = [f for f in findings if f.name == "tg-stale-suffix"]
    assert stale.message == (
        f"name 'web-{replacement_suffix({'port': 80, 'protocol': 'HTTP', 'vpcId': 'vpc-1'})}' stays when a change "
        "of port, protocol, protocolVersion, targetType, vpcId replaces the resource, so the replacement cannot be "
        "created beside it (suffixed expected)")


def _task_graph() -> None:
    broken = [
        {"name": "web", "image": "nginx", "essential": False, "stopTimeout": 300,
         "portMappings": [{"containerPort": 80, "hostPort": 8080, "name": "Port80"}],
         "dependsOn": [{"containerName": "nope", "condition": "START"}],
         "healthCheck": {"command": ["curl", "-f", "localhost"], "interval": 1},
         "logConfiguration": {"logDriver": "awslogs", "options": {"awslogs-group": "g"}},
         "secrets": [{"name": "A", "valueFrom": "my-secret-name-with-a-bad:char"}],
         "environment": [{"name": "A", "value": "1"}]},
        {"name": "init", "image": "busybox latest", "essential": False,
         "portMappings": [{"containerPort": 80, "protocol": "tcp"}]},
    ]
    aws.ecs.TaskDefinition("td", family="fam", container_definitions=json.dumps(broken),
                           network_mode="bridge", requires_compatibilities=["FARGATE"], cpu="256", memory="4096",
                           runtime_platform=aws.ecs.TaskDefinitionRuntimePlatformArgs(cpu_architecture="RISCV"))
    dependencies = [
        {"name": "app", "image": "nginx", "memory": 1024, "dependsOn": [
            {"containerName": "db", "condition": "SUCCESS"}, {"containerName": "cache", "condition": "HEALTHY"}]},
        {"name": "db", "image": "postgres", "dependsOn": [{"containerName": "cache", "condition": "START"}]},
        {"name": "cache", "image": "redis", "dependsOn": [{"containerName": "db", "condition": "START"}],
         "portMappings": [{"containerPort": 6379, "hostPort": 6379}, {"containerPort": 6380, "hostPort": 6380,
                                                                      "name": "p"}]},
        {"name": "dup", "image": "redis", "portMappings": [{"containerPort": 6379}, {"containerPort": 7000,
                                                                                    "name": "p"}]},
        {"name": "dup", "image": "redis"},
    ]
    aws.ecs.TaskDefinition("td2", family="fam2", container_definitions=json.dumps(dependencies),
                           network_mode="awsvpc", requires_compatibilities=["FARGATE"], cpu="256", memory="512",
                           execution_role_arn="arn:aws:iam::123456789012:role/exec")


def test_container_rules() -> None:
    findings = check_recording(run_offline(_task_graph), only=[aws_validity.ORACLE]).findings
    text = "\n".join(f.render() for f in findings)
    for expected in ("td: no container is essential", "dependsOn 'nope': no such container",
                     "stopTimeout is 300", "healthCheck.interval is 1", "healthCheck.command must start with CMD",
                     "awslogs needs option awslogs-region", "awslogs needs option awslogs-stream-prefix",
                     "variable A is set more than once", "valueFrom 'my-secret-name-with-a-bad:char'",
                     "Fargate tasks need networkMode awsvpc", "Fargate memory 4096 is not allowed with cpu 256",
                     "td: containers ['web'] use secrets, awslogs", "port name 'Port80'", "image 'busybox latest'",
                     "runtimePlatform.cpuArchitecture is 'RISCV'",
                     "td2: container 'app': dependsOn 'db': condition SUCCESS cannot be set on an essential",
                     "dependsOn 'cache': condition HEALTHY needs a healthCheck", "dependsOn cycle: db → cache → db",
                     "container name 'dup' is used more than once", "port 6379: also mapped by container 'cache'",
                     "port name 'p' is used twice", "containers reserve memory 1024, more than the task's 512"):
        assert expected in text, f"missing {expected!r} in:\n{text}"
    assert "hostPort must equal" not in text  # bridge mode maps host ports freely


def test_unmapped_task_definition_inputs_are_reported_not_skipped() -> None:
    def program() -> None:
        aws.ecs.TaskDefinition("td", family="fam", container_definitions="[]", track_latest=True,
                               volumes=[aws.ecs.TaskDefinitionVolumeArgs(name="v", host_path="/data")])

    td = run_offline(program).one(aws_validity.TASK_DEFINITION)
    found = aws_validity.check_task_definition(td)
    assert not [f for f in found if f.code == "unmapped-input"], [f.render() for f in found]
    future = replace(td, inputs={**td.inputs, "someFutureInput": 1})
    assert [f.subject for f in aws_validity.check_task_definition(future) if f.code == "unmapped-input"] == [
        "someFutureInput"]

