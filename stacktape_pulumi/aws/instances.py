"""EC2 instance types for container workloads: the bundled spec table, memory sizing, AMIs.

The table (`aws/data/instance_types.json`) lets `validate` and the offline engine size
tasks without AWS; at deploy time the same numbers come from the EC2 instance-type invoke.
Refresh it from `aws ec2 describe-instance-types` (see docs/instance-types.md).
"""

import json
import math
import re
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

# family[generation][attributes].size, e.g. c5.large, m7g.2xlarge, c6in.metal-24xl.
INSTANCE_TYPE_PATTERN = re.compile(r"^[a-z][a-z0-9-]*[0-9][a-z0-9-]*\.[a-z0-9-]+$")
AMI_PARAMETER_X86 = "/aws/service/ecs/optimized-ami/amazon-linux-2023/recommended/image_id"
AMI_PARAMETER_ARM = "/aws/service/ecs/optimized-ami/amazon-linux-2023/arm64/recommended/image_id"


@cache
def instance_types() -> dict[str, dict[str, Any]]:
    """The bundled EC2 instance-type table (vCPU, memory MiB, architectures)."""
    text = resources.files("stacktape_pulumi.aws").joinpath("data/instance_types.json").read_text("utf-8")
    table: dict[str, dict[str, Any]] = json.loads(text)["instanceTypes"]
    return table


@dataclass(frozen=True)
class InstanceSpec:
    name: str
    vcpu: int
    memory_mib: int
    architectures: tuple[str, ...]

    @property
    def arm64(self) -> bool:
        return "arm64" in self.architectures


def instance_spec(name: str) -> InstanceSpec | None:
    """The bundled spec of an instance type, or None for a type the table does not list."""
    entry = instance_types().get(name)
    if entry is None:
        return None
    return InstanceSpec(name, int(entry["vcpu"]), int(entry["memoryMiB"]), tuple(entry["architectures"]))


def looks_like_instance_type(name: str) -> bool:
    return bool(INSTANCE_TYPE_PATTERN.match(name))


def memory_reserve(instance_memory_mib: int) -> float:
    """MiB kept for the OS and the ECS agent (the reference's tiers)."""
    if 0.15 * instance_memory_mib <= 128:
        return 128.0
    if instance_memory_mib <= 16384:
        return 0.15 * instance_memory_mib
    if instance_memory_mib <= 131072:
        return 0.10 * instance_memory_mib
    return 0.05 * instance_memory_mib


def available_memory(instance_memory_mib: int) -> int:
    """Task memory that fits on an instance: its memory minus the reserve, rounded down."""
    return math.floor(instance_memory_mib - memory_reserve(instance_memory_mib))


class MemoryTooLarge(ValueError):
    def __init__(self, instance: str, requested: int, available: int) -> None:
        super().__init__(
            f"Chosen instance {instance} does not have enough memory to run workload with {requested} MB of "
            f"memory. Available memory for this instance is {available} (accounting for OS and background "
            "processes).")
        self.instance, self.requested, self.available = instance, requested, available


def task_memory(smallest: InstanceSpec, requested: int | None) -> int:
    """Task memory on EC2: `requested` if it fits on the smallest listed type, else its available memory."""
    available = available_memory(smallest.memory_mib)
    if requested is None:
        return available
    if requested > available:
        raise MemoryTooLarge(smallest.name, requested, available)
    return math.floor(requested)


def smallest_instance(specs: list[InstanceSpec]) -> InstanceSpec:
    """The listed type with the least memory (first listed wins a tie)."""
    return min(specs, key=lambda s: s.memory_mib)


def ami_parameter(first: InstanceSpec | None, first_name: str) -> str:
    """The ECS-optimized AL2023 AMI parameter: arm64 when the preferred (first) type is Graviton."""
    arm = first.arm64 if first is not None else is_graviton_name(first_name)
    return AMI_PARAMETER_ARM if arm else AMI_PARAMETER_X86


def is_graviton_name(name: str) -> bool:
    # Graviton families carry a `g` right after the generation digit: m7g, c6gn, t4g, r8gd.
    family = name.split(".", 1)[0]
    return bool(re.match(r"^[a-z]+[0-9]+g", family))
