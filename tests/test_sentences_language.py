"""Reader sentences in the plan's language (issue #16, part `sentences`): each finding's sentence
on the alignment page and owner pages, the executive summary's gaps, the board's alignment words,
the PDF's section titles and the owners' words, for `language: de` and `fr`; English unchanged.

`check` stays English (for CI and editors): only the reader's sentence is translated."""

from __future__ import annotations

import html
import re

import pytest

from conftest import PlanProject
from stratdocs.alignment import FAILURE_MODES
from stratdocs.findings import WARNING_CODES
from stratdocs.render.views.sentences import SENTENCES
from test_check_warnings import SCENARIOS, code_of

#: A German fragment of each code's reader sentence, as a reader sees it (the same scenario as
#: tests/test_check_warnings.py; the date, ids and numbers come from the check message).
GERMAN = {
    "no-execution": "wird nicht umgesetzt: keine Initiative",
    "orphan": "dient keinem strategischen Ziel",
    "no-kpi": "hat keine Kennzahl, die es misst",
    "kpi-unlinked": "wirkt auf keine strategische Kennzahl",
    "review-overdue": "hätte am ",
    "stale-kpi": "ist veraltet: Der letzte Istwert vom ",
    "horizon": "umfasst ",
    "no-owner": "hat keine verantwortliche Person",
    "red-unaddressed": "ist rot, und keine laufende Initiative",
    "stale-commentary": "zu den neuesten Zahlen gibt es noch keinen Kommentar",
    "unknown-key": "hat einen Schlüssel, den stratdocs nicht kennt",
    "suspect": "passt womöglich nicht mehr zu K-REV, das sich geändert hat",
    "milestone-overdue": "Meilenstein M1 war am ",
    "initiative-behind-schedule": "liegt hinter dem Zeitplan:",
    "initiative-over-budget": "überschreitet das Budget",
    "external-image": "zeigt ein Bild, das keine Datei der Website ist",
    "action-overdue": "war am ",
    "action-no-owner": "hat keine verantwortliche Person",
    "risk-unmitigated": "ist ein hohes Risiko (Wert ",
    "risk-review-overdue": "hätte am ",
    "unknown-status": "hat einen Status, den stratdocs nicht kennt (",
}
#: Codes that some failure mode of the alignment page lists.
ON_ALIGNMENT_PAGE = {code for _, codes, _ in FAILURE_MODES for code in codes}
MESSAGE_RE = re.compile(r'<span class="message">(.*?)</span>', re.S)
GERMAN_MONTHS = ("Januar", "Februar", "März", "April", "Mai", "Juni", "Juli", "August", "September", "Oktober",
                 "November", "Dezember")


def set_language(project: PlanProject, language: str) -> None:
    project.edit("stratdocs.yml", "as_of:", f"language: {language}\nas_of:")


def build_site(project: PlanProject):
    out = project.root / "site"
    result = project.run("build", "--no-pdf", "--out", str(out))
    assert result.exit_code == 0, result.stdout + result.stderr
    return out


def sentences(page) -> list[str]:
    """The reader sentences of a page (alignment, owner), as text."""
    return [html.unescape(re.sub(r"<[^>]+>", "", m)).strip() for m in MESSAGE_RE.findall(page.read_text("utf-8"))]


def test_every_warning_code_has_a_reader_sentence_of_its_own():
    assert set(SENTENCES) == set(WARNING_CODES)
    assert set(GERMAN) == set(WARNING_CODES) - {"blocked-fetch", "asset"}


@pytest.mark.parametrize("name", SCENARIOS)
def test_the_reader_sentence_of_each_finding_is_german(plan_project, name):
    code = code_of(name)
    SCENARIOS[name].provoke(plan_project)
    english = plan_project.check().only(code)["message"]
    set_language(plan_project, "de")
    assert plan_project.check().only(code)["message"] == english  # check stays English
    out = build_site(plan_project)
    page = out / "alignment.html" if code in ON_ALIGNMENT_PAGE else None
    if page is None:  # not a failure mode of the report: the owner of the item sees it
        page = next(p for p in (out / "owners").glob("*.html") if p.name != "index.html"
                    and code_sentence_in(p, code))
    found = [s for s in sentences(page) if GERMAN[code] in s]
    assert found, (GERMAN[code], sentences(page))
    sentence = found[0]
    for word in ("is not", " has no ", " was due", " serves ", " drives ", "stale", "suspect"):
        assert word not in f" {sentence} ", sentence
    if re.search(r"\d{4}-\d{2}-\d{2}", english) and code not in ("horizon", "suspect", "stale-commentary"):
        assert any(month in sentence for month in GERMAN_MONTHS), sentence  # "15. Oktober 2026"


def code_sentence_in(page, code: str) -> bool:
    return any(GERMAN[code] in s for s in sentences(page))


# -- summary, owners and PDF words -------------------------------------------------------------

from pypdf import PdfReader  # noqa: E402

from test_check_warnings import _no_execution, _risk_unmitigated  # noqa: E402

#: language -> what a reader of the site and the PDF sees in it (the catalog's words).
WORDS = {
    "de": {"gap": "wird durch nichts umgesetzt: keine Initiative",
           "finding": "wird nicht umgesetzt: keine Initiative, Funktionalstrategie oder kein Operativer Plan",
           "risk": "ist ein hohes Risiko (Wert ", "owners": ("Verantwortliche", "offene Punkte", "Startseite"),
           "titles": ["Inhalt", "1 Zusammenfassung für die Geschäftsleitung", "2 Strategische Ziele",
                      "3 Risikoregister", "4 Offene Maßnahmen", "5 Ausrichtungsbericht"]},
    "fr": {"gap": "n’est mis en œuvre par rien : aucune initiative",
           "finding": "n’est pas mis en œuvre : aucune initiative, stratégie fonctionnelle",
           "risk": "est un risque élevé (score ", "owners": ("responsables", "points à traiter", "Accueil"),
           "titles": ["Sommaire", "1 Synthèse", "2 Objectifs stratégiques", "3 Registre des risques",
                      "4 Actions ouvertes", "5 Rapport d’alignement"]},
    "en": {"gap": "has nothing executing it: no initiative, strategy or operational plan.",
           "finding": "is not executed: no initiative, strategy or operational plan supports it",
           "risk": "is high (likelihood", "owners": ("owners", "needs", "Home"),
           "titles": ["Contents", "1 Executive summary", "2 Strategic objectives", "3 Risk register",
                      "4 Open actions", "5 Alignment report"]},
}
DOCUMENT = """\
documents:
  - id: pack
    title: Board pack
    sections: [cover, contents, summary, objectives, risks, actions, alignment]
"""


def flat(text: str) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", text)).split())


@pytest.fixture(params=list(WORDS))
def built(request, plan_project):
    """A plan with an objective nothing executes and an unmitigated high risk, built (site and
    PDF) in a language."""
    _no_execution(plan_project)
    _risk_unmitigated(plan_project)
    language = request.param
    config = plan_project.read("stratdocs.yml")
    plan_project.write("stratdocs.yml", (f"language: {language}\n" if language != "en" else "") + config + DOCUMENT)
    out = plan_project.root / "site"
    result = plan_project.run("build", "--out", str(out))
    assert result.exit_code == 0, result.stdout + result.stderr
    return language, out


def test_summary_alignment_and_owner_words_are_in_the_plans_language(built):
    language, out = built
    words = WORDS[language]
    home = flat((out / "index.html").read_text("utf-8"))
    assert words["gap"] in home
    alignment = flat((out / "alignment.html").read_text("utf-8"))
    assert words["finding"] in alignment and words["risk"] in alignment
    index = flat((out / "owners" / "index.html").read_text("utf-8"))
    owner = next(p for p in (out / "owners").glob("*.html") if p.name != "index.html")
    page = flat(owner.read_text("utf-8"))
    assert words["owners"][0] in index and words["owners"][1] in index
    assert words["owners"][2] in page
    if language != "en":
        for english in ("has nothing executing it", "is not executed", " needs", "owners"):
            assert english not in home + alignment.split("For editors")[0] + index.replace("/owners/", ""), english


def test_pdf_section_titles_and_sentences_are_in_the_plans_language(built):
    language, out = built
    words = WORDS[language]
    pdf = next(out.rglob("pack*.pdf"))
    reader = PdfReader(pdf)
    titles = [item.title for item in reader.outline if not isinstance(item, list)]
    assert titles[1:7] == words["titles"]  # after the cover (its bookmark is the PDF templates' word)
    text = " ".join(" ".join((page.extract_text() or "").split()) for page in reader.pages)
    assert words["gap"].split(":")[0] in text
    assert words["finding"].split(":")[0] in text  # the board reads the same sentence as the site
    if language != "en":
        for english in ("Executive summary", "Risk register", "Open actions", "has nothing executing it",
                        "is not executed", "finding"):
            assert english not in text, english
