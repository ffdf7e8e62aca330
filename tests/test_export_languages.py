"""Exports and the plan's language (issue #16): JSON and CSV stay machine-readable whatever
`language` says; the XLSX holds real numbers and dates that the spreadsheet shows in its
reader's locale (Excel's built-in short date, format 14), and its headers stay field names."""

from __future__ import annotations

import csv
import io
import json
import zipfile
from datetime import date, datetime

import pytest


@pytest.fixture
def german(plan_project):
    plan_project.edit("stratdocs.yml", "title:", "language: de\ntitle:")
    return plan_project


def test_json_and_csv_values_stay_locale_free_in_a_german_plan(german, tmp_path):
    result = german.run("export", "--format", "json")
    assert result.exit_code == 0, result.stderr
    kpi = next(e for e in json.loads(result.stdout)["entities"] if e["id"] == "K-REV")
    assert isinstance(kpi["latest"]["value"], float) and kpi["latest"]["date"].count("-") == 2
    target = tmp_path / "plan.csv"
    assert german.run("export", "-o", str(target)).exit_code == 0
    rows = list(csv.DictReader(io.StringIO(target.read_text(encoding="utf-8"))))
    assert rows[0]["id"] and "kind" in rows[0]
    text = target.read_text(encoding="utf-8")
    assert "," in text.splitlines()[0] and ";" not in text.splitlines()[0]


def test_xlsx_dates_use_the_readers_short_date_and_numbers_stay_numbers(german, tmp_path):
    openpyxl = pytest.importorskip("openpyxl")
    target = tmp_path / "plan.xlsx"
    result = german.run("export", "--format", "xlsx", "-o", str(target))
    assert result.exit_code == 0, result.stderr
    book = openpyxl.load_workbook(target)
    header = [c.value for c in book["KPIs"][1]]
    assert header[0] == "id"                     # field names, not translated labels
    dated = [c for row in book["KPIs"].iter_rows(min_row=2) for c in row if isinstance(c.value, (date, datetime))]
    assert dated and all(c.number_format == "mm-dd-yy" for c in dated)
    numbers = [c.value for row in book["KPIs"].iter_rows(min_row=2) for c in row
               if isinstance(c.value, (int, float)) and not isinstance(c.value, bool)]
    assert numbers
    # Stored as the built-in format 14 (which a spreadsheet localises), not as a custom pattern.
    assert {book._cell_styles[c.style_id].numFmtId for c in dated} == {14}
    with zipfile.ZipFile(target) as archive:
        assert 'numFmtId="14"' in archive.read("xl/styles.xml").decode()
