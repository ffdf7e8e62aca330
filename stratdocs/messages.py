"""The interface's messages as the source writes them, and what a language's catalogs lack.

Messages are extracted with Babel from the theme's templates (`_`, `gettext`, `ngettext`,
`pgettext`) and from stratdocs' own Python (the same names, and `N_` for words kept in tables
and translated where they are shown). `stratdocs messages` lists the messages a language has no
translation for, and writes a catalog to start or complete one; tests/test_translations.py
runs the same comparison on the shipped catalogs.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import write_po

import stratdocs
from stratdocs import i18n
from stratdocs.theme import BUILTIN, Theme

#: Babel's keyword specs: the argument positions that hold the message (and context, plural).
KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2), "pgettext": ((1, "c"), 2),
            "npgettext": ((1, "c"), 2, 3), "N_": None}
_TEMPLATES = [("**.html", "jinja2.ext:babel_extract"), ("**.xml", "jinja2.ext:babel_extract"),
              ("**.txt", "jinja2.ext:babel_extract"), ("**.svg", "jinja2.ext:babel_extract")]
_TEMPLATE_OPTIONS = {pattern: {"extensions": "jinja2.ext.i18n", "trim_blocks": "true", "lstrip_blocks": "true"}
                     for pattern, _ in _TEMPLATES}


@dataclass(frozen=True, order=True)
class Message:
    """One message of the interface: its text (and plural), context and where it is written."""

    msgid: str
    plural: str = ""
    context: str = ""
    places: tuple[str, ...] = ()

    @property
    def key(self) -> tuple[str, str]:
        return self.context, self.msgid


def source_messages(theme: Theme | None = None) -> dict[tuple[str, str], Message]:
    """Every message of stratdocs' Python, the built-in templates and `theme`'s own templates,
    keyed by (context, msgid)."""
    found: dict[tuple[str, str], Message] = {}
    package = Path(stratdocs.__file__).parent
    folders = [(package, [("**.py", "python")], {}), (BUILTIN / "templates", _TEMPLATES, _TEMPLATE_OPTIONS)]
    folders += [(d / "templates", _TEMPLATES, _TEMPLATE_OPTIONS) for d in (theme.own_dirs if theme else ())]
    for folder, method_map, options in folders:
        if not folder.is_dir():
            continue
        for name, line, text, _, context in extract_from_dir(str(folder), method_map, options, keywords=KEYWORDS,
                                                              strip_comment_tags=True):
            msgid, plural = (text[0], text[1]) if isinstance(text, tuple) else (text, "")
            if not msgid:
                continue
            place = f"{folder.name}/{name}:{line}"
            old = found.get((context or "", msgid))
            places = (old.places if old else ()) + (place,)
            found[(context or "", msgid)] = Message(msgid, plural or (old.plural if old else ""), context or "", places)
    return found


def translated(theme: Theme, language: str) -> set[tuple[str, str]]:
    """The (context, msgid) pairs the catalogs of `language` translate (not fuzzy, not empty)."""
    done: set[tuple[str, str]] = set()
    for path in i18n.catalog_files(theme, language):
        catalog = i18n.read_catalog(path, theme.shown(path), language)
        for m in catalog:
            if not m.id or m.fuzzy:
                continue
            strings = m.string if isinstance(m.string, (tuple, list)) else (m.string,)
            if all(strings):
                done.add((m.context or "", m.id[0] if isinstance(m.id, (tuple, list)) else m.id))
    return done


def missing(theme: Theme, language: str) -> list[Message]:
    """The messages `language` has no translation for, in the order of their text."""
    done = translated(theme, language)
    return sorted(m for key, m in source_messages(theme).items() if key not in done)


def catalog_for(theme: Theme, language: str) -> Catalog:
    """A catalog of every message, with the translations `language` already has: a file to
    complete and save as the theme's `locales/LANG.po`."""
    catalog = Catalog(locale=language.replace("-", "_"), project="stratdocs", version=stratdocs.__version__,
                      fuzzy=False)
    existing = {}
    for path in i18n.catalog_files(theme, language):
        for m in i18n.read_catalog(path, theme.shown(path), language):
            if m.id:
                existing[(m.context or "", m.id[0] if isinstance(m.id, (tuple, list)) else m.id)] = m
    for key, message in sorted(source_messages(theme).items()):
        old = existing.get(key)
        msgid = (message.msgid, message.plural) if message.plural else message.msgid
        string = old.string if old is not None else (("", "") if message.plural else "")
        catalog.add(msgid, string, locations=[(f, int(n)) for f, n in (p.rsplit(":", 1) for p in message.places)],
                    context=message.context or None, flags=("fuzzy",) if old is not None and old.fuzzy else ())
    return catalog


def write_catalog(catalog: Catalog, path: Path) -> None:
    with path.open("wb") as handle:
        write_po(handle, catalog, width=100, sort_output=True, omit_header=False, include_previous=False)
