"""`network-load-balancer`: an internet-facing or internal NLB with its security group, TCP/TLS listeners and DNS.

AWS: Elastic Load Balancing v2 (load balancer, listeners, listener certificates), EC2 (the load
balancer's security group), ACM, Route 53.

An NLB listener has no rules: its default action forwards to exactly one target group. The
target groups belong to the workloads (their `network-load-balancer` events), so a listener is
created when its event attaches a target group (`forward`); `validate` makes sure every listener
gets exactly one (checks/network_load_balancer.py).
"""

from __future__ import annotations  # see stacktape_pulumi/components/__init__.py

from typing import TYPE_CHECKING, Any

import pulumi
import pulumi_aws as aws

from stacktape_pulumi.aws.domains import CustomDomain
from stacktape_pulumi.checks.load_balancer import cidr
from stacktape_pulumi.components.base import StacktapeComponent, after_body
from stacktape_pulumi.components.context import StackContext
from stacktape_pulumi.components.load_balancing import (
    ListenerPlan,
    client_ingress,
    create_listener,
    load_balancer,
    load_balancer_group,
)
from stacktape_pulumi.config.models.network_load_balancer import NLB_TYPE, NetworkLoadBalancerProps
from stacktape_pulumi.errors import StacktapeError

if TYPE_CHECKING:  # annotations only: `schema.registry` evaluates them with stacktape_pulumi.args
    from stacktape_pulumi.args import NetworkLoadBalancerArgs

KIND = "NetworkLoadBalancer"


def plan_nlb_listeners(props: NetworkLoadBalancerProps) -> list[ListenerPlan]:
    return [ListenerPlan(listener.port, listener.protocol,
                            tuple(cidr(ip) for ip in listener.whitelistIps or []),
                            tuple(listener.customCertificateArns or []))
            for listener in props.listeners]


class NetworkLoadBalancer(StacktapeComponent[NetworkLoadBalancerProps]):
    """A network load balancer; `network-load-balancer` events attach one target group to each listener."""

    load_balancer: aws.lb.LoadBalancer
    """The load balancer."""
    security_group: aws.ec2.SecurityGroup
    """The load balancer's security group (open only on the listener ports); targets admit traffic from it."""
    params: dict[str, pulumi.Output[Any]]
    """What `$ResourceParam('<name>', '<param>')` reads: arn, canonicalDomain, domain, customDomains."""

    def __init__(self, name: str, args: NetworkLoadBalancerArgs,
                 opts: pulumi.ResourceOptions | None = None, *, context: StackContext | None = None) -> None:
        super().__init__(KIND, NLB_TYPE, name, args, NetworkLoadBalancerProps, opts, context)
        props = self.props
        self._network = self.context.network()
        self._internet = props.interface == "internet"
        self._plans = {plan.port: plan for plan in plan_nlb_listeners(props)}
        self.domains: list[CustomDomain] = [CustomDomain(name, domain, self.tags, self)
                                            for domain in props.customDomains or []]
        self.security_group = self._create_security_group()
        self.load_balancer = self._create_load_balancer()
        # Keyed by port (an int), so not a component output: the schema's maps are string-keyed.
        self.listeners: dict[int, aws.lb.Listener] = {}
        for domain in self.domains:
            domain.alias(self.load_balancer.dns_name, self.load_balancer.zone_id)
        self.publish(self._params())

    # ---- used by events ------------------------------------------------------------------
    def listener_ports(self) -> list[int]:
        return list(self._plans)

    def forward(self, port: int, target_group: aws.lb.TargetGroup) -> aws.lb.Listener:
        """Create the listener on `port`, forwarding everything to `target_group` (its one target)."""
        plan = self._plans.get(port)
        if plan is None:
            raise StacktapeError(f"{KIND} '{self.resource_name}' has no listener on port {port}; listener ports: "
                                 f"{', '.join(str(p) for p in self._plans)}")
        if port in self.listeners:
            raise StacktapeError(f"{KIND} '{self.resource_name}': listener {port} already forwards to a target group "
                                 "(a network load balancer listener has one target)")
        listener = self.listeners[port] = self._create_listener(plan, target_group)
        return listener

    # ---- recipe steps --------------------------------------------------------------------
    def _ingress(self, plan: ListenerPlan) -> list[aws.ec2.SecurityGroupIngressArgs]:
        return client_ingress(self, plan.port, plan.whitelist, self._internet)

    def _create_security_group(self) -> aws.ec2.SecurityGroup:
        # Ingress once the program body has run: every workload and function (the internal clients) is known.
        return load_balancer_group(
            self, "Network load balancer", self._network,
            after_body(lambda: [rule for plan in self._plans.values() for rule in self._ingress(plan)]))

    def _create_load_balancer(self) -> aws.lb.LoadBalancer:
        return load_balancer(self, "network", self._internet, self._network, self.security_group)

    def _create_listener(self, plan: ListenerPlan, target_group: aws.lb.TargetGroup) -> aws.lb.Listener:
        forward = aws.lb.ListenerDefaultActionArgs(type="forward", target_group_arn=target_group.arn)
        return create_listener(self, self.load_balancer, plan, self.domains, forward)

    def _params(self) -> dict[str, pulumi.Output[Any]]:
        dns_name = self.load_balancer.dns_name
        params: dict[str, pulumi.Output[Any]] = {"arn": self.load_balancer.arn, "canonicalDomain": dns_name}
        names = [domain.name for domain in self.domains]
        if names:
            params["domain"] = pulumi.Output.from_input(names[0])
            params["customDomains"] = pulumi.Output.from_input(",".join(names))
        else:
            # No Stacktape default domain outside Stacktape: the load balancer's own DNS name is the address.
            params["domain"] = dns_name
        return params
