"""Suspect links: a change to a parent's meaning makes what serves or measures it suspect until
`stratdocs review` re-confirms it in stratdocs.lock, through the real CLI in a git repository."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from stratdocs import project as project_mod, suspect
from stratdocs.model import Entity, Kpi, Period, Point, Thresholds
from stratdocs.pipeline import build
from stratdocs.serve.session import Session

K_REV = "content/kpis/K-REV.md"
K_OPS = "content/kpis/K-OPS.md"
SO1 = "content/objectives/SO1.md"


def git(root: Path, *args: str) -> str:
    env = {**os.environ, "GIT_AUTHOR_NAME": "Ann", "GIT_AUTHOR_EMAIL": "a@example.org",
           "GIT_COMMITTER_NAME": "Ann", "GIT_COMMITTER_EMAIL": "a@example.org"}
    done = subprocess.run(["git", "-C", str(root), "-c", "commit.gpgsign=false", *args], check=True, env=env,
                          capture_output=True, text=True)
    return done.stdout


@pytest.fixture
def reviewed(plan_project):
    """The valid plan in git with a first baseline recorded and committed."""
    plan_project.write(".gitignore", "site/\n")
    git(plan_project.root, "init", "-q", "-b", "main")
    result = plan_project.run("review", "--all", "--by", "Jane Doe")
    assert result.exit_code == 0, result.stderr
    git(plan_project.root, "add", "-A")
    git(plan_project.root, "commit", "-q", "-m", "baseline")
    return plan_project


def suspects(project) -> list[dict]:
    result = project.check()
    return [f for f in result.findings if f["code"] == "suspect"]


def test_fingerprints_are_short_and_the_same_on_every_python_and_hash_seed():
    entity = Entity("K1", "kpi", "Revenue  growth", "content/kpis/K1.md", 1, body="Grow\n\nrevenue.  ",
                    kpi=Kpi(targets=(Point(date(2026, 12, 31), 20.0),), thresholds=Thresholds(8, 5)),
                    attrs={"period": Period(date(2026, 1, 1), date(2026, 12, 31), "2026")})
    expected = suspect.fingerprint(entity)
    assert expected == "06712997"  # a change here makes every plan's links suspect: keep it stable
    code = ("from datetime import date; from stratdocs import suspect; from stratdocs.model import *; "
            "e = Entity('K1', 'kpi', 'Revenue growth', 'x.md', 1, body='Grow revenue.', "
            "kpi=Kpi(targets=(Point(date(2026, 12, 31), 20),), thresholds=Thresholds(8.0, 5.0)), "
            "attrs={'period': Period(date(2026, 1, 1), date(2026, 12, 31), '2026-01-01/2026-12-31')}); "
            "print(suspect.fingerprint(e))")
    for seed in ("0", "1", "12345"):
        out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                             env={**os.environ, "PYTHONHASHSEED": seed}).stdout.strip()
        assert out == expected  # white space, int vs float and the period's label do not count


def test_without_a_lock_nothing_is_suspect(plan_project):
    plan_project.edit(K_REV, "target: {value: 20, date: 2026-12-31}", "target: {value: 25, date: 2026-12-31}")
    assert suspects(plan_project) == []


def test_reviewing_single_items_needs_a_baseline_first(plan_project):
    result = plan_project.run("review", "K-OPS", "--by", "Ann")
    assert result.exit_code == 2 and "stratdocs review --all" in result.stderr
    assert not (plan_project.root / "stratdocs.lock").exists()


def test_the_lifecycle_baseline_change_warn_review(reviewed):
    root = reviewed.root
    lock = reviewed.read("stratdocs.lock")
    assert "K-REV <- K-OPS: " in lock and "# reviewed " in lock and " by Jane Doe" in lock
    assert suspects(reviewed) == []
    reviewed.edit(K_REV, "target: {value: 20, date: 2026-12-31}", "target: {value: 25, date: 2026-12-31}")
    found = suspects(reviewed)
    assert [(f["file"], f["line"], f["entity"]) for f in found] == [(K_OPS, 4, "K-OPS")]
    assert "'K-REV', which it drives, changed since the link was reviewed" in found[0]["message"]
    assert "stratdocs review K-OPS" in found[0]["message"]
    text = reviewed.check("--format", "text")
    assert f"{K_OPS}:4:10: warning: KPI 'K-OPS' is suspect" in text.stdout
    # the page shows a badge, the alignment report lists it under its failure mode
    assert reviewed.run("build", "--no-pdf").exit_code == 0
    assert 'class="tag suspect"' in (root / "site/kpis/K-OPS.html").read_text()
    assert 'class="tag suspect"' not in (root / "site/kpis/K-REV.html").read_text()
    alignment = (root / "site/alignment.html").read_text()
    assert "Changes nobody re-confirmed" in alignment and "K-OPS" in alignment
    # review clears it, and the lock's diff is that one line
    result = reviewed.run("review", "K-OPS", "--by", "Bob Baker")
    assert result.exit_code == 0 and "Re-confirmed K-OPS against K-REV" in result.stderr
    assert suspects(reviewed) == []
    diff = [line for line in git(root, "diff", "-U0", "--", "stratdocs.lock").splitlines()
            if line[:1] in "+-" and not line.startswith(("+++", "---"))]
    assert len(diff) == 2
    assert diff[0].startswith("-K-REV <- K-OPS: ") and "by Jane Doe" in diff[0]
    new = suspect.fingerprint(project_mod.load(root).plan.get("K-REV"))
    assert diff[1].startswith(f"+K-REV <- K-OPS: {new}  # reviewed ") and diff[1].endswith(" by Bob Baker")


def test_reviewing_what_is_current_changes_nothing(reviewed):
    before = reviewed.read("stratdocs.lock")
    result = reviewed.run("review", "K-OPS", "--by", "Bob")
    assert result.exit_code == 0 and "K-OPS: nothing to re-confirm" in result.stderr
    assert reviewed.read("stratdocs.lock") == before


def test_a_parent_change_reaches_every_kind_of_child(reviewed):
    reviewed.edit(SO1, "title: Grow revenue", "title: Grow recurring revenue")
    assert {f["entity"] for f in suspects(reviewed)} == {"I1", "K-REV"}  # supports, measures
    reviewed.edit("content/operations/ops.md", "title: Sign ten partners", "title: Sign twelve partners")
    assert {f["entity"] for f in suspects(reviewed)} == {"I1", "K-REV", "T1", "K-OPS"}  # nested supports, kpis


def test_white_space_in_the_body_does_not_make_suspect(reviewed):
    reviewed.edit(SO1, "Why growth matters.", "Why   growth\nmatters.   \n\n")
    reviewed.edit(SO1, "title: Grow revenue", "title:   Grow revenue  ")
    assert suspects(reviewed) == []
    reviewed.edit(SO1, "Why   growth\nmatters.", "Why growth no longer matters.")
    assert {f["entity"] for f in suspects(reviewed)} == {"I1", "K-REV"}


def test_a_waiver_and_the_checks_switch(reviewed):
    reviewed.edit(K_REV, "target: {value: 20, date: 2026-12-31}", "target: {value: 25, date: 2026-12-31}")
    reviewed.edit(K_OPS, "owner: Head of Partnerships", "owner: Head of Partnerships\nwaive: {suspect: the "
                  "partner target is set by the board}")
    assert suspects(reviewed) == []
    waivers = reviewed.export()["waivers"]
    assert any(w.get("code") == "suspect" for w in waivers), waivers
    reviewed.edit(K_OPS, "waive: {suspect: the partner target is set by the board}", "")
    assert len(suspects(reviewed)) == 1
    reviewed.write("stratdocs.yml", "title: Test plan\nas_of: 2026-11-15\nchecks:\n  suspect: false\n")
    assert suspects(reviewed) == []


def test_a_new_link_after_the_baseline_needs_a_review(reviewed):
    reviewed.write("content/kpis/K-NEW.md", "---\ntitle: New KPI\nlevel: strategic\nmeasures: [SO1]\n"
                                            "owner: CFO\nactuals:\n  - {date: 2026-11-01, value: 1}\n"
                                            "baseline: {value: 0, date: 2025-12-31}\n"
                                            "target: {value: 2, date: 2026-12-31}\n---\n")
    found = suspects(reviewed)
    assert [(f["entity"], f["line"]) for f in found] == [("K-NEW", 4)]
    assert "has no review of this link in stratdocs.lock" in found[0]["message"]
    assert reviewed.run("review", "K-NEW", "--by", "Ann").exit_code == 0
    assert suspects(reviewed) == []


def test_review_refuses_unknown_ids_and_no_ids(reviewed):
    result = reviewed.run("review", "K-OSP", "--by", "Ann")
    assert result.exit_code == 2 and "no item 'K-OSP'" in result.stderr and "K-OPS" in result.stderr
    assert reviewed.run("review", "--by", "Ann").exit_code == 2


def test_a_broken_lock_line_is_a_located_warning(reviewed):
    reviewed.write("stratdocs.lock", reviewed.read("stratdocs.lock") + "this is not a lock line\n")
    found = suspects(reviewed)
    assert [(f["file"], f["entity"]) for f in found] == [("stratdocs.lock", None)]


def tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*"))
            if p.is_file() and p.name != ".stratdocs-site"}


def test_the_preview_stays_identical_to_a_full_build_after_a_review(reviewed, tmp_path):
    root = reviewed.root
    session = Session(root, tmp_path / "preview")
    assert session.rebuild().ok
    reviewed.edit(K_REV, "target: {value: 20, date: 2026-12-31}", "target: {value: 25, date: 2026-12-31}")
    assert session.rebuild().ok
    assert 'class="tag suspect"' in (tmp_path / "preview/kpis/K-OPS.html").read_text()
    assert reviewed.run("review", "K-OPS", "--by", "Bob").exit_code == 0
    assert session.rebuild().ok
    assert 'class="tag suspect"' not in (tmp_path / "preview/kpis/K-OPS.html").read_text()
    build(root, tmp_path / "full", pdf=False, use_cache=False)
    assert tree(tmp_path / "preview") == tree(tmp_path / "full")


def test_a_lock_that_leaves_the_project_is_not_read(reviewed, tmp_path):
    outside = tmp_path / "elsewhere.lock"
    outside.write_text(reviewed.read("stratdocs.lock"))
    reviewed.remove("stratdocs.lock")
    (reviewed.root / "stratdocs.lock").symlink_to(outside)
    found = suspects(reviewed)
    assert [f["file"] for f in found] == ["stratdocs.lock"] and "leaves the project" in found[0]["message"]
    result = reviewed.run("review", "--all", "--by", "Ann")
    assert result.exit_code == 2 and "symbolic link" in result.stderr
