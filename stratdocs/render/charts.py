"""Inline SVG charts: KPI sparklines, KPI trend charts and the strategy map.

Pure functions: plain data in, an SVG string (``markupsafe.Markup``) out. The SVGs need no script,
no external resource and no web font, so they work inline in HTML, from ``file://`` and in
WeasyPrint PDFs. Output is deterministic: coordinates are printed with one decimal, there are no
generated ids (several charts can share a page) and nothing depends on the clock or locale.

Colours are presentation attributes (``fill``/``stroke``), which print and WeasyPrint use, plus a
CSS class per role, which a theme's stylesheet can override (e.g. for dark mode) because any CSS
rule beats a presentation attribute. ``CHART_CSS`` lists the classes with their light defaults and
a dark-mode variant. Health is never shown by colour alone: every place that shows health also
carries the word (visible text, ``<title>`` or ``aria-label``), see SPEC §6.
"""

from __future__ import annotations

import math
import re
import unicodedata
from datetime import date, datetime, timedelta

from markupsafe import Markup, escape

__all__ = ["CHART_CSS", "HEALTH_COLOURS", "HEALTH_WORDS", "kpi_chart", "sparkline", "strategy_map"]

HEALTH_COLOURS = {"green": "#1a7f37", "amber": "#b26b00", "red": "#c62828", "no-data": "#6e7781"}
HEALTH_WORDS = {"green": "Green", "amber": "Amber", "red": "Red", "no-data": "No data"}

_TEXT = "#1f2328"
_MUTED = "#59636e"
_GRID = "#e4e8ec"
_AXIS = "#8c959f"
_ACTUAL = "#0b57d0"
_PLAN = "#6e7781"
_TARGET = "#2f363d"
_LINK = "#8c959f"
_BAND_OPACITY = {"green": "0.11", "amber": "0.13", "red": "0.08"}
_FONT = "system-ui, -apple-system, 'Segoe UI', Helvetica, Arial, 'DejaVu Sans', sans-serif"
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")

CHART_CSS = """\
.sd-chart { font-family: inherit; }
.sd-kpi-chart { max-width: 640px; } .sd-strategy-map { max-width: 900px; }
.sd-chart .sd-text { fill: #1f2328; } .sd-chart .sd-muted { fill: #59636e; }
.sd-chart .sd-grid { stroke: #e4e8ec; } .sd-chart .sd-axis { stroke: #8c959f; }
.sd-chart .sd-actual { stroke: #0b57d0; } .sd-chart .sd-actual-point { fill: #0b57d0; }
.sd-chart .sd-actual-label { fill: #0b57d0; } .sd-chart .sd-halo { stroke: #ffffff; }
.sd-chart .sd-hollow { fill: #ffffff; }
.sd-chart .sd-plan { stroke: #6e7781; } .sd-chart .sd-target { fill: #2f363d; }
.sd-chart .sd-box { fill: #ffffff; stroke: #d0d7de; } .sd-chart .sd-band-bg { fill: #f6f8fa; }
.sd-chart .sd-band-head { fill: #eaeef2; } .sd-chart .sd-link { stroke: #8c959f; }
.sd-chart .sd-arrow { fill: #8c959f; } .sd-chart .sd-spark { stroke: #57606a; }
@media screen and (prefers-color-scheme: dark) {
  .sd-chart .sd-text { fill: #e6edf3; } .sd-chart .sd-muted { fill: #9198a1; }
  .sd-chart .sd-grid { stroke: #30363d; } .sd-chart .sd-axis { stroke: #6e7681; }
  .sd-chart .sd-actual { stroke: #4493f8; } .sd-chart .sd-actual-point { fill: #4493f8; }
  .sd-chart .sd-actual-label { fill: #4493f8; } .sd-chart .sd-halo { stroke: #0d1117; }
  .sd-chart .sd-hollow { fill: #0d1117; }
  .sd-chart .sd-target { fill: #d1d7e0; } .sd-chart .sd-spark { stroke: #9198a1; }
  .sd-chart .sd-box { fill: #161b22; stroke: #3d444d; } .sd-chart .sd-band-bg { fill: #0d1117; }
  .sd-chart .sd-band-head { fill: #21262d; } .sd-chart .sd-link, .sd-chart .sd-axis { stroke: #6e7681; }
  .sd-chart .sd-arrow { fill: #6e7681; }
  .sd-chart .sd-health-green { fill: #3fb950; } .sd-chart .sd-health-amber { fill: #d29922; }
  .sd-chart .sd-health-red { fill: #f85149; } .sd-chart .sd-health-no-data { fill: #9198a1; }
}
"""

# --------------------------------------------------------------------------- small helpers

_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff\ufffe\uffff]")
_SCHEME = re.compile(r"^([a-zA-Z][a-zA-Z0-9+.-]*):")


def _clean(text: object) -> str:
    """User text as one line without characters XML 1.0 cannot hold (escaping comes later)."""
    return " ".join(_XML_INVALID.sub("", "" if text is None else str(text)).split())


def _n(x: float) -> str:
    """A coordinate with fixed precision, so output is byte-identical across runs."""
    s = f"{x:.1f}"
    return "0.0" if s == "-0.0" else s


def _tag(name: str, attrs: dict, content: str | None = None) -> str:
    parts = [name]
    for key, value in attrs.items():
        if value is None:
            continue
        if isinstance(value, float):
            value = _n(value)
        parts.append(f'{key}="{escape(value)}"')
    head = "<" + " ".join(parts)
    return head + "/>" if content is None else f"{head}>{content}</{name}>"


def _text(x: float, y: float, s: str, *, size: float = 11, cls: str = "sd-text", fill: str = _TEXT,
          anchor: str = "start", weight: str | None = None) -> str:
    return _tag("text", {"x": x, "y": y, "class": cls, "fill": fill, "font-size": _n(size),
                         "text-anchor": None if anchor == "start" else anchor,
                         "font-weight": weight}, str(escape(s)))


def _title(s: str) -> str:
    return f"<title>{escape(s)}</title>"


def _svg(kind: str, width: float, height: float, label: str, body: list[str], *,
         fixed: bool = False, links: bool = False) -> Markup:
    attrs = {"xmlns": "http://www.w3.org/2000/svg",
             "xmlns:xlink": "http://www.w3.org/1999/xlink" if links else None,
             "class": f"sd-chart {kind}", "viewBox": f"0 0 {_n(width)} {_n(height)}",
             "width": _n(width) if fixed else "100%", "height": _n(height) if fixed else None,
             "role": "img", "aria-label": label, "font-family": _FONT}
    return Markup(_tag("svg", attrs, _title(label) + "".join(body)))


def _health(value: object) -> str:
    h = str(value or "").strip().lower().replace("_", "-").replace(" ", "-")
    h = "no-data" if h in ("nodata", "none", "unknown") else h
    return h if h in HEALTH_COLOURS else "no-data"


# Advance widths (1/1000 em) of DejaVu Sans for ASCII 32..126: the widest common sans-serif, so
# text measured with them fits in the narrower fonts (Helvetica, Segoe UI, Liberation) too.
_ASCII_WIDTHS = (
    318, 401, 460, 838, 636, 950, 780, 275, 390, 390, 500, 838, 318, 361, 318, 337, 636, 636, 636,
    636, 636, 636, 636, 636, 636, 636, 337, 337, 838, 838, 838, 531, 1000, 684, 686, 698, 770, 632,
    575, 775, 752, 295, 295, 656, 557, 863, 748, 787, 603, 787, 695, 635, 611, 732, 684, 989, 685,
    611, 685, 390, 337, 390, 838, 500, 500, 613, 635, 550, 635, 615, 352, 635, 634, 278, 278, 579,
    278, 974, 634, 612, 635, 635, 411, 521, 392, 634, 592, 818, 592, 592, 525, 636, 337, 636, 838,
)


def _text_width(s: str, size: float, bold: bool = False) -> float:
    """Advance width of ``s`` at ``size`` px, measured generously so labels don't overflow."""
    units = 0
    for ch in s:
        code = ord(ch)
        if 32 <= code < 127:
            units += _ASCII_WIDTHS[code - 32]
        else:
            units += 1000 if unicodedata.east_asian_width(ch) in ("W", "F") else 840
    return units / 1000 * size * (1.16 if bold else 1.0)


def _ellipsize(s: str, max_w: float, size: float, bold: bool = False) -> str:
    """``s`` shortened as needed and ended with an ellipsis, fitting ``max_w``."""
    while s and _text_width(s.rstrip() + "…", size, bold) > max_w:
        s = s[:-1]
    return s.rstrip() + "…"


def _fit(s: str, max_w: float, size: float, bold: bool = False) -> str:
    """``s`` unchanged if it fits ``max_w``, else truncated with an ellipsis."""
    return s if _text_width(s, size, bold) <= max_w else _ellipsize(s, max_w, size, bold)


def _wrap(s: str, max_w: float, size: float, max_lines: int, bold: bool = False) -> list[str]:
    """Greedy word wrap; words too long for a line are broken; overflow ends in an ellipsis."""
    lines: list[str] = []
    cur = ""
    for word in s.split():
        while _text_width(word, size, bold) > max_w and len(word) > 1:
            cut = len(word) - 1
            while cut > 1 and _text_width(word[:cut], size, bold) > max_w:
                cut -= 1
            if cur:
                lines.append(cur)
                cur = ""
            lines.append(word[:cut])
            word = word[cut:]
        candidate = f"{cur} {word}" if cur else word
        if cur and _text_width(candidate, size, bold) > max_w:
            lines.append(cur)
            cur = word
        else:
            cur = candidate
    if cur:
        lines.append(cur)
    if len(lines) > max_lines:
        lines = lines[:max_lines - 1] + [_ellipsize(lines[max_lines - 1], max_w, size, bold)]
    return lines


def _safe_href(href: object) -> str | None:
    """Relative, ``#``, http(s) and mailto links only (SPEC §12); anything else is dropped."""
    h = _clean(href)
    scheme = _SCHEME.match(re.sub(r"[\x00-\x20]", "", h))
    if not h or (scheme and scheme.group(1).lower() not in ("http", "https", "mailto")):
        return None
    return h


def _num(v: object) -> float | None:
    """A plottable number: finite, not a bool, and not so large that arithmetic overflows."""
    if isinstance(v, (int, float)) and not isinstance(v, bool) and abs(v) <= 1e300:
        return float(v)  # NaN fails the comparison above
    return None


def _points(points) -> list[tuple[date, float]]:
    """Finite points sorted by date (stable, so ties keep their input order)."""
    out = []
    for d, v in points or ():
        if isinstance(d, datetime):
            d = d.date()
        if isinstance(d, date) and _num(v) is not None:
            out.append((d, float(v)))
    return sorted(out, key=lambda p: p[0])


def _fmt(v: float, unit: str = "") -> str:
    """A value for a label: thousands separators, M/B/T for huge, significant digits for tiny."""
    a = abs(v)
    if a >= 1e6:
        div, suffix = next((d, s) for d, s in ((1e12, "T"), (1e9, "B"), (1e6, "M")) if a >= d)
        s = f"{v / div:.3g}{suffix}"
    elif a >= 1000:
        s = f"{v:,.0f}"
    elif a >= 1 or a == 0:
        s = f"{v:.2f}".rstrip("0").rstrip(".")
    else:
        s = f"{v:.3g}"
    s = "0" if s in ("-0", "-0.0") else s
    if not unit:
        return s
    return f"{s}{unit}" if unit in ("%", "‰", "°") else f"{s} {unit}"


def _short_date(d: date) -> str:
    return f"{d.day} {_MONTHS[d.month - 1]} {d.year}"


# --------------------------------------------------------------------------- sparkline


def sparkline(points: list[tuple[date, float]], *, health: str = "no-data", width=120,
              height=28) -> Markup:
    """A small trend line with a health-coloured dot on the latest point.

    No points gives a small SVG saying "no data"; one point gives a single dot. The health word
    is in the title and ``aria-label``.
    """
    h = _health(health)
    pts = _points(points)
    w, ht = max(float(width), 16.0), max(float(height), 8.0)
    if not pts:
        body = [_text(w / 2, ht / 2 + 3.5, "no data", size=min(10.0, ht * 0.45), cls="sd-muted",
                      fill=_MUTED, anchor="middle")]
        return _svg("sd-sparkline", w, ht, "Trend: no data", body, fixed=True)
    r = 2.5
    pad = r + 1
    if len(pts) == 1:
        coords = [(w / 2, ht / 2)]
    else:
        xs = [d.toordinal() for d, _ in pts]
        if xs[0] == xs[-1]:
            xs = list(range(len(pts)))
        lo, hi = min(v for _, v in pts), max(v for _, v in pts)
        span_x = xs[-1] - xs[0]
        coords = [(pad + (x - xs[0]) / span_x * (w - 2 * pad),
                   ht / 2 if hi == lo else pad + (hi - v) / (hi - lo) * (ht - 2 * pad))
                  for x, (_, v) in zip(xs, pts)]
    body = []
    if len(coords) > 1:
        d = "M" + " L".join(f"{_n(x)},{_n(y)}" for x, y in coords)
        body.append(_tag("path", {"d": d, "class": "sd-spark", "fill": "none", "stroke": "#57606a",
                                  "stroke-width": "1.5", "stroke-linejoin": "round",
                                  "stroke-linecap": "round"}))
    x, y = coords[-1]
    body.append(_tag("circle", {"cx": x, "cy": y, "r": r, "class": f"sd-health-{h}",
                                "fill": HEALTH_COLOURS[h]}))
    (d0, _), (d1, last) = pts[0], pts[-1]
    count = f"{len(pts)} values from {d0.isoformat()} to {d1.isoformat()}" if len(pts) > 1 \
        else f"1 value on {d1.isoformat()}"
    label = f"Trend: {count}, latest {_fmt(last)}; health: {HEALTH_WORDS[h]}"
    return _svg("sd-sparkline", w, ht, label, body, fixed=True)


# --------------------------------------------------------------------------- kpi chart


def _y_ticks(lo: float, hi: float) -> tuple[list[float], float]:
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


def _tick_labels(ticks: list[float], step: float) -> list[str]:
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


def _x_labels(start: date, end: date, px, lo: float, hi: float,
              size: float) -> list[tuple[float, str, str]]:
    """(x, text, anchor) for month starts labelled "Mon YYYY", or years when the span is long,
    at the smallest step whose labels fit between ``lo`` and ``hi`` without touching."""

    def layout(ticks):
        out, end_x = [], -math.inf
        for d, text in ticks:
            x, tw = px(d), _text_width(text, size)
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

    first = start.year * 12 + start.month - 1 + (start.day > 1)
    last = end.year * 12 + end.month - 1
    fallback: list[tuple[float, str, str]] = []
    for step in (1, 2, 3, 6, 12, 24, 60, 120, 240, 600, 1200):
        dates = [date(m // 12, m % 12 + 1, 1) for m in range(first, last + 1) if m % step == 0]
        if len(dates) > 40:
            continue
        labels = layout([(d, f"{_MONTHS[d.month - 1]} {d.year}" if step < 12 else str(d.year))
                         for d in dates])
        if labels is not None and len(labels) >= 2:
            return labels
        fallback = fallback or labels or []
    # A span too short for two month starts: label its first and last day instead.
    return layout([(start, _short_date(start)), (end, _short_date(end))]) or fallback


def _bands(thresholds, direction: str) -> list[tuple[str, float, float]]:
    """Threshold zones (health, lo, hi) following the RAG rules of SPEC §6; infinite ends allowed."""
    if not isinstance(thresholds, dict):
        return []
    inf = math.inf

    def pair(v):
        if isinstance(v, (list, tuple)) and len(v) == 2 and None not in (_num(v[0]), _num(v[1])):
            return tuple(sorted((_num(v[0]), _num(v[1]))))
        return None

    if direction == "range":
        g, a = pair(thresholds.get("green")), pair(thresholds.get("amber"))
        if g is None:
            return []
        outer = (min(a[0], g[0]), max(a[1], g[1])) if a else g
        zones = [("green", g[0], g[1]), ("red", -inf, outer[0]), ("red", outer[1], inf)]
        if a:
            zones += [("amber", a[0], min(a[1], g[0])), ("amber", max(a[0], g[1]), a[1])]
    elif direction in ("up", "down"):
        g, a = _num(thresholds.get("green")), _num(thresholds.get("amber"))
        if g is None:
            return []
        a = g if a is None else a
        if direction == "up":
            zones = [("green", g, inf), ("amber", a, g), ("red", -inf, min(a, g))]
        else:
            zones = [("green", -inf, g), ("amber", g, a), ("red", max(a, g), inf)]
    else:
        return []
    return [z for z in zones if z[2] > z[1]]


def _zone_words(zones: list[tuple[str, float, float]], direction: str, unit: str) -> dict[str, str]:
    """The legend text of each zone, e.g. "Green ≥ 80%", so zones never rely on colour alone."""
    f = lambda v: _fmt(v, unit)  # noqa: E731
    out = {}
    for zone in ("green", "amber", "red"):
        parts = [z for z in zones if z[0] == zone]
        if not parts:
            continue
        lo, hi = min(z[1] for z in parts), max(z[2] for z in parts)
        word = HEALTH_WORDS[zone]
        if direction == "range":
            out[zone] = f"{word} outside" if zone == "red" else f"{word} {f(lo)}–{f(hi)}"
        elif direction == "up":
            out[zone] = f"{word} < {f(hi)}" if zone == "red" else f"{word} ≥ {f(lo)}"
        else:
            out[zone] = f"{word} > {f(lo)}" if zone == "red" else f"{word} ≤ {f(hi)}"
    return out


def _diamond(x: float, y: float, r: float = 5.0, fill: str = _TARGET, cls: str = "sd-target",
             tip: str | None = None) -> str:
    d = f"M{_n(x)},{_n(y - r)} L{_n(x + r)},{_n(y)} L{_n(x)},{_n(y + r)} L{_n(x - r)},{_n(y)} Z"
    return _tag("path", {"d": d, "class": f"{cls} sd-halo", "fill": fill, "stroke": "#ffffff",
                         "stroke-width": "1"}, _title(tip) if tip else None)


class _Labels:
    """Greedy placement of small labels: the first candidate spot that is free and in bounds."""

    def __init__(self, bounds: tuple[float, float, float, float]):
        self.bounds = bounds
        self.taken: list[tuple[float, float, float, float]] = []

    def block(self, box):
        self.taken.append(box)

    def place(self, px: float, py: float, s: str, size: float, gap: float = 9.0,
              sideways: bool = False, bold: bool = False):
        """Where to write ``s`` near (px, py): (x, y, text-anchor), or None if nowhere is free."""
        w = _text_width(s, size, bold)
        spots = [(px, py - gap, "middle"), (px, py + gap + size * 0.8, "middle"),
                 (px + gap, py + size * 0.35, "start"), (px - gap, py + size * 0.35, "end"),
                 (px - 2, py - gap, "end"), (px + 2, py - gap, "start"),
                 (px - 2, py + gap + size * 0.8, "end"), (px + 2, py + gap + size * 0.8, "start")]
        if sideways:
            spots = spots[2:4]
        for x, y, anchor in spots:
            x0 = x - w / 2 if anchor == "middle" else (x - w if anchor == "end" else x)
            box = (x0, y - size * 0.8, x0 + w, y + size * 0.25)
            b = self.bounds
            if box[0] < b[0] or box[1] < b[1] or box[2] > b[2] or box[3] > b[3]:
                continue
            if any(box[0] < t[2] + 2 and t[0] < box[2] + 2 and box[1] < t[3] + 1 and t[1] < box[3] + 1
                   for t in self.taken):
                continue
            self.taken.append(box)
            return x, y, anchor
        return None


def kpi_chart(*, title: str, unit: str, actuals: list[tuple[date, float]],
              baseline: tuple[date, float] | None, targets: list[tuple[date, float]],
              thresholds: dict | None, direction: str, as_of: date, width=640,
              height=280) -> Markup:
    """A KPI trend chart: actuals, the planned path from baseline through the target milestones,
    threshold zones, an "as of" marker and a legend, on round y ticks and month-year x labels."""
    title, unit = _clean(title), _clean(unit)
    acts, tgts = _points(actuals), _points(targets)
    base = next(iter(_points([baseline] if baseline else [])), None)
    as_of = as_of.date() if isinstance(as_of, datetime) else as_of
    bands = _bands(thresholds, direction)
    band_words = _zone_words(bands, direction, unit)
    w, h = max(float(width), 240.0), max(float(height), 140.0)
    fs = 11.0

    # Domains: x from the earliest baseline/actual to the latest target or as_of (a milestone
    # dated before the first actual widens it too); y over all values and threshold edges.
    dated = acts + tgts + ([base] if base else [])
    start = min([d for d, _ in dated] + [as_of])
    end = max([d for d, _ in dated] + [as_of])
    if (end - start).days < 60:
        extra = 60 - (end - start).days
        start, end = start - timedelta(days=extra // 2), end + timedelta(days=extra - extra // 2)
    values = [v for _, v in dated] + [x for _, lo, hi in bands for x in (lo, hi) if math.isfinite(x)]
    ticks, step = _y_ticks(min(values), max(values)) if values else ([0.0, 0.5, 1.0], 0.5)
    y_lo, y_hi = ticks[0], ticks[-1]
    labels = _tick_labels(ticks, step)

    # Legend (wrapped to the width) sits above the plot.
    legend: list[tuple[str, str, str]] = []
    if acts:
        legend.append(("actual", "Actual", ""))
    if len(tgts) + bool(base) > 1:
        legend.append(("plan", "Plan", ""))
    if tgts:
        legend.append(("target", "Target", ""))
    for zone in ("green", "amber", "red"):
        if any(b[0] == zone for b in bands):
            legend.append(("band", band_words.get(zone, HEALTH_WORDS[zone]), zone))
    rows: list[list[tuple[float, tuple[str, str, str]]]] = [[]]
    x = 8.0
    legend = [(kind, _fit(text, w - 46, fs), zone) for kind, text, zone in legend]
    for item in legend:
        item_w = 22 + _text_width(item[1], fs) + 14
        if rows[-1] and x + item_w > w - 8:
            rows.append([])
            x = 8.0
        rows[-1].append((x, item))
        x += item_w
    top = 8 + len(rows) * 17 + 24
    h = max(h, top + 26 + 60)  # a narrow chart with a tall legend still gets a plot
    left = min(8 + max(_text_width(s, fs) for s in labels) + 8, w * 0.4)
    right, bottom = w - 14, h - 26
    pw, ph = right - left, bottom - top
    pad = 10.0
    span = (end - start).days

    def px(d: date) -> float:
        return left + pad + (d - start).days / span * (pw - 2 * pad)

    def py(v: float) -> float:
        return bottom - (v - y_lo) / (y_hi - y_lo) * ph

    body: list[str] = []
    for zone, lo, hi in bands:
        lo, hi = max(lo, y_lo), min(hi, y_hi)
        if hi > lo:
            body.append(_tag("rect", {"x": left, "y": py(hi), "width": pw, "height": py(lo) - py(hi),
                                      "class": f"sd-band-{zone}", "fill": HEALTH_COLOURS[zone],
                                      "fill-opacity": _BAND_OPACITY[zone]}))
    for t, s in zip(ticks, labels):
        y = py(t)
        body.append(_tag("line", {"x1": left, "y1": y, "x2": right, "y2": y,
                                  "class": "sd-axis" if t == y_lo else "sd-grid",
                                  "stroke": _AXIS if t == y_lo else _GRID, "stroke-width": "1"}))
        body.append(_text(left - 8, y + 3.5, s, size=fs, cls="sd-muted sd-y-tick", fill=_MUTED,
                          anchor="end"))
    if unit:
        body.append(_text(8, top - 10, _fit(unit, w - 16, fs), size=fs, cls="sd-muted sd-unit",
                          fill=_MUTED))
    for x, text, anchor in _x_labels(start, end, px, 2.0, w - 2, fs):
        body.append(_tag("line", {"x1": x, "y1": bottom, "x2": x, "y2": bottom + 4,
                                  "class": "sd-axis", "stroke": _AXIS, "stroke-width": "1"}))
        body.append(_text(x, bottom + 16, text, size=fs, cls="sd-muted sd-x-tick", fill=_MUTED,
                          anchor=anchor))

    # Labels may use the row above the plot (except where the unit is written).
    placer = _Labels((left + 1, top - 16, right - 1, bottom - 2))
    if unit:
        placer.block((8, top - 21, 8 + _text_width(unit, fs), top - 7))
    ax = px(as_of)
    body.append(_tag("line", {"x1": ax, "y1": top, "x2": ax, "y2": bottom, "class": "sd-axis",
                              "stroke": _AXIS, "stroke-width": "1", "stroke-dasharray": "2 3"}))

    plan = ([base] if base else []) + tgts
    if len(plan) > 1:
        d = "M" + " L".join(f"{_n(px(a))},{_n(py(b))}" for a, b in plan)
        body.append(_tag("path", {"d": d, "class": "sd-plan", "fill": "none", "stroke": _PLAN,
                                  "stroke-width": "1.5", "stroke-dasharray": "5 4"}))
    if len(acts) > 1:
        d = "M" + " L".join(f"{_n(px(a))},{_n(py(b))}" for a, b in acts)
        body.append(_tag("path", {"d": d, "class": "sd-actual", "fill": "none", "stroke": _ACTUAL,
                                  "stroke-width": "2", "stroke-linejoin": "round",
                                  "stroke-linecap": "round"}))
    if base:
        bx, by = px(base[0]), py(base[1])
        body.append(_tag("circle", {"cx": bx, "cy": by, "r": 3.5, "class": "sd-plan sd-hollow",
                                    "fill": "#ffffff",
                                    "stroke": _PLAN, "stroke-width": "1.5"},
                         _title(f"Baseline {_fmt(base[1], unit)} on {base[0].isoformat()}")))
    for d, v in tgts:
        body.append(_diamond(px(d), py(v), tip=f"Target {_fmt(v, unit)} by {d.isoformat()}"))
        placer.block((px(d) - 5, py(v) - 5, px(d) + 5, py(v) + 5))
    dense = len(acts) > 1 and (pw - 2 * pad) / (len(acts) - 1) < 7
    for i, (d, v) in enumerate(acts):
        last = i == len(acts) - 1
        if dense and not last:
            continue
        body.append(_tag("circle", {"cx": px(d), "cy": py(v), "r": 4.0 if last else 2.75,
                                    "class": "sd-actual-point sd-halo", "fill": _ACTUAL,
                                    "stroke": "#ffffff",
                                    "stroke-width": "1"}, _title(f"{d.isoformat()}: {_fmt(v, unit)}")))
    for d, v in acts + ([base] if base else []):
        placer.block((px(d) - 4, py(v) - 4, px(d) + 4, py(v) + 4))
    if acts:
        d, v = acts[-1]
        s = _fmt(v, unit)
        spot = placer.place(px(d), py(v), s, fs, bold=True)
        if spot:
            body.append(_text(*spot[:2], s, size=fs, cls="sd-actual-label", fill=_ACTUAL,
                              anchor=spot[2], weight="bold"))
    else:
        s = "No actuals yet"
        spot = placer.place((left + right) / 2, (top + bottom) / 2, s, fs, gap=0)
        if spot:
            body.append(_text(*spot[:2], s, size=fs, cls="sd-muted", fill=_MUTED, anchor=spot[2]))
    for d, v in reversed(tgts):
        s = _fmt(v, unit)
        spot = placer.place(px(d), py(v), s, 10, bold=True)
        if spot:
            body.append(_text(*spot[:2], s, size=10, cls="sd-text sd-target-label", fill=_TARGET,
                              anchor=spot[2],
                              weight="bold"))
    if base:
        s = f"Baseline {_fmt(base[1], unit)}"
        spot = placer.place(px(base[0]), py(base[1]), s, 10)
        if spot:
            body.append(_text(*spot[:2], s, size=10, cls="sd-muted", fill=_MUTED, anchor=spot[2]))
    as_of_texts = (f"As of {_short_date(as_of)}", "As of")
    spot = next(((t, sp) for y in (top + 10, bottom - 8) for t in as_of_texts
                 if (sp := placer.place(ax, y, t, 10, gap=4, sideways=True))), None)
    if spot:
        body.append(_text(*spot[1][:2], spot[0], size=10, cls="sd-muted", fill=_MUTED,
                          anchor=spot[1][2]))

    keys: list[str] = []
    for r, row in enumerate(rows):
        y = 8 + r * 17 + 8
        for x, (kind, text, zone) in row:
            if kind == "actual":
                keys.append(_tag("line", {"x1": x, "y1": y, "x2": x + 18, "y2": y, "class": "sd-actual",
                                          "stroke": _ACTUAL, "stroke-width": "2"}))
                keys.append(_tag("circle", {"cx": x + 9, "cy": y, "r": 2.75, "class": "sd-actual-point",
                                            "fill": _ACTUAL}))
            elif kind == "plan":
                keys.append(_tag("line", {"x1": x, "y1": y, "x2": x + 18, "y2": y, "class": "sd-plan",
                                          "stroke": _PLAN, "stroke-width": "1.5",
                                          "stroke-dasharray": "5 4"}))
            elif kind == "target":
                keys.append(_diamond(x + 9, y))
            else:
                keys.append(_tag("rect", {"x": x, "y": y - 5, "width": 18, "height": 10, "rx": 2,
                                          "class": f"sd-band-{zone}", "fill": HEALTH_COLOURS[zone],
                                          "fill-opacity": "0.35"}))
            keys.append(_text(x + 22, y + 4, text, size=fs))

    label = [f"{title or 'KPI'}: trend chart"]
    if acts:
        label.append(f"latest actual {_fmt(acts[-1][1], unit)} on {acts[-1][0].isoformat()}")
    else:
        label.append("no actuals yet")
    if base:
        label.append(f"baseline {_fmt(base[1], unit)} on {base[0].isoformat()}")
    label += [f"target {_fmt(v, unit)} by {d.isoformat()}" for d, v in tgts]
    label += [band_words[z] for z in ("green", "amber", "red") if z in band_words]
    label.append(f"as of {as_of.isoformat()}")
    return _svg("sd-kpi-chart", w, h, "; ".join(label),
                body + [_tag("g", {"class": "sd-legend"}, "".join(keys))])


# --------------------------------------------------------------------------- strategy map

_BOX_H = 84.0
_BAR_H = 6.0


def _box(obj: dict, x: float, y: float, bw: float) -> tuple[str, str]:
    """One objective card; returns (svg, accessible description)."""
    oid, title, h = _clean(obj.get("id")), _clean(obj.get("title")), _health(obj.get("health"))
    word = HEALTH_WORDS[h]
    colour = HEALTH_COLOURS[h]
    r = 6.0
    parts = [_tag("rect", {"x": x, "y": y, "width": bw, "height": _BOX_H, "rx": r, "class": "sd-box",
                           "fill": "#ffffff", "stroke": "#d0d7de", "stroke-width": "1"})]
    bar = (f"M{_n(x)},{_n(y + _BAR_H)} V{_n(y + r)} A{_n(r)},{_n(r)} 0 0 1 {_n(x + r)},{_n(y)} "
           f"H{_n(x + bw - r)} A{_n(r)},{_n(r)} 0 0 1 {_n(x + bw)},{_n(y + r)} V{_n(y + _BAR_H)} Z")
    parts.append(_tag("path", {"d": bar, "class": f"sd-health-{h}", "fill": colour}))
    word_w = _text_width(word.upper(), 9.5, bold=True)
    parts.append(_text(x + bw - 10, y + 22, word.upper(), size=9.5, cls=f"sd-health-{h}",
                       fill=colour, anchor="end", weight="bold"))
    parts.append(_text(x + 10, y + 22, _fit(oid, bw - 28 - word_w, 11, bold=True), size=11, cls="sd-muted",
                       fill=_MUTED, weight="bold"))
    for i, line in enumerate(_wrap(title, bw - 20, 12, 3)):
        parts.append(_text(x + 10, y + 41 + i * 15, line, size=12))
    desc = f"{oid}: {title} (health: {word})" if title else f"{oid} (health: {word})"
    inner = _title(desc) + "".join(parts)
    href = _safe_href(obj.get("href"))
    if href:
        return _tag("a", {"href": href, "xlink:href": href, "class": "sd-objective",
                          "aria-label": desc}, inner), desc
    return _tag("g", {"class": "sd-objective"}, inner), desc


def _arrow_path(x1: float, y1: float, x2: float, y2: float, kind: str) -> str:
    """A curve from (x1, y1) to an arrowhead at (x2, y2): ``v`` leaves and enters vertically,
    ``h`` horizontally, ``arc`` rises above both points and comes down onto the target."""
    head = 7.0
    if kind == "h":
        sx = 1 if x2 > x1 else -1
        ex = x2 - sx * head
        mid = (x1 + ex) / 2
        curve = f"M{_n(x1)},{_n(y1)} C{_n(mid)},{_n(y1)} {_n(mid)},{_n(y2)} {_n(ex)},{_n(y2)}"
        tip = f"M{_n(x2)},{_n(y2)} L{_n(ex)},{_n(y2 - head / 2)} L{_n(ex)},{_n(y2 + head / 2)} Z"
    else:
        if kind == "arc":
            ey = y2 - head
            c1, c2 = y1 - 26, ey - 22
        else:
            ey = y2 - (1 if y2 > y1 else -1) * head
            c1 = c2 = (y1 + ey) / 2
        curve = f"M{_n(x1)},{_n(y1)} C{_n(x1)},{_n(c1)} {_n(x2)},{_n(c2)} {_n(x2)},{_n(ey)}"
        tip = f"M{_n(x2)},{_n(y2)} L{_n(x2 - head / 2)},{_n(ey)} L{_n(x2 + head / 2)},{_n(ey)} Z"
    return (_tag("path", {"d": curve, "class": "sd-link", "fill": "none", "stroke": _LINK,
                          "stroke-width": "1.5"})
            + _tag("path", {"d": tip, "class": "sd-arrow", "fill": _LINK}))


def strategy_map(*, perspectives: list[tuple[str, list[dict]]], links: list[tuple[str, str]],
                 width=900) -> Markup:
    """A balanced-scorecard strategy map: one band per perspective, objective cards linking to
    their pages (id, wrapped title, health word and bar), and cause-and-effect arrows drawn from
    each child objective to its parent. Unknown ids in ``links`` are ignored."""
    w = max(float(width), 360.0)
    margin, head_w, gap, row_gap, band_pad, band_gap = 8.0, 128.0, 16.0, 26.0, 22.0, 6.0
    avail = w - 2 * margin - head_w - 2 * gap
    bands = [(_clean(name), [o for o in objs or () if isinstance(o, dict)])
             for name, objs in perspectives or ()]
    most = max([len(objs) for _, objs in bands] + [1])
    max_cols = max(1, min(5, int((avail + gap) // (150 + gap))))
    cols = min(max_cols, most)
    bw = min(220.0, (avail - gap * (cols - 1)) / cols)

    body_bands: list[str] = []
    body_boxes: list[str] = []
    boxes: dict[str, tuple[float, float, int]] = {}  # id -> x, y, column
    described: list[str] = []
    y = margin
    for name, objs in bands:
        nrows = max(1, math.ceil(len(objs) / max_cols))
        band_h = 2 * band_pad + nrows * _BOX_H + (nrows - 1) * row_gap
        body_bands.append(_tag("rect", {"x": margin, "y": y, "width": w - 2 * margin, "height": band_h,
                                        "rx": 4, "class": "sd-band-bg", "fill": "#f6f8fa"}))
        body_bands.append(_tag("rect", {"x": margin, "y": y, "width": head_w, "height": band_h,
                                        "rx": 4, "class": "sd-band-head", "fill": "#eaeef2"}))
        lines = _wrap(name, head_w - 20, 12.5, 3, bold=True)
        for i, line in enumerate(lines):
            ly = y + band_h / 2 - (len(lines) - 1) * 8 + i * 16 + 4.5
            body_bands.append(_text(margin + 12, ly, line, size=12.5, weight="bold"))
        x0 = margin + head_w + gap
        if not objs:
            body_bands.append(_text(x0 + avail / 2, y + band_h / 2 + 4, "No objectives", size=11,
                                    cls="sd-muted", fill=_MUTED, anchor="middle"))
        per_row = math.ceil(len(objs) / nrows) if objs else 1
        names = []
        for i, obj in enumerate(objs):
            row, col = divmod(i, per_row)
            in_row = min(per_row, len(objs) - row * per_row)
            slot = avail / in_row
            bx = x0 + slot * col + (slot - bw) / 2
            by = y + band_pad + row * (_BOX_H + row_gap)
            svg, desc = _box(obj, bx, by, bw)
            body_boxes.append(svg)
            names.append(desc)
            oid = _clean(obj.get("id"))
            if oid and oid not in boxes:
                boxes[oid] = (bx, by, col)
        described.append(f"{name}: " + ("; ".join(names) if names else "no objectives"))
        y += band_h + band_gap

    # Links: child -> parent, attachment points spread along each box edge to limit overlaps.
    pairs: list[tuple[str, str]] = []
    for link in links or ():
        if not isinstance(link, (list, tuple)) or len(link) != 2:
            continue
        child, parent = _clean(link[0]), _clean(link[1])
        if child in boxes and parent in boxes and child != parent and (child, parent) not in pairs:
            pairs.append((child, parent))
    ends: dict[tuple[str, str], list[tuple[float, int, str]]] = {}
    routes = []
    for i, (child, parent) in enumerate(pairs):
        (cx, cy, ccol), (qx, qy, qcol) = boxes[child], boxes[parent]
        if qy + _BOX_H <= cy:
            sides = ("top", "bottom")
        elif qy >= cy + _BOX_H:
            sides = ("bottom", "top")
        elif abs(qcol - ccol) == 1:
            sides = ("right", "left") if qx > cx else ("left", "right")
        else:  # same row, boxes in between: arc over the top of the row
            sides = ("top", "top")
        routes.append(sides)
        ends.setdefault((child, sides[0]), []).append((qx, i, "s"))
        ends.setdefault((parent, sides[1]), []).append((cx, i, "e"))
    where: dict[tuple[int, str], tuple[float, float]] = {}
    for (oid, side), items in sorted(ends.items()):
        bx, by = boxes[oid][:2]
        items.sort()
        for k, (_, i, role) in enumerate(items):
            t = (k + 1) / (len(items) + 1)
            if side in ("top", "bottom"):
                where[(i, role)] = (bx + bw * (0.2 + 0.6 * t), by if side == "top" else by + _BOX_H)
            else:
                where[(i, role)] = (bx + (bw if side == "right" else 0), by + _BOX_H * (0.3 + 0.4 * t))
    body_links = []
    for i, sides in enumerate(routes):
        (x1, y1), (x2, y2) = where[(i, "s")], where[(i, "e")]
        kind = "h" if sides[0] in ("left", "right") else ("arc" if sides == ("top", "top") else "v")
        body_links.append(_arrow_path(x1, y1, x2, y2, kind))

    # Legend: the health words beside their colours, and what an arrow means; wraps if narrow.
    items = [(HEALTH_WORDS[h], h) for h in HEALTH_COLOURS] + ([("contributes to", "")] if pairs else [])
    legend = []
    x, ly = margin + 4, y + 10
    for text, h in items:
        key_w = 19 if h else 36
        if x > margin + 4 and x + key_w + _text_width(text, 11) > w - margin:
            x, ly = margin + 4, ly + 18
        if h:
            legend.append(_tag("rect", {"x": x, "y": ly - 4, "width": 14, "height": 6, "rx": 2,
                                        "class": f"sd-health-{h}", "fill": HEALTH_COLOURS[h]}))
        else:
            legend.append(_arrow_path(x, ly - 1, x + 28, ly - 1, "h"))
        legend.append(_text(x + key_w, ly + 3, text, size=11, cls="sd-muted", fill=_MUTED))
        x += key_w + _text_width(text, 11) + 16
    height = ly + 14
    label = "Strategy map. " + ". ".join(described)
    if pairs:
        label += ". Links: " + "; ".join(f"{c} contributes to {p}" for c, p in pairs)
    key = _tag("g", {"class": "sd-legend"}, "".join(legend))
    return _svg("sd-strategy-map", w, height, label, body_bands + body_links + body_boxes + [key],
                links=True)
