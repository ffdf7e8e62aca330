"""PDF documents in the plan's language (issue #16, catalog part `pdf`): the running footer,
cross-reference pages, the PDF templates' words and the charts' legends and month names come
from the theme's catalogs and Babel; English stays as it was. Long units never make the
scorecard's columns run into each other. PDFs are read back with pypdf, word boxes with
pdftotext (poppler)."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path
from xml.etree import ElementTree

import pytest

from conftest import EXAMPLE_ROOT, PlanProject
from stratdocs import project as project_mod
from stratdocs.render import charts
from stratdocs.render.views.interface import ENGLISH, Interface, use
from stratdocs.render.environment import make_environment
from stratdocs.theme import resolve as resolve_theme
from test_pdf import render, texts

LONG_UNITS = {"K-RIDES": ("Fahrgastfahrten im Nahverkehr", "Mio. Fahrten", 10.32, 10.40, 11.5),
              "K-CO2": ("Treibhausgasemissionen der Stadtverwaltung", "t CO₂e", 48210, 47850, 39000),
              "K-KITA": ("Ausbau der Kinderbetreuung", "Mio. Kinderbetreuungsplätze", 1.28, 1.31, 1.45)}


def _example_copy(root: Path, language: str | None) -> Path:
    """A copy of the example plan, in `language` (None: as shipped)."""
    shutil.copytree(EXAMPLE_ROOT / "content", root / "content")
    config = (EXAMPLE_ROOT / "stratdocs.yml").read_text(encoding="utf-8")
    if language:
        config = f"language: {language}\n" + config
    (root / "stratdocs.yml").write_text(config, encoding="utf-8")
    return root


@pytest.fixture(scope="module")
def sales_packs(tmp_path_factory):
    """The example's sales operational plan (contents, operations, KPI charts) in en, de and fr."""
    out = {}
    for language in ("en", "de", "fr"):
        root = _example_copy(tmp_path_factory.mktemp(language), None if language == "en" else language)
        out[language] = texts(render(root, "ops-sales", timeout=None)["ops-sales"][0])
    return out


@pytest.mark.slow
def test_german_document_has_german_footer_headings_legends_and_months(sales_packs):
    pages = sales_packs["de"]
    assert all(re.search(rf"Seite {i} von {len(pages)}\b", text) for i, text in enumerate(pages, 1))
    assert "Page 1 of" not in " ".join(pages)
    assert "Stand 15. November 2026" in pages[1]           # the running footer's date
    cover = pages[0]
    for words in ("Stichtag", "Erzeugt von stratdocs", "15. November 2026"):
        assert words in cover, words
    kpis = " ".join(pages[2:])
    for words in ("Istwert", "Zielwert", "Datenqualität", "Führt zurück auf",
                  "Operative Ziele", "Aufgaben", "Gelb: leicht im Rückstand"):
        assert words in kpis, words
    # month names on the charts' date axes are German (Babel), not English abbreviations
    assert re.search(r"\b(März|Mai|Okt\.|Dez\.|Sept\.|Juni|Juli|Jan\.|Feb\.|Apr\.|Aug\.|Nov\.) 20\d\d\b", kpis)
    assert not re.search(r"\b(Mar|May|Oct|Dec|Sep|Jun|Jul) 20\d\d\b", kpis)
    for english in ("Data quality", "Traces to", "Plan period",
                    "Reporting date", "Amber: slightly behind", "Operational objectives"):
        assert english not in " ".join(pages), english


@pytest.mark.slow
def test_french_document_has_french_footer_legends_and_months(sales_packs):
    pages = sales_packs["fr"]
    assert all(re.search(rf"Page {i} sur {len(pages)}\b", text) for i, text in enumerate(pages, 1))
    assert "Au 15 novembre 2026" in pages[1]
    assert "Période du plan" in pages[0] and "Date de référence" in pages[0]
    kpis = " ".join(pages[2:])
    for words in ("Réalisé", "Cible", "Qualité des données", "Se rattache à",
                  "Objectifs opérationnels", "Orange : léger retard"):
        assert words in kpis, words
    assert re.search(r"\b(janv\.|févr\.|mars|avr\.|mai|juin|juil\.|août|sept\.|oct\.|nov\.|déc\.) 20\d\d\b", kpis)
    assert not re.search(r"\b(Mar|May|Oct|Dec|Sep|Jun|Jul) 20\d\d\b", kpis)
    assert "Page 1 of" not in " ".join(pages) and "Latest commentary" not in kpis


@pytest.mark.slow
def test_english_document_is_unchanged(sales_packs):
    pages = sales_packs["en"]
    assert all(re.search(rf"Page {i} of {len(pages)}\b", text) for i, text in enumerate(pages, 1))
    assert "As of 15 November 2026" in pages[1]
    kpis = " ".join(pages[2:])
    assert "Reporting date" in pages[0] and "Plan period" in pages[0]
    for words in ("Actual", "Target", "Data quality", "Traces to",
                  "Amber: slightly behind", "Operational objectives"):
        assert words in kpis, words
    assert re.search(r"\b(Mar|May|Oct|Dec|Sep|Jun|Jul) 20\d\d\b", kpis)
    assert "Seite" not in kpis and "Istwert" not in kpis


def test_charts_are_drawn_and_cached_per_language(tmp_path):
    """A German build never reuses an English chart: the language is one of the chart's inputs."""
    from datetime import date

    project = project_mod.load(PlanProject(tmp_path / "p").root)
    env = make_environment(resolve_theme(project.config), "de")
    german = Interface(env.translations, "de")
    args = dict(title="Rides", unit="Mio. Fahrten", actuals=[(date(2026, 3, 31), 10.1), (date(2026, 9, 30), 10.3)],
                baseline=(date(2025, 12, 31), 10.0), targets=[(date(2026, 12, 31), 11.0)], thresholds=None,
                direction="up", as_of=date(2026, 11, 15))
    try:
        use(ENGLISH)
        english_svg = str(charts.kpi_chart(**args))
        use(german)
        german_svg = str(charts.kpi_chart(**args, language="de"))
    finally:
        use(ENGLISH)
    assert ">Actual<" in english_svg and ">Target<" in english_svg and "Mar 2026" in english_svg
    assert ">Istwert<" in german_svg and ">Zielwert<" in german_svg and "Actual" not in german_svg
    assert "März 2026" in german_svg or "Apr. 2026" in german_svg
    # the views' chart cache: the same inputs in another language give another key
    from stratdocs.render.views import Views

    class Cache:
        def __init__(self):
            self.made = {}

        def chart(self, key, make):
            return self.made.setdefault(key, make())

    views = Views.__new__(Views)
    views._charts, views.chart_keys = Cache(), set()
    try:
        use(ENGLISH)
        first = views.chart("kpi_chart", **args)
        use(german)
        second = views.chart("kpi_chart", **args)
    finally:
        use(ENGLISH)
    assert len(views.chart_keys) == 2 and ">Istwert<" in second and ">Actual<" in first


def _kpi(kpi_id: str) -> str:
    title, unit, previous, latest, target = LONG_UNITS[kpi_id]
    return (f"---\ntitle: {title}\nlevel: strategic\nmeasures: [SO1]\nowner: Amt für Mobilität und Klimaschutz\n"
            f"unit: {unit}\ndirection: up\nfrequency: monthly\nbaseline: {{value: {previous}, date: 2025-12-31}}\n"
            f"target: {{value: {target}, date: 2026-12-31}}\nactuals:\n  - {{date: 2026-09-30, value: {previous}}}\n"
            f"  - {{date: 2026-10-31, value: {latest}}}\n---\n")


def _words(pdf_file: Path, page: int) -> list[tuple[float, float, float, float, str]]:
    """(x0, y0, x1, y1, word) of every word on a page, from pdftotext's bounding boxes."""
    xml = subprocess.run(["pdftotext", "-bbox", "-f", str(page), "-l", str(page), str(pdf_file), "-"],
                         check=True, capture_output=True, text=True).stdout
    root = ElementTree.fromstring(xml)
    return [(float(w.get("xMin")), float(w.get("yMin")), float(w.get("xMax")), float(w.get("yMax")), w.text or "")
            for w in root.iter("{http://www.w3.org/1999/xhtml}word")]


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="needs poppler's pdftotext")
@pytest.mark.parametrize("language", ["de", "en"])
def test_long_units_never_run_into_the_next_scorecard_column(tmp_path, language):
    plan = PlanProject(tmp_path / "p")
    plan.write("stratdocs.yml", f"title: Stadtstrategie 2030\nas_of: 2026-11-15\nlanguage: {language}\n"
               "documents:\n  - id: pack\n    title: Vorstandsunterlage\n    sections: [scorecard]\n")
    for kpi_id in LONG_UNITS:
        plan.write(f"content/kpis/{kpi_id}.md", _kpi(kpi_id))
    result = subprocess.run([sys.executable, "-m", "stratdocs", "pdf", "-q", "-C", str(plan.root), "pack"],
                            capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr
    pdf_file = plan.root / "site" / "pdf" / "pack.pdf"
    words = _words(pdf_file, 1)
    text = " ".join(w[4] for w in words)
    assert "Fahrten10" not in text and "CO₂e4" not in text and "Kinderbetreuungsplätze1" not in text
    assert "Fahrten" in text and "CO₂e" in text and ("Kinderbetreuungsplätze" in text or "Kinderbetreu" in text)
    # no two words on the page overlap: each cell's text stays inside its own column
    for i, a in enumerate(words):
        for b in words[i + 1:]:
            overlap_x = min(a[2], b[2]) - max(a[0], b[0])
            overlap_y = min(a[3], b[3]) - max(a[1], b[1])
            assert overlap_x <= 0.5 or overlap_y <= 0.5, f"{a[4]!r} runs into {b[4]!r}"
    # and neighbouring figures are apart: a latest value's unit ends before the planned column starts
    fahrten = [w for w in words if w[4] == "Fahrten"]
    assert len(fahrten) >= 2 and len({round(w[0]) for w in fahrten}) >= 2
