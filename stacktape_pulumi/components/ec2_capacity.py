"""EC2 capacity for a workload with `resources.instanceTypes`: the instances its tasks run on.

AWS: EC2 (launch template), Auto Scaling (group, warm pool, instance refresh), ECS (capacity
provider, cluster association), IAM (instance role and profile, scheduler role), EventBridge
Scheduler (the weekly refresh).

Removal without manual steps: the group has `force_delete` and the capacity provider's
managed termination protection only guards instances that run tasks; Pulumi deletes the ECS
service first (it depends on the cluster association), so nothing is protected by then.
"""

from __future__ import annotations  # see stacktape_pulumi/components/__init__.py

import base64
import json
from dataclasses import dataclass
from typing import Any

import pulumi
import pulumi_aws as aws

from stacktape_pulumi.aws import iam
from stacktape_pulumi.aws.instances import ami_parameter, capacity_refusals, smallest_instance, task_gpus, task_memory
from stacktape_pulumi.components.base import ArgsError, ResourceOwner
from stacktape_pulumi.components.context import StackContext
from stacktape_pulumi.config.models.workload import WORKLOAD_TYPE

ECS_INSTANCE_POLICY = "arn:aws:iam::aws:policy/service-role/AmazonEC2ContainerServiceforEC2Role"
# Every Sunday 03:00 UTC, as the product page promises.
WEEKLY_REFRESH = "cron(0 3 ? * SUN *)"
REFRESH_TARGET = "arn:aws:scheduler:::aws-sdk:autoscaling:startInstanceRefresh"
ASG_SIZE_FACTOR = 4  # headroom over maxInstances for rolling replacements (as the reference)


@dataclass(frozen=True)
class Ec2Sizing:
    """What the task definition and launch template need from the instance types, decided before any resource."""

    memory: str
    cpu: str | None
    cpu_architecture: str  # X86_64 or ARM64
    gpus: int  # whole NVIDIA GPUs the GPU container reserves (0: no GPU types)
    ami_parameter: str


def ec2_sizing(workload: str, resources: Any) -> Ec2Sizing:
    """Task memory, architecture, GPUs and AMI from the bundled instance table (formulas in aws/instances.py).

    Refuses what `validate` refuses, with the same messages: Python callers do not run `validate`.
    """
    names: list[str] = list(resources.instanceTypes)
    specs, refusals = capacity_refusals(names)
    if refusals:
        raise ArgsError("\n".join(
            f"{WORKLOAD_TYPE} '{workload}': resources.instanceTypes{'' if index is None else f'[{index}]'}: "
            f"{refusal.message} (hint: {refusal.hint})" for index, refusal in refusals))
    return Ec2Sizing(memory=str(task_memory(smallest_instance(specs), resources.memory)),
                     cpu=str(int(resources.cpu * 1024)) if resources.cpu else None,
                     cpu_architecture="ARM64" if specs[0].arm64 else "X86_64",
                     gpus=task_gpus(specs), ami_parameter=ami_parameter(specs))


def reserve_gpus(definitions: list[dict[str, Any]], gpus: int) -> None:
    """Give the first essential container every GPU of the task (the workload config has no per-container key)."""
    if not gpus:
        return
    target = next((d for d in definitions if d.get("essential", True)), definitions[0])
    target["resourceRequirements"] = [{"type": "GPU", "value": str(gpus)}]


class Ec2Capacity:
    """Creates a workload's launch template, Auto Scaling group, capacity provider and refresh schedule."""

    def __init__(self, owner: ResourceOwner, props: Any, sizing: Ec2Sizing, ctx: StackContext,
                 cluster: aws.ecs.Cluster, security_groups: list[pulumi.Input[str]],
                 subnets: list[pulumi.Output[str]], depends_on: list[pulumi.Resource]) -> None:
        workload = owner.resource_name
        self._child = owner.child_opts  # its resources are the workload's children
        self._name = workload
        self._ctx = ctx
        resources = props.resources
        types: list[str] = list(resources.instanceTypes)
        scaling = props.scaling
        self._max = (scaling.maxInstances if scaling and scaling.maxInstances else 1)
        profile = self._instance_profile()
        template = self._launch_template(types, sizing, cluster, security_groups, profile)
        self.group = self._auto_scaling_group(types, template, subnets, depends_on, bool(resources.enableWarmPool))
        self.capacity_provider = aws.ecs.CapacityProvider(
            f"{workload}-capacity-provider",
            name=ctx.name("service", workload, "cp"),
            auto_scaling_group_provider=aws.ecs.CapacityProviderAutoScalingGroupProviderArgs(
                auto_scaling_group_arn=self.group.arn,
                managed_termination_protection="ENABLED",
                managed_draining="ENABLED",
                managed_scaling=aws.ecs.CapacityProviderAutoScalingGroupProviderManagedScalingArgs(
                    status="ENABLED", target_capacity=100, maximum_scaling_step_size=self._max)),
            tags=ctx.tags, opts=self._child())
        self.association = aws.ecs.ClusterCapacityProviders(
            f"{workload}-capacity-providers", cluster_name=cluster.name,
            capacity_providers=[self.capacity_provider.name],
            default_capacity_provider_strategies=[aws.ecs.ClusterCapacityProvidersDefaultCapacityProviderStrategyArgs(
                capacity_provider=self.capacity_provider.name, weight=1)],
            opts=self._child())
        self._weekly_refresh()

    def _instance_profile(self) -> aws.iam.InstanceProfile:
        """The instance role and profile every EC2 workload of the stack shares."""
        ctx = self._ctx

        def create() -> aws.iam.InstanceProfile:
            prefix = ctx.logical_prefix()
            role = iam.service_role(f"{prefix}-ecs-instance-role", name=ctx.iam_name("ecs-instance"),
                                    service="ec2.amazonaws.com", tags=ctx.tags, opts=ctx.shared_opts())
            iam.managed_policy(f"{prefix}-ecs-instance-role-managed", role, ECS_INSTANCE_POLICY)
            return aws.iam.InstanceProfile(f"{prefix}-ecs-instance-profile", role=role.name,
                                           name=ctx.iam_name("ecs-instance"), tags=ctx.tags,
                                           opts=pulumi.ResourceOptions(parent=role))

        return ctx.once("ecs-instance-profile", create)

    def _launch_template(self, types: list[str], sizing: Ec2Sizing, cluster: aws.ecs.Cluster,
                         security_groups: list[pulumi.Input[str]],
                         profile: aws.iam.InstanceProfile) -> aws.ec2.LaunchTemplate:
        ctx, name = self._ctx, self._name
        # The agent reserves GPUs for containers only with GPU support on; said explicitly, not left to the AMI.
        gpu_line = "echo ECS_ENABLE_GPU_SUPPORT=true >> /etc/ecs/ecs.config\n" if sizing.gpus else ""
        user_data = cluster.name.apply(lambda cluster_name: base64.b64encode((
            "#!/bin/bash\n"
            f"echo ECS_CLUSTER={cluster_name} >> /etc/ecs/ecs.config\n"
            "echo ECS_WARM_POOLS_CHECK=true >> /etc/ecs/ecs.config\n"
            "echo ECS_ENABLE_CONTAINER_METADATA=true >> /etc/ecs/ecs.config\n"
            f"{gpu_line}").encode()).decode())
        tag_specs = [aws.ec2.LaunchTemplateTagSpecificationArgs(resource_type=kind, tags={**ctx.tags,
                                                                                          "stp:workload": name})
                     for kind in ("instance", "volume", "network-interface")]
        return aws.ec2.LaunchTemplate(
            f"{name}-launch-template",
            name=ctx.name("service", name, "lt"),
            # EC2 resolves the SSM parameter at launch, so refreshed instances get the newest ECS AMI.
            image_id=f"resolve:ssm:{sizing.ami_parameter}",
            instance_type=types[0] if len(types) == 1 else None,
            iam_instance_profile=aws.ec2.LaunchTemplateIamInstanceProfileArgs(arn=profile.arn),
            # Bridge networking: the tasks' security groups sit on the instances.
            vpc_security_group_ids=security_groups,
            user_data=user_data,
            metadata_options=aws.ec2.LaunchTemplateMetadataOptionsArgs(
                http_endpoint="enabled", http_tokens="required", http_put_response_hop_limit=2),
            block_device_mappings=[aws.ec2.LaunchTemplateBlockDeviceMappingArgs(
                device_name="/dev/xvda",
                ebs=aws.ec2.LaunchTemplateBlockDeviceMappingEbsArgs(
                    encrypted="true", volume_type="gp3", volume_size=30, delete_on_termination="true"))],
            tag_specifications=tag_specs,
            tags=ctx.tags, opts=self._child())

    def _auto_scaling_group(self, types: list[str], template: aws.ec2.LaunchTemplate,
                            subnets: list[pulumi.Output[str]], depends_on: list[pulumi.Resource],
                            warm_pool: bool) -> aws.autoscaling.Group:
        ctx, name = self._ctx, self._name
        spec: aws.autoscaling.GroupLaunchTemplateArgs | None = aws.autoscaling.GroupLaunchTemplateArgs(
            id=template.id, version=template.latest_version.apply(str))
        mixed = None
        if len(types) > 1:
            spec = None
            mixed = aws.autoscaling.GroupMixedInstancesPolicyArgs(
                launch_template=aws.autoscaling.GroupMixedInstancesPolicyLaunchTemplateArgs(
                    launch_template_specification=aws.autoscaling.GroupMixedInstancesPolicyLaunchTemplateLaunchTemplateSpecificationArgs(
                        launch_template_id=template.id, version=template.latest_version.apply(str)),
                    # List order is preference order ("prioritized" on-demand allocation).
                    overrides=[aws.autoscaling.GroupMixedInstancesPolicyLaunchTemplateOverrideArgs(instance_type=t)
                               for t in types]),
                instances_distribution=aws.autoscaling.GroupMixedInstancesPolicyInstancesDistributionArgs(
                    on_demand_allocation_strategy="prioritized"))
        return aws.autoscaling.Group(
            f"{name}-asg",
            name=ctx.name("asg", name, "asg"),
            min_size=0,
            max_size=self._max * ASG_SIZE_FACTOR,
            vpc_zone_identifiers=subnets,
            launch_template=spec,
            mixed_instances_policy=mixed,
            # Managed termination protection needs scale-in protection on new instances.
            protect_from_scale_in=True,
            # `pulumi destroy` must not wait on protected instances.
            force_delete=True,
            instance_maintenance_policy=aws.autoscaling.GroupInstanceMaintenancePolicyArgs(
                min_healthy_percentage=100, max_healthy_percentage=200),
            warm_pool=aws.autoscaling.GroupWarmPoolArgs(
                min_size=0, max_group_prepared_capacity=self._max, pool_state="Stopped") if warm_pool else None,
            # AWS tags a group ECS manages with AmazonECSManaged; declaring it keeps updates from removing it.
            tags=[aws.autoscaling.GroupTagArgs(key=k, value=v, propagate_at_launch=False)
                  for k, v in sorted({**ctx.tags, "AmazonECSManaged": "true"}.items())],
            # ECS manages the desired capacity through the capacity provider.
            opts=self._child(depends_on=depends_on, ignore_changes=["desiredCapacity"]))

    def _weekly_refresh(self) -> None:
        """Replace the instances every Sunday 03:00 UTC with no downtime (patching)."""
        ctx, name, group = self._ctx, self._name, self.group
        role = iam.service_role(f"{name}-refresh-role", name=ctx.iam_name(name, "refresh"),
                                service="scheduler.amazonaws.com", tags=ctx.tags, opts=self._child())
        iam.inline_policy(f"{name}-refresh-policy", role, "start-instance-refresh",
                          [iam.statement(["autoscaling:StartInstanceRefresh"], [group.arn])], self._child())
        payload = group.name.apply(lambda asg: json.dumps({
            "AutoScalingGroupName": asg,
            "Preferences": {"MinHealthyPercentage": 100, "MaxHealthyPercentage": 200,
                            "ScaleInProtectedInstances": "Refresh", "SkipMatching": False},
        }))
        aws.scheduler.Schedule(
            f"{name}-weekly-refresh", name=ctx.name("schedule", name, "refresh"),
            schedule_expression=WEEKLY_REFRESH, schedule_expression_timezone="UTC", state="ENABLED",
            flexible_time_window=aws.scheduler.ScheduleFlexibleTimeWindowArgs(mode="OFF"),
            target=aws.scheduler.ScheduleTargetArgs(arn=REFRESH_TARGET, role_arn=role.arn, input=payload),
            opts=self._child())
