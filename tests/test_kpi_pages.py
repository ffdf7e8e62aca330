"""KPI pages a board can read (issue 11), read back from real output: each KPI of the board pack
on one page with its heading, headline and chart together (pypdf, via the bookmarks), also for a
plan with long titles, units and definitions; no "of planned progress" for readers."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from pypdf import PdfReader

from conftest import EXAMPLE_ROOT, PlanProject
from fixtures_long import write_long_plan

pytestmark = pytest.mark.slow

LONG_TEXT = ("Counted from the customer relationship management system after the monthly close, "
             "reconciled with the finance ledger by the controlling team, and restated when late "
             "bookings arrive; partner-sourced deals count once, in the region of the end customer. ")


def kpi_spans(reader: PdfReader) -> dict[str, tuple[int, int]]:
    """{KPI id: (first page, pages it spans)} from the bookmarks of the pack's KPI section."""
    flat: list[tuple[str, int]] = []

    def walk(items):
        for item in items:
            if isinstance(item, list):
                walk(item)
            else:
                flat.append((item.title, reader.get_destination_page_number(item)))
    walk(reader.outline)
    start = next(i for i, (title, _) in enumerate(flat) if re.fullmatch(r"\d+ KPIs", title))
    spans = {}
    for i in range(start + 1, len(flat)):
        title, page = flat[i]
        if not title.startswith("K-"):
            break
        end = flat[i + 1][1] if i + 1 < len(flat) else len(reader.pages)
        spans[title.split(" · ")[0]] = (page, end - page)
    return spans


def build_pdf(project: PlanProject, name: str) -> PdfReader:
    result = project.run("pdf", name)
    assert result.exit_code == 0, result.stdout + result.stderr
    return PdfReader(project.root / "site" / "pdf" / f"{name}.pdf")


def assert_one_page_each(reader: PdfReader, expected: int) -> None:
    """Each KPI on one page; heading, headline and chart together on its first page always."""
    spans = kpi_spans(reader)
    assert len(spans) == expected, spans
    for kpi, (page, count) in spans.items():
        text = reader.pages[page].extract_text()
        assert kpi in text and "LATEST" in text.upper() and "As of" in text  # heading, headline, chart
        assert "of planned progress" not in text
        assert count == 1, f"{kpi} spans {count} pages from page {page + 1}"


@pytest.fixture(scope="module")
def example_pack(tmp_path_factory) -> PdfReader:
    root = tmp_path_factory.mktemp("example")
    shutil.copytree(EXAMPLE_ROOT / "content", root / "content")
    shutil.copy(EXAMPLE_ROOT / "stratdocs.yml", root / "stratdocs.yml")
    return build_pdf(PlanProject(root, {}), "board-pack")


def test_each_kpi_of_the_example_pack_takes_one_page(example_pack):
    assert_one_page_each(example_pack, 15)


def test_pack_headline_speaks_in_the_kpis_unit(example_pack):
    pages = {kpi: example_pack.pages[p].extract_text() for kpi, (p, _) in kpi_spans(example_pack).items()}
    assert "EUR 0.3m behind plan" in pages["K-ARR"]
    assert re.search(r"\d+\.\d points behind plan", pages["K-CHURN"])
    assert "196 count" not in pages["K-MQL"] and "196" in pages["K-MQL"]
    assert "Next: EUR 82.0m by 31 Dec 2027" in pages["K-ARR"]  # later milestones as text
    assert all("of planned progress" not in t for t in pages.values())


def test_each_kpi_takes_one_page_with_long_titles_units_and_definitions(tmp_path):
    root = write_long_plan(tmp_path / "long")
    (root / "stratdocs.yml").write_text(
        "title: Long plan\nas_of: 2026-11-15\n"
        "documents:\n  - {id: pack, title: Pack, sections: [cover, contents, kpis]}\n", encoding="utf-8")
    for path in sorted((root / "content" / "kpis").glob("*.md")):
        text = path.read_text(encoding="utf-8")
        quality = (f'source: "{LONG_TEXT}"\nmethod: "{LONG_TEXT}"\nlimitations: "{LONG_TEXT}"\n')
        path.write_text(text.replace("\n---\n", "\n" + quality + "---\n", 1) + "\n" + LONG_TEXT + "\n",
                        encoding="utf-8")
    assert_one_page_each(build_pdf(PlanProject(root, {}), "pack"), 6)
