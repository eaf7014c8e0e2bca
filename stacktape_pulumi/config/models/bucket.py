"""The `bucket` resource: an S3 bucket (reference `buckets.d.ts`).

The whole property tree is modelled. `directoryUpload` and `cdn` need machinery this
version does not have (file sync, CloudFront); the bucket component's build check rejects
them with a located "not supported yet" message, so `validate` refuses them too.
"""

from typing import Annotated, Any, Literal, Self

from pydantic import AfterValidator, Field, model_validator

from stacktape_pulumi.config.models.common import OutputValue, StrictModel
from stacktape_pulumi.config.models.shared import (
    CdnConfiguration,
    IamAction,
    NonEmptyStr,
    NonNegativeInt,
    Overrides,
    PositiveInt,
    Problems,
    plain_text,
)

BUCKET_TYPE = "bucket"
StorageClass = Literal["DEEP_ARCHIVE", "GLACIER", "INTELLIGENT_TIERING", "ONEZONE_IA", "STANDARD_IA"]
# S3 CORS knows these methods only; the reference's `*` means all of them.
S3_CORS_METHODS = ("GET", "PUT", "HEAD", "POST", "DELETE")
# S3 moves objects to the infrequent-access classes only after they are 30 days old.
MIN_DAYS_BEFORE_IA = 30
IA_CLASSES = ("STANDARD_IA", "ONEZONE_IA")


class KeyValuePair(StrictModel):
    """A `{key, value}` pair (HTTP header or object tag)."""

    key: NonEmptyStr
    """Key."""
    value: str
    """Value."""


class DirectoryUploadFilter(StrictModel):
    """Headers or tags for the uploaded files matching a pattern."""

    includePattern: NonEmptyStr
    """Glob of the files this rule applies to (e.g. `*.html`)."""
    excludePattern: str | None = None
    """Glob of files excluded even if they match includePattern."""
    headers: list[KeyValuePair] | None = None
    """HTTP headers of the matching files (e.g. Cache-Control)."""
    tags: list[KeyValuePair] | None = None
    """Tags of the matching files (lifecycle rules can target them)."""


class DirectoryUpload(StrictModel):
    """Mirror a local directory into the bucket on every deploy."""

    directoryPath: NonEmptyStr
    """Local directory to upload, relative to the project root."""
    fileOptions: list[DirectoryUploadFilter] | None = None
    """Headers or tags per file pattern."""
    excludeFilesPatterns: list[str] | None = None
    """Globs of files not uploaded, relative to directoryPath."""
    headersPreset: Literal[
        "gatsby-static-website", "static-website", "single-page-app", "astro-static-website",
        "sveltekit-static-website", "nuxt-static-website",
    ] | None = None
    """Caching-header preset for a frontend framework."""
    disableS3TransferAcceleration: bool = False
    """Upload without S3 Transfer Acceleration. Default false."""


class BucketPolicyIamRoleStatement(StrictModel):
    """A statement of the bucket's resource policy."""

    Sid: str | None = None
    """Optional identifier for this statement."""
    Effect: Literal["Allow", "Deny"] | None = None
    """Allow or deny. Default "Allow"."""
    Action: list[IamAction] | None = None
    """S3 actions (e.g. `s3:GetObject`). Default ["*"]."""
    Condition: dict[str, Any] | None = None
    """IAM conditions under which the statement applies."""
    Resource: Annotated[list[NonEmptyStr | OutputValue], Field(min_length=1)]
    """ARNs the statement applies to (the bucket's ARN, or `<arn>/*` for its objects)."""
    Principal: Any
    """Who the statement applies to, e.g. `{AWS: 'arn:aws:iam::123456789012:root'}` or `'*'`."""


class BucketAccessibility(StrictModel):
    """Who may read and write the bucket."""

    accessibilityMode: Literal["private", "public-read-write", "public-read"] = "private"
    """`private` (IAM only), `public-read` (anyone reads) or `public-read-write`. Default private."""
    accessPolicyStatements: list[BucketPolicyIamRoleStatement] | None = None
    """Extra statements of the bucket policy."""


class BucketCdnConfiguration(CdnConfiguration):
    """CloudFront in front of the bucket."""

    rewriteRoutesForSinglePageApp: bool = False
    """Route extension-less paths to index.html. Default false."""
    disableUrlNormalization: bool = False
    """Keep URLs as requested (no `/x` → `/x.html`). Default false."""


class LifecycleRuleBase(StrictModel):
    """Which objects a lifecycle rule applies to (all when neither is set)."""

    prefix: str | None = None
    """Only objects whose key starts with this prefix (e.g. `logs/`)."""
    tags: list[KeyValuePair] | None = None
    """Only objects with all of these tags."""


class ExpirationProps(LifecycleRuleBase):
    """Delete objects some days after upload."""

    daysAfterUpload: PositiveInt
    """Days after upload."""


class Expiration(StrictModel):
    """Delete objects some days after upload."""

    type: Literal["expiration"]
    properties: ExpirationProps


class NonCurrentVersionExpirationProps(LifecycleRuleBase):
    """Delete old versions some days after they stop being current."""

    daysAfterVersioned: PositiveInt
    """Days after the version became non-current. Requires `versioning: true`."""


class NonCurrentVersionExpiration(StrictModel):
    """Delete old versions."""

    type: Literal["non-current-version-expiration"]
    properties: NonCurrentVersionExpirationProps


class ClassTransitionProps(LifecycleRuleBase):
    """Move objects to a cheaper storage class."""

    daysAfterUpload: NonNegativeInt
    """Days after upload."""
    storageClass: StorageClass
    """Target storage class."""


class ClassTransition(StrictModel):
    """Move objects to a cheaper storage class."""

    type: Literal["class-transition"]
    properties: ClassTransitionProps


class NonCurrentVersionClassTransitionProps(LifecycleRuleBase):
    """Move old versions to a cheaper storage class."""

    daysAfterVersioned: PositiveInt
    """Days after the version became non-current. Requires `versioning: true`."""
    storageClass: StorageClass
    """Target storage class."""


class NonCurrentVersionClassTransition(StrictModel):
    """Move old versions to a cheaper storage class."""

    type: Literal["non-current-version-class-transition"]
    properties: NonCurrentVersionClassTransitionProps


class AbortIncompleteMultipartUploadProps(LifecycleRuleBase):
    """Clean up unfinished multipart uploads."""

    daysAfterInitiation: PositiveInt
    """Days after the upload started."""


class AbortIncompleteMultipartUpload(StrictModel):
    """Clean up unfinished multipart uploads."""

    type: Literal["abort-incomplete-multipart-upload"]
    properties: AbortIncompleteMultipartUploadProps


LifecycleRule = Annotated[
    Expiration | NonCurrentVersionExpiration | ClassTransition | NonCurrentVersionClassTransition
    | AbortIncompleteMultipartUpload,
    Field(discriminator="type"),
]
NON_CURRENT_VERSION_RULES = ("non-current-version-expiration", "non-current-version-class-transition")


class BucketCorsRule(StrictModel):
    """One CORS rule; the first rule matching a preflight request wins."""

    allowedOrigins: list[Annotated[NonEmptyStr, AfterValidator(plain_text("a CORS origin"))]] | None = None
    """Allowed origins. Default ["*"]."""
    allowedHeaders: list[NonEmptyStr] | None = None
    """Allowed request headers. Default: none besides the simple ones."""
    allowedMethods: list[Literal["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "*"]] | None = None
    """Allowed methods; `*` is all that S3 supports. Default all (GET, PUT, HEAD, POST, DELETE)."""
    exposedResponseHeaders: list[NonEmptyStr] | None = None
    """Response headers visible to browser JavaScript."""
    maxAge: NonNegativeInt | None = None
    """Seconds browsers may cache a preflight response."""


class BucketCorsConfig(StrictModel):
    """CORS of the bucket."""

    enabled: bool
    """Enable CORS. Without corsRules: any origin, all methods, any header."""
    corsRules: list[BucketCorsRule] | None = None
    """Custom rules (at most 100, the S3 limit)."""


class BucketProps(StrictModel):
    """Properties of a bucket."""

    directoryUpload: DirectoryUpload | None = None
    """Sync a local directory into the bucket on every deploy (not supported yet)."""
    accessibility: BucketAccessibility | None = None
    """Who may read and write. Default private (public access blocked)."""
    cors: BucketCorsConfig | None = None
    """CORS for browser access."""
    versioning: bool = False
    """Keep previous versions of overwritten and deleted objects. Default false."""
    encryption: bool | None = None
    """Encrypt objects at rest with SSE-S3 (AES-256). Default true here (see docs/decisions.md)."""
    lifecycleRules: list[LifecycleRule] | None = None
    """Expire or transition objects over time."""
    enableEventBusNotifications: bool = False
    """Send object events to the default EventBridge bus. Default false."""
    cdn: BucketCdnConfiguration | None = None
    """CloudFront in front of the bucket (not supported yet)."""

    @model_validator(mode="after")
    def _bucket_is_consistent(self) -> Self:
        problems = Problems()
        if not self.versioning:
            for index, rule in enumerate(self.lifecycleRules or []):
                if rule.type in NON_CURRENT_VERSION_RULES:
                    problems.add(f"Lifecycle rule '{rule.type}' requires versioning: true.",
                                 ("lifecycleRules", index, "type"),
                                 hint="set versioning: true on the bucket, or remove the rule")
        for index, rule in enumerate(self.lifecycleRules or []):
            props = rule.properties
            if isinstance(props, ClassTransitionProps | NonCurrentVersionClassTransitionProps) \
                    and props.storageClass in IA_CLASSES:
                days_key = "daysAfterUpload" if isinstance(props, ClassTransitionProps) else "daysAfterVersioned"
                days = getattr(props, days_key)
                if days < MIN_DAYS_BEFORE_IA:
                    problems.add(f"S3 moves objects to {props.storageClass} only after {MIN_DAYS_BEFORE_IA} days; "
                                 f"{days_key} is {days}.", ("lifecycleRules", index, "properties", days_key),
                                 hint=f"use {MIN_DAYS_BEFORE_IA} or more, or GLACIER / INTELLIGENT_TIERING")
        rules = self.cors.corsRules if self.cors else None
        if rules is not None and len(rules) > 100:
            problems.add(f"{len(rules)} CORS rules; S3 allows at most 100.", ("cors", "corsRules"))
        for index, cors_rule in enumerate(rules or []):
            if "PATCH" in (cors_rule.allowedMethods or []):
                problems.add("S3 CORS rules do not support the PATCH method.",
                             ("cors", "corsRules", index, "allowedMethods"),
                             hint=f"use some of {', '.join(S3_CORS_METHODS)}, or '*' for all of them")
        problems.raise_if_any(type(self).__name__)
        return self


class Bucket(StrictModel):
    """A `bucket` resource."""

    type: Literal["bucket"]
    properties: BucketProps | None = None
    overrides: Overrides = None
    """Not supported: use Pulumi transforms to change child resources."""
