"""The content schema: front-matter nodes in, typed `Entity` values and findings out.

Each kind lists the keys it accepts (SPEC §4). Values are checked against their type where
they are written, so a finding names the line of the offending key or value. A bad value
is reported and left out; the entity is still built so that references to it resolve and
one mistake does not hide the next.
"""

from __future__ import annotations

import difflib
import math
import re
from datetime import date
from pathlib import Path, PurePosixPath
from types import MappingProxyType
from typing import Callable

from stratdocs import csvdata
from stratdocs.findings import WARNING_CODES, Finding, error, warning
from stratdocs.model import FILE_KINDS, Entity, Kpi, Period, Point, Ref, Thresholds
from stratdocs.periods import make_period, parse_date, parse_span
from stratdocs.sources import SourceFile
from stratdocs.yamlnodes import Mapping, Node, Scalar, Sequence

ID_RE = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,63}\Z")
_LINK_RE = re.compile(r"\[\[([^\[\]|\n]+?)(?:\|([^\[\]\n]*))?\]\]")
_FENCE_RE = re.compile(r"^(```|~~~).*?^\1[^\n]*$", re.MULTILINE | re.DOTALL)
_CODE_RE = re.compile(r"`[^`\n]*`")
_MDLINK_RE = re.compile(r"!?\[[^\]\n]*\]\(\s*<?([^)\s>]+)>?(?:\s+[\"'][^)\n]*[\"'])?\s*\)")
_REFDEF_RE = re.compile(r"^ {0,3}\[[^\]\n]+\]:[ \t]*<?([^\s>]+)>?", re.MULTILINE)
_SCHEME_RE = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")
_HEADING_RE = re.compile(r"^#[ \t]+(.+?)[ \t#]*$", re.MULTILINE)

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

CsvReader = Callable[[str, str, int, int], tuple[tuple[Point, ...], list[Finding]]]


class _Reader:
    """Typed access to the front matter of one file, recording findings as it goes."""

    def __init__(self, file: str, findings: list[Finding]):
        self.file = file
        self.findings = findings

    def fail(self, node: Node, message: str, code: str = "schema") -> None:
        self.findings.append(error(self.file, node.line, node.col, code, message))

    def text(self, node: Node, key: str) -> str | None:
        if isinstance(node, Scalar):
            if node.value is None and not node.quoted:
                return ""
            return node.text if not node.quoted else str(node.value)
        self.fail(node, f"'{key}' must be text, not a {'list' if isinstance(node, Sequence) else 'mapping'}")
        return None

    def date(self, node: Node, key: str) -> date | None:
        if not isinstance(node, Scalar) or node.value is None:
            self.fail(node, f"'{key}' must be a date written as YYYY-MM-DD")
            return None
        try:
            return parse_date(node.text.strip())
        except ValueError as exc:
            self.fail(node, f"'{key}': {exc}")
            return None

    def number(self, node: Node, key: str) -> float | None:
        if isinstance(node, Scalar) and not node.quoted and isinstance(node.value, (int, float)) \
                and not isinstance(node.value, bool) and math.isfinite(node.value):
            return float(node.value)
        shown = node.text if isinstance(node, Scalar) else "a list or mapping"
        self.fail(node, f"'{key}' must be a number, not '{shown}'")
        return None

    def choice(self, node: Node, key: str, allowed) -> str | None:
        value = self.text(node, key)
        if value is None:
            return None
        folded = value.strip().lower()
        if folded in allowed:
            return allowed[folded] if isinstance(allowed, dict) else folded
        options = list(allowed)
        self.fail(node, f"'{key}' is '{value}'; use one of: {', '.join(options)}{_did_you_mean(folded, options)}")
        return None

    def strings(self, node: Node, key: str) -> tuple[str, ...]:
        items = node.items if isinstance(node, Sequence) else (node,)
        if isinstance(node, Scalar) and node.value is None:
            return ()
        out = []
        for item in items:
            value = self.text(item, key)
            if value:
                out.append(value)
        return tuple(out)

    def refs(self, node: Node, key: str) -> list[Ref]:
        if isinstance(node, Scalar) and node.value is None:
            return []
        items = node.items if isinstance(node, Sequence) else (node,)
        out = []
        for item in items:
            if not isinstance(item, Scalar) or item.value is None:
                self.fail(item, f"'{key}' must list ids, like [SO1, I2]")
                continue
            out.append(Ref(key, item.text.strip(), item.line, item.col))
        return out

    def mapping(self, node: Node, key: str, keys: tuple[str, ...]) -> dict | None:
        if not isinstance(node, Mapping):
            self.fail(node, f"'{key}' must be a mapping with {', '.join(keys)}")
            return None
        for name, (knode, _) in node.items.items():
            if name not in keys:
                self.fail(knode, f"unknown key '{name}' in '{key}'; use {', '.join(keys)}{_did_you_mean(name, keys)}")
        return {name: value for name, (_, value) in node.items.items() if name in keys}

    def point(self, node: Node, key: str, *, note: bool = False) -> Point | None:
        keys = ("date", "value", "note") if note else ("date", "value")
        fields = self.mapping(node, key, keys)
        if fields is None:
            return None
        missing = [k for k in ("date", "value") if k not in fields]
        if missing:
            self.fail(node, f"'{key}' needs {' and '.join(missing)}")
            return None
        day = self.date(fields["date"], f"{key}.date")
        value = self.number(fields["value"], f"{key}.value")
        text = self.text(fields["note"], f"{key}.note") if "note" in fields else ""
        if day is None or value is None:
            return None
        return Point(day, value, text or "", node.line, self.file)

    def period(self, node: Node, key: str) -> Period | None:
        try:
            if isinstance(node, Scalar) and node.value is not None:
                return parse_span(node.text)
            fields = self.mapping(node, key, ("start", "end"))
            if fields is None:
                return None
            if "start" not in fields or "end" not in fields:
                self.fail(node, f"'{key}' needs start and end")
                return None
            ends = []
            for name in ("start", "end"):
                part = fields[name]
                if not isinstance(part, Scalar) or part.value is None:
                    self.fail(part, f"'{key}.{name}' must be a year or a date")
                    return None
                try:
                    ends.append(parse_span(part.text))
                except ValueError as exc:
                    self.fail(part, f"'{key}.{name}': {exc}")
                    return None
            return make_period(ends[0], ends[1])
        except ValueError as exc:
            self.fail(node, f"'{key}': {exc}")
            return None


def _did_you_mean(word: str, options) -> str:
    close = difflib.get_close_matches(word, list(options), n=1, cutoff=0.6)
    return f"; did you mean '{close[0]}'?" if close else ""


def body_links(body: str, body_line: int) -> list[Ref]:
    """`[[ID]]` and `[[ID|text]]` references in a Markdown body, outside code."""
    masked = _FENCE_RE.sub(lambda m: re.sub(r"[^\n]", " ", m[0]), body)
    masked = _CODE_RE.sub(lambda m: " " * len(m[0]), masked)
    refs = []
    for match in _LINK_RE.finditer(masked):
        refs.append(Ref("link", match[1].strip(), *_position(masked, match.start(), body_line)))
    for pattern in (_MDLINK_RE, _REFDEF_RE):
        for match in pattern.finditer(masked):
            url = match[1]
            if url.startswith(("#", "/")) or _SCHEME_RE.match(url) or url.startswith("//"):
                continue
            path = url.split("#", 1)[0].split("?", 1)[0]
            if path:
                refs.append(Ref("file", path, *_position(masked, match.start(1), body_line)))
    return refs


def _position(text: str, offset: int, first_line: int) -> tuple[int, int]:
    line = first_line + text.count("\n", 0, offset)
    return line, offset - (text.rfind("\n", 0, offset) + 1) + 1


def first_heading(body: str) -> str | None:
    match = _HEADING_RE.search(body)
    return match[1].strip() if match else None


def build_entities(src: SourceFile, root: Path, content_dir: str) -> tuple[list[Entity], list[Finding]]:
    """Turn one parsed file into its entity (plus nested ones for an operation)."""
    findings: list[Finding] = []
    r = _Reader(src.path, findings)
    items = src.meta.items
    kind = src.kind
    if "kind" in items:
        chosen = r.choice(items["kind"][1], "kind", FILE_KINDS)
        if chosen:
            kind = chosen
    allowed = COMMON_KEYS + KIND_KEYS[kind]
    key_lines = {name: (k.line, k.col) for name, (k, _) in items.items()}

    entity_id = PurePosixPath(src.path).stem
    if "id" in items:
        entity_id = r.text(items["id"][1], "id") or entity_id
    findings.extend(_unknown_keys(src.path, items, allowed, kind, entity_id))
    entity_line = items["id"][1].line if "id" in items else 1
    _check_id(r, entity_id, items["id"][1] if "id" in items else Scalar(1, 1, entity_id, entity_id, False),
              from_stem="id" not in items)

    title = None
    if "title" in items:
        title = r.text(items["title"][1], "title")
    if not title:
        title = first_heading(src.body)
    if not title:
        where = items["title"][1] if "title" in items else src.meta
        r.fail(where, "missing title; add 'title: …' to the front matter or start the body with '# Title'")
        title = entity_id

    common = _common(r, items)
    refs: list[Ref] = []
    attrs: dict = {}
    kpi = None
    if kind == "plan":
        for key in ("vision", "mission"):
            if key in items:
                attrs[key] = r.text(items[key][1], key) or ""
        if "values" in items:
            attrs["values"] = r.strings(items["values"][1], "values")
        if "period" in items:
            attrs["period"] = r.period(items["period"][1], "period")
        if "strategy" in items:
            attrs["strategy"] = r.choice(items["strategy"][1], "strategy", STRATEGIES)
    elif kind == "objective":
        if "perspective" in items:
            attrs["perspective"] = r.choice(items["perspective"][1], "perspective", PERSPECTIVES)
        if "period" in items:
            attrs["period"] = r.period(items["period"][1], "period")
        if "parent" in items:
            parents = r.refs(items["parent"][1], "parent")
            if len(parents) > 1:
                r.fail(items["parent"][1], "'parent' takes one objective id")
            refs += parents[:1]
    elif kind == "initiative":
        for key in ("start", "end"):
            if key in items:
                attrs[key] = r.date(items[key][1], key)
        if attrs.get("start") and attrs.get("end") and attrs["end"] < attrs["start"]:
            r.fail(items["end"][1], f"'end' ({attrs['end']}) is before 'start' ({attrs['start']})")
        if "budget" in items:
            attrs["budget"] = r.number(items["budget"][1], "budget")
        if "currency" in items:
            attrs["currency"] = r.text(items["currency"][1], "currency") or ""
    elif kind in ("strategy", "operation"):
        if "function" in items:
            attrs["function"] = r.text(items["function"][1], "function") or ""
        if kind == "operation" and "period" in items:
            attrs["period"] = r.period(items["period"][1], "period")
    elif kind == "kpi":
        kpi = _kpi(r, items, root, content_dir)
    elif kind == "review":
        if "date" in items:
            attrs["date"] = r.date(items["date"][1], "date")
        if "author" in items:
            attrs["author"] = r.text(items["author"][1], "author") or ""
        if "decisions" in items:
            attrs["decisions"] = r.strings(items["decisions"][1], "decisions")
    for key in REF_KEYS:
        if key in items and key in allowed and key != "parent":
            refs += r.refs(items[key][1], key)
    refs += body_links(src.body, src.body_line)

    nested: list[Entity] = []
    if kind == "operation":
        inherited = [ref for ref in refs if ref.key == "supports"]
        for key, nkind in (("objectives", "operational-objective"), ("tasks", "task")):
            if key in items:
                nested += _nested(r, items[key][1], key, nkind, entity_id, inherited)
        attrs["objectives"] = tuple(e.id for e in nested if e.kind == "operational-objective")
        attrs["tasks"] = tuple(e.id for e in nested if e.kind == "task")

    entity = Entity(
        id=entity_id, kind=kind, title=title, file=src.path, line=entity_line,
        body=src.body, body_line=src.body_line, refs=tuple(refs),
        children=tuple(e.id for e in nested), attrs=MappingProxyType(attrs),
        key_lines=MappingProxyType(key_lines), kpi=kpi, **common,
    )
    return [entity, *nested], findings


def _unknown_keys(file: str, items: dict, allowed: tuple[str, ...], kind: str, entity_id: str) -> list[Finding]:
    """`unknown-key` warnings, tied to their entity so that a `waive` on it can silence them."""
    article = "an" if kind[0] in "aeiou" else "a"
    return [warning(file, knode.line, knode.col, "unknown-key",
                    f"unknown key '{name}' for {article} {kind}{_did_you_mean(name, allowed)} "
                    "(custom keys start with 'x-')", entity_id)
            for name, (knode, _) in items.items() if name not in allowed and not name.startswith("x-")]


def _check_id(r: _Reader, value: str, node: Node, from_stem: bool) -> None:
    if value.lower() == "index":  # its page would be the folder's index page (objectives/index.html)
        r.fail(node, f"'{value}' cannot be an id: the name is taken by each folder's index page; "
                     "rename the file or set another 'id:'")
        return
    if ID_RE.match(value):
        return
    if from_stem:
        r.fail(node, f"file name '{value}' is not a valid id; rename the file or set 'id:' "
                     "(letters, digits, '.', '_', '-'; at most 64 characters)")
    else:
        r.fail(node, f"id '{value}' is not valid: use letters, digits, '.', '_' and '-', "
                     "starting with a letter or digit, at most 64 characters")


def _common(r: _Reader, items: dict) -> dict:
    out: dict = {}
    for key in ("summary", "owner", "status"):
        if key in items:
            out[key] = (r.text(items[key][1], key) or "").strip()
    if "tags" in items:
        out["tags"] = r.strings(items["tags"][1], "tags")
    for key in ("review_by", "updated"):
        if key in items:
            out[key] = r.date(items[key][1], key)
    if "waive" in items:
        out["waive"] = _waive(r, items["waive"][1])
    return out


def _waive(r: _Reader, node: Node) -> MappingProxyType:
    if not isinstance(node, Mapping):
        r.fail(node, "'waive' must map warning codes to reasons, like {no-kpi: \"reason\"}")
        return MappingProxyType({})
    waived = {}
    for code, (knode, value) in node.items.items():
        if code not in WARNING_CODES:
            r.fail(knode, f"cannot waive '{code}': not a warning code{_did_you_mean(code, WARNING_CODES)}")
            continue
        reason = r.text(value, f"waive.{code}")
        if not reason or not reason.strip():
            r.fail(value, f"waiving '{code}' needs a reason, so the accepted gap stays explained")
            continue
        waived[code] = reason.strip()
    return MappingProxyType(waived)


def _nested(r: _Reader, node: Node, key: str, kind: str, container: str, inherited: list[Ref]) -> list[Entity]:
    if isinstance(node, Scalar) and node.value is None:
        return []
    if not isinstance(node, Sequence):
        r.fail(node, f"'{key}' must be a list of items, each with id and title")
        return []
    allowed = NESTED_KEYS[kind]
    out = []
    for item in node.items:
        if not isinstance(item, Mapping):
            r.fail(item, f"each entry of '{key}' must be a mapping with id and title")
            continue
        fields = item.items
        if "id" not in fields:
            r.fail(item, f"an entry of '{key}' has no id; add 'id: …'")
            continue
        nid = r.text(fields["id"][1], "id")
        if not nid:
            continue
        r.findings.extend(_unknown_keys(r.file, fields, allowed, kind, nid))
        _check_id(r, nid, fields["id"][1], from_stem=False)
        title = r.text(fields["title"][1], "title") if "title" in fields else None
        if not title:
            r.fail(fields["title"][1] if "title" in fields else item, f"{kind} '{nid}' has no title; add 'title: …'")
            title = nid
        common = _common(r, fields)
        attrs: dict = {}
        if kind == "task":
            if "due" in fields:
                attrs["due"] = r.date(fields["due"][1], "due")
            if "resources" in fields:
                attrs["resources"] = r.text(fields["resources"][1], "resources") or ""
            if "status" in fields:
                common["status"] = r.choice(fields["status"][1], "status", TASK_STATUSES) or ""
            else:
                common["status"] = "todo"
        refs: list[Ref] = []
        if "supports" in fields:
            refs += r.refs(fields["supports"][1], "supports")
        else:
            refs += inherited
        if "kpis" in fields and kind == "operational-objective":
            refs += r.refs(fields["kpis"][1], "kpis")
        out.append(Entity(
            id=nid, kind=kind, title=title, file=r.file, line=item.line, container=container,
            refs=tuple(refs), attrs=MappingProxyType(attrs),
            key_lines=MappingProxyType({name: (k.line, k.col) for name, (k, _) in fields.items()}),
            **common,
        ))
    return out


def _kpi(r: _Reader, items: dict, root: Path, content_dir: str) -> Kpi:
    values: dict = {}
    if "level" in items:
        values["level"] = r.choice(items["level"][1], "level", LEVELS) or "operational"
    if "direction" in items:
        values["direction"] = r.choice(items["direction"][1], "direction", DIRECTIONS) or "up"
    if "frequency" in items:
        values["frequency"] = r.choice(items["frequency"][1], "frequency", FREQUENCIES) or "monthly"
    for key in ("unit", "source", "method", "limitations"):
        if key in items:
            values[key] = r.text(items[key][1], key) or ""
    if "weight" in items:
        weight = r.number(items["weight"][1], "weight")
        if weight is not None and weight < 0:
            r.fail(items["weight"][1], "'weight' must not be negative")
        elif weight is not None:
            values["weight"] = weight
    if "baseline" in items:
        values["baseline"] = r.point(items["baseline"][1], "baseline")
    if "target" in items:
        node = items["target"][1]
        nodes = node.items if isinstance(node, Sequence) else (node,)
        targets = [p for p in (r.point(n, "target") for n in nodes) if p]
        dates = [t.date for t in targets]
        if len(set(dates)) != len(dates):
            r.fail(node, "two target milestones share a date; keep one per date")
        values["targets"] = tuple(sorted(targets, key=lambda p: p.date))
    direction = values.get("direction", "up")
    if "thresholds" in items:
        values["thresholds"] = _thresholds(r, items["thresholds"][1], direction)
    if "actuals" in items and "data" in items:
        r.fail(items["data"][1], "use either 'actuals' or 'data', not both")
    if "actuals" in items:
        node = items["actuals"][1]
        if isinstance(node, Scalar) and node.value is None:
            pass
        elif not isinstance(node, Sequence):
            r.fail(node, "'actuals' must be a list of {date, value, note}")
        else:
            points = [p for p in (r.point(n, "actuals", note=True) for n in node.items) if p]
            seen: dict = {}
            for p in points:
                if p.date in seen:
                    r.fail(Scalar(p.line, 1, None, "", False),
                           f"a second actual for {p.date} (first on line {seen[p.date]}); keep one")
                seen.setdefault(p.date, p.line)
            values["actuals"] = tuple(sorted(points, key=lambda p: p.date))
    elif "data" in items:
        node = items["data"][1]
        data = r.text(node, "data")
        if data:
            rel = csvdata.data_path(content_dir, data)
            if rel is None:
                r.fail(node, f"'data' must be a CSV path under {content_dir}/data, like kpi-nps.csv")
            else:
                points, found = csvdata.read_actuals(root, rel, r.file, node.line, node.col)
                r.findings.extend(found)
                values["actuals"] = points
                values["data"] = rel
    return Kpi(**values)


def _thresholds(r: _Reader, node: Node, direction: str) -> Thresholds | None:
    fields = r.mapping(node, "thresholds", ("green", "amber"))
    if fields is None:
        return None
    if set(fields) != {"green", "amber"}:
        r.fail(node, "'thresholds' needs both green and amber")
        return None
    bands = {}
    for name, value in fields.items():
        if direction == "range":
            if not isinstance(value, Sequence) or len(value.items) != 2:
                r.fail(value, f"'thresholds.{name}' of a range KPI must be [min, max]")
                return None
            low, high = (r.number(v, f"thresholds.{name}") for v in value.items)
            if low is None or high is None:
                return None
            if low > high:
                r.fail(value, f"'thresholds.{name}' has min above max")
                return None
            bands[name] = (low, high)
        else:
            number = r.number(value, f"thresholds.{name}")
            if number is None:
                return None
            bands[name] = number
    green, amber = bands["green"], bands["amber"]
    if direction == "up" and green < amber:
        r.fail(node, "for an 'up' KPI the green threshold must be at or above the amber one")
        return None
    if direction == "down" and green > amber:
        r.fail(node, "for a 'down' KPI the green threshold must be at or below the amber one")
        return None
    if direction == "range" and not (amber[0] <= green[0] and green[1] <= amber[1]):
        r.fail(node, "for a 'range' KPI the green band must lie inside the amber band")
        return None
    return Thresholds(green, amber)
