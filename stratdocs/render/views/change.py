"""Change over time for readers: trend arrows with words, and commentary entries.

The arrow shows the judgement, not the raw sign (↑ improving, ↓ worsening, → steady, judged by
the KPI's `direction`), and always comes with its word: never by colour or symbol alone.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from stratdocs.model import Comment, Kpi
from stratdocs.numbers import NumberFormat, format_number
from stratdocs.i18n import N_
from stratdocs.render.views.common import health_word
from stratdocs.render.views.interface import _
from stratdocs.render.views.kpi_headline import points
from stratdocs.trend import IMPROVING, NONE, STEADY, WORSENING, Trend

#: (arrow, word) of each direction.
TREND_SIGNS = {IMPROVING: ("↑", N_("Improving")), WORSENING: ("↓", N_("Worsening")), STEADY: ("→", N_("Steady")),
               NONE: ("·", N_("No earlier period"))}
#: Units whose differences read better as points ("0.3 points", not "0.3%").
POINT_UNITS = ("%",)
MINUS = "\u2212"


@dataclass(frozen=True, slots=True)
class TrendView:
    """An item's change since its previous reporting period, ready to print."""

    direction: str          #: `improving`, `worsening`, `steady` or `none`
    arrow: str              #: ↑, ↓, → or ·  (decorative: `word` says the same)
    word: str               #: "Improving", "Worsening", "Steady", "No earlier period"
    change: str             #: KPIs: the change in the KPI's unit ("+0.3 points"), '' otherwise
    previous: str           #: KPIs: the previous value ("10.9%"); objectives: the previous health ("Amber")
    previous_date: str      #: KPIs: the previous value's date (ISO); '' otherwise
    label: str              #: the whole change as one sentence, for assistive technology and tooltips

    @property
    def known(self) -> bool:
        """There is a previous period to compare with."""
        return self.direction != NONE


def _sign(direction: str) -> tuple[str, str]:
    """(arrow, word) of a trend direction, the word in the build's language."""
    arrow, word = TREND_SIGNS[direction]
    return arrow, _(word)


def signed(value: float, unit: str, places: int, language: str = "en") -> str:
    """A difference with its sign and unit: "+0.3 points", "−2 NPS", "0 customers"."""
    sign = "+" if value > 0 else MINUS if value < 0 else ""
    if unit in POINT_UNITS:
        return points(sign + format_number(abs(value), '', places, language))
    return sign + format_number(abs(value), unit, places, language)


def kpi_trend_view(trend: Trend | None, kpi: Kpi, fmt: NumberFormat) -> TrendView:
    """A KPI's trend, its figures written by the KPI's one formatter `fmt`."""
    if trend is None or trend.direction == NONE or trend.change is None:
        arrow, word = _sign(NONE)
        return TrendView(NONE, arrow, word, "", "", "", _("No earlier reporting period to compare with"))
    arrow, word = _sign(trend.direction)
    places = fmt.decimals if fmt.decimals is not None else 2
    change = signed(round(trend.change, places), kpi.unit, places, fmt.language)
    previous = fmt.value(trend.previous_value)
    day = trend.previous_date.isoformat()
    label = _("%(trend)s since the previous period: %(change)s from %(previous)s on %(day)s") % {
        "trend": word, "change": change, "previous": previous, "day": fmt.date(trend.previous_date)}
    return TrendView(trend.direction, arrow, word, change, previous, day, label)


def objective_trend_view(trend: Trend | None) -> TrendView:
    """An objective's trend: its health now against its health in the previous period."""
    if trend is None or trend.direction == NONE:
        arrow, word = _sign(NONE)
        return TrendView(NONE, arrow, word, "", "", "", _("No earlier reporting period to compare with"))
    arrow, word = _sign(trend.direction)
    before = health_word(trend.previous_health)
    label = _("%(trend)s since the previous period: %(health)s, was %(before)s") % {
        "trend": word, "health": health_word(trend.health), "before": before}
    return TrendView(trend.direction, arrow, word, "", before, "", label)


@dataclass(frozen=True, slots=True)
class CommentView:
    """One commentary entry."""

    when: str               #: its period as written (2026-10), or its date (ISO)
    author: str
    analysis: str
    recommendation: str     #: '' for none

    @property
    def one_line(self) -> str:
        """The analysis's first sentence, for tables."""
        return first_sentence(self.analysis)


@dataclass(frozen=True, slots=True)
class CommentaryView:
    """An item's commentary: the latest entry, and the older ones newest first."""

    latest: CommentView | None
    history: tuple[CommentView, ...]


#: A first sentence shorter than this ("Amber.") takes the next one with it.
SHORT_SENTENCE = 40


def first_sentence(text: str, limit: int = 140) -> str:
    """The first sentence of `text` (with the next when it is very short), cut at a word with an
    ellipsis beyond `limit` characters."""
    text = " ".join(text.split())
    ends = sorted(m.end() for m in re.finditer(r"[.?!](?= )", text))
    for end in ends:
        if end >= SHORT_SENTENCE:
            text = text[:end]
            break
    if len(text) <= limit:
        return text
    return text[:limit].rsplit(" ", 1)[0].rstrip(",;:") + "…"


def comment_view(comment: Comment) -> CommentView:
    return CommentView(comment.period or comment.date.isoformat(), comment.author, comment.analysis,
                       comment.recommendation)


def commentary_view(entries: tuple[Comment, ...]) -> CommentaryView | None:
    """The commentary of an item (entries newest first), None without any."""
    if not entries:
        return None
    views = tuple(comment_view(c) for c in entries)
    return CommentaryView(views[0], views[1:])
