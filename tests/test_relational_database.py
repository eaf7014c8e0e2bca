"""RelationalDatabase: exact child inputs per engine kind, connectTo, located errors, the Python door."""

import json
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import botocore.session
import pulumi
import pytest

from stacktape_pulumi.args import DatabaseAccessibilityMode
from stacktape_pulumi.args import PostgresLogStatement as LogStatement
from stacktape_pulumi.aws import rds, rds_parameters
from stacktape_pulumi.checks import relational_database as checks
from stacktape_pulumi.cli import main
from stacktape_pulumi.components import Function, RelationalDatabase
from stacktape_pulumi.components.base import ArgsError
from stacktape_pulumi.components.context import StackContext
from stacktape_pulumi.config.models.relational_database import MysqlLoggingOptions, PostgresLoggingOptions
from stacktape_pulumi.engine import Recording, run_offline
from stacktape_pulumi.errors import StacktapeError

Preview = Callable[[str], Recording]
Errors = Callable[[str], list[str]]
TAGS = {"stp:project-name": "stacktape", "stp:stack-name": "stacktape-dev", "stp:stage": "dev"}
PASSWORD = "masterUserPassword: $Secret('db.password')"
HANDLER = "def handler(event, context):\n    return None\n"


def database(engine: str, extra: str = "") -> str:
    return f"""
        resources:
          db:
            type: relational-database
            properties:
              credentials:
                {PASSWORD}
              engine:
{engine}
{extra}
        """


POSTGRES = """
                type: postgres
                properties:
                  version: '16.6'
                  primaryInstance:
                    instanceSize: db.t4g.micro"""


def inputs(rec: Recording, type_: str, name: str) -> dict[str, Any]:
    return dict(rec.one(type_, name).inputs)


def params(rec: Recording, name: str = "db") -> dict[str, Any]:
    """The component's registered outputs (its `$ResourceParam` values; secrets masked)."""
    return dict(rec.one("stacktape:index:RelationalDatabase", name).outputs or {})


# ---- pure decisions -----------------------------------------------------------------------

@pytest.mark.parametrize(("parts", "expected"), [
    (("stacktape-dev", "mainDatabase"), "stacktape-dev-main-database"),
    (("1st-stage", "db"), "db-1st-stage-db"),
    (("a--b", "c"), "a-b-c"),
])
def test_identifiers_are_lower_kebab_and_start_with_a_letter(parts: tuple[str, ...], expected: str) -> None:
    assert rds.identifier(*parts) == expected


def test_a_shortened_identifier_has_no_double_hyphen() -> None:
    # The cut falls just after a hyphen: the hash's own hyphen must not double it.
    ident = rds.identifier("a" * 55 + "-x", "database")
    assert (ident, len(ident)) == ("a" * 55 + "-" + ident[-6:], 62)
    assert "--" not in ident


def test_the_final_snapshot_is_named_after_the_database() -> None:
    long = rds.identifier("a-very-long-project-name-for-testing-production", "anExtremelyLongDatabaseName")
    assert rds.final_snapshot_identifier("stacktape-dev-db") == "stacktape-dev-db-final"
    assert rds.final_snapshot_identifier(long) == f"{long}-final"
    assert len(rds.final_snapshot_identifier(long)) == 69


def test_long_identifiers_fit_63_characters() -> None:
    ident = rds.identifier("a-very-long-project-name-for-testing-production", "anExtremelyLongDatabaseName")
    assert len(ident) == 63
    assert ident == ident.lower()


@pytest.mark.parametrize(("family", "url", "jdbc"), [
    ("postgres", "postgresql://u%40x:p%2Fw@h:5432/app", "jdbc:postgresql://h:5432/app?user=u%40x&password=p%2Fw"),
    ("mysql", "mysql://u%40x:p%2Fw@h:5432/app", "jdbc:mysql://h:5432/app?user=u%40x&password=p%2Fw"),
    ("mariadb", "mysql://u%40x:p%2Fw@h:5432/app", "jdbc:mariadb://h:5432/app?user=u%40x&password=p%2Fw"),
    ("oracle", "oracle://u%40x:p%2Fw@h:5432/app", 'jdbc:oracle:thin:u@x/"p/w"@h:5432:app'),
    ("sqlserver", "sqlserver://h:5432;user={u@x};password={p/w};encrypt=true",
     "jdbc:sqlserver://h:5432;user={u@x};password={p/w};encrypt=true"),
])
def test_connection_strings_per_family(family: str, url: str, jdbc: str) -> None:
    endpoint = rds.Endpoint(family, "h", 5432, "u@x", "p/w", "app")
    assert (rds.connection_string(endpoint), rds.jdbc_connection_string(endpoint)) == (url, jdbc)


def test_limits_are_botocores_rds_shapes() -> None:
    shapes = botocore.session.get_session().get_service_model("rds").shape_for
    assert (checks.INSTANCE_CLASS.pattern, checks.INSTANCE_CLASS_MAX) == (
        shapes("DBInstanceClass").metadata["pattern"], shapes("DBInstanceClass").metadata["max"])
    assert (checks.ENGINE_VERSION.pattern, checks.ENGINE_VERSION_MAX) == (
        shapes("EngineVersion").metadata["pattern"], shapes("EngineVersion").metadata["max"])


# ---- RDS ---------------------------------------------------------------------------------

def test_default_postgres_instance(preview: Preview) -> None:
    rec = preview(database(POSTGRES))
    sg = rec.one("aws:ec2/securityGroup:SecurityGroup", "db-sg")
    instance = inputs(rec, "aws:rds/instance:Instance", "db-instance")
    assert instance == {
        "identifier": "stacktape-dev-db", "engine": "postgres", "engineVersion": "16.6",
        "instanceClass": "db.t4g.micro", "multiAz": False, "allocatedStorage": 20, "maxAllocatedStorage": 200,
        "storageType": "gp3", "storageEncrypted": True, "dbName": "defdb", "username": "db_master_user",
        "password": "[secret]", "port": 5432, "dbSubnetGroupName": "stacktape-dev-db",
        "vpcSecurityGroupIds": [instance["vpcSecurityGroupIds"][0]], "publiclyAccessible": True,
        "backupRetentionPeriod": 1, "autoMinorVersionUpgrade": True, "deletionProtection": False,
        "enabledCloudwatchLogsExports": ["postgresql"], "copyTagsToSnapshot": True, "skipFinalSnapshot": False,
        "finalSnapshotIdentifier": "stacktape-dev-db-final", "parameterGroupName": "stacktape-dev-db-postgres16",
        "tags": TAGS}
    assert rec.one("aws:rds/instance:Instance").secret_inputs == ["password"]
    # The reference's logging defaults for PostgreSQL: statements slower than 10 s, and DDL.
    assert inputs(rec, "aws:rds/parameterGroup:ParameterGroup", "db-parameters") == {
        "name": "stacktape-dev-db-postgres16", "family": "postgres16",
        "description": "Logging parameters of database db",
        "parameters": [{"name": "log_min_duration_statement", "value": "10000", "applyMethod": "immediate"},
                       {"name": "log_statement", "value": "ddl", "applyMethod": "immediate"}], "tags": TAGS}
    assert not [r for r in rec.resources if r.type == "aws:rds/optionGroup:OptionGroup"]
    assert sg.inputs["egress"] == []
    assert inputs(rec, "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule", "db-ingress-internet") == {
        "securityGroupId": instance["vpcSecurityGroupIds"][0], "cidrIpv4": "0.0.0.0/0", "ipProtocol": "tcp",
        "fromPort": 5432, "toPort": 5432, "description": "accessibilityMode internet", "tags": TAGS}
    assert inputs(rec, "aws:cloudwatch/logGroup:LogGroup", "db-postgresql-logs") == {
        "name": "/aws/rds/instance/stacktape-dev-db/postgresql", "retentionInDays": 90, "tags": TAGS}
    host = params(rec)["host"]
    assert host.startswith("stacktape-dev-db.c")
    assert host.endswith(".us-east-1.rds.amazonaws.com")
    assert params(rec) == {"host": host, "port": 5432, "dbName": "defdb", "connectionString": "[secret]",
                           "jdbcConnectionString": "[secret]"}
    # The stack output keeps the plain params visible: only the credential-bearing ones are secret.
    assert rec.stack_outputs["db"] == params(rec)
    version = rec.one("aws:secretsmanager/secretVersion:SecretVersion")
    assert version.secret_inputs == ["secretString"]


def test_replicas_storage_and_operations(preview: Preview) -> None:
    rec = preview(database("""
                type: mariadb
                properties:
                  version: '10.11.9'
                  port: 3307
                  dbName: shop
                  storage: {initialSize: 50, maxSize: 500}
                  primaryInstance: {instanceSize: db.r6g.large, multiAz: true}
                  readReplicas:
                    - instanceSize: db.r6g.large
                  disableAutoMinorVersionUpgrade: true""", """
              deletionProtection: true
              automatedBackupRetentionDays: 7
              preferredMaintenanceWindow: Sun:02:00-Sun:04:00
              logging: {retentionDays: 30, logTypes: [error, general]}
              accessibility:
                accessibilityMode: vpc
                whitelistedIps: [203.0.113.50]"""))
    primary = inputs(rec, "aws:rds/instance:Instance", "db-instance")
    assert {key: primary[key] for key in ("port", "dbName", "allocatedStorage", "maxAllocatedStorage", "multiAz",
                                          "deletionProtection", "backupRetentionPeriod", "maintenanceWindow",
                                          "autoMinorVersionUpgrade", "enabledCloudwatchLogsExports",
                                          "publiclyAccessible")} == {
        "port": 3307, "dbName": "shop", "allocatedStorage": 50, "maxAllocatedStorage": 500, "multiAz": True,
        "deletionProtection": True, "backupRetentionPeriod": 7, "maintenanceWindow": "Sun:02:00-Sun:04:00",
        "autoMinorVersionUpgrade": False, "enabledCloudwatchLogsExports": ["error", "general"],
        "publiclyAccessible": True}
    replica = inputs(rec, "aws:rds/instance:Instance", "db-replica-0")
    assert replica == {
        "identifier": "stacktape-dev-db-replica-0", "replicateSourceDb": "stacktape-dev-db",
        "instanceClass": "db.r6g.large", "multiAz": False, "storageType": "gp3", "storageEncrypted": True,
        "maxAllocatedStorage": 500, "port": 3307, "vpcSecurityGroupIds": primary["vpcSecurityGroupIds"],
        "publiclyAccessible": True, "autoMinorVersionUpgrade": False, "skipFinalSnapshot": True,
        "parameterGroupName": "stacktape-dev-db-mariadb10-11", "tags": TAGS}
    assert (primary["parameterGroupName"], primary["optionGroupName"]) == (
        "stacktape-dev-db-mariadb10-11", "stacktape-dev-db-audit-mariadb10-11")
    # MariaDB 10.11 names its slow query log parameters log_slow_query*; `general` in logTypes turns general_log on.
    assert inputs(rec, "aws:rds/parameterGroup:ParameterGroup", "db-parameters")["parameters"] == [
        {"name": "log_slow_query", "value": "1", "applyMethod": "immediate"},
        {"name": "log_slow_query_time", "value": "10", "applyMethod": "immediate"},
        {"name": "general_log", "value": "1", "applyMethod": "immediate"},
        {"name": "log_output", "value": "FILE", "applyMethod": "immediate"}]
    assert inputs(rec, "aws:rds/optionGroup:OptionGroup", "db-options") == {
        "name": "stacktape-dev-db-audit-mariadb10-11", "engineName": "mariadb", "majorEngineVersion": "10.11",
        "optionGroupDescription": "Audit log of database db",
        "options": [{"optionName": "MARIADB_AUDIT_PLUGIN",
                     "optionSettings": [{"name": "SERVER_AUDIT_EVENTS", "value": "QUERY_DDL"}]}], "tags": TAGS}
    rule = inputs(rec, "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule", "db-ingress-whitelisted-0")
    assert (rule["cidrIpv4"], rule["fromPort"]) == ("203.0.113.50/32", 3307)
    assert [r.name for r in rec.resources if r.type == "aws:cloudwatch/logGroup:LogGroup"] == [
        "db-error-logs", "db-general-logs"]
    outputs = params(rec)
    assert outputs["readReplica0Port"] == 3307
    assert outputs["readReplicaHosts"].startswith("stacktape-dev-db-replica-0.c")
    assert "readerHost" not in outputs


def test_sql_server_has_no_database_name_and_its_license(preview: Preview) -> None:
    rec = preview(database("""
                type: sqlserver-ex
                properties:
                  version: '16.00.4165.4.v1'
                  primaryInstance: {instanceSize: db.t3.small}"""))
    instance = inputs(rec, "aws:rds/instance:Instance", "db-instance")
    assert ("dbName" in instance, instance["licenseModel"], instance["port"], instance["enabledCloudwatchLogsExports"]
            ) == (False, "license-included", 1433, ["error"])
    assert "dbName" not in params(rec)


# ---- Aurora --------------------------------------------------------------------------------

def test_aurora_cluster_with_a_reader(preview: Preview) -> None:
    rec = preview(database("""
                type: aurora-postgresql
                properties:
                  version: '16.6'
                  instances:
                    - instanceSize: db.r6g.large
                    - instanceSize: db.r6g.xlarge""", """
              accessibility: {accessibilityMode: scoping-workloads-in-vpc}"""))
    cluster = inputs(rec, "aws:rds/cluster:Cluster", "db-cluster")
    assert cluster == {
        "clusterIdentifier": "stacktape-dev-db", "engine": "aurora-postgresql", "engineMode": "provisioned",
        "engineVersion": "16.6", "databaseName": "defdb", "masterUsername": "db_master_user",
        "masterPassword": "[secret]", "port": 5432, "dbSubnetGroupName": "stacktape-dev-db",
        "vpcSecurityGroupIds": cluster["vpcSecurityGroupIds"], "storageEncrypted": True,
        "backupRetentionPeriod": 1, "deletionProtection": False, "enabledCloudwatchLogsExports": ["postgresql"],
        "copyTagsToSnapshot": True, "skipFinalSnapshot": False, "finalSnapshotIdentifier": "stacktape-dev-db-final",
        "dbClusterParameterGroupName": "stacktape-dev-db-aurora-postgresql16", "tags": TAGS}
    assert inputs(rec, "aws:rds/clusterParameterGroup:ClusterParameterGroup", "db-cluster-parameters") == {
        "name": "stacktape-dev-db-aurora-postgresql16", "family": "aurora-postgresql16",
        "description": "Logging parameters of database db",
        "parameters": [{"name": "log_min_duration_statement", "value": "10000", "applyMethod": "immediate"},
                       {"name": "log_statement", "value": "ddl", "applyMethod": "immediate"}], "tags": TAGS}
    reader = inputs(rec, "aws:rds/clusterInstance:ClusterInstance", "db-instance-1")
    assert reader == {
        "identifier": "stacktape-dev-db-1", "clusterIdentifier": "stacktape-dev-db", "engine": "aurora-postgresql",
        "engineVersion": "16.6", "instanceClass": "db.r6g.xlarge", "dbSubnetGroupName": "stacktape-dev-db",
        "publiclyAccessible": False, "autoMinorVersionUpgrade": True, "promotionTier": 1, "tags": TAGS}
    assert inputs(rec, "aws:rds/clusterInstance:ClusterInstance", "db-instance-0")["promotionTier"] == 0
    assert not [r for r in rec.resources if r.type == "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule"]
    outputs = params(rec)
    assert outputs["readerHost"].startswith("stacktape-dev-db.cluster-ro-")
    assert outputs["readerPort"] == 5432
    assert outputs["hosts"].count(",") == 1


def test_serverless_v2_defaults_to_the_vpc_and_scales(preview: Preview) -> None:
    rec = preview(database("""
                type: aurora-mysql-serverless-v2
                properties:
                  version: '8.0.mysql_aurora.3.08.0'
                  minCapacity: 1
                  serverlessReadersCount: 1"""))
    cluster = inputs(rec, "aws:rds/cluster:Cluster", "db-cluster")
    assert cluster == {
        "clusterIdentifier": "stacktape-dev-db", "engine": "aurora-mysql", "engineMode": "provisioned",
        "engineVersion": "8.0.mysql_aurora.3.08.0", "databaseName": "defdb", "masterUsername": "db_master_user",
        "masterPassword": "[secret]", "serverlessv2ScalingConfiguration": {"minCapacity": 1, "maxCapacity": 10},
        "dbClusterParameterGroupName": "stacktape-dev-db-aurora-mysql8-0", "port": 3306,
        "dbSubnetGroupName": "stacktape-dev-db", "vpcSecurityGroupIds": cluster["vpcSecurityGroupIds"],
        "storageEncrypted": True, "backupRetentionPeriod": 1, "deletionProtection": False,
        "enabledCloudwatchLogsExports": ["error", "slowquery", "audit"], "copyTagsToSnapshot": True,
        "skipFinalSnapshot": False, "finalSnapshotIdentifier": "stacktape-dev-db-final", "tags": TAGS}
    assert rec.one("aws:rds/cluster:Cluster").secret_inputs == ["masterPassword"]
    for index in (0, 1):  # the writer and one reader
        assert inputs(rec, "aws:rds/clusterInstance:ClusterInstance", f"db-instance-{index}") == {
            "identifier": f"stacktape-dev-db-{index}", "clusterIdentifier": "stacktape-dev-db",
            "engine": "aurora-mysql", "engineVersion": "8.0.mysql_aurora.3.08.0", "instanceClass": "db.serverless",
            "dbSubnetGroupName": "stacktape-dev-db", "publiclyAccessible": False, "autoMinorVersionUpgrade": True,
            "promotionTier": index, "tags": TAGS}
    # Aurora MySQL audits and logs slow queries through cluster parameters (the reference's defaults).
    assert inputs(rec, "aws:rds/clusterParameterGroup:ClusterParameterGroup", "db-cluster-parameters") == {
        "name": "stacktape-dev-db-aurora-mysql8-0", "family": "aurora-mysql8.0",
        "description": "Logging parameters of database db",
        "parameters": [{"name": name, "value": value, "applyMethod": "immediate"} for name, value in (
            ("slow_query_log", "1"), ("long_query_time", "10"), ("log_output", "FILE"),
            ("server_audit_logging", "1"), ("server_audit_events", "QUERY_DDL"))], "tags": TAGS}
    assert sorted(r.inputs["name"] for r in rec.resources if r.type == "aws:cloudwatch/logGroup:LogGroup") == [
        f"/aws/rds/cluster/stacktape-dev-db/{kind}" for kind in ("audit", "error", "slowquery")]
    # Serverless v2 defaults to scoping-workloads-in-vpc: no CIDR rule, no public IP.
    assert not [r for r in rec.resources if r.type == "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule"]
    outputs = params(rec)
    assert outputs["readerHost"].startswith("stacktape-dev-db.cluster-ro-")
    assert (outputs["readerPort"], outputs["readerConnectionString"], outputs["hosts"].count(",")) == (
        3306, "[secret]", 1)


# ---- connectTo ------------------------------------------------------------------------------

CALLERS = """
          api:
            type: multi-container-workload
            properties:
              connectTo: [db]
              containers:
                - name: app
                  packaging: {type: prebuilt-image, properties: {image: nginx}}
              resources: {cpu: 0.25, memory: 512}
          fn:
            type: function
            properties:
              packaging: {type: stacktape-lambda-buildpack, properties: {entryfilePath: fn.py}}
              joinDefaultVpc: true
              connectTo: [db]
"""


def test_connect_to_admits_the_callers_groups_and_injects_credentials_as_secrets(
        preview: Preview, write_config: Callable[..., Any]) -> None:
    write_config(HANDLER, "fn.py")
    rec = preview(database(POSTGRES, "              accessibility: {accessibilityMode: scoping-workloads-in-vpc}")
                  + CALLERS)
    db_sg = rec.one("aws:ec2/securityGroup:SecurityGroup", "db-sg")
    for caller, group in (("api", "api-sg"), ("fn", "fn-security-group")):
        rule = rec.one("aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule", f"{caller}-to-db-ingress")
        assert rule.inputs == {
            "securityGroupId": rule.inputs["securityGroupId"], "ipProtocol": "tcp", "fromPort": 5432, "toPort": 5432,
            "referencedSecurityGroupId": rule.inputs["referencedSecurityGroupId"],
            "description": f"{caller} (connectTo) to db", "tags": TAGS}
        assert db_sg.urn in rule.property_dependencies["securityGroupId"]
        assert rec.one("aws:ec2/securityGroup:SecurityGroup", group).urn in \
            rule.property_dependencies["referencedSecurityGroupId"]
    definitions = json.loads(rec.one("aws:ecs/taskDefinition:TaskDefinition").inputs["containerDefinitions"])
    secret_arn = rec.one("aws:secretsmanager/secretVersion:SecretVersion").inputs["secretId"]
    assert secret_arn.startswith("arn:aws:secretsmanager:us-east-1:123456789012:secret:db-connection-strings-")
    assert [e["name"] for e in definitions[0]["environment"]] == ["STP_DB_HOST", "STP_DB_PORT", "STP_DB_DB_NAME"]
    assert definitions[0]["secrets"] == [
        {"name": "STP_DB_CONNECTION_STRING", "valueFrom": f"{secret_arn}:connectionString::"},
        {"name": "STP_DB_JDBC_CONNECTION_STRING", "valueFrom": f"{secret_arn}:jdbcConnectionString::"}]
    policy = json.loads(rec.one("aws:iam/rolePolicy:RolePolicy", "api-execution-secrets").inputs["policy"])
    assert policy["Statement"] == [{"Effect": "Allow", "Action": ["secretsmanager:GetSecretValue"],
                                    "Resource": [secret_arn]}]
    function = rec.one("aws:lambda/function:Function")
    assert "environment" in function.secret_inputs


def test_a_web_service_connected_to_a_database(preview: Preview) -> None:
    rec = preview(database(POSTGRES, "              accessibility: {accessibilityMode: scoping-workloads-in-vpc}") + """
          web:
            type: web-service
            properties:
              packaging: {type: prebuilt-image, properties: {image: nginx}}
              resources: {cpu: 0.25, memory: 512}
              connectTo: [db]
              environment:
                - name: DATABASE_URL
                  value: $ResourceParam('db', 'connectionString')
""")
    db_sg = rec.one("aws:ec2/securityGroup:SecurityGroup", "db-sg")
    web_sg = rec.one("aws:ec2/securityGroup:SecurityGroup", "web-sg")
    rule = rec.one("aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule", "web-to-db-ingress")
    # Sourced from the service's own security group, on the database's port only: never a CIDR.
    assert rule.inputs == {
        "securityGroupId": rule.inputs["securityGroupId"], "ipProtocol": "tcp", "fromPort": 5432, "toPort": 5432,
        "referencedSecurityGroupId": rule.inputs["referencedSecurityGroupId"], "description": "web (connectTo) to db",
        "tags": TAGS}
    assert (rule.property_dependencies["securityGroupId"], rule.property_dependencies["referencedSecurityGroupId"]) \
        == ([db_sg.urn], [web_sg.urn])
    assert [r.name for r in rec.resources if r.type.endswith("SecurityGroupIngressRule") and "db" in r.name] == [
        "web-to-db-ingress"]
    task = rec.one("aws:ecs/taskDefinition:TaskDefinition", "web-task-definition")
    secret_arn = rec.one("aws:secretsmanager/secretVersion:SecretVersion").inputs["secretId"]
    host = params(rec)["host"]
    (container,) = json.loads(task.inputs["containerDefinitions"])
    assert (container["environment"], container["secrets"]) == (
        [{"name": "PORT", "value": "3000"}, {"name": "HOST", "value": "0.0.0.0"},
         {"name": "STP_DB_HOST", "value": host}, {"name": "STP_DB_PORT", "value": "5432"},
         {"name": "STP_DB_DB_NAME", "value": "defdb"}],
        [{"name": "DATABASE_URL", "valueFrom": f"{secret_arn}:connectionString::"},
         {"name": "STP_DB_CONNECTION_STRING", "valueFrom": f"{secret_arn}:connectionString::"},
         {"name": "STP_DB_JDBC_CONNECTION_STRING", "valueFrom": f"{secret_arn}:jdbcConnectionString::"}])
    # The connection strings never reach the task definition: it has no secret input to mask.
    assert task.secret_inputs == []
    assert "postgresql://" not in task.inputs["containerDefinitions"]
    policy = json.loads(rec.one("aws:iam/rolePolicy:RolePolicy", "web-execution-secrets").inputs["policy"])
    assert policy["Statement"] == [{"Effect": "Allow", "Action": ["secretsmanager:GetSecretValue"],
                                    "Resource": [secret_arn]}]


def test_internet_mode_needs_no_caller_rule(preview: Preview, write_config: Callable[..., Any]) -> None:
    write_config(HANDLER, "fn.py")
    rec = preview(database(POSTGRES) + CALLERS)
    rules = sorted(r.name for r in rec.resources if r.type.endswith("SecurityGroupIngressRule"))
    assert rules == ["db-ingress-internet"]


# ---- located errors ------------------------------------------------------------------------

def test_rds_limits_are_located(config_errors: Errors) -> None:
    assert config_errors("""
        resources:
          db:
            type: relational-database
            properties:
              credentials:
                masterUserName: 9admin
                masterUserPassword: hunter2
              engine:
                type: mysql
                properties:
                  version: '8.0 LTS'
                  dbName: my-db
                  primaryInstance: {instanceSize: t4g.micro}
                  storage: {initialSize: 10, maxSize: 10}
              preferredMaintenanceWindow: Sun:02:00-Sun:02:15
              logging:
                logTypes: [postgresql]
                logForwarding: {type: highlight, properties: {projectId: p}}
        """) == [
        "stacktape.yml:6:25: resources.db.properties.credentials.masterUserName: masterUserName '9admin' is not "
        "valid for mysql: 1-16 letters, digits and '_', starting with a letter (hint: for example db_master_user)",
        "stacktape.yml:7:29: resources.db.properties.credentials.masterUserPassword: masterUserPassword is a "
        "literal: the password would be stored in plain text in the stack's state and in every connection string "
        "(hint: store it in Secrets Manager and write $Secret('<secret-name>') or $Secret('<secret-name>.password'))",
        "stacktape.yml:11:20: resources.db.properties.engine.properties.version: engine version '8.0 LTS' is not "
        "valid: RDS accepts up to 64 lower-case letters, digits, '.', '_' and '-' (hint: for example '16.6' or "
        "'8.0.40')",
        "stacktape.yml:12:19: resources.db.properties.engine.properties.dbName: dbName 'my-db' is not valid for "
        "mysql: 1-64 letters, digits and '_', starting with a letter (hint: for example 'appdb')",
        "stacktape.yml:13:43: resources.db.properties.engine.properties.primaryInstance.instanceSize: instance size "
        "'t4g.micro' is not an RDS instance class (db.<family>.<size>) (hint: for example db.t4g.micro, "
        "db.t4g.medium or db.r6g.large)",
        "stacktape.yml:14:34: resources.db.properties.engine.properties.storage.initialSize: initialSize 10 GB is "
        "outside what RDS allows for mysql: 20-65536 GB",
        "stacktape.yml:14:47: resources.db.properties.engine.properties.storage.maxSize: maxSize (10 GB) must be at "
        "least 10% above initialSize (10 GB): RDS storage autoscaling needs a maximum of at least 11 GB (hint: set "
        "maxSize: 11 or more)",
        "stacktape.yml:14:47: resources.db.properties.engine.properties.storage.maxSize: maxSize 10 GB is outside "
        "what RDS allows for mysql: 20-65536 GB",
        "stacktape.yml:15:35: resources.db.properties.preferredMaintenanceWindow: preferredMaintenanceWindow "
        "'Sun:02:00-Sun:02:15' lasts 15 minutes; RDS needs at least 30 (hint: for example Sun:02:00-Sun:04:00)",
        "stacktape.yml:17:20: resources.db.properties.logging.logTypes[0]: log type 'postgresql' is not exported by "
        "mysql; allowed: audit, error, general, slowquery",
        "stacktape.yml:18:9: resources.db.properties.logging.logForwarding: logForwarding is not supported yet for "
        "relational-database (hint: subscribe the /aws/rds log groups to a Firehose stream with "
        "pulumi_aws.cloudwatch.LogSubscriptionFilter)",
    ]


def test_accessibility_and_engine_rules_are_located(config_errors: Errors, write_config: Callable[..., Any]) -> None:
    write_config(HANDLER, "fn.py")
    assert config_errors("""
        resources:
          old:
            type: relational-database
            properties:
              credentials: {masterUserPassword: $Secret('db')}
              engine: {type: aurora-postgresql-serverless}
          lite:
            type: relational-database
            properties:
              credentials: {masterUserPassword: $Secret('db')}
              engine:
                type: aurora-postgresql-serverless-v2
                properties: {version: '16.6', minCapacity: 4, maxCapacity: 2}
              accessibility: {accessibilityMode: internet, whitelistedIps: [10.0.0.0/8], forceDisablePublicIp: true}
              automatedBackupRetentionDays: 0
          fn:
            type: function
            properties:
              packaging: {type: stacktape-lambda-buildpack, properties: {entryfilePath: fn.py}}
              connectTo: [lite]
        """) == [
        "stacktape.yml:6:22: resources.old.properties.engine.type: engine type 'aurora-postgresql-serverless' "
        "(Aurora Serverless v1) is not supported yet: AWS ended Aurora Serverless v1 and no longer creates such "
        "clusters (hint: use 'aurora-postgresql-serverless-v2' with properties.version and minCapacity/maxCapacity)",
        "stacktape.yml:13:68: resources.lite.properties.engine.properties.maxCapacity: maxCapacity (2) must be at "
        "least minCapacity (4)",
        "stacktape.yml:14:42: resources.lite.properties.accessibility.accessibilityMode: Aurora Serverless engines "
        "only support 'vpc' or 'scoping-workloads-in-vpc' accessibility; got 'internet' (hint: set "
        "accessibilityMode: scoping-workloads-in-vpc)",
        "stacktape.yml:14:52: resources.lite.properties.accessibility.whitelistedIps: whitelistedIps has no effect "
        "in 'internet' mode: the database already accepts every address (hint: set accessibilityMode: "
        "whitelisted-ips-only (or vpc) to restrict access to these addresses)",
        "stacktape.yml:14:82: resources.lite.properties.accessibility.forceDisablePublicIp: forceDisablePublicIp "
        "leaves an 'internet' database unreachable from the internet (hint: use accessibilityMode: vpc or "
        "scoping-workloads-in-vpc for a database without a public IP)",
        "stacktape.yml:15:37: resources.lite.properties.automatedBackupRetentionDays: automatedBackupRetentionDays 0 "
        "(no backups) is for RDS engines only: Aurora keeps backups 1-35 days (hint: use 1 to 35)",
    ]


def test_a_function_outside_the_vpc_cannot_reach_a_vpc_database(config_errors: Errors,
                                                                write_config: Callable[..., Any]) -> None:
    write_config(HANDLER, "fn.py")
    assert config_errors(database(POSTGRES, "              accessibility: {accessibilityMode: vpc}") + """
          fn:
            type: function
            properties:
              packaging: {type: stacktape-lambda-buildpack, properties: {entryfilePath: fn.py}}
              connectTo: [db]
        """) == [
        "stacktape.yml:20:7: resources.fn.properties.connectTo: Function fn can not connect to the following "
        "resources, unless it is connected to a VPC: db. (hint: set joinDefaultVpc: true on the function)",
    ]


def test_keys_not_built_yet_are_refused_at_their_key(config_errors: Errors) -> None:
    assert config_errors(database(POSTGRES, """
              alarms: []
              disabledGlobalAlarms: [cpu]""")) == [
        "stacktape.yml:15:7: resources.db.properties.alarms: alarms are not supported yet for relational-database "
        "(hint: create CloudWatch alarms on the AWS/RDS metrics with pulumi_aws.cloudwatch.MetricAlarm)",
        "stacktape.yml:16:7: resources.db.properties.disabledGlobalAlarms: disabledGlobalAlarms is not supported "
        "yet: stacktape-pulumi has no global alarms (hint: remove disabledGlobalAlarms)",
    ]


# ---- the Python door ------------------------------------------------------------------------

ENGINE: Any = {"type": "postgres", "properties": {"version": "16.6",
                                                "primary_instance": {"instance_size": "db.t4g.micro"}}}


def test_python_door() -> None:
    def program() -> None:
        ctx = StackContext()
        with pytest.raises(ArgsError, match="RelationalDatabase 'bad': : missing required key 'engine'"):
            RelationalDatabase("bad", {"credentials": {"master_user_password": "x"}}, context=ctx)  # type: ignore[typeddict-item]
        with pytest.raises(StacktapeError, match="masterUserPassword is a literal"):
            RelationalDatabase("literal", {"credentials": {"master_user_password": "hunter2"}, "engine": ENGINE},
                               context=ctx)
        db = RelationalDatabase("db", {"credentials": {"master_user_password": pulumi.Output.secret("s3cret")},
                                       "engine": ENGINE}, context=ctx)
        assert db.instance is not None
        assert db.cluster is None
        db.params["connectionString"].apply(seen.append)

    seen: list[str] = []
    rec = run_offline(program)
    assert rec.one("aws:rds/instance:Instance").secret_inputs == ["password"]
    assert len(seen) == 1
    assert seen[0].startswith("postgresql://db_master_user:s3cret@stacktape-dev-db.c")
    assert seen[0].endswith(".us-east-1.rds.amazonaws.com:5432/defdb")


def test_python_door_takes_logging_options() -> None:
    def program() -> None:
        ctx = StackContext()
        RelationalDatabase("db", {"credentials": {"master_user_password": pulumi.Output.secret("s3cret")},
                                  "engine": ENGINE, "logging": {"engine_specific_options": {
                                      "log_statement": LogStatement.ALL, "log_min_duration_statement": 0}}},
                           context=ctx)
        with pytest.raises(StacktapeError, match="'long_query_time' is not a logging option of postgres"):
            RelationalDatabase("wrong", {"credentials": {"master_user_password": pulumi.Output.secret("s3cret")},
                                         "engine": ENGINE,
                                         "logging": {"engine_specific_options": {"long_query_time": 1}}},
                               context=ctx)

    rec = run_offline(program)
    assert inputs(rec, "aws:rds/parameterGroup:ParameterGroup", "db-parameters")["parameters"] == [
        {"name": "log_min_duration_statement", "value": "0", "applyMethod": "immediate"},
        {"name": "log_statement", "value": "all", "applyMethod": "immediate"}]


def test_injected_names_follow_the_engine(config_errors: Errors) -> None:
    replicas = POSTGRES + "\n                  readReplicas: [{instanceSize: db.t4g.micro}]"
    assert config_errors(database(replicas) + """
          api:
            type: multi-container-workload
            properties:
              connectTo: [db]
              resources: {cpu: 0.25, memory: 512}
              containers:
                - name: app
                  packaging: {type: prebuilt-image, properties: {image: nginx}}
                  environment:
                    - {name: STP_DB_READER_HOST, value: x}
                    - {name: STP_DB_READ_REPLICA0_PORT, value: y}
        """) == [
        "stacktape.yml:27:22: resources.api.properties.containers[0].environment[1].name: environment variable "
        "'STP_DB_READ_REPLICA0_PORT' has the same name as a variable injected by connectTo 'db' (hint: connectTo "
        "sets STP_DB_READ_REPLICA0_PORT itself; rename or remove this variable)",
    ]


def test_a_connection_string_param_in_a_container_is_read_with_value_from(preview: Preview) -> None:
    rec = preview(database(POSTGRES) + """
          api:
            type: multi-container-workload
            properties:
              resources: {cpu: 0.25, memory: 512}
              containers:
                - name: app
                  packaging: {type: prebuilt-image, properties: {image: nginx}}
                  environment:
                    - {name: DATABASE_URL, value: "$ResourceParam('db', 'connectionString')"}
                    - {name: DATABASE_HOST, value: "$ResourceParam('db', 'host')"}
        """)
    task = rec.one("aws:ecs/taskDefinition:TaskDefinition")
    assert task.secret_inputs == []
    definitions = json.loads(task.inputs["containerDefinitions"])
    secret_arn = rec.one("aws:secretsmanager/secretVersion:SecretVersion").inputs["secretId"]
    assert [e["name"] for e in definitions[0]["environment"]] == ["DATABASE_HOST"]
    assert definitions[0]["secrets"] == [{"name": "DATABASE_URL", "valueFrom": f"{secret_arn}:connectionString::"}]
    policy = json.loads(rec.one("aws:iam/rolePolicy:RolePolicy", "api-execution-secrets").inputs["policy"])
    assert policy["Statement"][0]["Resource"] == [secret_arn]


def test_engine_editions_and_addresses_are_located(config_errors: Errors) -> None:
    assert config_errors("""
        resources:
          ms:
            type: relational-database
            properties:
              credentials: {masterUserPassword: $Secret('db')}
              engine:
                type: sqlserver-web
                properties:
                  version: '16.00.4165.4.v1'
                  dbName: app
                  primaryInstance: {instanceSize: db.t3.small}
                  readReplicas: [{instanceSize: db.t3.small}]
              automatedBackupRetentionDays: 0
              accessibility: {accessibilityMode: vpc, whitelistedIps: [0.0.0.0/0, office]}
          ora:
            type: relational-database
            properties:
              credentials: {masterUserPassword: $Secret('db')}
              engine:
                type: oracle-ee
                properties:
                  version: '19.0.0.0.ru-2024-10.rur-2024-10.r1'
                  dbName: TOOLONGSID
                  primaryInstance: {instanceSize: db.m5.large}
              accessibility: {accessibilityMode: whitelisted-ips-only}
        """) == [
        "stacktape.yml:10:11: resources.ms.properties.engine.properties.dbName: dbName is not applicable to "
        "sqlserver-web: SQL Server creates no database on initialization (hint: remove dbName and create databases "
        "with CREATE DATABASE)",
        "stacktape.yml:12:11: resources.ms.properties.engine.properties.readReplicas: sqlserver-web has no read "
        "replicas (hint: use the enterprise edition (oracle-ee, sqlserver-ee) or remove readReplicas)",
        "stacktape.yml:13:37: resources.ms.properties.automatedBackupRetentionDays: read replicas need automated "
        "backups of the primary: automatedBackupRetentionDays must be 1 or more (hint: use 1 to 35)",
        "stacktape.yml:14:64: resources.ms.properties.accessibility.whitelistedIps[0]: '0.0.0.0/0' admits every "
        "address (hint: use accessibilityMode: internet to open the database to everyone)",
        "stacktape.yml:14:75: resources.ms.properties.accessibility.whitelistedIps[1]: 'office' is not an IP address "
        "or CIDR range (hint: for example 203.0.113.50 or 203.0.113.0/24)",
        "stacktape.yml:23:19: resources.ora.properties.engine.properties.dbName: dbName 'TOOLONGSID' is not valid "
        "for oracle-ee: 1-8 letters and digits, starting with a letter (hint: for example 'appdb')",
        "stacktape.yml:25:42: resources.ora.properties.accessibility.accessibilityMode: 'whitelisted-ips-only' "
        "without whitelistedIps admits no address but the resources that connectTo the database (hint: list the "
        "addresses in whitelistedIps, or use scoping-workloads-in-vpc)",
    ]


def test_python_door_refuses_a_function_outside_the_vpc(tmp_path: Path) -> None:
    package = tmp_path / "app.zip"
    with zipfile.ZipFile(package, "w") as archive:
        archive.writestr("index.py", HANDLER)

    def program() -> None:
        ctx = StackContext()
        RelationalDatabase("db", {"credentials": {"master_user_password": pulumi.Output.secret("s3cret")},
                                  "engine": ENGINE,
                                  "accessibility": {"accessibility_mode": DatabaseAccessibilityMode.VPC}},
                           context=ctx)
        args: Any = {"packaging": {"type": "custom-artifact",
                                   "properties": {"package_path": str(package), "handler": "index.py:handler"}},
                     "runtime": "python3.12", "connect_to": ["db"]}
        with pytest.raises(StacktapeError, match="Function fn can not connect to the following resources, unless it "
                                                 "is connected to a VPC: db"):
            Function("fn", args, context=ctx)

    run_offline(program)


def test_validate_notices_a_database_public_by_default(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    config = tmp_path / "stacktape.yml"
    database = ("    type: relational-database\n    properties:\n"
                "      credentials: {masterUserPassword: \"$Secret('db.password')\"}\n"
                "      engine: {type: postgres, properties: {version: '16.4',\n"
                "                                            primaryInstance: {instanceSize: db.t4g.micro}}}\n")
    config.write_text("resources:\n  db:\n" + database + "  open:\n" + database
                      + "      accessibility: {accessibilityMode: internet}\n")
    assert main(["validate", str(config)]) == 0
    assert capsys.readouterr().err == (
        "warning: relational-database db is reachable from the internet (the reference's default accessibilityMode: "
        "internet; credentials still required); set accessibility.accessibilityMode: scoping-workloads-in-vpc to "
        "admit only the resources that connectTo it\n")


def test_a_private_database_uses_the_private_subnets_when_the_stack_has_them(
        preview: Callable[[str], Recording]) -> None:
    database = ("    type: relational-database\n    properties:\n"
                "      credentials: {masterUserPassword: \"$Secret('db.password')\"}\n"
                "      accessibility: {accessibilityMode: scoping-workloads-in-vpc}\n"
                "      engine: {type: postgres, properties: {version: '16.4',\n"
                "                                            primaryInstance: {instanceSize: db.t4g.micro}}}\n")
    worker = ("  worker:\n    type: worker-service\n    properties:\n"
              "      packaging: {type: prebuilt-image, properties: {image: nginx}}\n"
              "      resources: {cpu: 0.25, memory: 512}\n      usePrivateSubnetsWithNAT: true\n")
    rec = preview("resources:\n  db:\n" + database + worker)
    subnets = rec.one("aws:rds/subnetGroup:SubnetGroup").inputs["subnetIds"]
    assert sorted(subnets) == sorted(rec.one("aws:ecs/service:Service").inputs["networkConfiguration"]["subnets"])
    assert rec.one("aws:ecs/service:Service").inputs["networkConfiguration"]["assignPublicIp"] is False
    # Without NAT in the stack: the public subnets (canned ids are stable by name, so these differ from the above).
    alone = preview("resources:\n  db:\n" + database).one("aws:rds/subnetGroup:SubnetGroup").inputs["subnetIds"]
    assert len(alone) == 3
    assert not set(alone) & set(subnets)


# ---- logging parameters (engineSpecificOptions) ------------------------------------------------

@pytest.mark.parametrize(("engine", "version", "family"), [
    ("postgres", "16.6", "postgres16"),
    ("postgres", "16", "postgres16"),
    ("postgres", "9.6.24", "postgres9.6"),
    ("aurora-postgresql", "15.4", "aurora-postgresql15"),
    ("aurora-postgresql-serverless-v2", "16.6", "aurora-postgresql16"),
    ("mysql", "8.0.40", "mysql8.0"),
    ("mysql", "8.4.3", "mysql8.4"),
    ("aurora-mysql", "8.0.mysql_aurora.3.08.0", "aurora-mysql8.0"),
    ("aurora-mysql-serverless-v2", "8.0.mysql_aurora.3.08.0", "aurora-mysql8.0"),
    ("mariadb", "10.11.9", "mariadb10.11"),
    ("mysql", "8", None),
    ("oracle-ee", "19.0.0.0.ru-2024-10.rur-2024-10.r1", None),
])
def test_parameter_group_families(engine: str, version: str, family: str | None) -> None:
    assert rds_parameters.parameter_group_family(engine, version) == family


@pytest.mark.parametrize(("family", "options", "parameters", "audit", "log_types"), [
    ("postgres16", PostgresLoggingOptions(), (("log_min_duration_statement", "10000"), ("log_statement", "ddl")),
     None, ("postgresql",)),
    ("postgres16", PostgresLoggingOptions(log_connections=True, log_disconnections=True, log_lock_waits=True,
                                          log_min_duration_statement=-1, log_statement="all"),
     (("log_connections", "1"), ("log_disconnections", "1"), ("log_lock_waits", "1"),
      ("log_min_duration_statement", "-1"), ("log_statement", "all")), None, ("postgresql",)),
    ("mysql8.0", MysqlLoggingOptions(), (("slow_query_log", "1"), ("long_query_time", "10"), ("log_output", "FILE")),
     "QUERY_DDL", ("error", "slowquery", "audit")),
    ("mysql8.0", MysqlLoggingOptions(long_query_time=-1, server_audit_events=[]),
     (("slow_query_log", "0"), ("log_output", "FILE")), None, ("error",)),
    ("mysql8.0", MysqlLoggingOptions(long_query_time=0.000001, server_audit_events=["CONNECT", "QUERY_DML"]),
     (("slow_query_log", "1"), ("long_query_time", "0.000001"), ("log_output", "FILE")), "CONNECT,QUERY_DML",
     ("error", "slowquery", "audit")),
    ("mariadb10.6", MysqlLoggingOptions(), (("slow_query_log", "1"), ("long_query_time", "10"), ("log_output", "FILE")),
     "QUERY_DDL", ("error", "slowquery", "audit")),
    ("aurora-mysql8.0", MysqlLoggingOptions(long_query_time=2.5),
     (("slow_query_log", "1"), ("long_query_time", "2.5"), ("log_output", "FILE"), ("server_audit_logging", "1"),
      ("server_audit_events", "QUERY_DDL")), None, ("error", "slowquery", "audit")),
])
def test_logging_parameters_per_family(family: str, options: PostgresLoggingOptions | MysqlLoggingOptions,
                                       parameters: tuple[tuple[str, str], ...], audit: str | None,
                                       log_types: tuple[str, ...]) -> None:
    assert rds_parameters.logging_parameters(family, options.model_dump()) == rds_parameters.LoggingParameters(
        family, parameters, audit, log_types)


def test_postgres_logging_options_are_the_parameter_group(preview: Preview) -> None:
    rec = preview(database(POSTGRES, """
              logging:
                engineSpecificOptions:
                  log_connections: true
                  log_lock_waits: true
                  log_min_duration_statement: 500
                  log_statement: mod"""))
    assert inputs(rec, "aws:rds/parameterGroup:ParameterGroup", "db-parameters")["parameters"] == [
        {"name": "log_connections", "value": "1", "applyMethod": "immediate"},
        {"name": "log_lock_waits", "value": "1", "applyMethod": "immediate"},
        {"name": "log_min_duration_statement", "value": "500", "applyMethod": "immediate"},
        {"name": "log_statement", "value": "mod", "applyMethod": "immediate"}]
    instance = inputs(rec, "aws:rds/instance:Instance", "db-instance")
    assert (instance["parameterGroupName"], instance["enabledCloudwatchLogsExports"]) == (
        "stacktape-dev-db-postgres16", ["postgresql"])


def test_mysql_without_slow_or_audit_logs_needs_no_option_group(preview: Preview) -> None:
    rec = preview(database("""
                type: mysql
                properties:
                  version: '8.0.40'
                  primaryInstance: {instanceSize: db.t4g.micro}""", """
              logging:
                engineSpecificOptions: {long_query_time: -1, server_audit_events: []}"""))
    assert inputs(rec, "aws:rds/parameterGroup:ParameterGroup", "db-parameters") == {
        "name": "stacktape-dev-db-mysql8-0", "family": "mysql8.0", "description": "Logging parameters of database db",
        "parameters": [{"name": "slow_query_log", "value": "0", "applyMethod": "immediate"},
                       {"name": "log_output", "value": "FILE", "applyMethod": "immediate"}], "tags": TAGS}
    instance = inputs(rec, "aws:rds/instance:Instance", "db-instance")
    assert (instance["enabledCloudwatchLogsExports"], "optionGroupName" in instance) == (["error"], False)
    assert not [r for r in rec.resources if r.type == "aws:rds/optionGroup:OptionGroup"]
    assert [r.name for r in rec.resources if r.type == "aws:cloudwatch/logGroup:LogGroup"] == ["db-error-logs"]


def test_disabled_logging_and_engines_without_options_have_no_parameter_group(preview: Preview) -> None:
    disabled = preview(database(POSTGRES, "              logging: {disabled: true}"))
    sql_server = preview(database("""
                type: sqlserver-ex
                properties:
                  version: '16.00.4165.4.v1'
                  primaryInstance: {instanceSize: db.t3.small}"""))
    for rec in (disabled, sql_server):
        assert not [r for r in rec.resources if r.type.startswith(("aws:rds/parameterGroup", "aws:rds/optionGroup"))]
        assert "parameterGroupName" not in inputs(rec, "aws:rds/instance:Instance", "db-instance")


def test_logging_options_are_checked_at_their_key(config_errors: Errors) -> None:
    mysql = """
                type: mysql
                properties:
                  version: '{version}'
                  primaryInstance: {{instanceSize: db.t4g.micro}}"""
    assert config_errors(database(mysql.format(version="8.0.40"), """
              logging:
                engineSpecificOptions: {log_statement: all}""")) == [
        "stacktape.yml:15:33: resources.db.properties.logging.engineSpecificOptions.log_statement: 'log_statement' "
        "is not a logging option of mysql; allowed: server_audit_events, long_query_time"]
    assert config_errors(database(mysql.format(version="8.0.40"), """
              logging:
                engineSpecificOptions: {long_query_time: -0.5, server_audit_events: [CONNECT, TABLE]}""")) == [
        "stacktape.yml:15:87: resources.db.properties.logging.engineSpecificOptions.server_audit_events[1]: invalid "
        "value 'TABLE'; allowed values: 'CONNECT', 'QUERY', 'QUERY_DCL', 'QUERY_DDL', 'QUERY_DML' or "
        "'QUERY_DML_NO_SELECT'"]
    assert config_errors(database(mysql.format(version="8.0.40"), """
              logging:
                engineSpecificOptions: {long_query_time: -0.5}""")) == [
        "stacktape.yml:15:50: resources.db.properties.logging.engineSpecificOptions.long_query_time: long_query_time "
        "-0.5 is not valid: -1 (off) or 0 and more seconds (hint: for example 10)"]
    assert config_errors(database(POSTGRES, """
              logging:
                disabled: true
                engineSpecificOptions: {log_statement: all}""")) == [
        "stacktape.yml:17:9: resources.db.properties.logging.engineSpecificOptions: engineSpecificOptions have no "
        "effect with logging.disabled: true (hint: remove engineSpecificOptions or logging.disabled)"]
    assert config_errors(database(mysql.format(version="8"))) == [
        "stacktape.yml:11:20: resources.db.properties.engine.properties.version: engine version '8' does not name "
        "the major and minor version the mysql DB parameter group (its logging parameters) needs (hint: for example "
        "'8.0.40' (MySQL), '10.11.9' (MariaDB) or '16.6' (PostgreSQL))"]
    assert config_errors(database("""
                type: sqlserver-ex
                properties:
                  version: '16.00.4165.4.v1'
                  primaryInstance: {instanceSize: db.t3.small}""", """
              logging:
                engineSpecificOptions: {}""")) == [
        "stacktape.yml:15:9: resources.db.properties.logging.engineSpecificOptions: engineSpecificOptions apply to "
        "PostgreSQL, MySQL and MariaDB engines; sqlserver-ex has none (hint: remove engineSpecificOptions)"]
