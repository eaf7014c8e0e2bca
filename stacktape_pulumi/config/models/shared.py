"""Config models shared by several resource types, and the helpers their validators use.

Covers IAM statements, log forwarding, custom domains, CDN, alarms, CORS, authorizers,
the HTTP API and load balancer event properties (used by containers and functions),
EFS mounts and language-specific packaging options. Names, enums and defaults follow
the reference (`types/stacktape-config/*.d.ts`, behaviour notes §1).
"""

import re
from collections.abc import Callable, Sequence
from contextvars import ContextVar
from difflib import get_close_matches
from typing import TYPE_CHECKING, Annotated, Any, Literal, Self

from pydantic import AfterValidator, Field, ValidationError, ValidationInfo, model_validator
from pydantic.json_schema import SkipJsonSchema
from pydantic_core import InitErrorDetails

from stacktape_pulumi.config.models.common import (
    HttpMethod,
    OutputValue,
    Port,
    RetentionDays,
    StrictModel,
    located_error,
)
from stacktape_pulumi.errors import KeyPath, Problem

NonEmptyStr = Annotated[str, Field(min_length=1)]
PositiveInt = Annotated[int, Field(ge=1)]
NonNegativeInt = Annotated[int, Field(ge=0)]
Percent = Annotated[float, Field(gt=0, le=100)]

# IAM's action grammar: `service:action` (the service prefix lower case; the action may hold `*` and
# `?` wildcards), or `*` for every action. IAM refuses a policy with any other action.
_IAM_ACTION = re.compile(r"\*|[a-z0-9-]+:[A-Za-z0-9_*?-]+")


def _iam_action(value: str) -> str:
    if _IAM_ACTION.fullmatch(value):
        return value
    service, colon, action = value.partition(":")
    hint = (f"did you mean '{service.lower()}:{action}'? (service prefixes are lower case)"
            if colon and service and _IAM_ACTION.fullmatch(f"{service.lower()}:{action}")
            else "write the service prefix, e.g. s3:GetObject, dynamodb:Query or sqs:SendMessage")
    raise located_error(f"'{value}' is not an IAM action: actions are written service:action, or \"*\"", hint=hint)


IamAction = Annotated[str, Field(min_length=1), AfterValidator(_iam_action)]

# The name of the resource being validated. Set by the root model while it validates the
# `resources` mapping (the key is validated right before its value), so that nested
# validators can name the resource in messages the way the reference does.
RESOURCE_NAME: ContextVar[str | None] = ContextVar("stacktape_resource_name", default=None)

_DIRECTIVE = re.compile(r"^\$[A-Za-z_$][\w$]*\(")


def is_directive(value: object) -> bool:
    """Whether a config string is a directive (`$Var()...`), resolved after validation."""
    return isinstance(value, str) and bool(_DIRECTIVE.match(value)) and ")" in value


def context_value(info: ValidationInfo, key: str) -> Any:
    """A value of the validation context (`model_validate(..., context={...})`), or None."""
    return info.context.get(key) if isinstance(info.context, dict) else None


def current_resource_name(info: ValidationInfo) -> str:
    """The resource name for messages: `context['resource_name']`, else the YAML key."""
    name = context_value(info, "resource_name") or RESOURCE_NAME.get()
    return str(name) if name else "<unnamed>"


class Problems:
    """The problems one model validator finds (`errors.Problem`s below the model), raised together so none is lost."""

    def __init__(self) -> None:
        self.found: list[Problem] = []

    def add(self, message: str, subpath: KeyPath = (), *, hint: str | None = None, at_key: bool = False) -> None:
        """Record a problem at `subpath` below the model being validated."""
        self.found.append(Problem(subpath, message, hint, at_key))

    def raise_if_any(self, title: str) -> None:
        """Raise every recorded problem as one `ValidationError` (pydantic keeps the lines)."""
        if self.found:
            errors = [InitErrorDetails(type=located_error(p.message, subpath=p.path, hint=p.hint, at_key=p.at_key),
                                       loc=(), input=None)
                      for p in self.found]
            raise ValidationError.from_exception_data(title, errors)


def rejecting(message: str, hint: str) -> Callable[[Any], Any]:
    """A validator that turns any value of a field into a located error at its key."""

    def reject(value: Any) -> Any:
        raise located_error(message, hint=hint, at_key=True)

    return reject


# `overrides` patch CloudFormation templates, which stacktape-pulumi does not produce. The
# field exists only to say so; it is left out of JSON schemas.
Overrides = Annotated[SkipJsonSchema[Any], AfterValidator(rejecting(
    "unknown key 'overrides'",
    "stacktape-pulumi has no CloudFormation overrides; change child resources with Pulumi transforms "
    "(pulumi.ResourceOptions(transforms=[...]))",
))]


def format_number(value: float) -> str:
    """`2` and `2.0` both print as `2`, `0.25` as `0.25` (as the reference's messages do)."""
    return f"{value:g}"


# --- IAM, tags, environment -------------------------------------------------------------


class IamRoleStatement(StrictModel):
    """A raw IAM policy statement appended to the resource's role."""

    Sid: str | None = None
    """Optional identifier for this statement."""
    Effect: Literal["Allow", "Deny"] | None = None
    """Allow or deny the actions. Default "Allow" (applied when the policy is built)."""
    Action: list[IamAction] | None = None
    """AWS actions (e.g. `s3:GetObject`). Default ["*"] (applied when the policy is built)."""
    Condition: dict[str, Any] | None = None
    """IAM conditions under which the statement applies."""
    Resource: Annotated[list[NonEmptyStr | OutputValue], Field(min_length=1)]
    """ARNs of the resources the statement applies to; `"*"` for all."""


# What remains of a directive once the config's local directives are resolved: a runtime one.
_RUNTIME_DIRECTIVE = re.compile(r"^\$[A-Za-z_][A-Za-z0-9_]*\(")


def plain_text(what: str) -> Callable[[str], str]:
    """A validator refusing a runtime directive in a value sent to AWS as written (a tag, a rule condition)."""

    def check(value: str) -> str:
        if _RUNTIME_DIRECTIVE.match(value):
            raise located_error(
                f"{what} cannot hold a runtime directive ({value}): it is sent to AWS as plain text, so a "
                "$Secret would be published and a $ResourceParam would never resolve",
                hint="use a literal, or a directive resolved when the config loads ($Stage(), $Var(), $Format(...))")
        return value

    return check


_no_runtime_directive = plain_text("a tag")


class CloudformationTag(StrictModel):
    """A `{name, value}` tag."""

    name: Annotated[str, Field(min_length=1, max_length=128), AfterValidator(_no_runtime_directive)]
    """Tag name, 1-128 characters."""
    value: Annotated[str, Field(min_length=1, max_length=256), AfterValidator(_no_runtime_directive)]
    """Tag value, 1-256 characters."""


class ResourceAccessProps(StrictModel):
    """`connectTo` and `iamRoleStatements`, shared by compute resources."""

    connectTo: list[NonEmptyStr] | None = None
    """Resource names (or `aws:ses`) this resource may access; grants IAM and injects `STP_*` env vars."""
    iamRoleStatements: list[IamRoleStatement] | None = None
    """Raw IAM statements added to the resource's role."""


# --- Log forwarding ---------------------------------------------------------------------


class HttpEndpointLogForwardingProps(StrictModel):
    """Firehose delivery to any HTTP endpoint."""

    endpointUrl: NonEmptyStr
    """HTTPS endpoint URL where logs are sent (Firehose delivers only to `https://` URLs)."""
    gzipEncodingEnabled: bool = False
    """Compress request bodies with GZIP. Default false."""
    parameters: dict[str, str] | None = None
    """Extra metadata sent in the `X-Amz-Firehose-Common-Attributes` header."""
    retryDuration: Annotated[int, Field(ge=0, le=7200)] | None = None
    """Seconds Firehose retries before sending failed logs to the backup bucket. Default 300, range 0-7200."""
    accessKey: str | OutputValue | None = None
    """Credential sent in the `X-Amz-Firehose-Access-Key` header: a `$Secret()` (or, from Python, an Output)."""


class HttpEndpointLogForwarding(StrictModel):
    """Forward logs to an HTTP endpoint."""

    type: Literal["http-endpoint"]
    properties: HttpEndpointLogForwardingProps


class HighlightLogForwardingProps(StrictModel):
    """Delivery to a highlight.io project."""

    projectId: NonEmptyStr
    """The highlight.io project ID."""
    endpointUrl: str | None = None
    """Default "https://pub.highlight.io/v1/logs/firehose"."""


class HighlightLogForwarding(StrictModel):
    """Forward logs to highlight.io."""

    type: Literal["highlight"]
    properties: HighlightLogForwardingProps


class DatadogLogForwardingProps(StrictModel):
    """Delivery to Datadog."""

    apiKey: NonEmptyStr | OutputValue
    """Datadog API key: a `$Secret()` (or, from Python, an Output); never written in the config."""
    endpointUrl: str | None = None
    """Default "https://aws-kinesis-http-intake.logs.datadoghq.com/v1/input"."""


class DatadogLogForwarding(StrictModel):
    """Forward logs to Datadog."""

    type: Literal["datadog"]
    properties: DatadogLogForwardingProps


LogForwarding = Annotated[
    HttpEndpointLogForwarding | HighlightLogForwarding | DatadogLogForwarding, Field(discriminator="type")
]


class ResourceLogging(StrictModel):
    """CloudWatch logging of a container or function."""

    disabled: bool = False
    """Disable logging to CloudWatch. Default false."""
    retentionDays: RetentionDays | None = None
    """Days to keep logs. Default 90."""
    logForwarding: LogForwarding | None = None
    """Forward logs to a third-party destination through Firehose."""


# --- Domains ----------------------------------------------------------------------------


class DomainConfiguration(StrictModel):
    """A custom domain attached to a resource."""

    domainName: NonEmptyStr
    """Domain name without protocol (e.g. `api.example.com`)."""
    customCertificateArn: str | None = None
    """ARN of your own ACM certificate."""
    disableDnsRecordCreation: bool = False
    """Do not create the DNS record. Default false."""


# --- CDN --------------------------------------------------------------------------------


class CacheKeyCookies(StrictModel):
    """Cookies included in the CDN cache key."""

    none: bool | None = None
    """No cookies."""
    whitelist: list[str] | None = None
    """Only these cookies."""
    allExcept: list[str] | None = None
    """All cookies except these."""
    all: bool | None = None
    """All cookies."""


class CacheKeyHeaders(StrictModel):
    """Headers included in the CDN cache key."""

    none: bool | None = None
    """No headers."""
    whitelist: list[str] | None = None
    """Only these headers."""


class CacheKeyQueryString(StrictModel):
    """Query parameters included in the CDN cache key."""

    all: bool | None = None
    """All parameters."""
    none: bool | None = None
    """No parameters."""
    whitelist: list[str] | None = None
    """Only these parameters."""


class CdnCacheKey(StrictModel):
    """What the CDN cache key consists of."""

    cookies: CacheKeyCookies | None = None
    """Cookies in the cache key. Default none."""
    headers: CacheKeyHeaders | None = None
    """Headers in the cache key. Default none (except Accept-Encoding)."""
    queryString: CacheKeyQueryString | None = None
    """Query parameters in the cache key. Default depends on the origin type."""


class CdnCachingOptions(StrictModel):
    """CDN caching behaviour."""

    cacheMethods: list[Literal["GET", "HEAD", "OPTIONS"]] | None = None
    """Methods whose responses are cached (`[GET, HEAD]` or `[GET, HEAD, OPTIONS]`)."""
    minTTL: NonNegativeInt | None = None
    """Minimum seconds objects stay cached."""
    maxTTL: NonNegativeInt | None = None
    """Maximum seconds objects stay cached."""
    defaultTTL: NonNegativeInt | None = None
    """Default seconds objects stay cached."""
    disableCompression: bool = False
    """Disable Gzip/Brotli compression. Default false."""
    cacheKeyParameters: CdnCacheKey | None = None
    """Headers, cookies and query parameters in the cache key."""
    cachePolicyId: str | None = None
    """Use a pre-created cache policy instead."""


class ForwardCookies(StrictModel):
    """Cookies forwarded to the origin."""

    none: bool | None = None
    """No cookies."""
    whitelist: list[str] | None = None
    """Only these cookies."""
    all: bool | None = None
    """All cookies."""


class ForwardHeaders(StrictModel):
    """Headers forwarded to the origin."""

    none: bool | None = None
    """No headers."""
    whitelist: list[str] | None = None
    """Only these headers."""
    allViewer: bool | None = None
    """All viewer headers."""
    allViewerAndWhitelistCloudFront: list[str] | None = None
    """All viewer headers and these CloudFront headers."""
    allExcept: list[str] | None = None
    """All viewer headers except these."""


class ForwardQueryString(StrictModel):
    """Query parameters forwarded to the origin."""

    all: bool | None = None
    """All parameters."""
    none: bool | None = None
    """No parameters."""
    whitelist: list[str] | None = None
    """Only these parameters."""


class CdnCustomRequestHeader(StrictModel):
    """A static header the CDN adds to origin requests."""

    headerName: NonEmptyStr
    """Header name."""
    value: str
    """Header value."""


class CdnForwardingOptions(StrictModel):
    """What the CDN forwards to the origin."""

    customRequestHeaders: list[CdnCustomRequestHeader] | None = None
    """Static headers added to every origin request."""
    allowedMethods: list[Literal["GET", "HEAD", "OPTIONS", "PUT", "PATCH", "POST", "DELETE"]] | None = None
    """Methods forwarded to the origin. Default all."""
    cookies: ForwardCookies | None = None
    """Cookies forwarded. Default all."""
    headers: ForwardHeaders | None = None
    """Headers forwarded. Default all."""
    queryString: ForwardQueryString | None = None
    """Query parameters forwarded. Default all."""
    originRequestPolicyId: str | None = None
    """Use a pre-created origin request policy instead."""


class EdgeFunctionsConfig(StrictModel):
    """`edge-lambda-function` resources run by the CDN."""

    onRequest: str | None = None
    """Runs on viewer request."""
    onResponse: str | None = None
    """Runs on viewer response."""
    onOriginRequest: str | None = None
    """Runs on origin request."""
    onOriginResponse: str | None = None
    """Runs on origin response."""


class CdnLoadBalancerOrigin(StrictModel):
    """An application load balancer as a CDN route origin."""

    loadBalancerName: NonEmptyStr
    """Name of the application-load-balancer resource."""
    listenerPort: Port | None = None
    """Listener port; required when the load balancer has custom listeners."""
    originDomainName: str | None = None
    """Explicit origin domain (no customDomains but customCertificateArns)."""


class CdnLoadBalancerRoute(StrictModel):
    """Route to an application load balancer."""

    type: Literal["application-load-balancer"]
    properties: CdnLoadBalancerOrigin


class CdnHttpApiGatewayOrigin(StrictModel):
    """An HTTP API Gateway as a CDN route origin."""

    httpApiGatewayName: NonEmptyStr
    """Name of the http-api-gateway resource."""


class CdnHttpApiGatewayRoute(StrictModel):
    """Route to an HTTP API Gateway."""

    type: Literal["http-api-gateway"]
    properties: CdnHttpApiGatewayOrigin


class CdnBucketOrigin(StrictModel):
    """A bucket as a CDN route origin."""

    bucketName: NonEmptyStr
    """Name of the bucket resource."""
    disableUrlNormalization: bool = False
    """Disable clean-URL normalization. Default false."""


class CdnBucketRoute(StrictModel):
    """Route to a bucket."""

    type: Literal["bucket"]
    properties: CdnBucketOrigin


class CdnCustomOrigin(StrictModel):
    """Any domain as a CDN route origin."""

    domainName: NonEmptyStr
    """Origin domain name."""
    protocol: Literal["HTTP", "HTTPS"] = "HTTPS"
    """Protocol to the origin. Default HTTPS."""
    port: Port | None = None
    """Origin port. Default 443 for HTTPS, 80 for HTTP."""


class CdnCustomDomainRoute(StrictModel):
    """Route to a custom origin."""

    type: Literal["custom-origin"]
    properties: CdnCustomOrigin


class CdnLambdaFunctionOrigin(StrictModel):
    """A function as a CDN route origin."""

    functionName: NonEmptyStr
    """Name of the function resource."""


class CdnLambdaFunctionRoute(StrictModel):
    """Route to a function."""

    type: Literal["function"]
    properties: CdnLambdaFunctionOrigin


CdnRouteTarget = Annotated[
    CdnLoadBalancerRoute
    | CdnHttpApiGatewayRoute
    | CdnBucketRoute
    | CdnCustomDomainRoute
    | CdnLambdaFunctionRoute,
    Field(discriminator="type"),
]


class CdnRouteRewrite(StrictModel):
    """Send requests matching `path` to another origin or with other caching."""

    path: NonEmptyStr
    """Path pattern (wildcards `*` allowed)."""
    routePrefix: str | None = None
    """Prefix added to the origin request path."""
    routeTo: CdnRouteTarget | None = None
    """Origin for matching requests. Default the resource the CDN is attached to."""
    cachingOptions: CdnCachingOptions | None = None
    """Caching for matching requests."""
    forwardingOptions: CdnForwardingOptions | None = None
    """Forwarding for matching requests."""
    edgeFunctions: EdgeFunctionsConfig | None = None
    """Edge functions for matching requests."""


class CdnConfiguration(StrictModel):
    """A CloudFront distribution in front of the resource."""

    enabled: bool
    """Enable the CDN."""
    cachingOptions: CdnCachingOptions | None = None
    """Caching behaviour."""
    forwardingOptions: CdnForwardingOptions | None = None
    """What is forwarded to the origin."""
    routeRewrites: list[CdnRouteRewrite] | None = None
    """Per-path origins; first match wins."""
    customDomains: list[DomainConfiguration] | None = None
    """Custom domains of the distribution."""
    edgeFunctions: EdgeFunctionsConfig | None = None
    """Edge functions of the default route."""
    cloudfrontPriceClass: Literal["PriceClass_100", "PriceClass_200", "PriceClass_All"] = "PriceClass_All"
    """Edge locations used. Default PriceClass_All."""
    defaultRoutePrefix: str | None = None
    """Prefix added to origin request paths."""
    errorDocument: str | None = None
    """Document served for origin 404s. Default /404.html."""
    indexDocument: str | None = None
    """Document served for `/`. Default /index.html."""
    disableInvalidationAfterDeploy: bool = False
    """Keep the cache after a deploy. Default false."""
    useFirewall: str | None = None
    """Name of a web-app-firewall resource."""


# --- Alarms -----------------------------------------------------------------------------


class AlarmEvaluation(StrictModel):
    """How the alarm metric is evaluated."""

    period: Annotated[int, Field(ge=60, multiple_of=60)] | None = None
    """Seconds of one evaluation period, a multiple of 60. Default 60."""
    evaluationPeriods: PositiveInt | None = None
    """Recent periods evaluated. Default 1."""
    breachedPeriods: PositiveInt | None = None
    """Periods (of evaluationPeriods) that must breach. Default 1."""


class SlackIntegrationProps(StrictModel):
    """Slack notification target."""

    conversationId: NonEmptyStr
    """Channel or conversation ID."""
    accessToken: NonEmptyStr
    """Bot user OAuth token."""


class SlackIntegration(StrictModel):
    """Notify a Slack conversation."""

    type: Literal["slack"]
    properties: SlackIntegrationProps | None = None


class MsTeamsIntegrationProps(StrictModel):
    """MS Teams notification target."""

    webhookUrl: NonEmptyStr
    """Incoming webhook URL of the channel."""


class MsTeamsIntegration(StrictModel):
    """Notify an MS Teams channel."""

    type: Literal["ms-teams"]
    properties: MsTeamsIntegrationProps | None = None


class EmailIntegrationProps(StrictModel):
    """Email notification target."""

    sender: NonEmptyStr
    """Sender address."""
    recipient: NonEmptyStr
    """Recipient address."""


class EmailIntegration(StrictModel):
    """Notify by email."""

    type: Literal["email"]
    properties: EmailIntegrationProps


AlarmNotificationTarget = Annotated[
    MsTeamsIntegration | SlackIntegration | EmailIntegration, Field(discriminator="type")
]
ComparisonOperator = Literal[
    "GreaterThanThreshold", "GreaterThanOrEqualToThreshold", "LessThanThreshold", "LessThanOrEqualToThreshold"
]
StatisticFunction = Literal["avg", "p90", "p95", "p99", "min", "max", "sum"]


class ThresholdPercentProps(StrictModel):
    """A percentage threshold."""

    thresholdPercent: Annotated[float, Field(ge=0, le=100)]
    """Fires when the metric exceeds this percentage."""
    comparisonOperator: ComparisonOperator | None = None
    """Comparison against the threshold. Default GreaterThanThreshold."""


class ThresholdMillisecondsProps(StrictModel):
    """A latency threshold."""

    thresholdMilliseconds: Annotated[float, Field(ge=0)]
    """Fires when the latency exceeds this many milliseconds."""
    statistic: StatisticFunction | None = None
    """Aggregation within a period. Default avg."""
    comparisonOperator: ComparisonOperator | None = None
    """Comparison against the threshold. Default GreaterThanThreshold."""


class AlarmBase(StrictModel):
    """Fields every resource alarm has."""

    evaluation: AlarmEvaluation | None = None
    """Evaluation window."""
    notificationTargets: list[AlarmNotificationTarget] | None = None
    """Where notifications go."""
    description: str | None = None
    """Description used in notifications."""


class HttpApiGatewayErrorRateTrigger(StrictModel):
    """4xx/5xx rate of an HTTP API."""

    type: Literal["http-api-gateway-error-rate"]
    properties: ThresholdPercentProps


class HttpApiGatewayLatencyTrigger(StrictModel):
    """Latency of an HTTP API."""

    type: Literal["http-api-gateway-latency"]
    properties: ThresholdMillisecondsProps


class HttpApiGatewayAlarm(AlarmBase):
    """An alarm on an HTTP API Gateway."""

    trigger: Annotated[
        HttpApiGatewayErrorRateTrigger | HttpApiGatewayLatencyTrigger, Field(discriminator="type")
    ]
    """What fires the alarm."""


class UnhealthyTargetsProps(ThresholdPercentProps):
    """Unhealthy target percentage threshold."""

    onlyIncludeTargets: list[NonEmptyStr] | None = None
    """Only monitor these target workloads. Default all targets."""


class ApplicationLoadBalancerErrorRateTrigger(StrictModel):
    """4xx/5xx rate of a load balancer."""

    type: Literal["application-load-balancer-error-rate"]
    properties: ThresholdPercentProps


class ApplicationLoadBalancerUnhealthyTargetsTrigger(StrictModel):
    """Unhealthy targets of a load balancer."""

    type: Literal["application-load-balancer-unhealthy-targets"]
    properties: UnhealthyTargetsProps


class ApplicationLoadBalancerAlarm(AlarmBase):
    """An alarm on an application load balancer."""

    trigger: Annotated[
        ApplicationLoadBalancerErrorRateTrigger | ApplicationLoadBalancerUnhealthyTargetsTrigger,
        Field(discriminator="type"),
    ]
    """What fires the alarm."""


class LambdaErrorRateTrigger(StrictModel):
    """Failed invocation rate of a function."""

    type: Literal["lambda-error-rate"]
    properties: ThresholdPercentProps


class LambdaDurationTrigger(StrictModel):
    """Execution time of a function."""

    type: Literal["lambda-duration"]
    properties: ThresholdMillisecondsProps


class LambdaAlarm(AlarmBase):
    """An alarm on a function."""

    trigger: Annotated[LambdaErrorRateTrigger | LambdaDurationTrigger, Field(discriminator="type")]
    """What fires the alarm."""


# --- CORS, authorizers ------------------------------------------------------------------


class CorsConfig(StrictModel):
    """CORS of an HTTP API or a function URL."""

    enabled: bool
    """Enable CORS."""
    allowedOrigins: list[NonEmptyStr] | None = None
    """Allowed origins. Default ["*"]."""
    allowedHeaders: list[NonEmptyStr] | None = None
    """Allowed request headers."""
    allowedMethods: list[HttpMethod] | None = None
    """Allowed methods. Default: the methods of the integrations (HTTP API) or ["*"] (URL)."""
    allowCredentials: bool | None = None
    """Allow cookies and auth headers."""
    exposedResponseHeaders: list[NonEmptyStr] | None = None
    """Response headers visible to browser JavaScript."""
    maxAge: NonNegativeInt | None = None
    """Seconds browsers may cache preflight responses."""


class CognitoAuthorizerProperties(StrictModel):
    """JWT authorizer backed by a user pool."""

    userPoolName: NonEmptyStr
    """Name of the user-auth-pool resource."""
    identitySources: list[NonEmptyStr] | None = None
    """Where the token is read. Default ["$request.header.Authorization"]."""


class CognitoAuthorizer(StrictModel):
    """Cognito JWT authorizer."""

    type: Literal["cognito"]
    properties: CognitoAuthorizerProperties


class LambdaAuthorizerProperties(StrictModel):
    """Request authorizer backed by a function."""

    functionName: NonEmptyStr
    """Name of the function resource."""
    iamResponse: bool = False
    """The function returns an IAM policy instead of a simple response. Default false."""
    identitySources: list[NonEmptyStr] | None = None
    """Identity sources. Default []."""
    cacheResultSeconds: Annotated[int, Field(ge=0, le=3600)] | None = None
    """Seconds the result is cached. Default 0, range 0-3600 (API Gateway limit)."""


class LambdaAuthorizer(StrictModel):
    """Lambda request authorizer."""

    type: Literal["lambda"]
    properties: LambdaAuthorizerProperties


Authorizer = Annotated[CognitoAuthorizer | LambdaAuthorizer, Field(discriminator="type")]


# --- Event properties shared by containers and functions -------------------------------


class LbHeaderCondition(StrictModel):
    """Match a request header."""

    headerName: NonEmptyStr
    """Header name."""
    values: Annotated[list[Annotated[str, AfterValidator(plain_text("a rule condition"))]], Field(min_length=1)]
    """Accepted values (case-insensitive)."""


class LbQueryParamCondition(StrictModel):
    """Match a query parameter."""

    paramName: NonEmptyStr
    """Parameter name."""
    values: Annotated[list[Annotated[str, AfterValidator(plain_text("a rule condition"))]], Field(min_length=1)]
    """Accepted values (case-insensitive)."""


class ApplicationLoadBalancerIntegrationProps(StrictModel):
    """A listener rule on an application load balancer."""

    loadBalancerName: NonEmptyStr
    """Name of the application-load-balancer resource."""
    listenerPort: Port | None = None
    """Listener port; required exactly when the load balancer has custom listeners."""
    priority: Annotated[int, Field(ge=1, le=50000)]
    """Rule priority (lowest is evaluated first), range 1-50000; unique per listener."""
    paths: list[NonEmptyStr] | None = None
    """Path patterns (`*` and `?` wildcards)."""
    methods: list[NonEmptyStr] | None = None
    """HTTP methods."""
    hosts: list[NonEmptyStr] | None = None
    """Host header patterns."""
    headers: list[LbHeaderCondition] | None = None
    """Header conditions (all must match)."""
    queryParams: list[LbQueryParamCondition] | None = None
    """Query parameter conditions (all must match)."""
    sourceIps: list[NonEmptyStr] | None = None
    """Source CIDRs."""

    @model_validator(mode="after")
    def _needs_a_condition(self, info: ValidationInfo) -> Self:
        conditions = (self.paths, self.headers, self.hosts, self.methods, self.queryParams, self.sourceIps)
        # Empty lists count as absent, as in the reference (a rule needs a real condition).
        if not any(conditions):
            problems = Problems()
            problems.add(
                f"Error in workload: {current_resource_name(info)}. At least one of the \"paths\", "
                "\"headers\", \"hosts\", \"methods\", \"queryParams\" or \"sourceIps\" properties must be "
                "present when using loadBalancer event integration.",
                hint="for example paths: ['*']",
            )
            problems.raise_if_any(type(self).__name__)
        return self


class HttpApiIntegrationProps(StrictModel):
    """A route on an HTTP API Gateway."""

    httpApiGatewayName: NonEmptyStr
    """Name of the http-api-gateway resource."""
    method: HttpMethod
    """HTTP method, or `*` for any."""
    path: NonEmptyStr
    """`/x`, `/x/{id}`, `/x/{proxy+}`, or `*` / `$default` for the default route."""
    authorizer: Authorizer | None = None
    """Protect the route with an authorizer."""
    payloadFormat: Literal["1.0", "2.0"] | None = None
    """Payload format. Default: the gateway's payloadFormat, else "1.0"."""

    @model_validator(mode="after")
    def _route_key(self, info: ValidationInfo) -> Self:
        problems = Problems()
        if self.path in ("*", "$default"):
            if self.method != "*":
                problems.add(
                    f"Error in compute resource {current_resource_name(info)}. HttpApi event: If you specify "
                    "path \"*\" (\"$default\") the only allowed method is \"*\" (ANY)",
                    ("method",),
                )
        elif not self.path.startswith("/"):
            problems.add(f"route path '{self.path}' must start with \"/\" (API Gateway route keys are "
                         "`METHOD /path`)", ("path",), hint=f"write '/{self.path}'")
        else:
            # API Gateway accepts a greedy path variable (`{name+}`) only as the last segment of a route.
            segments = self.path.split("/")
            greedy = [s for s in segments[:-1] if s.startswith("{") and s.endswith("+}")]
            if greedy:
                problems.add(f"route path '{self.path}': the greedy path variable {greedy[0]} must be the last "
                             "segment of the path", ("path",),
                             hint=f"end the path with it, e.g. '{'/'.join(segments[:segments.index(greedy[0]) + 1])}'")
        problems.raise_if_any(type(self).__name__)
        return self


# EFS access point `Path` (botocore `efs` model): "/" or 1-4 directories, at most 100 characters.
EFS_PATH = re.compile(r"^(\/|(\/(?!\.)+[^$#<>;`|&?{}^*/\n]+){1,4})$")
EFS_PATH_MAX = 100


class EfsMountProps(StrictModel):
    """An EFS filesystem mounted into a container."""

    efsFilesystemName: NonEmptyStr
    """Name of the efs-filesystem resource."""
    rootDirectory: str | None = None
    """Directory of the filesystem to mount (created on first mount). Default "/"."""
    mountPath: NonEmptyStr
    """Absolute path where the volume appears."""

    @model_validator(mode="after")
    def _paths(self) -> Self:
        problems = Problems()
        root = self.rootDirectory
        if root is not None and (len(root) > EFS_PATH_MAX or not EFS_PATH.fullmatch(root)):
            problems.add(f"rootDirectory '{root}' is not a directory EFS accepts: '/' or one to four directories "
                         f"below it, at most {EFS_PATH_MAX} characters, no '.' names or $#<>;`|&?{{}}^* characters",
                         ("rootDirectory",), hint="e.g. /uploads or /app/media")
        if not self.mountPath.startswith("/") or self.mountPath.rstrip("/") == "":
            problems.add(f"mountPath '{self.mountPath}' must be an absolute path below '/'", ("mountPath",),
                         hint="e.g. /data")
        problems.raise_if_any(type(self).__name__)
        return self


class EfsMount(StrictModel):
    """`{type: efs, properties}` volume mount."""

    type: Literal["efs"]
    properties: EfsMountProps


# --- Packaging options shared by image and Lambda buildpacks -----------------------------

if TYPE_CHECKING:
    # mypy has no float literal types; pydantic validates the Literals below.
    PythonVersion = float
    RubyVersion = float
    PhpVersion = float
else:
    PythonVersion = Literal[2.7, 3.6, 3.7, 3.8, 3.9, 3.11, 3.12, 3.13, 3.14]
    RubyVersion = Literal[3.2, 3.3]
    PhpVersion = Literal[8.2, 8.3]


class LanguageSpecificConfig(StrictModel):
    """Language-specific packaging options.

    The reference types this as a union of per-language objects whose fields are all
    optional; one model with every field keeps "did you mean" for misspelled keys.
    """

    tsConfigPath: str | None = None
    """JS/TS: path to tsconfig.json (path aliases)."""
    emitTsDecoratorMetadata: bool | None = None
    """JS/TS: emit decorator metadata (NestJS, TypeORM)."""
    dependenciesToExcludeFromBundle: list[str] | None = None
    """JS/TS: dependencies kept out of the bundle (`*` for all)."""
    outputModuleFormat: Literal["cjs", "esm"] | None = None
    """JS/TS: output module format. Default cjs."""
    nodeVersion: Literal[16, 17, 18, 19, 20, 21, 22, 23, 24] | None = None
    """JS/TS: Node.js major version. Default 24 for containers, from the runtime for functions."""
    disableSourceMaps: bool | None = None
    """JS/TS: do not generate source maps."""
    outputSourceMapsTo: str | None = None
    """JS/TS: write source maps to this local directory instead."""
    dependenciesToExcludeFromDeploymentPackage: list[str] | None = None
    """JS/TS: non-bundled dependencies left out of the package."""
    packageManagerFile: str | None = None
    """Python/Java: requirements.txt, Pipfile, pyproject.toml, pom.xml or build.gradle."""
    packageManager: Literal["uv"] | None = None
    """Python: package manager (only uv)."""
    uvOptionalDependencies: list[str] | None = None
    """Python: pyproject extras."""
    uvWithGroups: list[str] | None = None
    """Python: dependency groups to include."""
    uvWithoutGroups: list[str] | None = None
    """Python: dependency groups to exclude."""
    uvOnlyGroups: list[str] | None = None
    """Python: only these dependency groups."""
    pythonVersion: PythonVersion | None = None
    """Python: version. Default 3.9 (reference)."""
    runAppAs: Literal["WSGI", "ASGI"] | None = None
    """Python (image buildpack only): run the app as WSGI or ASGI."""
    minify: bool | None = None
    """Python: minify code. Default true."""
    useMaven: bool | None = None
    """Java: use Maven instead of Gradle."""
    javaVersion: Literal[8, 11, 17, 19] | None = None
    """Java: version. Default 11."""
    rubyVersion: RubyVersion | None = None
    """Ruby: version. Default 3.3."""
    phpVersion: PhpVersion | None = None
    """PHP: version. Default 8.3."""
    projectFile: str | None = None
    """.NET: path to the .csproj file."""
    dotnetVersion: Literal[6, 8] | None = None
    """.NET: version. Default 8."""


class BuildpackSharedProps(StrictModel):
    """Fields shared by the Stacktape image and Lambda buildpacks."""

    entryfilePath: NonEmptyStr
    """Entry point, relative to the config file."""
    includeFiles: list[str] | None = None
    """Globs of files to include."""
    excludeFiles: list[str] | None = None
    """Globs of files to exclude."""
    excludeDependencies: list[str] | None = None
    """Dependencies to leave out."""
    languageSpecificConfig: LanguageSpecificConfig | None = None
    """Language-specific options."""


def did_you_mean(value: str, options: Sequence[str]) -> str | None:
    """`did you mean 'x'?` for the closest option, or None."""
    close = get_close_matches(value, list(options), n=1)
    return f"did you mean '{close[0]}'?" if close else None


def duplicates(values: Sequence[object]) -> list[tuple[int, int]]:
    """`(first index, duplicate index)` for every value seen before, in order."""
    first: dict[object, int] = {}
    found: list[tuple[int, int]] = []
    for index, value in enumerate(values):
        if value in first:
            found.append((first[value], index))
        else:
            first[value] = index
    return found
