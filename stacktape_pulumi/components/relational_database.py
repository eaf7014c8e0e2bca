"""`relational-database`: an RDS instance with read replicas, an Aurora cluster, or Aurora Serverless v2.

AWS: RDS (DB subnet group, instance / cluster and cluster instances, the DB (cluster) parameter group and
option group its logging options need), EC2 (the database's security
group and its ingress rules), Secrets Manager (the connection strings, which hold the password),
CloudWatch Logs (the exported log groups, created first so their retention applies).
"""

from __future__ import annotations  # see stacktape_pulumi/components/__init__.py

import json
from typing import TYPE_CHECKING, Any

import pulumi
import pulumi_aws as aws

from stacktape_pulumi.aws import rds
from stacktape_pulumi.aws.naming import LIMITS
from stacktape_pulumi.aws.rds_parameters import (
    APPLY_METHOD,
    AUDIT_EVENTS_SETTING,
    AUDIT_OPTION,
    LoggingParameters,
    logging_parameters,
    major_engine_version,
    parameter_group_family,
)
from stacktape_pulumi.aws.security_groups import group_description
from stacktape_pulumi.checks.relational_database import (
    accessibility_mode,
    engine_logging_options,
    whitelisted_cidrs,
)
from stacktape_pulumi.components.base import StacktapeComponent
from stacktape_pulumi.components.connect import NetworkAccess
from stacktape_pulumi.components.context import StackContext
from stacktape_pulumi.config.models.relational_database import (
    DEFAULT_DB_NAME,
    DEFAULT_PORTS,
    AuroraEngine,
    AuroraServerlessV2Engine,
    RdsEngine,
    RelationalDatabaseProps,
    engine_family,
)
from stacktape_pulumi.errors import StacktapeError

if TYPE_CHECKING:
    from collections.abc import Sequence

    from stacktape_pulumi.args import RelationalDatabaseArgs

KIND = "RelationalDatabase"
ORACLE_DB_NAME = "ORCL"
# Storage class of RDS instances: gp3 (baseline 3000 IOPS), the current general-purpose SSD.
STORAGE_TYPE = "gp3"
SERVERLESS_INSTANCE_CLASS = "db.serverless"
WORLD = "0.0.0.0/0"


def _secret_output(value: Any) -> pulumi.Output[str]:
    """`value` as a string Output marked secret."""
    text: pulumi.Output[str] = pulumi.Output.from_input(value).apply(str)
    return pulumi.Output.secret(text)


class RelationalDatabase(StacktapeComponent[RelationalDatabaseProps]):
    """A managed SQL database: RDS (PostgreSQL, MySQL, MariaDB, Oracle, SQL Server), Aurora or Aurora Serverless v2."""

    security_group: aws.ec2.SecurityGroup
    """The database's security group (ingress: the accessibility mode's sources and the connectTo callers)."""
    subnet_group: aws.rds.SubnetGroup
    """The subnets of the stack's VPC the database lives in."""
    instance: aws.rds.Instance | None
    """The primary instance (RDS engines)."""
    read_replicas: list[aws.rds.Instance]
    """The read replicas of the primary instance (RDS engines)."""
    cluster: aws.rds.Cluster | None
    """The Aurora cluster (Aurora engines)."""
    cluster_instances: list[aws.rds.ClusterInstance]
    """The cluster's instances, writer first (Aurora engines)."""
    parameter_group: aws.rds.ParameterGroup | aws.rds.ClusterParameterGroup | None
    """The logging parameters (PostgreSQL, MySQL, MariaDB with logging on): a DB parameter group for RDS, a DB
    cluster parameter group for Aurora."""
    option_group: aws.rds.OptionGroup | None
    """RDS MySQL/MariaDB with audit events: the option group with the MariaDB audit plugin."""
    connection_secret: aws.secretsmanager.Secret
    """Secrets Manager secret holding every connection string (JSON, one key per param)."""
    params: dict[str, pulumi.Output[Any]]
    """The values `$ResourceParam('<name>', '<param>')` reads: host, port, dbName, connectionString, ..."""

    def __init__(self, name: str, args: RelationalDatabaseArgs,
                 opts: pulumi.ResourceOptions | None = None, *, context: StackContext | None = None) -> None:
        """Validate `args` (the YAML's `properties`, or a `RelationalDatabaseProps`) and create the database."""
        super().__init__(KIND, "relational-database", name, args, RelationalDatabaseProps, opts, context)
        props = self.props
        engine = props.engine
        if not isinstance(engine, RdsEngine | AuroraEngine | AuroraServerlessV2Engine):
            # `validate` refuses Aurora Serverless v1 with its location; the models still parse it.
            raise StacktapeError(f"{KIND} '{name}': engine type '{engine.type}' is not supported yet")
        self._engine = engine
        self._family = engine_family(engine.type)
        self._port = getattr(engine.properties, "port", None) or DEFAULT_PORTS[self._family]
        self._mode = accessibility_mode(props)
        self._cidrs = [WORLD] if self._mode == "internet" else whitelisted_cidrs(props)
        access = props.accessibility
        self._public = bool(self._cidrs) and not (access is not None and access.forceDisablePublicIp)
        self._identifier = rds.identifier(self.context.stack_name, name)
        self._password = _secret_output(self.context.output_value(props.credentials.masterUserPassword))
        self._network = self.context.network()
        self._logging = self._logging_parameters()

        self.security_group = self._create_security_group()
        self._create_cidr_ingress()
        self.subnet_group = self._create_subnet_group()
        self.instance = None
        self.read_replicas = []
        self.cluster = None
        self.cluster_instances = []
        self.parameter_group = None
        self.option_group = None
        # The writer's endpoint: the primary instance's address, or the cluster's endpoint.
        self._host = self._create_rds(engine) if isinstance(engine, RdsEngine) else self._create_cluster(engine)
        self.params = self._params()
        self.connection_secret = self._create_connection_secret()
        self.publish(self.params)

    # ---- read by connectTo -----------------------------------------------------------------
    @property
    def network_access(self) -> NetworkAccess:
        """How connectTo callers reach the database: its group admits theirs on its port (not in internet mode)."""
        return NetworkAccess(self.security_group.id, self._port, admits_callers=self._mode != "internet",
                             needs_vpc=self._mode in ("vpc", "scoping-workloads-in-vpc"),
                             secret_arn=self.connection_secret.arn)

    # ---- recipe steps --------------------------------------------------------------------
    def _create_security_group(self) -> aws.ec2.SecurityGroup:
        # No egress: a database initiates no connections.
        return aws.ec2.SecurityGroup(
            f"{self.resource_name}-sg",
            description=group_description(f"Database {self.resource_name} in stack {self.context.stack_name}"),
            vpc_id=self._network.vpc_id, egress=[], tags=self.tags, opts=self.child_opts())

    def _create_cidr_ingress(self) -> None:
        """`internet`: the world on the database's port (the reference's default); otherwise the whitelisted IPs."""
        for index, cidr in enumerate(self._cidrs):
            key = "internet" if cidr == WORLD else f"whitelisted-{index}"
            aws.vpc.SecurityGroupIngressRule(
                f"{self.resource_name}-ingress-{key}", security_group_id=self.security_group.id, cidr_ipv4=cidr,
                ip_protocol="tcp", from_port=self._port, to_port=self._port,
                description="accessibilityMode internet" if cidr == WORLD else "whitelistedIps",
                tags=self.tags, opts=self.child_opts())

    def _create_subnet_group(self) -> aws.rds.SubnetGroup:
        # A database without a public IP sits in the stack's private subnets when the stack has them (its
        # workloads use NAT); otherwise the public ones, as the reference (`publiclyAccessible` then decides).
        private = not self._public and self.context.plan.private_subnets
        return aws.rds.SubnetGroup(
            f"{self.resource_name}-subnet-group", name=self._identifier,
            description=f"Subnets of database {self.resource_name}",
            subnet_ids=self._network.subnets(True) if private else self._network.public_subnet_ids,
            tags=self.tags, opts=self.child_opts())

    def _logging_parameters(self) -> LoggingParameters | None:
        """What the engine's logging options (written, or the reference's defaults) set; None without any."""
        options = engine_logging_options(self.props)
        if options is None:
            return None
        family = parameter_group_family(self._engine.type, self._engine.properties.version)
        if family is None:  # `validate` reports it at engine.properties.version
            raise StacktapeError(f"{KIND} '{self.resource_name}': engine version '{self._engine.properties.version}' "
                                 "names no DB parameter group family")
        logging = self.props.logging
        written = tuple(logging.logTypes or ()) if logging is not None else ()
        return logging_parameters(family, options.model_dump(), written)

    def _log_exports(self) -> list[str]:
        logging = self.props.logging
        if logging is not None and logging.disabled:
            return []
        if logging is not None and logging.logTypes:
            return list(dict.fromkeys(logging.logTypes))
        if self._logging is not None:
            return list(self._logging.log_types)
        return list(rds.default_log_exports(self._family, self._engine.type))

    def _group_name(self, kind: str, *parts: str) -> str:
        # The family is part of the name: a major version upgrade makes a new group before the old one goes.
        return rds.identifier(self.context.stack_name, self.resource_name, *parts, limit=LIMITS[kind])

    def _create_parameter_group(self) -> pulumi.Output[str] | None:
        """RDS: the DB parameter group with the logging parameters; the instance and its replicas use it."""
        settings = self._logging
        if settings is None:
            return None
        group = aws.rds.ParameterGroup(
            f"{self.resource_name}-parameters", name=self._group_name("db-parameter-group", settings.family),
            family=settings.family, description=f"Logging parameters of database {self.resource_name}",
            parameters=[aws.rds.ParameterGroupParameterArgs(name=name, value=value, apply_method=APPLY_METHOD)
                        for name, value in settings.parameters],
            tags=self.tags, opts=self.child_opts())
        self.parameter_group = group
        return group.name

    def _create_cluster_parameter_group(self) -> pulumi.Output[str] | None:
        """Aurora: the logging parameters are cluster parameters, one group for every instance."""
        settings = self._logging
        if settings is None:
            return None
        group = aws.rds.ClusterParameterGroup(
            f"{self.resource_name}-cluster-parameters",
            name=self._group_name("db-parameter-group", settings.family),
            family=settings.family, description=f"Logging parameters of database {self.resource_name}",
            parameters=[aws.rds.ClusterParameterGroupParameterArgs(name=name, value=value,
                                                                   apply_method=APPLY_METHOD)
                        for name, value in settings.parameters],
            tags=self.tags, opts=self.child_opts())
        self.parameter_group = group
        return group.name

    def _create_option_group(self) -> pulumi.Output[str] | None:
        """RDS MySQL/MariaDB: the audit log is the MariaDB audit plugin, an option of a custom option group."""
        settings = self._logging
        if settings is None or settings.audit_events is None:
            return None
        major = major_engine_version(settings.family)
        group = aws.rds.OptionGroup(
            f"{self.resource_name}-options", name=self._group_name("db-option-group", "audit", settings.family),
            engine_name=self._engine.type, major_engine_version=major,
            option_group_description=f"Audit log of database {self.resource_name}",
            options=[aws.rds.OptionGroupOptionArgs(option_name=AUDIT_OPTION, option_settings=[
                aws.rds.OptionGroupOptionOptionSettingArgs(name=AUDIT_EVENTS_SETTING, value=settings.audit_events)])],
            tags=self.tags, opts=self.child_opts())
        self.option_group = group
        return group.name

    def _create_log_groups(self, kind: str, exports: Sequence[str]) -> list[aws.cloudwatch.LogGroup]:
        """RDS writes to `/aws/rds/<instance|cluster>/<id>/<type>`: created first, they keep the retention asked."""
        days = self.props.logging.retentionDays if self.props.logging is not None else 90
        return [aws.cloudwatch.LogGroup(
            f"{self.resource_name}-{log_type}-logs", name=f"/aws/rds/{kind}/{self._identifier}/{log_type}",
            retention_in_days=days, tags=self.tags, opts=self.child_opts()) for log_type in exports]

    def _db_name(self) -> str | None:
        if self._family == "sqlserver":
            return None
        written = getattr(self._engine.properties, "dbName", None)
        return written or (ORACLE_DB_NAME if self._family == "oracle" else DEFAULT_DB_NAME)

    def _database_settings(self, exports: Sequence[str]) -> dict[str, Any]:
        """The inputs an RDS instance and an Aurora cluster share (same names in both resources)."""
        props = self.props
        return {
            "port": self._port,
            "db_subnet_group_name": self.subnet_group.name,
            "vpc_security_group_ids": [self.security_group.id],
            "storage_encrypted": True,
            "backup_retention_period": props.automatedBackupRetentionDays,
            "deletion_protection": props.deletionProtection,
            "enabled_cloudwatch_logs_exports": list(exports) or None,
            "copy_tags_to_snapshot": True,
            # Deleting the database keeps a final snapshot (CloudFormation's default for a DB instance).
            "skip_final_snapshot": False,
            "final_snapshot_identifier": rds.final_snapshot_identifier(self._identifier),
            "tags": self.tags,
        }

    def _create_rds(self, engine: RdsEngine) -> pulumi.Output[str]:
        props, engine_props = self.props, engine.properties
        storage = engine_props.storage
        exports = self._log_exports()
        logs = self._create_log_groups("instance", exports)
        parameter_group = self._create_parameter_group()
        option_group = self._create_option_group()
        self.instance = aws.rds.Instance(
            f"{self.resource_name}-instance",
            identifier=self._identifier,
            engine=engine.type,
            engine_version=engine_props.version,
            license_model=rds.LICENSE_MODELS.get(engine.type),
            instance_class=engine_props.primaryInstance.instanceSize,
            multi_az=engine_props.primaryInstance.multiAz,
            allocated_storage=storage.initialSize if storage else 20,
            max_allocated_storage=storage.maxSize if storage else 200,
            storage_type=STORAGE_TYPE,
            db_name=self._db_name(),
            username=props.credentials.masterUserName,
            password=self._password,
            publicly_accessible=self._public,
            maintenance_window=props.preferredMaintenanceWindow,
            auto_minor_version_upgrade=not engine_props.disableAutoMinorVersionUpgrade,
            parameter_group_name=parameter_group,
            option_group_name=option_group,
            **self._database_settings(exports),
            # The identifier names the log groups created above, so it is fixed: a replacement (a new
            # engine, user name or zone) must delete the old database first (its final snapshot is
            # taken); a new database starts empty either way.
            opts=self.child_opts(depends_on=logs, delete_before_replace=True))
        for index, replica in enumerate(engine_props.readReplicas or []):
            replica_id = rds.identifier(self._identifier, f"replica-{index}")
            self.read_replicas.append(aws.rds.Instance(
                f"{self.resource_name}-replica-{index}",
                identifier=replica_id,
                replicate_source_db=self.instance.identifier,
                instance_class=replica.instanceSize,
                multi_az=replica.multiAz,
                storage_type=STORAGE_TYPE,
                storage_encrypted=True,
                max_allocated_storage=storage.maxSize if storage else 200,
                port=self._port,
                vpc_security_group_ids=[self.security_group.id],
                publicly_accessible=self._public,
                auto_minor_version_upgrade=not engine_props.disableAutoMinorVersionUpgrade,
                # A replica logs like its primary; it takes the primary's option group by default.
                parameter_group_name=parameter_group,
                # A replica holds no data of its own: the primary's backups and final snapshot cover it.
                skip_final_snapshot=True,
                tags=self.tags,
                # Its identifier is fixed like the primary's (see above); a replica loses nothing.
                opts=self.child_opts(delete_before_replace=True)))
        return self.instance.address

    def _create_cluster(self, engine: AuroraEngine | AuroraServerlessV2Engine) -> pulumi.Output[str]:
        props, engine_props = self.props, engine.properties
        cluster_engine = engine.type.removesuffix("-serverless-v2")
        exports = self._log_exports()
        logs = self._create_log_groups("cluster", exports)
        parameter_group = self._create_cluster_parameter_group()
        scaling = None
        if isinstance(engine, AuroraServerlessV2Engine):
            scaling = aws.rds.ClusterServerlessv2ScalingConfigurationArgs(
                min_capacity=engine.properties.minCapacity, max_capacity=engine.properties.maxCapacity)
        self.cluster = aws.rds.Cluster(
            f"{self.resource_name}-cluster",
            cluster_identifier=self._identifier,
            engine=cluster_engine,
            engine_mode="provisioned",
            engine_version=engine_props.version,
            database_name=self._db_name(),
            master_username=props.credentials.masterUserName,
            master_password=self._password,
            serverlessv2_scaling_configuration=scaling,
            db_cluster_parameter_group_name=parameter_group,
            preferred_maintenance_window=props.preferredMaintenanceWindow,
            **self._database_settings(exports),
            # Fixed identifier (it names the log groups created above): see `_create_rds`.
            opts=self.child_opts(depends_on=logs, delete_before_replace=True))
        if isinstance(engine, AuroraServerlessV2Engine):
            sizes = [SERVERLESS_INSTANCE_CLASS] * (1 + engine.properties.serverlessReadersCount)
        else:
            sizes = [instance.instanceSize for instance in engine.properties.instances]
        for index, size in enumerate(sizes):
            self.cluster_instances.append(aws.rds.ClusterInstance(
                f"{self.resource_name}-instance-{index}",
                identifier=rds.identifier(self._identifier, str(index)),
                cluster_identifier=self.cluster.id,
                engine=aws.rds.EngineType(cluster_engine),
                engine_version=self.cluster.engine_version,
                instance_class=size,
                db_subnet_group_name=self.subnet_group.name,
                publicly_accessible=self._public,
                auto_minor_version_upgrade=not engine_props.disableAutoMinorVersionUpgrade,
                preferred_maintenance_window=props.preferredMaintenanceWindow,
                # The first instance is the writer: it is promoted first after a failover too.
                promotion_tier=0 if index == 0 else 1,
                tags=self.tags,
                # Identifiers derived from the cluster's: replaced with it, after it is deleted.
                opts=self.child_opts(delete_before_replace=True)))
        return self.cluster.endpoint

    # ---- params --------------------------------------------------------------------------
    def _connection_strings(self, host: pulumi.Input[str]) -> tuple[pulumi.Output[str], pulumi.Output[str]]:
        """The connection string and JDBC URL of one endpoint (secret: they hold the password)."""
        user, db_name, family, port = self.props.credentials.masterUserName, self._db_name(), self._family, self._port

        def endpoint(values: list[Any]) -> rds.Endpoint:
            return rds.Endpoint(family, str(values[0]), port, user, str(values[1]), db_name)

        known = pulumi.Output.all(host, self._password)
        return (_secret_output(known.apply(lambda v: rds.connection_string(endpoint(v)))),
                _secret_output(known.apply(lambda v: rds.jdbc_connection_string(endpoint(v)))))

    def _params(self) -> dict[str, pulumi.Output[Any]]:
        port = pulumi.Output.from_input(self._port)
        host = self._host
        connection, jdbc = self._connection_strings(host)
        params: dict[str, pulumi.Output[Any]] = {"host": host, "port": port}
        db_name = self._db_name()
        if db_name is not None:
            params["dbName"] = pulumi.Output.from_input(db_name)
        params.update({"connectionString": connection, "jdbcConnectionString": jdbc})
        if self.cluster is not None:
            reader_connection, reader_jdbc = self._connection_strings(self.cluster.reader_endpoint)
            params.update({
                "readerHost": self.cluster.reader_endpoint, "readerPort": port,
                "readerConnectionString": reader_connection, "readerJdbcConnectionString": reader_jdbc,
                "hosts": pulumi.Output.all(*[i.endpoint for i in self.cluster_instances]).apply(",".join),
            })
        if self.read_replicas:
            pairs = [self._connection_strings(replica.address) for replica in self.read_replicas]
            params.update({
                "readReplicaHosts": pulumi.Output.all(*[r.address for r in self.read_replicas]).apply(",".join),
                "readReplicaConnectionStrings": _secret_output(
                    pulumi.Output.all(*[c for c, _ in pairs]).apply(",".join)),
                "readReplicaJdbcConnectionStrings": _secret_output(
                    pulumi.Output.all(*[j for _, j in pairs]).apply(",".join)),
                **{f"readReplica{index}Port": port for index in range(len(self.read_replicas))},
            })
        return params

    def _create_connection_secret(self) -> aws.secretsmanager.Secret:
        """The connection strings as one JSON secret: containers that connectTo the database read its keys."""
        secret = aws.secretsmanager.Secret(
            f"{self.resource_name}-connection-strings",
            description=f"Connection strings of database {self.resource_name} in stack {self.context.stack_name}",
            # Derived data, rebuilt on every deploy: no recovery window to block a re-created stack's name.
            recovery_window_in_days=0, tags=self.tags, opts=self.child_opts())
        keys = [key for key in ("connectionString", "jdbcConnectionString", "readerConnectionString",
                                "readerJdbcConnectionString", "readReplicaConnectionStrings",
                                "readReplicaJdbcConnectionStrings") if key in self.params]
        document = pulumi.Output.all(*[self.params[key] for key in keys]).apply(
            lambda values: json.dumps(dict(zip(keys, values, strict=True)), separators=(",", ":")))
        aws.secretsmanager.SecretVersion(
            f"{self.resource_name}-connection-strings-version", secret_id=secret.id,
            secret_string=_secret_output(document), opts=self.child_opts())
        return secret
