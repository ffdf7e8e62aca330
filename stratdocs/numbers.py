"""One number formatter for every reader-facing figure (pages, PDFs, chart labels).

Machine formats (JSON, CSV values, `check` output) never go through here: they stay plain.
"""

from __future__ import annotations

#: Units written straight after the number, without a space.
TIGHT_UNITS = ("%", "‰", "°")


def with_unit(text: str, unit: str = "") -> str:
    """A formatted number followed by its unit: "59.4%", "196 customers".

    :param text: the number, already formatted.
    :param unit: the unit ('' for none); `TIGHT_UNITS` follow the number without a space.
    """
    if not unit:
        return text
    return f"{text}{unit}" if unit in TIGHT_UNITS else f"{text} {unit}"


def format_number(value: float | None, unit: str = "", decimals: int | None = None) -> str:
    """A number as people write it: thousands separators, no trailing zeros, the unit after it.

    :param value: the number, or None for "no value" (printed as an em dash).
    :param unit: the KPI's unit, if any.
    :param decimals: a fixed number of decimal places; by default up to two, trailing zeros dropped.
    """
    if value is None:
        return "—"
    if decimals is not None:
        text = f"{value:,.{decimals}f}"
    else:
        text = f"{value:,.0f}" if float(value).is_integer() else f"{value:,.2f}".rstrip("0").rstrip(".")
    return with_unit(text, unit)


def format_compact(value: float, unit: str = "") -> str:
    """A value for a chart label: thousands separators, M/B/T for huge, significant digits for tiny.

    :param value: the number.
    :param unit: its unit ('' for none).
    """
    size = abs(value)
    if size >= 1e6:
        div, suffix = next((d, s) for d, s in ((1e12, "T"), (1e9, "B"), (1e6, "M")) if size >= d)
        text = f"{value / div:.3g}{suffix}"
    elif size >= 1000:
        text = f"{value:,.0f}"
    elif size >= 1 or size == 0:
        text = f"{value:.2f}".rstrip("0").rstrip(".")
    else:
        text = f"{value:.3g}"
    text = "0" if text in ("-0", "-0.0") else text
    return with_unit(text, unit)


def format_percent(ratio: float | None) -> str:
    """A ratio as a whole percentage ("87%"), or "" when there is none.

    :param ratio: 0.87 for 87 %; None when nothing was measured.
    """
    return f"{ratio:.0%}" if ratio is not None else ""


def plural_word(count: int, singular: str, plural: str | None = None) -> str:
    """The word for `count` things: "KPI" for 1, "KPIs" otherwise.

    :param count: how many there are.
    :param singular: the word for one ("KPI", "is").
    :param plural: the word for any other count; by default `singular` + "s".
    """
    if count == 1:
        return singular
    return plural if plural is not None else singular + "s"


def plural(count: int, singular: str, plural: str | None = None) -> str:
    """A count with its word, as a reader writes it: "1 KPI", "3 KPIs", "0 findings".

    :param count: how many there are (printed as it is, without separators).
    :param singular: the word for one.
    :param plural: the word for any other count; by default `singular` + "s".
    """
    return f"{count} {plural_word(count, singular, plural)}"
