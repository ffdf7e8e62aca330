"""The Python-Markdown side of `render.markdown`: the converter with the allowed extensions and
stratdocs' two processors (`[[ID]]` links, relative links to site paths). Imported only when a
body must be rendered (`MarkdownRenderer.md`), so a build whose bodies all come from the cache
does not pay for importing Python-Markdown.
"""

from __future__ import annotations

import importlib
import xml.etree.ElementTree as etree
from typing import TYPE_CHECKING, Mapping

import markdown
from markdown.inlinepatterns import InlineProcessor
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
