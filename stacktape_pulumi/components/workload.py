"""`multi-container-workload`: containers run together as one ECS service on Fargate.

AWS: ECS (cluster, task definition, service), IAM (task role, execution-role policy),
EC2 (security group, ingress rules), CloudWatch Logs, Application Auto Scaling.
"""

from __future__ import annotations  # see stacktape_pulumi/components/__init__.py

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

import pulumi
import pulumi_aws as aws

from stacktape_pulumi.aws import ecs as ecs_plan
from stacktape_pulumi.aws import iam
from stacktape_pulumi.aws.json_output import json_output
from stacktape_pulumi.aws.logs import log_group
from stacktape_pulumi.aws.security_groups import group_description, outbound_only_group
from stacktape_pulumi.components.base import ArgsError, StacktapeComponent
from stacktape_pulumi.components.connect import POLICY_NAME as CONNECT_POLICY_NAME
from stacktape_pulumi.components.connect import (
    ConnectedSecret,
    credential_reference,
    resolve_connections,
    runtime_values,
)
from stacktape_pulumi.components.context import StackContext
from stacktape_pulumi.components.ec2_capacity import Ec2Capacity, ec2_sizing, reserve_gpus
from stacktape_pulumi.components.images import ImageTarget
from stacktape_pulumi.components.log_forwarding import LogForwarder
from stacktape_pulumi.components.packaging import image_uri
from stacktape_pulumi.components.volumes import plan_volumes
from stacktape_pulumi.components.wiring import EventSite, ServiceWiring
from stacktape_pulumi.components.workload_events import EVENT_HANDLERS, WORKLOAD_HANDLERS
from stacktape_pulumi.config.models.workload import MultiContainerWorkloadProps
from stacktape_pulumi.directives.refs import SecretRef, SsmParamRef
from stacktape_pulumi.errors import StacktapeError
from stacktape_pulumi.images.dockerfiles import NON_ROOT_PACKAGING_TYPES

if TYPE_CHECKING:  # annotations only: `schema.registry` evaluates them with stacktape_pulumi.args
    from stacktape_pulumi.args import MultiContainerWorkloadArgs

# A container variable ECS reads with `valueFrom`: a `$Secret`, a `$SsmParam`, or a connectTo credential.
Hidden = SecretRef | SsmParamRef | ConnectedSecret
TrackingArgs = aws.appautoscaling.PolicyTargetTrackingScalingPolicyConfigurationArgs
MetricArgs = aws.appautoscaling.PolicyTargetTrackingScalingPolicyConfigurationPredefinedMetricSpecificationArgs

SSM_MESSAGES_ACTIONS = [
    "ssmmessages:CreateControlChannel",
    "ssmmessages:CreateDataChannel",
    "ssmmessages:OpenControlChannel",
    "ssmmessages:OpenDataChannel",
]
DEFAULT_LOG_RETENTION_DAYS = 90
DEFAULT_STOP_TIMEOUT = 2
DEFAULT_SCALING_TARGET = 80
ECS_TASK_EXECUTION_POLICY = "arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy"
# ECS's `containerInsights` cluster setting; None leaves the account's default (ECS account setting).
ContainerInsights = Literal["disabled", "enabled", "enhanced"]


def cluster_option_problem(cluster_given: bool, container_insights: ContainerInsights | None,
                           ec2: bool) -> str | None:
    """What is wrong with a workload's Python-only cluster options, or None."""
    if cluster_given and container_insights is not None:
        return ("only one of `cluster` or `container_insights`: Container Insights is a setting of the "
                "cluster, so set it where that cluster is created")
    if cluster_given and ec2:
        return ("`cluster` cannot be combined with `resources.instance_types`: the EC2 capacity provider "
                "replaces the capacity providers of its cluster, so an EC2 workload runs in a cluster of its own")
    return None


def cluster_name_of(arn: str) -> str:
    """`arn:aws:ecs:<region>:<account>:cluster/<name>` → `<name>` (a bare name stays as it is)."""
    return arn.rsplit("/", 1)[-1]


@dataclass(frozen=True)
class TaskPlacement:
    """What differs between a Fargate and an EC2 task definition."""

    network_mode: str  # awsvpc (Fargate) or bridge (EC2: dynamic host ports)
    compatibility: str  # FARGATE or EC2
    cpu: str | None
    memory: pulumi.Input[str]
    cpu_architecture: str  # X86_64 or ARM64


class MultiContainerWorkload(StacktapeComponent[MultiContainerWorkloadProps]):
    """One or more containers running together as an ECS service on Fargate, scaled as a unit."""

    cluster: aws.ecs.Cluster | None
    """The ECS cluster the service runs in: its own, or the one passed as `cluster` (None when passed by ARN)."""
    service: aws.ecs.Service
    """The ECS service running the task definition."""
    task_definition: aws.ecs.TaskDefinition
    """The task definition holding every container."""
    security_group: aws.ec2.SecurityGroup
    """The tasks' security group (ingress only from the sources the events name)."""
    task_role: aws.iam.Role
    """The IAM role the containers run as."""
    execution_role: aws.iam.Role
    """The IAM role ECS starts the tasks with (image pulls, logs, this workload's secrets)."""
    log_groups: dict[str, aws.cloudwatch.LogGroup]
    """CloudWatch log group of each container with logging enabled, by container name."""
    params: dict[str, pulumi.Output[Any]]
    """The values `$ResourceParam('<name>', '<param>')` reads: clusterArn, serviceArn, serviceName, ..."""

    def __init__(self, name: str, args: MultiContainerWorkloadArgs,
                 opts: pulumi.ResourceOptions | None = None, *, context: StackContext | None = None,
                 cluster: aws.ecs.Cluster | pulumi.Input[str] | None = None,
                 container_insights: ContainerInsights | None = None) -> None:
        """Validate `args` (the YAML's `properties`, or a `MultiContainerWorkloadProps`) and create the workload.

        Python only (the reference has no keys for them): `cluster` runs the service in an existing
        cluster (an `aws.ecs.Cluster`, e.g. another workload's `.cluster`, or a cluster ARN) instead
        of a cluster of its own (Fargate only); `container_insights` sets CloudWatch Container
        Insights on the workload's own cluster (`enabled`, `enhanced` or `disabled`; default: the
        account's ECS setting).
        """
        super().__init__("MultiContainerWorkload", "multi-container-workload", name, args,
                         MultiContainerWorkloadProps, opts, context)
        props = self.props
        self._fargate = not props.resources.instanceTypes
        problem = cluster_option_problem(cluster is not None, container_insights, ec2=not self._fargate)
        if problem is not None:
            raise ArgsError(f"MultiContainerWorkload '{name}': {problem}")
        # EC2 sizing is decided before any resource exists (memory formula, architecture).
        self._ec2 = None if self._fargate else ec2_sizing(name, props.resources)

        private = bool(props.usePrivateSubnetsWithNAT)
        self._network = self.context.network(private_subnets=private)
        # connectTo: statements for the task role, STP_* variables for every container.
        self._connections = resolve_connections(self.context, props.connectTo or [], owner=name)
        self.cluster, self._cluster_arn, self._cluster_name = self._cluster(cluster, container_insights)
        self.security_group = self._create_security_group()
        self.context.vpc_clients[name] = self.security_group.id
        # connectTo a database: its group admits this workload's group on its port.
        self._connections.open_ingress(self, self.security_group.id, self.tags)
        self._volumes = plan_volumes(self, list(props.containers), self.security_group.id)
        self.task_role = self._create_task_role()
        self.execution_role = self._create_execution_role()
        self.log_forwarder = LogForwarder(self)
        self.log_groups = self._create_log_groups()
        environments, secrets = self._resolve_environment()
        exec_policy = self._create_execution_secrets_policy(secrets)
        self.task_definition = self._create_task_definition(environments, secrets)
        wiring = self._wire_events()
        self._create_ingress(wiring)
        self.capacity = None if self._ec2 is None or self.cluster is None else Ec2Capacity(
            self, props, self._ec2, self.context, self.cluster, [self.security_group.id, *wiring.security_groups],
            self._network.subnets(private), [*self._network.ready])
        self.service = self._create_service(wiring, private, exec_policy)
        self._create_scaling()
        self.params = {
            "clusterArn": self._cluster_arn,
            "serviceArn": self.service.id,
            "serviceName": self.service.name,
            "securityGroupId": self.security_group.id,
            "taskRoleArn": self.task_role.arn,
        }
        self.publish(self.params)

    # ---- recipe steps --------------------------------------------------------------------
    def _cluster(self, given: aws.ecs.Cluster | pulumi.Input[str] | None, insights: ContainerInsights | None
                 ) -> tuple[aws.ecs.Cluster | None, pulumi.Output[str], pulumi.Output[str]]:
        """The cluster the service runs in, its ARN and its name: the one given, else a new one of its own."""
        if isinstance(given, aws.ecs.Cluster):
            return given, given.arn, given.name
        if given is not None:
            arn = pulumi.Output.from_input(given)
            return None, arn, arn.apply(cluster_name_of)
        settings = [aws.ecs.ClusterSettingArgs(name="containerInsights", value=insights)] if insights else None
        own = aws.ecs.Cluster(f"{self.resource_name}-cluster",
                              name=self.context.name("ecs-cluster", self.resource_name, "cluster"),
                              settings=settings, tags=self.tags, opts=self.child_opts())
        return own, own.arn, own.name

    def _create_security_group(self) -> aws.ec2.SecurityGroup:
        # No inline ingress: event wiring adds rules from source groups only.
        return outbound_only_group(
            f"{self.resource_name}-sg",
            description=group_description(
                f"Security group associated with {self.resource_name} in stack {self.context.stack_name}"),
            vpc_id=self._network.vpc_id, tags=self.tags, opts=self.child_opts())

    def _create_execution_role(self) -> aws.iam.Role:
        """The role ECS starts this workload's tasks with: pull the images, write the logs, read its own secrets.

        One per workload, not one per stack: the secret grants of one workload must not let another
        workload's task definitions read them.
        """
        name = self.resource_name
        role = iam.service_role(f"{name}-execution-role", name=self.context.iam_name(name, "exec"),
                                service="ecs-tasks.amazonaws.com", tags=self.tags, opts=self.child_opts())
        iam.managed_policy(f"{name}-execution-role-managed", role, ECS_TASK_EXECUTION_POLICY)
        return role

    def _create_task_role(self) -> aws.iam.Role:
        name = self.resource_name
        role = iam.service_role(f"{name}-task-role", name=self.context.iam_name(name),
                                service="ecs-tasks.amazonaws.com", tags=self.tags, opts=self.child_opts())
        policies = {
            "custom-iam-role-statements": iam.custom_statements(
                self.props.iamRoleStatements, lambda value: runtime_values(self.context, value)),
            CONNECT_POLICY_NAME: self._connections.statements,
            # ECS Exec needs these on "*": the SSM channels have no resource ARN to scope to.
            "ssm-messages": [iam.statement(SSM_MESSAGES_ACTIONS, ["*"])] if self.props.enableRemoteSessions else [],
            "efs-access": self._volumes.statements,
        }
        # The service waits for these: a task started before its role's policies exist fails its first calls.
        self._task_role_policies = [iam.inline_policy(f"{name}-{policy}", role, policy, statements, self.child_opts())
                                    for policy, statements in policies.items() if statements]
        return role

    def _create_log_groups(self) -> dict[str, aws.cloudwatch.LogGroup]:
        groups: dict[str, aws.cloudwatch.LogGroup] = {}
        for container in self.props.containers:
            group = log_group(
                f"{self.resource_name}-{container.name}-logs",
                f"/stp/{self.context.stack_name}/ecs/{self.resource_name}/{container.name}/process-logs",
                container.logging, DEFAULT_LOG_RETENTION_DAYS, self.tags, self.child_opts())
            if group is not None:
                groups[container.name] = group
                forwarding = container.logging.logForwarding if container.logging is not None else None
                if forwarding is not None:
                    self.log_forwarder.forward(container.name, group, forwarding)
        return groups

    def _resolve_environment(self) -> tuple[dict[str, list[Any]], dict[str, list[tuple[str, Hidden]]]]:
        """Split each container's env into plain values and `valueFrom` secrets (never mixed)."""
        resolver = self.context.resolver
        environments: dict[str, list[Any]] = {}
        secrets: dict[str, list[tuple[str, Hidden]]] = {}
        for container in self.props.containers:
            plain: list[Any] = []
            hidden: list[tuple[str, Hidden]] = []
            for var in container.environment or []:
                credential = credential_reference(self.context, var.value)
                value = credential or (resolver.resolve(var.value) if isinstance(var.value, str) else var.value)
                if isinstance(value, SecretRef | SsmParamRef | ConnectedSecret):
                    hidden.append((var.name, value))
                elif isinstance(value, pulumi.Output):
                    plain.append({"name": var.name, "value": value.apply(ecs_plan.stringify)})
                else:
                    plain.append({"name": var.name, "value": ecs_plan.stringify(value)})
            # connectTo's variables replace user variables of the same name (as the reference).
            # Credential-bearing ones (a database's connection strings) come from its secret with `valueFrom`.
            injected = self._connections.environment
            connected = self._connections.secrets
            plain = [entry for entry in plain if entry["name"] not in injected and entry["name"] not in connected]
            plain += [{"name": key, "value": value} for key, value in injected.items()]
            environments[container.name] = plain
            kept = [(key, ref) for key, ref in hidden if key not in injected and key not in connected]
            secrets[container.name] = [*kept, *connected.items()]
        return environments, secrets

    def _value_from(self, ref: Hidden) -> pulumi.Output[str]:
        if isinstance(ref, ConnectedSecret):
            return ref.arn.apply(lambda arn: ecs_plan.secret_value_from(arn, ref.key))
        if isinstance(ref, SecretRef):
            return self.context.secret_arn(ref.name).apply(lambda arn: ecs_plan.secret_value_from(arn, ref.key))
        return self.context.ssm_parameter_arn(ref.name)

    def _secret_resource_arns(self, secrets: dict[str, list[tuple[str, Hidden]]]
                              ) -> tuple[list[pulumi.Output[str]], list[pulumi.Output[str]]]:
        secret_names = sorted({ref.name for refs in secrets.values() for _, ref in refs if isinstance(ref, SecretRef)})
        for container in self.props.containers:
            cred = getattr(container.packaging.properties, "repositoryCredentialsSecretArn", None)
            if cred and cred not in secret_names:
                secret_names.append(cred)
        ssm_names = sorted({ref.name for refs in secrets.values() for _, ref in refs if isinstance(ref, SsmParamRef)})
        # connectTo's credentials and `$ResourceParam`s of one: each database's secret once.
        refs = [*self._connections.secrets.values(),
                *(ref for refs in secrets.values() for _, ref in refs if isinstance(ref, ConnectedSecret))]
        connected = list({id(ref.arn): ref.arn for ref in refs}.values())
        return ([*[self.context.secret_arn(n) for n in secret_names], *connected],
                [self.context.ssm_parameter_arn(n) for n in ssm_names])

    def _create_execution_secrets_policy(self, secrets: dict[str, list[tuple[str, Hidden]]]
                                         ) -> aws.iam.RolePolicy | None:
        """Let this workload's execution role read exactly its secrets and parameters."""
        secret_arns, ssm_arns = self._secret_resource_arns(secrets)
        statements = []
        if secret_arns:
            statements.append(iam.statement(["secretsmanager:GetSecretValue"], secret_arns))
        if ssm_arns:
            statements.append(iam.statement(["ssm:GetParameters"], ssm_arns))
        if not statements:
            return None
        role = self.execution_role
        return iam.inline_policy(f"{self.resource_name}-execution-secrets", role, f"{self.resource_name}-secrets",
                                 statements, self.child_opts())

    def _container_definition(self, container: Any, environment: list[Any],
                              secrets: list[tuple[str, Hidden]]) -> dict[str, Any]:
        packaging = container.packaging
        target = ImageTarget(self.props.resources.architecture, self)
        image = image_uri(self.context, self.resource_name, container, target)
        definition: dict[str, Any] = {
            "name": container.name,
            "image": image,
            "essential": container.essential if container.essential is not None else True,
            "environment": environment,
            "portMappings": ecs_plan.port_mappings(list(container.events or []), fargate=self._fargate),
            "stopTimeout": container.stopTimeout if container.stopTimeout is not None else DEFAULT_STOP_TIMEOUT,
        }
        if packaging.type in NON_ROOT_PACKAGING_TYPES:
            controls = ecs_plan.low_port_controls([m["containerPort"] for m in definition["portMappings"]])
            if controls:
                definition["systemControls"] = controls
        if secrets:
            definition["secrets"] = [{"name": n, "valueFrom": self._value_from(ref)} for n, ref in secrets]
        for field in ("command", "entryPoint"):
            value = getattr(packaging.properties, field, None)
            if value:
                definition[field] = list(value)
        cred = getattr(packaging.properties, "repositoryCredentialsSecretArn", None)
        if cred:
            definition["repositoryCredentials"] = {"credentialsParameter": self.context.secret_arn(cred)}
        if container.dependsOn:
            definition["dependsOn"] = [{"containerName": d.containerName, "condition": d.condition}
                                       for d in container.dependsOn]
        check = ecs_plan.health_check(container.internalHealthCheck)
        if check:
            definition["healthCheck"] = check
        if container.name in self._volumes.mount_points:
            definition["mountPoints"] = self._volumes.mount_points[container.name]
        group = self.log_groups.get(container.name)
        if group is not None:
            definition["logConfiguration"] = {
                "logDriver": "awslogs",
                "options": {"awslogs-region": self.context.region, "awslogs-group": group.name,
                            "awslogs-stream-prefix": ecs_plan.CONTAINER_LOG_PREFIX},
            }
        return definition

    def _create_task_definition(self, environments: dict[str, list[Any]],
                                secrets: dict[str, list[tuple[str, Hidden]]]
                                ) -> aws.ecs.TaskDefinition:
        definitions = [self._container_definition(c, environments[c.name], secrets[c.name])
                       for c in self.props.containers]
        placement = self._task_placement()
        if self._ec2 is not None:
            reserve_gpus(definitions, self._ec2.gpus)
        return aws.ecs.TaskDefinition(
            f"{self.resource_name}-task-definition",
            family=self.context.name("task-family", self.resource_name, "task-definition"),
            network_mode=placement.network_mode,
            requires_compatibilities=[placement.compatibility],
            cpu=placement.cpu,
            memory=placement.memory,
            execution_role_arn=self.execution_role.arn,
            task_role_arn=self.task_role.arn,
            runtime_platform=aws.ecs.TaskDefinitionRuntimePlatformArgs(
                operating_system_family="LINUX", cpu_architecture=placement.cpu_architecture),
            container_definitions=json_output(definitions, separators=(",", ":")),
            volumes=self._volumes.volumes or None,
            tags=self.tags, opts=self.child_opts())

    def _task_placement(self) -> TaskPlacement:
        """Fargate: awsvpc, cpu and memory as configured; EC2: bridge, memory from the instance types, cpu if set."""
        if self._ec2 is not None:
            return TaskPlacement("bridge", "EC2", self._ec2.cpu, self._ec2.memory, self._ec2.cpu_architecture)
        resources = self.props.resources
        return TaskPlacement("awsvpc", "FARGATE", ecs_plan.task_cpu(float(resources.cpu or 0)),
                             str(int(resources.memory or 0)),
                             "ARM64" if resources.architecture == "arm64" else "X86_64")

    def _wire_events(self) -> ServiceWiring:
        wiring = ServiceWiring(gradual=self.props.deployment is not None)
        for container in self.props.containers:
            for event in container.events or []:
                # Every event type of the models is built today; should the models accept one this version does
                # not build, `validate` refuses it from YAML (checks.support): this is the same refusal for
                # Python and provider args.
                handler = EVENT_HANDLERS.get(event.type)
                if handler is None:
                    raise StacktapeError(
                        f"MultiContainerWorkload '{self.resource_name}': container '{container.name}': "
                        f"event type '{event.type}' is not supported yet; supported: "
                        f"{', '.join(sorted(EVENT_HANDLERS))}")
                handler(EventSite(self, container, event, self._fargate), wiring)
        for workload_handler in WORKLOAD_HANDLERS:
            workload_handler(self, wiring)
        return wiring

    def _create_ingress(self, wiring: ServiceWiring) -> None:
        for rule in wiring.ingress:
            aws.vpc.SecurityGroupIngressRule(
                f"{self.resource_name}-ingress-{rule.key}", security_group_id=self.security_group.id,
                referenced_security_group_id=rule.source_security_group_id, ip_protocol="tcp",
                from_port=rule.from_port, to_port=rule.to_port, description=rule.description,
                tags=self.tags, opts=self.child_opts())

    def _create_service(self, wiring: ServiceWiring, private: bool,
                        exec_policy: aws.iam.RolePolicy | None) -> aws.ecs.Service:
        scaling = self.props.scaling
        min_instances = scaling.minInstances if scaling and scaling.minInstances else 1
        # EFS mounts: a task starting before its filesystem's mount targets exist cannot mount it.
        depends: list[pulumi.Resource] = [*self._network.ready, *wiring.depends_on, *self._task_role_policies,
                                          *self._volumes.depends_on]
        if exec_policy is not None:
            depends.append(exec_policy)
        placement: dict[str, Any] = {
            "launch_type": "FARGATE",
            "platform_version": "LATEST",
            "network_configuration": aws.ecs.ServiceNetworkConfigurationArgs(
                assign_public_ip=not private,
                subnets=self._network.subnets(private),
                security_groups=[self.security_group.id, *wiring.security_groups]),
        }
        if self.capacity is not None:
            # EC2: the capacity provider places tasks, packed by memory; the SGs sit on the instances.
            depends.append(self.capacity.association)
            placement = {
                "capacity_provider_strategies": [aws.ecs.ServiceCapacityProviderStrategyArgs(
                    capacity_provider=self.capacity.capacity_provider.name, weight=1)],
                "ordered_placement_strategies": [aws.ecs.ServiceOrderedPlacementStrategyArgs(
                    type="binpack", field="memory")],
            }
        return aws.ecs.Service(
            f"{self.resource_name}-service",
            cluster=self._cluster_arn,
            task_definition=self.task_definition.arn,
            desired_count=min_instances,
            deployment_circuit_breaker=aws.ecs.ServiceDeploymentCircuitBreakerArgs(enable=True, rollback=True),
            deployment_maximum_percent=200,
            deployment_minimum_healthy_percent=100,
            enable_ecs_managed_tags=True,
            propagate_tags="SERVICE",
            enable_execute_command=bool(self.props.enableRemoteSessions),
            **placement,
            load_balancers=wiring.load_balancers or None,
            service_registries=wiring.service_registries[0] if wiring.service_registries else None,
            service_connect_configuration=wiring.service_connect,
            deployment_configuration=wiring.deployment,
            # `pulumi up` waits until the new tasks run and are healthy: a deployment the circuit breaker
            # rolls back fails the update instead of reporting success.
            wait_for_steady_state=True,
            tags=self.tags,
            # Autoscaling owns the desired count after creation.
            opts=self.child_opts(depends_on=depends, ignore_changes=["desiredCount", *wiring.ignore_changes]))

    def _create_scaling(self) -> None:
        scaling = self.props.scaling
        policy = scaling.scalingPolicy if scaling else None
        min_instances = scaling.minInstances if scaling and scaling.minInstances else 1
        max_instances = scaling.maxInstances if scaling and scaling.maxInstances else 1
        target = aws.appautoscaling.Target(
            f"{self.resource_name}-scaling-target", min_capacity=min_instances, max_capacity=max_instances,
            resource_id=pulumi.Output.concat("service/", self._cluster_name, "/", self.service.name),
            scalable_dimension="ecs:service:DesiredCount", service_namespace="ecs", tags=self.tags,
            opts=self.child_opts())
        cpu_target = (policy.keepAvgCpuUtilizationUnder if policy else None) or DEFAULT_SCALING_TARGET
        memory_target = (policy.keepAvgMemoryUtilizationUnder if policy else None) or DEFAULT_SCALING_TARGET
        metrics = (
            ("cpu", "ECSServiceAverageCPUUtilization", cpu_target),
            ("memory", "ECSServiceAverageMemoryUtilization", memory_target),
        )
        for key, metric, value in metrics:
            aws.appautoscaling.Policy(
                f"{self.resource_name}-scaling-{key}",
                name=self.context.name("scaling-policy", self.resource_name, metric),
                policy_type="TargetTrackingScaling",
                resource_id=target.resource_id, scalable_dimension=target.scalable_dimension,
                service_namespace=target.service_namespace,
                target_tracking_scaling_policy_configuration=TrackingArgs(
                    target_value=float(value),
                    predefined_metric_specification=MetricArgs(predefined_metric_type=metric)),
                opts=self.child_opts())
