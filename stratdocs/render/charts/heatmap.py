"""The 5×5 risk heat map: likelihood across, impact up, each cell with its count and risk ids.

Severity is never shown by colour alone: every cell prints its score (likelihood × impact), the
fills step clearly in lightness (legible in greyscale), high cells are also hatched, and the
legend names each band with its scores. Risk ids are links (``href`` as the caller gives them,
filtered by `svg.safe_href`); there is no script and no generated id but the hatch pattern's,
which is fixed and the same in every heat map, so two on one page do not conflict.
"""

from __future__ import annotations

from markupsafe import Markup

from stratdocs.i18n import N_
from stratdocs.render.charts import svg
from stratdocs.render.charts.words import _

#: Fill and text colour of each band, lightness well apart so greyscale keeps them distinct.
BAND_STYLE = {"high": ("#b3261e", "#ffffff"), "elevated": ("#f2a65a", "#1f2328"),
              "medium": ("#f5d76e", "#1f2328"), "low": ("#eef3ea", "#1f2328")}
CELL_W, CELL_H = 150.0, 80.0
LEFT, TOP, GAP = 64.0, 12.0, 3.0
LEGEND_H = 50.0
ID_LINES, ID_SIZE, MIN_ID_SIZE, ID_GAP, LINE_H = 3, 10.5, 8.5, 9.0, 14.0
AXIS_WORDS = (N_("very low"), N_("low"), N_("medium"), N_("high"), N_("very high"))
#: The bands' names, as the legend and tooltips print them.
BAND_WORDS = {"high": N_("high"), "elevated": N_("elevated"), "medium": N_("medium"), "low": N_("low")}


def heatmap(*, cells: list[tuple[int, int, str, list[tuple[str, str, str]]]], bands: list[tuple[str, str]],
            label: str) -> Markup:
    """The heat map.

    :param cells: one per (likelihood, impact) with 1–5 each: `(likelihood, impact, band, risks)`,
        `band` a key of `BAND_STYLE`, `risks` a list of `(id, title, href)` in the order shown.
    :param bands: the legend, `(band, scores)` from the most severe (`("high", "15–25")`).
    :param label: the accessible name (and tooltip) of the whole chart.
    """
    width = LEFT + 5 * CELL_W + 8
    grid_h = 5 * CELL_H
    height = TOP + grid_h + 44 + LEGEND_H
    body = [_hatch()]
    for likelihood, impact, band, risks in cells:
        body.append(_cell(likelihood, impact, band, risks))
    body += _axes(grid_h)
    body += _legend(bands, TOP + grid_h + 44)
    return svg.document("sd-heatmap", width, height, label, body, links=True, role="group")


def _hatch() -> str:
    lines = svg.tag("path", {"d": "M0,8 L8,0", "stroke": "#ffffff", "stroke-width": "1.4", "stroke-opacity": "0.45"})
    pattern = svg.tag("pattern", {"id": "sd-heat-hatch", "width": "8", "height": "8",
                                  "patternUnits": "userSpaceOnUse"}, lines)
    return svg.tag("defs", {}, pattern)


def _cell(likelihood: int, impact: int, band: str, risks: list[tuple[str, str, str]]) -> str:
    fill, ink = BAND_STYLE[band]
    x = LEFT + (likelihood - 1) * CELL_W
    y = TOP + (5 - impact) * CELL_H
    w, h = CELL_W - GAP, CELL_H - GAP
    score = likelihood * impact
    parts = [svg.tag("rect", {"x": x, "y": y, "width": w, "height": h, "fill": fill, "rx": "3",
                              "class": f"sd-heat-{band}"})]
    if band == "high":
        parts.append(svg.tag("rect", {"x": x, "y": y, "width": w, "height": h, "fill": "url(#sd-heat-hatch)", "rx": "3"}))
    parts.append(svg.text(x + 6, y + 14, f"{score}", size=9.5, fill=ink, cls="sd-heat-score"))
    count = len(risks)
    if count:
        parts.append(svg.text(x + w - 8, y + 20, str(count), size=17, fill=ink, anchor="end", weight="bold",
                              cls="sd-heat-count"))
    parts += _ids(risks, x + 6, y + 36, ink)
    names = ", ".join(r[0] for r in risks) if risks else _("no risks")
    tip = _("likelihood %(likelihood)s × impact %(impact)s = %(score)s, %(band)s: %(names)s") % {
        "likelihood": likelihood, "impact": impact, "score": score, "band": _(BAND_WORDS.get(band, band)), "names": names}
    return svg.tag("g", {"class": "sd-heat-cell"}, svg.title(tip) + "".join(parts))


def _ids(risks: list[tuple[str, str, str]], x: float, y: float, ink: str) -> list[str]:
    """The risk ids of a cell, flowing left to right over `ID_LINES` lines, then "+N more"."""
    out: list[str] = []
    room = CELL_W - GAP - 12
    cx, line = x, 0
    for n, (risk_id, title, href) in enumerate(risks):
        name = svg.clean(risk_id)
        full = svg.text_width(name, ID_SIZE, bold=True)
        size = max(MIN_ID_SIZE, min(ID_SIZE, ID_SIZE * room / full))  # long ids shrink a little, then cut
        width = min(room, svg.text_width(name, size, bold=True))
        if cx > x and cx + width > x + room:
            cx, line = x, line + 1
        last_line = line == ID_LINES - 1
        rest = len(risks) - n
        if line >= ID_LINES or (last_line and rest > 1 and cx + width + 30 > x + room):
            out.append(svg.text(cx, y + min(line, ID_LINES - 1) * LINE_H, _("+%(count)s more") % {"count": rest}, size=ID_SIZE, fill=ink))
            break
        label = svg.text(cx, y + line * LINE_H, svg.fit(name, room, size, bold=True), size=size, fill=ink,
                         weight="bold", cls="sd-heat-id")
        safe = svg.safe_href(href)
        inner = svg.title(f"{name}: {svg.clean(title)}") + label
        out.append(svg.tag("a", {"href": safe, "xlink:href": safe}, inner) if safe else inner)
        cx += width + ID_GAP
    return out


def _axes(grid_h: float) -> list[str]:
    out = []
    for n in range(1, 6):
        y = TOP + (5 - n) * CELL_H + CELL_H / 2
        out.append(svg.text(LEFT - 8, y - 2, str(n), size=11, anchor="end", weight="bold"))
        out.append(svg.text(LEFT - 8, y + 11, _(AXIS_WORDS[n - 1]), size=8.5, anchor="end", fill=svg.MUTED))
        x = LEFT + (n - 1) * CELL_W + (CELL_W - GAP) / 2
        out.append(svg.text(x, TOP + grid_h + 12, f"{n} · {_(AXIS_WORDS[n - 1])}", size=10, anchor="middle"))
    out.append(svg.text(LEFT + 5 * CELL_W / 2, TOP + grid_h + 30, _("Likelihood →"), size=11, anchor="middle",
                        weight="bold"))
    out.append(svg.tag("text", {"x": 12.0, "y": TOP + grid_h / 2, "font-size": "11", "font-weight": "bold",
                                "fill": svg.TEXT, "text-anchor": "middle",
                                "transform": f"rotate(-90 12.0 {svg.coord(TOP + grid_h / 2)})"}, _("Impact →")))
    return out


def _legend(bands: list[tuple[str, str]], y: float) -> list[str]:
    out, x = [], LEFT
    for band, scores in bands:
        fill = BAND_STYLE[band][0]
        out.append(svg.tag("rect", {"x": x, "y": y, "width": 22.0, "height": 14.0, "fill": fill, "rx": "2",
                                    "stroke": svg.AXIS, "stroke-width": "0.6"}))
        if band == "high":
            out.append(svg.tag("rect", {"x": x, "y": y, "width": 22.0, "height": 14.0, "fill": "url(#sd-heat-hatch)"}))
        words = f"{_(BAND_WORDS.get(band, band))} ({scores})"
        out.append(svg.text(x + 28, y + 11, words, size=10.5))
        x += 34 + svg.text_width(words, 10.5)
    out.append(svg.text(LEFT, y + 32, _("Each cell: score (likelihood × impact) top left, number of risks top right, "
                          "risk ids below."), size=9.5, fill=svg.MUTED))
    return out
