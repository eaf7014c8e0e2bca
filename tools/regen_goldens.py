#!/usr/bin/env python3
"""Write tests/goldens: what `preview --json` (or `validate`, for configs it refuses) prints for every
example and test fixture. tests/test_goldens.py compares today's output with them, so a change meant
to keep behaviour (a refactoring) proves it did. Run from the project root after a change that is
meant to alter the output, and review the diff.
"""

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.golden_support import GOLDENS, golden_cases, render_case  # noqa: E402


def main() -> int:
    GOLDENS.mkdir(parents=True, exist_ok=True)
    written = set()
    for case in golden_cases():
        target = GOLDENS / case.golden_name
        target.write_text(render_case(case), encoding="utf-8")
        written.add(target.name)
    for stale in GOLDENS.iterdir():
        if stale.name not in written:
            stale.unlink()
    print(f"{len(written)} goldens in {GOLDENS.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
