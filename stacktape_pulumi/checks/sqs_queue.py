"""`sqs-queue`: what a queue's config asks for that this version cannot build, its dead-letter queue, its order.

The order: a queue is created after its dead-letter queue, the topics subscribing it, the buses
its event rules are on, and the queues whose rules it takes undeliverable events of.
"""

from collections.abc import Iterator
from typing import Any

from stacktape_pulumi.checks.references import StackView
from stacktape_pulumi.config.models.sns_topic import TOPIC_TYPE
from stacktape_pulumi.config.models.sqs_queue import QUEUE_TYPE, SqsQueue, SqsQueueProps
from stacktape_pulumi.errors import KeyPath, Problem


def queue_problems(name: str, props: SqsQueueProps | None) -> list[Problem]:
    """What a queue's event rules ask for that EventBridge would refuse or this version cannot build."""
    problems: list[Problem] = []
    for index, event in enumerate((props.events if props else None) or []):
        path = ("events", index, "properties")
        failure = event.properties.onDeliveryFailure
        if failure is not None and failure.sqsQueueName == name:
            problems.append(Problem((*path, "onDeliveryFailure", "sqsQueueName"),
                                    f"sqs-queue {name} cannot take the events it failed to receive itself.",
                                    hint="name another sqs-queue for the failed deliveries"))
        group = event.properties.messageGroupId
        # EventBridge needs a message group for a FIFO queue target and refuses one for a standard queue.
        if props is not None and props.fifoEnabled and group is None:
            problems.append(Problem(path, f"sqs-queue {name} is FIFO: its event-bus events need a messageGroupId.",
                                    hint="add messageGroupId (events of one group are delivered in order)",
                                    at_key=True))
        elif props is not None and not props.fifoEnabled and group is not None:
            problems.append(Problem((*path, "messageGroupId"),
                                    f"messageGroupId is only for FIFO queues; sqs-queue {name} is standard.",
                                    hint="remove messageGroupId, or set fifoEnabled: true", at_key=True))
    return problems


def check_queue_events(view: StackView, name: str, queue: SqsQueue, base: KeyPath) -> None:
    """The buses a queue's event rules name exist; a dead-letter queue of the stack is standard and can come later."""
    for index, event in enumerate((queue.properties.events if queue.properties else None) or []):
        path = (*base, "events", index, "properties")
        bus = event.properties.eventBusName
        if bus is not None:
            view.reference(bus, "event-bus", name, QUEUE_TYPE, (*path, "eventBusName"))
        failure = event.properties.onDeliveryFailure
        target = failure.sqsQueueName if failure is not None else None
        qpath = (*path, "onDeliveryFailure", "sqsQueueName")
        if target is None or target == name or not view.reference(target, QUEUE_TYPE, name, QUEUE_TYPE, qpath):
            continue
        if is_fifo(view.config.resources[target]):
            view.add(qpath, f"sqs-queue {target} is FIFO; EventBridge sends undeliverable events only to standard "
                            "queues.",
                     f"use a standard sqs-queue (fifoEnabled: false) for the failed deliveries of {name}")
        elif _redrives_to(queue, target):
            view.add(qpath, f"sqs-queue {target} is the dead-letter queue of {name} (redrivePolicy), so it is created "
                            f"first; as the dead-letter queue of the rules of {name} it must be created after {name}, "
                            "whose rules its policy lets in.", "use another sqs-queue for the failed deliveries")


def _redrives_to(queue: SqsQueue, target: str) -> bool:
    redrive = queue.properties.redrivePolicy if queue.properties else None
    return redrive is not None and redrive.targetSqsQueueName == target


def queues_after_their_sources(resources: dict[str, Any]) -> Iterator[tuple[str, str, KeyPath]]:
    """A queue is created after its dead-letter queue, the topics subscribing it and the buses of its rules."""
    for name, resource in resources.items():
        if not isinstance(resource, dict):
            continue
        props = resource.get("properties") or {}
        if resource.get("type") == QUEUE_TYPE:
            target = (props.get("redrivePolicy") or {}).get("targetSqsQueueName")
            if isinstance(target, str) and target in resources:
                yield name, target, ("resources", name, "properties", "redrivePolicy", "targetSqsQueueName")
            for index, event in enumerate(props.get("events") or []):
                event_props = event.get("properties") if isinstance(event, dict) else None
                if not isinstance(event_props, dict):
                    continue
                path = ("resources", name, "properties", "events", index, "properties")
                bus = event_props.get("eventBusName")
                if isinstance(bus, str) and bus in resources:
                    yield name, bus, (*path, "eventBusName")
                # The queue taking the rules' undeliverable events comes after (its policy lets them in).
                failure = event_props.get("onDeliveryFailure")
                failed = failure.get("sqsQueueName") if isinstance(failure, dict) else None
                if isinstance(failed, str) and failed in resources:
                    yield failed, name, (*path, "onDeliveryFailure", "sqsQueueName")
        elif resource.get("type") == TOPIC_TYPE:
            for index, subscription in enumerate(props.get("subscriptions") or []):
                queue = ((subscription or {}).get("properties") or {}).get("sqsQueueName")
                if subscription.get("type") == QUEUE_TYPE and isinstance(queue, str) and queue in resources:
                    yield queue, name, ("resources", name, "properties", "subscriptions", index, "properties",
                                        "sqsQueueName")



def is_fifo(resource: Any) -> bool:
    """Whether a queue or topic model is FIFO."""
    props = getattr(resource, "properties", None)
    return bool(getattr(props, "fifoEnabled", False))


def check_dead_letter_queue(view: StackView, name: str, queue: SqsQueue, base: KeyPath) -> None:
    """The dead-letter queue exists, and is FIFO exactly when the queue is (an SQS rule)."""
    redrive = queue.properties.redrivePolicy if queue.properties else None
    target = redrive.targetSqsQueueName if redrive else None
    path = (*base, "redrivePolicy", "targetSqsQueueName")
    if target is None or not view.reference(target, QUEUE_TYPE, name, QUEUE_TYPE, path):
        return
    if target == name:
        view.add(path, f"sqs-queue {name} cannot be its own dead-letter queue.",
                 "create another sqs-queue for the failed messages")
    elif is_fifo(view.config.resources[target]) != is_fifo(queue):
        kind = "a FIFO" if is_fifo(queue) else "a standard"
        view.add(path, f"The dead-letter queue of {kind} queue must also be {kind} queue: sqs-queue {target} "
                       f"{'is not' if is_fifo(queue) else 'is'} FIFO.",
                 f"set fifoEnabled: {str(is_fifo(queue)).lower()} on {target}, or use another queue")
