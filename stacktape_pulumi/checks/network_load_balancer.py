"""`network-load-balancer`: what its listeners need, and the rules the events that target them follow together.

Each event names an existing listener of its load balancer, and a listener forwards to one
target group only (an NLB listener has no rules to choose between several), so at most one
event in the whole stack may target it.
"""

from dataclasses import dataclass

from stacktape_pulumi.checks.domains import certificate_problems
from stacktape_pulumi.checks.load_balancer import ports_hint, whitelist_problems
from stacktape_pulumi.checks.references import StackView
from stacktape_pulumi.config.models.network_load_balancer import NLB_TYPE, NetworkLoadBalancer, NetworkLoadBalancerProps
from stacktape_pulumi.config.models.workload import ContainerNlbIntegrationProps
from stacktape_pulumi.errors import KeyPath, Problem


def network_load_balancer_problems(name: str, props: NetworkLoadBalancerProps | None) -> list[Problem]:
    """TLS listeners without a certificate, whitelist entries that are no address, domains that get no certificate."""
    if props is None:
        return []
    problems: list[Problem] = []
    domain_certificates = False
    for index, listener in enumerate(props.listeners):
        path = ("listeners", index)
        if listener.protocol == "TLS" and not listener.customCertificateArns:
            domain_certificates = True
            if not props.customDomains:
                problems.append(Problem(
                    (*path, "protocol"),
                    f"TLS listener {listener.port} of network-load-balancer {name} has no certificate",
                    # Worded for a web service's `ports` too, which have no customCertificateArns.
                    hint="set customDomains (or customCertificateArns on a network-load-balancer listener), "
                         "or use protocol TCP (allowed: TCP, TLS)"))
        if listener.protocol == "TCP" and listener.customCertificateArns:
            problems.append(Problem(
                (*path, "customCertificateArns"),
                f"TCP listener {listener.port} of network-load-balancer {name} does not terminate TLS: its "
                "customCertificateArns would be ignored",
                hint="use protocol TLS, or remove customCertificateArns", at_key=True))
        problems += whitelist_problems(listener.whitelistIps, path)
    if domain_certificates:
        problems += certificate_problems(props.customDomains or [], ("customDomains",))
    return problems


@dataclass(frozen=True)
class NlbTarget:
    """One `network-load-balancer` event: the listener it takes."""

    owner: str
    path: KeyPath
    props: ContainerNlbIntegrationProps


def check_nlb_event(view: StackView, owner: str, owner_type: str, props: ContainerNlbIntegrationProps,
                    path: KeyPath) -> NlbTarget | None:
    """The event's load balancer exists and has its listener; the target, when it can be placed."""
    lb_name = props.loadBalancerName
    if not view.reference(lb_name, NLB_TYPE, owner, owner_type, (*path, "loadBalancerName")):
        return None
    lb = view.config.resources.get(lb_name)
    ports = [listener.port for listener in lb.properties.listeners] if isinstance(lb, NetworkLoadBalancer) else []
    if props.listenerPort not in ports:
        view.add((*path, "listenerPort"),
                 f"Error in {owner_type} resource {owner}.\nReferenced {NLB_TYPE} {lb_name} does NOT have "
                 f"listener on port {props.listenerPort}.",
                 ports_hint(lb_name, ports))
        return None
    return NlbTarget(owner, path, props)


def check_listener_targets(view: StackView, targets: list[NlbTarget]) -> None:
    """A listener of a network load balancer forwards to one target: exactly one event per listener in the stack.

    A listener no event targets cannot be created: an NLB listener's default action must forward somewhere.
    """
    seen: dict[tuple[str, int], NlbTarget] = {}
    for target in targets:
        key = (target.props.loadBalancerName, target.props.listenerPort)
        first = seen.setdefault(key, target)
        if first is target:
            continue
        view.add((*target.path, "listenerPort"),
                 f"Listener {key[1]} of {NLB_TYPE} {key[0]} already forwards to {first.owner}: a network load "
                 "balancer listener has one target (it has no rules to choose between several).",
                 f"add a listener on another port to {key[0]} for this event; the other event is at line "
                 f"{view.line_of((*first.path, 'listenerPort'))}")
    for name, resource in view.config.resources.items():
        if not isinstance(resource, NetworkLoadBalancer):
            continue
        for index, listener in enumerate(resource.properties.listeners):
            if (name, listener.port) not in seen:
                view.add(("resources", name, "properties", "listeners", index, "port"),
                         f"Listener {listener.port} of {NLB_TYPE} {name} has no target: no "
                         f"{NLB_TYPE} event names it, and a network load balancer listener must forward to one.",
                         f"add a {NLB_TYPE} event with loadBalancerName {name} and listenerPort {listener.port} to a "
                         "container, or remove the listener")
