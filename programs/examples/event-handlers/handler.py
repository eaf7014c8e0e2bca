"""One handler for every event source of programs/examples/event-driven.yml: it logs what arrived."""

import json
from typing import Any


def handler(event: dict[str, Any], context: object) -> dict[str, Any]:
    # Queues and streams deliver `Records`; EventBridge, schedules and log subscriptions one event.
    records = event.get("Records") or [event]
    print(json.dumps({"received": len(records)}))
    return {"batchItemFailures": []}
