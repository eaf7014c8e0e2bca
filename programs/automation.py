"""Deploying a config through the Pulumi Automation API (needs the Pulumi CLI on PATH).

    python programs/automation.py programs/examples/multi-container.yml dev eu-west-1 [--destroy]
"""

import sys
from pathlib import Path

from pulumi import automation as auto

from stacktape_pulumi import inline_program

PROJECT = "stacktape-pulumi"


def select_stack(config_path: str, stage: str, region: str) -> auto.Stack:
    """Create or select the stack `stage` whose inline program deploys `config_path`."""
    stack = auto.create_or_select_stack(stack_name=stage, project_name=PROJECT,
                                        program=inline_program(Path(config_path)))
    stack.set_config("aws:region", auto.ConfigValue(value=region))
    return stack


def main(argv: list[str]) -> int:
    if len(argv) < 3:
        print(__doc__, file=sys.stderr)
        return 2
    config_path, stage, region = argv[:3]
    stack = select_stack(config_path, stage, region)
    if "--destroy" in argv:
        stack.destroy(on_output=print)
    else:
        result = stack.up(on_output=print)
        for key, value in result.outputs.items():
            print(f"{key}: {value.value}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
