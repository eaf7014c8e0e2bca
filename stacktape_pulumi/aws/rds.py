"""RDS decisions that need no resource: identifiers, connection strings, license models, default log exports.

Pure functions (no Pulumi), tabled in tests/test_relational_database.py.
"""

import re
from dataclasses import dataclass
from urllib.parse import quote

from stacktape_pulumi.aws.naming import fit, lower_kebab

# DB instance and cluster identifiers: 1-63 letters, digits and hyphens, starting with a letter, no two
# consecutive hyphens and none at the end (RDS stores them in lower case).
IDENTIFIER_LIMIT = 63
FINAL_SNAPSHOT_SUFFIX = "final"

# License models RDS accepts per engine: Oracle EE only with your own license, SE2 and SQL Server included.
LICENSE_MODELS = {"oracle-ee": "bring-your-own-license", "oracle-se2": "license-included",
                  "sqlserver-ee": "license-included", "sqlserver-ex": "license-included",
                  "sqlserver-se": "license-included", "sqlserver-web": "license-included"}

# What Oracle and SQL Server write without extra parameters (their audit and trace logs need settings): exporting
# these gives logs from the first day. PostgreSQL, MySQL and MariaDB export what their logging parameters turn
# on (`rds_parameters.LoggingParameters.log_types`).
DEFAULT_LOG_EXPORTS = {"oracle": ("alert", "listener"), "sqlserver": ("agent", "error")}


def identifier(*parts: str, limit: int = IDENTIFIER_LIMIT) -> str:
    """An RDS identifier from `parts`: lower-case kebab, hyphens collapsed, starting with a letter, fit to 63."""
    text = re.sub(r"-{2,}", "-", "-".join(lower_kebab(part) for part in parts if part))
    if not text[:1].isalpha():
        text = f"db-{text}"
    # Shortening may cut just after a hyphen and add its own: collapse again.
    return re.sub(r"-{2,}", "-", fit(text, limit)).rstrip("-")


def final_snapshot_identifier(database_identifier: str) -> str:
    """The snapshot RDS takes when the database is deleted: `<identifier>-final`.

    Deterministic (Pulumi must know it before deleting), unique per stack and database because the
    identifier is (`<stack>-<resource>`, hashed when shortened), and at most 69 characters, within
    the 255 RDS allows (DeleteDBInstance / DeleteDBCluster `FinalDBSnapshotIdentifier`: a letter first,
    letters, digits and single hyphens, no hyphen at the end).
    """
    return f"{database_identifier}-{FINAL_SNAPSHOT_SUFFIX}"


def default_log_exports(family: str, engine_type: str) -> tuple[str, ...]:
    """The log types exported when `logging.logTypes` is not set (SQL Server Express has no agent)."""
    if engine_type == "sqlserver-ex":
        return ("error",)
    return DEFAULT_LOG_EXPORTS[family]


@dataclass(frozen=True)
class Endpoint:
    """What a connection string is made of."""

    family: str
    host: str
    port: int
    user: str
    password: str
    db_name: str | None


def _url_scheme(family: str) -> str:
    return {"postgres": "postgresql", "mysql": "mysql", "mariadb": "mysql", "oracle": "oracle"}[family]


def _braced(value: str) -> str:
    """A SQL Server connection-string value: in braces, a `}` doubled (so `;` and `=` stay inside it)."""
    return "{" + value.replace("}", "}}") + "}"


def connection_string(endpoint: Endpoint) -> str:
    """The URL drivers and ORMs read (`postgresql://user:password@host:port/db`); user and password URL-encoded."""
    e = endpoint
    if e.family == "sqlserver":
        return f"sqlserver://{e.host}:{e.port};user={_braced(e.user)};password={_braced(e.password)};encrypt=true"
    credentials = f"{quote(e.user, safe='')}:{quote(e.password, safe='')}"
    return f"{_url_scheme(e.family)}://{credentials}@{e.host}:{e.port}/{e.db_name}"


def jdbc_connection_string(endpoint: Endpoint) -> str:
    """The JDBC URL of the endpoint, credentials included."""
    e = endpoint
    user, password = quote(e.user, safe=""), quote(e.password, safe="")
    if e.family == "sqlserver":
        return f"jdbc:sqlserver://{e.host}:{e.port};user={_braced(e.user)};password={_braced(e.password)};encrypt=true"
    if e.family == "oracle":
        return f"jdbc:oracle:thin:{e.user}/\"{e.password}\"@{e.host}:{e.port}:{e.db_name}"
    driver = {"postgres": "postgresql", "mysql": "mysql", "mariadb": "mariadb"}[e.family]
    return f"jdbc:{driver}://{e.host}:{e.port}/{e.db_name}?user={user}&password={password}"
