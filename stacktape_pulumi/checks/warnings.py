"""What `validate` says of a valid config that will not do all it seems to: one line each, never an error."""

from stacktape_pulumi.checks.scripts import unrun_hooks_warning
from stacktape_pulumi.config.models.root import StacktapeConfig

# providerConfig section → the resource type that reads it (none is built yet).
PROVIDER_USERS = {"mongoDbAtlas": "mongo-db-atlas-cluster", "upstash": "upstash-redis"}


def config_warnings(config: StacktapeConfig) -> list[str]:
    """Every warning of a config that passed every check."""
    found: list[str] = []
    if (hooks := unrun_hooks_warning(config.hooks)) is not None:
        found.append(hooks)
    for name, resource in config.resources.items():
        if resource.type != "relational-database":
            continue
        # The database rules load for configs that have a database.
        from stacktape_pulumi.checks.relational_database import accessibility_mode
        props = resource.properties
        # Only the default: a database made public on purpose (accessibilityMode: internet written) says nothing.
        if props is not None and accessibility_mode(props) == "internet" and (
                props.accessibility is None or "accessibilityMode" not in props.accessibility.model_fields_set):
            found.append(f"relational-database {name} is reachable from the internet (the reference's default "
                         "accessibilityMode: internet; credentials still required); set "
                         "accessibility.accessibilityMode: scoping-workloads-in-vpc to admit only the resources that "
                         "connectTo it")
    provider = config.providerConfig
    for section, user in PROVIDER_USERS.items():
        if provider is not None and getattr(provider, section) is not None:
            found.append(f"providerConfig.{section} has no effect: only {user} resources read it, and they are "
                         "not supported yet")
    return found
