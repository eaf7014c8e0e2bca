"""Gradual deployments of workloads: hooks exist and answer ECS, one listener rule to shift, a free test listener."""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING

from stacktape_pulumi.config.models.workload import (
    DEFAULT_TEST_LISTENER_PORT,
    WORKLOAD_TYPE,
    ContainerAlbEvent,
    ContainerWorkloadDeployment,
    MultiContainerWorkload,
)

if TYPE_CHECKING:
    from stacktape_pulumi.checks.references import StackView
    from stacktape_pulumi.config.models.function import LambdaDeployment
    from stacktape_pulumi.errors import KeyPath

HOOK_KEYS = ("beforeAllowTrafficFunction", "afterTrafficShiftFunction")


# A hook written for the reference reports its verdict to CodeDeploy (the SDK call, in the spellings of
# the JavaScript, Python and other SDKs); here a hook is an ECS lifecycle hook and returns it.
CODEDEPLOY_CALL = re.compile(r"PutLifecycleEventHookExecutionStatus|put_lifecycle_event_hook_execution_status",
                             re.IGNORECASE)
# Hook sources larger than this are not read (a hook is a small script; a bundle is not searched).
MAX_HOOK_SOURCE_BYTES = 1024 * 1024


def check_hook_functions(view: StackView, owner: str, owner_type: str,
                         deployment: ContainerWorkloadDeployment | LambdaDeployment, dpath: KeyPath) -> None:
    """The functions a deployment runs before and after shifting traffic exist, and answer as ECS hooks."""
    for key in HOOK_KEYS:
        target = getattr(deployment, key)
        if target is not None and view.reference(target, "function", owner, owner_type, (*dpath, key)) \
                and owner_type == WORKLOAD_TYPE:
            _hook_answers_ecs(view, target, (*dpath, key))


def _hook_answers_ecs(view: StackView, function: str, path: KeyPath) -> None:
    """A hook function whose source calls CodeDeploy would never answer ECS: the deployment times out."""
    # `view.reference` made sure `function` is a function resource, so the function models are loaded.
    from stacktape_pulumi.config.models.function import StacktapeLambdaBuildpackPackaging
    packaging = getattr(view.config.resources[function].properties, "packaging", None)
    if not isinstance(packaging, StacktapeLambdaBuildpackPackaging):
        return
    source = Path(view.source.file).parent / packaging.properties.entryfilePath
    try:
        if source.stat().st_size > MAX_HOOK_SOURCE_BYTES:
            return
        text = source.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return  # a missing entry file is the packaging check's to report
    found = CODEDEPLOY_CALL.search(text)
    if found is None:
        return
    view.add(path,
             f"hook function {function} reports to CodeDeploy ({found.group(0)} in "
             f"{packaging.properties.entryfilePath}), but stacktape-pulumi deploys with ECS's own strategies: "
             "the hook is an ECS lifecycle hook, nothing reads CodeDeploy's answer, and the deployment waits "
             "for the hook until it fails.",
             "remove the CodeDeploy call and return the verdict instead: "
             "return {\"hookStatus\": \"SUCCEEDED\"} (or \"FAILED\"); see programs/hooks/smoke_test.py")


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
    from stacktape_pulumi.checks.load_balancer import default_listener_port, listener_ports, ports_hint
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
