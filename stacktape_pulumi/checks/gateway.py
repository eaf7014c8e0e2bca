"""`http-api-gateway`: what a gateway's config asks for that this version cannot build."""

from collections.abc import Sequence
from typing import Any

from stacktape_pulumi.checks.domains import certificate_problems
from stacktape_pulumi.config.models.http_api_gateway import HttpApiGatewayProps
from stacktape_pulumi.config.models.shared import CdnConfiguration
from stacktape_pulumi.errors import Problem


def cdn_and_alarm_problems(cdn: CdnConfiguration | None, alarms: Sequence[Any] | None,
                           target: str) -> list[Problem]:
    """`cdn` (enabled) and `alarms` of a gateway or load balancer: not built yet."""
    problems: list[Problem] = []
    if cdn is not None and cdn.enabled:
        problems.append(Problem(("cdn",), "cdn is not supported yet", at_key=True,
                                     hint=f"put CloudFront in front of the {target} with pulumi_aws.cloudfront"))
    if alarms:
        problems.append(Problem(("alarms",), "alarms are not supported yet", at_key=True,
                                     hint="create CloudWatch alarms with pulumi_aws.cloudwatch.MetricAlarm"))
    return problems


def gateway_problems(name: str, props: HttpApiGatewayProps | None) -> list[Problem]:
    """What a gateway's config asks for that this version cannot build."""
    if props is None:
        return []
    problems = cdn_and_alarm_problems(props.cdn, props.alarms, "API")
    if props.logging is not None and props.logging.logForwarding is not None:
        problems.append(Problem(("logging", "logForwarding"), "log forwarding is not supported yet",
                                     at_key=True))
    cors = props.cors
    if cors is not None and cors.enabled and cors.allowCredentials and "*" in (cors.allowedOrigins or ["*"]):
        problems.append(Problem(
            ("cors", "allowCredentials"),
            "allowCredentials cannot be used with the origin '*' (API Gateway rejects it)",
            hint="list the allowed origins in cors.allowedOrigins"))
    problems += certificate_problems(props.customDomains or [], ("customDomains",))
    return problems

