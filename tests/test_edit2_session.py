"""A save in `serve` is rebuilt from what the watcher saw (issue 15, second step): only the saved
files are looked at, the whole-plan passes are reused or updated for what changed, and the
result is still the bytes of a full build, at the reload for the edited page and for every file
once the session has settled. Anything but a save of known files takes the full path."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest
from watchfiles import Change

from stratdocs.serve.session import Session, saved_files
from tests.test_serve import copy_example, edit, full_build, tree


@pytest.fixture()
def session(tmp_path: Path):
    root = copy_example(tmp_path / "project")
    session = Session(root, tmp_path / "preview")
    assert session.rebuild().ok
    return root, session


def saved(path: Path) -> list[tuple[Change, str]]:
    return [(Change.modified, str(path))]


def test_saved_files_are_only_saves_of_markdown_files(tmp_path: Path):
    root = copy_example(tmp_path / "project").resolve()
    kpi = root / "content/kpis/K-ARR.md"
    assert saved_files(root, saved(kpi)) == {"content/kpis/K-ARR.md"}
    # an editor's atomic save: deleted and written again, a plain file now
    assert saved_files(root, [(Change.deleted, str(kpi)), (Change.added, str(kpi))]) == {"content/kpis/K-ARR.md"}
    assert saved_files(root, saved(root / "stratdocs.yml")) is None
    assert saved_files(root, saved(root / "content/data/kpi-arr.csv")) is None
    assert saved_files(root, [(Change.deleted, str(root / "content/kpis/K-GONE.md"))]) is None
    outside = tmp_path / "elsewhere.md"
    outside.write_text("---\ntitle: x\n---\n", encoding="utf-8")
    assert saved_files(root, saved(outside)) is None
    link = root / "content/kpis/K-LINK.md"
    link.symlink_to(kpi)
    assert saved_files(root, saved(link)) is None


def test_a_save_is_read_alone_and_a_new_file_is_found(session, tmp_path: Path):
    root, session = session
    kpi = root / "content/kpis/K-NPS.md"
    edit(kpi, "title:", "title: Edited —")
    outcome = session.update(saved(kpi))
    assert outcome.ok and outcome.reread == 1
    new = root / "content/kpis/K-NEW.md"
    new.write_text("---\ntitle: A new KPI\nunit: '%'\ndirection: up\nmeasures: [SO1]\nowner: CFO\n---\n",
                   encoding="utf-8")
    # Reported as a save of a file the last rebuild did not read: the whole content is listed again.
    outcome = session.update(saved(new))
    assert outcome.ok and "kpis/K-NEW.html" in outcome.changed
    session.settle()
    assert tree(session.output) == full_build(root, tmp_path / "full")


def test_a_save_after_a_config_error_still_sees_what_changed_meanwhile(session, tmp_path: Path):
    root, session = session
    config = root / "stratdocs.yml"
    good = config.read_text(encoding="utf-8")
    config.write_text(good + "\nnot_a_key: [\n", encoding="utf-8")
    assert not session.update(saved(config)).ok
    new = root / "content/kpis/K-NEW.md"  # created while the config is broken (its event is taken by that round)
    new.write_text("---\ntitle: Made while broken\nunit: '%'\ndirection: up\nmeasures: [SO1]\nowner: CFO\n---\n",
                   encoding="utf-8")
    config.write_text(good, encoding="utf-8")
    assert session.update(saved(config)).ok
    kpi = root / "content/kpis/K-NPS.md"
    edit(kpi, "title:", "title: Edited —")
    assert session.update(saved(kpi)).ok
    session.settle()
    assert tree(session.output) == full_build(root, tmp_path / "full")


EDITS = {
    # (file, old text (None: the owner's line), new text, the page that must be fresh at the reload)
    "retitle": ("kpis/K-NPS.md", "title:", "title: Renamed —", "kpis/K-NPS.html"),
    "add a link": ("kpis/K-NEW-LOGOS.md", "drives: [K-NEW-MARKET-ARR]", "drives: [K-NEW-MARKET-ARR, K-ARR]",
                   "kpis/K-NEW-LOGOS.html"),
    "remove a link": ("kpis/K-NEW-LOGOS.md", "drives: [K-NEW-MARKET-ARR, K-ARR]", "drives: [K-ARR]",
                      "kpis/K-NEW-LOGOS.html"),
    "another owner": ("initiatives/I1-forecast-ai-sovereign-cloud.md", None, "owner: Jane Doe", "initiatives/I1.html"),
    "a value": ("kpis/K-CHURN.md", "direction: down", "direction: down\nthresholds: {green: 12, amber: 14}",
                "kpis/K-CHURN.html"),
    "a status": ("operations/emea/sales-dach.md", "status: doing", "status: done", "operations/emea/sales-dach.html"),
}


def test_each_kind_of_save_gives_the_bytes_of_a_full_build(session, tmp_path: Path):
    root, session = session
    content = root / "content"
    for name, (rel, old, new, page) in EDITS.items():
        path = content / rel
        text = path.read_text(encoding="utf-8")
        if old is None:  # the owner's line, whoever it names
            old = next(line for line in text.splitlines() if line.startswith("owner:"))
        edit(path, old, new)
        outcome = session.update(saved(path))
        assert outcome.ok and outcome.reread == 1, (name, outcome.errors)
        full = full_build(root, tmp_path / "full")
        assert tree(session.output)[page] == full[page], name  # fresh at the reload
        session.settle()
        assert tree(session.output) == full, name


def test_created_and_deleted_files_take_the_full_path(session, tmp_path: Path):
    root, session = session
    new = root / "content/objectives/SO9.md"
    new.write_text("---\ntitle: Become carbon neutral\nperspective: internal\nperiod: {start: 2026, end: 2030}\n"
                   "owner: COO\n---\n\nSee [[SO1]].\n", encoding="utf-8")
    assert session.update([(Change.added, str(new))]).ok
    session.settle()
    assert tree(session.output) == full_build(root, tmp_path / "full")
    gone = root / "content/reviews/review-2026-q2.md"
    gone.unlink()
    assert session.update([(Change.deleted, str(gone))]).ok
    session.settle()
    assert tree(session.output) == full_build(root, tmp_path / "full")
    edit(new, "title: Become carbon neutral", "title: Carbon neutral by 2030")
    assert session.update(saved(new)).ok
    session.settle()
    assert tree(session.output) == full_build(root, tmp_path / "full")
    renamed = root / "content/objectives/SO9-carbon.md"
    new.rename(renamed)
    stamp = time.time_ns() + 1_000_000_000
    os.utime(renamed, ns=(stamp, stamp))
    assert session.update([(Change.deleted, str(new)), (Change.added, str(renamed))]).ok
    session.settle()
    assert tree(session.output) == full_build(root, tmp_path / "full")


def test_a_theme_static_file_is_copied_again_only_when_it_changed(tmp_path: Path, monkeypatch):
    """The preview does not read the theme's static files again on every save: only a copied file
    whose source's `stat` changed (or was too recent to stand for its bytes) is read again."""
    from stratdocs.serve import writer as preview_writer

    root = copy_example(tmp_path / "project")
    (root / "stratdocs.yml").write_text((root / "stratdocs.yml").read_text(encoding="utf-8") + "theme: corp\n",
                                        encoding="utf-8")
    style = root / "themes/corp/static/corp.css"
    style.parent.mkdir(parents=True)
    style.write_text("body { color: navy; }\n", encoding="utf-8")
    monkeypatch.setattr(preview_writer, "SETTLED_NS", 0, raising=False)  # every stat stands for its bytes
    session = Session(root, tmp_path / "preview")
    assert session.rebuild().ok
    read: list[str] = []
    real = Path.read_bytes
    monkeypatch.setattr(Path, "read_bytes", lambda self: read.append(self.name) or real(self))
    kpi = root / "content/kpis/K-NPS.md"
    edit(kpi, "title:", "title: Edited —")
    assert session.update(saved(kpi)).ok
    assert "corp.css" not in read and not any(name.endswith((".js", ".woff2")) for name in read)
    style.write_text("body { color: teal; }\n", encoding="utf-8")
    later = time.time_ns() + 5_000_000_000
    os.utime(style, ns=(later, later))
    assert session.update(saved(style)).ok
    assert "corp.css" in read
    assert (tmp_path / "preview/static/corp.css").read_text(encoding="utf-8") == "body { color: teal; }\n"
