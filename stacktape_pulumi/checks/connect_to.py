"""`connectTo`: each target is a resource of the stack (or a macro) that connectTo can scope."""

from stacktape_pulumi.checks.connect_targets import CONNECT_TO_MACROS, NOT_CONNECTABLE_TYPES, not_connectable_message
from stacktape_pulumi.checks.references import StackView
from stacktape_pulumi.config.models.shared import did_you_mean, is_directive
from stacktape_pulumi.errors import KeyPath


def check_connect_to(view: StackView, owner: str, owner_type: str, targets: list[str] | None,
                     base: KeyPath) -> None:
    """Each `connectTo` target is a resource of the stack (or a macro) that connectTo can scope."""
    for index, target in enumerate(targets or []):
        path = (*base, "connectTo", index)
        if target in CONNECT_TO_MACROS or is_directive(target):
            continue
        actual = view.types.get(target)
        if actual is None:
            view.add(path,
                     f"Referenced resource with name {target} could not be resolved in the config "
                     f"(referenced from {owner}({owner_type})).",
                     did_you_mean(target, [*view.types, *CONNECT_TO_MACROS])
                     or f"resources: {', '.join(view.types)}")
        elif actual in NOT_CONNECTABLE_TYPES:
            view.add(path, not_connectable_message(owner, target, actual),
                     "connectTo grants access to functions, workloads and data resources; route traffic "
                     "with events instead")
    if owner_type == "function":
        _function_reaches_databases(view, owner, targets or [], base)


def _function_reaches_databases(view: StackView, owner: str, targets: list[str], base: KeyPath) -> None:
    """A function outside the VPC cannot reach a database only the VPC can reach (the reference's rule)."""
    function = view.config.resources.get(owner)
    if function is None or getattr(function.properties, "joinDefaultVpc", False):
        return
    # Imported here: the database rules and models load for stacks whose functions connect to something.
    from stacktape_pulumi.checks.relational_database import VPC_MODES, accessibility_mode
    from stacktape_pulumi.config.models.relational_database import DATABASE_TYPE, RelationalDatabaseProps
    unreachable = [target for target in targets if view.types.get(target) == DATABASE_TYPE
                   and isinstance(props := view.config.resources[target].properties, RelationalDatabaseProps)
                   and accessibility_mode(props) in VPC_MODES]
    if unreachable:
        view.add((*base, "connectTo"), f"Function {owner} can not connect to the following resources, unless it is "
                 f"connected to a VPC: {', '.join(unreachable)}.", "set joinDefaultVpc: true on the function",
                 at_key=True)
