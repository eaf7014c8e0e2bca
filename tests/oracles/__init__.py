"""Oracles: reusable checks that read an offline `Recording` and say what AWS (or a reviewer) would reject.

Each oracle is a function `Recording -> list[Finding]`. None of them needs AWS or the Pulumi CLI:
they read the recorded inputs (engine camelCase names, secrets masked as "[secret]") and compare
them with AWS's own models (botocore's request model of every resource type, parliament's IAM reference) and documented
limits. `check_recording` runs every recording-only oracle and splits the findings into those
the allow-list (`oracles.allowlist`, one file, a reason per entry) excuses and the rest. The
secrets oracle also needs the sentinel values planted in the canned world: see `oracles.secrets`.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from fnmatch import fnmatchcase

from stacktape_pulumi.engine import RecordedResource, Recording

SECRET = "[secret]"
UNKNOWN = "[unknown]"
OPAQUE = (SECRET, UNKNOWN)


@dataclass(frozen=True)
class Finding:
    """One thing an oracle objects to, on one recorded resource.

    `code` names the rule; `subject` is what the rule was about (an IAM action, a port, an input
    key) so the allow-list can excuse exactly one case, never a whole rule by accident.
    """

    oracle: str
    code: str
    urn: str
    type: str
    name: str
    message: str
    subject: str = ""

    def render(self) -> str:
        subject = f" [{self.subject}]" if self.subject else ""
        return f"{self.oracle}/{self.code}{subject}: {self.type} {self.name}: {self.message}"


def finding(oracle: str, code: str, resource: RecordedResource, message: str, subject: str = "") -> Finding:
    return Finding(oracle, code, resource.urn, resource.type, resource.name, message, subject)


Oracle = Callable[[Recording], list[Finding]]


@dataclass
class OracleReport:
    """Findings of every oracle over one recording, split by the allow-list."""

    findings: list[Finding] = field(default_factory=list)
    allowed: list[tuple[Finding, str]] = field(default_factory=list)

    def render(self) -> str:
        return "\n".join(f.render() for f in self.findings)


def recording_oracles() -> dict[str, Oracle]:
    """Every oracle that needs only a recording, by name (imported lazily: botocore and parliament are slow)."""
    from oracles import aws_requests, aws_validity, iam_lint, names, security_groups

    return {
        aws_requests.ORACLE: aws_requests.check,
        aws_validity.ORACLE: aws_validity.check,
        iam_lint.ORACLE: iam_lint.check,
        security_groups.ORACLE: security_groups.check,
        names.ORACLE: names.check,
    }


def split_allowed(findings: Iterable[Finding]) -> OracleReport:
    """Findings the allow-list excuses (with the entry's reason) and those it does not."""
    from oracles.allowlist import ALLOWED

    report = OracleReport()
    for item in findings:
        reason = next((entry.reason for entry in ALLOWED if entry.matches(item)), None)
        if reason is None:
            report.findings.append(item)
        else:
            report.allowed.append((item, reason))
    return report


def check_recording(recording: Recording, only: Iterable[str] | None = None) -> OracleReport:
    """Run the recording-only oracles (all, or those named in `only`) and apply the allow-list."""
    oracles = recording_oracles()
    names = list(only) if only is not None else list(oracles)
    found: list[Finding] = []
    for name in names:
        found += oracles[name](recording)
    return split_allowed(found)


@dataclass(frozen=True)
class Allowed:
    """An allow-list entry: findings matching oracle, code, subject, type and name (globs) are excused."""

    oracle: str
    code: str
    subject: str
    reason: str
    type: str = "*"
    name: str = "*"

    def matches(self, item: Finding) -> bool:
        return (item.oracle == self.oracle and fnmatchcase(item.code, self.code)
                and fnmatchcase(item.subject, self.subject) and fnmatchcase(item.type, self.type)
                and fnmatchcase(item.name, self.name))


def custom(recording: Recording) -> list[RecordedResource]:
    """The AWS resources of a recording (components and the stack carry no AWS inputs)."""
    return [r for r in recording.resources if r.custom]


def by_urn(recording: Recording) -> dict[str, RecordedResource]:
    return {r.urn: r for r in recording.resources}
