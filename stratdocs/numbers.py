"""One number formatter for every reader-facing figure (pages, PDFs, chart labels, the scorecard).

Numbers and dates are written for the plan's `language` (Babel's locale data): `de` gives "59,4"
and "30. September 2026", `en` "59.4" and "30 September 2026". Units read naturally: "59.4%",
"196" for a count, "EUR 59.4m" (en) or "59,4 Mio. €" (de) for a currency in millions.

Machine formats (JSON, CSV values, `check` output, `datetime` attributes, chart data) never go
through here: they stay plain and locale-free.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

from babel import Locale, UnknownLocaleError
from babel.numbers import get_currency_symbol, get_decimal_symbol, get_group_symbol

#: Units written straight after the number, without a space.
TIGHT_UNITS = ("%", "‰", "°")
#: Units that are a plain count: the number is shown bare ("196", not "196 count").
COUNT_UNITS = ("count", "number", "#")
#: A currency unit: an ISO 4217 code and an optional scale ("EUR m", "USD k", "EURbn").
_CURRENCY = re.compile(r"^([A-Z]{3})\s*(k|K|m|M|mn|bn|B)?$")
_SCALES = {"k": "k", "K": "k", "m": "m", "M": "m", "mn": "m", "bn": "bn", "B": "bn"}
#: How a language writes a scale word after the amount; English writes "EUR 1.2m" instead.
_SCALE_WORDS = {"de": {"k": "Tsd.", "m": "Mio.", "bn": "Mrd."}, "fr": {"k": "k", "m": "M", "bn": "Md"},
                "nl": {"k": "k", "m": "mln.", "bn": "mld."}}
_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
           "October", "November", "December")


@lru_cache(maxsize=32)
def locale_for(language: str) -> Locale:
    """The Babel locale of a plan `language` ("en", "de", "de-CH"); English for one Babel lacks."""
    try:
        return Locale.parse((language or "en").replace("-", "_"))
    except (UnknownLocaleError, ValueError, TypeError):
        return Locale.parse("en")


_LANGUAGE = re.compile(r"[A-Za-z]{2,3}(?:[-_][A-Za-z0-9]{2,8})*")


def known_language(language: str) -> bool:
    """Whether `language` is a plain language tag ("de", "de-CH") Babel has data for (config
    refuses others: no encodings, modifiers or anything path-like)."""
    if not _LANGUAGE.fullmatch(language or ""):
        return False
    try:
        Locale.parse(language.replace("-", "_"))
    except (UnknownLocaleError, ValueError, TypeError):
        return False
    return True


@lru_cache(maxsize=32)
def _symbols(language: str) -> tuple[str, str]:
    loc = locale_for(language)
    # A narrow no-break space (fr) is not in every font: a no-break space reads the same.
    return get_decimal_symbol(loc), get_group_symbol(loc).replace("\u202f", "\u00a0")


def localise(text: str, language: str = "en") -> str:
    """An English-formatted number ("1,234.5") with the separators of `language` ("1.234,5")."""
    decimal, group = _symbols(language)
    if (decimal, group) == (".", ","):
        return text
    return "".join(decimal if ch == "." else group if ch == "," else ch for ch in text)


def decimals_of(values) -> int:
    """The precision a series is written with: that of its most precise value, at most two places.

    :param values: the series' numbers (actuals, targets, baseline, thresholds).
    """
    places = 0
    for value in values:
        text = repr(float(value))
        if "e" not in text and not float(value).is_integer():
            places = max(places, len(text.split(".")[1]))
    return min(places, 2)


def with_unit(text: str, unit: str = "", language: str = "en") -> str:
    """A formatted number followed by its unit, as a reader writes it.

    :param text: the number, already formatted (and localised).
    :param unit: the unit ('' for none): `TIGHT_UNITS` follow without a space, a count is bare,
        a currency ("EUR m") is written the way `language` writes money.
    :param language: the plan's language.
    """
    if not unit or unit in COUNT_UNITS:
        return text
    if unit in TIGHT_UNITS:
        return f"{text}{unit}"
    money = _CURRENCY.match(unit)
    if money and money.group(1) in locale_for("en").currencies:  # EUR, USD; not NPS or KPI
        code, scale = money.group(1), _SCALES.get(money.group(2) or "", "")
        lang = locale_for(language).language
        if lang == "en":
            return f"{code} {text}{scale}"
        words = _SCALE_WORDS.get(lang, {})
        symbol = get_currency_symbol(code, locale_for(language))
        return f"{text} {words.get(scale, scale)} {symbol}".replace("  ", " ") if scale else f"{text} {symbol}"
    return f"{text} {unit}"


def format_number(value: float | None, unit: str = "", decimals: int | None = None,
                  language: str = "en") -> str:
    """A number as people write it: thousands separators, the unit after it.

    :param value: the number, or None for "no value" (printed as an em dash).
    :param unit: the KPI's unit, if any.
    :param decimals: a fixed number of decimal places; by default up to two, trailing zeros dropped.
    :param language: the plan's language, for the separators and the currency.
    """
    if value is None:
        return "—"
    if decimals is not None:
        text = f"{value:,.{decimals}f}"
    else:
        text = f"{value:,.0f}" if float(value).is_integer() else f"{value:,.2f}".rstrip("0").rstrip(".")
    text = text[1:] if text.startswith("-") and not text.strip("-0.,") else text  # no "-0.0"
    return with_unit(localise(text, language), unit, language)


def format_compact(value: float, unit: str = "", language: str = "en") -> str:
    """A value for a chart label: thousands separators, M/B/T for huge, significant digits for tiny.

    :param value: the number.
    :param unit: its unit ('' for none).
    :param language: the plan's language.
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
    return with_unit(localise(text, language), unit, language)


def format_percent(ratio: float | None) -> str:
    """A ratio as a whole percentage ("87%"), or "" when there is none.

    :param ratio: 0.87 for 87 %; None when nothing was measured.
    """
    return f"{ratio:.0%}" if ratio is not None else ""


def format_date(day: date, language: str = "en") -> str:
    """A date for a reader: "30 September 2026" (en), "30. September 2026" (de), "30 septembre 2026" (fr)."""
    if locale_for(language).language == "en":
        return f"{day.day} {_MONTHS[day.month - 1]} {day.year}"  # unambiguous in every boardroom
    return _babel_date(day, "long", language)


def _babel_date(day: date, form: str, language: str) -> str:
    from babel.dates import format_date  # not for English: 4 ms of imports (time zones) a run

    return format_date(day, form, locale=locale_for(language))


def format_short_date(day: date, language: str = "en") -> str:
    """A date for a narrow column: "31 Oct 2026" (en), "31.10.2026" (de), "31 oct. 2026" (fr)."""
    if locale_for(language).language == "en":
        return f"{day.day} {_MONTHS[day.month - 1][:3]} {day.year}"
    return _babel_date(day, "medium", language)


def format_day(day: date, language: str = "en") -> str:
    """A date in a table or a chart's words: ISO in English ("2026-10-31", as those always read),
    the locale's short date in other languages ("31.10.2026")."""
    if locale_for(language).language == "en":
        return day.isoformat()
    return format_short_date(day, language)


@dataclass(frozen=True, slots=True)
class NumberFormat:
    """How one series' figures are written: its unit, its precision and the plan's language.

    Every value of a KPI (actuals, plan, targets, thresholds, differences) goes through one of
    these, so no "53" stands beside "59.4" and no count reads "33.32".
    """

    unit: str = ""              #: the unit ('' for none)
    decimals: int | None = None  #: fixed decimal places, or None for up to two
    language: str = "en"        #: the plan's language

    def value(self, value: float | None) -> str:
        """A value with its unit ("59.4%", "EUR 59.4m", "196"), or "—" for None."""
        return format_number(value, self.unit, self.decimals, self.language)

    def bare(self, value: float) -> str:
        """The number alone, localised, at the series' precision."""
        return format_number(value, "", self.decimals, self.language)

    def amount(self, value: float) -> str:
        """A difference's size in the unit: "2.9 points" for a percentage, "EUR 0.3m", "12 days"."""
        size = abs(value)
        if self.unit == "%":
            number = self.bare(size)
            return f"{number} {'point' if number in ('1', '1.0', '1,0') else 'points'}"
        return format_number(size, self.unit, self.decimals, self.language)

    def date(self, day: date) -> str:
        """A date in the plan's language."""
        return format_date(day, self.language)


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
