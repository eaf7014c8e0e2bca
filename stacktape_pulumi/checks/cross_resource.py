"""Cross-resource checks of a validated config, each issue located at the YAML node at fault.

The models check what one resource can check alone; these checks need several resources:
references to other resources (and their types), load balancer listeners and rule
priorities, HTTP API routes, payload formats inherited from gateways, and `connectTo`.
Every problem is reported, not just the first. References written as directives are
left alone: they resolve later and are checked by the directive machinery.
"""

from collections.abc import Iterator
from dataclasses import dataclass
from itertools import pairwise
from typing import Any

from stacktape_pulumi.checks.connect_targets import (
    CONNECT_TO_MACROS,
    NOT_CONNECTABLE_TYPES,
    injected_names,
    not_connectable_message,
)
from stacktape_pulumi.checks.containers import check_containers
from stacktape_pulumi.config.loader import SourceMap
from stacktape_pulumi.config.models.application_load_balancer import ApplicationLoadBalancer
from stacktape_pulumi.config.models.function import (
    Function,
    FunctionAlbEvent,
    FunctionHttpApiEvent,
    LambdaEfsMount,
)
from stacktape_pulumi.config.models.http_api_gateway import HttpApiGateway
from stacktape_pulumi.config.models.root import StacktapeConfig
from stacktape_pulumi.config.models.shared import (
    ApplicationLoadBalancerIntegrationProps,
    CognitoAuthorizer,
    HttpApiIntegrationProps,
    LambdaAuthorizer,
    did_you_mean,
    is_directive,
)
from stacktape_pulumi.config.models.sns_topic import FunctionSubscription, SnsTopic, SqsQueueSubscription
from stacktape_pulumi.config.models.sqs_queue import QUEUE_TYPE, SqsQueue
from stacktape_pulumi.config.models.workload import (
    DEFAULT_TEST_LISTENER_PORT,
    WORKLOAD_TYPE,
    ContainerAlbEvent,
    ContainerHttpApiEvent,
    ContainerNlbEvent,
    ContainerWorkloadDeployment,
    MultiContainerWorkload,
)
from stacktape_pulumi.errors import ConfigIssue, KeyPath

# Types a config may reference but stacktape-pulumi cannot build (so no resource can match).
UNSUPPORTED_REFERENCE_TYPES = (
    "network-load-balancer", "efs-filesystem", "user-auth-pool", "web-app-firewall",
)


@dataclass(frozen=True)
class _AlbRule:
    """One ALB event (listener rule) of a workload or function."""

    owner: str
    owner_type: str
    path: KeyPath
    props: ApplicationLoadBalancerIntegrationProps


@dataclass(frozen=True)
class _HttpRoute:
    """One HTTP API event (route) of a workload or function."""

    owner: str
    owner_type: str
    path: KeyPath
    props: HttpApiIntegrationProps


def check_stack(config: StacktapeConfig, source: SourceMap, data: Any) -> list[ConfigIssue]:
    """Every cross-resource problem of a config that passed model validation, located.

    `data` is the mapping the config was validated from (after local directives); it is
    read for the environment-variable check so that issues name the keys as written.
    """
    return _StackChecker(config, source, data).run()


class _StackChecker:
    def __init__(self, config: StacktapeConfig, source: SourceMap, data: Any) -> None:
        self.config = config
        self.source = source
        self.data = data if isinstance(data, dict) else {}
        self.types = {name: resource.type for name, resource in config.resources.items()}
        self.issues: list[ConfigIssue] = []
        self.alb_rules: list[_AlbRule] = []
        self.http_routes: list[_HttpRoute] = []

    def run(self) -> list[ConfigIssue]:
        for name, resource in self.config.resources.items():
            base: KeyPath = ("resources", name, "properties")
            if isinstance(resource, MultiContainerWorkload):
                self._workload(name, resource, base)
            elif isinstance(resource, Function):
                self._function(name, resource, base)
            elif isinstance(resource, SqsQueue):
                self._sqs_queue(name, resource, base)
            elif isinstance(resource, SnsTopic):
                self._sns_topic(name, resource, base)
            elif isinstance(resource, ApplicationLoadBalancer):
                firewall = resource.properties.useFirewall if resource.properties else None
                if firewall is not None:
                    self._reference(firewall, "web-app-firewall", name, "application-load-balancer",
                                    (*base, "useFirewall"))
        self._alb_priorities()
        self._http_routes()
        self._environment_duplicates()
        self._injected_environment()
        return sorted(self.issues, key=ConfigIssue.sort_key)

    # --- per resource ----------------------------------------------------------------

    def _workload(self, name: str, workload: MultiContainerWorkload, base: KeyPath) -> None:
        props = workload.properties
        self._connect_to(name, WORKLOAD_TYPE, props.connectTo, base)
        self.issues += check_containers(name, props, base, self.source)
        for index, container in enumerate(props.containers):
            cpath = (*base, "containers", index)
            for mount_index, mount in enumerate(container.volumeMounts or []):
                self._reference(mount.properties.efsFilesystemName, "efs-filesystem", name, WORKLOAD_TYPE,
                                (*cpath, "volumeMounts", mount_index, "properties", "efsFilesystemName"))
            for event_index, event in enumerate(container.events or []):
                epath = (*cpath, "events", event_index, "properties")
                if isinstance(event, ContainerAlbEvent):
                    self._alb_event(name, WORKLOAD_TYPE, event.properties, epath)
                elif isinstance(event, ContainerHttpApiEvent):
                    self._http_event(name, WORKLOAD_TYPE, event.properties, epath)
                    self._container_payload_format(name, event, epath)
                elif isinstance(event, ContainerNlbEvent):
                    self._reference(event.properties.loadBalancerName, "network-load-balancer", name,
                                    WORKLOAD_TYPE, (*epath, "loadBalancerName"))
        deployment = props.deployment
        if deployment is None:
            return
        dpath = (*base, "deployment")
        for key in ("beforeAllowTrafficFunction", "afterTrafficShiftFunction"):
            target = getattr(deployment, key)
            if target is not None:
                self._reference(target, "function", name, WORKLOAD_TYPE, (*dpath, key))
        if deployment.beforeAllowTrafficFunction is not None:
            self._test_listener(name, workload, deployment, dpath)
        self._single_deployment_rule(name, workload, base)

    def _function(self, name: str, function: Function, base: KeyPath) -> None:
        props = function.properties
        self._connect_to(name, "function", props.connectTo, base)
        for mount_index, mount in enumerate(props.volumeMounts or []):
            if isinstance(mount, LambdaEfsMount):
                self._reference(mount.properties.efsFilesystemName, "efs-filesystem", name, "function",
                                (*base, "volumeMounts", mount_index, "properties", "efsFilesystemName"))
        formats: list[tuple[str, KeyPath, HttpApiIntegrationProps]] = []
        for event_index, event in enumerate(props.events or []):
            epath = (*base, "events", event_index, "properties")
            if isinstance(event, FunctionAlbEvent):
                self._alb_event(name, "function", event.properties, epath)
            elif isinstance(event, FunctionHttpApiEvent):
                http = event.properties
                if self._http_event(name, "function", http, epath):
                    formats.append((self._payload_format(http), epath, http))
        for (first, _, _), (fmt, epath, event_props) in pairwise(formats):
            if fmt != first:
                written = event_props.payloadFormat is not None
                self._add((*epath, "payloadFormat") if written else (*epath, "httpApiGatewayName"),
                          f"Error in function \"{name}\". All http-api-gateway event integrations must use "
                          "the same \"payloadFormat\".",
                          "You can set payload format globally for entire http-api-gateway by setting "
                          "\"payloadFormat\" property in http-api-gateway config.")
                break
        if props.deployment is not None:
            for key in ("beforeAllowTrafficFunction", "afterTrafficShiftFunction"):
                target = getattr(props.deployment, key)
                if target is not None:
                    self._reference(target, "function", name, "function", (*base, "deployment", key))

    # --- events ----------------------------------------------------------------------

    def _alb_event(self, owner: str, owner_type: str, props: ApplicationLoadBalancerIntegrationProps,
                   path: KeyPath) -> None:
        lb_name = props.loadBalancerName
        if not self._reference(lb_name, "application-load-balancer", owner, owner_type,
                               (*path, "loadBalancerName")):
            return
        listeners = self._listener_ports(lb_name)
        where = (f"Error in {owner_type} resource {owner} when referencing application-load-balancer "
                 f"{lb_name}.\n")
        port = props.listenerPort
        if port is not None and listeners is None:
            self._add((*path, "listenerPort"),
                      f"{where}You cannot specify listenerPort property when application-load-balancer does "
                      "not use custom listeners.",
                      f"remove listenerPort; without custom listeners the rule goes to port "
                      f"{self._default_listener_port(lb_name)}")
        elif port is not None and listeners is not None and port not in listeners:
            self._add((*path, "listenerPort"),
                      f"Error in {owner_type} resource {owner}.\nReferenced application-load-balancer "
                      f"{lb_name} does NOT have listener on port {port}.",
                      _ports_hint(lb_name, listeners))
        elif port is None and listeners is not None:
            self._add(path,
                      f"{where}You need to specify listenerPort property when application-load-balancer uses "
                      "custom listeners.",
                      _ports_hint(lb_name, listeners), at_key=True)
        else:
            self.alb_rules.append(_AlbRule(owner, owner_type, path, props))

    def _http_event(self, owner: str, owner_type: str, props: HttpApiIntegrationProps, path: KeyPath) -> bool:
        authorizer = props.authorizer
        apath = (*path, "authorizer", "properties")
        if isinstance(authorizer, LambdaAuthorizer):
            self._reference(authorizer.properties.functionName, "function", owner, owner_type,
                            (*apath, "functionName"))
        elif isinstance(authorizer, CognitoAuthorizer):
            self._reference(authorizer.properties.userPoolName, "user-auth-pool", owner, owner_type,
                            (*apath, "userPoolName"))
        if not self._reference(props.httpApiGatewayName, "http-api-gateway", owner, owner_type,
                               (*path, "httpApiGatewayName")):
            return False
        self.http_routes.append(_HttpRoute(owner, owner_type, path, props))
        return True

    def _container_payload_format(self, owner: str, event: ContainerHttpApiEvent, path: KeyPath) -> None:
        # The event's own payloadFormat is checked by the model; here the gateway's default.
        props = event.properties
        if props.payloadFormat is not None or is_directive(props.httpApiGatewayName):
            return
        if self.types.get(props.httpApiGatewayName) != "http-api-gateway":
            return
        if self._payload_format(props) != "1.0":
            self._add((*path, "httpApiGatewayName"),
                      f"Error in {WORKLOAD_TYPE} \"{owner}\". {WORKLOAD_TYPE} http-api-gateway events only "
                      "support payload format version \"1.0\".",
                      f"http-api-gateway {props.httpApiGatewayName} sets payloadFormat \"2.0\"; set "
                      "payloadFormat: \"1.0\" on this event")

    def _payload_format(self, props: HttpApiIntegrationProps) -> str:
        """Event format, else the gateway's, else "1.0" (behaviour notes §1.6)."""
        if props.payloadFormat is not None:
            return props.payloadFormat
        gateway = self.config.resources.get(props.httpApiGatewayName)
        if isinstance(gateway, HttpApiGateway) and gateway.properties is not None:
            return gateway.properties.payloadFormat or "1.0"
        return "1.0"

    def _single_deployment_rule(self, owner: str, workload: MultiContainerWorkload, base: KeyPath) -> None:
        """ECS shifts a gradual deployment's traffic on exactly one listener rule: one ALB event."""
        events = [(ci, ei) for ci, container in enumerate(workload.properties.containers)
                  for ei, event in enumerate(container.events or []) if isinstance(event, ContainerAlbEvent)]
        for ci, ei in events[1:]:
            self._add((*base, "containers", ci, "events", ei),
                      f"Error in {WORKLOAD_TYPE} {owner}: a workload with deployment can have only one "
                      "application-load-balancer event: ECS shifts the traffic of exactly one listener rule.",
                      "merge the events' conditions into one event, or remove deployment")

    def _test_listener(self, owner: str, workload: MultiContainerWorkload,
                       deployment: ContainerWorkloadDeployment, dpath: KeyPath) -> None:
        """With beforeAllowTrafficFunction, custom listeners need an existing testListenerPort (e62, e45)."""
        balancers = {
            event.properties.loadBalancerName
            for container in workload.properties.containers
            for event in container.events or []
            if isinstance(event, ContainerAlbEvent)
            and self.types.get(event.properties.loadBalancerName) == "application-load-balancer"
        }
        for lb_name in sorted(balancers):
            listeners = self._listener_ports(lb_name)
            production = {event.properties.listenerPort or self._default_listener_port(lb_name)
                          for container in workload.properties.containers for event in container.events or []
                          if isinstance(event, ContainerAlbEvent) and event.properties.loadBalancerName == lb_name}
            test_port = deployment.testListenerPort or DEFAULT_TEST_LISTENER_PORT
            taken = production if listeners is not None else {80, self._default_listener_port(lb_name)}
            if test_port in taken and (listeners is None or deployment.testListenerPort is not None):
                self._add((*dpath, "testListenerPort") if deployment.testListenerPort is not None else dpath,
                          f"Error in {WORKLOAD_TYPE} {owner}: test traffic cannot use port {test_port}: it is a "
                          f"production listener of application-load-balancer {lb_name}.",
                          f"choose another testListenerPort (default {DEFAULT_TEST_LISTENER_PORT})",
                          at_key=deployment.testListenerPort is None)
                return
            if listeners is None:
                continue
            if deployment.testListenerPort is None:
                self._add(dpath,
                          f"Error in {WORKLOAD_TYPE} {owner}: You need to specify testListenerPort when "
                          "using beforeAllowTrafficFunction and load balancer with custom listeners",
                          _ports_hint(lb_name, listeners), at_key=True)
                return
            if deployment.testListenerPort not in listeners:
                self._add((*dpath, "testListenerPort"),
                          f"Error in {WORKLOAD_TYPE} resource {owner}.\nReferenced application-load-balancer "
                          f"{lb_name} does NOT have listener on port {deployment.testListenerPort}.",
                          _ports_hint(lb_name, listeners))

    # --- stack-wide ------------------------------------------------------------------

    def _alb_priorities(self) -> None:
        """Rule priorities are unique per (load balancer, listener port), across all resources (e93)."""
        seen: dict[tuple[str, int, int], _AlbRule] = {}
        for rule in self.alb_rules:
            lb_name = rule.props.loadBalancerName
            port = rule.props.listenerPort or self._default_listener_port(lb_name)
            key = (lb_name, port, rule.props.priority)
            first = seen.setdefault(key, rule)
            if first is rule:
                continue
            self._add((*rule.path, "priority"),
                      f"Error in event integrations of application-load-balancer {lb_name}. Events on "
                      f"two different resources({rule.owner} and {first.owner}) are using the same priority "
                      "which is not allowed.",
                      f"priority {rule.props.priority} on listener {port} is also used at line "
                      f"{self.source.value_position((*first.path, 'priority')).line}")

    def _http_routes(self) -> None:
        """Method + path are unique per gateway (e92); `*` and `$default` are the same route."""
        seen: dict[tuple[str, str, str], _HttpRoute] = {}
        for route in self.http_routes:
            path = "$default" if route.props.path in ("*", "$default") else route.props.path
            key = (route.props.httpApiGatewayName, route.props.method, path)
            first = seen.setdefault(key, route)
            if first is route:
                continue
            gateway = route.props.httpApiGatewayName
            self._add((*route.path, "path"),
                      f"Error in event integrations of http-api-gateway {gateway}. Events on two different "
                      f"resources({route.owner} and {first.owner}) are using the same path and method which "
                      "is not allowed.",
                      f"the same route is defined at line "
                      f"{self.source.value_position((*first.path, 'path')).line}")

    def _environment_duplicates(self) -> None:
        """A variable defined twice in one container (or function) environment."""
        for env_path, entries in self._environments():
            first_index: dict[str, int] = {}
            for index, entry in enumerate(entries):
                name = entry.get("name") if isinstance(entry, dict) else None
                if not isinstance(name, str):
                    continue
                if name not in first_index:
                    first_index[name] = index
                    continue
                line = self.source.value_position((*env_path, first_index[name], "name")).line
                self._add((*env_path, index, "name"), f"environment variable '{name}' is defined twice",
                          f"first defined on line {line}; remove one of the two entries")

    def _environments(self) -> Iterator[tuple[KeyPath, list[Any]]]:
        resources = self.data.get("resources")
        if not isinstance(resources, dict):
            return
        for name, resource in self.config.resources.items():
            raw = resources.get(name)
            props = raw.get("properties") if isinstance(raw, dict) else None
            if not isinstance(props, dict):
                continue
            base: KeyPath = ("resources", name, "properties")
            if isinstance(resource, MultiContainerWorkload):
                for index, container in enumerate(props.get("containers") or []):
                    env = container.get("environment") if isinstance(container, dict) else None
                    if isinstance(env, list):
                        yield (*base, "containers", index, "environment"), env
            elif isinstance(resource, Function) and isinstance(props.get("environment"), list):
                yield (*base, "environment"), props["environment"]

    def _injected_environment(self) -> None:
        """A user variable named like one connectTo injects (`STP_<TARGET>_<PARAM>`) would be silently replaced."""
        for env_path, entries in self._environments():
            owner = str(env_path[1])
            resource = self.config.resources[owner]
            injected: dict[str, str] = {}
            for target in getattr(resource.properties, "connectTo", None) or []:
                target_resource = self.config.resources.get(target)
                for env_name in injected_names(target, target_resource) if target_resource else []:
                    injected.setdefault(env_name, target)
            for index, entry in enumerate(entries):
                name = entry.get("name") if isinstance(entry, dict) else None
                if isinstance(name, str) and name in injected:
                    self._add((*env_path, index, "name"),
                              f"environment variable '{name}' has the same name as a variable injected by "
                              f"connectTo '{injected[name]}'",
                              f"connectTo sets {name} itself; rename or remove this variable")

    # --- queues and topics -----------------------------------------------------------

    def _sqs_queue(self, name: str, queue: SqsQueue, base: KeyPath) -> None:
        """The dead-letter queue exists, and is FIFO exactly when the queue is (an SQS rule)."""
        redrive = queue.properties.redrivePolicy if queue.properties else None
        target = redrive.targetSqsQueueName if redrive else None
        path = (*base, "redrivePolicy", "targetSqsQueueName")
        if target is None or not self._reference(target, QUEUE_TYPE, name, QUEUE_TYPE, path):
            return
        if target == name:
            self._add(path, f"sqs-queue {name} cannot be its own dead-letter queue.",
                      "create another sqs-queue for the failed messages")
        elif _fifo(self.config.resources[target]) != _fifo(queue):
            kind = "a FIFO" if _fifo(queue) else "a standard"
            self._add(path, f"The dead-letter queue of {kind} queue must also be {kind} queue: sqs-queue {target} "
                            f"{'is not' if _fifo(queue) else 'is'} FIFO.",
                      f"set fifoEnabled: {str(_fifo(queue)).lower()} on {target}, or use another queue")

    def _sns_topic(self, name: str, topic: SnsTopic, base: KeyPath) -> None:
        """Subscribed queues and functions exist; FIFO topics deliver only to FIFO queues and vice versa."""
        fifo = _fifo(topic)
        subscriptions = topic.properties.subscriptions if topic.properties else None
        for index, subscription in enumerate(subscriptions or []):
            spath = (*base, "subscriptions", index, "properties")
            if isinstance(subscription, SqsQueueSubscription):
                queue = subscription.properties.sqsQueueName
                qpath = (*spath, "sqsQueueName")
                if self._reference(queue, QUEUE_TYPE, name, "sns-topic", qpath) \
                        and _fifo(self.config.resources[queue]) != fifo:
                    self._add(qpath,
                              f"{'A FIFO' if fifo else 'A standard'} sns-topic can only deliver to "
                              f"{'FIFO' if fifo else 'standard'} queues; sqs-queue {queue} "
                              f"{'is not' if fifo else 'is'} FIFO.",
                              f"set fifoEnabled: {str(fifo).lower()} on {queue}")
            elif isinstance(subscription, FunctionSubscription):
                fpath = (*spath, "functionName")
                if self._reference(subscription.properties.functionName, "function", name, "sns-topic", fpath) \
                        and fifo:
                    self._add((*base, "subscriptions", index, "type"),
                              f"FIFO sns-topic {name} can only deliver to FIFO SQS queues, not to functions.",
                              "subscribe a FIFO sqs-queue and consume it from the function")

    # --- references ------------------------------------------------------------------

    def _connect_to(self, owner: str, owner_type: str, targets: list[str] | None, base: KeyPath) -> None:
        for index, target in enumerate(targets or []):
            path = (*base, "connectTo", index)
            if target in CONNECT_TO_MACROS or is_directive(target):
                continue
            actual = self.types.get(target)
            if actual is None:
                self._add(path,
                          f"Referenced resource with name {target} could not be resolved in the config "
                          f"(referenced from {owner}({owner_type})).",
                          did_you_mean(target, [*self.types, *CONNECT_TO_MACROS])
                          or f"resources: {', '.join(self.types)}")
            elif actual in NOT_CONNECTABLE_TYPES:
                self._add(path, not_connectable_message(owner, target, actual),
                          "connectTo grants access to functions, workloads and data resources; route traffic "
                          "with events instead")

    def _reference(self, target: str, expected: str, owner: str, owner_type: str, path: KeyPath) -> bool:
        """Whether `target` names a resource of type `expected`; records e36 otherwise."""
        if is_directive(target):
            return False
        actual = self.types.get(target)
        if actual == expected:
            return True
        if expected in UNSUPPORTED_REFERENCE_TYPES:
            hint: str | None = f"'{expected}' resources are not supported by stacktape-pulumi yet"
        elif actual is not None:
            hint = (f"Referenced resource does not have the correct type ({expected}); {target} is of type "
                    f"{actual}")
        else:
            candidates = [name for name, rtype in self.types.items() if rtype == expected]
            hint = did_you_mean(target, candidates)
            if hint is None:
                hint = (f"{expected} resources: {', '.join(candidates)}" if candidates
                        else f"no {expected} resource is defined")
        self._add(path,
                  f"Referenced resource with name {target} of type {expected} could not be resolved in the "
                  f"config (referenced from {owner}({owner_type})).",
                  hint)
        return False

    def _listener_ports(self, lb_name: str) -> list[int] | None:
        """Ports of the load balancer's custom listeners, or None when it uses the default ones."""
        lb = self.config.resources.get(lb_name)
        if isinstance(lb, ApplicationLoadBalancer) and lb.properties is not None and lb.properties.listeners:
            return [listener.port for listener in lb.properties.listeners]
        return None

    def _default_listener_port(self, lb_name: str) -> int:
        """Listener of rules without listenerPort on default listeners: 443 with customDomains, else 80.

        Without custom domains there is no certificate for the HTTPS listener, so rules go to
        the HTTP listener (the reference always uses 443, backed by its own default domain).
        """
        lb = self.config.resources.get(lb_name)
        props = lb.properties if isinstance(lb, ApplicationLoadBalancer) else None
        return 443 if props is not None and props.customDomains else 80

    def _add(self, path: KeyPath, message: str, hint: str | None = None, *, at_key: bool = False) -> None:
        self.issues.append(self.source.issue(path, message, hint, at_key=at_key))


def _fifo(resource: Any) -> bool:
    props = getattr(resource, "properties", None)
    return bool(getattr(props, "fifoEnabled", False))


def _ports_hint(lb_name: str, ports: list[int]) -> str:
    return f"listener ports of {lb_name}: {', '.join(str(port) for port in ports)}"
