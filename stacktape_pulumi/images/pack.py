"""`external-buildpack`: images built and pushed by the Cloud Native Buildpacks CLI (`pack`).

pack builds and publishes the image itself (no Dockerfile), so the build is a command run at
deploy time: `pack build <repository>:<tag> --path <source> --builder <builder>
[--buildpack <id>]… --platform <platform> --publish`. Everything here is pure and local: the
content-addressed tag, the script the command runs, and reading the pushed digest from what
the script prints.

The tag hashes what pack sends: the source directory minus the `exclude` patterns of its
`project.toml` (pack's own filter; pack does not read `.dockerignore`), plus the builder, the
buildpacks and the platform. `.stacktape/` (files this tool generates) is left out of the hash.
"""

import re
import shlex
import tomllib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from stacktape_pulumi.errors import StacktapeError
from stacktape_pulumi.images.hashing import combine, hash_context
from stacktape_pulumi.images.ignore import IgnoreRules
from stacktape_pulumi.images.plan import image_tag, job_name

DEFAULT_BUILDER = "paketobuildpacks/builder-jammy-base"
LOG_DIR = Path(".stacktape") / "pack"
# Environment variables of the build command; the password reaches the script only through these.
REGISTRY_ENV = "STACKTAPE_REGISTRY"
USER_ENV = "STACKTAPE_REGISTRY_USER"
PASSWORD_ENV = "STACKTAPE_REGISTRY_PASSWORD"
DIGEST = r"sha256:[0-9a-f]{64}"
_ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")


@dataclass(frozen=True)
class PackPlan:
    """One `pack build`: its inputs and their content hash."""

    job: str
    source: Path
    builder: str
    buildpacks: tuple[str, ...]
    platform: str
    content_hash: str
    file_count: int = 0

    @property
    def tag(self) -> str:
        return image_tag(self.job, self.content_hash)


def _getter(source: Any) -> Any:
    if isinstance(source, Mapping):
        return source.get
    return lambda key: getattr(source, key, None)


def gitignore_to_dockerignore(line: str) -> str | None:
    """One `project.toml` exclude pattern (gitignore syntax, as pack matches it) → a `.dockerignore` line.

    pack matches a pattern without a leading `/` at any depth (`**/` here), and a pattern with a
    trailing `/` only below that directory; `?` is literal to pack.
    """
    text = line.strip()
    if not text or text.startswith("#"):
        return None
    negate = text.startswith("!")
    if negate:
        text = text[1:]
    # pack anchors `dir/*.ext` patterns at the root, as git does.
    anchored = text.startswith("/") or bool(re.search(r"[^/+]/.*\*\.", text))
    directory_only = text.endswith("/")
    body = text.strip("/").replace("?", "\\?")
    if not body:
        return None
    if directory_only:
        body += "/**"
    return ("!" if negate else "") + ("" if anchored else "**/") + body


def project_excludes(source: Path) -> list[str]:
    """The `exclude` patterns of `<source>/project.toml` (schema 0.1 `[build]` or 0.2 `[io.buildpacks]`).

    `include` lists are not applied to the hash: hashing every file can only rebuild too often,
    never too rarely. An unreadable descriptor is pack's to report; the hash then covers everything.
    """
    path = source / "project.toml"
    if not path.is_file():
        return []
    try:
        doc = tomllib.loads(path.read_text("utf-8", errors="replace"))
    except tomllib.TOMLDecodeError:
        return []
    section = (doc.get("io") or {}).get("buildpacks") or doc.get("build") or {}
    excludes = section.get("exclude") if isinstance(section, dict) else None
    return [str(p) for p in excludes] if isinstance(excludes, list) else []


def pack_ignore_rules(source: Path) -> IgnoreRules:
    lines = [".stacktape"]
    lines += [t for t in (gitignore_to_dockerignore(p) for p in project_excludes(source)) if t]
    return IgnoreRules.from_lines(lines, str(source / "project.toml"))


def pack_plan(base_dir: Path, workload: str, container: str, props: Any, platform: str) -> PackPlan:
    """Hash an `external-buildpack` container's source directory, builder, buildpacks and platform."""
    get = _getter(props)
    source = (base_dir / str(get("sourceDirectoryPath"))).resolve()
    if not source.is_dir():
        raise StacktapeError(f"sourceDirectoryPath '{get('sourceDirectoryPath')}' is not a directory ({source})")
    if get("command"):
        raise StacktapeError(COMMAND_NOT_SUPPORTED)
    builder = str(get("builder") or DEFAULT_BUILDER)
    buildpacks = tuple(str(b) for b in get("buildpacks") or [])
    digest = hash_context(source, pack_ignore_rules(source))
    content_hash = combine(digest.digest, "pack", builder, "\0".join(buildpacks), platform)
    return PackPlan(job_name(workload, container), source, builder, buildpacks, platform, content_hash,
                    digest.file_count)


COMMAND_NOT_SUPPORTED = ("command is not supported with external-buildpack yet: pack cannot set an image's start "
                         "command, and a container command only becomes arguments of the image's default process")
COMMAND_HINT = ("set the start command in the source directory (a Procfile for Paketo builders), or use "
                "packaging type custom-dockerfile")


def pack_arguments(plan: PackPlan, image_ref: str, source_path: str) -> list[str]:
    """`pack build <ref> --path <source> --builder <builder> [--buildpack <id>]… --platform <p> --publish`."""
    args = ["pack", "build", image_ref, "--path", source_path, "--builder", plan.builder]
    for buildpack in plan.buildpacks:
        args += ["--buildpack", buildpack]
    return [*args, "--platform", plan.platform, "--publish"]


def pack_script(arguments: Sequence[str], log_path: str) -> str:
    """The shell script of the build command.

    Credentials: a throw-away `DOCKER_CONFIG` holding one `auths` entry built from the
    environment, so the password is never part of the script (nor of the process list); the
    Docker endpoint of the current context is kept. pack's log goes to a file (printed on
    failure and kept at `log_path`); stdout carries only the lines naming a digest, which
    keeps the command's recorded output small.
    """
    command = shlex.join(arguments)
    return "\n".join([
        "set -eu",
        'work="$(mktemp -d)"',
        "trap 'rm -rf \"$work\"' EXIT",
        'if [ -z "${DOCKER_HOST:-}" ] && command -v docker >/dev/null 2>&1; then',
        "  DOCKER_HOST=\"$(docker context inspect --format '{{.Endpoints.docker.Host}}' 2>/dev/null || true)\"",
        "  export DOCKER_HOST",
        "fi",
        f'auth="$(printf \'%s:%s\' "${USER_ENV}" "${PASSWORD_ENV}" | base64 | tr -d \'\\n\')"',
        f'printf \'{{"auths":{{"%s":{{"auth":"%s"}}}}}}\\n\' "${REGISTRY_ENV}" "$auth" > "$work/config.json"',
        'export DOCKER_CONFIG="$work"',
        f'if {command} > "$work/pack.log" 2>&1; then',
        f"  grep -E '{DIGEST}' \"$work/pack.log\" || true",
        "else",
        "  status=$?",
        f"  mkdir -p {shlex.quote(str(Path(log_path).parent))}",
        f'  cp "$work/pack.log" {shlex.quote(log_path)}',
        '  tail -n 80 "$work/pack.log" >&2',
        f'  echo "pack build failed (exit $status); full log: {log_path}" >&2',
        '  exit "$status"',
        "fi",
        "",
    ])


# An environment-only change (a fresh ECR token on every deployment) must not build again:
# the update prints what the last build printed, so the digest is read from it unchanged.
KEEP_OUTPUT_SCRIPT = 'printf \'%s\\n\' "${PULUMI_COMMAND_STDOUT:-}"\n'


def pack_digest(stdout: str, image_ref: str = "") -> str:
    """The digest of the image pack published, from its log lines.

    In order of preference: the exporter's `*** Digest: sha256:…` (verbose), its
    `*** Images (sha256:…):` heading (a published image is identified by its digest), and
    `<repository>@sha256:…` (what `pack --quiet` prints). Raises when none or several differ.
    """
    text = _ANSI.sub("", stdout)
    repository = image_ref.rsplit(":", 1)[0] if image_ref else ""
    searches = [rf"\*\*\* Digest: ({DIGEST})", rf"\*\*\* Images \(({DIGEST})\)"]
    if repository:
        searches.append(re.escape(repository) + rf"@({DIGEST})")
    for pattern in searches:
        found: set[str] = {str(match) for match in re.findall(pattern, text)}
        if len(found) == 1:
            return found.pop()
        if found:
            raise StacktapeError(f"pack build {image_ref} reported several digests ({', '.join(sorted(found))})")
    raise StacktapeError(f"pack build {image_ref} printed no image digest (expected '*** Images (sha256:…)' "
                         "in its output); is the `pack` on PATH the Cloud Native Buildpacks CLI?")
