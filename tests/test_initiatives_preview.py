"""The incremental preview stays byte-identical to a full build after edits to an initiative's
milestones, progress and spend (inline and CSV), and to the delivery cut-offs (issue #14)."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from stratdocs.serve.session import Session
from test_serve import copy_example, edit, full_build, tree

pytestmark = pytest.mark.slow


def test_preview_matches_a_full_build_after_delivery_edits(tmp_path: Path):
    root = copy_example(tmp_path / "project")
    content = root / "content"
    session = Session(root, tmp_path / "preview")
    assert session.rebuild().ok
    i1 = next(content.glob("initiatives/I1*.md"))
    i2 = next(content.glob("initiatives/I2*.md"))
    i5 = next(content.glob("initiatives/I5*.md"))

    def milestone_done():  # the overdue warning goes: I2's page, scorecard, roadmap, alignment, home
        edit(i2, "{id: DACH-30-LOGOS, title: 30 new DACH logos, due: 2026-10-31, status: doing}",
             "{id: DACH-30-LOGOS, title: 30 new DACH logos, due: 2026-10-31, done: 2026-11-12}")

    def milestone_added():
        edit(i1, "milestones:\n", "milestones:\n  - {id: ARCH-REVIEW, title: Architecture review, due: 2026-11-01}\n")

    def milestone_moved():
        edit(i1, "due: 2026-11-01}", "due: 2027-02-01}")

    def spend_csv():  # I2's budget turns red from its CSV alone
        path = content / "data/spend-i2.csv"
        path.write_text(path.read_text(encoding="utf-8") + "2026-11-10,900000,Stockholm hiring wave\n",
                        encoding="utf-8")
        stamp = time.time_ns() + 2_000_000_000
        os.utime(path, ns=(stamp, stamp))

    def spend_inline():
        edit(i1, "amount: 410000, note: October}", "amount: 2410000, note: October and the GPU reservation}")

    def progress():
        edit(i5, "progress: 25%", "progress: 45%")

    def cut_offs():  # a stricter green: I1 (48 % done at 44 % of its time) turns amber
        edit(root / "stratdocs.yml", "status:\n", "delivery:\n  schedule: {green: 1.2, amber: 0.5}\nstatus:\n")

    for step in (milestone_done, milestone_added, milestone_moved, spend_csv, spend_inline, progress, cut_offs):
        before = tree(tmp_path / "preview")
        step()
        outcome = session.rebuild()
        assert outcome.ok, (step.__name__, outcome.errors)
        if step is not cut_offs:
            assert outcome.reread <= 2, (step.__name__, outcome.reread)
        after = tree(tmp_path / "preview")
        assert after != before, step.__name__  # the edit shows somewhere
        assert after == full_build(root, tmp_path / "full"), step.__name__
    roadmap = (tmp_path / "preview/roadmap.html").read_text(encoding="utf-8")
    assert "Milestone ARCH-REVIEW: Architecture review, due 2027-02-01, planned" in roadmap
