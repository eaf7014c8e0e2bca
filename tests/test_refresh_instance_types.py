"""tools/refresh_instance_types.py: its two conversions into the bundled table's rows, without network."""

from pathlib import Path
from typing import Any

import pytest

from tests.module_support import load_module

TOOL = load_module(Path(__file__).resolve().parent.parent / "tools" / "refresh_instance_types.py")


def describe(name: str, vcpu: int, memory: int, architectures: list[str], **extra: Any) -> dict[str, Any]:
    """One item of DescribeInstanceTypes' `InstanceTypes`, with the keys botocore returns (trimmed)."""
    return {"InstanceType": name, "CurrentGeneration": True, "SupportedUsageClasses": ["on-demand", "spot"],
            "VCpuInfo": {"DefaultVCpus": vcpu, "DefaultCores": vcpu // 2, "DefaultThreadsPerCore": 2},
            "MemoryInfo": {"SizeInMiB": memory},
            "ProcessorInfo": {"SupportedArchitectures": architectures, "SustainedClockSpeedInGhz": 2.5},
            **extra}


PAGES = [
    {"InstanceTypes": [
        describe("t2.micro", 1, 1024, ["i386", "x86_64"]),
        describe("g4dn.12xlarge", 48, 196608, ["x86_64"], GpuInfo={
            "Gpus": [{"Name": "T4", "Manufacturer": "NVIDIA", "Count": 4, "MemoryInfo": {"SizeInMiB": 16384}}],
            "TotalGpuMemoryInMiB": 65536}),
        describe("g4ad.xlarge", 4, 16384, ["x86_64"], GpuInfo={
            "Gpus": [{"Name": "Radeon Pro V520", "Manufacturer": "AMD", "Count": 1}]}),
    ], "NextToken": "page-2"},
    {"InstanceTypes": [
        describe("inf2.24xlarge", 96, 393216, ["x86_64"], NeuronInfo={
            "NeuronDevices": [{"Count": 6, "Name": "Inferentia2", "CoreInfo": {"Count": 2, "Version": 2}}]}),
        describe("inf1.6xlarge", 24, 49152, ["x86_64"], InferenceAcceleratorInfo={
            "Accelerators": [{"Count": 4, "Name": "Inferentia", "Manufacturer": "AWS"}]}),
        describe("f1.4xlarge", 16, 249856, ["x86_64"], FpgaInfo={
            "Fpgas": [{"Name": "Virtex UltraScale (VU9P)", "Manufacturer": "Xilinx", "Count": 2}]}),
        describe("vt1.3xlarge", 12, 24576, ["x86_64"], MediaAcceleratorInfo={
            "Accelerators": [{"Count": 1, "Name": "U30", "Manufacturer": "Xilinx"}]}),
        describe("mac2.metal", 8, 16384, ["arm64_mac"]),
        describe("c7g.large", 2, 4096, ["arm64"]),
    ]},
]


def test_describe_instance_types_pages_become_sorted_rows() -> None:
    assert TOOL.from_describe_instance_types(PAGES) == {
        "c7g.large": {"vcpu": 2, "memoryMiB": 4096, "architectures": ["arm64"]},
        "f1.4xlarge": {"vcpu": 16, "memoryMiB": 249856, "architectures": ["x86_64"],
                       "accelerator": {"kind": "fpga", "count": 2}},
        "g4ad.xlarge": {"vcpu": 4, "memoryMiB": 16384, "architectures": ["x86_64"],
                        "accelerator": {"kind": "amd-gpu", "count": 1}},
        "g4dn.12xlarge": {"vcpu": 48, "memoryMiB": 196608, "architectures": ["x86_64"],
                          "accelerator": {"kind": "nvidia-gpu", "count": 4}},
        "inf1.6xlarge": {"vcpu": 24, "memoryMiB": 49152, "architectures": ["x86_64"],
                         "accelerator": {"kind": "neuron", "count": 4}},
        "inf2.24xlarge": {"vcpu": 96, "memoryMiB": 393216, "architectures": ["x86_64"],
                          "accelerator": {"kind": "neuron", "count": 6}},
        "mac2.metal": {"vcpu": 8, "memoryMiB": 16384, "architectures": ["arm64_mac"]},
        "t2.micro": {"vcpu": 1, "memoryMiB": 1024, "architectures": ["x86_64"]},  # i386 dropped
        "vt1.3xlarge": {"vcpu": 12, "memoryMiB": 24576, "architectures": ["x86_64"],
                        "accelerator": {"kind": "media", "count": 1}},
    }


GO_TABLE = '''
// StaticListLastUpdateTime is a string declaring the last time the static list was updated.
var StaticListLastUpdateTime = "2026-01-22"

var InstanceTypes = map[string]*InstanceType{
	"g6.xlarge": {
		InstanceType: "g6.xlarge",
		VCPU:         4,
		MemoryMb:     16384,
		GPU:          1,
		Architecture: "amd64",
	},
	"inf2.xlarge": {
		InstanceType: "inf2.xlarge",
		VCPU:         4,
		MemoryMb:     16384,
		GPU:          0,
		Architecture: "amd64",
	},
	"mac2.metal": {
		InstanceType: "mac2.metal",
		VCPU:         8,
		MemoryMb:     16384,
		GPU:          0,
		Architecture: "amd64",
	},
	"x2gd.large": {
		InstanceType: "x2gd.large",
		VCPU:         2,
		MemoryMb:     32768,
		GPU:          0,
		Architecture: "arm64",
	},
}
'''


def test_autoscaler_table_becomes_rows_with_the_accelerator_facts_it_lacks() -> None:
    assert TOOL.from_autoscaler(GO_TABLE) == {
        "g6.xlarge": {"vcpu": 4, "memoryMiB": 16384, "architectures": ["x86_64"],
                      "accelerator": {"kind": "nvidia-gpu", "count": 1}},
        "inf2.xlarge": {"vcpu": 4, "memoryMiB": 16384, "architectures": ["x86_64"],
                        "accelerator": {"kind": "neuron", "count": 1}},
        "mac2.metal": {"vcpu": 8, "memoryMiB": 16384, "architectures": ["arm64_mac"]},  # Apple silicon
        "x2gd.large": {"vcpu": 2, "memoryMiB": 32768, "architectures": ["arm64"]},
    }


def test_a_gpu_family_without_accelerator_facts_stops_the_conversion() -> None:
    text = GO_TABLE.replace('"g6.xlarge"', '"g9.xlarge"')
    with pytest.raises(ValueError, match=r"^g9\.xlarge has 1 GPUs but its family is not in ACCELERATED_FAMILIES$"):
        TOOL.from_autoscaler(text)
