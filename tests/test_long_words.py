"""German compounds never overflow: the site at 390 px hyphenates or breaks them, the PDF
hyphenates them by the plan's language (WeasyPrint through Pyphen)."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import PlanProject
from web_fixtures import CHROMIUM, launch, need

pytestmark = pytest.mark.slow

COMPOUND = "Kinderbetreuungsplatzausbauprogramm"


@pytest.fixture(scope="module")
def german_plan(tmp_path_factory) -> Path:
    p = PlanProject(tmp_path_factory.mktemp("de"))
    p.edit("stratdocs.yml", "as_of:", "language: de\nas_of:")
    # a word longer than a phone's chain box (the traceability chain of an initiative's page)
    p.edit("content/objectives/SO1.md", "title: ", f"title: {COMPOUND} und Ganztagsbetreuungsinfrastrukturmodernisierung ")
    p.edit("content/kpis/K-REV.md", "title: Revenue", f"title: Anteil {COMPOUND}")
    p.edit("content/kpis/K-REV.md", "unit: EUR m", "unit: Mio. Kinderbetreuungsplätze")
    p.edit("content/initiatives/I1.md", "owner: COO", "owner: Bezirksstadtratsbeauftragtenkoordinierungsstelle")
    result = subprocess.run([sys.executable, "-m", "stratdocs", "-C", str(p.root), "build"],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    return p.root


def test_the_site_at_390px_never_scrolls_sideways(german_plan):
    need(Path(CHROMIUM).exists(), "Debian's chromium is not installed (apt-get install chromium)")
    api = pytest.importorskip("playwright.sync_api")
    site = german_plan / "site"
    with api.sync_playwright() as pw:
        browser = launch(pw)
        page = browser.new_page(viewport={"width": 390, "height": 844})
        for rel in ("index.html", "objectives/SO1.html", "kpis/K-REV.html", "initiatives/I1.html",
                    "scorecard.html", "objectives/index.html"):
            page.goto((site / rel).as_uri())
            assert page.evaluate("document.documentElement.lang") == "de"
            over = page.evaluate("document.scrollingElement.scrollWidth - window.innerWidth")
            assert over <= 0, f"{rel} scrolls sideways by {over}px"
            overflowing = page.evaluate("""() => [...document.querySelectorAll('td, th, h1, h2, dd, .card, li')]
                .filter(e => e.clientWidth >= 40 && e.scrollWidth > e.clientWidth + 1 && getComputedStyle(e).overflowX === 'visible')
                .map(e => e.tagName + ': ' + e.textContent.trim().slice(0, 40))""")
            assert overflowing == [], f"{rel}: {overflowing}"
            # a header or figure is never printed a letter a line (a column squeezed to its
            # one-letter min-content): at most two lines a word, for a syllable break
            squeezed = page.evaluate("""() => [...document.querySelectorAll('table.data thead th, table.data td.num')]
                .filter(e => e.textContent.trim() && !(e.closest('thead')?.getBoundingClientRect().width <= 8)).map(e => {  // a visually hidden thead is no column
                    const range = document.createRange(); range.selectNodeContents(e);
                    const lines = new Set([...range.getClientRects()].filter(r => r.width).map(r => Math.round(r.top))).size;
                    return [e.textContent.trim(), lines, e.textContent.trim().split(/\\s+/).length]; })
                .filter(([text, lines, words]) => lines > 2 * words).map(([text, lines]) => text + ': ' + lines + ' lines')""")
            assert squeezed == [], f"{rel}: {squeezed}"
        browser.close()


def test_the_pdf_hyphenates_german_compounds(german_plan):
    pypdf = pytest.importorskip("pypdf")
    reader = pypdf.PdfReader(io.BytesIO((german_plan / "site/pdf/board-pack.pdf").read_bytes()))
    text = "\n".join(page.extract_text() for page in reader.pages)
    # somewhere the compound is split at a syllable with a hyphen at the end of a line
    pieces = re.findall(r"(\w+)-\n(\w+)", text)
    assert any((a + b).startswith(COMPOUND[:12]) or COMPOUND.startswith(a) for a, b in pieces), pieces[:20]
