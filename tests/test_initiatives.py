"""Initiative delivery (issue #14 A): milestones, progress, budget and spend, the computed
initiative health, its cut-offs, and where it is shown (pages, scorecard, roadmap, export)."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest

from conftest import PlanProject
from stratdocs import project as project_mod
from stratdocs.delivery import Budget, DeliveryCutoffs, planned_burn
from stratdocs.model import Point
from stratdocs.render.charts import roadmap

I1 = "content/initiatives/I1.md"


def add(project: PlanProject, block: str) -> None:
    """Delivery keys written after I1's `currency: EUR` (line 8): the first is on line 9."""
    project.edit(I1, "currency: EUR\n", "currency: EUR\n" + block)


def load(project: PlanProject):
    return project_mod.load(project.root)


def schema_errors(result) -> list[tuple[int, int, str]]:
    return [(f["line"], f["col"], f["message"]) for f in result.findings if f["severity"] == "error"]


# -- located errors for every bad value ------------------------------------------------------

@pytest.mark.parametrize("block, line, col, fragment", [
    ("milestones: soon\n", 9, 13, "'milestones' must be a list"),
    ("milestones:\n  - just a title\n", 10, 5, "'milestones' must be a mapping"),
    ("milestones:\n  - {title: Terms}\n", 10, 5, "a milestone needs id"),
    ("milestones:\n  - {id: 'bad id', title: Terms}\n", 10, 10, "milestone id 'bad id' is not valid"),
    ("milestones:\n  - {id: M1, title: A}\n  - {id: m1, title: B}\n", 11, 10, "a second milestone 'm1'"),
    ("milestones:\n  - {id: M1, title: A, due: 31.10.2026}\n", 10, 29, "'milestones.due'"),
    ("milestones:\n  - {id: M1, title: A, done: 2026-02-30}\n", 10, 30, "'milestones.done'"),
    ("milestones:\n  - {id: M1, title: A, status: finished}\n", 10, 32, "todo, doing, done, blocked, dropped"),
    ("milestones:\n  - {id: M1, title: A, done: 2026-02-01, status: doing}\n", 10, 50, "has a done date but status 'doing'"),
    ("milestones:\n  - {id: M1, title: A, owner: Bo}\n", 10, 24, "unknown key 'owner' in 'milestones'"),
    ("progress: 40\n", 9, 11, "share from 0 to 1 (0.4) or a percentage (40%)"),
    ("progress: lots\n", 9, 11, "not 'lots'"),
    ("progress: 140%\n", 9, 11, "'progress' must be a share"),
    ("progress: [0.4]\n", 9, 11, "not 'a list or mapping'"),
    ("spend: lots\n", 9, 8, "CSV path under content/data"),
    ("spend: 12\n", 9, 8, "'spend' must be a list"),
    ("spend:\n  - {date: 2026-03-31}\n", 10, 5, "'spend' needs amount"),
    ("spend:\n  - {date: 2026-03-31, amount: a lot}\n", 10, 32, "'spend.amount' must be a number"),
    ("spend:\n  - {date: 2026-03-31, amount: 1}\n  - {date: 2026-03-31, amount: 2}\n", 11, 12,
     "a second spend for 2026-03-31 (first on line 10)"),
    ("spend: ../secrets.csv\n", 9, 8, "CSV path under content/data"),
    ("spend: spend-i1.csv\n", 9, 8, "data file 'content/data/spend-i1.csv' does not exist"),
])
def test_bad_delivery_values_are_located(plan_project, block, line, col, fragment):
    add(plan_project, block)
    result = plan_project.check()
    assert result.exit_code == 1, result.stdout
    found = schema_errors(result)
    assert len(found) == 1, found
    assert found[0][:2] == (line, col), found
    assert fragment in found[0][2]


@pytest.mark.parametrize("budget, line, col, fragment", [
    ("budget: -5\n", 7, 9, "'budget' must not be negative"),
    ("budget: plenty\n", 7, 9, "'budget' must be a number"),
    ("budget: {currency: EUR}\n", 7, 9, "'budget' needs an amount"),
    ("budget: {amount: 100, colour: red}\n", 7, 23, "unknown key 'colour' in 'budget'"),
    ("budget: {amount: 100, phasing: 50}\n", 7, 32, "'budget.phasing' must be a list"),
    ("budget:\n  amount: 100\n  phasing:\n    - {date: 2026-06-30, value: 60}\n    - {date: 2026-09-30, value: 40}\n",
     11, 1, "'budget.phasing' is cumulative"),
    ("budget:\n  amount: 100\n  phasing:\n    - {date: 2026-06-30, value: 160}\n", 10, 1, "goes above the budget"),
])
def test_bad_budgets_are_located(plan_project, budget, line, col, fragment):
    plan_project.edit(I1, "budget: 250000\n", budget)
    result = plan_project.check()
    found = schema_errors(result)
    assert result.exit_code == 1 and len(found) == 1, found
    assert found[0][:2] == (line, col) and fragment in found[0][2], found


def test_spend_csv_problems_name_the_csv_line(plan_project):
    plan_project.write("content/data/spend-i1.csv", "date,amount,note\n2026-03-31,1000,\n2026-04-31,5,\n2026-05-31,x,\n")
    add(plan_project, "spend: spend-i1.csv\n")
    result = plan_project.check()
    assert result.exit_code == 1
    assert [(f["file"], f["line"], f["code"]) for f in result.findings] == [
        ("content/data/spend-i1.csv", 3, "csv"), ("content/data/spend-i1.csv", 4, "csv")]
    plan_project.write("content/data/spend-i1.csv", "date,value\n2026-03-31,1000\n")
    header = plan_project.check().only("csv")
    assert header["line"] == 1 and "'date,amount' or 'date,amount,note'" in header["message"]


def test_check_refuses_what_build_refuses(plan_project, tmp_path):
    add(plan_project, "progress: 300%\n")
    assert plan_project.check().exit_code == 1
    result = plan_project.run("build", "--no-pdf", "--out", str(tmp_path / "out"))
    assert result.exit_code == 1
    assert "progress" in result.stderr and not (tmp_path / "out").exists()


@pytest.mark.parametrize("text, where, fragment", [
    ("delivery: strict\n", "2:11", "'delivery' must be a mapping with schedule and budget"),
    ("delivery: {shedule: {green: 0.9}}\n", "2:12", "did you mean 'schedule'"),
    ("delivery: {schedule: {green: high}}\n", "2:30", "'delivery.schedule.green' must be a share of planned progress"),
    ("delivery: {budget: {amber: -1}}\n", "2:28", "spend over planned burn"),
    ("delivery: {schedule: {green: 0.5, amber: 0.8}}\n", "2:11", "'delivery.schedule.amber' must not be above"),
    ("delivery: {budget: {green: 1.2, amber: 1.1}}\n", "2:11", "'delivery.budget.amber' must not be below"),
    ("delivery: {budget: {red: 1.3}}\n", "2:21", "unknown key 'red' in 'delivery.budget'"),
])
def test_bad_delivery_config_is_located(plan_project, text, where, fragment):
    plan_project.write("stratdocs.yml", "as_of: 2026-11-15\n" + text)
    result = plan_project.check("--format", "text")
    assert result.exit_code == 2, result.stdout
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"stratdocs.yml:{where}: error: "), lines
    assert fragment in lines[0]


# -- computed health --------------------------------------------------------------------------

def health(project: PlanProject):
    return load(project).initiative_health["I1"]


def test_progress_is_derived_from_milestones_when_not_given(plan_project):
    add(plan_project, "milestones:\n  - {id: A, title: A, done: 2026-03-01}\n  - {id: B, title: B, due: 2027-03-01}\n"
                      "  - {id: C, title: C, due: 2027-06-01, status: dropped}\n")
    h = health(plan_project)
    assert (h.progress, h.progress_source) == (0.5, "milestones")  # the dropped one does not count
    assert h.schedule == "green" and h.overdue == ()


def test_given_progress_wins_and_schedule_follows_the_cut_offs(plan_project):
    add(plan_project, "progress: 0.36\n")  # 0.36 / 0.436 elapsed = 83 % of planned progress
    h = health(plan_project)
    assert (h.progress, h.progress_source, round(h.elapsed, 3)) == (0.36, "given", 0.436)
    assert h.schedule == "amber"
    plan_project.write("stratdocs.yml", "as_of: 2026-11-15\ndelivery: {schedule: {green: 0.8, amber: 0.6}}\n")
    assert health(plan_project).schedule == "green"


def test_an_overdue_milestone_keeps_the_schedule_from_green(plan_project):
    add(plan_project, "progress: 90%\nmilestones:\n  - {id: A, title: A, due: 2026-11-01}\n")
    h = health(plan_project)
    assert h.schedule == "amber" and [m.id for m in h.overdue] == ["A"]
    assert h.health == "amber"  # no spend: the budget has no data, the schedule decides


def test_budget_health_against_linear_burn_and_the_whole_budget(plan_project):
    add(plan_project, "spend:\n  - {date: 2026-06-30, amount: 120000}\n  - {date: 2027-01-31, amount: 900000}\n")
    h = health(plan_project)  # 120,000 by as_of (the 2027 entry is after it) against 109,000 planned
    assert h.spent == 120000 and round(h.planned) == 109053
    assert h.budget == "amber"
    plan_project.edit(I1, "amount: 120000}", "amount: 260000}")
    assert health(plan_project).budget_reason.startswith("spend EUR 260,000 is above the whole budget")


def test_phasing_changes_the_planned_burn():
    budget = Budget(100.0, "EUR", (Point(date(2026, 3, 31), 60.0),))
    start, end = date(2026, 1, 1), date(2026, 12, 31)
    assert planned_burn(budget, start, end, date(2026, 3, 31)) == 60.0
    assert round(planned_burn(budget, start, end, date(2026, 8, 15)), 1) == 79.9
    assert planned_burn(budget, start, end, date(2027, 1, 1)) == 100.0
    assert planned_burn(Budget(100.0), start, end, date(2026, 7, 2)) == pytest.approx(50.0, abs=0.2)


def test_dropped_initiatives_have_no_health_and_no_delivery_warnings(plan_project):
    add(plan_project, "progress: 0.1\nspend:\n  - {date: 2026-06-30, amount: 240000}\n")
    assert {"initiative-behind-schedule", "initiative-over-budget"} <= plan_project.check().codes()
    plan_project.edit(I1, "owner: COO\n", "owner: COO\nstatus: dropped\n")
    assert health(plan_project).health == "no-data"
    assert plan_project.check().findings == []


def test_delivery_cut_offs_default():
    assert DeliveryCutoffs() == DeliveryCutoffs(0.90, 0.75, 1.05, 1.15)


# -- shown ------------------------------------------------------------------------------------

DELIVERY = """\
progress: 40%
milestones:
  - {id: M1, title: Partner terms signed, due: 2026-03-31, done: 2026-04-10}
  - {id: M2, title: "Ten partners <certified>", due: 2026-10-31}
  - {id: M3, title: Partner portal, due: 2027-06-30}
spend: spend-i1.csv
"""
SPEND = "date,amount,note\n2026-03-31,40000,Design\n2026-09-30,70000,=HYPERLINK(\"x\")\n"


@pytest.fixture
def delivered(plan_project, tmp_path) -> tuple[PlanProject, Path]:
    add(plan_project, DELIVERY)
    plan_project.write("content/data/spend-i1.csv", SPEND)
    out = tmp_path / "site"
    result = plan_project.run("build", "--no-pdf", "--out", str(out))
    assert result.exit_code == 0, result.stderr
    return plan_project, out


def test_initiative_page_shows_milestones_progress_and_spend(delivered):
    _, out = delivered
    page = (out / "initiatives/I1.html").read_text(encoding="utf-8")
    delivery = page[page.index('id="delivery"'):page.index("</section>", page.index('id="delivery"'))]
    assert "Ten partners &lt;certified&gt;" in delivery and "<certified>" not in delivery
    assert re.search(r'<tr id="ms-M2" class="overdue">.*?overdue', delivery)
    assert 'id="ms-M1"' in delivery and "after its due date" in delivery
    assert 'aria-label="Progress: 40% done; 44% of the time elapsed"' in delivery
    assert 'aria-label="Spend: EUR 110,000 of EUR 250,000 (44%); EUR 109,053 planned to date"' in delivery
    assert "content/data/spend-i1.csv" in delivery and "EUR 70,000" in delivery
    assert "Schedule" in delivery and ">Amber<" in delivery  # an overdue milestone: amber, as a word


def test_scorecard_has_an_initiatives_table(delivered):
    _, out = delivered
    page = (out / "scorecard.html").read_text(encoding="utf-8")
    table = page[page.index('id="initiatives"'):]
    row = re.search(r'<tr><td><a class="ref kind-initiative" href="initiatives/I1.html".*?</tr>', table, re.S)[0]
    assert "Amber" in row and "40%" in row and "EUR 110,000 of EUR 250,000" in row
    assert 'Ten partners &lt;certified&gt;, due <span class="date">2026-10-31</span>' in row and "1 overdue" in row


def test_roadmap_page_is_linked_from_nav_and_home(delivered):
    _, out = delivered
    home = (out / "index.html").read_text(encoding="utf-8")
    assert home.count('href="roadmap.html"') >= 2  # the navigation and the home page's links
    page = (out / "roadmap.html").read_text(encoding="utf-8")
    svg = page[page.index("<svg"):page.index("</svg>") + 6]
    assert "<script" not in page.lower().replace('<script src="static/search.js"', "")
    assert 'href="initiatives/I1.html"' in svg and 'href="operations/ops.html"' in svg
    assert "Milestone M2: Ten partners &lt;certified&gt;, due 2026-10-31, overdue" in svg
    assert "sd-as-of" in svg and "as of 15 Nov 2026" in svg
    assert ">Amber</text>" in svg  # health as a word beside the colour


def test_roadmap_truncates_long_titles_and_keeps_them_whole_in_the_title():
    long = "A very long initiative title that would otherwise run into the timeline " * 3
    groups = [("SO1 · Grow", [{"id": "I9", "title": long, "kind": "initiative", "label": "Initiative",
                                "href": "initiatives/I9.html", "start": date(2026, 1, 1), "end": date(2026, 12, 31),
                                "health": "red", "milestones": []}])]
    svg = str(roadmap(start=date(2026, 1, 1), end=date(2026, 12, 31), as_of=date(2026, 6, 1), groups=groups))
    label = re.search(r'<a [^>]*><text [^>]*>([^<]*)</text></a>', svg)[1]
    assert label.endswith("…") and len(label) < 60
    assert f"<title>Initiative I9: {long.strip()}; health: Red</title>" in svg
    again = str(roadmap(start=date(2026, 1, 1), end=date(2026, 12, 31), as_of=date(2026, 6, 1), groups=groups))
    assert again == svg  # deterministic


def test_roadmap_drops_unsafe_links_and_escapes_text():
    groups = [("<b>SO1</b>", [{"id": "I1", "title": "<script>alert(1)</script>", "kind": "initiative",
                               "href": "javascript:alert(1)", "start": date(2026, 1, 1), "end": date(2026, 3, 1),
                               "health": "green", "milestones": [{"id": "M", "title": "\"x\" & <y>",
                                                                  "date": date(2026, 2, 1), "state": "done"}]}])]
    svg = str(roadmap(start=date(2026, 1, 1), end=date(2026, 12, 31), as_of=date(2026, 6, 1), groups=groups))
    assert "javascript:" not in svg and "<script>" not in svg and "<b>" not in svg
    assert "&lt;script&gt;" in svg and "&#34;x&#34; &amp; &lt;y&gt;" in svg


def test_export_has_the_delivery(delivered, tmp_path):
    project, _ = delivered
    i1 = next(e for e in project.export()["entities"] if e["id"] == "I1")
    assert i1["health"] == "amber" and i1["schedule_health"] == "amber" and i1["budget_health"] == "green"
    assert i1["progress"] == 0.4 and i1["spent"] == 110000 and i1["spend_data"] == "content/data/spend-i1.csv"
    assert [(m["id"], m["status"], m["overdue"]) for m in i1["milestones"]] == \
        [("M1", "done", False), ("M2", "todo", True), ("M3", "todo", False)]
    assert i1["budget"] == {"amount": 250000.0, "currency": "EUR", "phasing": []}
    openpyxl = pytest.importorskip("openpyxl")
    target = tmp_path / "plan.xlsx"
    assert project.run("export", "--format", "xlsx", "-o", str(target)).exit_code == 0
    sheet = openpyxl.load_workbook(target)["Initiatives"]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:5] == ("id", "title", "owner", "status", "health")
    assert rows[1][0] == "I1" and rows[1][4] == "amber" and rows[1][11] == 110000 and rows[1][15] == 1
    csv_rows = project.run("export", "--format", "csv").stdout.splitlines()
    assert any(line.startswith("I1,initiative,") and ",amber," in line for line in csv_rows)


def test_an_edited_spend_csv_is_read_again_by_the_preview_loader(plan_project):
    add(plan_project, "spend: spend-i1.csv\n")
    plan_project.write("content/data/spend-i1.csv", "date,amount\n2026-03-31,1000\n")
    memo = project_mod.FileMemo()
    first = project_mod.load(plan_project.root, files=memo)
    assert first.initiative_health["I1"].spent == 1000
    plan_project.write("content/data/spend-i1.csv", "date,amount\n2026-03-31,1000\n2026-04-30,2000000\n")
    again = project_mod.load(plan_project.root, files=memo)
    assert again.initiative_health["I1"].spent == 2001000 and memo.reread == 1


def test_a_spend_csv_that_leaves_the_project_is_refused(plan_project, tmp_path):
    outside = tmp_path / "outside.csv"
    outside.write_text("date,amount\n2026-03-31,1\n", encoding="utf-8")
    (plan_project.root / "content/data").mkdir(parents=True, exist_ok=True)
    (plan_project.root / "content/data/spend-i1.csv").symlink_to(outside)
    add(plan_project, "spend: spend-i1.csv\n")
    finding = plan_project.check().only("csv")
    assert (finding["file"], finding["line"]) == (I1, 9) and "points outside the project; refused" in finding["message"]


def test_behind_schedule_lists_amber_and_red_schedules_worst_first(plan_project):
    from stratdocs.delivery import behind_schedule
    plan_project.write("content/initiatives/I2.md", "---\ntitle: Second\nsupports: [SO1]\nowner: COO\nstart: 2026-01-01\n"
                                                    "end: 2026-12-31\nprogress: 0.1\n---\n")
    add(plan_project, "progress: 0.36\n")  # amber: 83 % of planned progress
    project = load(plan_project)
    assert [(e.id, h.schedule) for e, h in behind_schedule(project.plan, project.initiative_health)] == \
        [("I2", "red"), ("I1", "amber")]


def test_the_roadmap_page_is_a_planned_output_that_clashes_are_checked_against(plan_project):
    from stratdocs.render.urls import REPORT_PAGES, SiteMap, clashes, planned_outputs
    project = load(plan_project)
    outputs = planned_outputs(project.plan, SiteMap.of(project.plan, "content"), (), (), (), ())
    assert ("roadmap.html", "the roadmap page", None) in outputs and REPORT_PAGES["roadmap"] == "roadmap.html"
    entity = project.plan.entities["I1"]
    assert clashes(outputs + [("Roadmap.html", "the page of I1", entity)]) == \
        [("Roadmap.html", "the roadmap page", "the page of I1", entity)]
