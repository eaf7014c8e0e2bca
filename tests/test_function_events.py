"""Function event sources: exact inputs of every mapping, rule, subscription, permission and policy, and
the located error of every rule (through the offline engine and `validate`)."""

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from stacktape_pulumi.components.function import Function
from stacktape_pulumi.components.function_sources import log_group_name, log_group_source_arn
from stacktape_pulumi.components.sqs_queue import SqsQueue
from stacktape_pulumi.config.models.function_events import schedule_expression_problem
from stacktape_pulumi.engine import Recording, run_offline
from stacktape_pulumi.errors import StacktapeError
from tests.lambda_support import write
from tests.naming_support import bucket as offline_bucket
from tests.naming_support import table as offline_table

ACCOUNT = "123456789012"
PREFIX = f"arn:aws:lambda:us-east-1:{ACCOUNT}:function:stacktape-dev"
TAGS = {"stp:project-name": "stacktape", "stp:stack-name": "stacktape-dev", "stp:stage": "dev"}
QUEUE_ARN = f"arn:aws:sqs:us-east-1:{ACCOUNT}:stacktape-dev-jobs"
STREAM_ARN = f"arn:aws:dynamodb:us-east-1:{ACCOUNT}:table/{offline_table('items')}/stream/2026-01-01T00:00:00.000"
PACKAGING = "packaging: {type: stacktape-lambda-buildpack, properties: {entryfilePath: handler.py}}"

Preview = Callable[[str], Recording]
Errors = Callable[[str], list[str]]


def function_config(events: str, extra: str = "", resources: str = "", props: str = "") -> str:
    """A stack of `resources` and function `fn` with `events` (YAML list items indented by 8)."""
    return f"""
resources:
{resources}
  fn:
    type: function
    properties:
      {PACKAGING}
{props}
      events:
{events}
{extra}
"""


def inputs(rec: Recording, type_: str, name: str) -> dict[str, Any]:
    found: dict[str, Any] = rec.one(type_, name).inputs
    return found


def policy(rec: Recording, name: str) -> Any:
    return json.loads(inputs(rec, "aws:iam/rolePolicy:RolePolicy", name)["policy"])


def depends_on(rec: Recording, type_: str, name: str) -> set[str]:
    return {urn.rsplit("::", 1)[-1] for urn in rec.one(type_, name).dependencies}


def permission(principal: str, source_arn: str, **extra: Any) -> dict[str, Any]:
    return {"action": "lambda:InvokeFunction", "function": "stacktape-dev-fn", "principal": principal,
            "sourceArn": source_arn, **extra}


@pytest.fixture(autouse=True)
def handler_file(tmp_path: Path) -> None:
    write(tmp_path, {"handler.py": "def handler(event, context):\n    return None\n"})


# ---- schedule ---------------------------------------------------------------------------

def test_schedule_is_a_rule_on_the_default_bus_invoking_the_function(preview: Preview) -> None:
    rec = preview(function_config("""
        - type: schedule
          properties: {scheduleRate: rate(5 minutes)}
        - type: schedule
          properties:
            scheduleRate: cron(0 18 ? * MON-FRI *)
            inputTransformer:
              inputPathsMap: {time: $.time}
              inputTemplate: {message: 'fired at <time>'}
"""))
    rule_arn = f"arn:aws:events:us-east-1:{ACCOUNT}:rule/stacktape-dev-fn-event-0"
    assert inputs(rec, "aws:cloudwatch/eventRule:EventRule", "fn-event-0-rule") == {
        "name": "stacktape-dev-fn-event-0", "scheduleExpression": "rate(5 minutes)", "tags": TAGS}
    assert inputs(rec, "aws:lambda/permission:Permission", "fn-event-0-permission") == permission(
        "events.amazonaws.com", rule_arn)
    assert inputs(rec, "aws:cloudwatch/eventTarget:EventTarget", "fn-event-0-target") == {
        "arn": f"{PREFIX}-fn", "rule": "stacktape-dev-fn-event-0"}
    # The target waits for the permission: EventBridge would drop events it may not deliver.
    assert "fn-event-0-permission" in depends_on(rec, "aws:cloudwatch/eventTarget:EventTarget", "fn-event-0-target")
    assert inputs(rec, "aws:cloudwatch/eventTarget:EventTarget", "fn-event-1-target") == {
        "arn": f"{PREFIX}-fn", "rule": "stacktape-dev-fn-event-1",
        "inputTransformer": {"inputPaths": {"time": "$.time"},
                             "inputTemplate": '{"message": "fired at <time>"}'}}
    assert inputs(rec, "aws:cloudwatch/eventRule:EventRule", "fn-event-1-rule")["scheduleExpression"] == \
        "cron(0 18 ? * MON-FRI *)"


@pytest.mark.parametrize(("expression", "problem"), [
    ("rate(1 hour)", None),
    ("rate(7 days)", None),
    ("cron(0 10 * * ? *)", None),
    ("rate(1 hours)", "must say 'hour' for a rate of 1 and 'hours' otherwise"),
    ("rate(5 minute)", "must say 'minute' for a rate of 1 and 'minutes' otherwise"),
    ("rate(0 minutes)", "has a rate of 0; the rate must be a positive whole number"),
    ("rate(5 weeks)", "is neither rate(<value> <unit>) nor cron(<6 fields>)"),
    ("cron(0 10 * * *)", "has 5 cron fields; EventBridge cron has 6: minutes hours day-of-month month "
                         "day-of-week year"),
    ("cron(0 10 * * MON *)", "must have '?' in exactly one of day-of-month (3rd field) and day-of-week (5th field)"),
    ("every hour", "is neither rate(<value> <unit>) nor cron(<6 fields>)"),
])
def test_schedule_expressions(expression: str, problem: str | None) -> None:
    assert schedule_expression_problem(expression) == problem


def test_schedule_errors_are_located(config_errors: Errors) -> None:
    errors = config_errors(function_config("""
        - type: schedule
          properties: {scheduleRate: cron(0 10 * * *)}
        - type: schedule
          properties: {scheduleRate: rate(1 hour), input: {a: 1}, inputPath: $.detail}
"""))
    assert errors == [
        "stacktape.yml:11:38: resources.fn.properties.events[0].properties.scheduleRate: scheduleRate "
        "'cron(0 10 * * *)' has 5 cron fields; EventBridge cron has 6: minutes hours day-of-month month day-of-week "
        "year. (hint: e.g. rate(5 minutes), rate(1 hour), cron(0 18 ? * MON-FRI *))",
        "stacktape.yml:13:67: resources.fn.properties.events[1].properties.inputPath: Only one of input, inputPath or "
        "inputTransformer can be used. (hint: keep input and remove inputPath)",
    ]


# ---- sqs --------------------------------------------------------------------------------

QUEUE = """
  jobs:
    type: sqs-queue
    properties: {visibilityTimeoutSeconds: 120}
"""


def test_sqs_event_maps_the_queue_and_lets_the_role_consume_exactly_it(preview: Preview) -> None:
    rec = preview(function_config("""
        - type: sqs
          properties: {sqsQueueName: jobs, batchSize: 200, maxBatchWindowSeconds: 10}
""", resources=QUEUE))
    assert inputs(rec, "aws:lambda/eventSourceMapping:EventSourceMapping", "fn-event-0-mapping") == {
        "eventSourceArn": QUEUE_ARN, "functionName": f"{PREFIX}-fn", "batchSize": 200,
        "maximumBatchingWindowInSeconds": 10}
    assert policy(rec, "fn-event-0-policy") == {"Version": "2012-10-17", "Statement": [{
        "Effect": "Allow", "Action": ["sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:GetQueueAttributes"],
        "Resource": [QUEUE_ARN]}]}
    assert inputs(rec, "aws:iam/rolePolicy:RolePolicy", "fn-event-0-policy")["name"] == "event-0-sqs"
    # Lambda checks the role when the mapping is created.
    assert "fn-event-0-policy" in depends_on(rec, "aws:lambda/eventSourceMapping:EventSourceMapping",
                                             "fn-event-0-mapping")
    # A polled source needs no resource-based permission.
    assert rec.by_type("aws:lambda/permission:Permission") == []


def test_sqs_queue_by_arn_and_an_alias_with_provisioned_concurrency(preview: Preview) -> None:
    arn = f"arn:aws:sqs:eu-west-1:{ACCOUNT}:elsewhere"
    rec = preview(function_config(f"""
        - type: sqs
          properties: {{sqsQueueArn: '{arn}'}}
""", props="      provisionedConcurrency: 1"))
    mapping = inputs(rec, "aws:lambda/eventSourceMapping:EventSourceMapping", "fn-event-0-mapping")
    # The alias carries the provisioned concurrency, so the queue invokes it.
    assert mapping == {"eventSourceArn": arn, "functionName": f"{PREFIX}-fn:stp-live"}
    assert policy(rec, "fn-event-0-policy")["Statement"][0]["Resource"] == [arn]


def test_sqs_rules(config_errors: Errors) -> None:
    errors = config_errors(function_config("""
        - type: sqs
          properties: {sqsQueueName: jobs}
        - type: sqs
          properties: {sqsQueueName: fifo, batchSize: 20, maxBatchWindowSeconds: 5}
        - type: sqs
          properties: {sqsQueueName: jbos}
""", resources="""
  jobs:
    type: sqs-queue
  fifo:
    type: sqs-queue
    properties: {fifoEnabled: true, visibilityTimeoutSeconds: 60}
""", props="      timeout: 45"))
    assert errors == [
        "stacktape.yml:17:38: resources.fn.properties.events[0].properties.sqsQueueName: sqs-queue jobs hides a "
        "received message for 30 s (visibilityTimeoutSeconds), less than the 45 s function fn may run: Lambda "
        "refuses the mapping, as another invocation could receive the message while the first still works on it. "
        "(hint: set visibilityTimeoutSeconds to at least 45 on jobs (AWS suggests 6 times the function's timeout), "
        "or shorten the function's timeout)",
        "stacktape.yml:19:55: resources.fn.properties.events[1].properties.batchSize: batchSize 20 is more than "
        "Lambda reads from FIFO sqs-queue fifo: at most 10. (hint: set batchSize to 1-10)",
        "stacktape.yml:19:59: resources.fn.properties.events[1].properties.maxBatchWindowSeconds: "
        "maxBatchWindowSeconds cannot be used with FIFO sqs-queue fifo: Lambda does not batch FIFO messages over "
        "time. (hint: remove maxBatchWindowSeconds)",
        "stacktape.yml:21:38: resources.fn.properties.events[2].properties.sqsQueueName: Referenced resource with "
        "name jbos of type sqs-queue could not be resolved in the config (referenced from fn(function)). (hint: did "
        "you mean 'jobs'?)",
    ]


def test_sqs_model_rules(config_errors: Errors) -> None:
    errors = config_errors(function_config("""
        - type: sqs
          properties: {sqsQueueName: jobs, sqsQueueArn: 'arn:aws:sqs:us-east-1:123456789012:x'}
        - type: sqs
          properties: {sqsQueueArn: 'arn:aws:sqs:us-east-1:123456789012:x', batchSize: 50}
        - type: sqs
          properties: {sqsQueueArn: 'arn:aws:sqs:us-east-1:123456789012:x', batchSize: 10001}
""", resources=QUEUE))
    assert errors == [
        "stacktape.yml:15:44: resources.fn.properties.events[0].properties.sqsQueueArn: Specify exactly one of "
        "sqsQueueName or sqsQueueArn. (hint: name a resource of this stack, or give the ARN of one outside it)",
        "stacktape.yml:17:88: resources.fn.properties.events[1].properties.batchSize: batchSize 50 needs "
        "maxBatchWindowSeconds of at least 1: Lambda only gathers more than 10 messages while it waits for a batch. "
        "(hint: set maxBatchWindowSeconds (1-300), or a batchSize of at most 10)",
        "stacktape.yml:19:88: resources.fn.properties.events[2].properties.batchSize: 10001 is out of range: input "
        "should be less than or equal to 10000",
    ]


# ---- sns --------------------------------------------------------------------------------

def test_sns_event_subscribes_the_function_with_its_filter_and_dead_letter_queue(preview: Preview) -> None:
    dlq = f"arn:aws:sqs:us-east-1:{ACCOUNT}:failed"
    rec = preview(function_config(f"""
        - type: sns
          properties:
            snsTopicName: orders
            filterPolicy: {{kind: [paid]}}
            onDeliveryFailure: {{sqsQueueArn: '{dlq}'}}
""", resources="""
  orders:
    type: sns-topic
"""))
    topic = f"arn:aws:sns:us-east-1:{ACCOUNT}:stacktape-dev-orders"
    assert inputs(rec, "aws:sns/topicSubscription:TopicSubscription", "fn-event-0-subscription") == {
        "topic": topic, "protocol": "lambda", "endpoint": f"{PREFIX}-fn",
        "filterPolicy": '{"kind": ["paid"]}', "redrivePolicy": json.dumps({"deadLetterTargetArn": dlq})}
    assert inputs(rec, "aws:lambda/permission:Permission", "fn-event-0-permission") == permission(
        "sns.amazonaws.com", topic)
    assert "fn-event-0-permission" in depends_on(rec, "aws:sns/topicSubscription:TopicSubscription",
                                                 "fn-event-0-subscription")


def test_a_dead_letter_queue_of_the_stack_lets_exactly_the_topic_and_the_rule_in(preview: Preview) -> None:
    rec = preview(function_config("""
        - type: sns
          properties: {snsTopicName: orders, onDeliveryFailure: {sqsQueueName: failed}}
        - type: event-bus
          properties: {useDefaultBus: true, eventPattern: {source: [shop]}, onDeliveryFailure: {sqsQueueName: failed}}
""", resources="""
  orders:
    type: sns-topic
  failed:
    type: sqs-queue
"""))
    queue = f"arn:aws:sqs:us-east-1:{ACCOUNT}:stacktape-dev-failed"
    topic = f"arn:aws:sns:us-east-1:{ACCOUNT}:stacktape-dev-orders"
    rule = f"arn:aws:events:us-east-1:{ACCOUNT}:rule/stacktape-dev-fn-event-1"
    assert json.loads(inputs(rec, "aws:sns/topicSubscription:TopicSubscription", "fn-event-0-subscription")[
        "redrivePolicy"]) == {"deadLetterTargetArn": queue}
    assert inputs(rec, "aws:cloudwatch/eventTarget:EventTarget", "fn-event-1-target")["deadLetterConfig"] == {
        "arn": queue}
    assert json.loads(inputs(rec, "aws:sqs/queuePolicy:QueuePolicy", "failed-policy")["policy"])["Statement"] == [
        {"Effect": "Allow", "Principal": {"Service": service}, "Action": ["sqs:SendMessage"], "Resource": [queue],
         "Condition": {"ArnEquals": {"aws:SourceArn": source}}}
        for service, source in (("sns.amazonaws.com", topic), ("events.amazonaws.com", rule))]


def test_dead_letter_queue_rules(config_errors: Errors) -> None:
    errors = config_errors(function_config("""
        - type: sns
          properties: {snsTopicName: orders, onDeliveryFailure: {sqsQueueName: fifo}}
        - type: sns
          properties: {snsTopicName: orders, onDeliveryFailure: {sqsQueueName: jobs}}
        - type: sqs
          properties: {sqsQueueName: jobs}
        - type: event-bus
          properties: {useDefaultBus: true, eventPattern: {source: [a]}, onDeliveryFailure: {sqsQueueName: jbos}}
""", resources=QUEUE + """
  orders:
    type: sns-topic
  fifo:
    type: sqs-queue
    properties: {fifoEnabled: true}
"""))
    assert errors == [
        "stacktape.yml:21:80: resources.fn.properties.events[0].properties.onDeliveryFailure.sqsQueueName: sqs-queue "
        "fifo is FIFO; SNS and EventBridge send undeliverable messages only to standard queues. (hint: use a standard "
        "sqs-queue (fifoEnabled: false) for the failed deliveries of fn)",
        "stacktape.yml:23:80: resources.fn.properties.events[1].properties.onDeliveryFailure.sqsQueueName: function "
        "fn also reads sqs-queue jobs (an sqs event, connectTo or $ResourceParam), so the queue is created first; as "
        "its dead-letter queue it must be created after the function, whose subscription or rule its policy lets "
        "in. (hint: use another sqs-queue for the failed deliveries)",
        "stacktape.yml:27:108: resources.fn.properties.events[3].properties.onDeliveryFailure.sqsQueueName: "
        "Referenced resource with name jbos of type sqs-queue could not be resolved in the config (referenced from "
        "fn(function)). (hint: did you mean 'jobs'?)",
    ]


def test_sns_rules(config_errors: Errors) -> None:
    errors = config_errors(function_config("""
        - type: sns
          properties: {snsTopicName: orders}
        - type: sns
          properties: {snsTopicName: orders, onDeliveryFailure: {sqsQueueName: failed}}
""", resources="""
  orders:
    type: sns-topic
    properties: {fifoEnabled: true}
  failed:
    type: sqs-queue
"""))
    assert errors == [
        "stacktape.yml:17:38: resources.fn.properties.events[0].properties.snsTopicName: FIFO sns-topic orders can "
        "only deliver to FIFO SQS queues, not to functions. (hint: subscribe a FIFO sqs-queue to the topic and "
        "consume it with an sqs event)",
        "stacktape.yml:19:38: resources.fn.properties.events[1].properties.snsTopicName: FIFO sns-topic orders can "
        "only deliver to FIFO SQS queues, not to functions. (hint: subscribe a FIFO sqs-queue to the topic and "
        "consume it with an sqs event)",
    ]


def test_a_function_subscribed_by_its_topic_and_by_an_sns_event_is_refused(config_errors: Errors) -> None:
    errors = config_errors(function_config("""
        - type: sns
          properties: {snsTopicName: orders}
""", resources="""
  orders:
    type: sns-topic
    properties:
      subscriptions:
        - type: function
          properties: {functionName: fn}
"""))
    assert errors == [
        "stacktape.yml:18:38: resources.fn.properties.events[0].properties.snsTopicName: sns-topic orders already "
        "subscribes function fn in its subscriptions; an sns event would subscribe it a second time. (hint: keep "
        "either the topic's function subscription or this event)",
    ]


# ---- event-bus --------------------------------------------------------------------------

def test_event_bus_rules_on_the_stack_bus_the_default_bus_and_a_bus_by_arn(preview: Preview) -> None:
    bus_arn = f"arn:aws:events:us-east-1:{ACCOUNT}:event-bus/partner"
    dlq = f"arn:aws:sqs:us-east-1:{ACCOUNT}:failed"
    rec = preview(function_config(f"""
        - type: event-bus
          properties:
            eventBusName: bus
            eventPattern: {{source: [shop], detail-type: [OrderPlaced], detail: {{total: [{{numeric: ['>', 100]}}]}}}}
            onDeliveryFailure: {{sqsQueueArn: '{dlq}'}}
        - type: event-bus
          properties:
            useDefaultBus: true
            eventPattern: {{source: [aws.ec2]}}
            input: {{fixed: true}}
        - type: event-bus
          properties:
            eventBusArn: '{bus_arn}'
            eventPattern: {{source: [partner]}}
""", resources="""
  bus:
    type: event-bus
"""))
    rule = inputs(rec, "aws:cloudwatch/eventRule:EventRule", "fn-event-0-rule")
    assert json.loads(rule.pop("eventPattern")) == {"source": ["shop"], "detail-type": ["OrderPlaced"],
                                                   "detail": {"total": [{"numeric": [">", 100]}]}}
    assert rule == {"name": "stacktape-dev-fn-event-0", "eventBusName": "stacktape-dev-bus", "tags": TAGS}
    assert inputs(rec, "aws:cloudwatch/eventTarget:EventTarget", "fn-event-0-target") == {
        "rule": "stacktape-dev-fn-event-0", "eventBusName": "stacktape-dev-bus", "arn": f"{PREFIX}-fn",
        "deadLetterConfig": {"arn": dlq}}
    assert inputs(rec, "aws:lambda/permission:Permission", "fn-event-0-permission") == permission(
        "events.amazonaws.com", f"arn:aws:events:us-east-1:{ACCOUNT}:rule/stacktape-dev-bus/stacktape-dev-fn-event-0")
    assert inputs(rec, "aws:cloudwatch/eventRule:EventRule", "fn-event-1-rule") == {
        "name": "stacktape-dev-fn-event-1", "tags": TAGS, "eventPattern": '{"source": ["aws.ec2"]}'}
    assert inputs(rec, "aws:cloudwatch/eventTarget:EventTarget", "fn-event-1-target") == {
        "rule": "stacktape-dev-fn-event-1", "arn": f"{PREFIX}-fn", "input": '{"fixed": true}'}
    assert inputs(rec, "aws:lambda/permission:Permission", "fn-event-1-permission") == permission(
        "events.amazonaws.com", f"arn:aws:events:us-east-1:{ACCOUNT}:rule/stacktape-dev-fn-event-1")
    assert inputs(rec, "aws:cloudwatch/eventRule:EventRule", "fn-event-2-rule")["eventBusName"] == bus_arn
    assert inputs(rec, "aws:lambda/permission:Permission", "fn-event-2-permission") == permission(
        "events.amazonaws.com", f"arn:aws:events:us-east-1:{ACCOUNT}:rule/partner/stacktape-dev-fn-event-2")


def test_event_bus_rules_are_located(config_errors: Errors) -> None:
    errors = config_errors(function_config("""
        - type: event-bus
          properties: {eventBusName: buss, eventPattern: {source: [a]}}
        - type: event-bus
          properties: {eventBusName: bus, useDefaultBus: true, eventPattern: {source: [a]}}
""", resources="""
  bus:
    type: event-bus
"""))
    assert errors == [
        "stacktape.yml:16:43: resources.fn.properties.events[1].properties.useDefaultBus: Specify exactly one of "
        "eventBusArn, eventBusName or useDefaultBus.",
    ]
    errors = config_errors(function_config("""
        - type: event-bus
          properties: {eventBusName: buss, eventPattern: {source: [a]}}
""", resources="""
  bus:
    type: event-bus
"""))
    assert errors == [
        "stacktape.yml:14:38: resources.fn.properties.events[0].properties.eventBusName: Referenced resource with "
        "name buss of type event-bus could not be resolved in the config (referenced from fn(function)). (hint: did "
        "you mean 'bus'?)",
    ]


def test_event_rule_patterns_and_inputs_within_eventbridge_limits(config_errors: Errors) -> None:
    paths = ", ".join(f"k{index}: $.detail.k{index}" for index in range(101))
    errors = config_errors(function_config(f"""
        - type: event-bus
          properties: {{useDefaultBus: true, eventPattern: {{}}}}
        - type: event-bus
          properties: {{useDefaultBus: true, eventPattern: {{source: [a]}}, inputPath: '$.{'a' * 260}'}}
        - type: schedule
          properties: {{scheduleRate: rate(1 day), inputTransformer: {{inputPathsMap: {{{paths}}}, inputTemplate: x}}}}
"""))
    assert errors == [
        "stacktape.yml:11:45: resources.fn.properties.events[0].properties.eventPattern: eventPattern matches nothing: "
        "EventBridge needs at least one field to match on. (hint: e.g. source: [my-app])",
        "stacktape.yml:13:85: resources.fn.properties.events[1].properties.inputPath: inputPath is 262 characters "
        "long; EventBridge allows at most 256.",
        "stacktape.yml:15:70: resources.fn.properties.events[2].properties.inputTransformer.inputPathsMap: "
        "inputPathsMap has 101 entries; EventBridge allows at most 100.",
    ]


# ---- streams ----------------------------------------------------------------------------

TABLE = """
  items:
    type: dynamo-db-table
    properties:
      primaryKey: {partitionKey: {name: id, type: string}}
      streamType: NEW_IMAGE
"""


def test_dynamo_db_stream_mapping_reads_exactly_the_stream(preview: Preview) -> None:
    topic = f"arn:aws:sns:us-east-1:{ACCOUNT}:failures"
    rec = preview(function_config(f"""
        - type: dynamo-db-stream
          properties:
            streamArn: $ResourceParam('items', 'streamArn')
            batchSize: 25
            maxBatchWindowSeconds: 2
            maximumRetryAttempts: 4
            parallelizationFactor: 3
            bisectBatchOnFunctionError: true
            onFailure: {{arn: '{topic}', type: sns}}
        - type: dynamo-db-stream
          properties:
            streamArn: $ResourceParam('items', 'streamArn')
""", resources=TABLE))
    assert inputs(rec, "aws:lambda/eventSourceMapping:EventSourceMapping", "fn-event-0-mapping") == {
        "eventSourceArn": STREAM_ARN, "functionName": f"{PREFIX}-fn", "startingPosition": "TRIM_HORIZON",
        "batchSize": 25, "maximumBatchingWindowInSeconds": 2, "maximumRetryAttempts": 4,
        "parallelizationFactor": 3, "bisectBatchOnFunctionError": True,
        "destinationConfig": {"onFailure": {"destinationArn": topic}}}
    assert policy(rec, "fn-event-0-policy")["Statement"] == [
        {"Effect": "Allow", "Action": ["dynamodb:DescribeStream", "dynamodb:GetRecords", "dynamodb:GetShardIterator"],
         "Resource": [STREAM_ARN]},
        {"Effect": "Allow", "Action": ["sns:Publish"], "Resource": [topic]}]
    assert inputs(rec, "aws:lambda/eventSourceMapping:EventSourceMapping", "fn-event-1-mapping") == {
        "eventSourceArn": STREAM_ARN, "functionName": f"{PREFIX}-fn", "startingPosition": "TRIM_HORIZON"}
    assert policy(rec, "fn-event-1-policy")["Statement"] == [
        {"Effect": "Allow", "Action": ["dynamodb:DescribeStream", "dynamodb:GetRecords", "dynamodb:GetShardIterator"],
         "Resource": [STREAM_ARN]}]


def test_dynamo_db_stream_rules(config_errors: Errors) -> None:
    errors = config_errors(function_config("""
        - type: dynamo-db-stream
          properties: {streamArn: "$ResourceParam('plain', 'streamArn')"}
        - type: dynamo-db-stream
          properties: {streamArn: "$ResourceParam('items', 'arn')"}
        - type: dynamo-db-stream
          properties: {streamArn: "$ResourceParam('jobs', 'arn')"}
        - type: dynamo-db-stream
          properties: {streamArn: x, batchSize: 1001, startingPosition: AT_TIMESTAMP}
""", resources=TABLE + QUEUE + """
  plain:
    type: dynamo-db-table
    properties:
      primaryKey: {partitionKey: {name: id, type: string}}
"""))
    assert errors == [
        "stacktape.yml:32:49: resources.fn.properties.events[3].properties.batchSize: 1001 is out of range: input "
        "should be less than or equal to 1000",
        "stacktape.yml:32:73: resources.fn.properties.events[3].properties.startingPosition: invalid value "
        "'AT_TIMESTAMP'; allowed values: 'LATEST' or 'TRIM_HORIZON'",
    ]
    errors = config_errors(function_config("""
        - type: dynamo-db-stream
          properties: {streamArn: "$ResourceParam('plain', 'streamArn')"}
        - type: dynamo-db-stream
          properties: {streamArn: "$ResourceParam('items', 'arn')"}
        - type: dynamo-db-stream
          properties: {streamArn: "$ResourceParam('jobs', 'arn')"}
""", resources=TABLE + QUEUE + """
  plain:
    type: dynamo-db-table
    properties:
      primaryKey: {partitionKey: {name: id, type: string}}
"""))
    assert errors == [
        "stacktape.yml:26:35: resources.fn.properties.events[0].properties.streamArn: dynamo-db-table plain has no "
        "stream: set its streamType to feed function fn. (hint: add streamType (KEYS_ONLY, NEW_IMAGE, OLD_IMAGE or "
        "NEW_AND_OLD_IMAGES) to plain)",
        "stacktape.yml:28:35: resources.fn.properties.events[1].properties.streamArn: streamArn reads parameter "
        "'arn' of dynamo-db-table items; a stream event needs the table's stream. (hint: use "
        "$ResourceParam('items', 'streamArn'))",
        "stacktape.yml:30:35: resources.fn.properties.events[2].properties.streamArn: streamArn references sqs-queue "
        "jobs, not a dynamo-db-table. (hint: use $ResourceParam('<table>', 'streamArn') of a dynamo-db-table)",
    ]


def test_kinesis_stream_through_a_created_consumer(preview: Preview) -> None:
    stream = f"arn:aws:kinesis:us-east-1:{ACCOUNT}:stream/clicks"
    queue = f"arn:aws:sqs:us-east-1:{ACCOUNT}:failed"
    rec = preview(function_config(f"""
        - type: kinesis-stream
          properties:
            streamArn: '{stream}'
            autoCreateConsumer: true
            startingPosition: LATEST
            batchSize: 500
            onFailure: {{arn: '{queue}', type: sqs}}
"""))
    consumer = f"{stream}/consumer/stacktape-dev-fn-event-0:1767225600"
    assert inputs(rec, "aws:kinesis/streamConsumer:StreamConsumer", "fn-event-0-consumer") == {
        "name": "stacktape-dev-fn-event-0", "streamArn": stream}
    assert inputs(rec, "aws:lambda/eventSourceMapping:EventSourceMapping", "fn-event-0-mapping") == {
        "eventSourceArn": consumer, "functionName": f"{PREFIX}-fn", "startingPosition": "LATEST", "batchSize": 500,
        "destinationConfig": {"onFailure": {"destinationArn": queue}}}
    assert policy(rec, "fn-event-0-policy")["Statement"] == [
        {"Effect": "Allow", "Action": ["kinesis:DescribeStream", "kinesis:DescribeStreamSummary", "kinesis:GetRecords",
                                       "kinesis:GetShardIterator", "kinesis:ListShards"], "Resource": [stream]},
        {"Effect": "Allow", "Action": ["kinesis:SubscribeToShard", "kinesis:DescribeStreamConsumer"],
         "Resource": [consumer]},
        {"Effect": "Allow", "Action": ["sqs:SendMessage"], "Resource": [queue]}]


def test_kinesis_rules(config_errors: Errors) -> None:
    errors = config_errors(function_config("""
        - type: kinesis-stream
          properties: {kinesisStreamName: clicks}
        - type: kinesis-stream
          properties: {streamArn: s, consumerArn: c, autoCreateConsumer: true}
        - type: kinesis-stream
          properties: {streamArn: s, parallelizationFactor: 11}
"""))
    assert errors == [
        "stacktape.yml:13:54: resources.fn.properties.events[1].properties.autoCreateConsumer: consumerArn cannot be "
        "used with autoCreateConsumer. (hint: read through your consumer, or let one be created, not both)",
        "stacktape.yml:15:61: resources.fn.properties.events[2].properties.parallelizationFactor: 11 is out of "
        "range: input should be less than or equal to 10",
    ]
    errors = config_errors(function_config("""
        - type: kinesis-stream
          properties: {kinesisStreamName: clicks}
"""))
    assert errors == [
        "stacktape.yml:11:43: resources.fn.properties.events[0].properties.kinesisStreamName: kinesisStreamName is "
        "not supported yet: stacktape-pulumi cannot create kinesis-stream resources (hint: create the stream with "
        "pulumi_aws.kinesis.Stream and give its ARN as streamArn)",
    ]


# ---- s3 ---------------------------------------------------------------------------------

BUCKET = """
  uploads:
    type: bucket
"""


def test_s3_events_of_one_function_share_the_bucket_notification(preview: Preview) -> None:
    rec = preview(function_config("""
        - type: s3
          properties:
            bucketArn: $ResourceParam('uploads', 'arn')
            s3EventType: s3:ObjectCreated:*
            filterRule: {prefix: in/, suffix: .csv}
        - type: s3
          properties:
            bucketArn: $ResourceParam('uploads', 'arn')
            s3EventType: s3:ObjectRemoved:Delete
""", resources=BUCKET))
    bucket = offline_bucket("uploads")
    assert [r.name for r in rec.by_type("aws:s3/bucketNotification:BucketNotification")] == ["fn-event-0-notification"]
    assert inputs(rec, "aws:s3/bucketNotification:BucketNotification", "fn-event-0-notification") == {
        "bucket": bucket, "lambdaFunctions": [
            {"lambdaFunctionArn": f"{PREFIX}-fn", "events": ["s3:ObjectCreated:*"], "filterPrefix": "in/",
             "filterSuffix": ".csv"},
            {"lambdaFunctionArn": f"{PREFIX}-fn", "events": ["s3:ObjectRemoved:Delete"]}]}
    assert inputs(rec, "aws:lambda/permission:Permission", "fn-event-0-permission") == permission(
        "s3.amazonaws.com", f"arn:aws:s3:::{bucket}", sourceAccount=ACCOUNT)
    assert "fn-event-0-permission" in depends_on(rec, "aws:s3/bucketNotification:BucketNotification",
                                                 "fn-event-0-notification")


def test_s3_rules(config_errors: Errors) -> None:
    errors = config_errors(function_config("""
        - type: s3
          properties: {bucketArn: 'arn:aws:s3:::theirs', s3EventType: 's3:ObjectCreated:*'}
        - type: s3
          properties: {bucketArn: "$ResourceParam('uploads', 'arn')", s3EventType: 's3:ObjectCreated:*'}
        - type: s3
          properties: {bucketArn: "$ResourceParam('events', 'arn')", s3EventType: 's3:ObjectCreated:*',
                       filterRule: {prefix: in/}}
""", resources=BUCKET + f"""
  events:
    type: bucket
    properties: {{enableEventBusNotifications: true}}
  other:
    type: function
    properties:
      {PACKAGING}
      events:
        - type: s3
          properties: {{bucketArn: "$ResourceParam('uploads', 'arn')", s3EventType: 's3:ObjectRemoved:*'}}
""", props="      connectTo: [uploads]"))
    assert errors == [
        "stacktape.yml:15:35: resources.other.properties.events[0].properties.bucketArn: bucket uploads already "
        "notifies function fn; s3 events of several functions on one bucket are not supported yet (S3 keeps one "
        "notification configuration per bucket). (hint: enable enableEventBusNotifications on uploads and use "
        "event-bus events instead)",
        "stacktape.yml:25:35: resources.fn.properties.events[0].properties.bucketArn: bucketArn must be "
        "$ResourceParam('<bucket>', 'arn') of a bucket resource of this stack: S3 keeps one notification "
        "configuration per bucket, which wiring a bucket outside the stack would overwrite. (hint: add the bucket "
        "to the stack, or subscribe with an EventBridge rule on its events (event-bus))",
        "stacktape.yml:27:35: resources.fn.properties.events[1].properties.bucketArn: bucket uploads already "
        "notifies function other; s3 events of several functions on one bucket are not supported yet (S3 keeps one "
        "notification configuration per bucket). (hint: enable enableEventBusNotifications on uploads and use "
        "event-bus events instead)",
        "stacktape.yml:27:35: resources.fn.properties.events[1].properties.bucketArn: function fn may write to "
        "bucket uploads (connectTo or iamRoleStatements) and is invoked by every s3:ObjectCreated:* event in it: "
        "each object it writes would invoke it again, without end. (hint: set filterRule.prefix to a prefix the "
        "function never writes to (e.g. uploads/), or write to another bucket)",
        "stacktape.yml:29:35: resources.fn.properties.events[2].properties.bucketArn: s3 events on bucket events, "
        "which has enableEventBusNotifications, are not supported yet: S3 keeps one notification configuration per "
        "bucket. (hint: use an event-bus event on the default bus with source aws.s3 instead)",
    ]


# ---- cloudwatch-log ---------------------------------------------------------------------

def test_cloudwatch_log_subscription_filter(preview: Preview) -> None:
    group = f"arn:aws:logs:us-east-1:{ACCOUNT}:log-group:/app/orders"
    rec = preview(function_config(f"""
        - type: cloudwatch-log
          properties: {{logGroupArn: '{group}:*', filter: '?ERROR ?WARN'}}
        - type: cloudwatch-log
          properties: {{logGroupArn: '{group}'}}
"""))
    assert inputs(rec, "aws:cloudwatch/logSubscriptionFilter:LogSubscriptionFilter",
                  "fn-event-0-subscription-filter") == {
        "name": "stacktape-dev-fn-event-0", "logGroup": "/app/orders", "filterPattern": "?ERROR ?WARN",
        "destinationArn": f"{PREFIX}-fn"}
    assert inputs(rec, "aws:cloudwatch/logSubscriptionFilter:LogSubscriptionFilter",
                  "fn-event-1-subscription-filter")["filterPattern"] == ""
    for index in (0, 1):
        assert inputs(rec, "aws:lambda/permission:Permission", f"fn-event-{index}-permission") == permission(
            "logs.amazonaws.com", f"{group}:*")


@pytest.mark.parametrize(("arn", "name"), [
    ("arn:aws:logs:us-east-1:1:log-group:/aws/lambda/x", "/aws/lambda/x"),
    ("arn:aws:logs:us-east-1:1:log-group:/aws/lambda/x:*", "/aws/lambda/x"),
])
def test_log_group_name_and_source_arn(arn: str, name: str) -> None:
    assert log_group_name(arn) == name
    assert log_group_source_arn(arn) == "arn:aws:logs:us-east-1:1:log-group:/aws/lambda/x:*"


def test_a_function_cannot_subscribe_to_its_own_log_group(config_errors: Errors) -> None:
    errors = config_errors(function_config("""
        - type: cloudwatch-log
          properties: {logGroupArn: "$ResourceParam('fn', 'logGroupArn')"}
"""))
    assert errors == [
        "stacktape.yml:11:37: resources.fn.properties.events[0].properties.logGroupArn: function fn cannot subscribe "
        "to its own log group: every invocation writes to it and would invoke the function again. (hint: subscribe "
        "another function, or the log group of another resource)",
    ]


def test_a_queue_takes_the_undeliverable_events_of_another_queues_rules(preview: Preview) -> None:
    rec = preview("""
resources:
  failed:
    type: sqs-queue
  orders:
    type: sqs-queue
    properties:
      events:
        - type: event-bus
          properties: {useDefaultBus: true, eventPattern: {source: [shop]}, onDeliveryFailure: {sqsQueueName: failed}}
""")
    failed = f"arn:aws:sqs:us-east-1:{ACCOUNT}:stacktape-dev-failed"
    assert inputs(rec, "aws:cloudwatch/eventTarget:EventTarget", "orders-event-0-target")["deadLetterConfig"] == {
        "arn": failed}
    assert json.loads(inputs(rec, "aws:sqs/queuePolicy:QueuePolicy", "failed-policy")["policy"])["Statement"] == [
        {"Effect": "Allow", "Principal": {"Service": "events.amazonaws.com"}, "Action": ["sqs:SendMessage"],
         "Resource": [failed], "Condition": {"ArnEquals": {
             "aws:SourceArn": f"arn:aws:events:us-east-1:{ACCOUNT}:rule/stacktape-dev-orders-event-0"}}}]


def test_queue_dead_letter_rules(config_errors: Errors) -> None:
    errors = config_errors("""
resources:
  fifo:
    type: sqs-queue
    properties: {fifoEnabled: true}
  dlq:
    type: sqs-queue
  orders:
    type: sqs-queue
    properties:
      redrivePolicy: {targetSqsQueueName: dlq, maxReceiveCount: 3}
      events:
        - type: event-bus
          properties: {useDefaultBus: true, eventPattern: {source: [a]}, onDeliveryFailure: {sqsQueueName: fifo}}
        - type: event-bus
          properties: {useDefaultBus: true, eventPattern: {source: [a]}, onDeliveryFailure: {sqsQueueName: dlq}}
""")
    assert errors == [
        "stacktape.yml:13:108: resources.orders.properties.events[0].properties.onDeliveryFailure.sqsQueueName: "
        "sqs-queue fifo is FIFO; EventBridge sends undeliverable events only to standard queues. (hint: use a "
        "standard sqs-queue (fifoEnabled: false) for the failed deliveries of orders)",
        "stacktape.yml:15:108: resources.orders.properties.events[1].properties.onDeliveryFailure.sqsQueueName: "
        "sqs-queue dlq is the dead-letter queue of orders (redrivePolicy), so it is created first; as the "
        "dead-letter queue of the rules of orders it must be created after orders, whose rules its policy lets in. "
        "(hint: use another sqs-queue for the failed deliveries)",
    ]


# ---- creation order -----------------------------------------------------------------------

def test_a_function_written_before_its_sources_is_created_after_them(preview: Preview) -> None:
    rec = preview(f"""
resources:
  fn:
    type: function
    properties:
      {PACKAGING}
      events:
        - type: sqs
          properties: {{sqsQueueName: jobs}}
        - type: sns
          properties: {{snsTopicName: orders}}
        - type: event-bus
          properties: {{eventBusName: bus, eventPattern: {{source: [a]}}}}
  jobs:
    type: sqs-queue
  orders:
    type: sns-topic
  bus:
    type: event-bus
""")
    # The recording keeps registration order: the order components were built in.
    components = [r.name for r in rec.resources if r.type.startswith("stacktape:index:")]
    assert components.index("fn") > max(components.index(name) for name in ("jobs", "orders", "bus"))
    assert inputs(rec, "aws:lambda/eventSourceMapping:EventSourceMapping", "fn-event-0-mapping")["eventSourceArn"] \
        == QUEUE_ARN


# ---- the Python door --------------------------------------------------------------------

def test_python_args_get_the_same_event_source_refusals(tmp_path: Path) -> None:
    args: Any = {"packaging": {"type": "stacktape-lambda-buildpack",
                               "properties": {"entryfilePath": str(tmp_path / "handler.py")}},
                 "events": [{"type": "kinesis-stream", "properties": {"kinesisStreamName": "clicks"}}]}

    def program() -> None:
        Function("fn", args)

    with pytest.raises(StacktapeError) as raised:
        run_offline(program)
    assert str(raised.value) == (
        "Function 'fn': events[0].properties.kinesisStreamName: kinesisStreamName is not supported yet: "
        "stacktape-pulumi cannot create kinesis-stream resources (hint: create the stream with "
        "pulumi_aws.kinesis.Stream and give its ARN as streamArn)")


def test_python_args_dead_letter_queue_of_the_stack_is_created_after_the_function(tmp_path: Path) -> None:
    args: Any = {"packaging": {"type": "stacktape-lambda-buildpack",
                               "properties": {"entryfilePath": str(tmp_path / "handler.py")}},
                 "events": [{"type": "sns", "properties": {"snsTopicArn": "arn:aws:sns:us-east-1:1:t",
                                                           "onDeliveryFailure": {"sqsQueueName": "failed"}}}]}

    def program() -> None:
        SqsQueue("failed")
        Function("fn", args)

    with pytest.raises(StacktapeError) as raised:
        run_offline(program)
    assert str(raised.value) == (
        "Function 'fn': SqsQueue 'failed' already exists; create it after Function 'fn', so the queue's policy can "
        "allow its dead-letter deliveries")


def test_python_args_dead_letter_queue_must_be_standard(tmp_path: Path) -> None:
    args: Any = {"packaging": {"type": "stacktape-lambda-buildpack",
                               "properties": {"entryfilePath": str(tmp_path / "handler.py")}},
                 "events": [{"type": "sns", "properties": {"snsTopicArn": "arn:aws:sns:us-east-1:1:t",
                                                           "onDeliveryFailure": {"sqsQueueName": "failed"}}}]}

    def program() -> None:
        Function("fn", args)
        SqsQueue("failed", {"fifo_enabled": True})

    with pytest.raises(StacktapeError) as raised:
        run_offline(program)
    assert str(raised.value) == "SqsQueue 'failed': FIFO queues cannot take undeliverable messages of Function 'fn'; " \
                                "use a standard queue"


# ---- the queue's own event rules ----------------------------------------------------------

def test_queue_events_are_rules_the_queue_policy_lets_in(preview: Preview) -> None:
    rec = preview("""
resources:
  bus:
    type: event-bus
  orders:
    type: sqs-queue
    properties:
      fifoEnabled: true
      events:
        - type: event-bus
          properties: {eventBusName: bus, eventPattern: {source: [shop]}, messageGroupId: orders}
        - type: event-bus
          properties: {useDefaultBus: true, eventPattern: {source: [aws.s3]}, inputPath: $.detail, messageGroupId: s3}
""")
    queue = f"arn:aws:sqs:us-east-1:{ACCOUNT}:stacktape-dev-orders.fifo"
    rules = [f"arn:aws:events:us-east-1:{ACCOUNT}:rule/stacktape-dev-bus/stacktape-dev-orders-event-0",
             f"arn:aws:events:us-east-1:{ACCOUNT}:rule/stacktape-dev-orders-event-1"]
    assert inputs(rec, "aws:cloudwatch/eventRule:EventRule", "orders-event-0-rule") == {
        "name": "stacktape-dev-orders-event-0", "eventBusName": "stacktape-dev-bus",
        "eventPattern": '{"source": ["shop"]}', "tags": TAGS}
    assert inputs(rec, "aws:cloudwatch/eventTarget:EventTarget", "orders-event-0-target") == {
        "rule": "stacktape-dev-orders-event-0", "eventBusName": "stacktape-dev-bus", "arn": queue,
        "sqsTarget": {"messageGroupId": "orders"}}
    assert inputs(rec, "aws:cloudwatch/eventTarget:EventTarget", "orders-event-1-target") == {
        "rule": "stacktape-dev-orders-event-1", "arn": queue, "inputPath": "$.detail",
        "sqsTarget": {"messageGroupId": "s3"}}
    assert json.loads(inputs(rec, "aws:sqs/queuePolicy:QueuePolicy", "orders-policy")["policy"])["Statement"] == [
        {"Effect": "Allow", "Action": ["sqs:SendMessage"], "Resource": [queue],
         "Condition": {"ArnEquals": {"aws:SourceArn": rule}}, "Principal": {"Service": "events.amazonaws.com"}}
        for rule in rules]
    # EventBridge drops what the policy does not yet let in.
    assert "orders-policy" in depends_on(rec, "aws:cloudwatch/eventTarget:EventTarget", "orders-event-0-target")


def test_queue_event_rules_are_located(config_errors: Errors) -> None:
    errors = config_errors("""
resources:
  orders:
    type: sqs-queue
    properties:
      fifoEnabled: true
      events:
        - type: event-bus
          properties: {eventBusName: buss, eventPattern: {source: [shop]}}
        - type: event-bus
          properties: {useDefaultBus: true, eventPattern: {source: [a]}, messageGroupId: g,
                       onDeliveryFailure: {sqsQueueName: orders}}
""")
    assert errors == [
        "stacktape.yml:8:11: resources.orders.properties.events[0].properties: sqs-queue orders is FIFO: its "
        "event-bus events need a messageGroupId. (hint: add messageGroupId (events of one group are delivered in "
        "order))",
        "stacktape.yml:8:38: resources.orders.properties.events[0].properties.eventBusName: Referenced resource with "
        "name buss of type event-bus could not be resolved in the config (referenced from orders(sqs-queue)). "
        "(hint: no event-bus resource is defined)",
        "stacktape.yml:11:58: resources.orders.properties.events[1].properties.onDeliveryFailure.sqsQueueName: "
        "sqs-queue orders cannot take the events it failed to receive itself. (hint: name another sqs-queue for the "
        "failed deliveries)",
    ]
