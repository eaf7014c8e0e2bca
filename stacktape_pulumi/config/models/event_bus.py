"""The `event-bus` resource: an EventBridge event bus (reference `event-buses.d.ts`).

Also the properties of an event-bus integration (`events: [{type: event-bus}]`), shared by
the resource types that can be targets of a bus rule.
"""

import json
from typing import Any, Literal, Self

from pydantic import Field, model_validator

from stacktape_pulumi.config.models.common import StrictModel
from stacktape_pulumi.config.models.shared import NonEmptyStr, Overrides, PositiveInt, Problems

EVENT_BUS_TYPE = "event-bus"
# events PutRule EventPattern, PutTargets Input / InputPath / InputTransformer (botocore).
MAX_EVENT_PATTERN = 4096
MAX_INPUT = 8192
MAX_INPUT_PATH = 256
MAX_INPUT_PATHS = 100


class EventBusArchivation(StrictModel):
    """An archive of the bus's events, for replay."""

    enabled: bool = False
    """Archive events. Disabling deletes the archive. Default false."""
    retentionDays: PositiveInt | None = None
    """Days archived events are kept. Default forever."""


class EventBusProps(StrictModel):
    """Properties of an event bus."""

    eventSourceName: NonEmptyStr | None = None
    """Partner event source this bus receives from (SaaS integrations); also the bus's name."""
    archivation: EventBusArchivation | None = None
    """Archive the bus's events."""


class EventBus(StrictModel):
    """An `event-bus` resource."""

    type: Literal["event-bus"]
    properties: EventBusProps | None = None
    overrides: Overrides = None
    """Not supported: use Pulumi transforms to change child resources."""


# --- Event-bus integrations (rules delivering to a target) -------------------------------


class EventBusIntegrationPattern(StrictModel):
    """An EventBridge event pattern."""

    version: Any = None
    """Filter by event version."""
    detail_type: Any = Field(default=None, alias="detail-type")
    """Filter by detail-type (e.g. ["OrderPlaced"])."""
    source: Any = None
    """Filter by source (e.g. ["my-app"])."""
    account: Any = None
    """Filter by account ID."""
    region: Any = None
    """Filter by region."""
    resources: Any = None
    """Filter by resource ARNs."""
    detail: Any = None
    """Filter by payload content."""
    replay_name: Any = Field(default=None, alias="replay-name")
    """Filter by replay name."""


class EventInputTransformer(StrictModel):
    """Build the delivered payload from parts of the event."""

    inputPathsMap: Any = None
    """Names → JSONPath expressions into the event."""
    inputTemplate: Any
    """Template using `<name>` placeholders."""


class EventBusOnDeliveryFailure(StrictModel):
    """Where undeliverable events go."""

    sqsQueueArn: NonEmptyStr | None = None
    """ARN of an SQS queue."""
    sqsQueueName: NonEmptyStr | None = None
    """Name of an sqs-queue resource."""


class EventBusIntegrationProps(StrictModel):
    """A rule on an event bus delivering matching events."""

    eventBusArn: NonEmptyStr | None = None
    """ARN of an existing bus; one of eventBusArn, eventBusName, useDefaultBus."""
    eventBusName: NonEmptyStr | None = None
    """Name of an event-bus resource; one of eventBusArn, eventBusName, useDefaultBus."""
    useDefaultBus: bool | None = None
    """Use the account's default bus; one of eventBusArn, eventBusName, useDefaultBus."""
    eventPattern: EventBusIntegrationPattern
    """Events that match are delivered."""
    onDeliveryFailure: EventBusOnDeliveryFailure | None = None
    """Where undeliverable events go."""
    input: Any = None
    """Fixed payload; one of input, inputPath, inputTransformer."""
    inputPath: str | None = None
    """JSONPath of the part of the event delivered; one of input, inputPath, inputTransformer."""
    inputTransformer: EventInputTransformer | None = None
    """Payload built from the event; one of input, inputPath, inputTransformer."""

    @model_validator(mode="after")
    def _one_bus_one_input(self) -> Self:
        problems = Problems()
        buses = [key for key in ("eventBusArn", "eventBusName", "useDefaultBus") if getattr(self, key)]
        if len(buses) != 1:
            problems.add("Specify exactly one of eventBusArn, eventBusName or useDefaultBus.",
                         (buses[1],) if len(buses) > 1 else (), at_key=len(buses) > 1)
        pattern = json.dumps(self.eventPattern.model_dump(by_alias=True, exclude_none=True))
        if pattern == "{}":
            problems.add("eventPattern matches nothing: EventBridge needs at least one field to match on.",
                         ("eventPattern",), at_key=True, hint="e.g. source: [my-app]")
        elif len(pattern) > MAX_EVENT_PATTERN:
            problems.add(f"eventPattern is {len(pattern)} characters as JSON; EventBridge allows at most "
                         f"{MAX_EVENT_PATTERN}.", ("eventPattern",), at_key=True)
        target_input_problems(self, problems)
        problems.raise_if_any(type(self).__name__)
        return self


def target_input_problems(model: Any, problems: Problems) -> None:
    """One of `input`, `inputPath`, `inputTransformer`, within EventBridge's PutTargets limits."""
    inputs = [key for key in ("input", "inputPath", "inputTransformer") if getattr(model, key) is not None]
    if len(inputs) > 1:
        problems.add("Only one of input, inputPath or inputTransformer can be used.", (inputs[1],), at_key=True,
                     hint=f"keep {inputs[0]} and remove {', '.join(inputs[1:])}")
    if model.input is not None and not isinstance(model.input, str) and len(json.dumps(model.input)) > MAX_INPUT:
        problems.add(f"input is more than {MAX_INPUT} characters as JSON; EventBridge allows at most {MAX_INPUT}.",
                     ("input",), at_key=True)
    if model.inputPath is not None and len(model.inputPath) > MAX_INPUT_PATH:
        problems.add(f"inputPath is {len(model.inputPath)} characters long; EventBridge allows at most "
                     f"{MAX_INPUT_PATH}.", ("inputPath",))
    transformer = model.inputTransformer
    if transformer is not None:
        paths = transformer.inputPathsMap
        if isinstance(paths, dict) and len(paths) > MAX_INPUT_PATHS:
            problems.add(f"inputPathsMap has {len(paths)} entries; EventBridge allows at most {MAX_INPUT_PATHS}.",
                         ("inputTransformer", "inputPathsMap"), at_key=True)
        template = transformer.inputTemplate
        text = template if isinstance(template, str) else json.dumps(template)
        if len(text) > MAX_INPUT:
            problems.add(f"inputTemplate is {len(text)} characters; EventBridge allows at most {MAX_INPUT}.",
                         ("inputTransformer", "inputTemplate"), at_key=True)

