"""`http-api-gateway`: an API Gateway HTTP API with its `$default` stage, access logs, CORS and custom domains.

AWS: API Gateway v2 (API, stage, domain names, API mappings, VPC links, integrations, routes,
authorizers), CloudWatch Logs, ACM, Route 53, EC2 (the VPC link's security group), Lambda
(authorizer invoke permissions).
"""

from __future__ import annotations  # see stacktape_pulumi/components/__init__.py

import json
import re
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import pulumi
import pulumi_aws as aws

from stacktape_pulumi.aws.domains import CustomDomain
from stacktape_pulumi.aws.logs import log_group
from stacktape_pulumi.aws.naming import fit
from stacktape_pulumi.aws.security_groups import egress_to, group_description
from stacktape_pulumi.components.base import ResourceOwner, StacktapeComponent
from stacktape_pulumi.components.context import StackContext
from stacktape_pulumi.components.log_forwarding import LogForwarder
from stacktape_pulumi.config.models.http_api_gateway import HttpApiGatewayProps
from stacktape_pulumi.config.models.shared import Authorizer, CognitoAuthorizer, CorsConfig
from stacktape_pulumi.errors import StacktapeError

if TYPE_CHECKING:  # annotations only: `schema.registry` evaluates them with stacktape_pulumi.args
    from stacktape_pulumi.args import HttpApiGatewayArgs

KIND = "HttpApiGateway"
DEFAULT_LOG_RETENTION_DAYS = 30
DEFAULT_PAYLOAD_FORMAT = "1.0"
# Headers browsers may send when `cors.allowedHeaders` is not set (the reference's list).
DEFAULT_CORS_HEADERS = ("Content-Type", "X-Amz-Date", "Authorization", "X-Api-Key", "X-Amz-Security-Token",
                        "X-Amz-User-Agent")
DEFAULT_JWT_IDENTITY_SOURCES = ("$request.header.Authorization",)
# Fields of every access log line, whatever the format.
ACCESS_LOG_FIELDS = (
    ("requestId", "$context.requestId"),
    ("ip", "$context.identity.sourceIp"),
    ("requestTime", "$context.requestTime"),
    ("httpMethod", "$context.httpMethod"),
    ("routeKey", "$context.routeKey"),
    ("status", "$context.status"),
    ("protocol", "$context.protocol"),
    ("responseLength", "$context.responseLength"),
)
NAME_LIMIT = 128  # API, VPC link and authorizer names


# ---- pure decisions ---------------------------------------------------------------------

def access_log_format(fmt: str) -> str:
    """The `$context` template of an access log line in `fmt` (CLF, JSON, XML or CSV)."""
    values = dict(ACCESS_LOG_FIELDS)
    if fmt == "JSON":
        return json.dumps(values, separators=(",", ":"))
    if fmt == "CSV":
        return ",".join(values.values())
    if fmt == "XML":
        inner = "".join(f"<{key}>{value}</{key}>" for key, value in ACCESS_LOG_FIELDS if key != "requestId")
        return f'<request id="{values["requestId"]}">{inner}</request>'
    if fmt == "CLF":
        return (f'{values["ip"]} - - [{values["requestTime"]}] "{values["httpMethod"]} {values["routeKey"]} '
                f'{values["protocol"]}" {values["status"]} {values["responseLength"]} {values["requestId"]}')
    raise StacktapeError(f"unknown access log format '{fmt}'; allowed: CLF, JSON, XML, CSV")


def route_key(method: str, path: str) -> str:
    """`$default` for path `*`/`$default`, else `<METHOD> <path>` with `*` as `ANY`."""
    if path in ("*", "$default"):
        return "$default"
    return f"{'ANY' if method == '*' else method} {path}"


def route_slug(key: str) -> str:
    """A route key as a logical-name part: `GET /x/{proxy+}` → `get-x-proxy`."""
    return re.sub(r"[^a-z0-9]+", "-", key.lower()).strip("-") or "root"


def cors_methods(allowed: Sequence[str] | None, route_methods: Sequence[str] | None) -> list[str]:
    """`allowedMethods`, else the routes' methods plus OPTIONS (`*` when a route takes any or none are known)."""
    if allowed:
        return list(allowed)
    if not route_methods or "*" in route_methods:
        return ["*"]
    return sorted({*route_methods, "OPTIONS"})


def lambda_invoke_uri(region: str, function_arn: str) -> str:
    """The URI API Gateway calls a Lambda function (or alias) through."""
    return f"arn:aws:apigateway:{region}:lambda:path/2015-03-31/functions/{function_arn}/invocations"


# ---- the component ----------------------------------------------------------------------

class HttpApiGateway(StacktapeComponent[HttpApiGatewayProps]):
    """An HTTP API with a `$default` auto-deployed stage; events of workloads and functions add routes to it."""

    api: aws.apigatewayv2.Api
    """The HTTP API."""
    stage: aws.apigatewayv2.Stage
    """The `$default` stage, deployed automatically."""
    log_group: aws.cloudwatch.LogGroup | None
    """The access-log group, unless logging is disabled."""
    payload_format: str
    """The payload format version integrations use unless an event says otherwise (`1.0` or `2.0`)."""
    params: dict[str, pulumi.Output[Any]]
    """The values `$ResourceParam('<name>', '<param>')` reads: arn, id, url, domain (and the custom-domain params)."""

    def __init__(self, name: str, args: HttpApiGatewayArgs = {},  # noqa: B006 (read only)
                 opts: pulumi.ResourceOptions | None = None, *, context: StackContext | None = None) -> None:
        super().__init__(KIND, "http-api-gateway", name, args, HttpApiGatewayProps, opts, context)
        props = self.props
        self._vpc_link: tuple[aws.apigatewayv2.VpcLink, aws.ec2.SecurityGroup] | None = None
        self._domain_targets: list[pulumi.Output[str]] = []
        self._integrations: dict[str, aws.apigatewayv2.Integration] = {}
        self._route_names: set[str] = set()
        self.payload_format = props.payloadFormat or DEFAULT_PAYLOAD_FORMAT

        self.api = self._create_api()
        self.log_group = self._create_log_group()
        self.stage = self._create_stage()
        self.domains: list[CustomDomain] = self._create_custom_domains()
        self.params = self._params()
        self.publish(self.params)

    # ---- recipe steps --------------------------------------------------------------------
    def _create_api(self) -> aws.apigatewayv2.Api:
        return aws.apigatewayv2.Api(
            f"{self.resource_name}-api",
            # One name per gateway (the reference names every API of a stack `<stack>-http-api`).
            name=fit(f"{self.context.stack_name}-{self.resource_name}", NAME_LIMIT),
            protocol_type="HTTP",
            cors_configuration=self._cors(self.props.cors),
            tags=self.tags,
            opts=self.child_opts())

    def _cors(self, cors: CorsConfig | None) -> aws.apigatewayv2.ApiCorsConfigurationArgs | None:
        if cors is None or not cors.enabled:
            return None
        return aws.apigatewayv2.ApiCorsConfigurationArgs(
            allow_origins=cors.allowedOrigins or ["*"],
            allow_methods=cors_methods(cors.allowedMethods,
                                       self.context.plan.http_api_methods.get(self.resource_name)),
            # Honoured, unlike the reference, which sends allowedMethods here.
            allow_headers=cors.allowedHeaders or list(DEFAULT_CORS_HEADERS),
            allow_credentials=cors.allowCredentials,
            expose_headers=cors.exposedResponseHeaders,
            max_age=cors.maxAge)

    def _create_log_group(self) -> aws.cloudwatch.LogGroup | None:
        group = log_group(
            f"{self.resource_name}-access-logs",
            f"/aws/vendedlogs/{self.context.stack_name}/api-gateway/{self.resource_name}/access-logs",
            self.props.logging, DEFAULT_LOG_RETENTION_DAYS, self.tags, self.child_opts())
        self.log_forwarder = LogForwarder(self)
        forwarding = self.props.logging.logForwarding if self.props.logging is not None else None
        if group is not None and forwarding is not None:
            self.log_forwarder.forward("", group, forwarding)
        return group

    def _create_stage(self) -> aws.apigatewayv2.Stage:
        access_logs = None
        if self.log_group is not None:
            fmt = self.props.logging.format if self.props.logging is not None else "JSON"
            access_logs = aws.apigatewayv2.StageAccessLogSettingsArgs(
                destination_arn=self.log_group.arn, format=access_log_format(fmt))
        return aws.apigatewayv2.Stage(
            f"{self.resource_name}-stage", api_id=self.api.id, name="$default", auto_deploy=True,
            access_log_settings=access_logs, tags=self.tags, opts=self.child_opts())

    def _create_custom_domains(self) -> list[CustomDomain]:
        domains = []
        for config in self.props.customDomains or []:
            domain = CustomDomain(self.resource_name, config, self.tags, self)
            domain_name = aws.apigatewayv2.DomainName(
                f"{domain.prefix}-domain",
                domain_name=domain.name,
                domain_name_configuration=aws.apigatewayv2.DomainNameDomainNameConfigurationArgs(
                    certificate_arn=domain.certificate_arn(), endpoint_type="REGIONAL", security_policy="TLS_1_2"),
                tags=self.tags, opts=self.child_opts())
            aws.apigatewayv2.ApiMapping(
                f"{domain.prefix}-api-mapping", api_id=self.api.id, domain_name=domain_name.id,
                stage=self.stage.id, opts=self.child_opts())
            target = domain_name.domain_name_configuration
            self._domain_targets.append(target.target_domain_name)
            domain.alias(target.target_domain_name, target.hosted_zone_id)
            domains.append(domain)
        return domains

    def _params(self) -> dict[str, pulumi.Output[Any]]:
        params: dict[str, pulumi.Output[Any]] = {
            "arn": self.api.arn,
            "id": self.api.id,
        }
        names = [domain.name for domain in self.domains]
        if names:
            urls = [f"https://{name}" for name in names]
            params.update({
                "url": pulumi.Output.from_input(urls[0]),
                "domain": pulumi.Output.from_input(names[0]),
                "customDomains": pulumi.Output.from_input(", ".join(names)),
                "customDomainUrl": pulumi.Output.from_input(urls[0]),
                "customDomainUrls": pulumi.Output.from_input(", ".join(urls)),
                "canonicalDomain": pulumi.Output.all(*self._domain_targets).apply(
                    lambda targets: ",".join(str(t) for t in targets)),
            })
        else:
            # No Stacktape default domain outside Stacktape: the API's own endpoint is the address.
            params["url"] = self.api.api_endpoint
            params["domain"] = self.api.api_endpoint.apply(lambda endpoint: endpoint.removeprefix("https://"))
        return params

    # ---- used by the events that route to this gateway -----------------------------------
    def vpc_link(self) -> aws.apigatewayv2.VpcLink:
        """The gateway's VPC link to containers in the stack VPC (created on first use)."""
        return self._vpc_link_resources()[0]

    def vpc_link_security_group(self) -> aws.ec2.SecurityGroup:
        """The VPC link's own security group: tasks admit the gateway's traffic by it."""
        return self._vpc_link_resources()[1]

    def _vpc_link_resources(self) -> tuple[aws.apigatewayv2.VpcLink, aws.ec2.SecurityGroup]:
        if self._vpc_link is None:
            network = self.context.network()
            group = aws.ec2.SecurityGroup(
                f"{self.resource_name}-vpc-link-security-group",
                description=group_description(
                    f"VPC link of HTTP API {self.resource_name} in stack {self.context.stack_name}"),
                vpc_id=network.vpc_id,
                # API Gateway reaches the link's network interfaces without ingress rules; the link
                # only needs to reach the tasks, which admit it by this group.
                egress=egress_to(network.cidr_block, "to tasks in the stack VPC"),
                tags=self.tags, opts=self.child_opts())
            link = aws.apigatewayv2.VpcLink(
                f"{self.resource_name}-vpc-link",
                name=fit(f"{self.context.stack_name}-{self.resource_name}-vpc-link", NAME_LIMIT),
                subnet_ids=network.public_subnet_ids,
                security_group_ids=[group.id],
                tags=self.tags, opts=self.child_opts())
            self._vpc_link = (link, group)
        return self._vpc_link

    def cloud_map_integration(self, owner: ResourceOwner,
                              discovery_service_arn: pulumi.Input[str]) -> aws.apigatewayv2.Integration:
        """One `HTTP_PROXY` integration per owner: through the VPC link to its Cloud Map service."""
        owner_name = owner.resource_name
        if owner_name not in self._integrations:
            self._integrations[owner_name] = aws.apigatewayv2.Integration(
                f"{owner_name}-{self.resource_name}-integration",
                api_id=self.api.id,
                integration_type="HTTP_PROXY",
                integration_method="ANY",
                integration_uri=discovery_service_arn,
                connection_type="VPC_LINK",
                connection_id=self.vpc_link().id,
                payload_format_version="1.0",
                opts=owner.child_opts())
        return self._integrations[owner_name]

    def add_route(self, owner: ResourceOwner, method: str, path: str,
                  integration: aws.apigatewayv2.Integration,
                  authorizer: Authorizer | None = None) -> aws.apigatewayv2.Route:
        """A route (with its authorizer, if any) to an integration, as a child of the resource whose event it is."""
        key = route_key(method, path)
        base = f"{owner.resource_name}-{self.resource_name}-{route_slug(key)}"
        name = base
        suffix = 2
        while name in self._route_names:  # `/a-b` and `/a/b` share a slug
            name = f"{base}-{suffix}"
            suffix += 1
        self._route_names.add(name)
        authorization_type: str | None = None
        authorizer_id: pulumi.Input[str] | None = None
        if authorizer is not None:
            created = self._create_authorizer(owner, name, key, authorizer)
            authorization_type = "JWT" if isinstance(authorizer, CognitoAuthorizer) else "CUSTOM"
            authorizer_id = created.id
        return aws.apigatewayv2.Route(
            f"{name}-route",
            api_id=self.api.id,
            route_key=key,
            target=pulumi.Output.concat("integrations/", integration.id),
            authorization_type=authorization_type,
            authorizer_id=authorizer_id,
            opts=owner.child_opts())

    def _create_authorizer(self, owner: ResourceOwner, name: str, key: str,
                           authorizer: Authorizer) -> aws.apigatewayv2.Authorizer:
        opts = owner.child_opts()
        physical = fit(f"{self.context.stack_name}-{name}", NAME_LIMIT)
        if isinstance(authorizer, CognitoAuthorizer):
            pool = authorizer.properties.userPoolName
            pool_id, client_id = self._user_pool(pool, key)
            return aws.apigatewayv2.Authorizer(
                f"{name}-authorizer",
                api_id=self.api.id,
                name=physical,
                authorizer_type="JWT",
                identity_sources=list(authorizer.properties.identitySources or DEFAULT_JWT_IDENTITY_SOURCES),
                jwt_configuration=aws.apigatewayv2.AuthorizerJwtConfigurationArgs(
                    audiences=[client_id],
                    issuer=pulumi.Output.concat("https://cognito-idp.", self.context.region, ".amazonaws.com/",
                                                pool_id)),
                opts=opts)
        props = authorizer.properties
        if "arn" not in self.context.params.get(props.functionName, {}):
            raise StacktapeError(
                f"{KIND} '{self.resource_name}': route '{key}': the lambda authorizer needs function "
                f"'{props.functionName}' "
                "built first (a component registered with an 'arn' param)")
        function_arn = self.context.params[props.functionName]["arn"]
        created = aws.apigatewayv2.Authorizer(
            f"{name}-authorizer",
            api_id=self.api.id,
            name=physical,
            authorizer_type="REQUEST",
            authorizer_uri=pulumi.Output.all(self.context.region, function_arn).apply(
                lambda values: lambda_invoke_uri(str(values[0]), str(values[1]))),
            authorizer_payload_format_version="2.0",
            identity_sources=list(props.identitySources or []),
            enable_simple_responses=not props.iamResponse,
            authorizer_result_ttl_in_seconds=props.cacheResultSeconds or 0,
            opts=opts)
        aws.lambda_.Permission(
            f"{name}-authorizer-permission",
            action="lambda:InvokeFunction",
            function=function_arn,
            principal="apigateway.amazonaws.com",
            # Only this authorizer of this API may invoke the function.
            source_arn=pulumi.Output.concat(self.api.execution_arn, "/authorizers/", created.id),
            opts=opts)
        return created

    def _user_pool(self, pool: str, key: str) -> tuple[pulumi.Output[Any], pulumi.Output[Any]]:
        params = self.context.params.get(pool) or {}
        if "id" not in params or "clientId" not in params:
            raise StacktapeError(
                f"{KIND} '{self.resource_name}': route '{key}': the cognito authorizer needs user pool '{pool}' "
                "with the "
                "params 'id' and 'clientId'; user-auth-pool resources are not supported yet, register your pool "
                "with StackContext.register_component")
        return params["id"], params["clientId"]
