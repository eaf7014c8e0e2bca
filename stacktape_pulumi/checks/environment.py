"""Environment variables of containers and functions: each name once, and none that `connectTo` injects."""

from collections.abc import Iterator
from typing import Any

from stacktape_pulumi.checks.connect_targets import injected_names
from stacktape_pulumi.checks.references import StackView
from stacktape_pulumi.errors import KeyPath


def check_environments(view: StackView) -> None:
    """Every environment of the stack: duplicates, and names connectTo would silently replace."""
    for env_path, entries in _environments(view):
        _duplicates(view, env_path, entries)
        _injected(view, env_path, entries)


def _environments(view: StackView) -> Iterator[tuple[KeyPath, list[Any]]]:
    """Each environment list as written (the models may have normalised the values)."""
    resources = view.data.get("resources")
    if not isinstance(resources, dict):
        return
    for name, resource in view.config.resources.items():
        raw = resources.get(name)
        props = raw.get("properties") if isinstance(raw, dict) else None
        if not isinstance(props, dict):
            continue
        base: KeyPath = ("resources", name, "properties")
        if resource.type == "multi-container-workload":
            for index, container in enumerate(props.get("containers") or []):
                env = container.get("environment") if isinstance(container, dict) else None
                if isinstance(env, list):
                    yield (*base, "containers", index, "environment"), env
        elif resource.type == "function" and isinstance(props.get("environment"), list):
            yield (*base, "environment"), props["environment"]


def _duplicates(view: StackView, env_path: KeyPath, entries: list[Any]) -> None:
    """A variable defined twice in one container (or function) environment."""
    first_index: dict[str, int] = {}
    for index, entry in enumerate(entries):
        name = entry.get("name") if isinstance(entry, dict) else None
        if not isinstance(name, str):
            continue
        if name not in first_index:
            first_index[name] = index
            continue
        line = view.line_of((*env_path, first_index[name], "name"))
        view.add((*env_path, index, "name"), f"environment variable '{name}' is defined twice",
                 f"first defined on line {line}; remove one of the two entries")


def _injected(view: StackView, env_path: KeyPath, entries: list[Any]) -> None:
    """A user variable named like one connectTo injects (`STP_<TARGET>_<PARAM>`) would be silently replaced."""
    owner = str(env_path[1])
    resource = view.config.resources[owner]
    injected: dict[str, str] = {}
    for target in getattr(resource.properties, "connectTo", None) or []:
        target_resource = view.config.resources.get(target)
        for env_name in injected_names(target, target_resource) if target_resource else []:
            injected.setdefault(env_name, target)
    for index, entry in enumerate(entries):
        name = entry.get("name") if isinstance(entry, dict) else None
        if isinstance(name, str) and name in injected:
            view.add((*env_path, index, "name"),
                     f"environment variable '{name}' has the same name as a variable injected by "
                     f"connectTo '{injected[name]}'",
                     f"connectTo sets {name} itself; rename or remove this variable")

