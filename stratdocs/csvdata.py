"""KPI actuals kept in CSV files under content/data (columns `date,value[,note]`)."""

from __future__ import annotations

import csv
import io
import math
from pathlib import Path, PurePosixPath

from stratdocs.findings import Finding, error
from stratdocs.model import Point
from stratdocs.periods import parse_date


def data_path(content_dir: str, data: str) -> str | None:
    """Project-relative path of a `data:` value, or None if it leaves content/data."""
    rel = PurePosixPath(data)
    if rel.is_absolute() or ".." in rel.parts or not data.strip():
        return None
    if rel.parts and rel.parts[0] == "data":  # tolerate "data/x.csv"
        rel = PurePosixPath(*rel.parts[1:])
    return (PurePosixPath(content_dir) / "data" / rel).as_posix()


def read_actuals(root: Path, rel: str, ref_file: str, ref_line: int, ref_col: int,
                 column: str = "value") -> tuple[tuple[Point, ...], list[Finding]]:
    """Read a CSV of actuals. Problems are `csv` findings on the CSV's own lines.

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
    return parse_actuals(rel, text, column)


_SEPARATORS = {";": "semicolons (;)", "\t": "tabs", "|": "bars (|)"}


def _separator(row: list[str], column: str = "value") -> str | None:
    """The message for a row written with another separator than the comma, else None."""
    if len(row) != 1:
        return None
    for sep, name in _SEPARATORS.items():
        if sep in row[0]:
            return f"this row is separated by {name}, not commas; save the CSV with commas between date,{column},note"
    return None


def parse_actuals(rel: str, text: str, column: str = "value") -> tuple[tuple[Point, ...], list[Finding]]:
    findings: list[Finding] = []
    points: list[Point] = []
    reader = csv.reader(io.StringIO(text, newline=""))
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
                    findings.append(error(rel, line, 1, "csv", _separator(row, column) or "the first row must be the "
                                          f"header 'date,{column}' or 'date,{column},note'"))
                    return (), findings
                continue
            if len(row) < 2 or len(row) > len(header):
                findings.append(error(rel, line, 1, "csv", _separator(row, column) or f"expected {len(header)} columns "
                                      f"({','.join(header)}), found {len(row)}"))
                continue
            try:
                day = parse_date(row[0].strip())
            except ValueError as exc:
                findings.append(error(rel, line, 1, "csv", str(exc)))
                continue
            try:
                value = float(row[1].strip())
                if not math.isfinite(value):
                    raise ValueError
            except ValueError:
                findings.append(error(rel, line, len(row[0]) + 2, "csv",
                                      f"value '{row[1].strip()}' is not a number"))
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
