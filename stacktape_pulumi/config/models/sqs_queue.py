"""The `sqs-queue` resource: an SQS queue (reference `sqs-queues.d.ts`).

Ranges the reference only documents are enforced (they are SQS's limits). `events`
(event-bus rules delivering to the queue) and `alarms` need machinery this version does
not have; the queue component's build check rejects them with a located message.
"""

from typing import Annotated, Any, Literal, Self

from pydantic import AfterValidator, Field, model_validator
from pydantic.json_schema import SkipJsonSchema

from stacktape_pulumi.config.models.common import StrictModel
from stacktape_pulumi.config.models.event_bus import EventBusIntegrationProps
from stacktape_pulumi.config.models.shared import (
    IamAction,
    NonEmptyStr,
    Overrides,
    Problems,
    rejecting,
)

QUEUE_TYPE = "sqs-queue"
# SQS's own limit on maxReceiveCount.
MAX_RECEIVE_COUNT = 1000


class SqsQueuePolicyStatement(StrictModel):
    """A statement of the queue's resource policy (the queue is its resource)."""

    Effect: Literal["Allow", "Deny"]
    """Allow or deny."""
    Action: Annotated[list[IamAction], Field(min_length=1)]
    """SQS actions (e.g. `sqs:SendMessage`)."""
    Condition: dict[str, Any] | None = None
    """IAM conditions (e.g. restrict by aws:SourceArn)."""
    Principal: Any
    """Who, e.g. `{Service: sns.amazonaws.com}` or `{AWS: '123456789012'}`."""


class SqsQueueEventBusIntegrationProps(EventBusIntegrationProps):
    """An event-bus rule delivering to the queue."""

    messageGroupId: NonEmptyStr | None = None
    """Message group of the delivered messages; required for FIFO queues."""


class SqsQueueEventBusIntegration(StrictModel):
    """Deliver matching events of an event bus to the queue."""

    type: Literal["event-bus"]
    properties: SqsQueueEventBusIntegrationProps


class SqsQueueRedrivePolicy(StrictModel):
    """Move messages received too often to a dead-letter queue."""

    targetSqsQueueName: NonEmptyStr | None = None
    """Name of the sqs-queue resource used as dead-letter queue."""
    targetSqsQueueArn: NonEmptyStr | None = None
    """ARN of an existing queue used as dead-letter queue."""
    maxReceiveCount: Annotated[int, Field(ge=1, le=MAX_RECEIVE_COUNT)]
    """Receives before a message moves to the dead-letter queue, range 1-1000."""

    @model_validator(mode="after")
    def _one_target(self) -> Self:
        if (self.targetSqsQueueName is None) == (self.targetSqsQueueArn is None):
            problems = Problems()
            problems.add("Specify exactly one of targetSqsQueueName or targetSqsQueueArn.",
                         ("targetSqsQueueArn",) if self.targetSqsQueueName else (),
                         at_key=self.targetSqsQueueName is not None)
            problems.raise_if_any(type(self).__name__)
        return self


Alarms = Annotated[SkipJsonSchema[Any], AfterValidator(rejecting(
    "sqs-queue alarms are not supported yet",
    "create CloudWatch alarms on the queue's metrics with pulumi_aws.cloudwatch.MetricAlarm",
))]


class SqsQueueProps(StrictModel):
    """Properties of a queue."""

    delayMessagesSecond: Annotated[int, Field(ge=0, le=900)] | None = None
    """Seconds new messages stay invisible, range 0-900. Default 0."""
    maxMessageSizeBytes: Annotated[int, Field(ge=1024, le=262144)] | None = None
    """Largest message in bytes, range 1024-262144. Default 262144."""
    messageRetentionPeriodSeconds: Annotated[int, Field(ge=60, le=1209600)] | None = None
    """Seconds unprocessed messages are kept, range 60-1209600. Default 345600 (4 days)."""
    longPollingSeconds: Annotated[int, Field(ge=0, le=20)] | None = None
    """Seconds a receive waits for messages, range 0-20. Default 0 (short polling)."""
    visibilityTimeoutSeconds: Annotated[int, Field(ge=0, le=43200)] | None = None
    """Seconds a received message stays hidden, range 0-43200. Default 30."""
    fifoEnabled: bool = False
    """FIFO queue: ordered, exactly-once. Default false."""
    fifoHighThroughput: bool = False
    """FIFO high-throughput mode (order per message group). Requires fifoEnabled. Default false."""
    contentBasedDeduplication: bool = False
    """Deduplicate by body hash. Requires fifoEnabled. Default false."""
    redrivePolicy: SqsQueueRedrivePolicy | None = None
    """Dead-letter queue."""
    alarms: Alarms = None
    """Not supported yet: create CloudWatch alarms with pulumi_aws."""
    disabledGlobalAlarms: list[NonEmptyStr] | None = None
    """Global alarms not applied to this queue (stacktape-pulumi has no global alarms)."""
    policyStatements: list[SqsQueuePolicyStatement] | None = None
    """Extra statements of the queue's resource policy."""
    events: list[SqsQueueEventBusIntegration] | None = None
    """Event-bus rules delivering matching events to the queue."""

    @model_validator(mode="after")
    def _fifo_options_need_fifo(self) -> Self:
        problems = Problems()
        if not self.fifoEnabled:
            for key in ("fifoHighThroughput", "contentBasedDeduplication"):
                if getattr(self, key):
                    problems.add(f"{key} requires fifoEnabled: true.",
                                 (key,), hint="set fifoEnabled: true, or remove this property")
        problems.raise_if_any(type(self).__name__)
        return self


class SqsQueue(StrictModel):
    """An `sqs-queue` resource."""

    type: Literal["sqs-queue"]
    properties: SqsQueueProps | None = None
    overrides: Overrides = None
    """Not supported: use Pulumi transforms to change child resources."""
