"""The last English leftovers of issue #16, translated at their source: status words and risk
levels, an item's alignment notes and warning tooltips, the built-in matrices' titles and the
KPI chart's words for screen readers; `check`'s quoted English marked `lang="en"`. English
output stays as it was. (tests/test_no_english.py proves the whole example; these are the parts.)"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from stratdocs import config as config_mod
from stratdocs.config.specs import DEFAULT_MATRICES, DocumentSpec, MatrixSpec
from stratdocs.findings import Finding, Severity
from stratdocs.render.environment import make_environment
from stratdocs.render.views.interface import ENGLISH, Interface, use
from stratdocs.render.views.matrix import shown_spec
from stratdocs.render.views.status_words import severity_word, status_word
from stratdocs.render.views.words import notes
from stratdocs.theme import resolve

REPO = Path(__file__).resolve().parent.parent
BEHIND = Finding("content/initiatives/I5-trust-certification.md", 13, 1, Severity.WARNING,
                 "initiative-behind-schedule",
                 "initiative 'I5' is behind schedule: 25% done with 47% of its time elapsed, below the amber "
                 "cut-off of 75% of planned progress", "I5")


@pytest.fixture
def speak():
    """Speak a language through the built-in theme's catalogs for the test, English after it."""
    config = config_mod.load(REPO)

    def use_language(language: str) -> None:
        use(Interface(make_environment(resolve(config), language).translations, language))

    yield use_language
    use(ENGLISH)


def test_known_status_words_are_shown_in_the_readers_language(speak):
    speak("de")
    assert status_word("dropped") == "verworfen" and status_word("Active") != "Active"
    assert status_word("eingestellt") == "eingestellt"  # the plan's own word, as written
    assert severity_word("elevated") == "erhöht" and severity_word("high") == "hoch"
    speak("fr")
    assert status_word("open") == "ouvert" and severity_word("elevated") == "accru"


def test_every_status_word_the_model_reads_has_a_reader_word():
    """The reader's table spells out `lifecycle`'s words (for extraction): it must not fall behind."""
    from stratdocs import lifecycle
    from stratdocs.render.views import status_words

    known = status_words._table(lambda context, word: word)
    assert set(lifecycle.WORDS) | set(lifecycle.STATES) <= set(known)


def test_english_status_words_stay_as_the_plan_writes_them():
    use(ENGLISH)
    assert [status_word(w) for w in ("Active", "dropped", "on-hold", "eingestellt", "")] == \
        ["Active", "dropped", "on-hold", "eingestellt", ""]
    assert severity_word("elevated") == "elevated"


def test_the_built_in_matrices_titles_are_translated_and_a_plans_own_are_not(speak):
    speak("de")
    assert shown_spec(DEFAULT_MATRICES[0]).title == "Strategische Ziele × Operative Pläne"
    assert shown_spec(DEFAULT_MATRICES[1]).description.startswith("Welche Kennzahlen jedes strategische Ziel")
    own = MatrixSpec("mine", "Handlungsfelder × Produkte", "objective", "operation", "")
    assert shown_spec(own) == own
    use(ENGLISH)
    assert shown_spec(DEFAULT_MATRICES[0]) == DEFAULT_MATRICES[0]


def test_an_items_notes_read_in_the_readers_language_and_keep_the_check_message(speak):
    speak("de")
    (note,) = notes([BEHIND])
    assert note.text.startswith("I5 liegt hinter dem Zeitplan: 25\u00a0% erledigt")
    assert note.message == BEHIND.message and note.code == BEHIND.code and note.severity is Severity.WARNING
    use(ENGLISH)
    assert notes([BEHIND])[0].text == BEHIND.message


@pytest.fixture(scope="module")
def german_site(tmp_path_factory) -> Path:
    """The example plan built with `language: de` (site only) through the real CLI."""
    root = tmp_path_factory.mktemp("plan-de")
    shutil.copytree(REPO / "content", root / "content")
    config = re.sub(r"(?m)^language:.*\n", "", (REPO / "stratdocs.yml").read_text(encoding="utf-8"))
    (root / "stratdocs.yml").write_text("language: de\n" + config, encoding="utf-8")
    proc = subprocess.run([sys.executable, "-m", "stratdocs", "-C", str(root), "build", "--quiet", "--no-pdf",
                           "--out", str(root / "site")], capture_output=True, text=True, encoding="utf-8",
                          timeout=600)
    assert proc.returncode == 0, proc.stderr + proc.stdout
    return root / "site"


def test_editor_details_quote_check_in_english_marked_as_english(german_site):
    page = (german_site / "alignment.html").read_text(encoding="utf-8")
    details = re.findall(r'<details class="editor">(.*?)</details>', page, re.S)
    assert details and all("Für die Redaktion" in d for d in details)
    assert '<span class="fix" lang="en">Link it with &#39;supports:&#39;.</span>' in page
    assert all('<span class="code" lang="en">' in d and '<code class="where" lang="en">' in d for d in details)


def test_an_items_page_shows_its_notes_statuses_and_chart_words_in_german(german_site):
    initiative = (german_site / "initiatives" / "I5.html").read_text(encoding="utf-8")
    notes_html = re.search(r'<section class="panel notes">(.*?)</section>', initiative, re.S).group(1)
    assert "liegt hinter dem Zeitplan" in notes_html and "is behind schedule" not in notes_html
    assert '<span class="code" lang="en">initiative-behind-schedule</span>' in notes_html
    dropped = (german_site / "initiatives" / "I6.html").read_text(encoding="utf-8")
    assert "die Initiative ist verworfen" in dropped and ">dropped<" not in dropped
    tasks = (german_site / "operations" / "product-engineering.html").read_text(encoding="utf-8")
    assert re.search(r'<span class="tag warning" title="[^"]*dient keinem strategischen Ziel">'
                     r'<span lang="en">orphan</span></span>', tasks)
    kpi = (german_site / "kpis" / "K-ARR.html").read_text(encoding="utf-8")
    assert re.search(r'aria-label="[^"]*: Verlaufsdiagramm; aktueller Istwert 59,4', kpi)
    matrices = (german_site / "matrices" / "index.html").read_text(encoding="utf-8")
    assert "Strategische Ziele × Operative Pläne" in matrices and "Strategic objectives × operational plans" not in matrices


def test_the_roadmaps_count_keeps_german_nouns_capitalised(german_site):
    """Seen at 390 px: Jinja's `capitalize` lower-cased the rest of the sentence ("6 initiativen")."""
    roadmap = (german_site / "roadmap.html").read_text(encoding="utf-8")
    assert "6 Initiativen und 5 " in roadmap and "initiativen und" not in roadmap


def test_the_roadmaps_dates_are_written_as_germans_write_them(german_site):
    roadmap = (german_site / "roadmap.html").read_text(encoding="utf-8")
    assert ">01.01.2026 bis 31.12.2027<" in roadmap and "2026-01-01 bis" not in roadmap


def test_the_default_board_packs_title_is_translated_and_a_plans_own_is_not(speak):
    from stratdocs.config.specs import DEFAULT_DOCUMENT
    from stratdocs.render.views.document import shown_document

    speak("de")
    shown = shown_document(DEFAULT_DOCUMENT)
    assert (shown.title, shown.subtitle) == ("Vorstandsunterlage", "Strategischer Plan und Zielerreichung")
    own = shown_document(DocumentSpec("q4", "Quartalsbericht Q4", "", ("cover",)))
    assert (own.title, own.subtitle) == ("Quartalsbericht Q4", "")
    use(ENGLISH)
    assert shown_document(DEFAULT_DOCUMENT).title == "Board pack"


def test_a_german_plan_without_documents_prints_a_german_cover(tmp_path):
    """No `documents:` in stratdocs.yml: the default board pack's cover, PDF title and Documents
    page speak German."""
    from pypdf import PdfReader

    shutil.copytree(REPO / "content", tmp_path / "content")
    (tmp_path / "stratdocs.yml").write_text("title: Strategischer Plan\nas_of: 2026-11-15\nlanguage: de\n",
                                            encoding="utf-8")
    subprocess.run([sys.executable, "-m", "stratdocs", "-C", str(tmp_path), "build"], check=True, capture_output=True)
    reader = PdfReader(tmp_path / "site" / "pdf" / "board-pack.pdf")
    assert reader.metadata.title.startswith("Vorstandsunterlage")
    cover = reader.pages[0].extract_text()
    assert "VORSTANDSUNTERLAGE" in cover.upper() and "Board pack" not in cover
    assert "Vorstandsunterlage" in (tmp_path / "site" / "documents.html").read_text(encoding="utf-8")
