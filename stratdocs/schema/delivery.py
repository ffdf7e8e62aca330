"""An initiative's delivery keys: `milestones`, `progress`, `budget` and `spend` (inline, or a
CSV under content/data read by the same reader as KPI actuals)."""

from __future__ import annotations

from pathlib import Path

from stratdocs import csvdata
from stratdocs.delivery import MILESTONE_STATUSES, Budget, Delivery, Milestone
from stratdocs.model import Point
from stratdocs.reader import Reader, is_number
from stratdocs.schema.keys import ID_RE
from stratdocs.yamlnodes import Mapping, Node, Scalar, Sequence

MILESTONE_KEYS = ("id", "title", "due", "done", "status")
BUDGET_KEYS = ("amount", "currency", "phasing")
SPEND_KEYS = ("date", "amount", "note")


def delivery(r: Reader, items: dict, root: Path, content_dir: str,
             form: csvdata.CsvFormat = csvdata.DEFAULT_FORMAT) -> Delivery | None:
    """The `Delivery` of an initiative's front-matter `items`, or None when it sets none of its keys.

    :param root: the project folder and `content_dir` its content folder, for a ``spend:`` CSV.
    """
    if not any(key in items for key in ("milestones", "progress", "budget", "spend")):
        return None
    values: dict = {}
    if "milestones" in items:
        values["milestones"] = _milestones(r, items["milestones"][1])
    if "progress" in items:
        values["progress"] = _progress(r, items["progress"][1])
    if "budget" in items:
        currency = r.text(items["currency"][1], "currency") or "" if "currency" in items else ""
        values["budget"] = _budget(r, items["budget"][1], currency)
    if "spend" in items:
        node = items["spend"][1]
        if isinstance(node, Scalar) and isinstance(node.value, str):
            values["spend"], values["spend_data"] = _spend_csv(r, node, root, content_dir, form)
        else:
            values["spend"] = _spend(r, node)
    return Delivery(**values)


def _milestones(r: Reader, node: Node) -> tuple[Milestone, ...]:
    if isinstance(node, Scalar) and node.value is None:
        return ()
    if not isinstance(node, Sequence):
        r.fail(node, "'milestones' must be a list of {id, title, due, done, status}")
        return ()
    out: list[Milestone] = []
    seen: dict[str, int] = {}
    for item in node.items:
        milestone = _milestone(r, item)
        if milestone is None:
            continue
        folded = milestone.id.lower()
        if folded in seen:
            r.fail(item.items["id"][1], f"a second milestone '{milestone.id}' in this initiative (first on line "
                                        f"{seen[folded]}); milestone ids are unique within their initiative")
            continue
        seen[folded] = milestone.line
        out.append(milestone)
    return tuple(out)


def _milestone(r: Reader, item: Node) -> Milestone | None:
    fields = r.mapping(item, "milestones", MILESTONE_KEYS)
    if fields is None:
        return None
    if "id" not in fields or "title" not in fields:
        missing = " and ".join(k for k in ("id", "title") if k not in fields)
        r.fail(item, f"a milestone needs {missing}")
        return None
    mid = (r.text(fields["id"], "milestones.id") or "").strip()
    if not ID_RE.match(mid):
        r.fail(fields["id"], f"milestone id '{mid}' is not valid: use letters, digits, '.', '_' and '-', "
                             "starting with a letter or digit")
        return None
    title = (r.text(fields["title"], "milestones.title") or "").strip() or mid
    due = r.date(fields["due"], "milestones.due") if "due" in fields else None
    done = r.date(fields["done"], "milestones.done") if "done" in fields else None
    status = ("done" if done else "todo")
    if "status" in fields:
        status = r.choice(fields["status"], "milestones.status", MILESTONE_STATUSES) or status
        if done is not None and status != "done":
            r.fail(fields["status"], f"milestone '{mid}' has a done date but status '{status}'; "
                                     "drop 'done' or set 'status: done'")
    return Milestone(mid, title, due, done, status, item.line, item.col)


def _progress(r: Reader, node: Node) -> float | None:
    """A share (0.4) or a percentage written as text ("40%")."""
    if isinstance(node, Scalar) and isinstance(node.value, str) and node.text.strip().endswith("%"):
        try:
            share = float(node.text.strip()[:-1]) / 100
        except ValueError:
            share = None
    elif is_number(node):
        share = float(node.value)
    else:
        share = None
    if share is None or not 0 <= share <= 1:
        shown = node.text[:40] if isinstance(node, Scalar) else "a list or mapping"
        r.fail(node, f"'progress' must be a share from 0 to 1 (0.4) or a percentage (40%), not '{shown}'")
        return None
    return share


def _budget(r: Reader, node: Node, currency: str) -> Budget | None:
    """A number (with `currency` beside it) or ``{amount, currency, phasing}``."""
    if not isinstance(node, Mapping):
        amount = r.number(node, "budget")
        return Budget(amount, currency.strip()) if _positive(r, node, amount, "budget") else None
    fields = r.mapping(node, "budget", BUDGET_KEYS)
    if "amount" not in fields:
        r.fail(node, "'budget' needs an amount, like {amount: 250000, currency: EUR}")
        return None
    amount = r.number(fields["amount"], "budget.amount")
    if not _positive(r, fields["amount"], amount, "budget.amount"):
        return None
    if "currency" in fields:
        currency = r.text(fields["currency"], "budget.currency") or currency
    phasing: tuple[Point, ...] = ()
    if "phasing" in fields:
        phasing = _phasing(r, fields["phasing"], amount)
    return Budget(amount, currency.strip(), phasing)


def _positive(r: Reader, node: Node, amount: float | None, key: str) -> bool:
    if amount is None:
        return False
    if amount < 0:
        r.fail(node, f"'{key}' must not be negative")
        return False
    return True


def _phasing(r: Reader, node: Node, amount: float) -> tuple[Point, ...]:
    """Cumulative planned spend by date, rising and never above the budget."""
    if not isinstance(node, Sequence):
        r.fail(node, "'budget.phasing' must be a list of {date, value}: cumulative planned spend")
        return ()
    points = sorted((p for p in (r.point(n, "budget.phasing") for n in node.items) if p), key=lambda p: p.date)
    for before, after in zip(points, points[1:]):
        if after.date == before.date or after.value < before.value:
            r.fail(Scalar(after.line, 1, None, "", False), "'budget.phasing' is cumulative: each date once, "
                                                           "each value at least the one before")
            return ()
    if points and points[-1].value > amount:
        r.fail(Scalar(points[-1].line, 1, None, "", False), "'budget.phasing' goes above the budget's amount")
        return ()
    return tuple(points)


def _spend(r: Reader, node: Node) -> tuple[Point, ...]:
    if isinstance(node, Scalar) and node.value is None:
        return ()
    if not isinstance(node, Sequence):
        r.fail(node, "'spend' must be a list of {date, amount, note} or a CSV file under content/data")
        return ()
    points: list[Point] = []
    seen: dict = {}
    for item in node.items:
        fields = r.mapping(item, "spend", SPEND_KEYS)
        if fields is None:
            continue
        if "date" not in fields or "amount" not in fields:
            r.fail(item, f"'spend' needs {' and '.join(k for k in ('date', 'amount') if k not in fields)}")
            continue
        day = r.date(fields["date"], "spend.date")
        amount = r.number(fields["amount"], "spend.amount")
        note = (r.text(fields["note"], "spend.note") or "") if "note" in fields else ""
        if day is None or amount is None:
            continue
        if day in seen:
            r.fail(fields["date"], f"a second spend for {day} (first on line {seen[day]}); add them up into one")
            continue
        seen[day] = item.line
        points.append(Point(day, amount, note, item.line, r.file))
    return tuple(sorted(points, key=lambda p: p.date))


def _spend_csv(r: Reader, node: Scalar, root: Path, content_dir: str,
               form: csvdata.CsvFormat) -> tuple[tuple[Point, ...], str]:
    rel = csvdata.data_path(content_dir, node.text)
    if rel is None or not rel.lower().endswith(".csv"):
        r.fail(node, f"'spend' must be a CSV path under {content_dir}/data, like spend-i2.csv, or a list")
        return (), ""
    points, found = csvdata.read_actuals(root, rel, r.file, node.line, node.col, form, column="amount")
    r.findings.extend(found)
    return points, rel
