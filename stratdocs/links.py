"""References written in Markdown bodies: ``[[ID]]`` / ``[[ID|text]]``, relative file links and images.

One pattern and one scanner for the model side (`schema` turns them into `Ref`s and findings) and
the Markdown renderer (which turns ``[[ID]]`` into a link). This module imports no rendering.

Bodies come from untrusted pull requests, so every pattern here runs in linear time: no pattern
can scan past the next bracket, quote or line end once it has started, and the repetitions that
could backtrack are possessive (``*+``). ``'[a](' * 30000`` or 100,000 ``[`` scan in milliseconds.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

from stratdocs.model import Ref

#: ``[[ID]]`` or ``[[ID|text]]``: group 1 the id, group 2 the optional text.
WIKILINK_RE = r"\[\[([^\[\]|\n]+?)(?:\|([^\[\]\n]*))?\]\]"

_LINK_RE = re.compile(WIKILINK_RE)
_FENCE_RE = re.compile(r"^(```|~~~).*?^\1[^\n]*$", re.MULTILINE | re.DOTALL)
_CODE_RE = re.compile(r"`[^`\n]*`")
#: link text: brackets nested one level deep, never past the line or another bracket
_TEXT = r"\[((?:[^\[\]\n]++|\[[^\[\]\n]*+\])*+)\]"
_TITLE = r"""(?:\s++(?:"[^"\n]*+"|'[^'\n]*+'|\([^()\n]*+\)))?+"""
_MDLINK_RE = re.compile(r"(!?)" + _TEXT + r"\(\s*+(?:<([^<>\n]*+)>|([^\s()<>]++))" + _TITLE + r"\s*+\)")
#: ``![alt][ref]``, ``![ref][]`` and ``![ref]``: group 1 the alt text, group 2 the label (if any)
_IMAGE_REF_RE = re.compile(r"!" + _TEXT + r"(?:\[([^\[\]\n]*+)\])?+(?![(:])")
#: ``[label]: url`` (a footnote ``[^1]: text`` is not a link definition)
_REFDEF_RE = re.compile(r"^ {0,3}\[(?!\^)([^\[\]\n]++)\]:[ \t]*+<?([^\s<>]++)>?", re.MULTILINE)
_IMG_TAG_RE = re.compile(r"<img\b[^<>]*?\bsrc\s*=\s*(?:\"([^\"<>]*)\"|'([^'<>]*)'|([^\s\"'<>`=]+))", re.IGNORECASE)
_TAB_NEWLINE_RE = re.compile(r"[\t\n\r]")
_SCHEME_RE = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")


@dataclass(frozen=True, slots=True)
class Image:
    """An image in a body that would load from outside the site: its URL and position in the file."""

    url: str
    line: int
    col: int


def mask_code(body: str, fill: str = " ") -> str:
    """`body` with fenced code and code spans blanked out with `fill` (same length, same lines)."""
    masked = _FENCE_RE.sub(lambda m: re.sub(r"[^\n]", fill, m[0]), body)
    return _CODE_RE.sub(lambda m: fill * len(m[0]), masked)


def body_links(body: str, body_line: int) -> list[Ref]:
    """`[[ID]]` links (key ``link``) and relative file links (key ``file``) in a Markdown body,
    outside code.

    :param body: the Markdown text.
    :param body_line: the line of the file where the body starts, so refs carry file lines.
    """
    masked = mask_code(body)
    refs = []
    for match in _LINK_RE.finditer(masked):
        refs.append(Ref("link", match[1].strip(), *position(masked, match.start(), body_line)))
    targets = [(m[3] if m[3] is not None else m[4], m.start(3) if m[3] is not None else m.start(4))
               for m in _MDLINK_RE.finditer(masked)]
    targets += [(m[2], m.start(2)) for m in _REFDEF_RE.finditer(masked)]
    for url, offset in targets:
        if not url or external(url):
            continue
        path = url.split("#", 1)[0].split("?", 1)[0]
        if path:
            refs.append(Ref("file", path, *position(masked, offset, body_line)))
    return refs


def external(url: str) -> bool:
    """Whether `url` leaves the content folder's links: a scheme, ``//host``, ``/path`` or ``#anchor``.

    Read as a browser reads it (WHATWG URL): tabs and newlines anywhere are removed and spaces
    and control characters at either end stripped, so ``ht\ttp://host`` is external too.
    """
    url = _browser_view(url)
    return url.startswith(("#", "/", "\\")) or bool(_SCHEME_RE.match(url))


def _browser_view(url: str) -> str:
    return _TAB_NEWLINE_RE.sub("", url).strip("".join(map(chr, range(33))))


def outside_images(body: str, body_line: int) -> list[Image]:
    """Images of a body that would load from outside the site (``http(s)``, ``//host``, ``/path``,
    any other scheme): inline, reference-style (``![x][ref]``) and raw ``<img src>``, outside code.
    The renderer shows each as a plain link instead.

    :param body: the Markdown text; `body_line` the line of the file where it starts.
    """
    masked = mask_code(body)
    found: list[tuple[str, int]] = []
    for m in _MDLINK_RE.finditer(masked):
        if m[1]:
            found.append((m[3] if m[3] is not None else m[4], m.start(0)))
    labels = {m[1].strip().lower(): m[2] for m in _REFDEF_RE.finditer(masked)}
    for m in _IMAGE_REF_RE.finditer(masked):
        label = (m[2] or m[1]).strip().lower()
        if label in labels:
            found.append((labels[label], m.start(0)))
    for m in _IMG_TAG_RE.finditer(masked):
        found.append((html.unescape(next(g for g in m.groups() if g is not None)), m.start(0)))
    return [Image(url.strip(), *position(masked, offset, body_line))
            for url, offset in sorted(found, key=lambda item: item[1]) if url.strip() and external(url)
            and not url.strip().startswith("#")]


def position(text: str, offset: int, first_line: int) -> tuple[int, int]:
    """(line, column), both 1-based, of `offset` in `text` whose first line is `first_line`."""
    line = first_line + text.count("\n", 0, offset)
    return line, offset - (text.rfind("\n", 0, offset) + 1) + 1
