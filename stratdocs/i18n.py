"""The interface in the plan's language: the theme's message catalogs (gettext `.po` files).

English is the source language: every label in the templates and view models is written in
English and marked for translation (`_()`/`ngettext()` in templates, `gettext()`/`ngettext()`
on a `Translations` in Python, `N_()` for module-level words translated later). A theme ships
catalogs as `locales/LANG.po` (`de.po`, `fr.po`, `de_AT.po`) or as several files in
`locales/LANG/` (`locales/de/site.po`, `locales/de/pdf.po`); the built-in theme's come first
and a project theme's entries override them or add a language. `language: de-AT` reads `de.po`
then `de_AT.po`. A message no catalog translates stays English; `stratdocs messages` and
tests/test_translations.py list them, so catalogs cannot silently go stale.

Catalogs are theme files, so they are read like templates: only from inside the project or the
built-in theme, parsed by Babel (text, never code), and their texts go through autoescape.
"""

from __future__ import annotations

import io
from functools import lru_cache
from pathlib import Path

from babel import Locale, UnknownLocaleError
from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.messages.pofile import PoFileError, read_po
from babel.support import NullTranslations, Translations

from stratdocs.errors import StratdocsError
from stratdocs.findings import Finding, error
from stratdocs.marks import N_  # noqa: F401  (re-exported: `from stratdocs.i18n import N_`)
from stratdocs.theme import Theme, inside

#: The folder of a theme that holds its catalogs.
LOCALES = "locales"
#: The language the interface is written in.
SOURCE_LANGUAGE = "en"


class CatalogError(StratdocsError):
    """A theme catalog that Babel cannot read, located at its line (exit 1, like a template)."""

    exit_code = 1

    def __init__(self, finding: Finding):
        super().__init__(finding.text())
        self.finding = finding


def locale_names(language: str) -> tuple[str, ...]:
    """The catalog names for `language`, general first: `de-AT` -> (`de`, `de_AT`)."""
    try:
        loc = Locale.parse(language.replace("-", "_"))
    except (ValueError, UnknownLocaleError):
        return ()
    names = [loc.language]
    if loc.territory:
        names.append(f"{loc.language}_{loc.territory}")
    return tuple(names)


def catalog_files(theme: Theme, language: str) -> tuple[Path, ...]:
    """The catalogs of `language` in the order they apply: the built-in theme's first (theme
    folders are in search order, project first), then more specific locales after general ones.
    A catalog linked from outside the project is a `CatalogError`."""
    files = []
    for name in locale_names(language):
        for folder in reversed(theme.dirs):
            single = folder / LOCALES / f"{name}.po"
            parts = sorted((folder / LOCALES / name).glob("*.po")) if (folder / LOCALES / name).is_dir() else []
            for path in ([single] if single.is_file() else []) + parts:
                if not inside(path, theme):
                    raise CatalogError(error(theme.shown(path), 1, 1, "template", "message catalog leaves the "
                                             "project (a link to elsewhere); copy it into the theme"))
                files.append(path)
    return tuple(files)


def read_catalog(path: Path, shown: str, language: str) -> Catalog:
    """One `.po` file; a `CatalogError` naming `shown` (the path a message shows) when it is broken."""
    try:
        with path.open("rb") as handle:
            return read_po(handle, locale=language.replace("-", "_"), abort_invalid=True)
    except PoFileError as exc:
        line = (getattr(exc, "lineno", 0) or 0) + 1  # Babel counts from 0
        raise CatalogError(error(shown, line, 1, "template", f"message catalog: {exc}; fix the entry")) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise CatalogError(error(shown, 1, 1, "template", f"message catalog cannot be read: {exc}")) from None


def translations(theme: Theme, language: str) -> NullTranslations:
    """The merged translations of `language` (none for a language without catalogs: every
    message as written, in English)."""
    files = catalog_files(theme, language)
    stamps = tuple((str(p), p.stat().st_mtime_ns, p.stat().st_size) for p in files)
    return _merged(stamps, language, theme.shown)


@lru_cache(maxsize=8)
def _merged(stamps: tuple, language: str, shown) -> NullTranslations:
    merged: NullTranslations = NullTranslations()
    for name, _, _ in stamps:
        catalog = read_catalog(Path(name), shown(name), language)
        buffer = io.BytesIO()
        write_mo(buffer, catalog)  # fuzzy entries are left out: they fall back to English
        buffer.seek(0)
        part = Translations(buffer)
        if isinstance(merged, Translations):
            merged.merge(part)  # later catalogs (a project theme, a territory) win
        else:
            merged = part
    return merged
