"""Planning periods read in the plan's language (Babel's CLDR data), on the site as in PDFs."""

from __future__ import annotations

import pytest

from stratdocs.periods import make_period, parse_span
from stratdocs.render.views.calendar import period_text


@pytest.mark.parametrize("written, en, de, fr", [
    ("2026", "2026", "2026", "2026"),
    ("2026-Q2", "Q2 2026", "Q2 2026", "T2 2026"),
    ("2026-03", "March 2026", "März 2026", "mars 2026"),
    ("2026-W14", "week 14 of 2026", "Woche 14 des Jahres 2026", "semaine 14 de 2026"),
    ("2026-09-30", "30 September 2026", "30. September 2026", "30 septembre 2026"),
])
def test_a_period_reads_in_each_language(written, en, de, fr):
    span = parse_span(written)
    assert [period_text(span, lang) for lang in ("en", "de", "fr")] == [en, de, fr]


def test_a_range_reads_end_by_end_and_an_unknown_language_falls_back_to_english():
    span = make_period(parse_span("2026-Q1"), parse_span("2027-06"))
    assert period_text(span, "de") == "Q1 2026 – Juni 2027"
    assert period_text(span, "xx") == "Q1 2026 – June 2027"
    assert period_text(None, "de") == ""


def test_pages_show_periods_in_the_plans_language(plan_project):
    plan_project.edit("stratdocs.yml", "as_of:", "language: de\nas_of:")
    plan_project.edit("content/objectives/SO1.md", "period: {start: 2026, end: 2028}",
                      "period: {start: 2026-03, end: 2026-W40}")
    assert plan_project.run("build", "--no-pdf").exit_code == 0
    assert "März 2026 – Woche 40 des Jahres 2026" in plan_project.read("site/objectives/SO1.html")
