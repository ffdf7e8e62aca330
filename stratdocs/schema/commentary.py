"""`commentary:` on KPIs and objectives: per-period analysis and recommendation, newest first.

Each entry is a mapping with `period` (2026-10, 2026-Q3, …) or `date` (YYYY-MM-DD), `author`,
`analysis` and optionally `recommendation`. A bad entry is reported where it is written and left out.
"""

from __future__ import annotations

from stratdocs.model import Comment
from stratdocs.periods import parse_span
from stratdocs.reader import Reader
from stratdocs.yamlnodes import Mapping, Node, Scalar, Sequence

COMMENT_KEYS = ("period", "date", "author", "analysis", "recommendation")
REQUIRED = ("author", "analysis")


def commentary(r: Reader, node: Node) -> tuple[Comment, ...]:
    """The entries of a `commentary:` list, newest first (by the day each speaks for)."""
    if isinstance(node, Scalar) and node.value is None:
        return ()
    if not isinstance(node, Sequence):
        r.fail(node, "'commentary' must be a list of entries, each with period (or date), author and analysis")
        return ()
    entries = [c for c in (_entry(r, item) for item in node.items) if c is not None]
    return tuple(sorted(entries, key=lambda c: (c.date, c.line), reverse=True))


def _entry(r: Reader, item: Node) -> Comment | None:
    fields = r.mapping(item, "commentary", COMMENT_KEYS) if isinstance(item, Mapping) else None
    if fields is None:
        if not isinstance(item, Mapping):
            r.fail(item, "each entry of 'commentary' must be a mapping with period (or date), author and analysis")
        return None
    ok = True
    if ("period" in fields) == ("date" in fields):
        r.fail(item, "a commentary entry needs either 'period' (like 2026-10 or 2026-Q3) or 'date' (YYYY-MM-DD), not "
                     + ("both" if "period" in fields else "neither"))
        ok = False
    for key in REQUIRED:
        if key not in fields:
            r.fail(item, f"a commentary entry needs '{key}'")
            ok = False
    texts = {key: (r.text(fields[key], f"commentary.{key}") or "").strip() if key in fields else ""
             for key in ("author", "analysis", "recommendation")}
    for key in REQUIRED:
        if key in fields and not texts[key]:
            r.fail(fields[key], f"'commentary.{key}' is empty; write it or remove the entry")
            ok = False
    day, label = None, ""
    if "date" in fields:
        day = r.date(fields["date"], "commentary.date")
    elif "period" in fields:
        day, label = _period_end(r, fields["period"])
    if not ok or day is None:
        return None
    return Comment(day, label, texts["author"], texts["analysis"], texts["recommendation"], item.line)


def _period_end(r: Reader, node: Node):
    if not isinstance(node, Scalar) or node.value is None:
        r.fail(node, "'commentary.period' must be a period like 2026-10, 2026-Q3, 2026-W14 or 2026")
        return None, ""
    try:
        period = parse_span(node.text)
    except ValueError as exc:
        r.fail(node, f"'commentary.period': {exc}")
        return None, ""
    return period.end, period.label
