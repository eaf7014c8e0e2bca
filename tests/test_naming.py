"""Physical names: replacements never ask for a name their predecessor holds (issue 16), offline."""

from pathlib import Path

import pulumi
import pulumi_aws as aws
import pytest

from stacktape_pulumi.aws.naming import REPLACED_UNDER_ONE_NAME, replacement_suffix, suffixed
from stacktape_pulumi.engine import Recording, run_offline
from stacktape_pulumi.engine.diff import blast_radius, name_collisions
from stacktape_pulumi.engine.preview import preview_config
from stacktape_pulumi.load import load_config

ROOT = Path(__file__).resolve().parent.parent
LB = "aws:lb/loadBalancer:LoadBalancer"
TARGET_GROUP = "aws:lb/targetGroup:TargetGroup"

WORKLOAD_BEHIND_LB = """
resources:
  mainLb:
    type: application-load-balancer
    properties: {{interface: {interface}}}
  web:
    type: multi-container-workload
    properties:
      resources: {{cpu: 0.25, memory: 512}}
      containers:
        - name: site
          packaging: {{type: prebuilt-image, properties: {{image: nginx}}}}
          events:
            - type: application-load-balancer
              properties: {{loadBalancerName: mainLb, containerPort: {port}, priority: 100, paths: ['/*']}}
"""


WORKLOAD_BEHIND_NLB = """
resources:
  broker:
    type: network-load-balancer
    properties:
      listeners: [{{protocol: TCP, port: 1883}}]
  mqtt:
    type: multi-container-workload
    properties:
      resources: {{cpu: 0.25, memory: 512}}
      containers:
        - name: mosquitto
          packaging: {{type: prebuilt-image, properties: {{image: eclipse-mosquitto}}}}
          events:
            - type: network-load-balancer
              properties: {{loadBalancerName: broker, listenerPort: 1883, containerPort: {port}}}
"""


def _preview(tmp_path: Path, *, interface: str = "internet", port: int = 80, template: str = WORKLOAD_BEHIND_LB
             ) -> Recording:
    config = tmp_path / f"{interface}-{port}.yml"
    config.write_text(template.format(interface=interface, port=port))
    return preview_config(load_config(config))


# ---- pure decisions ---------------------------------------------------------------------

@pytest.mark.parametrize(("kind", "replacing", "parts", "name"), [
    ("load-balancer", {"internal": False, "loadBalancerType": "application"}, ("stacktape-dev", "mainLb"),
     f"stacktape-dev-mainLb-{replacement_suffix({'internal': False, 'loadBalancerType': 'application'})}"),
    # Too long: shortened by `fit` to leave 7 characters for the suffix, 32 in all.
    ("target-group", {"port": 80}, ("a-long-project-production", "someWorkload", "mainLb", "80"),
     f"a-long-project-pro-4e72e0-{replacement_suffix({'port': 80})}"),
])
def test_suffixed_names_fit_and_end_in_the_hash_of_what_replaces_them(
        kind: str, replacing: dict[str, object], parts: tuple[str, ...], name: str) -> None:
    assert suffixed(kind, replacing, *parts) == name
    assert len(name) <= 32


def test_the_replacement_suffix_reads_values_as_the_engine_records_them() -> None:
    # The engine hands numbers back as floats and leaves unset inputs out.
    assert replacement_suffix({"port": 80, "protocolVersion": None}) == replacement_suffix({"port": 80.0})
    assert replacement_suffix({"port": 80}) != replacement_suffix({"port": 8080})
    assert len(replacement_suffix({})) == 6


# ---- a replacement-forcing change under the offline engine -------------------------------

def test_an_application_load_balancer_switched_to_internal_is_replaced_under_a_new_name(tmp_path: Path) -> None:
    before, after = _preview(tmp_path), _preview(tmp_path, interface="internal")
    assert "mainLb-load-balancer" in blast_radius(before, after).changed
    assert before.one(LB).inputs["name"] != after.one(LB).inputs["name"]
    assert after.one(LB).inputs["name"] == (
        f"stacktape-dev-mainLb-{replacement_suffix({'internal': True, 'loadBalancerType': 'application'})}")
    assert name_collisions(before, after) == ()


def test_a_new_container_port_gives_the_target_group_a_new_name(tmp_path: Path) -> None:
    before = _preview(tmp_path, port=1883, template=WORKLOAD_BEHIND_NLB)
    after = _preview(tmp_path, port=8883, template=WORKLOAD_BEHIND_NLB)
    old, new = before.one(TARGET_GROUP), after.one(TARGET_GROUP)
    # The same target group (its logical name holds the listener port), replaced: AWS cannot change a port.
    assert old.urn == new.urn
    assert (old.inputs["port"], new.inputs["port"]) == (1883, 8883)
    suffix = replacement_suffix({"port": 8883, "protocol": "TCP", "targetType": "ip", "vpcId": new.inputs["vpcId"]})
    # `stacktape-dev-mqtt-broker-1883` is longer than the 25 characters left: shortened by `fit`.
    assert new.inputs["name"] == f"stacktape-dev-mqtt-c0a31a-{suffix}"
    assert old.inputs["name"] != new.inputs["name"]
    assert name_collisions(before, after) == ()


def _target_group(port: int, *, first: bool) -> None:
    aws.lb.TargetGroup("tg", name="fixed", port=port, protocol="HTTP", vpc_id="vpc-1",
                       opts=pulumi.ResourceOptions(delete_before_replace=first))


@pytest.mark.parametrize(("first", "collisions"), [(False, ("tg",)), (True, ())])
def test_a_fixed_name_collides_unless_the_old_resource_goes_first(first: bool, collisions: tuple[str, ...]) -> None:
    before = run_offline(lambda: _target_group(80, first=first))
    after = run_offline(lambda: _target_group(8080, first=first))
    assert name_collisions(before, after) == collisions


def test_security_groups_and_tables_are_auto_named_and_fixed_names_go_first() -> None:
    """Every example's resources of a type AWS replaces under one name follow the table's strategy."""
    seen: set[str] = set()
    for example in sorted((ROOT / "programs" / "examples").glob("*.yml")):
        for resource in preview_config(load_config(example)).resources:
            rule = REPLACED_UNDER_ONE_NAME.get(resource.type)
            if rule is None:
                continue
            seen.add(rule.strategy)
            named = rule.name_key in resource.inputs
            assert named == (rule.strategy != "auto-name"), resource.urn
            assert resource.delete_before_replace == (rule.strategy == "delete-first"), resource.urn
    assert seen == {"auto-name", "suffixed", "delete-first"}
