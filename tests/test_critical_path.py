"""The deploy critical path (engine.critical_path) on small hand-built graphs and on the examples."""

from pathlib import Path

import pytest

from stacktape_pulumi.engine import RecordedResource, Recording
from stacktape_pulumi.engine.critical_path import DEFAULT, EXPLICIT_EDGE_REASONS, critical_path, provisioning
from stacktape_pulumi.engine.preview import preview_config
from stacktape_pulumi.load import load_config

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = sorted((ROOT / "programs" / "examples").glob("*.yml"))

VPC = "aws:ec2/vpc:Vpc"
LB = "aws:lb/loadBalancer:LoadBalancer"
LISTENER = "aws:lb/listener:Listener"
SERVICE = "aws:ecs/service:Service"
DB = "aws:rds/instance:Instance"
ROLE_POLICY = "aws:iam/rolePolicy:RolePolicy"


def resource(urn: str, type_: str, *, data: tuple[str, ...] = (), explicit: tuple[str, ...] = (),
             parent: str | None = None, custom: bool = True) -> RecordedResource:
    return RecordedResource(urn=urn, type=type_, name=urn, parent=parent, custom=custom, inputs={},
                            secret_inputs=[], dependencies=[*data, *explicit],
                            property_dependencies={"input": list(data)} if data else {})


def test_the_longest_weighted_chain_wins_and_data_only_ignores_depends_on() -> None:
    recording = Recording([
        resource("vpc", VPC),
        resource("lb", LB, data=("vpc",)),
        resource("listener", LISTENER, data=("lb",)),
        resource("db", DB, data=("vpc",)),
        resource("policy", ROLE_POLICY),
        # The service reads the VPC's subnets; it waits for the listener and the policy only by dependsOn.
        resource("service", SERVICE, data=("vpc",), explicit=("listener", "policy")),
    ])
    path = critical_path(recording)
    # vpc (2) + db (600) beats vpc (2) + lb (180) + listener (2) + service (180).
    assert path.full.urns == ("vpc", "db")
    assert path.full.seconds == 602
    assert path.data_only.urns == ("vpc", "db")
    assert path.extra_edges == ()


@pytest.mark.parametrize("order", [(0, 1, 2), (0, 2, 1), (2, 1, 0)])
def test_chains_of_equal_length_are_chosen_whatever_the_registration_order(order: tuple[int, ...]) -> None:
    # Two listeners of equal weight behind one load balancer: the chain must not depend on which registered first.
    resources = [resource("lb", LB), resource("listener-a", LISTENER, data=("lb",)),
                 resource("listener-b", LISTENER, data=("lb",))]
    path = critical_path(Recording([resources[index] for index in order]))
    assert path.full.urns == ("lb", "listener-b")
    assert path.full.seconds == 182


def test_an_explicit_edge_on_the_chain_is_named_with_its_reason() -> None:
    recording = Recording([
        resource("vpc", VPC),
        resource("lb", LB, data=("vpc",)),
        resource("listener", LISTENER, data=("lb",)),
        resource("service", SERVICE, data=("vpc",), explicit=("listener",)),
    ])
    path = critical_path(recording)
    assert path.full.urns == ("vpc", "lb", "listener", "service")
    assert path.full.seconds == 2 + 180 + 2 + 180
    assert path.data_only.urns == ("vpc", "lb", "listener")
    assert path.data_only.seconds == 184
    [edge] = path.extra_edges
    assert (edge.dependent, edge.dependency, edge.types) == ("service", "listener", (SERVICE, LISTENER))
    assert edge.reason == EXPLICIT_EDGE_REASONS[(SERVICE, LISTENER)]
    assert path.unjustified == ()


def test_an_unlisted_explicit_edge_is_unjustified() -> None:
    recording = Recording([
        resource("db", DB),
        resource("policy", ROLE_POLICY, explicit=("db",)),
    ])
    path = critical_path(recording)
    assert [(e.dependent, e.dependency, e.reason) for e in path.unjustified] == [("policy", "db", None)]
    assert path.full.seconds == 602
    assert path.data_only.seconds == 600


def test_depending_on_a_component_waits_for_everything_under_it() -> None:
    recording = Recording([
        resource("component", "stacktape:index:RelationalDatabase", custom=False),
        resource("db", DB, parent="component"),
        resource("service", SERVICE, explicit=("component",)),
    ])
    path = critical_path(recording)
    assert path.full.urns == ("db", "service")
    assert path.full.seconds == 780
    assert provisioning("aws:sqs/queue:Queue") == DEFAULT


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.name)
def test_every_explicit_edge_on_an_examples_chain_has_a_reason(path: Path) -> None:
    found = critical_path(preview_config(load_config(path)))
    assert found.unjustified == ()
    assert found.full.seconds >= found.data_only.seconds > 0
