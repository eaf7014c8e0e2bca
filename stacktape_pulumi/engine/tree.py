"""The offline preview as a person reads it: the tree `pulumi preview` prints.

Resources in registration order under the stack root, children under their parent with
Pulumi's box-drawing guides, types shortened as Pulumi displays them (`aws:ecs/cluster:Cluster`
→ `aws:ecs:Cluster`), a `+` and "create" on every row (an offline preview starts from no
state), then the stack outputs and the count. `preview --json` is the machine-readable form.
"""

import json
from typing import Any

from stacktape_pulumi.engine.offline import RecordedResource, Recording

STACK_TYPE = "pulumi:pulumi:Stack"
INDENT = "    "


def short_type(type_: str) -> str:
    """`pkg:module/member:Name` → `pkg:module:Name`, as Pulumi shows resource types."""
    parts = type_.split(":")
    if len(parts) == 3 and "/" in parts[1]:
        parts[1] = parts[1].split("/", 1)[0]
    return ":".join(parts)


def render_tree(recording: Recording, *, stage: str) -> str:
    """The Type / Name / Plan table, the Outputs section and the resource count of one preview."""
    stack = next((r for r in recording.resources if r.type == STACK_TYPE), None)
    children: dict[str | None, list[RecordedResource]] = {}
    for resource in recording.resources:
        if resource is stack:
            continue
        parent = resource.parent if stack is None or resource.parent != stack.urn else None
        children.setdefault(parent, []).append(resource)

    rows: list[tuple[str, str]] = []  # (guide + type, name)

    def walk(parent: str | None, prefix: str) -> None:
        below = children.get(parent, [])
        for index, resource in enumerate(below):
            last = index == len(below) - 1
            rows.append((f"{prefix}{'└─ ' if last else '├─ '}{short_type(resource.type)}", resource.name))
            walk(resource.urn, prefix + ("   " if last else "│  "))

    root_name = stack.name if stack is not None else stage
    rows.append((STACK_TYPE, root_name))
    walk(None, "")
    type_width = max(len("Type"), *(len(t) for t, _ in rows))
    name_width = max(len("Name"), *(len(n) for _, n in rows))
    count = len(rows) - (0 if stack is not None else 1)
    lines = [f"Previewing update ({stage}), offline:", "",
             f"     {'Type':<{type_width}}  {'Name':<{name_width}}  Plan"]
    lines += [f" +   {t:<{type_width}}  {n:<{name_width}}  create" for t, n in rows]
    if recording.stack_outputs:
        lines += ["", "Outputs:"]
        for key, value in sorted(recording.stack_outputs.items()):
            lines += _output_lines(key, value, INDENT)
    lines += ["", "Resources:", f"{INDENT}+ {count} to create", ""]
    return "\n".join(lines)


def _output_lines(key: str, value: Any, indent: str) -> list[str]:
    """One output as Pulumi prints it: scalars inline, mappings as an indented block."""
    if isinstance(value, dict) and value:
        width = max(len(str(k)) for k in value)
        lines = [f"{indent}{key}: {{"]
        for child_key, child in sorted(value.items()):
            nested = _output_lines(f"{child_key!s:<{width}}", child, indent + INDENT)
            lines += nested
        lines.append(f"{indent}}}")
        return lines
    return [f"{indent}{key}: {json.dumps(value, ensure_ascii=False)}"]
