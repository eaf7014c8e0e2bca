"""Security groups whose shape several components share."""

from __future__ import annotations  # see stacktape_pulumi/components/__init__.py

import ipaddress
from typing import TYPE_CHECKING

import pulumi_aws as aws

from stacktape_pulumi.aws.naming import LIMITS, fit

if TYPE_CHECKING:
    from collections.abc import Sequence

    import pulumi


WORLD_IPV4 = "0.0.0.0/0"


def listener_ingress(port: int, whitelist: Sequence[str], internet: bool,
                     clients: Sequence[pulumi.Input[str]]) -> list[aws.ec2.SecurityGroupIngressArgs]:
    """Who may reach one load balancer listener: its whitelist; else everyone (internet-facing) or, internal, the
    `clients` security groups (the stack's workloads and VPC functions) — never a VPC CIDR; nobody without any."""
    if whitelist:
        return [aws.ec2.SecurityGroupIngressArgs(
            protocol="tcp", from_port=port, to_port=port,
            cidr_blocks=None if _v6(block) else [block], ipv6_cidr_blocks=[block] if _v6(block) else None,
            description=f"listener {port} from {block}") for block in whitelist]
    if internet:
        return [aws.ec2.SecurityGroupIngressArgs(protocol="tcp", from_port=port, to_port=port, cidr_blocks=[WORLD_IPV4],
                                                 description=f"listener {port} from anywhere")]
    if not clients:
        return []
    return [aws.ec2.SecurityGroupIngressArgs(
        protocol="tcp", from_port=port, to_port=port, security_groups=list(clients),
        description=f"listener {port} from the stack's workloads and functions")]


def _v6(block: str) -> bool:
    return ipaddress.ip_network(block).version == 6


def group_description(text: str) -> str:
    """A group's description within EC2's 255 characters (it names resources, whose names have no limit)."""
    return fit(text, LIMITS["security-group"])


def egress_to(cidr_block: pulumi.Input[str], description: str) -> list[aws.ec2.SecurityGroupEgressArgs]:
    """One egress rule: every protocol and port to `cidr_block`."""
    return [aws.ec2.SecurityGroupEgressArgs(protocol="-1", from_port=0, to_port=0, cidr_blocks=[cidr_block],
                                            description=description)]


def outbound_only_group(logical_name: str, *, description: str, vpc_id: pulumi.Input[str],
                        tags: dict[str, str], opts: pulumi.ResourceOptions) -> aws.ec2.SecurityGroup:
    """A group that may reach anything and admits nothing inline (ingress, if any, comes as separate rules).

    Auto-named by Pulumi, as every security group here: a new description or VPC replaces a group,
    and the replacement is created while the old one, with its name, still exists.
    """
    return aws.ec2.SecurityGroup(logical_name, description=description, vpc_id=vpc_id,
                                 egress=egress_to("0.0.0.0/0", "all outbound"), tags=tags, opts=opts)
