"""Numbers and words for readers (issue 11): one formatter, each KPI's precision from its data,
units that read naturally, thresholds where a target would be, and numbers and dates in the
plan's `language` (en, de, fr) while machine formats stay locale-free."""

from __future__ import annotations

import json
import re
from datetime import date
from pathlib import Path

import pytest

from stratdocs.numbers import NumberFormat, decimals_of, format_date, format_number, known_language

from conftest import PlanProject

#: A small plan whose KPIs exercise units, precision, directions and thresholds.
KPIS = {
    # Churn: a percentage, lower is better; integers beside decimals in its data.
    "content/kpis/K-CHURN.md": """\
        ---
        title: Gross churn
        measures: [SO1]
        owner: CFO
        unit: "%"
        direction: down
        frequency: monthly
        baseline: {value: 10, date: 2025-12-31}
        target: [{value: 8, date: 2026-12-31}, {value: 6, date: 2027-12-31}]
        actuals:
          - {date: 2026-09-30, value: 11.2}
          - {date: 2026-10-31, value: 11.5}
        ---
        """,
    # Customers: a count with thresholds and no target.
    "content/kpis/K-LOGOS.md": """\
        ---
        title: New customers
        measures: [SO1]
        owner: CSO
        unit: count
        direction: up
        frequency: monthly
        thresholds: {green: 30, amber: 20}
        actuals:
          - {date: 2026-10-31, value: 33}
        ---
        """,
    # Revenue in EUR millions, ahead of its planned line.
    "content/kpis/K-ARR.md": """\
        ---
        title: Annual recurring revenue
        measures: [SO1]
        owner: CFO
        unit: EUR m
        direction: up
        frequency: monthly
        baseline: {value: 48, date: 2025-12-31}
        target: {value: 60, date: 2026-12-31}
        actuals:
          - {date: 2026-09-30, value: 59.4}
        ---
        """,
}


def _plan(tmp_path: Path, language: str | None = None) -> PlanProject:
    project = PlanProject(tmp_path / f"plan-{language or 'default'}")
    for rel, text in KPIS.items():
        project.write(rel, text)
    if language:
        project.write("stratdocs.yml", f"title: Test plan\nas_of: 2026-11-15\nlanguage: {language}\n")
    return project


def _page(project: PlanProject, rel: str) -> str:
    html = (project.root / "site" / rel).read_text(encoding="utf-8")
    return re.sub(r"\s+", " ", html)


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", re.sub(r"<svg.*?</svg>", " ", html)))


# --------------------------------------------------------------------------- the formatter


@pytest.mark.parametrize("language, number, money, day", [
    ("en", "59.4", "EUR 59.4m", "30 September 2026"),
    ("de", "59,4", "59,4 Mio. €", "30. September 2026"),
    ("fr", "59,4", "59,4 M €", "30 septembre 2026"),
])
def test_numbers_and_dates_follow_the_language(language, number, money, day):
    assert format_number(59.4, language=language) == number
    assert format_number(59.4, "EUR m", 1, language) == money
    assert format_date(date(2026, 9, 30), language) == day
    assert format_number(59.4, "%", 1, language) == f"{number}%"  # no space before "%"
    assert format_number(196, "count", language=language) == "196"  # never "196 count"


def test_thousands_separators_per_language():
    assert format_number(12345.5, decimals=1) == "12,345.5"
    assert format_number(12345.5, decimals=1, language="de") == "12.345,5"
    assert format_number(12345.5, decimals=1, language="fr") == "12\u00a0345,5"


def test_a_series_is_written_with_the_precision_of_its_most_precise_value():
    assert decimals_of([53, 59.4, 60]) == 1
    fmt = NumberFormat("%", decimals_of([53, 59.4]), "en")
    assert (fmt.value(53), fmt.value(59.4)) == ("53.0%", "59.4%")  # no "53" beside "59.4"
    counts = NumberFormat("count", decimals_of([12, 40]), "en")
    assert counts.value(33.32) == "33"  # no "33.32 customers"
    assert NumberFormat("%", 1).amount(-2.94) == "2.9 points"
    assert NumberFormat("EUR m", 1).amount(-0.31) == "EUR 0.3m"


def test_config_refuses_a_language_babel_does_not_know(plan_project):
    plan_project.write("stratdocs.yml", "title: Test plan\nas_of: 2026-11-15\nlanguage: xx-yy\n")
    result = plan_project.run("check")
    assert result.exit_code == 2
    assert "stratdocs.yml:3:11: error: unknown language 'xx-yy'" in result.stderr
    assert known_language("de-CH") and not known_language("klingon")


# --------------------------------------------------------------------------- pages


def test_kpi_headline_says_the_difference_from_plan_in_the_kpis_unit(tmp_path):
    project = _plan(tmp_path)
    assert project.run("build", "--no-pdf").exit_code == 0
    churn = _text(_page(project, "kpis/K-CHURN.html"))
    # Lower is better: 11.5% against about 8.3% planned is behind plan, in points.
    assert re.search(r"✗ Red 3\.\d points behind plan", churn), churn[:2000]
    assert "of planned progress" not in churn and "Progress vs plan" not in churn
    arr = _text(_page(project, "kpis/K-ARR.html"))
    # 48 + 12 × 273/365 = 57.0 planned at 30 September: 59.4 is EUR 2.4m ahead.
    assert "EUR 2.4m ahead of plan" in arr and "Plan by then EUR 57.0m" in arr and "EUR 59.4m" in arr and "59.4 EUR m" not in arr
    logos = _text(_page(project, "kpis/K-LOGOS.html"))
    assert "3 better than the green threshold" in logos and "33 count" not in logos
    assert "green at 30 or more, amber at 20 or more" in logos


def test_headline_comes_before_the_chart_and_the_facts(tmp_path):
    project = _plan(tmp_path)
    assert project.run("build", "--no-pdf").exit_code == 0
    html = _page(project, "kpis/K-CHURN.html")
    head, chart, facts = html.index('class="kpi-headline"'), html.index("sd-kpi-chart"), html.index("<h2>Definition</h2>")
    assert head < chart < facts
    assert '<time datetime="2026-10-31">31 October 2026</time>' in html


def test_scorecard_shows_thresholds_where_a_target_would_be(tmp_path):
    project = _plan(tmp_path)
    assert project.run("build", "--no-pdf").exit_code == 0
    row = next(r for r in _page(project, "scorecard.html").split("<tr") if "K-LOGOS" in r)
    # Planned: "—" (no target, no line); target column: the thresholds in words.
    assert "33 31 Oct 2026 — green at 30 or more, amber at 20 or more ·" in _text(row)  # then the trend
    assert '<time class="muted date" datetime="2026-10-31">31 Oct 2026</time>' in row


def test_german_plan_writes_numbers_and_dates_in_german(tmp_path):
    project = _plan(tmp_path, "de")
    assert project.run("build", "--no-pdf").exit_code == 0
    arr = _page(project, "kpis/K-ARR.html")
    text = _text(arr)
    assert "59,4 Mio. €" in text and "30. September 2026" in text
    assert '<time datetime="2026-09-30">' in arr  # machine dates stay ISO
    assert "59,4" in arr.split("sd-kpi-chart", 1)[1]  # chart labels in German too
    churn = _text(_page(project, "kpis/K-CHURN.html"))
    assert re.search(r"3,\d Pp\. hinter Plan", churn)  # the headline in German (catalog part views)
    assert "Danach: 6,0% bis 31.12.2027" in _page(project, "kpis/K-CHURN.html")  # the chart's later milestones, in German
    assert "31.10.2026" in _text(_page(project, "scorecard.html"))  # narrow columns: the medium form


def test_french_plan_and_machine_formats_stay_locale_free(tmp_path):
    project = _plan(tmp_path, "fr")
    assert project.run("build", "--no-pdf").exit_code == 0
    assert "30 septembre 2026" in _text(_page(project, "kpis/K-ARR.html"))
    exported = project.run("export", "--format", "json")
    data = json.loads(exported.stdout)
    arr = next(e for e in data["entities"] if e["id"] == "K-ARR")
    assert "59.4" in json.dumps(arr) and "59,4" not in json.dumps(arr)
    check = project.run("check", "--format", "text")
    assert "59,4" not in check.stdout + check.stderr


@pytest.mark.parametrize("language", ["../../../../etc/passwd", "en/../../x", "de_DE.UTF-8@/x", "C:\\\\boot"])
def test_language_cannot_name_a_file(plan_project, language):
    """Babel's locale data is read from its own package only: a path as `language` is refused."""
    plan_project.write("stratdocs.yml", f'title: Test plan\nas_of: 2026-11-15\nlanguage: "{language}"\n')
    result = plan_project.run("check")
    assert result.exit_code == 2 and "unknown language" in result.stderr


def test_only_real_currency_codes_are_written_as_money():
    from stratdocs.numbers import format_number
    assert format_number(38, "NPS") == "38 NPS"
    assert format_number(1.5, "EUR m") == "EUR 1.5m"
    assert format_number(38, "NPS", language="de") == "38 NPS"
