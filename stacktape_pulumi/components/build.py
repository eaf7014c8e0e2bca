"""Build a validated config inside a running Pulumi program: one component per resource, in creation order."""

from pathlib import Path
from typing import Any

import pulumi

from stacktape_pulumi.checks.cloudformation import NODE_PREFIX
from stacktape_pulumi.components.application_load_balancer import ApplicationLoadBalancer
from stacktape_pulumi.components.bucket import Bucket
from stacktape_pulumi.components.cloudformation import CloudformationResource
from stacktape_pulumi.components.context import StackContext, use_context
from stacktape_pulumi.components.dynamo_db_table import DynamoDbTable
from stacktape_pulumi.components.efs_filesystem import EfsFilesystem
from stacktape_pulumi.components.event_bus import EventBus
from stacktape_pulumi.components.function import Function
from stacktape_pulumi.components.http_api_gateway import HttpApiGateway
from stacktape_pulumi.components.network_load_balancer import NetworkLoadBalancer
from stacktape_pulumi.components.relational_database import RelationalDatabase
from stacktape_pulumi.components.services import PrivateService, WebService, WorkerService
from stacktape_pulumi.components.sns_topic import SnsTopic
from stacktape_pulumi.components.sqs_queue import SqsQueue
from stacktape_pulumi.components.stack import cascade_options
from stacktape_pulumi.components.workload import MultiContainerWorkload
from stacktape_pulumi.plan import StackPlan, stack_config_settings

# YAML type → component. Each is built from the props model validation already produced (the
# components' `validate_args` accepts a model as is), with the stack's context.
COMPONENTS_BY_TYPE: dict[str, type[Any]] = {
    "multi-container-workload": MultiContainerWorkload,
    "http-api-gateway": HttpApiGateway,
    "application-load-balancer": ApplicationLoadBalancer,
    "network-load-balancer": NetworkLoadBalancer,
    "function": Function,
    "bucket": Bucket,
    "dynamo-db-table": DynamoDbTable,
    "sqs-queue": SqsQueue,
    "sns-topic": SnsTopic,
    "efs-filesystem": EfsFilesystem,
    "event-bus": EventBus,
    "web-service": WebService,
    "private-service": PrivateService,
    "worker-service": WorkerService,
    "relational-database": RelationalDatabase,
}


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
