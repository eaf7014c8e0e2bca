"""The `sns-topic` resource: an SNS topic (reference `sns-topic.d.ts`).

`subscriptions` goes beyond the reference (where subscribers configure an `sns` event on
their side): it subscribes sqs-queue and function resources of the stack to the topic
(docs/decisions.md).
"""

from typing import Annotated, Any, Literal, Self

from pydantic import Field, model_validator

from stacktape_pulumi.config.models.common import StrictModel
from stacktape_pulumi.config.models.shared import NonEmptyStr, Overrides, Problems

TOPIC_TYPE = "sns-topic"
# The reference documents 11 characters: what SMS shows as the sender.
MAX_SMS_DISPLAY_NAME = 11


class SqsQueueSubscriptionProps(StrictModel):
    """Deliver the topic's messages to a queue of the stack."""

    sqsQueueName: NonEmptyStr
    """Name of the sqs-queue resource."""
    filterPolicy: dict[str, Any] | None = None
    """SNS filter policy: only matching messages are delivered."""
    filterPolicyScope: Literal["MessageAttributes", "MessageBody"] | None = None
    """What the filter policy matches. Default MessageAttributes."""
    rawMessageDelivery: bool = False
    """Deliver the message body as is, without the SNS envelope. Default false."""


class SqsQueueSubscription(StrictModel):
    """A queue subscribed to the topic."""

    type: Literal["sqs-queue"]
    properties: SqsQueueSubscriptionProps


class FunctionSubscriptionProps(StrictModel):
    """Invoke a function of the stack with the topic's messages."""

    functionName: NonEmptyStr
    """Name of the function resource."""
    filterPolicy: dict[str, Any] | None = None
    """SNS filter policy: only matching messages are delivered."""
    filterPolicyScope: Literal["MessageAttributes", "MessageBody"] | None = None
    """What the filter policy matches. Default MessageAttributes."""


class FunctionSubscription(StrictModel):
    """A function subscribed to the topic."""

    type: Literal["function"]
    properties: FunctionSubscriptionProps


TopicSubscription = Annotated[SqsQueueSubscription | FunctionSubscription, Field(discriminator="type")]


class SnsTopicProps(StrictModel):
    """Properties of a topic."""

    smsDisplayName: Annotated[str, Field(min_length=1, max_length=MAX_SMS_DISPLAY_NAME)] | None = None
    """Sender name on SMS messages, at most 11 characters."""
    fifoEnabled: bool = False
    """FIFO topic: ordered, exactly-once, delivers to FIFO queues only. Default false."""
    contentBasedDeduplication: bool = False
    """Deduplicate by body hash. Requires fifoEnabled. Default false."""
    subscriptions: list[TopicSubscription] | None = None
    """Queues and functions of the stack subscribed to the topic (extension)."""

    @model_validator(mode="after")
    def _dedup_needs_fifo(self) -> Self:
        if self.contentBasedDeduplication and not self.fifoEnabled:
            problems = Problems()
            problems.add("contentBasedDeduplication requires fifoEnabled: true.", ("contentBasedDeduplication",),
                         hint="set fifoEnabled: true, or remove this property")
            problems.raise_if_any(type(self).__name__)
        return self


class SnsTopic(StrictModel):
    """An `sns-topic` resource."""

    type: Literal["sns-topic"]
    properties: SnsTopicProps | None = None
    overrides: Overrides = None
    """Not supported: use Pulumi transforms to change child resources."""
