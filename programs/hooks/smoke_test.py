"""An ECS deployment lifecycle hook: smoke-test the new tasks before (or after) they get production traffic.

Use it as `beforeAllowTrafficFunction` (ECS calls it at POST_TEST_TRAFFIC_SHIFT: the test listener
already reaches the new tasks, users do not) or as `afterTrafficShiftFunction` (at
POST_PRODUCTION_TRAFFIC_SHIFT). The contract is ECS's, not CodeDeploy's: no SDK call, the function
*returns* its verdict:

    {"hookStatus": "SUCCEEDED"}    the deployment continues
    {"hookStatus": "FAILED"}       ECS rolls back to the previous revision
    {"hookStatus": "IN_PROGRESS", "callBackDelay": 30}    ECS asks again after that many seconds

An exception or any other answer also rolls the deployment back. Environment: `TEST_URL`, the URL to
request (e.g. the load balancer on the test listener port); `EXPECTED_STATUS` (default 200);
`ATTEMPTS` (default 5) tries, `RETRY_SECONDS` (default 3) apart, before the hook fails.
"""

import json
import os
import time
import urllib.error
import urllib.request
from typing import Any

TIMEOUT_SECONDS = 5


def check(url: str, expected: int) -> tuple[bool, str]:
    """Whether `url` answers `expected`, and what happened."""
    try:
        with urllib.request.urlopen(url, timeout=TIMEOUT_SECONDS) as response:
            status = response.status
    except urllib.error.HTTPError as error:
        status = error.code
    except (urllib.error.URLError, OSError) as error:
        return False, f"{url}: {error}"
    return status == expected, f"{url}: HTTP {status}"


def handler(event: dict[str, Any], context: Any) -> dict[str, str]:
    url = os.environ["TEST_URL"]
    expected = int(os.environ.get("EXPECTED_STATUS", "200"))
    attempts = int(os.environ.get("ATTEMPTS", "5"))
    pause = float(os.environ.get("RETRY_SECONDS", "3"))
    outcome = ""
    for attempt in range(attempts):
        ok, outcome = check(url, expected)
        print(json.dumps({"stage": event.get("lifecycleStage"), "attempt": attempt + 1, "result": outcome}))
        if ok:
            return {"hookStatus": "SUCCEEDED"}
        if attempt + 1 < attempts:
            time.sleep(pause)
    return {"hookStatus": "FAILED"}
