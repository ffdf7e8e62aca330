"""The Documents page and the pages of the HTML twins, as the site lists them (SPEC §13).

What a build needs of the documents before it knows which pages to compute, so kept apart from
the twins' view models (`twin`, which imports every section's): each document's title in the
build's language, its twin's `Page`, and the Documents page, written on every build with the
page counts of the PDFs in the output.

The Documents page lists every document with its title, subtitle, date, page count and links to
its PDF and its twin. The page count is that of the PDF in the output (`pdf_pages`); without one
the page says "PDF not built" and links no file.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from stratdocs.config import DocumentSpec
from stratdocs.i18n import N_
from stratdocs.numbers import format_date
from stratdocs.render.urls import REPORT_PAGES, document_path
from stratdocs.render.views.common import HOME, Crumb, Page
from stratdocs.render.views.interface import _, ngettext

if TYPE_CHECKING:
    from stratdocs.render.views.core import ViewsCore

#: Sections without a number that are not part of the contents.
FRONT_MATTER = ("cover", "contents")
#: The Documents page's title (and navigation label).
DOCUMENTS_TITLE = N_("Documents")
#: What the Documents page says of a document whose PDF is not in the output.
NOT_BUILT = N_("PDF not built")


def shown_document(spec: DocumentSpec) -> DocumentSpec:
    """`spec` with its title and subtitle in the build's language: the default board pack's
    English words are in the catalogs; a plan's own words stay as written (as for matrices)."""
    return replace(spec, title=_(spec.title) if spec.title else "", subtitle=_(spec.subtitle) if spec.subtitle else "")


@dataclass(frozen=True, slots=True)
class DocumentEntry:
    """One document on the Documents page."""

    id: str
    title: str
    subtitle: str
    confidential: str
    date: str                   #: ISO date (the `datetime` attribute)
    date_text: str              #: the date for readers
    pages: int | None           #: the PDF's page count, None when no PDF is in the output
    pages_text: str             #: "24 pages" or "PDF not built"
    pdf_href: str               #: site path of the PDF, '' when it is not built
    twin_href: str              #: site path of the twin
    sections_text: str          #: "12 sections"


@dataclass(frozen=True, slots=True)
class DocumentsView:
    """The template context `view` of `documents.html`."""

    entries: tuple[DocumentEntry, ...]
    date_text: str


def documents_page() -> Page:
    """The Documents page."""
    path = REPORT_PAGES["documents"]
    return Page(path, _(DOCUMENTS_TITLE), "documents", (Crumb(_("Home"), HOME), Crumb(_(DOCUMENTS_TITLE))),
                _("Every document of the plan as a PDF and as a web page"))


def twin_page(spec: DocumentSpec) -> Page:
    """The twin page of one document."""
    spec = shown_document(spec)
    return Page(document_path(spec.id), spec.title, "documents",
                (Crumb(_("Home"), HOME), Crumb(_(DOCUMENTS_TITLE), REPORT_PAGES["documents"]), Crumb(spec.title)),
                spec.subtitle)


def documents_view(views: ViewsCore, pdf_pages: dict[str, int]) -> DocumentsView:
    """The Documents page: every configured document, with the page count of its PDF where the
    output has one (`pdf_pages`: document id -> pages)."""
    language = views.project.config.language
    day = format_date(views.as_of, language)
    entries = []
    for spec in map(shown_document, views.project.config.documents):
        pages = pdf_pages.get(spec.id)
        numbered = sum(1 for key in dict.fromkeys(spec.sections) if key not in FRONT_MATTER)
        entries.append(DocumentEntry(
            spec.id, spec.title, spec.subtitle, spec.confidential, views.as_of.isoformat(), day, pages,
            ngettext("%(num)d page", "%(num)d pages", pages) if pages is not None else _(NOT_BUILT),
            f"pdf/{spec.id}.pdf" if pages is not None else "", document_path(spec.id),
            ngettext("%(num)d section", "%(num)d sections", numbered)))
    return DocumentsView(tuple(entries), day)


_SVG_START = re.compile(r"<svg\b")
_SVG_LINK = re.compile(r'((?:xlink:)?href=")(?![a-zA-Z][a-zA-Z0-9+.-]*:|#|/|\.\./)')


def rebase_svg_links(html: str, root: str) -> str:
    """Links inside inline SVG charts (the strategy map) are written from the site's root; a
    twin page lives one folder down, so they get the page's `root` (e.g. `../`) in front."""
    if not root:
        return html
    out, pos = [], 0
    while (start := html.find("<svg", pos)) >= 0:
        end = html.find("</svg>", start)
        if end < 0:
            break
        if _SVG_START.match(html, start):  # `<svg` as a whole tag name (`<svg\b`)
            end += len("</svg>")
            chart = html[start:end]
            out += [html[pos:start], _SVG_LINK.sub(lambda k: k.group(1) + root, chart) if "href" in chart else chart]
            pos = end
        else:
            out.append(html[pos:start + 1])
            pos = start + 1
    out.append(html[pos:])
    return "".join(out)
