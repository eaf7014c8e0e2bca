"""`application-load-balancer`: an internet-facing or internal ALB with its listeners, certificates and DNS.

AWS: Elastic Load Balancing v2 (load balancer, listeners, listener certificates), EC2 (the load
balancer's security group), ACM, Route 53.
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
from stacktape_pulumi.config.models.application_load_balancer import ApplicationLoadBalancerProps, LbRedirectProps
from stacktape_pulumi.errors import StacktapeError

if TYPE_CHECKING:  # annotations only: `schema.registry` evaluates them with stacktape_pulumi.args
    from stacktape_pulumi.args import ApplicationLoadBalancerArgs

KIND = "ApplicationLoadBalancer"
DEFAULT_PORTS = {"HTTP": 80, "HTTPS": 443}


# ---- pure decisions ---------------------------------------------------------------------

def plan_listeners(props: ApplicationLoadBalancerProps) -> list[ListenerPlan]:
    """Custom `listeners`, else HTTPS 443 + HTTP 80 redirecting to it with custom domains, else HTTP 80 alone.

    Without a custom domain there is no certificate for HTTPS (the reference's Stacktape default
    domain does not exist outside Stacktape), so the default is plain HTTP.
    """
    if props.listeners:
        return [ListenerPlan(listener.port, listener.protocol,
                             tuple(cidr(ip) for ip in listener.whitelistIps or []),
                             tuple(listener.customCertificateArns or []),
                             listener.defaultAction.properties if listener.defaultAction else None)
                for listener in props.listeners]
    if props.customDomains:
        return [ListenerPlan(443, "HTTPS"),
                ListenerPlan(80, "HTTP", redirect=LbRedirectProps(statusCode="HTTP_301", protocol="HTTPS", port=443))]
    return [ListenerPlan(80, "HTTP")]


def test_listener_plan(plans: list[ListenerPlan], port: int) -> ListenerPlan:
    """The listener for the test traffic of gradual deployments: as the main listener, answering 404 by default."""
    main = main_listener(plans)
    return ListenerPlan(port, main.protocol, main.whitelist, main.certificate_arns)


def default_listener_port(props: ApplicationLoadBalancerProps) -> int:
    """The listener of events without `listenerPort` (default listeners only): 443 with custom domains, else 80."""
    return 443 if props.customDomains else 80


def main_listener(plans: list[ListenerPlan]) -> ListenerPlan:
    """The listener the `url` param points at: the first HTTPS one, else the first."""
    return next((plan for plan in plans if plan.protocol == "HTTPS"), plans[0])


def url(protocol: str, host: str, port: int) -> str:
    """`<scheme>://<host>`, with `:<port>` unless it is the scheme's default."""
    suffix = "" if DEFAULT_PORTS.get(protocol) == port else f":{port}"
    return f"{protocol.lower()}://{host}{suffix}"


# ---- the component ----------------------------------------------------------------------

class ApplicationLoadBalancer(StacktapeComponent[ApplicationLoadBalancerProps]):
    """An application load balancer; `application-load-balancer` events add target groups and rules to it."""

    load_balancer: aws.lb.LoadBalancer
    """The load balancer."""
    security_group: aws.ec2.SecurityGroup
    """The load balancer's security group (open only on the listener ports)."""
    default_listener_port: int
    """The port of the listener events use unless they name one."""
    params: dict[str, pulumi.Output[Any]]
    """What `$ResourceParam('<name>', '<param>')` reads: arn, canonicalDomain, domain, url, port<N> (a listener ARN)."""

    def __init__(self, name: str, args: ApplicationLoadBalancerArgs = {},  # noqa: B006 (read only)
                 opts: pulumi.ResourceOptions | None = None, *, context: StackContext | None = None) -> None:
        super().__init__(KIND, "application-load-balancer", name, args, ApplicationLoadBalancerProps, opts, context)
        props = self.props
        self._network = self.context.network()
        self._internet = props.interface == "internet"
        self.default_listener_port = default_listener_port(props)

        self._plans = plan_listeners(props)
        # Test listeners are added while the program body runs (`test_listener`); the security group's
        # ingress and the component's outputs take them in once it has run (`_close`).
        self._test_plans: list[ListenerPlan] = []
        self._closed = False
        self.domains: list[CustomDomain] = [CustomDomain(name, domain, self.tags, self)
                                            for domain in props.customDomains or []]
        self.security_group = self._create_security_group(after_body(self._close))
        self.load_balancer = self._create_load_balancer()
        # Keyed by port (an int), so not a component output: the schema's maps are string-keyed.
        self.listeners: dict[int, aws.lb.Listener] = {plan.port: self._create_listener(plan)
                                                      for plan in self._plans}
        for domain in self.domains:
            domain.alias(self.load_balancer.dns_name, self.load_balancer.zone_id)
        self.share(self._params(self._plans))

    def _close(self) -> list[aws.ec2.SecurityGroupIngressArgs]:
        """Once the program body has run: no more test listeners; the outputs, and the ingress of every listener."""
        self._closed = True
        self.register_outputs(dict(self.params))
        test_plans = sorted(self._test_plans, key=lambda plan: plan.port)
        return [rule for plan in [*self._plans, *test_plans] for rule in self._ingress(plan)]

    # ---- used by events and deployments ------------------------------------------------
    def listener(self, port: int | None = None) -> aws.lb.Listener:
        """The listener on `port` (default: the listener events without `listenerPort` use)."""
        wanted = port if port is not None else self.default_listener_port
        found = self.listeners.get(wanted)
        if found is None:
            raise StacktapeError(
                f"{KIND} '{self.resource_name}' has no listener on port {wanted}; listener ports: "
                f"{', '.join(str(p) for p in self.listeners)}")
        return found

    def test_listener(self, port: int) -> aws.lb.Listener:
        """The listener a gradual deployment sends test traffic to, created on the first ask.

        Only on the default listeners: custom `listeners` name the test listener themselves. A
        load balancer already closed (built by an earlier provider call) cannot open a port any more.
        """
        found = self.listeners.get(port)
        if found is not None or self.props.listeners:
            return self.listener(port)
        if self._closed:
            raise StacktapeError(f"{KIND} '{self.resource_name}' was complete before a test listener on port {port} "
                                 "was asked for")
        plan = test_listener_plan(self._plans, port)
        self._test_plans.append(plan)
        listener = self.listeners[port] = self._create_listener(plan)
        self.params[f"port{port}"] = listener.arn
        return listener

    # ---- recipe steps --------------------------------------------------------------------
    def _ingress(self, plan: ListenerPlan) -> list[aws.ec2.SecurityGroupIngressArgs]:
        return client_ingress(self, plan.port, plan.whitelist, self._internet)

    def _create_security_group(self, ingress: pulumi.Input[list[aws.ec2.SecurityGroupIngressArgs]]
                               ) -> aws.ec2.SecurityGroup:
        return load_balancer_group(self, "Load balancer", self._network, ingress)

    def _create_load_balancer(self) -> aws.lb.LoadBalancer:
        return load_balancer(self, "application", self._internet, self._network, self.security_group)

    def _create_listener(self, plan: ListenerPlan) -> aws.lb.Listener:
        return create_listener(self, self.load_balancer, plan, self.domains, _default_action(plan.redirect))

    def _params(self, plans: list[ListenerPlan]) -> dict[str, pulumi.Output[Any]]:
        dns_name = self.load_balancer.dns_name
        main = main_listener(plans)
        params: dict[str, pulumi.Output[Any]] = {
            "arn": self.load_balancer.arn,
            "canonicalDomain": dns_name,
        }
        names = [domain.name for domain in self.domains]
        if names:
            params["domain"] = pulumi.Output.from_input(names[0])
            params["url"] = pulumi.Output.from_input(url(main.protocol, names[0], main.port))
            params["customDomains"] = pulumi.Output.from_input(",".join(names))
        else:
            # No Stacktape default domain outside Stacktape: the load balancer's own DNS name is the address.
            params["domain"] = dns_name
            params["url"] = dns_name.apply(lambda host: url(main.protocol, host, main.port))
        for port, listener in self.listeners.items():
            params[f"port{port}"] = listener.arn
        return params


def _default_action(redirect: LbRedirectProps | None) -> aws.lb.ListenerDefaultActionArgs:
    """A redirect, else a fixed 404 for requests no rule matches (the reference answers 500)."""
    if redirect is None:
        return aws.lb.ListenerDefaultActionArgs(
            type="fixed-response",
            fixed_response=aws.lb.ListenerDefaultActionFixedResponseArgs(
                content_type="text/plain", message_body="Not found", status_code="404"))
    return aws.lb.ListenerDefaultActionArgs(
        type="redirect",
        redirect=aws.lb.ListenerDefaultActionRedirectArgs(
            status_code=redirect.statusCode, protocol=redirect.protocol, host=redirect.host, path=redirect.path,
            port=str(redirect.port) if redirect.port is not None else None, query=redirect.query))
