"""The KPI trend chart: actuals, the planned path, threshold zones, an "as of" marker and a legend."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from markupsafe import Markup

from stratdocs.health import HEALTH_WORDS
from stratdocs.numbers import format_compact
from stratdocs.render.charts import axes, svg
from stratdocs.render.charts.labels import LabelPlacer
from stratdocs.render.charts.svg import HEALTH_COLOURS, coord

_FS = 11.0  # font size of the ticks, unit, legend and latest value
_ZONES = ("green", "amber", "red")
_Point = tuple[date, float]
_Zone = tuple[str, float, float]  # (health, lo, hi)


@dataclass(frozen=True)
class _Data:
    """The chart's inputs, cleaned: points sorted by date, threshold zones worked out."""

    title: str
    unit: str
    acts: list[_Point]
    tgts: list[_Point]
    base: _Point | None
    as_of: date
    zones: list[_Zone]
    zone_words: dict[str, str]

    @property
    def dated(self) -> list[_Point]:
        return self.acts + self.tgts + ([self.base] if self.base else [])

    @property
    def plan(self) -> list[_Point]:
        """The planned path: from the baseline through the target milestones."""
        return ([self.base] if self.base else []) + self.tgts


@dataclass(frozen=True)
class _Plot:
    """The plot area in SVG px and the date and value ranges it shows."""

    left: float
    right: float
    top: float
    bottom: float
    start: date
    end: date
    y_lo: float
    y_hi: float
    pad: float = 10.0  # keeps the first and last points off the plot's edges

    def x(self, d: date) -> float:
        width, span = self.right - self.left, (self.end - self.start).days
        return self.left + self.pad + (d - self.start).days / span * (width - 2 * self.pad)

    def y(self, v: float) -> float:
        return self.bottom - (v - self.y_lo) / (self.y_hi - self.y_lo) * (self.bottom - self.top)


def _zones(thresholds, direction: str) -> list[_Zone]:
    """Threshold zones (health, lo, hi) following the RAG rules of SPEC §6; infinite ends allowed."""
    if not isinstance(thresholds, dict):
        return []
    inf = math.inf

    def pair(v):
        if isinstance(v, (list, tuple)) and len(v) == 2 and None not in (svg.num(v[0]), svg.num(v[1])):
            return tuple(sorted((svg.num(v[0]), svg.num(v[1]))))
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
        g, a = svg.num(thresholds.get("green")), svg.num(thresholds.get("amber"))
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


def _zone_words(zones: list[_Zone], direction: str, unit: str) -> dict[str, str]:
    """The legend text of each zone, e.g. "Green ≥ 80%", so zones never rely on colour alone."""
    f = lambda v: format_compact(v, unit)  # noqa: E731
    out = {}
    for zone in _ZONES:
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


def _diamond(x: float, y: float, r: float = 5.0, fill: str = svg.TARGET, cls: str = "sd-target",
             tip: str | None = None) -> str:
    """A target marker, optionally with a tooltip."""
    n = coord
    d = f"M{n(x)},{n(y - r)} L{n(x + r)},{n(y)} L{n(x)},{n(y + r)} L{n(x - r)},{n(y)} Z"
    return svg.tag("path", {"d": d, "class": f"{cls} sd-halo", "fill": fill, "stroke": "#ffffff",
                            "stroke-width": "1"}, svg.title(tip) if tip else None)


# --------------------------------------------------------------------------- scales


def _x_domain(data: _Data) -> tuple[date, date]:
    """From the earliest baseline/actual to the latest target or as_of (a milestone dated before
    the first actual widens it too), at least 60 days so a short history still reads as a trend."""
    start = min([d for d, _ in data.dated] + [data.as_of])
    end = max([d for d, _ in data.dated] + [data.as_of])
    if (end - start).days < 60:
        extra = 60 - (end - start).days
        start, end = start - timedelta(days=extra // 2), end + timedelta(days=extra - extra // 2)
    return start, end


def _y_domain(data: _Data) -> tuple[list[float], float]:
    """Round ticks over all values and the finite threshold edges (so every zone shows)."""
    edges = [x for _, lo, hi in data.zones for x in (lo, hi) if math.isfinite(x)]
    values = [v for _, v in data.dated] + edges
    if not values:
        return [0.0, 0.5, 1.0], 0.5
    # A zone open to one side (green below 12) shows a tenth of the span beyond its edge (issue 12).
    span = (max(values) - min(values)) or abs(max(values)) or 1.0
    floor = 0.0 if min(values) >= 0 else -math.inf  # a band of non-negative data stops at zero
    for _, lo, hi in data.zones:
        if math.isfinite(hi) and not math.isfinite(lo):
            values.append(max(floor, hi - span / 10))
        elif math.isfinite(lo) and not math.isfinite(hi):
            values.append(lo + span / 10)
    return axes.y_ticks(min(values), max(values))


# --------------------------------------------------------------------------- legend


def _legend_rows(data: _Data, w: float) -> list[list[tuple[float, tuple[str, str, str]]]]:
    """The legend's keys (kind, text, zone), wrapped into rows of (x, key) to fit the width."""
    legend: list[tuple[str, str, str]] = []
    if data.acts:
        legend.append(("actual", "Actual", ""))
    if len(data.plan) > 1:
        legend.append(("plan", "Plan", ""))
    if data.tgts:
        legend.append(("target", "Target", ""))
    for zone in _ZONES:
        if any(b[0] == zone for b in data.zones):
            legend.append(("band", data.zone_words.get(zone, HEALTH_WORDS[zone]), zone))
    rows: list[list[tuple[float, tuple[str, str, str]]]] = [[]]
    x = 8.0
    legend = [(kind, svg.fit(text, w - 46, _FS), zone) for kind, text, zone in legend]
    for item in legend:
        item_w = 22 + svg.text_width(item[1], _FS) + 14
        if rows[-1] and x + item_w > w - 8:
            rows.append([])
            x = 8.0
        rows[-1].append((x, item))
        x += item_w
    return rows


def _legend(rows: list[list[tuple[float, tuple[str, str, str]]]]) -> str:
    """The legend group: a key (line, dot, diamond or swatch) and its text for every item."""
    keys: list[str] = []
    for r, row in enumerate(rows):
        y = 8 + r * 17 + 8
        for x, (kind, text, zone) in row:
            if kind == "actual":
                keys.append(svg.tag("line", {"x1": x, "y1": y, "x2": x + 18, "y2": y,
                                             "class": "sd-actual", "stroke": svg.ACTUAL,
                                             "stroke-width": "2"}))
                keys.append(svg.tag("circle", {"cx": x + 9, "cy": y, "r": 2.75,
                                               "class": "sd-actual-point", "fill": svg.ACTUAL}))
            elif kind == "plan":
                keys.append(svg.tag("line", {"x1": x, "y1": y, "x2": x + 18, "y2": y, "class": "sd-plan",
                                             "stroke": svg.PLAN, "stroke-width": "1.5",
                                             "stroke-dasharray": "5 4"}))
            elif kind == "target":
                keys.append(_diamond(x + 9, y))
            else:
                keys.append(svg.tag("rect", {"x": x, "y": y - 5, "width": 18, "height": 10, "rx": 2,
                                             "class": f"sd-band-{zone}", "fill": HEALTH_COLOURS[zone],
                                             "fill-opacity": "0.35"}))
            keys.append(svg.text(x + 22, y + 4, text, size=_FS))
    return svg.tag("g", {"class": "sd-legend"}, "".join(keys))


def _aria_label(data: _Data) -> str:
    """Everything the chart shows, in words: latest actual, baseline, targets, zones, as of."""
    unit, acts, base = data.unit, data.acts, data.base
    label = [f"{data.title or 'KPI'}: trend chart"]
    if acts:
        label.append(f"latest actual {format_compact(acts[-1][1], unit)} on {acts[-1][0].isoformat()}")
    else:
        label.append("no actuals yet")
    if base:
        label.append(f"baseline {format_compact(base[1], unit)} on {base[0].isoformat()}")
    label += [f"target {format_compact(v, unit)} by {d.isoformat()}" for d, v in data.tgts]
    label += [data.zone_words[z] for z in _ZONES if z in data.zone_words]
    label.append(f"as of {data.as_of.isoformat()}")
    return "; ".join(label)


# --------------------------------------------------------------------------- zones and axes


def _zone_rects(plot: _Plot, zones: list[_Zone]) -> list[str]:
    """The threshold zones as tinted bands, cut to the plotted value range."""
    out = []
    for zone, lo, hi in zones:
        lo, hi = max(lo, plot.y_lo), min(hi, plot.y_hi)
        if hi > lo:
            out.append(svg.tag("rect", {"x": plot.left, "y": plot.y(hi), "width": plot.right - plot.left,
                                        "height": plot.y(lo) - plot.y(hi), "class": f"sd-band-{zone}",
                                        "fill": HEALTH_COLOURS[zone],
                                        "fill-opacity": svg.BAND_OPACITY[zone]}))
    return out


def _y_axis(plot: _Plot, ticks: list[float], labels: list[str]) -> list[str]:
    """A grid line and a label per y tick; the lowest line is the axis."""
    out = []
    for t, s in zip(ticks, labels):
        y = plot.y(t)
        out.append(svg.tag("line", {"x1": plot.left, "y1": y, "x2": plot.right, "y2": y,
                                    "class": "sd-axis" if t == plot.y_lo else "sd-grid",
                                    "stroke": svg.AXIS if t == plot.y_lo else svg.GRID,
                                    "stroke-width": "1"}))
        out.append(svg.text(plot.left - 8, y + 3.5, s, size=_FS, cls="sd-muted sd-y-tick",
                            fill=svg.MUTED, anchor="end"))
    return out


def _x_axis(plot: _Plot, w: float) -> list[str]:
    """A tick mark and a label per x label; labels may reach past the plot to the SVG's edges."""
    out = []
    for x, text, anchor in axes.x_labels(plot.start, plot.end, plot.x, 2.0, w - 2, _FS):
        out.append(svg.tag("line", {"x1": x, "y1": plot.bottom, "x2": x, "y2": plot.bottom + 4,
                                    "class": "sd-axis", "stroke": svg.AXIS, "stroke-width": "1"}))
        out.append(svg.text(x, plot.bottom + 16, text, size=_FS, cls="sd-muted sd-x-tick",
                            fill=svg.MUTED, anchor=anchor))
    return out


# --------------------------------------------------------------------------- series and labels


def _lines(plot: _Plot, data: _Data) -> list[str]:
    """The planned path (dashed) and the actuals' line."""
    out = []
    if len(data.plan) > 1:
        d = "M" + " L".join(f"{coord(plot.x(a))},{coord(plot.y(b))}" for a, b in data.plan)
        out.append(svg.tag("path", {"d": d, "class": "sd-plan", "fill": "none", "stroke": svg.PLAN,
                                    "stroke-width": "1.5", "stroke-dasharray": "5 4"}))
    if len(data.acts) > 1:
        d = "M" + " L".join(f"{coord(plot.x(a))},{coord(plot.y(b))}" for a, b in data.acts)
        out.append(svg.tag("path", {"d": d, "class": "sd-actual", "fill": "none", "stroke": svg.ACTUAL,
                                    "stroke-width": "2", "stroke-linejoin": "round",
                                    "stroke-linecap": "round"}))
    return out


def _markers(plot: _Plot, data: _Data, placer: LabelPlacer) -> list[str]:
    """Baseline, target and actual markers with tooltips; each blocks its spot for labels."""
    px, py, unit, base = plot.x, plot.y, data.unit, data.base
    out = []
    if base:
        bx, by = px(base[0]), py(base[1])
        tip = f"Baseline {format_compact(base[1], unit)} on {base[0].isoformat()}"
        out.append(svg.tag("circle", {"cx": bx, "cy": by, "r": 3.5, "class": "sd-plan sd-hollow",
                                      "fill": "#ffffff", "stroke": svg.PLAN, "stroke-width": "1.5"},
                           svg.title(tip)))
    for d, v in data.tgts:
        out.append(_diamond(px(d), py(v), tip=f"Target {format_compact(v, unit)} by {d.isoformat()}"))
        placer.block((px(d) - 5, py(v) - 5, px(d) + 5, py(v) + 5))
    # Dots closer than 7 px would merge into a thick line: then only the latest gets one.
    dense = len(data.acts) > 1 and (plot.right - plot.left - 2 * plot.pad) / (len(data.acts) - 1) < 7
    for i, (d, v) in enumerate(data.acts):
        last = i == len(data.acts) - 1
        if dense and not last:
            continue
        out.append(svg.tag("circle", {"cx": px(d), "cy": py(v), "r": 4.0 if last else 2.75,
                                      "class": "sd-actual-point sd-halo", "fill": svg.ACTUAL,
                                      "stroke": "#ffffff", "stroke-width": "1"},
                           svg.title(f"{d.isoformat()}: {format_compact(v, unit)}")))
    for d, v in data.acts + ([base] if base else []):
        placer.block((px(d) - 4, py(v) - 4, px(d) + 4, py(v) + 4))
    return out


def _value_labels(plot: _Plot, data: _Data, placer: LabelPlacer) -> list[str]:
    """Value labels where there is room, most important first: the latest actual (or "No actuals
    yet"), the targets from the last, the baseline, then the "as of" marker."""
    px, py, unit, base = plot.x, plot.y, data.unit, data.base
    out = []

    def put(x, y, s, size, cls, fill, bold=False, **kw):
        spot = placer.place(x, y, s, size, bold=bold, **kw)
        if spot:
            out.append(svg.text(*spot[:2], s, size=size, cls=cls, fill=fill, anchor=spot[2],
                                weight="bold" if bold else None))

    if data.acts:
        d, v = data.acts[-1]
        put(px(d), py(v), format_compact(v, unit), _FS, "sd-actual-label", svg.ACTUAL, bold=True)
    else:
        put((plot.left + plot.right) / 2, (plot.top + plot.bottom) / 2, "No actuals yet", _FS,
            "sd-muted", svg.MUTED, gap=0)
    for d, v in reversed(data.tgts):
        put(px(d), py(v), format_compact(v, unit), 10, "sd-text sd-target-label", svg.TARGET, bold=True)
    if base:
        put(px(base[0]), py(base[1]), f"Baseline {format_compact(base[1], unit)}", 10,
            "sd-muted", svg.MUTED)
    # "As of <date>" beside the marker, near the top or else the bottom; just "As of" if tight.
    ax = px(data.as_of)
    as_of_texts = (f"As of {svg.short_date(data.as_of)}", "As of")
    spot = next(((t, sp) for y in (plot.top + 10, plot.bottom - 8) for t in as_of_texts
                 if (sp := placer.place(ax, y, t, 10, gap=4, sideways=True))), None)
    if spot:
        out.append(svg.text(*spot[1][:2], spot[0], size=10, cls="sd-muted", fill=svg.MUTED,
                            anchor=spot[1][2]))
    return out


def kpi_chart(*, title: str, unit: str, actuals: list[tuple[date, float]],
              baseline: tuple[date, float] | None, targets: list[tuple[date, float]],
              thresholds: dict | None, direction: str, as_of: date, width=640,
              height=280) -> Markup:
    """A KPI trend chart: actuals, the planned path from baseline through the target milestones,
    threshold zones, an "as of" marker and a legend, on round y ticks and month-year x labels.

    :param title: the KPI's title, for the accessible label.
    :param unit: the KPI's unit, written above the y axis and after every value.
    :param actuals: measured (date, value) pairs, in any order; non-finite values are left out.
    :param baseline: the (date, value) the plan starts from, or None.
    :param targets: (date, value) milestones; the plan runs from the baseline through them.
    :param thresholds: ``{"green": ..., "amber": ...}`` as in the KPI file, or None for no zones.
    :param direction: "up", "down" or "range": which way is better (SPEC §6).
    :param as_of: the report date, marked with a dashed line.
    :param width: the width of the viewBox in px (at least 240); the SVG scales to its container.
    :param height: the height in px (at least 140; more if the legend needs several rows).
    """
    unit = svg.clean(unit)
    zones = _zones(thresholds, direction)
    data = _Data(title=svg.clean(title), unit=unit, acts=svg.points(actuals), tgts=svg.points(targets),
                 base=next(iter(svg.points([baseline] if baseline else [])), None),
                 as_of=as_of.date() if isinstance(as_of, datetime) else as_of,
                 zones=zones, zone_words=_zone_words(zones, direction, unit))
    w, h = max(float(width), 240.0), max(float(height), 140.0)
    start, end = _x_domain(data)
    ticks, step = _y_domain(data)
    labels = axes.tick_labels(ticks, step)

    rows = _legend_rows(data, w)  # the legend sits above the plot
    top = 8 + len(rows) * 17 + 24
    h = max(h, top + 26 + 60)  # a narrow chart with a tall legend still gets a plot
    left = min(8 + max(svg.text_width(s, _FS) for s in labels) + 8, w * 0.4)
    plot = _Plot(left=left, right=w - 14, top=top, bottom=h - 26, start=start, end=end,
                 y_lo=ticks[0], y_hi=ticks[-1])

    body = _zone_rects(plot, data.zones) + _y_axis(plot, ticks, labels)
    if unit:
        body.append(svg.text(8, top - 10, svg.fit(unit, w - 16, _FS), size=_FS, cls="sd-muted sd-unit",
                             fill=svg.MUTED))
    body += _x_axis(plot, w)
    # Labels may use the row above the plot (except where the unit is written).
    placer = LabelPlacer((left + 1, top - 16, plot.right - 1, plot.bottom - 2))
    if unit:
        placer.block((8, top - 21, 8 + svg.text_width(unit, _FS), top - 7))
    ax = plot.x(data.as_of)
    body.append(svg.tag("line", {"x1": ax, "y1": top, "x2": ax, "y2": plot.bottom, "class": "sd-axis",
                                 "stroke": svg.AXIS, "stroke-width": "1", "stroke-dasharray": "2 3"}))
    body += _lines(plot, data) + _markers(plot, data, placer) + _value_labels(plot, data, placer)
    return svg.document("sd-kpi-chart", w, h, _aria_label(data), body + [_legend(rows)])
