"""The executive summary: where each strategic objective stands, the most serious gaps, and
what the board is asked to decide. It is the `summary` PDF section and the top of the home page.

Gaps are rows with a severity, a sentence in board language (no rule ids, no file paths, no
front-matter advice: those stay in `check` and the alignment report) and a link. Other sources
of gaps (risks, overdue actions, late initiatives) append `GapRow`s and call `ranked`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from stratdocs import commentary
from stratdocs.findings import Severity
from stratdocs.health import AMBER, GREEN, NO_DATA, RED
from stratdocs.model import Entity
from stratdocs.i18n import N_
from stratdocs.render.urls import REPORT_PAGES
from stratdocs.render.views.change import TrendView, first_sentence, objective_trend_view
from stratdocs.render.views.common import ItemRef, health_word
from stratdocs.numbers import format_date
from stratdocs.render.views.interface import _, current, ngettext
from stratdocs.render.views.kpi import KpiRow, threshold_text
from stratdocs.render.views.matrix import MatrixViews
from stratdocs.render.views.summary_execution import execution_gaps

#: A symbol beside each health word: a distinct shape, so health reads in greyscale too.
HEALTH_SYMBOLS = {GREEN: "●", AMBER: "◆", RED: "■", NO_DATA: "○"}
#: Gaps that are not a health (nothing executes an objective) are marked `attention`.
ATTENTION = "attention"
GAP_SYMBOLS = {**HEALTH_SYMBOLS, ATTENTION: "▲"}
#: Gap severities, most serious first (lower sorts first).
RED_UNADDRESSED, RED_KPI, NOT_EXECUTED, AMBER_KPI, NO_FIGURES = 0, 1, 2, 3, 4
#: The summary lists this many gaps; the rest are counted.
GAP_LIMIT = 6
#: The one-line commentary of a summary row is cut at this many characters.
ONE_LINE = 100
_RANK = {RED: 0, AMBER: 1, GREEN: 2}


@dataclass(frozen=True, slots=True)
class SummaryRow:
    """One strategic objective in the summary table."""

    ref: ItemRef
    depth: int                  #: 0 for a top-level objective, 1 for a sub-objective, ...
    health: str                 #: `green`, `amber`, `red` or `no-data`
    health_word: str
    symbol: str                 #: the health's shape (see HEALTH_SYMBOLS)
    trend: TrendView            #: health now against the previous period
    owner: str                  #: '' for none
    comment: str                #: the latest commentary's first sentence ('' for none)
    comment_when: str           #: its period or date
    behind: ItemRef | None      #: the KPI furthest behind plan (None when no KPI has data)
    behind_text: str            #: that KPI's latest figure against plan ("11.2% against 9.2% planned")
    behind_trend: TrendView | None = None  #: that KPI's change since its previous period


@dataclass(frozen=True, slots=True)
class GapRow:
    """One gap the board should know about."""

    severity: int               #: lower is more serious (RED_UNADDRESSED … NO_FIGURES, or a caller's own)
    health: str                 #: the colour it is shown with (`red`, `amber`, `no-data`, `attention`)
    ref: ItemRef | None         #: the item the sentence is about, printed before it
    sentence: str               #: what is wrong, in plain words, after the item's name
    order: int = 0              #: ties broken by plan order

    @property
    def health_symbol(self) -> str:
        """The shape printed before the sentence."""
        return GAP_SYMBOLS.get(self.health, GAP_SYMBOLS[ATTENTION])


@dataclass(frozen=True, slots=True)
class SummaryView:
    """The executive summary."""

    as_of: date
    rows: tuple[SummaryRow, ...]
    gaps: tuple[GapRow, ...]            #: the GAP_LIMIT most serious
    more_gaps: int                      #: how many more there are
    more_gaps_text: str                 #: "and 3 more gaps in the alignment report" ('' for none)
    decisions: tuple[str, ...]          #: what the board is asked to decide
    decisions_from: ItemRef | None      #: the review that asks it
    alignment_href: str                 #: site path of the alignment report
    no_gaps_text: str = N_("No red or amber KPI and no unaddressed gap.")
    no_decisions_text: str = N_("The latest review requests no decision.")


def ranked(gaps, limit: int = GAP_LIMIT) -> tuple[tuple[GapRow, ...], int]:
    """Gaps most serious first (then in plan order), cut at `limit`, with how many were left out."""
    ordered = sorted(gaps, key=lambda g: (g.severity, g.order))
    return tuple(ordered[:limit]), max(0, len(ordered) - limit)


class SummaryViews(MatrixViews):
    """The executive summary."""

    def summary(self) -> SummaryView:
        """The summary of the whole plan as of `as_of`."""
        rows = tuple(self._summary_row(entity, depth) for entity, depth in self._objective_tree())
        gaps, more = ranked(self.gaps())
        source = self._decisions_review()
        return SummaryView(
            self.as_of, rows, gaps, more,
            ngettext("and %(num)d more gap in the alignment report", "and %(num)d more gaps in the alignment report",
                     more) if more else "",
            tuple(source.attrs.get("decisions_requested", ())) if source else (),
            self.ref(source.id) if source else None, REPORT_PAGES["alignment"],
            _(SummaryView.no_gaps_text), _(SummaryView.no_decisions_text))

    def _objective_tree(self) -> list[tuple[Entity, int]]:
        """Strategic objectives in plan order, each sub-objective right under its parent."""
        objectives = self.plan.of_kind("objective")
        ids = {e.id for e in objectives}
        children = self.index.objective_children
        out: list[tuple[Entity, int]] = []
        seen: set[str] = set()

        def visit(entity: Entity, depth: int) -> None:
            if entity.id in seen:
                return
            seen.add(entity.id)
            out.append((entity, depth))
            for child in children.get(entity.id, ()):
                if child in ids:
                    visit(self.plan.entities[child], depth + 1)
        for entity in objectives:
            if not any(p in ids for p in entity.ref_ids("parent")):
                visit(entity, 0)
        for entity in objectives:  # a parent cycle is an error elsewhere; still list every objective
            visit(entity, 0)
        return out

    def _summary_row(self, entity: Entity, depth: int) -> SummaryRow:
        self._read(entity.id)
        health = self.project.objective_health[entity.id]
        latest = commentary.latest(entity)
        behind = self._furthest_behind(list(health.kpis))
        row = self.kpi_row(behind) if behind else None
        return SummaryRow(
            ref=self.ref(entity.id), depth=depth, health=health.health, health_word=health_word(health.health),
            symbol=HEALTH_SYMBOLS[health.health],
            trend=objective_trend_view(self.project.objective_trend.get(entity.id)), owner=entity.owner,
            comment=first_sentence(latest.analysis, ONE_LINE) if latest else "",
            comment_when=(latest.period or latest.date.isoformat()) if latest else "",
            behind=row.ref if row else None, behind_text=self._against_plan(behind, row) if row else "",
            behind_trend=row.trend if row else None)

    def _furthest_behind(self, kpi_ids: list[str]) -> Entity | None:
        """The KPI with the worst health, then the least progress against plan; None without data."""
        health = self.project.kpi_health
        known = [k for k in kpi_ids if health[k].health != NO_DATA]
        if not known:
            return None
        best = min(known, key=lambda k: (_RANK[health[k].health],
                                         health[k].progress if health[k].progress is not None else 1.0))
        return self.plan.entities[best]

    @staticmethod
    def _against_plan(entity: Entity, row: KpiRow) -> str:
        """"11.2% against 9.2% planned", or with thresholds "11.2% (green ≤ 8%)"."""
        if row.against:
            return _("%(latest)s, %(against)s") % {"latest": row.latest, "against": row.against}
        if row.expected != "—":
            return _("%(latest)s against %(planned)s planned") % {"latest": row.latest, "planned": row.expected}
        limits = threshold_text(entity.kpi)
        return _("%(latest)s (%(limits)s)") % {"latest": row.latest, "limits": limits} if limits else row.latest

    def gaps(self) -> list[GapRow]:
        """Every gap of the plan the summary knows of, unranked (see `ranked`)."""
        found = {(f.entity, f.code) for f in self.project.findings if f.severity is Severity.WARNING}
        position = self.plan.position
        out: list[GapRow] = []
        for entity in self.plan.of_kind("objective"):
            health = self.project.objective_health[entity.id].health
            if (entity.id, "red-unaddressed") in found:
                out.append(GapRow(RED_UNADDRESSED, RED, self.ref(entity.id),
                                  _("is red and no initiative or plan under way works on it."), position[entity.id]))
            elif (entity.id, "no-execution") in found:
                out.append(GapRow(NOT_EXECUTED, health if health in (RED, AMBER) else ATTENTION, self.ref(entity.id),
                                  _("has nothing executing it: no initiative, strategy or operational plan."),
                                  position[entity.id]))
        for entity in self.plan.of_kind("kpi"):
            gap = self._kpi_gap(entity, (entity.id, "stale-commentary") in found)
            if gap is not None:
                out.append(gap)
        return out + execution_gaps(self, GapRow)  # high risks, overdue actions, late initiatives

    def _kpi_gap(self, entity: Entity, unexplained: bool) -> GapRow | None:
        """A red, amber or silent strategic KPI as a gap (operational KPIs only when red)."""
        health = self.project.kpi_health[entity.id]
        if entity.kpi.level != "strategic" and health.health != RED:
            return None
        order = self.plan.position[entity.id]
        if health.health in (RED, AMBER):
            self._read(entity.id)
            row = self.kpi_row(entity)
            return GapRow(RED_KPI if health.health == RED else AMBER_KPI, health.health, self.ref(entity.id),
                          _kpi_sentence(health.health, self._against_plan(entity, row), row.trend, unexplained), order)
        if health.stale:
            sentence = (_("has no recent figures (none since %(day)s).") % {"day": _day(health.latest.date)}
                        if health.latest else _("has no recent figures (none yet)."))
            return GapRow(NO_FIGURES, NO_DATA, self.ref(entity.id), sentence, order)
        return None

    def _decisions_review(self) -> Entity | None:
        """The latest review (by its date, then plan order) when it lists `decisions_requested`:
        an older review's requests were for an earlier meeting."""
        reviews = self.plan.of_kind("review")
        if not reviews:
            return None
        latest = max(reviews, key=lambda r: (r.attrs.get("date") or date.min, self.plan.position[r.id]))
        self._read(latest.id)
        return latest if latest.attrs.get("decisions_requested") else None


#: A red or amber KPI's gap sentence: (health, with a trend, without commentary) -> message.
_KPI_SENTENCES = {
    (RED, False, False): N_("is red: %(against)s."),
    (RED, False, True): N_("is red: %(against)s; its latest figures have no commentary yet."),
    (RED, True, False): N_("is red: %(against)s, %(trend)s since the previous period."),
    (RED, True, True): N_("is red: %(against)s, %(trend)s since the previous period; "
                          "its latest figures have no commentary yet."),
    (AMBER, False, False): N_("is amber: %(against)s."),
    (AMBER, False, True): N_("is amber: %(against)s; its latest figures have no commentary yet."),
    (AMBER, True, False): N_("is amber: %(against)s, %(trend)s since the previous period."),
    (AMBER, True, True): N_("is amber: %(against)s, %(trend)s since the previous period; "
                            "its latest figures have no commentary yet."),
}


def _kpi_sentence(health: str, against: str, trend: TrendView, unexplained: bool) -> str:
    """"is red: 11.2% against 9.2% planned, worsening since the previous period." in the build's language."""
    message = _KPI_SENTENCES[(health, trend.known, unexplained)]
    return _(message) % {"against": against, "trend": trend.word.lower() if trend.known else ""}


def _day(day: date) -> str:
    """A date in a gap sentence: ISO in English (as it always was), the locale's long date otherwise."""
    language = current().language
    return day.isoformat() if language.split("-")[0] == "en" else format_date(day, language)
