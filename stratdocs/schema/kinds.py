"""The keys of each file kind beyond the common ones, read into an entity's `attrs`.

Each reader takes the reader and the front-matter items (name -> (key node, value node)) and
returns the attrs and any references it read itself (an objective's single `parent`).
"""

from __future__ import annotations

from typing import Callable

from stratdocs.model import Ref
from stratdocs.reader import Reader
from stratdocs.schema.keys import PERSPECTIVES, STRATEGIES
from stratdocs.schema.risk import risk as _risk

KindReader = Callable[[Reader, dict], tuple[dict, list[Ref]]]


def _plan(r: Reader, items: dict) -> tuple[dict, list[Ref]]:
    attrs: dict = {}
    for key in ("vision", "mission", "strategy_text"):
        if key in items:
            attrs[key] = r.text(items[key][1], key) or ""
    if "values" in items:
        attrs["values"] = r.strings(items["values"][1], "values")
    if "period" in items:
        attrs["period"] = r.period(items["period"][1], "period")
    if "strategy" in items:
        attrs["strategy"] = r.choice(items["strategy"][1], "strategy", STRATEGIES)
    return attrs, []


def _objective(r: Reader, items: dict, perspectives=PERSPECTIVES) -> tuple[dict, list[Ref]]:
    """:param perspectives: the keys `perspective:` may take (the config's `perspectives`)."""
    attrs: dict = {}
    if "perspective" in items:
        attrs["perspective"] = r.choice(items["perspective"][1], "perspective", tuple(perspectives))
    if "period" in items:
        attrs["period"] = r.period(items["period"][1], "period")
    if "parent" not in items:
        return attrs, []
    parents = r.refs(items["parent"][1], "parent")
    if len(parents) > 1:
        r.fail(items["parent"][1], "'parent' takes one objective id")
    return attrs, parents[:1]


def _initiative(r: Reader, items: dict) -> tuple[dict, list[Ref]]:
    attrs: dict = {}
    for key in ("start", "end"):
        if key in items:
            attrs[key] = r.date(items[key][1], key)
    if attrs.get("start") and attrs.get("end") and attrs["end"] < attrs["start"]:
        r.fail(items["end"][1], f"'end' ({attrs['end']}) is before 'start' ({attrs['start']})")
    return attrs, []  # budget, currency and the other delivery keys: schema.delivery


def _strategy(r: Reader, items: dict) -> tuple[dict, list[Ref]]:
    attrs: dict = {}
    if "function" in items:
        attrs["function"] = r.text(items["function"][1], "function") or ""
    return attrs, []


def _operation(r: Reader, items: dict) -> tuple[dict, list[Ref]]:
    attrs, _ = _strategy(r, items)
    if "period" in items:
        attrs["period"] = r.period(items["period"][1], "period")
    return attrs, []


def _review(r: Reader, items: dict) -> tuple[dict, list[Ref]]:
    attrs: dict = {}
    if "date" in items:
        attrs["date"] = r.date(items["date"][1], "date")
    if "author" in items:
        attrs["author"] = r.text(items["author"][1], "author") or ""
    if "decisions" in items:
        attrs["decisions"] = r.strings(items["decisions"][1], "decisions")
    if "decisions_requested" in items:
        attrs["decisions_requested"] = r.strings(items["decisions_requested"][1], "decisions_requested")
    return attrs, []


def _nothing(r: Reader, items: dict) -> tuple[dict, list[Ref]]:
    return {}, []


#: The attrs reader of each file kind (the KPI's own keys are read by `schema.kpi`).
KIND_READERS: dict[str, KindReader] = {
    "plan": _plan, "objective": _objective, "initiative": _initiative, "strategy": _strategy,
    "operation": _operation, "review": _review, "kpi": _nothing, "page": _nothing,
    "risk": _risk,
}
