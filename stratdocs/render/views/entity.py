"""Entity page view models: facts, traces, and the detail of objectives, operations and reviews."""

from __future__ import annotations

from dataclasses import dataclass

from markupsafe import Markup

from stratdocs.model import KINDS, Entity
from stratdocs.i18n import N_
from stratdocs.numbers import format_number
from stratdocs.render.views.calendar import period_text
from stratdocs.render.views.common import (Fact, Group, ItemRef, LastChange, Traced, dated,
                                           health_word)
from stratdocs.render.views.change import CommentaryView, TrendView, commentary_view, objective_trend_view
from stratdocs.render.views.initiative import InitiativeDetail, RoadmapViews
from stratdocs.render.views.interface import _, current, ngettext
from stratdocs.render.views.kpi import KpiDetail, KpiRow
from stratdocs.render.views.status_words import status_word
from stratdocs.render.views.words import notes

#: Traced-from groups list this many items, then say how many more.
MAX_GROUP = 40
#: Kinds whose health is shown beside them in traced-from lists (chains show objectives').
HEALTH_KINDS = ("objective", "kpi")
#: Kinds that must have an owner: without one, the Owner fact says so.
OWNED_KINDS = ("objective", "initiative", "operation", "kpi", "risk")
#: Reference facts: (reference key, label).
REF_FACTS = (("supports", N_("Supports")), ("measures", N_("Measures")), ("drives", N_("Drives")),
             ("enables", N_("Enables")), ("about", N_("About")), ("threatens", N_("Threatens")))
TASK_STATUSES = ("todo", "doing", "done", "blocked")


@dataclass(frozen=True, slots=True)
class ObjectiveDetail:
    """What a strategic objective's page adds."""

    kpis: tuple[KpiRow, ...]        #: the KPIs that count for its health
    children: tuple[ItemRef, ...]   #: its sub-objectives


@dataclass(frozen=True, slots=True)
class OperationalObjectiveRow:
    """An operational objective nested in an operational plan."""

    id: str
    title: str
    owner: str
    supports: tuple[ItemRef, ...]   #: what it serves
    kpis: tuple[ItemRef, ...]       #: the KPIs it lists
    findings: tuple = ()            #: its findings
    anchor: str = ""                #: its anchor in a PDF ('' on the site, where the anchor is `id`)
    owner_href: str = ""            #: site path of the owner's page ('' for none)


@dataclass(frozen=True, slots=True)
class TaskRow:
    """A task nested in an operational plan."""

    id: str
    title: str
    owner: str
    due: str                        #: ISO date, or ''
    status: str                     #: `todo` when none is given
    overdue: bool                   #: due before `as_of` and not done
    supports: tuple[ItemRef, ...]   #: what it serves
    resources: str                  #: the resources it needs, as written
    findings: tuple = ()            #: its findings
    anchor: str = ""                #: its anchor in a PDF
    owner_href: str = ""            #: site path of the owner's page ('' for none)


@dataclass(frozen=True, slots=True)
class TaskCounts:
    """Tasks by status."""

    todo: int
    doing: int
    done: int
    blocked: int


@dataclass(frozen=True, slots=True)
class OperationDetail:
    """What an operational plan's page adds."""

    objectives: tuple[OperationalObjectiveRow, ...]
    tasks: tuple[TaskRow, ...]
    task_counts: TaskCounts
    overdue: int                    #: how many tasks are overdue
    tasks_text: str                 #: "12 tasks"


@dataclass(frozen=True, slots=True)
class ReviewDetail:
    """What a review's page adds."""

    decisions: tuple[str, ...]      #: the decisions recorded
    about: tuple[ItemRef, ...]      #: what it reviews


@dataclass(frozen=True, slots=True)
class EntityView:
    """The page of one file-level item."""

    entity: Entity                  #: the item itself (id, title, summary, status, ...)
    ref: ItemRef                    #: a reference to it
    kind_label: str                 #: "Strategic objective"
    health: str | None              #: its health, or None for kinds without one
    health_word: str                #: the health as a word
    health_reason: str              #: why it has that health ('' when not explained)
    facts: tuple[Fact, ...]         #: owner, status, period, references, ...
    body: Markup | str              #: its Markdown body as HTML
    chains: tuple[tuple[Traced, ...], ...]  #: paths up to strategic objectives (objectives show health)
    untraced_text: str              #: what to say when there are no chains
    traced_from: tuple[Group, ...]  #: what serves, measures or discusses it, by kind
    reviews: tuple[ItemRef, ...]    #: reviews about it
    mentions: tuple[ItemRef, ...]   #: items whose body links to it
    findings: tuple                 #: its findings (`Finding`)
    waivers: tuple                  #: its waivers (`Waiver`)
    source: str                     #: its content file
    edit_url: str = ""              #: the forge's web editor for `source` ('' without repo_url/edit_uri)
    last_change: LastChange | None = None  #: when git last saw `source` change (None outside git)
    suspect: bool = False           #: something it serves or measures changed since it was reviewed
    stale: bool = False             #: a KPI that had values, but none recent
    no_data: bool = False           #: a KPI that never had a value ("no data yet", not "stale")
    kpi: KpiDetail | None = None            #: for a KPI
    objective: ObjectiveDetail | None = None  #: for a strategic objective
    operation: OperationDetail | None = None  #: for an operational plan
    review: ReviewDetail | None = None        #: for a review
    commentary: CommentaryView | None = None  #: KPIs and objectives: the latest commentary and the older ones
    trend: TrendView | None = None            #: objectives: health now against the previous period
    initiative: InitiativeDetail | None = None  #: for an initiative: milestones, progress, budget
    execution: object = None        #: `views.execution.ExecutionPanel`: risks and actions on it

    @property
    def health_reason_html(self) -> Markup:
        """`health_reason` escaped, its dates kept on one line."""
        return dated(self.health_reason)

    @property
    def nothing_traced(self) -> bool:
        """Nothing serves, measures, reviews or mentions it (only then does the page say so)."""
        return not (self.traced_from or self.reviews or self.mentions)


class EntityViews(RoadmapViews):
    """Entity pages."""

    def entity(self, entity: Entity) -> EntityView:
        """The view of a file-level item's page."""
        self._read(entity.id)
        health = self.project.health_of(entity)
        chains = tuple(tuple(Traced(self.ref(i), show_health=self.plan.entities[i].kind == "objective")
                             for i in chain) for chain in self.index.chains.get(entity.id, ()))
        kind = entity.kind
        return EntityView(
            entity=entity, ref=self.ref(entity.id), kind_label=self.ui.kind(kind),
            health=health, health_word=health_word(health), health_reason=self.health_reason(entity),
            facts=self.facts(entity), body=self.body(entity).html, chains=chains,
            untraced_text=_("A top-level strategic objective.") if kind == "objective"
            else _("Traces to no strategic objective."),
            traced_from=self.traced_from(entity),
            reviews=tuple(self.ref(e.id) for e in self.index.reviews_of(entity.id)),
            mentions=tuple(self.ref(e.id) for e in self.index.mentions_of(entity.id)),
            findings=notes(self.entity_findings.get(entity.id, ())), waivers=tuple(self.waivers.get(entity.id, ())),
            source=entity.file, edit_url=self.edit_url(entity), last_change=self.last_change(entity),
            suspect=any(f.code == "suspect" for f in self.entity_findings.get(entity.id, ())),
            stale=kind == "kpi" and self._kpi_stale(entity.id),
            no_data=kind == "kpi" and self.project.kpi_health[entity.id].latest is None,
            kpi=self.kpi_detail(entity) if kind == "kpi" else None,
            objective=self.objective_detail(entity) if kind == "objective" else None,
            operation=self.operation_detail(entity) if kind == "operation" else None,
            review=ReviewDetail(tuple(entity.attrs.get("decisions", ())), self.refs(entity.ref_ids("about")))
            if kind == "review" else None,
            commentary=commentary_view(entity.attrs.get("commentary", ())),
            trend=objective_trend_view(self.project.objective_trend.get(entity.id)) if kind == "objective" else None,
            initiative=self.initiative_detail(entity) if kind == "initiative" else None)

    def _kpi_stale(self, kpi_id: str) -> bool:
        health = self.project.kpi_health[kpi_id]
        return health.stale and health.latest is not None

    def health_reason(self, entity: Entity) -> str:
        """Why a KPI, objective or initiative has its health ('' for other kinds)."""
        if entity.kind == "kpi":  # a KPI's page opens with its headline instead (KpiHeadline)
            return ""
        if entity.kind == "initiative":
            h = self.project.initiative_health[entity.id]
            return _("worse of schedule (%(schedule)s) and budget (%(budget)s)") % {
                "schedule": health_word(h.schedule).lower(), "budget": health_word(h.budget).lower()}
        if entity.kind != "objective":
            return ""
        kpis = self.project.objective_health[entity.id].kpis
        if not kpis:
            return _("no KPI measures it")
        if self.project.config.status.rollup == "worst":
            return ngettext("worst of %(num)d KPI", "worst of %(num)d KPIs", len(kpis))
        return ngettext("weighted average of %(num)d KPI", "weighted average of %(num)d KPIs", len(kpis))

    def objective_detail(self, entity: Entity) -> ObjectiveDetail:
        """The KPIs and sub-objectives of a strategic objective."""
        kpis = self.project.objective_health[entity.id].kpis
        return ObjectiveDetail(tuple(self.kpi_row(self.plan.entities[k]) for k in kpis),
                               tuple(self.ref(c) for c in self.index.objective_children.get(entity.id, ())))

    def facts(self, entity: Entity) -> tuple[Fact, ...]:
        """The facts list of an item, in the order pages show it."""
        a = entity.attrs
        facts: list[Fact] = []
        add = facts.append
        if entity.owner:
            add(Fact(_("Owner"), entity.owner, key="owner", href=self.sitemap.owner(entity.owner) or ""))
        elif entity.kind in OWNED_KINDS:
            add(Fact(_("Owner"), _("none"), tag="no owner", key="owner", tag_word=_("no owner")))
        if entity.status:
            add(Fact(_("Status"), status_word(entity.status), key="status"))
        if entity.kind == "objective":
            if a.get("perspective"):
                add(Fact(_("Perspective"), self.perspective_names.get(a["perspective"], a["perspective"]),
                         key="perspective"))
            parent = entity.ref_ids("parent")
            if parent:
                add(Fact(_("Parent objective"), refs=self.refs(parent), key="parent"))
        if a.get("period"):
            add(Fact(_("Period"), period_text(a["period"], self.ui.language), key="period"))
        if a.get("function"):
            add(Fact(_("Function"), a["function"], key="function"))
        facts.extend(self._kind_facts(entity))
        for key, label in REF_FACTS:
            ids = entity.ref_ids(key)
            if ids:
                add(Fact(_(label), refs=self.refs(ids), key=key))
        if entity.tags:
            add(Fact(_("Tags"), ", ".join(entity.tags), key="tags"))
        if entity.review_by:
            overdue = entity.review_by < self.as_of
            add(Fact(_("Review by"), entity.review_by.isoformat(), tag="overdue" if overdue else "",
                     key="review_by", tag_word=_("overdue") if overdue else ""))
        if entity.updated:
            add(Fact(_("Updated"), entity.updated.isoformat(), key="updated"))
        return tuple(facts)

    @staticmethod
    def _kind_facts(entity: Entity) -> list[Fact]:
        a = entity.attrs
        facts = []
        if entity.kind == "initiative":
            if a.get("start") or a.get("end"):
                facts.append(Fact(_("Runs"), _("%(start)s to %(end)s") % {
                    "start": a.get("start") or "…", "end": a.get("end") or "…"}, key="runs"))
            if a.get("budget") is not None:
                facts.append(Fact(_("Budget"), format_number(a["budget"], a.get("currency", ""),
                                                                  language=current().language), key="budget"))
        if entity.kind == "review":
            if a.get("date"):
                facts.append(Fact(_("Date"), a["date"].isoformat(), key="date"))
            if a.get("author"):
                facts.append(Fact(_("Author"), a["author"], key="author"))
        return facts

    def traced_from(self, entity: Entity) -> tuple[Group, ...]:
        """What serves the item, grouped by kind, direct links first, each group cut at MAX_GROUP."""
        served = self.index.served_by(entity.id)
        for item, _direct in served:  # those past MAX_GROUP are counted, so they count as read
            self._read(item.id)
        groups = []
        for kind in KINDS:
            items = [Traced(self.ref(e.id), direct, kind in HEALTH_KINDS) for e, direct in served if e.kind == kind]
            if items:
                items.sort(key=lambda item: not item.direct)  # direct first, plan order kept within
                groups.append(Group(self.ui.kind(kind, plural=True), tuple(items[:MAX_GROUP]), max(0, len(items) - MAX_GROUP)))
        return tuple(groups)

    def operation_detail(self, entity: Entity) -> OperationDetail:
        """The operational objectives and tasks of an operational plan."""
        objectives, tasks = [], []
        for child_id in entity.children:
            child = self.plan.entities.get(child_id)
            if child is None or child.container != entity.id:
                continue
            self._read(child.id)
            supports = self.refs(child.ref_ids("supports"))
            findings = notes(self.entity_findings.get(child.id, ()))
            if child.kind == "operational-objective":
                objectives.append(OperationalObjectiveRow(child.id, child.title, child.owner, supports,
                                                          self.refs(child.ref_ids("kpis")), findings,
                                                          owner_href=self.sitemap.owner(child.owner) or ""))
                continue
            due = child.attrs.get("due")
            tasks.append(TaskRow(child.id, child.title, child.owner, due.isoformat() if due else "",
                                 child.status or "todo", bool(due and due < self.as_of and child.status != "done"),
                                 supports, child.attrs.get("resources", ""), findings,
                                 owner_href=self.sitemap.owner(child.owner) or ""))
        counts = TaskCounts(*(sum(1 for t in tasks if t.status == s) for s in TASK_STATUSES))
        return OperationDetail(tuple(objectives), tuple(tasks), counts, sum(1 for t in tasks if t.overdue),
                               ngettext("%(num)d task", "%(num)d tasks", len(tasks)))
