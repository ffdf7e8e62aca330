"""The roadmap: initiatives and operational plans as bars across the plan period, grouped by
the strategic objective they serve, with milestones as markers and the reporting date as a line.

Health is printed as a word in its own column and as the bar's colour; the milestone states have
their own shapes (filled, hollow, triangle), so the chart reads in greyscale. Long titles are
shortened with an ellipsis; the full title is the row's ``<title>`` (its tooltip and accessible
name). No script: each row's label is a plain SVG link.
"""

from __future__ import annotations

from datetime import date

from markupsafe import Markup

from stratdocs.health import HEALTH_WORDS
from stratdocs.i18n import N_
from stratdocs.render.charts import svg
from stratdocs.render.charts import words
from stratdocs.render.charts.words import _, label_date, short_date
from stratdocs.render.charts.svg import HEALTH_COLOURS, coord

LABEL_W = 290.0
HEALTH_W = 74.0
PAD = 12.0
AXIS_H = 40.0
GROUP_H = 24.0
ROW_H = 26.0
LEGEND_H = 40.0
#: Bar fills by health: light enough that the marks on them stay visible, distinct in greyscale.
BAR_FILLS = {"green": "#a8d5b5", "amber": "#f2cf8f", "red": "#f2a7a7", "no-data": "#d0d7de"}
OPERATION_FILL = "#9fb3c8"
MILESTONE_WORDS = {"done": N_("done"), "open": N_("planned"), "overdue": N_("overdue")}


class _Scale:
    """Dates to x positions across the timeline."""

    def __init__(self, start: date, end: date, x0: float, x1: float):
        self.start, self.end, self.x0, self.x1 = start, end, x0, x1
        self.days = max((end - start).days, 1)

    def x(self, day: date) -> float:
        day = min(max(day, self.start), self.end)
        return self.x0 + (day - self.start).days / self.days * (self.x1 - self.x0)


def _axis(scale: _Scale, height: float) -> list[str]:
    """Years labelled above, quarter lines through the chart."""
    out = []
    for year in range(scale.start.year, scale.end.year + 1):
        for quarter, month in enumerate((1, 4, 7, 10)):
            day = date(year, month, 1)
            if not scale.start <= day <= scale.end:
                continue
            x = scale.x(day)
            strong = quarter == 0
            out.append(svg.tag("line", {"x1": x, "y1": AXIS_H - (14 if strong else 6), "x2": x, "y2": height,
                                        "stroke": svg.AXIS if strong else svg.GRID, "stroke-width": "1",
                                        "class": "sd-grid"}))
            if strong:
                out.append(svg.text(x + 4, AXIS_H - 18, str(year), size=12, weight="600"))
            out.append(svg.text(x + 3, AXIS_H - 4, words.quarter(day), size=10, cls="sd-muted", fill=svg.MUTED))
    return out


def _marker(x: float, y: float, state: str) -> str:
    """A milestone mark: done filled diamond, planned hollow diamond, overdue red triangle."""
    r = 5.5
    if state == "overdue":
        d = f"M{coord(x)},{coord(y - r - 1)} L{coord(x + r + 1)},{coord(y + r)} L{coord(x - r - 1)},{coord(y + r)} Z"
        return svg.tag("path", {"d": d, "fill": HEALTH_COLOURS["red"], "stroke": svg.TEXT, "stroke-width": "1",
                                "class": "sd-milestone-overdue"})
    d = f"M{coord(x)},{coord(y - r)} L{coord(x + r)},{coord(y)} L{coord(x)},{coord(y + r)} L{coord(x - r)},{coord(y)} Z"
    fill = svg.TEXT if state == "done" else "#ffffff"
    return svg.tag("path", {"d": d, "fill": fill, "stroke": svg.TEXT, "stroke-width": "1.3",
                            "class": f"sd-milestone-{state}"})


def _row(item: dict, y: float, scale: _Scale, width: float) -> list[str]:
    """One initiative or operational plan: label, bar, milestones, health word."""
    title = svg.clean(item.get("title"))
    ident = svg.clean(item.get("id"))
    health = svg.health_key(item.get("health"))
    is_initiative = item.get("kind") == "initiative"
    word = _(HEALTH_WORDS[health]) if is_initiative else "—"
    label = svg.fit(f"{ident} · {title}", LABEL_W - PAD - 8, 11)
    full = f"{item.get('label') or _('Item')} {ident}: {title}"
    if is_initiative:
        full += "; " + _("health: %(health)s") % {"health": word}
    start, end = item.get("start"), item.get("end")
    mid = y + ROW_H / 2
    body = [svg.title(full)]
    text = svg.text(PAD, mid + 4, label, size=11)
    href = svg.safe_href(item.get("href"))
    body.append(svg.tag("a", {"href": href, "xlink:href": href, "class": "sd-row-link"}, text) if href else text)
    if isinstance(start, date) and isinstance(end, date):
        x0, x1 = scale.x(start), scale.x(end)
        bar_h = 14.0 if is_initiative else 8.0
        fill = BAR_FILLS[health] if is_initiative else OPERATION_FILL
        body.append(svg.tag("rect", {"x": x0, "y": mid - bar_h / 2, "width": max(x1 - x0, 2.0), "height": bar_h,
                                     "rx": 3.0, "fill": fill, "stroke": HEALTH_COLOURS[health] if is_initiative
                                     else "#57606a", "stroke-width": "1", "class": f"sd-bar sd-bar-{health}"}))
    for m in item.get("milestones") or ():
        day = m.get("date")
        if not isinstance(day, date):
            continue
        state = m.get("state") if m.get("state") in MILESTONE_WORDS else "open"
        mark = _marker(scale.x(day), mid, state)
        name = _("Milestone %(id)s: %(title)s, due %(day)s, %(state)s") % {
            "id": svg.clean(m.get("id")), "title": svg.clean(m.get("title")), "day": label_date(day),
            "state": _(MILESTONE_WORDS[state])}
        body.append(svg.tag("g", {"class": "sd-milestone"}, svg.title(name) + mark))
    if is_initiative:
        body.append(svg.text(width - HEALTH_W + 6, mid + 4, word, size=11, weight="600",
                             fill=HEALTH_COLOURS[health], cls=f"sd-health-word sd-health-{health}"))
    return [svg.tag("g", {"class": "sd-roadmap-row"}, "".join(body))]


def _legend(y: float, width: float) -> list[str]:
    out = []
    x = PAD
    for state, word in (("done", _("milestone done")), ("open", _("milestone planned")), ("overdue", _("milestone overdue"))):
        out.append(_marker(x + 6, y + 10, state))
        out.append(svg.text(x + 16, y + 14, word, size=10.5, cls="sd-muted", fill=svg.MUTED))
        x += 30 + svg.text_width(word, 10.5)
    out.append(svg.tag("rect", {"x": x, "y": y + 4, "width": 26.0, "height": 12.0, "rx": 3.0,
                                "fill": BAR_FILLS["green"], "stroke": HEALTH_COLOURS["green"]}))
    key_text = _("initiative (health as word at right)")
    out.append(svg.text(x + 32, y + 14, key_text, size=10.5, cls="sd-muted", fill=svg.MUTED))
    x += 44 + svg.text_width(key_text, 10.5)
    out.append(svg.tag("rect", {"x": x, "y": y + 6, "width": 26.0, "height": 8.0, "rx": 3.0,
                                "fill": OPERATION_FILL, "stroke": "#57606a"}))
    operation = _("operational plan")
    out.append(svg.text(x + 32, y + 14, operation, size=10.5, cls="sd-muted", fill=svg.MUTED))
    x += max(150.0, 32 + svg.text_width(operation, 10.5) + 14)  # room for the words of any language
    out.append(svg.tag("line", {"x1": x, "y1": y + 2, "x2": x, "y2": y + 18,
                                "stroke": svg.TARGET, "stroke-width": "2", "stroke-dasharray": "4 3"}))
    out.append(svg.text(x + 6, y + 14, _("reporting date"), size=10.5, cls="sd-muted", fill=svg.MUTED))
    return out


def roadmap(*, start: date, end: date, as_of: date, groups: list[tuple[str, list[dict]]],
            width: float = 1000, fixed: bool = False) -> Markup:
    """The roadmap SVG.

    :param start: the first and `end` the last day of the timeline (the plan period).
    :param as_of: the reporting date, drawn as a dashed line when inside the period.
    :param groups: (heading, rows) in order; a row is a dict with ``id``, ``title``, ``kind``
        (`initiative` or `operation`), ``label`` (the kind in words), ``href``, ``start``, ``end``
        (dates), ``health`` and ``milestones`` (dicts with ``id``, ``title``, ``date`` and
        ``state``: `done`, `open` or `overdue`).
    :param width: the width of the drawing in px.
    :param fixed: drawn at its own size (the site: text stays at its size, the chart scrolls
        sideways in a narrow window) rather than scaled to its container (PDF pages).
    """
    w = max(float(width), LABEL_W + HEALTH_W + 200)
    if end <= start:
        end = date.fromordinal(start.toordinal() + 1)
    scale = _Scale(start, end, LABEL_W, w - HEALTH_W - 8)
    rows = sum(1 + len(items) for _, items in groups)
    height = AXIS_H + sum(GROUP_H + ROW_H * len(items) for _, items in groups) + 8
    body = _axis(scale, height)
    y = AXIS_H
    for heading, items in groups:
        body.append(svg.tag("rect", {"x": 0.0, "y": y + 2, "width": w, "height": GROUP_H - 4, "fill": "#f3f5f8",
                                     "class": "sd-group"}))
        body.append(svg.text(PAD, y + GROUP_H / 2 + 4, svg.fit(svg.clean(heading), w - 2 * PAD, 11.5, bold=True),
                             size=11.5, weight="700"))
        y += GROUP_H
        for item in items:
            body += _row(item, y, scale, w)
            y += ROW_H
    if start <= as_of <= end:
        x = scale.x(as_of)
        body.append(svg.tag("line", {"x1": x, "y1": AXIS_H - 2, "x2": x, "y2": height, "stroke": svg.TARGET,
                                     "stroke-width": "2", "stroke-dasharray": "4 3", "class": "sd-as-of"}))
        tag_text = _("as of %(day)s") % {"day": short_date(as_of)}
        anchor = "end" if x > w - HEALTH_W - 120 else "start"
        body.append(svg.text(x + (-4 if anchor == "end" else 4), 11, tag_text, size=10, weight="600", anchor=anchor))
    body += _legend(height + 6, w)
    label = _("Roadmap %(start)s to %(end)s: %(items)s initiatives and operational plans in %(groups)s groups, "
              "as of %(day)s") % {"start": label_date(start), "end": label_date(end), "items": rows - len(groups),
                                  "groups": len(groups), "day": label_date(as_of)}
    return svg.document("sd-roadmap", w, height + LEGEND_H, label, body, fixed=fixed, links=True, role="group")
