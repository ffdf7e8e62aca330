"""KPI actuals kept in CSV files under content/data (columns `date,value[,note]`)."""

from __future__ import annotations

import csv
import io
import math
import re
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from stratdocs.findings import Finding, error
from stratdocs.model import Point
from stratdocs.periods import parse_date


@dataclass(frozen=True, slots=True)
class CsvFormat:
    """How the plan's data files are written (`csv:` in stratdocs.yml): the column separator and
    the decimal mark. A German or French spreadsheet saves `;` and `,`."""

    separator: str = ","
    decimal: str = "."


DEFAULT_FORMAT = CsvFormat()
_DIGITS = re.compile(r"[+-]?\d+\Z")
_GROUPED = re.compile(r"[+-]?\d{1,3}(\.\d{3})+\Z")
_DECIMAL_COMMA = re.compile(r"[+-]?\d+,\d+\Z")
_DECLARE = "declare csv: {separator: ';', decimal: ','} in stratdocs.yml"


def data_path(content_dir: str, data: str) -> str | None:
    """Project-relative path of a `data:` value, or None if it leaves content/data."""
    rel = PurePosixPath(data)
    if rel.is_absolute() or ".." in rel.parts or not data.strip():
        return None
    if rel.parts and rel.parts[0] == "data":  # tolerate "data/x.csv"
        rel = PurePosixPath(*rel.parts[1:])
    return (PurePosixPath(content_dir) / "data" / rel).as_posix()


def read_actuals(root: Path, rel: str, ref_file: str, ref_line: int, ref_col: int,
                 form: CsvFormat = DEFAULT_FORMAT, column: str = "value") -> tuple[tuple[Point, ...], list[Finding]]:
    """Read a CSV of actuals written in `form`. Problems are `csv` findings on the CSV's own lines.

    :param column: the name of the value column: `value` for KPI actuals, `amount` for an
        initiative's spend (columns ``date,amount[,note]``).
    """
    path = root / rel
    if not path.is_file():
        return (), [error(ref_file, ref_line, ref_col, "csv", f"data file '{rel}' does not exist; "
                          f"create it with the columns date,{column},note or fix the path")]
    real_root = root.resolve()
    if real_root not in path.resolve().parents:  # SPEC §12: symlinks that leave the project are refused
        return (), [error(ref_file, ref_line, ref_col, "csv", f"data file '{rel}' is a symlink that points "
                          "outside the project; refused")]
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError:
        return (), [error(rel, 1, 1, "encoding", "CSV file is not valid UTF-8; save it as UTF-8")]
    except OSError as exc:
        return (), [error(ref_file, ref_line, ref_col, "csv", f"cannot read '{rel}': {exc.strerror or exc}")]
    return parse_actuals(rel, text, form, column)


_SEPARATORS = {",": "commas", ";": "semicolons (;)", "\t": "tabs", "|": "bars (|)"}


def _separator(row: list[str], form: CsvFormat, text: str = "", column: str = "value") -> str | None:
    """The message for a row written with another separator than the configured one, else None;
    `text` is the whole file, to tell a German or French spreadsheet's way from the header alone."""
    if len(row) != 1:
        return None
    for sep, name in _SEPARATORS.items():
        if sep != form.separator and sep in row[0]:
            if sep == ";" and re.search(r"\d,\d", text or row[0]):
                return (f"this row is separated by semicolons and has decimal commas, as a German or French "
                        f"spreadsheet saves it; {_DECLARE}, or save it with commas and decimal points")
            expected = _SEPARATORS[form.separator]
            return (f"this row is separated by {name}, not {expected}; save the CSV with {expected} "
                    f"between date,{column},note")
    return None


def _number(text: str, form: CsvFormat) -> float:
    """The value of a cell written with `form`'s decimal mark; with a decimal comma, `.` may only
    group thousands (`1.234,5`)."""
    if form.decimal == ",":
        whole, _, decimals = text.partition(",")
        if "." in whole and not _GROUPED.match(whole):
            raise ValueError
        text = whole.replace(".", "") + ("." + decimals if decimals else "")
    value = float(text)
    if not math.isfinite(value):
        raise ValueError
    return value


def _split_decimal(row: list[str], header: list[str], form: CsvFormat) -> str | None:
    """The message for a row whose value a decimal comma split in two (`2026-01-31,9,84`), else None."""
    if form.separator != "," or len(row) != 3 or not _DIGITS.match(row[1].strip()) \
            or not re.fullmatch(r"\d+", row[2].strip()):
        return None
    value = f"{row[1].strip()},{row[2].strip()}"
    return (f"the value {value} is written with a decimal comma, so the comma splits it in two; "
            f"write {value.replace(',', '.')}, or {_DECLARE}")


def parse_actuals(rel: str, text: str, form: CsvFormat = DEFAULT_FORMAT, column: str = "value") -> tuple[tuple[Point, ...], list[Finding]]:
    findings: list[Finding] = []
    points: list[Point] = []
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=form.separator)
    header: list[str] | None = None
    seen: dict = {}
    try:
        for row in reader:
            line = reader.line_num
            if not row or all(not cell.strip() for cell in row):
                continue
            if header is None:
                header = [cell.strip().lower() for cell in row]
                if header[:2] != ["date", column] or len(header) > 3 or (len(header) == 3 and header[2] != "note"):
                    findings.append(error(rel, line, 1, "csv", _separator(row, form, text, column) or "the first row "
                                          f"must be the header 'date,{column}' or 'date,{column},note'"))
                    return (), findings
                continue
            if (split := _split_decimal(row, header, form)) is not None:
                findings.append(error(rel, line, len(row[0]) + 2, "csv", split))
                continue
            if len(row) < 2 or len(row) > len(header):
                findings.append(error(rel, line, 1, "csv", _separator(row, form, column=column) or f"expected {len(header)} columns "
                                      f"({','.join(header)}), found {len(row)}"))
                continue
            try:
                day = parse_date(row[0].strip())
            except ValueError as exc:
                findings.append(error(rel, line, 1, "csv", str(exc)))
                continue
            try:
                value = _number(row[1].strip(), form)
            except ValueError:
                findings.append(error(rel, line, len(row[0]) + 2, "csv", _not_a_number(row[1].strip(), form)))
                continue
            if day in seen:
                findings.append(error(rel, line, 1, "csv", f"a second actual for {day.isoformat()} "
                                      f"(first on line {seen[day]}); keep one"))
                continue
            seen[day] = line
            note = row[2].strip() if len(row) > 2 else ""
            points.append(Point(day, value, note, line, rel))
    except csv.Error as exc:
        findings.append(error(rel, reader.line_num or 1, 1, "csv", f"malformed CSV: {exc}"))
    if header is None and not findings:
        findings.append(error(rel, 1, 1, "csv", f"CSV file is empty; add the header 'date,{column},note'"))
    points.sort(key=lambda p: p.date)
    return tuple(points), findings


def _not_a_number(text: str, form: CsvFormat) -> str:
    if form.decimal == "," and "." in text:
        return (f"value '{text}' has a '.', but the data files are declared with decimal commas "
                "(csv.decimal in stratdocs.yml); write it like 9,84")
    if form.decimal == "." and _DECIMAL_COMMA.match(text):
        return (f"value '{text}' is written with a decimal comma; write {text.replace(',', '.')}, "
                f"or {_DECLARE}")
    return f"value '{text}' is not a number"
