"""What application and network load balancers share: the security group, the load balancer, certificates.

Both sit in the stack VPC's public subnets (an internal one gets private addresses there, as the
reference), carry their own security group whose egress reaches only the VPC (targets and their
health checks), and take their listeners' certificates from the listener or the custom domains.
"""

from __future__ import annotations  # see stacktape_pulumi/components/__init__.py

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import pulumi
import pulumi_aws as aws

from stacktape_pulumi.aws.naming import suffixed
from stacktape_pulumi.aws.security_groups import egress_to, group_description, listener_ingress

if TYPE_CHECKING:
    from collections.abc import Sequence

    from stacktape_pulumi.components.base import StacktapeComponent
    from stacktape_pulumi.config.models.application_load_balancer import LbRedirectProps


# The reference's policy for HTTPS and TLS listeners (behaviour notes §2.7).
SSL_POLICY = "ELBSecurityPolicy-TLS13-1-2-2021-06"
# Listener protocols that terminate TLS: they carry certificates and the policy.
SECURE_PROTOCOLS = ("HTTPS", "TLS")


@dataclass(frozen=True)
class ListenerPlan:
    """One listener: port, protocol, who may connect, its own certificates and its default action."""

    port: int
    protocol: str
    whitelist: tuple[str, ...] = ()  # CIDRs; empty: everyone the interface allows
    certificate_arns: tuple[pulumi.Input[str], ...] = ()  # empty on HTTPS/TLS: the custom domains'
    redirect: LbRedirectProps | None = None  # ALB only; None: a fixed 404 for requests no rule matches



def client_ingress(owner: StacktapeComponent[Any], port: int, whitelist: Sequence[str],
                   internet: bool) -> list[aws.ec2.SecurityGroupIngressArgs]:
    """Who may reach one listener; call it once the program body has run, so every client group is known."""
    clients = [group for _, group in sorted(owner.context.vpc_clients.items())]
    return listener_ingress(port, whitelist, internet, clients)


def target_group_name(stack_name: str, replacing: dict[str, Any], *parts: str) -> pulumi.Output[str]:
    """`<stack>-<parts>-<hash of the replacing inputs>`, 32 characters at most.

    `replacing`: the target group's inputs whose change makes AWS replace it (port, protocol,
    target type, VPC; an Output for the VPC's ID): a replaced group gets a new name, so the new
    one is created while the listeners still forward to the old one.
    """
    return pulumi.Output.from_input(replacing).apply(
        lambda known: suffixed("target-group", known, stack_name, *parts))


def load_balancer_group(owner: StacktapeComponent[Any], description: str, vpc: Any,
                        ingress: pulumi.Input[list[aws.ec2.SecurityGroupIngressArgs]]) -> aws.ec2.SecurityGroup:
    """The load balancer's own group: `ingress` per listener, egress only to the stack VPC.

    Auto-named by Pulumi (`<name>-security-group-<random>`): a new description or VPC replaces a group,
    and its replacement is created while the old one still exists.
    """
    return aws.ec2.SecurityGroup(
        f"{owner.resource_name}-security-group",
        description=group_description(f"{description} {owner.resource_name} in stack {owner.context.stack_name}"),
        vpc_id=vpc.vpc_id, ingress=ingress,
        # Targets and their health checks are in the stack VPC; nothing else is reached.
        egress=egress_to(vpc.cidr_block, "to targets in the stack VPC"),
        tags=owner.tags, opts=owner.child_opts())


def load_balancer(owner: StacktapeComponent[Any], kind: str, internet: bool, vpc: Any,
                  group: aws.ec2.SecurityGroup) -> aws.lb.LoadBalancer:
    """An `application` or `network` load balancer in the public subnets behind `group`.

    Its name ends in a hash of its interface and kind: switching to `internal` replaces a load
    balancer, and the replacement is created under its new name while the old one still serves.
    """
    internal = not internet
    return aws.lb.LoadBalancer(
        f"{owner.resource_name}-load-balancer",
        name=suffixed("load-balancer", {"internal": internal, "loadBalancerType": kind},
                      owner.context.stack_name, owner.resource_name),
        load_balancer_type=kind, internal=internal, ip_address_type="ipv4",
        # Public subnets for both interfaces, as the reference (an internal one gets private IPs there).
        subnets=vpc.public_subnet_ids,
        # An NLB takes security groups only when created with them (they cannot be added later).
        security_groups=[group.id],
        tags=owner.tags, opts=owner.child_opts(depends_on=vpc.ready))


def listener_certificates(explicit: Sequence[pulumi.Input[str]], domains: Sequence[Any]) -> list[pulumi.Input[str]]:
    """A TLS listener's certificates: the ARNs written, else one per custom domain (each once)."""
    if explicit:
        return list(dict.fromkeys(explicit))
    arns: list[pulumi.Input[str]] = []
    for domain in domains:
        arn = domain.certificate_arn()
        if not (isinstance(arn, str) and arn in arns):
            arns.append(arn)
    return arns


def create_listener(owner: StacktapeComponent[Any], balancer: aws.lb.LoadBalancer, plan: ListenerPlan,
                    domains: Sequence[Any], default_action: aws.lb.ListenerDefaultActionArgs) -> aws.lb.Listener:
    """The listener of `plan` on `balancer`: on HTTPS/TLS the first certificate on it, the others attached."""
    secure = plan.protocol in SECURE_PROTOCOLS
    certificates = listener_certificates(plan.certificate_arns, domains) if secure else []
    listener = aws.lb.Listener(
        f"{owner.resource_name}-listener-{plan.port}",
        load_balancer_arn=balancer.arn,
        port=plan.port,
        protocol=plan.protocol,
        ssl_policy=SSL_POLICY if secure else None,
        certificate_arn=certificates[0] if certificates else None,
        default_actions=[default_action],
        tags=owner.tags, opts=owner.child_opts())
    for index, arn in enumerate(certificates[1:], start=1):
        aws.lb.ListenerCertificate(
            f"{owner.resource_name}-listener-{plan.port}-certificate-{index}", listener_arn=listener.arn,
            certificate_arn=arn, opts=owner.child_opts())
    return listener
