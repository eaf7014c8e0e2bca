"""The cases behind tests/goldens: every example and test fixture, rendered as the CLI prints it."""

import contextlib
import io
import os
from dataclasses import dataclass
from pathlib import Path

from stacktape_pulumi.cli import main

ROOT = Path(__file__).resolve().parent.parent
GOLDENS = ROOT / "tests" / "goldens"
# Where the checkout lies is not part of the output a golden pins.
ROOT_MARK = "<project-root>"


@dataclass(frozen=True)
class GoldenCase:
    config: Path  # relative to ROOT

    @property
    def golden_name(self) -> str:
        return str(self.config.with_suffix("")).replace(os.sep, "__") + ".txt"


def golden_cases() -> list[GoldenCase]:
    found = [*sorted((ROOT / "programs" / "examples").glob("*.yml")),
             *sorted((ROOT / "tests" / "fixtures").rglob("*.yml"))]
    return [GoldenCase(path.relative_to(ROOT)) for path in found]


def render_case(case: GoldenCase) -> str:
    """`preview --json` of the config, or, when it is refused, the exit code and what `validate` printed."""
    out, err = io.StringIO(), io.StringIO()
    cwd = Path.cwd()
    os.chdir(ROOT)
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            code = main(["preview", str(case.config), "--json"])
    finally:
        os.chdir(cwd)
    text = out.getvalue() if code == 0 else f"exit {code}\n{err.getvalue()}"
    return text.replace(str(ROOT), ROOT_MARK)
