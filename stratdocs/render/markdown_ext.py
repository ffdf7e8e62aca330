"""The Python-Markdown side of `render.markdown`: the converter with the allowed extensions and
stratdocs' two processors (`[[ID]]` links, relative links to site paths). Imported only when a
body must be rendered (`MarkdownRenderer.md`), so a build whose bodies all come from the cache
does not pay for importing Python-Markdown.
"""

from __future__ import annotations

import importlib
import re
import xml.etree.ElementTree as etree
from typing import TYPE_CHECKING, Mapping

import markdown
from markdown.inlinepatterns import InlineProcessor, LinkInlineProcessor
from markdown.treeprocessors import Treeprocessor
from markdown.util import AtomicString

from stratdocs.config.markdown import EXTENSIONS
from stratdocs.links import WIKILINK_RE
from stratdocs.render.markdown import PLACEHOLDER

if TYPE_CHECKING:
    from stratdocs.render.markdown import MarkdownRenderer


def converter(renderer: MarkdownRenderer, names, options: Mapping, raw_html: str) -> markdown.Markdown:
    """A converter with the extensions `names` ((name, allow-listed short name) pairs, as
    `render.markdown.allowed` gives them), raw HTML escaped when `raw_html` is "escape", and the
    links of `renderer` (a `MarkdownRenderer`)."""
    md = markdown.Markdown(extensions=extensions(names, options), output_format="html")
    if raw_html == "escape":
        md.preprocessors.deregister("html_block")
        md.inlinePatterns.deregister("html")
    md.inlinePatterns.register(WikiLinks(renderer), "stratdocs-wikilink", 175)
    md.treeprocessors.register(RelativeLinks(md, renderer), "stratdocs-links", 1)
    for processor in md.inlinePatterns:
        if isinstance(processor, LinkInlineProcessor):  # links, images and references
            processor.getText = LinkText()
    return md


def extensions(names, options: Mapping) -> list:
    """The extensions as instances, by their allow-listed short names: a name is never imported
    as given (issue 10)."""
    out = []
    for name, short in names:
        config = {"baselevel": 2} if short == "toc" else {}  # a body's "# Heading" sits under the page's h1
        config.update({k: v for k, v in dict(options.get(short, options.get(name, {}))).items()
                       if k in EXTENSIONS[short]})
        out.append(importlib.import_module(f"markdown.extensions.{short}").makeExtension(**config))
    return out


#: A bracket: where a link's text may end.
_BRACKETS = re.compile(r"[\[\]]")
#: How many brackets after a link's `[` are looked at for its `]` before the ends of all the
#: paragraph's brackets are found at once: an ordinary link's text has none or a pair.
_SCAN = 32


class LinkText:
    """`getText` of Python-Markdown's link, image and reference processors, in time linear in
    the paragraph: (the text of the link whose `[` is just before `index`, the index past its
    `]`, whether there is one); without one, the rest of `data` and False.

    Python-Markdown up to 3.11.3 scans for the `]` character by character from every `[`
    (quadratic in a run of unclosed brackets); 3.11.4 finds the ends of every bracket of the
    paragraph at once, but again after each link it replaces, so a paragraph of 3,000 links
    took over 20 s there (0.1 s with 3.11.3). Here the next `_SCAN` brackets settle an ordinary
    link, and only a link they do not settle has the ends of all the paragraph's brackets found,
    in one pass, kept while the paragraph is unchanged (unclosed brackets change nothing).
    """

    def __init__(self) -> None:
        self._data: str | None = None
        self._ends: dict[int, int] = {}

    def __call__(self, data: str, index: int) -> tuple[str, int, bool]:
        depth = 1
        for seen, match in enumerate(_BRACKETS.finditer(data, index)):
            if seen == _SCAN and data[index - 1:index] == "[":
                break
            depth += 1 if match[0] == "[" else -1
            if not depth:
                return data[index:match.start()], match.end(), True
        else:
            return data[index:], len(data), False
        if data is not self._data:
            self._data, self._ends = data, _bracket_ends(data)
        end = self._ends.get(index)
        return (data[index:end - 1], end, True) if end is not None else (data[index:], len(data), False)


def _bracket_ends(data: str) -> dict[int, int]:
    """The index just past each `[` of `data` -> the index just past the `]` that closes it."""
    ends: dict[int, int] = {}
    opened: list[int] = []
    for match in _BRACKETS.finditer(data):
        if match[0] == "[":
            opened.append(match.end())
        elif opened:
            ends[opened.pop()] = match.end()
    return ends


class WikiLinks(InlineProcessor):
    def __init__(self, renderer: "MarkdownRenderer"):
        super().__init__(WIKILINK_RE)
        self.renderer = renderer

    def handleMatch(self, m, data):
        ref, text = m.group(1).strip(), m.group(2)
        target = self.renderer.lookup(ref)
        if target is None:
            el = etree.Element("span", {"class": "broken-link", "title": f"no item with id {ref}"})
            el.text = AtomicString(text or ref)
            return el, m.start(0), m.end(0)
        el = etree.Element("a", {"href": PLACEHOLDER + target.path, "class": f"wikilink ref kind-{target.kind}",
                                 "title": f"{target.id}: {target.title}"})
        el.text = AtomicString(text.strip() if text and text.strip() else target.title)
        return el, m.start(0), m.end(0)


class RelativeLinks(Treeprocessor):
    def __init__(self, md, renderer: "MarkdownRenderer"):
        super().__init__(md)
        self.renderer = renderer

    def run(self, root):
        for el in root.iter():
            attr = "href" if el.tag == "a" else "src" if el.tag == "img" else None
            if attr is None or attr not in el.attrib:
                continue
            value = el.attrib[attr]
            rewritten = self.renderer.rewrite_url(value)
            if rewritten is None:  # reported as a located finding by the check (`project._file_links`)
                el.attrib.pop(attr)
                el.set("class", (el.get("class", "") + " broken-link").strip())
            else:
                el.set(attr, rewritten)
