"""`application-load-balancer`: what a load balancer's config asks for that this version (or AWS) cannot build.

And the rules its events must follow together: each event names an existing listener, and rule
priorities are unique per listener across all workloads and functions.
"""

import ipaddress
from dataclasses import dataclass

from stacktape_pulumi.checks.domains import certificate_problems
from stacktape_pulumi.checks.gateway import cdn_and_alarm_problems
from stacktape_pulumi.checks.references import StackView
from stacktape_pulumi.config.models.application_load_balancer import (
    ApplicationLoadBalancer,
    ApplicationLoadBalancerProps,
)
from stacktape_pulumi.config.models.shared import ApplicationLoadBalancerIntegrationProps, is_directive
from stacktape_pulumi.errors import KeyPath, Problem


def cidr(ip: str) -> str:
    """A whitelist entry as a CIDR: a bare address becomes a /32 (IPv4) or /128 (IPv6) network."""
    return str(ipaddress.ip_network(ip.strip(), strict=False))


def load_balancer_problems(name: str, props: ApplicationLoadBalancerProps | None) -> list[Problem]:
    """What a load balancer's config asks for that this version (or AWS) cannot build."""
    if props is None:
        return []
    problems = cdn_and_alarm_problems(props.cdn, props.alarms, "load balancer")
    if is_directive(props.useFirewall):
        # A name is refused by the reference check (no web-app-firewall type); a directive was silently ignored.
        problems.append(Problem(("useFirewall",), "useFirewall is not supported yet", at_key=True,
                                hint="attach a WAFv2 web ACL with pulumi_aws.wafv2.WebAclAssociation"))
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
        problems += whitelist_problems(listener.whitelistIps, path)
    if domain_certificates:
        problems += certificate_problems(props.customDomains or [], ("customDomains",))
    return problems



def whitelist_problems(ips: list[str] | None, path: KeyPath) -> list[Problem]:
    """A listener's `whitelistIps` entries that are not IP addresses or CIDR blocks (ALB and NLB alike)."""
    problems = []
    for index, ip in enumerate(ips or []):
        try:
            cidr(ip)
        except ValueError:
            problems.append(Problem((*path, "whitelistIps", index), f"'{ip}' is not an IP address or CIDR block",
                                    hint="for example 203.0.113.7 or 203.0.113.0/24"))
    return problems


@dataclass(frozen=True)
class AlbRule:
    """One ALB event (listener rule) of a workload or function."""

    owner: str
    owner_type: str
    path: KeyPath
    props: ApplicationLoadBalancerIntegrationProps


def listener_ports(view: StackView, lb_name: str) -> list[int] | None:
    """Ports of the load balancer's custom listeners, or None when it uses the default ones."""
    lb = view.config.resources.get(lb_name)
    if isinstance(lb, ApplicationLoadBalancer) and lb.properties is not None and lb.properties.listeners:
        return [listener.port for listener in lb.properties.listeners]
    return None


def default_listener_port(view: StackView, lb_name: str) -> int:
    """Listener of rules without listenerPort on default listeners: 443 with customDomains, else 80.

    Without custom domains there is no certificate for the HTTPS listener, so rules go to
    the HTTP listener (the reference always uses 443, backed by its own default domain).
    """
    lb = view.config.resources.get(lb_name)
    props = lb.properties if isinstance(lb, ApplicationLoadBalancer) else None
    return 443 if props is not None and props.customDomains else 80


def ports_hint(lb_name: str, ports: list[int]) -> str:
    return f"listener ports of {lb_name}: {', '.join(str(port) for port in ports)}"


def check_alb_event(view: StackView, owner: str, owner_type: str, props: ApplicationLoadBalancerIntegrationProps,
                    path: KeyPath) -> AlbRule | None:
    """The event's load balancer exists and has its listener; the rule, when it can be placed."""
    lb_name = props.loadBalancerName
    if not view.reference(lb_name, "application-load-balancer", owner, owner_type, (*path, "loadBalancerName")):
        return None
    listeners = listener_ports(view, lb_name)
    where = (f"Error in {owner_type} resource {owner} when referencing application-load-balancer "
             f"{lb_name}.\n")
    port = props.listenerPort
    if port is not None and listeners is None:
        view.add((*path, "listenerPort"),
                 f"{where}You cannot specify listenerPort property when application-load-balancer does "
                 "not use custom listeners.",
                 f"remove listenerPort; without custom listeners the rule goes to port "
                 f"{default_listener_port(view, lb_name)}")
    elif port is not None and listeners is not None and port not in listeners:
        view.add((*path, "listenerPort"),
                 f"Error in {owner_type} resource {owner}.\nReferenced application-load-balancer "
                 f"{lb_name} does NOT have listener on port {port}.",
                 ports_hint(lb_name, listeners))
    elif port is None and listeners is not None:
        view.add(path,
                 f"{where}You need to specify listenerPort property when application-load-balancer uses "
                 "custom listeners.",
                 ports_hint(lb_name, listeners), at_key=True)
    else:
        return AlbRule(owner, owner_type, path, props)
    return None


def check_rule_priorities(view: StackView, rules: list[AlbRule]) -> None:
    """Rule priorities are unique per (load balancer, listener port), across all resources (e93)."""
    seen: dict[tuple[str, int, int], AlbRule] = {}
    for rule in rules:
        lb_name = rule.props.loadBalancerName
        port = rule.props.listenerPort or default_listener_port(view, lb_name)
        key = (lb_name, port, rule.props.priority)
        first = seen.setdefault(key, rule)
        if first is rule:
            continue
        view.add((*rule.path, "priority"),
                 f"Error in event integrations of application-load-balancer {lb_name}. Events on "
                 f"two different resources({rule.owner} and {first.owner}) are using the same priority "
                 "which is not allowed.",
                 f"priority {rule.props.priority} on listener {port} is also used at line "
                 f"{view.line_of((*first.path, 'priority'))}")
