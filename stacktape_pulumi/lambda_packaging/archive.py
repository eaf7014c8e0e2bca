"""Deterministic zip archives: the same files always give the same bytes, hence the same code hash.

Entries are written in name order with a fixed timestamp (1980-01-01, the earliest a zip can
hold), Unix permissions normalised to 0644 (0755 for executables), a fixed compression level
and no directory entries. Nothing about the build machine (time, umask, walk order) reaches
the archive, so Lambda's `CodeSha256` changes only when a packaged file does.
"""

import base64
import hashlib
import os
import stat
import zipfile
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

FIXED_DATE_TIME = (1980, 1, 1, 0, 0, 0)
COMPRESS_LEVEL = 6
CHUNK = 1 << 20
FILE_MODE = 0o100644
EXECUTABLE_MODE = 0o100755


@dataclass(frozen=True)
class Entry:
    """One archive member: its name inside the zip and where its bytes come from."""

    name: str
    source: Path | bytes
    executable: bool = False

    def read(self) -> bytes:
        return self.source if isinstance(self.source, bytes) else self.source.read_bytes()


def file_entry(name: str, path: Path) -> Entry:
    """An entry for a file on disk, keeping only its executable bit."""
    mode = path.stat().st_mode
    return Entry(name, path, bool(mode & stat.S_IXUSR))


def tree_entries(root: Path, prefix: str = "", skip: Iterable[str] = ()) -> dict[str, Entry]:
    """Every file below `root` (symlinks followed) as entries named `<prefix><relative path>`.

    `skip` names directories and files (by their own name) left out anywhere in the tree.
    """
    skipped = set(skip)
    entries: dict[str, Entry] = {}
    for directory, dirnames, filenames in os.walk(root, followlinks=True):
        dirnames[:] = sorted(d for d in dirnames if d not in skipped)
        base = Path(directory)
        for filename in sorted(filenames):
            if filename in skipped:
                continue
            path = base / filename
            if not path.is_file():  # a dangling link
                continue
            name = prefix + path.relative_to(root).as_posix()
            entries[name] = file_entry(name, path)
    return entries


def write_zip(entries: Mapping[str, Entry], destination: Path) -> None:
    """Write `entries` to `destination` deterministically (atomically: a reader never sees half a zip)."""
    destination.parent.mkdir(parents=True, exist_ok=True)
    partial = destination.with_name(f".{destination.name}.{os.getpid()}.partial")
    with zipfile.ZipFile(partial, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=COMPRESS_LEVEL) as archive:
        for name in sorted(entries):
            entry = entries[name]
            info = zipfile.ZipInfo(name, date_time=FIXED_DATE_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 3  # Unix, so that the permission bits below are honoured
            info.external_attr = (EXECUTABLE_MODE if entry.executable else FILE_MODE) << 16
            archive.writestr(info, entry.read(), compresslevel=COMPRESS_LEVEL)
    os.replace(partial, destination)


def sha256_file(path: Path) -> bytes:
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        while chunk := stream.read(CHUNK):
            digest.update(chunk)
    return digest.digest()


def code_sha256(path: Path) -> str:
    """Lambda's `CodeSha256` of a deployment package: base64 of the SHA-256 of the zip's bytes."""
    return base64.b64encode(sha256_file(path)).decode("ascii")


def entries_digest(entries: Mapping[str, Entry], *extra: str) -> str:
    """A hex digest of entry names, modes and contents (plus `extra` strings): the artifact's cache key."""
    digest = hashlib.sha256()
    for part in extra:
        digest.update(part.encode())
        digest.update(b"\x00")
    for name in sorted(entries):
        entry = entries[name]
        digest.update(name.encode())
        digest.update(b"\x01" if entry.executable else b"\x00")
        if isinstance(entry.source, bytes):
            digest.update(hashlib.sha256(entry.source).digest())
        else:
            digest.update(sha256_file(entry.source))
    return digest.hexdigest()


def zip_names(path: Path) -> tuple[str, ...]:
    """The member names of a zip file, sorted."""
    with zipfile.ZipFile(path) as archive:
        return tuple(sorted(archive.namelist()))
