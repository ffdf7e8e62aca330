"""The KPI sparkline: a small trend line with a health-coloured dot on the latest point."""

from __future__ import annotations

from datetime import date

from markupsafe import Markup

from stratdocs.health import HEALTH_WORDS
from stratdocs.numbers import format_compact
from stratdocs.render.charts import svg
from stratdocs.render.charts.words import _, label_date, language
from stratdocs.render.charts.svg import HEALTH_COLOURS, coord

_DOT_R = 2.5


def _coords(pts: list[tuple[date, float]], w: float, ht: float) -> list[tuple[float, float]]:
    """Where each point goes: dates along x, values scaled to the height (flat data sits mid-way)."""
    pad = _DOT_R + 1
    if len(pts) == 1:
        return [(w / 2, ht / 2)]
    xs = [d.toordinal() for d, _ in pts]
    if xs[0] == xs[-1]:  # all on one day: spread them evenly instead of dividing by zero
        xs = list(range(len(pts)))
    lo, hi = min(v for _, v in pts), max(v for _, v in pts)
    span_x = xs[-1] - xs[0]
    return [(pad + (x - xs[0]) / span_x * (w - 2 * pad),
             ht / 2 if hi == lo else pad + (hi - v) / (hi - lo) * (ht - 2 * pad))
            for x, (_, v) in zip(xs, pts)]


def sparkline(points: list[tuple[date, float]], *, health: str = "no-data", width=120,
              height=28) -> Markup:
    """A small trend line with a health-coloured dot on the latest point.

    No points gives a small SVG saying "no data"; one point gives a single dot. The health word
    is in the title and ``aria-label``.

    :param points: (date, value) pairs in any order; non-finite values are left out.
    :param health: the KPI's health ("green", "amber", "red" or "no-data"); unknown is no-data.
    :param width: the width in px (at least 16).
    :param height: the height in px (at least 8).
    """
    h = svg.health_key(health)
    pts = svg.points(points)
    w, ht = max(float(width), 16.0), max(float(height), 8.0)
    if not pts:
        body = [svg.text(w / 2, ht / 2 + 3.5, _("no data"), size=min(10.0, ht * 0.45), cls="sd-muted",
                         fill=svg.MUTED, anchor="middle")]
        return svg.document("sd-sparkline", w, ht, _("Trend: no data"), body, fixed=True)
    coords = _coords(pts, w, ht)
    body = []
    if len(coords) > 1:
        d = "M" + " L".join(f"{coord(x)},{coord(y)}" for x, y in coords)
        body.append(svg.tag("path", {"d": d, "class": "sd-spark", "fill": "none", "stroke": "#57606a",
                                     "stroke-width": "1.5", "stroke-linejoin": "round",
                                     "stroke-linecap": "round"}))
    x, y = coords[-1]
    body.append(svg.tag("circle", {"cx": x, "cy": y, "r": _DOT_R, "class": f"sd-health-{h}",
                                   "fill": HEALTH_COLOURS[h]}))
    (d0, _first), (d1, last) = pts[0], pts[-1]
    count = _("%(num)d values from %(start)s to %(end)s") % {"num": len(pts), "start": label_date(d0),
                                                           "end": label_date(d1)} if len(pts) > 1 \
        else _("1 value on %(day)s") % {"day": label_date(d1)}
    label = _("Trend: %(values)s, latest %(latest)s; health: %(health)s") % {
        "values": count, "latest": format_compact(last, "", language()), "health": _(HEALTH_WORDS[h])}
    return svg.document("sd-sparkline", w, ht, label, body, fixed=True)
