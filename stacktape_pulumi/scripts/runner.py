"""Run one script's commands or files, in order, in its working directory; the first failure stops it.

Commands run in the system shell (`/bin/sh -c`, as the reference's `executeCommand`). Files run
with the interpreter their extension names: Python files with `python3` (else this Python),
JavaScript with `node`, TypeScript with `tsx` when installed, else Node's own type stripping
(Node ≥ 22.6). With `pipeStdio: false` the output is captured and shown only when a step fails.
"""

import re
import shutil
import subprocess
import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

from stacktape_pulumi.config.models.scripts import LocalScriptProps
from stacktape_pulumi.scripts import ScriptError

PYTHON_FILES = (".py",)
JAVASCRIPT_FILES = (".js", ".mjs", ".cjs")
TYPESCRIPT_FILES = (".ts", ".mts", ".cts")
# Node strips TypeScript types itself from 22.6 on (behind --experimental-strip-types).
NODE_STRIPS_TYPES = (22, 6)

Printer = Callable[[str], object]


@dataclass(frozen=True)
class Step:
    """One thing a script runs: the argv (or shell command) and how to name it in messages."""

    argv: list[str] | str
    shown: str


def interpreter(path: str, which: Callable[[str], str | None] = shutil.which,
                node_version: Callable[[str], tuple[int, int]] | None = None) -> list[str]:
    """The command that runs a script file, or a ScriptError saying what to install."""
    if path.endswith(PYTHON_FILES):
        return [which("python3") or sys.executable]
    node = which("node")
    if node is None:
        raise ScriptError(f"running '{path}' needs Node.js ('node' on PATH): install it from https://nodejs.org")
    if path.endswith(JAVASCRIPT_FILES):
        return [node]
    tsx = which("tsx")
    if tsx is not None:
        return [tsx]
    version = (node_version or _node_version)(node)
    if version >= NODE_STRIPS_TYPES:
        return [node, "--experimental-strip-types"]
    raise ScriptError(f"running TypeScript file '{path}' needs 'tsx' on PATH (npm install --global tsx) or "
                      f"Node.js 22.6 or newer (this is {version[0]}.{version[1]})")


def _node_version(node: str) -> tuple[int, int]:
    found = re.match(r"v(\d+)\.(\d+)", subprocess.run([node, "--version"], capture_output=True, text=True,
                                                       check=False).stdout)
    return (int(found[1]), int(found[2])) if found else (0, 0)


def steps(props: LocalScriptProps) -> list[Step]:
    """The script's steps, each ready to run."""
    return [Step(text, f"command '{text}'") if kind == "command" else Step([*interpreter(text), text],
                                                                           f"script file '{text}'")
            for kind, text in props.steps()]


def run_script(name: str, props: LocalScriptProps, config_dir: Path, env: Mapping[str, str],
               echo: Printer) -> None:
    """Run every step of script `name`; raise ScriptError naming the step that failed and its exit code."""
    cwd = config_dir / props.cwd if props.cwd else config_dir
    if not cwd.is_dir():
        raise ScriptError(f"script '{name}': cwd '{cwd}' does not exist")
    for step in steps(props):
        echo(f"script '{name}': running {step.shown}")
        try:
            done = subprocess.run(step.argv, shell=isinstance(step.argv, str), cwd=cwd, env=dict(env), check=False,
                                  stdout=None if props.pipeStdio else subprocess.PIPE,
                                  stderr=None if props.pipeStdio else subprocess.STDOUT,
                                  stdin=None if props.pipeStdio else subprocess.DEVNULL)
        except OSError as exc:
            raise ScriptError(f"script '{name}': cannot start {step.shown}: {exc.strerror}") from None
        if done.returncode != 0:
            if done.stdout:
                sys.stderr.write(done.stdout.decode(errors="replace"))
            raise ScriptError(f"script '{name}': {step.shown} exited with code {done.returncode}")

