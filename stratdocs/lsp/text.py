"""Where the cursor is in a content file: front matter or body, which reference key, which id.

Positions here are 0-based lines and characters counted in code points (Python string
indexes); the server converts from and to the client's units.
"""

from __future__ import annotations

import re

from stratdocs.schema.keys import REF_KEYS

#: A front-matter line ``key: value`` (also ``- key: value``, the first key of a list item).
KEY_LINE = re.compile(r"^(\s*)(?:-\s+)?([A-Za-z_][A-Za-z0-9_-]*)\s*:(?:\s|$)(.*)$")
LIST_ITEM = re.compile(r"^(\s*)-(?:\s|$)")
ID_CHARS = re.compile(r"[A-Za-z0-9._-]*")
PARTIAL_ID = re.compile(r"[A-Za-z0-9._-]*$")
WIKI_LINK = re.compile(r"\[\[([^\]|\n]*)(?:\|[^\]\n]*)?\]\]")
OPEN_WIKI_LINK = re.compile(r"\[\[([A-Za-z0-9._-]*)$")


def front_matter_end(lines: list[str]) -> int | None:
    """The index of the line closing the front matter (None: the file has none, or it is open)."""
    if not lines or lines[0].rstrip() != "---":
        return None
    return next((i for i in range(1, len(lines)) if lines[i].rstrip() in ("---", "...")), None)


def in_front_matter(lines: list[str], line: int) -> bool:
    """Whether `line` is inside the front matter (an unclosed one counts: the user is typing it)."""
    if not lines or lines[0].rstrip() != "---" or line == 0:
        return False
    end = front_matter_end(lines)
    return end is None or line < end


def reference_key(lines: list[str], line: int, char: int) -> str | None:
    """The reference key (`supports`, `kpis`…) whose value holds position (`line`, `char`), if any.

    :param lines: the document's lines without line ends.
    """
    if not in_front_matter(lines, line):
        return None
    before = lines[line][:char]
    if (m := KEY_LINE.match(before)) is not None:
        return m[2] if m[2] in REF_KEYS else None
    if (m := LIST_ITEM.match(before)) is None or not ID_CHARS.fullmatch(before[m.end():].strip()):
        return None
    indent = len(m[1])
    for above in range(line - 1, 0, -1):  # up to the key the block list belongs to
        text = lines[above]
        stripped = text.lstrip()
        if not stripped or stripped.startswith("#"):
            continue
        depth = len(text) - len(stripped)
        if depth == indent and LIST_ITEM.match(text):
            continue  # an earlier item of the same list
        if depth > indent:
            continue  # inside an earlier item
        key = KEY_LINE.match(text)
        return key[2] if key and key[2] in REF_KEYS and not key[3].strip() else None
    return None


def open_link(lines: list[str], line: int, char: int) -> str | None:
    """The id typed so far after an unclosed ``[[`` before the cursor in the body, if any."""
    if in_front_matter(lines, line):
        return None
    m = OPEN_WIKI_LINK.search(lines[line][:char])
    return m[1] if m else None


def word_at(text: str, char: int) -> tuple[int, int]:
    """The (start, end) of the id-like word of `text` at `char` (empty when there is none)."""
    start = char
    while start > 0 and ID_CHARS.fullmatch(text[start - 1]):
        start -= 1
    end = start + len(ID_CHARS.match(text, start)[0])
    return (start, end) if start <= char <= end else (char, char)


def id_at(lines: list[str], line: int, char: int) -> tuple[str, int, int] | None:
    """The id under the cursor in a reference key or a ``[[ID]]`` link: (id, start, end), if any."""
    if line >= len(lines):
        return None
    text = lines[line]
    if not in_front_matter(lines, line):
        for m in WIKI_LINK.finditer(text):
            if m.start(1) <= char <= m.end(1):
                target = m[1].strip()
                start = m.start(1) + m[1].index(target) if target else m.start(1)
                return (target, start, start + len(target)) if target else None
        return None
    start, end = word_at(text, char)
    if start == end or reference_key(lines, line, end) is None:
        return None
    if (m := KEY_LINE.match(text)) is not None and end <= m.start(3) and m[2] in REF_KEYS:
        return None  # the key itself
    return text[start:end], start, end
