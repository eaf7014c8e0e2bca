"""What `logging.engineSpecificOptions` becomes in RDS: parameter-group families, parameters, the audit option.

Pure functions (no Pulumi), tabled in tests/test_relational_database.py. The parameter names are AWS's:
- PostgreSQL (RDS and Aurora): `log_connections`, `log_disconnections`, `log_lock_waits`,
  `log_min_duration_statement`, `log_statement` (RDS user guide, "Turning on query logging for your RDS for
  PostgreSQL DB instance"); all dynamic. PostgreSQL writes one log, exported as `postgresql`.
- RDS for MySQL: the slow query log needs `slow_query_log = 1` and `log_output = FILE` in a custom parameter
  group, the audit log a custom option group with the `MARIADB_AUDIT_PLUGIN` option, whose
  `SERVER_AUDIT_EVENTS` setting takes the events (RDS user guide, "Publishing MySQL logs to Amazon CloudWatch
  Logs" and "MariaDB Audit Plugin support for MySQL").
- RDS for MariaDB: the same option; since MariaDB 10.11 the slow query log's parameters are `log_slow_query`
  and `log_slow_query_time` (RDS user guide, "Configuring your database to monitor slow SQL queries with
  Database Insights"; the older names are deprecated aliases there), before it `slow_query_log` and
  `long_query_time`.
- Aurora MySQL: Advanced Auditing is DB cluster parameters, `server_audit_logging` and `server_audit_events`
  (Aurora user guide, "Using Advanced Auditing with an Amazon Aurora MySQL DB cluster"); the slow query
  parameters are cluster parameters too.
Booleans are RDS's `1`/`0`. A PostgreSQL switch left false is not written, so the engine's default (off) holds.
"""

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

AUDIT_OPTION = "MARIADB_AUDIT_PLUGIN"
AUDIT_EVENTS_SETTING = "SERVER_AUDIT_EVENTS"
# Every parameter set here is dynamic: it applies without a reboot.
APPLY_METHOD = "immediate"
_VERSION = re.compile(r"(\d+)(?:\.(\d+))?")


def parameter_group_family(engine_type: str, version: str) -> str | None:
    """The DB parameter group family of an engine version (`postgres16`, `aurora-mysql8.0`, `mariadb10.11`).

    PostgreSQL 10 and later name the major version alone (`postgres9.6` before); MySQL and MariaDB
    name major.minor (Aurora MySQL's `8.0.mysql_aurora.3.08.0` is `aurora-mysql8.0`). None when the
    version does not say enough (MySQL `8`), or for engines without logging options.
    """
    engine = engine_type.removesuffix("-serverless-v2")
    match = _VERSION.match(version)
    if match is None or engine not in ("postgres", "aurora-postgresql", "mysql", "aurora-mysql", "mariadb"):
        return None
    major, minor = match.group(1), match.group(2)
    if engine in ("postgres", "aurora-postgresql") and int(major) >= 10:
        return f"{engine}{major}"
    return f"{engine}{major}.{minor}" if minor is not None else None


def major_engine_version(family: str) -> str:
    """The option group's `MajorEngineVersion` of a family: `mysql8.0` → `8.0`."""
    return re.sub(r"^[a-z-]+", "", family)


@dataclass(frozen=True)
class LoggingParameters:
    """What one database's logging options become."""

    family: str
    """The parameter group family (`postgres16`, `aurora-mysql8.0`, ...)."""
    parameters: tuple[tuple[str, str], ...]
    """Parameter name and value, in the order written to the group."""
    audit_events: str | None
    """RDS MySQL/MariaDB: the audit option's `SERVER_AUDIT_EVENTS` (comma-separated); None: no audit log."""
    log_types: tuple[str, ...]
    """The log types these parameters make the engine write (exported when `logTypes` is not set)."""


def _postgres(family: str, options: Mapping[str, Any]) -> LoggingParameters:
    switches = [(name, "1") for name in ("log_connections", "log_disconnections", "log_lock_waits") if options[name]]
    parameters = (*switches, ("log_min_duration_statement", str(options["log_min_duration_statement"])),
                  ("log_statement", str(options["log_statement"])))
    return LoggingParameters(family, parameters, None, ("postgresql",))


def _seconds(value: float) -> str:
    """Decimal seconds, never an exponent (RDS reads `0.000001`, not `1e-06`): microsecond precision."""
    return f"{value:.6f}".rstrip("0").rstrip(".")


def _slow_query_names(family: str) -> tuple[str, str]:
    """(switch, threshold) of the slow query log: MariaDB 10.11 and later renamed them."""
    if family.startswith("mariadb"):
        major, minor = (int(part) for part in major_engine_version(family).split("."))
        if (major, minor) >= (10, 11):
            return "log_slow_query", "log_slow_query_time"
    return "slow_query_log", "long_query_time"


def _mysql(family: str, options: Mapping[str, Any], general: bool) -> LoggingParameters:
    switch, threshold = _slow_query_names(family)
    query_time = float(options["long_query_time"])
    slow = query_time != -1
    parameters: list[tuple[str, str]] = [(switch, "1" if slow else "0")]
    if slow:
        parameters.append((threshold, _seconds(query_time)))
    if general:
        parameters.append(("general_log", "1"))  # the `general` log type is written only with it on
    # Logs go to files (the default is a table): only files are published to CloudWatch Logs.
    parameters.append(("log_output", "FILE"))
    events = ",".join(dict.fromkeys(options["server_audit_events"])) or None
    audit_option = events
    if family.startswith("aurora-mysql"):
        audit_option = None  # Aurora audits through cluster parameters, not an option group
        parameters.append(("server_audit_logging", "1" if events else "0"))
        if events:
            parameters.append(("server_audit_events", events))
    log_types = ("error", *(("slowquery",) if slow else ()), *(("general",) if general else ()),
                 *(("audit",) if events else ()))
    return LoggingParameters(family, tuple(parameters), audit_option, log_types)


def logging_parameters(family: str, options: Mapping[str, Any], log_types: tuple[str, ...] = ()) -> LoggingParameters:
    """The parameters (and audit option) `options` ask for, in a group of `family`.

    `options`: every key of the engine's logging options, defaults filled in (the config models'
    `PostgresLoggingOptions` / `MysqlLoggingOptions` dumped: this layer reads no config model).
    `log_types`: the `logging.logTypes` written; MySQL's `general` needs `general_log` on.
    """
    if "postgresql" in family or family.startswith("postgres"):
        return _postgres(family, options)
    return _mysql(family, options, "general" in log_types)
