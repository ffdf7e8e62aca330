"""The balanced-scorecard strategy map: perspective bands, objective cards, cause-and-effect arrows."""

from __future__ import annotations

import math
from dataclasses import dataclass

from markupsafe import Markup

from stratdocs.health import HEALTH_WORDS
from stratdocs.render.charts import svg
from stratdocs.render.charts.words import _
from stratdocs.render.charts.svg import HEALTH_COLOURS, coord

_BOX_H = 84.0
_BAR_H = 6.0
_MARGIN = 8.0
_HEAD_W = 128.0   # the band's name column
_GAP = 16.0       # between the name column and the cards, and between cards
_ROW_GAP = 26.0   # between rows of cards in one band
_BAND_PAD = 22.0
_BAND_GAP = 6.0
#: The smallest text of the map, in px of its viewBox: printed at 8 pt or more when the PDF
#: places the 900 px map at least 8/11 of a pt per px wide (a landscape page does; issue #11).
_SMALLEST = 11.0
#: Cause-and-effect links (`enables:`) are dashed with an open arrowhead, so they read apart from
#: the solid sub-objective arrows in greyscale too.
_DASH = "5 3"


@dataclass(frozen=True)
class _Grid:
    """The map's width, the width the cards share, the cards per row and one card's width."""

    w: float
    avail: float
    max_cols: int
    bw: float


def _box(obj: dict, x: float, y: float, bw: float) -> tuple[str, str]:
    """One objective card; returns (svg, accessible description)."""
    oid, title = svg.clean(obj.get("id")), svg.clean(obj.get("title"))
    h = svg.health_key(obj.get("health"))
    word = _(HEALTH_WORDS[h])
    colour = HEALTH_COLOURS[h]
    r = 6.0
    parts = [svg.tag("rect", {"x": x, "y": y, "width": bw, "height": _BOX_H, "rx": r, "class": "sd-box",
                              "fill": "#ffffff", "stroke": "#d0d7de", "stroke-width": "1"})]
    bar = (f"M{coord(x)},{coord(y + _BAR_H)} V{coord(y + r)} A{coord(r)},{coord(r)} 0 0 1 "
           f"{coord(x + r)},{coord(y)} H{coord(x + bw - r)} A{coord(r)},{coord(r)} 0 0 1 "
           f"{coord(x + bw)},{coord(y + r)} V{coord(y + _BAR_H)} Z")
    parts.append(svg.tag("path", {"d": bar, "class": f"sd-health-{h}", "fill": colour}))
    word_w = svg.text_width(word.upper(), _SMALLEST, bold=True)
    parts.append(svg.text(x + bw - 10, y + 22, word.upper(), size=_SMALLEST, cls=f"sd-health-{h}",
                          fill=colour, anchor="end", weight="bold"))
    parts.append(svg.text(x + 10, y + 22, svg.fit(oid, bw - 28 - word_w, 11, bold=True), size=11,
                          cls="sd-muted", fill=svg.MUTED, weight="bold"))
    for i, line in enumerate(svg.wrap(title, bw - 20, 12, 3)):
        parts.append(svg.text(x + 10, y + 41 + i * 15, line, size=12))
    desc = (_("%(id)s: %(title)s (health: %(health)s)") % {"id": oid, "title": title, "health": word} if title
            else _("%(id)s (health: %(health)s)") % {"id": oid, "health": word})
    inner = svg.title(desc) + "".join(parts)
    href = svg.safe_href(obj.get("href"))
    if href:
        # Both forms: SVG 2 readers use href, SVG 1.1 readers only know xlink:href. No
        # aria-label: the <title> (the full title, also the tooltip) starts with the visible id
        # and title, so what is said matches what is seen (WCAG 2.5.3).
        return svg.tag("a", {"href": href, "xlink:href": href, "class": "sd-objective"}, inner), desc
    return svg.tag("g", {"class": "sd-objective"}, inner), desc


def _arrow_path(x1: float, y1: float, x2: float, y2: float, kind: str, dashed: bool = False) -> str:
    """A curve from (x1, y1) to an arrowhead at (x2, y2): ``v`` leaves and enters vertically,
    ``h`` horizontally, ``arc`` rises above both points and comes down onto the target.
    ``dashed``: a cause-and-effect link (dashed line, open arrowhead)."""
    n = coord
    head = 7.0
    if kind == "h":
        sx = 1 if x2 > x1 else -1
        ex = x2 - sx * head
        mid = (x1 + ex) / 2
        curve = f"M{n(x1)},{n(y1)} C{n(mid)},{n(y1)} {n(mid)},{n(y2)} {n(ex)},{n(y2)}"
        tip = f"M{n(x2)},{n(y2)} L{n(ex)},{n(y2 - head / 2)} L{n(ex)},{n(y2 + head / 2)} Z"
    else:
        if kind == "arc":
            ey = y2 - head
            c1, c2 = y1 - 26, ey - 22
        else:
            ey = y2 - (1 if y2 > y1 else -1) * head
            c1 = c2 = (y1 + ey) / 2
        curve = f"M{n(x1)},{n(y1)} C{n(x1)},{n(c1)} {n(x2)},{n(c2)} {n(x2)},{n(ey)}"
        tip = f"M{n(x2)},{n(y2)} L{n(x2 - head / 2)},{n(ey)} L{n(x2 + head / 2)},{n(ey)} Z"
    if dashed:
        return (svg.tag("path", {"d": curve, "class": "sd-link sd-cause", "fill": "none", "stroke": svg.LINK,
                                 "stroke-width": "1.5", "stroke-dasharray": _DASH})
                + svg.tag("path", {"d": tip, "class": "sd-arrow sd-cause", "fill": "#ffffff", "stroke": svg.LINK,
                                   "stroke-width": "1.2"}))
    return (svg.tag("path", {"d": curve, "class": "sd-link", "fill": "none", "stroke": svg.LINK,
                             "stroke-width": "1.5"})
            + svg.tag("path", {"d": tip, "class": "sd-arrow", "fill": svg.LINK}))


def _band_frame(name: str, objs: list[dict], y: float, band_h: float, grid: _Grid) -> list[str]:
    """A band's background, its name column (wrapped name) and, when empty, "No objectives"."""
    out = [svg.tag("rect", {"x": _MARGIN, "y": y, "width": grid.w - 2 * _MARGIN, "height": band_h,
                            "rx": 4, "class": "sd-band-bg", "fill": "#f6f8fa"}),
           svg.tag("rect", {"x": _MARGIN, "y": y, "width": _HEAD_W, "height": band_h,
                            "rx": 4, "class": "sd-band-head", "fill": "#eaeef2"})]
    lines = svg.wrap(name, _HEAD_W - 20, 12.5, 3, bold=True)
    for i, line in enumerate(lines):
        ly = y + band_h / 2 - (len(lines) - 1) * 8 + i * 16 + 4.5
        out.append(svg.text(_MARGIN + 12, ly, line, size=12.5, weight="bold"))
    if not objs:
        x0 = _MARGIN + _HEAD_W + _GAP
        out.append(svg.text(x0 + grid.avail / 2, y + band_h / 2 + 4, _("No objectives"), size=11,
                            cls="sd-muted", fill=svg.MUTED, anchor="middle"))
    return out


def _bands(bands: list[tuple[str, list[dict]]], grid: _Grid):
    """Lay out every band and its cards, top to bottom.

    Returns (band svg, card svg, id -> (x, y, column) of each card, per-band descriptions, the y
    below the last band). The first card with a given id is the one links attach to.
    """
    body_bands: list[str] = []
    body_boxes: list[str] = []
    boxes: dict[str, tuple[float, float, int]] = {}
    described: list[str] = []
    y = _MARGIN
    x0 = _MARGIN + _HEAD_W + _GAP
    for name, objs in bands:
        nrows = max(1, math.ceil(len(objs) / grid.max_cols))
        band_h = 2 * _BAND_PAD + nrows * _BOX_H + (nrows - 1) * _ROW_GAP
        body_bands += _band_frame(name, objs, y, band_h, grid)
        # Rows are filled evenly (7 cards on 2 rows: 4 + 3), each row centred in the band.
        per_row = math.ceil(len(objs) / nrows) if objs else 1
        names = []
        for i, obj in enumerate(objs):
            row, col = divmod(i, per_row)
            in_row = min(per_row, len(objs) - row * per_row)
            slot = grid.avail / in_row
            bx = x0 + slot * col + (slot - grid.bw) / 2
            by = y + _BAND_PAD + row * (_BOX_H + _ROW_GAP)
            card, desc = _box(obj, bx, by, grid.bw)
            body_boxes.append(card)
            names.append(desc)
            oid = svg.clean(obj.get("id"))
            if oid and oid not in boxes:
                boxes[oid] = (bx, by, col)
        described.append(f"{name}: " + ("; ".join(names) if names else _("no objectives")))
        y += band_h + _BAND_GAP
    return body_bands, body_boxes, boxes, described, y


def _link_pairs(links, boxes: dict) -> list[tuple[str, str]]:
    """(child, parent) pairs between drawn cards, without self-links or repeats, in input order."""
    pairs: list[tuple[str, str]] = []
    for link in links or ():
        if not isinstance(link, (list, tuple)) or len(link) != 2:
            continue
        child, parent = svg.clean(link[0]), svg.clean(link[1])
        if child in boxes and parent in boxes and child != parent and (child, parent) not in pairs:
            pairs.append((child, parent))
    return pairs


def _sides(child: tuple[float, float, int], parent: tuple[float, float, int]) -> tuple[str, str]:
    """Which edge of the child card an arrow leaves and which edge of the parent it enters."""
    (cx, cy, ccol), (qx, qy, qcol) = child, parent
    if qy + _BOX_H <= cy:
        return ("top", "bottom")
    if qy >= cy + _BOX_H:
        return ("bottom", "top")
    if abs(qcol - ccol) == 1:
        return ("right", "left") if qx > cx else ("left", "right")
    return ("top", "top")  # same row, boxes in between: arc over the top of the row


def _links(pairs: list[tuple[str, str]], boxes: dict, bw: float, dashed: int = -1) -> list[str]:
    """The arrows, child -> parent; attachment points spread along each box edge to limit overlaps.
    Pairs from index `dashed` on are cause-and-effect links (-1: none)."""
    ends: dict[tuple[str, str], list[tuple[float, int, str]]] = {}
    routes = []
    for i, (child, parent) in enumerate(pairs):
        sides = _sides(boxes[child], boxes[parent])
        routes.append(sides)
        # Sorted by the other end's x, so arrows sharing an edge don't cross each other.
        ends.setdefault((child, sides[0]), []).append((boxes[parent][0], i, "s"))
        ends.setdefault((parent, sides[1]), []).append((boxes[child][0], i, "e"))
    where: dict[tuple[int, str], tuple[float, float]] = {}
    for (oid, side), items in sorted(ends.items()):
        bx, by = boxes[oid][:2]
        items.sort()
        for k, (_at, i, role) in enumerate(items):
            t = (k + 1) / (len(items) + 1)
            if side in ("top", "bottom"):
                where[(i, role)] = (bx + bw * (0.2 + 0.6 * t), by if side == "top" else by + _BOX_H)
            else:
                where[(i, role)] = (bx + (bw if side == "right" else 0), by + _BOX_H * (0.3 + 0.4 * t))
    out = []
    for i, sides in enumerate(routes):
        (x1, y1), (x2, y2) = where[(i, "s")], where[(i, "e")]
        kind = "h" if sides[0] in ("left", "right") else ("arc" if sides == ("top", "top") else "v")
        out.append(_arrow_path(x1, y1, x2, y2, kind, 0 <= dashed <= i))
    return out


def _legend(w: float, y: float, arrows: bool, causes: bool = False) -> tuple[str, float]:
    """The health words beside their colours, and what each kind of arrow means; wraps if narrow.

    Returns the legend group and the map's total height.
    """
    items = ([(_(HEALTH_WORDS[h]), h) for h in HEALTH_COLOURS] + ([(_("contributes to"), "")] if arrows else [])
             + ([(_("enables"), "cause")] if causes else []))
    legend = []
    x, ly = _MARGIN + 4, y + 10
    for label, h in items:
        key_w = 19 if h and h != "cause" else 36
        if x > _MARGIN + 4 and x + key_w + svg.text_width(label, 11) > w - _MARGIN:
            x, ly = _MARGIN + 4, ly + 18
        if h == "cause":
            legend.append(_arrow_path(x, ly - 1, x + 28, ly - 1, "h", dashed=True))
        elif h:
            legend.append(svg.tag("rect", {"x": x, "y": ly - 4, "width": 14, "height": 6, "rx": 2,
                                           "class": f"sd-health-{h}", "fill": HEALTH_COLOURS[h]}))
        else:
            legend.append(_arrow_path(x, ly - 1, x + 28, ly - 1, "h"))
        legend.append(svg.text(x + key_w, ly + 3, label, size=_SMALLEST, cls="sd-muted", fill=svg.MUTED))
        x += key_w + svg.text_width(label, _SMALLEST) + 16
    return svg.tag("g", {"class": "sd-legend"}, "".join(legend)), ly + 14


def strategy_map(*, perspectives: list[tuple[str, list[dict]]], links: list[tuple[str, str]],
                 width=900, causes: list[tuple[str, str]] = ()) -> Markup:
    """A balanced-scorecard strategy map: one band per perspective, objective cards linking to
    their pages (id, wrapped title, health word and bar), and cause-and-effect arrows drawn from
    each child objective to its parent. Unknown ids in ``links`` are ignored.

    :param perspectives: (perspective name, objectives) per band, top to bottom; each objective
        is a dict with ``id``, ``title``, ``health`` and ``href`` (unsafe links are dropped).
    :param links: (child id, parent id) pairs: the child contributes to the parent.
    :param causes: (cause id, effect id) pairs (`enables:`), drawn dashed: the cause-and-effect
        links between perspectives.
    :param width: the width of the viewBox in px (at least 360); the SVG scales to its container.
    """
    w = max(float(width), 360.0)
    avail = w - 2 * _MARGIN - _HEAD_W - 2 * _GAP
    bands = [(svg.clean(name), [o for o in objs or () if isinstance(o, dict)])
             for name, objs in perspectives or ()]
    most = max([len(objs) for _, objs in bands] + [1])
    # Up to five cards of at least 150 px per row; fewer, wider cards when no band needs more.
    max_cols = max(1, min(5, int((avail + _GAP) // (150 + _GAP))))
    cols = min(max_cols, most)
    grid = _Grid(w, avail, max_cols, min(220.0, (avail - _GAP * (cols - 1)) / cols))

    body_bands, body_boxes, boxes, described, y = _bands(bands, grid)
    pairs = _link_pairs(links, boxes)
    cause_pairs = [p for p in _link_pairs(causes, boxes) if p not in pairs]
    body_links = _links(pairs + cause_pairs, boxes, grid.bw, len(pairs) if cause_pairs else -1)
    key, height = _legend(w, y, bool(pairs), bool(cause_pairs))
    label = _("Strategy map.") + " " + ". ".join(described)
    if pairs:
        label += ". " + _("Links: %(links)s") % {"links": "; ".join(_("%(child)s contributes to %(parent)s") % {"child": c, "parent": p} for c, p in pairs)}
    if cause_pairs:
        label += ". " + _("Cause and effect: %(links)s") % {"links": "; ".join(_("%(cause)s enables %(effect)s") % {"cause": c, "effect": e} for c, e in cause_pairs)}
    # Arrows go under the cards, so they never hide a card's text.
    # A group, not an image: an image's children are hidden from assistive technology, so
    # links inside one are "nested interactive" content (axe-core).
    return svg.document("sd-strategy-map", w, height, label,
                        body_bands + body_links + body_boxes + [key], links=True, role="group")
