"""`sns-topic`: an SNS topic (standard or FIFO) and its subscriptions to queues and functions of the stack.

A function subscription is created here with the Lambda permission for exactly this topic; a
queue subscription is handed to the queue, which owns the resource policy that must allow the
topic (so topics are created before the queues they deliver to).
AWS: SNS (topic, subscriptions), Lambda (invoke permissions for SNS).
"""

from __future__ import annotations  # see stacktape_pulumi/components/__init__.py

import json
from typing import TYPE_CHECKING, Any

import pulumi
import pulumi_aws as aws

from stacktape_pulumi.components.base import StacktapeComponent
from stacktape_pulumi.components.context import StackContext
from stacktape_pulumi.components.exchange import TopicSubscriptionRequest
from stacktape_pulumi.components.sqs_queue import fifo_name, request_topic_subscription
from stacktape_pulumi.config.models.sns_topic import FunctionSubscription, SnsTopicProps, SqsQueueSubscription

if TYPE_CHECKING:  # annotations only: `schema.registry` evaluates them with stacktape_pulumi.args
    from stacktape_pulumi.args import SnsTopicArgs

KIND = "SnsTopic"
NAME_LIMIT = 256


class SnsTopic(StacktapeComponent[SnsTopicProps]):
    """An SNS topic, optionally FIFO, delivering to queues and functions of the stack."""

    topic: aws.sns.Topic
    """The SNS topic."""
    params: dict[str, pulumi.Output[Any]]
    """The values `$ResourceParam('<name>', '<param>')` reads: arn, name."""

    @property
    def arn(self) -> pulumi.Output[str]:
        """The topic's ARN."""
        return self.topic.arn

    def __init__(self, name: str, args: SnsTopicArgs = {},  # noqa: B006 (read only)
                 opts: pulumi.ResourceOptions | None = None, *, context: StackContext | None = None) -> None:
        super().__init__(KIND, "sns-topic", name, args, SnsTopicProps, opts, context)

        self.topic = self._create_topic()
        self._create_subscriptions()
        self.params = {"arn": self.topic.arn, "name": self.topic.name}
        self.publish(self.params)

    def _create_topic(self) -> aws.sns.Topic:
        props = self.props
        return aws.sns.Topic(
            f"{self.resource_name}-topic",
            name=fifo_name(f"{self.context.stack_name}-{self.resource_name}", props.fifoEnabled, NAME_LIMIT),
            display_name=props.smsDisplayName,
            fifo_topic=props.fifoEnabled or None,
            content_based_deduplication=props.contentBasedDeduplication or None,
            tags=self.context.tags,
            opts=self.child_opts())

    def _create_subscriptions(self) -> None:
        for subscription in self.props.subscriptions or []:
            if isinstance(subscription, SqsQueueSubscription):
                queue = subscription.properties.sqsQueueName
                request_topic_subscription(self.context, queue, TopicSubscriptionRequest(
                    self.resource_name, self.topic.arn, subscription.properties))
            elif isinstance(subscription, FunctionSubscription):
                self._subscribe_function(subscription)

    def _subscribe_function(self, subscription: FunctionSubscription) -> None:
        props = subscription.properties
        function = props.functionName
        self.context.component(function, object)
        arn = self.context.resource_param(function, "arn")
        permission = aws.lambda_.Permission(
            f"{self.resource_name}-{function}-permission", action="lambda:InvokeFunction", function=arn,
            principal="sns.amazonaws.com", source_arn=self.topic.arn, opts=self.child_opts())
        aws.sns.TopicSubscription(
            f"{self.resource_name}-{function}-subscription", topic=self.topic.arn, protocol="lambda", endpoint=arn,
            filter_policy=json.dumps(props.filterPolicy) if props.filterPolicy is not None else None,
            filter_policy_scope=props.filterPolicyScope,
            opts=self.child_opts(depends_on=[permission]))
