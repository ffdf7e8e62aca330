"""`stratdocs export`: the JSON contract of SPEC §8, traceability, CSV and XLSX."""

from __future__ import annotations

import csv
import io
import json

import pytest

from stratdocs import project as project_mod

ENTITY_KEYS = {"id", "kind", "title", "file", "line", "owner", "status", "health", "traces_to"}


@pytest.fixture
def exported(plan_project) -> dict:
    return plan_project.export()


def by_id(data: dict) -> dict[str, dict]:
    return {e["id"]: e for e in data["entities"]}


def test_json_contract_keys(exported):
    assert {"as_of", "entities", "matrices", "findings"} <= set(exported)
    assert exported["as_of"] == "2026-11-15"
    assert exported["findings"] == []
    for entity in exported["entities"]:
        assert ENTITY_KEYS <= set(entity), entity["id"]
        assert isinstance(entity["traces_to"], list)
        assert isinstance(entity["line"], int)


def test_every_entity_is_exported_with_its_kind_and_place(exported):
    entities = by_id(exported)
    assert {i: (e["kind"], e["file"], e["line"]) for i, e in entities.items()} == {
        "plan": ("plan", "content/plan.md", 1),
        "SO1": ("objective", "content/objectives/SO1.md", 1),
        "I1": ("initiative", "content/initiatives/I1.md", 1),
        "ops": ("operation", "content/operations/ops.md", 1),
        "OO1": ("operational-objective", "content/operations/ops.md", 8),
        "T1": ("task", "content/operations/ops.md", 13),
        "K-REV": ("kpi", "content/kpis/K-REV.md", 1),
        "K-OPS": ("kpi", "content/kpis/K-OPS.md", 1),
        "R1": ("review", "content/reviews/R1.md", 1),
        "about": ("page", "content/pages/about.md", 1),
    }
    assert (entities["T1"]["title"], entities["T1"]["owner"], entities["T1"]["status"]) == \
        ("Publish the partner terms", "Alice", "doing")
    assert entities["T1"]["container"] == "ops"


def test_health_is_exported_for_kpis_objectives_and_initiatives_only(exported):
    health = {i: e["health"] for i, e in by_id(exported).items()}
    assert health["K-REV"] == "green" and health["K-OPS"] == "green" and health["SO1"] == "green"
    assert health["I1"] == "no-data"  # delivery health: it has no milestones, progress or spend
    assert health["T1"] is None


def test_task_traces_to_the_strategic_objective_through_the_chain(plan_project, exported):
    entities = by_id(exported)
    assert entities["T1"]["traces_to"] == ["SO1"]
    assert entities["OO1"]["traces_to"] == ["SO1"]
    assert entities["ops"]["traces_to"] == ["SO1"]
    assert entities["K-OPS"]["traces_to"] == ["SO1"]   # drives K-REV, which measures SO1
    assert entities["SO1"]["traces_to"] == []
    assert entities["R1"]["traces_to"] == []           # a review is about items, it does not serve them

    index = project_mod.load(plan_project.root).index
    assert ("OO1", "I1", "SO1") in index.chains["T1"]


def test_traces_to_breaks_when_the_chain_breaks(plan_project):
    # The operational objective no longer inherits the operation's link to I1.
    plan_project.edit("content/operations/ops.md", "    kpis: [K-OPS]", "    kpis: [K-OPS]\n    supports: []")
    entities = by_id(plan_project.export())
    assert entities["OO1"]["traces_to"] == [] and entities["T1"]["traces_to"] == []
    assert entities["ops"]["traces_to"] == ["SO1"]


def test_traces_to_lists_every_objective_in_plan_order(plan_project):
    plan_project.write("content/objectives/SO0.md", "---\ntitle: Zero\nowner: CEO\n---\n")
    plan_project.edit("content/initiatives/I1.md", "supports: [SO1]", "supports: [SO1, SO0]")
    assert by_id(plan_project.export())["T1"]["traces_to"] == ["SO0", "SO1"]


def test_matrices(exported):
    matrices = exported["matrices"]
    assert set(matrices) == {"objectives-operations", "objectives-kpis", "kpi-linkage"}
    ops = matrices["objectives-operations"]
    assert ops["rows"] == ["SO1"] and ops["columns"] == ["ops"]
    assert ops["cells"] == [{"row": "SO1", "column": "ops", "direct": False, "via": "I1"}]
    kpis = matrices["objectives-kpis"]
    assert {(c["row"], c["column"], c["direct"]) for c in kpis["cells"]} == {("SO1", "K-REV", True),
                                                                           ("SO1", "K-OPS", False)}
    linkage = matrices["kpi-linkage"]
    assert linkage["rows"] == ["K-REV"] and linkage["columns"] == ["K-OPS"]
    assert linkage["cells"] == [{"row": "K-REV", "column": "K-OPS", "direct": True, "via": None}]


def test_findings_are_exported(plan_project):
    plan_project.edit("content/objectives/SO1.md", "owner: CEO\n", "")
    findings = plan_project.export()["findings"]
    assert [(f["file"], f["line"], f["col"], f["severity"], f["code"]) for f in findings] == \
        [("content/objectives/SO1.md", 1, 1, "warning", "no-owner")]


def test_kpi_details_are_exported(exported):
    kpi = by_id(exported)["K-REV"]
    assert kpi["level"] == "strategic" and kpi["direction"] == "up"
    assert kpi["baseline"] == {"date": "2025-12-31", "value": 10.0}
    assert kpi["targets"] == [{"date": "2026-12-31", "value": 20.0}]
    assert kpi["latest"] == {"date": "2026-10-31", "value": 19.0}
    assert kpi["stale"] is False
    assert kpi["links"] == {"measures": ["SO1"]}


def test_export_to_a_file(plan_project, tmp_path):
    target = tmp_path / "out.json"
    result = plan_project.run("export", "--format", "json", "-o", str(target))
    assert result.exit_code == 0
    assert result.stdout == ""
    assert json.loads(target.read_text(encoding="utf-8"))["as_of"] == "2026-11-15"


def test_export_is_deterministic(plan_project):
    first = plan_project.run("export", "--format", "json").stdout
    assert first == plan_project.run("export", "--format", "json").stdout


def test_export_of_a_broken_plan_still_works(plan_project):
    plan_project.edit("content/kpis/K-OPS.md", "drives: [K-REV]", "drives: [SO1]")
    result = plan_project.run("export", "--format", "json")
    assert result.exit_code == 1 and "the plan has 1 error" in result.stderr
    data = plan_project.export()
    assert {(f["code"], f["severity"]) for f in data["findings"]} == {("wrong-kind", "error"),
                                                                      ("kpi-unlinked", "warning")}
    assert by_id(data)["K-OPS"]["health"] == "green"


def test_csv(plan_project):
    result = plan_project.run("export", "--format", "csv")
    assert result.exit_code == 0
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert list(rows[0]) == ["id", "kind", "title", "file", "line", "owner", "status", "health", "traces_to",
                             "container"]
    task = next(r for r in rows if r["id"] == "T1")
    assert (task["kind"], task["line"], task["traces_to"], task["container"], task["health"]) == \
        ("task", "13", "SO1", "ops", "")
    assert next(r for r in rows if r["id"] == "K-REV")["health"] == "green"
    assert len(rows) == 10


def test_xlsx(plan_project, tmp_path):
    openpyxl = pytest.importorskip("openpyxl")
    target = tmp_path / "plan.xlsx"
    result = plan_project.run("export", "--format", "xlsx", "-o", str(target))
    assert result.exit_code == 0, result.stderr
    book = openpyxl.load_workbook(target)
    assert book.sheetnames[:2] == ["Entities", "KPIs"]
    assert {"objectives-operations", "objectives-kpis", "kpi-linkage", "Findings"} <= set(book.sheetnames)
    entities = list(book["Entities"].iter_rows(values_only=True))
    assert entities[0][:3] == ("id", "kind", "title")
    task = next(r for r in entities if r[0] == "T1")
    assert task[8] == "SO1"
    kpis = {r[0]: r for r in book["KPIs"].iter_rows(min_row=2, values_only=True)}
    assert set(kpis) == {"K-REV", "K-OPS"}
    assert kpis["K-REV"][8] == "green"
    matrix = list(book["objectives-operations"].iter_rows(values_only=True))
    assert matrix[1][:3] == ("SO1", "Grow revenue", "via I1")


def test_xlsx_needs_an_output_file(plan_project):
    result = plan_project.run("export", "--format", "xlsx")
    assert result.exit_code == 2
    assert "-o" in result.stderr
