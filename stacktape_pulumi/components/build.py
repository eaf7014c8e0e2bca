"""Build a validated config inside a running Pulumi program: one component per resource, in creation order."""

from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import pulumi

import stacktape_pulumi.components as components_package
from stacktape_pulumi.checks.cloudformation import NODE_PREFIX
from stacktape_pulumi.components.context import StackContext, use_context
from stacktape_pulumi.components.stack import cascade_options
from stacktape_pulumi.plan import StackPlan, stack_config_settings

# YAML type → the name of its component class. Each is built from the props model validation
# already produced (the components' `validate_args` accepts a model as is), with the stack's context.
# The classes come from the package's lazy exports (`components/__init__.py` names each one's module):
# a component module is imported when its type is first looked up, since each imports the pulumi_aws
# services it creates resources in (~0.05-0.25 s apiece), which a stack without that type must not pay for.
_COMPONENT_CLASSES: dict[str, str] = {
    "multi-container-workload": "MultiContainerWorkload",
    "http-api-gateway": "HttpApiGateway",
    "application-load-balancer": "ApplicationLoadBalancer",
    "network-load-balancer": "NetworkLoadBalancer",
    "function": "Function",
    "bucket": "Bucket",
    "dynamo-db-table": "DynamoDbTable",
    "sqs-queue": "SqsQueue",
    "sns-topic": "SnsTopic",
    "efs-filesystem": "EfsFilesystem",
    "event-bus": "EventBus",
    "web-service": "WebService",
    "private-service": "PrivateService",
    "worker-service": "WorkerService",
    "relational-database": "RelationalDatabase",
}


class _ComponentTable(Mapping[str, type[Any]]):
    """YAML type → component class, importing a component's module when its type is first looked up."""

    def __getitem__(self, resource_type: str) -> type[Any]:
        component: type[Any] = getattr(components_package, _COMPONENT_CLASSES[resource_type])
        return component

    def __iter__(self) -> Iterator[str]:
        return iter(_COMPONENT_CLASSES)

    def __len__(self) -> int:
        return len(_COMPONENT_CLASSES)


COMPONENTS_BY_TYPE: Mapping[str, type[Any]] = _ComponentTable()


def build_stack(config: Any, plan: StackPlan, *, project: str | None = None,
                stage: str | None = None, base_dir: Path | None = None,
                opts: pulumi.ResourceOptions | None = None) -> StackContext:
    """Create every resource's component in the plan's order inside the running Pulumi program; export outputs.

    Physical names start with `<project>-<stage>`: the project is the config's `serviceName` when it
    has one (the reference's stack name is `{serviceName}-{stage}`), else `project`, else the running
    Pulumi project; so `pulumi up`, the Automation API and the offline preview name a config's
    resources alike whatever the Pulumi project is called. `opts` are every component's options and
    the stack component's (an explicit provider, protect …).
    """
    project = getattr(config, "serviceName", None) or project
    settings = stack_config_settings(getattr(config, "stackConfig", None))
    settings.base_dir = base_dir  # the config file's directory: relative paths in the config start there
    ctx = StackContext(settings, plan=plan, project=project, stage=stage, opts=opts)
    restore = use_context(ctx)
    try:
        for name in plan.build_order or plan.order:
            if name.startswith(NODE_PREFIX):
                logical = name.removeprefix(NODE_PREFIX)
                # Imported here: only a config with CloudFormation resources needs pulumi_aws_native.
                from stacktape_pulumi.components.cloudformation import CloudformationResource

                CloudformationResource(logical, config.cloudformationResources[logical], context=ctx,
                                       opts=cascade_options(opts))
                continue
            resource = config.resources[name]
            # Components register themselves (and their params) with the context.
            component = COMPONENTS_BY_TYPE[resource.type]
            # A YAML resource may leave `properties` out; the components take that as empty args.
            component(name, resource.properties if resource.properties is not None else {}, opts=opts, context=ctx)
        for name in plan.order:
            if ctx.params.get(name):
                pulumi.export(name, ctx.params[name])
        stack_config = getattr(config, "stackConfig", None)
        for output in (getattr(stack_config, "outputs", None) or []):
            pulumi.export(output.name, ctx.output_value(output.value))
    finally:
        restore()
    return ctx
