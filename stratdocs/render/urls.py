"""Where everything lives on the site: the one owner of entity -> source file -> site path -> link.

MkDocs gives each file one `File` object with `src_uri`, `dest_uri` and `url`; here one `SiteMap`
does the same for the whole plan, for the site and for PDF documents alike:

- every file-level item has a page at its content folder path: `content/objectives/SO1.md` ->
  `objectives/SO1.html`; the plan is `index.html`;
- nested items (operational objectives, tasks) are anchors on their operation's page:
  `operations/sales.html#T-1`;
- report pages and kind indexes have fixed paths (`REPORT_PAGES`, `index_path`).

A site path is relative to the site root. `link(path, page)` makes it relative to the page that
shows it; PDF documents map site paths to in-document anchors with `entity_at`.
"""

from __future__ import annotations

import posixpath
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import PurePosixPath
from types import MappingProxyType
from typing import Iterable, Mapping

from stratdocs.model import KIND_FOLDERS, Entity, Plan
from stratdocs.owners import owner_key, owner_path, slugs_of

#: Report pages by key: their site path.
REPORT_PAGES = MappingProxyType({
    "scorecard": "scorecard.html",
    "roadmap": "roadmap.html",
    "matrices": "matrices/index.html",
    "alignment": "alignment.html",
    "actions": "actions.html",
    "search": "search.html",
    "owners": "owners/index.html",
    "documents": "documents.html",
    "notfound": "404.html",
})


def index_path(kind: str) -> str:
    """The site path of a kind's index page: `objectives/index.html`."""
    return f"{KIND_FOLDERS[kind]}/index.html"


def matrix_path(name: str, ext: str = "html") -> str:
    """The site path of a matrix page (or, with ext='csv', of its CSV file)."""
    return f"matrices/{name}.{ext}"


def document_path(doc_id: str) -> str:
    """The site path of a document's HTML twin: `documents/board-pack.html`."""
    return f"documents/{doc_id}.html"


def root_of(path: str) -> str:
    """The prefix that leads from the page at `path` back to the site root: '', '../', ..."""
    return "../" * path.count("/")


def link(path: str, page: str) -> str:
    """Site path `path` as a link from the page at site path `page`."""
    return root_of(page) + path


@dataclass(frozen=True)
class SiteMap:
    """The site path of every item of one plan, and the way back from a path to its item."""

    #: entity id -> site path (`objectives/SO1.html`, nested items `operations/sales.html#T-1`)
    paths: Mapping[str, str]
    #: content file (`content/objectives/SO1.md`) -> site path of its page
    files: Mapping[str, str]
    #: owner key (`owners.owner_key`) -> site path of their page (`owners/jane-doe.html`)
    owners: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))

    @classmethod
    def of(cls, plan: Plan, content_dir: str) -> "SiteMap":
        """The site map of `plan`, whose files live under `content_dir` (e.g. 'content').

        :param plan: the loaded plan.
        :param content_dir: the content folder relative to the project, as in config.
        """
        prefix = PurePosixPath(content_dir).as_posix() + "/"
        paths: dict[str, str] = {}
        for entity in plan:
            if entity.container is not None:
                continue
            if entity.kind == "plan":
                paths[entity.id] = "index.html"
                continue
            folder = posixpath.dirname(entity.file[len(prefix):])  # files are always under content/
            paths[entity.id] = f"{folder}/{entity.id}.html" if folder else f"{entity.id}.html"
        for entity in plan:
            if entity.container is not None:
                paths[entity.id] = f"{paths[entity.container]}#{entity.id}"
        files = {e.file: paths[e.id] for e in plan if e.container is None}
        owners = {key: owner_path(slug) for key, slug in slugs_of(plan).items()}
        return cls(MappingProxyType(paths), MappingProxyType(files), MappingProxyType(owners))

    def path(self, entity_id: str) -> str:
        """The site path of an item (an anchor on its operation's page for nested items)."""
        return self.paths[entity_id]

    def page(self, entity_id: str) -> str:
        """The site path of the page that shows an item, without any `#anchor`."""
        return self.paths[entity_id].partition("#")[0]

    def owner(self, name: str) -> str | None:
        """The site path of the page of the owner called `name` (None for no owner)."""
        return self.owners.get(owner_key(name))

    def entity_at(self, path: str) -> str | None:
        """The id of the item at a site path (`objectives/SO1.html`, `ops.html#T-1`), if any."""
        return self._by_path.get(path)

    @cached_property
    def _by_path(self) -> Mapping[str, str]:
        return {path: entity_id for entity_id, path in self.paths.items()}


#: Files every site has besides its pages.
FIXED_FILES = ("search-index.json", "search-index.js")


def planned_outputs(plan: Plan, site_map: SiteMap, matrices, documents, static: Iterable[str],
                    assets: Iterable[str]) -> list[tuple[str, str, Entity | None]]:
    """Every output path a build will write, with what writes it (and the item, for pages).

    :param matrices: the configured matrix specs (with `.id`).
    :param documents: the configured document specs (with `.id`).
    :param static: paths of the theme's static files, relative to `static/`.
    :param assets: paths of the published assets, relative to `assets/`.
    """
    out: list[tuple[str, str, Entity | None]] = []
    for entity in plan:
        if entity.container is None:
            out.append((site_map.path(entity.id), f"the page of {entity.id} ({entity.file})", entity))
    for kind in KIND_FOLDERS:
        if plan.of_kind(kind):
            out.append((index_path(kind), f"the index of {KIND_FOLDERS[kind]}", None))
    out += [(path, f"the {key} page", None) for key, path in REPORT_PAGES.items()]
    out += [(path, f"the page of owner '{key}'", None) for key, path in site_map.owners.items()]
    for spec in matrices:
        out += [(matrix_path(spec.id), f"the matrix '{spec.id}'", None),
                (matrix_path(spec.id, "csv"), f"the CSV of matrix '{spec.id}'", None)]
    out += [(name, "the search index", None) for name in FIXED_FILES]
    out += [(f"pdf/{doc.id}.pdf", f"the PDF document '{doc.id}'", None) for doc in documents]
    out += [(document_path(doc.id), f"the HTML twin of document '{doc.id}'", None) for doc in documents]
    out += [(f"static/{rel}", "a theme file", None) for rel in static]
    out += [(f"assets/{rel}", "a published asset", None) for rel in assets]
    return out


def clashes(outputs: list[tuple[str, str, Entity | None]]) -> list[tuple[str, str, str, Entity | None]]:
    """(path, first owner, second owner, the item behind the second, else the first) for every
    output path two outputs would write (ignoring case, as file systems may)."""
    seen: dict[str, tuple[str, Entity | None]] = {}
    found = []
    for path, owner, entity in outputs:
        key = path.lower()
        if key in seen:
            first, first_entity = seen[key]
            found.append((path, first, owner, entity or first_entity))
        else:
            seen[key] = (owner, entity)
    return found
