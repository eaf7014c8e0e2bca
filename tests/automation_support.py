"""A recording stand-in for the Automation API's stack (the Pulumi CLI is not on this machine)."""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from pulumi import automation as auto


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


def install(monkeypatch: Any) -> FakeAutomation:
    """Stand a FakeAutomation in for the Automation API, with a `pulumi` on PATH."""
    import shutil

    recorder = FakeAutomation()
    monkeypatch.setattr(auto, "create_or_select_stack", recorder.create_or_select_stack)
    which = shutil.which
    monkeypatch.setattr(shutil, "which", lambda name: "/usr/local/bin/pulumi" if name == "pulumi" else which(name))
    return recorder
