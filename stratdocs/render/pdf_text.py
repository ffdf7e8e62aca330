"""The words WeasyPrint itself prints in a PDF document, in the plan's language.

Running footers ("Page 3 of 12") and printed cross-references (", p. 13") are CSS generated
content: they mix translated words with counters the layout fills in. Each is one message with
named placeholders (`%(page)s`, `%(pages)s`) so translators can reorder words; here it becomes
a CSS `content` value, the words quoted with `css_string` (nothing in a catalog can break out
of the string) and the placeholders replaced by counters.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from markupsafe import Markup

from stratdocs.numbers import format_date
from stratdocs.render.views.interface import Interface

_PLACEHOLDER = re.compile(r"%\((\w+)\)s")
#: What each placeholder of a CSS message stands for.
_COUNTERS = {"page": "counter(page)", "pages": "counter(pages)", "target": "target-counter(attr(href), page)"}


def css_string(value: object) -> Markup:
    """A quoted CSS string that nothing can break out of: every character but letters, digits
    and spaces is written as a CSS escape (so `"`, `\\` and `</style>` are harmless)."""
    out = ['"']
    for ch in str(value):
        out.append(ch if ch.isascii() and (ch.isalnum() or ch == " ") else f"\\{ord(ch):x} ")
    out.append('"')
    return Markup("".join(out))


def css_content(text: str) -> Markup:
    """A CSS `content` value: `text`'s words as quoted strings, its placeholders as counters.
    An unknown placeholder (a catalog's typo) is printed as its own words, never as CSS."""
    out, at = [], 0
    for match in _PLACEHOLDER.finditer(text):
        if match.group(1) not in _COUNTERS:
            continue
        if match.start() > at:
            out.append(str(css_string(text[at:match.start()])))
        out.append(_COUNTERS[match.group(1)])
        at = match.end()
    if at < len(text) or not out:
        out.append(str(css_string(text[at:])))
    return Markup(" ".join(out))


@dataclass(frozen=True)
class PrintText:
    """The document's generated words: `page_of` (bottom right of every page), `page_ref` (after
    a cross-reference to a page of the document) and `as_of` (the reporting date in words)."""

    page_of: Markup
    page_ref: Markup
    as_of: str

    @classmethod
    def of(cls, ui: Interface, as_of: date) -> "PrintText":
        return cls(page_of=css_content(ui.gettext("Page %(page)s of %(pages)s")),
                   page_ref=css_content(ui.gettext(", p.\u00a0%(target)s")),
                   as_of=format_date(as_of, ui.language))
