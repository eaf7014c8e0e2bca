"""`http-api-gateway`: what a gateway's config asks for that this version cannot build.

And the rules its events must follow together: routes (method + path) are unique per gateway,
authorizer functions exist, and a function's routes share one payload format.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from itertools import pairwise
from typing import Any

from stacktape_pulumi.checks.domains import certificate_problems
from stacktape_pulumi.checks.log_forwarding import log_forwarding_problems
from stacktape_pulumi.checks.references import StackView
from stacktape_pulumi.config.models.http_api_gateway import HttpApiGateway, HttpApiGatewayProps
from stacktape_pulumi.config.models.shared import (
    CdnConfiguration,
    CognitoAuthorizer,
    HttpApiIntegrationProps,
    LambdaAuthorizer,
    is_directive,
)
from stacktape_pulumi.config.models.workload import WORKLOAD_TYPE, ContainerHttpApiEvent
from stacktape_pulumi.errors import KeyPath, Problem


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
    problems += log_forwarding_problems(props.logging, ("logging",))
    cors = props.cors
    if cors is not None and cors.enabled and cors.allowCredentials and "*" in (cors.allowedOrigins or ["*"]):
        problems.append(Problem(
            ("cors", "allowCredentials"),
            "allowCredentials cannot be used with the origin '*' (API Gateway rejects it)",
            hint="list the allowed origins in cors.allowedOrigins"))
    problems += certificate_problems(props.customDomains or [], ("customDomains",))
    return problems



@dataclass(frozen=True)
class HttpRoute:
    """One HTTP API event (route) of a workload or function."""

    owner: str
    owner_type: str
    path: KeyPath
    props: HttpApiIntegrationProps


def check_http_event(view: StackView, owner: str, owner_type: str, props: HttpApiIntegrationProps,
                     path: KeyPath) -> HttpRoute | None:
    """The event's authorizer and gateway exist; the route, when the gateway does."""
    authorizer = props.authorizer
    apath = (*path, "authorizer", "properties")
    if isinstance(authorizer, LambdaAuthorizer):
        view.reference(authorizer.properties.functionName, "function", owner, owner_type, (*apath, "functionName"))
    elif isinstance(authorizer, CognitoAuthorizer):
        view.reference(authorizer.properties.userPoolName, "user-auth-pool", owner, owner_type,
                       (*apath, "userPoolName"))
    if not view.reference(props.httpApiGatewayName, "http-api-gateway", owner, owner_type,
                          (*path, "httpApiGatewayName")):
        return None
    return HttpRoute(owner, owner_type, path, props)


def payload_format(view: StackView, props: HttpApiIntegrationProps) -> str:
    """Event format, else the gateway's, else "1.0" (behaviour notes §1.6)."""
    if props.payloadFormat is not None:
        return props.payloadFormat
    gateway = view.config.resources.get(props.httpApiGatewayName)
    if isinstance(gateway, HttpApiGateway) and gateway.properties is not None:
        return gateway.properties.payloadFormat or "1.0"
    return "1.0"


def check_container_payload_format(view: StackView, owner: str, event: ContainerHttpApiEvent,
                                   path: KeyPath) -> None:
    """A workload's routes take payload format 1.0 (the event's own format is checked by the model)."""
    props = event.properties
    if props.payloadFormat is not None or is_directive(props.httpApiGatewayName):
        return
    if view.types.get(props.httpApiGatewayName) != "http-api-gateway":
        return
    if payload_format(view, props) != "1.0":
        view.add((*path, "httpApiGatewayName"),
                 f"Error in {WORKLOAD_TYPE} \"{owner}\". {WORKLOAD_TYPE} http-api-gateway events only "
                 "support payload format version \"1.0\".",
                 f"http-api-gateway {props.httpApiGatewayName} sets payloadFormat \"2.0\"; set "
                 "payloadFormat: \"1.0\" on this event")


def check_function_payload_formats(view: StackView, name: str, routes: list[HttpRoute]) -> None:
    """All HTTP API events of one function use the same payload format (one Lambda, one event shape)."""
    formats = [(payload_format(view, route.props), route.path, route.props) for route in routes]
    for (first, _, _), (fmt, epath, event_props) in pairwise(formats):
        if fmt != first:
            written = event_props.payloadFormat is not None
            view.add((*epath, "payloadFormat") if written else (*epath, "httpApiGatewayName"),
                     f"Error in function \"{name}\". All http-api-gateway event integrations must use "
                     "the same \"payloadFormat\".",
                     "You can set payload format globally for entire http-api-gateway by setting "
                     "\"payloadFormat\" property in http-api-gateway config.")
            break


def check_routes(view: StackView, routes: list[HttpRoute]) -> None:
    """Method + path are unique per gateway (e92); `*` and `$default` are the same route."""
    seen: dict[tuple[str, str, str], HttpRoute] = {}
    for route in routes:
        path = "$default" if route.props.path in ("*", "$default") else route.props.path
        key = (route.props.httpApiGatewayName, route.props.method, path)
        first = seen.setdefault(key, route)
        if first is route:
            continue
        gateway = route.props.httpApiGatewayName
        view.add((*route.path, "path"),
                 f"Error in event integrations of http-api-gateway {gateway}. Events on two different "
                 f"resources({route.owner} and {first.owner}) are using the same path and method which "
                 "is not allowed.",
                 f"the same route is defined at line {view.line_of((*first.path, 'path'))}")
