"""The Documents page (`documents.html`, SPEC §13): written after the PDFs, with their page counts.

The HTML twins (`documents/ID.html`) are ordinary site outputs (`render.site`); only the Documents
page waits for the PDFs, because it prints how many pages each one has. The count is read back
from the PDF in the new output (rendered by this build, or kept from an earlier one by
`build --no-pdf`) with pypdf; a document whose PDF is not there is "PDF not built" and its PDF is
not linked. The preview (`serve`) never renders PDFs, so its Documents page is that of a fresh
`build --no-pdf`.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Iterable

from stratdocs.cache import BuildCache
from stratdocs.config import DocumentSpec
from stratdocs.i18n import translations
from stratdocs.project import Project
from stratdocs.render.pages import page_fingerprint
from stratdocs.render.views.interface import Interface, use as use_interface
from stratdocs.render.views.documents import documents_page, documents_view
from stratdocs.theme import Theme

if TYPE_CHECKING:
    from stratdocs.render.views import Views


def pdf_page_count(data: bytes) -> int | None:
    """The number of pages of a PDF, None when the bytes are not a readable PDF."""
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    try:
        return len(PdfReader(io.BytesIO(data)).pages)
    except (PyPdfError, ValueError, KeyError, TypeError, OSError):
        return None


def output_pdf_pages(published: Callable[[str], Path | None], documents: Iterable[DocumentSpec]) -> dict[str, int]:
    """Document id -> page count of its PDF in the new output, for the PDFs that are there.

    :param published: the writer's `published` (the file at an output path, if written or kept).
    """
    out = {}
    for doc in documents:
        path = published(f"pdf/{doc.id}.pdf")
        if path is None:
            continue
        pages = pdf_page_count(path.read_bytes())
        if pages is not None:
            out[doc.id] = pages
    return out


def write_documents_page(project: Project, views: Views, writer, theme: Theme, pdf_pages: dict[str, int],
                         extra_context: dict | None = None, env=None, cache: BuildCache | None = None) -> str:
    """Render and write `documents.html`; returns its output path.

    :param pdf_pages: document id -> page count, for the documents whose PDF is in the output.
    :param extra_context: more template context (the preview's live-reload switch).
    :param env: the Jinja environment the site's pages were just rendered with (the preview keeps
        it between rebuilds: `Memory.env`); by default a new one, made only if the page is rendered.
    :param cache: the build cache: the previous page is carried over when its fingerprint (as
        every page's: theme, site context, path, view model) is the same, and its bytes are.
    """
    from stratdocs.render.site import Output, SiteRenderer, page_base, theme_fingerprint

    views.ui = Interface.of(project.config, translations(theme, project.config.language))  # what the environment has
    use_interface(views.ui)
    renderer = SiteRenderer(project, views, env, theme, extra_context)
    page = documents_page()
    output = Output(page.path, "documents.html", page)
    view = documents_view(views, pdf_pages)
    if cache is None:  # the preview: nothing to compare with, so no fingerprint to pay for
        writer.write(page.path, renderer.render(output, view).encode("utf-8"))
        return page.path
    fingerprint = page_fingerprint(page_base(theme_fingerprint(theme), renderer, extra_context), output, view)
    previous = cache.page(page.path)
    if previous and previous[0] == fingerprint and writer.keep(page.path, previous[1]):
        return page.path
    data = renderer.render(output, view).encode("utf-8")
    writer.write(page.path, data, cache.put_page(page.path, fingerprint, data))
    return page.path
