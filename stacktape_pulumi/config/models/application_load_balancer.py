"""The `application-load-balancer` resource (behaviour notes §1.5, §2.13)."""

from typing import Annotated, Any, Literal, Self

from pydantic import BeforeValidator, Field, ValidationInfo, model_validator

from stacktape_pulumi.config.models.common import OutputValue, Port, StrictModel
from stacktape_pulumi.config.models.shared import (
    ApplicationLoadBalancerAlarm,
    CdnConfiguration,
    DomainConfiguration,
    NonEmptyStr,
    Overrides,
    Problems,
    current_resource_name,
    duplicates,
)


class LbRedirectProps(StrictModel):
    """Where a redirect sends the request; unset URI parts keep their values."""

    path: str | None = None
    """Path (starts with `/`); `#{path}` reuses the original."""
    query: str | None = None
    """Query without `?`; `#{query}` reuses the original."""
    port: Port | None = None
    """Port, range 1-65535."""
    host: str | None = None
    """Host; `#{host}` reuses the original."""
    protocol: Literal["HTTP", "HTTPS"] | None = None
    """Protocol (HTTPS cannot redirect to HTTP)."""
    statusCode: Literal["HTTP_301", "HTTP_302"]
    """Permanent or temporary redirect."""


class LbRedirect(StrictModel):
    """Default action of a listener: redirect."""

    type: Literal["redirect"]
    properties: LbRedirectProps


class ApplicationLoadBalancerListener(StrictModel):
    """A listener (port + protocol)."""

    protocol: Literal["HTTP", "HTTPS"]
    """Listener protocol; HTTPS needs a certificate (customDomains or customCertificateArns)."""
    port: Port
    """Listener port."""
    customCertificateArns: list[NonEmptyStr | OutputValue] | None = None
    """ACM certificate ARNs."""
    whitelistIps: list[NonEmptyStr] | None = None
    """Allowed client IPs/CIDRs. Default all."""
    defaultAction: LbRedirect | None = None
    """Action for requests matching no rule. Default a fixed 500 response."""


class ApplicationLoadBalancerCdnConfiguration(CdnConfiguration):
    """CDN in front of the load balancer."""

    listenerPort: Port | None = None
    """Listener the CDN forwards to; needed with custom listeners."""
    originDomainName: str | None = None
    """Explicit origin domain (no customDomains but customCertificateArns)."""


def _domain_from_string(value: Any) -> Any:
    # The reference still accepts plain domain strings and normalises them.
    return {"domainName": value} if isinstance(value, str) else value


class ApplicationLoadBalancerProps(StrictModel):
    """Properties of an application load balancer."""

    interface: Literal["internet", "internal"] = "internet"
    """Public or VPC-only. Default internet."""
    customDomains: list[Annotated[DomainConfiguration, BeforeValidator(_domain_from_string)]] | None = None
    """Custom domains (objects, or plain domain strings)."""
    listeners: Annotated[list[ApplicationLoadBalancerListener], Field(min_length=1)] | None = None
    """Custom listeners. Default HTTP 80 (redirect to HTTPS) and HTTPS 443."""
    cdn: ApplicationLoadBalancerCdnConfiguration | None = None
    """CloudFront in front of the load balancer (not with interface internal)."""
    alarms: list[ApplicationLoadBalancerAlarm] | None = None
    """Alarms on the load balancer."""
    disabledGlobalAlarms: list[NonEmptyStr] | None = None
    """Global alarms not applied to this load balancer."""
    useFirewall: NonEmptyStr | None = None
    """Name of a web-app-firewall resource."""

    @model_validator(mode="after")
    def _listeners_are_consistent(self, info: ValidationInfo) -> Self:
        name = current_resource_name(info)
        problems = Problems()
        ports = [listener.port for listener in self.listeners or []]
        for _, index in duplicates(ports):
            problems.add(
                f"Error in load-balancer {name}. Two or more listeners are using the same port "
                f"\"{ports[index]}\".",
                ("listeners", index, "port"),
                hint="Each listener must use unique port",
            )
        if self.cdn is not None and self.cdn.enabled and self.interface == "internal":
            problems.add(
                f"Error in application-load-balancer {name}. A CDN cannot be used with an internal "
                "load balancer (interface: internal).",
                ("cdn",),
                at_key=True,
            )
        problems.raise_if_any(type(self).__name__)
        return self


class ApplicationLoadBalancer(StrictModel):
    """An `application-load-balancer` resource."""

    type: Literal["application-load-balancer"]
    properties: ApplicationLoadBalancerProps | None = None
    overrides: Overrides = None
    """Not supported: use Pulumi transforms to change child resources."""
