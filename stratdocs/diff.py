"""`stratdocs diff REV [REV]`: what changed in the plan between two git revisions.

Each revision is exported with `git archive` into a temporary folder and loaded like any
project, so the comparison sees exactly what a build at that commit would have seen. Without
a second revision the working tree is compared.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from pathlib import Path

from stratdocs import git, project as project_mod
from stratdocs.model import Entity, noun

REF_KEYS = ("supports", "parent", "measures", "drives", "kpis")


@dataclass(frozen=True)
class Change:
    kind: str          # added, removed, retargeted, owner, status, title, health, moved
    entity: str
    entity_kind: str
    before: str = ""
    after: str = ""

    def text(self) -> str:
        label = noun(self.entity_kind)
        if self.kind == "added":
            return f"{'added':<10} {label} {self.entity}: {self.after}"
        if self.kind == "removed":
            return f"{'removed':<10} {label} {self.entity}: {self.before}"
        return f"{self.kind:<10} {label} {self.entity}: {self.before or '—'} → {self.after or '—'}"

    def as_dict(self) -> dict:
        return {"change": self.kind, "id": self.entity, "kind": self.entity_kind,
                "before": self.before, "after": self.after}


def load_revision(root: Path, rev: str, into: Path) -> project_mod.Project:
    """The project as it was at `rev` (a commit, tag or branch)."""
    return project_mod.load(git.export(root, rev, into))


def compare(before: project_mod.Project, after: project_mod.Project) -> list[Change]:
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
        for name, get in (("title", lambda e: e.title), ("owner", lambda e: e.owner),
                          ("status", lambda e: e.status)):
            if get(entity) != get(now):
                changes.append(Change(name, entity.id, now.kind, get(entity), get(now)))
        if _links(entity) != _links(now):
            changes.append(Change("retargeted", entity.id, now.kind, _links(entity), _links(now)))
        was, is_ = before.health_of(entity), after.health_of(now)
        if was != is_ and (was or is_):
            changes.append(Change("health", entity.id, now.kind, was or "", is_ or ""))
        if entity.file != now.file:
            changes.append(Change("moved", entity.id, now.kind, entity.file, now.file))
    order = {"added": 0, "removed": 1, "retargeted": 2, "health": 3, "owner": 4, "status": 5, "title": 6, "moved": 7}
    return sorted(changes, key=lambda c: (order[c.kind], c.entity_kind, c.entity))


def _links(entity: Entity) -> str:
    parts = []
    for key in REF_KEYS:
        ids = sorted(entity.ref_ids(key))
        if ids:
            parts.append(f"{key}: {', '.join(ids)}")
    return "; ".join(parts)


def diff(root: Path, rev: str, other: str | None) -> tuple[list[Change], str]:
    """Changes from `rev` to `other` (or to the working tree), and a description of the range."""
    with tempfile.TemporaryDirectory(prefix="stratdocs-diff-") as tmp:
        before = load_revision(root, rev, Path(tmp) / "a")
        after = load_revision(root, other, Path(tmp) / "b") if other else project_mod.load(root)
        return compare(before, after), f"{rev}..{other or 'working tree'}"
