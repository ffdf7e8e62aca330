"""The KPI trend chart: actuals, the planned path, threshold zones, an "as of" marker and a legend."""

from __future__ import annotations

import math
from datetime import date, datetime, timedelta

from markupsafe import Markup

from stratdocs.numbers import COUNT_UNITS, NumberFormat, localise
from stratdocs.render.charts import axes, svg
from stratdocs.render.charts.words import _, label_date, short_date
from stratdocs.render.charts.kpi_parts import (Data, Plot, diamond, legend, legend_rows, plan_zone_paths,
                                               zone_words, zones_of)
from stratdocs.render.charts.labels import LabelPlacer
from stratdocs.render.charts.svg import HEALTH_COLOURS, coord

_FS = 11.0  # font size of the ticks, unit, legend and latest value
_ZONES = ("green", "amber", "red")
_Point = tuple[date, float]
_Zone = tuple[str, float, float]  # (health, lo, hi)


# --------------------------------------------------------------------------- scales


def _x_domain(data: Data) -> tuple[date, date]:
    """The reporting window: from the baseline or first actual to the next target after `as_of`
    (later milestones are noted as text, not drawn: issue 11), at least 60 days so a short
    history still reads as a trend."""
    start = min([d for d, _ in data.dated] + [data.as_of])
    end = max([d for d, _ in data.dated] + [data.as_of])
    if (end - start).days < 60:
        extra = 60 - (end - start).days
        start, end = start - timedelta(days=extra // 2), end + timedelta(days=extra - extra // 2)
    return start, end


def _y_domain(data: Data) -> tuple[list[float], float]:
    """Round ticks over all values and the finite threshold edges (so every zone shows)."""
    edges = [x for _, lo, hi in data.zones for x in (lo, hi) if math.isfinite(x)]
    values = [v for _, v in data.dated] + edges
    if not values:
        return [0.0, 0.5, 1.0], 0.5
    # A zone open to one side (green below 12) shows a tenth of the span beyond its edge (issue 12).
    span = (max(values) - min(values)) or abs(max(values)) or 1.0
    floor = 0.0 if min(values) >= 0 else -math.inf  # a band of non-negative data stops at zero
    for _zone, lo, hi in data.zones:
        if math.isfinite(hi) and not math.isfinite(lo):
            values.append(max(floor, hi - span / 10))
        elif math.isfinite(lo) and not math.isfinite(hi):
            values.append(lo + span / 10)
    return axes.y_ticks(min(values), max(values))


# --------------------------------------------------------------------------- legend


def _aria_label(data: Data) -> str:
    """Everything the chart shows, in words: latest actual, baseline, targets, zones, as of."""
    acts, base = data.acts, data.base
    label = [_("%(title)s: trend chart") % {"title": data.title or "KPI"}]
    if acts:
        label.append(_("latest actual %(value)s on %(day)s") % {"value": data.text(acts[-1][1]),
                                                              "day": label_date(acts[-1][0])})
    else:
        label.append(_("no actuals yet"))
    if base:
        label.append(_("baseline %(value)s on %(day)s") % {"value": data.text(base[1]), "day": label_date(base[0])})
    label += [_("target %(value)s by %(day)s") % {"value": data.text(v), "day": label_date(d)}
              for d, v in (*data.tgts, *data.later)]
    label += [data.zone_words[z] for z in _ZONES if z in data.zone_words]
    label.append(_("as of %(day)s") % {"day": label_date(data.as_of)})
    return "; ".join(label)


# --------------------------------------------------------------------------- zones and axes


def _zone_rects(plot: Plot, zones: list[_Zone]) -> list[str]:
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


def _y_axis(plot: Plot, ticks: list[float], labels: list[str]) -> list[str]:
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


def _x_axis(plot: Plot, w: float) -> list[str]:
    """A tick mark and a label per x label; labels may reach past the plot to the SVG's edges."""
    out = []
    for x, text, anchor in axes.x_labels(plot.start, plot.end, plot.x, 2.0, w - 2, _FS):
        out.append(svg.tag("line", {"x1": x, "y1": plot.bottom, "x2": x, "y2": plot.bottom + 4,
                                    "class": "sd-axis", "stroke": svg.AXIS, "stroke-width": "1"}))
        out.append(svg.text(x, plot.bottom + 16, text, size=_FS, cls="sd-muted sd-x-tick",
                            fill=svg.MUTED, anchor=anchor))
    return out


# --------------------------------------------------------------------------- series and labels


def _lines(plot: Plot, data: Data) -> list[str]:
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


def _markers(plot: Plot, data: Data, placer: LabelPlacer) -> list[str]:
    """Baseline, target and actual markers with tooltips; each blocks its spot for labels."""
    px, py, base = plot.x, plot.y, data.base
    out = []
    if base:
        bx, by = px(base[0]), py(base[1])
        tip = _("Baseline %(value)s on %(day)s") % {"value": data.text(base[1]), "day": label_date(base[0])}
        out.append(svg.tag("circle", {"cx": bx, "cy": by, "r": 3.5, "class": "sd-plan sd-hollow",
                                      "fill": "#ffffff", "stroke": svg.PLAN, "stroke-width": "1.5"},
                           svg.title(tip)))
    for d, v in data.tgts:
        out.append(diamond(px(d), py(v), tip=_("Target %(value)s by %(day)s") % {"value": data.text(v), "day": label_date(d)}))
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
                           svg.title(f"{label_date(d)}: {data.text(v)}")))
    for d, v in data.acts + ([base] if base else []):
        placer.block((px(d) - 4, py(v) - 4, px(d) + 4, py(v) + 4))
    return out


def _value_labels(plot: Plot, data: Data, placer: LabelPlacer) -> list[str]:
    """Value labels where there is room, most important first: the latest actual (or "No actuals
    yet"), the targets from the last, the baseline, then the "as of" marker."""
    px, py, base = plot.x, plot.y, data.base
    out = []

    def put(x, y, s, size, cls, fill, bold=False, **kw):
        spot = placer.place(x, y, s, size, bold=bold, **kw)
        if spot:
            out.append(svg.text(*spot[:2], s, size=size, cls=cls, fill=fill, anchor=spot[2],
                                weight="bold" if bold else None))

    if data.acts:
        d, v = data.acts[-1]
        put(px(d), py(v), data.text(v), _FS, "sd-actual-label", svg.ACTUAL, bold=True)
    else:
        put((plot.left + plot.right) / 2, (plot.top + plot.bottom) / 2, _("No actuals yet"), _FS,
            "sd-muted", svg.MUTED, gap=0)
    for d, v in reversed(data.tgts):
        put(px(d), py(v), data.text(v), 10, "sd-text sd-target-label", svg.TARGET, bold=True)
    if base:
        put(px(base[0]), py(base[1]), _("Baseline %(value)s") % {"value": data.text(base[1])}, 10,
            "sd-muted", svg.MUTED)
    # "As of <date>" beside the marker, near the top or else the bottom; just "As of" if tight.
    ax = px(data.as_of)
    as_of_texts = (_("As of %(day)s") % {"day": short_date(data.as_of)}, _("As of"))
    spot = next(((t, sp) for y in (plot.top + 10, plot.bottom - 8) for t in as_of_texts
                 if (sp := placer.place(ax, y, t, 10, gap=4, sideways=True))), None)
    if spot:
        out.append(svg.text(*spot[1][:2], spot[0], size=10, cls="sd-muted", fill=svg.MUTED,
                            anchor=spot[1][2]))
    return out


def _data(title, unit, actuals, baseline, targets, thresholds, direction, as_of, fmt: NumberFormat,
          cutoffs: tuple[float, float]) -> Data:
    """The chart's inputs cleaned, its targets split at the next one after `as_of`: those up to it
    are drawn, later ones are noted as text."""
    zones = zones_of(thresholds, direction)
    day = as_of.date() if isinstance(as_of, datetime) else as_of
    tgts = svg.points(targets)
    upcoming = next((d for d, _ in tgts if d >= day), None)
    shown = [t for t in tgts if upcoming is None or t[0] <= upcoming]
    return Data(title=svg.clean(title), unit=fmt.unit, acts=svg.points(actuals), tgts=shown,
                base=next(iter(svg.points([baseline] if baseline else [])), None), as_of=day,
                zones=zones, zone_words=zone_words(zones, direction, fmt), fmt=fmt,
                later=tuple(tgts[len(shown):]), cutoffs=cutoffs)


def kpi_chart(*, title: str, unit: str, actuals: list[tuple[date, float]],
              baseline: tuple[date, float] | None, targets: list[tuple[date, float]],
              thresholds: dict | None, direction: str, as_of: date, width=640,
              height=280, decimals: int | None = None, language: str = "en",
              cutoffs: tuple[float, float] = (0.95, 0.80)) -> Markup:
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
    :param decimals: the KPI's precision for value labels (None: up to two places).
    :param language: the plan's language, for the value labels' separators and currency.
    :param cutoffs: the progress a target-based KPI needs for green and amber (its plan zones).
    """
    data = _data(title, unit, actuals, baseline, targets, thresholds, direction, as_of,
                 NumberFormat(svg.clean(unit), decimals, language), cutoffs)
    unit = data.unit
    w, h = max(float(width), 240.0), max(float(height), 140.0)
    start, end = _x_domain(data)
    ticks, step = _y_domain(data)
    labels = [localise(t, language) for t in axes.tick_labels(ticks, step)]

    rows = legend_rows(data, w)  # the legend sits above the plot
    top = 8 + len(rows) * 17 + 24
    h = max(h, top + 26 + 60)  # a narrow chart with a tall legend still gets a plot
    left = min(8 + max(svg.text_width(s, _FS) for s in labels) + 8, w * 0.4)
    plot = Plot(left=left, right=w - 14, top=top, bottom=h - 26, start=start, end=end,
                 y_lo=ticks[0], y_hi=ticks[-1])

    body = _zone_rects(plot, data.zones)
    if data.plan_zones:
        body += plan_zone_paths(plot, data)
    body += _y_axis(plot, ticks, labels)
    if unit and unit not in COUNT_UNITS:
        body.append(svg.text(8, top - 10, svg.fit(unit, w - 16, _FS), size=_FS, cls="sd-muted sd-unit",
                             fill=svg.MUTED))
    body += _x_axis(plot, w)
    # Labels may use the row above the plot (except where the unit is written).
    placer = LabelPlacer((left + 1, top - 16, plot.right - 1, plot.bottom - 2))
    if unit and unit not in COUNT_UNITS:
        placer.block((8, top - 21, 8 + svg.text_width(unit, _FS), top - 7))
    ax = plot.x(data.as_of)
    body.append(svg.tag("line", {"x1": ax, "y1": top, "x2": ax, "y2": plot.bottom, "class": "sd-axis",
                                 "stroke": svg.AXIS, "stroke-width": "1", "stroke-dasharray": "2 3"}))
    body += _lines(plot, data) + _markers(plot, data, placer) + _value_labels(plot, data, placer)
    return svg.document("sd-kpi-chart", w, h, _aria_label(data), body + [legend(rows)])
