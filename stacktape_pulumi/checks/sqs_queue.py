"""`sqs-queue`: what a queue's config asks for that this version cannot build, and its creation order."""

from collections.abc import Iterator
from typing import Any

from stacktape_pulumi.config.models.sns_topic import TOPIC_TYPE
from stacktape_pulumi.config.models.sqs_queue import QUEUE_TYPE, SqsQueueProps
from stacktape_pulumi.errors import KeyPath, Problem


def queue_problems(name: str, props: SqsQueueProps | None) -> list[Problem]:
    """What a queue's config asks for that this version cannot build."""
    if props is None or not props.events:
        return []
    return [Problem(("events",), "sqs-queue events (event-bus rules) are not supported yet", at_key=True,
                         hint="create an EventBridge rule with pulumi_aws.cloudwatch.EventRule and EventTarget")]


def queues_after_their_sources(resources: dict[str, Any]) -> Iterator[tuple[str, str, KeyPath]]:
    """A queue is created after its dead-letter queue and after the topics subscribing it."""
    for name, resource in resources.items():
        if not isinstance(resource, dict):
            continue
        props = resource.get("properties") or {}
        if resource.get("type") == QUEUE_TYPE:
            target = (props.get("redrivePolicy") or {}).get("targetSqsQueueName")
            if isinstance(target, str) and target in resources:
                yield name, target, ("resources", name, "properties", "redrivePolicy", "targetSqsQueueName")
        elif resource.get("type") == TOPIC_TYPE:
            for index, subscription in enumerate(props.get("subscriptions") or []):
                queue = ((subscription or {}).get("properties") or {}).get("sqsQueueName")
                if subscription.get("type") == QUEUE_TYPE and isinstance(queue, str) and queue in resources:
                    yield queue, name, ("resources", name, "properties", "subscriptions", index, "properties",
                                        "sqsQueueName")

