"""Which items a PDF document shows (its `filter:`) and where a link goes inside the PDF.

Which entities a document shows:

- Without a filter, every entity of the plan.
- Otherwise the **direct matches** are the file-level entities (not the plan itself) that satisfy
  every filter key, each key matching when the entity has one of the listed values (ignoring
  case): `kind` (its kind; plural folder names such as `operations` work too), `id` (its id or
  the id of one of its nested items), `function` (only operations and strategies have one),
  `owner`, and `tag` (any of its tags).
- Nested operational objectives and tasks follow their operation.
- Context, so that a departmental plan still reads as a whole: the strategic objectives,
  initiatives and functional strategies that the direct matches serve (their `supports` and
  `parent` chain upward), the KPIs that measure a direct match or one of its nested items
  (`measures`, or listed in an operational objective's `kpis`), and the reviews about one of
  them. Context is never widened further (a context KPI does not pull in what it drives).
- A `kind` key is absolute: context never adds kinds it does not list.

A link to an entity that has a place in the document (its section is part of the document and
the entity is selected) jumps there (`#e-ID`); any other link is printed as plain text, so a
PDF never holds a dead link.
"""

from __future__ import annotations

import html as html_mod
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Mapping
from urllib.parse import unquote

from markupsafe import Markup

from stratdocs.model import FOLDER_KINDS, Entity
from stratdocs.owners import owner_key
from stratdocs.render.markdown import PLACEHOLDER, resolve_links
from stratdocs.render.urls import REPORT_PAGES, SiteMap
from stratdocs.render.views.core import HOME, ViewsCore

#: Kinds by the plural names a filter may use: the content folders, and the nested kinds.
KIND_ALIASES = {**FOLDER_KINDS, "operational-objectives": "operational-objective", "tasks": "task"}
#: Kinds of context: what the direct matches serve.
CONTEXT_KINDS = ("objective", "initiative", "strategy")
#: Site pages that are sections of a document, for links such as `scorecard.html`.
SECTION_PAGES = {HOME: "plan", REPORT_PAGES["scorecard"]: "scorecard", REPORT_PAGES["alignment"]: "alignment",
                 REPORT_PAGES["roadmap"]: "roadmap"}
MATRIX_PREFIX, PAGE_SUFFIX = "matrices/", ".html"


def anchor(entity_id: str) -> str:
    """The in-document anchor of an item: `e-SO1`."""
    return f"e-{entity_id}"


def section_anchor(key: str) -> str:
    """The in-document anchor of a section: `s-scorecard`, `s-matrix-NAME`."""
    return "s-" + key.replace(":", "-")


def select(views: ViewsCore, filt: Mapping[str, tuple[str, ...]]) -> frozenset[str] | None:
    """The ids a filtered document shows (see the module docstring); None means everything.

    :param views: the view models of the project (for its plan and trace index).
    :param filt: the document's `filter:`, key -> accepted values.
    """
    if not filt:
        return None
    plan, index = views.plan, views.index
    kinds = None
    if "kind" in filt:
        kinds = {KIND_ALIASES.get(v.lower(), v.lower()) for v in filt["kind"]}
    direct = [e for e in plan if e.container is None and e.kind != "plan"
              and all(_matches(e, key, values) for key, values in filt.items())]
    chosen: set[str] = set()
    for entity in direct:
        chosen.add(entity.id)
        chosen.update(c for c in entity.children if c in plan.entities)
    context: set[str] = set()
    stack = list(chosen)
    while stack:                       # upward: what the matches serve
        for edge in index.up.get(stack.pop(), ()):
            if edge.key in ("supports", "parent") and edge.other not in context:
                context.add(edge.other)
                stack.append(edge.other)
    context = {i for i in context if plan.entities[i].kind in CONTEXT_KINDS}
    for item in chosen:                # KPIs that measure them, reviews about them
        for edge in index.down.get(item, ()):
            if edge.key in ("measures", "about"):
                context.add(edge.other)
    if kinds is not None:
        context = {i for i in context if plan.entities[i].kind in kinds}
    return frozenset(chosen | context)


def _matches(entity: Entity, key: str, values: tuple[str, ...]) -> bool:
    wanted = {v.lower() for v in values}
    if key == "kind":
        return entity.kind in {KIND_ALIASES.get(v, v) for v in wanted}
    if key == "id":
        return entity.id.lower() in wanted or any(c.lower() in wanted for c in entity.children)
    if key == "function":
        return str(entity.attrs.get("function") or "").lower() in wanted
    if key == "owner":  # one owner however it is cased or spaced, as on the owner pages
        return owner_key(entity.owner) in {owner_key(v) for v in values}
    if key == "tag":
        return any(t.lower() in wanted for t in entity.tags)
    return False


@dataclass(frozen=True)
class Links:
    """Where a site path goes in one PDF: `#e-ID`, `#s-SECTION` or nowhere (None)."""

    sitemap: SiteMap                    #: where every item lives on the site
    anchored: frozenset[str]            #: entity ids with a place in the document
    sections: frozenset[str]            #: section keys present in the document
    plan_id: str | None                 #: the plan entity's id
    assets: Path                        #: content/assets, for images in bodies

    def href(self, path: str | None) -> str | None:
        """The in-document link for a site path, or None when the document has no place for it."""
        if not path:
            return None
        entity_id = self.sitemap.entity_at(path)
        if entity_id is not None:
            return self._entity(entity_id)
        page, _, fragment = path.partition("#")
        if page in SECTION_PAGES:
            key = SECTION_PAGES[page]
            if key == "plan" and self.plan_id in self.anchored:
                return "#" + anchor(self.plan_id)
            return "#" + section_anchor(key) if key in self.sections else None
        if page.startswith(MATRIX_PREFIX) and page.endswith(PAGE_SUFFIX):
            key = "matrix:" + page[len(MATRIX_PREFIX):-len(PAGE_SUFFIX)]
            return "#" + section_anchor(key) if key in self.sections else None
        entity_id = self.sitemap.entity_at(page)
        return self._entity(entity_id) if entity_id is not None else None

    def _entity(self, entity_id: str) -> str | None:
        return "#" + anchor(entity_id) if entity_id in self.anchored else None

    def body(self, html: str, scope: str = "") -> Markup:
        """A rendered Markdown body with its placeholders resolved for this PDF.

        Images under assets/ become file URLs that the document's fetcher allows; links to
        assets are dropped (a PDF cannot open them), like links to entities the document lacks.

        :param html: the body as rendered, with link placeholders.
        :param scope: the entity id: the body's own ids and `#fragment` links are prefixed with
            it, so two bodies with a "Findings" heading do not share an anchor.
        """
        image = f'src="{PLACEHOLDER}assets/'
        if image in html:
            parts = html.split(image)
            out = [parts[0]]
            for part in parts[1:]:
                rel, quote, rest = part.partition('"')
                out.append(f'src="{(self.assets / unquote(html_mod.unescape(rel))).as_uri()}{quote}{rest}')
            html = "".join(out)
        if scope:
            prefix = anchor(scope) + "--"
            html = _ID_RE.sub(lambda m: f'id="{prefix}{m[1]}"', html)
            html = _FRAGMENT_RE.sub(lambda m: f'href="#{prefix}{m[1]}"', html)
        return Markup(resolve_links(html, self.href))


_ID_RE = re.compile(r'(?<![\w-])id="([^"]*)"')
_FRAGMENT_RE = re.compile(r'(?<![\w-])href="#([^"]*)"')
