"""The `relational-database` resource: an RDS instance, an Aurora cluster or Aurora Serverless v2.

Reference `relational-databases.d.ts`. Property names, defaults and limits follow it; the engine
tables (families, ports, log types) are here so that `validate` and the component read one list.
The rules that need several fields (storage per engine, accessibility per engine, the password
being a secret) are in `checks/relational_database.py`.
"""

from typing import Annotated, Any, Literal

from pydantic import AfterValidator, Field
from pydantic.json_schema import SkipJsonSchema

from stacktape_pulumi.config.models.common import OutputValue, Port, RetentionDays, StrictModel
from stacktape_pulumi.config.models.dynamo_db_table import DevModeConfig
from stacktape_pulumi.config.models.shared import LogForwarding, NonEmptyStr, Overrides, rejecting

DATABASE_TYPE = "relational-database"

RdsEngineType = Literal["postgres", "mariadb", "mysql", "oracle-ee", "oracle-se2", "sqlserver-ee", "sqlserver-ex",
                        "sqlserver-se", "sqlserver-web"]
AuroraEngineType = Literal["aurora-mysql", "aurora-postgresql"]
AuroraServerlessEngineType = Literal["aurora-mysql-serverless", "aurora-postgresql-serverless"]
AuroraServerlessV2EngineType = Literal["aurora-mysql-serverless-v2", "aurora-postgresql-serverless-v2"]

# Engine type → family: what decides ports, URL schemes, log types and name rules.
ENGINE_FAMILIES: dict[str, str] = {
    "postgres": "postgres", "aurora-postgresql": "postgres", "aurora-postgresql-serverless": "postgres",
    "aurora-postgresql-serverless-v2": "postgres",
    "mysql": "mysql", "aurora-mysql": "mysql", "aurora-mysql-serverless": "mysql",
    "aurora-mysql-serverless-v2": "mysql",
    "mariadb": "mariadb",
    "oracle-ee": "oracle", "oracle-se2": "oracle",
    "sqlserver-ee": "sqlserver", "sqlserver-ex": "sqlserver", "sqlserver-se": "sqlserver", "sqlserver-web": "sqlserver",
}
# The reference's port defaults: PostgreSQL 5432, MySQL/MariaDB 3306, Oracle 1521, SQL Server 1433.
DEFAULT_PORTS = {"postgres": 5432, "mysql": 3306, "mariadb": 3306, "oracle": 1521, "sqlserver": 1433}
# The reference's log types per family (`logging.logTypes`).
LOG_TYPES: dict[str, tuple[str, ...]] = {
    "postgres": ("postgresql",),
    "mysql": ("audit", "error", "general", "slowquery"),
    "mariadb": ("audit", "error", "general", "slowquery"),
    "oracle": ("alert", "audit", "listener", "trace"),
    "sqlserver": ("agent", "error"),
}
DEFAULT_MASTER_USER_NAME = "db_master_user"
DEFAULT_DB_NAME = "defdb"


def engine_family(engine_type: str) -> str:
    """`postgres`, `mysql`, `mariadb`, `oracle` or `sqlserver`."""
    return ENGINE_FAMILIES[engine_type]


class RelationalDatabaseCredentials(StrictModel):
    """Master user credentials (username and password)."""

    masterUserName: NonEmptyStr = DEFAULT_MASTER_USER_NAME
    """Admin username (letters, digits, `_`; starts with a letter). Changing it replaces the database. Default
    "db_master_user"."""
    masterUserPassword: str | OutputValue
    """Admin password: `$Secret('name')`, `$Secret('name.key')` or `$SsmParam('name')` (a literal is refused: it
    would sit in plain text in the config and in the connection strings)."""


class SharedEngineProperties(StrictModel):
    """Fields every engine with a version has."""

    version: NonEmptyStr
    """Engine version (e.g. `16.6` for PostgreSQL, `8.0.36` for MySQL)."""
    disableAutoMinorVersionUpgrade: bool = False
    """Skip automatic minor version upgrades (e.g. 16.4 → 16.5). Default false."""


class RdsEnginePrimaryInstance(StrictModel):
    """The primary (writer) instance."""

    instanceSize: NonEmptyStr
    """Instance size (e.g. `db.t4g.micro`, `db.r6g.large`)."""
    multiAz: bool = False
    """A standby replica in another availability zone for automatic failover. Default false."""


class RdsEngineReadReplica(RdsEnginePrimaryInstance):
    """A read replica of the primary instance."""


class RdsEngineStorage(StrictModel):
    """Storage of an RDS instance; it auto-scales up when free space is low."""

    initialSize: Annotated[int, Field(ge=1)] = 20
    """Initial storage in GB. Default 20."""
    maxSize: Annotated[int, Field(ge=1)] = 200
    """Storage never auto-scales beyond this many GB. Default 200."""


class RdsEngineProperties(SharedEngineProperties):
    """An RDS engine: one primary instance and optional read replicas."""

    dbName: NonEmptyStr | None = None
    """Database created on initialization (for Oracle the SID; not for SQL Server). Default "defdb" (Oracle
    "ORCL")."""
    port: Port | None = None
    """Port. Default PostgreSQL 5432, MySQL/MariaDB 3306, Oracle 1521, SQL Server 1433."""
    storage: RdsEngineStorage | None = None
    """Storage: initial and maximum size."""
    primaryInstance: RdsEnginePrimaryInstance
    """The primary (writer) instance."""
    readReplicas: list[RdsEngineReadReplica] | None = None
    """Read replicas, each with its own endpoint (asynchronous replication)."""


class AuroraEngineInstance(StrictModel):
    """An instance of an Aurora cluster."""

    instanceSize: NonEmptyStr
    """Instance size (e.g. `db.t4g.medium`, `db.r6g.large`)."""


class AuroraEngineProperties(SharedEngineProperties):
    """An Aurora cluster: the first instance writes, the others read."""

    dbName: NonEmptyStr | None = None
    """Name of the initial database. Default "defdb"."""
    port: Port | None = None
    """Port. Default aurora-mysql 3306, aurora-postgresql 5432."""
    instances: Annotated[list[AuroraEngineInstance], Field(min_length=1, max_length=16)]
    """Cluster instances (1-16): the first is the writer, the rest are read replicas."""


class AuroraServerlessEngineProperties(StrictModel):
    """Aurora Serverless v1 (not supported: AWS ended it)."""

    version: NonEmptyStr | None = None
    """Engine version."""
    dbName: NonEmptyStr | None = None
    """Name of the initial database."""
    minCapacity: float | None = None
    """Minimum ACUs."""
    maxCapacity: float | None = None
    """Maximum ACUs."""
    pauseAfterSeconds: int | None = None
    """Pause after this many idle seconds."""
    disableAutoMinorVersionUpgrade: bool = False
    """Skip automatic minor version upgrades."""


# Aurora Serverless v2 capacity, as the reference states it: 0.5-128 ACUs in 0.5 steps.
Capacity = Annotated[float, Field(ge=0.5, le=128, multiple_of=0.5)]


class AuroraServerlessV2EngineProperties(SharedEngineProperties):
    """An Aurora Serverless v2 cluster: one writer and `serverlessReadersCount` readers, all scaling in ACUs."""

    dbName: NonEmptyStr | None = None
    """Name of the initial database. Default "defdb"."""
    minCapacity: Capacity = 0.5
    """Minimum ACUs (0.5-128 in 0.5 steps). Default 0.5."""
    maxCapacity: Capacity = 10
    """Maximum ACUs (0.5-128 in 0.5 steps). Default 10."""
    serverlessReadersCount: Annotated[int, Field(ge=0, le=15)] = 0
    """Reader instances besides the writer (0-15, Aurora's replica limit). Default 0."""


class RdsEngine(StrictModel):
    """Standard RDS: a single primary instance of a fixed size, optional read replicas."""

    type: RdsEngineType
    properties: RdsEngineProperties


class AuroraEngine(StrictModel):
    """Aurora: a clustered database with automatic failover."""

    type: AuroraEngineType
    properties: AuroraEngineProperties


class AuroraServerlessEngine(StrictModel):
    """Aurora Serverless v1 (refused: AWS no longer creates it; use the -v2 engine)."""

    type: AuroraServerlessEngineType
    properties: AuroraServerlessEngineProperties | None = None


class AuroraServerlessV2Engine(StrictModel):
    """Aurora Serverless v2: scales in 0.5-ACU steps."""

    type: AuroraServerlessV2EngineType
    properties: AuroraServerlessV2EngineProperties


DatabaseEngine = Annotated[RdsEngine | AuroraEngine | AuroraServerlessEngine | AuroraServerlessV2Engine,
                           Field(discriminator="type")]


DatabaseAccessibilityMode = Literal["internet", "vpc", "scoping-workloads-in-vpc", "whitelisted-ips-only"]


class DatabaseAccessibility(StrictModel):
    """Who can connect to the database (network-level access control)."""

    accessibilityMode: DatabaseAccessibilityMode = "internet"
    """`internet` (anyone with the credentials), `vpc` or `scoping-workloads-in-vpc` (only resources that list the
    database in `connectTo`), `whitelisted-ips-only`. Default "internet"."""
    forceDisablePublicIp: bool = False
    """No public IP (VPC-only access). Default false."""
    whitelistedIps: list[NonEmptyStr] | None = None
    """IP addresses or CIDR ranges allowed to connect, on top of `connectTo` (not in `internet` mode)."""


PostgresLogStatement = Literal["none", "ddl", "mod", "all"]
MysqlAuditEvent = Literal["CONNECT", "QUERY", "QUERY_DCL", "QUERY_DDL", "QUERY_DML", "QUERY_DML_NO_SELECT"]
# PostgreSQL's integer parameters (milliseconds) end at 2^31 - 1; MySQL's long_query_time at a year in seconds.
PG_MAX_MILLISECONDS = 2147483647
MYSQL_MAX_LONG_QUERY_SECONDS = 31536000


class PostgresLoggingOptions(StrictModel):
    """Logging parameters of a PostgreSQL database, set in its DB (cluster) parameter group (the reference's
    `PostgresLoggingOptions`, with its defaults; the config writes them in `EngineSpecificLoggingOptions`)."""

    log_connections: bool = False
    """Log new client connections. Default false."""
    log_disconnections: bool = False
    """Log client disconnections. Default false."""
    log_lock_waits: bool = False
    """Log sessions waiting for locks (lock contention). Default false."""
    log_min_duration_statement: Annotated[int, Field(ge=-1, le=PG_MAX_MILLISECONDS)] = 10000
    """Log queries slower than this many milliseconds; -1 disables, 0 logs every query. Default 10000."""
    log_statement: PostgresLogStatement = "ddl"
    """Statements to log: `none`, `ddl` (CREATE/ALTER), `mod` (ddl and INSERT/UPDATE/DELETE), `all`. Default
    "ddl"."""


def _default_audit_events() -> list[MysqlAuditEvent]:
    return ["QUERY_DDL"]


class MysqlLoggingOptions(StrictModel):
    """Logging parameters of a MySQL or MariaDB database: slow queries, the audit log (the reference's
    `MysqlLoggingOptions`, with its defaults)."""

    server_audit_events: list[MysqlAuditEvent] = Field(default_factory=_default_audit_events)
    """What the audit log records: `CONNECT`, `QUERY`, `QUERY_DCL`, `QUERY_DDL`, `QUERY_DML`,
    `QUERY_DML_NO_SELECT`; an empty list turns the audit log off. Default ["QUERY_DDL"]."""
    long_query_time: Annotated[float, Field(ge=-1, le=MYSQL_MAX_LONG_QUERY_SECONDS)] = 10
    """Queries slower than this many seconds go to the slow query log; -1 turns it off. Default 10."""


class EngineSpecificLoggingOptions(StrictModel):
    """`logging.engineSpecificOptions`: the PostgreSQL keys or the MySQL/MariaDB keys, as the engine takes.

    One object with both sets (the reference's `PostgresLoggingOptions | MysqlLoggingOptions`), so that
    every door has one type; `validate` refuses the other engine's keys at their key. What is left out
    takes the reference's default (`PostgresLoggingOptions` / `MysqlLoggingOptions` above).
    """

    log_connections: bool | None = None
    """PostgreSQL: log new client connections. Default false."""
    log_disconnections: bool | None = None
    """PostgreSQL: log client disconnections. Default false."""
    log_lock_waits: bool | None = None
    """PostgreSQL: log sessions waiting for locks. Default false."""
    log_min_duration_statement: Annotated[int, Field(ge=-1, le=PG_MAX_MILLISECONDS)] | None = None
    """PostgreSQL: log queries slower than this many milliseconds; -1 disables, 0 logs all. Default 10000."""
    log_statement: PostgresLogStatement | None = None
    """PostgreSQL: statements to log, `none`, `ddl`, `mod` or `all`. Default "ddl"."""
    server_audit_events: list[MysqlAuditEvent] | None = None
    """MySQL/MariaDB: what the audit log records (`CONNECT`, `QUERY`, `QUERY_DCL`, `QUERY_DDL`, `QUERY_DML`,
    `QUERY_DML_NO_SELECT`); [] turns it off. Default ["QUERY_DDL"]."""
    long_query_time: Annotated[float, Field(ge=-1, le=MYSQL_MAX_LONG_QUERY_SECONDS)] | None = None
    """MySQL/MariaDB: queries slower than this many seconds go to the slow query log; -1 turns it off. Default
    10."""


class RelationalDatabaseLogging(StrictModel):
    """Database logs exported to CloudWatch."""

    disabled: bool = False
    """Export no logs. Default false."""
    retentionDays: RetentionDays = 90
    """Days to keep the logs. Default 90."""
    logTypes: list[NonEmptyStr] | None = None
    """Log types to export: PostgreSQL `postgresql`; MySQL/MariaDB `audit`, `error`, `general`, `slowquery`;
    Oracle `alert`, `audit`, `listener`, `trace`; SQL Server `agent`, `error`. Default: every type the engine
    writes (PostgreSQL `postgresql`; MySQL/MariaDB `error`, and `slowquery` and `audit` unless
    `engineSpecificOptions` turn them off; Oracle `alert`, `listener`; SQL Server `error`, and `agent` but on
    Express)."""
    engineSpecificOptions: EngineSpecificLoggingOptions | None = None
    """PostgreSQL (`log_connections`, `log_disconnections`, `log_lock_waits`, `log_min_duration_statement`,
    `log_statement`) or MySQL/MariaDB (`server_audit_events`, `long_query_time`) logging parameters. Default: the
    reference's defaults of the engine's options (PostgreSQL: statements slower than 10 s and DDL; MySQL/MariaDB:
    queries slower than 10 s and an audit log of DDL)."""
    logForwarding: LogForwarding | None = None
    """Forward logs to a third party (not supported yet)."""


# Refused at their key and left out of the schemas: nothing here builds database alarms yet.
Alarms = Annotated[SkipJsonSchema[Any], AfterValidator(rejecting(
    "alarms are not supported yet for relational-database",
    "create CloudWatch alarms on the AWS/RDS metrics with pulumi_aws.cloudwatch.MetricAlarm",
))]
DisabledGlobalAlarms = Annotated[SkipJsonSchema[Any], AfterValidator(rejecting(
    "disabledGlobalAlarms is not supported yet: stacktape-pulumi has no global alarms",
    "remove disabledGlobalAlarms",
))]


class RelationalDatabaseProps(StrictModel):
    """Properties of a relational database."""

    credentials: RelationalDatabaseCredentials
    """Master user credentials."""
    engine: DatabaseEngine
    """Database engine: RDS (`postgres`, `mysql`, ...), Aurora, or Aurora Serverless v2."""
    accessibility: DatabaseAccessibility | None = None
    """Who can connect. Default `internet` (Aurora Serverless: `scoping-workloads-in-vpc`)."""
    deletionProtection: bool = False
    """Prevent deletion of the database. Default false."""
    automatedBackupRetentionDays: Annotated[int, Field(ge=0, le=35)] = 1
    """Days to keep automated daily backups (0-35; 0 disables them, RDS only). Default 1."""
    preferredMaintenanceWindow: NonEmptyStr | None = None
    """Weekly maintenance window in UTC, `Sun:02:00-Sun:04:00` (at least 30 minutes). Default: chosen by AWS."""
    alarms: Alarms = None
    """Not supported yet: create CloudWatch alarms with pulumi_aws.cloudwatch.MetricAlarm."""
    disabledGlobalAlarms: DisabledGlobalAlarms = None
    """Not supported yet (there are no global alarms here)."""
    logging: RelationalDatabaseLogging | None = None
    """Logs exported to CloudWatch (default on, 90 days)."""
    dev: DevModeConfig | None = None
    """Stacktape dev mode (no effect here)."""


class RelationalDatabase(StrictModel):
    """A `relational-database` resource."""

    type: Literal["relational-database"]
    properties: RelationalDatabaseProps
    overrides: Overrides = None
    """Not supported: use Pulumi transforms to change child resources."""


