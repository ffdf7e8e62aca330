"""`stratdocs export`: the model, health and matrices for spreadsheets and BI tools (SPEC §8).

The JSON form is a contract other tools build on:
`{"as_of", "entities": [{"id", "kind", "title", "file", "line", "owner", "status", "health",
"traces_to", ...}], "matrices", "findings"}`.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from stratdocs import matrices as matrices_mod
from stratdocs.project import Project


def entity_records(project: Project) -> list[dict]:
    records = []
    index = project.index
    for entity in project.plan:
        record = {
            "id": entity.id, "kind": entity.kind, "title": entity.title, "file": entity.file,
            "line": entity.line, "owner": entity.owner, "status": entity.status,
            "health": project.health_of(entity), "traces_to": list(index.traces_to.get(entity.id, ())),
            "summary": entity.summary, "tags": list(entity.tags),
            "review_by": entity.review_by.isoformat() if entity.review_by else None,
            "container": entity.container,
            "links": {key: list(entity.ref_ids(key)) for key in ("supports", "parent", "measures", "drives",
                                                                 "about", "kpis") if entity.ref_ids(key)},
        }
        for key, value in entity.attrs.items():
            record[key] = _plain(value)
        if entity.waive:
            record["waive"] = dict(entity.waive)
        if entity.kpi is not None:
            record.update(_kpi_record(project, entity))
        records.append(record)
    return records


def _kpi_record(project: Project, entity) -> dict:
    kpi = entity.kpi
    health = project.kpi_health[entity.id]
    return {
        "level": kpi.level, "unit": kpi.unit, "direction": kpi.direction, "frequency": kpi.frequency,
        "baseline": _point(kpi.baseline), "targets": [_point(t) for t in kpi.targets],
        "thresholds": {"green": _plain(kpi.thresholds.green), "amber": _plain(kpi.thresholds.amber)}
        if kpi.thresholds else None,
        "actuals": [_point(p) for p in kpi.actuals],
        "latest": _point(health.latest), "target_in_force": _point(health.target),
        "expected": health.expected, "progress": health.progress, "stale": health.stale,
        "health_reason": health.reason,
    }


def _point(point) -> dict | None:
    if point is None:
        return None
    out = {"date": point.date.isoformat(), "value": point.value}
    if point.note:
        out["note"] = point.note
    return out


def _plain(value):
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if isinstance(value, tuple):
        return [_plain(v) for v in value]
    if hasattr(value, "start") and hasattr(value, "label"):
        return {"start": value.start.isoformat(), "end": value.end.isoformat(), "label": value.label}
    return value


def to_dict(project: Project) -> dict:
    built = matrices_mod.build_all(project.index, project.config.matrices)
    return {
        "as_of": project.as_of.isoformat(),
        "title": project.config.title,
        "entities": entity_records(project),
        "matrices": {name: m.as_dict() for name, m in built.items()},
        "findings": [f.as_dict() for f in project.findings],
        "waivers": [{"entity": w.entity.id, "code": w.code, "reason": w.reason} for w in project.waivers],
    }


def to_json(project: Project) -> str:
    return json.dumps(to_dict(project), indent=2, ensure_ascii=False) + "\n"


CSV_COLUMNS = ("id", "kind", "title", "file", "line", "owner", "status", "health", "traces_to", "container")


def to_csv(project: Project) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for record in entity_records(project):
        writer.writerow([";".join(record[c]) if c == "traces_to" else
                         ("" if record[c] is None else record[c]) for c in CSV_COLUMNS])
    return out.getvalue()


def write_xlsx(project: Project, path: Path) -> None:
    """A workbook: Entities, KPIs (latest, target, health), one sheet per matrix, Findings."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    sheet = book.active
    sheet.title = "Entities"
    records = entity_records(project)
    sheet.append(CSV_COLUMNS)
    for record in records:
        sheet.append([";".join(record[c]) if c == "traces_to" else record[c] for c in CSV_COLUMNS])
    kpis = book.create_sheet("KPIs")
    kpis.append(("id", "title", "level", "unit", "latest date", "latest", "target", "target date", "health", "stale"))
    for record in records:
        if record["kind"] == "kpi":
            latest, target = record["latest"] or {}, record["target_in_force"] or {}
            kpis.append((record["id"], record["title"], record["level"], record["unit"], latest.get("date"),
                         latest.get("value"), target.get("value"), target.get("date"), record["health"],
                         record["stale"]))
    for name, matrix in matrices_mod.build_all(project.index, project.config.matrices).items():
        ws = book.create_sheet(name[:31])
        for row in csv.reader(io.StringIO(matrix.to_csv())):
            ws.append(row)
    findings = book.create_sheet("Findings")
    findings.append(("file", "line", "col", "severity", "code", "message"))
    for f in project.findings:
        findings.append((f.file, f.line, f.col, f.severity.value, f.code, f.message))
    for ws in book.worksheets:
        for cell in ws[1]:
            cell.font = Font(bold=True)
    book.properties.creator = "stratdocs"
    book.save(path)
