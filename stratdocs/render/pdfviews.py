"""View models of PDF plan documents (SPEC §9 `documents`, §10): what each section shows.

A document is a list of sections taken from the configured order. The site's view models
(`Views`) are reused as they are; this module only decides *which* entities a document shows
and where a link goes inside the PDF.

Which entities a document shows (its `filter:`):

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

The plan section always shows the whole plan (vision, mission, strategy); the scorecard, the
matrices and the alignment report keep only the rows, columns and findings of the entities the
document shows. A link to an entity that has a place in the document (its section is part of
the document and the entity is selected) jumps there (`#e-ID`); any other link is printed as
plain text, so a PDF never holds a dead link.
"""

from __future__ import annotations

import html as html_mod
import re
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Mapping
from urllib.parse import unquote

import click
from markupsafe import Markup

from stratdocs.config import DocumentSpec
from stratdocs.model import KIND_LABELS, Entity, noun
from stratdocs.render.markdown import PLACEHOLDER, resolve_links
from stratdocs.render.views import Group, Views

#: Entity sections and the kind each lists.
ENTITY_SECTIONS = {"objectives": "objective", "initiatives": "initiative", "strategies": "strategy",
                   "operations": "operation", "kpis": "kpi", "reviews": "review", "pages": "page"}
SECTION_TITLES = {
    "contents": "Contents", "plan": "Strategic plan", "scorecard": "KPI scorecard",
    "objectives": "Strategic objectives", "initiatives": "Strategic initiatives",
    "strategies": "Functional strategies", "operations": "Operational plans", "kpis": "KPIs",
    "reviews": "Reviews and decisions", "pages": "Appendix", "alignment": "Alignment report",
    "changes": "Changes",
}
#: Site pages that are sections of a document, for links such as `scorecard.html`.
SECTION_PAGES = {"index.html": "plan", "scorecard.html": "scorecard", "alignment.html": "alignment"}
KIND_ALIASES = {"objectives": "objective", "initiatives": "initiative", "strategies": "strategy",
                "operations": "operation", "kpis": "kpi", "reviews": "review", "pages": "page",
                "operational-objectives": "operational-objective", "tasks": "task"}
CONTEXT_KINDS = ("objective", "initiative", "strategy")
#: Matrix columns per table: more are split into column groups, each repeating the row labels.
MATRIX_GROUP = 20
#: Traced-from lists of nested items longer than this are shown as a count.
NESTED_LIST = 8
NESTED_LABELS = (KIND_LABELS["task"][1], KIND_LABELS["operational-objective"][1])
#: Entity sections list their items in the contents only up to this many.
CONTENTS_ITEMS = 60


def anchor(entity_id: str) -> str:
    return f"e-{entity_id}"


def section_anchor(key: str) -> str:
    return "s-" + key.replace(":", "-")


def select(views: Views, filt: Mapping[str, tuple[str, ...]]) -> frozenset[str] | None:
    """The ids a filtered document shows (see the module docstring); None means everything."""
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
    if key == "owner":
        return entity.owner.lower() in wanted
    if key == "tag":
        return any(t.lower() in wanted for t in entity.tags)
    return False


@dataclass(frozen=True)
class Links:
    """Where a site path goes in one PDF: `#e-ID`, `#s-SECTION` or nowhere (None)."""

    by_path: Mapping[str, str]          # site path (nested: path#id) -> entity id
    anchored: frozenset[str]            # entity ids with a place in the document
    sections: frozenset[str]            # section keys present in the document
    plan_id: str | None
    assets: Path                        # content/assets, for images in bodies

    def href(self, path: str | None) -> str | None:
        if not path:
            return None
        if path in self.by_path:
            return self._entity(self.by_path[path])
        page, _, fragment = path.partition("#")
        if page in SECTION_PAGES:
            key = SECTION_PAGES[page]
            if key == "plan" and self.plan_id in self.anchored:
                return "#" + anchor(self.plan_id)
            return "#" + section_anchor(key) if key in self.sections else None
        if page.startswith("matrices/") and page.endswith(".html"):
            key = "matrix:" + page[len("matrices/"):-len(".html")]
            return "#" + section_anchor(key) if key in self.sections else None
        if page in self.by_path:
            return self._entity(self.by_path[page])
        return None

    def _entity(self, entity_id: str) -> str | None:
        return "#" + anchor(entity_id) if entity_id in self.anchored else None

    def body(self, html: str, scope: str = "") -> Markup:
        """A rendered Markdown body with its placeholders resolved for this PDF.

        Images under assets/ become file URLs that the document's fetcher allows; links to
        assets are dropped (a PDF cannot open them), like links to entities the document lacks.
        With a `scope` (the entity id), the body's own ids and `#fragment` links are prefixed
        with it, so two bodies with a "Findings" heading do not share an anchor.
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


class DocumentViews:
    """The view model of one configured document: its sections, in order, ready to print."""

    def __init__(self, views: Views, spec: DocumentSpec, assets: Path, commit: str = ""):
        self.views = views
        self.commit = commit or views.commit
        self.spec = spec
        self.project = views.project
        self.selected = select(views, spec.filter)
        plan = views.plan
        present = set(spec.sections)
        anchored: set[str] = set()
        for key, kind in ENTITY_SECTIONS.items():
            if key in present:
                for entity in self.entities(kind):
                    anchored.add(entity.id)
                    anchored.update(c for c in entity.children if c in plan.entities)
        if "plan" in present and plan.root is not None:
            anchored.add(plan.root.id)
        by_path = {path: entity_id for entity_id, path in views.paths.items()}
        self.links = Links(by_path, frozenset(anchored), frozenset(present),
                           plan.root.id if plan.root else None, assets)

    def shows(self, entity_id: str) -> bool:
        return self.selected is None or entity_id in self.selected

    def entities(self, kind: str) -> list[Entity]:
        return [e for e in self.views.plan.of_kind(kind) if self.shows(e.id)]

    # -- the document ----------------------------------------------------------------------

    def document(self) -> dict:
        sections = []
        number = 0
        for key in dict.fromkeys(self.spec.sections):  # a section listed twice is printed once
            if key in ("cover", "contents"):
                sections.append({"key": key, "number": "", "anchor": section_anchor(key),
                                 "title": SECTION_TITLES.get(key, ""), "template": f"pdf/{key}.html",
                                 "view": {}, "items": []})
                continue
            number += 1
            section = self.section(key)
            section.update(key=key, number=str(number), anchor=section_anchor(key))
            sections.append(section)
        contents = [{"number": s["number"], "title": s["title"], "anchor": s["anchor"],
                     "items": s["items"] if len(s["items"]) <= CONTENTS_ITEMS else []}
                    for s in sections if s["key"] not in ("cover", "contents")]
        for s in sections:
            if s["key"] == "contents":
                s["view"] = {"entries": contents}
        return {"sections": sections, "cover": self.cover(), "filter": self.filter_text()}

    def section(self, key: str) -> dict:
        if key in ENTITY_SECTIONS:
            kind = ENTITY_SECTIONS[key]
            blocks = [self.entity(e) for e in self.entities(kind)]
            items = [{"label": b["entity"].title if kind == "page" else f"{b['entity'].id} · {b['entity'].title}",
                      "anchor": anchor(b["entity"].id)} for b in blocks]
            return {"title": SECTION_TITLES[key], "template": "pdf/entities.html",
                    "view": {"kind": kind, "label": KIND_LABELS[kind][1], "blocks": blocks}, "items": items}
        if key.startswith("matrix:"):
            view = self.matrix(key[len("matrix:"):])
            return {"title": view["spec"].title, "template": "pdf/matrix.html", "view": view, "items": []}
        makers = {"plan": self.plan, "scorecard": self.scorecard, "alignment": self.alignment,
                  "changes": self.changes}
        if key not in makers:
            raise click.ClickException(f"document '{self.spec.id}': section '{key}' is not available in PDFs")
        return {"title": SECTION_TITLES[key], "template": f"pdf/{key}.html", "view": makers[key](), "items": []}

    def filter_text(self) -> str:
        return "; ".join(f"{key.capitalize()}: {', '.join(values)}" for key, values in self.spec.filter.items())

    def cover(self) -> dict:
        cfg = self.project.config
        plan = self.views.plan.root
        period = plan.attrs.get("period") if plan else None
        return {
            "plan_title": plan.title if plan else cfg.title,
            "owner": plan.owner if plan else "",
            "period": period.label if period else "",
            "as_of": self.project.as_of,
            "commit": self.commit,
            "logo": (self.links.assets / _asset_rel(cfg.logo, cfg.content_dir)).as_uri() if cfg.logo else "",
            "filter": self.filter_text(),
        }

    # -- sections -----------------------------------------------------------------------------

    def plan(self) -> dict:
        view = self.views.home()
        view["body"] = self.links.body(view["body"], view["plan"].id if view["plan"] else "")
        return view

    def entity(self, entity: Entity) -> dict:
        view = self.views.entity(entity)
        view["body"] = self.links.body(view["body"], entity.id)
        view["anchor"] = anchor(entity.id)
        view["traced_from"] = [_summarised(g) for g in view["traced_from"]]
        if view["operation"]:
            op = view["operation"]
            for item in op["objectives"] + op["tasks"]:
                item["anchor"] = anchor(item["id"])
        return view

    def scorecard(self) -> dict:
        view = self.views.scorecard()
        groups = []
        for group in view["groups"]:
            rows = [r for r in group["rows"] if self.shows(r["ref"].id)]
            if rows:
                groups.append({**group, "rows": rows})
        kpis = [e.id for e in self.entities("kpi")]
        healths = [self.project.kpi_health[k].health for k in kpis]
        return {"groups": groups, "counts": self.views.health_counts(healths),
                "stale": sum(1 for k in kpis if self.project.kpi_health[k].stale),
                "total": len(kpis)}

    def matrix(self, name: str) -> dict:
        view = self.views.matrix(name)
        keep_cols = [i for i, c in enumerate(view["columns"]) if self.shows(c["ref"].id)]
        columns = [view["columns"][i] for i in keep_cols]
        rows = []
        for row in view["rows"]:
            if self.shows(row["ref"].id):
                rows.append({**row, "cells": [row["cells"][i] for i in keep_cols]})
        for row in rows:  # totals of what this document shows
            row["total"] = sum(1 for c in row["cells"] if c["kind"] != "empty")
        columns = [{**c, "total": sum(1 for r in rows if r["cells"][i]["kind"] != "empty")}
                   for i, c in enumerate(columns)]
        groups = []
        count, size = len(columns), MATRIX_GROUP
        if count > size:  # even groups: 45 columns -> 15 + 15 + 15, not 20 + 20 + 5
            parts = -(-count // size)
            size = -(-count // parts)
        for start in range(0, max(count, 1), size):
            stop = min(start + size, count)
            groups.append({
                "first": start + 1, "last": stop, "columns": columns[start:stop],
                "rows": [{**row, "cells": row["cells"][start:stop]} for row in rows],
                "final": stop >= count,
            })
        return {**view, "columns": columns, "rows": rows, "groups": groups,
                "uncovered": [r for r in view["uncovered"] if self.shows(r.id)],
                "orphans": [c for c in view["orphans"] if self.shows(c.id)],
                "total": sum(row["total"] for row in rows), "split": len(groups) > 1}

    def alignment(self) -> dict:
        view = self.views.alignment()
        if self.selected is None:
            return view

        def keep(f: dict) -> bool:
            return f["ref"] is not None and self.shows(f["ref"].id)
        modes = [{**m, "findings": [f for f in m["findings"] if keep(f)]} for m in view["modes"]]
        return {"modes": modes, "errors": [f for f in view["errors"] if keep(f)],
                "waivers": [w for w in view["waivers"] if self.shows(w["ref"].id)],
                "total": sum(len(m["findings"]) for m in modes)}


    def changes(self) -> dict:
        """What changed in the plan since `changes_since` (see `stratdocs diff`), for the items shown."""
        from stratdocs import diff

        rev = self.spec.changes_since
        with tempfile.TemporaryDirectory(prefix="stratdocs-changes-") as tmp:
            try:
                before = diff.load_revision(self.views.project.root, rev, Path(tmp))
            except click.ClickException as exc:
                raise click.ClickException(f"document '{self.spec.id}', section 'changes': {exc.message}") from None
            found = diff.compare(before, self.views.project)
        rows = []
        for change in found:
            if change.kind != "removed" and not self.shows(change.entity):
                continue
            now = self.views.plan.entities.get(change.entity)
            rows.append({"change": change.kind, "id": change.entity, "noun": noun(change.entity_kind),
                         "ref": self.views.ref(change.entity) if now is not None else None,
                         "before": change.before, "after": change.after})
        words = {"health": "health changed", "owner": "owner changed", "status": "status changed",
                 "title": "renamed"}
        counts = {words.get(kind, kind): sum(1 for r in rows if r["change"] == kind)
                  for kind in dict.fromkeys(r["change"] for r in rows)}
        return {"since": rev, "rows": rows, "counts": counts}


def _summarised(group: Group) -> Group:
    """Long lists of tasks and operational objectives become a count: a board member reads them
    under their operational plan, not in a paragraph of ids under every objective."""
    if group.label in NESTED_LABELS and len(group.items) + group.more > NESTED_LIST:
        return Group(group.label, (), len(group.items) + group.more)
    return group


def _asset_rel(logo: str, content_dir: str) -> str:
    """`logo: logo.svg`, `assets/logo.svg` and `content/assets/logo.svg` all name one file."""
    rel = logo.replace("\\", "/").lstrip("/")
    for prefix in (f"{content_dir.rstrip('/')}/assets/", "assets/"):
        if rel.startswith(prefix):
            return rel[len(prefix):]
    return rel
