"""What this version builds, declared where `validate` can read it without importing the components.

The components register their builders in registries (`components.COMPONENTS_BY_TYPE`,
`components.packaging.IMAGE_BUILDERS`, `components.wiring.EVENT_HANDLERS`); importing them pulls
in the AWS SDK's resource classes, seconds of work `validate` does not need. These lists say the
same, and `tests/test_support.py` fails when they and the registries disagree. (The resource
types are the config model's `SUPPORTED_RESOURCE_TYPES`: every type the model accepts has a
component.)
"""

PACKAGING_TYPES = (
    "prebuilt-image",
    "custom-dockerfile",
    "stacktape-image-buildpack",
    "nixpacks",
    "external-buildpack",
)
"""Container packaging types with an image builder."""

WORKLOAD_EVENT_TYPES = (
    "workload-internal",
    "http-api-gateway",
    "application-load-balancer",
    "service-connect",
)
"""Container event types of multi-container workloads with a handler."""
