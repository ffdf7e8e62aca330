"""Commentary in front matter: located errors for bad entries, the `stale-commentary` warning, and
the latest entry next to the chart with the older ones beneath (site and PDF)."""

from __future__ import annotations

import io
import re

import pytest
from pypdf import PdfReader

#: K-REV with commentary: October (with a recommendation), then September.
COMMENTED = """\
commentary:
  - period: 2026-09
    author: Ann Example, CFO
    analysis: Revenue slightly behind the September line.
  - period: 2026-10
    author: Ann Example, CFO
    analysis: October closed at 19, back on plan thanks to the renewals in the Nordics.
    recommendation: Keep the year-end target.
"""


def add_commentary(project, text: str, rel: str = "content/kpis/K-REV.md") -> None:
    project.edit(rel, "owner: CFO\n", "owner: CFO\n" + text)


@pytest.mark.parametrize("entry, line, col, message", [
    ("commentary: yes\n", 6, 13, "'commentary' must be a list of entries"),
    ("commentary:\n  - just text\n", 7, 5, "each entry of 'commentary' must be a mapping"),
    ("commentary:\n  - {author: A, analysis: B}\n", 7, 5, "needs either 'period'"),
    ("commentary:\n  - {period: 2026-10, date: 2026-10-31, author: A, analysis: B}\n", 7, 5, "not both"),
    ("commentary:\n  - {period: 2026-10, analysis: B}\n", 7, 5, "needs 'author'"),
    ("commentary:\n  - {period: 2026-10, author: A, analysis: ''}\n", 7, 44, "'commentary.analysis' is empty"),
    ("commentary:\n  - {period: 2026-13, author: A, analysis: B}\n", 7, 14, "not a real month"),
    ("commentary:\n  - {date: 2026-02-30, author: A, analysis: B}\n", 7, 12, "not a real date"),
    ("commentary:\n  - {period: 2026-10, author: A, analysis: B, recomendation: C}\n", 7, 47,
     "unknown key 'recomendation' in 'commentary'; use period, date, author, analysis, recommendation; "
     "did you mean 'recommendation'?"),
])
def test_bad_commentary_is_a_located_schema_error(plan_project, entry, line, col, message):
    add_commentary(plan_project, entry)
    result = plan_project.check()
    assert result.exit_code == 1
    errors = [f for f in result.findings if f["severity"] == "error"]
    assert len(errors) == 1, errors
    assert (errors[0]["file"], errors[0]["line"], errors[0]["col"], errors[0]["code"]) == \
        ("content/kpis/K-REV.md", line, col, "schema")
    assert message in errors[0]["message"]


def test_build_refuses_what_check_refuses(plan_project, tmp_path):
    add_commentary(plan_project, "commentary:\n  - {period: 2026-10, author: A}\n")
    result = plan_project.run("build", "--no-pdf", "--out", str(tmp_path / "out"))
    assert result.exit_code == 1
    assert "content/kpis/K-REV.md:7:5" in result.stderr + result.stdout


def test_commentary_on_objectives_and_in_the_json_schema(plan_project):
    plan_project.edit("content/objectives/SO1.md", "owner: CEO\n",
                      "owner: CEO\ncommentary:\n  - {date: 2026-10-31, author: CEO, analysis: On track.}\n")
    assert plan_project.check().findings == []
    exported = {e["id"]: e for e in plan_project.export()["entities"]}
    assert exported["SO1"]["commentary"] == [{"date": "2026-10-31", "period": "", "author": "CEO",
                                             "analysis": "On track.", "recommendation": ""}]
    # Initiatives take no commentary: the key is unknown there.
    plan_project.edit("content/initiatives/I1.md", "owner: COO\n",
                      "owner: COO\ncommentary:\n  - {date: 2026-10-31, author: A, analysis: B}\n")
    assert plan_project.check().codes() == {"unknown-key"}


def _amber(project) -> None:
    """K-REV at 17.5 on 2026-10-31 against 18.3 planned: amber."""
    project.edit("content/kpis/K-REV.md", "value: 19}", "value: 17.5}")


def test_an_amber_kpi_without_commentary_is_stale(plan_project):
    _amber(plan_project)
    finding = plan_project.check().only("stale-commentary")
    assert (finding["file"], finding["line"], finding["entity"]) == ("content/kpis/K-REV.md", 1, "K-REV")
    assert "is amber and has no commentary" in finding["message"]


def test_a_current_commentary_silences_the_warning(plan_project):
    _amber(plan_project)
    add_commentary(plan_project, "commentary:\n  - {period: 2026-10, author: CFO, analysis: Behind.}\n")
    assert plan_project.check().findings == []
    # A commentary dated the day before the latest actual is older than it.
    plan_project.edit("content/kpis/K-REV.md", "period: 2026-10", "date: 2026-10-30")
    assert "older than its latest actual (2026-10-31)" in plan_project.check().only("stale-commentary")["message"]


def test_green_kpis_need_no_commentary(plan_project):
    assert plan_project.check().findings == []


def test_stale_commentary_shows_in_the_alignment_report(plan_project, tmp_path):
    _amber(plan_project)
    out = tmp_path / "out"
    assert plan_project.run("build", "--no-pdf", "--out", str(out)).exit_code == 0
    page = (out / "alignment.html").read_text(encoding="utf-8")
    section = page.split("Limited feedback from operations", 1)[1].split("</section>", 1)[0]
    assert "K-REV" in section and "has no commentary" in section


def test_latest_commentary_next_to_the_chart_older_ones_beneath(plan_project, tmp_path):
    add_commentary(plan_project, COMMENTED)
    out = tmp_path / "out"
    assert plan_project.run("build", "--no-pdf", "--out", str(out)).exit_code == 0
    page = (out / "kpis" / "K-REV.html").read_text(encoding="utf-8")
    chart = page.index('class="chart kpi-chart"')
    latest = page.index("October closed at 19", chart)
    assert page.index("October closed at 19") < chart  # its first sentence heads the page too
    earlier = page.index("Earlier commentary")
    older = page.index("Revenue slightly behind")
    definition = page.index("<h2>Definition</h2>")
    assert chart < latest < earlier < older < definition
    assert "Keep the year-end target." in page


def test_pdf_prints_the_commentary_of_kpis_and_objectives(plan_project, tmp_path):
    add_commentary(plan_project, COMMENTED)
    plan_project.edit("content/objectives/SO1.md", "owner: CEO\n", "owner: CEO\ncommentary:\n"
                      "  - {period: 2026-Q3, author: CEO, analysis: Growth carried by the renewals.}\n")
    plan_project.write("stratdocs.yml", "title: Test plan\nas_of: 2026-11-15\ndocuments:\n"
                       "  - {id: pack, title: Pack, sections: [cover, objectives, kpis]}\n")
    out = tmp_path / "out"
    assert plan_project.run("build", "--out", str(out)).exit_code == 0
    reader = PdfReader(io.BytesIO((out / "pdf" / "pack.pdf").read_bytes()))
    text = " ".join(" ".join((p.extract_text() or "").split()) for p in reader.pages)
    assert "Growth carried by the renewals." in text
    # a KPI's entry keeps to one page: its headline carries the latest commentary's first sentence,
    # the whole of it and the earlier ones are on its site page
    assert "October closed at 19" in text and "Revenue slightly" not in text
