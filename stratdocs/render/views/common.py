"""The small values every view model is made of: references, facts, crumbs, pages, groups.

Every `href` is a path relative to the site root (`objectives/SO1.html`,
`operations/sales.html#T-1`); the template filter `url` makes it relative to the page being
rendered (site) or turns it into an in-document anchor (PDF), so one view model serves both.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import Iterable
from urllib.parse import urlsplit

from markupsafe import Markup, escape

from stratdocs.assets import logo_rel
from stratdocs.config import MatrixSpec
from stratdocs.health import HEALTH_WORDS, HEALTHS
from stratdocs.i18n import N_
from stratdocs.render.markdown import resolve_links
from stratdocs.render.urls import root_of
from stratdocs.render.views.interface import _, current

#: Facts whose value is a date or a short token: printed on one line (issue 12: dates broke at the hyphen).
NOWRAP_FACTS = frozenset({"status", "date", "review_by", "updated", "runs", "budget", "period"})
#: An ISO date in running text.
DATE_RE = re.compile(r"\b\d{4}-\d{2}-\d{2}\b")
#: The site path of the plan home page.
HOME = "index.html"
#: HEALTH_WORDS' words, marked so that the catalogs carry them.
_HEALTH_MESSAGES = (N_("Green"), N_("Amber"), N_("Red"), N_("No data"))


def dated(text: str) -> Markup:
    """`text` escaped, each ISO date in a `<span class="date">` so it never breaks at a hyphen."""
    return Markup(DATE_RE.sub(lambda m: f'<span class="date">{m.group(0)}</span>', str(escape(text))))


def health_word(health: str | None) -> str:
    """The word shown beside a health colour ("Green", "No data") in the build's language; "" for
    no health.

    :param health: `green`, `amber`, `red`, `no-data` or None.
    """
    word = HEALTH_WORDS.get(health or "", "")
    return _(word) if word else ""


@dataclass(frozen=True, slots=True)
class ItemRef:
    """How a page shows a link to one item."""

    id: str                     #: the item's id
    title: str                  #: its title
    kind: str                   #: its kind (`objective`, `task`, ...)
    label: str                  #: the kind as a label ("Strategic objective")
    href: str                   #: its site path
    health: str | None = None   #: `green`, `amber`, `red`, `no-data`, or None for kinds without health

    @property
    def health_word(self) -> str:
        """The health as a word ("" without health)."""
        return health_word(self.health)


@dataclass(frozen=True, slots=True)
class Fact:
    """One labelled value in a facts list ("Owner: Jane")."""

    label: str                         #: what the value is ("Owner")
    text: str = ""                     #: the value as text (when it is not references)
    refs: tuple[ItemRef, ...] = ()     #: the value as item references
    tag: str = ""                      #: a marker shown after the value, as a key for styles: "overdue"
    key: str = ""                      #: what the fact is, for code: `owner`, `period`, `perspective`, ...
    href: str = ""                     #: the value as a link (the owner's page), '' for none
    tag_word: str = ""                 #: the marker as readers read it ("überfällig"); '' reads `tag`

    @property
    def tag_text(self) -> str:
        """The marker in the reader's language (`tag_word`, else `tag`)."""
        return self.tag_word or self.tag

    @property
    def html(self) -> Markup:
        """`text` escaped, with its dates kept on one line."""
        return dated(self.text)

    @property
    def nowrap(self) -> bool:
        """A short token that must not break across lines (a date, a date range, a status)."""
        return self.key in NOWRAP_FACTS


@dataclass(frozen=True, slots=True)
class LastChange:
    """When git last saw an item's file change: "Last changed 2026-11-02 by Jane Doe"."""

    date: str           #: the day of the last commit that changed it, YYYY-MM-DD ('' if none did yet)
    author: str         #: that commit's author
    uncommitted: bool   #: the file has changes no commit holds yet (a new file: `date` is '')


@dataclass(frozen=True, slots=True)
class Crumb:
    """One step of the breadcrumb trail."""

    label: str                  #: what it says
    href: str | None = None     #: its site path, or None when it is not a link


@dataclass(frozen=True, slots=True)
class Page:
    """Where a page is and how to get back to the root; the same for every template."""

    path: str                           #: the page's site path
    title: str                          #: the `<title>` and heading
    section: str                        #: the navigation entry shown as current
    breadcrumbs: tuple[Crumb, ...] = ()  #: the trail from the home page
    description: str = ""               #: the `<meta name=description>`

    @property
    def root(self) -> str:
        """`../` repeated up to the site root ('' at the root)."""
        return root_of(self.path)

    @property
    def is_home(self) -> bool:
        """The plan home page (its title is not followed by the site title)."""
        return self.path == HOME


@dataclass(frozen=True, slots=True)
class Traced:
    """An item shown in a list of references, with how it is linked and whether to show its health."""

    ref: ItemRef                #: the item
    direct: bool = True         #: linked directly (not through another item)
    show_health: bool = False   #: print its health badge beside it

    @property
    def tag(self) -> str:
        """"direct" or "indirect"."""
        return "direct" if self.direct else "indirect"

    @property
    def tag_text(self) -> str:
        """`tag` in the reader's language."""
        return _("direct") if self.direct else _("indirect")


@dataclass(frozen=True, slots=True)
class Group:
    """A labelled list of items, cut short after a limit."""

    label: str                  #: the group's heading ("Initiatives")
    items: tuple = ()           #: the items shown (here `Traced` values)
    more: int = 0               #: how many more there are beyond `items`

    @property
    def total(self) -> int:
        """Items shown plus those left out."""
        return len(self.items) + self.more


@dataclass(frozen=True, slots=True)
class HealthCount:
    """How many items have one health."""

    health: str                 #: `green`, `amber`, `red` or `no-data`
    word: str                   #: the health as a word
    count: int                  #: how many


def health_counts(healths: Iterable[str]) -> tuple[HealthCount, ...]:
    """A count per health, in the order green, amber, red, no data.

    :param healths: the health of every item counted.
    """
    healths = list(healths)
    return tuple(HealthCount(h, health_word(h), healths.count(h)) for h in HEALTHS)


def link_body(html: str, root: str) -> Markup:
    """A rendered Markdown body with its link placeholders resolved for a site page.

    :param html: the body as rendered, with placeholders for site paths.
    :param root: the page's way back to the site root (`Page.root`).
    """
    return Markup(resolve_links(html, lambda p: root + p))


@dataclass(frozen=True, slots=True)
class NotFoundView:
    """The 404 page, which a web server sends for a missing URL at any depth."""

    #: the `<base href>` its links resolve against: the path of `base_url` (`/strategy/`), or `/`
    #: (the preview server and sites at the server root)
    base: str
    #: without `base_url`: look for the site root in the browser (the nearest folder above the
    #: missing URL that holds the site's search index), since the site may sit under any path
    find_root: bool = False


def not_found_base(base_url: str, preview: bool = False) -> str:
    """Where the 404 page's links start: the path of `base_url`, or `/` without one.

    The server sends 404.html's bytes at the missing URL (`/strategy/a/b/missing.html`), so
    links relative to 404.html would point into `/strategy/a/b/`; an absolute path does not.
    Only the path of `base_url` is used, so no page fetches from another host.

    :param base_url: the configured `base_url` ('' for none).
    :param preview: for `stratdocs serve`, which serves the site at `/`.
    """
    if preview or not base_url:
        return "/"
    path = urlsplit(base_url).path or "/"
    return path if path.endswith("/") else path + "/"


def logo_path(logo: str, content_dir: str) -> str:
    """The site path of the configured logo (`assets/logo.svg`), or '' for none."""
    return f"assets/{logo_rel(logo, content_dir)}" if logo else ""


def shown_spec(spec: MatrixSpec, ui=None) -> MatrixSpec:
    """`spec` with its title and description in the language of `ui` (default: the build's). The
    built-in matrices' English words are in the catalogs; a plan's own words stay as written."""
    ui = ui or current()
    return replace(spec, title=ui.gettext(spec.title) if spec.title else "",
                   description=ui.gettext(spec.description) if spec.description else "")
