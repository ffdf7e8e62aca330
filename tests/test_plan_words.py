"""A plan written in its own language: its own lifecycle status words (`statuses:`) and CSV
data files saved by a German or French spreadsheet (`csv:`)."""

from __future__ import annotations

import pytest

from conftest import SECOND_OBJECTIVE as SO2

RED_KPI = """\
---
title: Red KPI
level: strategic
measures: [SO2]
owner: CMO
thresholds: {green: 8, amber: 5}
actuals:
  - {date: 2026-11-01, value: 1}
---
"""


def _red_objective_with_work(p, status: str) -> None:
    """SO2 is red and the only work on it is initiative I2 with `status`."""
    p.write("content/objectives/SO2.md", SO2)
    p.write("content/kpis/K-RED.md", RED_KPI)
    p.write("content/initiatives/I2.md", f"---\ntitle: Second initiative\nowner: COO\nsupports: [SO2]\n"
                                         f"status: {status}\n---\n")


@pytest.mark.parametrize("status", ["done", "Cancelled", "on hold", "ON-HOLD", "abandoned"])
def test_finished_or_paused_work_does_not_address_a_red_objective(plan_project, status):
    _red_objective_with_work(plan_project, status)
    result = plan_project.check()
    assert "red-unaddressed" in result.codes()
    assert "unknown-status" not in result.codes()


@pytest.mark.parametrize("status", ["active", "In Progress", "at_risk", "planned"])
def test_ongoing_work_addresses_a_red_objective(plan_project, status):
    _red_objective_with_work(plan_project, status)
    assert "red-unaddressed" not in plan_project.check().codes()


def test_an_unknown_status_is_a_located_warning_with_a_suggestion(plan_project):
    _red_objective_with_work(plan_project, "dropepd")
    found = plan_project.check().only("unknown-status")
    assert (found["file"], found["line"], found["col"]) == ("content/initiatives/I2.md", 5, 9)
    assert "did you mean 'dropped'" in found["message"]
    assert "statuses:" in found["message"]


def test_a_plans_own_status_words_map_to_lifecycle_states(plan_project):
    _red_objective_with_work(plan_project, "eingestellt")
    assert {"unknown-status", "red-unaddressed"} & plan_project.check().codes() == {"unknown-status"}
    plan_project.edit("stratdocs.yml", "as_of:", "statuses: {eingestellt: dropped, in Arbeit: active}\nas_of:")
    result = plan_project.check()
    assert "unknown-status" not in result.codes()
    assert "red-unaddressed" in result.codes()  # dropped work no longer hides the red objective
    # the plan's own word is what readers see
    assert any(e["status"] == "eingestellt" for e in plan_project.export()["entities"])


def test_a_plans_own_words_for_task_statuses(plan_project):
    plan_project.edit("content/operations/ops.md", "status: doing", "status: erledigt")
    assert "schema" in plan_project.check().codes()
    plan_project.edit("stratdocs.yml", "as_of:", "statuses: {erledigt: done}\nas_of:")
    result = plan_project.check()
    assert result.exit_code == 0, result.lines
    task = next(e for e in plan_project.export()["entities"] if e["kind"] == "task")
    assert task["status"] == "done"


@pytest.mark.parametrize("config, line_col, words", [
    ("statuses: {eingestellt: dropepd}", (1, 25), "did you mean 'dropped'"),
    ("statuses: {done: dropped}", (1, 12), "already means 'done'"),
    ("statuses: [dropped]", (1, 11), "maps your own status words"),
    ("csv: {decimal: ';'}", (1, 16), "use '.' or ','"),
    ("csv: {separator: ',', decimal: ','}", (1, 18), "cannot be the decimal mark"),
    ("csv: {seperator: ';'}", (1, 7), "did you mean 'separator'"),
])
def test_bad_vocabulary_config_is_located(plan_project, config, line_col, words):
    plan_project.write("stratdocs.yml", config + "\ntitle: Test plan\nas_of: 2026-11-15\n")
    result = plan_project.check()
    assert result.exit_code == 2
    assert f"stratdocs.yml:{line_col[0]}:{line_col[1]}: error:" in result.stdout + result.stderr
    assert words in result.stdout + result.stderr


def _csv_kpi(p, csv: str) -> None:
    p.edit("content/kpis/K-OPS.md", "actuals:\n  - {date: 2026-11-01, value: 9}\n", "data: ops.csv\n")
    p.write("content/data/ops.csv", csv)


def _value(p) -> float:
    kpi = next(e for e in p.export()["entities"] if e["id"] == "K-OPS")
    return kpi["latest"]["value"] if "latest" in kpi else kpi["actuals"][-1]["value"]


@pytest.mark.parametrize("csv, line, col, words", [
    ('date,value\n2026-11-01,"9,84"\n', 2, 12, "value '9,84' is written with a decimal comma; write 9.84"),
    ("date,value\n2026-11-01,9,84\n", 2, 12, "the value 9,84 is written with a decimal comma"),
    ("date,value,note\n2026-11-01,9,84\n", 2, 12, "the value 9,84 is written with a decimal comma"),
    ("date;value\n2026-11-01;9,84\n", 1, 1, "separated by semicolons and has decimal commas"),
])
def test_decimal_commas_get_a_message_that_says_so(plan_project, csv, line, col, words):
    _csv_kpi(plan_project, csv)
    found = plan_project.check().only("csv")
    assert (found["file"], found["line"], found["col"]) == ("content/data/ops.csv", line, col)
    assert words in found["message"]
    assert "csv: {separator: ';', decimal: ','}" in found["message"]


@pytest.mark.parametrize("config, csv, value", [
    ("csv: {decimal: ','}", "date;value;note\n2026-11-01;9,84;Oktober\n", 9.84),
    ("csv: {separator: ';', decimal: ','}", "date;value\n2026-11-01;1.234,5\n", 1234.5),
    ("csv: {separator: tab}", "date\tvalue\n2026-11-01\t9.5\n", 9.5),
])
def test_a_declared_csv_format_is_read(plan_project, config, csv, value):
    plan_project.edit("stratdocs.yml", "as_of:", config + "\nas_of:")
    _csv_kpi(plan_project, csv)
    result = plan_project.check()
    assert "csv" not in result.codes(), result.lines
    assert _value(plan_project) == pytest.approx(value)


def test_a_point_in_a_decimal_comma_file_is_refused(plan_project):
    plan_project.edit("stratdocs.yml", "as_of:", "csv: {decimal: ','}\nas_of:")
    _csv_kpi(plan_project, "date;value\n2026-11-01;9.84\n")
    found = plan_project.check().only("csv")
    assert "declared with decimal commas" in found["message"]


def test_the_reference_lists_exactly_the_words_stratdocs_knows():
    from pathlib import Path
    import re
    from stratdocs import lifecycle
    text = (Path(__file__).resolve().parents[1] / "docs" / "reference.md").read_text(encoding="utf-8")
    section = text.split("## Lifecycle statuses", 1)[1].split("\n## ", 1)[0]
    listed = {}
    for state, words in re.findall(r"^\| ([a-z-]+) \| (.+?) \| (?:yes|no) \|$", section, re.MULTILINE):
        listed.update(dict.fromkeys(re.findall(r"`([^`]+)`", words), state))
    assert listed == dict(lifecycle.WORDS)


def test_a_plans_own_terms_name_its_kinds_on_the_site_and_in_search(plan_project):
    import json
    plan_project.edit("stratdocs.yml", "as_of:", "terms: {objective: [Handlungsfeld, Handlungsfelder], "
                                                 "initiatives: Vorhaben}\nas_of:")
    result = plan_project.run("build", "--no-pdf")
    assert result.exit_code == 0, result.stderr
    index = plan_project.read("site/objectives/index.html")
    assert "<h1" in index and "Handlungsfelder</h1>" in index
    page = plan_project.read("site/objectives/SO1.html")
    assert "Handlungsfelder" in page and "Strategic objective" not in page
    assert "Vorhaben" in plan_project.read("site/initiatives/I1.html")
    docs = json.loads(plan_project.read("site/search-index.json"))["docs"]
    assert {d["kind_label"].split(" · ")[0] for d in docs if d["kind"] == "objective"} == {"Handlungsfeld"}


@pytest.mark.parametrize("config, line_col, words", [
    ("terms: {objectiv: Ziel}", (1, 9), "did you mean 'objective'"),
    ("terms: {objective: [A, B, C]}", (1, 20), "[singular, plural]"),
    ("terms: [Ziel]", (1, 8), "names kinds in your words"),
])
def test_bad_terms_are_located(plan_project, config, line_col, words):
    plan_project.write("stratdocs.yml", config + "\ntitle: Test plan\nas_of: 2026-11-15\n")
    result = plan_project.check()
    assert result.exit_code == 2
    assert f"stratdocs.yml:{line_col[0]}:{line_col[1]}: error:" in result.stdout + result.stderr
    assert words in result.stdout + result.stderr
