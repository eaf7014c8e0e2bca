"""`$ResourceParam(name, param)`: the param must be one the resource publishes, known before building.

For types whose params are a fixed list, a name outside it is a located error with did-you-mean, and
a param published only with some settings (a table's `streamArn`) is a located error without them.
Types whose params depend on their whole config (workloads, services, gateways, load balancers:
ports, custom domains) are checked when the stack is built. tests/test_resource_params.py checks the
lists against what the components publish for every example.
"""

from collections.abc import Iterator, Mapping
from difflib import get_close_matches
from typing import Any

from stacktape_pulumi.checks.connect_targets import CONDITIONAL_PARAMS
from stacktape_pulumi.checks.graph import walk_strings
from stacktape_pulumi.config.loader import SourceMap
from stacktape_pulumi.config.models.root import StacktapeConfig
from stacktape_pulumi.directives.parser import Literal, walk, well_formed
from stacktape_pulumi.errors import ConfigIssue, KeyPath

# Resource type → every param its component publishes (for $ResourceParam and connectTo).
CLOSED_PARAMS: Mapping[str, tuple[str, ...]] = {
    "bucket": ("name", "arn"),
    "efs-filesystem": ("arn",),
    "dynamo-db-table": ("name", "arn", "streamArn"),
    "event-bus": ("arn", "archiveArn"),
    "function": ("arn", "name", "logGroupArn", "url"),
    "sns-topic": ("arn", "name"),
    "sqs-queue": ("arn", "url", "name"),
}
# What each conditional param needs, for the message.
CONDITIONS: Mapping[tuple[str, str], str] = {
    ("dynamo-db-table", "streamArn"): "streamType is set",
    ("event-bus", "archiveArn"): "archivation.enabled is true",
    ("function", "url"): "url.enabled is true",
    ("function", "logGroupArn"): "logging is not disabled",
}


def resource_param_issues(config: StacktapeConfig, data: Mapping[str, Any], source: SourceMap) -> list[ConfigIssue]:
    """Every `$ResourceParam` of the config naming a param its (fixed-list) resource does not publish."""
    issues: list[ConfigIssue] = []
    for path, target, param in _resource_params(data):
        resource = config.resources.get(target)
        if resource is None or resource.type not in CLOSED_PARAMS:
            continue  # a dangling name is the reference graph's error; open types are checked when built
        published = CLOSED_PARAMS[resource.type]
        if param not in published:
            close = get_close_matches(param, published, n=1) or [p for p in published if p.lower() == param.lower()]
            issues.append(source.issue(
                path, f"resource '{target}' ({resource.type}) has no param '{param}'; its params: "
                      f"{', '.join(published)}", f"did you mean '{close[0]}'?" if close else None))
            continue
        present = CONDITIONAL_PARAMS.get((resource.type, param))
        if present is not None and not present(resource.properties):
            issues.append(source.issue(
                path, f"resource '{target}' publishes '{param}' only when {CONDITIONS[(resource.type, param)]}",
                f"configure it on '{target}', or read another param"))
    return issues


def _resource_params(data: Mapping[str, Any]) -> Iterator[tuple[KeyPath, str, str]]:
    """(where, resource, param) of every `$ResourceParam` whose two arguments are written out."""
    for path, _, text in walk_strings(dict(data), ()):
        directive = well_formed(text)
        for node in walk(directive) if directive is not None else ():
            if node.name != "ResourceParam" or len(node.args) < 2:
                continue
            target, param = node.args[:2]
            if isinstance(target, Literal) and isinstance(param, Literal):
                yield path, str(target.value), str(param.value)
