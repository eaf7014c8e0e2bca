"""Bucket, DynamoDbTable, SqsQueue, SnsTopic and EventBus: exact child inputs, checks and the Python door."""

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from stacktape_pulumi.components import Bucket, DynamoDbTable, EventBus, SnsTopic, SqsQueue
from stacktape_pulumi.components.base import ArgsError
from stacktape_pulumi.components.bucket import bucket_prefix
from stacktape_pulumi.components.context import StackContext
from stacktape_pulumi.components.sqs_queue import fifo_name
from stacktape_pulumi.engine import Recording, run_offline
from stacktape_pulumi.errors import StacktapeError
from tests.naming_support import bucket as offline_bucket
from tests.naming_support import table as offline_table

ACCOUNT = "123456789012"
REGION = "us-east-1"
TAGS = {"stp:project-name": "stacktape", "stp:stack-name": "stacktape-dev", "stp:stage": "dev"}
Preview = Callable[[str], Recording]
Errors = Callable[[str], list[str]]


def policy(rec: Recording, type_: str, name: str) -> Any:
    return json.loads(rec.one(type_, name).inputs["policy"])


def children(rec: Recording, component: str) -> list[str]:
    parent = next(r for r in rec.resources if r.name == component and not r.custom)
    return sorted(r.name for r in rec.children(parent))


# ---- bucket -----------------------------------------------------------------------------

@pytest.mark.parametrize(("stack", "resource", "prefix"), [
    ("stacktape-dev", "photos", "stacktape-dev-photos-"),
    ("My-Project-prod", "UploadsBucket", "my-project-prod-uploadsbucket-"),
    # 37 characters at most (S3 adds 26): shortened with a stable hash.
    ("a-very-long-project-name-for-testing-dev", "anExtremelyLongBucketResourceName",
     "a-very-long-project-name-for--1d37ca-"),
])
def test_bucket_prefixes_are_lower_case_and_leave_s3_room_for_its_unique_suffix(stack: str, resource: str,
                                                                               prefix: str) -> None:
    assert bucket_prefix(stack, resource) == prefix
    assert len(prefix) <= 37


def test_default_bucket_is_private_encrypted_and_tls_only(preview: Preview) -> None:
    rec = preview("""
        resources:
          photos:
            type: bucket
        """)
    name = offline_bucket("photos")
    arn = f"arn:aws:s3:::{name}"
    assert children(rec, "photos") == ["photos-bucket", "photos-encryption", "photos-policy",
                                       "photos-public-access-block"]
    # S3 completes the prefix with a unique suffix kept in the state; non-empty buckets are destroyed too.
    assert rec.one("aws:s3/bucket:Bucket").inputs == {"bucketPrefix": "stacktape-dev-photos-", "forceDestroy": True,
                                                      "tags": TAGS}
    assert rec.one("aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock").inputs == {
        "bucket": name, "blockPublicAcls": True, "ignorePublicAcls": True, "blockPublicPolicy": True,
        "restrictPublicBuckets": True}
    assert rec.one("aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration"
                   ).inputs == {"bucket": name,
                                "rules": [{"applyServerSideEncryptionByDefault": {"sseAlgorithm": "AES256"}}]}
    bucket_policy = rec.one("aws:s3/bucketPolicy:BucketPolicy")
    assert json.loads(bucket_policy.inputs["policy"]) == {"Version": "2012-10-17", "Statement": [{
        "Sid": "DenyInsecureTransport", "Effect": "Deny", "Principal": "*", "Action": ["s3:*"],
        "Resource": [arn, f"{arn}/*"], "Condition": {"Bool": {"aws:SecureTransport": "false"}}}]}
    assert rec.one("aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock").urn in bucket_policy.dependencies
    assert rec.stack_outputs["photos"] == {"name": name, "arn": arn}


BUCKET_FULL = """
resources:
  site:
    type: bucket
    properties:
      accessibility:
        accessibilityMode: public-read
        accessPolicyStatements:
          - Sid: PartnerRead
            Principal: {AWS: 'arn:aws:iam::210987654321:root'}
            Action: ['s3:GetObject']
            Resource: ["$ResourceParam('logs', 'arn')"]
            Condition: {StringEquals: {'aws:PrincipalTag/team': data}}
      versioning: true
      encryption: false
      enableEventBusNotifications: true
      cors:
        enabled: true
        corsRules:
          - allowedOrigins: ['https://example.com']
            allowedMethods: ['GET', 'PUT']
            allowedHeaders: ['*']
            exposedResponseHeaders: ['ETag']
            maxAge: 600
          - allowedMethods: ['*']
      lifecycleRules:
        - type: expiration
          properties: {daysAfterUpload: 30, prefix: 'tmp/'}
        - type: non-current-version-expiration
          properties: {daysAfterVersioned: 7}
        - type: class-transition
          properties:
            daysAfterUpload: 90
            storageClass: GLACIER
            tags: [{key: archive, value: 'yes'}]
        - type: non-current-version-class-transition
          properties:
            daysAfterVersioned: 30
            storageClass: STANDARD_IA
            prefix: docs/
            tags: [{key: a, value: '1'}, {key: b, value: '2'}]
        - type: abort-incomplete-multipart-upload
          properties: {daysAfterInitiation: 2}
  logs:
    type: bucket
"""


def test_bucket_with_every_buildable_property(preview: Preview) -> None:
    rec = preview(BUCKET_FULL)
    name = offline_bucket("site")
    arn = f"arn:aws:s3:::{name}"
    logs_arn = f"arn:aws:s3:::{offline_bucket('logs')}"
    assert children(rec, "site") == ["site-bucket", "site-cors", "site-event-bus-notifications", "site-lifecycle",
                                     "site-policy", "site-public-access-block", "site-versioning"]
    assert rec.one("aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock", "site-public-access-block").inputs == {
        "bucket": name, "blockPublicAcls": True, "ignorePublicAcls": True, "blockPublicPolicy": False,
        "restrictPublicBuckets": False}
    assert policy(rec, "aws:s3/bucketPolicy:BucketPolicy", "site-policy")["Statement"] == [
        {"Sid": "DenyInsecureTransport", "Effect": "Deny", "Principal": "*", "Action": ["s3:*"],
         "Resource": [arn, f"{arn}/*"], "Condition": {"Bool": {"aws:SecureTransport": "false"}}},
        {"Sid": "PublicAccess", "Effect": "Allow", "Principal": "*", "Action": ["s3:GetObject"],
         "Resource": [f"{arn}/*"]},
        {"Sid": "PartnerRead", "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::210987654321:root"},
         "Action": ["s3:GetObject"], "Resource": [logs_arn],
         "Condition": {"StringEquals": {"aws:PrincipalTag/team": "data"}}},
    ]
    assert rec.one("aws:s3/bucketVersioning:BucketVersioning").inputs == {
        "bucket": name, "versioningConfiguration": {"status": "Enabled"}}
    assert rec.one("aws:s3/bucketCorsConfiguration:BucketCorsConfiguration").inputs == {"bucket": name, "corsRules": [
        {"allowedOrigins": ["https://example.com"], "allowedMethods": ["GET", "PUT"], "allowedHeaders": ["*"],
         "exposeHeaders": ["ETag"], "maxAgeSeconds": 600},
        {"allowedOrigins": ["*"], "allowedMethods": ["GET", "PUT", "HEAD", "POST", "DELETE"]},
    ]}
    lifecycle = rec.one("aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration")
    assert lifecycle.inputs == {"bucket": name, "rules": [
        {"id": "expiration-0", "status": "Enabled", "filter": {"prefix": "tmp/"}, "expiration": {"days": 30}},
        {"id": "non-current-version-expiration-1", "status": "Enabled", "filter": {},
         "noncurrentVersionExpiration": {"noncurrentDays": 7}},
        {"id": "class-transition-2", "status": "Enabled", "filter": {"tag": {"key": "archive", "value": "yes"}},
         "transitions": [{"days": 90, "storageClass": "GLACIER"}]},
        {"id": "non-current-version-class-transition-3", "status": "Enabled",
         "filter": {"and": {"prefix": "docs/", "tags": {"a": "1", "b": "2"}}},
         "noncurrentVersionTransitions": [{"noncurrentDays": 30, "storageClass": "STANDARD_IA"}]},
        {"id": "abort-incomplete-multipart-upload-4", "status": "Enabled", "filter": {},
         "abortIncompleteMultipartUpload": {"daysAfterInitiation": 2}},
    ]}
    assert rec.one("aws:s3/bucketVersioning:BucketVersioning").urn in lifecycle.dependencies
    assert rec.one("aws:s3/bucketNotification:BucketNotification").inputs == {"bucket": name, "eventbridge": True}
    assert not [r for r in rec.by_type(
        "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration")
        if r.name == "site-encryption"]


def test_cors_without_rules_is_permissive(preview: Preview) -> None:
    rec = preview("""
        resources:
          files:
            type: bucket
            properties:
              cors: {enabled: true}
              accessibility: {accessibilityMode: public-read-write}
        """)
    assert rec.one("aws:s3/bucketCorsConfiguration:BucketCorsConfiguration").inputs["corsRules"] == [
        {"allowedOrigins": ["*"], "allowedMethods": ["GET", "PUT", "HEAD", "POST", "DELETE"], "allowedHeaders": ["*"]}]
    public = policy(rec, "aws:s3/bucketPolicy:BucketPolicy", "files-policy")["Statement"][1]
    assert public["Action"] == ["s3:GetObject", "s3:PutObject"]


def test_bucket_errors_are_located(config_errors: Errors) -> None:
    assert config_errors("""
        resources:
          files:
            type: bucket
            properties:
              cors:
                enabled: true
                corsRules: [{allowedMethods: [PATCH]}]
              lifecycleRules:
                - type: non-current-version-expiration
                  properties: {daysAfterVersioned: 3}
                - type: class-transition
                  properties: {daysAfterUpload: 10, storageClass: ONEZONE_IA}
        """) == [
        "stacktape.yml:7:38: resources.files.properties.cors.corsRules[0].allowedMethods: S3 CORS rules do not "
        "support the PATCH method. (hint: use some of GET, PUT, HEAD, POST, DELETE, or '*' for all of them)",
        "stacktape.yml:9:17: resources.files.properties.lifecycleRules[0].type: Lifecycle rule "
        "'non-current-version-expiration' requires versioning: true. (hint: set versioning: true "
        "on the bucket, or remove the rule)",
        "stacktape.yml:12:41: resources.files.properties.lifecycleRules[1].properties.daysAfterUpload: S3 moves "
        "objects to ONEZONE_IA only after 30 days; daysAfterUpload is 10. (hint: use 30 or more, or GLACIER / "
        "INTELLIGENT_TIERING)",
    ]


def test_bucket_features_not_built_yet_are_located(config_errors: Errors) -> None:
    assert config_errors("""
        resources:
          files:
            type: bucket
            properties:
              directoryUpload: {directoryPath: ./dist}
              cdn: {enabled: true}
        """) == [
        "stacktape.yml:5:7: resources.files.properties.directoryUpload: directoryUpload is not supported yet "
        "(hint: upload files with pulumi_aws.s3.BucketObjectv2, or `aws s3 sync` after `pulumi up`)",
        "stacktape.yml:6:7: resources.files.properties.cdn: cdn is not supported yet (hint: put CloudFront in front "
        "of the bucket with pulumi_aws.cloudfront)",
    ]


# ---- dynamo-db-table --------------------------------------------------------------------

def test_on_demand_table(preview: Preview) -> None:
    rec = preview("""
        resources:
          users:
            type: dynamo-db-table
            properties:
              primaryKey: {partitionKey: {name: id, type: string}}
        """)
    assert children(rec, "users") == ["users-table"]
    # No name: Pulumi's auto-name, so a new key schema can replace the table beside the old one.
    assert rec.one("aws:dynamodb/table:Table").inputs == {
        "billingMode": "PAY_PER_REQUEST", "hashKey": "id",
        "attributes": [{"name": "id", "type": "S"}], "streamEnabled": False,
        "pointInTimeRecovery": {"enabled": False}, "tags": TAGS}
    assert rec.stack_outputs["users"] == {"name": offline_table("users"),
                                          "arn": f"arn:aws:dynamodb:{REGION}:{ACCOUNT}:table/{offline_table('users')}"}


TABLE_FULL = """
resources:
  orders:
    type: dynamo-db-table
    properties:
      primaryKey:
        partitionKey: {name: customerId, type: string}
        sortKey: {name: createdAt, type: number}
      provisionedThroughput:
        readUnits: 5
        writeUnits: 2
        readScaling: {minUnits: 5, maxUnits: 50, keepUtilizationUnder: 70}
        writeScaling: {minUnits: 2, maxUnits: 20, keepUtilizationUnder: 60}
      enablePointInTimeRecovery: true
      streamType: NEW_AND_OLD_IMAGES
      timeToLiveAttribute: expiresAt
      secondaryIndexes:
        - name: byStatus
          partitionKey: {name: status, type: string}
          sortKey: {name: createdAt, type: number}
          projections: [total]
        - name: byEmail
          partitionKey: {name: email, type: string}
      localSecondaryIndexes:
        - name: byTotal
          sortKey: {name: total, type: number}
          projections: [status]
      dev: {remote: true}
"""


def test_provisioned_table_with_indexes_stream_ttl_pitr_and_scaling(preview: Preview) -> None:
    rec = preview(TABLE_FULL)
    assert children(rec, "orders") == ["orders-read-scaling", "orders-read-scaling-target", "orders-table",
                                       "orders-write-scaling", "orders-write-scaling-target"]
    assert rec.one("aws:dynamodb/table:Table").inputs == {
        "billingMode": "PROVISIONED", "readCapacity": 5, "writeCapacity": 2,
        "hashKey": "customerId", "rangeKey": "createdAt",
        "attributes": [{"name": "customerId", "type": "S"}, {"name": "createdAt", "type": "N"},
                       {"name": "status", "type": "S"}, {"name": "email", "type": "S"},
                       {"name": "total", "type": "N"}],
        "globalSecondaryIndexes": [
            {"name": "byStatus", "projectionType": "INCLUDE", "nonKeyAttributes": ["total"],
             "keySchemas": [{"attributeName": "status", "keyType": "HASH"},
                            {"attributeName": "createdAt", "keyType": "RANGE"}],
             "readCapacity": 5, "writeCapacity": 2},
            {"name": "byEmail", "projectionType": "KEYS_ONLY",
             "keySchemas": [{"attributeName": "email", "keyType": "HASH"}], "readCapacity": 5, "writeCapacity": 2},
        ],
        "localSecondaryIndexes": [{"name": "byTotal", "rangeKey": "total", "projectionType": "INCLUDE",
                                   "nonKeyAttributes": ["status"]}],
        "streamEnabled": True, "streamViewType": "NEW_AND_OLD_IMAGES",
        "pointInTimeRecovery": {"enabled": True}, "ttl": {"attributeName": "expiresAt", "enabled": True},
        "tags": TAGS}
    assert rec.one("aws:appautoscaling/target:Target", "orders-read-scaling-target").inputs == {
        "minCapacity": 5, "maxCapacity": 50, "resourceId": f"table/{offline_table('orders')}",
        "scalableDimension": "dynamodb:table:ReadCapacityUnits", "serviceNamespace": "dynamodb", "tags": TAGS}
    assert rec.one("aws:appautoscaling/policy:Policy", "orders-write-scaling").inputs == {
        "name": "stacktape-dev-orders-DynamoDBWriteCapacityUtilization", "policyType": "TargetTrackingScaling",
        "resourceId": f"table/{offline_table('orders')}", "scalableDimension": "dynamodb:table:WriteCapacityUnits",
        "serviceNamespace": "dynamodb",
        "targetTrackingScalingPolicyConfiguration": {
            "targetValue": 60, "predefinedMetricSpecification": {
                "predefinedMetricType": "DynamoDBWriteCapacityUtilization"}}}
    assert rec.stack_outputs["orders"]["streamArn"].startswith(
        f"arn:aws:dynamodb:{REGION}:{ACCOUNT}:table/{offline_table('orders')}/stream/")


def test_table_errors_are_located(config_errors: Errors) -> None:
    assert config_errors("""
        resources:
          t:
            type: dynamo-db-table
            properties:
              primaryKey: {partitionKey: {name: id, type: string}}
              provisionedThroughput:
                readUnits: 1
                writeUnits: 1
                readScaling: {minUnits: 10, maxUnits: 5, keepUtilizationUnder: 95}
              secondaryIndexes:
                - {name: ix, partitionKey: {name: id, type: number}}
              localSecondaryIndexes:
                - {name: byX, sortKey: {name: x, type: string}}
        """) == [
        "stacktape.yml:9:72: resources.t.properties.provisionedThroughput.readScaling.keepUtilizationUnder: 95 is "
        "out of range: input should be less than or equal to 90",
    ]


def test_table_consistency_errors_are_located(config_errors: Errors) -> None:
    assert config_errors("""
        resources:
          t:
            type: dynamo-db-table
            properties:
              primaryKey: {partitionKey: {name: id, type: string}}
              provisionedThroughput:
                readUnits: 1
                writeUnits: 1
                readScaling: {minUnits: 10, maxUnits: 5, keepUtilizationUnder: 70}
              secondaryIndexes:
                - {name: ix, partitionKey: {name: id, type: number}}
                - {name: byX, partitionKey: {name: x, type: string}}
              localSecondaryIndexes:
                - {name: byX, sortKey: {name: x, type: string}}
        """) == [
        "stacktape.yml:9:47: resources.t.properties.provisionedThroughput.readScaling.maxUnits: maxUnits (5) must be "
        "at least minUnits (10).",
        "stacktape.yml:11:18: resources.t.properties.secondaryIndexes[0].name: Index name 'ix' is not valid: use "
        "3-255 letters, digits, '_', '-' or '.'.",
        "stacktape.yml:11:53: resources.t.properties.secondaryIndexes[0].partitionKey.type: Attribute 'id' is used "
        "as a string key elsewhere; one attribute has one type. (hint: use type string)",
        "stacktape.yml:13:7: resources.t.properties.localSecondaryIndexes: Local secondary indexes need a table "
        "with a sort key. (hint: add primaryKey.sortKey, or use secondaryIndexes)",
        "stacktape.yml:14:18: resources.t.properties.localSecondaryIndexes[0].name: Two indexes are named "
        "'byX'. (hint: the first is secondaryIndexes[1])",
    ]


# ---- sqs-queue --------------------------------------------------------------------------

def test_default_queue(preview: Preview) -> None:
    rec = preview("""
        resources:
          jobs:
            type: sqs-queue
        """)
    assert children(rec, "jobs") == ["jobs-queue"]
    assert rec.one("aws:sqs/queue:Queue").inputs == {
        "name": "stacktape-dev-jobs", "delaySeconds": 0, "maxMessageSize": 262144,
        "messageRetentionSeconds": 345600, "receiveWaitTimeSeconds": 0, "visibilityTimeoutSeconds": 30,
        "sqsManagedSseEnabled": True, "tags": TAGS}
    assert rec.stack_outputs["jobs"] == {
        "arn": f"arn:aws:sqs:{REGION}:{ACCOUNT}:stacktape-dev-jobs",
        "url": f"https://sqs.{REGION}.amazonaws.com/{ACCOUNT}/stacktape-dev-jobs", "name": "stacktape-dev-jobs"}


QUEUES = """
resources:
  orders:
    type: sqs-queue
    properties:
      fifoEnabled: true
      fifoHighThroughput: true
      contentBasedDeduplication: true
      delayMessagesSecond: 5
      maxMessageSizeBytes: 2048
      messageRetentionPeriodSeconds: 86400
      longPollingSeconds: 20
      visibilityTimeoutSeconds: 120
      redrivePolicy: {targetSqsQueueName: ordersDlq, maxReceiveCount: 3}
      disabledGlobalAlarms: [queueAlarm]
      policyStatements:
        - Effect: Allow
          Principal: {AWS: '210987654321'}
          Action: ['sqs:SendMessage']
          Condition: {Bool: {'aws:SecureTransport': 'true'}}
  ordersDlq:
    type: sqs-queue
    properties:
      fifoEnabled: true
  external:
    type: sqs-queue
    properties:
      redrivePolicy: {targetSqsQueueArn: 'arn:aws:sqs:us-east-1:210987654321:dlq', maxReceiveCount: 10}
"""


def test_fifo_queue_with_dead_letter_queue_and_policy(preview: Preview) -> None:
    rec = preview(QUEUES)
    arn = f"arn:aws:sqs:{REGION}:{ACCOUNT}:stacktape-dev-orders.fifo"
    assert children(rec, "orders") == ["orders-policy", "orders-queue"]
    assert rec.one("aws:sqs/queue:Queue", "orders-queue").inputs == {
        "name": "stacktape-dev-orders.fifo", "fifoQueue": True, "contentBasedDeduplication": True,
        "deduplicationScope": "messageGroup", "fifoThroughputLimit": "perMessageGroupId", "delaySeconds": 5,
        "maxMessageSize": 2048, "messageRetentionSeconds": 86400, "receiveWaitTimeSeconds": 20,
        "visibilityTimeoutSeconds": 120, "sqsManagedSseEnabled": True,
        "redrivePolicy": json.dumps({"deadLetterTargetArn": f"arn:aws:sqs:{REGION}:{ACCOUNT}:"
                                                            "stacktape-dev-ordersDlq.fifo", "maxReceiveCount": 3}),
        "tags": TAGS}
    queue_policy = rec.one("aws:sqs/queuePolicy:QueuePolicy")
    assert queue_policy.inputs["queueUrl"] == f"https://sqs.{REGION}.amazonaws.com/{ACCOUNT}/stacktape-dev-orders.fifo"
    assert json.loads(queue_policy.inputs["policy"]) == {"Version": "2012-10-17", "Statement": [{
        "Effect": "Allow", "Principal": {"AWS": "210987654321"}, "Action": ["sqs:SendMessage"], "Resource": [arn],
        "Condition": {"Bool": {"aws:SecureTransport": "true"}}}]}
    assert json.loads(rec.one("aws:sqs/queue:Queue", "external-queue").inputs["redrivePolicy"]) == {
        "deadLetterTargetArn": "arn:aws:sqs:us-east-1:210987654321:dlq", "maxReceiveCount": 10}


def test_fifo_names_keep_their_suffix_within_the_limit() -> None:
    assert fifo_name("x" * 100, True, 80).endswith(".fifo")
    assert len(fifo_name("x" * 100, True, 80)) == 80
    assert fifo_name("short", False, 80) == "short"


def test_queue_errors_are_located(config_errors: Errors) -> None:
    assert config_errors("""
        resources:
          b:
            type: sqs-queue
            properties:
              longPollingSeconds: 21
              redrivePolicy: {targetSqsQueueName: b, maxReceiveCount: 0}
              alarms: [{}]
        """) == [
        "stacktape.yml:5:27: resources.b.properties.longPollingSeconds: 21 is out of range: input should be less "
        "than or equal to 20",
        "stacktape.yml:6:63: resources.b.properties.redrivePolicy.maxReceiveCount: 0 is out of range: input "
        "should be greater than or equal to 1",
        "stacktape.yml:7:7: resources.b.properties.alarms: sqs-queue alarms are not supported yet (hint: create "
        "CloudWatch alarms on the queue's metrics with pulumi_aws.cloudwatch.MetricAlarm)",
    ]
    assert config_errors("""
        resources:
          b:
            type: sqs-queue
            properties:
              contentBasedDeduplication: true
              redrivePolicy: {targetSqsQueueName: b, targetSqsQueueArn: 'arn:aws:sqs:us-east-1:1:x', maxReceiveCount: 1}
        """) == [
        "stacktape.yml:6:46: resources.b.properties.redrivePolicy.targetSqsQueueArn: Specify exactly one of "
        "targetSqsQueueName or targetSqsQueueArn.",
    ]
    assert config_errors("""
        resources:
          b:
            type: sqs-queue
            properties: {contentBasedDeduplication: true}
        """) == [
        "stacktape.yml:4:45: resources.b.properties.contentBasedDeduplication: contentBasedDeduplication requires "
        "fifoEnabled: true. (hint: set fifoEnabled: true, or remove this property)",
    ]
    assert config_errors("""
        resources:
          a:
            type: sqs-queue
            properties:
              fifoEnabled: true
              redrivePolicy: {targetSqsQueueName: b, maxReceiveCount: 3}
          b:
            type: sqs-queue
            properties:
              redrivePolicy: {targetSqsQueueName: b, maxReceiveCount: 3}
              events:
                - type: event-bus
                  properties: {useDefaultBus: true, eventPattern: {source: [app]}, messageGroupId: g}
          c:
            type: sqs-queue
            properties:
              redrivePolicy: {targetSqsQueueName: jobz, maxReceiveCount: 3}
        """) == [
        "stacktape.yml:6:43: resources.a.properties.redrivePolicy.targetSqsQueueName: The dead-letter queue of a "
        "FIFO queue must also be a FIFO queue: sqs-queue b is not FIFO. (hint: set fifoEnabled: true on b, or use "
        "another queue)",
        "stacktape.yml:10:43: resources.b.properties.redrivePolicy.targetSqsQueueName: sqs-queue b cannot be its "
        "own dead-letter queue. (hint: create another sqs-queue for the failed messages)",
        "stacktape.yml:13:76: resources.b.properties.events[0].properties.messageGroupId: messageGroupId is only for "
        "FIFO queues; sqs-queue b is standard. (hint: remove messageGroupId, or set fifoEnabled: true)",
        "stacktape.yml:17:43: resources.c.properties.redrivePolicy.targetSqsQueueName: Referenced resource with "
        "name jobz of type sqs-queue could not be resolved in the config (referenced from c(sqs-queue)). (hint: "
        "sqs-queue resources: a, b, c)",
    ]


# ---- sns-topic --------------------------------------------------------------------------

TOPIC = """
resources:
  # Declared before the topic: the queue is still created after it (its policy must allow the topic).
  inbox:
    type: sqs-queue
    properties:
      policyStatements:
        - {Effect: Deny, Principal: '*', Action: ['sqs:ReceiveMessage'],
           Condition: {Bool: {'aws:SecureTransport': 'false'}}}
  events:
    type: sns-topic
    properties:
      smsDisplayName: MyApp
      subscriptions:
        - type: sqs-queue
          properties:
            sqsQueueName: inbox
            rawMessageDelivery: true
            filterPolicy: {kind: [order]}
            filterPolicyScope: MessageBody
        - type: function
          properties: {functionName: worker, filterPolicy: {kind: [refund]}}
  worker:
    type: function
    properties:
      packaging:
        type: custom-artifact
        properties: {packagePath: handler.py, handler: 'handler.py:handler'}
      runtime: python3.12
"""


def test_topic_subscribes_a_queue_and_a_function(preview: Preview, tmp_path: Path) -> None:
    (tmp_path / "handler.py").write_text("def handler(event, context):\n    return None\n")
    rec = preview(TOPIC)
    topic_arn = f"arn:aws:sns:{REGION}:{ACCOUNT}:stacktape-dev-events"
    queue_arn = f"arn:aws:sqs:{REGION}:{ACCOUNT}:stacktape-dev-inbox"
    worker_arn = f"arn:aws:lambda:{REGION}:{ACCOUNT}:function:stacktape-dev-worker"
    assert children(rec, "events") == ["events-topic", "events-worker-permission", "events-worker-subscription"]
    assert children(rec, "inbox") == ["inbox-events-subscription", "inbox-policy", "inbox-queue"]
    assert rec.one("aws:sns/topic:Topic").inputs == {"name": "stacktape-dev-events", "displayName": "MyApp",
                                                     "tags": TAGS}
    assert json.loads(rec.one("aws:sqs/queuePolicy:QueuePolicy").inputs["policy"])["Statement"] == [
        {"Effect": "Deny", "Principal": "*", "Action": ["sqs:ReceiveMessage"], "Resource": [queue_arn],
         "Condition": {"Bool": {"aws:SecureTransport": "false"}}},
        {"Effect": "Allow", "Principal": {"Service": "sns.amazonaws.com"}, "Action": ["sqs:SendMessage"],
         "Resource": [queue_arn], "Condition": {"ArnEquals": {"aws:SourceArn": topic_arn}}},
    ]
    to_queue = rec.one("aws:sns/topicSubscription:TopicSubscription", "inbox-events-subscription")
    assert to_queue.inputs == {"topic": topic_arn, "protocol": "sqs", "endpoint": queue_arn,
                               "rawMessageDelivery": True, "filterPolicy": json.dumps({"kind": ["order"]}),
                               "filterPolicyScope": "MessageBody"}
    assert rec.one("aws:sqs/queuePolicy:QueuePolicy").urn in to_queue.dependencies
    permission = rec.one("aws:lambda/permission:Permission", "events-worker-permission")
    assert permission.inputs == {"action": "lambda:InvokeFunction", "function": worker_arn,
                                 "principal": "sns.amazonaws.com", "sourceArn": topic_arn}
    to_function = rec.one("aws:sns/topicSubscription:TopicSubscription", "events-worker-subscription")
    assert to_function.inputs == {"topic": topic_arn, "protocol": "lambda", "endpoint": worker_arn,
                                  "filterPolicy": json.dumps({"kind": ["refund"]})}
    assert permission.urn in to_function.dependencies
    assert rec.stack_outputs["events"] == {"arn": topic_arn, "name": "stacktape-dev-events"}


def test_fifo_topic(preview: Preview) -> None:
    rec = preview("""
        resources:
          ledger:
            type: sns-topic
            properties: {fifoEnabled: true, contentBasedDeduplication: true,
                         subscriptions: [{type: sqs-queue, properties: {sqsQueueName: entries}}]}
          entries:
            type: sqs-queue
            properties: {fifoEnabled: true}
        """)
    assert rec.one("aws:sns/topic:Topic").inputs == {
        "name": "stacktape-dev-ledger.fifo", "fifoTopic": True, "contentBasedDeduplication": True, "tags": TAGS}
    assert rec.one("aws:sns/topicSubscription:TopicSubscription").inputs["endpoint"] == (
        f"arn:aws:sqs:{REGION}:{ACCOUNT}:stacktape-dev-entries.fifo")


TOPIC_TARGETS = """
          plain:
            type: sqs-queue
          fifo:
            type: sqs-queue
            properties: {fifoEnabled: true}
          worker:
            type: function
            properties:
              packaging: {type: custom-artifact, properties: {packagePath: handler.py, handler: 'handler.py:handler'}}
              runtime: python3.12
"""


def test_topic_errors_are_located(config_errors: Errors, tmp_path: Path) -> None:
    (tmp_path / "handler.py").write_text("def handler(event, context):\n    return None\n")
    assert config_errors("""
        resources:
          ledger:
            type: sns-topic
            properties:
              smsDisplayName: MyVeryLongName
          news:
            type: sns-topic
            properties:
              contentBasedDeduplication: true
        """) == [
        "stacktape.yml:5:23: resources.ledger.properties.smsDisplayName: String should have at most 11 characters",
        "stacktape.yml:9:34: resources.news.properties.contentBasedDeduplication: contentBasedDeduplication "
        "requires fifoEnabled: true. (hint: set fifoEnabled: true, or remove this property)",
    ]
    assert config_errors("""
        resources:
          ledger:
            type: sns-topic
            properties:
              fifoEnabled: true
              subscriptions:
                - {type: sqs-queue, properties: {sqsQueueName: plain}}
                - {type: function, properties: {functionName: worker}}
                - {type: sqs-queue, properties: {sqsQueueName: nothere}}
                - {type: sqs-queue, properties: {sqsQueueName: fifo}}
          news:
            type: sns-topic
            properties:
              subscriptions: [{type: sqs-queue, properties: {sqsQueueName: fifo}}]
        """ + TOPIC_TARGETS) == [
        "stacktape.yml:7:56: resources.ledger.properties.subscriptions[0].properties.sqsQueueName: A FIFO "
        "sns-topic can only deliver to FIFO queues; sqs-queue plain is not FIFO. (hint: set fifoEnabled: true on "
        "plain)",
        "stacktape.yml:8:18: resources.ledger.properties.subscriptions[1].type: FIFO sns-topic ledger can only "
        "deliver to FIFO SQS queues, not to functions. (hint: subscribe a FIFO sqs-queue and consume it from the "
        "function)",
        "stacktape.yml:9:56: resources.ledger.properties.subscriptions[2].properties.sqsQueueName: Referenced "
        "resource with name nothere of type sqs-queue could not be resolved in the config (referenced from "
        "ledger(sns-topic)). (hint: sqs-queue resources: plain, fifo)",
        "stacktape.yml:14:68: resources.news.properties.subscriptions[0].properties.sqsQueueName: A standard "
        "sns-topic can only deliver to standard queues; sqs-queue fifo is FIFO. (hint: set fifoEnabled: false on "
        "fifo)",
    ]


# ---- event-bus --------------------------------------------------------------------------

def test_event_bus_without_archive(preview: Preview) -> None:
    rec = preview("""
        resources:
          bus:
            type: event-bus
        """)
    assert children(rec, "bus") == ["bus-bus"]
    assert rec.one("aws:cloudwatch/eventBus:EventBus").inputs == {"name": "stacktape-dev-bus", "tags": TAGS}
    assert rec.stack_outputs["bus"] == {"arn": f"arn:aws:events:{REGION}:{ACCOUNT}:event-bus/stacktape-dev-bus"}


def test_partner_event_bus_with_archive(preview: Preview) -> None:
    source = "aws.partner/example.com/123/orders"
    rec = preview(f"""
        resources:
          partner:
            type: event-bus
            properties:
              eventSourceName: {source}
              archivation: {{enabled: true, retentionDays: 14}}
        """)
    bus = rec.one("aws:cloudwatch/eventBus:EventBus")
    assert bus.inputs == {"name": source, "eventSourceName": source, "tags": TAGS}
    assert rec.one("aws:cloudwatch/eventArchive:EventArchive").inputs == {
        "name": "stacktape-dev-partner", "eventSourceArn": f"arn:aws:events:{REGION}:{ACCOUNT}:event-bus/{source}",
        "retentionDays": 14}
    assert set(rec.stack_outputs["partner"]) == {"arn", "archiveArn"}


# ---- the Python door --------------------------------------------------------------------

def test_python_door_builds_the_same_children() -> None:
    def program() -> None:
        ctx = StackContext()
        SnsTopic("alerts", {"subscriptions": [{"type": "sqs-queue",
                                               "properties": {"sqs_queue_name": "inbox",
                                                              "raw_message_delivery": True}}]}, context=ctx)
        SqsQueue("dlq", {}, context=ctx)
        SqsQueue("inbox", {"redrive_policy": {"target_sqs_queue_name": "dlq", "max_receive_count": 4}}, context=ctx)
        Bucket("files", {"versioning": True}, context=ctx)
        DynamoDbTable("items", {"primary_key": {"partition_key": {"name": "pk", "type": "string"}},
                                "stream_type": "KEYS_ONLY"}, context=ctx)
        EventBus("bus", {"archivation": {"enabled": True}}, context=ctx)

    rec = run_offline(program)
    assert rec.one("aws:sns/topicSubscription:TopicSubscription").inputs["rawMessageDelivery"] is True
    assert json.loads(rec.one("aws:sqs/queue:Queue", "inbox-queue").inputs["redrivePolicy"])["maxReceiveCount"] == 4
    assert rec.one("aws:s3/bucketVersioning:BucketVersioning")
    assert rec.one("aws:dynamodb/table:Table").inputs["streamViewType"] == "KEYS_ONLY"
    assert rec.one("aws:cloudwatch/eventArchive:EventArchive")


@pytest.mark.parametrize("force_destroy", [True, False])
def test_a_bucket_holding_objects_is_destroyed_with_the_stack_unless_python_opts_out(force_destroy: bool) -> None:
    """The reference has no key for it: the default (on, as SST and Copilot) is turned off from Python only."""
    def program() -> None:
        if force_destroy:
            Bucket("files", {}, context=StackContext())
        else:
            Bucket("files", {}, context=StackContext(), force_destroy=False)

    rec = run_offline(program)
    assert rec.one("aws:s3/bucket:Bucket").inputs == {"bucketPrefix": "stacktape-dev-files-",
                                                      "forceDestroy": force_destroy, "tags": TAGS}


def test_two_buckets_of_a_stack_get_names_of_their_own() -> None:
    def program() -> None:
        ctx = StackContext()
        Bucket("photos", {}, context=ctx)
        Bucket("videos", {}, context=ctx)

    rec = run_offline(program)
    names = {name: (rec.one("stacktape:index:Bucket", name).outputs or {})["name"] for name in ("photos", "videos")}
    assert names == {"photos": offline_bucket("photos"), "videos": offline_bucket("videos")}
    assert offline_bucket("photos").removeprefix("stacktape-dev-photos-") != offline_bucket(
        "videos").removeprefix("stacktape-dev-videos-")


def test_python_door_errors() -> None:
    def program() -> None:
        ctx = StackContext()
        with pytest.raises(ArgsError) as bad_args:
            SqsQueue("q", {"visibility_timeout_seconds": -1, "max_message_size_bytes": 10}, context=ctx)
        assert str(bad_args.value) == (
            "SqsQueue 'q': maxMessageSizeBytes: 10 is out of range: input should be greater than or equal to 1024\n"
            "SqsQueue 'q': visibilityTimeoutSeconds: -1 is out of range: input should be greater than or equal to 0")
        with pytest.raises(ArgsError, match="fifoHighThroughput: fifoHighThroughput requires fifoEnabled: true"):
            SqsQueue("q", {"fifo_high_throughput": True}, context=ctx)
        with pytest.raises(StacktapeError, match="cdn is not supported yet"):
            Bucket("b", {"cdn": {"enabled": True}}, context=ctx)
        with pytest.raises(StacktapeError, match="must be created before"):
            SqsQueue("late", {"redrive_policy": {"target_sqs_queue_name": "missing", "max_receive_count": 1}},
                     context=ctx)
        SqsQueue("built", {}, context=ctx)
        with pytest.raises(StacktapeError, match="SqsQueue 'built' already exists; create the topic first"):
            SnsTopic("t", {"subscriptions": [{"type": "sqs-queue", "properties": {"sqs_queue_name": "built"}}]},
                     context=ctx)

    run_offline(program)
