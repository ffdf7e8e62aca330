"""Initiative delivery (issue #14): milestones, progress, budget and spend, and the initiative
health computed from them.

The values (`Milestone`, `Budget`, `Delivery`) are read by `schema.delivery` and kept in an
initiative's ``attrs["delivery"]``; `compute` turns them into an `InitiativeHealth` per
initiative, with the same four words as KPI and objective health (SPEC §6):

- **schedule**: progress (given, or the share of milestones done) against the share of the
  initiative's time that has elapsed between `start` and `end` at `as_of`. Green when progress
  is at least ``schedule.green`` (0.90) of the elapsed share, amber at least ``schedule.amber``
  (0.75), else red. An overdue milestone (due before `as_of`, not done) makes it amber at best.
- **budget**: spend to date against the planned burn at `as_of` (linear from `start` to `end`,
  or the budget's ``phasing``). Green when spend is at most ``budget.green`` (1.05) times the
  planned burn, amber at most ``budget.amber`` (1.15), else red; spend above the whole budget
  is red.
- the initiative's health is the worse of the two that have data.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from types import MappingProxyType
from typing import Iterator, Mapping

from stratdocs.health import AMBER, GREEN, NO_DATA, RED
from stratdocs.itemmemo import EDITS, latest
from stratdocs.model import Entity, Plan, Point
from stratdocs.numbers import format_number

#: A milestone's lifecycle statuses; `dropped` ones do not count towards progress.
MILESTONE_STATUSES = ("todo", "doing", "done", "blocked", "dropped")
#: The warning codes of initiative delivery, in reading order.
DELIVERY_CODES = ("milestone-overdue", "initiative-behind-schedule", "initiative-over-budget")
_RANK = {RED: 0, AMBER: 1, GREEN: 2}
#: Lifecycle statuses of an initiative that is no longer delivered (no health, no warnings).
STOPPED_STATUSES = frozenset(("dropped", "cancelled", "canceled"))


@dataclass(frozen=True, slots=True)
class Milestone:
    """One milestone of an initiative; its id is unique within its initiative (anchor ``#ms-ID``)."""

    id: str
    title: str
    due: date | None = None
    done: date | None = None
    status: str = "todo"
    line: int = 0
    col: int = 1

    @property
    def complete(self) -> bool:
        return self.status == "done"

    def overdue(self, as_of: date) -> bool:
        return self.due is not None and self.due < as_of and self.status not in ("done", "dropped")


@dataclass(frozen=True, slots=True)
class Budget:
    """The money planned for an initiative; `phasing` holds cumulative planned spend by date."""

    amount: float
    currency: str = ""
    phasing: tuple[Point, ...] = ()


@dataclass(frozen=True, slots=True)
class Delivery:
    """What an initiative's front matter says about its delivery."""

    milestones: tuple[Milestone, ...] = ()
    progress: float | None = None       # given share 0..1; None: derived from milestones
    budget: Budget | None = None
    spend: tuple[Point, ...] = ()        # actuals: amount spent on each date (not cumulative)
    spend_data: str = ""                 # the CSV the spend was read from, if any


@dataclass(frozen=True, slots=True)
class DeliveryCutoffs:
    """`delivery:` in stratdocs.yml: the schedule and budget cut-offs."""

    schedule_green: float = 0.90
    schedule_amber: float = 0.75
    budget_green: float = 1.05
    budget_amber: float = 1.15


@dataclass(frozen=True, slots=True)
class InitiativeHealth:
    """The computed health of one initiative, with the figures behind it."""

    health: str
    schedule: str
    budget: str
    schedule_reason: str
    budget_reason: str
    progress: float | None = None        # 0..1
    progress_source: str = ""            # "given", "milestones", "done" or ""
    elapsed: float | None = None         # share of the initiative's time gone at as_of
    spent: float | None = None           # spend to date
    planned: float | None = None         # planned burn to date
    overdue: tuple[Milestone, ...] = ()

    @property
    def behind_schedule(self) -> bool:
        """What the executive summary lists as an initiative behind schedule."""
        return self.schedule in (AMBER, RED)


def delivery_of(entity: Entity) -> Delivery:
    value = entity.attrs.get("delivery")
    return value if isinstance(value, Delivery) else Delivery()


def progress_of(entity: Entity, delivery: Delivery) -> tuple[float | None, str]:
    """The progress share and where it comes from: given, derived from milestones (done ones over
    all but dropped ones), 1.0 for a done initiative, else unknown."""
    if delivery.progress is not None:
        return delivery.progress, "given"
    counted = [m for m in delivery.milestones if m.status != "dropped"]
    if counted:
        return sum(m.complete for m in counted) / len(counted), "milestones"
    if entity.status.lower() in ("done", "complete", "completed"):
        return 1.0, "done"
    return None, ""


def elapsed_share(start: date | None, end: date | None, as_of: date) -> float | None:
    if start is None or end is None or end <= start:
        return None
    return min(1.0, max(0.0, (as_of - start).days / (end - start).days))


def planned_burn(budget: Budget, start: date | None, end: date | None, as_of: date) -> float | None:
    """Planned cumulative spend at `as_of`: straight lines from (start, 0) through the phasing
    points to (end, amount); linear from start to end without phasing."""
    if start is None or end is None:
        return None
    points = [(start, 0.0), *((p.date, p.value) for p in budget.phasing if start < p.date < end), (end, budget.amount)]
    if as_of <= start:
        return 0.0
    for (d0, v0), (d1, v1) in zip(points, points[1:]):
        if as_of <= d1:
            span = (d1 - d0).days
            return v1 if span <= 0 else v0 + (v1 - v0) * (as_of - d0).days / span
    return budget.amount


def initiative_health(entity: Entity, as_of: date, cutoffs: DeliveryCutoffs = DeliveryCutoffs()) -> InitiativeHealth:
    """The health of one initiative at `as_of` (a dropped or cancelled one has none)."""
    delivery = delivery_of(entity)
    if entity.status.lower() in STOPPED_STATUSES:
        why = f"the initiative is {entity.status.lower()}"
        spent = sum(p.value for p in delivery.spend if p.date <= as_of) if delivery.spend else None
        return InitiativeHealth(NO_DATA, NO_DATA, NO_DATA, why, why, spent=spent)
    start, end = entity.attrs.get("start"), entity.attrs.get("end")
    progress, source = progress_of(entity, delivery)
    elapsed = elapsed_share(start, end, as_of)
    overdue = tuple(m for m in delivery.milestones if m.overdue(as_of))
    schedule, schedule_reason = _schedule(progress, elapsed, overdue, cutoffs)
    spent = sum(p.value for p in delivery.spend if p.date <= as_of) if delivery.spend else None
    planned = planned_burn(delivery.budget, start, end, as_of) if delivery.budget else None
    budget, budget_reason = _budget(delivery.budget, spent, planned, cutoffs)
    known = [h for h in (schedule, budget) if h != NO_DATA]
    health = min(known, key=_RANK.__getitem__) if known else NO_DATA
    return InitiativeHealth(health, schedule, budget, schedule_reason, budget_reason, progress, source,
                            elapsed, spent, planned, overdue)


def _schedule(progress, elapsed, overdue, cutoffs: DeliveryCutoffs) -> tuple[str, str]:
    late = f"; {len(overdue)} milestone{'s' if len(overdue) != 1 else ''} overdue" if overdue else ""
    if progress is None or elapsed is None:
        if overdue:
            return AMBER, f"no progress to compare{late}"
        return NO_DATA, "no progress or no start and end dates to compare"
    if elapsed == 0 or progress >= elapsed:
        health = GREEN
    else:
        ratio = progress / elapsed
        health = GREEN if ratio >= cutoffs.schedule_green else AMBER if ratio >= cutoffs.schedule_amber else RED
    if overdue and health == GREEN:
        health = AMBER
    return health, f"{progress:.0%} done with {elapsed:.0%} of the time elapsed{late}"


def _budget(budget: Budget | None, spent, planned, cutoffs: DeliveryCutoffs) -> tuple[str, str]:
    if budget is None or spent is None or planned is None:
        return NO_DATA, "no budget, no spend or no start and end dates"
    money = lambda value: format_number(value, budget.currency, decimals=0)  # noqa: E731
    if spent > budget.amount:
        return RED, f"spend {money(spent)} is above the whole budget of {money(budget.amount)}"
    if planned <= 0:
        return (GREEN, "nothing planned or spent yet") if spent <= 0 else (RED, f"spend {money(spent)} before any was planned")
    ratio = spent / planned
    health = GREEN if ratio <= cutoffs.budget_green else AMBER if ratio <= cutoffs.budget_amber else RED
    return health, f"spend {money(spent)} against {money(planned)} planned to date ({ratio:.0%})"


def compute(plan: Plan, as_of: date, cutoffs: DeliveryCutoffs, memo: dict | None = None) -> Mapping[str, InitiativeHealth]:
    """The health of every initiative, by id.

    :param memo: tables kept between loads in one process (`itemmemo`): after a load that
        edited only a few items (`itemmemo.latest`), the last load's health of every other
        initiative (it reads only the initiative, the date and the settings).
    """
    last = memo.get("delivery") if memo is not None else None
    edited = latest(memo, last[2]) if last is not None else None
    if edited is not None and last[0] == (as_of, cutoffs):
        made = dict(last[1])
        made.update((eid, initiative_health(e, as_of, cutoffs)) for eid, e in edited.items() if e.kind == "initiative")
        found: Mapping = MappingProxyType(made)
    else:
        found = MappingProxyType({e.id: initiative_health(e, as_of, cutoffs) for e in plan.of_kind("initiative")})
    if memo is not None:
        memo["delivery"] = ((as_of, cutoffs), found, memo.get(EDITS))
    return found


def gaps(plan: Plan, healths: Mapping[str, InitiativeHealth], as_of: date,
         cutoffs: DeliveryCutoffs) -> Iterator[tuple[Entity, str, object, str]]:
    """The delivery warnings as alignment gaps: (entity, code, key or (line, col), message)."""
    for entity in plan.of_kind("initiative"):
        h = healths[entity.id]
        for m in h.overdue:
            yield entity, "milestone-overdue", (m.line, m.col), (
                f"milestone '{m.id}' of initiative '{entity.id}' was due on {m.due} and is not done; "
                "set 'done: DATE' when it is, or move 'due' with the reason in the body")
        if h.schedule == RED and h.progress is not None and h.elapsed:
            key = "progress" if h.progress_source == "given" else "milestones"
            yield entity, "initiative-behind-schedule", key, (
                f"initiative '{entity.id}' is behind schedule: {h.progress:.0%} done with {h.elapsed:.0%} of its "
                f"time elapsed, below the amber cut-off of {cutoffs.schedule_amber:.0%} of planned progress")
        if h.budget == RED:
            key = "spend" if "spend" in entity.key_lines else "budget"
            yield entity, "initiative-over-budget", key, (
                f"initiative '{entity.id}' is over budget: {h.budget_reason}; explain it in the body or "
                "revise the budget")


def record(entity: Entity, health: InitiativeHealth) -> dict:
    """An initiative's delivery for `stratdocs export` (plain JSON values)."""
    d = delivery_of(entity)
    point = lambda p: {"date": p.date.isoformat(), "amount": p.value, **({"note": p.note} if p.note else {})}  # noqa: E731
    return {
        "milestones": [{"id": m.id, "title": m.title, "due": m.due.isoformat() if m.due else None,
                        "done": m.done.isoformat() if m.done else None, "status": m.status,
                        "overdue": m in health.overdue} for m in d.milestones],
        "progress": health.progress, "progress_source": health.progress_source or None,
        "budget": {"amount": d.budget.amount, "currency": d.budget.currency,
                   "phasing": [{"date": p.date.isoformat(), "value": p.value} for p in d.budget.phasing]}
        if d.budget else None,
        "spend": [point(p) for p in d.spend], "spend_data": d.spend_data or None,
        "spent": health.spent, "planned_to_date": health.planned, "elapsed": health.elapsed,
        "schedule_health": health.schedule, "budget_health": health.budget,
        "health_reason": f"schedule: {health.schedule_reason}; budget: {health.budget_reason}",
    }


def behind_schedule(plan: Plan, healths: Mapping[str, InitiativeHealth]) -> tuple[tuple[Entity, InitiativeHealth], ...]:
    """The initiatives whose schedule is amber or red, worst first, then in plan order: what an
    executive summary lists as "initiatives behind schedule"."""
    late = [(e, healths[e.id]) for e in plan.of_kind("initiative") if e.id in healths and healths[e.id].behind_schedule]
    return tuple(sorted(late, key=lambda pair: (_RANK[pair[1].schedule], plan.position[pair[0].id])))
