"""Function events from AWS event sources: queues, topics, buses, streams, buckets, schedules and log groups.

Polled sources (SQS, Kinesis, DynamoDB streams) become Lambda event source mappings: the function's
own role may read exactly that queue or stream (an inline policy the mapping waits for). Pushing
sources (SNS, EventBridge, S3, CloudWatch Logs) get a Lambda permission for their service with the
exact source ARN. AWS: Lambda (event source mappings, permissions), EventBridge (rules, targets),
SNS (subscriptions), S3 (bucket notifications), CloudWatch Logs (subscription filters), Kinesis
(stream consumers), IAM (inline policies).
"""

from __future__ import annotations  # see stacktape_pulumi/components/__init__.py

import json
from typing import TYPE_CHECKING, Any

import pulumi
import pulumi_aws as aws

from stacktape_pulumi.aws import iam
from stacktape_pulumi.aws.eventbridge import RULE_NAME_LIMIT, event_pattern, input_args
from stacktape_pulumi.aws.naming import fit
from stacktape_pulumi.checks.function_events import resource_param_target
from stacktape_pulumi.components.bucket import Bucket
from stacktape_pulumi.components.event_bus import rule_bus
from stacktape_pulumi.components.exchange import QueueGrantRequest
from stacktape_pulumi.components.sns_topic import SnsTopic
from stacktape_pulumi.components.sqs_queue import SqsQueue, request_queue_grant
from stacktape_pulumi.config.models.function_events import DEFAULT_STARTING_POSITION, S3Integration

if TYPE_CHECKING:
    from stacktape_pulumi.components.function_events import EventFunction, FunctionEventSite

# What Lambda's poller needs, as AWS documents per source ("Lambda execution role permissions").
SQS_CONSUMER_ACTIONS = ["sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:GetQueueAttributes"]
KINESIS_CONSUMER_ACTIONS = ["kinesis:DescribeStream", "kinesis:DescribeStreamSummary", "kinesis:GetRecords",
                            "kinesis:GetShardIterator", "kinesis:ListShards"]
KINESIS_FAN_OUT_ACTIONS = ["kinesis:SubscribeToShard", "kinesis:DescribeStreamConsumer"]
DYNAMO_STREAM_ACTIONS = ["dynamodb:DescribeStream", "dynamodb:GetRecords", "dynamodb:GetShardIterator"]
# What Lambda does with a stream mapping's failure destination, through the function's role.
ON_FAILURE_ACTIONS = {"sqs": "sqs:SendMessage", "sns": "sns:Publish"}
CONSUMER_NAME_LIMIT = 128  # kinesis RegisterStreamConsumer ConsumerName
FILTER_NAME_LIMIT = 512  # logs PutSubscriptionFilter filterName


# ---- pure decisions ---------------------------------------------------------------------

def log_group_name(arn: str) -> str:
    """`arn:aws:logs:<region>:<account>:log-group:<name>[:*]` → `<name>`."""
    name = arn.split(":log-group:", 1)[-1]
    return name[:-2] if name.endswith(":*") else name


def log_group_source_arn(arn: str) -> str:
    """The ARN CloudWatch Logs invokes with: the log group's, ending in `:*`."""
    return arn if arn.endswith(":*") else f"{arn}:*"


# ---- shared steps -----------------------------------------------------------------------

def _prefix(site: FunctionEventSite) -> str:
    return f"{site.function.resource_name}-event-{site.index}"


def _physical(site: FunctionEventSite, limit: int) -> str:
    function = site.function
    return fit(f"{function.context.stack_name}-{function.resource_name}-event-{site.index}", limit)


def _stack_arn(function: EventFunction, name: str | None, kind: type[Any], arn: str | None) -> Any:
    """The ARN of the stack's resource `name` (built before the function), or the ARN written."""
    ctx = function.context
    if name is not None:
        ctx.component(name, kind)
        return ctx.resource_param(name, "arn")
    return ctx.output_value(arn)


def _role_policy(site: FunctionEventSite, kind: str, statements: list[Any]) -> aws.iam.RolePolicy:
    """The function's permission to read this event's source; the mapping is created after it."""
    function = site.function
    return iam.inline_policy(f"{_prefix(site)}-policy", function.role, f"event-{site.index}-{kind}", statements,
                             function.child_opts())


def _invoke_permission(site: FunctionEventSite, principal: str, source_arn: Any,
                       **extra: Any) -> aws.lambda_.Permission:
    """Let exactly `source_arn` of `principal`'s service invoke the function (the alias when there is one)."""
    function = site.function
    return aws.lambda_.Permission(
        f"{_prefix(site)}-permission", action="lambda:InvokeFunction", function=function.function.name,
        qualifier=function.qualifier, principal=principal, source_arn=source_arn, **extra,
        opts=function.child_opts())


def _dead_letter_queue(site: FunctionEventSite, service: str, source_arn: Any) -> Any:
    """The ARN of `onDeliveryFailure`'s queue; a queue of the stack is asked to let exactly this source in."""
    function, failure = site.function, site.event.properties.onDeliveryFailure
    if failure.sqsQueueName is not None:
        request = QueueGrantRequest(f"Function '{function.resource_name}'", service,
                                    pulumi.Output.from_input(source_arn))
        return request_queue_grant(function.context, failure.sqsQueueName, request)
    return function.context.output_value(failure.sqsQueueArn)


def _on_failure(props: Any, function: EventFunction) -> tuple[list[Any], Any]:
    """The role statement and the mapping's destination config for `onFailure`, or nothing."""
    failure = props.onFailure
    if failure is None:
        return [], None
    arn = function.context.output_value(failure.arn)
    config = aws.lambda_.EventSourceMappingDestinationConfigArgs(
        on_failure=aws.lambda_.EventSourceMappingDestinationConfigOnFailureArgs(destination_arn=arn))
    return [iam.statement([ON_FAILURE_ACTIONS[failure.type]], [arn])], config


def _stream_mapping(site: FunctionEventSite, source_arn: Any, policy: aws.iam.RolePolicy,
                    destination: Any) -> aws.lambda_.EventSourceMapping:
    function, props = site.function, site.event.properties
    return aws.lambda_.EventSourceMapping(
        f"{_prefix(site)}-mapping",
        event_source_arn=source_arn,
        function_name=function.target_arn,
        starting_position=props.startingPosition or DEFAULT_STARTING_POSITION,
        batch_size=props.batchSize,
        maximum_batching_window_in_seconds=props.maxBatchWindowSeconds,
        maximum_retry_attempts=props.maximumRetryAttempts,
        parallelization_factor=props.parallelizationFactor,
        bisect_batch_on_function_error=props.bisectBatchOnFunctionError,
        destination_config=destination,
        opts=function.child_opts(depends_on=[policy]))


# ---- schedule ---------------------------------------------------------------------------

def schedule_event(site: FunctionEventSite) -> None:
    """An EventBridge rule on the default bus firing on the schedule, targeting the function."""
    function, props = site.function, site.event.properties
    rule = aws.cloudwatch.EventRule(
        f"{_prefix(site)}-rule", name=_physical(site, RULE_NAME_LIMIT), schedule_expression=props.scheduleRate,
        tags=function.context.tags, opts=function.child_opts())
    _rule_target(site, rule, None, input_args(props))


def _rule_target(site: FunctionEventSite, rule: aws.cloudwatch.EventRule, bus: Any, extra: dict[str, Any]) -> None:
    function = site.function
    permission = _invoke_permission(site, "events.amazonaws.com", rule.arn)
    # EventBridge drops events it may not deliver yet: the target comes once the function allows it.
    aws.cloudwatch.EventTarget(
        f"{_prefix(site)}-target", rule=rule.name, event_bus_name=bus, arn=function.target_arn, **extra,
        opts=function.child_opts(depends_on=[permission]))


# ---- event-bus --------------------------------------------------------------------------

def event_bus_event(site: FunctionEventSite) -> None:
    """A rule with the event pattern on the stack's bus, a bus by ARN or the default bus, targeting the function."""
    function, props = site.function, site.event.properties
    ctx = function.context
    bus = rule_bus(ctx, props)
    rule = aws.cloudwatch.EventRule(
        f"{_prefix(site)}-rule", name=_physical(site, RULE_NAME_LIMIT), event_bus_name=bus,
        event_pattern=event_pattern(props.eventPattern), tags=ctx.tags, opts=function.child_opts())
    extra = input_args(props)
    if props.onDeliveryFailure is not None:
        extra["dead_letter_config"] = aws.cloudwatch.EventTargetDeadLetterConfigArgs(
            arn=_dead_letter_queue(site, "events.amazonaws.com", rule.arn))
    _rule_target(site, rule, bus, extra)


# ---- sqs --------------------------------------------------------------------------------

def sqs_event(site: FunctionEventSite) -> None:
    """An event source mapping polling the queue; the function's role may consume exactly that queue."""
    function, props = site.function, site.event.properties
    queue_arn = _stack_arn(function, props.sqsQueueName, SqsQueue, props.sqsQueueArn)
    policy = _role_policy(site, "sqs", [iam.statement(SQS_CONSUMER_ACTIONS, [queue_arn])])
    aws.lambda_.EventSourceMapping(
        f"{_prefix(site)}-mapping", event_source_arn=queue_arn, function_name=function.target_arn,
        batch_size=props.batchSize, maximum_batching_window_in_seconds=props.maxBatchWindowSeconds,
        opts=function.child_opts(depends_on=[policy]))


# ---- sns --------------------------------------------------------------------------------

def sns_event(site: FunctionEventSite) -> None:
    """A Lambda subscription of the topic, with its filter policy and dead-letter queue."""
    function, props = site.function, site.event.properties
    topic_arn = _stack_arn(function, props.snsTopicName, SnsTopic, props.snsTopicArn)
    permission = _invoke_permission(site, "sns.amazonaws.com", topic_arn)
    redrive = None
    if props.onDeliveryFailure is not None:
        redrive = pulumi.Output.from_input(_dead_letter_queue(site, "sns.amazonaws.com", topic_arn)).apply(
            lambda arn: json.dumps({"deadLetterTargetArn": arn}))
    aws.sns.TopicSubscription(
        f"{_prefix(site)}-subscription", topic=topic_arn, protocol="lambda", endpoint=function.target_arn,
        filter_policy=json.dumps(props.filterPolicy) if props.filterPolicy is not None else None,
        redrive_policy=redrive, opts=function.child_opts(depends_on=[permission]))


# ---- streams ----------------------------------------------------------------------------

def dynamo_db_stream_event(site: FunctionEventSite) -> None:
    """An event source mapping on the table's stream; the role may read exactly that stream."""
    function, props = site.function, site.event.properties
    stream_arn = function.context.output_value(props.streamArn)
    statements, destination = _on_failure(props, function)
    policy = _role_policy(site, "dynamo-db-stream",
                          [iam.statement(DYNAMO_STREAM_ACTIONS, [stream_arn]), *statements])
    _stream_mapping(site, stream_arn, policy, destination)


def kinesis_stream_event(site: FunctionEventSite) -> None:
    """An event source mapping on the stream, or on a (created) stream consumer for dedicated throughput."""
    function, props = site.function, site.event.properties
    stream_arn = function.context.output_value(props.streamArn)
    source: Any = stream_arn
    resources = [stream_arn]
    if props.autoCreateConsumer:
        consumer = aws.kinesis.StreamConsumer(f"{_prefix(site)}-consumer", name=_physical(site, CONSUMER_NAME_LIMIT),
                                              stream_arn=stream_arn, opts=function.child_opts())
        source = consumer.arn
    elif props.consumerArn is not None:
        source = function.context.output_value(props.consumerArn)
    statements = [iam.statement(KINESIS_CONSUMER_ACTIONS, resources)]
    if source is not stream_arn:
        statements.append(iam.statement(KINESIS_FAN_OUT_ACTIONS, [source]))
    failure_statements, destination = _on_failure(props, function)
    policy = _role_policy(site, "kinesis-stream", [*statements, *failure_statements])
    _stream_mapping(site, source, policy, destination)


# ---- s3 ---------------------------------------------------------------------------------

def s3_event(site: FunctionEventSite) -> None:
    """S3 notifications of one bucket to the function: every s3 event of the function on that bucket in one."""
    function = site.function
    target = resource_param_target(site.event.properties.bucketArn)
    bucket_name = target[0] if target else ""
    function.context.once(f"s3-notification:{function.resource_name}:{bucket_name}",
                          lambda: _bucket_notification(site, bucket_name))


def _bucket_notification(site: FunctionEventSite, bucket_name: str) -> aws.s3.BucketNotification:
    function = site.function
    bucket = function.context.component(bucket_name, Bucket)
    # Bucket ARNs name no account: the account condition keeps another account's bucket of that name out.
    account = function.context.caller_identity().account_id
    permission = _invoke_permission(site, "s3.amazonaws.com", bucket.bucket.arn, source_account=account)
    events = [event.properties for event in function.props.events or []
              if isinstance(event, S3Integration) and resource_param_target(event.properties.bucketArn)
              == (bucket_name, "arn")]
    lambdas = [aws.s3.BucketNotificationLambdaFunctionArgs(
        lambda_function_arn=function.target_arn, events=[props.s3EventType],
        filter_prefix=props.filterRule.prefix if props.filterRule else None,
        filter_suffix=props.filterRule.suffix if props.filterRule else None) for props in events]
    # S3 tests the destination when the configuration is written: the permission must exist first.
    return aws.s3.BucketNotification(f"{_prefix(site)}-notification", bucket=bucket.bucket.id, lambda_functions=lambdas,
                                     opts=function.child_opts(depends_on=[permission]))


# ---- cloudwatch-log ---------------------------------------------------------------------

def cloudwatch_log_event(site: FunctionEventSite) -> None:
    """A subscription filter of the log group delivering matching records to the function."""
    function, props = site.function, site.event.properties
    arn = pulumi.Output.from_input(function.context.output_value(props.logGroupArn))
    permission = _invoke_permission(site, "logs.amazonaws.com", arn.apply(log_group_source_arn))
    aws.cloudwatch.LogSubscriptionFilter(
        f"{_prefix(site)}-subscription-filter", name=_physical(site, FILTER_NAME_LIMIT),
        log_group=arn.apply(log_group_name), filter_pattern=props.filter or "", destination_arn=function.target_arn,
        opts=function.child_opts(depends_on=[permission]))
