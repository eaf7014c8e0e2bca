"""A preview imports only what its config uses: component modules by resource type, SDKs by feature.

Each AWS service module, the docker-build and command SDKs cost ~0.05-0.25 s to import, paid in every
`stacktape-pulumi preview` process; a config without functions, log forwarding, image builds or
CloudFormation resources must not load them.
"""

import json
import subprocess
import sys
from pathlib import Path

EXAMPLE = Path(__file__).resolve().parent.parent / "programs" / "examples" / "multi-container.yml"

# Modules a preview of EXAMPLE (prebuilt images, no functions, no log forwarding) must not import.
UNUSED = [
    "stacktape_pulumi.components.function",
    "stacktape_pulumi.components.function_events",
    "stacktape_pulumi.components.bucket",
    "stacktape_pulumi.components.cloudformation",
    "stacktape_pulumi.components.relational_database",
    "pulumi_aws.kinesis",
    "pulumi_aws.lambda_",
    "pulumi_docker_build",
    "pulumi_command",
    "pulumi_aws_native",
    "stacktape_pulumi.args",  # the components' args TypedDicts: annotations only (schema.registry reads them)
]

PROGRAM = """
import json, sys
from stacktape_pulumi.engine.preview import preview_config
from stacktape_pulumi.load import load_config
recording = preview_config(load_config(sys.argv[1]))
# pulumi_aws registers every service module at import, lazily (importlib's LazyLoader): one counts as
# imported once its code ran, when its class is no longer the lazy placeholder.
loaded = [name for name, module in sys.modules.items() if type(module).__name__ != "_LazyModule"]
print(json.dumps({"resources": len(recording.resources), "modules": sorted(loaded)}))
"""


def test_a_preview_imports_only_the_modules_its_resource_types_need() -> None:
    text = EXAMPLE.read_text()
    assert "logForwarding" not in text
    assert "type: function" not in text
    assert "prebuilt-image" in text
    done = subprocess.run([sys.executable, "-c", PROGRAM, str(EXAMPLE)], capture_output=True, text=True, check=True)
    result = json.loads(done.stdout)
    assert result["resources"] > 0
    modules = set(result["modules"])
    assert "stacktape_pulumi.components.workload" in modules  # the test sees the preview's imports
    assert "pulumi_aws.ecs" in modules
    assert [name for name in UNUSED if name in modules] == []
