"""Bodies the Markdown renderer could not finish: found by `check`, before any rendering (issue 10).

Python-Markdown recurses once per level of nested emphasis, and scans from every ``[`` (and the
``(`` after a ``]``) to the bracket that closes it, or to the end of the paragraph when none does:
``'_' * 50000 + 'x' + '_' * 50000`` exceeds Python's recursion limit, ``'[a](' * 30000`` or
100,000 ``[`` take minutes, 50,000 nested ``<div>`` or quotes or lists take as long. Each of those
shapes is measured here in one linear pass and refused with its line, far below the point where
rendering gets slow, so `check` refuses what `build` would; the renderer's own time limit and its
recursion guard stay as a second line of defence.
"""

from __future__ import annotations

import re

from stratdocs.links import mask_code, position

#: Characters Python-Markdown would scan for unmatched brackets in one body (~1 s of rendering).
BRACKET_SCAN = 1_000_000
#: Open emphasis delimiters (``*``, ``_``) at one point; rendering recurses at several thousand.
EMPHASIS_DEPTH = 200
#: Markup characters in one paragraph (or list item, table row): each is a match the renderer re-scans the paragraph after.
#: (``_`` counts only at a word's edge: ``snake_case`` is not markup.)
INLINE_MARKUP, MARKUP = 10_000, "\\&<*[`"
#: Characters of one body (rendering is about linear, but not fast: ~1 MB a second).
BODY_CHARS = 2_000_000
#: Nested quotes (``>``) on one line, leading spaces of a line (list nesting), open HTML tags.
QUOTE_DEPTH, INDENT, HTML_DEPTH = 50, 200, 200

_CUT_RE = re.compile(r"\n[ \t]*+(?=\n)|\n(?=[ \t]*+(?:[-*+][ \t]|\d{1,9}[.)][ \t]|\||#))")
_EDGE_UNDERSCORE_RE = re.compile(r"(?<![A-Za-z0-9])_|_(?![A-Za-z0-9])")
_BRACKET_RE = re.compile(r"\\.|[\[\]()]", re.DOTALL)  # an escaped character is skipped whole
_VISIBLE_RE = re.compile(r"\S")
_RUN_RE = re.compile(r"\*++|_++")
_QUOTES_RE = re.compile(r"^[ \t]*+(?:>[ \t]*+)++", re.MULTILINE)
_INDENT_RE = re.compile(r"^[ \t]++", re.MULTILINE)
_TAG_RE = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9-]*+)[^<>]*+>")
_VOID = frozenset({"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track",
                   "wbr"})


def body_problems(body: str, body_line: int) -> list[tuple[int, int, str]]:
    """(line, column, message) for each part of a Markdown body too deeply nested to render.

    :param body: the Markdown text; `body_line` the line of the file where it starts.
    """
    if len(body) > BODY_CHARS:
        return [(body_line, 1, f"the body has {len(body):,} characters, over the limit of {BODY_CHARS:,} "
                               "that can be rendered in time; split the page")]
    masked = mask_code(body, fill="x")  # not spaces: code must not look like indentation
    problems: list[tuple[int, str]] = []
    scanned = 0
    paragraphs = _paragraphs(masked)
    for start, end in paragraphs:
        cost, where = _bracket_scan(masked, start, end)
        scanned += cost
        if scanned > BRACKET_SCAN:
            problems.append((where, "too many '[' or '(' here are never closed, so rendering would take "
                                    "minutes; close them, or write \\[ and \\( for literal brackets"))
            break
    crowded = next((a for a, b in paragraphs if b - a > INLINE_MARKUP and _markup(masked, a, b) > INLINE_MARKUP),
                   None)
    if crowded is not None:
        problems.append((crowded, f"this paragraph has more than {INLINE_MARKUP:,} markup characters "
                                  f"({' '.join(MARKUP)} _), too many to render in time; split it with blank lines"))
    for start, end in paragraphs:
        if (where := _deep_emphasis(masked, start, end)) is not None:
            problems.append((where, f"emphasis ('*' or '_') is nested more than {EMPHASIS_DEPTH} deep here; "
                                    "close it, or write \\* and \\_ for literal characters"))
            break
    problems += _nesting(masked)
    return [(*position(masked, offset, body_line), message) for offset, message in problems]


def _paragraphs(text: str) -> list[tuple[int, int]]:
    """(start, end) of each piece of text the renderer processes inline on its own: lines between
    blank lines, cut again before each list item, table row and heading."""
    spans, start = [], 0
    for cut in _CUT_RE.finditer(text):
        spans.append((start, cut.start()))
        start = cut.end()
    spans.append((start, len(text)))
    found = []
    for a, b in spans:  # each from its first visible character, so a finding points at its line
        if (first := _VISIBLE_RE.search(text, a, b)) is not None:
            found.append((first.start(), b))
    return found


def _markup(text: str, start: int, end: int) -> int:
    count = sum(text.count(c, start, end) for c in MARKUP)
    if text.count("_", start, end):
        count += len(_EDGE_UNDERSCORE_RE.findall(text, start, end))
    return count


def _bracket_scan(text: str, start: int, end: int) -> tuple[int, int]:
    """How far the renderer scans for closing brackets in text[start:end], and where the first
    bracket left open is."""
    cost, opened, parens = 0, [], []
    after_close = -1
    for match in _BRACKET_RE.finditer(text, start, end):
        c, i = match[0], match.start()
        if c == "[":
            opened.append(i)
        elif c == "]" and opened:
            cost += i - opened.pop()
            after_close = i + 1
        elif c == "(" and (parens or i == after_close):
            parens.append(i)
        elif c == ")" and parens:
            cost += i - parens.pop()
    left = opened + parens
    cost += sum(end - pos for pos in left)
    return cost, min(left) if left else start


def _deep_emphasis(text: str, start: int, end: int) -> int | None:
    """Where runs of ``*``/``_`` that open emphasis first pile up beyond `EMPHASIS_DEPTH`."""
    if text.count("*", start, end) + text.count("_", start, end) <= EMPHASIS_DEPTH:
        return None  # cannot pile up that deep
    depth = 0
    for run in _RUN_RE.finditer(text, start, end):
        before = text[run.start() - 1] if run.start() > start else " "
        after = text[run.end()] if run.end() < end else " "
        opens, closes = not after.isspace(), not before.isspace()
        if opens and not closes:
            depth += len(run[0])
            if depth > EMPHASIS_DEPTH:
                return run.start()
        elif closes and not opens:
            depth = max(0, depth - len(run[0]))
    return None


def _nesting(text: str) -> list[tuple[int, str]]:
    """Deep quotes, deep indentation (lists) and deeply nested raw HTML, each the first place."""
    found = []
    quote = next((m for m in _QUOTES_RE.finditer(text) if m[0].count(">") > QUOTE_DEPTH), None)
    if quote is not None:
        found.append((quote.start(), f"quotes ('>') are nested more than {QUOTE_DEPTH} deep; flatten them"))
    indent = next((m for m in _INDENT_RE.finditer(text) if len(m[0].expandtabs(4)) > INDENT), None)
    if indent is not None:
        found.append((indent.start(), f"a line is indented more than {INDENT} spaces (lists nested that deep "
                                      "take too long to render); flatten the list"))
    depth = 0
    for tag in _TAG_RE.finditer(text):
        if tag[2].lower() in _VOID or tag[0].endswith("/>"):
            continue
        depth = max(0, depth - 1) if tag[1] else depth + 1
        if depth > HTML_DEPTH:
            found.append((tag.start(), f"HTML tags are nested more than {HTML_DEPTH} deep; close them"))
            break
    return found


