"""The incremental preview stays byte-identical to a full build after edits to review actions
and risks (issue #14): each edit changes the Risks page, the Open actions page, the heat map
and the pages of the items the risk or action is about."""

from __future__ import annotations

import pytest

from stratdocs.serve.session import Session

from test_serve import copy_example, edit, full_build, tree


@pytest.mark.slow
def test_preview_matches_a_full_build_after_edits_to_actions_and_risks(tmp_path):
    root = copy_example(tmp_path / "project")
    session = Session(root, tmp_path / "preview")
    assert session.rebuild().ok
    content = root / "content"
    q3 = content / "reviews/review-2026-q3.md"
    risks = content / "risks"

    def action_done():  # leaves the Open actions page and the overdue warning goes
        edit(q3, "    due: 2026-11-01\n    status: open", "    due: 2026-11-01\n    status: done")

    def action_owner():
        edit(q3, "    title: Propose a Nordic hiring plan (referral bonus, remote hiring from Finland)\n",
             "    title: Propose a Nordic hiring plan (referral bonus, remote hiring from Finland)\n"
             "    owner: Chief People Officer\n")

    def action_about():  # now shown on SO2 instead of T-NORDICS-4
        edit(q3, "about: [T-NORDICS-4, SO3]", "about: [SO2, SO3]")

    def action_added():
        edit(q3, "actions:\n", "actions:\n  - id: A-Q3-5\n    title: Report churn by segment monthly\n"
                               "    owner: VP Customer Success\n    due: 2026-12-01\n    about: [K-CHURN]\n")

    def likelihood():  # moves on the heat map and in the register; SO2's risk table changes
        edit(risks / "R-CHANNEL-CONFLICT.md", "likelihood: 3", "likelihood: 5")

    def mitigated():  # the unmitigated high risk gets a mitigation: warning and "none" go
        edit(risks / "R-NORDIC-HIRING.md", "review_by:", "mitigation: [T-NORDICS-1]\nreview_by:")

    def threatens():
        edit(risks / "R-FX-SEK-NOK.md", "threatens: [SO3]", "threatens: [SO3, I2]")

    def risk_added():
        (risks / "R-NEW.md").write_text("---\ntitle: A new competitor enters DACH\nowner: CMO\nlikelihood: 2\n"
                                        "impact: 3\nthreatens: [SO1]\nmitigation: Win the reference customers first.\n"
                                        "review_by: 2027-03-31\n---\n\nSee [[R-DATA-RESIDENCY]].\n", encoding="utf-8")

    def risk_deleted():
        (risks / "R-AI-REGULATION.md").unlink()

    def retitled():  # the risk's title is shown on the pages of what it threatens and in link text
        edit(risks / "R-DATA-RESIDENCY.md", "title: Data-residency", "title: Data residency")

    for step in (action_done, action_owner, action_about, action_added, likelihood, mitigated, threatens,
                 risk_added, risk_deleted, retitled):
        step()
        outcome = session.rebuild()
        assert outcome.ok, (step.__name__, outcome.errors)
        assert outcome.reread <= 2, (step.__name__, outcome.reread)
        assert tree(tmp_path / "preview") == full_build(root, tmp_path / "full"), step.__name__
