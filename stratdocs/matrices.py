"""Traceability matrices (SPEC §5): rows × columns, each cell direct or indirect (via which item)."""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass
from functools import cached_property
from typing import Mapping

from stratdocs.config import MatrixSpec
from stratdocs.objectives import tree
from stratdocs.model import Entity
from stratdocs.spreadsheet import csv_text
from stratdocs.trace import TraceIndex


@dataclass(frozen=True, slots=True)
class Cell:
    direct: bool
    via: str | None = None   # the item that links the column to the row, when indirect

    def text(self) -> str:
        return "direct" if self.direct else f"via {self.via}"


@dataclass(frozen=True)
class Matrix:
    spec: MatrixSpec
    rows: tuple[Entity, ...]
    columns: tuple[Entity, ...]
    cells: Mapping[tuple[str, str], Cell]

    def cell(self, row: str, column: str) -> Cell | None:
        return self.cells.get((row, column))

    @cached_property
    def _totals(self) -> tuple[dict, dict]:
        rows: dict[str, int] = {}
        columns: dict[str, int] = {}
        for row, column in self.cells:
            rows[row] = rows.get(row, 0) + 1
            columns[column] = columns.get(column, 0) + 1
        return rows, columns

    def row_total(self, row: str) -> int:
        return self._totals[0].get(row, 0)

    def column_total(self, column: str) -> int:
        return self._totals[1].get(column, 0)

    @property
    def uncovered_rows(self) -> list[Entity]:
        return [r for r in self.rows if not self.row_total(r.id)]

    @property
    def orphan_columns(self) -> list[Entity]:
        return [c for c in self.columns if not self.column_total(c.id)]

    def table(self) -> list[list]:
        """The full grid as rows: a header, one row per row item with its total, the totals row."""
        rows: list[list] = [["id", "title", *(c.id for c in self.columns), "total"]]
        for row in self.rows:
            cells = [self.cells[(row.id, c.id)].text() if (row.id, c.id) in self.cells else "" for c in self.columns]
            rows.append([row.id, row.title, *cells, self.row_total(row.id)])
        rows.append(["total", "", *(self.column_total(c.id) for c in self.columns), len(self.cells)])
        return rows

    def to_csv(self) -> str:
        """The grid as CSV, every text cell safe from spreadsheet formula injection."""
        return csv_text(self.table())

    def as_dict(self) -> dict:
        return {
            "id": self.spec.id, "title": self.spec.title,
            "rows": [r.id for r in self.rows], "columns": [c.id for c in self.columns],
            "cells": [{"row": r, "column": c, "direct": cell.direct, "via": cell.via}
                      for (r, c), cell in self.cells.items()],
        }


def select(index: TraceIndex, axis: str, perspectives: tuple[str, ...] = ()) -> tuple[Entity, ...]:
    """The items of an axis; objectives with their sub-objectives under them (`objectives.tree`)."""
    kind, _, level = axis.partition(":")
    items = [p.entity for p in tree(index.plan, perspectives)] if kind == "objective" else index.plan.of_kind(kind)
    if level:
        items = [e for e in items if e.kpi is not None and e.kpi.level == level]
    return tuple(items)


def build(index: TraceIndex, spec: MatrixSpec, perspectives: tuple[str, ...] = ()) -> Matrix:
    rows = select(index, spec.rows, perspectives)
    columns = select(index, spec.columns, perspectives)
    row_ids = {r.id for r in rows}
    cells: dict[tuple[str, str], Cell] = {}
    for column in columns:
        for row_id, cell in _reach(index, column, row_ids).items():
            cells[(row_id, column.id)] = cell
    ordered = {(r.id, c.id): cells[(r.id, c.id)] for r in rows for c in columns if (r.id, c.id) in cells}
    return Matrix(spec, rows, columns, ordered)


def _reach(index: TraceIndex, column: Entity, row_ids: set[str]) -> dict[str, Cell]:
    """Breadth-first up the graph from a column item (and its nested items): shortest links win.
    A risk starts from what it `threatens` (a risk × objectives matrix: threatened directly, or
    through the initiative it threatens)."""
    starts = [column.id, *column.children]
    found: dict[str, Cell] = {}
    seen = set(starts)
    queue: deque[tuple[str, str | None]] = deque()  # (node, predecessor on the path, None at the start)
    firsts = [edge.other for start in starts for edge in index.up.get(start, ())]
    if column.kind == "risk":
        firsts += [t.id for t in map(index.plan.get, column.ref_ids("threatens")) if t is not None]
    for first in firsts:
        if first not in seen:
            seen.add(first)
            queue.append((first, None))
    while queue:
        node, via = queue.popleft()
        if node in row_ids and node not in found:
            found[node] = Cell(direct=via is None, via=via)
        for edge in index.up.get(node, ()):
            if edge.other not in seen:
                seen.add(edge.other)
                queue.append((edge.other, node))
    return found


def build_all(index: TraceIndex, specs, perspectives=()) -> dict[str, Matrix]:
    """Every configured matrix; `perspectives`: the config's perspective keys, for the order of objectives."""
    return {spec.id: build(index, spec, tuple(perspectives)) for spec in specs}
