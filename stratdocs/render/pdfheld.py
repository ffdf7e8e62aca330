"""A *held* part: measured and printed by one process from one layout (a short document's).

The part is laid out as `pdfparts.measure` lays it out; its measure goes to the parent, which
answers with the part's print job once every part of the document is measured (`pdfprocs`); the
kept layout is then renumbered, only its pages printing a page reference or a page counter are
laid out again, and the PDF is written as `pdfparts.render_part` writes it: the same bytes, or
the real numbers if the layout moved. The layout stays in memory until then, hence
`pdfrun.HELD_CHARS`.
"""

from __future__ import annotations

import time
from typing import Callable

from stratdocs.render.pdfparts import (_Numbers, _StandIns, _carry, _patched, _pin_pages, _printed, _rendered,
                                       _seeded)


def held(job: dict, fetcher, exchange: Callable[[tuple], dict], options: Callable[[dict], dict]) -> tuple:
    """Both passes in one process and one layout: the part is laid out (as `measure` lays it
    out), `exchange` hands the measure to the parent and returns the part's print job (as
    `pdfrun` makes it: offset, total, pages, seeds, strings, out); the kept layout is then
    renumbered, only its pages printing a page reference or counter are laid out again, the PDF
    written as `render_part` writes it (the same result, or the real numbers if it moved); the
    layout stays in memory until every part is measured (hence `pdfrun.HELD_CHARS`)."""
    numbers = _Numbers(_StandIns(job.get("expected_pages", 1)))
    printing: dict = {}
    start = time.perf_counter()

    def layout_document(html, root_box, context, max_loops=8):
        import weasyprint.layout as wlayout

        wlayout.initialize_page_maker(context, root_box)
        pages = list(wlayout.make_all_pages(context, root_box, html, []))
        measure = (len(pages), _laid_anchors(context), _left_strings(pages), time.perf_counter() - start)
        printing.update(exchange(measure))
        _renumber(context, printing["offset"])
        numbers.seeds, numbers.total = printing["seeds"], printing["total"]
        _pin_pages(context, numbers.pages)
        _reseed(context, numbers)
        _carry(context, printing.get("strings"))
        wlayout.initialize_page_maker = lambda context, root_box: None  # the measure's, renumbered
        # The first loop starts from the measure's pages (WeasyPrint's starts from none); a page
        # whose page counters changed its content is laid out again in the next, as in a print.
        wlayout.make_all_pages = lambda context, root_box, html, given: make_all_pages(
            context, root_box, html, given or pages)
        yield from layout(html, root_box, context, max_loops)

    import weasyprint.document as wdoc
    import weasyprint.layout as wlayout

    layout, make_all_pages = wdoc.layout_document, wlayout.make_all_pages
    with _patched(numbers, layout_document):
        document = _rendered(job, fetcher)
    return _printed(document, printing["out"], printing["offset"], printing["pages"], printing["seeds"],
                    options(printing))


def _laid_anchors(context) -> dict[str, int]:
    """The first page (0-based) of every anchor, as the pagination met them."""
    return {name: index for index, state in enumerate(context.page_maker) for name in state[-1]["anchors"]}


def _left_strings(pages) -> dict[str, str]:
    """The values the named strings are left at after the pages (their last assignment)."""
    last: dict[str, str] = {}
    for page in pages:
        for box in page.descendants():
            if box.string_set and box.string_set != "none":
                last.update(box.string_set)
    return last


def _renumber(context, offset: int) -> None:
    """The pagination's page counters moved by `offset` (as if the part started there)."""
    seen: set[int] = set()
    for state in context.page_maker:
        counters = state[3][1]
        if id(counters) not in seen and "page" in counters:
            seen.add(id(counters))
            counters["page"] = [value + offset for value in counters["page"]]


def _reseed(context, numbers: _Numbers) -> None:
    """The part's targets at their pages in the whole document, and every page reference made
    again with them; the pages printing a page reference or a page counter (`counter(page)` in
    the content, now renumbered) are laid out again when the layout is finished."""
    collector = context.target_collector
    for name, item in collector.target_lookup_items.items():
        if item.state == "up-to-date" and name in numbers.seeds:
            item.cached_page_counter_values = _seeded(numbers, name)
    for (_, token), item in collector.counter_lookup_items.items():
        if token != "content" or item.page_maker_index is None:
            continue
        if item.missing_target_counters:
            item.parse_again()
        if item.missing_target_counters or item.missing_counters:  # a page counter: made again when laid out
            context.page_maker[item.page_maker_index][-1]["content_changed"] = True
