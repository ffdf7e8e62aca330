"""KPI view models: the scorecard row of a KPI and the detail of its own page."""

from __future__ import annotations

from dataclasses import dataclass, replace

from markupsafe import Markup

from stratdocs.model import Entity, Kpi
from stratdocs.i18n import N_
from stratdocs.numbers import format_number, format_percent, format_short_date
from stratdocs.render.views.change import TrendView, commentary_view, kpi_trend_view
from stratdocs.render.views.common import Fact, ItemRef, health_word
from stratdocs.render.views.core import ViewsCore
from stratdocs.render.views.interface import _
from stratdocs.render.views.kpi_headline import KpiHeadline, by_date, headline, kpi_format, threshold_words

#: KPI page charts: the viewBox widths for a desktop panel and for a 390 px phone, so that the
#: 11 px chart text is drawn at about its size in both (issue 12: 4 px axis labels on a phone).
CHART_WIDE, CHART_NARROW = 960, 260
#: The pack's chart spans the text width of an A4 page (170 mm): 11 px text prints at about 7.5 pt.
CHART_PRINT = (700, 230)
DIRECTION_TEXT = {"up": N_("Higher is better"), "down": N_("Lower is better"), "range": N_("Stay in range")}
BETTER_WHEN = {"up": N_("higher"), "down": N_("lower"), "range": N_("inside the range")}
#: KPI levels as readers see them (a level the model does not know is shown as written).
LEVEL_WORDS = {"strategic": N_("Strategic"), "operational": N_("Operational")}
#: Reporting frequencies as readers see them.
FREQUENCY_WORDS = {"weekly": N_("weekly"), "monthly": N_("monthly"), "quarterly": N_("quarterly"),
                   "yearly": N_("yearly")}


@dataclass(frozen=True, slots=True)
class KpiRow:
    """One KPI as a scorecard row: its health and figures, formatted."""

    ref: ItemRef            #: the KPI
    owner: str              #: its owner
    level: str              #: `strategic`, `operational`, ...
    unit: str               #: its unit ('' for none)
    health: str             #: `green`, `amber`, `red` or `no-data`
    health_word: str        #: the health as a word
    reason: str             #: why it has that health, for a reader (the headline as a sentence)
    latest: str             #: the latest actual with its unit, or "—"
    latest_date: str        #: its date (ISO), or ''
    latest_day: str         #: the same date for a reader in a narrow column ("31 Oct 2026"), or ''
    target: str             #: the target in force, or the thresholds in words ("green at 10% or less"), or "—"
    target_date: str        #: its date, or ''
    target_day: str         #: the same date for a reader ("31 Dec 2026"), or ''
    expected: str           #: the planned value at the latest actual's date, or "—"
    progress: str           #: progress against plan ("87%"), or '' (for `check`-like detail, not printed)
    against: str            #: latest against plan in the KPI's unit ("EUR 0.3m behind plan"), or ''
    stale: bool             #: it had a value, but none recent
    no_data: bool           #: it never had a value up to `as_of` (pages say "no data yet", not "stale")
    direction: str          #: "Higher is better", "Lower is better" or "Stay in range"
    sparkline: Markup       #: SVG of the actuals up to `as_of`
    headline: KpiHeadline   #: health, latest against plan, target: what a board reads first
    trend: TrendView | None = None  #: the change since the previous reporting period
    level_word: str = ""    #: the level as readers read it ("Strategic", "Strategisch")


@dataclass(frozen=True, slots=True)
class Actual:
    """One reported actual of a KPI."""

    date: str               #: ISO date
    value: str              #: the value with its unit
    note: str               #: the note reported with it
    future: bool            #: dated after the plan's `as_of`


@dataclass(frozen=True, slots=True)
class KpiDetail:
    """What a KPI's own page shows beyond its facts."""

    row: KpiRow                     #: its scorecard row
    chart: Markup                   #: SVG chart of actuals, plan line and thresholds (640 wide: PDFs)
    chart_wide: Markup              #: the same chart drawn for a desktop panel (the site)
    chart_narrow: Markup            #: the same chart drawn for a phone-width panel (text stays >= 10 px)
    chart_print: Markup             #: the same chart drawn for the width of an A4 page (text about 8 pt)
    definition: tuple[Fact, ...]    #: level, unit, direction, frequency, baseline, targets, ...
    quality: tuple[Fact, ...]       #: source, method, limitations, data file (those given)
    actuals: tuple[Actual, ...]     #: every actual, newest first
    has_thresholds: bool            #: health comes from thresholds (the chart shows them)


def level_word(level: str) -> str:
    """A KPI's level as readers read it: "Strategic" in the build's language; an unknown one as written."""
    word = LEVEL_WORDS.get(level)
    return _(word) if word else level.capitalize()


def threshold_text(kpi: Kpi, language: str = "en") -> str:
    """The KPI's thresholds in words ("green at 95% or more, amber at 80% or more"), or ''."""
    return threshold_words(kpi, kpi_format(kpi, language))


class KpiViews(ViewsCore):
    """KPI rows and KPI details."""

    def kpi_row(self, entity: Entity) -> KpiRow:
        """The scorecard row of a KPI (kept in `rows_memo` while its inputs are unchanged)."""
        self._read(entity.id)
        health = self.project.kpi_health[entity.id]
        if self.rows_memo is None:
            return self._kpi_row(entity, health)
        inputs = (entity, health, self.project.kpi_trend.get(entity.id), self.sitemap.path(entity.id))
        previous = self.rows_memo.get(entity.id)
        if previous is not None and previous[0] == inputs:
            return previous[1]
        row = self._kpi_row(entity, health)
        self.rows_memo[entity.id] = (inputs, row)
        return row

    def _kpi_row(self, entity: Entity, health) -> KpiRow:
        kpi = entity.kpi
        fmt = kpi_format(kpi, self.project.config.language)
        latest, target = health.latest, health.target
        points = [(p.date, p.value) for p in kpi.actuals if p.date <= self.as_of]
        head = headline(kpi, health, fmt, _(DIRECTION_TEXT[kpi.direction]), self.as_of)
        trend = kpi_trend_view(self.project.kpi_trend.get(entity.id), kpi, fmt)
        comments = commentary_view(entity.attrs.get("commentary", ()))
        return KpiRow(
            ref=self.ref(entity.id), owner=entity.owner, level=kpi.level, unit=kpi.unit,
            health=health.health, health_word=health_word(health.health), reason=head.sentence,
            latest=fmt.value(latest.value) if latest else "—",
            latest_date=latest.date.isoformat() if latest else "",
            latest_day=format_short_date(latest.date, fmt.language) if latest else "",
            target=fmt.value(target.value) if target else (threshold_words(kpi, fmt) or "—"),
            target_date=target.date.isoformat() if target else "",
            target_day=format_short_date(target.date, fmt.language) if target else "",
            expected=fmt.value(health.expected) if health.expected is not None else "—",
            progress=format_percent(health.progress), against=head.against,
            stale=health.stale and latest is not None, no_data=latest is None,
            direction=_(DIRECTION_TEXT[kpi.direction]),
            sparkline=self.chart("sparkline", points=points, health=health.health),
            headline=replace(head, change=trend.label if trend.known else None,
                             commentary=comments.latest.one_line if comments else None),
            trend=trend, level_word=level_word(kpi.level))

    def kpi_charts(self, entity: Entity) -> dict[str, dict]:
        """The arguments of `charts.kpi_chart` for each chart of a KPI's detail, by its field:
        the page's three widths and the printed one (`render.ahead` makes them all first)."""
        kpi = entity.kpi
        fmt = kpi_format(kpi, self.project.config.language)
        thresholds = None
        if kpi.thresholds:
            thresholds = {"green": kpi.thresholds.green, "amber": kpi.thresholds.amber}
        inputs = dict(
            title=entity.title, unit=kpi.unit, actuals=[(p.date, p.value) for p in kpi.actuals],
            baseline=(kpi.baseline.date, kpi.baseline.value) if kpi.baseline else None,
            targets=[(t.date, t.value) for t in kpi.targets], thresholds=thresholds,
            direction=kpi.direction, as_of=self.as_of, decimals=fmt.decimals, language=fmt.language,
            cutoffs=(self.project.config.status.green, self.project.config.status.amber))
        return {"chart": inputs, "chart_wide": dict(width=CHART_WIDE, height=320, **inputs),
                "chart_narrow": dict(width=CHART_NARROW, height=300, **inputs),
                "chart_print": dict(width=CHART_PRINT[0], height=CHART_PRINT[1], **inputs)}

    def kpi_detail(self, entity: Entity) -> KpiDetail:
        """The figures, chart, definition and actuals of a KPI's own page."""
        kpi = entity.kpi
        fmt = kpi_format(kpi, self.project.config.language)
        return KpiDetail(
            row=self.kpi_row(entity),
            **{field: self.chart("kpi_chart", **inputs) for field, inputs in self.kpi_charts(entity).items()},
            definition=self._definition(kpi, fmt),
            quality=tuple(Fact(_(label), value) for label, value in (
                (N_("Source"), kpi.source), (N_("Method"), kpi.method), (N_("Limitations"), kpi.limitations),
                (N_("Data file"), kpi.data)) if value),
            actuals=tuple(Actual(p.date.isoformat(), fmt.value(p.value), p.note, p.date > self.as_of)
                          for p in reversed(kpi.actuals)),
            has_thresholds=bool(kpi.thresholds))

    @staticmethod
    def _definition(kpi: Kpi, fmt) -> tuple[Fact, ...]:
        thresholds = threshold_words(kpi, fmt)
        baseline = (_("%(value)s on %(day)s") % {"value": fmt.value(kpi.baseline.value), "day": fmt.date(kpi.baseline.date)}
                    if kpi.baseline else _("none"))
        targets = "; ".join(by_date(fmt, t.value, t.date) for t in kpi.targets)
        return (
            Fact(_("Level"), level_word(kpi.level)),
            Fact(_("Unit"), kpi.unit or "—"),
            Fact(_("Better when"), _(BETTER_WHEN[kpi.direction])),
            Fact(_("Frequency"), _(FREQUENCY_WORDS[kpi.frequency]) if kpi.frequency in FREQUENCY_WORDS else kpi.frequency),
            Fact(_("Baseline"), baseline),
            Fact(_("Targets"), targets or _("none")),
            *([Fact(_("Thresholds"), thresholds)] if thresholds else []),
            *([Fact(_("Weight"), format_number(kpi.weight, language=fmt.language))] if kpi.weight != 1 else []),
        )
