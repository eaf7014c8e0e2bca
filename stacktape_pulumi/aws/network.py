"""The stack's network: its own VPC (public subnets, optional private subnets behind NAT) or a reused one.

AWS: EC2 VPC, subnets, internet gateway, route tables, NAT gateways, Elastic IPs.
"""

# Annotations stay unevaluated: naming AWS SDK classes in them would import those services'
# modules (hundreds of ms) for every `validate`, which never builds anything.
from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import pulumi
import pulumi_aws as aws

from stacktape_pulumi.errors import StacktapeError

if TYPE_CHECKING:
    from collections.abc import Callable

VPC_CIDR = "172.16.0.0/16"
PUBLIC_CIDRS = ("172.16.0.0/20", "172.16.16.0/20", "172.16.32.0/20")
PRIVATE_CIDRS = ("172.16.48.0/20", "172.16.64.0/20", "172.16.80.0/20")


def nat_index(subnet_index: int, nat_count: int) -> int:
    """Private subnet i routes through NAT gateway min(i, n-1) (the reference's spread)."""
    return min(subnet_index, nat_count - 1)


@dataclass(frozen=True)
class NetworkSettings:
    """How the stack gets its VPC: reused (by ID, or the VPC of another stack) or its own.

    An own VPC gets `nat_zones` NAT gateways and the private subnets when the first workload
    asks for them, or at once with `private_subnets`.
    """

    reuse_vpc_id: str | None = None
    reuse_vpc_of_stack: str | None = None
    """`<project>-<stage>`: the VPC this tool created for that stack (found by its Name tag)."""
    nat_zones: int = 2
    private_subnets: bool = False


def network_name(stack_name: str) -> str:
    """The logical name (and the VPC's Name tag) of a stack's network."""
    return f"{stack_name}-network"


def _pick(index: int) -> Callable[[list[str]], str]:
    """The index-th subnet of a looked-up list, wrapping around when the VPC has fewer than three."""

    def pick(ids: list[str]) -> str:
        if not ids:
            raise StacktapeError("the reused VPC has no subnets of the kind a workload needs")
        return ids[index % len(ids)]

    return pick


class StackNetwork(pulumi.ComponentResource):
    """The VPC every workload of a stack runs in."""

    vpc_id: pulumi.Output[str]
    cidr_block: pulumi.Output[str]
    public_subnet_ids: list[pulumi.Output[str]]
    private_subnet_ids: list[pulumi.Output[str]]
    # Resources that must exist before tasks can reach the internet (routes, NAT).
    ready: list[pulumi.Resource]

    def __init__(self, name: str, settings: NetworkSettings, tags: dict[str, str],
                 opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__("stacktape:index:StackNetwork", name, None, opts)
        self.ready = []
        self._prefix = name  # of every resource's logical name (Pulumi's own `_name` is the same, but private)
        self._settings = settings
        self._tags = tags
        self._reused = bool(settings.reuse_vpc_id or settings.reuse_vpc_of_stack)
        if self._reused:
            self._reuse(settings)
        else:
            self._create(name, tags)
            if settings.private_subnets:
                self._create_private()
        # The private subnets may come later (the first workload asking creates them): not an output.
        self.register_outputs({"vpcId": self.vpc_id, "publicSubnetIds": self.public_subnet_ids})

    def _reuse(self, settings: NetworkSettings) -> None:
        invoke_opts = pulumi.InvokeOptions(parent=self)
        if settings.reuse_vpc_id:
            vpc = aws.ec2.get_vpc_output(id=settings.reuse_vpc_id, opts=invoke_opts)
        else:
            vpc = aws.ec2.get_vpc_output(filters=[aws.ec2.GetVpcFilterArgs(
                name="tag:Name", values=[network_name(str(settings.reuse_vpc_of_stack))])], opts=invoke_opts)
        vpc_id = vpc.id
        self.vpc_id = vpc.id
        self.cidr_block = vpc.cidr_block

        def lookup(public: bool) -> list[pulumi.Output[str]]:
            found = aws.ec2.get_subnets_output(filters=vpc_id.apply(lambda known: [
                aws.ec2.GetSubnetsFilterArgs(name="vpc-id", values=[known]),
                aws.ec2.GetSubnetsFilterArgs(name="map-public-ip-on-launch", values=["true" if public else "false"]),
            ]), opts=invoke_opts)
            return [found.ids.apply(_pick(i)) for i in range(3)]

        self.public_subnet_ids = lookup(True)
        self.private_subnet_ids = lookup(False)

    def _create(self, name: str, tags: dict[str, str]) -> None:
        child = pulumi.ResourceOptions(parent=self)
        azs = aws.get_availability_zones_output(state="available", opts=pulumi.InvokeOptions(parent=self))
        vpc = aws.ec2.Vpc(f"{name}-vpc", cidr_block=VPC_CIDR, enable_dns_hostnames=True,
                          enable_dns_support=True, tags={**tags, "Name": name}, opts=child)
        igw = aws.ec2.InternetGateway(f"{name}-igw", vpc_id=vpc.id, tags=tags, opts=child)
        self.vpc_id = vpc.id
        self.cidr_block = vpc.cidr_block
        self._vpc, self._igw, self._azs = vpc, igw, azs
        self._public_subnets = [self._routed_subnet("public", i, cidr, gateway_id=igw.id)
                                for i, cidr in enumerate(PUBLIC_CIDRS)]
        self.public_subnet_ids = [subnet.id for subnet in self._public_subnets]
        self.private_subnet_ids = []

    def _routed_subnet(self, tier: str, index: int, cidr: str, **route_target: pulumi.Input[str]) -> aws.ec2.Subnet:
        """A `public` or `private` subnet in zone `index`; its own route table sends 0.0.0.0/0 to `route_target`."""
        name, tags, child = self._prefix, self._tags, pulumi.ResourceOptions(parent=self)
        vpc_id = self._vpc.id
        subnet = aws.ec2.Subnet(
            f"{name}-{tier}-subnet-{index}", vpc_id=vpc_id, cidr_block=cidr,
            availability_zone=self._azs.names[index], map_public_ip_on_launch=tier == "public",
            tags={**tags, "Name": f"{name}-{tier}-{index}"}, opts=child)
        table = aws.ec2.RouteTable(f"{name}-{tier}-rt-{index}", vpc_id=vpc_id, tags=tags, opts=child)
        route = aws.ec2.Route(f"{name}-{tier}-route-{index}", route_table_id=table.id,
                              destination_cidr_block="0.0.0.0/0", **route_target, opts=child)
        assoc = aws.ec2.RouteTableAssociation(f"{name}-{tier}-rta-{index}", subnet_id=subnet.id,
                                              route_table_id=table.id, opts=child)
        self.ready += [route, assoc]
        return subnet

    def _create_private(self) -> None:
        """Private subnets (one per zone) behind `nat_zones` NAT gateways in the public subnets."""
        name, tags, igw = self._prefix, self._tags, self._igw
        child = pulumi.ResourceOptions(parent=self)
        public_subnets = self._public_subnets
        nats: list[aws.ec2.NatGateway] = []
        for n in range(self._settings.nat_zones):
            eip = aws.ec2.Eip(f"{name}-nat-eip-{n}", domain="vpc", tags=tags, opts=child)
            nats.append(aws.ec2.NatGateway(f"{name}-nat-{n}", allocation_id=eip.id,
                                           subnet_id=public_subnets[n].id, tags=tags,
                                           opts=pulumi.ResourceOptions(parent=self, depends_on=[igw])))
        self.private_subnet_ids = [
            self._routed_subnet("private", i, cidr, nat_gateway_id=nats[nat_index(i, len(nats))].id).id
            for i, cidr in enumerate(PRIVATE_CIDRS)]

    def ensure_private_subnets(self) -> None:
        """Create the private subnets and their NAT gateways, unless they exist (or the VPC is reused)."""
        if not self._reused and not self.private_subnet_ids:
            self._create_private()

    def subnets(self, private: bool) -> list[pulumi.Output[str]]:
        """Subnets for tasks: private (behind NAT) or public."""
        if private:
            self.ensure_private_subnets()
            return self.private_subnet_ids
        return self.public_subnet_ids


