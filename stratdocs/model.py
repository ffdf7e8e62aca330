"""The plan model: immutable values, built once by `schema` and never changed afterwards.

This module imports nothing else of stratdocs, so every stage can depend on it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from datetime import date
from types import MappingProxyType
from typing import Mapping

#: Top-level content folders and the kind each holds (SPEC §3).
FOLDER_KINDS = MappingProxyType({
    "objectives": "objective",
    "initiatives": "initiative",
    "strategies": "strategy",
    "operations": "operation",
    "kpis": "kpi",
    "reviews": "review",
    "risks": "risk",
    "pages": "page",
})
#: The inverse: the top-level content folder (and site section) of each file kind but the plan.
KIND_FOLDERS = MappingProxyType({kind: folder for folder, kind in FOLDER_KINDS.items()})

#: Kinds written as files, in the order they are presented.
FILE_KINDS = ("plan", "objective", "initiative", "strategy", "operation", "kpi", "review", "risk", "page")
#: Kinds nested inside a file's front matter: an operation's objectives and tasks, a review's actions.
NESTED_KINDS = ("operational-objective", "task", "action")
KINDS = FILE_KINDS + NESTED_KINDS

#: Items that execute strategy: an objective with none of these tracing to it is not executed.
EXECUTION_KINDS = frozenset(("initiative", "strategy", "operation", "operational-objective", "task"))

#: Lifecycle states (`stratdocs.lifecycle`) in which an item no longer moves its objective forward.
INACTIVE_STATES = frozenset(("on-hold", "done", "dropped"))

KIND_LABELS = MappingProxyType({
    "plan": ("Plan", "Plan"),
    "objective": ("Strategic objective", "Strategic objectives"),
    "initiative": ("Initiative", "Initiatives"),
    "strategy": ("Functional strategy", "Functional strategies"),
    "operation": ("Operational plan", "Operational plans"),
    "kpi": ("KPI", "KPIs"),
    "review": ("Review", "Reviews"),
    "risk": ("Risk", "Risks"),
    "page": ("Page", "Pages"),
    "operational-objective": ("Operational objective", "Operational objectives"),
    "task": ("Task", "Tasks"),
    "action": ("Action", "Actions"),
})

def noun(kind: str) -> str:
    """A kind as a word inside a sentence: "strategic objective", but "KPI"."""
    label = KIND_LABELS[kind][0]
    return label if label.isupper() else label[0].lower() + label[1:]


@dataclass(frozen=True, slots=True)
class Ref:
    """A reference from an entity to another id, with where it is written."""

    key: str      # supports, parent, measures, drives, about, kpis, or "link" for [[ID]] in a body
    target: str
    line: int
    col: int


@dataclass(frozen=True, slots=True)
class Point:
    """A dated value: a KPI actual, baseline or target milestone."""

    date: date
    value: float
    note: str = ""
    line: int = 0
    file: str = ""


@dataclass(frozen=True, slots=True)
class Period:
    """A span of days, both ends included, with its label as written (2026-Q4)."""

    start: date
    end: date
    label: str

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1


@dataclass(frozen=True, slots=True)
class Comment:
    """One commentary entry of a KPI or objective: analysis and recommendation for a period.

    `date` is the day it speaks for: its `date`, or the last day of its `period`.
    """

    date: date
    period: str          # as written (2026-10), or '' when dated
    author: str
    analysis: str
    recommendation: str = ""
    line: int = 0


@dataclass(frozen=True, slots=True)
class Thresholds:
    """Absolute health thresholds; for `range` KPIs each is a (min, max) band."""

    green: float | tuple[float, float]
    amber: float | tuple[float, float]


@dataclass(frozen=True, slots=True)
class Kpi:
    """A KPI's own keys, normalised; its health is computed in `health`."""

    level: str = "operational"
    unit: str = ""
    direction: str = "up"
    frequency: str = "monthly"
    baseline: Point | None = None
    targets: tuple[Point, ...] = ()
    thresholds: Thresholds | None = None
    actuals: tuple[Point, ...] = ()
    data: str = ""
    weight: float = 1.0
    source: str = ""
    method: str = ""
    limitations: str = ""


@dataclass(frozen=True, slots=True)
class Entity:
    """One item of the plan. Nested operational objectives and tasks are entities too."""

    id: str
    kind: str
    title: str
    file: str                      # project-relative posix path of the file that defines it
    line: int                      # where it starts (1 for files, the list item for nested)
    body: str = ""
    body_line: int = 1
    summary: str = ""
    owner: str = ""
    status: str = ""
    lifecycle: str = "active"      # the state `status` names (stratdocs.lifecycle.STATES)
    tags: tuple[str, ...] = ()
    review_by: date | None = None
    updated: date | None = None
    waive: Mapping[str, str] = field(default_factory=dict)
    refs: tuple[Ref, ...] = ()
    container: str | None = None   # the operation that holds a nested item
    children: tuple[str, ...] = ()  # nested ids of an operation, in order
    attrs: Mapping[str, object] = field(default_factory=dict)  # kind-specific keys, normalised
    key_lines: Mapping[str, tuple[int, int]] = field(default_factory=dict)
    kpi: Kpi | None = None

    def at(self, key: str) -> tuple[int, int]:
        """Line and column of a key, falling back to the entity's id or title line."""
        lines = self.key_lines
        return lines.get(key) or lines.get("id") or lines.get("title") or (self.line, 1)

    def ref_ids(self, *keys: str) -> tuple[str, ...]:
        return tuple(r.target for r in self.refs if r.key in keys)

    @property
    def active(self) -> bool:
        return self.lifecycle not in INACTIVE_STATES

    @property
    def label(self) -> str:
        return KIND_LABELS[self.kind][0]

    @property
    def noun(self) -> str:
        return noun(self.kind)


@dataclass(frozen=True)
class Plan:
    """All entities by id, in content order, with case-insensitive lookup."""

    entities: Mapping[str, Entity]
    folded: Mapping[str, str]  # lower-case id -> id

    @cached_property
    def position(self) -> Mapping[str, int]:
        """Id -> index in content order, for sorting subsets in plan order."""
        return MappingProxyType({entity_id: i for i, entity_id in enumerate(self.entities)})

    def get(self, ref: str) -> Entity | None:
        key = self.folded.get(ref.lower())
        return self.entities[key] if key is not None else None

    def of_kind(self, *kinds: str) -> list[Entity]:
        if len(kinds) == 1:
            return list(self._by_kind.get(kinds[0], ()))
        return [e for e in self.entities.values() if e.kind in kinds]

    @cached_property
    def _by_kind(self) -> Mapping[str, tuple[Entity, ...]]:
        """Kind -> its entities in content order (`of_kind` is asked for one kind many times a build)."""
        kinds: dict[str, list[Entity]] = {}
        for entity in self.entities.values():
            kinds.setdefault(entity.kind, []).append(entity)
        return MappingProxyType({kind: tuple(found) for kind, found in kinds.items()})

    @property
    def root(self) -> Entity | None:
        plans = self.of_kind("plan")
        return plans[0] if plans else None

    def __len__(self) -> int:
        return len(self.entities)

    def __iter__(self):
        return iter(self.entities.values())
