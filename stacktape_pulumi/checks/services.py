"""Web, private and worker services: their own rules, and every rule of what they expand into.

A service is built as a workload plus its HTTP API or load balancer (`config.services`), so it must
pass their rules too; `service_problems` runs them on the expansion and reports each problem at
the service key the user wrote.
"""

from collections.abc import Callable
from typing import Any

from stacktape_pulumi.checks.registry import problems_of
from stacktape_pulumi.config.models.service import (
    PRIVATE_SERVICE_TYPE,
    WEB_SERVICE_TYPE,
    WORKER_SERVICE_TYPE,
    PrivateServiceProps,
    SimpleServiceProps,
    WebServiceProps,
)
from stacktape_pulumi.config.models.workload import WORKLOAD_TYPE
from stacktape_pulumi.config.services import SERVICE_HOST, WEB_SERVICE_PORT, ExpansionError, expand_service
from stacktape_pulumi.errors import Problem

ProblemsOf = Callable[[str, str, Any], list[Problem]]


def service_problems(name: str, service_type: str, props: SimpleServiceProps | None,
                     problems_of: ProblemsOf) -> list[Problem]:
    """What a service asks that cannot be built; `problems_of(type, name, props)` runs a type's own checks."""
    if props is None:
        return []
    problems = _own_problems(name, service_type, props)
    if problems:
        # The expansion's rules would only repeat these in other words.
        return problems
    expansion = expand_service(name, service_type, props)
    try:
        workload, nested = expansion.models()
    except ExpansionError as exc:
        return exc.problems
    found = [Problem(expansion.workload_path(p.path), p.message, p.hint, p.at_key)
             for p in problems_of(WORKLOAD_TYPE, name, workload)]
    for part in expansion.nested:
        found += [Problem(expansion.nested_path(p.path), p.message, p.hint, p.at_key)
                  for p in problems_of(part.type, name, nested[part.name])]
    return found


def _own_problems(name: str, service_type: str, props: SimpleServiceProps) -> list[Problem]:
    problems = _environment_problems(name, service_type, props)
    if isinstance(props, WebServiceProps):
        problems += _web_problems(name, props)
    return problems


def _service_port(props: SimpleServiceProps) -> int | None:
    if isinstance(props, WebServiceProps):
        return WEB_SERVICE_PORT
    if isinstance(props, PrivateServiceProps):
        return props.port
    return None


def _environment_problems(name: str, service_type: str, props: SimpleServiceProps) -> list[Problem]:
    """PORT and HOST are the service's: a different value would make the container listen where no traffic goes."""
    port = _service_port(props)
    if port is None:
        return []
    if isinstance(props, WebServiceProps) and props.loadBalancing is not None \
            and props.loadBalancing.type == "network-load-balancer":
        return []
    expected = {"PORT": str(port), "HOST": SERVICE_HOST}
    problems = []
    for index, var in enumerate(props.environment or []):
        wanted = expected.get(var.name)
        if wanted is not None and str(var.value) != wanted:
            where = "the port of its traffic" if var.name == "PORT" else "every interface, so traffic can reach it"
            hint = ("remove it; set the service's `port` to change the port" if service_type == PRIVATE_SERVICE_TYPE
                    and var.name == "PORT" else f"remove it (the service sets {var.name}={wanted})")
            problems.append(Problem(
                ("environment", index, "value"),
                f"{service_type} {name} sets {var.name}={wanted} for its container ({where}); "
                f"{var.name}={var.value!r} would make the container listen where no traffic arrives", hint))
    return problems


def _web_problems(name: str, props: WebServiceProps) -> list[Problem]:
    problems: list[Problem] = []
    balancing = props.loadBalancing.type if props.loadBalancing is not None else "http-api-gateway"
    if balancing == "network-load-balancer" and props.cdn is not None:
        # e117 of the reference: CloudFront speaks HTTP to its origin, an NLB passes TCP through.
        problems.append(Problem(
            ("cdn",),
            f"{WEB_SERVICE_TYPE} {name}: cdn cannot be used with network-load-balancer load balancing",
            hint="remove cdn, or use application-load-balancer or http-api-gateway load balancing", at_key=True))
    if balancing == "network-load-balancer" and props.alarms:
        # e80 of the reference: alarms must match the load balancing type; none is defined for an NLB.
        problems.append(Problem(
            ("alarms",),
            f"{WEB_SERVICE_TYPE} {name}: alarms are not supported with network-load-balancer load balancing "
            "(the reference defines application-load-balancer and http-api-gateway alarms only)",
            hint="remove alarms, or use application-load-balancer or http-api-gateway load balancing", at_key=True))
    if props.deployment is not None and balancing != "application-load-balancer":
        # e79 of the reference.
        problems.append(Problem(
            ("deployment",),
            "When using deployment property, you must use load balancing type \"application-load-balancer\".",
            hint="set loadBalancing: {type: application-load-balancer}", at_key=True))
    if props.cors is not None and balancing != "http-api-gateway":
        problems.append(Problem(
            ("cors",),
            f"{WEB_SERVICE_TYPE} {name}: cors applies to http-api-gateway load balancing only (an application "
            "load balancer passes your application's CORS headers through)",
            hint="remove cors and answer CORS in the application, or use http-api-gateway load balancing",
            at_key=True))
    if props.useFirewall is not None and balancing != "application-load-balancer":
        problems.append(Problem(
            ("useFirewall",),
            f"{WEB_SERVICE_TYPE} {name}: useFirewall needs application-load-balancer load balancing",
            hint="set loadBalancing: {type: application-load-balancer}", at_key=True))
    return problems


def web_service_problems(name: str, props: SimpleServiceProps | None) -> list[Problem]:
    """`service_problems` of a web service (its entry in `registry.RESOURCE_CHECKS`)."""
    return service_problems(name, WEB_SERVICE_TYPE, props, problems_of)


def private_service_problems(name: str, props: SimpleServiceProps | None) -> list[Problem]:
    """`service_problems` of a private service (its entry in `registry.RESOURCE_CHECKS`)."""
    return service_problems(name, PRIVATE_SERVICE_TYPE, props, problems_of)


def worker_service_problems(name: str, props: SimpleServiceProps | None) -> list[Problem]:
    """`service_problems` of a worker service (its entry in `registry.RESOURCE_CHECKS`)."""
    return service_problems(name, WORKER_SERVICE_TYPE, props, problems_of)
