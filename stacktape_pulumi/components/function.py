"""`function`: an AWS Lambda function with its role, log group, URL, concurrency and events.

AWS: Lambda (function, published version + alias, provisioned concurrency, function URL,
permissions, event invoke config), IAM (role and inline policies), CloudWatch Logs, EC2
(the function's security group when it joins the stack VPC).
"""

from __future__ import annotations  # see stacktape_pulumi/components/__init__.py

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import pulumi
import pulumi_aws as aws

from stacktape_pulumi.aws import ecs as ecs_plan
from stacktape_pulumi.aws import iam
from stacktape_pulumi.aws.logs import log_group
from stacktape_pulumi.aws.security_groups import group_description, outbound_only_group
from stacktape_pulumi.components.base import StacktapeComponent
from stacktape_pulumi.components.connect import POLICY_NAME as CONNECT_POLICY_NAME
from stacktape_pulumi.components.connect import resolve_connections, runtime_values
from stacktape_pulumi.components.context import StackContext
from stacktape_pulumi.components.function_events import FUNCTION_EVENT_HANDLERS, FunctionEventSite
from stacktape_pulumi.components.http_api_gateway import DEFAULT_CORS_HEADERS
from stacktape_pulumi.components.log_forwarding import LogForwarder
from stacktape_pulumi.components.volumes import plan_function_mount
from stacktape_pulumi.config.models.function import FunctionProps
from stacktape_pulumi.errors import StacktapeError
from stacktape_pulumi.lambda_packaging import PackagedFunction, package_function

if TYPE_CHECKING:  # annotations only: `schema.registry` evaluates them with stacktape_pulumi.args
    from stacktape_pulumi.args import FunctionArgs

KIND = "Function"
DEFAULT_MEMORY = 1024
# The reference's code default (its docs say 10 s): keeps configs that rely on it behaving the same.
DEFAULT_TIMEOUT = 20
DEFAULT_ARCHITECTURE = "x86_64"
DEFAULT_LOG_RETENTION_DAYS = 90
ALIAS_NAME = "stp-live"  # the reference's alias name
LOG_ACTIONS = ["logs:CreateLogStream", "logs:PutLogEvents"]
# What Lambda needs to attach the function to the VPC (AWS documents exactly these, on "*").
NETWORK_INTERFACE_ACTIONS = [
    "ec2:CreateNetworkInterface",
    "ec2:DescribeNetworkInterfaces",
    "ec2:DescribeSubnets",
    "ec2:DeleteNetworkInterface",
    "ec2:AssignPrivateIpAddresses",
    "ec2:UnassignPrivateIpAddresses",
]
NODE_OPTIONS = "NODE_OPTIONS"
# What a function may do with an asynchronous-invocation destination, by the ARN's service.
DESTINATION_ACTIONS = {
    "sqs": "sqs:SendMessage",
    "sns": "sns:Publish",
    "events": "events:PutEvents",
    "lambda": "lambda:InvokeFunction",
}


# ---- pure decisions ---------------------------------------------------------------------

def destination_statement(arn: str) -> dict[str, Any]:
    """The statement letting the function deliver invocation results to `arn` (SQS, SNS, EventBridge, Lambda)."""
    parts = arn.split(":")
    service = parts[2] if len(parts) > 2 and parts[0] == "arn" else ""
    action = DESTINATION_ACTIONS.get(service)
    if action is None:
        raise StacktapeError(f"destination '{arn}' is not the ARN of an SQS queue, SNS topic, EventBridge bus or "
                             "Lambda function")
    return iam.statement([action], [arn])


def url_cors(cors: Any) -> aws.lambda_.FunctionUrlCorsArgs | None:
    """A function URL's CORS: origins and methods default to `*`; `allowedHeaders` is honoured."""
    if cors is None or not cors.enabled:
        return None
    return aws.lambda_.FunctionUrlCorsArgs(
        allow_origins=list(cors.allowedOrigins or ["*"]),
        allow_methods=list(cors.allowedMethods or ["*"]),
        allow_headers=list(cors.allowedHeaders or DEFAULT_CORS_HEADERS),
        allow_credentials=cors.allowCredentials,
        expose_headers=list(cors.exposedResponseHeaders) if cors.exposedResponseHeaders else None,
        max_age=cors.maxAge)


def merge_environment(packaged: Mapping[str, str], user: Mapping[str, Any]) -> dict[str, Any]:
    """The package's variables (e.g. source maps) under the user's; a user `NODE_OPTIONS` is extended, not lost."""
    merged: dict[str, Any] = {**packaged, **user}
    if NODE_OPTIONS in packaged and isinstance(user.get(NODE_OPTIONS), str):
        merged[NODE_OPTIONS] = f"{user[NODE_OPTIONS]} {packaged[NODE_OPTIONS]}".strip()
    return merged


# ---- the component ----------------------------------------------------------------------

class Function(StacktapeComponent[FunctionProps]):
    """A Lambda function packaged from source or a pre-built artifact; its events wire traffic to it."""

    function: aws.lambda_.Function
    """The Lambda function."""
    role: aws.iam.Role
    """The IAM role the function runs as."""
    log_group: aws.cloudwatch.LogGroup | None
    """`/aws/lambda/<function name>`, unless logging is disabled."""
    security_group: aws.ec2.SecurityGroup | None
    """The function's security group when it joins the stack VPC."""
    alias: aws.lambda_.Alias | None
    """The `stp-live` alias holding provisioned concurrency, if any."""
    url: aws.lambda_.FunctionUrl | None
    """The function URL, if enabled."""
    timeout: int
    """Seconds the function may run (default 20)."""
    params: dict[str, pulumi.Output[Any]]
    """The values `$ResourceParam('<name>', '<param>')` reads: arn, name, logGroupArn, url."""

    @property
    def arn(self) -> pulumi.Output[str]:
        """The function's ARN."""
        return self.function.arn

    def __init__(self, name: str, args: FunctionArgs,
                 opts: pulumi.ResourceOptions | None = None, *, context: StackContext | None = None) -> None:
        """Validate `args` (the YAML's `properties`, or a `FunctionProps`), package the code, create the function."""
        super().__init__(KIND, "function", name, args, FunctionProps, opts, context)
        props = self.props
        self.timeout = props.timeout or DEFAULT_TIMEOUT
        self._architecture = props.architecture or DEFAULT_ARCHITECTURE
        self._physical_name = self.context.name("lambda", name)

        # Not a component output (a local artifact, not data another language could use).
        self.packaged: PackagedFunction = self._package()
        self._connections = resolve_connections(self.context, props.connectTo or [], owner=name)
        self.log_group = self._create_log_group()
        self.role = self._create_role()
        self.security_group = self._create_security_group()
        if self.security_group is not None:
            self.context.vpc_clients[name] = self.security_group.id
        self._connections.open_ingress(self, self.security_group.id if self.security_group else None, self.tags)
        # An EFS mount (validate allows one, and only with joinDefaultVpc, so the group exists).
        mounts = [m for m in props.volumeMounts or [] if m.type == "efs"]
        self._mount = (plan_function_mount(self, mounts[0], self.security_group.id)
                       if mounts and self.security_group is not None else None)
        policies = self._create_role_policies()
        self.function = self._create_function(policies)
        self.alias = self._create_alias()
        self._create_destinations()
        self.url = self._create_url()
        self._wire_events()
        self.params = self._params()
        self.publish(self.params)

    # ---- used by events and deployments --------------------------------------------------
    @property
    def target_arn(self) -> pulumi.Output[str]:
        """What integrations invoke: the alias when there is one (it carries provisioned concurrency)."""
        return self.alias.arn if self.alias is not None else self.function.arn

    @property
    def qualifier(self) -> pulumi.Output[str] | None:
        """The alias name for permissions of the invoked alias, or None (the unqualified function)."""
        return self.alias.name if self.alias is not None else None

    # ---- recipe steps --------------------------------------------------------------------
    def _package(self) -> PackagedFunction:
        return package_function(self.resource_name, self.props.packaging, self.props.runtime, self._architecture,
                                base_dir=self.context.base_dir)

    def _create_log_group(self) -> aws.cloudwatch.LogGroup | None:
        group = log_group(f"{self.resource_name}-log-group", f"/aws/lambda/{self._physical_name}", self.props.logging,
                          DEFAULT_LOG_RETENTION_DAYS, self.tags, self.child_opts())
        self.log_forwarder = LogForwarder(self)
        forwarding = self.props.logging.logForwarding if self.props.logging is not None else None
        if group is not None and forwarding is not None:
            self.log_forwarder.forward("", group, forwarding)
        return group

    def _create_role(self) -> aws.iam.Role:
        return iam.service_role(f"{self.resource_name}-role", name=self.context.iam_name(self.resource_name),
                                service="lambda.amazonaws.com", tags=self.tags, opts=self.child_opts())

    def _create_security_group(self) -> aws.ec2.SecurityGroup | None:
        if not self.props.joinDefaultVpc:
            return None
        # No ingress: nothing connects to a function; it connects out (databases, caches, AWS APIs).
        return outbound_only_group(
            f"{self.resource_name}-security-group",
            description=group_description(
                f"Security group associated with {self.resource_name} in stack {self.context.stack_name}"),
            vpc_id=self.context.network().vpc_id, tags=self.tags, opts=self.child_opts())

    def _policy(self, key: str, statements: list[Any]) -> aws.iam.RolePolicy:
        return iam.inline_policy(f"{self.resource_name}-{key}", self.role, key, statements, self.child_opts())

    def _create_role_policies(self) -> list[aws.iam.RolePolicy]:
        """Inline policies: logging to its own group, user statements, VPC interfaces, destinations."""
        policies = []
        if self.log_group is not None:
            arn = self.log_group.arn
            policies.append(self._policy("allow-cloudwatch-logging", [
                iam.statement(LOG_ACTIONS, [arn, pulumi.Output.concat(arn, ":*")])]))
        statements = iam.custom_statements(self.props.iamRoleStatements,
                                           lambda value: runtime_values(self.context, value))
        if statements:
            policies.append(self._policy("custom-iam-role-statements", statements))
        if self._connections.statements:
            policies.append(self._policy(CONNECT_POLICY_NAME, self._connections.statements))
        if self.props.joinDefaultVpc:
            # Lambda's network interfaces have no ARN to scope to before they exist.
            policies.append(self._policy("allow-vpc-network-interfaces",
                                         [iam.statement(NETWORK_INTERFACE_ACTIONS, ["*"])]))
        if self._mount is not None:
            policies.append(self._policy("efs-access", self._mount.statements))
        destinations = self.props.destinations
        targets = [t for t in (destinations.onSuccess, destinations.onFailure) if t] if destinations else []
        if targets:
            arns = [self.context.output_value(t) for t in targets]
            policies.append(self._policy("allow-destinations", [
                pulumi.Output.from_input(arn).apply(destination_statement) for arn in arns]))
        return policies

    def _environment(self) -> aws.lambda_.FunctionEnvironmentArgs | None:
        user: dict[str, Any] = {}
        for var in self.props.environment or []:
            # `$Secret` / `$SsmParam` become secret Outputs: Lambda has no `valueFrom`.
            value = self.context.output_value(var.value)
            user[var.name] = (value.apply(ecs_plan.stringify) if isinstance(value, pulumi.Output)
                              else ecs_plan.stringify(value))
        # connectTo's `STP_*` variables replace user variables of the same name (as the reference).
        # Credential-bearing ones (connection strings) are secret values: Lambda has no `valueFrom`.
        variables = merge_environment(self.packaged.environment, {**user, **self._connections.environment,
                                                                  **self._connections.secret_values()})
        return aws.lambda_.FunctionEnvironmentArgs(variables=variables) if variables else None

    def _create_function(self, policies: list[aws.iam.RolePolicy]) -> aws.lambda_.Function:
        props = self.props
        artifact = self.packaged.artifact
        vpc = None
        if self.security_group is not None:
            vpc = aws.lambda_.FunctionVpcConfigArgs(subnet_ids=self.context.network().public_subnet_ids,
                                                    security_group_ids=[self.security_group.id])
        user_tags = {tag.name: tag.value for tag in props.tags or []}
        depends: list[pulumi.Resource] = list(policies)
        if self.log_group is not None:
            depends.append(self.log_group)
        file_system = None
        if self._mount is not None:
            depends += self._mount.depends_on
            file_system = aws.lambda_.FunctionFileSystemConfigArgs(
                arn=self._mount.access_point.arn, local_mount_path=self._mount.mount_path)
        return aws.lambda_.Function(
            f"{self.resource_name}-function",
            name=self._physical_name,
            role=self.role.arn,
            code=pulumi.FileArchive(str(artifact.path)),
            source_code_hash=artifact.source_code_hash,
            handler=artifact.handler,
            runtime=artifact.runtime,
            architectures=[self._architecture],
            memory_size=props.memory or DEFAULT_MEMORY,
            timeout=self.timeout,
            environment=self._environment(),
            ephemeral_storage=(aws.lambda_.FunctionEphemeralStorageArgs(size=props.storage)
                               if props.storage is not None else None),
            layers=list(props.layers) if props.layers else None,
            reserved_concurrent_executions=props.reservedConcurrency,
            vpc_config=vpc,
            file_system_config=file_system,
            logging_config=(aws.lambda_.FunctionLoggingConfigArgs(log_format="Text", log_group=self.log_group.name)
                            if self.log_group is not None else None),
            # A published version backs the alias that holds provisioned concurrency.
            publish=props.provisionedConcurrency is not None,
            tags={**self.tags, **user_tags},
            opts=self.child_opts(depends_on=depends))

    def _create_alias(self) -> aws.lambda_.Alias | None:
        provisioned = self.props.provisionedConcurrency
        if provisioned is None:
            return None
        alias = aws.lambda_.Alias(f"{self.resource_name}-alias", name=ALIAS_NAME, function_name=self.function.name,
                                  function_version=self.function.version, opts=self.child_opts())
        aws.lambda_.ProvisionedConcurrencyConfig(
            f"{self.resource_name}-provisioned-concurrency", function_name=self.function.name, qualifier=alias.name,
            provisioned_concurrent_executions=provisioned, opts=self.child_opts())
        return alias

    def _create_destinations(self) -> None:
        destinations = self.props.destinations
        if destinations is None or not (destinations.onSuccess or destinations.onFailure):
            return
        config = aws.lambda_.FunctionEventInvokeConfigDestinationConfigArgs(
            on_success=(aws.lambda_.FunctionEventInvokeConfigDestinationConfigOnSuccessArgs(
                destination=self.context.output_value(destinations.onSuccess)) if destinations.onSuccess else None),
            on_failure=(aws.lambda_.FunctionEventInvokeConfigDestinationConfigOnFailureArgs(
                destination=self.context.output_value(destinations.onFailure)) if destinations.onFailure else None))
        aws.lambda_.FunctionEventInvokeConfig(
            f"{self.resource_name}-destinations", function_name=self.function.name, qualifier=self.qualifier,
            destination_config=config, opts=self.child_opts())

    def _create_url(self) -> aws.lambda_.FunctionUrl | None:
        config = self.props.url
        if config is None or not config.enabled:
            return None
        url = aws.lambda_.FunctionUrl(
            f"{self.resource_name}-url", function_name=self.function.name, qualifier=self.qualifier,
            authorization_type=config.authMode,
            invoke_mode="RESPONSE_STREAM" if config.responseStreamEnabled else "BUFFERED",
            cors=url_cors(config.cors), opts=self.child_opts())
        if config.authMode == "NONE":
            # A public URL needs both: invoking the URL, and the function only through that URL.
            aws.lambda_.Permission(
                f"{self.resource_name}-url-public-access", action="lambda:InvokeFunctionUrl",
                function=self.function.name, qualifier=self.qualifier, principal="*",
                function_url_auth_type="NONE", opts=self.child_opts())
            aws.lambda_.Permission(
                f"{self.resource_name}-url-public-invoke", action="lambda:InvokeFunction",
                function=self.function.name, qualifier=self.qualifier, principal="*",
                invoked_via_function_url=True, opts=self.child_opts())
        return url

    def _wire_events(self) -> None:
        for index, event in enumerate(self.props.events or []):
            handler = FUNCTION_EVENT_HANDLERS.get(event.type)
            if handler is None:
                raise StacktapeError(f"{KIND} '{self.resource_name}': event type '{event.type}' is not supported yet; "
                                     f"supported: {', '.join(sorted(FUNCTION_EVENT_HANDLERS))}")
            handler(FunctionEventSite(self, event, index))

    def _params(self) -> dict[str, pulumi.Output[Any]]:
        params: dict[str, pulumi.Output[Any]] = {"arn": self.function.arn, "name": self.function.name}
        if self.log_group is not None:
            params["logGroupArn"] = self.log_group.arn
        if self.url is not None:
            params["url"] = self.url.function_url
        return params
