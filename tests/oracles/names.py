"""Physical names and tags within AWS's length and character limits, per resource type.

A name set explicitly in the inputs is checked in full. A resource without one gets a Pulumi
auto-name (`<logical name>-<7 random chars>`, which the provider truncates to the limit), so
only its logical name's characters are checked. Tags are checked on every resource: at most
50, keys 1-128 characters not starting with `aws:`, values at most 256.
"""

import re
from dataclasses import dataclass

from oracles import OPAQUE, Finding, custom, finding
from stacktape_pulumi.aws.naming import REPLACED_UNDER_ONE_NAME, replacement_suffix
from stacktape_pulumi.engine import RecordedResource, Recording

ORACLE = "names"


@dataclass(frozen=True)
class NameRule:
    key: str  # the input holding the name
    max_length: int
    pattern: str  # the whole name must match
    what: str  # the allowed characters, for the message
    autonamed: bool = True  # Pulumi derives the name from the logical name when `key` is absent
    forbidden_prefixes: tuple[str, ...] = ()
    no_edge_hyphen: bool = False


IAM_CHARS = r"[A-Za-z0-9_+=,.@-]+"
IAM_WHAT = "letters, digits and _+=,.@-"
ECS_CHARS = r"[A-Za-z0-9_-]+"
ECS_WHAT = "letters, digits, '-' and '_'"
ELB_CHARS = r"[A-Za-z0-9-]+"
ELB_WHAT = "letters, digits and '-'"
SG_CHARS = r"[A-Za-z0-9 ._\-:/()#,@\[\]+=&;{}!$*]+"
SG_WHAT = "letters, digits, spaces and ._-:/()#,@[]+=&;{}!$*"
RDS_ID = r"[A-Za-z](-?[A-Za-z0-9])*"
RDS_WHAT = "a letter, then letters, digits and single hyphens, not ending in '-'"
RDS_GROUP = r"[a-z](-?[a-z0-9])*"
RDS_GROUP_WHAT = "a lower-case letter, then lower-case letters, digits and single hyphens, not ending in '-'"
DNS_LABELS = r"[A-Za-z0-9_]([A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?(\.[A-Za-z0-9_]([A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?)*"

RULES: dict[str, list[NameRule]] = {
    "aws:iam/role:Role": [NameRule("name", 64, IAM_CHARS, IAM_WHAT)],
    "aws:iam/policy:Policy": [NameRule("name", 128, IAM_CHARS, IAM_WHAT)],
    "aws:iam/rolePolicy:RolePolicy": [NameRule("name", 128, IAM_CHARS, IAM_WHAT)],
    "aws:iam/instanceProfile:InstanceProfile": [NameRule("name", 128, IAM_CHARS, IAM_WHAT)],
    "aws:ecs/cluster:Cluster": [NameRule("name", 255, ECS_CHARS, ECS_WHAT)],
    "aws:ecs/service:Service": [NameRule("name", 255, ECS_CHARS, ECS_WHAT)],
    "aws:ecs/taskDefinition:TaskDefinition": [NameRule("family", 255, ECS_CHARS, ECS_WHAT, autonamed=False)],
    "aws:ecs/capacityProvider:CapacityProvider": [NameRule("name", 255, ECS_CHARS, ECS_WHAT,
                                                           forbidden_prefixes=("aws", "ecs", "fargate"))],
    "aws:cloudwatch/logGroup:LogGroup": [NameRule("name", 512, r"[.\-_/#A-Za-z0-9]+", "letters, digits and ._-/#")],
    "aws:lb/targetGroup:TargetGroup": [NameRule("name", 32, ELB_CHARS, ELB_WHAT, no_edge_hyphen=True)],
    "aws:lb/loadBalancer:LoadBalancer": [NameRule("name", 32, ELB_CHARS, ELB_WHAT, no_edge_hyphen=True,
                                                  forbidden_prefixes=("internal-",))],
    "aws:lambda/function:Function": [NameRule("name", 64, ECS_CHARS, ECS_WHAT)],
    "aws:lambda/alias:Alias": [NameRule("name", 128, ECS_CHARS, ECS_WHAT)],
    "aws:ec2/securityGroup:SecurityGroup": [
        NameRule("name", 255, SG_CHARS, SG_WHAT, forbidden_prefixes=("sg-",)),
        NameRule("description", 255, SG_CHARS, SG_WHAT, autonamed=False),
    ],
    "aws:appautoscaling/policy:Policy": [NameRule("name", 256, r"[^:\x00-\x1f]+", "printable characters but ':'")],
    "aws:servicediscovery/privateDnsNamespace:PrivateDnsNamespace": [
        NameRule("name", 253, DNS_LABELS, "DNS labels", autonamed=False)],
    "aws:servicediscovery/service:Service": [NameRule("name", 127, DNS_LABELS, "DNS labels")],
    "aws:apigatewayv2/api:Api": [NameRule("name", 128, r"[^\x00-\x1f]+", "printable characters")],
    "aws:apigatewayv2/vpcLink:VpcLink": [NameRule("name", 128, r"[^\x00-\x1f]+", "printable characters")],
    # botocore's ecr RepositoryName pattern: segments joined by '.', '_', '__' or any run of '-'.
    "aws:ecr/repository:Repository": [NameRule("name", 256, r"[a-z0-9]+((\.|_|__|-+)[a-z0-9]+)*"
                                               r"(/[a-z0-9]+((\.|_|__|-+)[a-z0-9]+)*)*", "lower-case path segments")],
    "aws:sqs/queue:Queue": [NameRule("name", 80, r"[A-Za-z0-9_-]+(\.fifo)?", ECS_WHAT)],
    "aws:sns/topic:Topic": [NameRule("name", 256, r"[A-Za-z0-9_-]+(\.fifo)?", ECS_WHAT)],
    "aws:cloudwatch/eventRule:EventRule": [NameRule("name", 64, r"[.\-_A-Za-z0-9]+", "letters, digits and ._-")],
    "aws:cloudwatch/metricAlarm:MetricAlarm": [NameRule("name", 255, r"[^\x00-\x1f]+", "printable characters")],
    # RDS identifiers: a letter first, letters, digits and single hyphens, no hyphen at the end (CreateDBInstance,
    # CreateDBCluster); the final snapshot's the same; subnet groups: letters, digits, spaces and ._- .
    "aws:rds/instance:Instance": [NameRule("identifier", 63, RDS_ID, RDS_WHAT),
                                  NameRule("finalSnapshotIdentifier", 255, RDS_ID, RDS_WHAT, autonamed=False)],
    "aws:rds/clusterInstance:ClusterInstance": [NameRule("identifier", 63, RDS_ID, RDS_WHAT)],
    "aws:rds/cluster:Cluster": [NameRule("clusterIdentifier", 63, RDS_ID, RDS_WHAT),
                                NameRule("finalSnapshotIdentifier", 255, RDS_ID, RDS_WHAT, autonamed=False)],
    # Parameter and option groups (CreateDBParameterGroup, CreateDBClusterParameterGroup, CreateOptionGroup): 1-255
    # lower-case letters, digits and single hyphens, a letter first, no hyphen at the end.
    "aws:rds/parameterGroup:ParameterGroup": [NameRule("name", 255, RDS_GROUP, RDS_GROUP_WHAT)],
    "aws:rds/clusterParameterGroup:ClusterParameterGroup": [NameRule("name", 255, RDS_GROUP, RDS_GROUP_WHAT)],
    "aws:rds/optionGroup:OptionGroup": [NameRule("name", 255, RDS_GROUP, RDS_GROUP_WHAT)],
    # S3 bucket names: 3-63 lower-case letters, digits, '.' and '-', a letter or digit at each end (S3 User
    # Guide, "General purpose bucket naming rules"); the provider completes a bucketPrefix with 26 characters.
    "aws:s3/bucket:Bucket": [NameRule("bucket", 63, r"[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]", "lower-case letters, digits, "
                                      "'.' and '-'", autonamed=False),
                             NameRule("bucketPrefix", 37, r"[a-z0-9][a-z0-9.-]*", "lower-case letters, digits, "
                                      "'.' and '-'", autonamed=False)],
    "aws:rds/subnetGroup:SubnetGroup": [NameRule("name", 255, r"[a-z0-9 ._-]+", "lower-case letters, digits, "
                                                 "spaces and ._-", forbidden_prefixes=("default",))],
}
MAX_TAGS = 50
MAX_TAG_KEY = 128
MAX_TAG_VALUE = 256


def check(recording: Recording) -> list[Finding]:
    found: list[Finding] = []
    for r in custom(recording):
        for rule in RULES.get(r.type, []):
            found += check_name(r, rule)
        found += check_replacement(r)
        found += check_tags(r)
    return found


def check_name(r: RecordedResource, rule: NameRule) -> list[Finding]:
    value = r.inputs.get(rule.key)
    if value is None:
        if not rule.autonamed or r.inputs.get("namePrefix") is not None:
            return []
        # The auto-name keeps the logical name's characters; the provider fits the length.
        if not re.fullmatch(rule.pattern, r.name):
            return [finding(ORACLE, "charset", r, f"no {rule.key} set, so AWS gets the logical name {r.name!r} "
                            f"plus a suffix; it may contain only {rule.what}", rule.key)]
        return []
    if not isinstance(value, str) or value in OPAQUE:
        return []
    problems: list[str] = []
    if not 1 <= len(value) <= rule.max_length:
        problems.append(f"is {len(value)} characters; AWS allows 1-{rule.max_length}")
    if not re.fullmatch(rule.pattern, value):
        problems.append(f"may contain only {rule.what}")
    for prefix in rule.forbidden_prefixes:
        if value.lower().startswith(prefix):
            problems.append(f"must not start with {prefix!r}")
    if rule.no_edge_hyphen and (value.startswith("-") or value.endswith("-")):
        problems.append("must not start or end with '-'")
    return [finding(ORACLE, "limit", r, f"{rule.key} {value!r} {p}", rule.key) for p in problems]


def check_replacement(r: RecordedResource) -> list[Finding]:
    """A type AWS replaces under one name needs an auto-name, a name that changes with what replaces it, or
    `deleteBeforeReplace`; otherwise the replacement cannot be created beside its predecessor (issue 16)."""
    rule = REPLACED_UNDER_ONE_NAME.get(r.type)
    name = r.inputs.get(rule.name_key) if rule else None
    if rule is None or name is None or r.delete_before_replace:
        return []
    if rule.strategy == "suffixed" and isinstance(name, str):
        expected = replacement_suffix({key: r.inputs.get(key) for key in rule.replacing_inputs})
        if name.endswith(f"-{expected}"):
            return []
    return [finding(ORACLE, "replace", r, f"{rule.name_key} {name!r} stays when a change of "
                    f"{', '.join(rule.replacing_inputs)} replaces the resource, so the replacement cannot be "
                    f"created beside it ({rule.strategy} expected)", rule.name_key)]


def check_tags(r: RecordedResource) -> list[Finding]:
    tags = r.inputs.get("tags")
    if not isinstance(tags, dict):
        return []
    found: list[Finding] = []
    if len(tags) > MAX_TAGS:
        found.append(finding(ORACLE, "tags", r, f"{len(tags)} tags; AWS allows at most {MAX_TAGS}", "tags"))
    for key, value in tags.items():
        if not 1 <= len(key) <= MAX_TAG_KEY or key.lower().startswith("aws:"):
            found.append(finding(ORACLE, "tags", r, f"tag key {key!r} must be 1-{MAX_TAG_KEY} characters and not "
                                 "start with 'aws:'", key))
        if isinstance(value, str) and len(value) > MAX_TAG_VALUE:
            found.append(finding(ORACLE, "tags", r, f"tag {key!r} value is {len(value)} characters; AWS allows "
                                 f"at most {MAX_TAG_VALUE}", key))
    return found
