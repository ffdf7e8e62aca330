"""References written in Markdown bodies: ``[[ID]]`` / ``[[ID|text]]`` and relative file links.

One pattern and one scanner for the model side (`schema` turns them into `Ref`s) and the
Markdown renderer (which turns ``[[ID]]`` into a link). This module imports no rendering.
"""

from __future__ import annotations

import re

from stratdocs.model import Ref

#: ``[[ID]]`` or ``[[ID|text]]``: group 1 the id, group 2 the optional text.
WIKILINK_RE = r"\[\[([^\[\]|\n]+?)(?:\|([^\[\]\n]*))?\]\]"

_LINK_RE = re.compile(WIKILINK_RE)
_FENCE_RE = re.compile(r"^(```|~~~).*?^\1[^\n]*$", re.MULTILINE | re.DOTALL)
_CODE_RE = re.compile(r"`[^`\n]*`")
_MDLINK_RE = re.compile(r"!?\[[^\]\n]*\]\(\s*<?([^)\s>]+)>?(?:\s+[\"'][^)\n]*[\"'])?\s*\)")
_REFDEF_RE = re.compile(r"^ {0,3}\[[^\]\n]+\]:[ \t]*<?([^\s>]+)>?", re.MULTILINE)
_SCHEME_RE = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")


def body_links(body: str, body_line: int) -> list[Ref]:
    """`[[ID]]` links (key ``link``) and relative file links (key ``file``) in a Markdown body,
    outside code.

    :param body: the Markdown text.
    :param body_line: the line of the file where the body starts, so refs carry file lines.
    """
    masked = _FENCE_RE.sub(lambda m: re.sub(r"[^\n]", " ", m[0]), body)
    masked = _CODE_RE.sub(lambda m: " " * len(m[0]), masked)
    refs = []
    for match in _LINK_RE.finditer(masked):
        refs.append(Ref("link", match[1].strip(), *_position(masked, match.start(), body_line)))
    for pattern in (_MDLINK_RE, _REFDEF_RE):
        for match in pattern.finditer(masked):
            url = match[1]
            if url.startswith(("#", "/")) or _SCHEME_RE.match(url) or url.startswith("//"):
                continue
            path = url.split("#", 1)[0].split("?", 1)[0]
            if path:
                refs.append(Ref("file", path, *_position(masked, match.start(1), body_line)))
    return refs


def _position(text: str, offset: int, first_line: int) -> tuple[int, int]:
    line = first_line + text.count("\n", 0, offset)
    return line, offset - (text.rfind("\n", 0, offset) + 1) + 1
