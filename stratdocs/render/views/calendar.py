"""Planning periods in the reader's language: `2026-Q2` reads "Q2 2026" (en), "Q2 2026" (de),
"T2 2026" (fr); `2026-03` "March 2026" / "März 2026"; `2026-W14` "week 14 of 2026" /
"Woche 14 des Jahres 2026"; a day as a long date. Babel knows each locale's way (CLDR)."""

from __future__ import annotations

from datetime import date

from babel import Locale
from babel.dates import format_date, format_skeleton

from stratdocs.model import Period
from stratdocs.numbers import locale_for
from stratdocs.periods import parse_span

#: CLDR skeletons by the shape of what the plan wrote (see `periods.parse_span`).
_SKELETONS = {"quarter": "yQQQ", "month": "yMMMM", "week": "yw"}


def _shape(text: str) -> str:
    text = text.strip().upper()
    if len(text) == 4:
        return "year"
    if "-Q" in text:
        return "quarter"
    if "-W" in text:
        return "week"
    return "month" if len(text) == 7 else "day"


def _part(text: str, language: str) -> str:
    try:
        span = parse_span(text)
    except ValueError:
        return text  # not a period stratdocs reads: shown as written
    shape, loc = _shape(text), locale_for(language)
    if shape == "year":
        return str(span.start.year)
    if shape == "day":
        return _day(span.start, loc)
    return format_skeleton(_SKELETONS[shape], span.start, locale=loc)


def _day(day: date, loc: Locale) -> str:
    if loc.language == "en":
        return f"{day.day} {format_date(day, 'MMMM', locale=loc)} {day.year}"  # 30 September 2026
    return format_date(day, "long", locale=loc)


def period_text(period: Period | None, language: str = "en") -> str:
    """`period` as a reader reads it in `language` ('' for none); each end of a range on its own."""
    if period is None:
        return ""
    parts = [p.strip() for p in period.label.split(" – ")]
    return " – ".join(_part(p, language) for p in parts)
