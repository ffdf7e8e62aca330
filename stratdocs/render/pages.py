"""Writing the site's outputs: carried over, or computed (in worker processes when there are many).

Each output goes one of three ways, decided in this process in the order of the outputs:

1. **carried over**: nothing it read changed since the previous build (its read set, see
   `render.memory`), and the previous file's bytes are what the cache says: the file is hard
   linked into the new output, and its view model is not even computed;
2. **data** (CSV, search index): made here, while the workers compute the pages;
3. **computed**: its view model is built and fingerprinted and, unless the fingerprint is the
   previous one, rendered through the theme. These are independent of each other, so from
   `PARALLEL_MIN` of them on they run in forked workers (`stratdocs.workers`), which send back
   the read set, fingerprint, bytes and new charts of each; they are written here in order, so
   the output is the same bytes with any number of workers.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import islice
from typing import Callable

from stratdocs import workers
from stratdocs.cache import BuildCache, digest
from stratdocs.render.fingerprint import view_text
from stratdocs.render.memory import Memory
from stratdocs.render.viewmemo import EntityMemo

#: From this many pages to compute on, they are rendered in worker processes.
PARALLEL_MIN = 200
#: Parts per worker the pages are cut into (`workers.fork_map`).
PAGE_CHUNKS = 32


@dataclass(frozen=True)
class Computed:
    """What computing one page gave: its read set, fingerprint, bytes (None: the fingerprint is
    the previous one, so the previous file may be kept), the keys of the charts it shows and
    those of them it made (a worker's are sent back; those it inherited are not sent again)."""

    full: frozenset
    shown: frozenset
    fingerprint: str
    data: bytes | None
    chart_keys: frozenset
    charts: dict
    #: item views a twin kept while computing this page (`render.viewmemo.EntityMemo.made`)
    views: dict


def write_outputs(outputs, is_unchanged: Callable, base: str, writer, cache: BuildCache, memory: Memory, views,
                  renderer, progress: Callable[[str], None] | None = None, parallel: bool = True,
                  deferred=None) -> set[str]:
    """Write every output (see the module's docstring); the paths written or kept.

    :param parallel: may use worker processes (a build); the preview renders in-process, so its
        memo tables (KPI rows, search documents) fill for the next rebuild.
    :param deferred: the preview's `render.deferred.Deferred`: outputs to make after the reload.
    """
    todo, done, data = [], [], []
    for output in outputs:
        previous = cache.page(output.rel)
        unchanged = is_unchanged(output)
        if deferred is not None and not (unchanged and previous) and deferred.take(output, previous, writer, memory):
            done.append(output.rel)
            continue
        if output.data is not None:
            if not (unchanged and previous and writer.keep(output.rel, previous[1])):
                data.append(output)  # made while the workers make the pages
        elif unchanged and previous and writer.keep(output.rel, previous[1]):
            cache.hits["skipped"] += 1
        else:
            todo.append((output, previous[0] if previous else None))
        done.append(output.rel)

    if len(todo) >= PARALLEL_MIN and parallel or todo and not parallel:
        # Compiled here once, inherited by every worker (and kept for the preview's next rebuild);
        # a build with a few pages to make compiles only the templates they use, as it goes.
        renderer.compile_all()
        views.complete()  # and every view model's class imported (`ViewsCore`), not once per worker

    def compute(number: int) -> tuple[int, Computed]:
        output, previous = todo[number]
        return number, _compute(output, previous, base, views, renderer, cache)

    # Long pages first (a worker left alone with one at the end would leave the other core idle),
    # the twins (the longest: not fingerprinted) before the reports, each in a part of its own,
    # the rest in small parts: a twin alone can take half of a cold build's pages, so while one
    # worker makes it the others take every other part. Each part is written here as soon as it
    # is back, while the workers make the next ones; what is written does not depend on the
    # order (the cache is saved with sorted keys).
    order = sorted(range(len(todo)), key=lambda number: (not todo[number][0].first, todo[number][0].fingerprinted))
    for number, result in workers.fork_imap(compute, order, PARALLEL_MIN if parallel else len(todo) + 1,
                                            PAGE_CHUNKS, ordered=False, alone=sum(o.first for o, _ in todo),
                                            meanwhile=lambda: [_write_data(o, base, writer, cache, memory) for o in data]):
        _finish(todo[number][0], result, base, writer, cache, memory, views, renderer)
    for rel in done if progress else ():
        progress(rel)
    return set(done)


def write_one(output, base: str, writer, cache: BuildCache, memory: Memory, views, renderer) -> None:
    """Make and write one output now: one the preview left for after the reload (`render.deferred`)."""
    if output.data is not None:
        _write_data(output, base, writer, cache, memory)
        return
    previous = cache.page(output.rel)
    _finish(output, _compute(output, previous[0] if previous else None, base, views, renderer, cache), base, writer,
            cache, memory, views, renderer)


def _write_data(output, base: str, writer, cache: BuildCache, memory: Memory) -> None:
    data = output.data()
    data = data.encode("utf-8") if isinstance(data, str) else data
    writer.write(output.rel, data, cache.put_page(output.rel, "", data))
    memory.reads[output.rel] = (base, output.reads, output.ref_reads)


def page_fingerprint(base: str, output, view) -> str:
    """What decides a page's bytes: `base` (theme, site context: `render.site.page_base`), its
    template and path, and its view model. The same fingerprint, the same bytes."""
    return digest(base, repr(output.template), repr(output.page), view_text(view))


def _compute(output, previous: str | None, base: str, views, renderer, cache: BuildCache) -> Computed:
    """Build one page's view model, fingerprint it and, if the fingerprint is new, render it."""
    kept, views.chart_keys = views.chart_keys, set()
    memo = views.entity if isinstance(views.entity, EntityMemo) else None
    before = len(memo.made) if memo else 0  # `made` only grows, in order: what is new comes after
    charts_before = len(cache.made_charts)  # so does `made_charts`
    try:
        views.tracker.start()
        view = output.view()
        full, shown = views.tracker.stop()
        fingerprint = page_fingerprint(base, output, view) if output.fingerprinted else ""
        data = None if fingerprint and previous == fingerprint else renderer.render(output, view).encode("utf-8")
        made = views.chart_keys
    finally:
        kept.update(views.chart_keys)
        views.chart_keys = kept
    charts = cache.charts
    return Computed(full, shown, fingerprint, data, frozenset(made),
                    {key: charts[key] for key in cache.made_charts[charts_before:] if key in made},
                    dict(islice(memo.made.items(), before, None)) if memo else {})


def _finish(output, result: Computed, base: str, writer, cache: BuildCache, memory: Memory, views,
            renderer) -> None:
    """Record what a computed page read and write it (or keep the previous file, same fingerprint)."""
    memory.reads[output.rel] = (base, result.full | output.reads, result.shown)
    cache.charts.update(result.charts)
    views.chart_keys.update(result.chart_keys)
    if result.views and isinstance(views.entity, EntityMemo):  # made in a worker
        views.entity.made.update(result.views)
    data = result.data
    if data is None:
        previous = cache.page(output.rel)
        if previous and writer.keep(output.rel, previous[1]):
            cache.hits["pages"] += 1
            return
        data = renderer.render(output, output.view()).encode("utf-8")  # the old file is gone or changed
    writer.write(output.rel, data, cache.put_page(output.rel, result.fingerprint, data))
