"""Security groups whose shape several components share."""

from __future__ import annotations  # see stacktape_pulumi/components/__init__.py

from typing import TYPE_CHECKING

import pulumi_aws as aws

if TYPE_CHECKING:
    import pulumi


def egress_to(cidr_block: pulumi.Input[str], description: str) -> list[aws.ec2.SecurityGroupEgressArgs]:
    """One egress rule: every protocol and port to `cidr_block`."""
    return [aws.ec2.SecurityGroupEgressArgs(protocol="-1", from_port=0, to_port=0, cidr_blocks=[cidr_block],
                                            description=description)]


def outbound_only_group(logical_name: str, *, name: str, description: str, vpc_id: pulumi.Input[str],
                        tags: dict[str, str], opts: pulumi.ResourceOptions) -> aws.ec2.SecurityGroup:
    """A group that may reach anything and admits nothing inline (ingress, if any, comes as separate rules)."""
    return aws.ec2.SecurityGroup(logical_name, name=name, description=description, vpc_id=vpc_id,
                                 egress=egress_to("0.0.0.0/0", "all outbound"), tags=tags, opts=opts)
