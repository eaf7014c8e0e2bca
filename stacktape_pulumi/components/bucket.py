"""`bucket`: an S3 bucket, private and encrypted unless the config says otherwise.

AWS: S3 (bucket, public access block, default encryption, versioning, CORS, lifecycle
configuration, bucket policy, EventBridge notifications).
"""

from __future__ import annotations  # see stacktape_pulumi/components/__init__.py

import re
from typing import TYPE_CHECKING, Any

import pulumi
import pulumi_aws as aws

from stacktape_pulumi.aws import iam
from stacktape_pulumi.aws.naming import fit
from stacktape_pulumi.components.base import StacktapeComponent
from stacktape_pulumi.components.connect import runtime_values, with_principal
from stacktape_pulumi.components.context import StackContext
from stacktape_pulumi.config.models.bucket import (
    S3_CORS_METHODS,
    AbortIncompleteMultipartUpload,
    BucketCorsConfig,
    BucketProps,
    ClassTransition,
    Expiration,
    LifecycleRule,
    NonCurrentVersionClassTransition,
    NonCurrentVersionExpiration,
)

if TYPE_CHECKING:  # annotations only: `schema.registry` evaluates them with stacktape_pulumi.args
    from stacktape_pulumi.args import BucketArgs

KIND = "Bucket"
# S3 appends 26 unique characters to a `bucket_prefix`, which may be 37 long (63 in all).
PREFIX_LIMIT = 37
# Anonymous access granted by the public accessibility modes.
PUBLIC_ACTIONS = {"public-read": ("s3:GetObject",), "public-read-write": ("s3:GetObject", "s3:PutObject")}


# ---- pure decisions ---------------------------------------------------------------------

def bucket_prefix(stack_name: str, resource: str) -> str:
    """`<stack>-<resource>-`, lower case, at most 37 characters: S3 completes the name.

    Bucket names are global across all AWS accounts. The provider appends a unique suffix when it
    creates the bucket and keeps it in the state, so every bucket is unique on its own (two accounts,
    regions or stacks never collide, nor two buckets of one stack) and keeps its name on later updates.
    """
    base = re.sub(r"[^a-z0-9-]+", "-", f"{stack_name}-{resource}".lower()).strip("-")
    return f"{fit(base, PREFIX_LIMIT - 1)}-"


def cors_rules(cors: BucketCorsConfig) -> list[aws.s3.BucketCorsConfigurationCorsRuleArgs]:
    """The S3 CORS rules: the user's, or one permissive rule (any origin, header and S3 method)."""
    if not cors.corsRules:
        return [aws.s3.BucketCorsConfigurationCorsRuleArgs(
            allowed_origins=["*"], allowed_methods=list(S3_CORS_METHODS), allowed_headers=["*"])]
    rules = []
    for rule in cors.corsRules:
        methods = rule.allowedMethods or ["*"]
        rules.append(aws.s3.BucketCorsConfigurationCorsRuleArgs(
            allowed_origins=rule.allowedOrigins or ["*"],
            allowed_methods=list(S3_CORS_METHODS) if "*" in methods else list(methods),
            allowed_headers=rule.allowedHeaders,
            expose_headers=rule.exposedResponseHeaders,
            max_age_seconds=rule.maxAge))
    return rules


def lifecycle_filter(prefix: str | None, tags: dict[str, str]) -> aws.s3.BucketLifecycleConfigurationRuleFilterArgs:
    """S3's filter: one prefix or one tag alone, several conditions under `and`; empty for all objects."""
    if prefix is not None and not tags:
        return aws.s3.BucketLifecycleConfigurationRuleFilterArgs(prefix=prefix)
    if prefix is None and len(tags) == 1:
        ((key, value),) = tags.items()
        return aws.s3.BucketLifecycleConfigurationRuleFilterArgs(
            tag=aws.s3.BucketLifecycleConfigurationRuleFilterTagArgs(key=key, value=value))
    if tags:
        return aws.s3.BucketLifecycleConfigurationRuleFilterArgs(
            and_=aws.s3.BucketLifecycleConfigurationRuleFilterAndArgs(prefix=prefix, tags=tags))
    return aws.s3.BucketLifecycleConfigurationRuleFilterArgs()


def lifecycle_rule(index: int, rule: LifecycleRule) -> aws.s3.BucketLifecycleConfigurationRuleArgs:
    """One enabled S3 lifecycle rule, its id `<type>-<index>`."""
    props = rule.properties
    tags = {tag.key: tag.value for tag in props.tags or []}
    args: dict[str, Any] = {}
    if isinstance(rule, Expiration):
        args["expiration"] = aws.s3.BucketLifecycleConfigurationRuleExpirationArgs(days=rule.properties.daysAfterUpload)
    elif isinstance(rule, NonCurrentVersionExpiration):
        args["noncurrent_version_expiration"] = aws.s3.BucketLifecycleConfigurationRuleNoncurrentVersionExpirationArgs(
            noncurrent_days=rule.properties.daysAfterVersioned)
    elif isinstance(rule, ClassTransition):
        args["transitions"] = [aws.s3.BucketLifecycleConfigurationRuleTransitionArgs(
            days=rule.properties.daysAfterUpload, storage_class=rule.properties.storageClass)]
    elif isinstance(rule, NonCurrentVersionClassTransition):
        args["noncurrent_version_transitions"] = [
            aws.s3.BucketLifecycleConfigurationRuleNoncurrentVersionTransitionArgs(
                noncurrent_days=rule.properties.daysAfterVersioned, storage_class=rule.properties.storageClass)]
    elif isinstance(rule, AbortIncompleteMultipartUpload):
        args["abort_incomplete_multipart_upload"] = (
            aws.s3.BucketLifecycleConfigurationRuleAbortIncompleteMultipartUploadArgs(
                days_after_initiation=rule.properties.daysAfterInitiation))
    return aws.s3.BucketLifecycleConfigurationRuleArgs(id=f"{rule.type}-{index}", status="Enabled",
                             filter=lifecycle_filter(props.prefix, tags), **args)


# ---- the component ----------------------------------------------------------------------

class Bucket(StacktapeComponent[BucketProps]):
    """An S3 bucket: public access blocked and SSE-S3 encryption unless configured otherwise, TLS-only access."""

    bucket: aws.s3.Bucket
    """The S3 bucket."""
    public_access_block: aws.s3.BucketPublicAccessBlock
    """The bucket's public access block."""
    policy: aws.s3.BucketPolicy
    """The bucket policy: TLS-only access, plus the grants `accessibility` asks for."""
    params: dict[str, pulumi.Output[Any]]
    """The values `$ResourceParam('<name>', '<param>')` reads: name, arn."""

    @property
    def arn(self) -> pulumi.Output[str]:
        """The bucket's ARN (for IAM statements: `Resource: [bucket.arn]`)."""
        return self.bucket.arn

    def __init__(self, name: str, args: BucketArgs = {},  # noqa: B006 (read only)
                 opts: pulumi.ResourceOptions | None = None, *, context: StackContext | None = None,
                 force_destroy: bool = True) -> None:
        """`force_destroy=False` keeps `pulumi destroy` (and a replacement) from deleting a bucket that
        still holds objects; by default they are deleted with it, as SST and Copilot do."""
        super().__init__(KIND, "bucket", name, args, BucketProps, opts, context)
        self._force_destroy = force_destroy
        props = self.props
        self._mode = props.accessibility.accessibilityMode if props.accessibility else "private"

        self.bucket = self._create_bucket()
        self.public_access_block = self._create_public_access_block()
        self._create_encryption()
        versioning = self._create_versioning()
        self._create_cors()
        self._create_lifecycle(versioning)
        self.policy = self._create_policy()
        self._create_event_bus_notifications()
        self.params = {"name": self.bucket.bucket, "arn": self.bucket.arn}
        self.publish(self.params)

    def _create_bucket(self) -> aws.s3.Bucket:
        return aws.s3.Bucket(f"{self.resource_name}-bucket",
                             bucket_prefix=bucket_prefix(self.context.stack_name, self.resource_name),
                             force_destroy=self._force_destroy, tags=self.tags, opts=self.child_opts())

    def _create_public_access_block(self) -> aws.s3.BucketPublicAccessBlock:
        # ACLs stay blocked in every mode: public modes grant access through the bucket policy only.
        public_policy = self._mode != "private"
        return aws.s3.BucketPublicAccessBlock(
            f"{self.resource_name}-public-access-block", bucket=self.bucket.id,
            block_public_acls=True, ignore_public_acls=True,
            block_public_policy=not public_policy, restrict_public_buckets=not public_policy,
            opts=self.child_opts())

    def _create_encryption(self) -> None:
        # `encryption: false` leaves S3's own default (which is SSE-S3 too for new buckets).
        if self.props.encryption is False:
            return
        by_default = aws.s3.BucketServerSideEncryptionConfigurationRuleApplyServerSideEncryptionByDefaultArgs(
            sse_algorithm="AES256")
        aws.s3.BucketServerSideEncryptionConfiguration(
            f"{self.resource_name}-encryption", bucket=self.bucket.id,
            rules=[aws.s3.BucketServerSideEncryptionConfigurationRuleArgs(
                apply_server_side_encryption_by_default=by_default)],
            opts=self.child_opts())

    def _create_versioning(self) -> aws.s3.BucketVersioning | None:
        if not self.props.versioning:
            return None
        return aws.s3.BucketVersioning(
            f"{self.resource_name}-versioning", bucket=self.bucket.id,
            versioning_configuration=aws.s3.BucketVersioningVersioningConfigurationArgs(status="Enabled"),
            opts=self.child_opts())

    def _create_cors(self) -> None:
        cors = self.props.cors
        if cors is None or not cors.enabled:
            return
        aws.s3.BucketCorsConfiguration(f"{self.resource_name}-cors", bucket=self.bucket.id, cors_rules=cors_rules(cors),
                                       opts=self.child_opts())

    def _create_lifecycle(self, versioning: aws.s3.BucketVersioning | None) -> None:
        rules = self.props.lifecycleRules
        if not rules:
            return
        # Non-current-version rules only make sense once versioning is on.
        aws.s3.BucketLifecycleConfiguration(
            f"{self.resource_name}-lifecycle", bucket=self.bucket.id,
            rules=[lifecycle_rule(index, rule) for index, rule in enumerate(rules)],
            opts=self.child_opts(depends_on=[versioning] if versioning else None))

    def _create_policy(self) -> aws.s3.BucketPolicy:
        arn = self.bucket.arn
        objects = pulumi.Output.concat(arn, "/*")
        statements = [with_principal(iam.statement(
            ["s3:*"], [arn, objects], effect="Deny", sid="DenyInsecureTransport",
            condition={"Bool": {"aws:SecureTransport": "false"}}), "*")]
        public = PUBLIC_ACTIONS.get(self._mode)
        if public:
            statements.append(with_principal(iam.statement(public, [objects], sid="PublicAccess"), "*"))
        accessibility = self.props.accessibility
        for user in (accessibility.accessPolicyStatements if accessibility else None) or []:
            stmt = iam.statement(user.Action or ["*"], runtime_values(self.context, user.Resource),
                                 effect=user.Effect or "Allow", sid=user.Sid,
                                 condition=runtime_values(self.context, user.Condition) if user.Condition else None)
            statements.append(with_principal(stmt, runtime_values(self.context, user.Principal)))
        # A public policy is refused while the public access block still forbids it.
        return aws.s3.BucketPolicy(f"{self.resource_name}-policy", bucket=self.bucket.id,
                                   policy=iam.policy_document(statements),
                                   opts=self.child_opts(depends_on=[self.public_access_block]))

    def _create_event_bus_notifications(self) -> None:
        if self.props.enableEventBusNotifications:
            aws.s3.BucketNotification(f"{self.resource_name}-event-bus-notifications", bucket=self.bucket.id,
                                      eventbridge=True, opts=self.child_opts())
