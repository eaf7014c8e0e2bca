"""`application-load-balancer`: what a load balancer's config asks for that this version (or AWS) cannot build."""

import ipaddress

from stacktape_pulumi.checks.domains import certificate_problems
from stacktape_pulumi.checks.gateway import cdn_and_alarm_problems
from stacktape_pulumi.config.models.application_load_balancer import ApplicationLoadBalancerProps
from stacktape_pulumi.errors import Problem


def cidr(ip: str) -> str:
    """A whitelist entry as a CIDR: a bare address becomes a /32 (IPv4) or /128 (IPv6) network."""
    return str(ipaddress.ip_network(ip.strip(), strict=False))


def load_balancer_problems(name: str, props: ApplicationLoadBalancerProps | None) -> list[Problem]:
    """What a load balancer's config asks for that this version (or AWS) cannot build."""
    if props is None:
        return []
    problems = cdn_and_alarm_problems(props.cdn, props.alarms, "load balancer")
    domain_certificates = not props.listeners
    for index, listener in enumerate(props.listeners or []):
        path = ("listeners", index)
        if listener.protocol == "HTTPS" and not listener.customCertificateArns:
            domain_certificates = True
            if not props.customDomains:
                problems.append(Problem(
                    (*path, "protocol"),
                    f"HTTPS listener {listener.port} of load balancer {name} has no certificate",
                    hint="set customCertificateArns on the listener, or customDomains on the load balancer"))
        redirect = listener.defaultAction.properties if listener.defaultAction else None
        if listener.protocol == "HTTPS" and redirect is not None and redirect.protocol == "HTTP":
            problems.append(Problem(
                (*path, "defaultAction", "properties", "protocol"),
                f"listener {listener.port} cannot redirect HTTPS to HTTP", hint="use protocol HTTPS"))
        for ip_index, ip in enumerate(listener.whitelistIps or []):
            try:
                cidr(ip)
            except ValueError:
                problems.append(Problem(
                    (*path, "whitelistIps", ip_index), f"'{ip}' is not an IP address or CIDR block",
                    hint="for example 203.0.113.7 or 203.0.113.0/24"))
    if domain_certificates:
        problems += certificate_problems(props.customDomains or [], ("customDomains",))
    return problems

