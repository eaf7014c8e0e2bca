"""IAM policy documents as plain JSON-able dicts, built from Outputs where ARNs are computed."""

from __future__ import annotations  # see stacktape_pulumi/components/__init__.py

import json
from collections.abc import Sequence
from typing import Any

import pulumi

from stacktape_pulumi.aws.json_output import json_output

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
