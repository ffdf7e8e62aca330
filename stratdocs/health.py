"""KPI and objective health (SPEC §6): green, amber, red or no-data, with the reason why."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from types import MappingProxyType
from typing import Mapping

from stratdocs.itemmemo import EDITS, Kept, latest
from stratdocs.marks import N_
from stratdocs.model import Kpi, Point
from stratdocs.numbers import format_number
from stratdocs.trace import TraceIndex

GREEN, AMBER, RED, NO_DATA = "green", "amber", "red", "no-data"
HEALTHS = (GREEN, AMBER, RED, NO_DATA)
#: Health as a word: it is always shown beside its colour, never by colour alone (SPEC §6).
HEALTH_WORDS = {GREEN: N_("Green"), AMBER: N_("Amber"), RED: N_("Red"), NO_DATA: N_("No data")}
_RANK = {RED: 0, AMBER: 1, GREEN: 2}
_SCORE = {GREEN: 2, AMBER: 1, RED: 0}
#: A KPI is stale when its latest actual is older than twice its frequency.
FREQUENCY_DAYS = {"weekly": 7, "monthly": 31, "quarterly": 92, "yearly": 366}


@dataclass(frozen=True, slots=True)
class Cutoffs:
    green: float = 0.95
    amber: float = 0.80
    rollup: str = "worst"  # or "average"


@dataclass(frozen=True, slots=True)
class KpiHealth:
    health: str
    reason: str
    latest: Point | None = None
    target: Point | None = None       # the milestone in force
    expected: float | None = None     # planned value at the latest actual's date
    progress: float | None = None
    stale: bool = False


@dataclass(frozen=True, slots=True)
class ObjectiveHealth:
    health: str
    kpis: tuple[str, ...]             # the KPIs that count (measure it or a sub-objective)
    counts: Mapping[str, int]


def kpi_health(kpi: Kpi, as_of: date, cutoffs: Cutoffs = Cutoffs()) -> KpiHealth:
    actuals = [p for p in kpi.actuals if p.date <= as_of]
    if not actuals:
        return KpiHealth(NO_DATA, "no actuals reported yet", stale=True)
    latest = actuals[-1]
    stale = (as_of - latest.date).days > 2 * FREQUENCY_DAYS[kpi.frequency]
    a = latest.value
    target = _target_in_force(kpi.targets, latest.date)
    if kpi.thresholds is not None:
        green, amber = kpi.thresholds.green, kpi.thresholds.amber
        if kpi.direction == "range":
            if green[0] <= a <= green[1]:
                health = GREEN
            elif amber[0] <= a <= amber[1]:
                health = AMBER
            else:
                health = RED
            reason = f"{format_number(a)} against green band {format_number(green[0])}–{format_number(green[1])}, amber {format_number(amber[0])}–{format_number(amber[1])}"
        else:
            better = (lambda x, t: x >= t) if kpi.direction == "up" else (lambda x, t: x <= t)
            health = GREEN if better(a, green) else AMBER if better(a, amber) else RED
            sign = "≥" if kpi.direction == "up" else "≤"
            reason = f"{format_number(a)} against thresholds green {sign} {format_number(green)}, amber {sign} {format_number(amber)}"
        return KpiHealth(health, reason, latest, target, stale=stale)
    if target is None:
        return KpiHealth(NO_DATA, "no target and no thresholds", latest, stale=stale)
    previous = _previous_point(kpi, target)
    if previous is None:
        return KpiHealth(NO_DATA, "no baseline to measure progress from", latest, target, stale=stale)
    p = previous.value
    expected = _expected(previous, target, latest.date)
    if expected == p:
        progress = None
        health = GREEN
        reason = f"plan expects {format_number(expected)} at {latest.date}: no change yet"
    else:
        progress = (a - p) / (expected - p)
        health = GREEN if progress >= cutoffs.green else AMBER if progress >= cutoffs.amber else RED
        reason = (f"{format_number(a)} at {latest.date} against {format_number(expected)} planned "
                  f"(from {format_number(p)} towards {format_number(target.value)} by {target.date}): {progress:.0%} of planned progress")
    return KpiHealth(health, reason, latest, target, expected, progress, stale)


def _target_in_force(targets: tuple[Point, ...], day: date) -> Point | None:
    for milestone in targets:
        if milestone.date >= day:
            return milestone
    return targets[-1] if targets else None


def _previous_point(kpi: Kpi, target: Point) -> Point | None:
    index = kpi.targets.index(target)
    return kpi.targets[index - 1] if index > 0 else kpi.baseline


def _expected(previous: Point, target: Point, day: date) -> float:
    """The planned value at `day` on the straight line previous -> target, clamped to both ends."""
    span = (target.date - previous.date).days
    if span <= 0 or day >= target.date:
        return target.value
    if day <= previous.date:
        return previous.value
    return previous.value + (target.value - previous.value) * (day - previous.date).days / span


def compute(index: TraceIndex, as_of: date, cutoffs: Cutoffs,
            memo: dict | None = None) -> tuple[Mapping[str, KpiHealth], Mapping[str, ObjectiveHealth]]:
    """Health of every KPI and every strategic objective.

    :param memo: tables kept between loads in one process (`itemmemo`): a KPI's health is
        reused while the KPI is the same, an objective's KPIs while the links are the same.
        After a load that edited only a few items (`itemmemo.latest`), only their health and
        their objectives' roll-ups are worked out again (`_edited`).
    """
    plan = index.plan
    last = memo.get("health-of") if memo is not None else None
    edited = latest(memo, last[6]) if last is not None else None
    if edited is not None and last[0] == (as_of, cutoffs) and last[1] is index.down \
            and last[2] is index.objective_children:
        return _edited(plan, as_of, cutoffs, memo, edited, last)
    kept, measuring = Kept(memo, "kpi-health"), Kept(memo, "measuring")
    kpis = {e.id: kept.get(e.id, (e.kpi, as_of, cutoffs), lambda k=e.kpi: kpi_health(k, as_of, cutoffs))
            for e in plan.of_kind("kpi")}
    objectives, measured = {}, {}
    for objective in plan.of_kind("objective"):
        # index.down and objective_children are the same objects while no link changed (trace.BuildMemo)
        ordered = measured[objective.id] = measuring.get(objective.id, (index.down, index.objective_children),
                                                         lambda o=objective.id: _measuring(index, o), identical=True)
        objectives[objective.id] = rollup(ordered, kpis, plan, cutoffs)
    kept.done()
    measuring.done()
    if memo is not None:
        memo["health-of"] = ((as_of, cutoffs), index.down, index.objective_children, kpis, objectives, measured,
                             memo.get(EDITS))
    return MappingProxyType(kpis), MappingProxyType(objectives)


def _edited(plan, as_of: date, cutoffs: Cutoffs, memo: dict, edited: Mapping, last: tuple):
    """`compute` after a load that edited only the items `edited` (`itemmemo.Edits`), with the same
    links, date and cut-offs as the last one (`last`): the health of the edited KPIs, and the
    roll-up of the objectives they measure (a KPI's weight counts too); the rest is the last."""
    kpis, objectives, measured = dict(last[3]), dict(last[4]), last[5]
    for eid, entity in edited.items():
        if entity.kind == "kpi":
            health = kpi_health(entity.kpi, as_of, cutoffs)
            kpis[eid] = last[3][eid] if last[3].get(eid) == health else health  # the same object while equal
    touched = {eid for eid, entity in edited.items() if entity.kind == "kpi"}
    for oid, ordered in measured.items():
        if not touched.isdisjoint(ordered):
            objectives[oid] = rollup(ordered, kpis, plan, cutoffs)
    memo["health-of"] = (last[0], last[1], last[2], kpis, objectives, measured, memo.get(EDITS))
    return MappingProxyType(kpis), MappingProxyType(objectives)


def _measuring(index: TraceIndex, objective_id: str) -> list[str]:
    """The KPIs that measure an objective or any of its sub-objectives, in plan order."""
    found = {k for o in (objective_id, *index.descendants(objective_id)) for k in index.measured_by(o)}
    return sorted(found, key=index.plan.position.__getitem__)


def rollup(kpi_ids: list[str], kpis: Mapping[str, KpiHealth], plan, cutoffs: Cutoffs) -> ObjectiveHealth:
    counts = {h: 0 for h in HEALTHS}
    for kid in kpi_ids:
        counts[kpis[kid].health] += 1
    known = [k for k in kpi_ids if kpis[k].health != NO_DATA]
    if not known:
        health = NO_DATA
    elif cutoffs.rollup == "average":
        weights = [plan.entities[k].kpi.weight for k in known]
        total = sum(weights)
        if total == 0:
            health = NO_DATA
        else:
            score = sum(_SCORE[kpis[k].health] * w for k, w in zip(known, weights)) / total
            health = (RED, AMBER, GREEN)[int(score + 0.5)]
    else:
        health = min((kpis[k].health for k in known), key=_RANK.__getitem__)
    return ObjectiveHealth(health, tuple(kpi_ids), MappingProxyType(counts))

