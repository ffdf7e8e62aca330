"""The preview stays byte-identical to a full build after edits that change the executive summary,
the trends and the commentary (see tests/test_serve.py for the general case)."""

from __future__ import annotations

import os
import time
from pathlib import Path

from stratdocs.serve.session import Session
from test_serve import copy_example, edit, full_build, tree


def test_preview_matches_a_full_build_after_commentary_trend_and_decision_edits(tmp_path: Path):
    root = copy_example(tmp_path / "project")
    content = root / "content"
    session = Session(root, tmp_path / "preview")
    assert session.rebuild().ok

    def objective_commentary():  # the objective's page and the summary's one-liner
        edit(next(content.glob("objectives/SO6*.md")), "owner:", "commentary:\n  - {period: 2026-10, author: COO, "
             "analysis: Certification audit passed in October.}\nowner:")

    def kpi_commentary():  # K-NEW-LOGOS catches up: the stale-commentary warning goes
        edit(content / "kpis/K-NEW-LOGOS.md", "commentary:\n", "commentary:\n  - {period: 2026-10, author: Jonas Keller, "
             "analysis: 29 customers; the new account executives closed their first deals.}\n")

    def new_period():  # a November NPS figure: a new previous period for K-NPS and SO4
        path = content / "data/kpi-nps.csv"
        path.write_text(path.read_text(encoding="utf-8") + "2026-11-10,36,\n", encoding="utf-8")
        stamp = time.time_ns() + 2_000_000_000
        os.utime(path, ns=(stamp, stamp))

    def decisions():  # what the board is asked to decide
        edit(content / "reviews/review-2026-q3.md", "decisions_requested:\n",
             "decisions_requested:\n  - Approve the Nordic partner launch in January.\n")

    for step in (objective_commentary, kpi_commentary, new_period, decisions):
        step()
        outcome = session.rebuild()
        assert outcome.ok, (step.__name__, outcome.errors)
        preview = tree(tmp_path / "preview")
        assert preview == full_build(root, tmp_path / "full"), step.__name__
    home = (tmp_path / "preview/index.html").read_text(encoding="utf-8")
    assert "Certification audit passed in October." in home and "Approve the Nordic partner launch" in home
    nps = (tmp_path / "preview/kpis/K-NPS.html").read_text(encoding="utf-8")
    assert "Worsening" in nps and "from 39 NPS" in nps
