"""Content hash of a Docker build context: the files the build sees, after the ignore rules.

The walk applies the rules while it descends, so an ignored directory (`node_modules`,
`.git`) is skipped without listing it. Files are streamed through SHA-256 in fixed-size
chunks (never read whole), on a small thread pool: hashlib releases the GIL, so reading and
hashing overlap across files. The result depends only on paths, kinds, the executable bit,
link targets and contents, in a fixed order, never on timestamps or the walk's timing.
"""

import hashlib
import os
import stat
from collections.abc import Iterator, Mapping
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from stacktape_pulumi.errors import StacktapeError
from stacktape_pulumi.images.ignore import IgnoreRules

# Changing how inputs are hashed must change every tag, so the version is hashed too.
HASH_SCHEME = "stacktape-pulumi-image-v1"
CHUNK = 1 << 20
# Small files are cheaper to hash in the walking thread than to hand to the pool.
POOL_THRESHOLD = 64 * 1024


@dataclass(frozen=True)
class ContextEntry:
    """One path of the context: `f`ile, `d`irectory or `l`ink, with what identifies its content."""

    path: str
    kind: str
    executable: bool = False
    size: int = 0


@dataclass
class ContextDigest:
    """The hash of a context and what it covered."""

    digest: str
    files: list[str] = field(default_factory=list)
    directories: list[str] = field(default_factory=list)
    byte_count: int = 0

    @property
    def file_count(self) -> int:
        return len(self.files)


def walk_context(root: Path, rules: IgnoreRules) -> Iterator[ContextEntry]:
    """Every path BuildKit would send for `root` under `rules`, in a stable order."""
    stack: list[str] = [""]
    while stack:
        rel_dir = stack.pop()
        directory = root / rel_dir if rel_dir else root
        try:
            with os.scandir(directory) as listing:
                entries = sorted(listing, key=lambda e: e.name)
        except OSError as exc:
            raise StacktapeError(f"cannot read build context directory {directory}: {exc.strerror}") from None
        subdirs: list[str] = []
        for entry in entries:
            rel = f"{rel_dir}/{entry.name}" if rel_dir else entry.name
            ignored = rules.ignored(rel)
            if entry.is_symlink():
                if not ignored:
                    yield ContextEntry(rel, "l")
                continue
            if entry.is_dir():
                if ignored and rules.prune(rel):
                    continue
                if not ignored:
                    yield ContextEntry(rel, "d")
                subdirs.append(rel)
            elif entry.is_file() and not ignored:
                info = entry.stat()
                yield ContextEntry(rel, "f", bool(info.st_mode & stat.S_IXUSR), info.st_size)
        # Reversed so that popping visits subdirectories in name order.
        stack.extend(reversed(subdirs))


def file_sha256(path: Path) -> str:
    """SHA-256 of a file, streamed in chunks."""
    try:
        with path.open("rb") as handle:
            return hashlib.file_digest(handle, "sha256").hexdigest()
    except OSError as exc:
        raise StacktapeError(f"cannot read {path} for the image content hash: {exc.strerror}") from None


def _small_sha256(path: Path) -> str:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError as exc:
        raise StacktapeError(f"cannot read {path} for the image content hash: {exc.strerror}") from None


def hash_context(root: Path, rules: IgnoreRules, *, workers: int | None = None) -> ContextDigest:
    """Hash the context `root` as filtered by `rules`; raise `StacktapeError` if it is unreadable."""
    if not root.is_dir():
        raise StacktapeError(f"build context {root} is not a directory")
    total = hashlib.sha256(HASH_SCHEME.encode())
    result = ContextDigest(digest="")
    pool_size = workers or min(16, (os.cpu_count() or 2) * 2)
    with ThreadPoolExecutor(max_workers=pool_size) as pool:
        pending: list[tuple[ContextEntry, str | Future[str]]] = []

        def flush() -> None:
            for entry, content in pending:
                digest = content if isinstance(content, str) else content.result()
                total.update(f"f\0{entry.path}\0{int(entry.executable)}\0{digest}\n".encode())
            pending.clear()

        for entry in walk_context(root, rules):
            if entry.kind == "f":
                path = root / entry.path
                content: str | Future[str] = (_small_sha256(path) if entry.size < POOL_THRESHOLD
                                   else pool.submit(file_sha256, path))
                pending.append((entry, content))
                result.files.append(entry.path)
                result.byte_count += entry.size
                if len(pending) >= 4096:
                    flush()
                continue
            flush()
            if entry.kind == "l":
                target = os.readlink(root / entry.path)
                total.update(f"l\0{entry.path}\0{target}\n".encode())
            else:
                result.directories.append(entry.path)
                total.update(f"d\0{entry.path}\n".encode())
        flush()
    result.digest = total.hexdigest()
    return result


def combine(*parts: str, build_args: Mapping[str, str] | None = None) -> str:
    """SHA-256 over labelled parts (context digest, Dockerfile text, platform, …) and sorted build args."""
    digest = hashlib.sha256(HASH_SCHEME.encode())
    for part in parts:
        digest.update(len(part).to_bytes(8, "big") + part.encode())
    for key, value in sorted((build_args or {}).items()):
        digest.update(f"arg\0{key}\0{value}\n".encode())
    return digest.hexdigest()
