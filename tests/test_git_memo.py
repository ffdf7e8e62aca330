"""The preview asks git only about the files saved since its last rebuild (`git.CheckoutMemo`,
issue 15): its answer is always the one a full `git.checkout` gives, in one git process per
rebuild instead of a handful."""

from __future__ import annotations

from pathlib import Path

import pytest

from stratdocs import git
from stratdocs.serve.session import Session
from tests.test_history import SO1, history_project, sh_git  # noqa: F401  (a fixture)

INPUTS = ("stratdocs.yml", "stratdocs.lock", "content")


def fresh(root: Path) -> git.Checkout:
    return git.checkout(root, INPUTS, "content")


def test_the_kept_answer_is_the_full_one_through_saves_reverts_commits_and_staging(history_project):
    project = history_project
    root, memo = project.root, git.CheckoutMemo()
    assert memo.checkout(root, INPUTS, "content", None) == fresh(root)
    clean = fresh(root)
    assert not clean.dirty and clean.head

    original = (root / SO1).read_text(encoding="utf-8")
    project.edit(SO1, "Why growth matters to us.", "Why growth matters most.")
    kept = memo.checkout(root, INPUTS, "content", {SO1})
    assert kept == fresh(root) and kept.dirty and kept.uncommitted == {SO1}

    (root / SO1).write_text(original, encoding="utf-8")  # saved back as it was committed
    assert memo.checkout(root, INPUTS, "content", {SO1}) == fresh(root) == clean

    project.edit(SO1, "Why growth matters to us.", "Why growth matters, said Cy.")
    assert memo.checkout(root, INPUTS, "content", {SO1}).dirty
    sh_git(root, "commit", "-q", "-am", "third", author="Cy Carter", day="2026-11-20")
    committed = memo.checkout(root, INPUTS, "content", set())  # nothing saved, but HEAD moved
    assert committed == fresh(root) and not committed.dirty and committed.head != clean.head
    assert committed.history[SO1].author == "Cy Carter"

    (root / "stratdocs.yml").write_text((root / "stratdocs.yml").read_text(encoding="utf-8") + "# a note\n",
                                        encoding="utf-8")
    assert memo.checkout(root, INPUTS, "content", None) == fresh(root)  # not a content save: asked again
    project.edit(SO1, "Why growth matters, said Cy.", "Why growth matters, said Dee.")
    both = memo.checkout(root, INPUTS, "content", {SO1})
    assert both == fresh(root) and both.uncommitted == {SO1}
    (root / SO1).write_text((root / SO1).read_text(encoding="utf-8").replace("Dee", "Cy"), encoding="utf-8")
    config_only = memo.checkout(root, INPUTS, "content", {SO1})
    assert config_only == fresh(root) and config_only.dirty and not config_only.uncommitted  # the config is

    sh_git(root, "add", "stratdocs.yml")  # staging changes the index: asked again
    assert memo.checkout(root, INPUTS, "content", set()) == fresh(root)


def test_a_preview_rebuild_after_a_save_runs_one_git_process(history_project, tmp_path, monkeypatch):
    project = history_project
    session = Session(project.root, tmp_path / "preview")
    assert session.rebuild().ok
    calls: list[tuple] = []
    real = git.run
    monkeypatch.setattr(git, "run", lambda root, *args, **kw: calls.append(args) or real(root, *args, **kw))
    project.edit(SO1, "Why growth matters to us.", "Why growth matters a lot.")
    outcome = session.update([("modified", str(project.root / SO1))])
    assert outcome.ok and [args[0] for args in calls] == ["status"], calls
    page = (session.output / "objectives" / "SO1.html").read_text(encoding="utf-8")
    assert f"<code>{fresh(project.root).head}</code> with uncommitted changes" in page  # the footer


@pytest.mark.parametrize("step", ["commit", "checkout"])
def test_a_commit_or_a_checkout_while_serving_is_seen_at_the_next_save(history_project, tmp_path, step):
    project = history_project
    root = project.root
    session = Session(root, tmp_path / "preview")
    assert session.rebuild().ok
    project.edit(SO1, "Why growth matters to us.", "Why growth matters here.")
    assert session.update([("modified", str(root / SO1))]).ok
    seen = [("modified", str(root / "content/initiatives/I1.md"))]
    if step == "commit":  # the working tree is as it was: the watcher sees nothing of it
        sh_git(root, "commit", "-q", "-am", "from the preview", author="Eve Ellis", day="2026-11-25")
    else:  # the file is written back as committed: the watcher sees it saved
        sh_git(root, "checkout", "-q", "--", SO1)
        seen.append(("modified", str(root / SO1)))
    other = root / "content/initiatives/I1.md"
    other.write_text(other.read_text(encoding="utf-8") + "\nA line.\n", encoding="utf-8")
    assert session.update(seen).ok
    expected = fresh(root)
    assert session.files.checkout.checkout(root, INPUTS, "content", set()) == expected  # what the update used
    assert expected.uncommitted == {"content/initiatives/I1.md"}
    page = (session.output / "initiatives" / "I1.html").read_text(encoding="utf-8")
    assert f"<code>{expected.head}</code> with uncommitted changes" in page
