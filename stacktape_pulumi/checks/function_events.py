"""Function event sources: the queue, topic, bus, table stream or bucket an event names exists and can feed it.

A function is created after the queues, topics and buses it subscribes to, and before the stack
queues taking its undeliverable messages (their policies let its subscription or rule in).

Rules AWS enforces when the wiring is created (a FIFO queue's batch limits, a queue's visibility
timeout against the function's timeout, FIFO topics delivering only to queues, a table without a
stream) are located errors here, before anything exists. S3 keeps one notification configuration
per bucket, so a bucket feeds the functions of one resource only, and a function may not both
listen to a bucket and write to all of it (every write would invoke it again).
"""

from collections.abc import Iterator
from typing import Any

from stacktape_pulumi.checks.references import StackView
from stacktape_pulumi.checks.sqs_queue import is_fifo
from stacktape_pulumi.config.models.bucket import BUCKET_TYPE
from stacktape_pulumi.config.models.function import Function, FunctionProps
from stacktape_pulumi.config.models.function_events import (
    CloudwatchLogIntegration,
    DynamoDbIntegration,
    FunctionEventBusIntegration,
    KinesisIntegration,
    S3Integration,
    SnsIntegration,
    SqsIntegration,
)
from stacktape_pulumi.config.models.shared import is_directive
from stacktape_pulumi.config.models.sns_topic import FunctionSubscription
from stacktape_pulumi.config.models.sqs_queue import QUEUE_TYPE
from stacktape_pulumi.directives.parser import DirectiveSyntaxError, parse
from stacktape_pulumi.errors import KeyPath, Problem

TABLE_TYPE = "dynamo-db-table"
TOPIC_TYPE = "sns-topic"
BUS_TYPE = "event-bus"
# SQS's and Lambda's defaults when the config leaves them out (the queue's and the function's).
DEFAULT_VISIBILITY_TIMEOUT = 30
DEFAULT_FUNCTION_TIMEOUT = 20
FIFO_MAX_BATCH = 10
# Keys of function events naming a resource the function's event wiring needs built first.
SOURCE_KEYS = {"sqs": "sqsQueueName", "sns": "snsTopicName", "event-bus": "eventBusName"}


def resource_param_target(text: Any) -> tuple[str, str] | None:
    """`$ResourceParam('<name>', '<param>')` → (name, param); anything else → None."""
    if not isinstance(text, str) or not is_directive(text):
        return None
    try:
        node = parse(text)
    except DirectiveSyntaxError:
        return None
    args = getattr(node, "args", ())
    if getattr(node, "name", None) != "ResourceParam" or len(args) != 2:
        return None
    values = [getattr(arg, "value", None) for arg in args]
    if not all(isinstance(value, str) for value in values):
        return None
    return str(values[0]), str(values[1])


# ---- one function's events (the Python door runs these too) ------------------------------

def event_source_problems(props: FunctionProps) -> list[Problem]:
    """Event properties this version cannot build yet."""
    problems: list[Problem] = []
    for index, event in enumerate(props.events or []):
        path: KeyPath = ("events", index, "properties")
        if isinstance(event, KinesisIntegration) and event.properties.kinesisStreamName is not None:
            problems.append(Problem(
                (*path, "kinesisStreamName"),
                "kinesisStreamName is not supported yet: stacktape-pulumi cannot create kinesis-stream resources",
                hint="create the stream with pulumi_aws.kinesis.Stream and give its ARN as streamArn"))
    return problems


# ---- several resources ---------------------------------------------------------------------

def check_event_sources(view: StackView, name: str, function: Function, base: KeyPath) -> None:
    """Every event source a function names exists and can feed it as configured."""
    props = function.properties
    for index, event in enumerate(props.events or []):
        path: KeyPath = (*base, "events", index, "properties")
        if isinstance(event, SqsIntegration):
            _sqs(view, name, props, event, path)
        elif isinstance(event, SnsIntegration):
            _sns(view, name, event, path)
        elif isinstance(event, FunctionEventBusIntegration):
            bus = event.properties.eventBusName
            if bus is not None:
                view.reference(bus, BUS_TYPE, name, "function", (*path, "eventBusName"))
        elif isinstance(event, DynamoDbIntegration):
            _dynamo_stream(view, name, event, path)
        elif isinstance(event, S3Integration):
            _s3(view, name, props, event, path)
        if isinstance(event, SnsIntegration | FunctionEventBusIntegration):
            _dead_letter_queue(view, name, props, event.properties.onDeliveryFailure, path)
        if isinstance(event, CloudwatchLogIntegration) \
                and resource_param_target(event.properties.logGroupArn) == (name, "logGroupArn"):
            view.add((*path, "logGroupArn"),
                     f"function {name} cannot subscribe to its own log group: every invocation writes to it "
                     "and would invoke the function again.",
                     "subscribe another function, or the log group of another resource")


def _dead_letter_queue(view: StackView, name: str, props: FunctionProps, failure: Any, path: KeyPath) -> None:
    """A stack queue taking undeliverable messages exists, is standard, and can be created after the function."""
    queue = failure.sqsQueueName if failure is not None else None
    qpath = (*path, "onDeliveryFailure", "sqsQueueName")
    if queue is None or not view.reference(queue, QUEUE_TYPE, name, "function", qpath):
        return
    if is_fifo(view.config.resources[queue]):
        view.add(qpath, f"sqs-queue {queue} is FIFO; SNS and EventBridge send undeliverable messages only to standard "
                        "queues.", f"use a standard sqs-queue (fifoEnabled: false) for the failed deliveries of {name}")
    elif _needs_before(view, name, props, queue):
        view.add(qpath, f"function {name} also reads sqs-queue {queue} (an sqs event, connectTo or $ResourceParam), "
                        "so the queue is created first; as its dead-letter queue it must be created after the "
                        "function, whose subscription or rule its policy lets in.",
                 "use another sqs-queue for the failed deliveries")


def _needs_before(view: StackView, name: str, props: FunctionProps, queue: str) -> bool:
    """Whether the function needs `queue` built before it (so the queue cannot wait for the function)."""
    if queue in (props.connectTo or []):
        return True
    events = props.events or []
    if any(isinstance(event, SqsIntegration) and event.properties.sqsQueueName == queue for event in events):
        return True
    resource = (view.data.get("resources") or {}).get(name)
    return any(target is not None and target[0] == queue
               for target in map(resource_param_target, _strings(resource)))


def _strings(value: Any) -> Iterator[str]:
    """Every string below a config value (where `$ResourceParam`s may be written)."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for child in value.values():
            yield from _strings(child)
    elif isinstance(value, list):
        for child in value:
            yield from _strings(child)


def _sns(view: StackView, name: str, event: SnsIntegration, path: KeyPath) -> None:
    topic_name = event.properties.snsTopicName
    tpath = (*path, "snsTopicName")
    if topic_name is None or not view.reference(topic_name, TOPIC_TYPE, name, "function", tpath):
        return
    topic = view.config.resources[topic_name]
    if is_fifo(topic):
        view.add(tpath, f"FIFO sns-topic {topic_name} can only deliver to FIFO SQS queues, not to functions.",
                 "subscribe a FIFO sqs-queue to the topic and consume it with an sqs event")
    subscriptions = getattr(getattr(topic, "properties", None), "subscriptions", None) or []
    if any(isinstance(sub, FunctionSubscription) and sub.properties.functionName == name for sub in subscriptions):
        # Each would deliver every message once, and the topic (built after the function) and the function
        # (built after the topic) cannot both come first.
        view.add(tpath, f"sns-topic {topic_name} already subscribes function {name} in its subscriptions; an sns "
                        "event would subscribe it a second time.",
                 "keep either the topic's function subscription or this event")


def _sqs(view: StackView, name: str, props: FunctionProps, event: SqsIntegration, path: KeyPath) -> None:
    queue_name = event.properties.sqsQueueName
    qpath = (*path, "sqsQueueName")
    if queue_name is None or not view.reference(queue_name, QUEUE_TYPE, name, "function", qpath):
        return
    queue = view.config.resources[queue_name]
    queue_props = getattr(queue, "properties", None)
    if is_fifo(queue):
        batch = event.properties.batchSize
        if batch is not None and batch > FIFO_MAX_BATCH:
            view.add((*path, "batchSize"),
                     f"batchSize {batch} is more than Lambda reads from FIFO sqs-queue {queue_name}: at most "
                     f"{FIFO_MAX_BATCH}.", f"set batchSize to 1-{FIFO_MAX_BATCH}")
        if event.properties.maxBatchWindowSeconds is not None:
            view.add((*path, "maxBatchWindowSeconds"),
                     f"maxBatchWindowSeconds cannot be used with FIFO sqs-queue {queue_name}: Lambda does not "
                     "batch FIFO messages over time.", "remove maxBatchWindowSeconds", at_key=True)
    visibility = getattr(queue_props, "visibilityTimeoutSeconds", None)
    visibility = DEFAULT_VISIBILITY_TIMEOUT if visibility is None else visibility
    timeout = props.timeout or DEFAULT_FUNCTION_TIMEOUT
    if visibility < timeout:
        view.add(qpath,
                 f"sqs-queue {queue_name} hides a received message for {visibility} s (visibilityTimeoutSeconds), "
                 f"less than the {timeout} s function {name} may run: Lambda refuses the mapping, as another "
                 "invocation could receive the message while the first still works on it.",
                 f"set visibilityTimeoutSeconds to at least {timeout} on {queue_name} (AWS suggests 6 times the "
                 "function's timeout), or shorten the function's timeout")


def _dynamo_stream(view: StackView, name: str, event: DynamoDbIntegration, path: KeyPath) -> None:
    spath = (*path, "streamArn")
    target = resource_param_target(event.properties.streamArn)
    if target is None:
        return  # an ARN of a stream outside the stack, or another directive: resolved later
    table, param = target
    if view.types.get(table) != TABLE_TYPE:
        if table in view.types:
            view.add(spath, f"streamArn references {view.types[table]} {table}, not a {TABLE_TYPE}.",
                     f"use $ResourceParam('<table>', 'streamArn') of a {TABLE_TYPE}")
        return
    if param != "streamArn":
        view.add(spath, f"streamArn reads parameter '{param}' of {TABLE_TYPE} {table}; a stream event needs the "
                        "table's stream.", f"use $ResourceParam('{table}', 'streamArn')")
        return
    table_props = getattr(view.config.resources[table], "properties", None)
    if getattr(table_props, "streamType", None) is None:
        view.add(spath, f"{TABLE_TYPE} {table} has no stream: set its streamType to feed function {name}.",
                 f"add streamType (KEYS_ONLY, NEW_IMAGE, OLD_IMAGE or NEW_AND_OLD_IMAGES) to {table}")


def _s3(view: StackView, name: str, props: FunctionProps, event: S3Integration, path: KeyPath) -> None:
    bpath = (*path, "bucketArn")
    target = resource_param_target(event.properties.bucketArn)
    if target is None or target[1] != "arn":
        view.add(bpath, "bucketArn must be $ResourceParam('<bucket>', 'arn') of a bucket resource of this stack: "
                        "S3 keeps one notification configuration per bucket, which wiring a bucket outside the "
                        "stack would overwrite.",
                 "add the bucket to the stack, or subscribe with an EventBridge rule on its events (event-bus)")
        return
    bucket = target[0]
    if not view.reference(bucket, BUCKET_TYPE, name, "function", bpath):
        return
    bucket_props = getattr(view.config.resources[bucket], "properties", None)
    if getattr(bucket_props, "enableEventBusNotifications", False):
        view.add(bpath, f"s3 events on bucket {bucket}, which has enableEventBusNotifications, are not supported "
                        "yet: S3 keeps one notification configuration per bucket.",
                 "use an event-bus event on the default bus with source aws.s3 instead")
    listeners = sorted(other for other in _bucket_listeners(view, bucket) if other != name)
    if listeners:
        view.add(bpath, f"bucket {bucket} already notifies function {listeners[0]}; s3 events of several "
                        "functions on one bucket are not supported yet (S3 keeps one notification configuration "
                        "per bucket).",
                 f"enable enableEventBusNotifications on {bucket} and use event-bus events instead")
    filter_rule = event.properties.filterRule
    if _writes_to(props, bucket) and (filter_rule is None or filter_rule.prefix is None):
        view.add(bpath, f"function {name} may write to bucket {bucket} (connectTo or iamRoleStatements) and is "
                        f"invoked by every {event.properties.s3EventType} event in it: each object it writes "
                        "would invoke it again, without end.",
                 "set filterRule.prefix to a prefix the function never writes to (e.g. uploads/), or write to "
                 "another bucket")


def _bucket_listeners(view: StackView, bucket: str) -> Iterator[str]:
    for name, resource in view.config.resources.items():
        if isinstance(resource, Function) and any(
                isinstance(event, S3Integration) and resource_param_target(event.properties.bucketArn)
                == (bucket, "arn") for event in resource.properties.events or []):
            yield name


def _writes_to(props: FunctionProps, bucket: str) -> bool:
    """Whether the function's role reaches the bucket: `connectTo` it, or a statement naming it."""
    if bucket in (props.connectTo or []):
        return True
    for statement in props.iamRoleStatements or []:
        resources = getattr(statement, "Resource", None) or []
        for resource in [resources] if isinstance(resources, str) else resources:
            target = resource_param_target(resource)
            if target is not None and target[0] == bucket:
                return True
    return False


# ---- creation order ----------------------------------------------------------------------

def dead_letter_queues_after_functions(resources: dict[str, Any]) -> Iterator[tuple[str, str, KeyPath]]:
    """A queue taking a function event's undeliverable messages is created after the function (its policy lets the
    function's subscription or rule in)."""
    for name, resource in resources.items():
        if not isinstance(resource, dict) or resource.get("type") != "function":
            continue
        for index, event in enumerate((resource.get("properties") or {}).get("events") or []):
            properties = event.get("properties") if isinstance(event, dict) else None
            failure = properties.get("onDeliveryFailure") if isinstance(properties, dict) else None
            queue = failure.get("sqsQueueName") if isinstance(failure, dict) else None
            if isinstance(queue, str) and queue in resources:
                yield queue, name, ("resources", name, "properties", "events", index, "properties",
                                    "onDeliveryFailure", "sqsQueueName")


def functions_after_their_sources(resources: dict[str, Any]) -> Iterator[tuple[str, str, KeyPath]]:
    """A function is created after the queues, topics and buses its events name (it subscribes to them)."""
    for name, resource in resources.items():
        if not isinstance(resource, dict) or resource.get("type") != "function":
            continue
        for index, event in enumerate((resource.get("properties") or {}).get("events") or []):
            if not isinstance(event, dict):
                continue
            key = SOURCE_KEYS.get(str(event.get("type")))
            if key is None:
                continue
            properties = event.get("properties")
            target = properties.get(key) if isinstance(properties, dict) else None
            if isinstance(target, str) and target in resources:
                yield name, target, ("resources", name, "properties", "events", index, "properties", key)
