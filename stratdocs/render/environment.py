"""The one Jinja environment both the site and the PDF documents render through.

Templates print view models; the few filters here only format: `url` turns a site path into a
link from the page being rendered (site pages have a `page` in their context) or into an
in-document anchor (PDF documents have `links`), `css_string` quotes text for CSS (it lives in
`pdf_text`, which prints the PDFs' generated words), and `long_date` writes a date for a board.
"""

from __future__ import annotations

from datetime import date

import jinja2
from markupsafe import Markup, escape

from stratdocs import __version__, i18n
from stratdocs.theme import Theme, environment, static_files
from stratdocs.render.pdf_text import css_string
from stratdocs.render.views.status_words import severity_word, status_word

MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December")


@jinja2.pass_context
def _url(ctx, path: str | None) -> str | None:
    links = ctx.get("links")
    if links is not None:
        return links.href(path)
    return ctx["page"].root + path if path is not None else ""


def long_date(value: date) -> str:
    """15 November 2026: unambiguous in every boardroom, and independent of the locale."""
    return f"{value.day} {MONTHS[value.month - 1]} {value.year}"


def extra_css(theme: Theme) -> list[str]:
    """Stylesheets a project theme adds (beside overriding style.css), linked after the default."""
    own = theme.own_dirs
    return [rel for rel, path in static_files(theme).items()
            if rel.endswith(".css") and rel not in ("style.css", "pdf.css")
            and any(d in path.parents for d in own)]


def _gettext(word):
    """`_` and `gettext` for templates: what Jinja's new-style `gettext` gives (the translation
    as markup, always formatted with its variables, which are escaped), without the two context
    calls Jinja's own makes each time (half a million at 10,000 entities). Without variables the
    formatted word is kept, so a word asked for again costs one look-up."""
    formatted: dict[str, Markup] = {}

    def gettext(__string: str, **variables) -> Markup:
        if variables:
            return word(__string) % variables
        found = formatted.get(__string)
        if found is None:
            found = formatted[__string] = word(__string) % {}
        return found
    return gettext


def make_environment(theme: Theme, language: str = i18n.SOURCE_LANGUAGE) -> jinja2.Environment:
    """The sandboxed environment of `theme` with stratdocs' filters and globals, speaking
    `language` where the theme's catalogs translate it (`_`, `gettext`, `ngettext`; see i18n).
    `env.translations` is the same catalog for the view models' words. A broken catalog raises
    `i18n.CatalogError`."""
    env = environment(theme)
    env.add_extension("jinja2.ext.i18n")
    env.translations = i18n.translations(theme, language)
    tr = env.translations
    # Jinja would take a translation for markup; a catalog is text, so it is escaped first.
    # A site asks for the same few hundred words hundreds of thousands of times: each is looked
    # up and escaped once.
    words: dict[str, Markup] = {}

    def word(s: str) -> Markup:
        found = words.get(s)
        if found is None:
            found = words[s] = escape(tr.gettext(s))
        return found
    env.install_gettext_callables(word,
                                  lambda s, p, n: escape(tr.ngettext(s, p, n)), newstyle=True,
                                  pgettext=lambda c, s: escape(tr.pgettext(c, s)),
                                  npgettext=lambda c, s, p, n: escape(tr.npgettext(c, s, p, n)))
    env.globals["_"] = env.globals["gettext"] = _gettext(word)
    env.filters["url"] = _url
    env.filters["css_string"] = css_string
    env.filters["long_date"] = long_date
    env.filters["status_word"] = status_word
    env.filters["severity_word"] = severity_word
    env.globals["version"] = __version__
    env.globals["extra_css"] = extra_css(theme)
    env.globals["live_reload"] = False  # `stratdocs serve` passes True in the page context
    return env
