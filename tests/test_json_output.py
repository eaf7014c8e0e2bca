"""`json_output`: one Output for a JSON document with Outputs inside, same text as the nested-Output way."""

import json
from typing import Any

import pulumi
import pulumi_aws as aws

from stacktape_pulumi.aws.json_output import json_output
from stacktape_pulumi.engine import Recording, run_offline


def _policy_input(document: Any) -> Recording:
    def program() -> None:
        role = aws.iam.Role("role", assume_role_policy="{}")
        aws.iam.Policy("policy", policy=json_output(document(role) if callable(document) else document))

    return run_offline(program)


def test_outputs_are_put_back_in_their_places_in_order() -> None:
    rec = _policy_input(lambda role: {"Statement": [
        {"Resource": [role.arn, "arn:aws:s3:::plain"], "Condition": {"StringEquals": {"x": role.name}}},
        ("tuple", role.name),
    ]})
    policy = json.loads(rec.one("aws:iam/policy:Policy").inputs["policy"])
    role = rec.one("aws:iam/role:Role")
    # The canned engine names the role `role-1197229` (auto-naming) with the account's ARN.
    assert policy == {"Statement": [
        {"Resource": ["arn:aws:iam::123456789012:role/role-1197229", "arn:aws:s3:::plain"],
         "Condition": {"StringEquals": {"x": "role-1197229"}}},
        ["tuple", "role-1197229"],
    ]}
    assert rec.one("aws:iam/policy:Policy").dependencies == [role.urn]


def test_a_secret_inside_makes_the_document_secret() -> None:
    rec = _policy_input(lambda role: {"Statement": [{"Sid": pulumi.Output.secret("hidden")}]})
    policy = rec.one("aws:iam/policy:Policy")
    assert (policy.inputs["policy"], policy.secret_inputs) == ("[secret]", ["policy"])


def test_a_document_without_outputs_is_its_json() -> None:
    rec = _policy_input({"Version": "2012-10-17", "Statement": []})
    assert rec.one("aws:iam/policy:Policy").inputs["policy"] == '{"Version": "2012-10-17", "Statement": []}'
