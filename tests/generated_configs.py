"""Configs generated from the examples and fixtures to push AWS's limits: long names, long stages, odd characters.

Each variant copies a config's folder (its relative files come along) and rewrites the config:
every resource name is lengthened (every whole-word occurrence, so references follow), the
`serviceName` is replaced, and the stage is chosen to be long or unusual. `many_workloads`
writes one stack with many workloads. The oracles must find nothing in any of them.
"""

import re
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml


@dataclass(frozen=True)
class Variant:
    """How a config is rewritten: the resource-name suffix, the service name, the stage."""

    id: str
    suffix: str
    service_name: str
    stage: str


# Resource names are alphanumeric with no length limit in the reference; 40 more characters
# push every derived name (role, target group, log group …) past its AWS limit.
LONG = Variant("long", "Withaverylongsuffixthatkeepsgoingandgoing", "a-rather-long-service-name-for-a-stack",
               "production-eu-west-1")
# Upper case, digits and doubled hyphens where the reference allows them; a stage with '_' and '.'
# (a Pulumi stack name may hold both).
ODD = Variant("odd", "X9", "My--Odd-Service9", "Prod_EU.2")
# The reference sets no limit on resource names: 200 more characters push descriptions, policy and
# log group names and generated file names past theirs (and a private service's alias, derived from
# its name, past what `validate` accepts).
HUGE = Variant("huge", "Z" * 200, "s" * 60, "st" * 20)
VARIANTS = (LONG, ODD, HUGE)


_DIRECTIVE_NAME = re.compile(r"(\$\w*ResourceParam\(\s*')([^']*)'")


# Keys whose value may equal a resource's name without naming it: a Service Connect alias is a DNS name.
_NOT_REFERENCES = ("alias",)


def _renamed(value: Any, names: dict[str, str]) -> Any:
    """`value` with every resource reference renamed: a string that is a resource's name, or one in a directive."""
    if isinstance(value, dict):
        return {k: v if k in _NOT_REFERENCES else _renamed(v, names) for k, v in value.items()}
    if isinstance(value, list):
        return [_renamed(v, names) for v in value]
    if isinstance(value, str):
        if value in names:
            return names[value]
        # `$ResourceParam('db', 'host')`, `$CfResourceParam('db', …)`: the first argument names the resource.
        return _DIRECTIVE_NAME.sub(lambda m: f"{m.group(1)}{names.get(m.group(2), m.group(2))}'", value)
    return value


def rewrite(text: str, variant: Variant) -> str:
    """The config text with every resource renamed (and each reference to it) and the service name set."""
    data = yaml.safe_load(text) or {}
    resources = data.get("resources") or {}
    names = {name: f"{name}{variant.suffix}" for name in resources}
    data["resources"] = {names[k]: _renamed(v, names) for k, v in resources.items()}
    data = {k: (v if k == "resources" else _renamed(v, names)) for k, v in data.items()}
    data["serviceName"] = variant.service_name
    return yaml.safe_dump(data, sort_keys=False)


def copy_variant(config: Path, variant: Variant, into: Path) -> Path:
    """A copy of the folder above `config`'s (its `../` files come along) with the config rewritten."""
    tree = into / variant.id / config.parent.parent.name
    if not tree.exists():
        shutil.copytree(config.parent.parent, tree, symlinks=True)
    path = tree / config.parent.name / config.name
    path.write_text(rewrite(config.read_text(), variant))
    return path


def many_workloads(count: int) -> str:
    """A stack of `count` workloads behind one load balancer, each reachable by Service Connect."""
    lines = ["serviceName: many-workloads", "resources:",
             "  lb:", "    type: application-load-balancer"]
    for i in range(count):
        lines += [f"  workload{i:02d}:", "    type: multi-container-workload", "    properties:",
                  "      resources: {cpu: 0.25, memory: 512}", "      containers:",
                  f"        - name: app{i:02d}",
                  "          packaging: {type: prebuilt-image, properties: {image: public.ecr.aws/nginx/nginx:1.27}}",
                  "          events:",
                  "            - type: application-load-balancer",
                  f"              properties: {{loadBalancerName: lb, containerPort: 80, priority: {i + 1}, "
                  f"paths: ['/w{i:02d}/*']}}",
                  "            - type: service-connect",
                  "              properties: {containerPort: 80}"]
    return "\n".join(lines) + "\n"
