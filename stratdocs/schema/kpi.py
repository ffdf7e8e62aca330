"""A KPI's own keys: level, direction, baseline and targets, thresholds, and its actuals
written inline or read from a CSV file."""

from __future__ import annotations

from pathlib import Path

from stratdocs import csvdata
from stratdocs.model import Kpi, Thresholds
from stratdocs.reader import Reader
from stratdocs.schema.keys import DIRECTIONS, FREQUENCIES, LEVELS
from stratdocs.yamlnodes import Node, Scalar, Sequence


def kpi(r: Reader, items: dict, root: Path, content_dir: str, form: csvdata.CsvFormat = csvdata.DEFAULT_FORMAT) -> Kpi:
    """The `Kpi` of a KPI file's front-matter `items`.

    :param root: the project folder and `content_dir` its content folder, for ``data:`` CSVs,
        which are written in `form`.
    """
    values: dict = {}
    for key, allowed, default in (("level", LEVELS, "operational"), ("direction", DIRECTIONS, "up"),
                                  ("frequency", FREQUENCIES, "monthly")):
        if key in items:
            values[key] = r.choice(items[key][1], key, allowed) or default
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
        values["targets"] = _targets(r, items["target"][1])
    if "thresholds" in items:
        values["thresholds"] = _thresholds(r, items["thresholds"][1], values.get("direction", "up"))
    if "actuals" in items and "data" in items:
        r.fail(items["data"][1], "use either 'actuals' or 'data', not both")
    if "actuals" in items:
        _actuals(r, items["actuals"][1], values)
    elif "data" in items:
        _data(r, items["data"][1], values, root, content_dir, form)
    return Kpi(**values)


def _targets(r: Reader, node: Node) -> tuple:
    nodes = node.items if isinstance(node, Sequence) else (node,)
    targets = [p for p in (r.point(n, "target") for n in nodes) if p]
    dates = [t.date for t in targets]
    if len(set(dates)) != len(dates):
        r.fail(node, "two target milestones share a date; keep one per date")
    return tuple(sorted(targets, key=lambda p: p.date))


def _actuals(r: Reader, node: Node, values: dict) -> None:
    if isinstance(node, Scalar) and node.value is None:
        return
    if not isinstance(node, Sequence):
        r.fail(node, "'actuals' must be a list of {date, value, note}")
        return
    points = [p for p in (r.point(n, "actuals", note=True) for n in node.items) if p]
    seen: dict = {}
    for p in points:
        if p.date in seen:
            r.fail(Scalar(p.line, 1, None, "", False),
                   f"a second actual for {p.date} (first on line {seen[p.date]}); keep one")
        seen.setdefault(p.date, p.line)
    values["actuals"] = tuple(sorted(points, key=lambda p: p.date))


def _data(r: Reader, node: Node, values: dict, root: Path, content_dir: str, form: csvdata.CsvFormat) -> None:
    data = r.text(node, "data")
    if not data:
        return
    rel = csvdata.data_path(content_dir, data)
    if rel is None:
        r.fail(node, f"'data' must be a CSV path under {content_dir}/data, like kpi-nps.csv")
        return
    points, found = csvdata.read_actuals(root, rel, r.file, node.line, node.col, form)
    r.findings.extend(found)
    values["actuals"] = points
    values["data"] = rel


def _thresholds(r: Reader, node: Node, direction: str) -> Thresholds | None:
    fields = r.mapping(node, "thresholds", ("green", "amber"))
    if fields is None:
        return None
    if set(fields) != {"green", "amber"}:
        r.fail(node, "'thresholds' needs both green and amber")
        return None
    bands = {}
    for name, value in fields.items():
        band = _band(r, value, name) if direction == "range" else r.number(value, f"thresholds.{name}")
        if band is None:
            return None
        bands[name] = band
    green, amber = bands["green"], bands["amber"]
    problem = _misordered(direction, green, amber)
    if problem:
        r.fail(node, problem)
        return None
    return Thresholds(green, amber)


def _band(r: Reader, value: Node, name: str) -> tuple[float, float] | None:
    """A range KPI's ``[min, max]`` threshold band."""
    if not isinstance(value, Sequence) or len(value.items) != 2:
        r.fail(value, f"'thresholds.{name}' of a range KPI must be [min, max]")
        return None
    low, high = (r.number(v, f"thresholds.{name}") for v in value.items)
    if low is None or high is None:
        return None
    if low > high:
        r.fail(value, f"'thresholds.{name}' has min above max")
        return None
    return low, high


def _misordered(direction: str, green, amber) -> str | None:
    if direction == "up" and green < amber:
        return "for an 'up' KPI the green threshold must be at or above the amber one"
    if direction == "down" and green > amber:
        return "for a 'down' KPI the green threshold must be at or below the amber one"
    if direction == "range" and not (amber[0] <= green[0] and green[1] <= amber[1]):
        return "for a 'range' KPI the green band must lie inside the amber band"
    return None
