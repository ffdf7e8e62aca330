"""`check`'s findings as LSP diagnostics: 1-based line and column to a 0-based range."""

from __future__ import annotations

import re

from lsprotocol import types

from stratdocs.findings import Finding, Severity

SOURCE = "stratdocs"
SEVERITIES = {Severity.ERROR: types.DiagnosticSeverity.Error, Severity.WARNING: types.DiagnosticSeverity.Warning}
#: Where a finding's range ends: at a key's colon, at the end of a flow-list item, or of the line.
_TOKEN = re.compile(r"[^,\]\}\n]*?(?=\s*(?::\s|:$|[,\]\}]|\s#|$))")


def span(lines: list[str], line: int, col: int) -> tuple[int, int, int]:
    """The 0-based (line, start, end) a finding at 1-based `line`:`col` covers, in code points.

    The range runs over the key or value at that place: to a key's colon, to the end of a
    flow-list item, else to the end of the line (trailing spaces left out); at least one
    character when the line has any.

    :param lines: the document's lines without line ends.
    """
    row = min(max(line - 1, 0), max(len(lines) - 1, 0))
    text = lines[row] if lines else ""
    start = min(max(col - 1, 0), len(text))
    match = _TOKEN.match(text, start)
    end = start + len(match[0]) if match else len(text.rstrip())
    if end <= start:
        end = len(text.rstrip()) if len(text.rstrip()) > start else min(start + 1, len(text))
    return row, start, end


def diagnostic(finding: Finding, lines: list[str]) -> types.Diagnostic:
    """One finding of the open file as a diagnostic (its range in code points: see `span`)."""
    row, start, end = span(lines, finding.line, finding.col)
    return types.Diagnostic(
        range=types.Range(start=types.Position(line=row, character=start), end=types.Position(line=row, character=end)),
        message=finding.message, severity=SEVERITIES[finding.severity], code=finding.code, source=SOURCE)


def for_file(findings, rel: str, lines: list[str]) -> list[types.Diagnostic]:
    """The diagnostics of the findings about file `rel` (project-relative), in their order.

    :param findings: every finding of the loaded project.
    :param lines: the text of `rel` as the editor holds it, without line ends.
    """
    return [diagnostic(f, lines) for f in sorted(findings) if f.file == rel]
