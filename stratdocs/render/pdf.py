"""PDF plan documents (SPEC §9 `documents`, §10, §12): board packs and operational plans.

Each configured document becomes `pdf/ID.pdf`: its view model (`views.document`) is printed through the
theme's `pdf/document.html` and `pdf.css`, and WeasyPrint lays it out in a worker process.

- **Hermetic.** One deny-by-default fetcher (`Fetcher`) serves every URL WeasyPrint asks for:
  files under `content/assets` and the theme folders, and `data:` URIs. Anything else (http,
  other files, `..`, symlinks leaving those folders) is refused, nothing of it reaches the PDF,
  and each refused URL becomes a located `blocked-fetch` finding (a warning at the content file
  and line that wrote it), returned to the caller with the documents.
  Links with `rel=attachment` are stripped, so no file is ever embedded.
- **Bounded.** Each document renders in its own processes with a time limit (`timeout`, 120 s by
  default, per process); one that takes longer fails with its name instead of hanging the build.
  Documents render in parallel, one process per core, and a long document is itself cut at
  section boundaries (and between the entities of a section whose entities each start a page)
  into parts rendered in parallel and stitched into one PDF with the whole document's page
  numbers, contents, bookmarks, links and tags (`pdfstitch`, `pdfparts`, `pdfrun`, `pdfjoin`).
- **Carried over.** In a build, a document whose inputs did not change since it was rendered
  (its HTML, options, served files and libraries: `pdfreuse`) is the previous output's file,
  checked against its recorded sha256, and WeasyPrint is not imported at all.
- **Reproducible.** The PDF's creation and modification dates are the plan's `as_of`; WeasyPrint
  writes no clock time, no random id (the file identifier, when a PDF/A variant asks for one, is
  a hash of the content) and no path, and stitching uses no clock or random identifier, so the
  same input gives byte-identical files.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Callable, Iterable, Sequence
from urllib.parse import unquote

import jinja2

from stratdocs import workers as workers_mod
from stratdocs.config import DocumentSpec
from stratdocs.errors import UsageError
from stratdocs.findings import Finding, warning
from stratdocs.links import position
from stratdocs.project import Project
from stratdocs.render import pdfparts, pdfreuse, pdfstitch
from stratdocs.render.urls import SiteMap
from stratdocs.render.views import Views
from stratdocs.render.environment import make_environment
from stratdocs.render.pdf_text import PrintText
from stratdocs.render.views.interface import Interface, use as use_interface
from stratdocs.render.views.document import DocumentViews
from stratdocs.render.writer import InPlaceWriter, check_output_dir
from stratdocs.theme import Theme, resolve as resolve_theme, static_files, template_error

DEFAULT_TIMEOUT = 120.0


def __getattr__(name: str):
    """`Fetcher` and `BlockedFetch` as before they moved to `pdffetch` (imported with WeasyPrint)."""
    if name in ("Fetcher", "BlockedFetch"):
        from stratdocs.render import pdffetch

        return getattr(pdffetch, name)
    raise AttributeError(name)
PAPER = {"a4": "A4", "letter": "letter"}
_ATTACHMENT_LINK_RE = re.compile(r"<link\b[^>]*\brel\s*=\s*['\"]?[^'\">]*attachment[^>]*>", re.I)
_REL_RE = re.compile(r"(<a\b[^>]*?)\s+rel\s*=\s*(\"[^\"]*\"|'[^']*'|[^\s>]+)", re.I)


# -- HTML ----------------------------------------------------------------------------------


def document_html(project: Project, views: Views, spec: DocumentSpec, env: jinja2.Environment, theme: Theme,
                  commit: str = "") -> str:
    """The whole document as one HTML string, ready for WeasyPrint."""
    render, sections = document_template(project, views, spec, env, theme, commit)
    return render(sections)


def document_template(project: Project, views: Views, spec: DocumentSpec, env: jinja2.Environment, theme: Theme,
                      commit: str = "") -> tuple[Callable[[Sequence], str], list]:
    """The document's sections and a function printing the document with any of them (the
    whole document with all; `pdfstitch` cuts it into parts with fewer)."""
    cfg = project.config
    commit = commit or views.commit
    document = DocumentViews(views, spec, _assets_dir(project), commit)
    context = document.document()
    sections = context.pop("sections")
    stylesheet = static_files(theme).get("pdf.css")

    def render(chosen: Sequence) -> str:
        try:
            html = env.get_template("pdf/document.html").render(
                doc=document.spec, site=views.site(), links=document.links, paper=PAPER.get(cfg.paper, "A4"),
                stylesheet=stylesheet.resolve().as_uri() if stylesheet else "",
                as_of=project.as_of, commit=commit, sections=list(chosen),
                print_text=PrintText.of(views.ui, project.as_of), **context)
        except jinja2.TemplateError as exc:
            raise template_error(exc, theme) from None
        return strip_attachments(html)
    return render, sections


def strip_attachments(html: str) -> str:
    """No `<link rel=attachment>` and no `rel` on links: WeasyPrint would embed their targets."""
    return _REL_RE.sub(r"\1", _ATTACHMENT_LINK_RE.sub("", html))


def _assets_dir(project: Project) -> Path:
    return (project.config.content_path / "assets").resolve()


def _job(project: Project, theme: Theme, html: str) -> dict:
    cfg = project.config
    assets = _assets_dir(project)
    inside = cfg.root.resolve() in assets.parents  # an assets folder linked from elsewhere is refused
    allowed = [*([str(assets)] if inside else []), *(str(d) for d in theme.dirs)]
    # A PDF variant decides about tags itself (PDF/UA is tagged); otherwise every document is
    # tagged, at any length: WeasyPrint's tagging time grows faster than the page count, and a
    # long document renders in parts (`pdfstitch`), which bounds it.
    options = {"pdf_variant": cfg.pdf_variant or None, "attachments": None, "custom_metadata": False}
    if cfg.pdf_variant:
        options["pdf_tags"] = False
    return {"html": html, "base_url": _assets_dir(project).as_uri() + "/", "allowed": allowed,
            "options": options}


def _document_jobs(project: Project, views: Views, spec: DocumentSpec, env: jinja2.Environment, theme: Theme,
                   commit: str) -> dict | list[dict]:
    """The document's whole job, or its parts' jobs when it is long enough to render in parts on
    several cores (see `pdfstitch`: cut at sections and between the entities of a section whose
    entities each start a page; not for PDF/A or PDF/UA variants, whose files are written whole)."""
    render, sections = document_template(project, views, spec, env, theme, commit)
    whole = render(sections)
    workers = workers_mod.count(fork=False)  # STRATDOCS_WORKERS=1: one process renders it whole
    cut = None
    if not project.config.pdf_variant and pdfparts.supported() and len(whole) >= 2 * pdfstitch.MIN_PART_CHARS:
        cut = pdfstitch.split(render, sections)
    if cut is None:
        return _job(project, theme, whole)
    head, tail, fragments = cut
    pieces = pdfstitch.pieces(fragments, inside=not _own_print_layout(theme))
    groups = pdfstitch.partition([len(piece.text) for piece in pieces],
                                 pdfstitch.part_count(len(whole), workers, len(pieces)))
    if len(groups) < 2:
        return _job(project, theme, whole)
    expected = pdfstitch.expected_pages(len(whole))
    return [{**_job(project, theme, head + pdfstitch.assemble([pieces[i] for i in group]) + tail),
             "whole_html": whole, "expected_pages": expected, "continues": pieces[group[0]].continues}
            for group in groups]


def _own_print_layout(theme: Theme) -> bool:
    """Whether the project's theme has its own print stylesheet or PDF templates: then where its
    entities start a page is not known, and a document is cut only between sections."""
    return any((d / "static" / "pdf.css").is_file() or (d / "templates" / "pdf").is_dir() for d in theme.own_dirs)


# -- public API ---------------------------------------------------------------------------


def chosen_documents(project: Project, only: Iterable[str] | None) -> list[DocumentSpec]:
    docs = list(project.config.documents)
    if not only:
        return docs
    by_id = {d.id: d for d in docs}
    unknown = [name for name in only if name not in by_id]
    if unknown:
        known = ", ".join(by_id) or "none"
        raise UsageError(f"no document '{unknown[0]}' in stratdocs.yml; the documents are: {known}")
    return [by_id[name] for name in dict.fromkeys(only)]


def render_documents(project: Project, views: Views, docs: Sequence[DocumentSpec], theme: Theme | None = None, *,
                     commit: str = "", timeout: float | None = DEFAULT_TIMEOUT,
                     progress: Callable[[str, int], None] | None = None
                     ) -> dict[str, tuple[bytes, list[Finding]]]:
    """Render documents to PDF bytes with the warnings each produced (blocked fetches).

    :param theme: the resolved theme (by default the project's).
    """
    theme = theme or resolve_theme(project.config)
    rendered = _render(_jobs(project, views, docs, theme, commit), theme, timeout, progress)
    return {doc.id: (rendered[doc.id][0], blocked_findings(project, doc, rendered[doc.id][1], theme)) for doc in docs}


def _jobs(project: Project, views: Views, docs: Sequence[DocumentSpec], theme: Theme, commit: str) -> dict:
    """Each document's jobs (`_document_jobs`), printed in the project's language."""
    env = make_environment(theme, project.config.language)
    views.ui = Interface.of(project.config, env.translations)
    use_interface(views.ui)
    return {doc.id: _document_jobs(project, views, doc, env, theme, commit) for doc in docs}


def _render(jobs: dict, theme: Theme, timeout: float | None, progress) -> dict[str, tuple[bytes, list[str], int]]:
    """Each document's (PDF bytes, refused URLs, page count), rendered in worker processes."""
    if not jobs:
        return {}
    from stratdocs.render import pdfprocs, pdfrun  # WeasyPrint takes half a second to import
    from stratdocs.render.pdffetch import warm_fonts

    if any(isinstance(job, list) for job in jobs.values()):
        warm_fonts(theme)  # decompressed once here, shared by the forked workers
    return pdfrun.render_all(jobs, lambda tasks, groups=(): pdfprocs.run_jobs(tasks, timeout, groups=groups),
                             progress, held=not pdfprocs.in_process(timeout))


def blocked_findings(project: Project, doc: DocumentSpec, urls: Iterable[str],
                     theme: Theme | None = None) -> list[Finding]:
    """A located `blocked-fetch` warning per refused URL: the file and line that wrote it."""
    if not project.config.check_enabled("blocked-fetch"):
        return []
    findings = []
    for url in dict.fromkeys(urls):
        shown = url if len(url) <= 120 else url[:117] + "..."
        message = (f"document '{doc.id}': refused to fetch '{shown}'; PDFs use only files under "
                   f"{project.config.content_dir}/assets, the theme and data: URIs")
        file, line, col, entity = _locate(project, url, theme)
        findings.append(warning(file, line, col, "blocked-fetch", message, entity))
    return sorted(findings)


def _locate(project: Project, url: str, theme: Theme | None = None) -> tuple[str, int, int, str | None]:
    """Where a refused URL was written: a content body, else a stylesheet of the project's
    theme, else the config (a logo, say)."""
    needles = [url, url.replace("&", "&amp;"), unquote(url)]
    for entity in project.plan:
        if not entity.body:
            continue
        for needle in needles:
            at = entity.body.find(needle)
            if at >= 0:
                return (entity.file, *position(entity.body, at, entity.body_line), entity.id)
    for rel, path in (static_files(theme).items() if theme is not None else ()):
        if path.suffix == ".css" and any(d in path.parents for d in theme.own_dirs):
            text = path.read_text(encoding="utf-8", errors="replace")
            at = next((i for i in (text.find(n) for n in needles) if i >= 0), -1)
            if at >= 0:
                return (theme.shown(path), *position(text, at, 1), None)
    return "stratdocs.yml", 1, 1, None


def document_views(project: Project, commit: str = "") -> Views:
    """The view models PDFs are made of, for callers that did not build the site first."""
    from stratdocs.render.site import renderer_spec

    sitemap = SiteMap.of(project.plan, project.config.content_dir)
    return Views(project, renderer_spec(project, sitemap.paths).make, commit, sitemap=sitemap)


def write_documents(project: Project, views: Views, writer, theme: Theme | None = None, *, only=None,
                    commit: str = "", timeout: float | None = DEFAULT_TIMEOUT,
                    progress: Callable[[str, int], None] | None = None, cache=None
                    ) -> tuple[tuple[str, ...], list[Finding]]:
    """Render the configured documents (or only those named) into `pdf/ID.pdf` of the writer.

    :param writer: a `Writer` or `InPlaceWriter` (the one owner of output paths).
    :param only: ids of the documents to write; all configured ones when None.
    :param progress: called with (document id, pages) as each document is finished.
    :param cache: the build's `BuildCache` (with the `Writer` of a build): a document whose
        inputs did not change is carried over from the previous output (`render.pdfreuse`).
    :returns: the ids written, the `blocked-fetch` warnings rendering produced and the ids of
        the documents carried over unrendered (a subset of the first).
    """
    docs = chosen_documents(project, only)
    theme = theme or resolve_theme(project.config)
    jobs = _jobs(project, views, docs, theme, commit)
    folders: dict = {}
    keys = {doc_id: pdfreuse.key(job, folders) for doc_id, job in jobs.items()} if cache is not None else {}
    blocked: dict[str, list[str]] = {}
    for doc_id in keys:
        kept = pdfreuse.carried(cache, writer, doc_id, keys[doc_id])
        if kept is not None:
            blocked[doc_id] = kept[1]
            if progress:
                progress(doc_id, kept[0])
    rendered = _render({doc_id: job for doc_id, job in jobs.items() if doc_id not in blocked}, theme, timeout, progress)
    for doc_id, (data, refused, pages) in rendered.items():
        writer.write(f"pdf/{doc_id}.pdf", data)
        blocked[doc_id] = refused
        if cache is not None:
            pdfreuse.record(cache, doc_id, keys[doc_id], data, pages, refused)
    if cache is not None:  # a document no longer configured is forgotten
        configured = {doc.id for doc in project.config.documents}
        cache.documents = {doc_id: entry for doc_id, entry in cache.documents.items() if doc_id in configured}
    findings = [f for doc in docs for f in blocked_findings(project, doc, blocked[doc.id], theme)]
    return tuple(doc.id for doc in docs), sorted(set(findings)), tuple(doc.id for doc in docs if doc.id not in rendered)


def write_documents_in_place(project: Project, theme: Theme | None = None, only=None, commit: str = "", *,
                             timeout: float | None = DEFAULT_TIMEOUT,
                             progress: Callable[[str, int], None] | None = None
                             ) -> tuple[list[Path], list[Finding]]:
    """`stratdocs pdf [DOC...]`: write only PDFs into `<output>/pdf/`, each swapped in atomically.

    The rest of the site is left as it is; a missing output folder is created (with the marker
    that lets `build` replace it later).
    """
    cfg = project.config
    target = cfg.output_path
    check_output_dir(target, project.root, cfg.content_path)
    chosen_documents(project, only)  # an unknown name fails before any work
    theme = theme or resolve_theme(cfg)
    writer = InPlaceWriter(target, prune=False)
    written, findings, _ = write_documents(project, document_views(project, commit), writer, theme, only=only,
                                           commit=commit, timeout=timeout, progress=progress)
    writer.commit()
    return [target / "pdf" / f"{doc_id}.pdf" for doc_id in written], findings
