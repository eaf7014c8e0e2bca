"""Determinism of `preview --json`: the same config gives the same bytes; key order in the YAML does not matter.

Every example in `programs/examples/*.yml` (globbed, so new ones are covered) is previewed:

* twice in this process through `cli.main`, and once more in a fresh process with another
  `PYTHONHASHSEED` (set and dict iteration that leaks into the output would show there);
* from copies whose mappings are written in reverse and in sorted key order: the resource set
  (URN, type, parent) and every resource's inputs must be the same as from the original.

Each example's preview from the repository root is computed once per worker and shared by the tests
that compare against it (every comparison still has two independent runs), and the module runs on one
xdist worker (`xdist_group`, with `--dist loadgroup`) so the fresh process starts once: about 6 previews
per example instead of 9.
"""

import contextlib
import io
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from stacktape_pulumi import cli

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = sorted((ROOT / "programs" / "examples").glob("*.yml"))


pytestmark = pytest.mark.xdist_group("determinism")


def example_id(path: Path) -> str:
    return path.name


def preview_json(path: Path, capsys: pytest.CaptureFixture[str]) -> str:
    assert cli.main(["preview", str(path), "--json"]) == 0, capsys.readouterr().err
    out, _ = capsys.readouterr()
    return out


_FROM_ROOT: dict[Path, str] = {}


def preview_from_root(path: Path) -> str:
    """`preview --json` of an example as a user runs it: from the repository root, the path relative to it."""
    if path not in _FROM_ROOT:
        out, err = io.StringIO(), io.StringIO()
        cwd = Path.cwd()
        os.chdir(ROOT)
        try:
            with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
                code = cli.main(["preview", str(path.relative_to(ROOT)), "--json"])
        finally:
            os.chdir(cwd)
        assert code == 0, err.getvalue()
        _FROM_ROOT[path] = out.getvalue()
    return _FROM_ROOT[path]


@pytest.mark.parametrize("path", EXAMPLES, ids=example_id)
def test_two_runs_give_identical_bytes(path: Path, capsys: pytest.CaptureFixture[str],
                                       monkeypatch: pytest.MonkeyPatch) -> None:
    first = preview_from_root(path)
    monkeypatch.chdir(ROOT)
    second = preview_json(path.relative_to(ROOT), capsys)
    assert first == second
    doc = json.loads(first)
    assert doc["resources"], "an example with no resources proves nothing"
    assert [r["urn"] for r in doc["resources"]] == sorted(r["urn"] for r in doc["resources"])


# Runs `cli.main(["preview", path, "--json"])` for each path given, in one process; prints {path: stdout}.
_PREVIEW_ALL = """
import contextlib, io, json, sys
from stacktape_pulumi import cli
outputs = {}
for path in sys.argv[1:]:
    buffer = io.StringIO()
    with contextlib.redirect_stdout(buffer):
        code = cli.main(["preview", path, "--json"])
    outputs[path] = buffer.getvalue() if code == 0 else f"exit {code}"
print(json.dumps(outputs))
"""


@pytest.fixture(scope="module")
def other_process_outputs() -> dict[str, str]:
    """`preview --json` of every example from one fresh process with a different hash seed."""
    env = {**os.environ, "PYTHONHASHSEED": "4242"}
    relative = [str(path.relative_to(ROOT)) for path in EXAMPLES]
    done = subprocess.run([sys.executable, "-c", _PREVIEW_ALL, *relative], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=600, check=False)
    assert done.returncode == 0, done.stderr
    outputs: dict[str, str] = json.loads(done.stdout.splitlines()[-1])
    return outputs


@pytest.mark.parametrize("path", EXAMPLES, ids=example_id)
def test_a_fresh_process_with_another_hash_seed_gives_the_same_bytes(
        path: Path, other_process_outputs: dict[str, str]) -> None:
    assert other_process_outputs[str(path.relative_to(ROOT))] == preview_from_root(path)


def reorder(value: Any, order: str) -> Any:
    """`value` with every mapping's keys in reverse or sorted order (lists keep their order)."""
    if isinstance(value, dict):
        keys = list(value)
        keys = keys[::-1] if order == "reversed" else sorted(keys, key=str)
        return {k: reorder(value[k], order) for k in keys}
    if isinstance(value, list):
        return [reorder(v, order) for v in value]
    return value


def resource_set(doc: dict[str, Any]) -> dict[str, tuple[str, Any, str]]:
    return {r["urn"]: (r["type"], r["parent"], json.dumps(r["inputs"], sort_keys=True)) for r in doc["resources"]}


@pytest.fixture(scope="module")
def programs_copy(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of programs/ (examples reach into ../hooks etc.), so reordered configs resolve the same paths."""
    target = tmp_path_factory.mktemp("determinism") / "programs"
    shutil.copytree(ROOT / "programs", target, ignore=shutil.ignore_patterns("__pycache__"))
    return target


_ORIGINALS: dict[Path, dict[str, tuple[str, Any, str]]] = {}


@pytest.mark.parametrize("order", ["reversed", "sorted"])
@pytest.mark.parametrize("path", EXAMPLES, ids=example_id)
def test_mapping_key_order_does_not_change_the_resources(path: Path, order: str, programs_copy: Path,
                                                         capsys: pytest.CaptureFixture[str]) -> None:
    directory = programs_copy / "examples"
    original = directory / f"original-{path.name}"
    reordered = directory / f"{order}-{path.name}"
    data = yaml.safe_load(path.read_text())
    reordered.write_text(yaml.safe_dump(reorder(data, order), sort_keys=False, allow_unicode=True))
    if original not in _ORIGINALS:  # the same copy is the reference of both orders
        original.write_text(path.read_text())
        _ORIGINALS[original] = resource_set(json.loads(preview_json(original, capsys)))
    expected = _ORIGINALS[original]
    actual = resource_set(json.loads(preview_json(reordered, capsys)))
    assert sorted(actual) == sorted(expected), "the resource set changed"
    changed = [urn for urn in expected if actual[urn] != expected[urn]]
    assert not changed, f"inputs or parents changed: {changed}"


@pytest.mark.parametrize("path", EXAMPLES, ids=example_id)
def test_the_preview_does_not_depend_on_where_the_project_is_checked_out(
        path: Path, programs_copy: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    # Each checkout previewed from its own root, as a user runs it (build contexts are cwd-relative).
    config = path.relative_to(ROOT)
    here = preview_from_root(path)
    monkeypatch.chdir(programs_copy.parent)
    elsewhere = preview_json(config, capsys)
    assert str(ROOT) not in here
    assert here == elsewhere
