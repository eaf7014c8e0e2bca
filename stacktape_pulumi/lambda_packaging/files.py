"""Which files go into a package: `includeFiles` / `excludeFiles` globs and the always-skipped clutter.

Globs are relative to the config file's directory, as in the reference, with `*` (within one
path segment), `?` and `**` (any number of segments).
"""

import re
from collections.abc import Iterable, Sequence
from functools import cache
from pathlib import Path

from stacktape_pulumi.lambda_packaging.archive import Entry, file_entry

# Never packaged: caches, VCS data, virtual environments and this tool's own working files.
ALWAYS_SKIPPED = (
    "__pycache__", ".git", ".hg", ".svn", ".venv", "venv", ".mypy_cache", ".pytest_cache", ".ruff_cache",
    ".tox", ".stacktape", ".DS_Store", ".idea", ".vscode",
)
SKIPPED_SUFFIXES = (".pyc", ".pyo")


@cache
def _glob_regex(pattern: str) -> re.Pattern[str]:
    text = pattern.replace("\\", "/").removeprefix("./")
    out = ""
    i = 0
    while i < len(text):
        char = text[i]
        if text.startswith("**/", i):
            out += "(?:.*/)?"
            i += 3
        elif text.startswith("**", i):
            out += ".*"
            i += 2
        elif char == "*":
            out += "[^/]*"
            i += 1
        elif char == "?":
            out += "[^/]"
            i += 1
        else:
            out += re.escape(char)
            i += 1
    # A pattern naming a directory matches everything below it.
    return re.compile(rf"{out}(?:/.*)?")


def matches(relative: str, patterns: Sequence[str]) -> bool:
    """Whether a `/`-separated path relative to the config directory matches one of `patterns`."""
    return any(_glob_regex(p).fullmatch(relative) for p in patterns)


def skipped(path: Path) -> bool:
    return any(part in ALWAYS_SKIPPED for part in path.parts) or path.suffix in SKIPPED_SUFFIXES


def relative_to(path: Path, base: Path) -> str | None:
    try:
        return path.resolve().relative_to(base.resolve()).as_posix()
    except ValueError:
        return None


def included_files(base_dir: Path, patterns: Iterable[str]) -> dict[str, Entry]:
    """Files matching `includeFiles` globs, named by their path relative to the config directory."""
    entries: dict[str, Entry] = {}
    for pattern in patterns:
        for path in sorted(base_dir.glob(pattern.replace("\\", "/").removeprefix("./"))):
            candidates = sorted(p for p in path.rglob("*") if p.is_file()) if path.is_dir() else [path]
            for candidate in candidates:
                name = relative_to(candidate, base_dir)
                if name is not None and candidate.is_file() and not skipped(Path(name)):
                    entries[name] = file_entry(name, candidate)
    return entries


def without_excluded(entries: dict[str, Entry], base_dir: Path, patterns: Sequence[str]) -> dict[str, Entry]:
    """`entries` minus those whose source file (relative to the config directory) or name matches `patterns`."""
    if not patterns:
        return entries
    kept: dict[str, Entry] = {}
    for name, entry in entries.items():
        source = relative_to(entry.source, base_dir) if isinstance(entry.source, Path) else None
        if matches(name, patterns) or (source is not None and matches(source, patterns)):
            continue
        kept[name] = entry
    return kept
