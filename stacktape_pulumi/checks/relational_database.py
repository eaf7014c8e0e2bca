"""`relational-database`: what RDS would refuse, and what this version cannot build yet.

Limits come from RDS's own contract: the request shapes of botocore's RDS model (`DBInstanceClass`,
`EngineVersion`, `MaintenanceWindow`; tests/test_relational_database.py compares the patterns
below with the model) and the documented quotas (storage per engine, read replicas per engine,
backup retention, master user name and database name rules in the RDS user guide's
CreateDBInstance parameters).
"""

import ipaddress
import re

from stacktape_pulumi.aws.rds_parameters import parameter_group_family
from stacktape_pulumi.config.models.relational_database import (
    LOG_TYPES,
    AuroraEngine,
    AuroraServerlessEngine,
    AuroraServerlessV2Engine,
    MysqlLoggingOptions,
    PostgresLoggingOptions,
    RdsEngine,
    RelationalDatabaseProps,
    engine_family,
)
from stacktape_pulumi.config.models.shared import did_you_mean, is_directive
from stacktape_pulumi.errors import KeyPath, Problem

# botocore rds 2014-10-31: shapes DBInstanceClass, EngineVersion, MaintenanceWindow (pattern, max length).
INSTANCE_CLASS = re.compile(r"db\.[0-9a-z]{2,6}\.[0-9a-z\.]{4,20}")
INSTANCE_CLASS_MAX = 30
ENGINE_VERSION = re.compile(r"[a-z0-9_.-]+")
ENGINE_VERSION_MAX = 64
# RDS: `ddd:hh24:mi-ddd:hh24:mi` in UTC, at least 30 minutes long.
MAINTENANCE_WINDOW = re.compile(r"(mon|tue|wed|thu|fri|sat|sun):([01]\d|2[0-3]):([0-5]\d)-"
                                r"(mon|tue|wed|thu|fri|sat|sun):([01]\d|2[0-3]):([0-5]\d)", re.IGNORECASE)
DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
MIN_MAINTENANCE_MINUTES = 30
# Storage (GiB) per family (RDS user guide, "Amazon RDS DB instance storage": gp2/gp3 ranges).
STORAGE_LIMITS = {"postgres": (20, 65536), "mysql": (20, 65536), "mariadb": (20, 65536), "oracle": (20, 65536),
                  "sqlserver": (20, 16384)}
# Read replicas per source instance (RDS quotas): 15 for MySQL, MariaDB and PostgreSQL, 5 for Oracle and SQL Server.
MAX_READ_REPLICAS = {"postgres": 15, "mysql": 15, "mariadb": 15, "oracle": 5, "sqlserver": 5}
# Engines whose editions have no read replicas (SQL Server Express and Web; Oracle SE2 only mounted ones).
NO_READ_REPLICAS = ("sqlserver-ex", "sqlserver-web", "oracle-se2")
# Master user name: starts with a letter, letters, digits and '_'; length per family (CreateDBInstance).
MASTER_USER_NAME = re.compile(r"[A-Za-z][A-Za-z0-9_]*")
MASTER_USER_NAME_MAX = {"postgres": 63, "mysql": 16, "mariadb": 16, "oracle": 30, "sqlserver": 128}
# Database name per family (CreateDBInstance `DBName`): PostgreSQL 63, MySQL/MariaDB 64, Oracle SID 8 alphanumerics.
DB_NAME = {"postgres": (re.compile(r"[A-Za-z][A-Za-z0-9_]*"), 63, "letters, digits and '_'"),
           "mysql": (re.compile(r"[A-Za-z][A-Za-z0-9_]*"), 64, "letters, digits and '_'"),
           "mariadb": (re.compile(r"[A-Za-z][A-Za-z0-9_]*"), 64, "letters, digits and '_'"),
           "oracle": (re.compile(r"[A-Za-z][A-Za-z0-9]*"), 8, "letters and digits")}
SECRET_DIRECTIVES = ("$Secret(", "$SsmParam(")
VPC_MODES = ("vpc", "scoping-workloads-in-vpc")


def database_problems(name: str, props: RelationalDatabaseProps | None) -> list[Problem]:
    """Every rule of one database's properties."""
    if props is None:
        return []
    problems: list[Problem] = []
    problems += _engine_problems(props)
    problems += _credential_problems(props)
    problems += _accessibility_problems(props)
    problems += _operation_problems(props)
    problems += _logging_problems(props)
    problems += _engine_option_problems(props)
    problems += _parameter_group_problems(props)
    return problems


def accessibility_mode(props: RelationalDatabaseProps) -> str:
    """The mode written, else the default: `internet` (the reference's); Aurora Serverless: scoping-workloads-in-vpc."""
    if props.accessibility is not None and "accessibilityMode" in props.accessibility.model_fields_set:
        return props.accessibility.accessibilityMode
    return "scoping-workloads-in-vpc" if isinstance(props.engine, AuroraServerlessV2Engine) else "internet"


# ---- engine -----------------------------------------------------------------------------

def _engine_problems(props: RelationalDatabaseProps) -> list[Problem]:
    engine = props.engine
    if isinstance(engine, AuroraServerlessEngine):
        return [Problem(("engine", "type"), f"engine type '{engine.type}' (Aurora Serverless v1) is not supported "
                        "yet: AWS ended Aurora Serverless v1 and no longer creates such clusters",
                        hint=f"use '{engine.type}-v2' with properties.version and minCapacity/maxCapacity")]
    family = engine_family(engine.type)
    base: KeyPath = ("engine", "properties")
    problems = _version_problems(engine.properties.version, (*base, "version"))
    db_name = engine.properties.dbName
    if db_name is not None:
        problems += _db_name_problems(engine.type, family, db_name, (*base, "dbName"))
    if isinstance(engine, RdsEngine):
        problems += _rds_problems(engine, family, base)
    elif isinstance(engine, AuroraEngine):
        for index, instance in enumerate(engine.properties.instances):
            problems += _instance_size_problems(instance.instanceSize, (*base, "instances", index, "instanceSize"))
    else:
        capacity = engine.properties
        if capacity.maxCapacity < capacity.minCapacity:
            problems.append(Problem((*base, "maxCapacity"), f"maxCapacity ({capacity.maxCapacity:g}) must be at least "
                                    f"minCapacity ({capacity.minCapacity:g})"))
    return problems


def _version_problems(version: str, path: KeyPath) -> list[Problem]:
    if len(version) <= ENGINE_VERSION_MAX and ENGINE_VERSION.fullmatch(version):
        return []
    return [Problem(path, f"engine version '{version}' is not valid: RDS accepts up to {ENGINE_VERSION_MAX} "
                    "lower-case letters, digits, '.', '_' and '-'", hint="for example '16.6' or '8.0.40'")]


def _instance_size_problems(size: str, path: KeyPath) -> list[Problem]:
    if len(size) <= INSTANCE_CLASS_MAX and INSTANCE_CLASS.fullmatch(size):
        return []
    return [Problem(path, f"instance size '{size}' is not an RDS instance class (db.<family>.<size>)",
                    hint="for example db.t4g.micro, db.t4g.medium or db.r6g.large")]


def _db_name_problems(engine_type: str, family: str, db_name: str, path: KeyPath) -> list[Problem]:
    if family == "sqlserver":
        return [Problem(path, f"dbName is not applicable to {engine_type}: SQL Server creates no database on "
                        "initialization", hint="remove dbName and create databases with CREATE DATABASE", at_key=True)]
    pattern, limit, allowed = DB_NAME[family]
    if len(db_name) <= limit and pattern.fullmatch(db_name):
        return []
    return [Problem(path, f"dbName '{db_name}' is not valid for {engine_type}: 1-{limit} {allowed}, starting with a "
                    "letter", hint="for example 'appdb'")]


def _rds_problems(engine: RdsEngine, family: str, base: KeyPath) -> list[Problem]:
    props = engine.properties
    problems = _instance_size_problems(props.primaryInstance.instanceSize, (*base, "primaryInstance", "instanceSize"))
    replicas = props.readReplicas or []
    for index, replica in enumerate(replicas):
        problems += _instance_size_problems(replica.instanceSize, (*base, "readReplicas", index, "instanceSize"))
    if replicas and engine.type in NO_READ_REPLICAS:
        problems.append(Problem((*base, "readReplicas"), f"{engine.type} has no read replicas",
                                hint="use the enterprise edition (oracle-ee, sqlserver-ee) or remove readReplicas",
                                at_key=True))
    elif len(replicas) > MAX_READ_REPLICAS[family]:
        problems.append(Problem((*base, "readReplicas"), f"{len(replicas)} read replicas; RDS allows at most "
                                f"{MAX_READ_REPLICAS[family]} for {engine.type}", at_key=True))
    if props.storage is not None:
        low, high = STORAGE_LIMITS[family]
        storage = props.storage
        for key, size in (("initialSize", storage.initialSize), ("maxSize", storage.maxSize)):
            if key in storage.model_fields_set and not low <= size <= high:
                problems.append(Problem((*base, "storage", key), f"{key} {size} GB is outside what RDS allows for "
                                        f"{engine.type}: {low}-{high} GB"))
        # RDS storage autoscaling: the maximum must be at least 10 % above the allocated storage.
        needed = -(-storage.initialSize * 11 // 10)
        if storage.maxSize < needed:
            problems.append(Problem((*base, "storage", "maxSize"), f"maxSize ({storage.maxSize} GB) must be at least "
                                    f"10% above initialSize ({storage.initialSize} GB): RDS storage autoscaling "
                                    f"needs a maximum of at least {needed} GB", hint=f"set maxSize: {needed} or more"))
    return problems


# ---- credentials and access --------------------------------------------------------------

def _credential_problems(props: RelationalDatabaseProps) -> list[Problem]:
    problems: list[Problem] = []
    credentials = props.credentials
    family = engine_family(props.engine.type)
    user = credentials.masterUserName
    limit = MASTER_USER_NAME_MAX[family]
    if len(user) > limit or not MASTER_USER_NAME.fullmatch(user):
        problems.append(Problem(("credentials", "masterUserName"), f"masterUserName '{user}' is not valid for "
                                f"{props.engine.type}: 1-{limit} letters, digits and '_', starting with a letter",
                                hint="for example db_master_user"))
    password = credentials.masterUserPassword
    if isinstance(password, str) and not password.startswith(SECRET_DIRECTIVES):
        what = "a directive that is not a secret" if is_directive(password) else "a literal"
        problems.append(Problem(
            ("credentials", "masterUserPassword"),
            f"masterUserPassword is {what}: the password would be stored in plain text in the stack's state and in "
            "every connection string",
            hint="store it in Secrets Manager and write $Secret('<secret-name>') or $Secret('<secret-name>.password')"))
    return problems


def _accessibility_problems(props: RelationalDatabaseProps) -> list[Problem]:
    access = props.accessibility
    mode = accessibility_mode(props)
    problems: list[Problem] = []
    base: KeyPath = ("accessibility",)
    if isinstance(props.engine, AuroraServerlessV2Engine) and mode not in VPC_MODES:
        problems.append(Problem((*base, "accessibilityMode"), f"Aurora Serverless engines only support 'vpc' or "
                                f"'scoping-workloads-in-vpc' accessibility; got '{mode}'",
                                hint="set accessibilityMode: scoping-workloads-in-vpc"))
    if access is None:
        return problems
    if mode == "internet" and access.forceDisablePublicIp:
        problems.append(Problem((*base, "forceDisablePublicIp"), "forceDisablePublicIp leaves an 'internet' database "
                                "unreachable from the internet", hint="use accessibilityMode: vpc or "
                                "scoping-workloads-in-vpc for a database without a public IP", at_key=True))
    ips = access.whitelistedIps or []
    if ips and mode == "internet":
        problems.append(Problem((*base, "whitelistedIps"), "whitelistedIps has no effect in 'internet' mode: the "
                                "database already accepts every address", hint="set accessibilityMode: "
                                "whitelisted-ips-only (or vpc) to restrict access to these addresses", at_key=True))
    if mode == "whitelisted-ips-only" and not ips:
        problems.append(Problem((*base, "accessibilityMode"), "'whitelisted-ips-only' without whitelistedIps admits "
                                "no address but the resources that connectTo the database",
                                hint="list the addresses in whitelistedIps, or use scoping-workloads-in-vpc"))
    for index, ip in enumerate(ips):
        try:
            network = ipaddress.ip_network(ip, strict=False)
        except ValueError:
            problems.append(Problem((*base, "whitelistedIps", index), f"'{ip}' is not an IP address or CIDR range",
                                    hint="for example 203.0.113.50 or 203.0.113.0/24"))
            continue
        if network.prefixlen == 0:
            problems.append(Problem((*base, "whitelistedIps", index), f"'{ip}' admits every address",
                                    hint="use accessibilityMode: internet to open the database to everyone"))
    return problems


def whitelisted_cidrs(props: RelationalDatabaseProps) -> list[str]:
    """`whitelistedIps` as CIDR ranges (a bare address is its /32 or /128), in the order written."""
    access = props.accessibility
    return [str(ipaddress.ip_network(ip, strict=False)) for ip in (access.whitelistedIps or [])] if access else []


# ---- operations and logs -------------------------------------------------------------------

def _operation_problems(props: RelationalDatabaseProps) -> list[Problem]:
    problems: list[Problem] = []
    is_rds = isinstance(props.engine, RdsEngine)
    if not is_rds and props.automatedBackupRetentionDays == 0:
        problems.append(Problem(("automatedBackupRetentionDays",), "automatedBackupRetentionDays 0 (no backups) is "
                                "for RDS engines only: Aurora keeps backups 1-35 days", hint="use 1 to 35"))
    if is_rds and isinstance(props.engine, RdsEngine) and props.engine.properties.readReplicas \
            and props.automatedBackupRetentionDays == 0:
        problems.append(Problem(("automatedBackupRetentionDays",), "read replicas need automated backups of the "
                                "primary: automatedBackupRetentionDays must be 1 or more", hint="use 1 to 35"))
    window = props.preferredMaintenanceWindow
    if window is not None:
        problems += _window_problems(window)
    return problems


def _window_problems(window: str) -> list[Problem]:
    path: KeyPath = ("preferredMaintenanceWindow",)
    match = MAINTENANCE_WINDOW.fullmatch(window)
    if match is None:
        return [Problem(path, f"preferredMaintenanceWindow '{window}' is not ddd:hh:mm-ddd:hh:mm (UTC)",
                        hint="for example Sun:02:00-Sun:04:00")]
    start_day, start_h, start_m, end_day, end_h, end_m = match.groups()
    start = DAYS.index(start_day.lower()) * 1440 + int(start_h) * 60 + int(start_m)
    end = DAYS.index(end_day.lower()) * 1440 + int(end_h) * 60 + int(end_m)
    length = (end - start) % (7 * 1440)
    if length < MIN_MAINTENANCE_MINUTES:
        return [Problem(path, f"preferredMaintenanceWindow '{window}' lasts {length} minutes; RDS needs at least "
                        f"{MIN_MAINTENANCE_MINUTES}", hint="for example Sun:02:00-Sun:04:00")]
    return []


def _logging_problems(props: RelationalDatabaseProps) -> list[Problem]:
    logging = props.logging
    if logging is None:
        return []
    problems: list[Problem] = []
    if logging.logForwarding is not None:
        problems.append(Problem(("logging", "logForwarding"), "logForwarding is not supported yet for "
                                "relational-database", hint="subscribe the /aws/rds log groups to a Firehose stream "
                                "with pulumi_aws.cloudwatch.LogSubscriptionFilter", at_key=True))
    allowed = LOG_TYPES[engine_family(props.engine.type)]
    for index, log_type in enumerate(logging.logTypes or []):
        if log_type not in allowed:
            problems.append(Problem(("logging", "logTypes", index), f"log type '{log_type}' is not exported by "
                                    f"{props.engine.type}; allowed: {', '.join(allowed)}",
                                    hint=did_you_mean(log_type, allowed)))
    return problems


# Which options object each family takes (`logging.engineSpecificOptions`).
OPTIONS_BY_FAMILY: dict[str, type[PostgresLoggingOptions | MysqlLoggingOptions]] = {
    "postgres": PostgresLoggingOptions, "mysql": MysqlLoggingOptions, "mariadb": MysqlLoggingOptions}


def engine_logging_options(props: RelationalDatabaseProps) -> PostgresLoggingOptions | MysqlLoggingOptions | None:
    """The logging options the database's parameter group applies: the engine's keys written, the reference's
    defaults for the rest.

    None when logging is disabled, for engines without options (Oracle, SQL Server) and Aurora Serverless v1.
    """
    logging = props.logging
    kind = OPTIONS_BY_FAMILY.get(engine_family(props.engine.type))
    if kind is None or isinstance(props.engine, AuroraServerlessEngine) or (logging is not None and logging.disabled):
        return None
    written = logging.engineSpecificOptions if logging is not None else None
    if written is None:
        return kind()
    return kind(**{key: getattr(written, key) for key in kind.model_fields
                   if key in written.model_fields_set and getattr(written, key) is not None})


def _engine_option_problems(props: RelationalDatabaseProps) -> list[Problem]:
    logging = props.logging
    options = logging.engineSpecificOptions if logging is not None else None
    engine = props.engine
    if options is None or logging is None or isinstance(engine, AuroraServerlessEngine):
        return []
    path: KeyPath = ("logging", "engineSpecificOptions")
    kind = OPTIONS_BY_FAMILY.get(engine_family(engine.type))
    if kind is None:
        return [Problem(path, f"engineSpecificOptions apply to PostgreSQL, MySQL and MariaDB engines; {engine.type} "
                        "has none", hint="remove engineSpecificOptions", at_key=True)]
    if logging.disabled:
        return [Problem(path, "engineSpecificOptions have no effect with logging.disabled: true",
                        hint="remove engineSpecificOptions or logging.disabled", at_key=True)]
    allowed = tuple(kind.model_fields)
    problems = [Problem((*path, key), f"'{key}' is not a logging option of {engine.type}; allowed: "
                        f"{', '.join(allowed)}", hint=did_you_mean(key, allowed), at_key=True)
                for key in type(options).model_fields if key in options.model_fields_set and key not in allowed]
    query_time = options.long_query_time
    if query_time is not None and -1 < query_time < 0:
        problems.append(Problem((*path, "long_query_time"), f"long_query_time {query_time:g} is not valid: -1 (off) "
                                "or 0 and more seconds", hint="for example 10"))
    return problems


def _parameter_group_problems(props: RelationalDatabaseProps) -> list[Problem]:
    """The DB parameter group's family is derived from the version: it must name enough of it."""
    engine = props.engine
    if isinstance(engine, AuroraServerlessEngine) or engine_logging_options(props) is None:
        return []
    version = engine.properties.version
    if parameter_group_family(engine.type, version) is None:
        return [Problem(("engine", "properties", "version"), f"engine version '{version}' does not name the major "
                        f"and minor version the {engine.type} DB parameter group (its logging parameters) needs",
                        hint="for example '8.0.40' (MySQL), '10.11.9' (MariaDB) or '16.6' (PostgreSQL)")]
    return []
