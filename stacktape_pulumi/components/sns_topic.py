"""`sns-topic`: an SNS topic (standard or FIFO) and its subscriptions to queues and functions of the stack.

A function subscription is created here with the Lambda permission for exactly this topic; a
queue subscription is handed to the queue, which owns the resource policy that must allow the
topic (so topics are created before the queues they deliver to).
AWS: SNS (topic, subscriptions), Lambda (invoke permissions for SNS).
"""

from __future__ import annotations  # see stacktape_pulumi/components/__init__.py

import json
from typing import Any

import pulumi
import pulumi_aws as aws

from stacktape_pulumi.args import SnsTopicArgs
from stacktape_pulumi.components.base import validate_args
from stacktape_pulumi.components.context import StackContext, current_context
from stacktape_pulumi.components.sqs_queue import (
    TopicSubscriptionRequest,
    fifo_name,
    request_topic_subscription,
)
from stacktape_pulumi.config.models.sns_topic import FunctionSubscription, SnsTopicProps, SqsQueueSubscription

KIND = "SnsTopic"
NAME_LIMIT = 256


class SnsTopic(pulumi.ComponentResource):
    """An SNS topic, optionally FIFO, delivering to queues and functions of the stack."""

    topic: aws.sns.Topic
    """The SNS topic."""
    params: dict[str, pulumi.Output[Any]]
    """The values `$ResourceParam('<name>', '<param>')` reads: arn, name."""

    def __init__(self, name: str, args: SnsTopicArgs = {},  # noqa: B006 (read only)
                 opts: pulumi.ResourceOptions | None = None, *, context: StackContext | None = None) -> None:
        super().__init__("stacktape:index:SnsTopic", name, None, opts)
        props = validate_args(KIND, name, args, SnsTopicProps)
        self._name = name
        self._props = props
        self._ctx = context or current_context()

        self.topic = self._create_topic()
        self._create_subscriptions()
        self.params = {"arn": self.topic.arn, "name": self.topic.name}
        self._ctx.register_component(name, self, self.params)
        self.register_outputs(dict(self.params))

    def _child(self, **kwargs: Any) -> pulumi.ResourceOptions:
        return pulumi.ResourceOptions(parent=self, **kwargs)

    def _create_topic(self) -> aws.sns.Topic:
        props = self._props
        return aws.sns.Topic(
            f"{self._name}-topic",
            name=fifo_name(f"{self._ctx.stack_name}-{self._name}", props.fifoEnabled, NAME_LIMIT),
            display_name=props.smsDisplayName,
            fifo_topic=props.fifoEnabled or None,
            content_based_deduplication=props.contentBasedDeduplication or None,
            tags=self._ctx.tags,
            opts=self._child())

    def _create_subscriptions(self) -> None:
        for subscription in self._props.subscriptions or []:
            if isinstance(subscription, SqsQueueSubscription):
                queue = subscription.properties.sqsQueueName
                request_topic_subscription(self._ctx, queue, TopicSubscriptionRequest(
                    self._name, self.topic.arn, subscription.properties))
            elif isinstance(subscription, FunctionSubscription):
                self._subscribe_function(subscription)

    def _subscribe_function(self, subscription: FunctionSubscription) -> None:
        props = subscription.properties
        function = props.functionName
        self._ctx.component(function, object)
        arn = self._ctx.resource_param(function, "arn")
        permission = aws.lambda_.Permission(
            f"{self._name}-{function}-permission", action="lambda:InvokeFunction", function=arn,
            principal="sns.amazonaws.com", source_arn=self.topic.arn, opts=self._child())
        aws.sns.TopicSubscription(
            f"{self._name}-{function}-subscription", topic=self.topic.arn, protocol="lambda", endpoint=arn,
            filter_policy=json.dumps(props.filterPolicy) if props.filterPolicy is not None else None,
            filter_policy_scope=props.filterPolicyScope,
            opts=self._child(depends_on=[permission]))
