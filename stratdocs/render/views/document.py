"""View models of PDF plan documents (SPEC §9 `documents`, §10): what each section shows.

A document is a list of sections taken from the configured order. The site's view models
(`Views`) are reused; this module only decides *which* entities a document shows (see
`selection`), trims the reports to them, and sends links to places inside the PDF.

The plan section always shows the whole plan (vision, mission, strategy); the scorecard, the
matrices and the alignment report keep only the rows, columns and findings of the entities the
document shows.
"""

from __future__ import annotations

import tempfile
from dataclasses import replace
from pathlib import Path


from stratdocs import execution
from stratdocs.assets import logo_rel
from stratdocs.config import DocumentSpec
from stratdocs.errors import ConfigError, StratdocsError, UsageError
from stratdocs.git import DIRTY
from stratdocs.model import FOLDER_KINDS, KIND_LABELS, Entity
from stratdocs.i18n import N_
from stratdocs.objectives import reading_order, tree
from stratdocs.render.views import Views
from stratdocs.render.views.board import BoardAlignmentView, board_alignment, entity_notes
from stratdocs.render.views.calendar import period_text
from stratdocs.render.views.common import Group, health_counts
from stratdocs.render.views.initiative import RoadmapView
from stratdocs.render.views.interface import _, ngettext
from stratdocs.render.views.kpi import Actual
from stratdocs.render.views.execution import ActionsView, RiskRegisterView
from stratdocs.render.views.matrix import MatrixView
from stratdocs.render.views.documents import FRONT_MATTER, shown_document
from stratdocs.render.views.document_parts import (ChangesView, ContentsEntry, ContentsItem, ContentsView,
                                                   CoverView, EntitiesView, EntityBlock, Section, changes_view,
                                                   matrix_groups)
from stratdocs.render.views.reports import AlignmentView, HomeView, ScorecardView
from stratdocs.render.views.summary import SummaryView
from stratdocs.render.views.selection import Links, anchor, section_anchor, select

SECTION_TITLES = {
    "contents": N_("Contents"), "summary": N_("Executive summary"), "plan": N_("Strategic plan"),
    "scorecard": N_("KPI scorecard"), "objectives": N_("Strategic objectives"),
    "initiatives": N_("Strategic initiatives"), "strategies": N_("Functional strategies"),
    "operations": N_("Operational plans"), "kpis": N_("KPIs"), "reviews": N_("Reviews and decisions"),
    "pages": N_("Appendix"), "alignment": N_("Alignment report"), "changes": N_("Changes"),
    "roadmap": N_("Roadmap"), "risks": N_("Risk register"), "actions": N_("Open actions"),
}
#: Traced-from lists of nested items longer than this are shown as a count.
NESTED_LIST = 8
NESTED_LABELS = (KIND_LABELS["task"][1], KIND_LABELS["operational-objective"][1])
#: Entity sections list their items in the contents only up to this many.
CONTENTS_ITEMS = 60
#: Facts printed in an entity's kicker line (after its kind label) rather than in its facts table.
KICKER_FACTS = ("perspective", "function", "period", "date")
#: Facts the PDF leaves out of the table (the kicker shows them, the badges show the status).
HEADER_FACTS = (*KICKER_FACTS, "status")
#: Kinds whose blocks have no "Traces to" part, and kinds that always show "Traced from".
UNTRACED_KINDS = ("page", "review")
SERVED_KINDS = ("objective", "initiative", "strategy")
#: An entity block lists this many actuals, the latest.
PDF_ACTUALS = 3
#: A KPI's entry prints at most this many trace chains, so that it keeps to one page (issue 11).
PDF_KPI_CHAINS = 1
#: Editor facts a KPI's pack entry leaves to the site, so that it keeps to one page.
KPI_SITE_FACTS = ("tags", "updated", "measures")  # "Traces to" starts with what it measures
#: Sections of risks and actions: registers, not one block per item.
EXECUTION_SECTIONS = ("risks", "actions")
#: Facts for the plan's editors, not its readers: left out of PDF documents.
EDITOR_FACTS = frozenset(("Data file",))


class DocumentViews:
    """The view model of one configured document: its sections, in order, ready to print."""

    def __init__(self, views: Views, spec: DocumentSpec, assets: Path, commit: str = ""):
        """
        :param views: the site's view models of the project.
        :param spec: the document's configuration.
        :param assets: the content/assets folder (images in bodies are read from there).
        :param commit: the source revision on the cover ('' for the views' own).
        """
        self.views = views
        self.commit = commit or views.commit
        self.spec = shown_document(spec)
        self.project = views.project
        self.selected = select(views, spec.filter)
        #: objective id -> 1 for a sub-objective, ... (nested bookmarks and indented contents)
        self.depths = {p.entity.id: p.depth for p in tree(views.plan, views.perspective_names)}
        plan = views.plan
        present = set(spec.sections)
        anchored: set[str] = set()
        if "actions" in present:  # the actions section lists the open ones
            anchored.update(a.id for a in execution.open_actions(plan) if self.shows(a.id))
        for key, kind in FOLDER_KINDS.items():
            if key in present:
                for entity in self.entities(kind):
                    anchored.add(entity.id)
                    anchored.update(c for c in entity.children if c in plan.entities)
        if "plan" in present and plan.root is not None:
            anchored.add(plan.root.id)
        self.links = Links(views.sitemap, frozenset(anchored), frozenset(present),
                           plan.root.id if plan.root else None, assets)

    def shows(self, entity_id: str) -> bool:
        """Whether the document shows the item."""
        return self.selected is None or entity_id in self.selected

    def entities(self, kind: str) -> list[Entity]:
        """The items of a kind the document shows, in reading order (sub-objectives under their
        parent, reviews newest first: `objectives.reading_order`)."""
        items = reading_order(self.views.plan, kind, self.views.perspective_names)
        return [e for e in items if self.shows(e.id)]

    # -- the document ----------------------------------------------------------------------

    def document(self) -> dict:
        """The template context of `pdf/document.html`: `sections`, `cover` and `filter`."""
        sections = []
        number = 0
        for key in dict.fromkeys(self.spec.sections):  # a section listed twice is printed once
            if key in FRONT_MATTER:
                sections.append(Section(key, "", section_anchor(key), _(SECTION_TITLES[key]) if key in SECTION_TITLES else "",
                                        f"pdf/{key}.html", None))
                continue
            number += 1
            sections.append(self.section(key, str(number)))
        contents = ContentsView(tuple(
            ContentsEntry(s.number, s.title, s.anchor, s.items if len(s.items) <= CONTENTS_ITEMS else ())
            for s in sections if s.key not in FRONT_MATTER))
        sections = [replace(s, view=contents) if s.key == "contents" else s for s in sections]
        return {"sections": sections, "cover": self.cover(), "filter": self.filter_text()}

    def section(self, key: str, number: str) -> Section:
        """One numbered section of the document.

        :param key: the section as configured (`plan`, `kpis`, `matrix:NAME`, ...).
        :param number: its number in the document.
        """
        head = {"key": key, "number": number, "anchor": section_anchor(key)}
        if key in EXECUTION_SECTIONS:
            view = self.risks() if key == "risks" else self.actions()
            return Section(title=_(SECTION_TITLES[key]), template=f"pdf/{key}.html", view=view, **head)
        if key in FOLDER_KINDS:
            kind = FOLDER_KINDS[key]
            blocks = tuple(self.entity(e) for e in self.entities(kind))
            items = tuple(ContentsItem(b.view.entity.title if kind == "page" else
                                       f"{b.view.entity.id} · {b.view.entity.title}", b.anchor, b.depth)
                          for b in blocks)
            label = self.views.ui.kind(kind, plural=True)
            empty = (_("No %(items)s match this document’s scope") if self.spec.filter
                     else _("No %(items)s in the plan")) % {"items": self._lower(label)}
            view = EntitiesView(kind, label, blocks, empty)
            return Section(title=_(SECTION_TITLES[key]), template="pdf/entities.html", view=view, items=items, **head)
        if key.startswith("matrix:"):
            matrix = self.matrix(key[len("matrix:"):])
            return Section(title=matrix.spec.title, template="pdf/matrix.html", view=matrix, **head)
        makers = {"plan": self.plan, "scorecard": self.scorecard, "alignment": self.alignment,
                  "changes": self.changes, "summary": self.summary, "roadmap": self.roadmap}
        if key not in makers:
            raise UsageError(f"document '{self.spec.id}': section '{key}' is not available in PDFs")
        return Section(title=_(SECTION_TITLES[key]), template=f"pdf/{key}.html", view=makers[key](), **head)

    def filter_text(self) -> str:
        """The document's scope in words ("the sales operational plans owned by Head of Sales,
        with what they serve and measure"), '' without a filter."""
        filt = self.spec.filter
        if not filt:
            return ""
        ui = self.views.ui
        kinds = [self._lower(ui.kind(FOLDER_KINDS.get(v.lower(), v.lower()), plural=True))
                 if FOLDER_KINDS.get(v.lower(), v.lower()) in KIND_LABELS else v for v in filt.get("kind", ())]
        what = (" " + _("and") + " ").join(kinds) or (_("operational plans and strategies") if "function" in filt
                                                else _("items"))
        parts = [_("the %(function)s %(what)s") % {"function": ", ".join(filt["function"]), "what": what}
                 if "function" in filt else _("the %(what)s") % {"what": what}]
        for key, message in (("id", N_("named %(values)s")), ("owner", N_("owned by %(values)s")),
                             ("tag", N_("tagged %(values)s"))):
            if key in filt:
                parts.append(_(message) % {"values": ", ".join(filt[key])})
        return _("%(scope)s, with the objectives, initiatives, KPIs and reviews they connect to") % {
            "scope": " ".join(parts)}

    def _lower(self, label: str) -> str:
        """A kind's label inside a sentence: lower case in English and French, as written in German
        (its nouns keep their capital)."""
        return label if self.views.ui.language.split("-")[0] == "de" else label.lower()

    def cover(self) -> CoverView:
        """What the cover page prints."""
        cfg = self.project.config
        plan = self.views.plan.root
        period = plan.attrs.get("period") if plan else None
        plan_title = plan.title if plan else cfg.title
        own = bool(self.spec.filter)  # an operational plan's document carries its own title
        return CoverView(
            plan_title=plan_title, title=self.spec.title if own else plan_title,
            kicker=plan_title if own else self.spec.title,
            author=cfg.organisation or (cfg.title if cfg.title != "Strategic plan" else plan_title),
            organisation=cfg.organisation, owner=plan.owner if plan else "",
            period=period_text(period, self.views.ui.language), as_of=self.project.as_of, commit=self.commit.removesuffix(DIRTY),
            logo=(self.links.assets / logo_rel(cfg.logo, cfg.content_dir)).as_uri() if cfg.logo else "",
            filter=self.filter_text(), dirty=self.commit.endswith(DIRTY),
            last_changed=last.date if (last := self.project.checkout.last_change) else "")

    # -- sections -----------------------------------------------------------------------------

    def plan(self) -> HomeView:
        """The plan section: the home page's view with its body linked for this PDF."""
        view = self.views.home()
        return replace(view, body=self.links.body(view.body, view.plan.id if view.plan else ""))

    def summary(self) -> SummaryView:
        """The executive summary, keeping the objectives and gaps the document shows."""
        view = self.views.summary()
        if self.selected is None:
            return view
        return replace(view, rows=tuple(r for r in view.rows if self.shows(r.ref.id)),
                       gaps=tuple(g for g in view.gaps if g.ref is None or self.shows(g.ref.id)))

    def entity(self, entity: Entity) -> EntityBlock:
        """One entity of an entity section."""
        view = self.views.entity(entity)
        if view.operation:
            op = view.operation
            view = replace(view, operation=replace(
                op, objectives=tuple(replace(o, anchor=anchor(o.id)) for o in op.objectives),
                tasks=tuple(replace(t, anchor=anchor(t.id)) for t in op.tasks)))
        if view.execution and view.execution.own_actions:
            panel = view.execution
            view = replace(view, execution=replace(panel, own_actions=tuple(
                replace(a, anchor=anchor(a.ref.id)) for a in panel.own_actions)))
        view = replace(view, body=self.links.body(view.body, entity.id),
                       traced_from=tuple(_summarised(g) for g in view.traced_from))
        if view.kpi:  # a board reads no file paths: the data file stays on the site
            view = replace(view, kpi=replace(view.kpi, quality=tuple(
                f for f in view.kpi.quality if f.label not in EDITOR_FACTS)))
        actuals: tuple[Actual, ...] = view.kpi.actuals if view.kpi else ()
        cut = len(actuals) > PDF_ACTUALS
        more = max(0, len(view.chains) - PDF_KPI_CHAINS) if view.kpi else 0
        more_chains = ngettext("and %(num)d more route to the strategy, listed on the site",
                               "and %(num)d more routes to the strategy, listed on the site", more) if more else ""
        if more:
            view = replace(view, chains=view.chains[:PDF_KPI_CHAINS])
        if view.kpi:  # the pack's reviews section lists what each review is about
            view = replace(view, reviews=())
        return EntityBlock(
            view=view, anchor=anchor(entity.id),
            kicker=tuple(f.text for f in view.facts if f.key in KICKER_FACTS),
            facts=tuple(f for f in view.facts if f.key not in HEADER_FACTS
                        and not (view.kpi and f.key in KPI_SITE_FACTS)),
            # A KPI's headline carries its health; its entry keeps to one page (issue 11).
            show_badges=bool(entity.status) if view.kpi else bool(view.health or entity.status or view.stale),
            show_trace=entity.kind not in UNTRACED_KINDS,
            show_traced_from=not view.kpi and (bool(view.traced_from) or entity.kind in SERVED_KINDS),
            # The chart draws every actual and the headline the latest: the table keeps their notes.
            actuals=tuple(a for a in actuals[:PDF_ACTUALS] if a.note),
            actuals_note=_("those with notes among the latest %(count)s") % {"count": min(PDF_ACTUALS, len(actuals))}
            if cut or any(
                not a.note for a in actuals[:PDF_ACTUALS]) else "", more_chains=more_chains,
            notes=entity_notes(view.findings, entity.id), depth=self.depths.get(entity.id, 0))

    def scorecard(self) -> ScorecardView:
        """The scorecard, keeping the KPIs the document shows."""
        view = self.views.scorecard()
        groups = []
        for group in view.groups:
            rows = tuple(r for r in group.rows if self.shows(r.ref.id))
            if rows:
                groups.append(replace(group, rows=rows))
        kpis = [e.id for e in self.entities("kpi")]
        health = self.project.kpi_health
        return ScorecardView(tuple(groups), health_counts(health[k].health for k in kpis), len(kpis),
                             sum(1 for k in kpis if health[k].stale), self.views.initiatives_table(self.shows))

    def roadmap(self) -> RoadmapView:
        """The roadmap of the initiatives and operational plans the document shows, linked inside it."""
        return self.views.roadmap(self.shows, href=lambda entity_id: self.links.href(self.views.sitemap.path(entity_id)))

    def matrix(self, name: str) -> MatrixView:
        """A matrix with the rows and columns the document shows, in column groups.

        :param name: the matrix id in the config.
        """
        view = self.views.matrix(name)
        keep = [i for i, c in enumerate(view.columns) if self.shows(c.ref.id)]
        rows = []
        for row in view.rows:
            if self.shows(row.ref.id):
                cells = tuple(row.cells[i] for i in keep)
                rows.append(replace(row, cells=cells, total=sum(1 for c in cells if c.kind != "empty")))
        columns = tuple(replace(view.columns[i], total=sum(1 for r in rows if r.cells[n].kind != "empty"))
                        for n, i in enumerate(keep))
        groups = matrix_groups(columns, rows)
        return replace(view, columns=columns, rows=tuple(rows), groups=groups,
                       uncovered=tuple(r for r in view.uncovered if self.shows(r.id)),
                       orphans=tuple(c for c in view.orphans if self.shows(c.id)),
                       total=sum(row.total for row in rows), split=len(groups) > 1)

    def alignment(self) -> BoardAlignmentView:
        """The alignment report in a board's words, keeping the findings about items the document shows."""
        return board_alignment(self._alignment())

    def _alignment(self) -> AlignmentView:
        view = self.views.alignment()
        if self.selected is None:
            return view

        def keep(f) -> bool:
            return f.ref is not None and self.shows(f.ref.id)
        modes = tuple(replace(m, findings=tuple(f for f in m.findings if keep(f))) for m in view.modes)
        return AlignmentView(modes, tuple(f for f in view.errors if keep(f)),
                             tuple(w for w in view.waivers if self.shows(w.ref.id)))

    def risks(self) -> RiskRegisterView:
        """The risk register: the risks the document shows, by score, with the heat map."""
        view = self.views.risk_register()
        rows = tuple(replace(r, anchor=anchor(r.ref.id)) for r in view.rows if self.shows(r.ref.id))
        shown = [e for e in execution.ranked_risks(self.views.plan) if self.shows(e.id)]
        return replace(view, rows=rows, count_text=ngettext("%(num)d risk", "%(num)d risks", len(rows)),
                       high_count=sum(1 for r in rows if r.severity == "high"),
                       unrated=tuple(r for r in view.unrated if self.shows(r.id)),
                       heatmap=self.links.body(self.views.risk_heatmap(shown)))

    def actions(self) -> ActionsView:
        """The open actions the document shows."""
        view = self.views.open_actions()
        rows = tuple(replace(a, anchor=anchor(a.ref.id)) for a in view.rows if self.shows(a.ref.id))
        return replace(view, rows=rows, count_text=ngettext("%(num)d open action", "%(num)d open actions", len(rows)),
                       overdue=sum(1 for a in rows if a.overdue), no_owner=sum(1 for a in rows if not a.owner))

    def changes(self) -> ChangesView:
        """What changed in the plan since `changes_since` (see `stratdocs diff`), for the items shown."""
        from stratdocs import diff

        rev = self.spec.changes_since
        with tempfile.TemporaryDirectory(prefix="stratdocs-changes-") as tmp:
            try:
                before = diff.load_revision(self.views.project.root, rev, Path(tmp))
            except StratdocsError as exc:
                raise ConfigError([], f"document '{self.spec.id}', section 'changes': {exc.message}") from None
            found = diff.compare(before, self.views.project)
        shown = [c for c in found if c.kind == "removed" or self.shows(c.entity)]
        return changes_view(rev, shown, self.views)


def _summarised(group: Group) -> Group:
    """Long lists of tasks and operational objectives become a count: a board member reads them
    under their operational plan, not in a paragraph of ids under every objective."""
    if group.label in NESTED_LABELS and group.total > NESTED_LIST:
        return Group(group.label, (), group.total)
    return group
