"""`stacktape_pulumi.checks.support` says what the component registries say, and `validate` runs without them."""

import subprocess
import sys
from pathlib import Path

from stacktape_pulumi.checks.support import PACKAGING_TYPES, WORKLOAD_EVENT_TYPES
from stacktape_pulumi.components.build import COMPONENTS_BY_TYPE
from stacktape_pulumi.components.packaging import IMAGE_BUILDERS
from stacktape_pulumi.components.workload_events import EVENT_HANDLERS
from stacktape_pulumi.config.models.root import SUPPORTED_RESOURCE_TYPES

EXAMPLE = Path(__file__).resolve().parent.parent / "programs" / "examples" / "multi-container.yml"


def test_declared_resource_types_are_the_components() -> None:
    assert sorted(SUPPORTED_RESOURCE_TYPES) == sorted(COMPONENTS_BY_TYPE)


def test_declared_packaging_types_are_the_image_builders() -> None:
    assert sorted(PACKAGING_TYPES) == sorted(IMAGE_BUILDERS)


def test_declared_event_types_are_the_event_handlers() -> None:
    assert sorted(WORKLOAD_EVENT_TYPES) == sorted(EVENT_HANDLERS)


def test_validate_imports_no_component() -> None:
    # The components import the AWS SDK's resource classes (about 1.5 s); validate needs none of them.
    script = ("import sys\nfrom stacktape_pulumi.cli import main\n"
              f"code = main(['validate', {str(EXAMPLE)!r}])\n"
              "loaded = sorted(m for m in sys.modules if m.startswith('stacktape_pulumi.components'))\n"
              "print(code, loaded)\n")
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[-1] == "0 []"


def test_a_preview_imports_only_the_aws_services_it_builds() -> None:
    # Component annotations are postponed: a stack without buckets or functions never imports
    # pulumi_aws.s3 (~0.25 s) or pulumi_aws.lambda_, which the bucket and function modules name.
    script = ("import sys\nfrom stacktape_pulumi.cli import main\n"
              f"code = main(['preview', {str(EXAMPLE)!r}, '--json'])\n"
              "loaded = sorted(m for m in ('s3', 'lambda_', 'dynamodb', 'apigatewayv2', 'ecs', 'ec2')\n"
              "                if f'pulumi_aws.{m}._inputs' in sys.modules)\n"
              "print(code, loaded, file=sys.stderr)\n")
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert done.stderr.splitlines()[-1] == "0 ['ec2', 'ecs']"
