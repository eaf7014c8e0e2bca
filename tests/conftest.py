"""Shared test helpers: write small configs into tmp_path, load them, preview them offline."""

import shutil
import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest

from stacktape_pulumi.engine import Recording
from stacktape_pulumi.engine.preview import preview_config
from stacktape_pulumi.errors import ConfigError
from stacktape_pulumi.load import load_config
from tests.automation_support import FakeAutomation, install

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "programs" / "examples"


@pytest.fixture
def cfg(tmp_path: Path) -> str:
    """The config file name as it appears in rendered issues (of configs written as tmp_path/stacktape.yml)."""
    return str(tmp_path / "stacktape.yml")


@pytest.fixture
def write_config(tmp_path: Path) -> Callable[[str], Path]:
    def write(text: str, name: str = "stacktape.yml") -> Path:
        path = tmp_path / name
        path.write_text(textwrap.dedent(text).lstrip("\n"))
        return path

    return write


@pytest.fixture
def preview(write_config: Callable[[str], Path]) -> Callable[[str], Recording]:
    def run(text: str) -> Recording:
        return preview_config(load_config(write_config(text)))

    return run


@pytest.fixture
def config_errors(write_config: Callable[[str], Path], tmp_path: Path) -> Callable[[str], list[str]]:
    """Rendered issues of a config, with the tmp path replaced by `stacktape.yml`."""

    def run(text: str) -> list[str]:
        path = write_config(text)
        try:
            load_config(path)
        except ConfigError as exc:
            return [line.replace(str(path), "stacktape.yml") for line in exc.render().splitlines()]
        return []

    return run


def needs_pulumi_cli() -> pytest.MarkDecorator:
    return pytest.mark.skipif(shutil.which("pulumi") is None, reason="the pulumi CLI is not installed here")


@pytest.fixture
def fake(monkeypatch: pytest.MonkeyPatch) -> FakeAutomation:
    """The Automation API answered by a recording stack (tests/automation_support.py)."""
    return install(monkeypatch)
