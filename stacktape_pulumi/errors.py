"""Errors a user can see, and the one shape of a problem before it is located.

A check says what is wrong *where in the config* (a `Problem` at a `KeyPath`); the source map
of the loaded YAML turns it into a `ConfigIssue` located as FILE:LINE:COL. Python users, who
have no YAML, see the same Problem named by its key path (`format_path`).
"""

from dataclasses import dataclass, field

PathElem = str | int
KeyPath = tuple[PathElem, ...]
"""Where a value sits in the config: mapping keys and list indexes, outermost first."""


def format_path(path: KeyPath) -> str:
    """`('resources', 'api', 'containers', 0, 'name')` → `resources.api.containers[0].name`."""
    text = ""
    for elem in path:
        if isinstance(elem, int):
            text += f"[{elem}]"
        else:
            text += f".{elem}" if text else elem
    return text


class StacktapeError(Exception):
    """Base of every error this package raises on purpose."""


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a config, at a key path relative to what was checked.

    The path is relative to the value the check was given (a resource's `properties`, a
    container's `packaging`, a directive's own position: then it is empty); the caller
    prefixes it. `at_key` points the location at the key rather than its value (for
    "this option is not supported" the key is what the user wrote wrong).
    """

    path: KeyPath
    message: str
    hint: str | None = None
    at_key: bool = False


@dataclass(frozen=True)
class ConfigIssue:
    """One located problem in a config file (a `Problem` placed by `config.loader.SourceMap`)."""

    file: str
    line: int
    col: int
    path: str
    message: str
    hint: str | None = None

    def render(self) -> str:
        where = f"{self.file}:{self.line}:{self.col}"
        text = f"{where}: {self.path}: {self.message}" if self.path else f"{where}: {self.message}"
        if self.hint:
            text += f" (hint: {self.hint})"
        return text

    def sort_key(self) -> tuple[str, int, int, str]:
        return (self.file, self.line, self.col, self.message)

    def names_an_unbuilt_file(self) -> bool:
        """Is this a file the config names that is missing or unreadable, which a build step could produce?"""
        return any(marker in self.message for marker in UNBUILT_FILE_MARKERS)


# The wording of every "this file is not there (yet)" issue: packagePath, entry files, Dockerfiles,
# build contexts, script files. `stacktape-pulumi up` runs the beforeDeploy hooks first when these are
# a config's only issues (tests/test_scripts.py holds a config for each).
UNBUILT_FILE_MARKERS = ("does not exist", "is not a valid zip file")


@dataclass
class ConfigError(StacktapeError):
    """One or more located problems; raised before any resource exists."""

    issues: list[ConfigIssue] = field(default_factory=list)

    def __post_init__(self) -> None:
        super().__init__(self.render())

    def render(self) -> str:
        ordered = sorted(self.issues, key=ConfigIssue.sort_key)
        return "\n".join(issue.render() for issue in ordered)

    def __str__(self) -> str:
        return self.render()
