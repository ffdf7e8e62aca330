"""Commentary on KPIs and objectives (`commentary:` in front matter, read by `schema.commentary`).

The feedback loop from operations to strategy: a red or amber KPI whose latest commentary speaks
for a day before its latest actual (or that has none) has news nobody has explained yet, which is
the `stale-commentary` warning.
"""

from __future__ import annotations

from stratdocs.health import AMBER, RED, KpiHealth
from stratdocs.model import Comment, Entity


def entries(entity: Entity) -> tuple[Comment, ...]:
    """The item's commentary, newest first (empty for kinds without it)."""
    return entity.attrs.get("commentary", ())


def latest(entity: Entity) -> Comment | None:
    """The newest commentary entry, or None."""
    found = entries(entity)
    return found[0] if found else None


def stale_message(entity: Entity, health: KpiHealth) -> str | None:
    """Why a red or amber KPI's commentary is behind its figures, or None when it is not."""
    if health.health not in (RED, AMBER) or health.latest is None:
        return None
    newest = latest(entity)
    actual = health.latest.date
    if newest is None:
        return (f"KPI '{entity.id}' is {health.health} and has no commentary; add a 'commentary:' entry for "
                f"{actual} with author, analysis and recommendation")
    if newest.date >= actual:
        return None
    when = newest.period or newest.date.isoformat()
    return (f"KPI '{entity.id}' is {health.health} and its latest commentary ({when}) is older than its latest "
            f"actual ({actual}); add a 'commentary:' entry dated {actual} or later (or for its period)")
