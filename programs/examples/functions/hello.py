"""A Lambda function behind an HTTP API (payload format 2.0)."""

import json
import os
from typing import Any


def handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    name = (event.get("pathParameters") or {}).get("name", "world")
    body = {"message": f"hello {name}", "stage": os.environ.get("STAGE")}
    return {"statusCode": 200, "headers": {"content-type": "application/json"}, "body": json.dumps(body)}
