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
