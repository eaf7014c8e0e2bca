"""Every rule `validate` runs beyond the models, by subject; `run_checks` is the one entry point.

A config can be valid to the models and still ask for something a component cannot build (an
HTTPS listener without a certificate, `cdn` not supported yet), or break a rule only several
resources together can (rule priorities, routes, `connectTo` targets). Each check reports an
`errors.Problem` at a key path, or a located `ConfigIssue` directly. The modules:

- `cross_resource` walks the stack once and hands each part to its subject: `references` (the
  stack seen by these checks, and "does this name a resource of that type"), `connect_to`,
  `environment`, `deployments`, `containers`, and the events, queues and topics parts of the
  resource-type modules below;
- one module per resource type: `bucket`, `function`, `gateway` (http-api-gateway),
  `load_balancer`, `sqs_queue`, `sns_topic`, `traffic` (workload events); `domains` is shared.
  What a component would refuse is tabled by type in `registry` (`RESOURCE_CHECKS`), with the
  creation-order preferences (`ORDERING_RULES`, read by the plan);
- `packaging`: what building needs from this machine (files, CLIs) and EC2 instance types;
- `support`: "not supported yet", and the one table of the packaging and event types built;
- `connect_targets`: the `connectTo` facts the checks share with the connection wiring.

The reference graph, dangling references and cycles are the plan's (`stacktape_pulumi.plan`).
Nothing here imports Pulumi: `validate` must not pay for the SDK. Components run the checks of
their type on Python args through `raise_for`, so Python users get the same refusals.
"""

from typing import Any

from stacktape_pulumi.checks.cross_resource import check_stack
from stacktape_pulumi.checks.packaging import function_packaging_issues, workload_packaging_issues
from stacktape_pulumi.checks.registry import raise_for, resource_problems
from stacktape_pulumi.checks.support import unsupported_event_types, unsupported_resource_types
from stacktape_pulumi.config.loader import SourceMap
from stacktape_pulumi.config.models.root import StacktapeConfig
from stacktape_pulumi.errors import ConfigIssue


def run_checks(config: StacktapeConfig, data: dict[str, Any], source: SourceMap) -> list[ConfigIssue]:
    """Every located issue of a config that passed the models (`data`: the mapping it was validated from)."""
    issues = check_stack(config, source, data)
    issues += function_packaging_issues(config, source)
    issues += unsupported_resource_types(data, source)
    issues += workload_packaging_issues(data, source)
    issues += unsupported_event_types(data, source)
    issues += resource_problems(config, source)
    return issues


__all__ = ["raise_for", "run_checks"]
