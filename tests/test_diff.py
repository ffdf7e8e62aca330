"""`stratdocs diff`: what changed in the plan between git revisions."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")

ENV = {**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.org", "GIT_COMMITTER_NAME": "t",
       "GIT_COMMITTER_EMAIL": "t@example.org"}


def sh(cwd: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(args, cwd=cwd, env=ENV, capture_output=True, text=True, check=True)


def stratdocs(cwd: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "stratdocs", *args], cwd=cwd, env=ENV, capture_output=True,
                          text=True)


@pytest.fixture()
def repo(tmp_path: Path) -> Path:
    """A git repository whose plan lives in a subfolder, with two commits."""
    project = tmp_path / "strategy"
    sh(tmp_path, "git", "init", "-q")
    assert stratdocs(tmp_path, "init", str(project)).returncode == 0
    sh(tmp_path, "git", "add", "-A")
    sh(tmp_path, "git", "commit", "-qm", "first plan")
    initiative = project / "content/initiatives/I1.md"
    initiative.write_text(initiative.read_text().replace("owner: Head of Partnerships", "owner: Jane Doe"))
    kpi = project / "content/kpis/K2.md"
    kpi.write_text(kpi.read_text().replace("drives: [K1]", "drives: []"))
    (project / "content/pages/about.md").unlink()
    (project / "content/objectives/SO2.md").write_text("---\ntitle: Keep customers\nperspective: customer\n"
                                                       "owner: COO\n---\n")
    sh(tmp_path, "git", "add", "-A")
    sh(tmp_path, "git", "commit", "-qm", "second plan")
    return project


def test_diff_between_two_commits_lists_each_change(repo: Path):
    done = stratdocs(repo, "diff", "HEAD~1", "HEAD", "--format", "json")
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    assert data["range"] == "HEAD~1..HEAD"
    changes = {(c["change"], c["id"]) for c in data["changes"]}
    assert changes == {("added", "SO2"), ("removed", "about"), ("retargeted", "K2"), ("owner", "I1")}
    owner = next(c for c in data["changes"] if c["change"] == "owner")
    assert (owner["before"], owner["after"]) == ("Head of Partnerships", "Jane Doe")


def test_diff_against_the_working_tree_in_text(repo: Path):
    (repo / "content/objectives/SO1.md").write_text(
        (repo / "content/objectives/SO1.md").read_text().replace("status: active", "status: done"))
    done = stratdocs(repo, "diff", "HEAD")
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == ["status     strategic objective SO1: active → done"]
    assert "HEAD..working tree" in done.stderr


def test_diff_refuses_an_unknown_revision_and_a_folder_outside_git(repo: Path, tmp_path: Path):
    done = stratdocs(repo, "diff", "no-such-rev")
    assert done.returncode == 2 and "not a revision" in done.stderr and "Traceback" not in done.stderr
    outside = tmp_path.parent / (tmp_path.name + "-nogit")
    outside.mkdir()
    (outside / "stratdocs.yml").write_text("title: Not in git\n")
    done = stratdocs(outside, "diff", "HEAD")
    assert done.returncode == 2 and "not in a git repository" in done.stderr


def test_pdf_changes_section_lists_what_changed_since_a_tag(repo: Path):
    pypdf = pytest.importorskip("pypdf")
    sh(repo, "git", "tag", "board-q3", "HEAD~1")
    (repo / "stratdocs.yml").write_text(
        "title: Our strategic plan\nas_of: 2026-11-15\ndocuments:\n"
        "  - id: pack\n    title: Board pack\n    changes_since: board-q3\n"
        "    sections: [cover, contents, changes, objectives]\n", encoding="utf-8")
    done = stratdocs(repo, "pdf", "pack")
    assert done.returncode == 0, done.stderr
    text = "\n".join(page.extract_text() for page in pypdf.PdfReader(str(repo / "site/pdf/pack.pdf")).pages)
    assert "Changes" in text and "board-q3" in text
    for expected in ("SO2", "Keep customers", "about", "Jane Doe", "Head of Partnerships"):
        assert expected in text, expected


def test_changes_section_needs_a_revision(repo: Path):
    (repo / "stratdocs.yml").write_text(
        "title: Plan\ndocuments:\n  - id: pack\n    sections: [cover, changes]\n", encoding="utf-8")
    done = stratdocs(repo, "check")
    assert done.returncode == 2
    assert "changes_since" in done.stderr


def test_diff_lists_targets_thresholds_actuals_from_csv_body_and_health(repo: Path):
    k1 = repo / "content/kpis/K1.md"
    text = k1.read_text()
    text = text.replace("{value: 2400, date: 2026-12-31}", "{value: 2500, date: 2026-12-31}")
    text = text.replace("actuals:\n  - {date: 2026-03-31, value: 2090}\n  - {date: 2026-06-30, value: 2190}\n",
                        "data: k1.csv\n")
    k1.write_text(text)
    (repo / "content/data").mkdir()
    (repo / "content/data/k1.csv").write_text("date,value,note\n2026-03-31,2090,\n2026-06-30,2150,restated\n"
                                              "2026-07-10,2050,\n")
    k2 = repo / "content/kpis/K2.md"
    k2.write_text(k2.read_text().replace("target: {value: 20, date: 2026-12-31}",
                                         "target: {value: 20, date: 2026-12-31}\nthresholds: {green: 8, amber: 5}"))
    so1 = repo / "content/objectives/SO1.md"
    so1.write_text(so1.read_text() + "\nA second paragraph.\n")
    done = stratdocs(repo, "diff", "HEAD", "--format", "json")
    assert done.returncode == 0, done.stderr
    changes = {(c["change"], c["id"]): c for c in json.loads(done.stdout)["changes"]}
    assert (changes["target", "K1"]["before"], changes["target", "K1"]["after"]) == (
        "2400 by 2026-12-31; 3000 by 2028-12-31", "2500 by 2026-12-31; 3000 by 2028-12-31")
    assert changes["actuals", "K1"]["detail"] == ("1 new: 2026-07-10 2050; 1 corrected: 2026-06-30 2190 → 2150 "
                                                  "(in content/data/k1.csv)")
    assert changes["actuals", "K1"]["after"] == "latest 2050 on 2026-07-10"
    assert (changes["thresholds", "K2"]["before"], changes["thresholds", "K2"]["after"]) == (
        "", "green ≥ 8, amber ≥ 5")
    assert changes["body", "SO1"]["detail"] == "1 line added"
    assert (changes["health", "K1"]["before"], changes["health", "K1"]["after"]) == ("green", "red")
    text_lines = stratdocs(repo, "diff", "HEAD").stdout.splitlines()
    assert "actuals    KPI K1: 1 new: 2026-07-10 2050; 1 corrected: 2026-06-30 2190 → 2150 (in content/data/k1.csv)" \
        in text_lines
    assert "thresholds KPI K2: — → green ≥ 8, amber ≥ 5" in text_lines
    assert "body       strategic objective SO1: 1 line added" in text_lines
    assert len(text_lines) == len(changes)  # text and json list the same changes


def test_body_changes_are_counted_not_shown():
    from stratdocs.diff import actuals_change, body_change
    from stratdocs.model import Point
    from datetime import date

    assert body_change("a\nb\nc\n", "a\nB\nc\nd\n\n") == "1 line changed, 1 added"
    assert body_change("a\n\nb\n", "a\nb   \n") == ""
    assert body_change("a\nb\nc\n", "") == "3 lines removed"
    points = tuple(Point(date(2026, m, 1), m) for m in range(1, 6))
    assert actuals_change(points[:1], points) == "4 new: 2026-02-01 2 … 2026-05-01 5"
    assert actuals_change(points, points[1:]) == "1 removed: 2026-01-01 1"
