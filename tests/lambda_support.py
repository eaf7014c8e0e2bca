"""Helpers for Lambda tests: tiny local wheels (pip installs offline from them), the project's esbuild, a fake go."""

import base64
import hashlib
import os
import shutil
import subprocess
import sys
import zipfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest

from stacktape_pulumi.config.models.function import StacktapeLambdaBuildpackPackaging
from stacktape_pulumi.lambda_packaging.javascript import ESBUILD_ENV, INSTALL_COMMAND, TOOLS_DIR

ROOT = Path(__file__).resolve().parent.parent
PROJECT_ESBUILD = ROOT / TOOLS_DIR / "node_modules" / ".bin" / "esbuild"


def buildpack(entry: str, **props: Any) -> StacktapeLambdaBuildpackPackaging:
    """A `stacktape-lambda-buildpack` packaging of `entry` with further `properties`."""
    return StacktapeLambdaBuildpackPackaging.model_validate(
        {"type": "stacktape-lambda-buildpack", "properties": {"entryfilePath": entry, **props}})


def write(root: Path, files: dict[str, str]) -> None:
    """Write `files` (relative path → text) below `root`."""
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)


def make_wheel(directory: Path, name: str, version: str, files: dict[str, str],
               requires: Sequence[str] = ()) -> Path:
    """A pure-Python wheel with a valid RECORD (what pip needs to install it offline)."""
    dist_info = f"{name}-{version}.dist-info"
    metadata = f"Metadata-Version: 2.1\nName: {name}\nVersion: {version}\n"
    metadata += "".join(f"Requires-Dist: {requirement}\n" for requirement in requires)
    members = {**files, f"{dist_info}/METADATA": metadata,
               f"{dist_info}/WHEEL": "Wheel-Version: 1.0\nGenerator: tests\nRoot-Is-Purelib: true\nTag: py3-none-any\n"}
    record = []
    for member, text in members.items():
        digest = base64.urlsafe_b64encode(hashlib.sha256(text.encode()).digest()).rstrip(b"=").decode()
        record.append(f"{member},sha256={digest},{len(text.encode())}")
    members[f"{dist_info}/RECORD"] = "\n".join([*record, f"{dist_info}/RECORD,,"]) + "\n"
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / f"{name}-{version}-py3-none-any.whl"
    with zipfile.ZipFile(path, "w") as archive:
        for member, text in members.items():
            archive.writestr(member, text)
    return path


def offline_requirements(wheels: Path, *requirements: str) -> str:
    """A requirements.txt that installs only from the local wheel directory."""
    return "\n".join(["--no-index", f"--find-links {wheels}", *requirements]) + "\n"


@pytest.fixture(scope="session")
def esbuild_binary() -> Path:
    """The project's esbuild (`make` installs it); installed here with npm when missing, skipped without npm."""
    if not PROJECT_ESBUILD.is_file():
        if shutil.which("npm") is None:
            pytest.skip("npm is not installed: JavaScript/TypeScript bundling needs the esbuild npm package")
        subprocess.run(INSTALL_COMMAND.split(), cwd=ROOT, check=True, capture_output=True, timeout=300)
    return PROJECT_ESBUILD


@pytest.fixture
def with_esbuild(esbuild_binary: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Point the packager at the project's esbuild for one test."""
    monkeypatch.setenv(ESBUILD_ENV, str(esbuild_binary))
    return esbuild_binary


@pytest.fixture
def without_esbuild(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """No esbuild anywhere the packager looks."""
    monkeypatch.setenv(ESBUILD_ENV, str(tmp_path / "no-esbuild-here"))
    assert not (tmp_path / "no-esbuild-here").exists()
    monkeypatch.setenv("PATH", os.defpath)


def requires_go() -> pytest.MarkDecorator:
    """For tests that truly compile Go: skipped only when the `go` CLI is absent."""
    return pytest.mark.skipif(shutil.which("go") is None, reason="the go CLI is not installed here")


FAKE_GO = """#!{python}
# A stand-in for `go build`: writes, as the "binary", what it was asked to build and for which platform.
import os, sys
args = sys.argv[1:]
output = args[args.index("-o") + 1]
with open(output, "w") as binary:
    binary.write(" ".join([os.environ["GOOS"], os.environ["GOARCH"], os.environ["CGO_ENABLED"], os.getcwd(), *args]))
"""


def fake_go(directory: Path) -> Path:
    """An executable `go` that records its arguments, environment and directory in the output file."""
    path = directory / "fake-go"
    path.write_text(FAKE_GO.format(python=sys.executable))
    path.chmod(0o755)
    return path
