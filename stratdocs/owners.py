"""Owners: who answers for which items, and which findings need them (issue #14).

This is the seam every kind plugs into without naming it: an item of the plan with a non-empty
`owner` is owned (objectives, initiatives, KPIs, operational plans, tasks, and whatever kind
comes next: review actions, risks), and every finding whose `entity` is an owned item is a need
of its owner. `collect` gives each owner as `(owner, items, needs)`; owner pages, `check --owner`
and `export` are views of it.

An owner's identity is the `owner:` text with its whitespace collapsed and its case folded
(`owner_key`): "Head of Sales DACH" and "head of sales  DACH" are one person. Its page lives at
`owners/<slug>.html`; two owners whose slugs would clash ("Jane Doe", "Jane-Doe") get distinct
slugs (`assign_slugs`), and the owners index keeps `owners/index.html`.
"""

from __future__ import annotations

import functools
import hashlib
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass
from typing import Callable, Iterable, Mapping

from stratdocs.errors import UsageError
from stratdocs.findings import Finding, Severity
from stratdocs.model import Entity, Plan
from stratdocs.suggest import did_you_mean

#: The folder of owner pages on the site.
OWNERS_FOLDER = "owners"
#: Slugs an owner cannot take: the owners index.
RESERVED_SLUGS = frozenset(("index",))
#: Longest slug kept from a name (a hash suffix may follow).
MAX_SLUG = 60
#: Health words, most serious first, for sorting an owner's needs.
_HEALTH_RANK = {"red": 0, "amber": 1}
_NON_SLUG = re.compile(r"[^a-z0-9]+")


@functools.lru_cache(maxsize=8192)  # asked for every item several times a build, of a few names
def owner_key(name: str) -> str:
    """An owner's identity: whitespace collapsed, case folded ("" for no owner)."""
    return " ".join(name.split()).casefold()


def base_slug(key: str) -> str:
    """The URL-safe form of an owner key: ASCII letters and digits joined by hyphens."""
    ascii_text = unicodedata.normalize("NFKD", key).encode("ascii", "ignore").decode("ascii").lower()
    slug = _NON_SLUG.sub("-", ascii_text).strip("-")
    if len(slug) > MAX_SLUG:  # cut at a word: "…-and-operational" rather than "…-and-operati"
        cut = slug[:MAX_SLUG + 1]
        slug = cut.rsplit("-", 1)[0] if "-" in cut else cut[:MAX_SLUG]
    return slug or "owner"


def _suffix(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:6]


def assign_slugs(keys: Iterable[str]) -> dict[str, str]:
    """A distinct slug for every owner key, stable for a given set of keys.

    Keys sharing a base slug are sorted; the first keeps it, the others get a suffix from a hash
    of their key (so one owner's URL does not depend on how many others clash). A reserved slug
    or one left empty by the name ("—") always gets the suffix.
    """
    by_slug: dict[str, list[str]] = {}
    for key in sorted(set(keys)):
        by_slug.setdefault(base_slug(key), []).append(key)
    out: dict[str, str] = {}
    for slug, group in by_slug.items():
        for i, key in enumerate(group):
            plain = i == 0 and slug not in RESERVED_SLUGS and slug != "owner"
            out[key] = slug if plain else f"{slug}-{_suffix(key)}"
    taken: dict[str, str] = {}
    for key in sorted(out):  # a suffixed slug could in theory meet another name's plain slug
        slug = out[key]
        while slug in taken:
            slug = f"{slug}-{_suffix(slug + key)}"
        taken[slug] = key
        out[key] = slug
    return out


def owner_path(slug: str) -> str:
    """The site path of an owner's page."""
    return f"{OWNERS_FOLDER}/{slug}.html"


@dataclass(frozen=True, slots=True)
class Owner:
    """One owner, everything they own and what needs them."""

    key: str                        #: identity (`owner_key`)
    name: str                       #: as written most often (the first spelling on a tie)
    slug: str                       #: the page's file name without `.html`
    items: tuple[str, ...]          #: ids of the items they own, in plan order
    needs: tuple[Finding, ...]      #: findings about those items, most serious first

    @property
    def path(self) -> str:
        """The site path of the owner's page."""
        return owner_path(self.slug)


def owned(plan: Plan) -> dict[str, list[Entity]]:
    """Owner key -> the items with that owner, in plan order."""
    out: dict[str, list[Entity]] = {}
    for entity in plan:
        key = owner_key(entity.owner)
        if key:
            out.setdefault(key, []).append(entity)
    return out


def slugs_of(plan: Plan) -> dict[str, str]:
    """Owner key -> slug, for every owner of `plan`."""
    return assign_slugs(owned(plan))


def _name(items: list[Entity]) -> str:
    spellings = Counter(" ".join(e.owner.split()) for e in items)
    best = max(spellings.values())
    return next(s for s in dict.fromkeys(" ".join(e.owner.split()) for e in items) if spellings[s] == best)


def need_order(plan: Plan, health_of: Callable[[Entity], str | None]) -> Callable[[Finding], tuple]:
    """The sort key of needs, most serious first: errors; then what is late or red (a code that
    says `overdue`, or `red-…`, or the item's health is red); then by the item's health, plan
    order and line. No code is named beyond these word rules, so new checks sort sensibly."""
    def key(finding: Finding) -> tuple:
        entity = plan.get(finding.entity or "")
        health = health_of(entity) if entity is not None else None
        urgent = "overdue" in finding.code or finding.code.startswith("red") or health == "red"
        position = plan.position.get(entity.id, len(plan)) if entity is not None else len(plan)
        return (finding.severity is not Severity.ERROR, not urgent, _HEALTH_RANK.get(health or "", 2),
                position, finding.file, finding.line, finding.code)
    return key


def collect(plan: Plan, findings: Iterable[Finding], health_of: Callable[[Entity], str | None]) -> tuple[Owner, ...]:
    """Every owner of the plan with their items and needs, sorted by name.

    :param plan: the loaded plan.
    :param findings: every finding of the run (only those about an owned item are kept).
    :param health_of: the computed health of an item (None for kinds without one).
    """
    by_key = owned(plan)
    slugs = assign_slugs(by_key)
    about: dict[str, list[Finding]] = {}
    for finding in findings:
        entity = plan.get(finding.entity) if finding.entity else None
        if entity is not None and owner_key(entity.owner):
            about.setdefault(owner_key(entity.owner), []).append(finding)
    order = need_order(plan, health_of)
    owners = [Owner(key, _name(items), slugs[key], tuple(e.id for e in items),
                    tuple(sorted(set(about.get(key, ())), key=order)))
              for key, items in by_key.items()]
    return tuple(sorted(owners, key=lambda o: (o.name.casefold(), o.key)))


def find(owners: Iterable[Owner], name: str) -> Owner | None:
    """The owner called `name` (compared as `owner_key` does), or None."""
    key = owner_key(name)
    return next((o for o in owners if o.key == key), None)


def findings_for(owner: Owner, findings: Iterable[Finding], plan: Plan) -> list[Finding]:
    """The findings about `owner`'s items, in the order given."""
    mine = {i.lower() for i in owner.items}
    return [f for f in findings if f.entity and f.entity.lower() in mine and plan.get(f.entity) is not None]


def summary(owners: Iterable[Owner]) -> list[Mapping[str, object]]:
    """The owners as JSON-ready rows (for `export`): name, page, items, needs by severity."""
    rows = []
    for o in owners:
        errors = sum(1 for f in o.needs if f.severity is Severity.ERROR)
        rows.append({"name": o.name, "page": o.path, "items": list(o.items), "needs": len(o.needs),
                     "errors": errors, "warnings": len(o.needs) - errors})
    return rows


def select(owners: Iterable[Owner], name: str) -> Owner:
    """The owner called `name`, for `check --owner`.

    :raises UsageError: when no item has that owner, with the nearest owner's name.
    """
    owners = list(owners)
    found = find(owners, name)
    if found is None:
        hint = did_you_mean(name, [o.name for o in owners], ignore_case=True)
        where = hint or "; the site's Owners page lists every owner"
        raise UsageError(f"no item in the plan has the owner '{name}'{where}")
    return found
