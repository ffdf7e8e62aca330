"""Owners (issue #14, part C): one page per owner with what they own and what needs them, the
owners index, owner links on item pages, owners in search and export, and `check --owner`."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from conftest import PlanProject
from stratdocs import owners, project as project_mod
from stratdocs.findings import error, warning

GIT_ENV = {**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.org", "GIT_COMMITTER_NAME": "t",
           "GIT_COMMITTER_EMAIL": "t@example.org", "GIT_CONFIG_NOSYSTEM": "1", "GIT_CONFIG_GLOBAL": os.devnull}


def build(project: PlanProject) -> Path:
    out = project.root / "site"
    result = project.run("build", "--no-pdf", "--out", str(out))
    assert result.exit_code == 0, result.stdout + result.stderr
    return out


def needs_for_head_of_sales(project: PlanProject) -> None:
    """The operational plan's review is overdue, the task is spelled with other case and spacing,
    and the CFO's KPI is stale."""
    project.edit("content/operations/ops.md", "owner: Head of Sales\n", "owner: Head of Sales\nreview_by: 2026-09-30\n")
    project.edit("content/operations/ops.md", "    owner: Alice\n", "    owner: head of  SALES\n")
    project.edit("content/kpis/K-REV.md", "  - {date: 2026-09-30, value: 17}\n  - {date: 2026-10-31, value: 19}\n",
                 "  - {date: 2026-06-30, value: 17}\n")


# -- identity and URLs -------------------------------------------------------------------------

def test_an_owner_is_their_name_ignoring_case_and_spacing():
    assert owners.owner_key("  Head of   Sales ") == owners.owner_key("head of sales") == "head of sales"
    assert owners.owner_key("") == ""
    assert owners.base_slug(owners.owner_key("Jürgen Weiß")) == "jurgen-weiss"


def test_clashing_slugs_get_distinct_stable_names():
    keys = ["jane doe", "jane-doe", "jane.doe", "index", "—", "bob"]
    slugs = owners.assign_slugs(keys)
    assert len(set(slugs.values())) == len(keys)
    assert slugs["jane doe"] == "jane-doe" and slugs["bob"] == "bob"
    assert re.fullmatch(r"jane-doe-[0-9a-f]{6}", slugs["jane-doe"])
    assert slugs["index"] != "index"  # the owners index keeps owners/index.html
    assert re.fullmatch(r"owner-[0-9a-f]{6}", slugs["—"])
    # One owner's URL does not move when an unrelated owner appears.
    assert owners.assign_slugs(keys + ["carol"])["jane-doe"] == slugs["jane-doe"]
    assert len(owners.base_slug("x" * 10 + "-" + "y" * 80)) <= owners.MAX_SLUG


def test_needs_come_most_serious_first(plan_project: PlanProject):
    project = project_mod.load(plan_project.root)
    plan = project.plan
    found = [warning("content/pages/about.md", 1, 1, "orphan", "later", "I1"),
             warning("content/kpis/K-OPS.md", 2, 1, "review-overdue", "review due", "K-OPS"),
             error("content/kpis/K-OPS.md", 3, 1, "schema", "bad", "K-OPS"),
             warning("content/x.md", 1, 1, "orphan", "nobody's", None)]
    plan = project.plan
    by_name = {o.name: o for o in owners.collect(plan, found, project.health_of)}
    assert [f.code for f in by_name["Head of Partnerships"].needs] == ["schema", "review-overdue"]
    assert [f.code for f in by_name["COO"].needs] == ["orphan"]
    assert all(f.entity for o in by_name.values() for f in o.needs)


# -- pages -------------------------------------------------------------------------------------

def test_owner_pages_list_what_they_own_and_what_needs_them(plan_project: PlanProject):
    needs_for_head_of_sales(plan_project)
    site = build(plan_project)
    page = (site / "owners/head-of-sales.html").read_text(encoding="utf-8")
    assert "<h1>Head of Sales</h1>" in page
    assert 'href="../operations/ops.html"' in page and 'href="../operations/ops.html#T1"' in page
    assert "was due for review on" in page and "review-overdue" in page
    assert "2 items in the plan; 1 need" in page
    cfo = (site / "owners/cfo.html").read_text(encoding="utf-8")
    assert "is stale" in cfo and 'class="badge health-' in cfo  # the KPI with its health word and symbol
    assert not (site / "owners/alice.html").exists()  # Alice owns nothing now

    plan_project.edit("content/operations/ops.md", "    due: 2026-12-01\n", "    due: 2026-11-01\n")
    site = build(plan_project)
    page = (site / "owners/head-of-sales.html").read_text(encoding="utf-8")
    assert "2 items in the plan; 1 need, 1 item overdue" in page
    assert re.search(r'Past their due date.*?href="../operations/ops.html#T1".*?was due on '
                     r'<span class="date">2026-11-01</span>; status: doing', page, re.S)

    index = (site / "owners/index.html").read_text(encoding="utf-8")
    names = re.findall(r'<a class="owner" href="([^"]+)">([^<]+)</a>', index)
    assert ("../owners/head-of-sales.html", "Head of Sales") in names and ("../owners/cfo.html", "CFO") in names
    assert [n for _, n in names] == sorted((n for _, n in names), key=str.casefold)
    assert "First: " in index
    home = (site / "index.html").read_text(encoding="utf-8")
    assert 'href="owners/index.html"' in home  # in the navigation


def test_owner_names_on_item_pages_link_to_their_page(plan_project: PlanProject):
    site = build(plan_project)
    initiative = (site / "initiatives/I1.html").read_text(encoding="utf-8")
    assert '<a class="owner" href="../owners/coo.html">COO</a>' in initiative
    operation = (site / "operations/ops.html").read_text(encoding="utf-8")
    assert '<a class="owner" href="../owners/alice.html">Alice</a>' in operation  # a task's owner
    assert '<a class="owner" href="../owners/head-of-partnerships.html">' in operation
    index = (site / "kpis/index.html").read_text(encoding="utf-8")
    assert '<a class="owner" href="../owners/cfo.html">CFO</a>' in index


def test_owners_are_in_the_search_index(plan_project: PlanProject):
    site = build(plan_project)
    docs = json.loads((site / "search-index.json").read_text(encoding="utf-8"))["docs"]
    coo = [d for d in docs if d["kind"] == "owner" and d["title"] == "COO"]
    assert coo and coo[0]["href"] == "owners/coo.html" and "I1 Enter new markets" in coo[0]["text"]


def test_owners_whose_slugs_clash_do_not_overwrite_each_other(plan_project: PlanProject):
    plan_project.edit("content/operations/ops.md", "    owner: Alice\n", "    owner: Jane Doe\n")
    plan_project.edit("content/operations/ops.md", "    owner: Head of Partnerships\n", "    owner: Jane-Doe\n")
    plan_project.edit("content/kpis/K-OPS.md", "owner: Head of Partnerships", "owner: Index")
    assert plan_project.check().exit_code == 0
    site = build(plan_project)
    pages = sorted(p.name for p in (site / "owners").iterdir())
    assert len(pages) == len(set(p.lower() for p in pages))
    titles = {re.search(r"<h1>(.*?)</h1>", (site / "owners" / p).read_text(encoding="utf-8")).group(1)
              for p in pages}
    assert {"Jane Doe", "Jane-Doe", "Index", "Owners"} <= titles
    assert "<h1>Owners</h1>" in (site / "owners/index.html").read_text(encoding="utf-8")


def test_a_content_folder_on_the_owners_path_is_an_output_clash(plan_project: PlanProject):
    plan_project.write("stratdocs.yml", "title: Test plan\nas_of: 2026-11-15\nfolders: {owners: page}\n")
    plan_project.write("content/owners/coo.md", "---\ntitle: About our COO\n---\n")
    result = plan_project.check()
    assert result.exit_code == 1
    clash = [f for f in result.findings if f["code"] == "output-clash"]
    assert clash and "owners/coo.html" in clash[0]["message"], result.findings


def test_owner_names_are_escaped(plan_project: PlanProject):
    name = '<script>alert(1)</script> & "Eve"'
    plan_project.edit("content/initiatives/I1.md", "owner: COO", f"owner: '{name}'")
    site = build(plan_project)
    pages = list((site / "owners").glob("*.html"))
    text = "".join(p.read_text(encoding="utf-8") for p in pages)
    text += (site / "initiatives/I1.html").read_text(encoding="utf-8")
    assert "<script>alert(1)" not in text
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; &#34;Eve&#34;" in text
    assert (site / "owners/script-alert-1-script-eve.html").is_file()
    script = (site / "search-index.js").read_text(encoding="utf-8")
    assert "<script>" not in script


# -- check --owner -----------------------------------------------------------------------------

def test_check_owner_shows_only_that_owners_findings(plan_project: PlanProject):
    needs_for_head_of_sales(plan_project)
    everything = plan_project.check()
    assert {f["code"] for f in everything.findings} == {"review-overdue", "stale-kpi"}
    mine = plan_project.check("--owner", "HEAD OF sales")
    assert mine.exit_code == 0 and [f["code"] for f in mine.findings] == ["review-overdue"]
    assert mine.findings[0]["entity"] == "ops"
    text = plan_project.check("--owner", "Head of Sales", "--format", "text")
    assert text.lines == [l for l in text.lines if "[review-overdue]" in l] and len(text.lines) == 1
    assert "Head of Sales: 0 errors, 1 warning." in text.stderr
    github = plan_project.check("--owner", "CFO", "--format", "github")
    assert github.lines and all(l.startswith("::warning file=content/kpis/K-REV.md") for l in github.lines)
    assert plan_project.check("--owner", "CFO", "--strict").exit_code == 1
    assert plan_project.check("--owner", "COO", "--strict").exit_code == 0  # the others' warnings do not count
    assert plan_project.check("--owner", "COO").findings == []


def test_check_owner_counts_errors_in_owned_items(plan_project: PlanProject):
    plan_project.edit("content/initiatives/I1.md", "supports: [SO1]", "supports: [SO9]")
    assert plan_project.check("--owner", "COO").exit_code == 1
    assert plan_project.check("--owner", "CFO").exit_code == 0


def test_check_owner_with_an_unknown_name_is_a_usage_error(plan_project: PlanProject):
    near = plan_project.check("--owner", "Head of Sale", "--format", "text")
    assert near.exit_code == 2
    assert "no item in the plan has the owner 'Head of Sale'; did you mean 'Head of Sales'?" in near.stderr
    far = plan_project.check("--owner", "Zebulon")
    assert far.exit_code == 2 and "Owners page" in far.stderr and far.stdout == ""


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
def test_check_since_with_owner_reports_only_that_owners_changes(plan_project: PlanProject):
    root = plan_project.root
    subprocess.run(["git", "init", "-q"], cwd=root, env=GIT_ENV, check=True)
    for args in (("add", "-A"), ("commit", "-qm", "plan")):
        subprocess.run(["git", *args], cwd=root, env=GIT_ENV, check=True, capture_output=True)
    needs_for_head_of_sales(plan_project)
    report = json.loads(plan_project.run("check", "--since", "HEAD", "--format", "json",
                                         "--owner", "Head of Sales").stdout)
    assert [f["code"] for f in report["new"]] == ["review-overdue"]
    assert all(c["id"] in ("ops", "T1") for c in report["changes"])
    markdown = plan_project.run("check", "--since", "HEAD", "--format", "markdown", "--owner", "CFO")
    assert "**1 new finding** (1 warning)" in markdown.stdout and "(`stale-kpi`)" in markdown.stdout
    assert "review-overdue" not in markdown.stdout and "`ops`" not in markdown.stdout


# -- export ------------------------------------------------------------------------------------

def test_export_has_the_owners_summary(plan_project: PlanProject, tmp_path: Path):
    needs_for_head_of_sales(plan_project)
    data = plan_project.export()
    rows = {o["name"]: o for o in data["owners"]}
    assert rows["Head of Sales"] == {"name": "Head of Sales", "page": "owners/head-of-sales.html",
                                     "items": ["ops", "T1"], "needs": 1, "errors": 0, "warnings": 1}
    assert {e["owner"] for e in data["entities"] if e["id"] == "T1"} == {"head of  SALES"}
    from openpyxl import load_workbook

    out = tmp_path / "plan.xlsx"
    assert plan_project.run("export", "-o", str(out)).exit_code == 0
    sheet = load_workbook(out)["Owners"]
    values = [[c.value for c in row] for row in sheet.iter_rows()]
    assert values[0] == ["owner", "items", "needs", "errors", "warnings", "item ids"]
    assert ["Head of Sales", 2, 1, 0, 1, "ops;T1"] in values


# -- the example plan --------------------------------------------------------------------------

def test_the_example_plan_spells_each_owner_one_way_and_some_owner_has_work_waiting():
    from conftest import EXAMPLE_ROOT

    project = project_mod.load(EXAMPLE_ROOT)
    spellings: dict[str, set[str]] = {}
    for entity in project.plan:
        if entity.owner:
            spellings.setdefault(owners.owner_key(entity.owner), set()).add(entity.owner)
    assert {k: v for k, v in spellings.items() if len(v) > 1} == {}
    found = owners.collect(project.plan, project.findings, project.health_of)
    codes = {f.code for o in found for f in o.needs}
    assert {"stale-kpi", "review-overdue"} <= codes
    support = owners.find(found, "Head of Support")
    # a review's action they own flows in like any owned item's finding (issue 14)
    assert [f.code for f in support.needs] == ["action-overdue", "stale-kpi"]
    overdue = [e for e in project.plan if owners.owner_key(e.owner) == support.key and
               e.attrs.get("due") and e.attrs["due"] < project.as_of and e.active]
    assert overdue  # a task past its due date too: the owner page marks it overdue


def test_a_document_filter_by_owner_matches_as_owner_pages_do(plan_project: PlanProject):
    from stratdocs.render.views import Views
    from stratdocs.render.views.selection import select

    plan_project.edit("content/kpis/K-REV.md", "owner: CFO", "owner: Chief  Financial officer")
    views = Views(project_mod.load(plan_project.root))
    assert "K-REV" in select(views, {"owner": ("chief financial Officer",)})
    assert "K-REV" not in select(views, {"owner": ("COO",)})
