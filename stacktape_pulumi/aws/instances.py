"""EC2 instance types for container workloads: the bundled spec table, what ECS can run, sizing, AMIs.

The table (`aws/data/instance_types.json`) lists every type AWS offers, so `validate`, the
offline engine and a deployment size tasks and pick the AMI from the same numbers, without
AWS. Refresh it with tools/refresh_instance_types.py (see docs/instance-types.md).
"""

import json
import math
from dataclasses import dataclass
from difflib import get_close_matches
from functools import cache
from importlib import resources
from typing import Any

AMI_PARAMETER_X86 = "/aws/service/ecs/optimized-ami/amazon-linux-2023/recommended/image_id"
AMI_PARAMETER_ARM = "/aws/service/ecs/optimized-ami/amazon-linux-2023/arm64/recommended/image_id"
# AWS publishes the AL2023 GPU (NVIDIA driver) variant for x86_64 only.
AMI_PARAMETER_GPU = "/aws/service/ecs/optimized-ami/amazon-linux-2023/gpu/recommended/image_id"
NVIDIA = "nvidia-gpu"
# DescribeInstanceTypes' GpuInfo manufacturer → the table's accelerator kind.
GPU_MAKERS = {"NVIDIA": NVIDIA, "AMD": "amd-gpu", "Habana": "habana-gaudi"}
# What the table's other accelerator kinds are, for the refusals.
ACCELERATOR_NAMES = {
    "amd-gpu": "AMD GPUs", "habana-gaudi": "Habana Gaudi accelerators", "other-gpu": "non-NVIDIA GPUs",
    "fpga": "FPGAs", "media": "media accelerators", "other-accelerator": "inference accelerators",
}


def _table() -> dict[str, Any]:
    text = resources.files("stacktape_pulumi.aws").joinpath("data/instance_types.json").read_text("utf-8")
    doc: dict[str, Any] = json.loads(text)
    return doc


@cache
def instance_types() -> dict[str, dict[str, Any]]:
    """The bundled EC2 instance-type table (vCPU, memory MiB, architectures, accelerator)."""
    table: dict[str, dict[str, Any]] = _table()["instanceTypes"]
    return table


@cache
def table_date() -> str:
    """The date of the data the bundled table was converted from (its `_source.date`)."""
    return str(_table()["_source"]["date"])


@dataclass(frozen=True)
class InstanceSpec:
    name: str
    vcpu: int
    memory_mib: int
    architectures: tuple[str, ...]
    accelerator: str | None = None  # nvidia-gpu, neuron, amd-gpu, … (None: no accelerator)
    accelerator_count: int = 0

    @property
    def arm64(self) -> bool:
        return "arm64" in self.architectures

    @property
    def gpus(self) -> int:
        """Whole NVIDIA GPUs: the ones ECS can reserve for a container."""
        return self.accelerator_count if self.accelerator == NVIDIA else 0


def instance_spec(name: str) -> InstanceSpec | None:
    """The bundled spec of an instance type, or None for a type the table does not list."""
    entry = instance_types().get(name)
    if entry is None:
        return None
    accelerator = entry.get("accelerator") or {}
    return InstanceSpec(name, int(entry["vcpu"]), int(entry["memoryMiB"]), tuple(entry["architectures"]),
                        accelerator.get("kind"), int(accelerator.get("count", 0)))


@dataclass(frozen=True)
class Refusal:
    """Why instance types cannot run an EC2 workload, and one way out."""

    message: str
    hint: str


def ecs_refusal(spec: InstanceSpec) -> Refusal | None:
    """Why ECS cannot run tasks on this type through our launch template, or None when it can."""
    name, kind = spec.name, spec.accelerator
    if any(a.endswith("_mac") for a in spec.architectures):
        return Refusal(f"{name} is a Mac instance: ECS runs tasks on Linux and Windows container instances only "
                       "(Mac instances run macOS on dedicated hosts)",
                       "use a Linux type, e.g. m7i.large (x86_64) or m7g.large (arm64)")
    if kind == "neuron":
        return Refusal(f"{name} has AWS Inferentia/Trainium (Neuron) devices: Neuron workloads are not supported "
                       "yet (they need the ECS Neuron AMI and each device mapped into the container)",
                       "use an NVIDIA GPU type (e.g. g6.xlarge) or a type without accelerators")
    if kind in ACCELERATOR_NAMES:
        return Refusal(f"{name} has {ACCELERATOR_NAMES[kind]}: not supported yet (the ECS GPU-optimized AMI "
                       "drives NVIDIA GPUs only)",
                       "use an NVIDIA GPU type (e.g. g6.xlarge) or a type without accelerators")
    if kind == NVIDIA and spec.arm64:
        return Refusal(f"{name} is an arm64 GPU type: the ECS GPU-optimized Amazon Linux 2023 AMI is x86_64 only",
                       "use an x86_64 NVIDIA type, e.g. g4dn.xlarge or g6.xlarge")
    if kind == NVIDIA and spec.gpus == 0:
        return Refusal(f"{name} has a fraction of an NVIDIA GPU: ECS reserves whole GPUs for containers, so "
                       "fractional-GPU types are not supported yet", "use a type with whole GPUs, e.g. g6.xlarge")
    return None


def mix_refusal(specs: list[InstanceSpec]) -> Refusal | None:
    """One launch template has one AMI: every listed type must run the same one."""
    if len({spec.arm64 for spec in specs}) > 1:
        arm = [spec.name for spec in specs if spec.arm64]
        return Refusal(f"instanceTypes mixes arm64 ({', '.join(arm)}) and x86_64 types: one launch template has "
                       "one AMI, for one architecture",
                       "list types of one architecture only (Graviton types have a 'g' after the generation, "
                       "e.g. c6g)")
    if len({spec.gpus > 0 for spec in specs}) > 1:
        gpu = [spec.name for spec in specs if spec.gpus]
        return Refusal(f"instanceTypes mixes NVIDIA GPU types ({', '.join(gpu)}) and types without GPUs: one "
                       "launch template has one AMI, the GPU-optimized one or the standard one",
                       "list only GPU types or only types without GPUs")
    return None


def unknown_type(name: str) -> Refusal:
    close = get_close_matches(name, list(instance_types()), n=1)
    # "Not in the list", not "not a type": AWS may have added it after the list's date.
    return Refusal(f"'{name}' is not in the bundled EC2 instance-type list ({len(instance_types())} types, AWS "
                   f"data of {table_date()})",
                   f"did you mean '{close[0]}'?" if close else "see docs/instance-types.md")


def capacity_refusals(names: list[str]) -> tuple[list[InstanceSpec], list[tuple[int | None, Refusal]]]:
    """The specs of the listed types ECS can run, and what is refused: by list index, or None for the list."""
    specs: list[InstanceSpec] = []
    refusals: list[tuple[int | None, Refusal]] = []
    for index, name in enumerate(names):
        spec = instance_spec(name)
        refusal = unknown_type(name) if spec is None else ecs_refusal(spec)
        if refusal is not None:
            refusals.append((index, refusal))
        elif spec is not None:
            specs.append(spec)
    mixed = mix_refusal(specs) if specs else None
    if mixed is not None:
        refusals.append((None, mixed))
    return specs, refusals


def task_gpus(specs: list[InstanceSpec]) -> int:
    """GPUs a task reserves: all of the listed type with the fewest, so the task fits on every listed type."""
    return min(spec.gpus for spec in specs)


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


def ami_parameter(specs: list[InstanceSpec]) -> str:
    """The ECS-optimized AL2023 AMI parameter: GPU for NVIDIA types, arm64 for Graviton, else x86_64."""
    if task_gpus(specs):
        return AMI_PARAMETER_GPU
    return AMI_PARAMETER_ARM if specs[0].arm64 else AMI_PARAMETER_X86
