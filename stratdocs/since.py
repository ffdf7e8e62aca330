"""`stratdocs check --since REV`: what a change does to the plan.

The plan at REV (exported from git, as `stratdocs diff` does) and the working tree are both
checked. Their findings are matched on code, item, file and message -- not on line, so a finding
that only moved down a few lines is neither new nor fixed -- which gives the findings the change
introduced and those it fixed. The health changes of objectives and KPIs and the plan changes
come from `diff.compare`. The result is one `SinceReport` value; `since_format` prints it.
"""

from __future__ import annotations

import re
import tempfile
from collections import Counter
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Iterable, Mapping

from stratdocs import git, pipeline, project as project_mod
from stratdocs.diff import Change, compare
from stratdocs.errors import ConfigError, UsageError
from stratdocs.findings import Finding, Severity, merged

#: Line and row numbers inside a message (`already used by content/x.md:12`), which move when
#: lines are added above them and so must not make a finding look new.
_NUMBERS = re.compile(r"(?<=\.md):\d+(?::\d+)?|(?<=\.csv):\d+(?::\d+)?|\b(?<=line )\d+|\b(?<=row )\d+")


@dataclass(frozen=True)
class SinceReport:
    """What the working tree changes against a revision."""

    since: str                        #: the revision compared with, as given
    new: tuple[Finding, ...]          #: findings now that the revision did not have
    fixed: tuple[Finding, ...]        #: findings of the revision that are gone (located there)
    unchanged: tuple[Finding, ...]    #: findings in both (located now)
    health: tuple[Change, ...]        #: objectives and KPIs whose health changed
    changes: tuple[Change, ...]       #: the other plan changes, as `stratdocs diff` lists them
    findings: tuple[Finding, ...]     #: every finding now: what plain `check` reports
    #: why the revision's findings could not be read, so that all findings now count as new
    base_problem: str = ""
    #: the title of every item named in `health` and `changes` (now, or at the revision if removed)
    titles: Mapping[str, str] = field(default_factory=dict)

    @property
    def quiet(self) -> bool:
        """Nothing changed: no new or fixed finding, no health or plan change."""
        return not (self.new or self.fixed or self.health or self.changes)

    def failed(self, fail_on: str = "new", strict: bool = False) -> bool:
        """Whether `check` fails: on errors (and warnings, if `strict`) among the new findings
        (`fail_on` "new") or among all findings now ("any")."""
        pool = self.new if fail_on == "new" else self.findings
        return any(f.severity is Severity.ERROR or strict for f in pool)

    def as_dict(self, fail_on: str = "new", strict: bool = False) -> dict:
        """The report as JSON-ready data (the object `check --since --format json` prints,
        documented in docs/ci.md).

        :param fail_on: "new" or "any", as `failed`; :param strict: whether warnings fail.
        """
        def errors(found) -> int:
            return sum(1 for f in found if f.severity is Severity.ERROR)
        return {
            "since": self.since, "base_problem": self.base_problem or None,
            "fail_on": fail_on, "strict": strict, "failed": self.failed(fail_on, strict),
            "counts": {"new": len(self.new), "new_errors": errors(self.new),
                       "new_warnings": len(self.new) - errors(self.new), "fixed": len(self.fixed),
                       "unchanged": len(self.unchanged), "health": len(self.health),
                       "changes": len(self.changes)},
            "new": [f.as_dict() for f in self.new], "fixed": [f.as_dict() for f in self.fixed],
            "health": [self._change(c) for c in self.health], "changes": [self._change(c) for c in self.changes],
        }

    def _change(self, change: Change) -> dict:
        return {**change.as_dict(), "title": self.titles.get(change.entity, "")}


def finding_key(finding: Finding) -> tuple:
    """What identifies a finding across revisions: code, item, file and message without the
    line and row numbers in it.

    :param finding: a finding of either revision.
    """
    return finding.code, finding.entity, finding.file, _NUMBERS.sub("#", finding.message)


def match(before: tuple[Finding, ...], after: tuple[Finding, ...]) -> tuple[list, list, list]:
    """Split findings into (new, fixed, unchanged), matching them with `finding_key`; a key
    found twice before and three times now makes one new finding.

    :param before: the revision's findings; :param after: the findings now.
    """
    left = Counter(finding_key(f) for f in before)
    new, unchanged = [], []
    for finding in sorted(after):
        key = finding_key(finding)
        if left[key] > 0:
            left[key] -= 1
            unchanged.append(finding)
        else:
            new.append(finding)
    fixed = []
    for finding in sorted(before):
        key = finding_key(finding)
        if left[key] > 0:
            left[key] -= 1
            fixed.append(finding)
    return new, fixed, unchanged


def since(root: Path, rev: str, use_cache: bool = True) -> SinceReport:
    """Compare the project at `root` (the working tree) with the same folder at `rev`.

    :param root: the project folder, inside a git checkout.
    :param rev: the revision to compare with (a commit, tag or branch: `origin/main`).
    :param use_cache: the working tree's check may use the load cache (`check --no-cache`: not).
    :raises UsageError: outside git, or for a revision git does not know.
    :raises ConfigError: for a bad configuration now (one at `rev` is reported as `base_problem`).
    """
    _require_revision(root, rev)
    checked = pipeline.check(root, use_cache=use_cache)
    with tempfile.TemporaryDirectory(prefix="stratdocs-since-") as tmp:
        base, base_findings, problem = _base(root, rev, Path(tmp))
    new, fixed, unchanged = match(base_findings, checked.findings)
    changes = compare(base, checked.project) if base is not None else []
    plans = (base.plan, checked.project.plan) if base is not None else (checked.project.plan,)
    titles = {e.id: e.title for plan in plans for e in plan}
    return SinceReport(rev, tuple(new), tuple(fixed), tuple(unchanged),
                       tuple(c for c in changes if c.kind == "health"),
                       tuple(c for c in changes if c.kind != "health"), checked.findings, problem,
                       {c.entity: titles.get(c.entity, "") for c in changes})


def narrowed(report: SinceReport, ids: Iterable[str]) -> SinceReport:
    """The report about the items `ids` only (`check --since REV --owner NAME`): their findings,
    health changes and plan changes. A fixed finding counts when its item has that id now.

    :param ids: the item ids kept (compared ignoring case).
    """
    keep = {i.lower() for i in ids}

    def mine(found):
        return tuple(f for f in found if f.entity and f.entity.lower() in keep)
    return replace(report, new=mine(report.new), fixed=mine(report.fixed), unchanged=mine(report.unchanged),
                   findings=mine(report.findings),
                   health=tuple(c for c in report.health if c.entity.lower() in keep),
                   changes=tuple(c for c in report.changes if c.entity.lower() in keep))


def _require_revision(root: Path, rev: str) -> None:
    git.toplevel(root)
    if not rev or rev.startswith("-") or not git.is_revision(root, rev):
        raise UsageError(f"'{rev}' is not a revision of this repository; in CI, fetch the base branch "
                         "first (actions/checkout with fetch-depth: 0, or git fetch origin BRANCH)")


def _base(root: Path, rev: str, into: Path) -> tuple[project_mod.Project | None, tuple[Finding, ...], str]:
    """The project at `rev`, its findings (as `check` would report them there), and why they
    could not be read ('' when they could)."""
    if not git.has_folder(root, rev):
        return None, (), f"the plan did not exist at {rev}, so every finding counts as new"
    copy = git.export(root, rev, into)
    try:
        project = project_mod.load(copy)
    except ConfigError as exc:
        return None, (), (f"the configuration at {rev} is invalid ({_first_line(exc)}), so every "
                          "finding counts as new")
    try:
        _, found = pipeline.preflight(_without_changes_sections(project))
    except ConfigError as exc:
        return project, project.findings, (f"the theme or documents at {rev} could not be checked "
                                           f"({_first_line(exc)}), so their findings count as new")
    return project, merged(project.findings, found), ""


def _without_changes_sections(project: project_mod.Project) -> project_mod.Project:
    """The project without its documents' `changes` sections: the exported copy is not a git
    checkout, so their `changes_since` revision cannot be found there (and the section holds no
    finding, only a config problem that the working tree's check reports)."""
    cfg = project.config
    documents = tuple(replace(d, sections=tuple(s for s in d.sections if s != "changes")) for d in cfg.documents)
    return replace(project, config=replace(cfg, documents=documents))


def _first_line(exc: ConfigError) -> str:
    return exc.message.splitlines()[0] if exc.message else "unreadable"
