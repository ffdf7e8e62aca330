"""Owner pages and the owners index: what each owner answers for, and what needs them.

Built on `stratdocs.owners.collect`, which knows no kind: an item of any kind with an `owner`
is listed on its owner's page, and any finding about it (overdue, stale, red without
commentary, review due, suspect, and whatever checks come next) is one of the owner's needs,
in the reader's words of the alignment report, most serious first.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from stratdocs.findings import Severity
from stratdocs.model import KIND_LABELS
from stratdocs.render.views.common import HealthCount, ItemRef, health_counts
from stratdocs.render.views.interface import _, ngettext
from stratdocs.render.views.reports import SEARCH_TEXT, FindingView, ReportViews


@dataclass(frozen=True, slots=True)
class OwnedRow:
    """One item on an owner's page."""

    ref: ItemRef                #: the item (with its health, for kinds that have one)
    status: str                 #: its lifecycle status as written ('' for none)
    needs: int                  #: how many findings are about it
    needs_text: str             #: "2 needs" ('' for none)
    due: str = ""               #: its `due` date (tasks, actions), ISO, or ''
    overdue: bool = False       #: due before `as_of` and still active


@dataclass(frozen=True, slots=True)
class OwnedGroup:
    """An owner's items of one kind."""

    label: str                  #: "Initiatives"
    rows: tuple[OwnedRow, ...]


@dataclass(frozen=True, slots=True)
class OwnerView:
    """The page of one owner."""

    name: str                           #: the owner as written in the plan
    needs: tuple[FindingView, ...]      #: findings about their items, most serious first
    groups: tuple[OwnedGroup, ...]      #: their items by kind, in the order of the kinds
    items_text: str                     #: "7 items"
    needs_text: str                     #: "3 needs"
    errors: int                         #: how many needs are errors
    health: tuple[HealthCount, ...]     #: their items with a health, by health
    has_health: bool                    #: some item of theirs has a health
    show_due: bool = False              #: some item of theirs has a due date (a column for it)
    overdue_text: str = ""              #: "2 items overdue" ('' for none)
    overdue: tuple[OwnedRow, ...] = ()  #: their items past their `due` date and still active

    @property
    def columns(self) -> int:
        """How many columns the items table has (a group row spans them all)."""
        return 4 if self.show_due else 3


@dataclass(frozen=True, slots=True)
class OwnerRow:
    """One owner on the owners index."""

    name: str
    href: str                   #: site path of their page
    items: int
    needs: int
    items_text: str             #: "7 items"
    needs_text: str             #: "3 needs", or "nothing" for none
    red: int                    #: how many of their items are red
    first_need: FindingView | None  #: the most serious of their needs
    overdue: int = 0            #: how many of their items are past their `due` date and still active


@dataclass(frozen=True, slots=True)
class OwnersIndexView:
    """The owners index."""

    rows: tuple[OwnerRow, ...]
    total_text: str             #: "24 owners"
    needs_text: str             #: "31 needs"
    unowned: int                #: items of kinds that need an owner but have none (the `no-owner` findings)
    unowned_text: str           #: "2 items have no owner"


class OwnerViews(ReportViews):
    """The owners index and one page per owner."""

    def owner(self, key: str) -> OwnerView:
        """The page of the owner with identity `key` (`owners.owner_key`)."""
        owner = next(o for o in self.owners if o.key == key)
        per_item: dict[str, int] = {}
        for finding in owner.needs:
            per_item[finding.entity] = per_item.get(finding.entity, 0) + 1
        groups: dict[str, list[OwnedRow]] = {}
        healths = []
        for item_id in owner.items:
            self._read(item_id)
            entity = self.plan.entities[item_id]
            count = per_item.get(item_id, 0)
            ref = self.ref(item_id)
            if ref.health:
                healths.append(ref.health)
            due = self._due(entity)
            groups.setdefault(entity.kind, []).append(
                OwnedRow(ref, entity.status, count, _needs(count) if count else "",
                         due.isoformat() if due else "", self._overdue(entity)))
        ordered = [kind for kind in KIND_LABELS if kind in groups] + [k for k in groups if k not in KIND_LABELS]
        errors = sum(1 for f in owner.needs if f.severity is Severity.ERROR)
        rows = [r for g in groups.values() for r in g]
        overdue = sum(1 for r in rows if r.overdue)
        return OwnerView(
            owner.name, tuple(self.finding_view(f) for f in owner.needs),
            tuple(OwnedGroup(self.ui.kind(k, plural=True) if k in KIND_LABELS else k.capitalize(), tuple(groups[k]))
                  for k in ordered),
            _items(len(owner.items)), _needs(len(owner.needs)), errors,
            health_counts(healths), bool(healths), any(r.due for r in rows),
            ngettext("%(num)d item overdue", "%(num)d items overdue", overdue) if overdue else "",
            tuple(r for r in rows if r.overdue))

    @staticmethod
    def _due(entity) -> date | None:
        """The item's `due` date, whatever its kind (tasks, review actions), or None."""
        due = entity.attrs.get("due")
        return due if isinstance(due, date) else None

    def _overdue(self, entity) -> bool:
        """Past its `due` date and still active (a done task is not overdue; 'done' is not active)."""
        due = self._due(entity)
        return bool(due and due < self.as_of and entity.active)

    def owners_index(self) -> OwnersIndexView:
        """Every owner, by name, with how much they own and how much needs them."""
        rows = []
        for owner in self.owners:
            for item_id in owner.items:
                self._read(item_id)
            items = [self.plan.entities[i] for i in owner.items]
            red = sum(1 for e in items if self.project.health_of(e) == "red")
            rows.append(OwnerRow(owner.name, self.sitemap.owners[owner.key], len(owner.items), len(owner.needs),
                                 _items(len(owner.items)),
                                 _needs(len(owner.needs)) if owner.needs else _("nothing"),
                                 red, self.finding_view(owner.needs[0]) if owner.needs else None,
                                 sum(1 for e in items if self._overdue(e))))
        unowned = sum(1 for f in self.project.findings if f.code == "no-owner")
        needs = sum(r.needs for r in rows)
        return OwnersIndexView(tuple(rows), ngettext("%(num)d owner", "%(num)d owners", len(rows)), _needs(needs),
                               unowned, ngettext("%(num)d item has no owner", "%(num)d items have no owner", unowned))

    def search_docs(self, memo: dict | None = None) -> list[dict]:
        """The items' search documents, then one per owner (found by name, with what they own)."""
        docs = super().search_docs(memo)
        for owner in self.owners:
            titles = " · ".join(f"{i} {self.plan.entities[i].title}" for i in owner.items)
            docs.append({"id": "", "title": owner.name, "kind": "owner", "kind_label": _("Owner"),
                         "href": self.sitemap.owners[owner.key], "owner": owner.name, "health": "",
                         "summary": _("%(items)s, %(needs)s") % {"items": _items(len(owner.items)),
                                                                 "needs": _needs(len(owner.needs))},
                         "text": titles[:SEARCH_TEXT]})
        return docs


def _items(count: int) -> str:
    """"7 items" in the build's language."""
    return ngettext("%(num)d item", "%(num)d items", count)


def _needs(count: int) -> str:
    """"3 needs" in the build's language."""
    return ngettext("%(num)d need", "%(num)d needs", count)
