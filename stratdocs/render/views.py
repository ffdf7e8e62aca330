"""View models: everything a template prints, computed in Python from the loaded project.

Templates loop and print; they do not compute. Every `href` here is a path relative to the
site root (`objectives/SO1.html`, `operations/sales.html#T-1`); the template filter `url`
makes it relative to the page being rendered (site) or turns it into an in-document anchor
(PDF), so one view model serves both outputs.
"""

from __future__ import annotations

import html as html_mod
import posixpath
import re
from dataclasses import dataclass
from functools import cached_property
from datetime import date
from pathlib import PurePosixPath

from markupsafe import Markup

from stratdocs import matrices as matrices_mod
from stratdocs.cache import digest
from stratdocs.alignment import FAILURE_MODES
from stratdocs.findings import Severity
from stratdocs.health import HEALTHS
from stratdocs.model import KIND_LABELS, KINDS, Entity
from stratdocs.project import Project
from stratdocs.render import charts
from stratdocs.render.markdown import MarkdownRenderer, Rendered, Target, resolve_links

HEALTH_WORDS = {"green": "Green", "amber": "Amber", "red": "Red", "no-data": "No data"}
PERSPECTIVES = (("financial", "Financial"), ("customer", "Customer"), ("internal", "Internal processes"),
                ("learning", "Learning & growth"))
STRATEGY_TEXT = {
    "cost-leadership": ("Cost leadership", "Win by being the lowest-cost producer in the industry, passing "
                                          "savings on as lower prices or keeping them as margin."),
    "differentiation": ("Differentiation", "Win by offering something customers value and competitors do not, "
                                          "and charging for it."),
    "focus": ("Focus (segmentation)", "Win by serving one narrow segment better than broad competitors, on cost "
                                     "or on difference."),
}
#: Sections of the site, in navigation order: (section key, label, href).
KIND_SECTIONS = ("objective", "initiative", "strategy", "operation", "kpi", "review", "page")
INDEX_FOLDERS = {"objective": "objectives", "initiative": "initiatives", "strategy": "strategies",
                 "operation": "operations", "kpi": "kpis", "review": "reviews", "page": "pages"}
MAX_GROUP = 40
#: Matrices with more cells than this are shown as lists of links on the web (the CSV is complete).
GRID_LIMIT = 25_000  # traced-from lists stay bounded, so page size does not grow with the plan


@dataclass(frozen=True, slots=True)
class ItemRef:
    id: str
    title: str
    kind: str
    label: str
    href: str
    health: str | None = None

    @property
    def health_word(self) -> str:
        return HEALTH_WORDS.get(self.health or "", "")


@dataclass(frozen=True, slots=True)
class Fact:
    label: str
    text: str = ""
    refs: tuple[ItemRef, ...] = ()
    tag: str = ""          # an extra marker shown after the value, e.g. "overdue"


@dataclass(frozen=True, slots=True)
class Crumb:
    label: str
    href: str | None = None


@dataclass(frozen=True)
class Page:
    """Where a page is and how to get back to the root; the same for every template."""

    path: str
    title: str
    section: str
    breadcrumbs: tuple[Crumb, ...] = ()
    description: str = ""

    @property
    def root(self) -> str:
        return "../" * self.path.count("/")


@dataclass(frozen=True)
class Group:
    label: str
    items: tuple = ()
    more: int = 0


def health_word(health: str | None) -> str:
    return HEALTH_WORDS.get(health or "", "")


def fmt_number(value: float | None, unit: str = "", decimals: int | None = None) -> str:
    """A number as people write it: thousands separators, no trailing zeros, the unit after it."""
    if value is None:
        return "—"
    if decimals is not None:
        text = f"{value:,.{decimals}f}"
    else:
        text = f"{value:,.0f}" if float(value).is_integer() else f"{value:,.2f}".rstrip("0").rstrip(".")
    if not unit:
        return text
    return f"{text}{unit}" if unit in ("%", "‰") else f"{text} {unit}"


def page_paths(project: Project) -> dict[str, str]:
    """Site path of every entity: folders as in content/, `ID.html`; nested items are anchors."""
    paths: dict[str, str] = {}
    prefix = PurePosixPath(project.config.content_dir).as_posix() + "/"
    for entity in project.plan:
        if entity.container is not None:
            continue
        if entity.kind == "plan":
            paths[entity.id] = "index.html"
            continue
        folder = posixpath.dirname(entity.file[len(prefix):])  # files are always under content/
        paths[entity.id] = f"{folder}/{entity.id}.html" if folder else f"{entity.id}.html"
    for entity in project.plan:
        if entity.container is not None:
            paths[entity.id] = f"{paths[entity.container]}#{entity.id}"
    return paths


class Views:
    """Builds the view model of every page from one loaded project."""

    def __init__(self, project: Project, renderer_factory=None, commit: str = "", charts=None,
                 paths: dict[str, str] | None = None):
        self.project = project
        self.plan = project.plan
        self.index = project.index
        self.as_of = project.as_of
        self.commit = commit
        self.paths = paths if paths is not None else page_paths(project)
        self.file_pages = {e.file: self.paths[e.id] for e in self.plan if e.container is None}
        self.targets = {e.id.lower(): Target(e.id, self.paths[e.id], e.title, e.kind) for e in self.plan}
        self.entity_findings: dict[str, list] = {}
        for finding in project.findings:
            if finding.entity:
                self.entity_findings.setdefault(finding.entity, []).append(finding)
        self.waivers: dict[str, list] = {}
        for waiver in project.waivers:
            self.waivers.setdefault(waiver.entity.id, []).append(waiver)
        self._renderer = renderer_factory
        self._charts = charts          # a BuildCache (or None): charts keyed by their inputs
        self.chart_keys: set[str] = set()
        self._bodies: dict[str, Rendered] = {}
        self.reads: set[str] | None = None  # ids a page's view model read in full, when tracking
        self.ref_reads: set[str] | None = None  # ids it only showed as references (ItemRef)
        self.rows_memo: dict | None = None  # KPI rows by entity, kept between preview rebuilds

    @cached_property
    def matrices(self) -> dict:
        return matrices_mod.build_all(self.index, self.project.config.matrices)

    def _read(self, entity_id: str) -> None:
        if self.reads is not None:
            self.reads.add(entity_id)

    # -- shared pieces -------------------------------------------------------------------------

    def chart(self, name: str, **kwargs) -> Markup:
        """An SVG chart from `render.charts`, remembered by its inputs across builds."""
        make = getattr(charts, name)
        if self._charts is None:
            return make(**kwargs)
        key = digest(name, repr(sorted(kwargs.items())))
        self.chart_keys.add(key)
        return Markup(self._charts.chart(key, lambda: make(**kwargs)))

    def ref(self, entity_id: str) -> ItemRef:
        if self.ref_reads is not None:
            self.ref_reads.add(entity_id)
        return self.item_ref(entity_id)

    def item_ref(self, entity_id: str) -> ItemRef:
        entity = self.plan.entities[entity_id]
        return ItemRef(entity.id, entity.title, entity.kind, KIND_LABELS[entity.kind][0],
                       self.paths[entity.id], self.project.health_of(entity))

    def refs(self, ids) -> tuple[ItemRef, ...]:
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
        return self._bodies[entity.id]

    def set_bodies(self, bodies: dict[str, Rendered]) -> None:
        """Bodies rendered elsewhere (worker processes, cache)."""
        self._bodies.update(bodies)

    def site(self) -> dict:
        counts = {kind: len(self.plan.of_kind(kind)) for kind in KINDS}
        plan = self.plan.root
        groups = [("Plan", [("home", "Home", "index.html", None)] + [
            (kind, KIND_LABELS[kind][1], f"{INDEX_FOLDERS[kind]}/index.html", counts[kind])
            for kind in KIND_SECTIONS if counts[kind]]),
            ("Reports", [("scorecard", "KPI scorecard", "scorecard.html", None),
                         ("matrices", "Traceability matrices", "matrices/index.html",
                          len(self.project.config.matrices)),
                         ("alignment", "Alignment report", "alignment.html",
                          sum(1 for f in self.project.findings)),
                         ("search", "Search", "search.html", None)])]
        return {
            "title": self.project.config.title if self.project.config.title != "Strategic plan" or plan is None
            else plan.title,
            "plan_title": plan.title if plan else self.project.config.title,
            "as_of": self.as_of.isoformat(),
            "commit": self.commit,
            "base_url": self.project.config.base_url,
            "language": self.project.config.language,
            "nav": groups,
        }

    def breadcrumbs(self, entity: Entity) -> tuple[Crumb, ...]:
        crumbs = [Crumb("Home", "index.html")]
        if entity.kind == "plan":
            return ()
        folder = INDEX_FOLDERS.get(entity.kind)
        section = PurePosixPath(self.paths[entity.id]).parts[0]
        crumbs.append(Crumb(KIND_LABELS[entity.kind][1], f"{section}/index.html" if folder == section else None))
        for part in PurePosixPath(self.paths[entity.id]).parts[1:-1]:
            crumbs.append(Crumb(part))
        crumbs.append(Crumb(entity.id))
        return tuple(crumbs)

    def page_for(self, entity: Entity) -> Page:
        return Page(self.paths[entity.id], f"{entity.id} · {entity.title}" if entity.kind != "plan" else entity.title,
                    entity.kind, self.breadcrumbs(entity), entity.summary)

    # -- entity pages --------------------------------------------------------------------------

    def entity(self, entity: Entity) -> dict:
        self._read(entity.id)
        health = self.project.health_of(entity)
        rendered = self.body(entity)
        view = {
            "entity": entity,
            "ref": self.ref(entity.id),
            "kind_label": KIND_LABELS[entity.kind][0],
            "health": health,
            "health_word": health_word(health),
            "health_reason": "",
            "facts": self.facts(entity),
            "body": rendered.html,
            "chains": [[self.ref(i) for i in chain] for chain in self.index.chains.get(entity.id, ())],
            "traced_from": self.traced_from(entity),
            "reviews": [self.ref(e.id) for e in self.index.reviews_of(entity.id)],
            "mentions": [self.ref(e.id) for e in self.index.mentions_of(entity.id)],
            "findings": [f for f in self.entity_findings.get(entity.id, [])],
            "waivers": self.waivers.get(entity.id, []),
            "source": f"{entity.file}",
            "kpi": None, "operation": None, "review": None, "objective": None,
        }
        if entity.kind == "kpi":
            view["kpi"] = self.kpi_detail(entity)
            view["health_reason"] = self.project.kpi_health[entity.id].reason
        elif entity.kind == "objective":
            oh = self.project.objective_health[entity.id]
            view["objective"] = {"kpis": [self.kpi_row(self.plan.entities[k]) for k in oh.kpis],
                                 "children": [self.ref(c) for c in self.index.objective_children.get(entity.id, ())]}
            view["health_reason"] = (f"worst of {len(oh.kpis)} KPI{'s' if len(oh.kpis) != 1 else ''}"
                                     if self.project.config.status.rollup == "worst"
                                     else f"weighted average of {len(oh.kpis)} KPIs") if oh.kpis else "no KPI measures it"
        elif entity.kind == "operation":
            view["operation"] = self.operation_detail(entity)
        elif entity.kind == "review":
            view["review"] = {"decisions": entity.attrs.get("decisions", ()),
                              "about": self.refs(entity.ref_ids("about"))}
        return view

    def facts(self, entity: Entity) -> list[Fact]:
        a = entity.attrs
        facts: list[Fact] = []
        add = facts.append
        if entity.owner:
            add(Fact("Owner", entity.owner))
        elif entity.kind in ("objective", "initiative", "operation", "kpi"):
            add(Fact("Owner", "none", tag="no owner"))
        if entity.status:
            add(Fact("Status", entity.status))
        if entity.kind == "objective":
            if a.get("perspective"):
                add(Fact("Perspective", dict(PERSPECTIVES)[a["perspective"]]))
            parent = entity.ref_ids("parent")
            if parent:
                add(Fact("Parent objective", refs=self.refs(parent)))
        if a.get("period"):
            add(Fact("Period", a["period"].label))
        if a.get("function"):
            add(Fact("Function", a["function"]))
        if entity.kind == "initiative":
            if a.get("start") or a.get("end"):
                add(Fact("Runs", f"{a.get('start') or '…'} to {a.get('end') or '…'}"))
            if a.get("budget") is not None:
                add(Fact("Budget", fmt_number(a["budget"], a.get("currency", ""))))
        if entity.kind == "review":
            if a.get("date"):
                add(Fact("Date", a["date"].isoformat()))
            if a.get("author"):
                add(Fact("Author", a["author"]))
        for key, label in (("supports", "Supports"), ("measures", "Measures"), ("drives", "Drives"),
                           ("about", "About")):
            ids = entity.ref_ids(key)
            if ids:
                add(Fact(label, refs=self.refs(ids)))
        if entity.tags:
            add(Fact("Tags", ", ".join(entity.tags)))
        if entity.review_by:
            add(Fact("Review by", entity.review_by.isoformat(),
                     tag="overdue" if entity.review_by < self.as_of else ""))
        if entity.updated:
            add(Fact("Updated", entity.updated.isoformat()))
        return facts

    def traced_from(self, entity: Entity) -> list[Group]:
        served = self.index.served_by(entity.id)
        for item, _ in served:  # those past MAX_GROUP are counted, so they count as read
            self._read(item.id)
        groups = []
        for kind in KINDS:
            items = [(self.ref(e.id), direct) for e, direct in served if e.kind == kind]
            if items:
                items.sort(key=lambda pair: not pair[1])  # direct first, plan order kept within
                groups.append(Group(KIND_LABELS[kind][1], tuple(items[:MAX_GROUP]), max(0, len(items) - MAX_GROUP)))
        return groups

    def kpi_row(self, entity: Entity) -> dict:
        self._read(entity.id)
        health = self.project.kpi_health[entity.id]
        if self.rows_memo is not None:
            inputs = (entity, health, self.paths[entity.id])
            previous = self.rows_memo.get(entity.id)
            if previous is not None and previous[0] == inputs:
                return previous[1]
            row = self._kpi_row(entity, health)
            self.rows_memo[entity.id] = (inputs, row)
            return row
        return self._kpi_row(entity, health)

    def _kpi_row(self, entity: Entity, health) -> dict:
        kpi = entity.kpi
        points = [(p.date, p.value) for p in kpi.actuals if p.date <= self.as_of]
        return {
            "ref": self.ref(entity.id),
            "owner": entity.owner,
            "level": kpi.level,
            "unit": kpi.unit,
            "health": health.health,
            "health_word": health_word(health.health),
            "reason": health.reason,
            "latest": fmt_number(health.latest.value, kpi.unit) if health.latest else "—",
            "latest_date": health.latest.date.isoformat() if health.latest else "",
            "target": fmt_number(health.target.value, kpi.unit) if health.target else "—",
            "target_date": health.target.date.isoformat() if health.target else "",
            "expected": fmt_number(health.expected, kpi.unit, _decimals(kpi)) if health.expected is not None else "—",
            "progress": f"{health.progress:.0%}" if health.progress is not None else "",
            "stale": health.stale,
            "direction": {"up": "Higher is better", "down": "Lower is better", "range": "Stay in range"}[kpi.direction],
            "sparkline": self.chart("sparkline", points=points, health=health.health),
        }

    def kpi_detail(self, entity: Entity) -> dict:
        kpi = entity.kpi
        health = self.project.kpi_health[entity.id]
        thresholds = None
        if kpi.thresholds:
            thresholds = {"green": kpi.thresholds.green, "amber": kpi.thresholds.amber}
        chart = self.chart(
            "kpi_chart", title=entity.title, unit=kpi.unit, actuals=[(p.date, p.value) for p in kpi.actuals],
            baseline=(kpi.baseline.date, kpi.baseline.value) if kpi.baseline else None,
            targets=[(t.date, t.value) for t in kpi.targets], thresholds=thresholds,
            direction=kpi.direction, as_of=self.as_of)
        if kpi.thresholds and kpi.direction == "range":
            g, a = kpi.thresholds.green, kpi.thresholds.amber
            threshold_text = (f"green {fmt_number(g[0])}–{fmt_number(g[1])}, "
                              f"amber {fmt_number(a[0])}–{fmt_number(a[1])}")
        elif kpi.thresholds:
            sign = "≥" if kpi.direction == "up" else "≤"
            threshold_text = (f"green {sign} {fmt_number(kpi.thresholds.green)}, "
                              f"amber {sign} {fmt_number(kpi.thresholds.amber)}")
        else:
            threshold_text = ""
        return {
            "row": self.kpi_row(entity),
            "chart": chart,
            "definition": [
                Fact("Level", kpi.level.capitalize()),
                Fact("Unit", kpi.unit or "—"),
                Fact("Better when", {"up": "higher", "down": "lower", "range": "inside the range"}[kpi.direction]),
                Fact("Frequency", kpi.frequency),
                Fact("Baseline", f"{fmt_number(kpi.baseline.value, kpi.unit)} on {kpi.baseline.date}"
                     if kpi.baseline else "none"),
                Fact("Targets", "; ".join(f"{fmt_number(t.value, kpi.unit)} by {t.date}" for t in kpi.targets)
                     or "none"),
                *([Fact("Thresholds", threshold_text)] if threshold_text else []),
                *([Fact("Weight", fmt_number(kpi.weight))] if kpi.weight != 1 else []),
            ],
            "quality": [Fact(label, value) for label, value in (
                ("Source", kpi.source), ("Method", kpi.method), ("Limitations", kpi.limitations),
                ("Data file", kpi.data)) if value],
            "actuals": [{"date": p.date.isoformat(), "value": fmt_number(p.value, kpi.unit), "note": p.note,
                         "future": p.date > self.as_of} for p in reversed(kpi.actuals)],
        }

    def operation_detail(self, entity: Entity) -> dict:
        objectives, tasks = [], []
        for child_id in entity.children:
            child = self.plan.entities.get(child_id)
            if child is None or child.container != entity.id:
                continue
            self._read(child.id)
            supports = self.refs(child.ref_ids("supports"))
            if child.kind == "operational-objective":
                objectives.append({"id": child.id, "title": child.title, "owner": child.owner,
                                   "supports": supports, "kpis": self.refs(child.ref_ids("kpis")),
                                   "findings": self.entity_findings.get(child.id, [])})
            else:
                due = child.attrs.get("due")
                overdue = bool(due and due < self.as_of and child.status != "done")
                tasks.append({"id": child.id, "title": child.title, "owner": child.owner,
                              "due": due.isoformat() if due else "", "status": child.status or "todo",
                              "overdue": overdue, "supports": supports,
                              "resources": child.attrs.get("resources", ""),
                              "findings": self.entity_findings.get(child.id, [])})
        counts = {s: sum(1 for t in tasks if t["status"] == s) for s in ("todo", "doing", "done", "blocked")}
        return {"objectives": objectives, "tasks": tasks, "task_counts": counts,
                "overdue": sum(1 for t in tasks if t["overdue"])}

    # -- listing and report pages ------------------------------------------------------------

    def kind_index(self, kind: str) -> dict:
        rows = []
        for entity in self.plan.of_kind(kind):
            self._read(entity.id)  # the row shows more than a reference: owner, status, summary, links
            row = {"ref": self.ref(entity.id), "owner": entity.owner, "status": entity.status,
                   "summary": entity.summary, "health": self.project.health_of(entity),
                   "traces_to": self.refs(self.index.traces_to.get(entity.id, ())[:6]),
                   "extra": ""}
            if kind == "operation":
                period = entity.attrs.get("period")
                row["extra"] = " · ".join(x for x in (entity.attrs.get("function", ""),
                                                      period.label if period else "") if x)
            elif kind == "kpi":
                self._read(entity.id)
                latest = self.project.kpi_health[entity.id].latest
                row["extra"] = fmt_number(latest.value, entity.kpi.unit) if latest else "—"
            elif kind == "objective":
                row["extra"] = dict(PERSPECTIVES).get(entity.attrs.get("perspective", ""), "")
            elif kind == "review":
                day = entity.attrs.get("date")
                row["extra"] = day.isoformat() if day else ""
            rows.append(row)
        extra_label = {"operation": "Function · period", "kpi": "Latest", "objective": "Perspective",
                       "review": "Date"}.get(kind, "")
        return {"kind": kind, "label": KIND_LABELS[kind][1], "rows": rows, "extra_label": extra_label,
                "show_health": kind in ("objective", "kpi"), "show_traces": kind not in ("objective", "page", "plan")}

    def health_counts(self, healths) -> list[dict]:
        healths = list(healths)
        return [{"health": h, "word": HEALTH_WORDS[h], "count": healths.count(h)} for h in HEALTHS]

    def home(self) -> dict:
        plan = self.plan.root
        attrs = plan.attrs if plan else {}
        objectives = self.plan.of_kind("objective")
        by_perspective = []
        for key, label in PERSPECTIVES:
            items = [e for e in objectives if e.attrs.get("perspective") == key]
            if items:
                by_perspective.append((label, items))
        unassigned = [e for e in objectives if not e.attrs.get("perspective")]
        if unassigned:
            by_perspective.append(("Other objectives", unassigned))
        strategy_map = None
        if objectives:
            strategy_map = self.chart(
                "strategy_map",
                perspectives=[(label, [{"id": e.id, "title": e.title, "href": self.paths[e.id],
                                        "health": self.project.objective_health[e.id].health} for e in items])
                              for label, items in by_perspective],
                links=[(e.id, edge.other) for e in objectives for edge in self.index.up.get(e.id, ())
                       if edge.key == "parent"])
        strategy = STRATEGY_TEXT.get(attrs.get("strategy") or "")
        period = attrs.get("period")
        reviews = sorted(self.plan.of_kind("review"), key=lambda e: e.attrs.get("date") or date.min, reverse=True)
        warnings = [f for f in self.project.findings if f.severity is Severity.WARNING]
        errors = [f for f in self.project.findings if f.severity is Severity.ERROR]
        return {
            "plan": plan,
            "body": self.body(plan).html if plan else "",
            "vision": attrs.get("vision", ""),
            "mission": attrs.get("mission", ""),
            "values": attrs.get("values", ()),
            "strategy": {"label": strategy[0], "text": strategy[1]} if strategy else None,
            "period": period.label if period else "",
            "owner": plan.owner if plan else "",
            "objective_counts": self.health_counts(self.project.objective_health[e.id].health for e in objectives),
            "kpi_counts": self.health_counts(h.health for h in self.project.kpi_health.values()),
            "strategy_map": strategy_map,
            "perspectives": [(label, [{"ref": self.ref(e.id), "summary": e.summary,
                                       "kpis": len(self.project.objective_health[e.id].kpis)} for e in items])
                             for label, items in by_perspective],
            "stats": [(KIND_LABELS[k][1], len(self.plan.of_kind(k)), f"{INDEX_FOLDERS[k]}/index.html"
                       if k in INDEX_FOLDERS else None) for k in KINDS if k not in ("plan", "page")
                      and self.plan.of_kind(k)],
            "reviews": [self.ref(r.id) for r in reviews[:3]],
            "warnings": len(warnings),
            "errors": len(errors),
        }

    def scorecard(self) -> dict:
        groups = []
        placed: set[str] = set()
        kpis = self.plan.of_kind("kpi")
        for objective in self.plan.of_kind("objective"):
            direct = [self.plan.entities[k] for k in self.index.measured_by(objective.id)]
            if not direct:
                continue
            placed.update(k.id for k in direct)
            oh = self.project.objective_health[objective.id]
            groups.append({"objective": self.ref(objective.id), "health": oh.health,
                           "health_word": health_word(oh.health), "rows": [self.kpi_row(k) for k in direct]})
        rest = [k for k in kpis if k.id not in placed]
        if rest:
            groups.append({"objective": None, "health": None, "health_word": "",
                           "rows": [self.kpi_row(k) for k in rest]})
        return {"groups": groups, "counts": self.health_counts(h.health for h in self.project.kpi_health.values()),
                "stale": sum(1 for h in self.project.kpi_health.values() if h.stale)}

    def matrix(self, name: str) -> dict:
        """A matrix as a grid, or — past GRID_LIMIT cells — as a list of each row's links, so the
        page grows with the number of links rather than rows × columns."""
        m = self.matrices[name]
        orphans = {c.id for c in m.orphan_columns}
        common = {
            "spec": m.spec,
            "total": len(m.cells),
            "uncovered": [self.ref(r.id) for r in m.uncovered_rows],
            "orphans": [self.ref(c.id) for c in m.orphan_columns],
            "csv": f"matrices/{name}.csv",
            "row_label": _axis_label(m.spec.rows),
            "column_label": _axis_label(m.spec.columns),
            "size": f"{len(m.rows)} × {len(m.columns)}",
        }
        if len(m.rows) * len(m.columns) > GRID_LIMIT:
            by_row: dict[str, list] = {}
            for (row_id, column_id), cell in m.cells.items():
                by_row.setdefault(row_id, []).append({"ref": self.ref(column_id), "direct": cell.direct,
                                                      "via": cell.via})
            rows = [{"ref": self.ref(r.id), "links": by_row.get(r.id, []), "total": len(by_row.get(r.id, [])),
                     "uncovered": r.id not in by_row} for r in m.rows]
            return {**common, "mode": "list", "rows": rows, "columns": []}
        rows = []
        for row in m.rows:
            cells = []
            for column in m.columns:
                cell = m.cell(row.id, column.id)
                if cell is None:
                    cells.append({"kind": "empty", "symbol": "", "text": "", "orphan": column.id in orphans})
                elif cell.direct:
                    cells.append({"kind": "direct", "symbol": "●", "text": f"{column.id} → {row.id}: direct",
                                  "orphan": False})
                else:
                    cells.append({"kind": "indirect", "symbol": "○",
                                  "text": f"{column.id} → {row.id}: via {cell.via}", "orphan": False})
            rows.append({"ref": self.ref(row.id), "cells": cells, "total": m.row_total(row.id),
                         "uncovered": m.row_total(row.id) == 0})
        return {**common, "mode": "grid", "rows": rows,
                "columns": [{"ref": self.ref(c.id), "total": m.column_total(c.id), "orphan": c.id in orphans}
                            for c in m.columns]}

    def matrix_list(self) -> list[dict]:
        return [{"spec": m.spec, "href": f"matrices/{name}.html", "csv": f"matrices/{name}.csv",
                 "rows": len(m.rows), "columns": len(m.columns), "cells": len(m.cells),
                 "uncovered": len(m.uncovered_rows), "orphans": len(m.orphan_columns)}
                for name, m in self.matrices.items()]

    def alignment(self) -> dict:
        modes = []
        findings = list(self.project.findings)
        for title, codes, why in FAILURE_MODES:
            items = [self.finding_view(f) for f in findings
                     if f.code in codes and f.severity is Severity.WARNING]
            waived = [w for w in self.project.waivers if w.code in codes]
            modes.append({"title": title, "codes": codes, "why": why, "findings": items, "waived": len(waived)})
        errors = [self.finding_view(f) for f in findings if f.severity is Severity.ERROR]
        waivers = [{"ref": self.ref(w.entity.id), "code": w.code, "reason": w.reason} for w in self.project.waivers]
        return {"modes": modes, "errors": errors, "waivers": waivers,
                "total": sum(len(m["findings"]) for m in modes)}

    def finding_view(self, finding) -> dict:
        entity = self.plan.get(finding.entity) if finding.entity else None
        return {"ref": self.ref(entity.id) if entity else None, "message": finding.message, "code": finding.code,
                "where": f"{finding.file}:{finding.line}", "severity": finding.severity.value}

    def search_docs(self, memo: dict | None = None) -> list[dict]:
        """One search document per item. `memo` (id -> (inputs, doc)) reuses the documents of items
        whose entity, health, page and body are what they were last time."""
        docs = []
        for entity in self.plan:
            health = self.project.health_of(entity) or ""
            html = self.body(entity).html if entity.container is None else ""
            if memo is not None:
                previous = memo.get(entity.id)
                if previous is not None and previous[0] == (entity, health, self.paths[entity.id], html):
                    docs.append(previous[1])
                    continue
            if entity.container is None:
                text = _plain_text(html)
            else:
                text = " ".join(x for x in (entity.attrs.get("resources", ""),) if x)
            docs.append({"id": entity.id, "title": entity.title, "kind": entity.kind,
                         "kind_label": KIND_LABELS[entity.kind][0], "href": self.paths[entity.id],
                         "summary": entity.summary, "owner": entity.owner,
                         "health": health, "text": text[:2000]})
            if memo is not None:
                memo[entity.id] = ((entity, health, self.paths[entity.id], html), docs[-1])
        return docs


_TAG_RE = re.compile(r"<[^>]+>")
_SPACE_RE = re.compile(r"\s+")


def _decimals(kpi) -> int:
    """The precision a KPI's own figures are written with, for computed values like the plan."""
    places = 0
    for point in (*kpi.actuals, *kpi.targets, *((kpi.baseline,) if kpi.baseline else ())):
        text = repr(point.value)
        if "e" not in text and not point.value.is_integer():
            places = max(places, len(text.split(".")[1]))
    return min(places, 2)


def _plain_text(html: str) -> str:
    return _SPACE_RE.sub(" ", html_mod.unescape(_TAG_RE.sub(" ", html))).strip()


def _axis_label(axis: str) -> str:
    kind, _, level = axis.partition(":")
    label = KIND_LABELS[kind][1]
    return f"{level.capitalize()} {label}" if level else label


def page_url(root: str):
    """The `url` filter for site pages: site path -> path relative to the current page."""
    def url(path: str) -> str:
        return root + path
    return url


def link_body(html: str, root: str) -> Markup:
    return Markup(resolve_links(html, lambda p: root + p))

