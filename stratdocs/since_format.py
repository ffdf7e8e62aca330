"""`check --since` as text, JSON, GitHub Actions annotations and Markdown.

Pure functions from a `since.SinceReport` to a string; the CLI prints them. The Markdown is a
short report for a pull-request comment or `$GITHUB_STEP_SUMMARY`: a headline with the counts,
then tables of the new findings, the fixed ones, the health changes and the plan changes, each
left out when empty (and one sentence when nothing changed).
"""

from __future__ import annotations

import json

from stratdocs.diff import Change
from stratdocs.findings import Finding, Severity
from stratdocs.model import noun
from stratdocs.numbers import plural
from stratdocs.since import SinceReport

#: Rows per Markdown table; the rest are counted (a job summary is limited to 1 MiB).
MAX_ROWS = 50
#: Health as a mark and a word: never by colour alone (SPEC §6).
HEALTH_MARKS = {"green": "🟢 green", "amber": "🟠 amber", "red": "🔴 red", "no-data": "⚪ no data", "": "—"}
SEVERITY_MARKS = {Severity.ERROR: "❌ error", Severity.WARNING: "⚠️ warning"}


def render(report: SinceReport, fmt: str, prefix: str = "", fail_on: str = "new", strict: bool = False) -> str:
    """The report in `fmt` (text, json, github or markdown).

    :param report: what `since.since` found.
    :param prefix: the project's folder within the git repository (`plan/`), for the paths of
        `github` and `markdown`, which are read from the repository root.
    :param fail_on: "new" or "any"; :param strict: whether warnings fail (both shown in json
        and markdown).
    """
    if fmt == "json":
        return json.dumps(report.as_dict(fail_on, strict), indent=2, ensure_ascii=False)
    if fmt == "github":  # annotations on what the change introduced, nothing on old findings
        return "\n".join(f.github(prefix) for f in report.new)
    if fmt == "markdown":
        return markdown(report, prefix, fail_on, strict)
    return text(report)


def headline(report: SinceReport) -> str:
    """One sentence with the counts: `Since main: 1 new finding (1 warning), 1 fixed, …`.

    :param report: what `since.since` found.
    """
    return (f"Since {report.since}: {plural(len(report.new), 'new finding')}{_severities(report.new)}, "
            f"{len(report.fixed)} fixed, {plural(len(report.health), 'health change')}, "
            f"{plural(len(report.changes), 'plan change')}; {plural(len(report.unchanged), 'older finding')} unchanged.")


def text(report: SinceReport) -> str:
    """Sections of lines, as `check` and `diff` print them; '' when nothing changed.

    :param report: what `since.since` found.
    """
    sections = [("New findings", [f.text() for f in report.new]),
                (f"Fixed findings (as they were at {report.since})", [f.text() for f in report.fixed]),
                ("Health changes", [c.text() for c in report.health]),
                ("Plan changes", [c.text() for c in report.changes])]
    return "\n".join(f"{title}:\n" + "\n".join(f"  {line}" for line in lines)
                     for title, lines in sections if lines)


def markdown(report: SinceReport, prefix: str = "", fail_on: str = "new", strict: bool = False) -> str:
    """The pull-request report.

    :param report: what `since.since` found.
    :param prefix: the project's folder within the git repository, for the paths shown.
    :param fail_on: "new" or "any"; :param strict: whether warnings fail (the title says
        whether the check passes).
    """
    failed = report.failed(fail_on, strict)
    out = [f"### What this change does to the plan — {'❌ fails' if failed else '✅ passes'}", ""]
    if failed:
        what = "errors and warnings" if strict else "errors"
        out += [f"The check fails on the {what} this change introduces." if fail_on == "new" else
                f"The check fails on the plan's {what}, old or new (`--fail-on any`).", ""]
    if report.base_problem:
        out += [f"> **Note:** {_cell(report.base_problem)}.", ""]
    if report.quiet and not report.base_problem:  # without a base, there was nothing to compare
        already = f" ({plural(len(report.unchanged), 'older finding')} unchanged)" if report.unchanged else ""
        out.append(f"Nothing changed in the plan's findings, health or items since `{_code(report.since)}`"
                   f"{already}.")
        return "\n".join(out) + "\n"
    out += [_md_headline(report), ""]
    out += _table("New findings", ["", "Where", "Problem"],
                  [_finding_row(f, prefix) for f in _errors_first(report.new)])
    out += _table(f"Fixed findings (where they were at `{_code(report.since)}`)", ["", "Where", "Problem"],
                  [_finding_row(f, prefix) for f in _errors_first(report.fixed)])
    out += _table("Health changes", ["Item", "Before", "Now"],
                  [[_item(c, report.titles), HEALTH_MARKS.get(c.before, c.before), HEALTH_MARKS.get(c.after, c.after)]
                   for c in report.health])
    out += _table("Plan changes", ["Change", "Item", "What"],
                  [[c.kind, _item(c, {} if c.kind in ("added", "removed") else report.titles), _cell(c.summary())]
                   for c in report.changes])
    return "\n".join(out).rstrip() + "\n"


def _md_headline(report: SinceReport) -> str:
    new = f"**{plural(len(report.new), 'new finding')}**{_severities(report.new)}"
    parts = [f"Compared with `{_code(report.since)}`: {new}", f"**{len(report.fixed)} fixed**",
             plural(len(report.health), "health change"), plural(len(report.changes), "plan change"),
             f"{plural(len(report.unchanged), 'older finding')} unchanged"]
    return " · ".join(parts) + "."


def _table(title: str, header: list[str], rows: list[list[str]]) -> list[str]:
    if not rows:
        return []
    out = [f"#### {title}", "", "| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    out += ["| " + " | ".join(row) + " |" for row in rows[:MAX_ROWS]]
    if len(rows) > MAX_ROWS:
        out.append(f"\n… and {len(rows) - MAX_ROWS} more: run `stratdocs check --since` for all of them.")
    return out + [""]


def _finding_row(finding: Finding, prefix: str) -> list[str]:
    where = f"`{_code(prefix + finding.file)}:{finding.line}`"
    return [SEVERITY_MARKS[finding.severity], where, f"{_cell(finding.message)} (`{_code(finding.code)}`)"]


def _errors_first(found: tuple[Finding, ...]) -> list[Finding]:
    return sorted(found, key=lambda f: (f.severity is not Severity.ERROR, f))


def _item(change: Change, titles) -> str:
    """`KPI `K1` · Annual recurring revenue` (without the title when `titles` lacks it)."""
    title = titles.get(change.entity, "")
    return f"{noun(change.entity_kind)} `{_code(change.entity)}`" + (f" · {_cell(title)}" if title else "")


def _cell(text: str) -> str:
    """Plain text for a Markdown table cell: one line, no HTML, no table or emphasis marks."""
    text = " ".join(text.split())
    for char in "\\`*_[]<>|":
        text = text.replace(char, "\\" + char)
    return text


def _code(text: str) -> str:
    """Text for inside a code span: no backticks, no line breaks, no table pipes."""
    return " ".join(text.replace("`", "'").split()).replace("|", "\\|")


def _severities(found: tuple[Finding, ...]) -> str:
    if not found:
        return ""
    errors = sum(1 for f in found if f.severity is Severity.ERROR)
    parts = [plural(n, word) for n, word in ((errors, "error"), (len(found) - errors, "warning")) if n]
    return f" ({', '.join(parts)})"


