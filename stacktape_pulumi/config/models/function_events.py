"""The event sources of a `function` besides HTTP traffic: queues, topics, buses, streams, buckets, schedules, logs.

Property names follow the reference's `…Integration` types; limits come from botocore's request
models (lambda CreateEventSourceMapping, events PutRule/PutTargets, logs PutSubscriptionFilter)
where the reference gives none, and from the reference where it is stricter (a DynamoDB batch
of at most 1,000 records).
"""

import re
from typing import Annotated, Any, Literal, Self

from pydantic import Field, model_validator

from stacktape_pulumi.config.models.common import StrictModel
from stacktape_pulumi.config.models.event_bus import (
    EventBusIntegrationProps,
    EventInputTransformer,
    target_input_problems,
)
from stacktape_pulumi.config.models.shared import NonEmptyStr, Problems, is_directive

# lambda CreateEventSourceMapping (botocore): BatchSize 1-10000, MaximumBatchingWindowInSeconds 0-300,
# MaximumRetryAttempts -1 (forever) to 10000, ParallelizationFactor 1-10.
BatchWindow = Annotated[int, Field(ge=0, le=300)]
RetryAttempts = Annotated[int, Field(ge=-1, le=10000)]
Parallelization = Annotated[int, Field(ge=1, le=10)]
StartingPosition = Literal["LATEST", "TRIM_HORIZON"]
# What the reference starts a stream at when `startingPosition` is left out.
DEFAULT_STARTING_POSITION = "TRIM_HORIZON"
# events PutRule ScheduleExpression (botocore).
MAX_SCHEDULE_EXPRESSION = 256
# logs PutSubscriptionFilter filterPattern (botocore).
MAX_LOG_FILTER_PATTERN = 1024

RATE = re.compile(r"rate\((?P<value>\d+) (?P<unit>minutes?|hours?|days?)\)")
CRON = re.compile(r"cron\((?P<fields>[^()]*)\)")
CRON_FIELDS = ("minutes", "hours", "day-of-month", "month", "day-of-week", "year")


def schedule_expression_problem(expression: str) -> str | None:
    """Why EventBridge would refuse `expression` (`rate(…)` or 6-field `cron(…)`), or None."""
    if len(expression) > MAX_SCHEDULE_EXPRESSION:
        return f"is {len(expression)} characters long; EventBridge allows at most {MAX_SCHEDULE_EXPRESSION}"
    rate = RATE.fullmatch(expression)
    if rate is not None:
        value, unit = int(rate["value"]), rate["unit"]
        if value < 1:
            return "has a rate of 0; the rate must be a positive whole number"
        # EventBridge wants `rate(1 hour)` but `rate(2 hours)`.
        if (value == 1) == unit.endswith("s"):
            singular = unit.rstrip("s")
            return f"must say '{singular}' for a rate of 1 and '{singular}s' otherwise"
        return None
    cron = CRON.fullmatch(expression)
    if cron is not None:
        fields = cron["fields"].split()
        if len(fields) != len(CRON_FIELDS):
            return (f"has {len(fields)} cron fields; EventBridge cron has 6: "
                    f"{' '.join(CRON_FIELDS)}")
        day_of_month, day_of_week = fields[2], fields[4]
        # EventBridge refuses a day-of-month and a day-of-week together: one of them must be '?'.
        if (day_of_month == "?") == (day_of_week == "?"):
            return "must have '?' in exactly one of day-of-month (3rd field) and day-of-week (5th field)"
        return None
    return "is neither rate(<value> <unit>) nor cron(<6 fields>)"


def _exactly_one(model: Any, keys: tuple[str, ...], problems: Problems) -> None:
    present = [key for key in keys if getattr(model, key)]
    if len(present) != 1:
        names = f"{', '.join(keys[:-1])} or {keys[-1]}"
        problems.add(f"Specify exactly one of {names}.", (present[1],) if len(present) > 1 else (),
                     at_key=len(present) > 1,
                     hint="name a resource of this stack, or give the ARN of one outside it")


# --- schedule -----------------------------------------------------------------------------


class ScheduleIntegrationProps(StrictModel):
    """Invoke the function on a schedule (an EventBridge rule on the default bus)."""

    scheduleRate: NonEmptyStr
    """`rate(<value> <unit>)` or 6-field `cron(...)` (UTC), e.g. `rate(2 hours)`, `cron(0 10 * * ? *)`."""
    input: Any = None
    """Fixed JSON payload; one of input, inputPath, inputTransformer."""
    inputPath: str | None = None
    """JSONPath of the part of the event delivered; one of input, inputPath, inputTransformer."""
    inputTransformer: EventInputTransformer | None = None
    """Payload built from the event; one of input, inputPath, inputTransformer."""

    @model_validator(mode="after")
    def _valid_schedule(self) -> Self:
        problems = Problems()
        if not is_directive(self.scheduleRate):
            problem = schedule_expression_problem(self.scheduleRate)
            if problem is not None:
                problems.add(f"scheduleRate '{self.scheduleRate}' {problem}.", ("scheduleRate",),
                             hint="e.g. rate(5 minutes), rate(1 hour), cron(0 18 ? * MON-FRI *)")
        target_input_problems(self, problems)
        problems.raise_if_any(type(self).__name__)
        return self


class ScheduleIntegration(StrictModel):
    """`{type: schedule, properties}`."""

    type: Literal["schedule"]
    properties: ScheduleIntegrationProps


# --- sqs ----------------------------------------------------------------------------------


class SqsIntegrationProps(StrictModel):
    """Invoke the function with batches of messages from an SQS queue (an event source mapping)."""

    sqsQueueName: NonEmptyStr | None = None
    """Name of an sqs-queue resource; one of sqsQueueName, sqsQueueArn."""
    sqsQueueArn: NonEmptyStr | None = None
    """ARN of a queue outside the stack; one of sqsQueueName, sqsQueueArn."""
    batchSize: Annotated[int, Field(ge=1, le=10000)] | None = None
    """Messages per invocation, 1-10000 (at most 10 for a FIFO queue). Default 10 (AWS)."""
    maxBatchWindowSeconds: BatchWindow | None = None
    """Seconds to gather a batch, 0-300 (required above 10 messages; not for FIFO queues)."""

    @model_validator(mode="after")
    def _one_queue(self) -> Self:
        problems = Problems()
        _exactly_one(self, ("sqsQueueName", "sqsQueueArn"), problems)
        # Lambda's rule for standard queues: batches above 10 need a batching window.
        if self.batchSize is not None and self.batchSize > 10 and not self.maxBatchWindowSeconds:
            problems.add(f"batchSize {self.batchSize} needs maxBatchWindowSeconds of at least 1: Lambda only "
                         "gathers more than 10 messages while it waits for a batch.", ("batchSize",),
                         hint="set maxBatchWindowSeconds (1-300), or a batchSize of at most 10")
        problems.raise_if_any(type(self).__name__)
        return self


class SqsIntegration(StrictModel):
    """`{type: sqs, properties}`."""

    type: Literal["sqs"]
    properties: SqsIntegrationProps


# --- sns ----------------------------------------------------------------------------------


class SnsOnDeliveryFailure(StrictModel):
    """A queue for messages SNS could not deliver to the function."""

    sqsQueueArn: NonEmptyStr | None = None
    """ARN of a queue outside the stack (its policy must let SNS send to it)."""
    sqsQueueName: NonEmptyStr | None = None
    """Name of an sqs-queue resource."""

    @model_validator(mode="after")
    def _one_queue(self) -> Self:
        problems = Problems()
        _exactly_one(self, ("sqsQueueName", "sqsQueueArn"), problems)
        problems.raise_if_any(type(self).__name__)
        return self


class SnsIntegrationProps(StrictModel):
    """Subscribe the function to an SNS topic."""

    snsTopicName: NonEmptyStr | None = None
    """Name of an sns-topic resource; one of snsTopicName, snsTopicArn."""
    snsTopicArn: NonEmptyStr | None = None
    """ARN of a topic outside the stack; one of snsTopicName, snsTopicArn."""
    filterPolicy: dict[str, Any] | None = None
    """SNS filter policy on message attributes."""
    onDeliveryFailure: SnsOnDeliveryFailure | None = None
    """Queue for messages that could not be delivered."""

    @model_validator(mode="after")
    def _one_topic(self) -> Self:
        problems = Problems()
        _exactly_one(self, ("snsTopicName", "snsTopicArn"), problems)
        problems.raise_if_any(type(self).__name__)
        return self


class SnsIntegration(StrictModel):
    """`{type: sns, properties}`."""

    type: Literal["sns"]
    properties: SnsIntegrationProps


# --- event-bus ----------------------------------------------------------------------------


class FunctionEventBusIntegration(StrictModel):
    """`{type: event-bus, properties}`: a rule on a bus invoking the function for matching events."""

    type: Literal["event-bus"]
    properties: EventBusIntegrationProps


# --- streams --------------------------------------------------------------------------------


class DestinationOnFailure(StrictModel):
    """Where records go after the last retry failed."""

    arn: NonEmptyStr
    """ARN of the SNS topic or SQS queue."""
    type: Literal["sns", "sqs"]
    """The destination's kind."""


class StreamIntegrationProps(StrictModel):
    """What stream event source mappings share."""

    maxBatchWindowSeconds: BatchWindow | None = None
    """Seconds to gather a batch, 0-300."""
    startingPosition: StartingPosition | None = None
    """LATEST (new records) or TRIM_HORIZON (all). Default TRIM_HORIZON."""
    maximumRetryAttempts: RetryAttempts | None = None
    """Retries of a failed batch, -1 (until the record expires) to 10000."""
    onFailure: DestinationOnFailure | None = None
    """Destination of batches that failed every retry."""
    parallelizationFactor: Parallelization | None = None
    """Batches processed at once per shard, 1-10."""
    bisectBatchOnFunctionError: bool | None = None
    """Split a failed batch in two before retrying."""


class KinesisIntegrationProps(StreamIntegrationProps):
    """Invoke the function with batches of records from a Kinesis data stream."""

    kinesisStreamName: NonEmptyStr | None = None
    """Name of a kinesis-stream resource (not supported yet); one of kinesisStreamName, streamArn."""
    streamArn: NonEmptyStr | None = None
    """ARN of the stream; one of kinesisStreamName, streamArn."""
    consumerArn: NonEmptyStr | None = None
    """ARN of a stream consumer to read through (not with autoCreateConsumer)."""
    autoCreateConsumer: bool | None = None
    """Create a dedicated stream consumer (not with consumerArn)."""
    batchSize: Annotated[int, Field(ge=1, le=10000)] | None = None
    """Records per invocation, 1-10000. Default 100 (AWS)."""

    @model_validator(mode="after")
    def _one_stream(self) -> Self:
        problems = Problems()
        _exactly_one(self, ("kinesisStreamName", "streamArn"), problems)
        if self.consumerArn and self.autoCreateConsumer:
            problems.add("consumerArn cannot be used with autoCreateConsumer.", ("autoCreateConsumer",),
                         at_key=True, hint="read through your consumer, or let one be created, not both")
        problems.raise_if_any(type(self).__name__)
        return self


class KinesisIntegration(StrictModel):
    """`{type: kinesis-stream, properties}`."""

    type: Literal["kinesis-stream"]
    properties: KinesisIntegrationProps


class DynamoDbIntegrationProps(StreamIntegrationProps):
    """Invoke the function with batches of a DynamoDB table's stream records."""

    streamArn: NonEmptyStr
    """ARN of the table's stream, e.g. `$ResourceParam('<table>', 'streamArn')`."""
    batchSize: Annotated[int, Field(ge=1, le=1000)] | None = None
    """Records per invocation, 1-1000. Default 100 (AWS)."""


class DynamoDbIntegration(StrictModel):
    """`{type: dynamo-db-stream, properties}`."""

    type: Literal["dynamo-db-stream"]
    properties: DynamoDbIntegrationProps


# --- s3 -------------------------------------------------------------------------------------

S3EventType = Literal[
    "s3:ObjectCreated:*", "s3:ObjectCreated:CompleteMultipartUpload", "s3:ObjectCreated:Copy",
    "s3:ObjectCreated:Post", "s3:ObjectCreated:Put",
    "s3:ObjectRemoved:*", "s3:ObjectRemoved:Delete", "s3:ObjectRemoved:DeleteMarkerCreated",
    "s3:ObjectRestore:*", "s3:ObjectRestore:Completed", "s3:ObjectRestore:Post",
    "s3:ReducedRedundancyLostObject",
    "s3:Replication:*", "s3:Replication:OperationFailedReplication", "s3:Replication:OperationMissedThreshold",
    "s3:Replication:OperationNotTracked", "s3:Replication:OperationReplicatedAfterThreshold",
]


class S3FilterRule(StrictModel):
    """Only objects whose keys match trigger the function."""

    prefix: NonEmptyStr | None = None
    """Key prefix, e.g. `uploads/`."""
    suffix: NonEmptyStr | None = None
    """Key suffix, e.g. `.jpg`."""


class S3IntegrationProps(StrictModel):
    """Invoke the function for object events of a bucket of the stack."""

    bucketArn: NonEmptyStr
    """`$ResourceParam('<bucket>', 'arn')` of a bucket resource of this stack."""
    s3EventType: S3EventType
    """The S3 event type."""
    filterRule: S3FilterRule | None = None
    """Key prefix and suffix filter."""


class S3Integration(StrictModel):
    """`{type: s3, properties}`."""

    type: Literal["s3"]
    properties: S3IntegrationProps


# --- cloudwatch-log -------------------------------------------------------------------------


class CloudwatchLogIntegrationProps(StrictModel):
    """Invoke the function with (gzipped, base64) batches of a log group's records."""

    logGroupArn: NonEmptyStr
    """ARN of the log group."""
    filter: Annotated[str, Field(max_length=MAX_LOG_FILTER_PATTERN)] | None = None
    """CloudWatch Logs filter pattern, at most 1024 characters. Default: every record."""


class CloudwatchLogIntegration(StrictModel):
    """`{type: cloudwatch-log, properties}`."""

    type: Literal["cloudwatch-log"]
    properties: CloudwatchLogIntegrationProps
