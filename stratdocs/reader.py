"""Typed reading of YAML nodes, shared by the content schema and `stratdocs.yml`.

A `Reader` turns one node into a typed value (text, choice, date, number, list, mapping…) or,
when the node has the wrong type, records a located error finding and returns None, so that
one bad value never hides the next. Front matter and config differ in two small ways, kept
explicit: `ConfigReader` reads `null` as "not text" and matches choices exactly as written.
"""

from __future__ import annotations

import typing

import math
from datetime import date

from stratdocs.findings import Finding, error
from stratdocs.model import Period, Point, Ref
from stratdocs.periods import make_period, parse_date, parse_span
from stratdocs.suggest import did_you_mean
from stratdocs.yamlnodes import Mapping, Node, Scalar, Sequence


class Reader:
    """Typed access to the nodes of one file, recording findings as it goes.

    :param file: the project-relative path every finding names.
    :param findings: the list the findings are appended to (shared with the caller).
    :param code: the finding code of type errors (``schema`` for content, ``config``).
    :param statuses: the plan's own status words (`statuses:` in stratdocs.yml), folded word ->
        the word stratdocs knows.
    """

    def __init__(self, file: str, findings: list[Finding], code: str = "schema",
                 statuses: "typing.Mapping[str, str] | None" = None):
        self.file = file
        self.findings = findings
        self.code = code
        self.statuses = statuses or {}

    def fail(self, node: Node, message: str) -> None:
        """Record an error at the node's line and column."""
        self.findings.append(error(self.file, node.line, node.col, self.code, message))

    def text(self, node: Node, key: str) -> str | None:
        """A scalar as written ('' for an empty value); None (and a finding) for a list or mapping."""
        if isinstance(node, Scalar):
            if node.value is None and not node.quoted:
                return ""
            return node.text if not node.quoted else str(node.value)
        self.fail(node, f"'{key}' must be text, not a {'list' if isinstance(node, Sequence) else 'mapping'}")
        return None

    def choice(self, node: Node, key: str, allowed) -> str | None:
        """One of `allowed` (a sequence, or a dict of accepted words to values), case-insensitive."""
        value = self.text(node, key)
        if value is None:
            return None
        folded = value.strip().lower()
        if folded in allowed:
            return allowed[folded] if isinstance(allowed, dict) else folded
        options = list(allowed)
        self.fail(node, f"'{key}' is '{value}'; use one of: {', '.join(options)}{did_you_mean(folded, options)}")
        return None

    def flag(self, node: Node, message: str) -> bool | None:
        """`true` or `false`; otherwise None and `message` as the finding."""
        if isinstance(node, Scalar) and isinstance(node.value, bool):
            return node.value
        self.fail(node, message)
        return None

    def date(self, node: Node, key: str) -> date | None:
        """A date written as YYYY-MM-DD."""
        if not isinstance(node, Scalar) or node.value is None:
            self.fail(node, f"'{key}' must be a date written as YYYY-MM-DD")
            return None
        try:
            return parse_date(node.text.strip())
        except ValueError as exc:
            self.fail(node, f"'{key}': {exc}")
            return None

    def number(self, node: Node, key: str) -> float | None:
        """A finite int or float written unquoted (not a boolean)."""
        if is_number(node):
            try:
                value = float(node.value)
            except OverflowError:  # an int too large for a float (hundreds of digits)
                value = math.inf
            if math.isfinite(value):
                return value
            self.fail(node, f"'{key}' is too large a number; write it with fewer digits")
            return None
        shown = node.text[:40] if isinstance(node, Scalar) else "a list or mapping"
        self.fail(node, f"'{key}' must be a number, not '{shown}'")
        return None

    def strings(self, node: Node, key: str) -> tuple[str, ...]:
        """A list of texts (or one text), empty ones dropped."""
        if isinstance(node, Scalar) and node.value is None:
            return ()
        items = node.items if isinstance(node, Sequence) else (node,)
        return tuple(value for value in (self.text(item, key) for item in items) if value)

    def refs(self, node: Node, key: str) -> list[Ref]:
        """A list of ids (or one id) as references of kind `key`, each with its position."""
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
        """The values of a mapping under the known `keys`; unknown keys are findings."""
        if not isinstance(node, Mapping):
            self.fail(node, f"'{key}' must be a mapping with {', '.join(keys)}")
            return None
        for name, (knode, _) in node.items.items():
            if name not in keys:
                self.fail(knode, f"unknown key '{name}' in '{key}'; use {', '.join(keys)}{did_you_mean(name, keys)}")
        return {name: value for name, (_, value) in node.items.items() if name in keys}

    def point(self, node: Node, key: str, *, note: bool = False) -> Point | None:
        """A dated value ``{date, value}`` (and ``note`` when `note` is true)."""
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
        """A span (``2026``, ``2026-Q4``…) or ``{start, end}`` of spans."""
        try:
            if isinstance(node, Scalar) and node.value is not None:
                return parse_span(node.text)
            fields = self.mapping(node, key, ("start", "end"))
            if fields is None:
                return None
            if "start" not in fields or "end" not in fields:
                self.fail(node, f"'{key}' needs start and end")
                return None
            start = self._span_end(fields["start"], f"{key}.start")
            end = self._span_end(fields["end"], f"{key}.end") if start is not None else None
            if end is None:
                return None
            return make_period(start, end)
        except ValueError as exc:
            self.fail(node, f"'{key}': {exc}")
            return None

    def _span_end(self, part: Node, key: str) -> Period | None:
        if not isinstance(part, Scalar) or part.value is None:
            self.fail(part, f"'{key}' must be a year or a date")
            return None
        try:
            return parse_span(part.text)
        except ValueError as exc:
            self.fail(part, f"'{key}': {exc}")
            return None


class ConfigReader(Reader):
    """The reader of `stratdocs.yml`: an empty value is not text, and choices match as written."""

    def text(self, node: Node, key: str) -> str | None:
        if isinstance(node, Scalar) and node.value is not None:
            return node.text
        self.fail(node, f"'{key}' must be text")
        return None

    def choice(self, node: Node, key: str, allowed) -> str | None:
        value = self.text(node, key)
        if value is None:
            return None
        if value.lower() in allowed:
            return value.lower()
        self.fail(node, f"'{key}' is '{value}'; use one of: {', '.join(allowed)}{did_you_mean(value, allowed)}")
        return None


def is_number(node: Node) -> bool:
    """Whether a node is an unquoted int or float (booleans are not numbers)."""
    return isinstance(node, Scalar) and not node.quoted and isinstance(node.value, (int, float)) \
        and not isinstance(node.value, bool)
