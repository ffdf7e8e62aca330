"""Markdown bodies to safe HTML.

Python-Markdown renders with the configured extensions plus two of ours: `[[ID]]` /
`[[ID|text]]` links, and rewriting of relative links (`../objectives/SO1.md`, images under
assets/) to site paths. Raw HTML is either escaped (never parsed) or sanitised with nh3's
allow-list; either way no script, no `on*` attribute and no `javascript:` URL survives
(SPEC §12). Extensions are built from the allow-list of `stratdocs.config.markdown`, never
imported by name; `id` and `class` survive only as stratdocs' own output uses them, and an image
from outside the site becomes a plain link (docs/threat-model.md, issue 10).

Links are emitted as `@@stratdocs/<site path>` placeholders, so one rendering serves every
page and the PDF: `resolve_links()` turns them into page-relative hrefs or PDF anchors.
"""

from __future__ import annotations

import html as html_mod
import posixpath
import re
from dataclasses import dataclass
from functools import cached_property
from typing import Callable, Mapping
from urllib.parse import urlsplit

import nh3

from stratdocs.config.markdown import EXTENSIONS, canonical
from stratdocs.errors import ContentError
from stratdocs.limits import FILE_SECONDS, time_limit
from stratdocs.links import external

PLACEHOLDER = "@@stratdocs/"
_PLACEHOLDER_RE = re.compile(r'(href|src)="@@stratdocs/([^"]*)"')

ALLOWED_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "caption", "code", "col", "colgroup", "dd", "del", "details", "div",
    "dl", "dt", "em", "figcaption", "figure", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "i", "img", "ins",
    "kbd", "li", "mark", "ol", "p", "pre", "q", "s", "small", "span", "strong", "sub", "summary", "sup",
    "table", "tbody", "td", "tfoot", "th", "thead", "tr", "u", "ul",
}
ALLOWED_ATTRIBUTES = {
    "*": {"class", "id", "title", "lang", "dir"},  # `id` and `class` only as `_keep_attribute` allows
    "a": {"href"},  # no `name`: `<a name=X>` would clobber `window.X` as an id would
    "img": {"src", "alt", "width", "height"},
    "td": {"colspan", "rowspan", "align"},
    "th": {"colspan", "rowspan", "align", "scope"},
    "ol": {"start", "type"},
    "abbr": {"title"},
}


@dataclass(frozen=True, slots=True)
class Target:
    """What a link can point at: an entity's site path, title and kind."""

    id: str
    path: str
    title: str
    kind: str


@dataclass(frozen=True, slots=True)
class Rendered:
    """A rendered body and how each link in it resolved, so a cached copy can be re-checked."""

    html: str
    deps: tuple[tuple[str, str, str], ...] = ()  # (kind, key, resolution) of every link it resolved


class MarkdownRenderer:
    """One configured Markdown converter, reused for every body of a build."""

    def __init__(self, extensions, options: Mapping, raw_html: str, targets: Mapping[str, Target],
                 file_pages: Mapping[str, str], content_dir: str, assets: frozenset[str]):
        self.targets = targets                 # lower-case id -> Target
        self.file_pages = file_pages           # content file (project-relative) -> site path
        self.content_dir = content_dir
        self.assets = assets                   # project-relative paths of files under content/assets
        self.raw_html = raw_html
        self.current = ""                      # project-relative path of the file being rendered
        self.deps: list[tuple[str, str, str]] = []
        self._settings = (allowed(extensions), options)  # refused here, though the converter is made later

    @cached_property
    def md(self):
        """The Python-Markdown converter, made on first use: a build whose bodies all come from
        the cache never imports Python-Markdown or its extensions."""
        from stratdocs.render.markdown_ext import converter

        return converter(self, *self._settings, self.raw_html)

    def lookup(self, ref: str) -> Target | None:
        target = self.targets.get(ref.lower())
        self.deps.append(("id", ref.lower(), repr(target)))
        return target

    def render(self, text: str, source_file: str) -> Rendered:
        """Render one Markdown body written in `source_file` (project-relative)."""
        self.current = source_file
        self.deps = []
        self.md.reset()
        try:
            with time_limit(FILE_SECONDS, f"rendering the Markdown of {source_file}"):
                html = sanitize(self.md.convert(text))
        except RecursionError:  # `check` refuses the usual causes first (`stratdocs.schema.bounds`)
            raise ContentError(f"{source_file}: the Markdown body is nested too deeply to render; flatten its "
                               "emphasis, brackets, quotes or lists") from None
        return Rendered(html, tuple(self.deps))

    def still_valid(self, rendered: Rendered, source_file: str) -> bool:
        """Whether every link a cached rendering resolved still resolves the same way.

        This is what lets a cached body survive edits elsewhere in the plan and be re-rendered
        exactly when a title, page path or linked file it shows has changed.
        """
        self.current = source_file
        for kind, key, resolution in rendered.deps:
            now = repr(self.targets.get(key)) if kind == "id" else repr(self._rewrite(key))
            if now != resolution:
                return False
        return True

    def rewrite_url(self, url: str) -> str | None:
        """A relative URL in content -> placeholder for its site path; None if it points nowhere."""
        result = self._rewrite(url)
        self.deps.append(("url", url, repr(result)))
        return result

    def _rewrite(self, url: str) -> str | None:
        if not url or url.startswith(("#", PLACEHOLDER)):
            return url
        parts = urlsplit(url)
        if parts.scheme or parts.netloc or url.startswith("/"):
            return url  # external or absolute: the sanitiser decides what survives
        base = posixpath.dirname(self.current)
        resolved = posixpath.normpath(posixpath.join(base, parts.path)) if parts.path else self.current
        fragment = f"#{parts.fragment}" if parts.fragment else ""
        if resolved in self.file_pages:
            return PLACEHOLDER + self.file_pages[resolved] + fragment
        prefix = self.content_dir.rstrip("/") + "/"
        if resolved.startswith(prefix + "assets/") and resolved in self.assets:
            return PLACEHOLDER + resolved[len(prefix):] + fragment
        return None


def allowed(names) -> list[tuple[str, str]]:
    """(name, allow-listed short name) of each Markdown extension; a name outside the allow-list
    is refused (stratdocs.yml refuses it with its line; a Config made in code cannot sneak one in)."""
    out = []
    for name in names:
        short = canonical(name)
        if short is None:
            raise ContentError(f"stratdocs.yml: Markdown extension '{name}' is not allowed; use one of: "
                               f"{', '.join(EXTENSIONS)}")
        out.append((name, short))
    return out


#: The classes a body may carry: those stratdocs' own links and the allowed extensions make
#: (wikilinks, footnotes, admonitions, the table of contents). Any other class - one of the
#: theme's, say - is dropped, so a contributor cannot dress text up as the theme's own parts.
BODY_CLASSES = frozenset({"wikilink", "ref", "broken-link", "footnote", "footnote-ref", "footnote-backref",
                          "admonition", "admonition-title", "toc", "toctitle", "toclink", "headerlink"}
                         | {f"kind-{kind}" for kind in ("plan", "objective", "initiative", "strategy", "operation",
                                                        "operational-objective", "task", "kpi", "review", "page",
                                                        "risk")})
ADMONITION_TYPES = frozenset({"note", "tip", "hint", "important", "warning", "caution", "danger", "error",
                              "attention"})
#: Ids a body may carry: a heading's slug (as `toc` makes it) and footnote anchors (`fn:1`,
#: `fnref:1`, `fnref2:1`). Neither can name a global the theme's scripts read (`STRATDOCS_SEARCH`).
_HEADING_ID_RE = re.compile(r"^[a-z0-9_][a-z0-9_-]{0,99}$")
_FOOTNOTE_ID_RE = re.compile(r"^fn(ref\d*)?:\S{1,100}$")  # the colon: never a JavaScript name
_IMG_RE = re.compile(r'<img((?:\s+[\w:-]+(?:="[^"]*")?)*)\s*/?>')
_ATTR_RE = re.compile(r'([\w:-]+)(?:="([^"]*)")?')


def _keep_attribute(tag: str, attribute: str, value: str) -> str | None:
    """nh3's attribute filter: `id` and `class` only as the allow-lists above permit."""
    if attribute == "class":
        tokens = value.split()
        kept = [t for t in tokens if t in BODY_CLASSES or (t in ADMONITION_TYPES and "admonition" in tokens)]
        return " ".join(kept) or None
    if attribute == "id":
        if tag in ("h1", "h2", "h3", "h4", "h5", "h6") and _HEADING_ID_RE.match(value):
            return value
        return value if tag in ("sup", "li") and _FOOTNOTE_ID_RE.match(value) else None
    return value


def _image_as_link(match: re.Match) -> str:
    """An image whose source is outside the site (a scheme, ``//host``, ``/path``), as a plain link
    to it: the reader's browser never fetches it (the check reports it as `external-image`)."""
    attrs = {name: value or "" for name, value in _ATTR_RE.findall(match[1])}
    src = html_mod.unescape(attrs.get("src", ""))
    if not src or src.startswith(PLACEHOLDER) or not external(src):  # relative: a file of the site
        return match[0]
    alt = attrs.get("alt") or attrs.get("src", "")
    return f'<a href="{attrs.get("src", "")}">{alt}</a>'


def sanitize(html: str) -> str:
    """`html` with only the allowed tags, attributes, classes, ids and URL schemes left, and every
    image that would load from outside the site turned into a plain link."""
    clean = _clean(html)
    linked = _IMG_RE.sub(_image_as_link, clean)
    return clean if linked == clean else _clean(linked)


def _clean(html: str) -> str:
    return nh3.clean(html, tags=ALLOWED_TAGS, attributes=ALLOWED_ATTRIBUTES, url_schemes={"http", "https", "mailto"},
                     link_rel=None, strip_comments=True, attribute_filter=_keep_attribute)


def resolve_links(html: str, href: Callable[[str], str | None]) -> str:
    """Replace placeholders with real URLs; a None from `href` drops the link (keeps its text)."""
    def swap(match: re.Match) -> str:
        url = href(match[2])
        return f'{match[1]}="{url}"' if url is not None else 'data-unlinked=""'
    return _PLACEHOLDER_RE.sub(swap, html)
