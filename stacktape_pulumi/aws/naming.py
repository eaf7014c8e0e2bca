"""Physical AWS names: `<stack>-<resource>-<suffix>`, shortened with a stable hash when too long."""

import hashlib
import re

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


def lower_kebab(text: str) -> str:
    """`apiServer` → `api-server`; used where AWS wants lower-case names."""
    text = re.sub(r"([a-z0-9])([A-Z])", r"\1-\2", text)
    return re.sub(r"[^a-zA-Z0-9-]+", "-", text).strip("-").lower()
