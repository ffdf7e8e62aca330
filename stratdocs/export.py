"""`stratdocs export`: the model, health and matrices for spreadsheets and BI tools (SPEC §8).

The JSON form is a contract other tools build on:
`{"as_of", "entities": [{"id", "kind", "title", "file", "line", "owner", "status", "health",
"traces_to", ...}], "matrices", "findings"}`, and `"owners"`: each owner with their page, items
and how many findings are about those items (`stratdocs.owners.summary`).
"""

from __future__ import annotations

import json
from datetime import date, datetime
from pathlib import Path

from stratdocs import delivery, execution, matrices as matrices_mod, owners as owners_mod
from stratdocs.model import Comment
from stratdocs.project import Project
from stratdocs.spreadsheet import append_row, csv_text


#: The reference keys listed under each record's "links".
LINK_KEYS = ("supports", "parent", "measures", "drives", "about", "kpis", "threatens", "mitigation")


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
            "links": {key: list(entity.ref_ids(key)) for key in LINK_KEYS if entity.ref_ids(key)},
        }
        for key, value in entity.attrs.items():
            if key != "delivery":
                record[key] = _plain(value)
        if entity.id in project.initiative_health:
            record.update(delivery.record(entity, project.initiative_health[entity.id]))
        if entity.waive:
            record["waive"] = dict(entity.waive)
        if entity.kpi is not None:
            record.update(_kpi_record(project, entity))
        trend = project.kpi_trend.get(entity.id) or project.objective_trend.get(entity.id)
        if trend is not None:
            record["trend"] = {"direction": trend.direction, "previous_health": trend.previous_health,
                               "previous_value": trend.previous_value, "change": trend.change,
                               "previous_date": trend.previous_date.isoformat() if trend.previous_date else None}
        if entity.kind == "risk":
            value = execution.score(entity)
            record.update(score=value, severity=execution.severity(value, project.config.risks.high))
        if entity.kind == "action":
            record["overdue"] = execution.is_overdue(entity, project.as_of)
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
    if isinstance(value, Comment):
        return {"date": value.date.isoformat(), "period": value.period, "author": value.author,
                "analysis": value.analysis, "recommendation": value.recommendation}
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if isinstance(value, tuple):
        return [_plain(v) for v in value]
    if hasattr(value, "start") and hasattr(value, "label"):
        return {"start": value.start.isoformat(), "end": value.end.isoformat(), "label": value.label}
    return value


def to_dict(project: Project) -> dict:
    built = matrices_mod.build_all(project.index, project.config.matrices, project.config.perspectives)
    return {
        "as_of": project.as_of.isoformat(),
        "title": project.config.title,
        "entities": entity_records(project),
        "matrices": {name: m.as_dict() for name, m in built.items()},
        "findings": [f.as_dict() for f in project.findings],
        "waivers": [{"entity": w.entity.id, "code": w.code, "reason": w.reason} for w in project.waivers],
        "owners": owners_mod.summary(_owners(project)),
    }


def _owners(project: Project) -> tuple[owners_mod.Owner, ...]:
    return owners_mod.collect(project.plan, project.findings, project.health_of)


def to_json(project: Project) -> str:
    return json.dumps(to_dict(project), indent=2, ensure_ascii=False) + "\n"


CSV_COLUMNS = ("id", "kind", "title", "file", "line", "owner", "status", "health", "traces_to", "container")


def _entity_row(record: dict) -> list:
    return [";".join(record[c]) if c == "traces_to" else record[c] for c in CSV_COLUMNS]


def to_csv(project: Project) -> str:
    """One row per item: its id, kind, title, source, owner, status, health and the strategic
    objectives it traces to. (Matrices and findings are in the JSON and XLSX exports.)"""
    rows = [list(CSV_COLUMNS)]
    rows += [["" if v is None else v for v in _entity_row(r)] for r in entity_records(project)]
    return csv_text(rows)


def _date(text):
    return date.fromisoformat(text) if isinstance(text, str) else text


def _sheets(project: Project) -> list[tuple[str, tuple, list]]:
    """(sheet name, header, rows) of every sheet of the workbook, with real dates and numbers."""
    records = entity_records(project)
    kpi_rows = []
    for record in records:
        if record["kind"] == "kpi":
            latest, target = record["latest"] or {}, record["target_in_force"] or {}
            kpi_rows.append((record["id"], record["title"], record["level"], record["unit"],
                             _date(latest.get("date")), latest.get("value"), target.get("value"),
                             _date(target.get("date")), record["health"], record["stale"]))
    sheets = [
        ("Entities", CSV_COLUMNS, [_entity_row(r) for r in records]),
        ("KPIs", ("id", "title", "level", "unit", "latest date", "latest", "target", "target date", "health",
                  "stale"), kpi_rows),
    ]
    initiatives = [r for r in records if r["kind"] == "initiative"]
    if initiatives:
        sheets.append(("Initiatives", INITIATIVE_COLUMNS, [_initiative_row(r) for r in initiatives]))
    sheets += _execution_sheets(records)
    for name, matrix in matrices_mod.build_all(project.index, project.config.matrices, project.config.perspectives).items():
        table = matrix.table()
        sheets.append((name[:31], tuple(table[0]), table[1:]))
    sheets.append(("Findings", ("file", "line", "col", "severity", "code", "message"),
                   [(f.file, f.line, f.col, f.severity.value, f.code, f.message) for f in project.findings]))
    sheets.append(("Waivers", ("entity", "kind", "code", "reason"),
                   [(w.entity.id, w.entity.kind, w.code, w.reason) for w in project.waivers]))
    sheets.append(("Owners", ("owner", "items", "needs", "errors", "warnings", "item ids"),
                   [(o["name"], len(o["items"]), o["needs"], o["errors"], o["warnings"], ";".join(o["items"]))
                    for o in owners_mod.summary(_owners(project))]))
    return sheets


INITIATIVE_COLUMNS = ("id", "title", "owner", "status", "health", "schedule", "budget health", "progress",
                      "elapsed", "budget", "currency", "spent", "planned to date", "milestones", "milestones done",
                      "milestones overdue")


def _initiative_row(record: dict) -> tuple:
    budget = record.get("budget") or {}
    milestones = record.get("milestones", [])
    return (record["id"], record["title"], record["owner"], record["status"], record["health"],
            record.get("schedule_health"), record.get("budget_health"), record.get("progress"), record.get("elapsed"),
            budget.get("amount"), budget.get("currency"), record.get("spent"), record.get("planned_to_date"),
            len(milestones), sum(1 for m in milestones if m["status"] == "done"),
            sum(1 for m in milestones if m["overdue"]))


def _execution_sheets(records: list[dict]) -> list[tuple[str, tuple, list]]:
    """The Risks sheet (highest score first) and the Actions sheet."""
    links = lambda r, key: ";".join(r["links"].get(key, ()))  # noqa: E731
    risks = sorted((r for r in records if r["kind"] == "risk"), key=lambda r: -(r["score"] or 0))
    actions = [r for r in records if r["kind"] == "action"]
    return [
        ("Risks", ("id", "title", "owner", "status", "likelihood", "impact", "score", "severity", "threatens",
                   "mitigated by", "mitigation", "review by"),
         [(r["id"], r["title"], r["owner"], r["status"], r.get("likelihood"), r.get("impact"), r["score"],
           r["severity"], links(r, "threatens"), links(r, "mitigation"), r.get("mitigation_text", ""),
           _date(r["review_by"])) for r in risks]),
        ("Actions", ("id", "title", "review", "owner", "due", "status", "overdue", "about"),
         [(r["id"], r["title"], r["container"], r["owner"], _date(r.get("due")), r["status"], r["overdue"],
           links(r, "about")) for r in actions]),
    ]


#: Excel's built-in short date (format 14, which openpyxl spells "mm-dd-yy"): the spreadsheet
#: shows it in its reader's own locale ("30.09.2026", "30/09/2026"), as it does the numbers,
#: which are plain numbers. Headers and values stay the JSON's field names and ids, in any
#: `language`, so BI tools' column references hold (docs/reference.md, "Exports and languages").
READER_DATE = "mm-dd-yy"


def write_xlsx(project: Project, path: Path) -> None:
    """A workbook: Entities, KPIs (latest, target, health), Initiatives (delivery), Risks, Actions,
    one sheet per matrix, Findings, Waivers and Owners; bold frozen header rows with filters, sized
    columns, real dates and numbers."""
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    book = Workbook()
    book.remove(book.active)
    for name, header, rows in _sheets(project):
        sheet = book.create_sheet(name)
        append_row(sheet, header)
        for row in rows:
            append_row(sheet, row)
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        sheet.freeze_panes = "A2"
        sheet.auto_filter.ref = sheet.dimensions
        for number, column in enumerate(sheet.iter_cols(values_only=True), start=1):
            width = max((len(str(v)) for v in column if v is not None), default=4)
            sheet.column_dimensions[get_column_letter(number)].width = min(60, max(6, width + 2))
        for row in sheet.iter_rows(min_row=2):
            for cell in row:
                if isinstance(cell.value, date):
                    cell.number_format = READER_DATE
    book.properties.creator = "stratdocs"
    # A fixed timestamp keeps the file reproducible (same input and as_of, same bytes).
    stamp = datetime.combine(project.as_of, datetime.min.time())
    book.properties.created = book.properties.modified = stamp
    book.save(path)
