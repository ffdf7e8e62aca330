"""View models of risks and review actions: the Risks page with its heat map, the Open actions
page, a risk's and a review's own parts, and what threatens or is decided about any item.

The heat map's links are written as site-path placeholders (like Markdown bodies): the site
resolves them for the page (`link_body`), a PDF for the document (`Links.body`).
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from markupsafe import Markup

from stratdocs import execution
from stratdocs.model import Entity
from stratdocs.render.markdown import PLACEHOLDER
from stratdocs.render.views.common import ItemRef
from stratdocs.render.views.interface import _, ngettext
from stratdocs.render.views.reports import ReportViews
from stratdocs.render.views.words import notes

#: The heat map's legend bands below `high`: (band, lowest score, highest score).
LOWER_BANDS = (("elevated", 10), ("medium", 5), ("low", 1))


@dataclass(frozen=True, slots=True)
class RiskRow:
    """One risk as the register, the Risks page and threatened items show it."""

    ref: ItemRef
    owner: str
    status: str
    likelihood: str                  #: "4", or "—" when not rated
    impact: str
    score: str                       #: likelihood × impact, or "—"
    severity: str                    #: `high`, `elevated`, `medium`, `low` or `unrated`
    threatens: tuple[ItemRef, ...]
    mitigated_by: tuple[ItemRef, ...]
    mitigation_text: str
    review_by: str                   #: ISO date or ''
    review_overdue: bool
    findings: tuple = ()
    anchor: str = ""                 #: its anchor in a PDF ('' on the site)

    @property
    def unmitigated(self) -> bool:
        return not (self.mitigated_by or self.mitigation_text)


@dataclass(frozen=True, slots=True)
class ActionRow:
    """One action decided in a review."""

    ref: ItemRef
    owner: str
    due: str                         #: ISO date or ''
    status: str
    overdue: bool
    review: ItemRef                  #: the review that decided it
    about: tuple[ItemRef, ...]
    findings: tuple = ()
    anchor: str = ""                 #: its anchor in a PDF ('' on the site, where the anchor is the id)


@dataclass(frozen=True, slots=True)
class RiskRegisterView:
    """The Risks page and the `risks` PDF section: the heat map and every risk by score."""

    heatmap: Markup                  #: SVG (links as placeholders until the page resolves them)
    rows: tuple[RiskRow, ...]
    count_text: str                  #: "7 risks"
    high: int                        #: the configured cut-off
    high_count: int
    unrated: tuple[ItemRef, ...]     #: risks without likelihood or impact (not on the heat map)


@dataclass(frozen=True, slots=True)
class ActionsView:
    """The Open actions page and the `actions` PDF section."""

    rows: tuple[ActionRow, ...]      #: open actions, earliest due first
    count_text: str                  #: "5 open actions"
    overdue: int
    no_owner: int
    closed: int                      #: actions done or dropped (not listed)


@dataclass(frozen=True, slots=True)
class ExecutionPanel:
    """What an item's page adds about risks and actions (all empty for most items)."""

    risks: tuple[RiskRow, ...] = ()          #: risks that threaten it
    actions: tuple[ActionRow, ...] = ()      #: actions decided about it
    mitigates: tuple[ItemRef, ...] = ()      #: risks it mitigates
    own_actions: tuple[ActionRow, ...] = ()  #: a review's own actions
    risk: RiskRow | None = None              #: a risk's own row

    @property
    def empty(self) -> bool:
        return not (self.risks or self.actions or self.mitigates or self.own_actions or self.risk)


class ExecutionViews(ReportViews):
    """Risks and actions."""

    @property
    def _high(self) -> int:
        return self.project.config.risks.high

    def entity(self, entity: Entity):
        """The page of an item (`EntityViews.entity`) with its risks and actions."""
        view = replace(super().entity(entity), execution=self.execution_panel(entity))
        if entity.kind == "risk":
            view = replace(view, untraced_text=_("A risk serves no objective; it threatens the items listed above."))
        return view

    def risk_row(self, risk: Entity) -> RiskRow:
        self._read(risk.id)
        a = risk.attrs
        value = execution.score(risk)
        review_by = risk.review_by
        return RiskRow(self.ref(risk.id), risk.owner, risk.status, str(a.get("likelihood") or "—"),
                       str(a.get("impact") or "—"), "—" if value is None else str(value),
                       execution.severity(value, self._high), self.refs(risk.ref_ids("threatens")),
                       self.refs(risk.ref_ids("mitigation")), a.get("mitigation_text", ""),
                       review_by.isoformat() if review_by else "",
                       bool(review_by and review_by < self.as_of and risk.active),
                       notes(self.entity_findings.get(risk.id, ())))

    def action_row(self, action: Entity) -> ActionRow:
        self._read(action.id)
        due = action.attrs.get("due")
        return ActionRow(self.ref(action.id), action.owner, due.isoformat() if due else "", action.status,
                         execution.is_overdue(action, self.as_of), self.ref(action.container),
                         self.refs(action.ref_ids("about")), notes(self.entity_findings.get(action.id, ())))

    def risk_register(self) -> RiskRegisterView:
        """Every risk, highest score first, with the heat map."""
        risks = execution.ranked_risks(self.plan)
        rows = tuple(self.risk_row(r) for r in risks)
        return RiskRegisterView(self.risk_heatmap(risks), rows, ngettext("%(num)d risk", "%(num)d risks", len(rows)), self._high,
                                sum(1 for r in rows if r.severity == "high"),
                                tuple(r.ref for r in rows if r.severity == "unrated"))

    def risk_heatmap(self, risks: list[Entity]) -> Markup:
        """The 5×5 heat map of the rated risks (links as placeholders)."""
        high = self._high
        by_cell: dict[tuple[int, int], list] = {}
        for risk in risks:
            if execution.score(risk) is not None:
                by_cell.setdefault((risk.attrs["likelihood"], risk.attrs["impact"]), []).append(
                    (risk.id, risk.title, PLACEHOLDER + self.sitemap.path(risk.id)))
        cells = [(lk, im, execution.severity(lk * im, high), by_cell.get((lk, im), []))
                 for im in range(5, 0, -1) for lk in range(1, 6)]
        bands = [("high", f"{high}–25")]
        top = high - 1
        for band, lowest in LOWER_BANDS:
            if lowest <= top:
                bands.append((band, f"{lowest}–{top}" if top > lowest else str(lowest)))
                top = lowest - 1
        rated = sum(len(v) for v in by_cell.values())
        label = ngettext("Risk heat map: %(num)d risk by likelihood and impact; high from a score of %(high)s",
                         "Risk heat map: %(num)d risks by likelihood and impact; high from a score of %(high)s",
                         rated, high=high)
        return self.chart("heatmap", cells=cells, bands=bands, label=label)

    def open_actions(self) -> ActionsView:
        """The actions still open, earliest due first."""
        actions = self.plan.of_kind("action")
        for action in actions:  # the counts cover closed ones too
            self._read(action.id)
        rows = tuple(self.action_row(a) for a in execution.open_actions(self.plan))
        return ActionsView(rows, ngettext("%(num)d open action", "%(num)d open actions", len(rows)), sum(1 for r in rows if r.overdue),
                           sum(1 for r in rows if not r.owner), len(actions) - len(rows))

    def execution_panel(self, entity: Entity) -> ExecutionPanel:
        """Risks threatening an item, actions about it, risks it mitigates; a review's and a risk's own."""
        index = self.index
        own = ()
        if entity.kind == "review":
            own = tuple(self.action_row(self.plan.entities[c]) for c in entity.children if c in self.plan.entities)
        risks = sorted(index.risks_to(entity.id), key=lambda r: -(execution.score(r) or 0))
        return ExecutionPanel(
            risks=tuple(self.risk_row(r) for r in risks),
            actions=tuple(self.action_row(a) for a in index.actions_on(entity.id)),
            mitigates=tuple(self.ref(r.id) for r in index.mitigates(entity.id)),
            own_actions=own, risk=self.risk_row(entity) if entity.kind == "risk" else None)
