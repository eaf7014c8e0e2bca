"""The README's Python examples as `make lint` type-checks them (tools/readme_examples.py)."""

import json
from pathlib import Path

from tests.module_support import load_module

ROOT = Path(__file__).resolve().parent.parent
examples = load_module(ROOT / "tools" / "readme_examples.py")


def test_every_python_example_of_the_readme_is_checked_but_the_generated_sdks() -> None:
    markdown = (ROOT / "README.md").read_text(encoding="utf-8")
    found = examples.python_examples(markdown)
    assert markdown.count("```python\n") == len(found) + 1  # the one `import pulumi_stacktape` example
    assert found[0] == 'from stacktape_pulumi import deploy\ndeploy("stacktape.yml")\n'
    assert all("pulumi_stacktape" not in block for block in found)


def test_examples_are_written_with_strict_checker_settings(tmp_path: Path) -> None:
    markdown = "```python\nx: int = 1\n```\ntext\n```python\nimport pulumi_stacktape\n```\n```python\ny = 2\n```\n"
    paths = examples.write_examples(tmp_path / "out", markdown)
    assert [(path.name, path.read_text()) for path in paths] == [
        ("readme_example_1.py", "x: int = 1\n"), ("readme_example_2.py", "y = 2\n")]
    assert (tmp_path / "out" / "mypy.ini").read_text() == "[mypy]\nstrict = True\n"
    assert json.loads((tmp_path / "out" / "pyrightconfig.json").read_text()) == {"typeCheckingMode": "strict"}
