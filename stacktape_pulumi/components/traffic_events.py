"""Container events that bring traffic to a workload: HTTP API gateway, application and network load balancers,
Service Connect.

AWS: Cloud Map (private DNS namespace, services), API Gateway v2 (integrations, routes),
Elastic Load Balancing v2 (target groups, listener rules, NLB listeners), ECS (service registries, load
balancers, Service Connect), EC2 (security-group ingress from source groups only).
"""

from __future__ import annotations  # see stacktape_pulumi/components/__init__.py

import re
from typing import TYPE_CHECKING

import pulumi_aws as aws

from stacktape_pulumi.aws import ecs as ecs_plan
from stacktape_pulumi.aws.naming import lower_kebab, physical
from stacktape_pulumi.checks.traffic import (
    DEFAULT_HEALTH_CHECK_INTERVAL,
    DEFAULT_HEALTH_CHECK_TIMEOUT,
    TCP_HEALTH_CHECK,
)
from stacktape_pulumi.components.application_load_balancer import ApplicationLoadBalancer
from stacktape_pulumi.components.exchange import ServiceConnectExposure
from stacktape_pulumi.components.http_api_gateway import HttpApiGateway
from stacktape_pulumi.components.load_balancing import target_group_name
from stacktape_pulumi.components.network_load_balancer import NetworkLoadBalancer
from stacktape_pulumi.components.wiring import (
    GRADUAL_RULE_IGNORE_CHANGES,
    EventSite,
    Ingress,
    ServiceWiring,
    TrafficRule,
    TrafficTarget,
    forward_actions,
)
from stacktape_pulumi.errors import StacktapeError

if TYPE_CHECKING:
    import pulumi

    from stacktape_pulumi.config.models.shared import ApplicationLoadBalancerIntegrationProps

CLOUD_MAP_TTL = 60
# Target group defaults (the reference's): fast health checks and draining for small services.
HEALTH_CHECK_PATH = "/"
HEALTHY_THRESHOLD = 2
DEREGISTRATION_DELAY = 5
# On EC2 (bridge networking) tasks get dynamic host ports from this range.
EPHEMERAL_PORTS = (32768, 65535)


def _ports(site: EventSite, port: int) -> tuple[int, int]:
    return (port, port) if site.fargate else EPHEMERAL_PORTS


# ---- http-api-gateway -------------------------------------------------------------------

def http_api_gateway_event(site: EventSite, wiring: ServiceWiring) -> None:
    """A route of an HTTP API to the container: VPC link → Cloud Map SRV records of the workload's tasks."""
    workload, props = site.workload, site.event.properties
    ctx = workload.context
    gateway = ctx.component(props.httpApiGatewayName, HttpApiGateway)
    port = props.containerPort
    discovery = ctx.once(f"cloud-map-service:{workload.resource_name}",
                         lambda: _discovery_service(site, wiring, port))
    integration = gateway.cloud_map_integration(workload, discovery.arn)
    gateway.add_route(workload, props.method, props.path, integration, props.authorizer)
    low, high = _ports(site, port)
    wiring.allow(Ingress(gateway.vpc_link_security_group().id, low, high,
                         f"from http api gateway {props.httpApiGatewayName} to {port}",
                         f"http-api-{props.httpApiGatewayName}-{port}"))


def _discovery_service(site: EventSite, wiring: ServiceWiring, port: int) -> aws.servicediscovery.Service:
    """The workload's Cloud Map service; ECS registers every task's address and port in it as SRV records."""
    workload = site.workload
    ctx = workload.context
    service = aws.servicediscovery.Service(
        f"{workload.resource_name}-discovery-service",
        # One DNS label: a long workload name is shortened with a stable hash.
        name=physical("dns-label", lower_kebab(workload.resource_name), "http-api"),
        dns_config=aws.servicediscovery.ServiceDnsConfigArgs(
            namespace_id=ctx.private_namespace().id,
            routing_policy="MULTIVALUE",
            dns_records=[aws.servicediscovery.ServiceDnsConfigDnsRecordArgs(ttl=CLOUD_MAP_TTL, type="SRV")]),
        # ECS reports task health; AWS fixes the failure threshold at 1.
        health_check_custom_config=aws.servicediscovery.ServiceHealthCheckCustomConfigArgs(),
        tags=ctx.tags,
        opts=workload.child_opts())
    wiring.service_registries.append(aws.ecs.ServiceServiceRegistriesArgs(
        registry_arn=service.arn, container_name=site.container.name, container_port=port))
    return service


# ---- application-load-balancer ----------------------------------------------------------

def application_load_balancer_event(site: EventSite, wiring: ServiceWiring) -> None:
    """A listener rule forwarding matching requests to the workload's target group for the container port."""
    workload, container, props = site.workload, site.container, site.event.properties
    ctx = workload.context
    health = container.loadBalancerHealthCheck
    if health is not None and health.healthCheckProtocol == "TCP":
        raise StacktapeError(f"MultiContainerWorkload '{workload.resource_name}': container '{container.name}': "
                             f"{TCP_HEALTH_CHECK}")
    lb_name = props.loadBalancerName
    lb = ctx.component(lb_name, ApplicationLoadBalancer)
    listener_port = props.listenerPort if props.listenerPort is not None else lb.default_listener_port
    listener = lb.listener(listener_port)
    port = props.containerPort
    group = ctx.once(f"alb-target-group:{workload.resource_name}:{lb_name}:{port}",
                     lambda: _target_group(site, wiring, lb, port))
    # A gradually deployed workload gets a second, identical target group: ECS shifts traffic between the two.
    alternate = (ctx.once(f"alb-alternate-target-group:{workload.resource_name}:{lb_name}:{port}",
                          lambda: _target_group(site, wiring, lb, port, alternate=True))
                 if wiring.gradual else None)
    conditions = listener_rule_conditions(props)
    rule = aws.lb.ListenerRule(
        f"{workload.resource_name}-{lb_name}-{listener_port}-{props.priority}-rule",
        listener_arn=listener.arn,
        priority=props.priority,
        actions=forward_actions(group.arn, alternate.arn if alternate is not None else None),
        conditions=conditions,
        tags=ctx.tags,
        opts=workload.child_opts(ignore_changes=GRADUAL_RULE_IGNORE_CHANGES if alternate is not None else None))
    # The service registers targets only once a rule ties the target group to the load balancer.
    wiring.depends_on.append(rule)
    if alternate is not None:
        wiring.traffic_rules.append(TrafficRule(lb, listener_port, props.priority, conditions, rule, group, alternate,
                                                container.name, port))


def _target_group(site: EventSite, wiring: ServiceWiring, lb: ApplicationLoadBalancer,
                  port: int, *, alternate: bool = False) -> aws.lb.TargetGroup:
    """One target group per (load balancer, container port) of a workload, whatever the number of rules.

    `alternate`: the blue/green twin of a gradually deployed workload (the service reaches it through
    the primary's advanced configuration, so it adds no load balancer entry or ingress of its own).
    """
    workload, container = site.workload, site.container
    lb_name = lb.resource_name
    group = _container_target_group(
        site, f"{workload.resource_name}-{lb_name}-{port}{'-alternate' if alternate else ''}-target-group",
        (lb_name, str(port), "bg" if alternate else ""), port, "HTTP", health_path=True)
    if alternate:
        return group
    wiring.load_balancers.append(aws.ecs.ServiceLoadBalancerArgs(
        container_name=container.name, container_port=port, target_group_arn=group.arn))
    _admit_load_balancer(site, wiring, lb.security_group.id, port, f"load balancer {lb_name}", f"alb-{lb_name}")
    return group


def listener_rule_conditions(props: ApplicationLoadBalancerIntegrationProps) -> list[aws.lb.ListenerRuleConditionArgs]:
    """Every condition of an event, ANDed by the rule: paths, headers, methods, hosts, source IPs, query params."""
    conditions: list[aws.lb.ListenerRuleConditionArgs] = []
    if props.paths:
        conditions.append(aws.lb.ListenerRuleConditionArgs(
            path_pattern=aws.lb.ListenerRuleConditionPathPatternArgs(values=list(props.paths))))
    for header in props.headers or []:
        conditions.append(aws.lb.ListenerRuleConditionArgs(
            http_header=aws.lb.ListenerRuleConditionHttpHeaderArgs(http_header_name=header.headerName,
                                                                   values=list(header.values))))
    if props.methods:
        conditions.append(aws.lb.ListenerRuleConditionArgs(
            http_request_method=aws.lb.ListenerRuleConditionHttpRequestMethodArgs(values=list(props.methods))))
    if props.hosts:
        conditions.append(aws.lb.ListenerRuleConditionArgs(
            host_header=aws.lb.ListenerRuleConditionHostHeaderArgs(values=list(props.hosts))))
    if props.sourceIps:
        conditions.append(aws.lb.ListenerRuleConditionArgs(
            source_ip=aws.lb.ListenerRuleConditionSourceIpArgs(values=list(props.sourceIps))))
    for param in props.queryParams or []:
        conditions.append(aws.lb.ListenerRuleConditionArgs(query_strings=[
            aws.lb.ListenerRuleConditionQueryStringArgs(key=param.paramName, value=value) for value in param.values]))
    return conditions


# ---- network-load-balancer --------------------------------------------------------------

def network_load_balancer_event(site: EventSite, wiring: ServiceWiring) -> None:
    """The listener forwards every connection to the workload's TCP target group for the container port."""
    workload, container, props = site.workload, site.container, site.event.properties
    ctx = workload.context
    lb = ctx.component(props.loadBalancerName, NetworkLoadBalancer)
    # The component's own name: a service's nested load balancer is known as `web.networkLoadBalancer`.
    lb_name = lb.resource_name
    port = props.containerPort
    check = container.loadBalancerHealthCheck
    protocol = (check.healthCheckProtocol if check is not None else None) or "TCP"
    # A path means something to HTTP checks only; AWS refuses one on a TCP check.
    group = _container_target_group(site, f"{workload.resource_name}-{lb_name}-{props.listenerPort}-target-group",
                                    (lb_name, str(props.listenerPort)), port, "TCP",
                                    health_protocol=protocol, health_path=protocol == "HTTP")
    listener = lb.forward(props.listenerPort, group)
    wiring.load_balancers.append(aws.ecs.ServiceLoadBalancerArgs(
        container_name=container.name, container_port=port, target_group_arn=group.arn))
    # The service registers targets only once a listener ties the target group to the load balancer.
    wiring.depends_on.append(listener)
    # Only from the load balancer's group: it carries the clients' connections and the health checks.
    _admit_load_balancer(site, wiring, lb.security_group.id, port, f"network load balancer {lb_name}",
                         f"nlb-{lb_name}")


# ---- shared by load balancer events -----------------------------------------------------

def _container_target_group(site: EventSite, logical_name: str, name_parts: tuple[str, ...], port: int,
                            protocol: str, *, health_protocol: str | None = None,
                            health_path: bool) -> aws.lb.TargetGroup:
    """A target group for one container port: the container's `loadBalancerHealthCheck` or the defaults.

    Its name ends in a hash of the inputs that replace it (port, protocol, target type, VPC).
    """
    workload, ctx = site.workload, site.workload.context
    check = site.container.loadBalancerHealthCheck
    health_port = check.healthCheckPort if check is not None else None
    target_type = "ip" if site.fargate else "instance"
    return aws.lb.TargetGroup(
        logical_name,
        name=target_group_name(
            ctx.stack_name,
            {"port": port, "protocol": protocol, "targetType": target_type, "vpcId": ctx.network().vpc_id},
            workload.resource_name, *name_parts),
        port=port,
        protocol=protocol,
        target_type=target_type,
        vpc_id=ctx.network().vpc_id,
        deregistration_delay=DEREGISTRATION_DELAY,
        health_check=aws.lb.TargetGroupHealthCheckArgs(
            path=((check.healthcheckPath if check is not None else None) or HEALTH_CHECK_PATH)
            if health_path else None,
            interval=(check.healthcheckInterval if check is not None else None) or DEFAULT_HEALTH_CHECK_INTERVAL,
            timeout=(check.healthcheckTimeout if check is not None else None) or DEFAULT_HEALTH_CHECK_TIMEOUT,
            healthy_threshold=HEALTHY_THRESHOLD,
            protocol=health_protocol or (check.healthCheckProtocol if check is not None else None) or protocol,
            port=str(health_port) if health_port is not None else None),
        tags=ctx.tags,
        opts=workload.child_opts())


def _admit_load_balancer(site: EventSite, wiring: ServiceWiring, source: pulumi.Input[str], port: int,
                         what: str, key: str) -> None:
    """Ingress from the load balancer's group to the container port, and to a separate health-check port."""
    check = site.container.loadBalancerHealthCheck
    health_port = check.healthCheckPort if check is not None else None
    low, high = _ports(site, port)
    wiring.allow(Ingress(source, low, high, f"from {what} to {port}", f"{key}-{port}"))
    if health_port is not None and health_port != port and site.fargate:
        wiring.allow(Ingress(source, health_port, health_port, f"health checks from {what} to {health_port}",
                             f"{key}-{health_port}"))


# ---- service-connect --------------------------------------------------------------------

def service_connect_event(site: EventSite, wiring: ServiceWiring) -> None:
    """Expose a container port to the stack's workloads under `<alias>:<port>` (ECS Service Connect)."""
    workload, props = site.workload, site.event.properties
    ctx = workload.context
    port = props.containerPort
    exposure = ctx.exchange.service_connect_exposures.setdefault(workload.resource_name, ServiceConnectExposure())
    services = exposure.services
    if port not in exposure.ports:  # the first event of a port names it
        exposure.ports.add(port)
        # The default alias is derived, so it is shortened to a DNS name's 127 characters; the Cloud Map
        # discovery name allows 64 and no '.', so it is derived from the alias (the same when it fits).
        alias = props.alias or physical("service-connect-alias",
                                        f"{workload.resource_name}-{site.container.name}".lower())
        services.append(aws.ecs.ServiceServiceConnectConfigurationServiceArgs(
            port_name=ecs_plan.port_name(port),
            discovery_name=physical("service-connect-discovery", re.sub(r"[^a-z0-9_-]+", "-", alias)),
            client_alias=[aws.ecs.ServiceServiceConnectConfigurationServiceClientAliasArgs(
                port=port, dns_name=alias)]))
    wiring.service_connect = aws.ecs.ServiceServiceConnectConfigurationArgs(
        enabled=True, namespace=ctx.private_namespace().arn, services=list(services))
    low, high = _ports(site, port)
    wiring.allow(Ingress(ctx.service_connect_clients_security_group().id, low, high,
                         f"service connect port {port}", f"service-connect-{port}"))
    servers = ctx.exchange.service_connect_servers
    if workload not in servers:
        servers.append(workload)


def service_connect_clients(workload: TrafficTarget, wiring: ServiceWiring) -> None:
    """In a stack using Service Connect every workload is a client: in the namespace, with the clients group.

    A workload exposing no port gets a client-only configuration and waits for the services already
    built (the ordering rule below builds them first): a client only resolves services that existed
    when its tasks started.
    """
    ctx = workload.context
    servers = ctx.exchange.service_connect_servers
    if not (ctx.plan.service_connect or servers):
        return
    wiring.security_groups.append(ctx.service_connect_clients_security_group().id)
    if wiring.service_connect is None:
        wiring.service_connect = aws.ecs.ServiceServiceConnectConfigurationArgs(
            enabled=True, namespace=ctx.private_namespace().arn)
        wiring.depends_on += [server.service for server in servers if server is not workload]


