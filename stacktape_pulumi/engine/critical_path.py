"""The time `pulumi up` cannot beat: the longest dependency chain of a recorded graph, in AWS's seconds.

Pulumi creates a resource as soon as every resource it depends on exists, so a first deploy takes at
least as long as the slowest chain of dependencies, each link weighted by how long AWS takes to
create that kind of resource. Two chains are compared:

* the one Pulumi will follow: every dependency of each registration (data and `dependsOn`);
* the one the data alone requires: only the resources whose outputs a registration reads
  (its property dependencies).

When they differ, an explicit `dependsOn` lengthens the deploy; each such edge on the chain is named,
with the reason AWS needs it when there is one (`EXPLICIT_EDGE_REASONS`), so that an edge nobody can
justify stands out.

A component takes no time of its own: depending on one means waiting for everything under it.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache

from stacktape_pulumi.engine.offline import RecordedResource, Recording


@dataclass(frozen=True)
class Provisioning:
    seconds: float
    source: str


# Typical creation times of the slow resource types, for comparing chains rather than promising a
# duration: AWS documents few of them. "estimate" marks a figure with no published measurement (the
# order of magnitude an AWS practitioner expects); everything not listed is one API call (DEFAULT).
PROVISIONING: Mapping[str, Provisioning] = {
    "aws:ec2/natGateway:NatGateway": Provisioning(
        120, "estimate: the NAT gateway stays 'pending' for one to a few minutes (VPC User Guide, NAT gateways)"),
    "aws:lb/loadBalancer:LoadBalancer": Provisioning(
        180, "estimate: a new load balancer is 'provisioning' for a few minutes before 'active' (ELB User Guide)"),
    "aws:rds/instance:Instance": Provisioning(
        600, "estimate: 'creating' to 'available' takes about ten minutes for a small instance"),
    "aws:rds/cluster:Cluster": Provisioning(300, "estimate: an Aurora cluster without instances"),
    "aws:rds/clusterInstance:ClusterInstance": Provisioning(600, "estimate: as an RDS instance"),
    "aws:ecs/service:Service": Provisioning(
        180, "estimate: tasks placed, images pulled, health checks passed (pulumi waits for steady state)"),
    "aws:acm/certificate:Certificate": Provisioning(5, "one API call; validation is its own resource"),
    "aws:acm/certificateValidation:CertificateValidation": Provisioning(
        600, "DNS validation through Route 53: typically 5-15 min, up to 30 (ACM troubleshooting reports)"),
    "aws:cloudfront/distribution:Distribution": Provisioning(
        300, "estimate: a distribution deploys to every edge location in minutes"),
    "aws:apigatewayv2/vpcLink:VpcLink": Provisioning(
        120, "estimate: a VPC link is 'PENDING' while its network interfaces are created"),
    "aws:servicediscovery/privateDnsNamespace:PrivateDnsNamespace": Provisioning(
        60, "estimate: Cloud Map creates a Route 53 private hosted zone (an asynchronous operation)"),
    "aws:efs/fileSystem:FileSystem": Provisioning(30, "estimate: 'creating' to 'available'"),
    "aws:efs/mountTarget:MountTarget": Provisioning(90, "estimate: a network interface in each subnet"),
    "aws:autoscaling/group:Group": Provisioning(120, "estimate: instances launched and registered with ECS"),
    "aws:kinesis/firehoseDeliveryStream:FirehoseDeliveryStream": Provisioning(60, "estimate: 'CREATING' to 'ACTIVE'"),
    "aws:dynamodb/table:Table": Provisioning(20, "estimate: 'CREATING' to 'ACTIVE' for an empty table"),
    "aws:lambda/function:Function": Provisioning(10, "estimate: 'Pending' to 'Active' (longer in a VPC)"),
    "aws:iam/role:Role": Provisioning(10, "estimate: IAM is eventually consistent; providers wait for propagation"),
    "docker-build:index:Image": Provisioning(120, "estimate: a container image built and pushed"),
}
DEFAULT = Provisioning(2, "one API call")

# Explicit dependencies (`dependsOn`) the code adds where no data flows, by (dependent type, dependency
# type), with the reason AWS needs them. An edge on the critical path that is not listed here is
# reported as unjustified.
EXPLICIT_EDGE_REASONS: Mapping[tuple[str, str], str] = {
    ("aws:ecs/service:Service", "aws:lb/listener:Listener"):
        "ECS refuses a target group not yet attached to a load balancer",
    ("aws:ecs/service:Service", "aws:lb/listenerRule:ListenerRule"):
        "ECS refuses a target group not yet attached to a load balancer",
    ("aws:ecs/service:Service", "aws:iam/rolePolicy:RolePolicy"):
        "tasks must start with every permission they need (IAM propagation), or the first ones fail",
    ("aws:ecs/service:Service", "aws:iam/rolePolicyAttachment:RolePolicyAttachment"):
        "tasks must start with every permission they need (IAM propagation), or the first ones fail",
    ("aws:ecs/service:Service", "aws:ec2/route:Route"):
        "tasks in public subnets pull images through the internet gateway route",
    ("aws:ecs/service:Service", "aws:ec2/routeTableAssociation:RouteTableAssociation"):
        "tasks in private subnets pull images through the NAT route",
    ("aws:ecs/service:Service", "aws:ecs/service:Service"):
        "Service Connect clients start after the servers they call, or their first calls fail",
    ("aws:ecs/service:Service", "aws:efs/mountTarget:MountTarget"):
        "a task mounting EFS fails to start before its subnet's mount target exists",
    ("aws:ecs/service:Service", "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule"):
        "the EFS mount is refused until NFS ingress admits the task",
    ("aws:lb/loadBalancer:LoadBalancer", "aws:ec2/route:Route"):
        "an internet-facing load balancer needs its subnets routed to the internet gateway",
    ("aws:lb/loadBalancer:LoadBalancer", "aws:ec2/routeTableAssociation:RouteTableAssociation"):
        "an internet-facing load balancer needs its subnets routed to the internet gateway",
    ("aws:lambda/function:Function", "aws:efs/mountTarget:MountTarget"):
        "Lambda refuses an EFS access point whose subnets have no mount target",
    ("aws:lambda/function:Function", "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule"):
        "Lambda checks that the function's group can reach the mount targets",
    ("aws:lambda/function:Function", "aws:iam/rolePolicy:RolePolicy"):
        "a VPC function's role must allow its network interfaces at creation; the first invocations log and "
        "reach what they connect to only once the role's policies exist (IAM propagation)",
    ("aws:ecs/service:Service", "aws:ecs/clusterCapacityProviders:ClusterCapacityProviders"):
        "ECS refuses a capacity provider strategy naming a provider the cluster does not have yet",
    ("aws:lambda/eventSourceMapping:EventSourceMapping", "aws:iam/rolePolicy:RolePolicy"):
        "Lambda checks at creation that the role may read the queue or stream",
    ("aws:sns/topicSubscription:TopicSubscription", "aws:lambda/permission:Permission"):
        "SNS invokes the function as soon as it is subscribed",
    ("aws:cloudwatch/eventTarget:EventTarget", "aws:lambda/permission:Permission"):
        "EventBridge invokes the function as soon as the target exists",
    ("aws:s3/bucketNotification:BucketNotification", "aws:lambda/permission:Permission"):
        "S3 tests the destination's permission when the notification is put",
    ("aws:s3/bucketNotification:BucketNotification", "aws:sqs/queuePolicy:QueuePolicy"):
        "S3 tests the destination's permission when the notification is put",
    ("aws:cloudwatch/logSubscriptionFilter:LogSubscriptionFilter", "aws:lambda/permission:Permission"):
        "CloudWatch Logs tests delivery when the filter is put",
    ("aws:cloudwatch/logSubscriptionFilter:LogSubscriptionFilter", "aws:iam/rolePolicy:RolePolicy"):
        "CloudWatch Logs tests delivery to Firehose with the role when the filter is put",
    ("aws:kinesis/firehoseDeliveryStream:FirehoseDeliveryStream", "aws:iam/rolePolicy:RolePolicy"):
        "Firehose checks its role's access to the backup bucket at creation",
    ("aws:s3/bucketPolicy:BucketPolicy", "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock"):
        "S3 refuses a public policy while the public access block is being replaced",
    ("aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration",
     "aws:s3/bucketVersioning:BucketVersioning"):
        "noncurrent-version rules need versioning on first",
    ("aws:autoscaling/group:Group", "aws:ec2/route:Route"):
        "instances register with ECS through the internet gateway route",
    ("aws:rds/instance:Instance", "aws:cloudwatch/logGroup:LogGroup"):
        "RDS would create the log groups itself, without our retention and tags",
    ("aws:rds/cluster:Cluster", "aws:cloudwatch/logGroup:LogGroup"):
        "RDS would create the log groups itself, without our retention and tags",
}


@dataclass(frozen=True)
class ExtraEdge:
    dependent: str  # URN
    dependency: str  # URN
    types: tuple[str, str]
    reason: str | None  # None: nothing in EXPLICIT_EDGE_REASONS justifies it


@dataclass(frozen=True)
class Chain:
    seconds: float
    urns: tuple[str, ...]  # first created first


@dataclass(frozen=True)
class CriticalPath:
    full: Chain  # what Pulumi waits for
    data_only: Chain  # what the data requires
    extra_edges: tuple[ExtraEdge, ...]  # explicit edges on the full chain

    @property
    def unjustified(self) -> tuple[ExtraEdge, ...]:
        return tuple(edge for edge in self.extra_edges if edge.reason is None)


def provisioning(resource_type: str) -> Provisioning:
    return PROVISIONING.get(resource_type, DEFAULT)


def _data_dependencies(resource: RecordedResource) -> set[str]:
    return {urn for urns in resource.property_dependencies.values() for urn in urns}


def _longest(resources: dict[str, RecordedResource], children: dict[str, list[str]],
             edges: dict[str, set[str]]) -> Chain:
    @cache
    def finish(urn: str) -> tuple[float, tuple[str, ...]]:
        resource = resources[urn]
        # A component is done when everything under it is; it waits on nothing itself.
        before = children.get(urn, []) if not resource.custom else sorted(edges.get(urn, ()))
        best: tuple[float, tuple[str, ...]] = (0.0, ())
        for previous in before:
            if previous in resources:
                candidate = finish(previous)
                if _longer(candidate, best):
                    best = candidate
        own = provisioning(resource.type).seconds if resource.custom else 0.0
        chain = (*best[1], urn) if resource.custom else best[1]
        return best[0] + own, chain

    result: tuple[float, tuple[str, ...]] = (0.0, ())
    for urn in resources:
        candidate = finish(urn)
        if _longer(candidate, result):
            result = candidate
    return Chain(result[0], result[1])


def _longer(candidate: tuple[float, tuple[str, ...]], best: tuple[float, tuple[str, ...]]) -> bool:
    """Whether chain `candidate` beats `best`: more seconds, or as many and the greater URNs.

    The tie-break makes the chain one graph yields independent of the order its resources registered
    in, which varies between runs; a chain of no seconds never replaces the empty one.
    """
    if candidate[0] != best[0]:
        return candidate[0] > best[0]
    return bool(best[1]) and candidate[1] > best[1]


def critical_path(recording: Recording) -> CriticalPath:
    """The full and the data-only chains of `recording`, and the explicit edges the full one follows."""
    resources = {r.urn: r for r in recording.resources if r.type != "pulumi:pulumi:Stack"}
    children: dict[str, list[str]] = {}
    for resource in resources.values():
        if resource.parent in resources:
            children.setdefault(resource.parent, []).append(resource.urn)
    full_edges = {urn: set(r.dependencies) for urn, r in resources.items()}
    data_edges = {urn: _data_dependencies(r) for urn, r in resources.items()}
    full = _longest(resources, children, full_edges)
    extra: list[ExtraEdge] = []
    for dependency, dependent in zip(full.urns, full.urns[1:], strict=False):
        if dependency in full_edges[dependent] and dependency not in data_edges[dependent]:
            types = (resources[dependent].type, resources[dependency].type)
            extra.append(ExtraEdge(dependent, dependency, types, EXPLICIT_EDGE_REASONS.get(types)))
    return CriticalPath(full, _longest(resources, children, data_edges), tuple(extra))
