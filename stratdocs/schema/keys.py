"""The front-matter keys each kind accepts and the words its choices allow (SPEC §4)."""

from __future__ import annotations

import re

ID_RE = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,63}\Z")

COMMON_KEYS = ("kind", "id", "title", "summary", "owner", "status", "tags", "review_by", "updated", "waive")
KIND_KEYS = {
    "plan": ("vision", "mission", "values", "period", "strategy", "strategy_text"),
    "objective": ("perspective", "period", "parent", "enables", "commentary"),
    "initiative": ("supports", "start", "end", "budget", "currency", "milestones", "progress", "spend"),
    "strategy": ("function", "supports"),
    "operation": ("function", "period", "supports", "objectives", "tasks"),
    "kpi": ("level", "measures", "drives", "unit", "direction", "frequency", "baseline", "target",
            "thresholds", "actuals", "data", "source", "method", "limitations", "weight", "commentary"),
    "review": ("date", "about", "author", "decisions", "decisions_requested", "actions"),
    "risk": ("likelihood", "impact", "threatens", "mitigation"),
    "page": (),
}
NESTED_KEYS = {
    "operational-objective": ("id", "title", "owner", "supports", "kpis", "summary", "status", "tags", "waive"),
    "task": ("id", "title", "owner", "due", "status", "supports", "resources", "summary", "tags", "waive"),
    "action": ("id", "title", "owner", "due", "status", "about", "summary", "tags", "waive"),
}
REF_KEYS = ("supports", "parent", "measures", "drives", "about", "kpis", "enables", "threatens")

#: The default perspectives (labels in `config.perspectives`); a plan may name its own in stratdocs.yml.
PERSPECTIVES = ("financial", "customer", "internal", "learning")
STRATEGIES = {"cost-leadership": "cost-leadership", "differentiation": "differentiation",
              "focus": "focus", "segmentation": "focus"}
TASK_STATUSES = ("todo", "doing", "done", "blocked")
LEVELS = ("strategic", "operational")
DIRECTIONS = ("up", "down", "range")
FREQUENCIES = ("weekly", "monthly", "quarterly", "yearly")
ACTION_STATUSES = ("open", "doing", "done", "dropped")
#: The keys of a risk's `mitigation:` when it is a mapping (it may also be text, or a list of ids).
MITIGATION_KEYS = ("by", "text")

#: The type of every key above, as the readers in `schema.common`, `schema.kinds`, `schema.kpi` and
#: `schema.nested` check it: a type name, or the tuple of words a choice allows (matched without
#: regard to case). `stratdocs schema` writes its JSON Schema from this table (`stratdocs.jsonschema`),
#: and tests/test_jsonschema.py proves that table, readers and JSON Schema agree.
KEY_TYPES = {
    "kind": "kind", "id": "id", "title": "text", "summary": "text", "owner": "text", "status": "text",
    "tags": "strings", "review_by": "date", "updated": "date", "waive": "waive",
    "vision": "text", "mission": "text", "strategy_text": "text", "values": "strings", "period": "period", "strategy": tuple(STRATEGIES),
    "perspective": PERSPECTIVES, "parent": "ref", "enables": "refs", "supports": "refs", "start": "date", "end": "date",
    "budget": "budget", "currency": "text", "function": "text", "objectives": "nested", "tasks": "nested",
    "level": LEVELS, "measures": "refs", "drives": "refs", "unit": "text", "direction": DIRECTIONS,
    "frequency": FREQUENCIES, "baseline": "point", "target": "targets", "thresholds": "thresholds",
    "actuals": "actuals", "data": "text", "source": "text", "method": "text", "limitations": "text",
    "weight": "weight", "date": "date", "about": "refs", "author": "text", "decisions": "strings",
    "kpis": "refs", "due": "date", "resources": "text",
    "commentary": "commentary", "decisions_requested": "strings",
    "milestones": "milestones", "progress": "progress", "spend": "spend",
    "actions": "nested", "likelihood": "rating", "impact": "rating", "threatens": "refs",
    "mitigation": "mitigation",
}
#: Keys whose type differs inside an operation's nested items (a task's status is a choice).
NESTED_KEY_TYPES = {"task": {"status": TASK_STATUSES}, "operational-objective": {},
                    "action": {"status": ACTION_STATUSES}}
