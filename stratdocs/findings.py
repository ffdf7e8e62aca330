"""Findings: every problem stratdocs reports is a value, collected for the whole run.

`check`, `--strict`, the alignment report and `export` are all views of one list of
findings; nothing is decided by log levels (see the MkDocs strict-mode issue #3842).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from enum import Enum

from stratdocs.numbers import plural


class Severity(str, Enum):
    ERROR = "error"
    WARNING = "warning"


#: Error codes of SPEC §7; these always fail `check`.
ERROR_CODES = (
    "encoding", "yaml", "schema", "duplicate-id", "broken-ref", "wrong-kind", "cycle", "csv",
    "template", "output-clash",
)

#: Warning codes of SPEC §7, each switchable in `stratdocs.yml` under `checks:`.
WARNING_CODES = (
    "no-execution", "orphan", "no-kpi", "kpi-unlinked", "review-overdue", "stale-kpi",
    "horizon", "no-owner", "red-unaddressed", "unknown-key", "blocked-fetch", "asset",
    "suspect",
    "external-image", "unknown-status",
    "stale-commentary",
    "milestone-overdue", "initiative-behind-schedule", "initiative-over-budget",
    "action-overdue", "action-no-owner", "risk-unmitigated", "risk-review-overdue",
)

#: Warning codes the schema reports while reading a file (switched off and waived in `project`).
SCHEMA_WARNINGS = ("unknown-key", "external-image", "unknown-status")


@dataclass(frozen=True, slots=True, order=True)
class Finding:
    """One located problem. Ordered by file, line and column for stable output."""

    file: str
    line: int
    col: int
    severity: Severity = field(compare=False)
    code: str = field(compare=True)
    message: str = field(compare=True)
    entity: str | None = field(default=None, compare=False)

    def text(self) -> str:
        return f"{self.file}:{self.line}:{self.col}: {self.severity.value}: {self.message} [{self.code}]"

    def github(self, prefix: str = "") -> str:
        """A GitHub Actions annotation; `prefix` is the project's folder within the repository,
        since Actions wants paths from the repository root."""
        level = "error" if self.severity is Severity.ERROR else "warning"
        msg = self.message.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
        file = _property(prefix + self.file)
        return f"::{level} file={file},line={self.line},col={self.col},title={_property(self.code)}::{msg}"

    def as_dict(self) -> dict:
        return {
            "file": self.file, "line": self.line, "col": self.col,
            "severity": self.severity.value, "code": self.code,
            "message": self.message, "entity": self.entity,
        }


def finding_order(finding: Finding) -> tuple:
    """A key that sorts findings as their own order does (by the fields they compare), in one
    comparison of tuples instead of the dataclass's comparison in Python."""
    return finding.file, finding.line, finding.col, finding.code, finding.message


def merged(findings: tuple[Finding, ...], more) -> tuple[Finding, ...]:
    """`findings` (a project's: already sorted, no two alike) with `more` added, sorted, each once.
    Most checks add nothing, and the plan's own thousands are not compared again then."""
    more = set(more).difference(findings)
    if not more:
        return findings
    return tuple(sorted((*findings, *more), key=finding_order))


def _property(value: str) -> str:
    """Escape an annotation property as the Actions toolkit does."""
    return (value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
            .replace(":", "%3A").replace(",", "%2C"))


def error(file: str, line: int, col: int, code: str, message: str, entity: str | None = None) -> Finding:
    return Finding(file, line, col, Severity.ERROR, code, message, entity)


def warning(file: str, line: int, col: int, code: str, message: str, entity: str | None = None) -> Finding:
    return Finding(file, line, col, Severity.WARNING, code, message, entity)


def has_errors(findings: list[Finding]) -> bool:
    return any(f.severity is Severity.ERROR for f in findings)


def format_findings(findings: list[Finding], fmt: str, prefix: str = "") -> str:
    """Render findings as `text`, `json` or `github` (Actions annotations).

    :param prefix: for `github`, the project's folder within the git repository (`plan/`).
    """
    findings = sorted(findings)
    if fmt == "json":
        return json.dumps([f.as_dict() for f in findings], indent=2, ensure_ascii=False)
    if fmt == "github":
        return "\n".join(f.github(prefix) for f in findings)
    return "\n".join(f.text() for f in findings)


def summary(findings: list[Finding]) -> str:
    errors = sum(1 for f in findings if f.severity is Severity.ERROR)
    warnings = len(findings) - errors
    if not findings:
        return "No problems found."
    return f"{plural(errors, 'error')}, {plural(warnings, 'warning')}."
