"""The packaged function and the content-addressed cache it lives in.

Artifacts are written to `<config dir>/.stacktape/lambda/<function>-<key>.zip`, where `key`
is a digest of everything packaged. A preview or deploy whose inputs did not change finds
the zip already there and does not rewrite it; a changed input gives a new file (older
artifacts of the same function are removed). Because the zip is deterministic, even a
rebuilt artifact of unchanged inputs has the same bytes and the same `sourceCodeHash`.
"""

import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from stacktape_pulumi.errors import StacktapeError
from stacktape_pulumi.lambda_packaging.archive import Entry, code_sha256, write_zip, zip_names

CACHE_DIR = Path(".stacktape") / "lambda"
KEY_LENGTH = 20
# Bump when the packaging logic changes what a given input produces: every key changes with it.
SCHEME = "stacktape-pulumi-lambda-v1"


class PackagingError(StacktapeError):
    """A function's code could not be packaged (missing files, failed dependency install or bundle)."""


@dataclass(frozen=True)
class LambdaArtifact:
    """A deployment package ready for `aws.lambda_.Function(code=..., source_code_hash=...)`."""

    path: Path
    source_code_hash: str  # Lambda's CodeSha256: base64 of the SHA-256 of the zip
    handler: str
    runtime: str
    files: tuple[str, ...]  # archive members, sorted


def cache_root(base_dir: Path) -> Path:
    return base_dir / CACHE_DIR


def slug(name: str) -> str:
    """A function name as a file-name part."""
    return re.sub(r"[^A-Za-z0-9_.-]+", "-", name).strip("-.") or "function"


def store(cache: Path, function: str, key: str, entries: Mapping[str, Entry], *, handler: str,
          runtime: str) -> LambdaArtifact:
    """The cached artifact for `key`, written from `entries` only when it is not there yet."""
    if not entries:
        raise PackagingError(f"function '{function}': nothing to package (no files matched)")
    name_slug = slug(function)
    path = cache / f"{name_slug}-{key[:KEY_LENGTH]}.zip"
    if not path.is_file():
        write_zip(entries, path)
        for stale in cache.glob(f"{name_slug}-*.zip"):
            if stale != path and re.fullmatch(rf"{re.escape(name_slug)}-[0-9a-f]{{{KEY_LENGTH}}}\.zip", stale.name):
                stale.unlink(missing_ok=True)
    return LambdaArtifact(path, code_sha256(path), handler, runtime, zip_names(path))


def existing(path: Path, *, handler: str, runtime: str) -> LambdaArtifact:
    """An artifact for a zip the user built (custom-artifact `packagePath` pointing at a `.zip`)."""
    return LambdaArtifact(path, code_sha256(path), handler, runtime, zip_names(path))
