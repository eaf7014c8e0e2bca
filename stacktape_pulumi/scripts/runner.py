"""Run one script's commands or files, in order, in its working directory; the first failure stops it.

Commands run in the system shell (`/bin/sh -c`, as the reference's `executeCommand`). Files run
with the interpreter their extension names (`directives.interpreters`). With `pipeStdio: false`
the output is captured and shown only when a step fails.
"""

import shutil
import subprocess
import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

from stacktape_pulumi.config.models.scripts import LocalScriptProps
from stacktape_pulumi.directives import interpreters
from stacktape_pulumi.directives.interpreters import InterpreterMissing, NodeVersion, Which
from stacktape_pulumi.scripts import ScriptError

Printer = Callable[[str], object]


@dataclass(frozen=True)
class Step:
    """One thing a script runs: the argv (or shell command) and how to name it in messages."""

    argv: list[str] | str
    shown: str


def interpreter(path: str, which: Which = shutil.which, node_version: NodeVersion | None = None) -> list[str]:
    """The command that runs a script file, or a ScriptError saying what to install."""
    try:
        return interpreters.interpreter(path, which, node_version)
    except InterpreterMissing as exc:
        raise ScriptError(str(exc)) from None


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

