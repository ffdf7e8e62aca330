"""Dates and planning periods as written in front matter."""

from __future__ import annotations

import calendar
import re
from datetime import date, timedelta

from stratdocs.model import Period

_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})\Z")
_YEAR = re.compile(r"(\d{4})\Z")
_QUARTER = re.compile(r"(\d{4})-Q([1-4])\Z", re.IGNORECASE)
_MONTH = re.compile(r"(\d{4})-(\d{2})\Z")
_WEEK = re.compile(r"(\d{4})-W(\d{2})\Z", re.IGNORECASE)


def parse_date(text: str) -> date:
    """Strict ISO `YYYY-MM-DD`; raises ValueError with a user-facing reason."""
    if not _DATE.match(text):
        raise ValueError(f"'{text}' is not a date; write it as YYYY-MM-DD")
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise ValueError(f"'{text}' is not a real date; check the month and day") from None


def parse_span(text: str) -> Period:
    """A period written as `2026`, `2026-Q1`, `2026-03`, `2026-W14` or `2026-03-01`."""
    text = text.strip()
    if m := _YEAR.match(text):
        year = int(m[1])
        return Period(date(year, 1, 1), date(year, 12, 31), text)
    if m := _QUARTER.match(text):
        year, quarter = int(m[1]), int(m[2])
        start = date(year, 3 * quarter - 2, 1)
        end_month = 3 * quarter
        return Period(start, date(year, end_month, calendar.monthrange(year, end_month)[1]), text.upper())
    if m := _WEEK.match(text):
        year, week = int(m[1]), int(m[2])
        try:
            start = date.fromisocalendar(year, week, 1)
        except ValueError:
            raise ValueError(f"'{text}' is not a real ISO week") from None
        return Period(start, start + timedelta(days=6), text.upper())
    if m := _MONTH.match(text):
        year, month = int(m[1]), int(m[2])
        if not 1 <= month <= 12:
            raise ValueError(f"'{text}' is not a real month")
        return Period(date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1]), text)
    if _DATE.match(text):
        day = parse_date(text)
        return Period(day, day, text)
    raise ValueError(f"'{text}' is not a period; write a year (2026), quarter (2026-Q1), month (2026-03), "
                     "ISO week (2026-W14) or {start, end}")


def make_period(start: Period, end: Period) -> Period:
    if end.end < start.start:
        raise ValueError(f"period ends ({end.label}) before it starts ({start.label})")
    label = start.label if start.label == end.label else f"{start.label} – {end.label}"
    return Period(start.start, end.end, label)
