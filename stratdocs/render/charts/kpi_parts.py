"""The KPI chart's parts: its cleaned inputs, the plot's scales, health zones and the legend.

Threshold KPIs get bands at their thresholds; target-based KPIs get green and amber zones that
follow the planned line (progress of at least the green and amber cut-offs, SPEC §6). The legend
names every zone in words and notes the milestones beyond the chart's window as text.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date

from stratdocs.health import HEALTH_WORDS
from stratdocs.numbers import NumberFormat, format_compact, format_number, format_short_date
from stratdocs.i18n import N_
from stratdocs.render.charts import svg
from stratdocs.render.charts.words import _, pgettext
from stratdocs.render.charts.svg import HEALTH_COLOURS, coord

_FS = 11.0  # font size of the ticks, unit, legend and latest value
_ZONES = ("green", "amber", "red")
_Point = tuple[date, float]
_Zone = tuple[str, float, float]  # (health, lo, hi)
#: Units wider than this (px at 11 px text) are left out of value labels: the axis names them.
LABEL_UNIT_WIDTH = 48.0
#: The zones around the planned line, in words (the legend: never colour alone).
PLAN_ZONE_WORDS = {"green": N_("Green: on plan"), "amber": N_("Amber: slightly behind"), "red": N_("Red: behind plan")}


def diamond(x: float, y: float, r: float = 5.0, fill: str = svg.TARGET, cls: str = "sd-target",
            tip: str | None = None) -> str:
    """A target marker, optionally with a tooltip."""
    n = coord
    d = f"M{n(x)},{n(y - r)} L{n(x + r)},{n(y)} L{n(x)},{n(y + r)} L{n(x - r)},{n(y)} Z"
    return svg.tag("path", {"d": d, "class": f"{cls} sd-halo", "fill": fill, "stroke": "#ffffff",
                            "stroke-width": "1"}, svg.title(tip) if tip else None)


@dataclass(frozen=True)
class Data:
    """The chart's inputs, cleaned: points sorted by date, threshold zones worked out."""

    title: str
    unit: str
    acts: list[_Point]
    tgts: list[_Point]
    base: _Point | None
    as_of: date
    zones: list[_Zone]
    zone_words: dict[str, str]
    fmt: NumberFormat = NumberFormat()
    later: tuple[_Point, ...] = ()              # milestones after the chart's window, noted as text
    cutoffs: tuple[float, float] = (0.95, 0.80)  # progress for green and amber (SPEC §6)

    def text(self, value: float) -> str:
        """A value label in the KPI's unit and precision, for the plan's language; a long unit
        ("percentage points of pipeline") is written once above the axis, not after every label."""
        unit = self.fmt.unit if svg.text_width(self.fmt.unit, 11) <= LABEL_UNIT_WIDTH else ""
        if abs(value) >= 1e6:
            return format_compact(value, unit, self.fmt.language)
        return format_number(value, unit, self.fmt.decimals, self.fmt.language)

    @property
    def later_text(self) -> str:
        """"Next: EUR 82m by 31 Dec 2027" for the milestones beyond the window, or ''."""
        if not self.later:
            return ""
        items = "; ".join(_("%(value)s by %(day)s") % {"value": self.text(v), "day": format_short_date(d, self.fmt.language)}
                          for d, v in self.later)
        return _("Next: %(items)s") % {"items": items}

    @property
    def plan_zones(self) -> bool:
        """Whether green and amber zones follow the planned line (a target-based KPI)."""
        return not self.zones and len(self.plan) > 1 and any(a[1] != b[1] for a, b in zip(self.plan, self.plan[1:]))

    @property
    def dated(self) -> list[_Point]:
        return self.acts + self.tgts + ([self.base] if self.base else [])

    @property
    def plan(self) -> list[_Point]:
        """The planned path: from the baseline through the target milestones."""
        return ([self.base] if self.base else []) + self.tgts


@dataclass(frozen=True)
class Plot:
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



def zones_of(thresholds, direction: str) -> list[_Zone]:
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


def zone_words(zones: list[_Zone], direction: str, fmt: NumberFormat) -> dict[str, str]:
    """The legend text of each zone, e.g. "Green ≥ 80%", so zones never rely on colour alone."""
    short = svg.text_width(fmt.unit, 11) <= LABEL_UNIT_WIDTH
    f = lambda v: format_number(v, fmt.unit if short else "", fmt.decimals, fmt.language)  # noqa: E731
    out = {}
    for zone in _ZONES:
        parts = [z for z in zones if z[0] == zone]
        if not parts:
            continue
        lo, hi = min(z[1] for z in parts), max(z[2] for z in parts)
        word = _(HEALTH_WORDS[zone])
        if direction == "range":
            out[zone] = _("%(health)s outside") % {"health": word} if zone == "red" else f"{word} {f(lo)}–{f(hi)}"
        elif direction == "up":
            out[zone] = f"{word} < {f(hi)}" if zone == "red" else f"{word} ≥ {f(lo)}"
        else:
            out[zone] = f"{word} > {f(lo)}" if zone == "red" else f"{word} ≤ {f(hi)}"
    return out



def legend_rows(data: Data, w: float) -> list[list[tuple[float, tuple[str, str, str]]]]:
    """The legend's keys (kind, text, zone), wrapped into rows of (x, key) to fit the width."""
    legend: list[tuple[str, str, str]] = []
    if data.acts:
        legend.append(("actual", _("Actual"), ""))
    if len(data.plan) > 1:
        legend.append(("plan", pgettext("chart legend: the planned path", "Plan"), ""))
    if data.tgts:
        legend.append(("target", _("Target"), ""))
    for zone in _ZONES:
        if any(b[0] == zone for b in data.zones):
            legend.append(("band", data.zone_words.get(zone, _(HEALTH_WORDS[zone])), zone))
        elif data.plan_zones:
            legend.append(("zone", _(PLAN_ZONE_WORDS[zone]), zone))
    if data.later_text:
        legend.append(("note", data.later_text, ""))
    rows: list[list[tuple[float, tuple[str, str, str]]]] = [[]]
    x = 8.0
    legend = [(kind, svg.fit(text, w - 46, _FS), zone) for kind, text, zone in legend]
    for item in legend:
        item_w = (0 if item[0] == "note" else 22) + svg.text_width(item[1], _FS) + 14
        if rows[-1] and x + item_w > w - 8:
            rows.append([])
            x = 8.0
        rows[-1].append((x, item))
        x += item_w
    return rows


def legend(rows: list[list[tuple[float, tuple[str, str, str]]]]) -> str:
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
                keys.append(diamond(x + 9, y))
            elif kind == "note":
                keys.append(svg.text(x, y + 4, text, size=_FS, cls="sd-muted sd-later", fill=svg.MUTED))
                continue
            else:
                keys.append(svg.tag("rect", {"x": x, "y": y - 5, "width": 18, "height": 10, "rx": 2,
                                             "class": f"sd-{'zone' if kind == 'zone' else 'band'}-{zone}",
                                             "fill": HEALTH_COLOURS[zone],
                                             "fill-opacity": "0.35"}))
            keys.append(svg.text(x + 22, y + 4, text, size=_FS))
    return svg.tag("g", {"class": "sd-legend"}, "".join(keys))




def _clip(points: list[tuple[float, float]], x0: float, y0: float, x1: float, y1: float) -> list[tuple[float, float]]:
    """A convex polygon cut to the box [x0, x1] × [y0, y1] (Sutherland–Hodgman), in px."""
    edges = ((0, x0, 1), (0, x1, -1), (1, y0, 1), (1, y1, -1))
    for axis, limit, sign in edges:
        out = []
        for k, cur in enumerate(points):
            prev = points[k - 1]
            cur_in, prev_in = (cur[axis] - limit) * sign >= 0, (prev[axis] - limit) * sign >= 0
            if cur_in != prev_in:
                t = (limit - prev[axis]) / (cur[axis] - prev[axis])
                out.append((prev[0] + t * (cur[0] - prev[0]), prev[1] + t * (cur[1] - prev[1])))
            if cur_in:
                out.append(cur)
        points = out
        if not points:
            break
    return points


def plan_zone_paths(plot: Plot, data: Data) -> list[str]:
    """Green, amber and red zones along the planned line, cut to the plot. In a segment from p to
    the next milestone, progress reaches a cut-off c at p + c·(planned − p) (SPEC §6): green
    beyond the green line, amber up to it, red behind the amber line."""
    cg, ca = data.cutoffs
    span = plot.y_hi - plot.y_lo
    top, bottom = plot.y_hi + span, plot.y_lo - span
    shapes = []
    for (d0, p0), (d1, p1) in zip(data.plan, data.plan[1:]):
        if p1 == p0 or d1 <= d0:
            continue
        far_good, far_bad = (top, bottom) if p1 > p0 else (bottom, top)
        green = [(d0, p0), (d1, p0 + cg * (p1 - p0))]
        amber = [(d0, p0), (d1, p0 + ca * (p1 - p0))]
        for zone, pts in (("green", green + [(d1, far_good), (d0, far_good)]),
                          ("amber", amber + list(reversed(green))),
                          ("red", [(d0, far_bad), (d1, far_bad)] + list(reversed(amber)))):
            px = _clip([(plot.x(d), plot.y(v)) for d, v in pts], plot.left, plot.top, plot.right, plot.bottom)
            if len(px) < 3:
                continue
            path = "M" + " L".join(f"{coord(x)},{coord(y)}" for x, y in px) + " Z"
            shapes.append(svg.tag("path", {"d": path, "class": f"sd-zone-{zone} sd-plan-zone",
                                           "fill": HEALTH_COLOURS[zone],
                                           "fill-opacity": svg.BAND_OPACITY[zone]}))
    return shapes
