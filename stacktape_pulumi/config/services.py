"""Web, private and worker services expanded into what they are made of (behaviour notes §2.11).

A service is a multi-container workload with a main container named `service-container`, its side
containers, and — for web and private services — the load balancing that brings traffic to it: an
HTTP API, an application or network load balancer, or Service Connect. Expanding once, here, lets `validate`
run every workload, gateway and load balancer rule on a service, and lets the service components
build it with the workload, gateway and load balancer components themselves.

The expansion names its nested resources by the reference's name chains (`web.httpApiGateway`,
`web.loadBalancer`, `web.networkLoadBalancer`): a dot never appears in a resource name of a config, so
they cannot collide.
Every problem found in the expansion is translated back to the key the user wrote
(`workload_path`, `nested_path`).
"""

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, cast

from pydantic import BaseModel, ValidationError

from stacktape_pulumi.config.loader import SourceMap
from stacktape_pulumi.config.models.application_load_balancer import (
    ApplicationLoadBalancer,
    ApplicationLoadBalancerProps,
)
from stacktape_pulumi.config.models.common import STACKTAPE_ERROR
from stacktape_pulumi.config.models.http_api_gateway import HttpApiGateway, HttpApiGatewayProps
from stacktape_pulumi.config.models.network_load_balancer import NetworkLoadBalancer, NetworkLoadBalancerProps
from stacktape_pulumi.config.models.root import StacktapeConfig
from stacktape_pulumi.config.models.service import (
    SERVICE_TYPES,
    PrivateServiceProps,
    SimpleServiceProps,
    WebServiceProps,
)
from stacktape_pulumi.config.models.workload import WORKLOAD_TYPE, MultiContainerWorkload, MultiContainerWorkloadProps
from stacktape_pulumi.config.stack import ExpandedStack
from stacktape_pulumi.config.validate import data_path
from stacktape_pulumi.errors import ConfigIssue, KeyPath, Problem

MAIN_CONTAINER = "service-container"
# The reference's fixed container port of a web service (injected as PORT).
WEB_SERVICE_PORT = 3000
SERVICE_HOST = "0.0.0.0"
# The reference's priority of the one listener rule a service's own load balancer has.
SERVICE_RULE_PRIORITY = 3
DEFAULT_TEST_LISTENER_PORT = 8080
HTTP_API_GATEWAY = "httpApiGateway"
LOAD_BALANCER = "loadBalancer"
NETWORK_LOAD_BALANCER = "networkLoadBalancer"
# The reference's protocol of a web service's NLB port.
DEFAULT_NLB_PROTOCOL = "TLS"
# Keys of the main container's props that the expansion copies as they are.
_CONTAINER_KEYS = ("packaging", "logging", "internalHealthCheck", "stopTimeout", "volumeMounts")
# Workload-level keys copied as they are.
_WORKLOAD_KEYS = ("resources", "scaling", "connectTo", "iamRoleStatements", "enableRemoteSessions",
                  "usePrivateSubnetsWithNAT")
# Keys of a web service that belong to its HTTP API or load balancer.
_GATEWAY_KEYS = ("cors", "customDomains", "cdn", "alarms", "disabledGlobalAlarms")
_LOAD_BALANCER_KEYS = ("customDomains", "cdn", "alarms", "disabledGlobalAlarms", "useFirewall")
NLB_PORTS_PATH = ("loadBalancing", "properties", "ports")


class ExpansionError(Exception):
    """The expansion of a service breaks a workload, gateway or load balancer rule (problems at service keys)."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("; ".join(p.message for p in problems))
        self.problems = problems


NESTED_PROPS: dict[str, type[BaseModel]] = {
    "http-api-gateway": HttpApiGatewayProps,
    "application-load-balancer": ApplicationLoadBalancerProps,
    "network-load-balancer": NetworkLoadBalancerProps,
}
NESTED_RESOURCES: dict[str, type[BaseModel]] = {
    "http-api-gateway": HttpApiGateway,
    "application-load-balancer": ApplicationLoadBalancer,
    "network-load-balancer": NetworkLoadBalancer,
}


def nested_name(service: str, part: str) -> str:
    """The name a service's nested resource is known by in the stack (`web.httpApiGateway`)."""
    return f"{service}.{part}"


def _dump(model: BaseModel | None) -> Any:
    # As written: unset keys stay unset, so defaults and "not supported yet" rules see what the user wrote.
    return model.model_dump(by_alias=True, exclude_unset=True) if model is not None else None


@dataclass(frozen=True)
class NestedResource:
    """A resource a service creates for itself: its HTTP API or its load balancer."""

    name: str
    type: str
    properties: dict[str, Any]


@dataclass(frozen=True)
class ServiceExpansion:
    """One service as a workload (`workload`, the multi-container-workload properties) plus its nested resources."""

    name: str
    service_type: str
    workload: dict[str, Any]
    nested: tuple[NestedResource, ...] = ()
    # How many environment variables the user wrote (the injected ones follow).
    user_env_count: int = 0
    side_containers: int = 0
    # The service key its container port comes from when no load balancing is written (private: `port`).
    port_key: str | None = None
    # Web service with network-load-balancer load balancing: event i and listener i are `ports[i]`.
    nlb_ports: bool = False
    injected_environment: dict[str, str] = field(default_factory=dict)

    # ---- translation back to the service's own keys ------------------------------------
    def workload_path(self, path: KeyPath) -> KeyPath:
        """A key path below the workload's properties → the service key the user wrote."""
        if len(path) < 2 or path[0] != "containers" or not isinstance(path[1], int):
            return path
        index, rest = path[1], path[2:]
        if index > 0:
            return ("sideContainers", index - 1, *rest)
        if not rest:
            return ()
        key = rest[0]
        if key == "events" and self.nlb_ports and len(rest) > 1:
            return (*NLB_PORTS_PATH, rest[1])
        if key == "events":
            return (self.port_key,) if self.port_key else ("loadBalancing",)
        if key == "loadBalancerHealthCheck":
            return ("loadBalancing", "properties", *rest[1:])
        if key == "dependsOn":
            return ("sideContainers",)
        if key == "environment" and len(rest) > 1 and isinstance(rest[1], int) and rest[1] >= self.user_env_count:
            return ("environment",)
        if key == "name":
            return ()
        return rest

    def nested_path(self, path: KeyPath) -> KeyPath:
        """A key path below a nested resource's properties → the service key the user wrote."""
        if path and path[0] in (*_GATEWAY_KEYS, *_LOAD_BALANCER_KEYS, "logging"):
            return path
        if self.nlb_ports and path and path[0] == "listeners":
            # Listener i is port i, whose `port` and `protocol` keys the listener's share.
            return (*NLB_PORTS_PATH, *path[1:])
        return ("loadBalancing",)

    def translate(self, path: KeyPath) -> KeyPath | None:
        """A full config path into the expansion → the same place in the service, or None if not ours."""
        if len(path) < 2 or path[0] != "resources":
            return None
        base: KeyPath = ("resources", self.name, "properties")
        if path[1] == self.name:
            if len(path) >= 3 and path[2] == "properties":
                return (*base, *self.workload_path(path[3:]))
            return None
        if any(path[1] == nested.name for nested in self.nested):
            if len(path) >= 3 and path[2] == "properties":
                return (*base, *self.nested_path(path[3:]))
            return (*base, "loadBalancing")
        return None

    # ---- the expansion as resources ----------------------------------------------------
    def models(self) -> tuple[MultiContainerWorkloadProps, dict[str, BaseModel]]:
        """The workload's and nested resources' props models; `ExpansionError` with translated problems."""
        problems: list[Problem] = []
        context = {"resource_name": self.name}
        workload: MultiContainerWorkloadProps | None = None
        try:
            workload = MultiContainerWorkloadProps.model_validate(self.workload, context=context)
        except ValidationError as exc:
            problems += problems_from_validation(exc, self.workload, self.workload_path)
        nested: dict[str, BaseModel] = {}
        for part in self.nested:
            model = NESTED_PROPS[part.type]
            try:
                nested[part.name] = model.model_validate(part.properties, context={"resource_name": self.name})
            except ValidationError as exc:
                problems += problems_from_validation(exc, part.properties, self.nested_path)
        if problems or workload is None:
            raise ExpansionError(problems)
        return workload, nested

    def resources(self) -> dict[str, dict[str, Any]]:
        """The expansion as config resources (`{name: {type, properties}}`), the workload first."""
        found: dict[str, dict[str, Any]] = {
            self.name: {"type": "multi-container-workload", "properties": self.workload}}
        for nested in self.nested:
            found[nested.name] = {"type": nested.type, "properties": nested.properties}
        return found


def expand_service(name: str, service_type: str, props: SimpleServiceProps) -> ServiceExpansion:
    """A service's properties as a workload plus its nested HTTP API or load balancer."""
    main: dict[str, Any] = {"name": MAIN_CONTAINER, "essential": True}
    main.update({key: _dump_value(getattr(props, key)) for key in _CONTAINER_KEYS if key in props.model_fields_set})
    user_env = _dump_list(props.environment) or []
    sides = [_side_container(side) for side in props.sideContainers or []]
    dependencies = [{"containerName": side.name,
                     "condition": "SUCCESS" if side.containerType == "run-on-init" else "START"}
                    for side in props.sideContainers or []
                    if side.name != MAIN_CONTAINER  # a name clash the workload's name rule reports
                    and not any(d.containerName == MAIN_CONTAINER for d in side.dependsOn or [])]
    if dependencies:
        main["dependsOn"] = dependencies
    workload: dict[str, Any] = {key: _dump_value(getattr(props, key)) for key in _WORKLOAD_KEYS
                                if key in props.model_fields_set}
    nested: tuple[NestedResource, ...] = ()
    injected: dict[str, str] = {}
    port_key: str | None = None
    if isinstance(props, WebServiceProps):
        nested, injected = _web(name, props, main, workload)
    elif isinstance(props, PrivateServiceProps):
        nested, injected = _private(name, props, main)
        port_key = "port" if props.loadBalancing is None else None
    # A user's own PORT or HOST stays (checks.services refuses one that differs from the service's).
    written = {var.get("name") for var in user_env}
    main["environment"] = [*user_env, *({"name": k, "value": v} for k, v in injected.items() if k not in written)]
    if not main["environment"]:
        del main["environment"]
    workload["containers"] = [main, *sides]
    nlb_ports = isinstance(props, WebServiceProps) and props.loadBalancing is not None \
        and props.loadBalancing.type == "network-load-balancer"
    return ServiceExpansion(name, service_type, workload, nested, len(user_env), len(sides), port_key,
                            nlb_ports, injected)


def _dump_value(value: Any) -> Any:
    if isinstance(value, BaseModel):
        return _dump(value)
    if isinstance(value, list):
        return _dump_list(value)
    return value


def _dump_list(values: list[Any] | None) -> list[Any] | None:
    if values is None:
        return None
    return [_dump(v) if isinstance(v, BaseModel) else v for v in values]


def _side_container(side: Any) -> dict[str, Any]:
    data: dict[str, Any] = _dump(side)
    data.pop("containerType")
    # The reference: a run-on-init container is not essential unless the user says so.
    data.setdefault("essential", side.containerType != "run-on-init")
    return data


def _web(name: str, props: WebServiceProps, main: dict[str, Any], workload: dict[str, Any]
         ) -> tuple[tuple[NestedResource, ...], dict[str, str]]:
    balancing = props.loadBalancing
    env = {"PORT": str(WEB_SERVICE_PORT), "HOST": SERVICE_HOST}
    if props.deployment is not None:
        workload["deployment"] = _dump(props.deployment)
        env["DEPLOYMENT_TEST_PORT"] = str(props.deployment.testListenerPort or DEFAULT_TEST_LISTENER_PORT)
    if balancing is None or balancing.type == "http-api-gateway":
        gateway = nested_name(name, HTTP_API_GATEWAY)
        # `$default` catches every method and path, `/` included (a `/{proxy+}` route does not match `/`).
        main["events"] = [{"type": "http-api-gateway", "properties": {
            "containerPort": WEB_SERVICE_PORT, "httpApiGatewayName": gateway, "method": "*", "path": "$default"}}]
        properties = {key: _dump_value(getattr(props, key)) for key in _GATEWAY_KEYS if key in props.model_fields_set}
        if props.logging is not None:
            # The service's logging switch covers its API's access logs too (as the reference).
            properties["logging"] = {k: v for k, v in _dump(props.logging).items()
                                     if k in ("disabled", "retentionDays")}
        return (NestedResource(gateway, "http-api-gateway", properties),), env
    if balancing.type == "application-load-balancer":
        lb = nested_name(name, LOAD_BALANCER)
        main["events"] = [{"type": "application-load-balancer", "properties": {
            "containerPort": WEB_SERVICE_PORT, "loadBalancerName": lb, "priority": SERVICE_RULE_PRIORITY,
            "paths": ["*"]}}]
        if balancing.properties is not None:
            main["loadBalancerHealthCheck"] = _dump(balancing.properties)
        properties = {key: _dump_value(getattr(props, key)) for key in _LOAD_BALANCER_KEYS
                      if key in props.model_fields_set}
        return (NestedResource(lb, "application-load-balancer", properties),), env
    # network-load-balancer: one event and listener per port; no PORT (the container listens on several).
    del env["PORT"]
    lb = nested_name(name, NETWORK_LOAD_BALANCER)
    ports = balancing.properties.ports
    main["events"] = [{"type": "network-load-balancer", "properties": {
        "containerPort": port.containerPort or port.port, "loadBalancerName": lb, "listenerPort": port.port}}
        for port in ports]
    health = _dump(balancing.properties)
    del health["ports"]
    if health:
        main["loadBalancerHealthCheck"] = health
    listeners = [{"protocol": port.protocol or DEFAULT_NLB_PROTOCOL, "port": port.port} for port in ports]
    nlb: dict[str, Any] = {"listeners": listeners}
    if "customDomains" in props.model_fields_set:
        nlb["customDomains"] = _dump_value(props.customDomains)
    return (NestedResource(lb, "network-load-balancer", nlb),), env


def _private(name: str, props: PrivateServiceProps, main: dict[str, Any]
             ) -> tuple[tuple[NestedResource, ...], dict[str, str]]:
    env = {"PORT": str(props.port), "HOST": SERVICE_HOST}
    if props.loadBalancing is None or props.loadBalancing.type == "service-connect":
        connect: dict[str, Any] = {"containerPort": props.port, "alias": name.lower()}
        if props.protocol is not None:
            connect["protocol"] = props.protocol
        main["events"] = [{"type": "service-connect", "properties": connect}]
        return (), env
    lb = nested_name(name, LOAD_BALANCER)
    main["events"] = [{"type": "application-load-balancer", "properties": {
        "containerPort": props.port, "loadBalancerName": lb, "listenerPort": props.port,
        "priority": SERVICE_RULE_PRIORITY, "paths": ["*"]}}]
    listener = {"protocol": "HTTP", "port": props.port}
    return (NestedResource(lb, "application-load-balancer", {"interface": "internal", "listeners": [listener]}),), env


def problems_from_validation(exc: ValidationError, data: Mapping[str, Any], translate: Any) -> list[Problem]:
    """Problems of validating expanded data, at the paths `translate` maps them to."""
    problems: list[Problem] = []
    for err in exc.errors(include_url=False):
        path = data_path(data, tuple(err["loc"]))
        ctx = err.get("ctx") or {}
        if err["type"] == STACKTAPE_ERROR:
            path = (*path, *(ctx.get("subpath") or ()))
            problems.append(Problem(translate(path), err["msg"], ctx.get("hint") or None, bool(ctx.get("at_key"))))
        else:
            problems.append(Problem(translate(path), err["msg"]))
    return problems



# ---- a whole stack ------------------------------------------------------------------------------


@dataclass
class TranslatedSourceMap(SourceMap):
    """The config's source map, locating paths into service expansions at the keys the user wrote."""

    expansions: tuple[ServiceExpansion, ...] = ()

    def issue(self, path: KeyPath, message: str, hint: str | None = None, *, at_key: bool = False) -> ConfigIssue:
        for expansion in self.expansions:
            translated = expansion.translate(path)
            if translated is not None:
                path = translated
                break
        return super().issue(path, message, hint, at_key=at_key)


def expand_stack(config: StacktapeConfig, data: dict[str, Any], source: SourceMap) -> ExpandedStack:
    """`config` with each service expanded; a service whose expansion breaks a rule stays as written.

    Such a service's problems are reported by its own checks (`checks.services`); the stack-wide
    checks then simply do not see into it.
    """
    resources: dict[str, Any] = {}
    raw: dict[str, Any] = {}
    types: dict[str, str] = {}
    owners: dict[str, str] = {}
    expansions: list[ServiceExpansion] = []
    written = data.get("resources") or {}
    for name, resource in config.resources.items():
        types[name] = resource.type
        if resource.type not in SERVICE_TYPES:
            resources[name] = resource
            raw[name] = written.get(name, {})
            continue
        expansion = expand_service(name, resource.type, cast("SimpleServiceProps", resource.properties))
        try:
            workload, nested = expansion.models()
        except ExpansionError:
            resources[name] = resource
            raw[name] = written.get(name, {})
            continue
        expansions.append(expansion)
        resources[name] = MultiContainerWorkload.model_construct(type=WORKLOAD_TYPE, properties=workload)
        raw.update(expansion.resources())
        for part in expansion.nested:
            resources[part.name] = NESTED_RESOURCES[part.type].model_construct(type=part.type,
                                                                             properties=nested[part.name])
            types[part.name] = part.type
            owners[part.name] = name
    if not expansions:
        return ExpandedStack(config, data, source, types, owners)
    expanded_source = TranslatedSourceMap(source.file, source.keys, source.values, tuple(expansions))
    return ExpandedStack(config.model_copy(update={"resources": resources}), {**data, "resources": raw},
                         expanded_source, types, owners)
