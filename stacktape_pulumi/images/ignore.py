""".dockerignore rules with Docker's semantics (moby/patternmatcher), and the walk-pruning test.

Docker's rules differ from .gitignore: a pattern is anchored at the context root (`*.md`
matches `README.md`, not `docs/x.md`; use `**/*.md` for that), a pattern matching a
directory excludes everything below it, `!pattern` re-includes, and the last matching
pattern wins. These are the rules BuildKit applies when it sends the context, so the
content hash sees exactly the files the build sees.
"""

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path


def _component_regex(pattern: str) -> str:
    """Regex for one pattern, `**` allowed (`**/` = any number of leading directories)."""
    out: list[str] = []
    i = 0
    n = len(pattern)
    while i < n:
        ch = pattern[i]
        if ch == "*":
            if i + 1 < n and pattern[i + 1] == "*":
                i += 2
                if i < n and pattern[i] == "/":
                    i += 1
                out.append(".*" if i >= n else "(?:.*/)?")
                continue
            out.append("[^/]*")
        elif ch == "?":
            out.append("[^/]")
        elif ch == "[":
            end = pattern.find("]", i + 1)
            if end == -1:
                out.append(re.escape(ch))
            else:
                body = pattern[i + 1:end]
                if body.startswith("^") or body.startswith("!"):
                    body = "^" + body[1:]
                out.append("[" + body.replace("\\", "\\\\") + "]")
                i = end
        elif ch == "\\" and i + 1 < n:
            i += 1
            out.append(re.escape(pattern[i]))
        else:
            out.append(re.escape(ch))
        i += 1
    return "".join(out)


def clean_pattern(text: str) -> str:
    """Docker cleans patterns like Go's `filepath.Clean` and drops a leading `/`."""
    parts: list[str] = []
    for part in text.strip().split("/"):
        if part in ("", "."):
            continue
        if part == ".." and parts and parts[-1] != "..":
            parts.pop()
            continue
        parts.append(part)
    return "/".join(parts)


@dataclass(frozen=True)
class Pattern:
    """One ignore line: a compiled pattern and whether it re-includes (`!`)."""

    text: str
    exclusion: bool  # True for `!pattern`

    @cached_property
    def regex(self) -> re.Pattern[str]:
        return re.compile("^" + _component_regex(self.text) + "$")

    @cached_property
    def parts(self) -> tuple[re.Pattern[str] | None, ...]:
        """Per-directory-level regexes (None for `**`), to decide whether a directory can hold a match."""
        return tuple(None if p == "**" else re.compile("^" + _component_regex(p) + "$")
                     for p in self.text.split("/"))

    def matches(self, path: str, parents: Sequence[str]) -> bool:
        """Docker matches a pattern against the path and against each of its parent directories."""
        if self.regex.match(path):
            return True
        return any(self.regex.match(parent) for parent in parents)

    def could_match_below(self, directory: str) -> bool:
        """Whether some path below `directory` could match this pattern (used to prune walks)."""
        return _prefix_possible(self.parts, 0, directory.split("/"), 0)


def _prefix_possible(parts: tuple[re.Pattern[str] | None, ...], pi: int, dirs: list[str], di: int) -> bool:
    # The pattern matched the directory or one of its parents (so everything below), or
    # parts of it are left to match what lies below the directory.
    if pi == len(parts) or di == len(dirs):
        return True
    part = parts[pi]
    if part is None:  # `**` absorbs zero or more directory levels
        return _prefix_possible(parts, pi + 1, dirs, di) or _prefix_possible(parts, pi, dirs, di + 1)
    return bool(part.match(dirs[di])) and _prefix_possible(parts, pi + 1, dirs, di + 1)


def parse_lines(lines: Iterable[str]) -> list[Pattern]:
    """`.dockerignore` lines → patterns (comments and blank lines dropped)."""
    patterns: list[Pattern] = []
    for raw in lines:
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        exclusion = line.startswith("!")
        text = clean_pattern(line[1:] if exclusion else line)
        if text:
            patterns.append(Pattern(text, exclusion))
    return patterns


@dataclass(frozen=True)
class IgnoreRules:
    """The ordered patterns of one build context; `ignored(path)` follows Docker's last-match-wins."""

    patterns: tuple[Pattern, ...] = ()
    source: str | None = field(default=None, compare=False)  # the file they came from, for messages

    @classmethod
    def from_lines(cls, lines: Iterable[str], source: str | None = None) -> "IgnoreRules":
        return cls(tuple(parse_lines(lines)), source)

    @classmethod
    def from_file(cls, path: Path) -> "IgnoreRules":
        if not path.is_file():
            return cls()
        return cls.from_lines(path.read_text("utf-8", errors="replace").splitlines(), str(path))

    @cached_property
    def has_exceptions(self) -> bool:
        return any(p.exclusion for p in self.patterns)

    def ignored(self, path: str) -> bool:
        """Whether the context-relative POSIX `path` is left out of the build context."""
        if not self.patterns:
            return False
        pieces = path.split("/")
        parents = ["/".join(pieces[:i]) for i in range(1, len(pieces))]
        matched = False
        for pattern in self.patterns:
            # As moby: an exclusion only matters once something matched, a pattern only while nothing did.
            if pattern.exclusion != matched:
                continue
            if pattern.matches(path, parents):
                matched = not pattern.exclusion
        return matched

    def prune(self, directory: str) -> bool:
        """True when an ignored `directory` can be skipped without reading it.

        It can unless a later `!pattern` could re-include something below it, which is the
        one case where Docker itself has to walk into an excluded directory.
        """
        if not self.has_exceptions:
            return True
        return not any(p.exclusion and p.could_match_below(directory) for p in self.patterns)


def dockerignore_for(context: Path, dockerfile: Path | None) -> Path | None:
    """The ignore file BuildKit uses: `<Dockerfile>.dockerignore` beside the Dockerfile, else the context's."""
    if dockerfile is not None:
        specific = dockerfile.with_name(dockerfile.name + ".dockerignore")
        if specific.is_file():
            return specific
    root = context / ".dockerignore"
    return root if root.is_file() else None
