"""View models of the HTML twins of PDF documents (SPEC §13).

A twin is the site page `documents/ID.html` of a configured document: the same sections in the
same order as its PDF, made by the same `DocumentViews`, printed by the same section templates
(`pdf/*.html`) inside the site layout. Only the links differ (`TwinLinks`): a reference to an
item goes to the item's own site page (where it has its full detail and backlinks), a link to a
report the document contains (scorecard, roadmap, a matrix, the alignment report) stays in the
page, anything else goes to the site page. The cover becomes the page header and the contents an
in-page table of contents. The twins' pages and the Documents page are in `documents`.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

from markupsafe import Markup

from stratdocs.config import DocumentSpec
from stratdocs.numbers import format_date
from stratdocs.render.markdown import resolve_links
from stratdocs.render.urls import document_path, root_of
from stratdocs.render.views import Views
from stratdocs.render.views.document import FRONT_MATTER, DocumentViews
from stratdocs.render.views.document_parts import (ContentsEntry, ContentsView, CoverView, EntitiesView,
                                                   Section)
from stratdocs.render.views.selection import (_FRAGMENT_RE, _ID_RE, MATRIX_PREFIX, PAGE_SUFFIX, SECTION_PAGES,
                                              Links, anchor, section_anchor)


@dataclass(frozen=True)
class TwinLinks(Links):
    """Where a site path goes on a twin page: the item's site page, an in-page section, or the
    site page of anything else (relative to the twin through `root`)."""

    root: str = "../"

    def href(self, path: str | None) -> str | None:
        if not path:
            return None
        page = path.partition("#")[0]
        key = SECTION_PAGES.get(page)
        if key is None and page.startswith(MATRIX_PREFIX) and page.endswith(PAGE_SUFFIX):
            key = "matrix:" + page[len(MATRIX_PREFIX):-len(PAGE_SUFFIX)]
        if key is not None and key != "plan" and key in self.sections:
            return "#" + section_anchor(key)
        return self.root + path

    def body(self, html: str, scope: str = "") -> Markup:
        """A rendered body with its placeholders resolved for the twin (images from the site's
        assets/, never files of the machine); its ids prefixed with `scope` as in the PDF."""
        if scope:
            prefix = anchor(scope) + "--"
            html = _ID_RE.sub(lambda m: f'id="{prefix}{m[1]}"', html)
            html = _FRAGMENT_RE.sub(lambda m: f'href="#{prefix}{m[1]}"', html)
        return Markup(resolve_links(html, self.href))


@dataclass(frozen=True, slots=True)
class TwinView:
    """The template context `view` of `document_twin.html`."""

    spec: DocumentSpec          #: the document's configuration (`doc` in the section templates)
    cover: CoverView            #: what the header prints (its `logo` is the PDF's; the site shows its own)
    date_text: str              #: the plan's as-of date for readers: "15 November 2026"
    contents: ContentsView      #: the in-page table of contents
    sections: tuple[Section, ...]  #: the numbered sections, in the PDF's order
    filter: str                 #: the document's scope in words ('' without a filter)
    pdf_href: str               #: site path of the PDF (`pdf/ID.pdf`)
    links: TwinLinks            #: passed to the section templates as `links` (the `url` filter)
    as_of: object               #: the plan's as-of date (`as_of` in the section templates)
    commit: str                 #: the source revision (`commit` in the section templates)


def twin_view(views: Views, spec: DocumentSpec) -> TwinView:
    """The twin of one document: its PDF's sections with site links."""
    document = DocumentViews(views, spec, Path(views.project.config.content_path / "assets"))
    links = document.links
    document.links = TwinLinks(links.sitemap, links.anchored, links.sections, links.plan_id, links.assets,
                               root_of(document_path(spec.id)))
    context = document.document()
    sections = tuple(_for_screen(s) for s in context["sections"] if s.key not in FRONT_MATTER)
    contents = next((s.view for s in context["sections"] if s.key == "contents"), None)
    if contents is None:  # a document without a contents page still gets one on screen
        contents = ContentsView(tuple(ContentsEntry(s.number, s.title, s.anchor, ()) for s in sections))
    cover = replace(context["cover"], logo="")
    language = views.project.config.language
    return TwinView(document.spec, cover, format_date(views.as_of, language), contents, sections, context["filter"],
                    f"pdf/{spec.id}.pdf", document.links, views.as_of, document.commit)


def _for_screen(section: Section) -> Section:
    """An entity section as a screen shows it. A review's own actions get anchors of their own
    (`e-R1--e-A-1`): the open actions section keeps `e-A-1`, and one page has each id once. A
    KPI's chart is the site's three drawings (desktop, middle, phone; `style.css` shows the one
    that fits) instead of the A4 one, so its text stays legible on every screen."""
    view = section.view
    if not isinstance(view, EntitiesView):
        return section
    blocks = []
    for block in view.blocks:
        kpi = block.view.kpi
        if kpi is not None:
            charts = Markup('<div class="chart-wide">{}</div><div class="chart-mid">{}</div>'
                            '<div class="chart-narrow">{}</div>').format(kpi.chart_wide, kpi.chart, kpi.chart_narrow)
            block = replace(block, view=replace(block.view, kpi=replace(kpi, chart_print=charts)))
        panel = block.view.execution
        if panel and panel.own_actions:
            actions = tuple(replace(a, anchor=f"{block.anchor}--{a.anchor}") for a in panel.own_actions)
            block = replace(block, view=replace(block.view, execution=replace(panel, own_actions=actions)))
        blocks.append(block)
    return replace(section, view=replace(view, blocks=tuple(blocks)))
