"""Initiative delivery in PDF documents (issue #14): the landscape `roadmap` section, the
Initiatives table of the scorecard section and an initiative's milestones, read back with pypdf."""

from __future__ import annotations

import re

import pytest

from conftest import EXAMPLE_ROOT
from test_pdf import landscape, render, small_plan, texts

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def board():
    return render(EXAMPLE_ROOT, "board-pack")["board-pack"][0]


def _start(reader, title: str) -> int:
    return next(reader.get_destination_page_number(item) for item in reader.outline
                if not isinstance(item, list) and item.title == title)


def test_roadmap_is_a_landscape_section_with_health_words_and_internal_links(board):
    page = _start(board, "4 Roadmap")
    assert landscape(board.pages[page]) and not landscape(board.pages[page - 1])
    text = texts(board)[page]
    assert "6 initiatives and 5 operational plans from 2026-01-01 to 2028-12-31" in text
    for words in ("I2 · DACH and Nordics market entry", "SO5 · Lead the market", "Amber", "Red", "Green",
                  "milestone overdue", "as of 15 Nov 2026"):
        assert words in text, words
    # the chart's items again as a table, on the next (landscape) page, linked to their place in the pack
    following = texts(board)[page + 1]
    assert landscape(board.pages[page + 1]) and "Forecast AI and Sovereign Cloud programme" in following
    assert "5 milestones: 2 done, 1 overdue" in following
    annots = [a.get_object() for a in board.pages[page + 1].get("/Annots", [])]
    targets = {str(a["/Dest"]) for a in annots if "/Dest" in a}
    assert {"e-I1", "e-I2", "e-I5"} <= targets  # initiatives are in the pack
    assert not any(t.startswith("e-sales") for t in targets)  # operations are not: plain text


def test_scorecard_section_has_the_initiatives_table(board):
    start, end = _start(board, "3 KPI scorecard"), _start(board, "4 Roadmap")
    text = " ".join(re.sub(r"(\w)-\n(\w)", r"\1\2", "\n".join(texts(board)[start:end])).split())  # hyphenated words rejoined
    table = text[text.index("Initiatives Delivery health"):]
    assert "I2 DACH and Nordics market entry" in table and "1 OVERDUE" in table.upper()
    assert "EUR 3,260,000 of EUR 6,800,000" in table and "30 new DACH logos, due 2026-10-31" in table
    assert "I5 Trust and certification programme" in table and "Red" in table


def test_initiative_blocks_show_milestones_progress_and_budget(board):
    pages = texts(board)
    i2 = next(t for t in pages if "INITIATIVE I2 · DACH and Nordics market entry" in t)
    for words in ("40%", "from milestones done", "DACH-30-LOGOS 30 new DACH logos", "EUR 3,260,000",
                  "of EUR 6,800,000", "EUR 2,966,255 planned to date"):
        assert words in i2, words


def test_a_document_without_initiatives_prints_an_empty_roadmap(tmp_path):
    plan = small_plan(tmp_path / "p", "documents:\n  - id: ops\n    sections: [cover, roadmap]\n    filter: {kind: kpi}\n")
    reader = render(plan.root, "ops")["ops"][0]
    assert "No initiative or operational plan is part of this document." in " ".join(texts(reader))
    assert landscape(reader.pages[1])
