"""`event-bus`: an EventBridge event bus, optionally fed by a partner event source, with an archive.

AWS: EventBridge (event bus, archive).
"""

from __future__ import annotations  # see stacktape_pulumi/components/__init__.py

from typing import TYPE_CHECKING, Any

import pulumi
import pulumi_aws as aws

from stacktape_pulumi.aws.naming import fit
from stacktape_pulumi.components.base import StacktapeComponent
from stacktape_pulumi.components.context import StackContext
from stacktape_pulumi.config.models.event_bus import EventBusProps

if TYPE_CHECKING:  # annotations only: `schema.registry` evaluates them with stacktape_pulumi.args
    from stacktape_pulumi.args import EventBusArgs

KIND = "EventBus"
NAME_LIMIT = 256
ARCHIVE_NAME_LIMIT = 48


def rule_bus(ctx: StackContext, props: Any) -> Any:
    """The bus an `event-bus` integration's rule goes on: the stack's bus's name (`eventBusName`), the ARN written
    (`eventBusArn`), or None: the account's default bus (`useDefaultBus`, the one left when neither is set).

    PutRule takes a bus's name or its ARN.
    """
    if props.eventBusName is not None:
        return ctx.component(props.eventBusName, EventBus).bus.name
    if props.eventBusArn is not None:
        return ctx.output_value(props.eventBusArn)
    return None


class EventBus(StacktapeComponent[EventBusProps]):
    """An EventBridge bus; with `archivation.enabled`, an archive of every event it receives."""

    bus: aws.cloudwatch.EventBus
    """The EventBridge event bus."""
    archive: aws.cloudwatch.EventArchive | None
    """The archive of every event, with `archivation.enabled`."""
    params: dict[str, pulumi.Output[Any]]
    """The values `$ResourceParam('<name>', '<param>')` reads: arn, archiveArn (with an archive)."""

    @property
    def arn(self) -> pulumi.Output[str]:
        """The bus's ARN."""
        return self.bus.arn

    def __init__(self, name: str, args: EventBusArgs = {},  # noqa: B006 (read only)
                 opts: pulumi.ResourceOptions | None = None, *, context: StackContext | None = None) -> None:
        super().__init__(KIND, "event-bus", name, args, EventBusProps, opts, context)

        self.bus = self._create_bus()
        self.archive = self._create_archive()
        self.params = {"arn": self.bus.arn}
        if self.archive is not None:
            self.params["archiveArn"] = self.archive.arn
        self.publish(self.params)

    def _create_bus(self) -> aws.cloudwatch.EventBus:
        source = self.props.eventSourceName
        # EventBridge requires a partner bus to be named exactly like its event source.
        name = source or fit(f"{self.context.stack_name}-{self.resource_name}", NAME_LIMIT)
        return aws.cloudwatch.EventBus(f"{self.resource_name}-bus", name=name, event_source_name=source,
                                       tags=self.context.tags, opts=self.child_opts())

    def _create_archive(self) -> aws.cloudwatch.EventArchive | None:
        archivation = self.props.archivation
        if archivation is None or not archivation.enabled:
            return None
        return aws.cloudwatch.EventArchive(
            f"{self.resource_name}-archive",
            name=fit(f"{self.context.stack_name}-{self.resource_name}", ARCHIVE_NAME_LIMIT),
            event_source_arn=self.bus.arn, retention_days=archivation.retentionDays, opts=self.child_opts())
