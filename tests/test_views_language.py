"""The view models speak the plan's language (issue 16, catalog part `views`): facts labels,
health words, KPI headlines, trend words, kind labels, page titles and breadcrumbs come from the
built-in theme's German and French catalogs; English stays as it is."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from conftest import run_module
from stratdocs import project as project_mod
from stratdocs.render.environment import make_environment
from stratdocs.render.site import renderer_spec
from stratdocs.render.urls import SiteMap
from stratdocs.render.views import Views
from stratdocs.render.views.common import health_word
from stratdocs.render.views.interface import ENGLISH, Interface, use
from stratdocs.render.views.matrix import axis_label
from stratdocs.theme import resolve

REPO = Path(__file__).resolve().parent.parent


def example(tmp_path: Path, language: str) -> Path:
    """A copy of the example plan with `language` set."""
    root = tmp_path / f"plan-{language}"
    shutil.copytree(REPO / "content", root / "content")
    config = (REPO / "stratdocs.yml").read_text(encoding="utf-8")
    (root / "stratdocs.yml").write_text(f"language: {language}\n" + config, encoding="utf-8")
    return root


@pytest.fixture(scope="module")
def views_of(tmp_path_factory):
    made = {}

    def make(language: str) -> Views:
        if language not in made:
            project = project_mod.load(example(tmp_path_factory.mktemp(language), language))
            sitemap = SiteMap.of(project.plan, project.config.content_dir)
            views = Views(project, renderer_spec(project, sitemap.paths, project.assets).make, sitemap=sitemap)
            views.ui = Interface.of(project.config, make_environment(resolve(project.config), language).translations)
            made[language] = views
        use(made[language].ui)
        return made[language]

    yield make
    use(ENGLISH)


def kpis(views: Views):
    return [views.kpi_row(e) for e in views.plan.of_kind("kpi")]


def labels(facts) -> set[str]:
    return {f.label for f in facts}


WORDS = {
    "de": {"owner": "Verantwortlich", "status": "Status", "measures": "Misst", "baseline": "Ausgangswert",
           "targets": "Zielwerte", "health": ("Grün", "Gelb", "Rot", "Keine Daten"),
           "trend": {"Verbessert", "Verschlechtert", "Unverändert"}, "better": "Höher ist besser",
           "objectives": "Strategische Ziele", "kpis": "Kennzahlen", "behind": " hinter Plan", "ahead": " vor Plan",
           "points": "Pp.", "scorecard": "Kennzahlen-Cockpit", "home": "Startseite",
           "financial": "Finanzen", "since": "seit der Vorperiode", "operational_kpis": "Operative Kennzahlen",
           "by": " bis "},
    "fr": {"owner": "Responsable", "status": "Statut", "measures": "Mesure", "baseline": "Valeur de référence",
           "targets": "Cibles", "health": ("Vert", "Orange", "Rouge", "Pas de données"),
           "trend": {"En amélioration", "En dégradation", "Stable"}, "better": "Plus élevé est meilleur",
           "objectives": "Objectifs stratégiques", "kpis": "Indicateurs", "behind": " en retard sur le prévu",
           "ahead": " en avance sur le prévu", "points": "points", "scorecard": "Tableau de bord des indicateurs",
           "home": "Accueil", "financial": "Finances", "since": "depuis la période précédente",
           "operational_kpis": "Indicateurs opérationnels", "by": " d'ici le "},
    "en": {"owner": "Owner", "status": "Status", "measures": "Measures", "baseline": "Baseline",
           "targets": "Targets", "health": ("Green", "Amber", "Red", "No data"),
           "trend": {"Improving", "Worsening", "Steady"}, "better": "Higher is better",
           "objectives": "Strategic objectives", "kpis": "KPIs", "behind": " behind plan", "ahead": " ahead of plan",
           "points": "points", "scorecard": "KPI scorecard", "home": "Home", "financial": "Financial",
           "since": "since the previous period", "operational_kpis": "Operational KPIs", "by": " by "},
}


@pytest.mark.parametrize("language", ["de", "fr", "en"])
def test_facts_health_and_kind_labels_are_in_the_plans_language(views_of, language):
    views, w = views_of(language), WORDS[language]
    kpi = views.plan.entities["K-ARR"]
    page = views.entity(kpi)
    assert {w["owner"], w["measures"]} <= labels(page.facts)
    assert {w["baseline"], w["targets"]} <= labels(page.kpi.definition)
    assert tuple(health_word(h) for h in ("green", "amber", "red", "no-data")) == w["health"]
    assert page.health_word in w["health"] and page.ref.label == views.ui.kind("kpi")
    assert views.ui.kind("objective", plural=True) == w["objectives"]
    assert [c.word for c in views.home().kpi_counts] == list(w["health"])
    nav = dict(views.site()["nav"])
    assert w["objectives"] in [label for _key, label, _href, _n in next(iter(nav.values()))]
    assert views.breadcrumbs(kpi)[0].label == w["home"]
    assert axis_label("kpi:operational") == w["operational_kpis"]


@pytest.mark.parametrize("language", ["de", "fr", "en"])
def test_kpi_headlines_and_trends_are_in_the_plans_language(views_of, language):
    views, w = views_of(language), WORDS[language]
    rows = kpis(views)
    against = [r.headline.against for r in rows if r.headline.against]
    assert any(w["behind"] in a for a in against) and any(w["ahead"] in a for a in against), against
    assert any(w["points"] in a for a in against if "%" not in a), against
    assert any(w["by"] in r.headline.target for r in rows)
    assert w["better"] in {r.direction for r in rows} and w["better"] in {r.headline.direction for r in rows}
    words = {r.trend.word for r in rows if r.trend.known}
    assert words and words <= w["trend"]
    assert all(w["since"] in r.trend.label for r in rows if r.trend.known)
    if language != "en":  # no English left in what the headline says
        english = {"plan", "points", "behind", "ahead", "since", "threshold", "green", "on", "by"} - {w["points"]}
        for text in against + [r.reason for r in rows] + [r.trend.label for r in rows] + [r.target for r in rows]:
            assert not set(re.findall(r"[a-z]+", text)) & english, text


def test_default_perspectives_are_translated_and_a_plans_own_names_are_not(views_of, tmp_path):
    views = views_of("de")
    assert views.perspective_names["financial"] == "Finanzen"
    assert "Finanzen" in [p.label for p in views.home().perspectives]
    root = example(tmp_path, "de")
    config = root / "stratdocs.yml"
    config.write_text(config.read_text(encoding="utf-8") + "perspectives:\n  financial: Wirtschaftlichkeit\n"
                      "  customer: Customer\n  internal: Internal processes\n  learning: Learning & growth\n",
                      encoding="utf-8")
    own = Views(project_mod.load(root))
    own.ui = Interface.of(own.project.config, views.ui.translations)
    assert own.perspective_names["financial"] == "Wirtschaftlichkeit"
    assert own.perspective_names["customer"] == "Customer"  # the plan's own word, as written


@pytest.mark.parametrize("language", ["de", "fr"])
def test_the_built_site_titles_and_crumbs_speak_the_language(tmp_path, language):
    root = example(tmp_path, language)
    result = run_module("-C", str(root), "build", "--no-pdf")
    assert result.returncode == 0, result.stdout + result.stderr
    w = WORDS[language]
    scorecard = (root / "site" / "scorecard.html").read_text(encoding="utf-8")
    assert re.search(rf"<title>{re.escape(w['scorecard'])}\b", scorecard.replace("&#39;", "'"))
    assert f">{w['home']}<" in scorecard
    kpi = (root / "site" / "kpis" / "K-ARR.html").read_text(encoding="utf-8").replace("&#39;", "'")
    assert f">{w['owner']}<" in kpi and f">{w['baseline']}<" in kpi and w["better"] in kpi
    text = re.sub(r"<svg.*?</svg>", "", kpi, flags=re.S)  # the charts' own words are the charts' part
    assert "Higher is better" not in text and ">Owner<" not in text and "behind plan" not in text


@pytest.mark.parametrize("language, words", [
    ("de", ("verstrichener Zeit", "Ausgaben von", "Zeitplan: ")),
    ("fr", ("du temps écoulé", "dépenses de", "calendrier : ")),
    ("en", ("of the time elapsed", "spend ", "schedule: "))])
def test_initiative_delivery_reasons_are_in_the_plans_language(views_of, language, words):
    views = views_of(language)
    initiatives = views.plan.of_kind("initiative")
    details = [views.initiative_detail(e) for e in initiatives]
    assert any(words[0] in d.schedule_reason for d in details), [d.schedule_reason for d in details]
    assert any(d.budget_reason.startswith(words[1]) for d in details), [d.budget_reason for d in details]
    assert all(views.initiative_row(e).reason.startswith(words[2]) for e in initiatives)
    if language == "en":  # the page says what `check` says
        assert [d.schedule_reason for d in details] == [views.project.initiative_health[e.id].schedule_reason
                                                        for e in initiatives]
        assert [d.budget_reason for d in details] == [views.project.initiative_health[e.id].budget_reason
                                                      for e in initiatives]
    else:
        assert not any("milestone" in d.schedule_reason or "planned" in d.budget_reason for d in details)
    milestones = {m.status_word for d in details for m in d.milestones}
    assert milestones and ("done" in milestones) == (language == "en")


def test_kpi_levels_read_in_the_plans_language(views_of):
    assert {r.level_word for r in kpis(views_of("de"))} == {"Strategisch", "Operativ"}
    assert {r.level_word for r in kpis(views_of("en"))} == {"Strategic", "Operational"}


def test_the_alignment_reports_failure_modes_read_in_the_plans_language(views_of):
    german = views_of("de").alignment()
    assert german.modes[0].title == "Fehlende Verbindung zwischen Planung und Umsetzung"
    assert german.modes[0].why.startswith("Eine Strategie, die nichts umsetzt")
    assert views_of("fr").alignment().modes[0].title == "Lien manquant entre planification et exécution"
    assert views_of("en").alignment().modes[0].title == "Missing link between planning and execution"


def test_an_initiatives_budget_fact_is_written_in_the_plans_language(views_of):
    def budget(language):
        facts = views_of(language).entity(views_of(language).plan.entities["I1"]).facts
        return next(f.text for f in facts if f.key == "budget")

    assert "9.400.000" in budget("de") and "9,400,000" in budget("en")


def test_matrix_axes_read_in_the_plans_language(views_of):
    german = views_of("de").matrix("objectives-kpis")
    assert (german.row_label, german.row_words, german.column_words) == (
        "Strategische Ziele", "Strategische Ziele", "Kennzahlen")  # German nouns keep their capital
    french = views_of("fr").matrix("objectives-kpis")
    assert (french.row_label, french.row_words) == ("Objectifs stratégiques", "objectifs stratégiques")
    assert views_of("en").matrix("objectives-kpis").row_words == "strategic objectives"
