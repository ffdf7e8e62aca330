"""Items in reading order. Strategic objectives: by perspective (the config's order), each followed by
its sub-objectives (`parent:`), depth first (issue #11: "sub-objectives are listed under their
parent everywhere": scorecard, PDF sections and bookmarks, matrix rows, site indexes)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Iterable

from stratdocs.model import Entity, Plan


@dataclass(frozen=True, slots=True)
class Placed:
    entity: Entity
    depth: int          #: 0 for a top-level objective, 1 for its sub-objectives, ...
    perspective: str    #: the perspective key of its top-level objective ('' for none or unknown)


def tree(plan: Plan, perspectives: Iterable[str] = ()) -> list[Placed]:
    """Every objective once, parents before their sub-objectives.

    :param plan: the plan.
    :param perspectives: perspective keys in their order; top-level objectives are grouped by them
        (others last, in plan order). Empty: plan order.
    """
    objectives = plan.of_kind("objective")
    ids = {e.id for e in objectives}
    children: dict[str, list[Entity]] = {}
    roots: list[Entity] = []
    for entity in objectives:
        parent = next((p for p in entity.ref_ids("parent") if p in ids and p != entity.id), None)
        (children.setdefault(parent, []) if parent else roots).append(entity)
    order = {key: i for i, key in enumerate(perspectives)}
    roots.sort(key=lambda e: order.get(e.attrs.get("perspective", ""), len(order)))  # stable
    out: list[Placed] = []
    seen: set[str] = set()

    def place(entity: Entity, depth: int, perspective: str) -> None:
        if entity.id in seen:  # a parent cycle is an error elsewhere; never loop here
            return
        seen.add(entity.id)
        out.append(Placed(entity, depth, perspective))
        for child in children.get(entity.id, ()):
            place(child, depth + 1, perspective)

    for root in roots:
        key = root.attrs.get("perspective", "")
        place(root, 0, key if key in order else "")
    for entity in objectives:  # objectives in a parent cycle have no root: plan order, at the end
        place(entity, 0, "")
    return out


def reading_order(plan: Plan, kind: str, perspectives: Iterable[str] = ()) -> list[Entity]:
    """The items of a kind in the order readers get them, on the site and in PDFs alike:
    objectives as `tree`, reviews newest first (undated last), other kinds in plan order."""
    if kind == "objective":
        return [p.entity for p in tree(plan, perspectives)]
    items = plan.of_kind(kind)
    if kind == "review":
        return sorted(items, key=lambda e: e.attrs.get("date") or date.min, reverse=True)
    return items
