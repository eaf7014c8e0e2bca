"""Write the README's Python examples out as modules, so type checkers can check what users copy.

`python tools/readme_examples.py DIR` writes each ```python block of README.md to
`DIR/readme_example_<n>.py` (numbered in README order) with the checkers' configuration (`mypy.ini`:
strict; `pyrightconfig.json`: strict) and prints their paths; `make lint` runs mypy and pyright in
DIR, so the package is found as a user finds it: through its installation (`pip install -e .`).
Blocks that use the SDK `pulumi package add` generates (`pulumi_stacktape`) are left out: that SDK
is generated in the user's program, not installed here.
"""

import json
import re
import shutil
import sys
from pathlib import Path

README = Path(__file__).resolve().parent.parent / "README.md"
# A fenced block: ```python, its lines, the closing ```.
BLOCK = re.compile(r"^```python\n(.*?)^```$", re.MULTILINE | re.DOTALL)
GENERATED_SDK = re.compile(r"^\s*(import|from)\s+pulumi_stacktape\b", re.MULTILINE)


def python_examples(markdown: str) -> list[str]:
    """The ```python blocks of `markdown` that run against this package, in order."""
    return [block for block in BLOCK.findall(markdown) if not GENERATED_SDK.search(block)]


def write_examples(directory: Path, markdown: str) -> list[Path]:
    """Write the examples to `directory` (emptied first); return their paths."""
    if directory.exists():
        shutil.rmtree(directory)
    directory.mkdir(parents=True)
    # In DIR, each checker reads these first, not the project's own settings (its files, its mypy_path).
    (directory / "mypy.ini").write_text("[mypy]\nstrict = True\n")
    (directory / "pyrightconfig.json").write_text(json.dumps({"typeCheckingMode": "strict"}) + "\n")
    paths = []
    for number, block in enumerate(python_examples(markdown), start=1):
        path = directory / f"readme_example_{number}.py"
        path.write_text(block)
        paths.append(path)
    return paths


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print("usage: python tools/readme_examples.py DIR", file=sys.stderr)
        return 2
    for path in write_examples(Path(argv[0]), README.read_text(encoding="utf-8")):
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
