"""The charts' words and dates in the language of the build under way.

A chart is drawn for the interface set by the renderer (`render.views.interface.use`): its
legends, axis and `<title>` words go through that interface's catalog, and month, quarter and
day names come from Babel's data for the plan's language. English keeps the forms it always
had ("Mar 2026", "1 Mar 2026", "Q1"). `render.views.core.Views.chart` keys its cache by the
language, so a German build never reuses an English chart.
"""

from __future__ import annotations

from datetime import date

from babel.dates import format_date, format_skeleton

from stratdocs.i18n import N_
from stratdocs.numbers import format_day, format_short_date, locale_for
from stratdocs.render.views.interface import _, current, ngettext

__all__ = ["_", "ngettext", "pgettext", "language", "month_year", "short_date", "label_date", "quarter"]

#: `stratdocs.health.HEALTH_WORDS`, marked so the catalogs carry them: charts print them translated.
HEALTH_WORDS = (N_("Green"), N_("Amber"), N_("Red"), N_("No data"))

_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def pgettext(context: str, message: str) -> str:
    """`message` in the build's language, told apart from the same English word by `context`."""
    return current().pgettext(context, message)


def language() -> str:
    """The plan's language of the build under way ("en" outside a build)."""
    return current().language


def _english() -> bool:
    return locale_for(language()).language == "en"


def month_year(d: date) -> str:
    """A month on a date axis: "Mar 2026" (en), "März 2026" (de), "mars 2026" (fr)."""
    if _english():
        return f"{_MONTHS[d.month - 1]} {d.year}"
    return format_skeleton("yMMM", d, locale=locale_for(language()))


def short_date(d: date) -> str:
    """A day in a chart: "1 Mar 2026" (en), "01.03.2026" (de), "1 mars 2026" (fr)."""
    if _english():
        return f"{d.day} {_MONTHS[d.month - 1]} {d.year}"
    return format_short_date(d, language())


def label_date(d: date) -> str:
    """A date in a chart's text for screen readers: ISO in English, as it always was; the
    locale's short date in other languages ("31.10.2026")."""
    return format_day(d, language())


def quarter(d: date) -> str:
    """The quarter a date falls in, abbreviated: "Q1" (en, de), "T1" (fr)."""
    if _english():
        return f"Q{(d.month - 1) // 3 + 1}"
    return format_date(d, "QQQ", locale=locale_for(language()))
