"""IAM: policy documents as plain JSON-able dicts (built from Outputs where ARNs are computed), and the
roles, inline policies and managed-policy attachments every component creates alike."""

from __future__ import annotations  # see stacktape_pulumi/components/__init__.py

import json
from typing import TYPE_CHECKING, Any

import pulumi
import pulumi_aws as aws

from stacktape_pulumi.aws.json_output import json_output
from stacktape_pulumi.aws.naming import LIMITS, fit

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence

Statement = dict[str, Any]


def assume_role_policy(*services: str) -> str:
    """Trust policy letting the given AWS service principals assume a role."""
    principal: str | list[str] = services[0] if len(services) == 1 else sorted(services)
    return json.dumps({
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Allow", "Principal": {"Service": principal}, "Action": "sts:AssumeRole"}],
    })


def policy_document(statements: Sequence[Statement]) -> pulumi.Output[str]:
    """A policy document JSON string; statements may contain Outputs (ARNs) anywhere."""
    return json_output({"Version": "2012-10-17", "Statement": list(statements)})


def statement(actions: Sequence[str], resources: Sequence[Any], *, effect: str = "Allow",
              sid: str | None = None, condition: dict[str, Any] | None = None) -> Statement:
    stmt: Statement = {}
    if sid:
        stmt["Sid"] = sid
    stmt["Effect"] = effect
    stmt["Action"] = list(actions)
    stmt["Resource"] = list(resources)
    if condition:
        stmt["Condition"] = condition
    return stmt


def service_role(logical_name: str, *, name: pulumi.Input[str], service: str, tags: dict[str, str],
                 opts: pulumi.ResourceOptions | None = None) -> aws.iam.Role:
    """A role one AWS service principal assumes (a function, a task, ECS itself, the scheduler ...)."""
    return aws.iam.Role(logical_name, name=name, assume_role_policy=assume_role_policy(service), tags=tags, opts=opts)


def inline_policy(logical_name: str, role: aws.iam.Role, name: str, statements: Sequence[Statement],
                  opts: pulumi.ResourceOptions | None = None) -> aws.iam.RolePolicy:
    """An inline policy of `role` named `name`, holding `statements`."""
    # IAM allows 128 characters; a name derived from long resource names keeps a hash instead.
    return aws.iam.RolePolicy(logical_name, role=role.id, name=fit(name, LIMITS["iam-policy"]),
                              policy=policy_document(statements), opts=opts)


def managed_policy(logical_name: str, role: aws.iam.Role, policy_arn: str) -> aws.iam.RolePolicyAttachment:
    """An AWS managed policy attached to `role` (a child of the role)."""
    return aws.iam.RolePolicyAttachment(logical_name, role=role.name, policy_arn=policy_arn,
                                        opts=pulumi.ResourceOptions(parent=role))


def custom_statements(statements: Sequence[Any] | None, resolve: Callable[[Any], Any]) -> list[Statement]:
    """A config's `iamRoleStatements` (action `*` and effect Allow unless given), directives resolved by `resolve`."""
    return [statement(s.Action or ["*"], resolve(s.Resource), effect=s.Effect or "Allow", sid=s.Sid,
                      condition=resolve(s.Condition) if s.Condition else None)
            for s in statements or []]
