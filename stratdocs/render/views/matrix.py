"""Traceability matrix view models: the matrices list, one matrix as a grid or as lists of links."""

from __future__ import annotations

from dataclasses import dataclass

from stratdocs.config import MatrixSpec
from stratdocs.i18n import N_
from stratdocs.render.views.interface import _, current, ngettext
from stratdocs.render.urls import matrix_path
from stratdocs.render.views.common import ItemRef, shown_spec
from stratdocs.render.views.entity import EntityViews

#: Matrices with more cells than this are shown as lists of links on the web (the CSV is complete).
GRID_LIMIT = 25_000  # traced-from lists stay bounded, so page size does not grow with the plan
DIRECT, INDIRECT = "●", "○"


@dataclass(frozen=True, slots=True)
class MatrixCell:
    kind: str           #: `empty`, `direct` or `indirect`
    symbol: str         #: "●", "○" or ''
    text: str           #: "K1 → SO1: via IN1" for screen readers and tooltips ('' when empty)
    orphan: bool        #: its column has no link at all


@dataclass(frozen=True, slots=True)
class MatrixLink:
    """In list mode: one column item linked to a row."""

    ref: ItemRef
    direct: bool
    via: str            #: the item it goes through ('' when direct)
    symbol: str         #: "●" (direct) or "○"


@dataclass(frozen=True, slots=True)
class MatrixRow:
    ref: ItemRef
    cells: tuple[MatrixCell, ...]   #: grid mode: one per column
    links: tuple[MatrixLink, ...]   #: list mode: what links to it
    total: int                      #: how many columns link to it
    uncovered: bool                 #: nothing links to it
    depth: int = 0                  #: 1 for a sub-objective, listed under its parent


@dataclass(frozen=True, slots=True)
class MatrixColumn:
    ref: ItemRef
    total: int          #: how many rows it links to
    orphan: bool        #: it links to none


@dataclass(frozen=True, slots=True)
class MatrixGroup:
    """PDF: a slice of the columns printed as one table, each repeating the row labels."""

    first: int                      #: number of its first column (from 1)
    last: int                       #: number of its last column
    columns: tuple[MatrixColumn, ...]
    rows: tuple[MatrixRow, ...]     #: every row, with only this group's cells
    final: bool                     #: the last group (it prints the totals column)


@dataclass(frozen=True, slots=True)
class MatrixView:
    spec: MatrixSpec                    #: id, title, description, rows, columns
    mode: str                           #: `grid`, or `list` past GRID_LIMIT cells
    rows: tuple[MatrixRow, ...]
    columns: tuple[MatrixColumn, ...]   #: empty in list mode
    total: int                          #: links in the matrix
    uncovered: tuple[ItemRef, ...]      #: rows nothing links to
    orphans: tuple[ItemRef, ...]        #: columns that link to nothing
    csv: str                            #: site path of its CSV
    row_label: str                      #: "Strategic objectives", "Operational KPIs"
    column_label: str
    size: str                           #: "12 × 40"
    groups: tuple[MatrixGroup, ...] = ()  #: PDF only: column groups
    split: bool = False                 #: PDF only: more than one column group

    @property
    def uncovered_text(self) -> str:
        """"3 rows"."""
        return ngettext("%(num)d row", "%(num)d rows", len(self.uncovered))

    @property
    def orphans_text(self) -> str:
        """"1 column"."""
        return ngettext("%(num)d column", "%(num)d columns", len(self.orphans))

    @property
    def empty_axis(self) -> str:
        """For an empty matrix: what is missing, in lower case ("strategic objectives"; German
        nouns keep their capital)."""
        return in_sentence(self.row_label if not self.rows else self.column_label)

    @property
    def row_words(self) -> str:
        """The rows' label inside a sentence ("strategic objectives", "Strategische Ziele")."""
        return in_sentence(self.row_label)

    @property
    def column_words(self) -> str:
        """The columns' label inside a sentence ("kpis", "Kennzahlen")."""
        return in_sentence(self.column_label)


@dataclass(frozen=True, slots=True)
class MatrixSummary:
    """One matrix in the matrices list."""

    spec: MatrixSpec
    href: str           #: its page
    csv: str            #: its CSV file
    rows: int
    columns: int
    cells: int          #: links
    uncovered: int      #: rows with no link
    orphans: int        #: columns with no link


@dataclass(frozen=True, slots=True)
class MatrixListView:
    matrices: tuple[MatrixSummary, ...]


#: Axes of one KPI level: the level and the kind's plural label, as one phrase.
LEVEL_AXES = {"strategic": N_("Strategic %(kinds)s"), "operational": N_("Operational %(kinds)s")}
#: Languages whose nouns keep their capital inside a sentence.
NOUN_CAPITALS = ("de", "lb")


def in_sentence(label: str) -> str:
    """A label inside running text: lower case, except in languages whose nouns keep their capital."""
    return label if current().language.split("-")[0] in NOUN_CAPITALS else label.lower()


def axis_label(axis: str) -> str:
    """An axis (`kpi:operational`) as a label ("Operational KPIs") in the build's language."""
    kind, _sep, level = axis.partition(":")
    label = current().kind(kind, plural=True)
    if level in LEVEL_AXES:
        return current().gettext(LEVEL_AXES[level]) % {"kinds": label}
    return f"{level.capitalize()} {label}" if level else label


class MatrixViews(EntityViews):
    """Matrix pages."""

    def matrix(self, name: str) -> MatrixView:
        """A matrix as a grid, or — past GRID_LIMIT cells — as a list of each row's links, so the
        page grows with the number of links rather than rows × columns.

        :param name: the matrix id in the config.
        """
        m = self.matrices[name]
        common = {
            "spec": shown_spec(m.spec), "total": len(m.cells),
            "uncovered": tuple(self.ref(r.id) for r in m.uncovered_rows),
            "orphans": tuple(self.ref(c.id) for c in m.orphan_columns),
            "csv": matrix_path(name, "csv"), "row_label": axis_label(m.spec.rows),
            "column_label": axis_label(m.spec.columns), "size": f"{len(m.rows)} × {len(m.columns)}",
        }
        if len(m.rows) * len(m.columns) > GRID_LIMIT:
            return MatrixView(mode="list", rows=self._list_rows(m), columns=(), **common)
        orphans = {c.id for c in m.orphan_columns}
        rows = []
        for row in m.rows:
            cells = tuple(self._cell(m, row.id, column.id, column.id in orphans) for column in m.columns)
            total = m.row_total(row.id)
            rows.append(MatrixRow(self.ref(row.id), cells, (), total, total == 0, self._depth(row.id)))
        columns = tuple(MatrixColumn(self.ref(c.id), m.column_total(c.id), c.id in orphans) for c in m.columns)
        return MatrixView(mode="grid", rows=tuple(rows), columns=columns, **common)

    def _list_rows(self, m) -> tuple[MatrixRow, ...]:
        by_row: dict[str, list] = {}
        for (row_id, column_id), cell in m.cells.items():
            by_row.setdefault(row_id, []).append(
                MatrixLink(self.ref(column_id), cell.direct, cell.via, DIRECT if cell.direct else INDIRECT))
        return tuple(MatrixRow(self.ref(r.id), (), tuple(by_row.get(r.id, ())), len(by_row.get(r.id, ())),
                               r.id not in by_row, self._depth(r.id)) for r in m.rows)

    def _depth(self, entity_id: str) -> int:
        """How deep a row's objective is nested under parents (0 for other kinds)."""
        depth, seen = 0, {entity_id}
        entity = self.plan.entities[entity_id]
        while entity.kind == "objective" and (parents := entity.ref_ids("parent")):
            parent = self.plan.get(parents[0])
            if parent is None or parent.id in seen:
                break
            seen.add(parent.id)
            depth, entity = depth + 1, parent
        return depth

    @staticmethod
    def _cell(m, row_id: str, column_id: str, orphan: bool) -> MatrixCell:
        cell = m.cell(row_id, column_id)
        if cell is None:
            return MatrixCell("empty", "", "", orphan)
        if cell.direct:
            return MatrixCell("direct", DIRECT, _("%(column)s → %(row)s: direct") % {
                "column": column_id, "row": row_id}, False)
        return MatrixCell("indirect", INDIRECT, _("%(column)s → %(row)s: via %(via)s") % {
            "column": column_id, "row": row_id, "via": cell.via}, False)

    def matrix_list(self) -> MatrixListView:
        """Every configured matrix with its size and gaps."""
        return MatrixListView(tuple(
            MatrixSummary(shown_spec(m.spec), matrix_path(name), matrix_path(name, "csv"), len(m.rows), len(m.columns),
                          len(m.cells), len(m.uncovered_rows), len(m.orphan_columns))
            for name, m in self.matrices.items()))
