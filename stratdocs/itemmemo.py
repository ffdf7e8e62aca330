"""Per-item results kept between loads in one process (the preview, `project.FileMemo`).

A save in `stratdocs serve` changes one file, so almost every item's inputs are the very objects
of the last load (`FileMemo` keeps the entities of files that were not saved). A table here
keeps, for each item, the inputs a result was computed from and the result: while they are the
same (identical, or equal), the result is reused instead of computed again (issue 15). Each
pass over the plan keeps only the items it saw, so nothing removed from the plan lingers.
"""

from __future__ import annotations

from typing import Callable, TypeVar

T = TypeVar("T")


class Kept:
    """One table: key -> (inputs, result), refilled by each pass (`start`, `get`, `done`).

    Without a table (`Kept(None)`: a one-off load), `get` always computes.
    """

    def __init__(self, tables: dict | None, name: str):
        self._old = tables.get(name, {}) if tables is not None else None
        self._new: dict = {}
        self._tables, self._name = tables, name
        #: how many results were reused (for tests)
        self.hits = 0

    def get(self, key: object, inputs: tuple, make: Callable[[], T], identical: bool = False) -> T:
        """The result for `key`: the kept one while `inputs` are those it was computed from
        (equal, or with `identical` the very same objects: for large tables that are the same
        object while nothing in them changed, cheaper to tell apart than to compare)."""
        if self._old is None:
            return make()
        kept = self._old.get(key)
        if kept is not None and (all(a is b for a, b in zip(kept[0], inputs)) if identical
                                 else kept[0] == inputs):  # tuples compare items by identity first
            self.hits += 1
            value = kept[1]
        else:
            value = make()
        self._new[key] = (inputs, value)
        return value

    def done(self) -> None:
        """Keep this pass's results for the next one (the items it did not see are dropped)."""
        if self._tables is not None:
            self._tables[self._name] = self._new


#: The key of the load's `Edits` mark in the tables (`project.FileMemo.items`, `Project.edits`).
EDITS = "edits"


class Edits:
    """Which items each load in one process read again (the preview's `project.FileMemo`).

    Every other item of a load is the very `Entity` object of the load before (its file was
    not read again), at the same place in the plan. A pass that kept its result from an
    earlier load asks `between` which items may differ since, and works on those alone
    instead of the whole plan. A load that read a file whose items are not the same ids in
    the same order, listed other files, or started afresh (config) is recorded as None: any
    item may differ, and the passes take the full path.
    """

    #: how many loads back `between` can answer
    KEEP = 64

    def __init__(self) -> None:
        self.generation = 0
        self._log: dict[int, frozenset[str] | None] = {}
        #: the edited items of the last load, by id (None: any)
        self.latest: dict | None = None

    def record(self, entities: dict | None) -> tuple["Edits", int]:
        """A new load, whose edited items are `entities` (id -> entity; None: any); its mark
        (`Project.edits`)."""
        self.generation += 1
        self._log[self.generation] = frozenset(entities) if entities is not None else None
        self._log.pop(self.generation - self.KEEP, None)
        self.latest = entities
        return self, self.generation

    def last(self, now: tuple | None, then: tuple | None) -> dict | None:
        """The items the load marked `now` edited, by id, when it is the load right after `then`
        (None otherwise: a pass that was not run on every load cannot take them as all)."""
        if now is None or then is None or now[0] is not self or then[0] is not self \
                or now[1] != self.generation or then[1] != now[1] - 1:
            return None
        return self.latest

    def between(self, first: int, last: int) -> frozenset[str] | None:
        """The ids of items edited by the loads after `first` up to `last` (None: any)."""
        if first > last:
            return None
        found: set[str] = set()
        for generation in range(first + 1, last + 1):
            ids = self._log.get(generation)
            if ids is None:
                return None
            found |= ids
        return frozenset(found)


def latest(tables: dict | None, then: tuple | None) -> dict | None:
    """The items this load edited, by id, when the pass that keeps its result in `tables` last ran
    on the load right before it (marked `then`); None: any item may differ (`Edits.last`)."""
    mark = tables.get(EDITS) if tables is not None else None
    return mark[0].last(mark, then) if mark is not None and then is not None else None


def waiving(plan, tables: dict | None) -> dict:
    """Each item that waives a warning -> its waivers; after a load that edited only a few
    items (`latest`), the last load's with those items' in their place."""
    last = tables.get("waiving") if tables is not None else None
    edited = latest(tables, last[1]) if last is not None else None
    if edited is not None:
        made = {eid: waive for eid, waive in last[0].items() if eid not in edited}
        made.update((eid, e.waive) for eid, e in edited.items() if e.waive)
    else:
        made = {e.id: e.waive for e in plan if e.waive}
    if tables is not None:
        tables["waiving"] = (made, tables.get(EDITS))
    return made


def differ(old, new) -> set:
    """The keys of two mappings whose values are not the same (identical, or equal)."""
    get = old.get
    found = {key for key, value in new.items() if (kept := get(key)) is not value and kept != value}
    found.update(old.keys() - new.keys())
    return found


def edited(now: tuple | None, then: tuple | None) -> frozenset[str] | None:
    """The ids of items whose entity may not be the same object in the loads marked `then` and
    `now` (`Edits.record`); None: any (a load without a mark, or the marks of two sessions)."""
    if now is None or then is None or now[0] is not then[0]:
        return None
    return now[0].between(then[1], now[1])
