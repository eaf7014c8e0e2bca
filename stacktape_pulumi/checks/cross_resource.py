"""Cross-resource checks of a validated config, each issue located at the YAML node at fault.

The models check what one resource can check alone; these checks need several resources. This
module walks the stack once and hands each part to the module of its subject: references
(`references`), `connectTo` (`connect_to`), load balancer events and rule priorities
(`load_balancer`, `network_load_balancer`), HTTP API routes and payload formats (`gateway`), gradual deployments
(`deployments`), containers (`containers`), dead-letter queues (`sqs_queue`), topic
subscriptions (`sns_topic`), function event sources (`function_events`) and environment
variables (`environment`). Every problem is reported, not just the first. References written
as directives are left alone: they resolve later and are checked by the directive machinery.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from stacktape_pulumi.checks.connect_to import check_connect_to
from stacktape_pulumi.checks.environment import check_environments
from stacktape_pulumi.checks.references import StackView
from stacktape_pulumi.errors import ConfigIssue, KeyPath

if TYPE_CHECKING:
    from stacktape_pulumi.checks.gateway import HttpRoute
    from stacktape_pulumi.checks.load_balancer import AlbRule
    from stacktape_pulumi.checks.network_load_balancer import NlbTarget
    from stacktape_pulumi.config.loader import SourceMap
    from stacktape_pulumi.config.models.function import Function
    from stacktape_pulumi.config.models.root import StacktapeConfig
    from stacktape_pulumi.config.models.shared import ApplicationLoadBalancerIntegrationProps, HttpApiIntegrationProps
    from stacktape_pulumi.config.models.workload import MultiContainerWorkload

# The checks of each resource type's parts are imported where a resource of that type is met: validate
# of a stack of workloads loads neither the function, queue and topic checks nor their models.


def check_stack(config: StacktapeConfig, source: SourceMap, data: Any,
                types: dict[str, str] | None = None) -> list[ConfigIssue]:
    """Every cross-resource problem of a config that passed model validation, located.

    `data` is the mapping the config was validated from (after local directives); it is
    read for the environment-variable check so that issues name the keys as written.
    """
    view = StackView(config, source, data if isinstance(data, dict) else {})
    if types is not None:
        # An expanded config: resources keep the types they were written with (a service is no workload
        # to `connectTo`), nested resources have their own.
        view.types = types
    walk = _StackWalk(view)
    return walk.run()


class _StackWalk:
    """One pass over the resources, collecting the listener rules and routes the stack-wide rules compare."""

    def __init__(self, view: StackView) -> None:
        self.view = view
        self.alb_rules: list[AlbRule] = []
        self.nlb_targets: list[NlbTarget] = []
        self.http_routes: list[HttpRoute] = []

    def run(self) -> list[ConfigIssue]:
        view = self.view
        for name, resource in view.config.resources.items():
            base: KeyPath = ("resources", name, "properties")
            if resource.type == "multi-container-workload":
                self._workload(name, resource, base)
            elif resource.type == "function":
                self._function(name, resource, base)
            elif resource.type == "sqs-queue":
                from stacktape_pulumi.checks.sqs_queue import check_dead_letter_queue, check_queue_events
                check_dead_letter_queue(view, name, resource, base)
                check_queue_events(view, name, resource, base)
            elif resource.type == "sns-topic":
                from stacktape_pulumi.checks.sns_topic import check_subscriptions
                check_subscriptions(view, name, resource, base)
            elif resource.type == "application-load-balancer":
                firewall = resource.properties.useFirewall if resource.properties else None
                if firewall is not None:
                    view.reference(firewall, "web-app-firewall", name, "application-load-balancer",
                                   (*base, "useFirewall"))
        if self.alb_rules:
            from stacktape_pulumi.checks.load_balancer import check_rule_priorities
            check_rule_priorities(view, self.alb_rules)
        # A listener no event targets is an error too: the rule runs wherever the stack has a network load balancer.
        if self.nlb_targets or any(r.type == "network-load-balancer" for r in view.config.resources.values()):
            from stacktape_pulumi.checks.network_load_balancer import check_listener_targets
            check_listener_targets(view, self.nlb_targets)
        if self.http_routes:
            from stacktape_pulumi.checks.gateway import check_routes
            check_routes(view, self.http_routes)
        check_environments(view)
        return sorted(view.issues, key=ConfigIssue.sort_key)

    def _alb_event(self, owner: str, owner_type: str, props: ApplicationLoadBalancerIntegrationProps,
                   path: KeyPath) -> None:
        from stacktape_pulumi.checks.load_balancer import check_alb_event
        rule = check_alb_event(self.view, owner, owner_type, props, path)
        if rule is not None:
            self.alb_rules.append(rule)

    def _http_event(self, owner: str, owner_type: str, props: HttpApiIntegrationProps,
                    path: KeyPath) -> HttpRoute | None:
        from stacktape_pulumi.checks.gateway import check_http_event
        route = check_http_event(self.view, owner, owner_type, props, path)
        if route is not None:
            self.http_routes.append(route)
        return route

    def _workload(self, name: str, workload: MultiContainerWorkload, base: KeyPath) -> None:
        from stacktape_pulumi.checks.containers import check_containers
        from stacktape_pulumi.checks.deployments import check_workload_deployment
        from stacktape_pulumi.config.models.workload import (
            WORKLOAD_TYPE,
            ContainerAlbEvent,
            ContainerHttpApiEvent,
            ContainerNlbEvent,
        )
        view, props = self.view, workload.properties
        check_connect_to(view, name, WORKLOAD_TYPE, props.connectTo, base)
        view.issues += check_containers(name, props, base, view.source)
        for index, container in enumerate(props.containers):
            cpath = (*base, "containers", index)
            for mount_index, mount in enumerate(container.volumeMounts or []):
                view.reference(mount.properties.efsFilesystemName, "efs-filesystem", name, WORKLOAD_TYPE,
                               (*cpath, "volumeMounts", mount_index, "properties", "efsFilesystemName"))
            for event_index, event in enumerate(container.events or []):
                epath = (*cpath, "events", event_index, "properties")
                if isinstance(event, ContainerAlbEvent):
                    self._alb_event(name, WORKLOAD_TYPE, event.properties, epath)
                elif isinstance(event, ContainerHttpApiEvent):
                    from stacktape_pulumi.checks.gateway import check_container_payload_format
                    self._http_event(name, WORKLOAD_TYPE, event.properties, epath)
                    check_container_payload_format(view, name, event, epath)
                elif isinstance(event, ContainerNlbEvent):
                    from stacktape_pulumi.checks.network_load_balancer import check_nlb_event
                    target = check_nlb_event(view, name, WORKLOAD_TYPE, event.properties, epath)
                    if target is not None:
                        self.nlb_targets.append(target)
        check_workload_deployment(view, name, workload, base)

    def _function(self, name: str, function: Function, base: KeyPath) -> None:
        from stacktape_pulumi.checks.deployments import check_hook_functions
        from stacktape_pulumi.checks.function_events import check_event_sources
        from stacktape_pulumi.checks.gateway import check_function_payload_formats
        from stacktape_pulumi.config.models.function import FunctionAlbEvent, FunctionHttpApiEvent, LambdaEfsMount
        view, props = self.view, function.properties
        check_connect_to(view, name, "function", props.connectTo, base)
        for mount_index, mount in enumerate(props.volumeMounts or []):
            if isinstance(mount, LambdaEfsMount):
                view.reference(mount.properties.efsFilesystemName, "efs-filesystem", name, "function",
                               (*base, "volumeMounts", mount_index, "properties", "efsFilesystemName"))
        routes: list[HttpRoute] = []
        for event_index, event in enumerate(props.events or []):
            epath = (*base, "events", event_index, "properties")
            if isinstance(event, FunctionAlbEvent):
                self._alb_event(name, "function", event.properties, epath)
            elif isinstance(event, FunctionHttpApiEvent):
                route = self._http_event(name, "function", event.properties, epath)
                if route is not None:
                    routes.append(route)
        check_function_payload_formats(view, name, routes)
        check_event_sources(view, name, function, base)
        if props.deployment is not None:
            check_hook_functions(view, name, "function", props.deployment, (*base, "deployment"))
