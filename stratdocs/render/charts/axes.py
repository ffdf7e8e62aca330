"""Axis ticks for the KPI chart: round y ticks with their labels, and month or year x labels."""

from __future__ import annotations

import math
from datetime import date

from stratdocs.render.charts import svg, words


def y_ticks(lo: float, hi: float) -> tuple[list[float], float]:
    """About five round ticks (1, 2, 5 × 10^k steps) covering [lo, hi]."""
    size = max(abs(lo), abs(hi))
    if size < 1e-300:
        lo, hi = 0.0, 1.0
    elif hi - lo <= size * 1e-9:
        lo, hi = lo - size * 0.1, hi + size * 0.1
    raw = (hi - lo) / 4
    exp = math.floor(math.log10(raw))
    frac = raw / 10**exp
    step = next(f for f in (1, 2, 5, 10) if frac <= f + 1e-9) * 10**exp
    k0, k1 = math.floor(lo / step + 1e-9), math.ceil(hi / step - 1e-9)
    k1 = max(k1, k0 + 1)
    return [k * step for k in range(k0, k1 + 1)], step


def tick_labels(ticks: list[float], step: float) -> list[str]:
    """The y tick labels, all with the decimals ``step`` needs (and M/B/T for large values)."""
    top = max(abs(t) for t in ticks)
    if step < 1e-4 or top >= 1e15:  # scientific, with enough digits to tell ticks apart
        digits = max(2, math.floor(math.log10(top / step)) + 2)
        return ["0" if abs(t) < step * 1e-6 else f"{t:.{digits}g}" for t in ticks]
    div, suffix = next(((d, s) for d, s in ((1e12, "T"), (1e9, "B"), (1e6, "M")) if top >= d),
                       (1.0, ""))
    decimals = min(12, max(0, -math.floor(math.log10(step / div) + 1e-9)))
    out = []
    for t in ticks:
        t = 0.0 if abs(t) < step * 1e-6 else t / div
        out.append(f"{t:,.{decimals}f}{suffix if t else ''}")
    return out


def _layout(ticks, px, lo: float, hi: float, size: float) -> list[tuple[float, str, str]] | None:
    """(x, text, anchor) of each (date, text) tick, centred where possible, or None if two labels
    would come closer than 8 px or one would leave [lo, hi]."""
    out, end_x = [], -math.inf
    for d, text in ticks:
        x, tw = px(d), svg.text_width(text, size)
        x0, anchor = x - tw / 2, "middle"
        if x0 < lo:
            x0, anchor = x, "start"
        elif x0 + tw > hi:
            x0, anchor = x - tw, "end"
        if x0 < end_x + 8 or x0 < lo or x0 + tw > hi:
            return None
        out.append((x, text, anchor))
        end_x = x0 + tw
    return out


def x_labels(start: date, end: date, px, lo: float, hi: float,
             size: float) -> list[tuple[float, str, str]]:
    """(x, text, anchor) for month starts labelled "Mon YYYY", or years when the span is long,
    at the smallest step whose labels fit between ``lo`` and ``hi`` without touching."""
    first = start.year * 12 + start.month - 1 + (start.day > 1)
    last = end.year * 12 + end.month - 1
    fallback: list[tuple[float, str, str]] = []
    for step in (1, 2, 3, 6, 12, 24, 60, 120, 240, 600, 1200):
        dates = [date(m // 12, m % 12 + 1, 1) for m in range(first, last + 1) if m % step == 0]
        if len(dates) > 40:
            continue
        labels = _layout([(d, words.month_year(d) if step < 12 else str(d.year))
                          for d in dates], px, lo, hi, size)
        if labels is not None and len(labels) >= 2:
            return labels
        fallback = fallback or labels or []
    # A span too short for two month starts: label its first and last day instead.
    return _layout([(start, words.short_date(start)), (end, words.short_date(end))], px, lo, hi, size) \
        or fallback
