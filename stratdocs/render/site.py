"""The website (SPEC §10): every page rendered from view models through the theme.

Rendering is in three steps: Markdown bodies (cached, in worker processes when there are many),
view models, then templates. A page whose fingerprint — template set, site context, page and
view model — is unchanged since the last build is not rendered again: its previous bytes are
reused after a hash check (see `stratdocs.cache`).
"""

from __future__ import annotations

import functools
import hashlib
import json
from itertools import chain
from contextlib import contextmanager
from dataclasses import dataclass, replace
from functools import cached_property
from typing import TYPE_CHECKING, Callable, Iterator

from stratdocs import matrices as matrices_mod
from stratdocs.cache import BuildCache, digest
from stratdocs.i18n import translations
from stratdocs.model import KIND_FOLDERS
from stratdocs.project import Project
from stratdocs.render.pdf_text import PrintText
from stratdocs.render.views.interface import Interface, use as use_interface
from stratdocs.render import ahead, reuse
from stratdocs.render.bodies import renderer_spec  # noqa: F401  (render.pdf and tests take it from here)
from stratdocs.render.deferred import bind as bind_deferred
from stratdocs.render.memory import GRAPH, PLAN, Memory, owner_id, plan_state
from stratdocs.render.pages import write_outputs
from stratdocs.render.viewmemo import EntityMemo, LazyCharts, keeping, remember
from stratdocs.render.urls import REPORT_PAGES, index_path, matrix_path
from stratdocs.render.views import Crumb, Page, link_body
from stratdocs.render.views.common import NotFoundView, not_found_base, shown_spec
from stratdocs.render.views.core import ViewsCore
from stratdocs.render.views.documents import documents_page, rebase_svg_links, twin_page
from stratdocs.theme import Theme, resolve as resolve_theme, static_files

if TYPE_CHECKING:
    import jinja2

    from stratdocs.render.views import Views


def page_base(fingerprint: str, renderer: "SiteRenderer", extra_context: dict | None) -> str:
    """What every page's fingerprint starts from: the theme's (`theme_fingerprint`), the site
    context and the extra context (a page's template, path and view model are added to it)."""
    return digest(fingerprint, repr(renderer.site), repr(sorted((extra_context or {}).items())))


def theme_fingerprint(theme: Theme) -> str:
    """A hash of every template and message catalog in the theme search path (an edit to
    either re-renders pages)."""
    h = hashlib.sha256()
    for directory in theme.dirs:
        for part in ("templates", "locales"):
            folder = directory / part
            for path in sorted(folder.rglob("*")) if folder.is_dir() else ():
                if path.is_file():
                    h.update(f"{part}/{path.relative_to(folder).as_posix()}".encode())
                    h.update(hashlib.sha256(path.read_bytes()).digest())
    return h.hexdigest()


@dataclass(frozen=True)
class Output:
    """One output file: rendered from a template and a view model, or raw data."""

    rel: str
    template: str | list[str] | None = None
    page: Page | None = None
    view: Callable[[], dict] | None = None
    data: Callable[[], str | bytes] | None = None
    reads: frozenset = frozenset()  # what it depends on beyond the items its view model reads
    ref_reads: frozenset = frozenset()  # items it shows only as references (id, title, page)
    #: a long page (a report, a twin): computed first when pages are spread over worker
    #: processes, so that no worker is left alone with one at the end
    first: bool = False
    #: its view model is fingerprinted, and the page not rendered again while the fingerprint is
    #: the last one; False for a page whose view changes whenever it is remade at all (a twin:
    #: every item, so any edit), where walking its view costs more than rendering it saves
    fingerprinted: bool = True


@contextmanager
def _template_errors(theme: Theme) -> Iterator[None]:
    """A theme template's mistake as the user's error naming its file and line (`template_error`)."""
    import jinja2

    try:
        yield
    except jinja2.TemplateError as exc:
        from stratdocs.theme_env import template_error

        raise template_error(exc, theme) from None


class SiteRenderer:
    """Lists every output of the site and renders one at a time."""

    def __init__(self, project: Project, views: Views, env: jinja2.Environment | None, theme: Theme,
                 extra_context: dict | None = None):
        """:param env: the theme's compiled environment (the preview keeps one); None: made when
        a page is first rendered (`env`)."""
        self.project = project
        self.theme = theme
        self.views = views
        if env is not None:
            self.env = env
        self.site = views.site()
        #: the words the PDF section templates print themselves (a twin page includes them)
        self.print_text = PrintText.of(views.ui, project.as_of)
        self.extra = extra_context or {}
        self.docs_memo: dict | None = None
        #: the `Page` of an item (the preview takes unchanged ones over: `render.reuse.page_of`)
        self.page_of = views.page_for
        #: outputs already carried over as they are (`render.reuse.carry`): not listed
        self.carried: frozenset[str] = frozenset()

    @cached_property
    def env(self) -> jinja2.Environment:
        """The theme's environment, made when first needed: a build that carries every page over
        renders none, and does not even import Jinja."""
        from stratdocs.render.environment import make_environment

        return make_environment(self.theme, self.project.config.language)

    def template(self, output: Output) -> jinja2.Template:
        """The output's compiled template (compiled once, kept by the environment)."""
        template = output.template
        with _template_errors(self.theme):
            return self.env.select_template(template) if isinstance(template, list) else self.env.get_template(template)

    def compile_all(self) -> None:
        """Compile every site template of the theme (pages, partials, bases) once per environment."""
        if getattr(self.env, "stratdocs_compiled", False):
            return
        with _template_errors(self.theme):
            for name in self.env.list_templates(filter_func=lambda n: n.endswith(".html") and "pdf/" not in n):
                self.env.get_template(name)
        self.env.stratdocs_compiled = True

    def render(self, output: Output, view: dict) -> str:
        tpl = self.template(output)
        with _template_errors(self.theme):
            html = tpl.render(site=self.site, page=output.page, view=view, print_text=self.print_text, **self.extra)
            return rebase_svg_links(html, output.page.root) if output.template == "document_twin.html" else html

    @cached_property
    def everything(self) -> frozenset[str]:
        """The read set of a page that shows the whole plan (home, reports, twins, the search
        index): every item, the links, what belongs to no item and every owner."""
        return (frozenset(self.project.plan.entities) | {GRAPH, PLAN}
                | {owner_id(o.key) for o in self.views.owners})

    def outputs(self) -> Iterator[Output]:
        """Every output but those already carried over (`carried`)."""
        carried = self.carried
        for output in chain(self._item_outputs(), self._report_outputs()):
            if output.rel not in carried:
                yield output

    def _item_outputs(self) -> Iterator[Output]:
        """The home page, a page per item, and an index per kind."""
        views, plan = self.views, self.project.plan
        if plan.root is not None:
            page = views.page_for(plan.root)
            # The home page and the alignment report summarise the whole plan: remade when anything changed.
            yield Output(page.path, "home.html", page, lambda p=page: self._linked(views.home(), p),
                         reads=self.everything, first=True)
        carried, paths = self.carried, self.views.sitemap.paths
        for entity in plan:
            if entity.container is not None or entity.kind == "plan" or carried and paths[entity.id] in carried:
                continue
            page = self.page_of(entity)
            yield Output(page.path, [f"{entity.kind}.html", "entity.html"], page,
                         lambda e=entity, p=page: self._linked(views.entity(e), p))
        _ = views.ui.gettext
        home = Crumb(_("Home"), "index.html")
        for kind in KIND_FOLDERS:
            if plan.of_kind(kind):
                label, path = views.ui.kind(kind, plural=True), index_path(kind)
                page = Page(path, label, kind, (home, Crumb(label)))
                if kind == "risk":  # the Risks page: the heat map and the register
                    yield Output(path, "risks.html", page, lambda p=page: self._heatmap_linked(views.risk_register(), p))
                    continue
                yield Output(path, "index.html", page, lambda k=kind: views.kind_index(k))

    def _report_outputs(self) -> Iterator[Output]:
        """The reports, search and the page for missing URLs."""
        views, _ = self.views, self.views.ui.gettext
        home = Crumb(_("Home"), "index.html")
        scorecard = REPORT_PAGES["scorecard"]
        yield Output(scorecard, "scorecard.html",
                     Page(scorecard, _("KPI scorecard"), "scorecard", (home, Crumb(_("KPI scorecard")))),
                     lambda: views.scorecard(), first=True)
        roadmap = REPORT_PAGES["roadmap"]
        # The roadmap shows every initiative and operational plan with what each serves.
        yield Output(roadmap, "roadmap.html", Page(roadmap, _("Roadmap"), "roadmap", (home, Crumb(_("Roadmap")))),
                     lambda: views.roadmap(), reads=self.everything, first=True)
        yield from self._matrix_outputs(home)
        alignment = REPORT_PAGES["alignment"]
        yield Output(alignment, "alignment.html",
                     Page(alignment, _("Alignment report"), "alignment", (home, Crumb(_("Alignment report")))),
                     lambda: views.alignment(), reads=self.everything, first=True)
        actions = REPORT_PAGES["actions"]
        yield Output(actions, "actions.html", Page(actions, _("Open actions"), "actions", (home, Crumb(_("Open actions")))),
                     lambda: views.open_actions())
        yield from self._owner_outputs(home)
        yield from self._twins()
        yield from self._search(home)
        notfound = REPORT_PAGES["notfound"]
        preview = bool(self.extra.get("live_reload"))
        base = not_found_base(self.project.config.base_url, preview)
        find_root = not preview and not self.project.config.base_url
        yield Output(notfound, "404.html", Page(notfound, _("Page not found"), "notfound"),
                     lambda: NotFoundView(base, find_root))

    def _matrix_outputs(self, home: Crumb) -> Iterator[Output]:
        """The matrices list, and each matrix as a page and a CSV file."""
        views, _ = self.views, self.views.ui.gettext
        graph = frozenset((GRAPH,))
        matrices = REPORT_PAGES["matrices"]
        yield Output(matrices, "matrices.html",
                     Page(matrices, _("Traceability matrices"), "matrices", (home, Crumb(_("Traceability matrices")))),
                     lambda: views.matrix_list(), reads=graph)
        for spec in self.project.config.matrices:
            if matrix_path(spec.id) in self.carried and matrix_path(spec.id, "csv") in self.carried:
                continue
            name, spec = spec.id, shown_spec(spec, views.ui)
            yield Output(matrix_path(name), "matrix.html",
                         Page(matrix_path(name), spec.title, "matrices",
                              (home, Crumb(_("Traceability matrices"), matrices), Crumb(spec.title)), spec.description),
                         lambda n=name: views.matrix(n), reads=graph, first=True)
            axes = {e.id for axis in (spec.rows, spec.columns) for e in matrices_mod.select(views.index, axis)}
            yield Output(matrix_path(name, "csv"), data=lambda n=name: views.matrices[n].to_csv(),
                         reads=graph, ref_reads=frozenset(axes))  # the CSV shows their ids and titles

    def _owner_outputs(self, home: Crumb) -> Iterator[Output]:
        """The owners index (remade when anything changed, written only when its bytes would change) and one
        page per owner. Who owns what can change with any item (an item gaining an owner is not
        among the items an owner's page read before), so an owner's page also reads the owner
        itself (`owner_id`: their items and what needs them) and is remade when that changed."""
        views = self.views
        _ = views.ui.gettext
        owners = REPORT_PAGES["owners"]
        yield Output(owners, "owners.html", Page(owners, _("Owners"), "owners", (home, Crumb(_("Owners")))),
                     lambda: views.owners_index(), reads=self.everything, first=True)
        for owner, page in views.owner_pages(skip=self.carried):
            yield Output(page.path, "owner.html", page, lambda k=owner.key: views.owner(k),
                         reads=frozenset((owner_id(owner.key),)))

    def _twins(self) -> Iterator[Output]:
        """The HTML twins of the PDF documents (the Documents page waits for the PDFs: `render.twins`).
        A twin shows a whole document: it reads every item, the links and what belongs to no item
        (`PLAN`), so it is remade when anything changed, with the item views nothing changed
        under taken from `render.viewmemo`."""
        for spec in self.project.config.documents:
            twin = twin_page(spec)
            yield Output(twin.path, "document_twin.html", twin, lambda s=spec: self._twin(s), reads=self.everything,
                         first=True, fingerprinted=False)

    def _twin(self, spec):
        from stratdocs.render.views.twin import twin_view  # every section's view models: only to make a twin

        with keeping(self.views):
            return twin_view(self.views, spec)

    def _search(self, home: Crumb) -> Iterator[Output]:
        """The search page and its index (item pages only: not the twins, which repeat them)."""
        _ = self.views.ui.gettext
        search = REPORT_PAGES["search"]
        yield Output(search, "search.html", Page(search, _("Search"), "search", (home, Crumb(_("Search")))), dict)
        docs = functools.cache(lambda: self.views.search_docs(self.docs_memo))  # once, when first written
        yield Output("search-index.json", reads=self.everything,
                     data=lambda: json.dumps({"docs": docs()}, ensure_ascii=False, sort_keys=True) + "\n")
        # A script, not JSON fetched at run time: browsers refuse fetch() from file:// pages.
        yield Output("search-index.js", reads=self.everything, data=lambda: "window.STRATDOCS_SEARCH = " + json.dumps(
            {"docs": docs()}, ensure_ascii=True, sort_keys=True).replace("<", "\\u003c") + ";\n")

    @staticmethod
    def _heatmap_linked(view, page: Page):
        return replace(view, heatmap=link_body(view.heatmap, page.root))

    @staticmethod
    def _linked(view, page: Page):
        return replace(view, body=link_body(view.body, page.root))


def entity_states(views: Views, only: set[str] | None = None) -> dict[str, tuple]:
    """Everything a page may show of each item, of what belongs to no item (`PLAN`) and of each
    owner (`owner_id`); the links come last (see `Memory.changes`). An item read through the
    load cache stands as (the source of its file, its id), which determines it exactly as it
    determines the load cache's result, and digests faster than its repr (issue 15).

    :param only: the states of only these items and owners (`owner_id`), without `PLAN`
        (`render.reuse.states`: the others are the last ones).
    """
    project, index = views.project, views.index
    sources = project.sources  # an item as what its file was made from: its repr costs more
    kpi_health, objective_health = project.kpi_health.get, project.objective_health.get
    kpi_trend, objective_trend = project.kpi_trend.get, project.objective_trend.get
    traces, chains, up, down = index.traces_to.get, index.chains.get, index.up.get, index.down.get
    findings, waivers, owner = views.entity_findings.get, views.waivers.get, views.sitemap.owner
    # Without a forge's editor or outside git these are '' and None for every item (see each).
    edit_url = views.edit_url if project.config.edit_base else lambda e: ""
    last_change = views.last_change if project.checkout.commit else lambda e: None
    entities = project.plan if only is None else [e for i in only if (e := project.plan.entities.get(i)) is not None]
    owners = views.owners if only is None else [o for o in views.owners if owner_id(o.key) in only]
    return {(i := e.id): ((sources[e.file], i) if e.file in sources else e, kpi_health(i), objective_health(i),
                          kpi_trend(i), objective_trend(i), traces(i), chains(i), tuple(findings(i, ())),
                          tuple(waivers(i, ())), edit_url(e), last_change(e), owner(e.owner), up(i), down(i))
            for e in entities} | ({PLAN: plan_state(project)} if only is None else {}) | {
        owner_id(o.key): (o, (), ()) for o in owners}


def _item_refs(views: Views, env, tables: dict | None) -> tuple[dict, set[str] | None]:
    """`render.reuse.item_ref_changes`, with the references kept for the pages (`Views.ref`)."""
    refs, candidates = reuse.item_ref_changes(views, env, tables)
    views.ref_table = refs  # what `views.item_ref` gives for each item, made once
    return refs, candidates


def _copy_files(writer, theme: Theme, project: Project) -> None:
    """The theme's static files and the project's published assets, as they are."""
    for rel, source in static_files(theme).items():
        writer.copy(f"static/{rel}", source)
    for rel, source in project.assets:
        writer.copy(f"assets/{rel}", source)


def write_site(project: Project, writer, theme: Theme | None = None, *, commit: str = "", cache: BuildCache | None = None,
               memory: Memory | None = None, progress: Callable[[str], None] | None = None,
               extra_context: dict | None = None, deferred=None) -> Views:
    """Render and write every page, static file and asset; the views (a `ViewsCore` while no page was made).

    :param writer: the one owner of output paths (`Writer` or `InPlaceWriter`).
    :param theme: the resolved theme (by default the project's).
    :param commit: the git commit shown in the footer.
    :param cache: the on-disk cache of bodies, charts and page fingerprints.
    :param memory: dependency tracking kept between rebuilds in one process (the preview
        server); with it, a page whose context is the same and none of whose items changed is
        not even recomputed. Otherwise a page is rendered only when its fingerprint changed.
    :param progress: called with each output path written.
    :param extra_context: more template context (the preview's live-reload switch).
    :param deferred: the preview's `render.deferred.Deferred`, where all but item pages wait for after the reload.
    """
    theme = theme or resolve_theme(project.config)
    cache, tables = cache if cache is not None else BuildCache(), memory.kept if memory is not None else None  # `reuse`
    spec = reuse.renderer_spec(project, sitemap := reuse.site_map(project, tables), tables)
    views = ViewsCore(project, spec.make, commit, charts=cache, sitemap=sitemap)
    bodies, unclean = reuse.bodies(project, spec, cache, tables)
    views.set_bodies(bodies, unclean)
    fingerprint = theme_fingerprint(theme)
    env = memory.environment(theme, project.config, fingerprint) if memory is not None else None  # a build: later
    views.ui = Interface.of(project.config, translations(theme, project.config.language))  # what the environment has
    use_interface(views.ui)
    renderer = SiteRenderer(project, views, env, theme, extra_context)
    renderer.page_of, views.owners = reuse.page_of(views, env, tables), reuse.owners(views, tables)
    base = page_base(fingerprint, renderer, extra_context)
    guard = digest(base, repr(project.config))  # what a restored read set is valid for
    persist = memory is None  # a build: the read sets go to the on-disk cache for the next one
    memory = Memory.restore(cache.memory, guard) if persist else memory
    if not persist:
        memory.env = ((fingerprint, project.config), renderer.env)  # compiled templates are kept
    renderer.docs_memo, views.rows_memo = memory.docs, memory.rows
    changed = memory.changes(*reuse.states(views, memory, tables))
    rebodied = memory.changed_bodies({key: r.html for key, r in bodies.items()})
    changed_refs = memory.ref_changes(*_item_refs(views, env, tables))
    changed = changed | rebodied if changed is not None else None
    kept = (lambda: cache.kept_views(guard)) if persist else memory.views.get(guard, {})
    views.entity = memo = EntityMemo(views, kept, changed, changed_refs, LazyCharts(cache), encode=persist)  # once
    ahead.make_kpi_charts(views, cache, every_page=persist and changed is None)  # then on every core

    def is_unchanged(output: Output) -> bool:
        record = memory.reads.get(output.rel)
        return (changed is not None and record is not None and record[0] == base
                and not record[1] & changed and not record[2] & changed_refs)
    renderer.carried = reuse.carry(tables, structure := (sitemap, project.config, base, tuple(o.key for o in views.owners)),
                                   memory, cache, writer, changed, changed_refs)  # the same structure: the same outputs
    bind_deferred(deferred, project, sitemap, lambda: remember(memory, cache, memo, guard, used_pages, persist),
                  base, writer, cache, memory, views, renderer)  # the preview: all but item pages after the reload
    used_pages = write_outputs(renderer.outputs(), is_unchanged, base, writer, cache, memory, views, renderer,
                               progress, parallel=persist, deferred=deferred) | renderer.carried
    reuse.listed(tables, structure, used_pages)
    _copy_files(writer, theme, project)
    # Skipped pages used charts too: then all are kept; the Documents page (after the PDFs) keeps its entry.
    cache.prune(set(cache.bodies) & cache.used_bodies, views.chart_keys if changed is None else None,
                used_pages | {documents_page().path})
    remember(memory, cache, memo, guard, used_pages, persist)
    return views

