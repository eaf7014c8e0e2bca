"""The `network-load-balancer` resource (reference `network-load-balancer.d.ts`, behaviour notes §2.7)."""

from typing import Annotated, Any, Literal, Self

from pydantic import BeforeValidator, Field, ValidationInfo, model_validator

from stacktape_pulumi.config.models.common import OutputValue, Port, StrictModel
from stacktape_pulumi.config.models.shared import (
    DomainConfiguration,
    NonEmptyStr,
    Overrides,
    Problems,
    current_resource_name,
    duplicates,
)

NLB_TYPE = "network-load-balancer"
# Elastic Load Balancing's quota "listeners per Network Load Balancer".
MAX_NLB_LISTENERS = 50


class NetworkLoadBalancerListener(StrictModel):
    """A listener: the port and protocol the load balancer accepts traffic on."""

    protocol: Literal["TCP", "TLS"]
    """`TCP` (raw) or `TLS` (encrypted). TLS requires a certificate (customDomains or customCertificateArns)."""
    port: Port
    """Port this listener accepts traffic on."""
    customCertificateArns: list[NonEmptyStr | OutputValue] | None = None
    """ARNs of your own ACM certificates. Not needed with customDomains or TCP."""
    whitelistIps: list[NonEmptyStr] | None = None
    """Allowed client IPs/CIDRs. Default all IPs allowed."""


def _domain_from_string(value: Any) -> Any:
    # The reference still accepts plain domain strings and normalises them.
    return {"domainName": value} if isinstance(value, str) else value


class NetworkLoadBalancerProps(StrictModel):
    """Properties of a network load balancer."""

    interface: Literal["internet", "internal"] = "internet"
    """`internet` (public) or `internal` (VPC-only). Default internet."""
    customDomains: list[Annotated[DomainConfiguration, BeforeValidator(_domain_from_string)]] | None = None
    """Custom domains (objects, or plain domain strings): DNS records and certificates are created."""
    listeners: Annotated[list[NetworkLoadBalancerListener], Field(min_length=1, max_length=MAX_NLB_LISTENERS)]
    """Ports and protocols (TCP/TLS) this load balancer accepts traffic on."""

    @model_validator(mode="after")
    def _listener_ports_are_unique(self, info: ValidationInfo) -> Self:
        name = current_resource_name(info)
        problems = Problems()
        ports = [listener.port for listener in self.listeners]
        for _, index in duplicates(ports):
            problems.add(
                f"Error in load-balancer {name}. Two or more listeners are using the same port "
                f"\"{ports[index]}\".",
                ("listeners", index, "port"),
                hint="Each listener must use unique port")
        problems.raise_if_any(type(self).__name__)
        return self


class NetworkLoadBalancer(StrictModel):
    """A `network-load-balancer` resource."""

    type: Literal["network-load-balancer"]
    properties: NetworkLoadBalancerProps
    overrides: Overrides = None
    """Not supported: use Pulumi transforms to change child resources."""
