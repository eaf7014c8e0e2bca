"""Refresh stacktape_pulumi/aws/data/instance_types.json from EC2 DescribeInstanceTypes.

Needs AWS credentials (any region; instance types are the same list in most regions):

    python tools/refresh_instance_types.py [--region us-east-1]

Keeps the families already in the table and adds every size AWS reports for them.
"""

import argparse
import json
from pathlib import Path
from typing import Any

import botocore.session

TABLE = Path(__file__).resolve().parent.parent / "stacktape_pulumi" / "aws" / "data" / "instance_types.json"


def fetch(region: str, families: set[str]) -> dict[str, dict[str, Any]]:
    client = botocore.session.get_session().create_client("ec2", region_name=region)
    found: dict[str, dict[str, Any]] = {}
    for page in client.get_paginator("describe_instance_types").paginate():
        for item in page["InstanceTypes"]:
            name = item["InstanceType"]
            if name.split(".", 1)[0] not in families:
                continue
            found[name] = {
                "vcpu": item["VCpuInfo"]["DefaultVCpus"],
                "memoryMiB": item["MemoryInfo"]["SizeInMiB"],
                "architectures": sorted(a for a in item["ProcessorInfo"]["SupportedArchitectures"]
                                        if a in ("x86_64", "arm64")),
            }
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--region", default="us-east-1")
    args = parser.parse_args()
    doc = json.loads(TABLE.read_text())
    families = {name.split(".", 1)[0] for name in doc["instanceTypes"]}
    doc["instanceTypes"] = dict(sorted(fetch(args.region, families).items()))
    TABLE.write_text(json.dumps(doc, indent=1) + "\n")
    print(f"{len(doc['instanceTypes'])} instance types written to {TABLE}")


if __name__ == "__main__":
    main()
