"""Lambda packaging: deterministic zips, custom artifacts, the Python and JS/TS buildpacks, the cache."""

import base64
import hashlib
import json
import os
import subprocess
import zipfile
from pathlib import Path

import pytest

from stacktape_pulumi.config.models.function import CustomArtifactPackaging
from stacktape_pulumi.lambda_packaging import (
    PackagingError,
    package_function,
    packaging_problems,
    resolve_runtime,
)
from stacktape_pulumi.lambda_packaging.archive import FIXED_DATE_TIME, Entry, write_zip
from stacktape_pulumi.lambda_packaging.files import matches
from stacktape_pulumi.lambda_packaging.javascript import INSTALL_COMMAND, esbuild_command
from stacktape_pulumi.lambda_packaging.python import pip_command, platform_tags, python_sources
from stacktape_pulumi.lambda_packaging.runtimes import custom_artifact_handler, default_runtime, language_of
from tests.lambda_support import (
    buildpack,
    esbuild_binary,
    make_wheel,
    offline_requirements,
    with_esbuild,
    without_esbuild,
    write,
)

__all__ = ["esbuild_binary", "with_esbuild", "without_esbuild"]  # fixtures used below


def custom(path: str, handler: str = "index.js:handler") -> CustomArtifactPackaging:
    return CustomArtifactPackaging.model_validate(
        {"type": "custom-artifact", "properties": {"packagePath": path, "handler": handler}})


def sha256_b64(path: Path) -> str:
    return base64.b64encode(hashlib.sha256(path.read_bytes()).digest()).decode()


# --- pure decisions -------------------------------------------------------------------------


@pytest.mark.parametrize(("handler", "expected"), [
    ("index.js:handler", "index.handler"),
    ("src/index.js:main", "src/index.main"),
    ("./src/app.py:handler", "src/app.handler"),
    ("lambda_function.py:lambda_handler", "lambda_function.lambda_handler"),
    ("bootstrap:run", "bootstrap.run"),
])
def test_custom_artifact_handler(handler: str, expected: str) -> None:
    assert custom_artifact_handler(handler) == expected


@pytest.mark.parametrize(("entry", "language"), [
    ("src/a.py", "python"), ("a.ts", "javascript"), ("a.mjs", "javascript"), ("a.tsx", "javascript"),
    ("main.go", "go"), ("App.java", None), ("a.rb", None),
])
def test_language_of(entry: str, language: str | None) -> None:
    assert language_of(entry) == language


@pytest.mark.parametrize(("language", "node", "python", "runtime"), [
    ("javascript", None, None, "nodejs24.x"),
    ("javascript", 20, None, "nodejs20.x"),
    ("javascript", 16, None, "nodejs24.x"),  # no Lambda runtime for Node 16: the default
    ("python", None, None, "python3.13"),
    ("python", None, 3.11, "python3.11"),
])
def test_default_runtime(language: str, node: int | None, python: float | None, runtime: str) -> None:
    assert default_runtime(language, node_version=node, python_version=python) == runtime


def test_runtime_resolution_prefers_the_explicit_runtime() -> None:
    assert resolve_runtime(buildpack("a.py"), None) == "python3.13"
    assert resolve_runtime(buildpack("a.py"), "python3.12") == "python3.12"
    assert resolve_runtime(buildpack("a.ts", languageSpecificConfig={"nodeVersion": 22}), None) == "nodejs22.x"
    assert resolve_runtime(custom("a.zip"), "java21") == "java21"


def test_platform_tags_follow_the_runtime_glibc_and_architecture() -> None:
    al2023 = platform_tags("python3.13", "arm64")
    assert al2023[0] == "manylinux_2_34_aarch64"
    assert al2023[-2:] == ["manylinux_2_17_aarch64", "manylinux2014_aarch64"]
    assert len(al2023) == 34 - 17 + 2
    al2 = platform_tags("python3.11", "x86_64")
    assert al2[0] == "manylinux_2_26_x86_64"
    assert al2[-1] == "manylinux2014_x86_64"


def test_pip_installs_wheels_for_the_function_not_this_machine(tmp_path: Path) -> None:
    command = pip_command(tmp_path / "r.txt", tmp_path / "out", "python3.12", "x86_64")
    assert command[1:4] == ["-m", "pip", "install"]
    joined = " ".join(command)
    for flag in ("--target " + str(tmp_path / "out"), "--implementation cp", "--python-version 3.12",
                 "--only-binary=:all:", "--platform manylinux_2_34_x86_64", "--platform manylinux2014_x86_64",
                 "--requirement " + str(tmp_path / "r.txt")):
        assert flag in joined


@pytest.mark.parametrize(("path", "pattern", "hit"), [
    ("assets/a.json", "assets/*.json", True),
    ("assets/deep/a.json", "assets/*.json", False),
    ("assets/deep/a.json", "assets/**/*.json", True),
    ("assets/a.json", "assets/**/*.json", True),
    ("tests/unit/x.py", "tests", True),
    ("src/tests.py", "tests", False),
])
def test_globs(path: str, pattern: str, hit: bool) -> None:
    assert matches(path, [pattern]) is hit


def test_esbuild_command(tmp_path: Path) -> None:
    command = esbuild_command(Path("/bin/esbuild"), tmp_path / "a.ts", tmp_path / "index.js", "nodejs22.x",
                              esm=False, source_maps=True, externals=["pg-native", "@aws-sdk/*"],
                              all_packages_external=False, tsconfig=None)
    assert command == ["/bin/esbuild", str(tmp_path / "a.ts"), "--bundle", "--platform=node", "--target=node22",
                       "--format=cjs", f"--outfile={tmp_path / 'index.js'}", "--log-level=warning", "--charset=utf8",
                       "--legal-comments=none", "--sourcemap", "--external:@aws-sdk/*", "--external:pg-native"]


# --- deterministic zips ---------------------------------------------------------------------


def test_zip_is_byte_identical_whatever_the_order_time_and_umask(tmp_path: Path) -> None:
    script = tmp_path / "run.sh"
    script.write_text("#!/bin/sh\n")
    script.chmod(0o775)
    data = tmp_path / "data.txt"
    data.write_text("x")
    data.chmod(0o600)
    entries = {"run.sh": Entry("run.sh", script, True), "b/data.txt": Entry("b/data.txt", data),
               "a.txt": Entry("a.txt", b"hello")}
    write_zip(entries, tmp_path / "one.zip")
    os.utime(data, (0, 0))
    write_zip(dict(reversed(list(entries.items()))), tmp_path / "two.zip")
    assert (tmp_path / "one.zip").read_bytes() == (tmp_path / "two.zip").read_bytes()
    with zipfile.ZipFile(tmp_path / "one.zip") as archive:
        infos = archive.infolist()
    assert [i.filename for i in infos] == ["a.txt", "b/data.txt", "run.sh"]
    assert {i.date_time for i in infos} == {FIXED_DATE_TIME}
    assert [i.external_attr >> 16 for i in infos] == [0o100644, 0o100644, 0o100755]


# --- custom-artifact ------------------------------------------------------------------------


def test_custom_artifact_zip_is_deployed_as_it_is(tmp_path: Path) -> None:
    with zipfile.ZipFile(tmp_path / "build.zip", "w") as archive:
        archive.writestr("index.js", "exports.handler = async () => 1;")
    packaged = package_function("fn", custom("build.zip"), "nodejs20.x", None, base_dir=tmp_path)
    artifact = packaged.artifact
    assert artifact.path == tmp_path / "build.zip"
    assert artifact.source_code_hash == sha256_b64(tmp_path / "build.zip")
    assert (artifact.handler, artifact.runtime, artifact.files) == ("index.handler", "nodejs20.x", ("index.js",))
    assert packaged.environment == {}


def test_custom_artifact_directory_and_single_file_are_zipped(tmp_path: Path) -> None:
    write(tmp_path, {"dist/index.js": "x", "dist/lib/util.js": "y", "dist/.git/HEAD": "ref",
                     "single/handler.py": "def handler(e, c): pass"})
    directory = package_function("fn", custom("dist"), "nodejs20.x", None, base_dir=tmp_path).artifact
    assert directory.files == ("index.js", "lib/util.js")
    assert directory.path.parent == tmp_path / ".stacktape" / "lambda"
    assert directory.source_code_hash == sha256_b64(directory.path)
    single = package_function("other", custom("single/handler.py", "handler.py:handler"), "python3.12", None,
                              base_dir=tmp_path).artifact
    assert (single.files, single.handler) == (("handler.py",), "handler.handler")


def test_custom_artifact_errors(tmp_path: Path) -> None:
    (tmp_path / "bad.zip").write_text("not a zip")
    with pytest.raises(PackagingError, match=r"'bad\.zip' is not a valid zip file"):
        package_function("fn", custom("bad.zip"), "nodejs20.x", None, base_dir=tmp_path)
    with pytest.raises(PackagingError, match="packagePath 'missing' does not exist"):
        package_function("fn", custom("missing"), "nodejs20.x", None, base_dir=tmp_path)


# --- Python buildpack -----------------------------------------------------------------------

PY_PROJECT = {
    "src/app/__init__.py": "",
    "src/app/api/__init__.py": "",
    "src/app/api/handler.py": "from app.core import answer\n\ndef handler(event, context):\n    return answer()\n",
    "src/app/core.py": "def answer():\n    return 42\n",
    "src/app/data/table.csv": "a,b\n",
    "src/app/__pycache__/core.cpython-312.pyc": "junk",
    "src/tests/test_core.py": "def test(): pass\n",
    "config/settings.json": "{}",
}


def python_project(tmp_path: Path) -> Path:
    write(tmp_path, PY_PROJECT)
    make_wheel(tmp_path / "wheels", "tinydep", "1.0", {"tinydep/__init__.py": "X = 1\n"}, ["otherdep"])
    make_wheel(tmp_path / "wheels", "otherdep", "2.0", {"otherdep/__init__.py": "Y = 2\n"})
    (tmp_path / "requirements.txt").write_text(offline_requirements(tmp_path / "wheels", "tinydep==1.0"))
    return tmp_path


def test_python_sources_are_the_entry_packages_top_package(tmp_path: Path) -> None:
    write(tmp_path, PY_PROJECT)
    sources = python_sources(tmp_path / "src/app/api/handler.py")
    assert (sources.root, sources.module) == (tmp_path / "src", "app.api.handler")
    assert sorted(sources.entries) == ["app/__init__.py", "app/api/__init__.py", "app/api/handler.py", "app/core.py",
                                       "app/data/table.csv"]


def test_loose_python_module_brings_its_siblings(tmp_path: Path) -> None:
    write(tmp_path, {"fn/main.py": "", "fn/helpers.py": "", "fn/README.md": "", "fn/lib/__init__.py": "",
                     "fn/lib/x.py": "", "fn/notes/a.py": ""})
    sources = python_sources(tmp_path / "fn/main.py")
    assert (sources.root, sources.module) == (tmp_path / "fn", "main")
    assert sorted(sources.entries) == ["helpers.py", "lib/__init__.py", "lib/x.py", "main.py"]


def test_python_function_with_dependencies(tmp_path: Path) -> None:
    python_project(tmp_path)
    packaging = buildpack("src/app/api/handler.py", includeFiles=["config/*.json"])
    packaged = package_function("api", packaging, None, "arm64", base_dir=tmp_path)
    artifact = packaged.artifact
    assert (artifact.handler, artifact.runtime) == ("app.api.handler.handler", "python3.13")
    assert artifact.files == (
        "app/__init__.py", "app/api/__init__.py", "app/api/handler.py", "app/core.py", "app/data/table.csv",
        "config/settings.json",
        "otherdep-2.0.dist-info/INSTALLER", "otherdep-2.0.dist-info/METADATA", "otherdep-2.0.dist-info/RECORD",
        "otherdep-2.0.dist-info/WHEEL", "otherdep/__init__.py",
        "tinydep-1.0.dist-info/INSTALLER", "tinydep-1.0.dist-info/METADATA", "tinydep-1.0.dist-info/RECORD",
        "tinydep-1.0.dist-info/REQUESTED", "tinydep-1.0.dist-info/WHEEL", "tinydep/__init__.py",
    )
    assert artifact.source_code_hash == sha256_b64(artifact.path)
    assert artifact.path.name.startswith("api-")
    assert artifact.path.parent == tmp_path / ".stacktape" / "lambda"


def test_unchanged_python_function_keeps_its_code_hash_and_a_change_replaces_the_artifact(tmp_path: Path) -> None:
    python_project(tmp_path)
    packaging = buildpack("src/app/api/handler.py")
    first = package_function("api", packaging, None, None, base_dir=tmp_path).artifact
    mtime = first.path.stat().st_mtime_ns
    again = package_function("api", packaging, None, None, base_dir=tmp_path).artifact
    assert again == first
    assert first.path.stat().st_mtime_ns == mtime  # found in the cache, not rewritten
    first.path.unlink()
    rebuilt = package_function("api", packaging, None, None, base_dir=tmp_path).artifact
    assert rebuilt.source_code_hash == first.source_code_hash  # deterministic even when rebuilt
    (tmp_path / "src/app/core.py").write_text("def answer():\n    return 43\n")
    changed = package_function("api", packaging, None, None, base_dir=tmp_path).artifact
    assert changed.source_code_hash != first.source_code_hash
    assert sorted(p.name for p in (tmp_path / ".stacktape/lambda").glob("api-*.zip")) == [changed.path.name]


def test_exclude_dependencies_and_files(tmp_path: Path) -> None:
    python_project(tmp_path)
    packaging = buildpack("src/app/api/handler.py", excludeDependencies=["otherdep"],
                          excludeFiles=["src/app/data/**"])
    files = package_function("api", packaging, None, None, base_dir=tmp_path).artifact.files
    assert not any(f.startswith(("otherdep", "app/data")) for f in files)
    assert "tinydep/__init__.py" in files


def test_pyproject_dependencies_extras_and_groups(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write(tmp_path, {"handler.py": "def handler(e, c): pass\n"})
    make_wheel(tmp_path / "wheels", "tinydep", "1.0", {"tinydep/__init__.py": ""})
    make_wheel(tmp_path / "wheels", "extradep", "1.0", {"extradep/__init__.py": ""})
    make_wheel(tmp_path / "wheels", "groupdep", "1.0", {"groupdep/__init__.py": ""})
    (tmp_path / "pyproject.toml").write_text(
        '[project]\nname = "x"\nversion = "1"\ndependencies = ["tinydep==1.0"]\n'
        '[project.optional-dependencies]\nfast = ["extradep"]\n'
        '[dependency-groups]\nprod = ["groupdep"]\nall = [{include-group = "prod"}]\n')
    monkeypatch.setenv("PIP_NO_INDEX", "1")
    monkeypatch.setenv("PIP_FIND_LINKS", str(tmp_path / "wheels"))
    packaging = buildpack("handler.py", languageSpecificConfig={"uvOptionalDependencies": ["fast"],
                                                                "uvWithGroups": ["all"]})
    files = package_function("fn", packaging, "python3.12", None, base_dir=tmp_path).artifact.files
    assert {f.split("/")[0] for f in files} >= {"tinydep", "extradep", "groupdep", "handler.py"}


def test_a_dependency_without_a_matching_wheel_is_a_clear_error(tmp_path: Path) -> None:
    write(tmp_path, {"handler.py": "def handler(e, c): pass\n"})
    (tmp_path / "wheels").mkdir()
    (tmp_path / "requirements.txt").write_text(offline_requirements(tmp_path / "wheels", "not-published==9"))
    with pytest.raises(PackagingError) as err:
        package_function("fn", buildpack("handler.py"), None, "arm64", base_dir=tmp_path)
    message = str(err.value)
    assert message.startswith("function 'fn': installing its Python dependencies for python3.13 on arm64 failed:")
    assert "only wheels for manylinux/aarch64 and Python 3.13 can be installed for Lambda" in message
    assert not list((tmp_path / ".stacktape/lambda").glob("*.zip"))


# --- JavaScript / TypeScript ----------------------------------------------------------------

TS_PROJECT = {
    "src/handler.ts": "import { greet } from './greet';\nexport default async (e: unknown) => greet('x');\n",
    "src/greet.ts": "export const greet = (name: string): string => `hello ${name}`;\n",
}


def test_typescript_function_is_bundled_by_esbuild(tmp_path: Path, with_esbuild: Path) -> None:
    write(tmp_path, TS_PROJECT)
    packaged = package_function("api", buildpack("src/handler.ts"), None, None, base_dir=tmp_path)
    artifact = packaged.artifact
    assert (artifact.handler, artifact.runtime, artifact.files) == ("index.default", "nodejs24.x",
                                                                    ("index.js", "index.js.map"))
    assert packaged.environment == {"NODE_OPTIONS": "--enable-source-maps"}
    with zipfile.ZipFile(artifact.path) as archive:
        source_map = json.loads(archive.read("index.js.map"))
        archive.extractall(tmp_path / "unzipped")
    assert [Path(s).name for s in source_map["sources"]] == ["handler.ts", "greet.ts"]
    # The bundle alone (no sources next to it) runs and answers as the handler would.
    script = f"require({json.dumps(str(tmp_path / 'unzipped' / 'index.js'))}).default({{}}).then(console.log)"
    result = subprocess.run(["node", "-e", script], capture_output=True, text=True, check=True, timeout=60)
    assert result.stdout == "hello x\n"
    again = package_function("api", buildpack("src/handler.ts"), None, None, base_dir=tmp_path).artifact
    assert again.source_code_hash == artifact.source_code_hash


def test_esm_output_handler_name_and_no_source_maps(tmp_path: Path, with_esbuild: Path) -> None:
    write(tmp_path, TS_PROJECT)
    packaging = buildpack("src/handler.ts", handlerFunction="main",
                          languageSpecificConfig={"outputModuleFormat": "esm", "disableSourceMaps": True,
                                                  "nodeVersion": 20})
    packaged = package_function("api", packaging, None, None, base_dir=tmp_path)
    assert (packaged.artifact.handler, packaged.artifact.runtime, packaged.artifact.files) == (
        "index.main", "nodejs20.x", ("index.mjs",))
    assert packaged.environment == {}


def test_external_dependencies_are_copied_from_node_modules(tmp_path: Path, with_esbuild: Path) -> None:
    write(tmp_path, {
        "handler.js": "const a = require('alpha');\nexports.handler = async () => a();\n",
        "package.json": json.dumps({"dependencies": {"alpha": "1"}}),
        "node_modules/alpha/package.json": json.dumps({"name": "alpha", "dependencies": {"beta": "1"}}),
        "node_modules/alpha/index.js": "module.exports = () => require('beta');",
        "node_modules/beta/package.json": json.dumps({"name": "beta"}),
        "node_modules/beta/index.js": "module.exports = 1;",
    })
    packaging = buildpack("handler.js", handlerFunction="handler",
                          languageSpecificConfig={"dependenciesToExcludeFromBundle": ["alpha"]})
    files = package_function("api", packaging, None, None, base_dir=tmp_path).artifact.files
    assert files == ("index.js", "index.js.map", "node_modules/alpha/index.js", "node_modules/alpha/package.json",
                     "node_modules/beta/index.js", "node_modules/beta/package.json")


def test_missing_esbuild_names_the_install_command(tmp_path: Path, without_esbuild: None) -> None:
    write(tmp_path, TS_PROJECT)
    with pytest.raises(PackagingError) as err:
        package_function("api", buildpack("src/handler.ts"), None, None, base_dir=tmp_path)
    assert str(err.value) == (
        f"function 'api': bundling JavaScript/TypeScript needs esbuild (the npm package), which is not installed. "
        f"Install it in {tmp_path} with `{INSTALL_COMMAND}` (or add esbuild to your project's devDependencies), "
        "or set STACKTAPE_ESBUILD to the esbuild binary")
    problems = packaging_problems(buildpack("src/handler.ts"), None, tmp_path)
    assert [(p.path, p.hint) for p in problems] == [(("packaging", "type"), f"run `{INSTALL_COMMAND}`")]


def test_a_bundling_error_is_reported_with_esbuilds_message(tmp_path: Path, with_esbuild: Path) -> None:
    write(tmp_path, {"handler.ts": "import { x } from './missing';\nexport default x;\n"})
    with pytest.raises(PackagingError, match=r"esbuild could not bundle handler.ts:\n.*missing"):
        package_function("api", buildpack("handler.ts"), None, None, base_dir=tmp_path)


# --- what validate reports ------------------------------------------------------------------


def test_packaging_problems(tmp_path: Path) -> None:
    write(tmp_path, {"a.py": ""})
    assert packaging_problems(buildpack("a.py"), None, tmp_path) == []
    assert packaging_problems(custom("anything.zip"), "java21", tmp_path) == []
    [ruby] = packaging_problems(buildpack("a.rb"), None, tmp_path)
    assert (ruby.path, ruby.message) == (("packaging", "properties", "entryfilePath"),
                                         "Ruby functions are not supported by the Lambda buildpack yet")
    mismatch, = packaging_problems(buildpack("a.py"), "nodejs22.x", tmp_path)
    assert (mismatch.path, mismatch.message) == (("runtime",),
                                                 "runtime nodejs22.x cannot run the Python entry file a.py")
    missing, = packaging_problems(buildpack("b.py"), None, tmp_path)
    assert missing.message == "entry file 'b.py' does not exist"
    option, version = packaging_problems(buildpack("a.py", languageSpecificConfig={"tsConfigPath": "x",
                                                                                  "pythonVersion": 2.7}), None,
                                         tmp_path)
    assert (option.path, option.message) == (
        ("packaging", "properties", "languageSpecificConfig", "tsConfigPath"),
        "languageSpecificConfig.tsConfigPath is not supported for Python Lambda functions")
    assert version.message == "Lambda has no Python 2.7 runtime"
