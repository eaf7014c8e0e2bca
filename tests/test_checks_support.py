"""`stacktape_pulumi.checks.support` says what the component registries say, and `validate` runs without them.

The validate side (config/, directives/ but the runtime resolver, checks/, load.py) loads
neither the components nor Pulumi: they take seconds to import and `validate` needs none of it.
"""

import subprocess
import sys
from pathlib import Path

from stacktape_pulumi.aws import cloudformation as aws_cloudformation
from stacktape_pulumi.checks import cloudformation as checks_cloudformation
from stacktape_pulumi.checks.support import PACKAGING_TYPES, WORKLOAD_EVENT_TYPES
from stacktape_pulumi.components.build import COMPONENTS_BY_TYPE
from stacktape_pulumi.components.packaging import IMAGE_BUILDERS
from stacktape_pulumi.components.workload_events import EVENT_HANDLERS
from stacktape_pulumi.config import stack
from stacktape_pulumi.config.models import service as service_models
from stacktape_pulumi.config.models.root import SUPPORTED_RESOURCE_TYPES

EXAMPLES = Path(__file__).resolve().parent.parent / "programs" / "examples"
EXAMPLE = EXAMPLES / "multi-container.yml"


def test_declared_resource_types_are_the_components() -> None:
    assert sorted(SUPPORTED_RESOURCE_TYPES) == sorted(COMPONENTS_BY_TYPE)


def test_declared_packaging_types_are_the_image_builders() -> None:
    assert sorted(PACKAGING_TYPES) == sorted(IMAGE_BUILDERS)


def test_declared_event_types_are_the_event_handlers() -> None:
    assert sorted(WORKLOAD_EVENT_TYPES) == sorted(EVENT_HANDLERS)


def _last_line_printed(script: str, *, stderr: bool = False, timeout: int = 120) -> str:
    """What a script run in a fresh interpreter (nothing imported yet) printed last (to stdout, or stderr)."""
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=timeout)
    assert done.returncode == 0, done.stderr
    return (done.stderr if stderr else done.stdout).splitlines()[-1]


def _after_validate(example: Path, report: str) -> str:
    """`validate example` through the CLI in a fresh interpreter, then the exit code and `report` evaluated."""
    return _last_line_printed("import sys\nfrom stacktape_pulumi.cli import main\n"
                              f"code = main(['validate', {str(example)!r}])\n"
                              f"print(code, {report})\n")


def test_validate_imports_no_component() -> None:
    # The components import the AWS SDK's resource classes (about 1.5 s); validate needs none of them.
    report = "sorted(m for m in sys.modules if m.startswith('stacktape_pulumi.components'))"
    assert _after_validate(EXAMPLE, report) == "0 []"


def test_validate_loads_the_models_and_checks_of_the_types_a_config_uses() -> None:
    # The example is workloads with prebuilt images on Fargate: the models and checks of other resource
    # types, the service expansion, the image builders and the EC2 instance tables stay unloaded.
    report = ("sorted(m.removeprefix('stacktape_pulumi.') for m in sys.modules if m.startswith("
              "('stacktape_pulumi.config.models.', 'stacktape_pulumi.checks.', 'stacktape_pulumi.config.services', "
              "'stacktape_pulumi.images', 'stacktape_pulumi.aws')))")
    loaded = _after_validate(EXAMPLE, report)
    assert loaded == "0 " + str(sorted([
        *(f"config.models.{name}" for name in ("cloudformation", "common", "provider_config", "root", "scripts",
                                               "shared", "workload")),
        *(f"checks.{name}" for name in ("cloudformation", "connect_targets", "connect_to", "containers",
                                        "cross_resource", "deployments", "environment", "graph", "log_forwarding",
                                        "packaging", "references", "registry", "resource_params", "scripts",
                                        "support", "traffic", "volume_mounts", "warnings")),
    ]))


def test_the_stack_view_knows_the_service_types() -> None:
    assert set(stack.SERVICE_TYPES) == set(service_models.SERVICE_TYPES)


def test_validate_without_functions_imports_no_lambda_packaging() -> None:
    # lambda_packaging (poetry-core, packaging) is only needed to check functions' packaging.
    report = ("sorted(m for m in sys.modules if m.startswith('stacktape_pulumi.lambda_packaging')"
              " or m.split('.')[0] in ('poetry', 'packaging'))")
    assert _after_validate(EXAMPLE, report) == "0 []"


def test_validate_with_functions_imports_lambda_packaging() -> None:
    # The lazy import must still run the packaging checks of a config that has functions.
    report = "'stacktape_pulumi.lambda_packaging' in sys.modules"
    assert _after_validate(EXAMPLES / "function-http-api.yml", report) == "0 True"


def test_validate_without_cloudformation_imports_no_cloudformation_schemas() -> None:
    # checks.cloudformation reads the registry schemas (aws.cloudformation) only for configs that use them.
    report = "sorted(m for m in ('stacktape_pulumi.aws.cloudformation', 'jsonschema') if m in sys.modules)"
    assert _after_validate(EXAMPLE, report) == "0 []"


def test_validate_without_file_git_or_node_directives_imports_no_subprocess_json_or_configparser() -> None:
    # The directives import them when a $File is parsed, git is asked or a JavaScript directive runs
    # (with subprocess's own imports, ~5 ms of every validate); nothing else on the validate side needs them.
    text = EXAMPLE.read_text()
    assert [word for word in ("$File", "$Git", "directives:") if word in text] == []
    report = "sorted(m for m in ('subprocess', 'json', 'configparser') if m in sys.modules)"
    assert _after_validate(EXAMPLE, report) == "0 []"


def test_the_cloudformation_checks_ref_is_the_schemas_ref() -> None:
    # checks.cloudformation keeps its own copy of the constant so that it need not import aws.cloudformation.
    assert checks_cloudformation.REF == aws_cloudformation.REF


def test_the_validate_side_imports_no_pulumi() -> None:
    # Every module of config/ and checks/, every directives module but the runtime resolver, and
    # load_config run on every example, in a fresh interpreter: neither pulumi nor pulumi_aws loads.
    script = ("import importlib, pkgutil, sys\n"
              "import stacktape_pulumi.checks, stacktape_pulumi.config, stacktape_pulumi.directives\n"
              "from stacktape_pulumi.load import load_config\n"
              "for package in (stacktape_pulumi.checks, stacktape_pulumi.config, stacktape_pulumi.directives):\n"
              "    for module in pkgutil.walk_packages(package.__path__, package.__name__ + '.'):\n"
              "        if module.name != 'stacktape_pulumi.directives.runtime':\n"
              "            importlib.import_module(module.name)\n"
              f"for example in {sorted(str(p) for p in EXAMPLES.glob('*.yml'))!r}:\n"
              "    load_config(example)\n"
              "print(sorted(m for m in ('pulumi', 'pulumi_aws') if m in sys.modules))\n")
    assert _last_line_printed(script) == "[]"


def test_a_preview_imports_only_the_aws_services_it_builds() -> None:
    # Component annotations are postponed: a stack without buckets or functions never imports
    # pulumi_aws.s3 (~0.25 s) or pulumi_aws.lambda_, which the bucket and function modules name.
    script = ("import sys\nfrom stacktape_pulumi.cli import main\n"
              f"code = main(['preview', {str(EXAMPLE)!r}, '--json'])\n"
              "loaded = sorted(m for m in ('s3', 'lambda_', 'dynamodb', 'apigatewayv2', 'ecs', 'ec2')\n"
              "                if f'pulumi_aws.{m}._inputs' in sys.modules)\n"
              "print(code, loaded, file=sys.stderr)\n")
    assert _last_line_printed(script, stderr=True, timeout=300) == "0 ['ec2', 'ecs']"
