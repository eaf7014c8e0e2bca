"""The stack plan: one pure function from a checked config to what the whole stack needs (table-tested)."""

import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from stacktape_pulumi.load import load_config
from stacktape_pulumi.plan import StackPlan

WORKLOAD = """
  {name}:
    type: multi-container-workload
    properties:
      resources: {{cpu: 0.25, memory: 512}}
      {extra}
      containers:
        - name: app
          packaging: {{type: prebuilt-image, properties: {{image: nginx:1.27}}}}
          {environment}
          events: {events}
"""


def workload(name: str, *, events: str = "[]", extra: str = "", environment: str = "") -> str:
    return WORKLOAD.format(name=name, events=events, extra=extra, environment=environment)


def http_event(gateway: str, method: str, path: str) -> str:
    return (f"{{type: http-api-gateway, properties: {{httpApiGatewayName: {gateway}, containerPort: 80, "
            f"method: '{method}', path: '{path}'}}}}")


GATEWAY = "\n  api:\n    type: http-api-gateway\n"
BUCKET = "\n  files:\n    type: bucket\n"

CASES: list[tuple[str, str, StackPlan]] = [
    ("a bucket alone needs nothing shared", BUCKET, StackPlan(order=("files",))),
    ("private subnets when a workload asks for them",
     BUCKET + workload("jobs", extra="usePrivateSubnetsWithNAT: true"),
     StackPlan(order=("files", "jobs"), private_subnets=True)),
    ("service connect when a workload exposes a port",
     workload("users", events="[{type: service-connect, properties: {containerPort: 3000}}]") + workload("web"),
     StackPlan(order=("users", "web"), service_connect=True)),
    ("each gateway's CORS methods are its routes' methods",
     workload("shop", events=f"[{http_event('api', 'GET', '/a')}, {http_event('api', 'POST', '/b')}, "
                             f"{http_event('api', 'GET', '/c')}]") + GATEWAY,
     StackPlan(order=("api", "shop"), http_api_methods={"api": ("GET", "POST")})),
    ("a referenced resource is created first",
     workload("web", environment="environment: [{name: BUCKET, value: \"$ResourceParam('files', 'name')\"}]")
     + BUCKET,
     StackPlan(order=("files", "web"))),
]


@pytest.mark.parametrize(("config", "expected"), [(c, e) for _, c, e in CASES], ids=[i for i, _, _ in CASES])
def test_plan_of_a_config(write_config: Callable[[str], Path], config: str, expected: StackPlan) -> None:
    assert load_config(write_config("resources:" + config)).plan == expected


def test_components_built_one_by_one_get_an_empty_plan() -> None:
    assert StackPlan() == StackPlan(order=(), private_subnets=False, service_connect=False, http_api_methods={})


def test_the_plan_imports_no_pulumi() -> None:
    script = ("import sys\nimport stacktape_pulumi.plan\n"
              "print(sorted(m for m in ('pulumi', 'pulumi_aws') if m in sys.modules))")
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120, check=True)
    assert done.stdout.strip() == "[]"
