"""The `http-api-gateway` resource: an API Gateway v2 HTTP API (behaviour notes §1.4, §2.12)."""

from typing import Literal

from stacktape_pulumi.config.models.common import RetentionDays, StrictModel
from stacktape_pulumi.config.models.shared import (
    CdnConfiguration,
    CorsConfig,
    DomainConfiguration,
    HttpApiGatewayAlarm,
    LogForwarding,
    NonEmptyStr,
    Overrides,
)


class HttpApiAccessLogging(StrictModel):
    """Access logs of the API's `$default` stage."""

    disabled: bool = False
    """Disable access logging. Default false."""
    format: Literal["CLF", "JSON", "XML", "CSV"] = "JSON"
    """Log line format. Default JSON."""
    retentionDays: RetentionDays | None = None
    """Days to keep logs. Default 30."""
    logForwarding: LogForwarding | None = None
    """Forward logs to a third-party destination through Firehose."""


class HttpApiGatewayProps(StrictModel):
    """Properties of an HTTP API Gateway."""

    payloadFormat: Literal["1.0", "2.0"] | None = None
    """Default payload format of Lambda integrations. Default "1.0"."""
    cors: CorsConfig | None = None
    """CORS (overrides CORS headers of the integrations)."""
    logging: HttpApiAccessLogging | None = None
    """Access logging. Default enabled, JSON, 30 days."""
    customDomains: list[DomainConfiguration] | None = None
    """Custom domains."""
    cdn: CdnConfiguration | None = None
    """CloudFront in front of the API."""
    alarms: list[HttpApiGatewayAlarm] | None = None
    """Alarms on the API."""
    disabledGlobalAlarms: list[NonEmptyStr] | None = None
    """Global alarms not applied to this API."""


class HttpApiGateway(StrictModel):
    """An `http-api-gateway` resource."""

    type: Literal["http-api-gateway"]
    properties: HttpApiGatewayProps | None = None
    overrides: Overrides = None
    """Not supported: use Pulumi transforms to change child resources."""
