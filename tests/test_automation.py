"""`stacktape-pulumi up | destroy | outputs | preview --live` and programs/automation.py, up to the Pulumi CLI.

The Automation API drives the `pulumi` binary, which this machine does not have: the tests stand a
recording stack in for `pulumi.automation.create_or_select_stack` and check what the commands ask of
it, and check the real behaviour without the CLI. The test that needs the binary is marked.
"""

import shutil
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from pulumi import automation as auto

from stacktape_pulumi import automation
from stacktape_pulumi.cli import main
from tests.module_support import load_module

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "programs" / "examples" / "multi-container.yml"


@dataclass
class RecordingStack:
    """What a command asked of its stack; answers as a deployed stack with one plain and one secret output."""

    calls: list[tuple[str, Any]] = field(default_factory=list)
    fail: bool = False

    def set_config(self, key: str, value: auto.ConfigValue) -> None:
        self.calls.append(("set_config", (key, value.value, value.secret)))

    def _run(self, name: str, on_output: Callable[[str], Any] | None) -> None:
        self.calls.append((name, None))
        if on_output is not None:
            on_output(f"pulumi {name} progress line")
        if self.fail:
            raise auto.CommandError(auto.CommandResult(stdout="", stderr="error: AccessDenied", code=255))

    def up(self, on_output: Callable[[str], Any] | None = None) -> Any:
        self._run("up", on_output)
        return type("UpResult", (), {"outputs": self.outputs()})()

    def preview(self, on_output: Callable[[str], Any] | None = None) -> Any:
        self._run("preview", on_output)
        return type("PreviewResult", (), {"change_summary": {auto.OpType.CREATE: 12, auto.OpType.SAME: 1}})()

    def destroy(self, on_output: Callable[[str], Any] | None = None) -> None:
        self._run("destroy", on_output)

    def outputs(self) -> dict[str, auto.OutputValue]:
        return {"webApp": auto.OutputValue({"serviceName": "svc"}, False),
                "dbPassword": auto.OutputValue("hunter2", True)}


@dataclass
class FakeAutomation:
    stack: RecordingStack = field(default_factory=RecordingStack)
    selected: list[dict[str, Any]] = field(default_factory=list)

    def create_or_select_stack(self, **kwargs: Any) -> RecordingStack:
        self.selected.append(kwargs)
        return self.stack


@pytest.fixture
def fake(monkeypatch: pytest.MonkeyPatch) -> FakeAutomation:
    recorder = FakeAutomation()
    monkeypatch.setattr(auto, "create_or_select_stack", recorder.create_or_select_stack)
    which = shutil.which
    monkeypatch.setattr(shutil, "which", lambda name: "/usr/local/bin/pulumi" if name == "pulumi" else which(name))
    return recorder


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "stacktape.yml"
    path.write_text(text)
    return path


def test_up_validates_names_the_stack_from_the_config_and_streams_progress(
        fake: FakeAutomation, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    config = EXAMPLE.read_text().replace("resources:", "serviceName: shop\nresources:", 1)
    path = write(tmp_path, config)
    assert main(["up", str(path), "--stage", "prod", "--region", "eu-west-1"]) == 0
    (selected,) = fake.selected
    assert (selected["project_name"], selected["stack_name"]) == ("shop", "prod")
    assert callable(selected["program"])
    assert fake.stack.calls == [("set_config", ("aws:region", "eu-west-1", False)), ("up", None)]
    assert capsys.readouterr().out == ("pulumi up progress line\n"
                                       "dbPassword: [secret]\n"
                                       "webApp: {'serviceName': 'svc'}\n")


def test_without_service_name_the_project_is_the_offline_previews(fake: FakeAutomation) -> None:
    assert main(["destroy", str(EXAMPLE)]) == 0
    assert (fake.selected[0]["project_name"], fake.selected[0]["stack_name"]) == ("stacktape", "dev")
    assert fake.stack.calls == [("set_config", ("aws:region", "us-east-1", False)), ("destroy", None)]


def test_outputs_and_live_preview(fake: FakeAutomation, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["outputs", str(EXAMPLE)]) == 0
    assert capsys.readouterr().out == "dbPassword: [secret]\nwebApp: {'serviceName': 'svc'}\n"
    assert main(["preview", str(EXAMPLE), "--live"]) == 0
    assert capsys.readouterr().out == "pulumi preview progress line\n12 to create, 1 to same\n"


def test_an_invalid_config_never_reaches_pulumi(fake: FakeAutomation, tmp_path: Path,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    path = write(tmp_path, "resources:\n  api:\n    type: multi-container-workloads\n")
    assert main(["up", str(path)]) == 1
    assert fake.selected == []
    assert capsys.readouterr().err.startswith(f"{path}:3:11: resources.api.type: unsupported type")


def test_a_failed_operation_exits_3_with_pulumis_error(fake: FakeAutomation,
                                                       capsys: pytest.CaptureFixture[str]) -> None:
    fake.stack.fail = True
    assert main(["up", str(EXAMPLE)]) == 3
    err = capsys.readouterr().err
    assert err.startswith("stacktape-pulumi: error: pulumi up failed\n")
    assert "error: AccessDenied" in err


def test_without_the_cli_one_line_says_how_to_install_it(monkeypatch: pytest.MonkeyPatch,
                                                         capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("PATH", "/nonexistent")
    for command in (["up"], ["destroy"], ["outputs"], ["preview", "--live"]):
        assert main([*command[:1], str(EXAMPLE), *command[1:]]) == 3
        assert capsys.readouterr().err == f"stacktape-pulumi: error: {automation.CLI_MISSING}\n"
    assert "PulumiCommand.install()" in automation.CLI_MISSING


def test_programs_automation_uses_the_same_door(fake: FakeAutomation, capsys: pytest.CaptureFixture[str]) -> None:
    script = load_module(ROOT / "programs" / "automation.py")
    assert script.main([str(EXAMPLE), "ci", "eu-west-1"]) == 0
    assert (fake.selected[0]["project_name"], fake.selected[0]["stack_name"]) == ("stacktape", "ci")
    assert fake.stack.calls[0] == ("set_config", ("aws:region", "eu-west-1", False))
    assert script.main([str(EXAMPLE), "ci", "eu-west-1", "--destroy"]) == 0
    assert fake.stack.calls[-1] == ("destroy", None)


@pytest.mark.skipif(shutil.which("pulumi") is None, reason="the pulumi CLI is not installed here")
@pytest.mark.needs_pulumi_cli
def test_a_local_backend_stack_is_selected_with_its_region(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PULUMI_BACKEND_URL", f"file://{tmp_path}")
    monkeypatch.setenv("PULUMI_CONFIG_PASSPHRASE", "offline-test")
    from stacktape_pulumi.load import load_config

    stack = automation.select_stack(load_config(EXAMPLE, stage="ci", region="eu-west-1"))
    assert stack.name == "ci"
    assert stack.get_config("aws:region").value == "eu-west-1"
