"""The pieces of a PDF document's view model: sections, contents, cover, entity blocks, changes."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date

from stratdocs.i18n import N_
from stratdocs.model import noun
from stratdocs.render.views.common import Fact, ItemRef
from stratdocs.render.views.entity import EntityView
from stratdocs.render.views.interface import _, current
from stratdocs.render.views.kpi import Actual
from stratdocs.render.views.matrix import MatrixColumn, MatrixGroup, MatrixRow

#: Matrix columns per table: more are split into column groups, each repeating the row labels.
MATRIX_GROUP = 20
#: Changes as words, by the kind of change (`stratdocs diff`); others keep their kind.
CHANGE_WORDS = {"health": N_("health changed"), "owner": N_("owner changed"), "status": N_("status changed"),
                "title": N_("renamed"), "target": N_("target changed"), "baseline": N_("baseline changed"),
                "thresholds": N_("thresholds changed"), "actuals": N_("with new figures"), "body": N_("text changed"),
                "added": N_("added"), "removed": N_("removed"), "retargeted": N_("retargeted"), "moved": N_("moved")}


@dataclass(frozen=True, slots=True)
class ContentsItem:
    label: str          #: "SO1 · Grow revenue" (pages: the title)
    anchor: str
    depth: int = 0      #: 1 for a sub-objective, listed under its parent


@dataclass(frozen=True, slots=True)
class Section:
    """One section of a document, printed by its own template."""

    key: str            #: as configured: `plan`, `kpis`, `matrix:NAME`, ...
    number: str         #: its number ('' for the cover and the contents)
    anchor: str         #: `s-KEY`
    title: str
    template: str       #: `pdf/KEY.html`, `pdf/entities.html` or `pdf/matrix.html`
    view: object        #: the section's view model (None for the cover)
    items: tuple[ContentsItem, ...] = ()  #: entity sections: their items, for the contents


@dataclass(frozen=True, slots=True)
class ContentsEntry:
    number: str
    title: str
    anchor: str
    items: tuple[ContentsItem, ...]  #: empty when the section lists too many


@dataclass(frozen=True, slots=True)
class ContentsView:
    entries: tuple[ContentsEntry, ...]


@dataclass(frozen=True, slots=True)
class CoverView:
    plan_title: str
    title: str          #: the cover's title: the plan's, or a filtered document's own (an operational plan)
    kicker: str         #: the line above it: the document's title, or the plan's for a filtered document
    author: str         #: the PDF's author: the organisation (config), else the plan's title
    owner: str
    period: str
    as_of: date
    commit: str
    logo: str           #: file URL of the logo ('' for none)
    filter: str         #: the document's scope in words ('' for the whole plan)
    organisation: str = ""  #: the organisation, when configured
    dirty: bool = False  #: built from `commit` with uncommitted changes
    last_changed: str = ""  #: the day of the newest commit that changed the content ('' outside git)


@dataclass(frozen=True, slots=True)
class EntityBlock:
    """One entity of an entity section: the site's view of it, adapted to the PDF."""

    view: EntityView                #: body linked for the PDF, long nested lists summarised
    anchor: str                     #: `e-ID`
    kicker: tuple[str, ...]         #: perspective, function, period, date: after the kind label
    facts: tuple[Fact, ...]         #: the facts table (without the kicker facts and the status)
    show_badges: bool               #: there is a health, status or stale mark to print
    show_trace: bool                #: print "Traces to" (not for pages and reviews)
    show_traced_from: bool          #: print "Traced from" (also when empty, for what should be served)
    actuals: tuple[Actual, ...]     #: the latest actuals (KPIs)
    actuals_note: str               #: "latest 6 of 14" when some are left out, else ''
    more_chains: str = ""           #: "and 3 more routes …" when trace chains were left out (a KPI keeps to one page)
    notes: tuple = ()               #: its alignment notes in the reader's words (HTML), no rule id or fix
    depth: int = 0                  #: 1 for a sub-objective (a nested bookmark under its parent), ...


@dataclass(frozen=True, slots=True)
class EntitiesView:
    kind: str
    label: str                      #: "Strategic objectives"
    blocks: tuple[EntityBlock, ...]
    empty_text: str                 #: what to say when there are none


@dataclass(frozen=True, slots=True)
class ChangeRow:
    change: str                     #: `added`, `removed`, `health`, `owner`, `status`, `title`, ...
    id: str
    noun: str                       #: its kind in words
    ref: ItemRef | None             #: None for removed items
    before: str
    after: str
    word: str = ""                  #: the change in the reader's words ("renamed", "umbenannt")


@dataclass(frozen=True, slots=True)
class ChangesView:
    since: str                      #: the revision compared with
    rows: tuple[ChangeRow, ...]
    summary: str                    #: "2 added, 1 renamed"


def changes_view(since: str, changes, views) -> ChangesView:
    """The changes section.

    :param since: the revision compared with.
    :param changes: the `diff.Change` values to show.
    :param views: the site's view models (for references to items that still exist).
    """
    rows = tuple(ChangeRow(c.kind, c.entity, _noun(c.entity_kind),
                           views.ref(c.entity) if c.entity in views.plan.entities else None, c.before, c.after,
                           _(CHANGE_WORDS[c.kind]) if c.kind in CHANGE_WORDS else c.kind)
                 for c in changes)
    counts = {_(CHANGE_WORDS[kind]) if kind in CHANGE_WORDS else kind: sum(1 for r in rows if r.change == kind)
              for kind in dict.fromkeys(r.change for r in rows)}
    return ChangesView(since, rows, ", ".join(_("%(count)s %(change)s") % {"count": count, "change": word}
                                              for word, count in counts.items()))


def _noun(kind: str) -> str:
    """A kind as a word in the changes table: `model.noun` in English, the plan's own or translated word otherwise."""
    ui = current()
    if ui.language.split("-")[0] == "en" and kind not in ui.terms:
        return noun(kind)
    return ui.kind(kind)


def matrix_groups(columns: tuple[MatrixColumn, ...], rows: list[MatrixRow]) -> tuple[MatrixGroup, ...]:
    """Columns in even groups of at most MATRIX_GROUP: 45 columns -> 15 + 15 + 15, not 20 + 20 + 5.

    :param columns: the matrix columns the document shows.
    :param rows: the rows it shows, each with one cell per column in `columns`.
    """
    count, size = len(columns), MATRIX_GROUP
    if count > size:
        parts = -(-count // size)
        size = -(-count // parts)
    groups = []
    for start in range(0, max(count, 1), size):
        stop = min(start + size, count)
        groups.append(MatrixGroup(start + 1, stop, columns[start:stop],
                                  tuple(replace(row, cells=row.cells[start:stop]) for row in rows), stop >= count))
    return tuple(groups)
