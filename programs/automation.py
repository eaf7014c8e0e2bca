"""Deploying a config through the Pulumi Automation API from Python (needs the Pulumi CLI on PATH).

    python programs/automation.py programs/examples/multi-container.yml dev eu-west-1 [--destroy]

The same as `stacktape-pulumi up|destroy CONFIG --stage STAGE --region REGION`: the config is
validated first, the Pulumi project is its `serviceName` and the Pulumi stack its stage.
"""

import sys

from stacktape_pulumi import automation
from stacktape_pulumi.errors import ConfigError, StacktapeError
from stacktape_pulumi.load import load_config


def main(argv: list[str]) -> int:
    if len(argv) < 3:
        print(__doc__, file=sys.stderr)
        return 2
    config_path, stage, region = argv[:3]
    try:
        loaded = load_config(config_path, stage=stage, region=region)
        if "--destroy" in argv:
            automation.destroy(loaded)
            return 0
        for key, value in automation.up(loaded).items():
            print(f"{key}: {value}")
    except ConfigError as exc:
        print(exc.render(), file=sys.stderr)
        return 1
    except StacktapeError as exc:
        print(exc, file=sys.stderr)
        return 3
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
