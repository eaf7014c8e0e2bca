"""Errors a user can see: every config problem is located as FILE:LINE:COL."""

from dataclasses import dataclass, field


class StacktapeError(Exception):
    """Base of every error this package raises on purpose."""


@dataclass(frozen=True)
class ConfigIssue:
    """One located problem in a config file."""

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
