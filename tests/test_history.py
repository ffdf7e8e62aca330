"""Git history on pages ("Last changed DATE by AUTHOR"), the plan's last change on PDF covers,
and the commit stamp of a working tree with uncommitted changes."""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path

import pytest

from stratdocs import git, pipeline
from stratdocs.render.pdf import document_html, document_views
from stratdocs.render.environment import make_environment

SO1 = "content/objectives/SO1.md"


def sh_git(root: Path, *args: str, author: str = "Ann Archer", day: str = "2026-10-01") -> None:
    """Run git with a fixed identity and dates, so commits are the same on every run."""
    stamp = f"{day}T12:00:00+00:00"
    env = {**os.environ, "GIT_AUTHOR_NAME": author, "GIT_AUTHOR_EMAIL": "a@example.org",
           "GIT_COMMITTER_NAME": author, "GIT_COMMITTER_EMAIL": "a@example.org",
           "GIT_AUTHOR_DATE": stamp, "GIT_COMMITTER_DATE": stamp}
    subprocess.run(["git", "-C", str(root), "-c", "commit.gpgsign=false", *args], check=True, env=env,
                   capture_output=True)


@pytest.fixture
def history_project(plan_project):
    """The valid plan in a git repository: everything by Ann on 2026-10-01, then SO1 by Bob on 2026-11-02."""
    root = plan_project.root
    plan_project.write(".gitignore", "site/\n")
    sh_git(root, "init", "-q", "-b", "main")
    sh_git(root, "add", "-A")
    sh_git(root, "commit", "-q", "-m", "first")
    plan_project.edit(SO1, "Why growth matters.", "Why growth matters to us.")
    sh_git(root, "commit", "-q", "-am", "second", author="Bob Baker", day="2026-11-02")
    return plan_project


def last_change(html: str) -> str:
    found = re.findall(r'<p class="last-change muted">(.*?)</p>', html)
    return found[0] if found else ""


def test_history_comes_from_one_git_log_pass(history_project):
    changes = git.history(history_project.root, "content")
    assert changes[SO1] == git.Change("2026-11-02", "Bob Baker", changes[SO1].commit)
    assert changes["content/initiatives/I1.md"].author == "Ann Archer"
    assert changes["content/initiatives/I1.md"].date == "2026-10-01"
    assert "stratdocs.yml" not in changes  # only the folder asked about


def test_one_git_process_for_all_files_whatever_their_number(history_project, monkeypatch):
    for number in range(30):
        history_project.write(f"content/pages/p{number}.md", f"---\ntitle: Page {number}\n---\n")
    sh_git(history_project.root, "add", "-A")
    sh_git(history_project.root, "commit", "-q", "-m", "pages")
    calls: list[tuple[str, ...]] = []
    real = subprocess.run

    def counting(args, *rest, **kwargs):
        calls.append(tuple(args))
        return real(args, *rest, **kwargs)

    monkeypatch.setattr(git.subprocess, "run", counting)
    checked = pipeline.check(history_project.root, probe=False)
    calls.clear()
    project = pipeline.with_checkout(checked)
    assert len(project.checkout.history) >= 36
    assert sum(1 for c in calls if "log" in c) == 1
    assert len(calls) <= 5  # rev-parse, status, prefix, log (and status of content when dirty)


def test_pages_say_when_and_by_whom_their_file_last_changed(history_project):
    assert history_project.run("build", "--no-pdf").exit_code == 0
    site = history_project.root / "site"
    assert last_change((site / "objectives/SO1.html").read_text()) == "Last changed 2026-11-02 by Bob Baker"
    assert last_change((site / "initiatives/I1.html").read_text()) == "Last changed 2026-10-01 by Ann Archer"
    footer = (site / "index.html").read_text()
    assert re.search(r"commit <code>[0-9a-f]{12}</code></footer>", footer)


def test_new_and_changed_files_say_so(history_project):
    history_project.write("content/pages/new.md", "---\ntitle: New page\n---\n")
    history_project.edit("content/initiatives/I1.md", "The programme.", "The programme, revised.")
    assert history_project.run("build", "--no-pdf").exit_code == 0
    site = history_project.root / "site"
    assert last_change((site / "pages/new.html").read_text()) == "Not yet committed"
    assert last_change((site / "initiatives/I1.html").read_text()) == \
        "Last changed 2026-10-01 by Ann Archer, with changes not yet committed"


def test_outside_git_there_is_no_history_and_no_commit(plan_project):
    assert plan_project.run("build", "--no-pdf").exit_code == 0
    html = (plan_project.root / "site/objectives/SO1.html").read_text()
    assert last_change(html) == "" and "commit" not in html.split('<footer class="site-footer">')[1]
    assert git.commit(plan_project.root) == "" and git.history(plan_project.root, "content") == {}


def test_a_dirty_tree_is_stamped_as_such(history_project):
    root = history_project.root
    clean = git.commit(root)
    assert re.fullmatch(r"[0-9a-f]{12}", clean)
    (root / "site").mkdir()
    (root / "notes.txt").write_text("not an input")
    inputs = ("stratdocs.yml", "content")
    assert git.commit(root, inputs) == clean  # untracked files outside the inputs do not count
    history_project.edit(SO1, "to us.", "to all of us.")
    assert git.commit(root, inputs) == clean + "+dirty"
    assert history_project.run("build", "--no-pdf").exit_code == 0
    footer = (root / "site/index.html").read_text().split('<footer class="site-footer">')[1]
    assert f"built from commit <code>{clean}</code> with uncommitted changes" in footer


def test_builds_in_git_are_reproducible(history_project, tmp_path):
    root = history_project.root
    history_project.edit(SO1, "to us.", "to all of us.")  # dirty, too
    pipeline.build(root, tmp_path / "one", pdf=False, use_cache=False)
    pipeline.build(root, tmp_path / "two", pdf=False, use_cache=False)
    files = sorted(p.relative_to(tmp_path / "one") for p in (tmp_path / "one").rglob("*") if p.is_file())
    for rel in files:
        assert (tmp_path / "one" / rel).read_bytes() == (tmp_path / "two" / rel).read_bytes(), rel


def test_the_pdf_cover_says_when_the_plan_last_changed(history_project):
    checked = pipeline.check(history_project.root, probe=False)
    project = pipeline.with_checkout(checked)
    views = document_views(project, project.checkout.commit)
    html = document_html(project, views, project.config.documents[0], make_environment(checked.theme),
                         checked.theme)
    assert '<th scope="row">Plan last changed</th><td>2026-11-02</td>' in html
    assert f"<code>{project.checkout.commit}</code></td>" in html
    history_project.edit(SO1, "to us.", "to all of us.")
    project = pipeline.with_checkout(pipeline.check(history_project.root, probe=False))
    html = document_html(project, document_views(project, project.checkout.commit),
                         project.config.documents[0], make_environment(checked.theme), checked.theme)
    assert "2026-11-02, with changes not yet committed" in html
    assert f"<code>{project.checkout.head}</code> with uncommitted changes" in html
