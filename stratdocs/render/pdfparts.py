"""One part of a PDF document laid out on its own, with the page numbers of the whole document.

A long document is cut at section boundaries into parts that render in parallel (see
`pdfstitch`). A part is laid out in two passes:

1. **Measure** (`measure`): the part alone, one layout loop, no PDF written: its page count and
   the page (within the part) of every anchor.
2. **Print** (`render_part`): the part again, now knowing where it starts (`offset`), how many pages
   the whole document has (`total`) and the page of every anchor of the document (`seeds`,
   numbered as in the whole document). WeasyPrint's layout is told these numbers up front, so
   "Page X of Y", contents page numbers and printed cross-references ("p. N") come out as a
   single render of the whole document prints them, and no page is laid out again to resolve a
   forward reference (a single render lays out most pages of a board pack three times for that).

A *held* part (`pdfheld`: a short document's) does both in one process from one layout: measured,
it waits for the numbers, is renumbered, lays out again only its pages printing a page reference
or counter, and writes the PDF the print would.

The numbers reach WeasyPrint through hooks, installed only while a part renders (`_patched`): a
target collector that knows the seeded pages, the first page's counter, and the `pages` counter
of the margin boxes and of every page's content (`_Counters`). They use WeasyPrint 70's layout
internals; `supported()` says whether the installed WeasyPrint is one they were written for
(otherwise documents render in one piece, as before).

A printed page number in a part that differs from what the measure promised (a cross-reference
whose digits moved a line break, say) is detected: the part reports its real numbers instead of
a PDF and the document is printed again with them.
"""

from __future__ import annotations

import contextlib
import logging
import time
from typing import Iterator, Mapping


#: WeasyPrint versions whose layout internals the hooks were written for.
SUPPORTED_MAJOR = ("70",)


def supported() -> bool:
    """Whether documents can be rendered in parts with this WeasyPrint (its version is read
    without importing it, which takes half a second)."""
    from importlib import metadata

    return metadata.version("weasyprint").split(".")[0] in SUPPORTED_MAJOR


class _Foreign:
    """A target in another part: looked up as if laid out, with its page in the whole document."""

    state = "up-to-date"
    page_maker_index = None

    def __init__(self, page: int, pages: int):
        self.target_box = self
        self.cached_counter_values: dict = {}
        self.cached_page_counter_values = {"pages": [pages], "page": [page]}
        self.parse_again_functions: dict = {}


class _Numbers:
    """What the hooks number a part with; a held part's are swapped between its measure and its print."""

    def __init__(self, seeds: Mapping[str, int], offset: int = 0, total: int = 0):
        self.seeds, self.offset, self.total = seeds, offset, total

    @property
    def pages(self) -> int:
        """What `counter(pages)` prints: the whole document's page count, or, while measuring, a
        stand-in as wide as it is expected to be (`_StandIns`)."""
        return self.total or getattr(self.seeds, "page", 0)


class _Counters(dict):
    """A page's counters with `pages` pinned to the whole document's count (`_Numbers.pages`):
    WeasyPrint sets it to the part's own count after each layout loop, so a `counter(pages)` in
    the content would print that. The pin survives the copies WeasyPrint makes of a page's state
    (`copy.deepcopy` sets the items one by one, after the pin)."""

    def __init__(self, values: Mapping, pages: int):
        super().__init__(values)
        self.pin(pages)

    def pin(self, pages: int) -> None:
        self.pages = pages
        dict.__setitem__(self, "pages", [pages])

    def __setitem__(self, key, value) -> None:
        super().__setitem__(key, [self.pages] if key == "pages" else value)


def _pin_pages(context, pages: int) -> None:
    """Every page state of the pagination pinned to `pages` (a held part's, once the total is known)."""
    for state in context.page_maker:
        if isinstance(state[3][1], _Counters):
            state[3][1].pin(pages)


def _collector_class(numbers: _Numbers):
    from weasyprint.css.targets import TargetCollector, anchor_name_from_token, get_url_tuple

    class SeededCollector(TargetCollector):
        """Targets of this part get their seeded page before layout; targets of other parts
        resolve to their page without being present."""

        def store_target(self, anchor_name, target_counter_values, target_box):
            super().store_target(anchor_name, target_counter_values, target_box)
            item = self.target_lookup_items.get(anchor_name)
            if item is not None and anchor_name in numbers.seeds and not item.cached_page_counter_values:
                # The page state's counters as they will be when the target is laid out (the
                # `pages` counter is the part's own page count), so nothing is laid out again.
                item.cached_page_counter_values = _seeded(numbers, anchor_name)

        def collect_missing_counters(self, parent_box, css_token, parse_again_function, missing_counters,
                                     missing_target_counters):
            # WeasyPrint 70's `compute_content_list` hands over a target's list as the box's own
            # missing counters (a rebound name), so every cross-reference looks like a use of
            # counter(page) and its page is laid out again in each loop. The target counters are
            # seeded here; only a real counter() in the content still needs the page's value.
            aliased = any(missing_counters is target for target in missing_target_counters.values())
            if aliased and css_token == "content" and not _uses_counters(parent_box.style["content"]):
                missing_counters = []
            super().collect_missing_counters(parent_box, css_token, parse_again_function, missing_counters,
                                             missing_target_counters)

        def lookup_target(self, anchor_token, source_box, css_token, parse_again):
            token = anchor_token
            if token[0] == "attr()":
                attr_name, type_, fallback = token[1]
                value = source_box.element.get(attr_name, fallback)
                token = ("string", value) if type_ == "string" else (
                    "url", get_url_tuple(value, source_box.style.base_url))
            name = anchor_name_from_token(token)
            if name not in self.target_lookup_items and name in numbers.seeds:
                return _Foreign(numbers.seeds[name], numbers.pages)
            return super().lookup_target(anchor_token, source_box, css_token, parse_again)

    return SeededCollector


def _seeded(numbers: _Numbers, anchor_name: str) -> dict:
    return {"pages": [numbers.pages], "page": [numbers.seeds[anchor_name]]}


def _uses_counters(content) -> bool:
    """Whether a computed `content` value prints counter() or counters()."""
    return content not in ("normal", "none", "inhibit") and any(
        kind in ("counter()", "counters()") for kind, _ in content)


@contextlib.contextmanager
def _hooks(offset: int, total: int, seeds: Mapping[str, int], max_loops: int | None = None,
           strings: Mapping[str, str] | None = None, found: dict | None = None) -> Iterator[None]:
    """WeasyPrint lays out the next document as pages offset+1.. of a total-page document, its
    named strings (CSS `string-set`) as the parts before left them (`strings`: the running header of a part that starts inside a
    section names that section); `found` receives the values the part leaves them at."""
    import weasyprint.document as wdoc

    layout = wdoc.layout_document

    def layout_document(html, root_box, context, max_loops_=8):
        _carry(context, strings)
        yield from layout(html, root_box, context, max_loops or max_loops_)
        if found is not None:
            found.update(_last_strings(context.string_set))

    with _patched(_Numbers(seeds, offset, total), layout_document):
        yield


@contextlib.contextmanager
def _patched(numbers: _Numbers, layout_document, make_all_pages=None) -> Iterator[None]:
    """WeasyPrint's layout hooks installed while a part renders: the seeded target collector, the
    first page's counter at `numbers.offset`, the margin boxes' `pages` at `numbers.total` and
    the pages' own `pages` pinned to `numbers.pages`."""
    import weasyprint.document as wdoc
    import weasyprint.layout as wlayout

    saved = (wdoc.TargetCollector, wlayout.initialize_page_maker, wlayout.make_margin_boxes, wdoc.layout_document,
             wlayout.make_all_pages)
    first_maker, margins = saved[1:3]

    def initialize_page_maker(context, root_box):
        first_maker(context, root_box)
        *first, state, remake = context.page_maker[0]
        counters = _Counters(state[1], numbers.pages)
        counters["page"] = [numbers.offset]  # incremented to offset + 1 on the first page
        state[2][-1].add("page")
        context.page_maker[0] = (*first, (state[0], counters, *state[2:]), remake)

    def make_margin_boxes(context, page, state):
        quote_depth, counters, *rest = state
        return margins(context, page, (quote_depth, {**counters, "pages": [numbers.total]}, *rest))

    wdoc.TargetCollector = _collector_class(numbers)
    wlayout.initialize_page_maker = initialize_page_maker
    wlayout.make_margin_boxes = make_margin_boxes
    wdoc.layout_document = layout_document
    wlayout.make_all_pages = make_all_pages or saved[4]
    try:
        yield
    finally:
        (wdoc.TargetCollector, wlayout.initialize_page_maker, wlayout.make_margin_boxes, wdoc.layout_document,
         wlayout.make_all_pages) = saved


def _carry(context, strings: Mapping[str, str] | None) -> None:
    """The named strings start as the parts before leave them (see `_Carried`)."""
    for name, value in (strings or {}).items():
        context.string_set[name][1] = _Carried([value])


class _Carried(list):
    """A named string's value on a part's first page as the parts before left it, until the page
    assigns its own: the first page then reads its own value, and the pages after it read the
    last one, as in a single render."""

    carried = True

    def append(self, value) -> None:
        if self.carried:
            self.clear()
            self.carried = False
        super().append(value)


def _last_strings(string_set) -> dict[str, str]:
    """Each named string's value at the end of the document (its last page's last assignment)."""
    last = {}
    for name, pages in string_set.items():
        assigned = [page for page, values in pages.items() if values]
        if assigned:
            last[name] = pages[max(assigned)][-1]
    return last


def _anchors(document) -> dict[str, int]:
    """The first page (0-based, within the document) of every anchor."""
    found: dict[str, int] = {}
    for index, page in enumerate(document.pages):
        for name in page.anchors:
            found.setdefault(name, index)
    return found


def layout(job: dict, fetcher, offset: int = 0, total: int = 0, seeds: Mapping[str, int] | None = None,
           max_loops: int | None = None, found: dict | None = None):
    """The part laid out (a WeasyPrint `Document`), numbered from `offset + 1` of `total` pages,
    its named strings starting as `job["strings"]` leaves them."""
    with _hooks(offset, total, {} if seeds is None else seeds, max_loops, job.get("strings"), found):
        return _rendered(job, fetcher)


def _rendered(job: dict, fetcher):
    """The part's HTML laid out by WeasyPrint (with the hooks the caller installed)."""
    import weasyprint

    logging.getLogger("weasyprint").propagate = False
    return weasyprint.HTML(string=job["html"], base_url=job["base_url"], url_fetcher=fetcher).render()


class _StandIns(Mapping):
    """Every anchor at one stand-in page, as wide as the document's page numbers are expected to
    be: a measured part prints "p. 555" where the print will say "p. 123", not "p. " or "p. 3",
    so its lines break as they will when printed and the measure holds."""

    def __init__(self, expected_pages: int):
        self.page = int("5" * len(str(max(1, expected_pages))))

    def __getitem__(self, name: str) -> int:
        return self.page

    def __contains__(self, name: object) -> bool:
        return True

    def __iter__(self) -> Iterator[str]:
        return iter(())

    def __len__(self) -> int:
        return 0


def measure(job: dict, fetcher) -> tuple[int, dict[str, int], dict[str, str], float]:
    """Pass 1: the part's page count, the page (0-based, in the part) of each anchor, the
    values its named strings are left at (see `_hooks`) and the seconds it took (the print
    round starts the longest parts first).

    :param job: its `expected_pages` (the whole document's, estimated from its size) gives the
        printed page numbers their width.
    """
    start = time.perf_counter()
    found: dict[str, str] = {}
    document = layout(job, fetcher, seeds=_StandIns(job.get("expected_pages", 1)), max_loops=1, found=found)
    return len(document.pages), _anchors(document), found, time.perf_counter() - start


def check(document, offset: int, pages: int, seeds: Mapping[str, int]) -> dict[str, int] | None:
    """None when the laid-out part has the page count and anchor pages it was seeded with, else
    its real anchors (0-based, in the part) for another round."""
    anchors = _anchors(document)
    if len(document.pages) == pages and all(seeds.get(name) == offset + i + 1 for name, i in anchors.items()):
        return None
    return anchors


def add_foreign_anchors(document, foreign: Iterator[str]) -> list[str]:
    """Keep the links to other parts: WeasyPrint drops links to anchors it does not have, so each
    foreign anchor gets a stand-in on the part's first page. The stitcher removes the stand-ins'
    destinations and resolves the links to the real ones. Returns the stand-in names."""
    page = document.pages[0]
    added = []
    for name in foreign:
        page.anchors[name] = (0, 0, 0, 0)
        added.append(name)
    return added


def render_part(job: dict, fetcher, offset: int, total: int, pages: int, seeds: Mapping[str, int],
                options: dict) -> tuple:
    """Pass 2: the part's PDF, numbered as pages offset+1..offset+pages of `total`, written to
    the file `job["out"]` (a temporary file of `pdfrun`'s: the parent reads it only to stitch).

    :param seeds: every anchor of the document -> its page (1-based, in the whole document).
    :returns: (the PDF's path, the part's anchors, the stand-in anchor names, its page count,
        its bookmarks: per page, its height and WeasyPrint's `page.bookmarks`), or (None, the
        part's real anchors, [], its real page count, []) when its layout did not come out as
        measured.
    """
    return _printed(layout(job, fetcher, offset, total, seeds), job["out"], offset, pages, seeds, options)


def _printed(document, out: str, offset: int, pages: int, seeds: Mapping[str, int], options: dict) -> tuple:
    """`render_part`'s result for the laid-out part: its PDF written to `out`, or its real numbers."""
    moved = check(document, offset, pages, seeds)
    if moved is not None:
        return None, moved, [], len(document.pages), []
    anchors = _anchors(document)
    linked = dict.fromkeys(target for page in document.pages for kind, target, _, _ in page.links
                           if kind == "internal" and target not in anchors and target in seeds)
    stand_ins = add_foreign_anchors(document, iter(linked))
    bookmarks = [(page.height, list(page.bookmarks)) for page in document.pages]
    document.write_pdf(out, **options)
    return out, anchors, stand_ins, len(document.pages), bookmarks
