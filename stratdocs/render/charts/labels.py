"""Placement of small chart labels so that they neither overlap each other nor leave the plot."""

from __future__ import annotations

from stratdocs.render.charts import svg

_Box = tuple[float, float, float, float]  # (x0, y0, x1, y1)


class LabelPlacer:
    """Greedy placement of small labels: the first candidate spot that is free and in bounds."""

    def __init__(self, bounds: _Box):
        """:param bounds: the box every label must stay inside."""
        self.bounds = bounds
        self.taken: list[_Box] = []

    def block(self, box: _Box) -> None:
        """Keep labels off ``box`` (a marker, or text written without the placer)."""
        self.taken.append(box)

    def place(self, px: float, py: float, s: str, size: float, gap: float = 9.0,
              sideways: bool = False, bold: bool = False) -> tuple[float, float, str] | None:
        """Where to write ``s`` near (px, py): (x, y, text-anchor), or None if nowhere is free.

        Tries above, below, right and left of the point, then the four corners; ``sideways``
        tries only right and left. A spot found is taken, so later labels avoid it.
        """
        w = svg.text_width(s, size, bold)
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
