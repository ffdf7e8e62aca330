"""SVG primitives shared by the charts: text cleaning and measuring, tags, colours, safe links.

Output is deterministic: coordinates are printed with one decimal, there are no generated ids and
nothing depends on the clock or locale.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date, datetime

from markupsafe import Markup, escape

HEALTH_COLOURS = {"green": "#1a7f37", "amber": "#b26b00", "red": "#c62828", "no-data": "#6e7781"}

TEXT = "#1f2328"
MUTED = "#59636e"
GRID = "#e4e8ec"
AXIS = "#8c959f"
ACTUAL = "#0b57d0"
PLAN = "#6e7781"
TARGET = "#2f363d"
LINK = "#8c959f"
BAND_OPACITY = {"green": "0.11", "amber": "0.13", "red": "0.08"}
FONT = "'Stratdocs Sans', system-ui, -apple-system, 'Segoe UI', Helvetica, Arial, sans-serif"
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")

_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff\ufffe\uffff]")
_SCHEME = re.compile(r"^([a-zA-Z][a-zA-Z0-9+.-]*):")


def clean(text: object) -> str:
    """User text as one line without characters XML 1.0 cannot hold (escaping comes later)."""
    return " ".join(_XML_INVALID.sub("", "" if text is None else str(text)).split())


def coord(x: float) -> str:
    """A coordinate with fixed precision, so output is byte-identical across runs."""
    s = f"{x:.1f}"
    return "0.0" if s == "-0.0" else s


def attribute(value: object) -> str:
    """An attribute value escaped as `markupsafe.escape` does (the same bytes), without making a
    `Markup` for the plain strings and numbers charts are made of (half a million at 10,000 items)."""
    kind = type(value)
    if kind is float:
        return coord(value)
    if kind is int:
        return str(value)
    if kind is str:
        return value.replace("&", "&amp;").replace(">", "&gt;").replace("<", "&lt;").replace(
            "'", "&#39;").replace('"', "&#34;")
    return str(escape(value))


def tag(name: str, attrs: dict, content: str | None = None) -> str:
    """An element; ``None`` attributes are left out, floats printed with :func:`coord`."""
    parts = [name]
    for key, value in attrs.items():
        if value is not None:
            parts.append(f'{key}="{attribute(value)}"')
    head = "<" + " ".join(parts)
    return head + "/>" if content is None else f"{head}>{content}</{name}>"


def text(x: float, y: float, s: str, *, size: float = 11, cls: str = "sd-text", fill: str = TEXT,
         anchor: str = "start", weight: str | None = None) -> str:
    """A ``<text>`` element holding ``s`` (escaped)."""
    return tag("text", {"x": x, "y": y, "class": cls, "fill": fill, "font-size": coord(size),
                        "text-anchor": None if anchor == "start" else anchor,
                        "font-weight": weight}, str(escape(s)))


def title(s: str) -> str:
    """A ``<title>`` element: the tooltip and accessible name of its parent."""
    return f"<title>{escape(s)}</title>"


def document(kind: str, width: float, height: float, label: str, body: list[str], *,
             fixed: bool = False, links: bool = False, role: str = "img") -> Markup:
    """The whole ``<svg>``: ``label`` is both its ``aria-label`` and its ``<title>``; ``fixed``
    gives it a fixed size instead of the container's width; ``links`` declares ``xlink``; ``role``
    is `img`, or `group` for a chart holding links."""
    attrs = {"xmlns": "http://www.w3.org/2000/svg",
             "xmlns:xlink": "http://www.w3.org/1999/xlink" if links else None,
             "class": f"sd-chart {kind}", "viewBox": f"0 0 {coord(width)} {coord(height)}",
             "width": coord(width) if fixed else "100%", "height": coord(height) if fixed else None,
             "role": role, "aria-label": label, "font-family": FONT}
    return Markup(tag("svg", attrs, title(label) + "".join(body)))


def health_key(value: object) -> str:
    """A health value as a key of ``HEALTH_COLOURS``; anything unknown is "no-data"."""
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


def text_width(s: str, size: float, bold: bool = False) -> float:
    """Advance width of ``s`` at ``size`` px, measured generously so labels don't overflow."""
    units = 0
    for ch in s:
        code = ord(ch)
        if 32 <= code < 127:
            units += _ASCII_WIDTHS[code - 32]
        else:
            units += 1000 if unicodedata.east_asian_width(ch) in ("W", "F") else 840
    return units / 1000 * size * (1.16 if bold else 1.0)


def ellipsize(s: str, max_w: float, size: float, bold: bool = False) -> str:
    """``s`` shortened as needed and ended with an ellipsis, fitting ``max_w``."""
    while s and text_width(s.rstrip() + "…", size, bold) > max_w:
        s = s[:-1]
    return s.rstrip() + "…"


def fit(s: str, max_w: float, size: float, bold: bool = False) -> str:
    """``s`` unchanged if it fits ``max_w``, else truncated with an ellipsis."""
    return s if text_width(s, size, bold) <= max_w else ellipsize(s, max_w, size, bold)


def wrap(s: str, max_w: float, size: float, max_lines: int, bold: bool = False) -> list[str]:
    """Greedy word wrap; words too long for a line are broken; overflow ends in an ellipsis."""
    lines: list[str] = []
    cur = ""
    for word in s.split():
        while text_width(word, size, bold) > max_w and len(word) > 1:
            cut = len(word) - 1
            while cut > 1 and text_width(word[:cut], size, bold) > max_w:
                cut -= 1
            if cur:
                lines.append(cur)
                cur = ""
            lines.append(word[:cut])
            word = word[cut:]
        candidate = f"{cur} {word}" if cur else word
        if cur and text_width(candidate, size, bold) > max_w:
            lines.append(cur)
            cur = word
        else:
            cur = candidate
    if cur:
        lines.append(cur)
    if len(lines) > max_lines:
        lines = lines[:max_lines - 1] + [ellipsize(lines[max_lines - 1], max_w, size, bold)]
    return lines


def safe_href(href: object) -> str | None:
    """Relative, ``#``, http(s) and mailto links only (SPEC §12); anything else is dropped."""
    h = clean(href)
    scheme = _SCHEME.match(re.sub(r"[\x00-\x20]", "", h))
    if not h or (scheme and scheme.group(1).lower() not in ("http", "https", "mailto")):
        return None
    return h


def num(v: object) -> float | None:
    """A plottable number: finite, not a bool, and not so large that arithmetic overflows."""
    if isinstance(v, (int, float)) and not isinstance(v, bool) and abs(v) <= 1e300:
        return float(v)  # NaN fails the comparison above
    return None


def points(pts) -> list[tuple[date, float]]:
    """Finite points sorted by date (stable, so ties keep their input order)."""
    out = []
    for d, v in pts or ():
        if isinstance(d, datetime):
            d = d.date()
        if isinstance(d, date) and num(v) is not None:
            out.append((d, float(v)))
    return sorted(out, key=lambda p: p[0])


def short_date(d: date) -> str:
    """A date as "1 Mar 2025", the same in every locale."""
    return f"{d.day} {MONTHS[d.month - 1]} {d.year}"
