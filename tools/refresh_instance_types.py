"""Rewrite stacktape_pulumi/aws/data/instance_types.json: every EC2 instance type AWS offers.

Each entry holds the facts `validate` and the offline engine need: vCPUs, memory (MiB), the
architectures the type runs (`x86_64`, `arm64`, or `x86_64_mac` / `arm64_mac` for Mac hosts) and
its accelerators (kind and count). Two sources, one format:

    python tools/refresh_instance_types.py aws [--region us-east-1]
        EC2 DescribeInstanceTypes, every page; needs AWS credentials. The authoritative refresh.

    python tools/refresh_instance_types.py autoscaler ec2_instance_types.go --commit SHA --file-commit SHA
        kubernetes/autoscaler's generated cluster-autoscaler/cloudprovider/aws/ec2_instance_types.go
        (from AWS's price list); without credentials. That file gives GPU counts but no GPU maker
        and no Inferentia/Trainium, FPGA or media devices, so ACCELERATED_FAMILIES fills those in.

See docs/instance-types.md.
"""

import argparse
import datetime
import json
import re
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from stacktape_pulumi.aws.instances import GPU_MAKERS

TABLE = Path(__file__).resolve().parent.parent / "stacktape_pulumi" / "aws" / "data" / "instance_types.json"
AUTOSCALER_REPO = "kubernetes/autoscaler"
AUTOSCALER_PATH = "cluster-autoscaler/cloudprovider/aws/ec2_instance_types.go"
ARCHITECTURES = ("x86_64", "arm64", "x86_64_mac", "arm64_mac")  # i386 is dropped: ECS has no 32-bit AMI

# Facts the autoscaler file lacks, from AWS's accelerated computing instance specifications
# (docs.aws.amazon.com/ec2/latest/instancetypes/ac.html, read 2026-12-05): the accelerator of each
# accelerated family, and device counts where the price list reports no GPU.
ACCELERATED_FAMILIES = {
    **dict.fromkeys(("g4dn", "g5", "g5g", "g6", "g6e", "g6f", "g7e", "gr6", "gr6f", "p3", "p3dn", "p4d", "p4de",
                     "p5", "p5e", "p5en", "p6-b200"), "nvidia-gpu"),
    "g4ad": "amd-gpu",
    "dl1": "habana-gaudi",
    **dict.fromkeys(("inf1", "inf2", "trn1", "trn1n"), "neuron"),
    **dict.fromkeys(("f1", "f2"), "fpga"),
    "vt1": "media",
}
DEVICE_COUNTS = {
    "inf1.xlarge": 1, "inf1.2xlarge": 1, "inf1.6xlarge": 4, "inf1.24xlarge": 16,
    "inf2.xlarge": 1, "inf2.8xlarge": 1, "inf2.24xlarge": 6, "inf2.48xlarge": 12,
    "trn1.2xlarge": 1, "trn1.32xlarge": 16, "trn1n.32xlarge": 16,
    "f1.2xlarge": 1, "f1.4xlarge": 2, "f1.16xlarge": 8, "f2.6xlarge": 1, "f2.12xlarge": 2, "f2.48xlarge": 8,
    "vt1.3xlarge": 1, "vt1.6xlarge": 2, "vt1.24xlarge": 8,
}
# The price list calls every Mac host amd64; mac1 is Intel, the others Apple silicon.
MAC_ARCHITECTURES = {"mac1": "x86_64_mac"}


def entry(vcpu: int, memory_mib: int, architectures: Iterable[str], kind: str | None, count: int) -> dict[str, Any]:
    """One table row; `accelerator` only for types that have one."""
    row: dict[str, Any] = {"vcpu": vcpu, "memoryMiB": memory_mib,
                           "architectures": sorted(a for a in architectures if a in ARCHITECTURES)}
    if kind is not None:
        row["accelerator"] = {"kind": kind, "count": count}
    return row


def _devices(items: Iterable[Mapping[str, Any]]) -> int:
    return sum(int(item.get("Count", 0)) for item in items)


def accelerator_of(item: Mapping[str, Any]) -> tuple[str | None, int]:
    """The accelerator kind and count of one DescribeInstanceTypes entry (GPUs, Neuron, FPGA, media)."""
    gpus = item.get("GpuInfo", {}).get("Gpus", [])
    if gpus:
        return GPU_MAKERS.get(str(gpus[0].get("Manufacturer")), "other-gpu"), _devices(gpus)
    neuron = item.get("NeuronInfo", {}).get("NeuronDevices", [])
    if neuron:
        return "neuron", _devices(neuron)
    # inf1 reports its Inferentia chips here, not under NeuronInfo.
    inference = item.get("InferenceAcceleratorInfo", {}).get("Accelerators", [])
    if inference:
        inferentia = any("Inferentia" in str(a.get("Name")) for a in inference)
        return ("neuron" if inferentia else "other-accelerator"), _devices(inference)
    fpgas = item.get("FpgaInfo", {}).get("Fpgas", [])
    if fpgas:
        return "fpga", _devices(fpgas)
    media = item.get("MediaAcceleratorInfo", {}).get("Accelerators", [])
    if media:
        return "media", _devices(media)
    return None, 0


def from_describe_instance_types(pages: Iterable[Mapping[str, Any]]) -> dict[str, dict[str, Any]]:
    """Table rows from DescribeInstanceTypes response pages, sorted by name."""
    rows: dict[str, dict[str, Any]] = {}
    for page in pages:
        for item in page["InstanceTypes"]:
            kind, count = accelerator_of(item)
            rows[item["InstanceType"]] = entry(int(item["VCpuInfo"]["DefaultVCpus"]),
                                               int(item["MemoryInfo"]["SizeInMiB"]),
                                               item["ProcessorInfo"]["SupportedArchitectures"], kind, count)
    return dict(sorted(rows.items()))


AUTOSCALER_ROW = re.compile(r'InstanceType:\s*"(?P<name>[^"]+)",\s*VCPU:\s*(?P<vcpu>\d+),\s*MemoryMb:\s*'
                            r'(?P<memory>\d+),\s*GPU:\s*(?P<gpu>\d+),\s*Architecture:\s*"(?P<arch>\w+)"')
AUTOSCALER_DATE = re.compile(r'StaticListLastUpdateTime = "(\d{4}-\d{2}-\d{2})"')


def from_autoscaler(text: str) -> dict[str, dict[str, Any]]:
    """Table rows from the autoscaler's generated Go table, accelerators from ACCELERATED_FAMILIES."""
    rows: dict[str, dict[str, Any]] = {}
    for match in AUTOSCALER_ROW.finditer(text):
        name = match["name"]
        family = name.split(".", 1)[0]
        gpus = int(match["gpu"])
        kind = ACCELERATED_FAMILIES.get(family)
        if gpus and kind is None:
            raise ValueError(f"{name} has {gpus} GPUs but its family is not in ACCELERATED_FAMILIES")
        arch = "arm64" if match["arch"] == "arm64" else "x86_64"
        if family.startswith("mac"):
            arch = MAC_ARCHITECTURES.get(family, "arm64_mac")
        rows[name] = entry(int(match["vcpu"]), int(match["memory"]), [arch], kind,
                           gpus or DEVICE_COUNTS.get(name, 0))
    if not rows:
        raise ValueError("no instance types found: is this the autoscaler's ec2_instance_types.go?")
    return dict(sorted(rows.items()))


def fetch_pages(region: str) -> list[dict[str, Any]]:
    import botocore.session  # only this source needs it

    client = botocore.session.get_session().create_client("ec2", region_name=region)
    return list(client.get_paginator("describe_instance_types").paginate())


def write(rows: Mapping[str, Mapping[str, Any]], source: Mapping[str, Any]) -> None:
    # One type a line, so a refresh's diff reads type by type.
    lines = [f" {json.dumps(name)}: {json.dumps(row)}" for name, row in rows.items()]
    TABLE.write_text('{\n"_source": ' + json.dumps(dict(source), indent=1) + ',\n"instanceTypes": {\n'
                     + ",\n".join(lines) + "\n}}\n")
    print(f"{len(rows)} instance types written to {TABLE}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sources = parser.add_subparsers(dest="source", required=True)
    aws = sources.add_parser("aws", help="EC2 DescribeInstanceTypes (AWS credentials)")
    aws.add_argument("--region", default="us-east-1")
    autoscaler = sources.add_parser("autoscaler", help=f"{AUTOSCALER_REPO}'s {AUTOSCALER_PATH}")
    autoscaler.add_argument("file", type=Path)
    autoscaler.add_argument("--commit", required=True, help="the autoscaler commit the file was read at")
    autoscaler.add_argument("--file-commit", required=True, help="the commit that last changed the file")
    args = parser.parse_args()
    today = datetime.date.today().isoformat()
    if args.source == "aws":
        write(from_describe_instance_types(fetch_pages(args.region)),
              {"origin": "EC2 DescribeInstanceTypes", "region": args.region, "date": today})
        return
    text = args.file.read_text()
    dated = AUTOSCALER_DATE.search(text)
    write(from_autoscaler(text), {
        "origin": f"https://github.com/{AUTOSCALER_REPO}", "path": AUTOSCALER_PATH, "commit": args.commit,
        "fileCommit": args.file_commit, "date": dated[1] if dated else None, "converted": today,
        "accelerators": "accelerator kinds and Neuron/FPGA/media device counts from AWS's accelerated computing "
                        "instance specifications (tools/refresh_instance_types.py, ACCELERATED_FAMILIES)",
    })


if __name__ == "__main__":
    main()
