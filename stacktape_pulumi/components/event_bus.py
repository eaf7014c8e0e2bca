"""`event-bus`: an EventBridge event bus, optionally fed by a partner event source, with an archive.

AWS: EventBridge (event bus, archive).
"""

from __future__ import annotations  # see stacktape_pulumi/components/__init__.py

from typing import Any

import pulumi
import pulumi_aws as aws

from stacktape_pulumi.args import EventBusArgs
from stacktape_pulumi.aws.naming import fit
from stacktape_pulumi.components.base import validate_args
from stacktape_pulumi.components.context import StackContext, current_context
from stacktape_pulumi.config.models.event_bus import EventBusProps

KIND = "EventBus"
NAME_LIMIT = 256
ARCHIVE_NAME_LIMIT = 48


class EventBus(pulumi.ComponentResource):
    """An EventBridge bus; with `archivation.enabled`, an archive of every event it receives."""

    bus: aws.cloudwatch.EventBus
    """The EventBridge event bus."""
    archive: aws.cloudwatch.EventArchive | None
    """The archive of every event, with `archivation.enabled`."""
    params: dict[str, pulumi.Output[Any]]
    """The values `$ResourceParam('<name>', '<param>')` reads: arn, archiveArn (with an archive)."""

    def __init__(self, name: str, args: EventBusArgs = {},  # noqa: B006 (read only)
                 opts: pulumi.ResourceOptions | None = None, *, context: StackContext | None = None) -> None:
        super().__init__("stacktape:index:EventBus", name, None, opts)
        props = validate_args(KIND, name, args, EventBusProps)
        self._name = name
        self._props = props
        self._ctx = context or current_context()

        self.bus = self._create_bus()
        self.archive = self._create_archive()
        self.params = {"arn": self.bus.arn}
        if self.archive is not None:
            self.params["archiveArn"] = self.archive.arn
        self._ctx.register_component(name, self, self.params)
        self.register_outputs(dict(self.params))

    def _child(self, **kwargs: Any) -> pulumi.ResourceOptions:
        return pulumi.ResourceOptions(parent=self, **kwargs)

    def _create_bus(self) -> aws.cloudwatch.EventBus:
        source = self._props.eventSourceName
        # EventBridge requires a partner bus to be named exactly like its event source.
        name = source or fit(f"{self._ctx.stack_name}-{self._name}", NAME_LIMIT)
        return aws.cloudwatch.EventBus(f"{self._name}-bus", name=name, event_source_name=source,
                                       tags=self._ctx.tags, opts=self._child())

    def _create_archive(self) -> aws.cloudwatch.EventArchive | None:
        archivation = self._props.archivation
        if archivation is None or not archivation.enabled:
            return None
        return aws.cloudwatch.EventArchive(
            f"{self._name}-archive", name=fit(f"{self._ctx.stack_name}-{self._name}", ARCHIVE_NAME_LIMIT),
            event_source_arn=self.bus.arn, retention_days=archivation.retentionDays, opts=self._child())
