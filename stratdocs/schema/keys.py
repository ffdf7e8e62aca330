"""The front-matter keys each kind accepts and the words its choices allow (SPEC §4)."""

from __future__ import annotations

import re

ID_RE = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,63}\Z")

COMMON_KEYS = ("kind", "id", "title", "summary", "owner", "status", "tags", "review_by", "updated", "waive")
KIND_KEYS = {
    "plan": ("vision", "mission", "values", "period", "strategy"),
    "objective": ("perspective", "period", "parent"),
    "initiative": ("supports", "start", "end", "budget", "currency"),
    "strategy": ("function", "supports"),
    "operation": ("function", "period", "supports", "objectives", "tasks"),
    "kpi": ("level", "measures", "drives", "unit", "direction", "frequency", "baseline", "target",
            "thresholds", "actuals", "data", "source", "method", "limitations", "weight"),
    "review": ("date", "about", "author", "decisions"),
    "page": (),
}
NESTED_KEYS = {
    "operational-objective": ("id", "title", "owner", "supports", "kpis", "summary", "status", "tags", "waive"),
    "task": ("id", "title", "owner", "due", "status", "supports", "resources", "summary", "tags", "waive"),
}
REF_KEYS = ("supports", "parent", "measures", "drives", "about", "kpis")

PERSPECTIVES = ("financial", "customer", "internal", "learning")
STRATEGIES = {"cost-leadership": "cost-leadership", "differentiation": "differentiation",
              "focus": "focus", "segmentation": "focus"}
TASK_STATUSES = ("todo", "doing", "done", "blocked")
LEVELS = ("strategic", "operational")
DIRECTIONS = ("up", "down", "range")
FREQUENCIES = ("weekly", "monthly", "quarterly", "yearly")
