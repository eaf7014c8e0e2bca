"""Every rule `validate` runs beyond the models, by subject; `run_checks` is the one entry point.

A config can be valid to the models and still ask for something a component cannot build (an
HTTPS listener without a certificate, `cdn` not supported yet), or break a rule only several
resources together can (rule priorities, routes, `connectTo` targets). The modules here:

- `cross_resource` (references and their types, listener rule priorities, HTTP routes, queues and
  topics, environment variables, `connectTo`) and `containers` (the containers of a workload);
- one module per resource type (`bucket`, `function`, `gateway`, `load_balancer`, `sqs_queue`,
  `traffic`; `domains` is shared), tabled by type in `registry`, which also holds the ordering rules;
- `packaging` (what building needs from this machine: files, CLIs; EC2 instance types);
- `support` ("not supported yet": the resource, packaging and event types this version builds).

The reference graph, dangling references and cycles are the plan's (`stacktape_pulumi.plan`).
Nothing here imports Pulumi: the components that build the resources take seconds to import,
and `validate` needs none of them. Components run the checks of their type on Python args
through `raise_for`.
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
