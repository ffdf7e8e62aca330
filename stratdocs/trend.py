"""Change over time: each KPI's previous reporting period, and each objective's previous health.

The *previous reporting period* of a KPI is the period of its `frequency` (calendar week, month,
quarter or year) before the one that holds its latest actual up to `as_of`. Its previous value is
the latest actual dated before the latest actual's period starts, and its previous health is the
KPI's health computed as of that actual's date (SPEC §6, with the same cut-offs). A KPI with
actuals in only one period has no previous period.

An objective's previous health is the roll-up (SPEC §6) of the previous health of the KPIs that
count for it now. Its direction compares the two healths: red < amber < green.

A KPI's direction is judged against the way the KPI is better (`direction`), not the raw sign:
for `up` a rise improves, for `down` a fall improves, for `range` coming closer to the green band
improves (staying inside it is steady).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from types import MappingProxyType
from typing import Mapping

from stratdocs.health import GREEN, NO_DATA, Cutoffs, KpiHealth, ObjectiveHealth, kpi_health, rollup
from stratdocs.itemmemo import EDITS, Kept, differ, latest
from stratdocs.model import Kpi, Plan, Point

IMPROVING, WORSENING, STEADY, NONE = "improving", "worsening", "steady", "none"
#: The four directions; `none` means there is no previous period to compare with.
DIRECTIONS = (IMPROVING, WORSENING, STEADY, NONE)
_RANK = {"red": 0, "amber": 1, GREEN: 2}


@dataclass(frozen=True, slots=True)
class Trend:
    """How an item changed since its previous reporting period.

    :param previous_value: the KPI's value in the previous period (None for objectives, or none).
    :param previous_health: its health then (`no-data` when there is no previous period).
    :param direction: `improving`, `worsening`, `steady`, or `none` (nothing to compare with).
    :param change: latest minus previous value (KPIs; None otherwise).
    :param previous_date: the date of the previous value (KPIs), or None.
    :param health: the health now, for comparison.
    """

    previous_value: float | None
    previous_health: str
    direction: str
    change: float | None = None
    previous_date: date | None = None
    health: str = NO_DATA


def period_start(day: date, frequency: str) -> date:
    """The first day of the reporting period of `frequency` that holds `day`."""
    if frequency == "weekly":
        return day - timedelta(days=day.weekday())
    if frequency == "monthly":
        return day.replace(day=1)
    if frequency == "quarterly":
        return date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)
    return date(day.year, 1, 1)


def previous_actual(kpi: Kpi, as_of: date) -> Point | None:
    """The latest actual of the period before the one that holds the latest actual up to `as_of`."""
    actuals = [p for p in kpi.actuals if p.date <= as_of]
    if not actuals:
        return None
    start = period_start(actuals[-1].date, kpi.frequency)
    earlier = [p for p in actuals if p.date < start]
    return earlier[-1] if earlier else None


def kpi_trend(kpi: Kpi, as_of: date, cutoffs: Cutoffs = Cutoffs(), now: KpiHealth | None = None) -> Trend:
    """The KPI's previous period and the direction it moved in since.

    :param now: its health at `as_of`, if already computed.
    """
    now = now or kpi_health(kpi, as_of, cutoffs)
    previous = previous_actual(kpi, as_of)
    if previous is None or now.latest is None:
        return Trend(None, NO_DATA, NONE, health=now.health)
    before = kpi_health(kpi, previous.date, cutoffs)
    change = now.latest.value - previous.value
    return Trend(previous.value, before.health, _kpi_direction(kpi, previous.value, now.latest.value),
                 change, previous.date, now.health)


def _kpi_direction(kpi: Kpi, before: float, after: float) -> str:
    if kpi.direction == "range" and kpi.thresholds is not None:
        low, high = kpi.thresholds.green
        before, after = -_distance(before, low, high), -_distance(after, low, high)
    elif kpi.direction == "down":
        before, after = -before, -after
    if abs(after - before) <= 1e-9 * max(1.0, abs(before)):
        return STEADY
    return IMPROVING if after > before else WORSENING


def _distance(value: float, low: float, high: float) -> float:
    return low - value if value < low else value - high if value > high else 0.0


def health_direction(before: str, after: str) -> str:
    """Health then and now as a direction; `none` when either is `no-data`."""
    if before not in _RANK or after not in _RANK:
        return NONE
    return IMPROVING if _RANK[after] > _RANK[before] else WORSENING if _RANK[after] < _RANK[before] else STEADY


def compute(plan: Plan, kpi_healths: Mapping[str, KpiHealth], objective_healths: Mapping[str, ObjectiveHealth],
            as_of: date, cutoffs: Cutoffs, memo: dict | None = None) -> tuple[Mapping[str, Trend], Mapping[str, Trend]]:
    """The trend of every KPI and every strategic objective (by id).

    :param memo: tables kept between loads in one process (`itemmemo`): a KPI's trend is
        reused while the KPI and its health are the same. After a load that edited only a few
        items (`itemmemo.latest`), only the trends of the edited KPIs, of those whose health
        changed and of the objectives that read either are worked out again.
    """
    last = memo.get("trend-of") if memo is not None else None
    edited = latest(memo, last[0]) if last is not None else None
    if edited is not None and last[1] == (as_of, cutoffs):
        kpis, previous, objectives = dict(last[2]), dict(last[3]), dict(last[5])
        # a KPI's trend reads the KPI and its health; an objective's, its health and its KPIs' trends
        touched = {eid for eid, e in edited.items() if e.kind == "kpi"} | differ(last[4], kpi_healths)
        for eid in touched:
            if eid in kpi_healths:
                kpis[eid] = kpi_trend(plan.entities[eid].kpi, as_of, cutoffs, kpi_healths[eid])
                previous[eid] = KpiHealth(kpis[eid].previous_health, "previous period")
        redo = differ(last[6], objective_healths) | {oid for oid, now in objective_healths.items()
                                                     if not touched.isdisjoint(now.kpis)}
    else:
        kept = Kept(memo, "kpi-trend")
        kpis = {e.id: kept.get(e.id, (e.kpi, as_of, cutoffs, kpi_healths[e.id]),
                               lambda k=e.kpi, h=kpi_healths[e.id]: kpi_trend(k, as_of, cutoffs, h))
                for e in plan.of_kind("kpi")}
        kept.done()
        previous = {k: KpiHealth(t.previous_health, "previous period") for k, t in kpis.items()}
        objectives, redo = {}, objective_healths.keys()
    for objective_id in redo:
        now = objective_healths[objective_id]
        before = rollup(list(now.kpis), previous, plan, cutoffs).health
        objectives[objective_id] = Trend(None, before, health_direction(before, now.health), health=now.health)
    if memo is not None:
        memo["trend-of"] = (memo.get(EDITS), (as_of, cutoffs), kpis, previous, kpi_healths, objectives,
                            objective_healths)
    return MappingProxyType(kpis), MappingProxyType(objectives)
