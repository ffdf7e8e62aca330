"""The pipeline of every command, in one screen (STYLE.md: "one pipeline, readable in one screen").

::

    check    config.load -> sources.discover -> schema (per file) -> trace -> health -> alignment
             (`project.load`), then `preflight`: theme, templates, documents
    build    check -> refuse errors -> views -> site pages -> PDF documents -> writer.commit -> cache.save
    pdf      check -> refuse errors -> views -> the named PDF documents -> in-place writer
    preview  re-read changed files -> assemble -> site pages -> in-place writer (`stratdocs.serve.session`)

Each stage takes plain data and returns plain data. Loading finishes before rendering starts.
User mistakes come back as findings, or as `stratdocs.errors` exceptions for what stops a
command; nothing here prints or exits (only `stratdocs.cli` does).
"""

from __future__ import annotations

import os
import sys
import time
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Callable

from stratdocs import cache as cache_mod, cache_files
from stratdocs import config as config_mod
from stratdocs import assets as assets_mod, git, project as project_mod, workers
from stratdocs.errors import ConfigError, ContentError
from stratdocs.findings import Finding, Severity, error, merged
from stratdocs.theme import Theme, resolve as resolve_theme

@dataclass(frozen=True)
class Checked:
    """A loaded project and everything `build` would refuse or warn about."""

    project: project_mod.Project
    theme: Theme
    #: the project's findings plus those of the theme and documents, sorted
    findings: tuple[Finding, ...]

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.severity is Severity.ERROR]

    @property
    def warnings(self) -> list[Finding]:
        return [f for f in self.findings if f.severity is Severity.WARNING]


@dataclass(frozen=True)
class BuildResult:
    output: Path
    pages: int
    documents: tuple[str, ...]
    #: warnings of the plan and those found while rendering (blocked fetches)
    warnings: tuple[Finding, ...]
    #: (stage, seconds) in order
    timings: tuple[tuple[str, float], ...] = ()
    #: PDF documents carried over unchanged from the previous output (`--no-pdf`)
    kept: tuple[str, ...] = ()
    #: PDF documents of `documents` whose inputs had not changed: carried over, not rendered again
    carried: tuple[str, ...] = ()


@dataclass
class Stages:
    """Times each stage of a command (printed by `-v`)."""

    timings: list[tuple[str, float]] = field(default_factory=list)

    def done(self, stage: str, since: float) -> float:
        now = time.perf_counter()
        self.timings.append((stage, now - since))
        return now


def check(root: Path, stages: Stages | None = None, files: project_mod.FileMemo | None = None, *,
          probe: bool = True, use_cache: bool = True) -> Checked:
    """Load and validate the project at `root`: content, config, theme and documents.

    :param stages: collects the time of each stage.
    :param files: files kept from an earlier load in this process (the preview).
    :param probe: render the project's own templates once (`render.probe`); the preview and
        build skip it, since they render every page anyway.
    :param use_cache: read and write the load cache in `.stratdocs-cache/` (`cache_files`): a
        file unchanged since the last `check` or `build` is not parsed again (`--no-cache`: off).
    :raises ConfigError: for a bad `stratdocs.yml`, theme setting, logo or `changes_since`.
    """
    stages = stages or Stages()
    start = time.perf_counter()
    cache = cache_files.for_project(Path(root)) if use_cache and files is None else None
    with workers.collector_paused(freeze=files is None):  # the preview runs on: nothing frozen
        project = project_mod.load(root, files=files, cache=cache)
    if cache is not None:
        try:
            cache.save()
        except OSError:
            pass  # a cache that cannot be written only makes the next run slower
    start = stages.done("load and validate the plan", start)
    theme, found = preflight(project, probe, files.items if files is not None else None)
    stages.done("check theme and documents", start)
    return Checked(project, theme, merged(project.findings, found))


def preflight(project: project_mod.Project, probe: bool = True, tables: dict | None = None) -> tuple[Theme, list[Finding]]:
    """What rendering needs beyond the plan: the theme, its templates, the documents' logo and
    revisions. Config problems raise `ConfigError` (all at once); template problems are findings.
    `tables`: what the preview keeps between rebuilds (`render.reuse`)."""
    cfg = project.config
    problems: list[Finding] = []
    try:
        theme = resolve_theme(cfg)
    except ConfigError as exc:
        problems += exc.findings
        theme = None
    problems += _document_problems(project)
    if problems:
        raise ConfigError(sorted(problems))
    found: list[Finding] = []
    if theme.own_dirs:  # the built-in theme's catalogs and templates are tested by the suite
        from stratdocs.i18n import CatalogError
        from stratdocs.render.environment import make_environment  # Jinja: only for a theme of its own
        from stratdocs.theme_env import check_templates

        try:
            env = make_environment(theme, cfg.language)
        except CatalogError as exc:  # a theme's message catalog is broken: build would refuse it
            return theme, [exc.finding]
        found = check_templates(theme, env)
    if probe and not found and not any(f.severity is Severity.ERROR for f in project.findings):
        # Rendered only on a sound plan (as build would), and only if compiling found nothing.
        from stratdocs.render.probe import template_findings

        found = template_findings(project, theme)
    return theme, found + _output_clashes(project, theme, tables)


def _output_clashes(project: project_mod.Project, theme: Theme, tables: dict | None = None) -> list[Finding]:
    """Two outputs on one path (a content folder mapped onto a report's path, say) is an error
    located at the item's file, in `check` as in `build` (`tables`: the preview's, `render.reuse`)."""
    from stratdocs.render import reuse
    from stratdocs.render.urls import clashes, planned_outputs
    from stratdocs.theme import static_files

    cfg = project.config
    sitemap, static = reuse.site_map(project, tables), tuple(static_files(theme))
    found = reuse.output_clashes(project, sitemap, static, tables, lambda: clashes(planned_outputs(
        project.plan, sitemap, cfg.matrices, cfg.documents, static, (rel for rel, _ in project.assets))))
    if not found:
        return []
    already = {f.entity for f in project.findings if f.severity is Severity.ERROR and f.entity}
    findings = []
    for path, first, second, entity in found:
        if entity is not None and entity.id in already:
            continue  # a second plan or a duplicate id: reported once, as that
        file, line = (entity.file, entity.line) if entity is not None else (config_mod.CONFIG_FILE, 1)
        findings.append(error(file, line, 1, "output-clash", f"{first} and {second} would both be written to "
                              f"'{path}'; rename the item or its folder", entity.id if entity else None))
    return findings


def _document_problems(project: project_mod.Project) -> list[Finding]:
    cfg = project.config
    problems = []
    if cfg.logo and not _logo_file(cfg).is_file():
        line, col = cfg.position("logo")
        problems.append(error(config_mod.CONFIG_FILE, line, col, "config",
                              f"logo '{cfg.logo}' is not a file under {cfg.content_dir}/assets; "
                              "put the image there or fix the path"))
    for number, doc in enumerate(cfg.documents):
        if doc.changes_since and "changes" in doc.sections and not git.is_revision(cfg.root, doc.changes_since):
            line, col = cfg.position(f"documents[{number}].changes_since")
            problems.append(error(config_mod.CONFIG_FILE, line, col, "config",
                                  f"document '{doc.id}': changes_since '{doc.changes_since}' is not a revision "
                                  "of this git repository; name a commit, tag or branch"))
    return problems


def _logo_file(cfg) -> Path:
    """The logo's file, or a path that is never a file when it would leave content/assets."""
    assets = (cfg.content_path / "assets").resolve()
    path = (assets / assets_mod.logo_rel(cfg.logo, cfg.content_dir)).resolve()
    return path if assets in path.parents else assets / ".outside"


def refuse_errors(checked: Checked) -> None:
    """Nothing is published from a plan with errors; the previous output stays."""
    errors = checked.errors
    if errors:
        raise ContentError(f"the plan has {len(errors)} error{'s' if len(errors) != 1 else ''} (first: "
                           f"{errors[0].text()}); run 'stratdocs check', fix them and build again. "
                           "The previous output was left as it was.", errors)


def output_dir(project: project_mod.Project, out: Path | None) -> Path:
    """The output folder: `--out` (relative to the project, as `-C` means "started there") or config."""
    if out is None:
        return project.config.output_path
    return out if out.is_absolute() else project.root / out


def build(root: Path, out: Path | None = None, *, pdf: bool = True, use_cache: bool = True,
          progress: Callable[[str], None] | None = None,
          pdf_progress: Callable[[str, int], None] | None = None) -> BuildResult:
    """Build the site (and every PDF document) of the project at `root`.

    On any failure the previous output stays as it was.

    :param out: the output folder; by default config's `output_dir`.
    :param pdf: also render the PDF documents.
    :param use_cache: read and write `.stratdocs-cache/` (the build cache and the load cache).
    :param progress: called with each site file written.
    :param pdf_progress: called with (document id, pages) as each PDF is finished.
    """
    from stratdocs.render.site import write_site
    from stratdocs.render.writer import check_output_dir

    stages = Stages()
    checked = check(root, stages, probe=False, use_cache=use_cache)
    refuse_errors(checked)
    project = checked.project
    target = output_dir(project, out)
    check_output_dir(target, project.root, project.config.content_path)
    start = time.perf_counter()
    project = with_checkout(checked)
    commit = project.checkout.commit
    cache = _build_cache(project.root, use_cache)
    writer = _writer(target, cache)
    pages = 0

    def count(rel: str) -> None:
        nonlocal pages
        pages += rel.endswith(".html")
        if progress:
            progress(rel)
    documents = kept = carried = ()  # written, kept under --no-pdf, carried over unrendered
    found: list[Finding] = []
    try:
        # What the site makes lives to the end of the build, as the plan does: the collector waits
        # (in the page workers forked meanwhile too) and is back for the PDFs' layout.
        with workers.collector_paused(freeze=False):
            views = write_site(project, writer, checked.theme, commit=commit, cache=cache, progress=count)
        start = stages.done("render the site", start)
        if pdf:
            from stratdocs.render.pdf import write_documents

            documents, found, carried = write_documents(project, views, writer, checked.theme, commit=commit,
                                                        progress=pdf_progress, cache=cache)
            start = stages.done("render the PDF documents", start)
        else:  # PDFs built earlier stay (they are not rebuilt: the CLI says so)
            kept = tuple(doc.id for doc in project.config.documents if writer.keep(f"pdf/{doc.id}.pdf", None))
        count(_documents_page(project, views, writer, checked.theme, cache))
        writer.commit()
    except BaseException:
        writer.abort()
        raise
    _save(cache, writer)
    stages.done("swap in the output and save the cache", start)
    return BuildResult(target, pages, documents, tuple(checked.warnings) + tuple(found), tuple(stages.timings),
                       kept, carried)


def _writer(target: Path, cache: cache_mod.BuildCache):
    """The build's writer, knowing what the last build left in `target` (`render.seen`)."""
    from stratdocs.render import seen
    from stratdocs.render.writer import Writer

    return Writer(target, seen.read(cache, target.resolve()))


def _save(cache: cache_mod.BuildCache, writer) -> None:
    """Save the build cache and what the output folder now holds (`render.seen`)."""
    from stratdocs.render import seen

    try:
        cache.save()
        seen.save(cache, writer.output, writer.seen())
    except OSError:
        pass  # a cache that cannot be written only makes the next build slower


def _build_cache(root: Path, use_cache: bool) -> cache_mod.BuildCache:
    """The project's build cache (an empty one with `--no-cache`), loaded with the collector
    paused: it is data, like the plan (`workers.collector_paused`)."""
    if not use_cache:
        return cache_mod.BuildCache()
    with workers.collector_paused():
        return cache_mod.for_project(root)


def _documents_page(project: project_mod.Project, views, writer, theme, cache: cache_mod.BuildCache) -> str:
    """The Documents page prints each PDF's page count: written once the PDFs are in place."""
    from stratdocs.render.twins import output_pdf_pages, write_documents_page

    return write_documents_page(project, views, writer, theme,
                                output_pdf_pages(writer.published, project.config.documents), cache=cache)


def preview(root: Path, writer, files: project_mod.FileMemo, cache: cache_mod.BuildCache, memory,
            extra_context: dict, deferred=None) -> Checked:
    """One rebuild of the preview: re-read what changed, then write the pages whose inputs changed.

    :param writer: the preview's `InPlaceWriter`.
    :param files: files kept from the previous rebuild.
    :param cache: bodies, charts and page fingerprints, kept in memory between rebuilds.
    :param memory: the preview's `render.memory.Memory` (dependency tracking).
    :param extra_context: template context for the preview (live reload).
    :param deferred: a `render.deferred.Deferred` to leave all but item pages in, for after the reload.
    :raises ContentError: when the plan has errors (nothing is written).
    """
    from stratdocs.render.site import write_site
    from stratdocs.render.twins import write_documents_page

    saved = set(files.changed) if files.changed is not None else None  # before `check` reads them
    checked = check(root, files=files, probe=False)
    refuse_errors(checked)
    project = with_checkout(checked, files.checkout, saved)  # per rebuild: an edit or a commit changes the stamp
    views = write_site(project, writer, checked.theme, commit=project.checkout.commit,
                       cache=cache, memory=memory, extra_context=extra_context, deferred=deferred)
    # The preview renders no PDFs: its Documents page is that of a fresh `build --no-pdf`.
    write_documents_page(project, views, writer, checked.theme, {}, extra_context, memory.env[1] if memory.env else None)
    writer.commit()
    return checked


def pdf(root: Path, documents: tuple[str, ...] | None = None,
        progress: Callable[[str, int], None] | None = None) -> tuple[list[Path], list[Finding]]:
    """Write only the named PDF documents (all when None) into the output folder's `pdf/`."""
    from stratdocs.render.pdf import write_documents_in_place

    checked = check(root)
    refuse_errors(checked)
    project = with_checkout(checked)
    return write_documents_in_place(project, checked.theme, documents or None, project.checkout.commit,
                                    progress=progress)


def with_checkout(checked: Checked, memo: git.CheckoutMemo | None = None,
                  saved: set[str] | None = None) -> project_mod.Project:
    """The checked project with what git says about its inputs: the commit stamp (marked when
    they have uncommitted changes) and the last change of every content file, for pages and
    covers. A handful of git processes, whatever the size of the plan.

    :param checked: the result of `check`.
    :param memo: the preview's answers kept between rebuilds; `saved`: the content files saved
        since the last one, when nothing else changed (`git.CheckoutMemo`).
    """
    from stratdocs.suspect import LOCK_FILE

    project = checked.project
    root, cfg = project.root, project.config
    themes = tuple(d.relative_to(root).as_posix() for d in checked.theme.dirs if root in d.parents)
    inputs = (config_mod.CONFIG_FILE, LOCK_FILE, cfg.content_dir, *themes)
    found = memo.checkout(root, inputs, cfg.content_dir, saved) if memo is not None else \
        git.checkout(root, inputs, cfg.content_dir)
    return replace(project, checkout=found)


def is_interactive() -> bool:
    """Whether progress may be drawn: a terminal, and not CI."""
    return sys.stderr.isatty() and not os.environ.get("CI")

