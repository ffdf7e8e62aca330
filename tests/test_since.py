"""`stratdocs check --since REV`: what a change does to the plan, through the real CLI."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from conftest import PlanProject
from stratdocs.findings import warning
from stratdocs.since import finding_key, match

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")

GIT_ENV = {**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.org", "GIT_COMMITTER_NAME": "t",
           "GIT_COMMITTER_EMAIL": "t@example.org", "GIT_CONFIG_NOSYSTEM": "1", "GIT_CONFIG_GLOBAL": os.devnull}

#: An initiative that serves nothing: one `orphan` warning, on the plan at the base revision.
ORPHAN = "---\ntitle: Side project\nowner: CTO\n---\n\nNobody asked for it.\n"


def commit(root: Path, message: str = "plan") -> None:
    for args in (("add", "-A"), ("commit", "-qm", message)):
        subprocess.run(["git", *args], cwd=root, env=GIT_ENV, check=True, capture_output=True)


@pytest.fixture
def repo(plan_project: PlanProject) -> PlanProject:
    """The valid plan with one old warning (an orphan initiative), committed to a git repository."""
    subprocess.run(["git", "init", "-q"], cwd=plan_project.root, env=GIT_ENV, check=True)
    plan_project.write("content/initiatives/I2.md", ORPHAN)
    commit(plan_project.root)
    return plan_project


def since(project: PlanProject, *args: str, fmt: str = "json"):
    return project.run("check", "--since", "HEAD", "--format", fmt, *args)


def test_a_finding_that_only_moved_is_neither_new_nor_fixed(repo: PlanProject):
    repo.edit("content/initiatives/I2.md", "title: Side project", "# a comment\n\n\ntitle: Side project")
    result = since(repo)
    data = json.loads(result.stdout)
    assert result.exit_code == 0, result.stderr
    assert data["counts"] == {"new": 0, "new_errors": 0, "new_warnings": 0, "fixed": 0, "unchanged": 1,
                              "health": 0, "changes": 0}
    assert data["since"] == "HEAD" and data["failed"] is False and data["base_problem"] is None


def test_line_numbers_inside_messages_do_not_count():
    at_12 = warning("content/a.md", 3, 1, "orphan", "id 'X' is already used by content/b.md:12; rename one", "X")
    at_15 = warning("content/a.md", 9, 1, "orphan", "id 'X' is already used by content/b.md:15; rename one", "X")
    assert finding_key(at_12) == finding_key(at_15)
    other = warning("content/a.md", 3, 1, "orphan", "id 'Y' is already used by content/b.md:12; rename one", "Y")
    assert match((at_12, at_12), (at_15, other, at_15, at_15)) == ([other, at_15], [], [at_15, at_15])


def test_new_and_fixed_findings_and_the_plan_changes(repo: PlanProject):
    repo.edit("content/initiatives/I2.md", "owner: CTO", "owner: CTO\nsupports: [SO1]")   # fixes the orphan
    repo.write("content/initiatives/I3.md", "---\ntitle: Another one\nowner: CFO\n---\n\nSee [[SO9]].\n")
    result = since(repo)
    assert result.exit_code == 1, result.stderr  # the change brings an error
    data = json.loads(result.stdout)
    assert [(f["code"], f["entity"]) for f in data["new"]] == [("orphan", "I3"), ("broken-ref", "I3")]
    assert [(f["code"], f["entity"], f["file"]) for f in data["fixed"]] == [
        ("orphan", "I2", "content/initiatives/I2.md")]
    assert {(c["change"], c["id"]) for c in data["changes"]} == {("added", "I3"), ("retargeted", "I2")}
    assert data["counts"]["new_errors"] == 1 and data["failed"] is True
    text = since(repo, fmt="text")
    assert text.lines[0] == "New findings:"
    assert "  content/initiatives/I3.md:6:5: error: [[…]] link names 'SO9', which does not exist; did you mean " \
           "'SO1'? [broken-ref]" in text.lines
    assert "Fixed findings (as they were at HEAD):" in text.lines
    assert "  added      initiative I3: Another one" in text.lines
    assert "Since HEAD: 2 new findings (1 error, 1 warning), 1 fixed, 0 health changes, 2 plan changes; " \
           "0 older findings unchanged." in text.stderr


def test_old_warnings_do_not_fail_a_strict_check_since_but_new_ones_do(repo: PlanProject):
    repo.edit("content/objectives/SO1.md", "owner: CEO", "owner: Chief Executive")
    assert repo.check("--strict").exit_code == 1                      # plain check: the old orphan fails
    assert since(repo, "--strict").exit_code == 0                      # it is not the change's
    assert since(repo, "--strict", "--fail-on", "any").exit_code == 1  # unless any finding counts
    assert since(repo, "--fail-on", "any").exit_code == 0              # (warnings fail only with --strict)
    repo.write("content/initiatives/I3.md", ORPHAN.replace("Side", "Other"))
    assert since(repo).exit_code == 0 and since(repo, "--strict").exit_code == 1


def test_health_changes_and_new_actuals(repo: PlanProject):
    repo.edit("content/kpis/K-REV.md", "  - {date: 2026-10-31, value: 19}",
              "  - {date: 2026-10-31, value: 19}\n  - {date: 2026-11-10, value: 12}")
    data = json.loads(since(repo).stdout)
    assert [(c["id"], c["before"], c["after"]) for c in data["health"]] == [
        ("K-REV", "green", "red"), ("SO1", "green", "red")]
    actuals = next(c for c in data["changes"] if c["change"] == "actuals")
    assert actuals["detail"] == "1 new: 2026-11-10 12" and actuals["title"] == "Revenue"
    # SO1 is red, but I1 works on it: not red-unaddressed; the red K-REV has no commentary on its new figure.
    assert [(f["code"], f["entity"]) for f in data["new"]] == [("stale-commentary", "K-REV")]


def test_markdown_when_nothing_changed(repo: PlanProject):
    result = since(repo, fmt="markdown")
    assert result.exit_code == 0
    assert result.stdout == (
        "### What this change does to the plan — ✅ passes\n\n"
        "Nothing changed in the plan's findings, health or items since `HEAD` (1 older finding unchanged).\n")


def test_markdown_report_of_a_change(repo: PlanProject):
    repo.edit("content/initiatives/I1.md", "owner: COO", "owner: Jane | Doe")
    repo.write("content/initiatives/I3.md", ORPHAN.replace("Side project", "A <b>bold</b> idea"))
    result = since(repo, "--strict", fmt="markdown")
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert lines[0] == "### What this change does to the plan — ❌ fails"
    assert "The check fails on the errors and warnings this change introduces." in lines
    assert ("Compared with `HEAD`: **1 new finding** (1 warning) · **0 fixed** · 0 health changes · "
            "2 plan changes · 1 older finding unchanged.") in lines
    assert "| ⚠️ warning | `content/initiatives/I3.md:2` | initiative 'I3' serves no strategic objective; " \
           "link it with 'supports:' (`orphan`) |" in lines
    assert "| added | initiative `I3` | A \\<b\\>bold\\</b\\> idea |" in lines
    assert "| owner | initiative `I1` · Enter new markets | COO → Jane \\| Doe |" in lines
    assert "#### Fixed findings" not in result.stdout and "#### Health changes" not in result.stdout


def test_github_annotates_only_new_findings_from_the_repository_root(tmp_path: Path):
    project = PlanProject(tmp_path / "repo" / "strategy")
    subprocess.run(["git", "init", "-q"], cwd=tmp_path / "repo", env=GIT_ENV, check=True)
    project.write("content/initiatives/I2.md", ORPHAN)
    commit(tmp_path / "repo")
    project.write("content/initiatives/I3.md", ORPHAN)
    result = since(project, fmt="github")
    assert result.exit_code == 0
    assert result.lines == ["::warning file=strategy/content/initiatives/I3.md,line=2,col=1,title=orphan::"
                            "initiative 'I3' serves no strategic objective; link it with 'supports:'"]


def test_usage_errors(repo: PlanProject, tmp_path: Path):
    bad = repo.run("check", "--since", "no-such-branch")
    assert bad.exit_code == 2 and "'no-such-branch' is not a revision of this repository" in bad.stderr
    assert repo.run("check", "--fail-on", "new").exit_code == 2
    assert "--format markdown needs --since REV" in repo.run("check", "--format", "markdown").stderr
    outside = PlanProject(tmp_path / "outside-git")
    done = outside.run("check", "--since", "HEAD")
    assert done.exit_code == 2 and "not in a git repository" in done.stderr


def test_a_bad_config_at_the_revision_is_a_note_and_one_now_is_exit_2(repo: PlanProject):
    config = repo.read("stratdocs.yml")
    repo.write("stratdocs.yml", config + "paper: tabloid\n")
    commit(repo.root, "a bad config")
    repo.write("stratdocs.yml", config)
    result = since(repo, fmt="markdown")
    assert result.exit_code == 0, result.stderr
    assert "the configuration at HEAD is invalid" in result.stderr and "**Note:**" in result.stdout
    assert "**1 new finding** (1 warning)" in result.stdout  # without a base, the old orphan is new
    repo.remove("content/initiatives/I2.md")
    result = since(repo, fmt="markdown")
    assert "Nothing changed" not in result.stdout and "**0 new findings**" in result.stdout
    repo.write("content/initiatives/I2.md", ORPHAN)
    repo.write("stratdocs.yml", config + "paper: tabloid\n")
    text = since(repo, fmt="text")
    assert text.exit_code == 2 and "stratdocs.yml:" in text.stderr and "paper" in text.stderr
    data = since(repo)
    assert data.exit_code == 2 and json.loads(data.stdout)[0]["code"] == "config"


def test_a_plan_that_did_not_exist_at_the_revision(tmp_path: Path):
    top = tmp_path / "repo"
    top.mkdir()
    subprocess.run(["git", "init", "-q"], cwd=top, env=GIT_ENV, check=True)
    (top / "README.md").write_text("hello\n")
    commit(top)
    project = PlanProject(top / "plan")
    result = since(project)
    assert result.exit_code == 0, result.stderr
    assert "the plan did not exist at HEAD" in result.stderr
    assert json.loads(result.stdout)["base_problem"].startswith("the plan did not exist at HEAD")


def test_a_document_with_changes_since_does_not_stop_the_comparison(repo: PlanProject):
    subprocess.run(["git", "tag", "q3"], cwd=repo.root, env=GIT_ENV, check=True)
    repo.write("stratdocs.yml", repo.read("stratdocs.yml") + "documents:\n  - id: pack\n    changes_since: q3\n"
               "    sections: [cover, changes, objectives]\n")
    commit(repo.root, "a board pack")
    result = since(repo)
    data = json.loads(result.stdout)
    assert result.exit_code == 0 and data["base_problem"] is None and data["counts"]["unchanged"] == 1
