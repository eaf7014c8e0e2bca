"""Which handler wires which container event type into a workload's service, and what runs for every workload.

The one table of container event types a workload supports (their wiring lives with the traffic
components they need: `traffic_events`, `deployments`). The checks' list of supported workload
event types is kept equal to it by a test.
"""

from __future__ import annotations  # see stacktape_pulumi/components/__init__.py

from typing import TYPE_CHECKING

from stacktape_pulumi.components.deployments import gradual_deployment
from stacktape_pulumi.components.traffic_events import (
    application_load_balancer_event,
    http_api_gateway_event,
    network_load_balancer_event,
    service_connect_clients,
    service_connect_event,
)
from stacktape_pulumi.components.wiring import EventHandler, WorkloadHandler, workload_internal_event

if TYPE_CHECKING:
    from stacktape_pulumi.checks.support import WorkloadEventType

# Keyed by the one list of the event types this version builds (checks.support.WorkloadEventType).
EVENT_HANDLERS: dict[WorkloadEventType, EventHandler] = {
    "workload-internal": workload_internal_event,
    "http-api-gateway": http_api_gateway_event,
    "application-load-balancer": application_load_balancer_event,
    "service-connect": service_connect_event,
    "network-load-balancer": network_load_balancer_event,
}

# In this order, after the event handlers: a gradual deployment rewrites the load balancer entries
# the events made; Service Connect clients then join the namespace.
WORKLOAD_HANDLERS: tuple[WorkloadHandler, ...] = (gradual_deployment, service_connect_clients)
