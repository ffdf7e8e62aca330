"""Report view models: the home page, kind indexes, the scorecard, the alignment report, search."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from markupsafe import Markup

from stratdocs.alignment import FAILURE_MODES
from stratdocs.findings import Severity
from stratdocs.model import KIND_FOLDERS, KINDS, Entity
from stratdocs.i18n import N_
from stratdocs.numbers import format_number, plural_word
from stratdocs.render.urls import REPORT_PAGES, index_path
from stratdocs.render.views.calendar import period_text
from stratdocs.objectives import reading_order, tree
from stratdocs.render.views.common import HealthCount, ItemRef, dated, health_counts, health_word
from stratdocs.render.views.initiative import InitiativesTable
from stratdocs.render.views.interface import _, ngettext
from stratdocs.render.views.kpi import KpiRow
from stratdocs.render.views.summary import SummaryView, SummaryViews
from stratdocs.render.views.strategy import StrategyText, strategy_text
from stratdocs.render.views.words import plain_text, reader_words

#: Kind indexes: the heading of the kind's extra column.
EXTRA_LABELS = {"operation": N_("Function · period"), "kpi": N_("Latest"), "objective": N_("Perspective"),
                "review": N_("Date")}
#: Kind indexes show health for these kinds, and "traces to" for all kinds but these.
INDEX_HEALTH_KINDS = ("objective", "kpi")
UNTRACED_KINDS = ("objective", "page", "plan")
#: Kind indexes list this many "traces to" ids per row.
INDEX_TRACES = 6
LATEST_REVIEWS = 3
#: Search documents keep this much of an item's text.
SEARCH_TEXT = 2000


@dataclass(frozen=True, slots=True)
class ObjectiveCard:
    """A strategic objective on the home page."""

    ref: ItemRef
    summary: str
    kpis: int           #: how many KPIs count for it
    kpis_text: str      #: "3 KPIs"
    contributes_to: tuple[ItemRef, ...] = ()  #: its parent objectives (the strategy map's arrows, in words)


@dataclass(frozen=True, slots=True)
class Perspective:
    label: str                          #: "Financial", or "Other objectives"
    objectives: tuple[ObjectiveCard, ...]


@dataclass(frozen=True, slots=True)
class Stat:
    label: str          #: "Strategic objectives"
    count: int
    href: str | None    #: the kind's index page


@dataclass(frozen=True, slots=True)
class HomeView:
    """The plan home page (and the plan section of a PDF)."""

    plan: Entity | None                 #: the plan entity
    body: Markup | str                  #: its Markdown body as HTML
    vision: str
    mission: str
    values: tuple[str, ...]
    strategy: StrategyText | None       #: the generic strategy, if named
    period: str                         #: the plan period's label
    owner: str
    objective_counts: tuple[HealthCount, ...]
    kpi_counts: tuple[HealthCount, ...]
    strategy_map: Markup | None         #: SVG, when there are objectives
    perspectives: tuple[Perspective, ...]
    stats: tuple[Stat, ...]             #: items per kind
    reviews: tuple[ItemRef, ...]        #: the latest reviews
    warnings: int
    errors: int
    warnings_text: str                  #: "5 warnings"
    errors_text: str                    #: "1 error"
    scorecard_href: str                 #: site path of the scorecard
    alignment_href: str                 #: site path of the alignment report
    summary: SummaryView | None = None  #: the executive summary (the `briefing` block)
    map_arrows: str = ""                #: what the strategy map's arrows mean, for its caption ('' for none)
    roadmap_href: str = REPORT_PAGES["roadmap"]  #: site path of the roadmap


@dataclass(frozen=True, slots=True)
class IndexRow:
    ref: ItemRef
    owner: str
    status: str
    summary: str
    health: str | None
    traces_to: tuple[ItemRef, ...]      #: the first INDEX_TRACES items it traces to
    extra: Markup | str                 #: the kind's extra column (HTML: its dates kept on one line)
    target: Markup | str = ""           #: KPIs: the target in force with its date ("40 NPS by 2026-12-31"), HTML
    depth: int = 0                      #: objectives: 1 for a sub-objective (listed under its parent), ...
    owner_href: str = ""                #: site path of the owner's page ('' for none)


@dataclass(frozen=True, slots=True)
class KindIndexView:
    """The index page of one kind."""

    kind: str
    label: str                  #: "Strategic objectives"
    rows: tuple[IndexRow, ...]
    count_text: str             #: "12 items"
    extra_label: str            #: heading of the extra column ('' for none)
    show_health: bool
    show_traces: bool
    show_status: bool = True    #: some row has a status (KPIs have none: no empty column)
    show_target: bool = False   #: a target column (KPIs)


@dataclass(frozen=True, slots=True)
class ScorecardGroup:
    objective: ItemRef | None   #: None for KPIs measuring no objective directly
    health: str | None
    health_word: str
    rows: tuple[KpiRow, ...]
    depth: int = 0              #: 1 for a sub-objective (listed under its parent), ...
    perspective: str = ""       #: the perspective's name on the first group of each perspective, else ''


@dataclass(frozen=True, slots=True)
class ScorecardView:
    groups: tuple[ScorecardGroup, ...]
    counts: tuple[HealthCount, ...]
    total: int                  #: how many KPIs
    stale: int                  #: how many of them are stale
    initiatives: InitiativesTable | None = None  #: the Initiatives table (None: the plan has none)

    @property
    def total_text(self) -> str:
        """"12 KPIs"."""
        return ngettext("%(num)d KPI", "%(num)d KPIs", self.total)

    @property
    def stale_text(self) -> str:
        """"2 KPIs are stale"."""
        return ngettext("%(num)d KPI is stale", "%(num)d KPIs are stale", self.stale)

    @property
    def stale_verb(self) -> str:
        """"is" or "are", agreeing with `stale`."""
        return plural_word(self.stale, "is", "are")


@dataclass(frozen=True, slots=True)
class FindingView:
    ref: ItemRef | None         #: the item it is about
    message: str
    code: str
    where: str                  #: "file:line"
    severity: str               #: `warning` or `error`
    sentence: Markup | str = ""  #: the reader's words (HTML): the message without the item's kind and id or the fix
    fix: str = ""               #: the editor's part of the message ("link it with 'supports:'"), or ''


@dataclass(frozen=True, slots=True)
class WaiverView:
    ref: ItemRef
    code: str
    reason: str


@dataclass(frozen=True, slots=True)
class FailureMode:
    title: str
    codes: tuple[str, ...]
    why: str
    findings: tuple[FindingView, ...]
    waived: int                 #: how many findings of these codes are waived


@dataclass(frozen=True, slots=True)
class AlignmentView:
    modes: tuple[FailureMode, ...]      #: every failure mode, in the order of `FAILURE_MODES`
    errors: tuple[FindingView, ...]
    waivers: tuple[WaiverView, ...]

    @property
    def open_modes(self) -> tuple[FailureMode, ...]:
        """The failure modes with findings: what a reader should see first."""
        return tuple(m for m in self.modes if m.findings)

    @property
    def clear_modes(self) -> tuple[FailureMode, ...]:
        """The failure modes without findings."""
        return tuple(m for m in self.modes if not m.findings)

    @property
    def total(self) -> int:
        """Warnings over all failure modes."""
        return sum(len(m.findings) for m in self.modes)

    @property
    def total_text(self) -> str:
        """"7 findings"."""
        return ngettext("%(num)d finding", "%(num)d findings", self.total)

    @property
    def waivers_text(self) -> str:
        """"2 accepted gaps"."""
        return ngettext("%(num)d accepted gap", "%(num)d accepted gaps", len(self.waivers))


class ReportViews(SummaryViews):
    """Home, kind indexes, scorecard, alignment report and search documents."""

    def kind_index(self, kind: str) -> KindIndexView:
        """The index page of `kind` (a file kind with items)."""
        rows = []
        depths = {p.entity.id: p.depth for p in tree(self.plan, self.perspective_names)}
        for entity in reading_order(self.plan, kind, self.perspective_names):
            self._read(entity.id)  # the row shows more than a reference: owner, status, summary, links
            rows.append(IndexRow(self.ref(entity.id), entity.owner, entity.status, entity.summary,
                                 self.project.health_of(entity),
                                 self.refs(self.index.traces_to.get(entity.id, ())[:INDEX_TRACES]),
                                 dated(self._index_extra(entity)), self._index_target(entity),
                                 depths.get(entity.id, 0), self.sitemap.owner(entity.owner) or ""))
        return KindIndexView(kind, self.ui.kind(kind, plural=True), tuple(rows),
                             ngettext("%(num)d item", "%(num)d items", len(rows)), _(EXTRA_LABELS[kind]) if kind in EXTRA_LABELS else "", kind in INDEX_HEALTH_KINDS, kind not in UNTRACED_KINDS,
                             show_status=any(r.status for r in rows), show_target=kind == "kpi")

    def _index_target(self, entity: Entity) -> str:
        if entity.kind != "kpi":
            return ""
        target = self.project.kpi_health[entity.id].target
        if target is None:
            return "—"
        return dated(_("%(value)s by %(day)s") % {"value": format_number(target.value, entity.kpi.unit, language=self.ui.language),
                                                   "day": target.date.isoformat()})

    def _index_extra(self, entity: Entity) -> str:
        if entity.kind == "operation":
            period = entity.attrs.get("period")
            return " · ".join(x for x in (entity.attrs.get("function", ""), period_text(period, self.ui.language)) if x)
        if entity.kind == "kpi":
            latest = self.project.kpi_health[entity.id].latest
            return format_number(latest.value, entity.kpi.unit, language=self.ui.language) if latest else "—"
        if entity.kind == "objective":
            return self.perspective_names.get(entity.attrs.get("perspective", ""), "")
        if entity.kind == "review":
            day = entity.attrs.get("date")
            return day.isoformat() if day else ""
        return ""

    def _perspectives(self, objectives: list[Entity]) -> list[tuple[str, list[Entity]]]:
        by_perspective = []
        for key, label in self.perspective_names.items():
            items = [e for e in objectives if e.attrs.get("perspective") == key]
            if items:
                by_perspective.append((label, items))
        unassigned = [e for e in objectives if not e.attrs.get("perspective")]
        if unassigned:
            by_perspective.append((_("Other objectives"), unassigned))
        return by_perspective

    def _strategy_map(self, objectives: list[Entity], by_perspective) -> Markup | None:
        if not objectives:
            return None
        return self.chart(
            "strategy_map",
            perspectives=[(label, [{"id": e.id, "title": e.title, "href": self.sitemap.path(e.id),
                                    "health": self.project.objective_health[e.id].health} for e in items])
                          for label, items in by_perspective],
            links=[(e.id, edge.other) for e in objectives for edge in self.index.up.get(e.id, ())
                   if edge.key == "parent"],
            causes=[(e.id, target) for e in objectives for target in e.ref_ids("enables")
                    if (t := self.plan.get(target)) is not None and t.kind == "objective"])

    def _card(self, entity: Entity) -> ObjectiveCard:
        kpis = len(self.project.objective_health[entity.id].kpis)
        return ObjectiveCard(self.ref(entity.id), entity.summary, kpis, ngettext("%(num)d KPI", "%(num)d KPIs", kpis),
                             self.refs(entity.ref_ids("parent")))

    def home(self) -> HomeView:
        """The plan home page."""
        plan = self.plan.root
        attrs = plan.attrs if plan else {}
        objectives = self.plan.of_kind("objective")
        by_perspective = self._perspectives(objectives)
        period = attrs.get("period")
        reviews = sorted(self.plan.of_kind("review"), key=lambda e: e.attrs.get("date") or date.min, reverse=True)
        warnings = sum(1 for f in self.project.findings if f.severity is Severity.WARNING)
        errors = sum(1 for f in self.project.findings if f.severity is Severity.ERROR)
        return HomeView(
            plan=plan, body=self.body(plan).html if plan else "",
            vision=attrs.get("vision", ""), mission=attrs.get("mission", ""), values=tuple(attrs.get("values", ())),
            strategy=strategy_text(attrs),
            period=period_text(period, self.ui.language), owner=plan.owner if plan else "",
            objective_counts=health_counts(self.project.objective_health[e.id].health for e in objectives),
            kpi_counts=health_counts(h.health for h in self.project.kpi_health.values()),
            strategy_map=self._strategy_map(objectives, by_perspective),
            perspectives=tuple(Perspective(label, tuple(self._card(e) for e in items))
                               for label, items in by_perspective),
            stats=tuple(Stat(self.ui.kind(k, plural=True), len(self.plan.of_kind(k)), index_path(k) if k in KIND_FOLDERS else None)
                        for k in KINDS if k not in ("plan", "page") and self.plan.of_kind(k)),
            reviews=tuple(self.ref(r.id) for r in reviews[:LATEST_REVIEWS]),
            warnings=warnings, errors=errors,
            warnings_text=ngettext("%(num)d warning", "%(num)d warnings", warnings),
            errors_text=ngettext("%(num)d error", "%(num)d errors", errors),
            scorecard_href=REPORT_PAGES["scorecard"], alignment_href=REPORT_PAGES["alignment"],
            summary=self.summary(), map_arrows=self._map_arrows(objectives))

    @staticmethod
    def _map_arrows(objectives: list[Entity]) -> str:
        """The strategy map caption's words for the kinds of arrow it draws."""
        words = []
        if any(e.ref_ids("parent") for e in objectives):
            words.append(_("solid arrows point from a sub-objective to the objective it contributes to"))
        if any(e.ref_ids("enables") for e in objectives):
            words.append(_("dashed arrows with open heads show cause and effect, from an objective to the one it enables"))
        return "; ".join(words)

    def scorecard(self) -> ScorecardView:
        """Every KPI grouped by the strategic objective it measures directly, the rest last."""
        groups = []
        placed: set[str] = set()
        last_perspective = None
        for item in tree(self.plan, self.perspective_names):
            objective = item.entity
            direct = [self.plan.entities[k] for k in self.index.measured_by(objective.id)]
            if not direct:
                continue
            placed.update(k.id for k in direct)
            oh = self.project.objective_health[objective.id]
            head = "" if item.perspective == last_perspective else self.perspective_names.get(item.perspective, "")
            last_perspective = item.perspective
            groups.append(ScorecardGroup(self.ref(objective.id), oh.health, health_word(oh.health),
                                         tuple(self.kpi_row(k) for k in direct), item.depth, head))
        rest = [k for k in self.plan.of_kind("kpi") if k.id not in placed]
        if rest:
            groups.append(ScorecardGroup(None, None, "", tuple(self.kpi_row(k) for k in rest)))
        healths = self.project.kpi_health.values()
        return ScorecardView(tuple(groups), health_counts(h.health for h in healths), len(healths),
                             sum(1 for h in healths if h.stale), self.initiatives_table())

    def initiatives_table(self, keep=None) -> InitiativesTable | None:
        """Every initiative (those `keep` accepts) with its delivery health; None when there are none."""
        rows = tuple(self.initiative_row(e) for e in self.plan.of_kind("initiative") if keep is None or keep(e.id))
        return InitiativesTable(rows, health_counts(r.health for r in rows)) if rows else None

    def alignment(self) -> AlignmentView:
        """The findings by failure mode, content errors and waivers."""
        modes = []
        findings = list(self.project.findings)
        for title, codes, why in FAILURE_MODES:
            items = tuple(self.finding_view(f) for f in findings if f.code in codes and f.severity is Severity.WARNING)
            waived = sum(1 for w in self.project.waivers if w.code in codes)
            modes.append(FailureMode(_(title), tuple(codes), _(why), items, waived))
        errors = tuple(self.finding_view(f) for f in findings if f.severity is Severity.ERROR)
        waivers = tuple(WaiverView(self.ref(w.entity.id), w.code, w.reason) for w in self.project.waivers)
        return AlignmentView(tuple(modes), errors, waivers)

    def finding_view(self, finding) -> FindingView:
        """One finding as the alignment report lists it."""
        entity = self.plan.get(finding.entity) if finding.entity else None
        sentence, fix = reader_words(finding.message, entity.id if entity else "", finding.code)
        return FindingView(self.ref(entity.id) if entity else None, finding.message, finding.code,
                           f"{finding.file}:{finding.line}", finding.severity.value, sentence, fix)

    def search_docs(self, memo: dict | None = None) -> list[dict]:
        """One search document (JSON-ready) per item.

        :param memo: id -> (inputs, doc), kept between builds: the documents of items whose
            entity, health, page and body are what they were last time are reused.
        """
        docs = []
        for entity in self.plan:
            health = self.project.health_of(entity) or ""
            html = self.body(entity).html if entity.container is None else ""
            kind_label = self.ui.kind(entity.kind)
            if entity.kind == "objective" and entity.attrs.get("perspective"):
                kind_label += " · " + self.perspective_names.get(entity.attrs["perspective"], "")
            inputs = (entity, health, self.sitemap.path(entity.id), html, kind_label)
            if memo is not None:
                previous = memo.get(entity.id)
                if previous is not None and previous[0] == inputs:
                    docs.append(previous[1])
                    continue
            text = plain_text(html) if entity.container is None else entity.attrs.get("resources") or ""
            docs.append({"id": entity.id, "title": entity.title, "kind": entity.kind,
                         "kind_label": kind_label, "href": self.sitemap.path(entity.id),
                         "summary": entity.summary, "owner": entity.owner,
                         "health": health, "text": text[:SEARCH_TEXT]})
            if memo is not None:
                memo[entity.id] = (inputs, docs[-1])
        return docs
