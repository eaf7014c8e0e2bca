"""The checks' tables and their two doors: located issues for `validate`, one error for Python users."""

import pytest

from stacktape_pulumi.checks import raise_for
from stacktape_pulumi.checks.registry import ORDERING_RULES, RESOURCE_CHECKS, ordering_rules, problems_of, rule
from stacktape_pulumi.config.loader import load_yaml_text
from stacktape_pulumi.config.models.bucket import BucketProps
from stacktape_pulumi.config.models.root import SUPPORTED_RESOURCE_TYPES
from stacktape_pulumi.errors import Problem, StacktapeError, format_path


def test_every_tabled_type_is_a_supported_resource_type() -> None:
    assert set(RESOURCE_CHECKS) <= set(SUPPORTED_RESOURCE_TYPES)


def test_every_tabled_rule_names_a_function() -> None:
    names = [name for names in RESOURCE_CHECKS.values() for name in names] + [name for _, name in ORDERING_RULES]
    assert [name for name in names if not callable(rule(name))] == []
    assert {resource_type for resource_type, _ in ORDERING_RULES} <= set(SUPPORTED_RESOURCE_TYPES)


def test_ordering_rules_run_for_the_types_they_order() -> None:
    workloads = {"web": {"type": "multi-container-workload"}, "bad": "not a mapping"}
    assert [f.__name__ for f in ordering_rules(workloads)] == ["clients_after_services"]
    functions_and_queues = {"f": {"type": "function"}, "q": {"type": "sqs-queue"}}
    assert [f.__name__ for f in ordering_rules(functions_and_queues)] == [
        "queues_after_their_sources", "functions_after_their_sources", "dead_letter_queues_after_functions"]
    assert ordering_rules({"b": {"type": "bucket"}}) == []


def test_the_python_door_names_every_problem_by_its_property_path() -> None:
    props = BucketProps.model_validate({"cdn": {"enabled": True}, "directoryUpload": {"directoryPath": "web"}})
    with pytest.raises(StacktapeError) as raised:
        raise_for("bucket", "Bucket", "site", props)
    assert str(raised.value) == (
        "Bucket 'site': directoryUpload: directoryUpload is not supported yet (hint: upload files with "
        "pulumi_aws.s3.BucketObjectv2, or `aws s3 sync` after `pulumi up`)\n"
        "Bucket 'site': cdn: cdn is not supported yet (hint: put CloudFront in front of the bucket with "
        "pulumi_aws.cloudfront)")


def test_a_type_without_checks_has_no_problems() -> None:
    raise_for("event-bus", "EventBus", "bus", None)
    assert problems_of("event-bus", "bus", None) == []


def test_a_problem_is_located_below_its_prefix() -> None:
    source = load_yaml_text("resources:\n  site:\n    properties:\n      cdn: {enabled: true}\n", "s.yml").source
    problem = Problem(("cdn",), "cdn is not supported yet", "hint", at_key=True)
    issue = source.locate(problem, ("resources", "site", "properties"))
    assert issue.render() == "s.yml:4:7: resources.site.properties.cdn: cdn is not supported yet (hint: hint)"
    assert format_path(("resources", "api", "containers", 0, "name")) == "resources.api.containers[0].name"
