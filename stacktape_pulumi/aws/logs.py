"""CloudWatch log groups with the retention a config's `logging` asks for, or none when logging is disabled."""

from __future__ import annotations  # see stacktape_pulumi/components/__init__.py

from typing import TYPE_CHECKING, Protocol

import pulumi_aws as aws

from stacktape_pulumi.aws.naming import LIMITS, fit

if TYPE_CHECKING:
    import pulumi


class LoggingSettings(Protocol):
    """The part of a config's `logging` every log group reads."""

    @property
    def disabled(self) -> bool | None: ...

    @property
    def retentionDays(self) -> int | None: ...


def retention_days(logging: LoggingSettings | None, default: int) -> int | None:
    """Days to keep log events: the configured retention, else `default`; None when logging is disabled."""
    if logging is not None and logging.disabled:
        return None
    return logging.retentionDays if logging is not None and logging.retentionDays else default


def log_group(logical_name: str, name: pulumi.Input[str], logging: LoggingSettings | None, default_days: int,
              tags: dict[str, str], opts: pulumi.ResourceOptions) -> aws.cloudwatch.LogGroup | None:
    """The log group `name`, keeping events as `logging` says; None when logging is disabled."""
    days = retention_days(logging, default_days)
    if days is None:
        return None
    if isinstance(name, str):
        # CloudWatch Logs allows 512 characters; a name derived from long resource names keeps a hash instead.
        name = fit(name, LIMITS["log-group"])
    return aws.cloudwatch.LogGroup(logical_name, name=name, retention_in_days=days, tags=tags, opts=opts)
