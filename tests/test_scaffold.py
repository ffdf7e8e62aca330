"""`stratdocs init` and `stratdocs new`: what they write checks clean, and they never overwrite."""

from __future__ import annotations

import pytest

from conftest import PlanProject, run_module
from stratdocs.model import FOLDER_KINDS

KIND_FOLDERS = {kind: folder for folder, kind in FOLDER_KINDS.items()}


def errors_of(result) -> list[dict]:
    return [f for f in result.findings if f["severity"] == "error"]


def test_init_creates_a_project_that_checks_clean(tmp_path):
    runner = PlanProject(tmp_path, {})
    result = runner.run("init", "fresh")
    assert result.exit_code == 0, result.stderr
    target = tmp_path / "fresh"
    assert (target / "stratdocs.yml").is_file() and (target / "content" / "plan.md").is_file()
    check = PlanProject(target, {}).check()
    assert check.exit_code == 0
    assert errors_of(check) == []
    kinds = {e["kind"] for e in PlanProject(target, {}).export()["entities"]}
    assert {"plan", "objective", "initiative", "operation", "kpi", "task"} <= kinds


def test_init_through_the_entry_point_with_an_absolute_path(tmp_path):
    proc = run_module("init", str(tmp_path / "abs"))
    assert proc.returncode == 0, proc.stderr
    proc = run_module("-C", str(tmp_path / "abs"), "check", "--format", "json")
    assert proc.returncode == 0, proc.stderr
    assert '"severity": "error"' not in proc.stdout


def test_init_into_an_existing_empty_folder(tmp_path):
    (tmp_path / "empty").mkdir()
    assert PlanProject(tmp_path, {}).run("init", "empty").exit_code == 0
    assert (tmp_path / "empty" / "content" / "plan.md").is_file()


def test_init_refuses_an_existing_project(plan_project):
    before = {p: p.read_bytes() for p in plan_project.root.rglob("*") if p.is_file()}
    result = plan_project.run("init", ".")
    assert result.exit_code == 2
    assert "already exists" in result.stderr
    assert "Traceback" not in result.stderr
    after = {p: p.read_bytes() for p in plan_project.root.rglob("*") if p.is_file()}
    assert after == before  # nothing written, nothing overwritten


def test_init_refuses_a_single_clash_and_writes_nothing(tmp_path):
    (tmp_path / "half" / "content").mkdir(parents=True)
    (tmp_path / "half" / "content" / "plan.md").write_text("---\ntitle: Mine\n---\n")
    result = PlanProject(tmp_path, {}).run("init", "half")
    assert result.exit_code == 2
    assert "plan.md" in result.stderr
    assert sorted(p.name for p in (tmp_path / "half").rglob("*")) == ["content", "plan.md"]


def test_new_objective(plan_project):
    result = plan_project.run("new", "objective", "SO9", "--title", "X")
    assert result.exit_code == 0, result.stderr
    assert result.stdout.strip() == "content/objectives/SO9.md"
    assert plan_project.path("content/objectives/SO9.md").is_file()
    check = plan_project.check()
    assert check.exit_code == 0
    assert errors_of(check) == []
    assert {f["file"] for f in check.findings} == {"content/objectives/SO9.md"}
    entity = {e["id"]: e for e in plan_project.export()["entities"]}["SO9"]
    assert (entity["kind"], entity["title"], entity["period"]["label"]) == ("objective", "X", "2026 – 2028")


@pytest.mark.parametrize("kind", sorted(KIND_FOLDERS))
def test_new_of_every_kind_checks_without_errors(plan_project, kind):
    result = plan_project.run("new", kind, "N1", "--title", "New item")
    assert result.exit_code == 0, result.stderr
    assert result.stdout.strip() == f"content/{KIND_FOLDERS[kind]}/N1.md"
    check = plan_project.check()
    assert check.exit_code == 0, check.findings
    assert errors_of(check) == []
    entity = {e["id"]: e for e in plan_project.export()["entities"]}["N1"]
    assert (entity["kind"], entity["title"]) == (kind, "New item")


def test_new_title_defaults_to_the_id(plan_project):
    assert plan_project.run("new", "page", "glossary").exit_code == 0
    assert {e["id"]: e for e in plan_project.export()["entities"]}["glossary"]["title"] == "glossary"


@pytest.mark.parametrize("title", ['Grow: "fast" # now', "Käse & Brot \\ {x}", "NO", "1.10",
                                   "About {id} in {year}"])
def test_new_keeps_the_title_exactly(plan_project, title):
    assert plan_project.run("new", "page", "P9", "--title", title).exit_code == 0
    assert errors_of(plan_project.check()) == []
    assert {e["id"]: e for e in plan_project.export()["entities"]}["P9"]["title"] == title


@pytest.mark.parametrize("taken, holder", [("SO1", "content/objectives/SO1.md:1"),
                                           ("so1", "content/objectives/SO1.md:1"),
                                           ("t1", "content/operations/ops.md:13")])
def test_new_refuses_an_id_in_use_in_any_case(plan_project, taken, holder):
    result = plan_project.run("new", "kpi", taken, "--title", "Clash")
    assert result.exit_code == 2
    assert f"is already used by {holder}" in result.stderr
    assert not plan_project.path(f"content/kpis/{taken}.md").exists()


def test_new_refuses_to_overwrite_a_file(plan_project):
    plan_project.write("content/pages/draft.md", "---\nid: other\ntitle: Draft\n---\n")
    result = plan_project.run("new", "page", "draft")
    assert result.exit_code == 2
    assert "already exists" in result.stderr
    assert "id: other" in plan_project.read("content/pages/draft.md")


@pytest.mark.parametrize("args, fragment", [(["thing", "X1"], "unknown kind 'thing'"),
                                            (["page", "bad id"], "not a valid id"),
                                            (["page", "-x"], "")])
def test_new_bad_usage_exits_2(plan_project, args, fragment):
    result = plan_project.run("new", *args)
    assert result.exit_code == 2
    assert fragment in result.stderr


def test_new_in_a_project_folder_given_with_dash_c(plan_project, tmp_path):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    proc = run_module("-C", str(plan_project.root), "new", "initiative", "I9", cwd=elsewhere)
    assert proc.returncode == 0, proc.stderr
    assert (plan_project.root / "content" / "initiatives" / "I9.md").is_file()
    assert not any(elsewhere.iterdir())
