"""`connectTo`: the IAM statements and `STP_*` environment variables a connection grants.

Pure decisions (variable names, action sets and ARN patterns per target type) and one seam,
`resolve_connections`, which every compute component (workload, function) calls with its
`connectTo` list. Statements are least privilege on the target's exact ARNs; where the
reference grants more than a connection needs, the narrowing is documented below and in
docs/decisions.md. Two helpers serve every statement written in config (`iamRoleStatements`,
bucket and queue policies): `runtime_values` (directives → Outputs) and `with_principal`.
AWS: IAM (statements only; the caller puts them on its role), STS/region lookups for the
`aws:ses` identity ARNs.
"""

from __future__ import annotations  # see stacktape_pulumi/components/__init__.py

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol, runtime_checkable

import pulumi
import pulumi_aws as aws

from stacktape_pulumi.aws.iam import Statement, statement
from stacktape_pulumi.checks.connect_targets import (
    ENV_PARAMS,
    SECRET_PARAMS,
    SES_MACRO,
    env_var_name,
    not_connectable_message,
)
from stacktape_pulumi.directives.parser import DirectiveSyntaxError, Literal, parse
from stacktape_pulumi.errors import StacktapeError

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping, Sequence

    from stacktape_pulumi.components.base import ResourceOwner
    from stacktape_pulumi.components.context import StackContext

POLICY_NAME = "custom-allow-access-to-policy-statements"

# bucket — the reference: `s3:ListBucket, s3:GetBucket*` and `s3:*Object*, s3:Abort*, s3:*MultipartUpload*`.
# Narrowed to listing and to creating, reading, deleting and tagging objects (what the reference's docs
# promise): no bucket-configuration reads, no ACL / retention / legal-hold / restore actions and no
# version-specific reads or permanent version deletes.
BUCKET_ACTIONS = ("s3:GetBucketLocation", "s3:ListBucket")
OBJECT_ACTIONS = (
    "s3:AbortMultipartUpload", "s3:DeleteObject", "s3:DeleteObjectTagging", "s3:GetObject", "s3:GetObjectTagging",
    "s3:ListMultipartUploadParts", "s3:PutObject", "s3:PutObjectTagging",
)
# dynamo-db-table — the reference's `BatchGet*`, `Get*` and `BatchWrite*` wildcards spelled out as the item
# actions they mean; indexes only get the two actions that can use them; `DescribeStream` goes on the table's
# streams (`<table-arn>/stream/*`, the only resource it applies to) instead of the table ARN, and only when
# the table streams.
TABLE_ACTIONS = (
    "dynamodb:BatchGetItem", "dynamodb:BatchWriteItem", "dynamodb:ConditionCheckItem", "dynamodb:DeleteItem",
    "dynamodb:DescribeTable", "dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:Query", "dynamodb:Scan",
    "dynamodb:UpdateItem",
)
INDEX_ACTIONS = ("dynamodb:Query", "dynamodb:Scan")
STREAM_ACTIONS = ("dynamodb:DescribeStream",)
# sqs-queue — the reference's set without `ListQueueTags` (tags are not part of using a queue).
QUEUE_ACTIONS = (
    "sqs:ChangeMessageVisibility", "sqs:DeleteMessage", "sqs:GetQueueAttributes", "sqs:GetQueueUrl",
    "sqs:PurgeQueue", "sqs:ReceiveMessage", "sqs:SendMessage",
)
# sns-topic — the reference's set without `Unsubscribe`, which IAM only authorizes on "*" (any
# subscription of the account); on the topic ARN it grants nothing.
TOPIC_ACTIONS = (
    "sns:ConfirmSubscription", "sns:GetTopicAttributes", "sns:ListSubscriptionsByTopic", "sns:Publish",
    "sns:Subscribe",
)
EVENT_BUS_ACTIONS = ("events:PutEvents",)
# function — as the reference, on the function's exact (unqualified) ARN.
FUNCTION_ACTIONS = ("lambda:InvokeFunction",)
# multi-container-workload — the reference's pair on the exact service ARN (not a `<cluster>*` prefix),
# and no `ecs:ListServices` on "*".
WORKLOAD_ACTIONS = ("ecs:DescribeServices", "ecs:UpdateService")
# aws:ses — the reference grants `ses:*` on "*". Only the sending actions, on the account's identities in
# the stack's region; templated sending and configuration sets are authorized by SES against their own
# ARNs, so those (of the same account and region) are listed too.
SES_SEND_ACTIONS = ("ses:SendBulkTemplatedEmail", "ses:SendEmail", "ses:SendRawEmail", "ses:SendTemplatedEmail")
SES_RESOURCE_TYPES = ("identity", "configuration-set", "template")


# ---- statements per target type (pure: ARNs may be strings or Outputs) ------------------

def _concat(*parts: Any) -> Any:
    """The parts joined: a string when all are known strings, else an Output (ARNs computed by AWS)."""
    if all(isinstance(part, str) for part in parts):
        return "".join(parts)
    return pulumi.Output.concat(*parts)


def _required(params: Mapping[str, Any], key: str, target: str) -> Any:
    if key not in params:
        raise StacktapeError(f"connectTo '{target}': the resource registers no '{key}' parameter to scope access to")
    return params[key]


def bucket_statements(params: Mapping[str, Any], target: str = "bucket") -> list[Statement]:
    """List the bucket; create, read, delete and tag its objects."""
    arn = _required(params, "arn", target)
    return [statement(BUCKET_ACTIONS, [arn]), statement(OBJECT_ACTIONS, [_concat(arn, "/*")])]


def table_statements(params: Mapping[str, Any], target: str = "table") -> list[Statement]:
    """Item reads and writes on the table, queries and scans on its indexes, describe its stream."""
    arn = _required(params, "arn", target)
    statements = [statement(TABLE_ACTIONS, [arn]), statement(INDEX_ACTIONS, [_concat(arn, "/index/*")])]
    if params.get("streamArn") is not None:
        # `<table>/stream/*`, not the stream ARN itself: its label holds colons, which IAM linters misread.
        statements.append(statement(STREAM_ACTIONS, [_concat(arn, "/stream/*")]))
    return statements


def _single(actions: Sequence[str], key: str) -> Callable[[Mapping[str, Any], str], list[Statement]]:
    def statements(params: Mapping[str, Any], target: str = "target") -> list[Statement]:
        return [statement(actions, [_required(params, key, target)])]

    statements.__doc__ = f"{', '.join(actions)} on the target's `{key}`."
    return statements


queue_statements = _single(QUEUE_ACTIONS, "arn")
topic_statements = _single(TOPIC_ACTIONS, "arn")
event_bus_statements = _single(EVENT_BUS_ACTIONS, "arn")
function_statements = _single(FUNCTION_ACTIONS, "arn")
workload_statements = _single(WORKLOAD_ACTIONS, "serviceArn")


def ses_statements(partition: Any, region: Any, account: Any) -> list[Statement]:
    """The SES sending actions on the identities, templates and configuration sets of one account and region."""
    resources = [_concat("arn:", partition, ":ses:", region, ":", account, f":{kind}/*") for kind in SES_RESOURCE_TYPES]
    return [statement(SES_SEND_ACTIONS, resources)]


# ---- target types -----------------------------------------------------------------------

@dataclass(frozen=True)
class TargetKind:
    """What connecting to one resource type means."""

    resource_type: str
    env_params: tuple[str, ...]  # referenceable params injected as STP_* variables, in this order
    statements: Callable[[Mapping[str, Any], str], list[Statement]] | None  # None: not connectable
    # Params holding credentials: injected from the target's connection secret, never as plain values.
    secret_params: tuple[str, ...] = ()


# Keyed by component class name: every component's type token is `stacktape:index:<ClassName>`.
TARGET_KINDS: dict[str, TargetKind] = {
    "Bucket": TargetKind("bucket", ENV_PARAMS["bucket"], bucket_statements),
    "DynamoDbTable": TargetKind("dynamo-db-table", ENV_PARAMS["dynamo-db-table"], table_statements),
    "SqsQueue": TargetKind("sqs-queue", ENV_PARAMS["sqs-queue"], queue_statements),
    "SnsTopic": TargetKind("sns-topic", ENV_PARAMS["sns-topic"], topic_statements),
    "EventBus": TargetKind("event-bus", ENV_PARAMS["event-bus"], event_bus_statements),
    "Function": TargetKind("function", ENV_PARAMS["function"], function_statements),
    "MultiContainerWorkload": TargetKind("multi-container-workload", ENV_PARAMS["multi-container-workload"],
                                         workload_statements),
    "HttpApiGateway": TargetKind("http-api-gateway", ENV_PARAMS["http-api-gateway"], None),
    "ApplicationLoadBalancer": TargetKind("application-load-balancer", ENV_PARAMS["application-load-balancer"], None),
    "NetworkLoadBalancer": TargetKind("network-load-balancer", ENV_PARAMS["network-load-balancer"], None),
    # Reachable through Service Connect or its load balancer: an address, no IAM permission to grant.
    "PrivateService": TargetKind("private-service", ENV_PARAMS["private-service"], lambda params, target: []),
    "WebService": TargetKind("web-service", ENV_PARAMS["web-service"], None),
    "WorkerService": TargetKind("worker-service", ENV_PARAMS["worker-service"], None),
    # Network access, no IAM permission (as the reference): the database's group admits the caller's group.
    "RelationalDatabase": TargetKind("relational-database", ENV_PARAMS["relational-database"],
                                     lambda params, target: [], SECRET_PARAMS["relational-database"]),
    # Containers reach a filesystem through volumeMounts (access points, NFS ingress), not connectTo.
    "EfsFilesystem": TargetKind("efs-filesystem", ENV_PARAMS["efs-filesystem"], None),
}


def target_kind(component: object) -> TargetKind | None:
    """The kind of a built component (subclasses count as their base component)."""
    for cls in type(component).__mro__:
        kind = TARGET_KINDS.get(cls.__name__)
        if kind is not None:
            return kind
    return None


# ---- the seam ---------------------------------------------------------------------------

@dataclass(frozen=True)
class NetworkAccess:
    """How a caller reaches a target over the network (a database): its group, its port, its credentials."""

    security_group_id: pulumi.Output[str]
    port: int
    admits_callers: bool  # False when the group already admits everyone (accessibilityMode internet)
    needs_vpc: bool  # only resources in the stack's VPC can reach it
    secret_arn: pulumi.Output[str]  # the Secrets Manager secret holding the `secret_params`, one JSON key each


@runtime_checkable
class NetworkTarget(Protocol):
    """A component reached over the network (a database)."""

    @property
    def network_access(self) -> NetworkAccess: ...


@dataclass(frozen=True)
class ConnectedSecret:
    """A credential-bearing `STP_*` variable: a JSON key of a Secrets Manager secret, and its value as a secret.

    Containers read it with ECS `valueFrom` (the execution role may read `arn`); Lambda, which has no
    `valueFrom`, gets `value`, a Pulumi secret.
    """

    arn: pulumi.Output[str]
    key: str
    value: pulumi.Output[str]


@dataclass(frozen=True)
class IngressGrant:
    """The caller's security group may reach `target`'s group on `port` (created by the caller, from its group)."""

    target: str
    security_group_id: pulumi.Output[str]
    port: int
    needs_vpc: bool


@dataclass(frozen=True)
class Connections:
    """What a compute resource's `connectTo` grants: statements for its role, variables for its runtime."""

    statements: list[Statement] = field(default_factory=list)
    environment: dict[str, pulumi.Output[str]] = field(default_factory=dict)
    secrets: dict[str, ConnectedSecret] = field(default_factory=dict)
    ingress: list[IngressGrant] = field(default_factory=list)

    def secret_values(self) -> dict[str, pulumi.Output[str]]:
        """The credential-bearing variables as secret values (for Lambda, which has no `valueFrom`)."""
        return {name: secret.value for name, secret in self.secrets.items()}

    def open_ingress(self, owner: ResourceOwner, source_security_group_id: pulumi.Input[str] | None,
                     tags: dict[str, str]) -> None:
        """One rule per grant on the target's group, admitting exactly `source_security_group_id` on its port.

        A caller outside the VPC (no group) cannot reach a VPC-only target: `validate` refuses it for YAML,
        this is the same refusal for Python args.
        """
        for grant in self.ingress:
            if source_security_group_id is None:
                if grant.needs_vpc:
                    raise StacktapeError(f"Function {owner.resource_name} can not connect to the following resources, "
                                         f"unless it is connected to a VPC: {grant.target}. (hint: set "
                                         "joinDefaultVpc: true on the function)")
                continue
            aws.vpc.SecurityGroupIngressRule(
                f"{owner.resource_name}-to-{grant.target}-ingress", security_group_id=grant.security_group_id,
                referenced_security_group_id=source_security_group_id, ip_protocol="tcp", from_port=grant.port,
                to_port=grant.port, description=f"{owner.resource_name} (connectTo) to {grant.target}", tags=tags,
                opts=owner.child_opts())


def resolve_connections(ctx: StackContext, names: Sequence[str], *, owner: str = "<unnamed>") -> Connections:
    """Statements and `STP_*` variables for connecting to `names` (resources of `ctx`, or `aws:ses`).

    Targets must already be built (the stack builder orders them first). Callers attach the
    statements as the inline policy `POLICY_NAME` on their role and add the variables to their
    environment, replacing user variables of the same name (as the reference).
    """
    statements: list[Statement] = []
    environment: dict[str, pulumi.Output[str]] = {}
    secrets: dict[str, ConnectedSecret] = {}
    ingress: list[IngressGrant] = []
    for target in dict.fromkeys(names):
        if target == SES_MACRO:
            identity = ctx.caller_identity()
            partition = ctx.partition()
            statements += ses_statements(partition.partition, ctx.region, identity.account_id)
            continue
        component = ctx.component(target, object)
        kind = target_kind(component)
        if kind is None or kind.statements is None:
            resource_type = kind.resource_type if kind else type(component).__name__
            raise StacktapeError(not_connectable_message(owner, target, resource_type))
        params = ctx.params.get(target, {})
        statements += kind.statements(params, target)
        access = component.network_access if isinstance(component, NetworkTarget) else None
        if access is not None and access.admits_callers:
            ingress.append(IngressGrant(target, access.security_group_id, access.port, access.needs_vpc))
        for param in kind.env_params:
            if param not in params:
                continue
            name = env_var_name(target, param)
            if access is not None and param in kind.secret_params:
                text: pulumi.Output[str] = pulumi.Output.from_input(params[param]).apply(str)
                value: pulumi.Output[str] = pulumi.Output.secret(text)
                secrets[name] = ConnectedSecret(access.secret_arn, param, value)
            else:
                environment[name] = pulumi.Output.from_input(params[param]).apply(str)
    return Connections(statements, environment, secrets, ingress)


def credential_reference(ctx: StackContext, value: object) -> ConnectedSecret | None:
    """`$ResourceParam('<db>', 'connectionString')` (or another credential-bearing param) as its secret's JSON key.

    A container can then read it with `valueFrom`, as connectTo's own variables, instead of carrying the
    password in its task definition (any other way it would be a Pulumi secret masking every definition).
    """
    if not isinstance(value, str):
        return None
    try:
        directive = parse(value)
    except DirectiveSyntaxError:
        return None  # the resolver reports it
    if directive is None or directive.name != "ResourceParam" or directive.path or len(directive.args) != 2:
        return None
    target, param = (arg.value if isinstance(arg, Literal) else None for arg in directive.args)
    component = ctx.components.get(str(target))
    kind = target_kind(component) if component is not None else None
    if kind is None or param not in kind.secret_params or not isinstance(component, NetworkTarget):
        return None
    return ConnectedSecret(component.network_access.secret_arn, str(param), ctx.resource_param(str(target), str(param)))


def runtime_values(ctx: StackContext, value: Any) -> Any:
    """A config value of a policy statement (Resource, Principal, Condition) with runtime directives resolved.

    `$ResourceParam('photos', 'arn')` becomes the bucket's ARN Output; secrets become secret Outputs.
    """
    if isinstance(value, dict):
        return {key: runtime_values(ctx, item) for key, item in value.items()}
    if isinstance(value, list):
        return [runtime_values(ctx, item) for item in value]
    return ctx.output_value(value)


def with_principal(stmt: Statement, principal: Any) -> Statement:
    """A resource-policy statement: `stmt` with `Principal` right after `Effect`."""
    ordered: Statement = {}
    for key, value in stmt.items():
        ordered[key] = value
        if key == "Effect":
            ordered["Principal"] = principal
    return ordered
