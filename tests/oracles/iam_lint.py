"""IAM policy documents: parliament's lint, `Resource: "*"`, trust-policy principals, broad managed policies.

Documents checked: `aws:iam/rolePolicy:RolePolicy.policy`, `aws:iam/policy:Policy.policy`,
`aws:iam/userPolicy`/`groupPolicy` `.policy`, `aws:iam/role:Role.inlinePolicies[].policy` (identity
policies) and `aws:iam/role:Role.assumeRolePolicy` (trust policies). Any parliament finding of
severity MEDIUM or above is a finding here. A trust policy has no `Resource` by definition, so
it is linted with `"Resource": "*"` added to each statement (otherwise parliament stops at
"MALFORMED: neither Resource nor NotResource" before checking actions) and its principals get the
checks parliament skips (service principal form, no anonymous principal).

`Resource: "*"` (or an `Allow` with `NotResource`/`NotAction`) is a finding for every action
unless the allow-list names that action with a reason; the allow-list test proves each such
entry is an action AWS itself allows only on "*" (no resource types in the IAM reference).
"""

import json
import re
from dataclasses import dataclass
from functools import cache
from typing import Any

from oracles import OPAQUE, Finding, custom, finding
from stacktape_pulumi.engine import RecordedResource, Recording

ORACLE = "iam"
FAILING_SEVERITIES = ("MEDIUM", "HIGH", "CRITICAL")
# parliament's LOW "could be narrower" notes on the `Resource: "*"` we add to trust policies.
TRUST_IGNORED = ("RESOURCE_STAR", "RESOURCE_EFFECTIVELY_STAR")
IDENTITY_POLICY_TYPES = ("aws:iam/rolePolicy:RolePolicy", "aws:iam/policy:Policy", "aws:iam/userPolicy:UserPolicy",
                         "aws:iam/groupPolicy:GroupPolicy")
ATTACHMENT_TYPES = ("aws:iam/rolePolicyAttachment:RolePolicyAttachment",
                    "aws:iam/policyAttachment:PolicyAttachment")
SERVICE_PRINCIPAL = re.compile(r"[a-z0-9-]+(\.[a-z0-9-]+)*\.amazonaws\.com(\.cn)?")
TRUST_ACTIONS = {"sts:AssumeRole", "sts:TagSession", "sts:SetSourceIdentity", "sts:SetContext",
                 "sts:AssumeRoleWithWebIdentity", "sts:AssumeRoleWithSAML"}
# AWS-managed policies that grant (nearly) everything in an account or service.
BROAD_MANAGED = re.compile(r"arn:aws[a-z-]*:iam::aws:policy/(AdministratorAccess|PowerUserAccess|IAMFullAccess"
                           r"|.*FullAccess.*)")


@dataclass(frozen=True)
class Document:
    resource: RecordedResource
    where: str  # input path, e.g. "policy" or "inlinePolicies[0].policy"
    text: Any
    trust: bool


def documents(recording: Recording) -> list[Document]:
    """Every policy document among the recorded inputs."""
    docs: list[Document] = []
    for r in custom(recording):
        if r.type in IDENTITY_POLICY_TYPES and "policy" in r.inputs:
            docs.append(Document(r, "policy", r.inputs["policy"], trust=False))
        elif r.type == "aws:iam/role:Role":
            if "assumeRolePolicy" in r.inputs:
                docs.append(Document(r, "assumeRolePolicy", r.inputs["assumeRolePolicy"], trust=True))
            for i, inline in enumerate(r.inputs.get("inlinePolicies") or []):
                if isinstance(inline, dict) and "policy" in inline:
                    docs.append(Document(r, f"inlinePolicies[{i}].policy", inline["policy"], trust=False))
    return docs


def check(recording: Recording) -> list[Finding]:
    found: list[Finding] = []
    for doc in documents(recording):
        found += check_document(doc)
    for r in custom(recording):
        if r.type in ATTACHMENT_TYPES:
            arn = r.inputs.get("policyArn")
            if isinstance(arn, str) and BROAD_MANAGED.fullmatch(arn):
                found.append(finding(ORACLE, "broad-managed-policy", r,
                                     f"attaches {arn}, which grants far more than a workload needs", arn))
    return found


def check_document(doc: Document) -> list[Finding]:
    r = doc.resource
    if doc.text in OPAQUE:
        return [finding(ORACLE, "opaque-policy", r, f"{doc.where} is {doc.text}; it cannot be reviewed or linted",
                        doc.where)]
    if not isinstance(doc.text, str):
        return [finding(ORACLE, "not-json", r, f"{doc.where} must be a JSON string, got {type(doc.text).__name__}",
                        doc.where)]
    try:
        policy = json.loads(doc.text)
    except ValueError as exc:
        return [finding(ORACLE, "not-json", r, f"{doc.where} is not JSON: {exc}", doc.where)]
    if not isinstance(policy, dict):
        return [finding(ORACLE, "not-json", r, f"{doc.where} is not a JSON object", doc.where)]
    statements = policy.get("Statement")
    statements = [statements] if isinstance(statements, dict) else statements or []
    found = parliament_findings(doc, policy, statements)
    for stmt in statements:
        if not isinstance(stmt, dict):
            continue
        if doc.trust:
            found += trust_findings(doc, stmt)
        else:
            found += star_findings(doc, stmt)
    return found


def parliament_findings(doc: Document, policy: dict[str, Any], statements: list[Any]) -> list[Finding]:
    import parliament

    if doc.trust:
        with_resource = [{**s, "Resource": "*"} if isinstance(s, dict) and "Resource" not in s
                         and "NotResource" not in s else s for s in statements]
        text = json.dumps({**policy, "Statement": with_resource})
    else:
        text = doc.text
    found: list[Finding] = []
    try:
        items = parliament.analyze_policy_string(text).findings
    except Exception as exc:  # parliament raises on some malformed ARNs instead of reporting them
        return [finding(ORACLE, "parliament:EXCEPTION", doc.resource, f"{doc.where}: parliament failed: {exc}",
                        doc.where)]
    for item in items:
        parliament.enhance_finding(item)
        if item.severity not in FAILING_SEVERITIES or (doc.trust and item.issue in TRUST_IGNORED):
            continue
        detail = item.detail if isinstance(item.detail, str) else json.dumps(item.detail, default=str)
        found.append(finding(ORACLE, f"parliament:{item.issue}", doc.resource,
                             f"{doc.where}: {item.severity} {item.title.strip()}: {detail}", doc.where))
    return found


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value] if value is not None else []


def star_findings(doc: Document, stmt: dict[str, Any]) -> list[Finding]:
    """`Resource: "*"` (or NotResource / NotAction under Allow): each action must be allow-listed."""
    if stmt.get("Effect") != "Allow":
        return []
    r, found = doc.resource, []
    if "NotAction" in stmt:
        found.append(finding(ORACLE, "not-action", r, f"{doc.where}: Allow with NotAction grants every other "
                             "action", "NotAction"))
    star = "NotResource" in stmt or "*" in _list(stmt.get("Resource"))
    if not star:
        return found
    for action in _list(stmt.get("Action")):
        text = str(action)
        if "*" in text or "?" in text:
            why = "a wildcard action on every resource"
        elif needs_star(text):
            why = ("AWS has no resource-level permissions for this action, so \"*\" is required: allow-list it "
                   "in tests/oracles/allowlist.py with the reason")
        else:
            why = "this action supports resource-level permissions: scope Resource to the ARNs it needs"
        found.append(finding(ORACLE, "resource-star", r, f"{doc.where}: {text} on Resource \"*\": {why}", text))
    return found


def trust_findings(doc: Document, stmt: dict[str, Any]) -> list[Finding]:
    r, found = doc.resource, []
    principal = stmt.get("Principal")
    if "NotPrincipal" in stmt:
        found.append(finding(ORACLE, "trust-principal", r, f"{doc.where}: NotPrincipal in a trust policy",
                             "NotPrincipal"))
    principals: list[tuple[str, Any]] = []
    if principal == "*":
        principals.append(("*", "*"))
    elif isinstance(principal, dict):
        principals += [(kind, value) for kind, values in principal.items() for value in _list(values)]
    elif stmt.get("Effect") == "Allow":
        found.append(finding(ORACLE, "trust-principal", r, f"{doc.where}: statement without a Principal",
                             "Principal"))
    for kind, value in principals:
        if value == "*" and stmt.get("Effect") == "Allow" and not stmt.get("Condition"):
            found.append(finding(ORACLE, "trust-principal", r, f"{doc.where}: any principal ({kind}: *) may "
                                 "assume this role", f"{kind}:*"))
        elif kind == "Service" and not (isinstance(value, str) and SERVICE_PRINCIPAL.fullmatch(value)):
            found.append(finding(ORACLE, "trust-principal", r, f"{doc.where}: {value!r} is not an AWS service "
                                 "principal (<service>.amazonaws.com)", f"Service:{value}"))
    for action in _list(stmt.get("Action")):
        if action not in TRUST_ACTIONS:
            found.append(finding(ORACLE, "trust-action", r, f"{doc.where}: {action!r} is not an sts action a "
                                 "trust policy grants", str(action)))
    return found


@cache
def _privileges() -> dict[str, dict[str, list[str]]]:
    """IAM reference (parliament's copy): service prefix → action (lower case) → resource types."""
    import parliament

    table: dict[str, dict[str, list[str]]] = {}
    for service in parliament.iam_definition:
        actions = table.setdefault(service["prefix"].lower(), {})
        for privilege in service["privileges"]:
            actions[privilege["privilege"].lower()] = [t["resource_type"] for t in privilege["resource_types"]]
    return table


def resource_types(action: str) -> list[str] | None:
    """The resource types an action can be scoped to ("" = none), or None for an unknown action."""
    prefix, _, name = action.lower().partition(":")
    return _privileges().get(prefix, {}).get(name)


def needs_star(action: str) -> bool:
    """True when the IAM reference lists no resource type for the action: AWS allows it only on "*"."""
    types = resource_types(action)
    return types is not None and not any(t.strip("*") for t in types)
