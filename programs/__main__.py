"""The YAML-driven Pulumi program: `pulumi up` in the repository root deploys the configured file.

Choose the file with `pulumi config set stacktape-pulumi:config path/to/stacktape.yml`.
"""

from pathlib import Path

import pulumi

from stacktape_pulumi import deploy

ROOT = Path(__file__).resolve().parent.parent
config_path = pulumi.Config().get("config") or "programs/examples/multi-container.yml"
deploy(ROOT / config_path)
