"""Alignment warnings (SPEC §2, §7): the classic strategy/operations gaps made testable.

Each check yields findings; waivers on an entity silence a code there and are returned
separately so the alignment report can list every accepted gap with its reason.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from itertools import chain
from typing import Iterable, Iterator, Mapping

from stratdocs import execution
from stratdocs.commentary import stale_message
from stratdocs.findings import Finding, warning
from stratdocs.itemmemo import EDITS, Kept, differ, edited
from stratdocs.health import FREQUENCY_DAYS, RED, KpiHealth, ObjectiveHealth
from stratdocs.marks import N_
from stratdocs.model import EXECUTION_KINDS, Entity
from stratdocs.trace import TraceIndex

#: Failure modes of SPEC §2, in reading order, with the codes that detect them and why they matter.
FAILURE_MODES = (
    (N_("Missing link between planning and execution"), ("no-execution", "orphan"),
     N_("Strategy that nothing executes stays on paper, and work that serves no objective spends "
     "resources the strategy did not ask for.")),
    (N_("KPIs that don't connect"), ("no-kpi", "kpi-unlinked"),
     N_("An objective nobody measures cannot be steered, and operational KPIs that drive no strategic "
     "KPI optimise something the strategy does not need.")),
    (N_("Problems nobody acts on"), ("red-unaddressed",),
     N_("A red objective with no active work under it is a known problem without a response.")),
    (N_("Limited feedback from operations"), ("stale-kpi", "stale-commentary"),
     N_("KPIs without recent actuals hide how the plan is really going, and a red or amber KPI "
     "nobody has commented on since its latest figures has news nobody has explained.")),
    (N_("Overly rigid plans"), ("review-overdue",),
     N_("Plans past their review date are no longer checked against reality.")),
    (N_("No accountability"), ("no-owner",),
     N_("Items without an owner have nobody to answer for them.")),
    (N_("Different languages and time frames"), ("horizon",),
     N_("Strategic objectives are long-term (years); operational plans are short-term (a year or less). "
     "Mixing the two blurs who decides what.")),
    (N_("Decisions nobody carries out"), ("action-overdue", "action-no-owner"),
     N_("A review closes the loop only when its actions have an owner and get done: field feedback, "
     "decision, action, progress.")),
    (N_("Risks nobody manages"), ("risk-unmitigated", "risk-review-overdue"),
     N_("A high risk without a mitigation is a threat the plan accepts without saying so, and a risk "
     "nobody reassessed may have grown.")),
    (N_("Changes nobody re-confirmed"), ("suspect",),
     N_("When an objective or KPI changes its meaning, what serves or measures it may no longer fit; "
     "its owner checks it and runs 'stratdocs review'.")),
    (N_("Initiatives that do not deliver"), ("milestone-overdue", "initiative-behind-schedule", "initiative-over-budget"),
     N_("Initiatives are where strategy spends its money; a missed milestone, progress behind the calendar or "
     "spend ahead of plan is the earliest sign that an objective will be missed.")),
    (N_("Content quality"), ("unknown-key", "blocked-fetch"),
     N_("Misspelt keys are silently ignored by readers; they usually hide a missing link or date.")),
)

OWNED_KINDS = ("objective", "initiative", "operation", "kpi", "risk")


@dataclass(frozen=True, slots=True)
class Waiver:
    entity: Entity
    code: str
    reason: str


def check(index: TraceIndex, kpi_health: Mapping[str, KpiHealth], objective_health: Mapping[str, ObjectiveHealth],
          as_of: date, enabled, extra: Iterable = (), risk_high: int = 15,
          memo: dict | None = None) -> tuple[list[Finding], list[Waiver]]:
    """All alignment warnings, with the waivers that silenced some of them.

    :param extra: more gaps found elsewhere (initiative delivery, `delivery.gaps`), as
        (entity, code, key or (line, col), message), waived and switched like these.
    :param risk_high: the score from which a risk is high (config `risks.high`).
    :param memo: tables kept between loads in one process (`itemmemo`): an item's gaps, and
        the warning of each, are the last ones while everything they are worked out from is.
    """
    findings: list[Finding] = []
    waivers: list[Waiver] = []
    gaps = chain(_gaps(index, kpi_health, objective_health, as_of, memo), execution.gaps(index.plan, as_of, risk_high),
                 extra)
    made, kept = {}, (memo or {}).get("gap-findings", {})
    for gap in gaps:
        entity, code, key, message = gap
        if not enabled(code):
            continue
        if code in entity.waive:
            waivers.append(Waiver(entity, code, entity.waive[code]))
            continue
        last = kept.get(id(gap))  # a kept gap is the same object (the table holds it alive)
        if last is not None and last[0] is gap:
            finding = last[1]
        else:
            line, col = key if isinstance(key, tuple) else entity.at(key) if key else (entity.line, 1)
            finding = warning(entity.file, line, col, code, message, entity.id)
        made[id(gap)] = (gap, finding)
        findings.append(finding)
    if memo is not None:
        memo["gap-findings"] = made
    # A waiver that silences nothing is listed too: the gap it accepted may have closed.
    listed = {(w.entity.id, w.code) for w in waivers}
    for entity in index.plan:
        for code, reason in entity.waive.items():
            if enabled(code) and (entity.id, code) not in listed:
                waivers.append(Waiver(entity, code, reason))
    return findings, waivers


def _gaps(index: TraceIndex, kpi_health, objective_health, as_of: date,
          memo: dict | None = None) -> Iterator[tuple[Entity, str, str, str]]:
    last = memo.get("gaps-of") if memo is not None else None
    edits = memo.get(EDITS) if memo is not None else None
    made = _edited_gaps(index, kpi_health, objective_health, as_of, last, edits) if last is not None else None
    if made is None:
        made = _all_gaps(index, kpi_health, objective_health, as_of, memo)
    if memo is not None:
        memo["gaps-of"] = (edits, index, kpi_health, objective_health, as_of, *made)
    for found in made[2].values():
        yield from found


def _all_gaps(index: TraceIndex, kpi_health, objective_health, as_of: date, memo: dict | None) -> tuple:
    """(executed, active work, id -> the item's gaps) of every item; with `memo`, the gaps of an
    item whose inputs are all the same as when they were found are the kept ones."""
    plan = index.plan
    executed, active_work = _executed(plan, index)
    kept = Kept(memo, "gaps")
    # What an item's gaps read beyond itself: the links, and every KPI's level (`_drives_strategic`).
    levels = tuple(e.kpi.level for e in plan.of_kind("kpi")) if memo is not None else ()
    last = memo.get("gap-levels") if memo is not None else None
    graph = last[1] if last is not None and last[0] == levels and last[2] is index.up else object()
    if memo is not None:
        memo["gap-levels"] = (levels, graph, index.up)
    found = {}
    for entity in plan:
        eid = entity.id
        inputs = (entity, graph, index.traces_to.get(eid), eid in executed, eid in active_work,
                  objective_health.get(eid), kpi_health.get(eid), as_of)
        found[eid] = kept.get(eid, inputs, lambda e=entity: tuple(_item_gaps(index, e, kpi_health, objective_health,
                                                                             as_of, executed, active_work)))
    kept.done()
    return executed, active_work, found


def _edited_gaps(index: TraceIndex, kpi_health, objective_health, as_of: date, last: tuple,
                 edits: tuple | None) -> tuple | None:
    """What `_all_gaps` finds, from the last load's (`last`), by finding again only the gaps of
    the items that may have others: those edited since (`itemmemo.edited`) and those whose
    health, or whether they are executed or worked on, changed. None when more than that may
    have changed: the links, the date, a KPI's level (another KPI's gaps read it), or any item.

    With the same links (the same `up` and `traces_to`), an item's gaps read only itself, its
    health and those two sets, and every KPI's level (see `_all_gaps`)."""
    was_edits, was, was_kpis, was_objectives, was_as_of, executed, active_work, found = last
    ids = edited(edits, was_edits)
    if ids is None or was.up is not index.up or was.traces_to is not index.traces_to or was_as_of != as_of:
        return None
    entities, before = index.plan.entities, was.plan.entities
    dirty, worked = set(ids), False
    for eid in ids:
        entity, old = entities.get(eid), before.get(eid)
        if entity is None or old is None or entity.kind != old.kind:
            return None
        if entity.kind == "kpi" and entity.kpi.level != old.kpi.level:
            return None
        worked |= entity.kind in EXECUTION_KINDS and entity.active != old.active
    if worked:  # whether some active work serves an objective may have changed
        executed, active_work = _executed(index.plan, index)
        dirty |= active_work ^ last[6]
    dirty |= differ(was_kpis, kpi_health) | differ(was_objectives, objective_health)
    found = dict(found)
    for eid in dirty:
        entity = entities.get(eid)
        if entity is not None:
            found[eid] = tuple(_item_gaps(index, entity, kpi_health, objective_health, as_of, executed, active_work))
    return executed, active_work, found


def _executed(plan, index: TraceIndex) -> tuple[set[str], set[str]]:
    """The strategic objectives some work traces to, and those some active work traces to."""
    executed: set[str] = set()
    active_work: set[str] = set()
    for entity in plan:
        targets = index.traces_to.get(entity.id, ())
        if entity.kind in EXECUTION_KINDS:
            executed.update(targets)
            if entity.active:
                active_work.update(targets)
    return executed, active_work


def _item_gaps(index: TraceIndex, entity: Entity, kpi_health, objective_health, as_of: date, executed: set[str],
               active_work: set[str]) -> Iterator[tuple[Entity, str, str, str]]:
    kind = entity.kind
    if kind == "objective":
        if entity.id not in executed:
            yield entity, "no-execution", "", (f"strategic objective '{entity.id}' is not executed: no initiative, "
                                               "strategy or operational plan supports it; add "
                                               f"'supports: [{entity.id}]' to the work that serves it, or "
                                               "waive it with 'waive: {no-execution: reason}'")
        if not objective_health[entity.id].kpis:  # the same KPIs its health is computed from
            yield entity, "no-kpi", "", (f"strategic objective '{entity.id}' has no KPI: add a KPI that "
                                         f"'measures: [{entity.id}]' (or one of its sub-objectives)")
        health = objective_health[entity.id].health
        if health == RED and entity.id not in active_work:
            yield entity, "red-unaddressed", "", (f"strategic objective '{entity.id}' is red and no active "
                                                  "initiative, plan or task works on it")
        period = entity.attrs.get("period")
        if period is not None and period.days < 365:
            yield entity, "horizon", "period", (f"strategic objective '{entity.id}' spans {period.label}, less "
                                                "than a year; strategic objectives set long-term direction")
    elif kind in ("initiative", "strategy", "operation", "task") and not index.traces_to.get(entity.id):
        yield entity, "orphan", "supports", (f"{entity.noun} '{entity.id}' serves no strategic "
                                             "objective; link it with 'supports:'")
    if kind == "operation":
        period = entity.attrs.get("period")
        if period is not None and period.days > 366:
            yield entity, "horizon", "period", (f"operational plan '{entity.id}' spans {period.label}, more than "
                                                "a year; split it into yearly or quarterly plans")
    if kind == "kpi":
        yield from _kpi_gaps(index, entity, kpi_health[entity.id], as_of)
    if kind in OWNED_KINDS and not entity.owner:
        key = "owner" if "owner" in entity.key_lines else ""  # an empty 'owner:' at its line
        yield entity, "no-owner", key, f"{entity.noun} '{entity.id}' has no owner; add 'owner: …'"
    if entity.review_by is not None and entity.review_by < as_of and kind != "risk":
        yield entity, "review-overdue", "review_by", (f"{entity.noun} '{entity.id}' was due for review "
                                                      f"on {entity.review_by}; review it and set a new review_by")


def _kpi_gaps(index: TraceIndex, entity: Entity, health: KpiHealth, as_of: date) -> Iterator[tuple[Entity, str, str, str]]:
    kpi = entity.kpi
    if kpi.level == "operational" and not _drives_strategic(index, entity.id):
        yield entity, "kpi-unlinked", "drives", (f"operational KPI '{entity.id}' drives no strategic KPI; "
                                                 "add 'drives: [KPI-ID]'")
    if health.stale:
        where = f"to {kpi.data}" if kpi.data else "under 'actuals:'"
        fix = "or waive it with 'waive: {stale-kpi: reason}'"
        if health.latest is None:
            message = f"KPI '{entity.id}' has no actuals yet; add one {where}, {fix}"
        else:
            fresh = as_of - timedelta(days=2 * FREQUENCY_DAYS[kpi.frequency])
            message = (f"KPI '{entity.id}' is stale: latest actual {health.latest.date} is more than two "
                       f"{kpi.frequency} periods before {as_of}; add an actual dated {fresh} or later {where}, {fix}")
        yield entity, "stale-kpi", "data" if kpi.data else "actuals", message
    if (message := stale_message(entity, health)) is not None:
        yield entity, "stale-commentary", "commentary" if "commentary" in entity.key_lines else "", message


def _drives_strategic(index: TraceIndex, kpi_id: str) -> bool:
    seen, stack = set(), [kpi_id]
    while stack:
        current = stack.pop()
        for edge in index.up.get(current, ()):
            if edge.key != "drives" or edge.other in seen:
                continue
            seen.add(edge.other)
            if index.plan.entities[edge.other].kpi.level == "strategic":
                return True
            stack.append(edge.other)
    return False
