"""Writes each queued row to the table (STP_RESULTS_NAME from connectTo); failed rows are retried alone."""

import json
import os

import boto3

table = boto3.resource("dynamodb").Table(os.environ["STP_RESULTS_NAME"])


def handler(event, context):
    failures = []
    for record in event["Records"]:
        try:
            table.put_item(Item=json.loads(record["body"]))
        except Exception:  # report the message, not the batch: only it is retried
            failures.append({"itemIdentifier": record["messageId"]})
    return {"batchItemFailures": failures}
