"""The website (SPEC §10): every page rendered from view models through the theme."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Callable, Iterator

import jinja2

from stratdocs import __version__
from stratdocs.model import KIND_LABELS
from stratdocs.project import Project
from stratdocs.render import views as views_mod
from stratdocs.render.markdown import MarkdownRenderer
from stratdocs.render.views import Crumb, Page, Views, link_body
from stratdocs.render.writer import Writer
from stratdocs.theme import environment, static_files, theme_dirs


def renderer_factory(project: Project, paths: dict[str, str]):
    """A function returning the (lazily built) Markdown renderer for this project."""
    cfg = project.config
    holder: dict = {}

    def make() -> MarkdownRenderer:
        if "r" not in holder:
            targets = {e.id.lower(): views_mod.Target(e.id, paths[e.id], e.title, e.kind) for e in project.plan}
            file_pages = {e.file: paths[e.id] for e in project.plan if e.container is None}
            content = (cfg.root / cfg.content_dir).resolve()
            holder["r"] = MarkdownRenderer(cfg.markdown_extensions, cfg.markdown_options, cfg.raw_html, targets,
                                           file_pages, cfg.content_dir,
                                           lambda rel: _inside_file(cfg.root / rel, content))
        return holder["r"]
    return make


def _inside_file(path: Path, folder: Path) -> bool:
    resolved = path.resolve()
    return resolved.is_file() and folder in resolved.parents


@jinja2.pass_context
def _url(ctx, path: str | None) -> str:
    return ctx["page"].root + path if path is not None else ""


def make_environment(project: Project) -> jinja2.Environment:
    env = environment(project.config)
    env.filters["url"] = _url
    env.globals["version"] = __version__
    env.globals["kind_labels"] = KIND_LABELS
    env.globals["extra_css"] = extra_css(project)
    return env


def extra_css(project: Project) -> list[str]:
    """Stylesheets a project theme adds (beside overriding style.css), linked after the default."""
    builtin = theme_dirs(project.config)[-1]
    return [rel for rel, path in static_files(project.config).items()
            if rel.endswith(".css") and rel != "style.css" and builtin not in path.parents]


class SiteRenderer:
    """Renders pages one at a time; `pages()` lists every output path with how to make it."""

    def __init__(self, project: Project, views: Views, env: jinja2.Environment):
        self.project = project
        self.views = views
        self.env = env
        self.site = views.site()

    def render(self, template: str | list[str], page: Page, **context) -> str:
        tpl = self.env.select_template(template) if isinstance(template, list) else self.env.get_template(template)
        return tpl.render(site=self.site, page=page, **context)

    def pages(self) -> Iterator[tuple[str, Callable[[], str | bytes]]]:
        views, plan = self.views, self.project.plan
        root_entity = plan.root
        if root_entity is not None:
            page = views.page_for(root_entity)
            yield page.path, lambda: self._home(page)
        for entity in plan:
            if entity.container is not None or entity.kind == "plan":
                continue
            yield views.paths[entity.id], (lambda e=entity: self._entity(e))
        for kind, folder in views_mod.INDEX_FOLDERS.items():
            if plan.of_kind(kind):
                yield f"{folder}/index.html", (lambda k=kind, f=folder: self._kind_index(k, f))
        yield "scorecard.html", self._scorecard
        yield "matrices/index.html", self._matrices
        for name in views.matrices:
            yield f"matrices/{name}.html", (lambda n=name: self._matrix(n))
            yield f"matrices/{name}.csv", (lambda n=name: views.matrices[n].to_csv())
        yield "alignment.html", self._alignment
        yield "search.html", self._search
        docs = views.search_docs()
        yield "search-index.json", lambda: json.dumps({"docs": docs}, ensure_ascii=False, sort_keys=True) + "\n"
        yield "search-index.js", lambda: ("window.STRATDOCS_SEARCH = "
                                          + json.dumps({"docs": docs}, ensure_ascii=True, sort_keys=True).replace("<", "\\u003c")
                                          + ";\n")
        yield "404.html", self._not_found

    def _home(self, page: Page) -> str:
        view = self.views.home()
        view["body"] = link_body(view["body"], page.root)
        return self.render("home.html", page, view=view)

    def _entity(self, entity) -> str:
        page = self.views.page_for(entity)
        view = self.views.entity(entity)
        view["body"] = link_body(view["body"], page.root)
        return self.render([f"{entity.kind}.html", "entity.html"], page, view=view)

    def _kind_index(self, kind: str, folder: str) -> str:
        label = KIND_LABELS[kind][1]
        page = Page(f"{folder}/index.html", label, kind, (Crumb("Home", "index.html"), Crumb(label)))
        return self.render("index.html", page, view=self.views.kind_index(kind))

    def _scorecard(self) -> str:
        page = Page("scorecard.html", "KPI scorecard", "scorecard", (Crumb("Home", "index.html"), Crumb("KPI scorecard")))
        return self.render("scorecard.html", page, view=self.views.scorecard())

    def _matrices(self) -> str:
        page = Page("matrices/index.html", "Traceability matrices", "matrices",
                    (Crumb("Home", "index.html"), Crumb("Traceability matrices")))
        return self.render("matrices.html", page, view={"matrices": self.views.matrix_list()})

    def _matrix(self, name: str) -> str:
        view = self.views.matrix(name)
        page = Page(f"matrices/{name}.html", view["spec"].title, "matrices",
                    (Crumb("Home", "index.html"), Crumb("Traceability matrices", "matrices/index.html"),
                     Crumb(view["spec"].title)), view["spec"].description)
        return self.render("matrix.html", page, view=view)

    def _alignment(self) -> str:
        page = Page("alignment.html", "Alignment report", "alignment", (Crumb("Home", "index.html"),
                                                                         Crumb("Alignment report")))
        return self.render("alignment.html", page, view=self.views.alignment())

    def _search(self) -> str:
        page = Page("search.html", "Search", "search", (Crumb("Home", "index.html"), Crumb("Search")))
        return self.render("search.html", page, view={})

    def _not_found(self) -> str:
        page = Page("404.html", "Page not found", "notfound")
        return self.render("404.html", page, view={})


def write_site(project: Project, writer: Writer, *, commit: str = "", bodies=None,
               progress: Callable[[str], None] | None = None) -> Views:
    """Render and write every page, static file and asset. Returns the views (for PDFs)."""
    paths = views_mod.page_paths(project)
    views = Views(project, renderer_factory(project, paths), commit)
    if bodies:
        views.set_bodies(bodies)
    renderer = SiteRenderer(project, views, make_environment(project))
    for rel, make in renderer.pages():
        writer.write(rel, make())
        if progress:
            progress(rel)
    for rel, source in static_files(project.config).items():
        writer.copy(f"static/{rel}", source)
    for rel, source in asset_files(project):
        writer.copy(rel, source)
    return views


def asset_files(project: Project) -> list[tuple[str, Path]]:
    """Files under content/assets, copied as they are; links leaving the project are skipped."""
    cfg = project.config
    base = cfg.root / cfg.content_dir / "assets"
    if not base.is_dir():
        return []
    root = cfg.root.resolve()
    out = []
    for path in sorted(base.rglob("*")):
        if path.is_file() and not any(part.startswith(".") for part in path.relative_to(base).parts):
            if root not in path.resolve().parents:
                continue
            out.append((f"assets/{path.relative_to(base).as_posix()}", path))
    return out

