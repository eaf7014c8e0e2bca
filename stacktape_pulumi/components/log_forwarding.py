"""`logging.logForwarding`: a log group's events sent to an HTTP endpoint through Kinesis Data Firehose.

Per resource that forwards (as the reference, behaviour notes §2.15): one backup bucket for the
deliveries that fail (private, SSE-S3), and one Firehose role that may write exactly that
bucket's objects. Per forwarded log group: a `DirectPut` delivery stream with an HTTP endpoint
destination (failed data only to the bucket), a role CloudWatch Logs assumes that may put records
into exactly that stream, and a subscription filter with the empty pattern (every event).

Credentials (`accessKey`, the Datadog `apiKey`) arrive as secret directives or Outputs (the checks
refuse literals) and are always passed as Pulumi secrets.
"""

from __future__ import annotations  # see stacktape_pulumi/components/__init__.py

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import pulumi
import pulumi_aws as aws

from stacktape_pulumi.aws import iam
from stacktape_pulumi.aws.json_output import json_output
from stacktape_pulumi.aws.naming import fit, physical
from stacktape_pulumi.config.models.shared import (
    DatadogLogForwardingProps,
    HighlightLogForwardingProps,
    HttpEndpointLogForwardingProps,
)

if TYPE_CHECKING:
    from stacktape_pulumi.components.base import StacktapeComponent

HIGHLIGHT_URL = "https://pub.highlight.io/v1/logs/firehose"
DATADOG_URL = "https://aws-kinesis-http-intake.logs.datadoghq.com/v1/input"
HIGHLIGHT_PROJECT_ATTRIBUTE = "x-highlight-project"  # how highlight.io's Firehose intake reads the project
DEFAULT_RETRY_SECONDS = 300
DATADOG_RETRY_SECONDS = 60  # the reference's
BACKUP_BUFFER_MB, BACKUP_BUFFER_SECONDS = 5, 300
ENDPOINT_NAME_LIMIT = 256  # botocore HttpEndpointName
FILTER_NAME_LIMIT = 512  # botocore FilterName
# What Firehose needs on its backup bucket (AWS's "Grant Firehose access to an Amazon S3 destination").
BACKUP_BUCKET_ACTIONS = [
    "s3:AbortMultipartUpload",
    "s3:GetBucketLocation",
    "s3:GetObject",
    "s3:ListBucket",
    "s3:ListBucketMultipartUploads",
    "s3:PutObject",
]


@dataclass(frozen=True)
class Delivery:
    """What one forwarding config sends: where, how batched, with which header values."""

    url: str
    buffer_mb: int
    retry_seconds: int
    gzip: bool
    access_key: Any  # None, or a value/Output made secret before use
    attributes: dict[str, Any]


def delivery(props: Any) -> Delivery:
    """The reference's settings per destination type (behaviour notes §2.15)."""
    if isinstance(props, HttpEndpointLogForwardingProps):
        retry = props.retryDuration if props.retryDuration is not None else DEFAULT_RETRY_SECONDS
        return Delivery(props.endpointUrl, 1, retry, props.gzipEncodingEnabled, props.accessKey,
                        dict(props.parameters or {}))
    if isinstance(props, HighlightLogForwardingProps):
        return Delivery(props.endpointUrl or HIGHLIGHT_URL, 1, DEFAULT_RETRY_SECONDS, True, None,
                        {HIGHLIGHT_PROJECT_ATTRIBUTE: props.projectId})
    if isinstance(props, DatadogLogForwardingProps):
        return Delivery(props.endpointUrl or DATADOG_URL, 4, DATADOG_RETRY_SECONDS, True, props.apiKey, {})
    raise TypeError(f"unknown log forwarding properties {type(props).__name__}")


def endpoint_name(url: str) -> str:
    """The endpoint's display name in Firehose: the URL without its scheme (the reference's)."""
    return fit(url.removeprefix("https://"), ENDPOINT_NAME_LIMIT) or url


class LogForwarder:
    """The log forwarding of one component: its shared backup bucket and Firehose role, then one stream per group."""

    def __init__(self, owner: StacktapeComponent[Any]) -> None:
        self._owner = owner
        self._backup: tuple[aws.s3.Bucket, aws.iam.Role, aws.iam.RolePolicy] | None = None
        self.streams: dict[str, aws.kinesis.FirehoseDeliveryStream] = {}
        """Delivery stream of each forwarded log group, by the key it was forwarded under."""

    def forward(self, key: str, group: aws.cloudwatch.LogGroup, forwarding: Any) -> None:
        """Send every event of `group` where `forwarding` (a `LogForwarding` model) says; `key` names the group."""
        owner, context = self._owner, self._owner.context
        bucket, firehose_role, backup_policy = self._backup_parts()
        prefix = "-".join(part for part in (owner.resource_name, key) if part)
        settings = delivery(forwarding.properties)
        # `aws.kinesis` is looked up here, not at import: pulumi_aws imports a service's module on
        # first attribute access (~0.1 s for kinesis), which a stack that forwards no logs must not pay.
        kinesis = aws.kinesis
        stream = kinesis.FirehoseDeliveryStream(
            f"{prefix}-log-delivery-stream",
            name=re.sub(r"[^a-zA-Z0-9_.-]", "-", physical("delivery-stream", context.stack_name, prefix)),
            destination="http_endpoint",
            server_side_encryption=kinesis.FirehoseDeliveryStreamServerSideEncryptionArgs(
                enabled=True, key_type="AWS_OWNED_CMK"),
            http_endpoint_configuration=kinesis.FirehoseDeliveryStreamHttpEndpointConfigurationArgs(
                url=settings.url,
                name=endpoint_name(settings.url),
                access_key=self._secret(settings.access_key),
                buffering_size=settings.buffer_mb,
                buffering_interval=60,
                retry_duration=settings.retry_seconds,
                role_arn=firehose_role.arn,
                s3_backup_mode="FailedDataOnly",
                s3_configuration=kinesis.FirehoseDeliveryStreamHttpEndpointConfigurationS3ConfigurationArgs(
                    role_arn=firehose_role.arn, bucket_arn=bucket.arn, prefix=f"{prefix}/",
                    buffering_size=BACKUP_BUFFER_MB, buffering_interval=BACKUP_BUFFER_SECONDS),
                request_configuration=kinesis.FirehoseDeliveryStreamHttpEndpointConfigurationRequestConfigurationArgs(
                    content_encoding="GZIP" if settings.gzip else "NONE",
                    common_attributes=[
                        kinesis.FirehoseDeliveryStreamHttpEndpointConfigurationRequestConfigurationCommonAttributeArgs(
                            name=name, value=context.output_value(value))
                        for name, value in settings.attributes.items()] or None)),
            tags=owner.tags,
            # Firehose checks it may write the bucket when the stream is created.
            opts=owner.child_opts(depends_on=[backup_policy]))
        subscription_role = aws.iam.Role(
            f"{prefix}-log-subscription-role",
            name=context.iam_name(prefix, "logs-sub"),
            assume_role_policy=self._logs_trust(),
            tags=owner.tags, opts=owner.child_opts())
        put_records = iam.inline_policy(
            f"{prefix}-log-subscription-put-records", subscription_role, "put-records-into-delivery-stream",
            [iam.statement(["firehose:PutRecord"], [stream.arn])], owner.child_opts())
        aws.cloudwatch.LogSubscriptionFilter(
            f"{prefix}-log-subscription",
            name=fit(f"{context.stack_name}-{prefix}-log-forwarding", FILTER_NAME_LIMIT),
            log_group=group.name,
            filter_pattern="",
            destination_arn=stream.arn,
            role_arn=subscription_role.arn,
            # CloudWatch Logs test-puts a record when the filter is created: the role must allow it by then.
            opts=owner.child_opts(depends_on=[put_records]))
        self.streams[key] = stream

    def _secret(self, value: Any) -> pulumi.Output[str] | None:
        if value is None:
            return None
        return pulumi.Output.secret(self._owner.context.output_value(value))

    def _account_id(self) -> pulumi.Output[str]:
        identity = self._owner.context.caller_identity()
        return identity.account_id

    def _logs_trust(self) -> pulumi.Output[str]:
        """CloudWatch Logs of this account and region may assume the role (AWS's documented condition)."""
        source = pulumi.Output.concat("arn:aws:logs:", self._owner.context.region, ":", self._account_id(), ":*")
        return json_output({"Version": "2012-10-17", "Statement": [{
            "Effect": "Allow", "Principal": {"Service": "logs.amazonaws.com"}, "Action": "sts:AssumeRole",
            "Condition": {"StringLike": {"aws:SourceArn": source}}}]})

    def _backup_parts(self) -> tuple[aws.s3.Bucket, aws.iam.Role, aws.iam.RolePolicy]:
        if self._backup is None:
            self._backup = self._create_backup()
        return self._backup

    def _create_backup(self) -> tuple[aws.s3.Bucket, aws.iam.Role, aws.iam.RolePolicy]:
        owner, context = self._owner, self._owner.context
        name = owner.resource_name
        # Imported here: the bucket component's module only where logs are forwarded.
        from stacktape_pulumi.components.bucket import bucket_prefix

        # Failed deliveries only: deleted with the stack rather than blocking `pulumi destroy`.
        bucket = aws.s3.Bucket(f"{name}-log-backup-bucket", bucket_prefix=bucket_prefix(context.stack_name,
                                                                                        f"{name}-logs"),
                               force_destroy=True, tags=owner.tags, opts=owner.child_opts())
        aws.s3.BucketPublicAccessBlock(
            f"{name}-log-backup-public-access-block", bucket=bucket.id, block_public_acls=True,
            ignore_public_acls=True, block_public_policy=True, restrict_public_buckets=True,
            opts=owner.child_opts())
        aws.s3.BucketServerSideEncryptionConfiguration(
            f"{name}-log-backup-encryption", bucket=bucket.id,
            rules=[aws.s3.BucketServerSideEncryptionConfigurationRuleArgs(
                apply_server_side_encryption_by_default=(
                    aws.s3.BucketServerSideEncryptionConfigurationRuleApplyServerSideEncryptionByDefaultArgs(
                        sse_algorithm="AES256")))],
            opts=owner.child_opts())
        # Firehose of this account only: the external ID AWS documents against the confused deputy.
        role = aws.iam.Role(
            f"{name}-log-firehose-role",
            name=context.iam_name(name, "logs-firehose"),
            assume_role_policy=json_output({"Version": "2012-10-17", "Statement": [{
                "Effect": "Allow", "Principal": {"Service": "firehose.amazonaws.com"}, "Action": "sts:AssumeRole",
                "Condition": {"StringEquals": {"sts:ExternalId": self._account_id()}}}]}),
            tags=owner.tags, opts=owner.child_opts())
        policy = iam.inline_policy(
            f"{name}-log-firehose-backup", role, "write-failed-deliveries-to-backup-bucket",
            [iam.statement(BACKUP_BUCKET_ACTIONS, [bucket.arn, pulumi.Output.concat(bucket.arn, "/*")])],
            owner.child_opts())
        return bucket, role, policy
