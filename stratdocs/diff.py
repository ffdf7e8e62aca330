"""`stratdocs diff REV [REV]`: what changed in the plan between two git revisions.

Each revision is exported with `git archive` into a temporary folder and loaded like any
project, so the comparison sees exactly what a build at that commit would have seen. Without
a second revision the working tree is compared.

Besides items added, removed, retargeted, renamed, moved, re-owned and re-statused, it lists
what changes an item's meaning or standing: health, KPI targets, baselines and thresholds, new
or corrected actuals (inline or from a CSV file), and body text (summarised as a line count).
"""

from __future__ import annotations

import difflib
import tempfile
from dataclasses import dataclass
from pathlib import Path

from stratdocs import git, project as project_mod
from stratdocs.model import Entity, Kpi, Point, Thresholds, noun
from stratdocs.numbers import plural

REF_KEYS = ("supports", "parent", "measures", "drives", "kpis", "threatens", "mitigation")
#: The kinds of change, in the order they are listed.
KINDS = ("added", "removed", "retargeted", "health", "target", "baseline", "thresholds", "actuals",
         "owner", "status", "title", "body", "moved")
#: At most this many actuals are named in a change; more are counted.
NAMED_ACTUALS = 3


@dataclass(frozen=True)
class Change:
    """One change to one item. `before` and `after` are short texts ('' for none); `detail`
    summarises changes that are not one value replacing another (actuals, body text)."""

    kind: str          #: one of KINDS
    entity: str        #: the item's id
    entity_kind: str   #: its kind (objective, kpi, ...)
    before: str = ""
    after: str = ""
    detail: str = ""

    def text(self) -> str:
        """One line: `owner      initiative I1: Head of Partnerships → Jane Doe`."""
        return f"{self.kind:<10} {noun(self.entity_kind)} {self.entity}: {self.summary()}"

    def summary(self) -> str:
        """What changed, without the kind and item: `Head of Partnerships → Jane Doe`."""
        if self.detail:
            return self.detail
        if self.kind == "added":
            return self.after
        if self.kind == "removed":
            return self.before
        return f"{self.before or '—'} → {self.after or '—'}"

    def as_dict(self) -> dict:
        return {"change": self.kind, "id": self.entity, "kind": self.entity_kind,
                "before": self.before, "after": self.after, "detail": self.detail}


def load_revision(root: Path, rev: str, into: Path) -> project_mod.Project:
    """The project as it was at `rev`.

    :param root: the project folder, inside a git checkout.
    :param rev: a commit, tag or branch.
    :param into: an empty folder to export the revision into.
    """
    return project_mod.load(git.export(root, rev, into))


def compare(before: project_mod.Project, after: project_mod.Project) -> list[Change]:
    """Every change from the plan `before` to the plan `after`, in `KINDS` order, then by kind
    of item and id.

    :param before: the older project (health as of its own reporting date).
    :param after: the newer project.
    """
    changes: list[Change] = []
    old, new = before.plan.entities, after.plan.entities
    for entity in after.plan:
        if entity.id not in old:
            changes.append(Change("added", entity.id, entity.kind, after=entity.title))
    for entity in before.plan:
        if entity.id not in new:
            changes.append(Change("removed", entity.id, entity.kind, before=entity.title))
            continue
        now = new[entity.id]
        changes += _item_changes(entity, now)
        was, is_ = before.health_of(entity), after.health_of(now)
        if was != is_ and (was or is_) and now.kind == entity.kind:
            changes.append(Change("health", entity.id, now.kind, was or "", is_ or ""))
        if entity.kpi is not None and now.kpi is not None:
            changes += _kpi_changes(now, entity.kpi, now.kpi)
    order = {kind: i for i, kind in enumerate(KINDS)}
    return sorted(changes, key=lambda c: (order[c.kind], c.entity_kind, c.entity))


def _item_changes(entity: Entity, now: Entity) -> list[Change]:
    """Changes any item can have: title, owner, status, links, body, file."""
    changes = []
    for name in ("title", "owner", "status"):
        if getattr(entity, name) != getattr(now, name):
            changes.append(Change(name, entity.id, now.kind, getattr(entity, name), getattr(now, name)))
    if _links(entity) != _links(now):
        changes.append(Change("retargeted", entity.id, now.kind, _links(entity), _links(now)))
    body = body_change(entity.body, now.body)
    if body:
        changes.append(Change("body", entity.id, now.kind, _lines(entity.body), _lines(now.body), body))
    if entity.file != now.file:
        changes.append(Change("moved", entity.id, now.kind, entity.file, now.file))
    return changes


def _kpi_changes(entity: Entity, old: Kpi, new: Kpi) -> list[Change]:
    """A KPI's targets, baseline, thresholds and actuals."""
    changes = []
    for kind, show in (("target", _targets), ("baseline", _baseline), ("thresholds", _thresholds)):
        was, is_ = show(old), show(new)
        if was != is_:
            changes.append(Change(kind, entity.id, entity.kind, was, is_))
    detail = actuals_change(old.actuals, new.actuals)
    if detail:
        where = f" (in {new.data})" if new.data else ""
        changes.append(Change("actuals", entity.id, entity.kind, _latest(old.actuals), _latest(new.actuals),
                              detail + where))
    return changes


def actuals_change(old: tuple[Point, ...], new: tuple[Point, ...]) -> str:
    """What happened to a KPI's actuals, as one phrase ('' when nothing did):
    `2 new: 2026-09-30 2290, 2026-12-31 2400; 1 corrected: 2026-06-30 2190 → 2200`.

    :param old: the actuals before, by date.
    :param new: the actuals after.
    """
    was = {p.date: p.value for p in old}
    now = {p.date: p.value for p in new}
    added = [f"{d} {_n(v)}" for d, v in now.items() if d not in was]
    corrected = [f"{d} {_n(was[d])} → {_n(v)}" for d, v in now.items() if d in was and was[d] != v]
    removed = [f"{d} {_n(v)}" for d, v in was.items() if d not in now]
    parts = []
    for word, items in (("new", added), ("corrected", corrected), ("removed", removed)):
        if items:
            named = ", ".join(items) if len(items) <= NAMED_ACTUALS else f"{items[0]} … {items[-1]}"
            parts.append(f"{len(items)} {word}: {named}")
    return "; ".join(parts)


def body_change(old: str, new: str) -> str:
    """A body text change as a count of lines: `2 lines changed, 1 added` ('' when equal; blank
    lines and trailing spaces do not count).

    :param old: the body before; :param new: the body after.
    """
    a = [line.rstrip() for line in old.splitlines() if line.strip()]
    b = [line.rstrip() for line in new.splitlines() if line.strip()]
    changed = added = removed = 0
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        common = min(i2 - i1, j2 - j1) if op == "replace" else 0
        changed += common
        added += (j2 - j1 - common) if op in ("replace", "insert") else 0
        removed += (i2 - i1 - common) if op in ("replace", "delete") else 0
    parts = [f"{n} {word}" for n, word in ((changed, "changed"), (added, "added"), (removed, "removed")) if n]
    if not parts:
        return ""
    first = parts[0].split(" ", 1)
    parts[0] = f"{first[0]} line{'' if first[0] == '1' else 's'} {first[1]}"
    return ", ".join(parts)


def _lines(body: str) -> str:
    count = sum(1 for line in body.splitlines() if line.strip())
    return plural(count, "line") if count else ""


def _links(entity: Entity) -> str:
    parts = []
    for key in REF_KEYS:
        ids = sorted(entity.ref_ids(key))
        if ids:
            parts.append(f"{key}: {', '.join(ids)}")
    return "; ".join(parts)


def _n(value: float) -> str:
    """A number as data, not prose: 2400, 8.5 (no separators, no trailing zeros)."""
    return f"{value:.0f}" if float(value).is_integer() else f"{value:.6g}"


def _targets(kpi: Kpi) -> str:
    return "; ".join(f"{_n(p.value)} by {p.date}" for p in kpi.targets)


def _baseline(kpi: Kpi) -> str:
    return f"{_n(kpi.baseline.value)} on {kpi.baseline.date}" if kpi.baseline else ""


def _latest(actuals: tuple[Point, ...]) -> str:
    return f"latest {_n(actuals[-1].value)} on {actuals[-1].date}" if actuals else ""


def _thresholds(kpi: Kpi) -> str:
    t: Thresholds | None = kpi.thresholds
    if t is None:
        return ""
    if isinstance(t.green, tuple):
        return f"green {_n(t.green[0])}–{_n(t.green[1])}, amber {_n(t.amber[0])}–{_n(t.amber[1])}"
    sign = "≤" if kpi.direction == "down" else "≥"
    return f"green {sign} {_n(t.green)}, amber {sign} {_n(t.amber)}"


def diff(root: Path, rev: str, other: str | None) -> tuple[list[Change], str]:
    """Changes from `rev` to `other` (or to the working tree), and a description of the range.

    :param root: the project folder, inside a git checkout.
    :param rev: the older revision; :param other: the newer one (None: the working tree).
    """
    with tempfile.TemporaryDirectory(prefix="stratdocs-diff-") as tmp:
        before = load_revision(root, rev, Path(tmp) / "a")
        after = load_revision(root, other, Path(tmp) / "b") if other else project_mod.load(root)
        return compare(before, after), f"{rev}..{other or 'working tree'}"
