"""`stacktape-pulumi up | destroy | outputs | preview --live` and programs/automation.py, up to the Pulumi CLI.

The Automation API drives the `pulumi` binary, which this machine does not have: the tests stand a
recording stack in for `pulumi.automation.create_or_select_stack` and check what the commands ask of
it, and check the real behaviour without the CLI. The test that needs the binary is marked.
"""

import json
import shutil
from pathlib import Path

import pytest

from stacktape_pulumi import automation
from stacktape_pulumi.cli import main
from tests.automation_support import FakeAutomation
from tests.module_support import load_module

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "programs" / "examples" / "multi-container.yml"


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
    saved = tmp_path / ".stacktape-stack-info" / "shop-prod.json"
    assert json.loads(saved.read_text()) == {"dbPassword": "[secret]", "webApp": {"serviceName": "svc"}}


def test_stack_info_goes_where_the_config_says_or_nowhere(fake: FakeAutomation, tmp_path: Path) -> None:
    config = EXAMPLE.read_text().replace("stackConfig:\n", "stackConfig:\n  stackInfoDirectory: info/here\n", 1)
    assert main(["up", str(write(tmp_path, config))]) == 0
    assert sorted(path.name for path in (tmp_path / "info" / "here").iterdir()) == ["stacktape-dev.json"]
    off = EXAMPLE.read_text().replace("stackConfig:\n", "stackConfig:\n  disableStackInfoSaving: true\n", 1)
    other = tmp_path / "other"
    other.mkdir()
    assert main(["up", str(write(other, off))]) == 0
    assert list(other.iterdir()) == [other / "stacktape.yml"]


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


def test_programs_automation_uses_the_same_door(fake: FakeAutomation, tmp_path: Path) -> None:
    script = load_module(ROOT / "programs" / "automation.py")
    example = write(tmp_path, EXAMPLE.read_text())  # the stack info file lands beside it, not in the repository
    assert script.main([str(example), "ci", "eu-west-1"]) == 0
    assert (tmp_path / ".stacktape-stack-info" / "stacktape-ci.json").is_file()
    assert (fake.selected[0]["project_name"], fake.selected[0]["stack_name"]) == ("stacktape", "ci")
    assert fake.stack.calls[0] == ("set_config", ("aws:region", "eu-west-1", False))
    assert script.main([str(example), "ci", "eu-west-1", "--destroy"]) == 0
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
