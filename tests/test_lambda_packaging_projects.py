"""Lambda packaging of real projects: Poetry and Pipenv Python functions, Go functions (issue 19)."""

import json
import shutil
import stat
import subprocess
import zipfile
from collections.abc import Callable, Mapping
from pathlib import Path

import pytest

from stacktape_pulumi.engine import Recording
from stacktape_pulumi.lambda_packaging import PackagingError, package_function, packaging_problems
from stacktape_pulumi.lambda_packaging.go import GO_ENV, go_build_command, go_environment, package_go
from stacktape_pulumi.lambda_packaging.python_locks import lambda_environment
from tests.lambda_support import buildpack, fake_go, make_wheel, requires_go, write

HANDLER = {"handler.py": "def handler(e, c):\n    return 1\n"}
ENTRY = ("packaging", "properties", "entryfilePath")


@pytest.fixture
def wheels(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Local wheels pip installs from, offline: two versions of otherdep, and packages a lock must leave out."""
    directory = tmp_path / "wheels"
    make_wheel(directory, "tinydep", "1.0", {"tinydep/__init__.py": "X = 1\n"}, ["otherdep"])
    make_wheel(directory, "otherdep", "2.0", {"otherdep/__init__.py": "Y = 2\n"})
    make_wheel(directory, "otherdep", "3.0", {"otherdep/__init__.py": "Y = 3\n"})
    for name in ("devdep", "winonly", "armonly", "oldpy"):
        make_wheel(directory, name, "1.0", {f"{name}/__init__.py": ""})
    monkeypatch.setenv("PIP_NO_INDEX", "1")
    monkeypatch.setenv("PIP_FIND_LINKS", str(directory))
    return directory


def dist(name: str, version: str) -> tuple[str, ...]:
    """What pip installs for one requested package of the test wheels."""
    info = f"{name}-{version}.dist-info"
    return (f"{info}/INSTALLER", f"{info}/METADATA", f"{info}/RECORD", f"{info}/REQUESTED", f"{info}/WHEEL",
            f"{name}/__init__.py")


def rebuilt_hash(tmp_path: Path, packaging: object, runtime: str | None, architecture: str) -> str:
    """The code hash of function `api` after dropping every cached artifact and installed dependency."""
    shutil.rmtree(tmp_path / ".stacktape")
    return package_function("api", packaging, runtime, architecture, base_dir=tmp_path).artifact.source_code_hash


# --- Poetry ---------------------------------------------------------------------------------

POETRY_PYPROJECT = """
[tool.poetry]
name = "svc"
version = "1.0"

[tool.poetry.dependencies]
python = "^3.11"
tinydep = "^1.0"
winonly = {version = "*", markers = "sys_platform == 'win32'"}

[tool.poetry.group.dev.dependencies]
devdep = "*"
"""

POETRY_LOCK = """
[[package]]
name = "tinydep"
version = "1.0"
optional = false
python-versions = "*"
files = []

[package.dependencies]
otherdep = ">=2"
oldpy = {version = "*", python = "<3.9"}

[[package]]
name = "otherdep"
version = "2.0"
optional = false
python-versions = "*"
files = []

[[package]]
name = "oldpy"
version = "1.0"
optional = false
python-versions = "*"
files = []

[[package]]
name = "winonly"
version = "1.0"
optional = false
python-versions = "*"
files = []

[[package]]
name = "devdep"
version = "1.0"
optional = false
python-versions = "*"
files = []

[metadata]
lock-version = "2.0"
python-versions = "^3.11"
content-hash = "0"
"""


def test_poetry_function_installs_the_locked_main_dependencies(tmp_path: Path, wheels: Path) -> None:
    write(tmp_path, {**HANDLER, "pyproject.toml": POETRY_PYPROJECT, "poetry.lock": POETRY_LOCK})
    packaging = buildpack("handler.py")
    artifact = package_function("api", packaging, "python3.12", "arm64", base_dir=tmp_path).artifact
    # otherdep 2.0 as locked (3.0 is available); no dev group, no Windows-only or Python<3.9-only package.
    assert artifact.files == ("handler.py", *dist("otherdep", "2.0"), *dist("tinydep", "1.0"))
    assert (artifact.handler, artifact.runtime) == ("handler.handler", "python3.12")
    again = package_function("api", packaging, "python3.12", "arm64", base_dir=tmp_path).artifact
    assert again == artifact
    assert rebuilt_hash(tmp_path, packaging, "python3.12", "arm64") == artifact.source_code_hash


def test_poetry_without_a_lock_converts_its_constraints(tmp_path: Path, wheels: Path) -> None:
    write(tmp_path, {**HANDLER, "pyproject.toml": POETRY_PYPROJECT})
    files = package_function("api", buildpack("handler.py"), "python3.12", None, base_dir=tmp_path).artifact.files
    # `^1.0` → >=1.0,<2.0; pip resolves tinydep's own dependency to the newest otherdep.
    assert files == ("handler.py", *(f for f in dist("otherdep", "3.0") if not f.endswith("REQUESTED")),
                     *dist("tinydep", "1.0"))


def test_poetry_groups_and_extras_are_opt_in(tmp_path: Path, wheels: Path) -> None:
    pyproject = POETRY_PYPROJECT.replace('winonly = {version = "*", markers = "sys_platform == \'win32\'"}',
                                         'armonly = {version = "*", optional = true}')
    lock = POETRY_LOCK.replace('name = "winonly"', 'name = "armonly"')
    write(tmp_path, {**HANDLER, "pyproject.toml": pyproject + '[tool.poetry.extras]\narm = ["armonly"]\n',
                     "poetry.lock": lock})
    plain = package_function("api", buildpack("handler.py"), "python3.12", None, base_dir=tmp_path).artifact.files
    assert plain == ("handler.py", *dist("otherdep", "2.0"), *dist("tinydep", "1.0"))
    packaging = buildpack("handler.py", languageSpecificConfig={"uvWithGroups": ["dev"],
                                                                "uvOptionalDependencies": ["arm"]})
    files = package_function("api", packaging, "python3.12", None, base_dir=tmp_path).artifact.files
    assert files == (*dist("armonly", "1.0"), *dist("devdep", "1.0"), "handler.py", *dist("otherdep", "2.0"),
                     *dist("tinydep", "1.0"))
    unknown = buildpack("handler.py", languageSpecificConfig={"uvWithGroups": ["docs"]})
    [problem] = packaging_problems(unknown, None, tmp_path)
    assert problem.message == f"{tmp_path / 'pyproject.toml'} has no Poetry dependency group 'docs'"


def test_poetry_python_constraint_must_allow_the_runtime(tmp_path: Path) -> None:
    write(tmp_path, {**HANDLER, "pyproject.toml": POETRY_PYPROJECT.replace('"^3.11"', '"^3.13"')})
    expected = ("pyproject.toml requires Python ^3.13, but runtime python3.12 runs Python 3.12; set `runtime` "
                "(or languageSpecificConfig.pythonVersion) to a Python it allows")
    with pytest.raises(PackagingError) as err:
        package_function("api", buildpack("handler.py"), "python3.12", None, base_dir=tmp_path)
    assert str(err.value) == expected
    [problem] = packaging_problems(buildpack("handler.py"), "python3.12", tmp_path)
    assert (problem.path, problem.message) == (ENTRY, expected)


def test_an_unreadable_poetry_lock_is_located(tmp_path: Path) -> None:
    write(tmp_path, {**HANDLER, "deps/pyproject.toml": POETRY_PYPROJECT, "deps/poetry.lock": "[[package]\n"})
    packaging = buildpack("handler.py", languageSpecificConfig={"packageManagerFile": "deps/pyproject.toml"})
    [problem] = packaging_problems(packaging, None, tmp_path)
    assert problem.path == ("packaging", "properties", "languageSpecificConfig", "packageManagerFile")
    assert problem.message.startswith(f"cannot read {tmp_path / 'deps/poetry.lock'}: ")
    with pytest.raises(PackagingError, match=r"cannot read .*poetry\.lock"):
        package_function("api", packaging, None, None, base_dir=tmp_path)


def test_a_poetry_lock_with_an_invalid_version_is_located(tmp_path: Path) -> None:
    write(tmp_path, {**HANDLER, "pyproject.toml": POETRY_PYPROJECT,
                     "poetry.lock": POETRY_LOCK.replace('version = "1.0"', 'version = "one"', 1)})
    [problem] = packaging_problems(buildpack("handler.py"), None, tmp_path)
    assert (problem.path, problem.message) == (
        ENTRY, f"cannot read {tmp_path / 'poetry.lock'}: version of 'tinydep': Invalid PEP 440 version: 'one'")


def test_a_stale_poetry_lock_is_an_error(tmp_path: Path) -> None:
    write(tmp_path, {**HANDLER, "pyproject.toml": POETRY_PYPROJECT.replace('tinydep = "^1.0"', 'tinydep = "^5"'),
                     "poetry.lock": POETRY_LOCK})
    [problem] = packaging_problems(buildpack("handler.py"), None, tmp_path)
    assert problem.message == (f"{tmp_path / 'poetry.lock'} locks no version of 'tinydep' that satisfies ^5 "
                               "(is the lock file out of date? run `poetry lock`)")


# --- Pipenv ---------------------------------------------------------------------------------

PIPFILE = """
[[source]]
url = "https://pypi.org/simple"
verify_ssl = true
name = "pypi"

[packages]
tinydep = "*"
armonly = {version = "*", platform_machine = "== 'aarch64'"}

[dev-packages]
devdep = "*"

[requires]
python_version = "3.12"
"""


def pipfile_lock(default: Mapping[str, object], python: str = "3.12") -> str:
    return json.dumps({"_meta": {"requires": {"python_version": python}, "sources": []}, "default": default,
                       "develop": {"devdep": {"version": "==1.0"}}})


LOCKED = {"tinydep": {"version": "==1.0"}, "otherdep": {"version": "==2.0", "markers": "python_version >= '3.8'"},
          "armonly": {"version": "==1.0", "markers": "platform_machine == 'aarch64'"},
          "winonly": {"version": "==1.0", "markers": "sys_platform == 'win32'"}}


@pytest.mark.parametrize(("architecture", "arm_only"), [("arm64", dist("armonly", "1.0")), ("x86_64", ())])
def test_pipenv_function_installs_the_locked_default_packages_for_its_architecture(
        tmp_path: Path, wheels: Path, architecture: str, arm_only: tuple[str, ...]) -> None:
    write(tmp_path, {**HANDLER, "Pipfile": PIPFILE, "Pipfile.lock": pipfile_lock(LOCKED)})
    packaging = buildpack("handler.py")
    artifact = package_function("api", packaging, "python3.12", architecture, base_dir=tmp_path).artifact
    assert artifact.files == (*arm_only, "handler.py", *dist("otherdep", "2.0"), *dist("tinydep", "1.0"))
    assert rebuilt_hash(tmp_path, packaging, "python3.12", architecture) == artifact.source_code_hash


def test_pipfile_without_a_lock_uses_its_packages(tmp_path: Path, wheels: Path) -> None:
    write(tmp_path, {**HANDLER, "Pipfile": PIPFILE})
    files = package_function("api", buildpack("handler.py"), "python3.12", "x86_64", base_dir=tmp_path).artifact.files
    assert files == ("handler.py", *(f for f in dist("otherdep", "3.0") if not f.endswith("REQUESTED")),
                     *dist("tinydep", "1.0"))


def test_the_dependency_file_order_within_a_directory(tmp_path: Path, wheels: Path) -> None:
    write(tmp_path, {**HANDLER, "Pipfile": PIPFILE, "Pipfile.lock": pipfile_lock({"devdep": {"version": "==1.0"}}),
                     "pyproject.toml": POETRY_PYPROJECT, "poetry.lock": POETRY_LOCK})
    files = package_function("api", buildpack("handler.py"), "python3.12", None, base_dir=tmp_path).artifact.files
    assert files == (*dist("devdep", "1.0"), "handler.py")  # the Pipfile before pyproject.toml
    (tmp_path / "requirements.txt").write_text("winonly==1.0\n")
    files = package_function("api", buildpack("handler.py"), "python3.12", None, base_dir=tmp_path).artifact.files
    assert files == ("handler.py", *dist("winonly", "1.0"))  # requirements.txt before both


def test_pipenv_errors_are_located(tmp_path: Path) -> None:
    write(tmp_path, {**HANDLER, "Pipfile": PIPFILE, "Pipfile.lock": "{not json"})
    [unreadable] = packaging_problems(buildpack("handler.py"), "python3.12", tmp_path)
    assert unreadable.path == ENTRY
    assert unreadable.message.startswith(f"cannot read {tmp_path / 'Pipfile.lock'}: Expecting property name")
    (tmp_path / "Pipfile.lock").write_text(pipfile_lock(LOCKED, python="3.11"))
    [version] = packaging_problems(buildpack("handler.py"), "python3.12", tmp_path)
    assert version.message == ("Pipfile.lock requires Python 3.11, but runtime python3.12 runs Python 3.12; set "
                               "`runtime` (or languageSpecificConfig.pythonVersion) to a Python it allows")
    (tmp_path / "Pipfile.lock").write_text(pipfile_lock({"mylib": {"git": "https://example.com/x.git"}}))
    [git] = packaging_problems(buildpack("handler.py"), "python3.12", tmp_path)
    assert git.message == (f"{tmp_path / 'Pipfile.lock'}: package 'mylib' has no locked version (a git, path or "
                           "file source?); the Lambda buildpack installs only wheels from package indexes")


def test_a_locked_package_without_a_wheel_for_lambda_is_todays_error(tmp_path: Path, wheels: Path) -> None:
    unpublished = pipfile_lock({"not-published": {"version": "==9"}})
    write(tmp_path, {**HANDLER, "Pipfile": PIPFILE, "Pipfile.lock": unpublished})
    with pytest.raises(PackagingError) as err:
        package_function("fn", buildpack("handler.py"), "python3.12", "arm64", base_dir=tmp_path)
    message = str(err.value)
    assert message.startswith("function 'fn': installing its Python dependencies for python3.12 on arm64 failed:")
    assert "only wheels for manylinux/aarch64 and Python 3.12 can be installed for Lambda" in message


def test_lambda_marker_environment() -> None:
    environment = lambda_environment("python3.12", "arm64")
    assert (environment["python_version"], environment["python_full_version"], environment["platform_machine"],
            environment["sys_platform"], environment["platform_system"]) == ("3.12", "3.12.0", "aarch64", "linux",
                                                                             "Linux")


# --- Go -------------------------------------------------------------------------------------

GO_PROJECT = {
    "go.mod": "module example.com/svc\n\ngo 1.19\n",
    "cmd/api/main.go": "package main\n\nfunc main() {}\n",
    "config/settings.json": "{}",
}


class RecordingCompiler:
    """The injected compiler boundary: records each call and writes `binary` where `-o` points."""

    def __init__(self, binary: bytes) -> None:
        self.binary = binary
        self.calls: list[tuple[list[str], Path, dict[str, str]]] = []

    def __call__(self, command: list[str], cwd: Path, env: Mapping[str, str]) -> "subprocess.CompletedProcess[str]":
        self.calls.append((command, cwd, dict(env)))
        Path(command[command.index("-o") + 1]).write_bytes(self.binary)
        return subprocess.CompletedProcess(command, 0, "", "")


def test_go_build_command_and_environment(tmp_path: Path) -> None:
    assert go_build_command(Path("/usr/bin/go"), "./cmd/api", tmp_path / "bootstrap") == [
        "/usr/bin/go", "build", "-trimpath", "-tags", "lambda.norpc", "-ldflags=-s -w -buildid=", "-o",
        str(tmp_path / "bootstrap"), "./cmd/api"]
    assert go_environment("arm64") == {"GOOS": "linux", "GOARCH": "arm64", "CGO_ENABLED": "0"}
    assert go_environment("x86_64") == {"GOOS": "linux", "GOARCH": "amd64", "CGO_ENABLED": "0"}


def test_go_function_is_a_bootstrap_binary_zipped_deterministically(tmp_path: Path,
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    write(tmp_path, GO_PROJECT)
    monkeypatch.setenv(GO_ENV, str(fake_go(tmp_path)))
    packaging = buildpack("cmd/api/main.go", includeFiles=["config/*.json"])
    compiler = RecordingCompiler(b"\x7fELF fake")
    cache = tmp_path / ".stacktape" / "lambda"
    artifact = package_go("api", packaging.properties, "provided.al2023", "arm64", base_dir=tmp_path, cache=cache,
                          run=compiler)
    output = cache / "go-builds" / "api" / "bootstrap"
    assert compiler.calls == [([str(tmp_path / "fake-go"), "build", "-trimpath", "-tags", "lambda.norpc",
                                "-ldflags=-s -w -buildid=", "-o", str(output), "./cmd/api"], tmp_path,
                               {"GOOS": "linux", "GOARCH": "arm64", "CGO_ENABLED": "0"})]
    assert (artifact.handler, artifact.runtime, artifact.files) == ("bootstrap", "provided.al2023",
                                                                    ("bootstrap", "config/settings.json"))
    with zipfile.ZipFile(artifact.path) as archive:
        assert archive.read("bootstrap") == b"\x7fELF fake"
        assert stat.S_IMODE(archive.getinfo("bootstrap").external_attr >> 16) == 0o755
    again = package_go("api", packaging.properties, "provided.al2023", "arm64", base_dir=tmp_path, cache=cache,
                       run=RecordingCompiler(b"\x7fELF fake"))
    assert again == artifact
    changed = package_go("api", packaging.properties, "provided.al2023", "arm64", base_dir=tmp_path, cache=cache,
                         run=RecordingCompiler(b"\x7fELF other"))
    assert changed.source_code_hash != artifact.source_code_hash


def test_go_function_through_the_buildpack_runs_go_for_lambda(tmp_path: Path,
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    write(tmp_path, GO_PROJECT)
    monkeypatch.setenv(GO_ENV, str(fake_go(tmp_path)))
    artifact = package_function("api", buildpack("cmd/api/main.go"), None, None, base_dir=tmp_path).artifact
    assert (artifact.handler, artifact.runtime, artifact.files) == ("bootstrap", "provided.al2023", ("bootstrap",))
    with zipfile.ZipFile(artifact.path) as archive:
        recorded = archive.read("bootstrap").decode()
    output = tmp_path / ".stacktape/lambda/go-builds/api/bootstrap"
    assert recorded == (f"linux amd64 0 {tmp_path} build -trimpath -tags lambda.norpc -ldflags=-s -w -buildid= "
                        f"-o {output} ./cmd/api")


def test_a_failed_go_build_is_reported_with_the_compilers_message(tmp_path: Path,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    write(tmp_path, GO_PROJECT)
    monkeypatch.setenv(GO_ENV, str(fake_go(tmp_path)))

    def failing(command: list[str], cwd: Path, env: Mapping[str, str]) -> "subprocess.CompletedProcess[str]":
        return subprocess.CompletedProcess(command, 1, "", "cmd/api/main.go:3:1: syntax error\n")

    with pytest.raises(PackagingError) as err:
        package_go("api", buildpack("cmd/api/main.go").properties, "provided.al2023", "x86_64", base_dir=tmp_path,
                   cache=tmp_path / "cache", run=failing)
    assert str(err.value) == ("function 'api': `go build` of cmd/api/main.go for linux/amd64 failed:\n"
                              "  cmd/api/main.go:3:1: syntax error")


def test_go_problems_validate_reports(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write(tmp_path, {"main.go": "package main\n"})
    monkeypatch.setenv(GO_ENV, str(tmp_path / "no-go-here"))
    problems = packaging_problems(buildpack("main.go", handlerFunction="Handle"), "python3.12", tmp_path)
    assert [(p.path, p.message) for p in problems] == [
        (("runtime",), "runtime python3.12 cannot run the Go entry file main.go"),
        (("packaging", "properties", "handlerFunction"),
         "handlerFunction does not apply to Go functions: Lambda runs the `bootstrap` binary, whose main() starts "
         "the handler (lambda.Start)"),
        (ENTRY, f"no go.mod next to main.go or above it (up to {tmp_path})"),
        (("packaging", "type"), "packaging Go functions needs the `go` CLI, which is not on PATH"),
    ]
    assert problems[-1].hint is not None
    assert problems[-1].hint.startswith("install Go from https://go.dev/doc/install")
    with pytest.raises(PackagingError, match=r"^function 'fn': no go\.mod in "):
        package_function("fn", buildpack("main.go"), None, None, base_dir=tmp_path)


def test_go_is_missing_at_packaging_time_too(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write(tmp_path, GO_PROJECT)
    monkeypatch.setenv(GO_ENV, str(tmp_path / "no-go-here"))
    with pytest.raises(PackagingError, match=r"^function 'fn': packaging Go functions needs the `go` CLI, which is "
                                             r"not on PATH \(install Go"):
        package_function("fn", buildpack("cmd/api/main.go"), None, None, base_dir=tmp_path)


def test_java_stays_refused(tmp_path: Path) -> None:
    [java] = packaging_problems(buildpack("App.java"), None, tmp_path)
    assert (java.path, java.message) == (ENTRY, "Java functions are not supported by the Lambda buildpack yet")


@requires_go()
@pytest.mark.needs_go
@pytest.mark.parametrize(("architecture", "elf_machine"), [("x86_64", 0x3E), ("arm64", 0xB7)])
def test_go_truly_compiles_a_static_linux_binary(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                 architecture: str, elf_machine: int) -> None:
    main = 'package main\n\nimport "fmt"\n\nfunc main() { fmt.Println(1) }\n'
    write(tmp_path, {**GO_PROJECT, "cmd/api/main.go": main})
    monkeypatch.delenv(GO_ENV, raising=False)
    packaging = buildpack("cmd/api/main.go")
    artifact = package_function("api", packaging, None, architecture, base_dir=tmp_path).artifact
    with zipfile.ZipFile(artifact.path) as archive:
        binary = archive.read("bootstrap")
    assert binary[:4] == b"\x7fELF"
    assert int.from_bytes(binary[18:20], "little") == elf_machine
    assert rebuilt_hash(tmp_path, packaging, None, architecture) == artifact.source_code_hash


def test_validate_locates_a_go_function_without_go_and_an_unreadable_lock(
        config_errors: Callable[[str], list[str]], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write(tmp_path, {**GO_PROJECT, **HANDLER, "py/Pipfile": PIPFILE, "py/Pipfile.lock": "[]"})
    monkeypatch.setenv(GO_ENV, str(tmp_path / "no-go-here"))
    assert config_errors("""
        resources:
          api:
            type: function
            properties:
              packaging:
                type: stacktape-lambda-buildpack
                properties: {entryfilePath: cmd/api/main.go}
          jobs:
            type: function
            properties:
              runtime: python3.12
              packaging:
                type: stacktape-lambda-buildpack
                properties:
                  entryfilePath: handler.py
                  languageSpecificConfig: {packageManagerFile: py/Pipfile}
    """) == [
        "stacktape.yml:6:15: resources.api.properties.packaging.type: packaging Go functions needs the `go` CLI, "
        "which is not on PATH (hint: install Go from https://go.dev/doc/install (or `apt-get install golang-go`, "
        "`brew install go`), or set STACKTAPE_GO to the go binary)",
        "stacktape.yml:16:56: resources.jobs.properties.packaging.properties.languageSpecificConfig."
        f"packageManagerFile: cannot read {tmp_path / 'py/Pipfile.lock'}: not a Pipfile.lock (no `default` table) "
        "(hint: the function's dependencies are read from this file when it is packaged)",
    ]


def test_a_go_function_runs_its_bootstrap_on_provided_al2023(preview: Callable[[str], Recording], tmp_path: Path,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    write(tmp_path, GO_PROJECT)
    monkeypatch.setenv(GO_ENV, str(fake_go(tmp_path)))
    rec = preview("""
        resources:
          api:
            type: function
            properties:
              architecture: arm64
              packaging:
                type: stacktape-lambda-buildpack
                properties: {entryfilePath: cmd/api/main.go}
    """)
    inputs = rec.one("aws:lambda/function:Function", "api-function").inputs
    assert (inputs["runtime"], inputs["handler"], inputs["architectures"]) == ("provided.al2023", "bootstrap",
                                                                               ["arm64"])
    with zipfile.ZipFile(inputs["code"]["fileArchive"]) as archive:
        assert archive.namelist() == ["bootstrap"]
        assert archive.read("bootstrap").decode().startswith("linux arm64 0 ")
