"""The facts about `connectTo` that `validate` and the connection wiring (`stacktape_pulumi.components.connect`) share.

Which names `connectTo` accepts, which types it cannot scope, and which `STP_*` environment
variables connecting to a resource injects. Kept apart from components/connect.py, which builds IAM
statements with the Pulumi SDK, so the checks stay free of it.
"""

from collections.abc import Callable, Mapping
from typing import Any

SES_MACRO = "aws:ses"
CONNECT_TO_MACROS = (SES_MACRO,)
"""Names `connectTo` accepts that are not resources of the stack."""

ENV_PREFIX = "STP"

# Resource type → the referenceable params connecting to it injects as STP_* variables, in this order.
ENV_PARAMS: Mapping[str, tuple[str, ...]] = {
    "bucket": ("name", "arn"),
    "dynamo-db-table": ("name", "arn", "streamArn"),
    "sqs-queue": ("arn", "url", "name"),
    "sns-topic": ("arn", "name"),
    # Containers reach a filesystem through volumeMounts; the reference injects nothing for it.
    "efs-filesystem": (),
    "event-bus": ("arn", "archiveArn"),
    "function": ("arn", "logGroupArn", "url"),
    # The reference injects nothing for workloads (it registers no params for them).
    "multi-container-workload": (),
    "http-api-gateway": (),
    "application-load-balancer": (),
    "network-load-balancer": (),
    # The reference documents ADDRESS for a private service (its code refuses it; docs/decisions.md).
    "private-service": ("address",),
    "web-service": (),
    "worker-service": (),
    # The reference's params of a database (behaviour notes §3): Aurora adds the reader endpoint and its hosts, RDS
    # read replicas their hosts, connection strings and ports (at most 15 replicas).
    "relational-database": (
        "host", "port", "dbName", "connectionString", "jdbcConnectionString",
        "readerHost", "readerPort", "readerConnectionString", "readerJdbcConnectionString", "hosts",
        "readReplicaHosts", "readReplicaConnectionStrings", "readReplicaJdbcConnectionStrings",
        *(f"readReplica{index}Port" for index in range(15)),
    ),
}

# Params that hold credentials: connecting injects them from a Secrets Manager secret (ECS `valueFrom`, Lambda
# a Pulumi secret), never as a plain value.
SECRET_PARAMS: Mapping[str, tuple[str, ...]] = {
    "relational-database": ("connectionString", "jdbcConnectionString", "readerConnectionString",
                            "readerJdbcConnectionString", "readReplicaConnectionStrings",
                            "readReplicaJdbcConnectionStrings"),
}

NOT_CONNECTABLE_TYPES = ("http-api-gateway", "application-load-balancer", "network-load-balancer", "web-service",
                         "worker-service", "efs-filesystem")
"""Types `connectTo` cannot scope (the reference rejects them too): components/connect.py grants them no statements."""


# ---- environment variable names ---------------------------------------------------------

def _is_digit(char: str) -> bool:
    return "0" <= char <= "9"


def split_words(text: str) -> list[str]:
    """Words as change-case's `split`: cut at non-alphanumerics, lower/digit→upper and `ABc` boundaries.

    Digits stay attached to the word before them: `readReplica0Port` → `read`, `Replica0`, `Port`;
    `myAPIKey` → `my`, `API`, `Key`.
    """
    words: list[str] = []
    current = ""
    for index, char in enumerate(text):
        if not (char.isalpha() or _is_digit(char)):
            if current:
                words.append(current)
            current = ""
            continue
        if current:
            prev = current[-1]
            following = text[index + 1] if index + 1 < len(text) else ""
            lower_to_upper = char.isupper() and (prev.islower() or _is_digit(prev))
            acronym_end = char.isupper() and prev.isupper() and following.islower()
            if lower_to_upper or acronym_end:
                words.append(current)
                current = ""
        current += char
    if current:
        words.append(current)
    return words


def env_var_name(resource: str, param: str) -> str:
    """`STP_<RESOURCE>_<PARAM>` in upper snake case, as the reference's `injectedParameterEnvVarName`.

    (`myDatabase`, `connectionString`) → `STP_MY_DATABASE_CONNECTION_STRING`; nested names
    (`svc.containerWorkload`) split at the dot like at any other separator.
    """
    return "_".join(word.upper() for word in split_words(f"{ENV_PREFIX}_{resource}_{param}"))



def not_connectable_message(owner: str, target: str, resource_type: str) -> str:
    """The reference's error for a connectTo target it cannot scope (behaviour notes §3)."""
    return (f"Error in resource {owner}. ConnectTo section contains resource \"{target}\" of type "
            f"\"{resource_type}\". Resource type \"{resource_type}\" cannot be scoped by connectTo.")


def _streams(props: Any) -> bool:
    return bool(getattr(props, "streamType", None))


def _archives(props: Any) -> bool:
    archivation = getattr(props, "archivation", None)
    return archivation is not None and bool(archivation.enabled)


def _has_url(props: Any) -> bool:
    url = getattr(props, "url", None)
    return url is not None and bool(url.enabled)


def _logs(props: Any) -> bool:
    logging = getattr(props, "logging", None)
    return logging is None or not logging.disabled


def _clustered(props: Any) -> bool:
    return str(getattr(getattr(props, "engine", None), "type", "")).startswith("aurora-")


def _replicas(props: Any) -> int:
    engine = getattr(props, "engine", None)
    return 0 if _clustered(props) else len(getattr(getattr(engine, "properties", None), "readReplicas", None) or [])


def _named_database(props: Any) -> bool:
    return not str(getattr(getattr(props, "engine", None), "type", "")).startswith("sqlserver-")


_READER_PARAMS = ("readerHost", "readerPort", "readerConnectionString", "readerJdbcConnectionString", "hosts")
_REPLICA_PARAMS = ("readReplicaHosts", "readReplicaConnectionStrings", "readReplicaJdbcConnectionStrings")


def _replica_port(index: int) -> Callable[[Any], bool]:
    return lambda props: _replicas(props) > index


# Params a resource registers only with some config: (resource type, param) → "present for these props?".
CONDITIONAL_PARAMS: dict[tuple[str, str], Callable[[Any], bool]] = {
    **{("relational-database", param): _clustered for param in _READER_PARAMS},
    **{("relational-database", param): (lambda props: _replicas(props) > 0) for param in _REPLICA_PARAMS},
    **{("relational-database", f"readReplica{index}Port"): _replica_port(index) for index in range(15)},
    ("relational-database", "dbName"): _named_database,
    ("dynamo-db-table", "streamArn"): _streams,
    ("event-bus", "archiveArn"): _archives,
    ("function", "url"): _has_url,
    ("function", "logGroupArn"): _logs,
}


def injected_names(target: str, resource: Any) -> list[str]:
    """The `STP_*` names connecting to the config resource `target` injects (for validation)."""
    resource_type = str(getattr(resource, "type", None))
    props = getattr(resource, "properties", None)
    return [env_var_name(target, param) for param in ENV_PARAMS.get(resource_type, ())
            if CONDITIONAL_PARAMS.get((resource_type, param), lambda _: True)(props)]
