"""The `stacktape-pulumi` process: `cli.console` runs `main` as a one-shot process (`process.run_once`)."""

import gc
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from stacktape_pulumi import cli, process
from stacktape_pulumi.engine.preview import preview_config
from stacktape_pulumi.load import load_config

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "programs" / "examples" / "multi-container.yml"


def test_the_console_script_is_console() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    assert project["scripts"]["stacktape-pulumi"] == "stacktape_pulumi.cli:console"


def test_console_tunes_the_collector_runs_main_then_freezes_the_collector(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[str] = []

    def fake_main() -> int:
        calls.append(f"main, exits when done: {process.exits_when_done()}")
        return cli.EXIT_CONFIG

    monkeypatch.setattr(cli, "main", fake_main)
    # Recorded, not done: a frozen or retuned collector would stay so for the rest of this test process.
    monkeypatch.setattr(gc, "freeze", lambda: calls.append("freeze"))
    monkeypatch.setattr(gc, "set_threshold", lambda *thresholds: calls.append(f"threshold {thresholds}"))
    assert cli.console() == cli.EXIT_CONFIG
    assert calls == ["threshold (100000, 1000, 1000)", "main, exits when done: True", "freeze"]
    assert process.exits_when_done() is False


def test_a_one_shot_process_that_fails_still_freezes_and_is_no_longer_one_shot(
        monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[str] = []
    monkeypatch.setattr(gc, "freeze", lambda: calls.append("freeze"))
    monkeypatch.setattr(gc, "set_threshold", lambda *thresholds: calls.append(f"threshold {thresholds}"))

    def failing() -> int:
        raise RuntimeError("boom")

    with pytest.raises(RuntimeError, match="boom"):
        process.run_once(failing)
    assert calls == ["threshold (100000, 1000, 1000)", "freeze"]
    assert process.exits_when_done() is False


def test_a_preview_process_prints_the_in_process_document_and_exits_cleanly() -> None:
    done = subprocess.run([sys.executable, "-m", "stacktape_pulumi.cli", "preview", str(EXAMPLE), "--json"],
                          capture_output=True, text=True, cwd=ROOT)
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""  # nothing from the shutdown (no "Exception ignored ...")
    assert done.stdout == preview_config(load_config(EXAMPLE)).dumps()
