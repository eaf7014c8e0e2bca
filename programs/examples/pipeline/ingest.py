"""Reads each uploaded CSV and sends one message per row to the queue (STP_ROWS_URL from connectTo)."""

import csv
import io
import json
import os

import boto3

s3 = boto3.client("s3")
sqs = boto3.client("sqs")


def handler(event, context):
    for record in event["Records"]:
        obj = s3.get_object(Bucket=record["s3"]["bucket"]["name"], Key=record["s3"]["object"]["key"])
        rows = csv.DictReader(io.StringIO(obj["Body"].read().decode("utf-8")))
        for row in rows:
            sqs.send_message(QueueUrl=os.environ["STP_ROWS_URL"], MessageBody=json.dumps(row))
