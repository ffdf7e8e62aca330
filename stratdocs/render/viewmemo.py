"""Item view models kept within a build and between builds: what lets the HTML twins skip them.

A twin (`documents/ID.html`) shows every item of its document with the view model of the item's
own page (`Views.entity`). Without this memo a twin computed all of them again on every build,
even when one KPI changed. `EntityMemo` stands in for `views.entity`:

- within a build, an item's view is computed once, by its page or by a twin, whichever comes
  first, and the read set it recorded (`render.memory.Reads`) is replayed into the page that
  reuses it, so that page's own read set stays complete;
- between builds, the views a twin used are kept with their read sets: in the preview as the
  objects themselves (`Memory.views`), for `build` as data in the signed cache (`BuildCache.views`,
  JSON through `cache_codec.Codec`, never pickle; an item is stored by its id and taken from the
  current plan). A kept view is used only when none of the items it read changed and none it
  showed as a reference looks different — the rule by which a whole page is carried over — and
  only under the same guard (theme, site context, config); anything malformed is a miss.
"""

from __future__ import annotations

import functools
import json
import pkgutil
from collections.abc import Mapping
from contextlib import contextmanager

from markupsafe import Markup

from stratdocs import cache_codec
from stratdocs.model import Entity


@functools.cache
def codec() -> cache_codec.Codec:
    """What an entity's view model may hold: view models, the model's values, findings and
    waivers (made when a view is first kept or taken: a build that changed nothing never is)."""
    views = tuple(f"stratdocs.render.views.{m.name}" for m in pkgutil.iter_modules(
        [__import__("stratdocs.render.views", fromlist=["_"]).__path__[0]]))
    return cache_codec.Codec(views + cache_codec.VALUE_MODULES + ("stratdocs.alignment", "stratdocs.trend",
                                                                  "stratdocs.health"),
                             strings={"Markup": Markup}, reference=Entity, key_of=lambda entity: entity.id)


class EntityMemo:
    """`views.entity`, remembered (see the module's docstring).

    :param views: the build's `Views`; its own `entity` does the work.
    :param kept: id -> (view, ids read in full, ids shown) of the previous rebuild (the preview),
        or id -> [ids read, ids shown, view as codec JSON] restored from the cache (a build), or
        what returns the latter when first needed.
    :param changed: ids whose state changed since then (None: no previous build to trust).
    :param changed_refs: ids whose reference looks different since then.
    """

    def __init__(self, views, kept: dict, changed: set[str] | None, changed_refs: set[str],
                 charts: dict[str, str] | None = None, encode: bool = True):
        """:param charts: the chart cache (key -> SVG): the only markup a view from the cache may hold.
        :param encode: keep the views twins used as codec JSON for the on-disk cache (a build); the
            preview keeps the objects themselves (`carry(objects=True)`) and never encodes them.
        """
        self.encode = encode
        self.views = views
        self.charts = charts if charts is not None else {}
        #: the views' own `entity`, taken when first needed (`_compute`): a light `ViewsCore`
        #: becomes a `Views` only then
        self.compute = None
        #: `kept`, or (a build) what loads it from the cache when first needed (`kept`)
        self._kept_views = (None if callable(kept) else kept) if changed is not None else {}
        self._load_kept = kept if callable(kept) and changed is not None else None
        self.changed, self.changed_refs = changed or set(), changed_refs
        #: id -> (view, full, shown) computed or taken in this process
        self.here: dict[str, tuple] = {}
        #: id -> [full, shown, codec JSON] of views a twin used, made in this process (for the
        #: cache); only ever added to, so a page's new entries are those after its start (`pages`)
        self.made: dict[str, list] = {}
        self.keeping = False

    @property
    def kept(self) -> dict:
        if self._kept_views is None:
            self._kept_views = self._load_kept()
        return self._kept_views

    def untouched(self) -> bool:
        """Whether the views kept in the cache were never needed and nothing changed since they
        were kept: then every one of them is still valid, and the cache keeps them as they are."""
        return self._kept_views is None and not self.made and not self.changed and not self.changed_refs

    def __call__(self, entity: Entity):
        hit = self.here.get(entity.id) or self._kept(entity)
        tracker = self.views.tracker
        if hit is None:
            outer = tracker.suspend()
            tracker.start()
            try:
                view = self._compute(entity)
            finally:
                full, shown = tracker.stop()
                tracker.resume(outer)
            hit = self.here[entity.id] = (view, full, shown)
        if self.keeping and self.encode and entity.id not in self.made:
            self._store(entity.id, hit)
        for item in hit[1]:
            tracker.read(item)
        for item in hit[2]:
            tracker.shown(item)
        return hit[0]

    def _compute(self, entity: Entity):
        if self.compute is None:
            self.views.complete()
            self.compute = type(self.views).entity.__get__(self.views)  # not the memo standing in for it
        return self.compute(entity)

    def _valid(self, full, shown) -> bool:
        return not self.changed.intersection(full) and not self.changed_refs.intersection(shown)

    def _kept(self, entity: Entity) -> tuple | None:
        entry = self.kept.get(entity.id)
        if entry is None:
            return None
        if isinstance(entry, tuple):  # the preview's own objects: (view, full, shown)
            if not self._valid(entry[1], entry[2]):
                return None
            self.here[entity.id] = entry
            return entry
        if not self._valid(entry[0], entry[1]):  # from the cache: [full, shown, JSON]
            return None
        try:
            view = codec().decode(json.loads(entry[2]), self.views.plan.entities.__getitem__, {"Markup": self._markup})
        except (ValueError, RecursionError):
            return None
        if getattr(view, "entity", None) is not entity or getattr(view, "body", None) != self._body(entity):
            return None  # not the view of this item, or not with its body as rendered (and sanitised) now
        hit = self.here[entity.id] = (view, frozenset(entry[0]), frozenset(entry[1]))
        self.made[entity.id] = entry  # kept as it is, not encoded again
        return hit

    def _markup(self, key: str) -> Markup:
        """Markup from the cache: a view keeps a chart as its key in the chart cache, so it holds
        no markup of its own and a planted view cannot bring script into a page (its body is
        compared with the current one)."""
        return Markup(self.charts[key])  # KeyError (not a known chart): the view is a miss

    def _chart_key(self, svg: Markup) -> str:
        key_of = getattr(self.charts, "key_of", None)  # the build's charts know their SVGs' keys
        key = key_of(svg) if key_of is not None else next((k for k, text in self.charts.items() if text == svg), None)
        if key is None:
            raise cache_codec.Uncacheable("markup that is not a chart of the chart cache")
        return key

    def _body(self, entity: Entity) -> str:
        tracker = self.views.tracker
        outer = tracker.suspend()
        try:
            return self.views.body(entity).html
        finally:
            tracker.resume(outer)

    def _store(self, entity_id: str, hit: tuple) -> None:
        try:
            encoded = json.dumps(codec().encode(hit[0], {"Markup": self._chart_key}), ensure_ascii=False,
                                 separators=(",", ":"))
        except cache_codec.Uncacheable:
            return
        self.made[entity_id] = [sorted(hit[1]), sorted(hit[2]), encoded]

    def carry(self, objects: bool) -> dict:
        """What the next build may use: the kept views still valid now, and those of this build
        (`objects`: the preview's view objects; else the cache's entries, for views twins used)."""
        ids = self.views.plan.entities
        if objects:
            out = {key: entry for key, entry in self.kept.items() if key in ids and self._valid(entry[1], entry[2])}
            out.update(self.here)
            return out
        out = {key: entry for key, entry in self.kept.items() if key in ids and self._valid(entry[0], entry[1])}
        out.update(self.made)
        return out


def remember(memory, cache, memo: EntityMemo, guard: str, used_pages: set[str], persist: bool) -> None:
    """Keep what the next build needs: read sets and item views, in the on-disk cache (`persist`:
    a build) or in the preview's `Memory` (under `guard`: another config or theme keeps none)."""
    if persist:
        memory.reads = {rel: record for rel, record in memory.reads.items() if rel in used_pages}
        cache.memory = memory.snapshot(guard)
        if not memo.untouched():
            cache.keep_views(guard, memo.carry(objects=False))
    else:
        memory.views = {guard: memo.carry(objects=True)}


@contextmanager
def keeping(views):
    """While a twin's view model is built: the item views it uses are kept for the next build."""
    memo = views.entity if isinstance(views.entity, EntityMemo) else None
    if memo is None:
        yield
        return
    memo.keeping = True
    try:
        yield
    finally:
        memo.keeping = False


def valid_entry(entry: object) -> bool:
    """Whether a cached view has the shape `EntityMemo` writes: [ids read, ids shown, JSON]."""
    return (isinstance(entry, list) and len(entry) == 3 and isinstance(entry[2], str)
            and all(isinstance(ids, list) and all(isinstance(i, str) for i in ids) for ids in entry[:2]))


class LazyCharts(Mapping):
    """The build cache's charts, read from it only when a kept view asks for one."""

    def __init__(self, cache):
        """:param cache: the build's `BuildCache`."""
        self._cache = cache

    def __getitem__(self, key: str) -> str:
        return self._cache.charts[key]

    def __iter__(self):
        return iter(self._cache.charts)

    def __len__(self) -> int:
        return len(self._cache.charts)

    def key_of(self, svg: str) -> str | None:
        """The key of a chart this process made or took from the cache, by its SVG."""
        return self._cache.chart_key(svg)
