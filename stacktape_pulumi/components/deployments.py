"""Gradual deployments of a multi-container workload with ECS's own blue/green, canary and linear strategies.

AWS: ECS (`deploymentConfiguration.strategy`, lifecycle hooks, the load balancer's advanced
configuration), Elastic Load Balancing v2 (the test listener rule), IAM (the ECS infrastructure
role for load balancers, the role ECS invokes hook functions with).

The reference drives these deployments through CodeDeploy; here ECS runs them itself
(DESIGN.md), so the deployment circuit breaker, Service Connect and alarms keep working. The
workload's single load balancer rule forwards to two target groups (the load balancer event
creates the alternate one) with all weight on the first; during a deployment ECS starts the new
tasks in the other group, moves the weights in the strategy's steps and swaps the groups'
roles when it is done. Hook functions are ECS lifecycle hooks: ECS invokes them and they answer
`{"hookStatus": "SUCCEEDED" | "FAILED" | "IN_PROGRESS"}` (see docs/decisions.md).
"""

from __future__ import annotations  # see stacktape_pulumi/components/__init__.py

from dataclasses import dataclass
from typing import TYPE_CHECKING

import pulumi_aws as aws

from stacktape_pulumi.aws import iam
from stacktape_pulumi.components.wiring import (
    GRADUAL_RULE_IGNORE_CHANGES,
    ServiceWiring,
    TrafficRule,
    TrafficTarget,
    forward_actions,
)
from stacktape_pulumi.config.models.workload import DEFAULT_TEST_LISTENER_PORT, ContainerWorkloadDeployment
from stacktape_pulumi.errors import StacktapeError

if TYPE_CHECKING:
    from stacktape_pulumi.components.context import StackContext

LOAD_BALANCERS_POLICY = "arn:aws:iam::aws:policy/AmazonECSInfrastructureRolePolicyForLoadBalancers"
# Minutes both revisions keep running after production traffic moved: 0, as the reference (CodeDeploy
# terminated the old task set at once). The strategy's own waits are the canary / step bake times.
BAKE_TIME_MINUTES = 0
# `beforeAllowTrafficFunction`: test traffic already reaches the new tasks, production traffic not yet.
BEFORE_ALLOW_TRAFFIC_STAGES = ("POST_TEST_TRAFFIC_SHIFT",)
# `afterTrafficShiftFunction`: all production traffic reaches the new tasks, the old ones still run.
AFTER_TRAFFIC_SHIFT_STAGES = ("POST_PRODUCTION_TRAFFIC_SHIFT",)
HOOKS_POLICY = "invoke-deployment-hooks"


@dataclass(frozen=True)
class StrategyPlan:
    """How one of the reference's strategy names maps onto `deploymentConfiguration`."""

    strategy: str  # CANARY, LINEAR or BLUE_GREEN
    percent: float | None = None  # canary percent / linear step percent
    minutes: int | None = None  # canary bake time / linear step bake time


STRATEGIES = {
    "Canary10Percent5Minutes": StrategyPlan("CANARY", 10.0, 5),
    "Canary10Percent15Minutes": StrategyPlan("CANARY", 10.0, 15),
    "Linear10PercentEvery1Minutes": StrategyPlan("LINEAR", 10.0, 1),
    "Linear10PercentEvery3Minutes": StrategyPlan("LINEAR", 10.0, 3),
    "AllAtOnce": StrategyPlan("BLUE_GREEN"),
}


def deployment_configuration(strategy: str, hooks: list[aws.ecs.ServiceDeploymentConfigurationLifecycleHookArgs]
                             ) -> aws.ecs.ServiceDeploymentConfigurationArgs:
    """`deploymentConfiguration` of a strategy: CANARY 10 % then the rest, LINEAR 10 % steps, or BLUE_GREEN."""
    plan = STRATEGIES.get(strategy)
    if plan is None:
        raise StacktapeError(f"unknown deployment strategy '{strategy}'; allowed: {', '.join(STRATEGIES)}")
    canary = linear = None
    if plan.strategy == "CANARY":
        canary = aws.ecs.ServiceDeploymentConfigurationCanaryConfigurationArgs(
            canary_percent=plan.percent, canary_bake_time_in_minutes=str(plan.minutes))
    elif plan.strategy == "LINEAR":
        linear = aws.ecs.ServiceDeploymentConfigurationLinearConfigurationArgs(
            step_percent=plan.percent, step_bake_time_in_minutes=str(plan.minutes))
    return aws.ecs.ServiceDeploymentConfigurationArgs(
        strategy=plan.strategy, bake_time_in_minutes=str(BAKE_TIME_MINUTES), canary_configuration=canary,
        linear_configuration=linear, lifecycle_hooks=hooks or None)


def load_balancers_role(ctx: StackContext) -> tuple[aws.iam.Role, aws.iam.RolePolicyAttachment]:
    """The stack's ECS infrastructure role for load balancers: ECS moves targets and rule weights with it."""

    def create() -> tuple[aws.iam.Role, aws.iam.RolePolicyAttachment]:
        prefix = ctx.logical_prefix()
        role = iam.service_role(f"{prefix}-ecs-load-balancers-role", name=ctx.iam_name("ecs-lb"),
                                service="ecs.amazonaws.com", tags=ctx.tags, opts=ctx.shared_opts())
        attachment = iam.managed_policy(f"{prefix}-ecs-load-balancers-role-managed", role,
                                        LOAD_BALANCERS_POLICY)
        return role, attachment

    return ctx.once("ecs-load-balancers-role", create)


def gradual_deployment(workload: TrafficTarget, wiring: ServiceWiring) -> None:
    """A workload with `deployment`: strategy, hooks, test traffic and the target group pair on its service."""
    deployment = workload.props.deployment
    if deployment is None:
        return
    name = workload.resource_name
    if len(wiring.traffic_rules) != 1:
        raise StacktapeError(f"MultiContainerWorkload '{name}': deployment needs exactly one "
                             f"application-load-balancer event, found {len(wiring.traffic_rules)}")
    target = wiring.traffic_rules[0]
    ctx = workload.context
    role, attachment = load_balancers_role(ctx)
    test_rule = None
    if deployment.beforeAllowTrafficFunction is not None:
        test_rule = _test_rule(workload, target, deployment.testListenerPort or DEFAULT_TEST_LISTENER_PORT)
        wiring.depends_on.append(test_rule)
    advanced = aws.ecs.ServiceLoadBalancerAdvancedConfigurationArgs(
        alternate_target_group_arn=target.alternate_target_group.arn,
        production_listener_rule=target.rule.arn,
        test_listener_rule=test_rule.arn if test_rule is not None else None,
        role_arn=role.arn)
    wiring.load_balancers = [
        aws.ecs.ServiceLoadBalancerArgs(container_name=entry.container_name, container_port=entry.container_port,
                                        target_group_arn=entry.target_group_arn, advanced_configuration=advanced)
        if (entry.container_name, entry.container_port) == (target.container_name, target.container_port) else entry
        for entry in wiring.load_balancers
    ]
    wiring.deployment = deployment_configuration(deployment.strategy, _lifecycle_hooks(workload, deployment, wiring))
    wiring.depends_on.append(attachment)
    # ECS swaps the primary and alternate target groups as deployments complete.
    wiring.ignore_changes.append("loadBalancers")


def _test_rule(workload: TrafficTarget, target: TrafficRule, port: int) -> aws.lb.ListenerRule:
    """A copy of the production rule on the test listener: testers reach the new tasks before users do."""
    lb = target.load_balancer
    try:
        listener = lb.test_listener(port)
    except StacktapeError as exc:
        raise StacktapeError(
            f"MultiContainerWorkload '{workload.resource_name}': test traffic needs a listener on port {port} of "
            f"load balancer '{lb.resource_name}' ({exc}); give the load balancer a listener on that port") from None
    return aws.lb.ListenerRule(
        f"{workload.resource_name}-{lb.resource_name}-{port}-{target.priority}-test-rule",
        listener_arn=listener.arn,
        priority=target.priority,
        actions=forward_actions(target.target_group.arn, target.alternate_target_group.arn),
        conditions=target.conditions,
        tags=workload.context.tags,
        opts=workload.child_opts(ignore_changes=GRADUAL_RULE_IGNORE_CHANGES))


def _lifecycle_hooks(workload: TrafficTarget, deployment: ContainerWorkloadDeployment, wiring: ServiceWiring
                     ) -> list[aws.ecs.ServiceDeploymentConfigurationLifecycleHookArgs]:
    """One hook per hook function, and a role allowing ECS to invoke exactly those functions."""
    # Imported here: the function component (and pulumi_aws.lambda_) only where a deployment has hook functions.
    from stacktape_pulumi.components.function import Function

    ctx = workload.context
    wanted = [(deployment.beforeAllowTrafficFunction, BEFORE_ALLOW_TRAFFIC_STAGES),
              (deployment.afterTrafficShiftFunction, AFTER_TRAFFIC_SHIFT_STAGES)]
    hooks = [(ctx.component(function, Function), stages) for function, stages in wanted if function is not None]
    if not hooks:
        return []
    name = workload.resource_name
    opts = workload.child_opts()
    role = iam.service_role(f"{name}-deployment-hooks-role", name=ctx.iam_name(name, "hooks"),
                            service="ecs.amazonaws.com", tags=ctx.tags, opts=opts)
    functions = {function.resource_name: function for function, _ in hooks}
    policy = iam.inline_policy(
        f"{name}-{HOOKS_POLICY}", role, HOOKS_POLICY,
        [iam.statement(["lambda:InvokeFunction"], [f.target_arn for f in functions.values()])], opts)
    wiring.depends_on.append(policy)
    return [aws.ecs.ServiceDeploymentConfigurationLifecycleHookArgs(
        hook_target_arn=function.target_arn, role_arn=role.arn, lifecycle_stages=list(stages))
        for function, stages in hooks]
