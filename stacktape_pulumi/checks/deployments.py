"""Gradual deployments of workloads: hook functions exist, one listener rule to shift, a free test listener."""

from stacktape_pulumi.checks.load_balancer import default_listener_port, listener_ports, ports_hint
from stacktape_pulumi.checks.references import StackView
from stacktape_pulumi.config.models.function import LambdaDeployment
from stacktape_pulumi.config.models.workload import (
    DEFAULT_TEST_LISTENER_PORT,
    WORKLOAD_TYPE,
    ContainerAlbEvent,
    ContainerWorkloadDeployment,
    MultiContainerWorkload,
)
from stacktape_pulumi.errors import KeyPath

HOOK_KEYS = ("beforeAllowTrafficFunction", "afterTrafficShiftFunction")


def check_hook_functions(view: StackView, owner: str, owner_type: str,
                         deployment: ContainerWorkloadDeployment | LambdaDeployment, dpath: KeyPath) -> None:
    """The functions a deployment runs before and after shifting traffic exist."""
    for key in HOOK_KEYS:
        target = getattr(deployment, key)
        if target is not None:
            view.reference(target, "function", owner, owner_type, (*dpath, key))


def check_workload_deployment(view: StackView, name: str, workload: MultiContainerWorkload, base: KeyPath) -> None:
    """A workload's gradual deployment, when it has one."""
    deployment = workload.properties.deployment
    if deployment is None:
        return
    dpath = (*base, "deployment")
    check_hook_functions(view, name, WORKLOAD_TYPE, deployment, dpath)
    if deployment.beforeAllowTrafficFunction is not None:
        _test_listener(view, name, workload, deployment, dpath)
    _single_deployment_rule(view, name, workload, base)


def _single_deployment_rule(view: StackView, owner: str, workload: MultiContainerWorkload, base: KeyPath) -> None:
    """ECS shifts a gradual deployment's traffic on exactly one listener rule: one ALB event."""
    events = [(ci, ei) for ci, container in enumerate(workload.properties.containers)
              for ei, event in enumerate(container.events or []) if isinstance(event, ContainerAlbEvent)]
    for ci, ei in events[1:]:
        view.add((*base, "containers", ci, "events", ei),
                 f"Error in {WORKLOAD_TYPE} {owner}: a workload with deployment can have only one "
                 "application-load-balancer event: ECS shifts the traffic of exactly one listener rule.",
                 "merge the events' conditions into one event, or remove deployment")


def _test_listener(view: StackView, owner: str, workload: MultiContainerWorkload,
                   deployment: ContainerWorkloadDeployment, dpath: KeyPath) -> None:
    """With beforeAllowTrafficFunction, custom listeners need an existing testListenerPort (e62, e45)."""
    balancers = {
        event.properties.loadBalancerName
        for container in workload.properties.containers
        for event in container.events or []
        if isinstance(event, ContainerAlbEvent)
        and view.types.get(event.properties.loadBalancerName) == "application-load-balancer"
    }
    for lb_name in sorted(balancers):
        listeners = listener_ports(view, lb_name)
        production = {event.properties.listenerPort or default_listener_port(view, lb_name)
                      for container in workload.properties.containers for event in container.events or []
                      if isinstance(event, ContainerAlbEvent) and event.properties.loadBalancerName == lb_name}
        test_port = deployment.testListenerPort or DEFAULT_TEST_LISTENER_PORT
        taken = production if listeners is not None else {80, default_listener_port(view, lb_name)}
        if test_port in taken and (listeners is None or deployment.testListenerPort is not None):
            view.add((*dpath, "testListenerPort") if deployment.testListenerPort is not None else dpath,
                     f"Error in {WORKLOAD_TYPE} {owner}: test traffic cannot use port {test_port}: it is a "
                     f"production listener of application-load-balancer {lb_name}.",
                     f"choose another testListenerPort (default {DEFAULT_TEST_LISTENER_PORT})",
                     at_key=deployment.testListenerPort is None)
            return
        if listeners is None:
            continue
        if deployment.testListenerPort is None:
            view.add(dpath,
                     f"Error in {WORKLOAD_TYPE} {owner}: You need to specify testListenerPort when "
                     "using beforeAllowTrafficFunction and load balancer with custom listeners",
                     ports_hint(lb_name, listeners), at_key=True)
            return
        if deployment.testListenerPort not in listeners:
            view.add((*dpath, "testListenerPort"),
                     f"Error in {WORKLOAD_TYPE} resource {owner}.\nReferenced application-load-balancer "
                     f"{lb_name} does NOT have listener on port {deployment.testListenerPort}.",
                     ports_hint(lb_name, listeners))
