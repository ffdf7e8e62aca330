"""A horizontal bar for a share done (an initiative's progress, or its spend against budget),
with an optional marker for where the plan says it should be by now.

The bar is drawn in neutral ink, not a health colour: health is printed as a word beside it by
the page, and the bar reads the same in greyscale. The figures are in the ``aria-label``.
"""

from __future__ import annotations

from markupsafe import Markup

from stratdocs.render.charts import svg

_TRACK = "#e4e8ec"
_FILL = "#2f4f73"
_MARK = "#1f2328"
_OVER = "#c62828"


def progress_bar(*, share: float | None, label: str, marker: float | None = None, width: float = 240,
                 height: float = 14) -> Markup:
    """A bar filled to `share` (0..1; above 1 the overrun is hatched in red to the end of the bar).

    :param share: how much is done or spent, as a share of the whole; None draws an empty track.
    :param label: the accessible name: the figures in words ("48% done; 44% of the time elapsed").
    :param marker: where the plan is by now, as a share (a vertical tick), or None.
    """
    w, h = max(float(width), 40.0), max(float(height), 6.0)
    body = [svg.tag("rect", {"x": 0.0, "y": 2.0, "width": w, "height": h - 4, "rx": 2.0, "fill": _TRACK,
                             "class": "sd-track"})]
    if share is not None and share > 0:
        done = min(share, 1.0) * w
        body.append(svg.tag("rect", {"x": 0.0, "y": 2.0, "width": done, "height": h - 4, "rx": 2.0,
                                     "fill": _FILL, "class": "sd-done"}))
        if share > 1:
            body.append(svg.tag("rect", {"x": w - 6, "y": 2.0, "width": 6.0, "height": h - 4, "fill": _OVER,
                                         "class": "sd-over"}))
    if marker is not None:
        x = min(max(marker, 0.0), 1.0) * (w - 2) + 1
        body.append(svg.tag("line", {"x1": x, "y1": 0.0, "x2": x, "y2": h, "stroke": _MARK, "stroke-width": "2",
                                     "class": "sd-planned"}))
    return svg.document("sd-progress", w, h, svg.clean(label), body, fixed=True)
