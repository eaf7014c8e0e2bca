"""Generated configs through every oracle: long names, a long stage, odd characters, thirty workloads.

The variants (`generated_configs.py`) rewrite every example and fixture; each is previewed in a
planted world and must give no finding from any oracle (the botocore request table, names, ECS,
IAM, security groups, secrets) and no input outside `aws_requests.UNCHECKED`. The derived names
these configs pushed past AWS's limits have their exact shortened form asserted below.
"""

from pathlib import Path

import pytest
from generated_configs import HUGE, LONG, ODD, VARIANTS, Variant, copy_variant, many_workloads
from oracles import check_recording
from oracles import secrets as secrets_oracle
from oracles.aws_requests import UNCHECKED
from oracles.secrets import planted_world
from test_aws_requests import inputs_of
from test_oracles import CONFIGS, ROOT, config_id, planted_preview

from stacktape_pulumi.aws.naming import name_safe
from stacktape_pulumi.engine import Recording
from stacktape_pulumi.errors import ConfigError
from stacktape_pulumi.load import load_config


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("generated")


def _all_oracles_clean(path: Path, stage: str) -> Recording:
    loaded = load_config(path, stage=stage)
    run = planted_preview(loaded, planted_world(loaded.data, loaded.region))
    recording = run.ok()
    report = check_recording(recording)
    leaks = secrets_oracle.check(recording, run.plant.sentinels, run.captured.items())
    assert not report.findings, report.render()
    assert not leaks, "\n".join(f.render() for f in leaks)
    _, unchecked = inputs_of(recording)
    for type_, paths in unchecked.items():
        assert paths <= set(UNCHECKED.get(type_, {})), (type_, paths)
    return recording


# The variants `validate` refuses, with the error (after the file's path): names that are user-written values.
_Z = "Z" * 200
REFUSED = {
    # A private service's Service Connect alias is its resource name.
    ("huge", "web-service.yml"): f":19:13: resources.users{_Z}.properties.port: String should have at most 127 "
                                 "characters",
}


@pytest.mark.parametrize("variant", VARIANTS, ids=lambda v: v.id)
@pytest.mark.parametrize("path", CONFIGS, ids=config_id)
def test_generated_variant_is_clean(path: Path, variant: Variant, generated: Path) -> None:
    config = copy_variant(path, variant, generated)
    refused = REFUSED.get((variant.id, path.name))
    if refused is not None:
        with pytest.raises(ConfigError) as error:
            load_config(config, stage=variant.stage)
        assert str(error.value) == f"{config}{refused}"
        return
    _all_oracles_clean(config, variant.stage)


def test_thirty_workloads_are_clean(generated: Path) -> None:
    path = generated / "many.yml"
    path.write_text(many_workloads(30))
    recording = _all_oracles_clean(path, LONG.stage)
    assert len(recording.by_type("aws:ecs/service:Service")) == 30
    assert len(recording.by_type("aws:lb/listenerRule:ListenerRule")) == 30


# ---- the derived names the generated configs pushed past AWS's limits -----------------------------------


def test_weekly_refresh_schedule_name_fits_64(generated: Path) -> None:
    recording = _all_oracles_clean(copy_variant(ROOT / "programs" / "examples" / "ec2.yml", LONG, generated),
                                   LONG.stage)
    [schedule] = recording.by_type("aws:scheduler/schedule:Schedule")
    assert schedule.inputs["name"] == "a-rather-long-service-name-for-a-stack-production-eu-west-6d16bf"


def test_cloud_map_service_name_is_one_dns_label(generated: Path) -> None:
    recording = _all_oracles_clean(copy_variant(ROOT / "programs" / "examples" / "buildpack.yml", LONG, generated),
                                   LONG.stage)
    names = sorted(r.inputs["name"] for r in recording.by_type("aws:servicediscovery/service:Service"))
    # 61 characters fit as they are; 72 are cut to 63 with a hash of the whole name.
    assert names == ["api-server-withaverylongsuffixthatkeepsgoingandgoing-http-api",
                     "my-multi-container-workload-withaverylongsuffixthatkeeps-04b590"]


@pytest.mark.parametrize(("text", "safe"), [
    ("shop-prod", "shop-prod"),
    ("shop-prod_eu", "shop-prod-eu-0ea4dc"),
    ("shop-prod-eu", "shop-prod-eu"),
    ("shop-Prod_EU.2", "shop-Prod-EU-2-3bf54f"),
])
def test_stack_name_takes_only_what_every_aws_name_takes(text: str, safe: str) -> None:
    assert name_safe(text) == safe


def test_a_stage_with_underscore_and_dot_gives_valid_load_balancer_names(generated: Path) -> None:
    recording = _all_oracles_clean(copy_variant(ROOT / "programs" / "examples" / "load-balancer.yml", ODD, generated),
                                   ODD.stage)
    names = {t.rsplit(":", 1)[-1]: sorted(r.inputs["name"] for r in recording.by_type(t)) for t in (
        "aws:lb/loadBalancer:LoadBalancer", "aws:lb/targetGroup:TargetGroup", "aws:ecs/cluster:Cluster")}
    assert names == {
        "LoadBalancer": ["My--Odd-Service9-P-0ccd35-661aab"],
        "TargetGroup": ["My--Odd-Service9-P-0e2bfd-d5c42d", "My--Odd-Service9-P-11d68e-06216c"],
        "Cluster": ["My--Odd-Service9-Prod-EU-2-1fe2a6-apiX9-cluster",
                    "My--Odd-Service9-Prod-EU-2-1fe2a6-webX9-cluster"],
    }


def test_huge_resource_names_give_names_and_descriptions_within_limits(generated: Path) -> None:
    """Inline policy (128), log group (512) and security group description (255) keep a hash of the whole."""
    recording = _all_oracles_clean(copy_variant(ROOT / "tests" / "fixtures" / "valid" / "reused-vpc-secrets.yml",
                                                HUGE, generated), HUGE.stage)
    stack = f"{'s' * 60}-{'st' * 20}"
    policy = recording.one("aws:iam/rolePolicy:RolePolicy", f"api{_Z}-execution-secrets").inputs["name"]
    assert policy == f"api{'Z' * 118}-8768be"
    group = recording.one("aws:cloudwatch/logGroup:LogGroup", f"api{_Z}-api{_Z}-logs").inputs["name"]
    assert group == f"/stp/{stack}/ecs/api{_Z}/api{'Z' * 187}-a19603"
    description = recording.one("aws:ec2/securityGroup:SecurityGroup", f"api{_Z}-sg").inputs["description"]
    assert description == f"Security group associated with api{_Z} in stack ssss-f48f0f"
    assert (len(policy), len(group), len(description)) == (128, 512, 255)


def test_huge_resource_names_give_file_names_within_255_bytes(generated: Path) -> None:
    recording = _all_oracles_clean(copy_variant(ROOT / "programs" / "examples" / "buildpack.yml", HUGE, generated),
                                   HUGE.stage)
    dockerfiles = sorted(Path(r.inputs["dockerfile"]["location"]).name
                         for r in recording.by_type("docker-build:index:Image"))
    assert dockerfiles == [f"apiServer{'Z' * 184}-c89add.Dockerfile",
                           f"myContainerWorkload{'Z' * 174}-297280.Dockerfile",
                           f"myMultiContainerWorkload{'Z' * 169}-15252e.Dockerfile",
                           f"myMultiContainerWorkload{'Z' * 169}-b2740c.Dockerfile"]


def test_default_service_connect_alias_and_discovery_name_fit(generated: Path) -> None:
    """A written alias stays; the default (`<workload>-<container>`) fits 127, the discovery name 64."""
    recording = _all_oracles_clean(copy_variant(ROOT / "programs" / "examples" / "service-connect.yml", HUGE,
                                                generated), HUGE.stage)
    service = recording.one("aws:ecs/service:Service", f"users{_Z}-service")
    names = [(s["discoveryName"], [a["dnsName"] for a in s["clientAlias"]])
             for s in service.inputs["serviceConnectConfiguration"]["services"]]
    assert names == [("users", ["users"]),
                     (f"users{'z' * 52}-c0a726", [f"users{'z' * 115}-68e343"])]
