"""Initiative delivery view models: an initiative's milestones, progress and budget on its page,
its row in the scorecard's Initiatives table, and the roadmap.

Health is the computed `delivery.InitiativeHealth`; these views only format it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from markupsafe import Markup

from stratdocs.delivery import InitiativeHealth, delivery_of
from stratdocs.i18n import N_
from stratdocs.model import Entity
from stratdocs.numbers import format_day, format_number, format_percent
from stratdocs.render.views.common import ItemRef, dated, health_word
from stratdocs.render.views.delivery_words import budget_words, reason_words, schedule_words
from stratdocs.render.views.interface import _, ngettext
from stratdocs.render.views.kpi import KpiViews

SOURCE_WORDS = {"given": N_("as reported"), "milestones": N_("from milestones done"), "done": N_("initiative done"),
                "": ""}
#: The site's roadmap is drawn this wide at its own size (its 11 px text stays 11 px).
SITE_ROADMAP_WIDTH = 920
STATUS_WORDS = {"todo": N_("to do"), "doing": N_("in progress"), "done": N_("done"), "blocked": N_("blocked"),
                "dropped": N_("dropped")}


@dataclass(frozen=True, slots=True)
class MilestoneRow:
    """One milestone of an initiative."""

    id: str
    title: str
    due: str                #: ISO date, or ''
    done: str               #: ISO date it was done, or ''
    status: str             #: `todo`, `doing`, `done`, `blocked` or `dropped`
    status_word: str        #: the status in words ("in progress")
    overdue: bool           #: due before `as_of` and not done
    late: bool              #: done after its due date
    anchor: str             #: its anchor on the initiative's page (`ms-ID`)


@dataclass(frozen=True, slots=True)
class SpendRow:
    date: str               #: ISO date
    amount: str             #: with the currency
    note: str
    future: bool            #: dated after `as_of` (not counted)


@dataclass(frozen=True, slots=True)
class InitiativeDetail:
    """What an initiative's page shows about its delivery."""

    health: str
    health_word: str
    schedule: str                   #: schedule health
    schedule_word: str
    schedule_reason: str
    budget_health: str
    budget_word: str
    budget_reason: str
    progress: str                   #: "48%", or "—"
    progress_source: str            #: "as reported", "from milestones done", ...
    elapsed: str                    #: share of the time gone ("44%"), or ''
    progress_bar: Markup | None     #: SVG bar with the elapsed time as a tick (None without progress)
    budget: str                     #: "9,400,000 EUR", or ''
    spent: str                      #: spend to date, or ''
    planned: str                    #: planned burn to date, or ''
    spent_share: str                #: spend as a share of the budget ("41%"), or ''
    budget_bar: Markup | None       #: SVG bar of spend with the planned burn as a tick
    phased: bool                    #: the planned burn follows the budget's phasing, not a straight line
    milestones: tuple[MilestoneRow, ...]
    overdue: int                    #: how many milestones are overdue
    spend: tuple[SpendRow, ...]     #: newest first
    spend_data: str                 #: the CSV the spend comes from ('' for inline)


@dataclass(frozen=True, slots=True)
class InitiativeRow:
    """One initiative in the scorecard's Initiatives table."""

    ref: ItemRef
    owner: str
    status: str
    health: str
    health_word: str
    schedule_word: str
    budget_word: str
    progress: str                   #: "48%" or "—"
    elapsed: str                    #: "44%" or ''
    spent: str                      #: "3,900,000 EUR of 9,400,000 EUR", or '—'
    next_milestone: str             #: the title of the next milestone not done, or ''
    next_due: str                   #: its due date (ISO), or ''
    overdue: int
    reason: str                     #: why it has its health


@dataclass(frozen=True, slots=True)
class InitiativesTable:
    rows: tuple[InitiativeRow, ...]
    counts: tuple                   #: `HealthCount`s of the rows


class InitiativeViews(KpiViews):
    """Initiative delivery views (the page detail, the scorecard table, the roadmap)."""

    def initiative_health(self, entity: Entity) -> InitiativeHealth:
        return self.project.initiative_health[entity.id]

    def initiative_detail(self, entity: Entity) -> InitiativeDetail:
        """The delivery of an initiative: progress, budget and spend, milestones."""
        self._read(entity.id)
        d = delivery_of(entity)
        h = self.initiative_health(entity)
        currency = d.budget.currency if d.budget else ""
        language = self.ui.language
        money = lambda value: (format_number(value, currency, decimals=0, language=language)  # noqa: E731
                               if value is not None else "")
        progress_text = format_percent(h.progress) or "—"
        elapsed = format_percent(h.elapsed)
        bar = None
        if h.progress is not None:
            label = (_("Progress: %(progress)s done; %(elapsed)s of the time elapsed") if elapsed
                     else _("Progress: %(progress)s done")) % {"progress": progress_text, "elapsed": elapsed}
            bar = self.chart("progress_bar", share=h.progress, marker=h.elapsed, label=label)
        budget_bar = None
        share = ""
        if d.budget is not None and d.budget.amount > 0 and h.spent is not None:
            share = format_percent(h.spent / d.budget.amount)
            planned = h.planned / d.budget.amount if h.planned is not None else None
            label = (_("Spend: %(spent)s of %(budget)s (%(share)s); %(planned)s planned to date")
                     if h.planned is not None else _("Spend: %(spent)s of %(budget)s (%(share)s)")) % {
                "spent": money(h.spent), "budget": money(d.budget.amount), "share": share,
                "planned": money(h.planned)}
            budget_bar = self.chart("progress_bar", share=h.spent / d.budget.amount, marker=planned, label=label)
        rows = tuple(self._milestone(m) for m in d.milestones)
        return InitiativeDetail(
            health=h.health, health_word=health_word(h.health), schedule=h.schedule,
            schedule_word=health_word(h.schedule), schedule_reason=schedule_words(entity, h),
            budget_health=h.budget, budget_word=health_word(h.budget), budget_reason=budget_words(entity, d, h),
            progress=progress_text, progress_source=_(SOURCE_WORDS[h.progress_source]) if h.progress_source else "", elapsed=elapsed,
            progress_bar=bar, budget=money(d.budget.amount) if d.budget else "", spent=money(h.spent),
            planned=money(h.planned), spent_share=share, budget_bar=budget_bar,
            phased=bool(d.budget and d.budget.phasing), milestones=rows,
            overdue=sum(1 for r in rows if r.overdue),
            spend=tuple(SpendRow(p.date.isoformat(), money(p.value), p.note, p.date > self.as_of)
                        for p in reversed(d.spend)),
            spend_data=d.spend_data)

    def _milestone(self, m) -> MilestoneRow:
        return MilestoneRow(m.id, m.title, m.due.isoformat() if m.due else "", m.done.isoformat() if m.done else "",
                            m.status, _(STATUS_WORDS[m.status]), m.overdue(self.as_of),
                            bool(m.done and m.due and m.done > m.due), f"ms-{m.id}")

    def initiative_row(self, entity: Entity) -> InitiativeRow:
        """The scorecard row of an initiative."""
        self._read(entity.id)
        d = delivery_of(entity)
        h = self.initiative_health(entity)
        currency = d.budget.currency if d.budget else ""
        spent = "—"
        if h.spent is not None:
            spent = format_number(h.spent, currency, decimals=0, language=self.ui.language)
            if d.budget is not None:
                spent = _("%(spent)s of %(budget)s") % {
                    "spent": spent, "budget": format_number(d.budget.amount, currency, decimals=0,
                                                            language=self.ui.language)}
        upcoming = [m for m in d.milestones if m.status not in ("done", "dropped") and m.due]
        upcoming.sort(key=lambda m: m.due)
        nxt = upcoming[0] if upcoming else None
        return InitiativeRow(
            ref=self.ref(entity.id), owner=entity.owner, status=entity.status, health=h.health,
            health_word=health_word(h.health), schedule_word=health_word(h.schedule),
            budget_word=health_word(h.budget), progress=format_percent(h.progress) or "—",
            elapsed=format_percent(h.elapsed), spent=spent, next_milestone=nxt.title if nxt else "",
            next_due=nxt.due.isoformat() if nxt else "", overdue=len(h.overdue),
            reason=reason_words(entity, d, h))

    def _roadmap_day(self, day) -> str:
        """A date of the roadmap's table (`numbers.format_day`)."""
        return format_day(day, self.ui.language) if isinstance(day, date) else str(day)

    def roadmap_groups(self, keep=None) -> list[tuple[str, list[dict]]]:
        """Initiatives and operational plans grouped by the first strategic objective each serves
        (plan order), those serving none last; `keep` picks the items (a PDF's scope)."""
        groups: dict[str, list[dict]] = {}
        loose: list[dict] = []
        for entity in self.plan.of_kind("initiative", "operation"):
            if keep is not None and not keep(entity.id):
                continue
            self._read(entity.id)
            objectives = self.index.traces_to.get(entity.id, ())
            row = self._roadmap_row(entity)
            if objectives:
                first = min(objectives, key=self.plan.position.__getitem__)
                groups.setdefault(first, []).append(row)
            else:
                loose.append(row)
        out = []
        for objective_id in sorted(groups, key=self.plan.position.__getitem__):
            objective = self.plan.entities[objective_id]
            self.tracker.shown(objective_id)
            out.append((f"{objective.id} · {objective.title}", groups[objective_id]))
        if loose:
            out.append((_("Serving no strategic objective"), loose))
        return out

    def _roadmap_row(self, entity: Entity) -> dict:
        a = entity.attrs
        if entity.kind == "initiative":
            start, end = a.get("start"), a.get("end")
            health = self.initiative_health(entity).health
            milestones = [{"id": m.id, "title": m.title, "date": m.done or m.due,
                           "state": "done" if m.complete else "overdue" if m.overdue(self.as_of) else "open"}
                          for m in delivery_of(entity).milestones if m.status != "dropped" and (m.done or m.due)]
        else:
            period = a.get("period")
            start, end = (period.start, period.end) if period else (None, None)
            health, milestones = None, []
        return {"id": entity.id, "title": entity.title, "kind": entity.kind, "label": self.ui.kind(entity.kind),
                "href": self.sitemap.path(entity.id), "start": start, "end": end, "health": health,
                "milestones": milestones}

    def roadmap_period(self) -> tuple[date, date]:
        """The timeline's span: the plan period, widened to every bar and milestone on it."""
        plan = self.plan.root
        period = plan.attrs.get("period") if plan else None
        days = [self.as_of]
        for entity in self.plan.of_kind("initiative", "operation"):
            a = entity.attrs
            days += [d for d in (a.get("start"), a.get("end")) if d]
            if a.get("period"):
                days += [a["period"].start, a["period"].end]
            days += [d for m in delivery_of(entity).milestones for d in (m.due, m.done) if d]
        start, end = min(days), max(days)
        if period is not None:
            start, end = min(start, period.start), max(end, period.end)
        return date(start.year, 1, 1), date(end.year, 12, 31)


@dataclass(frozen=True, slots=True)
class RoadmapItem:
    """One bar of the roadmap, as text (the table under the chart, for readers who cannot see it)."""

    ref: ItemRef
    runs: str                       #: "2026-01-01 to 2027-12-31", or ''
    health: str | None              #: initiatives only
    health_word: str
    milestones: str                 #: "6 milestones: 3 done, 1 overdue", or ''

    @property
    def runs_html(self) -> Markup:
        """`runs` escaped, its dates kept on one line."""
        return dated(self.runs)


@dataclass(frozen=True, slots=True)
class RoadmapGroup:
    heading: str
    items: tuple[RoadmapItem, ...]


@dataclass(frozen=True, slots=True)
class RoadmapView:
    """The roadmap page (and PDF section)."""

    chart: Markup | None            #: the SVG, None when there is nothing to draw
    groups: tuple[RoadmapGroup, ...]
    start: str                      #: the timeline's first and last day (ISO)
    end: str
    count_text: str                 #: "6 initiatives and 5 operational plans"

    @property
    def count_sentence(self) -> str:
        """`count_text` opening a sentence: its first letter upper-case, the rest as it is
        (Jinja's `capitalize` lower-cased German nouns: "6 initiativen und 5 operative pläne")."""
        return self.count_text[:1].upper() + self.count_text[1:]


def milestones_text(rows: list[dict]) -> str:
    """"6 milestones: 3 done, 1 overdue" for a roadmap row's milestones ('' for none)."""
    if not rows:
        return ""
    done = sum(1 for m in rows if m["state"] == "done")
    late = sum(1 for m in rows if m["state"] == "overdue")
    if late:
        return ngettext("%(num)d milestone: %(done)d done, %(late)d overdue",
                        "%(num)d milestones: %(done)d done, %(late)d overdue", len(rows), done=done, late=late)
    return ngettext("%(num)d milestone: %(done)d done", "%(num)d milestones: %(done)d done", len(rows), done=done)


class RoadmapViews(InitiativeViews):
    def roadmap(self, keep=None, href=None) -> RoadmapView:
        """The roadmap of the items `keep` accepts (all by default); `href` maps an item id to
        its link (by default its site path: the site's chart is drawn at its own size, a PDF's
        scaled to the page)."""
        groups = self.roadmap_groups(keep)
        start, end = self.roadmap_period()
        if href is not None:
            groups = [(heading, [dict(row, href=href(row["id"])) for row in rows]) for heading, rows in groups]
        size = {"width": SITE_ROADMAP_WIDTH, "fixed": True} if href is None else {}
        chart = self.chart("roadmap", start=start, end=end, as_of=self.as_of, groups=groups, **size) if groups else None
        text = []
        for heading, rows in groups:
            items = []
            for row in rows:
                runs = (_("%(start)s to %(end)s") % {"start": self._roadmap_day(row["start"]),
                                                     "end": self._roadmap_day(row["end"])}
                        if row["start"] and row["end"] else "")
                items.append(RoadmapItem(self.ref(row["id"]), runs, row["health"], health_word(row["health"]),
                                         milestones_text(row["milestones"])))
            text.append(RoadmapGroup(heading, tuple(items)))
        kinds = [row["kind"] for _, rows in groups for row in rows]
        counts = [self._count(k, n) for k in ("initiative", "operation") if (n := kinds.count(k))]
        return RoadmapView(chart, tuple(text), start.isoformat(), end.isoformat(), _(" and ").join(counts) or _("nothing"))

    def _count(self, kind: str, n: int) -> str:
        """"6 initiatives", "5 operational plans" (or the plan's own term for the kind)."""
        if kind in self.ui.terms:
            return f"{n} {self.ui.kind(kind, plural=n != 1)}"
        if kind == "initiative":
            return ngettext("%(num)d initiative", "%(num)d initiatives", n)
        return ngettext("%(num)d operational plan", "%(num)d operational plans", n)
