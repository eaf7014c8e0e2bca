"""EC2 decisions: the reference's memory formula, what ECS runs, one AMI per list, GPUs, the bundled table."""

import json
from pathlib import Path

import pytest

from stacktape_pulumi.aws.instances import (
    AMI_PARAMETER_ARM,
    AMI_PARAMETER_GPU,
    AMI_PARAMETER_X86,
    InstanceSpec,
    MemoryTooLarge,
    Refusal,
    ami_parameter,
    available_memory,
    capacity_refusals,
    ecs_refusal,
    instance_spec,
    instance_types,
    mix_refusal,
    smallest_instance,
    task_gpus,
    task_memory,
)

TABLE = Path(__file__).resolve().parent.parent / "stacktape_pulumi" / "aws" / "data" / "instance_types.json"


@pytest.mark.parametrize(("memory", "available"), [
    (512, 384),        # t3.nano: 0.15 * 512 = 76.8 ≤ 128 → reserve 128
    (1024, 870),       # t3.micro: reserve 153.6
    (4096, 3481),      # t3.medium / c5.large: reserve 614.4
    (16384, 13926),    # reserve 15 % up to 16 GiB
    (32768, 29491),    # then 10 %
    (131072, 117964),
    (262144, 249036),  # above 128 GiB: 5 %
])
def test_available_memory_follows_the_reference_tiers(memory: int, available: int) -> None:
    assert available_memory(memory) == available


def test_task_memory_defaults_to_the_smallest_types_available_memory() -> None:
    specs = [s for s in (instance_spec("m5.large"), instance_spec("c5.large")) if s]
    smallest = smallest_instance(specs)
    assert smallest.name == "c5.large"
    assert task_memory(smallest, None) == 3481
    assert task_memory(smallest, 2048) == 2048


def test_task_memory_too_large_names_the_instance_and_available_memory() -> None:
    spec = instance_spec("c5.large")
    assert spec is not None
    with pytest.raises(MemoryTooLarge) as err:
        task_memory(spec, 4000)
    assert str(err.value) == ("Chosen instance c5.large does not have enough memory to run workload with 4000 MB "
                              "of memory. Available memory for this instance is 3481 (accounting for OS and "
                              "background processes).")


def spec(name: str) -> InstanceSpec:
    found = instance_spec(name)
    assert found is not None, name
    return found


@pytest.mark.parametrize(("name", "expected"), [
    ("c5.large", (2, 4096, ("x86_64",), None, 0, 0)),
    ("m7i-flex.large", (2, 8192, ("x86_64",), None, 0, 0)),
    ("x2gd.large", (2, 32768, ("arm64",), None, 0, 0)),
    ("g4dn.xlarge", (4, 16384, ("x86_64",), "nvidia-gpu", 1, 1)),
    ("g6.12xlarge", (48, 196608, ("x86_64",), "nvidia-gpu", 4, 4)),
    ("p5.48xlarge", (192, 2097152, ("x86_64",), "nvidia-gpu", 8, 8)),
    ("inf2.24xlarge", (96, 393216, ("x86_64",), "neuron", 6, 0)),
    ("g4ad.xlarge", (4, 16384, ("x86_64",), "amd-gpu", 1, 0)),
    ("mac2.metal", (8, 16384, ("arm64_mac",), None, 0, 0)),
    ("mac1.metal", (12, 32768, ("x86_64_mac",), None, 0, 0)),
])
def test_bundled_table_entries(name: str, expected: tuple[object, ...]) -> None:
    found = spec(name)
    assert (found.vcpu, found.memory_mib, found.architectures, found.accelerator, found.accelerator_count,
            found.gpus) == expected


def test_the_table_lists_every_type_of_its_source_with_the_source_recorded() -> None:
    assert len(instance_types()) == 1108
    assert instance_spec("nope.large") is None
    families = {name.split(".", 1)[0] for name in instance_types()}
    assert {"g4dn", "g6", "p5", "inf2", "x2gd", "m7i-flex", "mac2", "u7i-12tb"} <= families
    header = json.loads(TABLE.read_text())["_source"]
    assert header["origin"] == "https://github.com/kubernetes/autoscaler"
    assert header["path"] == "cluster-autoscaler/cloudprovider/aws/ec2_instance_types.go"
    assert (header["commit"], header["date"]) == ("55c37cd5eb550756c5ccc5a89e9068d77797e575", "2026-01-22")


MAC = Refusal("mac2.metal is a Mac instance: ECS runs tasks on Linux and Windows container instances only (Mac "
              "instances run macOS on dedicated hosts)", "use a Linux type, e.g. m7i.large (x86_64) or m7g.large "
                                                         "(arm64)")
OTHER_HINT = "use an NVIDIA GPU type (e.g. g6.xlarge) or a type without accelerators"


@pytest.mark.parametrize(("name", "refusal"), [
    ("c5.large", None), ("m7i-flex.large", None), ("x2gd.large", None), ("g4dn.xlarge", None),
    ("p5.48xlarge", None), ("u7i-12tb.224xlarge", None),
    ("mac2.metal", MAC),
    ("inf2.xlarge", Refusal("inf2.xlarge has AWS Inferentia/Trainium (Neuron) devices: Neuron workloads are not "
                            "supported yet (they need the ECS Neuron AMI and each device mapped into the container)",
                            OTHER_HINT)),
    ("trn1.2xlarge", Refusal("trn1.2xlarge has AWS Inferentia/Trainium (Neuron) devices: Neuron workloads are not "
                             "supported yet (they need the ECS Neuron AMI and each device mapped into the "
                             "container)", OTHER_HINT)),
    ("g4ad.xlarge", Refusal("g4ad.xlarge has AMD GPUs: not supported yet (the ECS GPU-optimized AMI drives NVIDIA "
                            "GPUs only)", OTHER_HINT)),
    ("dl1.24xlarge", Refusal("dl1.24xlarge has Habana Gaudi accelerators: not supported yet (the ECS GPU-optimized "
                             "AMI drives NVIDIA GPUs only)", OTHER_HINT)),
    ("f1.2xlarge", Refusal("f1.2xlarge has FPGAs: not supported yet (the ECS GPU-optimized AMI drives NVIDIA GPUs "
                           "only)", OTHER_HINT)),
    ("vt1.3xlarge", Refusal("vt1.3xlarge has media accelerators: not supported yet (the ECS GPU-optimized AMI "
                            "drives NVIDIA GPUs only)", OTHER_HINT)),
    ("g5g.xlarge", Refusal("g5g.xlarge is an arm64 GPU type: the ECS GPU-optimized Amazon Linux 2023 AMI is x86_64 "
                           "only", "use an x86_64 NVIDIA type, e.g. g4dn.xlarge or g6.xlarge")),
    ("g6f.large", Refusal("g6f.large has a fraction of an NVIDIA GPU: ECS reserves whole GPUs for containers, so "
                          "fractional-GPU types are not supported yet", "use a type with whole GPUs, e.g. g6.xlarge")),
])
def test_what_ecs_runs(name: str, refusal: Refusal | None) -> None:
    assert ecs_refusal(spec(name)) == refusal


def test_one_list_one_ami() -> None:
    assert mix_refusal([spec("c6g.large"), spec("c5.large")]) == Refusal(
        "instanceTypes mixes arm64 (c6g.large) and x86_64 types: one launch template has one AMI, for one "
        "architecture", "list types of one architecture only (Graviton types have a 'g' after the generation, "
                         "e.g. c6g)")
    assert mix_refusal([spec("g4dn.xlarge"), spec("c5.large")]) == Refusal(
        "instanceTypes mixes NVIDIA GPU types (g4dn.xlarge) and types without GPUs: one launch template has one "
        "AMI, the GPU-optimized one or the standard one", "list only GPU types or only types without GPUs")
    assert mix_refusal([spec("g4dn.xlarge"), spec("g6.12xlarge")]) is None


@pytest.mark.parametrize(("names", "ami", "gpus"), [
    (["c5.large"], AMI_PARAMETER_X86, 0),
    (["c7g.large", "m7g.large"], AMI_PARAMETER_ARM, 0),
    (["g4dn.xlarge"], AMI_PARAMETER_GPU, 1),
    (["g6.12xlarge", "g6.2xlarge"], AMI_PARAMETER_GPU, 1),  # the task must fit the type with the fewest
    (["p5.48xlarge"], AMI_PARAMETER_GPU, 8),
])
def test_ami_and_gpus_follow_the_listed_types(names: list[str], ami: str, gpus: int) -> None:
    specs = [spec(n) for n in names]
    assert (ami_parameter(specs), task_gpus(specs)) == (ami, gpus)
    assert AMI_PARAMETER_GPU == "/aws/service/ecs/optimized-ami/amazon-linux-2023/gpu/recommended/image_id"


def test_unknown_types_are_refused_with_the_closest_name() -> None:
    specs, refusals = capacity_refusals(["c5.lage", "c5.large", "zz9.nothing"])
    assert specs == [spec("c5.large")]
    assert refusals == [
        (0, Refusal("'c5.lage' is not in the bundled EC2 instance-type list (1108 types, AWS data of "
                    "2026-01-22)", "did you mean 'c5.large'?")),
        (2, Refusal("'zz9.nothing' is not in the bundled EC2 instance-type list (1108 types, AWS data of "
                    "2026-01-22)", "see docs/instance-types.md")),
    ]


@pytest.mark.parametrize("name", sorted(instance_types()))
def test_every_listed_type_is_sized_or_refused(name: str) -> None:
    """No type of the table reaches a traceback: ECS runs it (memory, AMI, GPUs decided) or it is refused."""
    specs, refusals = capacity_refusals([name])
    if refusals:
        assert (specs, [index for index, _ in refusals]) == ([], [0])
        return
    (found,) = specs
    assert task_memory(found, None) == available_memory(found.memory_mib) > 0
    assert ami_parameter(specs) == (AMI_PARAMETER_GPU if found.gpus else
                                    AMI_PARAMETER_ARM if found.arm64 else AMI_PARAMETER_X86)
