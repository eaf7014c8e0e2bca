"""EC2 sizing decisions: the reference's memory formula, Graviton detection, the bundled table."""

import pytest

from stacktape_pulumi.aws.instances import (
    AMI_PARAMETER_ARM,
    AMI_PARAMETER_X86,
    MemoryTooLarge,
    ami_parameter,
    available_memory,
    instance_spec,
    is_graviton_name,
    looks_like_instance_type,
    smallest_instance,
    task_memory,
)


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


@pytest.mark.parametrize(("name", "graviton"), [
    ("c7g.large", True), ("t4g.micro", True), ("c6gn.xlarge", True), ("r8gd.large", True),
    ("c5.large", False), ("m7i.large", False), ("g5.xlarge", False), ("m5a.large", False),
])
def test_graviton_names(name: str, graviton: bool) -> None:
    assert is_graviton_name(name) is graviton


def test_ami_parameter_follows_the_first_type() -> None:
    assert ami_parameter(instance_spec("c7g.large"), "c7g.large") == AMI_PARAMETER_ARM
    assert ami_parameter(instance_spec("c5.large"), "c5.large") == AMI_PARAMETER_X86
    assert ami_parameter(None, "x9g.large") == AMI_PARAMETER_ARM


@pytest.mark.parametrize(("name", "valid"), [
    ("c5.large", True), ("m7i-flex.large", True), ("u-6tb1.metal", True), ("c6in.32xlarge", True),
    ("large", False), ("C5.LARGE", False), ("c5.", False), ("t3 micro", False),
])
def test_instance_type_name_pattern(name: str, valid: bool) -> None:
    assert looks_like_instance_type(name) is valid


def test_bundled_table_entries() -> None:
    assert instance_spec("c5.large") == instance_spec("c5.large")
    spec = instance_spec("m7g.xlarge")
    assert spec is not None
    assert (spec.vcpu, spec.memory_mib, spec.arm64) == (4, 16384, True)
    assert instance_spec("nope.large") is None
