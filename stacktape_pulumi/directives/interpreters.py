"""The command that runs a JavaScript, TypeScript or Python file on this machine.

Shared by custom directives (`directives.custom`) and scripts (`scripts.runner`): Python files run
with `python3` (else this Python), JavaScript with `node`, TypeScript with `tsx` when installed,
else Node's own type stripping (Node ≥ 22.6).
"""

import re
import sys
from collections.abc import Callable

from stacktape_pulumi.errors import StacktapeError

PYTHON_FILES = (".py",)
JAVASCRIPT_FILES = (".js", ".mjs", ".cjs")
TYPESCRIPT_FILES = (".ts", ".mts", ".cts")
# Node strips TypeScript types itself from 22.6 on (behind --experimental-strip-types).
NODE_STRIPS_TYPES = (22, 6)

Which = Callable[[str], str | None]
NodeVersion = Callable[[str], tuple[int, int]]


class InterpreterMissing(StacktapeError):
    """What to install to run a file of this kind."""


def interpreter(path: str, which: Which, node_version: NodeVersion | None = None) -> list[str]:
    """The command that runs the file at `path` (its arguments follow)."""
    if path.endswith(PYTHON_FILES):
        return [which("python3") or sys.executable]
    return node_command(path, which, node_version)


def node_command(path: str, which: Which, node_version: NodeVersion | None = None) -> list[str]:
    """The Node.js command for a JavaScript or TypeScript file."""
    node = which("node")
    if node is None:
        raise InterpreterMissing(f"running '{path}' needs Node.js ('node' on PATH): install it from "
                                 "https://nodejs.org")
    if not path.endswith(TYPESCRIPT_FILES):
        return [node]
    tsx = which("tsx")
    if tsx is not None:
        return [tsx]
    version = (node_version or _node_version)(node)
    if version >= NODE_STRIPS_TYPES:
        return [node, "--experimental-strip-types"]
    raise InterpreterMissing(f"running TypeScript file '{path}' needs 'tsx' on PATH (npm install --global tsx) "
                             f"or Node.js 22.6 or newer (this is {version[0]}.{version[1]})")


def _node_version(node: str) -> tuple[int, int]:
    import subprocess  # only here: `validate` imports this module, and asks Node's version only for TypeScript

    found = re.match(r"v(\d+)\.(\d+)", subprocess.run([node, "--version"], capture_output=True, text=True,
                                                       check=False).stdout)
    return (int(found[1]), int(found[2])) if found else (0, 0)
