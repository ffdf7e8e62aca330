"""What every view model needs: the project, where items live, references, charts, bodies.

`ViewsCore` also tells its `tracker` (`render.memory.Reads`, owned by the incremental build of
`stratdocs serve`, see `stratdocs.render.site.write_site`) what a page's view model read: the
items a page showed in full (`_read()`), and those it showed only as references (`ref()`;
`item_ref()` does not record).
"""

from __future__ import annotations

from functools import cached_property
from pathlib import PurePosixPath
from typing import Callable, Mapping
from urllib.parse import quote

from markupsafe import Markup

from stratdocs import matrices as matrices_mod
from stratdocs.cache import digest
from stratdocs.config.perspectives import DEFAULT_PERSPECTIVES
from stratdocs.git import DIRTY
from stratdocs.numbers import format_date
from stratdocs.i18n import N_
from stratdocs.model import KIND_FOLDERS, KINDS, Entity
from stratdocs import owners as owners_mod
from stratdocs.owners import Owner
from stratdocs.render.views.interface import Interface, _, current
from stratdocs.project import Project
from stratdocs.render.memory import Reads
from stratdocs.render.markdown import MarkdownRenderer, Rendered, sanitize
from stratdocs.render.urls import REPORT_PAGES, SiteMap, index_path
from stratdocs.render.views.common import HOME, Crumb, ItemRef, LastChange, Page, logo_path

#: Sections of the site with an index page, in navigation order.
KIND_SECTIONS = ("objective", "initiative", "strategy", "operation", "kpi", "review", "risk", "page")
#: Report pages in the navigation: (key, label).
REPORT_NAV = (("scorecard", N_("KPI scorecard")), ("roadmap", N_("Roadmap")),
              ("matrices", N_("Traceability matrices")), ("alignment", N_("Alignment report")),
              ("actions", N_("Open actions")), ("owners", N_("Owners")), ("documents", N_("Documents")),
              ("search", N_("Search")))
DEFAULT_TITLE = "Strategic plan"
#: DEFAULT_PERSPECTIVES' names, marked so that the catalogs carry them.
_PERSPECTIVE_WORDS = (N_("Financial"), N_("Customer"), N_("Internal processes"), N_("Learning & growth"))


class ViewsCore:
    """The shared state of the view models of one loaded project.

    Made alone (`render.site.write_site`), it is what a build needs before it knows which pages
    to compute: item references, pages, breadcrumbs, the site context. The view models of the
    pages themselves live in the mixins `Views` is made of (`views.full`), whose 100-odd frozen
    dataclasses take a tenth of a second to import: a warm build that carries every page over
    never imports them. The first time anything else is asked of it (`views.kpi_detail`), the
    object becomes a `Views` (`complete`): the same object, with the same state, and every
    method of the full class.
    """

    #: whether this object is a whole `Views` already (`complete`)
    _complete = False

    def __init__(self, project: Project, renderer_factory: Callable[[], MarkdownRenderer] | None = None,
                 commit: str = "", charts=None, sitemap: SiteMap | None = None):
        """
        :param project: the loaded, validated project.
        :param renderer_factory: makes the Markdown renderer for bodies not set with `set_bodies`.
        :param commit: the source revision printed in footers and on covers ('' for none).
        :param charts: a `BuildCache` that keeps charts by their inputs, or None.
        :param sitemap: where every item lives; by default worked out from the project.
        """
        self.project = project
        self.plan = project.plan
        self.index = project.index
        self.as_of = project.as_of
        self.commit = commit
        #: where every item lives on the site
        self.sitemap = sitemap if sitemap is not None else SiteMap.of(project.plan, project.config.content_dir)
        #: entity id -> its findings / waivers
        #: every item's reference, made once for the rebuild (`render.site.write_site`); None: made on demand
        self.ref_table: Mapping[str, ItemRef] | None = None
        self.entity_findings: dict[str, list] = {}
        for finding in project.findings:
            if finding.entity:
                self.entity_findings.setdefault(finding.entity, []).append(finding)
        self.waivers: dict[str, list] = {}
        for waiver in project.waivers:
            self.waivers.setdefault(waiver.entity.id, []).append(waiver)
        self._renderer = renderer_factory
        self._charts = charts
        #: keys of the charts made (or reused) in this build
        self.chart_keys: set[str] = set()
        self._bodies: dict[str, Rendered] = {}
        self._unclean: set[str] = set()  # ids in _bodies not sanitised in this process yet
        #: records what the page being built reads (see `render.memory.Reads`)
        self.tracker = Reads()
        #: KPI rows by entity, kept between preview rebuilds (None: no memo)
        self.rows_memo: dict | None = None
        #: the interface's words in the plan's language (set by the renderer from its theme)
        self.ui: Interface = Interface(language=project.config.language, terms=project.config.terms)

    def complete(self) -> None:
        """Make this object a `Views` (see the class), before a page's view model is asked for."""
        if not self._complete:
            from stratdocs.render.views.full import Views

            self.__class__ = Views

    def __getattr__(self, name: str):
        """Only for a name the object does not have: the rest of `Views` is brought in once."""
        if self._complete or name.startswith("__"):
            raise AttributeError(f"{type(self).__name__!r} object has no attribute {name!r}")
        self.complete()
        return getattr(self, name)

    @cached_property
    def matrices(self) -> dict:
        """Every configured matrix by name."""
        return matrices_mod.build_all(self.index, self.project.config.matrices, self.project.config.perspectives)

    def _read(self, entity_id: str) -> None:
        self.tracker.read(entity_id)

    def chart(self, name: str, **kwargs) -> Markup:
        """An SVG chart from `render.charts`, remembered by its inputs across builds.

        :param name: the chart function (`sparkline`, `kpi_chart`, `strategy_map`).
        :param kwargs: its arguments. The build's language is an input too: a chart's words
            and dates are in it, so a German build never reuses an English chart.
        """
        from stratdocs.render import charts  # the chart modules: only once a page shows one

        make = getattr(charts, name)
        if self._charts is None:
            return make(**kwargs)
        key = self.chart_key(name, kwargs)
        self.chart_keys.add(key)
        return Markup(self._charts.chart(key, lambda: make(**kwargs)))

    @staticmethod
    def chart_key(name: str, kwargs: dict) -> str:
        """The key of a chart in the chart cache: its function, arguments and the build's language."""
        return digest(name, current().language, repr(sorted(kwargs.items())))

    @property
    def perspective_names(self):
        """Perspective key -> the name readers see, top band first (the config's `perspectives`):
        the default names in the plan's language, a plan's own names as written."""
        names = self.project.config.perspectives
        if dict(names) != dict(DEFAULT_PERSPECTIVES):
            return names
        return {key: self.ui.gettext(name) for key, name in names.items()}

    def ref(self, entity_id: str) -> ItemRef:
        """A reference to an item, recorded as shown by the page being built."""
        self.tracker.shown(entity_id)
        made = self.ref_table.get(entity_id) if self.ref_table is not None else None
        return made if made is not None else self.item_ref(entity_id)

    def item_ref(self, entity_id: str) -> ItemRef:
        """A reference to an item, not recorded (for the build's own comparisons)."""
        entity = self.plan.entities[entity_id]
        return ItemRef(entity.id, entity.title, entity.kind, self.ui.kind(entity.kind),
                       self.sitemap.path(entity.id), self.project.health_of(entity))

    def refs(self, ids) -> tuple[ItemRef, ...]:
        """References to the items named by `ids` that exist, each once, in order."""
        out = []
        for ref_id in ids:
            entity = self.plan.get(ref_id)
            if entity is not None:
                out.append(self.ref(entity.id))
        return tuple(dict.fromkeys(out))

    def body(self, entity: Entity) -> Rendered:
        """The entity's Markdown body rendered once (with link placeholders)."""
        self._read(entity.id)
        if entity.id not in self._bodies:
            self._bodies[entity.id] = self._renderer().render(entity.body, entity.file)
        elif entity.id in self._unclean:  # from the cache file: sanitised again before any page has it
            self._unclean.discard(entity.id)
            body = self._bodies[entity.id]
            self._bodies[entity.id] = Rendered(sanitize(body.html), body.deps)
        return self._bodies[entity.id]

    def set_bodies(self, bodies: dict[str, Rendered], unclean: set[str] = frozenset()) -> None:
        """Bodies rendered elsewhere (worker processes, cache), by entity id; `unclean`: the ids
        whose HTML was read from the cache file (sanitised on first use, `body`)."""
        self._bodies.update(bodies)
        self._unclean = (self._unclean - bodies.keys()) | set(unclean)

    def edit_url(self, entity: Entity) -> str:
        """The forge's web editor for the item's file ('' without `repo_url`/`edit_uri`): the file's
        path from the top of the repository (`git.prefix`) appended to `Config.edit_base`."""
        base = self.project.config.edit_base
        return base + quote(self.project.checkout.prefix + entity.file) if base else ""

    def last_change(self, entity: Entity) -> LastChange | None:
        """When git last saw the item's file change (None outside git)."""
        checkout = self.project.checkout
        if not checkout.commit:
            return None
        change = checkout.history.get(entity.file)
        uncommitted = entity.file in checkout.uncommitted
        if change is None:
            return LastChange("", "", True)
        return LastChange(change.date, change.author, uncommitted)

    def site(self) -> dict:
        """The `site` context of every template: project-wide facts and the navigation."""
        counts = {kind: len(self.plan.of_kind(kind)) for kind in KINDS}
        plan = self.plan.root
        report_counts = {"matrices": len(self.project.config.matrices), "alignment": len(self.project.findings),
                         "actions": sum(1 for a in self.plan.of_kind("action") if a.status not in ("done", "dropped")),
                         "owners": len(self.sitemap.owners),
                         "documents": len(self.project.config.documents)}
        _ = self.ui.gettext
        groups = [(_("Plan"), [("home", _("Home"), HOME, None)] + [
            (kind, self.ui.kind(kind, plural=True), index_path(kind), counts[kind]) for kind in KIND_SECTIONS if counts[kind]]),
            (_("Reports"), [(key, _(label), REPORT_PAGES[key], report_counts.get(key)) for key, label in REPORT_NAV])]
        config = self.project.config
        return {
            "title": config.title if config.title != DEFAULT_TITLE or plan is None else plan.title,
            "plan_title": plan.title if plan else config.title,
            "as_of": self.as_of.isoformat(), "as_of_text": format_date(self.as_of, self.ui.language),
            "commit": self.commit,
            "commit_head": self.commit.removesuffix(DIRTY),  # the hash alone
            "dirty": self.commit.endswith(DIRTY),             # built with uncommitted changes
            "repo_url": config.repo_url,
            "base_url": config.base_url,
            "logo": logo_path(config.logo, config.content_dir),
            "language": config.language,
            "nav": groups,
            "pages": {"home": HOME, **REPORT_PAGES, "objectives": index_path("objective")},
        }

    def breadcrumbs(self, entity: Entity) -> tuple[Crumb, ...]:
        """Home, the kind's index (when the item lives in the kind's folder), sub-folders, the item."""
        if entity.kind == "plan":
            return ()
        crumbs = [Crumb(self.ui.gettext("Home"), HOME)]
        parts = PurePosixPath(self.sitemap.path(entity.id)).parts
        folder = KIND_FOLDERS.get(entity.kind)
        crumbs.append(Crumb(self.ui.kind(entity.kind, plural=True), index_path(entity.kind) if folder == parts[0] else None))
        crumbs.extend(Crumb(part) for part in parts[1:-1])
        crumbs.append(Crumb(entity.id))
        return tuple(crumbs)

    @cached_property
    def owners(self) -> tuple[Owner, ...]:
        """Every owner with their items and needs (`stratdocs.owners.collect`)."""
        return owners_mod.collect(self.plan, self.project.findings, self.project.health_of)

    def owner_pages(self, skip: frozenset[str] = frozenset()) -> list[tuple[Owner, Page]]:
        """Each owner with the `Page` of their page (but those whose page is in `skip`)."""
        index = REPORT_PAGES["owners"]
        crumbs = (Crumb(_("Home"), HOME), Crumb(_("Owners"), index))
        paths = self.sitemap.owners
        return [(o, Page(paths[o.key], o.name, "owners", crumbs + (Crumb(o.name),),
                         _("What %(owner)s owns in the plan and what needs them.") % {"owner": o.name}))
                for o in self.owners if not skip or paths[o.key] not in skip]

    def page_for(self, entity: Entity) -> Page:
        """The page of a file-level item."""
        title = entity.title if entity.kind == "plan" else f"{entity.id} · {entity.title}"
        return Page(self.sitemap.path(entity.id), title, entity.kind, self.breadcrumbs(entity), entity.summary)
