"""`sqs-queue`: an SQS queue (standard or FIFO) with its dead-letter redrive, resource policy and event rules.

The queue owns its one resource policy, so it also creates the subscriptions of `sns-topic`s
that deliver to it (topics are built first and leave their requests with the stack context) and
the EventBridge rules of its `events` (the policy lets exactly those rules send).
AWS: SQS (queue, queue policy), SNS (subscriptions of topics to the queue), EventBridge (rules, targets).
"""

from __future__ import annotations  # see stacktape_pulumi/components/__init__.py

import json
from typing import TYPE_CHECKING, Any

import pulumi
import pulumi_aws as aws

from stacktape_pulumi.aws import iam
from stacktape_pulumi.aws.eventbridge import event_pattern, input_args, rule_name
from stacktape_pulumi.aws.iam import Statement
from stacktape_pulumi.aws.naming import fit
from stacktape_pulumi.components.base import StacktapeComponent
from stacktape_pulumi.components.connect import runtime_values, with_principal
from stacktape_pulumi.components.context import StackContext
from stacktape_pulumi.components.event_bus import rule_bus
from stacktape_pulumi.components.exchange import QueueGrantRequest, TopicSubscriptionRequest
from stacktape_pulumi.config.models.sqs_queue import SqsQueueProps
from stacktape_pulumi.errors import StacktapeError

if TYPE_CHECKING:  # annotations only: `schema.registry` evaluates them with stacktape_pulumi.args
    from stacktape_pulumi.args import SqsQueueArgs

KIND = "SqsQueue"
NAME_LIMIT = 80
FIFO_SUFFIX = ".fifo"
# The reference's defaults, set explicitly: SQS's own maximum message size default has since grown.
DEFAULT_DELAY_SECONDS = 0
DEFAULT_MAX_MESSAGE_SIZE = 262144
DEFAULT_RETENTION_SECONDS = 345600
DEFAULT_LONG_POLLING_SECONDS = 0
DEFAULT_VISIBILITY_TIMEOUT_SECONDS = 30


# ---- pure decisions ---------------------------------------------------------------------

def fifo_name(base: str, fifo: bool, limit: int) -> str:
    """A physical queue or topic name within `limit`; FIFO ones must end with `.fifo`."""
    if fifo:
        return fit(base, limit - len(FIFO_SUFFIX)) + FIFO_SUFFIX
    return fit(base, limit)


def redrive_policy(dead_letter_arn: str, max_receive_count: int) -> str:
    """SQS's redrive policy JSON."""
    return json.dumps({"deadLetterTargetArn": dead_letter_arn, "maxReceiveCount": max_receive_count})


def topic_statement(queue_arn: Any, topic_arn: Any) -> Statement:
    """Let exactly one SNS topic send messages to the queue."""
    return source_statement(queue_arn, "sns.amazonaws.com", topic_arn)


def source_statement(queue_arn: Any, service: str, source_arn: Any) -> Statement:
    """Let exactly one source (a topic, an EventBridge rule) of an AWS service send messages to the queue."""
    return with_principal(iam.statement(["sqs:SendMessage"], [queue_arn],
                                        condition={"ArnEquals": {"aws:SourceArn": source_arn}}),
                          {"Service": service})


# ---- topic subscriptions requested before the queue exists ------------------------------

def request_topic_subscription(ctx: StackContext, queue: str, request: TopicSubscriptionRequest) -> None:
    """Leave a subscription for `queue` to create (it must not be built yet: its policy is final once built)."""
    if queue in ctx.components:
        raise StacktapeError(
            f"SnsTopic '{request.topic}': SqsQueue '{queue}' already exists; create the topic first, so the queue's "
            "policy can allow it")
    ctx.exchange.topic_subscriptions.setdefault(queue, []).append(request)


def queue_name(stack_name: str, resource: str, fifo: bool) -> str:
    """The physical name of queue `resource` of stack `stack_name`."""
    return fifo_name(f"{stack_name}-{resource}", fifo, NAME_LIMIT)


def request_queue_grant(ctx: StackContext, queue: str, request: QueueGrantRequest) -> pulumi.Output[str]:
    """Ask standard queue `queue`, built later, to let `request`'s source in; its ARN, known before it exists.

    The queue owns its one policy, which must already allow the source, so the source's owner comes first and
    addresses the queue by the ARN its name makes.
    """
    if queue in ctx.components:
        raise StacktapeError(
            f"{request.requester}: SqsQueue '{queue}' already exists; create it after {request.requester}, so the "
            "queue's policy can allow its dead-letter deliveries")
    ctx.exchange.queue_grants.setdefault(queue, []).append(request)
    identity = ctx.caller_identity()
    name = queue_name(ctx.stack_name, queue, False)
    return pulumi.Output.all(ctx.region, identity.account_id).apply(
        lambda values: f"arn:aws:sqs:{values[0]}:{values[1]}:{name}")


# ---- the component ----------------------------------------------------------------------

class SqsQueue(StacktapeComponent[SqsQueueProps]):
    """An SQS queue encrypted with SQS-managed keys, with optional dead-letter queue and resource policy."""

    queue: aws.sqs.Queue
    """The SQS queue."""
    policy: aws.sqs.QueuePolicy | None
    """The queue policy, when `policyStatements` or subscribed `sns-topic`s need one."""
    params: dict[str, pulumi.Output[Any]]
    """The values `$ResourceParam('<name>', '<param>')` reads: arn, url, name."""

    @property
    def arn(self) -> pulumi.Output[str]:
        """The queue's ARN."""
        return self.queue.arn

    @property
    def url(self) -> pulumi.Output[str]:
        """The queue's URL."""
        return self.queue.url

    def __init__(self, name: str, args: SqsQueueArgs = {},  # noqa: B006 (read only)
                 opts: pulumi.ResourceOptions | None = None, *, context: StackContext | None = None) -> None:
        super().__init__(KIND, "sqs-queue", name, args, SqsQueueProps, opts, context)
        subscriptions = self.context.exchange.topic_subscriptions.pop(name, [])
        grants = self.context.exchange.queue_grants.pop(name, [])
        if grants and self.props.fifoEnabled:
            # Python programs skip validate's cross-resource checks; the grants' requesters addressed a standard queue.
            raise StacktapeError(f"{KIND} '{name}': FIFO queues cannot take undeliverable messages of "
                                 f"{', '.join(sorted({grant.requester for grant in grants}))}; use a standard queue")

        self.queue = self._create_queue()
        rules = self._create_event_rules()
        sources = [("events.amazonaws.com", rule.arn) for rule, _, _ in rules]
        sources += [(grant.service, grant.source_arn) for grant in grants]
        self.policy = self._create_policy(subscriptions, sources)
        self._create_subscriptions(subscriptions)
        self._create_event_targets(rules)
        self.params = {"arn": self.queue.arn, "url": self.queue.url, "name": self.queue.name}
        self.publish(self.params)

    def _dead_letter_arn(self) -> pulumi.Input[str] | None:
        redrive = self.props.redrivePolicy
        if redrive is None:
            return None
        if redrive.targetSqsQueueArn is not None:
            arn: pulumi.Input[str] = self.context.output_value(redrive.targetSqsQueueArn)
            return arn
        target = redrive.targetSqsQueueName or ""
        self.context.component(target, SqsQueue)
        return self.context.params[target]["arn"]

    def _create_queue(self) -> aws.sqs.Queue:
        props = self.props
        dead_letter = self._dead_letter_arn()
        redrive = None
        if dead_letter is not None and props.redrivePolicy is not None:
            count = props.redrivePolicy.maxReceiveCount
            redrive = pulumi.Output.from_input(dead_letter).apply(lambda arn: redrive_policy(arn, count))
        high_throughput = props.fifoEnabled and props.fifoHighThroughput
        return aws.sqs.Queue(
            f"{self.resource_name}-queue",
            name=queue_name(self.context.stack_name, self.resource_name, props.fifoEnabled),
            fifo_queue=props.fifoEnabled or None,
            content_based_deduplication=props.contentBasedDeduplication or None,
            # High throughput: deduplicate and limit throughput per message group, not per queue.
            deduplication_scope="messageGroup" if high_throughput else None,
            fifo_throughput_limit="perMessageGroupId" if high_throughput else None,
            delay_seconds=_or(props.delayMessagesSecond, DEFAULT_DELAY_SECONDS),
            max_message_size=_or(props.maxMessageSizeBytes, DEFAULT_MAX_MESSAGE_SIZE),
            message_retention_seconds=_or(props.messageRetentionPeriodSeconds, DEFAULT_RETENTION_SECONDS),
            receive_wait_time_seconds=_or(props.longPollingSeconds, DEFAULT_LONG_POLLING_SECONDS),
            visibility_timeout_seconds=_or(props.visibilityTimeoutSeconds, DEFAULT_VISIBILITY_TIMEOUT_SECONDS),
            sqs_managed_sse_enabled=True,
            redrive_policy=redrive,
            tags=self.context.tags,
            opts=self.child_opts())

    def _create_event_rules(self) -> list[tuple[aws.cloudwatch.EventRule, Any, Any]]:
        """One EventBridge rule per `events` item, on the stack's bus, a bus by ARN or the default bus."""
        rules = []
        for index, event in enumerate(self.props.events or []):
            props = event.properties
            bus = rule_bus(self.context, props)
            rule = aws.cloudwatch.EventRule(
                f"{self.resource_name}-event-{index}-rule",
                name=rule_name(self.context.stack_name, self.resource_name, "event", str(index)),
                event_bus_name=bus, event_pattern=event_pattern(props.eventPattern),
                tags=self.context.tags, opts=self.child_opts())
            rules.append((rule, props, bus))
        return rules

    def _create_event_targets(self, rules: list[tuple[aws.cloudwatch.EventRule, Any, Any]]) -> None:
        for index, (rule, props, bus) in enumerate(rules):
            extra = input_args(props)
            if props.messageGroupId is not None:
                extra["sqs_target"] = aws.cloudwatch.EventTargetSqsTargetArgs(message_group_id=props.messageGroupId)
            failure = props.onDeliveryFailure
            if failure is not None and failure.sqsQueueName is not None:
                request = QueueGrantRequest(f"{KIND} '{self.resource_name}'", "events.amazonaws.com", rule.arn)
                extra["dead_letter_config"] = aws.cloudwatch.EventTargetDeadLetterConfigArgs(
                    arn=request_queue_grant(self.context, failure.sqsQueueName, request))
            elif failure is not None:
                extra["dead_letter_config"] = aws.cloudwatch.EventTargetDeadLetterConfigArgs(
                    arn=self.context.output_value(failure.sqsQueueArn))
            # EventBridge drops what the queue's policy does not yet let in.
            aws.cloudwatch.EventTarget(
                f"{self.resource_name}-event-{index}-target", rule=rule.name, event_bus_name=bus,
                arn=self.queue.arn, **extra, opts=self.child_opts(depends_on=[self.policy] if self.policy else None))

    def _create_policy(self, subscriptions: list[TopicSubscriptionRequest],
                       sources: list[tuple[str, pulumi.Output[str]]]) -> aws.sqs.QueuePolicy | None:
        arn = self.queue.arn
        statements = [with_principal(iam.statement(s.Action, [arn], effect=s.Effect,
                                                   condition=runtime_values(self.context, s.Condition)
                                                   if s.Condition else None),
                                     runtime_values(self.context, s.Principal))
                      for s in self.props.policyStatements or []]
        statements += [topic_statement(arn, request.topic_arn) for request in subscriptions]
        statements += [source_statement(arn, service, source_arn) for service, source_arn in sources]
        if not statements:
            return None
        return aws.sqs.QueuePolicy(f"{self.resource_name}-policy", queue_url=self.queue.url,
                                   policy=iam.policy_document(statements), opts=self.child_opts())

    def _create_subscriptions(self, subscriptions: list[TopicSubscriptionRequest]) -> None:
        for request in subscriptions:
            props = request.props
            # Messages published before the policy allows the topic would be lost.
            aws.sns.TopicSubscription(
                f"{self.resource_name}-{request.topic}-subscription",
                topic=request.topic_arn, protocol="sqs", endpoint=self.queue.arn,
                raw_message_delivery=props.rawMessageDelivery or None,
                filter_policy=json.dumps(props.filterPolicy) if props.filterPolicy is not None else None,
                filter_policy_scope=props.filterPolicyScope,
                opts=self.child_opts(depends_on=[self.policy] if self.policy else None))


def _or(value: int | None, default: int) -> int:
    return default if value is None else value
