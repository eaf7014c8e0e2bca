"""MultiContainerWorkload on Fargate: exact inputs of every child, through the offline engine."""

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import botocore.session
import pytest
from botocore.validate import ParamValidator

from stacktape_pulumi import MultiContainerWorkload
from stacktape_pulumi.args import Container, MultiContainerWorkloadArgs
from stacktape_pulumi.components.base import ArgsError
from stacktape_pulumi.engine import Recording, run_offline
from stacktape_pulumi.engine.canned import DEFAULT_VPC_ID, CannedWorld
from stacktape_pulumi.engine.preview import preview_config
from stacktape_pulumi.load import load_config

ACCOUNT = "123456789012"
STACK_TAGS = {"stp:project-name": "stacktape", "stp:stack-name": "stacktape-dev", "stp:stage": "dev"}
WORKLOAD_URN = "urn:pulumi:dev::stacktape::stacktape:index:MultiContainerWorkload"
Preview = Callable[[str], Recording]

SINGLE = """
resources:
  api:
    type: multi-container-workload
    properties:
      resources: {cpu: 1, memory: 2048}
      scaling:
        minInstances: 2
        maxInstances: 5
        scalingPolicy: {keepAvgCpuUtilizationUnder: 60, keepAvgMemoryUtilizationUnder: 75}
      containers:
        - name: web
          packaging:
            type: prebuilt-image
            properties: {image: 'nginx:1.27', command: ['nginx', '-g', 'daemon off;']}
          environment:
            - {name: PORT, value: 8080}
            - {name: DEBUG, value: false}
            - {name: RATIO, value: 1.5}
          events:
            - type: workload-internal
              properties: {containerPort: 8080}
"""


def containers(rec: Recording, workload: str = "api") -> list[dict[str, Any]]:
    task = rec.one("aws:ecs/taskDefinition:TaskDefinition", f"{workload}-task-definition")
    defs: list[dict[str, Any]] = json.loads(task.inputs["containerDefinitions"])
    return defs


def test_single_container_children(preview: Preview) -> None:
    rec = preview(SINGLE)
    assert rec.one("aws:ecs/cluster:Cluster", "api-cluster").inputs == {
        "name": "stacktape-dev-api-cluster", "tags": STACK_TAGS}
    vpc_id = rec.one("aws:ec2/vpc:Vpc").urn
    sg = rec.one("aws:ec2/securityGroup:SecurityGroup", "api-sg")
    assert sg.inputs == {
        "description": "Security group associated with api in stack stacktape-dev",
        "vpcId": sg.inputs["vpcId"],
        "egress": [{"protocol": "-1", "fromPort": 0, "toPort": 0, "cidrBlocks": ["0.0.0.0/0"],
                    "description": "all outbound"}],
        "tags": STACK_TAGS,
    }
    assert sg.inputs["vpcId"].startswith("vpc-")
    assert vpc_id in sg.dependencies
    assert "ingress" not in sg.inputs
    assert rec.by_type("aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule") == []
    role = rec.one("aws:iam/role:Role", "api-task-role")
    assert role.inputs == {
        "name": "stacktape-dev-api-us-east-1",
        "assumeRolePolicy": json.dumps({"Version": "2012-10-17", "Statement": [{
            "Effect": "Allow", "Principal": {"Service": "ecs-tasks.amazonaws.com"}, "Action": "sts:AssumeRole"}]}),
        "tags": STACK_TAGS,
    }
    assert rec.one("aws:cloudwatch/logGroup:LogGroup", "api-web-logs").inputs == {
        "name": "/stp/stacktape-dev/ecs/api/web/process-logs", "retentionInDays": 90,
        "tags": STACK_TAGS}
    task = rec.one("aws:ecs/taskDefinition:TaskDefinition", "api-task-definition")
    assert {k: v for k, v in task.inputs.items() if k != "containerDefinitions"} == {
        "family": "stacktape-dev-api-task-definition",
        "networkMode": "awsvpc",
        "requiresCompatibilities": ["FARGATE"],
        "cpu": "1024",
        "memory": "2048",
        "executionRoleArn": f"arn:aws:iam::{ACCOUNT}:role/stacktape-dev-api-exec-us-east-1",
        "taskRoleArn": f"arn:aws:iam::{ACCOUNT}:role/stacktape-dev-api-us-east-1",
        "runtimePlatform": {"operatingSystemFamily": "LINUX", "cpuArchitecture": "X86_64"},
        "tags": STACK_TAGS,
    }
    assert containers(rec) == [{
        "name": "web",
        "image": "nginx:1.27",
        "essential": True,
        "environment": [{"name": "PORT", "value": "8080"}, {"name": "DEBUG", "value": "false"},
                        {"name": "RATIO", "value": "1.5"}],
        "portMappings": [{"containerPort": 8080, "hostPort": 8080, "protocol": "tcp", "name": "port-8080"}],
        "stopTimeout": 2,
        "command": ["nginx", "-g", "daemon off;"],
        "logConfiguration": {"logDriver": "awslogs", "options": {
            "awslogs-region": "us-east-1", "awslogs-group": "/stp/stacktape-dev/ecs/api/web/process-logs",
            "awslogs-stream-prefix": "ecs"}},
    }]
    service = rec.one("aws:ecs/service:Service", "api-service")
    subnets = [rec.one("aws:ec2/subnet:Subnet", f"stacktape-dev-network-public-subnet-{i}") for i in range(3)]
    assert [s.inputs["cidrBlock"] for s in subnets] == ["172.16.0.0/20", "172.16.16.0/20", "172.16.32.0/20"]
    subnet_ids = [ids for ids in service.inputs["networkConfiguration"]["subnets"]]
    assert all(i.startswith("subnet-") for i in subnet_ids)
    assert {s.urn for s in subnets} <= set(service.dependencies)
    assert service.inputs == {
        "cluster": f"arn:aws:ecs:us-east-1:{ACCOUNT}:cluster/stacktape-dev-api-cluster",
        "taskDefinition": f"arn:aws:ecs:us-east-1:{ACCOUNT}:task-definition/stacktape-dev-api-task-definition:1",
        "desiredCount": 2,
        "launchType": "FARGATE",
        "platformVersion": "LATEST",
        "deploymentCircuitBreaker": {"enable": True, "rollback": True},
        "deploymentMaximumPercent": 200,
        "deploymentMinimumHealthyPercent": 100,
        "enableEcsManagedTags": True,
        "propagateTags": "SERVICE",
        "enableExecuteCommand": False,
        "waitForSteadyState": True,
        "networkConfiguration": {"assignPublicIp": True, "securityGroups": [_sg_id(rec)],
                                 "subnets": [subnet_ids[0], subnet_ids[1], subnet_ids[2]]},
        "tags": STACK_TAGS,
    }
    assert sg.urn in service.dependencies
    route_urns = {r.urn for r in rec.by_type("aws:ec2/route:Route")}
    assert route_urns <= set(service.dependencies)
    target = rec.one("aws:appautoscaling/target:Target", "api-scaling-target")
    service_suffix = target.inputs["resourceId"].rsplit("-", 1)[1]
    assert len(service_suffix) == 7  # Pulumi's auto-name suffix of the service
    assert target.inputs == {
        "minCapacity": 2, "maxCapacity": 5,
        "resourceId": f"service/stacktape-dev-api-cluster/{service.name}-{service_suffix}",
        "scalableDimension": "ecs:service:DesiredCount", "serviceNamespace": "ecs", "tags": STACK_TAGS}
    policies = {p.name: p.inputs for p in rec.by_type("aws:appautoscaling/policy:Policy")}
    assert policies == {
        "api-scaling-cpu": _policy("ECSServiceAverageCPUUtilization", 60, target.inputs["resourceId"]),
        "api-scaling-memory": _policy("ECSServiceAverageMemoryUtilization", 75, target.inputs["resourceId"]),
    }
    # No roleArn: Application Auto Scaling uses its service-linked role.
    assert "roleArn" not in target.inputs


def _sg_id(rec: Recording) -> str:
    sg_ids: list[str] = rec.one("aws:ecs/service:Service").inputs["networkConfiguration"]["securityGroups"]
    assert len(sg_ids) == 1
    assert sg_ids[0].startswith("sg-")
    return sg_ids[0]


def _policy(metric: str, target: int, resource_id: str) -> dict[str, Any]:
    return {
        "name": f"stacktape-dev-api-{metric}",
        "policyType": "TargetTrackingScaling",
        "resourceId": resource_id,
        "scalableDimension": "ecs:service:DesiredCount",
        "serviceNamespace": "ecs",
        "targetTrackingScalingPolicyConfiguration": {
            "targetValue": target,
            "predefinedMetricSpecification": {"predefinedMetricType": metric},
        },
    }


SIDECAR = """
resources:
  app:
    type: multi-container-workload
    properties:
      resources: {cpu: 0.25, memory: 512}
      containers:
        - name: app
          packaging: {type: prebuilt-image, properties: {image: 'example/app:1'}}
          dependsOn:
            - {containerName: db, condition: HEALTHY}
            - {containerName: migrate, condition: SUCCESS}
          stopTimeout: 120
        - name: db
          essential: false
          packaging: {type: prebuilt-image, properties: {image: 'redis:7', entryPoint: ['redis-server']}}
          logging: {disabled: true}
          internalHealthCheck:
            healthCheckCommand: ['CMD', 'redis-cli', 'ping']
            intervalSeconds: 5
            timeoutSeconds: 2
            retries: 10
            startPeriodSeconds: 0
          events:
            - {type: workload-internal, properties: {containerPort: 6379}}
        - name: migrate
          essential: false
          packaging: {type: prebuilt-image, properties: {image: 'example/migrate:1'}}
          logging: {retentionDays: 7}
"""


def test_sidecars_depends_on_non_essential_disabled_logging_health_check(preview: Preview) -> None:
    rec = preview(SIDECAR)
    app, db, migrate = containers(rec, "app")
    assert app["dependsOn"] == [{"containerName": "db", "condition": "HEALTHY"},
                                {"containerName": "migrate", "condition": "SUCCESS"}]
    assert app["stopTimeout"] == 120
    assert app["essential"] is True
    assert app["portMappings"] == []
    assert db == {
        "name": "db", "image": "redis:7", "essential": False, "environment": [],
        "portMappings": [{"containerPort": 6379, "hostPort": 6379, "protocol": "tcp", "name": "port-6379"}],
        "stopTimeout": 2, "entryPoint": ["redis-server"],
        "healthCheck": {"command": ["CMD", "redis-cli", "ping"], "interval": 5, "timeout": 2, "retries": 10,
                        "startPeriod": 0},
    }
    assert "logConfiguration" not in db
    assert migrate["logConfiguration"]["options"]["awslogs-group"] == "/stp/stacktape-dev/ecs/app/migrate/process-logs"
    groups = {g.name: g.inputs["retentionInDays"] for g in rec.by_type("aws:cloudwatch/logGroup:LogGroup")}
    assert groups == {"app-app-logs": 90, "app-migrate-logs": 7}
    task = rec.one("aws:ecs/taskDefinition:TaskDefinition")
    assert (task.inputs["cpu"], task.inputs["memory"]) == ("256", "512")


SECRETS = """
resources:
  api:
    type: multi-container-workload
    properties:
      resources: {cpu: 0.5, memory: 1024}
      containers:
        - name: web
          packaging:
            type: prebuilt-image
            properties:
              image: 'registry.example.com/web:2'
              repositoryCredentialsSecretArn: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:registry-AbCdEf'
          environment:
            - {name: DB_PASSWORD, value: "$Secret('db-credentials.password')"}
            - {name: API_TOKEN, value: "$Secret('api-token')"}
            - {name: LICENSE, value: "$SsmParam('/app/license')"}
            - {name: PLAIN, value: visible}
        - name: worker
          packaging: {type: prebuilt-image, properties: {image: 'registry.example.com/worker:2'}}
          environment:
            - {name: DB_USER, value: "$Secret('db-credentials.username')"}
"""


def test_secrets_use_value_from_and_an_exactly_scoped_execution_policy(preview: Preview) -> None:
    rec = preview(SECRETS)
    web, worker = containers(rec)
    db_arn = f"arn:aws:secretsmanager:us-east-1:{ACCOUNT}:secret:db-credentials-9464be"
    token_arn = f"arn:aws:secretsmanager:us-east-1:{ACCOUNT}:secret:api-token-" + web["secrets"][1]["valueFrom"][-6:]
    assert web["environment"] == [{"name": "PLAIN", "value": "visible"}]
    assert web["secrets"] == [
        {"name": "DB_PASSWORD", "valueFrom": f"{db_arn}:password::"},
        {"name": "API_TOKEN", "valueFrom": token_arn},
        {"name": "LICENSE", "valueFrom": f"arn:aws:ssm:us-east-1:{ACCOUNT}:parameter/app/license"},
    ]
    assert web["repositoryCredentials"] == {
        "credentialsParameter": "arn:aws:secretsmanager:us-east-1:123456789012:secret:registry-AbCdEf"}
    assert worker["environment"] == []
    assert worker["secrets"] == [{"name": "DB_USER",
                                                                    "valueFrom": f"{db_arn}:username::"}]
    policy = rec.one("aws:iam/rolePolicy:RolePolicy", "api-execution-secrets")
    # The workload's own execution role: another workload's tasks cannot read these secrets.
    assert policy.inputs["role"] == "stacktape-dev-api-exec-us-east-1"
    assert json.loads(policy.inputs["policy"]) == {"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Action": ["secretsmanager:GetSecretValue"],
         "Resource": [token_arn, db_arn, "arn:aws:secretsmanager:us-east-1:123456789012:secret:registry-AbCdEf"]},
        {"Effect": "Allow", "Action": ["ssm:GetParameters"],
         "Resource": [f"arn:aws:ssm:us-east-1:{ACCOUNT}:parameter/app/license"]},
    ]}
    assert policy.urn in rec.one("aws:ecs/service:Service").dependencies
    assert "offline-secret" not in rec.dumps()


def test_workload_without_secrets_adds_no_execution_policy(preview: Preview) -> None:
    rec = preview(SINGLE)
    assert rec.by_type("aws:iam/rolePolicy:RolePolicy") == []
    attachment = rec.one("aws:iam/rolePolicyAttachment:RolePolicyAttachment")
    assert attachment.inputs == {
        "role": "stacktape-dev-api-exec-us-east-1",
        "policyArn": "arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy"}


def test_the_service_waits_for_every_policy_of_its_roles(preview: Preview) -> None:
    text = SINGLE.replace("      containers:", "      enableRemoteSessions: true\n"
                          "      iamRoleStatements: [{Action: ['s3:GetObject'], Resource: ['arn:aws:s3:::b/*']}]\n"
                          "      containers:", 1)
    rec = preview(text)
    service = rec.one("aws:ecs/service:Service")
    policies = rec.by_type("aws:iam/rolePolicy:RolePolicy")
    assert sorted(p.name for p in policies) == ["api-custom-iam-role-statements", "api-ssm-messages"]
    assert {p.urn for p in policies} <= set(service.dependencies)


def test_each_workload_reads_only_its_own_secrets(preview: Preview) -> None:
    def one(name: str, secret: str) -> str:
        return f"""
  {name}:
    type: multi-container-workload
    properties:
      resources: {{cpu: 0.25, memory: 512}}
      containers:
        - name: app
          packaging: {{type: prebuilt-image, properties: {{image: nginx}}}}
          environment: [{{name: SECRET, value: "$Secret('{secret}')"}}]
"""

    rec = preview("resources:" + one("billing", "billing-key") + one("search", "search-key"))
    for workload, secret, other in (("billing", "billing-key", "search-key"), ("search", "search-key", "billing-key")):
        task = rec.one("aws:ecs/taskDefinition:TaskDefinition", f"{workload}-task-definition")
        assert task.inputs["executionRoleArn"] == f"arn:aws:iam::{ACCOUNT}:role/stacktape-dev-{workload}-exec-us-east-1"
        policy = rec.one("aws:iam/rolePolicy:RolePolicy", f"{workload}-execution-secrets")
        assert policy.inputs["role"] == f"stacktape-dev-{workload}-exec-us-east-1"
        resources = json.loads(policy.inputs["policy"])["Statement"][0]["Resource"]
        assert len(resources) == 1
        assert f":secret:{secret}-" in resources[0]
        assert other not in policy.inputs["policy"]


def test_arm64_runtime_platform(preview: Preview) -> None:
    rec = preview(SINGLE.replace("{cpu: 1, memory: 2048}", "{cpu: 1, memory: 2048, architecture: arm64}"))
    task = rec.one("aws:ecs/taskDefinition:TaskDefinition")
    assert task.inputs["runtimePlatform"] == {"operatingSystemFamily": "LINUX", "cpuArchitecture": "ARM64"}


def test_private_subnets_with_nat(preview: Preview) -> None:
    text = SINGLE.replace("      scaling:", "      usePrivateSubnetsWithNAT: true\n      scaling:")
    rec = preview("stackConfig:\n  vpc:\n    nat: {availabilityZones: 3}\n" + text)
    private = [rec.one("aws:ec2/subnet:Subnet", f"stacktape-dev-network-private-subnet-{i}") for i in range(3)]
    assert [s.inputs["cidrBlock"] for s in private] == ["172.16.48.0/20", "172.16.64.0/20", "172.16.80.0/20"]
    assert all(s.inputs["mapPublicIpOnLaunch"] is False for s in private)
    nats = rec.by_type("aws:ec2/natGateway:NatGateway")
    assert sorted(n.name for n in nats) == [f"stacktape-dev-network-nat-{i}" for i in range(3)]
    routes = {r.name: r.inputs for r in rec.by_type("aws:ec2/route:Route") if "private" in r.name}
    nat_ids = [rec.one("aws:ec2/natGateway:NatGateway", f"stacktape-dev-network-nat-{i}") for i in range(3)]
    assert len(routes) == 3
    assert all(r["destinationCidrBlock"] == "0.0.0.0/0" for r in routes.values())
    assert {n.urn for n in nat_ids} <= {d for r in rec.by_type("aws:ec2/route:Route") for d in r.dependencies}
    service = rec.one("aws:ecs/service:Service")
    assert service.inputs["networkConfiguration"]["assignPublicIp"] is False
    private_ids = service.inputs["networkConfiguration"]["subnets"]
    assert {s.urn for s in private} <= set(service.dependencies)
    assert len(private_ids) == 3


def test_default_nat_count_is_two(preview: Preview) -> None:
    rec = preview(SINGLE.replace("      scaling:", "      usePrivateSubnetsWithNAT: true\n      scaling:"))
    assert len(rec.by_type("aws:ec2/natGateway:NatGateway")) == 2
    assert len(rec.by_type("aws:ec2/eip:Eip")) == 2


def test_public_only_stack_has_no_nat(preview: Preview) -> None:
    rec = preview(SINGLE)
    assert rec.by_type("aws:ec2/natGateway:NatGateway") == []
    assert len(rec.by_type("aws:ec2/subnet:Subnet")) == 3


def test_reuse_vpc_looks_up_subnets_and_creates_no_network(preview: Preview) -> None:
    rec = preview("stackConfig:\n  vpc:\n    reuseVpc: {vpcId: vpc-0abc}\n" + SINGLE)
    assert rec.by_type("aws:ec2/vpc:Vpc") == []
    assert rec.by_type("aws:ec2/subnet:Subnet") == []
    sg = rec.one("aws:ec2/securityGroup:SecurityGroup", "api-sg")
    assert sg.inputs["vpcId"] == "vpc-0abc"
    subnets = rec.one("aws:ecs/service:Service").inputs["networkConfiguration"]["subnets"]
    assert len(subnets) == 3
    assert all(s.startswith("subnet-") for s in subnets)
    assert len(set(subnets)) == 3


class _InvokeLog(CannedWorld):
    """The canned world, keeping every invoke's token and arguments."""

    def __init__(self) -> None:
        super().__init__()
        self.calls: list[tuple[str, dict[str, Any]]] = []

    def invoke(self, token: str, args: dict[str, Any]) -> dict[str, Any]:
        self.calls.append((token, args))
        return super().invoke(token, args)


def test_reuse_vpc_of_another_stack_finds_it_by_its_name_tag(write_config: Callable[[str], Path],
                                                             preview: Preview) -> None:
    world = _InvokeLog()
    rec = preview_config(load_config(write_config(
        "stackConfig:\n  vpc:\n    reuseVpc: {projectName: shop, stage: prod}\n" + SINGLE)), world=world)
    assert rec.by_type("aws:ec2/vpc:Vpc") == []
    assert rec.by_type("aws:ec2/subnet:Subnet") == []
    assert [args for token, args in world.calls if token == "aws:ec2/getVpc:getVpc"] == [
        {"filters": [{"name": "tag:Name", "values": ["shop-prod-network"]}]}]
    # The VPC the lookup found (the canned world's) is the one the workload joins.
    assert rec.one("aws:ec2/securityGroup:SecurityGroup", "api-sg").inputs["vpcId"] == DEFAULT_VPC_ID
    # This tool names its own stack network (and tags its VPC) the way the lookup expects.
    own = preview(SINGLE)
    assert own.one("aws:ec2/vpc:Vpc").inputs["tags"]["Name"] == "stacktape-dev-network"


def test_private_subnets_come_with_the_first_workload_that_asks() -> None:
    # Python (and provider) callers build one component at a time: a workload in private subnets after a
    # public one gets them then, with their NAT gateways, and waits for their routes.
    # The spelling Python hands write; the args field keeps the YAML's (`usePrivateSubnetsWithNAT`).
    private: MultiContainerWorkloadArgs = {**PYTHON_ARGS, "use_private_subnets_with_nat": True}  # type: ignore[typeddict-unknown-key]

    def program() -> None:
        MultiContainerWorkload("front", PYTHON_ARGS)
        MultiContainerWorkload("worker", private)

    rec = run_offline(program)
    assert len(rec.by_type("aws:ec2/natGateway:NatGateway")) == 2
    private_subnets = {s.urn for s in rec.by_type("aws:ec2/subnet:Subnet") if "-private-subnet-" in s.name}
    public_subnets = {s.urn for s in rec.by_type("aws:ec2/subnet:Subnet") if "-public-subnet-" in s.name}
    worker = rec.one("aws:ecs/service:Service", "worker-service")
    assert len(private_subnets) == 3
    assert set(worker.property_dependencies["networkConfiguration"]) & (private_subnets | public_subnets) == \
        private_subnets
    routes = {r.urn for r in rec.by_type("aws:ec2/route:Route") if "-private-route-" in r.name}
    assert len(routes) == 3
    assert routes <= set(worker.dependencies)
    front = rec.one("aws:ecs/service:Service", "front-service")
    assert not routes & set(front.dependencies)


def test_remote_sessions_and_iam_role_statements(preview: Preview) -> None:
    text = SINGLE.replace("      scaling:", """      enableRemoteSessions: true
      iamRoleStatements:
        - Sid: ReadBucket
          Action: ['s3:GetObject']
          Resource: ['arn:aws:s3:::assets/*']
          Condition: {StringEquals: {'aws:RequestedRegion': eu-west-1}}
        - Effect: Deny
          Action: ['s3:DeleteObject']
          Resource: ['arn:aws:s3:::assets/*']
      scaling:""")
    rec = preview(text)
    assert rec.one("aws:ecs/service:Service").inputs["enableExecuteCommand"] is True
    policies = {p.name: p.inputs for p in rec.by_type("aws:iam/rolePolicy:RolePolicy")}
    assert policies["api-ssm-messages"]["role"] == "stacktape-dev-api-us-east-1"
    assert json.loads(policies["api-ssm-messages"]["policy"])["Statement"] == [{
        "Effect": "Allow", "Resource": ["*"],
        "Action": ["ssmmessages:CreateControlChannel", "ssmmessages:CreateDataChannel",
                   "ssmmessages:OpenControlChannel", "ssmmessages:OpenDataChannel"]}]
    assert json.loads(policies["api-custom-iam-role-statements"]["policy"]) == {"Version": "2012-10-17", "Statement": [
        {"Sid": "ReadBucket", "Effect": "Allow", "Action": ["s3:GetObject"], "Resource": ["arn:aws:s3:::assets/*"],
         "Condition": {"StringEquals": {"aws:RequestedRegion": "eu-west-1"}}},
        {"Effect": "Deny", "Action": ["s3:DeleteObject"], "Resource": ["arn:aws:s3:::assets/*"]},
    ]}


# Plain values where the generated args have enums (`type: ignore[typeddict-item]`): the README promises
# both work, and test_args_generated shows they build the same children.
PYTHON_ARGS: MultiContainerWorkloadArgs = {
    "resources": {"cpu": 1, "memory": 2048},
    "scaling": {"min_instances": 2, "max_instances": 5,
                "scaling_policy": {"keep_avg_cpu_utilization_under": 60, "keep_avg_memory_utilization_under": 75}},
    "containers": [{
        "name": "web",
        "packaging": {"type": "prebuilt-image",
                      "properties": {"image": "nginx:1.27", "command": ["nginx", "-g", "daemon off;"]}},
        "environment": [{"name": "PORT", "value": 8080}, {"name": "DEBUG", "value": False},
                        {"name": "RATIO", "value": 1.5}],
        "events": [{"type": "workload-internal", "properties": {"container_port": 8080}}],
    }],
}


def _comparable(rec: Recording) -> list[tuple[str, str, Any]]:
    return [(r.type, r.name, r.inputs) for r in sorted(rec.resources, key=lambda r: r.urn)
            if r.type != "pulumi:pulumi:Stack"]


def test_python_args_build_the_same_children_as_yaml(preview: Preview) -> None:
    from_yaml = preview(SINGLE)
    from_python = run_offline(lambda: MultiContainerWorkload("api", PYTHON_ARGS))  # type: ignore[arg-type]
    assert _comparable(from_python) == _comparable(from_yaml)


def test_python_args_errors_name_every_bad_field() -> None:
    bad: MultiContainerWorkloadArgs = {**PYTHON_ARGS, "resources": {"cpu": 3, "memory": 2048},
                                       "scaling": {"min_instances": 0}}
    with pytest.raises(ArgsError) as err:
        run_offline(lambda: MultiContainerWorkload("api", bad))  # type: ignore[arg-type]
    assert str(err.value).splitlines() == [
        "MultiContainerWorkload 'api': resources.cpu: invalid value 3; allowed values: 0.25, 0.5, 1, 2, 4, 8 or 16",
        "MultiContainerWorkload 'api': scaling.minInstances: 0 is out of range: input should be greater than "
        "or equal to 1",
    ]


def test_python_outputs_are_accepted_as_environment_values() -> None:
    import pulumi

    def program() -> None:
        container: Container = {**PYTHON_ARGS["containers"][0],
                                "environment": [{"name": "FROM_OUTPUT", "value": pulumi.Output.from_input("computed")}]}
        MultiContainerWorkload("api", {**PYTHON_ARGS, "containers": [container]})

    rec = run_offline(program)
    assert containers(rec)[0]["environment"] == [{"name": "FROM_OUTPUT", "value": "computed"}]


ECS_MODEL = botocore.session.get_session().get_service_model("ecs")


@pytest.mark.parametrize("config", [SINGLE, SIDECAR, SECRETS], ids=["single", "sidecar", "secrets"])
def test_task_definitions_pass_botocore_register_task_definition_validation(preview: Preview, config: str) -> None:
    rec = preview(config)
    for task in rec.by_type("aws:ecs/taskDefinition:TaskDefinition"):
        request = {
            "family": task.inputs["family"],
            "containerDefinitions": json.loads(task.inputs["containerDefinitions"]),
            "cpu": task.inputs["cpu"], "memory": task.inputs["memory"],
            "networkMode": task.inputs["networkMode"],
            "requiresCompatibilities": task.inputs["requiresCompatibilities"],
            "runtimePlatform": task.inputs["runtimePlatform"],
            "executionRoleArn": task.inputs["executionRoleArn"], "taskRoleArn": task.inputs["taskRoleArn"],
        }
        report = ParamValidator().validate(request, ECS_MODEL.operation_model("RegisterTaskDefinition").input_shape)
        assert not report.has_errors(), report.generate_report()


# ---- cluster options (Python door only: the reference has no keys for them) ----------------

def test_workloads_share_a_cluster_passed_from_python() -> None:
    def program() -> None:
        front = MultiContainerWorkload("front", PYTHON_ARGS)
        MultiContainerWorkload("worker", PYTHON_ARGS, cluster=front.cluster)

    rec = run_offline(program)
    (cluster,) = rec.by_type("aws:ecs/cluster:Cluster")
    arn = f"arn:aws:ecs:us-east-1:{ACCOUNT}:cluster/stacktape-dev-front-cluster"
    assert cluster.name == "front-cluster"
    for workload in ("front", "worker"):
        assert rec.one("aws:ecs/service:Service", f"{workload}-service").inputs["cluster"] == arn
        target = rec.one("aws:appautoscaling/target:Target", f"{workload}-scaling-target")
        assert target.inputs["resourceId"].startswith(f"service/stacktape-dev-front-cluster/{workload}-service-")


def test_a_workload_runs_in_an_existing_cluster_given_by_arn() -> None:
    arn = f"arn:aws:ecs:us-east-1:{ACCOUNT}:cluster/platform"
    rec = run_offline(lambda: MultiContainerWorkload("api", PYTHON_ARGS, cluster=arn))  # type: ignore[arg-type]
    assert rec.by_type("aws:ecs/cluster:Cluster") == []
    assert rec.one("aws:ecs/service:Service").inputs["cluster"] == arn
    assert rec.one("aws:appautoscaling/target:Target").inputs["resourceId"].startswith("service/platform/api-service-")
    assert (rec.one("stacktape:index:MultiContainerWorkload").outputs or {})["clusterArn"] == arn


@pytest.mark.parametrize(("insights", "settings"), [
    (None, None),  # the account's default (ECS account setting `containerInsights`)
    ("enabled", [{"name": "containerInsights", "value": "enabled"}]),
    ("enhanced", [{"name": "containerInsights", "value": "enhanced"}]),
    ("disabled", [{"name": "containerInsights", "value": "disabled"}]),
])
def test_container_insights_on_the_workloads_own_cluster(insights: Any, settings: Any) -> None:
    rec = run_offline(lambda: MultiContainerWorkload("api", PYTHON_ARGS,  # type: ignore[arg-type]
                                                     container_insights=insights))
    expected = {"name": "stacktape-dev-api-cluster", "tags": STACK_TAGS}
    assert rec.one("aws:ecs/cluster:Cluster").inputs == ({**expected, "settings": settings} if settings else expected)


@pytest.mark.parametrize(("options", "message"), [
    ({"cluster": "arn:aws:ecs:us-east-1:123456789012:cluster/platform", "container_insights": "enabled"},
     "MultiContainerWorkload 'api': only one of `cluster` or `container_insights`: Container Insights is a setting "
     "of the cluster, so set it where that cluster is created"),
    ({"cluster": "arn:aws:ecs:us-east-1:123456789012:cluster/platform", "ec2": True},
     "MultiContainerWorkload 'api': `cluster` cannot be combined with `resources.instance_types`: the EC2 capacity "
     "provider replaces the capacity providers of its cluster, so an EC2 workload runs in a cluster of its own"),
])
def test_cluster_options_that_cannot_go_together(options: dict[str, Any], message: str) -> None:
    ec2 = options.pop("ec2", False)
    args: Any = {**PYTHON_ARGS, "resources": {"instance_types": ["t3.medium"]}} if ec2 else PYTHON_ARGS

    def program() -> None:
        MultiContainerWorkload("api", args, **options)

    with pytest.raises(ArgsError) as err:
        run_offline(program)
    assert str(err.value) == message
