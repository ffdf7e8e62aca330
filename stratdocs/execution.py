"""Risks and review actions (issue #14): scores, the open actions, and the warnings about them.

A typed API for every page, section and summary that shows them:

- `score(risk)` is likelihood × impact (None when either is missing); `is_high` compares it with
  the configured cut-off (`risks: {high: 15}`); `top_risks(plan, n)` ranks the open risks;
- `open_actions(plan)` lists the actions not done or dropped, earliest due first; `is_overdue`
  says whether an action's due date is before `as_of`, `overdue_actions(plan, as_of)` lists those;
- `gaps(...)` yields the warnings `action-overdue`, `action-no-owner`, `risk-unmitigated` and
  `risk-review-overdue` for `alignment.check`, each about one item.
"""

from __future__ import annotations

from datetime import date
from typing import Iterator

from stratdocs.model import Entity, Plan

#: Action statuses that close an action (`open` and `doing` are open).
CLOSED_ACTIONS = frozenset(("done", "dropped"))
#: Score bands below the configured `high` cut-off: (lowest score, word), from the top.
BANDS = ((10, "elevated"), (5, "medium"), (1, "low"))
#: Every severity word, from the most severe.
SEVERITIES = ("high", "elevated", "medium", "low")


def score(risk: Entity) -> int | None:
    """Likelihood × impact (1–25), None when either is missing."""
    likelihood, impact = risk.attrs.get("likelihood"), risk.attrs.get("impact")
    return likelihood * impact if likelihood and impact else None


def severity(value: int | None, high: int) -> str:
    """The word of a score: `high` (at least the cut-off), `elevated`, `medium`, `low`, or `unrated`."""
    if value is None:
        return "unrated"
    if value >= high:
        return "high"
    return next(word for lowest, word in BANDS if value >= lowest)


def is_high(risk: Entity, high: int) -> bool:
    value = score(risk)
    return value is not None and value >= high


def is_mitigated(risk: Entity) -> bool:
    """Whether a risk names a mitigation: initiatives or tasks, or text."""
    return bool(risk.ref_ids("mitigation") or risk.attrs.get("mitigation_text"))


def ranked_risks(plan: Plan) -> list[Entity]:
    """Every risk, highest score first (unrated last), then by impact, then in plan order."""
    position = plan.position
    return sorted(plan.of_kind("risk"), key=lambda r: (-(score(r) or 0), -(r.attrs.get("impact") or 0),
                                                       position[r.id]))


def top_risks(plan: Plan, n: int) -> list[Entity]:
    """The `n` highest-scored risks still open (not closed), for summaries."""
    return [r for r in ranked_risks(plan) if r.active and score(r) is not None][:n]


def is_overdue(action: Entity, as_of: date) -> bool:
    due = action.attrs.get("due")
    return bool(due and due < as_of and action.status not in CLOSED_ACTIONS)


def is_open(action: Entity) -> bool:
    return action.status not in CLOSED_ACTIONS


def open_actions(plan: Plan) -> list[Entity]:
    """The actions not done or dropped, earliest due first (undated last), then plan order."""
    position = plan.position
    return sorted((a for a in plan.of_kind("action") if is_open(a)),
                  key=lambda a: (a.attrs.get("due") or date.max, position[a.id]))


def overdue_actions(plan: Plan, as_of: date) -> list[Entity]:
    """The open actions whose due date is before `as_of`, earliest first (for summaries)."""
    return [a for a in open_actions(plan) if is_overdue(a, as_of)]


def gaps(plan: Plan, as_of: date, high: int) -> Iterator[tuple[Entity, str, str, str]]:
    """(item, code, key, message) for every risk or action that needs someone."""
    for entity in plan:
        if entity.kind == "action":
            yield from _action_gaps(entity, as_of)
        elif entity.kind == "risk":
            yield from _risk_gaps(entity, as_of, high)


def _action_gaps(action: Entity, as_of: date) -> Iterator[tuple[Entity, str, str, str]]:
    review = action.container
    if is_overdue(action, as_of):
        yield action, "action-overdue", "due", (
            f"action '{action.id}' of review '{review}' was due on {action.attrs['due']} and is still "
            f"{action.status}; do it and set 'status: done', or set a new 'due:'")
    if is_open(action) and not action.owner:
        key = "owner" if "owner" in action.key_lines else "id"
        yield action, "action-no-owner", key, (f"action '{action.id}' of review '{review}' has no owner; "
                                               "add 'owner: …' so someone carries it out")


def _risk_gaps(risk: Entity, as_of: date, high: int) -> Iterator[tuple[Entity, str, str, str]]:
    if not risk.active:
        return
    value = score(risk)
    if value is not None and value >= high and not is_mitigated(risk):
        yield risk, "risk-unmitigated", "likelihood", (
            f"risk '{risk.id}' is high (likelihood {risk.attrs['likelihood']} × impact {risk.attrs['impact']} = "
            f"{value}, at least {high}) and has no mitigation; add 'mitigation: [INITIATIVE-OR-TASK]' or text")
    if risk.review_by is not None and risk.review_by < as_of:
        yield risk, "risk-review-overdue", "review_by", (
            f"risk '{risk.id}' was due for review on {risk.review_by}; reassess likelihood and impact "
            "and set a new 'review_by:'")
