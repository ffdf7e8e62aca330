"""Risks (`content/risks/`) and review actions (issue #14): located errors for every bad value,
references that resolve like any other, the Risks page with its heat map, the Open actions
page, both shown on the items they concern, the `risks` and `actions` PDF sections, export,
the JSON Schema and the risks × objectives matrix. Run through the real CLI on real content."""

from __future__ import annotations

import io
import json
import re
from datetime import date
from pathlib import Path

import openpyxl
import pytest
from pypdf import PdfReader

from stratdocs import execution, jsonschema as js, project as project_mod
from stratdocs.render.charts import heatmap

from conftest import PlanProject

RISK = """\
---
title: The key supplier fails
owner: CFO
likelihood: 4
impact: 5
threatens: [SO1, I1]
mitigation:
  by: [I1, T1]
  text: A second supplier under contract.
review_by: 2027-01-31
---

If the supplier fails, [[A1]] is our fallback.
"""
LOW_RISK = """\
---
title: Exchange rates move against us
owner: CFO
likelihood: 2
impact: 2
threatens: [SO1]
mitigation: Price contracts in EUR.
review_by: 2027-01-31
---
"""
ACTIONS = """\
actions:
  - id: A1
    title: Sign a second supplier
    owner: COO
    due: 2026-12-15
    status: doing
    about: [SO1, RK1]
  - id: A2
    title: Close the old contract
    owner: COO
    due: 2026-10-01
    status: done
    about: [I1]
"""


@pytest.fixture
def plan(plan_project: PlanProject) -> PlanProject:
    """The small valid plan with two risks and two actions (one done): still without findings."""
    plan_project.write("content/risks/RK1.md", RISK)
    plan_project.write("content/risks/RK2.md", LOW_RISK)
    plan_project.edit("content/reviews/R1.md", "  - Keep going\n", "  - Keep going\n" + ACTIONS)
    return plan_project


def build(plan: PlanProject, *args: str):
    result = plan.run("build", "--no-pdf", *args)
    assert result.exit_code == 0, result.stdout + result.stderr
    return plan.root / "site"


def page(site: Path, rel: str) -> str:
    return (site / rel).read_text(encoding="utf-8")


# --------------------------------------------------------------------------- content and check


def test_the_plan_with_risks_and_actions_checks_clean(plan):
    result = plan.check()
    assert result.exit_code == 0 and result.findings == [], result.findings
    loaded = project_mod.load(plan.root)
    rk1, a1 = loaded.plan.get("RK1"), loaded.plan.get("A1")
    assert (rk1.kind, execution.score(rk1), rk1.ref_ids("threatens"), rk1.ref_ids("mitigation")) == \
        ("risk", 20, ("SO1", "I1"), ("I1", "T1"))
    assert rk1.attrs["mitigation_text"] == "A second supplier under contract."
    assert (a1.kind, a1.container, a1.status, a1.ref_ids("about")) == ("action", "R1", "doing", ("SO1", "RK1"))
    assert loaded.plan.get("R1").attrs["actions"] == ("A1", "A2")


BAD_VALUES = [
    ("likelihood: 4", "likelihood: 6", 4, 13, "'likelihood' must be a whole number from 1 to 5, not '6'"),
    ("likelihood: 4", "likelihood: high", 4, 13, "'likelihood' must be a whole number from 1 to 5, not 'high'"),
    ("impact: 5", "impact: 2.5", 5, 9, "'impact' must be a whole number from 1 to 5, not '2.5'"),
    ("impact: 5", "impact: [5]", 5, 9, "'impact' must be a whole number from 1 to 5, not 'a list or mapping'"),
    ("  by: [I1, T1]", "  with: [I1, T1]", 8, 3, "unknown key 'with' in 'mitigation'; use by, text"),
    ("  text: A second supplier under contract.", "  text: [a, b]", 9, 9, "'mitigation.text' must be text"),
    ("review_by: 2027-01-31", "review_by: 2027-02-30", 10, 12, "'review_by'"),
]


@pytest.mark.parametrize("old, new, line, col, message", BAD_VALUES)
def test_every_bad_risk_value_is_one_located_error(plan, old, new, line, col, message):
    plan.edit("content/risks/RK1.md", old, new)
    result = plan.check()
    assert result.exit_code == 1
    errors = [f for f in result.findings if f["severity"] == "error"]
    assert len(errors) == 1, errors
    assert (errors[0]["file"], errors[0]["line"], errors[0]["col"], errors[0]["code"]) == \
        ("content/risks/RK1.md", line, col, "schema")
    assert message in errors[0]["message"]
    build_result = plan.run("build", "--no-pdf")  # build refuses what check refuses
    assert build_result.exit_code == 1 and message.split("'")[1] in build_result.stderr


REF_PROBLEMS = [
    ("content/risks/RK1.md", "threatens: [SO1, I1]", "threatens: [SO2, I1]", 6, 13, "broken-ref",
     "'threatens' names 'SO2', which does not exist; did you mean 'SO1'?"),
    ("content/risks/RK1.md", "threatens: [SO1, I1]", "threatens: [SO1, K-REV]", 6, 18, "wrong-kind",
     "'threatens' names 'K-REV', a KPI; it must name a"),
    ("content/risks/RK1.md", "  by: [I1, T1]", "  by: [I1x, T1]", 8, 8, "broken-ref",
     "'mitigation' names 'I1x', which does not exist; did you mean 'I1'?"),
    ("content/risks/RK1.md", "  by: [I1, T1]", "  by: [I1, SO1]", 8, 12, "wrong-kind",
     "'mitigation' names 'SO1', a strategic objective"),
    ("content/reviews/R1.md", "about: [SO1, RK1]", "about: [SO1, RK11]", 14, 18, "broken-ref",
     "'about' names 'RK11', which does not exist; did you mean 'RK1'?"),
    ("content/reviews/R1.md", "  - id: A2", "  - id: rk1", 1, 1, "duplicate-id",
     "id 'RK1' is already used by content/reviews/R1.md:15"),
    ("content/reviews/R1.md", "    status: doing", "    status: waiting", 13, 13, "schema",
     "'status' is 'waiting'; use one of: open, doing, done, dropped"),
    ("content/reviews/R1.md", "    due: 2026-12-15", "    due: 15.12.2026", 12, 10, "schema", "'due'"),
    ("content/reviews/R1.md", "    title: Close the old contract\n", "", 15, 5, "schema",
     "action 'A2' has no title; add 'title: …'"),
    ("content/reviews/R1.md", "  - id: A2\n    title", "  - title", 15, 5, "schema",
     "an entry of 'actions' has no id; add 'id: …'"),
    ("content/risks/RK1.md", "If the supplier fails, [[A1]]", "If the supplier fails, [[A11]]", 13, 24, "broken-ref",
     "names 'A11', which does not exist; did you mean 'A1'?"),
]


@pytest.mark.parametrize("rel, old, new, line, col, code, message", REF_PROBLEMS)
def test_references_of_risks_and_actions_are_checked_with_suggestions(plan, rel, old, new, line, col, code, message):
    plan.edit(rel, old, new)
    result = plan.check()
    assert result.exit_code == 1
    errors = [f for f in result.findings if f["severity"] == "error"]
    assert len(errors) == 1, errors
    found = errors[0]
    if code == "duplicate-id":  # reported on the item read second: the risk file comes after reviews
        rel = "content/risks/RK1.md"
    assert (found["file"], found["line"], found["col"], found["code"]) == (rel, line, col, code)
    assert message in found["message"]


def test_the_high_cut_off_is_configurable_and_checked(plan):
    plan.edit("content/risks/RK1.md", "mitigation:\n  by: [I1, T1]\n  text: A second supplier under contract.\n", "")
    assert plan.check().only("risk-unmitigated")["entity"] == "RK1"
    plan.write("stratdocs.yml", "as_of: 2026-11-15\nrisks: {high: 21}\n")
    assert plan.check().findings == []
    for value, line in (("26", 2), ("0", 2), ("high", 2), ("12.5", 2)):
        plan.write("stratdocs.yml", f"as_of: 2026-11-15\nrisks:\n  high: {value}\n")
        result = plan.check("--format", "text")
        assert result.exit_code == 2, value
        assert f"stratdocs.yml:3:9: error: 'risks.high' must be a whole number from 1 to 25" in result.stderr + result.stdout
    plan.write("stratdocs.yml", "as_of: 2026-11-15\nrisks: {hihg: 12}\n")
    result = plan.check("--format", "text")
    assert result.exit_code == 2 and "did you mean 'high'" in result.stderr + result.stdout


def test_a_closed_risk_and_a_done_action_raise_no_warning(plan):
    plan.edit("content/risks/RK1.md", "review_by: 2027-01-31", "review_by: 2026-01-31\nstatus: closed")
    plan.edit("content/risks/RK1.md", "mitigation:\n  by: [I1, T1]\n  text: A second supplier under contract.\n", "")
    plan.edit("content/reviews/R1.md", "    owner: COO\n    due: 2026-10-01", "    due: 2026-10-01")
    assert plan.check().findings == []


def test_risk_without_owner_is_a_no_owner_warning_about_it(plan):
    plan.edit("content/risks/RK2.md", "owner: CFO\n", "")
    found = plan.check().only("no-owner")
    assert (found["file"], found["entity"]) == ("content/risks/RK2.md", "RK2")


def test_new_risk_from_the_theme_template_checks_without_errors(plan):
    assert plan.run("new", "risk", "RK3", "--title", "Hiring in the Nordics").exit_code == 0
    text = plan.read("content/risks/RK3.md")
    assert 'title: "Hiring in the Nordics"' in text and "likelihood: 3" in text
    result = plan.check()
    assert result.exit_code == 0
    assert {(f["code"], f["entity"]) for f in result.findings} == {("no-owner", "RK3")}


# --------------------------------------------------------------------------- the site


def test_risks_page_has_the_heat_map_and_the_register_by_score(plan):
    site = build(plan)
    html = page(site, "risks/index.html")
    svg = html[html.index("<svg"):html.index("</svg>")]
    assert "<script" not in svg
    # RK1 (likelihood 4, impact 5 = 20) is a link from its cell to its page, relative to risks/
    assert re.search(r'<a href="\.\./risks/RK1\.html" xlink:href="\.\./risks/RK1\.html">', svg)
    assert re.search(r'<a href="\.\./risks/RK2\.html"', svg)
    assert "likelihood 4 × impact 5 = 20, high: RK1" in svg
    assert "likelihood 2 × impact 2 = 4, low: RK2" in svg
    assert "likelihood 1 × impact 1 = 1, low: no risks" in svg
    assert svg.count('class="sd-heat-cell"') == 25
    register = html[html.index("Risk register"):]
    assert register.index("RK1") < register.index("RK2")  # highest score first
    assert 'class="tag risk-high">high</span>' in register
    assert "2 risks, 1 high (likelihood × impact of 15 or more)" in html
    nav = page(site, "index.html")
    assert 'href="risks/index.html"' in nav and 'href="actions.html"' in nav


def test_heat_map_is_deterministic_and_severity_is_never_colour_alone():
    cells = [(lk, im, execution.severity(lk * im, 15), [("R-1", "One", "r.html")] if (lk, im) == (5, 5) else [])
             for im in range(5, 0, -1) for lk in range(1, 6)]
    bands = [("high", "15–25"), ("elevated", "10–14"), ("medium", "5–9"), ("low", "1–4")]
    one = heatmap(cells=cells, bands=bands, label="map")
    assert one == heatmap(cells=cells, bands=bands, label="map")
    for score in (1, 4, 9, 16, 25):  # each cell prints its score
        assert f'class="sd-heat-score" fill="' in one and f">{score}</text>" in one
    assert one.count('fill="url(#sd-heat-hatch)"') == 6 + 1  # the six high cells and the legend swatch
    for words in ("high (15–25)", "elevated (10–14)", "medium (5–9)", "low (1–4)"):
        assert words in one
    # greyscale: the band fills are far apart in lightness
    lightness = []
    for fill, _ in heatmap_module().BAND_STYLE.values():
        r, g, b = (int(fill[i:i + 2], 16) for i in (1, 3, 5))
        lightness.append(0.2126 * r + 0.7152 * g + 0.0722 * b)
    lightness.sort()
    assert min(b - a for a, b in zip(lightness, lightness[1:])) > 20
    unsafe = heatmap(cells=[(1, 1, "low", [("X", "x", "javascript:alert(1)")])], bands=bands, label="m")
    assert "javascript" not in unsafe and ">X</text>" in unsafe


def heatmap_module():
    import importlib
    return importlib.import_module("stratdocs.render.charts.heatmap")


def test_many_risks_in_one_cell_end_with_a_count():
    risks = [(f"R-{i}", f"Risk {i}", f"r{i}.html") for i in range(30)]
    svg = heatmap(cells=[(3, 3, "medium", risks)], bands=[("high", "15–25")], label="m")
    assert ">30</text>" in svg  # the count
    shown = re.findall(r'<a href="r(\d+)\.html"', svg)
    assert 3 <= len(shown) < 30 and f"+{30 - len(shown)} more" in svg


def test_open_actions_page_lists_open_actions_linking_to_their_review_anchor(plan):
    site = build(plan)
    html = page(site, "actions.html")
    assert "1 open action decided in reviews" in html and "1 done or dropped" in html
    assert 'href="reviews/R1.html#A1"' in html
    assert "A2" not in html  # done
    review = page(site, "reviews/R1.html")
    assert '<tr id="A1">' in review and '<tr id="A2">' in review
    assert 'href="../risks/RK1.html"' in review  # A1 is about RK1


def test_risks_and_actions_show_on_the_items_they_concern(plan):
    site = build(plan)
    so1 = page(site, "objectives/SO1.html")
    risks = so1[so1.index("Risks to this item"):]
    assert risks.index("RK1") < risks.index("RK2")
    assert "Actions about this item" in so1 and 'href="../reviews/R1.html#A1"' in so1
    i1 = page(site, "initiatives/I1.html")
    assert "Risks to this item" in i1 and "Mitigates" in i1 and "A2" in i1  # A2 is about I1
    rk1 = page(site, "risks/RK1.html")
    assert "likelihood 4 × impact 5" in rk1 and 'href="../operations/ops.html#T1"' in rk1
    assert "A second supplier under contract." in rk1 and 'href="../reviews/R1.html#A1"' in rk1
    search = json.loads(page(site, "search-index.json"))["docs"]
    assert {(d["id"], d["href"]) for d in search if d["id"] in ("RK1", "A1")} == \
        {("RK1", "risks/RK1.html"), ("A1", "reviews/R1.html#A1")}


def test_warnings_reach_the_alignment_report_under_their_failure_modes(plan):
    plan.edit("content/reviews/R1.md", "    due: 2026-12-15", "    due: 2026-11-01")
    plan.edit("content/risks/RK2.md", "review_by: 2027-01-31", "review_by: 2026-11-01")
    site = build(plan)
    html = page(site, "alignment.html")
    decisions = html[html.index("Decisions nobody carries out"):]
    assert "action-overdue" in decisions[:3000] and "A1" in decisions[:3000]
    managed = html[html.index("Risks nobody manages"):]
    assert "risk-review-overdue" in managed[:3000]


# --------------------------------------------------------------------------- export, schema, matrix


def test_export_has_risks_and_actions_in_json_csv_and_xlsx(plan, tmp_path):
    records = {e["id"]: e for e in plan.export()["entities"]}
    rk1, a1 = records["RK1"], records["A1"]
    assert (rk1["kind"], rk1["likelihood"], rk1["impact"], rk1["score"], rk1["severity"]) == ("risk", 4, 5, 20, "high")
    assert rk1["links"] == {"threatens": ["SO1", "I1"], "mitigation": ["I1", "T1"]}
    assert (a1["kind"], a1["container"], a1["due"], a1["overdue"], a1["links"]) == \
        ("action", "R1", "2026-12-15", False, {"about": ["SO1", "RK1"]})
    csv = plan.run("export", "--format", "csv").stdout
    assert "RK1,risk,The key supplier fails,content/risks/RK1.md" in csv and "\nA1,action," in csv
    target = tmp_path / "plan.xlsx"
    assert plan.run("export", "--format", "xlsx", "-o", str(target)).exit_code == 0
    book = openpyxl.load_workbook(target)
    risks = list(book["Risks"].iter_rows(values_only=True))
    assert risks[0][:7] == ("id", "title", "owner", "status", "likelihood", "impact", "score")
    assert [r[0] for r in risks[1:]] == ["RK1", "RK2"] and risks[1][6] == 20
    actions = list(book["Actions"].iter_rows(values_only=True))
    assert [(r[0], r[2], r[5]) for r in actions[1:]] == [("A1", "R1", "doing"), ("A2", "R1", "done")]


def _validate(schema: dict, data) -> list[str]:
    import jsonschema
    validator = jsonschema.Draft202012Validator(schema, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER)
    return [e.message for e in validator.iter_errors(data)]


def test_json_schema_covers_risks_actions_and_the_risks_config():
    risk = js.kind_schema("risk")
    good = {"title": "x", "likelihood": 4, "impact": 1, "threatens": ["SO1"],
            "mitigation": {"by": ["I1"], "text": "y"}, "review_by": "2027-01-01"}
    assert _validate(risk, good) == []
    assert _validate(risk, {**good, "mitigation": "text only"}) == []
    assert _validate(risk, {**good, "mitigation": ["I1", "T1"]}) == []
    for bad in ({"likelihood": 6}, {"impact": 2.5}, {"likelihood": "high"}, {"mitigation": {"with": ["I1"]}},
                {"mitigation": {"text": ["a"]}}):
        assert _validate(risk, {**good, **bad}), bad
    review = js.kind_schema("review")
    action = {"id": "A1", "title": "Do it", "owner": "COO", "due": "2026-12-01", "status": "open", "about": ["SO1"]}
    assert _validate(review, {"title": "R", "actions": [action]}) == []
    assert _validate(review, {"title": "R", "actions": [{**action, "status": "waiting"}]})
    assert _validate(review, {"title": "R", "actions": [{**action, "resources": "x"}]})
    assert _validate(review, {"title": "R", "actions": [{"title": "no id"}]})
    config = js.config_schema()
    assert _validate(config, {"risks": {"high": 12}}) == []
    assert _validate(config, {"risks": {"high": 30}}) and _validate(config, {"risks": {"hihg": 12}})
    assert _validate(config, {"documents": [{"id": "b", "sections": ["risks", "actions"]}]}) == []


def test_risks_by_objectives_matrix_follows_what_a_risk_threatens(plan):
    plan.write("stratdocs.yml", "as_of: 2026-11-15\nmatrices:\n  - objectives-operations\n"
                                "  - {id: objectives-risks, title: Objectives × risks, rows: objective, columns: risk}\n")
    matrix = plan.export()["matrices"]["objectives-risks"]
    assert matrix["columns"] == ["RK1", "RK2"]
    assert {(c["row"], c["column"], c["direct"]) for c in matrix["cells"]} == {("SO1", "RK1", True), ("SO1", "RK2", True)}
    plan.edit("content/risks/RK1.md", "threatens: [SO1, I1]", "threatens: [I1]")
    cells = plan.export()["matrices"]["objectives-risks"]["cells"]
    assert {"row": "SO1", "column": "RK1", "direct": False, "via": "I1"} in cells
    site = build(plan)
    assert (site / "matrices/objectives-risks.csv").read_text(encoding="utf-8").startswith("id,title,RK1,RK2,total")


# --------------------------------------------------------------------------- PDF


@pytest.mark.slow
def test_pdf_sections_risks_and_actions(plan):
    plan.write("stratdocs.yml", "as_of: 2026-11-15\ndocuments:\n  - id: pack\n    title: Pack\n"
                                "    sections: [cover, contents, actions, risks, reviews, objectives]\n")
    result = plan.run("pdf", "pack")
    assert result.exit_code == 0, result.stdout + result.stderr
    reader = PdfReader(io.BytesIO((plan.root / "site/pdf/pack.pdf").read_bytes()))
    pages = [" ".join((p.extract_text() or "").split()) for p in reader.pages]
    actions = next(t for t in pages if "Open actions 1 open action" in t)
    assert "A1 Sign a second supplier" in actions and "A2" not in actions
    register = next(t for t in pages if "Risk register 2 risks" in t)
    assert register.index("RK1 The key supplier fails") < register.index("RK2 Exchange rates")
    assert "likelihood × impact" in register and "high (15–25)" in register
    objective = next(t for t in pages if "Threatened by:" in t)
    assert "RK1" in objective and "Actions:" in objective
    # every internal link lands on a named destination the PDF has (the heat map's risk links too)
    names = set(reader.named_destinations)
    targets = [a["/Dest"] for p in reader.pages for a in (x.get_object() for x in p.get("/Annots") or [])
               if a.get("/Subtype") == "/Link" and "/Dest" in a]
    assert targets, "no internal links"
    heat_page = next(i for i, t in enumerate(pages) if "Risk register 2 risks" in t)
    heat_links = [a for a in (x.get_object() for x in reader.pages[heat_page].get("/Annots") or [])
                  if a.get("/Subtype") == "/Link"]
    assert len(heat_links) >= 2  # RK1 and RK2 in their cells
    assert all(str(t) in names for t in targets if isinstance(t, str))


def test_summary_api_ranks_open_risks_and_lists_overdue_actions(plan):
    """The typed API the executive summary (issue #11) takes its top risks and overdue actions from."""
    plan.edit("content/risks/RK2.md", "likelihood: 2", "likelihood: 5")  # 10: second
    plan.write("content/risks/RK3.md", LOW_RISK.replace("likelihood: 2", "likelihood: 5").replace(
        "impact: 2", "impact: 5").replace("owner: CFO", "owner: CFO\nstatus: closed"))
    plan.edit("content/reviews/R1.md", "    due: 2026-12-15", "    due: 2026-11-01")
    loaded = project_mod.load(plan.root)
    assert [r.id for r in execution.top_risks(loaded.plan, 5)] == ["RK1", "RK2"]  # RK3 (25) is closed
    assert [r.id for r in execution.top_risks(loaded.plan, 1)] == ["RK1"]
    assert [a.id for a in execution.open_actions(loaded.plan)] == ["A1"]
    assert [a.id for a in execution.overdue_actions(loaded.plan, loaded.as_of)] == ["A1"]
    assert execution.overdue_actions(loaded.plan, date(2026, 10, 31)) == []


def test_diff_reports_a_risk_that_threatens_something_else(plan, tmp_path):
    import subprocess
    git = ["git", "-C", str(plan.root), "-c", "user.name=t", "-c", "user.email=t@example.invalid"]
    subprocess.run([*git, "init", "-q"], check=True)
    subprocess.run([*git, "add", "-A"], check=True)
    subprocess.run([*git, "commit", "-qm", "base"], check=True)
    plan.edit("content/risks/RK2.md", "threatens: [SO1]", "threatens: [I1]")
    result = plan.run("diff", "HEAD")
    assert result.exit_code == 0, result.stderr
    assert "RK2" in result.stdout and "threatens: I1" in result.stdout
