"""Workloads on EC2 (`resources.instanceTypes`): sizing, launch template, group, capacity provider, refresh."""

import base64
import json
from collections.abc import Callable
from types import SimpleNamespace
from typing import Any

import pytest

from stacktape_pulumi.aws.instances import instance_types
from stacktape_pulumi.components.base import ArgsError
from stacktape_pulumi.components.ec2_capacity import ec2_sizing
from stacktape_pulumi.engine import Recording
from stacktape_pulumi.engine.canned import CannedWorld

TAGS = {"stp:project-name": "stacktape", "stp:stack-name": "stacktape-dev", "stp:stage": "dev"}


def ec2_config(resources: str, extra: str = "", events: str = "[{type: workload-internal, "
               "properties: {containerPort: 80}}]") -> str:
    return f"""
resources:{extra}
  api:
    type: multi-container-workload
    properties:
      resources: {resources}
      scaling: {{minInstances: 1, maxInstances: 3}}
      containers:
        - name: web
          packaging: {{type: prebuilt-image, properties: {{image: 'nginx:1.27'}}}}
          events: {events}
"""


def task(rec: Recording) -> dict[str, Any]:
    inputs: dict[str, Any] = rec.one("aws:ecs/taskDefinition:TaskDefinition").inputs
    return inputs


def test_one_type_without_cpu_or_memory(preview: Callable[[str], Recording]) -> None:
    rec = preview(ec2_config("{instanceTypes: [c5.large]}"))
    definition = task(rec)
    assert (definition["networkMode"], definition["requiresCompatibilities"], definition["memory"]) == (
        "bridge", ["EC2"], "3481")
    assert "cpu" not in definition  # no cpu: the instance's CPU is shared
    assert definition["runtimePlatform"] == {"operatingSystemFamily": "LINUX", "cpuArchitecture": "X86_64"}
    container = json.loads(definition["containerDefinitions"])[0]
    assert container["portMappings"] == [{"containerPort": 80, "hostPort": 0, "protocol": "tcp", "name": "port-80"}]
    template = rec.one("aws:ec2/launchTemplate:LaunchTemplate", "api-launch-template")
    assert "networkConfiguration" not in rec.one("aws:ecs/service:Service").inputs  # bridge: SGs on instances
    assert {k: v for k, v in template.inputs.items() if k not in ("userData", "iamInstanceProfile",
                                                                  "vpcSecurityGroupIds")} == {
        "name": "stacktape-dev-api-lt",
        "imageId": "resolve:ssm:/aws/service/ecs/optimized-ami/amazon-linux-2023/recommended/image_id",
        "instanceType": "c5.large",
        "metadataOptions": {"httpEndpoint": "enabled", "httpTokens": "required", "httpPutResponseHopLimit": 2},
        "blockDeviceMappings": [{"deviceName": "/dev/xvda", "ebs": {
            "encrypted": "true", "volumeType": "gp3", "volumeSize": 30, "deleteOnTermination": "true"}}],
        "tagSpecifications": [{"resourceType": kind, "tags": {**TAGS, "stp:workload": "api"}}
                              for kind in ("instance", "volume", "network-interface")],
        "tags": TAGS,
    }
    assert base64.b64decode(template.inputs["userData"]).decode() == (
        "#!/bin/bash\n"
        "echo ECS_CLUSTER=stacktape-dev-api-cluster >> /etc/ecs/ecs.config\n"
        "echo ECS_WARM_POOLS_CHECK=true >> /etc/ecs/ecs.config\n"
        "echo ECS_ENABLE_CONTAINER_METADATA=true >> /etc/ecs/ecs.config\n")
    assert template.inputs["iamInstanceProfile"] == {
        "arn": "arn:aws:iam::123456789012:instance-profile/stacktape-dev-ecs-instance-us-east-1"}
    (sg,) = template.inputs["vpcSecurityGroupIds"]
    workload_sg = rec.one("aws:ec2/securityGroup:SecurityGroup", "api-sg")
    assert sg.startswith("sg-")
    assert workload_sg.urn in template.dependencies
    group = rec.one("aws:autoscaling/group:Group", "api-asg").inputs
    assert {k: v for k, v in group.items() if k not in ("vpcZoneIdentifiers", "tags", "launchTemplate")} == {
        "name": "stacktape-dev-api-asg", "minSize": 0, "maxSize": 12, "protectFromScaleIn": True,
        "forceDelete": True, "instanceMaintenancePolicy": {"minHealthyPercentage": 100, "maxHealthyPercentage": 200},
    }
    assert group["launchTemplate"]["version"] == "1"
    assert group["launchTemplate"]["id"].startswith("lt-")
    assert {"key": "AmazonECSManaged", "value": "true", "propagateAtLaunch": False} in group["tags"]
    provider = rec.one("aws:ecs/capacityProvider:CapacityProvider").inputs
    assert provider["autoScalingGroupProvider"] == {
        "autoScalingGroupArn": provider["autoScalingGroupProvider"]["autoScalingGroupArn"],
        "managedTerminationProtection": "ENABLED", "managedDraining": "ENABLED",
        "managedScaling": {"status": "ENABLED", "targetCapacity": 100, "maximumScalingStepSize": 3}}
    assert rec.one("aws:ecs/clusterCapacityProviders:ClusterCapacityProviders").inputs == {
        "clusterName": "stacktape-dev-api-cluster", "capacityProviders": ["stacktape-dev-api-cp"],
        "defaultCapacityProviderStrategies": [{"capacityProvider": "stacktape-dev-api-cp", "weight": 1}]}
    service = rec.one("aws:ecs/service:Service")
    assert service.inputs["capacityProviderStrategies"] == [{"capacityProvider": "stacktape-dev-api-cp", "weight": 1}]
    assert service.inputs["orderedPlacementStrategies"] == [{"type": "binpack", "field": "memory"}]
    assert "launchType" not in service.inputs
    association = rec.one("aws:ecs/clusterCapacityProviders:ClusterCapacityProviders")
    assert association.urn in service.dependencies


def test_several_types_with_explicit_cpu_and_memory(preview: Callable[[str], Recording]) -> None:
    rec = preview(ec2_config("{instanceTypes: [m5.large, c5.xlarge], cpu: 1, memory: 6000}"))
    definition = task(rec)
    assert (definition["cpu"], definition["memory"]) == ("1024", "6000")
    template = rec.one("aws:ec2/launchTemplate:LaunchTemplate").inputs
    assert "instanceType" not in template
    group = rec.one("aws:autoscaling/group:Group").inputs
    assert "launchTemplate" not in group
    policy = group["mixedInstancesPolicy"]
    assert policy["instancesDistribution"] == {"onDemandAllocationStrategy": "prioritized"}
    assert policy["launchTemplate"]["overrides"] == [{"instanceType": "m5.large"}, {"instanceType": "c5.xlarge"}]


def test_graviton_uses_the_arm64_ami_and_platform(preview: Callable[[str], Recording]) -> None:
    rec = preview(ec2_config("{instanceTypes: [c7g.large]}"))
    assert task(rec)["runtimePlatform"]["cpuArchitecture"] == "ARM64"
    assert rec.one("aws:ec2/launchTemplate:LaunchTemplate").inputs["imageId"] == (
        "resolve:ssm:/aws/service/ecs/optimized-ami/amazon-linux-2023/arm64/recommended/image_id")


def test_memory_too_large_is_a_located_error(config_errors: Callable[[str], list[str]]) -> None:
    assert config_errors(ec2_config("{instanceTypes: [c5.large], memory: 4000}")) == [
        "stacktape.yml:5:54: resources.api.properties.resources.memory: Chosen instance c5.large does not have "
        "enough memory to run workload with 4000 MB of memory. Available memory for this instance is 3481 "
        "(accounting for OS and background processes). (hint: lower memory to at most 3481 or list a larger "
        "instance type)"]


def test_unknown_and_mixed_architecture_types_are_located_errors(config_errors: Callable[[str], list[str]]) -> None:
    assert config_errors(ec2_config("{instanceTypes: [c6g.large, c5.large, c5.lage]}")) == [
        "stacktape.yml:5:34: resources.api.properties.resources.instanceTypes: instanceTypes mixes arm64 "
        "(c6g.large) and x86_64 types: one launch template has one AMI, for one architecture (hint: list types of "
        "one architecture only (Graviton types have a 'g' after the generation, e.g. c6g))",
        "stacktape.yml:5:56: resources.api.properties.resources.instanceTypes[2]: 'c5.lage' is not in the bundled EC2 "
        "instance-type list (1108 types, AWS data of 2026-01-22) (hint: did you mean 'c5.large'?)",
    ]


def test_a_name_of_no_type_is_a_located_error(config_errors: Callable[[str], list[str]]) -> None:
    assert config_errors(ec2_config("{instanceTypes: [large]}")) == [
        "stacktape.yml:5:35: resources.api.properties.resources.instanceTypes[0]: 'large' is not in the bundled EC2 "
        "instance-type list (1108 types, AWS data of 2026-01-22) (hint: did you mean 't3.large'?)"]


def test_warm_pool(preview: Callable[[str], Recording]) -> None:
    rec = preview(ec2_config("{instanceTypes: [t3.medium], enableWarmPool: true}"))
    group = rec.one("aws:autoscaling/group:Group").inputs
    assert group["warmPool"] == {"minSize": 0, "maxGroupPreparedCapacity": 3, "poolState": "Stopped"}
    assert task(rec)["memory"] == "3481"


def test_weekly_refresh_schedule_and_its_exact_permission(preview: Callable[[str], Recording]) -> None:
    rec = preview(ec2_config("{instanceTypes: [c5.large]}"))
    group_arn = rec.one("aws:ecs/capacityProvider:CapacityProvider").inputs["autoScalingGroupProvider"][
        "autoScalingGroupArn"]
    schedule = rec.one("aws:scheduler/schedule:Schedule", "api-weekly-refresh").inputs
    assert schedule == {
        "name": "stacktape-dev-api-refresh", "scheduleExpression": "cron(0 3 ? * SUN *)",
        "scheduleExpressionTimezone": "UTC", "state": "ENABLED", "flexibleTimeWindow": {"mode": "OFF"},
        "target": {"arn": "arn:aws:scheduler:::aws-sdk:autoscaling:startInstanceRefresh",
                   "roleArn": "arn:aws:iam::123456789012:role/stacktape-dev-api-refresh-us-east-1",
                   "input": json.dumps({"AutoScalingGroupName": "stacktape-dev-api-asg", "Preferences": {
                       "MinHealthyPercentage": 100, "MaxHealthyPercentage": 200,
                       "ScaleInProtectedInstances": "Refresh", "SkipMatching": False}})}}
    policy = json.loads(rec.one("aws:iam/rolePolicy:RolePolicy", "api-refresh-policy").inputs["policy"])
    assert policy["Statement"] == [{"Effect": "Allow", "Action": ["autoscaling:StartInstanceRefresh"],
                                    "Resource": [group_arn]}]
    trust = json.loads(rec.one("aws:iam/role:Role", "api-refresh-role").inputs["assumeRolePolicy"])
    assert trust["Statement"][0]["Principal"] == {"Service": "scheduler.amazonaws.com"}


def test_destroy_without_manual_steps(preview: Callable[[str], Recording]) -> None:
    """The settings `pulumi destroy` relies on: force-deleted group, service deleted before the capacity."""
    rec = preview(ec2_config("{instanceTypes: [c5.large]}"))
    assert rec.one("aws:autoscaling/group:Group").inputs["forceDelete"] is True
    service = rec.one("aws:ecs/service:Service")
    association = rec.one("aws:ecs/clusterCapacityProviders:ClusterCapacityProviders")
    provider = rec.one("aws:ecs/capacityProvider:CapacityProvider")
    assert association.urn in service.dependencies
    assert provider.urn in association.dependencies


def test_ec2_behind_an_alb_uses_instance_targets_and_ephemeral_ports(preview: Callable[[str], Recording]) -> None:
    rec = preview(ec2_config(
        "{instanceTypes: [c5.large]}", extra="\n  lb:\n    type: application-load-balancer",
        events="[{type: application-load-balancer, properties: {loadBalancerName: lb, containerPort: 80, "
               "priority: 1, paths: ['/*']}}]"))
    group = rec.one("aws:lb/targetGroup:TargetGroup").inputs
    assert group["targetType"] == "instance"
    assert group["port"] == 80
    rules = rec.by_type("aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule")
    task_rules = [r.inputs for r in rules if r.parent and r.parent.endswith("MultiContainerWorkload::api")]
    assert [(r["fromPort"], r["toPort"], r["ipProtocol"]) for r in task_rules] == [(32768, 65535, "tcp")]
    assert "cidrIpv4" not in task_rules[0]
    assert task_rules[0]["referencedSecurityGroupId"].startswith("sg-")


def test_ec2_with_service_connect(preview: Callable[[str], Recording]) -> None:
    rec = preview(ec2_config("{instanceTypes: [c5.large]}",
                             events="[{type: service-connect, properties: {containerPort: 80}}]"))
    service = rec.one("aws:ecs/service:Service").inputs
    assert service["serviceConnectConfiguration"]["enabled"] is True
    template_sgs = rec.one("aws:ec2/launchTemplate:LaunchTemplate").inputs["vpcSecurityGroupIds"]
    assert len(template_sgs) == 2  # the workload's own group and the stack's service-connect clients group


GPU_AMI = "resolve:ssm:/aws/service/ecs/optimized-ami/amazon-linux-2023/gpu/recommended/image_id"
ARM_AMI = "resolve:ssm:/aws/service/ecs/optimized-ami/amazon-linux-2023/arm64/recommended/image_id"
X86_AMI = "resolve:ssm:/aws/service/ecs/optimized-ami/amazon-linux-2023/recommended/image_id"


@pytest.mark.parametrize(("types", "image", "memory", "architecture", "gpus"), [
    ("[g4dn.xlarge]", GPU_AMI, "13926", "X86_64", [{"type": "GPU", "value": "1"}]),
    ("[g6.12xlarge, g6.2xlarge]", GPU_AMI, "29491", "X86_64", [{"type": "GPU", "value": "1"}]),  # g6.2xlarge: 1
    ("[p5.48xlarge]", GPU_AMI, "1992294", "X86_64", [{"type": "GPU", "value": "8"}]),
    ("[x2gd.large]", ARM_AMI, "29491", "ARM64", None),
    ("[m7i-flex.large]", X86_AMI, "6963", "X86_64", None),
])
def test_instance_types_decide_ami_memory_architecture_and_gpus(
        preview: Callable[[str], Recording], types: str, image: str, memory: str, architecture: str,
        gpus: list[dict[str, str]] | None) -> None:
    rec = preview(ec2_config(f"{{instanceTypes: {types}}}"))
    definition = task(rec)
    (container,) = json.loads(definition["containerDefinitions"])
    assert (definition["memory"], definition["runtimePlatform"]["cpuArchitecture"],
            container.get("resourceRequirements")) == (memory, architecture, gpus)
    template = rec.one("aws:ec2/launchTemplate:LaunchTemplate").inputs
    assert template["imageId"] == image
    user_data = base64.b64decode(template["userData"]).decode()
    assert user_data.endswith("echo ECS_ENABLE_GPU_SUPPORT=true >> /etc/ecs/ecs.config\n") is bool(gpus)


def test_the_first_essential_container_gets_the_gpus(preview: Callable[[str], Recording]) -> None:
    rec = preview("""
resources:
  api:
    type: multi-container-workload
    properties:
      resources: {instanceTypes: [g4dn.12xlarge]}
      containers:
        - name: warmup
          essential: false
          packaging: {type: prebuilt-image, properties: {image: 'busybox:1'}}
        - name: model
          packaging: {type: prebuilt-image, properties: {image: 'nvidia/cuda:12.4.1-base-ubi9'}}
        - name: metrics
          packaging: {type: prebuilt-image, properties: {image: 'busybox:1'}}
""")
    containers = {c["name"]: c.get("resourceRequirements") for c in json.loads(task(rec)["containerDefinitions"])}
    assert containers == {"warmup": None, "model": [{"type": "GPU", "value": "4"}], "metrics": None}


@pytest.mark.parametrize(("types", "errors"), [
    ("[inf2.xlarge]", [
        "stacktape.yml:5:35: resources.api.properties.resources.instanceTypes[0]: inf2.xlarge has AWS "
        "Inferentia/Trainium (Neuron) devices: Neuron workloads are not supported yet (they need the ECS Neuron AMI "
        "and each device mapped into the container) (hint: use an NVIDIA GPU type (e.g. g6.xlarge) or a type "
        "without accelerators)"]),
    ("[m7i.large, mac2.metal]", [
        "stacktape.yml:5:46: resources.api.properties.resources.instanceTypes[1]: mac2.metal is a Mac instance: ECS "
        "runs tasks on Linux and Windows container instances only (Mac instances run macOS on dedicated hosts) "
        "(hint: use a Linux type, e.g. m7i.large (x86_64) or m7g.large (arm64))"]),
    ("[g6.xlarge, c5.large]", [
        "stacktape.yml:5:34: resources.api.properties.resources.instanceTypes: instanceTypes mixes NVIDIA GPU types "
        "(g6.xlarge) and types without GPUs: one launch template has one AMI, the GPU-optimized one or the standard "
        "one (hint: list only GPU types or only types without GPUs)"]),
    ("[g5g.xlarge]", [
        "stacktape.yml:5:35: resources.api.properties.resources.instanceTypes[0]: g5g.xlarge is an arm64 GPU type: "
        "the ECS GPU-optimized Amazon Linux 2023 AMI is x86_64 only (hint: use an x86_64 NVIDIA type, e.g. "
        "g4dn.xlarge or g6.xlarge)"]),
])
def test_types_ecs_cannot_run_are_located_errors(config_errors: Callable[[str], list[str]], types: str,
                                                 errors: list[str]) -> None:
    assert config_errors(ec2_config(f"{{instanceTypes: {types}}}")) == errors


def test_python_callers_get_the_same_refusals() -> None:
    resources = SimpleNamespace(instanceTypes=["inf2.xlarge", "c5.lage"], memory=None, cpu=None)
    with pytest.raises(ArgsError) as err:
        ec2_sizing("api", resources)
    assert str(err.value) == (
        "multi-container-workload 'api': resources.instanceTypes[0]: inf2.xlarge has AWS Inferentia/Trainium "
        "(Neuron) devices: Neuron workloads are not supported yet (they need the ECS Neuron AMI and each device "
        "mapped into the container) (hint: use an NVIDIA GPU type (e.g. g6.xlarge) or a type without "
        "accelerators)\n"
        "multi-container-workload 'api': resources.instanceTypes[1]: 'c5.lage' is not in the bundled EC2 "
        "instance-type list (1108 types, AWS data of 2026-01-22) (hint: did you mean 'c5.large'?)")


@pytest.mark.parametrize(("name", "gpus"), [("g4dn.xlarge", [{"count": 1, "manufacturer": "NVIDIA"}]),
                                            ("inf2.xlarge", None), ("mac2.metal", None), ("u7i-12tb.224xlarge", None)])
def test_the_offline_instance_type_invoke_answers_for_every_listed_type(name: str,
                                                                         gpus: list[dict[str, Any]] | None) -> None:
    spec = instance_types()[name]
    answer = CannedWorld().invoke("aws:ec2/getInstanceType:getInstanceType", {"instanceType": name})
    assert answer == {"instanceType": name, "memorySize": spec["memoryMiB"], "defaultVcpus": spec["vcpu"],
                      "supportedArchitectures": spec["architectures"], "id": name,
                      **({"gpuses": gpus} if gpus else {})}
