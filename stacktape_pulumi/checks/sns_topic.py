"""`sns-topic`: subscribed queues and functions exist; FIFO topics deliver only to FIFO queues and vice versa."""

from stacktape_pulumi.checks.references import StackView
from stacktape_pulumi.checks.sqs_queue import is_fifo
from stacktape_pulumi.config.models.sns_topic import FunctionSubscription, SnsTopic, SqsQueueSubscription
from stacktape_pulumi.config.models.sqs_queue import QUEUE_TYPE
from stacktape_pulumi.errors import KeyPath


def check_subscriptions(view: StackView, name: str, topic: SnsTopic, base: KeyPath) -> None:
    """Subscribed queues and functions exist; FIFO topics deliver only to FIFO queues and vice versa."""
    fifo = is_fifo(topic)
    subscriptions = topic.properties.subscriptions if topic.properties else None
    for index, subscription in enumerate(subscriptions or []):
        spath = (*base, "subscriptions", index, "properties")
        if isinstance(subscription, SqsQueueSubscription):
            queue = subscription.properties.sqsQueueName
            qpath = (*spath, "sqsQueueName")
            if view.reference(queue, QUEUE_TYPE, name, "sns-topic", qpath) \
                    and is_fifo(view.config.resources[queue]) != fifo:
                view.add(qpath,
                         f"{'A FIFO' if fifo else 'A standard'} sns-topic can only deliver to "
                         f"{'FIFO' if fifo else 'standard'} queues; sqs-queue {queue} "
                         f"{'is not' if fifo else 'is'} FIFO.",
                         f"set fifoEnabled: {str(fifo).lower()} on {queue}")
        elif isinstance(subscription, FunctionSubscription):
            fpath = (*spath, "functionName")
            if view.reference(subscription.properties.functionName, "function", name, "sns-topic", fpath) \
                    and fifo:
                view.add((*base, "subscriptions", index, "type"),
                         f"FIFO sns-topic {name} can only deliver to FIFO SQS queues, not to functions.",
                         "subscribe a FIFO sqs-queue and consume it from the function")
