"""`repo_url` and `edit_uri` (MkDocs names): "Edit this page" links to the forge's web editor,
for GitHub, GitLab and Gitea/Forgejo URL shapes, and for a project in a subfolder of its repository."""

from __future__ import annotations

import os
import re
import subprocess

import pytest

from stratdocs import config

CONFIG = "title: Test plan\nas_of: 2026-11-15\n"
SO1 = "content/objectives/SO1.md"


def edit_base(plan_project, extra: str) -> str:
    plan_project.write("stratdocs.yml", CONFIG + extra)
    return config.load(plan_project.root).edit_base


@pytest.mark.parametrize("extra, base", [
    ("repo_url: https://github.com/org/plan\n", "https://github.com/org/plan/edit/main/"),
    ("repo_url: https://github.com/org/plan/\n", "https://github.com/org/plan/edit/main/"),
    ("repo_url: https://gitlab.com/group/sub/plan.git\n", "https://gitlab.com/group/sub/plan/-/edit/main/"),
    ("repo_url: https://codeberg.org/org/plan\n", "https://codeberg.org/org/plan/_edit/main/"),
    ("repo_url: https://gitea.example.org/org/plan\n", "https://gitea.example.org/org/plan/_edit/main/"),
    ("repo_url: https://forgejo.example.org/org/plan\n", "https://forgejo.example.org/org/plan/_edit/main/"),
    ("repo_url: https://github.com/org/plan\nedit_uri: edit/develop\n", "https://github.com/org/plan/edit/develop/"),
    ("repo_url: https://gitlab.example.com/org/plan\nedit_uri: /org/plan/-/edit/trunk/\n",
     "https://gitlab.example.com/org/plan/-/edit/trunk/"),
    ("edit_uri: https://edit.example.org/plan/\n", "https://edit.example.org/plan/"),
    ("repo_url: https://git.example.org/org/plan\n", ""),        # an unknown forge: no default
    ("repo_url: https://github.com/org/plan\nedit_uri: ''\n", ""),  # '' turns edit links off
    ("repo_url: https://github.com/org/plan\nedit_uri:\n", ""),
    ("", ""),
])
def test_edit_base_by_forge(plan_project, extra, base):
    assert edit_base(plan_project, extra) == base


@pytest.mark.parametrize("extra, line, words", [
    ("repo_url: ftp://example.org/plan\n", 3, "'repo_url' must be an http(s) URL"),
    ("repo_url: javascript:alert(1)\n", 3, "'repo_url' must be an http(s) URL"),
    ("repo_url: github.com/org/plan\n", 3, "'repo_url' must be an http(s) URL"),
    ("repo_url: https://github.com/org/plan\nedit_uri: javascript:alert(1)//\n", 4, "'edit_uri' must be"),
    ("repo_url: https://github.com/org/plan\nedit_uri: //evil.example.org/\n", 4, "'edit_uri' must be"),
    ("edit_uri: edit/main/\n", 3, "'edit_uri' is relative to 'repo_url'"),
])
def test_bad_urls_are_config_errors_with_their_line(plan_project, extra, line, words):
    plan_project.write("stratdocs.yml", CONFIG + extra)
    result = plan_project.run("check")
    assert result.exit_code == 2
    assert f"stratdocs.yml:{line}:" in result.stderr and words in result.stderr


def edit_links(html: str) -> list[str]:
    return re.findall(r'<a class="edit-link" href="([^"]+)" rel="noopener">Edit this page</a>', html)


def test_entity_pages_link_to_the_forge_editor(plan_project):
    plan_project.write("stratdocs.yml", CONFIG + "repo_url: https://github.com/org/plan\n")
    assert plan_project.run("build", "--no-pdf").exit_code == 0
    site = plan_project.root / "site"
    assert edit_links((site / "objectives/SO1.html").read_text()) == [
        "https://github.com/org/plan/edit/main/content/objectives/SO1.md"]
    assert edit_links((site / "operations/ops.html").read_text()) == [
        "https://github.com/org/plan/edit/main/content/operations/ops.md"]


def test_no_edit_link_without_config(plan_project):
    assert plan_project.run("build", "--no-pdf").exit_code == 0
    html = (plan_project.root / "site/objectives/SO1.html").read_text()
    assert "Edit this page" not in html


def test_a_project_in_a_repository_subfolder_links_the_path_from_the_repository_root(tmp_path, make_project):
    repo = tmp_path / "repo"
    repo.mkdir()
    subprocess.run(["git", "init", "-q", str(repo)], check=True)
    from conftest import VALID_PLAN, PlanProject

    project = PlanProject(repo / "strategy" / "plan", VALID_PLAN)
    project.write("stratdocs.yml", CONFIG + "repo_url: https://gitlab.com/org/handbook\n"
                                            "edit_uri: -/edit/trunk/\n")
    assert project.run("build", "--no-pdf").exit_code == 0
    html = (project.root / "site/objectives/SO1.html").read_text()
    assert edit_links(html) == ["https://gitlab.com/org/handbook/-/edit/trunk/strategy/plan/content/objectives/SO1.md"]
    # history and uncommitted files are found by their project-relative paths there too
    env = {"GIT_AUTHOR_NAME": "Ann", "GIT_AUTHOR_EMAIL": "a@example.org", "GIT_COMMITTER_NAME": "Ann",
           "GIT_COMMITTER_EMAIL": "a@example.org", "GIT_AUTHOR_DATE": "2026-10-01T12:00:00+00:00",
           "GIT_COMMITTER_DATE": "2026-10-01T12:00:00+00:00", "PATH": os.environ["PATH"]}
    subprocess.run(["git", "-C", str(repo), "add", "strategy/plan/content"], check=True, env=env)
    subprocess.run(["git", "-C", str(repo), "-c", "commit.gpgsign=false", "commit", "-qm", "plan"], check=True, env=env)
    project.edit("content/initiatives/I1.md", "The programme.", "The programme, revised.")
    assert project.run("build", "--no-pdf").exit_code == 0
    site = project.root / "site"
    assert "Last changed 2026-10-01 by Ann</p>" in (site / "objectives/SO1.html").read_text()
    assert "Last changed 2026-10-01 by Ann, with changes not yet committed" in (site / "initiatives/I1.html").read_text()


def test_file_names_are_percent_encoded(plan_project):
    plan_project.write("stratdocs.yml", CONFIG + "repo_url: https://github.com/org/plan\n")
    text = plan_project.read(SO1)
    plan_project.remove(SO1)
    plan_project.write("content/objectives/SO1 grow & win.md", "---\nid: SO1\n" + text.split("---\n", 1)[1])
    assert plan_project.run("build", "--no-pdf").exit_code == 0
    pages = list((plan_project.root / "site/objectives").glob("*.html"))
    links = [link for page in pages for link in edit_links(page.read_text())]
    assert "https://github.com/org/plan/edit/main/content/objectives/SO1%20grow%20%26%20win.md" in links
