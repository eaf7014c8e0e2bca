"""Physical AWS names: `<stack>-<resource>-<suffix>`, shortened with a stable hash when too long.

Which resources get such a fixed name, and which leave it to Pulumi, is `REPLACED_UNDER_ONE_NAME`
(docs/decisions.md, "Physical names").
"""

import hashlib
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

# Limits per AWS resource kind (characters).
LIMITS = {
    "ecs-cluster": 255,
    "task-family": 255,
    "iam-role": 64,
    "iam-policy": 128,
    "security-group": 255,
    "log-group": 512,
    "namespace": 63,
    "target-group": 32,
    "load-balancer": 32,
    "lambda": 64,
    "asg": 255,
    "scaling-policy": 255,
    "service": 255,
    "delivery-stream": 64,  # botocore DeliveryStreamName
    "efs": 256,  # the Name tag of a filesystem (EC2/EFS tag values)
    # botocore rds CreateDBParameterGroup / CreateDBClusterParameterGroup / CreateOptionGroup: 1-255 letters,
    # digits and hyphens, a letter first, no two hyphens in a row, none at the end (stored lower-case).
    "db-parameter-group": 255,
    "db-option-group": 255,
    "schedule": 64,  # botocore scheduler CreateSchedule Name
    "service-connect-alias": 127,  # ECS ServiceConnectClientAlias dnsName (API reference)
    "service-connect-discovery": 64,  # ECS ServiceConnectService discoveryName (API reference)
    "dns-label": 63,  # one DNS label: a Cloud Map service name (RFC 1035; botocore servicediscovery CreateService)
}

# How a type of `REPLACED_UNDER_ONE_NAME` avoids the clash: Pulumi's auto-name, a fixed name that
# ends in `replacement_suffix` of the replacing inputs, or a fixed name with `deleteBeforeReplace`.
Strategy = Literal["auto-name", "suffixed", "delete-first"]


@dataclass(frozen=True)
class Replacement:
    """How AWS replaces a resource type whose name is unique: the input holding the name, the other
    inputs whose change makes AWS create a new resource (Terraform's ForceNew), and our way out."""

    name_key: str
    replacing_inputs: tuple[str, ...]
    strategy: Strategy


# Types AWS replaces on a change of an input other than their unique name. Pulumi creates the new
# resource before it deletes the old, so under one fixed name the creation fails (the name is taken).
# Types left out keep a fixed readable name: AWS replaces them only when that name changes, or the
# inputs that replace them move the name to another scope (a queue or topic gains `.fifo`, a Cloud
# Map service moves to another namespace, a scaling policy to another target, a rule to another
# bus), or we never change those inputs (a delivery stream's destination is always `http_endpoint`).
REPLACED_UNDER_ONE_NAME: dict[str, Replacement] = {
    # 32 characters: Pulumi's auto-name (the logical name + 8 characters, refused when longer than
    # the limit, never shortened) would refuse most of our logical names.
    "aws:lb/loadBalancer:LoadBalancer": Replacement("name", ("internal", "loadBalancerType"), "suffixed"),
    "aws:lb/targetGroup:TargetGroup": Replacement(
        "name", ("port", "protocol", "protocolVersion", "targetType", "vpcId"), "suffixed"),
    "aws:ec2/securityGroup:SecurityGroup": Replacement("name", ("description", "vpcId"), "auto-name"),
    "aws:dynamodb/table:Table": Replacement("name", ("hashKey", "rangeKey", "localSecondaryIndexes"), "auto-name"),
    "aws:ecs/service:Service": Replacement("name", ("launchType", "schedulingStrategy"), "auto-name"),
    # The namespace's name is the DNS domain its services answer under: it takes no suffix.
    "aws:servicediscovery/privateDnsNamespace:PrivateDnsNamespace": Replacement("name", ("vpc",), "delete-first"),
    # RDS writes its logs to groups named after the identifier, which we create first (with their
    # retention), so the identifier must be known before the database exists.
    "aws:rds/instance:Instance": Replacement(
        "identifier", ("engine", "dbName", "username", "storageEncrypted", "kmsKeyId", "availabilityZone"),
        "delete-first"),
    "aws:rds/cluster:Cluster": Replacement(
        "clusterIdentifier",
        ("engine", "databaseName", "masterUsername", "storageEncrypted", "kmsKeyId", "availabilityZones"),
        "delete-first"),
    "aws:rds/clusterInstance:ClusterInstance": Replacement(
        "identifier", ("engine", "clusterIdentifier"), "delete-first"),
}
REPLACEMENT_SUFFIX_LENGTH = 6


def name_safe(text: str) -> str:
    """`text` with each run of characters other than letters, digits and `-` made one `-`, and then a hash.

    A stage is a Pulumi stack name and a project a Pulumi project name; both may hold `_` and `.`,
    which ELB names refuse (and ECS, Lambda and SQS names `.`). The hash of the original keeps
    `prod_eu` and `prod-eu` apart; text that is already safe is unchanged.
    """
    clean = re.sub(r"[^A-Za-z0-9-]+", "-", text)
    if clean == text:
        return text
    return f"{clean}-{hashlib.shake_256(text.encode()).hexdigest(3)}"


def fit(name: str, limit: int) -> str:
    """`name` if it fits, else its first `limit - 7` characters + `-` + 6 hex chars of its hash.

    The hash keeps distinct long names distinct and the same long name stable across runs.
    """
    if len(name) <= limit:
        return name
    digest = hashlib.shake_256(name.encode()).hexdigest(3)
    return f"{name[: limit - 7]}-{digest}"


def physical(kind: str, *parts: str) -> str:
    """A physical name for an AWS resource of `kind` joined from `parts` with `-`."""
    return fit("-".join(p for p in parts if p), LIMITS[kind])


def _canonical(value: object) -> object:
    # The engine hands numbers back as floats: 80 and 80.0 are one port.
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, Mapping):
        return {str(k): _canonical(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_canonical(v) for v in value]
    return value


def replacement_suffix(replacing: Mapping[str, object]) -> str:
    """6 hex characters of the inputs that replace a resource (engine names → values; None: unset).

    A name ending in it changes whenever AWS must replace the resource, so the replacement never
    asks for the name its predecessor still holds.
    """
    text = json.dumps(_canonical({k: v for k, v in replacing.items() if v is not None}), sort_keys=True)
    return hashlib.sha256(text.encode()).hexdigest()[:REPLACEMENT_SUFFIX_LENGTH]


def suffixed(kind: str, replacing: Mapping[str, object], *parts: str) -> str:
    """`physical(kind, *parts)`, shortened to leave room for `-<replacement_suffix(replacing)>`."""
    base = fit("-".join(p for p in parts if p), LIMITS[kind] - REPLACEMENT_SUFFIX_LENGTH - 1)
    return f"{base}-{replacement_suffix(replacing)}"


def lower_kebab(text: str) -> str:
    """`apiServer` → `api-server`; used where AWS wants lower-case names."""
    text = re.sub(r"([a-z0-9])([A-Z])", r"\1-\2", text)
    return re.sub(r"[^a-zA-Z0-9-]+", "-", text).strip("-").lower()
